"""jieba's prefix dictionary loads from bitext's fast copy and segments as jieba's own does."""

from __future__ import annotations

import os
from pathlib import Path

import jieba
import jieba.posseg
import pytest

from bitext import derived
from bitext.glossary import chinese

TEXT = ("联合国大会第七十届会议通过了关于可持续发展的决议，秘书长提交了报告。"
        "工作组审议了UNDP 2030年议程的执行情况和人权理事会的建议。")


@pytest.fixture(scope="module")
def reference() -> list[tuple[str, str]]:
    tok = jieba.posseg.POSTokenizer(jieba.Tokenizer())  # jieba's own loading
    return [(p.word, p.flag) for p in tok.cut(TEXT, HMM=False)]


def _fresh(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """Segment TEXT with a tokenizer loaded as a new process would load it."""
    chinese._tokenizer.cache_clear()
    monkeypatch.setattr(jieba.posseg.dt, "tokenizer", jieba.Tokenizer())
    return [(w, f) for w, f, _ in chinese.segment(TEXT)]


def _copies(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file())


@pytest.fixture(autouse=True)
def _restore() -> object:
    yield
    chinese._tokenizer.cache_clear()


def test_the_copy_is_written_then_read_and_segments_the_same(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, reference: list[tuple[str, str]]) -> None:
    monkeypatch.setenv("BITEXT_MODEL_CACHE", str(tmp_path))
    assert _fresh(monkeypatch) == reference
    files = _copies(tmp_path)
    assert [p.name for p in files] == ["prefix.marshal"]
    stamp = files[0].stat().st_mtime_ns
    monkeypatch.setattr(jieba.Tokenizer, "initialize",
                        lambda self, dictionary=None: pytest.fail("jieba loaded it again"))
    assert _fresh(monkeypatch) == reference
    assert files[0].stat().st_mtime_ns == stamp  # read, not rewritten


def test_off_writes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                            reference: list[tuple[str, str]]) -> None:
    monkeypatch.setenv("BITEXT_MODEL_CACHE", "off")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.setenv("HOME", str(tmp_path))
    assert _fresh(monkeypatch) == reference
    assert _copies(tmp_path) == []


@pytest.mark.parametrize("junk", [b"not marshal", b"", b"\xe9\x00\x00\x00"])
def test_a_damaged_copy_falls_back_and_is_rewritten(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, reference: list[tuple[str, str]],
        junk: bytes) -> None:
    monkeypatch.setenv("BITEXT_MODEL_CACHE", str(tmp_path))
    _fresh(monkeypatch)
    copy = _copies(tmp_path)[0]
    copy.write_bytes(junk)
    assert _fresh(monkeypatch) == reference
    assert copy.stat().st_size > 1_000_000


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="file ownership is POSIX")
def test_a_copy_others_may_write_is_not_loaded(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, reference: list[tuple[str, str]]) -> None:
    import marshal

    monkeypatch.setenv("BITEXT_MODEL_CACHE", str(tmp_path))
    _fresh(monkeypatch)
    copy = _copies(tmp_path)[0]
    copy.write_bytes(marshal.dumps(({"联": 1}, 1)))  # would cut every character alone
    copy.chmod(0o666)
    assert not derived.trusted(copy)
    assert _fresh(monkeypatch) == reference


def test_the_copy_is_not_made_from_jiebas_shared_temp_cache(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, reference: list[tuple[str, str]]) -> None:
    import marshal
    import tempfile

    shared = tmp_path / "shared-tmp"
    shared.mkdir()
    (shared / "jieba.cache").write_bytes(marshal.dumps(({"联": 1}, 1)))  # another user's
    monkeypatch.setattr(tempfile, "tempdir", str(shared))
    monkeypatch.setenv("BITEXT_MODEL_CACHE", str(tmp_path / "copies"))
    assert _fresh(monkeypatch) == reference
    assert _fresh(monkeypatch) == reference  # and from the copy
