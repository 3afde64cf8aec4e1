"""bitext.multilingual: pivot choice, the join of pairwise alignments, the
multilingual build (TMX with up to six tuvs, JSONL) from the CLI."""

from __future__ import annotations

import gzip
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from bitext.build import BuildSettings
from bitext.cli import cli
from bitext.errors import ConfigError
from bitext.multilingual import (
    choose_pivot,
    find_language_files,
    find_multilingual,
    join_alignments,
    plan_multilingual,
)
from bitext.tmx.multi import write_multi_jsonl, write_multi_tmx
from bitext.types import AlignedPair, Alignment

MINI = Path(__file__).resolve().parent / "data" / "multi"
PIVOT_SENTS = ["P0.", "P1.", "P2.", "P3.", "P4."]


def _alignment(lang: str, links: list[tuple[tuple[int, ...], tuple[int, ...], float]],
               pivot: str = "en") -> Alignment:
    pairs = tuple(
        AlignedPair(tuple(PIVOT_SENTS[i] for i in s), tuple(f"{lang}{j}." for j in t), score,
                    f"L{s[0]}" if s else "", s, t)
        for s, t, score in links
    )
    return Alignment(pivot, lang, pairs, doc_id="D/1")


def test_pivot_is_the_given_language_else_english_else_the_first() -> None:
    assert choose_pivot(["ar", "en", "fr"]) == "en"
    assert choose_pivot(["ar", "en", "fr"], "fr") == "fr"
    assert choose_pivot(["fr", "ru"]) == "fr"
    with pytest.raises(ConfigError, match="no zh version"):
        choose_pivot(["en", "fr"], "zh")


def test_join_unions_links_of_different_extents() -> None:
    # fr joins pivot 1+2; ru joins pivot 2+3: one unit holds pivot 1-3.
    fr = _alignment("fr", [((0,), (0,), 0.9), ((1, 2), (1,), 0.8), ((3,), (2,), 0.7),
                           ((4,), (3,), 0.95)])
    ru = _alignment("ru", [((0,), (0,), 0.99), ((1,), (1,), 0.6), ((2, 3), (2,), 0.9),
                           ((4,), (3,), 0.9)])
    joined = join_alignments("en", 5, {"fr": fr, "ru": ru}, "D/1")
    assert [u.ids["en"] for u in joined.units] == [(0,), (1, 2, 3), (4,)]
    middle = joined.units[1]
    assert middle.sentences["en"] == ("P1.", "P2.", "P3.")
    assert middle.sentences["fr"] == ("fr1.", "fr2.") and middle.ids["ru"] == (1, 2)
    assert middle.scores == {"en-fr": 0.7, "en-ru": 0.6}  # the weakest link of each pair
    assert middle.label == "L1+L3+L2"
    assert joined.langs == ("en", "fr", "ru")
    # every sentence of every language lands in exactly one unit
    for lang, n in (("en", 5), ("fr", 4), ("ru", 4)):
        assert sorted(k for u in joined.units for k in u.ids.get(lang, ())) == list(range(n))


def test_join_leaves_out_unpivoted_sentences_and_absent_languages() -> None:
    fr = _alignment("fr", [((0,), (0,), 0.9), ((), (1,), 0.3), ((1,), (2,), 0.9)])
    ru = _alignment("ru", [((0,), (), 0.2), ((1,), (0,), 0.9)])
    joined = join_alignments("en", 2, {"fr": fr, "ru": ru})
    assert joined.unpivoted == {"fr": 1}
    assert [u.langs for u in joined.units] == [("en", "fr"), ("en", "fr", "ru")]
    assert joined.units[0].scores == {"en-fr": 0.9, "en-ru": 0.2}


def test_join_wants_the_pivot_as_source() -> None:
    with pytest.raises(ConfigError, match="pivot first"):
        join_alignments("en", 5, {"fr": _alignment("fr", [], pivot="fr")})


def _memory() -> object:
    fr = _alignment("fr", [((0,), (0,), 0.9), ((1, 2), (1,), 0.4), ((3,), (2,), 0.9)])
    zh = _alignment("zh", [((0,), (0,), 0.9), ((1,), (1,), 0.9), ((2,), (2,), 0.9),
                           ((3,), (), 0.1)])
    return join_alignments("en", 4, {"fr": fr, "zh": zh}, "A/70/1 & <x>")


def test_tmx_is_valid_and_min_score_drops_languages(tmp_path: Path) -> None:
    from bitext.tmx.validate import validate_tmx

    memory = _memory()
    path = tmp_path / "m.tmx"
    stats = write_multi_tmx(memory, path, min_score=0.5)  # type: ignore[arg-type]
    assert validate_tmx(path).ok
    text = path.read_text(encoding="utf-8")
    assert 'srclang="en-GB"' in text and "&amp; &lt;x&gt;" in text
    # unit 2 loses fr (0.4), keeps zh; unit 3 keeps fr only (zh is 1-0 there)
    assert stats.written == 3 and stats.below_min_score == 1
    assert text.count('<tuv xml:lang="fr-FR">') == 2 and text.count('xml:lang="zh-CN"') == 2
    assert '<prop type="x-breaks">' in text  # the merged English sentences keep their breaks
    # A multilingual unit has no bead: each language names its pivot ids
    # (x-ids-LANG). The header said 'x-bead-order en-en', which no reader can use.
    assert "x-bead-order" not in text and '<prop type="x-ids-fr">' in text


def test_tmx_valid_against_the_official_dtd(tmp_path: Path, schemas_dir: Path) -> None:
    from lxml import etree

    path = tmp_path / "m.tmx"
    write_multi_tmx(_memory(), path)  # type: ignore[arg-type]
    dtd = etree.DTD(str(schemas_dir / "tmx14.dtd"))
    tree = etree.parse(str(path), etree.XMLParser(load_dtd=False, no_network=True))
    assert dtd.validate(tree), dtd.error_log.filter_from_errors()


def test_a_unit_low_in_a_pair_carries_a_note_naming_it(tmp_path: Path) -> None:
    """The joined memory flagged a unit whose pair scored below 0.5 by props
    alone (x-score, x-score-en-fr), which OmegaT never shows; a pair's TMX now
    gives such a unit a <note> (the Notes pane shows it), and the joined memory
    does too, naming the pairs below 0.5 among the languages the unit holds."""
    from lxml import etree

    from bitext.tmx.validate import validate_tmx

    path = tmp_path / "m.tmx"
    write_multi_tmx(_memory(), path)  # type: ignore[arg-type]
    assert validate_tmx(path).ok
    units = etree.parse(str(path)).getroot().findall("body/tu")
    notes = [[n.text or "" for n in tu.findall("note")] for tu in units]
    # unit 2 (P1 P2) is en-fr 0.40; unit 3 (P3) has no Chinese, so zh's 0.1 is no pair of it
    assert len(notes) == 3 and notes[0] == [] and notes[2] == [], notes
    assert len(notes[1]) == 1 and "en-fr 0.40" in notes[1][0] and "en-zh" not in notes[1][0]


def test_a_reviewed_unit_names_only_the_unchecked_low_pairs() -> None:
    """In a reviewed joined memory, a pair a reviewer accepted is not sent back
    to for checking: the note names the low pairs still unreviewed, and each
    pair's status is a prop."""
    from bitext.multilingual import MultiUnit
    from bitext.tmx.multi import render_multi_tu

    unit = MultiUnit({"en": ("P.",), "fr": ("F.",), "ru": ("R.",)},
                     {"en": (0,), "fr": (0,), "ru": (0,)}, {"en-fr": 0.3, "en-ru": 0.2}, "1")
    codes = {"en": "en-GB", "fr": "fr-FR", "ru": "ru-RU"}
    text = render_multi_tu(unit, dict(unit.sentences), 1, codes, "D", "en",
                           {"en-fr": "accepted", "en-ru": "unreviewed"})
    note = text.split("<note>")[1].split("</note>")[0]
    assert "en-ru 0.20" in note and "en-fr" not in note
    assert '<prop type="x-status-en-fr">accepted</prop>' in text


def test_jsonl_holds_text_per_language_and_scores_per_pair(tmp_path: Path) -> None:
    path = tmp_path / "m.jsonl"
    write_multi_jsonl(_memory(), path)  # type: ignore[arg-type]
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert [r["tuid"] for r in records] == [1, 2, 3]
    assert records[1]["text"] == {"en": "P1. P2.", "fr": "fr1.", "zh": "zh1.zh2."}
    assert records[1]["scores"] == {"en-fr": 0.4, "en-zh": 0.9}
    assert records[1]["ids"] == {"en": [1, 2], "fr": [1], "zh": [1, 2]}
    assert records[1]["label"] == "L1+L2" and records[0]["doc"] == "A/70/1 & <x>"


def test_folder_languages_and_plan_names(tmp_path: Path) -> None:
    assert list(find_language_files(MINI)) == ["ar", "en", "es", "fr", "ru", "zh"]
    doc = find_multilingual(MINI)
    plan = plan_multilingual(doc, tmp_path, BuildSettings(glossary=False), pivot="fr")
    names = {p.name for p in plan.files()}
    assert {"multi.fr-en.sentences.tmx", "multi.fr-zh.zh", "multi.tmx", "multi.multi.jsonl",
            "ar.segments.jsonl"} <= names
    assert len(names) == len(plan.files())  # each language's segments written once


@pytest.mark.parametrize(("langs", "name", "expected", "absent"), [
    (("zh", "en"), "{}.txt", "pair.sentences.tmx", "pair.tmx"),  # today's names, unchanged
    (("ar", "en"), "report.{}.txt", "pair.en-ar.sentences.tmx", "pair.sentences.tmx"),
])
def test_a_two_language_folder(tmp_path: Path, langs: tuple[str, str], name: str,
                               expected: str, absent: str) -> None:
    folder = tmp_path / "pair"
    folder.mkdir()
    for lang in langs:
        shutil.copy(MINI / f"{lang}.txt", folder / name.format(lang))
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["build", str(folder), "-o", str(out), "--no-glossary",
                                      "--encoder", "length"])
    assert result.exit_code == 0, result.output
    assert (out / expected).is_file() and not (out / absent).exists()


def test_a_two_language_pivot_build_writes_its_memory_once(tmp_path: Path) -> None:
    """Two languages other than zh and en make one pair: its files
    (NAME.en-ar.*) are the memory, and a joined NAME.tmx, NAME.multi.jsonl and
    an empty multilingual NAME.tbx would only repeat them (a translator found
    the same memory twice, session 14 and 17)."""
    folder = tmp_path / "pair"
    folder.mkdir()
    for lang in ("ar", "en"):
        shutil.copy(MINI / f"{lang}.txt", folder / f"report.{lang}.txt")
    out = tmp_path / "out"
    result = subprocess.run([sys.executable, "-m", "bitext", "build", str(folder), "-o",
                             str(out), "--encoder", "length"], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    names = {p.name for p in out.iterdir()}
    assert {"pair.en-ar.sentences.tmx", "pair.en-ar.jsonl", "pair.en-ar.tbx"} <= names
    assert not {"pair.tmx", "pair.multi.jsonl", "pair.tbx"} & names
    assert "multilingual" not in result.stderr
    assert "pair.tmx" not in result.stdout
    validated = CliRunner().invoke(cli, ["validate", str(out)])
    assert validated.exit_code == 0, validated.output


def test_bad_pivot_is_one_error_line(tmp_path: Path) -> None:
    folder = tmp_path / "doc"
    folder.mkdir()
    for lang in ("en", "fr", "ru"):
        shutil.copy(MINI / f"{lang}.txt", folder / f"{lang}.txt")
    result = subprocess.run([sys.executable, "-m", "bitext", "build", str(folder), "-o",
                             str(tmp_path / "out"), "--pivot", "zh", "--encoder", "length"],
                            capture_output=True, text=True)
    assert result.returncode == 1
    assert result.stderr.startswith("Error: ") and "no zh version" in result.stderr
    assert len(result.stderr.splitlines()) == 1
    assert not (tmp_path / "out" / "doc.tmx").exists()


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The six-language mini document built with the real encoder, pivot English."""
    out = tmp_path_factory.mktemp("multi") / "out"
    result = CliRunner().invoke(cli, ["build", str(MINI), "-o", str(out), "--no-glossary"])
    assert result.exit_code == 0, result.output
    return out


def test_build_writes_pairs_and_one_six_language_memory(built: Path) -> None:
    from bitext.tmx.validate import validate_tmx

    for lang in ("ar", "es", "fr", "ru", "zh"):
        assert (built / f"multi.en-{lang}.sentences.tmx").is_file()
        assert (built / f"multi.en-{lang}.{lang}").is_file()
    assert validate_tmx(built / "multi.tmx").ok
    records = [json.loads(line)
               for line in (built / "multi.multi.jsonl").read_text(encoding="utf-8").splitlines()]
    # heading + 4 paragraphs: each in all six languages, in reading order
    assert len(records) >= 5
    assert all(set(r["text"]) == {"ar", "en", "es", "fr", "ru", "zh"} for r in records)
    assert records[0]["text"]["fr"] == "Rapport du Secrétaire général"
    assert records[-1]["text"]["zh"] == "请大会注意到本报告。"
    assert all(min(r["scores"].values()) >= 0.5 for r in records)
    # the French sentence that joins two English ones is one unit with both
    joined = [r for r in records if "700 millions" in r["text"]["fr"]]
    assert len(joined) == 1 and "lack it" in joined[0]["text"]["en"]


def test_the_memory_reads_back_as_any_pair(built: Path) -> None:
    from bitext.tmx import read_tmx

    records = [json.loads(line)
               for line in (built / "multi.multi.jsonl").read_text(encoding="utf-8").splitlines()]
    fr_ru = read_tmx(built / "multi.tmx", "fr", "ru")
    assert (fr_ru.src_lang, fr_ru.tgt_lang) == ("fr-FR", "ru-RU")
    assert [p.src_text("fr") for p in fr_ru.pairs] == [r["text"]["fr"] for r in records]
    assert [p.tgt_text("ru") for p in fr_ru.pairs] == [r["text"]["ru"] for r in records]


@pytest.mark.integration
@pytest.mark.skipif(shutil.which("omegat") is None,
                    reason="OmegaT is not installed (apt-get install omegat; .ci/run does it)")
@pytest.mark.parametrize(("source", "target"), [("en", "ar"), ("fr", "ru")])
def test_omegat_pretranslates_from_the_memory(built: Path, source: str, target: str) -> None:
    from bitext.tmx.omegat import check_memory

    records = [json.loads(line)
               for line in (built / "multi.multi.jsonl").read_text(encoding="utf-8").splitlines()]
    codes = {"en": "en-GB", "ar": "ar-SA", "fr": "fr-FR", "ru": "ru-RU"}
    check = check_memory(built / "multi.tmx", [r["text"][source] for r in records],
                         [r["text"][target] for r in records], source_lang=codes[source],
                         target_lang=codes[target])
    # Between two non-pivot languages OmegaT notes that the memory's source
    # language (the pivot) is not the project's, and loads it all the same: the
    # check does not count that note as a problem (omegat.NOT_PROBLEMS).
    assert check.problems == [], check.problems
    assert check.exact == len(records), check.misses[:2]


def test_a_collection_of_multilingual_documents(tmp_path: Path) -> None:
    """A tree of corpus folders in several languages, no --src-lang/--tgt-lang: each
    language is a pair collection with the pivot (its manifest, resume, corpus
    files), a document without one language is absent from that pair only, and
    each document's pairs are joined into one multilingual memory."""
    from bitext.tmx.validate import validate_tmx

    tree = tmp_path / "tree"
    for doc, langs in (("A/1", ("en", "fr", "ru")), ("A/2", ("en", "fr", "ru")),
                       ("B", ("en", "fr"))):
        folder = tree / doc
        folder.mkdir(parents=True)
        for lang in langs:
            shutil.copy(MINI / f"{lang}.txt", folder / f"{lang}.txt")
    out = tmp_path / "out"
    args = ["build", str(tree), "-o", str(out), "--no-glossary", "--encoder", "length",
            "--jobs", "1"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    for pair, docs in (("en-fr", {"A/1", "A/2", "B"}), ("en-ru", {"A/1", "A/2"})):
        ledger = [json.loads(line) for line in
                  (out / pair / "manifest.jsonl").read_text(encoding="utf-8").splitlines()]
        assert {e["id"] for e in ledger} == docs and {e["status"] for e in ledger} == {"ok"}
        assert (out / pair / "corpus.tmx.gz").is_file()
    assert validate_tmx(out / "multilingual" / "A" / "1" / "1.tmx").ok
    records = [json.loads(line) for line in (out / "multilingual" / "A" / "1" / "1.multi.jsonl")
               .read_text(encoding="utf-8").splitlines()]
    assert records[0]["text"]["fr"] == "Rapport du Secrétaire général"
    assert set(records[0]["text"]) == {"en", "fr", "ru"}
    b_records = (out / "multilingual" / "B" / "B.multi.jsonl").read_text(encoding="utf-8")
    assert '"ru"' not in b_records
    # One memory of the whole collection in every language (each pair's
    # corpus.tmx.gz holds two; an MT engineer looked for it, session 18).
    merged = out / "multilingual" / "corpus.tmx.gz"
    assert validate_tmx(merged).ok
    from bitext.tmx import read_tmx

    assert read_tmx(merged, "fr", "ru").pairs  # any two of its languages
    text = gzip.decompress(merged.read_bytes()).decode("utf-8")
    assert set(re.findall(r'"x-document">([^<]+)<', text)) == {"A/1", "A/2", "B"}
    assert text.count("<tu ") == sum(
        len((out / "multilingual" / d / f"{d.rsplit('/', 1)[-1]}.multi.jsonl")
            .read_text(encoding="utf-8").splitlines()) for d in ("A/1", "A/2", "B"))
    assert {'xml:lang="en-GB"', 'xml:lang="fr-FR"', 'xml:lang="ru-RU"'} <= set(
        re.findall(r'xml:lang="[^"]+"', text))
    # The settings that made them, as a single pivot build's memory says:
    # the joined memories are read back from the pairs' JSONL, which has none.
    sig = re.search(r'"x-signature">([^<]+)<', (out / "en-fr" / "A" / "1" / "1.sentences.tmx")
                    .read_text(encoding="utf-8"))
    assert sig is not None
    assert f'"x-signature">{sig.group(1)}<' in text
    assert f'"x-signature">{sig.group(1)}<' in (out / "multilingual" / "A" / "1" / "1.tmx"
                                                ).read_text(encoding="utf-8")
    tuids = re.findall(r'<tu tuid="(\d+)"', text)
    assert tuids == [str(i) for i in range(1, len(tuids) + 1)]
    # The summary counts the units an MT engineer gets (it named documents
    # only, usertest27), on a rerun too, where the memory is kept as it is.
    units = text.count("<tu ")
    assert f"{merged}: {units} units in en, fr, ru" in result.output
    # A rerun has nothing to do: every pair's documents are up to date.
    again = CliRunner().invoke(cli, args)
    assert again.exit_code == 0, again.output
    assert again.output.count("0 built") == 2 or "up to date" in again.output
    assert f"{merged}: {units} units in en, fr, ru" in again.output


def test_a_collection_that_changes_layout_says_what_it_leaves(tmp_path: Path) -> None:
    """A zh-en collection writes OUT/<id>/ and OUT/manifest.jsonl; once its tree
    holds a third language, a rerun into the same OUT writes OUT/en-zh/<id>/ ...
    and left the first layout beside it without a word (its corpus files stale,
    every document twice in bitext review OUT). It now warns, both ways."""
    tree = tmp_path / "tree"
    for lang in ("en", "zh"):
        (tree / "A").mkdir(parents=True, exist_ok=True)
        shutil.copy(MINI / f"{lang}.txt", tree / "A" / f"{lang}.txt")
    out = tmp_path / "out"
    args = [sys.executable, "-m", "bitext", "build", str(tree), "-o", str(out), "--no-glossary",
            "--encoder", "length", "--jobs", "1"]
    first = subprocess.run(args, capture_output=True, text=True)
    assert first.returncode == 0, first.stderr
    assert "earlier run" not in first.stderr
    for lang in ("en", "fr", "ru"):
        (tree / "B").mkdir(exist_ok=True)
        shutil.copy(MINI / f"{lang}.txt", tree / "B" / f"{lang}.txt")
    second = subprocess.run(args, capture_output=True, text=True)
    assert second.returncode == 0, second.stderr
    assert "WARNING" in second.stderr and "earlier run" in second.stderr, second.stderr
    assert "manifest.jsonl" in second.stderr
    shutil.rmtree(tree / "B")
    third = subprocess.run(args, capture_output=True, text=True)
    assert third.returncode == 0, third.stderr
    assert "earlier run" in third.stderr and "en-zh" in third.stderr, third.stderr


def test_a_pivot_build_records_its_outputs(tmp_path: Path) -> None:
    """A folder of three languages (built through the pivot) wrote its files
    but no OUT/.bitext-outputs.json, unlike a two-language build: bitext
    validate OUT/ said 'no record', and a file changed since went unseen."""
    folder = tmp_path / "doc"
    folder.mkdir()
    for lang in ("en", "fr", "ru"):
        shutil.copy(MINI / f"{lang}.txt", folder / f"{lang}.txt")
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["build", str(folder), "-o", str(out), "--no-glossary",
                                      "--encoder", "length"])
    assert result.exit_code == 0, result.output
    record = json.loads((out / ".bitext-outputs.json").read_text(encoding="utf-8"))
    assert {"doc.tmx", "doc.multi.jsonl", "doc.en-fr.sentences.tmx", "ru.segments.jsonl"
            } <= set(record["files"])
    assert CliRunner().invoke(cli, ["validate", str(out)]).exit_code == 0
    (out / "doc.multi.jsonl").write_text("{}\n", encoding="utf-8")
    changed = CliRunner().invoke(cli, ["validate", str(out)])
    assert changed.exit_code == 1 and "doc.multi.jsonl" in changed.output


def test_a_multilingual_collection_records_the_joined_memories(tmp_path: Path) -> None:
    """The joined memories of a collection (OUT/multilingual/<id>/) had no record:
    bitext validate OUT/ checked every pair's documents and not them."""
    tree = tmp_path / "tree"
    for lang in ("en", "fr", "ru"):
        (tree / "A").mkdir(parents=True, exist_ok=True)
        shutil.copy(MINI / f"{lang}.txt", tree / "A" / f"{lang}.txt")
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["build", str(tree), "-o", str(out), "--no-glossary",
                                      "--encoder", "length", "--jobs", "1", "--no-corpus"])
    assert result.exit_code == 0, result.output
    joined = out / "multilingual" / "A"
    record = json.loads((joined / ".bitext-outputs.json").read_text(encoding="utf-8"))
    assert set(record["files"]) == {"A.tmx", "A.multi.jsonl"}
    (joined / "A.tmx").write_text("", encoding="utf-8")
    changed = CliRunner().invoke(cli, ["validate", str(out)])
    assert changed.exit_code == 1 and "A.tmx" in changed.output


def test_a_file_where_the_joined_memories_go_is_refused_before_any_build(
        tmp_path: Path) -> None:
    """OUT/multilingual a file: every pair was built, then the join failed with
    'OUT/multilingual/A: Not a directory; check the file and the disk'."""
    tree = tmp_path / "tree"
    (tree / "A").mkdir(parents=True)
    for lang in ("en", "fr", "ru"):
        shutil.copy(MINI / f"{lang}.txt", tree / "A" / f"{lang}.txt")
    out = tmp_path / "out"
    out.mkdir()
    (out / "multilingual").write_text("mine\n", encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "bitext", "build", str(tree), "-o", str(out),
                             "--no-glossary", "--encoder", "length", "--jobs", "1"],
                            capture_output=True, text=True)
    assert result.returncode == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error: ")]
    assert len(errors) == 1 and "multilingual" in errors[0] and "not a folder" in errors[0], \
        result.stderr
    assert not (out / "en-fr").exists()
    assert (out / "multilingual").read_text(encoding="utf-8") == "mine\n"


@pytest.mark.parametrize("langs", [("en", "fr", "ru"), ("en", "fr")], ids=["pivot", "pair"])
def test_a_rerun_with_no_corpus_keeps_a_corpus_that_still_matches(
        tmp_path: Path, langs: tuple[str, ...]) -> None:
    """A --no-corpus rerun of an unchanged collection removed its corpus files,
    which still matched every document: an MT engineer who adds --no-corpus to
    skip the corpus step of this run lost the corpus of the last one. Files whose
    stamp matches this run's documents and settings stay, byte for byte (the
    collection memory with the pairs' corpora); only a stale corpus goes."""
    tree = tmp_path / "tree"
    for lang in langs:
        (tree / "A").mkdir(parents=True, exist_ok=True)
        shutil.copy(MINI / f"{lang}.txt", tree / "A" / f"{lang}.txt")
    out = tmp_path / "out"
    args = ["build", str(tree), "-o", str(out), "--no-glossary", "--encoder", "length",
            "--jobs", "1"]
    assert CliRunner().invoke(cli, [*args, "--filter", "default", "--gzip"]).exit_code == 0
    pairs = [out / f"en-{x}" for x in langs[1:]] if len(langs) > 2 else [out]
    made = [p for folder in pairs for p in folder.glob("corpus.*")]
    if len(langs) > 2:
        made.append(out / "multilingual" / "corpus.tmx.gz")
    before = {p: p.read_bytes() for p in made}
    assert len(made) > 5
    result = CliRunner().invoke(cli, [*args, "--no-corpus"])
    assert result.exit_code == 0, result.output
    assert {p: p.read_bytes() for p in made if p.exists()} == before
    assert "removed" not in result.output


@pytest.mark.parametrize("langs", [("en", "fr", "ru"), ("en", "fr")], ids=["pivot", "pair"])
def test_a_rerun_with_no_corpus_leaves_no_corpus_of_an_earlier_run(
        tmp_path: Path, langs: tuple[str, ...]) -> None:
    """A collection rebuilt with --no-corpus (here after a document was added)
    left the corpus files of the run before, OUT/multilingual/corpus.tmx.gz and
    each pair's corpus.*: a corpus that no longer matches the documents, taken
    for this run's. They go (those the earlier run recorded, and nothing else);
    a run without --no-corpus makes them again from the built documents."""
    tree = tmp_path / "tree"
    for lang in langs:
        (tree / "A").mkdir(parents=True, exist_ok=True)
        shutil.copy(MINI / f"{lang}.txt", tree / "A" / f"{lang}.txt")
    out = tmp_path / "out"
    args = ["build", str(tree), "-o", str(out), "--no-glossary", "--encoder", "length",
            "--jobs", "1"]
    assert CliRunner().invoke(cli, args).exit_code == 0
    pairs = [out / f"en-{x}" for x in langs[1:]] if len(langs) > 2 else [out]
    made = [p for folder in pairs for p in folder.glob("corpus.*")]
    if len(langs) > 2:
        made.append(out / "multilingual" / "corpus.tmx.gz")
    assert all(p.is_file() for p in made) and len(made) > 5
    mine = pairs[0] / "corpus.notes.txt"  # not bitext's: stays
    mine.write_text("mine\n", encoding="utf-8")
    for lang in langs:
        (tree / "B").mkdir(parents=True, exist_ok=True)
        shutil.copy(MINI / f"{lang}.txt", tree / "B" / f"{lang}.txt")
    result = CliRunner().invoke(cli, [*args, "--no-corpus"])
    assert result.exit_code == 0, result.output
    assert [p for p in made if p.exists()] == [] and mine.is_file()
    assert (out / ("en-fr" if len(langs) > 2 else "") / "B").is_dir()


def test_an_unchanged_rerun_leaves_the_joined_memories_untouched(tmp_path: Path) -> None:
    """A rerun of an unchanged six-language collection skipped every pair's
    documents but joined and wrote OUT/multilingual/ again (session 22's MT
    team: every NAME.tmx, NAME.multi.jsonl and corpus.tmx.gz got new bytes, a
    new creation date, and a new mtime, so a sync or a make rule redid its
    work). Now an unchanged document's joined files stay as they were, byte
    and mtime; a document whose input changed is joined again, and the
    collection memory with it."""
    tree = tmp_path / "tree"
    for doc in ("A", "B"):
        for lang in ("en", "fr", "ru"):
            (tree / doc).mkdir(parents=True, exist_ok=True)
            shutil.copy(MINI / f"{lang}.txt", tree / doc / f"{lang}.txt")
    out = tmp_path / "out"
    args = ["build", str(tree), "-o", str(out), "--no-glossary", "--encoder", "length",
            "--jobs", "1"]
    assert CliRunner().invoke(cli, args).exit_code == 0
    joined = out / "multilingual"

    def state() -> dict[str, tuple[bytes, int]]:
        return {p.relative_to(joined).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
                for p in sorted(joined.rglob("*")) if p.is_file()}

    before = state()
    assert {"A/A.tmx", "A/A.multi.jsonl", "B/B.tmx", "corpus.tmx.gz"} <= set(before)
    again = CliRunner().invoke(cli, args)
    assert again.exit_code == 0, again.output
    assert state() == before
    assert "2 document(s) up to date" in again.output, again.output
    # B's French changes: B is joined again, A stays as it was
    # the sentence joins the last paragraph: a line of its own would be a
    # paragraph the other languages lack (84236f9), a 1-0 link outside the memory
    text = (MINI / "fr.txt").read_text(encoding="utf-8").rstrip("\n")
    (tree / "B" / "fr.txt").write_text(text + " Une phrase de plus.\n", encoding="utf-8")
    changed = CliRunner().invoke(cli, args)
    assert changed.exit_code == 0, changed.output
    after = state()
    assert all(after[k] == before[k] for k in before if k.startswith("A/"))
    assert after["B/B.multi.jsonl"] != before["B/B.multi.jsonl"]
    assert after["corpus.tmx.gz"][1] != before["corpus.tmx.gz"][1]
    assert "Une phrase de plus." in gzip.decompress(after["corpus.tmx.gz"][0]).decode()


def test_a_collection_document_without_a_symbol_is_named_by_its_id(tmp_path: Path) -> None:
    """A collection's document whose text names no symbol was named in its own
    files by its folder's last part: OUT/en-fr/2015/e/2015/52/52.sentences.tmx
    said x-document 52 (so did E/2015/52's and S/2015/52's memories, which a
    translator loads side by side), while corpus.tmx.gz and the joined memory
    said 2015/e/2015/52. Now every file names it by its collection id."""
    tree = tmp_path / "tree"
    for doc in ("2015/e/2015/52", "2015/s/2015/52"):
        for lang in ("en", "fr"):
            (tree / doc).mkdir(parents=True, exist_ok=True)
            text = (MINI / f"{lang}.txt").read_text(encoding="utf-8")
            (tree / doc / f"{lang}.txt").write_text(text.split("\n", 2)[2], encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["build", str(tree), "-o", str(out), "--no-glossary",
                                      "--encoder", "length", "--jobs", "1"])
    assert result.exit_code == 0, result.output
    for doc in ("2015/e/2015/52", "2015/s/2015/52"):
        tmx = (out / doc / "52.sentences.tmx").read_text(encoding="utf-8")
        assert set(re.findall(r'"x-document">([^<]+)<', tmx)) == {doc}
        first = json.loads((out / doc / "52.jsonl").read_text(encoding="utf-8").splitlines()[0])
        assert first["doc"] == doc


def test_a_two_language_collection_fails_a_document_missing_one(tmp_path: Path) -> None:
    """A collection of two languages other than zh and en (fr, en) left a folder
    holding English only out of the build without a word ('1 documents: 1
    built', exit 0), where a zh-en collection fails it with the file to add:
    any two languages make one pair as zh and en do (README, Collections). The
    document fails with its Error; the other is built (reliab24, session 27)."""
    tree = tmp_path / "tree"
    for folder, langs in (("a", ("en", "fr")), ("b", ("en",))):
        (tree / folder).mkdir(parents=True)
        for lang in langs:
            shutil.copy(MINI / f"{lang}.txt", tree / folder / f"{lang}.txt")
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["build", str(tree), "-o", str(out), "--no-glossary",
                                      "--encoder", "length", "--jobs", "1", "--no-corpus"])
    assert result.exit_code == 1, result.output
    assert "2 documents: 1 built, 0 up to date, 1 failed" in result.output, result.output
    ledger = [json.loads(line) for line in
              (out / "manifest.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [e["id"] for e in ledger if e["status"] == "failed"] == ["b"], ledger
    assert "no fr document found" in next(e["error"] for e in ledger if e["id"] == "b")
    assert any((out / "a").glob("*.sentences.tmx"))
