"""Several language versions of one document: align each to a pivot, then join.

A UN document exists in up to six languages. :func:`build_multilingual` loads
every version once, aligns each one to the *pivot* (the language the document
was drafted in when known, else English: most UN documents are drafted in
English and translated from it), writes the usual two-language outputs per
pair, and joins the pairwise alignments into one multilingual memory
(:func:`join_alignments`), written as one TMX whose units hold up to six
``tuv`` s and as a JSONL file with one line per unit
(:mod:`bitext.tmx.multi`).

The join rule
-------------
Every pairwise alignment links groups of pivot sentences to groups of
sentences of the other language. Two pairs may group the pivot differently
(French joins pivot sentences 4 and 5 into one, Russian keeps them apart), so
the units of the memory are the *finest grouping of the pivot's sentences that
every pair's links respect*: pivot sentences that share a link in any pair are
in the same unit (the connected components of "shares a link", which are runs
of consecutive sentences, since every link is). A unit holds

* its pivot sentences, merged;
* for each other language, every sentence linked to one of them, merged in
  reading order (a sentence is in one link only, and that link's pivot side is
  inside one unit, so each sentence lands in exactly one unit);
* per pair, the lowest score of that pair's links inside the unit (a unit is
  only as sure as its weakest link) and the structural label of the pivot side.

Sentences of another language linked to no pivot sentence (a 0-1 link: text
the pivot does not have) are left out of the joined memory, since no unit can
say what they translate; they stay in that pair's own outputs. A language with
no text in a unit (a 1-0 link in that pair) has no ``tuv`` there.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import time
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bitext.build import (
    LOW_CONFIDENCE,
    BuildResult,
    BuildSettings,
    OutputPlan,
    SourceDocument,
    find_language_file,
    plan_outputs,
)
from bitext.errors import ConfigError, InputError
from bitext.types import AlignedPair

if TYPE_CHECKING:
    from bitext.glossary.model import Concept
    from bitext.types import Alignment

log = logging.getLogger(__name__)

#: The pivot when none is given and the document holds it: UN documents are
#: mostly drafted in English and translated from it.
DEFAULT_PIVOT = "en"


@dataclass(frozen=True)
class MultiUnit:
    """One unit of a multilingual memory: the same text in several languages.

    ``sentences`` maps a language code to its sentences in this unit (the pivot
    first; languages without text are absent); ``ids`` to their 0-based indices
    in that language's sentence list; ``scores`` maps a pair name
    (``"en-fr"``, pivot first) to the unit's confidence for that pair (0-1,
    higher is better); ``label`` is the pivot side's structural label.
    """

    sentences: Mapping[str, tuple[str, ...]]
    ids: Mapping[str, tuple[int, ...]]
    scores: Mapping[str, float]
    label: str = ""

    @property
    def langs(self) -> tuple[str, ...]:
        return tuple(self.sentences)


@dataclass(frozen=True)
class MultiAlignment:
    """A multilingual memory: the pivot, every language (pivot first), the units,
    the document id and the signature of the pairwise alignments."""

    pivot: str
    langs: tuple[str, ...]
    units: tuple[MultiUnit, ...]
    doc_id: str = ""
    signature: Mapping[str, str] = field(default_factory=dict)
    unpivoted: Mapping[str, int] = field(default_factory=dict)
    """Per language, the sentences left out because no pivot sentence is linked to them."""


def pair_name(pivot: str, other: str) -> str:
    """The name of a pair in file names and scores: ``en-fr`` (pivot first)."""
    return f"{pivot}-{other}"


def choose_pivot(langs: tuple[str, ...] | list[str], pivot: str | None = None) -> str:
    """The pivot among ``langs``: ``pivot`` if given (it must be one of them),
    else English, else the first of ``langs``."""
    if pivot is not None:
        if pivot not in langs:
            raise ConfigError(f"--pivot {pivot}: the document has no {pivot} version "
                              f"(found: {', '.join(langs)}); give one of those")
        return pivot
    if not langs:
        raise InputError("no language version to choose a pivot from")
    return DEFAULT_PIVOT if DEFAULT_PIVOT in langs else langs[0]


def find_language_files(folder: Path) -> dict[str, Path]:
    """Every language version in a corpus folder: ``{code: file}`` for each
    language bitext knows (``ar.pdf``, ``NAME.fr.docx``...), in code order."""
    from bitext.languages import codes

    found: dict[str, Path] = {}
    if not folder.is_dir():
        return found
    for lang in codes():
        hit = find_language_file(folder, lang)
        if hit is not None:
            found[lang] = hit
    return found


def join_alignments(pivot: str, n_pivot: int, alignments: Mapping[str, Alignment],
                    doc_id: str = "") -> MultiAlignment:
    """Join pairwise sentence alignments that share the pivot into one memory.

    ``alignments`` maps each other language to its alignment with the pivot as
    the *source* side (``src_ids`` are pivot sentence indices); ``n_pivot`` is
    the number of pivot sentences. See the module docstring for the rule.
    """
    for lang, al in alignments.items():
        if al.src_lang != pivot or al.tgt_lang != lang:
            raise ConfigError(f"alignment {al.src_lang}-{al.tgt_lang} given for {lang}; "
                              f"expected {pivot}-{lang} (pivot first)")
    parent = list(range(n_pivot))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for al in alignments.values():
        for pair in al.pairs:
            for k in pair.src_ids[1:]:
                a, b = find(pair.src_ids[0]), find(k)
                if a != b:
                    parent[max(a, b)] = min(a, b)
    groups: dict[int, list[int]] = {}
    for i in range(n_pivot):
        groups.setdefault(find(i), []).append(i)
    pivot_text: dict[int, str] = {}
    # Per group root: per language, (index, sentence) pairs, scores and labels.
    texts: dict[int, dict[str, list[tuple[int, str]]]] = {r: {} for r in groups}
    scores: dict[int, dict[str, float]] = {r: {} for r in groups}
    labels: dict[int, list[str]] = {r: [] for r in groups}
    unpivoted: Counter[str] = Counter()
    for lang, al in alignments.items():
        name = pair_name(pivot, lang)
        for pair in al.pairs:
            if not pair.src_ids:
                unpivoted[lang] += len(pair.tgt_ids)
                continue
            for k, text in zip(pair.src_ids, pair.src, strict=True):
                pivot_text[k] = text
            root = find(pair.src_ids[0])
            texts[root].setdefault(lang, []).extend(zip(pair.tgt_ids, pair.tgt, strict=True))
            old = scores[root].get(name)
            scores[root][name] = pair.score if old is None else min(old, pair.score)
            if pair.label and pair.label not in labels[root]:
                labels[root].append(pair.label)
    units = []
    for root, members in sorted(groups.items(), key=lambda kv: kv[1][0]):
        sentences = {pivot: tuple(pivot_text.get(k, "") for k in members)}
        ids = {pivot: tuple(members)}
        for lang in alignments:
            linked = sorted(texts[root].get(lang, []))
            if linked:
                sentences[lang] = tuple(t for _, t in linked)
                ids[lang] = tuple(k for k, _ in linked)
        units.append(MultiUnit(sentences, ids, dict(scores[root]), "+".join(labels[root])))
    first = next(iter(alignments.values()), None)
    return MultiAlignment(pivot, (pivot, *alignments), tuple(units), doc_id,
                          dict(first.signature) if first is not None else {}, dict(unpivoted))


@dataclass(frozen=True)
class MultiPlan:
    """The files a multilingual build writes: each language's segments, each
    pair's outputs (as a two-language build, named ``NAME.PIVOT-OTHER.*``), the
    multilingual TMX and JSONL (None when there is one pair: they would hold
    that pair's memory again)."""

    pivot: str
    segments: Mapping[str, Path]
    pairs: Mapping[str, OutputPlan]
    tmx: Path | None
    jsonl: Path | None
    tbx: Path | None = None
    """The multilingual glossary: concepts found in two or more pairs, one
    ``langSec`` per language (None with ``--no-glossary`` or one pair)."""

    def files(self) -> list[Path]:
        out = list(self.segments.values())
        for plan in self.pairs.values():
            out.extend(p for p in plan.files() if p not in self.segments.values())
        return [*out, *(p for p in (self.tmx, self.jsonl, self.tbx) if p is not None)]


def pair_settings(settings: BuildSettings, pivot: str, other: str) -> BuildSettings:
    """The two-language settings of one pair of a multilingual build."""
    return dataclasses.replace(settings, src_lang=pivot, tgt_lang=other)


def plan_multilingual(doc: SourceDocument, folder: Path, settings: BuildSettings,
                      pivot: str | None = None) -> MultiPlan:
    """The files :func:`run_multilingual` writes for ``doc`` into ``folder``."""
    langs = tuple(doc.files)
    if len(langs) < 2:
        raise InputError(f"{doc.id}: a multilingual build needs at least two language "
                         f"versions, found {', '.join(langs) or 'none'}")
    pv = choose_pivot(langs, pivot)
    pairs = {}
    for other in langs:
        if other == pv:
            continue
        name = pair_name(pv, other)
        renamed = SourceDocument(doc.id, doc.files, f"{doc.stem}.{name}")
        pairs[other] = plan_outputs(renamed, folder, pair_settings(settings, pv, other))
    segments = {lang: folder / f"{lang}.segments.jsonl" for lang in langs}
    if len(pairs) == 1:
        # Two languages: the pair's files are the whole memory; a joined TMX,
        # JSONL and glossary would repeat them (and the glossary of concepts
        # found in two or more pairs would be empty).
        return MultiPlan(pv, segments, pairs, None, None, None)
    return MultiPlan(pv, segments, pairs,
                     folder / f"{doc.stem}.tmx", folder / f"{doc.stem}.multi.jsonl",
                     folder / f"{doc.stem}.tbx" if settings.glossary else None)


@dataclass
class MultiResult:
    """What a multilingual build gave: one :class:`BuildResult` per pair, the
    number of joined units, and the files written."""

    id: str
    pivot: str
    pairs: dict[str, BuildResult]
    units: int = 0
    complete: int = 0
    seconds: float = 0.0
    files: list[str] = field(default_factory=list)
    joined: bool = True
    """Whether the multilingual memory was written (not for one pair)."""

    def summary(self) -> str:
        """One line per pair, then the joined memory."""
        lines = [f"{pair_name(self.pivot, lang)}: {r.summary()}" for lang, r in self.pairs.items()]
        if not self.joined:
            return "\n".join(lines)
        n = len(self.pairs) + 1
        lines.append(f"multilingual: {self.units} units, {self.complete} of them in all "
                     f"{n} languages (pivot {self.pivot})")
        return "\n".join(lines)


def run_multilingual(doc: SourceDocument, plan: MultiPlan, settings: BuildSettings,
                     progress: Callable[[int, int], None] | None = None) -> MultiResult:
    """Load every language version once, align each to the pivot, write each
    pair's outputs, then the joined TMX and JSONL.

    ``progress(done, total)`` counts pairs (total = languages - 1).
    """
    from bitext.build import _write_alignments
    from bitext.fileio import atomic_write
    from bitext.ingest.document import load_versions, unit_record
    from bitext.pipeline import align_both, check_memory_for
    from bitext.tmx.multi import write_multi_jsonl, write_multi_tmx

    started = time.perf_counter()
    versions = load_versions([(path, lang, None) for lang, path in doc.files.items()],
                             limits=settings.limits, layout=settings.layout)
    loaded = dict(zip(doc.files, versions, strict=True))
    # One pair is aligned at a time: the largest pair decides.
    others = [d for lang, d in loaded.items() if lang != plan.pivot]
    if others:
        check_memory_for(loaded[plan.pivot],
                         max(others, key=lambda d: sum(len(u.text) for u in d.units)))
    for lang, document in loaded.items():
        with atomic_write(plan.segments[lang]) as fh:
            for unit in document.units:
                fh.write(json.dumps(unit_record(unit), ensure_ascii=False) + "\n")
    pivot = loaded[plan.pivot]
    alignments: dict[str, Alignment] = {}
    results: dict[str, BuildResult] = {}
    glossaries: dict[str, list[Concept]] = {}
    for done, (other, pair_plan) in enumerate(plan.pairs.items(), 1):
        t0 = time.perf_counter()
        settings_2 = pair_settings(settings, plan.pivot, other)
        sentences, paragraphs = align_both(pivot, loaded[other], encoder=settings.encoder,
                                           max_bead=settings.max_bead)
        _write_alignments(sentences, paragraphs, pair_plan, settings_2)
        glossaries[other] = _write_pair_glossary(
            sentences, pair_plan, settings_2, [str(doc.files[plan.pivot]), str(doc.files[other])])
        alignments[other] = sentences
        results[other] = BuildResult(
            id=f"{doc.id} {pair_name(plan.pivot, other)}",
            links=len(sentences.pairs),
            low_confidence=sum(1 for p in sentences.pairs if p.score < LOW_CONFIDENCE),
            paragraph_links=len(paragraphs.pairs),
            units=len(pivot.units) + len(loaded[other].units),
            sentences=len(pivot.sentences) + len(loaded[other].sentences),
            shapes=dict(Counter(p.named_shape(sentences.src_lang, sentences.tgt_lang)
                                for p in sentences.pairs)),
            seconds=round(time.perf_counter() - t0, 3),
        )
        if progress:
            progress(done, len(plan.pairs))
    if plan.tmx is None or plan.jsonl is None:
        return MultiResult(id=doc.id, pivot=plan.pivot, pairs=results,
                           seconds=round(time.perf_counter() - started, 3), joined=False)
    doc_id = next(iter(alignments.values())).doc_id if alignments else doc.id
    joined = join_alignments(plan.pivot, len(pivot.sentences), alignments, doc_id)
    for lang, n in joined.unpivoted.items():
        log.info("%s: %d %s sentence(s) have no %s counterpart; left out of the "
                 "multilingual memory (they are in the %s outputs)", doc.id, n, lang,
                 plan.pivot, pair_name(plan.pivot, lang))
    tmx_stats = write_multi_tmx(joined, plan.tmx, min_score=settings.export.get("min_score"))
    write_multi_jsonl(joined, plan.jsonl)
    if plan.tbx is not None:
        from bitext.glossary.formats import write_glossary
        from bitext.glossary.multi import join_glossaries

        concepts = join_glossaries(plan.pivot, glossaries)
        write_glossary(concepts, plan.tbx, "tbx", sources=[str(p) for p in doc.files.values()],
                       title="Multilingual glossary extracted by bitext",
                       notes=[f"{len(concepts)} concepts found in two or more language pairs "
                              f"through the pivot ({plan.pivot}); each pair's own glossary "
                              "is NAME.PIVOT-OTHER.tbx"])
    langs = len(joined.langs)
    return MultiResult(
        id=doc.id, pivot=plan.pivot, pairs=results, units=tmx_stats.written,
        complete=sum(1 for u in joined.units if len(u.sentences) == langs),
        seconds=round(time.perf_counter() - started, 3),
    )


def _write_pair_glossary(sentences: Alignment, plan: OutputPlan, settings: BuildSettings,
                         sources: list[str]) -> list[Concept]:
    """The pair's glossary (the same call and defaults as a two-language build);
    returns its concepts."""
    if not settings.glossary or plan.tbx is None or plan.terms is None:
        return []
    from bitext.glossary.run import make_glossary, write_glossary_files

    glossary = make_glossary(sentences, encoder_name=settings.encoder)
    write_glossary_files(glossary, [(plan.tbx, "tbx"), (plan.terms, "tsv")], sources=sources,
                         signature=dict(sentences.signature))
    return glossary.concepts


def build_multilingual(doc: SourceDocument, folder: Path, settings: BuildSettings,
                       pivot: str | None = None,
                       progress: Callable[[int, int], None] | None = None) -> MultiResult:
    """Plan and run the multilingual build of ``doc`` into ``folder``.

    As a two-language build (:func:`bitext.build.build_document`): an output
    that is one of the document's inputs, or a folder, is refused before
    anything is read, and a second build into ``folder`` while this one runs; the
    files written are recorded with their hashes (:mod:`bitext.outputs`), so
    ``bitext validate OUT/`` checks them as it checks a two-language build's."""
    from bitext.build import guarded_build

    plan = plan_multilingual(doc, folder, settings, pivot)
    result = guarded_build(doc, folder, plan.files(), multi_signature(settings, plan.pivot),
                           lambda: run_multilingual(doc, plan, settings, progress))
    # the files written: in place once the build's outputs are (guarded_build)
    return dataclasses.replace(result, files=[str(p) for p in plan.files() if p.exists()])


def multi_signature(settings: BuildSettings, pivot: str) -> str:
    """The settings signature a multilingual build records: the pivot decides
    the pairs, and is no build setting of its own."""
    return f"{settings.signature()}+pivot:{pivot}"


def find_multilingual(folder: Path, doc_id: str | None = None) -> SourceDocument:
    """The corpus folder ``folder`` as a document holding every language found in it."""
    if not folder.is_dir():
        from bitext.fileio.read import not_a_folder

        raise InputError(f"{folder}: {not_a_folder(folder)}; give a corpus folder holding "
                         "en.*, fr.*, zh.* ...")
    files = find_language_files(folder)
    if len(files) < 2:
        raise InputError(f"{folder}: found {', '.join(files) or 'no'} language version(s); "
                         "a build needs at least two (name them en.pdf, NAME.fr.docx ...)")
    name = folder.resolve().name
    return SourceDocument(doc_id if doc_id is not None else name, files, name)


# -- collections of multilingual documents ------------------------------------------

#: Where a multilingual collection puts each document's joined memory:
#: ``OUT/<MULTI_FOLDER>/<id>/NAME.tmx`` (the pairs go to ``OUT/<pivot>-<other>/<id>/``).
MULTI_FOLDER = "multilingual"


def collection_languages(docs: Sequence[SourceDocument]) -> list[str]:
    """Every language some document of a collection has, in code order."""
    from bitext.languages import codes

    seen = {lang for doc in docs for lang in doc.files}
    return [lang for lang in codes() if lang in seen]


def pair_documents(docs: Sequence[SourceDocument], pivot: str, other: str
                   ) -> list[SourceDocument]:
    """The documents of a collection that have both ``pivot`` and ``other``, each
    holding those two files only (a document without a French version is not a
    failure of the en-fr collection, only absent from it)."""
    return [SourceDocument(doc.id, {pivot: doc.files[pivot], other: doc.files[other]},
                           doc.stem)
            if not doc.unreadable else doc  # it may hold either: it fails in each pair
            for doc in docs
            if doc.unreadable or (pivot in doc.files and other in doc.files)]


def pivot_first(alignment: Alignment, pivot: str) -> Alignment:
    """``alignment`` with the pivot language as its source side (read back from a
    file, either side may come first)."""
    if alignment.src_lang.split("-")[0].lower() == pivot:
        return alignment
    pairs = tuple(AlignedPair(p.tgt, p.src, p.score, p.label, p.tgt_ids, p.src_ids)
                  for p in alignment.pairs)
    return dataclasses.replace(alignment, src_lang=alignment.tgt_lang,
                               tgt_lang=alignment.src_lang, pairs=pairs)


@dataclass
class JoinReport:
    """What :func:`join_collection` did: the files it wrote (each joined
    document's TMX and JSONL) and how many documents were up to date."""

    written: list[Path] = field(default_factory=list)
    up_to_date: int = 0
    #: The collection memory, its languages and how many units it holds (None
    #: without one, or when an earlier version's stamp did not count them).
    memory: Path | None = None
    languages: list[str] = field(default_factory=list)
    units: int | None = None

    def summary(self, folder: Path, pivot: str) -> str:
        done = [f"{len(self.written) // 2} document(s) joined"] if self.written else []
        if self.up_to_date or not done:
            done.append(f"{self.up_to_date} document(s) up to date")
        line = f"multilingual: {', '.join(done)} in {folder} (pivot {pivot})"
        if self.memory is not None and self.units is not None:
            line += f"; {self.memory}: {self.units} units in {', '.join(self.languages)}"
        return line


def join_collection(out: Path, docs: Sequence[SourceDocument], pivot: str,
                    pair_folders: Mapping[str, Path], *, min_score: float | None = None,
                    signature: str = "", corpus: bool = True,
                    keep_memory: bool = False) -> JoinReport:
    """Join each document's pairwise alignments, as the pair collections wrote
    them (``pair_folders[other]/<id>/NAME.jsonl``), into its multilingual TMX and
    JSONL under ``out/<MULTI_FOLDER>/<id>/``. A
    document whose pair failed is joined from the pairs that were built. Each
    document's folder records its two files with their hashes, ``signature``
    and a digest of what they were joined from (:func:`bitext.outputs.write_record`):
    a rerun whose pair files, settings and joined files are unchanged leaves
    them as they are (resume: the bytes, the creation date and the mtime stay).

    With ``corpus``, every document's units also go, in id order, into one
    memory of the whole collection in every language,
    ``out/<MULTI_FOLDER>/corpus.tmx.gz`` (each pair's ``corpus.tmx.gz`` holds
    two), written as the documents are joined, one at a time, and kept as it is
    when its stamp (``corpus.stamp.json``: every document's digest) still holds.
    Without it, an earlier run's memory is removed unless ``keep_memory`` (every
    pair kept its corpus files: they match this run's documents,
    :func:`bitext.collection.remove_corpus`)."""
    from bitext.collection import STEM, remove_stale
    from bitext.tmx.multi import write_multi_tmx_many

    report = JoinReport()
    folder = out / MULTI_FOLDER
    # named as each pair's corpus files are in its folder
    memory = folder / f"{STEM}.tmx.gz"
    stamp_path = folder / f"{STEM}.stamp.json"
    settings = [signature, min_score, pivot, sorted(pair_folders)]
    todo = _plan_joins(out, docs, pivot, pair_folders, settings)
    report.up_to_date = sum(fresh for *_, fresh in todo)
    stamp = _digest([settings, [(doc.id, made) for doc, _, made, _ in todo]])
    if not corpus:
        for _ in _join_each(out, todo, pivot, pair_folders, min_score, signature, report,
                            everyone=False):
            pass
        # an earlier run's memory may not match these documents: it goes, as each
        # pair's corpus files do (bitext.collection.remove_corpus)
        if not keep_memory and remove_stale([memory, stamp_path]):
            log.warning("%s: removed the collection memory of an earlier run: with "
                        "--no-corpus OUT holds no corpus that may not match its documents "
                        "(a run without --no-corpus makes it again)", memory)
        return report
    report.memory, report.languages = memory, sorted({pivot, *pair_folders})
    kept = _memory_fresh(memory, stamp_path, stamp)
    if kept is not None:
        for _ in _join_each(out, todo, pivot, pair_folders, min_score, signature, report,
                            everyone=False):
            pass
        units = kept.get("units")
        report.units = units if isinstance(units, int) else None
        return report
    folder.mkdir(parents=True, exist_ok=True)
    stats = write_multi_tmx_many(_join_each(out, todo, pivot, pair_folders, min_score,
                                            signature, report, everyone=True),
                                 memory, pivot, sorted(pair_folders), min_score=min_score)
    report.units = stats.written
    from bitext.fileio import atomic_write

    with atomic_write(stamp_path) as fh:
        fh.write(json.dumps({"stamp": stamp, "bytes": memory.stat().st_size,
                             "units": stats.written}) + "\n")
    return report


def _digest(head: object, files: Sequence[Path] = ()) -> str:
    """A digest of ``head`` (JSON) and of the bytes of each of ``files``
    (:func:`bitext.outputs.file_digest`)."""
    import hashlib

    from bitext.outputs import file_digest

    data = json.dumps([head, [file_digest(path) for path in files]]).encode()
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def _plan_joins(out: Path, docs: Sequence[SourceDocument], pivot: str,
                pair_folders: Mapping[str, Path], settings: Sequence[object]
                ) -> list[tuple[SourceDocument, dict[str, Path], str, bool]]:
    """Each document to join, in id order: its pairs' JSONL files, the digest
    of what it is joined from (those files, each pair's TMX, whose header gives
    the signature, and ``settings``), and whether its joined files are up to
    date (:func:`bitext.outputs.record_matches`)."""
    from bitext.outputs import record_matches

    todo = []
    for doc in sorted(docs, key=lambda d: d.id):
        sources = {other: folder / doc.id / f"{doc.stem}.jsonl"
                   for other, folder in pair_folders.items()
                   if other in doc.files and pivot in doc.files}
        sources = {k: v for k, v in sources.items() if v.is_file()}
        if not sources:
            continue
        tmxs = [p.with_name(f"{doc.stem}.sentences.tmx") for p in sources.values()]
        made = _digest([settings, doc.id, sorted(sources)],
                       [*sources.values(), *(p for p in tmxs if p.is_file())])
        todo.append((doc, sources, made, record_matches(out / MULTI_FOLDER / doc.id, made)))
    return todo


def _memory_fresh(memory: Path, stamp_path: Path, stamp: str) -> dict[str, Any] | None:
    """The stamp of the collection memory when it was made from the documents
    ``stamp`` names and is as that run left it (its size: one cut short is made
    again), else None."""
    from bitext.collection import read_stamp

    old = read_stamp(stamp_path, "collection memory stamp")
    fresh = (old.get("stamp") == stamp and memory.is_file()
             and old.get("bytes") == memory.stat().st_size)
    return old if fresh else None


def _memory_signature(path: Path) -> dict[str, str]:
    """The settings signature in a pair's TMX header (its JSONL, which the join
    reads, has none); empty when the TMX cannot be read (the join goes on)."""
    from bitext.errors import BitextError
    from bitext.tmx import TmxReader

    try:
        with TmxReader(path) as reader:
            return dict(reader.header.signature)
    except (BitextError, OSError) as err:
        log.debug("%s: no signature read (%s)", path, err)
        return {}


def _join_each(out: Path, todo: Sequence[tuple[SourceDocument, dict[str, Path], str, bool]],
               pivot: str, pair_folders: Mapping[str, Path], min_score: float | None,
               signature: str, report: JoinReport, *, everyone: bool
               ) -> Iterator[MultiAlignment]:
    """:func:`join_collection`'s documents (:func:`_plan_joins`), one at a time:
    each that is not up to date written to its folder (the files appended to
    ``report.written``), then yielded; with ``everyone``, the up-to-date ones
    are joined and yielded too, unwritten (the collection memory holds them)."""
    from bitext.outputs import write_record
    from bitext.tmx import read_alignment
    from bitext.tmx.multi import write_multi_jsonl, write_multi_tmx

    for doc, sources, made, fresh in todo:
        if fresh and not everyone:
            continue
        alignments = {other: pivot_first(read_alignment(path, "jsonl"), pivot)
                      for other, path in sources.items()}
        # The joined memory carries the first pair's signature (join_alignments):
        # one TMX header read a document, not one a pair.
        first = next(iter(alignments))
        signed = _memory_signature(pair_folders[first] / doc.id / f"{doc.stem}.sentences.tmx")
        n_pivot = 1 + max((i for al in alignments.values() for p in al.pairs
                           for i in p.src_ids), default=-1)
        for lang, al in alignments.items():  # the codes as the pair wrote them
            alignments[lang] = dataclasses.replace(al, src_lang=pivot, tgt_lang=lang,
                                                   signature=signed)
        joined = join_alignments(pivot, n_pivot, alignments, doc.id)
        if not fresh:
            target = out / MULTI_FOLDER / doc.id
            tmx, jsonl = target / f"{doc.stem}.tmx", target / f"{doc.stem}.multi.jsonl"
            target.mkdir(parents=True, exist_ok=True)
            write_multi_tmx(joined, tmx, min_score=min_score)
            write_multi_jsonl(joined, jsonl)
            write_record(target, [tmx, jsonl], signature, made_from=made)
            report.written += [tmx, jsonl]
        yield joined
