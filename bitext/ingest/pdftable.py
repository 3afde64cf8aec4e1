"""Table rows of a PDF page put back together from the cells' positions.

A PDF draws a table cell by cell, and a cell whose text wraps is two or more
lines. :func:`bitext.ingest.pdfpage._page_text` makes one text line of the
pieces that share a baseline, so a table row whose first cell wraps came out as
several lines: in a browser's PDF (cells centred vertically) ``Latin America
and the`` / ``1,204  1,350`` / ``Caribbean``; in a word processor's (cells at
the top) ``Northern and  1,204  1,350`` / ``Southern Region``. The same row in a
language whose cell does not wrap is one line, so the document's units
differed in number between languages (issue #9).

Here the rows of a page are grouped again by position alone:

* an *anchor* is a row of at least three cells: pieces apart by more than the
  row's size (the column gaps that the reader keeps as two spaces), as
  :func:`bitext.ingest.structure.is_table_row` asks three cells of a line;
* a *fragment* is a row none of whose pieces spans two of an anchor's cells,
  each piece starting or ending where a cell of an anchor does (it lies in one
  column, aligned as its cells are), vertically nearer to that anchor's group
  than :data:`NEAR` of a line's size: a wrapped line of a cell;
* each fragment joins its nearest anchor group (fragments join one after
  another, so a cell of four lines joins line by line); anchors never join
  each other, so each table row stays a row of its own.

In a group, the pieces of one column (horizontally overlapping) are one cell,
read top to bottom and joined by a space (none between two characters of
a writing without spaces, as Chinese); the group is then one row of cells,
which the reader writes with its column gaps. Rows that are not near a table
are left as they are.
"""

from __future__ import annotations

import itertools
from typing import Any

import regex

_Piece = tuple[float, float, float, float, str, Any]

#: A fragment joins a table row when the vertical gap between them is less than
#: this share of a line's height: the gap under which the reader itself reads
#: the next line as the same paragraph (a larger one is a blank line in
#: :func:`bitext.ingest.pdfpage._page_text`). Measured on the tables made for
#: issue #9 (11-point text): the wrapped lines of one cell overlap the row's
#: centred cells in chromium's PDF (-0.3) and are 0.57 apart in LibreOffice's
#: (a Word paragraph's 1.15 spacing); a table's title or the paragraph after it
#: was 1.5-1.8 away. Between a fragment and two rows, the nearer row takes it.
NEAR = 0.8

#: A blank line is also more than this share of a line's height over the
#: page's usual gap between two lines of one paragraph (:func:`line_gap`):
#: a font whose lines are drawn far apart for their type size (Noto Naskh
#: Arabic in LibreOffice: 11-point lines 21.5 points apart, 10.5 between two
#: lines of a paragraph and 20.5 between paragraphs, in
#: tests/data/libreoffice_tall_lines_ar.pdf) has a paragraph's own gap over
#: :data:`NEAR`. The share is the margin :data:`NEAR` leaves over the largest
#: usual gap measured where it was set (chromium's 4.0 points under 11-point
#: lines in docs.py's PDFs, 0.36 of the size; LibreOffice's is 3.7): 0.8 - 0.36,
#: so that where the usual gap is that small nothing changes.
OVER_USUAL = 0.44

#: A line is a wrapped line of a paragraph when it is at least this share of
#: the widest line of its column: lines broken at a word end short of the
#: measure; in LibreOffice's ragged-right English (a PDF of session 22's
#: documents of our own, benchmarks/README) the wrapped lines are 0.86-1.0 of
#: it, and a paragraph's last line mostly shorter.
WRAPPED = 0.85

#: Fewest wrapped lines that measure a page's usual gap; with fewer the type
#: size alone decides (:data:`NEAR`). Three, so that the median holds when one
#: of them is a paragraph's last line that happens to be long.
LEAST_GAPS = 3

#: How far apart two edges of one column may be: the cells of a column start
#: (or, right-aligned, end) at one x; the first glyphs' side bearings differ by
#: a fraction of a point. Measured: 0.0-0.8 point in the issue #9 tables (11
#: points); a heading or a running foot over a table's column in a right-to-left
#: A5 page (tests/data/chromium_annex_ar.pdf) is 19-24 points off the edges.
EDGE = 0.2

# writing without spaces between words: a cell's wrapped lines join without one
_UNSPACED = regex.compile(r"[\p{Han}\p{Hiragana}\p{Katakana}\u3000-\u303f\uff01-\uff60]")


def _size(row: list[_Piece]) -> float:
    return max(r[1] - r[0] for r in row)


def _cells(row: list[_Piece]) -> int:
    """How many cells the row has: its pieces apart by more than its size."""
    ordered = sorted(row, key=lambda r: r[2])
    size = _size(row)
    return 1 + sum(1 for a, b in itertools.pairwise(ordered) if b[2] - a[3] > size)


def _inside_columns(row: list[_Piece], anchor: list[_Piece]) -> bool:
    """No piece of ``row`` overlaps two pieces of ``anchor`` horizontally."""
    return all(sum(1 for a in anchor if r[2] < a[3] and a[2] < r[3]) <= 1 for r in row)


def _in_a_column(row: list[_Piece], anchors: list[list[_Piece]], size: float) -> bool:
    """Every piece of ``row`` starts or ends where a cell of a table row does
    (within :data:`EDGE` of the size), or has its middle where the cells of a
    centred column have theirs: it is aligned in one of the columns."""
    cells = [a for anchor in anchors for a in anchor]
    return all(any(abs(r[2] - a[2]) < EDGE * size or abs(r[3] - a[3]) < EDGE * size
                   for a in cells) or _centred_in(r, cells, size) for r in row)


def _middle(piece: _Piece) -> float:
    return (piece[2] + piece[3]) / 2


def _centred_in(piece: _Piece, cells: list[_Piece], size: float) -> bool:
    """``piece`` has its middle (within :data:`EDGE` of the size) where two
    cells of a column have theirs, cells that start at different x: the column
    is centred, and a wrapped line of its cell shares no edge with the others,
    only its middle. Two cells are asked, not one, so that a centred title
    over a left-aligned table does not join a row because it happens to be
    centred over one cell."""
    mid = _middle(piece)
    same = [c for c in cells if abs(_middle(c) - mid) < EDGE * size]
    return any(abs(a[2] - b[2]) >= EDGE * size for a, b in itertools.combinations(same, 2))


def _gap(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Vertical gap between two (bottom, top) bands; negative when they overlap."""
    return max(a[0], b[0]) - min(a[1], b[1])


def line_gap(groups: list[list[list[_Piece]]], rule: str) -> float | None:
    """The usual vertical gap (points) under a wrapped line of a paragraph on a
    page whose columns' rows (each top to bottom) are ``groups``: the median gap
    under the rows nearly as wide as their column's widest (:data:`WRAPPED`),
    gaps of a whole line's height and table rows (three cells, as
    :func:`join_table_rows` asks) left out. None when fewer than
    :data:`LEAST_GAPS` measure it, or when the gaps under the shorter rows (a
    paragraph's last line) are no blank lines by it: a page of one-line
    paragraphs has rows as wide as each other and only paragraph gaps, which
    must stay blank lines. The tallest measured: 0.95 of the type size (Noto
    Naskh Arabic, :data:`OVER_USUAL`)."""
    wrapped: list[float] = []
    ends: list[float] = []
    sizes: list[float] = []
    for rows in groups:
        rows = [row for row in rows if row[0][4] != rule]
        widths = [max(r[3] for r in row) - min(r[2] for r in row) for row in rows]
        if not widths:
            continue
        widest = max(widths)
        for k, (upper, lower) in enumerate(itertools.pairwise(rows)):
            # a table's rows are as wide as a column and further apart than lines
            if _cells(upper) >= 3 or _cells(lower) >= 3:
                continue
            gap = min(r[0] for r in upper) - max(r[1] for r in lower)
            if widths[k] < WRAPPED * widest:
                ends.append(gap)
            elif gap < _size(upper):  # a gap of a whole line is a blank line in any font
                wrapped.append(gap)
                sizes.append(_size(upper))
    if len(wrapped) < LEAST_GAPS or not ends:
        return None
    usual = _median(wrapped)
    return usual if _median(ends) > blank_gap(_median(sizes), usual) else None


def _median(values: list[float]) -> float:
    return sorted(values)[len(values) // 2]


def blank_gap(size: float, usual: float | None) -> float:
    """The least vertical gap (points) under a line of ``size`` points that is
    a blank line: :data:`NEAR` of the size, or :data:`OVER_USUAL` of it over
    the page's ``usual`` gap (:func:`line_gap`) when that is more."""
    near = NEAR * size
    return near if usual is None else max(near, usual + OVER_USUAL * size)


def join_table_rows(rows: list[list[_Piece]], rule: str,
                    usual: float | None = None) -> list[list[_Piece]]:
    """``rows`` (top to bottom) with the wrapped lines of table cells joined to
    their row; ``rule`` is the text of a footnote rule, never part of a table;
    ``usual``: the page's usual line gap (:func:`line_gap`)."""
    anchors = [i for i, row in enumerate(rows)
               if row[0][4] != rule and len(row) >= 3 and _cells(row) >= 3]
    if not anchors:
        return rows
    owner: dict[int, int] = {i: i for i in anchors}
    band = {i: (min(r[0] for r in rows[i]), max(r[1] for r in rows[i])) for i in anchors}
    grown = True
    while grown:
        grown = False
        for i, row in enumerate(rows):
            if i in owner or row[0][4] == rule:
                continue
            if not _in_a_column(row, [rows[a] for a in anchors], _size(row)):
                continue
            mine = (min(r[0] for r in row), max(r[1] for r in row))
            best: tuple[float, int] | None = None
            for a in anchors:
                gap = _gap(mine, band[a])
                near = blank_gap(min(_size(row), _size(rows[a])), usual)
                if gap < near and _inside_columns(row, rows[a]) and (best is None or gap < best[0]):
                    best = (gap, a)
            if best is not None:
                a = best[1]
                owner[i] = a
                band[a] = (min(band[a][0], mine[0]), max(band[a][1], mine[1]))
                grown = True
    if len(owner) == len(anchors):
        return rows
    out: list[list[_Piece]] = []
    for i, row in enumerate(rows):
        if i not in owner:
            out.append(row)
        elif owner[i] == i:
            members = [p for j in sorted(owner) if owner[j] == i for p in rows[j]]
            out.append(_as_cells(members, _size(row)))
    return out


def _as_cells(pieces: list[_Piece], size: float) -> list[_Piece]:
    """The pieces of one table row as one piece a column, each column's text
    read top to bottom; a cell keeps the height of one line (``size``) at the
    top of the row, so the reader's spacing sees a line, not a block."""
    columns: list[list[_Piece]] = []
    for p in sorted(pieces, key=lambda r: r[2]):
        for col in columns:
            if any(p[2] < c[3] and c[2] < p[3] for c in col):
                col.append(p)
                break
        else:
            columns.append([p])
    top = max(p[1] for p in pieces)
    out: list[_Piece] = []
    for col in columns:
        col.sort(key=lambda r: -r[1])
        text = ""
        for c in col:
            piece = c[4].strip()
            unspaced = text and _UNSPACED.match(text[-1]) and _UNSPACED.match(piece[:1])
            text += piece if not text or unspaced else " " + piece
        ln = col[0][5] if len(col) == 1 else None
        out.append((top - size, top, min(c[2] for c in col), max(c[3] for c in col), text, ln))
    return out


#: Digits apart, the running lines of two pages are the same text (a page number
#: or a job number's count changes).
_DIGITS = regex.compile(r"\d+")


def _is_anchor(row: list[_Piece], rule: str) -> bool:
    return row[0][4] != rule and len(row) >= 3 and _cells(row) >= 3


def _running(row: list[_Piece], other: list[list[_Piece]]) -> bool:
    """``row`` is a running head or foot: ``other`` (the next or the previous
    page) has a line of the same text (digits apart) at the same height, within
    :data:`EDGE` of the type size. Body lines share heights from page to page
    (a regular line grid), never their text."""
    text = _DIGITS.sub("0", " ".join(p[4].strip() for p in row))
    bottom = min(p[0] for p in row)
    return any(abs(min(p[0] for p in o) - bottom) < EDGE * _size(row)
               and _DIGITS.sub("0", " ".join(p[4].strip() for p in o)) == text for o in other)


def _band(row: list[_Piece]) -> tuple[float, float]:
    return min(p[0] for p in row), max(p[1] for p in row)


def _same_columns(a: list[_Piece], b: list[_Piece], size: float) -> bool:
    """Two table rows of one table: as many cells, each starting or ending
    where the other's does (within :data:`EDGE` of the size)."""
    if len(a) != len(b):
        return False
    return all(abs(p[2] - q[2]) < EDGE * size or abs(p[3] - q[3]) < EDGE * size
               for p, q in zip(sorted(a, key=lambda r: r[2]), sorted(b, key=lambda r: r[2]),
                               strict=True))


def carry_cut_row(before: list[list[_Piece]], after: list[list[_Piece]], rule: str,
                  usual: float | None = None) -> None:
    """A table row broken over a page: the wrapped lines of its cells that went
    on to the next page are joined to the row on the page before (both lists of
    rows, top to bottom, changed in place; rows as :func:`join_table_rows`
    gives them). A word processor breaks a row of long cells at the page's
    foot, and the cells' last lines came out as a short paragraph of their own
    on the next page (issue #9).

    The evidence is the page's layout, all of it asked: the last table row of
    ``before`` has only running lines (:func:`_running`) or the page's notes
    (under the note ``rule``) after it: the table runs to the page's foot; on
    ``after``, the running heads are followed by lines that lie in the row's
    columns (as :func:`join_table_rows`' fragments: aligned with its cells,
    none across two), each nearer the one above than a blank line, and then
    by a table row in the same columns (the table goes on) or by running
    lines alone (the page holds nothing else). A title over a new table has
    other columns, a paragraph after the table has no running line's place;
    they stay where they are."""
    anchors = [i for i, row in enumerate(before) if _is_anchor(row, rule)]
    if not anchors:
        return
    # the body ends at the row: after it the page's notes (under their rule) or its foot
    rest = [row for row in before[anchors[-1] + 1:] if not _running(row, after)]
    if rest and rest[0][0][4] != rule:
        return
    cut = before[anchors[-1]]
    size = _size(cut)
    top = 0
    while top < len(after) and _running(after[top], before):
        top += 1
    end = top
    while (end < len(after) and not _is_anchor(after[end], rule)
           and not _running(after[end], before)):
        row = after[end]
        if (row[0][4] == rule or not _in_a_column(row, [cut], _size(row))
                or not _inside_columns(row, cut)):
            return
        if end > top and _gap(_band(after[end - 1]), _band(row)) \
                >= blank_gap(min(_size(row), _size(after[end - 1])), usual):
            return
        end += 1
    if end == top:
        return
    if end < len(after) and not (_is_anchor(after[end], rule)
                                 and _same_columns(after[end], cut, size)) \
            and not all(_running(row, before) for row in after[end:]):
        return
    # the lines go under the row's own, in order, whatever their height on their page
    low = min(p[0] for p in cut)
    pieces = list(cut)
    for k, row in enumerate(after[top:end], 1):
        pieces += [(low - k * size, low - (k - 1) * size, p[2], p[3], p[4], p[5]) for p in row]
    before[anchors[-1]] = _as_cells(pieces, size)
    del after[top:end]
