"""Bilingual term extraction from a sentence alignment.

The data flow:

1. **Candidates** on each side of every aligned segment (:mod:`.chinese`,
   :mod:`.english`) with their occurrences. Keys that are never terms of their
   own are dropped: modifiers (技术, "regional"), strings always nested in one
   longer candidate (C-value), cut-off parts of names, coordinations of two
   terms, Chinese strings straddling a frequent term.
2. **Variants** merged into classes: English keys merge case and number;
   ``HEAD of MOD`` / ``MOD HEAD`` inversions and acronyms or short names with
   the long forms the text defines join; Chinese short forms defined in
   parentheses join their full form.
3. **Association** of every Chinese class with the English classes of its
   segments: Dice (replaced by the plain count below :data:`RELIABLE`
   co-occurrences), log-likelihood (reported), CC-CEDICT coverage of both terms
   with one English word per Chinese word, a length prior and, if an encoder
   is given, the cosine similarity of the two terms. Pairs seen fewer than
   RELIABLE times also need dictionary evidence and a noun-like shape.
4. **Competitive linking**: best pairs first, each term at most once, nesting
   consistent with the pairs already accepted (a Chinese term inside another
   has its English inside the other's English); a longer Chinese term that
   co-occurs more consistently with the same English wins over its part.
5. **Attachment**: Chinese synonyms and longer full forms, and longer English
   forms, that (nearly) always come with a linked pair join its concept.
6. **Fragments** (never outside a longer linked term that is at least as
   confident) are dropped; the rest is ranked by confidence x log2(1 +
   co-occurrences) x specificity (general single words rank lower).

An input of more than :data:`bitext.glossary.slices.SLICE` segments (a large
translation memory) goes through these steps a slice at a time, and the
slices' concepts are merged (:mod:`.slices`): memory stays bounded.

No step knows anything about a particular document: no term lists, no
per-corpus constants. The weights below are round numbers chosen a priori.
Iteration orders are fixed, so the same input gives the same glossary.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Iterable

from bitext.errors import ConfigError
from bitext.glossary.candidates import segments_of
from bitext.glossary.cedict import load_dictionary
from bitext.glossary.evidence import (
    WEIGHTS,
    WEIGHTS_ENCODER,
    Encoder,
    _add_embeddings,
    _confidence,
    _Pair,
)
from bitext.glossary.link import _State
from bitext.glossary.model import Concept
from bitext.glossary.persons import person_concepts
from bitext.glossary.rank import TERM_COSINE, make_concepts
from bitext.glossary.slices import SLICE, Merger, slices
from bitext.glossary.symbols import symbol_concepts
from bitext.types import Alignment

logger = logging.getLogger(__name__)

__all__ = ["Encoder", "extract_glossary"]

def extract_glossary(alignment: Alignment | Iterable[Alignment], *, encoder: Encoder | None = None,
                     min_freq: int = 1, top: int | None = None,
                     slice_size: int | None = None) -> list[Concept]:
    """Extract a ranked list of bilingual concepts from sentence alignments.

    ``min_freq`` is the least number of aligned segments in which both terms of a
    concept occur together. The default, 1, also pairs terms seen once, but only
    on dictionary evidence: a single report names most of its terms once or
    twice, and a terminologist wants them; raise it for large corpora.
    ``encoder`` (optional) adds the cosine similarity of the two term strings to
    the evidence. ``top`` keeps only the best concepts. Concepts come best first,
    with ids ``c1``, ``c2``...

    A zh-en input of more than ``slice_size`` aligned segments (default
    :data:`bitext.glossary.slices.SLICE`) is extracted a slice at a time and the
    slices' concepts merged (:mod:`.slices`), so memory stays bounded.
    """
    if min_freq < 1:
        raise ConfigError(f"--min-freq must be at least 1, got {min_freq}")
    if top is not None and top < 1:
        raise ConfigError(f"--top must be at least 1, got {top}")
    items = [alignment] if isinstance(alignment, Alignment) else list(alignment)
    if streamed(items):
        # every other pair: association, cognates and embeddings, streamed in
        # bounded memory
        from bitext.glossary.pairwise import extract_pairwise

        concepts = extract_pairwise(items, encoder=encoder, min_freq=min_freq)
        return concepts[:top] if top is not None else concepts
    size = SLICE if slice_size is None else slice_size
    if size < 1:
        raise ConfigError(f"slice size must be at least 1 segment, got {size}")
    if sum(len(al.pairs) for al in items) <= size:
        concepts = _extract_zh_en(items, encoder, min_freq)
    else:
        concepts = _extract_sliced(items, encoder, min_freq, size)
    if top is not None:
        concepts = concepts[:top]
    return concepts


def _extract_sliced(items: list[Alignment], encoder: Encoder | None, min_freq: int,
                    size: int) -> list[Concept]:
    """A large zh-en input a slice of at most ``size`` segments at a time (see
    :mod:`.slices`): each slice's occurrences are freed before the next."""
    weights = WEIGHTS_ENCODER if encoder is not None else WEIGHTS
    merger = Merger(lambda ev: _confidence(ev, weights))
    parts = slices(items, size)
    for n, (part, docs) in enumerate(parts, 1):
        logger.info("glossary: slice %d of %d (%d segments)", n, len(parts),
                    sum(len(al.pairs) for al in part))
        merger.add(_extract_zh_en(part, encoder, 1), docs)
    concepts = merger.result(min_freq)
    logger.info("glossary: %d concepts merged from %d slices", len(concepts), len(parts))
    return concepts


def _extract_zh_en(items: list[Alignment], encoder: Encoder | None, min_freq: int
                   ) -> list[Concept]:
    """The CC-CEDICT extractor on alignments held whole (every occurrence kept)."""
    return extract_traced(items, encoder, min_freq)[0]


def extract_traced(items: list[Alignment], encoder: Encoder | None, min_freq: int
                   ) -> tuple[list[Concept], _State | None, list[_Pair], dict[str, _Pair]]:
    """:func:`_extract_zh_en` with its intermediate state: the concepts, the
    candidates and classes (``_State``), every proposal and the linked pairs
    (what ``benchmarks/glossary.py --stages`` reads to say where a term is lost)."""
    segs, src_lang, tgt_lang = segments_of(items)
    if not segs:
        return [], None, [], {}
    dictionary = load_dictionary()
    st = _State(segs, dictionary, min_freq)
    st.collect()
    logger.info("glossary: %d segments, %d Chinese and %d English candidates",
                len(segs), len(st.zh_entries), len(st.en_entries))
    st.build_classes()
    proposals = st.propose()
    if encoder is not None and proposals:
        _add_embeddings(encoder, proposals, st.zh_entries, st.en_classes, st.en_entries)
    # a pair no dictionary word explains, proposed on co-occurrence alone, stays
    # only with the cosine of a right pair (TERM_COSINE): without the encoder
    # nothing vouches for it
    proposals = [p for p in proposals if (p.zh, p.en) not in st.unexplained
                 or p.evidence.get("embedding", 0.0) >= TERM_COSINE]
    weights = WEIGHTS_ENCODER if encoder is not None else WEIGHTS
    for p in proposals:
        p.conf = _confidence(p.evidence, weights)
    linked = st.link(proposals)
    st.attach_synonyms(proposals, linked)
    st.add_llr(linked.values())
    concepts = make_concepts(st, linked, src_lang, tgt_lang, None)
    texts = ([s.zh for s in segs], [s.en for s in segs], [s.label for s in segs])
    symbols = (symbol_concepts(*texts, src_lang, tgt_lang)
               + person_concepts(*texts, src_lang, tgt_lang, dictionary))
    if symbols:
        # a numbered resolution, a transliterated name is one concept, whatever
        # the statistics paired
        taken = {t.text for c in symbols for t in c.terms}
        concepts = [c for c in concepts if not any(t.text in taken for t in c.terms)]
        concepts = sorted(concepts + symbols, key=lambda c: -c.rank_score)
        concepts = [dataclasses.replace(c, id=f"c{n}") for n, c in enumerate(concepts, 1)]
    logger.info("glossary: %d concepts (%d pairs linked)", len(concepts), len(linked))
    return concepts, st, proposals, linked


def streamed(items: list[Alignment]) -> bool:
    """Whether these alignments go to the streamed extractor (:mod:`.pairwise`):
    every pair but zh-en (zh-en, of any size, has CC-CEDICT: large inputs in
    slices, :mod:`.slices`)."""
    return bool(items) and not _zh_en(items[0])


def _zh_en(alignment: Alignment) -> bool:
    """Whether the alignment pairs Chinese with English (the CC-CEDICT extractor)."""
    langs = {alignment.src_lang.split("-")[0].lower(), alignment.tgt_lang.split("-")[0].lower()}
    return langs == {"zh", "en"}

