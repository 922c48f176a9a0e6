"""Prompt templates as files: ``prompts/<engine>/<name>.yaml`` parsed into a strict model.

A template declares its variables; every variant must use exactly those, and rendering
with a missing (or unexpected) variable raises instead of printing an empty string.
"""

from __future__ import annotations

import string
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, model_validator


class TemplateError(ValueError):
    """A template file is invalid, unknown, or rendered with the wrong variables."""


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


class PromptTemplate(BaseModel):
    """One template: a description, its variables and one or more wordings."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(description="The file stem, e.g. rebut.")
    description: str = Field(min_length=1, description="When the engine uses it.")
    variables: list[str] = Field(default_factory=list, description="Names every variant uses.")
    variants: list[str] = Field(min_length=1, description="Alternative wordings.")

    @model_validator(mode="after")
    def _variants_use_declared_variables(self) -> PromptTemplate:
        declared = set(self.variables)
        for variant in self.variants:
            used = _fields(variant)
            if any(not name.isidentifier() for name in used):
                raise ValueError(f"{self.name}: only plain {{name}} fields are allowed")
            if used != declared:
                raise ValueError(
                    f"{self.name}: variant {variant!r} uses {sorted(used)}, "
                    f"declared {sorted(declared)}"
                )
        return self

    def render(self, variant: int = 0, **values: str) -> str:
        """Fill variant ``variant`` (modulo the count); missing or extra values raise."""
        missing = set(self.variables) - set(values)
        extra = set(values) - set(self.variables)
        if missing or extra:
            raise TemplateError(
                f"template {self.name!r}: missing {sorted(missing)}, unexpected {sorted(extra)}"
            )
        text = self.variants[variant % len(self.variants)]
        return text.format(**values)


class TemplateSet:
    """All templates of one folder, by name."""

    def __init__(self, templates: dict[str, PromptTemplate]) -> None:
        self.templates = templates

    @classmethod
    def load(cls, folder: Path) -> TemplateSet:
        """Parse every ``*.yaml`` in ``folder``; any invalid file raises."""
        if not folder.is_dir():
            raise TemplateError(f"template folder {folder} does not exist")
        templates = {}
        for path in sorted(folder.glob("*.yaml")):
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
            if not isinstance(data, dict):
                raise TemplateError(f"{path}: expected a mapping")
            try:
                templates[path.stem] = PromptTemplate.model_validate({"name": path.stem, **data})
            except ValueError as exc:
                raise TemplateError(f"{path}: {exc}") from exc
        return cls(templates)

    def get(self, name: str) -> PromptTemplate:
        """One template; unknown names raise."""
        try:
            return self.templates[name]
        except KeyError as exc:
            raise TemplateError(f"no template {name!r}") from exc

    def render(self, name: str, variant: int = 0, **values: str) -> str:
        """Render template ``name``."""
        return self.get(name).render(variant, **values)
