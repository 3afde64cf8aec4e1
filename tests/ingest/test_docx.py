"""DOCX built with python-docx: style-linked numbering, restarts, real footnotes."""

from __future__ import annotations

import zipfile
from collections.abc import Callable
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


def _rewrite(src: Path, dst: Path, edit: Callable[[str, bytes], tuple[str, bytes]]) -> None:
    """Copy the DOCX ``src`` to ``dst`` with each part (name, bytes) through ``edit``."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            name, data = edit(info.filename, zin.read(info))
            zout.writestr(name, data)


def test_strict_ooxml_reads_as_transitional(tmp_path: Path) -> None:
    """Word's 'Strict Open XML Document' writes the same parts under other namespace
    names (ISO/IEC 29500-1 strict): the text, numbering and footnotes are the same."""
    path = tmp_path / "report.docx"
    build_docx(path, EN_BLOCKS, EN_NOTES, custom={1: "*"})
    strict = tmp_path / "strict.docx"
    transitional = b"http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    _rewrite(path, strict, lambda name, data: (
        name, data.replace(transitional, b"http://purl.oclc.org/ooxml/wordprocessingml/main")))
    assert b"purl.oclc.org" in zipfile.ZipFile(strict).read("word/document.xml")
    assert read_file(strict).text == read_file(path).text


def test_main_part_found_through_the_package_relationships(tmp_path: Path) -> None:
    """A package names its main part in _rels/.rels (ECMA-376 part 2): it need not be
    word/document.xml; the parts it uses (numbering, styles, footnotes) are named in
    its own relationships."""
    path = tmp_path / "report.docx"
    build_docx(path, EN_BLOCKS, EN_NOTES, custom={1: "*"})
    moved = tmp_path / "moved.docx"

    def edit(name: str, data: bytes) -> tuple[str, bytes]:
        name = {"word/document.xml": "text/main.xml",
                "word/_rels/document.xml.rels": "text/_rels/main.xml.rels",
                "word/numbering.xml": "text/numbering.xml",
                "word/styles.xml": "text/styles.xml",
                "word/footnotes.xml": "text/notes.xml"}.get(name, name)
        data = (data.replace(b"word/document.xml", b"text/main.xml")
                .replace(b'Target="footnotes.xml"', b'Target="notes.xml"'))
        return name, data

    _rewrite(path, moved, edit)
    assert "word/document.xml" not in zipfile.ZipFile(moved).namelist()
    assert read_file(moved).text == read_file(path).text


def test_xml_nested_too_deep_says_so(tmp_path: Path) -> None:
    """libxml2 stops at 2,048 levels and says to use XML_PARSE_HUGE, advice for a
    programmer; the Error says what the file holds and what to do."""
    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    xml = (f"<w:document {w}><w:body>" + "<w:sdt>" * 100_000 + "<w:p/>" + "</w:sdt>" * 100_000
           + "</w:body></w:document>")
    path = tmp_path / "deep.docx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("word/document.xml", xml)
    with pytest.raises(InputError) as err:
        read_file(path)
    assert "XML_PARSE_HUGE" not in str(err.value)
    assert "deep" in str(err.value)
