"""A document with every line break removed gets its paragraphs and headings back."""

from __future__ import annotations

from bitext.ingest.clean import split_lines
from bitext.ingest.structure import parse_document
from bitext.ingest.unfold import LONG_LINE, unfold_lines

BODY_EN = ("The Committee considered the report on item {k} and the techni- cal notes on "
           "it in detail. It requested the secretariat to prepare a revised text for its "
           "next session, taking into account the views expressed by the delegations. ")
BODY_ZH = ("委员会详细审议了关于项目{k}的报告及其技术说明。"
           "委员会请秘书处为下届会议编写订正案文，并考虑到各代表团表达的意见。")


def flat_en() -> str:
    parts = ["Eighth session Vienna, 17-21 October 2016 Report of the Secretariat",
             "I. Introduction"]
    for k in range(1, 13):
        if k == 5:
            parts.append("II. Activities to assist States")
        if k == 7:
            parts.append("A. Normative work")
        text = f"{k}. " + BODY_EN.format(k=k) * 2
        if k == 8:  # a page break in the middle of a sentence
            text = text.replace("next session,", "next V.16-04962 3/13 CTOC/COP/2016/3 session,")
        parts.append(text.strip())
    return " ".join(parts)


def flat_zh() -> str:
    parts = ["第八届会议2016年10月17日至21日，维也纳秘书处的报告", "一、 导言"]
    for k in range(1, 40):
        if k == 5:
            parts.append("二、 协助各国的活动")
        parts.append(f"{k}. " + BODY_ZH.format(k=k) * 2)
    return "".join(parts)


def test_a_flat_english_document_gets_its_structure_back() -> None:
    text = flat_en()
    assert len(text) > LONG_LINE
    doc = parse_document(split_lines(text), "en")
    labels = [u.label for u in doc.units]
    assert labels == ["header1", "I", "1", "2", "3", "4", "II", "5", "6", "II.A",
                      "7", "8", "9", "10", "11", "12"], labels
    assert [u.text for u in doc.units if u.label == "II"] == ["Activities to assist States"]
    everything = " ".join(s for u in doc.units for s in u.sentences)
    assert "V.16-04962" not in everything and "3/13" not in everything
    assert "next session, taking" in everything
    assert "technical notes" in everything and "techni-" not in everything
    assert all(len(u.sentences) == 4 for u in doc.units if u.label.isdigit())


def test_a_flat_chinese_document_gets_its_structure_back() -> None:
    text = flat_zh()
    assert len(text) > LONG_LINE
    doc = parse_document(split_lines(text), "zh")
    labels = [u.label for u in doc.units]
    assert labels == ["header1", "I", "1", "2", "3", "4", "II",
                      *(str(k) for k in range(5, 40))], labels
    assert all(len(u.sentences) == 4 for u in doc.units if u.label.isdigit())


def test_short_lines_and_real_paragraphs_are_left_alone() -> None:
    lines = split_lines("1. A paragraph. It ends here.\n\n2. Another one.\n")
    assert unfold_lines(lines, "en") == (lines, False)
    # a long paragraph that mentions numbers is not cut where no sequence runs
    long = ("The Committee noted that 3. per cent of the budget and item 2. of the "
            "agenda were discussed at length. " * 60)
    one = split_lines("1. " + long)
    out, cut = unfold_lines(one, "en")
    assert not cut and [ln.text for ln in out] == [ln.text for ln in one]
