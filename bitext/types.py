"""Small core types shared by every stage of the pipeline.

A :class:`Document` is a sequence of structural :class:`Unit` s (header lines,
headings, numbered paragraphs, footnotes), each split into sentences. Alignment
produces :class:`Link` s between index tuples, and an :class:`Alignment` ties the
links to their texts and the signature of the settings that produced them.

Character spans are offsets in characters (not bytes) into the decoded source text.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

UnitKind = Literal["header", "heading", "paragraph", "footnote"]

#: Links below this confidence are counted as "to review" (the score is a
#: calibrated probability that the link is right; below 0.5 it is more likely wrong).
LOW_CONFIDENCE = 0.5


@dataclass(frozen=True)
class Unit:
    """One structural unit of a document.

    ``label`` is the unit's structural label: ``header1`` for session-header lines,
    ``I`` / ``II.A`` / ``II.A.1`` for headings, ``12`` for paragraph 12, ``fn1``
    for footnote 1. ``span`` is ``(start, end)`` in characters of the source text
    (the first and last line the unit was built from). ``footnote_refs`` are the
    footnote markers that were glued to words in the unit and removed from ``text``.
    """

    kind: UnitKind
    label: str
    text: str
    sentences: tuple[str, ...]
    span: tuple[int, int] = (0, 0)
    footnote_refs: tuple[str, ...] = ()


@dataclass(frozen=True)
class Document:
    """A cleaned, structured, sentence-split document in one language."""

    lang: str
    units: tuple[Unit, ...]
    source: str = ""
    symbol: str | None = None
    #: One sentence per line in the file (:mod:`bitext.ingest.layout`): each
    #: unit is one line, with no paragraphs to pair before the sentences.
    segmented: bool = False

    @property
    def sentences(self) -> list[str]:
        return [s for u in self.units for s in u.sentences]


@dataclass(frozen=True)
class Link:
    """A bead: source indices, target indices and a confidence in [0, 1].

    Either side may be empty (a 1-0 or 0-1 link). Higher scores are always better.
    """

    src: tuple[int, ...]
    tgt: tuple[int, ...]
    score: float = 1.0

    @property
    def shape(self) -> str:
        return f"{len(self.src)}-{len(self.tgt)}"

    def bead(self) -> str:
        """The Vecalign/Bertalign bead notation, e.g. ``[0, 1]:[0]``."""
        return bead_text(self.src, self.tgt)


# ``[0, 1]:[0]``, optionally followed by ``:score`` (bead files with scores).
_BEAD_RE = re.compile(r"^\s*\[([\d,\s]*)\]\s*:\s*\[([\d,\s]*)\]\s*(?::\s*(\S+))?\s*$")


def bead_text(src: Sequence[int], tgt: Sequence[int]) -> str:
    """The Vecalign/Bertalign bead notation of two index lists: ``[0, 1]:[0]``, ``[3]:[]``.

    Every writer of beads (bead files, TSV, JSONL, Moses ``.ids``, TMX ``x-ids``)
    uses this, and :func:`parse_bead_text` reads it back.
    """
    return f"{[int(i) for i in src]}:{[int(i) for i in tgt]}"


def shape_text(src_lang: str, n_src: int, tgt_lang: str, n_tgt: int) -> str:
    """A link's shape named by its languages, SRC first: ``zh2-en1`` is two Chinese
    sentences linked to one English one. Every file and summary bitext writes
    uses this, so no reader has to know which side a bare ``2-1`` counts first;
    index beads (``[3]:[4, 5]``) list SRC's indices first in the same order."""
    return f"{_code(src_lang)}{n_src}-{_code(tgt_lang)}{n_tgt}"


_SHAPE_RE = re.compile(r"^\s*([A-Za-z]{2,3})(\d+)-([A-Za-z]{2,3})(\d+)\s*$")


def parse_shape_text(text: str) -> tuple[str, str] | None:
    """The two languages of a named shape (``zh2-en1`` -> ``("zh", "en")``), SRC first;
    ``None`` for a bare shape such as ``2-1`` or anything else."""
    m = _SHAPE_RE.match(text or "")
    return (m.group(1).lower(), m.group(3).lower()) if m else None


def _code(lang: str) -> str:
    return lang.split("-")[0].split("_")[0].lower()


def parse_bead_text(text: str) -> tuple[tuple[int, ...], tuple[int, ...]] | None:
    """``[3]:[4, 5]`` (optionally ``:0.93``) -> ``((3,), (4, 5))``; ``None`` if not a bead."""
    match = _BEAD_RE.match(text or "")
    if not match:
        return None
    try:
        src, tgt = (tuple(int(x) for x in group.replace(",", " ").split())
                    for group in match.groups()[:2])
    except ValueError:  # a number past Python's int conversion limit (4,300 digits)
        return None
    return src, tgt


@dataclass(frozen=True)
class AlignedPair:
    """One aligned segment pair ready for export.

    ``src`` and ``tgt`` hold the sentences of each side (possibly empty).
    ``src_ids`` / ``tgt_ids`` are their 0-based indices in the document's
    sentence list (or paragraph list at paragraph level).
    """

    src: tuple[str, ...]
    tgt: tuple[str, ...]
    score: float
    label: str = ""
    src_ids: tuple[int, ...] = ()
    tgt_ids: tuple[int, ...] = ()

    @property
    def shape(self) -> str:
        return f"{len(self.src)}-{len(self.tgt)}"

    def named_shape(self, src_lang: str, tgt_lang: str) -> str:
        """The shape named by language, SRC first (``zh2-en1``): :func:`shape_text`."""
        return shape_text(src_lang, len(self.src), tgt_lang, len(self.tgt))

    def src_text(self, lang: str) -> str:
        return join_sentences(self.src, lang)

    def tgt_text(self, lang: str) -> str:
        return join_sentences(self.tgt, lang)


@dataclass(frozen=True)
class Alignment:
    """Aligned pairs plus everything needed to reproduce them.

    ``level`` is ``"sentence"`` or ``"paragraph"``. ``signature`` records the
    bitext version, encoder, cleaner and parameters (see :func:`signature_string`).
    """

    src_lang: str
    tgt_lang: str
    pairs: tuple[AlignedPair, ...]
    level: Literal["sentence", "paragraph"] = "sentence"
    signature: dict[str, str] = field(default_factory=dict)
    doc_id: str = ""


def is_cjk_lang(lang: str) -> bool:
    """True for languages written without spaces between words (zh, ja)."""
    from bitext.languages import find_language

    known = find_language(lang)
    if known is not None:
        return not known.spaced
    # Japanese is not in the language layer yet, but is written without spaces too
    return lang.split("-")[0].lower() == "ja"


def join_sentences(sentences: tuple[str, ...] | list[str], lang: str) -> str:
    """Join sentences the way the language writes them: no space for Chinese."""
    return ("" if is_cjk_lang(lang) else " ").join(s for s in sentences if s)


def signature_string(signature: dict[str, str]) -> str:
    """Render a signature as ``key:value|key:value`` (sacrebleu style), keys sorted."""
    return "|".join(f"{k}:{v}" for k, v in sorted(signature.items()))
