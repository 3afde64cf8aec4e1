"""Bertalign's algorithm with bitext's encoder: the anchor for the alignment benchmarks.

    python benchmarks/bertalign_use.py SRC TGT -o pred.beads [--encoder use]

Benchmark only, not part of bitext. It needs the PyPI package ``bertalign``
(the maintained fork, 2.0.x, GPL-3.0) and ``numba`` in the environment, but not
in bitext's dependencies::

    pip install numba && pip install --no-deps --ignore-requires-python bertalign

The package declares Python >= 3.12 and its ``bertalign.aligner`` module uses
3.12 syntax, and its encoder loads LaBSE from the model hub, which cannot work
offline. So this script loads the package's own ``corelib`` (the numba DP
kernels, unchanged) and ``utils`` (window texts) from the installed files,
embeds the windows with a bitext encoder (``use`` by default, the one bitext
uses), and calls the kernels in the order and with the defaults of
``Bertalign.align_sents`` (max_align 5, top_k 3, win 5, skip -0.1, margin and
length penalty on). Inputs are one sentence per line (``is_split=True``);
lines are stripped and blank lines dropped as ``bertalign.utils.clean_text``
does, so the indices refer to the non-blank lines (the benchmarks write none).
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
import types
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from bitext.align.encoders import get_encoder


def _load_bertalign() -> tuple[Any, Any]:
    """``corelib`` and ``utils`` of the installed package, without its ``__init__``."""
    spec = importlib.util.find_spec("bertalign")
    if spec is None or not spec.submodule_search_locations:
        sys.exit("error: the bertalign package is not installed; "
                 "pip install numba && pip install --no-deps --ignore-requires-python bertalign")
    root = Path(next(iter(spec.submodule_search_locations)))
    pkg = types.ModuleType("bertalign")
    pkg.__path__ = [str(root)]
    sys.modules["bertalign"] = pkg
    # utils imports a language detector and a sentence splitter at import time;
    # neither is used for pre-split input, so empty stand-ins are enough.
    for name in ("lingua", "sentence_splitter"):
        stub = types.ModuleType(name)
        for attr in ("IsoCode639_1", "LanguageDetector", "LanguageDetectorBuilder",
                     "SentenceSplitter"):
            setattr(stub, attr, object)
        sys.modules.setdefault(name, stub)
    mods = []
    for name in ("utils", "corelib"):
        sp = importlib.util.spec_from_file_location(f"bertalign.{name}", root / f"{name}.py")
        assert sp is not None and sp.loader is not None
        mod = importlib.util.module_from_spec(sp)
        sys.modules[f"bertalign.{name}"] = mod
        sp.loader.exec_module(mod)
        mods.append(mod)
    return mods[0], mods[1]


def transform(encoder: Any, utils: Any, sents: Sequence[str], num_overlaps: int
              ) -> tuple[np.ndarray, np.ndarray]:
    """``bertalign.encoder.Encoder.transform`` with ``encoder.encode`` as the model."""
    overlaps = list(utils.yield_overlaps(sents, num_overlaps))
    vecs = np.asarray(encoder.encode(overlaps), dtype=np.float32)
    vecs = vecs.reshape(num_overlaps, len(sents), vecs.shape[1])
    lens = np.array([len(x.encode("utf-8")) for x in overlaps], dtype=np.int64)
    return vecs, lens.reshape(num_overlaps, len(sents))


def align(src: list[str], tgt: list[str], encoder: Any, *, max_align: int = 5, top_k: int = 3,
          win: int = 5, skip: float = -0.1) -> list[tuple[list[int], list[int]]]:
    """The two passes of ``Bertalign.align_sents`` with its default settings."""
    utils, core = _load_bertalign()
    src_vecs, src_lens = transform(encoder, utils, src, max_align - 1)
    tgt_vecs, tgt_lens = transform(encoder, utils, tgt, max_align - 1)
    char_ratio = float(np.sum(src_lens[0]) / np.sum(tgt_lens[0]))
    n, m = len(src), len(tgt)
    scores, indices = core.find_top_k_sents(src_vecs[0], tgt_vecs[0], k=top_k)
    types1 = core.get_alignment_types(2)
    w1, path1 = core.find_first_search_path(n, m)
    ptr1 = core.first_pass_align(n, m, w1, path1, types1, scores, indices)
    first = core.first_back_track(n, m, ptr1, path1, types1)
    types2 = core.get_alignment_types(max_align)
    w2, path2 = core.find_second_search_path(first, win, n, m)
    ptr2 = core.second_pass_align(src_vecs, tgt_vecs, src_lens, tgt_lens, w2, path2, types2,
                                  char_ratio, skip, margin=True, len_penalty=True)
    beads: list[tuple[list[int], list[int]]] = core.second_back_track(n, m, ptr2, path2, types2)
    return beads


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("src", type=Path)
    ap.add_argument("tgt", type=Path)
    ap.add_argument("-o", "--output", type=Path, required=True)
    ap.add_argument("--encoder", default="use")
    args = ap.parse_args(argv)

    def lines(p: Path) -> list[str]:
        text = p.read_text(encoding="utf-8")
        return [" ".join(x.split()) for x in text.splitlines() if x.strip()]

    beads = align(lines(args.src), lines(args.tgt), get_encoder(args.encoder))
    args.output.write_text(
        "".join(f"{[int(i) for i in s]}:{[int(j) for j in t]}\n" for s, t in beads),
        encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
