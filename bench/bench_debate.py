"""Sparring quality on the labelled debates in evals/sparring/debates.yaml, per split.

Runs every debate through the real chat API in-process (embedded Chroma, the packaged
models, the seeds), then scores the replies against the labels:

- move recall and precision of the clash list (a clash item matches a labelled move when
  their spans in the speech overlap by at least half of the shorter one);
- questions handled (named in the clash list as answered, conceded or unanswerable);
- concessions used (the user's concessions the clash list takes up);
- own goals: citations outside a concession of a span the map's cards or stance labels file
  under the user's side; and, as a second count that needs no labels, citations outside a
  concession that no card of the bot's side files and that fit a user-side key point at least
  as well as every bot-side one, or restate a user-side card (what a judge reads as an own
  goal even where no label says so);
- repeated sentences, the seed document's share of citations, words per speech;
- engagement, which needs no labels: each clash item the bot calls answered (not conceded)
  is paired one to one with a citation of the same reply outside a concession, closest pairs
  first (MiniLM cosine between the user's move and the quote); the table gives the mean
  cosine of those pairs (an item left without a citation counts 0) and the share of items
  whose card reaches ``ENGAGED`` (does the card filed against a move relate to it at all?);
- user facts re-cited: citations outside a concession that restate a sentence of the user's
  speeches so far (cosine >= ``RESTATES``): a fact the user already put in play, granted or
  turned, is no answer to the user.

Usage: python bench/bench_debate.py [--split dev|test|all] [--transcripts DIR]
"""

from __future__ import annotations

import argparse
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from fastapi.testclient import TestClient

from bot.app import create_app
from bot.domain.cards import find_quote
from bot.engines.extractive.composer import sentence_key
from bot.settings import ChatSettings
from retrieval.ingest.chunking import split_sentences

REPO = Path(__file__).resolve().parents[1]
DEBATES = REPO / "evals" / "sparring" / "debates.yaml"
MOTION = REPO / "seeds" / "us-hamas" / "motion.yaml"
SOURCES = REPO / "seeds" / "us-hamas" / "sources"
RESULTS = REPO / "bench" / "results" / "debate.md"
TWO_EDGED = 0.6  # a citation this close to a user-side key point states it by itself
ENGAGED = 0.4  # cosine from which a quote relates to the move it is filed against
RESTATES = 0.7  # cosine from which a quote restates a sentence the user said


@dataclass
class Tally:
    """Counts over the debates of one split."""

    moves: int = 0
    moves_found: int = 0
    items: int = 0
    items_matched: int = 0
    questions: int = 0
    questions_handled: int = 0
    concessions: int = 0
    concessions_used: int = 0
    citations: int = 0
    own_goals: int = 0
    leaning_own_goals: int = 0  # by similarity to the user's key points and cards
    seed_citations: int = 0
    repeats: int = 0
    speeches: int = 0
    words: list[float] = field(default_factory=list)
    over_limit: int = 0
    statuses: Counter[str] = field(default_factory=Counter)
    engagement: list[float] = field(default_factory=list)  # one per answered clash item
    user_facts: int = 0  # citations outside a concession restating what the user said


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> bool:
    shared = min(a[1], b[1]) - max(a[0], b[0])
    return shared > 0 and shared >= 0.5 * min(a[1] - a[0], b[1] - b[0])


def _span(speech: str, text: str) -> tuple[int, int] | None:
    return find_quote(speech, text)


def _user_side_spans(client: TestClient, user_side: str) -> list[tuple[str, int, int]]:
    """Spans (doc_id, start, end) the map's cards and stance labels file under ``user_side``."""
    motion = yaml.safe_load(MOTION.read_text())
    listing = client.get("/documents").json()["documents"]
    docs = {d["source"].rsplit("/", 1)[-1]: d["doc_id"] for d in listing}
    spans = []
    labelled = [(c, kp["side"]) for kp in motion["key_points"] for c in kp.get("cards", [])]
    labelled += [(c, c["side"]) for c in motion.get("stance_labels", [])]
    for card, side in labelled:
        if side != user_side or card["doc"] not in docs:
            continue
        doc_id = docs[card["doc"]]
        text = client.get(f"/documents/{doc_id}").json()["text"]
        found = find_quote(text, card["quote"])
        if found:
            spans.append((doc_id, *found))
    return spans


def _seed_doc(client: TestClient) -> set[str]:
    return {
        d["doc_id"]
        for d in client.get("/documents").json()["documents"]
        if d.get("metadata", {}).get("role") == "seed"
    }


def leans_to_user(amap: Any, citation: dict[str, Any], user_side: str) -> bool:
    """A citation no bot-side card files that fits the user's side at least as well as the
    bot's (by key-point similarity), states a user-side key point by itself, or restates a
    user-side card."""
    span = (citation["doc_id"], citation["start"], citation["end"])
    bot_side = "con" if user_side == "pro" else "pro"
    if amap.cards.side_of(*span) == bot_side:
        return False
    lean = amap.lean(*span, bot_side)
    other = amap.best_fit(*span, user_side)
    return (
        (lean is not None and lean <= 0)
        or (other is not None and other >= TWO_EDGED)
        or amap.echoes(*span, user_side)
    )


def engagement(embed: Any, reply: dict[str, Any]) -> list[float]:
    """Per answered clash item, the cosine to the citation paired with it (closest pairs
    first, each citation used once; 0 when none is left)."""
    items = [i["point"] for i in reply["clash"] if i["status"] == "answered"]
    quotes = {c["marker"]: c["quote"] for c in reply["citations"]}
    cited = list(
        dict.fromkeys(
            quotes[m]
            for s in reply["sentences"]
            if s["kind"] == "claim" and not s["concession"]
            for m in s["citations"]
        )
    )
    if not items:
        return []
    if not cited:
        return [0.0] * len(items)
    vectors = embed([*items, *cited])
    scores = vectors[: len(items)] @ vectors[len(items) :].T
    pairs = sorted(
        ((float(scores[i, j]), i, j) for i in range(len(items)) for j in range(len(cited))),
        reverse=True,
    )
    out = [0.0] * len(items)
    taken_items: set[int] = set()
    taken_cited: set[int] = set()
    for value, i, j in pairs:
        if i not in taken_items and j not in taken_cited:
            out[i] = value
            taken_items.add(i)
            taken_cited.add(j)
    return out


def restated(embed: Any, reply: dict[str, Any], speeches: list[str]) -> int:
    """Citations outside a concession that restate a sentence of the user's speeches."""
    quotes = {c["marker"]: c["quote"] for c in reply["citations"]}
    cited = [
        quotes[m]
        for s in reply["sentences"]
        if s["kind"] == "claim" and not s["concession"]
        for m in s["citations"]
    ]
    said = [t[a:b] for t in speeches for a, b in split_sentences(t)]
    if not cited or not said:
        return 0
    vectors = embed([*cited, *said])
    scores = vectors[: len(cited)] @ vectors[len(cited) :].T
    return int((scores.max(axis=1) >= RESTATES).sum())


def run_debate(client: TestClient, debate: dict[str, Any]) -> list[dict[str, Any]]:
    """Play one labelled debate; the bot's replies, in order."""
    created = client.post(
        "/debates", json={"motion_id": "us-hamas", "user_side": debate["user_side"]}
    )
    created.raise_for_status()
    debate_id = created.json()["debate_id"]
    rounds = created.json()["format"]["rounds"]
    replies = []
    for n, turn in enumerate(debate["turns"]):
        response = client.post(f"/debates/{debate_id}/turns", json={"message": turn["speech"]})
        response.raise_for_status()
        replies.append(
            {**response.json(), "max_words": rounds[min(n, len(rounds) - 1)]["max_words"]}
        )
    return replies


def score(
    debate: dict[str, Any],
    replies: list[dict[str, Any]],
    tally: Tally,
    user_spans: list[tuple[str, int, int]],
    seed_docs: set[str],
    amap: Any = None,
    embed: Any = None,
) -> None:
    """Add one debate's counts to ``tally``."""
    said: Counter[str] = Counter()
    speeches: list[str] = []
    for turn, reply in zip(debate["turns"], replies, strict=True):
        speech = turn["speech"]
        labelled = [(m, _span(speech, m["text"])) for m in turn["moves"]]
        items = [(i, _span(speech, i["point"])) for i in reply["clash"]]
        tally.items += len(items)
        for item, span in items:
            tally.statuses[item["status"]] += 1
            if span and any(s and _overlap(span, s) for _, s in labelled):
                tally.items_matched += 1
        for move, span in labelled:
            hits = [i for i, s in items if s and span and _overlap(span, s)]
            tally.moves += 1
            tally.moves_found += bool(hits)
            if move["kind"] == "question":
                tally.questions += 1
                tally.questions_handled += bool(hits)
            if move["kind"] == "concession":
                tally.concessions += 1
                tally.concessions_used += any(i["kind"] == "concession" for i in hits)
        body = reply
        speeches.append(speech)
        if embed is not None:
            tally.engagement += engagement(embed, reply)
            tally.user_facts += restated(embed, reply, speeches)
        citations = {c["marker"]: c for c in body["citations"]}
        for sentence in body["sentences"]:
            said[sentence_key(sentence["text"])] += 1
            if sentence["kind"] != "claim":
                continue
            for marker in sentence["citations"]:
                c = citations[marker]
                tally.citations += 1
                tally.seed_citations += c["doc_id"] in seed_docs
                hit = any(
                    c["doc_id"] == d and c["start"] < e and s < c["end"] for d, s, e in user_spans
                )
                tally.own_goals += hit and not sentence["concession"]
                if amap is not None and not sentence["concession"]:
                    tally.leaning_own_goals += leans_to_user(amap, c, debate["user_side"])
        words = len(body["text"].split())
        limit = reply["max_words"]
        tally.speeches += 1
        tally.words.append(words / limit)
        tally.over_limit += words > limit
    tally.repeats += sum(n - 1 for n in said.values() if n > 1)


def transcript(debate: dict[str, Any], replies: list[dict[str, Any]]) -> str:
    """A Markdown transcript with citations as footnotes."""
    lines = [f"# Debate {debate['id']} (user argues {debate['user_side']})", ""]
    notes: list[str] = []
    for n, (turn, reply) in enumerate(zip(debate["turns"], replies, strict=True), start=1):
        body = reply
        lines += [f"## Turn {n}: {reply['round']}", "", f"**User:** {turn['speech'].strip()}", ""]
        text = body["text"]
        for c in body["citations"]:
            ref = f"{debate['id']}-{n}-{c['marker']}"
            text = text.replace(f"[{c['marker']}]", f"[^{ref}]")
            notes.append(f"[^{ref}]: {c['title']}: \u201c{c['quote']}\u201d")
        lines += [f"**Bot:** {text}", ""]
        clash = "; ".join(
            f"{i['kind']} \u2192 {i['status']}"
            + (f" ({', '.join(i['answered_by'])})" if i.get("answered_by") else "")
            for i in body["clash"]
        )
        lines += [f"*Clash:* {clash or 'none'}", ""]
    return "\n".join([*lines, *notes, ""])


def _row(name: str, t: Tally) -> str:
    def pct(a: int, b: int) -> str:
        return f"{a / b:.2f}" if b else "n/a"

    words = f"{sum(t.words) / len(t.words):.2f}" if t.words else "n/a"
    engaged = sum(v >= ENGAGED for v in t.engagement)
    mean = f"{sum(t.engagement) / len(t.engagement):.2f}" if t.engagement else "n/a"
    return (
        f"| {name} | {pct(t.moves_found, t.moves)} ({t.moves_found}/{t.moves}) "
        f"| {pct(t.items_matched, t.items)} ({t.items_matched}/{t.items}) "
        f"| {pct(t.questions_handled, t.questions)} | {pct(t.concessions_used, t.concessions)} "
        f"| {t.own_goals} / {t.citations} | {t.leaning_own_goals} | {t.repeats} "
        f"| {pct(t.seed_citations, t.citations)} "
        f"| {words} ({t.over_limit} over) "
        f"| {mean} | {pct(engaged, len(t.engagement))} ({engaged}/{len(t.engagement)}) "
        f"| {t.user_facts} |"
    )


HEADER = (
    "| split | move recall | clash precision | questions handled | concessions used "
    "| own goals / citations | leaning to the user | repeated sentences | seed share "
    "| words / limit | engagement (mean cosine) | engaged answers | user facts re-cited |\n"
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
)


def main() -> None:
    """Run the chosen split(s) and print (and save) the table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--split", choices=["dev", "test", "all"], default="all")
    parser.add_argument("--transcripts", type=Path, default=None)
    args = parser.parse_args()
    debates = yaml.safe_load(DEBATES.read_text())
    splits = ["dev", "test"] if args.split == "all" else [args.split]
    with tempfile.TemporaryDirectory() as tmp:
        settings = ChatSettings(
            data_dir=Path(tmp),
            seeds_dir=REPO / "seeds",
            prompts_dir=REPO / "prompts",
            chroma={"mode": "memory"},
        )
        with TestClient(create_app(settings)) as client:
            seed_docs = _seed_doc(client)
            spans = {side: _user_side_spans(client, side) for side in ("pro", "con")}
            services = client.app.state.services  # type: ignore[attr-defined]
            motion = services.motions.get_motion("us-hamas")
            amap = services.debates.stances(motion) if services.debates.stances else None
            index = getattr(services.debates.engine, "index", None)
            embed = index.embed if index is not None else None
            tallies: dict[str, Tally] = {}
            for split in splits:
                tally = tallies.setdefault(split, Tally())
                for debate in (d for d in debates if d["split"] == split):
                    replies = run_debate(client, debate)
                    score(
                        debate, replies, tally, spans[debate["user_side"]], seed_docs, amap, embed
                    )
                    if args.transcripts:
                        args.transcripts.mkdir(parents=True, exist_ok=True)
                        path = args.transcripts / f"{debate['id']}.md"
                        path.write_text(transcript(debate, replies), encoding="utf-8")
    table = "\n".join([HEADER, *(_row(s, t) for s, t in tallies.items())])
    statuses = "; ".join(f"{s}: {dict(t.statuses)}" for s, t in tallies.items())
    print(table)
    print(f"\nclash statuses: {statuses}")
    for s, t in tallies.items():
        paired = [v for v in t.engagement if v != 0.0]
        mean = sum(paired) / len(paired) if paired else 0.0
        print(f"{s}: answered items with a card {len(paired)}/{len(t.engagement)}, mean {mean:.2f}")
    if args.split == "all":
        RESULTS.parent.mkdir(parents=True, exist_ok=True)
        RESULTS.write_text(
            "# Sparring quality (bench/bench_debate.py)\n\n"
            + table
            + f"\n\nclash statuses: {statuses}\n",
            encoding="utf-8",
        )


if __name__ == "__main__":
    main()
