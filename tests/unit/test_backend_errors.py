"""A failing retrieval backend is a clear 503 or its own 4xx, never a 500."""

from __future__ import annotations

import httpx
import pytest
from fastapi.testclient import TestClient

from bot.api.deps import get_motions, get_questions, get_retriever
from bot.app import create_app
from bot.settings import ChatSettings
from retrieval.client import RemoteRetriever
from retrieval.errors import BackendError, BackendRequestError, BackendUnavailableError
from tests.support.fixtures_servers import free_port


def _client_answering(status: int, body: dict) -> RemoteRetriever:
    retriever = RemoteRetriever("http://retrieval.test")
    transport = httpx.MockTransport(lambda request: httpx.Response(status, json=body))
    retriever._http = httpx.Client(base_url="http://retrieval.test", transport=transport)
    return retriever


def test_an_unreachable_service_raises_unavailable() -> None:
    retriever = RemoteRetriever(f"http://127.0.0.1:{free_port()}", timeout=2)
    with pytest.raises(BackendUnavailableError, match="unreachable") as caught:
        retriever.search("talks")
    assert caught.value.status_code == 503


@pytest.mark.parametrize(
    ("status", "error", "expected"),
    [
        pytest.param(400, BackendRequestError, 400, id="its 400 is passed through"),
        pytest.param(422, BackendRequestError, 422, id="its 422 is passed through"),
        pytest.param(500, BackendError, 502, id="its 500 becomes a 502"),
    ],
)
def test_the_services_own_answers_raise_typed_errors(
    status: int, error: type[BackendError], expected: int
) -> None:
    retriever = _client_answering(status, {"detail": "bad filter"})
    with pytest.raises(error, match="bad filter") as caught:
        retriever.search("talks")
    assert caught.value.status_code == expected


def test_a_missing_document_is_none_not_an_error() -> None:
    assert _client_answering(404, {"detail": "no such document"}).get_document("x") is None


class _DownRetriever:
    def list_documents(self) -> list:
        raise BackendUnavailableError("retrieval service at http://x is unreachable")


class _Motions:
    def list_motions(self) -> list:
        return []


class _RefusingQuestions:
    def ask(self, question: str, motion_id: str | None = None) -> None:
        raise BackendRequestError("retrieval service: bad filter", 400)


@pytest.fixture
def remote_app_client() -> TestClient:
    """The chat app in remote mode, its lifespan not run: every dependency is a fake."""
    app = create_app(ChatSettings(retrieval={"remote_url": "http://unused.test"}))  # type: ignore[arg-type]
    app.dependency_overrides[get_retriever] = _DownRetriever
    app.dependency_overrides[get_motions] = _Motions
    app.dependency_overrides[get_questions] = _RefusingQuestions
    return TestClient(app, raise_server_exceptions=False)


def test_health_is_503_when_retrieval_is_down(remote_app_client: TestClient) -> None:
    response = remote_app_client.get("/health")
    assert response.status_code == 503
    assert response.json()["backends"] == {"retrieval": "unavailable"}
    assert response.headers["retry-after"]


def test_a_backend_4xx_reaches_the_user_with_its_status(remote_app_client: TestClient) -> None:
    response = remote_app_client.post("/ask", json={"question": "Who met whom?"})
    assert response.status_code == 400
    assert response.json() == {
        "detail": [{"loc": [], "msg": "retrieval service: bad filter", "type": "bad_request"}]
    }
