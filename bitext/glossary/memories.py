"""Translation memories as glossary input: TMX, XLIFF 1.2 / 2.x, TSV and bitext JSONL.

Each file becomes one :class:`~bitext.types.Alignment` whose pairs carry their
provenance as the label (``FILE#tuid``, ``FILE#unit-id``, ``FILE:line``), which
the TBX examples record. Units with an empty side, or whose text is not in the
language it is declared in (no Chinese characters on the Chinese side, Chinese
on the English side), are skipped and counted in one warning per file.

* **TMX 1.4b** (plain or gzip, any tool): read by the project's streaming,
  entity-safe reader (:mod:`bitext.tmx.reader`); inline codes (``bpt``,
  ``ept``, ``ph``, ``it``, ``ut``) are dropped, the text of ``hi`` and the words
  around every code are kept. With more than two languages in the file, the
  pair is chosen with ``src_lang``/``tgt_lang`` (default: the Chinese and the
  English variants).
* **XLIFF 1.2 and 2.x**: read with translate-toolkit (safe XML parser; inline
  ``g``/``pc``/``mrk`` text kept, placeholders dropped). Only units whose state
  counts as translated are used: XLIFF 1.2 ``state`` translated, signed-off or
  final, or ``approved="yes"``; XLIFF 2 segment ``state`` translated, reviewed or
  final; a target without any state (tools that write none) counts as
  translated. ``all_units=True`` takes every unit with a target.
* **TSV**: two tab-separated columns, one pair a line; a first line naming the
  languages (``zh<TAB>en``) is read as a header, else the columns' languages
  are ``src_lang``/``tgt_lang`` or told apart by script.
* **JSONL**: bitext's own JSONL export or a gold file of ``corpora/``.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import regex

from bitext.errors import InputError
from bitext.fileio import check_input, check_regular_file, record_lines
from bitext.types import AlignedPair, Alignment, join_sentences

logger = logging.getLogger(__name__)

_HAN = regex.compile(r"\p{Han}")
_LATIN = regex.compile(r"\p{Latin}")
# a TSV header cell naming a language: "zh", "en-GB", "zh_CN"
_LANG_HEADER = regex.compile(r"^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*$")
TRANSLATED_STATES = frozenset({"translated", "signed-off", "final", "reviewed"})
MEMORY_FORMATS = ("tmx", "xliff", "tsv", "jsonl")


@dataclass
class _Skipped:
    empty: int = 0
    wrong_language: int = 0
    untranslated: int = 0


def memory_format(path: str | os.PathLike[str]) -> str:
    """The memory format of a file, from its extension or, failing that, its start."""
    from bitext.fileio.sniff import KIND_NAMES, by_content, by_name, read_head

    kind = by_name(path)
    if kind in MEMORY_FORMATS:
        return kind
    found = by_content(read_head(path))
    if found in MEMORY_FORMATS:
        return found
    # TMX and XLIFF are memories (returned above): what is left is none
    what = KIND_NAMES.get(found or "") or KIND_NAMES.get(kind or "")
    if what:
        # read as two-column text, each said something beside the point ('expected
        # two tab-separated columns', 'not UTF-8 text (byte 10)')
        raise InputError(f"{path}: {what}, not a translation memory; --memory reads TMX, "
                         "XLIFF, two-column TSV or JSONL links (a document pair goes as "
                         "SRC TGT)")
    return "tsv"  # a two-column memory saved as .txt, or with no extension


def _read_bytes(name: str) -> bytes:
    """The whole file, gunzipped when it is gzip (XLIFF and TSV are read whole)."""
    from bitext.fileio import open_binary
    from bitext.limits import stream_budget

    try:
        with open_binary(name, max_bytes=stream_budget()) as fh:
            return fh.read()
    except OSError as err:
        from bitext.fileio.read import unreadable

        raise InputError(unreadable(name, err)) from err


def read_memories(paths: Sequence[str | os.PathLike[str]], *, src_lang: str | None = None,
                  tgt_lang: str | None = None, all_units: bool = False) -> list[Alignment]:
    """Read every memory file into one alignment each (see the module docstring).

    ``src_lang``/``tgt_lang`` choose the pair in multilingual files (bare
    languages or full codes). Raises :class:`~bitext.errors.InputError` when no
    file gives a usable pair.
    """
    out = []
    for path in paths:
        alignment = read_memory(path, src_lang=src_lang, tgt_lang=tgt_lang, all_units=all_units)
        if alignment.pairs:
            out.append(alignment)
    if not out:
        names = ", ".join(os.fspath(p) for p in paths)
        raise InputError(f"{names}: no unit with a Chinese and an English side; check the "
                         "files' languages, or pass --src-lang/--tgt-lang (and --all for "
                         "XLIFF units not marked translated)")
    return out


def read_memory(path: str | os.PathLike[str], *, src_lang: str | None = None,
                tgt_lang: str | None = None, all_units: bool = False) -> Alignment:
    """One memory file as an alignment (pairs labelled with their provenance)."""
    name = os.fspath(path)
    check_input(name, "check the path given to --alignment")
    # Its format is told from its first bytes, then it is opened again for its
    # units: a pipe would block the first open or lose what it gave.
    twice = "a memory is read twice (for its format, then its units); save it to a file first"
    if name == "-":
        raise InputError(f"standard input: {twice}")
    check_regular_file(name, twice)
    fmt = memory_format(name)
    skipped = _Skipped()
    if fmt == "jsonl":
        from bitext.tmx.corpus import read_jsonl

        al = read_jsonl(name)
        langs = (src_lang or al.src_lang, tgt_lang or al.tgt_lang)
        rows: Iterator[tuple[str, str, str]] = (
            (join_sentences(p.src, langs[0]), join_sentences(p.tgt, langs[1]), p.label)
            for p in al.pairs)
        pairs = _checked(rows, langs, skipped)
        result = Alignment(langs[0], langs[1], tuple(pairs), "sentence", dict(al.signature),
                           al.doc_id)
    else:
        reader = {"tmx": _tmx, "xliff": _xliff, "tsv": _tsv}[fmt]
        langs, rows = reader(name, src_lang, tgt_lang, all_units, skipped)
        pairs = _checked(rows, langs, skipped)
        result = Alignment(langs[0], langs[1], tuple(pairs), "sentence", {},
                           os.path.basename(name))
    _warn(name, skipped, len(result.pairs))
    return result


def _warn(name: str, skipped: _Skipped, kept: int) -> None:
    parts = []
    if skipped.empty:
        parts.append(f"{skipped.empty} with an empty side")
    if skipped.wrong_language:
        parts.append(f"{skipped.wrong_language} whose text is not in the declared language")
    if skipped.untranslated:
        parts.append(f"{skipped.untranslated} not marked translated (use --all to keep them)")
    if parts:
        logger.warning("%s: skipped %s; %d units used", name, ", ".join(parts), kept)
    else:
        logger.info("%s: %d units used", name, kept)


def _checked(rows: Iterator[tuple[str, str, str]], langs: tuple[str, str],
             skipped: _Skipped) -> Iterator[AlignedPair]:
    """Pairs whose two sides are present and written in their languages' scripts."""
    from bitext.types import is_cjk_lang

    cjk = (is_cjk_lang(langs[0]) if langs[0] else False,
           is_cjk_lang(langs[1]) if langs[1] else False)
    for src, tgt, label in rows:
        src, tgt = src.strip(), tgt.strip()
        if not src or not tgt:
            skipped.empty += 1
            continue
        if not (_in_script(src, cjk[0]) and _in_script(tgt, cjk[1])):
            skipped.wrong_language += 1
            continue
        yield AlignedPair((src,), (tgt,), 1.0, label)


def _in_script(text: str, cjk: bool) -> bool:
    """False only for text plainly in the other script: letters but no Han
    character on the Chinese side, more Han than Latin on the English side.
    Numbers, symbols and names in both scripts pass (the aligner keeps them too)."""
    han, latin = len(_HAN.findall(text)), len(_LATIN.findall(text))
    if cjk:
        return han > 0 or latin == 0
    return han <= latin


def _pick_langs(found: Sequence[str], src_lang: str | None, tgt_lang: str | None
                ) -> tuple[str | None, str | None]:
    """Default pair: the Chinese and the English languages of the file, in file order."""
    from bitext.tmx.text import primary

    if src_lang and tgt_lang:
        return src_lang, tgt_lang
    wanted = [c for c in found if primary(c) in ("zh", "en")]
    if src_lang:
        other = [c for c in wanted if primary(c) != primary(src_lang)]
        return src_lang, (other[0] if other else None)
    if tgt_lang:
        other = [c for c in wanted if primary(c) != primary(tgt_lang)]
        return (other[0] if other else None), tgt_lang
    if len(wanted) >= 2 and primary(wanted[0]) != primary(wanted[1]):
        return wanted[0], wanted[1]
    return (found[0] if found else None), (found[1] if len(found) > 1 else None)


def _tmx(name: str, src_lang: str | None, tgt_lang: str | None, all_units: bool,
         skipped: _Skipped) -> tuple[tuple[str, str], Iterator[tuple[str, str, str]]]:
    from bitext.tmx.reader import PairPicker, TmxReader
    from bitext.tmx.text import lang_matches

    base = os.path.basename(name)
    rows: list[tuple[str, str, str]] = []
    with TmxReader(name) as reader:
        picker: PairPicker | None = None
        for n, unit in enumerate(reader, 1):
            if picker is None:  # the pair is chosen on the first unit's languages
                found = sorted((v.lang for v in unit.variants),  # the header's srclang first
                               key=lambda c: not lang_matches(c, reader.header.srclang))
                src, tgt = _pick_langs(found, src_lang, tgt_lang)
                picker = PairPicker(reader.header, src, tgt)
            picked = picker.pick(unit)
            if picked is None:
                continue
            _, pair = picked
            rows.append((join_sentences(pair.src, picker.src_code),
                         join_sentences(pair.tgt, picker.tgt_code),
                         f"{base}#{unit.tuid or f'tu{n}'}"))
    if picker is None:
        return (src_lang or "", tgt_lang or ""), iter(())
    skipped.wrong_language += picker.skipped
    return (picker.src_code, picker.tgt_code), iter(rows)


def _xliff(name: str, src_lang: str | None, tgt_lang: str | None, all_units: bool,
           skipped: _Skipped) -> tuple[tuple[str, str], Iterator[tuple[str, str, str]]]:
    from bitext.tmx.text import normalise_lang, primary

    data = _read_bytes(name)
    store: Any
    try:
        if b'version="2.' in data[:4096] or b"version='2." in data[:4096]:
            from translate.storage.xliff2 import Xliff2File

            store = Xliff2File(data)
        else:
            from translate.storage.xliff import xlifffile

            store = xlifffile(data)
    except Exception as err:  # translate-toolkit raises lxml, assertion and value errors
        # the toolkit's bare AssertionError is its check of the root element's tag
        detail = str(err) or "the root is not <xliff> in the XLIFF namespace: check its xmlns"
        raise InputError(f"{name}: not a readable XLIFF file ({detail}); check that it is "
                         "XLIFF 1.2 or 2.x") from err
    file_src = normalise_lang(store.getsourcelanguage() or "")
    file_tgt = normalise_lang(store.gettargetlanguage() or "")
    swap = False
    if src_lang and file_tgt and primary(src_lang) == primary(file_tgt):
        swap = True  # the user wants the file's target language as the source
    elif tgt_lang and file_src and primary(tgt_lang) == primary(file_src):
        swap = True
    langs = (file_tgt, file_src) if swap else (file_src, file_tgt)
    base = os.path.basename(name)

    def rows() -> Iterator[tuple[str, str, str]]:
        for unit in store.units:
            if getattr(unit, "isheader", lambda: False)():
                continue
            target = unit.target or ""
            if not all_units and not _translated(unit):
                skipped.untranslated += 1
                continue
            uid = str(unit.getid() or "").split("\x04")[-1]
            src_text, tgt_text = str(unit.source or ""), str(target)
            if swap:
                src_text, tgt_text = tgt_text, src_text
            yield src_text, tgt_text, f"{base}#{uid}"

    return langs, rows()


def _translated(unit: object) -> bool:
    """Whether an XLIFF unit's state counts as translated (see the module docstring)."""
    elem = getattr(unit, "xmlelement", None)
    if elem is None:
        return bool(getattr(unit, "target", None))
    if elem.get("approved") == "yes":
        return True
    states = [elem.get("state")]  # XLIFF 2: on <segment>
    states += [t.get("state") for t in elem if isinstance(t.tag, str)
               and t.tag.rsplit("}", 1)[-1] == "target"]  # XLIFF 1.2: on <target>
    given = [s for s in states if s]
    if given:
        return any(s in TRANSLATED_STATES for s in given)
    return bool(getattr(unit, "target", None))


def _tsv(name: str, src_lang: str | None, tgt_lang: str | None, all_units: bool,
         skipped: _Skipped) -> tuple[tuple[str, str], Iterator[tuple[str, str, str]]]:
    from bitext.tmx.text import normalise_lang

    raw = _read_bytes(name)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise InputError(f"{name}: not UTF-8 text (byte {err.start}); save it as UTF-8") from err
    lines = record_lines(text)
    first = lines[0].split("\t") if lines else []
    start = 0
    langs: tuple[str, str]
    if len(first) == 2 and all(_LANG_HEADER.match(c.strip()) for c in first):
        langs = (normalise_lang(first[0].strip()), normalise_lang(first[1].strip()))
        start = 1
    elif src_lang and tgt_lang:
        langs = (src_lang, tgt_lang)
    else:
        sample = [ln.split("\t") for ln in lines[:200] if ln.count("\t") == 1]
        han0 = sum(bool(_HAN.search(c[0])) for c in sample)
        han1 = sum(bool(_HAN.search(c[1])) for c in sample)
        langs = ("zh", "en") if han0 >= han1 else ("en", "zh")
    base = os.path.basename(name)

    def rows() -> Iterator[tuple[str, str, str]]:
        for n, line in enumerate(lines[start:], start + 1):
            if not line.strip():
                continue
            cells = line.split("\t")
            if len(cells) != 2:
                raise InputError(f"{name}:{n}: expected two tab-separated columns, found "
                                 f"{len(cells)}; one pair a line, source<TAB>target")
            yield cells[0], cells[1], f"{base}:{n}"

    return langs, rows()
