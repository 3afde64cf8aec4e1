"""Sentence alignment: beads of up to ``max_bead`` sentences a side, in order.

:func:`align_sentences` embeds both sides once, then searches a monotone path
(:mod:`bitext.align.dp`) that maximises the sum over its beads of

    value(bead) = w_sim * LLR_sim + w_len * LLR_len + w_lex * LLR_lex + w_tok * tok
                  + w_close * LLR_close + log prior(shape)

all in nats (see :class:`~bitext.align.scoring.Calibration`):

- ``LLR_sim``: log-likelihood ratio of the cosine of the bead's two sides
  ("translation" against "unrelated"), with the means and spread of both
  measured on the input;
- ``LLR_len``: the same for a Gale-Church length statistic, with the character
  ratio and spread measured on the input;
- ``LLR_lex`` (Chinese-English only): the same for the share of the bead's
  words that CC-CEDICT finds translated on the other side (Hunalign's
  dictionary evidence; see :class:`~bitext.align.scoring.LexicalEvidence`);
- ``LLR_close``: whether the bead's two sides end by closing a quotation (or
  bracket), the four combinations against chance, measured on the first path
  (speech ends with its sentence on both sides of a literary translation);
- ``tok``: agreement of hard tokens (numbers, Latin words in Chinese, symbols,
  URLs), from -1 (none shared) to +1 (all shared), 0 when there are none;
- ``log prior(shape)``: Gale-Church's published shape rates, re-estimated on
  a first path (a skip is a bead whose only term is its prior).

Summing log-odds per bead prefers the finest split into beads that are each
convincing, and merges sentences only when the evidence for the merged bead
beats that of the pieces. The search runs twice: once with statistics taken
from each source sentence's best match, then with statistics re-measured on
the first path.

A multi-sentence side of a bead is represented by the normalised sum of its
sentence vectors, which needs no extra model calls (``windows="sum"``). With
the default ``windows="path"``, the joined texts of the multi-sentence beads of
that path (and of the beads a skipped sentence could join) are embedded, about
one extra text per ten sentences, and the search runs once more. ``"exact"``
embeds every window of up to ``max_bead`` sentences (Bertalign's way, several
times the model calls).

Short inputs (a paragraph pair) are searched over the full grid. Long inputs
(whole books, tens of thousands of lines) go coarse to fine: sentence vectors
are summed into blocks of 2, 4, 8 ... sentences until the grid is small, the
block grid is searched in full, and each finer level only in a narrow band
around the coarser path; the last level is the sentence grid with every bead
shape. Time and memory grow linearly with the input.

Every link gets a confidence in [0, 1], ``sigmoid(min(evidence, margin))``:
low when the bead is weak in itself or when moving it by one sentence is
nearly as good (see :func:`_confidence`). With the ``length`` encoder (no
model) the same search uses length and hard tokens only: a Gale-Church
baseline.
"""

from __future__ import annotations

import itertools
import logging
import math
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field, replace
from typing import Any, Literal

import numpy as np
from threadpoolctl import ThreadpoolController

from bitext.align import dp
from bitext.align.encoders import Encoder
from bitext.align.scoring import (
    Calibration,
    LengthModel,
    LexicalEvidence,
    char_length,
    clip,
    closing_llr,
    default_log_prior,
    ends_closed,
    estimate_length_model,
    hard_token_masks,
    lexical_coverage,
    shape_log_prior,
)
from bitext.errors import AlignmentError, ConfigError
from bitext.types import Link, join_sentences

log = logging.getLogger(__name__)

WindowMode = Literal["sum", "exact", "path"]
#: Sentences on one side of a bead: one for all beads, or each bead's own (int array).
Size = int | np.ndarray

#: Most sentences on one side of a bead by default (one Chinese sentence may become
#: six English ones in literary translation; see ``SearchParams.many_to_many``).
MAX_BEAD = 6


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
    #: Weights of the evidence terms (each in nats, see :class:`Calibration`).
    w_sim: float = 1.0
    w_len: float = 1.0
    #: Nats for full agreement of hard tokens (and minus that for none shared).
    w_tok: float = 2.0
    #: Weight of the dictionary-coverage log-likelihood ratio (Chinese-English
    #: only, CC-CEDICT; 0 turns it off). Measured on dev data (strict F1, off -> 1):
    #: UN zh-en sentences (benchmarks/unpc_align.py) .9883 -> .9889, Bible 5k
    #: .9139 -> .9153 (verse-merged .9770 -> .9794); 0.5 gave .9887 and 2 gave
    #: .9860 on the UN set, so the ratio is taken at face value.
    w_lex: float = 1.0
    #: Weight of the evidence of a bead's two sides ending closed or not (speech
    #: closed by its quotation mark on one side only; ``scoring.closing_llr``,
    #: measured on the first path); 0 turns it off. Measured on dev data (strict
    #: F1, in process, 0 -> 1): MAC-Dev chapters 002+003 (never tuned on before)
    #: .8288 -> .8694 (halves .8171 -> .8527), MAC-Dev .9383 -> .9365 (halves .9300
    #: -> .9312; one 2-3 bead of 004, no quotation near it, is lost because the
    #: window of its rival split is now embedded: it was scored summed, cosine .42
    #: against .45), UN zh-en .9961 both, Bible 5k .9191 / .9824 both, the corpus
    #: 1.000 both. With every window embedded (``windows="exact"``): 002+003 .8235
    #: -> .8592, MAC-Dev .9358 -> .9382 (004 .9353 both).
    w_close: float = 1.0
    #: ``windows="path"``: 0 embeds the multi-sentence windows of the first path and
    #: those absorbing its skips; 1 adds them moved by a sentence; 2 adds sizes +-1.
    path_reach: int = 0
    #: ``windows="path"``: searches after the first path's windows are embedded. A
    #: window's summed vector scores lower than its embedded text (MAC-Dev gold beads:
    #: cosine .513 summed, .584 embedded), so a bead whose windows were not embedded
    #: loses to the path's beads whatever its merit. The later searches add to every
    #: summed cosine the gap the path's own beads show for that shape
    #: (``_fit_window_offsets``), and each round embeds the windows of the new path
    #: until it holds no summed window; at most this many rounds (0: one search on the
    #: embedded windows, as before). Measured on dev data (strict F1, 0 -> 5 rounds,
    #: all of which converged in fewer): MAC-Dev .9355 -> .9383 (chapters cut into
    #: halves .9209 -> .9243, quarters .9279 -> .9318), UN zh-en sentences .9959 ->
    #: .9961, Bible 5k .9171 -> .9196 (verse-merged .9809 -> .9834).
    verify_rounds: int = 5
    #: Share of 1-1 translation pairs whose features look unrelated (see
    #: ``_Context._robust``); 0 turns the floor off. Measured on dev data (strict
    #: F1, off -> .01): UN zh-en sentences .9889 -> .9911, Bible 5k .9153 -> .9151
    #: (verse-merged .9794 -> .9795); .001 to .1 gave the same within .0002 on the
    #: UN set, so 1 %, a round value, is kept.
    miss_rate: float = 0.01
    #: Subtract from each cosine the mean of the two sides' 4 best cosines in the
    #: band (Bertalign's neighbour margin). Off: it cost accuracy with USE.
    neighbour_margin: bool = False
    #: Re-estimate similarity, length and shape statistics from a first path.
    recalibrate: bool = True
    #: Beads with several sentences on both sides hold at most this many a side;
    #: one sentence may pair with up to ``max_bead`` (default 6). Literary
    #: translation splits a long Chinese sentence into up to six English ones:
    #: MAC-Dev's link files (bfsujason/mac, dev/intertext) hold 1-5 and 1-6 beads,
    #: and their largest many-to-many beads are 2-4, 3-3 and 4-2. Measured on MAC-Dev
    #: chapters 001, 004, 006 (benchmarks/literary.py, strict F1): max_bead 4
    #: .9375 -> 6 with this at 4 .9469 (the four 1-5 beads found, and the neighbours
    #: they used to displace); every shape up to 5 a side gave the same for six
    #: more shapes than these four.
    many_to_many: int = 4
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
    max_bead: int = MAX_BEAD,
    params: SearchParams | None = None,
    length_model: LengthModel | None = None,
    calibration: Calibration | None = None,
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
    p = params or SearchParams()
    n, m = len(src), len(tgt)
    if n == 0 or m == 0:
        return [Link((i,), (), 0.0) for i in range(n)] + [Link((), (j,), 0.0) for j in range(m)]
    t0 = time.perf_counter()
    es = encoder.encode(list(src))
    et = encoder.encode(list(tgt))
    t_embed = time.perf_counter() - t0
    ctx = _Context(list(src), list(tgt), es, et, encoder, src_lang, tgt_lang, max_bead, p,
                   length_model, calibration)
    # The search multiplies small blocks: extra BLAS threads only contend for cores.
    with _one_blas_thread():
        links = ctx.run()
    p.timings.update(ctx.timings)
    p.timings["embed_sentences"] = t_embed
    return links


def calibrate(
    src: Sequence[str],
    tgt: Sequence[str],
    encoder: Encoder,
    *,
    src_lang: str = "zh",
    tgt_lang: str = "en",
    max_bead: int = MAX_BEAD,
    params: SearchParams | None = None,
) -> Calibration:
    """Measure the scoring statistics on a whole document, for its paragraph pairs.

    ``src``/``tgt`` are all the sentences of the two documents. The similarity of
    translations and of unrelated pairs, the length ratio and spread, and the
    bead-shape rates are measured on a first alignment of the whole text; pass
    the result as ``calibration=`` to :func:`align_sentences` for each aligned
    paragraph pair, whose few sentences could not measure them. Embedding the
    whole document first also fills the encoder's cache for those calls.
    """
    if max_bead < 1:
        raise ConfigError(f"max_bead must be at least 1, got {max_bead}")
    p = replace(params or SearchParams(), windows="sum", timings={})
    es = encoder.encode(list(src))
    et = encoder.encode(list(tgt))
    length = estimate_length_model(
        np.array([char_length(s) for s in src], dtype=np.float64),
        np.array([char_length(t) for t in tgt], dtype=np.float64),
    ) if src and tgt else LengthModel(1.0, 6.8)
    if not src or not tgt:
        return Calibration(length)
    ctx = _Context(list(src), list(tgt), es, et, encoder, src_lang, tgt_lang, max_bead, p, None)
    with _one_blas_thread():
        return ctx.fit()


_CONTROLLER: ThreadpoolController | None = None


def _one_blas_thread() -> Any:
    """A context limiting BLAS to one thread. The libraries are found once per
    process: ``threadpool_limits`` scans every loaded library on each call,
    which cost about 5% of a report's alignment (py-spy), one scan per
    paragraph pair."""
    global _CONTROLLER
    if _CONTROLLER is None:
        _CONTROLLER = ThreadpoolController()
    return _CONTROLLER.limit(limits=1, user_api="blas")


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
        calibration: Calibration | None = None,
    ) -> None:
        self.src, self.tgt = src, tgt
        self.n, self.m = len(src), len(tgt)
        self.es, self.et = es.astype(np.float32, copy=False), et.astype(np.float32, copy=False)
        self.semantic = es.shape[1] > 0
        self.encoder = encoder
        self.src_lang, self.tgt_lang = src_lang, tgt_lang
        self.max_bead = max_bead
        self.p = params
        #: most sentences on one side of any bead of the search
        self.max_size = max(max(a, b) for a, b in self.shapes())
        self.ls = np.array([char_length(s) for s in src], dtype=np.float64)
        self.lt = np.array([char_length(t) for t in tgt], dtype=np.float64)
        # prefix sums: window [i - a, i) has length cs[i] - cs[i - a]
        self.cls = np.concatenate([[0.0], np.cumsum(self.ls)])
        self.clt = np.concatenate([[0.0], np.cumsum(self.lt)])
        self.ms, self.mt = hard_token_masks(src, tgt, src_lang, tgt_lang)
        #: whether each sentence ends closing a quotation or bracket
        self.zs, self.zt = ends_closed(src, src_lang), ends_closed(tgt, tgt_lang)
        self.fixed_length = length_model is not None or calibration is not None
        self.length = (
            calibration.length if calibration is not None
            else length_model or estimate_length_model(self.ls, self.lt)
        )
        self.cal = calibration or Calibration(self.length)
        self.fixed_cal = calibration is not None
        # embedded window texts: exact_pos[(side, size)][end] is a row of exact_vecs or -1
        self.exact: set[tuple[int, int, int]] = set()
        self.exact_pos: dict[tuple[int, int], np.ndarray] = {}
        self.exact_vecs = np.zeros((0, es.shape[1]), dtype=np.float32)
        #: cosine added to a bead's summed windows where none is embedded, by shape
        self.window_offset: dict[dp.Shape, float] = {}
        #: the last exact search's values, with what they were computed from: band,
        #: calibration, shapes, the embedded windows of the time and its forward table
        self._last: tuple[dp.Band, Calibration, tuple[dp.Shape, ...], np.ndarray,
                          frozenset[tuple[int, int, int]], dp.Table] | None = None
        self.timings: dict[str, float] = {"embed_windows": 0.0}
        self._pair_cache: dict[int, Any] = {}
        # With no model (the ``length`` encoder) the search stays the Gale-Church
        # baseline it is meant to be: no dictionary either.
        self.lex = (LexicalEvidence.build(src, tgt, src_lang, tgt_lang)
                    if params.w_lex > 0 and self.semantic else None)
        if self.lex is not None:
            self.cws = np.concatenate([[0.0], np.cumsum(self.lex.src_words)])
            self.cwt = np.concatenate([[0.0], np.cumsum(self.lex.tgt_words)])
        self._lex_cache: dict[int, tuple[dp.Band, np.ndarray, np.ndarray]] = {}
        self._lex_sums: dict[tuple[dp.Shape, ...], tuple[dp.Band, np.ndarray, np.ndarray]] = {}
        self._hubs: dict[dp.Shape, tuple[np.ndarray, np.ndarray]] = {}
        #: the last values computed without embedded windows, with what they were
        #: computed from (band, calibration, shapes) and their similarities
        self._plain: tuple[dp.Band, Calibration, tuple[dp.Shape, ...], np.ndarray,
                           np.ndarray] | None = None

    # ------------------------------------------------------------------ run
    def all_shapes(self) -> list[dp.Shape]:
        """Every bead shape of the settings (see ``SearchParams.many_to_many``)."""
        return dp.bead_shapes(self.max_bead, many_to_many=self.p.many_to_many)

    def shapes(self) -> list[dp.Shape]:
        """The bead shapes of the search: those of :meth:`all_shapes` that fit in
        the input (at most ``n`` source and ``m`` target sentences). A shape that
        does not fit has no bead anywhere in the grid, yet every step of a search
        walks every shape; a report's paragraph pairs are mostly one or two
        sentences a side (3 of the 22 shapes fit one a side, 6 two). The priors are
        still estimated over :meth:`all_shapes` (:meth:`_calibrate`)."""
        return [(a, b) for a, b in self.all_shapes() if a <= self.n and b <= self.m]

    def _band(self) -> dp.Band:
        t0 = time.perf_counter()
        if (self.n + 1) * (self.m + 1) <= self.p.full_grid_cells:
            band = dp.Band.full(self.n, self.m)
        else:
            band = self._coarse_band()
        self.timings["coarse"] = time.perf_counter() - t0
        return band

    def fit(self) -> Calibration:
        """Statistics measured on a first path of this input (summed windows)."""
        shapes = self.shapes()
        band = self._band()
        self._calibrate(None, shapes, band)
        self._calibrate(self._search(band, shapes, exact=False), shapes, band)
        return self.cal

    def run(self) -> list[Link]:
        shapes = self.shapes()
        band = self._band()
        t1 = time.perf_counter()
        if self.p.windows == "exact" and self.semantic:
            self._embed_windows({
                (side, end, size)
                for side, count in ((0, self.n), (1, self.m))
                for size in range(2, self.max_size + 1)
                for end in range(size, count + 1)
            })
        exact = self.p.windows == "exact"
        self._calibrate(None, shapes, band)
        path = self._search(band, shapes, exact=exact)
        if self.p.recalibrate and not self.fixed_cal:
            self._calibrate(path, shapes, band)
            path = self._search(band, shapes, exact=exact)
        if self.p.windows == "path" and self.semantic:
            self._embed_near(path, shapes)
        # With no window embedded the values are the summed ones (:meth:`_values`)
        # and the search would find the same path again: a paragraph pair of one
        # sentence a side, or a path of 1-1 beads with no skip to absorb.
        if self.p.windows == "path" and self.semantic and self.exact:
            if self.p.verify_rounds > 0:
                self._fit_window_offsets(path, shapes)
            path = self._search(band, shapes, exact=True)
            for rounds in range(self.p.verify_rounds):
                known = len(self.exact)
                self._embed_near(path, shapes)
                if len(self.exact) == known:
                    break
                path = self._search(band, shapes, exact=True)
                self.timings["verify_rounds"] = rounds + 1
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
        if exact and size > 1 and (side, size) in self.exact_pos:
            row = self.exact_pos[(side, size)][ends]
            has = row >= 0
            if has.any():
                acc[has] = self.exact_vecs[row[has]]
        return acc

    def _sim_table(
        self, band: dp.Band, shapes: Sequence[dp.Shape], exact: bool
    ) -> np.ndarray:
        """Cosine of every bead's two window vectors: float32 (len(shapes), band.size)."""
        out = window_cosines(self.es, self.et, band, shapes, self._pair_cache)
        if exact and self.exact:
            rows, cols = band.cells()
            self._exact_override(out, rows, cols, shapes)
        if self.p.neighbour_margin:
            # Each shape against itself: a window's 4 best cosines with windows of
            # the other side's size in the band (Artetxe and Schwenk's margin).
            rows, cols = band.cells()
            self._hubs = {}
            for k, (a, b) in enumerate(shapes):
                if a and b:
                    ok = (rows >= a) & (cols >= b)
                    hs = _top_mean(rows[ok], out[k, ok], self.n + 1)
                    ht = _top_mean(cols[ok], out[k, ok], self.m + 1)
                    self._hubs[(a, b)] = (hs, ht)
                    out[k, ok] -= (hs[rows[ok]] + ht[cols[ok]]) / 2.0
        return out

    def _exact_override(
        self, out: np.ndarray, rows: np.ndarray, cols: np.ndarray, shapes: Sequence[dp.Shape]
    ) -> None:
        """Replace summed-window cosines by those of embedded joined texts where known."""
        none = np.zeros(1, dtype=bool)

        def has(side: int, size: int, ends: np.ndarray) -> np.ndarray:
            pos = self.exact_pos.get((side, size))
            return none[np.zeros_like(ends)] if pos is None else pos[ends] >= 0

        for k, (a, b) in enumerate(shapes):
            if a == 0 or b == 0 or (a == 1 and b == 1):
                continue
            sel = np.zeros(rows.shape[0], dtype=bool)
            if a > 1:
                sel |= has(0, a, rows)
            if b > 1:
                sel |= has(1, b, cols)
            valid = (rows >= a) & (cols >= b)
            sel &= valid
            offset = self.window_offset.get((a, b), 0.0)
            if offset:
                out[k, valid & ~sel] += offset
            where = np.flatnonzero(sel)
            if where.shape[0] == 0:
                continue
            # Each window's vector once, not once per cell that holds it: a row's
            # window meets many columns (and vice versa), and summing a window of up
            # to max_bead sentence vectors per cell was most of the search's time.
            us, inv_s = np.unique(rows[where], return_inverse=True)
            ut, inv_t = np.unique(cols[where], return_inverse=True)
            vs_all = self._window_vectors(0, us, a, True)
            vt_all = self._window_vectors(1, ut, b, True)
            out[k, where] = _cell_dots(vs_all, inv_s, vt_all, inv_t)

    def _fit_window_offsets(self, path: list[tuple[int, int, int]], shapes: list[dp.Shape]
                            ) -> None:
        """Measure how much higher embedded windows score than summed ones, per shape.

        For each multi-sentence bead of ``path`` (whose windows are embedded), the
        gap between its cosine with embedded and with summed windows. A shape's
        offset is the mean gap of its beads, shrunk toward the document's mean gap
        per extra sentence times the shape's extra sentences by
        :data:`WINDOW_OFFSET_PSEUDO` pseudo-beads, so a shape seen once or never
        still gets a sensible offset.
        """
        gaps: dict[dp.Shape, list[float]] = {}
        for i, j, k in path:
            a, b = shapes[k]
            if a == 0 or b == 0 or (a, b) == (1, 1):
                continue
            ii, jj = np.array([i]), np.array([j])
            gap = self._cos(ii, a, jj, b, True)[0] - self._cos(ii, a, jj, b, False)[0]
            gaps.setdefault((a, b), []).append(float(gap))
        extra = sum((a + b - 2) * len(g) for (a, b), g in gaps.items())
        if extra == 0:
            return
        per_sentence = sum(sum(g) for g in gaps.values()) / extra
        k0 = WINDOW_OFFSET_PSEUDO
        self.window_offset = {
            (a, b): (sum(gaps.get((a, b), ())) + k0 * per_sentence * (a + b - 2))
            / (len(gaps.get((a, b), ())) + k0)
            for a, b in shapes if a and b and (a, b) != (1, 1)
        }
        log.debug("summed-window offsets: %s", self.window_offset)

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
        vecs = np.asarray(self.encoder.encode(texts), dtype=np.float32)
        base = self.exact_vecs.shape[0]
        self.exact_vecs = np.concatenate([self.exact_vecs, vecs])
        for r, (side, end, size) in enumerate(todo):
            pos = self.exact_pos.get((side, size))
            if pos is None:
                pos = np.full((self.n, self.m)[side] + 1, -1, dtype=np.int64)
                self.exact_pos[(side, size)] = pos
            pos[end] = base + r
            self.exact.add((side, end, size))
        self.timings["embed_windows"] += time.perf_counter() - t0
        log.debug("embedded %d window texts", len(todo))

    def _embed_near(self, path: list[tuple[int, int, int]], shapes: list[dp.Shape]) -> None:
        """Embed the joined texts of the windows a second search most needs.

        These are the multi-sentence sides of the beads on ``path``, the windows
        that would absorb a skipped sentence into the bead before or after it,
        and (``path_reach`` >= 1) the same-size windows moved by one sentence,
        (>= 2) also one sentence longer or shorter.
        """
        wanted: set[tuple[int, int, int]] = set()
        mb = self.max_size
        reach = self.p.path_reach
        limits = (self.n, self.m)

        def add(side: int, end: int, size: int) -> None:
            if 2 <= size <= mb and size <= end <= limits[side]:
                wanted.add((side, end, size))

        for pos, (i, j, k) in enumerate(path):
            a, b = shapes[k]
            ends = (i, j)
            for side, size in ((0, a), (1, b)):
                if size == 0:
                    continue
                shifts = (-1, 0, 1) if reach >= 1 else (0,)
                sizes = (size - 1, size, size + 1) if reach >= 2 else (size,)
                if size > 1 or reach >= 2:
                    for d in shifts:
                        for z in sizes:
                            add(side, ends[side] + d, z)
            if a == 0 or b == 0:
                # absorb the skipped sentence into the previous or the next bead
                side = 0 if a else 1
                if pos > 0:
                    _, _, pk = path[pos - 1]
                    pa, pb = shapes[pk]
                    psize = (pa, pb)[side]
                    if psize:
                        add(side, (i, j)[side], psize + 1)
                if pos + 1 < len(path):
                    ni, nj, nk = path[pos + 1]
                    na, nb = shapes[nk]
                    nsize = (na, nb)[side]
                    if nsize:
                        add(side, (ni, nj)[side], nsize + 1)
        self._embed_windows(wanted)

    # ------------------------------------------------------------- values
    def _values(
        self, band: dp.Band, shapes: Sequence[dp.Shape], exact: bool
    ) -> tuple[np.ndarray, np.ndarray]:
        """Bead values (len(shapes), band.size) and similarities (same shape).

        Embedded windows and their offsets (:meth:`_exact_override`) change only
        the beads with several sentences on a side and both sides non-empty: a
        search with them (``exact``) after one without on the same band,
        calibration and shapes takes the other beads' values from that one
        (kept if at most :data:`KEEP_SUMS_BYTES`), and all of them when no window
        is embedded (a paragraph pair of one sentence a side).
        """
        plain = self._plain
        reuse = (exact and plain is not None and plain[0] is band and plain[1] is self.cal
                 and plain[2] == tuple(shapes))
        if reuse and not self.exact:
            assert plain is not None
            return plain[3].copy(), plain[4].copy()
        rows, cols = band.cells()
        values = np.full((len(shapes), band.size), -np.inf)
        if self.semantic:
            table = self._sim_table(band, shapes, exact)
        sims = np.zeros((len(shapes), band.size), dtype=np.float32)
        p = self.p
        lex = self._lex_tables(band, shapes) if self.lex is not None else None
        beads = []
        for k, (a, b) in enumerate(shapes):
            if reuse and (a == 0 or b == 0 or (a, b) == (1, 1)):
                assert plain is not None
                values[k], sims[k] = plain[3][k], plain[4][k]
                continue
            if a and b:
                beads.append(k)
                continue
            ok = (rows >= a) & (cols >= b)
            if not ok.any():
                continue
            values[k, ok] = self.cal.prior(a, b)
            if self.semantic and (1, 1) in shapes:
                values[k, ok] -= self._skip_evidence(
                    table[shapes.index((1, 1))], rows, cols, (rows if b == 0 else cols)[ok],
                    b == 0)
        # Every shape's beads in one pass while they are few (a paragraph pair):
        # a bead's value is computed element by element, so the batches change
        # no value, only the number of small array calls.
        for group in _batches(beads, band.size):
            at: int | np.ndarray
            sel: np.ndarray
            prior: float | np.ndarray
            size_s: Size
            size_t: Size
            if len(group) == 1:
                # a long input's shape alone: its cells by a mask, as few arrays as can be
                at = group[0]
                size_s, size_t = shapes[at]
                sel = (rows >= size_s) & (cols >= size_t)
                prior = self.cal.prior(size_s, size_t)
            else:
                ks = np.array(group, dtype=np.int64)
                sa = np.array([shapes[k][0] for k in group], dtype=np.int64)
                sb = np.array([shapes[k][1] for k in group], dtype=np.int64)
                kk, sel = np.nonzero((rows >= sa[:, None]) & (cols >= sb[:, None]))
                at, size_s, size_t = ks[kk], sa[kk], sb[kk]
                prior = np.array([self.cal.prior(*shapes[k]) for k in group])[kk]
            r, c = rows[sel], cols[sel]
            if r.shape[0] == 0:
                continue
            sim = table[at, sel] if self.semantic else np.zeros(r.shape[0])
            v = self._surface(r, size_s, c, size_t)
            if self.semantic:
                v += p.w_sim * self.cal.sim_llr(sim)
            if lex is not None:
                cov, words = lexical_coverage(
                    lex[0][at, sel], lex[1][at, sel], self.cws[r] - self.cws[r - size_s],
                    self.cwt[c] - self.cwt[c - size_t])
                v += p.w_lex * self.cal.lex_llr(cov, words)
            values[at, sel] = self._robust(v, size_s, size_t) + prior
            sims[at, sel] = sim
        if not exact:
            self._plain = ((band, self.cal, tuple(shapes), values, sims)
                           if values.nbytes <= KEEP_SUMS_BYTES else None)
        return values, sims

    def _skip_evidence(self, sim11: np.ndarray, rows: np.ndarray, cols: np.ndarray,
                       ends: np.ndarray, source: bool) -> np.ndarray:
        """Evidence (nats, >= 0) against leaving the sentences ending at ``ends`` unmatched.

        A skip should need evidence. A sentence whose best 1-1 cosine with any
        sentence of the other side in the band looks like a translation's is more
        likely part of a neighbouring bead than dropped, so the skip pays the
        log-likelihood ratio of that best cosine: translation (``sim_match``)
        against the best of the band's ``k`` unrelated cosines, whose mean lies
        about ``sqrt(2 ln k)`` spreads above ``sim_null`` (the expected maximum of
        ``k`` normal draws), capped at ``cap`` as any feature against a bead. A
        sentence that matches nothing better keeps the bare shape prior. Measured
        on dev data (strict F1, load 4-6, in-process): MAC-Dev .9383 both, halves
        .9289 -> .9300, quarters .9329 -> .9341, chapters 002+003 (never tuned on)
        .8288 both (halves .8171 both), UN zh-en .9961 both, Bible 5k .9191 both
        (verse-merged .9824 both), the corpus 1.000 both. Compared with the
        unrelated mean itself (no maximum), every skip near a partial match paid
        and MAC-Dev fell to .9300 (gold 1-0 beads found 3 -> 1 of 6).
        """
        keys = rows if source else cols
        size = (self.n if source else self.m) + 1
        best = np.full(size, -np.inf)
        ok = (rows >= 1) & (cols >= 1)
        np.maximum.at(best, keys[ok], sim11[ok])
        k = np.maximum(np.bincount(keys[ok], minlength=size)[ends], 1).astype(np.float64)
        # A dropped sentence's best cosine is the largest of k unrelated ones, whose
        # mean lies about sqrt(2 ln k) spreads above the unrelated mean (the maximum
        # of k normal draws), so that is the null its best cosine is compared with.
        cal = self.cal
        null = cal.sim_null + cal.sim_sd * np.sqrt(2.0 * np.log(k))
        gap = np.maximum(cal.sim_match - null, 0.0)
        x = best[ends].astype(np.float64)
        llr = self.p.w_sim * gap / max(cal.sim_sd, 0.02) ** 2 * (x - (cal.sim_match + null) / 2.0)
        # -inf (no cell in the band) and NaN (0 times that) are no evidence
        return np.where(np.isnan(llr), 0.0, clip(llr, 0.0, self.cal.cap))

    def evidence(
        self, ii: np.ndarray, a: int, jj: np.ndarray, b: int, exact: bool,
        hits: tuple[np.ndarray, np.ndarray] | None = None,
    ) -> np.ndarray:
        """Log-likelihood ratio (nats, no shape prior) of beads ``(a, b)`` ending at (ii, jj).

        ``hits``: the beads' dictionary hits (source, target) where already
        summed (the search's table), else they are counted here."""
        v = self._surface(ii, a, jj, b)
        if self.semantic:
            v = v + self.p.w_sim * self.cal.sim_llr(self._cos(ii, a, jj, b, exact))
        if self.lex is not None:
            cov, words = self._lex_cov(ii, a, jj, b, hits)
            v = v + self.p.w_lex * self.cal.lex_llr(cov, words)
        out: np.ndarray = self._robust(v, a, b)
        return out

    def _surface(self, ii: np.ndarray, a: Size, jj: np.ndarray, b: Size) -> np.ndarray:
        """The weighted evidence (nats) of beads ``(a, b)`` ending at (ii, jj) that
        needs neither vectors nor the dictionary: lengths, hard tokens and closed
        speech. The search's cells and the verification's beads both add it.
        ``a``/``b``: one shape for all, or each bead's own (int arrays)."""
        p = self.p
        ls = self.cls[ii] - self.cls[ii - a]
        lt = self.clt[jj] - self.clt[jj - b]
        v: np.ndarray = p.w_len * self.cal.length_llr(ls, lt) + p.w_tok * self._tok(ii, jj, a, b)
        if p.w_close:
            v += p.w_close * self.cal.closing_llr(self.zs[ii - 1], self.zt[jj - 1])
        return v

    def _robust(self, llr: np.ndarray, a: Size, b: Size) -> np.ndarray:
        """A 1-1 bead's evidence under a likelihood allowing translations that look unrelated.

        ``P(features | translation) = (1 - eps) * model + eps * P(features | unrelated)``:
        a share ``eps`` of real sentence pairs (a truncated line, a table heading,
        a sentence the encoder misreads) has features no better than chance, so a
        1-1 bead's evidence never falls below ``log(eps)``. Two lines left between
        confident neighbours are then paired rather than each merged into a
        neighbour, which costs two extra-sentence priors. Only 1-1 beads: a
        multi-sentence bead that looks unrelated is more likely a wrong merge, and
        flooring every shape cost .0027 strict F1 on the Bible (.9153 -> .9126).
        """
        eps = self.p.miss_rate
        if eps <= 0:
            return llr
        if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
            # each bead its own shape (see :meth:`_values`): the 1-1 ones only
            one = (np.asarray(a) == 1) & (np.asarray(b) == 1)
            out = llr.copy()
            out[one] = np.logaddexp(math.log1p(-eps) + llr[one], math.log(eps))
            return out
        if (a, b) != (1, 1):
            return llr
        out = np.logaddexp(math.log1p(-eps) + llr, math.log(eps))
        return out

    def _lex_cov(self, ii: np.ndarray, a: int, jj: np.ndarray, b: int,
                 hits: tuple[np.ndarray, np.ndarray] | None = None
                 ) -> tuple[np.ndarray, np.ndarray]:
        """Dictionary coverage and countable words of beads ``(a, b)`` ending at (ii, jj)
        (their hits counted here unless given: see :meth:`evidence`)."""
        assert self.lex is not None
        if hits is not None:
            hs, ht = hits
        else:
            hs = np.zeros(ii.shape[0], dtype=np.float32)
            ht = np.zeros(ii.shape[0], dtype=np.float32)
            for da in range(1, a + 1):
                for db in range(1, b + 1):
                    x, y = self.lex.pairs(ii - da, jj - db)
                    hs += x
                    ht += y
        return lexical_coverage(hs, ht, self.cws[ii] - self.cws[ii - a],
                                self.cwt[jj] - self.cwt[jj - b])

    def _lex_tables(self, band: dp.Band, shapes: Sequence[dp.Shape]
                    ) -> tuple[np.ndarray, np.ndarray]:
        """Dictionary hits summed over every bead: two float32 (len(shapes), band.size)."""
        assert self.lex is not None
        # the search runs two or three times on one band: the sums are kept with it
        key = tuple(shapes)
        summed = self._lex_sums.get(key)
        if summed is not None and summed[0] is band:
            return summed[1], summed[2]
        hit = self._lex_cache.get(id(band))
        pairs = [(a, b) for a, b in shapes if a and b]
        A = max(a for a, _ in pairs)
        B = max(b for _, b in pairs)
        sband = _sentence_band(band, self.n, self.m, A, B)
        if hit is not None and hit[0] is band and hit[1].shape[0] == sband.size:
            ps, pt = hit[1], hit[2]
        else:
            rows, cols = sband.cells()
            ps, pt = self.lex.pairs(rows, cols)
            self._lex_cache = {id(band): (band, ps, pt)}
        both = window_sums(np.stack([ps, pt]), sband, band, shapes)
        out = both[0], both[1]
        if _keep_sums(out[0], band):
            self._lex_sums = {key: (band, *out)}
        return out

    def _cos(self, ii: np.ndarray, a: int, jj: np.ndarray, b: int, exact: bool) -> np.ndarray:
        """Cosine of windows ``(a, b)`` ending at (ii, jj), margin-normalised if asked."""
        vs = self._window_vectors(0, ii, a, exact)
        vt = self._window_vectors(1, jj, b, exact)
        cos: np.ndarray = np.einsum("ij,ij->i", vs, vt)
        if self.p.neighbour_margin and (a, b) in self._hubs:
            hs, ht = self._hubs[(a, b)]
            cos = cos - (hs[ii] + ht[jj]) / 2.0
        return cos

    def _tok(self, r: np.ndarray, c: np.ndarray, a: Size, b: Size) -> np.ndarray:
        ms = _window_masks(self.ms, r, a)
        mt = _window_masks(self.mt, c, b)
        total = np.bitwise_count(ms).astype(np.float64) + np.bitwise_count(mt)
        inter = np.bitwise_count(ms & mt).astype(np.float64)
        out = np.zeros(r.shape[0])
        has = total > 0
        out[has] = 4.0 * inter[has] / total[has] - 1.0
        return out

    # ------------------------------------------------------------- search
    def _search(
        self, band: dp.Band, shapes: list[dp.Shape], exact: bool
    ) -> list[tuple[int, int, int]]:
        last = self._last
        table: dp.Table | None
        if (exact and last is not None and last[0] is band and last[1] is self.cal
                and last[2] == tuple(shapes) and not self.p.neighbour_margin):
            values = last[3]
            changed = self._update_values(values, band, shapes, self.exact - last[4])
            # Only the rows the new values can reach are searched again.
            table = dp.forward(values, band, shapes, last[5], changed)
        else:
            values, _ = self._values(band, shapes, exact)
            table = None
        # A verification round changes the values of a few cells only (those of
        # the windows it embedded): they are updated in place, not recomputed.
        try:
            if table is None:
                table = dp.forward(values, band, shapes)
            path = dp.trace(table, band, shapes)
        except ValueError as err:  # pragma: no cover - the band always has a path
            raise AlignmentError(f"sentence search failed: {err}") from err
        self._last = (band, self.cal, tuple(shapes), values,
                      frozenset(self.exact), table) if exact else None
        return path

    def _update_values(self, values: np.ndarray, band: dp.Band, shapes: Sequence[dp.Shape],
                       new: set[tuple[int, int, int]]) -> np.ndarray:
        """Recompute in place the values of the beads holding a window of ``new``.

        A bead with an embedded window on either side is scored with embedded
        windows and no offset (as :meth:`_exact_override` does), so its value is
        its :meth:`evidence` with ``exact`` plus its prior. Returns the rows of
        the grid whose values changed (int array, sorted, unique).
        """
        if not new:
            return np.zeros(0, dtype=np.int64)
        rows, cols = band.cells()
        ends: dict[tuple[int, int], list[int]] = {}
        for side, end, size in new:
            ends.setdefault((side, size), []).append(end)
        # The dictionary hits of every bead, summed for the search when its table
        # was kept: counts, so float32 sums in any order are the same numbers.
        kept = self._lex_sums.get(tuple(shapes))
        lex = kept[1:] if kept is not None and kept[0] is band else None
        changed = []
        for k, (a, b) in enumerate(shapes):
            if a == 0 or b == 0 or (a, b) == (1, 1):
                continue
            hit = np.zeros(rows.shape[0], dtype=bool)
            if (0, a) in ends:
                hit |= np.isin(rows, ends[(0, a)])
            if (1, b) in ends:
                hit |= np.isin(cols, ends[(1, b)])
            hit &= (rows >= a) & (cols >= b)
            where = np.flatnonzero(hit)
            if where.shape[0]:
                hits = (lex[0][k, where], lex[1][k, where]) if lex is not None else None
                values[k, where] = (self.evidence(rows[where], a, cols[where], b, True, hits)
                                    + self.cal.prior(a, b))
                changed.append(rows[where])
        return np.unique(np.concatenate(changed)) if changed else np.zeros(0, dtype=np.int64)

    def _calibrate(self, path: list[tuple[int, int, int]] | None, shapes: list[dp.Shape],
                   band: dp.Band) -> None:
        """Measure similarity, length and shape statistics on the input.

        With a ``path`` (a first alignment) its 1-1 beads are the translation
        pairs; without one, each source sentence's best 1-1 match in the band
        stands in for them. Unrelated pairs are source sentences against targets
        5 to 50 sentences away from their match. Too few pairs (short inputs)
        keep the defaults.
        """
        if self.fixed_cal:
            return
        if path is not None:
            ones = [(i - 1, j - 1) for i, j, k in path if shapes[k] == (1, 1)]
        else:
            ones = self._best_pairs(band)
        length = self.length
        if not self.fixed_length and path is not None:
            length = estimate_length_model(self.ls, self.lt, ones)
        updates: dict[str, Any] = {"length": length}
        if path is not None:
            counts: dict[dp.Shape, int] = {}
            for _, _, k in path:
                counts[shapes[k]] = counts.get(shapes[k], 0) + 1
            # Each bead also costs -log P(1-1) of the input's own rate (``per_bead``),
            # so a split into more beads pays for them. Measured on dev data (strict
            # F1, relative -> per bead): MAC-Dev .9383 -> .9383 (chapters cut into
            # halves .9243 -> .9289, quarters .9318 -> .9329; chapters 002 and 003,
            # not used for tuning, .8158 -> .8288, their halves .8092 -> .8171), UN
            # zh-en sentences .9961 both, the corpus 1.000 both, Bible 5k .9196 ->
            # .9191 (verse-merged .9834 -> .9824). The first search keeps Gale-Church's
            # relative rates: per bead there too, MAC-Dev fell to .936.
            # over every shape of the settings, not only those that fit this input:
            # the priors' pseudo-counts are shared among them
            updates["log_prior"] = shape_log_prior(counts, self.all_shapes(), per_bead=True)
            ends = np.array([(i - 1, j - 1) for i, j, k in path if all(shapes[k])],
                            dtype=np.int64).reshape(-1, 2)
            updates["closing"] = closing_llr(self.zs[ends[:, 0]], self.zt[ends[:, 1]])
        if len(ones) >= 20:
            rng = np.random.default_rng(0)
            src_i = np.array([i for i, _ in ones])
            tgt_j = np.array([j for _, j in ones])
            shift = rng.integers(5, 50, size=src_i.shape[0]) * rng.choice([-1, 1], src_i.shape[0])
            other = np.clip(tgt_j + shift, 0, self.m - 1)
            far = np.abs(other - tgt_j) >= 3
            if far.sum() >= 20:
                d0 = length.delta(self.ls[src_i[far]], self.lt[other[far]])
                updates["null_delta_sd"] = float(max(_robust_sd(d0), 1.5))
                if self.semantic:
                    match = self._cos(src_i + 1, 1, tgt_j + 1, 1, False)
                    null = self._cos(src_i[far] + 1, 1, other[far] + 1, 1, False)
                    m1, s1 = float(np.median(match)), _robust_sd(match)
                    m0, s0 = float(np.median(null)), _robust_sd(null)
                    updates.update(sim_match=m1, sim_null=m0,
                                   sim_sd=float(np.sqrt((s0 * s0 + s1 * s1) / 2.0)))
                if self.lex is not None:
                    cm, _ = self._lex_cov(src_i + 1, 1, tgt_j + 1, 1)
                    c0, _ = self._lex_cov(src_i[far] + 1, 1, other[far] + 1, 1)
                    cm, c0 = cm[np.isfinite(cm)], c0[np.isfinite(c0)]
                    if cm.shape[0] >= 20 and c0.shape[0] >= 20:
                        l1, l0 = float(np.median(cm)), float(np.median(c0))
                        e1, e0 = _robust_sd(cm), _robust_sd(c0)
                        updates.update(lex_match=l1, lex_null=l0,
                                       lex_sd=float(np.sqrt((e0 * e0 + e1 * e1) / 2.0)))
        self.length = length
        self.cal = replace(self.cal, **updates)
        log.debug("calibration: %s", self.cal)

    def _best_pairs(self, band: dp.Band) -> list[tuple[int, int]]:
        """Each source sentence with its most similar target in the band (0-based)."""
        if not self.semantic:
            return []
        shapes = [(1, 1)]
        cos = window_cosines(self.es, self.et, band, shapes)[0]
        _, cols = band.cells()
        out = []
        off = band.offset
        for i in range(1, self.n + 1):
            s0, s1 = int(off[i]), int(off[i + 1])
            if s1 <= s0:
                continue
            t = int(np.argmax(cos[s0:s1]))
            if cols[s0 + t] >= 1:
                out.append((i - 1, int(cols[s0 + t]) - 1))
        return out

    def _coarse_band(self) -> dp.Band:
        """Coarse-to-fine search of a long input; returns the band for the last level."""
        n, m = self.n, self.m
        if not self.semantic:
            return self._length_band()
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

    def _length_band(self) -> dp.Band:
        """Band for a long input with no model: follow the lengths from the diagonal.

        Blocks of equal sentence counts carry no length signal worth having, so the
        search starts from the diagonal of cumulative character counts, searches a
        band around it with Gale-Church values and simple shapes, and re-centres
        the band on the path found until the path keeps clear of the band's edges.
        """
        n, m = self.n, self.m
        radius = max(6 * self.p.band_radius, 48)
        cs = self.cls / max(self.cls[-1], 1.0)
        ct = self.clt / max(self.clt[-1], 1.0)
        centre = np.searchsorted(ct, cs).clip(0, m).astype(np.int64)
        shapes = [(1, 1), (1, 2), (2, 1), (1, 0), (0, 1)]
        cells: list[tuple[int, int]] = []
        for _ in range(16):
            step = max(1, radius // 4)
            band = dp.band_around_path(
                [(i, int(centre[i])) for i in range(0, n + 1, step)], n, m, radius)
            path = self._block_search(band, shapes, self.es, self.et, self.ls, self.lt)
            cells = [(i, j) for i, j, _ in path]
            # Where the path runs along an edge of the band the true path may lie
            # beyond it: move the centre that way by half a band and search again.
            push = np.zeros(n + 1)
            for i, j in cells:
                if band.lo[i] > 0 and j - band.lo[i] < 3:
                    push[i] = -radius / 2
                elif band.hi[i] < m and band.hi[i] - j < 3:
                    push[i] = radius / 2
            if not push.any():
                break
            kernel = np.ones(2 * radius + 1)
            wide = np.convolve(push, kernel, mode="same") / np.maximum(
                np.convolve(push != 0, kernel, mode="same"), 1)
            on_path = np.zeros(n + 1, dtype=np.int64)
            for i, j in cells:
                on_path[i] = j
            on_path = np.maximum.accumulate(on_path)
            centre = (on_path + wide).round().clip(0, m).astype(np.int64)
            centre = np.maximum.accumulate(centre)
        return dp.band_around_path(cells, n, m, self.p.band_radius)

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
        cos = window_cosines(es, et, band, shapes) if self.semantic else None
        for k, (a, b) in enumerate(shapes):
            ok = (rows >= a) & (cols >= b)
            r, c = rows[ok], cols[ok]
            # Blocks only need a rough path: cosine plus a mild length term, or
            # with no model Gale-Church's log-probabilities of length and shape.
            if a == 0 or b == 0:
                values[k, ok] = -0.1 if cos is not None else default_log_prior(a, b)
                continue
            plen = length.prob(cls[r] - cls[r - a], clt[c] - clt[c - b])
            if cos is not None:
                values[k, ok] = cos[k, ok] + 0.3 * (plen - 0.5)
            else:
                values[k, ok] = np.log(np.maximum(plen, 1e-12)) + default_log_prior(a, b)
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


#: Pseudo-beads pulling a shape's summed-window offset toward the document's mean
#: gap per extra sentence (see ``_Context._fit_window_offsets``). A path holds a
#: handful of beads of most multi-sentence shapes (MAC-Dev chapters: 1-2 about 30,
#: 2-2 two to five), and the gaps of one shape spread by about .06 of cosine, so
#: five pseudo-beads keep a rare shape's offset within about .03 of the trend.
#: Measured on MAC-Dev (strict F1): 5 .9383, 50 .9337 (closer to the trend alone).
WINDOW_OFFSET_PSEUDO = 5.0


#: Most cells (beads of every shape together) that :meth:`_Context._values` scores
#: in one batch; above it, a shape at a time. A paragraph pair's band is one batch
#: (the report's largest, 6 sentences a side: 980 cells of its 20 bead shapes),
#: which is what saves its many small array calls. A whole document's band (the
#: report's calibration: 26,553 cells of 20 shapes) goes a shape at a time, as
#: before: each shape's arrays are then large enough that the calls' fixed cost is
#: nothing, and a batch's per-bead sizes and masked gathers cost more than they save
#: (its calibration 0.204 -> 0.225 CPU s, load 12, with batches of up to 2**16 cells).
BATCH_CELLS = 2**14


def _batches(shapes: list[int], cells: int) -> list[list[int]]:
    """``shapes`` (indices) as one batch if their ``cells`` each total at most
    :data:`BATCH_CELLS`, else one shape a batch."""
    if len(shapes) * cells <= BATCH_CELLS:
        return [shapes] if shapes else []
    return [[k] for k in shapes]


def _window_masks(masks: np.ndarray, ends: np.ndarray, size: Size) -> np.ndarray:
    """Bitwise OR of ``masks`` over the windows ``[end - size, end)``: uint64 (len(ends),).

    ``size``: one for all, or each window's own (int array)."""
    out = np.zeros(ends.shape[0], dtype=np.uint64)
    if isinstance(size, np.ndarray):
        for k in range(1, int(size.max(initial=0)) + 1):
            longer = size >= k
            out[longer] |= masks[ends[longer] - k]
        return out
    for k in range(1, size + 1):
        out |= masks[ends - k]
    return out


def _sum_norms(e: np.ndarray, sizes: int) -> list[np.ndarray]:
    """``out[a][i]``: norm of the sum of rows ``[i - a, i)`` of ``e`` (n, d)."""
    n = e.shape[0]
    out = [np.ones(n + 1, dtype=np.float32)]
    acc = np.zeros((n + 1, e.shape[1]), dtype=np.float32)
    for a in range(1, sizes + 1):
        acc[a:] += e[: max(n + 1 - a, 0)]  # nothing once a window outgrows the input
        out.append(np.maximum(np.linalg.norm(acc, axis=1), 1e-6))
    return out


def _sentence_band(band: dp.Band, n: int, m: int, A: int, B: int) -> dp.Band:
    """The sentence pairs ``(p, q)`` (0-based) that some bead of ``band`` holds.

    Beads have at most ``A`` source and ``B`` target sentences: row ``p`` needs the
    columns ``lo[p + 1] - B .. hi[p + A] - 1``.
    """
    nxt = np.minimum(np.arange(n) + 1, n)
    far = np.minimum(np.arange(n) + A, n)
    slo = np.clip(band.lo[nxt] - B, 0, m - 1)
    shi = np.maximum(np.clip(band.hi[far] - 1, 0, m - 1), slo)
    return dp.Band(slo, shi, m - 1)


#: Largest table of window sums (bytes) kept between the searches on one band.
#: Paragraph pairs have small bands, where recomputing the sums is what costs
#: (about 2% of a report's build); a long document without paragraphs has a
#: band of millions of cells, whose three tables kept raised the Bible 5k
#: benchmark's peak memory by 58 MB (108 MB in a worker it forks), while
#: recomputing them is small next to its search. 8 MB holds a band of about
#: 95,000 cells at the 22 bead shapes of the default max_bead 6.
KEEP_SUMS_BYTES = 8 * 2**20


def _keep_sums(table: np.ndarray, band: dp.Band) -> bool:
    """Whether a table of window sums on ``band`` is kept between its searches.

    Up to :data:`KEEP_SUMS_BYTES`, and at any size on a full grid: a grid is
    searched in full only up to ``SearchParams.full_grid_cells`` cells (a table
    of at most 22 MB at 22 shapes), and a chapter of a novel is such a grid
    (MAC-Dev 002 and 003, 107,000 and 102,000 cells, recomputed three tables at
    every one of their three full searches).
    """
    return table.nbytes <= KEEP_SUMS_BYTES or band.size == (band.n + 1) * (band.m + 1)


def window_sums(
    pair: np.ndarray, sband: dp.Band, band: dp.Band, shapes: Sequence[dp.Shape]
) -> np.ndarray:
    """Sum of a sentence-pair quantity over every bead: float32 (len(shapes), band.size).

    ``pair`` holds one value per cell of ``sband`` (see :func:`_sentence_band`),
    or ``k`` rows of them (``(k, sband.size)``, then the sums are
    ``(k, len(shapes), band.size)``: several quantities for the price of one
    walk over the band); a bead ``(a, b)`` ending at cell ``(i, j)`` gets the
    sum over the sentence pairs ``[i - a, i) x [j - b, j)``. Skips and beads that
    would start before the first sentence get 0.
    """
    rows, cols = band.cells()
    lead = pair.shape[:-1]
    out = np.zeros((*lead, len(shapes), band.size), dtype=np.float32)
    pairs = [(a, b) for a, b in shapes if a > 0 and b > 0]
    if not pairs or pair.shape[-1] == 0:
        return out
    A = max(a for a, _ in pairs)
    B = max(b for _, b in pairs)
    soff, slo = sband.offset, sband.lo
    index = {s: k for k, s in enumerate(shapes)}
    # a zero after the last pair: what a cell outside the sentences reads
    padded = np.concatenate([pair, np.zeros((*lead, 1), dtype=pair.dtype)], axis=-1)
    outside = pair.shape[-1]
    # acc[db]: pair values summed over source offsets 0 .. a - 1, target offset db;
    # from source offset a on only the target offsets of shapes that long are needed
    # (the longer one-to-many shapes need one row or one column, not a square).
    need = [max((b for aa, b in pairs if aa >= a), default=0) for a in range(A + 1)]
    acc = [np.zeros((*lead, band.size), dtype=np.float32) for _ in range(B)]
    for a in range(1, A + 1):
        p = rows - a
        pv = p >= 0
        pc = np.where(pv, p, 0)
        # the row's first pair and first column, once for all the target offsets
        first, low = soff[pc], slo[pc]
        for db in range(need[a]):
            q = cols - 1 - db
            idx = np.maximum(q - low, 0)
            idx += first
            np.minimum(idx, outside - 1, out=idx)
            idx[~(pv & (q >= 0))] = outside
            acc[db] += padded[..., idx]
        total = np.zeros((*lead, band.size), dtype=np.float32)
        for b in range(1, need[a] + 1):
            total += acc[b - 1]
            k = index.get((a, b))
            if k is not None:
                valid = (rows >= a) & (cols >= b)
                out[..., k, :] = total
                out[..., k, ~valid] = 0.0
    return out


def window_cosines(
    es: np.ndarray,
    et: np.ndarray,
    band: dp.Band,
    shapes: Sequence[dp.Shape],
    cache: dict[int, Any] | None = None,
) -> np.ndarray:
    """Cosine of summed window vectors for every bead: float32 (len(shapes), band.size).

    A bead of shape ``(a, b)`` ending at cell ``(i, j)`` compares the sum of
    ``es[i - a : i]`` with the sum of ``et[j - b : j]``. The cosine of two sums
    needs only sentence-pair dot products, ``cos = sum of pair dots / (|sum S| |sum T|)``,
    so one banded product of the sentence vectors serves every shape. Skips and
    beads that would start before the first sentence get 0. ``cache`` (a dict
    owned by the caller) keeps that product and the windows' norms between
    calls on the same band.
    """
    rows, cols = band.cells()
    n, m = es.shape[0], et.shape[0]
    out = np.zeros((len(shapes), band.size), dtype=np.float32)
    pairs = [(a, b) for a, b in shapes if a > 0 and b > 0]
    if not pairs or n == 0 or m == 0:
        return out
    A = max(a for a, _ in pairs)
    B = max(b for _, b in pairs)
    key = id(band) * 8 + A
    if cache is not None and key in cache and cache[key][0] is band:
        _, sband, pair, kept, (ns, nt) = cache[key]
    else:
        sband = _sentence_band(band, n, m, A, B)
        pair = _banded_dot(es, et, sband)
        kept = {}
        ns, nt = _sum_norms(es, A), _sum_norms(et, B)
        if cache is not None:
            cache[key] = (band, sband, pair, kept, (ns, nt))
    # (a search runs two or three times on one band: its window sums are kept too)
    sums = kept.get(tuple(shapes))
    if sums is None:
        sums = window_sums(pair, sband, band, shapes)
        if _keep_sums(sums, band):
            kept[tuple(shapes)] = sums
    for k, (a, b) in enumerate(shapes):
        if a > 0 and b > 0:
            valid = (rows >= a) & (cols >= b)
            out[k] = np.where(valid, sums[k] / (ns[a][rows] * nt[b][cols]), 0.0)
    return out


#: :func:`_cell_dots` multiplies a block of windows in full when the block's
#: products are at most this many times its cells: one cell's dot product from
#: gathered rows cost 12 times one product of the full block (MAC-Dev chapter
#: windows, 512 dimensions: 1.35 against 0.11 microseconds, 2026-12-05), so 8
#: keeps a margin for the block's products that no cell reads.
DENSE_BLOCK = 8

#: Rows of ``vs`` in one block of :func:`_cell_dots`.
_BLOCK_ROWS = 64


def _cell_dots(vs: np.ndarray, inv_s: np.ndarray, vt: np.ndarray, inv_t: np.ndarray
               ) -> np.ndarray:
    """``vs[inv_s[c]] . vt[inv_t[c]]`` for every cell ``c``: float32 (len(inv_s),).

    ``inv_s`` is nondecreasing (cells in the band's row-major order). Where a
    block of cells meets few distinct rows and columns (a window embedded on
    one side meets every column or row of the band), the block's rows are
    multiplied with its columns once and the cells read the products; elsewhere
    each cell multiplies its two gathered rows. Both are numpy's einsum over
    the same vectors in the same order: the results are the same bits.
    """
    out = np.empty(inv_s.shape[0], dtype=np.float32)
    starts = np.searchsorted(inv_s, np.arange(0, vs.shape[0], _BLOCK_ROWS))
    bounds = [*starts.tolist(), inv_s.shape[0]]
    for s0, s1 in itertools.pairwise(bounds):
        if s1 <= s0:
            continue
        r, c = inv_s[s0:s1], inv_t[s0:s1]
        r0, r1 = int(r[0]), int(r[-1]) + 1
        c0, c1 = int(c.min()), int(c.max()) + 1
        if (r1 - r0) * (c1 - c0) <= DENSE_BLOCK * (s1 - s0):
            block = np.einsum("ij,kj->ik", vs[r0:r1], vt[c0:c1])
            out[s0:s1] = block[r - r0, c - c0]
            continue
        for g in range(s0, s1, 16384):
            sl = slice(g, min(g + 16384, s1))
            out[sl] = np.einsum("ij,ij->i", vs[inv_s[sl]], vt[inv_t[sl]])
    return out


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


def _top_mean(keys: np.ndarray, vals: np.ndarray, size: int, k: int = 4) -> np.ndarray:
    """Per key (0 .. size - 1), the mean of its ``k`` largest values (0 if none)."""
    out = np.zeros(size, dtype=np.float32)
    if keys.shape[0] == 0:
        return out
    order = np.lexsort((-vals, keys))
    kv, vv = keys[order], vals[order]
    starts = np.flatnonzero(np.r_[True, kv[1:] != kv[:-1]])
    rank = np.arange(kv.shape[0]) - np.repeat(starts, np.diff(np.r_[starts, kv.shape[0]]))
    top = rank < k
    sums = np.bincount(kv[top], weights=vv[top], minlength=size)
    counts = np.bincount(kv[top], minlength=size)
    np.divide(sums, np.maximum(counts, 1), out=out, casting="unsafe")
    return out


def _robust_sd(x: np.ndarray) -> float:
    """Standard deviation estimated from the median absolute deviation."""
    return float(1.4826 * np.median(np.abs(x - np.median(x)))) + 1e-6


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


#: Most beads (a path's beads of one shape and their moved rivals) whose evidence
#: :func:`_confidence` computes in one call. Each holds a window vector a side (512
#: float32 with USE): 2 MB a side at this size. A paragraph pair's are a few dozen
#: (the report's most: 6 sentences a side); a whole document's 1-1 beads and their
#: four rivals each, in one call, raised the UN benchmark's peak memory
#: (``unpc_align.py``, 3,853 lines) from 440 to 541 MB; shift by shift, as before.
CONFIDENCE_BATCH = 1024

#: Confidence of a one-sided (1-0 or 0-1) link: how often such links are right
#: where omissions are natural, (right + 1) / (links + 2) over the Bible gold's
#: first 15,000 English lines (``benchmarks/bible.py`` material, aligned whole,
#: usertest28): 17 of 39 (0-1 17/21, 1-0 0/18: the Chinese halves of a cut n-1
#: bead). Before, the score was the sigmoid of the nats by which skipping beat
#: absorbing or pairing the sentence, and that margin did not tell right from
#: wrong: Bible and UN test set (``unpc_align.py`` material, five pairs, seeds 13
#: and 14) together, right 33/49 below 0.3, 152/184 at 0.4-0.5, 30/38 at 0.5-0.6.
#: The UN test set's one-sided links are right 198 of 233 (85%), but only because
#: its drops are injected (1% of pairs): the rate rises with the omissions the
#: material holds, and a UN document's versions rarely omit a sentence.
ONE_SIDED_RIGHT = 0.44


def _confidence(
    ctx: _Context, path: list[tuple[int, int, int]], shapes: list[dp.Shape], exact: bool
) -> list[float]:
    """Confidence in [0, 1] of each bead on ``path``: ``sigmoid(min(evidence, margin))``.

    ``evidence`` is the bead's log-likelihood ratio (similarity, length and hard
    tokens, in nats) of being a translation rather than an unrelated pair;
    ``margin`` is how many nats it beats the same windows moved by one bead on
    either side. A link is doubtful when it is weak in itself or when a
    neighbouring pairing is nearly as good (repeated or formulaic sentences).
    A one-sided link (a skipped sentence) gets :data:`ONE_SIDED_RIGHT`, how often
    such links were right on the dev gold.
    """
    n, m = ctx.n, ctx.m
    out = [0.0] * len(path)
    groups: dict[tuple[int, int], list[int]] = {}
    for pos, (_, _, k) in enumerate(path):
        groups.setdefault(shapes[k], []).append(pos)
    for (a, b), members in groups.items():
        if not (a and b):
            for q in members:
                out[q] = ONE_SIDED_RIGHT
            continue
        ii = np.array([path[q][0] for q in members])
        jj = np.array([path[q][1] for q in members])
        # The beads and all their rivals (the same windows moved on either
        # side) in one call while they are few (a paragraph pair): a bead's
        # evidence is computed element by element, so batching changes no value,
        # only the number of small array calls.
        count = ii.shape[0]
        where = [np.arange(count)]
        at_i, at_j = [ii], [jj]
        for d in sorted({-b, b, -1, 1} if b == 1 else {-b, b}):
            ok = np.flatnonzero((jj + d >= b) & (jj + d <= m))
            where.append(ok)
            at_i.append(ii[ok])
            at_j.append(jj[ok] + d)
        for d in sorted({-a, a, -1, 1} if a == 1 else {-a, a}):
            ok = np.flatnonzero((ii + d >= a) & (ii + d <= n))
            where.append(ok)
            at_i.append(ii[ok] + d)
            at_j.append(jj[ok])
        if sum(x.shape[0] for x in at_i) <= CONFIDENCE_BATCH:
            every = ctx.evidence(np.concatenate(at_i), a, np.concatenate(at_j), b, exact)
        else:
            every = np.concatenate([ctx.evidence(x, a, y, b, exact)
                                    for x, y in zip(at_i, at_j, strict=True)])
        ev = every[:count]
        best_rival = np.full(count, -np.inf)
        # rivals in the order of the shifts, as each shift once compared them
        np.maximum.at(best_rival, np.concatenate(where[1:]), every[count:])
        margin = np.where(np.isfinite(best_rival), ev - best_rival, ev)
        conf = np.minimum(ev, margin)
        for q, c in zip(members, conf.tolist(), strict=True):
            out[q] = round(_sigmoid(c), 4)
    return out


def _sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


__all__ = ["DEFAULT_PARAMS", "Calibration", "SearchParams", "align_sentences", "calibrate"]
