"""Collection benchmark: many documents through ``bitext build``, local pool and Ray.

Usage (from the repository root; one command, re-runnable on a quiet machine)::

    nice -n 10 python benchmarks/scale.py                 # everything, JSON + table
    python benchmarks/scale.py --source bible --skip-overhead --save   # 1,040 chapters
    python benchmarks/scale.py --source unpc --docs 200   # a smaller run
    python benchmarks/scale.py --skip-ray --skip-overhead
    python benchmarks/scale.py --skip-overhead --skip-jobs1 --rounds 3   # Ray against the pool
    python benchmarks/scale.py --only-overhead            # the report-sized pair only

Collections are made from ``../shared/data`` into a temporary folder:

* ``bible``: the Bible slice as one document per chapter (``Gen/1/zh.txt`` ...),
  one verse per paragraph (verse ids from ``zh.verse`` / ``en.verse``);
* ``unpc``: the UNPC test set grouped by document with ``testset.ids`` (731
  documents), sentences in reading order, one per paragraph. Its lines are
  1-1 translations, which gives the gold for a sentence-link F1.

Measured: documents/s and sentences/s with ``--jobs 1`` and ``--jobs 2``
(subprocesses of the real CLI, model loading included), peak memory of a
worker, a rerun of the unchanged collection, Ray against the local pool (a
local Ray started by the run, and one started beforehand as a running cluster
would be, with the seconds its ``ray.init`` took), each engine run ``--rounds``
times (default 2) with its start-up (until the first document began) and what
came after the last document and its CPU by process (driver, workers or
actors, each of a local Ray's services), the
filters' removal counts, the F1 of the collection against the gold and whether
each document's links equal those of aligning it alone, and the per-document
time of a report-sized pair with the model loaded (``corpora/un-som-2016``).
Every figure is printed with the load average (``os.getloadavg``) seen.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "data"
BITEXT = [sys.executable, "-m", "bitext"]


#: What each process of a run is, from the start of its command line (first
#: match wins): the processes a local Ray starts (its Python ones rename
#: themselves ``ray::...``), then the engines' workers.
_KINDS = (
    ("gcs_server", "Ray GCS"),
    ("raylet/raylet", "Ray raylet"),
    ("ray::DashboardAgent", "Ray dashboard agent"),
    ("ray::RuntimeEnvAgent", "Ray runtime-env agent"),
    ("log_monitor.py", "Ray log monitor"),
    ("autoscaler/_private/monitor.py", "Ray autoscaler monitor"),
    ("dashboard/dashboard.py", "Ray API server"),
    ("ray::", "workers (Ray actors)"),
    ("default_worker.py", "workers (Ray actors)"),
    ("multiprocessing.spawn", "workers (pool)"),
)


def process_kind(cmdline: str) -> str:
    """The kind of a run's process (``_KINDS``) from the start of its command
    line (the program, its script or ``-c`` code; later arguments name other
    programs: the raylet's name its agents)."""
    head = cmdline[:200]
    for marker, kind in _KINDS:
        if marker in head:
            return kind
    return "other"


class TreeCpu:
    """CPU seconds of a process and of every process it starts, sampled from
    ``/proc`` every ``interval`` s while it runs. ``RUSAGE_CHILDREN`` misses
    a local Ray's workers (the raylet does not reap them into its own), so the
    tree is read directly; each process's last ``interval`` s is missed.
    :meth:`by_kind` splits the total by process (:func:`process_kind`; the
    root process is the driver)."""

    def __init__(self, pid: int, interval: float = 0.5) -> None:
        self.root = pid
        self.tree = {pid}
        self.seen: dict[int, float] = {}
        #: (``time.perf_counter()``, CPU seconds) of the root process at each sample
        self.root_samples: list[tuple[float, float]] = []
        #: (``time.perf_counter()``, CPU seconds of every process seen) at each sample
        self.samples: list[tuple[float, dict[int, float]]] = []
        self.kinds: dict[int, str] = {pid: "driver"}
        self._stop = threading.Event()
        self._tick = os.sysconf("SC_CLK_TCK")
        self._thread = threading.Thread(target=self._watch, args=(interval,), daemon=True)
        self._thread.start()

    def _watch(self, interval: float) -> None:
        while not self._stop.is_set():
            for stat in Path("/proc").glob("[0-9]*/stat"):
                with contextlib.suppress(OSError, ValueError, IndexError):
                    # Fields after the parenthesised name: 1 ppid, 11 utime, 12 stime.
                    fields = stat.read_text().rsplit(")", 1)[1].split()
                    pid = int(stat.parent.name)
                    if pid in self.tree or int(fields[1]) in self.tree:
                        self.tree.add(pid)
                        self.seen[pid] = (int(fields[11]) + int(fields[12])) / self._tick
                        if pid == self.root:
                            self.root_samples.append((time.perf_counter(), self.seen[pid]))
                        # Read until known: a child seen between its fork and its
                        # exec still has its parent's command line (or none).
                        if self.kinds.get(pid, "other") == "other":
                            argv = (stat.parent / "cmdline").read_bytes()
                            self.kinds[pid] = process_kind(argv.replace(b"\0", b" ").decode(
                                errors="replace"))
            self.samples.append((time.perf_counter(), dict(self.seen)))
            self._stop.wait(interval)

    def stop(self) -> float:
        self._stop.set()
        self._thread.join()
        return round(sum(self.seen.values()), 2)

    def root_cpu_at(self, when: float) -> float:
        """CPU seconds of the root process at the last sample before ``when``
        (a ``time.perf_counter()``): up to one interval's CPU early."""
        return max((cpu for t, cpu in self.root_samples if t <= when), default=0.0)

    def by_kind_phases(self, marks: list[float]) -> dict[str, list[float]]:
        """CPU seconds by kind of process between consecutive ``marks``
        (``time.perf_counter()`` values; before the first and after the last
        included): with the first document's begin and the last one's end,
        what each kind used before, during and after the documents. Each
        boundary is read at the last sample before it (up to one interval
        early)."""
        def at(when: float) -> dict[int, float]:
            return max(((t, cpu) for t, cpu in self.samples if t <= when),
                       default=(0.0, {}), key=lambda s: s[0])[1]

        cuts = [{}, *(at(m) for m in marks), self.seen]
        out: dict[str, list[float]] = defaultdict(lambda: [0.0] * (len(marks) + 1))
        for pid, kind in self.kinds.items():
            for i in range(len(marks) + 1):
                out[kind][i] += cuts[i + 1].get(pid, 0.0) - cuts[i].get(pid, 0.0)
        return {k: [round(x, 2) for x in v] for k, v in sorted(out.items())
                if any(x > 0 for x in v)}

    def by_kind(self) -> dict[str, float]:
        """CPU seconds by kind of process, largest first."""
        totals: dict[str, float] = defaultdict(float)
        for pid, cpu in self.seen.items():
            totals[self.kinds.get(pid, "other")] += cpu
        return {k: round(v, 2) for k, v in sorted(totals.items(), key=lambda kv: -kv[1])}


def load() -> str:
    return "/".join(f"{x:.1f}" for x in os.getloadavg())


def steal(stat: str | None = None) -> float:
    """CPU seconds the hypervisor gave other guests while this one had work
    (``/proc/stat``'s steal, or ``stat``'s, summed over the cores; 0.0 where it
    is not told).
    The same work's CPU seconds moved by 14% between two runs in a row on this
    KVM guest at load 1.3-1.5 (session 24); a run that lost time to the host
    says so here."""
    try:
        text = Path("/proc/stat").read_text() if stat is None else stat
        # "cpu  user nice system idle iowait irq softirq steal ...", in ticks
        fields = text.split("\n", 1)[0].split()
        return int(fields[8]) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return 0.0


# --------------------------------------------------------------------------- collections

def make_bible(dest: Path, docs: int | None) -> int:
    """One folder per chapter (book/chapter), one verse per paragraph."""
    data = SHARED / "bible-zh-en"

    def verses(text: str, ids: str) -> dict[str, list[str]]:
        lines = (data / text).read_text(encoding="utf-8").splitlines()
        vids = (data / ids).read_text(encoding="utf-8").splitlines()[: len(lines)]
        out: dict[str, list[str]] = defaultdict(list)
        for line, vid in zip(lines, vids, strict=True):
            out[vid].append(line)
        return out

    zh, en = verses("bible.zh", "zh.verse"), verses("bible.en", "en.verse")
    chapters: dict[str, list[str]] = defaultdict(list)
    for vid in en:
        if vid in zh:
            book, chapter, _ = vid.split(":")
            chapters[f"{book}/{chapter}"].append(vid)
    names = list(chapters)[: docs or None]
    for name in names:
        folder = dest / name
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "zh.txt").write_text("\n\n".join("".join(zh[v]) for v in chapters[name])
                                       + "\n", encoding="utf-8")
        (folder / "en.txt").write_text("\n\n".join(" ".join(en[v]) for v in chapters[name])
                                       + "\n", encoding="utf-8")
    return len(names)


def make_unpc(dest: Path, docs: int | None) -> tuple[int, set[tuple[str, str, str]]]:
    """One folder per UN document; returns the count and the gold (doc, zh, en) pairs."""
    data = SHARED / "unpc-testset"
    zh = (data / "testset.zh").read_text(encoding="utf-8").splitlines()
    en = (data / "testset.en").read_text(encoding="utf-8").splitlines()
    groups: dict[str, list[tuple[tuple[int, int], tuple[int, int], int]]] = defaultdict(list)
    for k, line in enumerate((data / "testset.ids").read_text().splitlines()):
        doc, *places = line.split()
        pos = {p.split(":")[0]: (int(p.split(":")[1]), int(p.split(":")[2])) for p in places}
        groups[doc].append((pos["zh"], pos["en"], k))
    gold: set[tuple[str, str, str]] = set()
    names = sorted(groups)[: docs or None]
    for doc in names:
        rows = groups[doc]
        folder = dest / doc
        folder.mkdir(parents=True, exist_ok=True)
        zh_lines = [zh[k] for _, _, k in sorted(rows, key=lambda r: r[0])]
        en_lines = [en[k] for _, _, k in sorted(rows, key=lambda r: r[1])]
        (folder / "zh.txt").write_text("\n\n".join(zh_lines) + "\n", encoding="utf-8")
        (folder / "en.txt").write_text("\n\n".join(en_lines) + "\n", encoding="utf-8")
        gold.update((doc, zh[k].strip(), en[k].strip()) for _, _, k in rows)
    return len(names), gold


# --------------------------------------------------------------------------- runs

def timeline(out: Path, tree: Path, entries: list[dict[str, Any]], started: float,
             wall: float, workers: int) -> dict[str, Any]:
    """Where a run's wall time went, from each document's own times.

    A document ended when its last file was written (the newest mtime in
    ``OUT/<id>/``, the system clock, exact to the document even when several
    come back in one call) and began its ``seconds`` (the worker's own timer)
    before. Laid end to end on ``workers`` chains (an interval graph: a worker
    builds one document at a time, so the greedy partition is exact), they
    split the wall into parts that add up to it::

        wall = startup + work / workers + idle / workers + after_last

    ``startup_s`` is the command's start to the first document's begin;
    ``work_s`` the documents' own seconds (summed over workers); ``idle_s`` the
    worker-seconds of the document phase without a document: ``late_s`` (a
    worker's first document began after the run's first), ``gaps_s`` (between
    two documents of one worker: the call's round trip and its overheads, and
    the document's own work outside its timer: its folder's lock and fsync and
    the record of its outputs, and with ``--jobs 1`` the ledger line's fsync,
    as the driver builds the documents itself; fsync-bound, so it grows with
    the other jobs' writes: 3-5 ms a document quiet, 13-29 ms at load 8-20)
    and ``tail_s`` (a worker done before the run's last document ended);
    ``after_last_s`` the last document's end to the command's exit.
    ``rate_kb_s`` is the input kilobytes built per second of a document's own
    time (the machine's speed for the documents, which varies from run to run
    with other jobs, and which none of the parts above hides).
    """
    spans: list[tuple[float, float, str]] = []
    for entry in entries:
        folder = out / entry["id"]
        mtimes = [p.stat().st_mtime for p in folder.glob("*") if p.is_file()]
        if entry.get("status") == "ok" and mtimes:
            end = max(mtimes) - started
            spans.append((end - entry.get("seconds", 0.0), end, entry["id"]))
    if not spans:
        return {}
    spans.sort()
    free = [(-1e9, -1)] * workers  # (end of its last document, chain)
    chains: list[list[tuple[float, float, str]]] = [[] for _ in range(workers)]
    for begin, end, doc in spans:
        # the worker that became free last before this document began (greedy
        # interval partitioning; 5 ms for the timers' rounding)
        fits = [k for k, (t, _) in enumerate(free) if t <= begin + 0.005]
        k = max(fits, key=lambda k: free[k][0]) if fits else min(
            range(workers), key=lambda k: free[k][0])
        free[k] = (end, k)
        chains[k].append((begin, end, doc))
    chains = [c for c in chains if c]
    first = min(c[0][0] for c in chains)
    last = max(c[-1][1] for c in chains)
    work = sum(e - b for c in chains for b, e, _ in c)
    late = sum(c[0][0] - first for c in chains)
    tail = sum(last - c[-1][1] for c in chains)
    gaps = sum(max(0.0, c[i + 1][0] - c[i][1]) for c in chains for i in range(len(c) - 1))
    ends = sorted(c[-1][1] for c in chains)
    sizes = {e["id"]: sum(p.stat().st_size for p in (tree / e["id"]).glob("*") if p.is_file())
             for e in entries if e.get("status") == "ok"}
    # every document's span by worker, beside OUT (for plots; not read back)
    (out.parent / f"{out.name}.timeline.json").write_text(json.dumps(
        [[[round(b, 3), round(e, 3), d] for b, e, d in c] for c in chains]))
    by_time = sorted(spans, key=lambda s: s[1] - s[0], reverse=True)
    longest = by_time[0]
    return {
        "startup_s": round(first, 2),
        "work_s": round(work, 2),
        "idle_s": {"late": round(late, 2), "gaps": round(gaps, 2), "tail": round(tail, 2)},
        "workers": len(chains),
        "docs_per_worker": [len(c) for c in chains],
        "work_per_worker_s": [round(sum(e - b for b, e, _ in c), 2) for c in chains],
        "after_last_s": round(wall - last, 2),
        # the first worker to run out of documents: the run's tail begins there
        "tail_from_s": round(ends[0], 2),
        "check_s": round(first + (work + late + gaps + tail) / len(chains) + wall - last
                         - wall, 3),
        # the longest document (its own seconds) and where it began, as a share
        # of the document phase (0 first, 1 last)
        "longest_doc": {"id": longest[2], "seconds": round(longest[1] - longest[0], 2),
                        "began_at": round((longest[0] - first) / max(last - first, 1e-9), 3)},
        "rate_kb_s": round(sum(sizes.values()) / 1024 / work, 2) if work else 0.0,
    }



def build(tree: Path, out: Path, *extra: str, env: dict[str, str] | None = None
          ) -> dict[str, Any]:
    """Run the CLI (``env``: variables to add); wall time, peak RSS of its
    processes, ledger totals, and where the wall time went.

    The CLI runs with ``-v``, which logs one line per document as the driver
    records it; each line is timed as it arrives. ``startup_s`` is the time
    from the command's start until the first document began building (its
    arrival less its own ``seconds``): interpreter, scan, planning, workers and
    model loading, whatever of them is not overlapped. ``after_last_s`` runs
    from the last document recorded to the command's exit: the corpus files,
    and for a local Ray what of its stopping they do not hide. ``ray_init_s``
    is the engine's own log of ``ray.init``. ``driver_cpu_s`` splits the
    driver's CPU: before the first document began, while documents were
    built (beside the workers), after the last one.
    """
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    stolen = steal()
    before = usage.ru_maxrss
    started = time.perf_counter()
    epoch = time.time()  # the documents' files are dated by the system clock
    proc = subprocess.Popen([*BITEXT, "-v", "build", str(tree), "-o", str(out),
                             "--no-glossary", *extra], stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True,
                            env={**os.environ, **(env or {})})
    cpu_tree = TreeCpu(proc.pid)
    assert proc.stderr is not None
    arrived: dict[str, float] = {}
    lines: list[str] = []
    for line in proc.stderr:
        match = re.match(r"bitext: INFO: (\S+): ", line)
        if match and match.group(1) not in arrived:
            arrived[match.group(1)] = time.perf_counter() - started
        lines.append(line.rstrip("\n"))
    proc.wait()
    wall = time.perf_counter() - started
    tree_cpu = cpu_tree.stop()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    peak = after.ru_maxrss
    # CPU of the command and of the processes it waited for (the pool's workers).
    cpu = (after.ru_utime + after.ru_stime) - (usage.ru_utime + usage.ru_stime)
    manifest = out / "manifest.jsonl"
    # A command that failed before its first document (Ray did not start) has
    # no manifest: the run is reported with its exit code and its stderr's tail.
    entries = ([json.loads(line) for line in manifest.read_text().splitlines()]
               if manifest.exists() else [])
    ok = [e for e in entries if e["status"] == "ok"]
    timed = {e["id"]: arrived[e["id"]] for e in entries if e["id"] in arrived}
    phases: dict[str, Any] = {}
    if timed:
        seconds = {e["id"]: e.get("seconds", 0.0) for e in entries}
        phases["startup_s"] = round(min(t - seconds[i] for i, t in timed.items()), 2)
        phases["after_last_s"] = round(wall - max(timed.values()), 2)
        phases["startup_share"] = round(phases["startup_s"] / wall, 3)
        # The driver's CPU beside the workers (every second of it on 2 cores is
        # taken from them) and alone at the ends: before the first document
        # began (scan, hashes, plan, its share of the start), while documents
        # were built (results, ledger, progress), after the last one (corpus
        # files, stopping the engine). Sampled every 0.5 s.
        first_began = started + phases["startup_s"]
        last_ended = started + max(timed.values())
        at_first, at_last = (cpu_tree.root_cpu_at(first_began),
                              cpu_tree.root_cpu_at(last_ended))
        driver = cpu_tree.seen.get(proc.pid, 0.0)
        phases["driver_cpu_s"] = {"before_first": round(at_first, 2),
                                  "documents": round(at_last - at_first, 2),
                                  "after_last": round(driver - at_last, 2)}
        jobs = int(extra[extra.index("--jobs") + 1]) if "--jobs" in extra else 1
        phases["timeline"] = timeline(out, tree, entries, epoch, wall, jobs)
        if phases["timeline"]:
            first_began = started + phases["timeline"]["startup_s"]
            last_ended = started + wall - phases["timeline"]["after_last_s"]
        # Every kind of process's CPU before the first document began, while
        # documents were built, after the last one ended: what a local Ray's
        # services take from the documents' cores is the middle figure.
        phases["cpu_by_phase"] = cpu_tree.by_kind_phases([first_began, last_ended])
    init = [float(m.group(1)) for text in lines
            if (m := re.search(r"Ray: .* in ([0-9.]+) s", text))]
    if init:
        phases["ray_init_s"] = init[0]
    return {
        "args": " ".join(extra), "exit": proc.returncode, "wall_s": round(wall, 2),
        "cpu_s": round(cpu, 2), "tree_cpu_s": tree_cpu, "tree_cpu_by_process": cpu_tree.by_kind(),
        "docs": len(ok), "failed": len(entries) - len(ok),
        "sentences": sum(e["sentences"] for e in ok),
        "docs_per_s": round(len(ok) / wall, 2),
        "sentences_per_s": round(sum(e["sentences"] for e in ok) / wall, 1),
        **phases,
        # ru_maxrss only grows: a figure is exact when this run set a new maximum.
        "peak_rss_mb": round(max(peak, before) / 1024, 1), "load": load(),
        "steal_s": round(steal() - stolen, 2),
        "stderr_tail": [t for t in lines if not t.startswith("bitext: INFO:")][-3:],
    }


# A Ray instance that is already running, as a cluster is: started by another
# process, which prints its address and the seconds ray.init took, then holds
# it until its stdin closes (its ray.shutdown stops only its own processes).
# Its workers run at the benchmark's niceness (worker_niceness 0), as the
# pool's workers and a local Ray's actors do: with Ray's default (+15 below
# its services) the joining run's actors got less CPU than the pool's workers
# whenever other jobs shared the cores (session 16: documents +43.8% of the
# pool's wall at load 12-18), which compared niceness, not Ray. On a node of
# its own a cluster's +15 costs nothing: nothing else runs there.
# Its session folder is removed after the stop, as bitext's own local instance
# removes its own (Ray never does): each round left one in /tmp/ray.
_HOLDER = """
import sys, time
sys.path.insert(0, sys.argv[2])
import ray
from bitext.engines.ray import _own_session, _remove_session
started = time.perf_counter()
ctx = ray.init(num_cpus=int(sys.argv[1]), include_dashboard=False, log_to_driver=False,
               _system_config={"worker_niceness": 0})
print(ctx.address_info["gcs_address"], round(time.perf_counter() - started, 2), flush=True)
session = _own_session(ray)
sys.stdin.read()
ray.shutdown()
if session is not None:
    _remove_session(session)
"""


@contextlib.contextmanager
def running_ray(cpus: int) -> Iterator[tuple[str, float]]:
    """A local Ray instance started beforehand: ``(address, seconds ray.init took)``."""
    holder = subprocess.Popen([sys.executable, "-c", _HOLDER, str(cpus), str(ROOT)],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                              stderr=subprocess.DEVNULL, text=True)
    try:
        assert holder.stdout is not None
        address, seconds = holder.stdout.readline().split()
        yield address, float(seconds)
    finally:
        assert holder.stdin is not None
        holder.stdin.close()
        holder.wait(timeout=120)


def f1_unpc(out: Path, gold: set[tuple[str, str, str]]) -> dict[str, Any]:
    """Strict F1 of the corpus links (both sides non-empty) against the 1-1 gold."""
    predicted: set[tuple[str, str, str]] = set()
    for shard in sorted(out.glob("corpus.*.jsonl")):
        for line in shard.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            if row["zh"] and row["en"]:
                predicted.add((row["doc"], "".join(row["zh"]).strip(),
                               " ".join(row["en"]).strip()))
    tp = len(predicted & gold)
    p = tp / len(predicted) if predicted else 0.0
    r = tp / len(gold) if gold else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4),
            "f1": round(2 * p * r / (p + r), 4) if p + r else 0.0,
            "predicted": len(predicted), "gold": len(gold)}


def same_as_alone(tree: Path, out: Path, sample: int) -> dict[str, Any]:
    """Align ``sample`` documents alone, in this process, and compare their beads."""
    sys.path.insert(0, str(ROOT))
    from bitext.batch import discover
    from bitext.build import BuildSettings, build_document

    settings = BuildSettings(glossary=False)
    docs = discover([tree], ("zh", "en"))
    step = max(1, len(docs) // sample)
    same = checked = 0
    with tempfile.TemporaryDirectory() as tmp:
        for doc in docs[::step][:sample]:
            alone = build_document(doc, Path(tmp) / doc.id, settings)
            beads = Path(tmp) / doc.id / f"{doc.stem}.beads"
            checked += 1
            batch = out / doc.id / f"{doc.stem}.beads"
            same += alone.status == "ok" and beads.read_bytes() == batch.read_bytes()
    return {"documents_checked": checked, "identical_beads": same}


def _timed(fn: Any, repeats: int, firsts: list[float] | None = None) -> tuple[float, float]:
    """Median wall and CPU seconds (``time.process_time``: this process only, so
    comparable on a machine that other jobs load) of ``repeats`` calls of ``fn``;
    the first call's CPU seconds are appended to ``firsts`` when given."""
    walls, cpus = [], []
    for _ in range(repeats):
        w, c = time.perf_counter(), time.process_time()
        fn()
        cpus.append(time.process_time() - c)
        walls.append(time.perf_counter() - w)
    if firsts is not None:
        firsts.append(round(cpus[0], 2))
    return round(statistics.median(walls), 2), round(statistics.median(cpus), 2)


def overhead(repeats: int = 3) -> dict[str, Any]:
    """Per-document time of the report-sized pair with the model loaded.

    Each figure is the median of ``repeats`` runs, wall and CPU seconds; the
    encoder's in-run cache is emptied before each run, so nothing is reused
    from the run before (a worker does the same between documents).
    """
    sys.path.insert(0, str(ROOT))
    from bitext.build import BuildSettings, build_document, find_document, prepare_worker
    from bitext.ingest.document import load_document
    from bitext.pipeline import align_both, release_encoder

    doc = find_document(ROOT / "corpora" / "un-som-2016", ("zh", "en"))
    started = time.perf_counter()
    prepare_worker(BuildSettings(), threads=1)
    model_s = time.perf_counter() - started
    figures: dict[str, Any] = {"model_load_s": round(model_s, 2), "load": load()}
    with tempfile.TemporaryDirectory() as tmp:
        results = []
        for glossary in (False, True):
            def run(glossary: bool = glossary) -> None:
                release_encoder("use")
                results.append(build_document(doc, Path(tmp), BuildSettings(glossary=glossary)))
            firsts: list[float] = []
            wall, cpu = _timed(run, repeats, firsts)
            key = "build_glossary" if glossary else "build"
            figures[f"{key}_s"], figures[f"{key}_cpu_s"] = wall, cpu
            # the first build of each kind: what a worker's first document costs
            # beyond the others (tables loaded on first use)
            figures[f"{key}_first_cpu_s"] = firsts[0]
        docs: list[Any] = []
        wall, cpu = _timed(lambda: docs.extend([load_document(doc.files["zh"], "zh"),
                                                load_document(doc.files["en"], "en")]), 1)
        figures["load_documents_s"], figures["load_documents_cpu_s"] = wall, cpu
        src, tgt = docs[0], docs[1]

        def align() -> None:
            release_encoder("use")
            align_both(src, tgt, encoder="use")
        figures["align_s"], figures["align_cpu_s"] = _timed(align, repeats)
        figures["sentences"] = {"zh": len(src.sentences), "en": len(tgt.sentences)}
        figures["links"] = results[-1].links
    figures["load_after"] = load()
    figures["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    return figures


def engine_round(tree: Path, base: Path, args: argparse.Namespace,
                 backwards: bool = False) -> dict[str, Any]:
    """``--jobs 1``, ``--jobs 2``, Ray with its start-up, Ray joining an instance
    started beforehand: wall times, where they went, and the ratios.

    ``backwards`` runs them in the reverse order: the machine's speed for the
    same documents drifts between runs (the pool's CPU for them moved by 25%
    between quiet rounds, session 15), and rounds run alternately forwards and
    backwards put each engine as often before the other as after it.
    """
    out: dict[str, Any] = {}

    def jobs1() -> None:
        out["jobs1"] = build(tree, base / "j1", "--jobs", "1")

    def jobs2() -> None:
        out["jobs2"] = build(tree, base / "j2", "--jobs", "2")

    def ray2() -> None:
        # Ray's start-up included: the run starts a local instance and stops it.
        out["ray2"] = build(tree, base / "ray", "--jobs", "2", "--engine", "ray")

    def ray2_running() -> None:
        # A cluster already running: the run joins it (actors and their
        # model loading are still the run's, as the local pool's workers are).
        with running_ray(2) as (address, init_s):
            out["ray_init_s"] = init_s
            # The instance uses Ray's token authentication (its default);
            # a driver joining it sends the token (~/.ray/auth_token).
            out["ray2_running"] = build(tree, base / "ray_running", "--jobs", "2",
                                        "--engine", "ray", "--ray-address", address,
                                        env={"RAY_AUTH_MODE": "token"})

    runs = [*([] if args.skip_jobs1 else [jobs1]), jobs2,
            *([] if args.skip_ray else [ray2]),
            *([] if args.skip_ray or args.skip_ray_running else [ray2_running])]
    for run in reversed(runs) if backwards else runs:
        run()
    out["order"] = [run.__name__ for run in (reversed(runs) if backwards else runs)]
    if "jobs1" in out:
        out["speedup_1_to_2"] = round(out["jobs1"]["wall_s"] / out["jobs2"]["wall_s"], 2)
    for key, name in (("ray2", "ray_overhead"), ("ray2_running", "ray_overhead_running")):
        if key in out:
            out[name] = round(out[key]["wall_s"] / out["jobs2"]["wall_s"] - 1, 3)
            out[f"{name}_parts"] = overhead_parts(out[key], out["jobs2"])
    return out


def overhead_parts(run: dict[str, Any], pool: dict[str, Any]) -> dict[str, float]:
    """A run's wall over the pool's, split as :func:`timeline` splits a wall:
    the difference of each part (start-up, document work over the workers,
    idle worker time over the workers, after the last document) as a share of
    the pool's wall; the parts add up to the overhead. ``documents`` is where
    the machine's own speed for the documents shows (and any slower work on
    the engine's workers: their CPU a kilobyte, ``cpu_by_phase``, tells which).
    """
    a, b = run.get("timeline"), pool.get("timeline")
    if not a or not b:
        return {}

    def parts(t: dict[str, Any]) -> dict[str, float]:
        k = t["workers"]
        return {"startup": t["startup_s"], "documents": t["work_s"] / k,
                "idle": sum(t["idle_s"].values()) / k, "after_last": t["after_last_s"]}

    pa, pb = parts(a), parts(b)
    return {key: round((pa[key] - pb[key]) / pool["wall_s"], 3) for key in pa}


def summary(rounds: list[dict[str, Any]]) -> dict[str, Any]:
    """Median, lowest and highest of each ratio over the rounds, and the median
    of each part of the Ray overheads: one round is one sample of a machine
    whose speed moves between runs."""
    out: dict[str, Any] = {"rounds": len(rounds)}
    for name in ("speedup_1_to_2", "ray_overhead", "ray_overhead_running"):
        values = [r[name] for r in rounds if name in r]
        if values:
            out[name] = {"median": round(statistics.median(values), 3),
                         "min": min(values), "max": max(values)}
        parts = [r[f"{name}_parts"] for r in rounds if r.get(f"{name}_parts")]
        if parts:
            out[f"{name}_parts"] = {key: round(statistics.median(p[key] for p in parts), 3)
                                    for key in parts[0]}
    for key in ("jobs1", "jobs2", "ray2", "ray2_running"):
        walls = [r[key]["wall_s"] for r in rounds if key in r]
        if walls:
            out[f"{key}_wall_s"] = round(statistics.median(walls), 2)
            out[f"{key}_tree_cpu_s"] = round(statistics.median(
                r[key]["tree_cpu_s"] for r in rounds if key in r), 2)
    return out


def saved(results: dict[str, Any]) -> dict[str, Any]:
    """What ``--save`` keeps of a run for ``readme_table.py --collect``: the
    collection, each round's walls and ratios with Ray's start-up, the
    summary, the rerun, F1 and the documents aligned alone (not each run's
    CPU by process and timeline: those stay in the printed output)."""
    def wall(run: dict[str, Any] | None) -> float | None:
        return run["wall_s"] if run else None

    def cpu(run: dict[str, Any] | None) -> float | None:
        return run["tree_cpu_s"] if run else None

    rounds = []
    for r in results.get("rounds", []):
        ray = r.get("ray2") or {}
        rounds.append({
            "jobs1_s": wall(r.get("jobs1")), "jobs2_s": wall(r.get("jobs2")),
            "jobs1_cpu_s": cpu(r.get("jobs1")), "jobs2_cpu_s": cpu(r.get("jobs2")),
            "speedup": r.get("speedup_1_to_2"),
            "ray_s": wall(r.get("ray2")), "ray_cpu_s": cpu(r.get("ray2")),
            "ray_startup_s": ray.get("startup_s"),
            "ray_init_s": ray.get("ray_init_s"), "ray_overhead": r.get("ray_overhead"),
            "ray_running_s": wall(r.get("ray2_running")),
            "ray_overhead_running": r.get("ray_overhead_running"),
            "load": (r.get("jobs2") or {}).get("load"),
        })
    rerun = results.get("rerun") or {}
    return {"benchmark": "scale", "source": results["source"],
            "documents": results["documents"], "rounds": rounds,
            "summary": results.get("summary", {}),
            "rerun": {"wall_s": rerun.get("wall_s"), "cpu_s": rerun.get("cpu_s")},
            **({"f1": results["f1"]} if "f1" in results else {}),
            **({"alone": results["alone"]} if "alone" in results else {})}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--source", choices=["bible", "unpc"], default="unpc")
    ap.add_argument("--docs", type=int, default=None, help="first N documents (default all)")
    ap.add_argument("--skip-ray", action="store_true")
    ap.add_argument("--skip-jobs1", action="store_true",
                    help="no --jobs 1 run (Ray against the local pool only)")
    ap.add_argument("--skip-ray-running", action="store_true",
                    help="skip the Ray run on an instance started beforehand")
    ap.add_argument("--skip-overhead", action="store_true")
    ap.add_argument("--only-overhead", action="store_true",
                    help="only the report-sized pair with the model loaded (quick)")
    ap.add_argument("--rounds", type=int, default=2,
                    help="rounds of the engine runs (jobs 1, jobs 2, Ray), each reported "
                         "(default 2: a 20 s run varies by 10-15%% between rounds)")
    ap.add_argument("--repeats", type=int, default=3,
                    help="runs of the report-sized pair, median reported (default 3)")
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared" / "data",
                    help="the shared data folder (default ../shared/data)")
    ap.add_argument("--keep", type=Path, default=None, help="build here and keep the outputs")
    ap.add_argument("--save", action="store_true",
                    help="also write benchmarks/results/scale-SOURCE.json (rounds and "
                         "summary) for readme_table.py --collect")
    args = ap.parse_args(argv)
    global SHARED
    SHARED = args.shared
    if args.only_overhead:
        print(json.dumps({"overhead": overhead(args.repeats)}, indent=1, ensure_ascii=False))
        return 0
    if not SHARED.is_dir():
        sys.exit(f"error: {SHARED} not found (give --shared)")
    results: dict[str, Any] = {"source": args.source}
    if not args.skip_overhead:
        results["overhead"] = overhead(args.repeats)  # first: the model load is measured cold
    with tempfile.TemporaryDirectory() as tmp:
        base = args.keep or Path(tmp)
        tree = base / "tree"
        gold: set[tuple[str, str, str]] = set()
        if args.source == "bible":
            results["documents"] = make_bible(tree, args.docs)
        else:
            results["documents"], gold = make_unpc(tree, args.docs)
        # Each round runs every engine once, one after another, so that a round's
        # figures saw about the same load; a 20 s run moves by 10-15% between rounds.
        rounds = []
        for n in range(args.rounds):
            rounds.append(engine_round(tree, base / f"round{n}", args, backwards=n % 2 == 1))
            print(json.dumps({f"round{n + 1}": rounds[-1]}, indent=1), file=sys.stderr)
        results["rounds"] = rounds
        results["summary"] = summary(rounds)
        first = base / "round0"
        results["rerun"] = build(tree, first / "j2", "--jobs", "2")
        shards = [str(p) for p in sorted((first / "j2").glob("corpus.*.jsonl"))]
        t = time.perf_counter()
        res = subprocess.run([*BITEXT, "filter", *shards, "-o", str(base / "filtered.jsonl"),
                              "--filter", "default", "--filter", "dedupe"],
                             capture_output=True, text=True)
        results["filters"] = {"summary": res.stderr.strip(), "load": load(),
                              "seconds": round(time.perf_counter() - t, 2)}
        if gold:
            results["f1"] = f1_unpc(first / "j2", gold)
        results["alone"] = same_as_alone(tree, first / "j2", 20)
    print(json.dumps(results, indent=1, ensure_ascii=False))
    if args.save:
        from results_io import save_result

        save_result(f"scale-{args.source}", saved(results))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
