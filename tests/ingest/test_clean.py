"""Table-driven tests of the cleaning rules (line joining, spacing, hyphenation, markers)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bitext.ingest.clean import (
    Dehyphenator,
    MarkerRemover,
    extract_footnotes,
    is_furniture,
    join_lines,
    normalize_spacing,
    split_lines,
)

JOIN_CASES = [
    ("zh joined without space", ["本报告旨在向", "联合国介绍"], "zh", "本报告旨在向联合国介绍"),
    ("zh hyphen kept", ["“2015-", "2020 年"], "zh", "“2015-2020年"),
    ("zh symbol rejoined", ["（CTOC/ ", "COP/WG.7/2015/3）"], "zh", "（CTOC/COP/WG.7/2015/3）"),
    ("zh URL rejoined", ["www.unodc.org/a/UNODC_SOM_ ", "Summary.pdf。"], "zh",
     "www.unodc.org/a/UNODC_SOM_Summary.pdf。"),
    ("zh latin words spaced", ["the United", "Nations"], "zh", "the United Nations"),
    # a line of Chinese breaks anywhere, inside a number too (seen in PDFs printed by
    # chromium: 4月2|9日 read as '2 9'); made-up text
    ("zh day broken inside", ["会议于2016年3月1", "7日举行"], "zh", "会议于2016年3月17日举行"),
    ("zh percentage broken inside", ["增加了1", "5%。"], "zh", "增加了15%。"),
    ("zh year broken inside", ["于20", "18年通过"], "zh", "于2018年通过"),
    ("zh full-width digits", ["第１", "２段"], "zh", "第１２段"),
    # where a thousands group may start (1-3 digits, then exactly 3), the break may
    # be the group's space (UN Chinese writes 312 500): kept, as before
    ("zh thousands group kept", ["共计312", "500美元"], "zh", "共计312 500美元"),
    # ... but a calendar year is never grouped: digits a year mark follows
    # (年) join, a 1 + 3 break included (made-up text)
    ("zh year broken after its first digit", ["于2", "015年通过"], "zh", "于2015年通过"),
    ("zh four-digit count grouped", ["共计2", "500人"], "zh", "共计2 500人"),
    ("en joined with space", ["The Office ", "continued"], "en", "The Office continued"),
    ("en mid-word hyphen undone", ["the implemen-", "tation of"], "en", "the implementation of"),
    ("en compound keeps hyphen", ["capacity-", "building activities"], "en",
     "capacity-building activities"),
    ("en capitalised compound", ["the Secretary-", "General"], "en", "the Secretary-General"),
    # a range or a number's compound broken at its hyphen: no word to undo
    ("en range kept whole", ["for the period 2016-", "2017. The"], "en",
     "for the period 2016-2017. The"),
    ("es range kept whole", ["el bienio 2014-", "2015 basada"], "es", "el bienio 2014-2015 basada"),
    # Spanish writes few compounds with a hyphen: a word broken into two words
    # (canta- / dos) is the word when the language knows it at all; a compound
    # of two words whose joined form it does not know keeps its hyphen (made up)
    ("es word broken into two words", ["los himnos canta-", "dos en la sesión"], "es",
     "los himnos cantados en la sesión"),
    ("es compound of two words", ["el acuerdo franco-", "alemán de la sesión"], "es",
     "el acuerdo franco-alemán de la sesión"),
    # Russian and French: a word broken into two common words whose joined
    # form the language knows at Zipf 2.5-3 (an inflected form) is the word;
    # a compound whose joined form is rarer keeps its hyphen (made up)
    ("ru word broken into two words", ["она долго вынос-", "ила этот план"], "ru",
     "она долго выносила этот план"),
    ("ru compound of two words", ["и по-", "прежнему рассматривает"], "ru",
     "и по-прежнему рассматривает"),
    ("fr word broken into two words", ["il continuer-", "ait ainsi ses travaux"], "fr",
     "il continuerait ainsi ses travaux"),
    ("fr compound of two words", ["il peut-", "être venu"], "fr", "il peut-être venu"),
    # a suspended hyphen (its compound ends after the conjunction) before a
    # line break keeps the space after it; a compound whose next part is a
    # conjunction goes on with a hyphen (made-up words)
    ("en suspended hyphen", ["for pre-", "and post-session documents"], "en",
     "for pre- and post-session documents"),
    ("en suspended hyphen before or", ["two-", "or three-day meetings"], "en",
     "two- or three-day meetings"),
    ("en conjunction inside a compound", ["a rock-", "and-roll band"], "en",
     "a rock-and-roll band"),
    ("fr suspended hyphen", ["les réunions pré-", "et post-session"], "fr",
     "les réunions pré- et post-session"),
    ("es suspended hyphen", ["los documentos pre-", "y postsesión"], "es",
     "los documentos pre- y postsesión"),
    ("ru suspended hyphen", ["для двух-", "и трехдневных заседаний"], "ru",
     "для двух- и трехдневных заседаний"),
    # ... but a word broken where its rest reads as a conjunction is joined
    ("ru word broken before a conjunction's letters", ["они часто говор-", "или об этом"],
     "ru", "они часто говорили об этом"),
    ("en URL broken at hyphen", ["www.unodc.org/new-campaign-draws-attention-to-",
                                 "plight-of-migrants.html."], "en",
     "www.unodc.org/new-campaign-draws-attention-to-plight-of-migrants.html."),
    ("en URL broken at slash", ["Available from www.unodc.org/documents/",
                                "som/report.pdf."], "en",
     "Available from www.unodc.org/documents/som/report.pdf."),
]


@pytest.mark.parametrize(("name", "parts", "lang", "expected"), JOIN_CASES,
                         ids=[c[0] for c in JOIN_CASES])
def test_join(name: str, parts: list[str], lang: str, expected: str) -> None:
    dehyph = None if lang == "zh" else Dehyphenator("", lang)
    assert normalize_spacing(join_lines(parts, lang, dehyph), lang) == expected


def test_dehyphenation_uses_document_evidence() -> None:
    # "e-learning" is written with its hyphen elsewhere in the document.
    d = Dehyphenator("three e-learning courses and more e-learning", "en")
    assert join_lines(["the e-", "learning module"], "en", d) == "the e-learning module"
    d = Dehyphenator("the crossborder flows", "en")
    assert join_lines(["cross-", "border"], "en", d) == "crossborder"


def test_a_compound_of_two_words_of_the_document_keeps_its_hyphen() -> None:
    """``next-`` / ``triennium``: neither ``nexttriennium`` nor ``next-triennium``
    is known, and ``triennium`` is too rare a word for the frequency list to
    say it is one, but the document writes it on its own: a word, so the
    hyphen is the compound's. A fragment (``tation``) never stands alone."""
    body = "plans for the triennium were made\nand for the next-\ntriennium as well"
    d = Dehyphenator(body, "en")
    assert join_lines(["for the next-", "triennium as well"], "en", d) == (
        "for the next-triennium as well")
    # the broken word itself is no evidence: without another, the frequency
    # list decides as before
    d = Dehyphenator("and for the next-\ntriennium as well", "en")
    assert join_lines(["for the next-", "triennium as well"], "en", d) == (
        "for the nexttriennium as well")


SPACING_CASES = [
    ("han and digits", "2016 年 10 月 17 日", "zh", "2016年10月17日"),
    ("justified spacing", "可 查 阅 ： www.unodc.org", "zh", "可查阅：www.unodc.org"),
    ("non-CJK space kept", "第 2240 (2015)号决议", "zh", "第2240 (2015)号决议"),
    ("collapse en", "  too   many  spaces ", "en", "too many spaces"),
    ("ideographic space", "导言\u3000一", "zh", "导言一"),
]


@pytest.mark.parametrize(("name", "text", "lang", "expected"), SPACING_CASES,
                         ids=[c[0] for c in SPACING_CASES])
def test_spacing(name: str, text: str, lang: str, expected: str) -> None:
    assert normalize_spacing(text, lang) == expected


@given(st.text(), st.sampled_from(["zh", "en"]))
def test_spacing_idempotent(text: str, lang: str) -> None:
    once = normalize_spacing(text, lang)
    assert normalize_spacing(once, lang) == once


MARKER_CASES = [
    ("zh after comma", "zh", ["1"], "报告，1而此报告", "报告，而此报告", ("1",)),
    ("zh after full stop", "zh", ["2"], "努力。2通过该战略", "努力。通过该战略", ("2",)),
    ("zh after quote", "zh", ["3"], "战略”，3涵盖了", "战略”，涵盖了", ("3",)),
    ("zh spaced number kept", "zh", ["1"], "共有 1 个", "共有 1 个", ()),
    ("zh unknown footnote kept", "zh", ["1"], "报告，7而", "报告，7而", ()),
    ("zh asterisk", "zh", ["*"], "临时议程*项目", "临时议程项目", ("*",)),
    ("zh asterisk without its note", "zh", ["1"], "南非*和", "南非*和", ()),
    ("en after comma", "en", ["1"], "on the subject,1 which", "on the subject, which", ("1",)),
    ("en after period", "en", ["2"], "the Mediterranean.2 Through", "the Mediterranean. Through",
     ("2",)),
    ("en after word", "en", ["4"], "the report4 analysed", "the report analysed", ("4",)),
    ("en Corr.1 kept", "en", ["1"], "A/70/59/Corr.1 and Corr.1 here",
     "A/70/59/Corr.1 and Corr.1 here",
     ()),
    ("en G7 kept", "en", ["7"], "the G7 summit", "the G7 summit", ()),
    ("en decimal kept", "en", ["2"], "grew by 4.2 per cent", "grew by 4.2 per cent", ()),
    ("en asterisk", "en", ["*", "1"], "provisional agenda*", "provisional agenda", ("*",)),
    # Arabic brackets its markers: one after a bracketed year (made-up text)
    ("ar after a bracketed year", "ar", ["1"], "القرار 2112 (2013) (1) بشأن",
     "القرار 2112 (2013) بشأن", ("1",)),
    ("ar bracketed item after a year kept", "ar", ["1"], "القرار 2112 (2013) (2) بشأن",
     "القرار 2112 (2013) (2) بشأن", ()),
    ("en asterisks without their note", "en", ["*"], "Africa* and Palestine:** draft",
     "Africa and Palestine:** draft", ("*",)),
]


@pytest.mark.parametrize(("name", "lang", "known", "text", "expected", "refs"), MARKER_CASES,
                         ids=[c[0] for c in MARKER_CASES])
def test_markers(name: str, lang: str, known: list[str], text: str, expected: str,
                 refs: tuple[str, ...]) -> None:
    assert MarkerRemover(known, lang)(text) == (expected, refs)


def test_markers_never_go_backwards() -> None:
    remove = MarkerRemover(["1", "2", "3"], "en")
    assert remove("the subject,2 which")[1] == ("2",)
    assert remove("the earlier one,1 which") == ("the earlier one,1 which", ())


def test_markers_without_positions_follow_the_sequence() -> None:
    """Without footnote positions a number far ahead of the last marker is no marker."""
    remove = MarkerRemover([str(n) for n in range(1, 10)], "en")
    assert remove("in Geneva,7 which") == ("in Geneva,7 which", ())
    assert remove("in Geneva,1 which") == ("in Geneva, which", ("1",))


def test_markers_with_positions_need_the_footnote_on_the_page() -> None:
    """A footnote printed at the foot of the unit's page is evidence; elsewhere it is not."""
    remove = MarkerRemover(["1", "7"], "zh", areas={1: 50, 7: 500})
    assert remove("于2015年7月举行", (0, 40)) == ("于2015年7月举行", ())
    assert remove("报告，7而", (450, 480)) == ("报告，而", ("7",))


FURNITURE_CASES = [
    ("job number first page", "V.16-04962 (E)    040816    050816", True),
    ("footer even", "2/15 V.16-04962", True),
    ("footer odd", "V.16-04962 3/15", True),
    ("bar code", "*1604962*", True),
    ("bare page number", "12", True),
    ("repeated running head", "CTOC/COP/2016/3", True),
    ("text line", "12. The General Assembly adopted resolution 69/197.", False),
    ("symbol in text", "A/70/59 号文件。", False),
]


@pytest.mark.parametrize(("name", "line", "expected"), FURNITURE_CASES,
                         ids=[c[0] for c in FURNITURE_CASES])
def test_furniture(name: str, line: str, expected: bool) -> None:
    assert is_furniture(line, {"CTOC/COP/2016/3"}) is expected


def test_footnotes_moved_out_in_sequence() -> None:
    text = (
        "5. Text of the paragraph\n"
        "__________________\n"
        " 1 A/70/59.\n"
        " 2 Available from www.unodc.org/documents/\n"
        "som/report.pdf.\n"
        "V.16-04962 3/15\n"
        "continued text.\n"
        "__________________\n"
        " 7 Not a footnote in sequence\n"
    )
    lines = split_lines(text)
    furniture = {i for i, ln in enumerate(lines) if is_furniture(ln.text, set())}
    notes, used = extract_footnotes(lines, furniture)
    assert [n.label for n in notes] == ["1", "2"]
    assert [ln.text for ln in notes[1].lines] == [
        " 2 Available from www.unodc.org/documents/", "som/report.pdf."]
    body = [ln.text for i, ln in enumerate(lines) if i not in used and i not in furniture]
    assert "continued text." in body
    assert " 7 Not a footnote in sequence" in body


def test_split_lines_spans_and_form_feed() -> None:
    text = "ab\r\ncd\fef\n"
    lines = split_lines(text)
    assert [ln.text for ln in lines] == ["ab", "cd", "ef"]
    assert [text[ln.start:ln.end] for ln in lines] == ["ab", "cd", "ef"]
    assert [ln.page_break for ln in lines] == [False, False, True]


def test_masthead_asterisk_without_a_star_note_is_a_marker() -> None:
    """The agenda item's asterisk marks a note printed on page 1; where the
    extraction lost that note it is still no text. In the body it is."""
    remove = MarkerRemover(["1"], "en")
    assert remove("Item 2 (c) of the provisional agenda*", header=True) == (
        "Item 2 (c) of the provisional agenda", ("*",))
    assert remove("South Africa* and Palestine", header=False) == (
        "South Africa* and Palestine", ())


def test_note_line_opening_with_a_number_out_of_sequence_continues_the_note() -> None:
    """A note broken before ``10 a.m.`` goes on: a line opening with a number is a
    new note only when it is the next one."""
    text = (
        "1. Text of the paragraph.1 More.2 And.3\n"
        "__________________\n"
        "1 A/70/59.\n"
        "2 The meeting will be held on Tuesday, 8 April 2015, at\n"
        "10 a.m.\n"
        "3 Draft resolution submitted by the Chair\n"
    )
    lines = split_lines(text)
    notes, used = extract_footnotes(lines, set())
    assert [n.label for n in notes] == ["1", "2", "3"]
    assert [ln.text for ln in notes[1].lines] == [
        "2 The meeting will be held on Tuesday, 8 April 2015, at", "10 a.m."]
    assert used == set(range(1, 6))


def test_a_long_line_of_symbol_parts_is_checked_in_linear_time() -> None:
    """The symbol line pattern backtracked through every '/' part of a line that
    fails at its end: 'A/' 100,000 times took 2.5 CPU s and the time grew with the
    line's length squared ('bitext segment' of 'A/' 1.5 million times, a 3 MB file,
    ran past timeout 60). A symbol's parts are matched without giving back."""
    from bitext.ingest.clean import _SYMBOL_LINE, is_furniture

    line = "A/" * 1_500_000
    assert not is_furniture(line, set())
    assert _SYMBOL_LINE.match(line) is None
    assert _SYMBOL_LINE.match(" A/HRC/31/65/Add.1 ") is not None


def test_note_continued_on_the_next_page_without_a_full_stop() -> None:
    """A note broken at the foot of a page goes on above the next page's notes;
    a note that is a clause of a resolution ends with ``;``, not a full stop:
    the next note's number after it is evidence enough."""
    text = (
        "1. Text of the paragraph.1 More text2 to read\n"
        "__________________\n"
        "1 A/70/59.\n"
        "2 Invites the working group to finish its review of the\n"
        "V.16-04962 3/15\n"
        "2. Further text3 of the report.\n"
        "__________________\n"
        "procedure;\n"
        "3 See the annex to the present note\n"
    )
    lines = split_lines(text)
    furniture = {i for i, ln in enumerate(lines) if is_furniture(ln.text, set())}
    notes, used = extract_footnotes(lines, furniture)
    assert [n.label for n in notes] == ["1", "2", "3"]
    assert [ln.text for ln in notes[1].lines][-1] == "procedure;"
    body = [ln.text for i, ln in enumerate(lines) if i not in used and i not in furniture]
    assert body == ["1. Text of the paragraph.1 More text2 to read",
                    "2. Further text3 of the report."]


@pytest.mark.parametrize(("after", "goes_on", "second_note"), [
    ("\n2 The second note.\n", True, True),  # the next note follows: the lines are note 1's
    ("\nGE.15-12345(E)\n\fA/70/1\n2. The body.\n", True, False),  # they end the page
    # neither (the next page's body right after the note): note 1 ends at its full stop
    ("2. The body goes on here.\n\n3. And on.\n", False, False),
    ("\n2. The body goes on here.\n", False, False),
])
def test_a_note_of_sentences_broken_at_a_sentence_end(after: str, goes_on: bool,
                                                      second_note: bool) -> None:
    """A note of several sentences whose line ends with one of them goes on
    when its lines run into the next note (LibreOffice's long notes) or end the
    page; without that evidence it ends there, as a text file's body may follow
    a note."""
    text = (
        "1. Text of the paragraph.1 More text2 to read\n"
        "__________________\n"
        "1 The first sentence of the note ends at the line end.\n"
        "The second sentence of the note is on the next line.\n"
        + after
    )
    lines = split_lines(text)
    furniture = {i for i, ln in enumerate(lines) if is_furniture(ln.text, set())}
    notes, _used = extract_footnotes(lines, furniture)
    assert [ln.text for ln in notes[0].lines][-1] == (
        "The second sentence of the note is on the next line." if goes_on else
        "1 The first sentence of the note ends at the line end.")
    assert [n.label for n in notes] == (["1", "2"] if second_note else ["1"])
