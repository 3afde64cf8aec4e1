"""Find the encoding of a text file, or say that it cannot be told; never guess wrong.

Legacy encodings decode almost any bytes without an error (GB18030 accepts
Big5 bytes, every single-byte code page accepts every other's), so a decode
that *succeeds* proves little. Each candidate is decoded strictly and the result
is judged by how plausible it is as text:

* **Unicode** first: a byte-order mark, the NUL pattern of UTF-16/32, or a valid
  UTF-8 decode. Non-ASCII bytes of a legacy encoding almost never form valid
  UTF-8 sequences by chance (each lead byte needs exactly the right number of
  continuation bytes 0x80-0xBF), so a valid UTF-8 decode is taken as such.
* **UTF-16 without a byte-order mark** whose text has too few ASCII characters
  for the NUL pattern (Chinese, or Russian with its spaces): each byte order is
  decoded strictly and the one whose characters are plausible text (ASCII, the
  frequent Chinese characters of GB2312 or Big5 level 1, letters of the
  alphabets below, CJK and general punctuation) is taken. The wrong byte order
  scatters the characters over the whole table, or meets an unpaired surrogate.
* **Chinese double-byte codes** (GB18030, which includes GBK and GB2312; Big5,
  with its Microsoft (cp950) and Hong Kong (Big5-HKSCS) supersets). Both
  standards put the characters of running text in one block: GB2312's level 1
  (lead bytes 0xB0-0xD7, the 3,755 most frequent simplified characters) and
  Big5's level 1 (lead bytes 0xA4-0xC6, the 5,401 frequent traditional
  characters), with punctuation and full-width forms in lead bytes 0xA1-0xA3 in
  both. Decoded with the wrong code, the same bytes fall all over the table
  (kana, Greek, box drawing, rare extension characters). The share of non-ASCII
  characters in the frequent block is the score.
* **Single-byte code pages** of the UN languages written in alphabets: cp1252
  (Western; Latin-1 is its subset), cp1251 (Cyrillic) and cp1256 (Arabic). The
  score counts implausible words among those with a non-ASCII letter (ASCII
  decodes the same in all of them): letters of two scripts in one word, a word
  whose case rises twice (``ЗбГгДе``), a lone letter of another script than the
  text's, a Latin word made mostly of accented letters (Cyrillic decoded as
  cp1252), a symbol between two letters (``³``, ``¹`` inside a word), or a C1
  control character anywhere. Where plausible code pages disagree, only the
  words holding a byte they decode differently decide.

When no candidate is plausible, or two plausible candidates give different
text, :func:`decode_bytes` raises an InputError that names ``--encoding``.

A forced ``--encoding`` is judged the same way: when it makes implausible text
of the bytes and detection finds an encoding that makes plausible text (the
file is UTF-8, or Big5 rather than GB18030), it is refused with an Error that
names the better one, unless it is forced again (``--force-encoding``).
"""

from __future__ import annotations

import bisect
import codecs
import functools
import itertools
import logging
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

import regex

from bitext.errors import ConfigError, InputError

log = logging.getLogger(__name__)

#: A line ends at LF, CRLF or a lone CR (README), for the line an Error names.
_LINE_END = regex.compile(r"\r\n|\r|\n")

#: A Chinese decode is accepted when at least this share of its non-ASCII
#: characters lie in the encoding's frequent block. GB2312 level 1 alone covers
#: about 99.7% of running simplified Chinese text (the design figure of the
#: standard). Measured with benchmarks/encodings.py on the UN test set's
#: Chinese side in chunks of 5 lines: the right code scores at least 0.976
#: (GB18030) and 0.942 (Big5, after a character-by-character conversion to
#: traditional), the wrong one at most 0.697; in chunks of 50 lines 0.997 and
#: 0.983 against 0.520. 0.9 sits between, nearer the right code's floor.
CJK_MIN_FREQUENT_SHARE = 0.9

#: A single-byte decode is accepted when at most this share of its non-ASCII
#: words are implausible. Measured with benchmarks/encodings.py on the UN test
#: set (en/fr/es in cp1252, ru in cp1251, ar in cp1256) in chunks of 5 lines:
#: the right code page has at most 0.018 implausible words, a wrong one at
#: least 0.167 (Arabic read as cp1251), except where code pages share the
#: letters (French in cp1256), which the contested-words rule settles. 0.05
#: tolerates a foreign name or two in a short text.
SINGLE_BYTE_MAX_BAD_SHARE = 0.05

#: Fewer non-ASCII characters than this (a short text, a single accented name)
#: cannot tell two Chinese codes apart: the shares above are then too noisy, and
#: different decodes are reported as ambiguous instead of guessed.
MIN_EVIDENCE = 8

#: A BOM-less UTF-16 decode is accepted when at least this share of its
#: non-space characters are plausible text (see the module docstring). Measured
#: with benchmarks/encodings.py on the UN test set in chunks of 5 lines, six
#: languages, both byte orders: the right order scores at least 0.894
#: (traditional Chinese; 0.927 Arabic, 0.99 and more for the others), the wrong
#: order and each language's legacy bytes read as UTF-16 at most 0.488 (or do
#: not decode). 0.75 sits between the two, with room on both sides.
UTF16_MIN_PLAUSIBLE_SHARE = 0.75

#: Marks an encoding the user forced twice (``--force-encoding``): no plausibility check.
FORCE_MARK = "!"


@dataclass(frozen=True)
class Decoded:
    """A text, the codec that decoded it, and how plausible the result is (0-1)."""

    text: str
    encoding: str
    score: float
    #: a single-byte decode's characters and words counted (:func:`_text_counts`),
    #: which :func:`_contest` reads again
    counts: _Counts | None = field(default=None, compare=False, repr=False)


def decode_bytes(data: bytes, name: str = "<bytes>", encoding: str | None = None, *,
                 limit_mb: float | None = None) -> tuple[str, str]:
    """Decode the bytes of a text file; return ``(text, encoding)``.

    ``encoding`` forces a codec (any name Python knows, e.g. ``big5``,
    ``cp1252``): the bytes must decode strictly with it. Otherwise the encoding
    is detected as the module docstring says. Raises :class:`InputError` for
    binary data, invalid bytes, or an encoding that cannot be told for sure.

    ``limit_mb`` (:attr:`bitext.limits.Limits.max_input_mb`): a legacy text longer
    than this many MB of UTF-8 in every decode is refused before any decode is
    judged, the costly part (a legacy code writes a character in fewer bytes than
    UTF-8, so a file under the limit may hold a text over it).
    """
    if encoding:
        forced = encoding.endswith(FORCE_MARK)
        encoding = encoding.rstrip(FORCE_MARK)
        try:
            text = _forced(data, name, encoding)
        except InputError as err:
            if not forced:
                _name_better(data, name, encoding, None, err)
            raise
        _check_size([text], name, limit_mb, len(data))
        if not forced:
            _check_forced(data, name, encoding, text)
        return text, _canonical(encoding)
    bom = _by_bom(data, name)
    if bom is not None:
        return bom
    sample = data[:4096]
    if sample.count(b"\x00") > len(sample) // 8:
        return _utf16_without_bom(data, name)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        utf8_error = err
        paired = _encoded_surrogates(data, name)
        if paired is not None:
            return paired, "utf-8"
    else:
        # Cyrillic, Greek or Arabic in UTF-16 are bytes below 0x80 (U+0410 is
        # 10 04): valid UTF-8, but full of control characters no text has.
        if not _controls(text[:4096]):
            return text, "utf-8"
        wide = _utf16_by_text(data)
        return (wide.text, wide.encoding) if wide is not None else (text, "utf-8")
    wide = _utf16_by_text(data)
    if wide is not None:
        log.info("%s: decoded as %s without a byte-order mark (plausibility %.3f)", name,
                 wide.encoding, wide.score)
        return wide.text, wide.encoding
    _cut_utf8(data, name, utf8_error)
    _mixed_utf8(data, name)
    decodes = _legacy(data)
    _check_size([text for _, text in decodes], name, limit_mb, len(data))
    candidates = [_judged(codec, text) for codec, text in decodes]
    plausible = _contest([d for d in candidates if d.score >= _threshold(d.encoding)], data)
    texts = {d.text for d in plausible}
    if len(texts) == 1:
        best = plausible[0]
        log.info("%s: decoded as %s (plausibility %.3f)", name, best.encoding, best.score)
        return best.text, best.encoding
    tried = ", ".join(f"{d.encoding} {d.score:.2f}" for d in candidates) or "none decodes"
    if texts:
        raise InputError(
            f"{name}: the text encoding is ambiguous ({' or '.join(d.encoding for d in plausible)}"
            f" give different text); pass --encoding NAME, e.g. --encoding "
            f"{plausible[0].encoding}, or convert the file to UTF-8"
        )
    raise InputError(
        f"{name}: cannot tell the text encoding: not UTF-8 (invalid at "
        f"{_where(data, utf8_error.start, 'utf-8')}), and no known legacy encoding gives "
        f"plausible text ({tried}); pass --encoding NAME (e.g. big5, gb18030, cp1252, "
        "latin-1, cp1251) or convert the file to UTF-8 (iconv -f OLDENC -t UTF-8)"
    )


_LONE_SURROGATE = regex.compile(
    "[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]")


def _encoded_surrogates(data: bytes, name: str) -> str | None:
    """The text of bytes that are UTF-8 but for surrogates encoded as characters
    (CESU-8, Java's modified UTF-8: a character beyond U+FFFF as two 3-byte
    halves), the halves joined; ``None`` when the bytes are not that. A lone half
    stands for no character: an Error naming its byte, never another code page's
    reading of the bytes (cp1252 would make it "í\xa0€")."""
    try:
        text = data.decode("utf-8", "surrogatepass")
    except UnicodeDecodeError:
        return None
    lone = _LONE_SURROGATE.search(text)
    if lone is not None:
        at = len(text[:lone.start()].encode("utf-8", "surrogatepass")) + 1
        raise InputError(
            f"{name}: UTF-8 except for half a character at byte {at} (a lone surrogate, "
            f"U+{ord(lone.group()):04X}, as CESU-8 or Java's modified UTF-8 write them), "
            "which is no text; export the file again as UTF-8, or delete that character")
    return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le")


def _cut_utf8(data: bytes, name: str, err: UnicodeDecodeError) -> None:
    """Raise an InputError for UTF-8 cut inside its last character (a copy or a
    download cut short, ``head -c``): the one invalid sequence is the file's end,
    a character begun and not finished, after at least :data:`MIN_EVIDENCE`
    valid characters beyond ASCII (fewer: an ASCII text whose one legacy letter
    ends it, 'caf\\xe9', is left to the legacy codecs). It read as 'UTF-8 but
    for 2 bytes of another encoding ... files joined?'."""
    if err.end < len(data) or err.reason != "unexpected end of data":
        return
    valid, _ = _utf8_counts(data[:err.start])
    if valid < MIN_EVIDENCE:
        return
    raise InputError(
        f"{name}: UTF-8 cut in the middle of a character at "
        f"{_where(data, err.start, 'utf-8')} (the last {len(data) - err.start} of "
        f"{len(data):,} bytes begin a character they do not finish); the file is not "
        "whole (cut short in a copy or a download?): copy or download it again, or "
        "delete those last bytes")


def _mixed_utf8(data: bytes, name: str) -> None:
    """Raise an InputError for UTF-8 with bytes of another encoding in it (a line
    pasted from another file, two files joined): more characters that are valid
    UTF-8 beyond ASCII than bytes that are not.

    Text in a legacy encoding makes valid UTF-8 sequences only by chance: the
    bundled UN texts in GB18030 give 0.24 of them per invalid byte, in Big5
    0.07, English, French, Russian and Arabic in their code pages none. Above
    1 (and with :data:`MIN_EVIDENCE` of them) the file is UTF-8, and converting
    it whole from another encoding (iconv) would garble its UTF-8 part."""
    valid, strays = _utf8_counts(data)
    if valid < MIN_EVIDENCE or valid <= strays:
        return
    text = data.decode("utf-8", "surrogateescape")
    stray = [m.start() for m in _STRAY.finditer(text)]
    ends = [m.start() for m in _LINE_END.finditer(text)]
    lines = sorted({bisect.bisect_left(ends, at) + 1 for at in stray})
    first = len(text[:stray[0]].encode("utf-8", "surrogateescape"))
    shown = ", ".join(str(n) for n in lines[:5]) + (", ..." if len(lines) > 5 else "")
    raise InputError(
        f"{name}: UTF-8 but for {len(stray):,} bytes of another encoding, from "
        f"{_where(data, first, 'utf-8')} ({data[first:first + 4]!r}; line(s) {shown}): "
        "a line pasted from another file, or files joined? Convert those lines to UTF-8 "
        "or delete them (converting the whole file would garble its UTF-8)")


#: A byte that is not UTF-8, as ``surrogateescape`` decodes it.
_STRAY = regex.compile("[\udc80-\udcff]")

#: The bytes below 0x80: each is one ASCII character wherever it stands in UTF-8.
_ASCII = bytes(range(0x80))


def _utf8_counts(data: bytes) -> tuple[int, int]:
    """``(characters beyond ASCII that are valid UTF-8, bytes that are not UTF-8)``
    of ``data``, in C: the bytes that are not UTF-8 are the ones a decode with
    ``errors="ignore"`` drops (``surrogateescape`` makes one surrogate of each, in
    the same places). Counted by a Python loop over every character, a 50 MB
    GB18030 file cost 14.9 CPU s; this way 0.5."""
    whole = data.decode("utf-8", "ignore")
    ascii_chars = len(data) - len(data.translate(None, _ASCII))
    valid_bytes = len(whole.encode("utf-8")) - ascii_chars
    return len(whole) - ascii_chars, len(data) - ascii_chars - valid_bytes


def _controls(text: str) -> bool:
    """True when more than 1% of ``text`` are C0 control characters other than the
    whitespace ones (text has none; binary data and UTF-16 read as UTF-8 do)."""
    bad = sum(1 for c in text if ord(c) < 0x20 and c not in "\t\n\r\f\v")
    return bad * 100 > len(text)


def _check_forced(data: bytes, name: str, encoding: str, text: str) -> None:
    """Refuse a forced encoding that makes implausible text of ``data`` when
    detection finds one that makes plausible, different text."""
    codec = _canonical(encoding)
    if codec.startswith("utf-8") or text.isascii():
        return
    if codec.startswith(("utf-16", "utf-32")):
        # Other bytes read as UTF-16 (UTF-8 of English: each two letters one
        # CJK-looking character) score as the wrong byte order does (see
        # UTF16_MIN_PLAUSIBLE_SHARE).
        wide = _wide_plausibility(text[:50_000])
        if wide < UTF16_MIN_PLAUSIBLE_SHARE:
            _name_better(data, name, encoding, text, None, wide)
        return
    score = _plausibility(text, codec)
    if score is None or score >= _threshold(codec if codec in _CJK_NAMES else "cp1252"):
        return
    _name_better(data, name, encoding, text, None, score)


def _name_better(data: bytes, name: str, encoding: str, text: str | None,
                 err: InputError | None, score: float | None = None) -> None:
    """Raise an InputError naming the encoding detection finds for ``data`` when it
    reads the bytes differently from ``encoding`` (which gave ``text``, or failed
    with ``err``); return when detection finds nothing better."""
    try:
        better, found = decode_bytes(data, name)
    except InputError:
        return  # nothing better to offer: the user's choice (or its error) stands
    if better == text:
        return
    what = (f"does not decode this file ({str(err).split(': ', 1)[-1].split(';')[0]})"
            if err is not None else
            f"makes implausible text of this file (plausibility {score or 0.0:.2f})")
    raise InputError(
        f"{name}: --encoding {encoding} {what}, while {found} reads it as plausible "
        f"text; pass --encoding {found} (or one name per file: --encoding SRC_ENC,TGT_ENC), "
        f"or add --force-encoding to keep {encoding}"
    ) from err


def _plausibility(text: str, codec: str) -> float | None:
    """How plausible ``text`` decoded with ``codec`` is (0-1, as the detector scores
    it); None for a codec the detector does not judge."""
    for base, family in _CJK_FAMILIES.items():
        if codec in family:
            return _frequent_share(text, codec, _CJK_FREQUENT[base])
    if codec in ("iso8859-1", "latin-1", "iso-8859-1") or codec in _SINGLE_CODEC:
        return 1.0 - _implausible_share(text)
    return None


def _utf16_by_text(data: bytes) -> Decoded | None:
    """The UTF-16 byte order (no byte-order mark) whose decode is plausible text, if
    exactly one is; see :data:`UTF16_MIN_PLAUSIBLE_SHARE`."""
    if len(data) < 2 or len(data) % 2:
        return None
    found = []
    for codec in ("utf-16-le", "utf-16-be"):
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        score = _wide_plausibility(text[:50_000])
        if score >= UTF16_MIN_PLAUSIBLE_SHARE:
            found.append(Decoded(text, codec, score))
    return found[0] if len(found) == 1 else None


#: Punctuation, symbols and forms every UN language's text holds: general
#: punctuation, CJK symbols and punctuation, full-width and half-width forms.
_WIDE_PUNCT = ((0x2000, 0x206F), (0x3000, 0x303F), (0xFF00, 0xFFEF))


def _wide_plausibility(text: str) -> float:
    """Share of the non-space characters of ``text`` that are plausible text: ASCII,
    a frequent Chinese character (GB2312 or Big5 level 1), a letter or mark of an
    alphabet of the UN languages, Latin-1 punctuation, or the punctuation above."""
    def plausible(ch: str) -> bool:
        code = ord(ch)
        return (0x20 <= code < 0x7F or 0xA0 <= code <= 0xBF
                or any(lo <= code <= hi for lo, hi in _WIDE_PUNCT)
                or (unicodedata.category(ch)[0] in "LM" and _script(ch) != "other")
                or _frequent_han(ch))

    return _share(text, lambda ch: not ch.isspace(), plausible)


def _share(text: str, counted: Callable[[str], bool], good: Callable[[str], bool]) -> float:
    """Share of the characters of ``text`` that ``counted`` selects for which ``good``
    holds; 0.0 when fewer than :data:`MIN_EVIDENCE` are counted."""
    # Counted in C (Counter), then asked once a distinct character: a loop over
    # every character in Python was half the time of a GB18030 file's decode.
    counts = {ch: n for ch, n in Counter(text).items() if counted(ch)}
    total = sum(counts.values())
    if total < MIN_EVIDENCE:
        return 0.0
    return sum(n for ch, n in counts.items() if good(ch)) / total


@functools.lru_cache(maxsize=8192)
def _frequent_han(ch: str) -> bool:
    """True for a character in GB2312's or Big5's frequent block (level 1)."""
    # Level 1 alone (punctuation is judged by its code point): lead bytes from
    # 0xB0 in GB2312, from 0xA4 in Big5.
    for codec, first in (("gb18030", 0xB0), ("big5", 0xA4)):
        try:
            raw = ch.encode(codec)
        except UnicodeEncodeError:
            continue
        if len(raw) == 2 and raw[0] >= first and _CJK_FREQUENT[codec](raw[0], raw[1]):
            return True
    return False


def _contest(plausible: list[Decoded], data: bytes) -> list[Decoded]:
    """Among plausible single-byte decodes that differ, keep those still plausible
    on the words that hold a byte the code pages disagree on.

    Code pages share most letters (cp1256 keeps the French accented letters of
    cp1252), so a French text scores well in both; only the words with a byte
    they decode differently (``É`` against an Arabic letter) tell them apart.
    """
    singles = [d for d in plausible if d.encoding not in _CJK_NAMES]
    if len({d.text for d in singles}) < 2:
        return plausible
    contested = [b for b in set(data) if b >= 0x80
                 and len({bytes([b]).decode(_SINGLE_CODEC[d.encoding]) for d in singles}) > 1]
    # A single-byte code page decodes each byte to its own character (character i
    # is byte i), so the contested bytes' places are those of their characters.
    keep = [d for d in singles
            if _implausible_share(d.text, set(bytes(contested).decode(_SINGLE_CODEC[d.encoding])),
                                  d.counts) <= SINGLE_BYTE_MAX_BAD_SHARE]
    return [d for d in plausible if d.encoding in _CJK_NAMES or d in keep]


def _threshold(encoding: str) -> float:
    return CJK_MIN_FREQUENT_SHARE if encoding in _CJK_NAMES else 1 - SINGLE_BYTE_MAX_BAD_SHARE


def _canonical(encoding: str) -> str:
    return codecs.lookup(encoding).name


def _forced(data: bytes, name: str, encoding: str) -> str:
    try:
        codec = codecs.lookup(encoding).name
    except LookupError as err:
        raise ConfigError(
            f"--encoding {encoding}: unknown encoding; use a name such as utf-8, gb18030, "
            "big5, big5hkscs, cp1252, latin-1, cp1251 or cp1256"
        ) from err
    if codec.startswith("utf-8") and data.startswith(codecs.BOM_UTF8):
        data = data[3:]
    try:
        text = data.decode(codec)
    except UnicodeDecodeError as err:
        raise InputError(
            f"{name}: not valid {encoding} ({_where(data, err.start, codec)}: "
            f"{data[err.start:err.start + 4]!r}); check --encoding"
        ) from err
    except UnicodeError as err:  # the 'undefined' codec refuses every input
        raise InputError(f"{name}: not valid {encoding} ({err}); check --encoding") from err
    except LookupError as err:  # rot13, hex, base64, zlib: bytes to bytes, text to text
        raise ConfigError(
            f"--encoding {encoding}: not a text encoding (Python's {codec} codec turns bytes "
            "into bytes or text into text); use a name such as utf-8, gb18030, big5, "
            "big5hkscs, cp1252, latin-1, cp1251 or cp1256"
        ) from err
    return text.lstrip("\ufeff")


def _strict(data: bytes, encoding: str, name: str) -> str:
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as err:
        raise InputError(_wide_error(data, encoding, name, err)) from err
    return text.lstrip("\ufeff")


def _wide_error(data: bytes, encoding: str, name: str, err: UnicodeDecodeError) -> str:
    """What is wrong with UTF-16 or UTF-32 ``data`` that ``err`` stopped, where (the
    byte counted from 1, as the UTF-8 Errors count it, and the line) and how to fix
    it."""
    where = _where(data, err.start, encoding)
    label = encoding.upper().replace("-LE", "LE").replace("-BE", "BE")
    bad = data[err.start:err.end]
    if err.end >= len(data) and err.reason in ("truncated data", "unexpected end of data"):
        return (f"{name}: {label} cut in the middle of a character at {where} (the "
                f"last {len(bad)} of {len(data):,} bytes: this encoding writes whole "
                f"{2 if '16' in encoding else 4}-byte units); the file is not "
                "whole: copy or export it again, as UTF-8 if you can")
    if "16" in encoding and len(bad) >= 2:
        unit = int.from_bytes(bad[:2], "big" if encoding.endswith("-be") or (
            encoding == "utf-16" and data.startswith(codecs.BOM_UTF16_BE)) else "little")
        if 0xD800 <= unit <= 0xDFFF:
            return (f"{name}: {label} except for half a character at {where} (a lone "
                    f"surrogate, U+{unit:04X}, with no other half beside it), which is no "
                    "text; export the file again (as UTF-8 if you can), or delete that "
                    "character")
    return (f"{name}: not valid {label} at {where} ({err.reason}); export the file "
            "again as UTF-8, or pass --encoding if it is not in that encoding")


def _where(data: bytes, start: int, codec: str) -> str:
    """Where the byte at offset ``start`` of ``data`` is, for an Error: the byte
    counted from 1 and its line (the lines before it read with ``codec``, a
    character it refuses counting as one)."""
    head = data[:start].decode(codec, "replace")
    return f"byte {start + 1}, line {len(_LINE_END.findall(head)) + 1}"


def _by_bom(data: bytes, name: str) -> tuple[str, str] | None:
    # UTF-32 LE's mark starts with UTF-16 LE's: test the longer one first.
    for bom, codec in ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
                       (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                       (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            return _strict(data, codec, name), codec
    return None


def _utf16_without_bom(data: bytes, name: str) -> tuple[str, str]:
    """ASCII-range text in UTF-16 has a NUL in every other byte. UTF-32 of any
    character below U+10000 (every script the six languages use) has NULs in the
    two high bytes of each four: bytes 2 and 3 of each (LE), 0 and 1 (BE), never
    UTF-16's 1 and 3 or 0 and 2. Anything else with that many NULs is binary."""
    sample = data[:4096]
    quads = [sample[k::4].count(0) for k in range(4)]
    n = max(len(sample) // 4, 1)
    # 0.9: a few astral characters (byte 2 is 01-10) or U+xx00 ones may break the run.
    if quads[2] > 0.9 * n and quads[3] > 0.9 * n:
        return _strict(data, "utf-32-le", name), "utf-32-le"
    if quads[0] > 0.9 * n and quads[1] > 0.9 * n:
        return _strict(data, "utf-32-be", name), "utf-32-be"
    even = sample[0::2].count(0)
    odd = sample[1::2].count(0)
    if odd > 3 * max(even, 1):
        return _strict(data, "utf-16-le", name), "utf-16-le"
    if even > 3 * max(odd, 1):
        return _strict(data, "utf-16-be", name), "utf-16-be"
    raise InputError(f"{name}: looks like a binary file, not text, DOCX or PDF")


# ----------------------------------------------------------------- Chinese codes

#: codec -> the lead bytes of its frequent block (punctuation and level 1).
_CJK_FREQUENT: dict[str, Callable[[int, int], bool]] = {
    # GB2312 rows 1-3 (punctuation, numbers, full-width forms), level 1 rows 16-55.
    "gb18030": lambda lead, _trail: 0xA1 <= lead <= 0xA3 or 0xB0 <= lead <= 0xD7,
    # Big5 0xA140-0xA3BF (symbols) and level 1 0xA440-0xC67E.
    "big5": lambda lead, trail: (0xA1 <= lead <= 0xC5
                                 or (lead == 0xC6 and trail <= 0x7E)),
}
#: Supersets tried in order when the base code fails: the name says which was needed.
# GB: only GB18030, whose table is the current one for GB2312 and GBK too (Python's
# gb2312 codec maps 0xA1A4 to KATAKANA MIDDLE DOT where GBK has MIDDLE DOT).
_CJK_FAMILIES = {"gb18030": ("gb18030",),
                 "big5": ("big5", "cp950", "big5hkscs")}
_CJK_NAMES = {name for family in _CJK_FAMILIES.values() for name in family}


def _legacy(data: bytes) -> list[tuple[str, str]]:
    """``(codec, text)`` of each legacy decode of ``data``: the GB and the Big5 ones
    (each family's first code that decodes), then the single-byte code pages'."""
    found: list[tuple[str, str]] = []
    for family in _CJK_FAMILIES.values():
        for codec in family:
            try:
                found.append((codec, data.decode(codec)))
            except UnicodeDecodeError:
                continue
            break
    high_c1 = any(0x80 <= b <= 0x9F for b in data)
    for codec in _SINGLE_BYTE:
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        name = codec
        if codec == "cp1252" and not high_c1:
            name = "iso-8859-1"  # the same text: the file uses no cp1252-only byte
        found.append((name, text))
    return found


def _judged(codec: str, text: str) -> Decoded:
    """A legacy decode (:func:`_legacy`) with its plausibility."""
    for base, family in _CJK_FAMILIES.items():
        if codec in family:
            return Decoded(text, codec, _frequent_share(text, codec, _CJK_FREQUENT[base]))
    counts = None if _C1.search(text) else _text_counts(text)
    return Decoded(text, codec, 1.0 - _implausible_share(text, counts=counts), counts)


def _check_size(texts: list[str], name: str, limit_mb: float | None, size: int) -> None:
    """Refuse the texts of a file of ``size`` bytes when all are over ``limit_mb`` MB
    of UTF-8 (:func:`bitext.limits.too_big`)."""
    if limit_mb is None or not texts:
        return
    from bitext.limits import too_big, utf8_size

    least = min(utf8_size(text, limit_mb * 1e6) for text in texts)
    if least > limit_mb * 1e6:
        raise too_big(name, least, limit_mb, note=(
            f" of text in UTF-8 (the file's {size / 1e6:.1f} MB are in a legacy encoding, "
            "which writes a character in fewer bytes)"))


def _frequent_share(text: str, codec: str, frequent: Callable[[int, int], bool]) -> float:
    def good(ch: str) -> bool:
        raw = ch.encode(codec)
        return len(raw) == 2 and frequent(raw[0], raw[1])

    return _share(text, lambda ch: ord(ch) > 0x7F, good)


# ------------------------------------------------------------ single-byte codes

_SINGLE_BYTE = ("cp1252", "cp1251", "cp1256")
#: The codec behind each name a single-byte decode is reported under.
_SINGLE_CODEC = {"cp1252": "cp1252", "iso-8859-1": "cp1252", "cp1251": "cp1251",
                 "cp1256": "cp1256"}
_WORD_RE = regex.compile(r"[\p{L}\p{M}]+")
_C1 = regex.compile(r"[\x80-\x9f]")
#: Characters that sit between letters in real words: apostrophes, hyphens, the
#: middle dot of Catalan, the Arabic tatweel.
_IN_WORD = {"'", "\u2019", "\u2018", "-", "\u2010", "\u2011", "\u00b7", "\u0640"}


#: The scripts of the letters single-byte code pages hold, by the Unicode
#: Script_Extensions property (so an Arabic vowel mark counts as Arabic, and the
#: ordinal indicators ª º as Latin).
_SCRIPT_RES = [(name, regex.compile(rf"\p{{scx={name}}}"))
               for name in ("Latin", "Cyrillic", "Arabic", "Greek", "Hebrew")]


@functools.lru_cache(maxsize=4096)
def _script(ch: str) -> str:
    """The script of a letter or mark (``Latin``, ``Cyrillic``...; ``other``)."""
    if ord(ch) < 0x80:
        return "Latin"
    for name, pattern in _SCRIPT_RES:
        if pattern.match(ch):
            return name
    return "other"


#: A text's characters and its words (:data:`_WORD_RE`), each counted.
_Counts = tuple[Counter[str], Counter[str]]


def _text_counts(text: str) -> _Counts:
    """:data:`_Counts` of ``text``, found and counted in C."""
    return Counter(text), Counter(_WORD_RE.findall(text))


def _implausible_share(text: str, contested: set[str] | None = None,
                       counts: _Counts | None = None) -> float:
    """Share of implausible items among the words holding a non-ASCII letter and the
    non-ASCII symbols standing between two letters (see the module docstring).

    With ``contested``, only the words holding one of those characters and the
    symbols that are one count (:func:`_contest`). ``counts``: the text's
    (:func:`_text_counts`), when they are known.
    """
    if _C1.search(text):
        return 1.0  # C1 controls: the bytes belong to another code page's printable range
    items = bad = 0
    # each check below is asked once a distinct character or word
    chars, words = counts if counts is not None else _text_counts(text)
    main_script = _main_script(chars)
    if contested is not None:  # asked once a distinct word
        words = Counter({word: n for word, n in words.items()
                         if not contested.isdisjoint(word)})
    for word, n in words.items():
        if word.isascii():
            continue
        items += n
        if _bad_word(word, main_script):
            bad += n
    symbols = [ch for ch in chars
               if not (ord(ch) < 0xA0 or ch.isalpha() or unicodedata.category(ch)[0] == "M"
                       or ch in _IN_WORD or ch.isspace())
               and (contested is None or ch in contested)]
    if symbols:
        # Found between two letters (str.isalpha is \p{L}) by the regex engine: a
        # loop over every symbol in Python was half the time of a GB18030 file's
        # detection, whose bytes read as cp1251 are symbols by the million.
        between = regex.compile(
            r"(?<=\p{L})[" + "".join(regex.escape(ch) for ch in symbols) + r"](?=\p{L})")
        found = len(between.findall(text))
        items += found
        bad += found
    if items < 1:
        return 0.0
    return bad / items


def _main_script(chars: Counter[str]) -> str:
    """The script most letters are written in (``chars``: a text's characters
    counted)."""
    counts: dict[str, int] = {}
    for ch, n in chars.items():
        if ch.isalpha():
            script = _script(ch)
            counts[script] = counts.get(script, 0) + n
    return max(counts, key=lambda k: counts[k]) if counts else "Latin"


def _bad_word(word: str, main_script: str) -> bool:
    scripts = {_script(c) for c in word if unicodedata.category(c)[0] in "LM"}
    if len(scripts) > 1:
        return True
    letters = [c for c in word if c.isalpha()]
    if len(letters) == 1 and scripts != {main_script}:
        return True  # a lone letter of another script amid the text's own words
    rises = sum(1 for a, b in itertools.pairwise(letters) if a.islower() and b.isupper())
    if rises >= 2:
        return True  # case goes up twice inside one word (one rise: McDonald, ÉtatsUnis)
    if scripts == {"Latin"} and len(letters) >= 4:
        accented = sum(1 for c in letters if ord(c) > 0x7F)
        if accented * 2 > len(letters):
            return True  # Latin languages use accented letters sparingly
    return False
