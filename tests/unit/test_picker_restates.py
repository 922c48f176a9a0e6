"""Evidence that restates what the user said is not handed out to answer the user."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import numpy as np

from bot.domain.evidence import EvidenceSentence
from bot.engines.extractive.picker import EvidencePicker
from bot.text import features as tf


def _sentence(text: str) -> Any:
    return SimpleNamespace(key=text, text=text)


def _picker() -> EvidencePicker:
    amap: Any = SimpleNamespace(rows={})
    return EvidencePicker(amap, (), "pro", 0.0)


def test_a_fact_the_user_stated_counts_as_restated() -> None:
    picker = _picker()
    picker.hear(
        np.zeros((0, 0), dtype=np.float32),
        ["The adviser called the package the biggest single aid pledge ever made."],
    )
    card: EvidenceSentence = _sentence(
        "The national security adviser called the 2016 package the biggest single military "
        "aid pledge ever made to any country."
    )
    assert picker.restates_user(card)


def test_a_clause_of_a_longer_sentence_is_compared_on_its_own() -> None:
    picker = _picker()
    picker.hear(
        np.zeros((0, 0), dtype=np.float32),
        ["The envoy met the officials in the capital; the others sat elsewhere later."],
    )
    assert picker.restates_user(
        _sentence("Reports said the envoy met the officials in the capital.")
    )


def test_other_evidence_on_the_same_topic_is_not_restated() -> None:
    picker = _picker()
    picker.hear(np.zeros((0, 0), dtype=np.float32), ["The envoy met the officials in the capital."])
    assert not picker.restates_user(
        _sentence("The White House later told the envoy to clarify his remarks about them.")
    )


def test_the_motions_own_words_name_nothing() -> None:
    picker = _picker()
    picker.hear(
        np.zeros((0, 0), dtype=np.float32),
        ["Washington can negotiate with the group directly."],
        common=tf.content_stems(tf.tokenize("Washington negotiate group directly")),
    )
    assert not picker.restates_user(_sentence("Washington refused to negotiate with the group."))
