"""Load a document file into a clean, structured, sentence-split :class:`Document`.

This is the ingestion stage of the pipeline: read (any encoding, DOCX, PDF) ->
clean -> find structure -> split sentences. ``--segmented`` input (one sentence
per line) bypasses cleaning and structure.
"""

from __future__ import annotations

from pathlib import Path

import regex

from bitext.errors import InputError
from bitext.ingest.reader import read_file
from bitext.types import Document, Unit

SUPPORTED_LANGS = ("zh", "en", "fr", "es", "ru", "ar")

_STOPWORDS = {
    "en": {"the", "of", "and", "to", "in", "is", "that", "for", "on", "with"},
    "fr": {"le", "la", "les", "des", "et", "du", "une", "est", "dans", "pour"},
    "es": {"el", "la", "los", "las", "del", "y", "que", "en", "por", "una"},
}


def detect_lang(text: str) -> str:
    """Guess the language from the script (and, for Latin script, function words)."""
    sample = text[:50000]
    letters = regex.findall(r"\p{L}", sample)
    if not letters:
        return "und"
    han = sum(1 for c in letters if regex.match(r"\p{Han}", c))
    if han / len(letters) > 0.2:
        return "zh"
    cyr = sum(1 for c in letters if regex.match(r"\p{Cyrillic}", c))
    if cyr / len(letters) > 0.3:
        return "ru"
    arab = sum(1 for c in letters if regex.match(r"\p{Arabic}", c))
    if arab / len(letters) > 0.3:
        return "ar"
    words = [w.lower() for w in regex.findall(r"\p{L}+", sample)]
    scores = {lang: sum(1 for w in words if w in sw) for lang, sw in _STOPWORDS.items()}
    return max(scores, key=lambda k: scores[k])


def check_lang(text: str, lang: str, name: str) -> None:
    """Raise InputError when ``text`` is plainly not in ``lang``."""
    found = detect_lang(text)
    if found == "und":
        raise InputError(f"{name}: no letters found; is this the right file?")
    base = lang.split("-")[0].lower()
    if base == "zh" and found != "zh":
        raise InputError(
            f"{name}: expected Chinese text but it looks like {found}; "
            "check --src-lang/--tgt-lang or the order of the files"
        )
    if base != "zh" and found == "zh":
        raise InputError(
            f"{name}: expected {base} text but it is Chinese; "
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


def load_document(path: str | Path, lang: str | None = None) -> Document:
    """Read, clean, structure and sentence-split a document file.

    ``lang`` defaults to the language detected from the text.
    """
    from bitext.ingest.clean import split_lines
    from bitext.ingest.structure import parse_document

    raw = read_file(path)
    lang = _resolve_lang(raw.text, lang, str(path))
    doc = parse_document(
        split_lines(raw.text), lang, paragraph_lines=raw.paragraph_lines, source=str(path),
        marker_heuristic=raw.format != "docx",
    )
    if not doc.units:
        raise InputError(f"{path}: no text found after cleaning")
    return doc


def load_segmented(path: str | Path, lang: str | None = None) -> Document:
    """Read one-sentence-per-line input as is: no cleaning, no structure.

    Every line is one sentence (empty lines included, so line numbers stay
    sentence indices); all of them form a single unit.
    """
    raw = read_file(path)
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
