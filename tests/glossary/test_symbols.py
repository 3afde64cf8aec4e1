"""Resolutions and decisions paired by their numbers."""

from __future__ import annotations

import pytest

from bitext.glossary.symbols import symbol_concepts


@pytest.mark.parametrize(("zh", "en", "pair"), [
    ("大会第69/196号决议", "General Assembly resolution 69/196",
     ("第69/196号决议", "resolution 69/196")),
    ("安全理事会第2140(2014)号决议", "Security Council resolution 2140 (2014)",
     ("第2140(2014)号决议", "resolution 2140 (2014)")),
    ("理事会第2015/1号决定", "Council decision 2015/1", ("第2015/1号决定", "decision 2015/1")),
    ("第2140(2014)号决议", "Resolution 2140", ("第2140(2014)号决议", "resolution 2140")),
    # the measure word 号 is sometimes left out; the number still names the resolution
    ("安理会第1(2001)决议", "resolution 1 (2001)", ("第1(2001)决议", "resolution 1 (2001)")),
    ("第2140号决议", "resolution 2141", None),        # another number: no pair
    ("第69/196号决议", "resolution 69/1967", None),   # a longer number is another one
    ("第12号决定", "resolution 12", None),            # a decision is not a resolution
])
def test_pairs_by_number(zh: str, en: str, pair: tuple[str, str] | None) -> None:
    concepts = symbol_concepts([zh], [en], ["1"], "zh", "en")
    assert [(c.zh, c.en) for c in concepts] == ([pair] if pair else [])
    for c in concepts:
        assert c.kind == "symbol" and c.examples[0].label == "1"


def test_counts_segments_and_follows_the_language_order() -> None:
    concepts = symbol_concepts(["第1号决议", "重申第1号决议", "无"],
                               ["resolution 1", "reaffirming resolution 1", "none"],
                               ["a", "b", "c"], "en", "zh")
    (c,) = concepts
    assert (c.src, c.tgt, c.cooc, c.freq_src) == ("resolution 1", "第1号决议", 2, 2)


def test_every_written_form_is_a_term() -> None:
    # the same resolution written with and without 号, and with and without its
    # year in English: one concept, the usual form first, the others as variants
    concepts = symbol_concepts(["第1(2001)号决议", "第1(2001)号决议", "第1(2001)决议"],
                               ["resolution 1 (2001)", "resolution 1", "resolution 1 (2001)"],
                               ["a", "b", "c"], "zh", "en")
    (c,) = concepts
    assert (c.zh, c.zh_variants) == ("第1(2001)号决议", ("第1(2001)决议",))
    assert (c.en, c.en_variants) == ("resolution 1 (2001)", ("resolution 1",))
    assert [t.term_type for t in c.terms] == ["fullForm", "variant", "fullForm", "variant"]
    assert c.cooc == 3
