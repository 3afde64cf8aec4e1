"""Accuracy floor on the bundled corpus with the real default encoder.

Alignment quality must not silently regress: paragraph alignment is exact and
sentence alignment keeps strict F1 >= 0.98 against the hand-made gold.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bitext.align.evaluate import corpus_gold, score_beads
from bitext.ingest.document import load_document
from bitext.pipeline import align_both
from bitext.types import Link

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def aligned(corpus_dir: Path):  # type: ignore[no-untyped-def]
    src = load_document(corpus_dir / "zh.txt", "zh")
    tgt = load_document(corpus_dir / "en.txt", "en")
    sentences, paragraphs = align_both(src, tgt, encoder="use")
    return src, tgt, sentences, paragraphs


@pytest.fixture(scope="module")
def corpus_dir() -> Path:
    return Path(__file__).resolve().parents[2] / "corpora" / "un-som-2016"


def test_paragraph_alignment_is_exact(aligned, corpus_dir: Path) -> None:  # type: ignore[no-untyped-def]
    src, tgt, _, paragraphs = aligned
    rows = [json.loads(x) for x in (corpus_dir / "gold.paragraphs.jsonl").open(encoding="utf-8")]
    s_idx = {u.label: i for i, u in enumerate(src.units)}
    t_idx = {u.label: i for i, u in enumerate(tgt.units)}
    gold = [Link((s_idx[r["para"]],), (t_idx[r["para"]],)) for r in rows]
    pred = [Link(p.src_ids, p.tgt_ids) for p in paragraphs.pairs]
    assert score_beads(gold, pred)["strict_f1"] == 1.0


def test_sentence_alignment_floor(aligned, corpus_dir: Path) -> None:  # type: ignore[no-untyped-def]
    _, _, sentences, _ = aligned
    _, _, gold = corpus_gold(corpus_dir)
    scores = score_beads(gold, [Link(p.src_ids, p.tgt_ids) for p in sentences.pairs])
    assert scores["strict_f1"] >= 0.98, scores
    assert scores["lax_f1"] >= 0.99, scores


def test_confidences_are_scores(aligned) -> None:  # type: ignore[no-untyped-def]
    _, _, sentences, paragraphs = aligned
    for alignment in (sentences, paragraphs):
        assert all(0.0 <= p.score <= 1.0 for p in alignment.pairs)
    assert sentences.signature["encoder"].startswith("use")
