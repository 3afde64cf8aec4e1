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
    assert [d.id for d in docs] == ["a", "batch/b/b"]
    assert all(d.glossary is not None for d in docs)
    bench = Workbench(out, "ann")
    state = bench.alignment("batch/b/b")
    bench.edit_link("batch/b/b", "accept", {"link": state.links[0].key}, 0)
    files = export_review(bench, tmp_path / "reviewed")
    bench.close()
    names = {p.relative_to(tmp_path / "reviewed").as_posix() for p in files}
    assert {"a/a.reviewed.tmx", "batch/b/b.reviewed.tmx", "batch/b/b.reviewed.tbx",
            "changes.jsonl"} <= names
    # the exports are not taken for build outputs by a later review of the folder
    shutil.copytree(tmp_path / "reviewed", out / "reviewed")
    assert [d.id for d in find_documents(out)] == ["a", "batch/b/b"]


def test_a_folder_without_outputs_is_a_clean_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="run bitext build"):
        find_documents(tmp_path)
