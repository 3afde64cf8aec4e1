"""Sentence segmentation for UN text in Chinese and English (and other Latin-script languages).

Chinese: a sentence ends after 。！？ (and ！？ in half width), together with any
closing quotes or brackets right after it; never at ；or ：.

English: a sentence ends at . ! ? (plus closing quotes/brackets) followed by a
space and something that can start a sentence (a capital, a digit, an opening
quote or bracket), unless the period belongs to an abbreviation UN documents use
(No., para., art., e.g., Mr., Corr., ...), an initial (J. Smith), a decimal
number or a document symbol (those contain no space, so they never split).
"""

from __future__ import annotations

import regex

from bitext.types import is_cjk_lang

_ZH_END = regex.compile(r"[。！？!?]+[”’」』）)】》\"']*|…{2,}[”’」』）)]*(?=\S)")

#: Abbreviations after which a period does not end a sentence (lower-cased, no final period).
ABBREVIATIONS = frozenset({
    "no", "nos", "para", "paras", "art", "arts", "doc", "docs", "e.g", "i.e", "mr", "mrs", "ms",
    "dr", "prof", "u.n", "corr", "rev", "add", "vol", "vols", "p", "pp", "ch", "chap", "sect",
    "sec", "fig", "figs", "cf", "approx", "viz", "vs", "st", "jr", "sr", "gen", "col", "lt",
    "sgt", "capt", "rt", "hon", "amb", "h.e", "messrs", "mmes", "mme", "mlle", "m", "dept",
    "govt", "inc", "ltd", "co", "corp", "annex", "ibid", "op", "cit", "seq", "al",
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
})

#: Nouns followed by a one-letter name (section B, annex I): that letter is no initial.
_PART_NOUNS = frozenset({
    "section", "sections", "sect", "chapter", "chapters", "chap", "part", "parts", "annex",
    "annexes", "appendix", "category", "categories", "group", "table", "figure", "option",
    "schedule", "article", "volume", "vol", "title", "phase", "level", "list", "component",
    "subprogramme", "programme", "cluster", "pillar", "goal", "model", "type", "class",
})

_EN_CANDIDATE = regex.compile(r"[.!?]+[\"'”’)\]]*(?=\s+[\"'“‘(\[]?[\p{Lu}\d])")


def split_sentences(text: str, lang: str) -> list[str]:
    """Split one paragraph of clean text into sentences (stripped, non-empty)."""
    text = text.strip()
    if not text:
        return []
    if is_cjk_lang(lang):
        return _split_zh(text)
    return _split_latin(text)


def _split_zh(text: str) -> list[str]:
    out: list[str] = []
    pos = 0
    for m in _ZH_END.finditer(text):
        end = m.end()
        if end >= len(text):
            break
        out.append(text[pos:end].strip())
        pos = end
    out.append(text[pos:].strip())
    return [s for s in out if s]


def _split_latin(text: str) -> list[str]:
    out: list[str] = []
    pos = 0
    for m in _EN_CANDIDATE.finditer(text):
        if _is_abbreviation(text, m.start(), m.group(0)):
            continue
        out.append(text[pos:m.end()].strip())
        pos = m.end()
    out.append(text[pos:].strip())
    return [s for s in out if s]


def _is_abbreviation(text: str, dot: int, punct: str) -> bool:
    if not punct.startswith("."):
        return False
    start = max(text.rfind(" ", 0, dot), text.rfind("(", 0, dot)) + 1
    word = text[start:dot]
    if not word:
        return False
    low = word.lower().lstrip("(\"'“‘")
    if low in ABBREVIATIONS:
        return True
    if regex.fullmatch(r"\p{Lu}", word):
        # an initial (J. Smith), unless it names a part: "chapter I, section B."
        before = text[:start].rstrip(" ,").rsplit(None, 1)
        return not (before and before[-1].lower().rstrip(".") in _PART_NOUNS)
    # letters with inner periods: U.S., e.g. written without the final one
    return bool(regex.fullmatch(r"(?:\p{L}\.)+\p{L}", word))
