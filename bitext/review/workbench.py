"""The review of one build output folder: its documents, their states, the database.

:class:`Workbench` is what the web app and the export call. It reads a
document's build outputs on first use, replays the stored decisions on top,
and keeps the result in memory, so an edit is one in-memory change plus one
committed INSERT. Undo marks the latest decision undone and replays the rest
from the build's outputs (the outputs are cached, so that is a re-hash, not a
re-read).
"""

from __future__ import annotations

import getpass
import logging
import os
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bitext.errors import BitextError
from bitext.review.db import DB_NAME, Database, Event
from bitext.review.model import (
    LINK_OPS,
    TERM_OPS,
    AlignmentState,
    Conflict,
    GlossaryState,
    ReviewError,
    check_key,
)
from bitext.review.sources import DocSource, check_built_file, find_documents, read_links

log = logging.getLogger(__name__)


def default_reviewer() -> str:
    """The login name, as a default for the reviewer's name."""
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return ""


@dataclass
class _Doc:
    source: DocSource
    pristine: AlignmentState | None = None
    align_state: AlignmentState | None = None
    concepts: list[Any] | None = None
    terms_state: GlossaryState | None = None


class Workbench:
    """All documents of ``out`` and their decisions in ``out/review.sqlite``."""

    def __init__(self, out: str | os.PathLike[str], reviewer: str | None = None,
                 db_path: str | os.PathLike[str] | None = None) -> None:
        self.out = Path(out)
        sources = find_documents(self.out)
        self.docs = {s.id: _Doc(s) for s in sources}
        self._db_path = Path(db_path or self.out / DB_NAME)
        self._db: Database | None = None
        self.reviewer = reviewer if reviewer is not None else default_reviewer()
        self.lock = threading.RLock()

    @property
    def db(self) -> Database:
        """The decisions, opened (and made, the first time) when first needed: by
        the server's start or the first decision stored (reads go through
        :meth:`events`, which makes no file)."""
        with self.lock:
            if self._db is None:
                self._db = Database(self._db_path)
            return self._db

    @property
    def db_path(self) -> Path:
        """Where the decisions are kept (the file may not exist yet)."""
        return self._db_path

    def events(self, doc: str | None = None, view: str | None = None, *,
               include_undone: bool = False) -> list[Event]:
        """The stored decisions (:meth:`Database.events`). Where no database exists
        yet there are none, and reading them makes no file: an export that fails
        (a glossary that cannot be read, an output that is an input) leaves no new
        review.sqlite behind; the first decision stored makes it."""
        with self.lock:
            if self._db is None and not os.path.lexists(self._db_path):
                return []
            entry = self.docs.get(doc) if doc is not None else None
            if entry is None or not entry.source.aliases:
                return list(self.db.events(doc, view, include_undone=include_undone))
            # also those stored under the ids earlier versions gave the document
            found = [e for name in (doc, *entry.source.aliases)
                     for e in self.db.events(name, view, include_undone=include_undone)]
            return sorted(found, key=lambda e: e.id)

    def close(self) -> None:
        if self._db is not None:
            self._db.close()

    def prewarm(self) -> threading.Thread:
        """Read the first document in the background, so that the page the browser
        opens at start-up finds it ready (a request for it meanwhile waits on the
        lock instead of reading it twice)."""

        def load() -> None:
            first = next(iter(self.docs))
            try:
                self.alignment(first)
            except BitextError as err:  # the page shows the same error when asked
                log.warning("%s: %s", first, err)

        thread = threading.Thread(target=load, name="review-prewarm", daemon=True)
        thread.start()
        return thread

    def _doc(self, doc: str) -> _Doc:
        try:
            return self.docs[doc]
        except KeyError as err:
            raise ReviewError(f"no document {doc!r} in this review") from err

    def documents(self) -> list[dict[str, Any]]:
        return [{"id": d.source.id, "name": d.source.name,
                 "glossary": d.source.glossary is not None,
                 "aliases": list(d.source.aliases)} for d in self.docs.values()]

    # -- alignment ---------------------------------------------------------------

    def alignment(self, doc: str) -> AlignmentState:
        """The document's alignment with every live decision applied."""
        with self.lock:
            entry = self._doc(doc)
            if entry.align_state is None:
                if entry.pristine is None:
                    alignment = read_links(entry.source)
                    if not alignment.pairs:  # a build writes a line per link, at least one
                        raise ReviewError(f"{entry.source.links}: no links; rebuild this "
                                          "document (bitext build)")
                    # Kept untouched, so that an undo replays from a copy instead
                    # of reading and hashing the document again.
                    entry.pristine = AlignmentState.from_alignment(doc, alignment)
                state, _ = self._replay_align(entry, self.events(doc, "align"))
                if state.stale:
                    log.warning("%s: %d earlier decision(s) no longer match the build's "
                                "links (the documents changed) and were skipped",
                                doc, state.stale)
                entry.align_state = state
            return entry.align_state

    def edit_link(self, doc: str, op: str, payload: dict[str, Any], version: int | None,
                  reviewer: str | None = None, tab: str | None = None) -> dict[str, Any]:
        """Apply and store one alignment decision; returns the links it produced.
        ``tab``: the page (browser tab) it came from, stored with it for :meth:`undo`."""
        if op not in LINK_OPS:
            raise ReviewError(f"unknown alignment operation {op!r}")
        check_key(payload, "link", "link", required=True)
        for field in ("neighbour", "next"):  # the link beside it, as the page saw it
            check_key(payload, field, "link", required=False)
        check_key(payload, "sentence", "sentence", required=op == "text")
        with self.lock:
            state = self.alignment(doc)
            state.check(str(payload.get("link")), version)
            if op == "split" and payload.get("cut") is None:
                # Store the cut actually made, so a replay does the same split.
                payload = {**payload, "cut": list(state.default_cut(state.position(
                    str(payload["link"]))))}
            if op == "text":
                lang = str(payload.get("side"))
                index = state._skey.get(lang, {}).get(str(payload.get("sentence")))
                if index is not None:
                    payload = {**payload, "original": state.originals[lang][index],
                               "before": state.texts[lang][index]}
            from bitext.review.db import now

            who, at = self._who(reviewer), now()
            positions = state.apply(op, payload, who, at)
            try:
                event = self.db.add(doc, "align", op, _tabbed(payload, tab), who, at)
            except BaseException:
                self._doc(doc).align_state = None  # replay from the database next time
                raise
            marked = len(positions)
            if op == "reviewed":
                # It may mark thousands of links: send the one it was made on, and
                # let the page reload the window it shows.
                positions = [state.position(str(payload.get("link")))]
            return {"event": event.id, "links": [state.link_dict(p) for p in positions],
                    "marked": marked, "counts": state.counts()}

    # -- glossary ----------------------------------------------------------------

    def glossary(self, doc: str) -> GlossaryState:
        with self.lock:
            entry = self._doc(doc)
            if entry.terms_state is None:
                if entry.source.glossary is None:
                    raise ReviewError(f"{doc}: the build wrote no glossary (NAME.tbx)")
                if entry.concepts is None:
                    from bitext.glossary import read_glossary

                    check_built_file(entry.source.glossary)
                    entry.concepts = read_glossary(entry.source.glossary, "tbx")
                try:  # the memory a typed term is counted in (GlossaryState.freq)
                    self.alignment(doc)
                except BitextError as err:  # counted 0; the alignment page says why
                    log.warning("%s: %s", doc, err)
                entry.terms_state, _ = self._replay_terms(entry, self.events(doc, "terms"))
            return entry.terms_state

    def _replay_align(self, entry: _Doc, events: list[Event]) -> tuple[AlignmentState, set[int]]:
        """The build's links with ``events`` applied in order, and the ids of those
        that no longer matched (stale, skipped). ``entry.pristine`` is read."""
        assert entry.pristine is not None  # alignment() reads it first
        state = entry.pristine.clone()
        return state, _apply_all(state, events)

    def _replay_terms(self, entry: _Doc, events: list[Event]) -> tuple[GlossaryState, set[int]]:
        """The build's concepts with ``events`` applied (as :meth:`_replay_align`);
        ``entry.concepts`` is read."""
        assert entry.concepts is not None  # glossary() reads them first
        state = GlossaryState.from_concepts(entry.source.id, entry.concepts)
        if entry.pristine is not None:
            state.memory = {lang.split("-")[0]: texts
                            for lang, texts in entry.pristine.texts.items()}
        return state, _apply_all(state, events)

    def edit_term(self, doc: str, op: str, payload: dict[str, Any], version: int | None,
                  reviewer: str | None = None, tab: str | None = None) -> dict[str, Any]:
        if op not in TERM_OPS:
            raise ReviewError(f"unknown glossary operation {op!r}")
        check_key(payload, "concept", "concept", required=True)
        check_key(payload, "into", "concept", required=op == "merge")
        with self.lock:
            state = self.glossary(doc)
            entry = state.check(str(payload.get("concept")), version)
            if op == "merge":
                state.check(str(payload.get("into")), None)
            if op == "edit":
                lang = str(payload.get("lang"))
                payload = {**payload, "before": (entry.terms.get(lang) or [""])[0]}
            from bitext.review.db import now

            who, at = self._who(reviewer), now()
            changed = state.apply(op, payload, who, at)
            try:
                event = self.db.add(doc, "terms", op, _tabbed(payload, tab), who, at)
            except BaseException:
                self._doc(doc).terms_state = None
                raise
            out = [state.entry_dict(changed)]
            if op == "merge":
                out = [state.entry_dict(state.entries[str(payload["into"])])]
            return {"event": event.id, "concepts": out, "counts": state.counts()}

    # -- both --------------------------------------------------------------------

    def undo(self, doc: str, view: str, reviewer: str | None = None,
             tab: str | None = None) -> dict[str, Any] | None:
        """Undo the reviewer's latest live decision of ``doc`` in ``view`` (``align``
        or ``terms``): reviewers share one server, so `u` in one tab never takes
        back what another reviewer did since. With ``tab`` (the page asking), the
        latest one made in that tab: one reviewer with two tabs open undoes in each
        what that tab did; a tab that made none (a new one, or a reload) undoes the
        reviewer's latest, and says so (``elsewhere``). Returns the event undone (``id``,
        ``op``) and where its link (``pos``) or concept (``concept``) now is, for
        the page to show; None if the reviewer has nothing left to undo.

        Refused with :class:`Conflict` when a later decision of another reviewer
        stands on it (an accept of the link this one joined): undoing it would
        leave theirs matching nothing."""
        if view not in ("align", "terms"):
            raise ReviewError("view must be 'align' or 'terms'")
        with self.lock:
            entry = self._doc(doc)
            who = self._who(reviewer)
            if view == "align":
                self.alignment(doc)
            else:
                self.glossary(doc)
            live = self.events(doc, view)
            mine = [e for e in live if e.reviewer == who]
            if not mine:
                return None
            here = [e for e in mine if tab is not None and e.payload.get("tab") == tab]
            last = (here or mine)[-1]
            rest = [e for e in live if e.id != last.id]
            if view == "align":
                _, stale_before = self._replay_align(entry, live)
                links, stale_after = self._replay_align(entry, rest)
            else:
                _, stale_before = self._replay_terms(entry, live)
                terms, stale_after = self._replay_terms(entry, rest)
            orphaned = [e for e in rest if e.id in stale_after - stale_before]
            if orphaned:
                names = sorted({e.reviewer or "(no name)" for e in orphaned})
                raise Conflict(f"{', '.join(names)} changed it after you ({orphaned[0].op}), "
                               "so your change was not undone: undo theirs first, or "
                               "change it back by hand")
            event = self.db.undo_event(last.id)
            if event is None:  # undone meanwhile from another process
                return None
            result: dict[str, Any] = {"id": event.id, "op": event.op,
                                      "elsewhere": tab is not None and not here}
            if view == "align":
                entry.align_state = links
                try:  # a join's undo brings its first link back under the same key
                    result["pos"] = links.position(str(event.payload.get("link", "")))
                except Conflict:  # a link a later change of the reviewer's replaced
                    result["pos"] = None
            else:
                entry.terms_state = terms
                result["concept"] = str(event.payload.get("concept", ""))
            return result

    def history(self, doc: str | None = None, view: str | None = None,
                limit: int = 200) -> list[dict[str, Any]]:
        events = self.events(doc, view, include_undone=True)[-limit:]
        return [{"id": e.id, "doc": e.doc, "view": e.view, "op": e.op, "payload": e.payload,
                 "reviewer": e.reviewer, "at": e.at, "undone_at": e.undone_at}
                for e in reversed(events)]

    def _who(self, reviewer: str | None) -> str:
        from bitext.tmx.text import replace_forbidden

        # Control characters and lone surrogates (--reviewer given bytes that are
        # not UTF-8) are spaces: the name goes into the database and the XML exports.
        name = " ".join(replace_forbidden(reviewer or self.reviewer)[0].split())
        return name[:100]


def _apply_all(state: AlignmentState | GlossaryState, events: list[Event]) -> set[int]:
    """Apply ``events`` in order; the ids of those that no longer match (skipped,
    counted in ``state.stale``)."""
    stale: set[int] = set()
    for event in events:
        try:
            state.apply(event.op, event.payload, event.reviewer, event.at)
        except ReviewError:
            state.stale += 1
            stale.add(event.id)
    return stale


#: The longest page id a tab may give (the page makes 16 hex digits).
MAX_TAB = 64


def _tabbed(payload: dict[str, Any], tab: str | None) -> dict[str, Any]:
    """``payload`` as stored: with the tab it came from, when the page said."""
    return {**payload, "tab": tab[:MAX_TAB]} if tab else payload
