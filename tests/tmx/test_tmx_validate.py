"""``validate_tmx`` and ``bitext validate``: every rule, with its line number."""

from __future__ import annotations

import gzip
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from bitext.cli import cli, main
from bitext.tmx import ValidationError, validate_tmx, write_alignment
from bitext.types import Alignment

GOOD = """<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4">
  <header creationtool="t" creationtoolversion="1" segtype="sentence" o-tmf="t"
          adminlang="en" srclang="en-GB" datatype="plaintext" creationdate="20161017T090000Z">
    <prop type="x-signature">a:b</prop>
  </header>
  <body>
    <tu tuid="1">
      <prop type="x-score">1.0000</prop>
      <tuv xml:lang="en-GB"><seg>Eighth session</seg></tuv>
      <tuv xml:lang="zh-CN"><seg>第八届会议</seg></tuv>
    </tu>
    <tu tuid="2">
      <tuv xml:lang="en-GB"><seg>Vienna, <hi>17-21</hi> October 2016<ph>{1}</ph></seg></tuv>
      <tuv xml:lang="zh-CN"><seg>2016年10月17日至21日\uff0c维也纳</seg></tuv>
    </tu>
  </body>
</tmx>
"""


def test_good_file(tmp_path: Path) -> None:
    path = tmp_path / "good.tmx"
    path.write_text(GOOD, encoding="utf-8")
    report = validate_tmx(path)
    assert report.ok, report.problems
    assert report.units == 2


# (what to change in GOOD, into what, words in the message, the line blamed).
# Lines of GOOD: 4 header (libxml2 counts the line where a start tag ends),
# 8 first tu, 10/11 its tuvs, 13 second tu.
CASES = [
    ('srclang="en-GB" ', None, "lacks the required attribute srclang", 4),
    ('o-tmf="t"', None, "lacks the required attribute o-tmf", 4),
    ('segtype="sentence"', 'segtype="words"', "segtype='words' is not one of", 4),
    ('creationdate="20161017T090000Z"', 'creationdate="2016-10-17"', "not a UTC date", 4),
    ('creationdate="20161017T090000Z"', 'creationdate="20161317T090000Z"', "not a UTC date", 4),
    ('srclang="en-GB"', 'srclang="en_GB"', "has an underscore", 4),
    ('srclang="en-GB"', 'srclang="fr-FR"', "no tuv's language", 4),
    ('<tuv xml:lang="zh-CN"><seg>第八', '<tuv xml:lang="zh_CN"><seg>第八', "has an underscore", 11),
    ('<tuv xml:lang="zh-CN"><seg>第八', '<tuv><seg>第八', "has no xml:lang", 11),
    ('<tuv xml:lang="zh-CN"><seg>第八', '<tuv lang="zh-CN"><seg>第八', "deprecated lang", 11),
    ('<tuv xml:lang="zh-CN"><seg>第八', '<tuv xml:lang="Chinese"><seg>第八', "not a BCP 47", 11),
    ("<seg>Eighth session</seg>", "<seg> Eighth session</seg>", "leading or trailing", 10),
    ("<seg>第八届会议</seg>", "<seg>第八届会议\n</seg>", "leading or trailing whitespace", 11),
    ("<seg>Eighth session</seg>", "<seg>Eighth\fsession</seg>", "U+000C (form feed)", 10),
    ("<seg>Eighth session</seg>", "<seg>Eighth&#11;session</seg>", "U+000B (vertical tab)", 10),
    ("<seg>Eighth session</seg>", "<seg>Eighth&#xFFFE;</seg>", "U+FFFE (non-character)", 10),
    ("<seg>Eighth session</seg>", "<seg>Eighth\x01session</seg>", "U+0001 (control", 10),
    ("<seg>Eighth session</seg>", "<seg>Eighth session</seg><seg>x</seg>", "2 <seg> elements", 10),
    ("<seg>Eighth session</seg>", "", "0 <seg> elements", 10),
    ("<seg>Eighth session</seg>", "<seg>Eighth <b>session</b></seg>", "<b> is not allowed", 10),
    ('<tu tuid="2">', '<tu tuid="1">', "duplicate tuid '1'", 13),
    ('<prop type="x-score">', "<prop>", "no type attribute", 9),
    ('<prop type="x-score">1.0000</prop>', "<foo/>", "<foo> is not allowed in <tu>", 9),
    ('<tuv xml:lang="en-GB"><seg>Vienna', '<note>n</note><tuv xml:lang="en-GB"><seg>Vienna',
     None, None),
    ("</tu>\n  </body>", '</tu>\n<tu tuid="3"><prop type="a">b</prop></tu>\n  </body>',
     "has no <tuv>", 17),
    ("</tu>\n  </body>", '</tu>\n<tu tuid="3"><tuv xml:lang="en-GB"><seg>a</seg></tuv>'
     '<prop type="a">b</prop></tu>\n  </body>', "must come before the <tuv>s", 17),
    ('<tmx version="1.4">', '<tmx version="1.1">', "TMX 1.4b needs '1.4'", 2),
    ("</header>", "</header><extra/>", "<extra> is not allowed in <tmx>", 6),
    ("<body>", "<body><x/>", "<x> is not allowed in <body>", 7),
    ("</tu>\n  </body>", "</tu>\n  </body", "not well-formed XML", 18),
]


@pytest.mark.parametrize(("old", "new", "message", "line"), CASES)
def test_each_rule(
    tmp_path: Path, old: str, new: str | None, message: str | None, line: int | None
) -> None:
    assert old in GOOD
    text = GOOD.replace(old, new or "", 1)
    path = tmp_path / "bad.tmx"
    path.write_text(text, encoding="utf-8")
    report = validate_tmx(path)
    if message is None:  # a change the standard allows
        assert report.ok, report.problems
        return
    hits = [p for p in report.problems if message in p.message]
    assert hits, report.problems
    assert hits[0].line == line


def test_header_and_body_are_required(tmp_path: Path) -> None:
    path = tmp_path / "x.tmx"
    path.write_text('<tmx version="1.4"><body/></tmx>', encoding="utf-8")
    assert any("<header> then <body>" in p.message for p in validate_tmx(path).problems)
    path.write_text("<tbx/>", encoding="utf-8")
    assert validate_tmx(path).problems[0].message == "root element is <tbx>, not <tmx>"


def test_gzip_and_bytes(tmp_path: Path) -> None:
    path = tmp_path / "good.tmx.gz"
    path.write_bytes(gzip.compress(GOOD.encode()))
    assert validate_tmx(path).ok
    assert validate_tmx(GOOD.encode(), name="x").ok


def test_raise_if_invalid(tmp_path: Path) -> None:
    path = tmp_path / "bad.tmx"
    path.write_text(GOOD.replace('srclang="en-GB"', 'srclang="en_GB"'), encoding="utf-8")
    report = validate_tmx(path)
    with pytest.raises(ValidationError, match=r"not valid TMX 1\.4b: 2 problem") as err:
        report.raise_if_invalid()
    assert len(err.value.problems) == 2


def test_our_output_is_valid(sample: Alignment, tmp_path: Path) -> None:
    for name in ("a.tmx", "b.tmx.gz"):
        write_alignment(sample, tmp_path / name)
        assert validate_tmx(tmp_path / name).ok


# -- the command ----------------------------------------------------------------


def run_main(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    try:
        main(args)
        code = 0
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_valid(sample: Alignment, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "m.tmx.gz"
    write_alignment(sample, path)
    code, out, err = run_main(["validate", str(path)], capsys)
    assert (code, out, err) == (0, f"{path}: valid TMX 1.4b (4 units)\n", "")


def test_cli_invalid(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "bad.tmx"
    text = GOOD.replace('xml:lang="zh-CN"><seg>第八', 'xml:lang="zh_CN"><seg>第八')
    text = text.replace("<seg>Eighth session", "<seg>Eighth\fsession")
    path.write_text(text, encoding="utf-8")
    code, out, err = run_main(["validate", str(path)], capsys)
    assert code == 1 and out == ""
    lines = err.splitlines()
    assert lines[0].startswith(f"{path}:10: 1 character(s) XML 1.0 forbids")
    assert lines[-1].startswith(f"Error: {path} is not valid TMX 1.4b")
    assert "Traceback" not in err


def test_cli_stdin_and_unknown_format(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    result = CliRunner().invoke(cli, ["validate", "-"], input=GOOD.encode())
    assert result.exit_code == 0 and "<stdin>: valid TMX 1.4b (2 units)" in result.output
    other = tmp_path / "notes.txt"
    other.write_text("hello", encoding="utf-8")
    code, _, err = run_main(["validate", str(other)], capsys)
    assert code == 1 and "pass --format" in err
    code, _, err = run_main(["validate", str(tmp_path / "missing.tmx")], capsys)
    assert code == 1 and err.startswith("Error: cannot read")


def test_cli_help() -> None:
    result = CliRunner().invoke(cli, ["validate", "--help"])
    assert result.exit_code == 0 and "TMX 1.4b" in result.output


class FakeTbx:
    def __init__(self, problems: list[str]) -> None:
        self.problems = problems

    def validate_tbx(self, path: str) -> list[str]:
        assert Path(path).exists()
        return self.problems


@pytest.mark.parametrize(
    ("problems", "code"), [([], 0), (["termEntry 3: no langSec"], 1), (["line 7: bad"], 1)]
)
def test_cli_tbx_uses_the_glossary_validator(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
    problems: list[str], code: int,
) -> None:
    monkeypatch.setitem(sys.modules, "bitext.glossary.tbx", FakeTbx(problems))
    path = tmp_path / "g.tbx"
    path.write_text("<tbx/>", encoding="utf-8")
    got, out, err = run_main(["validate", str(path)], capsys)
    assert got == code
    if code == 0:
        assert out == f"{path}: valid TBX\n"
    else:
        shown = problems[0].replace("line 7: ", "7: ")
        assert f"{path}:{shown}" in err or f"{path}: {shown}" in err
        assert err.splitlines()[-1].startswith(f"Error: {path} is not valid TBX")


def test_cli_tbx_official_examples(schemas_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    examples = schemas_dir / "tbx" / "examples"
    code, out, _ = run_main(["validate", str(examples / "Basic_Example_Astronomy_DCA_VALID.tbx")],
                            capsys)
    assert code == 0 and out.endswith(": valid TBX\n")
    code, _, err = run_main(["validate", str(examples / "testfiles_basic_bad.tbx")], capsys)
    assert code == 1 and "Error:" in err


def test_entity_declarations_are_reported(tmp_path: Path) -> None:
    """A TMX needs no entities of its own: a declared one is reported with its line,
    an external one (which a tool that resolves entities would read from a file or
    the network) as such. bitext never expands them; other tools may. The
    standard DOCTYPE naming tmx14.dtd stays valid."""
    doctype = ('<!DOCTYPE tmx SYSTEM "tmx14.dtd" [\n'
               '<!ENTITY ext SYSTEM "file:///etc/hostname">\n'
               '<!ENTITY word "word">\n]>\n')
    path = tmp_path / "entities.tmx"
    path.write_text(GOOD.replace("<tmx ", doctype + "<tmx ", 1), encoding="utf-8")
    report = validate_tmx(path)
    assert not report.ok
    messages = {p.message for p in report.problems}
    assert any("'ext'" in m and "file:///etc/hostname" in m and "external" in m
               for m in messages), messages
    assert any("'word'" in m for m in messages), messages
    plain = tmp_path / "plain.tmx"
    plain.write_text(GOOD.replace("<tmx ", '<!DOCTYPE tmx SYSTEM "tmx14.dtd">\n<tmx ', 1),
                     encoding="utf-8")
    assert validate_tmx(plain).ok


def test_cli_a_pipe_is_read_once(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A named pipe (what the shell's <(zcat x.tmx.gz) gives) was read twice: its
    first bytes for the format, then the rest as the whole file, so a valid memory
    was 'not well-formed XML: no element found'. It is read once, as stdin is."""
    import os
    import threading

    fifo = tmp_path / "m.tmx"
    os.mkfifo(fifo)

    def write() -> None:
        with open(fifo, "wb") as fh:
            fh.write(GOOD.encode())

    writer = threading.Thread(target=write, daemon=True)
    writer.start()
    code, out, err = run_main(["validate", str(fifo)], capsys)
    writer.join(10)
    assert code == 0 and f"{fifo}: valid TMX 1.4b (2 units)" in out, err
