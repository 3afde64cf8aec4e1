"""Review workbench speed on a large document: the Bible zh-en alignment.

Usage (from the repository root)::

    python benchmarks/review.py                    # 30,000 English lines
    python benchmarks/review.py --lines 5000 --no-browser

It takes the first N English lines of ``../shared/data/bible-zh-en`` and the
Chinese lines of the same verses, links them (by default the gold verse beads,
scored by length ratio: the review's speed depends on the number and shape of
the links, not on what made them; ``--encoder length`` or ``use`` runs the
aligner instead, which takes many minutes on 30,000 lines), writes
the build files the review reads (``NAME.jsonl``, ``NAME.sentences.tmx``)
through the project's writers into ``benchmarks/results/review-bible/`` (reused
on later runs; ``--rebuild`` redoes it), then serves it with uvicorn on
loopback and measures, over real HTTP:

* **open**: a fresh server's first ``/api/session`` + first page of links (the
  document is read and hashed on that request: the cold cost), and, when
  Playwright and Chromium are there, a real page load until the page says it
  is ready, on a server started as ``bitext review`` starts it (reading the
  first document in the background while the browser starts);
* **scroll**: a page of 100 links at random offsets, and in the browser, the
  largest number of link rows the page holds while scrolling to the end
  (it keeps a window, it does not load everything);
* **edit round trip**: accept (POST and answer), and join then split (POST plus
  the window reload the page does after a change of shape);
* **undo**: POST undo plus the replay it causes.

Targets (issue 11): open < 2 s, edit round trip < 100 ms.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import socket
import statistics
import sys
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "bible-zh-en"
RESULTS = ROOT / "benchmarks" / "results" / "review-bible"
NAME = "bible"
CHROMIUM = "/usr/bin/chromium"
CSRF = "benchmark"


def gold_links(zh: list[str], en: list[str], zh_verse: list[str], en_verse: list[str]
               ) -> list[Any]:
    """The verse beads as links, each scored by how far its length ratio is from the
    slice's overall ratio (1 at the overall ratio, falling off as exp(-|log|)): a
    stand-in for an aligner's confidence, enough to give the queue an order."""
    import math

    from bitext.align.evaluate import gold_beads_from_groups
    from bitext.types import Link

    overall = sum(map(len, en)) / max(1, sum(map(len, zh)))
    links = []
    for src, tgt in gold_beads_from_groups(zh_verse, en_verse):
        a = sum(len(zh[i]) for i in src)
        b = sum(len(en[i]) for i in tgt)
        score = math.exp(-abs(math.log((b + 1) / ((a + 1) * overall))))
        links.append(Link(tuple(src), tuple(tgt), score))
    return links


def build(data: Path, lines: int, encoder_name: str, out: Path) -> int:
    """Make the alignment and write the files ``bitext review`` reads; returns the
    link count. ``encoder_name`` ``gold`` takes the verse beads instead of aligning."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from bible import load_slice  # the Bible benchmark's own slicing

    from bitext.tmx import write_alignment
    from bitext.types import AlignedPair, Alignment

    zh, en, zh_verse, en_verse = load_slice(data, lines)
    if encoder_name == "gold":
        links = gold_links(zh, en, zh_verse, en_verse)
    else:
        from bitext.align.encoders import get_encoder
        from bitext.align.sentences import align_sentences

        links = align_sentences(zh, en, get_encoder(encoder_name), src_lang="zh",
                                tgt_lang="en")
    pairs = []
    for link in links:
        # A chapter (Gen:1) plays the part of a paragraph label.
        verse = en_verse[link.tgt[0]] if link.tgt else zh_verse[link.src[0]]
        pairs.append(AlignedPair(tuple(zh[i] for i in link.src), tuple(en[i] for i in link.tgt),
                                 link.score, verse.rsplit(":", 1)[0], link.src, link.tgt))
    alignment = Alignment("zh", "en", tuple(pairs), signature={"encoder": encoder_name},
                          doc_id="bible")
    out.mkdir(parents=True, exist_ok=True)
    write_alignment(alignment, out / f"{NAME}.jsonl", "jsonl")
    write_alignment(alignment, out / f"{NAME}.sentences.tmx", "tmx")
    return len(pairs)


class Server:
    """``create_app`` under uvicorn in a thread, on a free loopback port."""

    def __init__(self, out: Path, prewarm: bool = False) -> None:
        import uvicorn

        from bitext.review.app import create_app
        from bitext.review.workbench import Workbench

        self.bench = Workbench(out, "benchmark")
        sock = socket.socket()
        sock.bind(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{sock.getsockname()[1]}"
        app = create_app(self.bench, csrf=CSRF)
        self.prewarm = self.bench.prewarm() if prewarm else None
        self.server = uvicorn.Server(uvicorn.Config(app, log_level="warning"))
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [sock]},
                                       daemon=True)
        self.thread.start()
        while not self.server.started:
            time.sleep(0.01)

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join()
        self.bench.close()


def ms(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    return {"median_ms": round(statistics.median(ordered) * 1000, 1),
            "p95_ms": round(ordered[int(0.95 * (len(ordered) - 1))] * 1000, 1)}


def measure_api(out: Path, edits: int) -> dict[str, Any]:
    import httpx

    result: dict[str, Any] = {}
    server = Server(out)
    try:
        client = httpx.Client(base_url=server.url, headers={"X-CSRF-Token": CSRF})
        t0 = time.perf_counter()
        client.get("/api/session").raise_for_status()
        first = client.get("/api/links", params={"doc": NAME, "limit": 100}).json()
        result["open_api_s"] = round(time.perf_counter() - t0, 3)
        total = first["total"]
        result["links"] = total

        rng = random.Random(0)
        pages = []
        for _ in range(30):
            t = time.perf_counter()
            client.get("/api/links", params={"doc": NAME, "offset": rng.randrange(total),
                                             "limit": 100}).raise_for_status()
            pages.append(time.perf_counter() - t)
        result["page_of_100"] = ms(pages)

        def post(body: dict[str, Any], path: str = "/api/links/edit") -> Any:
            r = client.post(path, json={"doc": NAME, **body})
            r.raise_for_status()
            return r.json()

        accepts = []
        for pos in rng.sample(range(total), edits):
            link = client.get("/api/links", params={"doc": NAME, "offset": pos,
                                                    "limit": 1}).json()["links"][0]
            t = time.perf_counter()
            post({"op": "accept", "link": link["key"], "version": link["version"]})
            accepts.append(time.perf_counter() - t)
        result["edit_accept"] = ms(accepts)

        shapes = []
        for pos in rng.sample(range(total - 1), max(5, edits // 5)):
            link = client.get("/api/links", params={"doc": NAME, "offset": pos,
                                                    "limit": 1}).json()["links"][0]
            t = time.perf_counter()
            joined = post({"op": "join", "link": link["key"], "version": link["version"]})
            client.get("/api/links", params={"doc": NAME, "offset": max(0, pos - 20),
                                             "limit": 200}).raise_for_status()
            shapes.append(time.perf_counter() - t)
            new = joined["links"][0]
            t = time.perf_counter()
            post({"op": "split", "link": new["key"], "version": new["version"]})
            client.get("/api/links", params={"doc": NAME, "offset": max(0, pos - 20),
                                             "limit": 200}).raise_for_status()
            shapes.append(time.perf_counter() - t)
        result["edit_join_or_split_with_reload"] = ms(shapes)

        undos = []
        for _ in range(5):
            t = time.perf_counter()
            post({"view": "align"}, "/api/undo")
            client.get("/api/links", params={"doc": NAME, "limit": 200}).raise_for_status()
            undos.append(time.perf_counter() - t)
        result["undo_with_replay"] = ms(undos)
        t = time.perf_counter()
        client.get("/api/queue", params={"doc": NAME}).raise_for_status()
        result["queue_next_ms"] = round((time.perf_counter() - t) * 1000, 1)
        t = time.perf_counter()
        client.get("/api/search", params={"doc": NAME, "q": "Jerusalem"}).raise_for_status()
        result["search_ms"] = round((time.perf_counter() - t) * 1000, 1)
    finally:
        server.stop()
    return result


def measure_browser(out: Path) -> dict[str, Any]:
    from playwright.sync_api import sync_playwright

    result: dict[str, Any] = {}
    # A fresh server started as `bitext review` starts it (reading the first
    # document in the background), and a browser opened at once, as the command does.
    server = Server(out, prewarm=True)
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=[
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--no-first-run", "--disable-sync"])
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            t0 = time.perf_counter()
            page.goto(server.url + "/")
            page.wait_for_selector("body[data-ready=true]", timeout=60000)
            result["open_browser_s"] = round(time.perf_counter() - t0, 3)
            most = 0
            t0 = time.perf_counter()
            for _ in range(40):
                page.evaluate("() => { const b = document.getElementById('links');"
                              " b.scrollTop = b.scrollHeight; }")
                page.wait_for_timeout(100)
                most = max(most, page.evaluate(
                    "() => document.querySelectorAll('#links .link').length"))
            result["scroll_40_screens_s"] = round(time.perf_counter() - t0, 2)
            result["most_rows_in_page"] = most
            result["last_row_reached"] = page.evaluate(
                "() => Number(document.querySelector('#links .link:last-child').dataset.pos)")
            browser.close()
    finally:
        server.stop()
    return result


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--lines", type=int, default=30000, help="English lines (default 30000)")
    ap.add_argument("--encoder", default="gold",
                    help="how to make the alignment: 'gold' (the verse beads, seconds; "
                         "default), or an encoder name such as 'length' or 'use' to run "
                         "the aligner (minutes)")
    ap.add_argument("--out", type=Path, default=RESULTS)
    ap.add_argument("--rebuild", action="store_true", help="align again even if --out exists")
    ap.add_argument("--edits", type=int, default=100, help="accepts to time (default 100)")
    ap.add_argument("--no-browser", action="store_true", help="skip the Chromium measures")
    args = ap.parse_args(argv)

    out = args.out / f"{args.lines}-{args.encoder}"
    result: dict[str, Any] = {"lines_en": args.lines,
                              "load_average": [round(x, 2) for x in os.getloadavg()]}
    if args.rebuild or not (out / f"{NAME}.jsonl").is_file():
        if not args.data.is_dir():
            sys.exit(f"error: no Bible data at {args.data}; pass --data")
        t0 = time.perf_counter()
        build(args.data, args.lines, args.encoder, out)
        result["setup_align_s"] = round(time.perf_counter() - t0, 1)
    for stale in out.glob("review.sqlite*"):
        stale.unlink()  # every run starts with no decisions
    result.update(measure_api(out, args.edits))
    if not args.no_browser and Path(CHROMIUM).is_file():
        try:
            result.update(measure_browser(out))
        except ImportError:
            result["browser"] = "playwright not installed"
    for stale in out.glob("review.sqlite*"):
        stale.unlink()
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
