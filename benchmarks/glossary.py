"""Glossary benchmark: recall and precision-on-gold against a gold term list, and run time.

Usage (from the repository root)::

    python benchmarks/glossary.py                       # gold alignment, --min-freq 1 and 2
    python benchmarks/glossary.py --alignment pipeline  # align zh.txt/en.txt first (encoder use)
    python benchmarks/glossary.py --alignment both --top 30 --json results.json
    python benchmarks/glossary.py --dev                 # the UN dev set and its term gold
    python benchmarks/glossary.py --dev --cut --bounded 1000  # the large-memory path (slices)
    python benchmarks/glossary.py --dev --embed --cut --min-freq 1 --folds 5  # per document group
    python benchmarks/glossary.py --dev --embed --min-freq 1 --calibrate  # calibrated cut (studied)
    python benchmarks/glossary.py --dev --embed --min-freq 1 --draw 0.508 0.63 name  # to judge
    python benchmarks/glossary.py --dev2 --embed --cut --min-freq 1 --missing  # second gold
    python benchmarks/glossary.py --dev2 --cut --min-freq 1 --stages  # where each miss is lost
    python benchmarks/glossary.py --dev3 --embed --cut --min-freq 1  # held-out third gold

``--dev`` reads the zh-en lines of ``../shared/data/unpc-testset`` (4,000 real
UN sentence pairs of 731 documents), one alignment per document in reading
order (``testset.ids``), and scores against ``benchmarks/data/unpc-zh-en.terms.tsv``
(see ``benchmarks/data/README.md``). ``--dev2`` scores the same glossary against
the second gold ``benchmarks/data/unpc-zh-en.terms2.tsv`` instead (written from
other documents), and also on its pairs whose Chinese term the first gold lacks.
``--dev3`` scores against the held-out third gold ``unpc-zh-en.terms3.tsv``
(written from documents of neither; to score only, never to choose a rule or
to list its misses), and also on its pairs whose Chinese term neither earlier
gold has; ``--gold PATH`` names any gold.
``--curve`` prints precision on gold by rank score and by confidence, the
measurement behind the default cut-off.
``--bounded N`` cuts the input into slices of N segments as a large memory is
(:mod:`bitext.glossary.slices`), to measure what slicing costs.
``--pair en-fr`` (en-es, en-ru, en-ar) scores that pair of the dev set against
``benchmarks/data/unpc-PAIR.terms.tsv``; with ``--held`` the same extraction is
also scored against the pair's held-out gold ``unpc-PAIR.terms-held.tsv``
(figures only: it refuses ``--missing`` and ``--stages``).

The corpus folder (``corpora/un-som-2016`` by default) holds ``zh.txt``, ``en.txt``,
``gold.sentences.jsonl`` and ``gold.terms.tsv``. Figures (see
``bitext.glossary.evaluate``):

* **recall**: share of gold pairs whose Chinese term appears in the glossary
  with an accepted English variant;
* **precision on gold**: of the glossary's concepts whose Chinese term is a gold
  term, the share carrying a correct English term.

Times: ``load`` is the one-off start-up (jieba dictionary, CC-CEDICT),
``align`` the pipeline's alignment (0 for the gold alignment), ``extract`` the
term extraction itself.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = ROOT / "corpora" / "un-som-2016"
# ../shared beside the repository (CI), or beside the folder of worktrees
DEV_DIR = next((p / "shared" / "data" / "unpc-testset" for p in (ROOT.parent, ROOT.parent.parent)
                if (p / "shared").is_dir()), ROOT.parent / "shared" / "data" / "unpc-testset")
DEV_GOLD = ROOT / "benchmarks" / "data" / "unpc-zh-en.terms.tsv"
DEV_GOLD2 = ROOT / "benchmarks" / "data" / "unpc-zh-en.terms2.tsv"
DEV_GOLD3 = ROOT / "benchmarks" / "data" / "unpc-zh-en.terms3.tsv"  # held-out: score only


def dev_alignments(folder: Path, src: str = "zh", tgt: str = "en") -> list[Any]:
    """The dev set as one sentence alignment per UN document, in reading order."""
    from collections import defaultdict

    from bitext.types import AlignedPair, Alignment

    def lines(lang: str) -> list[str]:
        return (folder / f"testset.{lang}").read_text(encoding="utf-8").split("\n")

    zh, en, ids = lines(src), lines(tgt), lines("ids")
    docs: dict[str, list[tuple[tuple[int, ...], int]]] = defaultdict(list)
    for i, row in enumerate(ids):
        cells = row.split()
        if not cells:
            continue
        where = dict(c.split(":", 1) for c in cells[1:])
        order = tuple(int(x) for x in where.get(src, "0:0").split(":"))
        docs[cells[0]].append((order, i))
    out = []
    for doc in sorted(docs):
        pairs = tuple(AlignedPair((zh[i],), (en[i],), 1.0, f"{doc}#{i + 1}")
                      for _, i in sorted(docs[doc]))
        out.append(Alignment(src, tgt, pairs, "sentence", {}, doc))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--alignment", choices=["gold", "pipeline", "both"], default="gold")
    parser.add_argument("--min-freq", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--encoder", default="use", help="encoder of the pipeline alignment")
    parser.add_argument("--embed", action="store_true",
                        help="also pass the encoder to the extractor (embedding evidence)")
    parser.add_argument("--top", type=int, default=30, help="print the N best concepts")
    parser.add_argument("--json", type=Path, default=None, help="write the results here")
    parser.add_argument("--dev", action="store_true",
                        help="score on the UN dev set (../shared/data/unpc-testset) instead")
    parser.add_argument("--dev2", action="store_true",
                        help="--dev scored against the second gold (benchmarks/data/"
                             "unpc-zh-en.terms2.tsv)")
    parser.add_argument("--dev3", action="store_true",
                        help="--dev scored against the held-out third gold (benchmarks/data/"
                             "unpc-zh-en.terms3.tsv; to score only, never to choose a rule)")
    parser.add_argument("--gold", type=Path, default=None, metavar="PATH",
                        help="score against this gold term TSV (zh, en) instead")
    parser.add_argument("--curve", action="store_true",
                        help="print precision on gold by rank-score band (uncut list)")
    parser.add_argument("--cut", action="store_true",
                        help="apply the default cut-off (as the CLI does)")
    parser.add_argument("--bounded", type=int, default=None, metavar="SEGMENTS",
                        help="zh-en: the large-memory path (slices of this many segments, "
                             "merged; bitext.glossary.slices) instead of the whole input")
    parser.add_argument("--missing", action="store_true", help="list the gold pairs missed")
    parser.add_argument("--stages", action="store_true",
                        help="for each gold pair missed, the extraction stage where it is lost "
                             "(Chinese or English no candidate, dropped and by which rule, not "
                             "proposed, not linked, not listed, cut): print_stages; with "
                             "--pair, the pairwise extractor's stages: print_pair_stages")
    parser.add_argument("--draw", nargs=3, default=None, metavar=("LOW", "HIGH", "KIND"),
                        help="print 40 concepts seen once with confidence in [LOW, HIGH) "
                             "(KIND: name, term, plain or any), drawn with random.Random(5), to "
                             "judge by hand (benchmarks/data/unpc-zh-en.cut-sample.tsv)")
    parser.add_argument("--calibrate", action="store_true",
                        help="with --dev: fit a logistic model of the evidence to the gold's "
                             "labels, 5-fold by document, and compare its cut with the default")
    parser.add_argument("--folds", type=int, default=None, metavar="N",
                        help="with --dev or --pair: also score each of N groups of documents apart "
                             "(the gold pairs of the documents of a group), uncut and cut")
    parser.add_argument("--pair", default=None, metavar="EN-XX",
                        help="score another pair of the dev set against its gold "
                             "(en-fr, en-es, en-ru, en-ar: benchmarks/data/unpc-PAIR.terms.tsv)")
    parser.add_argument("--held", action="store_true",
                        help="with --pair: also score the same extraction against the pair's "
                             "held-out gold (benchmarks/data/unpc-PAIR.terms-held.tsv; to score "
                             "only, never to choose a rule: its misses are not listed)")
    args = parser.parse_args(argv)
    if args.held and not (args.pair and args.pair != "zh-en"):
        parser.error("--held scores another pair's held-out gold; give --pair en-fr, en-es, "
                     "en-ru or en-ar")
    if args.held and (args.missing or args.stages or args.curve or args.folds or args.draw):
        parser.error("--held scores the held-out gold only; --missing, --stages, --curve, "
                     "--folds and --draw read the dev gold: run them without --held")
    if args.dev3 and (args.missing or args.stages):
        parser.error("--missing and --stages list the held-out third gold's pairs (--dev3 "
                     "scores only); use them with --dev or --dev2")
    if args.dev2 or args.dev3:
        args.dev = True
        args.gold = args.gold or (DEV_GOLD3 if args.dev3 else DEV_GOLD2)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s: %(message)s")
    if args.pair and args.pair != "zh-en":
        return main_pair(args)

    from bitext.errors import InputError
    from bitext.glossary import extract_glossary
    from bitext.glossary.cedict import load_dictionary
    from bitext.glossary.chinese import candidates
    from bitext.glossary.evaluate import evaluate_concepts, read_gold
    from bitext.tmx.corpus import read_jsonl

    gold_path = args.gold or (DEV_GOLD if args.dev else args.corpus / "gold.terms.tsv")
    try:
        gold = read_gold(gold_path)
    except InputError as err:
        print(f"Error: {err}; give a gold TSV with 'zh' and 'en' columns", file=sys.stderr)
        return 1
    # a gold other than the dev gold, on the dev set: also its pairs whose Chinese
    # term the golds written before it lack (the second: the first; any other: both)
    fresh: list[Any] = []
    earlier: list[Path] = []
    if args.dev and gold_path.resolve() != DEV_GOLD.resolve():
        earlier = [DEV_GOLD] if gold_path.resolve() == DEV_GOLD2.resolve() else [DEV_GOLD,
                                                                                  DEV_GOLD2]
        tuned = {z for path in earlier for g in read_gold(path) for z in g.zh}
        fresh = [g for g in gold if not set(g.zh) & tuned]
    start = time.perf_counter()
    candidates("会员国")
    load_dictionary()
    load = time.perf_counter() - start

    sources: list[tuple[str, Any, float]] = []
    if args.dev:
        sources.append(("dev (unpc-testset zh-en)", dev_alignments(DEV_DIR), 0.0))
    elif args.alignment in ("gold", "both"):
        sources.append(("gold", read_jsonl(args.corpus / "gold.sentences.jsonl"), 0.0))
    if args.alignment in ("pipeline", "both") and not args.dev:
        from bitext.pipeline import align_files

        start = time.perf_counter()
        aligned = align_files(args.corpus / "zh.txt", args.corpus / "en.txt",
                              encoder=args.encoder, level="sentence")
        sources.append((f"pipeline ({args.encoder})", aligned, time.perf_counter() - start))
    encoder = None
    if args.embed:
        from bitext.pipeline import load_encoder

        encoder = load_encoder(args.encoder)

    results = []
    print(f"corpus: {'unpc-testset' if args.dev else args.corpus}  gold: {gold_path.name} "
          f"({len(gold)} pairs)  load: {load:.1f} s\n")
    print("| alignment | --min-freq | recall | precision on gold | found | on gold "
          "| concepts | align s | extract s |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    tops: dict[str, list[str]] = {}
    for name, alignment, align_time in sources:
        for min_freq in args.min_freq:
            start = time.perf_counter()
            trace = None
            if args.stages:  # the same extraction, its intermediate state kept
                from bitext.glossary.extract import extract_traced

                trace = extract_traced(list(alignment) if isinstance(alignment, list)
                                       else [alignment], encoder, min_freq)
                concepts = trace[0]
            else:
                concepts = extract_glossary(alignment, encoder=encoder, min_freq=min_freq,
                                            slice_size=args.bounded)
            took = time.perf_counter() - start
            if args.curve:
                print_curve(concepts, gold, "rank_score")
                print_curve(concepts, gold, "score")
            if args.draw:
                print_draw(concepts, float(args.draw[0]), float(args.draw[1]), args.draw[2])
            if args.calibrate and args.dev:
                print_calibration(concepts, gold, encoder is not None)
            if args.folds and args.dev:
                print_folds(concepts, gold, args.folds, encoder is not None)
            if args.cut:
                from bitext.glossary.rank import cutoff_for, kept, name_cutoff_for

                cutoff = cutoff_for(encoder is not None)
                names = name_cutoff_for(encoder is not None)
                uncut = evaluate_concepts(concepts, gold)
                print(f"uncut: {uncut['recall']:.1%} / {uncut['precision_on_gold']:.1%} "
                      f"({uncut['found']}/{uncut['gold_pairs']}, {uncut['correct_on_gold']}/"
                      f"{uncut['on_gold']} on gold, {uncut['concepts']} concepts)")
                if fresh:
                    print_subset("uncut", concepts, fresh, earlier)
                concepts = [c for c in concepts if kept(c, cutoff, names)]
            r = evaluate_concepts(concepts, gold)
            row = {"alignment": name, "min_freq": min_freq, "embed": args.embed,
                   "align_seconds": round(align_time, 2), "extract_seconds": round(took, 2),
                   "load_seconds": round(load, 2),
                   **{k: v for k, v in r.items()}}
            results.append(row)
            print(f"| {name} | {min_freq} | {r['recall']:.1%} | {r['precision_on_gold']:.1%} "
                  f"| {r['found']}/{r['gold_pairs']} | {r['correct_on_gold']}/{r['on_gold']} "
                  f"| {r['concepts']} | {align_time:.1f} | {took:.1f} |")
            if fresh:
                print_subset("cut" if args.cut else "uncut", concepts, fresh, earlier)
            if args.missing:
                print("missed: " + "; ".join(m.replace("\t", " = ") for m in r["missing"]))
                print("wrong: " + "; ".join(m.replace("\t", " = ") for m in r["wrong"]))
            if trace is not None:
                print_stages(trace, concepts, gold)
            tops[f"{name}, --min-freq {min_freq}"] = [
                f"{c.zh} = {' | '.join(t.text for t in c.terms_in('en'))}"
                for c in concepts[:args.top]]
    for label, lines in tops.items():
        print(f"\ntop {args.top} ({label}):")
        for n, line in enumerate(lines, 1):
            print(f"{n:3}. {line}")
    if args.json is not None:
        args.json.write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


def main_pair(args: argparse.Namespace) -> int:
    """``--pair en-fr``: the dev set's lines of that pair, one alignment per
    document, against ``benchmarks/data/unpc-PAIR.terms.tsv``."""
    from bitext.glossary import extract_glossary
    from bitext.glossary.evaluate import evaluate_concepts, read_gold, read_gold_file
    from bitext.glossary.pairwise import CUTOFF

    gold_path = ROOT / "benchmarks" / "data" / f"unpc-{args.pair}.terms.tsv"
    if not gold_path.is_file():
        print(f"Error: no gold for {args.pair} ({gold_path}); give en-fr, en-es, en-ru or en-ar",
              file=sys.stderr)
        return 1
    held_path = ROOT / "benchmarks" / "data" / f"unpc-{args.pair}.terms-held.tsv"
    if args.held and not held_path.is_file():
        print(f"Error: no held-out gold for {args.pair} ({held_path}); give en-fr, en-es, "
              "en-ru or en-ar", file=sys.stderr)
        return 1
    langs, gold = read_gold_file(gold_path)
    golds = [("dev", gold)] + ([("held", read_gold(held_path, langs))] if args.held else [])
    src, tgt = args.pair.split("-")
    alignments = dev_alignments(DEV_DIR, src, tgt)
    encoder = None
    if args.embed:
        from bitext.pipeline import load_encoder

        encoder = load_encoder(args.encoder)
    start, cpu = time.perf_counter(), time.process_time()
    concepts = extract_glossary(alignments, encoder=encoder)
    took, cpu = time.perf_counter() - start, time.process_time() - cpu
    if args.curve:
        print_curve(concepts, gold, "rank_score", langs)
        print_curve(concepts, gold, "score", langs)
    if args.folds:
        print_pair_folds(concepts, gold, langs, args.folds, CUTOFF)
    # both rows, uncut and cut (one extraction); --cut chooses the list the rest shows
    print("| pair | gold | embed | cut | recall | precision on gold | found | on gold | concepts "
          "| extract s (CPU) |\n|---|---|---|---|---:|---:|---:|---:|---:|---:|")
    held_rows = []
    for name, scored in golds:
        for cutoff in (None, CUTOFF):
            kept = [c for c in concepts if cutoff is None or c.score >= cutoff]
            r = evaluate_concepts(kept, scored, langs)
            if name == "held":
                held_rows.append({"cut": cutoff, **{k: v for k, v in r.items()
                                                    if k not in ("missing", "wrong")}})
            print(f"| {args.pair} | {name} | {'yes' if args.embed else 'no'} "
                  f"| {cutoff or 'none'} | {r['recall']:.1%} | {r['precision_on_gold']:.1%} "
                  f"| {r['found']}/{r['gold_pairs']} | {r['correct_on_gold']}/{r['on_gold']} "
                  f"| {r['concepts']} | {took:.1f} ({cpu:.1f}) |")
    uncut = concepts
    if args.cut:
        concepts = [c for c in concepts if c.score >= CUTOFF]
    r = evaluate_concepts(concepts, gold, langs)
    if args.missing:
        print("missed: " + "; ".join(m.replace("\t", " = ") for m in r["missing"]))
        print("wrong: " + "; ".join(m.replace("\t", " = ") for m in r["wrong"]))
    if args.stages:
        print_pair_stages(alignments, concepts, uncut, gold, langs)
    print(f"\ntop {args.top}:")
    for n, c in enumerate(concepts[:args.top], 1):
        print(f"{n:3}. {c.src} = {c.tgt}  ({c.score:.2f}, {c.cooc})")
    if args.json is not None:
        row = {"pair": args.pair, "embed": args.embed, "cut": args.cut,
               "extract_seconds": round(took, 2), "extract_cpu_seconds": round(cpu, 2), **r}
        if held_rows:  # figures only: the held-out gold's misses are not written
            row["held"] = held_rows
        args.json.write_text(json.dumps([row], ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


STAGES = ("zh no candidate", "zh dropped", "en no candidate", "en dropped", "not proposed",
          "not linked", "not listed", "cut", "other")


def print_stages(trace: Any, listed: list[Any], gold: list[Any]) -> None:
    """For each gold pair ``listed`` misses, the stage of the extraction where it
    is lost (the furthest any of its variants gets), with the rule or the rival:

    * ``zh no candidate`` / ``en no candidate``: no candidate key of that side
      is one of the pair's variants (Chinese: the key; English: a written form);
    * ``zh dropped`` / ``en dropped``: candidates, but no class keeps them, and
      the rules that drop them (``link._State.build_classes``);
    * ``not proposed``: both kept, never scored together (their co-occurrences
      and Dice shown: the proposal stage asks for Dice, dictionary evidence and a
      noun shape, ``link._State.propose``);
    * ``not linked``: proposed, but the Chinese term took another English or the
      English another Chinese term (the rival and confidences shown);
    * ``not listed``: linked, but no concept of the uncut list carries it (a
      fragment of a longer linked term, ``link._State._fragments``);
    * ``cut``: in the uncut list, under the cut (its confidence shown).
    """
    from bitext.glossary import chinese, english
    from bitext.glossary.candidates import (
        _always_nested,
        _crossing,
        _ends_on_modifier,
        _is_coordination,
        _partial_names,
        _preferred_surface,
    )
    from bitext.glossary.evaluate import evaluate_concepts, normalize
    from bitext.glossary.link import MIN_CONFIDENCE

    uncut, st, proposals, linked = trace
    if st is None:
        return
    missed = set(evaluate_concepts(listed, gold)["missing"])
    found_uncut = set(g.display for g in gold) - set(evaluate_concepts(uncut, gold)["missing"])
    verbal = st.scorer.dictionary.is_verbal
    zh_nested = _always_nested(st.zh_entries, verbal)
    zh_crossing = _crossing(st.zh_entries, verbal)
    en_partial = _partial_names(st.en_entries)
    en_modified = _ends_on_modifier(st.en_entries)
    zh_class_of = {k: rep for rep, cls in st.zh_classes.items() for k in cls.keys}
    en_class_of = {k: rep for rep, cls in st.en_classes.items() for k in cls.keys}
    zh_keys: dict[str, list[str]] = {}
    for key in st.zh_entries:
        zh_keys.setdefault(normalize(key), []).append(key)
    en_keys: dict[str, set[str]] = {}
    for key, entry in st.en_entries.items():
        for surface in entry.surfaces:
            en_keys.setdefault(normalize(surface), set()).add(key)
    by_pair = {(p.zh, p.en): p for p in proposals}
    best_of: dict[str, Any] = {}
    for p in proposals:
        if p.zh not in best_of or p.conf > best_of[p.zh].conf:
            best_of[p.zh] = p
    linked_by_en = {p.en: p for p in linked.values()}

    def zh_rules(key: str) -> str:
        e = st.zh_entries[key]
        rules = [name for name, hit in (
            (f"seen in {len(e.segs)} segments < --min-freq", len(e.segs) < st.min_freq),
            ("modifier", e.modifier(len(e.tokens) == 1 and not chinese.compound(
                key, st.scorer.dictionary))),
            ("always nested", key in zh_nested), ("crossing", key in zh_crossing),
            ("fragment of a name", e.fragments >= len(e.occs)),
            ("coordination", _is_coordination(e, st.zh_entries, "zh"))) if hit]
        return f"{key} [{'|'.join(e.tokens)}]: {', '.join(rules) or 'no class'}"

    def en_rules(key: str) -> str:
        e = st.en_entries[key]
        rules = [name for name, hit in (
            (f"seen in {len(e.segs)} segments < --min-freq", len(e.segs) < st.min_freq),
            ("modifier", e.modifier(" " not in key)), ("partial name", key in en_partial),
            ("ends on a modifier", key in en_modified),
            ("fragment of a name", e.fragments >= len(e.occs)),
            ("coordination", _is_coordination(e, st.en_entries, "en")
             and not _preferred_surface(e).islower())) if hit]
        return f"{key}: {', '.join(rules) or 'no class'}"

    def en_rep(p: Any) -> str:
        return _preferred_surface(st.en_entries[p.en])

    def stage(g: Any) -> tuple[int, str]:
        if g.display in found_uncut:
            c = next(c for c in uncut if set(g.zh) & {normalize(t.text) for t in c.terms_in("zh")}
                     and set(g.en) & {normalize(t.text) for t in c.terms_in("en")})
            return STAGES.index("cut"), f"{c.zh} = {c.en} ({c.score:.3f}, seen {c.cooc})"
        zks = [k for z in g.zh for k in zh_keys.get(z, ())]
        if not zks:
            return 0, ""
        zreps = sorted({zh_class_of[k] for k in zks if k in zh_class_of})
        if not zreps:
            return 1, "; ".join(zh_rules(k) for k in zks)
        eks = sorted({k for e in g.en for k in en_keys.get(e, ())}
                     | {k for e in g.en if (k := english.term_key(e.split())) in st.en_entries})
        if not eks:
            return 2, ""
        ereps = sorted({en_class_of[k] for k in eks if k in en_class_of})
        if not ereps:
            return 3, "; ".join(en_rules(k) for k in eks)
        pairs = [by_pair[(z, e)] for z in zreps for e in ereps if (z, e) in by_pair]
        if not pairs:
            notes = []
            for z in zreps:
                zs = st.zh_classes[z].segs
                for e in ereps:
                    es = st.en_classes[e].segs
                    k = len(zs & es)
                    notes.append(f"{z} / {e}: together {k}, Dice {2 * k / (len(zs) + len(es)):.2f}")
            return 4, "; ".join(notes)
        p = max(pairs, key=lambda q: q.conf)
        if not any(linked.get(q.zh) is q for q in pairs):
            rival_en = linked.get(p.zh)
            rival_zh = linked_by_en.get(p.en)
            note = f"{p.zh} = {en_rep(p)} ({p.conf:.3f})"
            if p.conf < MIN_CONFIDENCE:
                note += " under the least confidence"
            if rival_en is not None:
                note += f"; {p.zh} took {en_rep(rival_en)} ({rival_en.conf:.3f})"
            elif best_of[p.zh] is not p:
                note += f"; best proposal {en_rep(best_of[p.zh])} ({best_of[p.zh].conf:.3f})"
            if rival_zh is not None:
                note += f"; {en_rep(p)} went to {rival_zh.zh} ({rival_zh.conf:.3f})"
            return 5, note
        q = next(q for q in pairs if linked.get(q.zh) is q)
        return 6, f"{q.zh} = {en_rep(q)} ({q.conf:.3f})"

    _print_stages([(g, *stage(g)) for g in gold if g.display in missed], STAGES)


def _print_stages(rows: list[tuple[Any, int, str]], names: tuple[str, ...]) -> None:
    """The missed gold pairs by the stage where each is lost: a tally, then one
    line a pair (stage, gold pair, note), in stage and gold order."""
    from collections import Counter

    tally = Counter(names[n] for _, n, _ in rows)
    print(f"\nwhere the {len(rows)} missed gold pairs are lost: "
          + ", ".join(f"{name} {tally[name]}" for name in names if tally[name]))
    for g, n, note in sorted(rows, key=lambda r: (r[1], r[0].line)):
        print(f"{names[n]}\t{g.display.replace(chr(9), ' = ')}\t{note}")
    print()


PAIR_STAGES = ("no candidate", "en no candidate", "nested", "never together",
               "took another en", "en took another", "not linked", "cut")


def print_pair_stages(alignments: list[Any], listed: list[Any], uncut: list[Any],
                      gold: list[Any], langs: tuple[str, str]) -> None:
    """``--pair --stages``: for each gold pair ``listed`` misses, the stage of
    :mod:`bitext.glossary.pairwise` where it is lost (the furthest any of its
    variants gets), in ``langs`` (English first):

    * ``no candidate`` / ``en no candidate``: no candidate of that side is
      written as one of the pair's variants;
    * ``nested``: its key is dropped as always inside one longer key of the same
      count (``pairwise._nested``);
    * ``never together``: the two keys share no segment;
    * ``took another en``: a concept holds the pair's term with another English
      term; ``en took another``: the English term went to another term;
    * ``not linked``: neither is linked (segments together, counts, Dice shown);
    * ``cut``: in the uncut list, under the cut (its confidence shown).
    """
    from collections import Counter

    from bitext.glossary import pairwise
    from bitext.glossary.evaluate import evaluate_concepts, normalize

    en_lang, xx_lang = langs
    segments = list(pairwise._segments(alignments))
    find_en = pairwise.side_extractor(en_lang, lambda: (s[0] for s in segments))
    find_xx = pairwise.side_extractor(xx_lang, lambda: (s[1] for s in segments))
    keys_of: dict[tuple[int, str], set[str]] = {}   # (side, normalised surface) -> keys
    segs_of: dict[tuple[int, str], set[int]] = {}   # (side, key) -> segments
    for n, seg in enumerate(segments):
        for side, found in ((0, find_en(seg[0])), (1, find_xx(seg[1]))):
            for key, surface, _, _ in found:
                keys_of.setdefault((side, normalize(surface)), set()).add(key)
                segs_of.setdefault((side, key), set()).add(n)
    nested = [pairwise._nested(Counter({k: len(v) for (sd, k), v in segs_of.items()
                                        if sd == side})) for side in (0, 1)]
    missed = set(evaluate_concepts(listed, gold, langs)["missing"])

    def terms(c: Any, lang: str) -> set[str]:
        return {normalize(t.text) for t in c.terms_in(lang)}

    def stage(g: Any) -> tuple[int, str]:
        ens, xxs = set(g.src), set(g.tgt)
        for c in uncut:
            if ens & terms(c, en_lang) and xxs & terms(c, xx_lang):
                return PAIR_STAGES.index("cut"), f"{c.src} = {c.tgt} ({c.score:.3f})"
        kx = sorted({k for t in xxs for k in keys_of.get((1, t), ())})
        if not kx:
            return 0, ""
        ke = sorted({k for t in ens for k in keys_of.get((0, t), ())})
        if not ke:
            return 1, ""
        counts = (f"{'/'.join(f'{k} {len(segs_of[(0, k)])}' for k in ke)} ; "
                  f"{'/'.join(f'{k} {len(segs_of[(1, k)])}' for k in kx)}")
        if all(k in nested[1] for k in kx) or all(k in nested[0] for k in ke):
            return 2, counts
        best = max((len(segs_of[(0, e)] & segs_of[(1, x)]), e, x) for e in ke for x in kx)
        if not best[0]:
            return 3, counts
        for c in uncut:
            if xxs & terms(c, xx_lang):
                return 4, f"{c.src} = {c.tgt} ({c.score:.3f})"
        for c in uncut:
            if ens & terms(c, en_lang):
                return 5, f"{c.src} = {c.tgt} ({c.score:.3f})"
        k, e, x = best
        dice = 2 * k / (len(segs_of[(0, e)]) + len(segs_of[(1, x)]))
        return 6, f"together {k}, Dice {dice:.2f}: {counts}"

    _print_stages([(g, *stage(g)) for g in gold if g.display in missed], PAIR_STAGES)


def print_subset(label: str, concepts: list[Any], gold: list[Any], earlier: list[Path]) -> None:
    """Recall and precision on gold of ``concepts`` against the part of the gold
    whose Chinese terms the ``earlier`` golds lack."""
    from bitext.glossary.evaluate import evaluate_concepts

    r = evaluate_concepts(concepts, gold)
    print(f"{label}, the {len(gold)} pairs whose Chinese term "
          f"{' and '.join(p.name for p in earlier)} lack: "
          f"{r['recall']:.1%} / {r['precision_on_gold']:.1%} ({r['found']}/{r['gold_pairs']}, "
          f"{r['correct_on_gold']}/{r['on_gold']} on gold)")


def print_draw(concepts: list[Any], low: float, high: float, kind: str, n: int = 40) -> None:
    """``n`` concepts seen once with confidence in [low, high) of one kind ("name":
    organization, instrument or name; "term"; "plain": terms the cut keeps by their
    evidence; "any"), drawn at random with a fixed
    seed, for a person to judge: precision as a reviewer sees it, off the gold too."""
    import random

    from bitext.glossary.rank import NAME_KINDS, _plain_term

    def fits(c: Any) -> bool:
        if kind == "plain":  # terms the cut keeps by their evidence (rank._plain_term)
            return c.kind not in NAME_KINDS and _plain_term(c)
        return kind == "any" or (c.kind in NAME_KINDS) == (kind == "name")

    pool = [c for c in concepts if c.cooc == 1 and low <= c.score < high and fits(c)]
    random.Random(5).shuffle(pool)
    print(f"\n{len(pool)} concepts seen once, confidence {low}-{high}, kind {kind}; {n} drawn:")
    for c in pool[:n]:
        print(f"{c.score:.2f}\t{c.zh}\t{c.en}")
    print()


CALIBRATION_FEATURES = ("log co-occurrences", "dice", "dictionary", "length", "embedding")


def _features(c: Any) -> list[float]:
    import math

    ev = c.evidence_dict()
    return [math.log(max(1, c.cooc)), ev.get("dice", 0.0), ev.get("dictionary", 0.0),
            ev.get("length", 0.0), ev.get("embedding", 0.0)]


def _fit_logistic(x: Any, y: Any, l2: float = 1.0) -> Any:
    """Weights (intercept last) of an L2-penalised logistic regression, by Newton's
    method; features are standardised by the caller."""
    import numpy as np

    xb = np.hstack([x, np.ones((len(x), 1))])
    w = np.zeros(xb.shape[1])
    penalty = np.eye(xb.shape[1]) * l2
    penalty[-1, -1] = 0.0  # the intercept is not penalised
    for _ in range(50):
        p = 1.0 / (1.0 + np.exp(-xb @ w))
        grad = xb.T @ (p - y) + penalty @ w
        hess = (xb * (p * (1 - p))[:, None]).T @ xb + penalty
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return w


def print_calibration(concepts: list[Any], gold: list[Any], embedded: bool) -> None:
    """A confidence calibrated to the probability of being right, studied as a
    cut: a logistic fit of the evidence to the gold's labelled concepts (those
    whose Chinese term is a gold term: right or wrong English), 5-fold
    cross-validated by document (a concept's document is its first example's),
    kept at estimated probabilities of 0.5 to 0.95, against the default cut."""
    import numpy as np

    from bitext.glossary.evaluate import normalize
    from bitext.glossary.rank import cutoff_for, kept, name_cutoff_for

    accepted: dict[str, set[str]] = {}
    for g in gold:
        for z in g.zh:
            accepted.setdefault(z, set()).update(g.en)
    rows, labels, groups = [], [], []
    for c in concepts:
        hits = [z for z in {normalize(t.text) for t in c.terms_in("zh")} if z in accepted]
        if not hits:
            continue
        ok = set().union(*(accepted[z] for z in hits))
        rows.append(c)
        labels.append(bool({normalize(t.text) for t in c.terms_in("en")} & ok))
        groups.append(c.examples[0].label.split("#")[0] if c.examples else c.id)
    x = np.array([_features(c) for c in rows])
    y = np.array(labels, dtype=float)
    docs = sorted(set(groups))
    fold = {d: i % 5 for i, d in enumerate(docs)}
    prob = np.zeros(len(rows))
    for k in range(5):
        test = np.array([fold[g] == k for g in groups])
        mean, std = x[~test].mean(0), x[~test].std(0) + 1e-9
        w = _fit_logistic((x[~test] - mean) / std, y[~test])
        xt = np.hstack([(x[test] - mean) / std, np.ones((int(test.sum()), 1))])
        prob[test] = 1.0 / (1.0 + np.exp(-xt @ w))
    right, wrong = int(y.sum()), int(len(y) - y.sum())
    print(f"\ncalibration ({', '.join(CALIBRATION_FEATURES)}; {len(rows)} concepts on gold, "
          f"{right} right, {wrong} wrong; 5 folds by document)")
    print("| kept when | right kept | wrong kept |\n|---|---:|---:|")
    cut = np.array([kept(c, cutoff_for(embedded), name_cutoff_for(embedded)) for c in rows])
    yb = y.astype(bool)
    print(f"| default cut | {int((cut & yb).sum())}/{right} | {int((cut & ~yb).sum())}/{wrong} |")
    for level in (0.5, 0.8, 0.9, 0.95):
        keep = prob >= level
        print(f"| estimated probability >= {level} | {int((keep & yb).sum())}/{right} "
              f"| {int((keep & ~yb).sum())}/{wrong} |")
    print()


def gold_documents(gold: list[Any], folder: Path, langs: tuple[str, str] = ("zh", "en")
                   ) -> list[str]:
    """The document of each gold pair of the dev set: the first line pair of the
    test set holding one variant of each side (``langs``: the gold's columns)."""
    from bitext.glossary.evaluate import normalize

    zh = (folder / f"testset.{langs[0]}").read_text(encoding="utf-8").split("\n")
    en = (folder / f"testset.{langs[1]}").read_text(encoding="utf-8").split("\n")
    ids = (folder / "testset.ids").read_text(encoding="utf-8").split("\n")
    zh_n = [normalize(z) for z in zh]
    en_n = [normalize(e) for e in en]
    docs = []
    for g in gold:
        doc = next((ids[i].split()[0] for i in range(min(len(zh_n), len(en_n), len(ids)))
                    if ids[i].split() and any(z in zh_n[i] for z in g.zh)
                    and any(e in en_n[i] for e in g.en)), "?")
        docs.append(doc)
    return docs


def print_folds(concepts: list[Any], gold: list[Any], n: int, embedded: bool) -> None:
    """Recall and precision on gold of each of ``n`` groups of dev documents
    (documents shuffled with ``random.Random(0)``, dealt round-robin), uncut and
    with the default cut: how much the figures vary across subjects. The cut has
    no parameter fitted on the gold, so nothing is re-fitted per group."""
    import random

    from bitext.glossary.evaluate import evaluate_concepts
    from bitext.glossary.rank import cutoff_for, kept, name_cutoff_for

    docs = gold_documents(gold, DEV_DIR)
    order = sorted(set(docs))
    random.Random(0).shuffle(order)
    group = {d: i % n for i, d in enumerate(order)}
    cutoff, names = cutoff_for(embedded), name_cutoff_for(embedded)
    cut = [c for c in concepts if kept(c, cutoff, names)]
    print("\n| group | documents | gold pairs | uncut: recall / precision on gold "
          "| default cut: recall / precision on gold |")
    print("|---:|---:|---:|---:|---:|")
    for k in range(n):
        sub = [g for g, d in zip(gold, docs, strict=True) if group[d] == k]
        r, rc = evaluate_concepts(concepts, sub), evaluate_concepts(cut, sub)
        print(f"| {k + 1} | {sum(1 for d in order if group[d] == k)} | {len(sub)} "
              f"| {r['recall']:.1%} / {r['precision_on_gold']:.1%} "
              f"| {rc['recall']:.1%} / {rc['precision_on_gold']:.1%} |")
    print_fold_bands(concepts, gold, [group[d] for d in docs], n, embedded)


def print_pair_folds(concepts: list[Any], gold: list[Any], langs: tuple[str, str], n: int,
                     cutoff: float) -> None:
    """``--pair --folds N``: recall and precision on gold of each of ``n`` groups
    of the documents holding gold pairs (shuffled with ``random.Random(0)``,
    dealt round-robin), uncut and cut at ``cutoff``: whether a change helps in
    every group, not only on the whole gold."""
    import random

    from bitext.glossary.evaluate import evaluate_concepts

    docs = gold_documents(gold, DEV_DIR, langs)
    order = sorted(set(docs))
    random.Random(0).shuffle(order)
    group = {d: i % n for i, d in enumerate(order)}
    cut = [c for c in concepts if c.score >= cutoff]
    print("\n| group | documents | gold pairs | uncut: recall / precision on gold "
          "| cut: recall / precision on gold |")
    print("|---:|---:|---:|---:|---:|")
    for k in range(n):
        sub = [g for g, d in zip(gold, docs, strict=True) if group[d] == k]
        r, rc = evaluate_concepts(concepts, sub, langs), evaluate_concepts(cut, sub, langs)
        print(f"| {k + 1} | {sum(1 for d in order if group[d] == k)} | {len(sub)} "
              f"| {r['recall']:.1%} / {r['precision_on_gold']:.1%} ({r['found']}, "
              f"{r['correct_on_gold']}/{r['on_gold']}) "
              f"| {rc['recall']:.1%} / {rc['precision_on_gold']:.1%} ({rc['found']}, "
              f"{rc['correct_on_gold']}/{rc['on_gold']}) |")
    print()


def print_fold_bands(concepts: list[Any], gold: list[Any], groups: list[int], n: int,
                     embedded: bool) -> None:
    """Per group of documents, the gold's concepts right of those labelled in each
    band of confidence (uncut list; in brackets, those the default cut keeps):
    whether precision drops at the cut in every group, not only on the whole."""
    from bitext.glossary.evaluate import evaluate_concepts
    from bitext.glossary.rank import cutoff_for, kept, name_cutoff_for

    cutoff, names = cutoff_for(embedded), name_cutoff_for(embedded)
    bounds = sorted({b for b in (0.8, 0.7, cutoff, names, 0.45) if b is not None} | {0.0},
                    reverse=True)
    bands = [(low, high) for low, high in zip(bounds, [float("inf"), *bounds[:-1]],
                                              strict=True)]
    print("| group | " + " | ".join(f">= {low:.3g}" if high == float("inf") else
                                    f"{low:.3g}-{high:.3g}" for low, high in bands) + " |")
    print("|---:|" + "---:|" * len(bands))
    for k in range(n):
        sub = [g for g, grp in zip(gold, groups, strict=True) if grp == k]
        cells = []
        for low, high in bands:
            band = [c for c in concepts if low <= c.score < high]
            r = evaluate_concepts(band, sub)
            rk = evaluate_concepts([c for c in band if kept(c, cutoff, names)], sub)
            cells.append(f"{r['correct_on_gold']}/{r['on_gold']} "
                         f"({rk['correct_on_gold']}/{rk['on_gold']})")
        print(f"| {k + 1} | " + " | ".join(cells) + " |")
    print()


def print_curve(concepts: list[Any], gold: list[Any], by: str = "rank_score",
                langs: tuple[str, str] = ("zh", "en")) -> None:
    """Precision on gold of the concepts at or above each value of ``by`` (rank
    score or confidence; cumulative from the top) and inside each band: where
    the list turns noisy."""
    from bitext.glossary.evaluate import evaluate_concepts

    print(f"\n| {by.replace('_', ' ')} >= | concepts | on gold | precision (cumulative) "
          "| in band |")
    print("|---:|---:|---:|---:|---:|")
    bounds = ([4.0, 3.0, 2.5, 2.0, 1.5, 1.25, 1.0, 0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.0]
              if by == "rank_score" else
              [0.9, 0.8, 0.75, 0.7, 0.65, 0.6, 0.55, 0.5, 0.45, 0.4, 0.35, 0.0])
    prev = float("inf")
    for b in bounds:
        kept = [c for c in concepts if getattr(c, by) >= b]
        band = [c for c in concepts if b <= getattr(c, by) < prev]
        r, rb = evaluate_concepts(kept, gold, langs), evaluate_concepts(band, gold, langs)
        print(f"| {b} | {len(kept)} | {r['on_gold']} | {r['precision_on_gold']:.3f} "
              f"| {rb['correct_on_gold']}/{rb['on_gold']} |")
        prev = b
    print()


if __name__ == "__main__":
    sys.exit(main())
