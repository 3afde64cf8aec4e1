"""Sentence segmentation on real UN text, six languages (UN Parallel Corpus test set).

Usage (from the repository root)::

    python benchmarks/unpc_segment.py                 # every language, both modes
    python benchmarks/unpc_segment.py --langs fr ru --errors 5

The data folder (``../shared/data/unpc-testset`` by default) holds 4,000 sentences
of 731 UN documents of 2015 in six languages and ``testset.ids``, which gives each
sentence's document, line and sentence index per language (see its README). Each
document's sentences are put back into reading order and joined (a space between
them; none in Chinese) into test paragraphs, which
:func:`bitext.align.segment.split_sentences` must split back:

* **line**: the sentences that came from one line of the document: real paragraphs;
* **run**: every run of consecutive lines of one document whose sentences end
  with sentence-final punctuation (a line without it, such as a title or a table
  cell, is a run of its own): what a paragraph joined across line breaks gives;
* **doc**: all of a document's sentences as one paragraph. A title or table cell
  without final punctuation cannot be split from what follows, so this mode
  measures how much such lines cost rather than the rules themselves.

A predicted sentence counts when its two ends match a gold sentence's ends
(whitespace ignored). Precision, recall and F1 are over all sentences of a language.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import defaultdict
from pathlib import Path

import regex

from bitext.align.segment import score_segmentation, split_sentences
from bitext.languages import codes, get_language
from bitext.types import join_sentences

DEFAULT_DATA = (Path(__file__).resolve().parent.parent.parent
                / "shared" / "data" / "unpc-testset")


def load_documents(data: Path, lang: str) -> dict[str, list[list[str]]]:
    """Each document's lines in reading order, each line its sentences in order."""
    ids = (data / "testset.ids").read_text(encoding="utf-8").splitlines()
    texts = (data / f"testset.{lang}").read_text(encoding="utf-8").splitlines()
    if len(ids) != len(texts):
        raise SystemExit(f"{data}: testset.ids and testset.{lang} differ in length")
    where: dict[str, dict[int, list[tuple[int, str]]]] = defaultdict(lambda: defaultdict(list))
    for id_line, text in zip(ids, texts, strict=True):
        doc, *fields = id_line.split()
        pos = dict(f.split(":", 1) for f in fields)[lang]
        line, sent = (int(x) for x in pos.split(":"))
        where[doc][line].append((sent, text.strip()))
    return {doc: [[t for _, t in sorted(lines[n])] for n in sorted(lines)]
            for doc, lines in where.items()}


def paragraphs(docs: dict[str, list[list[str]]], lang: str, mode: str) -> list[list[str]]:
    """The gold sentence lists of the test paragraphs (see the module docstring)."""
    if mode == "line":
        return [line for lines in docs.values() for line in lines]
    if mode == "doc":
        return [[s for line in lines for s in line] for lines in docs.values()]
    ends = get_language(lang).sentence_end + get_language(lang).closing
    final = regex.compile(rf"[{regex.escape(get_language(lang).sentence_end)}]"
                          rf"[{regex.escape(ends)}\s]*$")
    out: list[list[str]] = []
    for lines in docs.values():
        run: list[str] = []
        for line in lines:
            if all(final.search(s) for s in line):
                run.extend(line)
                continue
            if run:
                out.append(run)
                run = []
            out.append(line)
        if run:
            out.append(run)
    return out


def evaluate(data: Path, lang: str, mode: str, errors: int = 0) -> dict[str, float]:
    """Precision, recall, F1 and the counts for one language and mode."""
    gold = paragraphs(load_documents(data, lang), lang, mode)
    predicted = [split_sentences(join_sentences(p, lang), lang) for p in gold]
    result = score_segmentation(gold, predicted)
    shown = 0
    for g, p in zip(gold, predicted, strict=True):
        if shown >= errors:
            break
        if [regex.sub(r"\s+", "", s) for s in g] != [regex.sub(r"\s+", "", s) for s in p]:
            shown += 1
            print(f"--- {lang} gold:", *g, sep="\n  ", file=sys.stderr)
            print("    predicted:", *p, sep="\n  ", file=sys.stderr)
    return result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--langs", nargs="+", default=list(codes()), choices=list(codes()))
    ap.add_argument("--modes", nargs="+", default=["line", "run"], choices=["line", "run", "doc"])
    ap.add_argument("--errors", type=int, default=0, help="Print this many wrong paragraphs.")
    args = ap.parse_args()
    print("| language | mode | paragraphs with 2+ sentences | gold sentences "
          "| P | R | F1 |\n|---|---|---:|---:|---:|---:|---:|")
    start = time.perf_counter()
    for lang in args.langs:
        for mode in args.modes:
            r = evaluate(args.data, lang, mode, args.errors)
            print(f"| {lang} | {mode} | {r['multi']:.0f} | {r['gold']:.0f} "
                  f"| {r['precision']:.3f} | {r['recall']:.3f} | **{r['f1']:.3f}** |")
    print(f"\n{time.perf_counter() - start:.1f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
