"""Which models the settings pick for retrieval and for grounding."""

from __future__ import annotations

import pytest

from bot.app import grounding_embeddings
from retrieval.embeddings import OnnxMiniLMEmbeddings
from retrieval.settings import Settings


def test_defaults_retrieve_with_granite_and_ground_with_minilm() -> None:
    settings = Settings()
    assert settings.embedding.model == "packed:granite-embedding-30m-english"
    assert settings.embedding.extra_models == []
    # The verifier's similarity threshold is calibrated on MiniLM, whatever retrieval uses.
    assert isinstance(grounding_embeddings(settings, None), OnnxMiniLMEmbeddings)


def test_extra_models_come_from_a_json_list(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DEBATEBOT_EMBEDDING__EXTRA_MODELS", '["onnx:all-MiniLM-L6-v2-int8"]')
    assert Settings().embedding.extra_models == ["onnx:all-MiniLM-L6-v2-int8"]
