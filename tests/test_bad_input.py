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

import contextlib
import gzip
import hashlib
import os
import re
import signal
import socket
import stat
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

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

FR = (
    "1. Le Comité s'est réuni le 3 mai 2016 à Vienne. Il a adopté son ordre du jour.\n\n"
    "2. Le Secrétariat a présenté le rapport sur la prévention du crime. Plusieurs "
    "orateurs l'ont salué.\n\n"
    "3. Le Comité a décidé de tenir sa prochaine session en 2017.\n"
)


def run(args: list[str], cwd: Path, timeout: float = 120,
        env: dict[str, str] | None = None,
        address_space: int | None = None) -> subprocess.CompletedProcess[str]:
    """Run bitext; ``address_space`` (bytes) is a ``ulimit -v`` for the process."""
    def limit() -> None:
        import resource

        if address_space is not None:
            resource.setrlimit(resource.RLIMIT_AS, (address_space, address_space))

    return subprocess.run([*BITEXT, *args], cwd=cwd, capture_output=True, text=True,
                          timeout=timeout, env={**ENV, **(env or {})},
                          stdin=subprocess.DEVNULL, preexec_fn=limit)


def snapshot(root: Path) -> dict[str, tuple[object, ...]]:
    """Every path under ``root`` with its type, inode, mode, mtime and content or link
    target."""
    out: dict[str, tuple[object, ...]] = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in [*dirnames, *filenames]:
            path = os.path.join(dirpath, name)
            st = os.lstat(path)
            entry: tuple[object, ...] = (stat.S_IFMT(st.st_mode), st.st_ino,
                                         stat.S_IMODE(st.st_mode))
            if not stat.S_ISDIR(st.st_mode):
                # A folder's own mtime moves with any file made and removed in it
                # (a lock, a temporary file): its entries are compared instead.
                entry += (st.st_mtime_ns,)
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
    env: dict[str, str] = field(default_factory=dict)
    #: validate lists a file's problems (FILE:LINE: ...) before its Error line
    problem_lines: bool = False
    #: an address-space limit (bytes, ``ulimit -v``) for the run
    address_space: int | None = None


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


def _gzip_bomb() -> bytes:
    """A .tmx.gz whose root element holds 100 MB of spaces: about 1,000 times its
    size (real memories deflate 2-5x), all of it one token an XML parser buffers."""
    import zlib

    packer = zlib.compressobj(9, zlib.DEFLATED, 31)  # 31: a gzip header and trailer
    parts = [packer.compress(b'<?xml version="1.0"?><tmx version="1.4">')]
    block = b" " * (1 << 20)
    parts += [packer.compress(block) for _ in range(100)]
    return b"".join([*parts, packer.flush()])


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


def _zip(parts: dict[str, bytes], level: int = 9) -> bytes:
    import io
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    return buf.getvalue()


_W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _docx(paragraphs: list[str]) -> bytes:
    body = "".join(f"<w:p><w:r><w:t>{p}</w:t></w:r></w:p>" for p in paragraphs)
    return _zip({"[Content_Types].xml": b"<Types/>",
                 "word/document.xml": f"<w:document {_W}><w:body>{body}</w:body>"
                                      "</w:document>".encode()})


def _docx_linked(part: str, target: str) -> bytes:
    """A DOCX whose member ``part`` is a symbolic link to ``target`` (as ``zip
    --symlinks`` stores one: Unix mode S_IFLNK, the target as its bytes)."""
    import io
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(_docx(["1. The Committee met."])), "r") as src, \
            zipfile.ZipFile(buf, "w") as zf:
        for info in src.infolist():
            if info.filename == part:
                link = zipfile.ZipInfo(part)
                link.create_system = 3
                link.external_attr = (stat.S_IFLNK | 0o777) << 16
                zf.writestr(link, target)
            else:
                zf.writestr(info, src.read(info))
    return buf.getvalue()


def _docx_headers(flag: int = 0, method: int | None = None) -> bytes:
    """A DOCX whose document.xml headers (local and central) carry the general purpose
    flag bits ``flag`` (1: encrypted) or claim the compression ``method``."""
    import struct

    data = bytearray(_docx(["The Committee met."]))
    # signature, offset of the flags, of the name's length, of the name
    for sig, flag_at, size_at, name_at in ((b"PK\x03\x04", 6, 26, 30),
                                           (b"PK\x01\x02", 8, 28, 46)):
        at = data.find(sig)
        while data[at + name_at:at + name_at + struct.unpack_from("<H", data, at + size_at)[0]] \
                != b"word/document.xml":
            at = data.find(sig, at + 4)
        struct.pack_into("<H", data, at + flag_at,
                         struct.unpack_from("<H", data, at + flag_at)[0] | flag)
        if method is not None:
            struct.pack_into("<H", data, at + flag_at + 2, method)
    return bytes(data)


def _docx_twice() -> bytes:
    """A DOCX holding two ZIP members named word/document.xml (readers differ on
    which one they take)."""
    import io
    import warnings
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf, warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns of the duplicate name
        for text in ("The Committee met.", "The Council adjourned."):
            zf.writestr("word/document.xml", f"<w:document {_W}><w:body><w:p><w:r><w:t>"
                                             f"{text}</w:t></w:r></w:p></w:body></w:document>")
    return buf.getvalue()


def _bomb() -> bytes:
    """A DOCX whose document.xml is 40 MB of one repeated run: over 1,000x compression."""
    run_ = b"<w:p><w:r><w:t>a</w:t></w:r></w:p>"
    xml = b"<w:document " + _W.encode() + b"><w:body>" + run_ * (40_000_000 // len(run_))
    return _zip({"[Content_Types].xml": b"<Types/>",
                 "word/document.xml": xml + b"</w:body></w:document>"})


def _lying_docx() -> bytes:
    """A DOCX whose ZIP headers understate document.xml's size (a classic bomb trick)."""
    import struct

    data = bytearray(_docx(["The Committee met."] * 200))
    name = b"word/document.xml"
    real = len(_docx(["The Committee met."] * 200))
    assert real
    # central directory entry: signature PK\x01\x02, uncompressed size at offset 24
    cd = data.find(b"PK\x01\x02" + data[data.find(b"PK\x01\x02") + 4:][:0])
    while cd != -1:
        n = struct.unpack_from("<H", data, cd + 28)[0]
        if data[cd + 46:cd + 46 + n] == name:
            struct.pack_into("<I", data, cd + 24, 10)
        cd = data.find(b"PK\x01\x02", cd + 4)
    lh = data.find(b"PK\x03\x04" + struct.pack("<H", 20))
    while lh != -1:
        n = struct.unpack_from("<H", data, lh + 26)[0]
        if data[lh + 30:lh + 30 + n] == name:
            struct.pack_into("<I", data, lh + 22, 10)
        lh = data.find(b"PK\x03\x04", lh + 4)
    return bytes(data)


def _encrypted_pdf() -> bytes:
    """A one-page PDF with a Standard security handler whose user password is not
    empty (the /U check value matches no password a reader can guess)."""
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
            b"<< /Length 44 >>\nstream\nBT /F1 12 Tf 72 700 Td (Secret text.) Tj ET\nendstream",
            b"<< /Filter /Standard /V 1 /R 2 /Length 40 /P -44 /O <" + b"11" * 32
            + b"> /U <" + b"22" * 32 + b"> >>"]
    return _pdf(objs, b" /Encrypt 5 0 R /ID [<%s> <%s>]" % (b"ab" * 16, b"ab" * 16))


def _pdf_scattered_words(words: int) -> bytes:
    """One page of ``words`` words, each drawn apart from the others (a text box
    each to pdfminer's layout analysis), deflated: about 6 bytes a word."""
    return _pdf_page_content(b"".join(
        b"BT /F1 1 Tf %d %d Td (w%d.) Tj ET\n" % ((i * 37) % 600, (i * 53) % 790, i)
        for i in range(words)))


def _pdf_page_content(content: bytes) -> bytes:
    """One page drawing ``content`` (deflated) in Helvetica as /F1."""
    import zlib

    data = zlib.compress(content, 9)
    return _pdf([b"<< /Type /Catalog /Pages 2 0 R >>",
                 b"<< /Type /Pages /Kids [4 0 R] /Count 1 >>",
                 b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
                 b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
                 b"/Resources << /Font << /F1 3 0 R >> >> /Contents 5 0 R >>",
                 b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(data) + data
                 + b"\nendstream"])


def _rc4(key: bytes, data: bytes) -> bytes:
    box = list(range(256))
    j = 0
    for i in range(256):
        j = (j + box[i] + key[i % len(key)]) % 256
        box[i], box[j] = box[j], box[i]
    out = bytearray()
    i = j = 0
    for byte in data:
        i = (i + 1) % 256
        j = (j + box[i]) % 256
        box[i], box[j] = box[j], box[i]
        out.append(byte ^ box[(box[i] + box[j]) % 256])
    return bytes(out)


def _open_encrypted_pdf(content: bytes, keep: float = 1.0) -> bytes:
    """A one-page PDF encrypted (RC4, 40 bits: the Standard handler, revision 2,
    PDF 32000-1 7.6.3) with an empty user password, as a document locked against
    editing only is: every reader opens it without asking. ``content`` is the
    page's content, deflated (the first ``keep`` share of the deflated bytes:
    below 1, a stream cut short), then encrypted."""
    import hashlib
    import struct
    import zlib

    pad = bytes.fromhex("28BF4E5E4E758A4164004E56FFFA01082E2E00B6D0683E802F0CA9FE6453697A")
    file_id = b"\xab" * 16
    owner = _rc4(hashlib.md5((b"owner" + pad)[:32]).digest()[:5], pad)
    key = hashlib.md5(pad + owner + struct.pack("<i", -44) + file_id).digest()[:5]
    deflated = zlib.compress(content, 9)
    stream = _rc4(hashlib.md5(key + b"\x05\x00\x00\x00\x00").digest()[:10],
                  deflated[:round(len(deflated) * keep)])
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [4 0 R] /Count 1 >>",
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
            b"/Resources << /Font << /F1 3 0 R >> >> /Contents 5 0 R >>",
            b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream
            + b"\nendstream",
            b"<< /Filter /Standard /V 1 /R 2 /Length 40 /P -44 /O <" + owner.hex().encode()
            + b"> /U <" + _rc4(key, pad).hex().encode() + b"> >>"]
    return _pdf(objs, b" /Encrypt 6 0 R /ID [<%s> <%s>]" % (file_id.hex().encode(),
                                                           file_id.hex().encode()))


def _pdf(objs: list[bytes], trailer: bytes = b"") -> bytes:
    """A PDF of these objects (1 0 R the catalog), its cross-reference table and a
    trailer holding ``trailer`` besides /Size and /Root."""
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, obj in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + obj + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % off for off in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R%s >>\n" % (len(objs) + 1, trailer)
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


def _pdf_blank_pages(pages: int, count: int | None = None) -> bytes:
    """A PDF of ``pages`` pages holding nothing, its page tree's /Count saying
    ``count`` (by default the truth)."""
    kids = b" ".join(b"%d 0 R" % (3 + i) for i in range(pages))
    return _pdf([b"<< /Type /Catalog /Pages 2 0 R >>",
                 b"<< /Type /Pages /Kids [%s] /Count %d >>"
                 % (kids, pages if count is None else count),
                 *[b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>"] * pages])


def _encrypted_docx() -> bytes:
    """What Word saves for a .docx with a password: an OLE compound file whose
    directory names the EncryptionInfo and EncryptedPackage streams (MS-OFFCRYPTO
    2.3.4), the package itself encrypted."""
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
    entries = b"".join(name.encode("utf-16-le").ljust(128, b"\x00")
                       for name in ("Root Entry", "EncryptionInfo", "EncryptedPackage"))
    return header + entries.ljust(512, b"\x00") + bytes(range(256)) * 16


JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01" + bytes(range(256)) * 8
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8


def _lzw_bomb(cycles: int) -> bytes:
    """PDF LZW codes (9-12 bits, early change) that grow one string of spaces a
    code: each cycle of 3,800 codes (about 5 KB) decodes to 7 MB."""
    codes: list[int] = []
    for _ in range(cycles):
        codes += [256, 32, *range(258, 4058)]
    codes.append(257)
    bits, width, table = [], 9, 258
    for code in codes:
        bits.append(format(code, f"0{width}b"))
        if code == 256:
            width, table, first = 9, 258, True
            continue
        if first:
            first = False
            continue
        table += 1
        width = 12 if table >= 2047 else 11 if table >= 1023 else 10 if table >= 511 else 9
    joined = "".join(bits)
    joined += "0" * (-len(joined) % 8)
    return int(joined, 2).to_bytes(len(joined) // 8, "big")


def _pdf_bomb(kind: str = "flate") -> bytes:
    """One page whose content stream inflates 60 MB of 'move to' operators from
    about 0.1 MB (``flate``: pdfminer would interpret 10 million operators, for
    minutes), or 56 MB of spaces from 40 KB (``lzw``); ``a85`` and ``flate2`` hide the
    Flate data behind a filter chain."""
    import zlib

    if kind == "lzw":
        ops, name = _lzw_bomb(8), b"/LZWDecode"
    elif kind == "a85":  # ASCII85 text around the Flate data, as ReportLab writes
        import base64

        ops = base64.a85encode(zlib.compress(b"0 0 m " * 10_000_000, 6)) + b"~>"
        name = b"[/ASCII85Decode /FlateDecode]"
    elif kind == "flate2":  # Flate twice: the first level alone inflates 0.1 KB to 60 KB
        ops = zlib.compress(zlib.compress(b"0 0 m " * 10_000_000, 9), 9)
        name = b"[/FlateDecode /FlateDecode]"
    else:
        ops, name = zlib.compress(b"0 0 m " * 10_000_000, 6), b"/FlateDecode"
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
            b"<< /Length %d /Filter %s >>\nstream\n" % (len(ops), name) + ops
            + b"\nendstream"]
    return _pdf(objs)


def _pdf_forms_bomb() -> bytes:
    """3 KB: a page draws a form that draws another 30 times, five deep, the last
    showing a word 30 times: 24 million text operators for pdfminer (hours)."""
    font = b"/Font << /F1 10 0 R >>"
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
            b"/Resources << /XObject << /X0 5 0 R >> %s >> >>" % font,
            b"<< /Length 6 >>\nstream\n/X0 Do\nendstream"]
    for depth in range(5):
        if depth < 4:
            body = b"/X%d Do " % (depth + 1) * 30
            resources = b"<< /XObject << /X%d %d 0 R >> %s >>" % (depth + 1, depth + 6, font)
        else:
            body = b"BT /F1 12 Tf 72 700 Td (Word) Tj ET " * 30
            resources = b"<< %s >>" % font
        objs.append(b"<< /Type /XObject /Subtype /Form /BBox [0 0 612 792] /Resources %s "
                    b"/Length %d >>\nstream\n" % (resources, len(body)) + body
                    + b"\nendstream")
    objs.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    return _pdf(objs)


def _pdf_font_table_bomb(kind: str) -> bytes:
    """Under 1 KB: a font whose table covers billions of codes, which pdfminer
    fills one entry at a time (``tounicode``: a ToUnicode CMap with one bfrange over
    every 4-byte code, 4 GB and more; ``widths``: a CID font whose /W gives one width
    to codes 0 to 2,000,000,000, 20 GB)."""
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
            b"/Resources << /Font << /F1 5 0 R >> >> >>"]
    if kind == "tounicode":
        text = b"BT /F1 12 Tf 72 700 Td (The Committee met.) Tj ET"
        cmap = (b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap "
                b"1 begincodespacerange <00000000> <FFFFFFFF> endcodespacerange\n"
                b"1 beginbfrange <00000000> <FFFFFFFF> <0041> endbfrange\nendcmap end end")
        objs += [b"<< /Length %d >>\nstream\n" % len(text) + text + b"\nendstream",
                 b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /ToUnicode 6 0 R >>",
                 b"<< /Length %d >>\nstream\n" % len(cmap) + cmap + b"\nendstream"]
    else:
        text = b"BT /F1 12 Tf 72 700 Td <00410042> Tj ET"
        objs += [b"<< /Length %d >>\nstream\n" % len(text) + text + b"\nendstream",
                 b"<< /Type /Font /Subtype /Type0 /BaseFont /X /Encoding /Identity-H "
                 b"/DescendantFonts [6 0 R] >>",
                 b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /X /CIDSystemInfo "
                 b"<< /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> "
                 b"/W [0 2000000000 500] >>"]
    return _pdf(objs)


def _pdf_inline_image(size: int) -> bytes:
    """A page drawing an inline image (BI ... ID data EI) of ``size`` bytes of 'E':
    pdfminer looks for the EI that ends it one byte at a time and copies what it
    has read at each 'E', so its time grows with the square of the size (1 MiB:
    22 CPU s; 30 MB of random bytes ran past 60 s)."""
    text = (b"q 8 0 0 8 0 0 cm BI /W 8 /H 8 /BPC 8 /CS /G ID " + b"E" * size
            + b" EI Q BT /F1 12 Tf 72 700 Td (The Committee met.) Tj ET")
    return _pdf([b"<< /Type /Catalog /Pages 2 0 R >>",
                 b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                 b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
                 b"/Resources << /Font << /F1 5 0 R >> >> >>",
                 b"<< /Length %d >>\nstream\n" % len(text) + text + b"\nendstream",
                 b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"])


def _pdf_xref_stream(index: bytes, catalog: bytes = b"<< /Type /Catalog >>",
                     prev_self: bool = False) -> bytes:
    """A PDF 1.5 whose objects are found through a cross-reference stream (/Type
    /XRef, /W [1 2 1]) with this /Index; the catalog names no page tree by
    default, so pdfminer looks for pages among every object the stream declares.
    ``prev_self``: the stream names itself as the previous section (/Prev)."""
    import zlib

    objs = [catalog, b"<< /Type /Page /MediaBox [0 0 612 792] >>"]
    out = bytearray(b"%PDF-1.5\n")
    offsets = []
    for i, obj in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + obj + b"\nendobj\n"
    at = len(out)
    rows = zlib.compress(b"\x00\x00\x00\x00" + b"".join(
        b"\x01" + offset.to_bytes(2, "big") + b"\x00" for offset in [*offsets, at]))
    prev = b" /Prev %d" % at if prev_self else b""
    out += (b"3 0 obj\n<< /Type /XRef /Size 4 /W [1 2 1] /Index [%s]%s /Root 1 0 R "
            b"/Filter /FlateDecode /Length %d >>\nstream\n" % (index, prev, len(rows))
            + rows + b"\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n" % at)
    return bytes(out)


def _pdf_object_stream(keep: float = 1.0) -> bytes:
    """A PDF 1.5 whose page tree, page and font sit in a deflated object stream
    (/Type /ObjStm, found through a cross-reference stream), as PDF 1.5 writers
    compress them; ``keep`` below 1 cuts the object stream's data short."""
    import zlib

    content = zlib.compress(b"".join(b"BT /F1 12 Tf 72 %d Td (Line %d of the page.) Tj ET\n"
                                     % (700 - 30 * i, i) for i in range(20)))
    packed = [b"<< /Type /Pages /Kids [4 0 R] /Count 1 >>",
              b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
              b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
              b"/Resources << /Font << /F1 3 0 R >> >> /Contents 5 0 R >>"]
    header = body = b""
    for num, obj in enumerate(packed, 2):
        header += b"%d %d " % (num, len(body))
        body += obj + b"\n"
    stream = zlib.compress(header + body)
    stream = stream[:round(len(stream) * keep)]
    out = bytearray(b"%PDF-1.5\n")
    offsets = []
    for num, obj in ((1, b"<< /Type /Catalog /Pages 2 0 R >>"),
                     (5, b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(content)
                      + content + b"\nendstream"),
                     (6, b"<< /Type /ObjStm /N 3 /First %d /Length %d /Filter /FlateDecode >>"
                      b"\nstream\n" % (len(header), len(stream)) + stream + b"\nendstream")):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % num + obj + b"\nendobj\n"
    at = len(out)
    rows = zlib.compress(
        b"\x00\x00\x00\x00" + b"\x01" + offsets[0].to_bytes(2, "big") + b"\x00"
        + b"".join(b"\x02\x00\x06" + bytes([i]) for i in range(3))
        + b"".join(b"\x01" + off.to_bytes(2, "big") + b"\x00" for off in [*offsets[1:], at]))
    out += (b"7 0 obj\n<< /Type /XRef /Size 8 /W [1 2 1] /Root 1 0 R /Filter /FlateDecode "
            b"/Length %d >>\nstream\n" % len(rows) + rows
            + b"\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n" % at)
    return bytes(out)


def _pdf_second_object_stream(keep: float) -> bytes:
    """A PDF 1.5 of two pages whose page tree, first page and font sit in one
    deflated object stream and the second page in another, whose data is cut
    to its first ``keep`` share (found through a cross-reference stream)."""
    import zlib

    def content(page: int) -> bytes:
        return zlib.compress(b"".join(b"BT /F1 12 Tf 72 %d Td (Page %d, line %d.) Tj ET\n"
                                      % (700 - 30 * i, page, i) for i in range(20)))

    def packed(objs: list[tuple[int, bytes]]) -> tuple[bytes, bytes]:
        header = body = b""
        for num, obj in objs:
            header += b"%d %d " % (num, len(body))
            body += obj + b"\n"
        return header, zlib.compress(header + body)

    page = (b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
            b"/Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>")
    first = packed([(2, b"<< /Type /Pages /Kids [4 0 R 9 0 R] /Count 2 >>"),
                    (3, b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"),
                    (4, page % 5)])
    second = packed([(9, page % 10)])
    cut = second[1][:round(len(second[1]) * keep)]

    def stream(data: bytes, extra: bytes = b"") -> bytes:
        return (b"<< %s/Length %d /Filter /FlateDecode >>\nstream\n" % (extra, len(data))
                + data + b"\nendstream")

    out = bytearray(b"%PDF-1.5\n")
    offsets: dict[int, int] = {}
    for num, obj in ((1, b"<< /Type /Catalog /Pages 2 0 R >>"), (5, stream(content(1))),
                     (6, stream(first[1], b"/Type /ObjStm /N 3 /First %d " % len(first[0]))),
                     (8, stream(cut, b"/Type /ObjStm /N 1 /First %d " % len(second[0]))),
                     (10, stream(content(2)))):
        offsets[num] = len(out)
        out += b"%d 0 obj\n" % num + obj + b"\nendobj\n"
    offsets[7] = len(out)
    where = {2: (6, 0), 3: (6, 1), 4: (6, 2), 9: (8, 0)}
    rows = b"\x00\x00\x00\x00" + b"".join(
        b"\x02%s%s" % (where[n][0].to_bytes(2, "big"), bytes([where[n][1]])) if n in where
        else b"\x01%s\x00" % offsets[n].to_bytes(2, "big") for n in range(1, 11))
    rows = zlib.compress(rows)
    out += (b"7 0 obj\n<< /Type /XRef /Size 11 /W [1 2 1] /Root 1 0 R /Filter /FlateDecode "
            b"/Length %d >>\nstream\n" % len(rows) + rows
            + b"\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n" % offsets[7])
    return bytes(out)


def _numbered_docx(start: str = "1", fmt: str = "upperRoman", ilvl: str = "0",
                   text: str = "%1.") -> bytes:
    """Three paragraphs numbered by one list level: its start value, number format,
    level and number text as given."""
    num = (f'<w:numbering {_W}><w:abstractNum w:abstractNumId="1"><w:lvl w:ilvl="{ilvl}">'
           f'<w:start w:val="{start}"/><w:numFmt w:val="{fmt}"/><w:lvlText w:val="{text}"/>'
           '</w:lvl></w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="1"/></w:num>'
           '</w:numbering>')
    p = (f'<w:p><w:pPr><w:numPr><w:ilvl w:val="{ilvl}"/><w:numId w:val="1"/></w:numPr>'
         '</w:pPr><w:r><w:t>The Committee met in Vienna.</w:t></w:r></w:p>')
    return _zip({"word/document.xml": f"<w:document {_W}><w:body>{p * 3}</w:body>"
                                      "</w:document>".encode(),
                  "word/numbering.xml": num.encode()})


def _numbering_case(label: str, docx: bytes, expected: str) -> Case:
    """Under 1 KB each: the label was a hang, an out-of-memory or a traceback."""
    return Case(label, _with({"n.docx": docx}, ["segment", "n.docx", "--format", "text",
                                                "-o", "o.txt"]), 0, changes=("o.txt",),
                check=lambda d: expected in (d / "o.txt").read_text(encoding="utf-8"))


def _pdf_bomb_case(name: str, data: bytes, address_space: int | None = None) -> Case:
    """``segment`` of a PDF bomb: one Error naming it, exit 1."""
    return Case(name, _with({"bomb.pdf": data}, ["segment", "bomb.pdf", "-o", "o"]), 1,
                "pdf bomb", address_space=address_space)


TRADITIONAL = ("聯合國大會第七十屆會議通過了關於可持續發展的決議。委員會審議了秘書長的報告，"
               "並建議會員國加強國際合作。\n")


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
         # a name the build chose: 'choose another output name with -o' (a
         # folder's name) did not fit (reliab23, session 26)
         1, "is an input (the same file as the input corpus/zh.txt); writing it would "
            "destroy the input: bitext build names that file itself: move the input out "
            "of out, or give the build another output folder with -o"),
    # -- outputs that are not regular files -----------------------------------
    Case("build -o a file, not a folder",
         _with({"report/zh.txt": ZH, "report/en.txt": EN},
               ["build", "report", "-o", "en.txt", "--encoder", "length"]), 1, "not a folder"),
    Case("-o /dev/null is written through, not replaced",
         _with({}, ["segment", "en.txt", "-o", "/dev/null"]), 0, check=_dev_null_intact),
    Case("-o /dev/stdout is written through", _with({}, ["segment", "en.txt", "-o", "/dev/stdout"]),
         0),
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
    Case("validate a gzip bomb (0.1 MB -> 100 MB of one XML token)",
         _with({"bomb.tmx.gz": _gzip_bomb()}, ["validate", "bomb.tmx.gz"]), 1, "gzip bomb"),
    Case("glossary --memory a gzip bomb",
         _with({"bomb.tmx.gz": _gzip_bomb()}, ["glossary", "--memory", "bomb.tmx.gz",
                                               "-o", "g.tsv"]), 1, "gzip bomb"),
    Case("validate a gzip header with garbage after it",
         _gz_case(lambda b: b"\x1f\x8b" + b"not gzip at all" * 10), 1, "decompress"),
    # -- binary where text is expected ----------------------------------------
    Case("eval BINARY --corpus DIR",
         _with({"bin.jsonl": BINARY, "corp/gold.sentences.jsonl": '{"zh": [], "en": []}\n'},
               ["eval", "bin.jsonl", "--corpus", "corp"]), 1, "not utf-8"),
    Case("glossary --alignment BINARY",
         _with({"bin.jsonl": BINARY}, ["glossary", "--alignment", "bin.jsonl", "-o", "g.tbx"]),
         1, "not utf-8"),
    # a TMX given where the predicted pairs' JSONL goes: the Error said "not a JSON
    # object" and nothing of what to give (noticed by reliab13)
    Case("eval TMX --corpus DIR",
         _with({"p.tmx": '<?xml version="1.0"?>\n<tmx version="1.4"></tmx>\n',
                "corp/gold.sentences.jsonl": '{"zh": [], "en": []}\n'},
               ["eval", "p.tmx", "--corpus", "corp"]), 1, "give the predicted pairs as jsonl"),
    Case("eval BINARY GOLD.beads",
         _with({"bin.beads": BINARY, "gold.beads": "[0]:[0]\n"},
               ["eval", "bin.beads", "gold.beads"]), 1, "utf-8"),
    # -- encodings ---------------------------------------------------------------
    Case("Big5 input is read as Big5 (not GB18030)",
         _with({"b5.txt": TRADITIONAL.encode("big5")},
               ["segment", "b5.txt", "--format", "text", "-o", "out.txt"]), 0,
         changes=("out.txt",),
         check=lambda d: (d / "out.txt").read_text(encoding="utf-8").startswith("聯合國大會")),
    Case("Latin-1 input keeps España, São, Øresund",
         _with({"l1.txt": "España, São Paulo and Øresund met. The café opened.\n"
                .encode("latin-1")},
               ["segment", "l1.txt", "--format", "text", "-o", "out.txt"]), 0,
         changes=("out.txt",),
         check=lambda d: "Øresund" in (d / "out.txt").read_text(encoding="utf-8")),
    Case("undecidable encoding asks for --encoding",
         _with({"x.txt": "x\u0416y".encode("cp1251") * 3 + b"\n"},
               ["segment", "x.txt", "-o", "o"]),
         1, "--encoding"),
    Case("--encoding that does not fit the bytes",
         _with({"b5.txt": TRADITIONAL.encode("big5")},
               ["segment", "b5.txt", "--encoding", "ascii", "-o", "o"]), 1, "not valid ascii"),
    Case("--encoding latin-1 on UTF-8 Chinese is refused, naming utf-8",
         _with({}, ["segment", "zh.txt", "--encoding", "latin-1", "-o", "o"]), 1,
         "--encoding utf-8"),
    Case("--encoding gb18030 on Big5 is refused, naming big5",
         _with({"b5.txt": TRADITIONAL.encode("big5")},
               ["segment", "b5.txt", "--encoding", "gb18030", "-o", "o"]), 1,
         "--encoding big5"),
    Case("align --encoding cp1252 on a UTF-8 pair is refused before any output",
         _with({}, ["align", "zh.txt", "en.txt", "--encoding", "cp1252", "--encoder",
                    "length", "-o", "o.tsv"]), 1, "--force-encoding"),
    Case("--encoding gb18030 on Big5 kept with --force-encoding",
         _with({"b5.txt": TRADITIONAL.encode("big5")},
               ["segment", "b5.txt", "--encoding", "gb18030", "--force-encoding",
                "--format", "text", "-o", "out.txt"]), 0, changes=("out.txt",)),
    Case("UTF-16-LE Chinese without a BOM (no NUL bytes) is read as such",
         _with({"u16.txt": ZH.encode("utf-16-le")},
               ["segment", "u16.txt", "--format", "text", "-o", "out.txt"]), 0,
         changes=("out.txt",),
         check=lambda d: "委员会于2016年5月3日" in (d / "out.txt").read_text(encoding="utf-8")),
    Case("UTF-16-BE English without a BOM is read as such",
         _with({"u16.txt": EN.encode("utf-16-be")},
               ["segment", "u16.txt", "--format", "text", "-o", "out.txt"]), 0,
         changes=("out.txt",),
         check=lambda d: "The Committee met" in (d / "out.txt").read_text(encoding="utf-8")),
    Case("UTF-16-LE Russian without a BOM (valid UTF-8 bytes) is read as such",
         _with({"u16.txt": ("1. Комитет провел заседание в Вене. Он утвердил повестку дня.\n"
                            "\n2. Секретариат представил доклад.\n").encode("utf-16-le")},
               ["segment", "u16.txt", "--format", "text", "-o", "out.txt"]), 0,
         changes=("out.txt",),
         check=lambda d: "Комитет" in (d / "out.txt").read_text(encoding="utf-8")),
    Case("align under ulimit -v: refused up front, naming sizes, need and limit",
         _with({"big.zh": "委员会注意到关于该项目的报告。" * 50_000 + "\n",
                "big.en": ("The Committee took note of the report. " * 100 + "\n") * 500},
               ["align", "big.zh", "big.en", "--src-lang", "zh", "--tgt-lang", "en",
                "-o", "out.tsv"]),
         1, "ulimit -v", address_space=800 << 20),
    Case("build under ulimit -v: refused up front, no output folder",
         _with({"c/zh.txt": "委员会注意到关于该项目的报告。" * 50_000 + "\n",
                "c/en.txt": ("The Committee took note of the report. " * 100 + "\n") * 500},
               ["build", "c", "-o", "out", "--no-glossary"]),
         1, "needs about", address_space=800 << 20),
    # every line is an object of its own (about 190 bytes): 10 million empty lines
    # (10 MB) took 1.88 GB, so 50 MB of them would take 9 GB, not the 3.3 GB the
    # limit's 65 MB per MB promises
    Case("a text of empty lines, more lines than the size limit allows memory for",
         _with({"nl.txt": "The Committee met.\n" + "\n" * 90_000 + "It adopted its agenda.\n"},
               ["segment", "nl.txt", "--max-input-mb", "0.1", "-o", "o"]), 1, "lines"),
    Case("the same text under a limit that allows its lines",
         _with({"nl.txt": "The Committee met.\n" + "\n" * 90_000 + "It adopted its agenda.\n"},
               ["segment", "nl.txt", "--max-input-mb", "1", "--format", "text", "-o", "o.txt"]),
         0, changes=("o.txt",)),
    Case("--encoding with an unknown name",
         _with({"b5.txt": TRADITIONAL.encode("big5")},
               ["segment", "b5.txt", "--encoding", "klingon", "-o", "o"]), 1,
         "unknown encoding"),
    # -- inputs ------------------------------------------------------------------
    Case("missing input", _with({}, ["segment", "nope.txt", "-o", "o"]), 1, "no such file"),
    Case("empty input", _with({"e.txt": ""}, ["segment", "e.txt", "-o", "o"]), 1, "empty"),
    Case("binary input", _with({"b.txt": BINARY}, ["segment", "b.txt", "-o", "o"]), 1, ""),
    Case("old binary .doc", _with({"a.doc": b"\xd0\xcf\x11\xe0" + BINARY},
                                  ["segment", "a.doc", "-o", "o"]), 1, ".doc"),
    Case("RTF", _with({"a.rtf": b"{\\rtf1 hello}"}, ["segment", "a.rtf", "-o", "o"]), 1,
         "rtf"),
    Case("a folder as input", _with({"d/x": "x"}, ["segment", "d", "-o", "o"]), 1,
         "is a directory; give the path of a file"),
    Case("same language on both sides (align)",
         _with({"en2.txt": EN}, ["align", "en.txt", "en2.txt", "--encoder", "length",
                                 "-o", "o.tsv"]), 1, "same language"),
    Case("the same file twice (glossary)",
         _with({}, ["glossary", "en.txt", "en.txt", "--encoder", "length", "-o", "g.tsv"]), 1,
         "same language"),
    Case("password-protected PDF", _with({"p.pdf": _encrypted_pdf()},
                                         ["segment", "p.pdf", "-o", "o"]), 1, "encrypted"),
    Case("password-protected DOCX (Office wraps it in an encrypted OLE package)",
         _with({"pw.docx": _encrypted_docx()}, ["segment", "pw.docx", "-o", "o"]), 1,
         "password"),
    Case("a JPEG named .pdf (a scan saved under the wrong name)",
         _with({"scan.pdf": JPEG}, ["segment", "scan.pdf", "-o", "o"]), 1, "an image (jpeg)"),
    Case("a PNG named .txt", _with({"scan.txt": PNG}, ["segment", "scan.txt", "-o", "o"]), 1,
         "an image (png)"),
    _pdf_bomb_case("PDF whose page content is a deflate bomb (0.1 MB -> 60 MB of drawing "
                   "operators)", _pdf_bomb()),
    _pdf_bomb_case("PDF whose deflate bomb is ASCII85-encoded (/Filter [/A85 /Flate])",
                   _pdf_bomb("a85")),
    _pdf_bomb_case("PDF whose deflate bomb is deflated again (/Filter [/Flate /Flate])",
                   _pdf_bomb("flate2")),
    _pdf_bomb_case("PDF whose forms draw each other, five deep (3 KB -> 24 million operators)",
                   _pdf_forms_bomb()),
    _pdf_bomb_case("PDF whose page content is an LZW bomb (40 KB -> 56 MB)", _pdf_bomb("lzw")),
    # pdfminer decrypts such a file without asking; the bomb check read its streams
    # encrypted (no deflate data) and let it through: past timeout 60 at 340 MB
    _pdf_bomb_case("PDF encrypted with an empty user password around a deflate bomb "
                   "(88 KB -> 60 MB of drawing operators)",
                   _open_encrypted_pdf(b"0 0 m " * 10_000_000)),
    # pdfminer groups a page's text boxes pair by pair (time and memory grow with
    # their number squared): 2,000 boxes took 28 CPU s and 818 MB
    Case("PDF page of 4,000 words drawn apart (a 24 KB file, 4,000 text boxes)",
         _with({"w.pdf": _pdf_scattered_words(4000)},
               ["segment", "w.pdf", "--lang", "en", "--format", "text", "-o", "o.txt"]), 0,
         changes=("o.txt",), address_space=1 << 30,
         check=lambda d: {"w0.", "w3999."} <= set(
             (d / "o.txt").read_text(encoding="utf-8").split())),
    # pdfminer keeps a page's characters as objects of about 750 bytes each
    Case("PDF page drawing 2 million characters (a 4.5 KB file; 1 million took 747 MB)",
         _with({"c.pdf": _pdf_page_content(b"BT /F1 1 Tf 10 400 Td (" + b"x " * 1_000_000
                                            + b") Tj ET")},
               ["segment", "c.pdf", "-o", "o"]), 1, "page 1 draws more than 200,000 "
         "characters", address_space=1 << 30),
    Case("PDF encrypted with an empty user password (locked against editing only)",
         _with({"open.pdf": _open_encrypted_pdf(b"BT /F1 12 Tf 72 700 Td (The Committee "
                                                b"met in Vienna.) Tj ET")},
               ["segment", "open.pdf", "--format", "text", "-o", "o.txt"]), 0,
         changes=("o.txt",),
         check=lambda d: "The Committee met in Vienna." in (d / "o.txt").read_text(
             encoding="utf-8")),
    Case("PDF whose pages sit in an object stream (PDF 1.5)",
         _with({"s.pdf": _pdf_object_stream()},
               ["segment", "s.pdf", "--format", "text", "-o", "o.txt"]), 0,
         changes=("o.txt",),
         check=lambda d: "Line 19 of the page." in (d / "o.txt").read_text(encoding="utf-8")),
    # the pages were lost with the object stream: 'no pages; is this the right file?'
    Case("PDF whose object stream holding its pages is cut short",
         _with({"s.pdf": _pdf_object_stream(keep=0.6)},
               ["segment", "s.pdf", "--format", "text", "-o", "o.txt"]), 1,
         "s.pdf: its object stream (object 6), where a pdf 1.5 file packs its objects, is "
         "damaged: its compressed data is cut short, so the objects in it are lost"),
    Case("PDF of two object streams, both whole",
         _with({"s.pdf": _pdf_second_object_stream(keep=1.0)},
               ["segment", "s.pdf", "--format", "text", "-o", "o.txt"]), 0,
         changes=("o.txt",),
         check=lambda d: "Page 2, line 19." in (d / "o.txt").read_text(encoding="utf-8")),
    # the first page read, the second lost with its object stream: exit 0, no word
    Case("PDF whose object stream holding its second page is cut short",
         _with({"s.pdf": _pdf_second_object_stream(keep=0.6)},
               ["segment", "s.pdf", "--format", "text", "-o", "o.txt"]), 1,
         "s.pdf: its object stream (object 8), where a pdf 1.5 file packs its objects, is "
         "damaged: its compressed data is cut short, so the objects in it are lost"),
    # the damage check (session 21) left encrypted streams out: the lines after the
    # cut were dropped without a word (exit 0, 6 of 20 lines)
    Case("PDF encrypted with an empty user password whose page content is cut short",
         _with({"cut.pdf": _open_encrypted_pdf(b"".join(
             b"BT /F1 12 Tf 72 %d Td (Line %d of the page.) Tj ET\n" % (700 - 30 * i, i)
             for i in range(20)), keep=0.6)},
               ["segment", "cut.pdf", "--format", "text", "-o", "o.txt"]), 1,
         "page 1: its content (object 5) is damaged: its compressed data is cut short"),
    # pdfminer fills a font's tables entry by entry: without a check these ran out
    # of the address space (or, unlimited, past 60 s at 4 GB and 20 GB)
    _pdf_bomb_case("PDF whose ToUnicode CMap maps every 4-byte code (884 bytes -> 4 billion "
                   "entries)", _pdf_font_table_bomb("tounicode"), address_space=2 << 30),
    _pdf_bomb_case("PDF whose CID font's /W covers codes 0-2,000,000,000 (807 bytes)",
                   _pdf_font_table_bomb("widths"), address_space=2 << 30),
    Case("PDF drawing an inline image of 512 KiB (pdfminer's time grows with its square)",
         _with({"big.pdf": _pdf_inline_image(512 << 10)}, ["segment", "big.pdf", "-o", "o"]),
         1, "inline image"),
    Case("PDF drawing an inline image of 4 KB (the size PDF 32000-1 8.9.7 advises)",
         _with({"small.pdf": _pdf_inline_image(4096)},
               ["segment", "small.pdf", "--format", "text", "-o", "o.txt"]), 0,
         changes=("o.txt",),
         check=lambda d: "Committee" in (d / "o.txt").read_text(encoding="utf-8")),
    # pdfminer walked every object id the /Index declared (past 60 s)
    Case("PDF whose cross-reference stream declares 2,000,000,000 objects in 60 bytes",
         _with({"x.pdf": _pdf_xref_stream(b"0 2000000000")}, ["segment", "x.pdf", "-o", "o"]),
         1, "no text layer"),
    Case("PDF whose cross-reference stream is its own /Prev (a loop)",
         _with({"x.pdf": _pdf_xref_stream(b"0 4", prev_self=True)},
               ["segment", "x.pdf", "-o", "o"]), 1, "loop"),
    # pdfminer follows a reference to a reference for as long as there is one
    Case("PDF whose page content is a reference loop (5 0 R -> 6 0 R -> 5 0 R)",
         _with({"r.pdf": _pdf([b"<< /Type /Catalog /Pages 2 0 R >>",
                               b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
                               b"/Contents 5 0 R >>", b"<< >>", b"6 0 R", b"5 0 R"])},
               ["segment", "r.pdf", "-o", "o"]), 1, "in a loop"),
    Case("PDF whose page tree is a reference loop (/Pages 2 0 R -> 3 0 R -> 2 0 R)",
         _with({"r.pdf": _pdf([b"<< /Type /Catalog /Pages 2 0 R >>", b"3 0 R", b"2 0 R"])},
               ["segment", "r.pdf", "-o", "o"]), 1, "in a loop"),
    Case("a PDF with no pages (not a scan: nothing to OCR)",
         _with({"e.pdf": _pdf([b"<< /Type /Catalog /Pages 2 0 R >>",
                               b"<< /Type /Pages /Kids [] /Count 0 >>"])},
               ["segment", "e.pdf", "-o", "o"]), 1, "no pages"),
    # a cross-reference table whose offsets all point at the header (damaged): the
    # page objects are in the file, the table leads to none. It said 'the PDF has no
    # pages; is this the right file?'
    Case("a PDF whose cross-reference table leads to none of its pages",
         _with({"x.pdf": re.sub(rb"\d{10} 00000 n", b"0000000000 00000 n", _pdf_page_content(
             b"BT /F1 12 Tf 72 700 Td (The Committee met.) Tj ET"))},
               ["segment", "x.pdf", "-o", "o"]), 1, "cross-reference table"),
    Case("truncated PDF", _with({"t.pdf": b"%PDF-1.4\n1 0 obj << /Type /Catalog"},
                                ["segment", "t.pdf", "-o", "o"]), 1, "pdf"),
    # 100,000 blank pages took 22 CPU s to reach their Error (no text layer), and
    # more pages take longer: the page count is capped before any page is read
    Case("PDF of more pages than BITEXT_PDF_MAX_PAGES",
         _with({"p.pdf": _pdf_blank_pages(6)}, ["segment", "p.pdf", "-o", "o"]), 1,
         "p.pdf: 6 pages, more than the limit of 5", env={"BITEXT_PDF_MAX_PAGES": "5"}),
    Case("PDF whose page tree's /Count says fewer pages than it holds",
         _with({"p.pdf": _pdf_blank_pages(6, count=1)}, ["segment", "p.pdf", "-o", "o"]), 1,
         "more than the limit of 5 pages", env={"BITEXT_PDF_MAX_PAGES": "5"}),
    Case("PDF whose page tree's /Count says a billion pages",
         _with({"p.pdf": _pdf_blank_pages(1, count=10**9)}, ["segment", "p.pdf", "-o", "o"]),
         1, "its page tree counts 1,000,000,000 pages"),
    # -- archives ----------------------------------------------------------------
    Case("DOCX zip bomb", _with({"bomb.docx": _bomb()}, ["segment", "bomb.docx", "-o", "o"]),
         1, "zip bomb"),
    Case("DOCX over the size cap",
         _with({"big.docx": _docx(["The Committee met on 3 May."] * 20_000)},
               ["segment", "big.docx", "-o", "o"]), 1, "mib limit",
         env={"BITEXT_DOCX_MAX_MB": "0.5"}),
    Case("DOCX whose ZIP headers lie about sizes",
         _with({"lie.docx": _lying_docx()}, ["segment", "lie.docx", "-o", "o"]), 1, "docx"),
    # a RuntimeError traceback from zipfile
    Case("DOCX whose document.xml is an encrypted ZIP member",
         _with({"e.docx": _docx_headers(flag=1)}, ["segment", "e.docx", "-o", "o"]), 1,
         "e.docx: word/document.xml is encrypted"),
    # 'Error: Invalid data stream; check the file and the disk', naming no file
    Case("DOCX member claiming bzip2 over deflated bytes",
         _with({"b.docx": _docx_headers(method=12)}, ["segment", "b.docx", "-o", "o"]), 1,
         "b.docx: damaged docx part word/document.xml"),
    # read as the last of the two, without a word
    Case("DOCX with two members named word/document.xml",
         _with({"d.docx": _docx_twice()}, ["segment", "d.docx", "-o", "o"]), 1,
         "d.docx: 2 zip members named word/document.xml"),
    Case("truncated DOCX", _with({"t.docx": _docx(["Hello."])[:60]},
                                 ["segment", "t.docx", "-o", "o"]), 1, "zip"),
    Case("ZIP that is not a DOCX", _with({"z.docx": _zip({"a.txt": b"hello"})},
                                         ["segment", "z.docx", "-o", "o"]), 1, "not a word"),
    Case("a .docx that holds plain text (a renamed file, a saved error page)",
         _with({"t.docx": "The Committee met in Vienna.\n"}, ["segment", "t.docx", "-o", "o"]),
         1, "not a word document"),
    Case("a .pdf that holds HTML (a failed download)",
         _with({"p.pdf": "<html><body>404 Not Found</body></html>\n"},
               ["segment", "p.pdf", "-o", "o"]), 1, "not a pdf"),
    # 36 CPU s and 3.7 GB, then out of memory (a roman numeral of a trillion Ms)
    _numbering_case("DOCX list starting at 999,999,999,999 in roman numerals",
                    _numbered_docx(start="999999999999"), "The Committee met"),
    # IndexError traceback: Word has nine levels, 0-8
    _numbering_case("DOCX list level 99999", _numbered_docx(ilvl="99999"),
                    "The Committee met"),
    # past 60 s: a number text repeating %1 100,000 times made a 300 KB label
    _numbering_case("DOCX number text of 100,000 %1",
                    _numbered_docx(text="%1" * 100_000), "The Committee met"),
    # a ZIP member whose mode says symbolic link (unzip makes a link to the path
    # stored as its bytes): bitext reads the bytes, follows nothing, and says
    # what the member is (it said 'damaged DOCX part ... Start tag expected')
    Case("DOCX whose document.xml is a symbolic link in the ZIP",
         _with({"x.docx": _docx_linked("word/document.xml", "/etc/passwd")},
               ["segment", "x.docx", "-o", "o"]), 1,
         "word/document.xml is a symbolic link stored in the zip (to /etc/passwd)"),
    Case("DOCX with broken XML",
         _with({"x.docx": _zip({"word/document.xml": b"<w:document><w:body"})},
               ["segment", "x.docx", "-o", "o"]), 1, "damaged docx"),
    Case("TMX that is not XML", _with({"n.tmx": "hello"}, ["validate", "n.tmx"]), 1, "",
         problem_lines=True),
    Case("XML entity bomb in a TMX",
         _with({"b.tmx": '<?xml version="1.0"?><!DOCTYPE tmx [<!ENTITY a "aaaaaaaaaa">'
                         '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><tmx version="1.4">'
                         '<header/><body>&b;</body></tmx>'},
               ["validate", "b.tmx"]), 1, "", problem_lines=True),
]


CASES += [
    # -- inputs that never end: a device or FIFO is read up to the limit, no further
    Case("segment /dev/zero (an endless device)",
         _with({}, ["segment", "/dev/zero", "--max-input-mb", "1", "-o", "z.txt"]), 1,
         "more than the limit"),
    Case("align with /dev/urandom as a side",
         _with({}, ["align", "/dev/urandom", "en.txt", "--max-input-mb", "1", "-o", "z.tsv",
                    "--format", "tsv"]), 1, "more than the limit"),
    Case("validate /dev/zero", _with({}, ["validate", "/dev/zero", "--format", "tmx"]), 1,
         "more than the limit"),
    # The Error says to raise the limit with --max-input-mb: validate has it too.
    Case("validate /dev/zero --max-input-mb 1",
         _with({}, ["validate", "/dev/zero", "--format", "tmx", "--max-input-mb", "1"]), 1,
         "4.0 mb (reading stopped), more than the limit of 1 mb"),
    Case("filter a JSONL with no line breaks (/dev/zero)",
         _with({}, ["filter", "/dev/zero", "-o", "f.jsonl"]), 1, "a line longer than"),
    Case("build --manifest /dev/zero",
         _with({}, ["build", "--manifest", "/dev/zero", "-o", "out"]), 1, "a line longer than"),
    # -- devices are files that exist: read (up to the limit), never "not found"
    Case("eval GOLD /dev/zero", _with({"p.beads": "[0]:[0]\n"},
                                      ["eval", "p.beads", "/dev/zero"]), 1, "a line longer than"),
    Case("eval PRED /dev/zero", _with({"g.beads": "[0]:[0]\n"},
                                      ["eval", "/dev/zero", "g.beads"]), 1, "a line longer than"),
    Case("glossary SRC /dev/zero",
         _with({}, ["glossary", "/dev/zero", "en.txt", "--encoder", "length", "--max-input-mb",
                    "1", "-o", "g.tsv"]), 1, "more than the limit"),
    Case("glossary --memory /dev/zero",
         _with({}, ["glossary", "--memory", "/dev/zero", "-o", "g.tsv"]), 1,
         "save it to a file"),
    # a memory is read twice (its format, then its units): a FIFO nobody writes
    # to blocked the first read for ever, one that is written lost what the first took
    Case("glossary --memory a FIFO",
         _with({}, ["glossary", "--memory", "m.tsv", "-o", "g.tsv"],
               lambda d: os.mkfifo(d / "m.tsv")), 1, "save it to a file"),
]

_SMALL_TMX = ('<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4"><header srclang="zh" '
              'segtype="sentence" adminlang="en" datatype="plaintext" o-tmf="x" '
              'creationtool="x" creationtoolversion="1"/><body><tu><tuv xml:lang="zh">'
              '<seg>委员会举行会议。</seg></tuv><tuv xml:lang="en"><seg>The Committee met.</seg>'
              '</tuv></tu></body></tmx>\n')
LINK = '{"zh": ["委员会举行会议。"], "en": ["The Committee met."], "score": 0.9}\n'
# a line of NAME.multi.jsonl (bitext.tmx.multi.multi_record)
MULTI_LINE = ('{"tuid": 1, "doc": "d", "label": "p1", "text": {"en": "The Committee met.", '
              '"fr": "Le Comité s\u0027est réuni.", "zh": "委员会举行会议。"}, "ids": {"en": [0], '
              '"fr": [0], "zh": [0]}, "scores": {"en-fr": 0.9, "en-zh": 0.8}}\n')

CASES += [
    # -- filter writes JSONL: an output named as another format would hold JSONL
    Case("filter -o x.tmx", _with({"l.jsonl": LINK}, ["filter", "l.jsonl", "-o", "x.tmx"]), 1,
         "writes jsonl"),
    Case("filter -o x.tsv.gz", _with({"l.jsonl": LINK}, ["filter", "l.jsonl", "-o", "x.tsv.gz"]),
         1, "writes jsonl"),
    # -- filter's output is never one of its inputs
    Case("filter -o INPUT", _with({"l.jsonl": LINK}, ["filter", "l.jsonl", "-o", "l.jsonl"]), 1,
         "is an input"),
    Case("filter -o symlink to the second INPUT",
         _with({"a.jsonl": LINK, "b.jsonl": LINK},
               ["filter", "a.jsonl", "b.jsonl", "-o", "o.jsonl"], _link("o.jsonl", "b.jsonl")),
         1, "is an input"),
    # the Error said to choose another name 'with -o', the option that was right
    Case("filter --removed INPUT",
         _with({"l.jsonl": LINK}, ["filter", "l.jsonl", "-o", "k.jsonl", "--removed",
                                   "l.jsonl"]), 1,
         "output l.jsonl is an input; writing it would destroy the input: choose another "
         "output name with --removed"),
    # -- an input that ls lists but that leads nowhere: a link loop or a broken link
    # ('no such file' named a file the user sees)
    Case("segment a symbolic link that loops",
         _with({}, ["segment", "loop.txt"], _link("loop.txt", "loop.txt")), 1,
         "loop.txt: a symbolic link loop"),
    Case("align a broken symbolic link",
         _with({}, ["align", "en.txt", "gone.txt", "-o", "o.tmx"],
               _link("gone.txt", "moved/zh.txt")), 1,
         "gone.txt: a broken symbolic link (to moved/zh.txt, which does not exist)"),
    # validate said 'cannot read (Too many levels of symbolic links); check the
    # file', the system's words, where every other command names the loop
    Case("validate a symbolic link that loops",
         _with({}, ["validate", "l.tmx"], _link("l.tmx", "l.tmx")), 1,
         "l.tmx: a symbolic link loop"),
    Case("filter a symbolic link that loops",
         _with({}, ["filter", "l.jsonl", "-o", "o.jsonl"], _link("l.jsonl", "l.jsonl")), 1,
         "l.jsonl: a symbolic link loop"),
    # -- a JSONL escape may hold a lone surrogate, which no UTF-8 file can
    Case("glossary --alignment JSONL with a lone surrogate -o TSV",
         _with({"s.jsonl": '{"zh": ["委员会\\ud800举行会议。"], "en": ["The Committee '
                           '\\ud800 met."], "score": 0.9}\n'},
               ["glossary", "--alignment", "s.jsonl", "--no-embed", "-o", "g.tsv"]), 0,
         changes=("g.tsv",),
         check=lambda d: "\ufffd" not in (d / "g.tsv").read_text(encoding="utf-8")),
    # -- output names that name no file
    Case("segment -o '' (an empty name)", _with({}, ["segment", "en.txt", "-o", ""]), 1,
         "empty"),
    Case("filter -o '' (an empty name)",
         _with({"l.jsonl": LINK}, ["filter", "l.jsonl", "-o", ""]), 1, "empty"),
    Case("build -o '' writes nothing into the folder it runs in",
         _with({"c/zh.txt": ZH, "c/en.txt": EN},
               ["build", "c", "-o", "", "--encoder", "length", "--no-glossary"]), 1, "empty"),
    Case("segment -o NEW/ (a name ending in a slash is a folder, not a file)",
         _with({}, ["segment", "en.txt", "-o", "new/"]), 1, "ends with '/'"),
    Case("align -o '' (Moses by default: its stem would be the current folder)",
         _with({}, ["align", "zh.txt", "en.txt", "--encoder", "length", "-o", ""]), 1,
         "empty"),
    Case("align - - (both sides from the one stdin)",
         _with({}, ["align", "-", "-", "--encoder", "length", "-o", "o.tsv"]), 1,
         "read once"),
    Case("glossary - - (both sides from the one stdin)",
         _with({}, ["glossary", "-", "-", "--encoder", "length", "-o", "g.tsv"]), 1,
         "read once"),
    # -- an Error line is one line whatever the path holds
    Case("a path with a line break stays on the one Error line",
         _with({"a\nb.txt": ""}, ["segment", "a\nb.txt", "-o", "o"]), 1, "a\\nb.txt: the file"),
    Case("a path that is not UTF-8 is shown as its bytes, not as surrogate escapes",
         _with({}, ["segment", os.fsdecode(b"m\xff.txt"), "-o", "o"]), 1,
         "m\\xff.txt: no such file"),
    Case("a path with a terminal escape is shown escaped",
         _with({"a\x1b[2Jb.txt": ""}, ["segment", "a\x1b[2Jb.txt", "-o", "o"]), 1,
         "a\\x1b[2jb.txt: the file"),
    # -- the two sides need two language codes: they name the Moses files, the TMX
    # xml:lang and the TSV columns (one side's Moses file replaced the other's, exit 0)
    Case("align --src-code zh --tgt-code ZH (one code for both sides)",
         _with({}, ["align", "zh.txt", "en.txt", "--encoder", "length", "--src-code", "zh",
                    "--tgt-code", "ZH", "-o", "m"]), 1, "both sides"),
    Case("align --tgt-code zh-CN (the Chinese side's own code for the English side)",
         _with({}, ["align", "zh.txt", "en.txt", "--encoder", "length", "--tgt-code", "zh-CN",
                    "-o", "m"]), 1, "both sides"),
    Case("build --src-code zh --tgt-code zh writes nothing",
         _with({"c/zh.txt": ZH, "c/en.txt": EN},
               ["build", "c", "-o", "out", "--encoder", "length", "--no-glossary",
                "--src-code", "zh", "--tgt-code", "zh"]), 1, "both sides"),
    # the build wrote every alignment output, then failed in the glossary
    Case("build --src-lang en --tgt-lang en writes nothing",
         _with({"c/zh.txt": ZH, "c/en.txt": EN},
               ["build", "c", "-o", "out", "--encoder", "length", "--src-lang", "en",
                "--tgt-lang", "en"]), 1, "--src-lang and --tgt-lang"),
    # -- '-' is standard output: a folder of files cannot go there (build made a
    # folder named '-', which later commands took for their stdin)
    Case("build -o - (a folder of files cannot be standard output)",
         _with({"c/zh.txt": ZH, "c/en.txt": EN},
               ["build", "c", "-o", "-", "--encoder", "length", "--no-glossary"]), 1,
         "standard output"),
    # -- a Moses stem (a name without extension) that cannot take three files
    Case("align -o /dev/null with no format: Moses cannot go to a device",
         _with({}, ["align", "zh.txt", "en.txt", "--encoder", "length", "-o", "/dev/null"]), 1,
         "--format"),
    Case("align -o an existing folder with no format: Moses stem is a folder",
         _with({"d/keep": "x"}, ["align", "zh.txt", "en.txt", "--encoder", "length", "-o", "d"]),
         1, "is a folder"),
    # -- a collection's own files in OUT (the ledger manifest.jsonl, corpus.*) are
    # outputs: one that is an input is refused before anything is built. The ledger
    # was appended to, then compacted over, a --manifest named OUT/manifest.jsonl
    # (its rows lost: the rerun found no document).
    Case("build --manifest OUT/manifest.jsonl (the ledger's own name) -o OUT",
         _with({"c/zh.txt": ZH, "c/en.txt": EN,
                "manifest.jsonl": '{"id": "d1", "zh": "c/zh.txt", "en": "c/en.txt"}\n'},
               ["build", "--manifest", "manifest.jsonl", "-o", ".", "--encoder", "length",
                "--no-glossary"]), 1, "is an input"),
    # -- a JSON manifest's escape may hold half a character (a lone surrogate),
    # which no folder or file name can: an id was a UnicodeEncodeError traceback
    # when its folder was looked at (os.stat)
    Case("build --manifest JSONL whose id holds a lone surrogate",
         _with({"c/zh.txt": ZH, "c/en.txt": EN,
                "m.jsonl": '{"id": "a\\ud800", "zh": "c/zh.txt", "en": "c/en.txt"}\n'},
               ["build", "--manifest", "m.jsonl", "-o", "out", "--encoder", "length",
                "--no-glossary"]), 1, "m.jsonl:1: id 'a\\ud800' holds half a character"),
    Case("build --manifest JSONL whose path holds a lone surrogate",
         _with({"c/zh.txt": ZH, "c/en.txt": EN,
                "m.jsonl": '{"id": "a", "zh": "c/zh\\udcff.txt", "en": "c/en.txt"}\n'},
               ["build", "--manifest", "m.jsonl", "-o", "out", "--encoder", "length",
                "--no-glossary"]), 1, "m.jsonl:1: the zh path 'c/zh\\udcff.txt' holds half"),
    Case("build --manifest listing OUT's corpus files as a document's inputs",
         _with({"out/corpus.zh": ZH, "out/corpus.en": EN,
                "m.tsv": "id\tzh\ten\nall\tout/corpus.zh\tout/corpus.en\n"},
               ["build", "--manifest", "m.tsv", "-o", "out", "--encoder", "length",
                "--no-glossary"]), 1, "is an input"),
    # -- an output name of build that is taken by a folder: refused before any
    # file is written (the segments and both TMX were written, then the Error)
    Case("build: an output name in OUT is a folder",
         _with({"c/zh.txt": ZH, "c/en.txt": EN, "out/c.tsv/keep": "x"},
               ["build", "c", "-o", "out", "--encoder", "length", "--no-glossary"]), 1,
         "out/c.tsv: it is a folder"),
    # -- a collection's corpus file taken by a folder: refused before the first
    # document, with the fix a name bitext chooses needs (the advice was to give
    # a file name such as out/corpus.tmx.gz/out.EXT, after every document was built)
    Case("build of a collection: a corpus file name in OUT is a folder",
         _with({"t/a/zh.txt": ZH, "t/a/en.txt": EN, "t/b/zh.txt": ZH, "t/b/en.txt": EN,
                "out/corpus.tmx.gz/keep": "x"},
               ["build", "t", "-o", "out", "--encoder", "length", "--no-glossary"]), 1,
         "out/corpus.tmx.gz: it is a folder, where the build writes a file of that name; "
         "move or rename the folder"),
    # -- a folder's name names its outputs: one too long for them (a long title in
    # Chinese, 3 bytes a character) failed after the segments were written
    Case("build a folder whose name leaves no room for its outputs' names",
         _with({}, ["build", "委" * 84, "-o", "out", "--encoder", "length", "--no-glossary"],
               lambda d: ((d / ("委" * 84)).mkdir(), _texts(d / ("委" * 84)))),
         1, "longer than the 255 bytes"),
    # -- a folder of three language versions is built as one document through the
    # pivot: its outputs are checked as a two-language build's (the French input
    # was replaced by its own segments through the link, exit 0)
    Case("build of three languages: an output name in OUT links to an input",
         _with({"m/zh.txt": ZH, "m/en.txt": EN, "m/fr.txt": FR},
               ["build", "m", "-o", "out", "--encoder", "length", "--no-glossary"],
               lambda d: ((d / "out").mkdir(),
                          os.symlink("../m/fr.txt", d / "out" / "fr.segments.jsonl"))),
         1, "is an input"),
    Case("build of three languages: an output name in OUT is a folder",
         _with({"m/zh.txt": ZH, "m/en.txt": EN, "m/fr.txt": FR, "out/m.tmx/keep": "x"},
               ["build", "m", "-o", "out", "--encoder", "length", "--no-glossary"]), 1,
         "out/m.tmx: it is a folder"),
    # -- the record of the outputs, written last, linked to an input: refused,
    # but only after every output was written (a whole build left unrecorded)
    Case("build: OUT/.bitext-outputs.json links to an input",
         _with({"c/zh.txt": ZH, "c/en.txt": EN},
               ["build", "c", "-o", "out", "--encoder", "length", "--no-glossary"],
               lambda d: ((d / "out").mkdir(),
                          os.symlink("../c/en.txt", d / "out" / ".bitext-outputs.json"))),
         1, "is an input", check=lambda d: sorted(p.name for p in (d / "out").iterdir())
         == [".bitext-outputs.json"]),
    Case("build of three languages: OUT/.bitext-outputs.json links to an input",
         _with({"m/zh.txt": ZH, "m/en.txt": EN, "m/fr.txt": FR},
               ["build", "m", "-o", "out", "--encoder", "length", "--no-glossary"],
               lambda d: ((d / "out").mkdir(),
                          os.symlink("../m/fr.txt", d / "out" / ".bitext-outputs.json"))),
         1, "is an input", check=lambda d: sorted(p.name for p in (d / "out").iterdir())
         == [".bitext-outputs.json"]),
    # -- session 18: messages that named the wrong cause
    Case("build --manifest of Latin-1 bytes says to save the manifest as UTF-8",
         _with({"m.tsv": "id\tzh\ten\nd\tzh\xe9.txt\ten.txt\n".encode("latin-1")},
               ["build", "--manifest", "m.tsv", "-o", "out", "--encoder", "length"]), 1,
         "m.tsv:2: not utf-8 text (byte 5 of the line); save the manifest as utf-8"),
    Case("filter a gzip of a gzip says it is compressed twice",
         _with({"c.jsonl.gz": gzip.compress(gzip.compress(LINK.encode(), mtime=0), mtime=0)},
               ["filter", "c.jsonl.gz", "-o", "o.jsonl"]), 1,
         "c.jsonl.gz: compressed twice (a gzip inside the gzip)"),
    Case("glossary --memory of a gzip of a gzip says it is compressed twice",
         _with({"c.jsonl.gz": gzip.compress(gzip.compress(LINK.encode(), mtime=0), mtime=0)},
               ["glossary", "--memory", "c.jsonl.gz", "-o", "g.tsv"]), 1,
         "c.jsonl.gz: compressed twice (a gzip inside the gzip)"),
    Case("filter a segments file says it is not links",
         _with({"en.segments.jsonl": '{"kind": "paragraph", "label": "p1", "text": "The '
                                     'Committee met.", "sentences": ["The Committee met."]}\n'},
               ["filter", "en.segments.jsonl", "-o", "o.jsonl"]), 1,
         "en.segments.jsonl:1: a line of a segments file"),
    # session 22: a glob over a build's folder (d/*.jsonl) takes its segments
    # files after its links; the segments file read as "no 'zh' side"
    Case("filter of links and then a segments file says the second is not links",
         _with({"d/a.jsonl": LINK,
                "d/en.segments.jsonl": '{"kind": "paragraph", "label": "p1", "text": "The '
                                       'Committee met.", "sentences": ["The Committee met."]}\n'},
               ["filter", "d/a.jsonl", "d/en.segments.jsonl", "-o", "o.jsonl"]), 1,
         "en.segments.jsonl:1: a line of a segments file"),
    Case("glossary --memory of a segments file says it is not links",
         _with({"en.segments.jsonl": '{"kind": "paragraph", "label": "p1", "text": "The '
                                     'Committee met.", "sentences": ["The Committee met."]}\n'},
               ["glossary", "--memory", "en.segments.jsonl", "-o", "g.tsv"]), 1,
         "en.segments.jsonl:1: a line of a segments file"),
    # session 25 (usertest25): the README gives the multilingual units as one
    # JSONL for training (find OUT/multilingual -name '*.multi.jsonl'); filtering
    # it said "expected two language keys such as 'zh' and 'en'" of a line that
    # holds six, and nothing of what bitext filter reads instead
    Case("filter a multilingual memory's JSONL says it is units of every language",
         _with({"all.multi.jsonl": MULTI_LINE}, ["filter", "all.multi.jsonl", "-o", "o.jsonl"]),
         1, "all.multi.jsonl:1: a unit of a multilingual memory"),
    # session 26 (reliab23): a TMX in UTF-16 was told to be saved as UTF-8, then,
    # saved so, 'not a JSON object': the kind of file comes first, the encoding after
    Case("filter a TMX in UTF-16 says it takes JSONL links, not that it wants UTF-8",
         _with({"m.tmx": _SMALL_TMX.encode("utf-16")}, ["filter", "m.tmx", "-o", "o.jsonl"]),
         1, "m.tmx: a tmx translation memory, not jsonl links"),
    Case("filter a TMX in UTF-8 says it takes JSONL links",
         _with({"m.tmx": _SMALL_TMX}, ["filter", "m.tmx", "-o", "o.jsonl"]),
         1, "m.tmx: a tmx translation memory, not jsonl links"),
    Case("filter a PDF named .jsonl says what it is",
         _with({"m.jsonl": b"%PDF-1.4\n%\xe2\xe3\n"}, ["filter", "m.jsonl", "-o", "o.jsonl"]),
         1, "m.jsonl: a pdf document, not jsonl links"),
    Case("glossary --memory of a multilingual memory's JSONL says it is units of every language",
         _with({"all.multi.jsonl": MULTI_LINE},
               ["glossary", "--memory", "all.multi.jsonl", "-o", "g.tsv"]), 1,
         "all.multi.jsonl:1: a unit of a multilingual memory"),
]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_bad_input(case: Case, tmp_path: Path) -> None:
    args = case.setup(tmp_path)
    before = snapshot(tmp_path)
    res = run(args, tmp_path, env=case.env, address_space=case.address_space)
    assert res.returncode == case.code, (res.returncode, res.stderr)
    assert "Traceback" not in res.stderr, res.stderr
    if case.code == 1 and case.problem_lines:
        lines = [ln for ln in res.stderr.splitlines() if ln.strip()]
        assert lines[-1].startswith("Error: "), res.stderr
        assert sum(ln.startswith("Error: ") for ln in lines) == 1, res.stderr
    elif case.code == 1:
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


def _strict_utf8(path: Path) -> str:
    """The text of ``path``, asserting that it is UTF-8 and, for JSON, holds no
    escaped lone surrogate (\\udcff), which strict readers refuse."""
    text = path.read_bytes().decode("utf-8")
    assert "\\udc" not in text.lower(), text[:400]
    return text


def test_build_of_a_folder_whose_name_is_not_utf8(tmp_path: Path) -> None:
    """A folder named on a Latin-1 or GBK system ('c\\xff'), built as `align`
    aligns such a file (e86003f): its outputs are named with the same bytes and
    the name is written inside them as a terminal shows it ('c\\xff'), where
    build refused it (reliab23, session 26: the commands disagreed)."""
    bad = os.fsdecode(b"c\xff")
    (tmp_path / bad).mkdir()
    _texts(tmp_path / bad)
    res = run(["build", bad, "-o", "out", "--encoder", "length"], tmp_path)
    assert res.returncode == 0, res.stderr
    assert "Traceback" not in res.stderr and "\\udc" not in res.stderr, res.stderr
    assert "WARNING" not in res.stderr, res.stderr  # no character replaced in the TBX
    out = tmp_path / "out"
    assert "<prop type=\"x-document\">c\\xff</prop>" in _strict_utf8(out / f"{bad}.sentences.tmx")
    assert "c\\xff" in _strict_utf8(out / f"{bad}.tbx")
    _strict_utf8(out / ".bitext-outputs.json")
    res = run(["validate", "out"], tmp_path)
    assert res.returncode == 0, res.stderr + res.stdout


def test_a_collection_document_whose_folder_name_is_not_utf8(tmp_path: Path) -> None:
    """That document is built as the others (its id shown as 'd\\xff' in the
    outputs, its bytes kept in the ledger), where it failed with an Error; the
    rerun finds both up to date; every line of the ledger is strict JSON."""
    bad = os.fsdecode(b"d\xff")
    for name in ("good", bad):
        (tmp_path / "col" / name).mkdir(parents=True)
        _texts(tmp_path / "col" / name)
    res = run(["build", "col", "-o", "out", "--encoder", "length", "--no-glossary"], tmp_path)
    assert res.returncode == 0, res.stderr
    assert "Traceback" not in res.stderr and "\\udc" not in res.stderr, res.stderr
    assert (tmp_path / "out" / "good" / "good.sentences.tmx").is_file()
    tmx = _strict_utf8(tmp_path / "out" / bad / f"{bad}.sentences.tmx")
    assert "<prop type=\"x-document\">d\\xff</prop>" in tmx
    _strict_utf8(tmp_path / "out" / bad / ".bitext-outputs.json")
    res = run(["build", "col", "-o", "out", "--encoder", "length", "--no-glossary"], tmp_path)
    assert res.returncode == 0 and "2 up to date" in res.stderr, res.stderr
    lines = _strict_utf8(tmp_path / "out" / "manifest.jsonl").splitlines()
    assert len(lines) == 2, lines
    res = run(["validate", "out"], tmp_path)
    assert res.returncode == 0, res.stderr + res.stdout


def test_xml_files_whose_names_are_not_utf8(tmp_path: Path) -> None:
    """A TMX or TBX whose path holds bytes that are not UTF-8 (a folder copied
    from an old Latin-1 disk) was given to lxml, which takes the path for the
    document's base URL and cannot encode it: a UnicodeEncodeError traceback
    from validate (TMX, TBX), glossary --memory and review --export (reading
    OUT's TBX, and its own temporary TBX in the export folder). Each works now."""
    name = os.fsdecode(b"m\xff")
    _texts(tmp_path)
    res = run(["build", ".", "-o", name, "--encoder", "length"], tmp_path)
    assert res.returncode == 0, res.stderr
    memory = f"{name}/{tmp_path.name}.sentences.tmx"
    for args in (["validate", memory], ["validate", f"{name}/{tmp_path.name}.tbx"],
                 ["glossary", "--memory", memory, "--no-embed", "-o", "g.tsv"],
                 ["review", name, "--export", os.fsdecode(b"r\xff")]):
        # validate prints the name on stdout as its bytes, as ls does
        res = subprocess.run([*BITEXT, *args], cwd=tmp_path, capture_output=True, text=True,
                             errors="replace", timeout=120, env=ENV, stdin=subprocess.DEVNULL)
        assert res.returncode == 0 and "Traceback" not in res.stderr, (args, res.stderr)


def test_output_paths_listed_on_stderr_stay_one_line_each(tmp_path: Path) -> None:
    """build, glossary and review --export list the files they wrote on stderr;
    a path holding a line break was printed as it is, so one path read as two
    lines (and a terminal escape in it drove the terminal). Each is shown
    escaped, as the Error line shows it."""
    (tmp_path / "c").mkdir()
    _texts(tmp_path / "c")
    odd = "o\nx"
    for args in (["build", "c", "-o", odd, "--encoder", "length"],
                 ["glossary", "c/zh.txt", "c/en.txt", "--encoder", "length", "--no-embed",
                  "-o", "g\nx.tsv"],
                 ["review", odd, "--export", "r\nx"]):
        res = run(args, tmp_path)
        assert res.returncode == 0, res.stderr
        lines = res.stderr.splitlines()
        assert not any(line.startswith("x") for line in lines), res.stderr
        assert "\\nx" in res.stderr, res.stderr


@pytest.mark.parametrize(("command", "option", "value"), [
    ("segment", "--max-input-mb", "nan"), ("segment", "--max-input-mb", "inf"),
    ("segment", "--max-input-mb", "1e400"), ("align", "--max-input-mb", "NaN"),
    ("align", "--min-score", "nan")])
def test_a_number_option_that_is_no_finite_number(tmp_path: Path, command: str, option: str,
                                                  value: str) -> None:
    """NaN passes every range check (it compares false) and infinity passes an
    open one: both are usage errors (exit 2, one Error line), not a traceback
    from the arithmetic that meets them later."""
    _texts(tmp_path)
    args = {"segment": ["segment", "en.txt"],
            "align": ["align", "zh.txt", "en.txt", "--encoder", "length"]}[command]
    res = run([*args, option, value, "-o", "o.tsv"], tmp_path)
    assert res.returncode == 2, res.stderr
    line = error_line(res)
    assert option in line and "finite number" in line, line
    assert sorted(os.listdir(tmp_path)) == ["en.txt", "zh.txt"]


def test_a_shard_size_past_what_python_counts_is_a_usage_error(tmp_path: Path) -> None:
    """--shard-size 10^23 passed the range check (x>=1) and ended the run, after
    every document was built, with islice's 'ValueError: Stop argument ...' line."""
    (tmp_path / "t" / "a").mkdir(parents=True)
    _texts(tmp_path / "t" / "a")
    res = run(["build", "t", "-o", "out", "--encoder", "length", "--no-glossary",
               "--shard-size", "99999999999999999999999"], tmp_path)
    assert res.returncode == 2, res.stderr
    assert "--shard-size" in error_line(res)
    assert sorted(os.listdir(tmp_path)) == ["t"]


@pytest.mark.parametrize("jobs", ["100000", "99999999999999999999999"])
def test_more_workers_than_the_memory_holds_is_one_error(tmp_path: Path, jobs: str) -> None:
    """Each local worker loads the model (RSS_BASE_MB): --jobs 100000 (a typo for
    10) started worker processes until 'timeout 60' killed the run."""
    (tmp_path / "t" / "a").mkdir(parents=True)
    _texts(tmp_path / "t" / "a")
    res = run(["build", "t", "-o", "out", "--encoder", "length", "--jobs", jobs], tmp_path,
              timeout=60)
    assert res.returncode == 1, res.stderr
    line = error_line(res)
    assert f"--jobs {jobs}" in line and "memory" in line, line
    assert sorted(os.listdir(tmp_path)) == ["t"]


def test_language_codes_in_any_case(tmp_path: Path) -> None:
    """ZH, En, FR: the six languages' codes are read whatever their case, as the
    BCP 47 codes of --src-code are; an unknown one stays a usage error naming
    the choices."""
    _texts(tmp_path)
    res = run(["align", "zh.txt", "en.txt", "--encoder", "length", "--src-lang", "ZH",
               "--tgt-lang", "En", "-o", "o.tsv"], tmp_path)
    assert res.returncode == 0, res.stderr
    (tmp_path / "m").mkdir()
    _texts(tmp_path / "m")
    (tmp_path / "m" / "fr.txt").write_text(
        "1. Le Comité s'est réuni le 3 mai 2016 à Vienne. Il a adopté son ordre du jour.\n\n"
        "2. Le Secrétariat a présenté le rapport sur la prévention du crime.\n\n"
        "3. Le Comité a décidé de tenir sa prochaine session en 2017.\n", encoding="utf-8")
    res = run(["build", "m", "-o", "out", "--encoder", "length", "--no-glossary",
               "--pivot", "ZH"], tmp_path)
    assert res.returncode == 0, res.stderr
    assert (tmp_path / "out" / "m.tmx").is_file()
    res = run(["build", "m", "-o", "out2", "--pivot", "xx"], tmp_path)
    assert res.returncode == 2 and "'zh'" in error_line(res), res.stderr
    assert not (tmp_path / "out2").exists()


@pytest.mark.parametrize("ext", ["tmx", "jsonl", "tsv"])
def test_align_of_a_file_whose_name_is_not_utf8(tmp_path: Path, ext: str) -> None:
    """A file named on a Latin-1 or GBK system ('b\\xff.txt'): its name becomes
    the document's name inside the output, and the TMX, JSONL and TSV writers
    ended in a UnicodeEncodeError traceback (no output). The name is written
    as a terminal shows it, the byte as '\\xff'."""
    _texts(tmp_path)
    name = os.fsdecode(b"rep\xff.en.txt")
    os.rename(tmp_path / "en.txt", tmp_path / name)
    res = run(["align", name, "zh.txt", "--encoder", "length", "-o", f"out.{ext}"], tmp_path)
    assert res.returncode == 0, res.stderr
    assert "Traceback" not in res.stderr
    text = (tmp_path / f"out.{ext}").read_text(encoding="utf-8")
    assert "rep\\xff" in text.replace("\\\\", "\\"), text[:400]  # JSON doubles the \\


@pytest.mark.parametrize(("name", "codec"), [("m.tmx", "utf-16-le"), ("m.tmx", "utf-16-be"),
                                           ("g.tbx", "utf-16-le")])
def test_validate_of_utf16_without_its_byte_order_mark(tmp_path: Path, name: str,
                                                       codec: str) -> None:
    """XML in UTF-16 must open with the byte-order mark (XML 1.0, 4.3.3), and a
    parser that goes by the declaration (encoding="UTF-8") misreads the file.
    validate said of a TMX '39 character(s) XML 1.0 forbids: U+0000 (NUL)' (the
    bytes scanned as UTF-8), and of a TBX 'valid TBX' (reliab22, session 25)."""
    _texts(tmp_path)
    made = "a.tmx" if name.endswith(".tmx") else "a.tbx"
    if made == "a.tmx":
        res = run(["align", "zh.txt", "en.txt", "--encoder", "length", "-o", made], tmp_path)
    else:
        res = run(["glossary", "zh.txt", "en.txt", "--encoder", "length", "-o", made],
                  tmp_path)
    assert res.returncode == 0, res.stderr
    text = (tmp_path / made).read_text(encoding="utf-8")
    (tmp_path / name).write_bytes(text.encode(codec))
    res = run(["validate", name], tmp_path)
    assert res.returncode == 1, res.stdout
    assert error_line(res).startswith(f"Error: {name}: UTF-16 without its byte-order mark"), (
        res.stderr)
    assert len(res.stderr.strip().splitlines()) == 1, res.stderr
    # with the mark (and a declaration that says so) it is valid
    (tmp_path / name).write_bytes(text.replace('encoding="UTF-8"', 'encoding="UTF-16"')
                                  .encode("utf-16"))
    assert run(["validate", name], tmp_path).returncode == 0


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


def _signals_at_default() -> None:
    """``preexec_fn``: the signals these tests send, at their default action in the child.

    An ignored signal stays ignored across ``exec``, and bitext rightly keeps it
    ignored (``nohup`` must keep working). The test runner may have inherited
    ignored signals: a script that starts ``pytest &`` ignores SIGINT and SIGQUIT
    (POSIX, for background jobs of a shell without job control), ``nohup``
    ignores SIGHUP. Without this, a suite started so failed the SIGINT and SIGHUP
    tests (the signal never came) and passed SIGTERM's.
    """
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, signal.SIG_DFL)


def _ignored_signals(pid: int) -> set[signal.Signals]:
    """The signals process ``pid`` ignores (its ``SigIgn`` mask in /proc)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("SigIgn:"):
            mask = int(line.split()[1], 16)
            return {s for s in signal.Signals if mask >> (s - 1) & 1}
    return set()


@contextlib.contextmanager
def _bitext(args: list[str], cwd: Path,
            preexec: Callable[[], None] = _signals_at_default) -> Iterator[subprocess.Popen[str]]:
    """Start bitext (the signals these tests send at their default action); kill it
    at the end of the block if it still runs, so a failing test leaves no process
    behind (one blocked on a FIFO would wait for ever)."""
    proc = subprocess.Popen([*BITEXT, *args], cwd=cwd, env=ENV, stderr=subprocess.PIPE,
                            text=True, stdin=subprocess.DEVNULL, preexec_fn=preexec)
    try:
        yield proc
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()


def _blocked_opening_a_fifo(proc: subprocess.Popen[str], timeout: float = 120) -> None:
    """Wait until ``proc`` blocks opening a FIFO for reading (until a writer comes),
    as its /proc entry shows."""
    wchan = Path(f"/proc/{proc.pid}/wchan")
    end = time.monotonic() + timeout
    while wchan.read_text(errors="replace") not in ("wait_for_partner", "fifo_open"):
        assert proc.poll() is None and time.monotonic() < end, (
            "bitext never blocked opening its FIFO input")
        time.sleep(0.02)


def _ended(proc: subprocess.Popen[str], timeout: float) -> str:
    """Wait for ``proc`` to end and return its stderr; fail if it does not."""
    try:
        _, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        pytest.fail(f"bitext did not end within {timeout} s of the signal")
    return err


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs /proc")
def test_ctrl_c_prints_interrupted_and_exits_130(tmp_path: Path) -> None:
    # Input from a FIFO nobody writes to: the command blocks reading it until SIGINT.
    os.mkfifo(tmp_path / "in.txt")
    with _bitext(["segment", "in.txt", "-o", "out.jsonl"], tmp_path) as proc:
        _blocked_opening_a_fifo(proc)
        assert signal.SIGINT not in _ignored_signals(proc.pid)
        proc.send_signal(signal.SIGINT)
        err = _ended(proc, 120)
    assert proc.returncode == 130, err
    assert [ln for ln in err.splitlines() if ln.strip()] == ["Interrupted."]
    assert sorted(os.listdir(tmp_path)) == ["in.txt"]


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs /proc")
def test_a_sighup_the_caller_ignores_stays_ignored(tmp_path: Path) -> None:
    """``nohup bitext ...``: the hang-up is ignored and the command finishes its work."""
    os.mkfifo(tmp_path / "in.txt")

    def nohup() -> None:
        _signals_at_default()
        signal.signal(signal.SIGHUP, signal.SIG_IGN)

    with _bitext(["segment", "in.txt", "-o", "out.jsonl"], tmp_path, nohup) as proc:
        _blocked_opening_a_fifo(proc)
        proc.send_signal(signal.SIGHUP)
        # Non-blocking: if the hang-up ended bitext, there is no reader (ENXIO)
        # and the test fails here instead of waiting for one.
        fd = os.open(tmp_path / "in.txt", os.O_WRONLY | os.O_NONBLOCK)
        with os.fdopen(fd, "wb") as fh:
            fh.write(EN.encode("utf-8"))
        err = _ended(proc, 120)
    assert proc.returncode == 0, err
    assert (tmp_path / "out.jsonl").read_text(encoding="utf-8").startswith('{"kind"')


def test_a_signal_after_the_command_ended_has_its_usual_effect(tmp_path: Path) -> None:
    """A SIGTERM that comes as the command returns (its files written) ends the
    process as the signal's default action does: no traceback of a handler that
    has nobody left to catch what it raises."""
    _texts(tmp_path)
    code = ("import os, signal, time\n"
            "from bitext.cli import main\n"
            "main(['segment', 'en.txt', '-o', 'out.jsonl'])\n"
            "os.kill(os.getpid(), signal.SIGTERM)\n"
            "time.sleep(60)\n")
    res = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=ENV,
                         capture_output=True, text=True, timeout=120,
                         preexec_fn=_signals_at_default)
    assert res.returncode == -signal.SIGTERM, res.stderr
    assert res.stderr == ""
    assert (tmp_path / "out.jsonl").read_text(encoding="utf-8").startswith('{"kind"')


def test_main_gives_back_the_signal_handlers_it_found(tmp_path: Path) -> None:
    """main() called in a process that goes on (a test, an embedding app) leaves
    that process's SIGTERM and SIGHUP handlers as they were."""
    from bitext.cli import main

    _texts(tmp_path)

    def mine(signum: int, frame: object) -> None:  # pragma: no cover - never sent
        pass

    before = {sig: signal.getsignal(sig) for sig in (signal.SIGTERM, signal.SIGHUP)}
    try:
        for sig in before:
            signal.signal(sig, mine)
        main(["segment", str(tmp_path / "en.txt"), "-o", str(tmp_path / "out.jsonl")])
        with pytest.raises(SystemExit):
            main(["segment", str(tmp_path / "missing.txt")])
        assert {sig: signal.getsignal(sig) for sig in before} == {sig: mine for sig in before}
    finally:
        for sig, handler in before.items():
            signal.signal(sig, handler)


def _closed_stdout(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    """``bitext ARGS >&-``: the command runs with no file descriptor 1."""
    return subprocess.run(["sh", "-c", 'exec "$@" >&-', "sh", *BITEXT, *args], cwd=cwd,
                          env=ENV, stderr=subprocess.PIPE, text=True, timeout=120)


@pytest.mark.parametrize("args", [["segment", "en.txt", "-o", "out.jsonl"], ["--help"],
                                  ["segment", "missing.txt", "-o", "out.jsonl"]],
                         ids=["output file", "help", "bad input"])
def test_a_closed_stdout_is_not_an_error_when_nothing_goes_there(tmp_path: Path,
                                                                  args: list[str]) -> None:
    """With stdout closed (``>&-``, a daemon's or cron's odd set-up) every command,
    --help included, ended in an AttributeError traceback from the flush of stdout
    (Python's sys.stdout is None then), exit 1."""
    _texts(tmp_path)
    res = _closed_stdout(args, tmp_path)
    if "missing.txt" in args:
        assert res.returncode == 1 and "missing.txt" in error_line(res)
        return
    assert res.returncode == 0, res.stderr
    assert "Traceback" not in res.stderr, res.stderr
    if "-o" in args:
        assert (tmp_path / "out.jsonl").read_text(encoding="utf-8").count("\n") >= 3


def test_data_for_a_closed_stdout_is_one_error(tmp_path: Path) -> None:
    """``bitext segment en.txt >&-``: an AttributeError traceback; now one Error
    saying stdout is closed and to give a file with -o (as cat says 'write error')."""
    _texts(tmp_path)
    before = snapshot(tmp_path)
    res = _closed_stdout(["segment", "en.txt"], tmp_path)
    assert res.returncode == 1
    line = error_line(res)
    assert "standard output" in line and "closed" in line and "-o" in line
    assert snapshot(tmp_path) == before


def test_scores_for_a_closed_stdout_are_one_error(tmp_path: Path) -> None:
    """``bitext eval PRED GOLD >&-`` computed the scores, wrote them nowhere and
    exited 0; now one Error before any work, saying where the scores would go."""
    (tmp_path / "a.beads").write_text("[0]:[0]\n", encoding="utf-8")
    res = _closed_stdout(["eval", "a.beads", "a.beads"], tmp_path)
    assert res.returncode == 1
    line = error_line(res)
    assert "standard output" in line and "closed" in line and "scores" in line


@pytest.mark.parametrize("args", [["segment", "-"], ["filter", "-", "-o", "out.jsonl"]],
                         ids=["segment", "filter"])
def test_reading_a_closed_stdin_is_one_error(tmp_path: Path, args: list[str]) -> None:
    """``bitext segment - <&-``: an AttributeError traceback (Python's sys.stdin is
    None); now one Error saying stdin is closed."""
    before = snapshot(tmp_path)
    res = subprocess.run(["sh", "-c", 'exec "$@" <&-', "sh", *BITEXT, *args], cwd=tmp_path,
                         env=ENV, capture_output=True, text=True, timeout=120)
    assert res.returncode == 1
    line = error_line(res)
    assert "standard input" in line and "closed" in line
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize("args", [
    ["segment", "zh.txt", "--format", "text", "-o", "-"],
    ["align", "zh.txt", "en.txt", "--encoder", "length", "--format", "tmx", "-o", "-"],
    ["glossary", "zh.txt", "en.txt", "--encoder", "length", "--format", "tsv", "-o", "-"],
    ["filter", "l.jsonl", "-o", "-"],
    ["eval", "p.tsv", "g.tsv"],
], ids=["segment", "align", "glossary", "filter", "eval"])
@pytest.mark.parametrize("env", [{"PYTHONIOENCODING": "latin-1"},
                                 {"LC_ALL": "C", "LANG": "C", "PYTHONUTF8": "0"}],
                         ids=["latin-1", "C-locale"])
def test_stdout_is_utf8_whatever_the_locale(tmp_path: Path, args: list[str],
                                            env: dict[str, str]) -> None:
    """A terminal or locale that is not UTF-8 (LANG=C with Python's UTF-8 mode off,
    an ISO-8859-1 locale) made every command printing Chinese to stdout end with a
    UnicodeEncodeError traceback. Stdout holds UTF-8 as every output file does (a
    TMX declares it, JSONL is UTF-8)."""
    _texts(tmp_path)
    (tmp_path / "l.jsonl").write_text(LINK, encoding="utf-8")
    (tmp_path / "p.tsv").write_text("zh\ten\n委员会\tSecretariat\n", encoding="utf-8")
    (tmp_path / "g.tsv").write_text("zh\ten\n委员会\tCommittee\n", encoding="utf-8")
    res = subprocess.run([*BITEXT, *args], cwd=tmp_path, capture_output=True, timeout=120,
                         env={**ENV, **env}, stdin=subprocess.DEVNULL)
    assert res.returncode == 0, res.stderr.decode("utf-8", "replace")
    assert "委员会" in res.stdout.decode("utf-8")


def test_a_deleted_working_folder_is_named_in_the_error(tmp_path: Path) -> None:
    """Run from a folder deleted meanwhile (another shell's rm -r) with a relative
    -o: 'Error: No such file or directory; check the file and the disk' named
    nothing; now it says the working folder is gone and what to do."""
    _texts(tmp_path)
    (tmp_path / "gone").mkdir()
    res = subprocess.run(["sh", "-c", 'cd gone && rmdir "$PWD" && exec "$@"', "sh", *BITEXT,
                          "segment", str(tmp_path / "en.txt"), "-o", "out.jsonl"],
                         cwd=tmp_path, env=ENV, capture_output=True, text=True, timeout=120)
    assert res.returncode == 1
    line = error_line(res)
    assert "current folder" in line and "no longer exists" in line and "cd " in line


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


def _run_read_only(cmd: list[str], folder: Path, cwd: Path, mount: str, timeout: int
                   ) -> tuple[subprocess.CompletedProcess[str], dict[str, tuple[object, ...]]]:
    """Run ``cmd`` in ``cwd`` with ``folder`` read-only; also the snapshot of
    ``cwd`` taken just before. Root writes whatever the mode, so as root the
    folder is made read-only in a mount namespace of the command's own
    (``mount``: the shell command that does it to "$0"), else by the mode of
    the folder and its subfolders, given back after. Skips where neither can
    be done."""
    folders = [folder, *[p for p in folder.rglob("*") if p.is_dir()]]
    if os.geteuid() == 0:
        cmd = ["unshare", "-m", "sh", "-c", f'{mount} || exit 99; exec "$@"', str(folder),
               *cmd]
    else:
        for sub in folders:
            sub.chmod(0o555)
    before = snapshot(cwd)
    try:
        res = subprocess.run(cmd, cwd=cwd, env=ENV, capture_output=True, text=True,
                             timeout=timeout, stdin=subprocess.DEVNULL)
    except FileNotFoundError:
        pytest.skip("no unshare(1) to make a read-only folder as root")
    finally:
        for sub in folders:
            sub.chmod(0o755)
    if res.returncode == 99:
        pytest.skip(f"cannot mount a read-only folder here: {res.stderr.strip()}")
    return res, before


@pytest.mark.parametrize("args", [["segment", "en.txt", "-o", "ro/out.jsonl"],
                                  ["segment", "en.txt", "-o", "ro/new/out.jsonl"],
                                  ["build", "c", "-o", "ro/out", "--encoder", "length",
                                   "--no-glossary"]], ids=["file", "new folder", "build"])
def test_an_output_in_a_read_only_folder(tmp_path: Path, args: list[str]) -> None:
    """One Error line that says why and what to do, and nothing left behind. Root
    may write into a folder whatever its mode, so as root the folder is a read-only
    mount in a mount namespace of the command's own."""
    _texts(tmp_path)
    (tmp_path / "c").mkdir()
    _texts(tmp_path / "c")
    ro = tmp_path / "ro"
    ro.mkdir()
    res, before = _run_read_only([*BITEXT, *args], ro, tmp_path,
                                 'mount -t tmpfs -o ro none "$0"', timeout=120)
    assert res.returncode == 1, res.stderr
    assert "write elsewhere" in error_line(res), res.stderr
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize("case", ["collection up to date", "collection changed", "document",
                                  "collection up to date, no lock file",
                                  "collection changed, no lock file"])
def test_a_rerun_into_a_read_only_output_folder(tmp_path: Path, case: str) -> None:
    """A rerun into a built folder that has become read-only: nothing to write is
    said up to date (the lock file, opened for writing, failed it); a write that is
    needed is one Error line that says the folder is read-only. Without its lock
    file (a copy that left out hidden files) the lock cannot be made: the run
    needs none to write nothing. Root writes
    whatever the mode, so the folder is made read-only as a read-only bind mount
    (as root) in a mount namespace of the command's own, or by its mode."""
    tree = tmp_path / ("c" if case == "document" else "col")
    for sub in ([tree] if case == "document" else [tree / "a", tree / "b"]):
        sub.mkdir(parents=True)
        _texts(sub)
    args = ["build", tree.name, "-o", "out", "--encoder", "length", "--no-glossary"]
    first = run(args, tmp_path)
    assert first.returncode == 0, first.stderr
    if case.startswith("collection changed"):
        with (tree / "a" / "en.txt").open("a", encoding="utf-8") as fh:
            fh.write("\n\nOne more paragraph.\n")
    out = tmp_path / "out"
    if case.endswith("no lock file"):
        (out / ".bitext.lock").unlink()
    res, before = _run_read_only([*BITEXT, *args], out, tmp_path,
                                 'mount --bind "$0" "$0" && mount -o remount,bind,ro "$0"',
                                 timeout=300)
    if case.startswith("collection up to date"):
        assert res.returncode == 0, res.stderr
        assert "2 up to date" in res.stderr and "Error" not in res.stderr, res.stderr
    else:
        assert res.returncode == 1, res.stderr
        line = error_line(res)
        assert re.search(r"Read-only file system|Permission denied", line), res.stderr
        assert "write elsewhere" in line, res.stderr
    assert snapshot(tmp_path) == before


def test_eval_of_two_pipes_says_how_to_score_a_glossary(tmp_path: Path) -> None:
    """Process substitution gives names with no extension (/dev/fd/63): eval read
    two term lists as bead files, and its Error ('not a bead line') did not say
    that the kind is told by the files' extensions, nor how to name them."""
    gold = Path(__file__).resolve().parents[1] / "corpora" / "un-som-2016" / "gold.terms.tsv"
    res = subprocess.run(["bash", "-c", f'exec "$@" <(cat "{gold}") <(cat "{gold}")', "bash",
                          *BITEXT, "eval"], cwd=tmp_path, env=ENV, capture_output=True,
                         text=True, timeout=120, stdin=subprocess.DEVNULL)
    assert res.returncode == 1, res.stderr
    line = error_line(res)
    assert "not a bead line" in line, line
    assert "no file extension" in line and ".tsv" in line, line


@pytest.mark.parametrize("args", [["build", "lp", "-o", "out", "--encoder", "length"],
                                  ["review", "lp"],
                                  ["build", "c", "-o", "lp", "--encoder", "length",
                                   "--no-glossary"]],
                         ids=["build", "review", "build -o"])
def test_a_folder_that_is_a_symbolic_link_loop(tmp_path: Path, args: list[str]) -> None:
    """Named as fileio's readers name it (2b71b09), not 'not a folder' (nor, as
    build's output, 'File exists')."""
    (tmp_path / "c").mkdir()
    _texts(tmp_path / "c")
    (tmp_path / "lp").symlink_to("lp")
    before = snapshot(tmp_path)
    res = run(args, tmp_path)
    assert res.returncode == 1, res.stderr
    assert "lp: a symbolic link loop" in error_line(res), res.stderr
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize("args", [["build", "gone", "-o", "out", "--encoder", "length"],
                                  ["build", "gone", "gone2", "-o", "out", "--encoder", "length"],
                                  ["review", "gone"]], ids=["build", "build trees", "review"])
def test_a_folder_that_does_not_exist(tmp_path: Path, args: list[str]) -> None:
    """A mistyped folder is said not to exist, as a missing file is ('no such
    file'): 'not a folder' sent the user looking for a file of that name."""
    before = snapshot(tmp_path)
    res = run(args, tmp_path)
    assert res.returncode == 1, res.stderr
    assert "gone: no such folder" in error_line(res), res.stderr
    assert snapshot(tmp_path) == before


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


def _main_with(patch: str, args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run bitext's main() in a child after ``patch`` (Python code) has run."""
    code = f"import sys\n{patch}\nfrom bitext.cli import main\nmain({args!r})\n"
    return subprocess.run([sys.executable, "-c", code], cwd=cwd, env=ENV,
                          capture_output=True, text=True, timeout=120)


def test_memory_error_is_one_error_line_with_a_hint(tmp_path: Path) -> None:
    _texts(tmp_path)
    patch = ("import bitext.ingest.document as d\n"
             "def boom(*a, **k):\n    raise MemoryError\n"
             "d.read_file = boom")
    res = _main_with(patch, ["segment", "en.txt", "-o", "out.jsonl"], tmp_path)
    assert res.returncode == 1, res.stderr
    assert "out of memory" in error_line(res)
    assert not (tmp_path / "out.jsonl").exists()


def test_eio_while_writing_is_an_export_error(tmp_path: Path) -> None:
    _texts(tmp_path)
    (tmp_path / "out.jsonl").write_text("old\n", encoding="utf-8")
    patch = ("import errno, os\n"
             "def eio(fd):\n    raise OSError(errno.EIO, os.strerror(errno.EIO))\n"
             "os.fsync = eio")
    res = _main_with(patch, ["segment", "en.txt", "-o", "out.jsonl"], tmp_path)
    assert res.returncode == 1, res.stderr
    assert "input/output error" in error_line(res).lower()
    assert (tmp_path / "out.jsonl").read_text(encoding="utf-8") == "old\n"
    assert sorted(os.listdir(tmp_path)) == ["en.txt", "out.jsonl", "zh.txt"]


def test_truncated_gzip_is_not_aborted(tmp_path: Path) -> None:
    """An EOFError from a truncated stream read anywhere is bad input, not Ctrl-D."""
    _texts(tmp_path)
    patch = ("import bitext.ingest.document as d\n"
             "def trunc(*a, **k):\n"
             "    raise EOFError('Compressed file ended before the end-of-stream marker')\n"
             "d.read_file = trunc")
    res = _main_with(patch, ["segment", "en.txt"], tmp_path)
    assert res.returncode == 1, res.stderr
    assert "truncated" in error_line(res)
    assert "Aborted" not in res.stderr


def test_dev_stdout_appended_to_a_file_keeps_its_content(tmp_path: Path) -> None:
    """`bitext segment ... -o /dev/stdout >> log` must append, not overwrite."""
    _texts(tmp_path)
    log = tmp_path / "log.txt"
    log.write_text("keep me\n", encoding="utf-8")
    with open(log, "ab") as fh:
        res = subprocess.run([*BITEXT, "segment", "en.txt", "-o", "/dev/stdout"], cwd=tmp_path,
                             env=ENV, stdout=fh, stderr=subprocess.PIPE, text=True, timeout=120)
    assert res.returncode == 0, res.stderr
    text = log.read_text(encoding="utf-8")
    assert text.startswith("keep me\n{")


@pytest.mark.parametrize(("sig", "code", "line"), [(signal.SIGTERM, 143, "Terminated."),
                                                   (signal.SIGHUP, 129, "Hangup.")])
def test_sigterm_or_sighup_during_a_build_write(tmp_path: Path, sig: signal.Signals, code: int,
                                                line: str) -> None:
    """kill (SIGTERM) or a closed terminal (SIGHUP) while build writes its files: exit
    128 + the signal with one line, no temporary file, every output either the old
    file untouched or a whole new one (the same bytes as a build left alone)."""
    import re

    dates = re.compile(rb'(creationdate|changedate)="[0-9TZ]+"|<date>[^<]*</date>'
                       rb'|<descrip type="date">[^<]*</descrip>')
    corpus = tmp_path / "report"
    corpus.mkdir()
    n = 600
    (corpus / "en.txt").write_text("".join(
        f"{k}. The Committee met on {k} May in Vienna. It adopted report {k}.\n\n"
        for k in range(1, n)), encoding="utf-8")
    (corpus / "zh.txt").write_text("".join(
        f"{k}. 委员会于{k}月在维也纳举行会议。委员会通过了第{k}号报告。\n\n"
        for k in range(1, n)), encoding="utf-8")
    args = ["build", "report", "--encoder", "length", "--no-glossary", "--no-corpus"]
    ref = run([*args, "-o", "ref"], tmp_path, timeout=300)
    assert ref.returncode == 0, ref.stderr
    names = [p.name for p in (tmp_path / "ref").iterdir() if not p.name.startswith(".")]
    out = tmp_path / "out"
    out.mkdir()
    for name in names:
        (out / name).write_bytes(b"old\n")
    with _bitext([*args, "-o", "out"], tmp_path) as proc:
        end = time.monotonic() + 300
        while time.monotonic() < end and proc.poll() is None:
            if any(p.endswith(".tmp") for p in os.listdir(out)):
                break
            time.sleep(0.001)
        assert proc.poll() is None, "the build ended before a temporary file was seen"
        assert sig not in _ignored_signals(proc.pid)
        proc.send_signal(sig)
        err = _ended(proc, 120)
    assert proc.returncode == code, err
    assert [ln for ln in err.splitlines() if ln.strip()] == [line], err
    assert not [p for p in os.listdir(out) if p.endswith(".tmp")]
    old = 0
    for name in names:
        got = (out / name).read_bytes()
        if got == b"old\n":
            old += 1
        else:
            want = (tmp_path / "ref" / name).read_bytes()
            assert dates.sub(b"D", got) == dates.sub(b"D", want), f"{name} is partial"
    assert old >= 1, "killed after the last write: nothing was interrupted"
    assert (corpus / "en.txt").read_text(encoding="utf-8").startswith("1. The Committee")


@pytest.mark.parametrize(("sig", "code", "line", "jobs"), [
    (signal.SIGTERM, 143, "Terminated.", "1"), (signal.SIGTERM, 143, "Terminated.", "2"),
    (signal.SIGHUP, 129, "Hangup.", "1"), (signal.SIGINT, 130, "Interrupted.", "1")])
def test_a_collection_build_stopped_by_a_signal_says_what_is_kept(
        tmp_path: Path, sig: signal.Signals, code: int, line: str, jobs: str) -> None:
    """kill (SIGTERM) or a closed terminal (SIGHUP) during a collection's build
    printed 'Terminated.' alone, where Ctrl-C says that every document finished
    is recorded and the same command builds the rest: true of both (reliab22)."""
    for d in range(6):
        folder = tmp_path / "tree" / f"d{d}"
        folder.mkdir(parents=True)
        (folder / "en.txt").write_text("".join(
            f"{k}. The Committee met on {k} May in Vienna. It adopted report {k}/{d}.\n\n"
            for k in range(1, 150)), encoding="utf-8")
        (folder / "zh.txt").write_text("".join(
            f"{k}. 委员会于{k}月在维也纳举行会议。委员会通过了第{k}/{d}号报告。\n\n"
            for k in range(1, 150)), encoding="utf-8")
    args = ["build", "tree", "-o", "out", "--encoder", "length", "--no-glossary", "--jobs", jobs]
    ledger = tmp_path / "out" / "manifest.jsonl"
    with _bitext(args, tmp_path) as proc:
        end = time.monotonic() + 300
        while time.monotonic() < end and proc.poll() is None:
            if ledger.is_file() and ledger.stat().st_size:
                break
            time.sleep(0.01)
        assert proc.poll() is None, "the build ended before a document was recorded"
        proc.send_signal(sig)
        err = _ended(proc, 120)
    assert proc.returncode == code, err
    assert [ln for ln in err.splitlines() if ln.strip()] == [
        f"stopped: every document finished is recorded in {Path('out', 'manifest.jsonl')}; "
        "the same command builds the rest", line], err
    assert not [p for p in (tmp_path / "out").rglob("*") if ".tmp" in p.name]
    again = run(args, tmp_path, timeout=300)
    assert again.returncode == 0, again.stderr
    assert re.search(r"\b[1-9][0-9]* up to date", again.stderr), again.stderr


@pytest.mark.parametrize("args", [
    ["segment", "sock"], ["align", "sock", "en.txt", "-o", "o.tmx"],
    ["filter", "sock", "-o", "f.jsonl"], ["validate", "sock", "--format", "tmx"],
    ["eval", "sock", "sock"], ["glossary", "sock", "en.txt", "-o", "g.tbx"],
    ["build", "--manifest", "sock", "-o", "out"],
])
def test_a_socket_given_as_a_file_says_so(tmp_path: Path, args: list[str]) -> None:
    """A socket where a file is wanted: 'sock: cannot read (No such device or
    address)', the system's words for it, which say neither what the path is nor
    what to do."""
    import socket

    _texts(tmp_path)
    server = socket.socket(socket.AF_UNIX)
    cwd = os.getcwd()
    os.chdir(tmp_path)  # a relative name: a socket's path is at most 107 bytes
    try:
        server.bind("sock")
    finally:
        os.chdir(cwd)
    try:
        before = snapshot(tmp_path)
        res = run(args, tmp_path)
    finally:
        server.close()
    assert res.returncode == 1, res.stderr
    line = error_line(res)
    assert "sock" in line and "is a socket" in line and "give" in line, line
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize(("args", "work"), [
    (["segment", "en.txt", "-o", "ro/out.jsonl"], "bitext.ingest.document.load_document"),
    (["align", "zh.txt", "en.txt", "--encoder", "length", "-o", "ro/out.tmx"],
     "bitext.pipeline.align_files"),
    (["align", "zh.txt", "en.txt", "--encoder", "length", "-o", "ro/new/out.moses"],
     "bitext.pipeline.align_files"),
    (["glossary", "zh.txt", "en.txt", "--encoder", "length", "-o", "ro/g.tbx"],
     "bitext.pipeline.align_files"),
    (["filter", "l.jsonl", "-o", "ro/f.jsonl.gz"], "bitext.filters.filter_jsonl"),
], ids=["segment", "align", "align moses, a new folder", "glossary", "filter"])
def test_an_output_folder_that_takes_no_file_is_refused_before_the_work(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
        args: list[str], work: str) -> None:
    """align into a folder it may not write aligned the whole pair first (42.8 s
    wall, 8.3 CPU s for 4,000 paragraphs at load 10), then said `cannot write`;
    glossary and filter likewise. The folder is tried before the work, as the
    write will try it (a temporary file made and removed), so the Error comes
    first. (As root a folder's mode does not stop a write: os.open refuses here.)"""
    import importlib

    from bitext.cli import main

    _texts(tmp_path)
    (tmp_path / "l.jsonl").write_text(LINK, encoding="utf-8")
    ro = tmp_path / "ro"
    ro.mkdir()
    real_open = os.open

    def refusing(path: Any, flags: int, *rest: Any, **kw: Any) -> int:
        if os.path.abspath(path).startswith(str(ro)) and flags & os.O_CREAT:
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, flags, *rest, **kw)

    module, name = work.rsplit(".", 1)
    called: list[str] = []
    monkeypatch.setattr(importlib.import_module(module), name,
                        lambda *a, **k: called.append(name))
    monkeypatch.setattr(os, "open", refusing)
    monkeypatch.chdir(tmp_path)
    capsys.readouterr()
    with pytest.raises(SystemExit) as exit_:
        main(args)
    err = capsys.readouterr().err
    assert exit_.value.code == 1, err
    assert called == [], err
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("Error: cannot write ro/"), err
    assert "Permission denied; write elsewhere or fix the permissions" in lines[0], err
    assert sorted(p.name for p in ro.iterdir()) == []


_DEEP = "<hi>" * 3000 + "x" + "</hi>" * 3000
_DEEP_TMX = ('<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4"><header creationtool="x" '
             'creationtoolversion="1" segtype="sentence" o-tmf="x" adminlang="en" srclang="en" '
             f'datatype="plaintext"/><body><tu><tuv xml:lang="en"><seg>{_DEEP}</seg></tuv>'
             '<tuv xml:lang="zh"><seg>y</seg></tuv></tu></body></tmx>\n')
_DEEP_TBX = ('<?xml version="1.0" encoding="UTF-8"?>\n<tbx type="TBX-Basic" style="dca" '
             'xml:lang="en" xmlns="urn:iso:std:iso:30042:ed-2"><text><body><conceptEntry id="c1">'
             f'<langSec xml:lang="en"><termSec><term>{_DEEP}</term></termSec></langSec>'
             '</conceptEntry></body></text></tbx>\n')


@pytest.mark.parametrize("args", [["glossary", "--memory", "d.tmx", "-o", "g.tbx"],
                                  ["validate", "d.tmx"], ["validate", "d.tbx"]],
                         ids=["glossary --memory TMX", "validate TMX", "validate TBX"])
def test_xml_nested_past_the_parsers_depth_says_what_it_is(tmp_path: Path,
                                                            args: list[str]) -> None:
    """A TMX or TBX whose elements nest 3,000 deep (a damaged or hostile file:
    bitext and CAT tools write a few levels): the Error and the problem line gave
    libxml2's words, 'Excessive depth in document: 2048, use XML_PARSE_HUGE
    option', an option no user can give. They say how deep the file nests and
    what it is (reliab24, session 27)."""
    (tmp_path / "d.tmx").write_text(_DEEP_TMX, encoding="utf-8")
    (tmp_path / "d.tbx").write_text(_DEEP_TBX, encoding="utf-8")
    res = run(args, tmp_path)
    assert res.returncode == 1, res.stderr
    assert "Traceback" not in res.stderr, res.stderr
    assert "XML_PARSE_HUGE" not in res.stderr, res.stderr
    assert "nest" in res.stderr and "damaged or hostile" in res.stderr, res.stderr
    assert not (tmp_path / "g.tbx").exists()
