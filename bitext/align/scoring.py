"""Bead features that need no model: character lengths and hard tokens.

Lengths are counted in characters, whitespace excluded, so a Chinese sentence
and its English translation differ by a ratio (about 1:3 in UN text) that
:func:`estimate_length_model` measures on the input itself.

Hard tokens are strings a translation keeps as they are: numbers, Latin-script
words inside Chinese text, acronyms, URLs and document symbols
(``A/RES/70/1``). Each sentence's tokens are folded into a 64-bit mask so that
the agreement of two multi-sentence windows is a few integer operations.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import regex

from bitext.types import is_cjk_lang

_SPACE = regex.compile(r"\s+")
_URL = regex.compile(r"(?:https?://|www\.)\S+[^\s.,;:)\]]", regex.IGNORECASE)
_EMAIL = regex.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# Document symbols: slash-separated codes with at least one digit (A/71/250, E/CN.15/2016/1).
_SYMBOL = regex.compile(r"\b[A-Z]{1,6}(?:[./][A-Za-z0-9.\-]+)*/\d[\w./\-]*")
_NUMBER = regex.compile(r"\d+(?:[.,]\d{3})*(?:\.\d+)?")
_WORD = regex.compile(r"[\p{Latin}][\p{Latin}\d'\-]*")


def char_length(text: str) -> int:
    """Length in characters, whitespace excluded."""
    return len(_SPACE.sub("", text))


def _normal_number(tok: str) -> str:
    # "1,000" and "1.000" (thousands) -> "1000"; "3.5" stays; leading zeros dropped.
    if regex.fullmatch(r"\d{1,3}(?:[.,]\d{3})+", tok):
        tok = tok.replace(",", "").replace(".", "")
    whole, _, frac = tok.partition(".")
    whole = whole.lstrip("0") or "0"
    return f"{whole}.{frac}" if frac else whole


def token_sets(text: str, lang: str) -> tuple[set[str], set[str]]:
    """``(hard, words)`` of a text.

    ``hard``: tokens whose presence should be mirrored by a translation (numbers,
    URLs, symbols and words with digits; in CJK text also every Latin-script
    word). ``words``: every Latin-script word, lower-cased, used
    to find the other side's hard tokens in this text.
    """
    text = unicodedata.normalize("NFKC", text)
    hard: set[str] = set()
    for rx in (_URL, _EMAIL, _SYMBOL):
        for tok in rx.findall(text):
            hard.add(tok.lower().rstrip("."))
        text = rx.sub(" ", text)
    hard.update(_normal_number(t) for t in _NUMBER.findall(text))
    words = {w.lower() for w in _WORD.findall(text)}
    cjk = is_cjk_lang(lang)
    for w in _WORD.findall(text):
        # In a Latin-script text only words with digits must reappear as they are:
        # acronyms (UNODC) are usually translated, and are found through ``words``
        # when the other side keeps them.
        if cjk or any(c.isdigit() for c in w):
            hard.add(w.lower())
    return hard, words


def hard_token_masks(
    src: Sequence[str], tgt: Sequence[str], src_lang: str, tgt_lang: str
) -> tuple[np.ndarray, np.ndarray]:
    """64-bit masks (uint64 arrays of shape (n,), (m,)) of each sentence's hard tokens.

    A sentence's set is its own hard tokens plus those of its words that are hard
    tokens somewhere on the other side, so a Latin word in the Chinese text
    matches the same word in the English one. Tokens are numbered by first
    occurrence and folded into 64 bits (rare collisions only inflate agreement).
    """
    s_sets = [token_sets(t, src_lang) for t in src]
    t_sets = [token_sets(t, tgt_lang) for t in tgt]
    s_vocab = set().union(*(h for h, _ in s_sets)) if s_sets else set()
    t_vocab = set().union(*(h for h, _ in t_sets)) if t_sets else set()
    ids: dict[str, int] = {}

    def fold(sets: list[tuple[set[str], set[str]]], other: set[str]) -> np.ndarray:
        out = np.zeros(len(sets), dtype=np.uint64)
        for k, (hard, words) in enumerate(sets):
            mask = 0
            for tok in sorted(hard | (words & other)):
                mask |= 1 << (ids.setdefault(tok, len(ids)) % 64)
            out[k] = mask
        return out

    return fold(s_sets, t_vocab), fold(t_sets, s_vocab)


@dataclass(frozen=True)
class LengthModel:
    """Target length given source length: ``tgt ~ ratio * src``, variance ``var * mean``.

    A Gale-Church style model in characters: for a bead of ``ls`` source and
    ``lt`` target characters, ``delta = (lt - ratio * ls) / sqrt(var * mu)``
    with ``mu = (ratio * ls + lt) / 2`` and :meth:`prob` the two-sided tail
    probability of ``delta`` under a standard normal.
    """

    ratio: float
    var: float

    def delta(self, ls: np.ndarray, lt: np.ndarray) -> np.ndarray:
        expect = self.ratio * ls
        mu = np.maximum((expect + lt) / 2.0, 1.0)
        out: np.ndarray = (lt - expect) / np.sqrt(self.var * mu)
        return out

    def prob(self, ls: np.ndarray, lt: np.ndarray) -> np.ndarray:
        """Probability in [0, 1] that lengths this far apart are a translation pair."""
        d = np.abs(self.delta(ls, lt)) / math.sqrt(2.0)
        return _erfc(d)


def _erfc(x: np.ndarray) -> np.ndarray:
    # Abramowitz-Stegun 7.1.26 (error < 1.5e-7); numpy has no vectorised erfc.
    t = 1.0 / (1.0 + 0.3275911 * x)
    poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (
        -1.453152027 + t * 1.061405429))))
    out: np.ndarray = poly * np.exp(-x * x)
    return out


# Gale and Church's published variance (6.8 per character of European text) rescaled:
# used only when the input is too short to measure its own spread.
DEFAULT_LENGTH_VAR = 6.8


def estimate_length_model(
    src_len: np.ndarray,
    tgt_len: np.ndarray,
    pairs: Sequence[tuple[int, int]] | None = None,
    *,
    min_pairs: int = 20,
) -> LengthModel:
    """Measure the length ratio and spread on the input itself.

    Without ``pairs`` the ratio is total target over total source characters (an
    aligned text pair has the same content on both sides). With ``pairs``
    (confident 1-1 links, (src index, tgt index)) and at least ``min_pairs`` of
    them, the ratio is the median of their ratios and the variance is robust
    (median of squared deltas, divided by 0.455, the median of a chi-square with
    one degree of freedom), so omissions and misalignments do not inflate it.
    """
    total_s = float(np.sum(src_len))
    total_t = float(np.sum(tgt_len))
    ratio = total_t / total_s if total_s > 0 and total_t > 0 else 1.0
    var = DEFAULT_LENGTH_VAR
    if pairs is not None and len(pairs) >= min_pairs:
        ps = np.array([src_len[i] for i, _ in pairs], dtype=np.float64)
        pt = np.array([tgt_len[j] for _, j in pairs], dtype=np.float64)
        keep = (ps > 0) & (pt > 0)
        if keep.sum() >= min_pairs:
            ps, pt = ps[keep], pt[keep]
            ratio = float(np.sum(pt) / np.sum(ps))
            d2 = (pt - ratio * ps) ** 2 / np.maximum((ratio * ps + pt) / 2.0, 1.0)
            var = float(np.clip(np.median(d2) / 0.455, 0.5, 100.0))
    elif total_s > 0:
        # Gale-Church's variance is per source character of similar scripts; scale it
        # to target characters so its relative spread does not depend on the ratio.
        var = DEFAULT_LENGTH_VAR * max(ratio, 1.0) ** 0.5
    return LengthModel(ratio, var)


# Gale and Church (1993) bead-shape probabilities: 1-1 .89, 1-0 and 0-1 .0099
# together, 2-1 and 1-2 .089 together. Relative to 1-1, each sentence beyond the
# first on either side costs log(.0445 / .89) = -3.0 nats, a skip log(.00495 / .89).
GC_EXTRA_SENTENCE = math.log(0.0445 / 0.89)
GC_SKIP = math.log(0.00495 / 0.89)


def default_log_prior(a: int, b: int) -> float:
    """Log prior of a bead shape relative to 1-1 (Gale-Church's published rates)."""
    if a == 0 or b == 0:
        return GC_SKIP * max(a, b)
    return GC_EXTRA_SENTENCE * (a + b - 2)


@dataclass(frozen=True)
class Calibration:
    """Turns a bead's features into evidence, in nats (log-odds), all from the input.

    ``sim_match`` / ``sim_null``: mean cosine of translation pairs and of
    unrelated pairs; ``sim_sd``: their pooled standard deviation. With equal
    variances the log-likelihood ratio of a cosine ``s`` is linear:
    ``(sim_match - sim_null) / sim_sd**2 * (s - (sim_match + sim_null) / 2)``.
    ``null_delta_sd``: spread of the length statistic of unrelated pairs (the
    translation pairs have spread 1 by construction of :class:`LengthModel`).
    ``log_prior``: log probability of each bead shape relative to 1-1.
    ``cap``: no single feature may contribute more than this many nats either way.
    """

    length: LengthModel
    sim_match: float = 0.6
    sim_null: float = 0.1
    sim_sd: float = 0.15
    null_delta_sd: float = 4.0
    log_prior: dict[tuple[int, int], float] | None = None
    cap: float = 10.0

    def sim_llr(self, sim: np.ndarray) -> np.ndarray:
        gap = max(self.sim_match - self.sim_null, 0.05)
        slope = gap / max(self.sim_sd, 0.02) ** 2
        mid = (self.sim_match + self.sim_null) / 2.0
        out: np.ndarray = np.clip(slope * (sim - mid), -self.cap, self.cap)
        return out

    def length_llr(self, ls: np.ndarray, lt: np.ndarray) -> np.ndarray:
        """Log-likelihood ratio of the lengths: N(delta; 0, 1) against N(delta; 0, null sd)."""
        d = self.length.delta(ls, lt)
        sd0 = max(self.null_delta_sd, 1.0)
        out: np.ndarray = np.clip(-0.5 * d * d * (1.0 - 1.0 / sd0**2) + math.log(sd0),
                                  -self.cap, self.cap)
        return out

    def prior(self, a: int, b: int) -> float:
        if self.log_prior is not None and (a, b) in self.log_prior:
            return self.log_prior[(a, b)]
        return default_log_prior(a, b)


def shape_log_prior(
    counts: dict[tuple[int, int], int], shapes: Sequence[tuple[int, int]], strength: float = 50.0
) -> dict[tuple[int, int], float]:
    """Shape log priors re-estimated from bead counts of a first alignment.

    A Dirichlet estimate: the Gale-Church rates act as ``strength`` pseudo-beads,
    so a short input keeps them and a long one speaks for itself. Values are
    relative to 1-1.
    """
    base = {s: math.exp(default_log_prior(*s)) for s in shapes}
    z = sum(base.values())
    total = sum(counts.get(s, 0) for s in shapes)
    post = {s: (counts.get(s, 0) + strength * base[s] / z) / (total + strength) for s in shapes}
    ref = post.get((1, 1), max(post.values()))
    return {s: math.log(v / ref) for s, v in post.items()}
