"""The passage label fields clients may write, checked by type and size.

Only the bot's own labels (``stance``, ``key_points``, ``argmap``) can be merged into a
passage. Core fields (doc_id, offsets, title, url, motion, role, ...) are never writable,
and a label can never grow a passage's metadata past a few hundred bytes: one update with
thousands of keys once broke Chroma's compaction for good.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Literal, get_args

from retrieval.records import MetadataValue

Stance = Literal["pro", "con", "neutral"]
STANCES: tuple[str, ...] = get_args(Stance)
MAX_KEY_POINTS_CHARS = 8000
MAX_UPDATES = 20_000
_KEY_POINTS = re.compile(r"^[A-Za-z0-9_.-]{1,64}(,[A-Za-z0-9_.-]{1,64})*$")
_FINGERPRINT = re.compile(r"^[0-9a-f]{8,64}$")


class LabelError(ValueError):
    """A metadata write with a field that is not a label, or a label of a bad type or size."""

    status_code = 422


def _check_stance(value: MetadataValue) -> bool:
    return isinstance(value, str) and value in STANCES


def _check_key_points(value: MetadataValue) -> bool:
    return isinstance(value, str) and (
        value == "" or (len(value) <= MAX_KEY_POINTS_CHARS and bool(_KEY_POINTS.match(value)))
    )


def _check_argmap(value: MetadataValue) -> bool:
    return isinstance(value, str) and bool(_FINGERPRINT.match(value))


LABEL_FIELDS = {
    "stance": (_check_stance, f"one of {', '.join(STANCES)}"),
    "key_points": (_check_key_points, "comma-separated key point ids, at most 8000 characters"),
    "argmap": (_check_argmap, "a hex fingerprint of 8 to 64 characters"),
}


def check_labels(updates: Mapping[str, Mapping[str, MetadataValue]]) -> None:
    """Raise :class:`LabelError` unless every update sets only valid label fields."""
    if len(updates) > MAX_UPDATES:
        raise LabelError(f"at most {MAX_UPDATES} passages per update")
    for labels in updates.values():
        for key, value in labels.items():
            rule = LABEL_FIELDS.get(key)
            if rule is None:
                raise LabelError(f"only the label fields {', '.join(LABEL_FIELDS)} can be written")
            check, expected = rule
            if not check(value):
                raise LabelError(f"label {key!r} must be {expected}")
