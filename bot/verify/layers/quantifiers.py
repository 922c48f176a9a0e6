"""Quantifiers: all, every, none, never, only, first, unanimous, most, some, always."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from bot.verify.layers import nlp
from bot.verify.layers.base import Finding, Verdict, no_opinion, refuse
from bot.verify.layers.numbers import values
from bot.verify.layers.syntax import normalize

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

CHECK = "quantifiers"
_UNIVERSAL = ("all", "every", "each", "entire", "whole", "both", "unanimous", "unanimously")
_NEGATIVE = ("none", "no", "not", "n't", "never", "neither", "nor", "nobody", "nothing", "without")
_PLURAL = ("several", "many", "multiple", "numerous", "various", "a number of", "dozens",
           "hundreds", "thousands")  # fmt: skip
_EXCLUSIVE = ("only", "exclusively", "solely", "entirely", "wholly", "alone", "all")
_SINGLE = ("single", "sole", "lone", "only", "one", "just one", "a lone")
_PARTIAL = ("largely", "mostly", "mainly", "primarily", "partly", "partially", "chiefly")
# What in the evidence licenses each quantifier of the claim.
LICENSES: dict[str, tuple[str, ...]] = {
    "all": _UNIVERSAL,
    "every": _UNIVERSAL,
    "each": _UNIVERSAL,
    "none": _NEGATIVE,
    "never": ("never", "at no time", "not once", "not ever", "n't ever", "no longer ever"),
    "only": ("only", "sole", "solely", "alone", "exclusively", "single", "just"),
    "first": ("first", "earliest", "initial", "inaugural", "never before", "first-ever"),
    "last": ("last", "final", "latest"),
    "unanimous": ("unanimous", "unanimously", "without dissent", "all judges", "every judge"),
    "unanimously": ("unanimous", "unanimously", "without dissent", "all judges", "every judge"),
    "most": ("most", "majority", "mostly", "largely", "more than half", "bulk"),
    "some": (
        "some",
        "several",
        "many",
        "a few",
        "various",
        "certain",
        "a number of",
        "all",
        "most",
        "both",
        "majority",
    ),  # fmt: skip
    "always": ("always", "every time", "each time", "invariably", "consistently"),
    "several": _PLURAL,
    "exclusively": _EXCLUSIVE,
    "solely": _EXCLUSIVE,
    "entirely": _EXCLUSIVE,
    "wholly": _EXCLUSIVE,
    "single": _SINGLE,
    "sole": _SINGLE,
    "lone": _SINGLE,
    "latest": ("last", "final", "latest", "most recent"),
    "many": _PLURAL,
    "multiple": _PLURAL,
    "numerous": _PLURAL,
}
# Words in the evidence that contradict a universal or unanimous claim outright.
CONFLICTS: dict[str, tuple[str, ...]] = {
    "unanimous": ("divided", "split", "dissent", "dissented", "dissenting", "2-1", "majority"),
    "all": ("some", "most", "several", "partly", "partially", "except"),
    "always": ("sometimes", "occasionally", "often", "usually"),
    "never": ("once", "sometimes", "occasionally", "previously"),
    "several": ("only", "sole", "single"),
    "many": ("only", "sole", "single", "few"),
    "multiple": ("only", "sole", "single"),
}
for _word in ("exclusively", "solely", "entirely", "wholly"):
    CONFLICTS[_word] = _PARTIAL
for _word in ("single", "sole", "lone"):
    CONFLICTS[_word] = ("several", "multiple", "two", "both", "many", "series")
CONFLICTS["unanimously"] = CONFLICTS["unanimous"]
CONFLICTS["every"] = CONFLICTS["all"]


def _plural_in(noun: Token, evidence: Doc) -> bool:
    """ "some contacts" where the evidence has "contacts": a plural says there were some."""
    return noun.tag_ == "NNS" and any(
        t.tag_ == "NNS" and t.lemma_.lower() == noun.lemma_.lower() for t in evidence
    )


def _floats_over_a_list(token: Token) -> bool:
    """ "X, Y and Z all reached ...": "all" sums up the listed names, it adds no quantity."""
    if token.dep_ not in {"advmod", "nsubj", "appos", "dep"} and token.head.pos_ != "VERB":
        return False
    verb = token.head if token.head.pos_ in {"VERB", "AUX"} else token.head.head
    subject = next((c for c in verb.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
    return subject is not None and any(c.dep_ == "conj" for c in subject.children)


def _before_a_number(token: Token) -> bool:
    """ "only two weeks": the word weighs a number the evidence must state anyway."""
    following = token.doc[token.i + 1] if token.i + 1 < len(token.doc) else None
    return following is not None and following.like_num


def _has(text: str, phrase: str) -> bool:
    return re.search(rf"(?<![\w-]){re.escape(phrase)}(?![\w-])", text) is not None


class QuantifiersJudge:
    """Refuses a claim whose quantifier the evidence does not state, or contradicts."""

    name = CHECK

    def judge(self, claim: str, evidence: str) -> Verdict:
        """Each quantifier of the claim needs a licence in the evidence."""
        claim_doc, evidence_doc = nlp.parse(claim), nlp.parse(evidence)
        text = normalize(evidence)
        # A count of two or more (not a year) licenses "some" and "several".
        has_number = any(v.kind == "number" and v.value >= 2 for v in values(evidence_doc))
        findings: list[Finding] = []
        for token in claim_doc:
            word = token.lower_
            following = claim_doc[token.i + 1].lower_ if token.i + 1 < len(claim_doc) else ""
            if word not in LICENSES or (word == "each" and following == "other"):
                continue
            if word == "all" and token.dep_ not in {
                "det",
                "predet",
                "nsubj",
                "dobj",
                "pobj",
                "appos",
                "nsubjpass",
                "advmod",
                "quantmod",
            }:
                continue
            conflict = next((w for w in CONFLICTS.get(word, ()) if _has(text, w)), None)
            licensed = (
                any(_has(text, w) for w in LICENSES[word])
                or (word in {"some", "several", "multiple"} and has_number)
                or (word == "some" and _plural_in(token.head, evidence_doc))
                or (word in {"all", "both"} and _floats_over_a_list(token))
                or (word == "only" and _before_a_number(token))
            )
            if conflict and not _has(text, word):
                findings.append(
                    Finding(
                        CHECK,
                        word,
                        conflict,
                        f"the claim says '{word}' but the evidence says '{conflict}'",
                    )
                )
            elif not licensed:
                findings.append(
                    Finding(
                        CHECK,
                        word,
                        "",
                        f"the claim says '{word}'; the evidence states no such quantity",
                    )
                )
        findings += unconditional(normalize(claim), text)
        findings += proportions(normalize(claim), text)
        return refuse(CHECK, *findings) if findings else no_opinion(CHECK)


# Proportion words and the side of one half they put a share on.
_MAJORITY = ("majority", "more than half", "over half", "most of")
_MINORITY = ("minority", "less than half", "fewer than half", "under half")
_SHARE = re.compile(r"(\d[\d,]*)\s+(?:out\s+)?of\s+(?:the\s+|its\s+|their\s+)?(\d[\d,]*)")
_PERCENT = re.compile(r"(\d+(?:\.\d+)?)\s*(?:%|percent\b|per cent\b)")


def shares(evidence: str) -> list[float]:
    """The shares the evidence states: "74 of the 132" (0.56), "41%" (0.41)."""
    found: list[float] = []
    for part, whole in _SHARE.findall(evidence):
        a, b = float(part.replace(",", "")), float(whole.replace(",", ""))
        if 0 < a <= b:
            found.append(a / b)
    found += [float(p) / 100 for p in _PERCENT.findall(evidence) if float(p) <= 100]
    return found


def proportions(claim: str, evidence: str) -> list[Finding]:
    """ "a minority of the seats" where the evidence gives 74 of 132, "a majority" for 41%."""
    stated = shares(evidence)
    if not stated:
        return []
    for words, wrong_side in ((_MAJORITY, lambda x: x <= 0.5), (_MINORITY, lambda x: x >= 0.5)):
        said = next((w for w in words if _has(claim, w) and not _has(evidence, w)), None)
        if said is not None and all(wrong_side(x) for x in stated):
            shown = ", ".join(f"{x:.0%}" for x in stated)
            message = f"the claim says '{said}' but the evidence gives a share of {shown}"
            return [Finding(CHECK, said, shown, message)]
    return []


# "without conditions" says the evidence's condition ("only if", "unless") is not there.
_UNCONDITIONAL = ("unconditionally", "unconditional", "without conditions", "without condition",
                  "without preconditions", "with no conditions", "no strings attached")  # fmt: skip
_CONDITIONS = ("only if", "if", "unless", "provided that", "on condition", "conditioned",
               "as long as", "so long as")  # fmt: skip


def unconditional(claim: str, evidence: str) -> list[Finding]:
    """A claim that drops the evidence's condition and says there is none."""
    said = next((w for w in _UNCONDITIONAL if _has(claim, w)), None)
    condition = next((w for w in _CONDITIONS if _has(evidence, w)), None)
    if said is None or condition is None or _has(evidence, said):
        return []
    message = f"the claim says '{said}' but the evidence sets a condition ('{condition}')"
    return [Finding(CHECK, said, condition, message)]
