"""Translation memories as glossary input: TMX of three tools' styles, XLIFF 1.2 and
2.0, TSV, bad units, several files, provenance, and build's own TMX fed back."""

from __future__ import annotations

import gzip
import logging
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bitext.errors import InputError
from bitext.glossary import read_glossary
from bitext.glossary.memories import memory_format, read_memories, read_memory

DATA = Path(__file__).parent / "data"
BITEXT = [sys.executable, "-m", "bitext"]


def texts(path: Path, **kw: object) -> list[tuple[str, str, str]]:
    al = read_memory(path, **kw)  # type: ignore[arg-type]
    return [(p.src[0], p.tgt[0], p.label) for p in al.pairs]


def test_eluna_style_picks_chinese_and_english_of_four_languages(
        caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING):
        al = read_memory(DATA / "eluna-style.tmx")
    assert (al.src_lang.lower(), al.tgt_lang.lower()) == ("en", "zh")
    rows = [(p.src[0], p.tgt[0], p.label) for p in al.pairs]
    assert rows[0] == ("The World Health Organization provided technical assistance.",
                       "世界卫生组织提供了技术援助。", "eluna-style.tmx#A/70/1-0001")
    assert len(rows) == 2  # an empty Chinese side and a Chinese "English" side are skipped
    assert "empty side" in caplog.text and "not in the declared language" in caplog.text


def test_eluna_style_language_pair_by_option() -> None:
    al = read_memory(DATA / "eluna-style.tmx", src_lang="zh", tgt_lang="en")
    assert al.pairs[0].src[0].startswith("世界卫生组织")
    assert al.pairs[0].tgt[0].startswith("The World Health")


def test_trados_style_inline_codes_dropped_words_kept() -> None:
    rows = texts(DATA / "trados-style.tmx")
    assert rows[0][:2] == ("Disease surveillance is the foundation of public health.",
                           "疾病监测是公共卫生的基础。")
    assert rows[1][:2] == ("Public health authorities cooperated with technical assistance teams.",
                           "公共卫生部门与技术援助小组合作。")
    assert rows[0][2] == "trados-style.tmx#tu1"  # no tuid: the unit's position


def test_memoq_style_gzip_all_languages_and_lang_attribute(tmp_path: Path) -> None:
    gz = tmp_path / "memoq.tmx.gz"
    gz.write_bytes(gzip.compress((DATA / "memoq-style.tmx").read_bytes()))
    rows = texts(gz)
    assert rows[0][:2] == (
        "Vaccination campaigns covered rural areas with disease surveillance teams.",
        "疫苗接种运动覆盖了农村地区的疾病监测小组。")
    assert len(rows) == 2


def test_xliff_12_only_translated_units_unless_all() -> None:
    rows = texts(DATA / "job-1.2.xlf")
    assert [r[2] for r in rows] == ["job-1.2.xlf#p1", "job-1.2.xlf#p2", "job-1.2.xlf#p4"]
    assert rows[0][:2] == ("The World Health Organization assisted Member States.",
                           "世界卫生组织协助了会员国。")
    assert len(texts(DATA / "job-1.2.xlf", all_units=True)) == 4


def test_xliff_20_states_and_inline_markup() -> None:
    al = read_memory(DATA / "job-2.0.xlf")
    assert (al.src_lang, al.tgt_lang) == ("en", "zh")
    rows = [(p.src[0], p.tgt[0], p.label) for p in al.pairs]
    assert [r[2] for r in rows] == ["job-2.0.xlf#u1", "job-2.0.xlf#u2"]
    assert rows[1][:2] == ("Regional workshops discussed disease surveillance.",
                           "区域讲习班讨论了疾病监测。")
    assert len(read_memory(DATA / "job-2.0.xlf", all_units=True).pairs) == 3


def test_tsv_two_columns_with_and_without_header(tmp_path: Path) -> None:
    plain = tmp_path / "pairs.tsv"
    plain.write_text("会员国加强了疾病监测。\tMember States strengthened disease surveillance.\n"
                     "\tan empty Chinese side\n", encoding="utf-8")
    al = read_memory(plain)
    assert (al.src_lang, al.tgt_lang) == ("zh", "en")
    assert [p.label for p in al.pairs] == ["pairs.tsv:1"]
    headed = tmp_path / "headed.tsv"
    headed.write_text("en\tzh\nDisease surveillance.\t疾病监测。\n", encoding="utf-8")
    al = read_memory(headed)
    assert (al.src_lang, al.tgt_lang, al.pairs[0].label) == ("en", "zh", "headed.tsv:2")
    bad = tmp_path / "bad.tsv"
    bad.write_text("a\tb\tc\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"bad.tsv:1: expected two tab-separated columns"):
        read_memory(bad)


def test_formats_by_extension_and_content(tmp_path: Path) -> None:
    odd = tmp_path / "memory.dat"
    shutil.copy(DATA / "trados-style.tmx", odd)
    assert memory_format(odd) == "tmx"
    assert memory_format(DATA / "job-2.0.xlf") == "xliff"


def test_nothing_usable_is_one_error(tmp_path: Path) -> None:
    only_en = tmp_path / "en.tsv"
    only_en.write_text("Hello\tWorld\n", encoding="utf-8")
    with pytest.raises(InputError, match="no unit with a Chinese and an English side"):
        read_memories([only_en])


@pytest.mark.parametrize(("name", "data", "what"), [
    ("terms.tbx", b'<?xml version="1.0"?><tbx type="TBX-Basic"><text><body/></text></tbx>\n',
     "a TBX glossary"),
    ("report.pdf", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< >>\nendobj\n", "a PDF document"),
    ("report.docx", b"PK\x03\x04" + bytes(40), "a Word document or other ZIP file"),
    ("scan.txt", b"\x89PNG\r\n\x1a\n" + bytes(40), "an image"),
])
def test_a_file_that_is_no_memory_says_what_it_is(tmp_path: Path, name: str, data: bytes,
                                                  what: str) -> None:
    """A glossary, a document or a scan given as --memory was read as a two-column
    TSV: 'expected two tab-separated columns' for a TBX, 'not UTF-8 text (byte 10);
    save it as UTF-8' for a PDF, 'no unit with a Chinese and an English side' for
    a DOCX."""
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(InputError, match=f"{what}, not a translation memory.*TMX, XLIFF"):
        memory_format(path)


def test_cli_several_memories_with_provenance(tmp_path: Path) -> None:
    out = tmp_path / "terms.tbx"
    res = subprocess.run([*BITEXT, "glossary", "--alignment", str(DATA / "eluna-style.tmx"),
                          str(DATA / "trados-style.tmx"), "--memory", str(DATA / "job-1.2.xlf"),
                          "--memory", str(DATA / "job-2.0.xlf"), "--memory",
                          str(DATA / "memoq-style.tmx"), "-o", str(out), "--no-embed",
                          "--no-cut"], capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
    assert "Traceback" not in res.stderr
    assert "skipped" in res.stderr  # the bad units of eluna-style.tmx, the draft XLIFF units
    concepts = {c.zh: c for c in read_glossary(out)}
    assert "疾病监测" in concepts, sorted(concepts)
    assert concepts["疾病监测"].en.lower() == "disease surveillance"
    labels = {ex.label for c in concepts.values() for ex in c.examples}
    assert any(lab.startswith("job-2.0.xlf#u") for lab in labels)
    assert any(lab.startswith(("memoq-style.tmx#", "job-1.2.xlf#p")) for lab in labels)


def test_cli_unusable_memory_is_one_error_line(tmp_path: Path) -> None:
    bad = tmp_path / "broken.tmx"
    bad.write_text("<tmx><body><tu>", encoding="utf-8")
    out = tmp_path / "terms.tbx"
    res = subprocess.run([*BITEXT, "glossary", "--memory", str(bad), "-o", str(out),
                          "--no-embed"], capture_output=True, text=True)
    assert res.returncode == 1
    assert res.stderr.strip().startswith("Error:") and len(res.stderr.strip().splitlines()) == 1
    assert not out.exists()


@pytest.mark.slow
def test_build_tmx_fed_back_gives_builds_glossary(tmp_path: Path, corpus_dir: Path) -> None:
    """`bitext build`'s own sentence TMX, given back to `bitext glossary`, gives the
    glossary build wrote: the same concepts, terms, scores and frequencies."""
    out = tmp_path / "out"
    res = subprocess.run([*BITEXT, "build", str(corpus_dir), "-o", str(out), "--encoder",
                          "length"], capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
    name = corpus_dir.name
    again = tmp_path / "again.tbx"
    res = subprocess.run([*BITEXT, "glossary", "--memory", str(out / f"{name}.sentences.tmx"),
                          "-o", str(again), "--encoder", "length"], capture_output=True, text=True)
    assert res.returncode == 0, res.stderr

    def key(path: Path) -> list[tuple[object, ...]]:
        # by language, not by side: the memory is English to Chinese, the build's
        # alignment Chinese to English
        out = []
        for c in read_glossary(path):
            zh_first = c.src_lang.startswith("zh")
            out.append((c.zh, c.en, tuple(t.text for t in c.terms_in("zh")),
                        tuple(t.text for t in c.terms_in("en")), c.score, c.rank_score,
                        c.freq_src if zh_first else c.freq_tgt,
                        c.freq_tgt if zh_first else c.freq_src, c.cooc))
        return out

    built = key(out / f"{name}.tbx")
    assert len(built) > 50
    assert key(again) == built


def test_xliff_the_toolkit_rejects_without_a_message_is_still_explained(tmp_path: Path) -> None:
    path = tmp_path / "bare.xlf"  # no xmlns on the root: the toolkit asserts, saying nothing
    path.write_text('<?xml version="1.0" encoding="UTF-8"?>\n<xliff version="2.0" '
                    'srcLang="en" trgLang="zh"><file id="f"><unit id="1"><segment><source>'
                    'Women</source><target>妇女</target></segment></unit><unit id="2"><segment>'
                    '<source>x</source></segment></unit></file></xliff>', encoding="utf-8")
    with pytest.raises(InputError, match=r"bare.xlf: not a readable XLIFF file \(.*xmlns"):
        read_memory(path)


def test_tsv_records_end_at_line_feeds_only(tmp_path: Path) -> None:
    """A cell may hold U+2028 or a form feed (pasted from a word processor): the
    pair stays one record and the next keeps its line number (str.splitlines cut
    the record in two and reported a column error on a line that does not exist).
    The form feed itself is cleaned away later, as in any unit."""
    path = tmp_path / "pairs.tsv"
    path.write_text("会员国\u2028加强了监测。\tMember States\u2028strengthened it.\r\n"
                    "第二句。\x0c\tThe second.\n", encoding="utf-8")
    assert texts(path) == [("会员国\u2028加强了监测。", "Member States\u2028strengthened it.",
                            "pairs.tsv:1"), ("第二句。", "The second.", "pairs.tsv:2")]
