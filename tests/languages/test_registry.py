"""The language layer: registry, detection, defaults."""

from __future__ import annotations

import pkgutil

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import bitext.languages as languages_pkg
from bitext.errors import ConfigError
from bitext.languages import codes, could_be, detect, find_language, get_language, languages
from bitext.tmx.base import ExportOptions, Meta, resolve_layout

SAMPLES = {
    "en": "The Security Council decided to extend the mandate of the mission for a period "
          "of one year and requested the Secretary-General to report on its implementation.",
    "fr": "Le Conseil de sécurité a décidé de proroger le mandat de la mission pour une "
          "période d'un an et a prié le Secrétaire général de lui faire rapport.",
    "es": "El Consejo de Seguridad decidió prorrogar el mandato de la misión por un período "
          "de un año y solicitó al Secretario General que le informara sobre su aplicación.",
    "ru": "Совет Безопасности постановил продлить мандат миссии на один год и просил "
          "Генерального секретаря представить доклад о его осуществлении.",
    "ar": "قرر مجلس الأمن تمديد ولاية البعثة لمدة سنة واحدة وطلب إلى الأمين العام أن يقدم "
          "تقريرا عن تنفيذها.",
    "zh": "安全理事会决定将特派团的任务期限延长一年，并请秘书长报告其执行情况。",
}


def test_six_languages_registered() -> None:
    assert codes() == ("ar", "en", "es", "fr", "ru", "zh")
    assert [lg.code for lg in languages()] == list(codes())


def test_every_module_is_a_language() -> None:
    """Adding a language is adding one module that defines LANGUAGE."""
    names = {m.name for m in pkgutil.iter_modules(languages_pkg.__path__)} - {"base", "terms"}
    assert names == set(codes())


@pytest.mark.parametrize("code", ["fr", "FR", "fr-CA", "fr_FR"])
def test_lookup_by_tag(code: str) -> None:
    assert get_language(code).code == "fr"


def test_unknown_language() -> None:
    assert find_language("de") is None
    with pytest.raises(ConfigError, match="bitext knows ar, en, es, fr, ru, zh"):
        get_language("de")


@pytest.mark.parametrize("code", list(SAMPLES))
def test_detect_tells_all_six_apart(code: str) -> None:
    assert detect(SAMPLES[code]) == code


def test_detect_chinese_with_latin_symbols() -> None:
    text = "见A/RES/70/1号决议和UNODC/CCPCJ/EG.4/2015/2号文件以及S/2015/305。"
    assert detect(text) == "zh"


def test_detect_no_letters() -> None:
    assert detect("12 34 -- 56") == "und"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(
    "aZé\u00b2\u0301\u0660\u0627\u0416\u05d0\u3000\u3001\u4e00\u9fa5\u30a2"
    "\u02b0\u2160\U00020000\U0001d400 1.\n"), max_size=60) | st.text(max_size=60))
def test_script_letters_count_as_one_findall_per_script(text: str) -> None:
    """Letters and each script's letters counted per distinct character are the
    counts of the whole-text searches they replace."""
    import regex

    letters, scripts = languages_pkg._script_letters(text)
    assert letters == len(regex.findall(r"\p{L}", text))
    for script in {lg.script for lg in languages()}:
        want = len(regex.findall(rf"(?=\p{{L}})\p{{{script}}}", text))
        assert scripts[script] == want, script


@pytest.mark.parametrize(("text", "code", "expected"), [
    ("Rapport annuel", "fr", True),  # no stop words: detect() says en, but nothing shows it
    ("Le rapport est dans le document.", "fr", True),
    ("The report is in the document.", "fr", False),  # English stop words only
    ("El informe figura en el documento.", "fr", False),
    ("Доклад Генерального секретаря", "fr", False),  # another script
    ("12 34", "es", True),
])
def test_could_be_refuses_on_evidence_only(text: str, code: str, expected: bool) -> None:
    assert could_be(text, code) is expected


@pytest.mark.parametrize(
    ("src", "tgt", "first"),
    [("zh", "en", "en-GB"), ("en", "zh", "en-GB"), ("fr", "en", "en-GB"),
     ("ru", "en", "en-GB"), ("fr", "ru", "fr-FR"), ("ar", "zh", "ar-SA"), ("zh", "es", "zh-CN")],
)
def test_english_first_else_source(src: str, tgt: str, first: str) -> None:
    layout = resolve_layout(Meta(src, tgt, "sentence", {}, ""), ExportOptions())
    assert layout.first == first


@pytest.mark.parametrize(("tag", "code"), [
    ("zho", "zh"), ("CHI", "zh"), ("zho-CN", "zh"), ("eng", "en"), ("fre", "fr"), ("fra", "fr"),
    ("spa", "es"), ("rus", "ru"), ("ara", "ar"), ("ENG-US", "en")])
def test_three_letter_codes_name_their_language(tag: str, code: str) -> None:
    # ISO 639-2 (bibliographic and terminology codes), which RFC 3066 and so TMX
    # 1.4b allow and some tools write ("chi", "eng").
    lang = find_language(tag)
    assert lang is not None and lang.code == code
    from bitext.tmx.text import primary

    assert primary(tag) == code


def test_a_memory_with_three_letter_codes_is_read(tmp_path) -> None:
    from bitext.glossary.memories import read_memory

    tmx = tmp_path / "m.tmx"
    tmx.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4"><header creationtool="x" '
        'creationtoolversion="1" segtype="sentence" o-tmf="x" adminlang="en" srclang="chi" '
        'datatype="plaintext"/><body><tu><tuv xml:lang="chi"><seg>委员会举行会议。</seg></tuv>'
        '<tuv xml:lang="eng"><seg>The Committee met.</seg></tuv></tu></body></tmx>\n',
        encoding="utf-8")
    alignment = read_memory(tmx)
    assert len(alignment.pairs) == 1
