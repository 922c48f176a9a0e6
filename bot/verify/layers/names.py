"""Names: the people, organisations and places of the claim appear in the evidence."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.verify.layers import nlp
from bot.verify.layers.base import Finding, Verdict, no_opinion, refuse
from bot.verify.layers.syntax import normalize

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token


CHECK = "names"
NAME_ENTS = frozenset({"PERSON", "ORG", "GPE", "NORP", "LOC", "FAC", "EVENT", "LAW"})
# Spellings nobody reads as another entity.
ALIASES = (
    # "Washington" is the US government in this domain's sources.
    frozenset(
        {
            "united states",
            "us",
            "u.s.",
            "usa",
            "u.s.a.",
            "america",
            "american",
            "americans",
            "washington",
        }
    ),
    frozenset({"united nations", "un", "u.n."}),
    frozenset({"united kingdom", "uk", "u.k.", "britain", "great britain"}),
    frozenset({"european union", "eu", "e.u."}),
    frozenset(
        {
            "ngo",
            "ngos",
            "nongovernmental organization",
            "nongovernmental organizations",
            "non-governmental organization",
            "non-governmental organizations",
        }
    ),
)
_DEMONYM_SUFFIXES = ("i", "is", "ian", "ians", "n", "ns", "ese", "ish")
_DROP = {"the", "'s", "'", "of", "and", "for"}


def _parts(span: Span) -> list[str]:
    return [
        t.lower_.replace("\u2019", "'").rstrip(".,;:")
        for t in span
        if t.lower_ not in _DROP and not t.is_punct
    ]


def name_mentions(doc: Doc) -> list[Span]:
    """Named entities, plus capitalized proper nouns the tagger found outside entities."""
    spans = [e for e in doc.ents if e.label_ in NAME_ENTS]
    covered = {t.i for e in doc.ents for t in e}
    spans += [
        doc[t.i : t.i + 1]
        for t in doc
        if (t.pos_ == "PROPN" or _unknown_first_word(t))
        and t.i not in covered
        and t.text[:1].isupper()
        and t.is_alpha
        and not (t.is_sent_start and t.is_stop)
    ]
    return spans


def _unknown_first_word(token: Token) -> bool:
    """A capitalized first word the tagger calls a noun but WordNet does not know: a name
    ("Witkoff held talks" is tagged NOUN by the small model)."""
    return bool(
        token.is_sent_start
        and token.pos_ == "NOUN"
        and token.text[:1].isupper()
        and not nlp.synonyms(token.lower_, None) - {token.lower_}
        and not nlp.synonyms(token.lemma_.lower(), None) - {token.lemma_.lower()}
    )


def _variants(word: str) -> set[str]:
    found = {word}
    for group in ALIASES:
        # Mentions lose their final period ("U.S." is read as "u.s").
        if word in group or word in {alias.rstrip(".") for alias in group}:
            found |= group | {alias.rstrip(".") for alias in group}
    return found


def _country_stem(word: str) -> str:
    """The stem a country name shares with its adjective (Turkey, Turkish: "turk")."""
    for suffix in ("ish", "ian", "ese", "ey", "y", "i", "an"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def _word_in(word: str, evidence_words: set[str], evidence_text: str = "") -> bool:
    variants = _variants(word)
    if variants & evidence_words or any(" " in v and v in evidence_text for v in variants):
        return True
    for other in evidence_words:
        if len(other) < 4 or len(word) < 4:
            continue
        longer, shorter = (other, word) if len(other) > len(word) else (word, other)
        if longer.startswith(shorter) and longer[len(shorter) :] in _DEMONYM_SUFFIXES:
            return True
        stem = _country_stem(word)
        if stem != word and stem == _country_stem(other) and other[:1].isalpha():
            return True
    return False


def _acronym(parts: list[str]) -> str:
    return "".join(p[0] for p in parts if p)


class NamesJudge:
    """Refuses a claim naming someone or something the evidence does not name."""

    name = CHECK

    def judge(self, claim: str, evidence: str) -> Verdict:
        """Full names match by surname; acronyms match their spelled-out form."""
        evidence_doc = nlp.parse(evidence)
        evidence_text = normalize(evidence)
        evidence_words = {t.lower_.replace("\u2019", "'") for t in evidence_doc}
        evidence_acronyms = {_acronym(_parts(s)) for s in name_mentions(evidence_doc)}
        evidence_acronyms |= {
            _acronym(_parts(evidence_doc[i : i + n]))
            for n in (2, 3, 4, 5)
            for i in range(len(evidence_doc) - n + 1)
            if all(t.text[:1].isupper() or t.lower_ in _DROP for t in evidence_doc[i : i + n])
        }
        findings: list[Finding] = []
        for mention in name_mentions(nlp.parse(claim)):
            parts = _parts(mention)
            if not parts or normalize(mention.text).rstrip(".,;:") in evidence_text:
                continue
            if mention.label_ == "PERSON" and len(parts) > 1:
                # A surname is enough, but a first name the evidence contradicts is not.
                if _word_in(parts[-1], evidence_words, evidence_text):
                    continue
            elif all(_word_in(p, evidence_words, evidence_text) for p in parts):
                continue
            if (
                len(parts) == 1
                and parts[0].isalpha()
                and mention.text.isupper()
                and (parts[0] in evidence_acronyms)
            ):
                continue
            if len(parts) > 1 and _acronym(parts) in evidence_words:
                continue
            findings.append(
                Finding(CHECK, mention.text, "", f"{mention.text} is not named in the evidence")
            )
        return refuse(CHECK, *findings) if findings else no_opinion(CHECK)
