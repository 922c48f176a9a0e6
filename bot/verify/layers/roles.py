"""Roles: who did what to whom, from the dependency parse of claim and evidence."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.verify.layers import nlp
from bot.verify.layers.base import Finding, Verdict, no_opinion, refuse
from bot.verify.layers.names import ALIASES
from bot.verify.layers.slots import doer_swaps, other_doers, promoted_modifiers, slot_swaps
from bot.verify.layers.syntax import lemma, normalize, same_word, snippet

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token


CHECK = "roles"
_CLAUSE_DEPS = frozenset({"ccomp", "advcl", "relcl", "xcomp", "conj", "parataxis", "csubj"})
_NOMINAL = frozenset({"NOUN", "PROPN"})
SPEECH_VERBS = frozenset(
    [
        "say",
        "tell",
        "announce",
        "report",
        "state",
        "add",
        "note",
        "write",
        "claim",
        "argue",
        "confirm",
        "deny",
    ]
)


# "A rather than B", "from A to B": a claim that swaps A and B reverses the evidence. Each
# side is read as the (up to) four words next to the contrast.
_SIDE = r"((?:[\w'-]+ ){0,3}[\w'-]+)"
_CONTRASTS = (
    re.compile(rf"{_SIDE} (?:rather than|instead of|and not) (?:from |of |with )?{_SIDE}"),
    re.compile(rf"\bfrom {_SIDE} to {_SIDE}"),
)


def _phrase_key(phrase: str, last: bool = False) -> frozenset[str]:
    """The content words of a phrase, for comparing the two sides of a contrast (for the side
    before the contrast, only its last word: "made by him" is "him")."""
    words = [w for w in re.findall(r"[a-z0-9']+", phrase) if w not in _FILLER]
    return frozenset(words[-1:] if last else words)


_FILLER = frozenset(
    {"the", "a", "an", "its", "his", "her", "their", "own", "of", "from", "to", "by", "with"}
)


def _flat(text: str) -> str:
    """Normalized text with dotted initials joined ("u.s." -> "us")."""
    return re.sub(r"\b([a-z])\.([a-z])\.", r"\1\2", normalize(text))


def contrast_swaps(claim: str, evidence: str) -> list[tuple[str, str]]:
    """Contrasts ("A rather than B") the claim states the other way round from the evidence:
    the word just before the claim's contrast is on the evidence's far side, and the claim's
    far side is on the evidence's near side."""
    claim_text, evidence_text = _flat(claim), _flat(evidence)
    swaps: list[tuple[str, str]] = []
    for pattern in _CONTRASTS:
        for c in pattern.finditer(claim_text):
            near, far = _phrase_key(c.group(1), last=True), _phrase_key(c.group(2))
            if not near or not far or near <= far:
                continue
            for e in pattern.finditer(evidence_text):
                e_near, e_far = _phrase_key(e.group(1)), _phrase_key(e.group(2))
                near_moved = bool(near & e_far) and not near & e_near
                far_moved = bool(far & e_near) and not far & e_far
                if near_moved and far_moved:
                    swaps.append((c.group(0), e.group(0)))
    return swaps


def _copulas(doc: Doc) -> list[tuple[Token, list[Token]]]:
    """ "S is A (and B)": each nominal subject of a copula with what the copula says it is."""
    found: list[tuple[Token, list[Token]]] = []
    for token in doc:
        if token.dep_ != "attr" or lemma(token.head) != "be" or token.pos_ not in _NOMINAL:
            continue
        subject = next((c for c in token.head.children if c.dep_ == "nsubj"), None)
        if subject is None or subject.pos_ not in _NOMINAL:
            continue
        found.append((subject, [token, *(c for c in token.subtree if c.dep_ == "conj")]))
    return found


def attribute_mismatches(claim: Doc, evidence: Doc) -> list[Finding]:
    """ "The plaintiffs were officials" where the evidence says "the plaintiffs were citizens"."""
    findings: list[Finding] = []
    evidence_copulas = _copulas(evidence)
    for subject, (attribute, *_) in _copulas(claim):
        same = [(s, a) for s, a in evidence_copulas if lemma(s) == lemma(subject)]
        if not same or any(same_word(attribute, x) for _, things in same for x in things):
            continue
        if any(lemma(attribute) in nlp.hypernyms(lemma(x), "n") for _, xs in same for x in xs):
            continue
        other = same[0][1][0]
        findings.append(
            Finding(
                CHECK,
                snippet(attribute),
                snippet(other),
                f"the claim says {subject.text} {attribute.head.text} '{attribute.text}'; the "
                f"evidence says '{other.text}'",
            )
        )
    return findings


@dataclass(frozen=True)
class Event:
    """A verb with its agents (doers) and the other participants it governs."""

    verb: Token
    agents: frozenset[str]
    others: frozenset[str]


def participant_key(token: Token) -> str:
    """Who a noun names: see :func:`_key`."""
    return _key(token)


def _key(token: Token) -> str:
    """Who a noun names: the surname for a person, one spelling for an aliased country."""
    if token.pos_ != "PROPN":
        return lemma(token)
    compounds = [c.lower_ for c in token.children if c.dep_ == "compound" and c.i < token.i]
    full = " ".join([*compounds, token.lower_])
    for group in ALIASES:
        if full in group or token.lower_ in group:
            return min(group)
    return token.lower_


def _nominals(token: Token) -> set[str]:
    """Nouns and names under ``token``, not descending into nested clauses."""
    found = {_key(token)} if token.pos_ in _NOMINAL else set()
    for child in token.children:
        if child.dep_ not in _CLAUSE_DEPS:
            found |= _nominals(child)
    return found


def _with_conjuncts(token: Token) -> set[str]:
    """A subject and the subjects joined to it ("Qatar and Egypt")."""
    found = {_key(token)}
    for child in token.children:
        if child.dep_ == "conj" and child.pos_ in _NOMINAL:
            found |= _with_conjuncts(child)
    return found


def events(doc: Doc) -> list[Event]:
    """Each verb with a nominal agent, and the other participants it governs."""
    found: list[Event] = []
    for verb in doc:
        if verb.pos_ != "VERB":
            continue
        agents: set[str] = set()
        others: set[str] = set()
        for child in verb.children:
            if child.dep_ == "nsubj" and child.pos_ in _NOMINAL:
                agents |= _with_conjuncts(child)
            elif child.dep_ == "agent":  # passive "by X"
                for noun in child.children:
                    if noun.pos_ in _NOMINAL:
                        agents |= _with_conjuncts(noun)
            elif child.dep_ not in _CLAUSE_DEPS | {"nsubj", "aux", "auxpass", "neg", "punct"}:
                others |= _nominals(child)
        others -= agents
        if agents:
            found.append(Event(verb, frozenset(agents), frozenset(others)))
    return found


def _named_agents(event: Event) -> set[str]:
    return {
        _key(t) for t in event.verb.children if t.dep_ == "nsubj" and t.pos_ == "PROPN"
    } & event.agents


class RolesJudge:
    """Refuses a claim that swaps the doer and the one done to, or names another doer."""

    name = CHECK

    def judge(self, claim: str, evidence: str) -> Verdict:
        """Compare each claim event with the evidence's events of the same verb."""
        evidence_events = events(nlp.parse(evidence))
        findings = [
            Finding(CHECK, mine, theirs, "the claim swaps the two sides the evidence contrasts")
            for mine, theirs in contrast_swaps(claim, evidence)
        ]
        findings += attribute_mismatches(nlp.parse(claim), nlp.parse(evidence))
        findings += slot_swaps(nlp.parse(claim), nlp.parse(evidence))
        findings += doer_swaps(nlp.parse(claim), nlp.parse(evidence))
        findings += other_doers(nlp.parse(claim), nlp.parse(evidence))
        findings += promoted_modifiers(nlp.parse(claim), nlp.parse(evidence))
        for event in events(nlp.parse(claim)):
            same = [e for e in evidence_events if same_word(event.verb, e.verb)]
            if not same or any(e.agents & event.agents for e in same):
                continue
            swapped = next(
                (e for e in same if e.agents & event.others and e.others & event.agents), None
            )
            # Another named doer of the same act ("Breyer dissented", not Roberts); not for
            # verbs of saying, where many speakers say many things.
            named = _named_agents(event) if lemma(event.verb) not in SPEECH_VERBS else set()
            other_doer = next(
                (
                    e
                    for e in same
                    if named
                    and _named_agents(e)
                    and (not e.others or not event.others or e.others & event.others)
                ),
                None,
            )
            rival = swapped or other_doer
            if rival is None:
                continue
            findings.append(
                Finding(
                    CHECK,
                    snippet(event.verb),
                    snippet(rival.verb),
                    f"the claim has {', '.join(sorted(event.agents))} as the one who "
                    f"'{event.verb.text}'; in the evidence it is "
                    f"{', '.join(sorted(rival.agents))}",
                )
            )
        return refuse(CHECK, *findings) if findings else no_opinion(CHECK)
