"""Bounded sentences: long units split into sentences, long sentences into chunks."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bitext.align.chunk import bound_document, bound_sentences, chunk_text
from bitext.ingest.document import load_document
from bitext.limits import MAX_SENTENCE_CHARS
from bitext.types import Document, Unit

EN = ("The Committee took note of the report of the Secretary-General on item {k}. "
      "It requested the secretariat to submit a revised text, with estimates of the costs "
      "involved, to its next session in Vienna. ")
ZH = ("委员会注意到秘书长关于项目{k}的报告。"
      "委员会请秘书处向其在维也纳举行的下届会议提交订正案文，并附上所涉费用估计。")


@given(st.text(st.characters(codec="utf-8"), max_size=600), st.integers(1, 120))
@settings(max_examples=300, deadline=None)
def test_chunks_keep_every_character_in_order(text: str, limit: int) -> None:
    chunks = chunk_text(text, limit)
    assert "".join(chunks) == text
    assert all(0 < len(c) <= limit for c in chunks)


@given(st.lists(st.sampled_from(["word", " ", ", ", ". ", "。", "，", "\u0301", "x" * 9]),
                max_size=200), st.integers(4, 60))
@settings(max_examples=200, deadline=None)
def test_chunks_of_punctuated_text_keep_every_character(parts: list[str], limit: int) -> None:
    text = "".join(parts)
    chunks = chunk_text(text, limit)
    assert "".join(chunks) == text
    assert all(0 < len(c) <= limit for c in chunks)


def test_cut_prefers_sentence_then_clause_then_space() -> None:
    text = "a" * 30 + ". " + "b" * 30 + ", " + "c" * 30 + " " + "d" * 30
    assert chunk_text(text, 100)[0] == "a" * 30 + ". "   # the sentence end wins
    clause = "b" * 30 + ", " + "c" * 30 + " " + "d" * 50
    assert chunk_text(clause, 70)[0] == "b" * 30 + ", "  # then the clause end
    assert chunk_text("c" * 30 + " " + "d" * 50, 70)[0] == "c" * 30 + " "  # then a space
    assert chunk_text("x" * 250, 100) == ["x" * 100, "x" * 100, "x" * 50]  # hard cut
    assert chunk_text("", 10) == []


def test_hard_cut_keeps_a_combining_mark_with_its_letter() -> None:
    text = "e" * 9 + "e\u0301" + "e" * 20
    first = chunk_text(text, 10)[0]
    assert not first.endswith("e") or text[len(first)] != "\u0301"


def test_bound_sentences_uses_the_segmenter_first() -> None:
    long = "".join(EN.format(k=k) for k in range(40))
    out = bound_sentences([long, "Short."], "en", max_chars=500)
    assert out[-1] == "Short."
    assert len(out) == 81  # two real sentences per repetition, none cut in the middle
    assert all(s.endswith(".") for s in out)


def test_bound_document_keeps_short_units_untouched() -> None:
    short = Unit("paragraph", "1", "A sentence.", ("A sentence.",))
    text = "x" * (MAX_SENTENCE_CHARS * 2 + 5)
    long = Unit("header", "header1", text, (text,))
    doc = Document("en", (short, long))
    out = bound_document(doc)
    assert out.units[0] is short
    assert "".join(out.units[1].sentences) == text
    assert all(len(s) <= MAX_SENTENCE_CHARS for s in out.sentences)
    assert bound_document(Document("en", (short,))).units[0] is short


@pytest.mark.parametrize(("lang", "pattern", "kb"), [("en", EN, 60), ("zh", ZH, 60)])
def test_a_line_of_many_kb_is_split_into_sentences(tmp_path: Path, lang: str, pattern: str,
                                                   kb: int) -> None:
    """A text layer with no line break at all (one unit) still gives real sentences."""
    sep = " " if lang == "en" else ""
    text, k = "", 0
    while len(text.encode()) < kb * 1000:
        text += pattern.format(k=k)
        k += 1
    path = tmp_path / f"{lang}.txt"
    path.write_text(text.strip() + "\n", encoding="utf-8")
    doc = load_document(path, lang)
    sentences = doc.sentences
    assert len(sentences) == 2 * k
    assert max(len(s) for s in sentences) <= MAX_SENTENCE_CHARS
    assert sep.join(sentences) == text.strip()


def test_a_line_with_no_punctuation_is_cut_into_bounded_chunks(tmp_path: Path) -> None:
    words = " ".join(f"word{k}" for k in range(20000))
    path = tmp_path / "en.txt"
    path.write_text(words + "\n", encoding="utf-8")
    sentences = load_document(path, "en").sentences
    assert len(sentences) > len(words) // MAX_SENTENCE_CHARS
    assert max(len(s) for s in sentences) <= MAX_SENTENCE_CHARS
    assert " ".join(sentences) == words


def test_hard_cut_in_a_run_of_combining_marks() -> None:
    """A run of marks longer than the window: the cut goes back to the last letter
    after a quarter of the limit, else at that quarter (the marks then split)."""
    pieces = chunk_text("ab" + "\u0301" * 248, 100)
    assert [len(p) for p in pieces] == [25] * 6 + [100]
    assert "".join(pieces) == "ab" + "\u0301" * 248
    assert chunk_text("x" * 60 + "e" + "\u0301" * 100, 100) == [
        "x" * 60, "e" + "\u0301" * 24, "\u0301" * 76]
    assert chunk_text("x" * 90 + "e" + "\u0301" * 20, 100) == ["x" * 90, "e" + "\u0301" * 20]
