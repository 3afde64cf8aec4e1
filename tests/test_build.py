"""bitext.build: the per-document build as a library function (plan, then run)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from bitext.build import BuildSettings, build_document, find_document, plan_outputs
from bitext.errors import InputError


def test_plan_names_every_output_without_reading(tmp_path: Path) -> None:
    doc = find_document_or_fake(tmp_path)
    plan = plan_outputs(doc, tmp_path / "out", BuildSettings(glossary=False))
    names = {p.name for p in plan.files()}
    assert names == {"zh.segments.jsonl", "en.segments.jsonl", "pair.sentences.tmx",
                     "pair.paragraphs.tmx", "pair.tsv", "pair.jsonl", "pair.zh", "pair.en",
                     "pair.ids", "pair.beads"}
    assert plan_outputs(doc, tmp_path, BuildSettings()).tbx is not None


def find_document_or_fake(tmp_path: Path) -> object:
    folder = tmp_path / "pair"
    folder.mkdir()
    (folder / "x.zh.txt").write_text("一。\n", encoding="utf-8")
    (folder / "en.docx").write_bytes(b"")
    doc = find_document(folder, ("zh", "en"))
    assert doc.files["zh"].name == "x.zh.txt" and doc.files["en"].name == "en.docx"
    assert doc.id == "pair" and doc.stem == "pair"
    return doc


def test_missing_language_names_it(tmp_path: Path) -> None:
    (tmp_path / "zh.txt").write_text("一。\n", encoding="utf-8")
    with pytest.raises(InputError, match="no en document"):
        find_document(tmp_path, ("zh", "en"))


def test_signature_changes_with_any_setting() -> None:
    base = BuildSettings()
    assert base.signature() == BuildSettings().signature()
    others = [BuildSettings(max_bead=3), BuildSettings(encoder="length"),
              BuildSettings(glossary=False), BuildSettings(export={"min_score": 0.5})]
    assert len({base.signature(), *(s.signature() for s in others)}) == 5


def test_build_document_writes_the_plan(tmp_path: Path, corpus_dir: Path) -> None:
    folder = tmp_path / "doc"
    folder.mkdir()
    for name in ("zh.txt", "en.txt"):
        shutil.copy(corpus_dir / name, folder / name)
    settings = BuildSettings(encoder="length", glossary=False)
    doc = find_document(folder, ("zh", "en"), doc_id="a/doc")
    result = build_document(doc, tmp_path / "out", settings)
    assert all(Path(p).is_file() for p in result.files)
    assert result.id == "a/doc" and result.status == "ok"
    assert result.links == sum(result.shapes.values()) > 100
    assert 0 <= result.low_confidence <= result.links
    assert result.sentences > result.links // 2 and result.units > 0


def test_prepare_worker_loads_the_glossary_tables_once_per_process() -> None:
    """A worker loads jieba and CC-CEDICT at start-up, not in its first document."""
    from bitext.build import prepare_worker
    from bitext.glossary import chinese
    from bitext.glossary.cedict import load_dictionary

    chinese._tokenizer.cache_clear()
    load_dictionary.cache_clear()
    prepare_worker(BuildSettings(encoder="length", glossary=False))
    assert chinese._tokenizer.cache_info().currsize == 0  # no glossary: no jieba
    assert load_dictionary.cache_info().currsize == 1     # the zh-en aligner's table
    prepare_worker(BuildSettings(encoder="length"))
    assert chinese._tokenizer.cache_info().currsize == 1
    prepare_worker(BuildSettings(encoder="length", src_lang="fr", tgt_lang="en"))  # other pairs


def test_prepare_worker_loads_the_english_lexicon_with_the_glossary(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """lemminflect's tables (about 0.5 CPU s) load at a worker's start, not in its
    first glossary, when English is a side; not without the glossary."""
    from bitext.build import prepare_worker
    from bitext.glossary import english

    loads: list[bool] = []
    monkeypatch.setattr(english, "load_lexicon", lambda: loads.append(True))
    prepare_worker(BuildSettings(encoder="length", glossary=False))
    assert not loads
    prepare_worker(BuildSettings(encoder="length"))
    assert loads == [True]
    prepare_worker(BuildSettings(encoder="length", src_lang="fr", tgt_lang="ru"))
    assert loads == [True]


def test_prepare_worker_runs_the_young_collection_less_often() -> None:
    """A worker's cyclic collector waits for GC_YOUNG_THRESHOLD new objects, not 700."""
    import gc

    from bitext.build import GC_YOUNG_THRESHOLD, prepare_worker

    before = gc.get_threshold()
    try:
        gc.set_threshold(700, *before[1:])
        prepare_worker(BuildSettings(encoder="length", glossary=False))
        assert gc.get_threshold()[0] == GC_YOUNG_THRESHOLD > 700
        assert gc.get_threshold()[1:] == before[1:]
    finally:
        gc.set_threshold(*before)


def test_build_document_syncs_its_folder_once(tmp_path: Path, corpus_dir: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """Ten outputs, one folder fsync for them (and one for the record after them)."""
    from bitext.fileio import write

    synced: list[Path] = []
    monkeypatch.setattr(write, "_fsync_dir", synced.append)
    folder = tmp_path / "doc"
    folder.mkdir()
    for name in ("zh.txt", "en.txt"):
        shutil.copy(corpus_dir / name, folder / name)
    out = tmp_path / "out"
    result = build_document(find_document(folder, ("zh", "en")), out,
                            BuildSettings(encoder="length", glossary=False))
    assert len(result.files) == 10
    assert synced.count(out) == 2


def test_the_record_is_synced_beside_the_outputs_and_renamed_after_them(
        tmp_path: Path, corpus_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The record of a document's outputs is fsync'ed in the same batch as the
    outputs (one journal commit fewer a document), and put in place only once
    the outputs' renames are durable (their folder fsync'ed): a power cut never
    leaves a record in place that vouches for outputs still old."""
    from bitext.fileio import write
    from bitext.outputs import RECORD_NAME, check_record

    events: list[str] = []
    real_fsync, real_replace = os.fsync, os.replace

    def fsync(fd: int) -> None:
        real_fsync(fd)
        path = os.path.realpath(f"/proc/self/fd/{fd}")
        events.append("fsync record" if RECORD_NAME in Path(path).name else "fsync")

    def replace(src: str, dst: str | Path) -> None:
        real_replace(src, dst)
        events.append("rename record" if Path(dst).name == RECORD_NAME else "rename")

    monkeypatch.setattr(write.os, "fsync", fsync)
    monkeypatch.setattr(write.os, "replace", replace)
    monkeypatch.setattr(write, "_fsync_dir", lambda folder: events.append("folder"))
    folder = tmp_path / "doc"
    folder.mkdir()
    for name in ("zh.txt", "en.txt"):
        shutil.copy(corpus_dir / name, folder / name)
    out = tmp_path / "out"
    build_document(find_document(folder, ("zh", "en")), out,
                   BuildSettings(encoder="length", glossary=False))
    renames = [k for k, e in enumerate(events) if e == "rename"]
    assert len(renames) == 10
    assert events.index("fsync record") < renames[0]
    record_at = events.index("rename record")
    assert "folder" in events[renames[-1]:record_at]
    assert events[record_at + 1:] == ["folder"]
    assert check_record(out) == (10, [])
