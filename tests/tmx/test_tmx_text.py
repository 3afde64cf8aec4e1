"""Language codes and character rules shared by the exporters (table-driven)."""

from __future__ import annotations

import pytest

from bitext.errors import ConfigError
from bitext.tmx.text import (
    default_code,
    lang_matches,
    normalise_lang,
    replace_breaks,
    replace_forbidden,
)


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("zh_CN", "zh-CN"),
        ("ZH-cn", "zh-CN"),
        ("zh_cn", "zh-CN"),
        ("en-gb", "en-GB"),
        ("EN", "en"),
        ("zh-hans-cn", "zh-Hans-CN"),
        ("es-419", "es-419"),
        ("sr-latn", "sr-Latn"),
        ("*ALL*", "*all*"),
        (" fr_FR ", "fr-FR"),
    ],
)
def test_normalise_lang(code: str, expected: str) -> None:
    assert normalise_lang(code) == expected


@pytest.mark.parametrize("code", ["", "Chinese", "zh CN", "z", "zh--CN", "中文"])
def test_bad_codes(code: str) -> None:
    with pytest.raises(ConfigError, match="BCP 47"):
        normalise_lang(code)


@pytest.mark.parametrize(
    ("lang", "code"),
    [("zh", "zh-CN"), ("en", "en-GB"), ("fr", "fr-FR"), ("es", "es-ES"), ("ru", "ru-RU"),
     ("ar", "ar-SA"), ("en_US", "en-US"), ("fr-ca", "fr-CA"), ("de", "de")],
)
def test_default_codes(lang: str, code: str) -> None:
    assert default_code(lang) == code


@pytest.mark.parametrize(
    ("found", "wanted", "score"),
    [("zh-CN", "zh_cn", 2), ("zh-TW", "zh", 1), ("zh", "zh-CN", 1), ("en-GB", "zh", 0)],
)
def test_lang_matches(found: str, wanted: str, score: int) -> None:
    assert lang_matches(found, wanted) == score


@pytest.mark.parametrize(
    ("text", "expected", "count"),
    [
        ("plain 文本 😀", "plain 文本 😀", 0),
        ("a\fb\x0bc\x00d", "a b c d", 3),
        ("tab\tLF\nCR\r", "tab\tLF\nCR\r", 0),  # allowed in XML
        ("x\ufffey\uffff", "x y ", 2),
        ("lone \ud800 and \udfff", "lone   and  ", 2),
        ("pair \ud83d\ude00 kept", "pair 😀 kept", 0),  # surrogate pair = one astral char
        ("\x7f\x85\u2028", "\x7f\x85\u2028", 0),  # allowed in XML 1.0
    ],
)
def test_replace_forbidden(text: str, expected: str, count: int) -> None:
    assert replace_forbidden(text) == (expected, count)


def test_replace_breaks() -> None:
    assert replace_breaks("a\tb\r\nc\u2028d\x85e") == ("a b  c d e", 5)
