"""Monotone alignment search over score arrays (no model, no text).

A path through the ``(n + 1) x (m + 1)`` grid starts at ``(0, 0)`` and ends at
``(n, m)``; each step is a bead shape ``(a, b)``: ``a`` source and ``b`` target
items are aligned together (``(1, 0)`` and ``(0, 1)`` are skips). The search
maximises the sum of the beads' values.

To keep time and memory linear in the input, the grid is restricted to a
:class:`Band`: row ``i`` holds the columns ``lo[i] .. hi[i]`` (inclusive), and
the cells of all rows are stored one after the other (row ``i`` starts at
``offset[i]``). A full grid is the band with ``lo = 0`` and ``hi = m``. Bead
values live in an array ``values[k, c]`` for shape ``k`` ending at flat cell
``c``; ``-inf`` forbids a bead.

:func:`band_around_path` builds the band for a finer search around a coarser
path, which is how long inputs are aligned without an ``n x m`` matrix.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

NEG = -np.inf

Shape = tuple[int, int]


def bead_shapes(
    max_bead: int, *, skips: bool = True, many_to_many: int | None = None
) -> list[Shape]:
    """Every shape ``(a, b)`` with ``1 <= a, b <= max_bead``, plus the two skips.

    ``many_to_many``: beads with several sentences on both sides hold at most this
    many a side (one sentence may still pair with up to ``max_bead``).
    """
    return list(_bead_shapes(max_bead, skips, max_bead if many_to_many is None else many_to_many))


@functools.lru_cache(maxsize=64)
def _bead_shapes(max_bead: int, skips: bool, mm: int) -> tuple[Shape, ...]:
    """:func:`bead_shapes`, kept: each paragraph pair's search asks for them twice."""
    shapes = [(a, b) for a in range(1, max_bead + 1) for b in range(1, max_bead + 1)
              if min(a, b) == 1 or max(a, b) <= mm]
    if skips:
        shapes += [(1, 0), (0, 1)]
    return tuple(shapes)


#: Cells of a band whose :meth:`Band.cells` are kept with it (two int64 arrays,
#: 1 MB at this size): where recomputing them costs more than their numbers (a
#: paragraph pair's few hundred cells), not a long input's band of millions.
CELLS_KEPT = 2**16


@dataclass(frozen=True)
class Band:
    """Allowed cells of the ``(n + 1) x (m + 1)`` grid, row by row.

    ``lo``, ``hi``: int arrays (n + 1,), non-decreasing, first and last allowed
    column of each row. ``offset``: int array (n + 2,), where each row starts in
    the flat cell arrays (``offset[-1]`` is the number of cells).
    """

    lo: np.ndarray
    hi: np.ndarray
    m: int

    @property
    def n(self) -> int:
        return int(self.lo.shape[0]) - 1

    @functools.cached_property
    def offset(self) -> np.ndarray:
        out = np.zeros(self.lo.shape[0] + 1, dtype=np.int64)
        np.cumsum(self.hi - self.lo + 1, out=out[1:])
        return out

    @functools.cached_property
    def size(self) -> int:
        return int(self.offset[-1])

    def cells(self) -> tuple[np.ndarray, np.ndarray]:
        """Row and column of every cell, two int arrays of shape (size,).

        Kept with the band up to :data:`CELLS_KEPT` cells (read-only then): a
        paragraph pair's search asks for them half a dozen times."""
        kept: tuple[np.ndarray, np.ndarray] | None = self.__dict__.get("_cells")
        if kept is not None:
            return kept
        counts = self.hi - self.lo + 1
        rows = np.repeat(np.arange(self.lo.shape[0]), counts)
        cols = np.arange(self.size) - np.repeat(self.offset[:-1] - self.lo, counts)
        if self.size <= CELLS_KEPT:
            rows.flags.writeable = False
            cols.flags.writeable = False
            # a frozen dataclass: the cache goes where cached_property puts its own
            self.__dict__["_cells"] = (rows, cols)
        return rows, cols

    @classmethod
    def full(cls, n: int, m: int) -> Band:
        return cls(np.zeros(n + 1, dtype=np.int64), np.full(n + 1, m, dtype=np.int64), m)


def search(values: np.ndarray, band: Band, shapes: Sequence[Shape]) -> list[tuple[int, int, int]]:
    """Best path through a banded grid.

    ``values``: float array (len(shapes), band.size); ``values[k, c]`` is the
    value of a bead of shape ``shapes[k]`` ending at flat cell ``c``. The band
    must contain ``(0, 0)`` and ``(n, m)``.

    Returns the beads as ``(i, j, k)``: end cell and shape index, in order.
    Raises ``ValueError`` if the band holds no complete path.
    """
    return trace(forward(values, band, shapes), band, shapes)


@dataclass(frozen=True)
class Table:
    """The forward pass of a search: best score and last bead of every cell.

    ``score``: float64 (band.size,), the best total value of a path from
    ``(0, 0)`` to the cell (``-inf`` if none); ``back``: int16 (band.size,), the
    shape index of that path's last bead (-1 if none).
    """

    score: np.ndarray
    back: np.ndarray


#: Bytes of row-to-row moves :func:`forward` keeps (9 a bead's cell): a full grid
#: needs one set for all its rows (its shapes times its columns: 63 kB for a
#: MAC-Dev chapter of 315 columns); a band's rows of one width share one, and a
#: long band of varying widths stops keeping new ones here instead of holding
#: one per row.
MOVES_BYTES = 8 * 2**20


def forward(
    values: np.ndarray,
    band: Band,
    shapes: Sequence[Shape],
    previous: Table | None = None,
    changed_rows: Sequence[int] | np.ndarray | None = None,
) -> Table:
    """The forward pass of :func:`search` (same arguments); see :class:`Table`.

    With ``previous`` (the table of an earlier pass on the same band and shapes)
    and ``changed_rows`` (every row holding a cell whose values changed since),
    only the rows a change can reach are recomputed, and the result equals a
    full pass up to float rounding. A row is computed again from the first
    changed row on; once every row a bead can reach back to (the largest source
    size) holds its old scores plus one constant and its old back-pointers, the
    rows up to the next changed row would be computed from scores shifted by
    that constant with the same values, so they get their old scores plus it
    without being searched. A change on the path shifts the scores of every
    later cell by the same amount once the best paths into a row have merged
    before it, which in an alignment band takes a few dozen rows.
    """
    n, m = band.n, band.m
    lo, hi, off = band.lo, band.hi, band.offset
    if values.shape != (len(shapes), band.size):
        raise ValueError("values, band and shapes disagree in size")
    if lo[0] != 0 or not (lo[n] <= m <= hi[n]):
        raise ValueError("the band must contain (0, 0) and (n, m)")
    k_right = next((k for k, s in enumerate(shapes) if s == (0, 1)), None)
    # Moves grouped by source size: one gather per (row, a) covers every b.
    by_a: dict[int, tuple[np.ndarray, np.ndarray]] = {}
    for a in sorted({a for a, _ in shapes if a > 0}):
        ks = np.array([k for k, (x, _) in enumerate(shapes) if x == a], dtype=np.int64)
        bs = np.array([shapes[k][1] for k in ks], dtype=np.int64)
        by_a[a] = (ks, bs)

    # Which cells of row p = i - a the beads of a row start from, and where, depends
    # only on the two rows' bounds relative to lo[p]: a full grid's rows all share
    # one answer, a band's rows of one width a few. Kept up to MOVES_BYTES.
    moves: dict[tuple[int, int, int, int], tuple[np.ndarray, np.ndarray] | None] = {}
    kept = [0]

    def starts(a: int, bs: np.ndarray, i: int, p: int) -> tuple[np.ndarray, np.ndarray] | None:
        """Whether each bead's start is in row ``p``, and its place there (or None)."""
        base = int(lo[p])
        key = (a, int(lo[i]) - base, int(hi[i]) - base, int(hi[p]) - base)
        if key in moves:
            return moves[key]
        prev = np.arange(key[1], key[2] + 1)[None, :] - bs[:, None]
        ok = (prev >= 0) & (prev <= key[3])
        hit = (ok, np.where(ok, prev, 0)) if ok.any() else None
        if kept[0] < MOVES_BYTES:
            moves[key] = hit
            kept[0] += 9 * ok.size
        return hit

    def row(i: int) -> None:
        s0, s1 = int(off[i]), int(off[i + 1])
        width = s1 - s0
        cur = score[s0:s1]
        bk = back[s0:s1]
        cur[:] = NEG
        bk[:] = -1
        if i == 0:
            cur[0] = 0.0
        cols = np.arange(width)
        for a, (ks, bs) in by_a.items():
            p = i - a
            if p < 0:
                continue
            hit = starts(a, bs, i, p)
            if hit is None:
                continue
            ok, place = hit
            cand = np.where(ok, score[place + off[p]], NEG) + values[ks, s0:s1]
            best = cand.argmax(axis=0)
            top = cand[best, cols]
            better = top > cur
            if better.any():
                cur[better] = top[better]
                bk[better] = ks[best[better]]
        if k_right is not None and width > 1:
            _right_moves(cur, bk, values[k_right, s0:s1], k_right)

    if previous is None or changed_rows is None:
        score = np.full(band.size, NEG)
        back = np.full(band.size, -1, dtype=np.int16)
        for i in range(n + 1):
            row(i)
        return Table(score, back)
    if previous.score.shape != (band.size,):
        raise ValueError("the previous table belongs to another band")
    score, back = previous.score.copy(), previous.back.copy()
    _rows_changed(row, Table(score, back), previous, changed_rows, band,
                  reach=max(by_a, default=1))
    return Table(score, back)


def _rows_changed(row: Callable[[int], None], table: Table, previous: Table,
                  changed_rows: Sequence[int] | np.ndarray, band: Band, reach: int) -> None:
    """The incremental pass of :func:`forward`: ``row(i)`` computes row ``i`` of
    ``table`` (a copy of ``previous``) from the first changed row on; once the
    last ``reach`` rows (the largest source size) moved by one constant with their
    old back-pointers, the rows up to the next changed row get that constant
    added instead of being searched."""
    n, off = band.n, band.offset
    score, back = table.score, table.back
    dirty = sorted({int(r) for r in changed_rows if 0 <= r <= n})
    recent: list[tuple[float, float] | None] = []  # (shift, tolerance) of the last rows
    d = 0
    i = dirty[0] if dirty else n + 1
    while i <= n:
        row(i)
        recent.append(_shift(score, back, previous, int(off[i]), int(off[i + 1])))
        del recent[:-reach]
        while d < len(dirty) and dirty[d] <= i:
            d += 1
        nxt = dirty[d] if d < len(dirty) else n + 1
        last = recent[-1]
        if (nxt > i + 1 and last is not None and len(recent) == reach
                and all(r is not None and abs(r[0] - last[0]) <= max(r[1], last[1])
                        for r in recent)):
            if last[0]:
                score[off[i + 1] : off[nxt]] += last[0]
            recent = [last] * reach
            i = nxt
        else:
            i += 1


def _shift(score: np.ndarray, back: np.ndarray, previous: Table, s0: int, s1: int
           ) -> tuple[float, float] | None:
    """The constant by which cells ``s0 .. s1 - 1`` moved from ``previous``, or None.

    None unless every cell kept its back-pointer and its reachability and every
    reachable cell moved by the same amount; returns that amount and the float
    rounding allowed in it (nats: 1e-9 of the row's largest score, far below any
    difference between bead values computed from float32 cosines).
    """
    new, old = score[s0:s1], previous.score[s0:s1]
    if not np.array_equal(back[s0:s1], previous.back[s0:s1]):
        return None
    fin = np.isfinite(new)
    if not np.array_equal(fin, np.isfinite(old)):
        return None
    if not fin.any():
        return 0.0, 0.0
    diff = new[fin] - old[fin]
    d = float(diff[0])
    tol = 1e-9 * (1.0 + float(np.abs(new[fin]).max()))
    if float(np.abs(diff - d).max()) > tol:
        return None
    return d, tol


def trace(table: Table, band: Band, shapes: Sequence[Shape]) -> list[tuple[int, int, int]]:
    """The best path of a :func:`forward` table, as :func:`search` returns it."""
    n, m = band.n, band.m
    lo, off = band.lo, band.offset
    back = table.back
    if not np.isfinite(table.score[off[n] + m - lo[n]]):
        raise ValueError("no path through the band")
    path: list[tuple[int, int, int]] = []
    i, j = n, m
    while i > 0 or j > 0:
        k = int(back[off[i] + j - lo[i]])
        if k < 0:
            raise ValueError("broken back-pointer")
        path.append((i, j, k))
        a, b = shapes[k]
        i, j = i - a, j - b
    path.reverse()
    return path


def _right_moves(cur: np.ndarray, bk: np.ndarray, v: np.ndarray, k_right: int) -> None:
    """Apply ``cur[t] = max(cur[t], cur[t - 1] + v[t])`` along a row, in place.

    Vectorised with prefix sums: ``cur[t] = P[t] + max over u <= t of (x[u] - P[u])``
    where ``P`` is the running sum of ``v``.
    """
    x = cur.copy()
    vv = v.astype(np.float64, copy=True)
    vv[0] = 0.0
    if not np.isfinite(vv).all():
        for t in range(1, cur.shape[0]):
            c = cur[t - 1] + v[t]
            if c > cur[t]:
                cur[t] = c
                bk[t] = k_right
        return
    pre = np.cumsum(vv)
    with np.errstate(invalid="ignore"):
        best = np.maximum.accumulate(x - pre) + pre
    # A step from the left only where it beats the row's own value by more than rounding.
    left = best > x + 1e-9 * (1.0 + np.abs(best))
    left[0] = False
    if left.any():
        cur[left] = best[left]
        bk[left] = k_right


def band_around_path(cells: Sequence[tuple[int, int]], n: int, m: int, radius: int) -> Band:
    """A band covering every cell within ``radius`` rows/columns of ``cells``.

    ``cells`` are grid points ``(i, j)`` of a monotone path (any density: the gap
    between two consecutive points is filled by their bounding box). The band
    always contains ``(0, 0)`` and ``(n, m)``.
    """
    lo = np.full(n + 1, m, dtype=np.int64)
    hi = np.zeros(n + 1, dtype=np.int64)
    pts = [(0, 0), *cells, (n, m)]
    for (i0, j0), (i1, j1) in itertools.pairwise(pts):
        r0, r1 = max(0, min(i0, i1) - radius), min(n, max(i0, i1) + radius)
        c0, c1 = max(0, min(j0, j1) - radius), min(m, max(j0, j1) + radius)
        lo[r0 : r1 + 1] = np.minimum(lo[r0 : r1 + 1], c0)
        hi[r0 : r1 + 1] = np.maximum(hi[r0 : r1 + 1], c1)
    # Monotone edges keep every row reachable from the previous one.
    lo = np.minimum.accumulate(lo[::-1])[::-1]
    hi = np.maximum.accumulate(hi)
    lo[0] = 0
    hi[n] = m
    return Band(lo, hi, m)
