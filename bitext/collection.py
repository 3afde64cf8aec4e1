"""Corpus-level outputs of a collection, written in OUT beside the documents.

After a batch run, the sentence links of every document built (read back from
each ``OUT/<id>/NAME.jsonl``, in id order) go, through the filters if any, into:

* ``corpus.00000.jsonl`` ... (``.jsonl.gz`` with gzip): shards of at most
  ``shard_size`` links, one JSON object per link with the document id (``doc``)
  and the paragraph label (``para``);
* ``corpus.<lang>`` / ``corpus.ids``: Moses parallel text (both sides non-empty);
* ``corpus.tmx.gz``: one merged TMX memory for translators;
* ``corpus.filters.json``: what each filter removed.

``corpus.stamp.json`` records what the files were made from; when a rerun
changes nothing, they are not written again.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import logging
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bitext.build import BuildSettings, SourceDocument, plan_outputs
from bitext.fileio.read import shown_id
from bitext.tmx.base import DocPair
from bitext.types import AlignedPair

log = logging.getLogger(__name__)

STEM = "corpus"

#: Links per JSONL shard: about 100-200 MB of JSON for UN sentences, a size
#: training pipelines and object stores handle as one file.
DEFAULT_SHARD_SIZE = 500_000


@dataclass(frozen=True)
class CorpusOptions:
    """How the corpus-level files are written: shard size (links), gzip, filter specs."""

    shard_size: int = DEFAULT_SHARD_SIZE
    gzip: bool = False
    filters: tuple[str, ...] = ()


@dataclass
class CorpusReport:
    """What :func:`write_corpus` did."""

    documents: int = 0
    links: int = 0
    kept: int = 0
    files: tuple[str, ...] = ()
    removed: dict[str, int] | None = None
    unchanged: bool = False

    def summary(self) -> str:
        if self.unchanged:
            return f"corpus files in place and up to date ({self.kept} links)"
        text = f"corpus: {self.kept} of {self.links} links from {self.documents} documents"
        if self.removed:
            text += "; filters removed " + ", ".join(f"{n} ({k})" for k, n in
                                                    self.removed.items())
        return text


def corpus_names(settings: BuildSettings, options: CorpusOptions) -> list[str]:
    """The corpus-level files a run writes in OUT, whatever the links: the first
    shard, the Moses files, the merged memory, the filters' report, the stamp."""
    ext = ".jsonl.gz" if options.gzip else ".jsonl"
    return [f"{STEM}.00000{ext}",
            *(f"{STEM}.{x}" for x in (settings.src_lang, settings.tgt_lang, "ids")),
            f"{STEM}.tmx.gz", f"{STEM}.filters.json", f"{STEM}.stamp.json"]


def write_corpus(out: Path, docs: Sequence[SourceDocument], entries: dict[str, dict[str, Any]],
                 settings: BuildSettings, options: CorpusOptions) -> CorpusReport:
    """Write the corpus-level files of the documents whose ledger entry is ``ok``."""
    from bitext.fileio import atomic_write
    from bitext.filters import FilterReport, build_filters, filter_pairs, parse_filters
    from bitext.tmx import merge, write_alignment

    specs = tuple(parse_filters(options.filters))
    built = [d for d in docs if entries.get(d.id, {}).get("status") == "ok"]
    # an id whose bytes are not UTF-8 as the documents' own files write it (d\xff)
    sources = [(shown_id(d.id), plan_outputs(d, out / d.id, settings).jsonl) for d in built]
    stamp = _stamp(built, entries, settings, options, specs)
    stamp_path = out / f"{STEM}.stamp.json"
    old = read_stamp(stamp_path)
    # each file as the run left it: a file cut short since (a full disk, a copy
    # stopped halfway) is made again
    if old.get("stamp") == stamp and _stamped_files(old) and not _changed_files(out, old):
        return CorpusReport(len(built), old.get("links", 0), old.get("kept", 0),
                            tuple(old.get("files", [])), old.get("removed"), unchanged=True)
    src_lang, tgt_lang = settings.src_lang, settings.tgt_lang

    def links() -> Iterator[DocPair]:
        for doc_id, path in sources:
            # merge() turns each file round to src-tgt; the id is the collection's.
            for item in merge(path, src_lang=src_lang, tgt_lang=tgt_lang):
                yield DocPair(doc_id, item.pair)

    def stats_pairs() -> Iterator[AlignedPair]:
        return (item.pair for item in links())

    def filtered(report: FilterReport | None = None) -> Iterator[DocPair]:
        # Filters keep state (duplicates seen), so each pass makes them anew.
        filters = build_filters(specs, src_lang, tgt_lang, stats_pairs if specs else None)
        return filter_pairs(links(), filters, report)

    export = {k: v for k, v in settings.export.items() if k != "min_score"}
    common: dict[str, Any] = {"src_lang": src_lang, "tgt_lang": tgt_lang, "level": "sentence",
                              "signature": {"bitext-build": settings.signature(),
                                            "filters": ",".join(specs) or "none"}}
    report = FilterReport()
    files: list[str] = []
    stream = filtered(report)
    ext = ".jsonl.gz" if options.gzip else ".jsonl"
    for n in itertools.count():
        chunk = list(itertools.islice(stream, options.shard_size))
        if not chunk and n:
            break
        name = f"{STEM}.{n:05d}{ext}"
        write_alignment(chunk, out / name, "jsonl", **export, **common)
        files.append(name)
        if len(chunk) < options.shard_size:
            break
    for stale in out.glob(_SHARD_GLOB):
        if stale.name not in files:
            stale.unlink()  # a shard of an earlier, larger run
    if len(files) == 1:
        # Every link is in the one shard already in memory: the Moses and TMX
        # passes take it instead of reading and filtering each document again
        # (731 UN documents: 0.50 -> 0.33 CPU s, with the default filters 2.7 -> 1.1 s;
        # all of it comes after the last document is built).
        _passes(lambda: iter(chunk), out, export, common, settings, files)
    else:
        _passes(filtered, out, export, common, settings, files)
    with atomic_write(out / f"{STEM}.filters.json") as fh:
        json.dump({"filters": list(specs), **report.as_dict()}, fh, indent=1)
        fh.write("\n")
    files.append(f"{STEM}.filters.json")
    result = CorpusReport(len(built), report.seen, report.kept, tuple(files),
                          dict(report.removed) if specs else None)
    with atomic_write(stamp_path) as fh:
        json.dump({"stamp": stamp, "documents": _documents_stamp(built, entries, settings),
                   "built": {d.id: _entry_digest(d.id, entries[d.id]) for d in built},
                   "files": files,
                   "sizes": {f: (out / f).stat().st_size for f in files},
                   "links": report.seen, "kept": report.kept, "removed": result.removed},
                  fh, indent=1)
        fh.write("\n")
    return result


def remove_corpus(out: Path, docs: Sequence[SourceDocument],
                  entries: dict[str, dict[str, Any]], settings: BuildSettings) -> list[Path]:
    """Remove the corpus-level files an earlier run wrote in ``out`` where they no
    longer match this run's documents: those its ``corpus.stamp.json`` lists,
    then the stamp; returns what was removed.

    A run with ``--no-corpus`` calls it. Files made from the very documents this
    run holds built, with the same settings (the stamp's ``documents``), each as
    that run left it, are this run's corpus too: they stay (an MT engineer
    skipping the corpus step keeps the last one). Otherwise they match the
    documents of that run, not this one's (a document added, rebuilt or failed
    since), and would be taken for this run's. They are derived files, made
    again in a moment by a run without ``--no-corpus`` (the ledger skips every
    document built), so removing them costs less than a stale corpus. Nothing
    else goes (a file of the user's named ``corpus.*`` stays), nor a file that
    is an input of the run (:func:`bitext.fileio.check_not_input`).
    """
    stamp_path = out / f"{STEM}.stamp.json"
    if not stamp_path.is_file():
        return []
    old = read_stamp(stamp_path)
    names = old.get("files")
    paths = [out / n for n in names if isinstance(n, str) and Path(n).name == n
             and n.startswith(f"{STEM}.")] if isinstance(names, list) else []
    built = [d for d in docs if entries.get(d.id, {}).get("status") == "ok"]
    if (old.get("documents") == _documents_stamp(built, entries, settings)
            and _stamped_files(old) and not _changed_files(out, old)):
        log.info("%s: the corpus files of an earlier run match these documents: kept", out)
        return []
    removed = remove_stale([*paths, stamp_path])
    if removed:
        log.warning("%s: removed the %d corpus files of an earlier run: with --no-corpus "
                    "OUT holds no corpus that may not match its documents (a run without "
                    "--no-corpus makes them again)", out, len(removed))
    return removed


def corpus_kept(out: Path) -> bool:
    """Whether ``out`` holds a corpus stamp after :func:`remove_corpus` (it kept
    corpus files that match the documents)."""
    return (out / f"{STEM}.stamp.json").is_file()


def remove_stale(paths: Sequence[Path]) -> list[Path]:
    """Remove the files of ``paths`` that an earlier run wrote and that no longer
    match this run's documents (:func:`remove_corpus`, the multilingual
    collection memory); returns those removed. A link or a missing file is left
    alone, and a file that is an input of the run is refused
    (:func:`bitext.fileio.check_not_input`)."""
    from bitext.fileio import check_not_input

    removed = []
    for path in paths:
        if path.is_file() and not path.is_symlink():
            check_not_input(path)
            path.unlink()
            removed.append(path)
    return removed


def _passes(filtered: Callable[[], Iterator[DocPair]], out: Path, export: dict[str, Any],
            common: dict[str, Any], settings: BuildSettings, files: list[str]) -> None:
    """Moses and the merged TMX, each from a fresh pass over the filtered links
    (holding 86k documents' links in memory is not an option)."""
    from bitext.tmx import write_alignment

    write_alignment(filtered(), out / STEM, "moses", **export, **common)
    files.extend(f"{STEM}.{x}" for x in (settings.src_lang, settings.tgt_lang, "ids"))
    min_score = settings.export.get("min_score")
    write_alignment(filtered(), out / f"{STEM}.tmx.gz", "tmx", **export, **common,
                    min_score=min_score)
    files.append(f"{STEM}.tmx.gz")


def _stamp(built: Sequence[SourceDocument], entries: dict[str, dict[str, Any]],
           settings: BuildSettings, options: CorpusOptions, specs: tuple[str, ...]) -> str:
    return _hash_documents([settings.signature(), options.shard_size, options.gzip, specs],
                           built, entries)


def _documents_stamp(built: Sequence[SourceDocument], entries: dict[str, dict[str, Any]],
                     settings: BuildSettings) -> str:
    """What the corpus files were made from, their own options (filters, shard
    size, gzip) apart: the settings and each document built, as its ledger entry
    says (:func:`remove_corpus` keeps files whose documents are unchanged)."""
    return _hash_documents(settings.signature(), built, entries)


def _hash_documents(head: Any, built: Sequence[SourceDocument],
                    entries: dict[str, dict[str, Any]]) -> str:
    """A digest of ``head`` (what the files were made with), then of each
    document built as its ledger entry says (id, input hashes, settings, when
    it finished): :func:`_stamp` and :func:`_documents_stamp`."""
    h = hashlib.blake2b(digest_size=16)
    h.update(json.dumps(head).encode())
    for doc in built:
        h.update(_entry_text(doc.id, entries[doc.id]))
    return h.hexdigest()


def _entry_text(doc_id: str, entry: dict[str, Any]) -> bytes:
    """What a document's ledger entry says of the build the corpus was made from."""
    return json.dumps([doc_id, entry.get("inputs"), entry.get("settings"),
                       entry.get("finished")]).encode()


def _entry_digest(doc_id: str, entry: dict[str, Any]) -> str:
    """:func:`_entry_text` hashed (hex, 16 characters): the stamp's ``built``, one
    per document, which :func:`check_corpus` compares with the ledger."""
    return hashlib.blake2b(_entry_text(doc_id, entry), digest_size=8).hexdigest()


#: A corpus shard's name: bitext's own (a user's corpus.* file is not one).
_SHARD_GLOB = f"{STEM}.[0-9][0-9][0-9][0-9][0-9].jsonl*"


def check_collection(out: Path) -> list[str]:
    """What the ledger and the corpus stamp of the collection at ``out`` say is
    not whole (``bitext validate OUT/``, beside each document's record): every
    document whose last build failed (its folder holds an earlier build's
    files, or none), then :func:`check_corpus`. Problems name a file or a
    document relative to ``out``."""
    import stat

    from bitext.batch import LEDGER_NAME, Ledger

    # The ledger gone (or something else in its place) leaves nothing to say
    # which documents failed or of which builds the corpus was made; the build
    # refuses what is not a file, and without one builds every document again.
    again = ("run the same build command again (it builds every document again and "
             "writes the ledger anew)")
    try:
        mode = (out / LEDGER_NAME).stat().st_mode
    except FileNotFoundError:
        return [f"{LEDGER_NAME}: missing: the record of which documents were built, and "
                f"how, is gone, so failed documents and a stale corpus cannot be told; {again}"]
    if not stat.S_ISREG(mode):
        from bitext.fileio.read import kind_of

        return [f"{LEDGER_NAME}: {kind_of(mode)}, not the ledger the build writes there; "
                f"remove it and {again}"]
    entries = Ledger(out / LEDGER_NAME).entries
    problems = []
    for doc_id, entry in sorted(entries.items()):
        if entry.get("status") != "ok":
            shown = shown_id(doc_id)
            error = str(entry.get("error") or "no error recorded").removeprefix(f"{shown}: ")
            problems.append(f"{shown}: its last build failed ({error[:200]}); fix it and run "
                            f"the build again ({LEDGER_NAME} has the whole error)")
    return problems + check_corpus(out, entries)


def check_corpus(out: Path, entries: dict[str, dict[str, Any]]) -> list[str]:
    """What is wrong with the corpus files of the collection at ``out`` against
    its ledger ``entries`` (``bitext validate OUT/``): problems naming a file
    relative to ``out``, none when they are as the corpus step left them and
    made from the documents as last built (or when there is no corpus, as after
    ``--no-corpus``).

    A corpus step that failed or was stopped leaves shards without a stamp (the
    stamp is written last), or the stamp of an earlier corpus whose documents
    have been built again since (its ``built`` digests differ from the ledger's)."""
    stamp_path = out / f"{STEM}.stamp.json"
    name = stamp_path.name
    if not stamp_path.exists():
        shards = sorted(p.name for p in out.glob(_SHARD_GLOB))
        if shards:
            return [f"{name}: missing, beside {shards[0]}: the corpus step did not finish "
                    "(failed, or stopped), so the corpus files are not known to be whole; "
                    "run the build again"]
        return []
    stamp = read_stamp(stamp_path)
    if not _stamped_files(stamp):
        return [f"{name}: damaged (no list of the corpus files with their sizes); "
                "run the build again"]
    problems = [f"{file}: missing" if why == "missing" else
                f"{file}: changed since the corpus step wrote it; run the build again"
                for file, why in _changed_files(out, stamp)]
    built = stamp.get("built")
    if isinstance(built, dict):  # a stamp written before it was kept has none
        again = sorted(str(i) for i, digest in built.items()
                       if i not in entries or _entry_digest(str(i), entries[str(i)]) != digest)
        if again:
            shown = ", ".join(shown_id(i) for i in again[:3])
            more = f" and {len(again) - 3} more" if len(again) > 3 else ""
            problems.append(f"{name}: the corpus files were made before {len(again)} of their "
                            f"documents were built again ({shown}{more}): the corpus step "
                            "after that build failed or was stopped; run the build again")
    return problems


def _stamped_files(stamp: dict[str, Any]) -> bool:
    """Whether ``stamp`` lists its files as bare names in OUT, each with its size."""
    files, sizes = stamp.get("files"), stamp.get("sizes")
    return (isinstance(files, list) and isinstance(sizes, dict)
            and all(isinstance(f, str) and Path(f).name == f for f in files))


def _changed_files(out: Path, stamp: dict[str, Any]) -> list[tuple[str, str]]:
    """The files of a well-formed ``stamp`` (:func:`_stamped_files`) that are not as
    the corpus step left them in ``out``: ``(name, "missing" | "changed")``, the
    size telling a file cut short since (a full disk, a copy stopped halfway)."""
    sizes = stamp["sizes"]
    changed = []
    for name in stamp["files"]:
        path = out / name
        if not path.is_file():
            changed.append((name, "missing"))
        elif path.stat().st_size != sizes.get(name):
            changed.append((name, "changed"))
    return changed


def has_corpus_stamp(folder: Path) -> bool:
    """Whether ``folder`` holds a collection's corpus stamp (one that lists its
    files: the multi-pair memory's stamp beside no ledger does not), a regular
    file: a FIFO is the Error of :func:`read_stamp` where the stamp is read."""
    path = folder / f"{STEM}.stamp.json"
    return path.is_file() and _stamped_files(read_stamp(path))


def read_stamp(path: Path, what: str = "corpus stamp") -> dict[str, Any]:
    """The JSON object of the stamp at ``path`` (``what`` names it in the Error for
    a FIFO or a device there), or ``{}`` when it is missing or damaged."""
    from bitext.outputs import check_own_file

    check_own_file(path, what)  # a FIFO would be waited on for ever
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):  # damaged: as if there were none
        return {}
    return data if isinstance(data, dict) else {}
