"""Write the reviewed outputs: TMX with ``x-status``, JSONL, Moses, TBX and a change log.

For each document ``ID`` of the review, into ``DIR/ID/`` (``DIR`` itself for a
one-document build)::

    NAME.reviewed.tmx              every link with both sides, prop x-status
                                   (accepted | changed | reviewed | unreviewed)
    NAME.reviewed.jsonl            the same links (1-0 links kept), all metadata,
                                   "status" (and "reviewer", "reviewed_at")
    NAME.reviewed.en / .zh / .ids  Moses
    NAME.reviewed.tbx              the glossary: accepted terms preferredTerm-admn-sts,
                                   rejected deprecatedTerm-admn-sts (or left out)
    NAME.reviewed.martif.tbx       the same in the 2008 martif format, for OmegaT 3.6
                                   (rejected concepts left out)
A multilingual build's joined memory (``NAME.tmx`` and ``NAME.multi.jsonl`` beside
its pairs, or ``OUT/multilingual/ID/`` in a collection) is joined again from the
reviewed pairs, as ``NAME.reviewed.tmx`` and ``NAME.reviewed.multi.jsonl`` in the
same place under ``DIR``, and its glossary (``NAME.tbx``) as ``NAME.reviewed.tbx``;
and ``DIR/changes.jsonl``, every decision with its time and reviewer (undone ones
marked ``undone_at``).

The files go through the project's writers (:mod:`bitext.tmx`,
:mod:`bitext.glossary`); the TMX writer's own unit renderer is used and the
status prop added to each unit, and the written TBX gets its statuses and
review notes set. Every file is written atomically. The ``.reviewed`` names
keep a later ``bitext review`` of the same folder from taking the exports for
build outputs.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import shutil
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bitext.errors import ConfigError
from bitext.fileio import atomic_write
from bitext.review.model import AlignmentState, GlossaryState, Link, TermEntry
from bitext.review.workbench import Workbench
from bitext.types import AlignedPair, Alignment

log = logging.getLogger(__name__)

SUFFIX = ".reviewed"
# The reviewed glossary again in the 2008 martif format (``--format tbx2``), which
# OmegaT 3.6 and older MultiTerm read: they do not load TBX 2019. The name keeps
# the ``.tbx`` extension their glossary folders look for.
LEGACY_SUFFIX = ".martif.tbx"
CHANGE_LOG = "changes.jsonl"
PREFERRED = "preferredTerm-admn-sts"
ADMITTED = "admittedTerm-admn-sts"
DEPRECATED = "deprecatedTerm-admn-sts"


def export_review(bench: Workbench, target: str | os.PathLike[str], *,
                  accepted_only: bool = False, drop_rejected: bool = False,
                  warn: Callable[[str], object] = log.warning) -> list[Path]:
    """Write every document's reviewed outputs under ``target``; returns the files.

    ``accepted_only`` keeps only links a reviewer saw (accepted, changed or marked
    reviewed) and concepts a reviewer accepted or changed;
    ``drop_rejected`` leaves rejected concepts out of the TBX instead of marking
    their terms deprecated. ``warn`` gets what the user should know about files
    that are written all the same (the command line logs it; the page's
    *Export* shows it).
    """
    root = Path(target)
    out = bench.out.resolve()
    resolved = root.resolve()
    for doc in bench.docs.values():
        if resolved == doc.source.folder.resolve():
            raise ConfigError(f"{root}: that is a build output folder; export to another "
                              "folder (the default is OUT/reviewed)")
    if resolved == out:
        raise ConfigError(f"{root}: export into a folder of its own, not the build output "
                          "folder itself")
    # The highest folder this export makes: every file under it is the export's,
    # so an export that fails halfway (a full disk) takes it away whole instead of
    # leaving half an export. Into a folder that exists, the files written stay.
    made: Path | None = None
    if not root.exists():
        made = root
        while not made.parent.exists():
            made = made.parent
    try:
        return _export(bench, root, accepted_only=accepted_only, drop_rejected=drop_rejected,
                       warn=warn)
    except BaseException:
        if made is not None:
            shutil.rmtree(made, ignore_errors=True)
        raise


def _export(bench: Workbench, root: Path, *, accepted_only: bool,
            drop_rejected: bool, warn: Callable[[str], object]) -> list[Path]:
    written: list[Path] = []
    single = len(bench.docs) == 1
    with bench.lock, _protect_sources(bench, root, single):
        # Every document's links and glossary are read before the first file is
        # written: one that cannot be read is an Error with no half export behind.
        states = {ident: (bench.alignment(ident), None if doc.source.glossary is None
                          else bench.glossary(ident))
                  for ident, doc in bench.docs.items()}
        if accepted_only and (empty := _nothing_decided(states)):
            warn(empty)
        for stem, _pivot, _members in joined_memories(bench):
            joined = stem.with_name(f"{stem.name}.tbx")
            if os.path.lexists(joined):  # a FIFO or a folder there: named, not skipped
                from bitext.review.sources import check_built_file

                check_built_file(joined)
        for ident, doc in bench.docs.items():
            folder = root if single else root / doc.source.folder.relative_to(bench.out)
            stem = folder / f"{doc.source.name}{SUFFIX}"
            state, glossary = states[ident]
            written += write_alignment_outputs(state, stem, accepted_only=accepted_only)
            if glossary is not None:
                for suffix, fmt in ((".tbx", "tbx"), (LEGACY_SUFFIX, "tbx2")):
                    path = stem.with_name(stem.name + suffix)
                    write_reviewed_tbx(glossary, path, accepted_only=accepted_only,
                                       drop_rejected=drop_rejected,
                                       sources=[str(doc.source.glossary)], fmt=fmt)
                    written.append(path)
        for stem, pivot, members in joined_memories(bench):
            target = root / stem.parent.relative_to(bench.out) / f"{stem.name}{SUFFIX}"
            written += write_joined_outputs(
                pivot, {other: states[ident][0] for other, ident in members.items()},
                target, stem, accepted_only=accepted_only)
            glossaries = {other: states[ident][1] for other, ident in members.items()}
            if stem.with_name(f"{stem.name}.tbx").is_file() and all(
                    g is not None for g in glossaries.values()):
                path = target.with_name(f"{target.name}.tbx")
                write_joined_tbx(pivot, {k: g for k, g in glossaries.items() if g is not None},
                                 path, accepted_only=accepted_only,
                                 sources=[str(bench.docs[i].source.glossary)
                                          for i in members.values()])
                written.append(path)
        log_path = root / CHANGE_LOG
        with atomic_write(log_path) as fh:
            for event in bench.events(include_undone=True):
                fh.write(json.dumps({
                    "id": event.id, "at": event.at, "reviewer": event.reviewer,
                    "doc": event.doc, "view": event.view, "op": event.op,
                    **{k: v for k, v in event.payload.items() if k != "tab"},
                    "undone_at": event.undone_at,
                }, ensure_ascii=False) + "\n")
        written.append(log_path)
    for path in written:
        log.info("wrote %s", path)
    return written


def _nothing_decided(states: dict[str, tuple[AlignmentState, GlossaryState | None]]
                     ) -> str | None:
    """The warning when an accepted-only export would write files holding no
    link (none accepted, changed or marked reviewed), or, with glossaries, no
    concept (none accepted): they are written all the same, and found empty."""
    links = sum(link.done for state, _ in states.values() for link in state.links)
    glossaries = [g for _, g in states.values() if g is not None]
    concepts = sum(entry.status == "accepted" for g in glossaries for entry, _ in g.exported())
    empty = [what for what, n, asked in (("no link", links, True),
                                         ("no concept", concepts, bool(glossaries)))
             if asked and not n]
    if not empty:
        return None
    # One wording for the command line and the page (the answer's warnings).
    return (f"accepted only: {' and '.join(empty)} has been accepted yet, so the "
            "exported files hold none; accept some in bitext review first, or export "
            "every link and concept with its status (on the command line, leave out "
            "--accepted-only; on the page, untick 'accepted only')")


def _protect_sources(bench: Workbench, root: Path, single: bool
                     ) -> contextlib.AbstractContextManager[None]:
    """Never write over what the workbench reads: the files of every document's
    build folder and the review database are inputs for the export. A name the
    export writes that is one of them already (a symbolic or hard link in the
    export folder) is refused before the first file is written; any other write
    is checked as it comes (:func:`bitext.fileio.protect_inputs`)."""
    from bitext.fileio import protect_inputs

    inputs: list[Path] = [bench.db_path]
    planned: list[Path] = [root / CHANGE_LOG]
    for doc in bench.docs.values():
        source = doc.source.folder
        with contextlib.suppress(OSError):
            inputs += [entry for entry in source.iterdir() if entry.is_file()]
        folder = root if single else root / source.relative_to(bench.out)
        prefix = f"{doc.source.name}{SUFFIX}."
        with contextlib.suppress(OSError):  # the export's names, where they exist
            planned += [entry for entry in folder.iterdir() if entry.name.startswith(prefix)]
    for stem, _pivot, _members in joined_memories(bench):
        folder = root / stem.parent.relative_to(bench.out)
        planned += [folder / f"{stem.name}{SUFFIX}{ext}" for ext in JOINED_EXTENSIONS]
    return protect_inputs(inputs, outputs=planned, option="--export")


#: The joined memory's files of a multilingual build, as the export names them
#: after NAME.reviewed (the build's NAME.tmx and NAME.multi.jsonl).
JOINED_EXTENSIONS = (".tmx", ".multi.jsonl", ".tbx")


def joined_memories(bench: Workbench) -> list[tuple[Path, str, dict[str, str]]]:
    """The multilingual memories of the build under review: for each, the stem
    the build wrote it under (``OUT/NAME``, or ``OUT/multilingual/ID/NAME`` in a
    collection), its pivot, and the review's document of each pair joined into
    it (``{other language: document id}``). A one-document build of several
    languages writes its pairs beside it as ``NAME.PIVOT-OTHER.*``; a collection
    writes them in ``OUT/PIVOT-OTHER/ID/``. Only memories the build joined (its
    ``NAME.multi.jsonl`` is there) from two pairs or more of the review."""
    import re

    from bitext.multilingual import MULTI_FOLDER

    pair = re.compile(r"(.+)\.([a-z]{2,3})-([a-z]{2,3})")
    groups: dict[tuple[Path, str], dict[str, str]] = {}
    for ident, doc in bench.docs.items():
        source = doc.source
        named = pair.fullmatch(source.name)
        rel = source.folder.relative_to(bench.out).parts
        placed = pair.fullmatch(f"x.{rel[0]}") if len(rel) > 1 else None
        if named is not None:
            stem, pivot, other = source.folder / named[1], named[2], named[3]
        elif placed is not None:
            stem = bench.out.joinpath(MULTI_FOLDER, *rel[1:], source.name)
            pivot, other = placed[2], placed[3]
        else:
            continue
        if stem.with_name(f"{stem.name}.multi.jsonl").is_file():
            groups.setdefault((stem, pivot), {})[other] = ident
    return [(stem, pivot, dict(sorted(members.items())))
            for (stem, pivot), members in sorted(groups.items()) if len(members) > 1]


def write_joined_outputs(pivot: str, states: dict[str, AlignmentState], stem: Path,
                         built: Path, *, accepted_only: bool) -> list[Path]:
    """The multilingual memory (TMX and JSONL) joined from each pair's reviewed
    links, as the build joins the built ones (:func:`bitext.multilingual.join_alignments`):
    a corrected sentence and a changed link reach it; with ``accepted_only``, a
    language enters a unit only where a reviewer saw its pair's links. ``built``:
    the stem of the build's joined memory (its document id is kept)."""
    import dataclasses

    from bitext.multilingual import MultiUnit, join_alignments, pair_name, pivot_first
    from bitext.tmx.multi import write_multi_jsonl, write_multi_tmx

    alignments = {}
    chosen = _pivot_corrections(pivot, states, stem.name)
    # Each pair's link statuses by pivot sentence: a unit's status in a pair
    # is that of the pair's links over the unit's pivot sentences.
    by_pivot: dict[str, dict[int, list[str]]] = {}
    for other, state in states.items():
        reviewed, links = reviewed_alignment(state, accepted_only=accepted_only)
        alignment = pivot_first(reviewed, pivot)
        seen = by_pivot.setdefault(pair_name(pivot, other), {})
        for pair, link in zip(alignment.pairs, links, strict=True):
            for k in pair.src_ids:
                seen.setdefault(k, []).append(link.status)
        # Every pair carries the pivot's corrected text, so the join (which
        # reads the pivot from each pair in turn) cannot put a pair's
        # uncorrected sentence back over another pair's correction.
        pairs = tuple(dataclasses.replace(p, src=tuple(
            chosen.get(k, text) for k, text in zip(p.src_ids, p.src, strict=True)))
            for p in alignment.pairs)
        alignments[other] = dataclasses.replace(alignment, src_lang=pivot, tgt_lang=other,
                                                pairs=pairs)
    n_pivot = 1 + max((i for al in alignments.values() for p in al.pairs for i in p.src_ids),
                      default=-1)
    joined = join_alignments(pivot, n_pivot, alignments, _joined_doc_id(built, alignments))
    tmx, jsonl = (stem.with_name(stem.name + ext) for ext in JOINED_EXTENSIONS[:2])
    stem.parent.mkdir(parents=True, exist_ok=True)
    def statuses(unit: MultiUnit) -> dict[str, str]:
        found = {}
        for name, seen in by_pivot.items():
            each = {s for k in unit.ids.get(pivot, ()) for s in seen.get(k, ())}
            if each:
                found[name] = _unit_status(each)
        return found

    write_multi_tmx(joined, tmx, statuses=statuses)
    write_multi_jsonl(joined, jsonl, statuses=statuses)
    return [tmx, jsonl]


def _unit_status(statuses: set[str]) -> str:
    """A joined unit's status in one pair, from that pair's links in it: not
    reviewed while one of them is not; else changed once one was; accepted when
    all were; else reviewed (read through)."""
    for status in ("unreviewed", "changed"):
        if status in statuses:
            return status
    return "accepted" if statuses == {"accepted"} else "reviewed"


def _pivot_corrections(pivot: str, states: dict[str, AlignmentState], name: str
                       ) -> dict[int, str]:
    """The pivot sentences a reviewer corrected in one pair or more, by index:
    ``{index: text}``. Pairs that corrected one sentence the same way agree; where
    two pairs corrected it differently, the correction whose link was decided
    last is kept and a warning names the sentence, each pair's text and what was
    kept (the review shows each pair's correction; making them the same settles it)."""
    from bitext.multilingual import pair_name

    found: dict[int, dict[str, tuple[str, str]]] = {}
    for other, state in states.items():
        lang = next(x for x in state.langs if x.split("-")[0].lower() == pivot)
        when: dict[int, str] = {}
        for link in state.links:
            for i in (link.left if lang == state.langs[0] else link.right):
                when[i] = link.at
        for i, (text, original) in enumerate(zip(state.texts[lang], state.originals[lang],
                                                 strict=True)):
            if text != original:
                found.setdefault(i, {})[other] = (text, when.get(i, ""))
    chosen: dict[int, str] = {}
    for i, by_pair in sorted(found.items()):
        # ISO 8601 times in UTC sort as text; ties keep the pair met last.
        last = max(by_pair, key=lambda other: by_pair[other][1])
        chosen[i] = by_pair[last][0]
        if len({text for text, _ in by_pair.values()}) > 1:
            each = "; ".join(f"{pair_name(pivot, other)}: {text!r}"
                             for other, (text, _) in sorted(by_pair.items()))
            log.warning("%s: %s sentence %d was corrected differently in two pairs' "
                        "reviews (%s); the joined memory keeps %s's, decided last. To choose "
                        "another, correct it the same way in every pair and export again",
                        name, pivot, i + 1, each, pair_name(pivot, last))
    return chosen


def write_joined_tbx(pivot: str, states: dict[str, GlossaryState], path: Path, *,
                     accepted_only: bool, sources: list[str]) -> None:
    """The multilingual glossary (the build's ``NAME.tbx``: concepts found in two
    pairs or more) joined from each pair's reviewed concepts, as the build joins
    the built ones (:func:`bitext.glossary.multi.join_glossaries`): a corrected
    term is the correction; a concept rejected in a pair leaves that pair out
    (so it leaves the glossary when fewer than two pairs keep it), and with
    ``accepted_only`` only accepted ones take part. Each language's terms take
    the status of its pair's decision (``preferredTerm-admn-sts`` for the first
    accepted term, ``admittedTerm-admn-sts`` for its variants); the pivot's,
    the preferred status once every pair accepted the concept. A concept note
    says who decided what in which pair."""
    from bitext.glossary.evaluate import normalize
    from bitext.glossary.multi import join_glossaries
    from bitext.glossary.tbx import CANDIDATE_NOTE, TBX_NS, tbx_bytes, tbx_tree

    chosen: dict[str, list[Any]] = {}
    decided: dict[str, dict[str, TermEntry]] = {}  # language -> pivot term -> entry
    for other, state in states.items():
        for entry, concept in state.exported():
            if entry.status == "rejected" or (accepted_only and entry.status != "accepted"):
                continue
            terms = concept.terms_in(pivot)
            if terms:
                chosen.setdefault(other, []).append(concept)
                decided.setdefault(other, {}).setdefault(normalize(terms[0].text), entry)
    concepts = join_glossaries(pivot, chosen)
    tree = tbx_tree(concepts, str(path), sources=sources,
                    title="Multilingual glossary reviewed with bitext")
    ns = f"{{{TBX_NS}}}"
    for el, concept in zip(tree.getroot().iter(f"{ns}conceptEntry"), concepts, strict=True):
        key = normalize(concept.terms_in(pivot)[0].text)
        entries = {lang: by_term[key] for lang, by_term in decided.items() if key in by_term}
        every = all(e.status == "accepted" for e in entries.values())
        for lang_sec in el.iter(f"{ns}langSec"):
            base = lang_sec.get("{http://www.w3.org/XML/1998/namespace}lang", "").split("-")[0]
            mine = entries.get(base)
            accepted = every if base == pivot else mine is not None and mine.status == "accepted"
            if accepted:
                for k, term_sec in enumerate(lang_sec.iter(f"{ns}termSec")):
                    _set_status(term_sec, f"{ns}termNote", PREFERRED if k == 0 else ADMITTED)
        notes = [f"{pivot}-{lang}: {e.status}" + (", term corrected" if e.edited else "")
                 + (f" by {_xml(e.reviewer)}" if e.reviewer else "")
                 for lang, e in entries.items() if e.status != "candidate" or e.edited]
        anchor = next((n for n in el.findall(f"{ns}note") if n.text == CANDIDATE_NOTE),
                      el.find(f"{ns}note"))
        if notes and anchor is not None:
            text = "reviewed: " + "; ".join(notes)
            if every and anchor.text == CANDIDATE_NOTE:  # no longer a mere candidate
                anchor.text = text
            else:
                _note_after(anchor, f"{ns}note", text)
    data = tbx_bytes(tree)
    with atomic_write(path, "wb") as fh:
        fh.write(data)


def _joined_doc_id(built: Path, alignments: dict[str, Alignment]) -> str:
    """The document id the build gave the joined memory (a collection's
    ``2015/s/2015/305``, which the pairs' files do not hold), from the first
    line of its ``NAME.multi.jsonl``; else the pairs' own."""
    fallback = next(iter(alignments.values())).doc_id
    try:
        with open(built.with_name(f"{built.name}.multi.jsonl"), encoding="utf-8") as fh:
            first = json.loads(fh.readline() or "{}")
    except (OSError, ValueError, RecursionError):
        return fallback
    doc = first.get("doc") if isinstance(first, dict) else None
    return doc if isinstance(doc, str) and doc else fallback


def reviewed_alignment(state: AlignmentState, *, accepted_only: bool
                       ) -> tuple[Alignment, list[Link]]:
    """The reviewed links as an Alignment in the build's language order, with the
    link each pair comes from (its status, reviewer and time)."""
    left, right = state.langs
    # The build's JSONL holds English first; display order put it on the right.
    src, tgt = state.source_langs
    pairs: list[AlignedPair] = []
    statuses: list[Link] = []
    for link in state.links:
        if accepted_only and not link.done:
            continue
        ids = {left: link.left, right: link.right}
        pairs.append(AlignedPair(
            tuple(state.texts[src][i] for i in ids[src]),
            tuple(state.texts[tgt][i] for i in ids[tgt]),
            link.score, link.label, ids[src], ids[tgt]))
        statuses.append(link)
    signature = {**state.signature, "review": "accepted-only" if accepted_only else "all"}
    return Alignment(src, tgt, tuple(pairs), "sentence", signature, state.doc_id), statuses


def write_alignment_outputs(state: AlignmentState, stem: Path, *, accepted_only: bool
                            ) -> list[Path]:
    """TMX (with x-status), JSONL and Moses of one document's reviewed alignment."""
    from bitext.tmx import write_alignment

    alignment, statuses = reviewed_alignment(state, accepted_only=accepted_only)
    tmx = stem.with_name(stem.name + ".tmx")
    write_status_tmx(alignment, statuses, tmx)
    jsonl = stem.with_name(stem.name + ".jsonl")
    write_status_jsonl(alignment, statuses, jsonl)
    write_alignment(alignment, stem, "moses")
    moses = [stem.with_name(f"{stem.name}.{ext}") for ext in (
        *(lang.split("-")[0] for lang in (alignment.src_lang, alignment.tgt_lang)), "ids")]
    return [tmx, jsonl, *moses]


def write_status_tmx(alignment: Alignment, statuses: list[Link], path: Path) -> None:
    """A TMX 1.4b file through the project's TMX writer, each unit with its
    ``x-status`` prop and, once a reviewer decided on it, the TMX ``changeid``
    (the reviewer) and ``changedate`` attributes CAT tools show.

    The writer's preparation drops some pairs (an empty side) and yields an entry
    right after reading the pair it comes from, so the status of the pair read
    last is the status of each entry it yields.
    """
    from bitext.tmx.base import log_stats
    from bitext.tmx.writer import TMX_DATE_FORMAT, escape_attr, render_header, render_tu

    ex, last = _begin_with_links(alignment, statuses, path, "tmx")
    with atomic_write(path) as fh:
        fh.write(render_header(ex.meta, ex.layout, datetime.now(UTC)))
        for n, entry in enumerate(ex.entries, start=1):
            link = last[0]
            # A link a reviewer accepted, changed or read through is checked:
            # its low-confidence note would send the translator to it again.
            head, rest = render_tu(entry, n, ex.layout,
                                   flag_low=link.status == "unreviewed").split("\n", 1)
            if link.at:
                when = datetime.fromisoformat(link.at.replace("Z", "+00:00"))
                change = f' changedate="{when.astimezone(UTC).strftime(TMX_DATE_FORMAT)}"'
                if link.reviewer:
                    change += f' changeid="{escape_attr(_xml(link.reviewer))}"'
                head = head[:-1] + change + ">"
            fh.write(f'{head}\n      <prop type="x-status">{link.status}</prop>\n{rest}')
        fh.write("  </body>\n</tmx>\n")
    log_stats(ex.stats)


def _begin_with_links(alignment: Alignment, statuses: list[Link], path: Path, fmt: str
                      ) -> tuple[Any, list[Link]]:
    """The export of ``alignment`` in ``fmt`` through the project's writers'
    preparation, and a list holding the link of the entry just yielded.

    The preparation drops some pairs (an empty side, in TMX) and yields an
    entry right after reading the pair it comes from, so the link read last is
    the link of each entry it yields.
    """
    from bitext.tmx.base import ExportOptions, begin_export

    last: list[Link] = []

    def pairs() -> Iterator[AlignedPair]:
        for pair, link in zip(alignment.pairs, statuses, strict=True):
            last[:] = [link]
            yield pair

    ex = begin_export(pairs(), fmt, str(path), options=ExportOptions(),
                      src_lang=alignment.src_lang, tgt_lang=alignment.tgt_lang,
                      level="sentence", signature=alignment.signature,
                      doc_id=alignment.doc_id, line_safe=False,
                      empty_by_default=fmt == "jsonl")
    return ex, last


def write_status_jsonl(alignment: Alignment, statuses: list[Link], path: Path) -> None:
    """The JSONL of :func:`bitext.tmx.corpus.write_jsonl` (1-0 links kept), each
    line with the link's ``status`` (as the TMX's ``x-status``) and, once a
    reviewer decided on it, ``reviewer`` and ``reviewed_at`` (the TMX's
    ``changeid`` and ``changedate``): an MT team filters on the decisions."""
    from bitext.tmx.base import log_stats
    from bitext.tmx.corpus import jsonl_line, jsonl_record

    ex, last = _begin_with_links(alignment, statuses, path, "jsonl")
    keys = ex.layout.keys()
    with atomic_write(path) as fh:
        for n, entry in enumerate(ex.entries, start=1):
            link = last[0]
            record = {**jsonl_record(n, entry, keys), "status": link.status}
            if link.at:
                if link.reviewer:
                    record["reviewer"] = _xml(link.reviewer)
                record["reviewed_at"] = link.at
            fh.write(jsonl_line(record))
    log_stats(ex.stats)


def write_reviewed_tbx(state: GlossaryState, path: Path, *, accepted_only: bool,
                       drop_rejected: bool, sources: list[str], fmt: str = "tbx") -> None:
    """The glossary with the decisions, through the project's TBX writer.

    Accepted concepts: preferred terms ``preferredTerm-admn-sts``, variants
    ``admittedTerm-admn-sts``. Rejected: every term ``deprecatedTerm-admn-sts``
    (or the concept left out). Undecided: as the build wrote them (candidates).
    An edited term is written as corrected, with a note giving what the
    extractor proposed; the reviewer's note and the decision are concept notes.
    ``fmt`` ``tbx2``: the 2008 martif format, whose concept, language and term
    elements (``termEntry``, ``langSet``, ``tig``, no namespace) take the same
    statuses and notes, without the rejected concepts (the tools that read it
    offer every term they find).
    """
    from bitext.glossary.tbx import CANDIDATE_NOTE, TBX_NS, tbx_bytes, tbx_tree

    chosen: list[tuple[TermEntry, Any]] = []
    for entry, concept in state.exported():
        # The martif file is for OmegaT 3.6 and older tools, which read no term
        # status and offer every term as a translation: a rejected concept would
        # be offered like an accepted one. The TBX 2019 keeps it, deprecated.
        if entry.status == "rejected" and (drop_rejected or fmt == "tbx2"):
            continue
        if accepted_only and entry.status != "accepted":
            continue
        chosen.append((entry, concept))
    tree = tbx_tree([c for _, c in chosen], str(path), fmt, sources=sources,
                    title="Bilingual glossary reviewed with bitext")
    names = _LEGACY_NAMES if fmt == "tbx2" else {
        key: f"{{{TBX_NS}}}{name}" for key, name in _TBX_NAMES.items()}
    entries = list(tree.getroot().iter(names["concept"]))
    for el, (entry, _concept) in zip(entries, chosen, strict=True):
        _review_entry(el, entry, names, CANDIDATE_NOTE)
    data = tbx_bytes(tree)
    with atomic_write(path, "wb") as fh:
        fh.write(data)


def _xml(text: str) -> str:
    """A reviewer's name or note as the exporters write every text: a character
    XML 1.0 forbids (a control typed or pasted into the page, or stored by an
    older version) becomes a space, so the file stays XML."""
    from bitext.tmx.text import replace_forbidden

    return replace_forbidden(text)[0]


# The elements a reviewed glossary's decisions go into, in TBX 2019 (namespaced
# by the caller) and in the 2008 martif format.
_TBX_NAMES = {"concept": "conceptEntry", "lang": "langSec", "term_sec": "termSec",
              "term": "term", "note": "note", "term_note": "termNote"}
_LEGACY_NAMES = {**_TBX_NAMES, "concept": "termEntry", "lang": "langSet", "term_sec": "tig"}


def _set_status(term_sec: Any, term_note_tag: str, status: str) -> None:
    """Give the term of ``term_sec`` the administrative ``status`` (its
    ``administrativeStatus`` term notes, its children tagged ``term_note_tag``)."""
    for tn in term_sec.findall(term_note_tag):
        if tn.get("type") == "administrativeStatus":
            tn.text = status


def _note_after(anchor: Any, note_tag: str, text: str) -> None:
    """A new note element (``note_tag``) of ``text`` right after ``anchor``, set
    out as the anchor is (its tail)."""
    from lxml import etree

    extra = etree.Element(note_tag)
    extra.text = text
    extra.tail = anchor.tail
    anchor.addnext(extra)


def _review_entry(el: Any, entry: TermEntry, names: dict[str, str],
                  candidate_note: str) -> None:
    from lxml import etree

    note_tag = names["note"]
    for note in el.findall(note_tag):
        if note.text == candidate_note and entry.status != "candidate":
            who = f" by {_xml(entry.reviewer)}" if entry.reviewer else ""
            when = f" on {entry.decided_at[:10]}" if entry.decided_at else ""
            note.text = f"reviewed{who}{when}: {entry.status}"
    if entry.note:
        _note_after(el.findall(note_tag)[-1], note_tag, f"reviewer's note: {_xml(entry.note)}")
    for lang_sec in el.findall(names["lang"]):
        lang = lang_sec.get("{http://www.w3.org/XML/1998/namespace}lang", "")
        base = lang.split("-")[0]
        view_lang = next((lg for lg in entry.terms if lg.split("-")[0] == base), lang)
        for k, term_sec in enumerate(lang_sec.findall(names["term_sec"])):
            status = {"accepted": PREFERRED if k == 0 else ADMITTED,
                      "rejected": DEPRECATED}.get(entry.status)
            if status is not None:
                _set_status(term_sec, names["term_note"], status)
            if k == 0 and view_lang in entry.edited:
                term = term_sec.find(names["term"])
                proposed = entry.proposed.get(view_lang, "")
                if term is not None and proposed and term.text != proposed:
                    note = etree.SubElement(term_sec, note_tag)
                    note.text = f"corrected by the reviewer; the extractor proposed: {proposed}"
