"""The bad-input corpus: what a hostile or unlucky user can give bitext.

Every case runs the real command line in a subprocess, in a fresh folder, and
checks the promises of the README's "Limits and failure behaviour" section:

* the exit code;
* on failure exactly one ``Error:`` line on stderr and no traceback;
* no partial output and no temporary file left behind;
* every file that existed before (inputs, links, FIFOs) is intact afterwards:
  same bytes, same inode, same mode, same link target.

Cases that need a live process (signals, pipes, FIFOs, concurrency) are
separate tests further down.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import signal
import socket
import stat
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

BITEXT = [sys.executable, "-m", "bitext"]
ENV = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}

EN = (
    "1. The Committee met on 3 May 2016 in Vienna. It adopted its agenda.\n\n"
    "2. The Secretariat presented the report on crime prevention. Several speakers "
    "welcomed it.\n\n"
    "3. The Committee decided to hold its next session in 2017.\n"
)
ZH = (
    "1. 委员会于2016年5月3日在维也纳举行会议。委员会通过了议程。\n\n"
    "2. 秘书处介绍了关于预防犯罪的报告。若干发言者对此表示欢迎。\n\n"
    "3. 委员会决定于2017年举行下一届会议。\n"
)


def run(args: list[str], cwd: Path, timeout: float = 120,
        **kw: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*BITEXT, *args], cwd=cwd, capture_output=True, text=True,
                          timeout=timeout, env=ENV, stdin=subprocess.DEVNULL, **kw)  # type: ignore[call-overload]


def snapshot(root: Path) -> dict[str, tuple[object, ...]]:
    """Every path under ``root`` with its type, inode, mode and content or link target."""
    out: dict[str, tuple[object, ...]] = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in [*dirnames, *filenames]:
            path = os.path.join(dirpath, name)
            st = os.lstat(path)
            entry: tuple[object, ...] = (stat.S_IFMT(st.st_mode), st.st_ino,
                                         stat.S_IMODE(st.st_mode))
            if stat.S_ISREG(st.st_mode):
                entry += (hashlib.sha256(Path(path).read_bytes()).hexdigest(),)
            elif stat.S_ISLNK(st.st_mode):
                entry += (os.readlink(path),)
            out[os.path.relpath(path, root)] = entry
    return out


def error_line(res: subprocess.CompletedProcess[str]) -> str:
    """The one ``Error:`` line of a failed run (asserting there is exactly one)."""
    assert "Traceback" not in res.stderr, res.stderr
    lines = [ln for ln in res.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1, res.stderr
    assert lines[0].startswith("Error: "), res.stderr
    return lines[0]


@dataclass(frozen=True)
class Case:
    """One bad input: ``setup`` makes files in the folder and returns the arguments."""

    name: str
    setup: Callable[[Path], list[str]]
    code: int = 1
    message: str = ""  # a part of the Error line (lower case)
    #: paths (relative) that a successful run may create or change
    changes: tuple[str, ...] = ()
    check: Callable[[Path], None] | None = None
    extra: dict[str, object] = field(default_factory=dict)


def _texts(d: Path) -> None:
    (d / "en.txt").write_text(EN, encoding="utf-8")
    (d / "zh.txt").write_text(ZH, encoding="utf-8")


def _with(files: dict[str, bytes | str], args: list[str],
          more: Callable[[Path], None] | None = None) -> Callable[[Path], list[str]]:
    def setup(d: Path) -> list[str]:
        _texts(d)
        for name, data in files.items():
            p = d / name
            p.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(data, str):
                p.write_text(data, encoding="utf-8")
            else:
                p.write_bytes(data)
        if more is not None:
            more(d)
        return args
    return setup


def _link(name: str, target: str) -> Callable[[Path], None]:
    return lambda d: os.symlink(target, d / name)


def _hardlink(name: str, target: str) -> Callable[[Path], None]:
    return lambda d: os.link(d / target, d / name)


def _tmx_gz(d: Path) -> bytes:
    """A small valid .tmx.gz made by bitext itself."""
    _texts(d)
    res = run(["align", "zh.txt", "en.txt", "--encoder", "length", "-o", "ok.tmx"], d)
    assert res.returncode == 0, res.stderr
    data = gzip.compress((d / "ok.tmx").read_bytes(), mtime=0)
    (d / "ok.tmx").unlink()
    return data


def _gz_case(mangle: Callable[[bytes], bytes]) -> Callable[[Path], list[str]]:
    def setup(d: Path) -> list[str]:
        (d / "bad.tmx.gz").write_bytes(mangle(_tmx_gz(d)))
        return ["validate", "bad.tmx.gz"]
    return setup


def _flip(data: bytes, at: int) -> bytes:
    b = bytearray(data)
    b[at] ^= 0xFF
    return bytes(b)


def _dev_null_intact(_: Path) -> None:
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


def _link_kept(name: str, target: str) -> Callable[[Path], None]:
    def check(d: Path) -> None:
        assert os.readlink(d / name) == target
        assert (d / target).read_text(encoding="utf-8").startswith('{"kind"')
    return check


def _socket(d: Path) -> None:
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(d / "sock"))
    sock.close()  # the socket file stays


BINARY = bytes(range(255, -1, -1)) * 8  # starts with bytes UTF-8 never uses

CASES = [
    # -- outputs that are inputs (the input must survive) ---------------------
    Case("segment -o INPUT", _with({}, ["segment", "en.txt", "-o", "en.txt"]), 1, "is an input"),
    Case("segment -o ./INPUT", _with({}, ["segment", "en.txt", "-o", "./en.txt"]), 1,
         "is an input"),
    Case("segment -o hard link to INPUT",
         _with({}, ["segment", "en.txt", "-o", "h.txt"], _hardlink("h.txt", "en.txt")), 1,
         "is an input"),
    Case("segment -o symlink to INPUT",
         _with({}, ["segment", "en.txt", "-o", "l.txt"], _link("l.txt", "en.txt")), 1,
         "is an input"),
    Case("align -o TGT (tsv)",
         _with({}, ["align", "zh.txt", "en.txt", "--format", "tsv", "-o", "en.txt"]), 1,
         "is an input"),
    Case("align -o SRC (tmx)",
         _with({}, ["align", "zh.txt", "en.txt", "--format", "tmx", "-o", "zh.txt"]), 1,
         "is an input"),
    Case("align moses stem whose language file is an input",
         _with({"c.zh": ZH, "c.en": EN},
               ["align", "c.zh", "c.en", "--encoder", "length", "-o", "c.moses"]),
         1, "is an input"),
    Case("glossary -o --alignment file",
         _with({"a.jsonl": '{"zh": ["委员会"], "en": ["Committee"]}\n'},
               ["glossary", "--alignment", "a.jsonl", "--format", "tsv", "-o", "a.jsonl"]),
         1, "is an input"),
    Case("glossary -o SRC", _with({}, ["glossary", "zh.txt", "en.txt", "--format", "tsv",
                                       "-o", "zh.txt"]), 1, "is an input"),
    Case("build: an output name in OUT links to an input",
         _with({}, ["build", "corpus", "-o", "out", "--encoder", "length", "--no-glossary"],
               lambda d: (
                   (d / "corpus").mkdir(),
                   (d / "corpus" / "zh.txt").write_text(ZH, encoding="utf-8"),
                   (d / "corpus" / "en.txt").write_text(EN, encoding="utf-8"),
                   (d / "out").mkdir(),
                   os.symlink("../corpus/zh.txt", d / "out" / "zh.segments.jsonl"),
               )),
         1, "is an input"),
    # -- outputs that are not regular files -----------------------------------
    Case("-o /dev/null is written through, not replaced",
         _with({}, ["segment", "en.txt", "-o", "/dev/null"]), 0, check=_dev_null_intact),
    Case("-o /dev/full: disk full", _with({}, ["segment", "en.txt", "-o", "/dev/full"]), 1,
         "disk is full"),
    Case("-o an existing folder", _with({"d/keep": "x"}, ["segment", "en.txt", "-o", "d"]), 1,
         "is a folder"),
    Case("-o a path under a file", _with({}, ["segment", "en.txt", "-o", "en.txt/x.jsonl"]), 1,
         "not a folder"),
    Case("-o a socket", _with({}, ["segment", "en.txt", "-o", "sock"], _socket), 1,
         "socket"),
    Case("-o a dangling symlink writes its target and keeps the link",
         _with({}, ["segment", "en.txt", "-o", "l.jsonl"], _link("l.jsonl", "t.jsonl")), 0,
         changes=("t.jsonl",), check=_link_kept("l.jsonl", "t.jsonl")),
    Case("-o a symlink to a file replaces the target and keeps the link",
         _with({"t.jsonl": "old\n"}, ["segment", "en.txt", "-o", "l.jsonl"],
               _link("l.jsonl", "t.jsonl")), 0,
         changes=("t.jsonl",), check=_link_kept("l.jsonl", "t.jsonl")),
    # -- damaged archives ----------------------------------------------------
    Case("validate a truncated .tmx.gz", _gz_case(lambda b: b[: len(b) // 2]), 1, "truncated"),
    Case("validate a .tmx.gz with a bad CRC", _gz_case(lambda b: _flip(b, len(b) - 6)), 1,
         "checksum"),
    Case("validate a .tmx.gz with damaged data", _gz_case(lambda b: _flip(b, 30)), 1,
         "decompress"),
    Case("validate a gzip header with garbage after it",
         _gz_case(lambda b: b"\x1f\x8b" + b"not gzip at all" * 10), 1, "decompress"),
    # -- binary where text is expected ----------------------------------------
    Case("eval BINARY --corpus DIR",
         _with({"bin.jsonl": BINARY, "corp/gold.sentences.jsonl": '{"zh": [], "en": []}\n'},
               ["eval", "bin.jsonl", "--corpus", "corp"]), 1, "not utf-8"),
    Case("glossary --alignment BINARY",
         _with({"bin.jsonl": BINARY}, ["glossary", "--alignment", "bin.jsonl", "-o", "g.tbx"]),
         1, "not utf-8"),
    Case("eval BINARY GOLD.beads",
         _with({"bin.beads": BINARY, "gold.beads": "[0]:[0]\n"},
               ["eval", "bin.beads", "gold.beads"]), 1, "utf-8"),
]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_bad_input(case: Case, tmp_path: Path) -> None:
    args = case.setup(tmp_path)
    before = snapshot(tmp_path)
    res = run(args, tmp_path)
    assert res.returncode == case.code, (res.returncode, res.stderr)
    assert "Traceback" not in res.stderr, res.stderr
    if case.code == 1:
        assert case.message in error_line(res).lower(), res.stderr
    after = snapshot(tmp_path)
    for path, entry in before.items():
        if path not in case.changes:
            assert after.get(path) == entry, f"{path} was changed"
    new = sorted(set(after) - set(before) - set(case.changes))
    assert not new, f"left behind: {new}"
    if case.check is not None:
        case.check(tmp_path)


# -- cases that need a live process -------------------------------------------


def test_fifo_output_is_written_through(tmp_path: Path) -> None:
    _texts(tmp_path)
    os.mkfifo(tmp_path / "fifo")
    proc = subprocess.Popen([*BITEXT, "segment", "en.txt", "-o", "fifo"], cwd=tmp_path,
                            env=ENV, stderr=subprocess.PIPE, text=True)
    with open(tmp_path / "fifo", encoding="utf-8") as fh:
        got = fh.read()
    assert proc.wait(timeout=60) == 0, proc.stderr.read() if proc.stderr else ""
    assert got.startswith('{"kind"')
    assert stat.S_ISFIFO(os.lstat(tmp_path / "fifo").st_mode)


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs /proc")
def test_ctrl_c_prints_interrupted_and_exits_130(tmp_path: Path) -> None:
    # Input from a FIFO nobody writes to: the command blocks reading it until SIGINT.
    os.mkfifo(tmp_path / "in.txt")
    proc = subprocess.Popen([*BITEXT, "segment", "in.txt", "-o", "out.jsonl"], cwd=tmp_path,
                            env=ENV, stderr=subprocess.PIPE, text=True)
    # Opening a FIFO for reading blocks until a writer comes; the open itself is
    # what we wait for, via the process's /proc entry.
    end = time.monotonic() + 60
    while time.monotonic() < end:
        wchan = Path(f"/proc/{proc.pid}/wchan")
        if wchan.exists() and wchan.read_text(errors="replace") in ("wait_for_partner",
                                                                    "fifo_open"):
            break
        time.sleep(0.05)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert [ln for ln in err.splitlines() if ln.strip()] == ["Interrupted."]
    assert sorted(os.listdir(tmp_path)) == ["in.txt"]


def test_broken_pipe_is_quiet_and_exits_141(tmp_path: Path) -> None:
    big = "".join(f"{n}. The Committee met on {n} May. It adopted the report.\n\n"
                  for n in range(1, 4000))
    (tmp_path / "big.txt").write_text(big, encoding="utf-8")
    proc = subprocess.Popen([*BITEXT, "segment", "big.txt", "-o", "-"], cwd=tmp_path, env=ENV,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.read(10)
    proc.stdout.close()  # what `| head -c 10` does
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=60) == 141, err
    assert err.strip() == "", err


def test_disk_full_during_an_atomic_write(tmp_path: Path) -> None:
    """A file-size limit makes write() fail with EFBIG, as a full disk fails with
    ENOSPC: the old output survives, no temporary file is left."""
    import resource

    _texts(tmp_path)
    (tmp_path / "out.jsonl").write_text("old\n", encoding="utf-8")
    big = "".join(f"{n}. The Committee met on {n} May. It adopted the report.\n\n"
                  for n in range(1, 2000))
    (tmp_path / "big.txt").write_text(big, encoding="utf-8")
    before = snapshot(tmp_path)

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (200_000, 200_000))

    res = subprocess.run([*BITEXT, "segment", "big.txt", "-o", "out.jsonl"], cwd=tmp_path,
                         env=ENV, capture_output=True, text=True, preexec_fn=limit, timeout=120)
    assert res.returncode == 1, res.stderr
    assert "cannot write out.jsonl" in error_line(res)
    assert snapshot(tmp_path) == before


def test_stale_temp_files_of_a_killed_run_are_removed(tmp_path: Path) -> None:
    from bitext.fileio.write import _host_tag

    _texts(tmp_path)
    host = _host_tag()
    # A process id that cannot exist (above the kernel's pid_max).
    dead = tmp_path / f".out.jsonl.bitext-{host}-99999999-abc123.tmp"
    alive = tmp_path / f".out.jsonl.bitext-{host}-{os.getpid()}-abc123.tmp"
    other = tmp_path / ".out.jsonl.abc123.tmp"  # not ours: never touched
    for p in (dead, alive, other):
        p.write_text("half", encoding="utf-8")
    res = run(["segment", "en.txt", "-o", "out.jsonl"], tmp_path)
    assert res.returncode == 0, res.stderr
    assert not dead.exists()
    assert alive.exists() and other.exists()


def test_sigkill_during_a_write_leaves_nothing_that_outlives_the_next_run(
        tmp_path: Path) -> None:
    """kill -9 while the temporary file is open: the next run removes it."""
    _texts(tmp_path)
    # A writer that stalls while its temporary file is open.
    code = ("import sys, time\n"
            "from bitext.fileio import atomic_write\n"
            "with atomic_write('out.jsonl') as fh:\n"
            "    fh.write('half')\n    fh.flush()\n"
            "    print('ready', flush=True)\n    time.sleep(600)\n")
    proc = subprocess.Popen([sys.executable, "-c", code], cwd=tmp_path, env=ENV,
                            stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "ready"
    temps = [p for p in os.listdir(tmp_path) if p.endswith(".tmp")]
    assert len(temps) == 1
    proc.kill()
    proc.wait(timeout=30)
    assert (tmp_path / temps[0]).exists()
    res = run(["segment", "en.txt", "-o", "out.jsonl"], tmp_path)
    assert res.returncode == 0, res.stderr
    assert not [p for p in os.listdir(tmp_path) if p.endswith(".tmp")]
