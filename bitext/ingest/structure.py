"""Recover the structure of a UN document from its lines.

A UN report has a session header (session, date and place, agenda item, titles),
headings (``I.`` / ``一、``, ``A.``, ``1.``), numbered paragraphs (``12.``) whose
numbers run through the whole document, sub-items ``(a)`` inside paragraphs, and
footnotes. Paragraph numbers are told apart from numbered headings by that running
sequence: a heading's number restarts under each lettered section.

Units come out in document order, footnotes last in their own order, each with a
label (``header1``, ``I``, ``II.A``, ``II.A.1``, ``12``, ``fn1``; ``p3`` for the
third unnumbered paragraph) and the character span of its lines in the source.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field

import regex

from bitext.ingest.clean import (
    _TERMINAL,
    Dehyphenator,
    Line,
    MarkerRemover,
    document_symbol,
    extract_footnotes,
    is_furniture,
    join_lines,
    masthead_symbol,
    normalize_spacing,
    repeated_symbol_lines,
    stands_apart,
)
from bitext.ingest.docxlists import _roman
from bitext.ingest.reader import RAISED_OPEN
from bitext.languages import alternation, find_language, get_language
from bitext.types import Document, Unit, UnitKind, is_cjk_lang

_ROMAN_HEAD = regex.compile(r"^\s*([IVXL]{1,6})\.\s+(\S.*)$")
_LETTER_HEAD = regex.compile(r"^\s*([A-Z])[.．]\s+(\S.*)$")
# a paragraph's number is followed by its text, never by a thousands group (a
# line may open with a number written with a thousands dot, Spanish 4.300);
# Chinese glues its text to the number, a year too (1.2015年). The number has
# any width: a long compilation numbers past 999, and a number read here is a
# paragraph's only where it continues the sequence (a year opening a wrapped
# line, 2015., stays text)
_NUM = regex.compile(r"^\s*(\d+)[.．](?!\d{3}(?!\d))\s*(\S.*)$")

# Header and heading words of every language of the language layer: a document
# in one language may carry lines in another (an English masthead), and no
# word of one language means something else as a whole line in another.
_SESSION = regex.compile(rf"^\s*(?:{alternation('session_pattern')})\s*$", regex.IGNORECASE)
_MONTHS = rf"(?<!\p{{L}})(?:{alternation('months')})(?!\p{{L}})"
_DATE_LINE = regex.compile(
    rf"(?:{alternation('date_pattern')}|{_MONTHS}\s.*\d{{4}}"
    # 11 May 2015, 1er juillet 2015, 11 de mayo de 2015, 11 أيار/مايو 2015
    rf"|\d{{1,2}}\p{{L}}{{0,2}}(?:[-–]\d{{1,2}})?\s+(?:\p{{L}}{{1,3}}\s+)?(?:\S+/)?{_MONTHS}"
    rf"\s+(?:\p{{L}}{{1,3}}\s+)?\d{{4}})"
)
_AGENDA = regex.compile(rf"^\s*(?:{alternation('agenda_pattern')})$", regex.IGNORECASE)
_SUMMARY = regex.compile(rf"^\s*(?:{alternation('summary_words')})\s*$", regex.IGNORECASE)
_ANNEX = regex.compile(
    rf"^\s*(?:{alternation('annex_words')})"
    rf"(?:\s*(?P<num>{alternation('heading_numerals')}|[IVXL]{{1,6}}|[A-Z]|\d{{1,2}}))?\s*\**\s*$",
    regex.IGNORECASE,
)


@functools.cache
def _numeral_values() -> dict[str, int]:
    """Every language's chapter numerals with their values (``二`` -> 2)."""
    from bitext.languages import codes

    values: dict[str, int] = {}
    for code in codes():
        for n, word in enumerate(get_language(code).heading_numerals, 1):
            values.setdefault(word, n)
    return values


@functools.cache
def _heading_patterns(code: str) -> tuple[regex.Pattern[str] | None, regex.Pattern[str] | None,
                                          regex.Pattern[str]]:
    """The language's own chapter-numeral and section-letter heading patterns
    (``أولا - ``, ``ألف - ``, ``Б. ``) and its paragraph-number pattern."""
    lg = get_language(code)
    dots = "".join(c for c in lg.paragraph_separators if c in ".．")
    dashes = "".join(c for c in lg.paragraph_separators if c not in ".．")
    sep = "|".join(x for x in (f"[{regex.escape(dots)}]" if dots else "",
                                rf"\s*[{regex.escape(dashes)}]" if dashes else "") if x)
    # a number's dot before a thousands group is a thousands dot (4.300)
    number_sep = "|".join(x for x in (rf"[{regex.escape(dots)}](?!\d{{3}}(?!\d))" if dots else "",
                                       rf"\s*[{regex.escape(dashes)}]" if dashes else "") if x)
    numerals = letters = None
    if lg.heading_numerals:
        words = "|".join(regex.escape(w) for w in sorted(lg.heading_numerals, key=len,
                                                          reverse=True))
        own = (rf"\s*[{regex.escape(lg.numeral_separators)}]" if lg.numeral_separators
               else sep)
        numerals = regex.compile(rf"^\s*({words})\p{{Mn}}*(?:{own})\s*(\S.*)$")
    if lg.section_letters:
        names = "|".join(regex.escape(w) for w in lg.section_letters)
        letters = regex.compile(rf"^\s*({names})(?:{sep})\s+(\S.*)$")
    number = regex.compile(rf"^\s*(\d+)(?:{number_sep})\s*(\S.*)$")
    return numerals, letters, number


#: The longest a heading may be where a line is a whole paragraph (DOCX): the
#: longest heading line of the dev corpus, un-som-2016's title (254 characters,
#: three printed lines), with a margin. Measured against the typical line as in
#: a PDF, the paragraphs of a DOCX made of short ones (lists of names, dates)
#: turned a two-line heading into a paragraph that kept its number.
HEADING_MAX_CHARS = 300

_BULLET = regex.compile(r"^\s*[•●▪■◦‣∙➢►◆❖]\s*|^\s{2,}[-–]\s+")
_NUMERIC_CELL = regex.compile(r"[\p{N}.,%\-–—()\s]*\p{N}[\p{N}.,%\-–—()\s]*\p{Han}?")
# cells of a table degraded to text are separated by two spaces or more
_CELL_GAP = regex.compile(r"\s{2,}")
#: A sub-item's label opening a line, in any script: ``(a)``, ``a)``, ``(iv)``,
#: ``(1)``, ``（一）``: one to four letters or digits closed by a parenthesis; or
#: such a label alone on its line (a note's marker drawn apart from its word, as
#: in docs.py's Arabic PDFs, which the marker remover then takes out).
_SUB_ITEM = regex.compile(r"^\s*[(（]?[\p{L}\p{N}]{1,4}[)）](?:\s|$)")
_NOTE_NUMBER = regex.compile(r"^\s*(?:\d{1,3}|\(\d{1,3}\)|\*{1,3})\s+")


def is_table_row(text: str) -> bool:
    """True for a line of a table degraded to text: three or more cells, mostly numbers.

    Cells are separated by runs of two or more spaces (layout-preserving
    extraction), or the line is nothing but three or more numbers.
    """
    cells = _cells(text)
    if len(cells) >= 3:
        numeric = sum(1 for c in cells if _NUMERIC_CELL.fullmatch(c))
        return numeric >= 2 and numeric * 2 >= len(cells)
    tokens = text.split()
    # a number followed by a comma is an item of a list in a sentence (a
    # sentence citing decisions and their years, wrapped in a narrow column:
    # "(2009), 1893 (2009), 1911 (2010),"), not a cell
    return (len(tokens) >= 3 and all(_NUMERIC_CELL.fullmatch(t) for t in tokens)
            and not any(t.endswith(",") for t in tokens))


def _cells(text: str) -> list[str]:
    return [c for c in _CELL_GAP.split(text.strip()) if c]


def table_rows(lines: list[Line]) -> set[int]:
    """Indices of the lines that are rows of a table degraded to text.

    A row is a line :func:`is_table_row` accepts, or a line of three or more
    cells (runs of two or more spaces between them) next to such a row: the
    header row of a table, or a row of text cells.
    """
    rows = {i for i, ln in enumerate(lines) if not ln.blank and is_table_row(ln.text)}
    grown = True
    while grown:
        grown = False
        for i in sorted(rows):
            for j in (i - 1, i + 1):
                if 0 <= j < len(lines) and j not in rows and len(_cells(lines[j].text)) >= 3:
                    rows.add(j)
                    grown = True
    return rows


def _annex_label(m: regex.Match[str]) -> str:
    """``annex`` / ``annexII``: the annex number as an upper-case roman numeral."""
    num = m.group("num") or ""
    if not num:
        return "annex"
    if num in _numeral_values():
        return "annex" + _roman(_numeral_values()[num])
    if num.isdigit():
        return "annex" + _roman(int(num))
    return "annex" + num.upper()


@dataclass
class _RawUnit:
    kind: UnitKind
    label: str
    lines: list[str] = field(default_factory=list)
    start: int = 0
    end: int = 0
    numbered: bool = True
    table: bool = False

    def add(self, text: str, line: Line) -> None:
        if not self.lines:
            self.start = line.start
        self.lines.append(text)
        self.end = line.end


def _roman_value(s: str) -> int:
    vals = {"I": 1, "V": 5, "X": 10, "L": 50}
    total = 0
    for i, c in enumerate(s):
        v = vals[c]
        total += -v if i + 1 < len(s) and vals[s[i + 1]] > v else v
    return total


def parse_document(
    lines: list[Line], lang: str, *, paragraph_lines: bool = False, source: str = "",
    marker_heuristic: bool = True, marks: bool = True,
) -> Document:
    """Build a :class:`Document` (without sentences) from the lines of a file.

    ``marks``: the lines are a DOCX or PDF reader's, with its marks around
    footnote references and raised numbers; a text file's lines hold none
    (:class:`~bitext.ingest.clean.MarkerRemover`)."""
    from bitext.align.segment import split_sentences
    from bitext.ingest.unfold import unfold_lines

    # A document with its line breaks removed: one line per paragraph again.
    lines, unfolded = unfold_lines(lines, lang)
    paragraph_lines = paragraph_lines or unfolded
    # page numbers, job numbers and the like first; a symbol is a running head
    # only where it stands apart from the body (not where a sentence ends in it)
    plain = {i for i, ln in enumerate(lines) if is_furniture(ln.text, set())}
    repeated = repeated_symbol_lines(lines, plain)
    symbol = document_symbol(lines, plain)
    if symbol:
        # a short document may print its running head only once
        repeated.add(symbol)
    # the masthead's symbol is the document's own: a running head wherever it
    # is printed (a document does not cite itself at a sentence's end)
    own = masthead_symbol(lines)
    furniture = plain | {i for i, ln in enumerate(lines)
                         if i not in plain and is_furniture(ln.text, repeated)
                         and (stands_apart(lines, i, plain) or own in ln.text.split())}
    notes, note_lines = extract_footnotes(lines, furniture)
    kept = [i for i in range(len(lines)) if i not in furniture and i not in note_lines]
    body = [lines[i] for i in kept]
    raw_units = _parse_body(body, lang, paragraph_lines, _layout_gaps(lines, kept))

    body_text = "\n".join(ln.text for ln in body)
    dehyph = None if is_cjk_lang(lang) else Dehyphenator(body_text, lang)
    areas = {int(n.label): n.area for n in notes if n.label.isdigit()}
    remover = MarkerRemover([n.label for n in notes], lang, heuristic=marker_heuristic,
                            areas=areas, raised=marks and RAISED_OPEN in body_text,
                            marks=marks)

    units: list[Unit] = []
    for ru in raw_units:
        text, refs = remover(join_lines(ru.lines, lang, dehyph), (ru.start, ru.end),
                             header=ru.kind == "header")
        if ru.table:
            # a table row's cells one space apart in every language: in CJK text
            # the spacing rule would drop the space beside a Han character, and
            # the first cell would run into the numbers (``地区2013``)
            text = " ".join(normalize_spacing(c, lang) for c in _cells(text))
        else:
            text = normalize_spacing(text, lang)
        if not text:
            continue
        whole = ru.kind in ("header", "heading")
        sentences = (text,) if whole else tuple(split_sentences(text, lang))
        units.append(Unit(ru.kind, ru.label, text, sentences, (ru.start, ru.end), refs))
    for note in notes:
        first = _strip_fn_label(note.lines[0].text)
        parts = [first] + [ln.text for ln in note.lines[1:]]
        span = (note.lines[0].start, note.lines[-1].end)
        text = normalize_spacing(remover(join_lines(parts, lang, dehyph), span)[0], lang)
        if text:
            units.append(Unit("footnote", f"fn{note.label}", text,
                              tuple(split_sentences(text, lang)),
                              (note.lines[0].start, note.lines[-1].end)))
    return Document(lang=lang, units=tuple(units), source=source, symbol=symbol)


def _strip_fn_label(text: str) -> str:
    return _NOTE_NUMBER.sub("", text)


def _typical_width(lines: list[Line]) -> int:
    """The length (characters) of a typical printed line of the prose: the
    0.8 quantile of the lines' lengths, a table's rows left out (a row is as
    long as its cells' text, not the page's measure)."""
    rows = table_rows(lines)
    widths = sorted(len(ln.text.strip()) for i, ln in enumerate(lines)
                    if not ln.blank and i not in rows)
    if not widths:
        return 0
    return widths[int(len(widths) * 0.8)]


def _blank_lines_meaningful(lines: list[Line]) -> bool:
    """False when the extraction puts a blank line after most lines (no signal).

    Most lines followed by a blank are no proof of that: a masthead and a
    table's rows may each stand between blank lines. The proof is inside the
    paragraphs: a wrapped line (full, not a table row, no sentence ended) is
    followed by a blank line in an extraction that puts one after every line,
    and in no other (a page's foot aside). Where most of them are not, the
    blank lines are the paragraphs' breaks. (Own documents' LibreOffice PDFs,
    benchmarks/own_docs.py: 45-47 of 56-89 text lines followed by a blank line,
    0 of 11-27 wrapped lines.)
    """
    text_lines = [i for i, ln in enumerate(lines) if not ln.blank]
    if not text_lines:
        return True
    followed = sum(1 for i in text_lines if i + 1 < len(lines) and lines[i + 1].blank)
    if followed / len(text_lines) < 0.5:
        return True
    # "full": the 0.75 of the typical line that tells a paragraph's short last
    # line in _parse_body
    width = _typical_width(lines)
    rows = table_rows(lines)
    wrapped = [i for i in text_lines if i + 1 < len(lines) and i not in rows
               and not _TERMINAL.search(lines[i].text)
               and len(lines[i].text.strip()) >= 0.75 * width]
    return bool(wrapped) and sum(lines[i + 1].blank for i in wrapped) / len(wrapped) < 0.5


def _layout_gaps(lines: list[Line], kept: list[int]) -> set[int]:
    """The body lines (indices into ``kept``, the lines of ``lines`` kept as
    the body) whose gap from the body's line before them holds a page break
    or a line taken out (a running foot or head, a note): the blank lines
    there are the page's layout, not the text's."""
    taken = set(range(len(lines))) - set(kept)
    gaps: set[int] = set()
    prev: int | None = None  # the previous text line of the body, in ``lines``
    for k, i in enumerate(kept):
        if lines[i].blank:
            continue
        if prev is not None and any(lines[j].page_break or j in taken
                                    for j in range(prev + 1, i + 1)):
            gaps.add(k)
        prev = i
    return gaps


#: A line's label: its kind (``roman``, ``letter``, ``num``), its value (1 for
#: ``I.``, ``A.`` and ``1.``) and the text after it.
_Label = tuple[str, int, str]


def _labeller(lang: str) -> Callable[[str], _Label | None]:
    """The function that reads the label a line starts with in ``lang``: a
    chapter numeral (Roman, or the language's own words), a section letter
    (Latin, or the language's own letters) or a paragraph number; None for a
    line without one."""
    cjk = is_cjk_lang(lang)
    language = find_language(lang)
    numerals, letters, number = _heading_patterns(language.code if language else "en")
    own_letters = tuple(language.section_letters) if language else ()
    own_numerals = language.heading_numerals if language else ()

    def label_of(text: str) -> _Label | None:
        m = None if cjk else _ROMAN_HEAD.match(text)
        if m:
            return ("roman", _roman_value(m.group(1)), m.group(2))
        m = numerals.match(text) if numerals else None
        if m:
            return ("roman", own_numerals.index(m.group(1)) + 1, m.group(2))
        m = _LETTER_HEAD.match(text)
        if m:
            return ("letter", ord(m.group(1)) - 64, m.group(2))
        m = letters.match(text) if letters else None
        if m:
            return ("letter", own_letters.index(m.group(1)) + 1, m.group(2))
        m = _NUM.match(text) or number.match(text)
        if m:
            return ("num", int(m.group(1)), m.group(2))
        return None

    return label_of


def _body_start(lines: list[Line], labels: list[_Label | None]) -> tuple[int, int | None]:
    """Where the body starts after the header zone, and the line of a summary
    heading before the first heading (None without one)."""
    # The header zone ends at the first heading or paragraph 1; in a document
    # without labels, at the first block that reads like running text.
    first_body = next((i for i, lab in enumerate(labels) if lab and lab[1] == 1), None)
    if first_body is None:
        first_body = _first_prose_line(lines)
    # A "Summary" block before the first heading belongs to the body: a heading
    # followed by ordinary paragraphs.
    summary = next((i for i in range(first_body) if _SUMMARY.match(lines[i].text)), None)
    if summary is not None:
        first_body = summary
    return first_body, summary


def _wrapped(printed: str, after: str, width: float, cjk: bool) -> bool:
    """True when the printed line ``printed`` ended only because the first
    word of the line ``after`` it would not fit: with it, the line would be
    longer than the typical line ``width`` (a heading wrapped in a narrow column
    leaves lines well short of 0.8 of it when the next word is long)."""
    head = after.strip()[:1] if cjk else (after.split() or [""])[0]
    return bool(head) and len(printed.strip()) + (0 if cjk else 1) + len(head) > width


def _heading_then_paragraph(lines: list[Line], labels: list[_Label | None], i: int,
                            value: int) -> bool:
    """True when paragraph ``value`` follows line ``i`` within two title-like lines."""
    seen = 0
    for j in range(i + 1, len(lines)):
        if lines[j].blank:
            continue
        lab = labels[j]
        if lab:
            return lab[0] == "num" and lab[1] == value
        seen += 1
        if seen > 2 or _TERMINAL.search(lines[j].text):
            return False
    return False


def _parse_body(lines: list[Line], lang: str, paragraph_lines: bool,
                layout_gaps: set[int] | None = None) -> list[_RawUnit]:
    """The units of the body's ``lines``; ``layout_gaps``: the lines whose
    blank lines before them are a page's layout (:func:`_layout_gaps`)."""
    cjk = is_cjk_lang(lang)
    width = _typical_width(lines)
    blanks_matter = paragraph_lines or _blank_lines_meaningful(lines)

    label_of = _labeller(lang)
    labels = [label_of(ln.text) for ln in lines]
    rows = table_rows(lines)
    first_body, summary = _body_start(lines, labels)
    units = _parse_header(lines[:first_body])

    roman = letter = sub = 0
    expected = 1
    scope = ""  # "annexII." inside an annex, whose numbering restarts
    in_annex_title = False
    unnumbered = 0
    current: _RawUnit | None = None
    blank_since = False
    before: Line | None = None  # the last text line read

    # a heading is at most about 1.6 printed lines; a file with one paragraph a
    # line (DOCX, unfolded text) has no printed lines to measure it by. A printed
    # line is never longer than the widest of the file: in a file of short lines
    # (lists of names, dates) the typical line is short, and the first line of a
    # wrapped heading is longer than 1.6 of them
    widest = max((len(ln.text.strip()) for ln in lines if not ln.blank), default=0)
    longest = (HEADING_MAX_CHARS if paragraph_lines
               else max(max(width, 40) * 1.6, widest + 1))

    def heading_like(text: str) -> bool:
        return not _TERMINAL.search(text) and len(text.strip()) < longest

    def start(kind: UnitKind, label: str, text: str, line: Line, numbered: bool = True,
              table: bool = False) -> None:
        nonlocal current
        if kind != "paragraph" or numbered:
            label = scope + label
        current = _RawUnit(kind, label, numbered=numbered, table=table)
        current.add(text, line)
        units.append(current)

    prefix = lambda: ".".join(  # noqa: E731
        p for p in (_roman(roman) if roman else "", chr(64 + letter) if letter else "") if p
    )

    for i in range(first_body, len(lines)):
        line = lines[i]
        if line.blank:
            blank_since = True
            continue
        lab = labels[i]
        text = line.text
        handled = False
        page_end = before is not None and before.ends_paragraph
        before = line
        annex = _ANNEX.match(text)
        if i == summary:
            start("heading", "summary", text, line)
            blank_since = False
            continue
        if annex:
            name = _annex_label(annex)
            roman = letter = sub = 0
            expected = 1
            scope = ""
            start("heading", name, text, line)
            scope = name + "."
            in_annex_title = True
            blank_since = False
            continue
        if i in rows and not (lab and lab[0] == "num" and lab[1] == expected):
            # one unit per row, so a table title and its rows never run together
            unnumbered += 1
            start("paragraph", f"p{unnumbered}", text, line, numbered=False, table=True)
            in_annex_title = False
            blank_since = False
            continue
        if in_annex_title and not lab and heading_like(text):
            if current is not None and current.label == scope + "title":
                current.add(text, line)
            else:
                start("heading", "title", text, line)
            blank_since = False
            continue
        in_annex_title = False
        if lab:
            kind, value, rest = lab
            if kind == "roman" and value == roman + 1 and heading_like(rest):
                roman, letter, sub = value, 0, 0
                start("heading", _roman(roman), rest, line)
                handled = True
            elif kind == "letter" and value == letter + 1 and heading_like(rest):
                letter, sub = value, 0
                start("heading", prefix(), rest, line)
                handled = True
            elif kind == "num":
                is_para = value == expected
                if expected < value <= expected + 2 and not heading_like(rest) and (
                        current is None or current.kind == "heading"
                        or bool(_TERMINAL.search(current.lines[-1]))):
                    # the extraction lost a paragraph number or two
                    is_para = True
                if (is_para and value == sub + 1 and heading_like(rest)
                        and _heading_then_paragraph(lines, labels, i, value)):
                    is_para = False
                if is_para:
                    expected = value + 1
                    start("paragraph", str(value), rest, line)
                    handled = True
                elif value == sub + 1 and heading_like(rest):
                    sub = value
                    start("heading", ".".join(p for p in (prefix(), str(sub)) if p), rest, line)
                    handled = True
        if not handled:
            item = bool(_SUB_ITEM.match(text) or _BULLET.match(text))
            text = _BULLET.sub("", text)
            last = current.lines[-1] if current else ""
            # A new unnumbered paragraph: after a finished heading, or after a short
            # final line (or a meaningful blank line) of an unnumbered paragraph.
            # a heading wrapped at a page's (or column's) foot goes on at
            # the next one's top: the blank lines a running foot and head
            # leave there are no paragraph break, its last line tells
            laid_out = layout_gaps is not None and i in layout_gaps
            # at a page break the blank lines are the page's, but the page may
            # show that its last line ended the paragraph (a PDF's geometry)
            ended = laid_out and page_end
            new_para = (
                current is None
                or current.table
                or (current.kind == "heading"
                    and ((blank_since and not laid_out) or paragraph_lines
                         or (len(last.strip()) < 0.8 * width
                             and not _wrapped(last if laid_out else lines[i - 1].text, text,
                                              width, cjk))))
                # a list item after a line that ended no sentence (a colon, the
                # item before it ending in a semicolon) goes on in its paragraph
                # across a blank line, as in a numbered one, in a file of one
                # paragraph a line (DOCX, a Word list's items) too
                or (not current.numbered and current.kind == "paragraph"
                    and ((blanks_matter and blank_since and (paragraph_lines or ended
                                                             or not laid_out)
                          and (not item or bool(_TERMINAL.search(last))))
                         or (bool(_TERMINAL.search(last)) and len(last.strip()) < 0.75 * width)))
                # after a numbered paragraph that ended a sentence, a paragraph
                # break opens an unnumbered paragraph: a line of its own (DOCX),
                # or a blank line that is no page's layout (the numbered paragraph
                # goes on at the next page's top) where blank lines are meaningful
                # or the last line is short (as for an unnumbered paragraph
                # above). A short line alone is not enough: a file of short lines
                # (tests/data/ccpcj_note_en.txt's annex) wraps paragraphs early.
                # An item of its list (a bullet, a sub-item (a), (b)) stays in it
                or (current.numbered and current.kind == "paragraph"
                    and bool(_TERMINAL.search(last)) and not item
                    and (paragraph_lines or ended
                         or (blank_since and not laid_out
                             and (blanks_matter or len(last.strip()) < 0.75 * width))))
            )
            if new_para or current is None:
                unnumbered += 1
                start("paragraph", f"p{unnumbered}", text, line, numbered=False)
            else:
                current.add(text, line)
        blank_since = False
    return units


def _first_prose_line(lines: list[Line]) -> int:
    """Index of the first line of the first blank-separated block that is prose:
    several lines, or one line ending like a sentence."""
    i = 0
    while i < len(lines):
        if lines[i].blank:
            i += 1
            continue
        j = i
        while j < len(lines) and not lines[j].blank:
            j += 1
        block = lines[i:j]
        several = len(block) > 1 and not _SESSION.match(block[0].text)
        sentence = bool(_TERMINAL.search(block[-1].text)) and not _AGENDA.match(block[-1].text)
        if several or sentence:
            return i
        i = j
    return len(lines)


def _parse_header(lines: list[Line]) -> list[_RawUnit]:
    """Split the header zone into units, dropping the masthead before the session line."""
    session = next((i for i, ln in enumerate(lines) if _SESSION.match(ln.text)), None)
    if session is not None:
        lines = lines[session:]
    blocks: list[list[Line]] = []
    cur: list[Line] = []
    for ln in lines:
        if ln.blank:
            if cur:
                blocks.append(cur)
                cur = []
        else:
            cur.append(ln)
    if cur:
        blocks.append(cur)
    units: list[_RawUnit] = []

    def emit(group: list[Line]) -> None:
        if not group:
            return
        u = _RawUnit("header", f"header{len(units) + 1}")
        for ln in group:
            u.add(ln.text, ln)
        units.append(u)

    for block in blocks:
        pending: list[Line] = []
        for ln in block:
            t = ln.text.strip()
            single = bool(_SESSION.match(t) or _AGENDA.match(t)
                          or (_DATE_LINE.search(t) and len(t) < 60))
            if single:
                emit(pending)
                pending = []
                emit([ln])
            elif session is None and _is_masthead(t):
                continue
            else:
                pending.append(ln)
        emit(pending)
    return units


def _is_masthead(text: str) -> bool:
    from bitext.ingest.clean import _MASTHEAD, _SYMBOL, MASTHEAD_NAME

    if _MASTHEAD.match(text) or MASTHEAD_NAME.match(text):
        return True
    m = regex.search(_SYMBOL, text)
    return bool(m) and len(text.split()) <= 5
