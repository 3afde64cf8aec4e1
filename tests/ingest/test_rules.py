"""Table-driven cases for cleaning and structure rules met in unseen UN documents."""

from __future__ import annotations

import pytest

from bitext.ingest.clean import MarkerRemover, extract_footnotes, is_furniture, split_lines
from bitext.ingest.structure import is_table_row

FURNITURE = [
    ("New York job number", "16-13254 (E)     120816", True),
    ("job number glued language", "GE.16-12345(E)", True),
    ("Chinese footer", "2/19      16-13254 (C)", True),
    ("odd footer bare job", "16-13254      3/19", True),
    ("bar code and recycle", "*1613254*                      Please recycle", True),
    ("recycle zh", "*1613254*            请回收", True),
    ("recycle alone", "Please recycle", True),
    ("year range is text", "2015-2020", False),
    ("sentence with recycle", "States were asked to recycle waste.", False),
]


@pytest.mark.parametrize(("name", "line", "expected"), FURNITURE, ids=[c[0] for c in FURNITURE])
def test_furniture(name: str, line: str, expected: bool) -> None:
    assert is_furniture(line, set()) is expected


MARKERS = [
    ("zh marker then space", "zh", ["1"], "提交报告。1 本报告", "提交报告。 本报告", ("1",)),
    ("zh marker after word then space", "zh", ["2"], "会员国2 以及", "会员国 以及", ("2",)),
    ("zh marker at the end", "zh", ["3"], "的报告。3", "的报告。", ("3",)),
    ("zh number at the end kept", "zh", ["3"], "临时议程项目3", "临时议程项目3", ()),
    ("en two-digit marker", "en", ["10", "11"], "the States,10 which", "the States, which",
     ("10",)),
    ("en marker after bracket", "en", ["12"], "(UNODC).12 It", "(UNODC). It", ("12",)),
]


@pytest.mark.parametrize(("name", "lang", "known", "text", "expected", "refs"), MARKERS,
                         ids=[c[0] for c in MARKERS])
def test_markers(name: str, lang: str, known: list[str], text: str, expected: str,
                 refs: tuple[str, ...]) -> None:
    assert MarkerRemover(known, lang)(text) == (expected, refs)


def _notes(text: str) -> tuple[list[str], list[str]]:
    lines = split_lines(text)
    furniture = {i for i, ln in enumerate(lines) if is_furniture(ln.text, set())}
    notes, used = extract_footnotes(lines, furniture)
    body = [ln.text.strip() for i, ln in enumerate(lines)
            if i not in used and i not in furniture and not ln.blank]
    texts = [" ".join(ln.text.strip() for ln in n.lines) for n in notes]
    return texts, body


def test_footnote_continued_on_next_page() -> None:
    texts, body = _notes(
        "text.1\n__________________\n 1 The replies received late from\n"
        "V.16-01234 3/6\nmore text.\n__________________\n two States.\n 2 See A/70/59.\n")
    assert texts == ["1 The replies received late from two States.", "2 See A/70/59."]
    assert body == ["text.1", "more text."]


def test_separator_without_footnotes_leaves_body_alone() -> None:
    texts, body = _notes(
        "text.1\n__________________\n 1 A finished note.\nV.16-01234 3/6\n"
        "__________________\n and the paragraph goes on.\n")
    assert texts == ["1 A finished note."]
    assert body == ["text.1", "and the paragraph goes on."]


TABLE_ROWS = [
    ("layout row", "Asia and the Pacific        9         11        13", True),
    ("header row of years", "Region                   2014       2015      2016", True),
    ("numbers only", "12 14 15 17", True),
    ("zh row", "非洲          12 个        14 个       15 个", True),
    ("sub-item with wide gap", "(a)    Legislation and policy;", False),
    ("prose with numbers", "In 2015, 12 States and 14 entities replied.", False),
    ("two cells", "Total        28", False),
]


@pytest.mark.parametrize(("name", "line", "expected"), TABLE_ROWS, ids=[c[0] for c in TABLE_ROWS])
def test_table_row(name: str, line: str, expected: bool) -> None:
    assert is_table_row(line) is expected
