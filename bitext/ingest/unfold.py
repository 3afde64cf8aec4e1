"""Lines that hold many paragraphs, cut back into one line per paragraph and heading.

A text layer with every line break removed (a PDF extraction that lost them, a
copy-paste, a whole document on one line) is one "line" of the structure
parser: one unit, headings run into the sentence after them, and the paragraph
numbers that anchor paragraph alignment are lost. The structure is still in the
text, because UN paragraph numbers run through the whole document: paragraph
``N + 1.`` comes after ``N.``, at a sentence end, or right after a heading
(``II. Activities to assist States 4. UNXO has...``, ``二、协助各国的活动4.毒品...``).

:func:`unfold_lines` follows that sequence through a long line. A number is a
paragraph start when it is the next one (or the one after, for a number the
extraction lost) and what comes before it back to the last sentence end is
either nothing or headings: text without sentence punctuation, short, opening
with a heading label of the language layer (``I.``, ``A.``, ``1.``, and the
language's own chapter numerals and section letters: ``一、``, Arabic ``أولا -``,
Cyrillic ``Б.``). The line is cut before each heading label
and before the paragraph number; the pieces keep their spans in the source.

What a page break left inside the text comes out too: a run of page furniture
holding a job number (``4/13 V.16-04962 CTOC/COP/2016/3``) is removed, a
footnote block (a separator line's underscores, then the notes, up to that
furniture) becomes lines of its own after the text (where the footnote parser
finds it), and a word hyphenated at the old line end (``techni- cal``) is joined
when the dehyphenator would have joined it across the line break.
"""

from __future__ import annotations

import functools
import itertools
from dataclasses import replace

import regex

from bitext.ingest.clean import _FURNITURE_TOKEN, _JOB, _SYMBOL, Dehyphenator, Line
from bitext.languages import find_language, union
from bitext.limits import MAX_SENTENCE_CHARS
from bitext.types import is_cjk_lang

#: Lines longer than this (characters) are unfolded. Twice the longest sentence
#: the aligner keeps whole (4,000 characters, five times the longest of the 24,000
#: UN test-set sentences): a real paragraph is rarely that long, and unfolding
#: one anyway only cuts where the next paragraph number follows a sentence end.
LONG_LINE = 2 * MAX_SENTENCE_CHARS

#: Longest run of headings (characters) between a sentence end and the next
#: paragraph number: a chapter, a section and a numbered sub-heading title in a
#: row. The longest heading line of corpora/un-som-2016 has 93 characters.
MAX_HEADINGS_CHARS = 400


@functools.cache
def _patterns(lang: str) -> tuple[regex.Pattern[str], regex.Pattern[str]]:
    """(sentence end, heading label) patterns for ``lang``, plus every language's
    end punctuation (a document carries lines in other languages)."""
    ends = regex.escape("".join(union("sentence_end")) + "．")
    closing = regex.escape("".join(union("closing")))
    end = regex.compile(rf"[{ends}](?:\s?[{closing}])*\s*")
    lg = find_language(lang)
    seps = (lg.paragraph_separators if lg else ".．")
    dots = "".join(c for c in seps if c in ".．")
    dashes = "".join(c for c in seps if c not in ".．")
    sep = "|".join(x for x in (f"[{regex.escape(dots)}]" if dots else "",
                                rf"\s*[{regex.escape(dashes)}]" if dashes else "") if x)
    own = []
    if lg and lg.heading_numerals:
        words = "|".join(regex.escape(w) for w in sorted(lg.heading_numerals, key=len,
                                                          reverse=True))
        numeral_sep = (rf"\s*[{regex.escape(lg.numeral_separators)}]"
                       if lg.numeral_separators else f"(?:{sep})")
        own.append(rf"(?:{words})\p{{Mn}}*{numeral_sep}\s?")
    if lg and lg.section_letters:
        names = "|".join(regex.escape(w) for w in lg.section_letters)
        own.append(rf"(?:{names})(?:{sep})\s")
    label = regex.compile(
        # after a space, a line start or a character of an unspaced script; never
        # inside a word or a number
        r"(?<![\p{Latin}\p{Cyrillic}\p{Arabic}\d.．/\-])"
        rf"(?:[IVXL]{{1,5}}[.．]\s?(?=\S)|[A-Z][.．]\s?(?=\S)|\d{{1,2}}(?:{sep})\s?(?=\S)"
        + "".join(f"|{x}" for x in own)
        # a heading opens with a capital (or a letter of an uncased script)
        + r")(?!\s*\p{Ll})"
    )
    return end, label


def _number(value: int, lang: str) -> regex.Pattern[str]:
    """Paragraph ``value`` or ``value + 1`` (one number lost), with its separator."""
    lg = find_language(lang)
    seps = regex.escape(lg.paragraph_separators if lg else ".．")
    return regex.compile(
        rf"(?<![\p{{Latin}}\p{{Cyrillic}}\p{{Arabic}}\d.．,/\-])(?P<n>{value}|{value + 1})"
        rf"\s*[{seps}](?!\d)(?=\s*\S)"
    )


#: A run of page-furniture tokens separated by spaces (symbols, job numbers, page
#: numbers ``3/13``, dates); removed when it holds a job number.
_RUN = regex.compile(rf"(?:{_FURNITURE_TOKEN.pattern})(?:\s+(?:{_FURNITURE_TOKEN.pattern}))*")
_JOB_RE = regex.compile(_JOB)
_RULE = regex.compile(r"[_＿]{8,}")
_HYPHEN = regex.compile(r"(?<=\p{Ll})- (?=\p{Ll})")


def _runs(text: str) -> list[tuple[int, int]]:
    """Spans of the furniture runs of ``text`` that hold a job number. A document
    symbol at either end of a run belongs to it only when it is a running head
    (printed on three pages or more); else it is text (``A/70/59.`` in a note)."""
    out = []
    counts: dict[str, int] | None = None
    for m in _RUN.finditer(text):
        if not _JOB_RE.search(m.group(0)):
            continue
        if counts is None:  # symbols counted once, only for a text with furniture
            counts = {}
            for sym in _SYMBOL_RE.finditer(text):
                counts[sym.group(0)] = counts.get(sym.group(0), 0) + 1
        tokens = list(_FURNITURE_TOKEN.finditer(text, m.start(), m.end()))
        while tokens and _text_symbol(tokens[0].group(0), counts):
            tokens.pop(0)
        while tokens and _text_symbol(tokens[-1].group(0), counts):
            tokens.pop()
        if tokens:
            out.append((tokens[0].start(), tokens[-1].end()))
    return out


def _text_symbol(token: str, counts: dict[str, int]) -> bool:
    """A document symbol that is not a running head: it occurs fewer than 3 times."""
    return bool(_SYMBOL_RE.fullmatch(token)) and counts.get(token, 0) < 3


_SYMBOL_RE = regex.compile(_SYMBOL)


def _notes(text: str, runs: list[tuple[int, int]], cuts: list[int]) -> list[tuple[int, int]]:
    """Footnote blocks: a rule, then notes (a number, then text) up to the next
    furniture run or paragraph start; a rule with no numbered note after it is a
    block of its own (the notes were on another page)."""
    notes: list[tuple[int, int]] = []
    stops = sorted([a for a, _ in runs] + cuts)
    for m in _RULE.finditer(text):
        if notes and m.start() < notes[-1][1]:
            continue
        end = next((x for x in stops if x >= m.end()), len(text))
        if end - m.end() > MAX_FOOTNOTES_CHARS or not _NOTE_START.match(text, m.end()):
            end = m.end()
        notes.append((m.start(), end))
    return notes


def _split_notes(body: str) -> list[str]:
    """The notes of one block, each opening with its number: note ``k + 1`` starts
    after a sentence end of note ``k``."""
    first = regex.match(r"\s*(\d{1,3})", body)
    if first is None:
        return [body]
    notes, k, pos = [], int(first.group(1)), 0
    while True:
        nxt = regex.compile(rf"(?<=[.。!?！？)）])\s*(?={k + 1}\s*\S)").search(body, pos + 1)
        if nxt is None:
            notes.append(body[pos:].strip())
            return [n for n in notes if n]
        notes.append(body[pos:nxt.start()].strip())
        pos, k = nxt.end(), k + 1


_NOTE_START = regex.compile(r"\s*(?:\d{1,3}|\*{1,3})\s*(?=\S)(?!\d)")


#: Longest footnote block (characters) between a separator rule and the page
#: furniture after it: a page's footnotes, at most a few hundred characters each.
MAX_FOOTNOTES_CHARS = 3000


def unfold_lines(lines: list[Line], lang: str) -> tuple[list[Line], bool]:
    """``lines`` with each line longer than :data:`LONG_LINE` cut before its
    paragraph numbers and headings, its inline page furniture removed and its
    footnote blocks moved after it; also whether any line was cut."""
    if not any(len(ln.text) > LONG_LINE for ln in lines):
        return lines, False
    out: list[Line] = []
    last = 0  # the last paragraph number met, across lines
    cut_any = False
    spaced = not is_cjk_lang(lang)
    for line in lines:
        text = line.text
        if len(text) <= LONG_LINE:
            out.append(line)
            continue
        runs = _runs(text)
        cuts, last = _cuts(text, lang, last, runs)
        notes = _notes(text, runs, cuts)
        holes = sorted(runs + notes)
        bounds = [0, *sorted(set(cuts)), len(text)]
        dehyph = Dehyphenator(text, lang) if spaced else None
        pieces = []
        for a, b in itertools.pairwise(bounds):
            piece = _without(text, a, b, holes, " " if spaced else "")
            if dehyph is not None:
                piece = _dehyphenate(piece, dehyph)
            if piece.strip():
                pieces.append(replace(line, text=piece, start=line.start + a,
                                      end=line.start + b, page_break=line.page_break and a == 0))
        cut_any = cut_any or len(pieces) > 1
        out.extend(pieces)
        for a, b in notes:
            rule = _RULE.match(text, a)
            mid = rule.end() if rule else a  # each block starts at its rule
            body = text[mid:b].strip()
            if body:
                out.append(replace(line, text=text[a:mid], start=line.start + a,
                                   end=line.start + mid, page_break=False))
                out.extend(replace(line, text=note, start=line.start + mid,
                                   end=line.start + b, page_break=False)
                           for note in _split_notes(body))
    return out, cut_any


def _without(text: str, a: int, b: int, holes: list[tuple[int, int]], gap: str) -> str:
    """``text[a:b]`` with the ``holes`` inside it left out (each replaced by ``gap``)."""
    parts, pos = [], a
    for x, y in holes:
        if y <= pos or x >= b:
            continue
        parts.append(text[pos:max(x, pos)])
        parts.append(gap)
        pos = min(y, b)
    parts.append(text[pos:b])
    return "".join(parts)


def _dehyphenate(text: str, dehyph: Dehyphenator) -> str:
    """``text`` with each ``word- rest`` joined where the dehyphenator says so."""
    return _HYPHEN.sub(lambda m: _join(text, m, dehyph), text)


def _join(text: str, m: regex.Match[str], dehyph: Dehyphenator) -> str:
    # a word is short: look back a bounded window, never through the whole text
    head = regex.search(r"\p{L}+$", text[max(0, m.start() - 100):m.start()])
    tail = regex.match(r"\p{L}+", text[m.end():])
    if head and tail and dehyph.join(head.group(0), tail.group(0)):
        return ""
    return m.group(0)


def _cuts(text: str, lang: str, last: int, holes: list[tuple[int, int]],
          ) -> tuple[list[int], int]:
    """Cut positions in ``text`` and the last paragraph number after it; numbers
    inside ``holes`` (furniture, footnotes) do not count."""
    end, label = _patterns(lang)
    cuts: list[int] = []
    pos = 0
    opened = 0  # end of the last paragraph number: headings come after it
    while True:
        m = _number(last + 1, lang).search(text, pos)
        if m is None:
            return cuts, last
        q = m.start()
        if any(x <= q < y for x, y in holes):
            pos = m.end()
            continue
        lo = max(cuts[-1] if cuts else 0, q - MAX_HEADINGS_CHARS, opened)
        # back to the last sentence end before the number (or the last cut); the
        # period of a label ("A.", "1.") ends no sentence
        labels = [(h.start(), h.end()) for h in label.finditer(text, lo, q)]
        starts = [e.end() for e in end.finditer(text, lo, q)
                  if not any(a <= e.start() < b for a, b in labels)]
        before = starts[-1] if starts else lo
        heads: list[int] = []
        if text[before:q].strip():
            # headings: labels with no sentence punctuation between them and q
            heads = [a for a, _ in labels if a >= before]
            if not heads:
                pos = m.end()
                continue
        cuts.extend(h for h in heads if h > 0)
        if q > 0:
            cuts.append(q)
        last = int(m.group("n"))
        pos = opened = m.end()


__all__ = ["LONG_LINE", "unfold_lines"]
