"""Structure recovery on small documents shaped like UN PDF extractions."""

from __future__ import annotations

import pytest

from bitext.ingest.clean import split_lines
from bitext.ingest.reader import RAISED_CLOSE as C
from bitext.ingest.reader import RAISED_OPEN as R
from bitext.ingest.structure import parse_document

EN_DOC = """\
 United Nations A/71/123
General Assembly Distr.: General
1 June 2016

Original: English

Seventy-first session
Item 19 (a) of the preliminary list*
Crime prevention and criminal justice

Report of the Secretary-General

I. Introduction

1. The present report is submitted pursuant to resolution 70/178.
It covers the period from 2015 to 2016.

II. Activities

A. Technical assistance

1. Legislative assistance

2. The Office provided assistance in three areas: (a) legislative
drafting;
(b) training; and (c) research.1 Further work continued.
__________________
 1 A/70/59.
V.16-01234 3/15
A/71/123
3. The Office also supported the implemen-
tation of capacity-
building programmes.

2. Training

4. The Office trained 500 officials.
__________________
 2 See www.unodc.org/documents/
som/report.pdf.
A/71/123
"""


def _units(text: str, lang: str = "en") -> list[tuple[str, str, str]]:
    doc = parse_document(split_lines(text), lang)
    return [(u.kind, u.label, u.text) for u in doc.units]


def test_un_report_structure() -> None:
    assert _units(EN_DOC) == [
        ("header", "header1", "Seventy-first session"),
        ("header", "header2", "Item 19 (a) of the preliminary list"),
        ("header", "header3", "Crime prevention and criminal justice"),
        ("header", "header4", "Report of the Secretary-General"),
        ("heading", "I", "Introduction"),
        ("paragraph", "1", "The present report is submitted pursuant to resolution 70/178. "
                           "It covers the period from 2015 to 2016."),
        ("heading", "II", "Activities"),
        ("heading", "II.A", "Technical assistance"),
        ("heading", "II.A.1", "Legislative assistance"),
        ("paragraph", "2", "The Office provided assistance in three areas: (a) legislative "
                           "drafting; (b) training; and (c) research. Further work continued."),
        ("paragraph", "3", "The Office also supported the implementation of capacity-building "
                           "programmes."),
        ("heading", "II.A.2", "Training"),
        ("paragraph", "4", "The Office trained 500 officials."),
        ("footnote", "fn1", "A/70/59."),
        ("footnote", "fn2", "See www.unodc.org/documents/som/report.pdf."),
    ]


def test_spans_point_into_source() -> None:
    doc = parse_document(split_lines(EN_DOC), "en")
    para4 = next(u for u in doc.units if u.label == "4")
    assert EN_DOC[para4.span[0]:para4.span[1]] == "4. The Office trained 500 officials."
    assert doc.symbol == "A/71/123"


def test_footnote_refs_kept_as_metadata() -> None:
    doc = parse_document(split_lines(EN_DOC), "en")
    para2 = next(u for u in doc.units if u.label == "2")
    assert para2.footnote_refs == ("1",)
    header = next(u for u in doc.units if u.label == "header2")
    assert header.footnote_refs == ("*",)


ZH_DOC = """\
第七十一届会议
临时项目清单*项目 19(a)
预防犯罪和刑事司法

一、 导言

1. 本报告是根据第 70/178 号决议提交

的。

二、 活动

A. 技术援助

1. 立法援助

2. 毒品和犯罪问题办公室提供了援助，1涵盖 50
多个国家。

__________________

 1 A/70/59 号文件。
 3. 该办公室还支持了能力建设。
"""


def test_zh_structure() -> None:
    units = _units(ZH_DOC, "zh")
    assert units[0] == ("header", "header1", "第七十一届会议")
    assert ("heading", "I", "导言") in units
    assert ("paragraph", "1", "本报告是根据第70/178号决议提交的。") in units
    assert ("heading", "II.A.1", "立法援助") in units
    assert ("paragraph", "2", "毒品和犯罪问题办公室提供了援助，涵盖50多个国家。") in units
    assert ("paragraph", "3", "该办公室还支持了能力建设。") in units
    assert units[-1] == ("footnote", "fn1", "A/70/59号文件。")


def test_zh_chapter_numerals_past_ten_and_annex_numbers() -> None:
    """Chapter and annex numerals come from the language layer (zh: 一 ... 九十九)."""
    chapters = "\n\n".join(f"{ch}、 第{ch}章\n\n{n}. 段落{n}。"
                            for n, ch in enumerate(["一", "二", "三", "四", "五", "六", "七",
                                                    "八", "九", "十", "十一", "十二"], 1))
    units = _units(chapters + "\n\n附件二十一\n\n表格说明。\n", "zh")
    headings = [label for kind, label, _ in units if kind == "heading"]
    assert headings[9:12] == ["X", "XI", "XII"]
    assert any(label.startswith("annexXXI") for _, label, _ in units)


def test_unnumbered_paragraphs() -> None:
    text = ("Title of the note\n\nThe first paragraph is here and it is long enough to wrap "
            "onto\nthe next line.\n\nThe second paragraph.\n")
    units = _units(text)
    assert [u[2] for u in units if u[0] == "paragraph"] == [
        "The first paragraph is here and it is long enough to wrap onto the next line.",
        "The second paragraph.",
    ]


def test_symbol_cited_in_a_footnote_is_not_the_documents() -> None:
    text = ("Seventy-first session\n\nI. Introduction\n\n1. The Assembly asked for it.1\n"
            "__________________\n 1 A/69/149, para. 12.\n")
    assert parse_document(split_lines(text), "en").symbol is None


AR_NOTES_DOC = """\
1 - رحبت اللجنة بالتقرير (1) واعتمدت التوصيات.

2 - وقررت اللجنة مواصلة النظر في المسألة(2) في دورتها المقبلة.
__________________
(1) انظر الوثيقة A/70/305.
(2) انظر القرار 69/1.
"""


def test_footnotes_numbered_in_brackets() -> None:
    """Arabic UN documents number notes ``(1)``: the marker after its word (one
    space before it where a PDF's superscript stands apart) and the note at the foot."""
    doc = parse_document(split_lines(AR_NOTES_DOC), "ar")
    assert [(u.label, u.text, u.footnote_refs) for u in doc.units] == [
        ("1", "رحبت اللجنة بالتقرير واعتمدت التوصيات.", ("1",)),
        ("2", "وقررت اللجنة مواصلة النظر في المسألة في دورتها المقبلة.", ("2",)),
        ("fn1", "انظر الوثيقة A/70/305.", ()),
        ("fn2", "انظر القرار 69/1.", ()),
    ]


def test_bracketed_number_without_its_note_stays() -> None:
    text = "1 - وتشير الفقرة (3) من القرار إلى ذلك.\n"
    doc = parse_document(split_lines(text), "ar")
    assert doc.units[0].text == "وتشير الفقرة (3) من القرار إلى ذلك."


@pytest.mark.parametrize(("lang", "name"), [("en", "United Nations"), ("ar", "الأمم المتحدة"),
                                            ("ru", "Организация Объединенных Наций")])
def test_masthead_name_on_its_own_line_goes(lang: str, name: str) -> None:
    """A masthead whose organisation name stands alone (a DOCX masthead written as
    paragraphs, no session line after it) loses the name as it loses the symbol."""
    text = f"{name}\n\nA/70/305\n\nDistr.: General\n\n12 June 2015\n\n1. Text.\n"
    doc = parse_document(split_lines(text), lang, paragraph_lines=True)
    assert name not in [u.text for u in doc.units]
    assert doc.units[-1].text == "Text."


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_numbered_headings_longer_than_the_short_paragraphs_of_a_docx(lang: str) -> None:
    """A DOCX gives one paragraph a line: a heading is told by its number and its
    missing final punctuation, not by the width of lines (here every paragraph
    is short, so a two-line heading was longer than 1.6 typical lines and became
    a paragraph, its number ``II.`` kept in the text, and the next ones with it)."""
    long = ("Persons acquitted by the tribunal, persons released after serving their "
            "sentences and persons still awaiting a decision")
    text = (f"A/70/305\n\nDistr.: General\n\nI. Names\n\nII. {long}\n\nIII. Dates\n\n"
            "1. Text.\n\n2. Short.\n")
    doc = parse_document(split_lines(text), lang, paragraph_lines=True)
    assert [(u.kind, u.label, u.text) for u in doc.units if u.kind != "header"] == [
        ("heading", "I", "Names"), ("heading", "II", long), ("heading", "III", "Dates"),
        ("paragraph", "1", "Text."), ("paragraph", "2", "Short.")]


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_wrapped_heading_in_a_pdf_of_short_lines(lang: str) -> None:
    """A PDF whose lines are all short (a list of names and dates) has a short
    typical line: the first printed line of a wrapped heading was longer than
    1.6 of them, so it became a paragraph that kept ``II.`` and took the next
    headings with it. A printed line is never longer than the page's widest."""
    first = "Members of the working group on procedures and of the expert group on"
    text = (f"A/70/305\n\nDistr.: General\n\nI. Names\n\nII. {first}\nmethods\n\n"
            "III. Dates\n\nIV. Places\n")
    doc = parse_document(split_lines(text), lang)
    assert [(u.kind, u.label, u.text) for u in doc.units if u.kind != "header"] == [
        ("heading", "I", "Names"), ("heading", "II", f"{first} methods"),
        ("heading", "III", "Dates"), ("heading", "IV", "Places")]


def test_raised_number_is_a_marker_on_evidence_only() -> None:
    """A PDF reader's raised number (RAISED_OPEN .. RAISED_CLOSE) is a marker when
    its note exists and the numbering does not go back; otherwise its digits
    stay. Where the reader told raised numbers, a number on the baseline is text."""
    text = (f"1. The Group met in 2015 and in G7{R}1{C} meetings of 100 m{R}3{C}.\n\n"
            f"2. It reported on item 3 to the Council.{R}2{C} It ended in 2015.{R}1{C}\n"
            "__________________\n1 A/70/305.\n2 A/70/306.\n")
    doc = parse_document(split_lines(text), "en")
    assert [(u.text, u.footnote_refs) for u in doc.units] == [
        ("The Group met in 2015 and in G7 meetings of 100 m3.", ("1",)),
        ("It reported on item 3 to the Council. It ended in 2015.1", ("2",)),
        ("A/70/305.", ()),
        ("A/70/306.", ()),
    ]


def test_star_is_a_marker_only_with_its_note() -> None:
    """An asterisk after a word in the body is a note marker when the document
    has a note with that many asterisks; a title's own asterisks stay."""
    title = "South Africa* and Palestine:** draft resolution"
    text = f"E/CN.6/2015/L.2\n\nI. {title}\n\n1. The Commission met.\n"
    doc = parse_document(split_lines(text), "en")
    assert [u.text for u in doc.units if u.label == "I"] == [title]
    doc = parse_document(split_lines(text + "__________________\n* Reissued for technical "
                                     "reasons.\n"), "en")
    assert [u.text for u in doc.units if u.label == "I"] == [
        "South Africa and Palestine:** draft resolution"]


def test_heading_wrapped_in_a_narrow_column() -> None:
    """A heading in a narrow column wraps to lines shorter than 0.8 of the
    typical line, the next word being long: each such line is a heading's line
    that the next word did not fit, not its end (only the first line stayed the
    heading; the rest became a paragraph)."""
    text = ("A/70/305\n\nDistr.: General\n\nI. Names\n\n"
            "II. Work of the Board and\nsubsidiary bodies of\nsecretariats\n\n"
            "1. The members of the group met\nthree times during the period\n"
            "and agreed on a plan of work\nfor the coming session of the\n"
            "body, which it will consider.\n\n"
            "2. The group will report to the\nnext session on its progress.\n")
    doc = parse_document(split_lines(text), "en")
    assert [(u.kind, u.label, u.text) for u in doc.units if u.kind != "header"] == [
        ("heading", "I", "Names"),
        ("heading", "II", "Work of the Board and subsidiary bodies of secretariats"),
        ("paragraph", "1", "The members of the group met three times during the period and "
                           "agreed on a plan of work for the coming session of the body, which "
                           "it will consider."),
        ("paragraph", "2", "The group will report to the next session on its progress.")]


def test_a_wrapped_line_of_numbers_in_a_list_is_no_table_row() -> None:
    """A sentence citing numbered texts (made up: decisions with their years),
    wrapped in a narrow column so that whole lines hold only the numbers and
    their years, the commas of the list after them: each such line was taken
    for a table row (three numbers, nothing else) and became a unit of its own,
    the sentence cut in four (docs.py --columns 2 en, es, fr, ru). A number
    followed by a comma is an item of a list in a sentence; a table's cells
    are no list."""
    text = ("1. The Board recalled its decisions 4512\n"
            "(2001), 4519 (2002), 4533 (2003),\n"
            "4540 (2004), 4551 (2005), 4562\n"
            "(2006) and 4570 (2007).\n\n"
            "2. The Board met again.\n")
    units = [(u.label, u.text) for u in parse_document(split_lines(text), "en").units]
    assert units == [
        ("1", "The Board recalled its decisions 4512 (2001), 4519 (2002), 4533 (2003), "
              "4540 (2004), 4551 (2005), 4562 (2006) and 4570 (2007)."),
        ("2", "The Board met again.")]
    # a row of numbers in a table stays a row of its own
    table = "1. The Board adopted the figures below.\n\n2013 4,512 12.5\n2014 4,519 13.0\n"
    assert [u.text for u in parse_document(split_lines(table), "en").units][1:] == [
        "2013 4,512 12.5", "2014 4,519 13.0"]


@pytest.mark.parametrize("lang", ["es", "en"])
def test_a_number_with_a_thousands_dot_opening_a_line_is_no_paragraph_number(lang: str) -> None:
    """A line wrapped before a number written with a thousands dot (Spanish
    ``4.300``) opens with what reads as the next paragraph's number, ``4.``,
    its text ``300 ...``: the paragraph was cut there (docs.py --columns 2 es).
    A paragraph's number is followed by its text, never by a thousands group;
    a Chinese paragraph's text may follow it without a space, a year too. Made up."""
    text = ("1. El grupo se reunió.\n\n2. El grupo trabajó.\n\n"
            "3. Entre los años, los más de\n4.300 expertos del grupo se reunieron\n"
            "en 66 países.\n\n4. El grupo informó.\n")
    units = [(u.label, u.text) for u in parse_document(split_lines(text), lang).units]
    assert units[2:] == [("3", "Entre los años, los más de 4.300 expertos del grupo se "
                               "reunieron en 66 países."),
                         ("4", "El grupo informó.")]


def test_a_chinese_paragraph_glued_to_its_number_opens_with_a_year() -> None:
    text = "1.2015年，该小组举行了会议。\n\n2.该小组提出了报告。\n"
    units = [(u.label, u.text) for u in parse_document(split_lines(text), "zh").units]
    assert units == [("1", "2015年，该小组举行了会议。"), ("2", "该小组提出了报告。")]


def test_paragraph_numbers_continue_past_three_digits() -> None:
    """A long compilation numbers its paragraphs past 999: paragraph 1000
    continues the sequence and is read, not glued to paragraph 999 with every
    paragraph after it. A four-digit number that does not continue the
    sequence (a year opening a wrapped line) stays text. Made up."""
    text = "".join(f"{i}. The Board met on day {i}.\n\n" for i in range(1, 1003))
    text += "1003. The Board adopted the programme for\n2015. It closed the session.\n"
    units = [(u.label, u.text) for u in parse_document(split_lines(text), "en").units]
    assert len(units) == 1003
    assert units[998:] == [("999", "The Board met on day 999."),
                           ("1000", "The Board met on day 1000."),
                           ("1001", "The Board met on day 1001."),
                           ("1002", "The Board met on day 1002."),
                           ("1003", "The Board adopted the programme for 2015. "
                                    "It closed the session.")]


def test_a_heading_run_on_across_a_page_break_is_one_heading() -> None:
    """A numbered heading wrapped at the foot of a page (or a column) and run
    on at the top of the next (docs.py --columns 2's English and Arabic
    files: a heading cut in two units, its end read as a paragraph). The
    blank lines the running foot and head leave between its pieces are the
    page's layout, no paragraph break: the heading goes on where its last
    line was full, as it does inside a page. A heading whose last line is
    short ends, page break or not. Made-up text."""
    lines = [
        "1. The Committee met in the spring of that year and adopted the",
        "report of the working group, as the text below sets out in full.",
        "",
        "I. Report of the working group meeting held in the capital city",
        "",
        "99-12345",
        "\f A/99/1",
        "",
        "on the preparation of the survey",
        "",
        "2. The group met twice and adopted the report that follows below.",
        "",
        "II. Other matters",
        "",
        "2/3",
        "\f A/99/1",
        "",
        "The group also heard a statement of the secretariat on the year.",
    ]
    text = "\n".join(lines) + "\n"
    doc = parse_document(split_lines(text.replace("\n\f", "\f")), "en")
    headings = [(u.label, u.text) for u in doc.units if u.kind == "heading"]
    assert headings == [
        ("I", "Report of the working group meeting held in the capital city on the "
              "preparation of the survey"),
        ("II", "Other matters")]
    assert any(u.text.startswith("The group also heard") for u in doc.units
               if u.kind == "paragraph")


def test_an_unnumbered_paragraph_after_a_numbered_one_stands_apart() -> None:
    """A numbered paragraph that ends a sentence, then a blank line inside the
    page, then an unnumbered paragraph: a paragraph of its own (a closing
    note, a quotation), not the numbered one's end. A numbered paragraph
    broken over a page (the blank lines are the running foot's and head's)
    goes on, and so does a list after a colon. Made-up text."""
    lines = [
        "I. Report of the group",
        "",
        "1. The group met twice in the spring of the year and adopted the",
        "report that the text below sets out in full, with its annex and",
        "the list of the papers it read.",
        "",
        "The annex to the present note lists the members of the group and",
        "the States that sent them.",
        "",
        "2. The group asked the secretariat for three things in the year to",
        "",
        "99-12345",
        "\f A/99/1",
        "",
        "come, as set out below, and it asked again at its next meeting in",
        "the autumn of the year.",
        "",
        "3. The group also heard these statements from the floor of the room",
        "on the second day of its meeting, which it took note of:",
        "(a) the first statement, on the survey;",
        "",
        "2/3",
        "\f A/99/1",
        "",
        "(b) the second statement, on the budget.",
    ]
    text = "\n".join(lines) + "\n"
    doc = parse_document(split_lines(text.replace("\n\f", "\f")), "en")
    paras = [(u.label, u.text) for u in doc.units if u.kind == "paragraph"]
    assert paras == [
        ("1", "The group met twice in the spring of the year and adopted the report that "
              "the text below sets out in full, with its annex and the list of the papers "
              "it read."),
        ("p1", "The annex to the present note lists the members of the group and the States "
               "that sent them."),
        ("2", "The group asked the secretariat for three things in the year to come, as "
              "set out below, and it asked again at its next meeting in the autumn of the "
              "year."),
        ("3", "The group also heard these statements from the floor of the room on the "
              "second day of its meeting, which it took note of: (a) the first statement, "
              "on the survey; (b) the second statement, on the budget."),
    ]


def test_blank_lines_between_paragraphs_count_where_most_lines_stand_between_blanks() -> None:
    """A file whose masthead lines and table rows each stand between blank lines
    (most of its text lines are followed by one), but no wrapped line of a
    paragraph is: its blank lines are the paragraphs' breaks, so an unnumbered
    paragraph after a numbered one whose last line is full stands apart
    (LibreOffice's PDFs of own_docs.py). Made-up text."""
    lines = ["United Nations", "", "A/99/7", "", "General Assembly", "", "Distr.: General",
             "", "3 June 2015", "", "Original: English", "", "I. Report of the group", "",
             "1. The group met twice in the spring of the year and adopted the report",
             "that the text below sets out in full, with its annex and the list of the",
             "papers it read, and it thanked the secretariat for its work on the text.",
             "",
             "The annex to the present note lists the members of the group and the",
             "States that sent them to the meetings of the year.",
             "",
             "2. The group asked the secretariat for three things in the year to come,",
             "as set out below, and it asked again at its next meeting in the autumn.",
             "", "Annex", ""]
    for n in range(8):
        lines += [f"Row {n} of the table  {1000 + n}  {n}.5  {2000 + n}", ""]
    doc = parse_document(split_lines("\n".join(lines) + "\n"), "en")
    paras = [(u.label, u.text) for u in doc.units if u.kind == "paragraph"]
    assert paras[:3] == [
        ("1", "The group met twice in the spring of the year and adopted the report that the "
              "text below sets out in full, with its annex and the list of the papers it read, "
              "and it thanked the secretariat for its work on the text."),
        ("p1", "The annex to the present note lists the members of the group and the States "
               "that sent them to the meetings of the year."),
        ("2", "The group asked the secretariat for three things in the year to come, as set "
              "out below, and it asked again at its next meeting in the autumn."),
    ]


def test_a_list_after_an_unnumbered_paragraph_ending_in_a_colon_stays_in_it() -> None:
    """Where blank lines are the paragraphs' breaks, sub-items (a), (b) under an
    unnumbered paragraph that ends in a colon, each between blank lines, go on
    in it (as under a numbered one); an unnumbered paragraph after a sentence's
    end is still a paragraph of its own. Made-up text."""
    lines = ["I. Report of the group", "",
             "1. The group met twice in the spring of the year and adopted the report",
             "that the text below sets out in full, with its annex and the list of the",
             "papers it read, and it thanked the secretariat for its work on the text.",
             "",
             "The group heard the following statements from the floor of the room:",
             "",
             "(a) a statement on the survey;",
             "",
             "(b) a statement on the budget.",
             "",
             "The annex to the present note lists the members of the group and the",
             "States that sent them to the meetings of the year."]
    doc = parse_document(split_lines("\n".join(lines) + "\n"), "en")
    paras = [(u.label, u.text) for u in doc.units if u.kind == "paragraph"]
    assert paras[1:] == [
        ("p1", "The group heard the following statements from the floor of the room: "
               "(a) a statement on the survey; (b) a statement on the budget."),
        ("p2", "The annex to the present note lists the members of the group and the States "
               "that sent them to the meetings of the year."),
    ]


def test_typical_line_is_the_prose_not_a_tables_rows() -> None:
    """A table's rows are as long as their cells' text, not the page's measure:
    an annex of many rows made the typical line 140 characters where the prose
    lines have 78-83 (benchmarks/own_docs.py, a LibreOffice PDF once a row
    broken over a page was whole), and no prose line was full any more."""
    from bitext.ingest.structure import _typical_width

    prose = ["The members of the group met in the town hall and agreed on a plan of work."] * 6
    rows = ["The first row of the table has a long cell of text that runs on and on  "
            "1,204  1,350  1,411"] * 4
    lines = split_lines("\n\n".join(prose + rows) + "\n")
    assert _typical_width(lines) == len(prose[0])
