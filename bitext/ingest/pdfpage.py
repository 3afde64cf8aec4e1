"""A PDF page's text from pdfminer's layout: its pieces in rows in reading
order, right-to-left lines, runs cut in pieces joined, footnote rules and raised
glyphs (superscript markers). The columns are found by
:mod:`bitext.ingest.pdfcolumns`, table rows joined by :mod:`bitext.ingest.pdftable`.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, NamedTuple

from bitext.ingest.pdftable import _Piece
from bitext.ingest.reader import PARA_END, RAISED_CLOSE, RAISED_OPEN

if TYPE_CHECKING:
    from bitext.ingest.bidi import DocumentDirection


#: What a drawn footnote rule becomes in the text, as pdftotext shows a typed one.
PDF_RULE = "__________________"


def _page_text(page: object, direction: DocumentDirection,
               gutters: list[float] | None = None,
               edges: dict[float, tuple[float, float]] | None = None,
               spacing: list[float] | None = None) -> str:
    """One page as lines in reading order, like ``pdftotext -layout`` for one column
    (:func:`_page_rows`, then :func:`_rows_text`)."""
    return _rows_text(_page_rows(page, direction, gutters, edges, spacing))


class PageRows(NamedTuple):
    """A page's rows of pieces in reading order, before they are text: a table
    row broken over the page is joined across two of them
    (:func:`bitext.ingest.pdftable.carry_cut_row`)."""

    rows: list[list[_Piece]]
    usual: float | None
    doc_rtl: bool


def _page_rows(page: object, direction: DocumentDirection,
               gutters: list[float] | None = None,
               edges: dict[float, tuple[float, float]] | None = None,
               spacing: list[float] | None = None) -> PageRows:
    """One page's rows in reading order (:func:`_page_text` reads them as text).

    pdfminer groups text into boxes, which tears a hanging paragraph number
    (``1.`` in the margin) away from its line. Here every text line is placed by
    its position instead: pieces on one baseline make one line (a wide gap keeps
    two spaces, so table columns stay visible), a larger vertical gap makes a blank
    line, and a short horizontal rule in the lower part of the page (the footnote
    separator) becomes a line of underscores. A line or row without letters
    reads in the document's ``direction``. ``gutters`` and ``edges``: the
    columns of the pages before (:func:`_column_groups`), updated; ``spacing``:
    the usual line gaps of the pages before (:func:`pdftable.line_gap`), updated
    (a page of a few lines, as a table's end, has too few to measure its own).
    """
    from pdfminer.layout import LTCurve, LTTextLine

    from bitext.ingest.pdfcolumns import _column_groups
    from bitext.ingest.pdftable import join_table_rows, line_gap

    height = float(page.height)  # type: ignore[attr-defined]
    width = float(page.width)  # type: ignore[attr-defined]
    items: list[_Piece] = []
    lines: list[Any] = []
    flat: list[Any] = []  # the page's horizontal rules (at most 2 points thick)

    def walk(obj: object) -> None:
        if isinstance(obj, LTTextLine):
            lines.append(obj)
            return
        if isinstance(obj, LTCurve):
            if obj.y1 - obj.y0 <= 2:
                flat.append(obj)
            return
        for child in getattr(obj, "__iter__", lambda: iter(()))():
            walk(child)

    walk(page)
    for obj in flat:
        if 40 <= obj.x1 - obj.x0 <= width * 0.6 and (
                obj.y1 < height * 0.6 or _lone_rule(obj, flat, lines)):
            items.append((obj.y0, obj.y0 + 1, obj.x0, obj.x1, PDF_RULE, None))
    doc_rtl = direction.add(" ".join(ln.get_text() for ln in lines))
    for ln in lines:
        text = _line_text(ln, doc_rtl, direction)
        if text.strip():
            items.append((ln.y0, ln.y1, ln.x0, ln.x1, text, ln))
    groups: list[list[list[_Piece]]] = []
    for group in _column_groups(items, width, doc_rtl, [] if gutters is None else gutters,
                                edges):
        group.sort(key=lambda it: (-(it[0] + it[1]) / 2, it[2]))
        mine: list[list[_Piece]] = []
        for it in group:
            mid = (it[0] + it[1]) / 2
            if mine:
                row = mine[-1]
                rmid = sum((r[0] + r[1]) / 2 for r in row) / len(row)
                tall = min(min(r[1] - r[0] for r in row), it[1] - it[0]) or 1.0
                if abs(mid - rmid) < tall * 0.5 and it[4] != PDF_RULE and row[0][4] != PDF_RULE:
                    row.append(it)
                    continue
            mine.append([it])
        groups.append(mine)
    # a font's own line spacing: two lines of a paragraph may be further apart
    # than the type size says a blank line is
    usual = line_gap(groups, PDF_RULE)
    if spacing is not None:
        if usual is not None:
            spacing.append(usual)
        elif spacing:
            usual = spacing[-1]
    rows: list[list[_Piece]] = []
    for mine in groups:
        # the runs a line is drawn in are read as one before the table's cells
        # are matched: a right-to-left cell drawn as runs (LibreOffice) is one
        # cell, as a left-to-right one is
        mine = [_read_runs(row, doc_rtl, direction) for row in mine]
        # a table's wrapped cells join their row within one column: a line
        # of the other column beside a row is no cell of it
        rows += join_table_rows(mine, PDF_RULE, usual)
    return PageRows(rows, usual, doc_rtl)


def _rows_text(page: PageRows, end: int | None = None) -> str:
    """A page's rows as lines: pieces apart by more than the type size keep
    two spaces (a table's columns), a larger vertical gap than
    :func:`pdftable.blank_gap` makes a blank line; the row ``end`` (a
    paragraph's last line, :func:`paragraph_end`) ends in :data:`PARA_END`."""
    from bitext.ingest.pdftable import blank_gap

    rows, usual, doc_rtl = page
    out: list[str] = []
    prev_bottom: float | None = None
    for k, row in enumerate(rows):
        rtl, size, raised = _row_shape(row, doc_rtl)
        top, bottom = max(r[1] for r in row), min(r[0] for r in row)
        if prev_bottom is not None and prev_bottom - top > blank_gap(size, usual):
            out.append("")
        line = row[0][4].rstrip()
        for prev, cur in itertools.pairwise(row):
            piece = cur[4].strip()
            if raised(cur):
                # a superscript drawn apart from its line (LibreOffice): glued to
                # the word before it in reading order, as _mark_raised marks it
                line += f"{RAISED_OPEN}{piece}{RAISED_CLOSE}"
                continue
            gap = prev[2] - cur[3] if rtl else cur[2] - prev[3]
            line += ("  " if gap > size else " ") + piece
        out.append(line + PARA_END if k == end else line)
        prev_bottom = bottom
    return "\n".join(out) + "\n"


#: A space's width against the type size: 0.25-0.33 em in text fonts (Times
#: 0.25, Liberation Serif 0.25, DejaVu Sans 0.32, Noto Naskh Arabic 0.26); the
#: widest is taken, so that a line is called short only when the next word and
#: the widest space would both have fitted.
SPACE_EM = 0.33


def paragraph_end(before: PageRows, after: PageRows) -> int | None:
    """The index of the last body row of the page ``before`` when the page's
    layout shows that it ends its paragraph (:func:`_rows_text` marks it with
    :data:`PARA_END`), else None: the first word of
    the next page's text (``after``) and a space would have fitted on it,
    within its column's measure (the furthest any line of the column reaches).
    A line filled as far as the text allows broke there because that word did
    not fit; a line with room for it ended the paragraph (issue #9: an
    unnumbered paragraph opening the next page after a numbered one has no
    other sign, the blank lines at a page break being the page's layout). The
    body ends before the page's notes (under :data:`PDF_RULE`) and its running
    feet; the next page's text starts after its running heads
    (:func:`pdftable._running`). A table row is never marked: its cells end
    where their text does."""
    from bitext.ingest.pdftable import _UNSPACED, EDGE, _is_anchor, _running, _size

    rows = before.rows
    end = next((k for k, row in enumerate(rows) if row[0][4] == PDF_RULE), len(rows))
    while end > 0 and _running(rows[end - 1], after.rows):
        end -= 1
    nxt = next((row for row in after.rows if row[0][4] != PDF_RULE
                and not _running(row, rows)), None)
    if end == 0 or nxt is None or _is_anchor(rows[end - 1], PDF_RULE):
        return None
    last = rows[end - 1]
    size = _size(last)
    rtl = _row_shape(last, before.doc_rtl)[0]
    left, right = min(p[2] for p in last), max(p[3] for p in last)
    # the column's lines: those that start where this one does (a heading over
    # two columns, a running head at the page's side start elsewhere)
    column = [row for row in rows[:end] if not _is_anchor(row, PDF_RULE)
              and abs((max(p[3] for p in row) - right) if rtl
                      else (min(p[2] for p in row) - left)) < EDGE * size]
    room = (left - min(p[2] for row in column for p in row) if rtl
            else max(p[3] for row in column for p in row) - right)
    first = nxt[0]
    text = first[4].strip()
    word = (text.split() or [""])[0]
    if not word:
        return None
    if _UNSPACED.match(word):
        word = word[0]
    need = (first[3] - first[2]) * len(word) / len(text) + SPACE_EM * size
    return end - 1 if room > need else None


def _row_shape(row: list[_Piece], doc_rtl: bool) -> tuple[bool, float, Callable[[_Piece], bool]]:
    """A row's direction, its size (its tallest piece's height) and which of
    its pieces are raised (a superscript drawn apart from its line); ``row``
    is sorted in reading order."""
    from bitext.ingest.bidi import reads_right_to_left

    rtl = reads_right_to_left(" ".join(r[4] for r in row), doc_rtl)
    row.sort(key=lambda r: -r[3] if rtl else r[2])
    size = max(r[1] - r[0] for r in row)
    bottom = min(r[0] for r in row)
    base = min((r[0] for r in row if r[1] - r[0] > _RAISED_SIZE * size), default=bottom)

    def raised(r: _Piece) -> bool:
        return (bool(_RAISED_PIECE.fullmatch(r[4].strip()))
                and r[1] - r[0] <= _RAISED_SIZE * size and r[0] - base >= _RAISED_SHIFT * size)

    return rtl, size, raised


def _read_runs(row: list[_Piece], doc_rtl: bool,
               direction: DocumentDirection) -> list[_Piece]:
    """``row`` in reading order with the runs of one line read as one
    (:func:`_join_touching`)."""
    rtl, size, raised = _row_shape(row, doc_rtl)
    return _join_touching(row, rtl, size, raised, direction, doc_rtl)


def _lone_rule(rule: Any, flat: list[Any], lines: list[Any]) -> bool:
    """A short rule in a page's upper part is a note separator when nothing
    else draws there: no other rule at its height (a table's borders are one
    rule a cell, side by side) and no text line over it within that line's
    height (an underline lies inside its line's box, a cell's border 2.8-4.3
    points under its 11-point text in tests/data/chromium_table_*.pdf). A long
    note area puts its separator that high: LibreOffice's is 74% up the page
    in tests/data/libreoffice_long_note_en.pdf, 28.6 points (2.6 lines) under
    the body's last line."""
    if any(o is not rule and abs(o.y0 - rule.y0) <= 2 for o in flat):
        return False
    return not any(ln.x0 < rule.x1 and rule.x0 < ln.x1 and ln.y1 > rule.y1
                   and ln.y0 - rule.y1 < ln.y1 - ln.y0 for ln in lines)


#: Pieces of a row closer than this share of its size are one run of text cut
#: in pieces (LibreOffice draws an Arabic line as runs: the words, ``2016``,
#: ``-``, ``2017``): pdfminer's word margin, as :func:`bidi.logical_line` spaces.
_TOUCH = 0.1


def _join_touching(row: list[_Piece], rtl: bool, size: float,
                   raised: Callable[[_Piece], bool],
                   direction: DocumentDirection | None = None,
                   doc_rtl: bool = False) -> list[_Piece]:
    """``row`` (in reading order) with the right-to-left text pieces that touch
    read again as one line, so that its numbers and brackets take their order
    from the letters around them. Raised pieces (markers) and rules stay apart.
    A left-to-right row stays as it is in a left-to-right document (``doc_rtl``
    false): its pieces are in order already, and a note's number touches its
    text in Chinese (``1见``: the space between them tells the note). In a
    right-to-left document LibreOffice draws a left-to-right line (a symbol
    ``E/C.99/2026/L.7``, a job number) in runs that touch and overlap, and a
    run without letters took the document's direction: its touching pieces
    are read again as one line, left to right by their glyphs' positions."""
    from pdfminer.layout import LTChar

    from bitext.ingest.bidi import logical_line

    if not rtl and not doc_rtl:
        return row
    groups: list[list[_Piece]] = []
    for cur in row:
        if groups:
            prev = groups[-1][-1]
            # right to left the row runs from the right; left to right a run may
            # overlap the one before it, so the group's furthest edge counts
            gap = prev[2] - cur[3] if rtl else cur[2] - max(g[3] for g in groups[-1])
            # a left-to-right run's markers are marked in its text already
            # (_mark_raised), which a reading by position would lose
            marked = not rtl and RAISED_OPEN in prev[4] + cur[4]
            if (gap < _TOUCH * size and prev[5] is not None and cur[5] is not None
                    and not raised(prev) and not raised(cur) and not marked):
                groups[-1].append(cur)
                continue
        groups.append([cur])
    out: list[_Piece] = []
    for group in groups:
        if len(group) == 1:
            out.append(group[0])
            continue
        glyphs = [c for g in group for c in g[5] if isinstance(c, LTChar)]
        text = logical_line([(c.x0, c.x1, c.height, c.get_text()) for c in glyphs], rtl=rtl,
                            document=direction, raised=_raised_glyphs(glyphs) if rtl else (),
                            marks=(RAISED_OPEN, RAISED_CLOSE), positions=True)
        out.append((min(g[0] for g in group), max(g[1] for g in group),
                    min(g[2] for g in group), max(g[3] for g in group), text, group[0][5]))
    return out


def _line_text(line: Any, doc_rtl: bool, direction: DocumentDirection | None = None) -> str:
    """A pdfminer text line's text in reading order (right-to-left lines are
    often drawn left to right: :mod:`bitext.ingest.bidi`); a line without
    letters takes the document's direction (``doc_rtl``; ``direction`` keeps
    what the document's lines showed of their brackets)."""
    from pdfminer.layout import LTChar

    from bitext.ingest.bidi import logical_line, reads_right_to_left

    text: str = line.get_text().rstrip("\n")
    if not reads_right_to_left(text, doc_rtl):
        return _mark_raised(line, text)
    glyphs = [c for c in line if isinstance(c, LTChar)]
    return logical_line([(c.x0, c.x1, c.height, c.get_text()) for c in glyphs], rtl=True,
                        document=direction, raised=_raised_glyphs(glyphs),
                        marks=(RAISED_OPEN, RAISED_CLOSE))


def _raised_glyphs(glyphs: list[Any]) -> set[int]:
    """Indices of the glyphs of a right-to-left line drawn as superscripts: digits,
    brackets and asterisks at most :data:`_RAISED_SIZE` of the line's body size
    and raised by :data:`_RAISED_SHIFT` of it (as :func:`_mark_raised` tells them
    in a left-to-right line), except a run that opens the line on the right (a
    note's own number)."""
    upright = [c for c in glyphs if c.upright]
    if len(upright) < 2:
        return set()
    body = sorted(c.size for c in upright)[len(upright) // 2]
    bases = sorted(c.matrix[5] for c in upright if c.size > _RAISED_SIZE * body)
    if body <= 0 or not bases:
        return set()
    base = bases[len(bases) // 2]
    up = {i for i, c in enumerate(glyphs)
          if c.upright and (c.get_text().isdigit() or c.get_text() in ("(", ")", "*"))
          and c.size <= _RAISED_SIZE * body and c.matrix[5] - base >= _RAISED_SHIFT * body}
    # the run on the right end opens the line (reading from the right)
    for i in sorted(range(len(glyphs)), key=lambda i: -glyphs[i].x1):
        if glyphs[i].get_text().isspace():
            continue
        if i not in up:
            break
        up.discard(i)
    return up


_RAISED_PIECE = re.compile(r"[\d()*]+")
#: A superscript is drawn at most this share of its line's body size: about two
#: thirds in Word, 7/11 = 0.64 in the benchmark's chromium PDFs, and a browser's
#: default ``<sup>`` "smaller" is 1/1.2 = 0.83 of it.
_RAISED_SIZE = 0.85
#: ... and its baseline is raised by at least this share of the body size: Word
#: and browsers raise a superscript by about a third; glyphs of one baseline
#: differ by rounding (under 0.01).
_RAISED_SHIFT = 0.15


def _mark_raised(line: Any, text: str) -> str:
    """``text`` (a left-to-right line's, as drawn) with each run of digits,
    brackets and asterisks drawn raised and smaller than the line's body text
    between :data:`RAISED_OPEN` and :data:`RAISED_CLOSE`, unless the run opens
    the line (a note's own number). The body size and baseline are the median of
    the line's upright glyphs."""
    from pdfminer.layout import LTChar

    if not any(ch.isdigit() or ch == "*" for ch in text):
        return text
    glyphs = [c for c in line if isinstance(c, LTChar) and c.upright]
    if len(glyphs) < 2:
        return text
    body = sorted(c.size for c in glyphs)[len(glyphs) // 2]
    bases = sorted(c.matrix[5] for c in glyphs if c.size > _RAISED_SIZE * body)
    if body <= 0 or not bases:
        return text
    base = bases[len(bases) // 2]
    out: list[str] = []
    raised = started = False
    for obj in line:
        piece = obj.get_text()
        up = (started and isinstance(obj, LTChar) and obj.upright
              and (piece.isdigit() or piece in ("(", ")", "*"))
              and obj.size <= _RAISED_SIZE * body and obj.matrix[5] - base >= _RAISED_SHIFT * body)
        started = started or not piece.isspace()
        if up and not raised:
            out.append(RAISED_OPEN)
        elif raised and not up:
            out.append(RAISED_CLOSE)
        raised = up
        out.append(piece)
    if raised:
        out.append(RAISED_CLOSE)
    return "".join(out).rstrip("\n")
