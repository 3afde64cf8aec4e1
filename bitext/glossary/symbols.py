"""Numbered instruments as concepts: 第69/196号决议 / resolution 69/196.

A resolution or decision is named by its number in both languages, so two
mentions in one aligned segment with the same number (and year, when one is
given) are the same concept: no statistics are needed, one occurrence is
proof. The number is the anchor; the words around it are each language's
usual frame (``第…号决议`` / ``resolution …``; ``第…号决定`` / ``decision …``).
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import regex

from bitext.glossary.model import Concept, Example, Term

# number: 2140, 69/196, 2015/1, with an optional year in brackets "(2014)"
_NUM = r"(\d+(?:/\d+)*)\s*(?:[(（]\s*(\d{4})\s*[)）])?"
# (the measure word 号 is now and then left out: 第1(2001)决议 is the same resolution)
_ZH = regex.compile(rf"第\s*{_NUM}\s*号?(决议|决定)")
_EN = regex.compile(rf"\b(resolution|decision)\s+{_NUM}(?![\d/])", regex.IGNORECASE)
_KIND = {"决议": "resolution", "决定": "decision"}


@dataclass
class Seen:
    """The written forms of one proven pair and the segments proving it."""

    zh: Counter[str]
    en: Counter[str]
    segs: list[int]


def symbol_concepts(zh_texts: Sequence[str], en_texts: Sequence[str], labels: Sequence[str],
                    src_lang: str, tgt_lang: str) -> list[Concept]:
    """One concept per resolution or decision number named on both sides of a segment.

    Texts are the Chinese and English sides of aligned segments (same length);
    concepts as :func:`paired_concepts` makes them.
    """
    seen: dict[tuple[str, str, str], Seen] = defaultdict(
        lambda: Seen(Counter(), Counter(), []))
    for i, (zh, en) in enumerate(zip(zh_texts, en_texts, strict=True)):
        zh_found = {(_KIND[m.group(3)], m.group(1), m.group(2) or ""): m.group(0)
                    for m in _ZH.finditer(zh)}
        en_found = {(m.group(1).lower(), m.group(2), m.group(3) or ""): m.group(0)
                    for m in _EN.finditer(en)}
        for key, zh_text in zh_found.items():
            en_text = en_found.get(key)
            if en_text is None and key[2]:
                en_text = en_found.get((key[0], key[1], ""))  # the year said on one side only
            if en_text is None:
                continue
            s = seen[key]
            s.zh[zh_text] += 1
            s.en[en_text[:1].lower() + en_text[1:]] += 1
            s.segs.append(i)
    return paired_concepts(seen.values(), zh_texts, en_texts, labels, src_lang, tgt_lang,
                           "symbol", (("number", 1.0),))


def paired_concepts(found: Iterable[Seen], zh_texts: Sequence[str], en_texts: Sequence[str],
                    labels: Sequence[str], src_lang: str, tgt_lang: str, kind: str,
                    evidence: tuple[tuple[str, float], ...]) -> list[Concept]:
    """Concepts of pairs the structure of their segments proves (a number, a
    transliterated name): every written form a term, the most frequent first (the
    others as variants), most frequent concepts first, each with the confidence of
    a proof (1) and the rank of a fully confident pair, log2(1 + segments)."""
    zh_first = src_lang.lower().startswith("zh")
    out = []
    for s in sorted(found, key=lambda s: (-len(s.segs), s.zh.most_common(1)[0][0])):
        first = s.segs[0]
        example = (Example(zh_texts[first], en_texts[first], labels[first]) if zh_first
                   else Example(en_texts[first], zh_texts[first], labels[first]))
        zh_terms = tuple(Term(text, "zh", "variant" if k else "fullForm", "noun", n)
                         for k, (text, n) in enumerate(s.zh.most_common()))
        en_terms = tuple(Term(text, "en", "variant" if k else "fullForm", "noun", n)
                         for k, (text, n) in enumerate(s.en.most_common()))
        n = len(s.segs)
        out.append(Concept(
            id="", src_lang=src_lang, tgt_lang=tgt_lang,
            terms=zh_terms + en_terms if zh_first else en_terms + zh_terms, kind=kind,
            score=1.0, rank_score=round(math.log2(1 + n), 4), freq_src=n, freq_tgt=n,
            cooc=n, examples=(example,), evidence=evidence))
    return out
