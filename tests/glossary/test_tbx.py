"""TBX-Basic v3 and legacy TBX output: structure, official schemas, round trip."""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree, isoschematron

from bitext.errors import ConfigError, InputError
from bitext.glossary import Concept, Example, Term, read_glossary, validate_tbx, write_glossary
from bitext.glossary.tbx import CANDIDATE_STATUS, TBX_NS, read_tbx, write_tbx

NS = {"t": TBX_NS}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
DAY = dt.date(2024, 5, 1)


def concept(zh: str = "会员国", en: str = "Member States", *, cid: str = "c1",
            examples: tuple[Example, ...] = (), variants: tuple[str, ...] = ()) -> Concept:
    terms = (Term(zh, "zh", "fullForm", "noun", 3), Term(en, "en", "fullForm", "noun", 3),
             *(Term(v, "en", "variant", "noun", 1) for v in variants))
    return Concept(id=cid, src_lang="zh", tgt_lang="en", terms=terms, kind="term", score=0.9,
                   rank_score=2.5, freq_src=3, freq_tgt=4, cooc=3, docs=1, examples=examples,
                   evidence=(("dice", 0.86), ("dictionary", 1.0)))


@pytest.fixture(scope="module")
def sample_tbx(tmp_path_factory: pytest.TempPathFactory, sample_concepts: list[Concept]) -> Path:
    path = tmp_path_factory.mktemp("tbx") / "terms.tbx"
    write_glossary(sample_concepts, path, sources=["zh.txt", "en.txt"], date=DAY,
                   signature="bitext:0.1.0|encoder:use")
    return path


def test_tbx_structure(sample_tbx: Path, sample_concepts: list[Concept]) -> None:
    root = etree.parse(str(sample_tbx)).getroot()
    assert root.tag == f"{{{TBX_NS}}}tbx"
    assert (root.get("type"), root.get("style"), root.get(XML_LANG)) == ("TBX-Basic", "dca", "en")
    sources = root.xpath("t:tbxHeader/t:fileDesc/t:sourceDesc/t:p/text()", namespaces=NS)
    assert "source document: zh.txt" in sources and "source document: en.txt" in sources
    entries = root.xpath("t:text/t:body/t:conceptEntry", namespaces=NS)
    assert len(entries) == len(sample_concepts)
    for entry, c in zip(entries, sample_concepts, strict=True):
        assert entry.get("id") == c.id and not entry.get("id")[0].isdigit()
        grp = entry.find("t:transacGrp", NS)
        assert grp.findtext("t:transac", namespaces=NS) == "origination"
        assert grp.findtext("t:date", namespaces=NS) == "2024-05-01"
        assert grp.findtext("t:transacNote", namespaces=NS) == "bitext"
        notes = [n.text for n in entry.findall("t:note", NS)]
        assert any(n.startswith("score: ") for n in notes)
        assert any(n.startswith("frequency: zh ") for n in notes)
        assert [s.get(XML_LANG) for s in entry.findall("t:langSec", NS)] == ["zh", "en"]
        for term_sec in entry.iter(f"{{{TBX_NS}}}termSec"):
            names = [etree.QName(k).localname for k in term_sec]
            assert names[:4] == ["term", "termNote", "termNote", "termNote"]
            notes = {n.get("type"): n.text for n in term_sec.findall("t:termNote", NS)}
            assert notes["administrativeStatus"] == CANDIDATE_STATUS
            assert notes["partOfSpeech"] == "noun"
            assert notes["termType"] in ("fullForm", "acronym", "shortForm", "variant")
        preferred = entry.find("t:langSec/t:termSec", NS)
        assert preferred.find("t:descripGrp/t:descrip[@type='context']", NS) is not None


def test_tbx_passes_the_official_relax_ng_and_schematron(sample_tbx: Path,
                                                        schemas_dir: Path) -> None:
    doc = etree.parse(str(sample_tbx))
    rng = etree.RelaxNG(etree.parse(str(schemas_dir / "tbx/core/TBXcoreStructV03.rng")))
    assert rng.validate(doc), rng.error_log
    sch = isoschematron.Schematron(
        etree.parse(str(schemas_dir / "tbx/xpath1_patched/TBX-Basic_DCA.xpath1.sch")),
        store_report=True)
    assert sch.validate(doc), etree.tostring(sch.validation_report).decode()[:2000]
    assert validate_tbx(sample_tbx, schemas_dir) == []


def test_official_example_passes_and_bad_file_fails(schemas_dir: Path) -> None:
    examples = schemas_dir / "tbx" / "examples"
    assert validate_tbx(examples / "Basic_Example_Astronomy_DCA_VALID.tbx", schemas_dir) == []
    problems = validate_tbx(examples / "testfiles_basic_bad.tbx", schemas_dir)
    assert any(p.startswith("Schematron:") for p in problems)
    assert any("partOfSpeech" in p for p in problems)


def test_schemas_catch_what_our_checks_cannot(tmp_path: Path, schemas_dir: Path) -> None:
    path = tmp_path / "t.tbx"
    write_tbx([concept()], path, date=DAY)
    text = path.read_text(encoding="utf-8").replace('type="responsibility"', 'type="owner"')
    path.write_text(text, encoding="utf-8")
    assert validate_tbx(path, tmp_path) == []  # no schemas there: our checks only
    assert any("responsibility" in p for p in validate_tbx(path, schemas_dir))


@pytest.mark.parametrize(("old", "new", "problem"), [
    ('id="c1"', 'id="1c"', "must not start with a digit"),
    ('style="dca"', 'style="dct"', "style"),
    ('type="TBX-Basic"', 'type="TBX-Min"', "TBX-Basic"),
    ('<langSec xml:lang="zh">', "<langSec>", "without xml:lang"),
    ("admittedTerm-admn-sts", "candidate", "administrativeStatus"),
    ('xmlns="urn:iso:std:iso:30042:ed-2"', 'xmlns="urn:example"', "namespace"),
    ("<term>会员国</term>", "<note>x</note><term>会员国</term>", "does not start with <term>"),
])
def test_structural_checks(tmp_path: Path, old: str, new: str, problem: str) -> None:
    path = tmp_path / "t.tbx"
    write_tbx([concept()], path, date=DAY)
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    problems = validate_tbx(path, tmp_path)
    assert any(problem in p for p in problems), problems


@pytest.mark.parametrize(("subset", "problem"), [
    ('<!ENTITY a SYSTEM "file:///etc/hostname">',
     "line 1: the DOCTYPE declares an external entity 'a' (SYSTEM 'file:///etc/hostname')"),
    ('<!ENTITY a "x">', "line 1: the DOCTYPE declares an entity 'a', which TBX does not use"),
])
def test_a_doctype_entity_is_named(tmp_path: Path, subset: str, problem: str) -> None:
    """A TBX declaring an external entity (an XXE for a tool that resolves it) was
    'RELAX NG: line 3: Expecting an element , got nothing' with the schemas, or
    valid without them: bitext never reads it, but the next tool may. It is
    named as TMX's validate names it."""
    path = tmp_path / "t.tbx"
    write_tbx([concept()], path, date=DAY)
    text = path.read_text(encoding="utf-8")
    head, sep, rest = text.partition("?>")
    path.write_text(f"{head}{sep}<!DOCTYPE tbx [{subset}]>{rest}", encoding="utf-8")
    assert any(p.startswith(problem) for p in validate_tbx(path, tmp_path)), \
        validate_tbx(path, tmp_path)


def test_not_xml_is_one_problem(tmp_path: Path) -> None:
    path = tmp_path / "t.tbx"
    path.write_text("<tbx", encoding="utf-8")
    (problem,) = validate_tbx(path)
    assert "not well-formed" in problem


def test_forbidden_characters_become_spaces_with_a_warning(
        tmp_path: Path, caplog: pytest.LogCaptureFixture, schemas_dir: Path) -> None:
    path = tmp_path / "t.tbx"
    bad = concept("会员\x01国", "Member\x0bStates\ufffe",
                  examples=(Example("会员国\x02。", "Member States\x1f.", "3"),))
    with caplog.at_level(logging.WARNING):
        assert write_tbx([bad], path, date=DAY) == 5
    assert "replaced 5 characters" in caplog.text
    back = read_tbx(path)[0]
    assert [t.text for t in back.terms] == ["会员 国", "Member States ", ]
    assert back.examples[0].src == "会员国 。"
    assert validate_tbx(path, schemas_dir) == []


texts = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=40)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(zh=texts, en=texts, src=st.text(max_size=60), tgt=st.text(max_size=60),
       astral=st.text(st.characters(min_codepoint=0x10000, max_codepoint=0x10FFFF), min_size=1,
                      max_size=5))
def test_round_trip_any_text(tmp_path_factory: pytest.TempPathFactory, zh: str, en: str,
                             src: str, tgt: str, astral: str) -> None:
    from bitext.tmx.text import FORBIDDEN_RE as _FORBIDDEN

    path = tmp_path_factory.mktemp("rt") / "t.tbx"
    original = concept(zh + astral, en, examples=(Example(src, tgt + astral, "12"),))
    write_tbx([original], path, date=DAY)
    back = read_tbx(path)[0]
    clean = [_FORBIDDEN.sub(" ", t.text) for t in original.terms]
    assert [t.text for t in back.terms] == clean
    assert back.examples == (Example(_FORBIDDEN.sub(" ", src),
                                     _FORBIDDEN.sub(" ", tgt + astral), "12"),)
    assert (back.score, back.cooc, back.freq_src, back.freq_tgt) == (0.9, 3, 3, 4)
    assert dict(back.evidence) == {"dice": 0.86, "dictionary": 1.0}


def test_full_concept_round_trip(tmp_path: Path, sample_concepts: list[Concept]) -> None:
    path = tmp_path / "t.tbx"
    write_tbx(sample_concepts, path, date=DAY)
    back = read_glossary(path)
    assert [c.terms for c in back] == [c.terms for c in sample_concepts]
    assert [c.examples for c in back] == [c.examples for c in sample_concepts]
    assert [c.kind for c in back] == [c.kind for c in sample_concepts]


def test_ids_are_renumbered_when_unusable(tmp_path: Path) -> None:
    path = tmp_path / "t.tbx"
    write_tbx([concept(cid="1"), concept(cid="1")], path, date=DAY)
    assert [c.id for c in read_tbx(path)] == ["c1", "c2"]


def test_empty_glossary_is_valid(tmp_path: Path, schemas_dir: Path) -> None:
    path = tmp_path / "t.tbx"
    write_tbx([], path, date=DAY)
    assert validate_tbx(path, schemas_dir) == []


def test_legacy_tbx(tmp_path: Path, sample_concepts: list[Concept]) -> None:
    path = tmp_path / "old.tbx"
    write_glossary(sample_concepts, path, "tbx2", sources=["zh.txt"], date=DAY)
    raw = path.read_bytes()
    assert b'<!DOCTYPE martif SYSTEM "TBXBasiccoreStructV02.dtd">' in raw
    root = etree.parse(str(path)).getroot()
    assert root.tag == "martif" and root.get("type") == "TBX-Basic"
    assert root.findtext("martifHeader/encodingDesc/p") == "TBXBasicXCSV02.xcs"
    entry = root.find("text/body/termEntry")
    assert entry.get("id") == "c1"
    tig = entry.find("langSet/tig")
    assert [etree.QName(k).localname for k in tig][:4] == ["term", "termNote", "termNote",
                                                           "termNote"]
    assert validate_tbx(path) == []
    back = read_glossary(path)
    assert [c.terms for c in back] == [c.terms for c in sample_concepts]


def test_format_from_extension(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="extension"):
        write_glossary([concept()], tmp_path / "terms.xlsx")
    with pytest.raises(ConfigError, match="stdout"):
        write_glossary([concept()], "-")
    with pytest.raises(ConfigError, match="unknown glossary format"):
        write_glossary([concept()], tmp_path / "t.tbx", "xml")


def test_stdout(capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    write_glossary([concept()], "-", "tbx", date=DAY)
    assert b"<conceptEntry" in capsysbinary.readouterr().out


def test_legacy_tbx_reads_in_translate_toolkit(tmp_path: Path,
                                               sample_concepts: list[Concept]) -> None:
    """translate-toolkit reads only the 2008 martif format, like OmegaT 3.6."""
    tbx = pytest.importorskip("translate.storage.tbx")
    path = tmp_path / "old.tbx"
    write_glossary(sample_concepts, path, "tbx2", date=DAY)
    store = tbx.tbxfile.parsefile(str(path))
    assert [(u.source, u.target) for u in store.units] == [
        (c.zh, c.en) for c in sample_concepts]


@pytest.mark.parametrize(("old", "new"), [
    ("score: 0.", "score: 1.2.3 "),  # the pattern's characters, not a number: ValueError
    ("rank score: ", "rank score: e"),
    ("together ", "together " + "1" * 5000),  # past Python's int digit limit
    ("<note>frequency: 3<", "<note>frequency: " + "1" * 5000 + "<"),  # a term's
])
def test_a_note_whose_number_cannot_be_read_is_one_error(tmp_path: Path, old: str,
                                                         new: str) -> None:
    """A TBX whose concept or term note holds a number Python cannot read (a
    NAME.tbx edited by hand or damaged) made 'bitext review OUT' and 'bitext
    eval' print a ValueError traceback."""
    path = tmp_path / "t.tbx"
    write_tbx([concept(cid="a"), concept(cid="b")], path, date=DAY)
    text = path.read_text(encoding="utf-8")
    first = text.index(old, text.index('id="b"'))
    path.write_text(text[:first] + new + text[first + len(old):], encoding="utf-8")
    with pytest.raises(InputError, match=rf"{path}: concept 2 \(b\): the note "
                                         r"'.{0,40}.* holds no number bitext can read"):
        read_tbx(path)


@pytest.mark.parametrize("xml", [
    "<tbx/>", '<tbx xmlns="urn:iso:std:iso:30042:ed-2"><tbxHeader/></tbx>',
    '<martif type="TBX"><martifHeader/></martif>'])
def test_a_tbx_without_its_body_is_an_error_not_an_empty_glossary(tmp_path: Path,
                                                                   xml: str) -> None:
    """A TBX root with no <text> (a file cut by hand, another tool's header
    only) was read as a glossary of no concept: bitext review showed none and its
    export wrote an empty reviewed TBX, exit 0. An empty glossary bitext writes
    has its (empty) <text>, and still reads."""
    path = tmp_path / "g.tbx"
    path.write_text(xml, encoding="utf-8")
    with pytest.raises(InputError, match=r"g\.tbx: no <text> element"):
        read_tbx(path)
    write_tbx([], path, date=DAY)
    assert read_tbx(path) == []


@pytest.mark.parametrize("fmt", ["tbx", "tbx2"])
@pytest.mark.parametrize("text", ["Member States", "", "a\rb\tc\nd", "x\x01y", "<&>\"'", "𠀀 ok"])
def test_tbx_tree_is_the_file_written_and_read_back(tmp_path: Path, fmt: str, text: str,
                                                    sample_concepts: list[Concept]) -> None:
    """The review export changes a glossary's tree before writing it (statuses,
    notes): tbx_tree gives the tree write_tbx/write_tbx2 writes, laid out as the
    file read back, so the bytes are those it had when the export wrote the file
    and parsed it again (any text: empty, line breaks, XML-forbidden, markup)."""
    from bitext.glossary.tbx import tbx_bytes, tbx_tree

    concepts = [*sample_concepts, concept(en=text, cid="c9", examples=(
        Example(text, text, "1"),))]
    path = tmp_path / "plain.tbx"
    write_glossary(concepts, path, fmt, sources=["zh.txt", text])
    read_back = etree.tostring(etree.parse(str(path)), encoding="UTF-8", xml_declaration=True)
    assert tbx_bytes(tbx_tree(concepts, str(path), fmt, sources=["zh.txt", text])) == read_back
