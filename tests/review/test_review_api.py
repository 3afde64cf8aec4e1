"""The review app's HTTP API, through Starlette's test client: reading, editing,
conflicts, undo, security (CSRF, Origin, Host, token, paths) and the exports."""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("starlette", reason="the review extra is not installed: "
                    "pip install 'bitext[review]'")
pytest.importorskip("httpx", reason="Starlette's test client needs httpx")

from review_helpers import NAME, XSS_EN, Built
from starlette.testclient import TestClient

from bitext.cli import main
from bitext.review.app import MAX_BODY, create_app
from bitext.review.workbench import Workbench

CSRF = "test-csrf-token"
H = {"X-CSRF-Token": CSRF}


@pytest.fixture
def bench(built: Built) -> Iterator[Workbench]:
    bench = Workbench(built.out, "ann")
    yield bench
    bench.close()


@pytest.fixture
def client(bench: Workbench) -> TestClient:
    return TestClient(create_app(bench, csrf=CSRF))


def links(client: TestClient, offset: int = 0, limit: int = 500) -> dict[str, Any]:
    r = client.get("/api/links", params={"doc": NAME, "offset": offset, "limit": limit})
    assert r.status_code == 200, r.text
    data: dict[str, Any] = r.json()
    return data


def edit(client: TestClient, **body: Any) -> Any:
    return client.post("/api/links/edit", json={"doc": NAME, **body}, headers=H)


def test_page_and_session(client: TestClient) -> None:
    r = client.get("/")
    assert r.status_code == 200 and CSRF in r.text
    assert "script-src 'self'" in r.headers["content-security-policy"]
    assert r.headers["x-frame-options"] == "DENY"
    session = client.get("/api/session").json()
    assert [d["id"] for d in session["documents"]] == [NAME]
    assert client.get("/static/app.js").status_code == 200


def test_links_are_paged_and_the_queue_starts_with_the_worst(client: TestClient,
                                                            built: Built) -> None:
    first = links(client, 0, 10)
    assert first["langs"] == ["zh", "en"] and len(first["links"]) == 10
    assert first["dirs"] == {"zh": "ltr", "en": "ltr"}  # Arabic's is rtl (test_review_e2e)
    assert first["total"] > 100 and first["counts"]["reviewed"] == 0
    assert links(client, 10, 10)["links"][0]["pos"] == 10
    assert len(links(client, 0, 10**6)["links"]) <= 500  # a page is capped
    pos = client.get("/api/queue", params={"doc": NAME}).json()["pos"]
    worst = links(client, pos, 1)["links"][0]
    assert [s["text"] for s in worst["right"]][-1] == built.moved_en
    assert worst["score"] == pytest.approx(0.011)


def test_fix_the_misaligned_link(client: TestClient, built: Built) -> None:
    pos = client.get("/api/queue", params={"doc": NAME}).json()["pos"]
    bad = links(client, pos, 2)["links"]
    r = edit(client, op="move", link=bad[0]["key"], version=bad[0]["version"], side="en",
             to="next", neighbour=bad[1]["key"])
    assert r.status_code == 200, r.text
    fixed = r.json()["links"]
    assert [s["text"] for s in fixed[1]["left"]] == [built.orphan_zh]
    assert [s["text"] for s in fixed[1]["right"]] == [built.moved_en]
    assert all(link["status"] == "changed" for link in fixed)
    assert r.json()["counts"]["reviewed"] == 2


def test_two_tabs_editing_one_link_conflict(client: TestClient) -> None:
    link = links(client, 5, 1)["links"][0]
    assert edit(client, op="accept", link=link["key"], version=link["version"]).status_code == 200
    second = edit(client, op="text", link=link["key"], version=link["version"], side="en",
                  sentence=link["right"][0]["key"], text="An edit made on an old view.")
    assert second.status_code == 409 and second.json()["conflict"]
    assert "another tab" in second.json()["error"]
    # a link that was joined away is a conflict too
    a, b = links(client, 7, 2)["links"]
    assert edit(client, op="join", link=a["key"], version=a["version"]).status_code == 200
    assert edit(client, op="accept", link=b["key"], version=b["version"]).status_code == 409


@pytest.mark.parametrize("field, value", [
    ("link", -1), ("link", 10**20), ("link", [1]), ("link", 1.5), ("link", None),
    ("link", "not a key"), ("link", "../../etc/passwd"),
    ("neighbour", 3), ("neighbour", "zz"), ("next", {"a": 1}),
    ("version", -1), ("version", True), ("version", "1"), ("version", 2**63)])
def test_a_malformed_key_or_version_is_a_bad_request_not_a_conflict(
        client: TestClient, field: str, value: Any) -> None:
    """A link key that is no key at all (a number, a list, a word) and a version
    below 0 were answered 409 'changed meanwhile, reloaded': a client's bug
    taken for another tab's edit. They are a 400 naming the field; a key of the
    right form no link holds now stays a 409 (the link was edited away)."""
    link, near = links(client, 5, 2)["links"]
    body = {"op": "move", "link": link["key"], "version": link["version"], "side": "en",
            "to": "next", "neighbour": near["key"]}
    if field == "next":
        body = {"op": "join", "link": link["key"], "version": link["version"]}
    body[field] = value
    r = edit(client, **body)
    assert r.status_code == 400, (r.status_code, r.text)
    assert field in r.json()["error"] and "conflict" not in r.json(), r.json()
    assert links(client, 5, 1)["links"][0] == link  # nothing applied
    gone = "0123456789abcdef"  # the form of a key: a link edited away
    assert edit(client, op="accept", link=gone).status_code == 409


@pytest.mark.parametrize("field, value", [("concept", 7), ("concept", "x y"),
                                          ("into", ["a"]), ("version", -2)])
def test_a_malformed_concept_key_is_a_bad_request(client: TestClient, field: str,
                                                  value: Any) -> None:
    concepts = client.get("/api/terms", params={"doc": NAME}).json()["concepts"]
    body = {"doc": NAME, "op": "merge", "concept": concepts[0]["key"],
            "into": concepts[1]["key"], "version": concepts[0]["version"], field: value}
    r = client.post("/api/terms/edit", json=body, headers=H)
    assert r.status_code == 400 and field in r.json()["error"], (r.status_code, r.text)
    gone = {"doc": NAME, "op": "note", "concept": "0123456789abcdef-3", "text": "x"}
    assert client.post("/api/terms/edit", json=gone, headers=H).status_code == 409


def test_every_edit_is_stored_with_time_and_reviewer_and_can_be_undone(
        client: TestClient, built: Built) -> None:
    before = links(client)
    link = before["links"][3]
    assert edit(client, op="accept", link=link["key"], reviewer="Zhang Wei").status_code == 200
    conn = sqlite3.connect(built.out / "review.sqlite")
    rows = conn.execute("SELECT op, reviewer, at FROM events").fetchall()
    conn.close()
    assert rows[-1][:2] == ("accept", "Zhang Wei") and rows[-1][2].endswith("Z")
    assert client.post("/api/undo", json={"doc": NAME, "view": "align",
                                          "reviewer": "Zhang Wei"},
                       headers=H).json()["undone"]["op"] == "accept"
    assert links(client)["links"] == before["links"]
    history = client.get("/api/history", params={"doc": NAME}).json()["events"]
    assert history[0]["undone_at"]


def test_search_both_languages(client: TestClient) -> None:
    hits = client.get("/api/search", params={"doc": NAME, "q": "ALERT(1)"}).json()["hits"]
    assert hits and hits[0]["lang"] == "zh"
    en_only = client.get("/api/search", params={"doc": NAME, "q": "test of markup"}).json()
    assert en_only["hits"][0]["lang"] == "en"


def test_markup_is_returned_as_data(client: TestClient) -> None:
    hit = client.get("/api/search", params={"doc": NAME, "q": "onerror"}).json()["hits"][0]
    row = links(client, hit["pos"], 1)["links"][0]
    assert row["right"][0]["text"] == XSS_EN


def test_glossary_decisions(client: TestClient) -> None:
    data = client.get("/api/terms", params={"doc": NAME, "limit": 5}).json()
    assert data["langs"] == ["zh", "en"] and data["total"] > 50
    # where each example holds its concept's terms, in the page's string units
    # (test_review_e2e marks them)
    example = data["concepts"][0]["examples"][0]
    assert example["marks"]["left"] and all(
        0 <= a < b <= len(example["left"].encode("utf-16-le")) // 2
        for a, b in example["marks"]["left"])
    scores = [c["rank_score"] for c in data["concepts"]]
    assert scores == sorted(scores, reverse=True)
    top = data["concepts"][0]
    assert top["examples"] and top["terms"]["zh"][0]["freq"] > 0

    def term(body: dict[str, Any]) -> Any:
        return client.post("/api/terms/edit", json={"doc": NAME, **body}, headers=H)

    c0, c1, c2, c3 = data["concepts"][:4]
    assert term({"op": "status", "concept": c0["key"], "status": "accepted",
                 "version": 0}).status_code == 200
    assert term({"op": "status", "concept": c1["key"], "status": "rejected"}).status_code == 200
    r = term({"op": "edit", "concept": c2["key"], "lang": "en", "text": "  a  corrected term "})
    assert r.json()["concepts"][0]["terms"]["en"][0]["text"] == "a corrected term"
    assert term({"op": "add_variant", "concept": c2["key"], "lang": "zh",
                 "text": "变体"}).status_code == 200
    assert term({"op": "remove_variant", "concept": c2["key"], "lang": "zh",
                 "text": "变体"}).status_code == 200
    assert term({"op": "note", "concept": c2["key"], "text": "check with the editor"}
                ).json()["concepts"][0]["note"] == "check with the editor"
    merged = term({"op": "merge", "concept": c3["key"], "into": c2["key"]}).json()
    assert c3["terms"]["zh"][0]["text"] in [t["text"] for t in
                                            merged["concepts"][0]["terms"]["zh"]]
    stale = term({"op": "status", "concept": c0["key"], "status": "rejected", "version": 0})
    assert stale.status_code == 409
    gone = term({"op": "note", "concept": c3["key"], "text": "x"})
    assert gone.status_code == 409
    accepted = client.get("/api/terms", params={"doc": NAME, "status": "accepted"}).json()
    assert [c["key"] for c in accepted["concepts"]] == [c0["key"]]
    found = client.get("/api/terms", params={"doc": NAME, "q": "corrected"}).json()
    assert found["total"] == 1
    assert client.post("/api/undo", json={"doc": NAME, "view": "terms"},
                       headers=H).json()["undone"]["op"] == "merge"


def test_decisions_persist_across_restarts(built: Built) -> None:
    bench = Workbench(built.out, "ann")
    client = TestClient(create_app(bench, csrf=CSRF))
    link = links(client)["links"][2]
    edit(client, op="accept", link=link["key"])
    bench.close()
    bench = Workbench(built.out, "bob")
    again = TestClient(create_app(bench, csrf=CSRF))
    assert links(again)["links"][2]["status"] == "accepted"
    bench.close()


# -- security -------------------------------------------------------------------

def test_writes_need_post_csrf_json_and_same_origin(client: TestClient) -> None:
    key = links(client, 0, 1)["links"][0]["key"]
    body = {"doc": NAME, "op": "accept", "link": key}
    assert client.post("/api/links/edit", json=body).status_code == 403
    assert client.post("/api/links/edit", json=body,
                       headers={"X-CSRF-Token": "guess"}).status_code == 403
    assert client.post("/api/links/edit", json=body, headers={
        **H, "Origin": "http://evil.example"}).status_code == 403
    assert client.post("/api/links/edit", data={"doc": NAME}, headers=H).status_code == 415
    assert client.get("/api/links/edit", params=body).status_code == 405
    assert client.put("/api/links/edit", json=body, headers=H).status_code == 405
    assert client.post("/api/links/edit", json=body, headers={
        **H, "Origin": "http://testserver"}).status_code == 200
    assert links(client, 0, 1)["counts"]["reviewed"] == 1


def test_host_check_and_token(bench: Workbench) -> None:
    guarded = TestClient(create_app(bench, csrf=CSRF, hosts={"127.0.0.1:8765"}))
    assert guarded.get("/api/session").status_code == 400  # Host: testserver
    assert guarded.get("/api/session", headers={"Host": "127.0.0.1:8765"}).status_code == 200
    remote = TestClient(create_app(bench, csrf=CSRF, token="s3cret"))
    assert remote.get("/").status_code == 403
    assert remote.get("/api/session", params={"token": "wrong"}).status_code == 403
    first = remote.get("/", params={"token": "s3cret"})
    assert first.status_code == 200 and "HttpOnly" in first.headers["set-cookie"]
    assert remote.get("/api/session").status_code == 200  # the cookie carries it now


def test_no_client_path_reaches_the_file_system(client: TestClient, built: Built) -> None:
    for path in ("/static/../review.sqlite", "/static/..%2f..%2fcorpus.jsonl",
                 "/static/%2e%2e/db.py", "/corpus.jsonl"):
        r = client.get(path)
        assert r.status_code == 404, path
    for doc in ("../corpus", str(built.out / NAME), "/etc/passwd", ""):
        r = client.get("/api/links", params={"doc": doc})
        assert r.status_code == 400 and "no document" in r.json()["error"]
    r = client.post("/api/export", json={"folder": "/tmp/elsewhere"}, headers=H)
    assert r.json()["folder"] == str(built.out / "reviewed")


# -- exports ----------------------------------------------------------------------

def decide(client: TestClient) -> dict[str, Any]:
    """Accept one link, change another; accept, reject and correct three concepts."""
    rows = links(client)["links"]
    edit(client, op="accept", link=rows[1]["key"])
    edit(client, op="text", link=rows[2]["key"], side="en",
         sentence=rows[2]["right"][0]["key"], text="A corrected sentence.")
    concepts = client.get("/api/terms", params={"doc": NAME, "limit": 3}).json()["concepts"]
    for concept, body in zip(concepts, (
            {"op": "status", "status": "accepted"},
            {"op": "status", "status": "rejected"},
            {"op": "edit", "lang": "en", "text": "corrected term"}), strict=True):
        client.post("/api/terms/edit", json={"doc": NAME, "concept": concept["key"], **body},
                    headers=H)
    client.post("/api/terms/edit", headers=H, json={
        "doc": NAME, "concept": concepts[2]["key"], "op": "status", "status": "accepted"})
    return {"accepted": concepts[0], "rejected": concepts[1], "edited": concepts[2]}


def tbx_terms(path: Path) -> dict[str, str]:
    from lxml import etree

    ns = {"t": "urn:iso:std:iso:30042:ed-2"}
    tree = etree.parse(str(path))
    out = {}
    for term_sec in tree.iterfind(".//t:termSec", ns):
        status = term_sec.find("t:termNote[@type='administrativeStatus']", ns).text
        out.setdefault(term_sec.find("t:term", ns).text, status)
    return out


def test_export_writes_statuses_and_validates(client: TestClient, built: Built,
                                              tmp_path: Path) -> None:
    from bitext.glossary.tbx import validate_tbx
    from bitext.tmx import read_tmx, validate_tmx

    chosen = decide(client)
    files = client.post("/api/export", json={}, headers=H).json()["files"]
    folder = built.out / "reviewed"
    assert f"{NAME}.reviewed.tmx" in files and "changes.jsonl" in files
    tmx = folder / f"{NAME}.reviewed.tmx"
    assert validate_tmx(tmx).ok
    text = tmx.read_text(encoding="utf-8")
    assert text.count('<prop type="x-status">accepted</prop>') == 1
    assert text.count('changeid="ann"') == 2 and text.count("changedate=") == 2
    assert text.count('<prop type="x-status">changed</prop>') == 1
    assert "A corrected sentence." in text
    assert len(read_tmx(tmx).pairs) == text.count("x-status")
    assert "&lt;script&gt;" in text  # markup stays text in the memory too
    tbx = folder / f"{NAME}.reviewed.tbx"
    assert validate_tbx(tbx, schemas_dir=tmp_path) == []  # our structural checks
    terms = tbx_terms(tbx)
    assert terms[chosen["accepted"]["terms"]["zh"][0]["text"]] == "preferredTerm-admn-sts"
    assert terms[chosen["rejected"]["terms"]["en"][0]["text"]] == "deprecatedTerm-admn-sts"
    assert terms["corrected term"] == "preferredTerm-admn-sts"
    assert chosen["edited"]["terms"]["en"][0]["text"] in tbx.read_text(encoding="utf-8")
    log = (folder / "changes.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(log) == 6 and '"reviewer": "ann"' in log[0]
    assert (folder / f"{NAME}.reviewed.en").is_file()
    assert (folder / f"{NAME}.reviewed.ids").is_file()


def test_export_validates_against_the_official_schemas(client: TestClient, built: Built,
                                                       schemas_dir: Path) -> None:
    from bitext.glossary.tbx import validate_tbx
    from bitext.tmx.validate import validate_tmx

    decide(client)
    client.post("/api/export", json={}, headers=H)
    folder = built.out / "reviewed"
    assert validate_tbx(folder / f"{NAME}.reviewed.tbx", schemas_dir=schemas_dir) == []
    assert validate_tmx(folder / f"{NAME}.reviewed.tmx").ok


def test_cli_export_accepted_only_and_drop_rejected(built: Built, tmp_path: Path) -> None:
    bench = Workbench(built.out, "ann")
    chosen = decide(TestClient(create_app(bench, csrf=CSRF)))
    bench.close()
    target = tmp_path / "reviewed"
    main(["review", str(built.out), "--export", str(target), "--accepted-only"])
    text = (target / f"{NAME}.reviewed.tmx").read_text(encoding="utf-8")
    assert text.count("<tu ") == 2 and "unreviewed" not in text
    terms = tbx_terms(target / f"{NAME}.reviewed.tbx")
    assert set(terms.values()) <= {"preferredTerm-admn-sts", "admittedTerm-admn-sts"}
    main(["review", str(built.out), "--export", str(target), "--drop-rejected"])
    terms = tbx_terms(target / f"{NAME}.reviewed.tbx")
    assert chosen["rejected"]["terms"]["en"][0]["text"] not in terms
    assert "deprecatedTerm-admn-sts" not in terms.values()
    assert len(terms) > 100  # undecided candidates stay, as candidates


def test_reviewed_up_to_here_is_its_own_status_in_the_export(client: TestClient,
                                                              built: Built) -> None:
    decide(client)  # link 1 accepted, link 2 changed
    rows = links(client)["links"]
    result = edit(client, op="reviewed", link=rows[4]["key"]).json()
    assert result["marked"] == 3 and len(result["links"]) == 1  # links 0, 3 and 4
    assert [r["status"] for r in links(client)["links"][:6]] == [
        "reviewed", "accepted", "changed", "reviewed", "reviewed", "unreviewed"]
    client.post("/api/export", json={}, headers=H)
    text = (built.out / "reviewed" / f"{NAME}.reviewed.tmx").read_text(encoding="utf-8")
    assert text.count('<prop type="x-status">reviewed</prop>') == 3
    assert text.count('changeid="ann"') == 5  # every unit a reviewer saw names them
    client.post("/api/export", json={"accepted_only": True}, headers=H)
    text = (built.out / "reviewed" / f"{NAME}.reviewed.tmx").read_text(encoding="utf-8")
    assert text.count("<tu ") == 5 and "unreviewed" not in text
    client.post("/api/undo", json={"doc": NAME, "view": "align"}, headers=H)
    assert links(client)["links"][0]["status"] == "unreviewed"


def test_cli_errors_are_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                 built: Built) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["review", str(tmp_path / "missing")])
    assert exc.value.code == 1
    assert capsys.readouterr().err.startswith("Error: ")
    before = sorted(os.listdir(built.out))
    with pytest.raises(SystemExit):
        main(["review", str(built.out), "--export", str(built.out)])
    err = capsys.readouterr().err
    assert err.startswith("Error: ") and err.count("\n") == 1
    assert sorted(os.listdir(built.out)) == before  # no review.sqlite made for nothing


def test_export_to_dash_is_one_error(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                     built: Built, monkeypatch: pytest.MonkeyPatch) -> None:
    """'--export -' made a folder named '-' (the export is several files, which
    standard output cannot take)."""
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit) as exc:
        main(["review", str(built.out), "--export", "-"])
    assert exc.value.code == 1
    err = capsys.readouterr().err
    assert err.startswith("Error: ") and err.count("\n") == 1 and "standard output" in err
    assert not (tmp_path / "-").exists()


def test_review_help_is_listed(capsys: pytest.CaptureFixture[str]) -> None:
    main(["--help"])
    assert "review" in capsys.readouterr().out
    main(["review", "--help"])
    assert "--export" in capsys.readouterr().out


def test_hostile_bodies_are_one_clear_error(client: TestClient) -> None:
    deep = "[" * 100_000 + "]" * 100_000  # json.loads recurses: RecursionError, not a 500
    r = client.post("/api/links/edit", content=deep,
                    headers={**H, "Content-Type": "application/json"})
    assert r.status_code == 400 and "JSON" in r.json()["error"]
    huge = '{"doc": "' + "a" * (MAX_BODY + 1) + '"}'  # read whole, it would fill the memory
    r = client.post("/api/links/edit", content=huge,
                    headers={**H, "Content-Type": "application/json"})
    assert r.status_code == 413 and "too large" in r.json()["error"]
    assert links(client, 0, 1)["counts"]["reviewed"] == 0


def test_an_unknown_status_filter_is_an_error_not_an_empty_list(client: TestClient) -> None:
    r = client.get("/api/terms", params={"doc": NAME, "status": "acepted"})
    assert r.status_code == 400 and "candidate, accepted, rejected" in r.json()["error"]


def raw_body(fields: dict[str, Any], extra: str) -> str:
    """A request body of ``fields`` and one more member spelt as is (JSON that
    json.dumps does not write)."""
    return json.dumps({"doc": NAME, **fields})[:-1] + ", " + extra + "}"


def test_bodies_json_cannot_hold_are_a_400_and_store_nothing(client: TestClient,
                                                             built: Built) -> None:
    """Numbers JSON has no value for (a 5,000-digit integer past Python's conversion
    limit, Infinity, NaN, 1e999) and lone surrogates (half of a UTF-16 pair, which
    neither the database nor a UTF-8 response can encode) are refused as the body
    they came in, not answered with a 500."""
    first, second = links(client, 3, 2)["links"]
    sentence = second["right"][0]["key"]
    accept = {"op": "accept", "link": first["key"]}
    text = {"op": "text", "link": second["key"], "side": "en", "sentence": sentence}
    bodies = [
        raw_body(accept, '"version": ' + "1" * 5000),
        raw_body({"op": "split", "link": second["key"]}, '"cut": [Infinity, 0]'),
        raw_body({"op": "split", "link": second["key"]}, '"cut": [1e999, 0]'),
        raw_body(accept, '"version": NaN'),
        raw_body(accept, '"reviewer": "\\ud800x"'),
        raw_body(text, '"text": "half \\udc00 a pair"'),
    ]
    for raw in bodies:
        r = client.post("/api/links/edit", content=raw,
                        headers={**H, "Content-Type": "application/json"})
        assert r.status_code == 400, (raw[:80], r.status_code, r.text)
        assert r.json()["error"].startswith("the request body"), r.text
    assert client.get("/api/history").json()["events"] == []
    # a pair escaped as two halves is one character, and is kept
    r = client.post("/api/links/edit", content=raw_body(text, '"text": "A \\ud83d\\ude00."'),
                    headers={**H, "Content-Type": "application/json"})
    assert r.status_code == 200 and "\U0001f600" in r.json()["links"][0]["right"][0]["text"]


def test_control_characters_in_notes_and_names_do_not_break_the_export(
        client: TestClient, built: Built, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    """A reviewer's note or name holding characters XML forbids (a NUL, an escape
    typed or pasted into the page) is written as the exporters write every text:
    each such character a space. The TBX export was a ValueError from lxml (a 500
    from the page, a traceback from 'review --export', the TMX files written
    before it left behind) and the TMX changeid held a raw NUL (not XML)."""
    concept = client.get("/api/terms", params={"doc": NAME}).json()["concepts"][0]
    link = links(client, 2, 1)["links"][0]
    for path, body in (
            ("/api/terms/edit", {"op": "note", "concept": concept["key"],
                                 "text": "see \x00 the \x1b[31m source"}),
            ("/api/terms/edit", {"op": "status", "concept": concept["key"],
                                 "status": "accepted", "reviewer": "Ann\x00\x07 Lee"}),
            ("/api/links/edit", {"op": "accept", "link": link["key"],
                                 "reviewer": "Ann\x00\x07 Lee"})):
        r = client.post(path, json={"doc": NAME, **body}, headers=H)
        assert r.status_code == 200, r.text
    r = client.post("/api/export", json={}, headers=H)
    assert r.status_code == 200, r.text
    target = tmp_path / "cli"
    main(["review", str(built.out), "--export", str(target)])
    for folder in (built.out / "reviewed", target):
        tbx = (folder / f"{NAME}.reviewed.tbx").read_text(encoding="utf-8")
        tmx = (folder / f"{NAME}.reviewed.tmx").read_text(encoding="utf-8")
        assert "reviewer's note: see   the  [31m source" in tbx
        assert "reviewed by Ann Lee" in tbx and 'changeid="Ann Lee"' in tmx
        for name in (f"{NAME}.reviewed.tbx", f"{NAME}.reviewed.tmx"):
            main(["validate", str(folder / name)])
    capsys.readouterr()


def test_an_export_that_fails_on_its_input_writes_nothing(built: Built, tmp_path: Path,
                                                          capsys: pytest.CaptureFixture[str]
                                                          ) -> None:
    """The glossary is read before any file is written: a NAME.tbx that cannot be
    read (here an entity bomb) was one Error after the TMX, JSONL and Moses files
    were written, a half export beside an older one."""
    tbx = built.out / f"{NAME}.tbx"
    text = tbx.read_text(encoding="utf-8")
    at = text.index("?>") + 2
    entities = "".join(f'<!ENTITY {chr(98 + k)} "{("&" + chr(97 + k) + ";") * 10}">'
                       for k in range(6))
    bomb = f'<!DOCTYPE tbx [<!ENTITY a "aaaaaaaaaa">{entities}]>'
    term = text.index("<term>") + len("<term>")
    tbx.write_text(text[:at] + bomb + text[at:term] + "&g;" + text[term:], encoding="utf-8")
    target = tmp_path / "reviewed"
    with pytest.raises(SystemExit) as exc:
        main(["review", str(built.out), "--export", str(target)])
    assert exc.value.code == 1
    err = capsys.readouterr().err
    assert err.startswith("Error: ") and err.count("\n") == 1, err
    assert not target.exists() or list(target.iterdir()) == []


@pytest.mark.parametrize("reviewed", [".tbx", ".jsonl"])
def test_an_export_never_writes_over_what_it_reads(built: Built, tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str],
                                                   reviewed: str) -> None:
    """An export file name in the export folder that links to one of the build's
    files (a symbolic link or a hard link) replaced that file, which the
    workbench reads: the export ended with exit 0 and NAME.tbx and NAME.jsonl
    of OUT held the reviewed versions. Now one Error, before anything is written."""
    target = tmp_path / "reviewed"
    target.mkdir()
    os.symlink(built.out / f"{NAME}.tbx", target / f"{NAME}.reviewed.tbx")
    os.link(built.out / f"{NAME}.jsonl", target / f"{NAME}.reviewed.jsonl")
    if reviewed == ".jsonl":
        (target / f"{NAME}.reviewed.tbx").unlink()
    before = {p.name: p.read_bytes() for p in built.out.iterdir() if p.is_file()}
    with pytest.raises(SystemExit) as exc:
        main(["review", str(built.out), "--export", str(target)])
    assert exc.value.code == 1
    err = capsys.readouterr().err
    assert err.startswith("Error: ") and err.count("\n") == 1, err
    assert "is an input" in err, err
    assert err.rstrip().endswith("with --export"), err  # the option review names it by
    after = {p.name: p.read_bytes() for p in built.out.iterdir() if p.is_file()
             and p.name in before}
    assert after == before
    assert sorted(p.name for p in target.iterdir()) == sorted(
        f"{NAME}.reviewed{ext}" for ext in ((".tbx", ".jsonl") if reviewed == ".tbx"
                                            else (".jsonl",)))


def test_a_database_another_program_holds_is_a_503_naming_it(client: TestClient,
                                                             bench: Workbench,
                                                             built: Built) -> None:
    """A review.sqlite locked by another program (a second tool, a backup holding
    a write lock) made every edit and undo a bare 500 after the 10 s wait; now
    the page says what holds it, the decision is not applied, and the next edit
    once the lock is gone is stored."""
    link = links(client, 1, 1)["links"][0]
    assert edit(client, op="accept", link=link["key"]).status_code == 200
    bench.db.conn.execute("PRAGMA busy_timeout = 50")  # the test need not wait 10 s
    other = sqlite3.connect(built.out / "review.sqlite", isolation_level=None, timeout=0)
    other.execute("BEGIN EXCLUSIVE")
    try:
        second = links(client, 2, 1)["links"][0]
        for r in (edit(client, op="accept", link=second["key"]),
                  client.post("/api/undo", json={"doc": NAME, "view": "align"}, headers=H)):
            assert r.status_code == 503, r.text
            assert "review.sqlite: cannot store the decision (database is locked)" in \
                r.json()["error"]
            assert "another program" in r.json()["error"]
        assert links(client, 1, 2)["links"][1]["status"] == "unreviewed"
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert edit(client, op="accept", link=second["key"]).status_code == 200
    assert [x["status"] for x in links(client, 1, 2)["links"]] == ["accepted", "accepted"]


def test_an_empty_links_file_is_one_error_naming_it(built: Built, tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]
                                                    ) -> None:
    """A NAME.jsonl emptied (a disk that filled, a hand edit) was read as a
    document with no languages: the page showed nothing and the export said 'a
    stream of pairs needs src_lang and tgt_lang', naming no file."""
    links_file = built.out / f"{NAME}.jsonl"
    links_file.write_text("", encoding="utf-8")
    target = tmp_path / "reviewed"
    with pytest.raises(SystemExit) as exc:
        main(["review", str(built.out), "--export", str(target)])
    assert exc.value.code == 1
    err = capsys.readouterr().err
    assert err == f"Error: {links_file}: no links; rebuild this document (bitext build)\n"
    assert not target.exists() or list(target.iterdir()) == []
    r = TestClient(create_app(Workbench(built.out, "ann"), csrf=CSRF)).get(
        "/api/links", params={"doc": NAME})
    assert r.status_code == 400 and "no links" in r.json()["error"]


@pytest.mark.parametrize("token", ["a b", "a;b", "tok\u20acn", "a\nb", ""])
def test_a_token_that_cannot_travel_in_a_url_and_a_cookie_is_refused(
        built: Built, capsys: pytest.CaptureFixture[str], token: str) -> None:
    """The token goes into the printed URL and an HttpOnly cookie: 'a;b' cut the
    cookie at ';' (every request after the first page was a 403), a space
    broke the printed URL, a non-ASCII character came back as mojibake."""
    with pytest.raises(SystemExit) as exc:
        main(["review", str(built.out), "--host", "0.0.0.0", "--token", token,
              "--no-browser", "--port", "0"])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("Error: Invalid value for '--token'") and err.count("\n") == 1, err
    assert not (built.out / "review.sqlite").exists()


def test_a_number_parameter_that_is_no_number_is_named_short(client: TestClient) -> None:
    """The 400 quotes what it got, cut short: a 5,000-digit offset was echoed whole."""
    r = client.get("/api/links", params={"doc": NAME, "offset": "9" * 5000})
    assert r.status_code == 400, r.text
    assert "whole number" in r.json()["error"] and len(r.json()["error"]) < 200
    r = client.get("/api/links", params={"doc": NAME, "offset": "ten"})
    assert r.status_code == 400 and "'ten'" in r.json()["error"]


def test_two_quick_ctrl_c_stop_the_server_without_a_traceback(built: Built) -> None:
    """Ctrl+C pressed twice (or once under ``timeout``, which passes its own SIGINT
    on): uvicorn cancelled the app's lifespan task and logged 'ERROR: Traceback ...
    KeyboardInterrupt ... CancelledError' on the terminal."""
    import re
    import signal
    import socket
    import subprocess
    import sys
    import time
    import urllib.request

    proc = subprocess.Popen([sys.executable, "-m", "bitext", "review", str(built.out), "--port",
                             "0", "--no-browser"], stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONUNBUFFERED": "1"})
    try:
        assert proc.stderr is not None
        first = proc.stderr.readline()
        port = int(re.search(r":(\d+)/", first).group(1))  # type: ignore[union-attr]
        deadline = time.monotonic() + 60
        while True:  # uvicorn listens a moment after the URL is printed
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except ConnectionRefusedError:
                assert time.monotonic() < deadline, "the server never listened"
                time.sleep(0.05)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=30) as page:
            assert page.status == 200  # the app serves: its start-up is over
        proc.send_signal(signal.SIGINT)
        time.sleep(0.05)
        proc.send_signal(signal.SIGINT)
        rest = proc.stderr.read()
        proc.wait(60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert "Traceback" not in rest and "ERROR" not in rest, rest


@pytest.mark.parametrize("args", [["--export", ""], ["--host", "", "--no-browser"], []],
                         ids=["export", "host", "out"])
def test_an_empty_folder_or_address_is_refused(built: Built, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch,
                                                     capsys: pytest.CaptureFixture[str],
                                                     args: list[str]) -> None:
    """'bitext review OUT --export ""' wrote the export into the folder it ran in
    (an empty path is '.'), '--host ""' listened on every interface and printed
    'http://:8765/', and 'bitext review ""' reviewed the folder it ran in."""
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    monkeypatch.chdir(cwd)

    def started(*_: object, **__: object) -> None:
        raise AssertionError("the server started")  # a failure, not a test that hangs

    monkeypatch.setattr("bitext.commands.review.serve", started)
    with pytest.raises(SystemExit) as exc:
        main(["review", "" if not args else str(built.out), *args, "--port", "0"])
    # a path is bad input (1), as for every path click refuses; an address a usage error
    assert exc.value.code == (2 if "--host" in args else 1)
    err = capsys.readouterr().err
    assert err.startswith("Error: Invalid value for") and "empty" in err, err
    assert err.count("\n") == 1, err
    assert list(cwd.iterdir()) == [] and not (built.out / "review.sqlite").exists()


def test_an_export_that_fails_halfway_into_a_new_folder_leaves_no_folder(
        built: Built, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """A full disk after the TMX, JSONL and Moses files ('bitext review OUT --export
    DIR' into a 64 KB tmpfs): one Error, but DIR was left with the files written
    before it, a half export; a new DIR is now taken away whole."""
    import errno

    import bitext.review.export as export
    from bitext.fileio.write import export_error

    def full(*args: Any, **kwargs: Any) -> None:
        raise export_error(args[1], OSError(errno.ENOSPC, os.strerror(errno.ENOSPC)))

    monkeypatch.setattr(export, "write_reviewed_tbx", full)
    target = tmp_path / "new" / "reviewed"
    with pytest.raises(SystemExit) as exc:
        main(["review", str(built.out), "--export", str(target)])
    assert exc.value.code == 1
    err = capsys.readouterr().err
    assert err.startswith("Error: cannot write ") and "disk is full" in err, err
    assert not (tmp_path / "new").exists()


@pytest.mark.parametrize("how", ["deleted", "replaced"])
def test_a_database_deleted_or_replaced_while_serving_refuses_the_next_edit(
        client: TestClient, built: Built, how: str) -> None:
    """review.sqlite deleted (or another file put in its place) while the server
    ran: every later edit was answered 200 and stored in the unlinked file the
    server still held, all of it lost when the server stopped. Now the next
    edit and undo are a 503 saying so and how to go on, and nothing is applied."""
    link = links(client, 0, 1)["links"][0]
    assert edit(client, op="accept", link=link["key"]).status_code == 200
    db = built.out / "review.sqlite"
    for path in built.out.glob("review.sqlite*"):
        path.unlink()
    if how == "replaced":
        sqlite3.connect(db).close()
    second = links(client, 1, 1)["links"][0]
    for r in (edit(client, op="accept", link=second["key"]),
              client.post("/api/undo", json={"doc": NAME, "view": "align"}, headers=H)):
        assert r.status_code == 503, r.text
        said = r.json()["error"]
        assert "review.sqlite: cannot store the decision" in said
        assert "deleted or replaced while the review was served" in said
        assert "start bitext review again" in said
    assert links(client, 1, 1)["links"][0]["status"] == "unreviewed"


def test_the_export_keeps_the_builds_bead_order_and_signature(client: TestClient,
                                                              built: Built) -> None:
    """A reviewed memory is the build's memory with decisions: the same bead
    convention (the aligner's SRC first: zh for a zh-en build, as the README's
    *Bead direction* says for every file) and the settings signature of the
    build that made the links (the encoder, the segmenter ...), plus the review.
    It was written English first, with a signature of the review alone."""
    from bitext.tmx import TmxReader

    client.post("/api/export", json={}, headers=H)
    folder = built.out / "reviewed"
    with TmxReader(built.out / f"{NAME}.sentences.tmx") as reader:
        made = reader.header
    with TmxReader(folder / f"{NAME}.reviewed.tmx") as reader:
        reviewed = reader.header
    assert reviewed.props["x-bead-order"] == made.props["x-bead-order"] == "zh-en"
    assert reviewed.signature == {**made.signature, "review": "all"}
    first = json.loads((built.out / f"{NAME}.jsonl").read_text(encoding="utf-8")
                       .splitlines()[0])
    again = json.loads((folder / f"{NAME}.reviewed.jsonl").read_text(encoding="utf-8")
                       .splitlines()[0])
    assert again["bead"] == first["bead"] and again["zh_ids"] == first["zh_ids"]
    build_ids = (built.out / f"{NAME}.ids").read_text(encoding="utf-8").splitlines()
    reviewed_ids = (folder / f"{NAME}.reviewed.ids").read_text(encoding="utf-8").splitlines()
    assert reviewed_ids[0] == build_ids[0]


def test_the_export_writes_the_glossary_for_omegat_3_6_too(client: TestClient, built: Built,
                                                           tmp_path: Path) -> None:
    """The reviewed TBX is TBX 2019, which OmegaT 3.6 (Debian's) and older MultiTerm
    do not load; they read the 2008 martif format (``--format tbx2``). The export
    writes the reviewed glossary in that format too, with the same decisions: a
    terminologist's work reached no CAT tool on this machine."""
    from lxml import etree

    chosen = decide(client)
    files = client.post("/api/export", json={"accepted_only": True}, headers=H).json()["files"]
    assert f"{NAME}.reviewed.martif.tbx" in files
    legacy = built.out / "reviewed" / f"{NAME}.reviewed.martif.tbx"
    root = etree.parse(str(legacy)).getroot()
    assert root.tag == "martif"
    terms = {tig.findtext("term"): tig.findtext("termNote[@type='administrativeStatus']")
             for tig in root.iter("tig")}
    assert terms[chosen["accepted"]["terms"]["zh"][0]["text"]] == "preferredTerm-admn-sts"
    assert terms["corrected term"] == "preferredTerm-admn-sts"
    assert chosen["rejected"]["terms"]["en"][0]["text"] not in terms  # accepted only
    assert len(root.findall(".//termEntry")) == 2
    assert "extractor proposed" in legacy.read_text(encoding="utf-8")
    tbx = pytest.importorskip("translate.storage.tbx")  # reads martif as OmegaT 3.6 does
    store = tbx.tbxfile.parsefile(str(legacy))
    assert len(store.units) == 2


def test_the_glossary_for_omegat_leaves_rejected_concepts_out(client: TestClient,
                                                             built: Built) -> None:
    """OmegaT reads no term status: every term of a glossary file is offered as a
    translation in its Glossary pane. A concept the terminologist rejected was
    offered like the accepted ones (its comment alone said 'rejected'; seen in
    OmegaT 3.6 with a ru-en review, session 18). The martif file, written for
    those tools, leaves rejected concepts out; the TBX 2019 keeps them,
    deprecated, for a termbase."""
    from lxml import etree

    chosen = decide(client)
    client.post("/api/export", json={}, headers=H)
    folder = built.out / "reviewed"
    rejected = [t["text"] for side in chosen["rejected"]["terms"].values() for t in side]
    legacy = etree.parse(str(folder / f"{NAME}.reviewed.martif.tbx")).getroot()
    entries = [frozenset(tig.findtext("term") for tig in entry.iter("tig"))
               for entry in legacy.iter("termEntry")]
    accepted = chosen["accepted"]["terms"]["zh"][0]["text"]
    assert any(accepted in terms for terms in entries)
    assert frozenset(rejected) not in entries
    assert "rejected" not in (folder / f"{NAME}.reviewed.martif.tbx").read_text(encoding="utf-8")
    terms = tbx_terms(folder / f"{NAME}.reviewed.tbx")
    assert {terms[t] for t in rejected} == {"deprecatedTerm-admn-sts"}


@pytest.mark.parametrize("field", ["accepted_only", "drop_rejected"])
def test_an_export_flag_that_is_no_boolean_is_a_400(client: TestClient, built: Built,
                                                   field: str) -> None:
    """The export's flags were read with bool(): a client (a script, not the
    page) sending "false" got the accepted-only export, or the TBX without its
    rejected concepts. A flag that is not true, false or absent (null) is a
    400, and nothing is written."""
    for value in ("false", 0, [], {}):
        r = client.post("/api/export", json={field: value}, headers=H)
        assert r.status_code == 400, (value, r.text)
        assert r.json()["error"] == f"{field} must be true or false, got {json.dumps(value)}"
    assert not (built.out / "reviewed").exists()
    for ok in (True, False, None):
        assert client.post("/api/export", json={field: ok}, headers=H).status_code == 200


@pytest.mark.parametrize("failure", ["tbx", "input"])
@pytest.mark.parametrize("earlier", [False, True], ids=["no-db", "db"])
def test_a_failed_export_leaves_no_new_review_database(built: Built, tmp_path: Path,
                                                       capsys: pytest.CaptureFixture[str],
                                                       failure: str, earlier: bool) -> None:
    """'bitext review OUT --export DIR' that failed (a NAME.tbx that cannot be
    read, an export name linked to an input) was one Error, but it had made
    OUT/review.sqlite first: a failed command left a new file. A database that
    was there before keeps its decisions, byte for byte."""
    if earlier:
        bench = Workbench(built.out, "ann")
        bench.edit_link(NAME, "accept", {"link": bench.alignment(NAME).links[0].key}, None)
        bench.close()
    before = {p.name: p.read_bytes() for p in built.out.iterdir() if p.is_file()}
    target = tmp_path / "reviewed"
    if failure == "tbx":
        (built.out / f"{NAME}.tbx").write_text("<tbx", encoding="utf-8")
        before[f"{NAME}.tbx"] = b"<tbx"
    else:
        target.mkdir()
        os.symlink(built.out / f"{NAME}.jsonl", target / f"{NAME}.reviewed.jsonl")
    with pytest.raises(SystemExit) as exc:
        main(["review", str(built.out), "--export", str(target)])
    assert exc.value.code == 1
    err = capsys.readouterr().err
    assert err.startswith("Error: ") and err.count("\n") == 1, err
    after = {p.name: p.read_bytes() for p in built.out.iterdir() if p.is_file()}
    assert after == before


def test_a_term_the_reviewer_types_is_counted_in_the_memory(client: TestClient,
                                                           built: Built) -> None:
    # Session 19: a corrected or added term showed frequency 0 on the page and
    # in the exported TBX, as if the document never held it.
    import re

    concept = client.get("/api/terms", params={"doc": NAME, "limit": 1}).json()["concepts"][0]
    words = re.findall(r"[A-Za-z]{6,}", concept["examples"][0]["right"])
    typed = max((w for w in words if w not in {t["text"] for t in concept["terms"]["en"]}),
                key=len)
    r = client.post("/api/terms/edit", headers=H, json={
        "doc": NAME, "concept": concept["key"], "op": "edit", "lang": "en", "text": typed})
    shown = r.json()["concepts"][0]["terms"]["en"][0]
    assert shown["text"] == typed and shown["freq"] >= 1  # its example holds it
    r = client.post("/api/terms/edit", headers=H, json={
        "doc": NAME, "concept": concept["key"], "op": "add_variant", "lang": "en",
        "text": "qqzx wwvy"})
    assert {"text": "qqzx wwvy", "freq": 0} in r.json()["concepts"][0]["terms"]["en"]
    files = client.post("/api/export", json={}, headers=H).json()["files"]
    assert f"{NAME}.reviewed.tbx" in files
    tbx = (built.out / "reviewed" / f"{NAME}.reviewed.tbx").read_text(encoding="utf-8")
    sec = tbx[tbx.index(f"<term>{typed}</term>"):]
    assert f"frequency: {shown['freq']}" in sec[:sec.index("</termSec>")]


def undo(client: TestClient, view: str, reviewer: str) -> Any:
    return client.post("/api/undo", json={"doc": NAME, "view": view, "reviewer": reviewer},
                       headers=H)


def test_undo_takes_back_the_reviewers_own_last_change(client: TestClient) -> None:
    """Reviewers share one server's page (README): Marie's `u` undid Omar's
    accept, made in his tab after hers, and left hers standing (seen with two
    Chromium tabs on an en-fr memory)."""
    before = links(client)["links"]
    mine, his = before[3], before[5]
    assert edit(client, op="accept", link=mine["key"], reviewer="Marie").status_code == 200
    assert edit(client, op="accept", link=his["key"], reviewer="Omar").status_code == 200
    r = undo(client, "align", "Marie")
    assert r.status_code == 200 and r.json()["undone"]["op"] == "accept"
    after = links(client)["links"]
    assert after[3]["status"] == "unreviewed" and after[5]["status"] == "accepted"
    assert r.json()["undone"]["pos"] == 3  # the page shows the link it undid
    assert undo(client, "align", "Marie").json()["undone"] is None  # nothing more of hers
    c0, c1 = client.get("/api/terms", params={"doc": NAME}).json()["concepts"][:2]
    term = {"doc": NAME, "op": "status", "status": "accepted"}
    client.post("/api/terms/edit", json={**term, "concept": c0["key"], "reviewer": "Marie"},
                headers=H)
    client.post("/api/terms/edit", json={**term, "concept": c1["key"], "reviewer": "Omar"},
                headers=H)
    r = undo(client, "terms", "Marie")
    assert r.json()["undone"]["concept"] == c0["key"]
    statuses = {c["key"]: c["status"] for c in
                client.get("/api/terms", params={"doc": NAME}).json()["concepts"]}
    assert statuses[c0["key"]] == "candidate" and statuses[c1["key"]] == "accepted"


def test_undo_under_another_reviewers_later_change_is_refused(client: TestClient) -> None:
    """Undoing Marie's join would drop Omar's accept of the joined link (it
    would no longer match anything): refused with a 409 naming him, nothing
    undone."""
    first = links(client)["links"][3]
    joined = edit(client, op="join", link=first["key"], reviewer="Marie").json()["links"][0]
    assert edit(client, op="accept", link=joined["key"], reviewer="Omar").status_code == 200
    r = undo(client, "align", "Marie")
    assert r.status_code == 409 and "Omar" in r.json()["error"], r.text
    assert links(client)["links"][3]["key"] == joined["key"]
    assert links(client)["counts"]["stale"] == 0
    history = client.get("/api/history", params={"doc": NAME}).json()["events"]
    assert [(e["op"], e["undone_at"]) for e in history] == [("accept", None), ("join", None)]


def test_the_queue_keeps_to_the_links_below_a_confidence(client: TestClient) -> None:
    """A reviewer who only checks the links below the build summary's line (0.5,
    "where a reviewer should look first") had no way to say so: the queue went
    on into the sure links with nothing saying the doubtful ones were done."""
    every = links(client)["links"]
    low = {link["pos"] for link in every if link["score"] < 0.5}
    assert 0 < len(low) < len(every)
    seen, after = [], ""
    while True:
        data = client.get("/api/queue", params={"doc": NAME, "after": after,
                                                "below": "0.5"}).json()
        assert data["below_left"] == len(low) - len(seen)
        if data["pos"] is None:
            break
        seen.append(data["pos"])
        link = links(client, data["pos"], 1)["links"][0]
        assert edit(client, op="accept", link=link["key"]).status_code == 200
        after = link["key"]
    assert set(seen) == low
    assert client.get("/api/queue", params={"doc": NAME}).json()["pos"] is not None
    r = client.get("/api/queue", params={"doc": NAME, "below": "half"})
    assert r.status_code == 400 and "number" in r.json()["error"]


def test_a_reviewed_low_confidence_link_loses_its_check_note(tmp_path: Path) -> None:
    """A unit below confidence 0.5 carries a <note> asking the translator to check
    it (the note OmegaT shows). Once a reviewer accepted it, the reviewed memory
    drops the note: it would send the translator to a checked link again."""
    from bitext.review.export import write_status_tmx
    from bitext.review.model import Link
    from bitext.tmx import validate_tmx
    from bitext.types import AlignedPair, Alignment

    pairs = tuple(AlignedPair((f"句子{i}。",), (f"Sentence {i}.",), 0.2, str(i), (i,), (i,))
                  for i in range(2))
    alignment = Alignment("zh", "en", pairs, "sentence", {}, "doc")
    statuses = [Link((0,), (0,), 0.2, "0", "a", reviewed=True, reviewer="ann",
                     at="2026-12-07T09:00:00Z"),
                Link((1,), (1,), 0.2, "1", "b")]
    path = tmp_path / "r.tmx"
    write_status_tmx(alignment, statuses, path)
    assert validate_tmx(path).ok
    units = path.read_text(encoding="utf-8").split("<tu ")[1:]
    assert "x-status\">accepted" in units[0] and "<note>" not in units[0]
    assert "x-status\">unreviewed" in units[1] and "<note>Low alignment confidence" in units[1]


def test_the_export_buttons_answer_carries_the_accepted_only_warning(
        client: TestClient) -> None:
    """The page's *Export* with 'accepted only' before any decision wrote empty
    files, and the warning (7445e1f) went to the server's log, which a reviewer
    in the browser does not see (usertest26): the answer carries it, for the
    page to show; once a link is accepted there is none."""
    answer = client.post("/api/export", json={"accepted_only": True}, headers=H).json()
    assert len(answer["warnings"]) == 1 and "no link" in answer["warnings"][0]
    assert client.post("/api/export", json={}, headers=H).json()["warnings"] == []
    decide(client)
    answer = client.post("/api/export", json={"accepted_only": True}, headers=H).json()
    assert answer["warnings"] == [] and answer["files"]


def test_the_queue_keeps_to_the_one_sided_links_when_asked(client: TestClient,
                                                           built: Built) -> None:
    """A translator's first check of a memory is its doubtful links and its
    sentences with no counterpart (1-0, 0-1); the queue went by confidence only,
    and a 1-0 link can score high (0.77 in a build of the bundled corpus with
    three sentences taken out, usertest26), so it came only after every link
    below it, and nothing counted them. ``one_sided`` keeps the queue to links
    with an empty side, and the counts say how many are left."""
    rows = links(client)["links"]
    one_sided = {r["pos"] for r in rows if not r["left"] or not r["right"]}
    orphan = next(r["pos"] for r in rows if r["left"] and r["left"][0]["text"] == built.orphan_zh)
    assert orphan in one_sided
    seen, after = [], ""
    for _ in range(len(one_sided) + 1):
        answer = client.get("/api/queue", params={"doc": NAME, "after": after,
                                                  "one_sided": "1"}).json()
        assert answer["one_sided_left"] == len(one_sided)
        if answer["pos"] is None or answer["pos"] in seen:  # none other, or round again
            break
        seen.append(answer["pos"])
        after = rows[answer["pos"]]["key"]
    assert set(seen) == one_sided
    edit(client, op="accept", link=rows[orphan]["key"])
    answer = client.get("/api/queue", params={"doc": NAME, "one_sided": "1"}).json()
    assert answer["one_sided_left"] == len(one_sided) - 1 and answer["pos"] != orphan
