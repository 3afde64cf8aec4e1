"""Cleaning never changes body text: only furniture, footnote markers and
whitespace may go. Regression cases from unseen UN documents, and a property test."""

from __future__ import annotations

import unicodedata

import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from bitext.ingest.clean import split_lines
from bitext.ingest.structure import parse_document

SEP = "__________________"


def _units(text: str, lang: str) -> dict[str, str]:
    return {u.label: u.text for u in parse_document(split_lines(text), lang).units}


ZH_DATE_DOC = f"""\
一、 导言

1. 本报告根据大会决议提交。1

2. 委员会于2015年7月举行了第二十四届会议，审议了报告。
{SEP}
 1 A/RES/69/196。
\f
3. 委员会还审议了其他事项。7

{SEP}
 2 A/70/1。
 3 A/70/2。
 4 A/70/3。
 5 A/70/4。
 6 A/70/5。
 7 A/70/6。
"""


def test_zh_digit_in_a_date_is_body_text() -> None:
    """A number between 年 and 月 is no marker when footnote 7 sits on another page."""
    units = _units(ZH_DATE_DOC, "zh")
    assert units["2"] == "委员会于2015年7月举行了第二十四届会议，审议了报告。"
    assert units["1"] == "本报告根据大会决议提交。"


EN_COMMA_DOC = f"""\
I. Introduction

1. The Convention protects movable property, including works of art,1 which are
often trafficked.

2. It also covers archaeological objects.2
{SEP}
 1 See A/70/59.
 2 See A/70/60.
"""


def test_en_marker_after_comma_before_art_like_word() -> None:
    units = _units(EN_COMMA_DOC, "en")
    assert units["1"] == ("The Convention protects movable property, including works of art, "
                          "which are often trafficked.")
    assert units["2"] == "It also covers archaeological objects."


EN_MARKER_ANY_NUMBER = f"""\
I. Introduction

1. A first paragraph.1 Another sentence.

2. A second paragraph.2

3. The property includes works of art,3 which are often trafficked.
{SEP}
 1 One.
 2 Two.
 3 Three.
"""


def test_en_marker_glued_to_art() -> None:
    assert _units(EN_MARKER_ANY_NUMBER, "en")["3"] == (
        "The property includes works of art, which are often trafficked.")


def test_article_number_is_kept() -> None:
    doc = (f"1. See art.3 of the Convention and para.3 of the report.\n"
           f"{SEP}\n 1 One.\n 2 Two.\n 3 T.\n")
    assert _units(doc, "en")["1"] == "See art.3 of the Convention and para.3 of the report."


ANNEX_TABLE = """\
1. The Committee adopted the following schedule.

Annex

Table 1
Meetings held in 2015

Committee          Sessions          Meetings          Days
Main Committee     2                 14                7
Working Group      3                 9                 5
Subcommittee       1                 4                 2
"""


def test_annex_table_rows_are_units() -> None:
    units = [(u.label, u.text) for u in parse_document(split_lines(ANNEX_TABLE), "en").units]
    texts = [t for _, t in units]
    assert "Main Committee 2 14 7" in texts
    assert "Working Group 3 9 5" in texts
    assert "Subcommittee 1 4 2" in texts
    # the title is not run into a row
    assert not any("Meetings held" in t and "Main Committee" in t for t in texts)


# ------------------------------------------------------------------ property

_KEEP = regex.compile(r"[\p{L}\p{N}\p{Han}]")


def _content(text: str) -> list[str]:
    return _KEEP.findall(unicodedata.normalize("NFKC", text))


def _is_subsequence(needle: list[str], hay: list[str]) -> bool:
    it = iter(hay)
    return all(c in it for c in needle)


_WORD = st.one_of(
    st.text(alphabet="abcdefghijklmnopqrstuvwxyzABCDEF", min_size=1, max_size=8),
    st.integers(0, 3000).map(str),
    st.text(alphabet="年月日会议报告委员国家", min_size=1, max_size=4),
    st.sampled_from(["art,", "para.", "No.", "2015年7月", "(a)", "«", "»", "*", ",", ".",
                     "A/RES/70/1", "。", "，", "1.", "I.", "Annex", "Summary", "\u00ad",
                     "-", "–", "؟", "٢٠١٥", "т. е.", "¿", "1er"]),
)
_LINE = st.lists(_WORD, min_size=0, max_size=12).map(" ".join)
_FOOTNOTES = st.lists(st.tuples(st.integers(1, 12), _LINE), max_size=4)


@settings(max_examples=150, deadline=None)
@given(st.lists(_LINE, min_size=1, max_size=25), _FOOTNOTES,
       st.sampled_from(["en", "zh", "fr", "es", "ru", "ar"]), st.booleans())
def test_cleaning_keeps_body_text(lines: list[str], notes: list[tuple[int, str]], lang: str,
                                  heuristic: bool) -> None:
    """Every letter, digit and CJK character of a unit appears in the input, in order."""
    source = "\n".join(lines)
    if notes:
        source += f"\n{SEP}\n" + "\n".join(f" {n} {t}" for n, t in notes)
    doc = parse_document(split_lines(source), lang, marker_heuristic=heuristic)
    hay = _content(source)
    for unit in doc.units:
        assert _is_subsequence(_content(unit.text), hay), unit
        for sentence in unit.sentences:
            assert _is_subsequence(_content(sentence), _content(unit.text)), sentence


def test_bidi_controls_go_and_arabic_letters_stay() -> None:
    from bitext.ingest.clean import normalize_chars

    text = "\u200fقرر\u200e المجلس\u061c، \u2067A/RES/70/1\u2069 ٢٠١٥ ؟"
    out = normalize_chars(text)
    assert out == "قرر المجلس، A/RES/70/1 ٢٠١٥ ؟"
    assert _content(out) == _content(text)
