"""Fixtures for the review workbench: a real build of the bundled corpus (with the
length encoder, for speed), with markup in one paragraph and one link
deliberately misaligned."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from review_helpers import NAME, XSS_EN, XSS_ZH, Built, misalign

from bitext.cli import main

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "corpora" / "un-som-2016"


@pytest.fixture(scope="session")
def built_once(tmp_path_factory: pytest.TempPathFactory) -> Built:
    corpus = tmp_path_factory.mktemp("corpus") / NAME
    corpus.mkdir()
    for lang, extra in (("en", XSS_EN), ("zh", XSS_ZH)):
        text = (CORPUS / f"{lang}.txt").read_text(encoding="utf-8")
        (corpus / f"{lang}.txt").write_text(f"{text}\n63. {extra}\n", encoding="utf-8")
    out = tmp_path_factory.mktemp("build")
    main(["-q", "build", str(corpus), "-o", str(out), "--encoder", "length"])
    moved, wrong, orphan = misalign(out / f"{NAME}.jsonl")
    return Built(out, moved, wrong, orphan)


@pytest.fixture
def built(built_once: Built, tmp_path: Path) -> Built:
    """A fresh copy of the build for one test (its own review.sqlite)."""
    out = tmp_path / "out"
    shutil.copytree(built_once.out, out)
    return Built(out, built_once.moved_en, built_once.wrong_zh, built_once.orphan_zh)
