"""Right-to-left PDF lines read back in logical order (:mod:`bitext.ingest.bidi`).

``tests/data/chromium_rtl_ar.pdf`` was made once by printing a four-line Arabic
HTML page and a right-to-left table row of numbers with Debian's chromium
(``page.pdf`` through Playwright, a font without Arabic so that a fallback font
draws it): chromium draws those lines glyph by
glyph from left to right, in presentation forms, as browsers' and some Word
exports do.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import regex

from bitext.ingest.bidi import is_rtl, logical_line, reads_right_to_left, visual_to_logical
from bitext.ingest.document import load_document

DATA = Path(__file__).resolve().parent.parent / "data"

VISUAL = [
    ("letters only", "ةنجللا", "اللجنة"),
    ("number stays left to right", "2015 ماع يف", "في عام 2015"),
    ("number with separators", "رالود 91,056 غلبم", "مبلغ 91,056 دولار"),
    ("symbol and brackets", "(12 ةرقفلا ،A/70/305 رظنا)", "(انظر A/70/305، الفقرة 12)"),
    ("Latin words keep their order", "يف United Nations Office عم", "مع United Nations Office في"),
    ("paragraph number on the right", "ةنجللا تبحر - 1", "1 - رحبت اللجنة"),
    ("guillemets", "«ةيمهأ»", "«أهمية»"),
    ("Arabic-Indic digits", "٢٠١٥ ماع", "عام ٢٠١٥"),
    # after Arabic letters a hyphen between numbers runs right to left (UAX 9, W2)
    ("a range of years", "()2013-2010 ةرتفلا", "الفترة 2010-2013()"),
    ("two numbers apart", "2013 و 2010 نيب", "بين 2010 و 2013"),
    ("numbers after a Latin word stay with it", "(UNDP 2010-2013) جمانرب",
     "برنامج (UNDP 2010-2013)"),
]


@pytest.mark.parametrize(("name", "visual", "logical"), VISUAL, ids=[v[0] for v in VISUAL])
def test_visual_to_logical(name: str, visual: str, logical: str) -> None:
    assert visual_to_logical(visual) == logical


def test_is_rtl_by_most_letters() -> None:
    assert is_rtl("رحبت اللجنة A/70/305")
    assert not is_rtl("Distr.: General")
    assert not is_rtl("The Committee (اللجنة) met")
    assert not is_rtl("2015 12")


def _chars(visual: str, gap_after: int | None = None) -> list[tuple[float, float, float, str]]:
    """``visual``'s characters placed left to right, 5 units wide, 10 high."""
    out, x = [], 0.0
    for i, ch in enumerate(visual):
        out.append((x, x + 5, 10.0, ch))
        x += 5 + (3 if i == gap_after else 0)
    return out


def test_logical_line_orders_by_position_whatever_the_drawing_order() -> None:
    chars = _chars("2015 ماع يف")
    assert logical_line(chars) == "في عام 2015"
    assert logical_line(chars[::-1]) == "في عام 2015"  # drawn right to left
    assert logical_line(_chars("Office of the")) == "Office of the"


def test_line_of_numbers_takes_the_direction_it_is_given() -> None:
    """Numbers have no direction: on a right-to-left page a row of them reads
    from the right, each number left to right."""
    assert logical_line(_chars("11.4 15,642 2013"), rtl=True) == "2013 15,642 11.4"
    assert logical_line(_chars("3/7 15-12345"), rtl=True) == "15-12345 3/7"
    assert logical_line(_chars("11.4 15,642 2013")) == "11.4 15,642 2013"


def test_logical_line_spaces_a_gap_and_keeps_a_ligature() -> None:
    assert logical_line(_chars("ماعيف", gap_after=2)) == "في عام"
    lam_alef = [(0.0, 5.0, 10.0, "ة"), (5.0, 10.0, 10.0, "لا")]  # one glyph, two letters
    assert logical_line(lam_alef) == "لاة"


def test_pdf_drawn_left_to_right_reads_in_order() -> None:
    doc = load_document(DATA / "chromium_rtl_ar.pdf", "ar")
    assert [(u.label, list(u.sentences)) for u in doc.units] == [
        ("I", ["مقدمة"]),
        ("1", ["رحبت اللجنة بالتقرير (انظر A/70/305، الفقرة 12) واعتمدت مبلغ 91,056 دولارا "
               "في عام 2015.",
               "وأكد الأعضاء «أهمية» التعاون مع United Nations Office في جنيف."]),
        ("2", ["وقررت اللجنة [مواصلة] النظر في المسألة في دورتها المقبلة."]),
        ("p1", ["2013 15,642 11.4"]),  # the row's first cell is on the right
    ]


def test_row_of_numbers_on_a_page_with_more_latin_letters_reads_from_the_right() -> None:
    """``chromium_annex_ar.pdf`` (made as ``chromium_rtl_ar.pdf``, A5, DejaVu Serif):
    an Arabic page, then an annex page whose long symbol and job number hold more
    Latin letters than its Arabic heading. Its table row of numbers reads in the
    document's direction (right to left), not that page's letter count."""
    doc = load_document(DATA / "chromium_annex_ar.pdf", "ar")
    assert [u.text for u in doc.units][-2:] == ["المرفق", "2013 15,642 11.4"]


@pytest.mark.parametrize(("drawn", "logical"), [
    (".A/70/305", "A/70/305."),
    ("(A/70/6 (Sect. 7", "A/70/6 (Sect. 7)"),
])
def test_latin_line_of_a_right_to_left_paragraph(drawn: str, logical: str) -> None:
    """A right-to-left paragraph draws the final full stop or bracket of a Latin
    line on its left: a line of a right-to-left document opening with one reads
    right to left. A line that opens well read left to right stays as drawn, and
    in a left-to-right document every Latin line does."""
    assert reads_right_to_left(drawn, document_rtl=True)
    assert logical_line(_chars(drawn), rtl=True) == logical
    assert not reads_right_to_left(drawn, document_rtl=False)
    assert not reads_right_to_left("Distr.: General", document_rtl=True)
    assert not reads_right_to_left("(A/70/305)", document_rtl=True)
    assert reads_right_to_left("2013 15,642", document_rtl=True)
    assert reads_right_to_left("رحبت اللجنة A/70/305", document_rtl=False)


def test_libreoffice_superscript_marker_apart_from_its_line() -> None:
    """``libreoffice_rtl_ar.pdf``: a DOCX of ``docx_builder`` (two paragraphs with
    Word footnotes, every paragraph right to left by ``w:bidi``) converted by
    LibreOffice 7.4 (``soffice --headless --convert-to pdf``; the second paragraph
    ends ``للفترة 2016-2017 (انظر الجدول 3-1).``). It draws a
    footnote reference as a line of its own, smaller and raised, between the
    pieces of its line: a marker by the glyphs' evidence, the year stays."""
    doc = load_document(DATA / "libreoffice_rtl_ar.pdf", "ar")
    assert [(u.label, u.text, u.footnote_refs) for u in doc.units][:2] == [
        ("1", "رحبت اللجنة بالتقرير واعتمدت التوصيات الواردة فيه، وقررت مواصلة النظر في "
              "المسألة في دورتها المقبلة على أساس التقرير الذي سيقدمه الأمين العام إليها.", ("1",)),
        ("2", doc.units[1].text, ("2",)),
    ]
    assert doc.units[1].text.startswith("وقررت اللجنة أن تنظر في عام 2015 في التقرير الثاني")


def test_libreoffice_line_drawn_in_runs_reads_as_one() -> None:
    """LibreOffice draws a right-to-left line in runs (the words, ``2016``, ``-``,
    ``2017``), each a line of its own for pdfminer: runs that touch are read as
    one line, so numbers take their order from the letters around them and no
    space comes between them."""
    doc = load_document(DATA / "libreoffice_rtl_ar.pdf", "ar")
    assert "للفترة 2016-2017" in doc.units[1].text
    assert "الجدول 3-1" in doc.units[1].text
    assert [u.text for u in doc.units[2:]] == ["انظر الوثيقة A/70/305.", "انظر القرار 69/1."]


@pytest.mark.parametrize(("visual", "logical"), [
    (")2013-2010( ةرتفلا", "الفترة (2010-2013)"),
    (")( ةأرملا", "المرأة ()"),
])
def test_brackets_drawn_with_their_logical_code(visual: str, logical: str) -> None:
    """LibreOffice draws a right-to-left line's brackets mirrored but keeps the
    logical character (chromium gives the drawn shape): where swapping them
    leaves the line's brackets unbalanced and keeping them does not, they stay."""
    assert visual_to_logical(visual) == logical


def test_a_bracket_broken_over_two_lines_follows_the_documents_producer() -> None:
    """A line with a lone bracket balances neither way: it takes what the
    document's other lines showed of its producer (LibreOffice gives the logical
    character, chromium the drawn shape)."""
    from bitext.ingest.bidi import DocumentDirection

    libreoffice, chromium = DocumentDirection(), DocumentDirection()
    assert visual_to_logical(")2013-2010( ةرتفلا", libreoffice) == "الفترة (2010-2013)"
    assert visual_to_logical("(2013-2010) ةرتفلا", chromium) == "الفترة (2010-2013)"
    assert visual_to_logical("2016( ةرتفلل", libreoffice) == "للفترة (2016"
    assert visual_to_logical("2016) ةرتفلل", chromium) == "للفترة (2016"
    assert visual_to_logical("2016) ةرتفلل") == "للفترة (2016"  # no evidence: the shape


def test_a_mark_glyph_given_a_digits_code_goes() -> None:
    """LibreOffice maps some Arabic vowel marks to a digit or a Latin letter
    (``أ 9علن``); such a glyph draws nothing forward (zero advance), which no
    digit or letter does: it is a mark, and its wrong code goes."""
    chars = _chars("نلعأ")  # drawn: أعلن
    mark = (chars[3][0] + 2, chars[3][0] + 2, 10.0, "9")  # zero advance, over the alef
    assert logical_line([*chars[:3], mark, chars[3]], rtl=True) == "أعلن"
    assert logical_line(_chars("9 ماع"), rtl=True) == "عام 9"  # a digit that advances stays


def test_raised_number_in_a_right_to_left_line_is_marked() -> None:
    """A superscript note number drawn in a right-to-left line (LibreOffice
    draws ``word²`` and the number after it as one pdfminer line) is marked
    raised, glued after its word in reading order, like a left-to-right line's;
    a number on the baseline is not."""
    from bitext.ingest.reader import RAISED_CLOSE, RAISED_OPEN

    word, after = "بالقرار", "عضوا"
    drawn = _chars(after[::-1] + " 21 2" + word[::-1])  # word², then 21 and the next word
    marker = len(after) + 4  # the raised 2, right of " 21 "
    out = logical_line(drawn, rtl=True, raised={marker}, marks=(RAISED_OPEN, RAISED_CLOSE))
    assert out == f"{word}{RAISED_OPEN}2{RAISED_CLOSE} 21 {after}"
    assert logical_line(drawn, rtl=True) == f"{word}2 21 {after}"


def test_vowel_marks_stay_on_their_letter() -> None:
    """``chromium_marks_ar.pdf`` (chromium's ``page.pdf``, A5, a right-to-left
    page of three made-up numbered sentences with shadda, damma and tanween):
    chromium draws a mark as a glyph of no advance inside its letter's box. By
    position alone it was read after the letter on its left, a space before it
    (``المد ّرس``, ``كتابا ً``)."""
    doc = load_document(DATA / "chromium_marks_ar.pdf", "ar")
    assert [u.text for u in doc.units] == [
        "قرأ المدرّس كتاباً جديداً جدّاً في المكتبة.",
        "شكراً للجنة على عملها المهمّ طوال العام.",
        "وتُعدّ هذه الدورة الأولى من نوعها.",
    ]


def test_a_mark_goes_with_the_letter_whose_box_holds_it() -> None:
    """As chromium draws ``تخصّص`` (the shadda on the middle sad): from the
    left, the final sad, the shadda (no advance, inside the next glyph), the
    middle sad, khah, teh. A glyph with no code of its own (``\\x00``, a
    ligature of two marks) is placed so too and opens no space."""
    drawn = [(0.0, 12.0, 10.0, "ص"), (15.5, 15.5, 10.0, "\u0651"), (12.0, 20.5, 10.0, "ص"),
             (20.5, 28.0, 10.0, "خ"), (28.0, 31.0, 10.0, "ت")]
    assert logical_line(drawn, rtl=True) == "تخص\u0651ص"
    drawn[1] = (15.5, 15.5, 10.0, "\x00")
    assert logical_line(drawn, rtl=True) == "تخص\x00ص"


def test_marks_keep_the_order_the_file_gives_them() -> None:
    """LibreOffice draws a shadda and a fatha as one glyph whose text lists
    both in the order of the input (not Unicode's canonical one); chromium
    draws two mark glyphs left to right, the reverse of their reading order.
    Either way the text keeps the input's order."""
    one_glyph = [(0.0, 6.0, 10.0, "ث"), (8.0, 8.0, 10.0, "\u0651\u064e"),
                 (6.0, 12.0, 10.0, "د"), (12.0, 18.0, 10.0, "ح")]
    assert logical_line(one_glyph, rtl=True) == "حد\u0651\u064eث"
    two_glyphs = [(0.0, 6.0, 10.0, "ث"), (8.0, 8.0, 10.0, "\u064e"), (8.0, 8.0, 10.0, "\u0651"),
                  (6.0, 12.0, 10.0, "د"), (12.0, 18.0, 10.0, "ح")]
    assert logical_line(two_glyphs, rtl=True) == "حد\u0651\u064eث"


def test_a_mark_before_a_lam_alef_goes_with_its_alef() -> None:
    """The alef of a lam-alef ligature is drawn as a glyph of no advance at the
    lam's left edge; a tanween drawn before it is the alef's (``مستقبلاً``)."""
    drawn = [(0.0, 0.0, 10.0, "\u064b"), (2.0, 2.0, 10.0, "\u0627"), (2.0, 8.0, 10.0, "ل"),
             (8.0, 12.0, 10.0, "ب")]
    assert logical_line(drawn, rtl=True) == "بلا\u064b"


def test_a_mark_drawn_apart_at_a_lam_alef_goes_with_its_alef() -> None:
    """pdfminer may put a tanween that ends a line (its leftmost glyph) in a
    line of its own; read with its line again it has no neighbour in drawing
    order, and it lies on the lam's edge, where the alef of no advance is."""
    drawn = [(2.0, 2.0, 10.0, "\u0627"), (2.0, 8.0, 10.0, "ل"), (8.0, 12.0, 10.0, "ب"),
             (2.05, 2.05, 10.0, "\u064b")]
    assert logical_line(drawn, rtl=True) == "بلا\u064b"


def test_libreoffice_left_to_right_furniture_drawn_in_runs() -> None:
    """``libreoffice_header_runs_ar.pdf``: ``libreoffice_tall_lines_ar.pdf``'s
    made-up document with a made-up symbol as the running head
    (``E/C.99/2026/L.7``) and a job number as the foot (``GE.26-04512(A)``),
    right to left by ``w:bidi``, by LibreOffice 7.4. It draws those
    left-to-right lines in runs that touch and overlap (``E/C``, ``2026 99. 7``,
    ``/``, ``/L``), and each run without letters took the document's direction:
    the runs of one left-to-right line are read again as one line by their
    glyphs' positions, so the symbol and job number are whole and go as the
    furniture they are (before: a paragraph ``GE 04512 26. - (A) E/C 7. 2026
    99. / /L``)."""
    from bitext.ingest.reader import read_file

    text = read_file(DATA / "libreoffice_header_runs_ar.pdf").text
    assert text.count("E/C.99/2026/L.7") == 2 and text.count("GE.26-04512(A)") == 2
    doc = load_document(DATA / "libreoffice_header_runs_ar.pdf", "ar")
    assert not [u.text for u in doc.units if regex.search(r"[A-Z]{2}", u.text)]
