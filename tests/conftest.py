"""Shared test fixtures: paths to the bundled corpus and to ../shared."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpora" / "un-som-2016"
SHARED = ROOT.parent / "shared"
SCHEMAS = SHARED / "schemas"
BIBLE = SHARED / "data" / "bible-zh-en"


@pytest.fixture
def corpus_dir() -> Path:
    return CORPUS


@pytest.fixture
def schemas_dir() -> Path:
    if not SCHEMAS.is_dir():
        pytest.skip(f"schemas not found at {SCHEMAS} (the ../shared folder is absent)")
    return SCHEMAS


@pytest.fixture
def bible_dir() -> Path:
    if not BIBLE.is_dir():
        pytest.skip(f"Bible benchmark not found at {BIBLE} (the ../shared folder is absent)")
    return BIBLE


@pytest.fixture
def odd_file() -> Callable[[Path, str], str]:
    """Put a named pipe (``kind`` "fifo") or a folder where a file goes; the
    function returns the words an Error uses for what it found there."""
    import os

    def make(path: Path, kind: str) -> str:
        if kind == "fifo":
            os.mkfifo(path)
            return "a named pipe"
        path.mkdir()
        return "a folder"

    return make


def _hypothesis_profiles() -> None:
    """``ci`` (default): the examples each test asks for, no deadline (the machine
    is shared, timings vary). ``fuzz``: many examples per test, for long runs
    (benchmarks/fuzz.py; HYPOTHESIS_PROFILE=fuzz)."""
    import os

    from hypothesis import HealthCheck, settings

    settings.register_profile("ci", deadline=None)
    settings.register_profile("fuzz", max_examples=5_000, deadline=None,
                              suppress_health_check=list(HealthCheck))
    settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


_hypothesis_profiles()
