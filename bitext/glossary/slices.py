"""A large zh-en memory in slices: the CC-CEDICT extractor on each, the
slices' concepts merged.

The zh-en extractor (:mod:`.extract`) keeps every candidate occurrence of its
input, so its memory grows with the input. A memory of :data:`SLICE` aligned
segments or more is cut into slices of at most that many (at document
boundaries where a document fits), each slice is extracted on its own with
the whole CC-CEDICT evidence, candidate filtering and linking, and its
occurrences are freed before the next one. The slices' concepts then merge
(:func:`merge`): the same pair of preferred terms found in several slices
adds up its co-occurrences and frequencies, its confidence is recomputed from
the summed evidence, and competitive linking runs again over the merged pairs
so each term names one concept. Peak memory is one slice's plus the merged
table, which is capped (:data:`MAX_MERGED`), whatever the memory's size.

What slicing costs: a pair is proposed only by a slice that links it, so a
pair seen fewer than :data:`bitext.glossary.candidates.RELIABLE` times in each
slice, without dictionary support, is lost even if the whole memory holds it
more often; frequencies count only the slices that linked the pair.
"""

from __future__ import annotations

import dataclasses
import itertools
import logging
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from bitext.glossary.model import Concept, Example, Term
from bitext.types import Alignment

logger = logging.getLogger(__name__)

# Aligned segments per slice, set by memory: the extractor's peak grows with
# the segments it holds (benchmarks/glossary_memory.py, 2026-12-05: 722 MiB peak
# at 9,991 units in one piece, about 310 MiB of it the start-up; 1.3 GiB
# projected at 20,000), so a slice of 10,000 bounds a run at about that. Quality
# changes little with the slice size (UN dev set, benchmarks/glossary.py --dev --cut
# --bounded N: whole 75.7/96.5, slices of 2,000 76.1/96.0, of 1,000 73.4/94.2,
# of 500 74.3/93.7 recall/precision on gold; after the day's other glossary
# changes whole 80.6/97.3, 2,000 79.7/96.2, 1,000 77.9/94.5), so memory decides.
SLICE = 10_000
# Merged concepts kept at most. Each takes about 3 KiB (measured with
# tracemalloc on the UN dev set's 10,633 uncut concepts: 1.9 KiB a concept with
# its terms and three examples, 1.3 KiB of merging state), so 2^16 take about
# 200 MiB at most; past it the half of least weight (confidence x
# co-occurrences, the pairs that rank last) is dropped. The dev set's 4,000
# segments give 10,633 concepts uncut and 5,638 at the cut: a glossary of
# 2^15 concepts is still far more than a terminologist reviews.
MAX_MERGED = 1 << 16
MAX_EXAMPLES = 3


def slices(items: Sequence[Alignment], size: int) -> list[tuple[list[Alignment], set[int]]]:
    """The alignments cut into slices of at most ``size`` aligned pairs: whole
    alignments (documents) together while they fit, a longer one cut in pieces.
    Each slice comes with the indices of the input alignments it holds."""
    out: list[tuple[list[Alignment], set[int]]] = []
    cur: list[Alignment] = []
    docs: set[int] = set()
    n = 0

    def flush() -> None:
        nonlocal cur, docs, n
        if cur:
            out.append((cur, docs))
        cur, docs, n = [], set(), 0

    for i, al in enumerate(items):
        pairs = al.pairs
        if len(pairs) <= size:
            if n + len(pairs) > size:
                flush()
            cur.append(al)
            docs.add(i)
            n += len(pairs)
            continue
        flush()
        # equal pieces, so the last is no scrap of a few segments
        k = -(-len(pairs) // size)
        bounds = [len(pairs) * j // k for j in range(k + 1)]
        out.extend(([dataclasses.replace(al, pairs=pairs[a:b])], {i})
                   for a, b in itertools.pairwise(bounds))
    flush()
    return out


@dataclass
class _Merged:
    """One pair of preferred terms across the slices that linked it."""

    best: Concept                    # the slice concept of most weight
    weight: float = 0.0              # sum of confidence x co-occurrences
    cooc: int = 0
    freq_src: int = 0
    freq_tgt: int = 0
    docs: int = 0
    slices: list[int] = field(default_factory=list)  # the slices that linked it, in order
    evidence: dict[str, float] = field(default_factory=dict)  # sums of value x cooc
    llr: float = 0.0
    # (language, case-folded text) -> (first written form, frequency): forms that
    # differ in case only are one term, as in each slice's concepts
    terms: dict[tuple[str, str], tuple[str, int]] = field(default_factory=dict)
    examples: list[Example] = field(default_factory=list)


class Merger:
    """Accumulates the concepts of the slices, one slice at a time."""

    def __init__(self, confidence: Callable[[dict[str, float]], float]) -> None:
        self.confidence = confidence
        self.table: dict[tuple[str, str], _Merged] = {}
        self.ranges: list[tuple[int, int]] = []  # each slice's first and last document

    def add(self, concepts: Sequence[Concept], docs: set[int]) -> None:
        """The concepts of one slice, which holds the input documents ``docs``
        (consecutive: :func:`slices` cuts the input in order)."""
        index = len(self.ranges)
        self.ranges.append((min(docs, default=0), max(docs, default=0)))
        for c in concepts:
            key = (c.src, c.tgt.lower())
            m = self.table.get(key)
            w = c.score * max(1, c.cooc)
            if m is None:
                m = self.table[key] = _Merged(c)
            elif w > m.best.score * max(1, m.best.cooc):
                m.best = c
            m.weight += w
            m.cooc += c.cooc
            m.freq_src += c.freq_src
            m.freq_tgt += c.freq_tgt
            m.docs += c.docs
            if not m.slices or m.slices[-1] != index:
                m.slices.append(index)
            for name, value in c.evidence:
                if name == "llr":
                    m.llr += value  # log-likelihood adds up over independent samples
                else:
                    m.evidence[name] = m.evidence.get(name, 0.0) + value * max(1, c.cooc)
            for t in c.terms:
                text, freq = m.terms.get((t.lang, t.text.casefold()), (t.text, 0))
                m.terms[(t.lang, t.text.casefold())] = (text, freq + t.freq)
            for ex in c.examples:
                if len(m.examples) < MAX_EXAMPLES and ex not in m.examples:
                    m.examples.append(ex)
        if len(self.table) > MAX_MERGED:
            keep = sorted(self.table.items(), key=lambda km: -km[1].weight)[:MAX_MERGED // 2]
            logger.info("glossary: merged table pruned to %d of %d pairs", len(keep),
                        len(self.table))
            self.table = dict(keep)

    def result(self, min_freq: int) -> list[Concept]:
        """The merged concepts, each term in one concept, best first."""
        merged = [self._concept(m) for m in self.table.values() if m.cooc >= min_freq]
        # competitive linking again: the slices may pair one term differently
        merged.sort(key=lambda c: (-c.score * max(1, c.cooc), -c.cooc, c.src, c.tgt))
        used_src: set[str] = set()
        used_tgt: set[str] = set()
        out = []
        for c in merged:
            if c.src in used_src or c.tgt.lower() in used_tgt:
                continue
            used_src.add(c.src)
            used_tgt.add(c.tgt.lower())
            out.append(c)
        out.sort(key=lambda c: (-c.rank_score, c.src, c.tgt))
        return [dataclasses.replace(c, id=f"c{n}") for n, c in enumerate(out, 1)]

    def _concept(self, m: _Merged) -> Concept:
        best = m.best
        n = max(1, m.cooc)
        evidence = {name: v / n for name, v in m.evidence.items()}
        if "dice" in evidence:
            conf = self.confidence({**evidence, "cooc": float(m.cooc)})
        else:  # a pair not scored from its statistics (a resolution's number)
            conf = best.score
        evidence["llr"] = m.llr
        # the rank's specificity factor is the best slice's (it depends on the terms only)
        base = best.score * math.log2(1 + best.cooc)
        spec = best.rank_score / base if base > 0 else 1.0
        terms = tuple(dataclasses.replace(t, freq=m.terms[(t.lang, t.text.casefold())][1])
                      for t in best.terms)
        seen = {(t.lang, t.text.casefold()) for t in terms}
        terms += tuple(Term(text, lang, "variant", "noun", f)
                       for (lang, key), (text, f) in sorted(m.terms.items())
                       if (lang, key) not in seen)
        return dataclasses.replace(
            best, terms=_src_first(terms, best.src_lang), score=round(conf, 4),
            rank_score=round(conf * math.log2(1 + m.cooc) * spec, 4), freq_src=m.freq_src,
            freq_tgt=m.freq_tgt, cooc=m.cooc,
            docs=max(1, min(m.docs, self._documents(m.slices))),
            examples=tuple(m.examples),
            evidence=tuple((k, round(v, 4)) for k, v in sorted(evidence.items())
                           if k in dict(best.evidence)))


    def _documents(self, indices: list[int]) -> int:
        """Input documents held by these slices (ascending): a document cut
        between two consecutive slices counts once."""
        total = 0
        last = -1
        for i in indices:
            lo, hi = self.ranges[i]
            total += hi - max(lo, last + 1) + 1 if hi > last else 0
            last = max(last, hi)
        return total


def _src_first(terms: tuple[Term, ...], src_lang: str) -> tuple[Term, ...]:
    """Source-language terms first, each language's order kept."""
    base = src_lang.split("-")[0].lower()
    return (tuple(t for t in terms if t.lang.split("-")[0].lower() == base)
            + tuple(t for t in terms if t.lang.split("-")[0].lower() != base))
