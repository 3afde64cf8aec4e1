"""Corpus gold in any pair of the six languages."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bitext.align.evaluate import corpus_gold, corpus_gold_paragraphs, corpus_languages
from bitext.errors import InputError


def _write(folder: Path, name: str, records: list[dict[str, object]]) -> None:
    with open(folder / name, "w", encoding="utf-8") as fh:
        for rec in records:
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")


def test_fr_ru_gold(tmp_path: Path) -> None:
    _write(tmp_path, "gold.sentences.jsonl", [
        {"id": 1, "para": "1", "fr": ["Le Conseil.", "Il décide."], "ru": ["Совет решает."]},
        {"id": 2, "para": "2", "fr": ["Fin."], "ru": ["Конец."]},
    ])
    _write(tmp_path, "gold.paragraphs.jsonl", [{"para": "1", "fr": "Le Conseil.", "ru": ""}])
    assert corpus_languages(tmp_path) == ("fr", "ru")
    fr, ru, beads = corpus_gold(tmp_path)
    assert fr == ["Le Conseil.", "Il décide.", "Fin."] and ru == ["Совет решает.", "Конец."]
    assert beads == [((0, 1), (0,)), ((2,), (1,))]
    ru2, fr2, beads2 = corpus_gold(tmp_path, ("ru", "fr"))
    assert (ru2, fr2) == (ru, fr) and beads2 == [((0,), (0, 1)), ((1,), (2,))]
    assert corpus_gold_paragraphs(tmp_path)[2] == [((0,), ())]


def test_gold_without_two_languages(tmp_path: Path) -> None:
    _write(tmp_path, "gold.sentences.jsonl", [{"id": 1, "src": ["a"], "tgt": ["b"]}])
    with pytest.raises(InputError, match="two language keys"):
        corpus_gold(tmp_path)
