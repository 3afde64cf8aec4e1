"""The literary benchmark's sentence recovery (``benchmarks/literary.py``), on made-up text.

The benchmark needs MAC-Dev, which is not in the repository; these tests only
check how it rebuilds one-sentence-per-line files from a bead's joined text, and
that it imports without the data.
"""

from __future__ import annotations

from pathlib import Path

from script_loader import load_script


def _literary():
    return load_script("benchmarks/literary.py")


def test_chinese_split_closes_the_spaces_least_like_a_sentence_end() -> None:
    lit = _literary()
    text = "他走了； 她没有说话。 “你好吗？” 他问。"
    assert lit.split_zh(text, None)[0] == ["他走了；", "她没有说话。", "“你好吗？”", "他问。"]
    # two sentences: the space after ；goes first, then the one after a closing quote
    assert lit.split_zh(text, 2)[0] == ["他走了； 她没有说话。", "“你好吗？” 他问。"]
    assert lit.split_zh(text, 3)[0] == ["他走了； 她没有说话。", "“你好吗？”", "他问。"]
    assert lit.split_zh("", 0) == ([], False)


def test_english_split_takes_the_most_sentence_like_gaps() -> None:
    lit = _literary()
    text = 'He said: Stop. "Why?" she asked. Mr. Li left at 5 p.m. and the rain began.'
    got, _ = lit.split_en(text, 3)
    assert got == ["He said: Stop.", '"Why?" she asked.',
                   "Mr. Li left at 5 p.m. and the rain began."]
    assert lit.split_en(text, 1)[0] == [text]


def test_chapter_gold_follows_the_link_counts(tmp_path: Path) -> None:
    lit = _literary()
    tsv = tmp_path / "dev-anno.009_zh.009_en.tsv"
    tsv.write_text("甲。 乙。\tA and B.\n丙。\t\n\tD. E.\n", encoding="utf-8")
    tsv.with_suffix(".types").write_text("1-2\n0-1\n2-0\n", encoding="utf-8")
    ch = lit.load_chapter(tsv)
    assert ch.zh == ["甲。", "乙。", "丙。"]
    assert ch.en == ["A and B.", "D.", "E."]
    assert ch.gold == [((0, 1), (0,)), ((2,), ()), ((), (1, 2))]


def test_error_regions_run_until_both_sides_cover_the_same_sentences() -> None:
    lit = _literary()
    gold = [((0,), (0,)), ((1, 2), (1, 2)), ((3,), (3,)), ((4,), ()), ((5,), (4, 5))]
    pred = [((0,), (0,)), ((1,), (1,)), ((2,), (2,)), ((3,), (3,)), ((4,), (4,)), ((5,), (5,))]
    assert lit.regions(gold, pred) == [
        ([((1, 2), (1, 2))], [((1,), (1,)), ((2,), (2,))]),
        ([((4,), ()), ((5,), (4, 5))], [((4,), (4,)), ((5,), (5,))]),
    ]
    assert lit.regions(gold, gold) == []


def test_pieces_are_shorter_chapters_with_their_own_numbering() -> None:
    lit = _literary()
    ch = lit.Chapter("c", ["a", "b", "c", "d"], ["A", "B", "C", "D", "E"],
                     [((0,), (0,)), ((1,), (1, 2)), ((2,), ()), ((3,), (3, 4))])
    first, second = lit.split_chapter(ch, 2)
    assert (first.zh, first.en, first.gold) == (["a", "b"], ["A", "B", "C"],
                                                [((0,), (0,)), ((1,), (1, 2))])
    assert (second.zh, second.en, second.gold) == (["c", "d"], ["D", "E"],
                                                   [((0,), ()), ((1,), (0, 1))])
    assert [p.name for p in lit.split_chapter(ch, 4)] == ["c.1of4", "c.2of4", "c.3of4", "c.4of4"]
