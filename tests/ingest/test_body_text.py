"""Cleaning never changes body text: only furniture, footnote markers and
whitespace may go. Regression cases from unseen UN documents, and a property test."""

from __future__ import annotations

import unicodedata

import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from bitext.ingest.clean import split_lines
from bitext.ingest.structure import parse_document
from bitext.languages import find_language

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


def test_zh_number_after_its_own_marker_is_body_text() -> None:
    """Note 1's marker is used once: the same number in a date right after it is text."""
    doc = f"1. 委员会审议了报告1。会议于2015年1月举行。\n{SEP}\n 1 A/70/1。\n"
    assert _units(doc, "zh")["1"] == "委员会审议了报告。会议于2015年1月举行。"


def test_zh_number_before_a_measure_word_is_body_text() -> None:
    """Of two 1s, the one 月 counts is a month: the marker is the other."""
    doc = f"1. 会议于2015年1月1举行。\n{SEP}\n 1 A/70/1。\n"
    assert _units(doc, "zh")["1"] == "会议于2015年1月举行。"


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
                     "-", "–", "؟", "٢٠١٥", "т. е.", "¿", "1er",
                     # a number with a thousands dot, a bracketed year and note,
                     # a non-breaking hyphen (session 18)
                     "4.300", "(2013)", "(1)", "\u2011",
                     # what a Symbol-font w:sym of a DOCX reads as (session 19)
                     "\u03b1", "\u0394", "\u2265", "\u2211", "\u00b1"]),
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


def test_a_symbol_printed_once_inside_the_body_is_body_text() -> None:
    """A line holding only a symbol, printed once below the body's first
    paragraph, is the end of a sentence that cites it, not the document's
    running head: it was taken for the document's symbol and deleted (found by
    test_cleaning_deletes_no_body_text)."""
    text = ("1. The Committee met twice.\n\n"
            "2. The Committee recalled the outcome adopted in\nA/RES/70/1\n")
    assert _units(text, "en")["2"] == (
        "The Committee recalled the outcome adopted in A/RES/70/1")


def test_a_symbol_cited_at_two_paragraph_ends_is_body_text() -> None:
    """Two paragraphs that each end with a cited symbol on a line of its own:
    printed twice, it was taken for the running head and deleted from both
    (found by test_cleaning_deletes_no_body_text). A line that continues a
    body line is the sentence's end; a running head stands apart from the body
    (a blank line, a page break or other furniture before it)."""
    text = ("1. The Committee met twice.\n\n"
            "2. The Committee recalled the outcome adopted in\nA/RES/70/1\n\n"
            "3. The Assembly also recalled its resolution\nA/RES/70/1\n")
    units = _units(text, "en")
    assert units["2"] == "The Committee recalled the outcome adopted in A/RES/70/1"
    assert units["3"] == "The Assembly also recalled its resolution A/RES/70/1"


def test_a_line_of_symbols_ending_in_a_number_pair_is_body_text() -> None:
    """A body line that cites two symbols, the last ending in 'NN/N', was taken
    for a page's 'n/m' footer and deleted: the footer's number pair was matched
    inside a symbol's last token (found by test_cleaning_deletes_no_body_text).
    A page's 'n/m' is a token of its own."""
    text = "1. The Committee took note of\nA/RES/70/1 A/RES/70/1\n"
    assert _units(text, "en")["1"] == "The Committee took note of A/RES/70/1 A/RES/70/1"
    page = "1. The Committee met twice.\n\n3/12\n"
    assert "3/12" not in " ".join(_units(page, "en").values())


def test_a_running_head_between_paragraphs_still_goes() -> None:
    """The same symbol set apart by blank lines, on two pages: furniture."""
    text = ("A/70/123\n\n1. The Committee met twice.\n\n"
            "A/70/123\n\n2. The Committee met again.\n")
    units = parse_document(split_lines(text), "en").units
    assert [u.text for u in units] == ["The Committee met twice.", "The Committee met again."]


def test_a_running_head_printed_once_above_the_body_still_goes() -> None:
    """A one-page document prints its symbol once, above the body: furniture."""
    text = "A/70/123\n\n1. The Committee met twice.\n"
    units = parse_document(split_lines(text), "en").units
    assert [u.text for u in units] == ["The Committee met twice."]


def test_bidi_controls_go_and_arabic_letters_stay() -> None:
    from bitext.ingest.clean import normalize_chars

    text = "\u200fقرر\u200e المجلس\u061c، \u2067A/RES/70/1\u2069 ٢٠١٥ ؟"
    out = normalize_chars(text)
    assert out == "قرر المجلس، A/RES/70/1 ٢٠١٥ ؟"
    assert _content(out) == _content(text)


# ------------------------------------------- property: nothing deleted, either
# A document whose expected units are known: numbered paragraphs whose lines
# hold words and numbers (standalone, in dates, in symbols), footnote markers
# glued after a word with the notes at the page foot. The body units must hold
# exactly the paragraphs' letters, digits and CJK characters, markers apart:
# the subsequence test above lets a deleted digit (2015年7月 -> 2015年月) pass.

_LATIN_WORD = st.one_of(
    st.text(alphabet="abcdefghijklmnoprstuvwyz", min_size=2, max_size=9),
    st.integers(0, 3000).map(str),
    st.sampled_from(["A/RES/70/1", "(a)", "15%", "2015-2016",
                     "«texto»", "1er", "т.е.", "٢٠١٥", "قرار", "[sic]"]),
)
_HAN_WORD = st.one_of(
    st.text(alphabet="年月日会议报告委员国家审议决定", min_size=1, max_size=6),
    st.integers(1, 12).map(lambda m: f"2015年{m}月"),
    st.integers(1, 99).map(lambda n: f"第{n}段"),
    st.sampled_from(["。", "，", "、", "A/70/1", "(a)"]),
)


@st.composite
def _noted_document(draw: st.DrawFn) -> tuple[str, str, dict[str, str]]:
    lang = draw(st.sampled_from(["en", "fr", "es", "ru", "ar", "zh"]))
    join = "" if lang == "zh" else " "
    language = find_language(lang)
    abbreviations = {a.lower().rstrip(".") for a in language.abbreviations} if language else set()
    units = language.number_units if language else frozenset()
    word = _HAN_WORD if lang == "zh" else _LATIN_WORD
    if abbreviations and lang != "zh":  # a number its language's abbreviation announces
        word = st.one_of(word, st.tuples(st.sampled_from(sorted(abbreviations)),
                                         st.integers(1, 99)).map(lambda t: f"{t[0]}.{t[1]}"))
    paragraphs = draw(st.lists(st.lists(word, min_size=3, max_size=30), min_size=1, max_size=5))
    lines, expected = [], {}
    notes: list[str] = []
    for k, words in enumerate(paragraphs, 1):
        text, shown = [], []
        for i, w in enumerate(words):
            shown.append(w)
            mark = ""
            # a marker after a word that ends in a letter (the notes' own
            # numbers, in the order they appear; bracketed in Arabic)
            # (not where a plain text cannot tell one: after an abbreviation that
            # announces a number, "para3", nor a Chinese paragraph's last word,
            # "项目1", nor one glued to what follows it, "第1(a)段", or before a
            # measure word, "报告1年"; a raised glyph tells them in a PDF)
            if (regex.search(r"\p{L}$", w) and w.lower().rstrip(".") not in abbreviations
                    and not (lang == "zh" and (i == len(words) - 1
                                               or not regex.match(r"[\p{Han}，。、]", words[i + 1])
                                               or words[i + 1][0] in units))
                    and draw(st.integers(0, 9)) == 0 and len(notes) < 9):
                notes.append(draw(_LINE.filter(lambda t: bool(t.strip()))))
                mark = f"({len(notes)})" if lang == "ar" else str(len(notes))
            text.append(w + mark)
            # a wrapped line, opening with a word (a line of numbers alone may
            # be a page number or a table row; so may a last word alone that is
            # a number with its abbreviation, which in Russian is also the page
            # word: a line "стр.1" is a page number)
            if (i % 8 == 7 and i + 1 < len(words) and regex.match(r"\p{L}", words[i + 1])
                    and not (i + 2 == len(words) and regex.search(r"\d", words[i + 1]))):
                text.append("\n")
        body = join.join(text).replace(f"{join}\n{join}", "\n").replace(join + "\n", "\n")
        lines.append(f"{k}.{join or ' '}{body}")
        expected[str(k)] = join.join(shown)
    source = "\n\n".join(lines) + "\n"
    if notes:
        source += f"{SEP}\n" + "\n".join(f" {f'({n})' if lang == 'ar' else n} {t.strip()}"
                                          for n, t in enumerate(notes, 1))
    return lang, source, expected


@settings(max_examples=150, deadline=None)
@given(_noted_document())
def test_cleaning_deletes_no_body_text(case: tuple[str, str, dict[str, str]]) -> None:
    """The body units hold the paragraphs' letters, digits and CJK characters
    in order, no fewer and no more, whatever the numbers in them: only the
    paragraph numbers and the markers go."""
    lang, source, expected = case
    units = [u.text for u in parse_document(split_lines(source), lang).units
             if u.kind != "footnote"]
    # the units' text in order, however the lines were grouped into units
    assert _content(" ".join(units)) == _content(" ".join(expected.values())), units


@st.composite
def _paged_document(draw: st.DrawFn) -> tuple[str, str, dict[str, str]]:
    """:func:`_noted_document` set on 1-3 pages as the PDF reader gives them:
    the masthead line (the organisation's name and the symbol) on page 1, the
    symbol as the running head atop the others, a footer of job number and
    page number on each, the notes at the last page's foot."""
    lang, source, expected = draw(_noted_document())
    body, sep, notes = source.partition(SEP)
    paragraphs = body.rstrip("\n").split("\n\n")
    cuts = sorted(draw(st.sets(st.integers(1, len(paragraphs) - 1), max_size=2))
                  if len(paragraphs) > 1 else set())
    pages = [paragraphs[a:b] for a, b in zip([0, *cuts], [*cuts, len(paragraphs)], strict=True)]
    language = find_language(lang)
    name = language.masthead_names[0] if language and language.masthead_names else ""
    out = []
    for k, page in enumerate(pages, 1):
        text = f"{name}  A/70/999\n\n" if k == 1 else "A/70/999\n\n"
        text += "\n\n".join(page) + "\n"
        if k == len(pages) and sep:
            text += sep + notes.rstrip("\n") + "\n"
        text += ("\nGE.15-99999(E)  *1599999*\n" if k == 1
                 else f"\n{k}/{len(pages)}  15-99999\n")
        out.append(text)
    return lang, "\f".join(out), expected


@settings(max_examples=100, deadline=None)
@given(_paged_document())
def test_cleaning_deletes_no_body_text_across_pages(case: tuple[str, str, dict[str, str]]
                                                    ) -> None:
    """As :func:`test_cleaning_deletes_no_body_text`, the paragraphs set on
    pages with a masthead, running heads and footers: the furniture goes, every
    body letter, digit and CJK character stays, in order."""
    lang, source, expected = case
    units = [u.text for u in parse_document(split_lines(source), lang).units
             if u.kind not in ("footnote", "header")]
    assert _content(" ".join(units)) == _content(" ".join(expected.values())), units
