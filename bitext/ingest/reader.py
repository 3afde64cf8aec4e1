"""Read a document file into text: plain text in any common encoding, DOCX, PDF.

Plain text is decoded as :mod:`bitext.fileio.decode` finds: UTF-8 (with or
without BOM), UTF-16/32, or a legacy encoding told by how plausible the decoded
text is (GB18030, Big5, cp1252/Latin-1, cp1251, cp1256); when unsure, an Error
asks for ``--encoding``. DOCX paragraphs
come out one per line with their automatic numbering rendered (``12.``, ``A.``,
``(a)``) and footnote references marked with private-use sentinels that the
cleaner turns into metadata; footnote texts follow a separator line at the end,
the way they appear in text extracted from PDF. PDF text comes from its text
layer (pdfminer.six), pages separated by form feeds.
"""

from __future__ import annotations

import itertools
import logging
import re
import zipfile
import zlib
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from bitext.errors import InputError, MissingDependencyError

if TYPE_CHECKING:
    from bitext.ingest.bidi import DocumentDirection

log = logging.getLogger(__name__)

# Footnote reference sentinels (private-use code points) around a footnote number.
FN_OPEN = "\ue000"
FN_CLOSE = "\ue001"
# Around a number a PDF draws raised and smaller than its line (a superscript): a
# footnote marker when the document has that note (clean.MarkerRemover decides).
RAISED_OPEN = "\ue002"
RAISED_CLOSE = "\ue003"

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@dataclass(frozen=True)
class RawText:
    """Decoded text of a file and how it was obtained."""

    text: str
    path: str
    format: str  # "text" | "docx" | "pdf"
    encoding: str = "utf-8"
    #: True when every line is a whole paragraph (DOCX); False for wrapped text.
    paragraph_lines: bool = False


def read_file(path: str | Path, encoding: str | None = None, *,
              max_bytes: int | None = None, max_text_mb: float | None = None) -> RawText:
    """Read ``path`` (``-`` for stdin) and return its text.

    ``encoding`` is used for a plain-text file that is not Unicode (not valid
    UTF-8 and without a byte-order mark); by default that encoding is detected
    (:mod:`bitext.fileio.decode`). ``max_bytes`` bounds what is read from a
    stream (stdin, a FIFO, a device such as ``/dev/zero``): one that goes on
    longer raises :class:`InputError` (:func:`bitext.limits.too_big`) instead of filling the
    memory (a regular file's size is checked before it is read, by
    :func:`bitext.limits.check_file_size`). ``max_text_mb`` refuses a legacy-encoded
    text over that many MB of UTF-8 before its encoding is judged (see
    :func:`~bitext.fileio.decode.decode_bytes`). Raises :class:`InputError` for a
    missing, empty, binary or undecodable file.
    """
    from bitext.fileio.read import read_bounded, stdin_bytes

    name = str(path)
    if name == "-":
        data = read_bounded(stdin_bytes(), name, max_bytes)
    else:
        p = Path(path)
        if not p.exists():
            from bitext.fileio.read import missing

            raise InputError(f"{name}: {missing(p)}; check the path")
        if p.is_dir():
            raise InputError(f"{name}: is a folder, not a document file")
        try:
            with open(p, "rb") as fh:
                data = read_bounded(fh, name, max_bytes)
        except OSError as err:
            from bitext.fileio.read import unreadable

            raise InputError(unreadable(name, err)) from err
    if not data.strip():
        raise InputError(f"{name}: the file is empty; give a document with text in it")
    from bitext.fileio.sniff import HEAD_BYTES, by_content

    kind = by_content(data[:HEAD_BYTES])
    if name != "-":
        kind = _check_named_kind(name, kind, data)
    if kind == "pdf":
        return RawText(_pdf_text(data, name), name, "pdf")
    if kind == "zip":
        return _read_zip(data, name)
    if kind == "ole":
        raise InputError(_ole_problem(name, data))
    if kind == "image":
        raise InputError(_image_problem(name, data))
    if kind == "rtf":
        raise InputError(f"{name}: an RTF file; save it as .docx, PDF or UTF-8 text first")
    text, found = decode_text(data, name, encoding, max_text_mb=max_text_mb)
    return RawText(text, name, "text", found)


def _ole_problem(name: str, data: bytes) -> str:
    """What an OLE compound file is and what to do: a password-protected DOCX, or
    an old binary Word or Excel file."""
    from bitext.fileio.sniff import is_encrypted_office

    if is_encrypted_office(data):
        return (f"{name}: a password-protected (encrypted) Office document; open it in Word, "
                "remove the password (File > Info > Protect Document) and save it as .docx")
    return f"{name}: an old binary Word (.doc) or Excel file; save it as .docx, PDF or text first"


def _image_problem(name: str, data: bytes) -> str:
    from bitext.fileio.sniff import image_format

    return (f"{name}: an image ({image_format(data)}), not a document with text; run OCR on "
            "it (e.g. ocrmypdf) or give the document's text, DOCX or PDF")


def _check_named_kind(name: str, kind: str | None, data: bytes) -> str | None:
    """The kind to read ``name`` as, or an Error when its name promises a PDF or a
    Word document and its bytes are something else (a renamed text file, a web
    page saved by a failed download): reading it as text would align the wrong
    thing. Other names go by their content (a PDF named ``.txt`` is read as PDF).
    """
    from bitext.fileio.sniff import HEAD_BYTES, by_name, is_html, pdf_header_within

    named = by_name(name)
    if named not in ("pdf", "zip") or kind == named:
        return kind
    if named == "pdf" and pdf_header_within(data):
        return "pdf"
    if kind == "ole":
        raise InputError(_ole_problem(name, data))
    if kind == "image":
        raise InputError(_image_problem(name, data))
    held = {"zip": "a ZIP file", "pdf": "a PDF", "rtf": "an RTF file"}.get(kind or "", "")
    if not held:
        held = ("HTML (a saved web page or a download's error page?)"
                if is_html(data[:HEAD_BYTES]) else "plain text")
    what = "a PDF" if named == "pdf" else "a Word document (.docx)"
    suffix = Path(name).suffix
    raise InputError(f"{name}: named {suffix} but not {what}: the file holds {held}; "
                     f"give the real {suffix} file, or rename it to match what it holds")


def decode_text(data: bytes, name: str = "<bytes>", encoding: str | None = None, *,
                max_text_mb: float | None = None) -> tuple[str, str]:
    """Decode bytes of a text file; return ``(text, encoding)``.

    ``encoding`` forces an encoding, refused when it makes implausible text of
    ``data`` and detection finds a better one (see :func:`~bitext.fileio.decode.decode_bytes`);
    by default the encoding is detected. Raises :class:`InputError` for binary data
    or an encoding that cannot be told for sure (the message names --encoding).
    """
    from bitext.fileio.decode import decode_bytes

    text, found = decode_bytes(data, name, encoding, limit_mb=max_text_mb)
    _reject_binary(text, name)
    return text, found


def _reject_binary(text: str, name: str) -> None:
    sample = text[:20000]
    bad = sum(1 for c in sample if (ord(c) < 32 and c not in "\t\n\r\f\v") or c == "\x7f")
    if sample and bad / len(sample) > 0.01:
        raise InputError(f"{name}: looks like a binary file, not text, DOCX or PDF")


# --------------------------------------------------------------------------- PDF


#: A page object as a PDF writes it uncompressed (``/Type /Page``, not ``/Pages``).
_PAGE_OBJECT = re.compile(rb"/Type\s*/Page(?![A-Za-z])")


def _pdf_text(data: bytes, name: str) -> str:
    try:
        from pdfminer.pdfparser import PDFSyntaxError
    except ImportError as err:
        raise MissingDependencyError("pdfminer.six") from err
    import io

    from pdfminer.pdfdocument import PDFEncryptionError, PDFTextExtractionNotAllowed

    from bitext.ingest.bidi import DocumentDirection

    _check_pdf_inflation(data, name)
    # Before pdfminer: it reads what it can of a damaged object stream and goes on
    # without the objects it lost (pages after the first, a font), or fails on
    # their garbled remains.
    if (damaged := _damaged_object_stream(data)) is not None:
        raise InputError(
            f"{name}: its object stream (object {damaged[0]}), where a PDF 1.5 file packs "
            f"its objects, is damaged: its compressed data {damaged[1]}, so the objects in "
            "it are lost, pages or fonts, and their text with them (a file cut short or "
            "changed in a copy or a download); export the PDF again from its source (or "
            "download it again), or use the document's DOCX or text version")
    pages: list[str] = []
    direction = DocumentDirection()
    gutters: list[float] = []  # where the pages so far had two columns
    edges: dict[float, tuple[float, float]] = {}  # ... and where those columns' lines start
    spacing: list[float] = []  # the usual line gaps the pages so far measured
    try:
        for page in _pdf_pages(io.BytesIO(data), name):
            pages.append(_page_text(page, direction, gutters, edges, spacing))
    except _InlineImages:
        raise InputError(
            f"{name}: its pages hold inline images (BI/ID/EI) too large for pdfminer, whose "
            f"time grows with their size squared (one of {PDF_MAX_INLINE >> 10} KB or many "
            "smaller; PDF 32000-1 8.9.7 advises 4 KB each); use the document's DOCX or "
            "text version") from None
    except _Inflated:
        raise _inflated(name) from None
    except _Damaged as err:
        raise InputError(
            f"{name}: page {len(pages) + 1}: its content (object {err.objid}) is damaged: "
            f"its compressed data {err.how}, so the text after it is lost (a file cut "
            "short or changed in a copy or a download); export the PDF again from its "
            "source (or download it again), or use the document's DOCX or text "
            "version") from None
    except _TooManyChars as err:
        raise InputError(
            f"{name}: page {err.page} draws more than {PDF_MAX_PAGE_CHARS:,} characters (a "
            "page of 6-point type holds about 15,000; a damaged or hostile PDF?); use the "
            "document's DOCX or text version") from None
    except _TooManyEntries:
        raise InputError(
            f"{name}: its fonts map more than {PDF_MAX_FONT_ENTRIES:,} character codes "
            "(ToUnicode ranges or /W widths over billions of codes: a PDF bomb?); use the "
            "document's DOCX or text version") from None
    except _TooLarge:
        raise InputError(
            f"{name}: its pages draw the same content over and over (more than "
            f"{PDF_MAX_DRAWN} times the content the file holds: forms drawn inside forms, "
            "or one stream on every page; a PDF bomb?); use the document's DOCX or text "
            "version") from None
    except PDFTextExtractionNotAllowed as err:
        raise InputError(
            f"{name}: the PDF is encrypted and its permissions forbid text extraction; "
            "remove the protection (qpdf --decrypt IN.pdf OUT.pdf) or use the DOCX or text "
            "version"
        ) from err
    except PDFEncryptionError as err:
        raise InputError(
            f"{name}: the PDF is encrypted (password-protected); decrypt it first "
            "(qpdf --password=PASSWORD --decrypt IN.pdf OUT.pdf) or export its text "
            "from a PDF reader, or use the DOCX version"
        ) from err
    except PDFSyntaxError as err:
        raise InputError(f"{name}: not a readable PDF ({err})") from err
    except (RecursionError, _ReferenceLoop):
        raise InputError(
            f"{name}: its objects or cross-reference sections (/Prev) refer to each other "
            "in a loop or nest too deep to follow (a damaged PDF); repair it (qpdf IN.pdf "
            "OUT.pdf) or use the DOCX or text version") from None
    except Exception as err:  # pdfminer raises many unrelated types on broken files
        raise InputError(f"{name}: cannot extract text from this PDF ({err})") from err
    if not pages and _PAGE_OBJECT.search(data):
        # The pages are in the file; its cross-reference table (where each object
        # starts) leads to none of them: a damaged file, not the wrong one.
        raise InputError(
            f"{name}: the PDF holds pages its cross-reference table does not lead to (a "
            "damaged file); repair it (qpdf IN.pdf OUT.pdf, or mutool clean IN.pdf "
            "OUT.pdf) or use the document's DOCX or text version")
    if not pages:
        raise InputError(f"{name}: the PDF has no pages; is this the right file? Use the "
                         "document's complete PDF, or its DOCX or text version")
    text = "\f".join(pages)
    if not text.strip():
        # Text is what bitext reads; a file of pages without any is a scan (images
        # of the pages) or blank pages, and only the first has something for OCR.
        raise InputError(
            f"{name}: the PDF has no text layer: none of its {len(pages)} page(s) holds "
            "text (a scan, or blank pages?); run OCR on a scan first (ocrmypdf IN.pdf "
            "OUT.pdf), check that blank pages are the right file, or use the DOCX version"
        )
    return text


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
    from pdfminer.layout import LAParams, LTPage, LTTextGroupLRTB
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

        def begin_page(self, page: Any, ctm: Any) -> None:
            super().begin_page(page, ctm)
            self.cur_item = Page(self.pageno, self.cur_item.bbox)
            self.chars = 0

        def render_char(self, *args: Any, **kwargs: Any) -> float:
            self.chars += 1
            if self.chars > PDF_MAX_PAGE_CHARS:
                raise _TooManyChars(self.pageno)
            return float(super().render_char(*args, **kwargs))

    manager = Manager(caching=True)
    device = Aggregator(manager, laparams=LAParams())
    interpreter = Interpreter(manager, device)
    parser = _length_parser(PDFParser)(file)
    document = Document(parser, caching=True)
    _clamp_xref_streams(document)
    _check_decrypted_inflation(document)
    for page in PDFPage.create_pages(document):
        interpreter.process_page(page)
        yield device.get_result()
    log.debug("PDF content drawn %d bytes, held %d; font table entries %d; inline "
              "images' sizes squared %d", drawn, held, tables[0], inline)
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
_PIECE = 1 << 20


class _TooLarge(Exception):
    """Decoding or drawing went past its limit (a stream's filters, the content
    pdfminer interprets)."""


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


#: A piece of a page: y0, y1, x0, x1, its text, and the pdfminer line it is
#: (None for a footnote rule).
_Piece = tuple[float, float, float, float, str, Any]

#: What a drawn footnote rule becomes in the text, as pdftotext shows a typed one.
PDF_RULE = "__________________"


def _page_text(page: object, direction: DocumentDirection,
               gutters: list[float] | None = None,
               edges: dict[float, tuple[float, float]] | None = None,
               spacing: list[float] | None = None) -> str:
    """One page as lines in reading order, like ``pdftotext -layout`` for one column.

    pdfminer groups text into boxes, which tears a hanging paragraph number
    (``1.`` in the margin) away from its line. Here every text line is placed by
    its position instead: pieces on one baseline make one line (a wide gap keeps
    two spaces, so table columns stay visible), a larger vertical gap makes a blank
    line, and a short horizontal rule in the lower part of the page (the footnote
    separator) becomes a line of underscores. A line or row without letters
    reads in the document's ``direction``. ``gutters`` and ``edges``: the
    columns of the pages before (:func:`_column_groups`), updated; ``spacing``:
    the usual line gaps of the pages before (:func:`pdftable.line_gap`), updated
    (a page of a few lines, as a table's end, has too few to measure its own).
    """
    from pdfminer.layout import LTCurve, LTTextLine

    from bitext.ingest.pdftable import blank_gap, join_table_rows, line_gap

    height = float(page.height)  # type: ignore[attr-defined]
    width = float(page.width)  # type: ignore[attr-defined]
    items: list[_Piece] = []
    lines: list[Any] = []
    flat: list[Any] = []  # the page's horizontal rules (at most 2 points thick)

    def walk(obj: object) -> None:
        if isinstance(obj, LTTextLine):
            lines.append(obj)
            return
        if isinstance(obj, LTCurve):
            if obj.y1 - obj.y0 <= 2:
                flat.append(obj)
            return
        for child in getattr(obj, "__iter__", lambda: iter(()))():
            walk(child)

    walk(page)
    for obj in flat:
        if 40 <= obj.x1 - obj.x0 <= width * 0.6 and (
                obj.y1 < height * 0.6 or _lone_rule(obj, flat, lines)):
            items.append((obj.y0, obj.y0 + 1, obj.x0, obj.x1, PDF_RULE, None))
    doc_rtl = direction.add(" ".join(ln.get_text() for ln in lines))
    for ln in lines:
        text = _line_text(ln, doc_rtl, direction)
        if text.strip():
            items.append((ln.y0, ln.y1, ln.x0, ln.x1, text, ln))
    groups: list[list[list[_Piece]]] = []
    for group in _column_groups(items, width, doc_rtl, [] if gutters is None else gutters,
                                edges):
        group.sort(key=lambda it: (-(it[0] + it[1]) / 2, it[2]))
        mine: list[list[_Piece]] = []
        for it in group:
            mid = (it[0] + it[1]) / 2
            if mine:
                row = mine[-1]
                rmid = sum((r[0] + r[1]) / 2 for r in row) / len(row)
                tall = min(min(r[1] - r[0] for r in row), it[1] - it[0]) or 1.0
                if abs(mid - rmid) < tall * 0.5 and it[4] != PDF_RULE and row[0][4] != PDF_RULE:
                    row.append(it)
                    continue
            mine.append([it])
        groups.append(mine)
    # a font's own line spacing: two lines of a paragraph may be further apart
    # than the type size says a blank line is
    usual = line_gap(groups, PDF_RULE)
    if spacing is not None:
        if usual is not None:
            spacing.append(usual)
        elif spacing:
            usual = spacing[-1]
    rows: list[list[_Piece]] = []
    for mine in groups:
        # the runs a line is drawn in are read as one before the table's cells
        # are matched: a right-to-left cell drawn as runs (LibreOffice) is one
        # cell, as a left-to-right one is
        mine = [_read_runs(row, doc_rtl, direction) for row in mine]
        # a table's wrapped cells join their row within one column: a line
        # of the other column beside a row is no cell of it
        rows += join_table_rows(mine, PDF_RULE, usual)
    out: list[str] = []
    prev_bottom: float | None = None
    for row in rows:
        rtl, size, raised = _row_shape(row, doc_rtl)
        top, bottom = max(r[1] for r in row), min(r[0] for r in row)
        if prev_bottom is not None and prev_bottom - top > blank_gap(size, usual):
            out.append("")
        line = row[0][4].rstrip()
        for prev, cur in itertools.pairwise(row):
            piece = cur[4].strip()
            if raised(cur):
                # a superscript drawn apart from its line (LibreOffice): glued to
                # the word before it in reading order, as _mark_raised marks it
                line += f"{RAISED_OPEN}{piece}{RAISED_CLOSE}"
                continue
            gap = prev[2] - cur[3] if rtl else cur[2] - prev[3]
            line += ("  " if gap > size else " ") + piece
        out.append(line)
        prev_bottom = bottom
    return "\n".join(out) + "\n"


def _row_shape(row: list[_Piece], doc_rtl: bool) -> tuple[bool, float, Callable[[_Piece], bool]]:
    """A row's direction, its size (its tallest piece's height) and which of
    its pieces are raised (a superscript drawn apart from its line); ``row``
    is sorted in reading order."""
    from bitext.ingest.bidi import reads_right_to_left

    rtl = reads_right_to_left(" ".join(r[4] for r in row), doc_rtl)
    row.sort(key=lambda r: -r[3] if rtl else r[2])
    size = max(r[1] - r[0] for r in row)
    bottom = min(r[0] for r in row)
    base = min((r[0] for r in row if r[1] - r[0] > _RAISED_SIZE * size), default=bottom)

    def raised(r: _Piece) -> bool:
        return (bool(_RAISED_PIECE.fullmatch(r[4].strip()))
                and r[1] - r[0] <= _RAISED_SIZE * size and r[0] - base >= _RAISED_SHIFT * size)

    return rtl, size, raised


def _read_runs(row: list[_Piece], doc_rtl: bool,
               direction: DocumentDirection) -> list[_Piece]:
    """``row`` in reading order with the runs of one line read as one
    (:func:`_join_touching`)."""
    rtl, size, raised = _row_shape(row, doc_rtl)
    return _join_touching(row, rtl, size, raised, direction, doc_rtl)


def _lone_rule(rule: Any, flat: list[Any], lines: list[Any]) -> bool:
    """A short rule in a page's upper part is a note separator when nothing
    else draws there: no other rule at its height (a table's borders are one
    rule a cell, side by side) and no text line over it within that line's
    height (an underline lies inside its line's box, a cell's border 2.8-4.3
    points under its 11-point text in tests/data/chromium_table_*.pdf). A long
    note area puts its separator that high: LibreOffice's is 74% up the page
    in tests/data/libreoffice_long_note_en.pdf, 28.6 points (2.6 lines) under
    the body's last line."""
    if any(o is not rule and abs(o.y0 - rule.y0) <= 2 for o in flat):
        return False
    return not any(ln.x0 < rule.x1 and rule.x0 < ln.x1 and ln.y1 > rule.y1
                   and ln.y0 - rule.y1 < ln.y1 - ln.y0 for ln in lines)


#: Least lines on each side of a gutter for the page to have two columns, and
#: the least width of those lines' upper quartile (:data:`_COLUMN_SHARE`) as a
#: share of the page's: prose fills
#: most of its column (a two-column page of A4 holds 40-50 lines a column, at
#: most 0.37 of the page wide; lines broken before a long word are shorter:
#: in the benchmark's two-column files the median is 0.25-0.35); a table's
#: cells are narrower, a masthead's lines few.
_COLUMN_LINES = 5
_COLUMN_WIDTH = 0.2
#: A side's lines, from the shortest, this share of the way up are at least
#: :data:`_COLUMN_WIDTH` wide (its upper quartile): a column's lines may be
#: shorter than the median says (ragged lines, a paragraph's last line, a
#: heading), as :func:`_column_groups` measured.
_COLUMN_SHARE = 0.75
#: A column's line is at most this share of the page wide: half the text
#: width less half the gutter, and the margins (two columns on A4 with 2 cm
#: margins: 0.37).
_COLUMN_MAX = 0.45
#: Where the two sides of a gutter are set apart (:func:`_set_apart`), the
#: wider side's upper quartile need only be wider than this share of the page:
#: the widest the non-column candidates of the one-column files reach (a
#: masthead's block, a table's cells: 0.15, :data:`_COLUMN_WIDTH`'s measure),
#: not a column's prose. Short headings wrap sooner than prose: an Arabic
#: page of them in docs.py --columns 2 reached 0.195-0.198. With no bound at
#: all, two sides set apart were found on no page of the 720 one-column files
#: (chromium and LibreOffice), and on two-column pages only (12 of 360 files).
_APART_WIDTH = 0.15
#: Gutters of two pages closer than this share of the page are one (the middle
#: of the free stretch moves with the lines beside it: a few points).
_GUTTER_SAME = 0.03


def _column_groups(items: list[_Piece], width: float, rtl: bool, known: list[float],
                   column_edges: dict[float, tuple[float, float]] | None = None
                   ) -> list[list[_Piece]]:
    """The page's pieces in reading groups: all of them, or, on a page set in
    two columns, what stands above the columns, the first column, the second
    (the right one first in a right-to-left document), and what stands below.
    Two columns: an x in the middle of the page that no line crosses between
    the top and the bottom of the lines beside it, with at least
    :data:`_COLUMN_LINES` lines on each side at least :data:`_COLUMN_WIDTH` of
    the page wide (a line of both columns on one baseline read as one row would
    run the two columns into each other). ``known``: the gutters of the
    document's pages so far; at one of them a line on each side is enough (a
    page whose columns end after a few lines), and a gutter found is added.
    ``column_edges``: where the two columns' lines start (right to left, end) at
    each known gutter, as :func:`_most_by_width` finds them on the first page
    with columns there, left column first; a gutter found is added. At a
    known gutter, two sides whose every line starts at its column's edge are
    the columns, though their lines share baselines as a table's rows do
    (:func:`_at_edges`)."""
    text = [it for it in items if it[4] != PDF_RULE]
    if width <= 0:
        return [items]
    # the notes under the rule run across the page whatever the body's columns:
    # a note's line narrower than a column's limit may still cross the gutter
    rules = [it[1] for it in items if it[4] == PDF_RULE]
    # and so may a line in display type (a masthead's organ, a title): a
    # column's lines are set in the body's size
    # (the size most of the page's text is set in, by width, not most lines: an
    # Arabic page of short headings held more short Latin lines, the
    # masthead's block at 11 points, than lines of the Arabic font, 14.7
    # points, and took its headings for display type)
    body = _most_by_width(text, lambda it: it[1] - it[0]) if text else 0
    in_body = [it for it in text if (not rules or it[0] > max(rules))
               and it[1] - it[0] <= _DISPLAY * body]
    column_edges = {} if column_edges is None else column_edges
    for gutter in _gutters(in_body, width, known):
        least = 1 if any(abs(gutter - g) < _GUTTER_SAME * width for g in known) else _COLUMN_LINES
        at_edges = next((e for g, e in column_edges.items()
                         if abs(gutter - g) < _GUTTER_SAME * width), None)
        # the bands of the page between the lines that cross the gutter (a
        # heading or note across the page): the columns are the band with the
        # most lines on both sides
        cuts = sorted({y for it in items if it[2] < gutter < it[3] or it[4] == PDF_RULE
                       for y in (it[0], it[1])})
        edges = [float("-inf"), *cuts, float("inf")]
        best: tuple[int, float, float, float] | None = None
        for lo, hi in itertools.pairwise(edges):
            band = [it for it in text if lo <= (it[0] + it[1]) / 2 <= hi
                    and not it[2] < gutter < it[3]]
            left = [it for it in band if it[3] <= gutter]
            right = [it for it in band if it[2] >= gutter]
            # most lines of each side are a column's: the upper quartile (at a
            # known gutter one is enough: a running head or page number may
            # stand beside it). Ragged lines stop short of their column's edge:
            # on page 1 of six of docs.py --columns 2's Arabic documents a
            # side's median was 0.18-0.20 of the page, its upper quartile
            # 0.195-0.25; the one-column files' candidates (a masthead's block,
            # a table's cells: 72 bands of 5 lines a side) at most 0.15
            share = 1.0 if least == 1 else _COLUMN_SHARE
            quartiles = [_quantile(_line_widths(side, rtl), share) for side in (left, right)]
            widths = sorted(quartiles)
            # at a known gutter, a table set across the two columns is theirs
            # too: its rows are cells, no wider than a column's lines, but the
            # two sides' rows are not on one baseline as a table's cells are;
            # and anywhere, one side as wide as a column's lines is enough
            # where the sides' lines are set apart, nearly none on a baseline
            # of the other (a column of short headings beside one of wrapped
            # ones: no row of cells)
            apart = False
            if (min(len(left), len(right)) >= least
                    and (widths[0] >= _COLUMN_WIDTH * width
                         or (least == 1 and (not _one_table(left, right, started=True)
                                             or _at_edges(left, right, rtl, at_edges, body)))
                         or (apart := (widths[1] > _APART_WIDTH * width
                                       and _set_apart(left, right, _APART_WIDTH * width,
                                                      _DISPLAY * body))))
                    and (best is None or len(band) > best[0])):
                # from the first of its column lines (a masthead's short lines
                # above them are no column's) to its last line
                # (a line in display type, the masthead's organ, is none)
                prose = [it for it in left + right if it[3] - it[2] >= _COLUMN_WIDTH * width
                         and it[1] - it[0] <= _DISPLAY * body]
                if apart:
                    # one side's lines alone tell the columns: only those under
                    # the masthead's lines in display type (a masthead's name
                    # may be as wide as a column's line)
                    # (those of the wider side, as wide as its quartile had to
                    # be: the masthead's block on the other side is as wide)
                    wider = left if quartiles[0] >= quartiles[1] else right
                    prose = _under_display(wider, _APART_WIDTH * width, _DISPLAY * body,
                                           left + right) or prose
                # ... and on each side from the first line that starts where
                # that column's lines start: the masthead's block of
                # distribution, date and language on the right of page 1 is
                # no column's
                top = max((it[1] for it in prose), default=float("inf"))
                best = (len(band), min(it[0] for it in left + right) - 0.5,
                        _raise_top(left, min(top, _column_top(left, rtl)) + 0.5, rtl, body),
                        _raise_top(right, min(top, _column_top(right, rtl)) + 0.5, rtl, body))
        if best is None:
            continue
        _, lo, hi_left, hi_right = best
        known.append(gutter)
        above: list[_Piece] = []
        first: list[_Piece] = []
        second: list[_Piece] = []
        below: list[_Piece] = []
        for it in items:
            mid = (it[0] + it[1]) / 2
            on_left = (it[2] + it[3]) / 2 < gutter
            hi = hi_left if on_left else hi_right
            (above if mid > hi else below if mid < lo else first if on_left else second).append(it)
        if first and second and at_edges is None:
            column_edges[gutter] = (_most_by_width(first, _edge_of(rtl)),
                                    _most_by_width(second, _edge_of(rtl)))
        if rtl:
            first, second = second, first
        return [g for g in (above, first, second, below) if g]
    return [items]


#: A line taller than this share of the page's commonest line height is in
#: display type, no column's: a line holding a raised note marker is up to 1.15
#: of the body's height (the benchmark's two-column files), a UN masthead's
#: organ (18 points) 1.6 and its symbol (16) 1.45 of an 11-point body.
_DISPLAY = 1.3
#: A column's line starts (ends, right to left) within this many of its size
#: of where most of the column's lines do: a paragraph's number or first-line
#: indent is one or two ems; the masthead's right-hand block on a UN page 1
#: starts some 8 ems right of the column under it.
_ALIGN = 2.0


#: A line is its column's when the gap under it, to the column's next line, is
#: at most this many of its size: a heading over its paragraph (15.3 points
#: under an 11-point line in docs.py --columns 2: 1.4), or a paragraph's last
#: line; a page's running head stands further off (23.4 points under a
#: 9-point line: 2.6).
_HEADING_GAP = 1.5


#: A line at least this share of the body's size is in the body's type: a
#: running head or foot is 9 points on an 11-point body (0.82), a body line
#: rounds to the body's size (an Arabic line of 14.7 points on a body of 15:
#: 0.98).
_BODY_TYPE = 0.9


def _raise_top(side: list[_Piece], top: float, rtl: bool, body: float) -> float:
    """``top`` (the top of one side's column) raised over the lines just above
    it that start (right to left, end) where the column's lines do, each at
    most :data:`_HEADING_GAP` above the one under it, none in display type: a
    heading or a paragraph's short last line atop a column is narrower than
    the column's lines that tell where it starts, and read above the columns
    it joined the line beside it in the other column."""
    edge = _edge_of(rtl)
    under = [it for it in side if (it[0] + it[1]) / 2 <= top]
    if not under:
        return top
    # where the column's lines start is told by its lines in the body's type,
    # not by a running foot in smaller type; a side whose only lines under
    # the top are such (a column of one line, a word run on from the other
    # column, over the page's foot) is told by its lines above the top
    typed = ([it for it in under if it[1] - it[0] >= _BODY_TYPE * body]
             or [it for it in side if (it[0] + it[1]) / 2 > top
                 and _BODY_TYPE * body <= it[1] - it[0] <= _DISPLAY * body]
             or under)
    common = Counter(round(edge(it)) for it in typed).most_common(1)[0][0]
    for it in sorted((it for it in side if (it[0] + it[1]) / 2 > top), key=lambda it: it[0]):
        tall = it[1] - it[0]
        if (it[0] + it[1]) / 2 <= top:
            continue  # a piece of the line just taken (a raised marker)
        if (abs(edge(it) - common) > _ALIGN * tall or it[0] - top > _HEADING_GAP * tall
                or tall > _DISPLAY * body):
            break
        top = it[1] + 0.5
    return top


def _column_top(side: list[_Piece], rtl: bool) -> float:
    """The top of the highest line of one side of the gutter that starts (in a
    right-to-left document, ends) where most of that side's text does, by
    width: a column's lines are wider than a masthead's block of
    distribution, date and language above it, and as many (a Spanish page 1
    of docs.py --columns 2: 4 headings of 0.13-0.23 of the page under 4
    block lines of 0.07-0.17; by lines the tie went to the block)."""
    edge = _edge_of(rtl)
    common = _most_by_width(side, edge)
    return max(it[1] for it in side if abs(edge(it) - common) <= _ALIGN * (it[1] - it[0]))


def _edge_of(rtl: bool) -> Callable[[_Piece], float]:
    """Where a piece starts in the reading direction: its left edge, its right
    edge in a right-to-left document (a column's lines start, or end, there)."""
    return (lambda it: it[3]) if rtl else (lambda it: it[2])


def _most_by_width(pieces: list[_Piece], key: Callable[[_Piece], float]) -> int:
    """The value of ``key`` (points, rounded) that most of ``pieces``' text has,
    counted by width, not by lines: a page's body size
    (:func:`_column_groups`), where a side's lines start (:func:`_column_top`).
    ``pieces`` is not empty; a tie goes to the value met first."""
    width: Counter[int] = Counter()
    for it in pieces:
        width[round(key(it))] += round(it[3] - it[2])
    return width.most_common(1)[0][0]


#: A line is at its column's edge (:func:`_at_edges`) when it starts (right
#: to left, ends) within this many points of it: the column lines of page 1
#: of an Arabic document of docs.py --columns 2 end within 0.1 point of their
#: column's edge (46 lines); a table's cells drawn across the page start
#: where its own columns do.
_EDGE_SAME = 1.0


def _at_edges(left: list[_Piece], right: list[_Piece], rtl: bool,
              edges: tuple[float, float] | None, body: float) -> bool:
    """Whether every line in the body's type (:data:`_BODY_TYPE` of ``body``
    to :data:`_DISPLAY`; a running head or foot is smaller) of both sides,
    one at least on each, starts (right to left, ends) within
    :data:`_EDGE_SAME` of its column's edge on the pages before, ``edges``
    (left, right; None: none known)."""
    if edges is None:
        return False
    for side, at in ((left, edges[0]), (right, edges[1])):
        lines = _side_lines([it for it in side
                             if _BODY_TYPE * body <= it[1] - it[0] <= _DISPLAY * body])
        if not lines or any(abs((x1 if rtl else x0) - at) > _EDGE_SAME for x0, x1 in lines):
            return False
    return True


def _side_lines(side: list[_Piece]) -> list[tuple[float, float]]:
    """Where each line of ``side`` (pieces on one baseline less than a line's
    size apart, :func:`_line_widths`) starts and ends, top down."""
    rows: list[list[float]] = []  # middle, height, x0, x1 of each line
    for it in sorted(side, key=lambda it: -(it[0] + it[1]) / 2):
        mid, tall = (it[0] + it[1]) / 2, it[1] - it[0]
        if (rows and abs(mid - rows[-1][0]) < 0.5 * min(tall, rows[-1][1])
                and max(it[2] - rows[-1][3], rows[-1][2] - it[3]) <= max(tall, rows[-1][1])):
            rows[-1][2] = min(rows[-1][2], it[2])
            rows[-1][3] = max(rows[-1][3], it[3])
            continue
        rows.append([mid, tall, it[2], it[3]])
    return [(x0, x1) for _, _, x0, x1 in rows]


def _line_widths(side: list[_Piece], rtl: bool) -> list[float]:
    """The widths of one side's lines from its column's top down. Pieces on
    one baseline less than a line's size apart are one line: a line is cut
    into pieces at a raised note marker or a run of another font (an Arabic
    line of the benchmark's two-column files: two pieces of 0.15 and 0.07 of
    the page); a table's cells are further apart, as :func:`_page_text` keeps
    them. The lines above the column's first line that starts where its lines
    do are no column's: a UN page 1's masthead block of distribution, date
    and language (4 short lines of 13 on a Chinese page took the median
    under :data:`_COLUMN_WIDTH`)."""
    if not side:
        return []
    top = _column_top(side, rtl)
    return [x1 - x0 for x0, x1 in _side_lines([it for it in side if it[1] <= top + 0.5])]


def _one_table(left: list[_Piece], right: list[_Piece], started: bool = False) -> bool:
    """Whether more than half the lines of the side with fewer lines are on
    the baseline of a line of the other side, as the cells of a table's rows
    are (a table drawn across the page). Two columns of rows (a
    table set in two columns, its rows where the columns' lines fall) share
    a baseline by chance: a page's running foot, its number on one side and
    its job number on the other. ``started``: at a gutter of the pages
    before, the first baseline both sides share is left out, where two
    columns start (a column of one line, a heading's last word run on from
    the other, shares it; a table's first row shares it too, and its other
    rows theirs)."""
    return _shared_baselines(left, right, started) > 0.5


#: Lines of each side on a baseline the other side has no line on, at least,
#: for the two sides to be set apart (:func:`_set_apart`): a table's wrapped
#: cells put lines of their own on one side only.
_OWN_LINES = 2


def _set_apart(left: list[_Piece], right: list[_Piece], wide: float, tall: float) -> bool:
    """Whether the two sides of a gutter are two columns of lines set apart,
    no table's rows: at most half the lines of the side with fewer are on a
    baseline of the other (:func:`_one_table`: a column's first line and the
    page's running foot may be), and each side has at least
    :data:`_OWN_LINES` on baselines of its own between the top and the
    bottom of the other side's prose (:func:`_under_display`; a column of
    short headings beside one of wrapped ones). A table's row has
    one baseline across, and a cell wrapped in two lines gives its side alone
    lines of its own; a one-column page 1's masthead block stands above the
    prose beside it (the organ beside it is in display type, no prose). A
    side most of whose rows are rows of cells (:data:`_CELL_ROWS`: the
    numbers beside a table's wrapped first cells, centred between their
    baselines) is a table's, never a column's."""
    if _one_table(left, right) or max(_cell_rows(left), _cell_rows(right)) > _CELL_ROWS:
        return False

    def own(side: list[_Piece], other: list[_Piece]) -> int:
        # under the display type of both sides: a masthead's block beside
        # the organ is no prose
        prose = _under_display(other, wide, tall, left + right)
        if not prose:
            return len(side)  # the other side is the narrow one: counted from this one
        lo, hi = min(o[0] for o in prose), max(o[1] for o in prose)
        return sum(1 for it in side if lo <= (it[0] + it[1]) / 2 <= hi and not any(
            abs(it[0] - o[0]) < _TOUCH * (it[1] - it[0]) for o in other))

    return min(own(left, right), own(right, left)) >= _OWN_LINES


#: A side of a gutter whose rows are more than this share rows of cells
#: (:func:`_cell_rows`) is a table's, no column's (:func:`_set_apart`): the
#: numbers beside a table's wrapped first cells are all rows of cells (1.0,
#: tests/data/chromium_table_en.pdf); a column's lines, prose or headings,
#: are one piece each or pieces touching: 0 on both sides of every pair of
#: sides that reached :func:`_set_apart` in docs.py --columns 2 (34 pairs,
#: 12 of them set apart). Half: most of a side's rows.
_CELL_ROWS = 0.5


def _cell_rows(side: list[_Piece]) -> float:
    """The share of one side's rows (pieces on one baseline) that are rows of
    cells: two pieces further apart than the row's line size, as
    :func:`_page_text` keeps a table's cells apart (a line cut at a raised
    marker or a run of another font has its pieces touching)."""
    rows: list[list[_Piece]] = []
    for it in sorted(side, key=lambda it: -(it[0] + it[1]) / 2):
        mid, tall = (it[0] + it[1]) / 2, it[1] - it[0]
        if rows and abs(mid - (rows[-1][0][0] + rows[-1][0][1]) / 2) < 0.5 * min(
                tall, rows[-1][0][1] - rows[-1][0][0]):
            rows[-1].append(it)
        else:
            rows.append([it])
    if not rows:
        return 0.0

    def cells(row: list[_Piece]) -> bool:
        row = sorted(row, key=lambda it: it[2])
        size = max(it[1] - it[0] for it in row)
        return any(b[2] - a[3] > size for a, b in itertools.pairwise(row))

    return sum(1 for row in rows if cells(row)) / len(rows)


def _under_display(lines: list[_Piece], wide: float, tall: float,
                   among: list[_Piece] | None = None) -> list[_Piece]:
    """The prose lines of ``lines`` (at least ``wide``, at most ``tall``) under
    the lowest of its lines (or of ``among``) in display type (taller than
    ``tall``: a masthead's organ and symbol; a masthead's name above them may
    be as wide and as tall as prose)."""
    display = [it[0] for it in (lines if among is None else among) if it[1] - it[0] > tall]
    floor = min(display, default=float("inf"))
    return [it for it in lines if it[3] - it[2] >= wide and it[1] - it[0] <= tall
            and it[1] <= floor]


def _shared_baselines(left: list[_Piece], right: list[_Piece], started: bool = False) -> float:
    """The share of the lines of the side with fewer lines that are on the
    baseline of a line of the other side (glyphs of one baseline differ by
    rounding, under :data:`_TOUCH` of their size); ``started``: the highest
    such line left out (:func:`_one_table`)."""
    def bases(side: list[_Piece]) -> list[tuple[float, float]]:
        return sorted({(round(it[0], 1), it[1] - it[0]) for it in side})

    few, many = sorted((bases(left), bases(right)), key=len)
    if not few:
        return 0.0
    shared = [y for y, tall in few if any(abs(y - y2) < _TOUCH * tall for y2, _ in many)]
    if started and shared:
        few = [b for b in few if b[0] != max(shared)]
        shared.remove(max(shared))
        if not few:
            return 0.0
    return len(shared) / len(few)


def _gutters(text: list[_Piece], width: float, known: Sequence[float] = ()) -> list[float]:
    """Candidate gutters: the middles of the x-ranges in the middle third of the
    page that no piece narrower than :data:`_COLUMN_MAX` of the page covers (a
    wider one, a note or a heading across the page, is no column's; it must
    stand above or below the columns, :func:`_column_groups` checks). A range
    holding a ``known`` gutter (of the pages before) gives that gutter: the
    middle of the range moves with the lines beside it, and on a page of short
    lines (a table's cells set in two columns: a Russian annex page of
    benchmarks/docs.py --columns 2, its free range 226-326 around the gutter
    at 306) it lies further off than :data:`_GUTTER_SAME`."""
    covered = sorted((max(it[2], width / 3), min(it[3], 2 * width / 3)) for it in text
                     if it[3] > width / 3 and it[2] < 2 * width / 3
                     and it[3] - it[2] < _COLUMN_MAX * width)
    free: list[tuple[float, float]] = []
    x = width / 3
    for x0, x1 in covered:
        if x0 > x + 1:
            free.append((x, x0))
        x = max(x, x1)
    if 2 * width / 3 > x + 1:
        free.append((x, 2 * width / 3))
    out: list[float] = []
    for x0, x1 in free:
        inside = [g for g in known if x0 < g < x1]
        out.append(min(inside, key=lambda g: abs(g - (x0 + x1) / 2)) if inside
                   else (x0 + x1) / 2)
    return out


def _quantile(values: list[float], share: float) -> float:
    """The value ``share`` of the way up ``values`` sorted (0.5: the median, 1: the largest)."""
    return sorted(values)[min(len(values) - 1, int(len(values) * share))] if values else 0.0


#: Pieces of a row closer than this share of its size are one run of text cut
#: in pieces (LibreOffice draws an Arabic line as runs: the words, ``2016``,
#: ``-``, ``2017``): pdfminer's word margin, as :func:`bidi.logical_line` spaces.
_TOUCH = 0.1


def _join_touching(row: list[_Piece], rtl: bool, size: float,
                   raised: Callable[[_Piece], bool],
                   direction: DocumentDirection | None = None,
                   doc_rtl: bool = False) -> list[_Piece]:
    """``row`` (in reading order) with the right-to-left text pieces that touch
    read again as one line, so that its numbers and brackets take their order
    from the letters around them. Raised pieces (markers) and rules stay apart.
    A left-to-right row stays as it is in a left-to-right document (``doc_rtl``
    false): its pieces are in order already, and a note's number touches its
    text in Chinese (``1见``: the space between them tells the note). In a
    right-to-left document LibreOffice draws a left-to-right line (a symbol
    ``E/C.99/2026/L.7``, a job number) in runs that touch and overlap, and a
    run without letters took the document's direction: its touching pieces
    are read again as one line, left to right by their glyphs' positions."""
    from pdfminer.layout import LTChar

    from bitext.ingest.bidi import logical_line

    if not rtl and not doc_rtl:
        return row
    groups: list[list[_Piece]] = []
    for cur in row:
        if groups:
            prev = groups[-1][-1]
            # right to left the row runs from the right; left to right a run may
            # overlap the one before it, so the group's furthest edge counts
            gap = prev[2] - cur[3] if rtl else cur[2] - max(g[3] for g in groups[-1])
            # a left-to-right run's markers are marked in its text already
            # (_mark_raised), which a reading by position would lose
            marked = not rtl and RAISED_OPEN in prev[4] + cur[4]
            if (gap < _TOUCH * size and prev[5] is not None and cur[5] is not None
                    and not raised(prev) and not raised(cur) and not marked):
                groups[-1].append(cur)
                continue
        groups.append([cur])
    out: list[_Piece] = []
    for group in groups:
        if len(group) == 1:
            out.append(group[0])
            continue
        glyphs = [c for g in group for c in g[5] if isinstance(c, LTChar)]
        text = logical_line([(c.x0, c.x1, c.height, c.get_text()) for c in glyphs], rtl=rtl,
                            document=direction, raised=_raised_glyphs(glyphs) if rtl else (),
                            marks=(RAISED_OPEN, RAISED_CLOSE), positions=True)
        out.append((min(g[0] for g in group), max(g[1] for g in group),
                    min(g[2] for g in group), max(g[3] for g in group), text, group[0][5]))
    return out


def _line_text(line: Any, doc_rtl: bool, direction: DocumentDirection | None = None) -> str:
    """A pdfminer text line's text in reading order (right-to-left lines are
    often drawn left to right: :mod:`bitext.ingest.bidi`); a line without
    letters takes the document's direction (``doc_rtl``; ``direction`` keeps
    what the document's lines showed of their brackets)."""
    from pdfminer.layout import LTChar

    from bitext.ingest.bidi import logical_line, reads_right_to_left

    text: str = line.get_text().rstrip("\n")
    if not reads_right_to_left(text, doc_rtl):
        return _mark_raised(line, text)
    glyphs = [c for c in line if isinstance(c, LTChar)]
    return logical_line([(c.x0, c.x1, c.height, c.get_text()) for c in glyphs], rtl=True,
                        document=direction, raised=_raised_glyphs(glyphs),
                        marks=(RAISED_OPEN, RAISED_CLOSE))


def _raised_glyphs(glyphs: list[Any]) -> set[int]:
    """Indices of the glyphs of a right-to-left line drawn as superscripts: digits,
    brackets and asterisks at most :data:`_RAISED_SIZE` of the line's body size
    and raised by :data:`_RAISED_SHIFT` of it (as :func:`_mark_raised` tells them
    in a left-to-right line), except a run that opens the line on the right (a
    note's own number)."""
    upright = [c for c in glyphs if c.upright]
    if len(upright) < 2:
        return set()
    body = sorted(c.size for c in upright)[len(upright) // 2]
    bases = sorted(c.matrix[5] for c in upright if c.size > _RAISED_SIZE * body)
    if body <= 0 or not bases:
        return set()
    base = bases[len(bases) // 2]
    up = {i for i, c in enumerate(glyphs)
          if c.upright and (c.get_text().isdigit() or c.get_text() in ("(", ")", "*"))
          and c.size <= _RAISED_SIZE * body and c.matrix[5] - base >= _RAISED_SHIFT * body}
    # the run on the right end opens the line (reading from the right)
    for i in sorted(range(len(glyphs)), key=lambda i: -glyphs[i].x1):
        if glyphs[i].get_text().isspace():
            continue
        if i not in up:
            break
        up.discard(i)
    return up


_RAISED_PIECE = re.compile(r"[\d()*]+")
#: A superscript is drawn at most this share of its line's body size: about two
#: thirds in Word, 7/11 = 0.64 in the benchmark's chromium PDFs, and a browser's
#: default ``<sup>`` "smaller" is 1/1.2 = 0.83 of it.
_RAISED_SIZE = 0.85
#: ... and its baseline is raised by at least this share of the body size: Word
#: and browsers raise a superscript by about a third; glyphs of one baseline
#: differ by rounding (under 0.01).
_RAISED_SHIFT = 0.15


def _mark_raised(line: Any, text: str) -> str:
    """``text`` (a left-to-right line's, as drawn) with each run of digits,
    brackets and asterisks drawn raised and smaller than the line's body text
    between :data:`RAISED_OPEN` and :data:`RAISED_CLOSE`, unless the run opens
    the line (a note's own number). The body size and baseline are the median of
    the line's upright glyphs."""
    from pdfminer.layout import LTChar

    if not any(ch.isdigit() or ch == "*" for ch in text):
        return text
    glyphs = [c for c in line if isinstance(c, LTChar) and c.upright]
    if len(glyphs) < 2:
        return text
    body = sorted(c.size for c in glyphs)[len(glyphs) // 2]
    bases = sorted(c.matrix[5] for c in glyphs if c.size > _RAISED_SIZE * body)
    if body <= 0 or not bases:
        return text
    base = bases[len(bases) // 2]
    out: list[str] = []
    raised = started = False
    for obj in line:
        piece = obj.get_text()
        up = (started and isinstance(obj, LTChar) and obj.upright
              and (piece.isdigit() or piece in ("(", ")", "*"))
              and obj.size <= _RAISED_SIZE * body and obj.matrix[5] - base >= _RAISED_SHIFT * body)
        started = started or not piece.isspace()
        if up and not raised:
            out.append(RAISED_OPEN)
        elif raised and not up:
            out.append(RAISED_CLOSE)
        raised = up
        out.append(piece)
    if raised:
        out.append(RAISED_CLOSE)
    return "".join(out).rstrip("\n")


# -------------------------------------------------------------------------- DOCX


#: Most bytes the XML parts of one DOCX may decompress to, all parts read
#: together (MiB). A 500-page report's document.xml is about 50 MB; 512 MiB of
#: XML already costs several GB of memory as a parsed tree. Raise it with the
#: environment variable BITEXT_DOCX_MAX_MB.
DOCX_MAX_MB = 512
#: Largest compression ratio (decompressed / compressed) accepted for a part
#: over :data:`_RATIO_FLOOR` bytes. Word's XML deflates 5-30x, a very repetitive
#: table up to about 100x; zip bombs are made at 1,000x and more. Raise it with
#: BITEXT_DOCX_MAX_RATIO.
DOCX_MAX_RATIO = 200
#: Below this many decompressed bytes a part cannot hurt, whatever its ratio.
_RATIO_FLOOR = 16 * 2**20
#: How deep libxml2 lets elements nest (with huge_tree; 256 without).
_XML_DEPTH = 2048
#: The parts bitext reads, by the type of the relationship that names them
#: (ECMA-376 part 1, 11.3: the main document's own relationships name the others).
_DOCX_ROLES = ("numbering", "styles", "footnotes", "endnotes", "fontTable")
#: Where Word puts each part; used when a package has no relationships for it.
_DOCX_DEFAULTS = {"document": "word/document.xml", "numbering": "word/numbering.xml",
                  "styles": "word/styles.xml", "footnotes": "word/footnotes.xml",
                  "endnotes": "word/endnotes.xml", "fontTable": "word/fontTable.xml"}
#: ISO/IEC 29500 strict names WordprocessingML so; its elements are the transitional
#: ones (Word's "Strict Open XML Document").
_W_STRICT = b"http://purl.oclc.org/ooxml/wordprocessingml/main"
#: The most bytes a relationships part may hold: it lists a few dozen parts, 1-5 KB.
_RELS_MAX = 2**20
#: A ZIP member's general purpose flag for encryption (APPNOTE 4.4.4, bit 0).
_ENCRYPTED = 0x1


def _lzma_error() -> type[Exception]:
    """What an LZMA member's bad bytes raise (not an OSError); the module is loaded
    here as zipfile loads it, only when needed."""
    import lzma

    return lzma.LZMAError


def _env_number(var: str, default: float) -> float:
    """A positive finite number from the environment variable ``var``, else ``default``."""
    import math
    import os

    raw = os.environ.get(var)
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError as err:
        raise InputError(f"{var}={raw!r} is not a number") from err
    if not (value > 0 and math.isfinite(value)):
        raise InputError(f"{var}={raw!r} must be a number above 0")
    return value


def _docx_limits() -> tuple[int, float]:
    return (int(_env_number("BITEXT_DOCX_MAX_MB", DOCX_MAX_MB) * 2**20),
            _env_number("BITEXT_DOCX_MAX_RATIO", DOCX_MAX_RATIO))


def _read_zip(data: bytes, name: str) -> RawText:
    import io

    members, size = _zip_directory(data)
    if size > _ZIP_DIRECTORY_MAX:
        raise InputError(
            f"{name}: its ZIP directory lists {members:,} members in {size:,} bytes, more "
            f"than the {_ZIP_DIRECTORY_MAX >> 20} MiB a Word document needs (a few hundred "
            "parts, under 100 KB); a damaged or hostile file: open it in Word and save it "
            "again, or use the PDF or text version")
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError) as err:
        raise InputError(f"{name}: a damaged ZIP/DOCX file ({err})") from err
    _check_members(zf, name)
    names = _docx_part_names(zf, name)
    if "document" not in names:
        raise InputError(f"{name}: a ZIP file but not a Word document (.docx)")
    parts = _docx_parts(zf, name, names)
    return RawText(_docx_text(parts, name, names), name, "docx", paragraph_lines=True)


#: The largest ZIP central directory read (bytes). A DOCX lists a few dozen to a
#: few hundred parts, about 100 bytes each (2-100 KB); zipfile keeps about 1 KB of
#: memory an entry (measured: 200,000 empty members, 264 MB), so 8 MiB, at most
#: 180,000 entries of 46 bytes, stays under about 200 MB.
_ZIP_DIRECTORY_MAX = 8 * 2**20


def _zip_directory(data: bytes) -> tuple[int, int]:
    """(entries, bytes) of the ZIP central directory as its end record gives them
    (the ZIP64 one when the classic record says so; APPNOTE 4.3.14-4.3.16), which
    is what zipfile reads; (0, 0) when there is no end record (zipfile says why)."""
    import struct

    end = data.rfind(b"PK\x05\x06", max(0, len(data) - 22 - 0xFFFF))
    if end < 0 or end + 22 > len(data):
        return 0, 0
    entries, size = struct.unpack_from("<HI", data, end + 10)
    locator = end - 20
    if (entries == 0xFFFF or size == 0xFFFFFFFF) and locator >= 0 \
            and data[locator:locator + 4] == b"PK\x06\x07":
        at = struct.unpack_from("<Q", data, locator + 8)[0]
        if data[at:at + 4] == b"PK\x06\x06" and at + 56 <= len(data):
            entries, size = struct.unpack_from("<QQ", data, at + 32)
    return entries, size


def _check_members(zf: zipfile.ZipFile, name: str) -> None:
    """Refuse a ZIP holding two members of one name: a package holds each part once
    (ECMA-376 part 2, part names are unique), and readers differ on which of the two
    they take (Python's zipfile the last, others the first)."""
    members = zf.namelist()
    if len(set(members)) == len(members):
        return
    from collections import Counter

    twice, count = next((m, n) for m, n in Counter(members).items() if n > 1)
    raise InputError(f"{name}: {count} ZIP members named {twice} (a Word document holds "
                     "each part once; programs differ on which they read): a damaged or "
                     "hostile file; open it in Word and save it again, or use the PDF or "
                     "text version")


#: What reading a ZIP member raises when its bytes are not what its header says:
#: zipfile's own errors, and those of the decompressor the header names (deflate,
#: bzip2, LZMA).
_MEMBER_ERRORS: tuple[type[Exception], ...] = (
    zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, OSError)


def _docx_part_names(zf: zipfile.ZipFile, name: str) -> dict[str, str]:
    """The ZIP names of the parts bitext reads, by role (``document``, ``numbering``,
    ``styles``, ``footnotes``, ``endnotes``): as the package's relationships name them (the main
    document need not be word/document.xml), else where Word puts them."""
    import posixpath

    present = set(zf.namelist())
    found: dict[str, str] = {}
    main = _relationships(zf, "_rels/.rels", "", name).get("officeDocument")
    if main in present:
        found["document"] = main
    elif _DOCX_DEFAULTS["document"] in present:
        found["document"] = _DOCX_DEFAULTS["document"]
    else:
        return found
    folder, base = posixpath.split(found["document"])
    own = _relationships(zf, posixpath.join(folder, "_rels", base + ".rels"), folder, name)
    for role in _DOCX_ROLES:
        target = own.get(role)
        if target in present:
            found[role] = target
        elif _DOCX_DEFAULTS[role] in present:
            found[role] = _DOCX_DEFAULTS[role]
    return found


def _relationships(zf: zipfile.ZipFile, part: str, folder: str, name: str) -> dict[str, str]:
    """A relationships part as {last word of the type: ZIP name of the target}, the
    targets resolved against ``folder``; external targets and a missing, oversized or
    damaged part give nothing (the defaults are used)."""
    import posixpath

    from lxml import etree

    try:
        info = zf.getinfo(part)
    except KeyError:
        return {}
    if info.file_size > _RELS_MAX or info.flag_bits & _ENCRYPTED:
        return {}
    try:
        with zf.open(info) as fh:
            data = fh.read(_RELS_MAX + 1)
        if len(data) > _RELS_MAX:
            return {}
        root = etree.fromstring(data, etree.XMLParser(resolve_entities=False,
                                                      no_network=True))
    except (*_MEMBER_ERRORS, _lzma_error(), etree.XMLSyntaxError) as err:
        log.debug("%s: %s ignored (%s)", name, part, err)
        return {}
    out: dict[str, str] = {}
    for rel in root:
        kind, target = rel.get("Type") or "", rel.get("Target") or ""
        if not target or rel.get("TargetMode") == "External":
            continue
        path = (target.lstrip("/") if target.startswith("/")
                else posixpath.join(folder, target))
        out.setdefault(kind.rsplit("/", 1)[-1], posixpath.normpath(path))
    return out


def _docx_parts(zf: zipfile.ZipFile, name: str, names: dict[str, str]) -> dict[str, bytes]:
    """The XML parts bitext reads, by role, decompressed under the caps (see
    DOCX_MAX_MB).

    The sizes a ZIP declares can lie, so they are checked first (cheap) and the
    bytes are counted again while decompressing.
    """
    max_bytes, max_ratio = _docx_limits()
    hint = ("if the document is genuine, raise the limit with the environment variables "
            "BITEXT_DOCX_MAX_MB / BITEXT_DOCX_MAX_RATIO")
    roles = {role: zf.getinfo(part) for role, part in names.items()}
    declared = sum(i.file_size for i in {i.filename: i for i in roles.values()}.values())
    if declared > max_bytes:
        raise InputError(f"{name}: the DOCX's text parts unpack to {declared / 2**20:.0f} MiB, "
                         f"more than the {max_bytes / 2**20:.0f} MiB limit; {hint}")
    out: dict[str, bytes] = {}
    read: dict[str, bytes] = {}
    total = 0
    for role, info in roles.items():
        if info.filename in read:  # two roles naming one part: read once
            out[role] = read[info.filename]
            continue
        if info.flag_bits & _ENCRYPTED:
            raise InputError(
                f"{name}: {info.filename} is encrypted with a ZIP password (Word never "
                "writes one: a document Word protects is not a ZIP file); unzip the file "
                "with its password and zip it again, or use the PDF or text version")
        chunks: list[bytes] = []
        size = 0
        try:
            with zf.open(info) as fh:
                while chunk := fh.read(2**20):
                    size += len(chunk)
                    total += len(chunk)
                    if total > max_bytes:
                        raise InputError(
                            f"{name}: the DOCX's text parts unpack to more than the "
                            f"{max_bytes / 2**20:.0f} MiB limit (its ZIP headers understate "
                            f"the sizes: a damaged file or a ZIP bomb); {hint}")
                    if size > _RATIO_FLOOR and size > max_ratio * max(info.compress_size, 1):
                        raise InputError(
                            f"{name}: {info.filename} unpacks more than {max_ratio:.0f} times "
                            f"its compressed size (a ZIP bomb?); {hint}")
                    chunks.append(chunk)
        except (*_MEMBER_ERRORS, _lzma_error()) as err:
            raise InputError(f"{name}: damaged DOCX part {info.filename} ({err})") from err
        read[info.filename] = out[role] = b"".join(chunks).replace(
            _W_STRICT, _W[1:-1].encode())
    return out


def _docx_text(parts: dict[str, bytes], name: str, names: dict[str, str]) -> str:
    """The text of the DOCX parts ``parts``, by role; ``names`` are their ZIP names
    (see :func:`_docx_part_names`).

    The main document and the notes are read as the parser goes
    (:class:`_Paragraphs`), without a tree: a tree holds every element, and a
    document.xml of 3 million one-word runs (a 6 MB DOCX) took 1.4 GB as one.
    Endnotes are notes as footnotes are, numbered with them in the order they are
    referenced: the marks in the text and the notes' labels agree, and the
    footnote reader (:func:`bitext.ingest.clean.extract_footnotes`) takes one
    sequence of numbers. Comments (word/comments.xml) are a reviewer's, not the
    document's text: never read.
    """
    numbering = _Numbering()
    for role in ("styles", "numbering"):
        if role in parts:
            _docx_lists(parts, role, name, names, numbering)
    font_table = _FontTable()
    if "fontTable" in parts:
        _docx_small(parts, "fontTable", name, names)
        _docx_feed(parts, "fontTable", name, names, font_table)
    # Notes are numbered in the order they are referenced; Word's ids need not
    # start at 1 (LibreOffice and older Word keep 0 and 1 for the separators).
    # Keys are the kind of note and its id: a footnote and an endnote share ids.
    marks: dict[str, str] = {}
    body = _docx_stream(parts, "document", name, names,
                        _Paragraphs(marks, body=True, styles=numbering,
                                    symbol_fonts=font_table.symbol))
    _refuse_elsewhere(body.elsewhere, name)
    lines: list[str] = []
    run_in = ""  # paragraphs whose mark is hidden, shown run into the next one
    for at, para in enumerate(body.paragraphs):
        text = para.text()
        label = numbering.label(para.style, para.numpr)
        if label:
            text = f"{label} {text}"
        text = text.strip()
        if run_in and text:
            # a paragraph's end is a word's end: one space, as between two sentences
            text = f"{run_in} {text}"
        elif run_in:
            text = run_in
        if para.run_in and at + 1 < len(body.paragraphs):
            run_in = text
            continue
        run_in = ""
        if text:
            lines.append(text)
            lines.append("")
    symbols_left = Counter(body.symbols_left)
    footnotes: list[tuple[str, str]] = []
    for role in ("footnotes", "endnotes"):
        if role not in parts:
            continue
        notes = _docx_stream(parts, role, name, names,
                             _Paragraphs(marks, body=False, styles=numbering,
                                         symbol_fonts=font_table.symbol))
        for fid, first, end in notes.notes:
            text = " ".join(p.text().strip() for p in notes.paragraphs[first:end]).strip()
            if text and fid in marks:
                footnotes.append((marks[fid], text))
        symbols_left.update(notes.symbols_left)  # a note loses them as the body does
        del notes
    if symbols_left:
        fonts = ", ".join(sorted(symbols_left))
        log.warning("%s: %d symbols (w:sym) in font %s have no Unicode character: left "
                    "out (insert them from a Unicode font to keep them)",
                    name, sum(symbols_left.values()), fonts)
    footnotes.sort(key=lambda note: (note[0] != "*", int(note[0]) if note[0].isdigit() else 0))
    if footnotes:
        lines.append("__________________")
        lines.extend(f"{mark} {text}" for mark, text in footnotes)
    return "\n".join(lines) + "\n"


def _refuse_elsewhere(found: Counter[str], name: str) -> None:
    """Refuse a document whose text is partly outside its document part
    (:data:`_ELSEWHERE`): read without it, a paragraph would be missing from one
    side of the alignment without a word."""
    if found["w:subDoc"]:
        raise InputError(
            f"{name}: a master document: {found['w:subDoc']} subdocument(s) (w:subDoc) "
            "hold its text in other files; open it in Word, expand the subdocuments "
            "(View > Outline > Expand Subdocuments) and save it as one document, or use "
            "the PDF or text version")
    if found["w:altChunk"]:
        raise InputError(
            f"{name}: {found['w:altChunk']} part(s) of its text are imported content "
            "(w:altChunk: HTML, RTF or a document inside the DOCX, which Word merges "
            "when it opens the file); open it in Word and save it again (the parts "
            "become its text), or use the PDF or text version")


_TOO_DEEP = f"nests XML elements more than {_XML_DEPTH:,} deep (Word writes a few dozen levels)"


def _xml_error(err: Exception, name: str, part: str) -> InputError:
    if "Excessive depth" in str(err):
        return InputError(
            f"{name}: {part} {_TOO_DEEP}: a damaged or hostile file; "
            "open it in Word and save it again, or use the PDF or text version")
    return InputError(f"{name}: damaged DOCX part {part} ({err})")


def _docx_lists(parts: dict[str, bytes], role: str, name: str, names: dict[str, str],
                numbering: _Numbering) -> None:
    """Read into ``numbering`` what it needs from the part ``role`` (styles,
    numbering) as the parser goes (:class:`_ListParts`); a part past
    :data:`_DOCX_LISTS_MAX` is refused."""
    _docx_small(parts, role, name, names)
    _docx_feed(parts, role, name, names, _ListParts(numbering))


def _docx_small(parts: dict[str, bytes], role: str, name: str, names: dict[str, str]) -> None:
    """Refuse the part ``role`` (styles, numbering, font table) past
    :data:`_DOCX_LISTS_MAX`."""
    if len(parts[role]) > _DOCX_LISTS_MAX:
        raise InputError(
            f"{name}: {names[role]} is {len(parts[role]) / 2**20:.0f} MiB, more than the "
            f"{_DOCX_LISTS_MAX / 2**20:.0f} MiB a Word {role} part may hold (Word writes "
            "well under 1 MiB): a damaged or hostile file; open it in Word and save it "
            "again, or use the PDF or text version")


def _docx_stream(parts: dict[str, bytes], role: str, name: str, names: dict[str, str],
                 target: _Paragraphs) -> _Paragraphs:
    """``target`` after the parser has fed it the part ``role``."""
    _docx_feed(parts, role, name, names, target)
    return target


def _docx_feed(parts: dict[str, bytes], role: str, name: str, names: dict[str, str],
               target: _Paragraphs | _ListParts | _FontTable) -> None:
    """Feed the part ``role`` to the parser target ``target``; what the part holds
    that Word never writes (``_Refused``) and bad XML are one Error."""
    from lxml import etree

    parser = etree.XMLParser(target=target, resolve_entities=False, no_network=True,
                             huge_tree=True)
    data = parts[role]
    try:
        for at in range(0, len(data), _PIECE):
            parser.feed(data[at:at + _PIECE])
        parser.close()
    except etree.XMLSyntaxError as err:
        raise _xml_error(err, name, names[role]) from None
    except _Refused as err:
        raise InputError(f"{name}: {names[role]} {err}: a damaged or hostile file; open it "
                         "in Word and save it again, or use the PDF or text version") from None


class _Refused(Exception):
    """What a DOCX part holds that Word never writes (the words after its name)."""


#: The most bytes a numbering or styles part may hold. Word writes 20-300 KB
#: (styles.xml with every latent style), numbering.xml a few KB to 200 KB; what
#: is kept of them (:class:`_Numbering`) takes about 3 times their size at most.
#: The font table (a few KB: one entry for each font used) is held to it too.
_DOCX_LISTS_MAX = 16 * 2**20
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


def _on(value: str | None) -> bool:
    """An ST_OnOff value (w:val of w:vanish, w:b...): absent is on."""
    return value is None or value.strip() in ("1", "true", "on")


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
#: The font table's w:charset of a symbol font (ECMA-376 part 1, 17.8.3.2: the
#: Windows character sets; SYMBOL_CHARSET is 2, as Word writes for Symbol,
#: Wingdings and Webdings).
_SYMBOL_CHARSET = 2
_FONT, _CHARSET = f"{_W}font", f"{_W}charset"


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


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


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


