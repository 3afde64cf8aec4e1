"""A DOCX body's paragraphs as the XML is fed to them piece by piece: runs, tabs
and breaks, symbols, table rows, footnote references and the notes' texts.
"""

from __future__ import annotations

import itertools
from collections import Counter
from typing import Any

from bitext.ingest.docxlists import _Numbering
from bitext.ingest.docxxml import (
    _BODY,
    _CHARS,
    _ELSEWHERE,
    _LEVEL,
    _NOTES,
    _NUM_ID,
    _NUM_PR,
    _P,
    _P_PR,
    _R,
    _R_PR,
    _R_STYLE,
    _REFS,
    _SPACES,
    _SPEC_VANISH,
    _STYLE,
    _SYM,
    _T,
    _TC,
    _TOO_DEEP,
    _TR,
    _UNREAD,
    _VANISH,
    _W,
    _XML_DEPTH,
    _int,
    _on,
    _Refused,
)
from bitext.ingest.reader import FN_CLOSE, FN_OPEN, MARKS, NO_MARKS

_WATCHED = frozenset({_P, _T, _P_PR, *_REFS, *_NOTES, _BODY, *_SPACES, _TR, _TC, *_UNREAD,
                      *_CHARS, _R, _R_PR, _SYM, *_ELSEWHERE})
#: Between the cells of a table row read as one line: two spaces, the gap the
#: PDF reader keeps between a table's columns and that
#: :func:`bitext.ingest.structure.is_table_row` reads as a cell boundary (a
#: unit's text has one space there, as a PDF's row).
_CELL_GAP = "  "
#: Pieces of text a paragraph holds before joining them (a run's text is a piece;
#: UN paragraphs have 1-50 runs): bounds the list of a paragraph of millions of runs.
_PIECES = 1024


#: Adobe's Symbol encoding (the Symbol font's built-in encoding, PDF 32000-1
#: annex D.5; Unicode's VENDORS/ADOBE/symbol.txt), codes 0x20-0xFF in order;
#: a space stands for a code without a character (0x7F-0x9F, 0xF0, 0xFF) and
#: for 0x60, the radical's extender, a glyph piece. Word writes a Symbol-font
#: character as its code plus F000 (w:sym w:char="F0B3": >=). The pieces of
#: tall brackets and the integral sign have Unicode characters (U+239B-23AE).
_SYMBOL_FONT = (
    " !\u2200#\u2203%&\u220b()\u2217+,\u2212./0123456789:;<=>?"
    "\u2245\u0391\u0392\u03a7\u0394\u0395\u03a6\u0393\u0397\u0399\u03d1"
    "\u039a\u039b\u039c\u039d\u039f\u03a0\u0398\u03a1\u03a3\u03a4\u03a5"
    "\u03c2\u03a9\u039e\u03a8\u0396[\u2234]\u22a5_ "
    "\u03b1\u03b2\u03c7\u03b4\u03b5\u03c6\u03b3\u03b7\u03b9\u03d5\u03ba"
    "\u03bb\u03bc\u03bd\u03bf\u03c0\u03b8\u03c1\u03c3\u03c4\u03c5\u03d6"
    "\u03c9\u03be\u03c8\u03b6{|}\u223c"
    + " " * 33  # 0x7F-0x9F
    + "\u20ac\u03d2\u2032\u2264\u2044\u221e\u0192\u2663\u2666\u2665\u2660"
    "\u2194\u2190\u2191\u2192\u2193\u00b0\u00b1\u2033\u2265\u00d7\u221d"
    "\u2202\u2022\u00f7\u2260\u2261\u2248\u2026\u23d0\u23af\u21b5"
    "\u2135\u2111\u211c\u2118\u2297\u2295\u2205\u2229\u222a\u2283\u2287"
    "\u2284\u2282\u2286\u2208\u2209\u2220\u2207\u00ae\u00a9\u2122\u220f"
    "\u221a\u22c5\u00ac\u2227\u2228\u21d4\u21d0\u21d1\u21d2\u21d3"
    "\u25ca\u2329\u00ae\u00a9\u2122\u2211\u239b\u239c\u239d\u23a1\u23a2"
    "\u23a3\u23a7\u23a8\u23a9\u23aa \u232a\u222b\u2320\u23ae\u2321\u239e"
    "\u239f\u23a0\u23a4\u23a5\u23a6\u23ab\u23ac\u23ad ")
#: A symbol font's own glyph slots, as Word writes their codes (code + F000).
_FONT_SLOTS = range(0xF000, 0xF100)


def _symbol(attrib: Any, symbol_fonts: frozenset[str] = frozenset()) -> str | None:
    """The character of a w:sym: its w:char, a hexadecimal code. A Unicode font's
    code is the character. A symbol font's own glyph slot (F000-F0FF; in the
    Symbol font or a font the font table gives the symbol character set,
    ``symbol_fonts``, lower case, the code alone too, 20-FF): the
    Symbol font's is its character (:data:`_SYMBOL_FONT`); another font's
    (Wingdings, Webdings: pictures, no standard table to Unicode), or a Symbol
    slot without one, is None: no character, the caller says so. A code that
    is no text character (a control, a surrogate, not hexadecimal) is none."""
    try:
        code = int(attrib.get(f"{_W}char") or "", 16)
    except ValueError:
        return ""
    font = (attrib.get(f"{_W}font") or "").strip().lower()
    symbol = font == "symbol"
    if (symbol or font in symbol_fonts) and 0x20 <= code < 0x100:
        # the code alone (w:char="B3", as some producers write it) is the same
        # slot: a symbol font's cmap maps 20-FF and F020-F0FF alike
        code += _FONT_SLOTS.start
    if code in _FONT_SLOTS:
        if symbol and code >= 0xF020:
            char = _SYMBOL_FONT[code - 0xF020]
            return char if char != " " or code == 0xF020 else None
        return None
    if (code < 0x20 or 0x7F <= code < 0xA0 or 0xD800 <= code < 0xE000
            or code in (0xFFFE, 0xFFFF) or code > 0x10FFFF):
        return ""
    return chr(code)


class _Run:
    """An open w:r: its depth, and its own w:vanish and w:rStyle (rPr)."""

    __slots__ = ("depth", "style", "vanish")

    def __init__(self, depth: int) -> None:
        self.depth = depth
        self.vanish: bool | None = None  # direct formatting, absolute when set
        self.style: str | None = None


def _note_key(tag: str, attrib: Any) -> str:
    """A note reference's or a note's key in the marks: its kind and its id."""
    return (_REFS.get(tag) or _NOTES[tag]) + attrib.get(f"{_W}id", "")


class _Para:
    """One paragraph as it is read: its text and its numbering properties."""

    __slots__ = ("depth", "joined", "mark", "numpr", "pieces", "props", "run_in", "skip",
                 "style")

    def __init__(self, depth: int) -> None:
        self.pieces: list[str] = []
        self.joined: list[str] = []  # the pieces joined, _PIECES at a time
        self.skip = False  # the next w:t is a custom footnote mark, not text
        self.style: str | None = None  # the first pPr/pStyle's val
        self.numpr: tuple[str | None, int | None] | None = None  # the first pPr/numPr
        self.props = False  # the paragraph's first pPr has started
        self.depth = depth
        self.mark = _Run(depth + 1)  # the paragraph mark's properties (the pPr's rPr)
        #: the mark is hidden: Word shows the paragraph run into the next one
        self.run_in = False

    def add(self, text: str) -> None:
        self.pieces.append(text)
        if len(self.pieces) >= _PIECES:
            self.join()

    def join(self) -> None:
        self.joined.append("".join(self.pieces))
        self.pieces.clear()

    def text(self) -> str:
        return "".join(self.joined) + "".join(self.pieces)


class _Paragraphs:
    """lxml parser target reading the paragraphs of a WordprocessingML part.

    ``body``: the main document, whose paragraphs are those of its first w:body
    and whose footnote and endnote references number the notes (``marks``, in
    reference order, keyed by :func:`_note_key`); else a footnotes or endnotes
    part, each w:footnote or w:endnote a range of paragraphs (``notes``). A
    paragraph's text is what its w:t hold, w:tab/w:br/w:cr a space each and a
    note reference its mark between sentinels (the w:t after a custom mark's
    reference is that mark, w:noBreakHyphen a hyphen, w:sym its character,
    :func:`_symbol`); a paragraph inside another (a text box) has the text
    once, its own, not the outer one's. Deleted and moved-away text and
    mc:Fallback (:data:`_UNREAD`) are not read, nor hidden text (w:vanish,
    :meth:`_hidden`: Word neither shows nor prints it); a paragraph whose mark
    is hidden is marked ``run_in`` (:meth:`_mark_hidden`: Word shows it run
    into the next one). Paragraphs are listed
    in the order they start. ``styles``: what the styles part says (whose
    styles hide their text), if the document has one.
    """

    def __init__(self, marks: dict[str, str], body: bool,
                 styles: _Numbering | None = None,
                 symbol_fonts: frozenset[str] = frozenset()) -> None:
        self.marks = marks
        self.symbol_fonts = symbol_fonts
        self.body = body
        self.styles = styles
        self._runs: list[_Run] = []  # the open w:r, innermost last
        self._rpr: _Run | None = None  # the run whose rPr is open
        self.paragraphs: list[_Para] = []
        self.notes: list[tuple[str, int, int]] = []  # (id, first paragraph, end)
        #: symbols without a character (:func:`_symbol`) left out, by font
        self.symbols_left: dict[str, int] = {}
        #: the document's own U+E000-U+E004 (the reader's marks), left out
        self.marks_left = 0
        #: text held elsewhere (:data:`_ELSEWHERE`), by element
        self.elsewhere: Counter[str] = Counter()
        self._open: list[_Para] = []
        self._notes: list[tuple[str, int] | None] = []  # open w:footnote (None: a separator)
        self._depth = 0
        self._unread = 0  # the depth of the open _UNREAD element (0: none)
        self._in = 0 if body else 1  # nonzero where paragraphs count
        self._body_seen = False
        self._collect: _Para | None = None  # the paragraph taking the open w:t's text
        self._numpr: dict[str, str | None] | None = None  # the open numPr's numId, ilvl
        self._props: _Para | None = None  # the paragraph whose first pPr is open
        self._numbered = 0  # footnote marks numbered so far (not custom)
        # open table rows of the body: their depth and where each cell's
        # paragraphs start (the first entry: where the row's start)
        self._rows: list[tuple[int, list[int]]] = []

    def doctype(self, *_: object) -> None:
        # The Open Packaging Conventions (ECMA-376 part 2) make a DTD in a part
        # an error. Its entities would be expanded here (a "billion laughs").
        raise _Refused("holds a DTD (<!DOCTYPE>), which Word documents never hold")

    def start(self, tag: str, attrib: Any) -> None:
        depth = self._depth = self._depth + 1
        if depth > _XML_DEPTH:
            raise _Refused(_TOO_DEEP)
        self._collect = None
        if self._unread:
            return
        if self._props is not None:
            self._properties(self._props, tag, attrib)
        if self._rpr is not None and depth == self._rpr.depth + 2:
            if tag == _VANISH and self._rpr.vanish is None:
                self._rpr.vanish = _on(attrib.get(f"{_W}val"))
            elif tag == _R_STYLE and self._rpr.style is None:
                self._rpr.style = attrib.get(f"{_W}val") or ""
        if tag not in _WATCHED:  # most elements: run properties and drawings
            return
        if tag in _UNREAD:
            self._unread = depth
            return
        if not self._in:
            if tag == _BODY and self.body and depth == 2 and not self._body_seen:
                self._body_seen = True
                self._in = depth
            return
        if tag in _ELSEWHERE:
            self.elsewhere[_ELSEWHERE[tag]] += 1
            return
        if tag in (_TR, _TC):
            if self.body and not self._open:
                if tag == _TR:
                    self._rows.append((depth, [len(self.paragraphs)]))
                elif self._rows:
                    self._rows[-1][1].append(len(self.paragraphs))
            return
        if tag == _P:
            para = _Para(depth)
            self._open.append(para)
            if self.body or any(self._notes):
                self.paragraphs.append(para)
            return
        if tag in _NOTES and not self.body:
            if self._notes:
                # Each note's text would hold the text of those inside it (2,000
                # nested notes in 17 KB took 11.7 GB).
                raise _Refused("nests a note in a note (w:footnote or w:endnote inside "
                               "another), which Word never writes")
            counted = attrib.get(f"{_W}type") not in (
                "separator", "continuationSeparator", "continuationNotice")
            self._notes.append((_note_key(tag, attrib), len(self.paragraphs))
                               if counted else None)
            return
        if not self._open:
            if self.body and tag in _REFS:
                self._mark(tag, attrib)
            return
        inner = self._open[-1]
        if tag == _R:
            self._runs.append(_Run(depth))
        elif tag == _R_PR:
            if self._runs and self._runs[-1].depth == depth - 1:
                self._rpr = self._runs[-1]
        elif tag == _T:
            if inner.skip:
                inner.skip = False
            elif not self._hidden(inner):
                self._collect = inner
        elif tag == _P_PR:
            if depth == inner.depth + 1 and not inner.props:
                inner.props = True
                self._props = inner
        elif tag in _REFS:
            fid = _note_key(tag, attrib)
            if self.body:
                self._mark(tag, attrib)
            text = f"{FN_OPEN}{self.marks.get(fid, attrib.get(f'{_W}id', ''))}{FN_CLOSE}"
            custom = attrib.get(f"{_W}customMarkFollows") in ("1", "true", "on")
            inner.add(text)
            inner.skip = custom
        elif self._hidden(inner):
            return
        elif tag in _SPACES:
            inner.add(" ")
        elif tag in _CHARS:
            inner.add(_CHARS[tag])
        elif tag == _SYM:
            char = _symbol(attrib, self.symbol_fonts)
            if char is None:
                font = (attrib.get(f"{_W}font") or "?")[:40]
                self.symbols_left[font] = self.symbols_left.get(font, 0) + 1
            elif char in MARKS:
                self.marks_left += 1
            else:
                inner.add(char)

    def _hidden(self, para: _Para) -> bool:
        """Whether the open run of ``para`` is hidden text (w:vanish). The run's
        own w:vanish is absolute; else vanish is a toggle property (ECMA-376
        part 1, 17.7.3): the paragraph style's and the run's character style's
        each toggle it, so hidden in both is shown, and they toggle the
        document default. (A hidden paragraph mark hides the mark only, not the
        text: :meth:`_mark_hidden`. w:webHidden hides in Web layout only: text.)"""
        run = self._runs[-1] if self._runs else None
        if run is None:
            return False
        if run.vanish is not None:
            return run.vanish
        return self.styles is not None and self.styles.hides(para.style, run.style)

    def _mark_hidden(self, para: _Para) -> bool:
        """Whether the mark ending ``para`` is hidden: its run properties (the
        pPr's rPr) as a run's (:meth:`_hidden`); w:specVanish (Word's style
        separator) always hides it."""
        if para.mark.vanish is not None:
            return para.mark.vanish
        return self.styles is not None and self.styles.hides(para.style, para.mark.style)

    def _join_row(self, starts: list[int]) -> None:
        """The paragraphs of the table row whose cells start at ``starts[1:]``
        (``starts[0]``: the row's first paragraph) become one paragraph, each
        cell's paragraphs joined by a space and the cells by :data:`_CELL_GAP`,
        in order: a row is one line as a PDF's, whatever wraps in its cells."""
        first = starts[0]
        # the first cell from the row's start: nothing before it is lost
        bounds = [first, *starts[2:], len(self.paragraphs)]
        cells = [" ".join(t for p in self.paragraphs[a:b] if (t := p.text().strip()))
                 for a, b in itertools.pairwise(bounds)]
        del self.paragraphs[first:]
        row = _Para(0)
        row.add(_CELL_GAP.join(c for c in cells if c))
        row.join()
        if any(row.joined):
            self.paragraphs.append(row)

    def _mark(self, tag: str, attrib: Any) -> None:
        fid = _note_key(tag, attrib)
        if fid not in self.marks:
            if attrib.get(f"{_W}customMarkFollows") in ("1", "true", "on"):
                self.marks[fid] = "*"
            else:
                self._numbered += 1
                self.marks[fid] = str(self._numbered)

    def _properties(self, para: _Para, tag: str, attrib: Any) -> None:
        """An element inside the paragraph's first w:pPr: what its numbering reads
        (the first pStyle and numPr children, the numPr's first numId and ilvl)."""
        level = self._depth - para.depth
        if level == 2 and tag == _R_PR:
            self._rpr = para.mark  # the mark's run properties, read as a run's
        elif level == 3 and tag == _SPEC_VANISH and self._rpr is para.mark:
            if _on(attrib.get(f"{_W}val")):
                para.mark.vanish = True
        elif level == 2 and tag == _STYLE and para.style is None:
            para.style = attrib.get(f"{_W}val") or ""
        elif level == 2 and tag == _NUM_PR and para.numpr is None:
            self._numpr = {}
            para.numpr = (None, None)
        elif level == 3 and self._numpr is not None:
            key = {_NUM_ID: "id", _LEVEL: "level"}.get(tag)
            if key and key not in self._numpr:
                self._numpr[key] = attrib.get(f"{_W}val")

    def data(self, text: str) -> None:
        para = self._collect  # the innermost open paragraph, or none
        if para is not None:
            if not MARKS.isdisjoint(text):
                kept = text.translate(NO_MARKS)
                self.marks_left += len(text) - len(kept)
                text = kept
            pieces = para.pieces
            pieces.append(text)
            if len(pieces) >= _PIECES:
                para.join()

    def end(self, tag: str) -> None:
        depth = self._depth
        self._depth = depth - 1
        self._collect = None
        if self._unread:
            if depth == self._unread:
                self._unread = 0
            return
        if self._rpr is not None and depth == self._rpr.depth + 1:
            self._rpr = None  # the run's rPr ends
        props = self._props
        if props is not None:
            level = depth - props.depth
            if level == 2 and self._numpr is not None:  # the numPr ends
                found = self._numpr
                props.numpr = (found.get("id"),
                               _int(found["level"], 0) if "level" in found else None)
                self._numpr = None
            elif level == 1:  # the pPr ends
                self._props = None
        if tag not in _WATCHED:
            return
        if tag == _R:
            if self._runs and self._runs[-1].depth == depth:
                self._runs.pop()
        elif tag == _P:
            if self._open and self._open[-1].depth == depth:
                para = self._open.pop()
                para.join()  # one string a paragraph from here on
                para.run_in = self._mark_hidden(para)
                if (self.body and para is self.paragraphs[-1] and para.style is None
                        and para.numpr is None and not any(para.joined)):
                    # An empty paragraph without numbering makes no line and counts
                    # no number: not kept (16 MiB of <w:p/>, a 25 KB DOCX, took 781 MB).
                    # Its mark shown ends the line of one that runs into it.
                    self.paragraphs.pop()
                    if not para.run_in and self.paragraphs:
                        self.paragraphs[-1].run_in = False
        elif tag == _TR:
            if self._rows and self._rows[-1][0] == depth:
                self._join_row(self._rows.pop()[1])
        elif tag in _NOTES:
            if not self.body and self._notes:
                note = self._notes.pop()
                if note is not None:
                    self.notes.append((note[0], note[1], len(self.paragraphs)))
        elif tag == _BODY and self.body and self._in == depth:
            self._in = 0

    def close(self) -> None:
        return None
