"""`bitext segment` reproduces the hand-made gold of the bundled corpus exactly."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from bitext.ingest.document import load_document

LANGS = ["zh", "en"]


def _gold(corpus: Path, name: str) -> list[dict]:  # type: ignore[type-arg]
    with open(corpus / name, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


@pytest.mark.parametrize("lang", LANGS)
def test_units_match_gold_paragraphs(corpus_dir: Path, lang: str) -> None:
    doc = load_document(corpus_dir / f"{lang}.txt", lang)
    gold = _gold(corpus_dir, "gold.paragraphs.jsonl")
    expected = [(g["para"], g[lang]) for g in gold if g[lang]]
    assert [(u.label, u.text) for u in doc.units] == expected


@pytest.mark.parametrize("lang", LANGS)
def test_sentences_match_gold(corpus_dir: Path, lang: str) -> None:
    doc = load_document(corpus_dir / f"{lang}.txt", lang)
    gold = _gold(corpus_dir, "gold.sentences.jsonl")
    assert doc.sentences == [s for g in gold for s in g[lang]]


def test_segment_command_jsonl(corpus_dir: Path) -> None:
    out = subprocess.run(
        [sys.executable, "-m", "bitext.cli", "segment", str(corpus_dir / "en.txt"), "--lang", "en"],
        capture_output=True, text=True, check=True,
    ).stdout
    units = [json.loads(line) for line in out.splitlines()]
    gold = _gold(corpus_dir, "gold.paragraphs.jsonl")
    assert [u["label"] for u in units] == [g["para"] for g in gold if g["en"]]
    assert {u["kind"] for u in units} == {"header", "heading", "paragraph", "footnote"}
    assert all(set(u) == {"kind", "label", "text", "sentences"} for u in units)
