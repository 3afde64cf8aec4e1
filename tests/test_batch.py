"""Collections: discovery, manifests, the run ledger, resume, isolated failures, jobs."""

from __future__ import annotations

import contextlib
import gzip
import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bitext.batch import Ledger, discover, read_manifest, run_batch
from bitext.build import BuildResult, BuildSettings
from bitext.engines import get_engine
from bitext.errors import ConfigError, InputError

ZH = "{n}. 大会审议了第{n}号报告。委员会建议通过该决议草案。\n"
EN = ("{n}. The General Assembly considered report number {n}. "
      "The Committee recommends the adoption of the draft resolution.\n")

SETTINGS = BuildSettings(encoder="length", glossary=False)


def make_doc(folder: Path, paragraphs: int, layout: str = "plain") -> None:
    folder.mkdir(parents=True, exist_ok=True)
    zh = "".join(ZH.format(n=k) for k in range(1, paragraphs + 1))
    en = "".join(EN.format(n=k) for k in range(1, paragraphs + 1))
    names = ("zh.txt", "en.txt") if layout == "plain" else (f"{layout}.zh.txt", f"{layout}.en.txt")
    (folder / names[0]).write_text(zh, encoding="utf-8")
    (folder / names[1]).write_text(en, encoding="utf-8")


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    root = tmp_path / "tree"
    make_doc(root / "2015" / "a", 3)
    make_doc(root / "2015" / "b", 8, layout="A_70_1")
    make_doc(root / "2016" / "deep" / "c", 5)
    (root / ".hidden").mkdir()
    make_doc(root / ".hidden" / "x", 2)
    return root


def test_discover_recursive_ids(tree: Path) -> None:
    docs = discover([tree], ("zh", "en"))
    assert [d.id for d in docs] == ["2015/a", "2015/b", "2016/deep/c"]
    assert docs[1].files["zh"].name == "A_70_1.zh.txt" and docs[1].stem == "b"
    # A tree that is itself a corpus folder is one document named after it.
    assert [d.id for d in discover([tree / "2015" / "a"], ("zh", "en"))] == ["a"]


def test_a_file_that_names_no_language_makes_no_document(tree: Path) -> None:
    """A README.txt at the top of a collection, or a notes.pdf beside the
    documents' folders, made its folder a document that failed ('no zh document
    found'), and the run exit 1. A folder is a document when one of its files is
    named for a language (``zh.txt``, ``A.fr.pdf``, ``A_EN.docx``: then a missing
    language is reported, with the names to use)."""
    (tree / "README.txt").write_text("Downloaded 2015.\n", encoding="utf-8")
    (tree / "2016" / "notes.pdf").write_bytes(b"%PDF-1.4\n")
    (tree / "2015" / "c").mkdir()
    (tree / "2015" / "c" / "ZH.txt").write_text("大会。\n", encoding="utf-8")
    docs = discover([tree], ("zh", "en"))
    assert [d.id for d in docs] == ["2015/a", "2015/b", "2015/c", "2016/deep/c"]
    assert "en" not in docs[2].files  # still reported missing, with the names to use


def test_a_listed_folder_matches_as_the_glob_does(tmp_path: Path) -> None:
    from bitext.build import find_language_file

    names = ["b.zh.txt", "a_zh.txt", "._A.zh.docx", "zh.pdf", "A.zh.docx", "notes_en.TXT",
             "en.pdf", "x.en.docx", "fr.txt.bak", "ZH.txt"]
    for name in names:
        (tmp_path / name).write_text("x", encoding="utf-8")
    for lang in ("zh", "en", "fr", "ar"):
        assert (find_language_file(tmp_path, lang, names)
                == find_language_file(tmp_path, lang)), lang
    # not the resource fork macOS leaves beside it, which sorts first
    assert find_language_file(tmp_path, "zh", names) == tmp_path / "A.zh.docx"


def test_a_folder_with_two_files_of_one_language_is_one_error(tmp_path: Path) -> None:
    """Two Chinese files of one type in a corpus folder (zh.txt beside x.zh.txt,
    or A.zh.txt beside B.zh.txt): the first by name was aligned and the other
    left out without a word (B's Chinese could be paired with A's English). Files
    of two types stay a choice, by build.EXTENSIONS (en.pdf over en.txt)."""
    from bitext.build import find_document

    folder = tmp_path / "tree" / "doc"
    folder.mkdir(parents=True)
    for name in ("zh.txt", "x.zh.txt", "en.txt", "en.pdf"):
        (folder / name).write_text("x", encoding="utf-8")
    message = r"doc: 2 zh files \(x.zh.txt, zh.txt\); keep one file per language"
    with pytest.raises(InputError, match=message):
        discover([tmp_path / "tree"], ("zh", "en"))
    with pytest.raises(InputError, match=message):
        find_document(folder, ("zh", "en"))
    (folder / "x.zh.txt").unlink()
    (doc,) = discover([tmp_path / "tree"], ("zh", "en"))
    assert doc.files == {"zh": folder / "zh.txt", "en": folder / "en.pdf"}


def test_a_folder_with_files_of_two_types_for_one_language_says_which_is_read(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """en.pdf beside en.txt: the PDF was read by build.EXTENSIONS' order and the
    text file left out without a word (a user's own cleaned extraction, say).
    One warning names both and the one read."""
    import logging

    folder = tmp_path / "tree" / "doc"
    folder.mkdir(parents=True)
    for name in ("zh.txt", "en.txt", "en.pdf"):
        (folder / name).write_text("x", encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="bitext"):
        (doc,) = discover([tmp_path / "tree"], ("zh", "en"))
    assert doc.files == {"zh": folder / "zh.txt", "en": folder / "en.pdf"}
    warned = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warned) == 1 and "en.pdf" in warned[0] and "en.txt" in warned[0], warned


def test_a_linked_folder_in_a_tree_is_named_not_skipped_silently(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """os.walk does not follow links (one may loop back up the tree): a corpus
    folder reached through a symbolic link was left out of the collection
    without a word. It is still not followed, and a warning names it."""
    tree = tmp_path / "tree"
    for name in ("real", "store/linked"):
        (tree / name).mkdir(parents=True)
        for lang in ("zh", "en"):
            (tree / name / f"{lang}.txt").write_text("x", encoding="utf-8")
    (tree / "link").symlink_to(tree / "store" / "linked")
    (tree / "real" / "loop").symlink_to(tree)
    with caplog.at_level("WARNING"):
        docs = discover([tree], ("zh", "en"))
    assert [d.id for d in docs] == ["real", "store/linked"]
    warned = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
    assert len(warned) == 2 and all("symbolic link" in w and "not followed" in w
                                    for w in warned), warned
    assert any(w.startswith(f"{tree / 'link'}: ") for w in warned)


def _unlistable(monkeypatch: pytest.MonkeyPatch, *folders: Path) -> None:
    """``folders`` cannot be listed, as with mode 000 (as root, chmod would not
    stop the scan)."""
    listdir = os.scandir

    def scandir(path: Any = ".") -> Any:
        if isinstance(path, str | os.PathLike) and Path(path) in folders:
            raise PermissionError(13, "Permission denied", str(path))
        return listdir(path)

    monkeypatch.setattr(os, "scandir", scandir)


def test_a_folder_the_scan_cannot_read_is_a_failed_document(
        tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """os.walk drops a folder it cannot list (no read or search permission)
    without a word: a build of the tree left that folder's documents out and
    exited 0 (probed with the permission checks dropped from root); then a
    warning named it and the build still exited 0, a collection silently
    short. It is a document of its own that fails, as an unreadable file
    does: recorded, counted, exit 1."""
    hidden_from_us = tree / "2016"
    _unlistable(monkeypatch, hidden_from_us)
    docs = discover([tree], ("zh", "en"))
    assert [d.id for d in docs] == ["2015/a", "2015/b", "2016"]
    assert docs[2].files == {}
    assert docs[2].unreadable == (f"cannot read its folder {hidden_from_us} (Permission "
                                  "denied), so the documents it holds cannot be built; make "
                                  "it readable (chmod), or move it out of the tree")


def test_a_tree_the_scan_cannot_read_is_an_error(
        tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _unlistable(monkeypatch, tree)
    with pytest.raises(InputError, match=r"tree: cannot read this folder \(Permission "
                                         r"denied\); make it readable \(chmod\)"):
        discover([tree], ("zh", "en"))


def test_a_collection_with_a_folder_it_cannot_read_exits_1(
        tree: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    _unlistable(monkeypatch, tree / "2016")
    out = tmp_path / "out"
    code, err = _main(["build", str(tree), "-o", str(out), "--encoder", "length",
                       "--no-glossary", "--jobs", "1"], capsys)
    errors = [line for line in err.splitlines() if line.startswith("Error: ")]
    assert code == 1 and len(errors) == 1 and "Traceback" not in err, err
    assert f"2016: cannot read its folder {tree / '2016'}" in errors[0], errors
    assert "3 documents: 2 built, 0 up to date, 1 failed" in err, err
    entries = {e["id"]: e for e in map(json.loads, (out / "manifest.jsonl")
                                       .read_text("utf-8").splitlines())}
    assert entries["2016"]["status"] == "failed" and entries["2015/a"]["status"] == "ok"
    assert not (out / "2016").exists()
    # readable again: the rerun builds what it holds
    monkeypatch.undo()
    code, err = _main(["build", str(tree), "-o", str(out), "--encoder", "length",
                       "--no-glossary", "--jobs", "1"], capsys)
    assert code == 0, err
    assert (out / "2016" / "deep" / "c").is_dir()


def test_one_scan_serves_every_pair(tree: Path) -> None:
    from bitext.batch import holds_corpus_folders, restrict
    from bitext.languages import codes

    (tree / "2015" / "b" / "A_70_1.fr.txt").write_text("x", encoding="utf-8")
    every = discover([tree], codes())
    assert restrict(every, ("zh", "en")) == discover([tree], ("zh", "en"))
    assert restrict(every, ("en", "fr")) == discover([tree], ("en", "fr"))
    assert holds_corpus_folders(tree) and not holds_corpus_folders(tree / "2016" / "none")


def test_discover_errors(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no corpus folder"):
        discover([tmp_path], ("zh", "en"))
    make_doc(tmp_path / "one" / "x", 1)
    make_doc(tmp_path / "two" / "x", 1)
    with pytest.raises(InputError, match="also comes from"):
        discover([tmp_path / "one", tmp_path / "two"], ("zh", "en"))


def test_an_output_folder_that_is_a_corpus_folder_of_the_tree_is_an_error(tree: Path,
                                                                         tmp_path: Path) -> None:
    """'bitext build TREE -o TREE/2015/a' built the other documents into that corpus
    folder and left its own document out without a word ('2 documents: 2 built',
    exit 0): the output folder is skipped by the scan. Now one Error naming it,
    before anything is written; an output folder inside the tree that holds no
    document is still skipped (its own files are never documents)."""
    out = tree / "2015" / "a"
    before = sorted(p.name for p in out.iterdir())
    res = subprocess.run([sys.executable, "-m", "bitext", "build", str(tree), "-o", str(out),
                          "--encoder", "length", "--no-glossary", "--jobs", "1"],
                         capture_output=True, text=True, timeout=300)
    assert res.returncode == 1, res.stderr
    errors = [ln for ln in res.stderr.splitlines() if ln.strip()]
    assert len(errors) == 1 and errors[0].startswith("Error: "), res.stderr
    assert str(out) in errors[0] and "corpus folder" in errors[0] and "-o" in errors[0]
    assert sorted(p.name for p in out.iterdir()) == before
    inside = tree / "out"
    assert [d.id for d in discover([tree], ("zh", "en"), exclude=[inside])] == [
        "2015/a", "2015/b", "2016/deep/c"]


def test_the_scan_skips_the_output_folder_however_it_is_named(
        tree: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The output folder is left out of the scan by what it is (its device and
    inode), not by how the path names it: through a link, or relative to the
    working folder. A tree given as '.' or as a link is named after the folder
    it is."""
    make_doc(tree / "out" / "2015" / "z", 1)  # as if an earlier run's outputs held one
    (tmp_path / "link").symlink_to(tree / "out")
    monkeypatch.chdir(tree)
    for given in (tree / "out", tmp_path / "link", Path("out"), Path("./2015/../out")):
        assert [d.id for d in discover([tree], ("zh", "en"), exclude=[given])] == [
            "2015/a", "2015/b", "2016/deep/c"], given
    (tmp_path / "tree-link").symlink_to(tree / "2015" / "a")
    monkeypatch.chdir(tree / "2015" / "a")
    for given in (Path("."), tmp_path / "tree-link"):
        (doc,) = discover([given], ("zh", "en"))
        assert (doc.id, doc.name) == ("a", "a"), given
    assert [d.name for d in discover([tree], ("zh", "en"), exclude=[tree / "out"])] == [
        "a", "b", "c"]


@pytest.mark.parametrize(("header", "keys"), [
    (("id", "zh", "en"), ("id", "zh", "en")),
    # ID, ZH, En: column names and keys are read as the language options read the
    # codes, whatever their case (a spreadsheet's header)
    (("ID", "ZH", "En"), ("Id", "ZH", "EN")),
])
def test_manifest_tsv_and_jsonl(tmp_path: Path, header: tuple[str, ...],
                                keys: tuple[str, ...]) -> None:
    make_doc(tmp_path / "files", 2)
    values = ("A/70/1", "files/zh.txt", "files/en.txt")
    tsv = tmp_path / "list.tsv"
    tsv.write_text("\t".join(header) + "\n" + "\t".join(values) + "\n", encoding="utf-8")
    jsonl = tmp_path / "list.jsonl"
    jsonl.write_text(json.dumps(dict(zip(keys, values, strict=True))) + "\n", encoding="utf-8")
    for path in (tsv, jsonl):
        (doc,) = read_manifest(path, ("zh", "en"))
        assert doc.id == "A/70/1" and set(doc.files) == {"zh", "en"}
        assert doc.files["en"] == tmp_path / "files" / "en.txt"


def test_manifest_records_end_at_line_feeds_only(tmp_path: Path) -> None:
    """JSON leaves U+2028 unescaped and a file name may hold it: the line stays one
    record (str.splitlines cut it in two: 'not valid JSON')."""
    folder = tmp_path / "files"
    folder.mkdir()
    (folder / "zh\u2028a.txt").write_text("第一句。\n", encoding="utf-8")
    (folder / "en.txt").write_text("The first.\n", encoding="utf-8")
    jsonl = tmp_path / "list.jsonl"
    jsonl.write_text(json.dumps({"id": "x", "zh": "files/zh\u2028a.txt", "en": "files/en.txt"},
                                ensure_ascii=False) + "\n", encoding="utf-8")
    (doc,) = read_manifest(jsonl, ("zh", "en"))
    assert doc.files["zh"] == folder / "zh\u2028a.txt"


@pytest.mark.parametrize(("text", "message"), [
    ("zh\ten\na\tb\n", "header row with an 'id'"),
    ("id\tzh\ten\nx\ty\n", "2: 2 columns"),
    # the Error says where the first listing is and what to do (it gave no fix)
    ("id\tzh\ten\nx\ta\tb\nx\ta\tb\n",
     r"3: document id 'x' is listed twice \(first on line 2\); keep one line for it"),
    ("id\tzh\ten\n../up\ta\tb\n", "must be a relative path"),
    # ids that would write into OUT itself, over OUT's own files, or fail mid-run
    ("id\tzh\ten\n.\ta\tb\n", "names the output folder itself"),
    ("id\tzh\ten\nmanifest.jsonl\ta\tb\n", "OUT's own files"),
    ("id\tzh\ten\ncorpus.tmx.gz/x\ta\tb\n", "OUT's own files"),
    ("id\tzh\ten\na\x00b\ta\tb\n", "control character"),
    ("id\tzh\ten\na\x1bb\ta\tb\n", "control character"),
    ("id\tzh\ten\n" + "x" * 300 + "\ta\tb\n", "longer than 255 bytes"),
    # two spellings of one folder: the second document wrote over the first's files
    ("id\tzh\ten\na\ta\tb\n./a\ta\tb\n", "3: document id './a' names the folder of 'a'"),
    ("id\tzh\ten\na/b\ta\tb\na//b/\ta\tb\n", "3: document id 'a//b/' names the folder"),
    # two ids one folder on macOS and Windows (case, or é as one character or two):
    # there the second document's files replaced the first's without a word
    ("id\tzh\ten\nA/Res\ta\tb\na/res\ta\tb\n",
     "3: document id 'a/res' and 'A/Res' \\(line 2\\) differ only in letter case or Unicode "
     "normalisation"),
    ("id\tzh\ten\ncaf\u00e9\ta\tb\ncafe\u0301\ta\tb\n", "3: document id .* differ only in"),
    # a column named twice: the last one was taken without a word
    ("id\tzh\tzh\nx\ta\tb\n", "1: the header names 'zh' twice"),
    ("ID\tid\tzh\ten\nx\ty\ta\tb\n", "1: the header names 'id' twice"),
    ('{"id": "x", "zh": "a", "ZH": "b", "en": "c"}\n', "1: the line names 'zh' twice"),
    ('{"id": "x", "zh": "a", "zh": "b", "en": "c"}\n', "1: the line names 'zh' twice"),
    # a NUL no file name can hold: a traceback (ValueError: embedded null byte)
    # when the run hashed the file
    ('{"id": "x", "zh": "a\\u0000.txt", "en": "c"}\n',
     r"1: the zh path 'a\\x00.txt' holds a NUL character, which no file name can hold"),
    ("id\tzh\ten\nx\ta\tb\x00\n", r"2: the en path 'b\\x00' holds a NUL character"),
    # a JSON number, list or object was read as the file named by its Python text
    ('{"id": "x", "zh": ["a.txt"], "en": "c"}\n', "1: the zh path must be a string"),
    ('{"id": "x", "zh": "a", "en": 7}\n', "1: the en path must be a string"),
])
def test_manifest_errors_name_the_line(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "m.tsv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match=message):
        read_manifest(path, ("zh", "en"))


def test_resume_skips_unchanged_and_redoes_changed(tree: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    docs = discover([tree], ("zh", "en"))
    engine = get_engine("local", jobs=1)
    first = run_batch(docs, out, SETTINGS, engine)
    assert (first.built, first.skipped, first.failed) == (3, 0, [])
    assert (out / "2016" / "deep" / "c" / "c.sentences.tmx").is_file()
    entries = Ledger(out / "manifest.jsonl").entries
    assert set(entries) == {"2015/a", "2015/b", "2016/deep/c"}
    entry = entries["2015/b"]
    assert entry["status"] == "ok" and entry["links"] >= 8 and entry["units"] == 16
    assert set(entry["inputs"]) == {"zh", "en"} and entry["settings"] == SETTINGS.signature()
    assert entry["low_confidence"] <= entry["links"] and entry["seconds"] >= 0

    again = run_batch(docs, out, SETTINGS, engine)
    assert (again.built, again.skipped) == (0, 3)
    make_doc(tree / "2015" / "a", 4)  # changed input
    (out / "2015" / "b" / "b.tsv").unlink()  # a missing output
    third = run_batch(docs, out, SETTINGS, engine)
    assert (third.built, third.skipped) == (2, 1)
    other = BuildSettings(encoder="length", glossary=False, max_bead=2)
    assert run_batch(docs, out, other, engine).built == 3  # settings changed
    assert run_batch(docs, out, other, engine, force=True).built == 3
    assert len((out / "manifest.jsonl").read_text().splitlines()) == 3  # compacted


def test_validate_checks_every_document_folder_of_a_collection(tree: Path,
                                                              tmp_path: Path) -> None:
    """``bitext validate OUT/`` on a collection's output: OUT has no record of its
    own (each document's folder has one), and it was an Error asking whether this
    was a build folder at all."""
    out = tmp_path / "out"
    run_batch(discover([tree], ("zh", "en")), out, SETTINGS, get_engine("local", jobs=1))
    res = subprocess.run([sys.executable, "-m", "bitext", "validate", str(out)],
                         capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
    assert "3 document folders" in res.stdout, res.stdout
    (out / "2015" / "b" / "b.tsv").write_text("changed\n", encoding="utf-8")
    res = subprocess.run([sys.executable, "-m", "bitext", "validate", str(out)],
                         capture_output=True, text=True)
    assert res.returncode == 1
    assert f"{out}/2015/b/b.tsv: changed since the build" in res.stderr, res.stderr
    empty = tmp_path / "empty"
    empty.mkdir()
    res = subprocess.run([sys.executable, "-m", "bitext", "validate", str(empty)],
                         capture_output=True, text=True)
    assert res.returncode == 1 and "is this a bitext build folder?" in res.stderr


def test_validate_a_collection_stopped_before_any_document_was_built(tmp_path: Path) -> None:
    """A collection's OUT holding its ledger and no document's record yet (the
    run was stopped before the first document ended) is a bitext build folder:
    the Error asked whether it was one (noticed by reliab13). It now says that
    no document is built, where to see why, and to run the build again."""
    out = tmp_path / "out"
    out.mkdir()
    (out / "manifest.jsonl").write_text("", encoding="utf-8")
    res = subprocess.run([sys.executable, "-m", "bitext", "validate", str(out)],
                         capture_output=True, text=True)
    assert res.returncode == 1, res.stderr
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), res.stderr
    assert "no document built" in lines[0] and "run the same build" in lines[0], lines[0]


def test_validate_a_build_stopped_before_its_record(tmp_path: Path) -> None:
    """A build folder whose run was stopped (Ctrl+C, SIGTERM) after some outputs
    and before the record holds the build's lock file and those outputs (each
    whole): validate asked whether it was a bitext build folder at all. It says
    the build did not finish and to run it again."""
    out = tmp_path / "out"
    out.mkdir()
    (out / ".bitext.lock").write_text("123\n", encoding="utf-8")
    (out / "en.segments.jsonl").write_text("{}\n", encoding="utf-8")
    res = subprocess.run([sys.executable, "-m", "bitext", "validate", str(out)],
                         capture_output=True, text=True)
    lines = res.stderr.strip().splitlines()
    assert res.returncode == 1 and len(lines) == 1 and lines[0].startswith("Error: "), res.stderr
    assert "a build into it did not finish" in lines[0], lines[0]
    assert "run the build again" in lines[0], lines[0]


def _validate(out: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "bitext", "validate", str(out)],
                          capture_output=True, text=True)


def test_validate_a_collection_with_a_failed_document_or_a_stale_corpus(
        tree: Path, tmp_path: Path) -> None:
    """``bitext validate OUT/`` as a CI gate: it checked each document folder's
    record and said all was well (exit 0) when the last build of a document had
    failed (its folder holding an earlier build's files, or none) or when the
    corpus files were made before documents were built again (the corpus step
    failed or was stopped). The ledger and the corpus stamp decide."""
    out = tmp_path / "out"
    cmd = [sys.executable, "-m", "bitext", "build", str(tree), "-o", str(out),
           "--encoder", "length", "--no-glossary", "--jobs", "1"]
    assert subprocess.run(cmd, capture_output=True, text=True).returncode == 0
    assert _validate(out).returncode == 0
    # a document built again without the corpus step after it (as when it fails)
    make_doc(tree / "2015" / "a", 4)
    assert run_batch(discover([tree], ("zh", "en")), out, SETTINGS,
                     get_engine("local", jobs=1)).built >= 1
    res = _validate(out)
    assert res.returncode == 1, res.stdout
    assert f"{out}/corpus.stamp.json: " in res.stderr and "2015/a" in res.stderr, res.stderr
    assert "Traceback" not in res.stderr
    assert subprocess.run(cmd, capture_output=True, text=True).returncode == 0
    assert _validate(out).returncode == 0
    # a corpus step that stopped before its stamp: shards with nothing to say what they are
    stamp = (out / "corpus.stamp.json").read_bytes()
    (out / "corpus.stamp.json").unlink()
    res = _validate(out)
    assert res.returncode == 1 and f"{out}/corpus.stamp.json: missing" in res.stderr, res.stderr
    (out / "corpus.stamp.json").write_bytes(stamp)
    # a document whose last build failed: its folder holds the build before
    (tree / "2015" / "b" / "A_70_1.en.txt").write_text("", encoding="utf-8")
    assert subprocess.run(cmd, capture_output=True, text=True).returncode == 1
    res = _validate(out)
    assert res.returncode == 1, res.stdout
    assert f"{out}/2015/b: its last build failed" in res.stderr, res.stderr
    lines = res.stderr.strip().splitlines()
    assert lines[-1].startswith("Error: ") and "Traceback" not in res.stderr


@pytest.mark.parametrize("ledger", ["fifo", "folder", "missing"])
def test_validate_a_collection_whose_ledger_is_no_file(tree: Path, tmp_path: Path,
                                                       ledger: str) -> None:
    """``bitext validate OUT/`` with the ledger a FIFO said 'remove it, or build
    into another -o' (advice for a build, not for the folder being checked);
    with the ledger a folder, or gone, it said all was well (exit 0) though
    nothing was left to say which documents failed or whether the corpus is of
    the documents as built. Each is now a problem of the collection."""
    out = tmp_path / "out"
    cmd = [sys.executable, "-m", "bitext", "build", str(tree), "-o", str(out),
           "--encoder", "length", "--no-glossary", "--jobs", "1"]
    assert subprocess.run(cmd, capture_output=True, text=True).returncode == 0
    (out / "manifest.jsonl").unlink()
    if ledger == "fifo":
        os.mkfifo(out / "manifest.jsonl")
    elif ledger == "folder":
        (out / "manifest.jsonl").mkdir()
    res = subprocess.run([sys.executable, "-m", "bitext", "validate", str(out)],
                         capture_output=True, text=True, timeout=120)
    assert res.returncode == 1, res.stdout
    first = res.stderr.splitlines()[0]
    assert first.startswith(f"{out}/manifest.jsonl: "), res.stderr
    assert "run the same build command again" in first and "another -o" not in first, first
    assert res.stderr.splitlines()[-1].startswith("Error: "), res.stderr
    assert "Traceback" not in res.stderr


def test_failures_are_isolated_and_recorded(tree: Path, tmp_path: Path) -> None:
    (tree / "2015" / "a" / "en.txt").unlink()
    (tree / "2015" / "b" / "A_70_1.en.txt").write_text("", encoding="utf-8")
    out = tmp_path / "out"
    docs = discover([tree], ("zh", "en"))
    report = run_batch(docs, out, SETTINGS, get_engine("local", jobs=1))
    assert report.built == 1 and sorted(i for i, _ in report.failed) == ["2015/a", "2015/b"]
    entries = Ledger(out / "manifest.jsonl").entries
    assert "no en document found" in entries["2015/a"]["error"]
    assert entries["2015/b"]["status"] == "failed" and entries["2015/b"]["error"]
    stopped = run_batch(docs, tmp_path / "out2", SETTINGS, get_engine("local", jobs=1),
                        max_failures=1)
    assert len(stopped.failed) == 1 and stopped.built + len(stopped.failed) < 3


def test_a_fifo_or_a_device_in_a_collection_fails_its_document_only(tree: Path,
                                                                    tmp_path: Path) -> None:
    """Resume hashes every input before the run: a FIFO would block it for ever (no
    writer), a device such as /dev/zero never ends. Such a document fails with its
    Error; the others are built."""
    fifo = tree / "2015" / "a" / "zh.txt"
    fifo.unlink()
    os.mkfifo(fifo)
    manifest = tmp_path / "m.tsv"
    manifest.write_text("id\tzh\ten\n"
                        f"zero\t/dev/zero\t{tree / '2016' / 'deep' / 'c' / 'en.txt'}\n"
                        f"c\t{tree / '2016' / 'deep' / 'c' / 'zh.txt'}\t"
                        f"{tree / '2016' / 'deep' / 'c' / 'en.txt'}\n", encoding="utf-8")
    docs = discover([tree], ("zh", "en")) + read_manifest(manifest, ("zh", "en"))
    out = tmp_path / "out"
    reports: list[Any] = []
    # In a thread, so that a regression fails the test instead of hanging the suite.
    worker = threading.Thread(target=lambda: reports.append(
        run_batch(docs, out, SETTINGS, get_engine("local", jobs=1))), daemon=True)
    worker.start()
    worker.join(120)
    if worker.is_alive():
        with contextlib.suppress(OSError):  # a reader blocked on the FIFO gets its EOF
            os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
        pytest.fail("the collection's run blocked on a FIFO or read a device for ever")
    report = reports[0]
    assert sorted(i for i, _ in report.failed) == ["2015/a", "zero"]
    assert report.built == 3
    entries = Ledger(out / "manifest.jsonl").entries
    assert "named pipe" in entries["2015/a"]["error"]
    assert "/dev/zero" in entries["zero"]["error"] and "device" in entries["zero"]["error"]
    assert fifo.exists() and not (out / "2015" / "a").exists()


def _read_proc(path: str) -> str:
    """A /proc file's text, or "" once its thread or process has ended: threads
    of this process (torch's, the pool's) come and go while it is listed."""
    try:
        return Path(path).read_text(errors="replace")
    except (FileNotFoundError, ProcessLookupError):
        return ""


def _pool_workers() -> list[int]:
    """The pids of this process's multiprocessing workers (spawned interpreters)."""
    children = [c for task in Path(f"/proc/{os.getpid()}/task").iterdir()
                for c in _read_proc(f"{task}/children").split()]  # of any thread
    return [int(c) for c in children if "spawn_main" in _read_proc(f"/proc/{c}/cmdline")]


@pytest.mark.skipif(not Path(f"/proc/{os.getpid()}/task").is_dir(), reason="needs /proc")
def test_the_pool_stops_after_its_idle_workers_were_killed(tmp_path: Path) -> None:
    """A SIGTERM sent to the whole process group (``timeout``, ``kill -- -PGID``, a
    batch scheduler cancelling a job) kills the workers before the command's own
    handler stops the pool. An idle worker holds the task queue's read lock while it
    waits; killed there, it never gives it back, and ``Pool.terminate()`` waited for
    that lock for ever (seen: ``bitext build`` hung in ``_help_stuff_finish``)."""
    import signal

    from bitext.engines.local import LocalEngine

    engine = LocalEngine(jobs=2)
    engine.start(SETTINGS)
    end = time.monotonic() + 120
    # Until one worker waits for a task, holding the lock (the other waits for the lock).
    while not any(_read_proc(f"/proc/{pid}/wchan") == "anon_pipe_read"
                  for pid in _pool_workers()):
        assert time.monotonic() < end, "the workers never came up"
        time.sleep(0.05)
    for pid in _pool_workers():
        os.kill(pid, signal.SIGTERM)
    stopper = threading.Thread(target=engine.close, daemon=True)
    stopper.start()
    stopper.join(60)
    assert not stopper.is_alive(), "stopping the pool waited for a lock a dead worker held"
    assert _pool_workers() == []


def _write_until_stopped(path: str, marker: str) -> None:
    """A worker's task in the middle of writing ``path`` (atomically) when the pool
    is stopped: it makes ``marker``, then waits."""
    from bitext.fileio import atomic_write

    with atomic_write(path) as fh:
        fh.write("half a file")
        fh.flush()
        Path(marker).touch()
        while True:
            time.sleep(0.05)


def test_a_worker_stopped_in_the_middle_of_a_write_leaves_no_temporary_file(
        tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    """Stopping the pool (Ctrl-C, SIGTERM to the command) sends its workers
    SIGTERM: a worker writing an output (its temporary file beside the target)
    died at once and left the temporary file, seen in 4 of 5 SIGTERMs to
    'bitext build TREE --jobs 2' of 1,000 small documents (1-3 files each). It
    now ends the document's writes as the command ends its own: the temporary
    file removed, the target never made, no traceback."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    from bitext.engines import local

    pool = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"),
                               initializer=local._init, initargs=(SETTINGS,))
    try:
        pool.submit(local._stoppable, _write_until_stopped, str(tmp_path / "out.tmx"),
                    str(tmp_path / "writing"))
        end = time.monotonic() + 120
        while not (tmp_path / "writing").exists():
            assert time.monotonic() < end, "the task never began its write"
            time.sleep(0.05)
    finally:
        local._stop(pool)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["writing"]
    err = capfd.readouterr().err
    assert "Traceback" not in err, err


@pytest.mark.skipif(not Path(f"/proc/{os.getpid()}/task").is_dir(), reason="needs /proc")
def test_ctrl_c_reaches_the_workers_without_a_traceback(
        tree: Path, tmp_path: Path, capfd: pytest.CaptureFixture[str],
        caplog: pytest.LogCaptureFixture) -> None:
    """Ctrl-C sends SIGINT to the whole foreground process group, the pool's
    workers too. The command stops the pool itself (Interrupted., exit 130); a
    worker that took the SIGINT printed a KeyboardInterrupt traceback from wherever
    it was (spawn_main importing bitext, the initializer loading the model: seen
    with 'bitext build TREE -o OUT --jobs 2' and kill -INT -- -PGID at 1.5-1.7 s).
    Here SIGINT comes to the workers from their first moment until they wait for
    work: none dies, none prints, and the pool builds every document."""
    import signal

    from bitext.engines.local import LocalEngine

    engine = LocalEngine(jobs=2)
    engine.start(SETTINGS)
    try:
        end = time.monotonic() + 120
        seen: set[int] = set()
        idle_since = None
        while idle_since is None or time.monotonic() < idle_since + 0.5:
            workers = _pool_workers()
            assert seen <= set(workers), "a worker died of a SIGINT"
            seen.update(workers)
            for pid in workers:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGINT)
            # one worker waits for a task (the other for the queue's lock): both are up
            if idle_since is None and any(
                    _read_proc(f"/proc/{pid}/wchan") == "anon_pipe_read"
                    for pid in workers):
                idle_since = time.monotonic()
            assert time.monotonic() < end, "the workers never came up"
            time.sleep(0.02)
        report = run_batch(discover([tree], ("zh", "en")), tmp_path / "out", SETTINGS, engine)
    finally:
        engine.close()
    err = capfd.readouterr().err
    assert "Traceback" not in err and "KeyboardInterrupt" not in err, err
    assert "a worker process died" not in caplog.text
    assert report.built == 3 and report.failed == []


@pytest.mark.skipif(not Path(f"/proc/{os.getpid()}/task").is_dir(), reason="needs /proc")
def test_ctrl_c_while_the_workers_are_spawned_stops_them_all(
        monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]) -> None:
    """A Ctrl-C between spawning a worker and sending it its start-up data (an
    OpenBLAS thread takes the signal, Python raises it in the main thread) left a
    worker that printed 'EOFError: Ran out of input' after 'Interrupted.' (1 probe
    in 30 at load 6). Now the spawns finish first, then the pool is stopped and the
    KeyboardInterrupt raised."""
    import multiprocessing.util
    import signal

    from bitext.engines.local import LocalEngine

    spawn = multiprocessing.util.spawnv_passfds

    def spawn_then_ctrl_c(path: bytes, args: list[str], passfds: Any) -> int:
        pid = spawn(path, args, passfds)
        if any("spawn_main" in str(arg) for arg in args):  # a worker, not the tracker
            os.kill(os.getpid(), signal.SIGINT)
        return pid

    monkeypatch.setattr(multiprocessing.util, "spawnv_passfds", spawn_then_ctrl_c)
    # Python's own Ctrl-C handler, even when the suite was started with SIGINT
    # ignored (a background job of a script)
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    engine = LocalEngine(jobs=2)
    try:
        with pytest.raises(KeyboardInterrupt):
            engine.start(SETTINGS)
    finally:
        engine.close()
        signal.signal(signal.SIGINT, previous)
    assert _pool_workers() == []
    err = capfd.readouterr().err
    assert "Traceback" not in err, err


@pytest.mark.skipif(not Path(f"/proc/{os.getpid()}/task").is_dir(), reason="needs /proc")
def test_a_worker_killed_in_the_middle_of_a_document_does_not_hang_the_run(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """The out-of-memory killer (or ``kill -9``) takes a worker while it builds:
    ``multiprocessing.Pool`` started another and waited for ever for the lost
    document. Now the documents that were in the pool are built again, one at a
    time, and the run ends with all of them."""
    import signal

    root = tmp_path / "tree"
    make_doc(root / "long", 1500)
    make_doc(root / "short1", 2)
    make_doc(root / "short2", 2)
    docs = discover([root], ("zh", "en"))
    killed: list[int] = []

    def kill_the_workers_once(result: BuildResult, report: Any) -> None:
        if not killed:  # the long document is still being built
            killed.extend(_pool_workers())
            for pid in killed:
                os.kill(pid, signal.SIGKILL)

    reports: list[Any] = []
    runner = threading.Thread(target=lambda: reports.append(run_batch(
        docs, tmp_path / "out", SETTINGS, get_engine("local", jobs=2),
        on_result=kill_the_workers_once)), daemon=True)
    runner.start()
    runner.join(300)
    assert not runner.is_alive(), "the run waited for ever for a dead worker's document"
    report = reports[0]
    assert killed and report.built == 3 and report.failed == []
    assert "a worker process died" in caplog.text


def test_torn_last_line_is_ignored(tmp_path: Path) -> None:
    path = tmp_path / "manifest.jsonl"
    path.write_text('{"id": "a", "status": "ok"}\n{"id": "b", "sta', encoding="utf-8")
    assert set(Ledger(path).entries) == {"a"}


def test_a_line_torn_inside_a_character_is_ignored(tmp_path: Path) -> None:
    """A run killed while appending a line can cut a UTF-8 character in two (an
    id in Chinese): that line is ignored like any torn line, the others are read."""
    path = tmp_path / "manifest.jsonl"
    path.write_bytes(b'{"id": "a", "status": "ok"}\n'
                     + '{"id": "报告'.encode()[:-1] + b"\n"
                     + b'{"id": "c", "status": "ok"}\n')
    assert set(Ledger(path).entries) == {"a", "c"}


def _strict_json(line: bytes) -> Any:
    """``line`` read as RFC 8259 JSON in UTF-8, as strict readers (serde_json)
    read it: Python's json takes an escaped lone surrogate (\\udcff), they refuse it."""
    def no_surrogates(value: Any) -> Any:
        for text in (value if isinstance(value, dict) else {}).items():
            for part in text:
                if isinstance(part, str):
                    part.encode("utf-8")  # UnicodeEncodeError for a lone surrogate
        return value

    return json.loads(line.decode("utf-8"), object_hook=no_surrogates)


def test_an_id_that_is_not_utf8_is_strict_json_and_read_back(tmp_path: Path) -> None:
    """A document folder whose name is not UTF-8 has an id with surrogate escapes
    (os.fsdecode): the ledger wrote it as "d\\udcff", which strict JSON readers
    refuse. Each line is strict JSON now, and the id reads back as it was, so a
    rerun finds the document's entry (and compacting keeps one line for it)."""
    path = tmp_path / "manifest.jsonl"
    bad = os.fsdecode(b"d\xff\xe9")
    Ledger(path).append({"id": bad, "status": "failed", "error": f"{bad}: not UTF-8"})
    Ledger(path).append({"id": "ok", "status": "ok"})
    Ledger(path).append({"id": bad, "status": "failed", "error": "again"})
    for ledger in (Ledger(path), None):
        for line in path.read_bytes().splitlines():
            _strict_json(line)
        entries = Ledger(path).entries
        assert set(entries) == {bad, "ok"}
        assert entries[bad]["id"] == bad and entries[bad]["error"] == "again"
        if ledger is not None:
            ledger.compact()
    assert len(path.read_bytes().splitlines()) == 2


def test_a_ledger_line_python_cannot_read_is_ignored(tmp_path: Path) -> None:
    """Lines JSON allows but json.loads refuses without a JSONDecodeError (an
    integer past the digit limit: ValueError; nesting past the stack:
    RecursionError) are ignored like a torn line, not a traceback."""
    path = tmp_path / "manifest.jsonl"
    path.write_text('{"id": "a", "status": "ok"}\n'
                    '{"id": "b", "n": 1' + "0" * 5000 + '}\n'
                    '{"id": "c", "x": ' + "[" * 100_000 + "]" * 100_000 + '}\n'
                    '{"id": "d", "status": "ok"}\n', encoding="utf-8")
    assert set(Ledger(path).entries) == {"a", "d"}


def test_two_jobs_give_the_same_files(tree: Path, tmp_path: Path) -> None:
    docs = discover([tree], ("zh", "en"))
    one = run_batch(docs, tmp_path / "one", SETTINGS, get_engine("local", jobs=1))
    two = run_batch(docs, tmp_path / "two", SETTINGS, get_engine("local", jobs=2))
    assert one.built == two.built == 3
    for path in sorted((tmp_path / "one").rglob("*")):
        if path.is_file() and path.name not in ("manifest.jsonl", ".bitext-outputs.json",
                                                ".bitext.lock"):  # run-specific records
            other = tmp_path / "two" / path.relative_to(tmp_path / "one")
            assert _no_dates(other.read_text("utf-8")) == _no_dates(path.read_text("utf-8"))


def test_local_pool_started_ahead_serves_runs_until_closed(tree: Path, tmp_path: Path) -> None:
    from bitext.engines.local import LocalEngine

    engine = LocalEngine(jobs=2)
    engine.start(SETTINGS)  # the workers load the model while the caller scans
    pool = engine._pool
    docs = discover([tree], ("zh", "en"))
    first = run_batch(docs, tmp_path / "a", SETTINGS, engine)
    second = run_batch(docs, tmp_path / "b", SETTINGS, engine)
    assert first.built == second.built == 3 and engine._pool is pool is not None
    (tree / "2015" / "a" / "zh.txt").write_bytes(b"\xff\xfe\x00")
    (tree / "2015" / "b" / "A_70_1.en.txt").write_text("", encoding="utf-8")
    stopped = run_batch(docs, tmp_path / "c", SETTINGS, engine, max_failures=1)
    # stopped early: the documents still queued must not be built later
    assert stopped.stopped_early and engine._pool is None
    engine.close()


def test_corpus_files_the_same_from_one_shard_or_several(tree: Path, tmp_path: Path) -> None:
    """One shard: the Moses and TMX passes reuse its links; several: they read
    the documents again. The files must not tell which."""
    import gzip
    import shutil

    from bitext.collection import CorpusOptions, write_corpus

    docs = discover([tree], ("zh", "en"))
    run_batch(docs, tmp_path / "one", SETTINGS, get_engine("local", jobs=1))
    shutil.copytree(tmp_path / "one", tmp_path / "many")
    made = {}
    for name, size in (("one", 1000), ("many", 4)):
        entries = Ledger(tmp_path / name / "manifest.jsonl").entries
        options = CorpusOptions(shard_size=size, filters=("empty", "dedupe"))
        made[name] = write_corpus(tmp_path / name, docs, entries, SETTINGS, options)
    assert len(made["many"].files) > len(made["one"].files)
    assert made["one"].links > made["one"].kept > 4  # the filters removed some, kept some
    for file in ("corpus.zh", "corpus.en", "corpus.ids", "corpus.filters.json"):
        assert (tmp_path / "one" / file).read_bytes() == (tmp_path / "many" / file).read_bytes()
    tmx = [_no_dates(gzip.decompress((tmp_path / name / "corpus.tmx.gz").read_bytes()).decode())
           for name in ("one", "many")]
    assert tmx[0] == tmx[1]


def _no_dates(text: str) -> str:
    import re

    return re.sub(r'(creationdate|changedate)="[^"]*"', "", text)


def test_unknown_engine() -> None:
    with pytest.raises(ConfigError, match="unknown engine"):
        get_engine("spark")


def test_cli_collection_and_rerun(tree: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    cmd = [sys.executable, "-m", "bitext", "build", str(tree), "-o", str(out),
           "--encoder", "length", "--no-glossary", "--jobs", "1"]
    res = subprocess.run(cmd, capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
    assert "3 documents: 3 built" in res.stderr
    res = subprocess.run(cmd, capture_output=True, text=True)
    assert "0 built, 3 up to date" in res.stderr
    manifest = tmp_path / "m.tsv"
    manifest.write_text(f"id\tzh\ten\nx/y\t{tree}/2015/a/zh.txt\tmissing.txt\n", encoding="utf-8")
    res = subprocess.run([*cmd[:4], "--manifest", str(manifest), *cmd[5:]],
                         capture_output=True, text=True)
    assert res.returncode == 1 and "Traceback" not in res.stderr
    assert "1 of 1 documents failed: x/y" in res.stderr


def test_a_damaged_corpus_stamp_makes_the_corpus_files_again(tree: Path,
                                                             tmp_path: Path) -> None:
    """corpus.stamp.json is bitext's own note of what the corpus files were made
    from: damaged (nested past the stack, or 'files' not a list of names), it was
    a RecursionError or TypeError traceback on the rerun; now the files are made
    again, as for a stamp that does not match."""
    out = tmp_path / "out"
    cmd = [sys.executable, "-m", "bitext", "build", str(tree), "-o", str(out),
           "--encoder", "length", "--no-glossary", "--jobs", "1"]
    assert subprocess.run(cmd, capture_output=True, text=True).returncode == 0
    stamp_path = out / "corpus.stamp.json"
    stamp = json.loads(stamp_path.read_text(encoding="utf-8"))["stamp"]
    for damaged in ("[" * 100_000 + "]" * 100_000, json.dumps({"stamp": stamp, "files": 5}),
                    json.dumps({"stamp": stamp, "files": [5]})):
        stamp_path.write_text(damaged, encoding="utf-8")
        res = subprocess.run(cmd, capture_output=True, text=True)
        assert res.returncode == 0 and "Traceback" not in res.stderr, res.stderr
        assert "0 built, 3 up to date" in res.stderr
        assert json.loads(stamp_path.read_text(encoding="utf-8"))["stamp"] == stamp


def test_a_truncated_corpus_file_is_made_again(tree: Path, tmp_path: Path) -> None:
    """The stamp lists the corpus files with their sizes: a file cut short after
    the run (a full disk, a copy stopped halfway) no longer passes for up to date."""
    out = tmp_path / "out"
    cmd = [sys.executable, "-m", "bitext", "build", str(tree), "-o", str(out),
           "--encoder", "length", "--no-glossary", "--jobs", "1"]
    assert subprocess.run(cmd, capture_output=True, text=True).returncode == 0
    merged = out / "corpus.tmx.gz"
    whole = merged.read_bytes()
    merged.write_bytes(whole[: len(whole) // 2])
    res = subprocess.run(cmd, capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
    # whole again, the same memory (its header's date is the rerun's second)
    again = gzip.decompress(merged.read_bytes()).decode("utf-8")
    assert _no_dates(again) == _no_dates(gzip.decompress(whole).decode("utf-8"))


def test_a_second_collection_build_into_the_same_out_is_refused_at_once(
        tree: Path, tmp_path: Path) -> None:
    """Two runs into one OUT used to build a document each, both exit 1, and leave a
    ledger saying a complete document failed and corpus files with half the links.
    The first run holds OUT; the second is one Error and touches nothing."""
    from bitext.outputs import folder_lock

    out = tmp_path / "out"
    with folder_lock(out):  # as the first run holds it
        res = subprocess.run([sys.executable, "-m", "bitext", "build", str(tree), "-o",
                              str(out), "--encoder", "length", "--no-glossary", "--jobs", "1"],
                             capture_output=True, text=True)
        assert sorted(p.name for p in out.iterdir()) == [".bitext.lock"]
    assert res.returncode == 1
    lines = [ln for ln in res.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith("Error: ")
    assert "being written by another bitext run" in lines[0]


@contextlib.contextmanager
def started_ray() -> Iterator[Any]:
    """A local Ray instance of the test's own, stopped at the end and its session
    folder removed as bitext's own local instance removes its own (Ray never does)."""
    ray = pytest.importorskip("ray", reason="not installed: pip install 'bitext[distributed]'")
    from bitext.engines.ray import _own_session, _remove_session

    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    session = _own_session(ray)
    try:
        yield ray
    finally:
        ray.shutdown()
    if session is not None:  # a test that failed keeps the logs, as a lost worker does
        _remove_session(session)


def test_the_tests_own_ray_leaves_no_session_folder() -> None:
    """The instance ``local_ray`` starts is removed as bitext's own is (c6ca49e):
    each test run left a /tmp/ray/session_* folder."""
    ray = pytest.importorskip("ray", reason="not installed: pip install 'bitext[distributed]'")
    from bitext.engines.ray import _own_session

    if ray.is_initialized():  # local_ray's (module scope) runs already: not ours to stop
        pytest.skip("a Ray instance runs in this process already")
    with started_ray() as ray:
        session = _own_session(ray)
        assert session is not None and session.is_dir()
    assert not session.exists()


@pytest.fixture(scope="module")
def local_ray() -> Iterator[object]:
    with started_ray() as ray:
        yield ray


def test_ray_engine_same_files_and_resume(tree: Path, tmp_path: Path, local_ray: object) -> None:
    docs = discover([tree], ("zh", "en"))
    local = run_batch(docs, tmp_path / "local", SETTINGS, get_engine("local", jobs=1))
    (tree / "2015" / "a" / "zh.txt").write_bytes(b"\xff\xfe\x00")  # one failure too
    docs = discover([tree], ("zh", "en"))
    ray_run = run_batch(docs, tmp_path / "ray", SETTINGS, get_engine("ray", jobs=2))
    assert local.built == 3 and ray_run.built == 2 and [i for i, _ in ray_run.failed] == ["2015/a"]
    for path in sorted((tmp_path / "ray").rglob("*")):
        if path.is_file() and path.name not in ("manifest.jsonl", ".bitext-outputs.json",
                                                ".bitext.lock"):  # run-specific records
            other = tmp_path / "local" / path.relative_to(tmp_path / "ray")
            assert _no_dates(other.read_text("utf-8")) == _no_dates(path.read_text("utf-8"))
    entries = Ledger(tmp_path / "ray" / "manifest.jsonl").entries
    assert entries["2015/b"]["status"] == "ok" and entries["2015/a"]["status"] == "failed"
    again = run_batch(docs, tmp_path / "ray", SETTINGS, get_engine("ray", jobs=2))
    # the bad input is not tried again (it failed for its input, unchanged)
    assert (again.built, again.skipped, len(again.failed), len(again.failed_before)) == \
        (0, 2, 0, 1)


class _Ref:
    """An object reference: hashable by identity, as Ray's are."""

    def __init__(self, handle: Any, task: Any) -> None:
        self.handle, self.task = handle, task


class _FakeRay:
    """Just enough of Ray's API for the engine's scheduling loop: actors run their
    calls in order; an actor marked lost fails every call (as a dead actor does)."""

    class exceptions:
        class RayError(Exception):
            pass

    def __init__(self, lose_first_actor: bool = False) -> None:
        self.actors: list[Any] = []
        self.lose = lose_first_actor
        self.peak_queued = 0
        self.calls: list[list[str]] = []  # the documents of each call, in order

    def cluster_resources(self) -> dict[str, float]:
        return {"CPU": 2.0}

    def remote(self, num_cpus: int) -> Any:
        fake = self

        class Handle:
            def __init__(self, settings: object) -> None:
                self.lost = fake.lose and not fake.actors
                self.queued: list[Any] = []
                fake.actors.append(self)
                handle = self

                class Method:
                    def remote(self, task: Any, settings: object) -> Any:
                        ref = _Ref(handle, task)
                        handle.queued.append(ref)
                        fake.peak_queued = max(fake.peak_queued, len(handle.queued))
                        fake.calls.append([t[0].id for t in task] if isinstance(task, list)
                                          else [task[0].id])
                        return ref

                self.build = Method()
                self.build_many = Method()

        class ActorClass:
            def remote(self, settings: object) -> Handle:
                return Handle(settings)

        return lambda cls: ActorClass()

    def put(self, value: object) -> object:
        return value

    def wait(self, refs: list[Any], num_returns: int) -> tuple[list[Any], list[Any]]:
        ref = refs[0]
        return [ref], refs[1:]

    def get(self, ref: Any) -> Any:
        handle, task = ref.handle, ref.task
        handle.queued.remove(ref)
        if handle.lost:
            raise self.exceptions.RayError("actor died")
        if isinstance(task, list):
            return [BuildResult(id=t[0].id) for t in task]
        return BuildResult(id=task[0].id)

    def kill(self, actor: Any) -> None:
        pass


def _tasks(n: int, tmp_path: Path, size: int | None = None) -> list[Any]:
    """``n`` documents of ``size`` bytes each (default: too large to share a call)."""
    from bitext.build import SourceDocument
    from bitext.engines.ray import BATCH_BYTES

    tasks = []
    tmp_path.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        path = tmp_path / f"d{i}.en.txt"
        path.write_bytes(b"x" * (BATCH_BYTES if size is None else size))
        name = f"{tmp_path.name}-d{i}"
        tasks.append((SourceDocument(name, {"en": path}, name), tmp_path))
    return tasks


def test_ray_engine_sends_small_documents_a_few_to_a_call(tmp_path: Path) -> None:
    """One remote call costs the driver and the actor a few ms beyond the
    document's own work; small documents share a call up to BATCH_BYTES (each
    counted with DOC_BYTES), in the caller's order (largest first), and each
    gets its own result."""
    from bitext.engines.ray import BATCH_BYTES, DOC_BYTES, RayEngine

    fake = _FakeRay()
    big = _tasks(2, tmp_path / "big")
    small = _tasks(40, tmp_path / "small", size=1000)
    results = list(RayEngine(jobs=2)._run(fake, big + small, SETTINGS))
    assert sorted(r.id for r in results) == sorted(t[0].id for t in big + small)
    sizes = [len(c) for c in fake.calls]
    assert sizes[:3] == [1, 1, BATCH_BYTES // (DOC_BYTES + 1000)]
    assert sizes == sorted(sizes[:2]) + sorted(sizes[2:], reverse=True)  # never larger again
    assert [d for c in fake.calls for d in c] == [t[0].id for t in big + small]


class _TimedRay(_FakeRay):
    """:class:`_FakeRay` with a clock: a call on an actor takes ``cost(task)``
    per document after the actor's calls queued before it, and ``wait`` hands
    back the call that ends first. ``ends`` holds each actor's last end."""

    def __init__(self, cost: Any) -> None:
        super().__init__()
        self.cost, self.now = cost, 0.0
        self.end: dict[int, float] = {}  # id(ref) -> when it ends
        self.ends: dict[int, float] = {}  # id(actor) -> its last call's end

    def remote(self, num_cpus: int) -> Any:
        make = super().remote(num_cpus)
        fake = self

        def actor_class(cls: Any) -> Any:
            inner = make(cls)

            class ActorClass:
                def remote(self, settings: object) -> Any:
                    handle = inner.remote(settings)
                    for name in ("build", "build_many"):
                        method = getattr(handle, name)

                        class Timed:
                            def remote(self, task: Any, settings: object,
                                       method: Any = method) -> Any:
                                ref = method.remote(task, settings)
                                tasks = task if isinstance(task, list) else [task]
                                start = max(fake.now, fake.ends.get(id(handle), 0.0))
                                fake.end[id(ref)] = start + sum(fake.cost(t) for t in tasks)
                                fake.ends[id(handle)] = fake.end[id(ref)]
                                return ref

                        setattr(handle, name, Timed())
                    return handle

            return ActorClass()

        return actor_class

    def wait(self, refs: list[Any], num_returns: int) -> tuple[list[Any], list[Any]]:
        ref = min(refs, key=lambda r: self.end[id(r)])
        self.now = self.end[id(ref)]
        return [ref], [r for r in refs if r is not ref]


def _many_small(tmp_path: Path, n: int = 300) -> list[Any]:
    """``n`` documents of 100 to 700 bytes, largest first: the end of a UN
    collection (of the test set's 731 documents, 257 are under 1 KB)."""
    from bitext.build import SourceDocument

    tmp_path.mkdir(parents=True, exist_ok=True)
    tasks = []
    for i in range(n):
        path = tmp_path / f"d{i:03d}.en.txt"
        path.write_bytes(b"x" * (700 - 600 * i // n))
        name = f"{tmp_path.name}-d{i:03d}"
        tasks.append((SourceDocument(name, {"en": path}, name), tmp_path))
    return tasks


def test_ray_engine_counts_each_documents_own_cost_in_a_call(tmp_path: Path) -> None:
    """A document costs a fixed part (segmenting, the encoder's call, its
    files) beside its bytes: a call of small documents holds no more than its
    budget of that cost, not as many as their bytes allow."""
    from bitext.engines.ray import BATCH_BYTES, DOC_BYTES, RayEngine

    fake = _FakeRay()
    tasks = _many_small(tmp_path)
    results = list(RayEngine(jobs=2)._run(fake, tasks, SETTINGS))
    assert sorted(r.id for r in results) == sorted(t[0].id for t in tasks)
    assert max(len(c) for c in fake.calls) <= BATCH_BYTES // (DOC_BYTES + 100)
    assert max(len(c) for c in fake.calls) > 1  # small documents still share calls


def test_ray_engine_actors_finish_together(tmp_path: Path) -> None:
    """The last calls carry one document each, so that no actor waits at the
    end while another works through a full call: with a document's cost as
    the engine counts it, the actors end within one document of each other."""
    from bitext.engines.ray import DOC_BYTES, IN_FLIGHT, RayEngine

    def cost(task: Any) -> float:
        return DOC_BYTES + task[0].size()

    for jobs in (2, 4):
        fake = _TimedRay(cost)
        tasks = _many_small(tmp_path / str(jobs))
        list(RayEngine(jobs=jobs)._run(fake, tasks, SETTINGS))
        assert [len(c) for c in fake.calls[-jobs * IN_FLIGHT:]] == [1] * jobs * IN_FLIGHT
        ends = sorted(fake.ends.values())
        assert ends[-1] - ends[0] <= max(cost(t) for t in tasks)


def test_ray_engine_rebuilds_a_lost_calls_documents_one_a_call(tmp_path: Path) -> None:
    """Which document of a shared call killed its actor is not known: each is
    built again alone (the one that kills again fails alone, the others pass)."""
    from bitext.engines.ray import RayEngine

    fake = _FakeRay(lose_first_actor=True)
    small = _tasks(40, tmp_path, size=100)
    results = list(RayEngine(jobs=2)._run(fake, small, SETTINGS))
    assert sorted(r.id for r in results) == sorted(t[0].id for t in small)
    assert all(r.status != "failed" for r in results)  # the replacement built them
    # the lost actor's two calls (the first and the third sent), several
    # documents each, come back one a call
    lost = fake.calls[0] + fake.calls[2]
    assert len(fake.calls[0]) > 1 and len(fake.calls[2]) > 1
    assert sum(1 for c in fake.calls if len(c) == 1 and c[0] in lost) == len(lost)


def test_ray_engine_keeps_two_calls_queued_per_actor(tmp_path: Path) -> None:
    from bitext.engines.ray import IN_FLIGHT, RayEngine

    fake = _FakeRay()
    results = list(RayEngine(jobs=2)._run(fake, _tasks(7, tmp_path), SETTINGS))
    assert all(len(c) == 1 for c in fake.calls)  # documents of BATCH_BYTES go alone
    assert sorted(r.id for r in results) == sorted(f"{tmp_path.name}-d{i}" for i in range(7))
    assert len(fake.actors) == 2 and fake.peak_queued == IN_FLIGHT == 2


def test_ray_engine_replaces_a_lost_actor_once(tmp_path: Path) -> None:
    from bitext.engines.ray import RayEngine

    fake = _FakeRay(lose_first_actor=True)
    results = list(RayEngine(jobs=2)._run(fake, _tasks(8, tmp_path), SETTINGS))
    failed = [r for r in results if r.status == "failed"]
    # the two calls queued on the lost actor fail; one actor replaces it
    assert len(failed) == 2 and all("worker lost" in (r.error or "") for r in failed)
    assert len(fake.actors) == 3 and len(results) == 8


class _SessionRay(_FakeRay):
    """:class:`_FakeRay` that starts (or joins) an instance as ``ray.init`` does:
    a session folder under its temp folder, ``session_latest`` pointing there,
    and the node (head for a local start, not for a join) in
    ``_private.worker._global_node``."""

    def __init__(self, temp: Path, lose_first_actor: bool = False) -> None:
        super().__init__(lose_first_actor)
        self.temp = temp
        self.session: Path | None = None
        self._private = type("P", (), {"worker": type("W", (), {"_global_node": None})})

    def is_initialized(self) -> bool:
        return self._private.worker._global_node is not None

    def init(self, address: str | None = None, **kwargs: Any) -> None:
        self.session = self.temp / f"session_{len(list(self.temp.glob('session_*')))}"
        (self.session / "logs").mkdir(parents=True)
        (self.session / "logs" / "raylet.out").write_text("log\n")
        latest = self.temp / "session_latest"
        latest.unlink(missing_ok=True)
        latest.symlink_to(self.session)
        session = str(self.session)
        self._private.worker._global_node = type("Node", (), {
            "head": address is None, "get_session_dir_path": lambda self: session})()

    def shutdown(self) -> None:
        self._private.worker._global_node = None


@pytest.mark.parametrize("address,lose,kept", [
    (None, False, False),  # a local instance of a clean run: its folder goes
    ("auto", False, True),  # a cluster's session is never bitext's to remove
    (None, True, True),  # a worker lost: Ray's logs say why, kept
])
def test_ray_engine_removes_the_session_folder_of_its_own_clean_instance(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, address: str | None, lose: bool,
        kept: bool) -> None:
    """A local Ray leaves its session folder (logs, sockets: 224 KB median) in
    /tmp/ray after ray.shutdown, and never removes it: 281 folders, 69 MB on this
    machine in a day. The instance a build started for itself has its folder
    (and session_latest, where it points there) removed after a clean run."""
    import bitext.engines.ray as ray_engine

    temp = tmp_path / "ray"
    temp.mkdir()
    (temp / "session_other").mkdir()  # another instance's: never touched
    fake = _SessionRay(temp, lose_first_actor=lose)
    monkeypatch.setattr(ray_engine, "_ray", lambda: fake)
    monkeypatch.setattr(ray_engine, "_start_reaper", lambda: None)
    engine = ray_engine.RayEngine(jobs=2, address=address)
    results = list(engine.run(_tasks(4, tmp_path / "docs"), SETTINGS))
    assert len(results) == 4 and fake.session is not None
    assert fake.session.is_dir() is kept
    assert (temp / "session_latest").is_symlink() is kept
    assert (temp / "session_other").is_dir()


def test_ray_engine_started_ahead_serves_two_runs_on_one_set_of_actors(tmp_path: Path) -> None:
    from bitext.engines.ray import RayEngine

    fake = _FakeRay()
    engine = RayEngine(jobs=2)
    engine._spawn(fake, SETTINGS)  # what start() does in its thread
    first = list(engine._run(fake, _tasks(3, tmp_path), SETTINGS))
    second = list(engine._run(fake, _tasks(5, tmp_path), SETTINGS))
    assert len(first) == 3 and len(second) == 5 and len(fake.actors) == 2


def test_ray_engine_drops_its_actors_when_the_caller_stops_early(tmp_path: Path) -> None:
    from bitext.engines.ray import RayEngine

    fake = _FakeRay()
    engine = RayEngine(jobs=2)
    results = engine._run(fake, _tasks(6, tmp_path), SETTINGS)
    next(results)
    results.close()  # --max-failures: the calls still queued must not run later
    assert engine._actors == []
    assert len(list(engine._run(fake, _tasks(2, tmp_path), SETTINGS))) == 2
    assert len(fake.actors) == 4  # a fresh pair for the next run


def test_cli_ray_engine_local_instance(tree: Path, tmp_path: Path) -> None:
    """The CLI starts a local Ray in a background thread while it scans the tree
    (Ray's processes must outlive that start), builds, and stops it: no process
    of that instance is left once the command has returned."""
    import os
    import shutil
    import tempfile

    pytest.importorskip("ray", reason="not installed: pip install 'bitext[distributed]'")
    out = tmp_path / "out"
    # Ray's own folder for this run, short: its socket paths must fit in 107 bytes.
    ray_tmp = tempfile.mkdtemp(prefix="bitext-ray-")
    try:
        res = subprocess.run([sys.executable, "-m", "bitext", "build", str(tree), "-o",
                              str(out), "--encoder", "length", "--no-glossary", "--jobs", "2",
                              "--engine", "ray"], capture_output=True, text=True, timeout=300,
                             env={**os.environ, "RAY_TMPDIR": ray_tmp})
        assert res.returncode == 0, res.stderr
        assert "3 documents: 3 built" in res.stderr and "Traceback" not in res.stderr
        assert "SIGTERM handler is not set" not in res.stderr
        # Ray's own INFO line (timestamped, "Started a local Ray instance"): bitext
        # says it at -v ("Ray: started a local instance in N s"), not by default.
        assert "local Ray instance" not in res.stderr, res.stderr
        # Ray 2.60's note that token authentication is on by default (timestamped,
        # on every run): bitext says it at -v; Ray's warning when it is off stays.
        assert "Token authentication is enabled" not in res.stderr, res.stderr
        entries = Ledger(out / "manifest.jsonl").entries
        assert sorted(entries) == ["2015/a", "2015/b", "2016/deep/c"]
        assert (out / "corpus.tmx.gz").is_file()
        assert _processes_using(ray_tmp) == []
    finally:
        shutil.rmtree(ray_tmp, ignore_errors=True)


def _sigterm_once_marked(args: list[str], env: dict[str, str], mark: Path, never: str
                         ) -> tuple[int, str]:
    """Run ``args`` in a process group of its own, send it SIGTERM once ``mark``
    exists (``never``: the failure if it does not within 3 minutes), and return
    its exit status and stderr; a group still alive after the test is killed."""
    import signal

    proc = subprocess.Popen(args, env=env, text=True, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, start_new_session=True)
    try:
        end = time.monotonic() + 180
        while not mark.exists() and proc.poll() is None:
            assert time.monotonic() < end, never
            time.sleep(0.1)
        assert proc.poll() is None, proc.communicate()[1]
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=120)
        return proc.returncode, err
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()


def test_sigterm_to_a_ray_build_is_one_line(tmp_path: Path) -> None:
    """SIGTERM (``kill``, ``timeout``) to 'bitext build TREE --engine ray' once Ray
    is up: Ray's C++ failure handler, which ray.init installs in the driver, took
    the signal from Python and printed six to eight lines of its stack ('***
    SIGTERM received at time=...', 'PC: @ ...', twice) before 'Terminated.', and
    at times aborted the process (exit 134) in the middle of stopping Ray. Now
    the command ends as with the local engine: 'Terminated.' after the line that
    says what is kept (as Ctrl-C's), exit 143, no Ray process of the run left."""
    import shutil
    import signal
    import tempfile

    pytest.importorskip("ray", reason="not installed: pip install 'bitext[distributed]'")
    make_doc(tmp_path / "tree" / "a", 2)
    mark = tmp_path / "running"
    # The run waits, with Ray and its actors up, where it would build.
    script = (
        "import sys, time\n"
        "from pathlib import Path\n"
        "import bitext.engines.ray as r\n"
        "from bitext.cli import main\n"
        "def _run(self, ray, tasks, settings):\n"
        f"    Path({str(mark)!r}).touch()\n"
        "    time.sleep(600)\n"
        "    yield from ()\n"
        "r.RayEngine._run = _run\n"
        "sys.exit(main(sys.argv[1:]))\n")
    ray_tmp = tempfile.mkdtemp(prefix="bitext-ray-")
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1]),
           "RAY_TMPDIR": ray_tmp}
    try:
        status, err = _sigterm_once_marked(
            [sys.executable, "-c", script, "build", str(tmp_path / "tree"), "-o",
             str(tmp_path / "out"), "--encoder", "length", "--no-glossary", "--engine",
             "ray", "--jobs", "1"], env, mark, "Ray never came up")
        assert (status, err.splitlines()) == (128 + signal.SIGTERM, [
            f"stopped: every document finished is recorded in {tmp_path / 'out'}/"
            "manifest.jsonl; the same command builds the rest", "Terminated."])
        assert _processes_using(ray_tmp) == []
    finally:
        shutil.rmtree(ray_tmp, ignore_errors=True)


def test_sigterm_to_a_ray_build_leaves_no_temporary_file(tmp_path: Path) -> None:
    """An actor killed by the run's stop (SIGTERM to the command: ray.kill, then
    ray.shutdown) in the middle of writing an output left its temporary file
    beside the target (2 in one run of session 21's probes), removed only by a
    later write into that folder. The driver now removes, once Ray is stopped,
    the temporary files whose writer is gone in the folders of the documents in
    flight. Here every actor's write of a sentence TMX waits (a sitecustomize
    holds it, in the actors' processes too) until the run is stopped."""
    import shutil
    import signal
    import tempfile

    pytest.importorskip("ray", reason="not installed: pip install 'bitext[distributed]'")
    make_doc(tmp_path / "tree" / "a", 2)
    mark = tmp_path / "writing"
    hook = tmp_path / "hook"
    hook.mkdir()
    (hook / "sitecustomize.py").write_text(
        "import os\n"
        "if os.environ.get('HOLD_MARK'):\n"
        "    import contextlib, time\n"
        "    from pathlib import Path\n"
        "    import bitext.fileio.write as w\n"
        "    original = w._replace\n"
        "    @contextlib.contextmanager\n"
        "    def _replace(target, name, mode, *, gz):\n"
        "        with original(target, name, mode, gz=gz) as fh:\n"
        "            if target.name.endswith('.sentences.tmx'):\n"
        "                fh.write('half a file')\n"
        "                fh.flush()\n"
        "                Path(os.environ['HOLD_MARK']).touch()\n"
        "                time.sleep(600)\n"
        "            yield fh\n"
        "    w._replace = _replace\n", encoding="utf-8")
    ray_tmp = tempfile.mkdtemp(prefix="bitext-ray-")
    env = {**os.environ, "RAY_TMPDIR": ray_tmp, "HOLD_MARK": str(mark),
           "PYTHONPATH": f"{hook}{os.pathsep}{Path(__file__).resolve().parents[1]}"}
    out = tmp_path / "out"
    try:
        status, err = _sigterm_once_marked(
            [sys.executable, "-m", "bitext", "build", str(tmp_path / "tree"), "-o", str(out),
             "--encoder", "length", "--no-glossary", "--engine", "ray", "--jobs", "1"],
            env, mark, "the actor never began its write")
        assert status == 128 + signal.SIGTERM, err
        left = sorted(p.name for p in out.rglob("*") if p.name.endswith(".tmp"))
        assert left == [], left
        assert not (out / "a" / "a.sentences.tmx").exists()
    finally:
        shutil.rmtree(ray_tmp, ignore_errors=True)


@pytest.mark.parametrize("how", ["option", "RAY_ADDRESS"])
def test_a_ray_address_where_no_cluster_answers_is_one_error(tmp_path: Path, how: str) -> None:
    """'bitext build TREE -o OUT --engine ray --ray-address 127.0.0.1:1' (or
    RAY_ADDRESS=127.0.0.1:1): ray.init waited for a GCS there for ever (over 10
    minutes), and timeout's SIGTERM did not end it either (close() waited for the
    start). Now the join is given JOIN_TIMEOUT_S (3 s here) and the run ends with
    one Error naming the address; the stuck start is left behind."""
    import socket

    pytest.importorskip("ray", reason="not installed: pip install 'bitext[distributed]'")
    with socket.socket() as probe:  # a port where nothing listens
        probe.bind(("127.0.0.1", 0))
        address = f"127.0.0.1:{probe.getsockname()[1]}"
    make_doc(tmp_path / "tree" / "a", 2)
    script = (
        "import sys\n"
        "import bitext.engines.ray as r\n"
        "from bitext.cli import main\n"
        "r.JOIN_TIMEOUT_S = 3\n"
        "sys.exit(main(sys.argv[1:]))\n")
    args = ["build", str(tmp_path / "tree"), "-o", str(tmp_path / "out"), "--encoder",
            "length", "--no-glossary", "--engine", "ray", "--jobs", "1"]
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    if how == "option":
        args += ["--ray-address", address]
    else:
        env["RAY_ADDRESS"] = address
    proc = subprocess.Popen([sys.executable, "-c", script, *args], env=env, text=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            start_new_session=True)
    try:
        _, err = proc.communicate(timeout=90)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, 9)
        proc.communicate()
        pytest.fail("the run waited for the cluster for ever")
    assert proc.returncode == 1, err
    errors = [line for line in err.splitlines() if line.startswith("Error: ")]
    assert len(errors) == 1 and address in errors[0] and "no answer" in errors[0], err
    assert "Traceback" not in err


def test_a_local_ray_runs_its_actors_at_the_commands_priority(tmp_path: Path) -> None:
    """Ray starts its workers at niceness +15; the instance a build starts for
    itself runs its actors at the build's own, as the local pool's workers are
    (else other work on the machine takes their CPU). A subprocess: the engine
    must start Ray itself, not join the instance this module's tests hold."""
    import os
    import shutil
    import tempfile

    pytest.importorskip("ray", reason="not installed: pip install 'bitext[distributed]'")
    script = (
        "import os\n"
        "from bitext.build import BuildSettings\n"
        "from bitext.engines.ray import RayEngine\n"
        "engine = RayEngine(jobs=1)\n"
        "engine.start(BuildSettings(encoder='length', glossary=False))\n"
        "engine._wait_started()\n"
        "nice = engine._actors[0].__ray_call__.remote(lambda actor: os.nice(0))\n"
        "print(os.nice(0), engine._ray.get(nice))\n"
        "engine.close()\n")
    ray_tmp = tempfile.mkdtemp(prefix="bitext-ray-")
    try:
        res = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                             timeout=300, env={**os.environ, "RAY_TMPDIR": ray_tmp})
        assert res.returncode == 0, res.stderr
        driver, actor = res.stdout.split()
        assert actor == driver
        assert _processes_using(ray_tmp) == []
    finally:
        shutil.rmtree(ray_tmp, ignore_errors=True)


def test_a_local_ray_starts_no_log_monitor_nor_autoscaler_monitor_nor_api_server() -> None:
    """A local Ray started by a build serves that build only: the log monitor
    (it forwards the workers' output, which the build does not ask for:
    log_to_driver=False), the autoscaler monitor (a one-node instance of
    fixed size has nothing to scale) and the API server (jobs and state
    queries from other clients: none is told the instance's address) are
    not started. Each was a Python process importing ray, 0.5-1.2 CPU s of a
    run, most of it during ray.init (which waited for the API server before
    it started the raylet)."""
    import os
    import shutil
    import tempfile
    import textwrap

    pytest.importorskip("ray", reason="not installed: pip install 'bitext[distributed]'")
    script = textwrap.dedent("""
        import os
        from pathlib import Path
        from bitext.build import BuildSettings
        from bitext.engines.ray import RayEngine
        engine = RayEngine(jobs=1)
        engine.start(BuildSettings(encoder="length", glossary=False))
        engine._wait_started()
        for proc in Path("/proc").glob("[0-9]*"):  # the processes this one started
            try:
                if (proc / "stat").read_text().rsplit(")", 1)[1].split()[1] == str(os.getpid()):
                    print((proc / "cmdline").read_bytes().replace(b"\\0", b" ").decode())
            except OSError:
                pass
        engine.close()
        """)
    ray_tmp = tempfile.mkdtemp(prefix="bitext-ray-")
    try:
        res = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                             timeout=300, env={**os.environ, "RAY_TMPDIR": ray_tmp})
        assert res.returncode == 0, res.stderr
        assert "gcs_server" in res.stdout and "raylet" in res.stdout  # the instance is there
        assert "log_monitor.py" not in res.stdout
        assert "autoscaler/_private/monitor.py" not in res.stdout
        assert "dashboard/dashboard.py" not in res.stdout
        assert _processes_using(ray_tmp) == []
    finally:
        shutil.rmtree(ray_tmp, ignore_errors=True)


def _processes_using(folder: str) -> list[str]:
    """Processes whose command line or open files name ``folder`` (Ray's
    processes log there; its agents rename their command line, so the open
    files are what gives them away)."""
    from contextlib import suppress

    found = []
    for proc in Path("/proc").glob("[0-9]*"):
        with suppress(OSError):
            cmdline = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            links = [_link(fd) for fd in (proc / "fd").iterdir()]
            if folder in cmdline or any(folder in link for link in links):
                found.append(f"{proc.name}: {cmdline[:80]}")
    return found


def _link(path: Path) -> str:
    import os

    try:
        return os.readlink(path)
    except OSError:  # closed since the listing
        return ""


def test_a_torn_ledger_line_is_reported_once(tmp_path: Path) -> None:
    # The ledger is read once a run: its warning is not printed again when the
    # corpus files are written.
    make_doc(tmp_path / "tree" / "a", 2)
    cmd = [sys.executable, "-m", "bitext", "build", str(tmp_path / "tree"), "-o",
           str(tmp_path / "out"), "--encoder", "length", "--no-glossary", "--jobs", "1"]
    assert subprocess.run(cmd, capture_output=True, text=True).returncode == 0
    with (tmp_path / "out" / "manifest.jsonl").open("a", encoding="utf-8") as fh:
        fh.write('{"id": "b", "sta')
    res = subprocess.run(cmd, capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
    assert res.stderr.count("unreadable line ignored") == 1, res.stderr


def test_the_resource_tracker_outlives_a_sighup_to_the_group() -> None:
    """A SIGHUP to the whole process group (the terminal closed, a session's kill)
    ended the pool's resource tracker, which ignores SIGINT and SIGTERM only; the
    command's cleanup then started a new one, which printed a 'KeyError: /mp-...'
    traceback for the semaphores it never registered after 'Hangup.' (7 of 12 probes
    of 'bitext build TREE -o OUT --jobs 2' with SIGHUP and SIGTERM to the group).
    The tracker is started with SIGHUP blocked: it ends when the command's last
    process does, as before."""
    script = (
        "import os, signal, time\n"
        "from multiprocessing import resource_tracker\n"
        "from bitext.build import BuildSettings\n"
        "from bitext.engines.local import LocalEngine\n"
        "engine = LocalEngine(jobs=2)\n"
        "engine.start(BuildSettings(encoder='length', glossary=False))\n"
        "pid = resource_tracker._resource_tracker._pid\n"
        "os.kill(pid, signal.SIGHUP)\n"
        "time.sleep(1)\n"
        "print(os.waitpid(pid, os.WNOHANG)[0] == 0)\n"
        "engine.close()\n")
    res = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         timeout=300)
    assert res.returncode == 0, res.stderr
    assert res.stdout.split() == ["True"], res.stderr
    assert "Traceback" not in res.stderr


def test_never_more_workers_than_documents(tree: Path, tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """--jobs 8 on a fresh collection of 3 documents started 8 workers, each
    loading the model (the pool was started before the scan counted them); an
    unchanged rerun of a multi-pair collection started them all again, for
    nothing to build."""
    from click.testing import CliRunner

    from bitext.cli import cli
    from bitext.engines.local import LocalEngine

    started: list[int] = []
    real = LocalEngine._new_pool

    def counting(self: LocalEngine, jobs: int, settings: BuildSettings) -> object:
        started.append(jobs)
        return real(self, jobs, settings)

    monkeypatch.setattr(LocalEngine, "_new_pool", counting)
    monkeypatch.setattr("bitext.engines.local._check_workers_fit", lambda jobs: None)
    out = tmp_path / "out"
    args = ["build", str(tree), "-o", str(out), "--encoder", "length", "--no-glossary",
            "--jobs", "8", "--no-corpus"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert started and max(started) == 3, started
    # three languages: one collection per pair; a rerun with nothing to build
    # starts no worker
    for lang in ("fr", "ru"):
        (tree / "2015" / "a" / f"{lang}.txt").write_text(EN.format(n=1), encoding="utf-8")
    multi = tmp_path / "multi"
    args[3] = str(multi)
    assert CliRunner().invoke(cli, args).exit_code in (0, 1)
    started.clear()
    again = CliRunner().invoke(cli, args)
    assert "0 built" in again.output and started == [], (started, again.output)


def _main(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    """Run the command as ``python -m bitext`` does, in this process (so that a
    monkeypatch reaches it): its exit code and stderr."""
    from bitext.cli import main

    capsys.readouterr()
    try:
        main(args)
        code = 0
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    return code, capsys.readouterr().err


def test_a_full_disk_stops_the_collection_and_says_how_to_resume(
        tree: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """The disk filled up in the middle of a collection: every document after it
    was still read and aligned, only to fail writing (a 10,000-document run
    spends hours so), and the ledger's compaction then failed too, so the run
    ended with 'cannot write manifest.jsonl' and no word of what was built. Now
    the run stops at the first full-disk failure, the ledger keeps what was
    built, and one Error line says to free space and run again."""
    import errno

    import bitext.build
    from bitext.fileio.write import export_error

    real = bitext.build.run_build
    calls: list[str] = []

    def filling(doc: object, plan: bitext.build.OutputPlan, *args: object,
                **kwargs: object) -> object:
        calls.append(plan.folder.name)
        if len(calls) > 1:
            raise export_error(plan.sentences_tmx, OSError(errno.ENOSPC,
                                                           os.strerror(errno.ENOSPC)))
        return real(doc, plan, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(bitext.build, "run_build", filling)
    out = tmp_path / "out"
    args = ["build", str(tree), "-o", str(out), "--encoder", "length", "--no-glossary",
            "--jobs", "1"]
    code, stderr = _main(args, capsys)
    assert code == 1
    assert len(calls) == 2, calls  # the third document is not tried on a full disk
    error = [line for line in stderr.splitlines() if line.startswith("Error: ")]
    assert len(error) == 1 and "disk is full" in error[0], stderr
    assert "Traceback" not in stderr
    assert "1 of 3 documents built" in error[0] and "run the same command again" in error[0]
    entries = [json.loads(line) for line in (out / "manifest.jsonl").read_text("utf-8")
               .splitlines()]
    assert [e["status"] for e in entries] == ["ok", "failed"]
    assert not list(out.glob("corpus.*"))  # no corpus files from part of the collection
    # with room again, the rerun builds the two others
    monkeypatch.setattr(bitext.build, "run_build", real)
    code, stderr = _main(args, capsys)
    assert code == 0 and "2 built, 1 up to date" in stderr, stderr


def test_a_full_disk_when_the_ledger_is_appended_is_one_error(
        tree: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """A ledger line that found no room (fsync reports ENOSPC on a full disk, or
    on NFS) ended the run with 'Error: [Errno 28] No space left on device; check
    the file and the disk': no file named, no word of resuming."""
    import errno

    import bitext.batch

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(bitext.batch.os, "fsync", full)
    out = tmp_path / "out"
    code, stderr = _main(["build", str(tree), "-o", str(out), "--encoder", "length",
                          "--no-glossary", "--jobs", "1"], capsys)
    assert code == 1
    error = [line for line in stderr.splitlines() if line.startswith("Error: ")]
    assert len(error) == 1 and "Traceback" not in stderr, stderr
    assert "manifest.jsonl" in error[0] and "disk is full" in error[0], error
    assert "run the same command again" in error[0], error


def test_an_append_after_a_torn_line_starts_a_line_of_its_own(tmp_path: Path) -> None:
    """A run killed while writing its ledger leaves a torn last line; the next
    run's first line was appended to it, and both were lost when read back (a
    rerun killed before it compacts the ledger then builds that document again)."""
    path = tmp_path / "manifest.jsonl"
    path.write_text('{"id": "a", "status": "ok"}\n{"id": "b", "sta', encoding="utf-8")
    Ledger(path).append({"id": "c", "status": "ok"})
    assert set(Ledger(path).entries) == {"a", "c"}


def test_a_rerun_does_not_retry_a_bad_input_that_did_not_change(
        tree: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A document that failed for its input (empty, binary, no sentences) was read
    and failed again on every rerun, though neither its files nor the settings
    had changed. Now the rerun counts it failed without building it, and says
    so; a changed file, other settings, a raised limit or --force retry it, and
    a failure of the machine (a full disk, a worker killed) is always retried."""
    import bitext.build
    from bitext.limits import Limits

    real = bitext.build.build_document
    built: list[str] = []

    def counting(doc: Any, *args: Any, **kwargs: Any) -> Any:
        built.append(doc.id)
        return real(doc, *args, **kwargs)

    monkeypatch.setattr(bitext.build, "build_document", counting)
    bad = tree / "2015" / "b" / "A_70_1.en.txt"
    bad.write_text("", encoding="utf-8")
    out = tmp_path / "out"
    docs = discover([tree], ("zh", "en"))
    engine = get_engine("local", jobs=1)
    first = run_batch(docs, out, SETTINGS, engine)
    assert [i for i, _ in first.failed] == ["2015/b"]
    assert Ledger(out / "manifest.jsonl").entries["2015/b"]["cause"] == "input"
    built.clear()
    again = run_batch(docs, out, SETTINGS, engine)
    assert built == [] and again.failed == [] and again.skipped == 2
    assert [i for i, _ in again.failed_before] == ["2015/b"]
    assert "1 failed before with the same inputs and settings" in again.summary()
    assert "--force" in again.summary()
    assert run_batch(docs, out, SETTINGS, engine, force=True).failed and "2015/b" in built
    built.clear()
    other = BuildSettings(encoder="length", glossary=False, max_bead=2)
    run_batch(docs, out, other, engine)
    assert "2015/b" in built  # other settings: every document is built anew
    built.clear()
    make_doc(tree / "2015" / "b", 2, layout="A_70_1")  # the input fixed
    assert run_batch(docs, out, other, engine).built == 1 and built == ["2015/b"]
    # a document refused by a limit is built once the limit is raised
    make_doc(tree / "2015" / "b", 400, layout="A_70_1")
    small = BuildSettings(encoder="length", glossary=False, limits=Limits(0.01))
    assert [i for i, _ in run_batch(docs, out, small, engine).failed] == ["2015/b"]
    built.clear()
    larger = BuildSettings(encoder="length", glossary=False, limits=Limits(1.0))
    assert run_batch(docs, out, larger, engine).failed == [] and "2015/b" in built


def test_a_failure_of_the_machine_is_retried(tree: Path, tmp_path: Path) -> None:
    """A worker killed (out of memory), a full disk: the next run builds the
    document again, whatever its input."""
    from bitext.batch import is_failed_again

    hashes = {"en": "1", "zh": "2"}
    entry = {"status": "failed", "inputs": hashes, "settings": SETTINGS.signature(),
             "cause": "disk-full", "error": "cannot write ..."}
    from bitext.batch import failure_key

    key = failure_key(SETTINGS)
    assert not is_failed_again({**entry, "failed_with": key}, hashes, key)
    entry.pop("cause")
    assert not is_failed_again({**entry, "failed_with": key}, hashes, key)
    assert is_failed_again({**entry, "cause": "input", "failed_with": key}, hashes, key)
    assert not is_failed_again({**entry, "cause": "input", "failed_with": key},
                               {"en": "1", "zh": ""}, key)  # unreadable: may be passing


class _FakeRayInstance(_FakeRay):
    """:class:`_FakeRay` with a lifetime: ``init`` and ``shutdown`` recorded."""

    def __init__(self) -> None:
        super().__init__()
        self.up = False
        self.events: list[str] = []

    def is_initialized(self) -> bool:
        return self.up

    def init(self, **kwargs: object) -> None:
        self.up = True
        self.events.append("init")

    def shutdown(self) -> None:
        self.up = False
        self.events.append("shutdown")


def test_ray_begun_waits_for_start_to_create_its_actors(monkeypatch: pytest.MonkeyPatch) -> None:
    """begin() starts Ray before the scan has counted the documents; the actors
    (each loading the model) wait for start(), never more than the documents;
    begun and closed without start, Ray is stopped and no actor was created."""
    from bitext.engines import ray as ray_engine

    monkeypatch.delenv("RAY_ADDRESS", raising=False)
    for documents, expected in ((1, 1), (None, 0)):
        fake = _FakeRayInstance()
        monkeypatch.setattr(ray_engine, "_ray", lambda fake=fake: fake)
        engine = ray_engine.RayEngine(jobs=2)
        engine.begin()
        deadline = time.monotonic() + 10
        while not fake.up and time.monotonic() < deadline:
            time.sleep(0.01)
        assert fake.up and fake.actors == []  # Ray up, no actor before start()
        if documents is not None:
            engine.start(SETTINGS, at_most=documents)
        engine.close()
        assert len(fake.actors) == expected
        assert fake.events == ["init", "shutdown"]


def test_a_fresh_collection_starts_the_engine_after_the_scan(
        tree: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The trees are scanned before the engine starts (an Error of the scan
    ends the process at once, not after a local Ray's start and stop), and the
    workers start once the documents are counted, while the inputs are hashed;
    an unchanged rerun starts nothing (it may have nothing to build)."""
    from click.testing import CliRunner

    import bitext.batch
    import bitext.engines
    from bitext.cli import cli

    calls: list[str] = []

    class Recording:
        def __init__(self, engine: Any) -> None:
            self.engine = engine

        def start(self, settings: BuildSettings, at_most: int | None = None) -> None:
            calls.append(f"start {at_most}")
            self.engine.start(settings, at_most)

        def run(self, tasks: Any, settings: BuildSettings) -> Any:
            return self.engine.run(tasks, settings)

        def close(self, wait: bool = True) -> None:
            self.engine.close(wait)

    real_engine, real_discover = bitext.engines.get_engine, bitext.batch.discover
    monkeypatch.setattr(bitext.engines, "get_engine",
                        lambda *a, **k: Recording(real_engine(*a, **k)))
    monkeypatch.setattr(bitext.batch, "discover",
                        lambda *a, **k: calls.append("scan") or real_discover(*a, **k))
    args = ["build", str(tree), "-o", str(tmp_path / "out"), "--encoder", "length",
            "--no-glossary", "--jobs", "2", "--no-corpus"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert calls == ["scan", "start 3"], calls
    calls.clear()
    again = CliRunner().invoke(cli, args)
    assert again.exit_code == 0 and "0 built" in again.output, again.output
    assert calls == ["scan"], calls


def test_a_file_where_a_document_folder_goes_says_to_move_it(tree: Path, tmp_path: Path) -> None:
    """OUT/<id> is a folder bitext chooses, not one the user gave: a file found
    there failed the document with 'give the build an output folder with -o',
    a fix that does not help. The error says what is in the way and what to do."""
    out = tmp_path / "out"
    (out / "2015").mkdir(parents=True)
    (out / "2015" / "a").write_text("a note kept here\n", encoding="utf-8")
    report = run_batch(discover([tree], ("zh", "en")), out, SETTINGS, get_engine("local", jobs=1))
    (failed_id, error), = report.failed
    assert failed_id == "2015/a" and report.built == 2
    assert "is a file, where this document's outputs go" in error and "move it away" in error
    assert (out / "2015" / "a").read_text(encoding="utf-8") == "a note kept here\n"


class _SlowRayInstance(_FakeRayInstance):
    """:class:`_FakeRayInstance` whose ``init`` lasts until the test lets it end
    (a local ``ray.init`` takes 5-15 s on a loaded machine)."""

    def __init__(self) -> None:
        super().__init__()
        self.gate = threading.Event()

    def init(self, **kwargs: object) -> None:
        self.gate.wait(60)  # a guard against a hang only: the test opens it
        super().init(**kwargs)


def test_an_error_after_ray_has_begun_is_not_held_until_ray_is_up(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """A fresh collection starts Ray while its inputs are hashed; an Error found
    then (here a run that fails at once; before, the scan's Errors: two TREEs
    giving one id, a --pivot no document has) was printed only once ray.init
    had ended (11.9 s after the command began, load 4): close(wait=False)
    waited for the start. Now the Error comes at once and Ray, once up, is
    stopped in the background (the process waits for that before it exits)."""
    import bitext.batch
    from bitext.engines import ray as ray_engine
    from bitext.errors import InputError

    def failing(*args: object, **kwargs: object) -> None:
        raise InputError("a made-up failure of the run")

    monkeypatch.setattr(bitext.batch, "run_batch", failing)

    monkeypatch.delenv("RAY_ADDRESS", raising=False)
    fake = _SlowRayInstance()
    monkeypatch.setattr(ray_engine, "_ray", lambda: fake)
    make_doc(tmp_path / "t" / "d1", 2)
    make_doc(tmp_path / "t" / "d2", 2)
    engines: list[Any] = []
    real = ray_engine.RayEngine.begin
    monkeypatch.setattr(ray_engine.RayEngine, "begin",
                        lambda self: engines.append(self) or real(self))
    try:
        code, err = _main(["build", str(tmp_path / "t"), "-o", str(tmp_path / "out"),
                           "--encoder", "length", "--engine", "ray"], capsys)
        assert engines, "the engine was not begun: the test probes nothing"
        assert code == 1 and err.startswith("Error: ") and "made-up failure" in err, err
        assert len(err.splitlines()) == 1, err
        assert fake.events == []  # the Error came while ray.init was still starting
    finally:
        fake.gate.set()
    stopping = engines[0]._stopping
    assert stopping is not None
    stopping.join(60)
    assert fake.events == ["init", "shutdown"] and fake.actors == []


@pytest.mark.parametrize("sources", ["two trees", "a tree and a manifest"])
def test_ids_given_twice_are_an_error_before_ray_begins(
        sources: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """Two TREEs giving one id (or a TREE and --manifest) were found by the scan,
    which ran after a local Ray had begun: the Error was printed at once, but
    the process waited for ray.init and Ray's stop before it exited (the Error
    at 4.3 s, the exit at 15.9 s, load 19). With more than one source the ids
    are checked across them before Ray begins (the scan: 0.07-0.10 CPU s for
    731 documents); one TREE keeps Ray's start beside its scan."""
    from bitext.engines import ray as ray_engine

    monkeypatch.delenv("RAY_ADDRESS", raising=False)
    fake = _FakeRayInstance()
    monkeypatch.setattr(ray_engine, "_ray", lambda: fake)
    make_doc(tmp_path / "t1" / "d1", 2)
    if sources == "two trees":
        make_doc(tmp_path / "t2" / "d1", 2)
        given = [str(tmp_path / "t1"), str(tmp_path / "t2")]
        said = "also comes from"
    else:
        make_doc(tmp_path / "elsewhere", 2)
        listed = tmp_path / "list.tsv"
        listed.write_text(f"id\tzh\ten\nd1\t{tmp_path / 'elsewhere' / 'zh.txt'}\t"
                          f"{tmp_path / 'elsewhere' / 'en.txt'}\n", encoding="utf-8")
        given = [str(tmp_path / "t1"), "--manifest", str(listed)]
        said = "is also a folder under"
    engines: list[Any] = []
    real = ray_engine.RayEngine.begin
    monkeypatch.setattr(ray_engine.RayEngine, "begin",
                        lambda self: engines.append(self) or real(self))
    code, err = _main(["build", *given, "-o", str(tmp_path / "out"),
                       "--encoder", "length", "--engine", "ray"], capsys)
    assert code == 1 and err.startswith("Error: ") and said in err, err
    assert len(err.splitlines()) == 1, err
    assert engines == [] and fake.events == []


@pytest.mark.parametrize("probe", ["two files for a language", "a pivot no document has",
                                   "the corpus stamp a FIFO"])
def test_an_error_of_one_tree_comes_before_ray_begins(
        probe: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """One TREE was scanned while a local Ray started: an Error of the scan (a
    corpus folder holding two zh files), of the languages found (a --pivot no
    document has) or of OUT (its corpus stamp a FIFO) was printed at once, but
    the process waited for Ray to come up and stop (the Error at 1.8 s, the
    exit at 7.8 s, load 9). Every check that needs no model now comes before
    Ray begins (the scan: 0.07-0.10 CPU s for 731 documents; Ray's start still
    overlaps the inputs' hashing)."""
    from bitext.engines import ray as ray_engine

    monkeypatch.delenv("RAY_ADDRESS", raising=False)
    fake = _FakeRayInstance()
    monkeypatch.setattr(ray_engine, "_ray", lambda: fake)
    make_doc(tmp_path / "t" / "d1", 2)
    make_doc(tmp_path / "t" / "d2", 2)
    out = tmp_path / "out"
    extra: list[str] = []
    if probe == "two files for a language":
        (tmp_path / "t" / "d2" / "doc.zh.txt").write_text("第1段。\n", encoding="utf-8")
        said = "2 zh files"
    elif probe == "a pivot no document has":
        extra, said = ["--pivot", "fr"], "no fr version"
    else:
        out.mkdir()
        os.mkfifo(out / "corpus.stamp.json")
        said = "named pipe"
    engines: list[Any] = []
    real = ray_engine.RayEngine.begin
    monkeypatch.setattr(ray_engine.RayEngine, "begin",
                        lambda self: engines.append(self) or real(self))
    code, err = _main(["build", str(tmp_path / "t"), "-o", str(out), "--encoder", "length",
                       "--engine", "ray", *extra], capsys)
    assert code == 1 and err.startswith("Error: ") and said in err, err
    assert len(err.splitlines()) == 1, err
    assert engines == [] and fake.events == []


def test_pivot_with_a_pair_is_a_usage_error_before_ray_begins(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """--pivot with --src-lang/--tgt-lang on a collection was refused after a
    local Ray had begun, so the process printed the usage error, then waited
    for Ray to come up and stop (the error at 7.0 s, the exit at 27.4 s, load
    20). The two options exclude each other whatever the trees hold: the
    check comes before Ray begins."""
    from bitext.engines import ray as ray_engine

    monkeypatch.delenv("RAY_ADDRESS", raising=False)
    fake = _FakeRayInstance()
    monkeypatch.setattr(ray_engine, "_ray", lambda: fake)
    make_doc(tmp_path / "t" / "d1", 2)
    make_doc(tmp_path / "t" / "d2", 2)
    engines: list[Any] = []
    real = ray_engine.RayEngine.begin
    monkeypatch.setattr(ray_engine.RayEngine, "begin",
                        lambda self: engines.append(self) or real(self))
    code, err = _main(["build", str(tmp_path / "t"), "-o", str(tmp_path / "out"),
                       "--encoder", "length", "--engine", "ray", "--pivot", "en",
                       "--src-lang", "zh", "--tgt-lang", "en"], capsys)
    assert code == 2 and "exclude each other" in err, err
    assert engines == [] and fake.events == []


def test_a_bad_manifest_is_an_error_before_ray_begins(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """A manifest's Error (an id listed twice) came at once, but the process
    then waited for the local Ray it had begun to come up and stop: it exited
    13.4 s after it began (the Error at 2.7 s; load 13). The manifest is read
    before Ray begins: no Ray to wait for."""
    from bitext.engines import ray as ray_engine

    monkeypatch.delenv("RAY_ADDRESS", raising=False)
    fake = _FakeRayInstance()
    monkeypatch.setattr(ray_engine, "_ray", lambda: fake)
    make_doc(tmp_path / "a", 2)
    listed = tmp_path / "list.tsv"
    listed.write_text("id\tzh\ten\nd1\ta/zh.txt\ta/en.txt\nd1\ta/zh.txt\ta/en.txt\n",
                      encoding="utf-8")
    engines: list[Any] = []
    real = ray_engine.RayEngine.begin
    monkeypatch.setattr(ray_engine.RayEngine, "begin",
                        lambda self: engines.append(self) or real(self))
    code, err = _main(["build", "--manifest", str(listed), "-o", str(tmp_path / "out"),
                       "--encoder", "length", "--engine", "ray"], capsys)
    assert code == 1 and err.startswith("Error: ") and "listed twice" in err, err
    assert len(err.splitlines()) == 1, err
    assert engines == [] and fake.events == []


def test_a_rerun_error_says_a_failed_document_was_not_tried_again(
        tree: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A collection with one bad input exits 1 on every rerun (by design: it is
    still not built). The summary said the document was not tried again, but the
    Error line (what a cron job's mail shows) read as if it had failed anew; it
    now says so, and how to proceed: fix it, or --force."""
    (tree / "2015" / "b" / "A_70_1.en.txt").write_text("", encoding="utf-8")
    args = ["build", str(tree), "-o", str(tmp_path / "out"), "--encoder", "length",
            "--no-glossary", "--jobs", "1"]
    code, err = _main(args, capsys)
    first = [line for line in err.splitlines() if line.startswith("Error: ")]
    assert code == 1 and len(first) == 1 and "not tried again" not in first[0], err
    code, err = _main(args, capsys)
    again = [line for line in err.splitlines() if line.startswith("Error: ")]
    assert code == 1 and len(again) == 1, err
    assert "1 not tried again" in again[0] and "--force" in again[0], again[0]
    assert "2015/b" in again[0] and "empty" in again[0]


def test_an_input_that_changes_while_its_document_is_built_is_built_again(
        tree: Path, tmp_path: Path) -> None:
    """The inputs are hashed before the run and the ledger records those hashes;
    a file cut or rewritten after that (a download or a sync still writing it)
    was built as read, recorded under the old hash, and once it held the old
    bytes again a rerun called the document up to date: its outputs came from
    bytes no run had hashed. Now a file whose size or time changed while its
    document was built is recorded with no hash, so the next run builds it."""
    docs = discover([tree], ("zh", "en"))
    changed = tree / "2015" / "a" / "en.txt"
    original = changed.read_bytes()

    class Cutting:
        """The local pool, with the file cut in half after the hashing."""

        def __init__(self) -> None:
            self.engine = get_engine("local", jobs=1)

        def start(self, settings: BuildSettings, at_most: int | None = None) -> None:
            pass

        def run(self, tasks: Any, settings: BuildSettings) -> Any:
            changed.write_bytes(original[: len(original) // 2])
            return self.engine.run(tasks, settings)

        def close(self, wait: bool = True) -> None:
            self.engine.close(wait)

    out = tmp_path / "out"
    first = run_batch(docs, out, SETTINGS, Cutting())
    assert first.built == 3
    changed.write_bytes(original)  # the bytes that were hashed, back again
    again = run_batch(docs, out, SETTINGS, get_engine("local", jobs=1))
    assert again.built == 1 and again.skipped == 2, again.summary()


@pytest.mark.skipif(not Path(f"/proc/{os.getpid()}/task").is_dir(), reason="needs /proc")
def test_the_workers_end_when_the_command_is_killed(tmp_path: Path) -> None:
    """``kill -9`` of the command itself (or the out-of-memory killer choosing it)
    gives it no chance to stop its pool. The workers waited for their next document
    for ever: two idle processes with the model loaded, seen after ``kill -9`` of
    'bitext build TREE -o OUT --jobs 2'. They end when the command does."""
    import signal
    import subprocess
    import sys

    script = (
        "import os, sys, time\n"
        "from bitext.build import BuildSettings\n"
        "from bitext.engines.local import LocalEngine\n"
        "engine = LocalEngine(jobs=2)\n"
        "engine.start(BuildSettings(encoder='length', glossary=False))\n"
        "print('started', flush=True)\n"
        "time.sleep(600)\n"
    )
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None and proc.stdout.readline() == "started\n"
        workers: list[int] = []
        end = time.monotonic() + 120
        while len(workers) < 2:
            assert time.monotonic() < end, "the workers never came up"
            children = [c for task in Path(f"/proc/{proc.pid}/task").iterdir()
                        for c in _read_proc(f"{task}/children").split()]
            workers = [int(c) for c in children
                       if "spawn_main" in _read_proc(f"/proc/{c}/cmdline")]
            time.sleep(0.05)
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    end = time.monotonic() + 60
    alive = workers
    while alive and time.monotonic() < end:
        time.sleep(0.1)
        alive = [pid for pid in workers if _read_proc(f"/proc/{pid}/stat")
                 and _read_proc(f"/proc/{pid}/stat").split(")")[-1].split()[0] != "Z"]
    for pid in alive:  # not left behind for the rest of the suite
        os.kill(pid, signal.SIGKILL)
    assert alive == [], "the pool's workers outlived the command"


@pytest.mark.skipif(not Path(f"/proc/{os.getpid()}/task").is_dir(), reason="needs /proc")
def test_a_local_rays_processes_end_when_the_command_is_killed(tmp_path: Path) -> None:
    """``kill -9`` of a build with ``--engine ray`` (or the out-of-memory killer
    choosing it): the GCS and the raylet die with the thread that started them
    (Ray's ``PR_SET_PDEATHSIG``), but the raylet's two agents (175 MB) stayed:
    each sees its raylet gone within 2 s, then waits out a 60 s report to the
    dead GCS before it exits (seen 60-65 s after the kill, session 18). They end
    with the command now. The bound below is far under Ray's 60 s and far over
    what the command's watcher takes."""
    import shutil
    import signal
    import tempfile
    import textwrap

    pytest.importorskip("ray", reason="not installed: pip install 'bitext[distributed]'")
    script = textwrap.dedent("""
        import time
        from bitext.build import BuildSettings
        from bitext.engines.ray import RayEngine
        engine = RayEngine(jobs=1)
        engine.start(BuildSettings(encoder="length", glossary=False))
        engine._wait_started()
        print("started", flush=True)
        time.sleep(600)
        """)
    ray_tmp = tempfile.mkdtemp(prefix="bitext-ray-")
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True,
                            env={**os.environ, "RAY_TMPDIR": ray_tmp})
    try:
        assert proc.stdout is not None and proc.stdout.readline() == "started\n"
        assert _processes_using(ray_tmp), "no Ray process seen before the kill"
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        end = time.monotonic() + 20
        left = _processes_using(ray_tmp)
        while left and time.monotonic() < end:
            time.sleep(0.2)
            left = _processes_using(ray_tmp)
        assert left == [], "Ray's processes outlived the command"
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        for entry in _processes_using(ray_tmp):  # not left behind for the rest of the suite
            with contextlib.suppress(OSError):
                os.kill(int(entry.split(":")[0]), signal.SIGKILL)
        shutil.rmtree(ray_tmp, ignore_errors=True)


def test_no_worker_starts_when_every_document_is_an_unreadable_folder(tmp_path: Path) -> None:
    """A folder that cannot be listed is a document that fails before any build:
    a run of only such documents starts no worker (a local Ray would have to
    come up and stop before the Error could end the process)."""
    from bitext.build import SourceDocument
    from bitext.run import start_workers

    started: list[int | None] = []

    class Recording:
        def start(self, settings: BuildSettings, at_most: int | None = None) -> None:
            started.append(at_most)

    docs = [SourceDocument("a", {}, "a", unreadable="cannot read its folder"),
            SourceDocument("b", {"zh": tmp_path / "zh.txt", "en": tmp_path / "en.txt"}, "b")]
    start_workers(Recording(), SETTINGS, [tmp_path], docs[:1], force=False)()  # type: ignore[arg-type]
    assert started == []
    start_workers(Recording(), SETTINGS, [tmp_path], docs, force=False)()  # type: ignore[arg-type]
    assert started == [1]


def test_a_damaged_cache_is_one_error_before_any_document(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """A collection given a --cache whose file is no database failed every
    document with the same cache Error (each recorded failed in the ledger,
    after a local Ray had come up); the cache is the run's, not a document's:
    one Error before the documents and before Ray, the file untouched."""
    from bitext.engines import ray as ray_engine

    monkeypatch.delenv("RAY_ADDRESS", raising=False)
    fake = _FakeRayInstance()
    monkeypatch.setattr(ray_engine, "_ray", lambda: fake)
    make_doc(tmp_path / "t" / "d1", 2)
    make_doc(tmp_path / "t" / "d2", 2)
    cache = tmp_path / "cache"
    cache.mkdir()
    (cache / "embeddings.sqlite").write_bytes(b"hello\n" * 100)
    engines: list[Any] = []
    real = ray_engine.RayEngine.begin
    monkeypatch.setattr(ray_engine.RayEngine, "begin",
                        lambda self: engines.append(self) or real(self))
    code, err = _main(["build", str(tmp_path / "t"), "-o", str(tmp_path / "out"),
                       "--engine", "ray", "--cache", str(cache)], capsys)
    assert code == 1 and err.startswith("Error: ") and "not a whole SQLite" in err, err
    assert len(err.splitlines()) == 1, err
    assert engines == [] and not (tmp_path / "out" / "manifest.jsonl").exists()
    assert (cache / "embeddings.sqlite").read_bytes() == b"hello\n" * 100


def test_joining_a_cluster_with_token_authentication_says_how(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """A cluster started by 'ray start --head' asks for a token (Ray 2.60's
    default); a driver without RAY_AUTH_MODE=token got 'Failed to connect to
    Ray cluster at ...' (Ray's cause, an AuthenticationError, left out), which
    reads as a wrong address. The Error says it is the token and what to set.
    The fake raises what ray.init raised in that probe (its cause's last line)."""
    from bitext.engines import ray as ray_engine

    class Refused(_FakeRayInstance):
        def init(self, **kwargs: object) -> None:
            try:
                raise RuntimeError(
                    "Failed to connect to GCS. Last connection error: Traceback ...\n"
                    "ray.exceptions.AuthenticationError: RPC error: InvalidAuthToken: "
                    "Authentication token is missing or incorrect. Note: RAY_AUTH_MODE is "
                    "currently 'disabled' (not 'token').")
            except RuntimeError as err:
                raise ConnectionError("Failed to connect to Ray cluster at 192.0.2.2:6391"
                                      ) from err

    monkeypatch.delenv("RAY_ADDRESS", raising=False)
    monkeypatch.setattr(ray_engine, "_ray", lambda: Refused())
    make_doc(tmp_path / "t" / "d1", 2)
    make_doc(tmp_path / "t" / "d2", 2)
    code, err = _main(["build", str(tmp_path / "t"), "-o", str(tmp_path / "out"),
                       "--encoder", "length", "--engine", "ray",
                       "--ray-address", "127.0.0.1:6391"], capsys)
    assert code == 1 and err.startswith("Error: ") and len(err.splitlines()) == 1, err
    assert "token" in err and "RAY_AUTH_MODE=token" in err, err


class _RefusedToken(_FakeRayInstance):
    """ray.init of a join that a cluster with token authentication refuses, as
    Ray 2.60 does it: its C++ GCS client prints a timestamped retry line a second
    on the process's stderr (fd 2: Python's logging cannot filter it) for 20 s,
    then the ConnectionError whose cause names the token."""

    RETRY = (b"[2026-12-06 21:11:30,220 W 19175 19180] gcs_client.cc:210: Failed to get "
             b"cluster ID from GCS server: Unauthenticated: RPC error: InvalidAuthToken: "
             b"Authentication token is missing or incorrect\n")

    def init(self, **kwargs: object) -> None:
        for _ in range(3):
            os.write(2, self.RETRY)
        os.write(2, b"another line of Ray's\n")
        mode = os.environ.get("RAY_AUTH_MODE", "disabled")
        try:
            raise RuntimeError(
                "ray.exceptions.AuthenticationError: RPC error: InvalidAuthToken: "
                f"Authentication token is missing or incorrect. Note: RAY_AUTH_MODE is "
                f"currently '{mode}'" + (" (not 'token')." if mode != "token" else "."))
        except RuntimeError as err:
            raise ConnectionError("Failed to connect to Ray cluster at 192.0.2.2:6391"
                                  ) from err


@pytest.mark.parametrize("token", [None, "0123456789abcdef0123456789abcdef"])
def test_a_join_refused_for_its_token_is_one_error_line(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str],
        token: str | None) -> None:
    """Before the token Error, Ray's C++ client printed its retry line a second
    (20 lines): the user sees the Error alone now, and Ray's other lines as they
    were. With a token given (RAY_AUTH_MODE=token) that the cluster refuses, the
    Error said 'this run gave none': it says the token was refused."""
    from bitext.engines import ray as ray_engine

    monkeypatch.delenv("RAY_ADDRESS", raising=False)
    if token is None:
        monkeypatch.delenv("RAY_AUTH_MODE", raising=False)
    else:
        monkeypatch.setenv("RAY_AUTH_MODE", "token")
        monkeypatch.setenv("RAY_AUTH_TOKEN", token)
    monkeypatch.setattr(ray_engine, "_ray", lambda: _RefusedToken())
    make_doc(tmp_path / "t" / "d1", 2)
    make_doc(tmp_path / "t" / "d2", 2)
    code, err = _main(["build", str(tmp_path / "t"), "-o", str(tmp_path / "out"),
                       "--encoder", "length", "--engine", "ray",
                       "--ray-address", "127.0.0.1:6391"], capfd)
    lines = err.splitlines()
    assert code == 1 and "InvalidAuthToken" not in err, err
    assert lines == ["another line of Ray's", lines[-1]] and lines[-1].startswith("Error: "), err
    if token is None:
        assert "gave none" in lines[-1] and "RAY_AUTH_MODE=token" in lines[-1], err
    else:
        assert "refused this run's token" in lines[-1] and "gave none" not in lines[-1], err


def test_the_progress_line_measures_from_the_first_document_begun(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """On a terminal, the rate and ETA were measured from the command's start,
    which holds the workers' start and the model load: a 50-document collection
    finished in 29 s (--jobs 2, 12-line UNPC documents) showed 'ETA 8m09s' after
    its first document and 'ETA 4m00s' after its second (session 24). They are
    now measured from when the first document done began to be built (from its
    end, two workers ending their first documents together made 'ETA 0m00s')."""
    from types import SimpleNamespace

    from bitext.batch import BatchReport
    from bitext.commands import build as build_command

    def lines(ends: list[float]) -> list[str]:
        clock = [100.0]
        monkeypatch.setattr(build_command.time, "perf_counter", lambda: clock[0])
        progress = build_command._Progress(50)
        progress.tty = True
        report = BatchReport(total=50)
        drawn = []
        for done, at in enumerate(ends, start=1):
            clock[0] = at
            report.built, report.sentences = done, 20 * done
            progress.update(SimpleNamespace(seconds=1.0), report)  # type: ignore[arg-type]
            drawn.append(capsys.readouterr().err)
        return drawn

    # One worker: 10 s to start, then a document a second.
    one = lines([110.0, 111.0, 112.0])
    assert "1/50 documents" in one[0] and "20 sentences/s, ETA 0m49s" in one[0], one[0]
    assert "20 sentences/s, ETA 0m48s" in one[1], one[1]
    assert "20 sentences/s, ETA 0m47s" in one[2], one[2]
    # Two workers ending their first documents together.
    two = lines([110.0, 110.02])
    assert "ETA 0m24s" in two[1], two[1]


def test_ctrl_c_in_a_collection_says_what_is_kept_and_how_to_go_on(
        tree: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """Ctrl-C typed after 25 of 50 documents (session 24) printed 'Interrupted.'
    alone: the documents done were kept and the same command built the rest,
    but the user was not told. The line before it now says so."""
    from bitext.cli import main
    from bitext.commands import build as build_command

    def interrupt(self: object, result: object, report: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(build_command._Progress, "update", interrupt)
    out = tmp_path / "out"
    with pytest.raises(SystemExit) as stop:
        main(["build", str(tree), "-o", str(out), "--encoder", "length", "--jobs", "1",
              "--no-glossary"])
    assert stop.value.code == 130
    err = capsys.readouterr().err
    assert "Interrupted." in err
    assert str(out / "manifest.jsonl") in err and "same command builds" in err, err
    assert (out / "manifest.jsonl").is_file()
    # after --force, the same command would build every document again
    with pytest.raises(SystemExit):
        main(["build", str(tree), "-o", str(out), "--encoder", "length", "--jobs", "1",
              "--no-glossary", "--force"])
    assert "the same command without --force builds the rest" in capsys.readouterr().err


def test_a_rerun_that_built_nothing_gives_no_throughput() -> None:
    """A rerun after a killed run printed, for each pair already complete,
    '12 documents: 0 built, 12 up to date, 0 failed; 0 sentences in 0.0 s
    (0 sentences/s)' (usertest26): a rate of nothing read as if the run had
    stalled. With nothing built the line ends at the counts; with documents
    built it gives their sentences and rate as before."""
    from bitext.batch import BatchReport

    assert BatchReport(total=12, skipped=12).summary() == (
        "12 documents: 0 built, 12 up to date, 0 failed")
    built = BatchReport(total=12, built=6, skipped=6, sentences=136, seconds=31.0).summary()
    assert built == ("12 documents: 6 built, 6 up to date, 0 failed; "
                     "136 sentences in 31.0 s (4 sentences/s)")


_ROW_E = '{{"id": "e", "zh": "{zh}", "en": "{en}"}}\n'


@pytest.mark.parametrize("name, text", [
    ("m.tsv", "id\tzh\ten\nd\t{zh}\t\ne\t{zh}\t{en}\n"),
    ("m.jsonl", '{{"id": "d", "zh": "{zh}", "en": ""}}\n' + _ROW_E),
    ("m.jsonl", '{{"id": "d", "zh": "{zh}"}}\n' + _ROW_E),
], ids=["tsv empty cell", "jsonl empty path", "jsonl no en key"])
def test_a_manifest_row_without_a_language_names_the_row(tree: Path, tmp_path: Path,
                                                          name: str, text: str) -> None:
    """A pair's manifest row whose en cell is empty (or whose JSONL line has no
    en path) fails that document, as a folder missing a language does, but the
    Error was advice for a folder ('<the manifest's folder>: no en document
    found; name it en.txt ...'). It names the manifest's line and the cell to
    fill (reliab24, session 27). A multilingual manifest leaves a cell empty on
    purpose: that document is absent from the pair (tests/test_multilingual.py)."""
    folder = tree / "2016" / "deep" / "c"
    manifest = tmp_path / name
    manifest.write_text(text.format(zh=folder / "zh.txt", en=folder / "en.txt"),
                        encoding="utf-8")
    out = tmp_path / "out"
    report = run_batch(read_manifest(manifest, ("zh", "en")), out, SETTINGS,
                       get_engine("local", jobs=1))
    assert [i for i, _ in report.failed] == ["d"] and report.built == 1
    error = Ledger(out / "manifest.jsonl").entries["d"]["error"]
    assert error.startswith(f"{manifest}:1: " if name.endswith("jsonl") else f"{manifest}:2: ")
    assert "en" in error and "name it en.txt" not in error, error


@pytest.mark.skipif(not Path("/dev/shm").is_dir() or not Path(f"/proc/{os.getpid()}").is_dir(),
                    reason="needs /dev/shm and /proc")
def test_kill_9_leaves_no_semaphore_and_no_leak_warning(tmp_path: Path) -> None:
    """``kill -9`` of a build with --jobs 2: the pool's queues hold named
    semaphores that multiprocessing's resource tracker (a process of its own)
    unlinks once the command and its workers are gone, then it printed
    'UserWarning: resource_tracker: There appear to be 5 leaked semaphore
    objects to clean up at shutdown' and the standard library's source line:
    two lines after the shell's prompt, read as the next command's. Nothing
    leaked: the semaphores are gone from /dev/shm, and the tracker says nothing
    (reliab24, session 27)."""
    import signal

    script = (
        "import time\n"
        "from multiprocessing import resource_tracker\n"
        "from bitext.build import BuildSettings\n"
        "from bitext.engines.local import LocalEngine\n"
        "engine = LocalEngine(jobs=2)\n"
        "engine.start(BuildSettings(encoder='length', glossary=False))\n"
        "print(resource_tracker._resource_tracker._pid, flush=True)\n"
        "time.sleep(600)\n"
    )
    err = tmp_path / "stderr"
    with err.open("wb") as fh:
        proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE,
                                stderr=fh, text=True)
    try:
        assert proc.stdout is not None
        tracker = int(proc.stdout.readline())
        # the command's semaphores by inode (glibc maps each under a temporary
        # name): other processes' semaphores come and go in /dev/shm meanwhile
        ours = {int(line.split()[4]) for line in _read_proc(f"/proc/{proc.pid}/maps")
                .splitlines() if "/dev/shm/sem." in line}
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    end = time.monotonic() + 60  # the workers see their parent gone, then the tracker ends
    while _read_proc(f"/proc/{tracker}/stat") and time.monotonic() < end:
        if _read_proc(f"/proc/{tracker}/stat").split(")")[-1].split()[0] == "Z":
            break
        time.sleep(0.1)
    assert ours, "the pool made no named semaphore: nothing to check"
    left = set()
    for path in Path("/dev/shm").glob("sem.mp-*"):
        with contextlib.suppress(OSError):  # another process's, gone meanwhile
            left.add(path.stat().st_ino)
    assert not ours & left, "left in /dev/shm"
    assert "leaked" not in err.read_text("utf-8", "replace"), err.read_text("utf-8", "replace")


def test_the_ledger_its_first_line_makes_is_synced_into_its_folder(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each line of ``OUT/manifest.jsonl`` is fsync'ed, but the line that makes
    the file was not durable: POSIX keeps a new file's name in its folder only
    once the folder is fsync'ed, so a power cut could take the whole ledger
    (every document built again) though each line had been synced. The folder
    is synced once, when the first line makes the file (reliab24, session 27)."""
    from bitext.fileio import write

    synced: list[Path] = []
    monkeypatch.setattr(write, "_fsync_dir", synced.append)
    out = tmp_path / "out"
    ledger = Ledger(out / "manifest.jsonl")
    ledger.append({"id": "a", "status": "ok"})
    assert synced == [out]
    ledger.append({"id": "b", "status": "ok"})
    Ledger(out / "manifest.jsonl").append({"id": "c", "status": "ok"})
    assert synced == [out], "synced again for a file that was there"
