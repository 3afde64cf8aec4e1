"""Scoring sentence alignments against gold, and the bead file format.

Beads are written the Vecalign/Bertalign way, one per line: ``[0, 1]:[0]``,
``[3]:[]`` (0-based sentence indices of source and target).

Metrics follow Vecalign's scorer:

- **strict**: a predicted bead counts only if it equals a gold bead exactly;
- **lax**: a predicted bead counts if it overlaps some gold bead on both sides;
- precision ignores predicted beads with an empty side, recall ignores gold
  beads with an empty side; counts are summed over documents before P, R and
  F1 are computed (micro average).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import regex

from bitext.errors import InputError
from bitext.types import Link, bead_text, parse_bead_text

Bead = tuple[tuple[int, ...], tuple[int, ...]]

def parse_beads(lines: Iterable[str], *, source: str = "<beads>") -> list[Bead]:
    """Parse bead lines (``[0, 1]:[0]``, optionally ``:score``); blank lines are skipped.

    Raises :class:`~bitext.errors.InputError` naming ``source:line`` on a bad line.
    """
    return [bead for _, bead in numbered_beads(lines, source=source)]


def numbered_beads(lines: Iterable[str], *, source: str = "<beads>") -> list[tuple[int, Bead]]:
    """:func:`parse_beads` with each bead's line number (1-based)."""
    out: list[tuple[int, Bead]] = []
    for no, line in enumerate(lines, 1):
        if not line.strip():
            continue
        bead = parse_bead_text(line)
        if bead is None:
            raise InputError(
                f"{source}:{no}: not a bead line: {line.strip()[:60]!r} "
                "(expected e.g. '[0, 1]:[0]' or '[3]:[]')"
            )
        out.append((no, bead))
    return out


def check_alignment(beads: Sequence[tuple[int, Bead]], source: str,
                    sizes: tuple[int, int] | None = None) -> None:
    """Raise :class:`InputError` unless ``beads`` (with their line numbers) align
    each sentence once at most and, given the document's sentence counts
    ``sizes``, name no sentence past its end: scores of a file that is no
    alignment of the gold's document would be figures of nothing."""
    for side, name in ((0, "source"), (1, "target")):
        seen: dict[int, int] = {}
        for no, bead in beads:
            for i in bead[side]:
                if i in seen:
                    raise InputError(
                        f"{source}: {name} sentence {i} (0-based) is in two beads (lines "
                        f"{seen[i]} and {no}): an alignment gives each sentence one bead; "
                        "is it two alignments run together? Score each on its own")
                if sizes is not None and i >= sizes[side]:
                    raise InputError(
                        f"{source}: line {no}: {name} sentence {i} (0-based) is past the "
                        f"gold's last, {sizes[side] - 1}: are PRED and GOLD the same "
                        "document pair? Score a prediction against its own document's gold")
                seen[i] = no


def document_sizes(beads: Sequence[tuple[int, Bead]]) -> tuple[int, int] | None:
    """The document's sentence counts (source, target) when ``beads`` name every
    sentence from 0 up (a gold with its 1-0 and 0-1 beads); None when some are
    left out, since the last sentences may then be among them."""
    sizes = []
    for side in (0, 1):
        found = {i for _, bead in beads for i in bead[side]}
        if found != set(range(len(found))):
            return None
        sizes.append(len(found))
    return sizes[0], sizes[1]


def format_beads(beads: Iterable[Bead | Link], *, scores: bool = False) -> str:
    """Render beads one per line (``[0, 1]:[0]``); ``scores`` appends ``:0.9123`` for links."""
    lines = []
    for bead in beads:
        if isinstance(bead, Link):
            src, tgt, score = bead.src, bead.tgt, bead.score
        else:
            (src, tgt), score = bead, None
        line = bead_text(src, tgt)
        if scores and score is not None:
            line += f":{score:.4f}"
        lines.append(line)
    return "".join(line + "\n" for line in lines)


def read_beads(path: str | Path) -> list[Bead]:
    """Read a bead file; ``InputError`` if it is missing or malformed."""
    return [bead for _, bead in read_numbered_beads(path)]


def read_numbered_beads(path: str | Path) -> list[tuple[int, Bead]]:
    """:func:`read_beads` with each bead's line number (1-based)."""
    from bitext.fileio import read_lines

    p = Path(path)
    try:
        lines = list(read_lines(p))  # gzip allowed; not UTF-8: an Error naming the line
    except OSError as err:
        from bitext.fileio.read import unreadable

        raise InputError(unreadable(p, err)) from err
    return numbered_beads(lines, source=str(p))


@dataclass
class Counts:
    """True and false positives of the strict and lax metrics (summable over documents)."""

    tp_strict: int = 0
    fp_strict: int = 0
    tp_lax: int = 0
    fp_lax: int = 0
    rtp_strict: int = 0
    fn_strict: int = 0
    rtp_lax: int = 0
    fn_lax: int = 0

    def __add__(self, other: Counts) -> Counts:
        return Counts(*(x + y for x, y in zip(self.astuple(), other.astuple(), strict=True)))

    def astuple(self) -> tuple[int, ...]:
        return (self.tp_strict, self.fp_strict, self.tp_lax, self.fp_lax,
                self.rtp_strict, self.fn_strict, self.rtp_lax, self.fn_lax)

    def scores(self) -> dict[str, float]:
        """Precision, recall and F1, strict and lax, each in [0, 1]."""
        out: dict[str, float] = {}
        for kind, tp, fp, rtp, fn in (
            ("strict", self.tp_strict, self.fp_strict, self.rtp_strict, self.fn_strict),
            ("lax", self.tp_lax, self.fp_lax, self.rtp_lax, self.fn_lax),
        ):
            p = tp / (tp + fp) if tp + fp else 0.0
            r = rtp / (rtp + fn) if rtp + fn else 0.0
            out[f"{kind}_precision"] = p
            out[f"{kind}_recall"] = r
            out[f"{kind}_f1"] = 2 * p * r / (p + r) if p + r else 0.0
        return out


def _normal(beads: Iterable[Bead | Link]) -> list[Bead]:
    out = []
    for b in beads:
        if isinstance(b, Link):
            out.append((tuple(b.src), tuple(b.tgt)))
        else:
            out.append((tuple(b[0]), tuple(b[1])))
    return out


def _match(reference: list[Bead], candidates: list[Bead]) -> tuple[int, int, int, int]:
    """(tp strict, fp strict, tp lax, fp lax) of ``candidates`` judged against ``reference``.

    Candidates with an empty side are ignored.
    """
    exact = set(reference)
    src_owner: dict[int, list[int]] = {}
    for k, (s, _) in enumerate(reference):
        for i in s:
            src_owner.setdefault(i, []).append(k)
    tps = fps = tpl = fpl = 0
    for s, t in candidates:
        if not s or not t:
            continue
        if (s, t) in exact:
            tps += 1
            tpl += 1
            continue
        fps += 1
        tset = set(t)
        owners = {k for i in s for k in src_owner.get(i, [])}
        if any(tset.intersection(reference[k][1]) for k in owners):
            tpl += 1
        else:
            fpl += 1
    return tps, fps, tpl, fpl


def count_beads(gold: Iterable[Bead | Link], pred: Iterable[Bead | Link]) -> Counts:
    """Strict and lax counts of ``pred`` against ``gold`` for one document."""
    g, p = _normal(gold), _normal(pred)
    tps, fps, tpl, fpl = _match(g, p)
    rtps, fns, rtpl, fnl = _match(p, g)
    return Counts(tps, fps, tpl, fpl, rtps, fns, rtpl, fnl)


def score_beads(
    gold: Iterable[Bead | Link] | Sequence[Iterable[Bead | Link]],
    pred: Iterable[Bead | Link] | Sequence[Iterable[Bead | Link]],
    *,
    documents: bool = False,
) -> dict[str, float]:
    """Strict and lax precision, recall and F1 of ``pred`` against ``gold``.

    With ``documents=True`` both arguments are sequences of per-document bead
    lists and the counts are summed over documents (micro average).
    """
    if not documents:
        return count_beads(gold, pred).scores()  # type: ignore[arg-type]
    golds, preds = list(gold), list(pred)
    if len(golds) != len(preds):
        raise InputError(f"{len(golds)} gold documents but {len(preds)} predicted")
    total = Counts()
    for g, p in zip(golds, preds, strict=True):
        total = total + count_beads(g, p)  # type: ignore[arg-type]
    return total.scores()


def merge_within_groups(
    beads: Iterable[Bead | Link], src_group: Sequence[str], tgt_group: Sequence[str]
) -> list[Bead]:
    """Merge consecutive beads that fall inside one group (a Bible verse, a paragraph).

    ``src_group[i]`` / ``tgt_group[j]`` name the group of each sentence. A bead
    falls inside group ``g`` if all its sentences belong to ``g`` (a bead with an
    empty side takes the group of its other side); beads that span groups are
    kept as they are.
    """
    out: list[Bead] = []
    last: str | None = None
    for s, t in _normal(beads):
        groups = {src_group[i] for i in s} | {tgt_group[j] for j in t}
        g = next(iter(groups)) if len(groups) == 1 else None
        if g is not None and g == last and out:
            ps, pt = out[-1]
            out[-1] = (tuple(sorted(ps + s)), tuple(sorted(pt + t)))
        else:
            out.append((s, t))
        last = g
    return out


def gold_beads_from_groups(src_group: Sequence[str], tgt_group: Sequence[str]) -> list[Bead]:
    """Gold beads from group labels: all sentences sharing a label form one bead.

    Beads come in order of first appearance (source side first); a label on one
    side only gives a bead with an empty side.
    """
    order: list[str] = []
    src: dict[str, list[int]] = {}
    tgt: dict[str, list[int]] = {}
    for i, g in enumerate(src_group):
        if g not in src and g not in tgt:
            order.append(g)
        src.setdefault(g, []).append(i)
    for j, g in enumerate(tgt_group):
        if g not in src and g not in tgt:
            order.append(g)
        tgt.setdefault(g, []).append(j)
    return [(tuple(src.get(g, [])), tuple(tgt.get(g, []))) for g in order]


# ---------------------------------------------------------------- corpus gold


def _read_jsonl(path: Path, hint: str = "") -> list[dict[str, Any]]:
    from bitext.fileio.read import read_json_lines

    return [obj for _, obj in read_json_lines(path, hint)]


def _gold_languages(path: Path, records: list[dict[str, Any]],
                    langs: tuple[str, str] | None) -> tuple[str, str]:
    """The two language keys of a gold file: ``langs`` when given, else the
    keys of the first record that name languages of the language layer, in
    the order they are written (``zh`` then ``en`` in the bundled corpus)."""
    if langs is not None:
        return langs
    from bitext.languages import find_language

    first = records[0] if records else {}
    keys = [k for k in first if find_language(k) is not None and len(k) <= 3]
    if len(keys) != 2:
        raise InputError(
            f"{path}:1: needs exactly two language keys (such as 'zh' and 'en'), found "
            f"{', '.join(keys) or 'none'}"
        )
    return keys[0], keys[1]


def _gold_file(corpus: str | Path, name: str, langs: tuple[str, str] | None
               ) -> tuple[Path, list[dict[str, Any]], tuple[str, str]]:
    """A corpus folder's gold file ``name``: its path, its records and its two
    language keys (:func:`_gold_languages`)."""
    path = Path(corpus) / name
    if not path.is_file():
        raise InputError(f"{path} not found (a corpus folder needs {name})")
    records = _read_jsonl(path)
    return path, records, _gold_languages(path, records, langs)


def corpus_languages(corpus: str | Path) -> tuple[str, str]:
    """The two languages of a corpus folder's gold, in the order its records give them."""
    path = Path(corpus) / "gold.sentences.jsonl"
    if not path.is_file():
        path = Path(corpus) / "gold.paragraphs.jsonl"
    if not path.is_file():
        raise InputError(f"{corpus}: no gold.sentences.jsonl or gold.paragraphs.jsonl")
    return _gold_languages(path, _read_jsonl(path)[:1], None)


def corpus_gold(corpus: str | Path, langs: tuple[str, str] | None = None,
                ) -> tuple[list[str], list[str], list[Bead]]:
    """Gold sentence beads of a corpus folder's ``gold.sentences.jsonl``.

    Each line is ``{"id", "para", "<lang1>": [...], "<lang2>": [...]}`` in
    document order (``zh`` and ``en`` in the bundled corpus); sentences are
    numbered by their order on each side. ``langs`` picks the two keys and their
    order (default: as the file writes them). Returns the first and second
    language's sentence lists and the beads over those global indices.
    """
    path, records, (a, b) = _gold_file(corpus, "gold.sentences.jsonl", langs)
    first: list[str] = []
    second: list[str] = []
    beads: list[Bead] = []
    for no, rec in enumerate(records, 1):
        if not isinstance(rec.get(a), list) or not isinstance(rec.get(b), list):
            raise InputError(f"{path}:{no}: needs lists {a!r} and {b!r}")
        s = tuple(range(len(first), len(first) + len(rec[a])))
        t = tuple(range(len(second), len(second) + len(rec[b])))
        first.extend(rec[a])
        second.extend(rec[b])
        beads.append((s, t))
    return first, second, beads


def corpus_gold_paragraphs(corpus: str | Path, langs: tuple[str, str] | None = None,
                           ) -> tuple[list[str], list[str], list[Bead]]:
    """Gold unit beads of a corpus folder's ``gold.paragraphs.jsonl``.

    Each line is ``{"para", "<lang1>": "<text>", "<lang2>": "<text>"}``, one
    structural unit in document order; an empty text means the unit has no
    counterpart (1-0/0-1). ``langs`` as for :func:`corpus_gold`.
    """
    path, records, (a, b) = _gold_file(corpus, "gold.paragraphs.jsonl", langs)
    first: list[str] = []
    second: list[str] = []
    beads: list[Bead] = []
    for no, rec in enumerate(records, 1):
        x, y = rec.get(a), rec.get(b)
        if not isinstance(x, str) or not isinstance(y, str):
            raise InputError(f"{path}:{no}: needs strings {a!r} and {b!r}")
        s = (len(first),) if x else ()
        t = (len(second),) if y else ()
        first.extend([x] if x else [])
        second.extend([y] if y else [])
        beads.append((s, t))
    return first, second, beads


def _squash(text: str) -> str:
    return regex.sub(r"\s+", "", text)


def map_pairs_to_gold(
    pairs: Sequence[tuple[Sequence[str], Sequence[str]]],
    gold_zh: Sequence[str],
    gold_en: Sequence[str],
) -> list[Bead]:
    """Turn predicted pairs of sentence texts into beads over the gold's indices.

    Sentences are matched by text, in order (whitespace ignored): the k-th
    predicted occurrence of a sentence maps to the next gold sentence with the
    same text at or after the previous match. A predicted sentence with no gold
    counterpart (a different segmentation) is dropped from its bead, so such
    beads cannot match exactly.
    """

    def mapper(gold: Sequence[str]) -> Any:
        positions: dict[str, list[int]] = {}
        for k, s in enumerate(gold):
            positions.setdefault(_squash(s), []).append(k)
        cursor = {"at": -1}

        def find(text: str) -> int | None:
            cands = positions.get(_squash(text), [])
            for k in cands:
                if k > cursor["at"]:
                    cursor["at"] = k
                    return k
            return cands[-1] if cands else None

        return find

    fz, fe = mapper(gold_zh), mapper(gold_en)
    out: list[Bead] = []
    for zs, es in pairs:
        s = tuple(k for k in (fz(x) for x in zs) if k is not None)
        t = tuple(k for k in (fe(x) for x in es) if k is not None)
        if s or t:
            out.append((s, t))
    return out


def read_predicted_pairs(path: str | Path, langs: tuple[str, str] | None = None,
                         ) -> list[tuple[list[str], list[str]]]:
    """Predicted sentence pairs from a JSONL file.

    Accepts lines with the two languages' lists (or strings) under their codes
    (``{"fr": [...], "ru": [...]}``, as ``bitext align --format jsonl`` writes
    them), or ``src``/``tgt``. ``langs`` gives the two codes in the order wanted
    (a corpus gold's order, see :func:`corpus_languages`); by default ``zh`` and
    ``en`` when present, else the order of the first line.
    """
    from bitext.languages import find_language

    p = Path(path)
    out = []
    hint = ("give the predicted pairs as JSONL (bitext align --format jsonl, or "
            "build's NAME.jsonl)")
    for no, rec in enumerate(_read_jsonl(p, hint), 1):
        if langs is None:
            keys = [k for k in rec if len(k) <= 3 and find_language(k) is not None]
            langs = ("zh", "en") if {"zh", "en"} <= set(keys) else (
                (keys[0], keys[1]) if len(keys) == 2 else ("src", "tgt"))
        a, b = langs
        zs = rec.get(a, rec.get("src"))
        es = rec.get(b, rec.get("tgt"))
        if zs is None or es is None:
            raise InputError(f"{p}:{no}: needs {a!r} and {b!r} (or 'src' and 'tgt') fields")
        out.append((_as_list(zs), _as_list(es)))
    return out


def _as_list(x: Any) -> list[str]:
    if isinstance(x, str):
        return [x] if x else []
    if isinstance(x, list):
        return [str(s) for s in x]
    raise InputError(f"expected a string or a list of strings, got {type(x).__name__}")


def corpus_level(pairs: Sequence[tuple[Sequence[str], Sequence[str]]], corpus: str | Path) -> str:
    """``sentence`` or ``paragraph``: which gold of the corpus the predicted texts are."""
    if not (Path(corpus) / "gold.paragraphs.jsonl").is_file():
        return "sentence"
    texts = {_squash(x) for zs, es in pairs for x in (*zs, *es)}
    zh, en, _ = corpus_gold(corpus)
    pzh, pen, _ = corpus_gold_paragraphs(corpus)
    in_sentences = len(texts & {_squash(x) for x in (*zh, *en)})
    in_paragraphs = len(texts & {_squash(x) for x in (*pzh, *pen)})
    return "paragraph" if in_paragraphs > in_sentences else "sentence"


def score_against_corpus(
    pairs: Sequence[tuple[Sequence[str], Sequence[str]]], corpus: str | Path,
    level: str | None = None,
) -> dict[str, float]:
    """Strict/lax P/R/F1 of predicted pairs against a corpus folder's gold.

    ``pairs`` are (first gold language's texts, second's) in document order
    (Chinese, English in the bundled corpus), for example
    from an :class:`~bitext.types.Alignment`'s pairs. ``level`` ``sentence``
    scores against ``gold.sentences.jsonl``, ``paragraph`` against
    ``gold.paragraphs.jsonl``; by default the one the predicted texts come from.
    """
    level = level or corpus_level(pairs, corpus)
    zh, en, gold = corpus_gold(corpus) if level == "sentence" else corpus_gold_paragraphs(corpus)
    pred = map_pairs_to_gold(pairs, zh, en)
    out = score_beads(gold, pred)
    out["gold_beads"] = float(sum(1 for s, t in gold if s and t))
    out["predicted_beads"] = float(sum(1 for s, t in pred if s and t))
    return out


def score_alignment(alignment: Any, corpus: str | Path) -> dict[str, float]:
    """Score a :class:`~bitext.types.Alignment` (or any list of pairs) against a corpus."""
    from bitext.tmx.text import primary

    pairs = getattr(alignment, "pairs", alignment)
    # the gold's first language comes first; an alignment made the other way flips
    second = corpus_languages(corpus)[1]
    src_lang = getattr(alignment, "src_lang", None)
    flip = src_lang is not None and primary(str(src_lang)) == second
    return score_against_corpus(
        [(list(p.tgt), list(p.src)) if flip else (list(p.src), list(p.tgt)) for p in pairs],
        corpus,
    )


__all__ = [
    "Bead",
    "Counts",
    "check_alignment",
    "corpus_gold",
    "corpus_gold_paragraphs",
    "corpus_languages",
    "corpus_level",
    "count_beads",
    "document_sizes",
    "format_beads",
    "gold_beads_from_groups",
    "map_pairs_to_gold",
    "merge_within_groups",
    "numbered_beads",
    "parse_beads",
    "read_beads",
    "read_numbered_beads",
    "read_predicted_pairs",
    "score_against_corpus",
    "score_alignment",
    "score_beads",
]
