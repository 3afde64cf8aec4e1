"""Corpus filters (score, then threshold) and the corpus-level files of a collection."""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
from pathlib import Path

import pytest

from bitext.errors import ConfigError
from bitext.filters import FilterReport, build_filters, filter_pairs, parse_filters
from bitext.tmx.base import DocPair
from bitext.types import AlignedPair


def pair(zh: str, en: str, score: float = 0.9) -> DocPair:
    return DocPair("d", AlignedPair((zh,) if zh else (), (en,) if en else (), score))


PAIRS = [
    pair("委员会通过了决议草案。", "The Committee adopted the draft resolution."),  # kept
    pair("委员会通过了决议草案。", "The Committee adopted the draft resolution."),  # dedupe
    pair("委员会通过了决议草案2。", "the committee adopted the draft resolution 2"),  # near
    pair("大会。", "The General Assembly decided to defer consideration of the item to its "
         "seventy-first session and to include it in the provisional agenda."),  # ratio
    pair("秘书长的报告", "", 0.0),  # empty
    pair("秘书长提交了报告。", "The Secretary-General submitted the report.", 0.2),  # confidence
    pair("The report was submitted.", "The report was submitted by the Secretary-General."),
    pair("A/70/1", "A/70/1"),  # identical
    pair("安全理事会审议了局势。", "The Security Council considered the situation."),  # kept
]


def test_each_filter_reports_what_it_removed() -> None:
    filters = build_filters(["dedupe", "identical", "default"], "zh", "en",
                            lambda: (p.pair for p in PAIRS))
    report = FilterReport()
    kept = list(filter_pairs(PAIRS, filters, report))
    assert [k.pair.tgt[0][:14] for k in kept] == ["The Committee ", "The Security C"]
    assert report.seen == 9 and report.kept == 2
    assert report.removed == {"empty": 1, "min-confidence": 1, "length-ratio": 1, "langid": 1,
                              "identical": 1, "near-dedupe": 1, "dedupe": 1}


def test_the_filter_summary_counts_links_as_the_build_and_readme_do() -> None:
    """`bitext build --filter` says 'corpus: 535 of 538 links' and the README's
    filters 'remove links'; `bitext filter` over the same files said 'kept 535 of
    538 pairs', which a reader takes for another count (session 24, 50 UNPC
    documents)."""
    report = FilterReport(seen=538, kept=535, removed={"min-confidence": 3})
    assert report.summary() == "filters kept 535 of 538 links; removed: min-confidence 3"


def test_langid_of_one_script_rejects_on_evidence_only() -> None:
    """en-fr: a side is removed when another language's stop words outnumber its
    own, not when it has none (a heading, a date, a short sentence): the detector
    used to name English for every Latin text without stop words, and removed a
    fifth of a French collection's good links (helper usertest14's build)."""
    def fr(en: str, fr_text: str) -> DocPair:
        return DocPair("d", AlignedPair((en,), (fr_text,), 0.9))

    links = [
        fr("Annual report", "Rapport annuel"),  # kept: no stop words either side
        fr("The meeting was postponed.", "La réunion a été reportée."),  # kept
        fr("4 June 2015", "4 juin 2015"),  # kept
        fr("The meeting was postponed.", "The meeting was postponed by the Chair."),  # English
        fr("The report is in the annex.", "El informe figura en el anexo del documento."),
        fr("Le rapport est publié dans le document.", "Le rapport est publié."),  # French
    ]
    (langid,) = build_filters(["langid"], "en", "fr", lambda: (p.pair for p in links))
    report = FilterReport()
    kept = list(filter_pairs(links, [langid], report))
    assert [k.pair.tgt[0] for k in kept] == ["Rapport annuel", "La réunion a été reportée.",
                                             "4 juin 2015"]
    assert report.removed == {"langid": 3}


def test_langid_judges_a_side_on_the_words_it_does_not_share_with_the_other() -> None:
    """A correct zh-en link whose Chinese side carries the English side's names,
    an address or a title in Latin letters was removed as 'not Chinese' (13 of
    the UN test set's 4,000 en-zh gold pairs, usertest27); words both sides
    write alike say nothing about either side's language. A side that copies
    part of the other (an untranslated sentence) is still judged on all its
    letters, and a side identical to the other is left to ``identical``."""
    links = [
        pair("Maria Kowalczyk-Nowak女士和Jan Novak先生", "Ms. Maria Kowalczyk-Nowak and "
             "Mr. Jan Novak"),  # kept: the Latin words are the English side's
        pair("联系人：j.doe@example.org", "Contact: j.doe@example.org"),  # kept
        pair("见Annual Review of Example Studies, 第3卷。", "See Annual Review of Example "
             "Studies, vol. 3."),  # kept: a title copied, Chinese around it
        pair("Pieter van Dam", "Pieter van Dam"),  # left to identical
        pair("The report was submitted.", "The report was submitted by the Chair."),  # English
        pair("The report was submitted on time.", "报告已按时提交。"),  # both sides swapped
    ]
    (langid,) = build_filters(["langid"], "zh", "en", lambda: (p.pair for p in links))
    report = FilterReport()
    kept = list(filter_pairs(links, [langid], report))
    assert [k.pair.tgt[0][:12] for k in kept] == ["Ms. Maria Ko", "Contact: j.d", "See Annual R",
                                                  "Pieter van D"]
    assert report.removed == {"langid": 2}


def test_scores_are_separate_from_thresholds() -> None:
    (ratio,) = build_filters(["length-ratio=2"], "zh", "en", lambda: (p.pair for p in PAIRS))
    score = ratio.score(PAIRS[3].pair)
    assert score > 2 and not ratio.accept(score)
    assert ratio.accept(ratio.score(PAIRS[0].pair))


@pytest.mark.parametrize(("spec", "message"), [
    ("bogus", "unknown filter"), ("langid=3", "takes no value"),
    ("min-confidence=x", "not a number"), ("length-ratio=-1", "positive"),
    # '=' and no value was taken for the default (0.5) without a word
    ("min-confidence=", "no value after '='"), ("length-ratio= ", "no value after '='"),
    ("langid=", "takes no value"),
])
def test_bad_specs(spec: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        parse_filters([spec])


def test_parse_expands_default_and_last_value_wins() -> None:
    assert parse_filters(["default", "min-confidence=0.7"])[-1] == "min-confidence=0.7"
    assert len(parse_filters(["default", "min-confidence=0.7"])) == 6


def test_collection_corpus_files_and_filter_command(tmp_path: Path) -> None:
    sys.path.insert(0, str(Path(__file__).parent))
    from test_batch import make_doc

    tree = tmp_path / "tree"
    make_doc(tree / "a", 3)
    make_doc(tree / "b", 4)
    out = tmp_path / "out"
    cmd = [sys.executable, "-m", "bitext", "build", str(tree), "-o", str(out), "--encoder",
           "length", "--no-glossary", "--jobs", "1", "--gzip", "--shard-size", "5",
           "--filter", "empty,min-confidence=0.1"]
    res = subprocess.run(cmd, capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
    shards = sorted(out.glob("corpus.*.jsonl.gz"))
    rows = [json.loads(line) for s in shards
            for line in gzip.decompress(s.read_bytes()).decode().splitlines()]
    assert len(shards) == -(-len(rows) // 5) and {r["doc"] for r in rows} == {"a", "b"}
    assert all(r["para"] for r in rows)
    en = (out / "corpus.en").read_text(encoding="utf-8").splitlines()
    assert len(en) == len(rows) == len((out / "corpus.zh").read_text().splitlines())
    assert b"<tu " in gzip.decompress((out / "corpus.tmx.gz").read_bytes())
    report = json.loads((out / "corpus.filters.json").read_text())
    assert report["seen"] == report["kept"] + sum(report["removed"].values())
    again = subprocess.run(cmd, capture_output=True, text=True)
    assert "up to date" in again.stderr

    filtered = tmp_path / "f.jsonl"
    res = subprocess.run([sys.executable, "-m", "bitext", "filter", *map(str, shards), "-o",
                          str(filtered), "--filter", "near-dedupe"], capture_output=True,
                         text=True)
    assert res.returncode == 0, res.stderr
    assert "removed: near-dedupe" in res.stderr
    assert 0 < len(filtered.read_text().splitlines()) < len(rows)


LINKS = "".join(json.dumps({"zh": [f"第{i}段。"], "en": [f"Paragraph {i}."], "score": 0.9},
                           ensure_ascii=False) + "\n" for i in range(1, 5))


def test_filter_reads_stdin(tmp_path: Path) -> None:
    # '-' is stdin (STYLE); the command reads its input twice (languages and the
    # median ratio first), which a stream cannot be: every link must still come out.
    res = subprocess.run([sys.executable, "-m", "bitext", "filter", "-", "--filter", "empty"],
                         input=LINKS, capture_output=True, text=True, cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    assert res.stdout == LINKS


@pytest.mark.skipif(sys.platform == "win32", reason="named pipes")
def test_filter_reads_a_named_pipe_once(tmp_path: Path) -> None:
    # A FIFO (`bitext filter <(zcat x.jsonl.gz)`) read a second time is empty: the
    # filtered output was silently empty before.
    import os
    import threading

    fifo = tmp_path / "links.jsonl"
    os.mkfifo(fifo)

    def feed() -> None:
        with open(fifo, "w", encoding="utf-8") as fh:
            fh.write(LINKS)

    writer = threading.Thread(target=feed, daemon=True)
    writer.start()
    res = subprocess.run([sys.executable, "-m", "bitext", "filter", str(fifo), "--filter",
                          "empty"], capture_output=True, text=True, timeout=60)
    writer.join(5)
    assert res.returncode == 0, res.stderr
    assert res.stdout == LINKS


@pytest.mark.parametrize("sentences", [[None], [1, 2], [{"text": "A."}], [["A."]]])
def test_a_sentence_that_is_not_text_is_one_error(tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str],
                                                  sentences: list[object]) -> None:
    """A link whose sentence list holds a null, a number or an object was filtered
    as the text 'None', '1' or "{'text': 'A.'}" (kept, or removed by a filter
    that judged that text), exit 0."""
    from bitext.cli import main

    links = tmp_path / "links.jsonl"
    bad = json.dumps({"zh": ["第二段。"], "en": sentences, "score": 0.9})
    links.write_text(LINKS + bad + "\n", encoding="utf-8")
    with pytest.raises(SystemExit) as exc:
        main(["filter", str(links), "-o", str(tmp_path / "out.jsonl"), "--filter", "empty"])
    assert exc.value.code == 1
    err = capsys.readouterr().err
    assert err == f"Error: {links}:5: 'en' must be a list of sentences (strings)\n", err
    assert not (tmp_path / "out.jsonl").exists()


@pytest.mark.parametrize("score", ["1e999", "-1e999", "1.5", "-0.2", "NaN"])
def test_a_score_that_is_no_probability_is_one_error(tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str],
                                                    score: str) -> None:
    """A link's score is a probability in [0, 1]. A JSONL score of 1e999 (read
    as infinity), 1.5 or NaN passed every min-confidence threshold (or none),
    kept or dropped without a word, exit 0."""
    from bitext.cli import main

    links = tmp_path / "links.jsonl"
    bad = '{"zh": ["第二段。"], "en": ["Paragraph two."], "score": ' + score + "}"
    links.write_text(LINKS + bad + "\n", encoding="utf-8")
    with pytest.raises(SystemExit) as exc:
        main(["filter", str(links), "-o", str(tmp_path / "out.jsonl"), "--filter",
              "min-confidence=0.5"])
    assert exc.value.code == 1
    err = capsys.readouterr().err
    assert err.startswith(f"Error: {links}:5: score "), err
    assert "between 0 and 1" in err and err.count("\n") == 1, err
    assert not (tmp_path / "out.jsonl").exists()


def test_a_file_of_another_language_pair_is_one_error(tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    """The languages come from the first line; a later file of another pair
    (``bitext filter out/en-fr/corpus.*.jsonl out/en-zh/corpus.*.jsonl``) had no
    such sides, and each of its links was counted as 'empty' and dropped, exit 0."""
    from bitext.cli import main

    fr = tmp_path / "en-fr.jsonl"
    fr.write_text(json.dumps({"en": ["The meeting opened."], "fr": ["La séance est ouverte."],
                              "score": 0.9}) + "\n", encoding="utf-8")
    zh = tmp_path / "en-zh.jsonl"
    zh.write_text(LINKS, encoding="utf-8")
    with pytest.raises(SystemExit) as exc:
        main(["filter", str(fr), str(zh), "-o", str(tmp_path / "out.jsonl"), "--filter", "empty"])
    assert exc.value.code == 1
    err = capsys.readouterr().err
    assert err.startswith(f"Error: {zh}:1: no 'fr' side"), err
    assert "one language pair at a time" in err and err.count("\n") == 1
    assert not (tmp_path / "out.jsonl").exists()


@pytest.mark.parametrize(("spec", "message"), [
    # a link's score is a probability: above 1 every link was removed, exit 0
    ("min-confidence=1.5", "min-confidence: the value must be above 0 and at most 1"),
    # how many times off the median ratio (1 = on it): below 1 every link is off
    ("length-ratio=0.5", "length-ratio: the value must be at least 1"),
])
def test_a_filter_value_that_removes_every_link_is_an_error(spec: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        parse_filters([spec])
    assert parse_filters(["min-confidence=1", "length-ratio=1"]) == [
        "min-confidence=1", "length-ratio=1"]


def test_the_segments_keys_refused_as_links_are_those_segment_writes() -> None:
    """refuse_non_links knows a segments line by unit_record's keys: a change to
    the record must not leave the check looking for keys no file holds."""
    from bitext.ingest.document import unit_record
    from bitext.ingest.structure import Unit
    from bitext.tmx.corpus import SEGMENT_KEYS

    record = unit_record(Unit(kind="paragraph", label="p1", text="A.", sentences=("A.",)))
    assert record.keys() >= SEGMENT_KEYS


def test_the_multilingual_keys_refused_as_links_are_those_multi_record_writes() -> None:
    """refuse_non_links knows a multilingual memory's line by multi_record's keys."""
    from bitext.multilingual import MultiUnit
    from bitext.tmx.base import ExportStats
    from bitext.tmx.corpus import MULTI_KEYS
    from bitext.tmx.multi import multi_record

    unit = MultiUnit(sentences={"en": ("A.",), "fr": ("B.",)}, ids={"en": (0,), "fr": (0,)},
                     scores={"en-fr": 0.9}, label="p1")
    record = multi_record(unit, 1, "d", ExportStats(path="x", format="jsonl"))
    assert record is not None and record.keys() >= MULTI_KEYS
    assert isinstance(record["text"], dict)


def test_filter_writes_what_it_removed_and_why(tmp_path: Path) -> None:
    """An MT engineer saw 'langid 6' in an en-ru collection's counts and had no way
    to see which six pairs (the collection's corpus keeps only what passed):
    --removed writes every removed line, unchanged but for the name of the filter
    that removed it, so kept + removed is the input."""
    lines = [json.dumps({"en": [en] if en else [], "ru": [ru] if ru else [], "score": s},
                        ensure_ascii=False)
             for en, ru, s in [("The Council met.", "Совет собрался.", 0.9),
                               ("Annex", "", 0.0),
                               ("The report was adopted.", "Доклад был принят.", 0.2),
                               ("The Council met.", "Совет собрался.", 0.9)]]
    src = tmp_path / "links.jsonl"
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    res = subprocess.run([sys.executable, "-m", "bitext", "filter", str(src), "--filter",
                          "empty,min-confidence,dedupe", "-o", str(tmp_path / "kept.jsonl"),
                          "--removed", str(tmp_path / "removed.jsonl")],
                         capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
    assert (tmp_path / "kept.jsonl").read_text(encoding="utf-8") == lines[0] + "\n"
    removed = [json.loads(x) for x in
               (tmp_path / "removed.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [r.pop("filter") for r in removed] == ["empty", "min-confidence", "dedupe"]
    assert removed == [json.loads(x) for x in lines[1:]]
    same = subprocess.run([sys.executable, "-m", "bitext", "filter", str(src), "-o",
                           str(tmp_path / "k.jsonl"), "--removed", str(src)],
                          capture_output=True, text=True)
    assert same.returncode == 1 and same.stderr.count("Error:") == 1
    assert src.read_text(encoding="utf-8") == "\n".join(lines) + "\n"


def test_length_ratio_weighs_latin_text_in_a_chinese_side_as_in_english() -> None:
    """The default length-ratio measured characters: a Chinese character carries
    what three or four English letters do, so the typical zh/en ratio is about
    1/3, and a correct link whose Chinese side is mostly Latin (a name, an
    e-mail address, a web address, a date in figures) sat three times off it
    and was removed: 5 of the bundled corpus's 144 links (its 'Available from
    www...' notes), 24 of the UN test set's 4,000 en-zh gold pairs against 4
    in UTF-8 bytes (usertest26). In UTF-8 a Han character counts 3 and a Latin
    letter 1, so the copied Latin text weighs on both sides what it weighs in
    English; a side a third of its usual length is still removed."""
    links = [pair("委员会通过了决议草案。", "The Committee adopted the draft resolution."),
             pair("安全理事会审议了局势。", "The Security Council considered the situation."),
             pair("秘书长提交了报告。", "The Secretary-General submitted the report."),
             pair("会议于上午十时开幕。", "The meeting was called to order at 10 a.m."),
             pair("大会通过了议程。", "The General Assembly adopted the agenda."),
             pair("可查阅：www.example.org/reports/annual-review.pdf。",
                  "Available from www.example.org/reports/annual-review.pdf."),
             pair("Maria Lopez Garcia", "Maria Lopez Garcia"),
             pair("大会。", "The General Assembly decided to defer consideration of the item "
                  "to its seventy-first session and to include it in the provisional agenda.")]
    (ratio,) = build_filters(["length-ratio"], "zh", "en", lambda: (p.pair for p in links))
    report = FilterReport()
    kept = [k.pair.tgt[0][:14] for k in filter_pairs(links, [ratio], report)]
    assert "Available from" in kept and "Maria Lopez Ga" in kept
    assert report.removed == {"length-ratio": 1}  # the side a tenth of its length
