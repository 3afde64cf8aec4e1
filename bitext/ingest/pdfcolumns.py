"""The columns of a PDF page: where its gutter is, which pieces stand on each side
of it, and when two sides are a table or text set apart rather than columns.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Callable, Sequence

from bitext.ingest.pdfpage import _TOUCH, PDF_RULE
from bitext.ingest.pdftable import _Piece

#: Least lines on each side of a gutter for the page to have two columns, and
#: the least width of those lines' upper quartile (:data:`_COLUMN_SHARE`) as a
#: share of the page's: prose fills
#: most of its column (a two-column page of A4 holds 40-50 lines a column, at
#: most 0.37 of the page wide; lines broken before a long word are shorter:
#: in the benchmark's two-column files the median is 0.25-0.35); a table's
#: cells are narrower, a masthead's lines few.
_COLUMN_LINES = 5
_COLUMN_WIDTH = 0.2
#: A side's lines, from the shortest, this share of the way up are at least
#: :data:`_COLUMN_WIDTH` wide (its upper quartile): a column's lines may be
#: shorter than the median says (ragged lines, a paragraph's last line, a
#: heading), as :func:`_column_groups` measured.
_COLUMN_SHARE = 0.75
#: A column's line is at most this share of the page wide: half the text
#: width less half the gutter, and the margins (two columns on A4 with 2 cm
#: margins: 0.37).
_COLUMN_MAX = 0.45
#: Where the two sides of a gutter are set apart (:func:`_set_apart`), the
#: wider side's upper quartile need only be wider than this share of the page:
#: the widest the non-column candidates of the one-column files reach (a
#: masthead's block, a table's cells: 0.15, :data:`_COLUMN_WIDTH`'s measure),
#: not a column's prose. Short headings wrap sooner than prose: an Arabic
#: page of them in docs.py --columns 2 reached 0.195-0.198. With no bound at
#: all, two sides set apart were found on no page of the 720 one-column files
#: (chromium and LibreOffice), and on two-column pages only (12 of 360 files).
_APART_WIDTH = 0.15
#: Gutters of two pages closer than this share of the page are one (the middle
#: of the free stretch moves with the lines beside it: a few points).
_GUTTER_SAME = 0.03


def _column_groups(items: list[_Piece], width: float, rtl: bool, known: list[float],
                   column_edges: dict[float, tuple[float, float]] | None = None
                   ) -> list[list[_Piece]]:
    """The page's pieces in reading groups: all of them, or, on a page set in
    two columns, what stands above the columns, the first column, the second
    (the right one first in a right-to-left document), and what stands below.
    Two columns: an x in the middle of the page that no line crosses between
    the top and the bottom of the lines beside it, with at least
    :data:`_COLUMN_LINES` lines on each side at least :data:`_COLUMN_WIDTH` of
    the page wide (a line of both columns on one baseline read as one row would
    run the two columns into each other). ``known``: the gutters of the
    document's pages so far; at one of them a line on each side is enough (a
    page whose columns end after a few lines), and a gutter found is added.
    ``column_edges``: where the two columns' lines start (right to left, end) at
    each known gutter, as :func:`_most_by_width` finds them on the first page
    with columns there, left column first; a gutter found is added. At a
    known gutter, two sides whose every line starts at its column's edge are
    the columns, though their lines share baselines as a table's rows do
    (:func:`_at_edges`)."""
    text = [it for it in items if it[4] != PDF_RULE]
    if width <= 0:
        return [items]
    # the notes under the rule run across the page whatever the body's columns:
    # a note's line narrower than a column's limit may still cross the gutter
    rules = [it[1] for it in items if it[4] == PDF_RULE]
    # and so may a line in display type (a masthead's organ, a title): a
    # column's lines are set in the body's size
    # (the size most of the page's text is set in, by width, not most lines: an
    # Arabic page of short headings held more short Latin lines, the
    # masthead's block at 11 points, than lines of the Arabic font, 14.7
    # points, and took its headings for display type)
    body = _most_by_width(text, lambda it: it[1] - it[0]) if text else 0
    in_body = [it for it in text if (not rules or it[0] > max(rules))
               and it[1] - it[0] <= _DISPLAY * body]
    column_edges = {} if column_edges is None else column_edges
    for gutter in _gutters(in_body, width, known):
        least = 1 if any(abs(gutter - g) < _GUTTER_SAME * width for g in known) else _COLUMN_LINES
        at_edges = next((e for g, e in column_edges.items()
                         if abs(gutter - g) < _GUTTER_SAME * width), None)
        # the bands of the page between the lines that cross the gutter (a
        # heading or note across the page): the columns are the band with the
        # most lines on both sides
        cuts = sorted({y for it in items if it[2] < gutter < it[3] or it[4] == PDF_RULE
                       for y in (it[0], it[1])})
        edges = [float("-inf"), *cuts, float("inf")]
        best: tuple[int, float, float, float] | None = None
        for lo, hi in itertools.pairwise(edges):
            band = [it for it in text if lo <= (it[0] + it[1]) / 2 <= hi
                    and not it[2] < gutter < it[3]]
            left = [it for it in band if it[3] <= gutter]
            right = [it for it in band if it[2] >= gutter]
            # most lines of each side are a column's: the upper quartile (at a
            # known gutter one is enough: a running head or page number may
            # stand beside it). Ragged lines stop short of their column's edge:
            # on page 1 of six of docs.py --columns 2's Arabic documents a
            # side's median was 0.18-0.20 of the page, its upper quartile
            # 0.195-0.25; the one-column files' candidates (a masthead's block,
            # a table's cells: 72 bands of 5 lines a side) at most 0.15
            share = 1.0 if least == 1 else _COLUMN_SHARE
            quartiles = [_quantile(_line_widths(side, rtl), share) for side in (left, right)]
            widths = sorted(quartiles)
            # at a known gutter, a table set across the two columns is theirs
            # too: its rows are cells, no wider than a column's lines, but the
            # two sides' rows are not on one baseline as a table's cells are;
            # and anywhere, one side as wide as a column's lines is enough
            # where the sides' lines are set apart, nearly none on a baseline
            # of the other (a column of short headings beside one of wrapped
            # ones: no row of cells)
            apart = False
            if (min(len(left), len(right)) >= least
                    and (widths[0] >= _COLUMN_WIDTH * width
                         or (least == 1 and (not _one_table(left, right, started=True)
                                             or _at_edges(left, right, rtl, at_edges, body)))
                         or (apart := (widths[1] > _APART_WIDTH * width
                                       and _set_apart(left, right, _APART_WIDTH * width,
                                                      _DISPLAY * body))))
                    and (best is None or len(band) > best[0])):
                # from the first of its column lines (a masthead's short lines
                # above them are no column's) to its last line
                # (a line in display type, the masthead's organ, is none)
                prose = [it for it in left + right if it[3] - it[2] >= _COLUMN_WIDTH * width
                         and it[1] - it[0] <= _DISPLAY * body]
                if apart:
                    # one side's lines alone tell the columns: only those under
                    # the masthead's lines in display type (a masthead's name
                    # may be as wide as a column's line)
                    # (those of the wider side, as wide as its quartile had to
                    # be: the masthead's block on the other side is as wide)
                    wider = left if quartiles[0] >= quartiles[1] else right
                    prose = _under_display(wider, _APART_WIDTH * width, _DISPLAY * body,
                                           left + right) or prose
                # ... and on each side from the first line that starts where
                # that column's lines start: the masthead's block of
                # distribution, date and language on the right of page 1 is
                # no column's
                top = max((it[1] for it in prose), default=float("inf"))
                best = (len(band), min(it[0] for it in left + right) - 0.5,
                        _raise_top(left, min(top, _column_top(left, rtl)) + 0.5, rtl, body),
                        _raise_top(right, min(top, _column_top(right, rtl)) + 0.5, rtl, body))
        if best is None:
            continue
        _, lo, hi_left, hi_right = best
        known.append(gutter)
        above: list[_Piece] = []
        first: list[_Piece] = []
        second: list[_Piece] = []
        below: list[_Piece] = []
        for it in items:
            mid = (it[0] + it[1]) / 2
            on_left = (it[2] + it[3]) / 2 < gutter
            hi = hi_left if on_left else hi_right
            (above if mid > hi else below if mid < lo else first if on_left else second).append(it)
        if first and second and at_edges is None:
            column_edges[gutter] = (_most_by_width(first, _edge_of(rtl)),
                                    _most_by_width(second, _edge_of(rtl)))
        if rtl:
            first, second = second, first
        return [g for g in (above, first, second, below) if g]
    return [items]


#: A line taller than this share of the page's commonest line height is in
#: display type, no column's: a line holding a raised note marker is up to 1.15
#: of the body's height (the benchmark's two-column files), a UN masthead's
#: organ (18 points) 1.6 and its symbol (16) 1.45 of an 11-point body.
_DISPLAY = 1.3
#: A column's line starts (ends, right to left) within this many of its size
#: of where most of the column's lines do: a paragraph's number or first-line
#: indent is one or two ems; the masthead's right-hand block on a UN page 1
#: starts some 8 ems right of the column under it.
_ALIGN = 2.0


#: A line is its column's when the gap under it, to the column's next line, is
#: at most this many of its size: a heading over its paragraph (15.3 points
#: under an 11-point line in docs.py --columns 2: 1.4), or a paragraph's last
#: line; a page's running head stands further off (23.4 points under a
#: 9-point line: 2.6).
_HEADING_GAP = 1.5


#: A line at least this share of the body's size is in the body's type: a
#: running head or foot is 9 points on an 11-point body (0.82), a body line
#: rounds to the body's size (an Arabic line of 14.7 points on a body of 15:
#: 0.98).
_BODY_TYPE = 0.9


def _raise_top(side: list[_Piece], top: float, rtl: bool, body: float) -> float:
    """``top`` (the top of one side's column) raised over the lines just above
    it that start (right to left, end) where the column's lines do, each at
    most :data:`_HEADING_GAP` above the one under it, none in display type: a
    heading or a paragraph's short last line atop a column is narrower than
    the column's lines that tell where it starts, and read above the columns
    it joined the line beside it in the other column."""
    edge = _edge_of(rtl)
    under = [it for it in side if (it[0] + it[1]) / 2 <= top]
    if not under:
        return top
    # where the column's lines start is told by its lines in the body's type,
    # not by a running foot in smaller type; a side whose only lines under
    # the top are such (a column of one line, a word run on from the other
    # column, over the page's foot) is told by its lines above the top
    typed = ([it for it in under if it[1] - it[0] >= _BODY_TYPE * body]
             or [it for it in side if (it[0] + it[1]) / 2 > top
                 and _BODY_TYPE * body <= it[1] - it[0] <= _DISPLAY * body]
             or under)
    common = Counter(round(edge(it)) for it in typed).most_common(1)[0][0]
    for it in sorted((it for it in side if (it[0] + it[1]) / 2 > top), key=lambda it: it[0]):
        tall = it[1] - it[0]
        if (it[0] + it[1]) / 2 <= top:
            continue  # a piece of the line just taken (a raised marker)
        if (abs(edge(it) - common) > _ALIGN * tall or it[0] - top > _HEADING_GAP * tall
                or tall > _DISPLAY * body):
            break
        top = it[1] + 0.5
    return top


def _column_top(side: list[_Piece], rtl: bool) -> float:
    """The top of the highest line of one side of the gutter that starts (in a
    right-to-left document, ends) where most of that side's text does, by
    width: a column's lines are wider than a masthead's block of
    distribution, date and language above it, and as many (a Spanish page 1
    of docs.py --columns 2: 4 headings of 0.13-0.23 of the page under 4
    block lines of 0.07-0.17; by lines the tie went to the block)."""
    edge = _edge_of(rtl)
    common = _most_by_width(side, edge)
    return max(it[1] for it in side if abs(edge(it) - common) <= _ALIGN * (it[1] - it[0]))


def _edge_of(rtl: bool) -> Callable[[_Piece], float]:
    """Where a piece starts in the reading direction: its left edge, its right
    edge in a right-to-left document (a column's lines start, or end, there)."""
    return (lambda it: it[3]) if rtl else (lambda it: it[2])


def _most_by_width(pieces: list[_Piece], key: Callable[[_Piece], float]) -> int:
    """The value of ``key`` (points, rounded) that most of ``pieces``' text has,
    counted by width, not by lines: a page's body size
    (:func:`_column_groups`), where a side's lines start (:func:`_column_top`).
    ``pieces`` is not empty; a tie goes to the value met first."""
    width: Counter[int] = Counter()
    for it in pieces:
        width[round(key(it))] += round(it[3] - it[2])
    return width.most_common(1)[0][0]


#: A line is at its column's edge (:func:`_at_edges`) when it starts (right
#: to left, ends) within this many points of it: the column lines of page 1
#: of an Arabic document of docs.py --columns 2 end within 0.1 point of their
#: column's edge (46 lines); a table's cells drawn across the page start
#: where its own columns do.
_EDGE_SAME = 1.0


def _at_edges(left: list[_Piece], right: list[_Piece], rtl: bool,
              edges: tuple[float, float] | None, body: float) -> bool:
    """Whether every line in the body's type (:data:`_BODY_TYPE` of ``body``
    to :data:`_DISPLAY`; a running head or foot is smaller) of both sides,
    one at least on each, starts (right to left, ends) within
    :data:`_EDGE_SAME` of its column's edge on the pages before, ``edges``
    (left, right; None: none known)."""
    if edges is None:
        return False
    for side, at in ((left, edges[0]), (right, edges[1])):
        lines = _side_lines([it for it in side
                             if _BODY_TYPE * body <= it[1] - it[0] <= _DISPLAY * body])
        if not lines or any(abs((x1 if rtl else x0) - at) > _EDGE_SAME for x0, x1 in lines):
            return False
    return True


def _side_lines(side: list[_Piece]) -> list[tuple[float, float]]:
    """Where each line of ``side`` (pieces on one baseline less than a line's
    size apart, :func:`_line_widths`) starts and ends, top down."""
    rows: list[list[float]] = []  # middle, height, x0, x1 of each line
    for it in sorted(side, key=lambda it: -(it[0] + it[1]) / 2):
        mid, tall = (it[0] + it[1]) / 2, it[1] - it[0]
        if (rows and abs(mid - rows[-1][0]) < 0.5 * min(tall, rows[-1][1])
                and max(it[2] - rows[-1][3], rows[-1][2] - it[3]) <= max(tall, rows[-1][1])):
            rows[-1][2] = min(rows[-1][2], it[2])
            rows[-1][3] = max(rows[-1][3], it[3])
            continue
        rows.append([mid, tall, it[2], it[3]])
    return [(x0, x1) for _, _, x0, x1 in rows]


def _line_widths(side: list[_Piece], rtl: bool) -> list[float]:
    """The widths of one side's lines from its column's top down. Pieces on
    one baseline less than a line's size apart are one line: a line is cut
    into pieces at a raised note marker or a run of another font (an Arabic
    line of the benchmark's two-column files: two pieces of 0.15 and 0.07 of
    the page); a table's cells are further apart, as :func:`_page_text` keeps
    them. The lines above the column's first line that starts where its lines
    do are no column's: a UN page 1's masthead block of distribution, date
    and language (4 short lines of 13 on a Chinese page took the median
    under :data:`_COLUMN_WIDTH`)."""
    if not side:
        return []
    top = _column_top(side, rtl)
    return [x1 - x0 for x0, x1 in _side_lines([it for it in side if it[1] <= top + 0.5])]


def _one_table(left: list[_Piece], right: list[_Piece], started: bool = False) -> bool:
    """Whether more than half the lines of the side with fewer lines are on
    the baseline of a line of the other side, as the cells of a table's rows
    are (a table drawn across the page). Two columns of rows (a
    table set in two columns, its rows where the columns' lines fall) share
    a baseline by chance: a page's running foot, its number on one side and
    its job number on the other. ``started``: at a gutter of the pages
    before, the first baseline both sides share is left out, where two
    columns start (a column of one line, a heading's last word run on from
    the other, shares it; a table's first row shares it too, and its other
    rows theirs)."""
    return _shared_baselines(left, right, started) > 0.5


#: Lines of each side on a baseline the other side has no line on, at least,
#: for the two sides to be set apart (:func:`_set_apart`): a table's wrapped
#: cells put lines of their own on one side only.
_OWN_LINES = 2


def _set_apart(left: list[_Piece], right: list[_Piece], wide: float, tall: float) -> bool:
    """Whether the two sides of a gutter are two columns of lines set apart,
    no table's rows: at most half the lines of the side with fewer are on a
    baseline of the other (:func:`_one_table`: a column's first line and the
    page's running foot may be), and each side has at least
    :data:`_OWN_LINES` on baselines of its own between the top and the
    bottom of the other side's prose (:func:`_under_display`; a column of
    short headings beside one of wrapped ones). A table's row has
    one baseline across, and a cell wrapped in two lines gives its side alone
    lines of its own; a one-column page 1's masthead block stands above the
    prose beside it (the organ beside it is in display type, no prose). A
    side most of whose rows are rows of cells (:data:`_CELL_ROWS`: the
    numbers beside a table's wrapped first cells, centred between their
    baselines) is a table's, never a column's."""
    if _one_table(left, right) or max(_cell_rows(left), _cell_rows(right)) > _CELL_ROWS:
        return False

    def own(side: list[_Piece], other: list[_Piece]) -> int:
        # under the display type of both sides: a masthead's block beside
        # the organ is no prose
        prose = _under_display(other, wide, tall, left + right)
        if not prose:
            return len(side)  # the other side is the narrow one: counted from this one
        lo, hi = min(o[0] for o in prose), max(o[1] for o in prose)
        return sum(1 for it in side if lo <= (it[0] + it[1]) / 2 <= hi and not any(
            abs(it[0] - o[0]) < _TOUCH * (it[1] - it[0]) for o in other))

    return min(own(left, right), own(right, left)) >= _OWN_LINES


#: A side of a gutter whose rows are more than this share rows of cells
#: (:func:`_cell_rows`) is a table's, no column's (:func:`_set_apart`): the
#: numbers beside a table's wrapped first cells are all rows of cells (1.0,
#: tests/data/chromium_table_en.pdf); a column's lines, prose or headings,
#: are one piece each or pieces touching: 0 on both sides of every pair of
#: sides that reached :func:`_set_apart` in docs.py --columns 2 (34 pairs,
#: 12 of them set apart). Half: most of a side's rows.
_CELL_ROWS = 0.5


def _cell_rows(side: list[_Piece]) -> float:
    """The share of one side's rows (pieces on one baseline) that are rows of
    cells: two pieces further apart than the row's line size, as
    :func:`_page_text` keeps a table's cells apart (a line cut at a raised
    marker or a run of another font has its pieces touching)."""
    rows: list[list[_Piece]] = []
    for it in sorted(side, key=lambda it: -(it[0] + it[1]) / 2):
        mid, tall = (it[0] + it[1]) / 2, it[1] - it[0]
        if rows and abs(mid - (rows[-1][0][0] + rows[-1][0][1]) / 2) < 0.5 * min(
                tall, rows[-1][0][1] - rows[-1][0][0]):
            rows[-1].append(it)
        else:
            rows.append([it])
    if not rows:
        return 0.0

    def cells(row: list[_Piece]) -> bool:
        row = sorted(row, key=lambda it: it[2])
        size = max(it[1] - it[0] for it in row)
        return any(b[2] - a[3] > size for a, b in itertools.pairwise(row))

    return sum(1 for row in rows if cells(row)) / len(rows)


def _under_display(lines: list[_Piece], wide: float, tall: float,
                   among: list[_Piece] | None = None) -> list[_Piece]:
    """The prose lines of ``lines`` (at least ``wide``, at most ``tall``) under
    the lowest of its lines (or of ``among``) in display type (taller than
    ``tall``: a masthead's organ and symbol; a masthead's name above them may
    be as wide and as tall as prose)."""
    display = [it[0] for it in (lines if among is None else among) if it[1] - it[0] > tall]
    floor = min(display, default=float("inf"))
    return [it for it in lines if it[3] - it[2] >= wide and it[1] - it[0] <= tall
            and it[1] <= floor]


def _shared_baselines(left: list[_Piece], right: list[_Piece], started: bool = False) -> float:
    """The share of the lines of the side with fewer lines that are on the
    baseline of a line of the other side (glyphs of one baseline differ by
    rounding, under :data:`_TOUCH` of their size); ``started``: the highest
    such line left out (:func:`_one_table`)."""
    def bases(side: list[_Piece]) -> list[tuple[float, float]]:
        return sorted({(round(it[0], 1), it[1] - it[0]) for it in side})

    few, many = sorted((bases(left), bases(right)), key=len)
    if not few:
        return 0.0
    shared = [y for y, tall in few if any(abs(y - y2) < _TOUCH * tall for y2, _ in many)]
    if started and shared:
        few = [b for b in few if b[0] != max(shared)]
        shared.remove(max(shared))
        if not few:
            return 0.0
    return len(shared) / len(few)


def _gutters(text: list[_Piece], width: float, known: Sequence[float] = ()) -> list[float]:
    """Candidate gutters: the middles of the x-ranges in the middle third of the
    page that no piece narrower than :data:`_COLUMN_MAX` of the page covers (a
    wider one, a note or a heading across the page, is no column's; it must
    stand above or below the columns, :func:`_column_groups` checks). A range
    holding a ``known`` gutter (of the pages before) gives that gutter: the
    middle of the range moves with the lines beside it, and on a page of short
    lines (a table's cells set in two columns: a Russian annex page of
    benchmarks/docs.py --columns 2, its free range 226-326 around the gutter
    at 306) it lies further off than :data:`_GUTTER_SAME`."""
    covered = sorted((max(it[2], width / 3), min(it[3], 2 * width / 3)) for it in text
                     if it[3] > width / 3 and it[2] < 2 * width / 3
                     and it[3] - it[2] < _COLUMN_MAX * width)
    free: list[tuple[float, float]] = []
    x = width / 3
    for x0, x1 in covered:
        if x0 > x + 1:
            free.append((x, x0))
        x = max(x, x1)
    if 2 * width / 3 > x + 1:
        free.append((x, 2 * width / 3))
    out: list[float] = []
    for x0, x1 in free:
        inside = [g for g in known if x0 < g < x1]
        out.append(min(inside, key=lambda g: abs(g - (x0 + x1) / 2)) if inside
                   else (x0 + x1) / 2)
    return out


def _quantile(values: list[float], share: float) -> float:
    """The value ``share`` of the way up ``values`` sorted (0.5: the median, 1: the largest)."""
    return sorted(values)[min(len(values) - 1, int(len(values) * share))] if values else 0.0
