"""Right-to-left lines of a PDF back in reading (logical) order.

A PDF places glyphs; it does not say in which order they are read. Many
producers (Chromium and every browser's "print to PDF", some Word exports) draw
an Arabic line glyph by glyph from left to right, so text taken in drawing order
or by position comes out reversed (``ﺔﻣﺎﻌﻟا ﺔﻴﻌﻤﺠﻟا`` for ``الجمعية العامة``),
while numbers and Latin words inside the line read left to right. The reader
takes every line's characters by position (left to right, the visual order) and
turns a right-to-left line into logical order here: the line is reversed, each
run of left-to-right characters (Latin letters, digits, and the spaces and
punctuation between them) is turned back, and paired brackets outside those runs
swap (a right-to-left line draws the opening bracket on the right).
"""

from __future__ import annotations

import itertools
import unicodedata
from collections.abc import Collection

import regex

#: A letter written right to left (Arabic, Hebrew, Syriac, Thaana, N'Ko; their
#: presentation forms included).
_RTL_LETTER = regex.compile(r"[\p{Bidi_Class=R}\p{Bidi_Class=AL}]")
_LTR_LETTER = regex.compile(r"\p{Bidi_Class=L}")
#: A run read left to right inside a right-to-left line: it starts and ends with a
#: left-to-right letter or a digit (European or Arabic-Indic: numbers are written
#: left to right in Arabic), and holds nothing written right to left.
_LTR_RUN = regex.compile(
    r"[\p{Bidi_Class=L}\p{Bidi_Class=EN}\p{Bidi_Class=AN}]"
    r"(?:[^\p{Bidi_Class=R}\p{Bidi_Class=AL}]*"
    r"[\p{Bidi_Class=L}\p{Bidi_Class=EN}\p{Bidi_Class=AN}])?"
)
_STRONG = regex.compile(r"[\p{Bidi_Class=L}\p{Bidi_Class=R}\p{Bidi_Class=AL}]")
#: A number after Arabic letters (an Arabic number): digits joined by common
#: separators (, . : /).
_NUMBER = regex.compile(r"\p{Nd}+(?:[,.:/]\p{Nd}+)*")
#: A number with no letter before it (a European number): digits joined by any
#: number separator or terminator (15-12345, 3/7, 50%).
_EN_NUMBER = regex.compile(
    r"\p{Bidi_Class=ET}*\p{Nd}(?:[\p{Nd}\p{Bidi_Class=ES}\p{Bidi_Class=CS}\p{Bidi_Class=ET}]*"
    r"\p{Nd})?\p{Bidi_Class=ET}*")
_STRONG_LETTER = regex.compile(r"[\p{Bidi_Class=L}\p{Bidi_Class=R}\p{Bidi_Class=AL}]")
_MIRROR = str.maketrans("()[]{}<>\u00ab\u00bb\u2039\u203a", ")(][}{><\u00bb\u00ab\u203a\u2039")
_KEEP: dict[int, int] = {}
_BRACKET = regex.compile(r"[()\[\]{}]")
#: What a mark glyph's wrong code gives: a left-to-right letter or a digit.
_MISMAPPED_MARK = regex.compile(r"[\p{Bidi_Class=L}\p{Nd}]")


def is_rtl(text: str) -> bool:
    """True when most of ``text``'s letters are written right to left."""
    rtl = len(_RTL_LETTER.findall(text))
    return rtl > 0 and rtl > len(_LTR_LETTER.findall(text))


class DocumentDirection:
    """A document's direction as its pages are read: most of the letters of the
    pages so far (the page being read included). A line or row without letters
    (table cells of numbers) takes it: an annex page of an Arabic document may
    hold more Latin letters (a long symbol, the job number) than Arabic ones, and
    its rows still read from the right."""

    def __init__(self) -> None:
        self.rtl = self.ltr = 0
        #: right-to-left lines whose brackets balance only as drawn shapes
        #: (chromium) / only as logical characters (LibreOffice): one producer
        #: made the whole file, so a line that balances neither way (a bracket
        #: pair broken over two lines) follows the majority
        self.shapes = self.codes = 0

    def add(self, text: str) -> bool:
        """Count ``text``'s letters; True when the document so far reads right to left."""
        self.rtl += len(_RTL_LETTER.findall(text))
        self.ltr += len(_LTR_LETTER.findall(text))
        return self.rtl > self.ltr


#: A Latin line as drawn in a right-to-left paragraph: its final punctuation, or
#: its closing bracket mirrored, comes first on the left (UAX 9, N1-N2: a neutral
#: between a left-to-right run and the paragraph's end takes the paragraph's
#: direction). No line read left to right opens so (``.A/70/305``) or opens a
#: bracket it never closes (``(A/70/6 (Sect. 7``).
_DRAWN_BY_RTL_PARAGRAPH = regex.compile(r"^\s*[.,;:!?]")


def reads_right_to_left(text: str, document_rtl: bool) -> bool:
    """True when the PDF line ``text`` (as drawn, left to right) is read from the
    right: most of its letters are right to left; or, in a right-to-left
    document, it has no letters (a row of numbers) or it is a Latin line drawn
    by a right-to-left paragraph (:data:`_DRAWN_BY_RTL_PARAGRAPH`)."""
    if is_rtl(text):
        return True
    if not document_rtl:
        return False
    if not has_direction(text) or _DRAWN_BY_RTL_PARAGRAPH.match(text):
        return True
    stripped = text.lstrip()
    return stripped.startswith("(") and text.count("(") > text.count(")")


def has_direction(text: str) -> bool:
    """True when ``text`` holds a letter with a direction (a row of numbers takes
    the page's)."""
    return _STRONG_LETTER.search(text) is not None


def visual_to_logical(visual: str, document: DocumentDirection | None = None) -> str:
    """A right-to-left line given left to right as drawn, in reading order.

    Brackets outside left-to-right runs swap, as a drawn shape reads the other
    way (chromium's text gives the shape); where that leaves the line's brackets
    unbalanced and keeping them balances it, the text gave the logical character
    of a mirrored glyph (LibreOffice) and they stay. A line that balances
    neither way (a pair broken over two lines) does as most of the
    ``document``'s lines that told the two apart did (swap without evidence)."""
    swapped = _visual_to_logical(visual, _MIRROR)
    if not _BRACKET.search(visual):
        return swapped
    kept = _visual_to_logical(visual, _KEEP)
    by_shape, by_code = _balanced(swapped), _balanced(kept)
    if document is not None and by_shape != by_code:
        document.shapes += by_shape
        document.codes += by_code
    if by_shape:
        return swapped
    if by_code or (document is not None and document.codes > document.shapes):
        return kept
    return swapped


def _balanced(text: str) -> bool:
    """True when every bracket of ``text`` closes one opened before it, and all close."""
    depth = 0
    for ch in _BRACKET.findall(text):
        depth += 1 if ch in "([{" else -1
        if depth < 0:
            return False
    return depth == 0


def _visual_to_logical(visual: str, mirror: dict[int, int]) -> str:
    reverse = visual[::-1]
    out: list[str] = []
    pos = 0
    for run in _LTR_RUN.finditer(reverse):
        out.append(reverse[pos:run.start()].translate(mirror))
        text = run.group(0)
        before = _STRONG.findall(reverse, 0, run.start())
        if _LTR_LETTER.search(text) or (before and _LTR_LETTER.match(before[-1])):
            out.append(text[::-1])
        elif not before:  # European numbers: each reads left to right, the row from the right
            out.append(_EN_NUMBER.sub(lambda m: m.group(0)[::-1], text.translate(mirror)))
        else:
            # numbers after Arabic letters are Arabic numbers (UAX 9, W2): only
            # a common separator (, . : /) joins two of them; between others
            # (2010-2013, 2013 و 2010) the line runs right to left
            out.append(_NUMBER.sub(lambda m: m.group(0)[::-1], text.translate(mirror)))
        pos = run.end()
    out.append(reverse[pos:].translate(mirror))
    return "".join(out)


def logical_line(chars: list[tuple[float, float, float, str]], rtl: bool | None = None,
                 document: DocumentDirection | None = None, raised: Collection[int] = (),
                 marks: tuple[str, str] = ("", ""), positions: bool = False) -> str:
    """The text of one PDF line from its characters ``(x0, x1, height, text)``:
    in drawing order when it reads left to right, else by position and then in
    logical order (:func:`visual_to_logical`). A space goes where the gap
    between two characters is wider than a tenth of their size (pdfminer's word
    margin, its default for every line it reads). ``rtl`` says the line's
    direction (default: :func:`is_rtl`); ``document`` keeps what its lines
    showed of their brackets (:func:`visual_to_logical`). ``raised``: indices
    of characters drawn as a superscript (note markers) in a right-to-left
    line; each run of them goes through the reordering as one right-to-left
    placeholder, so it stays after the word it is drawn beside, and comes back
    between ``marks`` (its digits left to right, a bracketed number as ``(1)``).
    ``positions``: a left-to-right line too is read by position, its glyphs
    drawn out of order (runs of one line that overlap)."""
    drawn = "".join(c[3] for c in chars)
    if not (is_rtl(drawn) if rtl is None else rtl):
        return _by_position(chars) if positions else drawn
    if any(c[1] > c[0] for c in chars):
        # a glyph that draws nothing forward (zero advance) is a combining mark;
        # given a digit's or a Latin letter's code (LibreOffice maps some Arabic
        # vowel marks so) the code is wrong, as no letter or digit is drawn so
        chars = [c for c in chars if c[1] > c[0] or not _MISMAPPED_MARK.fullmatch(c[3])]
    chars, on_letter, raised = _marks_on_letters(chars, raised)
    runs: list[tuple[float, str]] = []
    if raised:
        chars, runs = _raised_runs(chars, raised)
    ordered = sorted(chars, key=lambda c: c[0])
    parts: list[str] = []
    prev: tuple[float, float, float, str] | None = None
    for c in ordered:
        if prev is not None and _gap_space(prev, c):
            parts.append(" ")
        # a letter's marks come before it left to right, so after it once
        # reversed; a glyph of two marks lists them in reading order
        parts.extend(m[3][::-1] for m in on_letter.get(id(c), ()))
        # a glyph standing for several letters (a ligature) lists them in reading
        # order: reversed here so that reversing the line restores them
        parts.append(c[3][::-1] if len(c[3]) > 1 and is_rtl(c[3]) else c[3])
        prev = c
    line = visual_to_logical("".join(parts), document)
    for _, text in runs:  # reading order: from the right
        digits = text.replace("(", "").replace(")", "")
        line = line.replace(_PLACEHOLDER, marks[0] + (f"({digits})" if digits != text else digits)
                            + marks[1], 1)
    return line


_Char = tuple[float, float, float, str]


def _gap_space(prev: _Char, c: _Char) -> bool:
    """A space between ``prev`` and the next character ``c`` of a line (left to
    right by position): neither is a space and the gap between them is wider than
    a tenth of their size, the larger of their heights and widths (pdfminer's word
    margin, its default for every line it reads)."""
    if prev[3].isspace() or c[3].isspace():
        return False
    size = max(prev[2], c[2], c[1] - c[0], prev[1] - prev[0])
    return c[0] - prev[1] > 0.1 * size


def _by_position(chars: list[_Char]) -> str:
    """A left-to-right line's characters left to right by position, a space
    where :func:`_gap_space` finds a gap, as :func:`logical_line` does."""
    parts: list[str] = []
    prev: _Char | None = None
    for c in sorted(chars, key=lambda c: c[0]):
        if prev is not None and _gap_space(prev, c):
            parts.append(" ")
        parts.append(c[3])
        prev = c
    return "".join(parts)


def _is_mark(c: _Char) -> bool:
    """A vowel mark, shadda or other combining glyph: its code is combining
    characters only, or it has no code (``\x00``: a glyph of two marks drawn as
    one, which the font maps to nothing) and draws nothing forward."""
    text = unicodedata.normalize("NFKC", c[3])
    if text == "\x00" or not text:
        return c[1] <= c[0]
    return all(unicodedata.category(ch).startswith("M") for ch in text)


#: A gap narrower than this share of the size is no gap (pdfminer's word
#: margin, as :func:`logical_line` spaces).
_TOUCHING = 0.1


def _marks_on_letters(chars: list[_Char], raised: Collection[int] = ()
                      ) -> tuple[list[_Char], dict[int, list[_Char]], set[int]]:
    """``chars`` without the marks that belong to a letter, those marks by the
    ``id`` of their letter (left to right as drawn), and ``raised`` as indices of the
    chars kept.

    A producer draws a mark with no advance over its letter, or hanging past
    its edge (a tanween left of a narrow alef, a damma into the letter on the
    left); ordered by its own x it came after the letter on its left, a space
    before it when that letter ended further left than a tenth of the size
    (``المد ّرس``, ``كتابا ً``). A producer draws a letter's marks next to
    it: before it in a line drawn from the left (chromium's and LibreOffice's
    glyphs go left to right), after it in one drawn from the right. That
    neighbour is the mark's letter when it lies within the mark's size of it
    (an alef of no advance too: the second glyph of a lam-alef); else the
    letter whose box holds the mark, if one does."""
    if not any(_is_mark(c) for c in chars):
        return chars, {}, set(raised)
    letters = [c for c in chars if not _is_mark(c) and not c[3].isspace() and c[1] > c[0]]
    rightward = sum(b[0] > a[0] for a, b in itertools.pairwise(letters))
    from_left = rightward * 2 >= len(letters) - 1
    out: list[_Char] = []
    keep: dict[int, int] = {}
    on_letter: dict[int, list[_Char]] = {}
    for i, c in enumerate(chars):
        if not _is_mark(c):
            keep[i] = len(out)
            out.append(c)
            continue
        mid = (c[0] + c[1]) / 2
        around = chars[i + 1:] if from_left else chars[i - 1::-1] if i else []
        base = next((b for b in around if not _is_mark(b)), None)
        if (base is None or base[3].isspace()
                or max(base[0] - mid, mid - base[1]) > max(c[2], base[2])):
            # the second glyph of a ligature (a lam-alef's alef) is drawn with
            # no advance where its marks go; else the box the mark lies deepest in
            spot = [b for b in chars if not _is_mark(b) and not b[3].isspace()
                    and b[1] <= b[0] and abs(b[0] - mid) <= _TOUCHING * c[2]]
            holding = [b for b in letters if b[0] <= mid <= b[1]]
            base = (min(spot, key=lambda b: abs(b[0] - mid)) if spot else
                    max(holding, key=lambda b: min(mid - b[0], b[1] - mid), default=None))
        if base is None:
            keep[i] = len(out)
            out.append(c)  # near no letter: placed by its own x, as before
        else:
            on_letter.setdefault(id(base), []).append(c)
    if not from_left:  # drawn in reading order: reversed, as the line will be
        on_letter = {k: v[::-1] for k, v in on_letter.items()}
    return out, on_letter, {keep[i] for i in raised if i in keep}


#: Stands for a raised run while a line is reordered: an unassigned code point
#: whose default direction is right to left (U+1EC00; no text holds it).
_PLACEHOLDER = "𞰀"


def _raised_runs(chars: list[tuple[float, float, float, str]], raised: Collection[int]
                 ) -> tuple[list[tuple[float, float, float, str]], list[tuple[float, str]]]:
    """``chars`` with each run of raised characters (neighbours left to right)
    made one placeholder, and the runs' texts, from the right."""
    order = sorted(range(len(chars)), key=lambda i: chars[i][0])
    out: list[tuple[float, float, float, str]] = []
    runs: list[tuple[float, str]] = []
    prev_raised = False
    for i in order:
        c = chars[i]
        if i in raised and not c[3].isspace():
            if prev_raised:
                x0, _, h, _ = out[-1]
                out[-1] = (x0, c[1], h, _PLACEHOLDER)
                runs[-1] = (runs[-1][0], runs[-1][1] + c[3])
            else:
                out.append((c[0], c[1], c[2], _PLACEHOLDER))
                runs.append((c[0], c[3]))
            prev_raised = True
            continue
        out.append(c)
        prev_raised = False
    runs.sort(key=lambda r: -r[0])
    return out, runs
