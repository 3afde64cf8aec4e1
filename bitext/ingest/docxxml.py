"""The WordprocessingML the DOCX readers share: element names, the nesting
limit, an on/off and a number attribute read as Word reads them, and what a part
holds that Word never writes (:class:`_Refused`).
"""

from __future__ import annotations

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
#: How deep libxml2 lets elements nest (with huge_tree; 256 without).
_XML_DEPTH = 2048


_TOO_DEEP = f"nests XML elements more than {_XML_DEPTH:,} deep (Word writes a few dozen levels)"


class _Refused(Exception):
    """What a DOCX part holds that Word never writes (the words after its name)."""
_P, _T, _P_PR = f"{_W}p", f"{_W}t", f"{_W}pPr"
_SPACES = frozenset({f"{_W}tab", f"{_W}br", f"{_W}cr"})
_BODY = f"{_W}body"
#: A note reference in the text, and a note in its part, by their kind's letter.
_REFS = {f"{_W}footnoteReference": "f", f"{_W}endnoteReference": "e"}
_NOTES = {f"{_W}footnote": "f", f"{_W}endnote": "e"}
_STYLE, _NUM_PR, _NUM_ID, _LEVEL = f"{_W}pStyle", f"{_W}numPr", f"{_W}numId", f"{_W}ilvl"
_TR, _TC = f"{_W}tr", f"{_W}tc"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
#: Elements whose content is no text of the document: tracked deletions and a
#: moved text at its old place (w:moveFrom's runs hold w:t, as any run), and
#: the copy for old readers of what mc:Choice holds (Word writes a text box
#: twice: a DrawingML shape, and VML in mc:Fallback).
_UNREAD = frozenset({f"{_W}del", f"{_W}moveFrom", f"{_MC}Fallback"})
#: Elements that stand for a character: a non-breaking hyphen is the word's
#: hyphen (made-up: "self-help"). A soft hyphen (w:softHyphen) shows only at a line
#: break, so it is none.
_CHARS = {f"{_W}noBreakHyphen": "-"}
_R, _R_PR, _R_STYLE, _VANISH = f"{_W}r", f"{_W}rPr", f"{_W}rStyle", f"{_W}vanish"
_SPEC_VANISH = f"{_W}specVanish"
#: Insert > Symbol: a character given by its code (w:char) in a font (w:font).
_SYM = f"{_W}sym"
#: The elements :class:`_Paragraphs` acts on (others only inside a pPr or a
#: run's rPr).
#: Where Word shows text the document part does not hold: an imported part
#: (w:altChunk: HTML, RTF, text or a document inside the DOCX, which converters
#: write and Word merges into the text when it opens the file; ECMA-376 17.17.2)
#: and a master document's subdocument (w:subDoc, a file of its own; 17.17.1.6).
_ELSEWHERE = {f"{_W}altChunk": "w:altChunk", f"{_W}subDoc": "w:subDoc"}


def _on(value: str | None) -> bool:
    """An ST_OnOff value (w:val of w:vanish, w:b...): absent is on."""
    return value is None or value.strip() in ("1", "true", "on")
#: The font table's w:charset of a symbol font (ECMA-376 part 1, 17.8.3.2: the
#: Windows character sets; SYMBOL_CHARSET is 2, as Word writes for Symbol,
#: Wingdings and Webdings).
_SYMBOL_CHARSET = 2
_FONT, _CHARSET = f"{_W}font", f"{_W}charset"


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default
