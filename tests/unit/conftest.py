"""Unit tests load no model: here ``embeddings`` and ``granite`` are deterministic fakes.

Every fixture built on them (``memory_service``, ``two_model_service``) is model-free too.
Tests that need the real models live in tests/integration.
"""

from __future__ import annotations

import pytest
from langchain_core.embeddings import Embeddings

from bot.verify.layers import rule_judges
from bot.verify.layers.base import Judge
from tests.support.fake_embeddings import HashEmbeddings


@pytest.fixture(scope="session")
def embeddings() -> Embeddings:
    """A fake primary model."""
    return HashEmbeddings(seed="primary")


@pytest.fixture(scope="session")
def granite() -> Embeddings:
    """A fake second model, with vectors unlike the primary's."""
    return HashEmbeddings(seed="granite")


@pytest.fixture(scope="session")
def judges() -> dict[str, Judge]:
    """The verifier's rule layers, by name (the reading tables' tests use them)."""
    return {judge.name: judge for judge in rule_judges()}
