"""Which folders of OUT hold documents to review."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from review_helpers import NAME, Built

from bitext.errors import InputError
from bitext.review.export import export_review
from bitext.review.sources import find_documents
from bitext.review.workbench import Workbench


def copy_as(src: Path, dst: Path, name: str) -> None:
    dst.mkdir(parents=True)
    for path in src.iterdir():
        if path.is_file():
            shutil.copy(path, dst / path.name.replace(NAME, name, 1))


def test_every_folder_with_build_outputs_is_a_document(built: Built, tmp_path: Path) -> None:
    out = tmp_path / "multi"
    copy_as(built.out, out / "a", "a")
    copy_as(built.out, out / "batch" / "b", "b")
    (out / "manifest.jsonl").write_text('{"id": "a", "status": "ok"}\n', encoding="utf-8")
    (out / "corpus.00000.jsonl").write_text("", encoding="utf-8")  # corpus-level files
    docs = find_documents(out)
    assert [d.id for d in docs] == ["a", "batch/b"]
    assert all(d.glossary is not None for d in docs)
    bench = Workbench(out, "ann")
    state = bench.alignment("batch/b")
    bench.edit_link("batch/b", "accept", {"link": state.links[0].key}, 0)
    files = export_review(bench, tmp_path / "reviewed")
    bench.close()
    names = {p.relative_to(tmp_path / "reviewed").as_posix() for p in files}
    assert {"a/a.reviewed.tmx", "batch/b/b.reviewed.tmx", "batch/b/b.reviewed.tbx",
            "changes.jsonl"} <= names
    # the exports are not taken for build outputs by a later review of the folder
    shutil.copytree(tmp_path / "reviewed", out / "reviewed")
    assert [d.id for d in find_documents(out)] == ["a", "batch/b"]


def test_a_folder_without_outputs_is_a_clean_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="run bitext build"):
        find_documents(tmp_path)


def test_a_collection_is_walked_to_its_deepest_document(built: Built, tmp_path: Path) -> None:
    """A collection's document ids are their folders in the TREE, at any depth
    (``2015/cedaw/c/are/q/2/3``), under a pair's folder in a six-language build: a
    document deeper than four folders was silently left off the page (41 of 72 in
    a build of 33 UN documents). A folder holding a collection's manifest.jsonl
    is walked to the end; elsewhere the depth cap stays."""
    out = tmp_path / "coll"
    deep = out / "en-fr" / "2015" / "cedaw" / "c" / "are" / "q" / "2" / "3"
    copy_as(built.out, deep, "3")
    copy_as(built.out, out / "en-fr" / "a", "a")
    (out / "en-fr" / "manifest.jsonl").write_text(
        '{"id": "a", "status": "ok"}\n{"id": "2015/cedaw/c/are/q/2/3", "status": "ok"}\n',
        encoding="utf-8")
    copy_as(built.out, out / "not" / "a" / "build" / "layout" / "x", "x")  # no manifest
    assert [d.id for d in find_documents(out)] == [
        "en-fr/2015/cedaw/c/are/q/2/3", "en-fr/a"]


def test_a_documents_id_does_not_repeat_its_name(built: Built, tmp_path: Path) -> None:
    """A collection's documents were listed as en-fr/2015/s/2015/305/305 (the
    folder, then the name the folder already ends with) in the page's document
    list and in changes.jsonl. The id is now the folder (en-fr/2015/s/2015/305);
    decisions a review stored under the old id still apply."""
    from bitext.review.db import Database

    out = tmp_path / "coll"
    copy_as(built.out, out / "en-fr" / "2015" / "s" / "305", "305")
    (out / "en-fr" / "manifest.jsonl").write_text('{"id": "2015/s/305", "status": "ok"}\n',
                                                  encoding="utf-8")
    assert [d.id for d in find_documents(out)] == ["en-fr/2015/s/305"]
    bench = Workbench(out, "ann")
    key = bench.alignment("en-fr/2015/s/305").links[0].key
    bench.close()
    old = Database(out / "review.sqlite")  # as an earlier version stored it
    old.add("en-fr/2015/s/305/305", "align", "accept", {"link": key}, "ann",
            "2026-12-01T10:00:00Z")
    old.close()
    bench = Workbench(out, "ann")
    assert bench.alignment("en-fr/2015/s/305").links[0].status == "accepted"
    assert bench.undo("en-fr/2015/s/305", "align", "ann") is not None
    assert bench.alignment("en-fr/2015/s/305").links[0].status != "accepted"
    bench.close()


@pytest.mark.parametrize("which", ["jsonl", "sentences.tmx", "tbx"])
def test_a_named_pipe_among_the_build_outputs_is_one_error_not_a_wait(built: Built,
                                                                       which: str) -> None:
    """A build output replaced by a named pipe (FIFO) while the review is served,
    or before ``bitext review OUT --export``: the reader opened it and waited for
    a writer for ever, holding the workbench's lock, so every page of the server
    hung (NAME.tbx once the glossary page was opened; NAME.jsonl and
    NAME.sentences.tmx at the first page, and the export never ended). It is
    one Error naming the file (reliab23, session 26)."""
    import os
    import threading

    from bitext.errors import BitextError

    bench = Workbench(built.out, "ann")
    path = built.out / f"{NAME}.{which}"
    path.unlink()
    os.mkfifo(path)
    raised: list[BaseException] = []

    def read() -> None:
        try:
            bench.glossary(NAME) if which == "tbx" else bench.alignment(NAME)
        except BaseException as err:  # handed to the test's thread
            raised.append(err)

    reader = threading.Thread(target=read, daemon=True)  # left waiting if it hangs
    reader.start()
    reader.join(60)
    assert not reader.is_alive(), f"waited on the FIFO {path.name}"
    assert len(raised) == 1 and isinstance(raised[0], BitextError), raised
    assert f"{NAME}.{which}" in str(raised[0]) and "named pipe" in str(raised[0]), raised


@pytest.mark.parametrize("kind", ["fifo", "folder", "broken link"])
def test_a_glossary_that_is_no_file_is_named_not_taken_for_none(built: Built, tmp_path: Path,
                                                                 kind: str) -> None:
    """``NAME.tbx`` that is a named pipe, a folder or a link to nothing when the
    review starts was taken for no glossary, without a word: the glossary page
    said the build wrote none and ``review OUT --export`` wrote no TBX. The
    page and the export name the file and what is there (reliab24, session 27)."""
    import os

    from bitext.errors import BitextError

    path = built.out / f"{NAME}.tbx"
    path.unlink()
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "folder":
        path.mkdir()
    else:
        path.symlink_to(tmp_path / "gone.tbx")
    bench = Workbench(built.out, "ann")
    try:
        with pytest.raises(BitextError) as page:
            bench.glossary(NAME)
        assert f"{NAME}.tbx" in str(page.value) and "no glossary" not in str(page.value)
        with pytest.raises(BitextError) as export:
            export_review(bench, tmp_path / "reviewed")
        assert f"{NAME}.tbx" in str(export.value)
        assert not (tmp_path / "reviewed").exists()
    finally:
        bench.close()
