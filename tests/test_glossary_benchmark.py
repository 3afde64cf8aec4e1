"""benchmarks/glossary.py: --dev3 scores the held-out third gold and refuses to
list its missed pairs."""

from __future__ import annotations

from types import ModuleType

import pytest
from script_loader import load_script


def _module() -> ModuleType:
    return load_script("benchmarks/glossary.py")


def test_dev3_refuses_missing(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        _module().main(["--dev3", "--missing"])
    assert exit_info.value.code == 2
    assert "--missing" in capsys.readouterr().err


def test_held_needs_a_pair_and_refuses_missing(capsys: pytest.CaptureFixture[str]) -> None:
    """--held scores another pair's held-out gold, and never lists its misses."""
    for argv in (["--held"], ["--dev", "--held"], ["--pair", "en-fr", "--held", "--missing"],
                 ["--pair", "en-ar", "--held", "--stages"]):
        with pytest.raises(SystemExit) as exit_info:
            _module().main(argv)
        assert exit_info.value.code == 2
        assert "--held" in capsys.readouterr().err


def test_held_golds_of_the_other_pairs_read() -> None:
    from bitext.glossary.evaluate import read_gold_file

    mod = _module()
    for lang in ("fr", "es", "ru", "ar"):
        path = mod.ROOT / "benchmarks" / "data" / f"unpc-en-{lang}.terms-held.tsv"
        langs, held = read_gold_file(path)
        assert langs == ("en", lang) and len(held) > 250


def test_third_gold_reads() -> None:
    from bitext.glossary.evaluate import read_gold

    mod = _module()
    third = read_gold(mod.DEV_GOLD3)
    assert len(third) > 0 and all(g.zh and g.en for g in third)


def test_fold_bands_count_right_and_kept(capsys: pytest.CaptureFixture[str]) -> None:
    """Each group's gold concepts are counted in their band of confidence, right
    of labelled, uncut and (in brackets) as the default cut keeps them."""
    from bitext.glossary.evaluate import GoldPair
    from bitext.glossary.model import Concept, Term

    def concept(zh: str, en: str, score: float) -> Concept:
        return Concept(id=zh, src_lang="zh", tgt_lang="en",
                       terms=(Term(zh, "zh"), Term(en, "en")), score=score, cooc=1)

    concepts = [concept("甲乙", "alpha", 0.9), concept("丙丁", "wrong", 0.3)]
    gold = [GoldPair(("甲乙",), ("alpha",), 2, "甲乙"), GoldPair(("丙丁",), ("gamma",), 3, "丙丁")]
    _module().print_fold_bands(concepts, gold, [0, 1], 2, embedded=False)
    rows = [line for line in capsys.readouterr().out.splitlines() if line.startswith("| 1 ")
            or line.startswith("| 2 ")]
    first, second = (row.split(" | ") for row in rows)
    assert first[1] == "1/1 (1/1)" and all(cell.startswith("0/0") for cell in first[2:])
    assert second[-1].rstrip(" |") == "0/1 (0/0)"


def test_dev3_refuses_stages(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        _module().main(["--dev3", "--stages"])
    assert exit_info.value.code == 2
    assert "--stages" in capsys.readouterr().err


def test_stages_say_where_a_pair_is_lost(capsys: pytest.CaptureFixture[str]) -> None:
    """A gold pair the uncut list holds but the listed one lacks is lost at the
    cut; a Chinese term no segment holds has no candidate."""
    from bitext.glossary.evaluate import GoldPair
    from bitext.glossary.extract import extract_traced
    from bitext.types import AlignedPair, Alignment

    pairs = tuple(AlignedPair((f"森林保护是重要的工作{n}。",),
                              (f"Forest protection is important {n}.",), 1.0, f"d#{n}")
                  for n in range(4))
    trace = extract_traced([Alignment("zh", "en", pairs, "sentence", {}, "d")], None, 1)
    assert any(c.zh == "森林保护" for c in trace[0])
    gold = [GoldPair(("森林保护",), ("forest protection",), 2, "森林保护\tforest protection"),
            GoldPair(("海洋渔业",), ("marine fisheries",), 3, "海洋渔业\tmarine fisheries")]
    _module().print_stages(trace, [], gold)
    out = capsys.readouterr().out
    assert "lost: zh no candidate 1, cut 1" in out
    assert "cut\t森林保护 = forest protection\t森林保护 = Forest protection (" in out
    assert "zh no candidate\t海洋渔业 = marine fisheries" in out


def test_pair_stages_say_where_a_pair_is_lost(capsys: pytest.CaptureFixture[str]) -> None:
    """--pair --stages: a pair the uncut list holds is lost at the cut, a French
    term no segment writes has no candidate, and English and French terms that
    never share a segment are never together."""
    from bitext.glossary.evaluate import GoldPair
    from bitext.glossary.model import Concept, Term
    from bitext.types import AlignedPair, Alignment

    texts = [(f"Forest protection is important {n}.", f"La protection des forêts compte {n}.")
             for n in range(3)]
    texts += [("Coastal shipping grew.", "Le commerce a augmenté."),
              ("Trade rose.", "Le cabotage côtier a augmenté.")]
    pairs = tuple(AlignedPair((en,), (fr,), 1.0, f"d#{n}") for n, (en, fr) in enumerate(texts))
    alignments = [Alignment("en", "fr", pairs, "sentence", {}, "d")]
    uncut = [Concept(id="c1", src_lang="en", tgt_lang="fr", score=0.3, cooc=3,
                     terms=(Term("forest protection", "en"),
                            Term("protection des forêts", "fr")))]
    gold = [GoldPair(("forest protection",), ("protection des forêts",), 2, "fp\tpdf"),
            GoldPair(("marine fisheries",), ("pêches maritimes",), 3, "mf\tpm"),
            GoldPair(("coastal shipping",), ("cabotage côtier",), 4, "cs\tcc")]
    _module().print_pair_stages(alignments, [], uncut, gold, ("en", "fr"))
    out = capsys.readouterr().out
    assert "lost: no candidate 1, never together 1, cut 1" in out
    assert "cut\tfp = pdf\tforest protection = protection des forêts (0.300)" in out
    assert "no candidate\tmf = pm" in out
    assert "never together\tcs = cc" in out
