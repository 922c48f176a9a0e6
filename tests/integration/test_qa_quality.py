"""Q&A quality on the blind question set's dev split, through the real app in-process.

bench/bench_qa.py runs the same labelling over both splits and prints the tables (see the
README). Measured on dev: 25 of 50 answerable questions correct and complete, 3 (6%) resting
on a wrong sentence, 15 wrongful abstentions (precision first: a yes/no answer must state the
predicate), 7 of 7 unanswerable questions correctly declined, no duplicated fact. The issue's
targets (75% / 5% / 100%) are not met; these floors guard the measured levels against
regressions.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.bench_qa import load_set, run, summarize

pytestmark = pytest.mark.integration

MIN_CORRECT = 0.46  # measured 0.50
MAX_WRONG = 0.10  # measured 0.06
MIN_ABSTENTION = 0.85  # measured 7/7


def test_dev_answers_hold_their_measured_levels(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    items = [q for q in load_set() if q["split"] == "dev"]
    rows = run(items, tmp_path)
    summary = summarize(rows)
    with capsys.disabled():
        print(
            f"\nQ&A dev: correct {summary['correct_share']:.2f}, wrong sentence "
            f"{summary['wrong_share']:.2f}, correct abstention {summary['abstention_share']:.2f}, "
            f"duplicated {summary['duplicated']}; {dict(summary['counts'])}"
        )
    assert summary["correct_share"] >= MIN_CORRECT
    assert summary["wrong_share"] <= MAX_WRONG
    assert summary["abstention_share"] >= MIN_ABSTENTION
    assert summary["duplicated"] == 0
    assert summary["counts"]["wrongful_abstention"] <= 16  # measured 15
