"""Load a document file into a clean, structured, sentence-split :class:`Document`.

This is the ingestion stage of the pipeline: read (any encoding, DOCX, PDF) ->
clean -> find structure -> split sentences. A text file written one sentence
per line (found by :mod:`bitext.ingest.layout`, or declared with
``--segmented``) bypasses cleaning and structure.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from bitext.errors import InputError
from bitext.ingest.layout import (
    ends_like_sentences,
    is_paragraph_per_line,
    is_sentence_per_line,
)
from bitext.ingest.reader import read_file
from bitext.languages import codes, detect, find_language
from bitext.limits import (
    DEFAULT_LIMITS,
    Limits,
    check_file_size,
    check_text_size,
    stream_budget,
)
from bitext.types import Document, Unit

log = logging.getLogger(__name__)

#: Every language bitext knows (the language layer's codes).
SUPPORTED_LANGS = codes()


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


def load_versions(files: Sequence[tuple[str | Path, str | None, str | None]], *,
                  limits: Limits = DEFAULT_LIMITS) -> list[Document]:
    """Load the language versions of one document (``(path, lang, encoding)``
    each) with one layout. When some read as one sentence (or one paragraph) a
    line and others not, the versions are read again with one unit a line
    wherever their lines end like sentences (a short file can look like a list
    of sentences, short lines like wrapped text: the translation tells)."""
    docs = [load_document(path, lang, encoding, limits=limits) for path, lang, encoding in files]
    again = None
    if any(d.segmented for d in docs) and not all(d.segmented for d in docs):
        again = list(docs)  # one version's lines are sentences, another's are not
    elif any(d.line_paragraphs for d in docs) and not all(d.line_paragraphs for d in docs):
        # one version's lines are whole paragraphs; another's end like them but
        # are short (Chinese, verses, one-sentence paragraphs)
        again = [d for d in docs if not d.line_paragraphs]
    if again:
        # every line a unit in each version whose lines end like paragraphs
        docs = [load_document(path, lang, encoding, limits=limits, sentence_lines=False,
                              paragraph_lines=True) if any(d is a for a in again) else d
                for d, (path, lang, encoding) in zip(docs, files, strict=True)]
    return docs


def load_document(path: str | Path, lang: str | None = None, encoding: str | None = None, *,
                  limits: Limits = DEFAULT_LIMITS,
                  sentence_lines: bool | None = None,
                  paragraph_lines: bool | None = None) -> Document:
    """Read, clean, structure and sentence-split a document file.

    A text file written one sentence per line (:mod:`bitext.ingest.layout`)
    is read line by line, as a :attr:`Document.segmented` document;
    ``sentence_lines=False`` reads it as a document all the same. A text file
    written one paragraph a line is read as DOCX is (each line a unit);
    ``paragraph_lines=True`` reads it so whenever its lines end like
    paragraphs, however short (:func:`~bitext.ingest.layout.ends_like_sentences`).

    ``lang`` defaults to the language detected from the text; ``encoding`` is the
    encoding of a non-Unicode text file (default: detected). No sentence is
    longer than :data:`~bitext.limits.MAX_SENTENCE_CHARS` characters
    (:func:`~bitext.align.chunk.bound_document`); an input over
    ``limits.max_input_mb`` raises :class:`InputError`.
    """
    from bitext.align.chunk import bound_document
    from bitext.ingest.clean import Line, split_lines
    from bitext.ingest.structure import parse_document

    check_file_size(path, limits)
    raw = read_file(path, encoding, max_bytes=stream_budget(limits))
    check_text_size(raw.text, str(path), limits)
    lang = _resolve_lang(raw.text, lang, str(path))
    if (raw.format == "text" and sentence_lines is not False
            and is_sentence_per_line(raw.text.splitlines(), lang)):
        log.info("%s: one sentence per line: each line is a sentence (no cleaning or "
                 "structure)", path)
        return bound_document(_sentence_lines(raw.text, lang, str(path)))
    lines = split_lines(raw.text)
    texts = [ln.text for ln in lines]
    line_paragraphs = raw.format == "text" and (
        is_paragraph_per_line(texts, lang) if paragraph_lines is None
        else paragraph_lines and ends_like_sentences(texts))
    if line_paragraphs:
        # as a DOCX file is read: every line a paragraph, a blank line after it
        log.info("%s: one paragraph per line", path)
        lines = [x for ln in lines for x in (ln, Line("", ln.end, ln.end))]
    doc = parse_document(
        lines, lang, paragraph_lines=raw.paragraph_lines or line_paragraphs, source=str(path),
        marker_heuristic=raw.format != "docx",
    )
    if not doc.units:
        raise InputError(f"{path}: no text found after cleaning")
    return bound_document(replace(doc, line_paragraphs=line_paragraphs))


def _sentence_lines(text: str, lang: str, source: str) -> Document:
    """One unit per non-blank line, each line one sentence (spaces trimmed)."""
    units: list[Unit] = []
    start = 0
    for line in text.splitlines(keepends=True):
        stripped = " ".join(line.split())
        if stripped:
            units.append(Unit("paragraph", f"p{len(units) + 1}", stripped, (stripped,),
                              (start, start + len(line.rstrip("\r\n")))))
        start += len(line)
    return Document(lang=lang, units=tuple(units), source=source, segmented=True)


def load_segmented(path: str | Path, lang: str | None = None, encoding: str | None = None, *,
                   limits: Limits = DEFAULT_LIMITS) -> Document:
    """Read one-sentence-per-line input as is: no cleaning, no structure.

    Every line is one sentence (empty lines included, so line numbers stay
    sentence indices); all of them form a single unit. An input over
    ``limits.max_input_mb`` raises :class:`InputError`.
    """
    check_file_size(path, limits)
    raw = read_file(path, encoding, max_bytes=stream_budget(limits))
    check_text_size(raw.text, str(path), limits)
    lang = _resolve_lang(raw.text, lang, str(path))
    text = raw.text[:-1] if raw.text.endswith("\n") else raw.text
    sentences = tuple(s.rstrip("\r") for s in text.split("\n"))
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
