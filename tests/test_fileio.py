"""Atomic output: nothing is left behind on failure, and files get the usual mode."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from bitext.fileio import atomic_write


def test_failure_leaves_nothing(tmp_path: Path) -> None:
    target = tmp_path / "out.tmx"
    target.write_text("old", encoding="utf-8")
    with pytest.raises(RuntimeError), atomic_write(target) as fh:
        fh.write("half")
        raise RuntimeError("crash")
    assert target.read_text(encoding="utf-8") == "old"
    assert os.listdir(tmp_path) == ["out.tmx"]


def test_mode_follows_umask(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        with atomic_write(tmp_path / "a.txt") as fh:
            fh.write("x")
    finally:
        os.umask(old)
    assert (tmp_path / "a.txt").stat().st_mode & 0o777 == 0o644


def test_gzip_by_extension(tmp_path: Path) -> None:
    import gzip

    with atomic_write(tmp_path / "a.txt.gz") as fh:
        fh.write("héllo\n")
    assert gzip.decompress((tmp_path / "a.txt.gz").read_bytes()).decode("utf-8") == "héllo\n"


def test_existing_mode_is_kept(tmp_path: Path) -> None:
    target = tmp_path / "a.txt"
    target.write_text("old", encoding="utf-8")
    target.chmod(0o640)
    with atomic_write(target) as fh:
        fh.write("new")
    assert target.stat().st_mode & 0o777 == 0o640
    assert target.read_text(encoding="utf-8") == "new"


def test_gzip_output_is_reproducible(tmp_path: Path) -> None:
    for name in ("a.txt.gz", "b.txt.gz"):
        with atomic_write(tmp_path / name) as fh:
            fh.write("same\n")
    assert (tmp_path / "a.txt.gz").read_bytes() == (tmp_path / "b.txt.gz").read_bytes()


def test_symlink_target_is_written_and_link_kept(tmp_path: Path) -> None:
    (tmp_path / "real.txt").write_text("old", encoding="utf-8")
    (tmp_path / "link.txt").symlink_to("real.txt")
    with atomic_write(tmp_path / "link.txt") as fh:
        fh.write("new")
    assert (tmp_path / "link.txt").is_symlink()
    assert (tmp_path / "real.txt").read_text(encoding="utf-8") == "new"


def test_failure_on_a_symlink_keeps_target(tmp_path: Path) -> None:
    (tmp_path / "real.txt").write_text("old", encoding="utf-8")
    (tmp_path / "link.txt").symlink_to("real.txt")
    with pytest.raises(RuntimeError), atomic_write(tmp_path / "link.txt") as fh:
        fh.write("half")
        raise RuntimeError("crash")
    assert (tmp_path / "real.txt").read_text(encoding="utf-8") == "old"
    assert sorted(os.listdir(tmp_path)) == ["link.txt", "real.txt"]


def test_a_link_to_a_missing_folder_makes_no_folder_there(tmp_path: Path) -> None:
    # -o NEW/out.tsv makes NEW; a link's target is someone else's path: writing
    # through a dangling link to /nowhere/x.tsv made the folder /nowhere there.
    from bitext.errors import ExportError

    (tmp_path / "link.tsv").symlink_to(tmp_path / "nowhere" / "x.tsv")
    with pytest.raises(ExportError, match=r"link\.tsv is a symbolic link to .*nowhere.x\.tsv"
                       r", in a folder that does not exist; .*remove the link"), \
            atomic_write(tmp_path / "link.tsv") as fh:
        fh.write("new")
    assert sorted(os.listdir(tmp_path)) == ["link.tsv"]
    (tmp_path / "nowhere").mkdir()
    with atomic_write(tmp_path / "link.tsv") as fh:  # its folder there: written through
        fh.write("new")
    assert (tmp_path / "nowhere" / "x.tsv").read_text(encoding="utf-8") == "new"


@pytest.mark.parametrize(("path", "kind"), [("-", "stdout"), ("/dev/null", "through"),
                                            ("/dev/stdout", "through")])
def test_output_kind_of_streams(path: str, kind: str) -> None:
    from bitext.fileio import output_kind

    assert output_kind(path) == kind


def test_output_kind_of_files(tmp_path: Path) -> None:
    from bitext.errors import ExportError
    from bitext.fileio import output_kind

    os.mkfifo(tmp_path / "fifo")
    assert output_kind(tmp_path / "fifo") == "through"
    assert output_kind(tmp_path / "new.txt") == "replace"
    with pytest.raises(ExportError, match="folder"):
        output_kind(tmp_path)


def test_write_error_becomes_export_error() -> None:
    from bitext.errors import ExportError

    with pytest.raises(ExportError, match="disk is full"), atomic_write("/dev/full") as fh:
        fh.write("x" * 100_000)


def test_protect_inputs_refuses_the_same_file(tmp_path: Path) -> None:
    from bitext.errors import ConfigError
    from bitext.fileio import protect_inputs

    src = tmp_path / "in.txt"
    src.write_text("keep", encoding="utf-8")
    (tmp_path / "alias.txt").symlink_to("in.txt")
    with pytest.raises(ConfigError, match="is an input"), protect_inputs([src], [src]):
        pass
    with protect_inputs([src]):
        with pytest.raises(ConfigError, match="is an input"), \
                atomic_write(tmp_path / "alias.txt") as fh:
            fh.write("lost")
        with atomic_write(tmp_path / "other.txt") as fh:
            fh.write("fine")
    # Outside the block the guard is gone (a library caller may overwrite freely).
    with atomic_write(src) as fh:
        fh.write("replaced")
    assert src.read_text(encoding="utf-8") == "replaced"


def test_an_output_is_checked_against_the_inputs_at_once_not_one_by_one(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A collection protects every document's files (1,462 for 731 UN documents)
    and checks each file it writes, the ledger line of every document among them:
    compared one by one, the run's checks grew with the square of its documents
    (86,307 documents: some 10^10 comparisons in the driver). Counted here as
    comparisons of identities, not timed."""
    from bitext.errors import ConfigError
    from bitext.fileio import check_not_input, guard, protect_inputs

    compared = []

    class Counted(tuple):  # type: ignore[type-arg]
        def __eq__(self, other: object) -> bool:
            compared.append(1)
            return tuple.__eq__(self, other)

        __hash__ = tuple.__hash__

    ids = {f"in{n}.txt": Counted((1, n)) for n in range(2000)}
    ids["out.txt"] = Counted((1, 5000))
    ids["alias.txt"] = Counted((1, 1999))
    monkeypatch.setattr(guard, "file_identity", lambda path: ids.get(Path(path).name))
    with protect_inputs([tmp_path / name for name in ids if name.startswith("in")]):
        compared.clear()
        check_not_input(tmp_path / "out.txt")
        assert len(compared) <= 2
        with pytest.raises(ConfigError, match=r"the same file as the input .*in1999\.txt"):
            check_not_input(tmp_path / "alias.txt")


def test_clean_stale_temps_only_ours_and_only_stale(tmp_path: Path) -> None:
    import time

    from bitext.fileio.write import STALE_AFTER_S, _host_tag, clean_stale_temps

    host = _host_tag()
    dead = tmp_path / f".x.bitext-{host}-99999999-aaaa.tmp"
    live = tmp_path / f".x.bitext-{host}-{os.getpid()}-bbbb.tmp"
    remote = tmp_path / ".x.bitext-0badc0de-1-cccc.tmp"
    old_remote = tmp_path / ".x.bitext-0badc0de-2-dddd.tmp"
    foreign = tmp_path / ".x.eeee.tmp"
    for p in (dead, live, remote, old_remote, foreign):
        p.write_text("half", encoding="utf-8")
    long_ago = time.time() - STALE_AFTER_S - 60
    os.utime(old_remote, (long_ago, long_ago))
    os.utime(foreign, (long_ago, long_ago))
    removed = clean_stale_temps(tmp_path)
    assert sorted(removed) == sorted([dead, old_remote])
    assert live.exists() and remote.exists() and foreign.exists()


@pytest.mark.parametrize("name", ["a" * 246 + ".tsv",  # 250 bytes
                                  "委" * 83 + ".txt",  # 253 bytes, cut inside a character
                                  os.fsdecode(b"\xff" * 250 + b".tsv")])  # not UTF-8
def test_a_long_output_name_the_file_system_takes_is_written(tmp_path: Path,
                                                            name: str) -> None:
    """A name within NAME_MAX (255 bytes) failed with 'File name too long': the
    temporary file's name added about 40 bytes to it (a document folder named
    by a long Chinese title names its outputs)."""
    from bitext.fileio.write import clean_stale_temps

    target = tmp_path / name
    with atomic_write(target) as fh:
        fh.write("data")
    assert target.read_text(encoding="utf-8") == "data"
    assert os.listdir(tmp_path) == [name]
    from bitext.fileio.write import temp_prefix

    temp = tmp_path / f"{temp_prefix(name)}dead.tmp"
    assert len(os.fsencode(temp.name)) <= 255
    temp.write_text("half", encoding="utf-8")
    assert clean_stale_temps(tmp_path) == []  # ours, and this process is alive


def test_read_lines_reports_damage(tmp_path: Path) -> None:
    import gzip

    from bitext.errors import InputError
    from bitext.fileio import read_lines

    (tmp_path / "a.gz").write_bytes(gzip.compress(b"one\ntwo\n")[:-5])
    with pytest.raises(InputError, match="cannot decompress"):
        list(read_lines(tmp_path / "a.gz"))
    (tmp_path / "b.txt").write_bytes(b"ok\n\xff\xfe\n")
    with pytest.raises(InputError, match=r"b.txt:2: not UTF-8"):
        list(read_lines(tmp_path / "b.txt"))
    (tmp_path / "c.txt").write_bytes(b"\xef\xbb\xbfone\r\ntwo")
    assert list(read_lines(tmp_path / "c.txt")) == ["one", "two"]


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-be"])
def test_a_utf16_file_says_what_it_is_and_how_to_save_it(tmp_path: Path, codec: str) -> None:
    """A spreadsheet's "Unicode text" (a --manifest, a gold TSV) is UTF-16 with a
    byte-order mark; it was 'not UTF-8 text (byte 1 of the line)', which does
    not say what the file is nor how to save it."""
    from bitext.errors import InputError
    from bitext.fileio import read_lines

    path = tmp_path / "manifest.tsv"
    text = "id\tzh\ten\r\na\tzh.txt\ten.txt\r\n"
    path.write_bytes(text.encode(codec) if codec == "utf-16" else
                     b"\xfe\xff" + text.encode(codec))
    with pytest.raises(InputError, match=r"manifest.tsv: UTF-16 text .*save it as UTF-8"):
        list(read_lines(path))


# -- what kind of file: one sniffer for documents, memories, glossaries, validate --


@pytest.mark.parametrize(("name", "kind"), [
    ("report.PDF", "pdf"), ("a/b.zh.docx", "zip"), ("m.tmx.gz", "tmx"), ("t.tbx", "tbx"),
    ("job.sdlxliff", "xliff"), ("c.jsonl.gz", "jsonl"), ("g.csv", "csv"), ("g.tab", "tsv"),
    ("en.txt", "text"), ("README", None), ("x.gz", None)])
def test_kind_by_name(name: str, kind: str | None) -> None:
    from bitext.fileio.sniff import by_name

    assert by_name(name) == kind


@pytest.mark.parametrize(("head", "kind"), [
    (b"%PDF-1.7\n", "pdf"), (b"PK\x03\x04rest", "zip"), (b"\xd0\xcf\x11\xe0", "ole"),
    (b"{\\rtf1\\ansi", "rtf"),
    (b'\xef\xbb\xbf<?xml version="1.0"?>\n<!DOCTYPE tmx SYSTEM "tmx14.dtd">\n<tmx', "tmx"),
    (b'<?xml version="1.0"?><tbx type="TBX-Basic"', "tbx"), (b"<martif type='TBX'>", "tbx"),
    (b'<xliff version="2.0">', "xliff"), (b'  {"src": "a"}\n', "jsonl"),
    (b"<p>an HTML page</p>", None), (b"Plain text.\n", None), (b"", None)])
def test_kind_by_content(head: bytes, kind: str | None) -> None:
    from bitext.fileio.sniff import by_content

    assert by_content(head) == kind


def test_every_reader_asks_the_one_sniffer(tmp_path: Path) -> None:
    """A TMX, a TBX and a TSV under names that say nothing are told apart the same
    way by the memory reader, the glossary reader and validate."""
    import gzip

    from bitext.commands.validate import _format
    from bitext.fileio.sniff import read_head
    from bitext.glossary.formats import _sniff
    from bitext.glossary.memories import memory_format

    tmx = tmp_path / "memory.data"
    with gzip.open(tmx, "wb") as fh:
        fh.write(b'<?xml version="1.0"?>\n<tmx version="1.4"><header/></tmx>\n')
    tbx = tmp_path / "glossary.data"
    tbx.write_bytes(b'<?xml version="1.0"?>\n<tbx type="TBX-Basic"></tbx>\n')
    tsv = tmp_path / "pairs.data"
    tsv.write_bytes("zh\ten\n\u4e00\tone\n".encode())
    assert memory_format(tmx) == "tmx" and _format(str(tmx), read_head(tmx)) == "tmx"
    assert _sniff(tbx) == "tbx" and _format(str(tbx), read_head(tbx)) == "tbx"
    assert memory_format(tsv) == "tsv" and _sniff(tsv) == "tsv"


def test_deferred_folder_syncs_sync_each_folder_once_at_the_end(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from bitext.fileio import write

    synced: list[Path] = []
    monkeypatch.setattr(write, "_fsync_dir", synced.append)
    with atomic_write(tmp_path / "a.txt") as fh:
        fh.write("a")
    assert synced == [tmp_path]  # outside a block: at once
    synced.clear()
    with write.folder_syncs_deferred():
        for name in ("b.txt", "c.txt", "sub/d.txt"):
            with atomic_write(tmp_path / name) as fh:
                fh.write(name)
        # nested: the outer block syncs
        with write.folder_syncs_deferred(), atomic_write(tmp_path / "e.txt") as fh:
            fh.write("e")
        assert synced == []
    assert (tmp_path / "sub" / "d.txt").read_text(encoding="utf-8") == "sub/d.txt"
    assert synced == [tmp_path, tmp_path / "sub"]
    with pytest.raises(RuntimeError), write.folder_syncs_deferred():
        with atomic_write(tmp_path / "f.txt") as fh:
            fh.write("f")
        raise RuntimeError("crash after a rename")
    assert synced[-1] == tmp_path  # what was renamed is still made durable


def test_deferred_files_are_synced_together_then_put_in_place(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """In a deferred block each file is fsync'ed beside the others at the block's
    end (one journal commit for a document's outputs, where one after another
    each waited for its own), then renamed, then its folder fsync'ed: a file is
    never in place before its bytes are on the disk."""
    import threading

    from bitext.fileio import write

    (tmp_path / "b.txt").write_text("old b", encoding="utf-8")
    names = ("a.txt", "b.txt", "c.txt.gz")
    together = threading.Barrier(len(names), timeout=3)  # broken if synced one by one
    events: list[str] = []
    real_fsync, real_replace = os.fsync, os.replace

    def fsync(fd: int) -> None:
        if os.path.isfile(f"/proc/self/fd/{fd}"):
            together.wait()
        real_fsync(fd)
        events.append("fsync")

    def replace(src: str, dst: str | Path) -> None:
        events.append(f"rename {Path(dst).name}")
        real_replace(src, dst)

    monkeypatch.setattr(write.os, "fsync", fsync)
    monkeypatch.setattr(write.os, "replace", replace)
    monkeypatch.setattr(write, "_fsync_dir", lambda folder: events.append("folder"))
    with write.folder_syncs_deferred():
        for name in names:
            with atomic_write(tmp_path / name, "w") as fh:
                fh.write(name)
        # written, not yet in place: the old file is still there
        assert (tmp_path / "b.txt").read_text(encoding="utf-8") == "old b"
        assert not (tmp_path / "a.txt").exists()
    assert events == ["fsync"] * 3 + [f"rename {n}" for n in names] + ["folder"]
    assert (tmp_path / "a.txt").read_text(encoding="utf-8") == "a.txt"
    assert (tmp_path / "b.txt").read_text(encoding="utf-8") == "b.txt"
    import gzip

    assert gzip.decompress((tmp_path / "c.txt.gz").read_bytes()) == b"c.txt.gz"
    assert sorted(os.listdir(tmp_path)) == sorted(names)


def test_a_deferred_file_that_cannot_be_synced_leaves_the_old_files(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A full disk found at the block's end: no file of the block is put in place,
    no temporary file stays, and the Error names the file."""
    from bitext.errors import DiskFullError
    from bitext.fileio import write

    (tmp_path / "a.txt").write_text("old a", encoding="utf-8")
    real_fsync = os.fsync

    def fsync(fd: int) -> None:
        if ".b.txt." in os.path.realpath(f"/proc/self/fd/{fd}"):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        real_fsync(fd)

    monkeypatch.setattr(write.os, "fsync", fsync)
    with pytest.raises(DiskFullError, match=r"b\.txt"), write.folder_syncs_deferred():
        for name in ("a.txt", "b.txt"):
            with atomic_write(tmp_path / name) as fh:
                fh.write("new")
    assert sorted(os.listdir(tmp_path)) == ["a.txt"]
    assert (tmp_path / "a.txt").read_text(encoding="utf-8") == "old a"


class _Signal(BaseException):
    """Stands for the exception a signal handler raises (KeyboardInterrupt, the
    CLI's SIGTERM/SIGHUP exception)."""


@pytest.mark.parametrize("stage", ["open", "fdopen"])
def test_a_signal_right_after_the_temporary_file_is_created_leaves_nothing(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, stage: str) -> None:
    # A signal that other threads receive (BLAS and encoder threads do not block
    # it) runs its Python handler in the main thread at any bytecode, even while
    # the main thread blocks it: here, just after the temporary file exists.
    import bitext.fileio.write as write

    real_open, real_fdopen = os.open, os.fdopen

    def open_then_signal(path: str, flags: int, mode: int = 0o777, **kw: object) -> int:
        fd = real_open(path, flags, mode)
        if flags & os.O_CREAT and ".tmp" in os.fspath(path):
            raise _Signal
        return fd

    def fdopen_signal(fd: int, *args: object, **kw: object) -> object:
        raise _Signal

    if stage == "open":
        monkeypatch.setattr(os, "open", open_then_signal)
    else:
        monkeypatch.setattr(write.os, "fdopen", fdopen_signal)
    out = tmp_path / "out.txt"
    out.write_text("old\n")
    with pytest.raises(_Signal), atomic_write(out) as fh:
        fh.write("new\n")
    monkeypatch.setattr(os, "open", real_open)
    monkeypatch.setattr(write.os, "fdopen", real_fdopen)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.txt"]
    assert out.read_text() == "old\n"


def test_a_bounded_read_names_the_limit_it_was_given(tmp_path: Path) -> None:
    """A stream read in whole (a document) and a stream read as it comes (a TMX)
    stop at the same budget with the same Error: the limit the caller gave
    (--max-input-mb 1 reads at most 4 MB: UTF-32 at the limit), not the default."""
    import io

    from bitext.errors import InputError
    from bitext.fileio.read import open_binary, read_bounded

    budget = 4_000_000
    assert read_bounded(io.BytesIO(b"x" * budget), "s", budget) == b"x" * budget
    with pytest.raises(InputError, match="more than the limit of 1 MB"):
        read_bounded(io.BytesIO(b"x" * (budget + 1)), "s", budget)
    os.mkfifo(tmp_path / "fifo")
    pid = os.fork()
    if pid == 0:  # the writer: more than the budget, then the end
        try:
            with open(tmp_path / "fifo", "wb") as fh:
                fh.write(b"x" * (budget + (1 << 20)))
        finally:
            os._exit(0)
    try:
        with pytest.raises(InputError, match="more than the limit of 1 MB"), \
                open_binary(tmp_path / "fifo", max_bytes=budget) as fh:
            fh.read()
    finally:
        os.kill(pid, 9)
        os.waitpid(pid, 0)


@pytest.mark.parametrize("code", [errno.EROFS, errno.EACCES, errno.EIO])
def test_a_failed_write_says_what_the_system_said_once_then_what_to_do(code: int) -> None:
    from bitext.fileio.write import export_error

    message = str(export_error("out/a.tmx", OSError(code, os.strerror(code))))
    said = os.strerror(code).lower()
    assert message.lower().count(said) == 1, message
    assert message.startswith("cannot write out/a.tmx: ")
    assert "elsewhere" in message or "check the disk" in message


def test_a_json_line_nested_deeper_than_the_stack_is_one_error() -> None:
    from bitext.errors import InputError
    from bitext.fileio.read import json_object

    deep = '{"a": ' + "[" * 100_000 + "]" * 100_000 + "}"  # json.loads: RecursionError
    with pytest.raises(InputError, match=r"f.jsonl:3: not a JSON object \(nested too deep"):
        json_object(deep, "f.jsonl:3")


def test_a_json_line_with_a_number_past_the_digit_limit_is_one_error() -> None:
    """json.loads raises a ValueError that is not a JSONDecodeError for an integer
    of more than 4,300 digits (Python's conversion limit): bitext filter printed
    its traceback."""
    from bitext.errors import InputError
    from bitext.fileio.read import json_object

    with pytest.raises(InputError, match=r"f.jsonl:2: not a JSON object \(a number of more"):
        json_object('{"score": 1' + "0" * 5000 + "}", "f.jsonl:2")


def test_replayable_lines_keeps_a_stream_within_its_budget(tmp_path, monkeypatch) -> None:
    import io
    import sys

    import bitext.limits
    from bitext.errors import InputError
    from bitext.fileio import replayable_lines

    regular = tmp_path / "a.jsonl"
    regular.write_text("a\nb\n", encoding="utf-8")
    again = replayable_lines(regular)
    assert list(again()) == list(again()) == ["a", "b"]

    class Stdin:
        buffer = io.BytesIO(b"one\ntwo\n")

    monkeypatch.setattr(sys, "stdin", Stdin)
    again = replayable_lines("-")
    assert list(again()) == list(again()) == ["one", "two"]

    Stdin.buffer = io.BytesIO(b"x" * 50 + b"\n" + b"y" * 50 + b"\n")
    monkeypatch.setattr(bitext.limits, "stream_budget", lambda *a: 80)
    with pytest.raises(InputError, match="save it to a file first"):
        replayable_lines("-")


@pytest.mark.parametrize("name", ["t.tsv", "t.tsv.gz"])
def test_lines_end_at_lf_crlf_or_a_lone_cr_everywhere(tmp_path: Path, name: str) -> None:
    """One definition of a line for every text reader (fileio.LINE_END): LF, CRLF
    or a lone CR (classic Mac OS, Excel for Mac's "CSV (Macintosh)"), never
    U+2028, NEL or a form feed, which a cell or a sentence may hold. read_lines
    kept the CR of a CRLF line and read a CR-only file as one line."""
    import gzip

    from bitext.fileio import read_lines, read_text, record_lines

    text = "a\tb\rc\u2028d\r\ne\x85f\x0cg\nh\r"
    want = ["a\tb", "c\u2028d", "e\x85f\x0cg", "h"]
    assert record_lines(text) == want
    data = text.encode("utf-8")
    (tmp_path / name).write_bytes(gzip.compress(data) if name.endswith(".gz") else data)
    assert list(read_lines(tmp_path / name)) == want
    assert record_lines(read_text(tmp_path / name)) == want
    assert record_lines("a\r\r\n\rb") == ["a", "", "", "b"]
    (tmp_path / "u.txt").write_bytes(b"a\r\r\n\rb\r\r")
    assert list(read_lines(tmp_path / "u.txt")) == ["a", "", "", "b", ""]


@pytest.mark.parametrize(("text", "at"), [
    ("plain", None), ("accented é and 委员会", None), ("astral \U0001F600", None),
    ("name\udcff", 4),  # a byte of a name that is not UTF-8 (surrogate escape)
    ("\ud800 alone", 0), ("a\udc00b\ud800", 1),  # half a character (a JSON escape)
])
def test_surrogate_at_names_the_first_character_utf8_cannot_write(text: str,
                                                                   at: int | None) -> None:
    """The one check batch, build, the TMX reader and the review app make of a
    name or text before it goes into a UTF-8 output."""
    from bitext.fileio.read import surrogate_at

    assert surrogate_at(text) == at


@pytest.mark.parametrize(("end", "number"), [(b"", 4), (b"\r", 5)])
def test_read_lines_says_a_file_cut_inside_a_character(tmp_path: Path, end: bytes,
                                                       number: int) -> None:
    """A JSONL (or TSV) cut inside its last character, as a copy or a download
    cut short leaves it: 'FILE:71: not UTF-8 text (byte 182 of the line); is
    this the right file?' (filter, eval, glossary --memory); it says the file
    ends inside a character and is not whole. A bad byte inside a line, or
    inside a last line that goes on, is still 'not UTF-8 text'."""
    from bitext.errors import InputError
    from bitext.fileio import read_lines

    line = '{"zh": "委员会", "en": "The Committee"}\n'.encode()
    cut = tmp_path / "cut.jsonl"
    cut.write_bytes(line * 3 + end + '{"zh": "委'.encode()[:-1])
    with pytest.raises(InputError, match=rf"cut\.jsonl:{number}: the file ends in the middle "
                                         r"of a character \(byte 9 of its last line"):
        list(read_lines(cut))
    inside = tmp_path / "inside.jsonl"
    inside.write_bytes(line + '{"zh": "委'.encode()[:-1] + b'"}')
    with pytest.raises(InputError, match=r"inside\.jsonl:2: not UTF-8 text \(byte 9"):
        list(read_lines(inside))
