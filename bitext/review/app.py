"""The review web app: a JSON API over :class:`~bitext.review.workbench.Workbench`
and the static page that drives it.

Security, in the order a request meets it:

* **Host check**: only the names the server was started for (DNS rebinding
  cannot reach a loopback server under another name).
* **Access token** (required when the server listens beyond loopback): given
  once as ``?token=`` in the start-up URL, then kept in an HttpOnly,
  SameSite=Strict cookie.
* **Writes are POST only**, with a JSON body, the per-process CSRF token in the
  ``X-CSRF-Token`` header (the page reads it from its own ``<meta>``), and an
  ``Origin`` that, when sent, is the server's own. A cross-site form cannot set
  the header, and a cross-site script cannot read the token.
* **No path from the client** reaches the file system: documents are named by
  ids looked up in the list found at start-up, exports go to the folder fixed
  at start-up, static files come from the package folder through Starlette.
* **Content-Security-Policy** without inline scripts; the page inserts every
  document text with ``textContent``.
"""

from __future__ import annotations

import hmac
import json
import logging
import math
import secrets
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bitext.errors import BitextError
from bitext.fileio.read import surrogate_at
from bitext.languages import find_language
from bitext.review.db import StoreError
from bitext.review.model import Conflict, ReviewError
from bitext.review.workbench import Workbench

log = logging.getLogger(__name__)

STATIC = Path(__file__).with_name("static")
# Pages of links and concepts the client asks for at once; a cap keeps one
# request from serialising a whole 30,000-link document.
MAX_PAGE = 500
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "connect-src 'self'; form-action 'none'; frame-ancestors 'none'; base-uri 'none'")
TOKEN_COOKIE = "bitext_review_token"
# Largest request body read (bytes). A body carries one edit: ids, hashes and at
# most one sentence's or term's text, a few KB; 1 MiB is some 300,000 CJK
# characters, far above any sentence, and keeps a hostile body out of memory.
MAX_BODY = 1 << 20


class TooLarge(ReviewError):
    """A request body above :data:`MAX_BODY` (answered 413)."""


class _NotANumber(ValueError):
    """NaN, Infinity or a number beyond a float's range in a request body."""


def _no_constant(name: str) -> Any:
    raise _NotANumber(f"{name} is not a JSON number")


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise _NotANumber(f"{text[:20]} is beyond a number's range")
    return value


def _reason(err: BaseException) -> str:
    if isinstance(err, _NotANumber):
        return str(err)
    if isinstance(err, RecursionError):
        return "nested too deep"
    if isinstance(err, UnicodeDecodeError):
        return "not UTF-8"
    if isinstance(err, json.JSONDecodeError):
        return f"{err.msg} at character {err.pos + 1}"
    return "a number too long"  # int(): past sys.get_int_max_str_digits()


def _directions(langs: list[str] | tuple[str, ...]) -> dict[str, str]:
    """Each language's writing direction for the page's ``dir`` attributes: ``rtl``
    or ``ltr`` from the language layer, ``auto`` (the browser decides by the
    text's first letter) for a code bitext does not know. (Where a glossary
    example holds its terms, the server finds: ``TermEntry`` examples' marks.)"""
    out = {}
    for lang in langs:
        known = find_language(lang)
        out[lang] = "auto" if known is None else "rtl" if known.right_to_left else "ltr"
    return out


def _int(value: str | None, default: int, lo: int = 0, hi: int = 10**9) -> int:
    if value is None:
        return default
    try:
        return max(lo, min(hi, int(value)))
    except ValueError as err:
        # quoted cut short: a parameter may be thousands of characters
        shown = value if len(value) <= 40 else f"{value[:20]}... ({len(value)} characters)"
        raise ReviewError(f"expected a whole number, got {shown!r}") from err


def _score(value: str | None) -> float | None:
    """A confidence bound from the page (the queue's "below"); none when empty."""
    if value is None or not value.strip():
        return None
    try:
        score = float(value)
    except ValueError:
        score = math.nan
    if not math.isfinite(score):
        shown = value if len(value) <= 40 else f"{value[:20]}... ({len(value)} characters)"
        raise ReviewError(f"expected a confidence, a number such as 0.5, got {shown!r}")
    return score


class Guard:
    """ASGI middleware: host check, access token, CSRF for POST, security headers."""

    def __init__(self, app: ASGIApp, *, csrf: str, token: str | None,
                 hosts: set[str] | None) -> None:
        self.app, self.csrf, self.token, self.hosts = app, csrf, token, hosts

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        problem = self._problem(request)
        if problem is not None:
            await _secure(JSONResponse({"error": problem[1]}, status_code=problem[0]))(
                scope, receive, send)
            return
        set_cookie = bool(self.token) and request.query_params.get("token") == self.token

        async def send_secure(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers += [(k.encode(), v.encode()) for k, v in _HEADERS.items()]
                if set_cookie:
                    headers.append((b"set-cookie", (
                        f"{TOKEN_COOKIE}={self.token}; HttpOnly; SameSite=Strict; Path=/"
                    ).encode()))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_secure)

    def _problem(self, request: Request) -> tuple[int, str] | None:
        host = request.headers.get("host", "")
        if self.hosts is not None and host not in self.hosts:
            return 400, f"unexpected Host header {host!r}"
        if self.token:
            given = request.query_params.get("token") or request.cookies.get(TOKEN_COOKIE, "")
            if not hmac.compare_digest(given.encode(), self.token.encode()):
                return 403, ("this review server needs its access token: open the URL it "
                             "printed at start-up")
        if request.method in ("GET", "HEAD"):
            return None
        if request.method != "POST":
            return 405, "only GET and POST are allowed"
        if not hmac.compare_digest(request.headers.get("x-csrf-token", "").encode(),
                                   self.csrf.encode()):
            return 403, "missing or wrong X-CSRF-Token header; reload the page"
        origin = request.headers.get("origin")
        if origin is not None and origin != f"{request.url.scheme}://{host}":
            return 403, f"cross-site request from {origin!r} refused"
        if request.headers.get("content-type", "").split(";")[0].strip() != "application/json":
            return 415, "send JSON (Content-Type: application/json)"
        return None


_HEADERS = {
    "content-security-policy": CSP,
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",
    "cache-control": "no-store",
}


def _secure(response: Response) -> Response:
    for key, value in _HEADERS.items():
        response.headers[key] = value
    return response


Handler = Callable[[Request], Awaitable[Response]]


def _api(fn: Callable[[Request], Awaitable[Any]]) -> Handler:
    """The route answering with ``fn``'s result as JSON, and a refused request as
    a JSON error with its status: 409 conflict, 413 too large, 503 the store
    failed (try again), 400 a bad request."""
    async def handler(request: Request) -> Response:
        try:
            return JSONResponse(await fn(request))
        except Conflict as err:
            return JSONResponse({"error": str(err), "conflict": True}, status_code=409)
        except TooLarge as err:
            return JSONResponse({"error": str(err)}, status_code=413)
        except StoreError as err:  # not the request's fault: try again later
            return JSONResponse({"error": str(err)}, status_code=503)
        except BitextError as err:
            return JSONResponse({"error": str(err)}, status_code=400)
    return handler

async def _json_body(request: Request) -> dict[str, Any]:
    """The request's body: a JSON object of at most :data:`MAX_BODY` bytes, of
    whole characters, else :class:`ReviewError` (:class:`TooLarge` past the size)."""
    too_large = TooLarge(f"the request body is too large (more than {MAX_BODY} bytes); "
                         "send one edit a request")
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_BODY:
        raise too_large
    raw = bytearray()
    async for chunk in request.stream():  # a chunked body has no length: count it
        raw += chunk
        if len(raw) > MAX_BODY:
            raise too_large
    try:
        data = json.loads(raw, parse_constant=_no_constant, parse_float=_finite)
    except (ValueError, RecursionError) as err:
        # ValueError: not JSON, not UTF-8 (UnicodeDecodeError), or an integer past
        # Python's digit limit. RecursionError: nesting deeper than Python's
        # stack. No edit is like any of them.
        raise ReviewError(f"the request body is not JSON ({_reason(err)})") from err
    if not isinstance(data, dict):
        raise ReviewError("the request body must be a JSON object")
    # A lone surrogate (a \ud800 escape without its other half) is no
    # character: the database and a UTF-8 response cannot encode it.
    if surrogate_at(json.dumps(data, ensure_ascii=False)) is not None:
        raise ReviewError("the request body holds half of a UTF-16 surrogate pair "
                          "(a lone \\ud800-\\udfff escape); send whole characters")
    return data


def _version(data: dict[str, Any]) -> int | None:
    """The version of the link or concept the page edits (None: not sent)."""
    value = data.get("version")
    if value is None:
        return None
    # Versions count edits from 0; the page's numbers are exact up to 2**53 - 1
    # (JavaScript's Number.MAX_SAFE_INTEGER): past it, or below 0, no version
    # the page was sent, and not a conflict with another tab.
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < 2**53:
        raise ReviewError(f"version must be a whole number from 0 (the one the link or "
                          f"concept was sent with), got {json.dumps(value)[:40]}")
    return value


def create_app(bench: Workbench, *, csrf: str | None = None, token: str | None = None,
               hosts: set[str] | None = None, export_dir: Path | None = None) -> ASGIApp:
    """The ASGI app. ``hosts``: accepted Host headers (None: any, for tests);
    ``token``: access token required on every request (None: none);
    ``export_dir``: where the Export button writes (default ``OUT/reviewed``)."""
    csrf = csrf or secrets.token_urlsafe(32)
    target = export_dir or bench.out / "reviewed"
    index_html = (STATIC / "index.html").read_text(encoding="utf-8").replace(
        "{{csrf}}", csrf)

    async def index(request: Request) -> Response:
        return HTMLResponse(index_html)

    async def session(request: Request) -> Any:
        return {"reviewer": bench.reviewer, "documents": bench.documents(),
                "export_dir": str(target)}

    def doc_of(request: Request) -> str:
        return request.query_params.get("doc", "")

    async def links(request: Request) -> Any:
        state = bench.alignment(doc_of(request))
        offset = _int(request.query_params.get("offset"), 0)
        limit = _int(request.query_params.get("limit"), 100, 1, MAX_PAGE)
        return {"doc": state.doc, "langs": state.langs,
                "dirs": _directions(state.langs), "total": len(state.links),
                "offset": offset, "links": state.page(offset, limit), "counts": state.counts()}

    async def queue(request: Request) -> Any:
        state = bench.alignment(doc_of(request))
        below = _score(request.query_params.get("below"))
        one_sided = request.query_params.get("one_sided") == "1"
        pos = state.queue_next(request.query_params.get("after") or None,
                               backwards=request.query_params.get("dir") == "prev", below=below,
                               one_sided=one_sided)
        answer: dict[str, Any] = {"pos": pos, "counts": state.counts()}
        if below is not None:
            answer["below_left"] = state.unreviewed_below(below)
        if one_sided:
            answer["one_sided_left"] = state.unreviewed_one_sided()
        return answer

    async def search(request: Request) -> Any:
        state = bench.alignment(doc_of(request))
        return {"hits": state.search(request.query_params.get("q", ""))}

    async def edit_link(request: Request) -> Any:
        data = await _json_body(request)
        payload = {k: v for k, v in data.items()
                   if k in ("link", "next", "neighbour", "side", "to", "cut", "sentence",
                            "text")}
        return bench.edit_link(str(data.get("doc", "")), str(data.get("op", "")), payload,
                               _version(data), _reviewer(data), _tab(data))

    async def terms(request: Request) -> Any:
        state = bench.glossary(doc_of(request))
        status = request.query_params.get("status") or None
        total, concepts = state.listing(
            status=status, query=request.query_params.get("q", ""),
            offset=_int(request.query_params.get("offset"), 0),
            limit=_int(request.query_params.get("limit"), 50, 1, MAX_PAGE))
        return {"doc": state.doc, "langs": state.langs, "dirs": _directions(state.langs),
                "total": total, "concepts": concepts,
                "counts": state.counts()}

    async def edit_term(request: Request) -> Any:
        data = await _json_body(request)
        payload = {k: v for k, v in data.items()
                   if k in ("concept", "status", "lang", "text", "into")}
        return bench.edit_term(str(data.get("doc", "")), str(data.get("op", "")), payload,
                               _version(data), _reviewer(data), _tab(data))

    async def undo(request: Request) -> Any:
        data = await _json_body(request)
        return {"undone": bench.undo(str(data.get("doc", "")), str(data.get("view", "")),
                                     _reviewer(data), _tab(data))}

    async def history(request: Request) -> Any:
        view = request.query_params.get("view") or None
        return {"events": bench.history(doc_of(request) or None, view,
                                        _int(request.query_params.get("limit"), 100, 1, 1000))}

    async def export(request: Request) -> Any:
        from bitext.review.export import export_review

        data = await _json_body(request)
        # Seconds of writing for a large review: off the event loop, so other
        # requests (another tab) are still answered. The warnings go to the page:
        # the server's log is a terminal the reviewer may never look at.
        warnings: list[str] = []
        files = await run_in_threadpool(
            export_review, bench, target, accepted_only=_flag(data, "accepted_only"),
            drop_rejected=_flag(data, "drop_rejected"), warn=warnings.append)
        return {"folder": str(target), "files": [str(p.relative_to(target)) for p in files],
                "warnings": warnings}

    routes = [
        Route("/", index),
        Route("/api/session", _api(session)),
        Route("/api/links", _api(links)),
        Route("/api/queue", _api(queue)),
        Route("/api/search", _api(search)),
        Route("/api/links/edit", _api(edit_link), methods=["POST"]),
        Route("/api/terms", _api(terms)),
        Route("/api/terms/edit", _api(edit_term), methods=["POST"]),
        Route("/api/undo", _api(undo), methods=["POST"]),
        Route("/api/history", _api(history)),
        Route("/api/export", _api(export), methods=["POST"]),
        Mount("/static", StaticFiles(directory=STATIC), name="static"),
    ]
    app = Starlette(routes=routes)
    return Guard(app, csrf=csrf, token=token, hosts=hosts)


def _flag(data: dict[str, Any], name: str) -> bool:
    """A true/false field of a request body (absent or null: false). bool() took
    the string "false" for true."""
    value = data.get(name)
    if value is not None and not isinstance(value, bool):
        raise ReviewError(f"{name} must be true or false, got {json.dumps(value)[:40]}")
    return bool(value)


def _tab(data: dict[str, Any]) -> str | None:
    """The page's id (one per page load, :meth:`Workbench.undo`): letters, digits
    and dashes only; anything else is no tab (the undo goes by name alone)."""
    import re

    value = data.get("tab")
    return value if isinstance(value, str) and re.fullmatch(r"[0-9A-Za-z-]{1,64}", value) \
        else None


def _reviewer(data: dict[str, Any]) -> str | None:
    value = data.get("reviewer")
    return value if isinstance(value, str) and value.strip() else None
