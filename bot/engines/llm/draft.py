"""What the model returns (a draft of sentences citing numbered passages) and how it is read.

The model names, for each claim, the passages it cites and the exact words it relies on.
:func:`find_quote` locates those words in the passage with a tolerant match (case, whitespace
and punctuation do not matter) and maps the match back to the exact span of the source text.
"""

from __future__ import annotations

import json
import re
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from retrieval.ingest.chunking import split_sentences

MIN_QUOTE_WORDS = 3
MAX_SENTENCES = 6
# Tighter bounds for grammar-constrained output, so the JSON always closes within max_tokens.
GRAMMAR_LIMITS = {"sentences": 3, "cites": 1, "text": 220, "quote": 160}


class DraftCite(BaseModel):
    """One passage a sentence relies on, with the words it relies on."""

    model_config = ConfigDict(extra="ignore")

    passage: int = Field(description="The passage number, as shown in the prompt.")
    quote: str = Field(max_length=400, description="Words copied exactly from that passage.")


class DraftSentence(BaseModel):
    """One sentence of the model's reply."""

    model_config = ConfigDict(extra="ignore")

    text: str = Field(min_length=1, max_length=500, description="The sentence, no markers.")
    cites: list[DraftCite] = Field(
        default_factory=list, max_length=3, description="Passages cited; empty for framing."
    )
    concedes: bool = Field(False, description="True when the sentence concedes a point.")


class DraftReply(BaseModel):
    """The model's whole reply: its sentences in order."""

    model_config = ConfigDict(extra="ignore")

    sentences: list[DraftSentence] = Field(
        min_length=1, max_length=MAX_SENTENCES, description="The sentences, in order."
    )


class DraftError(ValueError):
    """The model's output is not a usable draft (not JSON, or not the schema)."""


def draft_schema(passage_count: int) -> dict[str, Any]:
    """The JSON schema of a draft for a grammar: passage numbers bounded to the real ones,
    every field required, lengths bounded."""
    schema = DraftReply.model_json_schema()
    defs = schema["$defs"]
    cite, sentence = defs["DraftCite"]["properties"], defs["DraftSentence"]["properties"]
    # An enum, not minimum/maximum: llama.cpp's grammar converter ignores integer bounds.
    cite["passage"]["enum"] = list(range(1, max(passage_count, 1) + 1))
    cite["quote"].update(minLength=1, maxLength=GRAMMAR_LIMITS["quote"])
    sentence["text"]["maxLength"] = GRAMMAR_LIMITS["text"]
    # Under a grammar every sentence cites: a small model otherwise writes only framing.
    sentence["cites"].update(minItems=1, maxItems=GRAMMAR_LIMITS["cites"])
    schema["properties"]["sentences"]["maxItems"] = GRAMMAR_LIMITS["sentences"]
    for model in defs.values():
        model["additionalProperties"] = False
        model["required"] = list(model["properties"])
    schema["additionalProperties"] = False
    return schema


_FENCE = re.compile(r"^```(?:json)?\s*|\s*```$", re.IGNORECASE)


def parse_draft(content: str) -> DraftReply:
    """The draft in a model's text output (JSON, possibly fenced); a clear error otherwise."""
    text = _FENCE.sub("", content.strip())
    start, end = text.find("{"), text.rfind("}")
    if start < 0 or end <= start:
        raise DraftError("the answer contains no JSON object")
    try:
        # strict=False: small models put raw newlines inside strings, which is harmless here.
        data = json.loads(text[start : end + 1], strict=False)
    except json.JSONDecodeError as exc:
        raise DraftError(
            f"the answer is not valid JSON ({exc.msg} at character {exc.pos})"
        ) from exc
    return validate_draft(data)


def validate_draft(data: object) -> DraftReply:
    """A draft from parsed JSON; a clear error when it does not match the schema."""
    if isinstance(data, DraftReply):
        return data
    try:
        return DraftReply.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "the answer"
        raise DraftError(f"the JSON does not match the schema: {where}: {first['msg']}") from exc


def _normalized(text: str) -> tuple[str, list[int]]:
    """Case-folded letters and digits, runs of anything else as one space; index map back."""
    chars: list[str] = []
    where: list[int] = []
    for i, ch in enumerate(text):
        if ch.isalnum():
            for low in ch.casefold():
                chars.append(low)
                where.append(i)
        elif chars and chars[-1] != " ":
            chars.append(" ")
            where.append(i)
    if chars and chars[-1] == " ":
        chars.pop()
        where.pop()
    return "".join(chars), where


def find_quote(quote: str, text: str) -> tuple[int, int] | None:
    """The span ``[start, end)`` of ``text`` that ``quote`` copies, ignoring case, whitespace
    and punctuation, on word boundaries; None when it is not there or too short."""
    needle, _ = _normalized(quote)
    if len(needle.split()) < MIN_QUOTE_WORDS:
        return None
    hay, where = _normalized(text)
    at = hay.find(needle)
    while at >= 0:
        end = at + len(needle)
        if (at == 0 or hay[at - 1] == " ") and (end == len(hay) or hay[end] == " "):
            return where[at], where[end - 1] + 1
        at = hay.find(needle, at + 1)
    return None


def whole_sentences(text: str, start: int, end: int) -> tuple[int, int]:
    """The span of the sentences of ``text`` that ``[start, end)`` falls in.

    A quote cut from its sentence can lose what governs it ("officials doubted that ...", "X
    said ...", "could"): the citation records, and the verifier reads, the whole sentence.
    """
    spans = [(s, e) for s, e in split_sentences(text) if s < end and start < e]
    if not spans:
        return start, end
    return min(start, spans[0][0]), max(end, spans[-1][1])


def sentence_texts(text: str) -> list[str]:
    """The sentences of ``text`` (the quotes :func:`whole_sentences` can record)."""
    return [text[s:e] for s, e in split_sentences(text)]
