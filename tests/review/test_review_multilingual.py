"""bitext review over a multilingual build (several languages through a pivot):
the decisions made on each pair reach the joined memory of the export."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from bitext.cli import main
from bitext.review.export import export_review
from bitext.review.workbench import Workbench

MINI = Path(__file__).resolve().parents[1] / "data" / "multi"


def _build_three(tmp_path: Path, *options: str) -> Path:
    """OUT of a multilingual build of the en/fr/ru mini document (length encoder)."""
    doc = tmp_path / "doc"
    doc.mkdir()
    for lang in ("en", "fr", "ru"):
        shutil.copy(MINI / f"{lang}.txt", doc / f"{lang}.txt")
    out = tmp_path / "out"
    main(["-q", "build", str(doc), "-o", str(out), "--encoder", "length", *options])
    return out


@pytest.fixture
def multi_out(tmp_path: Path) -> Path:
    out = _build_three(tmp_path, "--no-glossary")
    assert (out / "doc.tmx").is_file()
    return out


def test_pair_decisions_reach_the_exported_multilingual_memory(multi_out: Path,
                                                               tmp_path: Path) -> None:
    """A six-language build's review exported each pair's reviewed TMX and
    nothing for the joined memory (NAME.tmx, NAME.multi.jsonl): a translator
    loading the multilingual memory got none of the corrections, and an
    accepted-only export had no multilingual memory to give (session 22). The
    export now joins the reviewed pairs as the build joins the built ones."""
    bench = Workbench(multi_out, "ann")
    assert {"doc.en-fr", "doc.en-ru"} <= set(bench.docs)
    fr = bench.alignment("doc.en-fr")
    link = fr.links[0]
    left, right = fr.langs
    side = "fr" if left.startswith("fr") else right
    ids = link.left if side == left else link.right
    bench.edit_link("doc.en-fr", "text", {"link": link.key, "side": side,
                                          "sentence": fr.keys[side][ids[0]],
                                          "text": "Une phrase corrigée."}, None)
    bench.edit_link("doc.en-ru", "accept", {"link": bench.alignment("doc.en-ru").links[0].key},
                    None)
    target = tmp_path / "reviewed"
    export_review(bench, target)
    tmx = (target / "doc.reviewed.tmx").read_text(encoding="utf-8")
    assert "Une phrase corrigée." in tmx and 'xml:lang="ru' in tmx
    records = [json.loads(line) for line in (target / "doc.reviewed.multi.jsonl")
               .read_text(encoding="utf-8").splitlines()]
    assert records[0]["text"]["fr"] == "Une phrase corrigée."
    built = json.loads((multi_out / "doc.multi.jsonl").read_text(encoding="utf-8")
                       .splitlines()[0])
    assert records[0]["doc"] == built["doc"] and records[0]["tuid"] == built["tuid"]
    assert set(records[0]["text"]) == {"en", "fr", "ru"}
    from bitext.tmx.validate import validate_tmx

    assert validate_tmx(target / "doc.reviewed.tmx").ok
    # accepted only: the unit both pairs' reviewers saw, in all three languages
    export_review(bench, tmp_path / "accepted", accepted_only=True)
    records = [json.loads(line) for line in (tmp_path / "accepted" / "doc.reviewed.multi.jsonl")
               .read_text(encoding="utf-8").splitlines()]
    assert [set(r["text"]) for r in records] == [{"en", "fr", "ru"}]
    bench.close()


def _entry_key(bench: Workbench, doc: str, pivot_term: str) -> str:
    state = bench.glossary(doc)
    for entry, concept in state.exported():
        if any(t.text == pivot_term for t in concept.terms_in("en")):
            return entry.key
    raise AssertionError(f"{pivot_term} not in {doc}")


def _statuses(path: Path) -> dict[str, str]:
    from lxml import etree

    ns = {"t": "urn:iso:std:iso:30042:ed-2"}
    out = {}
    for term_sec in etree.parse(str(path)).iterfind(".//t:termSec", ns):
        status = term_sec.find("t:termNote[@type='administrativeStatus']", ns).text
        out.setdefault(term_sec.find("t:term", ns).text, status)
    return out


def test_pair_decisions_reach_the_exported_multilingual_glossary(tmp_path: Path,
                                                                schemas_dir: Path) -> None:
    """The multilingual TBX (NAME.tbx: concepts found in two pairs or more)
    had no reviewed version: the export wrote each pair's NAME.PIVOT-X.reviewed.tbx
    only, so a terminologist's decisions never reached the glossary in every
    language. The export now joins the reviewed pairs' concepts as the build
    joins the built ones: a term accepted in every pair is preferred in every
    language, a corrected term is the correction, and a concept rejected in a
    pair loses that pair's language (here it is left in one pair: out)."""
    out = _build_three(tmp_path)
    built = _statuses(out / "doc.tbx")
    assert {"Secretary-General", "report", "General Assembly"} <= set(built)
    bench = Workbench(out, "ann")
    for pair in ("doc.en-fr", "doc.en-ru"):
        bench.edit_term(pair, "status", {"concept": _entry_key(bench, pair, "Secretary-General"),
                                         "status": "accepted"}, None)
    key = _entry_key(bench, "doc.en-fr", "General Assembly")
    bench.edit_term("doc.en-fr", "edit", {"concept": key, "lang": "fr",
                                          "text": "Assemblée générale des Nations Unies"}, None)
    bench.edit_term("doc.en-fr", "status", {"concept": _entry_key(bench, "doc.en-fr", "report"),
                                            "status": "rejected"}, None)
    target = tmp_path / "reviewed"
    export_review(bench, target)
    bench.close()
    reviewed = _statuses(target / "doc.reviewed.tbx")
    assert reviewed["Secretary-General"] == "preferredTerm-admn-sts"
    assert reviewed["Secrétaire général"] == "preferredTerm-admn-sts"
    assert reviewed["Генеральный секретарь"] == "preferredTerm-admn-sts"
    assert "Assemblée générale des Nations Unies" in reviewed
    assert "report" not in reviewed and "доклад" not in reviewed
    from bitext.glossary.tbx import validate_tbx

    assert validate_tbx(target / "doc.reviewed.tbx", schemas_dir) == []


def _correct_pivot(bench: Workbench, doc: str, n: int, text: str) -> None:
    """Correct the pivot (English) sentence of the pair's link ``n``."""
    state = bench.alignment(doc)
    link = state.links[n]
    left, right = state.langs
    side = left if left.startswith("en") else right
    ids = link.left if side == left else link.right
    bench.edit_link(doc, "text", {"link": link.key, "side": side,
                                  "sentence": state.keys[side][ids[0]], "text": text}, None)


def _joined_pivot(path: Path) -> list[str]:
    """The pivot text of each unit of a joined NAME.multi.jsonl."""
    return [json.loads(line)["text"]["en"]
            for line in path.read_text(encoding="utf-8").splitlines()]


def test_a_pivot_sentence_corrected_in_one_pair_reaches_the_joined_memory(
        multi_out: Path, tmp_path: Path) -> None:
    """A terminologist corrected an English sentence while reviewing en-fr; the
    joined memory took the English of the pair joined last (en-ru), which still
    held the build's text: the correction was lost without a word (session 23)."""
    bench = Workbench(multi_out, "ann")
    _correct_pivot(bench, "doc.en-fr", 1, "A corrected English sentence.")
    export_review(bench, tmp_path / "reviewed")
    joined = _joined_pivot(tmp_path / "reviewed" / "doc.reviewed.multi.jsonl")
    assert any("A corrected English sentence." in text for text in joined)
    assert "A corrected English sentence." in (
        tmp_path / "reviewed" / "doc.reviewed.tmx").read_text(encoding="utf-8")
    bench.close()


def test_a_pivot_sentence_corrected_differently_in_two_pairs_is_reported(
        multi_out: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """Two pairs' reviews correcting one English sentence two ways: the joined
    memory took the pair joined last, silently. The export now keeps the
    correction made last and says which sentence, which pairs and what it kept."""
    import logging

    bench = Workbench(multi_out, "ann")
    _correct_pivot(bench, "doc.en-ru", 1, "The Russian reviewer's English.")
    _correct_pivot(bench, "doc.en-fr", 1, "The French reviewer's English.")
    with caplog.at_level(logging.WARNING, logger="bitext.review.export"):
        export_review(bench, tmp_path / "reviewed")
    joined = _joined_pivot(tmp_path / "reviewed" / "doc.reviewed.multi.jsonl")
    assert any("The French reviewer's English." in text for text in joined)
    assert not any("The Russian reviewer's English." in text for text in joined)
    warned = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warned) == 1, warned
    assert "en-fr" in warned[0] and "en-ru" in warned[0]
    assert "The French reviewer's English." in warned[0]
    assert "The Russian reviewer's English." in warned[0]
    bench.close()


def test_the_reviewed_joined_memory_says_each_pairs_status(multi_out: Path,
                                                          tmp_path: Path) -> None:
    """The reviewed joined memory carried no decision: a pair's reviewed TMX has
    x-status, NAME.reviewed.tmx had none (session 23). Each unit now has an
    x-status-PIVOT-OTHER prop per pair (its links' decisions), and a unit's
    low-confidence note leaves out the pairs a reviewer checked."""
    from lxml import etree

    from bitext.tmx.validate import validate_tmx

    bench = Workbench(multi_out, "ann")
    bench.edit_link("doc.en-ru", "accept", {"link": bench.alignment("doc.en-ru").links[0].key},
                    None)
    export_review(bench, tmp_path / "reviewed")
    path = tmp_path / "reviewed" / "doc.reviewed.tmx"
    assert validate_tmx(path).ok
    units = etree.parse(str(path)).getroot().findall("body/tu")
    first = {p.get("type"): p.text for p in units[0].findall("prop")}
    assert first["x-status-en-ru"] == "accepted" and first["x-status-en-fr"] == "unreviewed"
    assert all(tu.find("prop[@type='x-status-en-fr']") is not None for tu in units)
    bench.close()


def test_the_reviewed_jsonl_files_say_each_units_review_status(multi_out: Path,
                                                               tmp_path: Path) -> None:
    """An MT engineer filters training data on the review's decisions: the
    reviewed TMX files have x-status (per pair in the joined memory), but
    NAME.reviewed.multi.jsonl and each pair's NAME.PAIR.reviewed.jsonl had no
    status at all (session 24): the JSONL, the file such a user reads, could not
    tell an accepted unit from an unreviewed one. Each line now has "status"
    (the joined memory: per pair, beside "scores"), and a decided link the
    reviewer and the time, as the TMX's changeid and changedate."""
    from bitext.tmx import read_alignment

    bench = Workbench(multi_out, "ann")
    accepted = bench.alignment("doc.en-ru").links[0]
    bench.edit_link("doc.en-ru", "accept", {"link": accepted.key}, None)
    target = tmp_path / "reviewed"
    export_review(bench, target)
    bench.close()
    joined = [json.loads(line) for line in (target / "doc.reviewed.multi.jsonl")
              .read_text(encoding="utf-8").splitlines()]
    assert joined[0]["status"] == {"en-fr": "unreviewed", "en-ru": "accepted"}
    assert set(joined[0]["status"]) == set(joined[0]["scores"])
    assert all(set(r["status"].values()) == {"unreviewed"} for r in joined[1:])
    pair = target / "doc.en-ru.reviewed.jsonl"
    lines = [json.loads(line) for line in pair.read_text(encoding="utf-8").splitlines()]
    assert lines[0]["status"] == "accepted" and lines[0]["reviewer"] == "ann"
    assert lines[0]["reviewed_at"].endswith("Z") or "+" in lines[0]["reviewed_at"]
    assert {r["status"] for r in lines[1:]} == {"unreviewed"}
    assert all("reviewer" not in r for r in lines[1:])
    # the file still reads back as an alignment (the status is no language)
    again = read_alignment(pair)
    assert {again.src_lang, again.tgt_lang} == {"en", "ru"}
    assert len(again.pairs) == len(lines)


def test_an_accepted_only_export_with_nothing_accepted_says_so(
        multi_out: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """`--accepted-only` before any decision wrote TMX, JSONL and Moses files
    holding no unit, and said nothing (session 25, usertest25): the user finds
    empty files in OmegaT or a training run. The export now warns, with what
    to do; with one link accepted it does not."""
    import logging

    bench = Workbench(multi_out, "ann")
    with caplog.at_level(logging.WARNING, logger="bitext.review.export"):
        export_review(bench, tmp_path / "none", accepted_only=True)
    warned = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warned) == 1 and "no link" in warned[0] and "--accepted-only" in warned[0]
    # The one wording serves the command line and the page: it read 'export
    # without 'accepted only' (--accepted-only on the command line)', which on
    # the command line reads as advice to give the flag (usertest27).
    assert "no link has been accepted yet" in warned[0]
    assert "leave out --accepted-only" in warned[0] and "untick 'accepted only'" in warned[0]
    caplog.clear()
    bench.edit_link("doc.en-ru", "accept", {"link": bench.alignment("doc.en-ru").links[0].key},
                    None)
    with caplog.at_level(logging.WARNING, logger="bitext.review.export"):
        export_review(bench, tmp_path / "one", accepted_only=True)
    assert [r for r in caplog.records if r.levelno == logging.WARNING] == []
    bench.close()


def test_a_joined_glossary_that_is_no_file_is_named_by_the_export(tmp_path: Path) -> None:
    """The build's multilingual NAME.tbx replaced by a named pipe (or a folder):
    the export tested it with is_file() and left the reviewed multilingual TBX
    out without a word. It is one Error naming it, nothing written (reliab24,
    session 27)."""
    import os

    from bitext.errors import BitextError

    out = _build_three(tmp_path)
    (out / "doc.tbx").unlink()
    os.mkfifo(out / "doc.tbx")
    bench = Workbench(out, "ann")
    try:
        with pytest.raises(BitextError, match="named pipe") as err:
            export_review(bench, tmp_path / "reviewed")
    finally:
        bench.close()
    assert "doc.tbx" in str(err.value)
    assert not (tmp_path / "reviewed").exists()
