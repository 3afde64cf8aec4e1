"""Build small UN-style DOCX files with real Word numbering and footnotes (python-docx).

Headings are numbered by their paragraph styles (``I.`` then ``A.``, one
multi-level list), body paragraphs by a style of their own (``1.``), sub-items by
a ``(a)`` list restarted for every paragraph; footnotes are real Word footnotes
whose ids start at 2, as LibreOffice and older Word write them, and one of them
uses a custom mark ``*``; endnotes are real Word endnotes (ids from 2 too), and
comments are Word comments (python-docx's own).
"""

from __future__ import annotations

import zipfile
from pathlib import Path

_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'

_ABSTRACT = f"""
<w:abstractNum {_NS} w:abstractNumId="90">
  <w:multiLevelType w:val="multilevel"/>
  <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="upperRoman"/>
    <w:lvlText w:val="%1."/></w:lvl>
  <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="upperLetter"/>
    <w:lvlText w:val="%2."/></w:lvl>
</w:abstractNum>|
<w:abstractNum {_NS} w:abstractNumId="91">
  <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl>
</w:abstractNum>|
<w:abstractNum {_NS} w:abstractNumId="92">
  <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/>
    <w:lvlText w:val="(%1)"/></w:lvl>
</w:abstractNum>|
<w:abstractNum {_NS} w:abstractNumId="93">
  <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/>
    <w:lvlText w:val="%1、"/></w:lvl>
</w:abstractNum>"""

_NUMS = f"""
<w:num {_NS} w:numId="90"><w:abstractNumId w:val="90"/></w:num>|
<w:num {_NS} w:numId="91"><w:abstractNumId w:val="91"/></w:num>|
<w:num {_NS} w:numId="92"><w:abstractNumId w:val="92"/></w:num>|
<w:num {_NS} w:numId="93"><w:abstractNumId w:val="92"/>
  <w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>|
<w:num {_NS} w:numId="94"><w:abstractNumId w:val="93"/></w:num>"""


def build_docx(path: Path, blocks: list[tuple[str, str]], footnotes: dict[int, str],
               custom: dict[int, str] | None = None, endnotes: dict[int, str] | None = None,
               comments: dict[int, str] | None = None) -> None:
    """Write ``path``. ``blocks`` are ``(style, text)`` with style one of ``title``,
    ``H1`` (I.), ``H2`` (A.), ``ZH1`` (一、), ``para`` (1.), ``item`` / ``item-restart``
    ((a), restarting at (a)) or ``plain``. ``[n]`` in a text is a reference to
    footnote ``n`` (Word id ``n + 1``); footnotes in ``custom`` show their mark.
    ``[en]`` is a reference to endnote ``n`` of ``endnotes`` (Word id ``n + 1``), and
    ``[cn]`` anchors comment ``n`` of ``comments`` on the run before it.
    """
    import docx
    from docx.enum.style import WD_STYLE_TYPE
    from docx.oxml import parse_xml

    custom = custom or {}
    document = docx.Document()
    numbering = document.part.numbering_part.element
    first_num = numbering.find(f"{{{numbering.nsmap['w']}}}num")
    for xml in _ABSTRACT.split("|"):
        el = parse_xml(xml.strip())
        if first_num is not None:
            first_num.addprevious(el)
        else:
            numbering.append(el)
    for xml in _NUMS.split("|"):
        numbering.append(parse_xml(xml.strip()))
    styles = {"H1": ("90", "0"), "H2": ("90", "1"), "ZH1": ("94", "0"), "para": ("91", "0")}
    for name, (num_id, ilvl) in styles.items():
        style = document.styles.add_style(f"UN{name}", WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = document.styles["Normal"]
        ppr = style.element.get_or_add_pPr()
        ppr.append(parse_xml(f'<w:numPr {_NS}><w:ilvl w:val="{ilvl}"/>'
                             f'<w:numId w:val="{num_id}"/></w:numPr>'))
    comments = comments or {}
    for kind, text in blocks:
        style = f"UN{kind}" if kind in styles else None
        para = document.add_paragraph(style=style)
        if kind.startswith("item"):
            num_id = "93" if kind == "item-restart" else "92"
            para._p.get_or_add_pPr().append(parse_xml(
                f'<w:numPr {_NS}><w:ilvl w:val="0"/><w:numId w:val="{num_id}"/></w:numPr>'))
        run = None
        for i, chunk in enumerate(text.replace("]", "[").split("[")):
            if i % 2 == 0:
                if chunk:
                    run = para.add_run(chunk)
                continue
            if chunk.startswith("c") and run is not None:
                document.add_comment(run, comments[int(chunk[1:])], author="Reviewer")
                continue
            if chunk.startswith("e"):
                para._p.append(parse_xml(
                    f'<w:r {_NS}><w:rPr><w:vertAlign w:val="superscript"/></w:rPr>'
                    f'<w:endnoteReference w:id="{int(chunk[1:]) + 1}"/></w:r>'))
                continue
            n = int(chunk)
            mark = custom.get(n)
            attr = ' w:customMarkFollows="1"' if mark else ""
            para._p.append(parse_xml(
                f'<w:r {_NS}><w:rPr><w:vertAlign w:val="superscript"/></w:rPr>'
                f'<w:footnoteReference{attr} w:id="{n + 1}"/>'
                + (f"<w:t>{mark}</w:t>" if mark else "") + "</w:r>"))
    document.save(str(path))
    _add_notes(path, "footnote", footnotes)
    if endnotes:
        _add_notes(path, "endnote", endnotes)


def _add_notes(path: Path, kind: str, texts: dict[int, str]) -> None:
    """Add the part of ``kind`` (footnote, endnote) holding ``texts`` as Word writes it."""
    notes = "".join(
        f'<w:{kind} w:id="{n + 1}"><w:p><w:r><w:{kind}Ref/></w:r>'
        f'<w:r><w:t xml:space="preserve"> {text}</w:t></w:r></w:p></w:{kind}>'
        for n, text in texts.items())
    xml = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:{kind}s {_NS}>'
           f'<w:{kind} w:type="separator" w:id="0"><w:p><w:r><w:separator/></w:r></w:p>'
           f'</w:{kind}><w:{kind} w:type="continuationSeparator" w:id="1"><w:p><w:r>'
           f'<w:continuationSeparator/></w:r></w:p></w:{kind}>{notes}</w:{kind}s>')
    with zipfile.ZipFile(path) as zf:
        parts = {name: zf.read(name) for name in zf.namelist()}
    rels = parts["word/_rels/document.xml.rels"].decode()
    rels = rels.replace("</Relationships>", (
        f'<Relationship Id="rId{kind}s" Type="http://schemas.openxmlformats.org/officeDocument/'
        f'2006/relationships/{kind}s" Target="{kind}s.xml"/></Relationships>'))
    types = parts["[Content_Types].xml"].decode().replace("</Types>", (
        f'<Override PartName="/word/{kind}s.xml" ContentType="application/'
        f'vnd.openxmlformats-officedocument.wordprocessingml.{kind}s+xml"/></Types>'))
    parts["word/_rels/document.xml.rels"] = rels.encode()
    parts["[Content_Types].xml"] = types.encode()
    parts[f"word/{kind}s.xml"] = xml.encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
