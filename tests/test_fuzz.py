"""Property tests on everything that reads untrusted bytes or text.

The property is the README's promise: whatever the input, bitext returns a
result or raises a :class:`~bitext.errors.BitextError` (one ``Error:`` line at
the CLI); any other exception is a bug. The example count comes from the
hypothesis profile (tests/conftest.py): small in CI, large under
``HYPOTHESIS_PROFILE=fuzz`` (benchmarks/fuzz.py runs that for 30 minutes).
"""

from __future__ import annotations

import contextlib
import os
import tempfile

from hypothesis import example, given
from hypothesis import strategies as st

from bitext.errors import BitextError

#: Starts of real file formats, so the fuzzer reaches the PDF, DOCX, gzip, TMX
#: and TBX code paths instead of failing at the first byte.
PREFIXES = [b"", b"%PDF-1.4\n", b"PK\x03\x04", b"\x1f\x8b\x08\x00", b"\xef\xbb\xbf",
            b"\xff\xfe", b"<?xml version='1.0'?>\n<tmx version='1.4'><header/><body>",
            b"<tbx type='TBX-Basic' style='dca'><text><body>", b"\xd0\xcf\x11\xe0"]

raw_bytes = st.builds(lambda p, b: p + b, st.sampled_from(PREFIXES), st.binary(max_size=600))
texts = st.text(max_size=400)
un_like = st.lists(st.sampled_from([
    "1. ", "(a) ", "A/70/1", "第一章", "。", ". ", "\n", "\n\n", "\f", "Annex", "* ", "12.",
    "__________________", "\ue0001\ue001", "I. ", "Mr. ", "e.g. ", "“", "”", "«", "»",
    "委员会", "The Committee", "؟", "Комитет", "\t", "  ",
]) | texts, max_size=40).map("".join)


def _file(data: bytes, suffix: str = "") -> str:
    fd, path = tempfile.mkstemp(suffix=suffix)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
    return path


@given(raw_bytes)
@example(b"\xa4\xa4\xa4\xe5")  # two Big5 characters: too little to tell Big5 from GB
def test_decoder_returns_text_or_bitext_error(data: bytes) -> None:
    from bitext.ingest.reader import decode_text

    try:
        text, encoding = decode_text(data)
    except BitextError:
        return
    assert isinstance(text, str) and encoding


@given(raw_bytes)
def test_reader_returns_text_or_bitext_error(data: bytes) -> None:
    from bitext.ingest.reader import read_file

    path = _file(data, ".txt")
    try:
        read_file(path)
    except BitextError:
        pass
    finally:
        os.unlink(path)


@given(un_like, st.sampled_from(["zh", "en", "fr", "es", "ru", "ar"]))
def test_cleaner_and_structure_parser_never_crash(text: str, lang: str) -> None:
    from bitext.ingest.clean import normalize_chars, split_lines
    from bitext.ingest.structure import parse_document

    once = normalize_chars(text)
    assert normalize_chars(once) == once  # cleaning is idempotent
    doc = parse_document(split_lines(text), lang)
    for unit in doc.units:
        assert all(isinstance(s, str) for s in unit.sentences)


@given(un_like, st.sampled_from(["zh", "en", "fr", "es", "ru", "ar"]))
def test_segmenter_keeps_every_character(text: str, lang: str) -> None:
    from bitext.align.segment import split_sentences

    sentences = split_sentences(text, lang)
    assert all(s.strip() for s in sentences)
    # nothing but whitespace is lost or invented
    assert "".join("".join(sentences).split()) == "".join(text.split())


@given(raw_bytes)
def test_tmx_reader_returns_alignment_or_bitext_error(data: bytes) -> None:
    from bitext.tmx.reader import read_tmx

    path = _file(data, ".tmx")
    try:
        read_tmx(path)
    except BitextError:
        pass
    finally:
        os.unlink(path)


@given(raw_bytes)
def test_tmx_validator_reports_or_raises_bitext_error(data: bytes) -> None:
    from bitext.tmx.validate import validate_tmx

    with contextlib.suppress(BitextError):
        validate_tmx(data, name="fuzz.tmx")


@given(raw_bytes)
def test_tbx_reader_returns_concepts_or_bitext_error(data: bytes) -> None:
    from bitext.glossary.tbx import read_tbx

    path = _file(data, ".tbx")
    try:
        read_tbx(path)
    except BitextError:
        pass
    finally:
        os.unlink(path)
