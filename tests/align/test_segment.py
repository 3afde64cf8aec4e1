"""Table-driven tests of sentence segmentation, one rule per case."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bitext.align.segment import _last_word, _word_start, split_sentences

ZH_CASES = [
    ("ends at 。", "第一句。第二句。", ["第一句。", "第二句。"]),
    ("ends at ！ and ？", "真的吗？是的！好。", ["真的吗？", "是的！", "好。"]),
    ("closing quote stays", "他说：“可以。”然后走了。", ["他说：“可以。”", "然后走了。"]),
    ("closing bracket stays", "见附件（第3页。）下一句。", ["见附件（第3页。）", "下一句。"]),
    ("straight quote opening the next sentence", '报告获得通过。"综合指数"涵盖各国。',
     ['报告获得通过。', '"综合指数"涵盖各国。']),
    ("straight quote closing", '他说"可以。"然后走了。', ['他说"可以。"', '然后走了。']),
    ("straight quotes: the second pair opens", '他说"好"。"新规则"生效。',
     ['他说"好"。', '"新规则"生效。']),
    ("no split at ；", "第一项；第二项。", ["第一项；第二项。"]),
    ("no split at ：", "包括：(a)立法；(b)培训。", ["包括：(a)立法；(b)培训。"]),
    ("no final punctuation", "结论", ["结论"]),
    ("ascii period in URL", "可查阅：www.unodc.org/a.pdf。", ["可查阅：www.unodc.org/a.pdf。"]),
]

EN_CASES = [
    ("simple", "One. Two.", ["One.", "Two."]),
    ("No.", "See resolution No. 5 on this. Next.", ["See resolution No. 5 on this.", "Next."]),
    ("Nos.", "Resolutions Nos. 5 and 6 apply.", ["Resolutions Nos. 5 and 6 apply."]),
    ("para.", "See para. 12 above. Then.", ["See para. 12 above.", "Then."]),
    ("paras.", "See paras. 12-14. Then.", ["See paras. 12-14.", "Then."]),
    ("art.", "Under art. 3 of it. Then.", ["Under art. 3 of it.", "Then."]),
    ("Doc.", "See Doc. A/70/59 there.", ["See Doc. A/70/59 there."]),
    ("e.g.", "Some States, e.g. Italy, agreed. Then.",
     ["Some States, e.g. Italy, agreed.", "Then."]),
    ("i.e.", "The Protocol, i.e. The text, applies.", ["The Protocol, i.e. The text, applies."]),
    ("Mr. and Ms.", "Mr. Smith met Ms. Jones. They spoke.",
     ["Mr. Smith met Ms. Jones.", "They spoke."]),
    ("U.N.", "The U.N. Secretariat agreed.", ["The U.N. Secretariat agreed."]),
    ("Corr.1", "See A/70/59/Corr.1 for details. Then.",
     ["See A/70/59/Corr.1 for details.", "Then."]),
    ("decimal", "It grew by 2.5 per cent. Then.", ["It grew by 2.5 per cent.", "Then."]),
    ("symbol at end", "See A/70/59. The next one.", ["See A/70/59.", "The next one."]),
    ("URL", "Available from www.unodc.org/documents/a.pdf. Then.",
     ["Available from www.unodc.org/documents/a.pdf.", "Then."]),
    ("initial", "Report by J. Smith was read.", ["Report by J. Smith was read."]),
    ("question", "Why? Because.", ["Why?", "Because."]),
    ("quote after period", 'He said "yes." Then left.', ['He said "yes."', "Then left."]),
    ("sub-items stay", "Areas: (a) law; (b) training; and (c) data. Next.",
     ["Areas: (a) law; (b) training; and (c) data.", "Next."]),
    ("lowercase after period", "approx. ten States", ["approx. ten States"]),
    ("digit starts next", "It ended in 2015. 12 States joined.",
     ["It ended in 2015.", "12 States joined."]),
]


@pytest.mark.parametrize(("name", "text", "expected"), ZH_CASES, ids=[c[0] for c in ZH_CASES])
def test_zh(name: str, text: str, expected: list[str]) -> None:
    assert split_sentences(text, "zh") == expected


@pytest.mark.parametrize(("name", "text", "expected"), EN_CASES, ids=[c[0] for c in EN_CASES])
def test_en(name: str, text: str, expected: list[str]) -> None:
    assert split_sentences(text, "en") == expected


def test_empty() -> None:
    assert split_sentences("   ", "en") == []


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=" ,\u00a0\nab.", max_size=400), st.data())
def test_last_word_matches_whole_prefix(text: str, data: st.DataObject) -> None:
    """The word before a position, found in a growing window, is the one the whole
    prefix gives: a long paragraph costs each period O(word), never O(paragraph)."""
    end = data.draw(st.integers(0, len(text)))
    for strip in (None, " ,"):
        parts = text[:end].rstrip(strip).rsplit(None, 1)
        assert _last_word(text, end, strip) == (parts[-1] if parts else "")


def test_abbreviation_far_into_a_long_line() -> None:
    """The rules still hold deep inside a line of many sentences (no line breaks)."""
    text = "See para. 4 of the report. " * 3000 + "It was adopted by the U.S. Government."
    out = split_sentences(text, "en")
    assert out[-1] == "It was adopted by the U.S. Government."
    assert len(out) == 3001


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=" (\u00a0ab.", max_size=400), st.data())
def test_word_start_matches_whole_prefix(text: str, data: st.DataObject) -> None:
    end = data.draw(st.integers(0, len(text)))
    whole = max(text.rfind(" ", 0, end), text.rfind("(", 0, end), text.rfind("\u00a0", 0, end))
    assert _word_start(text, end) == whole + 1
