"""Spotting attempts to make the bot switch sides, give up, or drop its instructions."""

from __future__ import annotations

import re

_PATTERNS = [
    r"\b(?:ignore|disregard|forget|override|bypass)\b.{0,40}\b(?:instructions?|rules?|prompts?"
    r"|guidelines?|programming|assignment|constraints?)\b",
    r"\b(?:admit|concede|confess|accept|acknowledge)\b.{0,30}\b(?:you(?:'re| are| were)|your "
    r"(?:side|case|position) (?:is|was))\b.{0,20}\b(?:wrong|mistaken|losing|lost|incorrect)\b",
    r"\b(?:argue|defend|take|support|switch to|join)\b.{0,20}\b(?:my|our|the other|the opposite"
    r"|the opposing)\s+(?:side|position|case)\b",
    r"\b(?:switch|change|swap|flip)\b.{0,10}\b(?:sides?|positions?|stances?)\b",
    r"\b(?:you (?:now )?agree with me|say (?:that )?i(?:'m| am) right|i(?:'m| am) right and you)\b",
    r"\b(?:system prompt|developer mode|jailbreak|pretend (?:to be|you are)|you are now|"
    r"act as|role-?play)\b",
    r"\b(?:stop|quit|give up)\b.{0,15}\b(?:arguing|debating|defending)\b",
]
_REGEX = re.compile("|".join(f"(?:{p})" for p in _PATTERNS), re.IGNORECASE | re.DOTALL)


def is_manipulation(message: str) -> bool:
    """True when the message tries to move the bot off its side or its rules."""
    return bool(_REGEX.search(message))
