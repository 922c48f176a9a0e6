"""Finding source files, and the motion folder each one belongs to."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import yaml

from retrieval.ingest.loaders import SUPPORTED_SUFFIXES, IngestError, UnsupportedTypeError

MOTION_FILE = "motion.yaml"  # marks a motion folder; the bot reads the same file


class MotionFileError(IngestError):
    """A motion.yaml that is not valid YAML or not a mapping."""


def motion_of(path: Path) -> tuple[str, bool] | None:
    """(motion id, is-seed) for a source file, or None outside any motion folder.

    A source belongs to the nearest ancestor folder holding a motion.yaml; it is that
    motion's seed document when motion.yaml lists its file name under ``seed_documents``.
    A motion.yaml that cannot be read raises :class:`MotionFileError`.
    """
    for folder in path.resolve().parents:
        motion_file = folder / MOTION_FILE
        if motion_file.is_file():
            try:
                spec = yaml.safe_load(motion_file.read_text(encoding="utf-8")) or {}
            except yaml.YAMLError as exc:
                raise MotionFileError(f"{motion_file}: not valid YAML: {exc}") from exc
            if not isinstance(spec, dict):
                raise MotionFileError(f"{motion_file}: expected a mapping at the top level")
            seeds = spec.get("seed_documents") or []
            return folder.name, path.name in seeds
    return None


def discover_files(paths: Iterable[Path]) -> list[tuple[Path, str, Path]]:
    """(file, source key, scope root) for every supported file under ``paths``.

    A named file of an unsupported type is an error; inside folders, other files are
    ignored. Source keys are relative to each root's parent, so they do not depend
    on the working directory.
    """
    found: list[tuple[Path, str, Path]] = []
    for root in paths:
        if not root.exists():
            raise IngestError(f"{root}: no such file or folder")
        if root.is_file():
            if root.suffix.lower() not in SUPPORTED_SUFFIXES:
                raise UnsupportedTypeError(
                    f"{root}: unsupported file type {root.suffix or '(none)'!r}; "
                    f"supported: {', '.join(SUPPORTED_SUFFIXES)}"
                )
            found.append((root, root.name, root))
            continue
        for file in sorted(root.rglob("*")):
            if file.is_file() and file.suffix.lower() in SUPPORTED_SUFFIXES:
                key = f"{root.resolve().name}/{file.relative_to(root).as_posix()}"
                found.append((file, key, root))
    return found
