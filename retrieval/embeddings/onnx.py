"""The ONNX encoder base shared by the packaged MiniLM and granite models."""

from __future__ import annotations

import os
import threading
from typing import Any

import numpy as np
from langchain_core.embeddings import Embeddings


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

    dimension: int  # the width of one vector; set by each subclass

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
