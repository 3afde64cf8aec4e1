"""Paragraph (unit) alignment of two structured documents.

UN documents number their paragraphs, headings and footnotes the same way in
every language version, so labels are strong anchors; they are checked against
the content (embedding similarity and shared hard tokens) and reduced to one
monotone chain, so a numbering that disagrees (a missing or extra paragraph, a
label the extraction lost) cannot pull the alignment off course; two versions
sharing under half of their labels of a kind (paragraph numbers, headings) are
numbered two ways, and those labels are no anchors. Everything
between two anchors, and everything in an unnumbered document, is aligned by
the same dynamic programme as sentences (see :mod:`bitext.align.sentences`),
with beads of up to three units against one (a paragraph split or merged in
translation), two against two, and 1-0 / 0-1 skips.

Body units and footnotes are aligned separately: footnote texts sit at page
bottoms, which fall in different places in each language.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from bitext.align.encoders import Encoder
from bitext.types import Document, Link, Unit

if TYPE_CHECKING:
    from bitext.align.sentences import SearchParams

log = logging.getLogger(__name__)

#: Most units on one side of a paragraph link where the other side has one: a
#: paragraph translated as three. A version that groups its clauses into
#: paragraphs another way (session 19: a six-language PDF, English 1 holding
#: Arabic 1-3) left the third unit with no counterpart (1-0) at two. Measured
#: on documents made from the UN test set (benchmarks/docs.py, six languages):
#: 8 PDFs (seed 18) en-ar 3 such units linked, the other pairs unchanged; 12
#: DOCX (seed 5) every link of the five pairs unchanged (954).
UNIT_MAX_BEAD = 3
#: Most units a side of a link with several on both sides: two, as before.
UNIT_MANY_TO_MANY = 2


def _anchorable(unit: Unit) -> bool:
    label = unit.label
    if not label:
        return False
    if label.startswith("p") and label[1:].isdigit():
        return False
    return not label.startswith("header")


def align_units(
    src: Document,
    tgt: Document,
    encoder: Encoder,
    *,
    max_bead: int = UNIT_MAX_BEAD,
    params: SearchParams | None = None,
) -> list[Link]:
    """Align the units of two documents; indices refer to ``doc.units``.

    Returns links in document order covering every unit of both sides once.
    Memory and time grow linearly with the number of units: the search between
    anchors is banded coarse to fine beyond ``params.full_grid_cells`` cells
    (:class:`~bitext.align.sentences.SearchParams`, default settings if None).
    """
    from dataclasses import replace

    from bitext.align.sentences import SearchParams

    base = params or SearchParams()
    params = replace(base, many_to_many=min(base.many_to_many, UNIT_MANY_TO_MANY))
    src_units, tgt_units = list(src.units), list(tgt.units)
    if not src_units or not tgt_units:
        return [Link((i,), (), 0.0) for i in range(len(src_units))] + [
            Link((), (j,), 0.0) for j in range(len(tgt_units))
        ]
    # one call for both sides: the encoder packs texts into batches of a few
    # hundred tokens, and one call per side (or per paragraph) leaves many half-full
    both = unit_vectors(src_units + tgt_units, encoder)
    src_emb, tgt_emb = both[: len(src_units)], both[len(src_units):]

    links: list[Link] = []
    for group in ("body", "footnote"):
        si = [i for i, u in enumerate(src_units) if (u.kind == "footnote") == (group == "footnote")]
        ti = [j for j, u in enumerate(tgt_units) if (u.kind == "footnote") == (group == "footnote")]
        links.extend(_align_group(src_units, tgt_units, si, ti, src_emb, tgt_emb, encoder,
                                  src.lang, tgt.lang, max_bead, params))
    return links


def unit_vectors(units: Sequence[Unit], encoder: Encoder) -> np.ndarray:
    """Vectors of ``units``: float32 ``(len(units), encoder.dim)``, L2-normalised rows.

    A unit of one sentence (a heading, a short paragraph) is embedded whole. A
    unit of several sentences gets the sum of its sentences' vectors weighted by
    their length: what the encoder does with the pieces of a text too long for
    it anyway, and from the very sentences the sentence alignment embeds next
    (and the encoder caches), so the document is embedded once, not twice. On
    the bundled report that cut a build's CPU time by a fifth (2.3 to 1.9 s
    without the glossary) with paragraph and sentence F1 unchanged (1.000); for
    a 2 MB single-line input it saved about 40% (benchmarks/memory.py).
    """
    from bitext.align.encoders import l2_normalise
    from bitext.limits import MAX_ENCODE_CHARS

    long = [k for k, u in enumerate(units)
            if u.sentences and (len(u.sentences) > 1 or len(u.text) > MAX_ENCODE_CHARS)]
    if not long:
        return encoder.encode([u.text for u in units])
    whole = set(long)
    short = [k for k in range(len(units)) if k not in whole]
    # every text in one encoder call (see align_units), then assembled per unit
    texts = [units[k].text for k in short]
    texts += [x for k in long for x in units[k].sentences]
    vecs = encoder.encode(texts)
    out = np.zeros((len(units), encoder.dim), dtype=np.float32)
    if short:
        out[short] = vecs[: len(short)]
    if not encoder.dim:
        return out
    at = len(short)
    for k in long:
        sents = units[k].sentences
        weights = np.array([max(len(x), 1) for x in sents], dtype=np.float32)
        out[k] = weights @ vecs[at: at + len(sents)]
        at += len(sents)
    return l2_normalise(out)


def _align_group(
    src_units: list[Unit],
    tgt_units: list[Unit],
    si: list[int],
    ti: list[int],
    src_emb: np.ndarray,
    tgt_emb: np.ndarray,
    encoder: Encoder,
    src_lang: str,
    tgt_lang: str,
    max_bead: int,
    params: SearchParams | None = None,
) -> list[Link]:
    anchors = _anchors(src_units, tgt_units, si, ti, src_emb, tgt_emb, src_lang, tgt_lang)
    links: list[Link] = []
    prev_s, prev_t = 0, 0  # positions in si / ti
    for (a_s, a_t, score) in [*anchors, (len(si), len(ti), -1.0)]:
        gap_s, gap_t = si[prev_s:a_s], ti[prev_t:a_t]
        links.extend(_align_gap(src_units, tgt_units, gap_s, gap_t, encoder, src_lang, tgt_lang,
                                max_bead, params))
        if score >= 0:
            links.append(Link((si[a_s],), (ti[a_t],), score))
        prev_s, prev_t = a_s + 1, a_t + 1
    return links


def _anchors(
    src_units: list[Unit],
    tgt_units: list[Unit],
    si: list[int],
    ti: list[int],
    src_emb: np.ndarray,
    tgt_emb: np.ndarray,
    src_lang: str,
    tgt_lang: str,
) -> list[tuple[int, int, float]]:
    """Label matches verified by content, reduced to the best monotone chain.

    Returns ``(position in si, position in ti, confidence)`` triples in order.
    """
    tgt_by_label: dict[tuple[str, str], int] = {}
    for pos, j in enumerate(ti):
        if _anchorable(tgt_units[j]):
            tgt_by_label.setdefault((tgt_units[j].kind, tgt_units[j].label), pos)
    src_labels = {(src_units[i].kind, src_units[i].label) for i in si
                  if _anchorable(src_units[i])}
    # Two numberings, not one: the versions share under half of either side's
    # labels of a kind (a version numbering 4 paragraphs of a few clauses each
    # against one numbering 9 of a clause each shares 4 of 9). The same numbering
    # with a label lost or a paragraph missing shares all but one or two, and a
    # two-paragraph document with one label lost still shares half. Each kind is
    # its own numbering (paragraph numbers, headings and annexes), so an annex
    # labelled alike on both sides stays an anchor.
    for kind in {k for k, _ in src_labels | tgt_by_label.keys()}:
        mine = {lab for k, lab in src_labels if k == kind}
        theirs = {lab for k, lab in tgt_by_label if k == kind}
        if 2 * len(mine & theirs) < max(len(mine), len(theirs)):
            log.debug("%s labels not anchors: %d shared of %d and %d", kind,
                      len(mine & theirs), len(mine), len(theirs))
            tgt_by_label = {key: q for key, q in tgt_by_label.items() if key[0] != kind}
    cands: list[tuple[int, int, float]] = []
    for p, i in enumerate(si):
        u = src_units[i]
        if not _anchorable(u):
            continue
        found = tgt_by_label.get((u.kind, u.label))
        if found is None:
            continue
        q = found
        sim = float(src_emb[i] @ tgt_emb[ti[q]])
        # The content must not contradict the label: a neighbouring target unit that
        # is far more similar means the numbering disagrees here.
        lo, hi = max(0, q - 3), min(len(ti), q + 4)
        best_other = max(
            (float(src_emb[i] @ tgt_emb[ti[r]]) for r in range(lo, hi) if r != q), default=-1.0
        )
        if sim < best_other - 0.15 and sim < 0.5:
            log.debug("label %s rejected as anchor (sim %.2f < %.2f)", u.label, sim, best_other)
            continue
        tokens = hard_token_agreement(u.text, tgt_units[ti[q]].text, src_lang, tgt_lang)
        conf = _anchor_confidence(sim, best_other, tokens)
        cands.append((p, q, conf))
    return _best_chain(cands)


def _anchor_confidence(sim: float, best_other: float, tokens: float | None) -> float:
    """Confidence of a label anchor: the label is strong evidence, content moderates it."""
    margin = sim - max(best_other, 0.0)
    content = 1.0 / (1.0 + np.exp(-(6.0 * (sim - 0.35) + 4.0 * margin)))
    if tokens is not None:
        content = 0.7 * content + 0.3 * tokens
    return float(round(0.5 + 0.5 * content, 4))


def _best_chain(cands: list[tuple[int, int, float]]) -> list[tuple[int, int, float]]:
    """The heaviest chain increasing in both positions (weighted LIS).

    ``cands`` are in increasing first position, with positive weights. A
    Fenwick tree over the second position gives the best chain ending below each
    candidate in O(log n), so many thousands of numbered paragraphs cost
    O(n log n) time and O(n) memory (an all-pairs search is quadratic). Ties go
    to the earliest candidate, as in the all-pairs search.
    """
    if not cands:
        return []
    n = len(cands)
    size = max(q for _, q, _ in cands) + 1
    # tree[i]: (weight, -index) of the best chain ending at a position in i's range
    none = (0.0, 1)
    tree = [none] * (size + 1)
    best = [0.0] * n
    back = [-1] * n
    k = 0
    while k < n:
        end = k
        while end < n and cands[end][0] == cands[k][0]:
            end += 1  # one first position: these must not chain to each other
        for g in range(k, end):
            top, i = none, cands[g][1]  # positions 0 .. q - 1 are tree indices 1 .. q
            while i > 0:
                top = max(top, tree[i])
                i -= i & -i
            best[g] = top[0] + cands[g][2]
            back[g] = -top[1]
        for g in range(k, end):
            i = cands[g][1] + 1
            while i <= size:
                tree[i] = max(tree[i], (best[g], -g))
                i += i & -i
        k = end
    k = int(np.argmax(best))
    chain = []
    while k >= 0:
        chain.append(cands[k])
        k = back[k]
    return chain[::-1]


def _align_gap(
    src_units: list[Unit],
    tgt_units: list[Unit],
    gap_s: Sequence[int],
    gap_t: Sequence[int],
    encoder: Encoder,
    src_lang: str,
    tgt_lang: str,
    max_bead: int,
    params: SearchParams | None = None,
) -> list[Link]:
    if not gap_s or not gap_t:
        return [Link((i,), (), 0.0) for i in gap_s] + [Link((), (j,), 0.0) for j in gap_t]
    from bitext.align.sentences import align_sentences

    inner = align_sentences(
        [src_units[i].text for i in gap_s], [tgt_units[j].text for j in gap_t], encoder,
        src_lang=src_lang, tgt_lang=tgt_lang, max_bead=max_bead, params=params,
    )
    return [Link(tuple(gap_s[k] for k in lk.src), tuple(gap_t[k] for k in lk.tgt), lk.score)
            for lk in inner]


def hard_token_agreement(a: str, b: str, a_lang: str, b_lang: str) -> float | None:
    """Dice overlap of the hard tokens (numbers, symbols, URLs, Latin words in CJK text)
    of two texts; ``None`` when neither has any (no evidence either way)."""
    from bitext.align.scoring import token_sets

    ta, tb = token_sets(a, a_lang)[0], token_sets(b, b_lang)[0]
    if not ta and not tb:
        return None
    return 2.0 * len(ta & tb) / (len(ta) + len(tb))
