"""Tell how a plain-text file is laid out: one sentence a line, one paragraph a
line, or lines wrapped at a page width.

A plain-text file comes either as extracted document text (lines wrapped at a
page width, or one paragraph per line) or as a corpus file with one sentence
per line, which is how most parallel data is shared (Moses files, the UN
Parallel Corpus, the output of other aligners). The second kind has no
paragraphs, page furniture or wrapped lines to recover; cleaning and
structure would only do harm there: running numbers that jump, as in
excerpts, make the structure step join unrelated lines into one paragraph.

:func:`is_sentence_per_line` decides from two measurements of the non-blank
lines (blank lines between them change nothing):

* the share that ends like a sentence or a clause (any language's end
  punctuation, then closing quotes or brackets; or a comma, semicolon or colon);
* the share the sentence splitter cuts into more than one sentence.

Text saved from a word processor comes one paragraph a line, like a DOCX
file: :func:`is_paragraph_per_line` finds it from the same end-of-line share
and from line lengths no page would wrap at. Such a file is read as DOCX is,
every line break ending a unit, instead of being unwrapped.
"""

from __future__ import annotations

import regex

from bitext.ingest.clean import _TERMINAL
from bitext.limits import MAX_SENTENCE_CHARS

#: A line that ends a unit ends like a sentence, or like a clause of one: a
#: resolution's paragraphs end with "," or ";", a list's items with ";".
_CLAUSE_END = regex.compile(r"[,;:，；：、،؛]\s*$")

#: Share of lines that end a unit (:data:`_CLAUSE_END` or
#: :data:`bitext.ingest.clean._TERMINAL`: any language's end punctuation, then
#: closing marks), at least. Measured on ``../shared/data/unpc-testset`` (one
#: sentence per line, six languages): 0.81 (ar, fr, zh) to 0.83 (ru); the rest
#: are headings, table labels and names. Extracted text ends a line so only at a
#: paragraph's end or where a wrap falls after a comma: 0.17
#: (corpora/un-som-2016/en.txt) to 0.39 (tests/data/ccpcj_note_en.txt). The
#: cut lies above that, far enough below the sentence files' 0.8 that an
#: excerpt of a few lines with a heading still passes.
MIN_TERMINAL_SHARE = 0.55

#: Share of lines that split into several sentences, at most. 0.000-0.001 on
#: the six test-set files (where bitext's splitter disagrees with the one that
#: made the corpus); on the bundled report 0.14-0.20 wrapped and 0.42-0.47
#: written one paragraph a line (its gold paragraphs: 73% of them end like a
#: sentence, so this is the measurement that tells them apart). A few lines of
#: a sentence-per-line file may hold two sentences (a heading and its text).
MAX_MULTI_SHARE = 0.05


#: Widest line (80th percentile of the line lengths, characters) of text
#: wrapped at a page width, by script: 1.5 times what the bundled extractions
#: measure (Latin: 73-82 in corpora/un-som-2016/en.txt and tests/data; CJK:
#: 38-42), so that a wider page or a smaller font still reads as wrapped.
#: A file whose lines are mostly longer was not wrapped: one paragraph a line
#: (the bundled report so written: 596 in English, 163 in Chinese).
WRAP_WIDTH = {"latin": 120, "cjk": 63}


def ends_like_sentences(lines: list[str]) -> bool:
    """True when enough non-blank ``lines`` end a unit (:data:`MIN_TERMINAL_SHARE`)."""
    text = [ln.strip() for ln in lines if ln.strip()]
    terminal = sum(1 for ln in text if _TERMINAL.search(ln) or _CLAUSE_END.search(ln))
    return bool(text) and terminal >= MIN_TERMINAL_SHARE * len(text)


def is_paragraph_per_line(lines: list[str], lang: str) -> bool:
    """True when the non-blank ``lines`` are whole paragraphs (not wrapped)."""
    from bitext.types import is_cjk_lang

    text = [ln.strip() for ln in lines if ln.strip()]
    if not ends_like_sentences(text):  # False for no text
        return False
    widths = sorted(len(ln) for ln in text)
    return widths[int(len(widths) * 0.8)] > WRAP_WIDTH["cjk" if is_cjk_lang(lang) else "latin"]


def is_sentence_per_line(lines: list[str], lang: str) -> bool:
    """True when the non-blank ``lines`` read as one sentence per line."""
    from bitext.align.segment import split_sentences

    text = [ln.strip() for ln in lines if ln.strip()]
    if not ends_like_sentences(text):  # False for no text
        return False
    allowed = int(MAX_MULTI_SHARE * len(text))
    multi = 0
    for ln in text:
        # a line longer than any real sentence holds several (and splitting a
        # multi-megabyte line only to learn that would double its cost)
        if len(ln) > MAX_SENTENCE_CHARS or len(split_sentences(ln, lang)) > 1:
            multi += 1
            if multi > allowed:
                return False
    return True


__all__ = [
    "MAX_MULTI_SHARE",
    "MIN_TERMINAL_SHARE",
    "WRAP_WIDTH",
    "ends_like_sentences",
    "is_paragraph_per_line",
    "is_sentence_per_line",
]
