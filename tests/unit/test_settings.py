"""Settings: model defaults, and choices that fail at start with the known values."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from bot.settings import ChatSettings
from bot.verify.calibration import CALIBRATIONS, UnknownCalibrationError, calibration_for
from retrieval.settings import Settings


def test_defaults_retrieve_with_granite_and_ground_with_minilm() -> None:
    settings = ChatSettings()
    assert settings.embedding.model == "packed:granite-embedding-30m-english"
    assert settings.embedding.extra_models == []
    assert settings.embedding.grounding_model == "onnx:all-MiniLM-L6-v2-int8"
    assert settings.llm.model == "extractive"


def test_extra_models_come_from_a_json_list(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DEBATEBOT_EMBEDDING__EXTRA_MODELS", '["onnx:all-MiniLM-L6-v2-int8"]')
    assert Settings().embedding.extra_models == ["onnx:all-MiniLM-L6-v2-int8"]
    assert ChatSettings().embedding.extra_models == ["onnx:all-MiniLM-L6-v2-int8"]


def test_retrieval_settings_hold_no_chat_sections() -> None:
    assert not {"llm", "prompts_dir", "sessions_db", "motions_dir"} & set(Settings.model_fields)
    assert "max_message_chars" not in Settings().api.model_dump()


def test_an_unknown_engine_fails_validation_listing_the_known_ones(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("DEBATEBOT_LLM__MODEL", "llm")
    known = r"known engines: \[.*'extractive'.*'ollama', 'openai'"
    with pytest.raises(ValidationError, match=r"unknown llm.model 'llm'; " + known):
        ChatSettings()


def test_an_uncalibrated_grounding_model_fails_at_start(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DEBATEBOT_EMBEDDING__GROUNDING_MODEL", "packed:granite")
    with pytest.raises(ValidationError, match="no calibrated thresholds"):
        ChatSettings()
    with pytest.raises(UnknownCalibrationError, match="onnx:all-MiniLM-L6-v2-int8"):
        calibration_for("packed:granite")


def test_every_calibration_row_is_for_a_buildable_model_spec() -> None:
    assert all(":" in model for model in CALIBRATIONS)
