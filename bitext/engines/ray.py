"""The Ray engine: the same per-document build on Ray actors (``bitext[distributed]``).

Why actors and not Ray Data: a document is the unit of work, it writes its own
files and returns a small record, and the model must be loaded once per worker.
An actor is exactly that (its constructor loads the model; each call builds one
document), and ``ray.wait`` hands the results back in completion order, so the
driver appends each one to ``OUT/manifest.jsonl`` at once and resume works as
with the local pool. Ray Data would add a dataset layer (Arrow blocks, its own
batching and back-pressure) around what is a queue of independent file jobs.

Start-up is what Ray costs over the local pool on a short run: starting a
local instance (``ray.init``: a GCS, a raylet and Python helper processes,
most of it spent waiting for each to come up) took about 5 s of the 20 s the
731 UN documents take on a quiet machine (7-17 s at load 6-8), and stopping
it 1.2-1.7 s. Per call Ray costs a few ms (:data:`BATCH_BYTES`), so small
documents share a call, and the last calls carry one document each so that
the actors finish together (:meth:`RayEngine._run`). :meth:`RayEngine.start`
brings Ray up in a background thread and creates the actors (which load the
model) once the scan has counted the documents, while the driver hashes the
inputs and plans (:meth:`RayEngine.begin` can start Ray alone earlier; the
build does not, so that an Error of its scan needs no Ray to stop);
:meth:`RayEngine.close` can stop Ray in the background while the driver
writes the corpus-level files. A cluster that is already running
(``--ray-address``) pays neither.

What of that start-up a local build does not need, and why it stays (Ray
2.60): ``include_dashboard=False`` still starts the API server process in its
minimal mode, and ``ray.init`` waits for it to register before it starts the
raylet, so a local instance leaves its start out (:func:`_without_api_server`);
the raylet's two agents have no option at all; the autoscaler monitor
and the log monitor have none in ``ray.init`` but one in Ray's node
parameters, which a local instance sets (:func:`_without_monitors`); usage
statistics are already off where ``ray[default]`` is not installed, and the
raylet prestarts one worker per
CPU, which the actors take over (no worker start of their own). The
documented switches of what a one-node batch run does not read (the
raylet's memory monitor, ``RAY_memory_monitor_refresh_ms=0``; task events,
``RAY_task_events_report_interval_ms=0``; metrics,
``RAY_enable_metrics_collection=0``) and a 100 MB object store instead of
Ray's 30% of memory changed no process's CPU beyond the noise (731 UN
documents, load 9-13, ``benchmarks/README.md``), so none is set: a local
Ray's cost is its processes' start, above all the Python processes each
importing ``ray`` (0.6 CPU s each: six with the monitors left out, eight with
them). Of the stop, about 1 s was the autoscaler monitor: its SIGTERM handler
reports to the GCS, which ``ray.shutdown`` has already stopped, so it waits
out the second before its SIGKILL; where it runs (a Ray without the node
parameters above), :func:`_stop_monitor` kills it first (0.07 s). The rest
cannot be skipped by exiting early: Ray's processes die with the thread
that started them (``PR_SET_PDEATHSIG``), but the raylet's agents do not,
and an exit before the raylet's own graceful stop leaves them running
(``tests/test_batch.py`` checks that none is left); a command killed with no
chance to stop them has :mod:`bitext.engines.reaper` kill them. Ray runs its workers at
niceness +15; a local instance started by the command runs them at the
command's (:data:`LOCAL_SYSTEM_CONFIG`), as the local pool's workers are.

Each actor asks for one CPU. On a cluster, every node needs bitext installed
(with the same models) and the inputs and OUT at the same paths (a shared
file system); Ray schedules the actors over the nodes.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bitext.build import BuildResult, BuildSettings, prepare_worker, try_build
from bitext.engines import compact
from bitext.errors import BitextError, MissingDependencyError

if TYPE_CHECKING:
    from bitext.engines import Task

log = logging.getLogger(__name__)

#: Calls queued on each actor at once (see :meth:`RayEngine._run`).
IN_FLIGHT = 2

#: A document's own work beside its bytes, in bytes of input: segmenting, the
#: encoder's call and its eight files cost as much as about 2,000 bytes. The 731
#: UN test-set documents (16 B to 6.4 KB, 1.24 MB), each built alone in one
#: process: 28.5 ms + 14.9 us a byte of CPU (least squares; 29 ms for the 144
#: under 500 B, 88 ms for the 36 over 4 KB; session 16, load 14).
DOC_BYTES = 2000

#: What one remote call may carry, in bytes of input with :data:`DOC_BYTES` for
#: each document: about 0.24 s of work at 14.9 us a byte. A call costs about 5
#: ms of CPU beyond its documents' work (driver 2 ms, actor 3 ms: 731 UN test-set
#: documents, session 14), 2% of that. A larger document goes alone. Before, 4 KB
#: of input without the documents' own cost let a call of the collection's last,
#: smallest documents hold 47 of them (about 1.4 s of work) while the other actor
#: had nothing left (the tail: see :meth:`RayEngine._run`).
BATCH_BYTES = 16_000

#: Ray's settings for a local instance the command starts for itself.
#: ``worker_niceness`` 0: Ray starts its workers at niceness +15 (a head node's
#: own services first), so on a machine busy with other work its actors got a
#: fraction of the CPU the local pool's workers get for the same work (17.5 CPU s
#: in 166 s of wall against 63 s, load 7-10, session 6). The instance serves this
#: command only; its workers run the command's documents at its priority, as the
#: pool's do. The setting is a Ray config (``RAY_worker_niceness``) that Ray's job
#: manager itself sets to 0 for the actor that runs a submitted job's driver (the
#: job's own work, not a service of the node). A cluster joined with
#: ``--ray-address`` keeps its own settings.
LOCAL_SYSTEM_CONFIG: dict[str, Any] = {"worker_niceness": 0}

#: Seconds a join of a running cluster (``--ray-address`` or ``RAY_ADDRESS``) may
#: take before the run is an Error. ``ray.init`` waits for ever for a GCS that
#: does not answer (an address where no cluster runs, a wrong port: over 10
#: minutes, seen), and cannot be interrupted. Ray itself warns after 5 s that the
#: GCS has not answered; joining a running instance took under 1 s of the run on
#: this 2-core machine (benchmarks/README.md, +7-10% over the pool in all): six
#: times Ray's own warning leaves room for a loaded machine or a slow link.
JOIN_TIMEOUT_S = 30.0


class _Builder:
    """What each actor runs: the model loaded once, then one document per call
    (small documents a few to a call, up to :data:`BATCH_BYTES`)."""

    def __init__(self, settings: BuildSettings) -> None:
        self.error: str | None = None
        self.loaded: tuple[str, str | None] | None = None
        self._prepare(settings)

    def _prepare(self, settings: BuildSettings) -> None:
        self.loaded = (settings.encoder, settings.cache)
        try:
            prepare_worker(settings, threads=1)
            self.error = None
        except BitextError as err:
            self.error = str(err)

    def build_many(self, tasks: list[Task], settings: BuildSettings) -> list[BuildResult]:
        """:meth:`build` for each of ``tasks``, in one call (small documents)."""
        return [self.build(task, settings) for task in tasks]

    def build(self, task: Task, settings: BuildSettings) -> BuildResult:
        """Build one document; ``settings`` come with each call (Ray passes an
        object put once per run by reference), so that one set of actors serves
        every language pair of a collection. A model other than the loaded one
        is loaded on first use."""
        doc, folder = task
        if (settings.encoder, settings.cache) != self.loaded:
            self._prepare(settings)
        if self.error is not None:
            return BuildResult(id=doc.id, status="failed", error=self.error)
        return compact(try_build(doc, folder, settings))


def _wait_one(ray: Any, refs: list[Any]) -> Any:
    """The first of ``refs`` to be ready (``ray.wait``), waited for in a thread of
    its own: in the main thread Ray's wait runs Python's signal handlers itself
    and drops any exception but KeyboardInterrupt, so the CLI's SIGTERM
    (:class:`~bitext.errors.Terminated`) was lost there and the run went on (a
    `kill` ignored while an actor built a document). Here the main thread waits
    on an Event, which a signal interrupts as anywhere else in Python."""
    got: list[Any] = []
    failed: list[BaseException] = []
    done = threading.Event()

    def wait() -> None:
        try:
            (ready,), _ = ray.wait(refs, num_returns=1)
            got.append(ready)
        except BaseException as err:  # handed to the caller
            failed.append(err)
        finally:
            done.set()

    # A daemon: a run stopped meanwhile does not wait for it (Ray's stop ends it).
    threading.Thread(target=wait, name="bitext-ray-wait", daemon=True).start()
    done.wait()
    if failed:
        raise failed[0]
    return got[0]


def _remove_temporaries(folders: list[Path], patience_s: float = 5.0) -> None:
    """Remove from ``folders`` the temporary files of writers that are gone
    (:func:`~bitext.fileio.write.clean_stale_temps`): an actor killed in the
    middle of a write leaves its temporary file beside the target, which only a
    later write into that folder removed. Ray's stop does not wait for the
    actors' processes to end, so a folder whose writer still runs is looked at
    again for up to ``patience_s`` seconds (a killed process ends in well under
    one; the wait is the bound for a stuck one)."""
    from bitext.fileio.write import clean_stale_temps, temp_files

    end = time.monotonic() + patience_s
    for folder in folders:
        while True:
            clean_stale_temps(folder)
            if not temp_files(folder) or time.monotonic() > end:
                break
            time.sleep(0.05)


def _ray() -> Any:
    try:
        import ray
    except ImportError as err:
        raise MissingDependencyError("ray", extra="distributed") from err
    # Ray's C++ failure handler (Abseil's) takes SIGTERM from Python in the
    # driver: a `kill` of a build printed six lines of its stack ('*** SIGTERM
    # received ... PC: @ ...') and aborted the process (exit 134) in the middle
    # of its cleanup. The driver's SIGTERM is the CLI's (Terminated., exit 143,
    # the actors' outputs left whole or not at all); the workers keep theirs
    # (the constant is this process's, read when its core worker starts).
    constants = getattr(getattr(ray, "_private", None), "ray_constants", None)
    if constants is not None:
        constants.RAY_DISABLE_FAILURE_SIGNAL_HANDLER = True
    return ray


class _NotMainThreadNote(logging.Filter):
    """Drops Ray's note that ``ray.init`` in a thread sets no SIGTERM handler:
    :meth:`RayEngine.start` sets the same handler from the main thread."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "SIGTERM handler is not set" not in record.getMessage()


class _TokenAuthOnNote(logging.Filter):
    """Drops Ray's note, on every start of a local instance, that token
    authentication is on by default (Ray 2.60: a timestamped WARNING line on a
    build's stderr, with nothing for the user to do); it is logged at -v
    instead. Ray's warning that authentication is *off* is kept."""

    def filter(self, record: logging.LogRecord) -> bool:
        if "Token authentication is enabled" in record.getMessage():
            log.info("Ray: token authentication on (Ray's default for a local instance)")
            return False
        return True


@contextlib.contextmanager
def _without_monitors(ray: Any) -> Iterator[None]:
    """``ray.init`` of a local instance without its log monitor and its
    autoscaler monitor.

    The log monitor forwards the workers' output to the driver, which
    ``log_to_driver=False`` does not read; the autoscaler monitor scales a
    cluster, and the instance a build starts is one node of fixed size. Each
    is a Python process importing ``ray`` (0.5-1.2 CPU s each, most of it while
    ``ray.init`` waits for the API server and the raylet, on the same cores):
    without them, start and stop of an instance with two actors took 4.7-5.1
    CPU s instead of 5.7-7.1 and ``ray.init`` 11.2-11.6 s instead of 14.6-17.4 s
    (load 7-9, three runs each, alternately). ``ray.init`` has no option for
    them; Ray's node parameters (``RayParams``) have ``include_log_monitor`` and
    ``no_monitor``, which ``ray start`` sets from its flags. They are set here
    for this one call; a Ray whose parameters lack them starts as it always did.
    """
    import inspect

    module: Any = getattr(getattr(ray, "_private", None), "parameter", None)
    params = getattr(module, "RayParams", None)
    try:
        takes = set(inspect.signature(params).parameters) if params is not None else set()
    except (TypeError, ValueError):
        takes = set()
    if not {"include_log_monitor", "no_monitor"} <= takes:
        yield
        return

    class _Lean(params):  # type: ignore[misc, valid-type]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            kwargs.setdefault("include_log_monitor", False)
            kwargs.setdefault("no_monitor", True)
            super().__init__(*args, **kwargs)

    module.RayParams = _Lean
    try:
        yield
    finally:
        module.RayParams = params


@contextlib.contextmanager
def _without_api_server(ray: Any) -> Iterator[None]:
    """``ray.init`` of a local instance without its API server.

    The API server (``dashboard.py``; with ``include_dashboard=False`` it
    still starts, with its usage-statistics module only) answers job
    submissions and state queries from other clients of the instance; the
    instance a build starts is told to no other client, and the build asks it
    nothing (its actors and their results go through the GCS and the raylet).
    It is a Python process importing ``ray``, and ``ray.init`` waits for it to
    register before it starts the raylet: a serial step of the start-up with
    one core idle. It had used 0.62-0.89 CPU s by the first document of 100
    UN documents, which a build without it does not spend (three runs each,
    alternately, load 10-15; ``benchmarks/README.md``, session 17).
    ``ray.init`` has no option for it
    (``include_dashboard=False`` is already given); the node's
    ``start_api_server`` is left out for this one call. A Ray whose node has
    no such method starts as it always did.
    """
    module: Any = getattr(getattr(ray, "_private", None), "node", None)
    node: Any = getattr(module, "Node", None)
    start = getattr(node, "start_api_server", None)
    if start is None:
        yield
        return

    def _skip(self: Any, **kwargs: Any) -> None:
        log.debug("Ray: no API server for this build's own instance")

    node.start_api_server = _skip
    try:
        yield
    finally:
        node.start_api_server = start


def _stop_monitor(ray: Any) -> None:
    """Kill the autoscaler monitor of the local instance this process started,
    before ``ray.shutdown`` stops it gracefully.

    ``ray.shutdown`` stops the GCS before the monitor, whose SIGTERM handler
    then reports to the GCS that is gone and waits out the second before its
    SIGKILL: 1.0 s of a 1.4-1.9 s stop (load 5-12). Sent first, a SIGTERM
    takes 0.8 s and prints the monitor's "autoscaler failed" traceback on the
    driver's terminal; a SIGKILL takes 0.07 s and loses nothing: on a
    single-node instance the monitor only reports, it holds no state and
    starts no process (its node provider is read-only). The other processes
    keep their graceful stop. Nothing happens on a Ray without the private
    node handle this needs (another version): the stop is then Ray's own.
    """
    try:
        node = ray._private.worker._global_node
        if node is not None and node.head:
            node.kill_monitor(check_alive=False)
    except Exception as err:  # a Ray without these internals: its own stop
        log.debug("monitor not stopped ahead: %s", err)


def _start_reaper() -> subprocess.Popen[bytes] | None:
    """A watcher that kills the local instance's processes if this command is
    killed before it can stop them (:mod:`bitext.engines.reaper`: the raylet's
    agents outlived a ``kill -9`` by a minute); None where there is no /proc.

    Its standard input is a pipe only this process writes: the kernel closes
    it when the process dies, however it dies. Started before ``ray.init``, so
    that a command killed during the start is covered too."""
    if not os.path.isdir(f"/proc/{os.getpid()}/task"):
        return None
    from bitext.engines import reaper

    try:
        return subprocess.Popen([sys.executable, "-S", "-E", reaper.__file__, str(os.getpid())],
                                stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL, close_fds=True)
    except OSError as err:  # no process to spare: Ray's own clean-up, a minute late
        log.debug("no reaper for the local Ray: %s", err)
        return None


def _stop_reaper(proc: subprocess.Popen[bytes] | None) -> None:
    """Tell the watcher that Ray was stopped as it should be, and let it go."""
    if proc is None or proc.stdin is None:
        return
    try:
        proc.stdin.write(b"stopped\n")
        proc.stdin.close()
    except OSError:  # it is gone already (killed with the process group)
        pass
    try:
        proc.wait(5)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def _auth_retry(line: bytes) -> bool:
    """True for the line Ray's C++ GCS client prints a second while a cluster
    refuses the join's token (Ray 2.60: ``gcs_client.cc ... InvalidAuthToken``,
    20 lines in 20 s), which the run's Error says once."""
    return b"InvalidAuthToken" in line


class _StderrFilter:
    """While entered, the lines written to file descriptor 2 (Ray's C++ core
    writes there: Python's logging and ``RAY_BACKEND_LOG_LEVEL``, which the core
    reads only once its worker starts, cannot filter them) pass through a pipe:
    those ``drop`` selects are dropped, the others go on to stderr as written.
    Nothing happens where the descriptors cannot be duplicated."""

    def __init__(self, drop: Callable[[bytes], bool]) -> None:
        self.drop = drop
        self.dropped = 0
        self._saved: int | None = None
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    def __enter__(self) -> _StderrFilter:
        try:
            sys.stderr.flush()
            saved = os.dup(2)
            read, write = os.pipe()
        except (OSError, ValueError) as err:
            log.debug("stderr not filtered: %s", err)
            return self
        os.dup2(write, 2)
        os.close(write)
        self._saved = saved
        self._thread = threading.Thread(target=self._forward, args=(read, saved),
                                        name="bitext-stderr", daemon=True)
        self._thread.start()
        return self

    def _forward(self, read: int, out: int) -> None:
        with os.fdopen(read, "rb") as pipe:
            for line in pipe:
                if self.drop(line):
                    self.dropped += 1
                    continue
                with contextlib.suppress(OSError):  # stderr closed: nothing to tell
                    os.write(out, line)

    def close(self) -> None:
        """Give file descriptor 2 back (once; from any thread) and let the lines
        still in the pipe through."""
        with self._lock:
            saved, self._saved = self._saved, None
            if saved is None:
                return
            with contextlib.suppress(OSError, ValueError):
                sys.stderr.flush()
            os.dup2(saved, 2)  # the pipe's last writer closed: the forwarder sees its end
            if self._thread is not None:
                self._thread.join(5)
            os.close(saved)
        if self.dropped:
            log.debug("Ray: %d lines of its C++ core dropped from stderr", self.dropped)

    def __exit__(self, *exc: object) -> None:
        self.close()


def _own_session(ray: Any) -> Path | None:
    """The session folder of the local instance this process started (its head
    node's: a driver joined to a cluster has a node that is not head); None on a
    Ray without the private node handle this needs (another version)."""
    try:
        node = ray._private.worker._global_node
        if node is None or not node.head:
            return None
        return Path(node.get_session_dir_path())
    except Exception as err:  # a Ray without these internals: its folder stays
        log.debug("Ray's session folder not known: %s", err)
        return None


def _remove_session(session: Path) -> None:
    """Remove the session folder of a local instance after a clean stop, and
    ``session_latest`` where it points there (another instance started since
    points it elsewhere).

    Ray never removes them (logs, sockets, port files: 224 KB median, 1.7 MB at
    most; 281 folders, 69 MB, on this machine in a day of tests); the instance
    served this one command, whose outputs and ledger say what happened. A run
    that lost a worker keeps it (the crash is logged only there)."""
    if not session.name.startswith("session_"):  # not a folder Ray named: left alone
        return
    latest = session.parent / "session_latest"
    try:
        if latest.is_symlink() and latest.resolve() == session.resolve():
            latest.unlink()
    except OSError as err:
        log.debug("Ray: %s left: %s", latest, err)
    shutil.rmtree(session, ignore_errors=True)
    if session.exists():
        log.debug("Ray: its session folder %s could not be removed whole", session)


def _exit_on_sigterm(signum: int, frame: object) -> None:
    # What ray.init installs in the main thread: exiting runs Ray's atexit
    # shutdown, so a killed driver stops the local instance it started.
    sys.exit(signum)


class RayEngine:
    """``jobs`` Ray actors (default: every CPU of the cluster); ``address`` joins
    an existing cluster (``auto``, ``ray://head:10001``), else Ray starts locally.

    :meth:`start` (optional) begins starting Ray and the actors in the
    background; :meth:`run` builds documents on them (starting them itself when
    :meth:`start` was not called, and then stopping them at its end);
    :meth:`close` stops them.
    """

    name = "ray"

    def __init__(self, jobs: int | None = None, address: str | None = None) -> None:
        import os

        self.jobs = jobs
        # Ray's own variable names the cluster as --ray-address does (ray.init
        # reads it too, and refused the local instance's settings with it set)
        self.address = address or os.environ.get("RAY_ADDRESS") or None
        self._ray: Any = None
        self._owner: threading.Thread | None = None  # brings Ray up, keeps it, stops it
        self._stopping: threading.Thread | None = None  # an owner still stopping Ray
        self._ready = threading.Event()
        self._stop = threading.Event()
        # What the owner thread waits for once Ray is up: the actors to create
        # (settings, at most how many), or close() (None) when none is wanted.
        self._wake = threading.Event()
        self._request: tuple[BuildSettings, int | None] | None = None
        # The folders of the documents whose actors were killed in the middle
        # of a run (the caller stopped it): their writes' temporary files are
        # removed once Ray is stopped (_own).
        self._in_flight: list[Path] = []
        self._error: BaseException | None = None
        self._actor_class: Any = None
        self._actors: list[Any] = []
        self._lost = False  # an actor died: the local instance's logs are kept
        self._filter: _StderrFilter | None = None  # stderr's filter during a join

    # ------------------------------------------------------------------ lifetime

    def begin(self) -> None:
        """Import Ray here, then start (or join) it in a background thread; the
        actors wait for :meth:`start`, which knows how many documents there are.

        Ray's start does not depend on the documents, and it is the longest
        part of a run's start-up (``ray.init``, then the actors' model): begun
        early, it runs while the driver works (``bitext build`` begins it in
        :meth:`start`, after its scan: an Error found before then ends the
        process without a local Ray to wait for). ``import ray`` is done on
        the caller's thread: in the owner thread it shared the interpreter
        with the driver and began ``ray.init`` that much later.
        Raises :class:`~bitext.errors.MissingDependencyError` when Ray is not
        installed; a failure to start or join Ray is raised by :meth:`run`.
        """
        if self._owner is not None:
            return
        if self._stopping is not None:  # a close(wait=False) still stopping Ray
            self._stopping.join()
            self._stopping = None
        self._ray = _ray()
        if (threading.current_thread() is threading.main_thread()
                and signal.getsignal(signal.SIGTERM) is signal.SIG_DFL):
            signal.signal(signal.SIGTERM, _exit_on_sigterm)
        self._error = None
        self._lost = False
        self._ready.clear()
        self._stop.clear()
        self._wake.clear()
        self._request = None
        # A join that never ends (JOIN_TIMEOUT_S) is left behind: its thread must
        # not keep the process from exiting. A local start's thread must outlive
        # the main thread, to stop the instance it started (see _own).
        self._owner = threading.Thread(target=self._own, name="bitext-ray",
                                       daemon=self.address is not None)
        self._owner.start()

    def start(self, settings: BuildSettings, at_most: int | None = None) -> None:
        """Start (or join) Ray, unless :meth:`begin` has, and create the actors
        (at most ``at_most``), in a background thread.

        Returns once Ray is imported; :meth:`run` waits for the start to
        finish. Raises :class:`~bitext.errors.MissingDependencyError` here when
        Ray is not installed; a failure to start or join Ray is raised by
        :meth:`run`.
        """
        self._start(settings, at_most)

    def _start(self, settings: BuildSettings, cap: int | None = None) -> None:
        """:meth:`start`, with at most ``cap`` actors (the tasks of a lone run);
        nothing when the actors are already asked for."""
        self.begin()
        if self._wake.is_set():
            return
        self._request = (settings, cap)
        self._wake.set()

    def _own(self) -> None:
        """The owner thread: start or join Ray, create the actors once
        :meth:`start` asks for them, then keep Ray until :meth:`close` (or the
        end of the main thread) and stop it.

        It must outlive the run: Ray starts its local processes with
        ``PR_SET_PDEATHSIG``, which Linux fires when the *thread* that started
        them ends, so a thread that called ``ray.init`` and returned would take
        the GCS and the raylet down with it.
        """
        initialized_here = False
        reaper: subprocess.Popen[bytes] | None = None
        ray = self._ray
        try:
            if not ray.is_initialized():
                logging.getLogger("ray._private.worker").addFilter(_NotMainThreadNote())
                logging.getLogger("ray._private.authentication.authentication_token_setup"
                                  ).addFilter(_TokenAuthOnNote())
                started = time.perf_counter()
                if not self.address:
                    reaper = _start_reaper()
                local = {} if self.address else {
                    "num_cpus": self.jobs, "_system_config": LOCAL_SYSTEM_CONFIG}
                try:
                    with contextlib.ExitStack() as lean:
                        if not self.address:  # a local instance for this build only
                            lean.enter_context(_without_monitors(ray))
                            lean.enter_context(_without_api_server(ray))
                        else:  # its refusal of a token is said by one Error (below)
                            self._filter = lean.enter_context(_StderrFilter(_auth_retry))
                        # logging_level: Ray's INFO lines ("Started a local Ray
                        # instance", timestamped) stay off stderr; bitext logs
                        # the start itself at -v, just below.
                        ray.init(address=self.address, include_dashboard=False,
                                 log_to_driver=False, logging_level=logging.WARNING,
                                 **local)
                except (ConnectionError, RuntimeError, ValueError) as err:
                    cause = str(err.__cause__ or "")
                    if self.address and "InvalidAuthToken" in cause:
                        # ray.init's Error leaves its cause out: it read as a wrong
                        # address (probed on a 'ray start --head' of Ray 2.60). Its
                        # cause says "RAY_AUTH_MODE is currently 'disabled' (not
                        # 'token')" where the run gave no token.
                        if (os.environ.get("RAY_AUTH_MODE", "").lower() == "token"
                                and "(not 'token')" not in cause):
                            raise BitextError(
                                f"cannot join Ray at {self.address}: the cluster refused "
                                "this run's token (RAY_AUTH_TOKEN, or else the file "
                                "RAY_AUTH_TOKEN_PATH or ~/.ray/auth_token names); give it "
                                "the cluster's token (the head's ~/.ray/auth_token)"
                            ) from err
                        raise BitextError(
                            f"cannot join Ray at {self.address}: the cluster asks for a "
                            "token (token authentication, 'ray start's default) and this "
                            "run gave none; set RAY_AUTH_MODE=token, with the cluster's "
                            "token in ~/.ray/auth_token or RAY_AUTH_TOKEN") from err
                    raise BitextError(f"cannot start or join Ray at {self.address or 'local'}: "
                                      f"{err}; check --ray-address (e.g. auto or "
                                      "ray://head:10001)") from err
                initialized_here = True
                log.info("Ray: %s in %.2f s", f"joined {self.address}" if self.address
                         else "started a local instance", time.perf_counter() - started)
            # Polled: a driver that ends without start() or close() stops Ray too.
            while not self._wake.wait(0.2):
                if not threading.main_thread().is_alive():
                    break
            request = self._request  # read once: close() may drop it meanwhile
            if request is not None:
                self._spawn(ray, *request)
        except BaseException as err:  # handed to the caller by _wait_started
            self._error = err
        finally:
            self._ready.set()
        if not initialized_here:
            _stop_reaper(reaper)  # a local start that failed: ray.init cleaned up
            return  # Ray belongs to whoever started it
        # Polled, not joined: a driver that ends without close() still stops Ray.
        while not self._stop.wait(0.2):
            if not threading.main_thread().is_alive():
                break
        session = None if self.address else _own_session(self._ray)
        _stop_monitor(self._ray)
        self._ray.shutdown()
        _stop_reaper(reaper)
        in_flight, self._in_flight = self._in_flight, []
        _remove_temporaries(in_flight)
        if session is None:
            return
        if self._lost:
            log.warning("Ray: a worker was lost; Ray's logs are kept in %s", session)
        elif self._stop.is_set():  # closed by the run, not left by a driver that died
            _remove_session(session)

    def _spawn(self, ray: Any, settings: BuildSettings, cap: int | None = None) -> None:
        """Create the actors (at most ``cap``); each starts loading the model at once."""
        cpus = int(ray.cluster_resources().get("CPU", 1))
        self._actor_class = ray.remote(num_cpus=1)(_Builder)
        count = self.jobs or cpus
        if cap:
            count = min(count, cap)
        self._actors = [self._actor_class.remote(settings) for _ in range(max(1, count))]

    def _wait_started(self) -> None:
        if not self._ready.wait(None if self.address is None else JOIN_TIMEOUT_S):
            if self._filter is not None:  # the Error must reach stderr, not the filter
                self._filter.close()
            raise BitextError(f"cannot join Ray at {self.address}: no answer in "
                              f"{JOIN_TIMEOUT_S:g} s (no Ray cluster runs there?); check "
                              "--ray-address or RAY_ADDRESS (e.g. auto or ray://head:10001)")
        if self._error is not None:
            err, self._error = self._error, None
            if isinstance(err, BitextError):
                raise err
            raise BitextError(f"cannot start Ray: {type(err).__name__}: {err}") from err

    def close(self, wait: bool = True) -> None:
        """Stop the actors, and Ray when this engine started it.

        With ``wait=False`` Ray's processes are stopped in the background
        (about 1.5 s, mostly waiting for each to exit) while the caller goes on;
        the interpreter waits for that before it exits, and a later
        :meth:`start` waits for it too. A start still in ``ray.init`` is left to
        its thread, which stops Ray once it is up (no actor is created): the
        caller does not wait for it (an Error found during the scan is printed
        at once).
        """
        owner, self._owner = self._owner, None
        if owner is None:
            return
        if not self._ready.is_set() and (self.address is not None or not wait):
            # A start or join under way (ray.init cannot be interrupted): its thread
            # stops Ray once up, with no actor (an Error found during the scan is
            # printed now, not after ray.init: 11.9 s at load 4). A local start's
            # thread is waited for at the interpreter's exit (it must stop the
            # instance it started); a join that never ends dies with the process
            # (a daemon).
            self._request = None
            self._stop.set()
            self._wake.set()
            self._stopping = owner
            return
        self._wake.set()  # begun but never started: no actors to create
        self._ready.wait()  # ray.init cannot be interrupted halfway
        for actor in self._actors:
            try:
                self._ray.kill(actor)
            except Exception as err:  # an actor already gone: nothing to stop
                log.debug("ray.kill: %s", err)
        self._actors = []
        self._error = None
        self._stop.set()
        if wait:
            owner.join()
        else:
            self._stopping = owner

    # ------------------------------------------------------------------ running

    def run(self, tasks: Sequence[Task], settings: BuildSettings) -> Iterator[BuildResult]:
        """Yield one result per task as documents finish (completion order)."""
        if not tasks:
            return
        own = self._owner is None
        self._start(settings, cap=len(tasks))
        try:
            self._wait_started()
            yield from self._run(self._ray, tasks, settings)
        finally:
            if own:
                self.close()

    def _run(self, ray: Any, tasks: Sequence[Task], settings: BuildSettings
             ) -> Iterator[BuildResult]:
        if not self._actors:
            self._spawn(ray, settings)
        actors = self._actors[: len(tasks)]
        shared = ray.put(settings)  # serialised once, not with every call
        queue = list(reversed(tasks))  # pop() takes them in the caller's order
        cost = {id(task): DOC_BYTES + task[0].size() for task in tasks}
        left = sum(cost.values())  # of the documents not sent yet
        alone: list[Task] = []  # of a call whose actor was lost: built one a call
        pending: dict[Any, tuple[Any, list[Task]]] = {}
        replaced: dict[Any, Any] = {}  # a lost actor -> the one started in its place

        def take() -> list[Task]:
            """The next call's documents: one, or small ones up to BATCH_BYTES
            and up to the call's share of what is left.

            Each actor runs its calls in turn, IN_FLIGHT queued: a call sent
            at the end waits behind the others of its actor while an actor
            with none idles. A call carries at most what is left over the
            calls that can be queued (guided self-scheduling), so the calls
            shrink to one document each at the end and the actors finish
            within about a document of each other (a simulation of the 731
            UN documents with their measured times: 0.3 worker-seconds idle
            at the end with 2 actors, 2.6 with 4, 7.4 with 8 before; under
            0.2 after, as the local pool's shared queue).
            """
            nonlocal left
            if alone:
                return [alone.pop()]
            batch = [queue.pop()]
            size = cost[id(batch[0])]
            budget = min(BATCH_BYTES, left / (len(actors) * IN_FLIGHT))
            while queue and size + cost[id(queue[-1])] <= budget:
                size += cost[id(queue[-1])]
                batch.append(queue.pop())
            left -= size
            return batch

        def submit(actor: Any) -> None:
            if queue or alone:
                batch = take()
                ref = (actor.build.remote(batch[0], shared) if len(batch) == 1
                       else actor.build_many.remote(batch, shared))
                pending[ref] = (actor, batch)

        # Two calls in flight per actor: an actor runs its calls one after
        # another, so the next document is already waiting while the driver
        # records the last one (the manifest line is fsync'ed), and small
        # documents do not leave the actors idle for a round trip each.
        for _ in range(IN_FLIGHT):
            for actor in actors:
                submit(actor)
        try:
            while pending:
                ref = _wait_one(ray, list(pending))
                actor, batch = pending.pop(ref)
                results: list[BuildResult] = []
                try:
                    got = ray.get(ref)
                    results = got if isinstance(got, list) else [got]
                except ray.exceptions.RayError as err:  # the actor died (e.g. out of memory)
                    ids = ", ".join(task[0].id for task in batch)
                    log.warning("%s: worker lost (%s); starting another", ids, err)
                    self._lost = True
                    if len(batch) == 1:
                        results = [BuildResult(id=batch[0][0].id, status="failed",
                                               error=f"worker lost: {type(err).__name__}")]
                    else:  # which one killed it is not known: each runs alone now
                        alone.extend(reversed(batch))
                    if actor not in replaced:
                        replaced[actor] = self._actor_class.remote(settings)
                        self._actors.append(replaced[actor])
                    actor = replaced[actor]
                submit(actor)
                yield from results
        finally:
            if pending:  # the caller stopped early: drop the calls still queued
                self._in_flight = [Path(folder) for _, batch in pending.values()
                                   for _, folder in batch]
                for actor in self._actors:
                    ray.kill(actor)
                self._actors = []
