"""Negation and antonyms: the claim must not flip what the evidence states."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.verify.layers import nlp
from bot.verify.layers.base import Finding, Verdict, no_opinion, refuse
from bot.verify.layers.contrasts import contrasts
from bot.verify.layers.directions import opposite_directions
from bot.verify.layers.syntax import (
    clause_head,
    closest,
    has_negator,
    is_backgrounded,
    is_conditional,
    is_negated,
    lemma,
    normalize,
    noun_negated,
    predicates,
    snippet,
)

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

CHECK = "negation"
# Opposites WordNet does not pair (or pairs only under a rare sense), for this domain.
_DOMAIN_PAIRS = [
    "release:hold",
    "free:hold",
    "release:detain",
    "free:detain",
    "release:capture",
    "accept:reject",
    "approve:reject",
    "convict:acquit",
    "allow:ban",
    "allow:prohibit",
    "permit:prohibit",
    "permit:ban",
    "lift:impose",
    "agree:refuse",
    "support:oppose",
    "uphold:overturn",
    "uphold:strike",
    "confirm:deny",
    "win:lose",
    "succeed:fail",
    "include:exclude",
    "grant:deny",
    "legal:illegal",
    "open:close",
    "increase:decrease",
    "rise:fall",
    "begin:end",
    "start:end",
    "ratify:reject",
    "unanimous:divided",
    "resume:suspend",
    "continue:stop",
    "expand:restrict",
    "survive:kill",
    "survive:die",
    "confirm:dispute",
    "free:captive",
    "release:captive",
    "free:captivity",
    "release:custody",
]
DOMAIN_ANTONYMS: dict[str, set[str]] = {}
for _pair in _DOMAIN_PAIRS:
    _a, _b = _pair.split(":")
    DOMAIN_ANTONYMS.setdefault(_a, set()).add(_b)
    DOMAIN_ANTONYMS.setdefault(_b, set()).add(_a)


def opposites(token: Token) -> set[str]:
    """Antonyms of a predicate: WordNet's and the domain lexicon's."""
    base = lemma(token)
    return set(nlp.antonyms(base, nlp.wordnet_pos(token.pos_))) | DOMAIN_ANTONYMS.get(base, set())


# Verbs that link a subject to a state: "remained a captive", "stayed in custody".
LINKING_VERBS = frozenset({"be", "remain", "stay", "become", "keep", "continue", "still"})
_COMPLEMENTS = frozenset({"attr", "acomp", "oprd"})


def state_opposites(token: Token) -> set[str]:
    """Antonyms of the state a linking verb gives its subject ("remained a captive": the
    opposites of "captive"), including a state named after "in" ("stayed in custody")."""
    if lemma(token) not in LINKING_VERBS:
        return set()
    found: set[str] = set()
    for child in token.children:
        states = [child] if child.dep_ in _COMPLEMENTS else []
        if child.dep_ == "prep" and child.lower_ == "in":
            states = [c for c in child.children if c.dep_ == "pobj"]
        for state in states:
            found |= opposites(state)
    return {w for w in found if w not in LINKING_VERBS}


def _subject(token: Token) -> frozenset[str]:
    """The words of the predicate's subject with its modifiers ("afghan", "taliban"); a
    relative clause's subject is the noun it modifies."""
    head = clause_head(token)
    for verb in (head, head.head if head.dep_ == "conj" else head):
        subject = next((c for c in verb.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
        if subject is not None:
            if subject.tag_ == "WDT" and verb.dep_ == "relcl":
                subject = verb.head
            modifiers = [c for c in subject.children if c.dep_ in {"amod", "compound"}]
            return frozenset(lemma(t) for t in [subject, *modifiers])
    return frozenset()


def other_participants(token: Token, other: Token) -> bool:
    """Whether two predicates plainly have different participants ("leaders survived" and
    "members were killed"), so one cannot contradict the other."""
    mine, theirs = _arguments(token), _arguments(other)
    return bool(mine) and bool(theirs) and not mine & theirs


def same_subject(token: Token, matches: list[Token]) -> list[Token]:
    """The matches about the claim's subject, when some are ("the Afghan Taliban was never
    designated" is compared with that clause, not with "the Pakistani Taliban, which was")."""
    subject = _subject(token)
    shared = [(len(subject & _subject(m)), m) for m in matches]
    best = max((n for n, _ in shared), default=0)
    return [m for n, m in shared if n == best] if best else matches


def modifier_antonyms(claim: Doc, evidence: Doc) -> list[Finding]:
    """ "directly" where the evidence says "indirectly", "unsuccessful" for "successful"."""
    evidence_words = {lemma(t) for t in evidence} | {t.lower_ for t in evidence}
    findings: list[Finding] = []
    for token in claim:
        if token.pos_ not in {"ADJ", "ADV"} or not token.is_alpha:
            continue
        if token.lower_ in evidence_words or lemma(token) in evidence_words:
            continue
        pos = nlp.wordnet_pos(token.pos_)
        claim_words = {lemma(t) for t in claim}
        rivals = [
            t
            for t in evidence
            if t.pos_ == token.pos_
            and lemma(t) in nlp.antonyms(lemma(token), pos)
            and lemma(t) not in claim_words
        ]
        # "no one had ever" is "never": a negative adverb of the evidence matches a claim
        # that negates elsewhere.
        if rivals and rivals[0].lower_ in _NEGATIVE_ADVERBS and has_any_negator(claim):
            continue
        if rivals:
            findings.append(
                Finding(
                    CHECK,
                    snippet(token),
                    snippet(rivals[0]),
                    f"the claim says '{token.text}' where the evidence says '{rivals[0].text}'",
                )
            )
    return findings


_NEGATIVE_ADVERBS = frozenset({"never", "not", "nowhere", "no"})


def _arguments(token: Token) -> set[str]:
    """The nouns and names of a predicate's subject and objects, with their compounds."""
    found: set[str] = set()
    for child in clause_head(token).children:
        if child.dep_ in {"nsubj", "nsubjpass", "dobj", "appos"}:
            found |= {lemma(t) for t in child.subtree if t.pos_ in {"NOUN", "PROPN"}}
    return found


def shares_an_object(token: Token, rival: Token) -> bool:
    """Whether an antonym in the evidence is about the claim's direct object: "held US
    citizenship" is not the opposite of "was freed"; "still held the pilot" is, for the pilot."""
    objects = [c for c in token.children if c.dep_ == "dobj" and c.pos_ in {"NOUN", "PROPN"}]
    if not objects:
        return True
    mine = {lemma(t) for o in objects for t in o.subtree if t.pos_ in {"NOUN", "PROPN"}}
    return bool(mine & _arguments(rival))


# "A rather than B", "A instead of B", "A, not B": the evidence rules B out.
_EXCLUDING = ("rather than", "instead of", "and not", "but not", "not")


def _excluded(evidence: Doc) -> list[Token]:
    """Head nouns the evidence rules out with "rather than", "instead of" or "not B"."""
    found: list[Token] = []
    for token in evidence:
        previous = evidence[token.i - 1].lower_ if token.i > 0 else ""
        if (previous, token.lower_) not in {("rather", "than"), ("instead", "of")}:
            continue
        start = token.i + 1
        for t in evidence[start : start + 6]:
            if t.pos_ in {"NOUN", "PROPN"}:
                found.append(t)
                break
    return found


def excluded_items(claim: Doc, evidence: Doc) -> list[Finding]:
    """A claim that affirms what the evidence rules out ("agreed to a corridor as well as a
    ceasefire" where the evidence says "a corridor rather than a ceasefire")."""
    findings: list[Finding] = []
    claim_text = normalize(claim.text)
    if any(f" {m} " in f" {claim_text} " for m in _EXCLUDING) or has_any_negator(claim):
        return findings
    for noun in _excluded(evidence):
        mine = [t for t in claim if t.pos_ in {"NOUN", "PROPN"} and lemma(t) == lemma(noun)]
        if mine:
            findings.append(
                Finding(
                    CHECK,
                    snippet(mine[0]),
                    snippet(noun),
                    f"the claim affirms '{mine[0].text}', which the evidence rules out",
                )
            )
    return findings


def denied_nouns(claim: Doc, evidence: Doc) -> list[Finding]:
    """ "without any contact" where the evidence has "after direct contacts" (and back)."""
    findings: list[Finding] = []
    for token in claim:
        if token.pos_ != "NOUN" or not _is_without(token):
            continue
        same = [t for t in evidence if t.pos_ == "NOUN" and lemma(t) == lemma(token)]
        if same and not any(noun_negated(t) or _is_without(t) for t in same):
            findings.append(
                Finding(
                    CHECK,
                    snippet(token),
                    snippet(same[0]),
                    f"the claim denies '{token.text}'; the evidence has it",
                )
            )
    return findings


def _is_without(noun: Token) -> bool:
    return noun.dep_ == "pobj" and noun.head.lower_ == "without"


def has_any_negator(doc: Doc) -> bool:
    return any(t.dep_ == "neg" or t.lower_ in {"no", "never", "without", "none"} for t in doc)


# Verbs that say a state went on; "no longer" says it ended.
CONTINUING_VERBS = frozenset({"remain", "stay", "continue", "keep", "retain"})
_NOT_COMPLEMENTS = frozenset(
    {"nsubj", "nsubjpass", "punct", "aux", "auxpass", "neg", "advmod", "mark", "cc", "conj",
     "advcl", "npadvmod"}
)  # fmt: skip


def _no_longer(token: Token) -> bool:
    doc = token.doc
    return any(
        c.lower_ == "longer" and c.i > 0 and doc[c.i - 1].lower_ in {"no", "not"}
        for c in token.children
    )


def _continues(token: Token) -> bool:
    return not is_negated(token) and (
        lemma(token) in CONTINUING_VERBS or any(c.lower_ == "still" for c in token.children)
    )


def _complement_nouns(token: Token) -> set[str]:
    """The nouns and names of what the predicate says about its subject."""
    return {
        lemma(t)
        for child in token.children
        if child.dep_ not in _NOT_COMPLEMENTS
        for t in child.subtree
        if t.pos_ in {"NOUN", "PROPN"}
    }


def ended_or_continued(claim: Doc, evidence: Doc) -> list[Finding]:
    """ "no longer in the post" where the evidence has "remained in the post" (and back)."""
    findings: list[Finding] = []
    evidence_preds = [t for t in evidence if t.pos_ in {"VERB", "AUX"}]
    for token in (t for t in claim if t.pos_ in {"VERB", "AUX"}):
        if _no_longer(token):
            rivals = [e for e in evidence_preds if _continues(e)]
        elif _continues(token):
            rivals = [e for e in evidence_preds if _no_longer(e)]
        else:
            continue
        nouns = _complement_nouns(token)
        rival = next((e for e in rivals if nouns & _complement_nouns(e)), None)
        if rival is not None:
            message = (
                f"the claim says '{token.text}' ended or went on where the evidence says "
                f"the opposite ('{rival.text}')"
            )
            findings.append(Finding(CHECK, snippet(token), snippet(rival), message))
    return findings


def _polarity(token: Token) -> str:
    return "negated" if is_negated(token) else "affirmed"


class NegationJudge:
    """Refuses a claim that negates what the evidence affirms, or swaps in an antonym."""

    name = CHECK

    def judge(self, claim: str, evidence: str) -> Verdict:
        """Same predicate with the other polarity, or its antonym with the same one."""
        claim_doc, evidence_doc = nlp.parse(claim), nlp.parse(evidence)
        evidence_preds = predicates(evidence_doc)
        findings: list[Finding] = []
        for token in predicates(claim_doc):
            negated = is_negated(token)
            matches = same_subject(token, closest(token, evidence_preds))
            flipped = matches and all(is_negated(e) != negated for e in matches)
            # The parse may misplace a negation; a flip counts only when the affirmed side's
            # sentence holds no negating word at all.
            affirmed = [e for e in matches if not is_negated(e)] if negated else [token]
            # A condition ("if the PLO condemned it") asserts neither polarity.
            conditional = any(is_conditional(t) for t in [token, *matches])
            if flipped and not conditional and all(not has_negator(a) for a in affirmed):
                other = matches[0]
                findings.append(
                    Finding(
                        CHECK,
                        snippet(token),
                        snippet(other),
                        f"negation mismatch: the claim has '{token.text}' {_polarity(token)}, "
                        f"the evidence has it {_polarity(other)}",
                    )
                )
                continue
            # "committed" where the evidence has "made no commitment": the event noun's polarity.
            if not matches and token.pos_ == "VERB" and not is_backgrounded(token):
                nouns = [
                    e
                    for e in evidence_doc
                    if e.pos_ == "NOUN" and lemma(e) in nlp.related_forms(lemma(token))
                ]
                if nouns and all(noun_negated(n) != negated for n in nouns):
                    findings.append(
                        Finding(
                            CHECK,
                            snippet(token),
                            snippet(nouns[0]),
                            f"the claim has '{token.text}' {_polarity(token)}, the evidence "
                            f"has '{nouns[0].text}' with the other polarity",
                        )
                    )
                    continue
            still = any(c.lower_ == "still" for c in token.children)
            # Matches about other subjects ("members were killed") leave the claim's own
            # subject to its antonym ("leaders survived").
            elsewhere = bool(matches) and all(other_participants(token, m) for m in matches)
            if matches and not still and not elsewhere:
                continue
            opposite = opposites(token) | state_opposites(token)
            claim_words = {lemma(t) for t in claim_doc}
            rivals = [
                e
                for e in evidence_preds
                if lemma(e) in opposite
                and is_negated(e) == negated
                and lemma(e) not in claim_words  # "alive or dead" names both poles
                and not other_participants(token, e)
                and shares_an_object(token, e)
                and (not elsewhere or bool(_arguments(token) & _arguments(e)))
            ]
            if rivals:
                findings.append(
                    Finding(
                        CHECK,
                        snippet(token),
                        snippet(rivals[0]),
                        f"the claim says '{token.text}' where the evidence says the opposite, "
                        f"'{rivals[0].text}'",
                    )
                )
        findings += modifier_antonyms(claim_doc, evidence_doc)
        findings += excluded_items(claim_doc, evidence_doc)
        findings += denied_nouns(claim_doc, evidence_doc)
        findings += ended_or_continued(claim_doc, evidence_doc)
        findings += opposite_directions(claim_doc, evidence_doc)
        findings += contrasts(claim_doc, evidence_doc)
        return refuse(CHECK, *findings) if findings else no_opinion(CHECK)
