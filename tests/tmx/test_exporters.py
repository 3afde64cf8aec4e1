"""Contract tests every exporter reruns (translate-toolkit style).

:class:`ExporterContract` holds the generic suite; each format subclasses it and
states only what differs (its name, file name, whether sentence boundaries and
links with an empty side survive).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import pytest

from bitext.errors import ConfigError
from bitext.tmx import (
    FORMATS,
    DocPair,
    format_for_path,
    read_alignment,
    write_alignment,
)
from bitext.tmx.base import ExportStats
from bitext.tmx.text import primary
from bitext.types import AlignedPair, Alignment, join_sentences


def texts(alignment: Alignment) -> list[tuple[str, str]]:
    """(source text, target text) of each pair, joined the way each language writes."""
    return [
        (join_sentences(p.src, alignment.src_lang), join_sentences(p.tgt, alignment.tgt_lang))
        for p in alignment.pairs
    ]


class ExporterContract:
    fmt: ClassVar[str]
    filename: ClassVar[str]
    keeps_sentences: ClassVar[bool] = False
    keeps_empty_by_default: ClassVar[bool] = False
    score_decimals: ClassVar[int | None] = 4

    def out(self, tmp_path: Path) -> Path:
        return tmp_path / "sub" / self.filename

    def write(self, data: object, path: Path, **kwargs: object) -> ExportStats:
        return write_alignment(data, path, self.fmt, **kwargs)  # type: ignore[arg-type]

    def read(self, path: Path) -> Alignment:
        return read_alignment(path, self.fmt)

    def files(self, path: Path) -> list[Path]:
        """Every file the format writes for ``path``."""
        if self.fmt == "moses":
            stem = path.with_suffix("") if path.suffix == ".moses" else path
            return [Path(f"{stem}.{ext}") for ext in ("en", "zh", "ids")]
        return [path]

    # -- the contract ------------------------------------------------------------

    def test_round_trip(self, sample: Alignment, tmp_path: Path) -> None:
        path = self.out(tmp_path)
        stats = self.write(sample, path)
        back = self.read(path)
        kept = [p for p in sample.pairs if (p.src and p.tgt) or self.keeps_empty_by_default]
        assert stats.written == len(back.pairs) == len(kept)
        # Every format writes the English side first for zh-en (UN source language).
        assert primary(back.src_lang) == "en" and primary(back.tgt_lang) == "zh"
        assert texts(back) == [(p.tgt_text("en"), p.src_text("zh")) for p in kept]
        assert [p.label for p in back.pairs] == [p.label for p in kept]
        digits = self.score_decimals
        assert [p.score for p in back.pairs] == pytest.approx(
            [p.score if digits is None else round(p.score, digits) for p in kept], abs=1e-9
        )
        assert [(p.src_ids, p.tgt_ids) for p in back.pairs] == [
            (p.tgt_ids, p.src_ids) for p in kept
        ]
        assert back.doc_id == sample.doc_id
        if self.keeps_sentences:
            assert [(p.src, p.tgt) for p in back.pairs] == [(p.tgt, p.src) for p in kept]

    def test_unicode_and_astral_characters(self, tmp_path: Path) -> None:
        # Astral ideographs and emoji, full-width punctuation and digits, a combining accent.
        text_zh = (
            "𠀀𪚥 古字\uff1bemoji 😀\uff0c全角\uff08\uff11\uff12\uff13\uff09与组合字符 e\u0301"
        )
        text_en = "Astral \U0001d518\U0001d511 ✓ — “quotes” and \u2018it\u2019s\u2019, a\u00a0b"
        alignment = Alignment("zh", "en", (AlignedPair((text_zh,), (text_en,), 1.0),))
        path = self.out(tmp_path)
        self.write(alignment, path)
        assert texts(self.read(path)) == [(text_en, text_zh)]

    def test_links_with_an_empty_side(
        self, tmp_path: Path, caplog: pytest.LogCaptureFixture
    ) -> None:
        alignment = Alignment(
            "zh", "en",
            (
                AlignedPair(("一。",), ("One.",), 0.9),
                AlignedPair(("多余。",), (), 0.1),
                AlignedPair((), ("Extra.",), 0.1),
                AlignedPair(("   ",), ("\t",), 0.1),  # blank on both sides: never written
            ),
        )
        path = self.out(tmp_path)
        with caplog.at_level(logging.INFO, logger="bitext.tmx"):
            stats = self.write(alignment, path)
        back = self.read(path)
        if self.keeps_empty_by_default:
            assert texts(back) == [("One.", "一。"), ("", "多余。"), ("Extra.", "")]
            assert stats.empty == 1
        else:
            assert texts(back) == [("One.", "一。")]
            assert stats.empty == 3
            assert "left out 3 with an empty side" in caplog.text

    def test_min_score(self, sample: Alignment, tmp_path: Path) -> None:
        path = self.out(tmp_path)
        stats = self.write(sample, path, min_score=0.5)
        back = self.read(path)
        assert [p.score for p in back.pairs] == pytest.approx([0.99, 0.8765, 0.5], abs=1e-4)
        # A format that keeps 1-0 links meets the 0.2 one at the score filter.
        assert stats.below_min_score == (2 if self.keeps_empty_by_default else 1)

    def test_dedupe(self, tmp_path: Path) -> None:
        one = AlignedPair(("一。",), ("One.",), 0.9, "1")
        two = AlignedPair(("二。",), ("Two.",), 0.8, "2")
        again = AlignedPair(("一。",), ("One.",), 0.5, "7")  # same texts, other metadata
        alignment = Alignment("zh", "en", (one, two, again))
        path = self.out(tmp_path)
        stats = self.write(alignment, path, dedupe=True)
        back = self.read(path)
        assert texts(back) == [("One.", "一。"), ("Two.", "二。")]
        assert [p.label for p in back.pairs] == ["1", "2"]
        assert stats.duplicates == 1
        self.write(alignment, path)
        assert len(self.read(path).pairs) == 3

    def test_forbidden_characters_become_spaces(
        self, tmp_path: Path, caplog: pytest.LogCaptureFixture
    ) -> None:
        alignment = Alignment(
            "zh", "en",
            (
                AlignedPair(("第\f一\x00段",), ("Page\fbreak\x0bhere\ufffe",), 1.0),
                AlignedPair(("孤\ud800立",), ("lone surrogate",), 1.0),
            ),
        )
        path = self.out(tmp_path)
        with caplog.at_level(logging.WARNING, logger="bitext.tmx"):
            stats = self.write(alignment, path)
        assert stats.replaced_chars == 6
        warnings = [r for r in caplog.records if "XML 1.0 forbids" in r.getMessage()]
        assert len(warnings) == 1 and "6 character" in warnings[0].getMessage()
        assert texts(self.read(path)) == [
            ("Page break here", "第 一 段"),
            ("lone surrogate", "孤 立"),
        ]

    def test_srclang_and_codes(self, sample: Alignment, tmp_path: Path) -> None:
        path = self.out(tmp_path)
        self.write(sample, path, srclang="zh", src_code="zh_cn", tgt_code="EN-us")
        back = self.read(path)
        assert primary(back.src_lang) == "zh"
        assert back.pairs[0].src == ("导言",)
        assert "_" not in back.src_lang + back.tgt_lang

    def test_unknown_srclang_is_a_config_error(self, sample: Alignment, tmp_path: Path) -> None:
        with pytest.raises(ConfigError, match="neither side"):
            self.write(sample, self.out(tmp_path), srclang="fr")

    def test_stream_of_pairs_from_several_documents(self, tmp_path: Path) -> None:
        def stream() -> Iterator[DocPair]:
            for n in range(1, 2001):
                doc = "A/71/1" if n <= 1000 else "S/2016/919"
                yield DocPair(doc, AlignedPair((f"第{n}句。",), (f"Sentence {n}.",), 1.0, str(n)))

        path = self.out(tmp_path)
        stats = self.write(stream(), path, src_lang="zh", tgt_lang="en")
        back = self.read(path)
        assert stats.written == 2000 and len(back.pairs) == 2000
        assert texts(back)[1999] == ("Sentence 2000.", "第2000句。")
        assert back.doc_id == ""  # mixed documents

    def test_stream_needs_languages(self, tmp_path: Path) -> None:
        with pytest.raises(ConfigError, match="src_lang and tgt_lang"):
            self.write(iter([AlignedPair(("一",), ("one",), 1.0)]), self.out(tmp_path))

    def test_atomic_when_the_input_fails_midway(self, sample: Alignment, tmp_path: Path) -> None:
        path = self.out(tmp_path)
        self.write(sample, path)
        before = {p: p.read_bytes() for p in self.files(path)}

        def failing() -> Iterator[AlignedPair]:
            yield AlignedPair(("一。",), ("One.",), 1.0)
            raise RuntimeError("encoder crashed")

        with pytest.raises(RuntimeError):
            self.write(failing(), path, src_lang="zh", tgt_lang="en")
        assert {p: p.read_bytes() for p in self.files(path)} == before
        assert sorted(p.name for p in path.parent.iterdir()) == sorted(p.name for p in before)

        fresh = tmp_path / "fresh" / self.filename
        with pytest.raises(RuntimeError):
            self.write(failing(), fresh, src_lang="zh", tgt_lang="en")
        assert not fresh.parent.exists() or list(fresh.parent.iterdir()) == []

    def test_empty_alignment(self, tmp_path: Path) -> None:
        path = self.out(tmp_path)
        stats = self.write(Alignment("zh", "en", ()), path)
        assert stats.written == 0
        assert self.read(path).pairs == ()

    def test_format_from_extension(self, tmp_path: Path) -> None:
        assert format_for_path(tmp_path / self.filename) == self.fmt
        assert self.fmt in FORMATS


class TestTmx(ExporterContract):
    fmt = "tmx"
    filename = "memory.tmx"
    keeps_sentences = True


class TestTmxGz(ExporterContract):
    fmt = "tmx"
    filename = "memory.tmx.gz"
    keeps_sentences = True

    def test_is_gzip(self, sample: Alignment, tmp_path: Path) -> None:
        path = self.out(tmp_path)
        self.write(sample, path)
        assert path.read_bytes()[:2] == b"\x1f\x8b"


class TestTsv(ExporterContract):
    fmt = "tsv"
    filename = "corpus.tsv"

    def test_tabs_and_newlines_never_break_rows(self, tmp_path: Path) -> None:
        alignment = Alignment(
            "zh", "en", (AlignedPair(("第一\n行\t二\u2028三",), ("a\r\nb\tc\u0085d",), 1.0),)
        )
        path = self.out(tmp_path)
        stats = self.write(alignment, path)
        lines = path.read_text(encoding="utf-8").split("\n")
        assert len(lines) == 3 and lines[2] == ""
        assert lines[0].split("\t")[:3] == ["en-GB", "zh-CN", "score"]
        assert lines[1].split("\t")[:2] == ["a  b c d", "第一 行 二 三"]
        assert stats.replaced_breaks == 7


class TestJsonl(ExporterContract):
    fmt = "jsonl"
    filename = "corpus.jsonl"
    keeps_sentences = True
    keeps_empty_by_default = True
    score_decimals = None

    def test_reads_the_gold_file_shape(self, corpus_dir: Path) -> None:
        gold = corpus_dir / "gold.sentences.jsonl"
        if not gold.exists():
            pytest.skip(f"{gold} is not there yet")
        alignment = self.read(gold)
        assert (alignment.src_lang, alignment.tgt_lang) == ("zh", "en")
        assert len(alignment.pairs) > 100
        assert all(p.src and p.tgt for p in alignment.pairs)

    def test_line_separators_stay_escaped(self, tmp_path: Path) -> None:
        alignment = Alignment("zh", "en", (AlignedPair(("甲\u2028乙",), ("a\u2029b\nc",), 1.0),))
        path = self.out(tmp_path)
        self.write(alignment, path)
        assert len(path.read_text(encoding="utf-8").splitlines()) == 1
        assert texts(self.read(path)) == [("a\u2029b\nc", "甲\u2028乙")]


class TestMoses(ExporterContract):
    fmt = "moses"
    filename = "corpus.moses"

    def test_files_are_line_aligned(self, sample: Alignment, tmp_path: Path) -> None:
        path = self.out(tmp_path)
        self.write(sample, path)
        en = (tmp_path / "sub" / "corpus.en").read_text(encoding="utf-8").splitlines()
        zh = (tmp_path / "sub" / "corpus.zh").read_text(encoding="utf-8").splitlines()
        ids = (tmp_path / "sub" / "corpus.ids").read_text(encoding="utf-8").splitlines()
        assert len(en) == len(zh) == len(ids) == 4
        # beads count the aligner's SRC (zh) first, and the shape says so
        assert ids[1].split("\t") == ["CTOC/COP/2016/3", "1", "zh2-en1", "0.8765",
                                       "[1, 2]:[1]"]
        assert zh[1] == "本报告介绍了各项活动。报告还提出了建议。"

    def test_metadata_tabs_and_newlines_never_break_ids(self, tmp_path: Path) -> None:
        # The document id and label may come from a user's file, as in TSV.
        alignment = Alignment("zh", "en", (AlignedPair(("一。",), ("One.",), 1.0, "1\t2\n3"),),
                              doc_id="A/70/59\tx")
        path = self.out(tmp_path)
        self.write(alignment, path)
        ids = (tmp_path / "sub" / "corpus.ids").read_text(encoding="utf-8").split("\n")
        assert len(ids) == 2 and ids[1] == ""
        assert ids[0].split("\t")[:2] == ["A/70/59 x", "1 2 3"]

    def test_a_stem_without_extension(self, sample: Alignment, tmp_path: Path) -> None:
        stem = tmp_path / "un-som-2016"
        assert format_for_path(stem) == "moses"
        write_alignment(sample, stem)
        assert (tmp_path / "un-som-2016.en").exists() and (tmp_path / "un-som-2016.zh").exists()
        assert len(read_alignment(stem).pairs) == 4

    def test_srclang_and_codes(self, sample: Alignment, tmp_path: Path) -> None:
        # Moses files are per language; srclang orders the bead shapes and indices.
        path = self.out(tmp_path)
        self.write(sample, path, srclang="zh", src_code="zh_cn", tgt_code="EN-us")
        ids = (tmp_path / "sub" / "corpus.ids").read_text(encoding="utf-8").splitlines()
        assert ids[1].split("\t")[2:] == ["zh2-en1", "0.8765", "[1, 2]:[1]"]
        back = read_alignment(path, "moses")
        assert (back.src_lang, back.tgt_lang) == ("en", "zh")

    def test_stdout_is_refused(self, sample: Alignment) -> None:
        with pytest.raises(ConfigError, match="three files"):
            write_alignment(sample, "-", "moses")

    @pytest.mark.parametrize("full", ["en", "zh"])
    def test_a_failed_write_names_its_own_file(self, tmp_path: Path, full: str) -> None:
        # The three files are written together: a disk full under the first one
        # was reported as 'cannot write corpus.ids' (found with ulimit -f).
        from bitext.errors import DiskFullError

        if not Path("/dev/full").exists():
            pytest.skip("no /dev/full here")
        alignment = Alignment("zh", "en", tuple(
            AlignedPair(("委员会。" * 50,), ("The Committee. " * 50,), 1.0, str(k))
            for k in range(100)))  # more than a write buffer a side
        (tmp_path / f"corpus.{full}").symlink_to("/dev/full")
        with pytest.raises(DiskFullError, match=rf"cannot write .*corpus\.{full}: "):
            write_alignment(alignment, tmp_path / "corpus.moses")


def test_unknown_extension_and_format(sample: Alignment, tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot tell the format"):
        write_alignment(sample, tmp_path / "x.docx")
    with pytest.raises(ConfigError, match="unknown format"):
        write_alignment(sample, tmp_path / "x.tmx", "xliff")
    with pytest.raises(ConfigError, match="stdout"):
        write_alignment(sample, "-")


def test_stdout(sample: Alignment, capsys: pytest.CaptureFixture[str]) -> None:
    write_alignment(sample, "-", "jsonl")
    assert len(capsys.readouterr().out.splitlines()) == 5
