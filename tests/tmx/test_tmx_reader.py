"""The TMX reader on other tools' memories, and merging/deduplicating memories."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from bitext.errors import ConfigError, InputError
from bitext.tmx import (
    DocPair,
    TmxReader,
    dedupe,
    iter_pairs,
    merge,
    read_alignment,
    read_tmx,
    write_alignment,
)
from bitext.types import AlignedPair, Alignment

# Written by hand in the style of other tools: *all* srclang, odd code case and
# underscores, inline markup, the deprecated lang attribute, a note, a unit
# lacking Chinese, a three-language unit, comments.
FOREIGN = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE tmx SYSTEM "tmx14.dtd">
<tmx version="1.4">
  <header creationtool="OtherTool" creationtoolversion="9" segtype="sentence" o-tmf="x"
          adminlang="EN-US" srclang="*all*" datatype="xml"/>
  <body>
    <!-- a comment between units -->
    <tu tuid="a1">
      <note>checked</note>
      <tuv xml:lang="EN-us"><seg>Press <bpt i="1">&lt;b&gt;</bpt>Save<ept
        i="1">&lt;/b&gt;</ept> now.</seg></tuv>
      <tuv xml:lang="ZH-CN"><seg>立即按<bpt i="1">&lt;b&gt;</bpt>保存<ept
        i="1">&lt;/b&gt;</ept>。</seg></tuv>
    </tu>
    <tu tuid="a2">
      <tuv lang="en_US"><seg>  The <hi type="x-bold">Security Council</hi> met.<ph
        x="1">{br}</ph></seg></tuv>
      <tuv xml:lang="zh_cn"><seg>安全理事会<ph>{1}</ph>开会。</seg></tuv>
    </tu>
    <tu tuid="a3">
      <tuv xml:lang="en-US"><seg>English only.</seg></tuv>
      <tuv xml:lang="fr-FR"><seg>Anglais seulement.</seg></tuv>
    </tu>
    <tu tuid="a4">
      <tuv xml:lang="fr-FR"><seg>Trois langues.</seg></tuv>
      <tuv xml:lang="zh-CN"><seg>三种语言。</seg></tuv>
      <tuv xml:lang="en-US"><seg>Three languages.</seg></tuv>
    </tu>
  </body>
</tmx>
"""


@pytest.fixture
def foreign(tmp_path: Path) -> Path:
    path = tmp_path / "foreign.tmx"
    path.write_text(FOREIGN, encoding="utf-8")
    return path


def test_units_and_header(foreign: Path) -> None:
    with TmxReader(foreign) as reader:
        assert reader.header.srclang == "*all*"
        units = list(reader)
    assert [u.tuid for u in units] == ["a1", "a2", "a3", "a4"]
    assert [v.lang for v in units[1].variants] == ["en-US", "zh-CN"]
    assert units[0].variants[0].text == "Press Save now."
    assert units[1].variants[0].text == "The Security Council met."
    assert units[1].variants[1].text == "安全理事会开会。"


def test_read_two_languages_from_a_foreign_memory(foreign: Path) -> None:
    alignment = read_tmx(foreign, "zh", "en")
    assert (alignment.src_lang, alignment.tgt_lang) == ("zh-CN", "en-US")
    assert [(p.src, p.tgt) for p in alignment.pairs] == [
        (("立即按保存。",), ("Press Save now.",)),
        (("安全理事会开会。",), ("The Security Council met.",)),
        (("三种语言。",), ("Three languages.",)),
    ]
    assert [p.score for p in alignment.pairs] == [1.0, 1.0, 1.0]  # no scores: trusted


def test_default_languages_with_srclang_all(foreign: Path) -> None:
    alignment = read_tmx(foreign)
    assert (alignment.src_lang, alignment.tgt_lang) == ("en-US", "zh-CN")
    assert len(alignment.pairs) == 3


def test_requested_codes_in_any_case(foreign: Path) -> None:
    alignment = read_tmx(foreign, "EN_us", "zh_CN")
    assert alignment.pairs[0].src == ("Press Save now.",)


def test_our_round_trip_is_exact(sample: Alignment, tmp_path: Path) -> None:
    path = tmp_path / "m.tmx.gz"
    write_alignment(sample, path)
    back = read_tmx(path, "zh", "en")
    kept = [p for p in sample.pairs if p.src and p.tgt]
    assert [(p.src, p.tgt, p.label, p.src_ids, p.tgt_ids) for p in back.pairs] == [
        (p.src, p.tgt, p.label, p.src_ids, p.tgt_ids) for p in kept
    ]
    assert back.signature == sample.signature
    assert back.doc_id == sample.doc_id


def test_not_well_formed(tmp_path: Path) -> None:
    path = tmp_path / "broken.tmx"
    path.write_text(FOREIGN.replace("</tu>", "</tuv>", 1), encoding="utf-8")
    with pytest.raises(InputError, match=r"broken\.tmx:\d+: not well-formed XML"):
        read_tmx(path)


def test_form_feed_is_refused_with_a_line_number(tmp_path: Path) -> None:
    path = tmp_path / "ff.tmx"
    path.write_text(FOREIGN.replace("English only.", "English\fonly."), encoding="utf-8")
    line = next(n for n, text in enumerate(FOREIGN.splitlines(), 1) if "English only." in text)
    with pytest.raises(InputError, match=rf"ff\.tmx:{line}:"):
        read_tmx(path)


def test_not_tmx(tmp_path: Path) -> None:
    path = tmp_path / "x.tmx"
    path.write_text("<xliff/>", encoding="utf-8")
    with pytest.raises(InputError, match="not <tmx>"):
        read_tmx(path)
    with pytest.raises(InputError, match="cannot read"):
        read_tmx(tmp_path / "missing.tmx")


def test_gzip_detected_by_content(foreign: Path, tmp_path: Path) -> None:
    packed = tmp_path / "packed.tmx"  # no .gz in the name
    packed.write_bytes(gzip.compress(foreign.read_bytes()))
    assert len(read_tmx(packed, "zh", "en").pairs) == 3


def test_merge_and_dedupe(sample: Alignment, tmp_path: Path) -> None:
    first = tmp_path / "first.tmx"
    write_alignment(sample, first)
    other = Alignment(
        "en", "zh",  # the other way round: merge turns it
        (
            AlignedPair(("Introduction",), ("导言",), 0.7, "I"),  # duplicate of sample's first
            AlignedPair(("New sentence.",), ("新句子。",), 0.8, "9"),
        ),
        doc_id="A/71/1",
    )
    second = tmp_path / "second.jsonl"
    write_alignment(other, second)
    merged = list(merge(first, second, other, src_lang="zh", tgt_lang="en"))
    assert len(merged) == 4 + 2 + 2
    assert merged[0] == DocPair("CTOC/COP/2016/3", merged[0].pair)
    assert merged[-1].pair.src == ("新句子。",)

    unique = list(dedupe(merged, src_lang="zh", tgt_lang="en"))
    assert [d.pair.src for d in unique] == [p.src for p in sample.pairs if p.src and p.tgt] + [
        ("新句子。",)
    ]
    out = tmp_path / "all.tmx"
    write_alignment(iter(unique), out, src_lang="zh", tgt_lang="en")
    docs = [d for d, _ in iter_pairs(out)]
    assert docs == ["CTOC/COP/2016/3"] * 4 + ["A/71/1"]


def test_merge_refuses_other_languages(sample: Alignment) -> None:
    french = Alignment("fr", "en", (AlignedPair(("Bonjour.",), ("Hello.",), 1.0),))
    with pytest.raises(ConfigError, match="not zh-en"):
        list(merge(sample, french, src_lang="zh", tgt_lang="en"))


def test_dedupe_an_alignment(sample: Alignment) -> None:
    doubled = Alignment("zh", "en", sample.pairs + sample.pairs, doc_id="x")
    once = dedupe(doubled)
    assert once.pairs == sample.pairs and once.doc_id == "x"


def test_read_alignment_dispatches_on_the_name(sample: Alignment, tmp_path: Path) -> None:
    for name in ("a.tmx", "a.tmx.gz", "a.tsv", "a.jsonl", "a.moses"):
        write_alignment(sample, tmp_path / name)
        assert len(read_alignment(tmp_path / name).pairs) >= 4


@pytest.mark.parametrize("ids", ["[1e999]", "[0.5]", "[-1]", "[true]", '["0"]'])
def test_jsonl_sentence_indices_that_are_not_counts_are_one_error(tmp_path: Path,
                                                                   ids: str) -> None:
    """A sentence index is a whole number from 0. 1e999 (infinity in Python's
    JSON) was an OverflowError traceback from 'bitext review OUT --export' and
    eval; 0.5 was read as 0, true as 1, -1 as the last sentence."""
    from bitext.tmx.corpus import read_jsonl

    path = tmp_path / "links.jsonl"
    path.write_text('{"zh": ["一。"], "en": ["One."], "zh_ids": [0], "en_ids": [0]}\n'
                    '{"zh": ["二。"], "en": ["Two."], "zh_ids": [1], "en_ids": ' + ids + "}\n",
                    encoding="utf-8")
    with pytest.raises(InputError, match=f"{path}:2: sentence indices must be lists of "
                                         "whole numbers from 0"):
        read_jsonl(path)
