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


def test_held_draw_of_the_other_pairs_leaves_out_their_golds_draws(tmp_path: Path) -> None:
    mod = _module()
    _testset(tmp_path, 300)
    docs = sorted(f"2015/doc/{d:03}" for d in range(300))
    taken: set[str] = set()
    for seed, n in ((12, 140), (13, 60)):
        order = list(docs)
        random.Random(seed).shuffle(order)
        taken |= set(order[:n])
    rest = sorted(d for d in docs if d not in taken)
    random.Random(14).shuffle(rest)
    drawn = mod.pairs_held_draw(tmp_path, 40)
    assert [d for _, d in drawn] == rest[:40]
    assert not {d for _, d in drawn} & taken
    assert all(i % 3 == 1 for i, _ in drawn)


def test_keep_reads_one_language_of_a_written_list_of_several(tmp_path: Path) -> None:
    mod = _module()
    rows = [("2015/doc/0 en:0:1", "Security Council meets", "Le Conseil de sécurité",
             "Совет Безопасности"),
            ("2015/doc/0 en:1:1", "the General Assembly", "l'Assemblée générale", "")]
    for lang, col in (("ids", 0), ("en", 1), ("fr", 2), ("ru", 3)):
        (tmp_path / f"testset.{lang}").write_text("\n".join(r[col] for r in rows) + "\n",
                                                  encoding="utf-8")
    written = tmp_path / "written.tsv"
    written.write_text("en\tfr\tru\tkind\tdrawn\n"
                       "Security Council\tConseil de sécurité\tСовета Безопасности|"
                       "Совет Безопасности\torganization\t1\n"
                       "General Assembly\tAssemblée générale\t\torganization\t2\n",
                       encoding="utf-8")
    fr, dropped = mod.keep(written, tmp_path, "en", "fr")
    assert fr == ["en\tfr\tkind\tlines", "Security Council\tConseil de sécurité\torganization\t1",
                  "General Assembly\tAssemblée générale\torganization\t1"]
    assert dropped == []
    ru, dropped = mod.keep(written, tmp_path, "en", "ru")
    # the nominative is the line's form; the row left empty in Russian is no drop
    assert ru == ["en\tru\tkind\tlines", "Security Council\tСовет Безопасности\torganization\t1"]
    assert dropped == []
