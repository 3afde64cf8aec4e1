"""Streamed TMX 1.4b writer.

The file is written unit by unit with explicit escaping (no tree is built), so
100,000 units take constant memory. Layout, checked against the TMX 1.4b DTD::

    <tmx version="1.4">
      <header creationtool="bitext" ... srclang="en-GB" datatype="plaintext" ...>
        <prop type="x-signature">bitext:0.1.0|encoder:...</prop>
        <prop type="x-bead-order">zh-en</prop>
      </header>
      <body>
        <tu tuid="1">
          <prop type="x-document">CTOC/COP/2016/3</prop>
          <prop type="x-paragraph">12</prop>
          <prop type="x-bead">zh2-en1</prop>
          <prop type="x-score">0.9312</prop>
          <prop type="x-ids">[15, 16]:[14]</prop>
          <tuv xml:lang="en-GB"><seg>...</seg></tuv>
          <tuv xml:lang="zh-CN"><prop type="x-breaks">21</prop><seg>...</seg></tuv>
        </tu>

Units have the source language's ``tuv`` first; ``x-bead`` and ``x-ids`` count
the aligner's SRC first (the header's ``x-bead-order``; ``x-bead`` names the
languages), whatever the order of the ``tuv`` s, as every bitext file does.
``x-breaks`` (only on a side with several sentences) lists where sentences 2..
start in the segment, in characters (code points), so :mod:`bitext.tmx.reader`
restores the sentences exactly. CAT tools ignore these props.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Unpack

import bitext
from bitext.errors import ConfigError
from bitext.fileio import atomic_write
from bitext.tmx.base import (
    Entry,
    ExportStats,
    Layout,
    Meta,
    Source,
    Target,
    begin_export,
    fmt_score,
    log_stats,
)
from bitext.tmx.text import primary
from bitext.types import LOW_CONFIDENCE, signature_string

log = logging.getLogger(__name__)

TMX_DATE_FORMAT = "%Y%m%dT%H%M%SZ"
_BATCH = 512  # units per write() call: fewer calls, still constant memory


def escape_text(text: str) -> str:
    """Escape character data. ``\\r`` becomes ``&#13;`` so parsers keep it."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text.replace("\r", "&#13;") if "\r" in text else text


def escape_attr(text: str) -> str:
    """Escape an attribute value (double-quoted); whitespace kept as references."""
    text = escape_text(text).replace('"', "&quot;")
    return text.replace("\t", "&#9;").replace("\n", "&#10;")


def _breaks(sentences: tuple[str, ...], text: str) -> str:
    """Start offsets (code points) of sentences 2.. inside ``text``, comma-separated."""
    offsets = []
    pos = 0
    for sentence in sentences:
        pos = text.index(sentence, pos)
        offsets.append(pos)
        pos += len(sentence)
    return ",".join(str(o) for o in offsets[1:])


def _tuv(code: str, sentences: tuple[str, ...], text: str) -> str:
    props = ""
    if len(sentences) > 1:
        props = f'<prop type="x-breaks">{_breaks(sentences, text)}</prop>'
    seg = escape_text(text)
    return f'      <tuv xml:lang="{escape_attr(code)}">{props}<seg>{seg}</seg></tuv>\n'


def render_tu(entry: Entry, tuid: int, layout: Layout, *, flag_low: bool = True) -> str:
    """One ``<tu>`` element with its props and both ``tuv`` s, as text; with
    ``flag_low``, a unit below :data:`LOW_CONFIDENCE` also carries a ``<note>``
    (:func:`low_confidence_note`)."""
    parts = [f'    <tu tuid="{tuid}">\n']
    if flag_low and entry.score < LOW_CONFIDENCE:
        parts.append(f"      <note>{low_confidence_note(entry.score)}</note>\n")
    if entry.doc_id:
        parts.append(f'      <prop type="x-document">{escape_text(entry.doc_id)}</prop>\n')
    if entry.label:
        parts.append(f'      <prop type="x-paragraph">{escape_text(entry.label)}</prop>\n')
    parts.append(f'      <prop type="x-bead">{entry.shape}</prop>\n')
    parts.append(f'      <prop type="x-score">{fmt_score(entry.score)}</prop>\n')
    bead = entry.bead()
    if bead:
        parts.append(f'      <prop type="x-ids">{bead}</prop>\n')
    if entry.src:
        parts.append(_tuv(layout.first, entry.src, entry.src_text))
    if entry.tgt:
        parts.append(_tuv(layout.second, entry.tgt, entry.tgt_text))
    parts.append("    </tu>\n")
    return "".join(parts)


def low_confidence_note(score: float | Mapping[str, float]) -> str:
    """The note of a unit below :data:`LOW_CONFIDENCE`: its score, or in a
    multilingual memory each pair's below it (``{"en-fr": 0.4}``). CAT tools
    show a unit's ``<note>`` and not its props: OmegaT 3.6 keeps the note of a
    ``tm/auto`` memory's unit with the translation it inserts and shows it in the
    Notes pane (ExternalTMX reads ``ParsedTu.note``, ImportFromAutoTMX keeps it,
    EditorController shows the translation's note), where ``x-score`` stays unseen."""
    what = (f"{score:.2f}" if isinstance(score, float | int) else "in " + ", ".join(
        f"{pair} {value:.2f}" for pair, value in score.items()))
    return (f"Low alignment confidence {what} (below {LOW_CONFIDENCE}): the two sides "
            "may not say the same; check before use")


def render_header(meta: Meta, layout: Layout, created: datetime) -> str:
    """The XML declaration, doctype, root and ``<header>`` (with the signature prop)."""
    attrs = {
        "creationtool": "bitext",
        "creationtoolversion": bitext.__version__,
        "segtype": meta.level,
        "o-tmf": "bitext",
        "adminlang": "en",
        "srclang": layout.header_srclang,
        "datatype": "plaintext",
        "creationdate": created.astimezone(UTC).strftime(TMX_DATE_FORMAT),
    }
    attr_text = " ".join(f'{k}="{escape_attr(v)}"' for k, v in attrs.items())
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>\n',
        '<!DOCTYPE tmx SYSTEM "tmx14.dtd">\n',
        '<tmx version="1.4">\n',
        f"  <header {attr_text}>\n",
    ]
    if meta.signature:
        sig = escape_text(signature_string(meta.signature))
        lines.append(f'    <prop type="x-signature">{sig}</prop>\n')
    # Which language x-bead and x-ids count first (the aligner's SRC), whatever
    # the order of the tuvs: x-bead names them too (zh2-en1). A multilingual
    # memory (its Meta names the pivot twice) has no bead: its units give each
    # language's ids apart (x-ids-LANG).
    order = f"{primary(meta.src_lang)}-{primary(meta.tgt_lang)}"
    if primary(meta.src_lang) != primary(meta.tgt_lang):
        lines.append(f'    <prop type="x-bead-order">{escape_text(order)}</prop>\n')
    lines.append("  </header>\n  <body>\n")
    return "".join(lines)


def write_tmx(
    data: Source,
    path: str | os.PathLike[str],
    *,
    created: datetime | None = None,
    **target: Unpack[Target],
) -> ExportStats:
    """Write an alignment (or a stream of pairs) as TMX 1.4b, atomically.

    ``path`` ending in ``.gz`` is gzip-compressed; ``-`` is stdout. Links with an
    empty side are left out (counted in the log): a TMX unit needs both languages
    to be any use to a CAT tool. ``created`` fixes the header's ``creationdate``
    (default: now, UTC). See :class:`~bitext.tmx.base.ExportOptions`.
    """
    options = target.get("options")
    if options is not None and options.keep_empty:
        raise ConfigError("TMX cannot keep links with an empty side; use TSV or JSONL for those")
    ex = begin_export(data, "tmx", os.fspath(path), line_safe=False, empty_by_default=False,
                      **target)
    meta, layout, stats, entries = ex.meta, ex.layout, ex.stats, ex.entries
    with atomic_write(path) as fh:
        fh.write(render_header(meta, layout, created or datetime.now(UTC)))
        batch: list[str] = []
        for n, entry in enumerate(entries, start=1):
            batch.append(render_tu(entry, n, layout))
            if len(batch) >= _BATCH:
                fh.write("".join(batch))
                batch.clear()
        fh.write("".join(batch))
        fh.write("  </body>\n</tmx>\n")
    log_stats(stats)
    return stats
