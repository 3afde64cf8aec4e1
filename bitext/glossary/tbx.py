"""TBX glossaries: TBX v3 (ISO 30042:2019) TBX-Basic DCA, legacy 2008 ``martif``, validation.

**TBX-Basic (v3, DCA style)** is what terminology tools of today read: a ``tbx``
root in the namespace ``urn:iso:std:iso:30042:ed-2`` with ``type="TBX-Basic"``
and ``style="dca"``. Each concept is a ``conceptEntry`` (ids ``c1``, ``c2``... never
starting with a digit), with one ``langSec`` per language and one ``termSec`` per
term. Every term carries ``partOfSpeech``, ``termType`` and
``administrativeStatus`` in the order the core structure demands (``term``, then
``termNote`` s, then descriptions and notes). Extracted terms are *candidates*,
not preferred terms: TBX-Basic's picklist has no "candidate" value, so they are
marked ``admittedTerm-admn-sts`` and a note says they await review. Each term's
``context`` is an example sentence in which it occurs, with its segment label as
``source``; a ``transacGrp`` records the origination date and that bitext was
responsible (a ``respPerson`` in ``back``). The score, frequencies and evidence
are ``note`` s of the concept.

**Legacy TBX (ISO 30042:2008, TBX-Basic 2008)**: a ``martif`` root with
``termEntry`` / ``langSet`` / ``tig`` - the format OmegaT 3.6 and older MultiTerm
versions read.

Characters XML 1.0 forbids (most C0 controls, lone surrogates, U+FFFE/U+FFFF)
are replaced by a space, and a warning gives their number.

:func:`validate_tbx` runs our own structural checks anywhere, and the official
RELAX NG core structure and TBX-Basic Schematron rules when the reference
schemas are found in ``../shared/schemas`` next to the repository (or the folder
given).
"""

from __future__ import annotations

import datetime as _dt
import logging
import os
import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from bitext import __version__
from bitext.errors import InputError
from bitext.fileio import write_whole
from bitext.fileio.read import shown_id
from bitext.glossary.model import PARTS_OF_SPEECH, TERM_TYPES, Concept, Example, Term

logger = logging.getLogger(__name__)

TBX_NS = "urn:iso:std:iso:30042:ed-2"
XML_NS = "http://www.w3.org/XML/1998/namespace"
XML_LANG = f"{{{XML_NS}}}lang"
DIALECT = "TBX-Basic"
CANDIDATE_STATUS = "admittedTerm-admn-sts"
ADMIN_STATUSES = ("admittedTerm-admn-sts", "deprecatedTerm-admn-sts", "supersededTerm-admn-sts",
                  "preferredTerm-admn-sts")
RESPONSIBLE_ID = "bitext-extractor"
CANDIDATE_NOTE = "candidate term extracted automatically by bitext; not reviewed"
_RNG_HREF = "https://raw.githubusercontent.com/LTAC-Global/TBX_Core_RNG/master/TBXcoreStructV03.rng"
_SCH_HREF = ("https://raw.githubusercontent.com/LTAC-Global/TBX-Basic_dialect/master/DCA/"
             "TBX-Basic_DCA.sch")
#: The ``xml-model`` processing instructions before a TBX v3 root: its schemas.
_TBX_MODELS = (
    ("xml-model", f'href="{_RNG_HREF}" type="application/xml" '
                  'schematypens="http://relaxng.org/ns/structure/1.0"'),
    ("xml-model", f'href="{_SCH_HREF}" type="application/xml" '
                  'schematypens="http://purl.oclc.org/dsdl/schematron"'),
)
#: The DTD a TBX-Basic 2008 file names.
_TBX2_DTD = "TBXBasiccoreStructV02.dtd"
_TBX2_HEAD = (b'<?xml version="1.0" encoding="UTF-8"?>\n'
              b'<!DOCTYPE martif SYSTEM "' + _TBX2_DTD.encode() + b'">\n')
_TBX_HEAD = b'<?xml version="1.0" encoding="UTF-8"?>\n' + "".join(
    f"<?{target} {text}?>\n" for target, text in _TBX_MODELS).encode()

_NCNAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.\-]*$")


class _Cleaner:
    """Replaces XML-forbidden characters by a space and counts them (the rule
    every exporter shares: :func:`bitext.tmx.text.replace_forbidden`)."""

    def __init__(self) -> None:
        from bitext.tmx.text import replace_forbidden

        self.count = 0
        # imported once per writer, not once per text and attribute written (a
        # report's TBX has tens of thousands)
        self._replace = replace_forbidden

    def __call__(self, text: str) -> str:
        cleaned, n = self._replace(text)
        self.count += n
        return cleaned


def _ids(concepts: Sequence[Concept]) -> list[str]:
    """The concept ids to write: the concepts' own if valid and unique, else c1, c2..."""
    ids = [c.id for c in concepts]
    ok = (all(_NCNAME.match(i) for i in ids) and len(set(ids)) == len(ids)
          and RESPONSIBLE_ID not in ids)
    return ids if ok else [f"c{n}" for n in range(1, len(concepts) + 1)]


def concept_notes(concept: Concept) -> list[str]:
    """The concept-level notes: status, kind, score, frequencies and evidence."""
    src, tgt = concept.src_lang, concept.tgt_lang
    notes = [
        CANDIDATE_NOTE,
        f"kind: {concept.kind}",
        f"score: {concept.score:.4f} (confidence that the terms correspond, 0 to 1)",
        f"rank score: {concept.rank_score:.4f}",
        f"frequency: {src} {concept.freq_src}, {tgt} {concept.freq_tgt}, together "
        f"{concept.cooc} (aligned segments); documents {concept.docs}",
    ]
    if concept.evidence:
        notes.append("evidence: " + ", ".join(f"{k} {v:.4f}" for k, v in concept.evidence))
    return notes


def _contexts(concept: Concept, term: Term, preferred: bool, src_side: bool
              ) -> list[tuple[str, str]]:
    """``(sentence, label)`` contexts of a term: every example for a preferred term
    (so the pairs read back in order), else the first example containing it."""
    out = []
    for ex in concept.examples:
        text = ex.src if src_side else ex.tgt
        if preferred:
            out.append((text, ex.label))
        elif term.text.lower() in text.lower():
            out.append((text, ex.label))
            break
    return out


def write_tbx(concepts: Sequence[Concept], path: str | os.PathLike[str], *,
              sources: Sequence[str] = (), title: str | None = None,
              date: _dt.date | None = None, signature: str = "",
              notes: Sequence[str] = ()) -> int:
    """Write TBX-Basic v3 (DCA). Returns the number of XML-forbidden characters replaced."""
    clean = _Cleaner()
    root = _tbx_root(concepts, clean, sources=sources, title=title, date=date,
                     signature=signature, notes=notes)
    return _write(path, _TBX_HEAD, root, clean)


def tbx_tree(concepts: Sequence[Concept], name: str, fmt: str = "tbx", *,
             sources: Sequence[str] = (), title: str | None = None) -> Any:
    """The document :func:`write_tbx` (``fmt`` ``tbx``) or :func:`write_tbx2`
    (``tbx2``) writes, as an lxml tree laid out as it is written (indented; the
    schema lines or the DOCTYPE before the root), for a caller that changes it
    before writing it whole (the review export sets statuses and notes);
    :func:`tbx_bytes` serialises it. ``name`` is the file the warning of
    replaced characters names."""
    from lxml import etree

    clean = _Cleaner()
    if fmt == "tbx2":
        root = _tbx2_root(concepts, clean, sources=sources, title=title)
    else:
        root = _tbx_root(concepts, clean, sources=sources, title=title)
    # Laid out as pretty_print writes it, so that notes added beside an element
    # take its indentation (the tail) and the bytes are those of the file read back.
    etree.indent(root, space="  ")
    for el in root.iter():
        if el.text == "":  # written <x></x>, read back as no text: <x/>
            el.text = None
    tree = root.getroottree()
    if fmt == "tbx2":
        tree.docinfo.system_url = _TBX2_DTD
    else:
        for target, text in _TBX_MODELS:
            root.addprevious(etree.ProcessingInstruction(target, text))
    _warn_replaced(name, clean)
    return tree


def tbx_bytes(tree: Any) -> bytes:
    """The bytes of a document made by :func:`tbx_tree` (its declaration, schema
    lines and elements)."""
    from lxml import etree

    return bytes(etree.tostring(tree, encoding="UTF-8", xml_declaration=True))


def _tbx_root(concepts: Sequence[Concept], clean: _Cleaner, *, sources: Sequence[str] = (),
              title: str | None = None, date: _dt.date | None = None, signature: str = "",
              notes: Sequence[str] = ()) -> Any:
    """The ``tbx`` element of TBX-Basic v3 (DCA) for ``concepts``, each text passed
    through ``clean``."""
    from lxml import etree

    day = (date or _dt.datetime.now(_dt.UTC).date()).isoformat()
    doc_lang = "en"
    sub = _element_maker(clean, f"{{{TBX_NS}}}")

    root = etree.Element(f"{{{TBX_NS}}}tbx", nsmap={None: TBX_NS})
    root.set("type", DIALECT)
    root.set("style", "dca")
    root.set(XML_LANG, doc_lang)
    header = sub(root, "tbxHeader")
    _file_desc(sub, header, title, sources, signature, notes)
    text_el = sub(root, "text")
    if concepts:
        body = sub(text_el, "body")
        for cid, concept in zip(_ids(concepts), concepts, strict=True):
            entry = sub(body, "conceptEntry", id=cid)
            _transac(sub, entry, day, target=RESPONSIBLE_ID)
            for note in concept_notes(concept):
                sub(entry, "note", note)
            paired = {_base(concept.src_lang), _base(concept.tgt_lang)}
            for lang in _langs(concept):
                lang_sec = sub(entry, "langSec", lang=lang)
                src_side = lang == concept.src_lang
                # examples hold the source and target sentences only: a third
                # language of a multilingual concept has none of its own
                with_contexts = _base(lang) in paired
                for k, term in enumerate(concept.terms_in(lang)):
                    term_sec = _term(sub, sub(lang_sec, "termSec"), term)
                    contexts = _contexts(concept, term, k == 0, src_side) if with_contexts else []
                    for sentence, label in contexts:
                        grp = sub(term_sec, "descripGrp")
                        sub(grp, "descrip", sentence, type="context")
                        if label:
                            sub(grp, "admin", f"segment {label}", type="source")
                    sub(term_sec, "note", f"frequency: {term.freq}")
    back = sub(text_el, "back")
    resp = sub(sub(back, "refObjectSec", type="respPerson"), "refObject", id=RESPONSIBLE_ID)
    sub(resp, "item", f"bitext {__version__} (automatic term extraction)", type="fn")

    return root


def write_tbx2(concepts: Sequence[Concept], path: str | os.PathLike[str], *,
               sources: Sequence[str] = (), title: str | None = None,
               date: _dt.date | None = None, signature: str = "",
              notes: Sequence[str] = ()) -> int:
    """Write legacy TBX-Basic 2008 (``martif``). Returns the number of characters replaced."""
    clean = _Cleaner()
    root = _tbx2_root(concepts, clean, sources=sources, title=title, date=date,
                      signature=signature, notes=notes)
    return _write(path, _TBX2_HEAD, root, clean)


def _tbx2_root(concepts: Sequence[Concept], clean: _Cleaner, *, sources: Sequence[str] = (),
               title: str | None = None, date: _dt.date | None = None, signature: str = "",
               notes: Sequence[str] = ()) -> Any:
    """The ``martif`` element of TBX-Basic 2008 for ``concepts``, each text passed
    through ``clean``."""
    from lxml import etree

    day = (date or _dt.datetime.now(_dt.UTC).date()).isoformat()
    sub = _element_maker(clean)

    root = etree.Element("martif")
    root.set("type", "TBX-Basic")
    root.set(XML_LANG, "en")
    header = sub(root, "martifHeader")
    _file_desc(sub, header, title, sources, signature, notes)
    sub(sub(header, "encodingDesc"), "p", "TBXBasicXCSV02.xcs", type="XCSURI")
    body = sub(sub(root, "text"), "body")
    for cid, concept in zip(_ids(concepts), concepts, strict=True):
        entry = sub(body, "termEntry", id=cid)
        for note in concept_notes(concept):
            sub(entry, "note", note)
        _transac(sub, entry, day)
        for lang in _langs(concept):
            lang_set = sub(entry, "langSet", lang=lang)
            src_side = lang == concept.src_lang
            for k, term in enumerate(concept.terms_in(lang)):
                tig = _term(sub, sub(lang_set, "tig"), term)
                for sentence, _label in _contexts(concept, term, k == 0, src_side):
                    sub(tig, "descrip", sentence, type="context")
                sub(tig, "note", f"frequency: {term.freq}")
    return root


#: ``sub(parent, tag, text=None, **attrs)``: a new child element (see :func:`_element_maker`).
_Sub = Callable[..., Any]


def _element_maker(clean: _Cleaner, ns: str = "") -> _Sub:
    """``sub(parent, tag, text=None, **attrs)``: a child ``ns + tag`` of ``parent``
    with ``text`` and the attributes (``lang`` is ``xml:lang``), each passed
    through ``clean`` (XML-forbidden characters replaced and counted), as both
    dialects write every element."""
    from lxml import etree

    def sub(parent: Any, tag: str, text: str | None = None, **attrs: str) -> Any:
        el = etree.SubElement(parent, ns + tag)
        for k, v in attrs.items():
            el.set(XML_LANG if k == "lang" else k, clean(v))
        if text is not None:
            el.text = clean(text)
        return el

    return sub


def _transac(sub: _Sub, entry: Any, day: str, **target: str) -> None:
    """The entry's origination by bitext on ``day``, the same in both dialects
    but for v3's ``target`` (the responsible party in the back matter)."""
    grp = sub(entry, "transacGrp")
    sub(grp, "transac", "origination", type="transactionType")
    sub(grp, "date", day)
    sub(grp, "transacNote", "bitext", type="responsibility", **target)


def _term(sub: _Sub, parent: Any, term: Term) -> Any:
    """``parent`` (v3's ``termSec``, 2008's ``tig``) given the term and its three
    term notes, the same in both dialects; returns ``parent``."""
    sub(parent, "term", term.text)
    sub(parent, "termNote", _pos(term), type="partOfSpeech")
    sub(parent, "termNote", _term_type(term), type="termType")
    sub(parent, "termNote", CANDIDATE_STATUS, type="administrativeStatus")
    return parent


def _file_desc(sub: _Sub, header: Any, title: str | None, sources: Sequence[str],
               signature: str, notes: Sequence[str]) -> None:
    """The header's ``fileDesc``, the same in both dialects: the title, each
    source document, the bitext version with the settings' signature, the notes."""
    file_desc = sub(header, "fileDesc")
    sub(sub(file_desc, "titleStmt"), "title", title or "Bilingual glossary extracted by bitext")
    source_desc = sub(file_desc, "sourceDesc")
    for source in sources:  # a name whose bytes are not UTF-8 as a terminal shows it
        sub(source_desc, "p", f"source document: {shown_id(source)}")
    sub(source_desc, "p", f"extracted by bitext {__version__}"
        + (f" ({signature})" if signature else ""))
    for line in notes:
        sub(source_desc, "p", line)


def _base(code: str) -> str:
    """The primary language of a code (``en`` for ``en-GB``)."""
    return code.split("-")[0].lower()


def _langs(concept: Concept) -> list[str]:
    """One language section per language: the concept's own codes (zh-CN, en-GB)
    first, so terms tagged with the bare language (zh) are not written twice."""
    seen: list[str] = []
    bases: set[str] = set()
    for lang in (concept.src_lang, concept.tgt_lang, *(t.lang for t in concept.terms)):
        base = _base(lang)
        if lang and base not in bases and concept.terms_in(lang):
            seen.append(lang)
            bases.add(base)
    return seen


def _pos(term: Term) -> str:
    return term.part_of_speech if term.part_of_speech in PARTS_OF_SPEECH else "other"


def _term_type(term: Term) -> str:
    return term.term_type if term.term_type in TERM_TYPES else "variant"


def _write(path: str | os.PathLike[str], head: bytes, root: Any, clean: _Cleaner) -> int:
    """Write ``head`` (the XML declaration and the dialect's schema lines) and the
    tree under ``root``; warn of the characters ``clean`` replaced, and return
    their count, as both dialects do."""
    from lxml import etree

    data = etree.tostring(root, encoding="UTF-8", xml_declaration=False, pretty_print=True)
    write_whole(path, head + data)
    _warn_replaced(path, clean)
    return clean.count


def _warn_replaced(path: str | os.PathLike[str], clean: _Cleaner) -> None:
    if clean.count:
        logger.warning("%s: replaced %d character%s that XML does not allow by spaces",
                       path, clean.count, "" if clean.count == 1 else "s")


# -- reading -------------------------------------------------------------------------

_NOTE_NUM = {
    "score": re.compile(r"^score: ([0-9.eE+-]+)"),
    "rank": re.compile(r"^rank score: ([0-9.eE+-]+)"),
}
_FREQ_NOTE = re.compile(r"^frequency: (\S+) (\d+), (\S+) (\d+), together (\d+)"
                        r"(?: \(aligned segments\))?(?:; documents (\d+))?")
_TERM_FREQ = re.compile(r"^frequency: (\d+)$")


def _local(el: Any) -> str:
    tag = el.tag
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _kids(el: Any, name: str) -> list[Any]:
    return [c for c in el if _local(c) == name]


def _text(el: Any) -> str:
    """All character data of an element, inline markup included."""
    return "".join(el.itertext())


def _parse(path: str | os.PathLike[str]) -> Any:
    """A TBX file's tree: no entity expansion, no network. The path goes to lxml
    as bytes: lxml encodes a str path as UTF-8, which a name that is not
    (Python's surrogate escapes) cannot be."""
    from lxml import etree

    return etree.parse(os.fsencode(path), etree.XMLParser(resolve_entities=False,
                                                          no_network=True))


def read_tbx(path: str | os.PathLike[str]) -> list[Concept]:
    """Read a TBX file (v3 or 2008 ``martif``) written by bitext or another tool."""
    from lxml import etree

    try:
        tree = _parse(path)
    except OSError as err:
        raise InputError(f"{path}: cannot read ({err})") from err
    except etree.XMLSyntaxError as err:
        from bitext.tmx.reader import syntax_message

        raise InputError(f"{path}:{err.lineno or 0}: not well-formed XML "
                         f"({syntax_message(err)})") from err
    root = tree.getroot()
    legacy = _local(root) == "martif"
    if _local(root) not in ("tbx", "martif"):
        raise InputError(f"{path}: not a TBX file (root element <{_local(root)}>)")
    if not any(_local(el) == "text" for el in root):
        # Read as a glossary of no concept, review showed none and exported an
        # empty TBX; TBX 2008 and v3 both hold concepts in <text> (its body),
        # which bitext writes even for no concept.
        raise InputError(f"{path}: no <text> element, where a TBX holds its concepts; "
                         "is the file whole? build or export it again")
    entry_tag, lang_tag, term_tag = (("termEntry", "langSet", "tig") if legacy
                                     else ("conceptEntry", "langSec", "termSec"))
    entries = [el for el in root.iter() if _local(el) == entry_tag]
    concepts = []
    for n, entry in enumerate(entries, 1):
        try:
            concepts.append(_read_entry(entry, lang_tag, term_tag, n))
        except _BadNote as err:
            raise InputError(f"{path}: concept {n} ({entry.get('id') or 'no id'}): the note "
                             f"{str(err)[:40]!r} holds no number bitext can read; correct "
                             "or delete that note") from err
    return concepts


class _BadNote(ValueError):
    """A note whose number float() or int() refuses ('1.2.3', or more digits than
    Python converts)."""


def _number(convert: Any, value: str, note: str) -> Any:
    try:
        return convert(value)
    except ValueError as err:
        raise _BadNote(note) from err


def _read_entry(entry: Any, lang_tag: str, term_tag: str, n: int) -> Concept:
    terms: list[Term] = []
    contexts: dict[str, list[tuple[str, str]]] = {}
    langs: list[str] = []
    for lang_sec in _kids(entry, lang_tag):
        lang = lang_sec.get(XML_LANG, "")
        langs.append(lang)
        for term_sec in lang_sec.iter():
            if _local(term_sec) not in (term_tag, "ntig"):
                continue
            term_el = next((t for t in term_sec.iter() if _local(t) == "term"), None)
            if term_el is None:
                continue
            notes = {t.get("type"): _text(t) for t in term_sec.iter() if _local(t) == "termNote"}
            freq = 0
            for note in (t for t in term_sec.iter() if _local(t) == "note"):
                m = _TERM_FREQ.match(_text(note))
                if m:
                    freq = _number(int, m.group(1), _text(note))
            terms.append(Term(_text(term_el), lang, notes.get("termType", "fullForm"),
                              notes.get("partOfSpeech", "noun"), freq))
            if lang not in contexts:
                ctx = []
                for d in term_sec.iter():
                    if _local(d) == "descrip" and d.get("type") == "context":
                        parent = d.getparent()
                        label = ""
                        if _local(parent) == "descripGrp":
                            for admin in _kids(parent, "admin"):
                                if admin.get("type") == "source":
                                    label = _text(admin).removeprefix("segment ")
                        ctx.append((_text(d), label))
                contexts[lang] = ctx
    kind, score, rank = "term", 0.0, 0.0
    freqs: dict[str, int] = {}
    cooc, docs = 0, 1
    evidence: list[tuple[str, float]] = []
    for note in _kids(entry, "note"):
        text = _text(note)
        if text.startswith("kind: "):
            kind = text[6:].strip()
        elif (m := _NOTE_NUM["score"].match(text)):
            score = _number(float, m.group(1), text)
        elif (m := _NOTE_NUM["rank"].match(text)):
            rank = _number(float, m.group(1), text)
        elif (m := _FREQ_NOTE.match(text)):
            freqs = {m.group(1): _number(int, m.group(2), text),
                     m.group(3): _number(int, m.group(4), text)}
            cooc = _number(int, m.group(5), text)
            docs = _number(int, m.group(6) or "1", text)
        elif text.startswith("evidence: "):
            for part in text[10:].split(", "):
                name, _, value = part.rpartition(" ")
                try:
                    evidence.append((name, float(value)))
                except ValueError:
                    continue
    src_lang = langs[0] if langs else ""
    tgt_lang = langs[1] if len(langs) > 1 else ""
    src_ctx, tgt_ctx = contexts.get(src_lang, []), contexts.get(tgt_lang, [])
    examples = tuple(Example(s[0], t[0], s[1] or t[1])
                     for s, t in zip(src_ctx, tgt_ctx, strict=False))
    return Concept(
        id=entry.get("id") or f"c{n}", src_lang=src_lang, tgt_lang=tgt_lang, terms=tuple(terms),
        kind=kind, score=score, rank_score=rank, freq_src=freqs.get(src_lang, 0),
        freq_tgt=freqs.get(tgt_lang, 0), cooc=cooc, docs=docs, examples=examples,
        evidence=tuple(evidence))


# -- validation ---------------------------------------------------------------------

def default_schemas_dir() -> Path | None:
    """``../shared/schemas`` next to the repository, if it is there."""
    repo = Path(__file__).resolve().parents[2]
    candidate = repo.parent / "shared" / "schemas"
    return candidate if candidate.is_dir() else None


def validate_tbx(path: str | os.PathLike[str], schemas_dir: str | os.PathLike[str] | None = None
                 ) -> list[str]:
    """Check a TBX file; returns the problems found (empty: valid), each one line
    starting with ``line N:`` where it has one (the file name is left to the caller).

    Our own structural checks always run (root, namespace, dialect, ids,
    required elements and their order, picklist values). For TBX v3 the RELAX NG
    core structure and the TBX-Basic DCA Schematron also run when the reference
    schemas are found (``schemas_dir``, default ``../shared/schemas``).
    """
    from lxml import etree

    try:
        tree = _parse(path)
    except OSError as err:
        return [f"cannot read the file ({err})"]
    except etree.XMLSyntaxError as err:
        from bitext.tmx.reader import syntax_message

        return [f"line {err.lineno or 0}: not well-formed XML ({syntax_message(err)})"]
    from bitext.tmx.validate import doctype_entities

    root = tree.getroot()
    entities = [f"line 1: {p}" for p in doctype_entities(root, "TBX")]
    if _local(root) == "martif":
        return entities + _check_martif(root)
    problems = entities + _check_v3(root)
    folder = Path(schemas_dir) if schemas_dir is not None else default_schemas_dir()
    if folder is not None and _local(root) == "tbx":
        problems += _schema_problems(tree, folder)
    return problems


def _line(el: Any) -> str:
    return f"line {el.sourceline}: " if getattr(el, "sourceline", None) else ""


def _check_ids(root: Any, entry_tag: str) -> list[str]:
    problems = []
    seen: set[str] = set()
    for el in root.iter():
        ident = el.get("id") if isinstance(el.tag, str) else None
        if _local(el) == entry_tag and not ident:
            problems.append(f"{_line(el)}<{entry_tag}> has no id")
        if ident is None:
            continue
        if not _NCNAME.match(ident):
            problems.append(f"{_line(el)}id {ident!r} is not an XML name "
                            "(it must not start with a digit)")
        if ident in seen:
            problems.append(f"{_line(el)}id {ident!r} is used twice")
        seen.add(ident)
    return problems


def _check_v3(root: Any) -> list[str]:
    problems: list[str] = []
    if _local(root) != "tbx":
        return [f"root element is <{_local(root)}>, expected <tbx> (TBX v3) or <martif> (2008)"]
    if root.nsmap.get(root.prefix) != TBX_NS or not root.tag.startswith(f"{{{TBX_NS}}}"):
        problems.append(f"root namespace is not {TBX_NS}")
    if root.get("type") != DIALECT:
        problems.append(f"type is {root.get('type')!r}, expected {DIALECT!r}")
    if root.get("style") != "dca":
        problems.append(f"style is {root.get('style')!r}, expected 'dca'")
    if not root.get(XML_LANG):
        problems.append("the tbx element has no xml:lang")
    header = _kids(root, "tbxHeader")
    if not header or not _kids(header[0], "fileDesc") or not _kids(
            _kids(header[0], "fileDesc")[0], "sourceDesc"):
        problems.append("tbxHeader/fileDesc/sourceDesc is missing")
    if not _kids(root, "text"):
        problems.append("the text element is missing")
    problems += _check_ids(root, "conceptEntry")
    for entry in root.iter(f"{{{TBX_NS}}}conceptEntry"):
        lang_secs = _kids(entry, "langSec")
        if not lang_secs:
            problems.append(f"{_line(entry)}conceptEntry {entry.get('id')} has no langSec")
        for lang_sec in lang_secs:
            if not lang_sec.get(XML_LANG):
                problems.append(f"{_line(lang_sec)}langSec without xml:lang")
            term_secs = _kids(lang_sec, "termSec")
            if not term_secs:
                problems.append(f"{_line(lang_sec)}langSec has no termSec")
            for term_sec in term_secs:
                problems += _check_term_sec(term_sec)
    return problems


_AUX = ("admin", "adminGrp", "descrip", "descripGrp", "note", "ref", "transacGrp", "xref")


def _check_term_sec(term_sec: Any) -> list[str]:
    problems = []
    kids = [_local(k) for k in term_sec if isinstance(k.tag, str)]
    where = _line(term_sec)
    if not kids or kids[0] != "term":
        problems.append(f"{where}termSec does not start with <term>")
    elif not "".join(_text(t) for t in _kids(term_sec, "term")).strip():
        problems.append(f"{where}empty <term>")
    state = 0  # 0: term, 1: termNotes, 2: auxiliary information
    for name in kids[1:]:
        if name in ("termNote", "termNoteGrp"):
            if state == 2:
                problems.append(f"{where}termNote after notes or descriptions (wrong order)")
            state = max(state, 1)
        elif name in _AUX:
            state = 2
        else:
            problems.append(f"{where}<{name}> is not allowed in termSec")
    for note in _kids(term_sec, "termNote"):
        kind, value = note.get("type"), _text(note)
        if kind == "administrativeStatus" and value not in ADMIN_STATUSES:
            problems.append(f"{_line(note)}administrativeStatus {value!r} is not a TBX-Basic value")
        if kind == "termType" and value not in TERM_TYPES:
            problems.append(f"{_line(note)}termType {value!r} is not a TBX-Basic value")
        if kind == "partOfSpeech" and value not in PARTS_OF_SPEECH:
            problems.append(f"{_line(note)}partOfSpeech {value!r} is not a TBX-Basic value")
    return problems


def _check_martif(root: Any) -> list[str]:
    problems: list[str] = []
    if root.get("type") != "TBX-Basic":
        problems.append(f"martif type is {root.get('type')!r}, expected 'TBX-Basic'")
    if not root.get(XML_LANG):
        problems.append("the martif element has no xml:lang")
    header = _kids(root, "martifHeader")
    if not header or not _kids(header[0], "fileDesc") or not _kids(
            _kids(header[0], "fileDesc")[0], "sourceDesc"):
        problems.append("martifHeader/fileDesc/sourceDesc is missing")
    text = _kids(root, "text")
    if not text or not _kids(text[0], "body"):
        problems.append("text/body is missing")
    problems += _check_ids(root, "termEntry")
    for entry in root.iter("termEntry"):
        lang_sets = _kids(entry, "langSet")
        if not lang_sets:
            problems.append(f"{_line(entry)}termEntry {entry.get('id')} has no langSet")
        for lang_set in lang_sets:
            if not lang_set.get(XML_LANG):
                problems.append(f"{_line(lang_set)}langSet without xml:lang")
            tigs = _kids(lang_set, "tig") + _kids(lang_set, "ntig")
            if not tigs:
                problems.append(f"{_line(lang_set)}langSet has no tig")
            for tig in tigs:
                if not any(_local(t) == "term" for t in tig.iter()):
                    problems.append(f"{_line(tig)}tig without <term>")
    return problems


def _schema_problems(tree: Any, folder: Path) -> list[str]:
    """RELAX NG core structure + TBX-Basic DCA Schematron (XPath-1 rewrite)."""
    problems: list[str] = []
    rng_path = folder / "tbx" / "core" / "TBXcoreStructV03.rng"
    sch_path = folder / "tbx" / "xpath1_patched" / "TBX-Basic_DCA.xpath1.sch"
    if rng_path.is_file():
        rng = _cached_schema(str(rng_path), "rng")
        if not rng.validate(tree):
            for err in rng.error_log:
                problems.append(f"RELAX NG: line {err.line}: {err.message}")
    else:
        logger.debug("no RELAX NG schema at %s", rng_path)
    if sch_path.is_file():
        sch = _cached_schema(str(sch_path), "sch")
        if not sch.validate(tree):
            report = sch.validation_report
            svrl = "{http://purl.oclc.org/dsdl/svrl}"
            for failed in report.iter(f"{svrl}failed-assert"):
                text = " ".join(_text(failed).split())
                problems.append(f"Schematron: {failed.get('location')}: {text}")
    else:
        logger.debug("no Schematron rules at %s", sch_path)
    return problems


_SCHEMAS: dict[tuple[str, str], Any] = {}


def _cached_schema(path: str, kind: str) -> Any:
    from lxml import etree, isoschematron

    key = (path, kind)
    if key not in _SCHEMAS:
        doc = etree.parse(path)
        _SCHEMAS[key] = (etree.RelaxNG(doc) if kind == "rng"
                         else isoschematron.Schematron(doc, store_report=True))
    return _SCHEMAS[key]
