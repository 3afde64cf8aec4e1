"""DOCX automatic numbering (the numbering and styles parts, list counters,
number formats) and the font table that tells which fonts are symbol fonts.
"""

from __future__ import annotations

from typing import Any, TypeVar

from bitext.ingest.docxxml import (
    _CHARSET,
    _FONT,
    _LEVEL,
    _NUM_ID,
    _NUM_PR,
    _P_PR,
    _R_PR,
    _SYMBOL_CHARSET,
    _TOO_DEEP,
    _VANISH,
    _W,
    _XML_DEPTH,
    _int,
    _on,
    _Refused,
)

_Value = TypeVar("_Value")


class _Numbering:
    """Render Word's automatic paragraph numbering (decimal, roman, letters).

    Numbering comes from the paragraph's own ``numPr`` or from its paragraph
    style (and the styles it is based on). Counters belong to the abstract list,
    so list instances that share one continue each other, unless an instance
    restarts a level (``startOverride``); ``start`` values are honoured. The
    dictionaries are filled by :class:`_ListParts`; a list instance keeps the id
    of its abstract list only (each holding a copy of its list's nine levels,
    275,000 instances in a 16 MiB part took 905 MB).
    """

    def __init__(self) -> None:
        #: (abstract list id, level) -> (number format, number text, start)
        self.levels: dict[tuple[str | None, int], tuple[str, str, int]] = {}
        self.abstract_of: dict[str | None, str | None] = {}  # list instance -> abstract
        self.overrides: dict[tuple[str | None, int], int] = {}
        self.counters: dict[str | None, list[int]] = {}
        self.style_num: dict[str, tuple[str | None, int | None]] = {}
        self.based_on: dict[str, str] = {}
        #: each style's numbering, found through the styles it is based on
        self.found: dict[str, tuple[str | None, int | None]] = {}
        #: a style's own w:vanish (its rPr), and each style's found as numbering is
        self.vanish: dict[str, bool] = {}
        self.vanish_found: dict[str, bool] = {}
        #: w:vanish in the document defaults (docDefaults' rPrDefault): the value
        #: the styles' toggle (ECMA-376 part 1, 17.7.2-17.7.3)
        self.default_vanish = False
        #: the default paragraph and character styles (w:default="1"): a
        #: paragraph without pStyle, a run without rStyle, has them
        self.default_style: dict[str, str] = {}

    def hides(self, para_style: str | None, run_style: str | None) -> bool:
        """Whether text of paragraph style ``para_style`` and character style
        ``run_style`` (None: the default one) is hidden when no direct
        formatting says: the document default, toggled by each style that hides
        (a toggle property, ECMA-376 part 1, 17.7.3: hidden in both is shown)."""
        if not self.vanish:
            return self.default_vanish
        para = para_style if para_style is not None else self.default_style.get("paragraph")
        run = run_style if run_style is not None else self.default_style.get("character")
        return self.default_vanish ^ self.hidden(para) ^ self.hidden(run)

    def hidden(self, style: str | None) -> bool:
        """Whether style ``style`` hides its text: its own w:vanish, else that of
        the styles it is based on (a style's value overrides its base's,
        ECMA-376 part 1, 17.7.4.3), found once for each style as
        :meth:`_style_numbering` does."""
        return self._inherited(style, self.vanish, self.vanish_found, False)

    def _style_numbering(self, style: str | None) -> tuple[str | None, int | None]:
        """The numbering of paragraph style ``style``: its own, else that of the
        styles it is based on."""
        return self._inherited(style, self.style_num, self.found, (None, None))

    def _inherited(self, style: str | None, own: dict[str, _Value], found: dict[str, _Value],
                   default: _Value) -> _Value:
        """A style's value: its own (``own``), else that of the styles it is based
        on, else ``default``. Each style's is found once and kept in ``found``:
        walking the chain for every paragraph, 100,000 styles each based on the
        next and 20,000 paragraphs (a 530 KB DOCX) took 2 billion steps."""
        chain: list[str] = []
        seen: set[str] = set()
        value = default
        while style and style not in seen:
            if style in found:
                value = found[style]
                break
            seen.add(style)
            chain.append(style)
            if style in own:
                value = own[style]
                break
            style = self.based_on.get(style)
        for name in chain:  # each reaches ``value`` as this walk did
            found[name] = value
        return value

    def _level(self, nid: str | None, ilvl: int) -> tuple[str, str, int] | None:
        if nid not in self.abstract_of:
            return None
        return self.levels.get((self.abstract_of[nid], ilvl))

    def label(self, style: str | None, numpr: tuple[str | None, int | None] | None) -> str:
        """The number of a paragraph of paragraph style ``style`` and numbering
        properties ``numpr`` (numId, ilvl; None without a numPr), counted."""
        s_nid, s_ilvl = self._style_numbering(style)
        nid, ilvl_opt = numpr if numpr is not None else (None, None)
        nid = nid if nid is not None else s_nid
        ilvl = ilvl_opt if ilvl_opt is not None else (s_ilvl or 0)
        level = self._level(nid, ilvl) if nid is not None and nid != "0" else None
        if level is None or not 0 <= ilvl < _LIST_LEVELS:
            return ""
        key = self.abstract_of.get(nid, nid)
        counts = self.counters.setdefault(key, [0] * _LIST_LEVELS)
        if (nid, ilvl) in self.overrides:  # a restart, applied once
            counts[ilvl] = self.overrides.pop((nid, ilvl)) - 1
        elif counts[ilvl] == 0:
            counts[ilvl] = level[2] - 1
        counts[ilvl] += 1
        for deeper in range(ilvl + 1, _LIST_LEVELS):
            counts[deeper] = 0
        fmt, pattern, _ = level
        if fmt in ("bullet", "none") or len(pattern) > _MAX_NUMBER_TEXT:
            return ""
        out = pattern
        for n in range(ilvl + 1):
            lf = (self._level(nid, n) or ("decimal", "", 1))[0]
            out = out.replace(f"%{n + 1}", _format_number(max(counts[n], 1), lf))
        return out


_STYLE_EL, _BASED_ON = f"{_W}style", f"{_W}basedOn"
_RPR_DEFAULT = f"{_W}rPrDefault"
_ABSTRACT, _LVL, _NUM = f"{_W}abstractNum", f"{_W}lvl", f"{_W}num"
_ABSTRACT_ID, _OVERRIDE = f"{_W}abstractNumId", f"{_W}lvlOverride"
#: What a level (w:lvl) and a level override read from their children.
_LEVEL_FIELDS = {f"{_W}numFmt": "format", f"{_W}lvlText": "text", f"{_W}start": "start"}
_OVERRIDE_FIELDS = {f"{_W}startOverride": "start"}


class _ListParts:
    """lxml parser target reading into a :class:`_Numbering` what it needs of the
    styles part (each w:style's first basedOn, and numId and ilvl of the first
    numPr of its pPr) or of the numbering part (each w:abstractNum's levels: the
    first numFmt, lvlText and start of each w:lvl; each w:num's first
    abstractNumId and its level overrides' first startOverride), without a tree.

    A value is an element's w:val; a level or an override belongs to the
    innermost list holding it. A number Python cannot read is the default, as
    for a paragraph's numPr (:func:`_int`).
    """

    def __init__(self, into: _Numbering) -> None:
        self.into = into
        #: Open elements: (tag, the record its children fill, or None).
        self.open: list[tuple[str, dict[str, str | None] | None]] = []
        self.abstracts: list[str | None] = []  # ids of the open w:abstractNum
        self.nums: list[str | None] = []  # ids of the open w:num

    def doctype(self, *_: object) -> None:
        raise _Refused("holds a DTD (<!DOCTYPE>), which Word documents never hold")

    def start(self, tag: str, attrib: Any) -> None:
        if len(self.open) >= _XML_DEPTH:
            raise _Refused(_TOO_DEEP)
        parent, record = self.open[-1] if self.open else ("", None)
        mine: dict[str, str | None] | None = None
        val = attrib.get(f"{_W}val")
        if tag == _STYLE_EL:
            mine = {"id": attrib.get(f"{_W}styleId", "")}
            if _on(attrib.get(f"{_W}default", "0")):
                kind = attrib.get(f"{_W}type") or "paragraph"
                self.into.default_style.setdefault(kind, mine["id"] or "")
        elif tag == _R_PR and parent == _RPR_DEFAULT:
            mine = {}  # the document's default run properties
        elif (tag == _LVL and self.abstracts) or (tag == _OVERRIDE and self.nums):
            mine = {"level": attrib.get(f"{_W}ilvl")}
        elif tag == _ABSTRACT:
            self.abstracts.append(attrib.get(f"{_W}abstractNumId"))
        elif tag == _NUM:
            self.nums.append(attrib.get(f"{_W}numId"))
            mine = {}
        elif record is not None:
            if parent == _STYLE_EL:
                if tag == _BASED_ON:
                    record.setdefault("base", val or "")
                elif tag in (_P_PR, _R_PR):
                    mine = record  # its numPr, its vanish are the style's
            elif parent == _P_PR and tag == _NUM_PR and "numpr" not in record:
                record["numpr"] = ""
                mine = record
            elif parent == _R_PR and tag == _VANISH:
                record.setdefault("vanish", val or "true")
            elif parent == _NUM_PR and tag in (_NUM_ID, _LEVEL):
                record.setdefault("num_id" if tag == _NUM_ID else "num_level", val)
            elif parent == _LVL and tag in _LEVEL_FIELDS:
                record.setdefault(_LEVEL_FIELDS[tag], val)
            elif parent == _OVERRIDE and tag in _OVERRIDE_FIELDS:
                record.setdefault(_OVERRIDE_FIELDS[tag], val)
            elif parent == _NUM and tag == _ABSTRACT_ID:
                record.setdefault("abstract", val)
        self.open.append((tag, mine))

    def end(self, tag: str) -> None:
        _, record = self.open.pop()
        into = self.into
        if tag == _ABSTRACT:
            self.abstracts.pop()
        elif tag == _NUM:
            nid = self.nums.pop()
            if record is not None and "abstract" in record:
                into.abstract_of[nid] = record["abstract"]
        if record is None:
            return
        if tag == _R_PR and "id" not in record:  # docDefaults' rPrDefault
            into.default_vanish = _on(record["vanish"]) if "vanish" in record else False
            return
        if tag == _STYLE_EL:
            sid = record["id"] or ""
            if "base" in record:
                into.based_on[sid] = record["base"] or ""
            if "vanish" in record:
                into.vanish[sid] = _on(record["vanish"])
            if "numpr" in record:
                into.style_num[sid] = (record.get("num_id"), _int(record["num_level"], 0)
                                       if "num_level" in record else None)
        elif tag == _LVL:
            ilvl = _int(record["level"], 0)
            if 0 <= ilvl < _LIST_LEVELS:
                fmt, text = record.get("format"), record.get("text")
                into.levels[(self.abstracts[-1], ilvl)] = (
                    "decimal" if fmt is None else fmt, "%1." if text is None else text,
                    _int(record.get("start"), 1))
        elif tag == _OVERRIDE and "start" in record:
            into.overrides[(self.nums[-1], _int(record["level"], 0))] = _int(
                record["start"], 1)

    def data(self, text: str) -> None:
        return None

    def close(self) -> None:
        return None


class _FontTable:
    """lxml parser target reading the font table (word/fontTable.xml): the
    names, in lower case (Word matches a font's name so), of the fonts whose
    w:charset is the symbol character set (:data:`_SYMBOL_CHARSET`), in
    ``symbol``; a w:charset that is no hexadecimal number says nothing."""

    def __init__(self) -> None:
        self._symbol: set[str] = set()
        self._font: str | None = None  # the open w:font's name
        self._depth = 0

    def doctype(self, *_: object) -> None:
        raise _Refused("holds a DTD (<!DOCTYPE>), which Word documents never hold")

    def start(self, tag: str, attrib: Any) -> None:
        self._depth += 1
        if self._depth > _XML_DEPTH:
            raise _Refused(_TOO_DEEP)
        if tag == _FONT:
            self._font = (attrib.get(f"{_W}name") or "").strip().lower()
        elif tag == _CHARSET and self._font:
            try:
                charset = int(attrib.get(f"{_W}val") or "", 16)
            except ValueError:
                return
            if charset == _SYMBOL_CHARSET:
                self._symbol.add(self._font)

    @property
    def symbol(self) -> frozenset[str]:
        return frozenset(self._symbol)

    def end(self, tag: str) -> None:
        self._depth -= 1
        if tag == _FONT:
            self._font = None

    def data(self, text: str) -> None:
        return None

    def close(self) -> None:
        return None


#: Word's list levels, 0-8 (ECMA-376 part 1, 17.9: nine levels a list); a
#: paragraph or level outside them gets no number (an index past the counters was
#: an IndexError).
_LIST_LEVELS = 9
#: The longest number text (lvlText) rendered: a label is a few characters ("12.",
#: "(a)", "IV.", "第一条"), and nine levels of "%n." with words around them stay
#: under 40; a file repeating "%1" 100,000 times made 300 KB labels (past 60 s).
_MAX_NUMBER_TEXT = 64
#: Above this a number is written in digits whatever its format: a roman numeral
#: writes one M a thousand (a list starting at 999,999,999,999 took 3.7 GB), and
#: Word's own lists stop at 32,767.
_MAX_LIST_NUMBER = 32_767


def _format_number(n: int, fmt: str) -> str:
    if n > _MAX_LIST_NUMBER:  # no numeral of a real list: digits, of bounded cost
        return str(n)
    if fmt in ("upperRoman", "lowerRoman"):
        r = _roman(n)
        return r if fmt == "upperRoman" else r.lower()
    if fmt in ("upperLetter", "lowerLetter"):
        s = chr(ord("A") + (n - 1) % 26)
        return s if fmt == "upperLetter" else s.lower()
    if fmt in ("chineseCounting", "chineseCountingThousand", "ideographTraditional"):
        from bitext.languages.zh import counting_numeral

        return counting_numeral(n)
    return str(n)


def _roman(n: int) -> str:
    vals = [(1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
            (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]
    out = []
    for v, s in vals:
        while n >= v:
            out.append(s)
            n -= v
    return "".join(out)
