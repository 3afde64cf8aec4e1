"""Check a TMX file against the TMX 1.4b rules, with line numbers.

A DTD check alone misses what makes CAT tools drop a memory, so besides the
structure (root, header, body; required header attributes; ``tu`` with at least
one ``tuv``; ``tuv`` with exactly one ``seg``; element order) this checks:
``xml:lang`` on every ``tuv`` and a BCP 47-looking code without ``_`` (OmegaT
matches nothing with ``zh_CN``); date formats (``YYYYMMDDThhmmssZ``); a header
``srclang`` that is ``*all*`` or a language of the file (OmegaT drops a file
without one); characters XML 1.0 forbids (one form feed makes OmegaT drop the
whole memory); leading or trailing whitespace in ``seg``; duplicate ``tuid`` s.

The file is streamed: memory stays flat however many units it holds.
"""

from __future__ import annotations

import codecs
import io
import os
import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import IO, Any, cast

from lxml import etree

from bitext.errors import InputError
from bitext.fileio import decompressing, open_binary
from bitext.limits import DEFAULT_LIMITS, Limits, stream_budget
from bitext.tmx.reader import XML_LANG, iter_tmx_events, syntax_message
from bitext.tmx.text import FORBIDDEN_RE, LANG_CODE_RE

SEGTYPES = ("block", "paragraph", "sentence", "phrase")
HEADER_REQUIRED = (
    "creationtool", "creationtoolversion", "segtype", "o-tmf", "adminlang", "srclang", "datatype",
)
DATE_ATTRS = ("creationdate", "changedate", "lastusagedate")
INLINE = {
    "seg": {"bpt", "ept", "ph", "it", "hi", "ut"},
    "hi": {"bpt", "ept", "ph", "it", "hi", "ut"},
    "sub": {"bpt", "ept", "ph", "it", "hi", "ut"},
    "bpt": {"sub"}, "ept": {"sub"}, "ph": {"sub"}, "it": {"sub"}, "ut": {"sub"},
}
_DATE_RE = re.compile(r"^\d{8}T\d{6}Z$")
_CHARREF_RE = re.compile(r"&#(x[0-9A-Fa-f]+|[0-9]+);")
_ENCODING_RE = re.compile(rb"""^<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")
_CHAR_NAMES = {0x0B: "vertical tab", 0x0C: "form feed", 0x00: "NUL", 0x1B: "escape"}


class ValidationError(InputError):
    """A file is not valid against its standard; ``problems`` lists why."""

    def __init__(self, message: str, problems: list[Problem] | None = None) -> None:
        super().__init__(message)
        self.problems = problems or []


@dataclass(frozen=True)
class Problem:
    """One thing wrong, at a line (1-based; 0 when unknown)."""

    line: int
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}" if self.line else self.message


@dataclass
class ValidationReport:
    """The outcome of :func:`validate_tmx`: units counted and problems found."""

    path: str
    units: int = 0
    problems: list[Problem] = field(default_factory=list)
    standard: str = "TMX 1.4b"

    @property
    def ok(self) -> bool:
        return not self.problems

    def add(self, line: int | None, message: str) -> None:
        self.problems.append(Problem(line or 0, message))

    def raise_if_invalid(self) -> None:
        """Raise :class:`ValidationError` naming the count and the first problem."""
        if self.problems:
            n = len(self.problems)
            raise ValidationError(
                f"{self.path} is not valid {self.standard}: {n} problem(s), the first at "
                f"{self.problems[0]}",
                self.problems,
            )


def _char_desc(code: int) -> str:
    name = _CHAR_NAMES.get(code, "control character" if code < 0x20 else "non-character")
    if 0xD800 <= code <= 0xDFFF:
        name = "lone surrogate"
    return f"U+{code:04X} ({name})"


def _forbidden_ref(ref: str) -> int | None:
    value = int(ref[1:], 16) if ref[0] in "xX" else int(ref)
    ok = (
        value in (0x9, 0xA, 0xD)
        or 0x20 <= value <= 0xD7FF
        or 0xE000 <= value <= 0xFFFD
        or 0x10000 <= value <= 0x10FFFF
    )
    return None if ok else value


def _open(source: str | os.PathLike[str] | bytes, limits: Limits) -> IO[bytes]:
    if isinstance(source, bytes):
        return decompressing(io.BytesIO(source), "<stdin>")
    return open_binary(source, max_bytes=stream_budget(limits))


def _encoding(head: bytes) -> str:
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    match = _ENCODING_RE.match(head)
    name = match.group(1).decode("ascii") if match else "utf-8"
    try:
        codecs.lookup(name)
    except LookupError:
        return "utf-8"
    return name


#: Characters of a line the character scan reads at once.
_PIECE = 1 << 20


def _scan_characters(source: str | os.PathLike[str] | bytes, report: ValidationReport,
                     limits: Limits) -> None:
    """Report raw characters and character references XML 1.0 forbids, by line."""
    with _open(source, limits) as fh:
        buffered = io.BufferedReader(cast(io.RawIOBase, fh))
        encoding = _encoding(buffered.peek(200)[:200])
        text = io.TextIOWrapper(buffered, encoding=encoding, errors="replace", newline="")
        n, count, kinds, carry = 1, 0, set[int](), ""
        # A line is read in pieces of at most _PIECE characters (a file with no
        # line breaks must not become one string); a character reference cut by
        # a piece's end is carried over to the next piece.
        while piece := text.readline(_PIECE):
            chunk, carry = carry + piece, ""
            ended = piece.endswith(("\n", "\r"))
            amp = -1 if ended else chunk.rfind("&#")
            if amp != -1 and ";" not in chunk[amp:]:
                chunk, carry = chunk[:amp], chunk[amp:]
            if FORBIDDEN_RE.search(chunk):
                # By distinct character, not findall: a piece of a million NULs
                # (/dev/zero) made a million strings, 35 CPU s for the 200 MB read.
                present = [c for c in set(chunk) if FORBIDDEN_RE.match(c)]
                count += sum(chunk.count(c) for c in present)
                kinds.update(ord(c) for c in present)
            if "&#" in chunk:
                refs = [v for v in (_forbidden_ref(r) for r in _CHARREF_RE.findall(chunk))
                        if v is not None]
                count += len(refs)
                kinds.update(refs)
            if ended:
                _report_forbidden(report, n, count, kinds)
                n, count, kinds = n + 1, 0, set()
        _report_forbidden(report, n, count, kinds)


def _report_forbidden(report: ValidationReport, line: int, count: int, kinds: set[int]) -> None:
    if count:
        names = ", ".join(sorted({_char_desc(c) for c in kinds}))
        report.add(
            line,
            f"{count} character(s) XML 1.0 forbids: {names}; "
            "CAT tools reject the whole file (replace each by a space)",
        )


def _check_date(elem: Any, report: ValidationReport) -> None:
    for attr in DATE_ATTRS:
        value = elem.get(attr)
        if value is None:
            continue
        valid = bool(_DATE_RE.match(value))
        if valid:
            try:
                datetime.strptime(value, "%Y%m%dT%H%M%SZ")
            except ValueError:
                valid = False
        if not valid:
            report.add(
                elem.sourceline,
                f"<{elem.tag}> {attr}={value!r} is not a UTC date YYYYMMDDThhmmssZ "
                "(e.g. 20160930T120000Z)",
            )


def _check_code(elem: Any, attr: str, value: str, report: ValidationReport) -> None:
    if "_" in value:
        report.add(
            elem.sourceline,
            f"<{elem.tag}> {attr}={value!r} has an underscore; BCP 47 uses '-' "
            f"({value.replace('_', '-')!r}), and OmegaT matches nothing otherwise",
        )
    elif not LANG_CODE_RE.match(value):
        report.add(
            elem.sourceline,
            f"<{elem.tag}> {attr}={value!r} is not a BCP 47 language code such as en-GB",
        )


def _check_props(elem: Any, report: ValidationReport) -> None:
    for prop in elem.iterchildren("prop"):
        if not prop.get("type"):
            report.add(prop.sourceline, "<prop> has no type attribute (required)")
        if len(prop):
            report.add(prop.sourceline, "<prop> must hold text only, no elements")


def _check_inline(elem: Any, report: ValidationReport) -> None:
    allowed = INLINE.get(elem.tag, set())
    for child in elem:
        if not isinstance(child.tag, str):
            continue
        if child.tag not in allowed:
            report.add(child.sourceline, f"<{child.tag}> is not allowed inside <{elem.tag}>")
        else:
            _check_inline(child, report)


class _Checker:
    def __init__(self, report: ValidationReport) -> None:
        self.report = report
        self.tuids: set[str] = set()
        self.langs: dict[str, str] = {}  # lower-case code -> code as written
        self.header: Any = None
        self.header_attrs: dict[str, str] = {}
        self.header_line = 0

    def check_header(self, elem: Any) -> None:
        report = self.report
        self.header_attrs = dict(elem.attrib)
        self.header_line = elem.sourceline or 0
        for attr in HEADER_REQUIRED:
            if attr not in elem.attrib:
                report.add(elem.sourceline, f"<header> lacks the required attribute {attr}")
        segtype = elem.get("segtype")
        if segtype is not None and segtype not in SEGTYPES:
            report.add(
                elem.sourceline, f"<header> segtype={segtype!r} is not one of {', '.join(SEGTYPES)}"
            )
        adminlang = elem.get("adminlang")
        if adminlang is not None:
            _check_code(elem, "adminlang", adminlang, report)
        srclang = elem.get("srclang")
        if srclang is not None and srclang.lower() != "*all*":
            _check_code(elem, "srclang", srclang, report)
        _check_date(elem, report)
        for child in elem:
            if isinstance(child.tag, str) and child.tag not in ("note", "prop", "ude"):
                report.add(child.sourceline, f"<{child.tag}> is not allowed in <header>")
        _check_props(elem, report)

    def check_tu(self, elem: Any) -> None:
        report = self.report
        report.units += 1
        tuid = elem.get("tuid")
        if tuid is not None:
            if tuid in self.tuids:
                report.add(elem.sourceline, f"duplicate tuid {tuid!r}")
            self.tuids.add(tuid)
        segtype = elem.get("segtype")
        if segtype is not None and segtype not in SEGTYPES:
            report.add(elem.sourceline, f"<tu> segtype={segtype!r} is not one of {SEGTYPES}")
        srclang = elem.get("srclang")
        if srclang is not None and srclang.lower() != "*all*":
            _check_code(elem, "srclang", srclang, report)
        _check_date(elem, report)
        _check_props(elem, report)
        seen_tuv = False
        for child in elem:
            if not isinstance(child.tag, str):
                continue
            if child.tag == "tuv":
                seen_tuv = True
                self.check_tuv(child)
            elif child.tag in ("note", "prop"):
                if seen_tuv:
                    report.add(child.sourceline, f"<{child.tag}> must come before the <tuv>s")
            else:
                report.add(child.sourceline, f"<{child.tag}> is not allowed in <tu>")
        if not seen_tuv:
            report.add(elem.sourceline, "<tu> has no <tuv> (at least one is required)")

    def check_tuv(self, elem: Any) -> None:
        report = self.report
        lang = elem.get(XML_LANG)
        if lang is None:
            if elem.get("lang") is not None:
                report.add(elem.sourceline, "<tuv> uses the deprecated lang; use xml:lang")
            else:
                report.add(elem.sourceline, "<tuv> has no xml:lang (required)")
        else:
            _check_code(elem, "xml:lang", lang, report)
            self.langs.setdefault(lang.lower(), lang)
        _check_date(elem, report)
        _check_props(elem, report)
        segs = 0
        for child in elem:
            if not isinstance(child.tag, str):
                continue
            if child.tag == "seg":
                segs += 1
                self.check_seg(child)
            elif child.tag in ("note", "prop"):
                if segs:
                    report.add(child.sourceline, f"<{child.tag}> must come before <seg>")
            else:
                report.add(child.sourceline, f"<{child.tag}> is not allowed in <tuv>")
        if segs != 1:
            report.add(elem.sourceline, f"<tuv> has {segs} <seg> elements; exactly one is required")

    def check_seg(self, seg: Any) -> None:
        _check_inline(seg, self.report)
        text = "".join(seg.itertext())
        if text != text.strip():
            self.report.add(
                seg.sourceline,
                "<seg> text has leading or trailing whitespace (trim it; CAT tools "
                "will not match it exactly)",
            )

    def check_srclang(self) -> None:
        srclang = self.header_attrs.get("srclang")
        if srclang is None or srclang.lower() == "*all*" or not self.langs:
            return
        if srclang.lower() not in self.langs:
            found = ", ".join(sorted(self.langs.values())[:10])
            self.report.add(
                self.header_line,
                f"<header> srclang={srclang!r} is no tuv's language (found: {found}); "
                "use one of them or *all*",
            )


def validate_tmx(
    source: str | os.PathLike[str] | bytes, name: str | None = None, *,
    limits: Limits = DEFAULT_LIMITS,
) -> ValidationReport:
    """Check a TMX (``.tmx`` or gzip-compressed) file; bad content is reported, not raised.

    Returns a :class:`ValidationReport`; call its ``raise_if_invalid()`` to turn
    problems into a :class:`ValidationError`. ``source`` may be the file's bytes,
    with ``name`` used in messages. A file that cannot be read at all (missing,
    damaged or truncated compression) raises :class:`~bitext.errors.InputError`, and
    so does a stream (a pipe, a device) longer than ``limits`` allow.
    """
    path = name or ("<stdin>" if isinstance(source, bytes) else os.fspath(source))
    report = ValidationReport(path)
    _scan_characters(source, report, limits)
    checker = _Checker(report)
    seen: list[str] = []
    saw_root = False
    with _open(source, limits) as fh:
        events = iter_tmx_events(fh)
        try:
            for event, elem in events:
                tag = elem.tag
                if event == "start":
                    parent = elem.getparent()
                    if tag == "tmx" and parent is None:
                        saw_root = True
                        _check_entities(elem, report)
                        if elem.get("version") != "1.4":
                            report.add(
                                elem.sourceline,
                                f"<tmx> version={elem.get('version')!r}; TMX 1.4b needs '1.4'",
                            )
                    elif parent is None:
                        report.add(elem.sourceline, f"root element is <{tag}>, not <tmx>")
                        return _sorted(report)
                    elif tag in ("header", "body") and parent.tag == "tmx":
                        seen.append(tag)
                    elif tag == "tu" and parent.tag != "body":
                        report.add(elem.sourceline, f"<tu> inside <{parent.tag}>, not <body>")
                    continue
                if tag == "header":
                    checker.check_header(elem)
                elif tag == "tu":
                    checker.check_tu(elem)
                    elem.clear()
                    while (prev := elem.getprevious()) is not None:
                        if isinstance(prev.tag, str) and prev.tag != "tu":
                            report.add(prev.sourceline, f"<{prev.tag}> is not allowed in <body>")
                        del elem.getparent()[0]
                elif tag == "body":
                    for child in elem:
                        if isinstance(child.tag, str) and child.tag != "tu":
                            report.add(child.sourceline, f"<{child.tag}> is not allowed in <body>")
                elif tag == "tmx":
                    for child in elem:
                        if isinstance(child.tag, str) and child.tag not in ("header", "body"):
                            report.add(child.sourceline, f"<{child.tag}> is not allowed in <tmx>")
        except etree.XMLSyntaxError as err:
            report.add(err.lineno, f"not well-formed XML: {syntax_message(err)}")
            return _sorted(report)
        except (OSError, EOFError) as err:
            report.add(0, f"cannot read the file: {err}")
            return _sorted(report)
    if not saw_root:
        root = getattr(events, "root", None)
        what = f"root element is <{root.tag}>" if root is not None else "no root element"
        report.add(1, f"{what}, not <tmx>")
        return _sorted(report)
    if seen != ["header", "body"]:
        report.add(
            1, f"<tmx> must hold <header> then <body>; found {', '.join(seen) or 'neither'}"
        )
    checker.check_srclang()
    return _sorted(report)


def _check_entities(root: Any, report: ValidationReport) -> None:
    """Report every entity the DOCTYPE's internal subset declares
    (:func:`doctype_entities`)."""
    for problem in doctype_entities(root, "TMX"):
        report.add(1, problem)


def doctype_entities(root: Any, standard: str) -> list[str]:
    """A problem for every entity the DOCTYPE's internal subset of ``root``'s
    document declares (``standard``: TMX, TBX, which use none).

    Neither standard uses one of its own (TMX 1.4b's DTD declares none, TBX
    is checked by RELAX NG, and the XML's five are built in). bitext never
    expands one, but a tool that does would read an external entity's file or
    address (an XXE) or blow up nested ones (the "billion laughs"), so a file
    from elsewhere is checked before it reaches such a tool. The standard
    ``<!DOCTYPE tmx SYSTEM "tmx14.dtd">`` declares nothing and stays valid.
    """
    dtd = root.getroottree().docinfo.internalDTD
    if dtd is None:
        return []
    problems = []
    for entity in dtd.iterentities():
        if entity.system_url:
            problems.append(f"the DOCTYPE declares an external entity {entity.name!r} "
                            f"(SYSTEM {entity.system_url!r}): a tool that resolves it reads "
                            "that file or address; remove the declaration and its uses")
        else:
            problems.append(f"the DOCTYPE declares an entity {entity.name!r}, which "
                            f"{standard} does not use; write its text in place and remove "
                            "the declaration")
    return problems


def _sorted(report: ValidationReport) -> ValidationReport:
    report.problems.sort(key=lambda p: p.line)
    return report
