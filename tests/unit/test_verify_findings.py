"""The verifier's fast path for verbatim quotes, and the findings ``POST /verify`` returns."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from langchain_core.embeddings import Embeddings

from bot.api.deps import get_checks
from bot.app import create_app
from bot.services.checks import CheckService
from bot.settings import ChatSettings
from bot.verify.grounding import GroundingVerifier, quotes_verbatim
from bot.verify.layers import JudgeChain, Verdict
from bot.verify.layers import nlp as layer_nlp
from retrieval.records import Document, Passage

QUOTE = "Hamas released Edan Alexander, an Israeli-American soldier, on May 12, 2025."
TITLE = "Edan Alexander's release, 2025"
DOC = Document(doc_id="alexander", title=TITLE, text=f"Intro.  {QUOTE} More text.", source="a.md")
START = DOC.text.index(QUOTE)
END = START + len(QUOTE)


class _Documents:
    def get_document(self, doc_id: str) -> Document | None:
        return DOC if doc_id == DOC.doc_id else None


class _Passages:
    def get_passage(self, passage_id: str) -> Passage | None:
        if passage_id != "p1":
            return None
        return Passage("p1", DOC.doc_id, START, END, QUOTE, {})


class _Exploding:
    """A judge that fails the test when the chain is consulted."""

    name = "exploding"

    def judge(self, claim: str, evidence: str) -> Verdict:
        raise AssertionError(f"the chain ran for {claim!r}")


def _no_parse(text: str) -> None:
    raise AssertionError(f"parsed {text!r}")


@pytest.fixture
def fast_only(embeddings: Embeddings, monkeypatch: pytest.MonkeyPatch) -> GroundingVerifier:
    """A verifier whose chain and parser fail the test when used."""
    monkeypatch.setattr(layer_nlp, "parse", _no_parse)
    chain = JudgeChain([_Exploding()], _Exploding())
    return GroundingVerifier(embeddings, _Documents(), chain=chain)


@pytest.mark.parametrize(
    "claim",
    [
        pytest.param(QUOTE, id="the quote itself"),
        pytest.param(f"{QUOTE} [1]", id="the quote with its marker"),
        pytest.param(QUOTE.replace(" on ", "  on\n"), id="the quote with other spacing"),
        pytest.param(QUOTE.rstrip("."), id="the quote without its final period"),
        pytest.param(
            f"The seed document's authors argue that {QUOTE}", id="after the seed attribution"
        ),
        pytest.param(
            f"The seed document's authors argue that {QUOTE[0].lower()}{QUOTE[1:]}",
            id="after the seed attribution, first letter lowercased",
        ),
        pytest.param(
            f'The document "Edan Alexander\'s release 2025" says that {QUOTE}',
            id="after the titled attribution",
        ),
        pytest.param(
            f'The document "Edan Alexander\'s release 2025" says: {QUOTE}',
            id="after the titled attribution with a colon",
        ),
    ],
)
def test_a_claim_that_is_its_quote_is_supported_without_parsing(
    fast_only: GroundingVerifier, claim: str
) -> None:
    result = fast_only.check_claim(claim, QUOTE, title=TITLE)
    assert result.supported
    assert result.support == 1.0
    assert result.reasons == []
    assert result.findings == []


@pytest.mark.parametrize(
    ("claim", "title"),
    [
        pytest.param(QUOTE.replace("2025", "2024"), TITLE, id="a changed quote"),
        pytest.param(QUOTE[:40], TITLE, id="a cut quote"),
        pytest.param(f'The document "Another brief" says that {QUOTE}', TITLE, id="another title"),
        pytest.param(f"Reuters reported that {QUOTE}", TITLE, id="another attribution"),
    ],
)
def test_anything_else_is_not_taken_as_verbatim(claim: str, title: str) -> None:
    assert not quotes_verbatim(claim, QUOTE, title)


@pytest.fixture
def verify_client(embeddings: Embeddings) -> TestClient:
    """The chat app, its lifespan not run, with a real verifier (fake embeddings) over one
    in-memory document."""
    app = create_app(ChatSettings(retrieval={"remote_url": "http://unused.test"}))  # type: ignore[arg-type]
    verifier = GroundingVerifier(embeddings, _Documents())
    checks = CheckService(verifier, _Documents(), _Passages())
    app.dependency_overrides[get_checks] = lambda: checks
    return TestClient(app, raise_server_exceptions=False)


def test_verify_names_the_failed_check_and_the_parts_it_compared(
    verify_client: TestClient,
) -> None:
    claim = "Hamas released Edan Alexander on May 12, 2024."
    response = verify_client.post("/verify", json={"claim": claim, "passage_id": "p1"})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["supported"] is False
    assert body["support"] <= 0.2
    assert body["findings"], body
    finding = body["findings"][0]
    assert set(finding) == {"check", "claim_part", "evidence_part", "message"}
    assert finding["check"] == "numbers"
    assert "2024" in finding["claim_part"]
    assert finding["evidence_part"] in QUOTE
    assert body["reasons"] == [f"{f['check']}: {f['message']}" for f in body["findings"]]


def test_verify_of_the_quote_itself_is_supported_with_no_findings(
    verify_client: TestClient,
) -> None:
    response = verify_client.post(
        "/verify", json={"claim": QUOTE, "doc_id": DOC.doc_id, "start": START, "end": END}
    )
    assert response.status_code == 200, response.text
    assert response.json() == {"supported": True, "support": 1.0, "findings": [], "reasons": []}


def test_verify_of_an_unknown_passage_is_a_404(verify_client: TestClient) -> None:
    response = verify_client.post("/verify", json={"claim": QUOTE, "passage_id": "nope"})
    assert response.status_code == 404
