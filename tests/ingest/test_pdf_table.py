"""Table rows of a PDF are units of their own, the same in every language (issue #9).

The four PDFs in ``tests/data`` hold one made-up annex table (a header row, a
first column of text, three columns of numbers) in English and Chinese; the
English first cells wrap, the Chinese fit one line (LibreOffice's narrower
column wraps two Chinese cells too):

* ``chromium_table_{en,zh}.pdf``: an HTML table printed by Debian's chromium
  (``page.pdf`` through Playwright, A4, 11-point serif, cells centred
  vertically, so a wrapped first cell has one line above and one below the
  row's numbers);
* ``libreoffice_table_{en,zh}.pdf``: the same table as a python-docx DOCX (first
  column 3.5 cm) converted by ``soffice --headless --convert-to pdf`` (cells at
  the top: the wrapped lines follow the row's numbers).
"""

from __future__ import annotations

from pathlib import Path

import pytest
import regex

from bitext.ingest.document import load_document
from bitext.ingest.pdftable import join_table_rows

DATA = Path(__file__).resolve().parent.parent / "data"

ROWS = {
    "en": ["District 2013 2014 2015",
           "Northern highlands and coastal districts 1,204 1,350 1,411",
           "Eastern plains 310 322 340",
           "Island territories with seasonal ferry services 75 80 92"],
    "zh": ["地区2013 2014 2015", "北部高地和沿海地区1,204 1,350 1,411",
           "东部平原310 322 340", "季节性渡轮服务岛屿75 80 92"],
}
AFTER = {"en": "The figures above count the visits of the mobile library.",
         "zh": "以上数字为流动图书馆的访问次数。"}


def _squeeze(text: str, lang: str) -> str:
    """Chinese spacing apart (LibreOffice spaces a Han character from a digit)."""
    return regex.sub(r"\s+", "", text) if lang == "zh" else text


@pytest.mark.parametrize("producer", ["chromium", "libreoffice"])
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_each_table_row_is_one_unit(producer: str, lang: str) -> None:
    doc = load_document(DATA / f"{producer}_table_{lang}.pdf", lang)
    texts = [_squeeze(u.text, lang) for u in doc.units]
    rows = [_squeeze(r, lang) for r in ROWS[lang]]
    start = texts.index(rows[0])  # the header row is a unit of its own
    assert texts[start:start + len(rows)] == rows
    # the paragraph after the table is its own unit, not the end of a wrapped cell
    assert texts[start + len(rows)] == _squeeze(AFTER[lang], lang)


@pytest.mark.parametrize("producer", ["chromium", "libreoffice"])
def test_same_number_of_units_in_both_languages(producer: str) -> None:
    counts = {lang: len(load_document(DATA / f"{producer}_table_{lang}.pdf", lang).units)
              for lang in ("en", "zh")}
    assert counts["en"] == counts["zh"]


def _piece(bottom: float, x0: float, x1: float, text: str,
           size: float = 10.0) -> tuple[float, float, float, float, str, None]:
    return (bottom, bottom + size, x0, x1, text, None)


def _texts(rows: list[list[tuple[float, float, float, float, str, None]]]) -> list[list[str]]:
    return [[p[4] for p in row] for row in rows]


def test_wrapped_cell_centred_on_its_row_joins_it() -> None:
    rows = [
        [_piece(200, 0, 50, "Title of the table")],  # 10 above the header: its own
        [_piece(180, 0, 40, "Name"), _piece(180, 100, 120, "2014"),
         _piece(180, 150, 170, "2015"), _piece(180, 200, 220, "2016")],
        [_piece(160, 0, 60, "First half of")],
        [_piece(154, 100, 120, "12"), _piece(154, 150, 170, "13"), _piece(154, 200, 220, "14")],
        [_piece(148, 0, 50, "the name")],
    ]
    out = join_table_rows(rows, "___")
    assert _texts(out) == [["Title of the table"], ["Name", "2014", "2015", "2016"],
                           ["First half of the name", "12", "13", "14"]]


def test_wrapped_cell_at_the_top_goes_to_the_nearer_row() -> None:
    rows = [
        [_piece(180, 0, 40, "Name one"), _piece(180, 100, 120, "1"), _piece(180, 150, 170, "2")],
        [_piece(168, 0, 40, "goes on")],  # 2 under the row above, 5 above the next
        [_piece(153, 0, 40, "Name two"), _piece(153, 100, 120, "3"), _piece(153, 150, 170, "4")],
        [_piece(120, 0, 300, "A paragraph line across the columns")],
    ]
    out = join_table_rows(rows, "___")
    assert _texts(out) == [["Name one goes on", "1", "2"], ["Name two", "3", "4"],
                           ["A paragraph line across the columns"]]


def test_line_across_the_columns_is_never_a_cell() -> None:
    rows = [
        [_piece(180, 0, 40, "Name"), _piece(180, 100, 120, "1"), _piece(180, 150, 170, "2")],
        [_piece(172, 0, 300, "a line under it, spanning the columns")],
    ]
    assert join_table_rows(rows, "___") == rows


def test_chinese_cell_wrapped_joins_without_a_space() -> None:
    rows = [
        [_piece(180, 0, 40, "北部高地和"), _piece(180, 100, 120, "1"), _piece(180, 150, 170, "2")],
        [_piece(168, 0, 40, "沿海")],
    ]
    assert _texts(join_table_rows(rows, "___")) == [["北部高地和沿海", "1", "2"]]


def test_heading_and_foot_close_to_a_row_but_off_its_columns_stay_apart() -> None:
    """A small page: the annex heading and the running foot 0.3 of a line from
    the row, over its first column but aligned with none of its cells."""
    rows = [
        [_piece(190, 80, 115, "Heading")],
        [_piece(176, 0, 10, "1.5"), _piece(176, 30, 55, "1,234"), _piece(176, 75, 95, "2013")],
        [_piece(163, 70, 115, "Foot line")],
    ]
    assert join_table_rows(rows, "___") == rows


@pytest.mark.parametrize("producer", ["chromium", "libreoffice"])
def test_chinese_first_cell_stays_apart_from_the_numbers(producer: str) -> None:
    """The Chinese spacing rule drops a space beside a Han character; between
    two cells of a table row it is the cell boundary, and goes to none:
    ``北部高地和沿海地区1,204`` read as one token (issue #9)."""
    units = [u.text for u in load_document(DATA / f"{producer}_table_zh.pdf", "zh").units]
    assert "北部高地和沿海地区 1,204 1,350 1,411" in units
    assert "东部平原 310 322 340" in units
    assert "地区 2013 2014 2015" in units


CENTRED = {
    "en": ["District 2013 2014 2015",
           "Northern highlands and coastal districts 1,204 1,350 1,411",
           "Eastern plains 310 322 340",
           "Island territories with seasonal ferry services 75 80 92"],
    "zh": ["地区 2013 2014 2015", "北部高地和沿海地区及其附属岛屿 1,204 1,350 1,411",
           "东部平原 310 322 340", "季节性渡轮服务岛屿 75 80 92"],
}


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_wrapped_cell_of_a_centred_column_joins_its_row(lang: str) -> None:
    """``chromium_centred_table_{en,zh}.pdf``: the same made-up table as above,
    every cell centred (``text-align: center``; chromium, A4, 11 points, the
    first column 4 cm wide in English, 3 cm in Chinese, so that a cell wraps in
    both). A wrapped line of a centred cell shares no edge with the column's
    other cells, only its middle: ``Island territories`` and ``屿`` were units
    of their own."""
    doc = load_document(DATA / f"chromium_centred_table_{lang}.pdf", lang)
    texts = [u.text for u in doc.units]
    start = texts.index(CENTRED[lang][0])
    assert texts[start:start + 5] == CENTRED[lang] + [AFTER[lang]]


def test_centred_line_over_one_cell_of_a_left_aligned_column_stays_apart() -> None:
    """A line joins by its middle only where the column is centred (two of its
    cells share their middle, not their start): a title centred over the
    second column of a left-aligned table is no cell's."""
    rows = [
        [_piece(186, 105, 135, "Title")],  # 1 above the row, its middle that of "2014"
        [_piece(175, 0, 40, "Name"), _piece(175, 100, 140, "2014"),
         _piece(175, 160, 200, "2015")],
        [_piece(160, 0, 40, "Other"), _piece(160, 100, 130, "12"), _piece(160, 160, 170, "3")],
    ]
    assert join_table_rows(rows, "___") == rows


def test_a_pages_usual_line_gap_is_measured_under_its_wrapped_lines() -> None:
    """Two lines of a paragraph 10.5 points apart (11-point type in a font
    with tall lines), paragraphs 20.5 apart: the usual gap is 10.5, and a
    blank line is then more than 10.5 + 0.44 x 11 (not 0.8 x 11 = 8.8)."""
    from bitext.ingest.pdftable import blank_gap, line_gap

    def paragraph(top: float, lines: int) -> list[list[tuple[float, float, float, float, str,
                                                             None]]]:
        out = [[_piece(top - k * 21.5, 90.0, 520.0, "wrapped line", 11.0)]
               for k in range(lines - 1)]
        return [*out, [_piece(top - (lines - 1) * 21.5, 300.0, 520.0, "last line", 11.0)]]

    rows = paragraph(700.0, 3) + paragraph(700.0 - 2 * 21.5 - 31.5, 3)
    assert line_gap([rows], "___") == pytest.approx(10.5)
    assert blank_gap(11.0, 10.5) == pytest.approx(10.5 + 0.44 * 11.0)
    assert blank_gap(11.0, None) == pytest.approx(0.8 * 11.0)
    assert blank_gap(11.0, 3.7) == pytest.approx(0.8 * 11.0)  # an ordinary font: unchanged
    # one-line paragraphs measure nothing: their gaps are paragraph gaps
    items = [[_piece(700.0 - k * 31.5, 90.0, 300.0 + k, "item", 11.0)] for k in range(6)]
    assert line_gap([items], "___") is None
    # table rows (three cells) are no wrapped lines however wide
    table = [[_piece(700.0 - k * 30.6, 90.0, 200.0, "cell", 11.0),
              _piece(700.0 - k * 30.6, 300.0, 400.0, "1,240", 11.0),
              _piece(700.0 - k * 30.6, 450.0, 520.0, "2021", 11.0)] for k in range(6)]
    assert line_gap([table], "___") is None


def test_one_line_paragraphs_close_together_stay_apart() -> None:
    """One-line paragraphs 9.7 points apart in an 11-point font (6 points
    after each): every gap is a paragraph's, under a long line or a short one
    alike, so no usual line gap is measured and each stays a blank line."""
    from bitext.ingest.pdftable import line_gap

    items = [[_piece(700.0 - k * 20.7, 90.0, (520.0, 480.0, 300.0)[k % 3], "item", 11.0)]
             for k in range(9)]
    assert line_gap([items], "___") is None


def test_right_to_left_cells_drawn_in_runs_join_their_row() -> None:
    """``libreoffice_table_runs_ar.pdf``: ``libreoffice_tall_lines_ar.pdf``'s
    made-up document in DejaVu Sans, its table's first cells holding numbers
    and a slash (``الفترة من 1 إلى 15 كانون الثاني/يناير 2026``), which
    LibreOffice draws as runs (the words, ``1``, ``15``, ``/``) that touch and
    overlap. Read as one line before the cells are matched, a wrapped cell's
    lines lie in one cell of the row, as a left-to-right table's do (before,
    the wrapped line overlapped two runs of the row and stood apart)."""
    doc = load_document(DATA / "libreoffice_table_runs_ar.pdf", "ar")
    texts = [u.text for u in doc.units]
    annex = texts.index("المرفق")
    assert texts[annex + 1:annex + 4] == [
        "الفترة من 1 إلى 15 كانون الثاني/يناير 2026 1,240 35 2021",
        "الفترة من 16 إلى 28 شباط/فبراير 2026 860 41 2022",
        "الطلبات المؤجلة من الدورة 12 إلى الدورة 13 312 18 2023"]


def test_row_broken_over_a_page_gets_its_cells_end_back() -> None:
    """``libreoffice_table_page_break_en.pdf``: made-up text, a python-docx DOCX
    (12 x 12 cm pages, running head ``ORCH/7`` and foot in every page, a table
    of a 4.5 cm first column and three of numbers) converted by ``soffice
    --headless --convert-to pdf``. LibreOffice breaks the third row over the
    page: its first cell's last word ``winter`` is the next page's first line,
    under the running head, and was a unit of its own."""
    doc = load_document(DATA / "libreoffice_table_page_break_en.pdf", "en")
    texts = [u.text for u in doc.units]
    assert ("The river valley, whose terraces were planted again after the long flood of "
            "the winter 210 222 236") in texts
    assert not [t for t in texts if "winter" in t and "210" not in t]
    assert "The lower valley, with its narrow fields between the mill and the bridge over "\
        "the stream 75 80 92" in texts


HEAD = [_piece(290, 0, 40, "DOC/1")]
FOOT = [_piece(20, 0, 90, "Page foot 3")]


def _row(bottom: float, name: str, *numbers: str) -> list[tuple[float, float, float, float,
                                                                str, None]]:
    return [_piece(bottom, 0, 60, name)] + [
        _piece(bottom, 100 + 50 * k, 120 + 50 * k, n) for k, n in enumerate(numbers)]


def test_cells_end_on_the_next_page_joins_the_last_row() -> None:
    from bitext.ingest.pdftable import carry_cut_row

    before = [HEAD, _row(200, "Name one", "1", "2", "3"),
              _row(170, "Name two is long and", "4", "5", "6"), FOOT]
    after = [HEAD, [_piece(276, 0, 40, "goes on")], [_piece(264, 0, 30, "here")],
             _row(240, "Name three", "7", "8", "9"), [_piece(20, 0, 90, "Page foot 4")]]
    carry_cut_row(before, after, "___")
    assert _texts(before) == [["DOC/1"], ["Name one", "1", "2", "3"],
                              ["Name two is long and goes on here", "4", "5", "6"],
                              ["Page foot 3"]]
    assert _texts(after) == [["DOC/1"], ["Name three", "7", "8", "9"], ["Page foot 4"]]


def test_short_lines_before_another_table_or_after_a_paragraph_stay() -> None:
    """Lines at the top of a page join the last row of the page before only
    when the table runs to that page's foot (only running lines after it) and
    goes on in the same columns after them."""
    from bitext.ingest.pdftable import carry_cut_row

    def pages() -> tuple[list[list[tuple[float, float, float, float, str, None]]], ...]:
        before = [HEAD, _row(200, "Name one", "1", "2", "3"), FOOT]
        after = [HEAD, [_piece(276, 0, 40, "Table 2")],
                 _row(240, "Name three", "7", "8", "9"), [_piece(20, 0, 90, "Page foot 4")]]
        return before, after

    # another table's columns
    before, after = pages()
    after[2] = [_piece(240, 0, 60, "Name three"), _piece(240, 80, 95, "7"),
                _piece(240, 200, 215, "8"), _piece(240, 260, 270, "9")]
    kept = [list(r) for r in after]
    carry_cut_row(before, after, "___")
    assert after == kept
    # a paragraph after the table on the page before
    before, after = pages()
    before.insert(2, [_piece(150, 0, 290, "A paragraph after the table, not a running line.")])
    kept = [list(r) for r in after]
    carry_cut_row(before, after, "___")
    assert after == kept


def test_last_rows_end_alone_on_the_next_page_joins_it() -> None:
    """The table's last row broken over a page whose only other lines are the
    running head and foot: nothing else is there for the lines to be."""
    from bitext.ingest.pdftable import carry_cut_row

    before = [HEAD, _row(200, "Name one is long and", "1", "2", "3"), FOOT]
    after = [HEAD, [_piece(276, 0, 40, "ends here.")], [_piece(20, 0, 90, "Page foot 4")]]
    carry_cut_row(before, after, "___")
    assert _texts(before)[1] == ["Name one is long and ends here.", "1", "2", "3"]
    assert _texts(after) == [["DOC/1"], ["Page foot 4"]]
    # a paragraph after the short line: it may be a heading over it
    before = [HEAD, _row(200, "Name one is long and", "1", "2", "3"), FOOT]
    after = [HEAD, [_piece(276, 0, 40, "Heading")],
             [_piece(240, 0, 290, "A paragraph line across the page, under the heading.")],
             [_piece(20, 0, 90, "Page foot 4")]]
    kept = [list(r) for r in after]
    carry_cut_row(before, after, "___")
    assert after == kept


def test_row_above_the_pages_notes_is_at_its_foot() -> None:
    """The notes under their rule end the page's body: the row above them is
    the last of the page, and its cell goes on at the next page's top."""
    from bitext.ingest.pdftable import carry_cut_row

    before = [HEAD, _row(200, "Name one is long and", "1", "2", "3"),
              [_piece(60, 0, 100, "___")], [_piece(45, 0, 200, "1 A note of the page.")], FOOT]
    after = [HEAD, [_piece(276, 0, 40, "goes on")], _row(240, "Name two", "4", "5", "6"),
             [_piece(20, 0, 90, "Page foot 4")]]
    carry_cut_row(before, after, "___")
    assert _texts(before)[1] == ["Name one is long and goes on", "1", "2", "3"]
    assert _texts(after)[1] == ["Name two", "4", "5", "6"]
