"""Which of the user's key points a speech makes: the LLM engine's own, small reader.

The model reads the speech itself; this only decides which key points (and their evidence)
go into the prompt and which clash items the reply reports.
"""

from __future__ import annotations

from bot.domain.argument_map import ArgumentMap
from bot.domain.evidence import SentenceIndex, score_matrix, stems_of
from bot.domain.motions import KeyPoint, Side
from retrieval.ingest.chunking import split_sentences

MAX_SPEECH_SENTENCES = 24


def user_points(
    amap: ArgumentMap, index: SentenceIndex, message: str, user_side: Side, limit: int = 2
) -> list[KeyPoint]:
    """The key points of ``user_side`` the message states, strongest first."""
    spans = split_sentences(message)[:MAX_SPEECH_SENTENCES]
    sentences = [message[s:e] for s, e in spans if len(message[s:e].split()) >= 3]
    kps = amap.motion.key_points
    if not sentences or not kps:
        return []
    scores = score_matrix(
        index.embed(sentences), [stems_of(s) for s in sentences], amap.kp_stems, amap.kp_vectors
    )
    best = scores.max(axis=0)
    threshold = index.calibration.point_min
    found = [
        (float(best[k]), kp)
        for k, kp in enumerate(kps)
        if kp.side == user_side and best[k] >= threshold
    ]
    found.sort(key=lambda pair: (-pair[0], pair[1].id))
    return [kp for _, kp in found[:limit]]
