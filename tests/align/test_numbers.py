"""Numbers written in words or native numerals as hard tokens of the sentence search."""

from __future__ import annotations

import numpy as np
import pytest

from bitext.align.scoring import MIN_NUMBER_WORD, hard_token_masks, number_values


@pytest.mark.parametrize(
    ("text", "lang", "values"),
    [
        ("第六十九届会议", "zh", {69}),
        ("第三天", "zh", {3}),
        ("三十五万人", "zh", {350_000}),
        ("一万两千", "zh", {12_000}),
        ("二\u3007一五年", "zh", {2015}),
        ("五六个人", "zh", set()),  # "five or six": an estimate, no number
        ("第二天", "zh", set()),  # below MIN_NUMBER_WORD
        ("Sixty-ninth session", "en", {69}),
        ("the third day, three men and 3 camels", "en", {3}),
        ("Forty days and forty nights", "en", {40}),
        ("one of the second", "en", set()),
        ("first-class twenty-two", "en", {22}),
        ("vingt-deux", "fr", set()),  # no number words known for French
        ("anything", "xx", set()),  # an unknown language
    ],
)
def test_number_values(text: str, lang: str, values: set[int]) -> None:
    assert number_values(text, lang) == values


def test_min_number_word_leaves_out_one_and_two() -> None:
    assert MIN_NUMBER_WORD == 3
    assert number_values("一 二 两", "zh") == set()
    assert number_values("one two first second", "en") == set()


def test_number_words_meet_digits_and_numerals_across_languages() -> None:
    ms, mt = hard_token_masks(["第三天他们到了", "他们走了"],
                              ["On the third day they came", "They left after 3 days"], "zh", "en")
    assert ms[0] & mt[0]
    assert ms[0] & mt[1]
    assert ms[1] == 0


def test_number_words_only_when_both_languages_write_them() -> None:
    # French has no number words here: English ones would be unmatched tokens
    # counting against every pair.
    ms, mt = hard_token_masks(["Ils sont venus le troisième jour"],
                              ["They came on the third day"], "fr", "en")
    assert ms[0] == 0 and mt[0] == 0
    ms, mt = hard_token_masks(["Ils sont venus le 3 mai"], ["They came on 3 May"], "fr", "en")
    assert np.bitwise_and(ms, mt)[0]
