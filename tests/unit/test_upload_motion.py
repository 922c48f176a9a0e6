"""A multipart upload can join a motion, as a JSON one can; unknown form fields are refused."""

from __future__ import annotations

import pytest

from retrieval.service import RetrievalService
from tests.support.fixtures_http import retrieval_client

BRIEF = b"---\ntitle: Parking brief\n---\nThe council removed 300 parking spaces in 2024.\n"


def _upload(service: RetrievalService, **fields: str) -> int:
    client = retrieval_client(service)
    response = client.post(
        "/documents", files={"file": ("parking.md", BRIEF, "text/markdown")}, data=fields
    )
    return response.status_code


def test_a_multipart_upload_files_its_document_under_the_motion_it_names(
    memory_service: RetrievalService,
) -> None:
    assert _upload(memory_service, motion="city-cars") == 201
    (doc,) = memory_service.list_documents()
    assert doc.metadata["motion"] == "city-cars"
    assert doc.title == "Parking brief", "the front matter is kept"
    hits = memory_service.search("parking spaces", 3, {"motion": "city-cars"})
    assert hits, "the motion's searches find it"


def test_a_multipart_upload_without_a_motion_belongs_to_none(
    memory_service: RetrievalService,
) -> None:
    assert _upload(memory_service) == 201
    (doc,) = memory_service.list_documents()
    assert "motion" not in doc.metadata


@pytest.mark.parametrize(
    "fields",
    [
        pytest.param({"motion": "Not A Motion!"}, id="a bad motion id"),
        pytest.param({"role": "seed"}, id="an unknown field"),
        pytest.param({"motion": "x" * 65}, id="a motion id too long"),
    ],
)
def test_bad_multipart_fields_are_refused_and_nothing_is_stored(
    memory_service: RetrievalService, fields: dict[str, str]
) -> None:
    assert _upload(memory_service, **fields) == 422
    assert memory_service.list_documents() == []
