"""Table rows of a DOCX (w:tr) are units of their own, the same in every language
(issue #9): a row's cells are read as one line, not a paragraph a cell."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
import regex

from bitext.ingest.document import load_document
from bitext.ingest.reader import read_file

TABLES = {
    "en": ("1. The mobile library stopped in every district twice a month.", "Annex",
           [["District", "2013", "2014", "2015"],
            ["Northern highlands and coastal districts", "1,204", "1,350", "1,411"],
            ["Eastern plains", "310", "322", "340"],
            ["Island territories with seasonal ferry services", "75", "80", "92"]],
           "The figures above count the visits of the mobile library."),
    "zh": ("1. 流动图书馆每月在每个地区停靠两次。", "附件",
           [["地区", "2013", "2014", "2015"], ["北部高地和沿海地区", "1,204", "1,350", "1,411"],
            ["东部平原", "310", "322", "340"], ["季节性渡轮服务岛屿", "75", "80", "92"]],
           "以上数字为流动图书馆的访问次数。"),
}


def _build(path: Path, lang: str) -> list[list[str]]:
    first, annex, rows, after = TABLES[lang]
    document = docx.Document()
    document.add_paragraph(first)
    document.add_paragraph(annex)
    table = document.add_table(rows=len(rows), cols=len(rows[0]))
    for r, row in enumerate(rows):
        for c, cell in enumerate(row):
            table.cell(r, c).text = cell
    document.add_paragraph(after)
    document.save(str(path))
    return rows


def _squeeze(text: str) -> str:
    return regex.sub(r"\s+", "", text)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_each_docx_table_row_is_one_unit(tmp_path: Path, lang: str) -> None:
    rows = _build(tmp_path / f"t.{lang}.docx", lang)
    units = [u.text for u in load_document(tmp_path / f"t.{lang}.docx", lang).units]
    texts = [_squeeze(t) for t in units]
    want = [_squeeze("".join(row)) for row in rows]
    start = texts.index(want[0])  # the header row is a unit of its own
    assert texts[start:start + len(rows)] == want
    assert texts[start + len(rows)] == _squeeze(TABLES[lang][3])
    if lang == "en":  # the cells in order, a space apart
        assert units[start + 1] == "Northern highlands and coastal districts 1,204 1,350 1,411"


def test_docx_row_is_one_line_its_cells_two_spaces_apart(tmp_path: Path) -> None:
    """Two spaces: the gap the PDF reader keeps between columns, which
    :func:`bitext.ingest.structure.is_table_row` reads as a cell boundary."""
    _build(tmp_path / "t.docx", "en")
    lines = read_file(tmp_path / "t.docx").text.splitlines()
    assert "Eastern plains  310  322  340" in lines


def test_chinese_docx_row_keeps_its_cells_apart(tmp_path: Path) -> None:
    """A space between a Chinese cell and a number cell is the cell boundary,
    not the spacing that the Chinese rule drops beside a Han character."""
    _build(tmp_path / "t.zh.docx", "zh")
    units = [u.text for u in load_document(tmp_path / "t.zh.docx", "zh").units]
    assert "北部高地和沿海地区 1,204 1,350 1,411" in units
    assert "季节性渡轮服务岛屿 75 80 92" in units
