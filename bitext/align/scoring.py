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

import functools
import math
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import regex

from bitext.types import is_cjk_lang

if TYPE_CHECKING:
    from bitext.glossary.cedict import Dictionary

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
        # acronyms (UNXO) are usually translated, and are found through ``words``
        # when the other side keeps them.
        if cjk or any(c.isdigit() for c in w):
            hard.add(w.lower())
    return hard, words


# Numbers written as words count from three: the words for one and two also
# serve as articles, pronouns and quantifiers ("one of", "second" the unit,
# 一些, 统一, 两者). Measured on dev data (Bible 5k strict / verse-merged F1, no
# number words -> from 1, 2, 3, 4): .9151 / .9795 -> .9159 / .9805, .9159 / .9805,
# .9168 / .9812, .9168 / .9812; UN zh-en .9959 with and without.
MIN_NUMBER_WORD = 3


def number_values(text: str, lang: str) -> set[int]:
    """Values of the numbers a text writes in words or native numerals (``third``, ``三十五``).

    Uses the language's ``number_words`` (a tens word and a units word joined
    by a hyphen add up: ``sixty-ninth`` is 69) or its ``numeral_digits`` and
    ``numeral_units`` (``三十五`` is 35; three or more digits alone read as a
    digit string, a year; two side by side are an estimate, ``五六``, and
    skipped). Values below :data:`MIN_NUMBER_WORD` are left out. Empty for a
    language that has neither.
    """
    from bitext.languages import find_language

    language = find_language(lang)
    if language is None:
        return set()
    out: set[int] = set()
    if language.number_words:
        words = dict(language.number_words)
        for first, second in _WORD_PAIR.findall(text.lower()):
            if first in words and second in words and words[first] >= 20 > words[second]:
                out.add(words[first] + words[second])
                continue
            out.update(words[w] for w in (first, second) if w in words)
    if language.numeral_digits:
        digits = dict(language.numeral_digits)
        units = dict(language.numeral_units)
        chars = regex.escape("".join(digits) + "".join(units))
        for run in regex.findall(f"[{chars}]+", text):
            value = _numeral_value(run, digits, units)
            if value is not None:
                out.add(value)
    return {v for v in out if v >= MIN_NUMBER_WORD}


_WORD_PAIR = regex.compile(r"\b(\p{L}+)(?:-(\p{L}+))?\b")


def _numeral_value(run: str, digits: dict[str, int], units: dict[str, int]) -> int | None:
    """Value of a run of numeral characters, or None if it is no well-formed number."""
    if all(ch in digits for ch in run):
        # Three or more digits spell a digit string (a year: 二〇一五); two side by
        # side are an estimate ("five or six": 五六), one is itself.
        if len(run) == 2:
            return None
        return int("".join(str(digits[ch]) for ch in run))
    total, section, digit = 0, 0, None
    for ch in run:
        if ch in digits:
            if digit is not None:
                return None
            digit = digits[ch]
            continue
        unit = units[ch]
        if unit >= 10_000:
            total = (total + section + (digit or 0)) * unit
            section = 0
        else:
            section += (1 if digit is None else digit) * unit
        digit = None
    return total + section + (digit or 0)


def hard_token_masks(
    src: Sequence[str], tgt: Sequence[str], src_lang: str, tgt_lang: str
) -> tuple[np.ndarray, np.ndarray]:
    """64-bit masks (uint64 arrays of shape (n,), (m,)) of each sentence's hard tokens.

    A sentence's set is its own hard tokens plus those of its words that are hard
    tokens somewhere on the other side, so a Latin word in the Chinese text
    matches the same word in the English one. When both languages write numbers
    in words or native numerals (:func:`number_values`), their values are hard
    tokens too, so ``第三天`` meets ``the third day`` and ``three`` meets ``3``.
    Tokens are numbered by first occurrence and folded into 64 bits (rare
    collisions only inflate agreement).
    """
    numbers = _writes_numbers(src_lang) and _writes_numbers(tgt_lang)
    s_sets = [_sentence_tokens(t, src_lang, numbers) for t in src]
    t_sets = [_sentence_tokens(t, tgt_lang, numbers) for t in tgt]
    s_vocab: set[str] = set().union(*(h for h, _ in s_sets)) if s_sets else set()
    t_vocab: set[str] = set().union(*(h for h, _ in t_sets)) if t_sets else set()
    ids: dict[str, int] = {}

    def fold(sets: list[tuple[frozenset[str], frozenset[str]]], other: set[str]) -> np.ndarray:
        out = np.zeros(len(sets), dtype=np.uint64)
        for k, (hard, words) in enumerate(sets):
            mask = 0
            for tok in sorted(hard | (words & other)):
                mask |= 1 << (ids.setdefault(tok, len(ids)) % 64)
            out[k] = mask
        return out

    return fold(s_sets, t_vocab), fold(t_sets, s_vocab)


#: Sentences whose tokens :func:`_sentence_tokens` keeps: a document's sentences
#: are read for the whole-document calibration and again for their paragraph
#: pair (the report: 324 sentences, each read twice). An entry keeps its text
#: and two small sets of strings: 8,192 of them raised the Bible 5k benchmark's
#: peak memory from 463 to 481 MB, 2,048 to 470 MB (same beads).
TOKEN_CACHE_SIZE = 2048


@functools.lru_cache(maxsize=TOKEN_CACHE_SIZE)
def _sentence_tokens(text: str, lang: str, numbers: bool) -> tuple[frozenset[str], frozenset[str]]:
    """:func:`token_sets` of a sentence, with the values of its numbers among the
    hard tokens when ``numbers`` (both languages write them, see
    :func:`hard_token_masks`): a function of its arguments alone."""
    hard, words = token_sets(text, lang)
    if numbers:
        hard.update(str(v) for v in number_values(text, lang))
    return frozenset(hard), frozenset(words)


def _writes_numbers(lang: str) -> bool:
    """The language has number words or native numerals (see :func:`number_values`)."""
    from bitext.languages import find_language

    language = find_language(lang)
    return language is not None and bool(language.number_words or language.numeral_digits)


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


def ends_closed(texts: Sequence[str], lang: str) -> np.ndarray:
    """Whether each text ends by closing a quotation or bracket (bool array).

    A text ends closed when it ends with the language's closing marks
    (:attr:`~bitext.languages.base.Language.closing`) right after a mark that
    is neither a letter nor a digit (``...!'``, ``。”``): speech that ends with
    the sentence. A closing mark right after a letter (an English plural's
    apostrophe, a quoted word) does not count. All False for a language bitext
    does not describe.
    """
    from bitext.languages import find_language

    language = find_language(lang)
    out = np.zeros(len(texts), dtype=bool)
    if language is None or not language.closing:
        return out
    closing = set(language.closing)
    for k, text in enumerate(texts):
        t = text.rstrip()
        e = len(t)
        while e > 0 and t[e - 1] in closing:
            e -= 1
        out[k] = 0 < e < len(t) and not t[e - 1].isalnum()
    return out


#: Pseudo-beads of :func:`closing_llr`, spread over its four counts as they fall
#: under independence. Measured on MAC-Dev chapters 002+003 (strict F1, in
#: process): 1 and 4 .8664, 20 .8664, 50 .8634; MAC-Dev unchanged by all four.
CLOSING_PSEUDO = 4.0


def closing_llr(zs: np.ndarray, zt: np.ndarray) -> tuple[float, float, float, float] | None:
    """Evidence (nats) of the ways a bead's two sides can end closed (see :func:`ends_closed`).

    ``zs`` / ``zt``: whether the last source / target sentence of each bead of
    a first path ends closed. Entry ``2 * source + target`` of the result is
    ``log P(source, target | translation) / (P(source) P(target))``: the
    path's beads against the same ends paired at random (their rates on the
    path, independent). Each count gets :data:`CLOSING_PSEUDO` times its share
    under independence, so a combination seen rarely is not taken as proof,
    and a text whose sides never close (or always do) gets no evidence. Entry 0
    (neither side closes) is 0: most beads of a text with little speech end
    that way, and a bonus for each would pay for splitting one bead into two.
    ``None`` for no beads.
    """
    n = zs.shape[0]
    if n == 0:
        return None
    ps, pt = float(zs.mean()), float(zt.mean())
    null = np.array([(1 - ps) * (1 - pt), (1 - ps) * pt, ps * (1 - pt), ps * pt])
    counts = np.bincount(2 * zs.astype(np.int64) + zt.astype(np.int64), minlength=4)
    match = (counts + CLOSING_PSEUDO * null) / (n + CLOSING_PSEUDO)
    llr = [math.log(x / y) if y > 0 else 0.0 for x, y in zip(match, null, strict=True)]
    return (0.0, llr[1], llr[2], llr[3])


def clip(x: np.ndarray, low: float, high: float) -> np.ndarray:
    """``np.clip(x, low, high)`` for ``low <= high`` (NaN stays NaN) by its two
    ufuncs: ``np.clip``'s Python wrappers cost several times the clipping of a
    paragraph pair's few values, which the search clips about a dozen times
    (the report: some 1,500 calls in all). Only the sign of a zero at a bound
    may differ, which no sum or comparison sees."""
    out: np.ndarray = np.minimum(np.maximum(x, low), high)
    return out


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
    ``log_prior``: log probability of each bead shape (re-estimated on the input,
    see :func:`shape_log_prior` with ``per_bead``); without it, Gale-Church's
    rates relative to 1-1.
    ``cap``: no single feature may count more than this many nats against a bead
    (a feature is capped in favour of one too, except the similarity: see
    :meth:`sim_llr`).
    """

    length: LengthModel
    sim_match: float = 0.6
    sim_null: float = 0.1
    sim_sd: float = 0.15
    null_delta_sd: float = 4.0
    log_prior: dict[tuple[int, int], float] | None = None
    cap: float = 10.0
    #: Dictionary coverage (see :class:`LexicalEvidence`) of translation pairs and
    #: of unrelated pairs, and their pooled spread; ``None`` until measured.
    lex_match: float | None = None
    lex_null: float | None = None
    lex_sd: float = 0.15
    #: Evidence of a bead's two sides ending closed or not (entry ``2 * source +
    #: target``, see :func:`closing_llr`); ``None`` until measured.
    closing: tuple[float, float, float, float] | None = None

    def sim_llr(self, sim: np.ndarray) -> np.ndarray:
        """Log-likelihood ratio of cosines ``sim``, capped below only.

        Translations are far apart from unrelated pairs (UN zh-en: match .75,
        unrelated .05, spread .09, a slope of 84 nats per unit of cosine), so a
        cap of 10 nats in favour was reached at a cosine of .52 and made every
        plausible window equal: a translation with one unrelated sentence glued
        on (cosine .55) scored as much as the translation alone (.73), and the
        merge won on length. Uncapped, the cosine tells them apart. Measured on
        dev data (benchmarks/unpc_align.py, strict F1, cap 10 -> none): UN zh-en
        .9911 -> .9959, fr-en .9939 -> .9965, ar-en .9920 -> .9960; Bible 5k
        unchanged (.9151, verse-merged .9795). Below, a cosine far under the
        unrelated mean says no more than one at the cap (an encoder failure is
        not proof of a wrong pairing).
        """
        gap = max(self.sim_match - self.sim_null, 0.05)
        slope = gap / max(self.sim_sd, 0.02) ** 2
        mid = (self.sim_match + self.sim_null) / 2.0
        out: np.ndarray = np.maximum(slope * (sim - mid), -self.cap)
        return out

    def lex_llr(self, cov: np.ndarray, words: np.ndarray) -> np.ndarray:
        """Log-likelihood ratio of a bead's dictionary coverage (0 where unmeasured).

        ``cov``: share of the bead's countable words explained by the other side,
        NaN where it has none; ``words``: how many words were countable. A bead
        with few words says less: the ratio is shrunk by ``words / (words + 4)``
        (a pseudo-count of four words, a fifth of a typical UN sentence's
        countable words, toward no evidence).
        """
        if self.lex_match is None or self.lex_null is None:
            return np.zeros(cov.shape[0])
        gap = max(self.lex_match - self.lex_null, 0.02)
        slope = gap / max(self.lex_sd, 0.02) ** 2
        mid = (self.lex_match + self.lex_null) / 2.0
        # cov is finite or NaN (a share of counted words): NaN reads as no evidence
        llr = clip(slope * (np.where(np.isnan(cov), mid, cov) - mid), -self.cap, self.cap)
        out: np.ndarray = llr * words / (words + 4.0)
        return out

    def length_llr(self, ls: np.ndarray, lt: np.ndarray) -> np.ndarray:
        """Log-likelihood ratio of the lengths: N(delta; 0, 1) against N(delta; 0, null sd)."""
        d = self.length.delta(ls, lt)
        sd0 = max(self.null_delta_sd, 1.0)
        return clip(-0.5 * d * d * (1.0 - 1.0 / sd0**2) + math.log(sd0), -self.cap, self.cap)

    def closing_llr(self, zs: np.ndarray, zt: np.ndarray) -> np.ndarray:
        """Evidence of beads whose last sentences end closed or not (``zs``, ``zt``: bool)."""
        if self.closing is None:
            return np.zeros(zs.shape[0])
        table = np.clip(np.asarray(self.closing), -self.cap, self.cap)
        out: np.ndarray = table[2 * zs.astype(np.int64) + zt.astype(np.int64)]
        return out

    def prior(self, a: int, b: int) -> float:
        if self.log_prior is not None and (a, b) in self.log_prior:
            return self.log_prior[(a, b)]
        return default_log_prior(a, b)


def shape_log_prior(
    counts: dict[tuple[int, int], int], shapes: Sequence[tuple[int, int]], strength: float = 50.0,
    *, per_bead: bool = False,
) -> dict[tuple[int, int], float]:
    """Shape log priors re-estimated from bead counts of a first alignment.

    A Dirichlet estimate: the Gale-Church rates act as ``strength`` pseudo-beads,
    so a short input keeps them and a long one speaks for itself. Values are
    relative to 1-1, or with ``per_bead`` the log probabilities themselves: a
    path's prior is then the product of its beads' probabilities, as in Gale and
    Church's search, so every bead also costs ``-log P(1-1)`` and two 1-1 beads
    are no longer free against the one bead that holds their four sentences
    (relative priors drop that term, which favours the finer split).

    A bead with several sentences on both sides (a-b) is at least as likely as
    its two sides' shapes make it together, ``P(a-1) P(1-b) / P(1-1)``. The
    Gale-Church rates are built that way (each extra sentence costs the same, on
    either side); but a first path, searched with a low n-m prior, holds almost
    no n-m beads, so their re-estimate stayed at or below the Gale-Church rate
    (2-2: -6 nats) while the input's 1-2 and 2-1 rates rose. On MAC-Dev's gold
    (literary zh-en), 2-2 beads are 2.6% of the 1-1 beads and the product of the
    1-2 and 2-1 rates 1.7%. Measured on dev data (strict F1): MAC-Dev .930 ->
    .9355 (2-2 beads found 5 -> 7 of 15, 2-3 3 -> 4 of 9), Bible 5k .9168 ->
    .9171 (verse-merged .9809 both), UN sentences .9959 both, the corpus 1.000.
    """
    base = {s: math.exp(default_log_prior(*s)) for s in shapes}
    z = sum(base.values())
    total = sum(counts.get(s, 0) for s in shapes)
    post = {s: (counts.get(s, 0) + strength * base[s] / z) / (total + strength) for s in shapes}
    ref = post.get((1, 1), max(post.values()))
    for a, b in shapes:
        if a >= 2 and b >= 2 and (a, 1) in post and (1, b) in post:
            composed = post[(a, 1)] * post[(1, b)] / ref
            post[(a, b)] = max(composed, post[(a, b)])
    if per_bead:
        ref = 1.0
    return {s: math.log(v / ref) for s, v in post.items()}


# English words too common to be evidence of a translation (besides the
# dictionary's own gloss stop words): auxiliaries, pronouns, conjunctions.
_EN_STOP = frozenset({
    "the", "and", "for", "that", "this", "these", "those", "which", "who", "whom", "whose",
    "with", "from", "was", "were", "are", "has", "have", "had", "been", "being", "will",
    "would", "shall", "should", "may", "might", "can", "could", "must", "not", "also",
    "its", "their", "his", "her", "our", "your", "they", "them", "she", "him", "you",
    "than", "then", "there", "here", "such", "into", "upon", "about", "all", "any", "but",
    "did", "does", "how", "what", "when", "where", "why", "very", "more", "most",
})
_EN_WORD = regex.compile(r"[\p{Latin}]{3,}")
_HAN_RUN = regex.compile(r"\p{Han}+")


def lexical_coverage(src_hits: np.ndarray, tgt_hits: np.ndarray, src_words: np.ndarray,
                     tgt_words: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(coverage, countable words) of beads from their summed hits and word counts.

    Coverage is the share of countable words on both sides that the other side
    explains (hits summed over sentence pairs are capped by the word count, as
    a word found in two sentences of the window is still one word); NaN where
    a bead has no countable word.
    """
    words = src_words + tgt_words
    hits = np.minimum(src_hits, src_words) + np.minimum(tgt_hits, tgt_words)
    with np.errstate(invalid="ignore", divide="ignore"):
        cov = np.where(words > 0, hits / np.maximum(words, 1e-9), np.nan)
    return cov, words


def _key(word: str) -> str:
    """A crude stem shared by inflected forms (nations/national -> natio; issue/issues)."""
    return word[:5]


@functools.lru_cache(maxsize=TOKEN_CACHE_SIZE)
def _glossed_words(text: str, dictionary: Dictionary) -> str:
    """The dictionary words of a Chinese sentence that have :func:`_gloss_keys`,
    cut by forward maximum matching (two to six characters), separated by spaces
    (a Han run holds none).

    A function of its arguments alone, kept by text as :func:`_sentence_tokens`
    is: the whole document's evidence reads every sentence, and its paragraph
    pair reads it again (on the report, cutting the sentences and looking up
    their glosses was about 60% of building the evidence). One string a
    sentence: as a tuple of words, with the English keys kept the same way, the
    Bible 5k benchmark's peak memory rose by 11 MB.
    """
    words: list[str] = []
    for run in _HAN_RUN.findall(text):
        k = 0
        while k < len(run):
            for e in range(min(len(run), k + 6), k, -1):
                if e - k >= 2 and run[k:e] in dictionary:
                    if _gloss_keys(run[k:e], dictionary):
                        words.append(run[k:e])
                    k = e
                    break
            else:
                k += 1
    return " ".join(words)


#: Chinese words whose :func:`_gloss_keys` are kept: a document's vocabulary
#: (the Bible 5k benchmark's 5,000 verses use 3,170), an entry a word and a few
#: short strings.
WORD_CACHE_SIZE = 8192


@functools.lru_cache(maxsize=WORD_CACHE_SIZE)
def _gloss_keys(word: str, dictionary: Dictionary) -> tuple[str, ...]:
    """The distinct keys (:func:`_key`) of a Chinese word's glosses of three
    letters or more that are not stop words, in the dictionary's order."""
    return tuple(dict.fromkeys(_key(g) for g in dictionary.lookup(word)
                               if len(g) >= 3 and g not in _EN_STOP))


@functools.lru_cache(maxsize=TOKEN_CACHE_SIZE)
def _english_keys(text: str) -> str:
    """The keys (:func:`_key`) of an English sentence's words of three letters or
    more that are not stop words, separated by spaces (a key holds only letters);
    kept by text as :func:`_glossed_words` is."""
    return " ".join(_key(w) for w in _EN_WORD.findall(text.lower()) if w not in _EN_STOP)


class LexicalEvidence:
    """Dictionary evidence between Chinese and English sentences (Hunalign's idea).

    Chinese text is cut into dictionary words of two to six characters by
    forward maximum matching over CC-CEDICT; English words of three letters or
    more (less function words) are reduced to a 5-letter stem, and so are the
    dictionary's gloss words. For a source sentence ``i`` and a target sentence
    ``j``: ``src_hits(i, j)`` counts the Chinese words of ``i`` one of whose
    glosses occurs in ``j``, ``tgt_hits(i, j)`` the distinct English stems of ``j``
    that are a gloss of some word of ``i``. ``src_words[i]`` / ``tgt_words[j]``
    count the words that could match at all (a gloss or a word present anywhere
    on the other side), the denominators of the coverage of a bead.

    Built only for a Chinese-English pair (either direction): :meth:`build`
    returns ``None`` otherwise or when the dictionary is not installed.
    """

    def __init__(self, zh_sets: list[list[frozenset[int]]], en_sets: list[frozenset[int]],
                 zh_is_src: bool) -> None:
        glossed: set[int] = set().union(*(g for words in zh_sets for g in words)) \
            if zh_sets else set()
        present: set[int] = set().union(*en_sets) if en_sets else set()
        # Words that can never match carry no evidence either way.
        self._zh = [[g for g in words if not g.isdisjoint(present)] for words in zh_sets]
        self._zh_all = [frozenset().union(*words) if words else frozenset() for words in self._zh]
        self._en = [frozenset(s & glossed) for s in en_sets]
        self.zh_is_src = zh_is_src
        zw = np.array([len(w) for w in self._zh], dtype=np.float32)
        ew = np.array([len(s) for s in self._en], dtype=np.float32)
        self.src_words, self.tgt_words = (zw, ew) if zh_is_src else (ew, zw)
        # Flat arrays for :meth:`pairs`: per Chinese sentence its words (and per
        # word its gloss ids) and its gloss ids overall; each English sentence's
        # ids as sorted keys ``sentence * ids + id``.
        self._ids = 1 + max((max(g) for g in [*self._zh_all, *self._en] if g), default=-1)
        self._word_ptr = _offsets([len(w) for w in self._zh])
        self._gloss_ptr = _offsets([len(g) for w in self._zh for g in w])
        self._gloss = np.fromiter((i for w in self._zh for g in w for i in sorted(g)),
                                  dtype=np.int64, count=int(self._gloss_ptr[-1]))
        self._all_ptr = _offsets([len(g) for g in self._zh_all])
        self._all = np.fromiter((i for g in self._zh_all for i in sorted(g)), dtype=np.int64,
                                count=int(self._all_ptr[-1]))
        self._en_keys = np.fromiter(
            (e * self._ids + i for e, ids in enumerate(self._en) for i in sorted(ids)),
            dtype=np.int64, count=sum(len(ids) for ids in self._en))

    @classmethod
    def build(cls, src: Sequence[str], tgt: Sequence[str], src_lang: str, tgt_lang: str
              ) -> LexicalEvidence | None:
        langs = (src_lang.split("-")[0].lower(), tgt_lang.split("-")[0].lower())
        if langs not in (("zh", "en"), ("en", "zh")):
            return None
        from bitext.errors import MissingDependencyError
        from bitext.glossary.cedict import load_dictionary

        try:
            dictionary = load_dictionary()
        except MissingDependencyError:
            return None
        zh_is_src = langs[0] == "zh"
        zh_texts, en_texts = (src, tgt) if zh_is_src else (tgt, src)
        ids: dict[str, int] = {}
        # one set per distinct word, shared by its occurrences
        word_ids: dict[str, frozenset[int]] = {}

        def glosses(word: str) -> frozenset[int]:
            hit = word_ids.get(word)
            if hit is None:
                hit = word_ids[word] = frozenset(ids.setdefault(key, len(ids))
                                                 for key in _gloss_keys(word, dictionary))
            return hit

        zh_sets = [[glosses(word) for word in _glossed_words(text, dictionary).split()]
                   for text in zh_texts]
        en_sets = [frozenset(ids[key] for key in _english_keys(text).split() if key in ids)
                   for text in en_texts]
        return cls(zh_sets, en_sets, zh_is_src)

    def pairs(self, ii: np.ndarray, jj: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Hits of the sentence pairs ``(ii[k], jj[k])``: two float32 arrays.

        Counted per block of pairs on the grid of the Chinese and English
        sentences they span (a band's pairs are close to its diagonal): which
        English sentence holds each gloss id, then per word whether any of its
        ids is there, summed per sentence with cumulative sums; pairs spread thin
        over their grid (:data:`GRID_SPREAD`) are counted one by one.
        """
        zz, ee = (ii, jj) if self.zh_is_src else (jj, ii)
        zz = np.asarray(zz, dtype=np.int64)
        ee = np.asarray(ee, dtype=np.int64)
        zh_hits = np.zeros(len(zz), dtype=np.float32)
        en_hits = np.zeros(len(zz), dtype=np.float32)
        for b in range(0, len(zz) if self._ids else 0, PAIRS_CHUNK):
            z, e = zz[b:b + PAIRS_CHUNK], ee[b:b + PAIRS_CHUNK]
            z0, z1, e0, e1 = int(z.min()), int(z.max()) + 1, int(e.min()), int(e.max()) + 1
            if len(z) < GRID_MIN_PAIRS or (z1 - z0) * (e1 - e0) > GRID_SPREAD * len(z):
                # a few pairs, or spread over the grid (a path's beads): one by one
                for k, (i, j) in enumerate(zip(z.tolist(), e.tolist(), strict=True)):
                    en = self._en[j]
                    zh_hits[b + k] = sum(1 for g in self._zh[i] if not g.isdisjoint(en))
                    en_hits[b + k] = len(self._zh_all[i] & en)
                continue
            # has[id, e - e0]: English sentence e holds gloss id
            has = np.zeros((self._ids + 1, e1 - e0), dtype=np.int32)
            k0, k1 = np.searchsorted(self._en_keys, [e0 * self._ids, e1 * self._ids])
            keys = self._en_keys[k0:k1]
            has[keys % self._ids, keys // self._ids - e0] = 1
            w0, w1 = self._word_ptr[z0], self._word_ptr[z1]
            g0, g1 = self._gloss_ptr[w0], self._gloss_ptr[w1]
            per_word = np.zeros((w1 - w0 + 1, e1 - e0), dtype=np.int32)
            if g1 > g0:
                found = has[self._gloss[g0:g1]]
                starts = self._gloss_ptr[w0:w1] - g0
                np.minimum(np.add.reduceat(found, starts, axis=0), 1, out=per_word[1:])
            zh_t = _run_sums(per_word, self._word_ptr[z0:z1 + 1] - w0)
            a0, a1 = self._all_ptr[z0], self._all_ptr[z1]
            per_id = np.zeros((a1 - a0 + 1, e1 - e0), dtype=np.int32)
            per_id[1:] = has[self._all[a0:a1]]
            en_t = _run_sums(per_id, self._all_ptr[z0:z1 + 1] - a0)
            zh_hits[b:b + len(z)] = zh_t[z - z0, e - e0]
            en_hits[b:b + len(z)] = en_t[z - z0, e - e0]
        return (zh_hits, en_hits) if self.zh_is_src else (en_hits, zh_hits)


#: Sentence pairs :meth:`LexicalEvidence.pairs` counts at once (a band's next
#: rows): its grid of the sentences they span stays small however long the band.
PAIRS_CHUNK = 8192

#: Grid cells per pair above which :meth:`LexicalEvidence.pairs` counts pair by
#: pair: on the report, the 26,228 pairs of the whole document's full band took
#: 0.11 CPU s one by one and 0.015 s on the grid, but the 110-158 pairs of a
#: path spread over that grid (166 cells a pair) about 0.5 ms one by one and 20
#: ms on the grid. A band's pairs fill its grid but for the corners (1-2 cells
#: a pair), a path's have one per row, so any factor between is the same split.
GRID_SPREAD = 8

#: Fewer pairs are counted one by one: the grid's two dozen array operations
#: cost about 0.1 ms a call, the time of some 30 pairs one by one (the report's
#: 450 calls of 1-6 pairs: 0.014 s one by one, 0.05 s on grids).
GRID_MIN_PAIRS = 32


def _run_sums(rows: np.ndarray, ptr: np.ndarray) -> np.ndarray:
    """Sums of ``rows[1:]`` over the runs ``ptr[k] .. ptr[k + 1]`` (``rows[0]`` is
    a zero row): int32 ``(len(ptr) - 1, rows.shape[1])``."""
    total = np.cumsum(rows, axis=0, dtype=np.int32)
    out: np.ndarray = total[ptr[1:]] - total[ptr[:-1]]
    return out


def _offsets(lengths: list[int]) -> np.ndarray:
    """Start of each run of ``lengths`` and the end of the last: int64 (len + 1,)."""
    out = np.zeros(len(lengths) + 1, dtype=np.int64)
    np.cumsum(lengths, out=out[1:])
    return out
