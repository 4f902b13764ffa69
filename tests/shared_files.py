"""Files the tests read from ../shared (seeds, spec, Socialstyrelsen's forms), not the project.

Locally a missing ../shared skips the tests that need it. Under `make test`
and CI (scripts/test.sh exports STPROGRAM_REQUIRE_SHARED=1; CI=true does the
same) it fails them with a clear message instead: a run must not pass by
quietly testing nothing. Plain Python, so the rule-engine tests can use it
without Django.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest


def shared_required() -> bool:
    """Whether a missing ../shared is a failure (make test, CI) rather than a skip."""
    flag = os.environ.get("STPROGRAM_REQUIRE_SHARED", "").strip().lower()
    return flag in {"1", "true", "yes", "on"} or os.environ.get("CI") == "true"


def require_shared(path: Path, what: str) -> Path:
    """`path` if it exists; otherwise skip the test, or fail it where ../shared is required."""
    if path.exists():
        return path
    message = f"{what} saknas: {path} (../shared bredvid repot)"
    if shared_required():
        pytest.fail(f"{message}; STPROGRAM_REQUIRE_SHARED/CI kräver den", pytrace=False)
    pytest.skip(message)
    raise AssertionError("unreachable")  # pytest.skip raises
