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

import logging
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from bitext.errors import InputError, MissingDependencyError

if TYPE_CHECKING:
    pass

log = logging.getLogger(__name__)
# Footnote reference sentinels (private-use code points) around a footnote number.
FN_OPEN = "\ue000"
FN_CLOSE = "\ue001"
# Around a number a PDF draws raised and smaller than its line (a superscript): a
# footnote marker when the document has that note (clean.MarkerRemover decides).
RAISED_OPEN = "\ue002"
RAISED_CLOSE = "\ue003"
# After a PDF page's last line when the page's layout shows it ends its paragraph
# (pdfpage.paragraph_end): clean.split_lines takes it off into Line.ends_paragraph.
PARA_END = "\ue004"
#: The marks above. A DOCX's or a PDF's own such characters (an icon font's
#: private-use code points) would be taken for them (a number between U+E000
#: and U+E001 became a footnote reference): their readers leave them out, with
#: a warning. A text file's are its characters (it holds no marks).
MARKS = frozenset((FN_OPEN, FN_CLOSE, RAISED_OPEN, RAISED_CLOSE, PARA_END))
#: ``str.translate`` table leaving :data:`MARKS` out.
NO_MARKS: dict[int, None] = dict.fromkeys(map(ord, MARKS))


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
        from bitext.ingest.docx import _read_zip

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
    from bitext.ingest.pdfpage import (
        PDF_RULE,
        PageRows,
        _page_rows,
        _rows_text,
        paragraph_end,
    )
    from bitext.ingest.pdfsafety import (
        PDF_MAX_DRAWN,
        PDF_MAX_FONT_ENTRIES,
        PDF_MAX_INLINE,
        PDF_MAX_PAGE_CHARS,
        _check_pdf_inflation,
        _Damaged,
        _damaged_object_stream,
        _Inflated,
        _inflated,
        _InlineImages,
        _max_pages,
        _pdf_pages,
        _ReferenceLoop,
        _TooLarge,
        _TooManyChars,
        _TooManyEntries,
        _TooManyPages,
    )
    from bitext.ingest.pdftable import carry_cut_row

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
    # a page is text once the next is read: a table row broken over the page
    # takes its cells' last lines back from the next
    held: PageRows | None = None
    read = 0
    try:
        for page in _pdf_pages(io.BytesIO(data), name):
            rows = _page_rows(page, direction, gutters, edges, spacing)
            read += 1
            if held is not None:
                carry_cut_row(held.rows, rows.rows, PDF_RULE, rows.usual)
                pages.append(_rows_text(held, paragraph_end(held, rows)))
            held = rows
        if held is not None:
            pages.append(_rows_text(held))
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
            f"{name}: page {read + 1}: its content (object {err.objid}) is damaged: "
            f"its compressed data {err.how}, so the text after it is lost (a file cut "
            "short or changed in a copy or a download); export the PDF again from its "
            "source (or download it again), or use the document's DOCX or text "
            "version") from None
    except _TooManyPages as err:
        from bitext.limits import PDF_MAX_PAGES_ENV

        limit = _max_pages()
        many = (f"{err.pages:,} pages, more than the limit of {limit:,} pages (its page tree "
                f"counts {err.pages:,} pages)" if err.pages is not None else
                f"more than the limit of {limit:,} pages (though its page tree counts "
                f"{err.claimed:,}: a damaged file?)")
        raise InputError(
            f"{name}: {many}; the longest UN publications have about 2,000 pages: split "
            "the file (qpdf --split-pages=1000 IN.pdf OUT.pdf), or if it is genuine raise "
            f"the limit with the environment variable {PDF_MAX_PAGES_ENV}") from None
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
    return _check_text_layer(text, name)


#: A PDF's text layer more than this share of whose visible characters (no
#: spaces) are one letter or symbol is no text of any language: a font whose
#: ToUnicode map sends every glyph to one character (or to U+FFFD), digits and
#: punctuation too. Digits are never the one (a table of figures repeats 0),
#: but count among the characters: a synthetic page of 'w0. w1. ... w3999.'
#: is 'w' for 17%. The most frequent letter or symbol of dev text is
#: .024-.152 of a whole file's visible characters and at most .22 of any 200
#: in a row (the UN test set's six languages, the Bible zh/en, the seed
#: corpus; 2026-12-07): .5 is more than twice the highest.
ONE_CHARACTER_SHARE = 0.5
#: Fewer visible characters than this (a cover page, a title) are not judged:
#: the windows of 200 above are the smallest measured.
ONE_CHARACTER_MIN = 200
#: How pdfminer writes a glyph whose font names no character for it (a CID font
#: without a ToUnicode map). Dev text holds none; a PDF more than half of whose
#: glyphs are such (the share of :data:`ONE_CHARACTER_SHARE`) has no text to
#: align. One font among several (a symbol font's bullets) stays below.
_UNNAMED_GLYPH = re.compile(r"\(cid:\d+\)")


def _check_text_layer(text: str, name: str) -> str:
    """``text`` without the glyphs whose font names no character for them, or an
    Error for a PDF text layer that holds no words: mostly such glyphs
    (pdfminer's '(cid:256)', which was segmented as English, or refused as
    'expected Chinese text but it looks like English'), or one character
    repeated (:data:`ONE_CHARACTER_SHARE`: 'aaaaaaa aaa aaaaaaaa' was
    segmented, aligned and written as the document's text, exit 0).

    A few such glyphs (a symbol font's bullets, a ligature the font does not
    map) are left out with a warning that counts them and names their pages:
    kept, '(cid:256)' went into a translation memory as if the document said
    it, and no translator can tell what glyph it stood for."""
    import unicodedata
    from collections import Counter

    unnamed = len(_UNNAMED_GLYPH.findall(text))
    if unnamed:
        rest = _UNNAMED_GLYPH.sub("", text)
        glyphs = unnamed + sum(not ch.isspace() for ch in rest)
        if glyphs >= ONE_CHARACTER_MIN and unnamed > ONE_CHARACTER_SHARE * glyphs:
            raise InputError(
                f"{name}: its fonts name no character for {unnamed:,} of its {glyphs:,} "
                "glyphs (a font without a ToUnicode map; pdfminer shows each as (cid:N)): "
                "the PDF holds no text to read there; run OCR on it (ocrmypdf --force-ocr "
                "IN.pdf OUT.pdf), or use the DOCX or text version")
        pages = [n for n, page in enumerate(text.split("\f"), 1) if _UNNAMED_GLYPH.search(page)]
        where = ", ".join(map(str, pages[:10])) + (", ..." if len(pages) > 10 else "")
        log.warning(
            "%s: its fonts name no character for %s of its %s glyphs (page%s %s; a font "
            "without a ToUnicode map: pdfminer shows each as (cid:N)): left out of the "
            "text, where each stood for a letter, a ligature or a symbol; check the text "
            "of those pages, or use the DOCX or text version", name, f"{unnamed:,}",
            f"{glyphs:,}", "s" if len(pages) > 1 else "", where)
        text = rest
    counts = {ch: n for ch, n in Counter(text).items() if not ch.isspace()}
    total = sum(counts.values())
    if total < ONE_CHARACTER_MIN:
        return text
    top, n = max(counts.items(), key=lambda item: item[1])
    category = unicodedata.category(top)
    if n > ONE_CHARACTER_SHARE * total and (category[0] in "LMS" or category == "Co"):
        raise InputError(
            f"{name}: its text layer is one character repeated ({top!r} is {n / total:.0%} "
            f"of its {total:,} characters): the PDF's font maps its glyphs to that "
            "character, and the words are lost; run OCR on it (ocrmypdf --force-ocr "
            "IN.pdf OUT.pdf), or use the DOCX or text version")
    return text


_PIECE = 1 << 20


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
