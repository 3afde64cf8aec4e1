"""Accuracy floors, so sentence-alignment quality cannot silently regress.

The seed corpus has hand-made sentence-level gold; it is aligned paragraph by
paragraph (the way the pipeline calls the aligner) and as one long text. A short
Bible slice checks the length-only baseline on verse gold.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bitext.align.encoders import Encoder, get_encoder
from bitext.align.evaluate import (
    Bead,
    corpus_gold,
    gold_beads_from_groups,
    merge_within_groups,
    score_beads,
)
from bitext.align.sentences import align_sentences


@pytest.fixture(scope="module")
def encoders() -> dict[str, Encoder]:
    """One encoder of each kind for the module, so its cache is shared by the tests."""
    return {"use": get_encoder("use"), "length": get_encoder("length")}


def _by_paragraph(corpus: Path) -> list[tuple[list[str], list[str]]]:
    paras: dict[str, tuple[list[str], list[str]]] = {}
    with (corpus / "gold.sentences.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            zh, en = paras.setdefault(rec["para"], ([], []))
            zh.extend(rec["zh"])
            en.extend(rec["en"])
    return list(paras.values())


def _align_by_paragraph(corpus: Path, enc: Encoder) -> list[Bead]:
    pred: list[Bead] = []
    oz = oe = 0
    for zh, en in _by_paragraph(corpus):
        for lk in align_sentences(zh, en, enc):
            pred.append((tuple(oz + i for i in lk.src), tuple(oe + j for j in lk.tgt)))
        oz += len(zh)
        oe += len(en)
    return pred


@pytest.mark.parametrize(("encoder", "floor"), [("use", 0.97), ("length", 0.95)])
def test_seed_corpus_by_paragraph(
    corpus_dir: Path, encoders: dict[str, Encoder], encoder: str, floor: float
) -> None:
    if not (corpus_dir / "gold.sentences.jsonl").is_file():
        pytest.skip("seed corpus gold not found")
    _, _, gold = corpus_gold(corpus_dir)
    scores = score_beads(gold, _align_by_paragraph(corpus_dir, encoders[encoder]))
    assert scores["strict_f1"] >= floor, scores


def test_seed_corpus_as_one_text(corpus_dir: Path, encoders: dict[str, Encoder]) -> None:
    if not (corpus_dir / "gold.sentences.jsonl").is_file():
        pytest.skip("seed corpus gold not found")
    zh, en, gold = corpus_gold(corpus_dir)
    links = align_sentences(zh, en, encoders["use"])
    assert score_beads(gold, links)["strict_f1"] >= 0.95


def test_bible_slice_length_baseline(bible_dir: Path) -> None:
    def read(name: str, k: int) -> list[str]:
        with (bible_dir / name).open(encoding="utf-8") as fh:
            return [next(fh).rstrip("\n") for _ in range(k)]

    en, en_v = read("bible.en", 300), read("en.verse", 300)
    zh_v_all = read("zh.verse", 600)
    last = max(k for k, v in enumerate(zh_v_all) if v in set(en_v))
    zh, zh_v = read("bible.zh", last + 1), zh_v_all[: last + 1]
    gold = gold_beads_from_groups(zh_v, en_v)
    links = align_sentences(zh, en, get_encoder("length"))
    assert score_beads(gold, links)["strict_f1"] >= 0.7
    merged = merge_within_groups(links, zh_v, en_v)
    assert score_beads(gold, merged)["strict_f1"] >= 0.78
