"""Reading a user's speech as debate moves: claims, questions, precedents, concessions,
challenges to the bot's case, and pressure.

The split is lexical and deterministic: sentences are classified by their form (a question
mark, a concession marker, a reference to the opponent, an analogy), and sentences that
continue the same move are merged. Matching a move to the argument map happens elsewhere;
this module only finds the moves and their kinds.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from retrieval.ingest.chunking import split_sentences

MoveKind = Literal["claim", "question", "precedent", "concession", "challenge", "pressure"]

MAX_SENTENCES = 40
MIN_WORDS = 4
GRANT_WORDS = 6  # a concession this short ("True, as reported.") grants the sentence before

_QUESTION_START = re.compile(
    r"^\s*(?:so\s+|and\s+|but\s+|then\s+|tell me,?\s+|honestly,?\s+)?"
    r"(?:who|what|when|where|which|why|how|is|are|was|were|do|does|did|can|could|will|would|"
    r"should|has|have|had|isn't|aren't|doesn't|didn't|won't|wouldn't|shouldn't)\b",
    re.IGNORECASE,
)
_ENUMERATOR = r"(?:(?:one|two|three|four|first|second|third|finally|\d+)\s*[:.)]\s*)?"
_ASK = re.compile(
    r"^\s*" + _ENUMERATOR + r"(?:name|tell us|tell me|show me|show us|explain|point to|give me|"
    r"give us|cite|identify)\b"
    r"|\b(?:i ask|my question is|answer this|answer me|i challenge you to)\b"
    # "So my question to my opponent is simple: name one agreement that ..."
    r"|\bquestion\b[^.?!]{0,40}:\s*(?:name|tell|show|explain|point to|give|cite|identify)\b",
    re.IGNORECASE,
)
_CONCESSION = re.compile(
    r"\b(?:i(?:'ll| will| can| do| must| would)?\s+(?:freely\s+|happily\s+|readily\s+)?"
    r"(?:grant(?:s|ed)?|accept(?:s|ed)?|concede[sd]?|admit(?:s|ted)?|acknowledge[sd]?|"
    r"allow(?:s|ed)?)\b"
    # "granted", "yes" and "sure" grant only where they open the sentence ("Granted, ...");
    # "even if" / "even though" only where they open a clause, not inside a main clause.
    r"|^\W*granted\b|\bgranted that\b|\badmittedly\b|\bfair enough\b"
    r"|(?:^|[:;,\u2014]\s*)\W*(?:but |and |so )?even (?:if|though)\b"
    r"|\bi take (?:the|your) point\b|\btrue enough\b|\bit is true that\b|\bit's true that\b"
    r"|\bi agree (?:that|with)\b|^\W*(?:sure|yes),|\bno one denies\b|\bnobody denies\b"
    r"|\bi (?:will not|won't|do not|don't|cannot|can't) (?:contest|dispute|deny)\b"
    r"|\bmy opponent is right (?:that|about)\b|\byou(?:'re| are) right (?:that|about)\b"
    # The speaker's own concession, not a third party's ("Both words concede my point").
    r"|\b(?:let me|i(?:'ll| will| must| have|'ve| do| can)?)\s+(?:concede[sd]?|conceding)\b"
    r"|\b(?:by|in|after) conceding\b"
    r"|^\W*(?:true|conceded|agreed|correct)\b\W"
    # "... is accurate." grants; "... is real influence" merely describes.
    r"|\b(?:is|are|was|were) (?:accurate|real|true|correct)(?=\s*(?:[,.;:!]|$|and\b|but\b))"
    r"|\bi(?:'ve| have) never (?:argued|said|claimed|denied) otherwise\b)",
    re.IGNORECASE,
)
# After a concession marker, the pivot back to the speaker's own case.
_PIVOT = re.compile(
    r"(?:,|;|\u2014|--)\s*(?:but|yet|however|still|and yet|nevertheless)\b|\.\s+but\b",
    re.IGNORECASE,
)
_CHALLENGE = re.compile(
    r"\b(?:my (?:opponent|friend|honou?rable opponent)s?|the (?:other|opposing) side|"
    r"the (?:opposition|proposition)|the bot|you (?:say|said|claim|claimed|keep|kept|argue|"
    r"argued|told|cited|quoted|mentioned|insist|insisted|rely|relied|suggest|suggested|"
    r"point|pointed|want|wanted|tried|try|assert|asserted|call|called|describe|described)|"
    r"your (?:point|argument|claim|case|evidence|source|sources|quote|citation|reading|"
    r"example|last|whole|own)|you(?:'ve| have) (?:said|claimed|argued|cited|quoted))\b",
    re.IGNORECASE,
)
# The opponent as the one conceding ("my opponent conceded"), and the speaker speaking.
_OPPONENT_SUBJECT = re.compile(
    r"\b(?:my (?:opponent|friend|honou?rable opponent)s?|the (?:other|opposing) side|"
    r"the (?:opposition|proposition|government|bot)|you|they)\s+(?:\w+\s+){0,2}?"
    r"(?:concede[sd]?|conceding|admit(?:s|ted)?|admitting|accept(?:s|ed)?|grant(?:s|ed)?|"
    r"acknowledge[sd]?|agree[sd]?)\b",
    re.IGNORECASE,
)
_FIRST_PERSON = re.compile(r"\b(?:i|i'll|i'm|i've|we|let me|let us)\b", re.IGNORECASE)
_PRECEDENT = re.compile(
    r"\b(?:precedents?|analog(?:y|ies|ous)|just as|just like|the same way|the same thing|"
    r"same playbook|history (?:shows|tells|teaches)|historically|in the past|remember (?:when|"
    r"how)|look at (?:how|what|the)|compare|comparison|parallel|model for|template for|"
    r"did (?:it|this|the same) (?:with|before|in)|has done (?:it|this|so) before|"
    r"did so before|before with|as (?:it|they|we) did with)\b",
    re.IGNORECASE,
)
# A named case set beside another: "Like Selby Cross, ...", "as Norway did with ...",
# "the Ostmark example", "look at Ostmark". The name is a capitalised word (case-sensitive);
# the comparison words are not.
_NAME = r"[A-Z][\w'\u2019-]+(?:\s+[A-Z][\w'\u2019-]+)*"
_CASE_COMPARISON = re.compile(
    r"\b(?i:just like|like|unlike|compared? (?:with|to)|look at|as with|as in)\s+(?:the\s+)?"
    + _NAME
    + r"|\b(?i:as)\s+(?:the\s+)?"
    + _NAME
    + r"\s+(?i:did|has done|had done|does)\b"
    + r"|\b"
    + _NAME
    + r"(?:'s|\u2019s)?\s+(?i:case|example|experience|model|precedent|playbook)\b"
)
# Words that only weigh or point ("That is the precedent that matters.", "The answer is
# obvious."): a short sentence made of nothing else goes with the move before it.
_EVALUATIVE_TEXT = """
    that this it is was are be the a an what which so here there precedent precedents
    matters matter point points answer answers question obvious clear simple plain real
    true key thing things issue whole case lesson really all one only important decisive
    telling that's it's here's"""
_EVALUATIVE = frozenset(_EVALUATIVE_TEXT.split())
EVALUATIVE_WORDS = 8
_PRESSURE_PATTERNS = [
    r"\b(?:ignore|disregard|forget|override|bypass)\b.{0,40}\b(?:instructions?|rules?|prompts?"
    r"|guidelines?|programming|assignment|constraints?)\b",
    r"\b(?:admit|concede|confess|accept|acknowledge)\b.{0,30}\b(?:you(?:'re| are| were)|your "
    r"(?:side|case|position) (?:is|was))\b.{0,20}\b(?:wrong|mistaken|losing|lost|incorrect)\b",
    r"\b(?:argue|defend|take|support|switch to|join)\b.{0,20}\b(?:my|our|the other|the opposite"
    r"|the opposing)\s+(?:side|position|case)\b",
    r"\b(?:switch(?:ed|ing)?|change[ds]?|swap(?:ped)?|flip(?:ped)?)\b.{0,10}"
    r"\b(?:sides?|positions?|stances?)\b",
    r"\bfrom now on,? you\b|\byou (?:now |must |should )?argue (?:for|my|our)\b"
    r"|\binstructions (?:you were given |you have )?(?:are|were) "
    r"(?:outdated|wrong|void|cancelled)\b",
    r"\b(?:you (?:now )?agree with me|say (?:that )?i(?:'m| am) right|i(?:'m| am) right and you|"
    r"just admit|admit (?:it|that you)|you know i(?:'m| am) right)\b",
    r"\b(?:system prompt|developer mode|jailbreak|pretend (?:to be|you are)|you are now|"
    r"act as|role-?play|new instructions)\b",
    r"\b(?:stop|quit|give up)\b.{0,15}\b(?:arguing|debating|defending)\b",
]
_PRESSURE = re.compile("|".join(f"(?:{p})" for p in _PRESSURE_PATTERNS), re.IGNORECASE | re.DOTALL)
_FILLER = re.compile(
    r"^\s*(?:thank you|thanks|ladies and gentlemen|good (?:morning|afternoon|evening)|"
    r"let me (?:start|begin|turn|move|close)|i have (?:two|three|four|several) points|"
    r"(?:first|second|third|finally|next|to close|in closing|in conclusion)[,.:]?\s*$)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Move:
    """One move of the user's speech: its kind and its exact span in the speech."""

    kind: MoveKind
    start: int
    end: int
    text: str


def is_pressure(text: str) -> bool:
    """True when the text tries to move the bot off its side or its rules."""
    return bool(_PRESSURE.search(text))


def _describes_opponent(sentence: str, marker: int) -> bool:
    """Whether the concession marker at ``marker`` only describes the opponent ("My opponent
    conceded nothing", "You admitted it is real"): a concession is the speaker's own grant."""
    before = sentence[:marker]
    return bool(_OPPONENT_SUBJECT.search(before)) and not _FIRST_PERSON.search(before)


def sentence_kind(sentence: str) -> MoveKind:
    """The kind of move one sentence makes, judged by its form."""
    if is_pressure(sentence):
        return "pressure"
    stripped = sentence.rstrip(" \"'\u201d)")
    if stripped.endswith("?") or _ASK.search(sentence):
        return "question"
    if _QUESTION_START.match(sentence) and stripped.endswith("?"):
        return "question"
    grant = _CONCESSION.search(sentence)
    if grant and not _describes_opponent(sentence, grant.start()):
        return "concession"
    if _CHALLENGE.search(sentence):
        return "challenge"
    if _PRECEDENT.search(sentence) or _CASE_COMPARISON.search(sentence):
        return "precedent"
    return "claim"


def _split_concession(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """A concession followed by a pivot ("I grant X, but Y") becomes two spans."""
    segment = text[start:end]
    marker = _CONCESSION.search(segment)
    if not marker:
        return [(start, end)]
    pivot = _PIVOT.search(segment, marker.end())
    if not pivot or len(segment[pivot.end() :].split()) < MIN_WORDS:
        return [(start, end)]
    cut = start + pivot.start()
    rest = start + pivot.start() + (1 if segment[pivot.start()] in ",;." else 0)
    while rest < end and text[rest] in " \u2014-":
        rest += 1
    return [(start, cut), (rest, end)]


def _spans(speech: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    for s, e in split_sentences(speech)[:MAX_SENTENCES]:
        spans.extend(_split_concession(speech, s, e))
    return spans


def _takes_previous(previous: Move) -> bool:
    """Whether a short grant ("I accept that.") concedes the sentence before it."""
    return previous.kind in ("claim", "challenge", "precedent")


def _only_weighs(text: str) -> bool:
    """A short sentence with no words beyond weighing and pointing ones."""
    words = re.findall(r"[\w'\u2019]+", text.lower().replace("\u2019", "'"))
    return 0 < len(words) <= EVALUATIVE_WORDS and all(w in _EVALUATIVE for w in words)


def split_moves(speech: str) -> list[Move]:
    """The speech's moves in order, one per sentence (or per half of "I grant X, but Y").

    A short concession ("I accept that.", "Granted.", "True, as reported.") turns the
    statement before it into the concession it makes. Adjacent sentences making the same
    point are merged later, once they are matched to the map.
    """
    moves: list[Move] = []
    for s, e in _spans(speech):
        text = speech[s:e].strip()
        short = len(text.split()) < MIN_WORDS
        grants_before = len(text.split()) <= GRANT_WORDS and not _PIVOT.search(text)
        if grants_before and moves and _CONCESSION.search(text) and _takes_previous(moves[-1]):
            previous = moves[-1]
            moves[-1] = Move("concession", previous.start, e, speech[previous.start : e])
            continue
        if moves and _only_weighs(text):
            previous = moves[-1]
            moves[-1] = Move(previous.kind, previous.start, e, speech[previous.start : e])
            continue
        if short or _FILLER.match(text):
            continue
        moves.append(Move(sentence_kind(text), s, e, speech[s:e]))
    return moves
