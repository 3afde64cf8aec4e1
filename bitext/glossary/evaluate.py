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


def _header_languages(path: str | os.PathLike[str], header: str) -> tuple[str, str]:
    """The two language columns a gold TSV's ``header`` names (``zh``/``en`` first)."""
    from bitext.languages import codes

    head = [h.strip().lower() for h in header.split("\t")]
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

    return _gold_pairs(path, list(read_lines(path)), langs)


def read_gold_file(path: str | os.PathLike[str]) -> tuple[tuple[str, str], list[GoldPair]]:
    """The languages (:func:`_header_languages`) and pairs of a gold term TSV, read
    once: a FIFO (``<(zcat gold.tsv.gz)``) cannot be opened a second time."""
    from bitext.fileio import read_lines

    lines = list(read_lines(path))
    langs = _header_languages(path, lines[0] if lines else "")
    return langs, _gold_pairs(path, lines, langs)


def _gold_pairs(path: str | os.PathLike[str], lines: list[str], langs: tuple[str, str]
                ) -> list[GoldPair]:
    """The pairs of a gold file's ``lines``; a pair counts once.

    A row that repeats an earlier one (its terms compared as the scores compare
    them, its other cells as written) is an Error: it would count twice in the
    recall. Rows that differ in another column (a third language of a list of
    several, the line a term was drawn from) but name the same pair of ``langs``
    give that pair once.
    """
    a, b = langs
    if not lines:
        raise InputError(f"{path}: empty gold file; expected a header '{a}<TAB>{b}'")
    head = [h.strip().lower() for h in lines[0].split("\t")]
    if a not in head or b not in head:
        raise InputError(f"{path}:1: the header must name '{a}' and '{b}' columns "
                         "(tab-separated)")
    zi, ei = head.index(a), head.index(b)
    pairs = []
    rows: dict[tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]], int] = {}
    seen: set[tuple[tuple[str, ...], tuple[str, ...]]] = set()
    for n, line in enumerate(lines[1:], 2):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        cells = line.split("\t")
        if max(zi, ei) >= len(cells):
            raise InputError(f"{path}:{n}: expected a '{a}' and a '{b}' column")
        zh, en = _variants(cells[zi]), _variants(cells[ei])
        if not (zh and en):
            continue
        rest = [c.strip() for i, c in enumerate(cells) if i not in (zi, ei)]
        while rest and not rest[-1]:  # "a<TAB>b<TAB>" is the row "a<TAB>b"
            rest.pop()
        row = (zh, en, tuple(rest))
        if row in rows:
            raise InputError(f"{path}:{n}: the same terms as line {rows[row]} "
                             f"({cells[zi].strip()} / {cells[ei].strip()}); a row listed "
                             "twice counts twice in the recall: remove one")
        rows[row] = n
        if (zh, en) not in seen:
            seen.add((zh, en))
            pairs.append(GoldPair(zh, en, n, f"{cells[zi].strip()}\t{cells[ei].strip()}"))
    if not pairs:
        raise InputError(f"{path}: no term pairs (no row after the header has a '{a}' and "
                         f"a '{b}' term); a gold list holds one pair a line, e.g. "
                         f"'TERM<TAB>TERM' under the header '{a}<TAB>{b}'")
    return pairs


def _variants(cell: str) -> tuple[str, ...]:
    """A gold cell's accepted variants (split at ``|``), normalised, each once."""
    return tuple(dict.fromkeys(normalize(v) for v in cell.split("|") if v.strip()))


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
    langs, gold = read_gold_file(gold_path)
    for lang in langs:
        if concepts and not any(c.terms_in(lang) for c in concepts):
            # Scored, it is 0 whatever the glossary holds: say why instead.
            have = dict.fromkeys(t.lang for c in concepts for t in c.terms)
            raise InputError(f"{pred_path}: no '{lang}' terms (its languages: "
                             f"{', '.join(have)}), while {gold_path} lists '{langs[0]}' and "
                             f"'{langs[1]}' terms; score it against a gold term list of "
                             "its languages")
    return evaluate_concepts(concepts, gold, langs)
