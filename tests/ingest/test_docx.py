"""DOCX built with python-docx: style-linked numbering, restarts, real footnotes."""

from __future__ import annotations

from pathlib import Path

import pytest
from docx_builder import build_docx  # tests/ingest is on sys.path (no __init__.py)

from bitext.errors import InputError
from bitext.ingest.document import load_document
from bitext.ingest.reader import read_file

EN_BLOCKS = [
    ("plain", "Seventy-first session"),
    ("plain", "Item 28 of the provisional agenda[1]"),
    ("plain", "Report of the Secretary-General"),
    ("H1", "Introduction"),
    ("para", "The General Assembly requested a report.[2] It covers 2015."),
    ("para", "The report covers 2015."),
    ("H1", "Measures"),
    ("H2", "Legislation"),
    ("para", "States reported:"),
    ("item", "new laws;"),
    ("item", "new policies."),
    ("para", "Further measures:[3]"),
    ("item-restart", "training;"),
    ("item", "research."),
    ("plain", "5. A paragraph numbered by hand."),
]
EN_NOTES = {1: "A/71/150.", 2: "A/69/149, para. 12.", 3: "See E/2016/30."}


def test_docx_numbering_from_styles_and_footnotes(tmp_path: Path) -> None:
    path = tmp_path / "report.docx"
    build_docx(path, EN_BLOCKS, EN_NOTES, custom={1: "*"})
    doc = load_document(path, "en")
    assert [(u.label, u.text, u.footnote_refs) for u in doc.units] == [
        ("header1", "Seventy-first session", ()),
        ("header2", "Item 28 of the provisional agenda", ("*",)),
        ("header3", "Report of the Secretary-General", ()),
        ("I", "Introduction", ()),
        ("1", "The General Assembly requested a report. It covers 2015.", ("1",)),
        ("2", "The report covers 2015.", ()),
        ("II", "Measures", ()),
        ("II.A", "Legislation", ()),
        ("3", "States reported: (a) new laws; (b) new policies.", ()),
        ("4", "Further measures: (a) training; (b) research.", ("2",)),
        ("5", "A paragraph numbered by hand.", ()),
        ("fn*", "A/71/150.", ()),
        ("fn1", "A/69/149, para. 12.", ()),
        ("fn2", "See E/2016/30.", ()),
    ]


def test_docx_chinese_numbering(tmp_path: Path) -> None:
    path = tmp_path / "zh.docx"
    build_docx(path, [("plain", "第七十一届会议"), ("ZH1", "导言"),
                      ("para", "大会请秘书长提交报告。[1]"), ("ZH1", "采取的措施"),
                      ("H2", "立法"), ("para", "各国报告了：")], {1: "A/69/149。"})
    doc = load_document(path, "zh")
    assert [(u.label, u.text) for u in doc.units] == [
        ("header1", "第七十一届会议"), ("I", "导言"), ("1", "大会请秘书长提交报告。"),
        ("II", "采取的措施"), ("II.A", "立法"), ("2", "各国报告了："), ("fn1", "A/69/149。"),
    ]


def test_truncated_docx_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "report.docx"
    build_docx(path, EN_BLOCKS, EN_NOTES)
    cut = tmp_path / "cut.docx"
    cut.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    with pytest.raises(InputError, match=r"cut\.docx"):
        read_file(cut)
