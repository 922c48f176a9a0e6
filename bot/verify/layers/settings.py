"""Settings of the verifier layers (to nest under the app's settings as ``verify``)."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class VerifyLayerSettings(BaseModel):
    """Which optional judges run after the rules and the semantic score (whose thresholds
    depend on the grounding model: bot/verify/calibration.py)."""

    model_config = ConfigDict(extra="forbid")

    llm_judge: bool = Field(
        default=False, description="Ask the configured chat model for a JSON entailment verdict."
    )
    nli_model_path: Path | None = Field(
        default=None, description="Directory of a local cross-encoder NLI model; None = off."
    )
    nli_backend: Literal["sentence-transformers", "onnx"] = Field(
        default="sentence-transformers", description="How to run the NLI model at that path."
    )
    nli_threshold: float = Field(
        default=0.8, ge=0.5, le=1.0, description="Probability for a firm NLI yes or no."
    )
