"""The LLM engine's prompts: ``prompts/llm/<name>.txt`` files with ``$name`` placeholders.

Rendering is strict: a missing or unexpected variable raises :class:`TemplateError`, never
an empty string. ``$$`` writes a literal dollar sign.
"""

from __future__ import annotations

import string
from dataclasses import dataclass
from pathlib import Path

from bot.engines.templates import TemplateError

# Every file the engine renders; a folder missing one fails when it is loaded, not mid-turn.
REQUIRED = (
    "system_spar",
    "system_case",
    "system_ask",
    "rules",
    "rules_ask",
    "format",
    "evidence_block",
    "passage",
    "card",
    "turn_spar",
    "turn_case",
    "turn_ask",
    "retry",
    "concede",
)


@dataclass(frozen=True)
class StrictTemplate:
    """One prompt file: its text and the variables it uses."""

    name: str
    text: str

    @property
    def variables(self) -> frozenset[str]:
        """The ``$name`` placeholders the text uses."""
        return frozenset(string.Template(self.text).get_identifiers())

    def render(self, **values: object) -> str:
        """Fill every placeholder; a missing or unexpected value raises."""
        missing = self.variables - set(values)
        extra = set(values) - self.variables
        if missing or extra:
            raise TemplateError(
                f"prompt {self.name!r}: missing {sorted(missing)}, unexpected {sorted(extra)}"
            )
        try:
            return string.Template(self.text).substitute({k: str(v) for k, v in values.items()})
        except ValueError as exc:  # a stray "$" the identifiers scan did not see
            raise TemplateError(f"prompt {self.name!r}: {exc}") from exc


class PromptSet:
    """All prompt files of one folder, by name."""

    def __init__(self, templates: dict[str, StrictTemplate]) -> None:
        self.templates = templates

    @classmethod
    def load(cls, folder: Path) -> PromptSet:
        """Read every ``*.txt`` of ``folder``; a missing required prompt raises."""
        if not folder.is_dir():
            raise TemplateError(f"prompt folder {folder} does not exist")
        templates = {
            path.stem: StrictTemplate(path.stem, path.read_text(encoding="utf-8").strip())
            for path in sorted(folder.glob("*.txt"))
        }
        absent = [name for name in REQUIRED if name not in templates]
        if absent:
            raise TemplateError(f"prompt folder {folder} lacks {absent}")
        for template in templates.values():
            if not string.Template(template.text).is_valid():
                raise TemplateError(f"prompt {template.name!r} has an invalid placeholder")
        return cls(templates)

    def render(self, name: str, **values: object) -> str:
        """Render prompt ``name``; unknown names raise."""
        if name not in self.templates:
            raise TemplateError(f"no prompt {name!r}")
        return self.templates[name].render(**values)
