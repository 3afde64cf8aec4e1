"""Combine memories: merge alignments and files, drop duplicate pairs.

Both helpers stream :class:`~bitext.tmx.base.DocPair` s, so each pair keeps the
document it came from, and feed straight into
:func:`~bitext.tmx.formats.write_alignment`::

    pairs = dedupe(merge("a.tmx", "b.tmx.gz", alignment, src_lang="zh", tgt_lang="en"))
    write_alignment(pairs, "all.tmx", src_lang="zh", tgt_lang="en")
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Iterator
from typing import TypeVar, overload

from bitext.errors import ConfigError
from bitext.tmx.base import DocPair
from bitext.tmx.text import primary
from bitext.types import AlignedPair, Alignment, join_sentences

T = TypeVar("T", AlignedPair, DocPair)


def _oriented(alignment: Alignment, src_lang: str, tgt_lang: str, name: str) -> Iterator[DocPair]:
    a, b = primary(alignment.src_lang), primary(alignment.tgt_lang)
    if (a, b) == (primary(src_lang), primary(tgt_lang)):
        swap = False
    elif (b, a) == (primary(src_lang), primary(tgt_lang)):
        swap = True
    else:
        raise ConfigError(
            f"{name} is {alignment.src_lang}-{alignment.tgt_lang}, not {src_lang}-{tgt_lang}"
        )
    for pair in alignment.pairs:
        if swap:
            pair = AlignedPair(
                pair.tgt, pair.src, pair.score, pair.label, pair.tgt_ids, pair.src_ids
            )
        yield DocPair(alignment.doc_id, pair)


def merge(
    *sources: Alignment | str | os.PathLike[str], src_lang: str, tgt_lang: str
) -> Iterator[DocPair]:
    """Stream the pairs of several alignments and files, in order, as src-tgt.

    TMX files are streamed; TSV, JSONL and Moses files are read whole. Each
    source is turned round when its languages are the other way; a source in
    other languages raises :class:`~bitext.errors.ConfigError`.
    """
    for source in sources:
        if isinstance(source, Alignment):
            yield from _oriented(source, src_lang, tgt_lang, source.doc_id or "alignment")
            continue
        from bitext.tmx.formats import format_for_path, read_alignment

        if format_for_path(source) == "tmx":
            from bitext.tmx.reader import iter_pairs

            yield from iter_pairs(source, src_lang, tgt_lang)
        else:
            yield from _oriented(read_alignment(source), src_lang, tgt_lang, os.fspath(source))


def _key(pair: AlignedPair, src_lang: str, tgt_lang: str) -> bytes:
    src = join_sentences([s.strip() for s in pair.src], src_lang)
    tgt = join_sentences([s.strip() for s in pair.tgt], tgt_lang)
    data = f"{src}\x00{tgt}".encode("utf-8", "surrogatepass")
    return hashlib.blake2b(data, digest_size=16).digest()


@overload
def dedupe(data: Alignment) -> Alignment: ...


@overload
def dedupe(data: Iterable[T], *, src_lang: str = "", tgt_lang: str = "") -> Iterator[T]: ...


def dedupe(
    data: Alignment | Iterable[T], *, src_lang: str = "", tgt_lang: str = ""
) -> Alignment | Iterator[T]:
    """Keep the first of each identical (source text, target text) pair.

    Texts are compared as joined sentences (no space between Chinese sentences
    when the language is given, one space otherwise). An Alignment gives an
    Alignment; a stream gives a stream (16 bytes of memory per distinct pair).
    """
    if isinstance(data, Alignment):
        pairs = tuple(dedupe(data.pairs, src_lang=data.src_lang, tgt_lang=data.tgt_lang))
        return Alignment(
            data.src_lang, data.tgt_lang, pairs, data.level, dict(data.signature), data.doc_id
        )
    return _dedupe_stream(data, src_lang, tgt_lang)


def _dedupe_stream(items: Iterable[T], src_lang: str, tgt_lang: str) -> Iterator[T]:
    seen: set[bytes] = set()
    for item in items:
        pair = item if isinstance(item, AlignedPair) else item.pair
        key = _key(pair, src_lang, tgt_lang)
        if key not in seen:
            seen.add(key)
            yield item
