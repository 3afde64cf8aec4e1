"""Peak memory of whole ``bitext align`` runs on inputs with no line breaks.

    python benchmarks/memory.py                       # seed pair flattened, then 1, 5, 20 MB
    python benchmarks/memory.py --sizes 1 --skip-seed # one quick case
    python benchmarks/memory.py --encoder length      # the same without a model

Each case runs ``python -m bitext align ZH EN --format jsonl`` in a fresh
process and reports its peak RSS (``ru_maxrss`` of that process tree, read by
a small wrapper process with ``resource.getrusage(RUSAGE_CHILDREN)``), wall and
CPU time, and how it ended: ``result`` (exit 0), ``error`` (exit 1 with exactly
one ``Error:`` line), or ``KILLED`` / ``TRACEBACK`` / ``FAILED`` (never acceptable).

Cases:

(a) ``corpora/un-som-2016`` with every line break removed (English lines joined
    by a space, Chinese lines joined directly): paragraph structure is lost, and
    the sentences must still be found and aligned. Scored with ``bitext eval
    --corpus`` (sentence strict/lax F1) next to the normal input.
(b)/(c) single-line inputs of 1, 5 and 20 MB (the English side; the Chinese side
    holds the same sentences), made by concatenating the UNPC test set's parallel
    lines (``../shared/data/unpc-testset``), repeated as needed, in a temporary
    folder that is deleted afterwards (never committed). The largest runs under
    ``ulimit -v`` (``--ulimit-kb``, default 6,000,000 KB, as in issue 8). Reported
    with the share of the shorter side's sentences that got a counterpart.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "corpora" / "un-som-2016"
UNPC = ROOT.parent / "shared" / "data" / "unpc-testset"


def measure(cmd: list[str], limit_kb: int | None) -> None:
    """Wrapper mode: run ``cmd`` (under an address-space limit) and print its usage as JSON."""
    def limit() -> None:
        if limit_kb:
            resource.setrlimit(resource.RLIMIT_AS, (limit_kb * 1024, limit_kb * 1024))

    t0 = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, preexec_fn=limit)
    wall = time.perf_counter() - t0
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(json.dumps({
        "rc": proc.returncode, "stderr": proc.stderr[-4000:], "wall_s": round(wall, 1),
        "cpu_s": round(usage.ru_utime + usage.ru_stime, 1),
        "peak_rss_mb": round(usage.ru_maxrss / 1024),
    }))


def run_case(zh: Path, en: Path, out: Path, encoder: str, limit_kb: int | None,
             extra: list[str]) -> dict[str, object]:
    """Align ``zh`` with ``en`` into ``out`` (JSONL) in a measured fresh process."""
    cmd = [sys.executable, "-m", "bitext", "align", str(zh), str(en), "--src-lang", "zh",
           "--tgt-lang", "en", "--format", "jsonl", "-o", str(out), "--encoder", encoder, *extra]
    wrapper = [sys.executable, __file__, "--measure", str(limit_kb or 0), "--", *cmd]
    res = subprocess.run(wrapper, capture_output=True, text=True, check=True)
    info: dict[str, object] = json.loads(res.stdout)
    stderr = str(info.pop("stderr"))
    rc = int(str(info["rc"]))
    errors = [ln for ln in stderr.splitlines() if ln.startswith("Error:")]
    if rc < 0:
        outcome = f"KILLED (signal {-rc})"
    elif "Traceback" in stderr:
        outcome = "TRACEBACK"
    elif rc == 0:
        outcome = "result"
    elif rc == 1 and len(errors) == 1:
        outcome = "error: " + errors[0]
    else:
        outcome = f"FAILED (exit {rc})"
    info["outcome"] = outcome
    if outcome != "result" and not outcome.startswith("error: "):
        info["stderr_tail"] = stderr[-1500:]  # what went wrong, for the report
    info["warnings"] = [ln for ln in stderr.splitlines() if "WARNING" in ln]
    if rc == 0:
        info.update(coverage(out))
    return info


def coverage(path: Path) -> dict[str, object]:
    """Links, and the share of the shorter side's sentences in a link with both sides."""
    n = {"zh": 0, "en": 0}
    paired = {"zh": 0, "en": 0}
    links = 0
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            both = bool(row.get("zh")) and bool(row.get("en"))
            links += both
            for lang in n:
                k = len(row.get(lang) or [])
                n[lang] += k
                paired[lang] += k if both else 0
    short = min(n, key=lambda x: n[x])
    return {"links": links, "sentences": n,
            "paired_share": round(paired[short] / max(n[short], 1), 3)}


def evaluate(pred: Path) -> dict[str, float]:
    res = subprocess.run([sys.executable, "-m", "bitext", "eval", str(pred), "--corpus",
                          str(SEED), "--json"], capture_output=True, text=True, check=True)
    scores = json.loads(res.stdout)
    return {k: round(float(scores[k]), 4) for k in ("strict_f1", "lax_f1")}


def flatten(src: Path, dst: Path, joiner: str) -> None:
    lines = src.read_text(encoding="utf-8").splitlines()
    dst.write_text(joiner.join(ln.strip() for ln in lines if ln.strip()), encoding="utf-8")


def single_line_pair(folder: Path, mb: float, unpc: Path) -> tuple[Path, Path]:
    """``mb`` MB of English on one line (and the same sentences in Chinese), from UNPC."""
    zh_lines = (unpc / "testset.zh").read_text(encoding="utf-8").splitlines()
    en_lines = (unpc / "testset.en").read_text(encoding="utf-8").splitlines()
    pairs = [(z.strip(), e.strip()) for z, e in zip(zh_lines, en_lines, strict=False)
             if z.strip() and e.strip()]
    zh_parts: list[str] = []
    en_parts: list[str] = []
    size, k = 0, 0
    while size < mb * 1e6:
        z, e = pairs[k % len(pairs)]
        zh_parts.append(z)
        en_parts.append(e)
        size += len(e.encode("utf-8")) + 1
        k += 1
    zh, en = folder / f"single{mb:g}.zh.txt", folder / f"single{mb:g}.en.txt"
    zh.write_text("".join(zh_parts) + "\n", encoding="utf-8")
    en.write_text(" ".join(en_parts) + "\n", encoding="utf-8")
    return zh, en


def main() -> None:
    if len(sys.argv) > 2 and sys.argv[1] == "--measure":
        measure(sys.argv[4:], int(sys.argv[2]) or None)
        return
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", type=float, nargs="*", default=[1, 5, 20],
                    help="single-line input sizes in MB (English side)")
    ap.add_argument("--encoder", default="use")
    ap.add_argument("--ulimit-kb", type=int, default=6_000_000,
                    help="address-space limit (KB) for the largest size; 0 for none")
    ap.add_argument("--skip-seed", action="store_true", help="skip case (a)")
    ap.add_argument("--unpc", type=Path, default=UNPC, help="the UNPC test set folder")
    ap.add_argument("--extra", nargs="*", default=[], help="more options for bitext align")
    args = ap.parse_args()
    print(f"# load: {os.getloadavg()[0]:.1f} {os.getloadavg()[1]:.1f} "
          f"{os.getloadavg()[2]:.1f} on {os.cpu_count()} cores", flush=True)
    with tempfile.TemporaryDirectory(prefix="bitext-memory-") as tmp:
        folder = Path(tmp)
        if not args.skip_seed:
            flatten(SEED / "zh.txt", folder / "flat.zh.txt", "")
            flatten(SEED / "en.txt", folder / "flat.en.txt", " ")
            for name, zh, en in (("seed, normal", SEED / "zh.txt", SEED / "en.txt"),
                                 ("seed, no line breaks", folder / "flat.zh.txt",
                                  folder / "flat.en.txt")):
                out = folder / "seed.jsonl"
                info = run_case(zh, en, out, args.encoder, None, args.extra)
                if info["outcome"] == "result":
                    info.update(evaluate(out))
                print(json.dumps({"case": name, **info}, ensure_ascii=False), flush=True)
        if args.sizes and not args.unpc.is_dir():
            print(f"# skipped the single-line sizes: {args.unpc} not found", flush=True)
            return
        biggest = max(args.sizes, default=0)
        for mb in args.sizes:
            zh, en = single_line_pair(folder, mb, args.unpc)
            limit = args.ulimit_kb if mb == biggest and args.ulimit_kb else None
            info = run_case(zh, en, folder / "out.jsonl", args.encoder, limit, args.extra)
            print(json.dumps({"case": f"single line, {mb:g} MB", "ulimit_kb": limit, **info},
                             ensure_ascii=False), flush=True)
            for p in (zh, en, folder / "out.jsonl"):
                p.unlink(missing_ok=True)


if __name__ == "__main__":
    main()
