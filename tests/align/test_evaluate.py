"""Bead format and the strict/lax metrics, on hand-computed examples."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from bitext.align.evaluate import (
    corpus_gold,
    format_beads,
    gold_beads_from_groups,
    map_pairs_to_gold,
    merge_within_groups,
    parse_beads,
    score_against_corpus,
    score_beads,
)
from bitext.commands.evaluate import cli
from bitext.errors import InputError
from bitext.types import Link

GOLD = [((0,), (0,)), ((1, 2), (1,)), ((3,), ()), ((), (2,))]
PRED = [((0,), (0,)), ((1,), (1,)), ((2,), ()), ((3,), (2,))]


def test_parse_and_format() -> None:
    text = "[0]:[0]\n[1, 2]:[1]\n[3]:[]\n\n[]:[2]\n"
    beads = parse_beads(text.splitlines())
    assert beads == GOLD
    assert format_beads(beads) == text.replace("\n\n", "\n")
    assert parse_beads(["[0,1]:[2] "]) == [((0, 1), (2,))]
    assert parse_beads(["[4]:[5]:0.75"]) == [((4,), (5,))]
    assert format_beads([Link((1,), (2, 3), 0.5)], scores=True) == "[1]:[2, 3]:0.5000\n"


def test_parse_error_names_the_line() -> None:
    with pytest.raises(InputError, match=r"x\.beads:2"):
        parse_beads(["[0]:[0]", "0-0"], source="x.beads")


beads_strategy = st.lists(
    st.tuples(
        st.lists(st.integers(0, 500), max_size=4).map(lambda x: tuple(sorted(set(x)))),
        st.lists(st.integers(0, 500), max_size=4).map(lambda x: tuple(sorted(set(x)))),
    ),
    max_size=20,
)


@given(beads_strategy)
def test_round_trip(beads: list[tuple[tuple[int, ...], tuple[int, ...]]]) -> None:
    assert parse_beads(format_beads(beads).splitlines()) == beads


def test_strict_and_lax_by_hand() -> None:
    s = score_beads(GOLD, PRED)
    # predicted non-empty beads: [0]:[0] (exact), [1]:[1] (overlaps [1,2]:[1]), [3]:[2] (no)
    assert s["strict_precision"] == pytest.approx(1 / 3)
    assert s["strict_recall"] == pytest.approx(1 / 2)
    assert s["strict_f1"] == pytest.approx(2 * (1 / 3) * (1 / 2) / (1 / 3 + 1 / 2))
    assert s["lax_precision"] == pytest.approx(2 / 3)
    assert s["lax_recall"] == pytest.approx(1.0)


def test_perfect_and_empty() -> None:
    s = score_beads(GOLD, GOLD)
    assert s["strict_f1"] == 1.0 and s["lax_f1"] == 1.0
    assert score_beads(GOLD, [])["strict_f1"] == 0.0


def test_documents_are_micro_averaged() -> None:
    s = score_beads([GOLD, [((0,), (0,))]], [PRED, [((0,), (0,))]], documents=True)
    assert s["strict_precision"] == pytest.approx(2 / 4)
    assert s["strict_recall"] == pytest.approx(2 / 3)


def test_groups_and_merging() -> None:
    src_g = ["v1", "v1", "v2", "v3"]
    tgt_g = ["v1", "v2", "v2", "v4"]
    gold = gold_beads_from_groups(src_g, tgt_g)
    assert gold == [((0, 1), (0,)), ((2,), (1, 2)), ((3,), ()), ((), (3,))]
    pred = [((0,), (0,)), ((1,), ()), ((2,), (1,)), ((), (2,)), ((3,), (3,))]
    merged = merge_within_groups(pred, src_g, tgt_g)
    assert merged == [((0, 1), (0,)), ((2,), (1, 2)), ((3,), (3,))]
    assert score_beads(gold, merged)["strict_recall"] == 1.0


def test_map_pairs_by_text_in_order() -> None:
    zh = ["甲。", "乙。", "甲。"]
    en = ["A.", "B.", "A."]
    pairs = [(["甲。"], ["A."]), (["乙。", "甲。"], ["B.", "A."])]
    assert map_pairs_to_gold(pairs, zh, en) == [((0,), (0,)), ((1, 2), (1, 2))]


def _corpus(tmp_path: Path) -> Path:
    rows = [
        {"id": 1, "para": "1", "zh": ["一。"], "en": ["One."]},
        {"id": 2, "para": "1", "zh": ["二。", "三。"], "en": ["Two and three."]},
        {"id": 3, "para": "2", "zh": ["四。"], "en": ["Four."]},
    ]
    (tmp_path / "gold.sentences.jsonl").write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return tmp_path


def test_corpus_scoring(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path)
    zh, _en, gold = corpus_gold(corpus)
    assert zh == ["一。", "二。", "三。", "四。"] and gold[1] == ((1, 2), (1,))
    pred = [(["一。"], ["One."]), (["二。"], ["Two and three."]), (["三。"], []),
            (["四。"], ["Four."])]
    s = score_against_corpus(pred, corpus)
    assert s["strict_precision"] == pytest.approx(2 / 3)
    assert s["strict_recall"] == pytest.approx(2 / 3)
    assert s["lax_recall"] == 1.0


def test_cli_beads_and_corpus(tmp_path: Path) -> None:
    (tmp_path / "g.beads").write_text(format_beads(GOLD))
    (tmp_path / "p.beads").write_text(format_beads(PRED))
    runner = CliRunner()
    res = runner.invoke(cli, [str(tmp_path / "p.beads"), str(tmp_path / "g.beads"), "--json"])
    assert res.exit_code == 0, res.output
    assert json.loads(res.output)["strict_recall"] == 0.5
    res = runner.invoke(cli, [str(tmp_path / "p.beads"), str(tmp_path / "g.beads")])
    assert "strict" in res.output and "0.5000" in res.output
    (tmp_path / "c").mkdir()
    corpus = _corpus(tmp_path / "c")
    pred = tmp_path / "pred.jsonl"
    pred.write_text(json.dumps({"zh": ["一。"], "en": ["One."]}) + "\n", encoding="utf-8")
    res = runner.invoke(cli, [str(pred), "--corpus", str(corpus), "--json"])
    assert res.exit_code == 0, res.output
    assert json.loads(res.output)["strict_precision"] == 1.0


def test_cli_errors_are_one_line(tmp_path: Path) -> None:
    from bitext.cli import main

    bad = tmp_path / "bad.beads"
    bad.write_text("nonsense\n")
    with pytest.raises(SystemExit) as exc:
        main(["eval", str(bad), str(bad)])
    assert exc.value.code == 1


def test_cli_help_and_glossary_delegation(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import sys
    import types

    runner = CliRunner()
    res = runner.invoke(cli, ["--help"])
    assert res.exit_code == 0 and "strict" in res.output
    calls: list[tuple[Path, Path]] = []
    fake = types.ModuleType("bitext.glossary.evaluate")

    def evaluate_glossary(pred: Path, gold: Path) -> dict[str, float]:
        calls.append((pred, gold))
        return {"precision": 0.5, "recall": 0.25, "f1": 1 / 3}

    fake.evaluate_glossary = evaluate_glossary  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "bitext.glossary.evaluate", fake)
    (tmp_path / "terms.tbx").write_text("<tbx/>")
    (tmp_path / "gold.tsv").write_text("安全理事会\tSecurity Council\n")
    res = runner.invoke(cli, [str(tmp_path / "terms.tbx"), str(tmp_path / "gold.tsv"), "--json"])
    assert res.exit_code == 0, res.output
    assert json.loads(res.output)["recall"] == 0.25
    assert calls and calls[0][0].name == "terms.tbx"


def test_paragraph_alignment_scored_against_paragraph_gold(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import json

    from bitext.align.evaluate import corpus_level, score_against_corpus

    corpus = tmp_path / "c"
    corpus.mkdir()
    rows = [{"id": 1, "para": "1", "zh": ["甲。", "乙。"], "en": ["A.", "B."]},
            {"id": 2, "para": "2", "zh": ["丙。"], "en": ["C."]},
            {"id": 3, "para": "3", "zh": ["丁。"], "en": []}]
    paras = [{"para": "1", "zh": "甲。乙。", "en": "A. B."},
             {"para": "2", "zh": "丙。", "en": "C."},
             {"para": "3", "zh": "丁。", "en": ""}]
    (corpus / "gold.sentences.jsonl").write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    (corpus / "gold.paragraphs.jsonl").write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in paras), encoding="utf-8")
    pred = [(["甲。乙。"], ["A. B."]), (["丙。", "丁。"], ["C."])]
    assert corpus_level(pred, corpus) == "paragraph"
    scores = score_against_corpus(pred, corpus)
    assert scores["strict_precision"] == 0.5 and scores["strict_recall"] == 0.5
    sentences = [(["甲。"], ["A."]), (["乙。"], ["B."]), (["丙。"], ["C."])]
    assert corpus_level(sentences, corpus) == "sentence"


def test_cli_refuses_beads_that_are_no_alignment_of_the_gold(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A predicted bead file naming a sentence twice, or sentences past the
    end of a gold that covers its whole document, was scored silently (reliab21,
    session 24): a file of another document, or two alignments run together,
    gave figures. Now each is one Error naming the file, the line and the sentence."""
    from bitext.cli import main

    gold = tmp_path / "g.beads"
    gold.write_text(format_beads(GOLD))  # source 0-3 and target 0-2, each once
    cases = {
        "twice": ("[0]:[0]\n[1, 2]:[1]\n[2]:[2]\n", "source sentence 2", "lines 2 and 3"),
        "past": ("[0]:[0]\n[1, 2]:[1]\n[3]:[2]\n[4]:[3]\n", "source sentence 4", "line 4"),
    }
    for name, (text, sentence, where) in cases.items():
        pred = tmp_path / f"{name}.beads"
        pred.write_text(text)
        with pytest.raises(SystemExit) as exc:
            main(["eval", str(pred), str(gold)])
        assert exc.value.code == 1
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and err.startswith("Error:"), err
        assert sentence in err and where in err and str(pred) in err, err
    # a gold that leaves sentences out says nothing of the document's length
    partial = tmp_path / "partial.beads"
    partial.write_text("[0]:[0]\n[2]:[2]\n")
    res = CliRunner().invoke(cli, [str(tmp_path / "past.beads"), str(partial)])
    assert res.exit_code == 0, res.output


@pytest.mark.parametrize("text", ["", "\n\n"])
def test_cli_refuses_a_gold_without_beads(tmp_path: Path, text: str,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    """An empty gold bead file (or /dev/null) was read as a document of no
    sentences: 'source sentence 0 (0-based) is past the gold's last, -1', or,
    with an empty prediction too, figures of nothing (reliab22, session 25)."""
    from bitext.cli import main

    gold = tmp_path / "g.beads"
    gold.write_text(text)
    for pred_text in ("[0]:[0]\n", ""):
        pred = tmp_path / "p.beads"
        pred.write_text(pred_text)
        with pytest.raises(SystemExit) as exc:
            main(["eval", str(pred), str(gold)])
        assert exc.value.code == 1
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and err.startswith(f"Error: {gold}: no beads"), err
