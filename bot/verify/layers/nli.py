"""An optional judge: a local cross-encoder NLI model, loaded from a path on first use."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Literal

import numpy as np

from bot.verify.layers.base import Finding, Verdict
from bot.verify.layers.errors import MissingExtraError

CHECK = "nli"
Backend = Literal["sentence-transformers", "onnx"]
# Scores one (premise, hypothesis) pair: probabilities over the model's labels.
Scorer = Callable[[str, str], dict[str, float]]


def _softmax(logits: np.ndarray) -> np.ndarray:
    shifted = np.exp(logits - logits.max())
    return np.asarray(shifted / shifted.sum())


def _labels(config: dict[str, object], size: int) -> list[str]:
    id2label = config.get("id2label")
    if isinstance(id2label, dict) and len(id2label) == size:
        return [str(id2label[k]).lower() for k in sorted(id2label, key=int)]
    return ["contradiction", "entailment", "neutral"][:size]


def sentence_transformers_scorer(path: Path) -> Scorer:
    """A scorer from a sentence-transformers ``CrossEncoder`` directory."""
    try:
        from sentence_transformers import CrossEncoder
    except ImportError as error:
        raise MissingExtraError("sentence-transformers", "nli", "the NLI judge") from error
    model = CrossEncoder(str(path), local_files_only=True)
    config = model.config.to_dict() if hasattr(model, "config") else {}

    def score(premise: str, hypothesis: str) -> dict[str, float]:
        logits = np.asarray(model.predict([(premise, hypothesis)]))[0]
        probs = _softmax(np.atleast_1d(logits))
        return dict(zip(_labels(config, len(probs)), probs.tolist(), strict=True))

    return score


def onnx_scorer(path: Path) -> Scorer:
    """A scorer from a directory holding ``model.onnx``, ``tokenizer.json`` and ``config.json``."""
    try:
        import onnxruntime
        from tokenizers import Tokenizer
    except ImportError as error:
        raise MissingExtraError("onnxruntime and tokenizers", "nli", "the NLI judge") from error
    import json

    config = (
        json.loads((path / "config.json").read_text()) if (path / "config.json").exists() else {}
    )
    tokenizer = Tokenizer.from_file(str(path / "tokenizer.json"))
    session = onnxruntime.InferenceSession(str(path / "model.onnx"))
    names = {i.name for i in session.get_inputs()}

    def score(premise: str, hypothesis: str) -> dict[str, float]:
        encoded = tokenizer.encode(premise, hypothesis)
        feeds = {
            "input_ids": np.array([encoded.ids], dtype=np.int64),
            "attention_mask": np.array([encoded.attention_mask], dtype=np.int64),
            "token_type_ids": np.array([encoded.type_ids], dtype=np.int64),
        }
        logits = session.run(None, {k: v for k, v in feeds.items() if k in names})[0][0]
        probs = _softmax(np.asarray(logits))
        return dict(zip(_labels(config, len(probs)), probs.tolist(), strict=True))

    return score


class NLIJudge:
    """Entailment from a cross-encoder: yes on confident entailment, no on a confident
    contradiction or neutral (the evidence does not say it), no opinion otherwise."""

    name = CHECK

    def __init__(
        self,
        path: Path | None = None,
        backend: Backend = "sentence-transformers",
        threshold: float = 0.8,
        scorer: Scorer | None = None,
    ) -> None:
        if scorer is None and path is None:
            raise ValueError("the NLI judge needs a model path (or a scorer)")
        self.path = path
        self.backend = backend
        self.threshold = threshold
        self._scorer = scorer

    def _score(self, premise: str, hypothesis: str) -> dict[str, float]:
        if self._scorer is None:
            assert self.path is not None
            if not self.path.exists():
                raise FileNotFoundError(f"NLI model path {self.path} does not exist")
            build = onnx_scorer if self.backend == "onnx" else sentence_transformers_scorer
            self._scorer = build(self.path)
        return self._scorer(premise, hypothesis)

    def judge(self, claim: str, evidence: str) -> Verdict:
        """Entailment probability over the threshold is a yes; contradiction over it, a no."""
        probs = self._score(evidence, claim)
        entail = _prob(probs, "entail")
        against = max(_prob(probs, "contradict"), _prob(probs, "neutral"))
        finding = Finding(
            CHECK,
            claim,
            evidence[:200],
            f"entailment {entail:.2f}, contradiction {_prob(probs, 'contradict'):.2f}, "
            f"neutral {_prob(probs, 'neutral'):.2f}",
        )
        if against >= self.threshold:
            return Verdict(False, CHECK, [finding], entail)
        return Verdict(True if entail >= self.threshold else None, CHECK, [finding], entail)


def _prob(probs: dict[str, float], prefix: str) -> float:
    return max((p for label, p in probs.items() if label.startswith(prefix)), default=0.0)
