"""Training corpora for MT teams: Moses parallel text, TSV and JSONL (and bead files).

All three put the source language first (English by default for zh-en, see
:mod:`bitext.tmx.base`) and give scores to 4 decimals (JSONL: full precision).

* **Moses**: ``NAME.en`` and ``NAME.zh``, one segment per line, line *i* of one
  the translation of line *i* of the other, plus ``NAME.ids`` with
  ``document<TAB>paragraph<TAB>bead<TAB>score<TAB>indices`` per line (bead shape
  named by language, the aligner's SRC first, such as ``zh2-en1``; indices in
  the same order, such as ``[15, 16]:[14]``). Links with an empty side
  are left out by default (``keep_empty`` writes them as empty lines).
* **TSV**: a header row ``en-GB  zh-CN  score  document  paragraph  bead  ids``
  then one row per unit; no quoting (read it with ``quoting=csv.QUOTE_NONE``).
* **JSONL**: one object per unit, the same shape as the gold files in
  ``corpora/``: ``{"id": 1, "para": "12", "en": [sentences], "zh": [sentences],
  "doc", "score", "bead", "en_ids", "zh_ids"}``. Sentence boundaries survive.
  Links with an empty side are kept by default (an alignment dump can be scored
  against gold).

Tabs and line breaks inside a segment would break Moses and TSV lines: they become
spaces (one warning with the count). Characters XML 1.0 forbids become spaces in
every format.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Generator, Iterator
from pathlib import Path
from typing import Any, Unpack

from bitext.errors import ConfigError, InputError
from bitext.fileio import atomic_write, output_kind, read_lines, write_named
from bitext.tmx.base import (
    Entry,
    ExportStats,
    Source,
    Target,
    begin_export,
    fmt_score,
    log_stats,
    oriented_ids,
)
from bitext.tmx.text import LANG_CODE_RE
from bitext.types import AlignedPair, Alignment, bead_text

# JSON allows these raw in strings; str.splitlines() would split a line on them.
_JSON_LINE_BREAKS = {"\x85": "\\u0085", "\u2028": "\\u2028", "\u2029": "\\u2029"}
_NOT_LANGS = {"ids", "tmx", "tsv", "txt", "gz", "xml", "tbx", "csv", "log", "bak", "tmp"}
# "status", "reviewer", "reviewed_at": a reviewed export's decisions (bitext.review.export).
_JSONL_RESERVED = {"id", "para", "doc", "score", "bead", "status", "reviewer", "reviewed_at"}

#: The keys of a line of a segments file (``bitext segment``, build's
#: ``LANG.segments.jsonl``: :func:`bitext.ingest.document.unit_record`).
SEGMENT_KEYS = frozenset({"kind", "label", "text", "sentences"})


#: The keys of a line of a multilingual memory's JSONL (``NAME.multi.jsonl``:
#: :func:`bitext.tmx.multi.multi_record`), whose ``text`` holds every language.
MULTI_KEYS = frozenset({"tuid", "text", "ids", "scores"})


def refuse_non_links(obj: dict[str, Any], where: str) -> None:
    """An :class:`InputError` when ``obj`` is a line of a segments file or of a
    multilingual memory's JSONL, given where links of two languages go: read as
    links, its keys were taken for languages ('expected two language keys', or
    'unknown language kind')."""
    if obj.keys() >= SEGMENT_KEYS:
        raise InputError(f"{where}: a line of a segments file (one paragraph of one "
                         "language, as bitext segment and build's LANG.segments.jsonl "
                         "write), not a link of two languages; give links: build's "
                         "NAME.jsonl or corpus.*.jsonl, or bitext align's JSONL")
    if obj.keys() >= MULTI_KEYS and isinstance(obj.get("text"), dict):
        raise InputError(f"{where}: a unit of a multilingual memory (NAME.multi.jsonl: "
                         "the text of every language in one line), not a link of two "
                         "languages; give one pair's links: its corpus.*.jsonl "
                         "(OUT/en-fr/ in a collection) or its documents' NAME.jsonl")


def _field(value: str) -> str:
    """A metadata value (document id, label) safe inside a tab-separated line: it
    may come from a user's file."""
    return value.replace("\t", " ").replace("\r", " ").replace("\n", " ")


def moses_stem(path: str | os.PathLike[str]) -> Path:
    """``out/corpus.moses`` or ``out/corpus`` -> ``out/corpus``."""
    p = Path(path)
    return p.with_suffix("") if p.suffix == ".moses" else p


def _check_moses_stem(name: str, stem: Path) -> None:
    """Refuse a Moses name that cannot take three files beside it: a folder (the
    user meant to write into it) or a stream (``/dev/null``, a FIFO), where the
    three files would be ``/dev/null.en`` and so on."""
    if not name:
        output_kind(name)  # Path('') is '.', a folder: the Error for an empty name instead
    three = f"Moses output is three files ({stem.name}.LANG twice and {stem.name}.ids)"
    if stem.is_dir():
        raise ConfigError(f"{name} is a folder; {three}: give a name in it, such as "
                          f"-o {stem / 'corpus'}, or pass another --format")
    if output_kind(stem) == "through":
        raise ConfigError(f"cannot write {name}: it is a device or a pipe, and {three}; "
                          "pass --format tmx, tsv or jsonl to write one stream there")


def write_moses(
    data: Source, path: str | os.PathLike[str], **target: Unpack[Target]
) -> ExportStats:
    """Write ``STEM.<src>``, ``STEM.<tgt>`` and ``STEM.ids``; all three or none."""
    if os.fspath(path) == "-":
        raise ConfigError("Moses output is three files; give a name such as out/corpus.moses")
    stem = moses_stem(path)
    _check_moses_stem(os.fspath(path), stem)
    ex = begin_export(data, "moses", str(stem), line_safe=True, empty_by_default=False,
                      **target)
    key1, key2 = ex.layout.keys()
    stats, entries = ex.stats, ex.entries
    with contextlib.ExitStack() as stack:
        # Entered in order, committed in reverse: all temp files exist before any
        # rename, and an exception before the end removes every one of them.
        names = (f"{stem}.{key1}", f"{stem}.{key2}", f"{stem}.ids")
        f1, f2, fids = (stack.enter_context(atomic_write(name)) for name in names)
        for e in entries:
            write_named(f1, e.src_text + "\n", names[0])
            write_named(f2, e.tgt_text + "\n", names[1])
            write_named(fids, f"{_field(e.doc_id)}\t{_field(e.label)}\t{e.shape}\t"
                        f"{fmt_score(e.score)}\t{e.bead()}\n", names[2])
    log_stats(stats)
    return stats


def write_tsv(
    data: Source, path: str | os.PathLike[str], **target: Unpack[Target]
) -> ExportStats:
    """Write a TSV with a header row: the two languages, then the metadata columns."""
    ex = begin_export(data, "tsv", os.fspath(path), line_safe=True, empty_by_default=False,
                      **target)
    layout, stats, entries = ex.layout, ex.stats, ex.entries
    with atomic_write(path) as fh:
        fh.write(f"{layout.first}\t{layout.second}\tscore\tdocument\tparagraph\tbead\tids\n")
        for e in entries:
            fh.write(
                f"{e.src_text}\t{e.tgt_text}\t{fmt_score(e.score)}\t{_field(e.doc_id)}"
                f"\t{_field(e.label)}\t{e.shape}\t{e.bead()}\n"
            )
    log_stats(stats)
    return stats


def write_jsonl(
    data: Source, path: str | os.PathLike[str], **target: Unpack[Target]
) -> ExportStats:
    """Write one JSON object per unit (gold-file shape plus all metadata)."""
    ex = begin_export(data, "jsonl", os.fspath(path), line_safe=False, empty_by_default=True,
                      **target)
    keys = ex.layout.keys()
    stats, entries = ex.stats, ex.entries
    with atomic_write(path) as fh:
        for n, e in enumerate(entries, start=1):
            fh.write(jsonl_line(jsonl_record(n, e, keys)))
    log_stats(stats)
    return stats


def jsonl_record(n: int, e: Entry, keys: tuple[str, str]) -> dict[str, Any]:
    """The JSONL object of entry ``e``, unit ``n``; ``keys``: the layout's two
    language keys (:meth:`~bitext.tmx.base.Layout.keys`)."""
    key1, key2 = keys
    return {
        "id": n,
        "para": e.label,
        key1: list(e.src),
        key2: list(e.tgt),
        "doc": e.doc_id,
        "score": e.score,
        "bead": e.shape,
        f"{key1}_ids": list(e.src_ids),
        f"{key2}_ids": list(e.tgt_ids),
    }


def jsonl_line(obj: dict[str, Any]) -> str:
    """One JSONL line (with its line end) that ``str.splitlines()`` keeps whole."""
    line = json.dumps(obj, ensure_ascii=False)
    for raw, escaped in _JSON_LINE_BREAKS.items():
        if raw in line:
            line = line.replace(raw, escaped)
    return line + "\n"


def write_beads(alignment: Alignment, output: str | os.PathLike[str],
                min_score: float | None = None) -> None:
    """One link per line in the Vecalign/Bertalign bead notation (``[0, 1]:[0]``),
    the aligner's SRC first; links below ``min_score`` are left out."""
    with atomic_write(output) as out:
        for pair in alignment.pairs:
            if min_score is not None and pair.score < min_score:
                continue
            out.write(bead_text(pair.src_ids, pair.tgt_ids) + "\n")


# -- readers -------------------------------------------------------------------


@contextlib.contextmanager
def _open_text(path: str | os.PathLike[str]) -> Iterator[Generator[str, None, None]]:
    """The lines of a UTF-8 file (gzip allowed) without line ends; damage, missing
    files and non-UTF-8 bytes raise InputError naming the file."""
    lines = read_lines(path)
    try:
        yield lines
    finally:
        lines.close()


def _looks_like_lang(suffix: str) -> bool:
    """``en``, ``zh``, ``zh-CN``: a Moses language file, not ``.ids``/``.tmx``/``.gz``."""
    if suffix.lower() in _NOT_LANGS or not LANG_CODE_RE.match(suffix):
        return False
    return len(suffix.split("-")[0]) <= 3


def read_moses(path: str | os.PathLike[str], langs: tuple[str, str] | None = None) -> Alignment:
    """Read ``STEM.<a>``, ``STEM.<b>`` (and ``STEM.ids`` when present).

    ``langs`` names the two suffixes in order; by default the two files beside
    ``STEM.ids`` other than it, in the order the ``.ids`` file does not tell, so
    sorted by name. Each line is one sentence (sentence boundaries inside a
    multi-sentence line are not recorded in this format).
    """
    stem = moses_stem(path)
    if langs is None:
        suffixes = (p.name[len(stem.name) + 1 :] for p in stem.parent.glob(f"{stem.name}.*"))
        found = sorted(s for s in suffixes if _looks_like_lang(s))
        if len(found) != 2:
            raise InputError(
                f"{stem}: expected two language files {stem}.<lang>, found {found}; "
                "pass langs=('en', 'zh')"
            )
        langs = (found[0], found[1])
    ids_path = Path(f"{stem}.ids")
    with contextlib.ExitStack() as stack:
        a = stack.enter_context(_open_text(f"{stem}.{langs[0]}"))
        b = stack.enter_context(_open_text(f"{stem}.{langs[1]}"))
        ids = stack.enter_context(_open_text(ids_path)) if ids_path.exists() else None
        pairs, docs = [], set()
        for n, (x, y) in enumerate(zip(a, b, strict=False), start=1):
            meta = next(ids, "").split("\t") if ids is not None else []
            meta += [""] * (5 - len(meta))
            try:
                score = float(meta[3]) if meta[3] else 1.0
            except ValueError as err:
                raise InputError(f"{ids_path}:{n}: score {meta[3]!r} is not a number") from err
            src_ids, tgt_ids = oriented_ids(meta[4], meta[2], langs[0])
            docs.add(meta[0])
            pairs.append(
                AlignedPair((x,) if x else (), (y,) if y else (), score, meta[1], src_ids, tgt_ids)
            )
    return Alignment(langs[0], langs[1], tuple(pairs), doc_id=docs.pop() if len(docs) == 1 else "")


def read_tsv(path: str | os.PathLike[str]) -> Alignment:
    """Read a TSV written by :func:`write_tsv` (languages from its header row)."""
    with _open_text(path) as rows:
        header = next(rows, "").split("\t")
        if len(header) < 2 or not header[0] or not header[1]:
            raise InputError(f"{path}:1: expected a header row starting with two language codes")
        pairs, docs = [], set()
        for n, line in enumerate(rows, start=2):
            cols = line.split("\t")
            cols += [""] * (7 - len(cols))
            try:
                score = float(cols[2]) if cols[2] else 1.0
            except ValueError as err:
                raise InputError(f"{path}:{n}: score {cols[2]!r} is not a number") from err
            src_ids, tgt_ids = oriented_ids(cols[6], cols[5], header[0])
            docs.add(cols[3])
            pairs.append(
                AlignedPair(
                    (cols[0],) if cols[0] else (), (cols[1],) if cols[1] else (), score,
                    cols[4], src_ids, tgt_ids,
                )
            )
    doc = docs.pop() if len(docs) == 1 else ""
    return Alignment(header[0], header[1], tuple(pairs), doc_id=doc)


def _sentences(value: Any, where: str) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,) if value else ()
    if isinstance(value, list) and all(isinstance(s, str) for s in value):
        return tuple(value)
    raise InputError(f"{where}: expected a list of sentences")


def _indices(value: Any, where: str) -> tuple[int, ...]:
    """A list of sentence indices: whole numbers from 0 (not a bool, a float such as
    0.5 or JSON's 1e999, read as infinity, nor a string)."""
    if not isinstance(value, list) or not all(
            type(i) is int and i >= 0 for i in value):
        raise InputError(f"{where}: sentence indices must be lists of whole numbers from 0")
    return tuple(value)


def read_jsonl(path: str | os.PathLike[str]) -> Alignment:
    """Read JSONL written by :func:`write_jsonl`, or a gold file of ``corpora/``.

    The two language keys are the first two keys holding a list of sentences
    (``zh``, ``en`` in the gold files), in the order of the first object.
    """
    pairs, docs = [], set()
    langs: tuple[str, str] | None = None
    from bitext.fileio.read import read_json_lines

    records = read_json_lines(path)
    try:
        for n, obj in records:
            where = f"{path}:{n}"
            if langs is None:
                refuse_non_links(obj, where)
                keys = [
                    k for k, v in obj.items()
                    if k not in _JSONL_RESERVED and not k.endswith("_ids")
                    and isinstance(v, list | str)
                ]
                if len(keys) < 2:
                    raise InputError(f"{where}: expected two language keys such as 'zh' and 'en'")
                langs = (keys[0], keys[1])
            a, b = langs
            try:
                score = float(obj.get("score", 1.0))
            except (TypeError, ValueError) as err:
                raise InputError(f"{where}: score is not a number") from err
            src_ids = _indices(obj.get(f"{a}_ids", []), where)
            tgt_ids = _indices(obj.get(f"{b}_ids", []), where)
            docs.add(str(obj.get("doc", "")))
            pairs.append(
                AlignedPair(
                    _sentences(obj.get(a, []), where),
                    _sentences(obj.get(b, []), where),
                    score,
                    str(obj.get("para", "")),
                    src_ids,
                    tgt_ids,
                )
            )
    finally:
        records.close()  # the file is closed at once when a line is refused
    if langs is None:
        return Alignment("", "", ())
    return Alignment(langs[0], langs[1], tuple(pairs), doc_id=docs.pop() if len(docs) == 1 else "")
