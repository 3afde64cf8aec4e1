"""The review database, ``OUT/review.sqlite``: a log of decisions, keyed by content.

Every edit a reviewer makes is one row of ``events``, written in its own
transaction the moment it is made: the document it concerns, the view
(``align`` or ``terms``), the operation, its arguments as JSON (which name
links, sentences and concepts by content hashes, never by position), the
reviewer and the time (UTC, ISO 8601). Undo stamps ``undone_at`` on the
event instead of deleting it, so the history keeps everything.

The schema has a version (``PRAGMA user_version``) and an ordered list of
migrations; opening a database runs the missing ones in one transaction. A
database written by a newer bitext is refused rather than misread.

Durability: WAL journal, so a reader never blocks the writer and a killed
process leaves the database as of its last committed transaction (SQLite
replays or discards the WAL on the next open). ``synchronous=NORMAL`` is
what SQLite documents as safe against corruption in WAL mode; only a power
cut (not a kill) can lose the last few commits.
"""

from __future__ import annotations

import json
import logging
import os
import sqlite3
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from bitext.errors import BitextError, InputError
from bitext.fileio.guard import file_identity

log = logging.getLogger(__name__)

DB_NAME = "review.sqlite"

# Each entry moves the schema from version i to i + 1. Never edit one that has
# shipped: add a new one.
MIGRATIONS: tuple[str, ...] = (
    # 1: the event log.
    """
    CREATE TABLE events (
        id        INTEGER PRIMARY KEY AUTOINCREMENT,
        doc       TEXT NOT NULL,
        view      TEXT NOT NULL CHECK (view IN ('align', 'terms')),
        op        TEXT NOT NULL,
        payload   TEXT NOT NULL,
        reviewer  TEXT NOT NULL DEFAULT '',
        at        TEXT NOT NULL,
        undone_at TEXT
    );
    CREATE INDEX events_doc_view ON events (doc, view, id);
    """,
    # 2: facts about the review itself (who started it, from which build).
    """
    CREATE TABLE meta (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
    );
    """,
)
SCHEMA_VERSION = len(MIGRATIONS)


class StoreError(BitextError):
    """The database refused to store a decision (locked by another program,
    read-only, disk full): the review server answers 503, the decision is not made."""


#: What to do on a full disk: moving the database aside (the advice for a
#: damaged one) loses every decision, and the disk stays full.
_FULL = ("the disk is full: free some space there and try again (the decisions stored "
         "so far are kept)")


def _disk_full(err: sqlite3.Error) -> bool:
    """Whether SQLite failed for want of disk space (SQLITE_FULL)."""
    return ((getattr(err, "sqlite_errorcode", None) or 0) & 0xFF) == sqlite3.SQLITE_FULL


def _store_error(path: str, err: sqlite3.Error) -> StoreError:
    said = str(err)
    if _disk_full(err):
        advice = _FULL
    elif "locked" in said or "busy" in said:
        advice = ("another program holds the database (a second tool on it, a backup, an "
                  "SQLite browser): close it and try again")
    elif "readonly" in said or "read-only" in said:
        advice = "the database or its folder is read-only: make them writable"
    else:
        advice = "check the disk, or move the database aside to start a fresh review"
    return StoreError(f"{path}: cannot store the decision ({said}); {advice}")


@dataclass(frozen=True)
class Event:
    """One stored decision. ``payload`` is the operation's arguments."""

    id: int
    doc: str
    view: str
    op: str
    payload: dict[str, Any]
    reviewer: str
    at: str
    undone_at: str | None = None


def now() -> str:
    """The current time, UTC, ISO 8601 to the millisecond."""
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def migrate(conn: sqlite3.Connection, path: str = "") -> int:
    """Bring the schema to :data:`SCHEMA_VERSION`; returns the version found before."""
    found = int(conn.execute("PRAGMA user_version").fetchone()[0])
    if found > SCHEMA_VERSION:
        raise InputError(
            f"{path}: review database schema version {found} is newer than this bitext "
            f"understands ({SCHEMA_VERSION}); upgrade bitext"
        )
    if found == SCHEMA_VERSION:
        return found
    # One transaction for all steps: a crash mid-migration leaves the old version.
    conn.execute("BEGIN IMMEDIATE")
    try:
        for version in range(found, SCHEMA_VERSION):
            for statement in MIGRATIONS[version].split(";"):
                if statement.strip():
                    conn.execute(statement)
            log.info("%s: review schema migrated to version %d", path, version + 1)
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    return found


class Database:
    """The event log of one review folder. Thread-safe (one connection, one lock)."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = os.fspath(path)
        from bitext.fileio.read import sqlite_file_problem

        problem = sqlite_file_problem(self.path)
        if problem is not None:
            raise InputError(f"{problem}, not a file of the review database (bitext makes "
                             "it); remove it, or move it aside")
        try:
            # isolation_level=None: we issue BEGIN/COMMIT ourselves.
            self.conn = sqlite3.connect(self.path, check_same_thread=False,
                                        isolation_level=None, timeout=10.0)
            self.conn.execute("PRAGMA journal_mode=WAL")
            self.conn.execute("PRAGMA synchronous=NORMAL")
            self.conn.execute("PRAGMA foreign_keys=ON")
            migrate(self.conn, self.path)
            # The version is only a number: a damaged file may claim it without the
            # tables. Reading their columns now is an Error here, not mid-request.
            self.conn.execute("SELECT id, doc, view, op, payload, reviewer, at, undone_at "
                              "FROM events LIMIT 0")
            self.conn.execute("SELECT key, value FROM meta LIMIT 0")
            # Pages damaged behind an intact first page read only when a query
            # reaches them: check them all now (0.04 CPU s for 100,000 events,
            # 30 MB, 2026-12-05).
            problem = self.conn.execute("PRAGMA quick_check(1)").fetchone()[0]
            if problem != "ok":
                raise sqlite3.DatabaseError(f"damaged: {' '.join(problem.split())}")
        except sqlite3.DatabaseError as err:
            if _disk_full(err):  # a store that failed, not a damaged file: 503
                raise StoreError(f"{self.path}: cannot open the review database ({err}); "
                                 f"{_FULL}") from err
            folder = os.path.dirname(os.path.abspath(self.path))
            if not os.access(folder, os.W_OK):
                # SQLite in WAL mode writes beside the database even to read it
                # (its -shm file): a read-only disk is no damage, and moving the
                # database aside would lose the decisions
                raise InputError(
                    f"{self.path}: cannot open the review database ({err}): its folder "
                    "cannot be written (a read-only disk, or no permission), and the "
                    "review writes there even to read its decisions; copy the folder to "
                    "a writable disk and review that copy, or make the folder writable"
                ) from err
            raise InputError(
                f"{self.path}: cannot open the review database ({err}); move it aside to "
                "start a fresh review"
            ) from err
        self.lock = threading.RLock()
        # The file the connection holds, to tell when review.sqlite is deleted or
        # replaced under a running server: SQLite goes on writing into the
        # unlinked file, and every decision since is lost when the server stops.
        self._identity = file_identity(self.path)

    def _check_in_place(self) -> None:
        """A :class:`StoreError` (before a write) when the file at :attr:`path` is
        no longer the one the connection holds."""
        if file_identity(self.path) != self._identity:
            raise StoreError(
                f"{self.path}: cannot store the decision: the database was deleted or "
                "replaced while the review was served, and a decision stored now would "
                "be lost; stop the server (Ctrl+C) and start bitext review again")

    def close(self) -> None:
        with self.lock:
            self.conn.close()

    def add(self, doc: str, view: str, op: str, payload: dict[str, Any],
            reviewer: str, at: str | None = None) -> Event:
        """Store one decision (made at ``at``, default now), committed before this
        returns."""
        at = at or now()
        text = json.dumps(payload, ensure_ascii=False, sort_keys=True)
        with self.lock:
            self._check_in_place()
            try:
                cur = self.conn.execute(
                    "INSERT INTO events (doc, view, op, payload, reviewer, at) "
                    "VALUES (?, ?, ?, ?, ?, ?)",
                    (doc, view, op, text, reviewer, at),
                )
            except sqlite3.Error as err:
                raise _store_error(self.path, err) from err
            ident = cur.lastrowid
        assert ident is not None  # an INSERT always sets it
        return Event(ident, doc, view, op, payload, reviewer, at)

    def undo_event(self, ident: int) -> Event | None:
        """Mark event ``ident`` undone if it is live; returns it, or None."""
        with self.lock:
            self._check_in_place()
            try:  # one UPDATE: atomic in autocommit mode
                cur = self.conn.execute("UPDATE events SET undone_at = ? WHERE id = ? "
                                        "AND undone_at IS NULL", (now(), ident))
                row = self.conn.execute("SELECT * FROM events WHERE id = ?",
                                        (ident,)).fetchone()
            except sqlite3.Error as err:
                raise _store_error(self.path, err) from err
        if cur.rowcount != 1 or row is None:
            return None
        return _event(row, self.path)

    def events(self, doc: str | None = None, view: str | None = None, *,
               include_undone: bool = False) -> Iterator[Event]:
        """Events in the order they were made, optionally of one document and view."""
        sql = "SELECT * FROM events WHERE 1 = 1"
        args: list[str] = []
        if doc is not None:
            sql += " AND doc = ?"
            args.append(doc)
        if view is not None:
            sql += " AND view = ?"
            args.append(view)
        if not include_undone:
            sql += " AND undone_at IS NULL"
        sql += " ORDER BY id"
        with self.lock:
            rows = self.conn.execute(sql, args).fetchall()
        for row in rows:
            yield _event(row, self.path)


def _event(row: tuple[Any, ...], path: str) -> Event:
    try:
        payload = json.loads(row[4])
    except (TypeError, ValueError, RecursionError):
        payload = None
    if not isinstance(payload, dict):  # bitext writes a JSON object; the file was edited
        raise InputError(f"{path}: event {row[0]} has a damaged payload {str(row[4])[:40]!r}; "
                         "restore the database from a copy, or move it aside to start a "
                         "fresh review")
    return Event(int(row[0]), row[1], row[2], row[3], payload, row[5], row[6], row[7])
