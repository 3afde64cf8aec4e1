"""The hand-made gold of the seed corpus stays consistent with its raw texts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from script_loader import load_script

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpora" / "un-som-2016"

check_gold = load_script("corpora/check_gold.py")


def test_gold_is_consistent() -> None:
    problems = check_gold.check_corpus(CORPUS)
    assert problems == [], "\n".join(problems)


def test_link_shapes_meet_the_brief() -> None:
    rows = [json.loads(line) for line in (CORPUS / "gold.sentences.jsonl").open(encoding="utf-8")]
    shapes = [(len(r["zh"]), len(r["en"])) for r in rows]
    assert shapes.count((1, 2)) >= 12
    assert shapes.count((2, 1)) >= 6
    assert set(shapes) <= {(1, 1), (1, 2), (2, 1)}


@pytest.mark.parametrize(
    ("labels", "ok"),
    [
        (["header1", "I", "1", "II", "II.A", "II.A.1", "2", "III", "3", "fn1"], True),
        (["I", "1", "3"], False),
        (["I", "II.A"], False),
        (["I", "fn1", "1"], False),
        (["header2"], False),
        (["I", "I.A", "I.A.2"], False),
    ],
)
def test_label_order_rules(labels: list[str], ok: bool) -> None:
    assert (check_gold.check_label_order(labels) == []) is ok


def test_checker_reports_a_broken_sentence(tmp_path: Path) -> None:
    for name in ("zh.txt", "en.txt", "gold.terms.tsv"):
        (tmp_path / name).write_bytes((CORPUS / name).read_bytes())
    lines = (CORPUS / "gold.sentences.jsonl").read_text(encoding="utf-8").splitlines()
    row = json.loads(lines[20])
    row["en"][0] = row["en"][0] + " Invented."
    lines[20] = json.dumps(row, ensure_ascii=False)
    (tmp_path / "gold.sentences.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert check_gold.write_paragraphs(tmp_path) == 0
    problems = check_gold.check_corpus(tmp_path)
    assert any("not found" in p for p in problems)
