"""Streamed TMX reader: ours or any other tool's memory.

:class:`TmxReader` yields one :class:`TmxUnit` per ``<tu>`` with constant memory
(each unit is dropped from the tree once read). :func:`iter_pairs` and
:func:`read_tmx` pick two languages out of the units and give back
:class:`~bitext.types.AlignedPair` s / an :class:`~bitext.types.Alignment`.

Leniency for other tools' files: language codes in any case and with ``_``
(``ZH-CN``, ``zh_cn``) are normalised; a request for ``zh`` matches ``zh-CN``;
header ``srclang="*all*"`` means "first language of the first unit"; the
deprecated ``lang`` attribute is read when ``xml:lang`` is missing. Inline
markup in ``<seg>`` is flattened to text: the text of ``<hi>`` is kept, the
native codes inside ``<bpt>``, ``<ept>``, ``<ph>``, ``<it>`` and ``<ut>`` are
dropped (their tails are kept).

Our own props (``x-document``, ``x-paragraph``, ``x-score``, ``x-ids``,
``x-breaks``, header ``x-signature``) are read back, so write -> read restores
sentences, labels, scores (to 4 decimals) and indices. A memory without scores
reads as score 1.0.
"""

from __future__ import annotations

import contextlib
import itertools
import logging
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from types import TracebackType
from typing import IO, Any, cast

from lxml import etree

from bitext.errors import ConfigError, InputError
from bitext.fileio import open_binary
from bitext.fileio.read import surrogate_at
from bitext.tmx.base import DocPair, oriented_ids
from bitext.tmx.text import lang_matches, normalise_lang, primary
from bitext.types import AlignedPair, Alignment

log = logging.getLogger(__name__)

_DEPTH_RE = re.compile(r"Excessive depth in document: (\d+)")


def syntax_message(err: etree.XMLSyntaxError) -> str:
    """What libxml2 said of a TMX or TBX that is not well-formed, in words a user
    can act on: its nesting limit ('Excessive depth in document: 2048, use
    XML_PARSE_HUGE option') named an option of the library, which no user can
    give; it says how deep the file nests instead (TMX and TBX nest a few
    levels: such a file is damaged or made to hurt)."""
    msg = str(err.msg)
    depth = _DEPTH_RE.search(msg)
    if depth is None:
        return msg
    return (f"elements nested more than {int(depth.group(1)):,} deep, where TMX and TBX "
            "nest a few levels: a damaged or hostile file")


XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
CODE_TAGS = frozenset({"bpt", "ept", "ph", "it", "ut"})


@dataclass(frozen=True)
class TmxVariant:
    """One ``<tuv>``: language code (normalised where possible), text, props."""

    lang: str
    text: str
    props: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class TmxUnit:
    """One ``<tu>``: its ``tuid``, props (first value of each type), variants, line."""

    tuid: str
    props: dict[str, str]
    variants: tuple[TmxVariant, ...]
    line: int = 0


@dataclass(frozen=True)
class TmxHeader:
    """The ``<header>`` attributes and props."""

    attrs: dict[str, str]
    props: dict[str, str]

    @property
    def srclang(self) -> str:
        """Normalised ``srclang`` (``*all*`` kept), ``""`` when absent or unreadable."""
        return _norm(self.attrs.get("srclang", ""))

    @property
    def segtype(self) -> str:
        return self.attrs.get("segtype", "")

    @property
    def signature(self) -> dict[str, str]:
        """The ``x-signature`` prop parsed back into a dict (``k:v|k:v``)."""
        text = self.props.get("x-signature", "")
        out = {}
        for item in text.split("|") if text else ():
            key, _, value = item.partition(":")
            out[key] = value
        return out


def _norm(code: str) -> str:
    if not code:
        return ""
    try:
        return normalise_lang(code)
    except ConfigError:
        return code


def seg_text(seg: Any) -> str:
    """Flatten a ``<seg>`` (or ``<hi>``) to plain text; native codes are dropped."""
    parts = [seg.text or ""]
    for child in seg:
        tag = child.tag
        if isinstance(tag, str) and tag not in CODE_TAGS:
            parts.append(seg_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _props(elem: Any) -> dict[str, str]:
    out: dict[str, str] = {}
    for prop in elem.iterchildren("prop"):
        out.setdefault(prop.get("type", ""), prop.text or "")
    return out


def iter_tmx_events(fh: IO[bytes]) -> Iterator[tuple[str, Any]]:
    """Stream ``(event, element)`` pairs of a TMX's structural elements.

    The one place that sets how TMX files are parsed: no DTD loading, no network,
    no entity expansion (an untrusted memory cannot read local files or fetch
    anything), large documents allowed, comments and processing instructions
    dropped. A stream whose name is not UTF-8 (a path of bytes that are not:
    Python's surrogate escapes) goes to lxml without it: lxml takes the name for
    the document's base URL, which nothing here uses, and cannot encode it.
    """
    name = getattr(fh, "name", None)
    if isinstance(name, str) and not name.isascii() and surrogate_at(name) is not None:
        fh = cast(IO[bytes], _Nameless(fh))
    return cast(Iterator[tuple[str, Any]], etree.iterparse(
        fh,
        events=("start", "end"),
        tag=("tmx", "header", "body", "tu"),
        load_dtd=False,
        no_network=True,
        resolve_entities=False,
        huge_tree=True,
        remove_comments=True,
        remove_pis=True,
    ))


class _Nameless:
    """A binary stream's reading without its name (see :func:`iter_tmx_events`)."""

    def __init__(self, fh: IO[bytes]) -> None:
        self._fh = fh

    def read(self, size: int = -1) -> bytes:
        return self._fh.read(size)


def _open_bytes(source: str | os.PathLike[str] | IO[bytes]) -> tuple[IO[bytes], str, bool]:
    """Open a file (gzip detected by its magic bytes) -> (stream, name, owned)."""
    if not isinstance(source, str | os.PathLike):
        return source, getattr(source, "name", "<stream>"), False
    name = os.fspath(source)
    return open_binary(name), name, True


class TmxReader:
    """Iterate over the units of a TMX file (path, ``.tmx.gz`` or binary stream).

    Use as a context manager; :attr:`header` is available before iterating.
    Raises :class:`~bitext.errors.InputError` for a file that is not well-formed
    XML or not TMX.
    """

    def __init__(self, source: str | os.PathLike[str] | IO[bytes]) -> None:
        self._fh, self.name, self._owned = _open_bytes(source)
        self._events = iter_tmx_events(self._fh)
        self._header: TmxHeader | None = None
        self._pending: tuple[str, Any] | None = None

    def __enter__(self) -> TmxReader:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        if self._owned:
            with contextlib.suppress(OSError):
                self._fh.close()

    def _next(self) -> tuple[str, Any] | None:
        if self._pending is not None:
            event, self._pending = self._pending, None
            return event
        try:
            return cast(tuple[str, Any], next(self._events))
        except StopIteration:
            return None
        except etree.XMLSyntaxError as err:
            raise InputError(
                f"{self.name}:{err.lineno}: not well-formed XML ({syntax_message(err)}); "
                f"`bitext validate {self.name}` lists the problems"
            ) from err
        except (OSError, EOFError) as err:
            raise InputError(f"cannot read {self.name}: {err}") from err

    @property
    def header(self) -> TmxHeader:
        if self._header is None:
            self._header = self._read_header()
        return self._header

    def _read_header(self) -> TmxHeader:
        first = self._next()
        if first is None:
            root = getattr(self._events, "root", None)
            if root is not None:
                raise InputError(f"{self.name}: root element is <{root.tag}>, not <tmx>")
            raise InputError(f"{self.name}: empty file; expected a TMX document")
        event, elem = first
        if elem.tag != "tmx":
            raise InputError(f"{self.name}: root element is <{elem.tag}>, not <tmx>")
        while (item := self._next()) is not None:
            event, elem = item
            if elem.tag == "header" and event == "end":
                return TmxHeader(dict(elem.attrib), _props(elem))
            if elem.tag in ("body", "tu"):
                self._pending = item
                break
        return TmxHeader({}, {})

    def __iter__(self) -> Iterator[TmxUnit]:
        _ = self.header
        while (item := self._next()) is not None:
            event, elem = item
            if elem.tag != "tu" or event != "end":
                continue
            yield self._unit(elem)
            elem.clear()
            while elem.getprevious() is not None:
                del elem.getparent()[0]

    @staticmethod
    def _unit(elem: Any) -> TmxUnit:
        variants = []
        for tuv in elem.iterchildren("tuv"):
            lang = tuv.get(XML_LANG) or tuv.get("lang") or ""
            seg = tuv.find("seg")
            text = seg_text(seg).strip() if seg is not None else ""
            variants.append(TmxVariant(_norm(lang), text, _props(tuv)))
        return TmxUnit(elem.get("tuid", ""), _props(elem), tuple(variants), elem.sourceline or 0)


def _best(variants: tuple[TmxVariant, ...], wanted: str, skip: int = -1) -> int:
    """Index of the variant matching ``wanted`` best (exact before same language), or -1."""
    best, best_score = -1, 0
    for i, variant in enumerate(variants):
        if i == skip:
            continue
        score = lang_matches(variant.lang, wanted)
        if score > best_score:
            best, best_score = i, score
    return best


def _split(variant: TmxVariant) -> tuple[str, ...]:
    """The variant's sentences, using ``x-breaks`` when it is consistent."""
    text = variant.text
    if not text:
        return ()
    breaks = variant.props.get("x-breaks", "")
    if breaks:
        try:
            offsets = [int(b) for b in breaks.split(",")]
        except ValueError:
            offsets = []
        bounds = [0, *offsets, len(text)]
        if all(a < b for a, b in itertools.pairwise(bounds)):
            pieces = tuple(text[a:b].strip() for a, b in itertools.pairwise(bounds))
            if all(pieces):
                return pieces
    return (text,)


class PairPicker:
    """Turns units into pairs for two languages, resolving defaults on the way.

    ``src_lang``/``tgt_lang`` may be full codes or bare languages; by default the
    source is the header's ``srclang`` (or the first language of the first unit
    when that is ``*all*``) and the target the first other language met.
    After the first unit, :attr:`src_code`/:attr:`tgt_code` hold the codes found.
    """

    def __init__(self, header: TmxHeader, src_lang: str | None, tgt_lang: str | None) -> None:
        srclang = header.srclang
        self.src_want = src_lang or (srclang if srclang not in ("", "*all*") else "")
        self.tgt_want = tgt_lang or ""
        self.src_code = _norm(self.src_want)
        self.tgt_code = _norm(self.tgt_want)
        self._resolved = False
        self.skipped = 0

    def _resolve(self, unit: TmxUnit) -> bool:
        if not self.src_want:
            if len(unit.variants) < 2:
                return False
            self.src_want = unit.variants[0].lang
        s = _best(unit.variants, self.src_want)
        if s < 0:
            return False
        if not self.tgt_want:
            others = [v.lang for v in unit.variants if primary(v.lang) != primary(self.src_want)]
            if not others:
                return False
            self.tgt_want = others[0]
        t = _best(unit.variants, self.tgt_want, skip=s)
        if t < 0:
            return False
        self.src_code, self.tgt_code = unit.variants[s].lang, unit.variants[t].lang
        self._resolved = True
        return True

    def pick(self, unit: TmxUnit) -> DocPair | None:
        if not self._resolved and not self._resolve(unit):
            self.skipped += 1
            return None
        s = _best(unit.variants, self.src_want)
        t = _best(unit.variants, self.tgt_want, skip=s)
        if s < 0 or t < 0:
            self.skipped += 1
            return None
        src_ids, tgt_ids = oriented_ids(unit.props.get("x-ids", ""),
                                        unit.props.get("x-bead", ""),
                                        unit.variants[s].lang, legacy_swap=s > t)
        try:
            score = float(unit.props.get("x-score", "1"))
        except ValueError:
            score = 1.0
        pair = AlignedPair(
            src=_split(unit.variants[s]),
            tgt=_split(unit.variants[t]),
            score=score,
            label=unit.props.get("x-paragraph", ""),
            src_ids=src_ids,
            tgt_ids=tgt_ids,
        )
        return DocPair(unit.props.get("x-document", ""), pair)


def iter_pairs(
    source: str | os.PathLike[str] | IO[bytes],
    src_lang: str | None = None,
    tgt_lang: str | None = None,
) -> Iterator[DocPair]:
    """Stream the units of a TMX as :class:`DocPair` s for two languages.

    Units lacking either language are skipped (one info line with the count).
    """
    with TmxReader(source) as reader:
        picker = PairPicker(reader.header, src_lang, tgt_lang)
        for unit in reader:
            picked = picker.pick(unit)
            if picked is not None:
                yield picked
        if picker.skipped:
            log.info(
                "%s: skipped %d unit(s) without both %s and %s",
                reader.name, picker.skipped, picker.src_code or "?", picker.tgt_code or "?",
            )


def read_tmx(
    source: str | os.PathLike[str] | IO[bytes],
    src_lang: str | None = None,
    tgt_lang: str | None = None,
) -> Alignment:
    """Load a TMX into an :class:`Alignment` for two languages.

    The alignment's ``src_lang``/``tgt_lang`` are the codes found in the file
    (``en-GB``, ``zh-CN``); ``doc_id`` is the units' ``x-document`` when they all
    share one; ``level`` follows the header's ``segtype``; ``signature`` is the
    header's ``x-signature``. For memories too large to hold, use
    :func:`iter_pairs`.
    """
    with TmxReader(source) as reader:
        header = reader.header
        picker = PairPicker(header, src_lang, tgt_lang)
        picked = [p for u in reader if (p := picker.pick(u)) is not None]
        if picker.skipped:
            log.info("%s: skipped %d unit(s) without both languages", reader.name, picker.skipped)
    docs = {doc for doc, _ in picked}
    return Alignment(
        src_lang=picker.src_code,
        tgt_lang=picker.tgt_code,
        pairs=tuple(pair for _, pair in picked),
        level="paragraph" if header.segtype == "paragraph" else "sentence",
        signature=header.signature,
        doc_id=docs.pop() if len(docs) == 1 else "",
    )
