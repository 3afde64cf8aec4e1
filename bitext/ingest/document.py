"""Load a document file into a clean, structured, sentence-split :class:`Document`.

This is the ingestion stage of the pipeline: read (any encoding, DOCX, PDF) ->
clean -> find structure -> split sentences. A text file written one sentence
per line (found by :mod:`bitext.ingest.layout`, or declared with
``--segmented``) bypasses cleaning and structure.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from bitext.errors import InputError
from bitext.ingest.clean import Line, split_lines
from bitext.ingest.layout import (
    ends_like_sentences,
    is_paragraph_per_line,
    is_sentence_per_line,
)
from bitext.ingest.reader import RawText, read_file
from bitext.languages import detect, find_language
from bitext.limits import (
    DEFAULT_LIMITS,
    Limits,
    check_file_size,
    check_text_size,
    stream_budget,
)
from bitext.types import Document, Unit

log = logging.getLogger(__name__)

def detect_lang(text: str) -> str:
    """Guess the language from the script (and, within one script, stop words)."""
    return detect(text)


def check_lang(text: str, lang: str, name: str) -> None:
    """Raise InputError when ``text`` is plainly not in ``lang``: written in
    another script. (Languages sharing a script are not told apart here: a short
    French text may look Spanish, and the user said what it is.)"""
    found = detect_lang(text)
    if found == "und":
        raise InputError(f"{name}: no letters found; is this the right file?")
    expected, got = find_language(lang), find_language(found)
    if expected is None or got is None or expected.script == got.script:
        return
    raise InputError(
        f"{name}: expected {expected.name} text but it looks like {got.name}; "
        "check --src-lang/--tgt-lang or the order of the files"
    )


def unit_record(unit: Unit, *, spans: bool = False) -> dict[str, object]:
    """A unit as the JSONL record ``bitext segment`` and ``bitext build`` write:
    kind, label, text, sentences (and, with ``spans``, its span and footnote refs)."""
    record: dict[str, object] = {"kind": unit.kind, "label": unit.label, "text": unit.text,
                                 "sentences": list(unit.sentences)}
    if spans:
        record["span"] = list(unit.span)
        record["footnote_refs"] = list(unit.footnote_refs)
    return record


#: How a file's lines are read (:mod:`bitext.ingest.layout`): one sentence a
#: line, one paragraph a line, or "" (extracted text: wrapped lines, DOCX, PDF).
Layout = Literal["sentences", "paragraphs", ""]


#: What a user may declare instead of the detected layout (``--layout``), and the
#: :data:`Layout` each stands for; ``auto`` detects it.
LAYOUT_CHOICES: dict[str, Layout] = {"wrapped": "", "sentences": "sentences",
                                     "paragraphs": "paragraphs"}


def load_versions(files: Sequence[tuple[str | Path, str | None, str | None]], *,
                  limits: Limits = DEFAULT_LIMITS, layout: str = "auto") -> list[Document]:
    """Load the language versions of one document (``(path, lang, encoding)``
    each) with one layout. When some read as one sentence (or one paragraph) a
    line and others not, every version is read with one unit a line wherever its
    lines end like sentences, or it has as many lines as a version so read (a
    short file can look like a list of sentences, short lines or lines without
    end punctuation like wrapped text: the translation tells).

    ``layout`` (a key of :data:`LAYOUT_CHOICES`) overrides the detection for
    text files: ``wrapped`` (extracted text, structure recovered), ``sentences``
    or ``paragraphs`` (one a line). DOCX and PDF files are read as they are.
    """
    if layout != "auto" and layout not in LAYOUT_CHOICES:
        raise ValueError(f"unknown layout {layout!r}")
    texts = [_read(path, lang, encoding, limits) for path, lang, encoding in files]
    if layout != "auto":
        layouts = [LAYOUT_CHOICES[layout] if text.raw.format == "text" else ""
                   for text in texts]
    else:
        layouts = [_layout(text) for text in texts]
        if len(set(layouts)) > 1 and any(layouts):
            # as many lines as a version read a unit a line: line for line its
            # translation, whatever its lines end with (a list of posts whose
            # English ends each with ";", its French with nothing)
            lined = {_line_count(text) for text, lay in zip(texts, layouts, strict=True) if lay}
            layouts = ["paragraphs" if text.raw.format == "text"
                       and (ends_like_sentences([ln.text for ln in text.lines])
                            or _line_count(text) in lined) else ""
                       for text in texts]
    return [_parse(text, layout) for text, layout in zip(texts, layouts, strict=True)]


def _line_count(text: _Text) -> int:
    """Non-blank lines of a text."""
    return sum(1 for ln in text.lines if ln.text.strip())


def load_document(path: str | Path, lang: str | None = None, encoding: str | None = None, *,
                  limits: Limits = DEFAULT_LIMITS) -> Document:
    """Read, clean, structure and sentence-split a document file.

    A text file written one sentence per line (:mod:`bitext.ingest.layout`)
    is read line by line, as a :attr:`Document.segmented` document; one
    written one paragraph a line is read as DOCX is (each line a unit).

    ``lang`` defaults to the language detected from the text; ``encoding`` is the
    encoding of a non-Unicode text file (default: detected). No sentence is
    longer than :data:`~bitext.limits.MAX_SENTENCE_CHARS` characters
    (:func:`~bitext.align.chunk.bound_document`); an input over
    ``limits.max_input_mb`` raises :class:`InputError`.
    """
    text = _read(path, lang, encoding, limits)
    return _parse(text, _layout(text))


@dataclass(frozen=True)
class _Text:
    """A file read and decoded, its language, and its lines (:func:`split_lines`)."""

    path: str
    raw: RawText
    lang: str
    lines: list[Line]


def _read(path: str | Path, lang: str | None, encoding: str | None, limits: Limits) -> _Text:
    check_file_size(path, limits)
    raw = read_file(path, encoding, max_bytes=stream_budget(limits),
                    max_text_mb=limits.max_input_mb)
    check_text_size(raw.text, str(path), limits)
    lang = _resolve_lang(raw.text, lang, str(path))
    # U+E000-U+E004 in a text file are its own characters, not a reader's marks
    return _Text(str(path), raw, lang, split_lines(raw.text, marks=raw.format != "text"))


def _layout(text: _Text) -> Layout:
    if text.raw.format != "text":
        return ""
    if is_sentence_per_line(_file_lines(text.raw.text), text.lang):
        return "sentences"
    if is_paragraph_per_line([ln.text for ln in text.lines], text.lang):
        return "paragraphs"
    return ""


def _parse(text: _Text, layout: Layout) -> Document:
    """Clean, structure and sentence-split ``text`` read with ``layout``."""
    from bitext.align.chunk import bound_document
    from bitext.ingest.structure import parse_document

    path, raw, lang, lines = text.path, text.raw, text.lang, text.lines
    if layout == "sentences":
        log.info("%s: one sentence per line: each line is a sentence (no cleaning or "
                 "structure)", path)
        return bound_document(_sentence_lines(raw.text, lang, path))
    if layout == "paragraphs":
        # as a DOCX file is read: every line a paragraph, a blank line after it
        log.info("%s: one paragraph per line", path)
        lines = [x for ln in lines for x in (ln, Line("", ln.end, ln.end))]
    doc = parse_document(
        lines, lang, paragraph_lines=raw.paragraph_lines or layout == "paragraphs",
        source=path, marker_heuristic=raw.format != "docx", marks=raw.format != "text",
    )
    if not doc.units:
        raise InputError(f"{path}: no text found after cleaning")
    return bound_document(doc)


def _file_lines(text: str) -> list[str]:
    """The lines of a one-sentence-per-line file, as every reader of lines ends
    them (:data:`bitext.fileio.LINE_END`: LF, CRLF or a lone CR; never U+2028, NEL
    or a form feed, which a sentence may hold) and :func:`load_segmented` reads
    them."""
    from bitext.fileio import record_lines

    return record_lines(text)


def _sentence_lines(text: str, lang: str, source: str) -> Document:
    """One unit per non-blank line (:func:`_file_lines`), each line one sentence
    (spaces trimmed)."""
    from bitext.fileio import line_spans

    units: list[Unit] = []
    for start, end in line_spans(text):
        stripped = " ".join(text[start:end].split())
        if stripped:
            units.append(Unit("paragraph", f"p{len(units) + 1}", stripped, (stripped,),
                              (start, end)))
    return Document(lang=lang, units=tuple(units), source=source, segmented=True)


def load_segmented(path: str | Path, lang: str | None = None, encoding: str | None = None, *,
                   limits: Limits = DEFAULT_LIMITS) -> Document:
    """Read one-sentence-per-line input as is: no cleaning, no structure.

    Every line is one sentence (empty lines included, so line numbers stay
    sentence indices); all of them form a single unit. An input over
    ``limits.max_input_mb`` raises :class:`InputError`.
    """
    check_file_size(path, limits)
    raw = read_file(path, encoding, max_bytes=stream_budget(limits),
                    max_text_mb=limits.max_input_mb)
    check_text_size(raw.text, str(path), limits)
    lang = _resolve_lang(raw.text, lang, str(path))
    sentences = tuple(_file_lines(raw.text))
    unit = Unit("paragraph", "", "\n".join(sentences), sentences, (0, len(raw.text)))
    return Document(lang=lang, units=(unit,), source=str(path))


def _resolve_lang(text: str, lang: str | None, name: str) -> str:
    if lang is None:
        found = detect_lang(text)
        if found == "und":
            raise InputError(f"{name}: no letters found; is this the right file?")
        return found
    check_lang(text, lang, name)
    return lang
