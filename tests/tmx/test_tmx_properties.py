"""Property tests: any text survives write -> read, control characters as spaces.

The oracle is written from the XML 1.0 ``Char`` production, independently of
the code under test: every character outside it becomes a space, sentences are
trimmed, blank sentences dropped.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from bitext.tmx import read_alignment, read_tmx, validate_tmx, write_alignment
from bitext.types import AlignedPair, Alignment

# Every code point, surrogates and controls included.
ANY_CHAR = st.characters(min_codepoint=0, max_codepoint=0x10FFFF, exclude_categories=[])
TEXT = st.text(ANY_CHAR, max_size=40)
# Bias towards the troublemakers.
NASTY = st.sampled_from(
    ["\x00", "\x0b", "\x0c", "\x1f", "\ud800", "\udfff", "\ufffe", "\uffff", "\r", "\n", "\t",
     "&", "<", ">", "]]>", '"', "𠀀", "😀", "\u2028", "\x85", " ", "\u3000"]
)
SENTENCE = st.lists(st.one_of(TEXT, NASTY), max_size=6).map("".join)
SIDE = st.lists(SENTENCE, min_size=1, max_size=3)


def xml_char(c: str) -> bool:
    o = ord(c)
    return o in (0x9, 0xA, 0xD) or 0x20 <= o <= 0xD7FF or 0xE000 <= o <= 0xFFFD or o >= 0x10000


def oracle(sentence: str) -> str:
    # A high+low surrogate pair is one astral character written as two code points.
    combined = sentence.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "surrogatepass")
    return "".join(c if xml_char(c) else " " for c in combined).strip()


def expected_side(sentences: list[str]) -> tuple[str, ...]:
    return tuple(s for s in (oracle(x) for x in sentences) if s)


@settings(max_examples=150, deadline=None)
@given(zh=SIDE, en=SIDE, score=st.floats(0, 1))
def test_tmx_round_trip_any_text(zh: list[str], en: list[str], score: float) -> None:
    alignment = Alignment("zh", "en", (AlignedPair(tuple(zh), tuple(en), score, "1"),))
    want_zh, want_en = expected_side(zh), expected_side(en)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "m.tmx"
        stats = write_alignment(alignment, path)
        etree.parse(str(path))  # well-formed whatever the input
        back = read_tmx(path, "zh", "en")
        assert validate_tmx(path).problems == []
    if not want_zh or not want_en:
        assert stats.written == 0 and back.pairs == ()
        return
    assert len(back.pairs) == 1
    pair = back.pairs[0]
    assert (pair.src, pair.tgt) == (want_zh, want_en)
    assert abs(pair.score - score) <= 0.00005


@settings(max_examples=75, deadline=None)
@given(zh=SIDE, en=SIDE)
def test_jsonl_round_trip_any_text(zh: list[str], en: list[str]) -> None:
    alignment = Alignment("zh", "en", (AlignedPair(tuple(zh), tuple(en), 1.0),))
    want = (expected_side(en), expected_side(zh))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "c.jsonl"
        write_alignment(alignment, path)
        lines = path.read_text(encoding="utf-8").splitlines()
        back = read_alignment(path)
    assert len(lines) == (1 if any(want) else 0)
    if any(want):
        assert (back.pairs[0].src, back.pairs[0].tgt) == want


@settings(max_examples=75, deadline=None)
@given(zh=SIDE, en=SIDE)
def test_line_formats_keep_one_unit_per_line(zh: list[str], en: list[str]) -> None:
    alignment = Alignment("zh", "en", (AlignedPair(tuple(zh), tuple(en), 1.0),))
    both = bool(expected_side(zh)) and bool(expected_side(en))
    with tempfile.TemporaryDirectory() as tmp:
        tsv = Path(tmp) / "c.tsv"
        write_alignment(alignment, tsv)
        rows = tsv.read_text(encoding="utf-8").splitlines()
        assert len(rows) == 1 + both
        assert all(len(r.split("\t")) == 7 for r in rows)
        write_alignment(alignment, Path(tmp) / "c.moses")
        for lang in ("en", "zh", "ids"):
            text = (Path(tmp) / f"c.{lang}").read_text(encoding="utf-8")
            assert len(text.splitlines()) == both
