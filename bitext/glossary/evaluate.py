"""Score an extracted glossary against a gold term list.

The gold list is a TSV with a header naming two language columns (``zh`` and
``en``; ``en`` and ``fr``...); accepted variants of a term are separated by
`` | `` (in either column). A gold pair is *found* when one output concept has a
term of the first language equal to one of the pair's variants in that language
and a term of the second language equal to one of its variants there.

* ``recall``: found gold pairs / gold pairs;
* ``precision_on_gold``: of the output concepts with a term of the first
  language that is a gold term (Chinese in the zh-en gold, the non-English
  side in en-X golds: see ``key``), the share that carries an accepted term of
  the other language for it.

Matching is case-insensitive after a light normalisation: Unicode NFKC,
typographic quotes and dashes folded, hyphens as spaces, a leading "the"
dropped, 《》 and outer punctuation removed, whitespace collapsed. Plural and
singular are *not* merged: the output is expected to list the forms it saw.
"""

from __future__ import annotations

import os
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import regex

from bitext import __version__
from bitext.errors import InputError
from bitext.glossary.formats import read_glossary
from bitext.glossary.model import Concept

# typographic quotes and dashes -> ASCII
_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"',
                         "\u2013": "-", "\u2014": "-", "\u2011": "-", "\u2010": "-"})
_EDGE = regex.compile(r"^[\p{P}\p{Z}\s]+|[\p{P}\p{Z}\s]+$")


def normalize(term: str) -> str:
    """The comparison form of a term (see the module docstring)."""
    text = unicodedata.normalize("NFKC", term).translate(_QUOTES).casefold()
    text = text.replace("《", " ").replace("》", " ").replace("-", " ")
    text = _EDGE.sub("", text)
    text = " ".join(text.split())
    if text.startswith("the "):
        text = text[4:]
    if regex.search(r"\p{Han}", text):
        text = regex.sub(r"(?<=\p{Han})\s+(?=\p{Han})", "", text)
    return text


@dataclass(frozen=True)
class GoldPair:
    """One gold pair: the normalised accepted variants of each language."""

    src: tuple[str, ...]   # the gold file's first language (``langs[0]``)
    tgt: tuple[str, ...]
    line: int
    display: str

    @property
    def zh(self) -> tuple[str, ...]:
        """The first language's variants (Chinese in the zh-en gold)."""
        return self.src

    @property
    def en(self) -> tuple[str, ...]:
        """The second language's variants (English in the zh-en gold)."""
        return self.tgt


def gold_languages(path: str | os.PathLike[str]) -> tuple[str, str]:
    """The two language columns a gold TSV's header names (``zh``/``en`` first)."""
    from bitext.fileio import read_lines
    from bitext.languages import codes

    lines = read_lines(path)  # gzip, BOM, bounded lines, one Error naming the line
    try:
        head = [h.strip().lower() for h in next(lines, "").split("\t")]
    finally:
        lines.close()
    if "zh" in head and "en" in head:
        return "zh", "en"
    langs = [h for h in head if h in codes()]
    if len(langs) < 2:
        raise InputError(f"{path}:1: the header must name two language columns such as "
                         "'zh' and 'en' (tab-separated)")
    return langs[0], langs[1]


def read_gold(path: str | os.PathLike[str], langs: tuple[str, str] = ("zh", "en")
              ) -> list[GoldPair]:
    """Read a gold term TSV (header naming the ``langs`` columns; variants after `` | ``)."""
    from bitext.fileio import read_lines

    lines = list(read_lines(path))
    a, b = langs
    if not lines:
        raise InputError(f"{path}: empty gold file; expected a header '{a}<TAB>{b}'")
    head = [h.strip().lower() for h in lines[0].split("\t")]
    if a not in head or b not in head:
        raise InputError(f"{path}:1: the header must name '{a}' and '{b}' columns "
                         "(tab-separated)")
    zi, ei = head.index(a), head.index(b)
    pairs = []
    for n, line in enumerate(lines[1:], 2):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        cells = line.split("\t")
        if max(zi, ei) >= len(cells):
            raise InputError(f"{path}:{n}: expected a '{a}' and a '{b}' column")
        zh = tuple(dict.fromkeys(normalize(v) for v in cells[zi].split("|") if v.strip()))
        en = tuple(dict.fromkeys(normalize(v) for v in cells[ei].split("|") if v.strip()))
        if zh and en:
            pairs.append(GoldPair(zh, en, n, f"{cells[zi].strip()}\t{cells[ei].strip()}"))
    return pairs


def evaluate_concepts(concepts: Sequence[Concept], gold: Sequence[GoldPair],
                      langs: tuple[str, str] = ("zh", "en")) -> dict[str, Any]:
    """Recall and precision-on-gold of ``concepts`` (see the module docstring).

    ``langs`` are the gold's two languages, in its column order. Precision is
    keyed on the language that is not English (the side whose term a
    terminologist looks up to find the English one), the first one otherwise.
    """
    key = 1 if langs[0] == "en" and langs[1] != "en" else 0
    zh_sets = [{normalize(t.text) for t in c.terms_in(langs[0])} for c in concepts]
    en_sets = [{normalize(t.text) for t in c.terms_in(langs[1])} for c in concepts]
    if key:  # key the precision on the other language: swap the sides
        zh_sets, en_sets = en_sets, zh_sets
        gold = [GoldPair(g.tgt, g.src, g.line, g.display) for g in gold]
    found = 0
    missing: list[str] = []
    for g in gold:
        if any(set(g.zh) & zs and set(g.en) & es
               for zs, es in zip(zh_sets, en_sets, strict=True)):
            found += 1
        else:
            missing.append(g.display)
    accepted: dict[str, set[str]] = {}
    for g in gold:
        for z in g.zh:
            accepted.setdefault(z, set()).update(g.en)
    on_gold = correct = 0
    wrong: list[str] = []
    for c, zs, es in zip(concepts, zh_sets, en_sets, strict=True):
        hits = [z for z in zs if z in accepted]
        if not hits:
            continue
        on_gold += 1
        ok = set().union(*(accepted[z] for z in hits))
        if es & ok:
            correct += 1
        else:
            wrong.append(f"{c.src}\t{c.tgt}")
    return {
        "recall": found / len(gold) if gold else 0.0,
        "precision_on_gold": correct / on_gold if on_gold else 0.0,
        "gold_pairs": len(gold),
        "found": found,
        "concepts": len(concepts),
        "on_gold": on_gold,
        "correct_on_gold": correct,
        "missing": missing,
        "wrong": wrong,
        "signature": f"bitext:{__version__}|glossary-eval|match:light-norm,case-insensitive",
    }


def evaluate_glossary(pred_path: str | os.PathLike[str], gold_path: str | os.PathLike[str],
                      *, fmt: str | None = None, top: int | None = None) -> dict[str, Any]:
    """Score a glossary file (TBX, CSV or TSV) against a gold term TSV.

    ``top`` scores only the first ``top`` concepts of the file (files are best first).
    """
    concepts = read_glossary(pred_path, fmt)
    if top is not None:
        concepts = concepts[:top]
    langs = gold_languages(gold_path)
    return evaluate_concepts(concepts, read_gold(gold_path, langs), langs)
