"""Characters and sentence ends that vary between UN documents and extractions."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bitext.align.segment import split_sentences
from bitext.ingest.clean import normalize_chars, split_lines
from bitext.ingest.structure import parse_document


def _fw(ascii_text: str) -> str:
    """The full-width form of printable ASCII (written out, ruff flags the look-alikes)."""
    return "".join(chr(ord(c) + 0xFEE0) for c in ascii_text)


CHARS = [
    ("zero-width space", "to\u200b States", "to States"),
    ("word joiner and BOM", "a\u2060b\ufeffc", "abc"),
    ("no-break and narrow spaces", "10\u00a0000\u202fStates", "10 000 States"),
    ("tab", "1.\tThe", "1. The"),
    ("ligatures", "the Oﬃce ﬁnanced", "the Office financed"),
    ("full-width letters and digits", f"（{_fw('UNODC')}）于{_fw('2016')}年", "（UNODC）于2016年"),
    ("full-width slash in a symbol", _fw("A/71/285"), "A/71/285"),
    ("Chinese punctuation stays", "报告，见第5段；（a）：！？。", "报告，见第5段；（a）：！？。"),
    ("soft hyphen inside a word", "pro\u00advided", "provided"),
    ("soft hyphen at the line end kept for joining", "sup\u00ad ", "sup\u00ad"),
    # what a PDF's font maps Arabic glyphs to: contextual forms, and lam-alef as one sign
    ("Arabic presentation forms", "\ufee3\ufed8\ufeaa\ufee3\ufe94 \ufefb\ufe8d", "مقدمة لاا"),
]


@pytest.mark.parametrize(("name", "text", "expected"), CHARS, ids=[c[0] for c in CHARS])
def test_normalize_chars(name: str, text: str, expected: str) -> None:
    assert normalize_chars(text) == expected


@given(st.text())
def test_normalize_chars_idempotent(text: str) -> None:
    once = normalize_chars(text)
    assert normalize_chars(once) == once


def _texts(text: str, lang: str) -> list[str]:
    return [u.text for u in parse_document(split_lines(text), lang).units]


def test_soft_hyphen_at_line_end_joins_the_word() -> None:
    text = "1.\u00a0The Oﬃce pro\u00advided sup\u00ad\r\nport to\u200b States.\r\n"
    assert _texts(text, "en") == ["The Office provided support to States."]


def test_full_width_paragraph_numbers() -> None:
    text = f"{_fw('1')}．本报告提交大会。\n{_fw('2')}．第二段见{_fw('A/71/285')}。\n"
    doc = parse_document(split_lines(text), "zh")
    assert [(u.label, u.text) for u in doc.units] == [("1", "本报告提交大会。"),
                                                     ("2", "第二段见A/71/285。")]


EN = [
    ("part letter ends a sentence", "See chapter I, section B. The Committee agreed.",
     ["See chapter I, section B.", "The Committee agreed."]),
    ("annex numeral ends a sentence", "It is reproduced in annex I. The Commission agreed.",
     ["It is reproduced in annex I.", "The Commission agreed."]),
    ("middle initial", "Mr. John F. Kennedy spoke.", ["Mr. John F. Kennedy spoke."]),
    ("symbol with Add.1 at the end", "See A/71/285/Add.1. The Commission agreed.",
     ["See A/71/285/Add.1.", "The Commission agreed."]),
    ("symbol in brackets", "See the report (E/CN.15/2016/10). Then it ended.",
     ["See the report (E/CN.15/2016/10).", "Then it ended."]),
    ("URL at the end", "Available from www.unodc.org/. The next.",
     ["Available from www.unodc.org/.", "The next."]),
    ("quote closes a sentence", 'He said: "The work continues." The Office agreed.',
     ['He said: "The work continues."', "The Office agreed."]),
    ("curly quote", "entitled “Transforming our world”. The Council agreed.",
     ["entitled “Transforming our world”.", "The Council agreed."]),
    ("year in brackets", "resolution 2240 (2015). It also decided.",
     ["resolution 2240 (2015).", "It also decided."]),
    ("e.g. in brackets", "States (e.g. Italy and Spain) agreed. Then.",
     ["States (e.g. Italy and Spain) agreed.", "Then."]),
    ("sub-sub-items stay", "as follows: (a) States should: (i) train; (ii) fund; (b) The Office "
     "should act. Then.",
     ["as follows: (a) States should: (i) train; (ii) fund; (b) The Office should act.",
      "Then."]),
]

ZH = [
    ("exclamation inside quotes", "他说：“这很重要！”我们同意吗？是的。",
     ["他说：“这很重要！”", "我们同意吗？", "是的。"]),
    ("ellipsis", "是的……但仍需努力。", ["是的……", "但仍需努力。"]),
    ("bracket after full stop", "问题（见第5段。）下一句。", ["问题（见第5段。）", "下一句。"]),
    ("book title marks", "《议定书》。《公约》！", ["《议定书》。", "《公约》！"]),
    ("symbol at the end", "见A/71/285/Add.1。下一句。", ["见A/71/285/Add.1。", "下一句。"]),
]


@pytest.mark.parametrize(("name", "text", "expected"), EN, ids=[c[0] for c in EN])
def test_en_sentences(name: str, text: str, expected: list[str]) -> None:
    assert split_sentences(text, "en") == expected


@pytest.mark.parametrize(("name", "text", "expected"), ZH, ids=[c[0] for c in ZH])
def test_zh_sentences(name: str, text: str, expected: list[str]) -> None:
    assert split_sentences(text, "zh") == expected
