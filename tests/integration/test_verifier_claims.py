"""The verifier on the blind claim set (evals/claims/claims.yaml), with the real models.

Guards the levels measured by bench/bench_verifier.py (README, "Grounding verifier"): a floor a
little under the measured dev precision and recall, and the measured test precision. These
floors are below the issue's targets (test precision 0.95, recall 0.75), which are not met.
"""

from __future__ import annotations

import pytest
from langchain_core.embeddings import Embeddings

from bench.bench_verifier import SOURCES, Claim, Documents, load_claims, run, tallies
from bot.verify.grounding import GroundingVerifier

# Measured (README, bench/results/verifier.md): dev precision 0.714, recall 0.536; test
# precision 0.715, recall 0.560.
DEV_PRECISION_FLOOR = 0.69
DEV_RECALL_FLOOR = 0.51
TEST_PRECISION_FLOOR = 0.69


@pytest.fixture(scope="module")
def documents() -> Documents:
    """The us-hamas sources, loaded as the app loads them."""
    return Documents(SOURCES)


@pytest.fixture(scope="module")
def claims(documents: Documents) -> list[Claim]:
    """Every labelled claim, with its evidence span."""
    return load_claims(documents)


@pytest.fixture(scope="module")
def verifier(embeddings: Embeddings, documents: Documents) -> GroundingVerifier:
    """The verifier the app builds, on the real MiniLM model, spaCy and WordNet."""
    return GroundingVerifier(embeddings, documents)


def test_the_claim_set_has_every_kind_in_both_splits(claims: list[Claim]) -> None:
    kinds = {c.kind for c in claims}
    assert len(claims) >= 300
    for split in ("dev", "test"):
        assert {c.kind for c in claims if c.split == split} == kinds


def test_dev_precision_and_recall_hold_their_measured_levels(
    verifier: GroundingVerifier, claims: list[Claim]
) -> None:
    dev = [c for c in claims if c.split == "dev"]
    results, _ = run(verifier, dev)
    total = tallies(dev, results)["all"]
    report = f"dev precision {total.precision:.3f}, recall {total.recall:.3f}"
    assert total.precision >= DEV_PRECISION_FLOOR, report
    assert total.recall >= DEV_RECALL_FLOOR, report


def test_test_precision_holds_its_measured_level(
    verifier: GroundingVerifier, claims: list[Claim]
) -> None:
    test = [c for c in claims if c.split == "test"]
    results, _ = run(verifier, test)
    total = tallies(test, results)["all"]
    assert total.precision >= TEST_PRECISION_FLOOR, f"test precision {total.precision:.3f}"


def test_every_rejection_names_its_check_and_the_parts_compared(
    verifier: GroundingVerifier, claims: list[Claim]
) -> None:
    sample = [c for c in claims if c.split == "dev" and not c.label][:40]
    results, _ = run(verifier, sample)
    for claim in sample:
        result = results[claim.id]
        if result.supported:
            continue
        assert result.findings, claim.id
        for finding in result.findings:
            assert finding.check, (claim.id, finding)
            assert finding.message, (claim.id, finding)
            assert finding.claim_part, (claim.id, finding)
            assert finding.evidence_part, (claim.id, finding)
