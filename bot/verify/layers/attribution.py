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
        "emphasize",
        "emphasise",
        "stress",
        "conclude",
        "assess",
        "judge",
        "consider",
        "view",
    ]
)
# Verbs that give their object a description: "described the talks as a break".
DESCRIBING_VERBS = frozenset(
    ["describe", "call", "characterize", "characterise", "portray", "label", "brand", "dub",
     "term", "regard", "view", "consider", "frame", "hail", "denounce", "condemn"]
)  # fmt: skip
# Verbs that present their complement as established; evidence that only argues it does not
# license them.
FACTIVE_VERBS = frozenset(
    ["show", "prove", "establish", "demonstrate", "confirm", "reveal", "find", "know"]
)
# Verbs by which a claim names who said it: "X reported that V", "X warned that V" (the claim
# is then an attributed claim, judged as the source's statement).
CLAIM_SOURCES = frozenset(
    [
        "report",
        "warn",
        "announce",
        "acknowledge",
        "admit",
        "confirm",
        "deny",
        "predict",
        "ask",
        "declare",
        "insist",
        "urge",
        "tell",
        "write",
        "add",
        "stress",
        "emphasize",
        "caution",
    ]
)
# "According to final results", "the plan said": a record's content, not someone's view.
RECORDS = frozenset(
    [
        "result",
        "results",
        "report",
        "reports",
        "figure",
        "figures",
        "data",
        "record",
        "records",
        "count",
        "tally",
        "statistic",
        "statistics",
        "document",
        "documents",
        "filing",
        "poll",
        "plan",
        "agreement",
        "deal",
        "treaty",
        "law",
        "statute",
        "act",
        "bill",
        "resolution",
        "memorandum",
        "text",
        "order",
        "directive",
        "ruling",
        "decision",
        "framework",
        "proposal",
    ]
)
# "According to final results", "according to Axios and Israeli media": reported facts.
_FACT_SOURCES = (
    r"results?|reports?|reporting|figures?|data|records?|count|tally|statistics?|documents?"
    r"|filings?|media|press|outlets?"
)
_FRAMES = re.compile(
    rf"\baccording to (?![^,.;]{{0,60}}\b(?:{_FACT_SOURCES})\b)"
    r"|\bin (?:the )?[\w' ]{0,40}?(?:'s?|s')? "
    r"(?:view|reading|opinion|assessment|interpretation|words|telling|account|estimation)\b"
    r"|\b(?:reading|view|argument|contention|position|opinion|interpretation|claim) is that\b"
    r"|\bin (?:his|her|their|its|our|my) (?:view|reading|opinion|assessment|words)\b",
)


def _subjects(verb: Token) -> list[Token]:
    """The verb's subjects; a participle or conjunct without one shares its head's ("Trump
    defended the talks, saying ...")."""
    subjects = [c for c in verb.children if c.dep_ in {"nsubj", "nsubjpass"}]
    if not subjects and verb.dep_ in {"advcl", "conj"} and verb.head is not verb:
        subjects = [c for c in verb.head.children if c.dep_ in {"nsubj", "nsubjpass"}]
    return subjects


def _reported_part(verb: Token) -> set[int]:
    """The tokens a verb of saying reports: its complements and a "because" clause after it,
    and any "that"-clause the parse hung on one of its modifiers ("said on 11 May that ...")."""
    found: set[int] = set()
    for child in verb.children:
        sub = list(child.subtree)
        described = child.dep_ == "prep" and child.lower_ == "as"
        if (
            child.dep_ in {"ccomp", "xcomp", "oprd", "dobj"}
            or (described and lemma(verb) in DESCRIBING_VERBS)
            or child.dep_ == "advcl"
            and any(c.dep_ == "ccomp" and c.i < child.i for c in verb.children)
        ):
            found |= {t.i for t in sub}
        elif child.dep_ not in {"nsubj", "nsubjpass", "aux", "neg", "punct", "cc"}:
            mark = next(
                (t for t in sub if t.dep_ == "mark" and t.lower_ in {"that", "whether"}), None
            )
            if mark is not None:
                found |= {t.i for t in sub if t.i >= mark.i}
    return found


def _reporters(doc: Doc | Span, verbs: frozenset[str] | None = None) -> list[Token]:
    """Verbs of saying, believing or showing that have a real subject and a complement."""
    verbs = verbs if verbs is not None else REPORTING_VERBS | FACTIVE_VERBS
    found: list[Token] = []
    for token in doc:
        if token.pos_ != "VERB" or lemma(token) not in verbs:
            continue
        subjects = _subjects(token)
        reports = token.dep_ == "parataxis" or bool(_reported_part(token))
        speakers = [s for s in subjects if s.lower_ not in {"it", "there"}]
        if reports and speakers and not all(lemma(s) in RECORDS for s in speakers):
            found.append(token)
    return found


def attributed_tokens(doc: Doc) -> set[int]:
    """Indices of the tokens that state someone's view: the complement of a verb of saying or
    believing, or the whole sentence under a frame ("according to X", "in X's reading").

    Reporting that presents a fact ("Axios reported", "Leavitt confirmed") does not count.
    """
    found: set[int] = set()
    for sent in doc.sents:
        if _FRAMES.search(normalize(sent.text)):
            found |= {t.i for t in sent}
            continue
        for verb in _reporters(sent):
            if lemma(verb) not in REPORTING_VERBS:
                continue
            if verb.dep_ == "parataxis":
                found |= {t.i for t in verb.head.subtree} - {t.i for t in verb.subtree}
            found |= _reported_part(verb)
    return found


def source_tokens(doc: Doc) -> set[int]:
    """Indices of the words that name a claim's source and its verb ("The essay says", "According
    to Axios"): they need not appear in the evidence, which is the source's own text."""
    found: set[int] = set()
    for verb in _reporters(doc):
        found.add(verb.i)
        for child in verb.children:
            if child.dep_ in {"nsubj", "nsubjpass", "aux", "mark"}:
                found |= {t.i for t in child.subtree}
    for token in doc:
        if (
            token.lower_ == "according"
            and token.i + 1 < len(doc)
            and doc[token.i + 1].lower_ == "to"
        ):
            found |= {t.i for t in token.subtree} | {t.i for t in doc[token.i + 1].subtree}
    return found


def _marker(span: Doc | Span) -> str:
    frame = _FRAMES.search(normalize(span.text))
    if frame:
        return frame.group()
    views = [v.text for v in _reporters(span) if lemma(v) in REPORTING_VERBS]
    return views[0] if views else ""


class AttributionJudge:
    """Refuses a bare claim whose content the evidence only reports as someone's view."""

    name = CHECK

    def judge(self, claim: str, evidence: str) -> Verdict:
        """Claim words found only inside attributed spans make the claim an attributed view."""
        claim_doc, evidence_doc = nlp.parse(claim), nlp.parse(evidence)
        claim_lemmas = content_lemmas(claim_doc)
        inside = attributed_tokens(evidence_doc)
        if not claim_lemmas or not inside:
            return no_opinion(CHECK)
        attributed = content_lemmas(t for t in evidence_doc if t.i in inside)
        plain = content_lemmas(t for t in evidence_doc if t.i not in inside)
        only_attributed = (claim_lemmas & attributed) - plain
        # The claim's main predicate found only in a view is that view, however few words.
        roots = {lemma(t) for t in claim_doc if t.dep_ == "ROOT"} & only_attributed
        if not roots and len(only_attributed) < max(1, round(0.3 * len(claim_lemmas))):
            return no_opinion(CHECK)
        source = next(
            s
            for s in evidence_doc.sents
            if any(t.i in inside and lemma(t) in only_attributed for t in s)
        )
        marker = _marker(source)
        claim_reporters = _reporters(claim_doc, REPORTING_VERBS | FACTIVE_VERBS | CLAIM_SOURCES)
        claim_verb = claim_reporters[0] if claim_reporters else None
        # "X showed that V" presents V as established, unless a verb of saying frames it all
        # ("Hamas had shown good faith, Trump said").
        saying = [v for v in claim_reporters if lemma(v) not in FACTIVE_VERBS]
        if claim_verb is not None and lemma(claim_verb) in FACTIVE_VERBS and not saying:
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
                ", ".join(sorted(only_attributed)),
                source.text,
                f"the evidence attributes this view ('{marker}'); the claim states it as fact",
            ),
        )


def _prefix_verb(doc: Doc, prefix_end: int) -> Token | None:
    """The verb of saying that ends a claim's source prefix (the last verb before
    ``prefix_end``, a character offset)."""
    verbs = [t for t in doc if t.pos_ in {"VERB", "AUX"} and t.idx < prefix_end]
    return verbs[-1] if verbs else None


def names_a_clause(claim: str, prefix: str) -> bool:
    """Whether the source prefix's verb reports a clause ("Leavitt said the talks were
    useful"), not a thing ("Leavitt described the substance of the talks": no prefix then,
    the whole claim is what it asserts)."""
    if prefix.rstrip().endswith((",", ":", " that")) or prefix.lower().startswith(
        ("according", "as ")
    ):
        return True
    verb = _prefix_verb(nlp.parse(claim), len(prefix))
    if verb is None:
        return True
    kinds = {c.dep_ for c in verb.children}
    return not ("dobj" in kinds and not kinds & {"ccomp", "parataxis", "xcomp"})


# Words that name a document, not a speaker ("the essay says", "the brief notes").
DOCUMENT_WORDS = frozenset(
    ["essay", "document", "brief", "source", "passage", "article", "report", "text", "paper",
     "author", "seed", "study", "analysis", "statement", "record"]
)  # fmt: skip
_SPEECH = REPORTING_VERBS | CLAIM_SOURCES


def _key_lemmas(token: Token) -> set[str]:
    """Content lemmas of a nominal with its compounds and modifiers ("a senior Hamas
    official": senior, hamas, official)."""
    return {w for t in token.subtree if t.is_alpha and not t.is_stop for w in (lemma(t), t.lower_)}


def _claim_speaker(doc: Doc, prefix_end: int) -> Token | None:
    """The speaker the claim's source prefix names ("Hamas said", "according to Axios")."""
    for token in doc:
        if token.idx >= prefix_end:
            break
        if token.lower_ == "to" and token.i and doc[token.i - 1].lower_ == "according":
            objects = [c for c in token.children if c.dep_ == "pobj"]
            return objects[0] if objects else None
    verb = _prefix_verb(doc, prefix_end)
    if verb is None or lemma(verb) not in _SPEECH:
        return None
    subjects = _subjects(verb)
    return subjects[0] if subjects else None


def speaker_mismatches(claim: str, prefix: str, evidence: str) -> list[Finding]:
    """A claim that names who said it ("Hamas said it ordered") where the evidence has
    someone else say it ("Netanyahu said he ordered"): the speaker is part of the claim.

    Compared only when the evidence reports the claim's predicate with a named speaker;
    the outlet a speaker told ("told the AP") counts as a source too."""
    claim_doc = nlp.parse(claim)
    speaker = _claim_speaker(claim_doc, len(prefix))
    if speaker is None or speaker.pos_ == "PRON":
        return []
    wanted = _key_lemmas(speaker)
    if not wanted or wanted & DOCUMENT_WORDS:
        return []
    body = {lemma(t) for t in claim_doc if t.idx >= len(prefix) and t.pos_ in {"VERB", "NOUN"}}
    evidence_doc = nlp.parse(evidence)
    speakers: list[Token] = []
    for verb in _reporters(evidence_doc, _SPEECH):
        reported = {lemma(evidence_doc[i]) for i in _reported_part(verb)}
        if not reported & body:
            continue
        named = set().union(*(_key_lemmas(s) for s in _subjects(verb)))
        others = {
            lemma(t)
            for c in verb.children
            if c.dep_ in {"dative", "dobj", "prep", "npadvmod", "advcl"}
            for t in c.subtree
        }  # fmt: skip
        if any(s.pos_ == "PRON" for s in _subjects(verb)) or wanted & (named | others):
            return []
        speakers += _subjects(verb)
    if not speakers:
        return []
    said = speakers[0]
    return [
        Finding(
            CHECK,
            speaker.text,
            " ".join(t.text for t in said.subtree),
            f"the claim has {speaker.text} say it; the evidence has "
            f"{' '.join(t.text for t in said.subtree)} say it",
        )
    ]
