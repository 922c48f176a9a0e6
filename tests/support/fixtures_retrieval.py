"""pytest fixtures shared by every test layer."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from langchain_core.embeddings import Embeddings

from retrieval.embeddings import build_embeddings
from retrieval.service import RetrievalService
from retrieval.settings import ChromaSettings, RetrievalSettings
from retrieval.stores.chroma import ChromaStore, make_chroma_client

REPO = Path(__file__).resolve().parents[2]
SEEDS = REPO / "seeds"


@pytest.fixture(scope="session")
def embeddings() -> Embeddings:
    """The packaged MiniLM (the grounding model), loaded once, offline."""
    return build_embeddings("onnx:all-MiniLM-L6-v2-int8")


@pytest.fixture(scope="session")
def granite() -> Embeddings:
    """The default retrieval model (granite-embedding-30m-english), loaded once, offline."""
    return build_embeddings("packed:granite-embedding-30m-english")


@pytest.fixture
def two_model_service(embeddings: Embeddings, granite: Embeddings) -> RetrievalService:
    """Two dense models, in memory: MiniLM as the primary space and granite as an extra."""
    client = make_chroma_client(ChromaSettings(mode="memory"), None)
    store = ChromaStore(client, f"t{uuid.uuid4().hex[:12]}")
    return RetrievalService(store, embeddings, RetrievalSettings(), {"granite": granite})


@pytest.fixture
def memory_service(embeddings: Embeddings) -> RetrievalService:
    """A retrieval service on an in-memory Chroma, isolated by a unique collection prefix."""
    client = make_chroma_client(ChromaSettings(mode="memory"), None)
    store = ChromaStore(client, f"t{uuid.uuid4().hex[:12]}")
    return RetrievalService(store, embeddings, RetrievalSettings())


@pytest.fixture
def corpus_dir(tmp_path: Path) -> Path:
    """A small folder of sources the test may edit."""
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "alpha.txt").write_text(
        "The committee met in Geneva in 1998. It agreed on three principles. "
        "Delegates from Norway chaired the talks.\n\nA second round followed in 1999.",
        encoding="utf-8",
    )
    (folder / "beta.md").write_text(
        "---\ntitle: Beta brief\nsources:\n  - outlet: Example News\n    date: 2020-01-02\n"
        "    url: https://example.org/beta\n---\nBeta talks ended without agreement in 2004. "
        "The mediators were from Egypt.\n",
        encoding="utf-8",
    )
    return folder
