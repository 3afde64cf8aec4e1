"""Proof in a real CAT tool: OmegaT pre-translates from our TMX, headless.

Skipped with a reason where the ``omegat`` command is absent (``.ci/run``
installs it). Each OmegaT run takes about 5 seconds.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bitext.tmx import write_alignment
from bitext.tmx.corpus import read_jsonl
from bitext.tmx.omegat import check_memory, check_with_gold, run_console_translate
from bitext.types import AlignedPair, Alignment

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(
        shutil.which("omegat") is None,
        reason="OmegaT is not installed (apt-get install omegat; .ci/run does it)",
    ),
]


@pytest.fixture
def gold(corpus_dir: Path) -> Path:
    path = corpus_dir / "gold.sentences.jsonl"
    if not path.exists():
        pytest.skip(f"gold sentence links not found at {path}")
    return path


@pytest.fixture
def gold_tmx(gold: Path, tmp_path: Path) -> Path:
    """A TMX built from the gold links themselves: tests the writer, not the aligner."""
    path = tmp_path / "gold.tmx"
    alignment = read_jsonl(gold)
    write_alignment(alignment, path, doc_id="CTOC/COP/2016/3", signature={"source": "gold"})
    return path


def test_pretranslates_the_gold_document(gold_tmx: Path, gold: Path) -> None:
    result = check_with_gold(gold_tmx, gold, sentence_seg=False)
    print(result.summary())
    assert result.problems == []
    assert result.paragraphs > 100
    assert result.share_exact >= 0.95, result.misses[:3]
    assert result.share_segments >= 0.95


def test_pretranslates_one_sentence_units_with_segmentation_on(gold_tmx: Path, gold: Path) -> None:
    # Translators usually let OmegaT split paragraphs into sentences; then only
    # units holding one English sentence can match.
    result = check_with_gold(gold_tmx, gold, sentence_seg=True)
    print(result.summary())
    assert result.problems == []
    assert result.single and result.single_exact / result.single >= 0.95
    assert result.segments > result.paragraphs  # OmegaT did split the 1-2 links


def test_markup_characters_and_astral_text(tmp_path: Path) -> None:
    pairs = (
        AlignedPair(("研发费用<5%且R&D>0。",), ('R&D costs were < 5% and "rising" > 0.',), 0.9),
        AlignedPair(("古字𠀀与表情😀。",), ("Old character 𠀀 and emoji 😀.",), 0.9),
        AlignedPair(("第\f一页。",), ("Page\fone.",), 0.9),  # form feed: becomes a space
    )
    path = tmp_path / "small.tmx"
    write_alignment(Alignment("zh", "en", pairs), path)
    result = check_memory(
        path,
        ['R&D costs were < 5% and "rising" > 0.', "Old character 𠀀 and emoji 😀.", "Page one."],
        ["研发费用<5%且R&D>0。", "古字𠀀与表情😀。", "第 一页。"],
    )
    assert result.problems == []
    assert result.exact == 3, result.misses


@pytest.mark.parametrize(
    ("old", "new", "marker"),
    [
        ('xml:lang="en-GB"', 'xml:lang="en_GB"', "TMXR_WARNING_SOURCE_NOT_FOUND"),
        ("<seg>Introduction</seg>", "<seg>Intro\fduction</seg>", "TF_TM_LOAD_ERROR"),
    ],
)
def test_the_check_sees_a_broken_memory(
    gold_tmx: Path, tmp_path: Path, old: str, new: str, marker: str
) -> None:
    # The controls: what OmegaT does with memories we must never write.
    broken = tmp_path / "broken.tmx"
    text = gold_tmx.read_text(encoding="utf-8")
    assert old in text
    broken.write_text(text.replace(old, new), encoding="utf-8")
    run = run_console_translate(broken, ["Introduction"])
    assert any(marker in line for line in run.problems), run.log[-2000:]
    assert run.targets == ["Introduction"]  # nothing pre-translated


def test_command_line_helper(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # The entry point for a memory from `bitext build`: both segmentation modes.
    from bitext.tmx.omegat import main

    gold = tmp_path / "gold.sentences.jsonl"
    gold.write_text(
        '{"id": 1, "para": "1", "zh": ["第一句。", "第二句。"], "en": ["One and two."]}\n'
        '{"id": 2, "para": "2", "zh": ["第三句。"], "en": ["Three.", "Still three."]}\n',
        encoding="utf-8",
    )
    memory = tmp_path / "m.tmx"
    write_alignment(read_jsonl(gold), memory)
    assert main([str(memory), "--gold", str(gold)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("OmegaT, sentence segmentation off: 2/2 segments pre-translated")
    assert out[1].startswith("OmegaT, sentence segmentation on: 1/3 segments pre-translated")
    assert "one-sentence units: 1/1 (100.0%)" in out[1]


def test_command_line_helper_any_pair_with_english(tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    # A translator's check of an en-ru build's memory: the helper took only zh-en
    # and stopped with a traceback ("expected 'zh' and 'en' keys").
    from bitext.tmx.omegat import main

    gold = tmp_path / "doc.en-ru.jsonl"
    gold.write_text(
        '{"id": 1, "para": "1", "en": ["One and two."], "ru": ["Один и два."]}\n'
        '{"id": 2, "para": "2", "en": ["Three."], "ru": ["Три."]}\n', encoding="utf-8")
    memory = tmp_path / "m.tmx"
    write_alignment(read_jsonl(gold), memory)
    assert main([str(memory), "--gold", str(gold)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("OmegaT, sentence segmentation off: 2/2 segments pre-translated")


def test_command_line_helper_pair_without_english(tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    # A translator's check of a fr-ru build's memory (a ru-fr folder pivots on
    # French): the helper stopped with "expected English ('en')". Without
    # English the pivot (the gold's first language) is the source, and
    # --source picks the other side.
    from bitext.tmx.omegat import main

    gold = tmp_path / "doc.fr-ru.jsonl"
    gold.write_text(
        '{"id": 1, "para": "1", "fr": ["Un et deux."], "ru": ["Один и два."]}\n'
        '{"id": 2, "para": "2", "fr": ["Trois."], "ru": ["Три."]}\n', encoding="utf-8")
    memory = tmp_path / "m.tmx"
    write_alignment(read_jsonl(gold), memory)
    assert main([str(memory), "--gold", str(gold)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("OmegaT, sentence segmentation off: 2/2 segments pre-translated")
    assert "2/2 paragraphs exactly as expected" in out[0]
    assert main([str(memory), "--gold", str(gold), "--source", "ru", "--show-misses", "2"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert "2/2 paragraphs exactly as expected" in out[0], out


def test_command_line_helper_source_not_in_the_gold_is_one_error(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from bitext.tmx.omegat import main

    gold = tmp_path / "doc.fr-ru.jsonl"
    gold.write_text('{"id": 1, "para": "1", "fr": ["Un."], "ru": ["Один."]}\n',
                    encoding="utf-8")
    memory = tmp_path / "m.tmx"
    write_alignment(read_jsonl(gold), memory)
    assert main([str(memory), "--gold", str(gold), "--source", "en"]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("Error: ") and "'fr'" in err[0], err


def test_command_line_helper_without_the_memory_is_one_error(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from bitext.tmx.omegat import main

    gold = tmp_path / "doc.en-ru.jsonl"
    gold.write_text('{"id": 1, "para": "1", "en": ["One."], "ru": ["Один."]}\n',
                    encoding="utf-8")
    assert main([str(tmp_path / "missing.tmx"), "--gold", str(gold)]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("Error: ") and "missing.tmx" in err[0]
