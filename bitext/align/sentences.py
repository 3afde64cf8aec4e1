"""Sentence alignment: beads of up to ``max_bead`` sentences a side, in order.

:func:`align_sentences` embeds both sides once, then searches a monotone path
(:mod:`bitext.align.dp`) whose beads maximise, summed over beads,

    value(bead) = (a + b) * (sim - floor + w_len * (p_len - 1/2) + w_tok * tok)

for a bead of ``a`` source and ``b`` target sentences, where

- ``sim`` is the cosine of the two sides' window vectors (the normalised sum of
  their sentence vectors, or the embedding of the joined text, see ``windows``),
- ``floor`` is the similarity of unrelated sentences, measured on the input
  (the similarity of sentences paired off the path; a fixed default for inputs
  too short to measure),
- ``p_len`` is a Gale-Church length probability with a ratio and spread
  measured on the input (:mod:`bitext.align.scoring`),
- ``tok`` is the agreement of hard tokens (numbers, Latin words in Chinese,
  symbols, URLs): ``dice - 1/2`` when either side has any, else 0,

and a skipped sentence (a 1-0 or 0-1 bead) is worth ``skip`` (negative). Weighting
by ``a + b`` gives every sentence the value of the bead it is in, so one
merged bead and several smaller ones compete on equal terms.

Short inputs (a paragraph pair) are searched over the full grid. Long inputs
(whole books, tens of thousands of lines) go coarse to fine: sentence vectors
are summed into blocks of 2, 4, 8 ... sentences until the grid is small, the
block grid is searched in full, and each finer level is searched only in a
narrow band around the coarser path; the last level is the sentence grid with
every bead shape. Time and memory grow linearly with the input.

Every link gets a confidence in [0, 1]: a logistic function of the bead's
similarity above the unrelated-sentence floor, its margin over the nearest
competing pairings and its length probability (see :func:`_confidence`).
With the ``length`` encoder (no model) the same search uses length and hard
tokens only: a Gale-Church baseline.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Literal

import numpy as np

from bitext.align import dp
from bitext.align.encoders import Encoder
from bitext.align.scoring import (
    LengthModel,
    char_length,
    estimate_length_model,
    hard_token_masks,
)
from bitext.errors import AlignmentError, ConfigError
from bitext.types import Link, join_sentences

log = logging.getLogger(__name__)

WindowMode = Literal["sum", "exact", "path"]


@dataclass(frozen=True)
class SearchParams:
    """Settings of the sentence search (all dimensionless unless stated).

    ``windows`` decides how a multi-sentence side of a bead is embedded:
    ``sum`` (normalised sum of its sentence vectors, no extra model calls),
    ``exact`` (embed the joined text of every window: up to ``max_bead`` times
    the model calls) or ``path`` (search with sums, then embed the joined texts
    of the multi-sentence beads near that path and search again).
    """

    windows: WindowMode = "path"
    w_len: float = 0.3
    w_tok: float = 0.3
    skip: float = -0.1
    #: Bead value weight ``(a + b) ** size_weight``: 1 weights every sentence alike,
    #: 0 weights every bead alike (which favours splitting into many small beads).
    size_weight: float = 0.0
    #: Similarity floor used when the input is too short to measure it.
    default_floor: float = 0.0
    #: Measure the floor on the input (else always use ``default_floor``).
    measure_floor: bool = False
    #: Grids up to this many cells are searched in full.
    full_grid_cells: int = 250_000
    #: Coarsest level of the long-input search: at most this many blocks a side.
    coarse_blocks: int = 300
    #: Half-width of the band around the coarser path, in cells of the finer level.
    band_radius: int = 8
    #: Stats: timings and sizes of the last run are logged at DEBUG level.
    timings: dict[str, float] = field(default_factory=dict, compare=False)

    def signature(self) -> dict[str, str]:
        d = asdict(self)
        d.pop("timings")
        return {k: str(v) for k, v in d.items()}


DEFAULT_PARAMS = SearchParams()


def align_sentences(
    src: Sequence[str],
    tgt: Sequence[str],
    encoder: Encoder,
    *,
    src_lang: str = "zh",
    tgt_lang: str = "en",
    max_bead: int = 4,
    params: SearchParams | None = None,
    length_model: LengthModel | None = None,
) -> list[Link]:
    """Align two sentence lists; return links covering every index of both once, in order.

    ``src``/``tgt``: the sentences (any number, either may be empty). ``encoder``:
    see :func:`bitext.align.encoders.get_encoder`; its ``dim == 0`` means length
    only. ``max_bead``: most sentences on one side of a bead. ``length_model``:
    a ratio and spread measured elsewhere (for example on a whole document when
    aligning it paragraph by paragraph); by default it is measured on the input.

    Each :class:`~bitext.types.Link` holds 0-based indices and a confidence in
    [0, 1]. Raises :class:`~bitext.errors.ConfigError` for a bad ``max_bead``.
    """
    if max_bead < 1:
        raise ConfigError(f"max_bead must be at least 1, got {max_bead}")
    p = params or DEFAULT_PARAMS
    n, m = len(src), len(tgt)
    if n == 0 or m == 0:
        return [Link((i,), (), 0.0) for i in range(n)] + [Link((), (j,), 0.0) for j in range(m)]
    t0 = time.perf_counter()
    es = encoder.encode(list(src))
    et = encoder.encode(list(tgt))
    t_embed = time.perf_counter() - t0
    ctx = _Context(list(src), list(tgt), es, et, encoder, src_lang, tgt_lang, max_bead, p,
                   length_model)
    links = ctx.run()
    p.timings.update(ctx.timings)
    p.timings["embed_sentences"] = t_embed
    return links


class _Context:
    """Everything one alignment run needs; a class only to share arrays between steps."""

    def __init__(
        self,
        src: list[str],
        tgt: list[str],
        es: np.ndarray,
        et: np.ndarray,
        encoder: Encoder,
        src_lang: str,
        tgt_lang: str,
        max_bead: int,
        params: SearchParams,
        length_model: LengthModel | None,
    ) -> None:
        self.src, self.tgt = src, tgt
        self.n, self.m = len(src), len(tgt)
        self.es, self.et = es.astype(np.float32, copy=False), et.astype(np.float32, copy=False)
        self.semantic = es.shape[1] > 0
        self.encoder = encoder
        self.src_lang, self.tgt_lang = src_lang, tgt_lang
        self.max_bead = max_bead
        self.p = params
        self.ls = np.array([char_length(s) for s in src], dtype=np.float64)
        self.lt = np.array([char_length(t) for t in tgt], dtype=np.float64)
        # prefix sums: window [i - a, i) has length cs[i] - cs[i - a]
        self.cls = np.concatenate([[0.0], np.cumsum(self.ls)])
        self.clt = np.concatenate([[0.0], np.cumsum(self.lt)])
        self.ms, self.mt = hard_token_masks(src, tgt, src_lang, tgt_lang)
        self.length = length_model or estimate_length_model(self.ls, self.lt)
        self.fixed_length = length_model is not None
        self.floor = params.default_floor if self.semantic else 0.0
        # exact window vectors: (side, end, size) -> vector, filled on demand
        self.exact: dict[tuple[int, int, int], np.ndarray] = {}
        self.timings: dict[str, float] = {"embed_windows": 0.0}

    # ------------------------------------------------------------------ run
    def run(self) -> list[Link]:
        t0 = time.perf_counter()
        shapes = dp.bead_shapes(self.max_bead)
        if (self.n + 1) * (self.m + 1) <= self.p.full_grid_cells:
            band = dp.Band.full(self.n, self.m)
        else:
            band = self._coarse_band()
        self.timings["coarse"] = time.perf_counter() - t0
        t1 = time.perf_counter()
        if self.p.windows == "exact" and self.semantic:
            self._embed_windows({
                (side, end, size)
                for side, count in ((0, self.n), (1, self.m))
                for size in range(2, self.max_bead + 1)
                for end in range(size, count + 1)
            })
        path = self._search(band, shapes, exact=self.p.windows == "exact")
        if self.semantic or not self.fixed_length:
            # Measure floor and length model on this path, then search again.
            self._calibrate(path, shapes)
            path = self._search(band, shapes, exact=self.p.windows == "exact")
        if self.p.windows == "path" and self.semantic:
            self._embed_near(path, shapes)
            path = self._search(band, shapes, exact=True)
        self.timings["search"] = time.perf_counter() - t1 - self.timings["embed_windows"]
        return self._links(path, shapes, band)

    # ------------------------------------------------------------ windows
    def _window_vectors(
        self, side: int, ends: np.ndarray, size: int, exact: bool
    ) -> np.ndarray:
        """Vectors (len(ends), d) of windows ``[end - size, end)`` on one side."""
        e = self.es if side == 0 else self.et
        acc = np.zeros((ends.shape[0], e.shape[1]), dtype=np.float32)
        for k in range(1, size + 1):
            acc += e[np.maximum(ends - k, 0)]
        norms = np.linalg.norm(acc, axis=1, keepdims=True)
        acc /= np.maximum(norms, 1e-12)
        if exact and size > 1 and self.exact:
            for r, end in enumerate(ends.tolist()):
                vec = self.exact.get((side, end, size))
                if vec is not None:
                    acc[r] = vec
        return acc

    def _sum_norms(self, side: int, sizes: int) -> list[np.ndarray]:
        """``out[a][i]``: norm of the sum of the vectors of sentences ``[i - a, i)``."""
        e = self.es if side == 0 else self.et
        n = e.shape[0]
        out = [np.ones(n + 1, dtype=np.float32)]
        acc = np.zeros((n + 1, e.shape[1]), dtype=np.float32)
        for a in range(1, sizes + 1):
            acc[a:] += e[: n + 1 - a]
            out.append(np.maximum(np.linalg.norm(acc, axis=1), 1e-6))
        return out

    def _sim_table(
        self, band: dp.Band, shapes: Sequence[dp.Shape], exact: bool
    ) -> np.ndarray:
        """Cosine of every bead's two window vectors: float32 (len(shapes), band.size).

        With summed windows the cosine needs only sentence-pair similarities:
        ``cos(sum S, sum T) = sum of pair dot products / (|sum S| |sum T|)``, so
        one banded product of the sentence vectors serves every shape.
        """
        rows, cols = band.cells()
        A = max(a for a, _ in shapes)
        B = max(b for _, b in shapes)
        n, m = self.n, self.m
        # sentence band: row p needs columns lo[p + 1] - B .. hi[p + A] - 1
        nxt = np.minimum(np.arange(n) + 1, n)
        far = np.minimum(np.arange(n) + A, n)
        slo = np.clip(band.lo[nxt] - B, 0, m - 1)
        shi = np.clip(band.hi[far] - 1, 0, m - 1)
        shi = np.maximum(shi, slo)
        sband = dp.Band(slo, shi, m - 1)
        pair = _banded_dot(self.es, self.et, sband)
        soff = sband.offset
        ns = self._sum_norms(0, A)
        nt = self._sum_norms(1, B)
        out = np.zeros((len(shapes), band.size), dtype=np.float32)
        index = {s: k for k, s in enumerate(shapes)}
        for a in range(1, A + 1):
            # acc[db]: similarities summed over source offsets 0 .. a - 1, target offset db
            if a == 1:
                acc = [np.zeros(band.size, dtype=np.float32) for _ in range(B)]
            p = rows - a
            pv = p >= 0
            pc = np.where(pv, p, 0)
            for db in range(B):
                q = cols - 1 - db
                ok = pv & (q >= 0)
                idx = soff[pc] + np.clip(q - slo[pc], 0, None)
                idx = np.minimum(idx, pair.shape[0] - 1)
                acc[db] += np.where(ok, pair[idx], 0.0)
            total = np.zeros(band.size, dtype=np.float32)
            for b in range(1, B + 1):
                total += acc[b - 1]
                k = index.get((a, b))
                if k is not None:
                    out[k] = total / (ns[a][rows] * nt[b][cols])
        if exact and self.exact:
            self._exact_override(out, rows, cols, shapes)
        return out

    def _exact_override(
        self, out: np.ndarray, rows: np.ndarray, cols: np.ndarray, shapes: Sequence[dp.Shape]
    ) -> None:
        """Replace summed-window cosines by those of embedded joined texts where known."""
        has: dict[tuple[int, int], np.ndarray] = {}
        for side, n in ((0, self.n), (1, self.m)):
            for size in range(2, self.max_bead + 1):
                mask = np.zeros(n + 1, dtype=bool)
                has[(side, size)] = mask
        for side, end, size in self.exact:
            has[(side, size)][end] = True
        for k, (a, b) in enumerate(shapes):
            if a == 0 or b == 0 or (a == 1 and b == 1):
                continue
            sel = np.zeros(rows.shape[0], dtype=bool)
            if a > 1:
                sel |= has[(0, a)][rows]
            if b > 1:
                sel |= has[(1, b)][cols]
            sel &= (rows >= a) & (cols >= b)
            where = np.flatnonzero(sel)
            for s in range(0, where.shape[0], 16384):
                w = where[s : s + 16384]
                vs = self._window_vectors(0, rows[w], a, True)
                vt = self._window_vectors(1, cols[w], b, True)
                out[k, w] = np.einsum("ij,ij->i", vs, vt)

    def _embed_windows(self, wanted: set[tuple[int, int, int]]) -> None:
        """Embed the joined texts of windows ``(side, end, size)`` not yet known."""
        todo = sorted(w for w in wanted if w not in self.exact and w[2] > 1)
        if not todo:
            return
        t0 = time.perf_counter()
        texts = []
        for side, end, size in todo:
            sents = self.src if side == 0 else self.tgt
            lang = self.src_lang if side == 0 else self.tgt_lang
            texts.append(join_sentences(sents[end - size : end], lang))
        vecs = self.encoder.encode(texts)
        for w, v in zip(todo, vecs, strict=True):
            self.exact[w] = v
        self.timings["embed_windows"] += time.perf_counter() - t0
        log.debug("embedded %d window texts", len(todo))

    def _embed_near(self, path: list[tuple[int, int, int]], shapes: list[dp.Shape]) -> None:
        """Embed windows of multi-sentence beads on ``path`` and their close variants."""
        wanted: set[tuple[int, int, int]] = set()
        mb = self.max_bead
        for pos, (i, j, k) in enumerate(path):
            a, b = shapes[k]
            skip_near = any(
                0 in shapes[path[q][2]] for q in (pos - 1, pos + 1) if 0 <= q < len(path)
            )
            if a <= 1 and b <= 1 and not skip_near:
                continue
            for di in (-1, 0, 1):
                for size in range(max(2, a - 1), min(mb, a + 1) + 1):
                    end = i + di
                    if size <= end <= self.n:
                        wanted.add((0, end, size))
            for dj in (-1, 0, 1):
                for size in range(max(2, b - 1), min(mb, b + 1) + 1):
                    end = j + dj
                    if size <= end <= self.m:
                        wanted.add((1, end, size))
        self._embed_windows(wanted)

    # ------------------------------------------------------------- values
    def _values(
        self, band: dp.Band, shapes: Sequence[dp.Shape], exact: bool
    ) -> tuple[np.ndarray, np.ndarray]:
        """Bead values (len(shapes), band.size) and similarities (same shape)."""
        rows, cols = band.cells()
        values = np.full((len(shapes), band.size), -np.inf)
        if self.semantic:
            table = self._sim_table(band, shapes, exact)
        sims = np.zeros((len(shapes), band.size), dtype=np.float32)
        p = self.p
        for k, (a, b) in enumerate(shapes):
            ok = (rows >= a) & (cols >= b)
            if not ok.any():
                continue
            r, c = rows[ok], cols[ok]
            if a == 0 or b == 0:
                values[k, ok] = p.skip
                continue
            sim = table[k, ok] if self.semantic else np.zeros(r.shape[0])
            ls = self.cls[r] - self.cls[r - a]
            lt = self.clt[c] - self.clt[c - b]
            plen = self.length.prob(ls, lt)
            tok = self._tok(r, c, a, b)
            q = sim - self.floor + p.w_len * (plen - 0.5) + p.w_tok * tok
            if not self.semantic:
                # length only: Gale-Church's -log P(delta), sentences weighted alike
                q = np.log(np.maximum(plen, 1e-12)) / 4.0 + 0.5 + p.w_tok * tok
            values[k, ok] = (a + b) ** p.size_weight * q
            sims[k, ok] = sim
        return values, sims

    def _tok(self, r: np.ndarray, c: np.ndarray, a: int, b: int) -> np.ndarray:
        ms = np.zeros(r.shape[0], dtype=np.uint64)
        mt = np.zeros(c.shape[0], dtype=np.uint64)
        for k in range(1, a + 1):
            ms |= self.ms[r - k]
        for k in range(1, b + 1):
            mt |= self.mt[c - k]
        total = np.bitwise_count(ms).astype(np.float64) + np.bitwise_count(mt)
        inter = np.bitwise_count(ms & mt).astype(np.float64)
        out = np.zeros(r.shape[0])
        has = total > 0
        out[has] = 2.0 * inter[has] / total[has] - 0.5
        return out

    # ------------------------------------------------------------- search
    def _search(
        self, band: dp.Band, shapes: list[dp.Shape], exact: bool
    ) -> list[tuple[int, int, int]]:
        values, _ = self._values(band, shapes, exact)
        try:
            return dp.search(values, band, shapes)
        except ValueError as err:  # pragma: no cover - the band always has a path
            raise AlignmentError(f"sentence search failed: {err}") from err

    def _calibrate(self, path: list[tuple[int, int, int]], shapes: list[dp.Shape]) -> None:
        """Measure the similarity floor and the length model on a first path."""
        ones = [(i - 1, j - 1) for i, j, k in path if shapes[k] == (1, 1)]
        if not self.fixed_length:
            self.length = estimate_length_model(self.ls, self.lt, ones)
        if not self.semantic or len(ones) < 20 or not self.p.measure_floor:
            return
        # Unrelated pairs: each 1-1 source sentence against targets a few beads away.
        rng = np.random.default_rng(0)
        src_i = np.array([i for i, _ in ones])
        tgt_j = np.array([j for _, j in ones])
        shift = rng.integers(5, 50, size=src_i.shape[0]) * rng.choice([-1, 1], src_i.shape[0])
        other = np.clip(tgt_j + shift, 0, self.m - 1)
        far = np.abs(other - tgt_j) >= 3
        if far.sum() < 20:
            return
        null = np.einsum("ij,ij->i", self.es[src_i[far]], self.et[other[far]])
        # The floor is the level unrelated pairs rarely reach: their 95th percentile.
        self.floor = float(np.quantile(null, 0.95))
        log.debug("floor %.3f, length ratio %.3f var %.2f", self.floor, self.length.ratio,
                  self.length.var)

    def _coarse_band(self) -> dp.Band:
        """Coarse-to-fine search of a long input; returns the band for the last level."""
        n, m = self.n, self.m
        levels = 0
        while max(n, m) / 2**levels > self.p.coarse_blocks:
            levels += 1
        es, et = self.es, self.et
        ls, lt = self.ls, self.lt
        pyramid = [(es, et, ls, lt)]
        for _ in range(levels):
            es, ls = _pool(es, ls)
            et, lt = _pool(et, lt)
            pyramid.append((es, et, ls, lt))
        shapes = [(1, 1), (1, 2), (2, 1), (1, 0), (0, 1)]
        band: dp.Band | None = None
        for lvl in range(levels, 0, -1):
            bes, bet, bls, blt = pyramid[lvl]
            bn, bm = bes.shape[0], bet.shape[0]
            if band is None:
                band = dp.Band.full(bn, bm)
            path = self._block_search(band, shapes, bes, bet, bls, blt)
            fine_n, fine_m = pyramid[lvl - 1][0].shape[0], pyramid[lvl - 1][1].shape[0]
            cells = [(min(2 * i, fine_n), min(2 * j, fine_m)) for i, j, _ in path]
            band = dp.band_around_path(cells, fine_n, fine_m, self.p.band_radius)
        assert band is not None
        return band

    def _block_search(
        self,
        band: dp.Band,
        shapes: list[dp.Shape],
        es: np.ndarray,
        et: np.ndarray,
        ls: np.ndarray,
        lt: np.ndarray,
    ) -> list[tuple[int, int, int]]:
        rows, cols = band.cells()
        cls = np.concatenate([[0.0], np.cumsum(ls)])
        clt = np.concatenate([[0.0], np.cumsum(lt)])
        length = estimate_length_model(ls, lt)
        values = np.full((len(shapes), band.size), -np.inf)
        for k, (a, b) in enumerate(shapes):
            ok = (rows >= a) & (cols >= b)
            r, c = rows[ok], cols[ok]
            if a == 0 or b == 0:
                values[k, ok] = self.p.skip
                continue
            plen = length.prob(cls[r] - cls[r - a], clt[c] - clt[c - b])
            if self.semantic:
                vs = es[r - 1] + (es[r - 2] if a == 2 else 0)
                vt = et[c - 1] + (et[c - 2] if b == 2 else 0)
                sim = np.einsum("ij,ij->i", vs, vt) / np.maximum(
                    np.linalg.norm(vs, axis=1) * np.linalg.norm(vt, axis=1), 1e-12)
                q = sim - self.floor + self.p.w_len * (plen - 0.5)
            else:
                q = np.log(np.maximum(plen, 1e-12)) / 4.0 + 0.5
            values[k, ok] = (a + b) ** self.p.size_weight * q
        return dp.search(values, band, shapes)

    # -------------------------------------------------------------- links
    def _links(
        self, path: list[tuple[int, int, int]], shapes: list[dp.Shape], band: dp.Band
    ) -> list[Link]:
        exact = self.p.windows in ("exact", "path")
        out = []
        for i, j, k in path:
            a, b = shapes[k]
            src = tuple(range(i - a, i))
            tgt = tuple(range(j - b, j))
            out.append(Link(src, tgt, 0.0))
        scores = _confidence(self, path, shapes, exact)
        return [Link(lk.src, lk.tgt, s) for lk, s in zip(out, scores, strict=True)]


def _banded_dot(x: np.ndarray, y: np.ndarray, band: dp.Band, chunk: int = 64) -> np.ndarray:
    """``x[i] . y[j]`` for every cell ``(i, j)`` of ``band`` (rows of x, columns of y).

    Rows are taken ``chunk`` at a time and multiplied with the block of columns
    they span, so the cost is about ``cells * (chunk * m / n + width)`` products
    and no ``n x m`` matrix is built. Returns float32 (band.size,).
    """
    out = np.empty(band.size, dtype=np.float32)
    off, lo, hi = band.offset, band.lo, band.hi
    nrows = lo.shape[0]
    for r0 in range(0, nrows, chunk):
        r1 = min(nrows, r0 + chunk)
        c0, c1 = int(lo[r0:r1].min()), int(hi[r0:r1].max())
        block = x[r0:r1] @ y[c0 : c1 + 1].T
        for r in range(r0, r1):
            out[off[r] : off[r + 1]] = block[r - r0, lo[r] - c0 : hi[r] - c0 + 1]
    return out


def _pool(e: np.ndarray, lengths: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Halve a sequence: sum pairs of consecutive rows (the last one alone if odd)."""
    n = e.shape[0]
    half = (n + 1) // 2
    pe = np.zeros((half, e.shape[1]), dtype=np.float32)
    pe += e[0::2]
    pe[: n // 2] += e[1::2]
    pl = np.zeros(half)
    pl += lengths[0::2]
    pl[: n // 2] += lengths[1::2]
    return pe, pl


def _confidence(
    ctx: _Context, path: list[tuple[int, int, int]], shapes: list[dp.Shape], exact: bool
) -> list[float]:
    """Confidence in [0, 1] of each bead on ``path``.

    Semantic encoders: a logistic function of ``z = (sim - floor) / spread + 2 * margin /
    spread + 2 * (p_len - 1/2)``, where ``margin`` is the bead's similarity minus the best
    similarity of the same source window against target windows shifted by one or
    two sentences (and vice versa), ``spread`` is the gap between a typical bead and
    the floor. Skips get the confidence that nothing nearby matches them.
    """
    n, m = ctx.n, ctx.m
    out: list[float] = []
    sims_on_path = []
    for i, j, k in path:
        a, b = shapes[k]
        if a and b:
            sims_on_path.append(_pair_sim(ctx, i, a, j, b, exact))
    typical = float(np.median(sims_on_path)) if sims_on_path else ctx.floor + 0.3
    spread = max(typical - ctx.floor, 0.05)
    for i, j, k in path:
        a, b = shapes[k]
        if a == 0 or b == 0:
            if not ctx.semantic:
                out.append(0.0)
                continue
            # A skipped sentence: how unlike its neighbours on the other side is it?
            if a:
                e = ctx.es[i - 1]
                near = ctx.et[max(0, j - 2) : min(m, j + 2)]
            else:
                e = ctx.et[j - 1]
                near = ctx.es[max(0, i - 2) : min(n, i + 2)]
            best = float((near @ e).max()) if near.shape[0] else ctx.floor
            z = (ctx.floor - best) / spread * 2.0
            out.append(round(_sigmoid(z), 4))
            continue
        ls = ctx.cls[i] - ctx.cls[i - a]
        lt = ctx.clt[j] - ctx.clt[j - b]
        plen = float(ctx.length.prob(np.array([ls]), np.array([lt]))[0])
        if not ctx.semantic:
            out.append(round(plen, 4))
            continue
        sim = _pair_sim(ctx, i, a, j, b, exact)
        rivals = []
        # Same-size windows moved by one sentence (single) or by their own size.
        for d in {-b, b, -1, 1} if b == 1 else {-b, b}:
            if b <= j + d <= m:
                rivals.append(_pair_sim(ctx, i, a, j + d, b, exact))
        for d in {-a, a, -1, 1} if a == 1 else {-a, a}:
            if a <= i + d <= n:
                rivals.append(_pair_sim(ctx, i + d, a, j, b, exact))
        rivals = [x for x in rivals if np.isfinite(x)]
        margin = sim - max(rivals) if rivals else spread
        z = (sim - ctx.floor) / spread * 2.0 - 1.0 + min(margin, spread) / spread * 2.0
        z += 2.0 * (plen - 0.5)
        out.append(round(_sigmoid(z), 4))
    return out


def _pair_sim(ctx: _Context, i: int, a: int, j: int, b: int, exact: bool) -> float:
    vs = ctx._window_vectors(0, np.array([i]), a, exact)[0]
    vt = ctx._window_vectors(1, np.array([j]), b, exact)[0]
    return float(vs @ vt)


def _sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


__all__ = ["DEFAULT_PARAMS", "SearchParams", "align_sentences"]
