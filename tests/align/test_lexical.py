"""Dictionary evidence (CC-CEDICT) and the banded window sums the search uses."""

from __future__ import annotations

import numpy as np
import pytest

from bitext.align import dp
from bitext.align.scoring import LexicalEvidence, lexical_coverage
from bitext.align.sentences import _sentence_band, window_sums


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_window_sums_match_brute_force(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n, m = 9, 11
    full = rng.random((n, m)).astype(np.float32)
    band = dp.band_around_path([(k, min(m, k + 1)) for k in range(n + 1)], n, m, 3)
    shapes = dp.bead_shapes(3)
    sband = _sentence_band(band, n, m, 3, 3)
    rows, cols = sband.cells()
    sums = window_sums(full[rows, cols], sband, band, shapes)
    brows, bcols = band.cells()
    for k, (a, b) in enumerate(shapes):
        for c in range(band.size):
            i, j = int(brows[c]), int(bcols[c])
            want = full[i - a:i, j - b:j].sum() if a and b and i >= a and j >= b else 0.0
            assert sums[k, c] == pytest.approx(want, rel=1e-5, abs=1e-5)


def test_dictionary_hits_favour_the_translation() -> None:
    zh = ["荷兰一贯重申支持建立中东无大规模毁灭性武器区的进程。", "其他议题"]
    en = ["Other issues",
          "The Netherlands has consistently reaffirmed its support for the process for the "
          "establishment of a zone free of weapons of mass destruction in the Middle East."]
    lex = LexicalEvidence.build(zh, en, "zh", "en")
    assert lex is not None
    hs, ht = lex.pairs(np.array([0, 0, 1, 1]), np.array([1, 0, 0, 1]))
    # sentence 0 with its translation (en 1) beats it with the heading, and vice versa
    assert hs[0] > hs[1] and ht[0] > ht[1]
    assert hs[2] > hs[3] and ht[2] > ht[3]
    cov, words = lexical_coverage(hs[:1], ht[:1], lex.src_words[:1], lex.tgt_words[1:])
    assert 0.0 < cov[0] <= 1.0 and words[0] > 0


def test_no_dictionary_evidence_outside_chinese_english() -> None:
    assert LexicalEvidence.build(["Bonjour."], ["Hello."], "fr", "en") is None


def test_window_sums_of_several_quantities_are_each_ones_sums() -> None:
    rng = np.random.default_rng(3)
    n, m = 12, 10
    band = dp.band_around_path([(k, min(m, k)) for k in range(n + 1)], n, m, 3)
    shapes = dp.bead_shapes(4)
    sband = _sentence_band(band, n, m, 4, 4)
    pair = rng.random((2, sband.size)).astype(np.float32)
    both = window_sums(pair, sband, band, shapes)
    assert both.shape == (2, len(shapes), band.size)
    for k in range(2):
        np.testing.assert_array_equal(both[k], window_sums(pair[k], sband, band, shapes))


@pytest.mark.parametrize(("chunk", "spread"), [(3, 8), (8192, 1000), (8192, 0)])
@pytest.mark.parametrize("zh_is_src", [True, False])
def test_pair_hits_count_what_the_word_sets_share(
        chunk: int, spread: int, zh_is_src: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    from bitext.align import scoring

    # small chunks, the grid always, pair by pair always
    monkeypatch.setattr(scoring, "PAIRS_CHUNK", chunk)
    monkeypatch.setattr(scoring, "GRID_SPREAD", spread)
    monkeypatch.setattr(scoring, "GRID_MIN_PAIRS", 0)
    zh = ["荷兰一贯重申支持建立中东无大规模毁灭性武器区的进程。", "其他议题", "",
          "安全理事会通过了关于索马里局势的决议。", "会议支持建立进程。"]
    en = ["Other issues", "",
          ("The Netherlands has consistently reaffirmed its support for the process for the "
           "establishment of a zone free of weapons of mass destruction in the Middle East."),
          "The Security Council adopted a resolution on the situation in Somalia.",
          "The meeting supported the process."]
    src, tgt = (zh, en) if zh_is_src else (en, zh)
    lex = LexicalEvidence.build(src, tgt, "zh" if zh_is_src else "en",
                                "en" if zh_is_src else "zh")
    assert lex is not None
    rng = np.random.default_rng(4)
    ii = rng.integers(0, len(src), size=40)
    jj = rng.integers(0, len(tgt), size=40)
    hs, ht = lex.pairs(ii, jj)
    for k, (i, j) in enumerate(zip(ii.tolist(), jj.tolist(), strict=True)):
        z, e = (i, j) if zh_is_src else (j, i)
        words = sum(1 for g in lex._zh[z] if g & lex._en[e])
        ids = len(lex._zh_all[z] & lex._en[e])
        assert (hs[k], ht[k]) == ((words, ids) if zh_is_src else (ids, words))
    assert hs.dtype == ht.dtype == np.float32
    assert max(hs.max(), ht.max()) > 0


def test_evidence_of_a_pair_does_not_depend_on_the_sentences_read_before() -> None:
    # A sentence's words are kept by text: a paragraph pair read after its whole
    # document (or after another document) gets the evidence it gets read alone.
    from bitext.align import scoring

    zh = ["荷兰一贯重申支持建立中东无大规模毁灭性武器区的进程。", "其他议题",
          "安全理事会通过了关于索马里局势的决议。", "会议支持建立进程。"]
    en = ["Other issues",
          ("The Netherlands has consistently reaffirmed its support for the process for the "
           "establishment of a zone free of weapons of mass destruction in the Middle East."),
          "The Security Council adopted a resolution on the situation in Somalia.",
          "The meeting supported the process."]

    def read(src: list[str], tgt: list[str]) -> tuple[object, ...]:
        lex = LexicalEvidence.build(src, tgt, "zh", "en")
        assert lex is not None
        ii, jj = np.divmod(np.arange(len(src) * len(tgt)), len(tgt))
        hs, ht = lex.pairs(ii, jj)
        return (hs.tolist(), ht.tolist(), lex.src_words.tolist(), lex.tgt_words.tolist())

    scoring._glossed_words.cache_clear()
    scoring._gloss_keys.cache_clear()
    scoring._english_keys.cache_clear()
    alone = read(zh[2:], en[2:])
    assert max(alone[0]) > 0
    read(zh, en[:1])
    read(zh, en)
    assert read(zh[2:], en[2:]) == alone
