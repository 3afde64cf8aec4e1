"""Encoding detection on the UN test set: right codes found, wrong ones scored low.

Each language of ``../shared/data/unpc-testset`` is encoded in its legacy code
page(s) (Chinese in GB18030 and, converted character by character to
traditional with CC-CEDICT's pairs, in Big5; English, French and Spanish in
cp1252; Russian in cp1251; Arabic in cp1256), in chunks of ``--lines`` lines.
For every chunk the detector's score is printed for the right code and the
best wrong one, and whether :func:`bitext.fileio.decode.decode_bytes` gives the
original text back, raises (unsure), or gives wrong text (the failure that
must never happen).

Then each language in UTF-16 without a byte-order mark (``utf-16-le``,
``utf-16-be``): the plausibility of the right byte order, the best of the
wrong order and of the language's legacy bytes read as UTF-16 (what
``UTF16_MIN_PLAUSIBLE_SHARE`` must separate), and what ``decode_bytes`` gives.

    python benchmarks/encodings.py [--lines 50]
"""

from __future__ import annotations

import argparse
import gzip
import sys
from pathlib import Path

from bitext.errors import InputError
from bitext.fileio import decode as dec

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "unpc-testset"


def traditional_map() -> dict[str, str]:
    """Simplified -> traditional for single characters, from CC-CEDICT's entries."""
    from bitext.glossary.cedict import _data_path

    out: dict[str, str] = {}
    with gzip.open(_data_path(), "rt", encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("#"):
                continue
            trad, simp = line.split(" ", 2)[:2]
            if len(trad) == len(simp) == 1 and simp not in out:
                out[simp] = trad
    return out


def scores(data: bytes) -> dict[str, float]:
    return {d.encoding: d.score for d in (dec._judged(c, t) for c, t in dec._legacy(data))}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--lines", type=int, default=50, help="lines per chunk (one file)")
    args = ap.parse_args()
    if not DATA.is_dir():
        print(f"no dev data at {DATA}", file=sys.stderr)
        return 2
    t_map = traditional_map()
    jobs: list[tuple[str, str, list[str]]] = []
    for lang, codecs_ in (("zh", ("gb18030", "big5")), ("en", ("cp1252",)),
                          ("fr", ("cp1252",)), ("es", ("cp1252",)), ("ru", ("cp1251",)),
                          ("ar", ("cp1256",))):
        lines = (DATA / f"testset.{lang}").read_text(encoding="utf-8").splitlines()
        for codec in codecs_:
            if codec == "big5":
                lines_c = ["".join(t_map.get(c, c) for c in ln) for ln in lines]
            else:
                lines_c = lines
            jobs.append((lang, codec, lines_c))
    print(f"{'lang':5}{'code':9}{'chunks':>7}{'right min':>10}{'wrong max':>10}"
          f"{'ok':>6}{'unsure':>7}{'WRONG':>6}")
    for lang, codec, lines in jobs:
        right_min, wrong_max = 1.0, 0.0
        ok = unsure = wrong = chunks = 0
        family = {"gb18030": dec._CJK_FAMILIES["gb18030"], "big5": dec._CJK_FAMILIES["big5"],
                  "cp1252": ("cp1252", "iso-8859-1")}.get(codec, (codec,))
        for start in range(0, len(lines), args.lines):
            text = "\n".join(lines[start:start + args.lines]) + "\n"
            try:
                data = text.encode(codec)
            except UnicodeEncodeError:
                # a character the legacy code lacks (a rare name): drop it, as a
                # converter would have to
                data = text.encode(codec, errors="ignore")
                text = data.decode(codec)
            if data.isascii():
                continue
            chunks += 1
            sc = scores(data)
            right = max((v for k, v in sc.items() if k in family), default=0.0)
            wrong_v = max((v for k, v in sc.items() if k not in family), default=0.0)
            right_min, wrong_max = min(right_min, right), max(wrong_max, wrong_v)
            try:
                got, _ = dec.decode_bytes(data)
            except InputError:
                unsure += 1
                continue
            if got == text:
                ok += 1
            else:
                wrong += 1
        print(f"{lang:5}{codec:9}{chunks:7}{right_min:10.3f}{wrong_max:10.3f}"
              f"{ok:6}{unsure:7}{wrong:6}")
    for lang, codec, lines in jobs:
        utf16_row(lang, codec, lines, args.lines)
    return 0


def wide_score(data: bytes, codec: str) -> float:
    """Plausibility of ``data`` read as ``codec`` (UTF-16), 0 when it does not decode."""
    try:
        return dec._wide_plausibility(data.decode(codec)[:50_000])
    except UnicodeDecodeError:
        return 0.0


def utf16_row(lang: str, legacy: str, lines: list[str], per_chunk: int) -> None:
    """One row per byte order: the text of ``lines`` in UTF-16 with no byte-order
    mark, against the wrong order and the ``legacy`` bytes read as UTF-16."""
    for codec, other in (("utf-16-le", "utf-16-be"), ("utf-16-be", "utf-16-le")):
        right_min, wrong_max = 1.0, 0.0
        ok = unsure = wrong = chunks = 0
        for start in range(0, len(lines), per_chunk):
            text = "\n".join(lines[start:start + per_chunk]) + "\n"
            data = text.encode(codec)
            chunks += 1
            old = text.encode(legacy, errors="ignore")
            right_min = min(right_min, wide_score(data, codec))
            wrong_max = max(wrong_max, wide_score(data, other), wide_score(old, codec),
                            wide_score(old, other))
            try:
                got, _ = dec.decode_bytes(data)
            except InputError:
                unsure += 1
                continue
            ok += got == text
            wrong += got != text
        print(f"{lang:5}{codec:9}{chunks:7}{right_min:10.3f}{wrong_max:10.3f}"
              f"{ok:6}{unsure:7}{wrong:6}  (legacy {legacy} read as UTF-16 counts as wrong)")


if __name__ == "__main__":
    sys.exit(main())
