"""Corpus filters for MT training data, in the OpusFilter sense.

Each filter first computes a *score* for a pair (:meth:`Filter.score`), then a
*decision* applies a threshold to it (:meth:`Filter.accept`), so the scores can
be inspected and the threshold changed without recomputing them. Filters run
in the order given; a pair is removed by the first filter that rejects it, and
each filter reports how many pairs it removed.

Filters are named in a spec string, ``NAME`` or ``NAME=VALUE``:

=================  =============================================================
``min-confidence``  link confidence below VALUE (default 0.5)
``empty``           1-0 and 0-1 links (one side empty)
``length-ratio``    length ratio (UTF-8 bytes) more than VALUE times (default 3)
                    off the collection's median ratio for the language pair
``langid``          a side not in its language (script share, stop words)
``identical``       both sides the same text once spaces, digits and
                    punctuation are removed (untranslated or nothing to learn)
``dedupe``          exact duplicate pairs across the collection (first kept)
``near-dedupe``     pairs identical once case, digits, spaces and punctuation
                    are removed (first kept)
=================  =============================================================

``default`` stands for ``empty, min-confidence, length-ratio, langid,
identical, near-dedupe``. :func:`filter_pairs` runs them on a stream;
:func:`parse_filters` reads specs.
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
import os
import statistics
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

from bitext.errors import ConfigError, InputError
from bitext.tmx.base import DocPair
from bitext.types import AlignedPair

log = logging.getLogger(__name__)


@dataclass
class Filter:
    """One filter: a score per pair and a threshold on it.

    ``higher_is_better`` says which way the threshold points (OpusFilter's
    convention): a pair is kept when its score is at least ``threshold`` (or at
    most, when ``higher_is_better`` is false). ``removed`` counts rejections.
    """

    name: str
    threshold: float
    higher_is_better: bool
    scorer: Callable[[AlignedPair], float]
    removed: int = 0

    def score(self, pair: AlignedPair) -> float:
        return self.scorer(pair)

    def accept(self, score: float) -> bool:
        return score >= self.threshold if self.higher_is_better else score <= self.threshold

    def spec(self) -> str:
        return f"{self.name}={self.threshold:g}"


@dataclass
class FilterReport:
    """How many links came in, went out, and were removed by each filter (in order)."""

    seen: int = 0
    kept: int = 0
    removed: dict[str, int] = field(default_factory=dict)

    def summary(self) -> str:
        parts = ", ".join(f"{name} {n}" for name, n in self.removed.items())
        return (f"filters kept {self.kept} of {self.seen} links"
                + (f"; removed: {parts}" if parts else ""))

    def as_dict(self) -> dict[str, Any]:
        return {"seen": self.seen, "kept": self.kept, "removed": dict(self.removed)}


#: Filter names, in the order ``default`` applies them.
NAMES = ("empty", "min-confidence", "length-ratio", "langid", "identical", "dedupe",
         "near-dedupe")
DEFAULT = ("empty", "min-confidence", "length-ratio", "langid", "identical", "near-dedupe")

# Defaults, with their reasons:
# - min-confidence 0.5: the link score is a calibrated probability that the link
#   is right; below 0.5 a link is more likely wrong than right.
# - length-ratio 3: a translation's length varies around the language pair's
#   typical ratio; a pair three times longer or shorter than that typical ratio
#   is a misalignment or a partial translation far more often than a
#   legitimate paraphrase (OpusFilter's LengthRatioFilter uses 3 as well).
_DEFAULT_VALUES = {"min-confidence": 0.5, "length-ratio": 3.0}
# The values a filter can take without removing every link, by construction: a
# link's score is a probability (0-1], and length-ratio's score is how many times
# a pair's ratio is off the median ratio, 1 when on it.
_VALUE_RANGES = {"min-confidence": (0.0, 1.0, "above 0 and at most 1 (a link's score is a "
                                              "probability)"),
                 "length-ratio": (1.0, math.inf, "at least 1 (times off the median ratio; "
                                                 "1 is on it)")}


def parse_filters(specs: Iterable[str]) -> list[str]:
    """Expand and check filter specs (``default``, ``a,b``, ``name=value``);
    :class:`~bitext.errors.ConfigError` for an unknown name or a bad value."""
    out: list[str] = []
    for spec in specs:
        for part in (p.strip() for p in spec.split(",")):
            if not part:
                continue
            if part == "default":
                out.extend(n for n in DEFAULT if n not in out)
                continue
            name, eq, value = part.partition("=")
            if name not in NAMES:
                raise ConfigError(f"unknown filter {name!r}; choose from {', '.join(NAMES)} "
                                  "or 'default'")
            if eq and name not in _DEFAULT_VALUES:
                raise ConfigError(f"filter {name!r} takes no value")
            if eq and not value:  # a value forgotten, not the default asked for
                raise ConfigError(f"filter {name}: no value after '='; give one "
                                  f"({name}={_DEFAULT_VALUES[name]:g}) or leave out '=' "
                                  "for that default")
            if value:
                if name not in _DEFAULT_VALUES:
                    raise ConfigError(f"filter {name!r} takes no value")
                try:
                    number = float(value)
                except ValueError as err:
                    raise ConfigError(f"filter {name}: {value!r} is not a number") from err
                if not (number > 0 and math.isfinite(number)):
                    raise ConfigError(f"filter {name}: the value must be a positive number")
                low, high, words = _VALUE_RANGES[name]
                if not low <= number <= high:
                    raise ConfigError(f"filter {name}: the value must be {words}; "
                                      f"{value} removes every link")
            out = [o for o in out if o.partition("=")[0] != name] + [part]
    return out


def _normalised(text: str, *, fold: bool) -> str:
    import regex

    text = regex.sub(r"[\p{P}\p{S}\p{Z}\s\p{N}]+", "", text)
    return text.casefold() if fold else text


def build_filters(specs: Sequence[str], src_lang: str, tgt_lang: str,
                  pairs_for_stats: Callable[[], Iterable[AlignedPair]] | None = None
                  ) -> list[Filter]:
    """The filters of ``specs`` (checked by :func:`parse_filters`) for a language pair.

    ``length-ratio`` needs the collection's median length ratio: it is measured
    on ``pairs_for_stats()`` (one pass over the 1-1 links), 1.0 without it.
    """
    filters: list[Filter] = []
    for spec in parse_filters(specs):
        name, _, value = spec.partition("=")
        threshold = float(value) if value else _DEFAULT_VALUES.get(name, 0.0)
        filters.append(_make(name, threshold, src_lang, tgt_lang, pairs_for_stats))
    return filters


def _make(name: str, threshold: float, src_lang: str, tgt_lang: str,
          pairs_for_stats: Callable[[], Iterable[AlignedPair]] | None) -> Filter:
    if name == "min-confidence":
        return Filter(name, threshold, True, lambda p: p.score)
    if name == "empty":
        return Filter(name, 1, True, lambda p: min(len(p.src), len(p.tgt)))
    if name == "length-ratio":
        median = _median_ratio(pairs_for_stats() if pairs_for_stats else (), src_lang, tgt_lang)
        log.info("length-ratio: median %s/%s length ratio %.3f (UTF-8 bytes)", tgt_lang,
                 src_lang, median)

        def off_ratio(p: AlignedPair) -> float:
            a, b = _length(p.src_text(src_lang)), _length(p.tgt_text(tgt_lang))
            if not a or not b:
                return math.inf
            # How many times the pair's ratio is off the typical ratio, either way.
            return math.exp(abs(math.log((b / a) / median)))

        return Filter(name, threshold, False, off_ratio)
    if name == "langid":
        return Filter(name, 1, True, _langid_scorer(src_lang, tgt_lang))
    if name == "identical":
        def same(p: AlignedPair) -> float:
            a = _normalised(p.src_text(src_lang), fold=True)
            return 1.0 if a and a == _normalised(p.tgt_text(tgt_lang), fold=True) else 0.0

        return Filter(name, 0, False, same)
    if name in ("dedupe", "near-dedupe"):
        seen: set[bytes] = set()
        near = name == "near-dedupe"

        def repeat(p: AlignedPair) -> float:
            a, b = p.src_text(src_lang), p.tgt_text(tgt_lang)
            if near:
                a, b = _normalised(a, fold=True), _normalised(b, fold=True)
            key = hashlib.blake2b(f"{a}\x00{b}".encode("utf-8", "surrogatepass"),
                                  digest_size=16).digest()
            if key in seen:
                return 1.0
            seen.add(key)
            return 0.0

        return Filter(name, 0, False, repeat)
    raise ConfigError(f"unknown filter {name!r}")  # parse_filters lets none through


def _length(text: str) -> int:
    """A side's length for length-ratio: its UTF-8 bytes. A Han character (3
    bytes) carries what several Latin letters (1 byte each) do, so Latin text
    copied into a Chinese side (a name, an address, a date in figures) weighs
    what it weighs in the English side: measured in characters, such a correct
    link sat three times off the zh-en median and was removed (24 of the UN
    test set's 4,000 en-zh gold pairs in characters, 4 in bytes, each of the 4
    a misaligned pair; en-ar 3 and 2, en-es 5 and 3, en-fr 2 and 2, en-ru 6 and
    6, usertest26)."""
    return len(text.encode("utf-8", "surrogatepass"))


def _median_ratio(pairs: Iterable[AlignedPair], src_lang: str, tgt_lang: str) -> float:
    ratios = [_length(b) / _length(a) for p in pairs if p.shape == "1-1"
              if (a := p.src_text(src_lang)) and (b := p.tgt_text(tgt_lang))]
    return statistics.median(ratios) if ratios else 1.0


#: A side made only of the other side's words is judged on all its letters (an
#: untranslated copy), unless it has fewer than this many: an item letter, a
#: Roman numeral or a code's letters copied are no language. Measured on the UN
#: test set's gold pairs (usertest27): 4 keeps the last 2 of them langid removed
#: (en-ru, en-zh; 1 and 3 letters) and lets through none of the 40,000 pairs with
#: a side in the wrong language (another line's English in the target slot, or
#: the target language in the English slot); 6 lets 3 through, 10 lets 6.
_LANGID_MIN_LETTERS = 4


def _langid_scorer(src_lang: str, tgt_lang: str) -> Callable[[AlignedPair], float]:
    """1.0 when both sides are in their language, else 0.0.

    Two sides that are the same text pass (``identical`` decides on them).
    When the two languages have different scripts (zh-en), a side is judged on
    the words the other side does not also hold: a name, an address, a code or
    a title written in Latin letters in both says nothing about the Chinese
    side's language. Judged on all its letters, 13 of the UN test set's 4,000
    en-zh gold pairs were removed for them (en-ar 7, en-ru 8; after: 0, 1, 1,
    usertest27). A side made only of the other's words (an untranslated
    sentence) is judged on all its letters (see :data:`_LANGID_MIN_LETTERS`).
    It is in its language when at least the language's ``min_script_share`` of
    those letters are in its script (the threshold its language module uses to
    detect it); a side without letters (numbers, symbols) passes.

    When the scripts are the same (en-fr), shared words are not set aside: the
    stop words two sides share are the evidence that one is in the wrong
    language (setting them aside kept 3 more of the 4,000 en-es gold pairs but
    let through 713 more of 8,000 pairs with a side in the wrong language). A
    side is refused only when it shows another language
    (:func:`bitext.languages.could_be`: more of another language's stop words
    than of its own), so a heading or a date without stop words passes.
    """
    import regex

    from bitext.languages import could_be, get_language

    src, tgt = get_language(src_lang), get_language(tgt_lang)
    # A word is a run of letters of one script: Chinese writes a Latin name
    # against its Han characters without a space ("Novak先生").
    word = regex.compile(rf"\p{{{src.script}}}+|\p{{{tgt.script}}}+|[\p{{L}}\p{{M}}]+")

    by_script = src.script != tgt.script

    def own_words(text: str, other: str) -> list[str]:
        words = word.findall(text)
        if _normalised(text, fold=True) == _normalised(other, fold=True):
            return []
        if not by_script:
            return words
        shared = {w.casefold() for w in word.findall(other)}
        rest = [w for w in words if w.casefold() not in shared]
        if rest:
            return rest
        return words if sum(map(len, words)) >= _LANGID_MIN_LETTERS else []

    def side_ok(text: str, other: str, lang: Any) -> bool:
        words = own_words(text, other)
        letters = regex.findall(r"\p{L}", "".join(words))
        if not letters:
            return True
        if by_script:
            pattern = regex.compile(rf"\p{{{lang.script}}}")
            share = sum(1 for c in letters if pattern.match(c)) / len(letters)
            return share >= (lang.min_script_share or 0.5)
        return could_be(" ".join(words), lang.code)

    def score(p: AlignedPair) -> float:
        a, b = p.src_text(src_lang), p.tgt_text(tgt_lang)
        ok = side_ok(a, b, src) and side_ok(b, a, tgt)
        return 1.0 if ok else 0.0

    return score


def keep(pair: AlignedPair, filters: Sequence[Filter], report: FilterReport) -> bool:
    """Run ``pair`` through ``filters`` in order; count it in ``report``."""
    return removed_by(pair, filters, report) is None


def removed_by(pair: AlignedPair, filters: Sequence[Filter], report: FilterReport) -> str | None:
    """The name of the first of ``filters`` that rejects ``pair``, None if all keep
    it; counted in ``report``."""
    report.seen += 1
    for f in filters:
        if not f.accept(f.score(pair)):
            f.removed += 1
            report.removed[f.name] = report.removed.get(f.name, 0) + 1
            return f.name
    report.kept += 1
    return None


def filter_pairs(items: Iterable[DocPair], filters: Sequence[Filter],
                 report: FilterReport | None = None) -> Iterator[DocPair]:
    """Yield the pairs every filter accepts; count the rest in ``report``."""
    report = report if report is not None else FilterReport()
    for f in filters:
        report.removed.setdefault(f.name, 0)
    return (item for item in items if keep(item.pair, filters, report))

#: Names of the formats bitext reads or writes other than JSONL: an output named
#: so would hold JSONL under another format's name (a CAT tool fails on it later).
_OTHER_FORMATS = frozenset({".tmx", ".tbx", ".tsv", ".csv", ".txt", ".xml", ".xlf", ".xliff",
                            ".docx", ".pdf", ".html"})


def _check_output_name(output: str) -> None:
    """Refuse an output named as another format: filter writes JSONL lines."""
    suffix = PurePath(output.lower().removesuffix(".gz")).suffix
    if suffix in _OTHER_FORMATS:
        raise ConfigError(
            f"-o {output}: filter writes JSONL (the kept lines unchanged), not "
            f"{suffix[1:].upper()}; name the output .jsonl or .jsonl.gz (bitext build makes "
            "the TMX, TSV and Moses files of a collection)")


def filter_jsonl(inputs: Sequence[str], output: str, specs: Sequence[str],
                 src_lang: str | None = None, tgt_lang: str | None = None,
                 removed: str | None = None) -> FilterReport:
    """Filter JSONL link files (``bitext build``/``align`` output) into ``output``.

    Every kept line is written unchanged (all its fields, the document id
    included). The two languages are the first two keys holding sentence lists,
    unless given. ``output`` ``-`` is stdout; a name ending ``.gz`` is gzipped.
    ``removed``, if given, gets every other line with a ``"filter"`` field
    naming the filter that removed it.
    """
    from contextlib import nullcontext

    from bitext.fileio import atomic_write, replayable_lines, write_named

    _check_output_name(output)
    if removed is not None:
        _check_output_name(removed)
        if removed == output:
            raise ConfigError(f"--removed {removed}: the same file as -o; name another "
                              "(removed.jsonl)")
    for path in inputs:
        _check_kind(path)
    langs: list[tuple[str, str]] = []
    # Two passes over the inputs: stdin or a pipe is read once and kept.
    sources = [(path, replayable_lines(path)) for path in inputs]

    def lines() -> Iterator[tuple[str, DocPair]]:
        for path, read in sources:
            for n, line in enumerate(read(), 1):
                if line.strip():
                    yield line, _pair(line, f"{path}:{n}", langs, src_lang, tgt_lang)

    # One pass to learn the languages (and the median ratio), then the real one.
    first = next((p for _, p in lines()), None)
    if first is None:
        raise ConfigError(f"{', '.join(inputs)}: no links to filter")
    a, b = langs[0]
    filters = build_filters(specs, a, b, lambda: (p.pair for _, p in lines()))
    report = FilterReport()
    for f in filters:
        report.removed.setdefault(f.name, 0)
    with atomic_write(output) as out, \
            (atomic_write(removed) if removed is not None else nullcontext()) as gone:
        for line, item in lines():
            name = removed_by(item.pair, filters, report)
            if name is None:
                write_named(out, line + "\n", output)
            elif gone is not None:
                record = json.loads(line)  # _pair read it: a JSON object
                record["filter"] = name
                write_named(gone, json.dumps(record, ensure_ascii=False) + "\n", removed or "")
    return report


def _check_kind(path: str) -> None:
    """Refuse a file whose first bytes show another kind than JSONL (a TMX, a PDF,
    in any encoding), before its lines are read: as lines, a TMX in UTF-16 was
    told to be saved as UTF-8, then, saved so, that its line 1 is no JSON object.
    A stream (stdin, a FIFO) is not looked into: it can be read once only."""
    import stat

    from bitext.fileio.sniff import KIND_NAMES, by_content, read_head

    try:
        if path == "-" or not stat.S_ISREG(os.stat(path).st_mode):
            return
    except OSError:
        return  # the reader says what is wrong
    what = KIND_NAMES.get(by_content(read_head(path)) or "")
    if what:
        raise InputError(f"{path}: {what}, not JSONL links; filter reads the JSONL links "
                         "bitext writes (build's NAME.jsonl or corpus.*.jsonl, align -o "
                         "NAME.jsonl)")


def _pair(line: str, where: str, langs: list[tuple[str, str]], src_lang: str | None,
          tgt_lang: str | None) -> DocPair:
    from bitext.fileio.read import json_object
    from bitext.tmx.corpus import refuse_non_links

    obj = json_object(line, where, "give JSONL links (bitext build's corpus.*.jsonl or "
                                   "NAME.jsonl)")
    if not langs:
        refuse_non_links(obj, where)
        keys = [k for k, v in obj.items() if isinstance(v, list) and not k.endswith("_ids")]
        a, b = src_lang or (keys[0] if keys else ""), tgt_lang or (keys[1] if len(keys) > 1
                                                                   else "")
        if not a or not b:
            raise InputError(f"{where}: expected two language keys such as 'zh' and 'en'")
        langs.append((a, b))
    a, b = langs[0]
    for key in (a, b):
        # A link with no counterpart holds an empty list; no key at all is a line
        # of another pair, whose links would all be counted as empty and dropped.
        if key not in obj:
            # a build folder's glob (d/*.jsonl) takes its segments files too
            refuse_non_links(obj, where)
            held = [k for k, v in obj.items() if isinstance(v, list) and not k.endswith("_ids")]
            raise InputError(
                f"{where}: no {key!r} side (the line holds {', '.join(map(repr, held)) or 'none'}"
                f"; the links are read as {a}-{b}); filter one language pair at a time "
                "(each pair's folder of a build has its own corpus files), or name the sides "
                "with --src-lang/--tgt-lang")

    def side(key: str) -> tuple[str, ...]:
        value = obj.get(key, [])
        if isinstance(value, str):
            return (value,) if value else ()
        if not isinstance(value, list) or not all(isinstance(s, str) for s in value):
            raise InputError(f"{where}: {key!r} must be a list of sentences (strings)")
        return tuple(value)

    try:
        score = float(obj.get("score", 1.0))
    except (TypeError, ValueError) as err:
        raise InputError(f"{where}: score is not a number") from err
    if not 0.0 <= score <= 1.0:  # also NaN and 1e999 (infinity): no threshold means anything
        raise InputError(f"{where}: score {obj.get('score')!r} is not a link's confidence, "
                         "which is between 0 and 1; give the JSONL that bitext build or "
                         "align wrote, or correct the line")
    return DocPair(str(obj.get("doc", "")), AlignedPair(side(a), side(b), score,
                                                        str(obj.get("para", ""))))
