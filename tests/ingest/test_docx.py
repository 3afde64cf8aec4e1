"""DOCX built with python-docx: style-linked numbering, restarts, real footnotes."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from docx_builder import build_docx  # tests/ingest is on sys.path (no __init__.py)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bitext.errors import InputError
from bitext.ingest.document import load_document
from bitext.ingest.reader import read_file

EN_BLOCKS = [
    ("plain", "Seventy-first session"),
    ("plain", "Item 28 of the provisional agenda[1]"),
    ("plain", "Report of the Secretary-General"),
    ("H1", "Introduction"),
    ("para", "The General Assembly requested a report.[2] It covers 2015."),
    ("para", "The report covers 2015."),
    ("H1", "Measures"),
    ("H2", "Legislation"),
    ("para", "States reported:"),
    ("item", "new laws;"),
    ("item", "new policies."),
    ("para", "Further measures:[3]"),
    ("item-restart", "training;"),
    ("item", "research."),
    ("plain", "5. A paragraph numbered by hand."),
]
EN_NOTES = {1: "A/71/150.", 2: "A/69/149, para. 12.", 3: "See E/2016/30."}


def test_docx_numbering_from_styles_and_footnotes(tmp_path: Path) -> None:
    path = tmp_path / "report.docx"
    build_docx(path, EN_BLOCKS, EN_NOTES, custom={1: "*"})
    doc = load_document(path, "en")
    assert [(u.label, u.text, u.footnote_refs) for u in doc.units] == [
        ("header1", "Seventy-first session", ()),
        ("header2", "Item 28 of the provisional agenda", ("*",)),
        ("header3", "Report of the Secretary-General", ()),
        ("I", "Introduction", ()),
        ("1", "The General Assembly requested a report. It covers 2015.", ("1",)),
        ("2", "The report covers 2015.", ()),
        ("II", "Measures", ()),
        ("II.A", "Legislation", ()),
        ("3", "States reported: (a) new laws; (b) new policies.", ()),
        ("4", "Further measures: (a) training; (b) research.", ("2",)),
        ("5", "A paragraph numbered by hand.", ()),
        ("fn*", "A/71/150.", ()),
        ("fn1", "A/69/149, para. 12.", ()),
        ("fn2", "See E/2016/30.", ()),
    ]


def test_endnotes_are_read_as_footnotes_and_comments_never_enter(tmp_path: Path) -> None:
    """Endnotes (word/endnotes.xml) were left out with their marks; they are notes as
    footnotes are, numbered with them in reference order (the marks in the text and
    the notes' labels agree). A reviewer's comment is not the document's text."""
    path = tmp_path / "notes.docx"
    build_docx(path, [("para", "The Committee met.[1] It adopted a text.[e1]"),
                      ("para", "The Council took note[c1] of it.[e2][2]")],
               {1: "See A/71/150.", 2: "See E/2016/30."},
               endnotes={1: "Adopted without a vote.", 2: "See annex."},
               comments={1: "Check this wording before issue."})
    assert "word/comments.xml" in zipfile.ZipFile(path).namelist()
    doc = load_document(path, "en")
    assert [(u.label, u.text, u.footnote_refs) for u in doc.units] == [
        ("1", "The Committee met. It adopted a text.", ("1", "2")),
        ("2", "The Council took note of it.", ("3", "4")),
        ("fn1", "See A/71/150.", ()),
        ("fn2", "Adopted without a vote.", ()),
        ("fn3", "See annex.", ()),
        ("fn4", "See E/2016/30.", ()),
    ]
    assert "Check this wording" not in read_file(path).text


def test_docx_chinese_numbering(tmp_path: Path) -> None:
    path = tmp_path / "zh.docx"
    build_docx(path, [("plain", "第七十一届会议"), ("ZH1", "导言"),
                      ("para", "大会请秘书长提交报告。[1]"), ("ZH1", "采取的措施"),
                      ("H2", "立法"), ("para", "各国报告了：")], {1: "A/69/149。"})
    doc = load_document(path, "zh")
    assert [(u.label, u.text) for u in doc.units] == [
        ("header1", "第七十一届会议"), ("I", "导言"), ("1", "大会请秘书长提交报告。"),
        ("II", "采取的措施"), ("II.A", "立法"), ("2", "各国报告了："), ("fn1", "A/69/149。"),
    ]


def test_truncated_docx_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "report.docx"
    build_docx(path, EN_BLOCKS, EN_NOTES)
    cut = tmp_path / "cut.docx"
    cut.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    with pytest.raises(InputError, match=r"cut\.docx"):
        read_file(cut)


def _rewrite(src: Path, dst: Path, edit: Callable[[str, bytes], tuple[str, bytes]]) -> None:
    """Copy the DOCX ``src`` to ``dst`` with each part (name, bytes) through ``edit``."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            name, data = edit(info.filename, zin.read(info))
            zout.writestr(name, data)


def test_strict_ooxml_reads_as_transitional(tmp_path: Path) -> None:
    """Word's 'Strict Open XML Document' writes the same parts under other namespace
    names (ISO/IEC 29500-1 strict): the text, numbering and footnotes are the same."""
    path = tmp_path / "report.docx"
    build_docx(path, EN_BLOCKS, EN_NOTES, custom={1: "*"})
    strict = tmp_path / "strict.docx"
    transitional = b"http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    _rewrite(path, strict, lambda name, data: (
        name, data.replace(transitional, b"http://purl.oclc.org/ooxml/wordprocessingml/main")))
    assert b"purl.oclc.org" in zipfile.ZipFile(strict).read("word/document.xml")
    assert read_file(strict).text == read_file(path).text


def test_main_part_found_through_the_package_relationships(tmp_path: Path) -> None:
    """A package names its main part in _rels/.rels (ECMA-376 part 2): it need not be
    word/document.xml; the parts it uses (numbering, styles, footnotes) are named in
    its own relationships."""
    path = tmp_path / "report.docx"
    build_docx(path, EN_BLOCKS, EN_NOTES, custom={1: "*"})
    moved = tmp_path / "moved.docx"

    def edit(name: str, data: bytes) -> tuple[str, bytes]:
        name = {"word/document.xml": "text/main.xml",
                "word/_rels/document.xml.rels": "text/_rels/main.xml.rels",
                "word/numbering.xml": "text/numbering.xml",
                "word/styles.xml": "text/styles.xml",
                "word/footnotes.xml": "text/notes.xml"}.get(name, name)
        data = (data.replace(b"word/document.xml", b"text/main.xml")
                .replace(b'Target="footnotes.xml"', b'Target="notes.xml"'))
        return name, data

    _rewrite(path, moved, edit)
    assert "word/document.xml" not in zipfile.ZipFile(moved).namelist()
    assert read_file(moved).text == read_file(path).text


def test_xml_nested_too_deep_says_so(tmp_path: Path) -> None:
    """libxml2 stops at 2,048 levels and says to use XML_PARSE_HUGE, advice for a
    programmer; the Error says what the file holds and what to do."""
    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    xml = (f"<w:document {w}><w:body>" + "<w:sdt>" * 100_000 + "<w:p/>" + "</w:sdt>" * 100_000
           + "</w:body></w:document>")
    path = tmp_path / "deep.docx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("word/document.xml", xml)
    with pytest.raises(InputError) as err:
        read_file(path)
    assert "XML_PARSE_HUGE" not in str(err.value)
    assert "deep" in str(err.value)


_WNS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _write_docx(path: Path, body: str, **parts: str) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("word/document.xml", f"<w:document {_WNS}><w:body>{body}</w:body>"
                                         "</w:document>")
        for part, xml in parts.items():
            zf.writestr(f"word/{part}.xml", xml)
    return path


def _read_under_limit(path: Path, megabytes: int, show: str,
                      timeout: int) -> subprocess.CompletedProcess[str]:
    """Read ``path`` with ``read_file`` in a child process whose address space is
    limited to ``megabytes`` (``ulimit -v``); ``show`` prints from its text ``t``."""
    import resource

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (megabytes << 20, megabytes << 20))

    code = ("import sys; from bitext.ingest.reader import read_file; "
            f"t = read_file(sys.argv[1]).text; {show}")
    return subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True,
                          text=True, preexec_fn=limit, timeout=timeout)


def test_a_paragraph_of_many_runs_is_read_without_a_tree(tmp_path: Path) -> None:
    """The main document is read as the parser goes: 500,000 one-word runs in one
    paragraph (a 1 MB DOCX) took 270 MB of address space as a tree (3 million runs
    1.4 GB); now about 60 MB, so it reads under a 160 MB ``ulimit -v``."""
    runs = "".join(f"<w:r><w:rPr><w:b/></w:rPr><w:t>w{i % 997} </w:t></w:r>"
                   for i in range(500_000))
    path = _write_docx(tmp_path / "runs.docx", f"<w:p>{runs}</w:p>")
    res = _read_under_limit(path, 160, "print(len(t.split()), t.split()[-1])", timeout=120)
    assert res.returncode == 0, res.stderr[-2000:]
    assert res.stdout.split() == ["500000", f"w{499_999 % 997}"]


def test_a_dtd_in_a_part_is_an_error(tmp_path: Path) -> None:
    """Word never writes a DTD (OPC forbids them); its entities would be expanded
    as the part is read (a "billion laughs" of 10^9 characters)."""
    laughs = "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10))
    body = "<w:p><w:r><w:t>&l9;</w:t></w:r></w:p>"
    path = tmp_path / "lol.docx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("word/document.xml",
                    f'<!DOCTYPE w:document [<!ENTITY l0 "lol">{laughs}]>'
                    f"<w:document {_WNS}><w:body>{body}</w:body></w:document>")
    with pytest.raises(InputError, match=r"word/document.xml holds a DTD"):
        read_file(path)


def test_paragraphs_nested_in_paragraphs_give_their_text_once(tmp_path: Path) -> None:
    """A paragraph inside another (a text box) has its own text, not the outer
    one's too: 600 paragraphs nested in each other (as deep as the XML depth
    limit lets), each with 100 characters, gave 18 million characters when each
    level held the text of those inside it; now 600 paragraphs of their own text."""
    run = "<w:r><w:t>" + "x" * 99 + " </w:t></w:r>"
    body = ("<w:p><w:r><w:txbxContent>" + run) * 600 + "</w:txbxContent></w:r></w:p>" * 600
    path = _write_docx(tmp_path / "nest.docx", body)
    assert read_file(path).text == ("x" * 99 + "\n\n") * 600
    # A text box in a paragraph, as Word writes one: its own paragraph, after.
    box = ("<w:p><w:r><w:t>Outer.</w:t></w:r><w:r><w:txbxContent><w:p><w:r><w:t>Inner."
           "</w:t></w:r></w:p></w:txbxContent></w:r></w:p>")
    assert read_file(_write_docx(tmp_path / "box.docx", box)).text == "Outer.\n\nInner.\n\n"


def test_an_oversized_numbering_part_is_an_error(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """The numbering and styles parts are bounded (Word writes under 1 MiB; what
    is kept of them grows with their size); the limit is lowered here to keep the
    test small."""
    from bitext.ingest import docx

    numbering = f"<w:numbering {_WNS}>" + "<w:num/>" * 1000 + "</w:numbering>"
    path = _write_docx(tmp_path / "num.docx", "<w:p><w:r><w:t>Text.</w:t></w:r></w:p>",
                       numbering=numbering)
    assert read_file(path).text == "Text.\n\n"
    monkeypatch.setattr(docx, "_DOCX_LISTS_MAX", 4000)
    with pytest.raises(InputError, match=r"word/numbering.xml is 0 MiB, more than"):
        read_file(path)


def _lists_docx(path: Path, nums: int, styles: int) -> Path:
    """A DOCX whose numbering part holds one nine-level list and ``nums`` list
    instances of it, and whose styles part ``styles`` styles each based on the next
    and numbered by the list; its one paragraph is of the first style."""
    levels = "".join(f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="decimal"/>'
                     f'<w:lvlText w:val="%{i + 1}."/></w:lvl>' for i in range(9))
    numbering = (f'<w:numbering {_WNS}><w:abstractNum w:abstractNumId="1">{levels}'
                 "</w:abstractNum>"
                 + "".join(f'<w:num w:numId="{i}"><w:abstractNumId w:val="1"/></w:num>'
                           for i in range(nums)) + "</w:numbering>")
    style = ('<w:style w:styleId="s{0}"><w:basedOn w:val="s{1}"/><w:pPr><w:numPr>'
             '<w:numId w:val="{0}"/></w:numPr></w:pPr></w:style>')
    styles_xml = (f"<w:styles {_WNS}>" + "".join(style.format(i, i + 1) for i in range(styles))
                  + "</w:styles>")
    body = '<w:p><w:pPr><w:pStyle w:val="s7"/></w:pPr><w:r><w:t>Text.</w:t></w:r></w:p>'
    return _write_docx(path, body, numbering=numbering, styles=styles_xml)


def test_numbering_and_styles_parts_are_read_without_a_tree(tmp_path: Path) -> None:
    """The numbering and styles parts are read as the parser goes, and a list
    instance keeps only the name of its list: 275,000 instances of a nine-level list
    (a 16 MiB numbering part, a 700 KB DOCX) copied the nine levels into each and
    took 905 MB with the tree; 16 MiB of styles beside it. Now it reads under a
    250 MB ``ulimit -v``, numbered as before."""
    path = _lists_docx(tmp_path / "lists.docx", 275_000, 130_000)
    sizes = {i.filename: i.file_size for i in zipfile.ZipFile(path).infolist()}
    assert sizes["word/numbering.xml"] > 15 * 2**20
    assert sizes["word/styles.xml"] > 15 * 2**20
    res = _read_under_limit(path, 250, "print(repr(t))", timeout=300)
    assert res.returncode == 0, res.stderr[-2000:]
    assert res.stdout.strip() == repr("1. Text.\n\n")


def test_a_long_chain_of_based_on_styles_is_walked_once(tmp_path: Path) -> None:
    """A paragraph's numbering comes from its style or the styles it is based on,
    and each paragraph walked its style's chain again: 100,000 styles each based on
    the next and 20,000 paragraphs of the first (a 530 KB DOCX) ran past timeout 60
    (2 billion steps). Each style's numbering is found once."""
    styles = (f"<w:styles {_WNS}>" + "".join(
        f'<w:style w:styleId="s{i}"><w:basedOn w:val="s{i + 1}"/></w:style>'
        for i in range(100_000)) + '<w:style w:styleId="s100000"><w:pPr><w:numPr>'
        '<w:numId w:val="1"/></w:numPr></w:pPr></w:style></w:styles>')
    numbering = (f'<w:numbering {_WNS}><w:abstractNum w:abstractNumId="1"><w:lvl w:ilvl="0">'
                 '<w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl></w:abstractNum>'
                 '<w:num w:numId="1"><w:abstractNumId w:val="1"/></w:num></w:numbering>')
    body = '<w:p><w:pPr><w:pStyle w:val="s0"/></w:pPr><w:r><w:t>x</w:t></w:r></w:p>' * 20_000
    path = _write_docx(tmp_path / "chain.docx", body, styles=styles, numbering=numbering)
    lines = read_file(path).text.split("\n\n")
    assert lines[0] == "1. x" and lines[19_999] == "20000. x"


def test_a_note_nested_in_a_note_is_an_error(tmp_path: Path) -> None:
    """A note's text is its paragraphs, up to its end: 2,000 footnotes nested in each
    other, each with a paragraph of 1,000 characters (a 17 KB DOCX), each held the
    text of all those inside it and took 11.7 GB past timeout 60. Word writes notes
    side by side only (ECMA-376 part 1, 17.11: w:footnotes holds w:footnote)."""
    para = "<w:p><w:r><w:t>" + "x" * 999 + " </w:t></w:r></w:p>"
    notes = (f"<w:footnotes {_WNS}>" + "".join(f'<w:footnote w:id="{i}">{para}'
                                               for i in range(2000))
             + "</w:footnote>" * 2000 + "</w:footnotes>")
    refs = "".join(f'<w:r><w:footnoteReference w:id="{i}"/></w:r>' for i in range(2000))
    path = _write_docx(tmp_path / "nest.docx", f"<w:p>{refs}<w:r><w:t>Text.</w:t></w:r></w:p>",
                       footnotes=notes)
    with pytest.raises(InputError, match=r"word/footnotes.xml nests a note in a note"):
        read_file(path)


def test_list_numbering_read_from_small_parts(tmp_path: Path) -> None:
    """The lists and styles as Word writes them: the style's list numbers the
    paragraph, a level override restarts it, and a level Python cannot read as a
    number is level 0 as elsewhere (an override's was a ValueError traceback)."""
    path = _lists_docx(tmp_path / "small.docx", 10, 10)
    assert read_file(path).text == "1. Text.\n\n"
    for ilvl, label in (("1", "1."), ("x", "3.")):
        override = (f'<w:lvlOverride w:ilvl="{ilvl}"><w:startOverride w:val="3"/>'
                    "</w:lvlOverride>")
        edited = tmp_path / f"override-{ilvl}.docx"
        _rewrite(path, edited, lambda name, data, o=override: (name, data.replace(
            b'<w:num w:numId="7"><w:abstractNumId w:val="1"/>',
            f'<w:num w:numId="7"><w:abstractNumId w:val="1"/>{o}'.encode())))
        assert read_file(edited).text == f"{label} Text.\n\n"


def test_a_zip_directory_too_large_is_refused_before_it_is_read(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """zipfile keeps about 1 KB for each entry of the central directory: 200,000
    empty members (a 20 MB file) took 264 MB, a 200 MB one would take 2 GB. The
    directory's size is read from its end record first (the limit is lowered here to
    keep the test small); a ZIP64 end record is followed."""
    from bitext.ingest import docx

    path = tmp_path / "many.docx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as zf:
        zf.writestr("word/document.xml", f"<w:document {_WNS}><w:body><w:p><w:r><w:t>Text."
                                         "</w:t></w:r></w:p></w:body></w:document>")
        for k in range(100):
            zf.writestr(f"media/{k}", b"")
    assert read_file(path).text == "Text.\n\n"
    monkeypatch.setattr(docx, "_ZIP_DIRECTORY_MAX", 4000)
    with pytest.raises(InputError, match=r"many.docx: its ZIP directory lists 101 members "
                                         r"in [0-9,]+ bytes, more than"):
        read_file(path)
    big = tmp_path / "big.docx"  # written with ZIP64 end records
    with zipfile.ZipFile(big, "w", zipfile.ZIP_STORED, allowZip64=True) as zf:
        zf.writestr("word/document.xml", b"<w:document/>")
        for k in range(70_000):
            zf.writestr(f"m/{k}", b"")
    with pytest.raises(InputError, match=r"big.docx: its ZIP directory lists 70,001 members"):
        read_file(big)


def test_many_footnote_references_are_numbered_in_linear_time(tmp_path: Path) -> None:
    """Each new reference's number counted the numbered marks before it again: a
    256 KB DOCX of 100,000 references ran past timeout 60 (quadratic); the numbers
    are kept by a counter."""
    from bitext.ingest.reader import FN_CLOSE, FN_OPEN

    refs = "".join(f'<w:r><w:footnoteReference w:id="{i}"/></w:r>' for i in range(200_000))
    custom = '<w:r><w:footnoteReference w:id="x" w:customMarkFollows="1"/><w:t>*</w:t></w:r>'
    path = _write_docx(tmp_path / "refs.docx", f"<w:p>{custom}{refs}"
                                                "<w:r><w:t>The Committee met.</w:t></w:r></w:p>")
    text = read_file(path).text
    assert text.startswith(f"{FN_OPEN}*{FN_CLOSE}{FN_OPEN}1{FN_CLOSE}{FN_OPEN}2{FN_CLOSE}")
    assert text.endswith(f"{FN_OPEN}200000{FN_CLOSE}The Committee met.\n\n")


def test_empty_paragraphs_are_not_kept(tmp_path: Path) -> None:
    """Every paragraph was kept until the end, an empty one too: 16 MiB of <w:p/> (a
    25 KB DOCX) peaked at 781 MB; an empty paragraph without numbering makes no line
    and is dropped as it ends, so the file reads under a 300 MB ``ulimit -v``."""
    path = _write_docx(tmp_path / "empty.docx", "<w:p/>" * (16 * 2**20 // 6 - 100)
                       + "<w:p><w:r><w:t>Text.</w:t></w:r></w:p>")
    res = _read_under_limit(path, 300, "print(repr(t))", timeout=300)
    assert res.returncode == 0, res.stderr[-2000:]
    assert res.stdout.strip() == repr("Text.\n\n")


_MC = ('xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
       'xmlns:v="urn:schemas-microsoft-com:vml"')


def _write_word_docx(path: Path, body: str) -> Path:
    """A DOCX whose main part declares the namespaces Word writes for text boxes."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("word/document.xml", f"<w:document {_WNS} {_MC}><w:body>{body}"
                                         "</w:body></w:document>")
    return path


def test_tracked_deletions_and_moves_never_enter(tmp_path: Path) -> None:
    """A document saved with tracked changes holds the deleted text (w:delText
    in w:del) and a moved text at its old place (w:moveFrom, whose runs hold
    w:t as any run): neither is the document's text; insertions and the text at
    its new place (w:ins, w:moveTo) are. Made-up text."""
    body = ('<w:p><w:r><w:t xml:space="preserve">The Committee </w:t></w:r>'
            '<w:del w:id="1" w:author="a"><w:r><w:delText xml:space="preserve">never '
            '</w:delText></w:r></w:del>'
            '<w:ins w:id="2" w:author="a"><w:r><w:t xml:space="preserve">duly </w:t></w:r></w:ins>'
            '<w:r><w:t>adopted it.</w:t></w:r></w:p>'
            '<w:p><w:moveFrom w:id="3" w:author="a"><w:r><w:t xml:space="preserve">Moved away. '
            '</w:t></w:r></w:moveFrom><w:r><w:t>Kept.</w:t></w:r>'
            '<w:moveTo w:id="4" w:author="a"><w:r><w:t xml:space="preserve"> Moved here.</w:t>'
            '</w:r></w:moveTo></w:p>')
    text = read_file(_write_word_docx(tmp_path / "tracked.docx", body)).text
    assert text == "The Committee duly adopted it.\n\nKept. Moved here.\n\n"


def test_a_text_box_is_read_once(tmp_path: Path) -> None:
    """Word writes a text box twice, for new readers (mc:Choice, a DrawingML
    shape) and old (mc:Fallback, VML), each inside the paragraph that anchors
    it: its text is one paragraph of its own, once, after the anchoring one's."""
    box = "<w:txbxContent><w:p><w:r><w:t>Box text.</w:t></w:r></w:p></w:txbxContent>"
    body = ('<w:p><w:r><w:t>Body text.</w:t></w:r><w:r><mc:AlternateContent>'
            f'<mc:Choice Requires="wps"><w:drawing>{box}</w:drawing></mc:Choice>'
            f'<mc:Fallback><w:pict><v:shape><v:textbox>{box}</v:textbox></v:shape></w:pict>'
            '</mc:Fallback></mc:AlternateContent></w:r></w:p><w:p><w:r><w:t>Next.</w:t>'
            '</w:r></w:p>')
    text = read_file(_write_word_docx(tmp_path / "box.docx", body)).text
    assert text == "Body text.\n\nBox text.\n\nNext.\n\n"


def test_a_non_breaking_hyphen_is_a_hyphen(tmp_path: Path) -> None:
    """Word writes a non-breaking hyphen as an element of its own (w:noBreakHyphen),
    no character: it is the word's hyphen all the same. A soft hyphen
    (w:softHyphen) shows only where the line breaks: the word is whole."""
    body = ('<w:p><w:r><w:t>the Secretary</w:t><w:noBreakHyphen/><w:t xml:space="preserve">'
            'General and the imple</w:t><w:softHyphen/><w:t>mentation.</w:t></w:r></w:p>')
    text = read_file(_write_word_docx(tmp_path / "hyphens.docx", body)).text
    assert text == "the Secretary-General and the implementation.\n\n"


def test_a_symbol_is_the_character_it_stands_for(tmp_path: Path,
                                                caplog: pytest.LogCaptureFixture) -> None:
    """Insert > Symbol writes w:sym (a font and a character code), no w:t: it is
    text the reader sees. A Unicode font's code is its character. The Symbol
    font's codes (F020-F0FF, its own glyph slots; Word writes them so) are the
    characters of Adobe's Symbol encoding (a Greek letter, a relation sign);
    another symbol font's (Wingdings), or a Symbol slot with no character, has
    none: left out, with one warning naming the font. Made-up text."""
    body = ('<w:p><w:r><w:t xml:space="preserve">Between 5 </w:t></w:r>'
            '<w:r><w:sym w:font="Times New Roman" w:char="2013"/></w:r>'
            '<w:r><w:t xml:space="preserve"> 10 per cent </w:t>'
            '<w:sym w:font="Symbol" w:char="F0B3"/><w:t xml:space="preserve"> of </w:t>'
            '<w:sym w:font="Symbol" w:char="F061"/><w:sym w:font="Symbol" w:char="F044"/>'
            '<w:sym w:font="Symbol" w:char="F0F0"/>'
            '<w:sym w:font="Wingdings" w:char="F0FC"/>'
            '<w:sym w:font="Wingdings" w:char="not hex"/><w:t xml:space="preserve"> it.</w:t>'
            '</w:r></w:p>')
    with caplog.at_level("WARNING", logger="bitext.ingest.docx"):
        text = read_file(_write_word_docx(tmp_path / "sym.docx", body)).text
    assert text == "Between 5 \u2013 10 per cent \u2265 of \u03b1\u0394 it.\n\n"
    warnings = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
    assert len(warnings) == 1, warnings
    assert "sym.docx" in warnings[0] and "2 symbols" in warnings[0]
    assert "Symbol" in warnings[0] and "Wingdings" in warnings[0]


def test_a_documents_own_private_use_marks_are_left_out_with_a_warning(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """U+E000-U+E004 are the reader's own marks (a footnote reference, a raised
    number, a page's paragraph end). A document's own (an icon font's code
    points typed as text or as w:sym) were taken for them: a number between
    U+E000 and U+E001 became a footnote reference, the rest vanished without a
    word. They are left out, with one warning counting them. Made-up text."""
    marks = "".join(chr(0xE000 + i) for i in range(5))
    body = (f'<w:p><w:r><w:t xml:space="preserve">The Committee met {marks[0]}1{marks[1]} on '
            f'Monday {marks[2]}2{marks[3]} and{marks[4]} agreed.</w:t>'
            '<w:sym w:font="Arial" w:char="E000"/></w:r></w:p>')
    with caplog.at_level("WARNING", logger="bitext.ingest.docx"):
        text = read_file(_write_word_docx(tmp_path / "pua.docx", body)).text
    assert text == "The Committee met 1 on Monday 2 and agreed.\n\n", text
    warnings = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
    assert len(warnings) == 1 and "pua.docx" in warnings[0] and "6 " in warnings[0], warnings


def test_a_symbol_font_code_without_its_slot_prefix(tmp_path: Path) -> None:
    """Word writes a Symbol-font character as its code plus F000 (F0B3); other
    producers write the code alone (w:char="B3"), the same glyph slot of the
    font (a symbol font's cmap maps 20-FF and F020-F0FF alike). Read as a
    Unicode code, B3 was a superscript three: a digit the document never had.
    Made-up text."""
    body = ('<w:p><w:r><w:t xml:space="preserve">At </w:t>'
            '<w:sym w:font="Symbol" w:char="B3"/><w:t xml:space="preserve"> 5 per cent, </w:t>'
            '<w:sym w:font="Symbol" w:char="61"/><w:t xml:space="preserve"> and </w:t>'
            '<w:sym w:font="Times New Roman" w:char="B3"/><w:t>.</w:t></w:r></w:p>')
    text = read_file(_write_word_docx(tmp_path / "sym.docx", body)).text
    assert text == "At \u2265 5 per cent, \u03b1 and \u00b3.\n\n"


def test_a_symbol_font_named_by_the_font_table(tmp_path: Path,
                                                caplog: pytest.LogCaptureFixture) -> None:
    """A w:sym's code written without F000 (w:char="FC") in a symbol font other
    than Symbol (Wingdings: pictures) was read as a Unicode code, a Latin-1
    letter the document never had. The font table (word/fontTable.xml) says
    which fonts are symbol fonts: w:charset 02 (SYMBOL_CHARSET), as Word
    writes for Symbol, Wingdings and Webdings. Such a font's code alone is its
    glyph slot: left out and said, as with F0FC. A font the table gives
    another charset keeps its Unicode code, so does one it does not list.
    Made-up text and font names."""
    fonts = (f'<w:fonts {_WNS}>'
             '<w:font w:name="Pictures One"><w:charset w:val="02"/></w:font>'
             '<w:font w:name="Plain Serif"><w:charset w:val="00"/></w:font>'
             '</w:fonts>')
    body = ('<w:p><w:r><w:t xml:space="preserve">Done </w:t>'
            '<w:sym w:font="Pictures One" w:char="FC"/>'
            '<w:sym w:font="pictures one" w:char="6C"/><w:t xml:space="preserve"> at </w:t>'
            '<w:sym w:font="Plain Serif" w:char="B3"/><w:sym w:font="Unlisted" w:char="B0"/>'
            '<w:t>.</w:t></w:r></w:p>')
    with caplog.at_level("WARNING", logger="bitext.ingest.docx"):
        text = read_file(_write_docx(tmp_path / "sym.docx", body, fontTable=fonts)).text
    assert text == "Done  at \u00b3\u00b0.\n\n"
    warnings = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
    assert len(warnings) == 1, warnings
    assert "2 symbols" in warnings[0] and "Pictures One" in warnings[0]



def test_a_damaged_font_table_is_one_error(tmp_path: Path) -> None:
    """The font table is read as the other parts are: a DTD or bad XML in it is
    one Error naming the part, never a traceback."""
    body = "<w:p><w:r><w:t>Text.</w:t></w:r></w:p>"
    dtd = f'<!DOCTYPE w:fonts [<!ENTITY a "b">]><w:fonts {_WNS}/>'
    with pytest.raises(InputError, match=r"word/fontTable.xml holds a DTD"):
        read_file(_write_docx(tmp_path / "dtd.docx", body, fontTable=dtd))
    with pytest.raises(InputError, match=r"word/fontTable.xml"):
        read_file(_write_docx(tmp_path / "bad.docx", body, fontTable=f"<w:fonts {_WNS}><w:font>"))

def test_a_symbol_left_out_of_a_footnote_is_said(tmp_path: Path,
                                                 caplog: pytest.LogCaptureFixture) -> None:
    """A symbol font's glyph with no character (Wingdings) is left out with a
    warning in a footnote as in the body: it was said for the body only, and
    a note lost a character silently. Made-up text."""
    notes = (f'<w:footnotes {_WNS}><w:footnote w:id="2"><w:p><w:r><w:t xml:space="preserve">'
             'See the box </w:t><w:sym w:font="Wingdings" w:char="F0FC"/><w:t>.</w:t>'
             '</w:r></w:p></w:footnote></w:footnotes>')
    body = '<w:p><w:r><w:t>Text.</w:t></w:r><w:r><w:footnoteReference w:id="2"/></w:r></w:p>'
    with caplog.at_level("WARNING", logger="bitext.ingest.docx"):
        text = read_file(_write_docx(tmp_path / "note.docx", body, footnotes=notes)).text
    assert text.endswith("1 See the box .\n")
    warnings = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
    assert len(warnings) == 1, warnings
    assert "note.docx" in warnings[0] and "1 symbols" in warnings[0]
    assert "Wingdings" in warnings[0]


def test_a_list_bullet_drawn_with_a_symbol_is_not_text(tmp_path: Path) -> None:
    """A bullet is list furniture, whatever font draws it (lvlText a Symbol-font
    code): the item's text only."""
    numbering = (f'<w:numbering {_WNS}><w:abstractNum w:abstractNumId="1"><w:lvl w:ilvl="0">'
                 '<w:numFmt w:val="bullet"/><w:lvlText w:val="\uf0b7"/><w:rPr><w:rFonts '
                 'w:ascii="Symbol" w:hAnsi="Symbol"/></w:rPr></w:lvl></w:abstractNum>'
                 '<w:num w:numId="1"><w:abstractNumId w:val="1"/></w:num></w:numbering>')
    body = ('<w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr></w:pPr>'
            '<w:r><w:t>An item.</w:t></w:r></w:p>')
    text = read_file(_write_docx(tmp_path / "bullet.docx", body, numbering=numbering)).text
    assert text == "An item.\n\n"


_HIDDEN_STYLES = (
    f'<w:styles {_WNS}>'
    '<w:style w:type="character" w:styleId="Hid"><w:rPr><w:vanish/></w:rPr></w:style>'
    '<w:style w:type="character" w:styleId="HidToo"><w:basedOn w:val="Hid"/></w:style>'
    # a style's own value overrides the one it is based on (17.7.4.3)
    '<w:style w:type="character" w:styleId="Shown"><w:basedOn w:val="Hid"/>'
    '<w:rPr><w:vanish w:val="false"/></w:rPr></w:style>'
    '<w:style w:type="paragraph" w:styleId="HidPara"><w:rPr><w:vanish w:val="1"/></w:rPr>'
    '</w:style></w:styles>')


def test_hidden_text_is_not_read(tmp_path: Path) -> None:
    """Hidden text (w:vanish, in the run's properties or a style the run uses)
    is neither shown nor printed by Word: no text of the document. Direct
    formatting is absolute (w:val="0" shows a run of a hidden style); between
    the paragraph style and the character style vanish toggles (a toggle
    property, ECMA-376 part 1, 17.7.3: hidden in both is shown). A hidden paragraph mark
    (vanish or specVanish in the pPr's rPr, or a hidden paragraph style) hides
    the mark, not the text (the paragraph runs into the next); and
    w:webHidden hides only in Web layout: both are read. Made-up text."""
    body = ('<w:p><w:r><w:t xml:space="preserve">The Committee </w:t></w:r>'
            '<w:r><w:rPr><w:vanish/></w:rPr><w:t xml:space="preserve">drafting note </w:t>'
            '<w:sym w:font="Symbol" w:char="F0B3"/><w:tab/></w:r>'
            '<w:r><w:rPr><w:rStyle w:val="Hid"/></w:rPr><w:t>styled note </w:t></w:r>'
            '<w:r><w:rPr><w:rStyle w:val="HidToo"/></w:rPr><w:t>based note </w:t></w:r>'
            '<w:r><w:rPr><w:rStyle w:val="Shown"/></w:rPr><w:t xml:space="preserve">adopted </w:t>'
            '</w:r><w:r><w:rPr><w:rStyle w:val="Hid"/><w:vanish w:val="0"/></w:rPr>'
            '<w:t xml:space="preserve">the report </w:t></w:r>'
            '<w:r><w:rPr><w:webHidden/></w:rPr><w:t>in full.</w:t></w:r></w:p>'
            '<w:p><w:pPr><w:pStyle w:val="HidPara"/></w:pPr><w:r><w:t>Hidden paragraph.</w:t>'
            '</w:r><w:r><w:rPr><w:rStyle w:val="Hid"/></w:rPr><w:t>Shown by the toggle.</w:t>'
            '</w:r></w:p>'
            '<w:p><w:pPr><w:rPr><w:vanish/><w:specVanish/></w:rPr></w:pPr>'
            '<w:r><w:t>Run-in heading.</w:t></w:r></w:p>')
    path = _write_docx(tmp_path / "hidden.docx", body, styles=_HIDDEN_STYLES)
    text = read_file(path).text
    assert text == ("The Committee adopted the report in full.\n\nShown by the toggle. "
                    "Run-in heading.\n\n")


def test_hidden_text_in_a_footnote_is_not_read(tmp_path: Path) -> None:
    notes = (f'<w:footnotes {_WNS}><w:footnote w:id="2"><w:p><w:r><w:t xml:space="preserve">'
             'See A/71/150</w:t></w:r><w:r><w:rPr><w:vanish/></w:rPr><w:t> (check)</w:t>'
             '</w:r><w:r><w:t>.</w:t></w:r></w:p></w:footnote></w:footnotes>')
    body = '<w:p><w:r><w:t>Text.</w:t></w:r><w:r><w:footnoteReference w:id="2"/></w:r></w:p>'
    text = read_file(_write_docx(tmp_path / "note.docx", body, footnotes=notes)).text
    assert text.endswith("1 See A/71/150.\n")


def test_a_hidden_paragraph_mark_joins_the_next_paragraph(tmp_path: Path) -> None:
    """A paragraph whose mark is hidden (w:vanish or w:specVanish in the pPr's
    rPr: Word's style separator, a run-in heading) is shown run into the next
    paragraph: one paragraph, a space between (a paragraph's end is a word's
    end). Its mark is hidden by its paragraph style too (a style's run
    properties are the mark's), so a paragraph of a hidden style leaves
    nothing, no break. A visible mark after it ends the joined paragraph; the
    last paragraph's hidden mark joins nothing. Made-up text."""
    body = ('<w:p><w:pPr><w:rPr><w:specVanish/></w:rPr></w:pPr>'
            '<w:r><w:t>Run-in heading.</w:t></w:r></w:p>'
            '<w:p><w:r><w:t>The body goes on.</w:t></w:r></w:p>'
            '<w:p><w:pPr><w:pStyle w:val="HidPara"/></w:pPr><w:r><w:t>Hidden.</w:t></w:r></w:p>'
            '<w:p><w:pPr><w:rPr><w:vanish/></w:rPr></w:pPr>'
            '<w:r><w:t xml:space="preserve">Second heading </w:t></w:r></w:p>'
            '<w:p><w:pPr><w:rPr><w:vanish w:val="0"/></w:rPr></w:pPr>'
            '<w:r><w:t>and its text.</w:t></w:r></w:p>'
            '<w:p><w:pPr><w:rPr><w:vanish/></w:rPr></w:pPr><w:r><w:t>Last.</w:t></w:r></w:p>')
    path = _write_docx(tmp_path / "runin.docx", body, styles=_HIDDEN_STYLES)
    text = read_file(path).text
    assert text == ("Run-in heading. The body goes on.\n\nSecond heading and its text.\n\n"
                    "Last.\n\n")


def test_hidden_text_set_in_the_document_defaults(tmp_path: Path) -> None:
    """Hidden text set for the whole document (w:docDefaults' rPrDefault) or in
    the default paragraph style (w:default="1": a paragraph without pStyle has
    it) hides every run that does not show itself: a run's own w:vanish
    w:val="0" is absolute; a style's vanish toggles the default's (ECMA-376
    part 1, 17.7.3). Made-up text."""
    defaults = (f'<w:styles {_WNS}><w:docDefaults><w:rPrDefault><w:rPr><w:vanish/></w:rPr>'
                '</w:rPrDefault></w:docDefaults>'
                '<w:style w:type="character" w:styleId="Hid"><w:rPr><w:vanish/></w:rPr>'
                '</w:style></w:styles>')
    body = ('<w:p><w:r><w:t xml:space="preserve">Hidden. </w:t></w:r>'
            '<w:r><w:rPr><w:vanish w:val="0"/></w:rPr><w:t xml:space="preserve">Shown, '
            '</w:t></w:r><w:r><w:rPr><w:rStyle w:val="Hid"/></w:rPr><w:t>toggled.</w:t>'
            '</w:r></w:p>')
    text = read_file(_write_docx(tmp_path / "defaults.docx", body, styles=defaults)).text
    assert text == "Shown, toggled.\n\n"
    normal = (f'<w:styles {_WNS}><w:style w:type="paragraph" w:default="1" '
              'w:styleId="Normal"><w:rPr><w:vanish/></w:rPr></w:style>'
              '<w:style w:type="paragraph" w:styleId="Body"/></w:styles>')
    body = ('<w:p><w:r><w:t>Hidden by the default style.</w:t></w:r></w:p>'
            '<w:p><w:pPr><w:pStyle w:val="Body"/></w:pPr><w:r><w:t>Shown.</w:t></w:r></w:p>')
    text = read_file(_write_docx(tmp_path / "normal.docx", body, styles=normal)).text
    assert text == "Shown.\n\n"


_DOCX_PARAS = st.lists(st.tuples(
    st.lists(st.text(alphabet="abcdefgh", min_size=1, max_size=6), min_size=0, max_size=4),
    st.booleans(), st.booleans()), min_size=1, max_size=8)


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(_DOCX_PARAS)
def test_hidden_marks_and_text_keep_the_shown_text_in_order(
        tmp_path: Path, paras: list[tuple[list[str], bool, bool]]) -> None:
    """Paragraphs of made-up words, each with its text hidden or not and its
    mark hidden or not: the text read is the shown text, in order, one
    paragraph for each run of paragraphs up to a shown mark (or the last)."""
    body = []
    expected: list[list[str]] = [[]]
    for k, (words, text_hidden, mark_hidden) in enumerate(paras):
        rpr = "<w:rPr><w:vanish/></w:rPr>" if text_hidden else ""
        ppr = "<w:pPr><w:rPr><w:vanish/></w:rPr></w:pPr>" if mark_hidden else ""
        runs = "".join(f'<w:r>{rpr}<w:t xml:space="preserve">{w} </w:t></w:r>' for w in words)
        body.append(f"<w:p>{ppr}{runs}</w:p>")
        if not text_hidden:
            expected[-1].extend(words)
        if not mark_hidden and k + 1 < len(paras):
            expected.append([])
    path = _write_docx(tmp_path / "marks.docx", "".join(body))
    text = read_file(path).text
    assert [p.split() for p in text.split("\n\n") if p.strip()] == [e for e in expected if e]


@pytest.mark.parametrize(("element", "says"), [
    ('<w:altChunk xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/'
     'relationships" r:id="rId9"/>', r"w:altChunk.*save it again"),
    ('<w:p><w:subDoc xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/'
     'relationships" r:id="rId9"/></w:p>', r"w:subDoc.*other files"),
])
def test_text_word_imports_from_elsewhere_is_an_error(tmp_path: Path, element: str,
                                                      says: str) -> None:
    """Text Word shows but the document part does not hold: an imported part
    (w:altChunk: HTML, RTF or a document inside the DOCX, which converters write
    and Word merges when it opens the file) or a master document's subdocument
    (w:subDoc, a file of its own). Both were left out without a word, a
    paragraph missing from one side of the alignment. Made-up text."""
    body = ("<w:p><w:r><w:t>1. The Committee met.</w:t></w:r></w:p>" + element
            + "<w:p><w:r><w:t>3. The Committee closed its session.</w:t></w:r></w:p>")
    with pytest.raises(InputError, match=says):
        read_file(_write_docx(tmp_path / "imports.docx", body))
    # in a tracked deletion it is no text of the document: read as before
    deleted = body.replace(element, f'<w:del w:id="1" w:author="a">{element}</w:del>')
    text = read_file(_write_docx(tmp_path / "deleted.docx", deleted)).text
    assert text == "1. The Committee met.\n\n3. The Committee closed its session.\n\n"


def test_a_word_list_under_an_unnumbered_paragraph_ending_in_a_colon_stays_in_it(
        tmp_path: Path) -> None:
    """A Word list (a), (b) under an unnumbered paragraph that ends in a colon
    goes on in it, as under a numbered one and as the same document's PDF
    reads it (benchmarks/own_docs.py: DOCX 48/51 paragraphs as units in every
    language, the colon paragraph and its items three units); an unnumbered
    paragraph after the list's end is a unit of its own. Made-up text."""
    path = tmp_path / "colon.docx"
    build_docx(path, [("H1", "Work of the group"),
                      ("para", "The group met twice in the spring."),
                      ("plain", "The group heard the following statements:"),
                      ("item-restart", "a statement on the survey;"),
                      ("item", "a statement on the budget."),
                      ("plain", "The annex lists the members of the group."),
                      ("para", "The group adopted its report.")], {})
    doc = load_document(path, "en")
    assert [(u.label, u.text) for u in doc.units if u.kind == "paragraph"] == [
        ("1", "The group met twice in the spring."),
        ("p1", "The group heard the following statements: (a) a statement on the survey; "
               "(b) a statement on the budget."),
        ("p2", "The annex lists the members of the group."),
        ("2", "The group adopted its report."),
    ]
