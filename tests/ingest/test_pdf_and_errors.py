"""Real PDFs (made by LibreOffice from DOCX) and clean one-line errors for bad input.

``tests/data/libreoffice_report_*.pdf`` were made once with
``soffice --headless --convert-to pdf`` from DOCX files built by ``docx_builder``
(the text is ours); their expected units are checked by ``test_unseen_docs``.
The test here rebuilds them when LibreOffice is installed.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bitext.ingest.document import load_document

DATA = Path(__file__).resolve().parent.parent / "data"


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None,
                    reason="LibreOffice (soffice) is not installed; the committed PDFs are used")
def test_rebuilt_pdf_gives_the_same_units(tmp_path: Path) -> None:
    from docx_builder import build_docx

    blocks = [("plain", "Seventy-first session"), ("H1", "Introduction"),
              ("para", "The General Assembly requested the Secretary-General to report to it "
                       "at its seventy-first session on the implementation of that resolution.[1] "
                       "The present report responds to that request."),
              ("para", "Member States reported measures in the following areas:"),
              ("item", "legislation;"), ("item", "prevention.")]
    build_docx(tmp_path / "r.docx", blocks, {1: "A/69/149, para. 12."})
    subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path),
                    str(tmp_path / "r.docx")], check=True, capture_output=True, timeout=180)
    doc = load_document(tmp_path / "r.pdf", "en")
    assert [(u.label, u.text) for u in doc.units] == [
        ("header1", "Seventy-first session"), ("I", "Introduction"),
        ("1", "The General Assembly requested the Secretary-General to report to it at its "
              "seventy-first session on the implementation of that resolution. The present "
              "report responds to that request."),
        ("2", "Member States reported measures in the following areas: (a) legislation; "
              "(b) prevention."),
        ("fn1", "A/69/149, para. 12."),
    ]


def _segment(path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "bitext.cli", "segment", str(path), *args],
                          capture_output=True, text=True, timeout=120)


BAD = [
    ("garbage pdf", "doc.pdf", b"%PDF-1.4\n" + bytes(range(256)) * 8, "PDF"),
    ("truncated pdf", "cut.pdf", None, "PDF"),
    ("truncated docx", "cut.docx", b"PK\x03\x04" + b"\x00" * 200, "DOCX"),
    ("english given as chinese", "en.txt", b"The Office reported on the Protocol and the States.\n",
     "expected Chinese"),
    ("binary", "x.bin", bytes(range(256)) * 40, "encoding"),
    ("empty", "e.txt", b"", "empty"),
]


@pytest.mark.parametrize(("name", "filename", "data", "message"), BAD, ids=[c[0] for c in BAD])
def test_segment_bad_input_is_one_clean_error(tmp_path: Path, name: str, filename: str,
                                              data: bytes | None, message: str) -> None:
    path = tmp_path / filename
    if data is None:
        whole = (DATA / "libreoffice_report_en.pdf").read_bytes()
        data = whole[: len(whole) // 3]
    path.write_bytes(data)
    result = _segment(path, "--lang", "zh")
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_segment_pdf_fixture_jsonl() -> None:
    result = _segment(DATA / "libreoffice_report_zh.pdf")
    assert result.returncode == 0, result.stderr
    labels = [json.loads(line)["label"] for line in result.stdout.splitlines()]
    assert labels[:4] == ["header1", "header2", "header3", "I"]


def test_pdf_superscript_numbers_are_the_markers() -> None:
    """``chromium_superscript_zh.pdf`` (chromium's ``page.pdf``, A5, WenQuanYi Zen
    Hei, markers in ``<sup>`` at 7 of 11 points): the raised, smaller numbers are
    the note markers; a number on the line's baseline (``2015年2月``) is text
    even where a note 2 is printed on its page."""
    doc = load_document(DATA / "chromium_superscript_zh.pdf", "zh")
    assert [(u.label, u.text, u.footnote_refs) for u in doc.units] == [
        ("1", "小组于2015年2月12日举办了会议：只有将改革与政治对话紧密联系，以确保改革取得成功。",
         ("1",)),
        ("2", "工作队可发挥重要作用。", ("2",)),
        ("fn1", "见第一份报告。", ()),
        ("fn2", "见第二份报告。", ()),
    ]


def _pdf_with_unmapped_glyph(tmp_path: Path) -> Path:
    """One line of text in a font whose ToUnicode CMap maps code ``~`` to U+0000:
    what chromium (Skia) writes for a glyph that has no character, such as the
    one glyph an Arabic font draws for a shadda with its vowel."""
    from test_bad_input import _pdf  # the hand-made PDFs' one writer

    text = b"BT /F1 12 Tf 72 700 Td (1. The Commit~tee met on Mon~day.) Tj ET"
    cmap = (b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap "
            b"1 begincodespacerange <00> <FF> endcodespacerange\n"
            b"1 beginbfrange <20> <7D> <0020> endbfrange\n"
            b"1 beginbfchar <7E> <0000> endbfchar\nendcmap end end")
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
            b"/Resources << /Font << /F1 5 0 R >> >> >>",
            b"<< /Length %d >>\nstream\n" % len(text) + text + b"\nendstream",
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /ToUnicode 6 0 R >>",
            b"<< /Length %d >>\nstream\n" % len(cmap) + cmap + b"\nendstream"]
    path = tmp_path / "unmapped.pdf"
    path.write_bytes(_pdf(objs))
    return path


def test_pdf_glyph_without_a_character_leaves_the_word_whole(tmp_path: Path) -> None:
    """A glyph the PDF maps to U+0000 is dropped: it used to stay in the units as
    NUL, which every XML and TSV writer then replaced by a space, splitting the
    word (found on chromium-made Arabic PDFs: a word cut where its marks were)."""
    doc = load_document(_pdf_with_unmapped_glyph(tmp_path), "en")
    assert [(u.label, u.text) for u in doc.units] == [
        ("1", "The Committee met on Monday.")]



def test_two_columns_read_one_after_the_other() -> None:
    """``chromium_two_columns_en.pdf`` (chromium's ``page.pdf``, A4, made-up
    text): a heading across the page, then eight numbered paragraphs in two
    balanced columns whose lines share baselines; paragraph ``n`` holds
    ``40 + 9n`` words taken from a made-up sentence, every seventh word from the
    ``n``-th. Each column is read in turn; read as rows, every line had joined
    its neighbour in the other column (6 units for 8 paragraphs)."""
    sentence = ("the committee noted that the working group had met twice during the period "
                "and had agreed on a plan of work for the next session of the body")
    words = sentence.split()
    expected = [" ".join(words[(i * 7 + n) % len(words)] for i in range(40 + 9 * n))
                .capitalize() + "." for n in range(1, 9)]
    doc = load_document(DATA / "chromium_two_columns_en.pdf", "en")
    assert [(u.label, u.text) for u in doc.units if u.kind == "paragraph"] == [
        (str(n), text) for n, text in enumerate(expected, 1)]


@pytest.mark.parametrize("name", ["chromium_two_columns_masthead_en.pdf",
                                  "chromium_two_columns_organ_en.pdf"])
def test_two_columns_under_a_masthead_above_a_note(name: str) -> None:
    """``chromium_two_columns_masthead_en.pdf`` (chromium's ``page.pdf``, A4, the
    made-up text of the fixture above, ``30 + 6n`` words in paragraph ``n``):
    a UN masthead (name and organ on the left; symbol, distribution, date and
    original language on the right), the body in two balanced columns, and
    below a rule a note whose one line reaches past the middle of the page.
    The note's line crossed the gutter, so no column was found (5 units for 8
    paragraphs); and the masthead's right-hand block, read as the top of the
    right column, ran into the paragraph there. ``..._organ_en.pdf`` is the
    same page under a longer organ's name in its 18 points, which reaches past
    the middle of the page as a column's line never does: the gutter was not
    found."""
    sentence = ("the committee noted that the working group had met twice during the period "
                "and had agreed on a plan of work for the next session of the body")
    words = sentence.split()
    expected = [" ".join(words[(i * 7 + n) % len(words)] for i in range(30 + 6 * n))
                .capitalize() + "." for n in range(1, 9)]
    doc = load_document(DATA / name, "en")
    assert [(u.label, u.text) for u in doc.units if u.kind == "paragraph"] == [
        (str(n), text) for n, text in enumerate(expected, 1)]
    assert [u.text for u in doc.units if u.kind == "footnote"] == [
        "The working group met in the spring and in the autumn."]
    assert not any("Distr" in u.text for u in doc.units if u.kind != "header")


def _made_up_paragraph(lang: str, n: int, count: int) -> str:
    """Paragraph ``n`` of the two-column fixtures below: ``count`` words (Chinese:
    characters) of a made-up sentence, every seventh from the ``n``-th."""
    text = {"ar": "ناقشت اللجنة خطة العمل للدورة المقبلة وأشارت إلى أن الفريق العامل اجتمع "
                  "مرتين خلال الفترة واتفق على برنامج للأنشطة المقررة في السنة التالية",
            "zh": "委员会讨论了下届会议的工作计划并指出工作组在本期间举行了两次会议商定了"
                  "下一年度各项活动的方案"}[lang]
    if lang == "zh":
        return "".join(text[(i * 7 + n) % len(text)] for i in range(count)) + "。"
    words = text.split()
    return " ".join(words[(i * 7 + n) % len(words)] for i in range(count)) + "."


@pytest.mark.parametrize(("lang", "sizes"), [
    ("ar", [12, 30, 9, 26, 14, 33, 8, 20]),
    ("zh", [25, 60, 18, 50, 22, 64, 15, 40])])
def test_two_columns_of_ragged_or_short_lines_under_a_masthead(
        lang: str, sizes: list[int]) -> None:
    """``chromium_two_columns_{ar,zh}.pdf`` (chromium's ``page.pdf`` of
    benchmarks/docs.py's page made from made-up text, ``--columns 2``): a UN
    masthead, then eight numbered paragraphs of ``sizes`` words (characters)
    in two balanced columns, an annex on page 2. A column is told by its
    median line (a fifth of the page wide), and on page 1 that median took
    in the masthead's short lines of distribution, date and language (the
    Chinese right-hand column: 4 of its 13 lines) and the pieces a raised
    marker or a run of another font cuts a line into; Arabic lines, not
    justified, are shorter still. The columns were not found and their lines
    read across the page as rows (4 units for 8 paragraphs)."""
    doc = load_document(DATA / f"chromium_two_columns_{lang}.pdf", lang)
    assert [(u.label, u.text) for u in doc.units if u.kind == "paragraph"][:8] == [
        (str(n), _made_up_paragraph(lang, n, count)) for n, count in enumerate(sizes, 1)]


@pytest.mark.parametrize("lang", ["en", "fr", "ar", "zh"])
def test_a_table_set_across_two_columns_reads_column_by_column(lang: str) -> None:
    """The annex of ``chromium_two_columns_{annex_en,ar,zh}.pdf`` (above): its
    heading and a table of three rows of numbers, which chromium sets in the
    page's two columns (the heading and the first row in the first, the two
    other rows in the second). A table row is cells, narrower than a
    column's lines, so at the gutter the pages before had, the page was read
    as one: the heading ran into the second column's first row
    (``Annex 2001 4,541 37.1``) and the first row came last. The two sides'
    rows are on no common baseline, as a table's cells would be. In
    ``..._annex_fr.pdf`` (the same page in made-up French) the heading
    ``Annexe`` ends where the first row's first cell does: taken for a line
    of that cell, it joined the row of the other column beside it, the
    nearest (``Annexe 2001 4,541 37.1``)."""
    name = f"chromium_two_columns_{f'annex_{lang}' if lang in ('en', 'fr') else lang}.pdf"
    units = load_document(DATA / name, lang).units
    annex = next(i for i, u in enumerate(units) if u.label == "annex")
    assert [u.text for u in units[annex + 1:]] == [
        "2000 1,000 0.0", "2001 4,541 37.1", "2002 8,082 74.2"]


def test_a_table_across_the_page_stays_whole_at_a_known_gutter() -> None:
    """A table drawn across a page whose cells leave free the x where the
    document's earlier pages had their gutter: each row has cells on both
    sides on one baseline, so the page is not read as two columns (which
    would read the left cells of every row before the right ones)."""
    from bitext.ingest.pdfcolumns import _column_groups

    rows = [(700.0 - 20 * k, f"{2000 + k}") for k in range(4)]
    items = [(y, y + 11, x0, x0 + 40, text, None) for y, text in rows
             for x0 in (80.0, 200.0, 340.0, 460.0)]
    assert _column_groups(items, 595.0, False, [290.0]) == [items]


def test_the_masthead_organ_stays_in_the_masthead_over_two_columns() -> None:
    """Page 1 of ``chromium_two_columns_annex_fr.pdf`` (above): the organ's
    name in display type on the left, at the height of the right-hand block
    of distribution, date and language. It starts where the left column's
    lines do and is as wide as they are, so it was read as that column's
    first line, after the whole right-hand block: the language line ran into
    it (``Français Assemblée générale``, a header unit whose words are out of
    the page's order). A line in display type is no column's."""
    units = load_document(DATA / "chromium_two_columns_annex_fr.pdf", "fr").units
    assert [u.text for u in units if u.kind == "header"] == [
        "Assemblée générale", "7 June 2015", "Français"]


def test_a_table_in_two_columns_splits_at_the_known_gutter_off_the_free_middle() -> None:
    """An annex page set in two columns (benchmarks/docs.py --columns 2, Russian:
    the geometry of its annex page, made-up cells): the heading and the third
    row in the left column, the first two rows in the right. No line crosses
    the gutter of the pages before (x 306), but the free stretch around it
    runs from the left column's last cell (x 226) to the right column's first
    (x 326), and its middle (276) is 30 points off that gutter: the page was
    taken for one column, its heading read into the right column's first row
    (``Приложение 2013 56,288 89.4``; 31 annex units of docs.py --columns 2
    ru). A known gutter inside a free stretch is the page's gutter."""
    from bitext.ingest.pdfcolumns import _column_groups

    def piece(y: float, x0: float, x1: float, text: str) -> tuple[float, float, float, float,
                                                                   str, None]:
        return (y, y + 11.0, x0, x1, text, None)

    head = piece(789.8, 496.5, 533.1, "A/70/999")
    annex = piece(750.2, 62.4, 137.6, "Приложение")
    left_row = [piece(723.2, 79.4, 103.9, "2002"), piece(723.2, 138.0, 171.4, "8,082"),
                piece(723.2, 205.4, 226.6, "74.2")]
    right_rows = [piece(y, x0, x1, text) for y, cells in
                  ((755.4, ("2000", "1,000", "0.0")), (734.4, ("2001", "4,541", "37.1")))
                  for (x0, x1), text in zip(((326.1, 350.7), (384.7, 418.2), (452.2, 473.4)),
                                            cells, strict=True)]
    foot = [piece(37.5, 62.4, 75.0, "2/2"), piece(37.5, 495.1, 533.1, "15-99999")]
    items = [head, annex, *left_row, *right_rows, *foot]
    groups = _column_groups(items, 595.0, False, [306.0])
    texts = [{it[4] for it in g} for g in groups]
    first = next(i for i, t in enumerate(texts) if "Приложение" in t)
    assert {"2002", "8,082", "74.2"} <= texts[first]
    assert {"2000", "1,000", "0.0", "2001", "4,541", "37.1"} <= texts[first + 1]


def test_two_columns_of_ragged_right_to_left_lines_are_found() -> None:
    """Two columns of ragged Arabic lines (benchmarks/docs.py --columns 2, page 1
    of six of its 60 Arabic documents: each column's lines end where it
    starts, on the right, and stop short of its left edge): the median line
    of a column was 0.18-0.20 of the page wide, under the fifth a column's
    lines must reach, so the page was read as rows across both columns (two
    paragraphs' lines in one unit). Most of a column's lines still fill it:
    the upper quartile is 0.195-0.25 (the one-column files' candidates, a
    masthead's block and a table's cells, at most 0.15)."""
    from bitext.ingest.pdfcolumns import _column_groups

    width = 595.0
    shares = [0.21, 0.15, 0.22, 0.17, 0.23, 0.18, 0.19, 0.24, 0.19, 0.195]
    items = []
    for k, share in enumerate(shares):
        y = 700.0 - 15 * k
        items.append((y, y + 14.7, 286.0 - share * width, 286.0, f"left {k}", None))
        items.append((y - 4, y + 10.7, 533.0 - share * width, 533.0, f"right {k}", None))
    groups = _column_groups(items, width, True, [])
    assert [sorted(it[4] for it in g) for g in groups] == [
        sorted(f"right {k}" for k in range(10)), sorted(f"left {k}" for k in range(10))]


def test_a_heading_and_a_short_line_atop_two_columns_are_the_columns() -> None:
    """Page 1 of a two-column document (the geometry of docs.py --columns 2's
    French page 1 of one document, made-up text): the left column opens with
    a heading, the right with the short last line of the left column's last
    paragraph, on one baseline. Both are narrower than a column's lines, so
    the columns were taken to start below them: the two were read as one row
    above the columns (``I. Cinquième session autres.``). A line that starts
    where its column's lines do, a heading's gap or less above the column's
    first line, is the column's; the masthead's block (starting elsewhere) and
    a running head (two lines above) are not."""
    from bitext.ingest.pdfcolumns import _column_groups

    def piece(y: float, x0: float, x1: float, text: str, tall: float = 11.0
              ) -> tuple[float, float, float, float, str, None]:
        return (y, y + tall, x0, x1, text, None)

    items = [piece(784.1, 62.4, 148.1, "Nations Unies", 13.0),
             piece(780.2, 432.9, 533.1, "E/C.99/2015/1", 16.0),
             piece(746.4, 444.0, 518.9, "Distr. générale"),
             piece(736.9, 62.4, 325.4, "Conseil économique et social", 18.0),
             piece(731.4, 444.0, 507.5, "28 juin 2015"),
             piece(701.4, 444.0, 533.1, "Original : anglais"),
             piece(670.7, 62.4, 169.3, "I. Titre court"),
             piece(670.7, 309.1, 344.9, "fin.")]
    left = [piece(644.4 - 15 * k, 62.4, 62.4 + w, f"gauche {k}")
            for k, w in enumerate([179, 144, 121, 172, 89, 150, 137, 171, 172, 141])]
    right = [piece(647.4 - 15 * k, 309.1, 309.1 + w, f"droite {k}")
             for k, w in enumerate([168, 179, 169, 156, 165, 109, 150, 160, 170, 140])]
    groups = _column_groups(items + left + right, 595.0, False, [])
    texts = [[it[4] for it in sorted(g, key=lambda it: -it[1])] for g in groups]
    assert texts[1] == ["I. Titre court"] + [f"gauche {k}" for k in range(10)]
    assert texts[2] == ["fin."] + [f"droite {k}" for k in range(10)]


# the masthead's name as wide as its English (0.17 of the page) or as the
# Russian (0.4, wider than a column's line)
@pytest.mark.parametrize("name_end", [165.2, 302.4])
def test_two_columns_of_short_headings_under_a_masthead(name_end: float) -> None:
    """Page 1 of a two-column document holding only headings (the geometry of
    docs.py --columns 2's Spanish page 1 of one document, made-up text): the
    left column has two headings wrapped in two lines each and a third, the
    right three short ones (0.1 of the page). The right side's lines are no
    column's wide, so the page was read as rows, the headings of the two
    columns interleaved (``I. Org one IV. Land``), and no gutter was known on
    the annex page after it (``Annex 2013 ...``). No line of the right side's
    headings is on a baseline of the left's: two columns of lines set apart,
    no row of cells; one side's lines as wide as a column's are enough (those
    under the masthead's display type: a masthead's name as wide as a
    column's line, as the Russian is, put the masthead block into the right
    column)."""
    from bitext.ingest.pdfcolumns import _column_groups

    def piece(y: float, x0: float, x1: float, text: str, tall: float = 11.0
              ) -> tuple[float, float, float, float, str, None]:
        return (y, y + tall, x0, x1, text, None)

    masthead = [piece(784.1, 62.4, name_end, "United Nations", 13.0),
                piece(780.2, 452.6, 533.1, "S/2099/360", 16.0),
                piece(746.4, 432.4, 501.4, "Distr.: General"),
                piece(736.9, 62.4, 257.9, "Security Council", 18.0),
                piece(731.4, 432.4, 533.1, "15 June 2099"),
                piece(716.4, 432.4, 473.9, "English"),
                piece(701.4, 432.4, 512.1, "Original: French")]
    left = [piece(670.7, 62.4, 216.3, "I. Organization for the"),
            piece(655.7, 62.4, 223.1, "Study of Rivers (Lakeside)"),
            piece(629.4, 62.4, 220.4, "II. Organization for the"),
            piece(614.4, 62.4, 223.5, "Study of Rivers (Hilltown)"),
            piece(588.2, 62.4, 180.8, "III. Republic of Ruritania")]
    right = [piece(659.4, 309.1, 367.3, "IV. Freedonia"),
             piece(633.2, 309.1, 351.1, "V. Sylvania"),
             piece(606.9, 309.1, 382.6, "VI. Grand Fenwick")]
    foot = [piece(37.5, 62.4, 125.8, "GE.99-14641(E)"), piece(37.5, 488.9, 533.1, "*9914641*")]
    known: list[float] = []
    groups = _column_groups(masthead + left + right + foot, 595.0, False, known)
    texts = [[it[4] for it in sorted(g, key=lambda it: -it[1])] for g in groups]
    assert texts[0] == [it[4] for it in masthead]
    assert texts[1][:5] == [it[4] for it in left]
    assert texts[2][:3] == [it[4] for it in right]
    assert len(known) == 1


def test_a_list_of_short_lines_beside_a_column_is_one_column() -> None:
    """... but a page whose short lines stand on the baselines of the wide ones
    beside them (a table of a wide column of text and a short one: made up) is
    one column: its rows are read across."""
    from bitext.ingest.pdfcolumns import _column_groups

    items = []
    for k in range(8):
        y = 700.0 - 15 * k
        items.append((y, y + 11.0, 62.4, 223.0, f"wide {k}", None))
        items.append((y, y + 11.0, 309.1, 360.0, f"short {k}", None))
    assert _column_groups(items, 595.0, False, []) == [items]


def _ar_masthead(piece: Callable[..., tuple[float, float, float, float, str, None]]
                 ) -> list[tuple[float, float, float, float, str, None]]:
    """An Arabic UN page 1's masthead as docs.py --columns 2 draws it (made-up
    symbol and date): the name and organ on the right in Arabic, the block of
    symbol, distribution, date and language on the left in Latin."""
    return [piece(779.7, 470.9, 532.9, "name", 17.4),
            piece(780.2, 62.1, 142.6, "S/2099/360", 16.0),
            piece(745.7, 75.7, 149.8, "Distr.: General"),
            piece(730.0, 450.6, 532.9, "organ", 24.1),
            piece(730.7, 83.4, 149.8, "June 2099 15"),
            piece(715.7, 115.2, 149.8, "Arabic"),
            piece(700.7, 62.1, 149.8, "Original: English")]


def _piece(y: float, x0: float, x1: float, text: str, tall: float = 11.0
           ) -> tuple[float, float, float, float, str, None]:
    return (y, y + tall, x0, x1, text, None)


def test_two_columns_of_short_headings_set_apart_under_a_fifth_of_the_page() -> None:
    """The Arabic page 1 of a two-column document holding only headings (the
    geometry of docs.py --columns 2's Arabic page 1 of one document, made-up
    text): the right column's headings are 0.15-0.25 of the page wide, their
    upper quartile 0.198; the left column's 0.15-0.18. The two sides are set
    apart (no line of one on a baseline of the other), but the wider side's
    upper quartile was under the fifth of the page a column's prose reaches,
    so the page was read as rows (a heading of each column in one unit).
    Where the sides are set apart, the wider need only be wider than the
    non-column lines of the one-column files (:data:`_APART_WIDTH`)."""
    from bitext.ingest.pdfcolumns import _column_groups

    right = [_piece(666.2, 446.5, 532.9, "first heading", 14.7),
             _piece(639.9, 415.9, 532.9, "second heading", 14.8),
             _piece(624.9, 385.5, 532.9, "second, line two", 14.8),
             _piece(609.9, 434.8, 532.9, "second, line three", 14.8),
             _piece(583.7, 415.3, 532.9, "third heading", 14.7)]
    left = [_piece(654.9, 177.2, 286.2, "fourth heading", 14.8),
            _piece(628.7, 180.8, 286.2, "fifth heading", 14.7),
            _piece(602.4, 199.0, 286.2, "sixth heading", 14.8)]
    foot = [_piece(37.5, 62.1, 106.4, "*9938188*", 9.0),
            _piece(37.5, 468.0, 532.9, "GE.99-38188(A)", 9.0)]
    known: list[float] = []
    groups = _column_groups(_ar_masthead(_piece) + right + left + foot, 595.0, True, known)
    texts = [[it[4] for it in sorted(g, key=lambda it: -it[1])] for g in groups]
    # the right column first, then the left (the job number and star code at
    # the foot of each side may end its column)
    assert texts[1][:len(right)] == [it[4] for it in right]
    assert texts[2][:len(left)] == [it[4] for it in left]
    assert len(known) == 1


def test_two_columns_of_short_right_to_left_headings() -> None:
    """The Arabic page 1 of a two-column document holding only headings (the
    geometry of docs.py --columns 2's Arabic page 1 of one document, made-up
    text): the right column's headings wrap after 0.195 and 0.199 of the page
    (a short second line each), the left column's three are 0.08-0.11 wide.
    Set apart (no line of one side on a baseline of the other) but no side's
    upper quartile a fifth of the page: read as rows, a heading of the right
    column and one of the left in one unit. Where the two sides are set
    apart, the wider side need only be wider than the lines of the
    non-column candidates of the one-column files (a masthead's block, a
    table's cells), as measured (:data:`_APART_WIDTH`); and the page's body
    size is the one most of its text (by width) is set in: the Latin
    masthead's block has more lines (11 points) than the Arabic headings
    (14.7), which were taken for display type."""
    from bitext.ingest.pdfcolumns import _column_groups

    piece = _piece
    masthead = _ar_masthead(piece)
    right = [piece(666.2, 416.9, 532.9, "first heading -", 14.7),
             piece(651.2, 513.6, 532.9, "end one"),
             piece(624.9, 414.8, 532.9, "second heading -", 14.8),
             piece(609.9, 509.8, 532.9, "end two"),
             piece(583.7, 451.5, 532.9, "third heading", 14.7)]
    left = [piece(654.9, 241.1, 286.2, "fourth", 14.8),
            piece(628.7, 222.5, 286.2, "fifth", 14.7),
            piece(602.4, 225.5, 286.2, "sixth", 14.8)]
    foot = [piece(37.5, 62.1, 106.4, "*9914641*", 9.0),
            piece(37.5, 468.0, 532.9, "GE.99-14641(A)", 9.0)]
    known: list[float] = []
    groups = _column_groups(masthead + right + left + foot, 595.0, True, known)
    texts = [[it[4] for it in sorted(g, key=lambda it: -it[1])] for g in groups]
    assert texts[0] == [it[4] for it in sorted(masthead, key=lambda it: -it[1])]
    assert texts[1][:len(right)] == [it[4] for it in right]
    assert texts[2][:len(left)] == [it[4] for it in left]
    assert len(known) == 1


def test_table_whose_first_cells_wrap_is_no_two_columns() -> None:
    """An annex table printed by chromium (the geometry of
    ``tests/data/chromium_table_en.pdf``, made-up text): the first column's
    cells wrap (0.13-0.21 of the page, centred, so their lines fall between
    the number rows' baselines) and the sides of the gutter between the
    first column and the numbers are set apart as two columns of short
    headings are. But the number side's lines are rows of cells, several
    pieces on one baseline more than a line's size apart; a column's line,
    a heading's, is one piece (or pieces touching: a marker, a run of
    another font). Read as two columns, the table's rows came apart."""
    from bitext.ingest.pdfcolumns import _column_groups

    first = [_piece(623.4, 89.3, 127.6, "Name"),
             _piece(600.2, 89.3, 215.8, "first name, its"),
             _piece(585.2, 89.3, 170.6, "second line"),
             _piece(562.7, 89.3, 164.1, "second name"),
             _piece(539.4, 89.3, 204.7, "third name, its"),
             _piece(524.4, 89.3, 208.7, "second line too")]
    numbers = []
    for y, cells in ((623.4, ("2013", "2014", "2015")), (592.7, ("1,204", "1,350", "1,411")),
                     (562.7, ("310", "322", "340")), (531.9, ("75", "80", "92"))):
        for x1, cell in zip((268.4, 319.9, 371.4), cells, strict=True):
            numbers.append(_piece(y, x1 - 6.0 * len(cell), x1, cell))
    items = [_piece(744.9, 76.5, 396.3, "1. A paragraph's line across the page"),
             _piece(708.8, 76.5, 131.0, "Annex", 16.5),
             _piece(680.4, 76.5, 114.1, "Table 1"),
             _piece(654.2, 76.5, 160.3, "Title of the table"),
             *first, *numbers,
             _piece(494.4, 76.5, 364.5, "A paragraph's line under the table")]
    known: list[float] = []
    assert _column_groups(items, 595.0, False, known) == [items]
    assert known == []


_LINE = st.tuples(st.floats(40.0, 780.0), st.sampled_from([9.0, 11.0, 14.7, 18.0]),
                  st.floats(50.0, 520.0), st.floats(10.0, 480.0))


@settings(max_examples=200, deadline=None)
@given(lines=st.lists(_LINE, max_size=40), rtl=st.booleans())
def test_column_groups_keep_every_piece_once(lines: list[tuple[float, float, float, float]],
                                             rtl: bool) -> None:
    """Whatever the page's geometry (columns, tables, headings set apart, rows
    of cells), the reading groups hold each of its pieces once: grouping
    never drops or repeats text."""
    from bitext.ingest.pdfcolumns import _column_groups

    items = [(y, y + tall, x0, min(x0 + w, 545.0), f"piece {k}", None)
             for k, (y, tall, x0, w) in enumerate(lines)]
    groups = _column_groups(items, 595.0, rtl, [])
    assert sorted(it[4] for g in groups for it in g) == sorted(it[4] for it in items)


_EDGE_LINE = st.tuples(st.floats(40.0, 780.0), st.sampled_from([9.0, 11.0, 14.7]),
                       st.one_of(st.floats(50.0, 520.0), st.sampled_from([62.0, 309.0])),
                       st.floats(10.0, 230.0))


@settings(max_examples=200, deadline=None)
@given(lines=st.lists(_EDGE_LINE, max_size=30), rtl=st.booleans())
def test_column_groups_at_known_edges_keep_every_piece_once(
        lines: list[tuple[float, float, float, float]], rtl: bool) -> None:
    """At a known gutter whose columns' edges are known (lines often start
    at them, :func:`_at_edges`), the reading groups still hold each piece
    once."""
    from bitext.ingest.pdfcolumns import _column_groups

    items = [(y, y + tall, x0, min(x0 + w, 545.0), f"piece {k}", None)
             for k, (y, tall, x0, w) in enumerate(lines)]
    edges = {297.5: (62.0, 309.0) if not rtl else (286.0, 533.0)}
    groups = _column_groups(items, 595.0, rtl, [297.5], edges)
    assert sorted(it[4] for g in groups for it in g) == sorted(it[4] for it in items)


def test_columns_whose_first_lines_share_baselines_under_a_masthead_block() -> None:
    """Page 1 of a two-column document holding names under headings (the
    geometry of docs.py --columns 2's Spanish page 1 of one document, made-up
    text): the masthead's block of distribution, date and language on the
    right (4 short lines) stands above the right column's 4 headings. Where
    most of the right side's lines start was a tie, taken by the block's
    edge, so its column's top was the masthead's and its short block lines
    took its width under a fifth of the page; the two columns' first lines
    share baselines, so the sides were not set apart either, and the page
    was read as rows (a heading of each column in one unit). A column's
    edge is where most of its text (by width) starts: its lines are wider
    than the block's."""
    from bitext.ingest.pdfcolumns import _column_groups

    masthead = [_piece(784.1, 62.4, 165.2, "United Nations", 13.0),
                _piece(780.2, 443.9, 533.1, "S/2099/1", 16.0),
                _piece(746.4, 432.4, 501.4, "Distr.: General"),
                _piece(736.9, 62.4, 257.9, "Security Council", 18.0),
                _piece(731.4, 432.4, 533.1, "28 June 2099"),
                _piece(716.4, 432.4, 473.9, "Spanish"),
                _piece(701.4, 432.4, 512.1, "Original: English")]
    left = [_piece(670.7, 62.4, 166.8, "I. First name"),
            _piece(644.4, 62.4, 232.3, "1. A heading that wraps over"),
            _piece(629.4, 62.4, 225.9, "three lines of the left"),
            _piece(614.4, 62.4, 239.0, "column, under the first"),
            _piece(599.4, 62.4, 240.9, "name of the page")]
    right = [_piece(670.7, 309.1, 445.9, "II. Second name here"),
             _piece(644.4, 309.1, 447.3, "III. Third name (place)"),
             _piece(618.2, 309.1, 422.1, "IV. A date in 2099"),
             _piece(591.9, 309.1, 383.9, "V. Fifth name")]
    foot = [_piece(37.5, 62.4, 125.8, "GE.99-38188(S)", 9.0),
            _piece(37.5, 488.9, 533.1, "*9938188*", 9.0)]
    known: list[float] = []
    groups = _column_groups(masthead + left + right + foot, 595.0, False, known)
    texts = [[it[4] for it in sorted(g, key=lambda it: -it[1])] for g in groups]
    assert texts[0] == [it[4] for it in sorted(masthead, key=lambda it: -it[1])]
    assert texts[1][:len(left)] == [it[4] for it in left]
    assert texts[2][:len(right)] == [it[4] for it in right]
    assert len(known) == 1


def test_a_heading_run_on_into_the_next_column_for_one_line() -> None:
    """A continuation page at the gutter of the pages before (the geometry of
    docs.py --columns 2's English page 2 of one document, made-up text): a
    heading's last two lines end the left column and its last word is the
    right column's one line. Both columns start on the band's top line, so
    the right column's line shares a baseline with the left's first, as
    does the running foot (page number and job number): two of its three
    lines, and the page was taken for a table, read as rows (the heading's
    last word read into its second line). The first baseline both sides
    share is where the two columns start, no evidence of a table's row."""
    from bitext.ingest.pdfcolumns import _column_groups

    head = _piece(789.8, 464.5, 533.1, "A/99/6", 9.0)
    left = [_piece(759.2, 62.4, 214.8, "a heading that wraps over"),
            _piece(744.9, 62.4, 230.7, "two lines of the left column")]
    right = [_piece(759.2, 309.1, 378.9, "Ending")]
    foot = [_piece(37.5, 62.4, 75.0, "2/3", 9.0), _piece(37.5, 495.1, 533.1, "99-50428", 9.0)]
    known = [286.9]
    groups = _column_groups([head, *left, *right, *foot], 595.0, False, known)
    texts = [[it[4] for it in sorted(g, key=lambda it: -it[1])] for g in groups]
    first = next(i for i, t in enumerate(texts) if left[0][4] in t)
    assert texts[first][:2] == [it[4] for it in left]
    assert texts[first + 1][0] == "Ending"


def test_a_word_run_on_atop_a_column_whose_other_lines_are_furniture() -> None:
    """A continuation page at the gutter of the pages before (the geometry of
    docs.py --columns 2's Spanish page 2 of one document, made-up text): the
    left column ends a word broken at the page before (``...nte.``) and holds
    a heading; the right column is one line, the heading's last word. The
    right side's only other lines are the running head and foot (9 points),
    which set where its column's lines start, so the word was no column
    line and was read above the columns, before the end of the broken word
    on the left. A column's edge is told by its lines in the body's type."""
    from bitext.ingest.pdfcolumns import _column_groups

    head = _piece(789.8, 467.3, 533.1, "A/99/839/ADD.9", 9.0)
    left = [_piece(759.2, 62.4, 81.9, "nte."),
            _piece(735.9, 62.4, 193.6, "II. A heading of")]
    right = [_piece(759.2, 309.1, 354.3, "words")]
    foot = [_piece(37.5, 62.4, 75.0, "2/3", 9.0), _piece(37.5, 495.1, 533.1, "99-43464", 9.0)]
    known = [274.9]
    groups = _column_groups([head, *left, *right, *foot], 595.0, False, known)
    texts = [[it[4] for it in sorted(g, key=lambda it: -it[1])] for g in groups]
    assert texts[0] == ["A/99/839/ADD.9"]
    assert texts[1][:2] == ["nte.", "II. A heading of"]
    assert texts[2][0] == "words"


def test_short_right_to_left_columns_at_their_edges_are_no_table() -> None:
    """Page 2 of an Arabic two-column document (the geometry of docs.py
    --columns 2's Arabic page 2 of one document, made-up text): each column
    ends after two or three lines, a heading of each at one height, so every
    line of the shorter side shares a baseline with the other side's: read
    as a table's rows, a heading ran into the middle of the other column's
    item. The lines end (right to left) exactly where the two columns' lines
    ended on page 1, which a table's cells drawn across the page do not:
    the sides are the columns."""
    from bitext.ingest.pdfcolumns import _column_groups

    def column(x0: float, x1: float) -> list[tuple[float, float, float, float, str, None]]:
        return [_piece(740.0 - 15.0 * k, x0, x1, f"{x1} line {k}", 14.7) for k in range(12)]

    known: list[float] = []
    edges: dict[float, tuple[float, float]] = {}
    page1 = column(309.1, 532.9) + column(62.4, 286.2)
    assert len(_column_groups(page1, 595.0, True, known, edges)) == 2
    head = _piece(789.8, 62.1, 122.1, "E/RES/2099/1", 9.0)
    right = [_piece(755.4, 481.0, 532.9, "end of item", 14.7),
             _piece(729.2, 404.5, 532.9, "2 - an item that", 14.7),
             _piece(714.9, 407.3, 532.9, "wraps to a second line", 14.7)]
    left = [_piece(755.4, 186.0, 286.2, "end of the item", 14.7),
            _piece(729.2, 214.1, 286.2, "3 - A heading", 14.7)]
    foot = [_piece(37.5, 62.1, 100.1, "99-23234", 9.0), _piece(37.5, 520.3, 532.9, "2/3", 9.0)]
    groups = _column_groups([head, *right, *left, *foot], 595.0, True, known, edges)
    texts = [[it[4] for it in sorted(g, key=lambda it: -it[1])] for g in groups]
    first = next(i for i, t in enumerate(texts) if right[0][4] in t)
    assert texts[first][:3] == [it[4] for it in right]
    assert texts[first + 1][:2] == [it[4] for it in left]
    # a table drawn across the page: its cells end elsewhere, one row each
    cells = [_piece(700.0 - 20 * k, x1 - 40.0, x1, f"{x1} {k}") for k in range(3)
             for x1 in (150.0, 270.0, 420.0, 520.0)]
    assert _column_groups(cells, 595.0, True, known, edges) == [cells]


def test_a_note_area_over_most_of_the_page_is_the_notes() -> None:
    """``libreoffice_long_note_en.pdf``: a DOCX of ``docx_builder`` (nine made-up
    paragraphs, a note of 16 sentences after paragraph 8 and a short one after
    paragraph 9) converted by LibreOffice 7.4 (``soffice --headless --convert-to
    pdf``): the notes fill the second page from 74% of its height down, so their
    separator is in the page's upper part. The notes are notes, not paragraph 9."""
    doc = load_document(DATA / "libreoffice_long_note_en.pdf", "en")
    units = {u.label: u for u in doc.units}
    assert units["9"].text.endswith("The working group met 10 times in the course of the year.")
    assert units["fn1"].text.startswith("Sentence 1 of a long note")
    assert units["fn1"].text.endswith("Sentence 16 of a long note explains the method used by "
                                      "the secretariat to compile the national contributions "
                                      "received before the deadline.")
    assert units["fn2"].text == "The second note is short and ends the note area."
    assert units["8"].footnote_refs == ("1",) and units["9"].footnote_refs == ("2",)


def test_a_font_with_tall_lines_keeps_its_paragraphs_whole() -> None:
    """``libreoffice_tall_lines_ar.pdf``: a DOCX of ``docx_builder`` (made-up
    Arabic text: two unnumbered and five numbered paragraphs, a long footnote,
    an annex table of four columns whose first cells wrap), right to left by
    ``w:bidi``, its styles set in Noto Naskh Arabic, converted by LibreOffice 7.4
    (``soffice --headless --convert-to pdf``). The font's lines are 21.5 points
    apart for 11-point type, so two lines of one paragraph are 10.5 points apart,
    more than a blank line is against the type size; paragraphs are 20.5 apart.
    The page's own line gap tells them apart: each paragraph, note and table row
    is one unit, whole (the table's last two rows are on page 2, too few lines
    to measure: page 1's gap holds)."""
    doc = load_document(DATA / "libreoffice_tall_lines_ar.pdf", "ar")
    units = {u.label: u for u in doc.units}
    assert units["2"].text.endswith("ونشرها على الجمهور.") and units["2"].footnote_refs == ("1",)
    assert units["fn1"].text.startswith("أعدت هذه الأرقام استنادا إلى الردود")
    assert units["fn1"].text.endswith("وأسباب تلك الفروق.")
    texts = [u.text for u in doc.units]
    annex = texts.index("المرفق")
    assert texts[annex + 1:annex + 4] == [
        "الطلبات الواردة من المنظمات الإقليمية ودون الإقليمية 1,240 35 2021",
        "الطلبات الواردة من البلدان 860 41 2022",
        "الطلبات المؤجلة من الدورة السابقة إلى الدورة الحالية 312 18 2023"]


#: The paragraphs of ``libreoffice_page_top_paragraphs_en.pdf``, in order: ten
#: numbered (1-10) with an unnumbered one after every second.
PAGE_TOP_PARAGRAPHS = [
    ('The new cider press was tested on a small batch of late pears. The next meeting '
     'will be held in the barn after the harvest.'),
    ('The next meeting will be held in the barn after the harvest. Several growers '
     'asked for a second visit of the pruning teacher. The treasurer reported that the '
     'sale of honey covered the cost of the seeds. The orchard society met in the old '
     'mill by the river in early spring.'),
    ('The orchard society met in the old mill by the river in early spring. The '
     'members agreed to share the ladders between the two villages. A committee of '
     'three was asked to repair the fence by the lower field. The new cider press was '
     'tested on a small batch of late pears.'),
    ('A committee of three was asked to repair the fence by the lower field. Its '
     'members counted the apple trees planted along the northern terraces. Several '
     'growers asked for a second visit of the pruning teacher. The next meeting will '
     'be held in the barn after the harvest.'),
    ('The next meeting will be held in the barn after the harvest. A committee of '
     'three was asked to repair the fence by the lower field. Several growers asked '
     'for a second visit of the pruning teacher. Its members counted the apple trees '
     'planted along the northern terraces.'),
    ('The new cider press was tested on a small batch of late pears. The members '
     'agreed to share the ladders between the two villages.'),
    ('The members agreed to share the ladders between the two villages. Several '
     'growers asked for a second visit of the pruning teacher. The orchard society met '
     'in the old mill by the river in early spring. The next meeting will be held in '
     'the barn after the harvest.'),
    ('The orchard society met in the old mill by the river in early spring. The new '
     'cider press was tested on a small batch of late pears.'),
    ('The treasurer reported that the sale of honey covered the cost of the seeds. A '
     'committee of three was asked to repair the fence by the lower field.'),
    ('The members agreed to share the ladders between the two villages. Several '
     'growers asked for a second visit of the pruning teacher. A committee of three '
     'was asked to repair the fence by the lower field. The next meeting will be held '
     'in the barn after the harvest.'),
    ('The next meeting will be held in the barn after the harvest. Its members counted '
     'the apple trees planted along the northern terraces. The new cider press was '
     'tested on a small batch of late pears. The orchard society met in the old mill '
     'by the river in early spring.'),
    ('The new cider press was tested on a small batch of late pears. A committee of '
     'three was asked to repair the fence by the lower field.'),
    ('The treasurer reported that the sale of honey covered the cost of the seeds. '
     'Several growers asked for a second visit of the pruning teacher.'),
    ('The treasurer reported that the sale of honey covered the cost of the seeds. A '
     'committee of three was asked to repair the fence by the lower field. The next '
     'meeting will be held in the barn after the harvest.'),
]


def test_a_paragraph_at_a_page_top_after_a_short_last_line_is_its_own() -> None:
    """``libreoffice_page_top_paragraphs_en.pdf``: a python-docx DOCX of made-up
    text (12 x 12 cm pages, 10-point justified paragraphs, a running head
    ``ORCH/9``) converted by LibreOffice 7.4 (``soffice --headless --convert-to
    pdf``). Three pages end with a numbered paragraph's short last line and the
    next opens with an unnumbered paragraph (no number, no blank line that is
    not the page's layout): each is a unit of its own. Page 4 ends with a
    full line that ends a sentence and paragraph 8 goes on at page 5's top; an
    unnumbered paragraph breaks mid-sentence over pages 1 and 2: both stay whole."""
    doc = load_document(DATA / "libreoffice_page_top_paragraphs_en.pdf", "en")
    assert [u.text for u in doc.units] == PAGE_TOP_PARAGRAPHS
