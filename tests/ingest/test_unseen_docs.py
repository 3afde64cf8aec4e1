"""Whole documents shaped like UN extractions we have not seen before.

Each fixture ``tests/data/NAME.txt`` is a short, hand-written document laid out
the way ``pdftotext`` renders a UN document (masthead, footers with job numbers,
running heads, footnotes at the page foot, tables, bullets, an annex). The
expected units are in ``NAME.expected.jsonl``, one ``{"label", "text",
"sentences"}`` object per unit, checked by hand.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bitext.ingest.document import load_document

DATA = Path(__file__).resolve().parent.parent / "data"
FIXTURES = sorted(p.name.removesuffix(".expected.jsonl") for p in DATA.glob("*.expected.jsonl"))


def _lang(name: str) -> str:
    return "zh" if "_zh" in name else "en"


def _units(path: Path, lang: str) -> list[dict[str, object]]:
    doc = load_document(path, lang)
    return [{"label": u.label, "text": u.text, "sentences": list(u.sentences)} for u in doc.units]


@pytest.mark.parametrize("name", FIXTURES)
def test_document_units(name: str) -> None:
    source = next(p for p in DATA.glob(f"{name}.*") if not p.name.endswith(".expected.jsonl"))
    with open(DATA / f"{name}.expected.jsonl", encoding="utf-8") as fh:
        expected = [json.loads(line) for line in fh if line.strip()]
    assert _units(source, _lang(name)) == expected


def test_same_report_gives_same_labels_in_both_languages() -> None:
    en = load_document(DATA / "ga_report_en.txt", "en")
    zh = load_document(DATA / "ga_report_zh.txt", "zh")
    assert [u.label for u in en.units] == [u.label for u in zh.units]


if __name__ == "__main__":  # regenerate: python tests/ingest/test_unseen_docs.py NAME.txt ...
    import sys

    for arg in sys.argv[1:]:
        src = DATA / arg
        stem = src.name.split(".")[0]
        with open(DATA / f"{stem}.expected.jsonl", "w", encoding="utf-8") as out:
            for unit in _units(src, _lang(stem)):
                out.write(json.dumps(unit, ensure_ascii=False) + "\n")
