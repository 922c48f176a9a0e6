"""Reads a draft's JSON while it streams in: each sentence object as soon as it closes.

The model writes ``{"sentences": [{...}, {...}]}`` token by token. :class:`SentenceScanner`
finds the ``"sentences"`` list, follows strings, escapes and nesting, and hands out every
complete sentence object of the list as parsed JSON the moment its closing brace arrives, so
the engine can check it while the model is still writing the next one. The whole text is still
parsed at the end (:func:`bot.engines.llm.draft.parse_draft`) whenever the reply is judged as
a whole; the scanner only lets sentences out early.
"""

from __future__ import annotations

import json
import re
from typing import Any, Literal

_LIST_START = re.compile(r'"sentences"\s*:\s*\[')
# A complete "text" value inside the open sentence object (the claim, before its citations).
_TEXT_FIELD = re.compile(r'"text"\s*:\s*("(?:[^"\\]|\\.)*")', re.DOTALL)

State = Literal["seek", "between", "object", "closed", "broken"]


class SentenceScanner:
    """Feed it text as it arrives; it returns the sentence objects that closed in that text."""

    def __init__(self) -> None:
        self.text = ""
        self.state: State = "seek"
        self._pos = 0  # next character to read
        self._start = 0  # where the open object began
        self._depth = 0
        self._in_string = False
        self._escaped = False
        self.count = 0  # sentence objects handed out so far
        self._told = -1  # the object whose text :meth:`early_text` last handed out

    @property
    def closed(self) -> bool:
        """The list ended (``]`` read): no sentence follows."""
        return self.state == "closed"

    @property
    def broken(self) -> bool:
        """Something other than a sentence object sits in the list; nothing more is read."""
        return self.state == "broken"

    def feed(self, piece: str) -> list[Any]:
        """Add ``piece``; every sentence object completed by it, parsed (non-dicts included,
        so that a wrong shape fails its validation instead of vanishing)."""
        self.text += piece
        out: list[Any] = []
        if self.state == "seek":
            match = _LIST_START.search(self.text)
            if match is None:
                return out
            self._pos, self.state = match.end(), "between"
        text = self.text
        while self._pos < len(text) and self.state in {"between", "object"}:
            ch = text[self._pos]
            if self.state == "between":
                if ch == "{":
                    self.state, self._start, self._depth = "object", self._pos, 1
                elif ch == "]":
                    self.state = "closed"
                elif not (ch.isspace() or ch == ","):
                    self.state = "broken"
            else:
                parsed = self._object_char(ch)
                if parsed is not None:
                    out.append(parsed[0])
            self._pos += 1
        return out

    def early_text(self) -> str | None:
        """The "text" of the sentence object still being written, once that string is
        complete, handed out once per object (the model writes a claim before its
        citations: the claim can be read while they are written); None otherwise."""
        if self.state != "object" or self._told == self._start:
            return None
        match = _TEXT_FIELD.search(self.text, self._start, self._pos)
        if match is None:
            return None
        self._told = self._start
        try:
            value = json.loads(match.group(1), strict=False)
        except json.JSONDecodeError:
            return None
        return value if isinstance(value, str) else None

    def _object_char(self, ch: str) -> tuple[Any] | None:
        """Follow one character inside an object; the parsed object when it closes."""
        if self._in_string:
            if self._escaped:
                self._escaped = False
            elif ch == "\\":
                self._escaped = True
            elif ch == '"':
                self._in_string = False
            return None
        if ch == '"':
            self._in_string = True
        elif ch in "{[":
            self._depth += 1
        elif ch in "}]":
            self._depth -= 1
            if self._depth == 0:
                self.state = "between"
                self.count += 1
                try:
                    # strict=False: small models put raw newlines inside strings.
                    return (json.loads(self.text[self._start : self._pos + 1], strict=False),)
                except json.JSONDecodeError:
                    self.state = "broken"
        return None
