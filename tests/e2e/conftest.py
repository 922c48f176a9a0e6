"""Browser and client fixtures (real servers, system Chromium); the code is in tests/support."""

from tests.support.fixtures_e2e import *  # noqa: F403
