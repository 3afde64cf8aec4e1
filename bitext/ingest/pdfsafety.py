"""A PDF read safely by pdfminer: its pages, under the limits that keep a damaged
or hostile file from holding a run up (inflation, content drawn, font tables,
text boxes, characters a page), and the checks made before pdfminer parses
(object streams, cross-reference streams, a stream's /Length, filters).

Each limit raises its own exception, which :func:`bitext.ingest.reader._pdf_text`
turns into one Error line.
"""

from __future__ import annotations

import logging
import re
import zlib
from collections.abc import Iterator
from typing import Any

from bitext.errors import InputError
from bitext.ingest.reader import _PIECE, MARKS, NO_MARKS, _env_number

log = logging.getLogger(__name__)
# pdfminer warns of what it works around in a font or a page ('Could not get
# FontBBox from font descriptor ...'): the text is read all the same, and the
# CLI showed each as a 'bitext: WARNING:' line about nothing the user can act
# on, before the result or the Error. What bitext cannot read is its own Error;
# pdfminer's errors still show. Set once, where bitext's PDF reader is made (a
# program that sets pdfminer's logger after that keeps its choice).
logging.getLogger("pdfminer").setLevel(logging.ERROR)


#: Largest ratio of a PDF's Flate streams inflated to their stored bytes, all
#: streams together. Measured: 1.2-4x (LibreOffice reports, the test data) and
#: 1.8-1.9x whole files, 10x the most repetitive single stream (two manuals in
#: /usr/share/doc); 100 leaves room for pages of repeated drawing operators. A
#: bomb is made at 500x and more, and pdfminer interprets about 55,000 operators
#: a CPU second (2026-12-05): 60 MB of them took minutes. Raise it with
#: BITEXT_PDF_MAX_RATIO.
PDF_MAX_RATIO = 100
#: Below this many inflated bytes (about 0.7 million operators, some seconds)
#: the streams cannot hold a run up for long, whatever their ratio.
_PDF_RATIO_FLOOR = 4 * 2**20
_PDF_STREAM = re.compile(rb"stream\r?\n")


#: The most content pdfminer may interpret, all pages together, against the
#: content the file holds (each stream counted once): a page draws its content once
#: and a form (a logo, a header) a few times, so a genuine file stays near 1
#: (measured: 1.00 on the test PDFs and two manuals in /usr/share/doc, 17 and 36
#: pages); forms drawing
#: each other make the bomb (3 KB of forms, 30 each, five deep: 24 million text
#: operators, hours).
PDF_MAX_DRAWN = 20
#: Below this much interpreted content the forms cannot hold a run up for long
#: whatever their ratio: pdfminer lays out about 0.1 MB of text operators a CPU
#: second (2026-12-05), so about 5 s.
_PDF_DRAWN_FLOOR = 2**19


#: The most text boxes of a page that pdfminer groups into its reading order:
#: the grouping compares every pair of boxes, its time and memory growing with
#: their number squared (1,000 boxes 10 CPU s and 230 MB, 2,000 boxes 28 s and
#: 820 MB, 2026-12-06). Genuine pages measured 6-34 boxes (the test PDFs and two
#: manuals in /usr/share/doc), a dense table some hundreds. A page with more is
#: read top left to bottom right as one group (pdfminer's flow order).
PDF_MAX_GROUPED_BOXES = 500
#: The most characters one page may draw: pdfminer keeps each as an object of
#: about 750 bytes until the page is laid out (a 1.6 KB page drawing a million
#: took 747 MB and 11 CPU s, 2026-12-06). Genuine pages measured 235-2,941 (the
#: test PDFs, two manuals in /usr/share/doc); a page in 6-point type holds about
#: 15,000. 200,000 stay under 150 MB.
PDF_MAX_PAGE_CHARS = 200_000
#: The most pairs of text boxes grouped in one PDF, all pages together (the sum
#: of each page's boxes squared): ten pages of 500 boxes, about 20 CPU s. Genuine
#: files measured 36-12,000 (a 36-page manual); a 1,000-page report of such pages
#: would take 1.2 million. Pages past it are read in flow order as above.
PDF_MAX_GROUPING = 2_500_000


def _pdf_pages(file: Any, name: str = "<PDF>") -> Iterator[Any]:
    """pdfminer's pages (``extract_pages``), with the content its interpreter runs
    counted: a form XObject is interpreted again each time a page or another form
    draws it. Past :data:`PDF_MAX_DRAWN` times the distinct content (and
    :data:`_PDF_DRAWN_FLOOR`), all pages together, :class:`_TooLarge` is raised.
    A stream whose /Length does not end at its ``endstream`` is read to the
    ``endstream`` (:class:`_LengthParser`), with a warning naming ``name``."""
    from pdfminer.converter import PDFPageAggregator
    from pdfminer.layout import LAParams, LTChar, LTPage, LTTextGroupLRTB
    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFParser
    from pdfminer.pdftypes import PDFObjRef, list_value, stream_value
    from pdfminer.utils import MATRIX_IDENTITY

    drawn = held = inline = 0
    seen: set[int] = set()  # the streams counted in ``held`` (pdfminer keeps each one)

    class Interpreter(PDFPageInterpreter):
        def render_contents(self, resources: Any, streams: Any,
                            ctm: Any = MATRIX_IDENTITY) -> None:
            nonlocal drawn, held, inline
            for item in list_value(streams):
                try:
                    stream = stream_value(item)
                    if id(stream) not in seen:
                        _check_whole(stream)
                    content = stream.get_data()
                except (_Inflated, _ReferenceLoop, _Damaged):
                    raise
                except Exception:  # not a stream: pdfminer reports it when it runs
                    continue
                if id(stream) not in seen:
                    seen.add(id(stream))
                    held += len(content)
                    inline += sum(n * n for n in _inline_image_sizes(content))
                    if inline > PDF_MAX_INLINE**2:
                        raise _InlineImages
                drawn += len(content)
                if drawn > max(_PDF_DRAWN_FLOOR, PDF_MAX_DRAWN * held):
                    raise _TooLarge
            super().render_contents(resources, streams, ctm=ctm)

    tables = [0]

    class Manager(PDFResourceManager):
        def get_font(self, objid: object, spec: Any) -> Any:
            # A font already read (pdfminer keeps them by object id) is not counted
            # again; the cache's name is pdfminer's own (no public accessor).
            if not (objid and objid in getattr(self, "_cached_fonts", {})):
                tables[0] += _font_table_entries(spec)
                if tables[0] > PDF_MAX_FONT_ENTRIES:
                    raise _TooManyEntries
            return super().get_font(objid, spec)

    class Document(PDFDocument):
        def getobj(self, objid: int) -> object:
            # An object that is a reference is followed here, a loop refused:
            # pdfminer's resolve1 follows a reference to a reference for as long
            # as there is one (5 0 R -> 6 0 R -> 5 0 R ran for ever).
            obj = super().getobj(objid)
            seen = {objid}
            while isinstance(obj, PDFObjRef):
                if obj.objid in seen:
                    raise _ReferenceLoop
                seen.add(obj.objid)
                obj = super().getobj(obj.objid)
            return obj

    grouped = [0]  # text box pairs grouped so far, all pages together

    class Page(LTPage):
        def group_textboxes(self, laparams: Any, boxes: Any) -> Any:
            n = len(boxes)
            if n <= PDF_MAX_GROUPED_BOXES and grouped[0] + n * n <= PDF_MAX_GROUPING:
                grouped[0] += n * n
                return super().group_textboxes(laparams, boxes)
            log.debug("page %s: %d text boxes read in page order, not grouped", self.pageid, n)
            return [LTTextGroupLRTB(boxes)]  # top left to bottom right

    class Aggregator(PDFPageAggregator):
        chars = 0  # drawn on the current page
        marks = 0  # glyphs whose character is one of the reader's marks, left out

        def begin_page(self, page: Any, ctm: Any) -> None:
            super().begin_page(page, ctm)
            self.cur_item = Page(self.pageno, self.cur_item.bbox)
            self.chars = 0

        def render_char(self, *args: Any, **kwargs: Any) -> float:
            self.chars += 1
            if self.chars > PDF_MAX_PAGE_CHARS:
                raise _TooManyChars(self.pageno)
            advance = float(super().render_char(*args, **kwargs))
            glyph = self.cur_item._objs[-1]  # the LTChar just made (pdfminer's list)
            if isinstance(glyph, LTChar) and not MARKS.isdisjoint(text := glyph.get_text()):
                # an icon font's private-use code point would be taken for the
                # reader's mark (a number between two became a footnote reference)
                glyph._text = text.translate(NO_MARKS)  # pdfminer's own field
                self.marks += 1
            return advance

    manager = Manager(caching=True)
    device = Aggregator(manager, laparams=LAParams())
    interpreter = Interpreter(manager, device)
    parser = _length_parser(PDFParser)(file)
    document = Document(parser, caching=True)
    _clamp_xref_streams(document)
    _check_decrypted_inflation(document)
    max_pages = _max_pages()
    claimed = _claimed_pages(document)
    if claimed > max_pages:  # refused before the walk, which costs 0.14 CPU ms a page
        raise _TooManyPages(claimed, claimed)
    for n, page in enumerate(PDFPage.create_pages(document), 1):
        if n > max_pages:  # a /Count that says fewer than the tree holds, or none
            raise _TooManyPages(None, claimed)
        interpreter.process_page(page)
        yield device.get_result()
    log.debug("PDF content drawn %d bytes, held %d; font table entries %d; inline "
              "images' sizes squared %d", drawn, held, tables[0], inline)
    if device.marks:
        log.warning("%s: %d glyphs whose font maps them to private-use characters "
                    "U+E000-U+E004 (an icon font's, with no meaning outside it; bitext "
                    "marks footnote references with them) left out of the text", name,
                    device.marks)
    if parser.mended:
        log.warning("%s: %d stream(s) whose /Length does not end at their 'endstream' (a "
                    "damaged PDF), read to the 'endstream' as PDF readers do; check the "
                    "text, or repair the file (qpdf IN.pdf OUT.pdf)", name, parser.mended)


#: What may stand between a stream's data and its ``endstream`` (PDF 32000-1
#: 7.3.8.1: an end-of-line marker; producers also write a space or none).
_ENDSTREAM_AFTER = re.compile(rb"[\x00\t\n\f\r ]*endstream")
_STREAM_LINE = re.compile(rb"[^\r\n]*(?:\r\n|\r|\n)?")


def _length_parser(base: type) -> type:
    """pdfminer's PDFParser reading a stream whose /Length does not end at its
    ``endstream`` to the ``endstream``, as PDF readers do (qpdf, MuPDF, pdf.js):
    pdfminer takes /Length bytes whatever follows, so a length too short cut the
    page's last lines without a word and one too long (or none) read the page as
    nothing. A length that ends at its ``endstream`` is kept, so a stream whose
    data holds the word is read as written."""

    class Parser(base):
        mended = 0  # streams read to their endstream

        def do_keyword(self, pos: int, token: Any) -> None:
            if token is self.KEYWORD_STREAM and not self.fallback and self.curstack:
                self._mend_length(pos)
            super().do_keyword(pos, token)

        def _mend_length(self, pos: int) -> None:
            from pdfminer.pdftypes import resolve1

            # Taken off the stack and put back: resolving an indirect /Length
            # parses that object with this parser, which resets its stack (as
            # pdfminer's own do_keyword does, having taken the dictionary off).
            (entry,) = self.pop(1)
            dic = entry[1]
            try:
                length = resolve1(dic.get("Length")) if isinstance(dic, dict) else None
            finally:
                self.push(entry)
            if not isinstance(dic, dict):
                return  # pdfminer reports it
            self.fp.seek(pos)
            line = _STREAM_LINE.match(self.fp.read(64))
            start = pos + (line.end() if line else 0)
            if isinstance(length, int) and length >= 0:
                self.fp.seek(start + length)
                if _ENDSTREAM_AFTER.match(self.fp.read(256)):
                    return
            end = _find_in_file(self.fp, b"endstream", start)
            if end < 0:
                return  # a file cut short: pdfminer reads what there is
            self.fp.seek(max(start, end - 2))
            before = self.fp.read(end - max(start, end - 2))
            end -= 2 if before.endswith(b"\r\n") else 1 if before[-1:] in (b"\r", b"\n") else 0
            dic["Length"] = end - start
            self.mended += 1

    return Parser


def _find_in_file(file: Any, needle: bytes, start: int) -> int:
    """Where ``needle`` first occurs in ``file`` at or after ``start``, -1 if
    nowhere; read a piece at a time (a large file is not copied whole)."""
    at = start
    tail = b""
    while True:
        file.seek(at)
        piece = file.read(_PIECE)
        if not piece:
            return -1
        found = (tail + piece).find(needle)
        if found >= 0:
            return at - len(tail) + found
        tail = piece[-(len(needle) - 1):]
        at += len(piece)


def _check_decrypted_inflation(document: Any) -> None:
    """An encrypted PDF's streams are counted as pdfminer decrypts them
    (:class:`_Inflation`): :func:`_check_pdf_inflation` sees them encrypted, which
    no filter decodes, and pdfminer opens a file whose user password is empty (a
    document locked against editing only) without asking: a deflate bomb inside
    one (88 KB -> 60 MB of drawing operators) ran past 60 s at 340 MB."""
    from pdfminer.pdftypes import resolve1

    decipher = document.decipher
    if decipher is None:
        return
    inflation = _Inflation()

    def counted(objid: int, genno: int, data: bytes, attrs: Any = None) -> Any:
        plain = decipher(objid, genno, data, attrs)
        if attrs is not None:  # a stream (a string has no attributes)
            named = resolve1(attrs.get("Filter") or attrs.get("F"))
            filters = [resolve1(f) for f in (named if isinstance(named, list)
                                             else [named] if named else [])]
            inflation.add(plain, [_literal_bytes(f) for f in filters])
        return plain

    document.decipher = counted


def _literal_bytes(value: object) -> bytes:
    """A PDF name (pdfminer's PSLiteral) as bytes; b"" for anything else."""
    from pdfminer.psparser import PSLiteral

    if not isinstance(value, PSLiteral):
        return b""
    name = value.name
    return name if isinstance(name, bytes) else name.encode("latin-1", "replace")


def _clamp_xref_streams(document: Any) -> None:
    """Cut each cross-reference stream's /Index ranges to the entries its data
    holds: pdfminer walks every object id a range declares (for a document whose
    page tree is missing it looks for pages among all of them), and 60 bytes can
    declare two billion ids. The entries past the data do not exist, so nothing
    the file holds is lost."""
    from pdfminer.pdfdocument import PDFXRefStream

    for xref in document.xrefs:
        if not (isinstance(xref, PDFXRefStream) and xref.entlen and xref.data is not None):
            continue
        left = len(xref.data) // xref.entlen
        ranges = []
        for start, count in xref.ranges:
            ranges.append((start, max(0, min(count, left))))
            left -= ranges[-1][1]
        xref.ranges = ranges


#: The largest inline image (BI ... ID data EI in a page's content) pdfminer may
#: read, in bytes; what it reads is the images' sizes squared and summed, against
#: this squared. pdfminer looks for the EI that ends the data one byte at a time
#: and copies all it has read at each 'E' byte, so its time grows with the square
#: of the size: 256 KiB of 'E' took 1.4 CPU s, 1 MiB 22 s, 30 MB of random bytes
#: ran past 60 s (2026-12-05). PDF 32000-1 (8.9.7) advises inline images of 4 KB
#: at most (larger ones are image XObjects): 16,384 of those fit.
PDF_MAX_INLINE = 256 * 2**10
_INLINE_START = re.compile(rb"BI(?=[\s/])")
_INLINE_DATA = re.compile(rb"(?<=\s)ID\s")
_INLINE_END = re.compile(rb"EI(?:\s|$)")


def _inline_image_sizes(content: bytes) -> Iterator[int]:
    """The size of each inline image's data in a content stream (from ID to EI, as
    pdfminer finds them; a BI that never reaches an EI runs to the end)."""
    at = 0
    while start := _INLINE_START.search(content, at):
        data = _INLINE_DATA.search(content, start.end())
        if data is None:
            return
        end = _INLINE_END.search(content, data.end())
        stop = end.start() if end else len(content)
        yield stop - data.end()
        if end is None:
            return
        at = end.end()


class _InlineImages(Exception):
    """The inline images are more than pdfminer reads in reasonable time."""


#: The most entries pdfminer may put in the fonts' tables (ToUnicode CMaps, /W and
#: /W2 widths), all fonts of a file together. It fills them one entry at a time
#: from ranges, so a few bytes (one bfrange over every 4-byte code, /W [0
#: 2000000000 500]) ask for billions (4 GB and 20 GB, killed at 60 s). A font
#: addresses at most 65,536 CIDs (PDF 32000-1, annex C, the CID limit) and maps
#: each at most once a table; 2**20 is sixteen such complete fonts, about 1 CPU
#: second. Measured (2026-12-05): 56 and 156 entries (the LibreOffice test
#: reports), 1,274 and 1,651 (two manuals in /usr/share/doc, 17 and 36 pages).
PDF_MAX_FONT_ENTRIES = 2**20


def _font_table_entries(spec: Any) -> int:
    """How many entries pdfminer would make for the tables of the font ``spec``
    (its ToUnicode CMap and its /W and /W2 widths), counted without making them
    and stopping past :data:`PDF_MAX_FONT_ENTRIES` (then :class:`_TooManyEntries`)."""
    import io

    from pdfminer.cmapdb import CMapParser, UnicodeMap
    from pdfminer.pdftypes import PDFStream, dict_value, resolve1

    count = 0

    class Counter(UnicodeMap):
        def add_cid2unichr(self, cid: int, code: Any) -> None:
            nonlocal count
            count += 1
            if count > PDF_MAX_FONT_ENTRIES:
                raise _TooManyEntries

    try:
        font = dict_value(spec)
    except Exception:  # not a font pdfminer can read: it says so when it reads it
        return 0
    if font.get("DescendantFonts") is not None:
        # A Type0 font: pdfminer reads its descendant with its ToUnicode, and
        # asks for that font again (counted then).
        return 0
    unicode = resolve1(font.get("ToUnicode"))
    if isinstance(unicode, PDFStream):
        try:
            CMapParser(Counter(), io.BytesIO(unicode.get_data())).run()
        except _TooManyEntries:
            raise
        except Exception:  # damaged: pdfminer warns when it reads the font
            pass
    for key, step in (("W", 3), ("W2", 5)):
        count += _width_entries(resolve1(font.get(key)), step)
        if count > PDF_MAX_FONT_ENTRIES:
            raise _TooManyEntries
    return count


def _width_entries(widths: Any, step: int) -> int:
    """The entries of a /W (``step`` 3: c_first c_last w) or /W2 (5) array: a list
    after a code gives one entry per item, ``c_first c_last ...`` one per code."""
    from pdfminer.pdftypes import resolve1

    if not isinstance(widths, list):
        return 0
    count = 0
    numbers: list[Any] = []
    for item in widths:
        item = resolve1(item)
        if isinstance(item, list):
            count += len(item) if numbers else 0
            numbers = []
        elif isinstance(item, (int, float)):
            numbers.append(item)
            if len(numbers) == step:
                first, last = numbers[0], numbers[1]
                if isinstance(first, int) and isinstance(last, int):
                    count += max(0, last - first + 1)
                numbers = []
    return count


#: A stream's filter list (PDF 32000-1, 7.3.8.2): one name or an array of names.
_PDF_FILTER = re.compile(rb"/Filter\s*(\[[^\]]*\]|/[^\s/\[\]<>()]+)")
_PDF_NAME = re.compile(rb"/([^\s/\[\]<>()]+)")


class _TooLarge(Exception):
    """Decoding or drawing went past its limit (a stream's filters, the content
    pdfminer interprets)."""


def _max_pages() -> int:
    """:data:`bitext.limits.PDF_MAX_PAGES`, or its environment variable's value."""
    from bitext.limits import PDF_MAX_PAGES, PDF_MAX_PAGES_ENV

    return int(_env_number(PDF_MAX_PAGES_ENV, PDF_MAX_PAGES))


def _claimed_pages(document: Any) -> int:
    """The pages the root of ``document``'s page tree counts (its /Count), 0 when
    it says none that can be read."""
    from pdfminer.pdftypes import resolve1

    try:
        count = resolve1(resolve1(document.catalog.get("Pages")).get("Count"))
    except Exception:  # a damaged page tree: pdfminer's walk (or its fallback) decides
        return 0
    return count if isinstance(count, int) and count > 0 else 0


class _TooManyPages(Exception):
    """A PDF of more pages than :func:`_max_pages`: ``pages`` its page tree's /Count
    says, or None when the tree holds more than it says (``claimed``)."""

    def __init__(self, pages: int | None, claimed: int) -> None:
        super().__init__(pages)
        self.pages, self.claimed = pages, claimed


class _TooManyChars(Exception):
    """A page draws more than :data:`PDF_MAX_PAGE_CHARS` characters."""

    def __init__(self, page: int) -> None:
        super().__init__(page)
        self.page = page


class _Damaged(Exception):
    """A page's compressed content does not decode to its end (:func:`_check_whole`)."""

    def __init__(self, objid: object, how: str) -> None:
        super().__init__(objid, how)
        self.objid, self.how = objid, how


def _check_whole(stream: Any) -> None:
    """Raise :class:`_Damaged` when the content stream ``stream``, deflated
    (/FlateDecode first), does not decode to the end of its data: pdfminer
    decodes what it can of damaged data and drops the rest without a word (a
    page cut short, lines lost after a changed byte). Data whole but for its
    zlib checksum (some producers leave it out) is whole. An encrypted stream is
    decrypted here, once, and pdfminer given its plain data (decrypting it again
    would count it twice in :func:`_check_decrypted_inflation`). A stream whose
    one filter is /FlateDecode, with no predictor, is given to pdfminer inflated,
    so it is inflated once."""
    from pdfminer.pdftypes import LITERALS_FLATE_DECODE

    raw = stream.rawdata
    if raw is None:
        return  # decoded already
    filters = stream.get_filters()
    if not filters or filters[0][0] not in LITERALS_FLATE_DECODE:
        return
    if stream.decipher is not None:
        raw = stream.decipher(stream.objid, stream.genno, raw, stream.attrs)
        stream.rawdata, stream.decipher = raw, None
    data, how = _inflated_whole(raw)
    if how is not None:
        raise _Damaged(stream.objid, how)
    params = filters[0][1]
    if data is not None and len(filters) == 1 and not (params and "Predictor" in params):
        stream.data, stream.rawdata = data, None  # as pdfminer's decode leaves it


def _inflated_whole(raw: bytes) -> tuple[bytes | None, str | None]:
    """Deflated ``raw`` inflated, and how it is damaged (None: whole): ``does not
    decode`` or ``is cut short``. Data whole but for its zlib checksum (some
    producers leave it out) is whole, its inflated bytes not given (None)."""
    inflate = zlib.decompressobj()
    try:
        data = inflate.decompress(raw)
    except zlib.error:
        return None, "does not decode"
    if inflate.eof:
        return data, None
    bare = zlib.decompressobj(-zlib.MAX_WBITS)  # the data alone, without the checksum
    try:
        bare.decompress(raw[2:])
    except zlib.error:
        return None, "does not decode"
    return None, None if bare.eof else "is cut short"


_OBJECT_START = re.compile(rb"(\d+)\s+\d+\s+obj\b")
_OBJECT_STREAM = re.compile(rb"/Type\s*/ObjStm(?![A-Za-z])")


def _damaged_object_stream(data: bytes) -> tuple[int, str] | None:
    """The first object stream (/Type /ObjStm: PDF 1.5 packs objects, page trees
    and pages too, into deflated streams) whose data does not inflate to its end,
    as ``(object number, how)``; None when every one is whole, or the file is
    encrypted (its streams' data cannot be told apart from damage here). pdfminer
    reads what it can of such a stream and loses the objects after the damage
    without a word."""
    if b"/Encrypt" in data or not _OBJECT_STREAM.search(data):
        return None
    for match in _PDF_STREAM.finditer(data):
        if data[max(0, match.start() - 3):match.start()] == b"end":
            continue  # the end of a stream, not the start of one
        before = data[max(0, match.start() - 4096):match.start()]
        starts = list(_OBJECT_START.finditer(before))
        head = before[starts[-1].end():] if starts else before
        if not _OBJECT_STREAM.search(head) or _stream_filters(head)[:1] != [b"FlateDecode"]:
            continue
        end = data.find(b"endstream", match.end())
        _, how = _inflated_whole(data[match.end():end if end >= 0 else len(data)])
        if how is not None:
            return (int(starts[-1].group(1)) if starts else 0), how
    return None


class _ReferenceLoop(Exception):
    """A PDF object that is a reference leads back to itself through references."""


class _TooManyEntries(Exception):
    """The fonts' tables would hold more than :data:`PDF_MAX_FONT_ENTRIES` entries."""


def _check_pdf_inflation(data: bytes, name: str) -> None:
    """Refuse a PDF whose compressed streams decode to more than
    :data:`PDF_MAX_RATIO` times their stored size (a decompression bomb), before
    pdfminer decodes and interprets them. Each stream goes through its filter chain
    (Flate, LZW, ASCII85, ASCIIHex, RunLength, in the order its /Filter names them)
    in bounded steps and is thrown away, so a bomb costs its decoding time, never
    its memory; a filter of none of these (an image's) or data that fails to decode
    ends the chain, and what it received is what counts."""
    inflation = _Inflation()
    for match in _PDF_STREAM.finditer(data):
        end = data.find(b"endstream", match.end())
        raw = data[match.end():end if end >= 0 else len(data)]
        # The stream's dictionary: from its object's start to the keyword.
        head = data[max(0, match.start() - 4096):match.start()]
        head = head[head.rfind(b"obj") + 1:]
        try:
            inflation.add(raw, _stream_filters(head))
        except _Inflated:
            raise _inflated(name) from None


class _Inflated(Exception):
    """Streams decode to more than :data:`PDF_MAX_RATIO` times their stored size."""


def _inflated(name: str) -> InputError:
    return InputError(
        f"{name}: its streams inflate to more than "
        f"{_env_number('BITEXT_PDF_MAX_RATIO', PDF_MAX_RATIO):g} times their size (a PDF "
        "bomb?); if the document is genuine, raise the limit with the environment variable "
        "BITEXT_PDF_MAX_RATIO")


class _Inflation:
    """The stored and decoded sizes of a PDF's streams, all streams together; past
    :data:`PDF_MAX_RATIO` (and :data:`_PDF_RATIO_FLOOR`) :class:`_Inflated` is
    raised, a stream decoded in bounded steps and thrown away."""

    def __init__(self) -> None:
        self.max_ratio = _env_number("BITEXT_PDF_MAX_RATIO", PDF_MAX_RATIO)
        self.stored = self.inflated = 0

    def add(self, raw: bytes, filters: list[bytes]) -> None:
        """Count the stream ``raw`` decoded through ``filters``."""
        self.stored += len(raw)
        limit = max(_PDF_RATIO_FLOOR, self.max_ratio * self.stored)
        try:
            for piece in _decoded(raw, filters, limit):
                self.inflated += len(piece)
                if self.inflated > limit:
                    raise _Inflated
        except _TooLarge:  # a stage's whole input past the limit
            raise _Inflated from None


def _stream_filters(head: bytes) -> list[bytes]:
    """The filters a stream's dictionary names, first to apply first; a stream that
    names none is tried as Flate (the inflater stops at once on anything else)."""
    match = _PDF_FILTER.search(head)
    return _PDF_NAME.findall(match.group(1)) if match else [b"FlateDecode"]


def _decoded(raw: bytes, filters: list[bytes], limit: float) -> Iterator[bytes]:
    """``raw`` through its filter chain, in pieces of about 1 MiB."""
    pieces: Iterator[bytes] = iter([raw])
    for name in filters:
        if name in (b"FlateDecode", b"Fl"):
            pieces = _inflate(pieces)
        elif name in (b"LZWDecode", b"LZW"):
            pieces = _lzw(_joined(pieces, limit))
        elif name in (b"ASCII85Decode", b"A85"):
            pieces = _whole(pieces, limit, "ascii85decode")
        elif name in (b"ASCIIHexDecode", b"AHx"):
            pieces = _whole(pieces, limit, "asciihexdecode")
        elif name in (b"RunLengthDecode", b"RL"):
            pieces = _run_length(_joined(pieces, limit))
        else:  # an image's filter (DCT, JPX, CCITT, JBIG2) or Crypt: not operators
            break
    return pieces


def _joined(pieces: Iterator[bytes], limit: float) -> bytes:
    """A stage's whole input (LZW and RunLength read theirs at once), refused past
    ``limit`` bytes."""
    out = bytearray()
    for piece in pieces:
        out += piece
        if len(out) > limit:
            raise _TooLarge
    return bytes(out)


def _whole(pieces: Iterator[bytes], limit: float, function: str) -> Iterator[bytes]:
    """An ASCII filter's output (it shrinks its input): pdfminer's decoder over the
    joined input; nothing when the data is damaged."""
    from pdfminer import ascii85

    data = _joined(pieces, limit)
    try:
        decoded = getattr(ascii85, function)(data)
    except Exception:  # damaged data: pdfminer says so when it reads the page
        return
    for at in range(0, len(decoded), _PIECE):
        yield decoded[at:at + _PIECE]


def _inflate(pieces: Iterator[bytes]) -> Iterator[bytes]:
    """Flate-decoded pieces of at most 1 MiB; nothing more once it is not Flate."""
    inflater = zlib.decompressobj()
    try:
        for chunk in pieces:
            while chunk and not inflater.eof:
                out = inflater.decompress(chunk, _PIECE)
                if out:
                    yield out
                chunk = inflater.unconsumed_tail
            if inflater.eof:
                return
    except zlib.error:
        return


def _lzw(raw: bytes) -> Iterator[bytes]:
    """``raw`` LZW-decoded (PDF's LZWDecode), about 1 MiB at a time: a code may
    stand for 4,000 bytes, so a few KB can decode to many MB."""
    import io

    from pdfminer.lzw import LZWDecoder

    out = bytearray()
    try:
        for piece in LZWDecoder(io.BytesIO(raw)).run():
            out += piece
            if len(out) >= _PIECE:
                yield bytes(out)
                out.clear()
    except Exception:  # damaged data: pdfminer says so when it reads the page
        pass
    yield bytes(out)


def _run_length(raw: bytes) -> Iterator[bytes]:
    """``raw`` RunLength-decoded (PDF 32000-1, 7.4.5), about 1 MiB at a time: a
    length byte below 128 copies the next 1-128 bytes, above 128 repeats the next
    byte 257 - length times, 128 ends the data."""
    out = bytearray()
    at = 0
    while at < len(raw) and raw[at] != 128:
        length = raw[at]
        if length < 128:
            out += raw[at + 1:at + 2 + length]
            at += 2 + length
        else:
            out += raw[at + 1:at + 2] * (257 - length)
            at += 2
        if len(out) >= _PIECE:
            yield bytes(out)
            out.clear()
    yield bytes(out)
