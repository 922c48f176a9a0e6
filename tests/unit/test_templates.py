"""Prompt templates: every file parses and renders; missing variables raise."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bot.domain.replies import Sentence
from bot.engines.templates import PromptTemplate, TemplateError, TemplateSet
from bot.verify.grounding import GroundingVerifier
from tests.support.fixtures_retrieval import REPO

FOLDER = REPO / "prompts" / "extractive"
TEMPLATES = TemplateSet.load(FOLDER)


@pytest.mark.parametrize("name", sorted(TEMPLATES.templates))
def test_every_template_renders_every_variant(name: str) -> None:
    template = TEMPLATES.get(name)
    values = {v: f"value of {v}" for v in template.variables}
    for variant in range(len(template.variants)):
        text = template.render(variant, **values)
        assert text.strip()
        assert "{" not in text
        assert not any(ch.isdigit() for ch in text)


@pytest.mark.parametrize(
    "name", sorted(n for n, t in TEMPLATES.templates.items() if n != "attribution")
)
def test_framing_templates_carry_no_names_or_numbers(name: str) -> None:
    template = TEMPLATES.get(name)
    values = dict.fromkeys(template.variables, "it")
    for variant in range(len(template.variants)):
        sentence = Sentence(text=template.render(variant, **values), kind="framing")
        assert GroundingVerifier.check_framing(sentence, {"pro", "con"}).supported


def test_missing_variable_raises() -> None:
    with pytest.raises(TemplateError, match="missing"):
        TEMPLATES.render("advance")


def test_unexpected_variable_raises() -> None:
    with pytest.raises(TemplateError, match="unexpected"):
        TEMPLATES.render("qa_intro", point="x")


@pytest.mark.parametrize(
    "data",
    [
        {"description": "d", "variants": ["hi"], "extra": 1},
        {"description": "d", "variables": ["a"], "variants": ["no field"]},
        {"description": "d", "variants": ["uses {undeclared}"]},
        {"description": "d", "variants": []},
        {"description": "d", "variables": ["a"], "variants": ["{a.attr}"]},
    ],
    ids=["unknown key", "unused variable", "undeclared variable", "no variants", "attribute"],
)
def test_invalid_templates_are_refused(data: dict) -> None:
    with pytest.raises(ValueError):  # noqa: PT011 - pydantic's ValidationError is a ValueError
        PromptTemplate.model_validate({"name": "t", **data})


def test_a_bad_file_fails_the_whole_folder(tmp_path: Path) -> None:
    (tmp_path / "bad.yaml").write_text(yaml.safe_dump({"variants": ["x"], "oops": 1}))
    with pytest.raises(TemplateError, match="bad.yaml"):
        TemplateSet.load(tmp_path)


def test_unknown_template_raises() -> None:
    with pytest.raises(TemplateError):
        TEMPLATES.get("nope")
