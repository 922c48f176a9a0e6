"""Score thresholds calibrated on one grounding model, keyed by that model's name.

The verifier, the argument map, the clash finder and the answer picker compare embedding
scores with these numbers, so they only hold for the model they were measured on. Adding a
grounding model means measuring its row (tests/support/data/grounding_cases.yaml for the
verifier, the debate scripts for the rest) and adding it here.
"""

from __future__ import annotations

from dataclasses import dataclass


class UnknownCalibrationError(ValueError):
    """The grounding model has no calibrated thresholds."""


@dataclass(frozen=True)
class Calibration:
    """Every embedding-score threshold of the bot, for one grounding model."""

    # Grounding verifier. Support = mean of content-word overlap and embedding cosine. On
    # the labelled table, true pairs score 0.72 and up, wrong-passage and unrelated pairs at
    # most 0.54; the threshold sits midway. The floors hold whatever the combined score.
    support_threshold: float = 0.63
    min_overlap: float = 0.5
    min_cosine: float = 0.5  # true pairs measured >= 0.70
    # Argument map.
    side_min: float = 0.6  # a sentence needs at least this score to take a side ...
    side_margin: float = 0.05  # ... and must beat the other side's best by this much
    backing_min: float = 0.45  # a sentence backs a key point from this score up
    backing_slack: float = 0.08  # ... when within this of its best key point of that side
    passage_dominance: float = 2.0  # a mixed passage keeps a side when it weighs 2x more
    gate_margin: float = 0.05  # similarity evidence must fit its side this much better
    similar_min: float = 0.6  # ... and score this high before a debate reply quotes it
    # Clash finder.
    point_min: float = 0.62  # a message sentence states a key point from this score up
    evidence_match: float = 0.85  # ... or when it restates a sentence backing the key point
    challenge_min: float = 0.5  # a move naming the opponent attacks the closest bot point
    loose_min: float = 0.5  # questions, precedents and concessions take a key point from here
    focus_weight: float = 0.3  # how much closeness to the user's words counts for evidence
    # Answers.
    qa_min: float = 0.7  # below this best sentence score the sources do not answer
    qa_spread: float = 0.12  # further answer sentences must score within this of the best


MINILM = Calibration()

# The int8 ONNX and the torch build of all-MiniLM-L6-v2 give the same vectors (cosine >= 0.999).
CALIBRATIONS: dict[str, Calibration] = {
    "onnx:all-MiniLM-L6-v2-int8": MINILM,
    "sentence-transformers:all-MiniLM-L6-v2": MINILM,
}


def calibration_for(model: str) -> Calibration:
    """The thresholds measured on ``model``; a clear error for a model never calibrated."""
    try:
        return CALIBRATIONS[model]
    except KeyError:
        raise UnknownCalibrationError(
            f"grounding model {model!r} has no calibrated thresholds (bot/verify/calibration.py);"
            f" calibrated: {sorted(CALIBRATIONS)}"
        ) from None
