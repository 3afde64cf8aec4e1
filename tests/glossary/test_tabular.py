"""CSV and TSV glossaries."""

from __future__ import annotations

import csv
import logging
from pathlib import Path

import pytest

from bitext.glossary import Concept, Example, Term, read_glossary, write_glossary
from bitext.glossary.tabular import header


def concept(zh: str, en: str, *variants: str) -> Concept:
    terms = (Term(zh, "zh"), Term(en, "en"), *(Term(v, "en", "variant") for v in variants))
    return Concept(id="c1", src_lang="zh", tgt_lang="en", terms=terms, score=0.5, cooc=2,
                   freq_src=2, freq_tgt=3, examples=(Example("一，二", 'one, "two"', "7"),))


def test_csv_is_rfc4180_utf8_without_bom(tmp_path: Path) -> None:
    path = tmp_path / "g.csv"
    write_glossary([concept("偷运移民", 'smuggling, "of" migrants', "migrant smuggling")], path)
    raw = path.read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf")
    assert raw.split(b"\r\n")[0].decode() == ",".join(header("zh", "en"))
    rows = list(csv.reader(raw.decode("utf-8").splitlines()))
    assert rows[1][1:5] == ["偷运移民", 'smuggling, "of" migrants', "", "migrant smuggling"]
    assert '"smuggling, ""of"" migrants"' in raw.decode("utf-8")
    back = read_glossary(path)[0]
    assert [t.text for t in back.terms] == ["偷运移民", 'smuggling, "of" migrants',
                                            "migrant smuggling"]
    assert back.examples == (Example("一，二", 'one, "two"', "7"),)
    assert (back.score, back.cooc, back.freq_tgt) == (0.5, 2, 3)


def test_tsv_replaces_tabs_and_line_breaks(tmp_path: Path,
                                          caplog: pytest.LogCaptureFixture) -> None:
    path = tmp_path / "g.tsv"
    with caplog.at_level(logging.WARNING):
        replaced = write_glossary([concept("会员\t国", "Member\nStates\r\n")], path)
    assert replaced == 3 and "replaced 3" in caplog.text
    lines = path.read_text(encoding="utf-8").split("\n")
    assert lines[0].split("\t") == header("zh", "en")
    assert lines[1].split("\t")[1:3] == ["会员 国", "Member States "]
    assert len(lines) == 3 and lines[2] == ""
    assert read_glossary(path)[0].zh == "会员 国"


@pytest.mark.parametrize("name", ["g.csv", "g.tsv"])
def test_tables_replace_what_no_text_file_may_hold(tmp_path: Path, name: str,
                                                   caplog: pytest.LogCaptureFixture) -> None:
    """A lone surrogate (a JSONL alignment may hold one as an escape) cannot be
    written as UTF-8, a NUL or form feed breaks spreadsheets: each becomes a space,
    as in every other exporter, and the warning counts them."""
    path = tmp_path / name
    with caplog.at_level(logging.WARNING):
        replaced = write_glossary([concept("会员\ud800国", "Member\x00States")], path)
    assert replaced == 2 and "replaced 2" in caplog.text
    back = read_glossary(path)[0]
    assert (back.zh, back.en) == ("会员 国", "Member States")


def test_tables_of_real_concepts_round_trip(tmp_path: Path,
                                            sample_concepts: list[Concept]) -> None:
    for name in ("g.csv", "g.tsv"):
        path = tmp_path / name
        write_glossary(sample_concepts, path)
        back = read_glossary(path)
        assert [(c.zh, c.en, c.zh_variants, c.en_variants) for c in back] == [
            (c.zh, c.en, c.zh_variants, c.en_variants) for c in sample_concepts]


def test_minimal_two_column_table_reads(tmp_path: Path) -> None:
    path = tmp_path / "mine.tsv"
    path.write_text("zh\ten\n会员国\tMember States | Member State\n", encoding="utf-8")
    (c,) = read_glossary(path)
    assert c.en == "Member States" and c.en_variants == ("Member State",)


def test_tsv_rows_end_at_line_feeds_only(tmp_path: Path) -> None:
    """A glossary TSV made elsewhere may hold U+2028 inside a cell: the row stays one."""
    path = tmp_path / "mine.tsv"
    path.write_text("zh\ten\n会员国\tMember\u2028States\n联合国\tUnited Nations\n",
                    encoding="utf-8")
    assert [(c.zh, c.en) for c in read_glossary(path)] == [
        ("会员国", "Member\u2028States"), ("联合国", "United Nations")]


@pytest.mark.parametrize("name", ["g.csv", "g.tsv"])
def test_spreadsheets_do_not_run_text_as_formulas(tmp_path: Path, name: str) -> None:
    """A document sentence or term opening with = + - @ became a live formula when
    a terminologist opened the table in a spreadsheet (CSV injection: =HYPERLINK,
    =cmd|...). Text cells opening so get a leading apostrophe, which spreadsheets
    read as "text" and hide; numbers stay numbers, and reading the table back
    gives the text as it was."""
    path = tmp_path / name
    risky = ['=HYPERLINK("http://x.example","y")', "+1 (212) 963-1234", "@SUM(A1)",
             "-based approach", "'=already quoted"]
    c = Concept(id="c1", src_lang="zh", tgt_lang="en",
                terms=(Term("=1+1", "zh"), Term(risky[0], "en"),
                       *(Term(v, "en", "variant") for v in risky[1:])),
                score=0.5, examples=(Example("-一，二", "@one", "-3"),))
    write_glossary([c], path)
    with path.open(encoding="utf-8", newline="") as fh:
        cells = [cell for row in csv.reader(fh, delimiter="," if name.endswith("csv") else "\t")
                 for cell in row]
    assert not [cell for cell in cells if cell[:1] in ("=", "+", "@")
                or (cell.startswith("-") and not cell.lstrip("-").replace(".", "").isdigit())]
    assert "0.5000" in cells
    (back,) = read_glossary(path)
    assert back.zh == "=1+1" and back.en == risky[0]
    assert back.en_variants == tuple(risky[1:])
    assert back.examples == (Example("-一，二", "@one", "-3"),)
