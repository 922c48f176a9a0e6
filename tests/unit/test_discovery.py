"""Finding sources and their motion: a broken motion.yaml is an error, not silence."""

from __future__ import annotations

from pathlib import Path

import pytest

from retrieval.ingest.discovery import MotionFileError, motion_of


def _source_in(folder: Path, motion_yaml: str) -> Path:
    (folder / "sources").mkdir(parents=True)
    (folder / "motion.yaml").write_text(motion_yaml, encoding="utf-8")
    source = folder / "sources" / "a.txt"
    source.write_text("Some text.", encoding="utf-8")
    return source


def test_a_source_belongs_to_the_nearest_motion_folder(tmp_path: Path) -> None:
    source = _source_in(tmp_path / "m1", "id: m1\nseed_documents: [a.txt]\n")
    assert motion_of(source) == ("m1", True)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        pytest.param("id: [unclosed\n", "not valid YAML", id="invalid YAML is reported"),
        pytest.param("- a\n- b\n", "expected a mapping", id="a list at the top is reported"),
    ],
)
def test_a_broken_motion_file_is_an_ingest_error(tmp_path: Path, text: str, message: str) -> None:
    source = _source_in(tmp_path / "m2", text)
    with pytest.raises(MotionFileError, match=message):
        motion_of(source)
