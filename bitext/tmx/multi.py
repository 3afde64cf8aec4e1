"""Multilingual memory files: one TMX with up to six ``tuv`` s per unit, and JSONL.

The TMX follows the TMX 1.4b DTD and the layout of :mod:`bitext.tmx.writer`;
each unit holds one ``tuv`` per language that has text in it, the pivot's
first, and the header's ``srclang`` is the pivot's code (the language the
units were aligned from). CAT tools such as OmegaT and eLUNa pick the ``tuv`` s
of the project's two languages, so a French-to-Russian project uses the memory
as well as an English one. (OmegaT then logs that the memory's source language
is not the project's, and loads it all the same; it logs the same for
``srclang="*all*"``, so the pivot, which spares the warning in the commonest
direction, is written.)::

    <tu tuid="1">
      <prop type="x-document">A/70/1</prop>
      <prop type="x-paragraph">12</prop>
      <prop type="x-score">0.9100</prop>           lowest of the pairs' scores
      <prop type="x-score-en-fr">0.9312</prop>     one per pair present
      <prop type="x-ids-en">[14]</prop>            sentence indices per language
      <prop type="x-ids-fr">[15, 16]</prop>
      <tuv xml:lang="en-GB"><seg>...</seg></tuv>
      <tuv xml:lang="fr-FR"><prop type="x-breaks">40</prop><seg>...</seg></tuv>
      ...

A unit is written when at least two languages have text in it. With
``min_score``, a language whose pair scores below it is left out of that unit
(a reviewed-quality memory); the JSONL keeps everything with its scores, so
that MT teams can filter by their own threshold. One JSONL line per unit::

    {"tuid": 1, "doc": "A/70/1", "label": "12",
     "text": {"en": "...", "fr": "...", ...},
     "ids": {"en": [14], "fr": [15, 16], ...},
     "scores": {"en-fr": 0.9312, ...}}

A reviewed memory (``bitext review --export``) adds each pair's decision on
the unit: ``x-status-en-fr`` props, and ``"status": {"en-fr": "accepted", ...}``.
"""

from __future__ import annotations

import itertools
import json
import os
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, datetime

from bitext.fileio import atomic_write
from bitext.multilingual import MultiAlignment, MultiUnit
from bitext.tmx.base import ExportStats, Layout, Meta, _clean_side, fmt_score, log_stats
from bitext.tmx.text import default_code
from bitext.tmx.writer import _tuv, escape_attr, escape_text, low_confidence_note, render_header
from bitext.types import LOW_CONFIDENCE, join_sentences


def _clean(sentences: tuple[str, ...], stats: ExportStats) -> tuple[str, ...]:
    """The sentences cleaned as every exporter cleans them (XML-forbidden
    characters replaced, trimmed, empty ones dropped)."""
    return _clean_side(sentences, False, stats)


def _kept(unit: MultiUnit, pivot: str, min_score: float | None,
          stats: ExportStats) -> dict[str, tuple[str, ...]]:
    """The cleaned sentences of each language kept in ``unit``, pivot first."""
    kept = {}
    for lang, sentences in unit.sentences.items():
        if lang != pivot and min_score is not None:
            score = unit.scores.get(f"{pivot}-{lang}")
            if score is None or not score >= min_score:
                continue
        clean = _clean(sentences, stats)
        if clean:
            kept[lang] = clean
    return kept


def render_multi_tu(unit: MultiUnit, kept: dict[str, tuple[str, ...]], tuid: int,
                    codes: dict[str, str], doc_id: str, pivot: str,
                    statuses: Mapping[str, str] | None = None) -> str:
    """One ``<tu>`` with its props and one ``tuv`` per kept language, as text.
    ``statuses``: a reviewed memory's status of each pair in the unit
    (``{"en-fr": "accepted"}``), written as ``x-status-en-fr``; a pair a
    reviewer checked is not named in the low-confidence note."""
    statuses = statuses or {}
    parts = [f'    <tu tuid="{tuid}">\n']
    if doc_id:
        parts.append(f'      <prop type="x-document">{escape_text(doc_id)}</prop>\n')
    if unit.label:
        parts.append(f'      <prop type="x-paragraph">{escape_text(unit.label)}</prop>\n')
    pairs = [f"{pivot}-{lang}" for lang in kept if lang != pivot]
    scores = [unit.scores[p] for p in pairs if p in unit.scores]
    low = {p: unit.scores[p] for p in pairs if unit.scores.get(p, 1.0) < LOW_CONFIDENCE
           and statuses.get(p, "unreviewed") == "unreviewed"}
    if low:
        parts.insert(1, f"      <note>{low_confidence_note(low)}</note>\n")
    if scores:
        parts.append(f'      <prop type="x-score">{fmt_score(min(scores))}</prop>\n')
    for p in pairs:
        if p in unit.scores:
            parts.append(f'      <prop type="x-score-{escape_attr(p)}">'
                         f"{fmt_score(unit.scores[p])}</prop>\n")
    for p in pairs:
        if p in statuses:
            parts.append(f'      <prop type="x-status-{escape_attr(p)}">'
                         f"{escape_text(statuses[p])}</prop>\n")
    for lang in kept:
        ids = unit.ids.get(lang, ())
        parts.append(f'      <prop type="x-ids-{escape_attr(lang)}">{list(ids)}</prop>\n')
    for lang, sentences in kept.items():
        parts.append(_tuv(codes[lang], sentences, join_sentences(sentences, codes[lang])))
    parts.append("    </tu>\n")
    return "".join(parts)


def write_multi_tmx(memory: MultiAlignment, path: str | os.PathLike[str], *,
                    min_score: float | None = None, created: datetime | None = None,
                    statuses: Callable[[MultiUnit], Mapping[str, str]] | None = None
                    ) -> ExportStats:
    """Write a multilingual memory as TMX 1.4b, atomically; returns the counts.

    ``written`` counts units, ``empty`` the units left with fewer than two
    languages (not written), ``below_min_score`` the languages left out of a
    unit for a score below ``min_score``. ``statuses``: a reviewed memory's
    status of each pair in a unit (:func:`render_multi_tu`).
    """
    return write_multi_tmx_many([memory], path, memory.pivot, memory.langs,
                                signature=dict(memory.signature), doc_id=memory.doc_id,
                                min_score=min_score, created=created, statuses=statuses)


def write_multi_tmx_many(memories: Iterable[MultiAlignment], path: str | os.PathLike[str],
                         pivot: str, langs: Iterable[str], *,
                         signature: dict[str, str] | None = None, doc_id: str = "",
                         min_score: float | None = None, created: datetime | None = None,
                         statuses: Callable[[MultiUnit], Mapping[str, str]] | None = None
                         ) -> ExportStats:
    """Write several documents' multilingual memories as one TMX 1.4b (a
    collection's ``corpus.tmx.gz``), atomically, taking them one at a time
    (``memories`` may be a generator); each unit names its document
    (``x-document``) and ``tuid`` counts across them. ``langs``: every
    language a memory may hold (their codes). ``signature``: the header's, by
    default the first memory's. Counts as :func:`write_multi_tmx`."""
    stats = ExportStats(path=os.fspath(path), format="tmx")
    ahead = iter(memories)
    first = next(ahead, None)  # the header comes first
    if signature is None and first is not None:
        signature = dict(first.signature)
    memories = ahead if first is None else itertools.chain([first], ahead)
    codes = {lang: default_code(lang) for lang in (pivot, *langs)}
    pivot_code = codes[pivot]
    layout = Layout(pivot_code, pivot_code, False, pivot_code)
    meta = Meta(pivot, pivot, "sentence", dict(signature or {}), doc_id)
    with atomic_write(path) as fh:
        fh.write(render_header(meta, layout, created or datetime.now(UTC)))
        for memory in memories:
            for unit in memory.units:
                kept = _kept(unit, pivot, min_score, stats)
                stats.below_min_score += sum(1 for lang in unit.sentences if lang not in kept)
                if len(kept) < 2:
                    stats.empty += 1
                    continue
                stats.written += 1
                fh.write(render_multi_tu(unit, kept, stats.written, codes, memory.doc_id,
                                         pivot, statuses(unit) if statuses else None))
        fh.write("  </body>\n</tmx>\n")
    log_stats(stats)
    return stats


def multi_record(unit: MultiUnit, tuid: int, doc_id: str, stats: ExportStats,
                 statuses: Mapping[str, str] | None = None) -> dict[str, object] | None:
    """The JSONL record of one unit (``None`` when fewer than two languages have text).
    ``statuses``: a reviewed memory's status of each pair in the unit, written
    as ``"status": {"en-fr": "accepted", ...}`` after the scores."""
    text = {}
    for lang, sentences in unit.sentences.items():
        clean = _clean(sentences, stats)
        if clean:
            text[lang] = join_sentences(clean, lang)
    if len(text) < 2:
        return None
    record: dict[str, object] = {
        "tuid": tuid, "doc": doc_id, "label": unit.label, "text": text,
        "ids": {lang: list(unit.ids.get(lang, ())) for lang in text},
        "scores": {p: round(s, 4) for p, s in unit.scores.items()},
    }
    if statuses is not None:
        record["status"] = dict(statuses)
    return record


def write_multi_jsonl(memory: MultiAlignment, path: str | os.PathLike[str], *,
                      statuses: Callable[[MultiUnit], Mapping[str, str]] | None = None
                      ) -> ExportStats:
    """Write a multilingual memory as JSONL, one unit per line, atomically.
    ``statuses``: a reviewed memory's status of each pair in a unit
    (:func:`multi_record`)."""
    stats = ExportStats(path=os.fspath(path), format="jsonl")
    with atomic_write(path) as fh:
        for unit in memory.units:
            record = multi_record(unit, stats.written + 1, memory.doc_id, stats,
                                  statuses(unit) if statuses else None)
            if record is None:
                stats.empty += 1
                continue
            stats.written += 1
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")
    log_stats(stats)
    return stats
