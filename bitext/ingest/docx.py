"""A DOCX file read into text: the ZIP checks (size, compression ratio, members,
encryption), its parts found through their relationships, and each part's XML fed
to its reader (:mod:`bitext.ingest.docxparas`, :mod:`bitext.ingest.docxlists`)
within the limits.
"""

from __future__ import annotations

import logging
import zipfile
import zlib
from collections import Counter

from bitext.errors import InputError
from bitext.ingest.docxlists import _FontTable, _ListParts, _Numbering
from bitext.ingest.docxparas import _Paragraphs
from bitext.ingest.docxxml import _TOO_DEEP, _W, _Refused
from bitext.ingest.reader import _PIECE, RawText, _env_number

log = logging.getLogger(__name__)


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
        if _is_link(info):
            raise InputError(
                f"{name}: {info.filename} is a symbolic link stored in the ZIP (to "
                f"{_link_target(zf, info)}), not a part: Word never writes one (bitext "
                "follows none); a damaged or hostile file: open it in Word and save it "
                "again, or use the PDF or text version")
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


def _is_link(info: zipfile.ZipInfo) -> bool:
    """Whether a ZIP member is a symbolic link (``zip --symlinks``: made on Unix,
    mode S_IFLNK, the target path as its bytes), which unzip makes a link."""
    import stat

    return info.create_system == 3 and stat.S_ISLNK(info.external_attr >> 16)


def _link_target(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> str:
    """The path a link member names, as the Error shows it (its first 200 bytes;
    "?" when they cannot be read)."""
    try:
        with zf.open(info) as fh:
            data = fh.read(200)
    except (*_MEMBER_ERRORS, _lzma_error()):
        return "?"
    return data.decode("utf-8", "backslashreplace")


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
    marks_left = body.marks_left
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
        marks_left += notes.marks_left
        del notes
    if symbols_left:
        fonts = ", ".join(sorted(symbols_left))
        log.warning("%s: %d symbols (w:sym) in font %s have no Unicode character: left "
                    "out (insert them from a Unicode font to keep them)",
                    name, sum(symbols_left.values()), fonts)
    if marks_left:
        log.warning("%s: %d private-use characters U+E000-U+E004 (an icon font's, with no "
                    "meaning outside it; bitext marks footnote references with them) left "
                    "out; insert those symbols from a Unicode font to keep them",
                    name, marks_left)
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


#: The most bytes a numbering or styles part may hold. Word writes 20-300 KB
#: (styles.xml with every latent style), numbering.xml a few KB to 200 KB; what
#: is kept of them (:class:`_Numbering`) takes about 3 times their size at most.
#: The font table (a few KB: one entry for each font used) is held to it too.
_DOCX_LISTS_MAX = 16 * 2**20
