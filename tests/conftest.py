"""Shared test fixtures: paths to the bundled corpus and to ../shared."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpora" / "un-som-2016"
SHARED = ROOT.parent / "shared"
SCHEMAS = SHARED / "schemas"
BIBLE = SHARED / "data" / "bible-zh-en"


def load_script(relative: str) -> ModuleType:
    """A script of the repository that is no package module (``benchmarks/scale.py``)
    imported by its path, registered in ``sys.modules`` (a dataclass looks its
    module up while it is built) as ``script_<stem>``."""
    path = ROOT / relative
    spec = importlib.util.spec_from_file_location(f"script_{path.stem}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


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
