"""The language layer: one module per language, looked up by code.

Every module in this package that defines ``LANGUAGE`` (a
:class:`~bitext.languages.base.Language`) is registered under its code, so
adding a seventh language means adding one file. Nothing else in bitext names
a language's words, months, abbreviations or default codes.
"""

from __future__ import annotations

import functools
import importlib
import pkgutil
from collections import Counter

from bitext.errors import ConfigError
from bitext.languages.base import Language

__all__ = [
    "Language", "alternation", "codes", "could_be", "detect", "find_language", "get_language",
    "languages", "primary_code", "union",
]


@functools.cache
def _registry() -> dict[str, Language]:
    found: dict[str, Language] = {}
    for info in pkgutil.iter_modules(__path__):
        if info.name.startswith("_") or info.name in ("base", "terms"):
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        lang = getattr(module, "LANGUAGE", None)
        if isinstance(lang, Language):
            found[lang.code] = lang
    return dict(sorted(found.items()))


def languages() -> tuple[Language, ...]:
    """Every known language, sorted by code."""
    return tuple(_registry().values())


def codes() -> tuple[str, ...]:
    """The codes of every known language, sorted (``ar``, ``en``, ...)."""
    return tuple(_registry())


@functools.cache
def _by_any_code() -> dict[str, Language]:
    found = {code: lang for lang in _registry().values() for code in lang.iso639_2}
    return {**found, **_registry()}


def primary_code(code: str) -> str:
    """The primary language subtag of a tag, lower case, as the registry names it:
    ``zh`` for ``zh_CN``, and for an ISO 639-2 code of a known language
    (``chi``, ``zho-CN``); an unknown subtag as it is, lower case."""
    subtag = code.replace("_", "-").split("-")[0].lower()
    lang = _by_any_code().get(subtag)
    return lang.code if lang is not None else subtag


def find_language(code: str) -> Language | None:
    """The language of a code or BCP 47 tag (``fr``, ``fr-CA``, ``zh_CN``, ``fra``), or
    None."""
    return _registry().get(primary_code(code))


def get_language(code: str) -> Language:
    """The language of a code or BCP 47 tag; :class:`ConfigError` when unknown."""
    lang = find_language(code)
    if lang is None:
        raise ConfigError(
            f"unknown language {code!r}; bitext knows {', '.join(codes())}"
        )
    return lang


def detect(text: str) -> str:
    """Guess the language of ``text``: its code, or ``und`` when it has no letters.

    The script decides first: each language claims a text when at least its
    ``min_script_share`` of the letters are in its script (checked from the
    smallest share up, so Chinese with many Latin symbols stays Chinese). Among
    the languages of one script, the one with the most stop-word hits wins.
    Only the first 50,000 characters are read.
    """
    sample = text[:50000]
    letters, scripts = _script_letters(sample)
    if not letters:
        return "und"
    by_script = sorted({lg.min_script_share for lg in languages() if lg.min_script_share > 0})
    for share in by_script:
        hits = [lg for lg in languages() if lg.min_script_share == share
                and scripts[lg.script] / letters > share]
        if hits:
            return max(hits, key=lambda lg: scripts[lg.script]).code
    scores = _stopword_hits(sample)
    if not scores:
        return "und"
    return max(scores, key=lambda k: scores[k])


def _script_letters(sample: str) -> tuple[int, dict[str, int]]:
    """The letters of ``sample`` (``\\p{L}``), and for each script of the known
    languages its letters (not its digits or marks).

    Counted once per distinct character (``Counter`` in C), then each script
    searched in the string of the distinct letters: a document holds a few
    thousand distinct characters among its 50,000, and searching the whole
    sample once per script took 10 ms of the bundled report's Chinese and 34 ms
    of its English (2026-12-07).
    """
    import regex

    counts = Counter(sample)
    letters = "".join(regex.findall(r"\p{L}", "".join(counts)))
    scripts = {
        script: sum(counts[ch] for ch in regex.findall(rf"\p{{{script}}}", letters))
        for script in dict.fromkeys(lang.script for lang in languages())
    }
    return sum(counts[ch] for ch in letters), scripts


def _stopword_hits(sample: str) -> dict[str, int]:
    """Stop words of each language that has no script of its own, in ``sample``."""
    import regex

    rest = [lg for lg in languages() if lg.min_script_share == 0]
    words = [w.lower() for w in regex.findall(r"\p{L}+", sample)]
    return {lg.code: sum(1 for w in words if w in lg.stopwords) for lg in rest}


def could_be(text: str, code: str) -> bool:
    """False only when ``text`` shows it is in another language than ``code``.

    :func:`detect` always names a language, and among the languages of one
    script it names the first when no stop word decides (a heading, a date, a
    short sentence). Here such a text may be in ``code``: it is refused when its
    letters are in another language's script, or when another language of
    ``code``'s script has more stop words in it than ``code`` has.
    """
    found = detect(text)
    if found in (code, "und"):
        return True
    lang, other = get_language(code), get_language(found)
    if lang.script != other.script:
        return False
    scores = _stopword_hits(text[:50000])
    return scores.get(code, 0) >= scores.get(found, 0)


def union(attr: str) -> tuple[str, ...]:
    """Every language's entries of a word-list or pattern field, without repeats,
    in registry order: ``union("months")``. Structure and furniture rules use the
    union, because a document in one language carries lines in another (the
    English masthead of a Russian document)."""
    seen: dict[str, None] = {}
    for lg in languages():
        value = getattr(lg, attr)
        for item in (value,) if isinstance(value, str) else value:
            if item:
                seen.setdefault(item, None)
    return tuple(seen)


def alternation(attr: str) -> str:
    """:func:`union` of a field as one regular-expression alternation. Word
    lists are escaped; fields that hold patterns (``*_pattern``, ``masthead_words``,
    ``recycle``) are used as they are. Longer entries come first."""
    import regex

    raw = attr.endswith("_pattern") or attr in ("masthead_words", "recycle")
    items = sorted(union(attr), key=len, reverse=True)
    return "|".join(item if raw else regex.escape(item) for item in items)
