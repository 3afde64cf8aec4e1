"""What kind of file an input is: the one place that knows file names and magic bytes.

Every reader asks here instead of keeping an extension table of its own:
documents (:mod:`bitext.ingest.reader`), memories (:mod:`bitext.glossary.memories`),
glossaries (:mod:`bitext.glossary.formats`) and ``bitext validate``.

Kinds: ``pdf``, ``zip`` (DOCX and other Office Open XML), ``ole`` (old binary
Word/Excel, or a password-protected DOCX: :func:`is_encrypted_office`), ``rtf``,
``image`` (:func:`image_format`), ``tmx``, ``tbx``, ``xliff``, ``jsonl``,
``csv``, ``tsv`` and ``text``. A ``.gz`` suffix is looked through (the readers gunzip by the
magic bytes, :func:`bitext.fileio.open_binary`).
"""

from __future__ import annotations

import os

#: File name endings and the kind each names.
EXTENSIONS: dict[str, str] = {
    ".pdf": "pdf",
    ".docx": "zip", ".docm": "zip", ".dotx": "zip",
    ".doc": "ole", ".xls": "ole",
    ".rtf": "rtf",
    ".tmx": "tmx",
    ".tbx": "tbx",
    ".xlf": "xliff", ".xliff": "xliff", ".sdlxliff": "xliff", ".mqxliff": "xliff",
    ".jsonl": "jsonl", ".json": "jsonl",
    ".csv": "csv",
    ".tsv": "tsv", ".tab": "tsv",
    ".txt": "text",
}

#: The kinds :func:`by_content` finds that are no plain text, as a user names them
#: (the Error of a reader given one of them says what it is, not a parse error).
KIND_NAMES = {"tmx": "a TMX translation memory", "xliff": "an XLIFF file",
              "tbx": "a TBX glossary", "pdf": "a PDF document",
              "zip": "a Word document or other ZIP file",
              "ole": "an old binary Word or Excel file", "rtf": "an RTF document",
              "image": "an image"}

#: How many bytes :func:`by_content` needs to see: an XML root element may come
#: after a declaration, a DOCTYPE with its system id and a comment or two.
HEAD_BYTES = 4096

_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")

#: Magic bytes of the image formats a scan or a photo of a page comes in.
_IMAGES = ((b"\xff\xd8\xff", "JPEG"), (b"\x89PNG\r\n\x1a\n", "PNG"), (b"GIF8", "GIF"),
           (b"II*\x00", "TIFF"), (b"MM\x00*", "TIFF"), (b"BM", "BMP"))

#: The stream an encrypted Office Open XML package is kept in, inside an OLE
#: compound file (MS-OFFCRYPTO 2.3.4.4), as the directory spells it (UTF-16-LE).
_ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")


def by_name(name: str | os.PathLike[str]) -> str | None:
    """The kind a file name's extension names (``.gz`` looked through), or None."""
    lower = os.fspath(name).lower().removesuffix(".gz")
    return EXTENSIONS.get(os.path.splitext(lower)[1])


def by_content(head: bytes) -> str | None:
    """The kind the first bytes of a file show (gunzipped already), or None when
    they show nothing but text."""
    if head.startswith(b"%PDF"):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return "zip"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return "ole"
    if head.startswith(b"{\\rtf"):
        return "rtf"
    if image_format(head):
        return "image"
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        # UTF-16 (a TMX saved as 'Unicode'): its tags are seen once decoded
        head = head[: len(head) // 2 * 2].decode("utf-16", "replace").encode("utf-8")
    for bom in _BOMS:
        head = head.removeprefix(bom)
    start = head.lstrip()
    if start.startswith(b"<"):
        lower = start[:HEAD_BYTES].lower()
        for tag, kind in ((b"<tmx", "tmx"), (b"<xliff", "xliff"), (b"<tbx", "tbx"),
                          (b"<martif", "tbx")):
            if tag in lower:
                return kind
        return None
    if start.startswith(b"{"):
        return "jsonl"
    return None


def image_format(head: bytes) -> str:
    """The image format (``JPEG``, ``PNG`` ...) the first bytes show, or ``""``."""
    # BMP's two letters open plain text too ("BMW ..."): its header's size field
    # (bytes 2-5, little-endian) then holds letters, and its reserved bytes (6-9)
    # zeros, which no text has.
    for magic, name in _IMAGES:
        if head.startswith(magic) and (name != "BMP" or head[6:10] == bytes(4)):
            return name
    return ""


def is_encrypted_office(data: bytes) -> bool:
    """Whether an OLE compound file holds an encrypted Office Open XML package:
    what Word, Excel and PowerPoint save for a file with a password."""
    return data.startswith(b"\xd0\xcf\x11\xe0") and _ENCRYPTED_PACKAGE in data


#: How far into a file a PDF header may come: readers accept up to 1,024 bytes
#: of junk before ``%PDF-`` (ISO 32000-1, Annex H.3, note on the file header).
PDF_HEADER_WINDOW = 1024


def pdf_header_within(head: bytes) -> bool:
    """Whether a PDF header comes within :data:`PDF_HEADER_WINDOW` bytes of the
    start (:func:`by_content` only knows files that open with it)."""
    return b"%PDF-" in head[:PDF_HEADER_WINDOW]


def is_html(head: bytes) -> bool:
    """Whether the first bytes of a file open an HTML page (a saved web page)."""
    return head.lstrip().lower().startswith((b"<!doctype html", b"<html"))


def table_kind(head: bytes) -> str:
    """``tsv`` when the first line holds a tab, else ``csv``."""
    first_line = head.lstrip(b"\xef\xbb\xbf \t\r\n").split(b"\n", 1)[0]
    return "tsv" if b"\t" in first_line else "csv"


def read_head(path: str | os.PathLike[str], *, quiet: bool = True) -> bytes:
    """The first :data:`HEAD_BYTES` of a file, gunzipped. When it cannot be read:
    empty if ``quiet`` (the reader that opens it next reports that in its own
    words), else the :class:`~bitext.errors.InputError` of :func:`open_binary`."""
    from bitext.errors import InputError
    from bitext.fileio.read import open_binary

    try:
        with open_binary(path) as fh:
            return fh.read(HEAD_BYTES)
    except (OSError, InputError):
        if quiet:
            return b""
        raise
