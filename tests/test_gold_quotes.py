"""benchmarks/gold_quotes.py: how a gold term is found in a line of code."""

from __future__ import annotations

from types import ModuleType

from script_loader import load_script


def _module() -> ModuleType:
    return load_script("benchmarks/gold_quotes.py")


def test_words_match_whole_and_in_any_case() -> None:
    match = _module().matcher("Fisheries Council")
    assert match.search("the fisheries council met")
    assert not match.search("the fisheries councillors met")


def test_an_acronym_matches_in_capitals_only() -> None:
    match = _module().matcher("FAO")
    assert match.search("a body (FAO) met")
    assert not match.search("fao = 1")


def test_chinese_matches_as_a_substring() -> None:
    assert _module().matcher("理事会").search("渔业理事会的")
