"""benchmarks/data/draw_terms.py: the held-out draws leave the documents of the
earlier golds out, and --keep keeps only the variants seen with the Chinese term."""

from __future__ import annotations

import random
from pathlib import Path
from types import ModuleType

from script_loader import load_script


def _module() -> ModuleType:
    return load_script("benchmarks/data/draw_terms.py")


def _testset(folder: Path, docs: int) -> None:
    ids, zh, en = [], [], []
    for d in range(docs):
        for k, length in enumerate((100, 215, 300)):
            ids.append(f"2015/doc/{d:03} en:{k}:1 zh:{k}:1")
            zh.append(f"文件{d}安全理事会第{k}句")
            en.append(("Security Council " + "x" * length)[:length])
    for lang, rows in (("ids", ids), ("zh", zh), ("en", en)):
        (folder / f"testset.{lang}").write_text("\n".join(rows) + "\n", encoding="utf-8")


def test_draw_leaves_out_the_first_draw(tmp_path: Path) -> None:
    mod = _module()
    _testset(tmp_path, 300)
    docs = sorted(f"2015/doc/{d:03}" for d in range(300))
    random.Random(9).shuffle(docs)
    first = set(docs[:230])
    drawn = mod.draw(tmp_path, 2026, 50)
    assert len(drawn) == 50 and not {d for _, d in drawn} & first
    assert all(i % 3 == 1 for i, _ in drawn)  # the line of 215 characters, nearest 220


def test_third_draw_leaves_out_both_earlier_draws(tmp_path: Path) -> None:
    mod = _module()
    _testset(tmp_path, 500)
    docs = sorted(f"2015/doc/{d:03}" for d in range(500))
    random.Random(9).shuffle(docs)
    first, rest = set(docs[:230]), sorted(docs[230:])
    random.Random(2026).shuffle(rest)
    second, others = set(rest[:150]), sorted(rest[150:])
    random.Random(2027).shuffle(others)
    drawn = mod.draw(tmp_path, 2027, 100, third=True)
    assert [d for _, d in drawn] == others[:100]
    assert not {d for _, d in drawn} & (first | second)
    assert all(i % 3 == 1 for i, _ in drawn)


def test_keep_merges_and_filters(tmp_path: Path) -> None:
    mod = _module()
    _testset(tmp_path, 2)
    written = tmp_path / "written.tsv"
    written.write_text("安全理事会\tSecurity Council\torganization\t1\n"
                       "安全理事会\tUN Security Council\tname\t2\n"
                       "大会\tGeneral Assembly\torganization\t3\n", encoding="utf-8")
    rows, dropped = mod.keep(written, tmp_path)
    assert rows == ["zh\ten\tkind\tlines", "安全理事会\tSecurity Council\torganization\t6"]
    assert dropped == ["大会\tGeneral Assembly"]
