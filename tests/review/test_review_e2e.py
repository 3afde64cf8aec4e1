"""End to end in a real headless Chromium: the translator's and the terminologist's
work, by keyboard, against ``bitext review`` running as a command.

Needs Playwright's Python package and Debian's chromium (``.ci/run`` installs it);
skips with the reason otherwise. Screenshots of both views go to
``out/review-screenshots/`` (git-ignored).
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.parse
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from review_helpers import NAME, XSS_EN, XSS_ZH, Built

from bitext.cli import main

CHROMIUM = Path(os.environ.get("BITEXT_CHROMIUM", "/usr/bin/chromium"))
SHOTS = Path(__file__).resolve().parents[2] / "out" / "review-screenshots"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run", "--disable-sync"]

playwright_api = pytest.importorskip(
    "playwright.sync_api", reason="Playwright is not installed: pip install playwright")
if not CHROMIUM.is_file():
    pytest.skip(f"no Chromium at {CHROMIUM} (apt-get install chromium)", allow_module_level=True)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield browser
        browser.close()


class Server:
    def __init__(self, out: Path) -> None:
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "bitext", "review", str(out), "--port", "0", "--no-browser",
             "--reviewer", "Li Na"],
            stderr=subprocess.PIPE, text=True, env=env)
        assert self.proc.stderr is not None
        for line in self.proc.stderr:
            match = re.search(r"(http://\S+)", line)
            if match:
                self.url = match.group(1)
                break
        else:
            raise RuntimeError("bitext review did not start")
        self._wait_listening()

    def _wait_listening(self, timeout: float = 30.0) -> None:
        """The command prints its URL once the port is bound; uvicorn starts listening
        on it a moment later, and until then a connection is refused."""
        parts = urllib.parse.urlsplit(self.url)
        deadline = time.monotonic() + timeout
        while True:
            try:
                with socket.create_connection((parts.hostname, parts.port), timeout=1):
                    return
            except ConnectionRefusedError:
                if self.proc.poll() is not None or time.monotonic() > deadline:
                    raise
                time.sleep(0.02)

    def kill(self) -> None:
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()

    def stop(self) -> None:
        """Ctrl-C, as a user stops it; killed if it has not ended within 10 s."""
        self.proc.send_signal(signal.SIGINT)
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.kill()


@pytest.fixture
def server(built: Built) -> Iterator[Server]:
    server = Server(built.out)
    yield server
    if server.proc.poll() is None:
        server.stop()


def open_page(browser: Any, url: str, alerts: list[str]) -> Any:
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    page.on("dialog", lambda d: (alerts.append(d.message), d.dismiss()))
    page.goto(url)
    page.wait_for_selector("body[data-ready=true]")
    return page


def wait_focus_on(page: Any, text: str) -> None:
    page.wait_for_function(
        "t => (document.querySelector('.link.focus') || {}).textContent?.includes(t)", arg=text)


def press_and_wait_render(page: Any, key: str) -> None:
    """Press a key whose action ends by drawing the links anew (a queue step, a jump)
    and wait until it has: the links on screen before are then gone. A condition on
    the focus alone can hold before the key acts (the queue may land on the link
    already in focus), and keys pressed meanwhile act on the view the step then
    replaces."""
    before = page.locator(".link.focus").element_handle()
    page.keyboard.press(key)
    page.wait_for_function("row => !row.isConnected", arg=before)


def focused_texts(page: Any) -> tuple[list[str], list[str]]:
    row = page.locator(".link.focus")
    return (row.locator(".cell.left .sent").all_text_contents(),
            row.locator(".cell.right .sent").all_text_contents())


def test_the_page_loads_without_a_failed_request(browser: Any, server: Server) -> None:
    """Every request the page makes is answered (a 404 for the browser's icon showed
    as an error in the console of every session), and the page logs no error."""
    failed: list[str] = []
    errors: list[str] = []
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    page.on("response", lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400
            else None)
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(server.url)
    page.wait_for_selector("body[data-ready=true]")
    page.wait_for_load_state("networkidle")
    page.close()
    assert failed == [] and errors == []


def test_translator_fixes_a_misaligned_link_by_keyboard(browser: Any, server: Server,
                                                        built: Built) -> None:
    alerts: list[str] = []
    page = open_page(browser, server.url, alerts)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "alignment-start.png"))
    assert "0 reviewed" in page.locator("#counts").text_content()

    press_and_wait_render(page, "n")  # the queue: lowest confidence first
    wait_focus_on(page, built.moved_en)
    left, right = focused_texts(page)
    assert left == [built.wrong_zh] and right[-1] == built.moved_en

    for _ in range(3):  # h/l walk the link's sentences: zh first, then en
        page.keyboard.press("l")
    assert page.locator(".sent.selected").text_content() == built.moved_en
    page.keyboard.press("]")  # the last English sentence belongs to the next link
    page.wait_for_function("() => document.querySelectorAll('.link.status-changed').length >= 2")
    fixed = page.locator(".link.status-changed").nth(1)
    assert fixed.locator(".cell.left .sent").all_text_contents() == [built.orphan_zh]
    assert fixed.locator(".cell.right .sent").all_text_contents() == [built.moved_en]

    page.keyboard.press("u")  # undo brings the error back ...
    page.wait_for_function("() => document.querySelectorAll('.link.status-changed').length === 0")
    # The undo left the focus on this link already: wait for the queue step itself.
    press_and_wait_render(page, "n")
    wait_focus_on(page, built.moved_en)
    for _ in range(3):
        page.keyboard.press("l")
    assert page.locator(".sent.selected").text_content() == built.moved_en
    page.keyboard.press("]")  # ... and the fix again
    page.wait_for_function("() => document.querySelectorAll('.link.status-changed').length >= 2")
    page.keyboard.press("j")
    page.keyboard.press("a")
    page.wait_for_function(
        "() => /^2 reviewed/.test(document.getElementById('counts').textContent)")
    page.screenshot(path=str(SHOTS / "alignment.png"))

    page.keyboard.press("?")
    assert page.locator("#help").is_visible()
    assert "join the link with the next one" in page.locator("#help").text_content()
    page.keyboard.press("Escape")

    # markup in a segment is shown as text, never run
    page.keyboard.press("/")
    page.keyboard.type("onerror")
    page.keyboard.press("Enter")
    wait_focus_on(page, XSS_EN)
    left, right = focused_texts(page)
    assert left == [XSS_ZH] and right == [XSS_EN]
    assert page.locator("#links img, #links script, #search-results img").count() == 0
    assert alerts == []

    # reload: the decisions are still there
    page.reload()
    page.wait_for_selector("body[data-ready=true]")
    assert "2 reviewed" in page.locator("#counts").text_content()
    page.keyboard.press("/")
    page.keyboard.type(built.orphan_zh[:12])
    page.keyboard.press("Enter")
    wait_focus_on(page, built.orphan_zh)
    left, right = focused_texts(page)
    assert left == [built.orphan_zh] and right == [built.moved_en]
    # read through up to here: the links before, not yet seen, become reviewed
    page.keyboard.press("R")
    page.wait_for_function(
        "() => document.querySelectorAll('.link.status-reviewed').length >= 1")
    assert "marked reviewed" in page.locator("#message").text_content()
    page.close()

    # a kill leaves a sound database with every decision
    server.kill()
    conn = sqlite3.connect(built.out / "review.sqlite")
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    ops = [row[0] for row in conn.execute(
        "SELECT op FROM events WHERE undone_at IS NULL ORDER BY id")]
    conn.close()
    assert ops == ["move", "accept", "reviewed"]


def test_terminologist_decides_terms_and_exports(browser: Any, server: Server, built: Built,
                                                 tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    alerts: list[str] = []
    page = open_page(browser, server.url + "#terms", alerts)
    page.wait_for_selector(".concept.focus")
    first = page.locator(".concept").nth(0)
    second = page.locator(".concept").nth(1)
    third = page.locator(".concept").nth(2)
    first_zh = first.locator(".terms.left .term.preferred").text_content()
    second_en = second.locator(".terms.right .term.preferred").text_content()
    assert first.locator("mark").count() > 0  # the terms are highlighted in the examples

    page.keyboard.press("a")  # accept, and on to the next
    page.wait_for_selector(".concept.status-accepted")
    page.keyboard.press("r")  # reject the second
    page.wait_for_selector(".concept.status-rejected")
    page.keyboard.press("E")  # correct the English term of the third
    page.wait_for_selector("#ask[open]")
    page.locator("#ask-input").fill("a corrected <b>term</b>")
    page.keyboard.press("Enter")
    page.wait_for_function(
        "() => document.querySelectorAll('.concept')[2].querySelector('.term.edited') !== null")
    assert third.locator(".terms.right .term.preferred").text_content() == \
        "a corrected <b>term</b>"
    page.keyboard.press("a")
    page.wait_for_function("() => /^2 accepted · 1 rejected/.test("
                           "document.getElementById('counts').textContent)")
    page.screenshot(path=str(SHOTS / "glossary.png"))

    page.locator("#export").click()
    page.wait_for_function(
        "() => /Exported/.test(document.getElementById('message').textContent)")
    folder = built.out / "reviewed"
    tbx, tmx = folder / f"{NAME}.reviewed.tbx", folder / f"{NAME}.reviewed.tmx"
    for path in (tbx, tmx):
        main(["validate", str(path)])  # exits 1 on any problem
    assert "valid" in capsys.readouterr().out
    text = tbx.read_text(encoding="utf-8")
    assert "a corrected &lt;b&gt;term&lt;/b&gt;" in text
    assert re.search(re.escape(first_zh) + r"</term>\s*<termNote[^>]*>[^<]*</termNote>\s*"
                     r"<termNote[^>]*>[^<]*</termNote>\s*"
                     r"<termNote type=\"administrativeStatus\">preferredTerm-admn-sts", text)
    assert re.search(re.escape(second_en) + r"</term>(?:\s*<termNote[^>]*>[^<]*</termNote>)*?"
                     r"\s*<termNote type=\"administrativeStatus\">deprecatedTerm-admn-sts", text)
    schemas = Path(__file__).resolve().parents[3] / "shared" / "schemas"
    if schemas.is_dir():
        from bitext.glossary.tbx import validate_tbx

        assert validate_tbx(tbx, schemas_dir=schemas) == []

    page.reload()
    page.wait_for_selector(".concept.focus")
    assert page.locator(".concept").nth(0).get_attribute("class").count("status-accepted") == 1
    assert page.locator(".concept.status-rejected").count() == 1
    assert alerts == []
    page.close()


def test_the_keyboard_goes_past_the_concepts_loaded_first(browser: Any, server: Server) -> None:
    """The glossary page loads 50 concepts, then more on *Show more*. A terminologist
    working by keyboard (``a``/``r`` decide and move on, ``j`` moves on) reaches the
    51st concept without the mouse: the page loads the next ones. Focus stopped
    on the 50th, where every further ``a`` decided it again and nothing said why."""
    page = open_page(browser, server.url + "#terms", [])
    page.wait_for_selector(".concept.focus")
    assert page.locator(".concept").count() == 50
    for _ in range(49):
        page.keyboard.press("j")
    page.wait_for_function("() => document.querySelector('.concept.focus')"
                           ".textContent.startsWith('#50')")
    page.keyboard.press("a")  # decides the 50th and moves on to the 51st
    page.wait_for_function("() => document.querySelector('.concept.focus')"
                           ".textContent.startsWith('#51')")
    page.keyboard.press("j")
    page.wait_for_function("() => document.querySelector('.concept.focus')"
                           ".textContent.startsWith('#52')")
    page.keyboard.press("r")
    page.wait_for_function("() => /^1 accepted · 1 rejected/.test("
                           "document.getElementById('counts').textContent)")
    page.close()


def test_a_reload_keeps_the_glossary_filter_and_the_concept_in_focus(browser: Any,
                                                                    server: Server) -> None:
    """A terminologist working through the concepts *to decide* (``f``) reloads
    the page: the filter came back as *all* while the place kept was a position
    in the filtered list, so the focus fell on another concept (one decided
    long before) and the next ``a`` decided it again (session 25, usertest25).
    The filter and the glossary's search now come back with the place."""
    page = open_page(browser, server.url + "#terms", [])
    page.wait_for_selector(".concept.focus")
    page.keyboard.press("f")  # all -> to decide
    page.wait_for_function("() => /to decide/.test(document.getElementById('counts').textContent)")
    for n in range(3):  # each decided concept leaves the filtered list
        page.keyboard.press("a")
        page.wait_for_function(f"() => /^{n + 1} accepted/.test("
                               "document.getElementById('counts').textContent)")
    before = page.locator(".concept.focus").text_content()
    assert before.startswith("#4")
    page.reload()
    page.wait_for_selector("body[data-ready=true]")
    page.wait_for_selector(".concept.focus")
    assert page.evaluate("() => document.getElementById('status-filter').value") == "candidate"
    assert page.locator(".concept.focus").text_content() == before
    page.keyboard.press("/")  # a search in the glossary comes back too
    page.keyboard.type(page.locator(".concept.focus .terms.left .term.preferred").text_content())
    page.keyboard.press("Enter")
    page.wait_for_function("() => /search/.test(document.getElementById('counts').textContent)")
    searched = page.locator(".concept.focus").text_content()
    page.reload()
    page.wait_for_selector("body[data-ready=true]")
    page.wait_for_selector(".concept.focus")
    assert page.locator(".concept.focus").text_content() == searched
    assert "search" in (page.text_content("#counts") or "")
    page.close()


def test_invisible_characters_are_shown_not_applied(browser: Any, built: Built) -> None:
    """A sentence kept as is (one sentence per line) may hold bidirectional controls
    and zero-width characters: the page shows each as its code instead of letting a
    U+202E draw the rest of the sentence backwards, and the text is not changed."""
    import json

    jsonl = built.out / f"{NAME}.jsonl"
    rows = [json.loads(line) for line in jsonl.read_text(encoding="utf-8").splitlines()]
    row = next(r for r in rows if r["en"])
    sentence = "Override \u202ebackwards\u202c here\u200b."
    row["en"][0] = sentence
    jsonl.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows),
                     encoding="utf-8")
    server = Server(built.out)
    try:
        page = open_page(browser, server.url, [])
        page.keyboard.press("/")
        page.keyboard.type("backwards")
        page.keyboard.press("Enter")
        wait_focus_on(page, "backwards")
        shown = page.locator(".link.focus .cell.right .sent").first
        assert shown.text_content() == "Override U+202EbackwardsU+202C hereU+200B."
        assert shown.locator(".invisible").all_text_contents() == ["U+202E", "U+202C", "U+200B"]
        raw = page.evaluate("() => /[\\u202a-\\u202e\\u200b]/.test("
                            "document.getElementById('links').textContent)")
        assert raw is False
        page.close()
    finally:
        server.stop()
    assert json.loads(jsonl.read_text(encoding="utf-8").splitlines()[rows.index(row)]
                      )["en"][0] == sentence


@pytest.fixture
def built_ar_en(tmp_path: Path) -> Path:
    """A small Arabic-English build (made-up text), aligned through the pivot."""
    corpus = tmp_path / "arcorpus"
    corpus.mkdir()
    (corpus / "ar.txt").write_text(
        "أولا - مقدمة\n\n1. يقدم هذا التقرير عملا تجريبيا للجنة.\n\n"
        "2. UNEP عقد اجتماعه في 2015 ووافق على الخطة.\n", encoding="utf-8")
    (corpus / "en.txt").write_text(
        "I. Introduction\n\n1. This report presents trial work to the Committee.\n\n"
        "2. UNEP held its meeting in 2015 and approved the plan.\n", encoding="utf-8")
    out = tmp_path / "arout"
    main(["-q", "build", str(corpus), "-o", str(out), "--encoder", "length"])
    return out


def test_arabic_text_is_laid_out_right_to_left(browser: Any, built_ar_en: Path) -> None:
    """Each side's text takes its language's direction (``dir`` from the language
    layer): an Arabic sentence was laid out left to right, which moves its final
    full stop and a leading Latin name or number to the wrong end of the line."""
    server = Server(built_ar_en)
    try:
        page = open_page(browser, server.url, [])
        page.wait_for_selector(".link .cell[lang=ar] .sent")
        direction = page.evaluate(
            "lang => getComputedStyle(document.querySelector(`.link .cell[lang=${lang}]`))"
            ".direction", "ar")
        assert direction == "rtl"
        assert page.evaluate(
            "() => getComputedStyle(document.querySelector('.link .cell[lang=en]')).direction"
        ) == "ltr"
        page.keyboard.press("/")  # search results show the text in its direction too
        page.keyboard.type("UNEP")
        page.keyboard.press("Enter")
        page.wait_for_selector("#search-results [lang=ar]")
        assert page.evaluate(
            "() => getComputedStyle(document.querySelector('#search-results [lang=ar]'))"
            ".direction") == "rtl"
        page.close()
    finally:
        server.stop()


def test_a_term_is_highlighted_in_the_forms_the_glossary_counts(
        browser: Any, server: Server) -> None:
    """A glossary example marked a Russian name inside a longer inflected word of
    which it is the start, and once that was stopped, no inflected form of a
    Russian term nor an Arabic one written with "لل" (li + al). The server marks
    the words the glossary counts as the term (the language layer's
    ``term_spans``) and sends them with each example, in the page's string units
    (UTF-16: a character outside the BMP is two); the page marks what it is sent."""
    from bitext.review.model import _marks

    page = open_page(browser, server.url, [])
    cases = [
        ["ru", "Совета по правам человека; Советская власть; Иван и Ивановской.",
         ["Совет по правам человека", "Иван"]],
        ["en", "\U0001d400 The Council and the Councillors (UNEP) met; UNEP2 did not.",
         ["council", "(UNEP)"]],
        # made-up: "and the council", "to the council", "and to the council" are the
        # term with a conjunction or preposition written on; "his council" is not
        ["ar", "قال المجلس، ومجلسه لا، والمجلس وبالمجلس للمجلس ومجلس.", ["المجلس"]],
        ["zh", "安全理事会的理事会议", ["理事会"]],
    ]
    marked = page.evaluate("""(cases) => cases.map(([text, marks]) => Array.from(
            highlight(text, marks).querySelectorAll("mark"), (m) => m.textContent))""",
                           [[text, _marks(text, terms, lang)] for lang, text, terms in cases])
    assert marked == [["Совета по правам человека", "Иван"], ["Council", "(UNEP)"],
                      ["المجلس", "والمجلس", "وبالمجلس", "للمجلس", "ومجلس"],
                      ["理事会", "理事会"]]
    page.close()


def test_escape_closes_the_search_results_and_gives_the_focus_back(
        browser: Any, server: Server) -> None:
    """The search results stayed open after Escape until "close" was clicked. Escape
    closes them as it closes the dialogs, one thing at a time (an open dialog first),
    and the focus goes back to where the user was before searching (the links),
    whether it was then on the page, on a result clicked or in the search box."""
    page = open_page(browser, server.url, [])
    page.wait_for_function("() => document.activeElement.id === 'links'")
    results = page.locator("#search-results")
    after_search = [lambda: None,
                    lambda: page.locator("#search-results .hit").first.click(),
                    lambda: page.keyboard.press("/"),
                    # the element it came from can no longer take the focus: Chromium
                    # may leave it a moment on the button of the help just closed
                    lambda: page.evaluate("() => { $('search').focus();"
                                          " S.searchFrom = $('help-close'); }")]
    for then in after_search:
        page.keyboard.press("/")
        page.keyboard.press("Control+A")  # the last search's words are still there
        page.keyboard.type("onerror")
        page.keyboard.press("Enter")
        page.wait_for_selector("#search-results .hit")
        wait_focus_on(page, XSS_EN)
        page.keyboard.press("?")  # a dialog over the results: Escape closes it first
        page.wait_for_selector("#help[open]")
        page.keyboard.press("Escape")
        page.wait_for_selector("#help:not([open])", state="attached")
        assert results.is_visible()
        then()
        page.keyboard.press("Escape")
        page.wait_for_selector("#search-results", state="hidden")
        assert page.evaluate("() => document.activeElement.id") == "links"
    page.close()


def test_enter_on_a_focused_button_presses_it(browser: Any, server: Server,
                                              built: Built) -> None:
    """Keyboard only, Tab to *Export* and Enter exported nothing: the page's Enter
    (accept the link, next in the queue) took the key from the button and
    accepted a link instead. On a button, Enter and Space are the button's."""
    page = open_page(browser, server.url, [])
    page.wait_for_function("() => document.activeElement.id === 'links'")
    for _ in range(40):  # Tab, as a keyboard user reaches it
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.id") == "export":
            break
    assert page.evaluate("() => document.activeElement.id") == "export"
    page.keyboard.press("Enter")
    page.wait_for_function(
        "() => /Exported/.test(document.getElementById('message').textContent)")
    assert (built.out / "reviewed" / f"{NAME}.reviewed.tmx").is_file()
    assert page.locator("#counts").text_content().startswith("0 reviewed")  # none accepted
    page.close()


def focus_is(page: Any, selector: str, text: str) -> None:
    page.wait_for_function(
        "([s, t]) => (document.querySelector(s) || {}).textContent?.startsWith(t)",
        arg=[selector, text])


def link_focus_is(page: Any, pos: str) -> None:
    page.wait_for_function("p => document.querySelector('.link.focus')?.dataset.pos === p",
                           arg=pos)


def counts_start(page: Any, text: str) -> None:
    page.wait_for_function("t => document.getElementById('counts').textContent.startsWith(t)",
                           arg=text)


def test_undo_shows_what_it_undid(browser: Any, server: Server) -> None:
    """`u` after moving on took the decision back somewhere off the reviewer's
    view: the page said "Undone: accept." and kept the focus where it was, so
    the reviewer saw nothing change. It now goes to the link or concept undone."""
    page = open_page(browser, server.url, [])
    page.keyboard.press("j")
    accepted = "1"
    page.wait_for_function("p => document.querySelector('.link.focus').dataset.pos === p",
                           arg=accepted)
    page.keyboard.press("a")
    counts_start(page, "1 reviewed")
    for _ in range(4):
        page.keyboard.press("j")
    page.wait_for_function("p => document.querySelector('.link.focus').dataset.pos !== p",
                           arg=accepted)
    page.keyboard.press("u")
    counts_start(page, "0 reviewed")
    page.wait_for_function("p => document.querySelector('.link.focus').dataset.pos === p",
                           arg=accepted)

    page.keyboard.press("g")
    focus_is(page, ".concept.focus", "#1")
    page.keyboard.press("a")  # decides #1 and moves on
    focus_is(page, ".concept.focus", "#2")
    page.keyboard.press("j")
    page.keyboard.press("j")
    focus_is(page, ".concept.focus", "#4")
    page.keyboard.press("u")
    counts_start(page, "0 accepted")
    focus_is(page, ".concept.focus", "#1")
    page.close()


def test_a_reload_keeps_the_reviewers_place(browser: Any, server: Server) -> None:
    """A reviewer deep in a long document who reloads the page (or whose browser
    restores the tab) was put back on the first link and the first concept: the
    place is kept for the tab, per document and view."""
    page = open_page(browser, server.url, [])
    for _ in range(7):
        page.keyboard.press("j")
    link_focus_is(page, "7")
    page.reload()
    page.wait_for_selector("body[data-ready=true]")
    link_focus_is(page, "7")
    page.keyboard.press("g")
    focus_is(page, ".concept.focus", "#1")
    page.keyboard.press("j")
    page.keyboard.press("j")
    focus_is(page, ".concept.focus", "#3")
    page.reload()
    page.wait_for_selector("body[data-ready=true]")
    focus_is(page, ".concept.focus", "#3")
    page.keyboard.press("g")  # and the alignment's place is still its own
    link_focus_is(page, "7")
    page.close()


def test_a_search_in_one_view_does_not_filter_the_other(browser: Any, server: Server,
                                                        built: Built) -> None:
    """The search box serves both views: a sentence searched in the alignment
    (ar-zh, `/` + Enter, Esc) stayed in the box, and the glossary then listed
    only the concepts matching it, one, under counts of every concept ("4 to
    decide of 4"), with nothing saying a search was on; `a` then `r` decided
    that one concept twice. Each view keeps its own search, and a filtered
    list says how many it shows."""
    page = open_page(browser, server.url, [])
    page.keyboard.press("/")
    page.keyboard.type(built.orphan_zh[:12])
    page.keyboard.press("Enter")
    wait_focus_on(page, built.orphan_zh)
    page.keyboard.press("Escape")
    page.keyboard.press("g")
    page.wait_for_selector(".concept.focus")
    assert page.locator(".concept").count() == 50
    assert page.locator("#search").input_value() == ""
    first = page.locator(".concept.focus .term.preferred").first.text_content()
    page.keyboard.press("/")
    page.keyboard.type(first)
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.querySelectorAll('.concept').length < 50")
    shown = page.locator(".concept").count()
    assert f"{shown} shown" in page.locator("#counts").text_content()
    page.keyboard.press("g")
    page.wait_for_selector(".link.focus")
    assert page.locator("#search").input_value() == built.orphan_zh[:12]
    page.keyboard.press("g")
    page.wait_for_function("n => document.querySelectorAll('.concept').length === n", arg=shown)
    assert page.locator("#search").input_value() == first
    page.close()


def test_the_queue_keeps_below_a_confidence_by_keyboard(browser: Any, server: Server) -> None:
    """`b`, a confidence, Enter: `n` and Enter then go through the links below it
    only, and the page says when none is left."""
    page = open_page(browser, server.url, [])
    low = page.evaluate("""async () => {
        const r = await fetch('/api/links?doc=' + encodeURIComponent(
            document.getElementById('doc').value) + '&offset=0&limit=1000');
        return (await r.json()).links.filter(l => l.score < 0.5).length; }""")
    assert low > 0
    page.keyboard.press("b")
    assert page.evaluate("() => document.activeElement.id") == "queue-below"
    page.keyboard.type("0.5")
    page.keyboard.press("Enter")  # the first link below it
    page.wait_for_function("() => document.activeElement.id === 'links'")
    page.wait_for_function("() => /below 0.5/.test(document.getElementById('counts').textContent)")
    for done in range(1, low + 1):
        page.wait_for_selector(".link.focus.status-unreviewed")  # the queue's step done
        page.keyboard.press("Enter")  # accept, and the next below 0.5
        counts_start(page, f"{done} reviewed")
    page.wait_for_function("() => /Nothing left below 0.5/.test("
                           "document.getElementById('message').textContent)")
    assert "0 below 0.5" in page.locator("#counts").text_content()
    page.close()


def test_a_reload_stays_on_the_document_chosen(browser: Any, tmp_path: Path) -> None:
    """A six-language build is one document a pair in the workbench: a reviewer
    on the third pair who reloaded was taken back to the first (the page opened
    the first unless the address named one, and choosing one did not name it)."""
    corpus = tmp_path / "three"
    corpus.mkdir()
    body = {"en": ("I. Introduction", "This report presents trial work to the Committee.",
                   "The Committee approved the plan."),
            "fr": ("I. Introduction", "Le présent rapport présente un travail d'essai au "
                   "Comité.", "Le Comité a approuvé le plan."),
            "es": ("I. Introducción", "El presente informe presenta un trabajo de prueba "
                   "al Comité.", "El Comité aprobó el plan.")}
    for lang, (head, one, two) in body.items():
        (corpus / f"{lang}.txt").write_text(f"{head}\n\n1. {one}\n\n2. {two}\n", encoding="utf-8")
    out = tmp_path / "out"
    main(["-q", "build", str(corpus), "-o", str(out), "--encoder", "length", "--no-glossary"])
    server = Server(out)
    try:
        page = open_page(browser, server.url, [])
        docs = page.evaluate("() => [...document.querySelectorAll('#doc option')]"
                             ".map(o => o.value)")
        assert len(docs) == 2
        page.select_option("#doc", docs[1])
        page.wait_for_function("() => document.querySelector('.link.focus .cell.left')?.lang"
                               " === 'fr'")
        page.focus("#links")
        page.keyboard.press("j")
        link_focus_is(page, "1")
        page.reload()
        page.wait_for_selector("body[data-ready=true]")
        assert page.locator("#doc").input_value() == docs[1]
        page.wait_for_function("() => document.querySelector('.link.focus .cell.left')?.lang"
                               " === 'fr'")
        link_focus_is(page, "1")
        page.close()
    finally:
        server.stop()


def test_an_address_naming_a_document_no_longer_there_says_so(browser: Any,
                                                               tmp_path: Path) -> None:
    """A bookmark or an old tab with ?doc= naming a document the review does not
    hold (rebuilt elsewhere, renamed) opened the first document without a word,
    and an id an earlier version gave a document (its folder, then its name
    again: 2015/52/52) did too (session 23). An old id now opens its document;
    an unknown one opens the first and says which was asked for."""
    corpus = tmp_path / "tree" / "2015" / "52"
    corpus.mkdir(parents=True)
    for lang, head, one in (("en", "I. Introduction", "The Committee approved the plan."),
                            ("fr", "I. Introduction", "Le Comité a approuvé le plan.")):
        (corpus / f"{lang}.txt").write_text(f"{head}\n\n1. {one}\n", encoding="utf-8")
    (tmp_path / "tree" / "2016").mkdir()
    shutil.copytree(corpus, tmp_path / "tree" / "2016" / "7")
    out = tmp_path / "out"
    main(["-q", "build", str(tmp_path / "tree"), "-o", str(out), "--encoder", "length",
          "--no-glossary", "--no-corpus", "--jobs", "1"])
    server = Server(out)
    try:
        page = open_page(browser, server.url, [])
        docs = page.evaluate("() => [...document.querySelectorAll('#doc option')]"
                             ".map(o => o.value)")
        assert docs == ["2015/52", "2016/7"]
        page.close()
        old = urllib.parse.urljoin(server.url, "/?doc=" + urllib.parse.quote("2016/7/7"))
        page = open_page(browser, old, [])
        assert page.locator("#doc").input_value() == "2016/7"
        assert "doc=2016%2F7" in page.url or "doc=2016/7" in page.url
        page.close()
        gone = urllib.parse.urljoin(server.url, "/?doc=" + urllib.parse.quote("2014/9"))
        page = open_page(browser, gone, [])
        assert page.locator("#doc").input_value() == "2015/52"
        message = page.locator("#message").text_content() or ""
        assert "2014/9" in message and "2015/52" in message, message
        page.close()
    finally:
        server.stop()


def test_leaving_with_a_correction_half_typed_asks_first(browser: Any, server: Server) -> None:
    """A reviewer typing a term's correction (`E`) who reloaded the page lost the
    text without a word: the page now asks first (the browser's own "leave the
    page?"), and only while a changed correction is open."""
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    asked: list[str] = []
    page.on("dialog", lambda d: (asked.append(d.type), d.dismiss()))
    page.goto(server.url + "#terms")
    page.wait_for_selector("body[data-ready=true]")
    page.wait_for_selector(".concept.focus")
    page.keyboard.press("E")
    page.wait_for_function("() => document.getElementById('ask').open")
    page.keyboard.type("councils")
    page.evaluate("() => { window.stillHere = true; }")
    with page.expect_event("dialog"):
        page.evaluate("() => { setTimeout(() => location.reload(), 0); }")
    assert asked == ["beforeunload"]
    assert page.evaluate("() => window.stillHere === true")  # dismissed: the page stays
    assert page.locator("#ask-input").input_value() == "councils"
    page.keyboard.press("Escape")  # closed: nothing to lose, no question
    page.wait_for_function("() => !document.getElementById('ask').open")
    page.reload()
    page.wait_for_selector("body[data-ready=true]")
    assert asked == ["beforeunload"]
    page.close()


def test_a_right_to_left_term_list_is_spaced_as_a_left_to_right_one(
        browser: Any, server: Server) -> None:
    """In an Arabic concept head each count stood glued to the next variant
    (``5×للأمم``, reading as the variant's count): the variant's gap and the
    count's were physical left margins, which in a right-to-left box fall on the
    far side. Mirrored, the gaps must be the same as in a left-to-right box."""
    page = open_page(browser, server.url, [])
    gaps = page.evaluate("""() => {
        S.termLangs = ["ar", "en"];
        Object.assign(S.dirs, { ar: "rtl", en: "ltr" });
        const terms = (a, b) => [{ text: a, freq: 5 }, { text: b, freq: 1 }];
        const card = renderConcept({
            key: "k", status: "candidate", rank: 1, score: 0.5, rank_score: 0.5, cooc: 1,
            terms: { ar: terms("مجلس الأمن", "لمجلس الأمن"), en: terms("council", "councils") },
            edited: [], proposed: {}, note: "", merged_from: [], examples: [] }, -1);
        document.body.appendChild(card);
        const out = {};
        for (const box of card.querySelectorAll(".terms")) {
            const rtl = getComputedStyle(box).direction === "rtl";
            const r = Array.from(box.children, (n) => n.getBoundingClientRect());
            // term, its count, variant, its count: the gap before each, reading order
            out[box.lang] = [1, 2, 3].map((i) => Math.round(
                rtl ? r[i - 1].left - r[i].right : r[i].left - r[i - 1].right));
        }
        card.remove();
        return out;
    }""")
    assert gaps["en"][1] > gaps["en"][0] >= 0  # a variant stands further off than a count
    assert gaps["ar"] == gaps["en"], gaps
    # The dotted line between two sentences of one link: on the side facing the
    # sentence before, which in Arabic is the right.
    sides = page.evaluate("""() => ["rtl", "ltr"].map((dir) => {
        const cell = el("div", "cell left");
        cell.dir = dir;
        cell.append(el("span", "sent", "أ."), el("span", "sent", "ب."));
        document.querySelector(".link").appendChild(cell);
        const style = getComputedStyle(cell.children[1]);
        const found = [style.borderRightStyle, style.borderLeftStyle];
        cell.remove();
        return found;
    })""")
    assert sides == [["dotted", "none"], ["none", "dotted"]]
    page.close()


def test_a_typed_term_the_text_does_not_hold_says_why_it_counts_none(
        browser: Any, server: Server) -> None:
    """usertest27 (sessions 27-28, a terminologist's walk): an edited term showed
    '×0' with nothing to say that the count is of the document, where the form as
    typed (a corrected or canonical form) does not occur. Its count now says so,
    and a term the text holds says what its count is."""
    page = open_page(browser, server.url, [])
    titles = page.evaluate("""() => {
        S.termLangs = ["zh", "en"];
        const card = renderConcept({
            key: "k", status: "candidate", rank: 1, score: 0.5, rank_score: 0.5, cooc: 1,
            terms: { zh: [{ text: "甲乙丙", freq: 4 }],
                     en: [{ text: "alpha beta (edited)", freq: 0 },
                          { text: "alpha beta", freq: 3 }] },
            edited: ["en"], proposed: { en: "alpha beta" }, note: "", merged_from: [],
            examples: [] }, -1);
        document.body.appendChild(card);
        const out = Array.from(card.querySelectorAll(".freq"), (n) => [n.textContent, n.title]);
        card.remove();
        return out;
    }""")
    assert [t[0] for t in titles] == ["×4", "×0", "×3"]
    assert "4 times in the document" in titles[0][1]
    assert "not in the document as typed" in titles[1][1]
    page.close()


def test_undo_in_a_tab_takes_back_that_tabs_change(browser: Any, server: Server) -> None:
    """One reviewer with the same review open in two tabs: `u` in the first tab
    took back the accept just made in the second (undo went by name, so both
    tabs shared one history), and the first tab's own change stayed. Each page
    now has its own history: `u` undoes what this tab did, and the other tab's
    change stays."""
    first = open_page(browser, server.url, [])
    second = open_page(browser, server.url, [])
    first.keyboard.press("j")
    link_focus_is(first, "1")
    first.keyboard.press("a")
    counts_start(first, "1 reviewed")
    for _ in range(3):
        second.keyboard.press("j")
    link_focus_is(second, "3")
    second.keyboard.press("a")
    counts_start(second, "2 reviewed")
    first.keyboard.press("j")
    first.keyboard.press("u")
    first.wait_for_function("() => /Undone/.test(document.getElementById('message')"
                            ".textContent)")
    link_focus_is(first, "1")
    first.reload()
    first.wait_for_selector("body[data-ready=true]")
    counts_start(first, "1 reviewed")
    assert first.locator('.link[data-pos="3"]').get_attribute("class").split().count(
        "status-accepted") == 1
    assert "status-accepted" not in first.locator('.link[data-pos="1"]').get_attribute("class")
    first.close()
    second.close()


def test_element_ids_are_unique_in_both_views(browser: Any, server: Server) -> None:
    """Every element id of the page appears once, in the alignment and in the
    glossary view (a repeated id is invalid HTML, and breaks label/for,
    aria references and getElementById), and each label's control exists."""
    page = open_page(browser, server.url, [])
    script = """() => {
      const ids = [...document.querySelectorAll('[id]')].map(e => e.id);
      const twice = ids.filter((id, i) => ids.indexOf(id) !== i);
      const refs = [...document.querySelectorAll('label[for], [aria-labelledby]')]
        .map(e => e.getAttribute('for') || e.getAttribute('aria-labelledby'))
        .filter(id => !document.getElementById(id));
      return [twice, refs];
    }"""
    assert page.evaluate(script) == [[], []]
    page.keyboard.press("g")
    focus_is(page, ".concept.focus", "#1")
    assert page.evaluate(script) == [[], []]
    page.close()


def test_the_export_button_shows_the_accepted_only_warning(browser: Any, server: Server,
                                                          built: Built) -> None:
    """'accepted only' and *Export* before any decision wrote files holding no
    link and said 'Exported 9 files' (usertest26; the command line warned
    since 7445e1f): the page says the files hold none, and the message stays
    until the next one, as an error does."""
    page = open_page(browser, server.url, [])
    page.locator("#accepted-only").check()
    page.locator("#export").click()
    page.wait_for_function(
        "() => /Exported/.test(document.getElementById('message').textContent)")
    message = page.locator("#message")
    assert "no link" in message.text_content() and "warning" in message.get_attribute("class")
    page.wait_for_timeout(4500)  # an info message is gone after 4 s
    assert "no link" in message.text_content()
    page.close()


def test_the_queue_keeps_to_the_one_sided_links_by_keyboard(browser: Any, server: Server,
                                                           built: Built) -> None:
    """`0` keeps the queue to the links with no counterpart on one side (1-0,
    0-1), whatever their confidence, and the counts say how many are left: the
    confidence queue reached a one-sided link scoring 0.77 only after every
    link below it (usertest26). Enter accepts it and goes on; the page says
    when none is left, and `0` again gives the whole queue back."""
    page = open_page(browser, server.url, [])
    page.wait_for_function("() => document.activeElement.id === 'links'")
    page.keyboard.press("0")
    page.wait_for_function("() => /1 one-sided to review/.test("
                           "document.getElementById('counts').textContent)")
    assert built.orphan_zh in page.locator(".link.focus").text_content()
    assert page.locator("#queue-one-sided").is_checked()
    page.keyboard.press("Enter")
    page.wait_for_function("() => /No link with an empty side/.test("
                           "document.getElementById('message').textContent)")
    assert "0 one-sided to review" in page.locator("#counts").text_content()
    page.keyboard.press("0")
    page.wait_for_function("() => !/one-sided/.test(document.getElementById('counts').textContent)")
    assert not page.locator("#queue-one-sided").is_checked()
    page.close()
