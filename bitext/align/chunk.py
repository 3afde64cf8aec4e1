"""Bounding the length of sentences: no text the aligner handles is unboundedly long.

A text layer with no line breaks (or a PDF whose extraction lost them) can make
one "unit" of a whole document, and a text with no punctuation the segmenter
accepts one "sentence" of it. Memory and quality both need sentences of
bounded length, so :func:`bound_document` splits every over-long sentence:
first by the language's sentence segmenter (a unit kept whole, such as a
header, was never split), then, for what is still too long, by
:func:`chunk_text` at the best boundary available.

:func:`chunk_text` never loses, adds or reorders characters: the chunks joined
are the input.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

import regex

from bitext.limits import MAX_SENTENCE_CHARS
from bitext.types import Document

# Boundaries, best first; a cut goes right after the match. Sentence-final
# punctuation (with closing quotes or brackets) in any script, then clause
# punctuation, then whitespace. A hard cut at the limit is the last resort.
_BOUNDARIES = (
    regex.compile(r"(?:[.!?。！？…؟।]|\p{Sentence_Terminal})+[\"'”’」』）)\]】》]*\s*"),
    regex.compile(r"[;:,；：，、،؛]+\s*"),
    regex.compile(r"\s+"),
)

_LAST_BASE = regex.compile(r"(?r)\P{M}")


def chunk_text(text: str, max_chars: int = MAX_SENTENCE_CHARS) -> list[str]:
    """Cut ``text`` into pieces of at most ``max_chars`` characters.

    Each cut is at the last boundary of the best kind (sentence punctuation,
    then clause punctuation, then whitespace) in the second part of the window
    of ``max_chars`` characters, so that no piece but the last is shorter than a
    quarter of the limit; with no boundary there, the cut is hard, but never
    before a combining mark (it stays with its base character). The pieces,
    joined, are ``text`` exactly; the empty text gives no piece.
    """
    if max_chars < 1:
        raise ValueError(f"max_chars must be at least 1, got {max_chars}")
    out: list[str] = []
    pos, n = 0, len(text)
    least = max(1, max_chars // 4)
    while n - pos > max_chars:
        end = pos + max_chars
        window = text[pos:end + 1]  # one more: a boundary may end at the limit
        cut = 0
        for pattern in _BOUNDARIES:
            for m in pattern.finditer(window, least):
                if m.end() <= max_chars:
                    cut = m.end()
            if cut:
                break
        if not cut:
            # The last character after ``least`` that is not a combining mark (one
            # reverse search: a run of marks was walked back one regex call a
            # character, 7.5 CPU s a MB of them).
            base = _LAST_BASE.search(text, pos + least + 1, pos + max_chars + 1)
            cut = base.start() - pos if base else least
        out.append(text[pos:pos + cut])
        pos += cut
    if pos < n:
        out.append(text[pos:])
    return out


def bound_sentences(sentences: Iterable[str], lang: str,
                    max_chars: int = MAX_SENTENCE_CHARS) -> tuple[str, ...]:
    """``sentences`` with each one longer than ``max_chars`` split (stripped, non-empty).

    A long one is split by the sentence segmenter of ``lang`` first, then any
    piece still too long by :func:`chunk_text`.
    """
    from bitext.align.segment import split_sentences

    out: list[str] = []
    for s in sentences:
        if len(s) <= max_chars:
            out.append(s)
            continue
        for piece in split_sentences(s, lang):
            if len(piece) <= max_chars:
                out.append(piece)
            else:
                out.extend(c.strip() for c in chunk_text(piece, max_chars) if c.strip())
    return tuple(out)


def bound_document(doc: Document, max_chars: int = MAX_SENTENCE_CHARS) -> Document:
    """``doc`` with no sentence longer than ``max_chars`` characters.

    Units with only short sentences are kept as they are (the same objects).
    """
    if all(len(s) <= max_chars for u in doc.units for s in u.sentences):
        return doc
    units = tuple(
        u if all(len(s) <= max_chars for s in u.sentences)
        else replace(u, sentences=bound_sentences(u.sentences, doc.lang, max_chars))
        for u in doc.units
    )
    return replace(doc, units=units)


__all__ = ["bound_document", "bound_sentences", "chunk_text"]
