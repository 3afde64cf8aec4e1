"""Accuracy floor on the seed corpus (gold alignment), so quality cannot silently regress.

The figures are measured by benchmarks/glossary.py; the floors sit a little below.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from bitext.glossary import extract_glossary
from bitext.glossary.evaluate import evaluate_concepts, read_gold


@pytest.mark.parametrize(("min_freq", "recall", "precision"), [(1, 0.78, 0.95), (2, 0.40, 0.95)])
def test_gold_floor(corpus_dir: Path, min_freq: int, recall: float, precision: float) -> None:
    terms = corpus_dir / "gold.terms.tsv"
    sentences = corpus_dir / "gold.sentences.jsonl"
    if not terms.is_file() or not sentences.is_file():
        pytest.skip(f"gold files not found in {corpus_dir}")
    from bitext.tmx.corpus import read_jsonl

    result: dict[str, Any] = evaluate_concepts(
        extract_glossary(read_jsonl(sentences), min_freq=min_freq), read_gold(terms))
    assert result["recall"] >= recall, result["missing"]
    assert result["precision_on_gold"] >= precision, result["wrong"]
