"""build: one writer per output folder, a record that finds a mixed set, and
reproducible outputs (two builds differ only in their creation dates)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.test_bad_input import EN, ENV, ZH, error_line

BITEXT = [sys.executable, "-m", "bitext"]
DATES = re.compile(rb'(creationdate|changedate)="[0-9TZ]+"|<date>[^<]*</date>'
                   rb'|<descrip type="date">[^<]*</descrip>')


def corpus(folder: Path) -> Path:
    c = folder / "report"
    c.mkdir()
    (c / "zh.txt").write_text(ZH, encoding="utf-8")
    (c / "en.txt").write_text(EN, encoding="utf-8")
    return c


def build(folder: Path, out: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*BITEXT, "build", "report", "-o", out, "--encoder", "length"],
                          cwd=folder, env=ENV, capture_output=True, text=True, timeout=300)


def test_two_builds_are_identical_but_for_dates(tmp_path: Path) -> None:
    corpus(tmp_path)
    for out in ("a", "b"):
        res = build(tmp_path, out)
        assert res.returncode == 0, res.stderr
    names = sorted(p.name for p in (tmp_path / "a").iterdir()
                   if p.name not in (".bitext.lock", ".bitext-outputs.json"))
    assert names == sorted(p.name for p in (tmp_path / "b").iterdir()
                           if p.name not in (".bitext.lock", ".bitext-outputs.json"))
    assert len(names) >= 10
    for name in names:
        a = DATES.sub(b"DATE", (tmp_path / "a" / name).read_bytes())
        b = DATES.sub(b"DATE", (tmp_path / "b" / name).read_bytes())
        assert a == b, f"{name} differs between two builds of the same input"


def test_validate_finds_a_mixed_set(tmp_path: Path) -> None:
    corpus(tmp_path)
    assert build(tmp_path, "out").returncode == 0
    ok = subprocess.run([*BITEXT, "validate", "out"], cwd=tmp_path, env=ENV,
                        capture_output=True, text=True)
    assert ok.returncode == 0, ok.stderr
    # Another run (other settings) replaces one file: the set is mixed.
    (tmp_path / "out" / "report.tsv").write_text("en-GB\tzh-CN\n", encoding="utf-8")
    bad = subprocess.run([*BITEXT, "validate", "out"], cwd=tmp_path, env=ENV,
                         capture_output=True, text=True)
    assert bad.returncode == 1
    assert "Traceback" not in bad.stderr
    assert bad.stderr.strip().splitlines()[-1].startswith("Error: ")
    assert "report.tsv" in bad.stderr and "mixed" in bad.stderr


def test_a_second_build_into_the_same_folder_is_refused(tmp_path: Path) -> None:
    c = corpus(tmp_path)
    # The first build reads its Chinese input from a FIFO: it holds the folder's
    # lock and waits there until the test writes the text.
    (c / "zh.txt").unlink()
    os.mkfifo(c / "zh.txt")
    first = subprocess.Popen([*BITEXT, "build", "report", "-o", "out", "--encoder", "length",
                              "--no-glossary"], cwd=tmp_path, env=ENV,
                             stderr=subprocess.PIPE, text=True)
    lock = tmp_path / "out" / ".bitext.lock"
    end = time.monotonic() + 120
    while time.monotonic() < end and not (lock.exists() and lock.read_text().strip()):
        time.sleep(0.05)
    second = subprocess.run([*BITEXT, "build", "report", "-o", "out", "--encoder", "length",
                             "--max-bead", "2"], cwd=tmp_path, env=ENV,
                            capture_output=True, text=True, timeout=120)
    with open(c / "zh.txt", "w", encoding="utf-8") as fh:
        fh.write(ZH)
    _, err = first.communicate(timeout=300)
    assert first.returncode == 0, err
    assert second.returncode == 1, second.stderr
    assert "another bitext run" in error_line(second)
    assert (tmp_path / "out" / "report.sentences.tmx").read_bytes() != b""


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_the_lock_dies_with_its_process(tmp_path: Path) -> None:
    from bitext.outputs import folder_lock

    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        with folder_lock(tmp_path):
            os._exit(0)
    os.waitpid(pid, 0)
    with folder_lock(tmp_path):
        pass


def test_a_full_disk_when_the_lock_records_its_process_is_one_error(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A disk with room for the lock file but not for its process id: a collection
    document into a full tmpfs logged 'd: unexpected error' with an OSError
    traceback and 'internal error ... please report it'; now the disk's Error,
    naming the lock file, and the new folder is not left behind."""
    import errno

    import bitext.outputs
    from bitext.errors import ExportError
    from bitext.outputs import LOCK_NAME, folder_lock

    def full(fd: int, data: bytes, offset: int) -> int:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(bitext.outputs.os, "pwrite", full)
    out = tmp_path / "out"
    lock = re.escape(str(out / LOCK_NAME))
    with pytest.raises(ExportError, match=f"cannot write {lock}: .*disk is full"), \
            folder_lock(out):
        pass
    assert not out.exists()


def test_a_run_that_writes_nothing_into_a_folder_leaves_no_lock_file(tmp_path: Path) -> None:
    """A build that failed before its first output left OUT/.bitext.lock in a folder
    that existed (a corpus folder given as -o): the folder is left as it was; one
    that got an output keeps the lock file."""
    from bitext.outputs import LOCK_NAME, folder_lock

    (tmp_path / "en.txt").write_text("x", encoding="utf-8")
    with pytest.raises(RuntimeError), folder_lock(tmp_path):
        raise RuntimeError("failed before writing")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["en.txt"]
    with folder_lock(tmp_path):
        (tmp_path / "out.tmx").write_text("x", encoding="utf-8")
    assert (tmp_path / LOCK_NAME).exists()


def test_every_output_counts_a_bead_the_same_way(tmp_path: Path) -> None:
    """One convention everywhere: the aligner's SRC (zh for build) first, and every
    shape names its languages (zh1-en2), in the summary, TMX, TSV, JSONL, Moses .ids
    and .beads; the readers give each side its own indices back."""
    import json

    from bitext.tmx.corpus import read_moses, read_tsv
    from bitext.tmx.reader import read_tmx

    c = tmp_path / "report"
    c.mkdir()
    (c / "en.txt").write_text(EN, encoding="utf-8")
    # paragraph 2 is one Chinese sentence for two English ones: a zh1-en2 bead
    (c / "zh.txt").write_text(ZH.replace("报告。若干", "报告，若干"), encoding="utf-8")
    res = build(tmp_path, "out")
    assert res.returncode == 0, res.stderr
    out = tmp_path / "out"
    rows = [json.loads(x) for x in (out / "report.jsonl").read_text("utf-8").splitlines()]
    target = next(r for r in rows if len(r["zh"]) == 1 and len(r["en"]) == 2)
    zh_ids, en_ids = target["zh_ids"], target["en_ids"]
    bead = f"{zh_ids}:{en_ids}"
    assert target["bead"] == "zh1-en2"
    assert "zh1-en2" in res.stderr  # build's summary line
    assert bead in (out / "report.beads").read_text("utf-8").splitlines()
    tmx = (out / "report.sentences.tmx").read_text("utf-8")
    assert '<prop type="x-bead-order">zh-en</prop>' in tmx
    assert ('<prop type="x-bead">zh1-en2</prop>\n      <prop type="x-score">' in tmx)
    assert f'<prop type="x-ids">{bead}</prop>' in tmx
    tsv = [ln.split("\t") for ln in (out / "report.tsv").read_text("utf-8").splitlines()]
    assert [r[5:] for r in tsv if r[5] == "zh1-en2"] == [["zh1-en2", bead]]
    ids = [ln.split("\t") for ln in (out / "report.ids").read_text("utf-8").splitlines()]
    assert [[r[2], r[4]] for r in ids if r[2] == "zh1-en2"] == [["zh1-en2", bead]]
    # read back: each reader gives the Chinese side the Chinese indices
    for alignment in (read_tmx(out / "report.sentences.tmx", src_lang="zh", tgt_lang="en"),
                      read_tsv(out / "report.tsv"), read_moses(out / "report")):
        zh_first = alignment.src_lang.startswith("zh")
        got = [(p.src_ids, p.tgt_ids) if zh_first else (p.tgt_ids, p.src_ids)
               for p in alignment.pairs]
        assert (tuple(zh_ids), tuple(en_ids)) in got, alignment.src_lang


@pytest.mark.parametrize("record", [
    '{"files": []}', '{"files": "x"}', '{"files": {"report.tsv": 5}}', "[1]",
    "[" * 100_000 + "]" * 100_000,  # json.loads: RecursionError
])
def test_a_damaged_record_is_one_error(tmp_path: Path, record: str) -> None:
    """A .bitext-outputs.json edited or damaged into valid JSON of the wrong
    shape made 'bitext validate OUT' print an AttributeError (or RecursionError)
    traceback."""
    from bitext.errors import InputError
    from bitext.outputs import RECORD_NAME, check_record

    (tmp_path / RECORD_NAME).write_text(record, encoding="utf-8")
    with pytest.raises(InputError, match=f"{RECORD_NAME}: damaged record"):
        check_record(tmp_path)


@pytest.mark.parametrize("how", ["symlink", "hardlink"])
def test_a_lock_file_that_is_a_link_is_refused_and_its_target_kept(tmp_path: Path,
                                                                   how: str) -> None:
    """OUT/.bitext.lock as a link to another file (an input of the build, planted
    or left by a copy): the lock was opened through the link, its target cut to
    nothing and given the process id, so the build destroyed its own input."""
    from bitext.errors import ExportError
    from bitext.outputs import LOCK_NAME, folder_lock

    victim = tmp_path / "zh.txt"
    victim.write_text("第1段。\n", encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    if how == "symlink":
        (out / LOCK_NAME).symlink_to(victim)
    else:
        os.link(victim, out / LOCK_NAME)
    with pytest.raises(ExportError, match=f"{LOCK_NAME}.*(symbolic link|other name).*remove"), \
            folder_lock(out):
        pass
    assert victim.read_text(encoding="utf-8") == "第1段。\n"


def test_a_lock_file_that_is_a_fifo_is_one_clear_error(tmp_path: Path) -> None:
    """A FIFO as OUT/.bitext.lock gave 'cannot write ...: Invalid argument'."""
    from bitext.errors import ExportError
    from bitext.outputs import LOCK_NAME, folder_lock

    out = tmp_path / "out"
    out.mkdir()
    os.mkfifo(out / LOCK_NAME)
    with pytest.raises(ExportError, match=r"named pipe.*remove"), folder_lock(out):
        pass


def test_a_ledger_that_is_a_fifo_is_refused_at_once(tmp_path: Path) -> None:
    """A FIFO as OUT/manifest.jsonl: the build opened it to read the ledger and
    waited for a writer for ever."""
    os.mkfifo(tmp_path / "manifest.jsonl")
    code = ("import sys\nfrom bitext.batch import Ledger\nfrom bitext.errors import ExportError\n"
            "try:\n    Ledger(__import__('pathlib').Path(sys.argv[1]))\n"
            "except ExportError as err:\n    print(err)\n")
    # in a process of its own: the old code waited for a writer for ever
    res = subprocess.run([sys.executable, "-c", code, str(tmp_path / "manifest.jsonl")],
                         capture_output=True, text=True, timeout=60, env=ENV)
    assert "named pipe" in res.stdout and "manifest.jsonl" in res.stdout, res


@pytest.mark.parametrize(("name", "command"), [
    (".bitext-outputs.json", "build"),       # the build's record, written at its end
    (".bitext-outputs.json", "validate"),    # read by validate OUT/
    ("corpus.stamp.json", "collection"),     # read and written after the documents
    ("en-fr/manifest.jsonl", "pivot"),       # a pair's ledger, in the multi-pair layout
])
def test_a_fifo_among_outs_own_files_is_one_error_not_a_wait(tmp_path: Path, name: str,
                                                            command: str) -> None:
    """A FIFO where a build keeps its own records (the outputs' record, the corpus
    stamp): the build, or validate, opened it and waited for the other end for
    ever. Now one Error naming it, before any document is built."""
    from tests.test_bad_input import run

    for doc in ("a", "b"):
        (tmp_path / "col" / doc).mkdir(parents=True)
        (tmp_path / "col" / doc / "zh.txt").write_text(ZH, encoding="utf-8")
        (tmp_path / "col" / doc / "en.txt").write_text(EN, encoding="utf-8")
        if command == "pivot":
            (tmp_path / "col" / doc / "fr.txt").write_text(EN, encoding="utf-8")
    out = tmp_path / "out"
    (out / name).parent.mkdir(parents=True)
    os.mkfifo(out / name)
    args = {"build": ["build", "col/a", "-o", "out"], "validate": ["validate", "out"],
            "collection": ["build", "col", "-o", "out", "--jobs", "1"],
            "pivot": ["build", "col", "-o", "out", "--jobs", "1"]}[command]
    if command != "validate":
        args += ["--encoder", "length", "--no-glossary"]
    res = run(args, tmp_path, timeout=60)
    assert res.returncode == 1, res.stderr
    errors = [line for line in res.stderr.splitlines() if line.startswith("Error: ")]
    assert len(errors) == 1 and "Traceback" not in res.stderr, res.stderr
    assert name.split("/")[-1] in errors[0] and "named pipe" in errors[0], res.stderr
    if command != "validate":
        assert not list(out.rglob("*.tmx")), "refused before any document is built"


def test_a_record_written_in_a_deferred_block_hashes_the_new_bytes(tmp_path: Path) -> None:
    """write_record inside the block that writes the outputs (the build's) reads
    each output from the temporary file the block puts in place, not the old
    file still there; through a link, its target's new bytes; a file the
    block did not write, from the disk."""
    import hashlib
    import json

    from bitext.fileio import atomic_write
    from bitext.fileio.write import folder_syncs_deferred
    from bitext.outputs import RECORD_NAME, check_record, write_record

    out = tmp_path / "out"
    out.mkdir()
    (out / "a.txt").write_text("old a", encoding="utf-8")
    (tmp_path / "elsewhere.txt").write_text("old b", encoding="utf-8")
    (out / "b.txt").symlink_to(tmp_path / "elsewhere.txt")
    (out / "c.txt").write_text("kept c", encoding="utf-8")
    files = [out / "a.txt", out / "b.txt", out / "c.txt", out / "missing.txt"]
    with folder_syncs_deferred():
        for name in ("a.txt", "b.txt"):
            with atomic_write(out / name) as fh:
                fh.write(f"new {name}")
        write_record(out, files, "sig")
        assert not (out / RECORD_NAME).exists()  # put in place after the outputs
    recorded = json.loads((out / RECORD_NAME).read_text(encoding="utf-8"))["files"]
    assert sorted(recorded) == ["a.txt", "b.txt", "c.txt"]
    for name, text in (("a.txt", "new a.txt"), ("b.txt", "new b.txt"), ("c.txt", "kept c")):
        assert recorded[name] == {"bytes": len(text),
                                  "sha256": hashlib.sha256(text.encode()).hexdigest()}
    assert check_record(out) == (3, [])
