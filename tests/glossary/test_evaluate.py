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
    # a UTF-32 byte-order mark: gold_languages read it as UTF-8 (UnicodeDecodeError traceback)
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
