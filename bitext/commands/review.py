"""``bitext review``: the review workbench over a build output folder (a local web app)."""

from __future__ import annotations

import logging
import re
import secrets
import threading
import webbrowser
from pathlib import Path
from typing import TYPE_CHECKING

import click

from bitext.commands._common import FolderOut, PathParam, echo_paths
from bitext.errors import ConfigError, MissingDependencyError

if TYPE_CHECKING:
    from bitext.review.workbench import Workbench

log = logging.getLogger(__name__)

LOOPBACK = ("127.0.0.1", "localhost", "::1")


def _not_empty(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """An empty address is not every interface: an Error (paths: PathParam)."""
    if value is not None and not value.strip():
        raise click.BadParameter("it is empty; give an address such as 127.0.0.1",
                                 ctx=ctx, param=param)
    return value


@click.command("review")
@click.argument("out", type=PathParam(file_okay=False))
@click.option("--port", type=click.IntRange(0, 65535), default=8765, show_default=True,
              help="Port to listen on (0: any free port).")
@click.option("--host", default="127.0.0.1", show_default=True, callback=_not_empty,
              help="Address to listen on. Anything but loopback requires the access token "
                   "printed at start-up.")
@click.option("--no-browser", is_flag=True, help="Do not open a browser window.")
@click.option("--reviewer", default=None,
              help="Your name, stored with every decision (default: your login name; the "
                   "page has a field too).")
@click.option("--token", default=None, callback=lambda ctx, param, value: _token(value),
              help="Access token for a non-loopback --host (default: a random one, printed).")
@click.option("--export", "export_dir", type=FolderOut(file_okay=False), default=None,
              help="Write the reviewed outputs (TMX, JSONL, Moses, TBX 2019, the same TBX "
                   "in the 2008 martif format for OmegaT 3.6, change log) to this folder and "
                   "exit, without starting the server.")
@click.option("--accepted-only", is_flag=True,
              help="Export only links a reviewer saw (accepted, changed or marked reviewed) "
                   "and concepts a reviewer accepted or changed.")
@click.option("--drop-rejected", is_flag=True,
              help="Leave rejected concepts out of the TBX (default: their terms are "
                   "marked deprecatedTerm-admn-sts).")
def cli(out: str, port: int, host: str, no_browser: bool, reviewer: str | None,
        token: str | None, export_dir: str | None, accepted_only: bool,
        drop_rejected: bool) -> None:
    """Review the alignments and glossaries in OUT, the output folder of bitext build.

    \b
    Opens a page where a translator checks and fixes sentence links (lowest
    confidence first) and a terminologist accepts, rejects and corrects terms.
    Every decision is saved at once in OUT/review.sqlite, with its time and the
    reviewer's name, and survives a rebuild of the same documents.

    \b
      bitext review out/                       open the workbench
      bitext review out/ --export reviewed/    write the reviewed TMX, TBX, ...
    """
    from bitext.review.workbench import Workbench

    bench = Workbench(out, reviewer)
    try:
        if export_dir is not None:
            from bitext.review.export import export_review

            files = export_review(bench, export_dir, accepted_only=accepted_only,
                                  drop_rejected=drop_rejected)
            echo_paths(files)
            return
        from bitext.outputs import review_lock

        with review_lock(out):
            bench.db  # noqa: B018 -- open it now: a damaged database is an Error before serving
            serve(bench, host=host, port=port, token=token, open_browser=not no_browser,
                  export_dir=Path(out) / "reviewed")
    finally:
        bench.close()


def _token(value: str | None) -> str | None:
    """--token as given, when it can travel in the printed URL and the cookie
    unchanged: the characters of secrets.token_urlsafe and RFC 3986's unreserved set."""
    if value is not None and not re.fullmatch(r"[A-Za-z0-9._~-]+", value):
        raise click.BadParameter("use letters, digits and - _ . ~ only (the token goes into "
                                 "a URL and a cookie)", param_hint="'--token'")
    return value


def serve(bench: Workbench, *, host: str, port: int, token: str | None, open_browser: bool,
          export_dir: Path) -> None:
    """Run the app under uvicorn until Ctrl+C."""
    try:
        import uvicorn

        from bitext.review.app import create_app
    except ImportError as err:
        raise MissingDependencyError("the review web app (uvicorn, starlette)", "review") from err
    import socket

    loopback = host in LOOPBACK
    if not loopback:
        token = token or secrets.token_urlsafe(24)
    elif token is not None:
        log.info("--token is only needed for a non-loopback --host; using it anyway")
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
        # Listen before the URL is printed: a client that opens it at once (a
        # script, a test) is queued by the kernel instead of refused while
        # uvicorn starts. 2048 is uvicorn's own default backlog.
        sock.listen(2048)
    except OSError as err:
        sock.close()
        raise ConfigError(f"cannot listen on {host}:{port} ({err.strerror}); choose another "
                          "--port (0 picks a free one)") from err
    port = sock.getsockname()[1]
    shown = f"[{host}]" if ":" in host else host
    hosts = None if not loopback else {
        f"{name}:{port}" for name in ("127.0.0.1", "localhost", "[::1]")}
    app = create_app(bench, token=token, hosts=hosts, export_dir=export_dir)
    bench.prewarm()
    url = f"http://{shown}:{port}/" + (f"?token={token}" if token else "")
    click.echo(f"Review workbench at {url}  (Ctrl+C to stop)", err=True)
    if open_browser:
        threading.Timer(0.5, webbrowser.open, args=(url,)).start()
    # lifespan off: the app has no start-up or shut-down work, and a second Ctrl+C
    # cancelled the lifespan task, which uvicorn logged as an ERROR with two tracebacks
    config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off")
    server = uvicorn.Server(config)
    server.run(sockets=[sock])
