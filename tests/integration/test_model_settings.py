"""Which real model the settings pick for grounding."""

from __future__ import annotations

from bot.app import grounding_embeddings
from bot.settings import ChatSettings
from retrieval.embeddings.minilm import OnnxMiniLMEmbeddings


def test_defaults_ground_with_minilm_whatever_retrieval_uses() -> None:
    # The verifier's thresholds are calibrated on MiniLM, whatever retrieval uses.
    settings = ChatSettings()
    assert isinstance(grounding_embeddings(settings, None), OnnxMiniLMEmbeddings)
