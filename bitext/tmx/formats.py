"""Every export format behind one entry point, looked up by name or extension.

``write_alignment(alignment, "out/report.tmx")`` picks the format from the name;
``fmt`` overrides it. :data:`FORMATS` maps a name to its :class:`Format`.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from bitext.errors import ConfigError
from bitext.tmx import corpus, writer
from bitext.tmx.base import ExportOptions, ExportStats, Level, Source
from bitext.types import Alignment


def _read_tmx(path: str | os.PathLike[str]) -> Alignment:
    from bitext.tmx.reader import read_tmx  # lxml only when reading

    return read_tmx(path)


@dataclass(frozen=True)
class Format:
    """An export format: its name, the file names it claims, writer and reader."""

    name: str
    extensions: tuple[str, ...]
    description: str
    write: Callable[..., ExportStats]
    read: Callable[[str | os.PathLike[str]], Alignment]


FORMATS: dict[str, Format] = {
    "tmx": Format(
        "tmx", (".tmx", ".tmx.gz"), "TMX 1.4b translation memory for CAT tools",
        writer.write_tmx, _read_tmx,
    ),
    "tsv": Format(
        "tsv", (".tsv", ".tsv.gz"), "tab-separated: languages, score and metadata columns",
        corpus.write_tsv, corpus.read_tsv,
    ),
    "jsonl": Format(
        "jsonl", (".jsonl", ".jsonl.gz"), "one JSON object per unit with all metadata",
        corpus.write_jsonl, corpus.read_jsonl,
    ),
    "moses": Format(
        "moses", (".moses",), "Moses parallel text: NAME.en, NAME.zh, NAME.ids",
        corpus.write_moses, corpus.read_moses,
    ),
}


def format_for_path(path: str | os.PathLike[str]) -> str:
    """The format a file name asks for; a name without extension means Moses."""
    name = os.fspath(path)
    if name == "-":
        raise ConfigError("cannot tell the format of stdout; pass a format (tmx, tsv, jsonl)")
    lower = Path(name).name.lower()
    for fmt in FORMATS.values():
        if any(lower.endswith(ext) for ext in fmt.extensions):
            return fmt.name
    if not Path(name).suffix:
        return "moses"
    raise ConfigError(
        f"cannot tell the format of {name} from its extension; use one of "
        + ", ".join(ext for f in FORMATS.values() for ext in f.extensions)
        + ", a name without extension (Moses), or pass the format explicitly"
    )


def get_format(name: str) -> Format:
    try:
        return FORMATS[name.lower()]
    except KeyError as err:
        raise ConfigError(
            f"unknown format {name!r}; choose one of {', '.join(FORMATS)}"
        ) from err


def write_alignment(
    alignment: Source,
    path: str | os.PathLike[str],
    fmt: str | None = None,
    *,
    min_score: float | None = None,
    dedupe: bool = False,
    srclang: str | None = None,
    src_code: str | None = None,
    tgt_code: str | None = None,
    keep_empty: bool | None = None,
    src_lang: str | None = None,
    tgt_lang: str | None = None,
    level: Level | None = None,
    signature: dict[str, str] | None = None,
    doc_id: str | None = None,
    created: datetime | None = None,
) -> ExportStats:
    """Write an alignment (or a stream of pairs) in any format, atomically.

    ``fmt`` is ``tmx``, ``tsv``, ``jsonl`` or ``moses``; by default it follows the
    extension of ``path`` (``.tmx``, ``.tmx.gz``, ``.tsv``, ``.jsonl``, ``.moses``
    or no extension for Moses). ``-`` writes TMX/TSV/JSONL to stdout. A stream of
    :class:`~bitext.types.AlignedPair` / :class:`~bitext.tmx.base.DocPair` needs
    ``src_lang`` and ``tgt_lang`` (and may give ``level``, ``signature``,
    ``doc_id``); for an Alignment these override its own. The options are those
    of :class:`~bitext.tmx.base.ExportOptions`; ``created`` (TMX only) fixes the
    header date. Returns the counts of what was written and left out.
    """
    spec = get_format(fmt or format_for_path(path))
    options = ExportOptions(
        min_score=min_score, dedupe=dedupe, srclang=srclang, src_code=src_code,
        tgt_code=tgt_code, keep_empty=keep_empty,
    )
    extra = {"created": created} if spec.name == "tmx" else {}
    return spec.write(
        alignment, path, options=options, src_lang=src_lang, tgt_lang=tgt_lang, level=level,
        signature=signature, doc_id=doc_id, **extra,
    )


def read_alignment(path: str | os.PathLike[str], fmt: str | None = None) -> Alignment:
    """Read back any format :func:`write_alignment` writes."""
    return get_format(fmt or format_for_path(path)).read(path)
