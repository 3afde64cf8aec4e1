"""Shared test fixtures: paths to the bundled corpus and to ../shared."""

from __future__ import annotations

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
