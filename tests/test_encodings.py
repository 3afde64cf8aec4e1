"""Encoding detection: legacy encodings found, or an Error naming --encoding; never
garbled text. The texts are written here and encoded with Python's codecs."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bitext.errors import ConfigError, InputError
from bitext.fileio.decode import FORCE_MARK, decode_bytes

TRADITIONAL = (
    "聯合國大會第七十屆會議通過了關於可持續發展的決議。委員會審議了秘書長的報告，"
    "並建議會員國加強國際合作，以便實現各項發展目標。與會者歡迎這項倡議。\n"
)
SIMPLIFIED = (
    "联合国大会第七十届会议通过了关于可持续发展的决议。委员会审议了秘书长的报告，"
    "并建议会员国加强国际合作，以便实现各项发展目标。与会者欢迎这项倡议。\n"
)
HKSCS_ONLY = "香港特別行政區的市民在邨裏生活。"  # 邨 is in Big5-HKSCS, not in Big5
WESTERN = "España, São Paulo and Øresund took part. The café in Zürich opened.\n"
SMART = "The Committee’s “draft” was adopted — costs rose by 5 € per unit.\n"
FRENCH = ("L'Assemblée générale a décidé de créer un comité spécial. Les États "
          "Membres ont été invités à présenter leurs vues à la prochaine session.\n")
RUSSIAN = "Генеральная Ассамблея приняла резолюцию о развитии. Комитет рассмотрел доклад.\n"
ARABIC = "اعتمدت الجمعية العامة قرارا بشأن التنمية المستدامة. ونظرت اللجنة في تقرير الأمين العام.\n"


@pytest.mark.parametrize(("text", "codec", "expected"), [
    (TRADITIONAL, "big5", "big5"),
    (TRADITIONAL * 3 + HKSCS_ONLY, "big5hkscs", "big5hkscs"),
    (SIMPLIFIED, "gb18030", "gb18030"),
    (SIMPLIFIED, "gbk", "gb18030"),
    (SIMPLIFIED, "gb2312", "gb18030"),
    (WESTERN, "latin-1", "iso-8859-1"),
    (SMART, "cp1252", "cp1252"),
    (FRENCH.replace("'", "\u2019"), "cp1252", "cp1252"),
    (FRENCH, "latin-1", "iso-8859-1"),
    (RUSSIAN, "cp1251", "cp1251"),
    (ARABIC, "cp1256", "cp1256"),
    (SIMPLIFIED + WESTERN, "utf-8", "utf-8"),
    (TRADITIONAL, "utf-16", "utf-16"),
    (WESTERN, "utf-16-le", "utf-16-le"),
    (WESTERN, "utf-16-be", "utf-16-be"),
    (WESTERN, "utf-8-sig", "utf-8-sig"),
])
def test_detected(text: str, codec: str, expected: str) -> None:
    got, name = decode_bytes(text.encode(codec))
    assert got.lstrip("\ufeff") == text
    assert name == expected


def test_big5_is_not_read_as_gb18030() -> None:
    # The bug of issue 8: Big5 bytes decode without error as GB18030.
    data = TRADITIONAL.encode("big5")
    data.decode("gb18030")  # no error: decoding alone proves nothing
    assert decode_bytes(data)[0] == TRADITIONAL


def test_latin1_is_not_read_as_cp1250() -> None:
    text, _ = decode_bytes(WESTERN.encode("latin-1"))
    assert "España" in text and "São" in text and "Øresund" in text


@pytest.mark.parametrize("data", [
    "x\u0416y".encode("cp1251") * 3,  # Ж between Latin letters: no code page reads it well
    "日本語のテキストです。".encode("shift_jis"),
    bytes(range(0x80, 0x100)) * 4,
])
def test_unsure_means_error_naming_the_option(data: bytes) -> None:
    with pytest.raises(InputError, match="--encoding"):
        decode_bytes(data, "f.txt")


def test_forced_encoding() -> None:
    data = TRADITIONAL.encode("big5")
    assert decode_bytes(data, encoding="big5")[0] == TRADITIONAL
    with pytest.raises(InputError, match="not valid utf-8"):
        decode_bytes(data, "f.txt", encoding="utf-8")
    with pytest.raises(ConfigError, match="unknown encoding"):
        decode_bytes(data, encoding="no-such-codec")


@pytest.mark.parametrize("codec", ["rot13", "hex", "base64", "zlib", "bz2", "uu"])
def test_a_codec_that_is_not_a_text_encoding_is_refused(codec: str) -> None:
    """Python's bytes-to-bytes and text-to-text codecs are known names but decode
    no text: --encoding rot13 was a LookupError traceback."""
    with pytest.raises(ConfigError, match=f"--encoding {codec}: not a text encoding"):
        decode_bytes(TRADITIONAL.encode("big5"), encoding=codec)


def test_the_undefined_codec_is_one_error() -> None:
    # 'undefined' raises a bare UnicodeError for any input (a traceback before)
    with pytest.raises(InputError, match=r"f\.txt: .*not valid undefined"):
        decode_bytes(TRADITIONAL.encode("big5"), "f.txt", encoding="undefined")


def test_reader_refuses_a_forced_encoding_that_garbles_a_unicode_file(tmp_path: object) -> None:
    from pathlib import Path

    from bitext.ingest.reader import read_file

    folder = Path(str(tmp_path))
    (folder / "u.txt").write_text(FRENCH, encoding="utf-8")
    (folder / "l.txt").write_bytes(FRENCH.encode("cp1252"))
    (folder / "a.txt").write_text("Plain ASCII text.\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"u\.txt: --encoding cp1252 .* utf-8"):
        read_file(folder / "u.txt", "cp1252")
    assert read_file(folder / "l.txt", "cp1252").text == FRENCH
    assert read_file(folder / "a.txt", "cp1252").text == "Plain ASCII text.\n"


@pytest.mark.parametrize("text", [SIMPLIFIED * 3, TRADITIONAL * 3, RUSSIAN * 3, ARABIC * 3,
                                  FRENCH * 2, SIMPLIFIED + WESTERN])
@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_bom_is_detected(text: str, codec: str) -> None:
    """Chinese (no NULs at all) and alphabets in UTF-16 with no byte-order mark."""
    got, name = decode_bytes(text.encode(codec), "f.txt")
    assert got == text
    assert name == codec


@pytest.mark.parametrize("text", [SIMPLIFIED * 3, RUSSIAN * 3, ARABIC * 3, WESTERN * 2,
                                  SIMPLIFIED + WESTERN])
@pytest.mark.parametrize("codec", ["utf-32-le", "utf-32-be"])
def test_utf32_without_a_bom_is_detected(text: str, codec: str) -> None:
    """UTF-32 of any script below U+10000: two NULs in every four bytes (ASCII has
    three), which are not binary data."""
    got, name = decode_bytes(text.encode(codec), "f.txt")
    assert got == text
    assert name == codec


@pytest.mark.parametrize(("text", "codec", "forced", "better"), [
    (SIMPLIFIED, "utf-8", "latin-1", "utf-8"),
    (TRADITIONAL, "big5", "gb18030", "big5"),
    (SIMPLIFIED, "gb18030", "big5", "gb18030"),
    (RUSSIAN, "utf-8", "cp1251", "utf-8"),
    (WESTERN, "latin-1", "cp1251", "iso-8859-1"),
    # UTF-16 of UTF-8 bytes: every two letters one CJK-looking character ('bitext
    # segment en.txt --encoding utf-16' was accepted and printed that)
    (FRENCH * 2, "utf-8", "utf-16", "utf-8"),
    (RUSSIAN * 2, "utf-8", "utf-16-le", "utf-8"),
])
def test_an_implausible_forced_encoding_is_refused_naming_the_better_one(
        text: str, codec: str, forced: str, better: str) -> None:
    from bitext.fileio.decode import FORCE_MARK

    data = text.encode(codec)
    with pytest.raises(InputError) as err:
        decode_bytes(data, "f.txt", encoding=forced)
    msg = str(err.value)
    assert f"--encoding {better}" in msg and "--force-encoding" in msg, msg
    # forced again: the user's word stands, whatever it makes of the bytes
    assert decode_bytes(data, "f.txt", encoding=forced + FORCE_MARK)[0] != text


def test_force_encoding_on_the_command_line(tmp_path: object) -> None:
    import subprocess
    import sys
    from pathlib import Path

    folder = Path(str(tmp_path))
    (folder / "zh.txt").write_bytes(TRADITIONAL.encode("big5"))
    cmd = [sys.executable, "-m", "bitext", "segment", "zh.txt", "--lang", "zh",
           "--encoding", "gb18030"]
    res = subprocess.run([*cmd, "-o", "out.jsonl"], cwd=folder, capture_output=True, text=True)
    assert res.returncode == 1
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: zh.txt: --encoding gb18030")
    assert "--encoding big5" in lines[0] and "Traceback" not in res.stderr
    assert not (folder / "out.jsonl").exists()
    res = subprocess.run([*cmd, "--force-encoding", "-o", "out.jsonl"], cwd=folder,
                         capture_output=True, text=True)
    assert res.returncode == 0, res.stderr


def test_utf8_with_encoded_surrogates_is_never_read_as_a_code_page() -> None:
    # Java's modified UTF-8 and CESU-8 write a character beyond U+FFFF as two
    # encoded surrogates (ED A0-AF xx ED B0-BF xx): the same character, decoded.
    emoji = "\U0001F600".encode("utf-16-le")
    high, low = (int.from_bytes(emoji[i:i + 2], "little") for i in (0, 2))
    cesu = (chr(high).encode("utf-8", "surrogatepass") + chr(low).encode("utf-8", "surrogatepass"))
    text, codec = decode_bytes(SIMPLIFIED.encode() + cesu + b"\n")
    assert text == SIMPLIFIED + "\U0001F600\n" and codec == "utf-8"
    # A lone one stands for no character: an Error naming its byte, not cp1252
    # mojibake ("í €") going into a memory.
    for body in (SIMPLIFIED, "The Committee met on Monday.\n"):
        lone = body.encode() + "\ud800".encode("utf-8", "surrogatepass") + b"\n"
        with pytest.raises(InputError, match=rf"byte {len(body.encode()) + 1}\b.*surrogate"):
            decode_bytes(lone, "x.txt")


@pytest.mark.parametrize(("codec", "bom"), [
    ("utf-16-le", b"\xff\xfe"), ("utf-16-be", b"\xfe\xff"), ("utf-16-le", b""),
])
def test_damaged_utf16_names_what_where_and_how_to_fix(codec: str, bom: bytes) -> None:
    """UTF-16 that does not decode: what is wrong (half a character, the file
    cut), where (byte, counted from 1 as the UTF-8 Error does, and line), and
    how to fix it; no longer a bare 'invalid utf-16 at byte N'."""
    head = ("The Committee met on Monday.\n" * 2).encode(codec)
    tail = ("It adopted the report.\n" * 40).encode(codec)
    for lone in ("\ud800", "\udc00"):
        data = bom + head + lone.encode(codec, "surrogatepass") + tail
        with pytest.raises(InputError) as err:
            decode_bytes(data, "x.txt")
        msg = str(err.value)
        assert f"byte {len(bom + head) + 1}, line 3" in msg, msg
        assert f"U+{ord(lone):04X}" in msg and "half a character" in msg, msg
        assert "export the file again" in msg, msg
    # Cut in the middle of a character: an odd number of bytes.
    data = bom + head + tail + b"\x41"
    with pytest.raises(InputError) as err:
        decode_bytes(data, "x.txt")
    msg = str(err.value)
    assert "cut" in msg and f"byte {len(data)}" in msg and "line 43" in msg, msg


@pytest.mark.parametrize("data,encoding,where", [
    # a forced legacy code page: byte 6 (\x80, ASCII's first refusal), line 2
    (b"ab\ncd\x80", "ascii" + FORCE_MARK, "byte 6, line 2"),
    # the same refusal through detection's better offer; CRLF is one line end
    (b"ab\r\ncd\xff", "utf-8", "byte 7, line 2"),
    # no encoding found: UTF-8's refusal is where detection began
    (b"line\n\n" + "x\u0416y".encode("cp1251") * 3, None, "byte 8, line 3"),
])
def test_a_bad_byte_is_counted_from_1_with_its_line(data: bytes, encoding: str | None,
                                                    where: str) -> None:
    """Every decoding Error counts bytes from 1 and names the line, as the UTF-16 and
    UTF-32 ones do (the legacy ones counted from 0 with no line)."""
    with pytest.raises(InputError) as caught:
        decode_bytes(data, "f.txt", encoding=encoding)
    assert where in str(caught.value)


@pytest.mark.parametrize("utf8,other,codec", [
    ("Le Comité a examiné la résolution ; l'Assemblée générale a décidé.\n",
     "Le Comité a décidé à l'unanimité.\n", "cp1252"),
    ("委员会审议了大会的决议。\n", "委员会举行会议。\n", "gb18030"),
])
def test_utf8_with_a_line_in_another_encoding_says_so(utf8: str, other: str,
                                                      codec: str) -> None:
    """A UTF-8 file with a line in another encoding pasted in (or two files joined)
    was 'cannot tell the text encoding ... iconv -f OLDENC -t UTF-8', which would
    garble its UTF-8 part: the Error says where the other bytes are, and to fix
    those lines."""
    head = utf8 * 30
    data = head.encode() + other.encode(codec) + (utf8 * 30).encode()
    with pytest.raises(InputError) as caught:
        decode_bytes(data, "f.txt")
    message = str(caught.value)
    assert "UTF-8 but for" in message and "line 31" in message, message
    assert "iconv -f OLDENC" not in message, message


def test_a_bad_utf8_byte_is_not_said_twice() -> None:
    # 'invalid byte at byte 8, line 3' said 'byte' twice
    with pytest.raises(InputError) as caught:
        decode_bytes(b"line\n\n" + "x\u0416y".encode("cp1251") * 3, "f.txt")
    assert "byte at byte" not in str(caught.value)


def _counted_by_character(data: bytes) -> tuple[int, int]:
    """What _mixed_utf8 counted before _utf8_counts: every character of the
    ``surrogateescape`` decode, one by one."""
    text = data.decode("utf-8", "surrogateescape")
    strays = sum(1 for ch in text if "\udc80" <= ch <= "\udcff")
    return sum(1 for ch in text if ord(ch) >= 0x80) - strays, strays


@given(st.lists(st.one_of(st.binary(max_size=12), st.text(max_size=8).map(
    lambda t: t.encode("utf-8", "surrogatepass"))), max_size=12).map(b"".join))
@settings(max_examples=300, deadline=None)
def test_utf8_counts_are_those_of_the_character_loop(data: bytes) -> None:
    """Valid characters beyond ASCII and bytes that are not UTF-8, counted in C,
    are what the loop over every character counted: any bytes, UTF-8 mixed with
    others (surrogates written as UTF-8 included)."""
    from bitext.fileio.decode import _utf8_counts

    assert _utf8_counts(data) == _counted_by_character(data)


@pytest.mark.parametrize("data", [
    (SIMPLIFIED * 3).encode("gb18030"), (TRADITIONAL * 3).encode("big5"),
    (FRENCH * 3).encode("cp1252"), (RUSSIAN * 3).encode("cp1251"),
    (SIMPLIFIED * 30).encode() + SIMPLIFIED.encode("gb18030"),
    b"\xed\xa0\x80 \xf4\x90\x80\x80 \xc0\xaf \xe2\x82"])  # surrogate, > U+10FFFF, overlong, cut
def test_utf8_counts_of_legacy_and_mixed_text(data: bytes) -> None:
    from bitext.fileio.decode import _utf8_counts

    assert _utf8_counts(data) == _counted_by_character(data)


@pytest.mark.parametrize("text,cut", [
    ("委员会审议了大会的决议。" * 20, 1),
    ("委员会审议了大会的决议。\n" * 20 + "委", 2),
    ("Le Comité a examiné la résolution.\n" * 20 + "é", 1),
    ("\U0002070e Совет Безопасности принял резолюцию.\n" * 20 + "\U0002070e", 3),
])
def test_utf8_cut_in_the_middle_of_a_character_says_so(text: str, cut: int) -> None:
    """A UTF-8 file cut inside its last character (a copy or a download cut short,
    ``head -c``) was 'UTF-8 but for 2 bytes of another encoding ... a line pasted
    from another file, or files joined?', or 'cannot tell the text encoding': it
    says the file is cut, where, and to get it whole (as UTF-16's does)."""
    data = text.encode()[:-cut]
    with pytest.raises(InputError) as caught:
        decode_bytes(data, "f.txt")
    message = str(caught.value)
    assert "UTF-8 cut in the middle of a character" in message, message
    start = len(text.encode()) - len(text[-1].encode())  # where the last character begins
    assert f"byte {start + 1}, line " in message, message
    assert "not whole" in message and "another encoding" not in message, message


def test_ascii_ending_in_one_legacy_byte_is_not_called_cut_utf8() -> None:
    """Too few UTF-8 characters before the end to call the file UTF-8: a legacy
    text whose only accented letter is its last byte is decoded as such."""
    text, encoding = decode_bytes(b"The report of the Committee on the caf\xe9", "f.txt")
    assert text.endswith("caf\u00e9") and encoding in ("cp1252", "iso-8859-1")
