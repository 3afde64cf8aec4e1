"""Sentence alignment on literary zh-en text: MAC-Dev chapters, pre-split, strict P/R/F1.

    python benchmarks/literary.py --mac-dev DIR                     # bitext, then Bertalign
    python benchmarks/literary.py --mac-dev DIR --aligner bitext
    python benchmarks/literary.py --mac-dev DIR --in-process --set windows=exact --errors
    python benchmarks/literary.py --mac-dev DIR --pieces 2          # half chapters
    python benchmarks/literary.py --mac-dev DIR --regions      # why each error region lost

The data is not in the repository (the novels are copyrighted): MAC-Dev, the
development split of the MAC corpus (Liu and Zhu's Bertalign paper), is the
public GitHub repository ``bfsujason/mac``, folder ``dev/``. Put into DIR:

- ``dev/tsv/dev-anno.00N_zh.00N_en.tsv``: one gold bead a line, ``zh<TAB>en``,
  the sentences of a side joined by one space (an empty side is a 1-0 or 0-1
  bead);
- for the sentence counts, beside each TSV either its InterText link file
  ``dev/intertext/dev-anno.00N_zh.00N_en.xml`` (same stem, ``.xml``) or a
  ``.types`` file with the ``type`` attribute of its links one per line
  (``"2-1"``: English count first, then Chinese, as in those files).

Each side's sentences are recovered from the bead's text (the TSV loses the
sentence boundaries inside a side) and written one sentence per line, then
aligned as the hidden literary test runs them: one whole ``bitext align
--segmented`` process per chapter (``benchmarks/bertalign_use.py`` for
Bertalign's algorithm with the same encoder). Chinese: the side split at its
spaces; where a sentence holds a space itself (after ``；``, inside ``…… ``,
between a closing quote and a speech tag) and the link says fewer sentences,
the spaces least like a sentence end are closed first. English: split at the
``count - 1`` gaps most like a sentence end (end punctuation, closing quotes,
then a capital; bitext's English segmenter breaks ties), or with bitext's
segmenter alone when no counts are given.

CPU time is user + system of the aligner processes (and the embedding workers
they wait for), which varies far less with a shared machine's load than wall
time; ``--in-process`` instead runs ``align_sentences`` in this process with
one encoder (its cache makes repeated lever runs cheap) and reports no time.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import regex

from bitext.align.evaluate import Bead, count_beads, read_beads

ROOT = Path(__file__).resolve().parent.parent

#: Chinese sentence end: 。！？ (full or half width) or an ellipsis, then closing quotes.
_ZH_END = regex.compile(r"[。！？!?][”’」』\"']*$")
_ZH_SOFT = regex.compile(r"(?:…|\.\.\.)[”’」』\"']*$")
#: English: end punctuation, closing quotes/brackets, then the gap.
_EN_END = regex.compile(r"[.?!][\"'’”)\]]*$")
_EN_SOFT = regex.compile(r"(?:…|\. \. \.|[:;—–])[\"'’”)\]]*$")
_EN_START = regex.compile(r"^[\"'‘“(\[]*[\p{Lu}\d]")


@dataclass
class Chapter:
    """One chapter: sentences of both sides and its gold beads (zh indices, en indices)."""

    name: str
    zh: list[str]
    en: list[str]
    gold: list[Bead]
    #: beads whose split had to choose between equally likely gaps
    ambiguous: int = 0


def _gaps(text: str) -> list[int]:
    return [m.start() for m in regex.finditer(r" ", text)]


def _split_at(text: str, cuts: list[int]) -> list[str]:
    out, pos = [], 0
    for c in sorted(cuts):
        out.append(text[pos:c].strip())
        pos = c + 1
    out.append(text[pos:].strip())
    return [s for s in out if s]


def _choose(scores: list[float], keep: int) -> tuple[list[int], bool]:
    """Indices of the ``keep`` best gaps (earliest first on ties) and whether a tie decided."""
    order = sorted(range(len(scores)), key=lambda k: (-scores[k], k))
    chosen = order[:keep]
    tie = 0 < keep < len(order) and scores[order[keep - 1]] == scores[order[keep]]
    return chosen, tie


def split_zh(text: str, count: int | None) -> tuple[list[str], bool]:
    """The Chinese sentences of one bead side (spaces separate them in the TSV)."""
    text = text.strip()
    if not text:
        return [], False
    gaps = _gaps(text)
    if count is None or count - 1 >= len(gaps):
        return _split_at(text, gaps), False

    def score(g: int) -> float:
        left, right = text[:g].rstrip(), text[g + 1:]
        if right.startswith(("…", "—")):
            return 0.0
        if _ZH_END.search(left):
            # a closing quote then a speech tag ("……” 他说。") ends a sentence less often
            return 2.0 if left[-1] in "”’」』\"'" else 3.0
        return 1.0 if _ZH_SOFT.search(left) else 0.0

    chosen, tie = _choose([score(g) for g in gaps], max(count - 1, 0))
    return _split_at(text, [gaps[k] for k in chosen]), tie


def split_en(text: str, count: int | None) -> tuple[list[str], bool]:
    """The English sentences of one bead side: ``count`` of them, or as bitext segments."""
    from bitext.align.segment import split_sentences

    text = text.strip()
    if not text:
        return [], False
    if count is None:
        return split_sentences(text, "en"), False
    gaps = _gaps(text)
    if count - 1 >= len(gaps):
        return _split_at(text, gaps), False
    ends, pos = set(), 0
    for s in split_sentences(text, "en")[:-1]:
        pos = text.index(s, pos) + len(s)
        ends.add(pos)

    def score(g: int) -> float:
        left, right = text[:g], text[g + 1:]
        v = 0.0
        if _EN_END.search(left):
            v = 3.0 if _EN_START.search(right) else 1.5
        elif _EN_SOFT.search(left):
            v = 1.0 if _EN_START.search(right) else 0.5
        return v + (0.5 if g in ends else 0.0)

    chosen, tie = _choose([score(g) for g in gaps], max(count - 1, 0))
    return _split_at(text, [gaps[k] for k in chosen]), tie


def link_types(tsv: Path) -> list[tuple[int, int]] | None:
    """(English, Chinese) sentence counts per bead, from the ``.xml`` or ``.types`` beside it."""
    xml, types = tsv.with_suffix(".xml"), tsv.with_suffix(".types")
    if xml.is_file():
        raw = [link.get("type", "") for link in ET.parse(xml).getroot().iter("link")]
    elif types.is_file():
        raw = types.read_text(encoding="utf-8").split()
    else:
        return None
    out = []
    for t in raw:
        e, _, z = t.partition("-")
        out.append((int(e), int(z)))
    return out


def load_chapter(tsv: Path) -> Chapter:
    """Read one MAC TSV (and its link counts) into sentences and gold beads."""
    rows = [line.split("\t") for line in tsv.read_text(encoding="utf-8").splitlines()]
    rows = [r for r in rows if len(r) == 2]
    counts = link_types(tsv)
    if counts is not None and len(counts) != len(rows):
        sys.exit(f"error: {tsv}: {len(rows)} beads but {len(counts)} links beside it")
    zh: list[str] = []
    en: list[str] = []
    gold: list[Bead] = []
    ambiguous = 0
    for k, (z, e) in enumerate(rows):
        ne, nz = counts[k] if counts is not None else (None, None)
        zs, tz = split_zh(z, nz)
        es, te = split_en(e, ne)
        ambiguous += tz or te
        gold.append((tuple(range(len(zh), len(zh) + len(zs))),
                     tuple(range(len(en), len(en) + len(es)))))
        zh += zs
        en += es
    return Chapter(tsv.name.split("_")[0], zh, en, gold, ambiguous)


def split_chapter(ch: Chapter, pieces: int) -> list[Chapter]:
    """``ch`` cut into ``pieces`` chapters of about as many gold beads, at bead boundaries.

    Each piece holds the sentences its beads cover, renumbered from 0, so it can
    be aligned on its own as a shorter chapter.
    """
    out = []
    n = len(ch.gold)
    for q in range(pieces):
        beads = ch.gold[q * n // pieces:(q + 1) * n // pieces]
        if not beads:
            continue
        zs = [i for s, _ in beads for i in s]
        es = [j for _, t in beads for j in t]
        z0 = zs[0] if zs else 0
        e0 = es[0] if es else 0
        gold = [(tuple(i - z0 for i in s), tuple(j - e0 for j in t)) for s, t in beads]
        out.append(Chapter(f"{ch.name}.{q + 1}of{pieces}",
                           ch.zh[z0:z0 + len(zs)], ch.en[e0:e0 + len(es)], gold))
    return out


def load_dir(path: Path) -> list[Chapter]:
    tsvs = sorted(path.glob("*.tsv"))
    if not tsvs:
        sys.exit(f"error: no *.tsv in {path}; see --help for where MAC-Dev is")
    return [load_chapter(p) for p in tsvs]


def shapes(beads: list[Bead]) -> Counter[str]:
    return Counter(f"{len(s)}-{len(t)}" for s, t in beads)


def _cpu_children() -> float:
    u = resource.getrusage(resource.RUSAGE_CHILDREN)
    return u.ru_utime + u.ru_stime


def run_processes(chapters: list[Chapter], aligner: str, encoder: str, work: Path, nice: int,
                  max_bead: int | None) -> tuple[list[list[Bead]], float, float]:
    """Align every chapter in its own process; return beads, wall and CPU seconds."""
    env = dict(os.environ)
    extra = env.get("PYTHONPATH")
    env["PYTHONPATH"] = str(ROOT) + (os.pathsep + extra if extra else "")
    preds, wall, cpu = [], 0.0, 0.0
    for ch in chapters:
        zp, ep = work / f"{ch.name}.zh", work / f"{ch.name}.en"
        zp.write_text("".join(s + "\n" for s in ch.zh), encoding="utf-8")
        ep.write_text("".join(s + "\n" for s in ch.en), encoding="utf-8")
        out = work / f"{ch.name}.{aligner}.beads"
        if aligner == "bitext":
            cmd = [sys.executable, "-m", "bitext", "align", str(zp), str(ep), "--segmented",
                   "--src-lang", "zh", "--tgt-lang", "en", "--encoder", encoder, "-o", str(out)]
            if max_bead is not None:
                cmd += ["--max-bead", str(max_bead)]
        else:
            cmd = [sys.executable, str(ROOT / "benchmarks" / "bertalign_use.py"), str(zp), str(ep),
                   "--encoder", encoder, "-o", str(out)]
        c0, t0 = _cpu_children(), time.perf_counter()
        proc = subprocess.run(["nice", "-n", str(nice), *cmd], capture_output=True, text=True,
                              env=env)
        wall += time.perf_counter() - t0
        cpu += _cpu_children() - c0
        if proc.returncode != 0:
            sys.exit(f"error: {' '.join(cmd)} failed:\n{proc.stderr[-2000:]}")
        preds.append(read_beads(out))
    return preds, wall, cpu


def run_in_process(chapters: list[Chapter], encoder_name: str, max_bead: int,
                   settings: dict[str, Any]) -> list[list[Bead]]:
    """``align_sentences`` on each chapter with one encoder and these ``SearchParams``."""
    from bitext.align.encoders import get_encoder
    from bitext.align.sentences import SearchParams, align_sentences

    encoder = get_encoder(encoder_name)
    out = []
    for ch in chapters:
        links = align_sentences(ch.zh, ch.en, encoder, src_lang="zh", tgt_lang="en",
                                max_bead=max_bead, params=SearchParams(**settings))
        out.append([(tuple(lk.src), tuple(lk.tgt)) for lk in links])
    return out


def _value(text: str) -> Any:
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            pass
    return {"true": True, "false": False}.get(text.lower(), text)


def errors(chapters: list[Chapter], preds: list[list[Bead]]) -> dict[str, Any]:
    """Gold shapes missed and predicted shapes wrong (strict), summed over chapters."""
    missed: Counter[str] = Counter()
    wrong: Counter[str] = Counter()
    total: Counter[str] = Counter()
    for ch, pred in zip(chapters, preds, strict=True):
        g, p = set(ch.gold), set(pred)
        total += shapes(ch.gold)
        missed += shapes([b for b in ch.gold if b not in p])
        wrong += shapes([b for b in pred if b not in g])
    return {"gold_shapes": dict(total.most_common()),
            "gold_missed": dict(missed.most_common()),
            "pred_wrong": dict(wrong.most_common())}


def regions(gold: list[Bead], pred: list[Bead]) -> list[tuple[list[Bead], list[Bead]]]:
    """The stretches where ``gold`` and ``pred`` disagree: (gold beads, predicted beads) each.

    Both lists are in order and cover the same sentences; a region runs from the
    first bead that differs until both sides have covered the same sentences again.
    """

    def reach(beads: list[Bead], k: int) -> tuple[int, int]:
        return (max((x for b in beads[:k] for x in b[0]), default=-1),
                max((x for b in beads[:k] for x in b[1]), default=-1))

    out = []
    gi = pi = 0
    while gi < len(gold) and pi < len(pred):
        if gold[gi] == pred[pi]:
            gi, pi = gi + 1, pi + 1
            continue
        g0, p0 = gi, pi
        gi, pi = gi + 1, pi + 1
        while reach(gold, gi) != reach(pred, pi):
            if reach(gold, gi) < reach(pred, pi):
                gi += 1
            else:
                pi += 1
        out.append((gold[g0:gi], pred[p0:pi]))
    return out


def _terms(ctx: Any, bead: Bead) -> dict[str, float]:
    """Cosine and evidence terms (nats) of one bead under a finished search's calibration."""
    import numpy as np

    cal = ctx.cal
    s, t = bead
    a, b = len(s), len(t)
    prior = cal.prior(a, b)
    if not a or not b:
        return {"prior": round(prior, 1), "total": round(prior, 1)}
    i, j = np.array([s[-1] + 1]), np.array([t[-1] + 1])
    ctx._embed_windows({(0, s[-1] + 1, a), (1, t[-1] + 1, b)})
    cos = ctx._cos(i, a, j, b, True)
    ev = float(ctx.evidence(i, a, j, b, True)[0])
    return {"cos": round(float(cos[0]), 3),
            "sim": round(float(cal.sim_llr(cos)[0]), 1),
            "len": round(float(cal.length_llr(ctx.cls[i] - ctx.cls[i - a],
                                              ctx.clt[j] - ctx.clt[j - b])[0]), 1),
            "evidence": round(ev, 1), "prior": round(prior, 1), "total": round(ev + prior, 1)}


def explain(chapters: list[Chapter], encoder_name: str, max_bead: int,
            settings: dict[str, Any]) -> None:
    """Print each error region with the terms (nats) of its gold and predicted beads.

    Diagnostics only: it reruns the library's search and reads its private state
    (the final calibration), then embeds every window it prints exactly, so a
    bead's total here can differ from the value the search saw for it (which used
    summed vectors where no window text was embedded).
    """
    from bitext.align import sentences as S
    from bitext.align.encoders import get_encoder

    encoder = get_encoder(encoder_name)
    for ch in chapters:
        ctx = S._Context(ch.zh, ch.en, encoder.encode(ch.zh), encoder.encode(ch.en), encoder,
                         "zh", "en", max_bead, S.SearchParams(**settings), None)
        with S._one_blas_thread():
            pred = [(tuple(lk.src), tuple(lk.tgt)) for lk in ctx.run()]
        cal = ctx.cal
        print(f"== {ch.name}: similarity match {cal.sim_match:.3f} unrelated {cal.sim_null:.3f} "
              f"sd {cal.sim_sd:.3f}; length ratio {cal.length.ratio:.2f}")

        for g, p in regions(ch.gold, pred):
            tg = [_terms(ctx, b) for b in g]
            tp = [_terms(ctx, b) for b in p]
            print(f"-- gold {sum(x['total'] for x in tg):.1f} nats, "
                  f"predicted {sum(x['total'] for x in tp):.1f}")
            for tag, beads, ts in (("gold", g, tg), ("pred", p, tp)):
                for b, x in zip(beads, ts, strict=True):
                    print(f"   {tag} {len(b[0])}-{len(b[1])} {list(b[0])}:{list(b[1])} {x}")


def score(chapters: list[Chapter], preds: list[list[Bead]]) -> dict[str, float]:
    counts = [count_beads(ch.gold, p) for ch, p in zip(chapters, preds, strict=True)]
    total = counts[0]
    for c in counts[1:]:
        total = total + c
    s = total.scores()
    out = {k: round(s[k], 4) for k in ("strict_precision", "strict_recall", "strict_f1", "lax_f1")}
    out["per_chapter_f1"] = {ch.name: round(c.scores()["strict_f1"], 4)  # type: ignore[dict-item]
                             for ch, c in zip(chapters, counts, strict=True)}
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--mac-dev", type=Path, required=True, metavar="DIR",
                    help="folder with the MAC-Dev TSVs (and their .xml or .types)")
    ap.add_argument("--aligner", choices=["both", "bitext", "bertalign"], default="both")
    ap.add_argument("--encoder", default="use")
    ap.add_argument("--max-bead", type=int, default=None,
                    help="bitext's --max-bead (default: bitext's own default)")
    ap.add_argument("--in-process", action="store_true",
                    help="bitext in this process (lever runs; no timing)")
    ap.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                    help="a SearchParams setting for --in-process (repeatable)")
    ap.add_argument("--errors", action="store_true", help="also count missed and wrong shapes")
    ap.add_argument("--pieces", type=int, default=1, metavar="K",
                    help="cut each chapter into K pieces at gold bead boundaries (shorter "
                         "chapters: their statistics are measured on less text)")
    ap.add_argument("--regions", action="store_true",
                    help="print every error region with its beads' terms in nats (no scores)")
    ap.add_argument("--nice", type=int, default=10)
    ap.add_argument("--keep", type=Path, help="keep the sentence files and beads here")
    ap.add_argument("--json", action="store_true", help="one JSON object per aligner")
    args = ap.parse_args(argv)
    chapters = load_dir(args.mac_dev)
    if args.pieces > 1:
        chapters = [p for ch in chapters for p in split_chapter(ch, args.pieces)]
    settings = {k: _value(v) for k, _, v in (s.partition("=") for s in args.set)}
    from bitext.align.sentences import MAX_BEAD, SearchParams

    unknown = set(settings) - set(SearchParams.__dataclass_fields__)
    if unknown:
        sys.exit(f"error: --set {', '.join(sorted(unknown))}: not a SearchParams field")
    if args.regions:

        explain(chapters, args.encoder, args.max_bead or MAX_BEAD, settings)
        return 0
    work = args.keep or Path(tempfile.mkdtemp(prefix="literary-"))
    try:
        work.mkdir(parents=True, exist_ok=True)
        for ch in chapters:
            (work / f"{ch.name}.gold.beads").write_text(
                "".join(f"{list(s)}:{list(t)}\n" for s, t in ch.gold), encoding="utf-8")
        aligners = ["bitext", "bertalign"] if args.aligner == "both" else [args.aligner]
        for aligner in aligners:
            result: dict[str, Any] = {
                "benchmark": "literary", "aligner": aligner, "encoder": args.encoder,
                "chapters": len(chapters),
                "sentences_zh": sum(len(c.zh) for c in chapters),
                "sentences_en": sum(len(c.en) for c in chapters),
                "gold_beads": sum(len(c.gold) for c in chapters),
                "ambiguous_splits": sum(c.ambiguous for c in chapters),
            }
            if aligner == "bitext" and args.in_process:
                preds = run_in_process(chapters, args.encoder, args.max_bead or MAX_BEAD, settings)
                result["settings"] = settings
            else:
                preds, wall, cpu = run_processes(chapters, aligner, args.encoder, work, args.nice,
                                                 args.max_bead if aligner == "bitext" else None)
                result.update(time_s=round(wall, 1), cpu_s=round(cpu, 1))
            result.update(score(chapters, preds))
            if args.errors:
                result.update(errors(chapters, preds))
            result["load_1min"] = round(os.getloadavg()[0], 1)
            if args.json:
                print(json.dumps(result))
            else:
                for k, v in result.items():
                    print(f"{k:18} {v}")
                print()
    finally:
        if not args.keep:  # the chapters' inputs and outputs are scratch
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
