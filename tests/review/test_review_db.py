"""The review database: schema versions, migrations, WAL, durability under kill -9."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from review_helpers import Built

from bitext.errors import InputError
from bitext.review.db import SCHEMA_VERSION, Database, migrate


def test_new_database_is_at_the_current_version_in_wal_mode(tmp_path: Path) -> None:
    db = Database(tmp_path / "r.sqlite")
    assert db.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert db.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    db.close()


def test_migrates_an_older_database_and_keeps_its_events(tmp_path: Path) -> None:
    path = tmp_path / "r.sqlite"
    conn = sqlite3.connect(path)
    from bitext.review.db import MIGRATIONS

    conn.executescript(MIGRATIONS[0])  # a version-1 database, as the first release wrote
    conn.execute("PRAGMA user_version = 1")
    conn.execute("INSERT INTO events (doc, view, op, payload, reviewer, at) "
                 "VALUES ('d', 'align', 'accept', '{\"link\": \"k\"}', 'ann', 'now')")
    conn.commit()
    conn.close()
    db = Database(path)
    assert db.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    [event] = list(db.events("d", "align"))
    assert (event.op, event.payload, event.reviewer) == ("accept", {"link": "k"}, "ann")
    # the table version 2 added, with its columns
    assert db.conn.execute("SELECT key, value FROM meta").fetchall() == []
    db.close()


def test_refuses_a_database_from_a_newer_bitext(tmp_path: Path) -> None:
    path = tmp_path / "r.sqlite"
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    with pytest.raises(InputError, match="newer"):
        Database(path)


def test_not_a_database_is_a_clean_error(tmp_path: Path) -> None:
    path = tmp_path / "r.sqlite"
    path.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(InputError, match="move it aside"):
        Database(path)


def test_a_database_missing_its_tables_is_a_clean_error(tmp_path: Path) -> None:
    path = tmp_path / "review.sqlite"
    Database(path).close()
    conn = sqlite3.connect(path)  # the version says current, the event table is gone
    conn.execute("DROP TABLE events")
    conn.commit()
    conn.close()
    with pytest.raises(InputError, match=r"cannot open the review database.*no such table"):
        Database(path)


def test_a_database_damaged_under_its_header_is_a_clean_error(tmp_path: Path) -> None:
    """Pages damaged behind an intact first page (a disk error, a copy cut and
    patched): the tables' columns still read, the events do not. An Error when
    the file is opened, not a traceback from the export or a request."""
    import os

    path = tmp_path / "review.sqlite"
    db = Database(path)
    for n in range(300):
        db.add("d", "align", "accept", {"link": "k" * 200, "n": n}, "ann")
    db.close()
    data = bytearray(path.read_bytes())
    assert len(data) > 4096 * 4
    data[4096:] = os.urandom(len(data) - 4096)
    path.write_bytes(bytes(data))
    with pytest.raises(InputError, match=r"review\.sqlite: .*damaged.*move it aside"):
        list(Database(path).events())


def test_an_event_with_a_damaged_payload_is_a_clean_error(tmp_path: Path) -> None:
    path = tmp_path / "review.sqlite"
    Database(path).close()
    conn = sqlite3.connect(path)  # edited by hand, or by another tool
    conn.execute("INSERT INTO events (doc, view, op, payload, reviewer, at) "
                 "VALUES ('d', 'align', 'accept', '{', 'x', '2026')")
    conn.commit()
    conn.close()
    db = Database(path)
    with pytest.raises(InputError, match=r"review.sqlite: event 1 .*damaged"):
        list(db.events())
    db.close()


def test_undo_marks_the_event_and_keeps_it(tmp_path: Path) -> None:
    db = Database(tmp_path / "r.sqlite")
    db.add("d", "align", "accept", {"link": "a"}, "ann")
    b = db.add("d", "align", "accept", {"link": "b"}, "ann")
    db.add("d", "terms", "note", {"concept": "c", "text": "x"}, "ann")
    undone = db.undo_event(b.id)
    assert undone is not None and undone.payload == {"link": "b"} and undone.undone_at
    assert [e.payload["link"] for e in db.events("d", "align")] == ["a"]
    assert len(list(db.events("d", "align", include_undone=True))) == 2
    assert db.undo_event(b.id) is None  # undone already
    assert db.undo_event(99) is None
    migrate(db.conn)  # idempotent at the current version
    db.close()


def test_a_killed_writer_never_corrupts_the_database(tmp_path: Path) -> None:
    path = tmp_path / "r.sqlite"
    script = textwrap.dedent(f"""
        import sys
        from bitext.review.db import Database
        db = Database({str(path)!r})
        n = 0
        while True:
            event = db.add("d", "align", "accept", {{"link": "k" * 200, "n": n}}, "ann")
            print(event.id, flush=True)
            n += 1
    """)
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    acknowledged = []
    for line in proc.stdout:
        acknowledged.append(int(line))
        if len(acknowledged) >= 300:
            break
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    stored = {row[0] for row in conn.execute("SELECT id FROM events")}
    conn.close()
    assert set(acknowledged) <= stored  # every edit reported saved was saved
    db = Database(path)  # and it opens again
    assert len(list(db.events())) == len(stored)
    db.close()


def test_a_second_workbench_on_one_folder_is_refused(built: Built) -> None:
    """Two servers on one OUT each kept the state they read at start: the second
    showed a link the first had joined as unjoined, and stored a second join on it
    (the version check works inside one process only). The second is one Error."""
    from bitext.outputs import review_lock

    with review_lock(built.out):  # as a running workbench holds it
        res = subprocess.run([sys.executable, "-m", "bitext", "review", str(built.out),
                              "--port", "0", "--no-browser"], capture_output=True, text=True,
                             timeout=120)
    assert res.returncode == 1
    lines = [ln for ln in res.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith("Error: "), res.stderr
    assert "another bitext review" in lines[0]


@pytest.mark.parametrize("suffix", ["", "-wal", "-shm"])
@pytest.mark.parametrize("kind", ["fifo", "folder"])
def test_a_pipe_or_folder_where_the_database_goes_is_one_error(
        tmp_path: Path, suffix: str, kind: str, odd_file: Callable[[Path, str], str]) -> None:
    """A FIFO as review.sqlite (or as its -shm file) gave SQLite's own 'disk I/O
    error', and a -shm FIFO left a new review.sqlite behind; a FIFO as the -wal
    file was deleted by SQLite. Each is now an Error naming the file, what it
    is and what to do, and nothing is made or removed."""
    path = tmp_path / "review.sqlite"
    odd = tmp_path / f"review.sqlite{suffix}"
    expected = odd_file(odd, kind)
    with pytest.raises(InputError, match=rf"review\.sqlite{suffix}: is {expected}.*remove it"):
        Database(path)
    assert sorted(p.name for p in tmp_path.iterdir()) == [odd.name]


def test_a_database_in_a_folder_that_cannot_be_written_says_so(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """On a read-only disk SQLite cannot open review.sqlite even to read it (WAL
    mode writes its -shm file beside it): it said 'unable to open database file'
    and the Error said to move the database aside to start a fresh review,
    which would lose the decisions (and fails on that disk too). The Error now
    says the folder cannot be written and what to do. (The mount is simulated:
    the tests run as root, which writes through permissions.)"""
    import os

    import bitext.review.db as db_module

    path = tmp_path / "review.sqlite"
    Database(path).close()

    def refused(*args: object, **kwargs: object) -> sqlite3.Connection:
        raise sqlite3.OperationalError("unable to open database file")

    real_access = os.access
    monkeypatch.setattr(db_module.sqlite3, "connect", refused)
    monkeypatch.setattr(db_module.os, "access", lambda p, mode, **k: False
                        if os.fspath(p) == os.fspath(tmp_path) and mode == os.W_OK
                        else real_access(p, mode, **k))
    with pytest.raises(InputError) as caught:
        Database(path)
    message = str(caught.value)
    assert "move it aside" not in message, message
    assert "cannot be written" in message and "copy the folder" in message, message


def test_a_full_disk_is_not_told_to_move_the_database_aside(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """On a full disk (a 3 MB tmpfs: 'database or disk is full') the first decision
    of a review, which makes review.sqlite, was a 400 saying 'move it aside to
    start a fresh review', and so was every page after (links, terms), and a
    decision in a database made before said 'check the disk, or move the
    database aside': moving it aside loses every decision, and the disk stays
    full. Both now say the disk is full and to free space (503: the store,
    not the request, failed). SQLite's max_page_count stands in for the disk:
    the same SQLITE_FULL (reliab23, session 26)."""
    import bitext.review.db as db_module
    from bitext.review.db import StoreError

    path = tmp_path / "review.sqlite"
    real = sqlite3.connect

    def one_page(*args: Any, **kwargs: Any) -> sqlite3.Connection:
        conn = real(*args, **kwargs)
        conn.execute("PRAGMA max_page_count=1")  # no room for the tables
        return conn

    monkeypatch.setattr(db_module.sqlite3, "connect", one_page)
    with pytest.raises(StoreError) as made:
        Database(path)
    monkeypatch.setattr(db_module.sqlite3, "connect", real)
    for said in (str(made.value),):
        assert "disk is full" in said and "free some space" in said, said
        assert "aside" not in said, said
    db = Database(path)  # room again: the empty file left is a database
    pages = db.conn.execute("PRAGMA page_count").fetchone()[0]
    db.conn.execute(f"PRAGMA max_page_count={pages}")
    with pytest.raises(StoreError) as stored:
        for k in range(1000):
            db.add("d", "align", "accept", {"link": f"k{k}", "note": "x" * 500}, "ann")
    said = str(stored.value)
    assert "disk is full" in said and "free some space" in said, said
    assert "aside" not in said, said
    db.close()
