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
from collections.abc import Sequence
from dataclasses import dataclass

import regex

from bitext.glossary.model import Concept, Example, Term

# number: 2140, 69/196, 2015/1, with an optional year in brackets "(2014)"
_NUM = r"(\d+(?:/\d+)*)\s*(?:[(（]\s*(\d{4})\s*[)）])?"
_ZH = regex.compile(rf"第\s*{_NUM}\s*号(决议|决定)")
_EN = regex.compile(rf"\b(resolution|decision)\s+{_NUM}(?![\d/])", regex.IGNORECASE)
_KIND = {"决议": "resolution", "决定": "decision"}


@dataclass
class _Seen:
    zh: Counter[str]
    en: Counter[str]
    segs: list[int]


def symbol_concepts(zh_texts: Sequence[str], en_texts: Sequence[str], labels: Sequence[str],
                    src_lang: str, tgt_lang: str) -> list[Concept]:
    """One concept per resolution or decision number named on both sides of a segment.

    Texts are the Chinese and English sides of aligned segments (same length).
    Concepts come most frequent first; ``rank_score`` is log2(1 + segments), the
    rank of a fully confident pair (confidence 1) in :mod:`.rank`.
    """
    seen: dict[tuple[str, str, str], _Seen] = defaultdict(
        lambda: _Seen(Counter(), Counter(), []))
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
    zh_first = src_lang.lower().startswith("zh")
    out = []
    for _key, s in sorted(seen.items(), key=lambda ks: (-len(ks[1].segs), ks[0])):
        zh_term, n_zh = s.zh.most_common(1)[0]
        en_term, n_en = s.en.most_common(1)[0]
        first = s.segs[0]
        example = (Example(zh_texts[first], en_texts[first], labels[first]) if zh_first
                   else Example(en_texts[first], zh_texts[first], labels[first]))
        zt = Term(zh_term, "zh", "fullForm", "noun", n_zh)
        et = Term(en_term, "en", "fullForm", "noun", n_en)
        n = len(s.segs)
        out.append(Concept(
            id="", src_lang=src_lang, tgt_lang=tgt_lang,
            terms=(zt, et) if zh_first else (et, zt), kind="symbol", score=1.0,
            rank_score=round(math.log2(1 + n), 4), freq_src=n, freq_tgt=n, cooc=n,
            examples=(example,), evidence=(("number", 1.0),)))
    return out
