"""Reading files: encodings, DOCX, PDF, and clear errors for bad input."""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from bitext.errors import InputError
from bitext.ingest.document import detect_lang, load_document
from bitext.ingest.reader import FN_OPEN, read_file

ZH = "《偷运移民议定书》共有142个缔约国。\n"


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("utf-8", ZH.encode("utf-8")),
        ("utf-8 BOM", b"\xef\xbb\xbf" + ZH.encode("utf-8")),
        ("utf-16 BOM", ZH.encode("utf-16")),
        ("utf-16-le no BOM", ("Plain ASCII text. " * 20 + ZH).encode("utf-16-le")),
        ("gb18030", ZH.encode("gb18030")),
        ("gbk", ZH.encode("gbk")),
    ],
)
def test_encodings(tmp_path: Path, name: str, data: bytes) -> None:
    p = tmp_path / "doc.txt"
    p.write_bytes(data)
    assert read_file(p).text.strip().endswith(ZH.strip())


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("empty", b"", "empty"),
        ("whitespace", b"  \n\n ", "empty"),
        ("binary", bytes(range(256)) * 20, "binary"),
        ("old word", b"\xd0\xcf\x11\xe0" + b"\x00" * 100, ".doc"),
        ("zip not docx", None, "not a Word document"),
    ],
)
def test_bad_input(tmp_path: Path, name: str, data: bytes | None, message: str) -> None:
    p = tmp_path / "bad.bin"
    if data is None:
        with zipfile.ZipFile(p, "w") as zf:
            zf.writestr("a.txt", "hello")
    else:
        p.write_bytes(data)
    with pytest.raises(InputError, match=message):
        read_file(p)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        read_file(tmp_path / "nope.txt")


def test_wrong_language(tmp_path: Path) -> None:
    p = tmp_path / "zh.txt"
    p.write_text("This is English text about the Protocol and the Office.\n", encoding="utf-8")
    with pytest.raises(InputError, match="expected Chinese"):
        load_document(p, "zh")


def test_detect_lang() -> None:
    assert detect_lang(ZH) == "zh"
    assert detect_lang("The Office of the United Nations and the States") == "en"
    assert detect_lang("Le Bureau et les États des Nations Unies") == "fr"


def _docx(path: Path, body: str, numbering: str = "", footnotes: str = "") -> None:
    ns = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", f"<w:document {ns}><w:body>{body}</w:body></w:document>")
        if numbering:
            zf.writestr("word/numbering.xml", f"<w:numbering {ns}>{numbering}</w:numbering>")
        if footnotes:
            zf.writestr("word/footnotes.xml", f"<w:footnotes {ns}>{footnotes}</w:footnotes>")


def _p(text: str, num: int | None = None, fn: str | None = None) -> str:
    ppr = (f'<w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="{num}"/></w:numPr></w:pPr>'
           if num else "")
    ref = f'<w:r><w:footnoteReference w:id="{fn}"/></w:r>' if fn else ""
    return f"<w:p>{ppr}<w:r><w:t>{text}</w:t></w:r>{ref}</w:p>"


def test_docx_numbering_and_footnotes(tmp_path: Path) -> None:
    numbering = (
        '<w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0"><w:numFmt w:val="decimal"/>'
        '<w:lvlText w:val="%1."/></w:lvl></w:abstractNum>'
        '<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>'
    )
    footnotes = (
        '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:t>x</w:t></w:r></w:p></w:footnote>'
        '<w:footnote w:id="1"><w:p><w:r><w:t>A/70/59.</w:t></w:r></w:p></w:footnote>'
    )
    body = (_p("I. Introduction")
            + _p("The Office reported on the subject.", num=1, fn="1")
            + _p("The Office continued its work.", num=1))
    path = tmp_path / "doc.docx"
    _docx(path, body, numbering, footnotes)
    raw = read_file(path)
    assert raw.format == "docx" and FN_OPEN in raw.text
    doc = load_document(path, "en")
    units = [(u.kind, u.label, u.text, u.footnote_refs) for u in doc.units]
    assert units == [
        ("heading", "I", "Introduction", ()),
        ("paragraph", "1", "The Office reported on the subject.", ("1",)),
        ("paragraph", "2", "The Office continued its work.", ()),
        ("footnote", "fn1", "A/70/59.", ()),
    ]


def _pdf_file(objs: list[str]) -> bytes:
    """A PDF file of ``objs`` (object 1 the catalog), with its cross-reference table."""
    out = b"%PDF-1.4\n"
    offsets = []
    for i, body in enumerate(objs, 1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n{body}\nendobj\n".encode("latin-1")
    xref = len(out)
    out += f"xref\n0 {len(objs) + 1}\n0000000000 65535 f \n".encode()
    for off in offsets:
        out += f"{off:010d} 00000 n \n".encode()
    out += f"trailer\n<< /Size {len(objs) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return out


def _page_objects(stream: str) -> list[str]:
    """Objects 1-4 of a one-page PDF: catalog, pages, the page (font F1 is
    object 5) and its content ``stream``."""
    return [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        "/Resources << /Font << /F1 5 0 R >> >> >>",
        f"<< /Length {len(stream)} >>\nstream\n{stream}\nendstream",
    ]


def _minimal_pdf(lines: list[str], one_character: str | None = None) -> bytes:
    """A one-page PDF with a Helvetica text layer (built by hand, no library);
    with ``one_character``, the font's ToUnicode map sends every code it draws
    (0x20-0x7E) to that character."""
    stream = "BT /F1 11 Tf 72 720 Td 14 TL " + " ".join(
        "(" + ln.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") + ") '"
        for ln in lines) + " ET"
    objs = [
        *_page_objects(stream),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    if one_character is not None:
        code = f"<{ord(one_character):04X}>"
        cmap = ("/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CMapName /X "
                "def 1 begincodespacerange <00> <FF> endcodespacerange 1 beginbfrange "
                f"<20> <7E> [{' '.join([code] * 95)}] endbfrange endcmap CMapName "
                "currentdict /CMap defineresource pop end end")
        objs[4] = "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /ToUnicode 6 0 R >>"
        objs.append(f"<< /Length {len(cmap)} >>\nstream\n{cmap}\nendstream")
    return _pdf_file(objs)


def test_pdf_text_layer(tmp_path: Path) -> None:
    path = tmp_path / "doc.pdf"
    path.write_bytes(_minimal_pdf(["I. Introduction", "", "1. The Office reported on the",
                                   "implementation of the Protocol."]))
    doc = load_document(path, "en")
    assert [(u.label, u.text) for u in doc.units] == [
        ("I", "Introduction"),
        ("1", "The Office reported on the implementation of the Protocol."),
    ]


def test_pdf_without_text(tmp_path: Path) -> None:
    """A PDF whose pages hold no text is a scan or blank pages: the Error says how
    many pages were read, and what to do in either case (it spoke of a scan alone,
    also for a file of blank pages, where OCR has nothing to read)."""
    path = tmp_path / "scan.pdf"
    path.write_bytes(_minimal_pdf([]))
    with pytest.raises(InputError, match="no text layer") as err:
        read_file(path)
    message = str(err.value)
    assert "none of its 1 page(s)" in message and "blank" in message
    assert "OCR" in message


@pytest.mark.parametrize("character", ["a", "\ufffd"], ids=["a letter", "U+FFFD"])
def test_pdf_whose_font_maps_every_glyph_to_one_character(tmp_path: Path,
                                                          character: str) -> None:
    """A font whose ToUnicode map sends every glyph to one character (or to the
    replacement character) gave 'aaaaaaa aaa aaaaaaaa' as the document's text,
    exit 0: segmented, aligned and written as if it were text. The Error says
    what the text layer is and what to do; the same page with its glyphs mapped
    right is read (reliab24, session 27)."""
    lines = [f"{n}. The Committee notes the report of the Secretary-General on the item."
             for n in range(1, 11)]
    path = tmp_path / "font.pdf"
    path.write_bytes(_minimal_pdf(lines, one_character=character))
    with pytest.raises(InputError, match="one character") as err:
        read_file(path)
    assert "OCR" in str(err.value) and repr(character) in str(err.value), err.value
    path.write_bytes(_minimal_pdf(lines))
    assert "Secretary-General" in read_file(path).text


def _cid_pdf(glyphs: int, descriptor: bool = True) -> bytes:
    """A one-page PDF drawing ``glyphs`` glyphs of a CID font (Identity-H) that
    has no ToUnicode map: pdfminer can name none of them. Without
    ``descriptor`` the font has no FontDescriptor (pdfminer warns)."""
    codes = "".join(f"{0x100 + i % 300:04X}" for i in range(glyphs))
    stream = "BT /F1 11 Tf 50 780 Td 14 TL " + " ".join(
        f"<{codes[j:j + 160]}> Tj T*" for j in range(0, len(codes), 160)) + " ET"
    objs = [
        *_page_objects(stream),
        "<< /Type /Font /Subtype /Type0 /BaseFont /XYZ /Encoding /Identity-H "
        "/DescendantFonts [6 0 R] >>",
        "<< /Type /Font /Subtype /CIDFontType2 /BaseFont /XYZ /CIDSystemInfo << /Registry "
        "(Adobe) /Ordering (Identity) /Supplement 0 >> "
        + ("/FontDescriptor 7 0 R " if descriptor else "") + "/DW 1000 >>",
        "<< /Type /FontDescriptor /FontName /XYZ /Flags 4 /FontBBox [0 0 1000 1000] "
        "/ItalicAngle 0 /Ascent 800 /Descent -200 /CapHeight 700 /StemV 80 >>",
    ]
    return _pdf_file(objs)


def test_pdf_whose_font_names_no_character_of_its_glyphs(tmp_path: Path) -> None:
    """A CID font without a ToUnicode map (a subset font many PDF makers embed):
    pdfminer writes each glyph as '(cid:256)', and that was the document's text:
    segmented and written as English (exit 0), or refused as 'expected Chinese
    text but it looks like English', which sent the user to the language
    options. The Error says the glyphs have no characters (reliab24, session 27)."""
    path = tmp_path / "cid.pdf"
    path.write_bytes(_cid_pdf(600))
    with pytest.raises(InputError, match=r"\(cid:N\)") as err:
        read_file(path)
    assert "600 of its 600 glyphs" in str(err.value) and "OCR" in str(err.value), err.value


def test_pdfminers_warnings_do_not_reach_the_user(tmp_path: Path,
                                                  caplog: pytest.LogCaptureFixture) -> None:
    """pdfminer warns of what it works around in a font or a page ('Could not
    get FontBBox from font descriptor because None cannot be parsed as 4
    floats'); the CLI showed it as a 'bitext: WARNING:' line before the result
    or the Error, about nothing the user can act on (reliab24, session 27)."""
    import logging

    path = tmp_path / "cid.pdf"
    path.write_bytes(_cid_pdf(600, descriptor=False))
    with caplog.at_level(logging.WARNING), pytest.raises(InputError):
        read_file(path)
    assert not [r for r in caplog.records if r.name.startswith("pdfminer")], caplog.text


def _some_unnamed_glyphs_pdf(unnamed: int) -> bytes:
    """A one-page PDF of ten English lines in Helvetica, the first ending in
    ``unnamed`` glyphs of a CID font without a ToUnicode map (font F2)."""
    lines = [f"{n}. The Committee notes the report of the Secretary-General on the item."
             for n in range(1, 11)]
    codes = "".join(f"{0x100 + i:04X}" for i in range(unnamed))
    stream = ("BT /F1 11 Tf 72 720 Td 14 TL (" + lines[0] + f") Tj /F2 11 Tf <{codes}> Tj "
              "/F1 11 Tf " + " ".join(f"({ln}) '" for ln in lines[1:]) + " ET")
    objs = _page_objects(stream)
    objs[2] = objs[2].replace("/F1 5 0 R", "/F1 5 0 R /F2 6 0 R")
    return _pdf_file([
        *objs,
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        "<< /Type /Font /Subtype /Type0 /BaseFont /XYZ /Encoding /Identity-H "
        "/DescendantFonts [7 0 R] >>",
        "<< /Type /Font /Subtype /CIDFontType2 /BaseFont /XYZ /CIDSystemInfo << /Registry "
        "(Adobe) /Ordering (Identity) /Supplement 0 >> /FontDescriptor 8 0 R /DW 1000 >>",
        "<< /Type /FontDescriptor /FontName /XYZ /Flags 4 /FontBBox [0 0 1000 1000] "
        "/ItalicAngle 0 /Ascent 800 /Descent -200 /CapHeight 700 /StemV 80 >>",
    ])


def test_pdf_with_a_few_unnamed_glyphs(tmp_path: Path,
                                       caplog: pytest.LogCaptureFixture) -> None:
    """A PDF fewer than half of whose glyphs have no character (a symbol font's
    bullets, a ligature a font does not map) kept pdfminer's '(cid:256)' in its
    text, and a translation memory carried it as if the document said so. They
    are left out, with a warning that counts them and names the page."""
    import logging

    path = tmp_path / "some.pdf"
    path.write_bytes(_some_unnamed_glyphs_pdf(3))
    with caplog.at_level(logging.WARNING, logger="bitext"):
        text = read_file(path).text
    assert "(cid:" not in text and "Secretary-General" in text, text
    warned = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert any("3 of its" in m and "page 1" in m for m in warned), warned


def test_pdf_glyphs_mapped_to_the_readers_marks_are_left_out(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """A font whose ToUnicode map sends glyphs to U+E000-U+E004 (an icon font's
    private-use code points) had them taken for the reader's own marks: a
    number between U+E000 and U+E001 became a footnote reference. They are left
    out, with one warning counting them."""
    import logging

    lines = [f"{n}. The Committee notes the report # 7 $ of the Secretary-General."
             for n in range(1, 4)]
    cmap = ("/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CMapName /X "
            "def 1 begincodespacerange <00> <FF> endcodespacerange 2 beginbfchar "
            "<23> <E000> <24> <E001> endbfchar endcmap CMapName "
            "currentdict /CMap defineresource pop end end")
    stream = "BT /F1 11 Tf 72 720 Td 14 TL " + " ".join(f"({ln}) '" for ln in lines) + " ET"
    path = tmp_path / "icons.pdf"
    path.write_bytes(_pdf_file([
        *_page_objects(stream),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /ToUnicode 6 0 R >>",
        f"<< /Length {len(cmap)} >>\nstream\n{cmap}\nendstream",
    ]))
    with caplog.at_level(logging.WARNING, logger="bitext"):
        text = read_file(path).text
    assert not {chr(0xE000), chr(0xE001)} & set(text), text
    assert "report  7  of" in text, text
    warned = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warned) == 1 and "6 " in warned[0] and "icons.pdf" in warned[0], warned


def test_pdfminer_logger_is_set_once(tmp_path: Path) -> None:
    """The reader set pdfminer's logger to ERROR on every PDF it read, undoing
    a program's own choice for it after the first; it is set once, where the
    PDF reader is made."""
    import logging

    path = tmp_path / "doc.pdf"
    path.write_bytes(_minimal_pdf(["1. The Office reported on the Protocol."]))
    read_file(path)
    logger = logging.getLogger("pdfminer")
    before = logger.level
    try:
        logger.setLevel(logging.CRITICAL)
        read_file(path)
        assert logger.level == logging.CRITICAL
    finally:
        logger.setLevel(before)


def _pdf_stream_length_off(lines: list[str], off: int, flate: bool,
                           damage: Callable[[bytes], bytes] | None = None) -> bytes:
    """The one-page PDF of ``lines`` whose content stream's /Length is ``off`` bytes
    from the truth (its data, deflated when ``flate`` and then passed through
    ``damage``, and ``endstream`` as written)."""
    import zlib

    good = _minimal_pdf(lines)
    start = good.index(b"stream\n") + len(b"stream\n")
    end = good.index(b"\nendstream")
    data = zlib.compress(good[start:end]) if flate else good[start:end]
    data = damage(data) if damage else data
    head = b"<< /Length %d%s >>" % (len(data) + off, b" /Filter /FlateDecode" if flate else b"")
    objs = good[:good.rindex(b"<<", 0, start)] + head + b"\nstream\n" + data + good[end:]
    # the cross-reference offsets after the stream move with its size
    body, _, _ = objs.partition(b"xref\n")
    offsets = [m.start() for m in re.finditer(rb"(?m)^\d+ 0 obj", body)]
    table = b"xref\n0 %d\n0000000000 65535 f \n" % (len(offsets) + 1) + b"".join(
        b"%010d 00000 n \n" % o for o in offsets)
    return body + table + b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(offsets) + 1, len(body))


@pytest.mark.parametrize("flate", [False, True], ids=["plain", "flate"])
@pytest.mark.parametrize("off", [-60, -9, -1, 1, 9, 10_000])
def test_a_pdf_stream_whose_length_is_wrong_is_read_to_its_endstream(
        tmp_path: Path, off: int, flate: bool) -> None:
    """A stream's /Length that does not end at its ``endstream`` (a damaged file,
    an editor that changed the data and not its length) is read to the endstream,
    as PDF readers read it: a length too long read the page as nothing ('no text
    layer (a scan?)'), one too short dropped its last lines without a word."""
    lines = [f"{n}. The Committee met in Vienna and adopted its agenda item {n}."
             for n in range(1, 13)]
    path = tmp_path / "damaged.pdf"
    path.write_bytes(_pdf_stream_length_off(lines, off, flate))
    text = read_file(path).text
    assert [ln for ln in text.splitlines() if ln.strip()] == lines


def _pdf_flate_content(lines: list[str], damage: str) -> bytes:
    """The one-page PDF of ``lines`` whose content stream is deflated, then
    ``damage``d: ``cut`` (its last third gone, /Length and endstream as written),
    ``flip`` (a byte in the middle changed), ``no-checksum`` (the zlib trailer
    left out, as some producers write it: the data whole)."""
    def damaged(data: bytes) -> bytes:
        half = len(data) // 2
        if damage == "cut":
            return data[:len(data) * 2 // 3]
        if damage == "flip":
            return data[:half] + bytes([data[half] ^ 0x55]) + data[half + 1:]
        return data[:-4]

    return _pdf_stream_length_off(lines, 0, flate=True, damage=damaged)


@pytest.mark.parametrize("damage", ["cut", "flip"])
def test_a_pdf_whose_compressed_page_content_is_damaged_is_an_error(
        tmp_path: Path, damage: str) -> None:
    """A page's compressed content that does not decode to its end (cut short, a
    byte changed: a damaged file) gave the lines before the damage and dropped
    the rest without a word (9 of 20 lines, exit 0): the Error names the page
    and says to export the PDF again."""
    lines = [f"{n}. The Committee met in Vienna and adopted its agenda item {n}."
             for n in range(1, 21)]
    path = tmp_path / "damaged.pdf"
    path.write_bytes(_pdf_flate_content(lines, damage))
    with pytest.raises(InputError, match=r"page 1: its content .*damaged.*export"):
        read_file(path)


def test_a_pdf_content_without_its_zlib_checksum_is_read_whole(tmp_path: Path) -> None:
    """Some producers leave out the four bytes of the zlib checksum after the
    compressed data: the data itself is whole, and read."""
    lines = [f"{n}. The Committee met in Vienna and adopted its agenda item {n}."
             for n in range(1, 21)]
    path = tmp_path / "no-checksum.pdf"
    path.write_bytes(_pdf_flate_content(lines, "no-checksum"))
    text = read_file(path).text
    assert [ln for ln in text.splitlines() if ln.strip()] == lines


def test_a_pdf_header_after_some_junk_is_still_a_pdf(tmp_path: Path) -> None:
    data = (Path(__file__).parents[1] / "data" / "libreoffice_report_en.pdf").read_bytes()
    junk = tmp_path / "junk.pdf"
    junk.write_bytes(b"\r\n\x00junk from a mail gateway\r\n" + data)
    assert read_file(junk).format == "pdf"
    named_txt = tmp_path / "report.txt"
    named_txt.write_bytes(data)
    assert read_file(named_txt).format == "pdf"  # a name never overrides the bytes


def test_a_pdf_stream_filter_chain_is_decoded_in_order() -> None:
    """The bomb check decodes what pdfminer will: every filter of a stream's chain,
    first named first; an image filter ends the chain."""
    import base64
    import zlib

    from bitext.ingest.pdfsafety import _decoded, _stream_filters

    ops = b"BT (text) Tj ET " * 1000
    a85 = base64.a85encode(zlib.compress(ops)) + b"~>"
    assert _stream_filters(b"<< /Length 9 /Filter [/ASCII85Decode /FlateDecode] >>") == [
        b"ASCII85Decode", b"FlateDecode"]
    assert _stream_filters(b"<< /Filter /Fl /Length 9 >>") == [b"Fl"]
    assert b"".join(_decoded(a85, [b"A85", b"Fl"], 1e9)) == ops
    twice = zlib.compress(zlib.compress(ops))
    assert b"".join(_decoded(twice, [b"FlateDecode", b"FlateDecode"], 1e9)) == ops
    assert b"".join(_decoded(zlib.compress(ops), [b"Fl", b"DCTDecode"], 1e9)) == ops
    # damaged data ends the chain without an exception (pdfminer reports it later)
    assert b"".join(_decoded(b"not flate", [b"FlateDecode"], 1e9)) == b""


def test_run_length_decoding_follows_the_pdf_specification() -> None:
    """PDF 32000-1, 7.4.5: 0-127 copy the next 1-128 bytes, 129-255 repeat the next
    byte 257 - n times, 128 ends the data."""
    from bitext.ingest.pdfsafety import _decoded

    raw = bytes([2]) + b"abc" + bytes([254, ord("x")]) + bytes([128]) + b"ignored"
    assert b"".join(_decoded(raw, [b"RunLengthDecode"], 1e9)) == b"abcxxx"
    big = bytes([129, ord("y")]) * 20_000  # 2.5 MB from 40 KB, in pieces of 1 MiB
    pieces = list(_decoded(big, [b"RL"], 1e9))
    assert b"".join(pieces) == b"y" * 128 * 20_000 and max(map(len, pieces)) <= 2**20 + 128


def test_text_file_keeps_its_private_use_characters(tmp_path: Path) -> None:
    """U+E000-U+E004 are the marks the DOCX and PDF readers put around a footnote
    reference, a raised number and a page's paragraph end. A text file's own
    (an icon font's code points a user typed) were taken for those marks: a
    number between two became a footnote reference, the others vanished from
    the text without a word. A text file holds no such mark: its characters
    are kept."""
    marks = "".join(chr(0xE000 + i) for i in range(5))
    path = tmp_path / "en.txt"
    path.write_text(
        f"The Committee met on Monday {marks[0]}1{marks[1]} and agreed to continue. It\n"
        f"asked the secretariat to report on the matter {marks[2]}2{marks[3]} at its next\n"
        f"session, and to circulate the report in all languages{marks[4]}\n"
        "on time.\n\n"
        "The Committee also decided to hold its next session in Geneva. The dates\n"
        "were set by the Bureau after consultation with the members of the Committee.\n",
        encoding="utf-8")
    doc = load_document(path, "en")
    text = " ".join(u.text for u in doc.units)
    assert [c for c in text if c in marks] == list(marks), text
    assert not any(u.footnote_refs for u in doc.units)
