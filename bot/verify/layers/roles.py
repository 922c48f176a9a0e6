"""Roles: who did what to whom, from the dependency parse of claim and evidence."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.verify.layers import nlp
from bot.verify.layers.base import Finding, Verdict, no_opinion, refuse
from bot.verify.layers.syntax import lemma, same_word, snippet

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token


CHECK = "roles"
_CLAUSE_DEPS = frozenset({"ccomp", "advcl", "relcl", "xcomp", "conj", "parataxis", "csubj"})
_NOMINAL = frozenset({"NOUN", "PROPN"})


@dataclass(frozen=True)
class Event:
    """A verb with its agents (doers) and the other participants it governs."""

    verb: Token
    agents: frozenset[str]
    others: frozenset[str]


def _key(token: Token) -> str:
    return token.lower_ if token.pos_ == "PROPN" else lemma(token)


def _nominals(token: Token) -> set[str]:
    """Nouns and names under ``token``, not descending into nested clauses."""
    found = {_key(token)} if token.pos_ in _NOMINAL else set()
    for child in token.children:
        if child.dep_ not in _CLAUSE_DEPS:
            found |= _nominals(child)
    return found


def events(doc: Doc) -> list[Event]:
    """Each verb with an agent and at least one other participant."""
    found: list[Event] = []
    for verb in doc:
        if verb.pos_ != "VERB":
            continue
        agents: set[str] = set()
        others: set[str] = set()
        for child in verb.children:
            if child.dep_ == "nsubj" and child.pos_ in _NOMINAL:
                agents.add(_key(child))
            elif child.dep_ == "agent":  # passive "by X"
                agents |= {_key(c) for c in child.children if c.pos_ in _NOMINAL}
            elif child.dep_ not in _CLAUSE_DEPS | {"nsubj", "aux", "auxpass", "neg", "punct"}:
                others |= _nominals(child)
        others -= agents
        if agents and others:
            found.append(Event(verb, frozenset(agents), frozenset(others)))
    return found


class RolesJudge:
    """Refuses a claim that swaps the doer and the one done to."""

    name = CHECK

    def judge(self, claim: str, evidence: str) -> Verdict:
        """For each claim event, the evidence's same event must not have the roles swapped."""
        evidence_events = events(nlp.parse(evidence))
        findings: list[Finding] = []
        for event in events(nlp.parse(claim)):
            same = [e for e in evidence_events if same_word(event.verb, e.verb)]
            if not same or any(e.agents & event.agents for e in same):
                continue
            swapped = next(
                (e for e in same if e.agents & event.others and e.others & event.agents), None
            )
            if swapped is not None:
                findings.append(
                    Finding(
                        CHECK,
                        snippet(event.verb),
                        snippet(swapped.verb),
                        f"the claim has {', '.join(sorted(event.agents))} as the one who "
                        f"'{event.verb.text}'; in the evidence it is "
                        f"{', '.join(sorted(swapped.agents))}",
                    )
                )
        return refuse(CHECK, *findings) if findings else no_opinion(CHECK)
