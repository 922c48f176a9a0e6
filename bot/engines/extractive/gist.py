"""The gist of a user's move in the user's own words, short enough to name it in a lead-in.

"You say that the envoy had the authority to hold them; ..." answers the argument in front
of the bot only if the words are the user's. The gist is a clause cut from the move: its
first sentence that states something (not a lead-in or a report of the bot), without the
discourse markers that open it, up to the first clause break. No gist is better than a
wrong one: a clause that speaks in the first or second person, holds a number (framing
carries no numbers), or is too short or too long to read as a clause gives none.
"""

from __future__ import annotations

import re

from bot.text import features as tf
from retrieval.ingest.chunking import split_sentences

MIN_WORDS = 5
MAX_WORDS = 16
SHORT_GRANT_WORDS = 6  # "True, as reported." grants the report before it

_OPENER = re.compile(
    r"^\W*(?:(?:and|but|so|yet|now|then|still|first|second|third|finally|next|also|indeed|"
    r"of course|in fact|after all|meanwhile),?\s+)+",
    re.IGNORECASE,
)
_BREAK = re.compile(r"\s*(?:;|:|\u2014|--|\(|,\s+(?:and|but|yet|while|which|so)\b)")
_PERSON = re.compile(
    r"\b(?:i|i'm|i've|i'll|i'd|me|my|mine|we|we're|we've|us|our|ours|you|you're|you've|your|"
    r"yours|opponent|opponent's)\b",
    re.IGNORECASE,
)
_LEADS_ON = re.compile(
    r"\b(?:let me|let's|here is|here are|consider|take|ask|tell|name|show)\b|\?", re.IGNORECASE
)
_ENDS_BADLY = frozenset(tf.STOPWORDS)
# A clause opening on one of these is an instruction to the audience, not a claim.
_IMPERATIVE = frozenset(
    [
        "look",
        "notice",
        "remember",
        "recall",
        "consider",
        "take",
        "ask",
        "tell",
        "name",
        "show",
        "weigh",
        "set",
        "compare",
        "imagine",
        "suppose",
        "think",
        "put",
        "see",
        "note",
        "read",
        "watch",
        "give",
        "grant",
        "let",
        "test",
        "follow",
        "turn",
        "start",
        "begin",
        "judge",
        "count",
        "check",
        "listen",
        "ignore",
        "forget",
    ]
)
# ... and one opening on a back-reference names nothing out of its context.
_ANAPHORIC = frozenset(
    ["that", "this", "these", "those", "it", "they", "such", "both", "either", "neither"]
)
# Words that leave a clause cut short before a number hanging ("on the night", "in the early").
_DANGLING = frozenset(
    ["night", "day", "morning", "evening", "early", "late", "mid", "week", "month", "year"]
)
# Openers that name the user's move, rotated so that no one phrase dominates a speech.
OPENERS = ("You say that", "You argue that", "Your claim is that", "You tell us that")


# A leading time or place adverbial that carries a number ("In May 2024, ...").
# A topic the sentence opens on ("On the law, none was named"; "As for the veto, ...").
_TOPIC_OPENER = re.compile(
    r"^(?i:on|as for|as to|regarding|about)\s+(?:[^\s,]+\s+){0,3}?[^\s,]+,\s+"
)
_DATED_OPENER = re.compile(
    r"^(?i:in|on|by|since|after|before|during|until|from|at)\s+(?:\S+\s+){0,3}?\S*\d\S*"
    r"(?:\s+[A-Z][a-z]+)?,?\s+"
)


def _without_numbers(text: str) -> str:
    """The clause up to its first word with a digit (framing carries no numbers)."""
    words = text.split()
    for n, word in enumerate(words):
        if any(ch.isdigit() for ch in word):
            kept = words[:n]
            while kept and kept[-1].lower().strip(",") in _ENDS_BADLY:
                kept.pop()
            return " ".join(kept).rstrip(",")
    return text


def _clause(sentence: str) -> str | None:
    text = _OPENER.sub("", sentence.strip())
    text = _DATED_OPENER.sub("", text)
    text = _TOPIC_OPENER.sub("", text)
    cut = _BREAK.search(text)
    if cut:
        text = text[: cut.start()]
    text = _without_numbers(text.strip().rstrip(".!,"))
    words = text.split()
    if not MIN_WORDS <= len(words) <= MAX_WORDS:
        return None
    if words[-1].lower() in _ENDS_BADLY or _PERSON.search(text) or _LEADS_ON.search(text):
        return None
    first = words[0].lower().strip(",")
    if first in _IMPERATIVE or first in _ANAPHORIC or words[-1].lower() in _DANGLING:
        return None
    if tf.numbers(tf.tokenize(text)) or any(ch.isdigit() for ch in text):
        return None
    if words[0][:1].isupper() and (first in tf.STOPWORDS or first.endswith("ing")):
        text = text[0].lower() + text[1:]
    return text


def user_gist(text: str, loose: bool = False) -> str | None:
    """The clause that names the move, in the user's words; None when none reads well.

    ``loose`` also takes the clause a speaker's own frame introduces ("Tonight I will show
    that X", "My point is that X" give X), when no sentence reads well as it stands.
    """
    sentences = [text[start:end] for start, end in split_sentences(text)]
    for sentence in sentences:
        gist = _clause(sentence)
        if gist:
            return gist
    if loose:
        for sentence in sentences:
            frame = _FRAMED.match(sentence)
            gist = _clause(sentence[frame.end() :]) if frame else None
            if gist:
                return gist
    return None


# A speaker's own frame around the clause it asserts, up to its "that".
_FRAMED = re.compile(
    r"^[^,;:]*?\b(?:i|we|my \w+|our \w+)\b[^,;:]*?\bthat\s+(?!is\b|was\b)", re.IGNORECASE
)


# The speaker's own grant: "I accept that", "I'll grant that", "I conceded that".
_GRANTS = re.compile(
    r"^.*?\bi(?:'ll| will| can| do| have|'ve)?\s+(?:freely\s+|happily\s+|readily\s+)?"
    r"(?:grant(?:ed)?|accept(?:ed)?|concede[sd]?|admit(?:ted)?|acknowledge[sd]?|agree[sd]?)"
    # "I conceded two things: X, and Y" grants X (and Y).
    r"(?:\s+(?:that|with you that|(?:one|two|three|several|some|a few) (?:things?|points?)\s*:))?"
    r"\s+",
    re.IGNORECASE,
)


# "Yes, X", "True, X"; and the report a short grant concedes ("My opponent says X. True.").
_AFFIRMS = re.compile(r"^\W*(?:yes|true|granted|sure|agreed|conceded|fair enough)\W+", re.I)
_REPORTED = re.compile(
    r"^\W*(?:\w+\W+){0,3}?(?:my opponent|the other side|the opposition)\s+(?:also\s+|now\s+|"
    r"then\s+)?(?:says|said|claims|claimed|argues|argued|tells us|told us)(?:\s+that)?\s+",
    re.IGNORECASE,
)


def granted_gist(text: str) -> str | None:
    """What a concession grants, in the user's words ("I accept that X" gives "X")."""
    sentences = [text[start:end] for start, end in split_sentences(text)]
    short_grant = any(len(s.split()) <= SHORT_GRANT_WORDS for s in sentences[1:])
    patterns = (_GRANTS, _AFFIRMS, _REPORTED) if short_grant else (_GRANTS, _AFFIRMS)
    for pattern in patterns:
        for sentence in sentences:
            cut = pattern.match(sentence)
            rest = sentence[cut.end() :] if cut else ""
            if not rest or re.match(r"(?:and|but|or)\b", rest, re.IGNORECASE):
                continue
            gist = _clause(rest)
            if gist and _reads_as_clause(gist):
                return gist
    return None


_FINITE = frozenset(
    [
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "has",
        "have",
        "had",
        "do",
        "does",
        "did",
        "can",
        "could",
        "will",
        "would",
        "shall",
        "should",
        "may",
        "might",
        "must",
        "stays",
        "stayed",
        "remains",
        "remained",
        "holds",
        "held",
        "met",
        "made",
        "took",
        "gave",
        "went",
        "came",
        "said",
        "knew",
        "saw",
        "sat",
        "ran",
        "won",
        "lost",
        "led",
        "kept",
        "left",
        "got",
        "told",
        "brought",
        "fought",
    ]
)


def _reads_as_clause(text: str) -> bool:
    """Whether a grant reads as a clause ("the envoy was moved off the file"), not a bare
    noun phrase ("the law at the outset"), which "You concede that ..." would garble: it
    needs a word past its first that is a common finite verb or ends in -ed."""
    words = [w.strip(",.;:").lower() for w in text.split()[1:]]
    return any(w in _FINITE or (w.endswith("ed") and len(w) > 4) for w in words)


QUESTION_MAX_WORDS = 18
_ASKS = re.compile(r"^.*?(?:question|ask|asked|answer)\b[^:?]*:\s*", re.IGNORECASE)


def question_gist(text: str) -> str | None:
    """The user's question, whole, when it is short and names no speaker ("Which statute
    forbids an official from speaking to Hamas?"); None otherwise."""
    for start, end in reversed(split_sentences(text)):
        sentence = text[start:end].strip()
        if not sentence.endswith("?"):
            continue
        sentence = _OPENER.sub("", _ASKS.sub("", sentence)).strip()
        words = sentence.split()
        if not MIN_WORDS <= len(words) <= QUESTION_MAX_WORDS or _PERSON.search(sentence):
            return None
        if any(ch.isdigit() for ch in sentence):
            return None
        return sentence[0].upper() + sentence[1:]
    return None
