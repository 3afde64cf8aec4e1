"""Glossary evaluation on hand-computed examples."""

from __future__ import annotations

from pathlib import Path

import pytest

from bitext.errors import InputError
from bitext.glossary import Concept, evaluate_glossary
from bitext.glossary.evaluate import normalize

GOLD = """zh\ten\tkind\tnote
偷运移民\tsmuggling of migrants | migrant smuggling\tcrime\t
会员国\tMember States\tconcept\t
缔约方会议\tConference of the Parties\tbody\t
《偷运移民议定书》\tSmuggling of Migrants Protocol\tinstrument\t
能力建设\tcapacity-building\tconcept\t
"""

# 5 gold pairs. Output: 偷运移民 right (variant), 会员国 wrong, 缔约方会议 absent,
# 偷运移民议定书 right (brackets and case ignored), 能力建设 right (hyphen = space),
# plus one concept not in the gold list.
PRED = """zh\ten\tzh_variants\ten_variants
偷运移民\tsmuggling of the migrants\t\tMigrant Smuggling
会员国\tmembers\t\t
偷运移民议定书\tthe smuggling of migrants protocol\t\t
能力建设\tcapacity building\t\t
技术援助\ttechnical assistance\t\t
"""


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path]:
    gold = tmp_path / "gold.terms.tsv"
    gold.write_text(GOLD, encoding="utf-8")
    pred = tmp_path / "pred.tsv"
    pred.write_text(PRED, encoding="utf-8")
    return pred, gold


def test_hand_computed(files: tuple[Path, Path]) -> None:
    pred, gold = files
    r = evaluate_glossary(pred, gold)
    assert (r["gold_pairs"], r["found"], r["concepts"]) == (5, 3, 5)
    assert r["recall"] == pytest.approx(3 / 5)
    assert (r["on_gold"], r["correct_on_gold"]) == (4, 3)
    assert r["precision_on_gold"] == pytest.approx(3 / 4)
    assert r["missing"] == ["会员国\tMember States", "缔约方会议\tConference of the Parties"]
    assert r["wrong"] == ["会员国\tmembers"]


def test_top_limits_the_output(files: tuple[Path, Path]) -> None:
    pred, gold = files
    r = evaluate_glossary(pred, gold, top=2)
    assert (r["found"], r["on_gold"], r["correct_on_gold"]) == (1, 2, 1)


def test_tbx_prediction(tmp_path: Path, sample_concepts: list[Concept]) -> None:
    from bitext.glossary import write_glossary

    pred = tmp_path / "sample.tbx"
    write_glossary(sample_concepts, pred)
    gold = tmp_path / "g.tsv"
    gold.write_text("zh\ten\n会员国\tMember States\n公共卫生\tpublic health\n疫苗\tvaccine\n",
                    encoding="utf-8")
    r = evaluate_glossary(pred, gold)
    assert (r["found"], r["gold_pairs"], r["precision_on_gold"]) == (2, 3, 1.0)


@pytest.mark.parametrize(("a", "b"), [
    ("Member States", "member states"), ("the Protocol", "Protocol"),
    ("capacity-building", "capacity building"), ("Children’s Fund", "Children's Fund"),
    ("《议定书》", "议定书"), ("  UNODC ", "UNODC"), ("\uff35\uff2e\uff2f\uff24\uff23", "UNODC"),
])
def test_normalisation(a: str, b: str) -> None:
    assert normalize(a) == normalize(b)


def test_plural_is_not_merged() -> None:
    assert normalize("migrant") != normalize("migrants")


def test_bad_gold(tmp_path: Path, files: tuple[Path, Path]) -> None:
    pred, _ = files
    gold = tmp_path / "bad.tsv"
    gold.write_text("chinese\tenglish\n", encoding="utf-8")
    with pytest.raises(InputError, match="header"):
        evaluate_glossary(pred, gold)
    with pytest.raises(InputError, match="cannot read"):
        evaluate_glossary(pred, tmp_path / "missing.tsv")


@pytest.mark.parametrize(("data", "message"), [
    # a UTF-32 byte-order mark: the gold's header was read as UTF-8 (UnicodeDecodeError traceback)
    (b"\xff\xfe\x00\x00z\x00\x00\x00", "not UTF-8"),
    (b"zh\ten\n\xe5\xae\x89\tsafety\n\xff\tx\n", "gold.tsv:3: .*not UTF-8"),
    # gzip, as every other input may be
    (None, None),
])
def test_a_gold_is_read_as_every_input_is(tmp_path: Path, files: tuple[Path, Path],
                                          data: bytes | None, message: str | None) -> None:
    import gzip

    pred, plain = files
    gold = tmp_path / "gold.tsv"
    if data is None:
        gold.write_bytes(gzip.compress(plain.read_bytes()))
        assert evaluate_glossary(pred, gold) == evaluate_glossary(pred, plain)
        return
    gold.write_bytes(data)
    with pytest.raises(InputError, match=message):
        evaluate_glossary(pred, gold)


@pytest.mark.parametrize("text", [
    "zh\ten\n",                         # a header only
    "zh\ten\n# a comment\n\t\n | \t|\n",  # rows with no term on a side
])
def test_a_gold_without_pairs_is_refused(tmp_path: Path, files: tuple[Path, Path],
                                         text: str) -> None:
    # Scored as recall 0 of 0 gold pairs: a figure of nothing.
    pred, _ = files
    gold = tmp_path / "empty.tsv"
    gold.write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match=r"empty\.tsv: no term pairs"):
        evaluate_glossary(pred, gold)


def test_a_gold_pair_listed_twice_is_refused(tmp_path: Path, files: tuple[Path, Path]) -> None:
    # It counted twice in the recall (2 of 2 found for one pair).
    pred, _ = files
    gold = tmp_path / "gold.tsv"
    gold.write_text("zh\ten\n能力建设\tcapacity-building\n会员国\tMember States\n"
                    "能力建设\tCapacity building\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"gold\.tsv:4: .*line 2.*remove"):
        evaluate_glossary(pred, gold)


def test_a_pair_shared_by_rows_of_a_multilingual_gold_counts_once(tmp_path: Path) -> None:
    # Rows that differ in a third language's column name one en-fr pair twice:
    # no mistake of the list, but the pair is one pair.
    pred = tmp_path / "pred.tsv"
    pred.write_text("en\tfr\nwater\teau\n", encoding="utf-8")
    gold = tmp_path / "gold.tsv"
    gold.write_text("en\tfr\tes\nwater\teau\tagua\nwater\teau\taguas\nfire\tfeu\tfuego\n",
                    encoding="utf-8")
    r = evaluate_glossary(pred, gold)
    assert (r["gold_pairs"], r["found"]) == (2, 1)


@pytest.mark.parametrize(("pred_text", "gold_text", "missing"), [
    ("zh\ten\n会员国\tMember States\n", "fr\ten\nÉtats membres\tMember States\n", "fr"),
    ("en\tfr\nwater\teau\n", "zh\ten\n水\twater\n", "zh"),
])
def test_a_glossary_of_other_languages_than_the_gold_is_refused(
        tmp_path: Path, pred_text: str, gold_text: str, missing: str) -> None:
    # Scored 0 without a word: the figures of a comparison that cannot match.
    pred = tmp_path / "pred.tsv"
    pred.write_text(pred_text, encoding="utf-8")
    gold = tmp_path / "gold.tsv"
    gold.write_text(gold_text, encoding="utf-8")
    with pytest.raises(InputError, match=rf"pred\.tsv: no '{missing}' terms.*gold\.tsv"):
        evaluate_glossary(pred, gold)


@pytest.mark.parametrize(("encoding", "message"), [
    ("utf-16", r"bad\.tsv: UTF-16 text.*save it as UTF-8"),  # was "not UTF-8 text", no more
    ("", r"bad\.tsv: empty file; .*header row"),  # was 0 concepts, scored
])
def test_a_glossary_that_is_no_utf8_table_is_named(tmp_path: Path, files: tuple[Path, Path],
                                                   encoding: str, message: str) -> None:
    pred, gold = files
    bad = tmp_path / "bad.tsv"
    text = pred.read_text(encoding="utf-8")
    bad.write_bytes(text.encode(encoding) if encoding else b"")
    with pytest.raises(InputError, match=message):
        evaluate_glossary(bad, gold)


def test_a_gold_from_a_fifo_is_read_once(tmp_path: Path, files: tuple[Path, Path]) -> None:
    # The header was read, then the file opened again: a FIFO's second open
    # waits for a writer for ever.
    import os
    import subprocess
    import sys

    pred, gold = files
    fifo = tmp_path / "gold-fifo.tsv"
    os.mkfifo(fifo)
    writer = subprocess.Popen(["sh", "-c", f"cat '{gold}' > '{fifo}'"])
    try:
        run = subprocess.run([sys.executable, "-m", "bitext", "eval", str(pred), str(fifo),
                              "--json"], capture_output=True, text=True, timeout=60)
    finally:
        writer.kill()
        writer.wait()
    assert run.returncode == 0, run.stderr
    assert '"found": 3' in run.stdout
