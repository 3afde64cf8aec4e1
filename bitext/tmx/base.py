"""What every exporter shares: input handling, options, cleaning, filtering, counts.

An exporter receives an :class:`~bitext.types.Alignment`, or a stream of pairs
(:class:`~bitext.types.AlignedPair` or :class:`DocPair` when the document varies
from pair to pair, as in a merged memory) plus the languages. :func:`prepare`
turns that into :class:`Entry` s, one per unit to write, already cleaned and
filtered, so a writer only serialises. Nothing is materialised: 100,000 units
stream through in constant memory (apart from the set of hashes ``dedupe`` keeps,
16 bytes per unit).

Every format orders the two sides the same way: the *source* language first.
That is English by default whenever English is one of the two languages, because
UN documents are mostly drafted in English and translated from it; for any
other pair it is the alignment's source (the command line's SRC). ``srclang``
changes it. Bead shapes (``1-2``) and index
beads (``[3]:[4, 5]``) in the outputs are in that same order.
"""

from __future__ import annotations

import hashlib
import logging
import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Literal, NamedTuple, TypedDict, Unpack

from bitext.errors import ConfigError
from bitext.tmx.text import (
    default_code,
    lang_matches,
    normalise_lang,
    primary,
    replace_breaks,
    replace_forbidden,
)
from bitext.types import (
    AlignedPair,
    Alignment,
    bead_text,
    join_sentences,
    parse_bead_text,
    shape_text,
)

log = logging.getLogger(__name__)

#: The language written first by default when a pair contains it: most UN
#: documents are drafted in English and translated from it.
PIVOT = "en"

Level = Literal["sentence", "paragraph"]


class DocPair(NamedTuple):
    """An aligned pair with the document it comes from (for multi-document streams)."""

    doc_id: str
    pair: AlignedPair


PairStream = Iterable[AlignedPair | DocPair]
Source = Alignment | PairStream


@dataclass(frozen=True)
class ExportOptions:
    """Settings every exporter honours.

    ``min_score``: keep only links whose score is >= it. ``dedupe``: write each
    identical (source text, target text) pair once, the first time it occurs.
    ``srclang``: which side comes first (``en``, ``zh``, a full code, or ``*all*``
    for the alignment's own order with a TMX header ``srclang="*all*"``); by
    default English when it is one of the two languages, else the alignment's source.
    ``src_code`` / ``tgt_code``: BCP 47 codes for the alignment's ``src_lang`` /
    ``tgt_lang`` sides (default: each language's code from the language layer,
    ``zh-CN``, ``en-GB``, ``fr-FR``...). ``keep_empty``: also write
    links with an empty side (1-0, 0-1); ``None`` means the format's default.
    """

    min_score: float | None = None
    dedupe: bool = False
    srclang: str | None = None
    src_code: str | None = None
    tgt_code: str | None = None
    keep_empty: bool | None = None


@dataclass
class ExportStats:
    """What an exporter wrote and what it left out, for the log and the CLI."""

    path: str
    format: str
    written: int = 0
    empty: int = 0
    below_min_score: int = 0
    duplicates: int = 0
    replaced_chars: int = 0
    replaced_breaks: int = 0

    def summary(self) -> str:
        skipped = [
            f"{n} {what}"
            for n, what in (
                (self.empty, "with an empty side (1-0/0-1)"),
                (self.below_min_score, "below min_score"),
                (self.duplicates, "duplicates"),
            )
            if n
        ]
        text = f"wrote {self.written} units to {self.path} ({self.format})"
        return text + (f"; left out {', '.join(skipped)}" if skipped else "")


@dataclass(frozen=True)
class Meta:
    """The alignment-level facts an exporter needs besides the pairs."""

    src_lang: str
    tgt_lang: str
    level: Level = "sentence"
    signature: dict[str, str] = field(default_factory=dict)
    doc_id: str = ""


@dataclass(frozen=True)
class Layout:
    """Which side is written first, and under which codes.

    ``first``/``second`` are BCP 47 codes in output order; ``swap`` is true when
    the alignment's target side comes first; ``header_srclang`` is what a TMX
    header says (``first`` or ``*all*``).
    """

    first: str
    second: str
    swap: bool
    header_srclang: str

    def keys(self) -> tuple[str, str]:
        """Short names for the two sides (``en``, ``zh``), full codes if they clash."""
        a, b = primary(self.first), primary(self.second)
        return (a, b) if a != b else (self.first, self.second)


@dataclass(frozen=True)
class Entry:
    """One unit ready to serialise, sides in output order, text cleaned and trimmed.

    ``src``/``tgt`` are the cleaned sentences (empty ones dropped); ``src_text`` /
    ``tgt_text`` their join. ``src_ids``/``tgt_ids`` are the sentence indices
    from the alignment.
    """

    doc_id: str
    label: str
    score: float
    src: tuple[str, ...]
    tgt: tuple[str, ...]
    src_text: str
    tgt_text: str
    src_ids: tuple[int, ...]
    tgt_ids: tuple[int, ...]
    #: The aligner's SRC and TGT languages, whatever the output order.
    order: tuple[str, str] = ("", "")
    #: True when the output's first side is the aligner's TGT.
    swapped: bool = False

    @property
    def shape(self) -> str:
        """The shape named by language, the aligner's SRC first (``zh2-en1``):
        :func:`bitext.types.shape_text`; bare ``2-1`` when the languages are unknown."""
        n1, n2 = len(self.src), len(self.tgt)
        if self.swapped:
            n1, n2 = n2, n1
        if not all(self.order):
            return f"{n1}-{n2}"
        return shape_text(self.order[0], n1, self.order[1], n2)

    def bead(self) -> str:
        """Index bead, the aligner's SRC indices first (``[3]:[4, 5]``), or ``""``
        when the pair carries no indices."""
        if not self.src_ids and not self.tgt_ids:
            return ""
        if self.swapped:
            return bead_text(self.tgt_ids, self.src_ids)
        return bead_text(self.src_ids, self.tgt_ids)


def open_source(
    data: Source,
    *,
    src_lang: str | None = None,
    tgt_lang: str | None = None,
    level: Level | None = None,
    signature: dict[str, str] | None = None,
    doc_id: str | None = None,
) -> tuple[Meta, Iterator[DocPair]]:
    """Split the input into its metadata and a stream of :class:`DocPair` s.

    Keyword values override an Alignment's own; for a bare stream ``src_lang``
    and ``tgt_lang`` are required.
    """
    if isinstance(data, Alignment):
        meta = Meta(
            src_lang=src_lang or data.src_lang,
            tgt_lang=tgt_lang or data.tgt_lang,
            level=level or data.level,
            signature=dict(data.signature if signature is None else signature),
            doc_id=data.doc_id if doc_id is None else doc_id,
        )
        pairs: PairStream = data.pairs
    else:
        if not src_lang or not tgt_lang:
            raise ConfigError(
                "a stream of pairs needs src_lang and tgt_lang (for example 'zh' and 'en')"
            )
        meta = Meta(src_lang, tgt_lang, level or "sentence", dict(signature or {}), doc_id or "")
        pairs = data
    if meta.level not in ("sentence", "paragraph"):
        raise ConfigError(f"level must be 'sentence' or 'paragraph', not {meta.level!r}")

    def stream() -> Iterator[DocPair]:
        for item in pairs:
            if isinstance(item, AlignedPair):
                yield DocPair(meta.doc_id, item)
            else:
                yield item

    return meta, stream()


def side_codes(src_lang: str, tgt_lang: str, src_code: str | None = None,
               tgt_code: str | None = None) -> tuple[str, str]:
    """The codes written for the two sides: the ones given, else each language's own.

    Raises :class:`ConfigError` for ``*all*`` and for one code on both sides: it
    names each side's Moses file (one side's file replaced the other's), its TMX
    ``xml:lang`` and its TSV column. A command checks it before any work."""
    src = normalise_lang(src_code) if src_code else default_code(src_lang)
    tgt = normalise_lang(tgt_code) if tgt_code else default_code(tgt_lang)
    for name, code in (("src_code", src), ("tgt_code", tgt)):
        if code == "*all*":
            raise ConfigError(f"{name} cannot be *all*; give a language code such as zh-CN")
    if src.lower() == tgt.lower():
        raise ConfigError(f"both sides would be written as {src}: the code names each side's "
                          "Moses file, TMX xml:lang and TSV column; give each side its own "
                          "code with --src-code/--tgt-code (e.g. zh-CN and zh-TW)")
    return src, tgt


def resolve_layout(meta: Meta, options: ExportOptions) -> Layout:
    """Decide the output order and codes from the languages and the options."""
    src_code, tgt_code = side_codes(meta.src_lang, meta.tgt_lang, options.src_code,
                                    options.tgt_code)
    wanted = options.srclang
    if wanted is None:
        # English first when present: the language UN documents are drafted in
        swap = primary(meta.tgt_lang) == PIVOT and primary(meta.src_lang) != PIVOT
        first, second = (tgt_code, src_code) if swap else (src_code, tgt_code)
        return Layout(first, second, swap, first)
    if normalise_lang(wanted) == "*all*":
        return Layout(src_code, tgt_code, False, "*all*")

    def score(lang: str, code: str) -> int:
        return max(lang_matches(code, wanted), lang_matches(lang, wanted))

    s, t = score(meta.src_lang, src_code), score(meta.tgt_lang, tgt_code)
    if s == 0 and t == 0:
        raise ConfigError(
            f"srclang {wanted!r} is neither side's language ({src_code}, {tgt_code}); "
            f"use one of them or *all*"
        )
    swap = t > s
    first, second = (tgt_code, src_code) if swap else (src_code, tgt_code)
    return Layout(first, second, swap, first)


def _clean_side(
    sentences: tuple[str, ...], line_safe: bool, stats: ExportStats
) -> tuple[str, ...]:
    out = []
    for sentence in sentences:
        text, n = replace_forbidden(sentence)
        stats.replaced_chars += n
        if line_safe:
            text, n = replace_breaks(text)
            stats.replaced_breaks += n
        text = text.strip()
        if text:
            out.append(text)
    return tuple(out)


def prepare(
    pairs: Iterable[DocPair],
    meta: Meta,
    layout: Layout,
    options: ExportOptions,
    stats: ExportStats,
    *,
    line_safe: bool,
    keep_empty: bool,
) -> Iterator[Entry]:
    """Clean, filter and orient the pairs; counts what it drops in ``stats``.

    ``line_safe`` also replaces tabs and line breaks (Moses, TSV). Links with an
    empty side after cleaning are dropped unless ``keep_empty``; links with both
    sides empty are always dropped.
    """
    seen: set[bytes] = set()
    min_score = options.min_score
    if min_score is not None and math.isnan(min_score):
        raise ConfigError("min_score is NaN; give a number between 0 and 1")
    first_lang, second_lang = layout.first, layout.second
    for doc_id, pair in pairs:
        src = _clean_side(pair.src, line_safe, stats)
        tgt = _clean_side(pair.tgt, line_safe, stats)
        src_ids, tgt_ids = pair.src_ids, pair.tgt_ids
        if layout.swap:
            src, tgt, src_ids, tgt_ids = tgt, src, tgt_ids, src_ids
        if (not src or not tgt) and not (keep_empty and (src or tgt)):
            stats.empty += 1
            continue
        if min_score is not None and not pair.score >= min_score:
            stats.below_min_score += 1
            continue
        src_text = join_sentences(src, first_lang)
        tgt_text = join_sentences(tgt, second_lang)
        if options.dedupe:
            key = hashlib.blake2b(
                f"{src_text}\x00{tgt_text}".encode("utf-8", "surrogatepass"), digest_size=16
            ).digest()
            if key in seen:
                stats.duplicates += 1
                continue
            seen.add(key)
        stats.written += 1
        yield Entry(doc_id, pair.label, pair.score, src, tgt, src_text, tgt_text, src_ids, tgt_ids,
                    (meta.src_lang, meta.tgt_lang), layout.swap)


@dataclass
class Export:
    """What every writer starts from: the source's metadata, the side order, the
    counters, and the cleaned, filtered, oriented entries (a lazy iterator)."""

    meta: Meta
    layout: Layout
    stats: ExportStats
    entries: Iterator[Entry]


class Target(TypedDict, total=False):
    """The keywords every writer takes besides the data and its path, defined once
    for them and :func:`begin_export`: the options (:class:`ExportOptions`) and
    what :func:`open_source` takes for a stream of pairs or overrides in an
    Alignment."""

    options: ExportOptions | None
    src_lang: str | None
    tgt_lang: str | None
    level: Level | None
    signature: dict[str, str] | None
    doc_id: str | None


def begin_export(
    data: Source,
    fmt: str,
    stats_path: str,
    *,
    line_safe: bool,
    empty_by_default: bool,
    **target: Unpack[Target],
) -> Export:
    """The preamble shared by the writers: open the source, orient, prepare.

    Links with an empty side are kept as the options say, else as
    ``empty_by_default`` (the format's choice)."""
    options = target.get("options") or ExportOptions()
    keep_empty = empty_by_default if options.keep_empty is None else options.keep_empty
    src_lang, tgt_lang = target.get("src_lang"), target.get("tgt_lang")
    level, signature = target.get("level"), target.get("signature")
    doc_id = target.get("doc_id")
    meta, pairs = open_source(
        data, src_lang=src_lang, tgt_lang=tgt_lang, level=level, signature=signature,
        doc_id=doc_id,
    )
    layout = resolve_layout(meta, options)
    stats = ExportStats(path=stats_path, format=fmt)
    entries = prepare(pairs, meta, layout, options, stats, line_safe=line_safe,
                      keep_empty=keep_empty)
    return Export(meta, layout, stats, entries)


def log_stats(stats: ExportStats) -> None:
    """One info line with the counts, one warning per kind of replaced character."""
    if stats.replaced_chars:
        log.warning(
            "%s: replaced %d character(s) that XML 1.0 forbids (control characters, "
            "U+FFFE/U+FFFF, lone surrogates) by spaces",
            stats.path,
            stats.replaced_chars,
        )
    if stats.replaced_breaks:
        log.warning(
            "%s: replaced %d tab(s)/line break(s) inside segments by spaces so that "
            "each unit stays on one line",
            stats.path,
            stats.replaced_breaks,
        )
    log.info("%s", stats.summary())


def oriented_ids(ids: str, shape: str, first_lang: str, legacy_swap: bool = False,
                 ) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """The index bead ``ids`` as (indices of ``first_lang``'s side, the other's).

    A named ``shape`` (``zh2-en1``, what bitext writes) says which language the
    bead lists first; a bare one (files of older versions) lists the file's own
    first side first, and ``legacy_swap`` says whether that is not ``first_lang``.
    """
    from bitext.types import parse_shape_text

    a, b = parse_bead(ids)
    order = parse_shape_text(shape)
    if order is not None and order[0] != order[1]:
        return (b, a) if primary(first_lang) == order[1] else (a, b)
    return (b, a) if legacy_swap else (a, b)


def parse_bead(text: str) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """``[3]:[4, 5]`` -> ``((3,), (4, 5))``; anything else -> ``((), ())`` (a
    unit without indices): :func:`bitext.types.parse_bead_text` for exports."""
    return parse_bead_text(text) or ((), ())


def fmt_score(score: float) -> str:
    """Scores in every format: 4 decimals."""
    return f"{score:.4f}"
