"""Opinion stated as fact: a view the evidence attributes supports "X says V", never bare V."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from bot.verify.layers import nlp
from bot.verify.layers.base import Finding, Verdict, no_opinion, refuse
from bot.verify.layers.syntax import content_lemmas, lemma, normalize

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token


CHECK = "attribution"
REPORTING_VERBS = frozenset(
    [
        "say",
        "argue",
        "believe",
        "claim",
        "contend",
        "assert",
        "maintain",
        "insist",
        "suggest",
        "allege",
        "think",
        "call",
        "describe",
        "characterize",
        "characterise",
        "deem",
        "reckon",
        "regard",
        "write",
        "note",
        "state",
        "tell",
        "add",
        "explain",
        "accuse",
        "charge",
        "label",
        "brand",
        "dub",
        "term",
        "portray",
        "frame",
        "opine",
        "posit",
    ]
)
# Verbs that present their complement as established; evidence that only argues it does not
# license them.
FACTIVE_VERBS = frozenset(
    ["show", "prove", "establish", "demonstrate", "confirm", "reveal", "find", "know"]
)
_FRAMES = re.compile(
    r"\baccording to\b|\bin (?:the )?[\w' ]{0,40}?(?:'s?|s')? "
    r"(?:view|reading|opinion|assessment|interpretation|words|telling|account|estimation)\b"
    r"|\b(?:reading|view|argument|contention|position|opinion|interpretation|claim) is that\b"
    r"|\bin (?:his|her|their|its|our|my) (?:view|reading|opinion|assessment|words)\b",
)


def _reporter(doc: Doc | Span) -> Token | None:
    """The first verb of saying or believing with a real subject, if any."""
    for token in doc:
        if token.pos_ != "VERB" or lemma(token) not in REPORTING_VERBS | FACTIVE_VERBS:
            continue
        subjects = [c for c in token.children if c.dep_ in {"nsubj", "nsubjpass"}]
        reports = token.dep_ == "parataxis" or any(
            c.dep_ in {"ccomp", "xcomp", "oprd", "dobj"} for c in token.children
        )
        if reports and any(s.lower_ not in {"it", "there"} for s in subjects):
            return token
    return None


def is_attributed(span: Doc | Span) -> str:
    """The words that attribute ``span`` to a source ("the authors argue"), or ""."""
    frame = _FRAMES.search(normalize(span.text))
    if frame:
        return frame.group()
    verb = _reporter(span)
    return verb.text if verb is not None and lemma(verb) in REPORTING_VERBS else ""


class AttributionJudge:
    """Refuses a bare claim whose content the evidence only reports as someone's view."""

    name = CHECK

    def judge(self, claim: str, evidence: str) -> Verdict:
        """Compare the claim with the evidence sentence that carries most of its words."""
        claim_doc = nlp.parse(claim)
        claim_lemmas = content_lemmas(claim_doc)
        sentences = list(nlp.parse(evidence).sents)
        if not claim_lemmas or not sentences:
            return no_opinion(CHECK)
        scored = [(len(claim_lemmas & content_lemmas(s)), s) for s in sentences]
        best_attributed = max((n for n, s in scored if is_attributed(s)), default=0)
        best_plain = max((n for n, s in scored if not is_attributed(s)), default=0)
        if best_attributed == 0 or best_plain >= best_attributed:
            return no_opinion(CHECK)
        source = next(s for n, s in scored if n == best_attributed and is_attributed(s))
        marker = is_attributed(source)
        claim_verb = _reporter(claim_doc)
        if claim_verb is not None and lemma(claim_verb) in FACTIVE_VERBS:
            return refuse(
                CHECK,
                Finding(
                    CHECK,
                    claim_verb.text,
                    marker,
                    f"the claim says '{claim_verb.text}' (established) where the evidence only "
                    f"reports a view ('{marker}')",
                ),
            )
        if claim_verb is not None or _FRAMES.search(normalize(claim)):
            return no_opinion(CHECK)
        return refuse(
            CHECK,
            Finding(
                CHECK,
                claim,
                source.text,
                f"the evidence attributes this view ('{marker}'); the claim states it as fact",
            ),
        )
