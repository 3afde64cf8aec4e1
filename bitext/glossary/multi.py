"""Multilingual concepts: the pairwise glossaries of a multilingual build joined
through the pivot.

A multilingual build aligns every language to the pivot and extracts one
glossary per pair (pivot first). A pivot term linked in two or more pairs names
one concept in all those languages: :func:`join_glossaries` joins such
concepts into one entry holding each language's terms, which the TBX writer
puts in one ``langSec`` per language. Concepts found in one pair only stay in
that pair's glossary.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence

from bitext.glossary.evaluate import normalize
from bitext.glossary.model import Concept, Term

MIN_PAIRS = 2   # a concept in one pair only is that pair's glossary, not a multilingual one


def join_glossaries(pivot: str, glossaries: Mapping[str, Sequence[Concept]]) -> list[Concept]:
    """Join each pair's concepts (``{other language: concepts of pivot-other}``) on
    their pivot term.

    Concepts are matched on the preferred pivot term (compared case-insensitively
    after :func:`~bitext.glossary.evaluate.normalize`); each pair contributes at
    most one concept to a joined entry, its best ranked. The joined concept's
    ``score`` is the lowest of its pairs' (an entry is only as sure as its
    weakest pair), its ``rank_score`` their mean, its examples those of the
    first pair; ``evidence`` holds each pair's score under the pair's name
    (``en-fr``). Entries come best ranked first, with ids ``m1``, ``m2``...
    """
    by_term: dict[str, dict[str, Concept]] = {}
    order: list[str] = []
    for lang, concepts in glossaries.items():
        for concept in concepts:
            pivot_terms = concept.terms_in(pivot)
            if not pivot_terms:
                continue
            key = normalize(pivot_terms[0].text)
            found = by_term.get(key)
            if found is None:
                found = by_term[key] = {}
                order.append(key)
            found.setdefault(lang, concept)
    joined = []
    for key in order:
        pairs = by_term[key]
        if len(pairs) < MIN_PAIRS:
            continue
        langs = list(pairs)
        first = pairs[langs[0]]
        terms: list[Term] = list(first.terms_in(pivot))
        for lang in langs:
            terms.extend(pairs[lang].terms_in(lang))
        joined.append(Concept(
            id="", src_lang=first.src_lang, tgt_lang=first.tgt_lang, terms=tuple(terms),
            kind=first.kind, score=min(c.score for c in pairs.values()),
            rank_score=round(sum(c.rank_score for c in pairs.values()) / len(pairs), 4),
            freq_src=first.freq_src, freq_tgt=first.freq_tgt, cooc=first.cooc,
            docs=max(c.docs for c in pairs.values()), examples=first.examples,
            evidence=tuple((f"{c.src_lang}-{c.tgt_lang}", c.score) for c in pairs.values())))
    joined.sort(key=lambda c: -c.rank_score)
    return [dataclasses.replace(c, id=f"m{n}") for n, c in enumerate(joined, 1)]
