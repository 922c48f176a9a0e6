"""Shared fixtures. Fixture code lives in tests/support; this file only exposes it."""

from __future__ import annotations

import os

# No test may reach a model hub: everything loads from installed packages.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

from tests.support.fixtures_retrieval import *  # noqa: E402, F403
