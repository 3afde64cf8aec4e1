"""Text and language-code rules shared by every exporter.

* XML 1.0 forbids most C0 control characters, U+FFFE, U+FFFF and lone surrogates.
  They never reach an output file: :func:`replace_forbidden` turns each into a
  space and counts them, so the caller can log one warning. (A single form feed
  makes OmegaT drop a whole memory.) The same rule applies to every format, so a
  unit reads back the same from TMX, TSV, JSONL and Moses.
* Line-oriented formats (Moses, TSV) cannot hold a tab or a line break inside a
  segment: :func:`replace_breaks` turns those into spaces too.
* Language codes are written as BCP 47 tags (``zh-CN``, ``en-GB``): never an
  underscore, which matches nothing in OmegaT.
"""

from __future__ import annotations

import re

from bitext.errors import ConfigError

# Characters outside the XML 1.0 ``Char`` production. Surrogates only reach a
# Python string unpaired (or as a pair decoded with ``surrogatepass``).
FORBIDDEN_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_SURROGATE_RE = re.compile("[\ud800-\udfff]")

# Everything a line-based reader might split a line on: tab, LF, CR, and what
# Python's ``str.splitlines`` also honours (VT, FF, FS, GS, RS, NEL, LS, PS).
BREAKS_RE = re.compile("[\t\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")

# language[-script][-region][-variant...]; private-use and extensions allowed.
LANG_CODE_RE = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$")


def replace_forbidden(text: str) -> tuple[str, int]:
    """Replace every character XML 1.0 forbids by a space.

    Returns the new text and the number of characters replaced. A valid pair of
    surrogate code points (as decoded with ``surrogatepass``) is first combined
    into the one astral character it encodes, which is kept.
    """
    if not FORBIDDEN_RE.search(text):
        return text, 0
    if _SURROGATE_RE.search(text):
        text = text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "surrogatepass")
    return FORBIDDEN_RE.subn(" ", text)


def replace_breaks(text: str) -> tuple[str, int]:
    """Replace tabs and line breaks by spaces; returns the text and the count."""
    return BREAKS_RE.subn(" ", text)


def primary(code: str) -> str:
    """The primary language subtag, lower case: ``zh`` for ``zh_CN`` and ``chi``
    (see :func:`bitext.languages.primary_code`)."""
    from bitext.languages import primary_code

    return primary_code(code)


def normalise_lang(code: str) -> str:
    """Normalise a language code to BCP 47 conventions.

    ``zh_CN``, ``ZH-cn`` -> ``zh-CN``; ``zh-hans-cn`` -> ``zh-Hans-CN``;
    ``*all*`` is kept. Raises :class:`ConfigError` for anything that does not
    look like a language tag.
    """
    code = code.strip()
    if code.lower() == "*all*":
        return "*all*"
    tag = code.replace("_", "-")
    if not LANG_CODE_RE.match(tag):
        raise ConfigError(
            f"{code!r} is not a language code; use a BCP 47 tag such as zh-CN or en-GB"
        )
    parts = tag.split("-")
    out = [parts[0].lower()]
    for i, part in enumerate(parts[1:], start=1):
        if len(part) == 4 and part.isalpha() and i == 1:
            out.append(part.title())  # script: Hans, Latn
        elif (len(part) == 2 and part.isalpha()) or (len(part) == 3 and part.isdigit()):
            out.append(part.upper())  # region: CN, GB, 419
        else:
            out.append(part.lower())
    return "-".join(out)


def default_code(lang: str) -> str:
    """The BCP 47 code written for a language: ``zh`` -> ``zh-CN``, ``en`` -> ``en-GB``
    (each language's default comes from the language layer).

    A code that already has a region or script, or a language bitext does not
    know, is only normalised.
    """
    from bitext.languages import find_language

    norm = normalise_lang(lang)
    known = find_language(norm) if "-" not in norm else None
    return known.bcp47 if known is not None else norm


def lang_matches(found: str, wanted: str) -> int:
    """How well the code ``found`` matches the request ``wanted``.

    2 for the same tag (case and ``_`` ignored), 1 for the same primary language,
    0 otherwise.
    """
    if found.replace("_", "-").lower() == wanted.replace("_", "-").lower():
        return 2
    return 1 if primary(found) == primary(wanted) else 0
