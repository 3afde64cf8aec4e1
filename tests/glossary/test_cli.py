"""``bitext glossary``: thin wrapper, clean errors."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path
from typing import Any

import pytest

from bitext.cli import main
from bitext.glossary import read_glossary, validate_tbx

from .conftest import SAMPLE


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    try:
        main(argv)
        code = 0
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def gold_jsonl(tmp_path: Path) -> Path:
    path = tmp_path / "aligned.jsonl"
    with path.open("w", encoding="utf-8") as fh:
        for n, (zh, en) in enumerate(SAMPLE, 1):
            fh.write(json.dumps({"id": n, "para": str(n), "zh": [zh], "en": [en]},
                                ensure_ascii=False) + "\n")
    return path


@pytest.fixture
def documents(tmp_path: Path) -> tuple[Path, Path]:
    zh = tmp_path / "zh.txt"
    en = tmp_path / "en.txt"
    zh.write_text("\n\n".join(f"{n}. {z}" for n, (z, _) in enumerate(SAMPLE, 1)) + "\n",
                  encoding="utf-8")
    en.write_text("\n\n".join(f"{n}. {e}" for n, (_, e) in enumerate(SAMPLE, 1)) + "\n",
                  encoding="utf-8")
    return zh, en


def test_from_alignment_file(tmp_path: Path, gold_jsonl: Path,
                             capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "terms.tbx"
    code, stdout, err = run(["glossary", "--alignment", str(gold_jsonl), "-o", str(out)], capsys)
    assert code == 0, err
    assert stdout == ""
    assert err.strip().endswith("concepts (tbx)")
    assert validate_tbx(out) == []
    assert {"会员国", "疾病监测"} <= {c.zh for c in read_glossary(out)}


def test_format_options(tmp_path: Path, gold_jsonl: Path,
                        capsys: pytest.CaptureFixture[str]) -> None:
    code, stdout, _ = run(["glossary", "--alignment", str(gold_jsonl), "-o", "-",
                           "--format", "csv", "--top", "2", "--min-freq", "3"], capsys)
    assert code == 0
    lines = stdout.splitlines()
    assert lines[0].startswith("id,zh,en,") and len(lines) == 3
    legacy = tmp_path / "omegat.tbx"
    code, _, _ = run(["glossary", "--alignment", str(gold_jsonl), "-o", str(legacy),
                      "--format", "tbx2"], capsys)
    assert code == 0 and b"<martif" in legacy.read_bytes()


def test_aligns_documents(tmp_path: Path, documents: tuple[Path, Path],
                          capsys: pytest.CaptureFixture[str]) -> None:
    zh, en = documents
    out = tmp_path / "terms.tsv"
    code, _, err = run(["glossary", str(zh), str(en), "-o", str(out), "--encoder", "length"],
                       capsys)
    assert code == 0, err
    assert "会员国" in {c.zh for c in read_glossary(out)}


@pytest.mark.parametrize("args", [
    ["missing-zh.txt", "missing-en.txt", "-o", "OUT.tbx"],
    ["--alignment", "missing.jsonl", "-o", "OUT.tbx"],
    ["--alignment", "ALIGNED", "-o", "terms.docx"],
])
def test_user_errors_are_one_line(tmp_path: Path, gold_jsonl: Path, args: list[str],
                                  capsys: pytest.CaptureFixture[str]) -> None:
    args = [a.replace("ALIGNED", str(gold_jsonl)).replace("OUT", str(tmp_path / "t"))
            for a in args]
    code, stdout, err = run(["glossary", *args], capsys)
    assert code == 1
    assert stdout == ""
    assert err.startswith("Error: ") and err.count("\n") == 1
    assert "Traceback" not in err
    assert not (tmp_path / "t.tbx").exists()


def test_bad_alignment_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text("not json\n", encoding="utf-8")
    code, _, err = run(["glossary", "--alignment", str(bad), "-o", str(tmp_path / "t.tbx")],
                       capsys)
    assert code == 1 and err.startswith("Error: ") and "bad.jsonl:1" in err


def test_usage_errors(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["glossary", "-o", "t.tbx"], capsys)
    assert code == 2 and "--alignment" in err
    code, _, _ = run(["glossary", "--alignment", "x.jsonl", "-o", "t.tbx", "--min-freq", "0"],
                     capsys)
    assert code == 2


def test_help(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["glossary", "--help"], capsys)
    assert code == 0
    for word in ("tbx2", "--min-freq", "--alignment", "--encoder", "OmegaT"):
        assert word in out


class _ClosedPipe(io.RawIOBase):
    """A stdout whose reader went away (``bitext glossary ... -o - | head``)."""

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        raise BrokenPipeError(32, "Broken pipe")


@pytest.mark.parametrize("fmt", ["tbx", "tbx2", "csv", "tsv"])
def test_a_closed_pipe_ends_quietly_as_in_every_command(
        gold_jsonl: Path, fmt: str, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """A glossary sent to a pipe its reader closed exits 141 and says nothing, as
    segment, align and build do (test_bad_input's broken-pipe test): the TBX
    and table writers made it 'Error: cannot write -: Broken pipe', exit 1."""
    monkeypatch.setattr(sys, "stdout", io.TextIOWrapper(io.BufferedWriter(_ClosedPipe()),
                                                        encoding="utf-8"))
    code, _, err = run(["glossary", "--alignment", str(gold_jsonl), "-o", "-",
                        "--format", fmt], capsys)
    assert (code, err.strip()) == (141, ""), err
