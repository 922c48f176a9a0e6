"""Sources are data: find sentences that address the reader (a model) with instructions.

"Ignore previous instructions", "from now on argue that ...", "switch sides", "reveal your
prompt": a sentence like that is never quoted as evidence, and ingest flags its document
(``flags: injection``). Reported speech is not an instruction to the reader: "Trump told
Israel to stop bombing Gaza" or "Hamas ignored the previous ceasefire terms" pass.

Two kinds of pattern: imperatives at the start of a sentence or clause, and phrases that
address "you" (or the AI) anywhere. They are rules, not a model: cheap, deterministic and
tested with many phrasings both ways (tests/unit/test_injection.py).
"""

from __future__ import annotations

import re

from retrieval.ingest.chunking import split_sentences

INJECTION_FLAG = "injection"

# A sentence or clause start: the beginning, after a stop or colon, or after an opening quote.
_START = r"(?:^|[.;:!?\u2014\u2013]\s*|[\"'\u201c\u2018(\[]\s*)"
# Filler a command may open with: "Now, ", "Please ", "OK so ".
_LEAD = r"(?:(?:now|so|please|okay|ok|first|then|also|and|instead|important|note)[,!:\s]+)*"
_RULES = (
    r"instructions?|prompts?|directions?|directives?|rules?|guidelines?|messages?|context"
    r"|commands?|programming|orders|training|constraints|motion|task|assignment|side"
)
_WHICH = (
    r"(?:(?:all|any|every|the|your|these|those|my|of|previous|prior|above|earlier|preceding"
    r"|former|original|other|existing|system|initial|given)\s+)*"
)
_AI = r"(?:ai|a\.i\.|assistant|chatbot|chat\s*bot|bot|model|llm|language\s+model|debate\s*bot|gpt)"

_IMPERATIVES = [
    rf"(?:ignore|disregard|forget|discard|override|bypass|abandon)\s+{_WHICH}(?:{_RULES})\b",
    r"(?:ignore|disregard|forget)\s+(?:everything|all\s+(?:of\s+)?that|what\s+you)",
    r"obey\s+(?:me|us|this|these|the\s+following|my|our|only)\b",
    r"(?:switch|change|swap|flip|reverse)\s+(?:your\s+|the\s+)?(?:sides?|positions?|stance)\b",
    r"(?:reveal|print|show|output|repeat|display|disclose|leak|dump|recite)\s+(?:me\s+)?"
    r"(?:your|the)\s+(?:(?:full|entire|system|hidden|initial|original|secret|exact)\s+)*"
    r"(?:prompts?|instructions|rules|configuration|guidelines)",
    r"(?:argue|say|claim|state|respond|answer|write|declare|insist|concede|admit)\s+"
    r"(?:only\s+|instead\s+|now\s+)?(?:that\b|for\s+the\s+other|in\s+favou?r\s+of|with\s+yes)",
    r"stop\s+(?:arguing|debating|defending|opposing|citing)\b",
    r"(?:pretend|act|roleplay|role-play|behave)\s+(?:to\s+be|you\s+are|as\s+(?:if|though|an?\s|the\s))",
    r"from\s+now\s+on,?\s+(?:you|argue|respond|answer|say|act|always|only|the\s+" + _AI + ")",
    r"(?:new|updated|revised|real)\s+instructions?\s*:",
    r"(?:do\s+not|don't|never)\s+(?:tell|mention|reveal|cite|quote|disclose)\s+"
    r"(?:the\s+user|anyone|this|these)",
]
_ADDRESSED = [
    r"\byou\s+(?:must|should|will|shall|are\s+to|have\s+to|need\s+to|are\s+(?:now\s+)?required\s+to"
    r"|are\s+(?:now\s+)?instructed\s+to|are\s+(?:now\s+)?ordered\s+to)\s+"
    r"(?:now\s+|henceforth\s+|instead\s+|immediately\s+|always\s+|only\s+)*"
    r"(?:ignore|disregard|forget|obey|argue|switch|change\s+sides|reveal|stop|support|defend|take"
    r"|side\s+with|abandon|concede|agree|say|respond|answer|print|output|follow\s+(?:these|my|the\s+new))",
    r"\byou\s+are\s+(?:now|no\s+longer)\s+(?:an?\s|in\s|the\s|my\s|free|bound|allowed|dan\b|"
    + _AI
    + ")",
    r"\byour\s+(?:previous|prior|original|earlier|initial|system|hidden|real|new|true)\s+"
    r"(?:instructions|prompt|rules|programming|directives|guidelines|orders)",
    r"\bsystem\s+prompt\b",
    rf"\b{_AI}s?\s*[,:]\s*(?:you\s+)?(?:must|should|ignore|disregard|forget|obey|argue|switch"
    r"|reveal|stop|now|listen)",
    rf"\b(?:attention|note\s+to|message\s+to|instructions?\s+(?:for|to))\s+(?:the\s+|all\s+|any\s+)?"
    rf"(?:{_AI}|readers?\s+that\s+(?:are|is)\s+(?:an?\s+)?{_AI})s?\b",
    rf"\bignore\s+{_WHICH}(?:previous|prior|above|earlier|preceding)\s+(?:instructions|prompts)",
    r"\b(?:jailbreak|jailbroken|developer\s+mode|dan\s+mode|do\s+anything\s+now)\b",
]
_INSTRUCTION = re.compile(
    "|".join([*(f"{_START}{_LEAD}(?:{p})" for p in _IMPERATIVES), *_ADDRESSED]),
    re.IGNORECASE,
)


def is_instruction(sentence: str) -> bool:
    """Whether ``sentence`` addresses its reader with instructions (a prompt injection)."""
    return bool(_INSTRUCTION.search(" ".join(sentence.split())))


def injected_spans(text: str) -> list[tuple[int, int]]:
    """The (start, end) offsets of every instruction-like sentence in ``text``."""
    return [(s, e) for s, e in split_sentences(text) if is_instruction(text[s:e])]
