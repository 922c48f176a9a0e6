"""granite-embedding-30m-english read from its packaged int8 file and run with onnxruntime."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from langchain_core.embeddings import Embeddings

from retrieval.embeddings import build_embeddings, space_name
from retrieval.embeddings.granite import PackFormatError, packaged_granite_path, read_pack

REFERENCE = Path(__file__).parents[1] / "support" / "data" / "granite_reference.json"


def test_vectors_match_the_upstream_implementation(granite: Embeddings) -> None:
    # Vectors the pack's own runtime (holographic-memory-py 0.6.3) produced for these texts.
    reference = json.loads(REFERENCE.read_text(encoding="utf-8"))
    ours = np.asarray(granite.embed_documents(reference["texts"]))
    theirs = np.asarray(reference["vectors"])
    cosines = (ours * theirs).sum(axis=1)
    assert cosines.min() > 0.9999, cosines


def test_padding_in_a_batch_does_not_change_a_vector(granite: Embeddings) -> None:
    short = "Qatar hosts the Hamas political office."
    long = "Egypt and Qatar mediated between Israel and Hamas during the Gaza war " * 4
    alone = np.asarray(granite.embed_query(short))
    batched = np.asarray(granite.embed_documents([long, short])[1])
    assert float(alone @ batched) > 0.99999


def test_retrieval_model_ranks_the_relevant_sentence_first(granite: Embeddings) -> None:
    query = np.asarray(granite.embed_query("Where does Hamas keep its political office?"))
    candidates = [
        "The 2016 memorandum pledged 38 billion dollars in military aid to Israel.",
        "Hamas has run a political office in Doha, Qatar, since 2012.",
        "The Taliban signed an agreement with the United States in February 2020.",
    ]
    scores = np.asarray(granite.embed_documents(candidates)) @ query
    assert int(np.argmax(scores)) == 1


def test_a_file_that_is_not_a_pack_is_refused(tmp_path: Path) -> None:
    bogus = tmp_path / "model.hmsemb"
    bogus.write_bytes(b"not a model at all")
    with pytest.raises(PackFormatError):
        read_pack(bogus)


def test_a_truncated_pack_is_refused(tmp_path: Path) -> None:
    truncated = tmp_path / "cut.hmsemb"
    truncated.write_bytes(packaged_granite_path().read_bytes()[:-1000])
    with pytest.raises(PackFormatError):
        read_pack(truncated)


def test_unknown_packed_model_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="granite"):
        build_embeddings("packed:bge-large")


def test_space_names_are_safe_collection_suffixes() -> None:
    assert space_name("packed:granite-embedding-30m-english") == "granite-embedding-30m-english"
    assert space_name("onnx:All MiniLM/L6") == "all-minilm-l6"
