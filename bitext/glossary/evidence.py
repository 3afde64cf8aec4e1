"""Evidence that two terms translate each other: co-occurrence, dictionary, length,
embeddings, and the confidence that weighs them (step 3 of :mod:`.extract`)."""

from __future__ import annotations

import logging
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np

from bitext.align.scoring import number_values
from bitext.glossary import chinese, english
from bitext.glossary.candidates import RELIABLE, _Class, _Entry, _preferred_surface
from bitext.glossary.cedict import Dictionary, GlossIndex
from bitext.languages.en import LANGUAGE as EN
from bitext.languages.zh import LANGUAGE as ZH

logger = logging.getLogger(__name__)

WEIGHTS = {"dice": 0.5, "dictionary": 0.35, "length": 0.15}
WEIGHTS_ENCODER = {"dice": 0.4, "dictionary": 0.25, "length": 0.1, "embedding": 0.25}
LEXICAL_MIN = 0.5       # dictionary score a rarer pair needs (see _lexical_enough)
EMBED_STRONG = 0.6      # cosine similarity that can stand in for the dictionary
# Cosine that unrelated terms reach: the 90th percentile over 1,500 concepts of
# the dev glossary paired at random (USE-m3, 2026-12-05: median 0.14, 90% 0.27,
# 95% 0.31; the concepts' own pairs: median 0.73).
EMBED_UNRELATED = 0.27
LENGTH_RATIO = (1.2, 3.5)  # usual Chinese characters per English content word in a term
# Numbers said in words: English number words (a term's key writes "forty-second"
# as "forty second") and the characters of a Chinese numeral (四十二), which
# explain each other when their values agree (_DictScorer.shares)
_EN_NUMBERS = dict(EN.number_words)
_ZH_NUMERALS = frozenset(c for c, _ in (*ZH.numeral_digits, *ZH.numeral_units))


class Encoder(Protocol):
    """The sentence-encoder interface of :mod:`bitext.align.encoders`."""

    def encode(self, texts: Sequence[str]) -> Any:  # float32 (n, d), L2-normalised
        ...



def _length_score(zh: str, en_words: Sequence[str]) -> float:
    """Prior on the length ratio: 1 for 1.2 to 3.5 Chinese characters per English
    content word, decaying outside that range. An English that is one acronym
    counts a word per capital letter: it says that many words of its name."""
    content = [w for w in en_words if w.lower() not in english.STOP_WORDS]
    n_en = max(1, sum(c.isupper() for c in content[0]) if len(content) == 1
               and english.is_acronym(content[0]) else len(content))
    ratio = len(zh) / n_en
    low, high = LENGTH_RATIO
    if low <= ratio <= high:
        return 1.0
    edge = low if ratio < low else high
    return math.exp(-(math.log(ratio / edge) ** 2) / (2 * 0.4**2))


def _llr(k11: int, k12: int, k21: int, k22: int) -> float:
    """Dunning's log-likelihood ratio (G2) of a 2x2 contingency table."""
    def h(*ks: int) -> float:
        total = sum(ks)
        return sum(k * math.log(k / total) for k in ks if k > 0)
    return 2 * (h(k11, k12, k21, k22) - h(k11 + k12, k21 + k22) - h(k11 + k21, k12 + k22))



@dataclass
class _Pair:
    zh: str
    en: str
    conf: float
    evidence: dict[str, float]
    loose: bool = False  # the Chinese term is a title or a quoted name



def _confidence(ev: dict[str, float], weights: dict[str, float]) -> float:
    """Weighted evidence in [0, 1]. Below :data:`RELIABLE` co-occurrences Dice is
    replaced by the co-occurrence count over RELIABLE: two terms seen once in the
    same segment always have Dice 1, and 1 against 0.67 means nothing."""
    total = 0.0
    for name, w in weights.items():
        value = max(0.0, ev.get(name, 0.0))
        if name == "dice" and ev["cooc"] < RELIABLE:
            # with one or two co-occurrences Dice is noise above MIN_DICE: only
            # the count speaks
            value = ev["cooc"] / RELIABLE
        total += w * value
    return total


class _DictScorer:
    """Dictionary evidence with a cache per (Chinese word, English word)."""

    def __init__(self, dictionary: Dictionary) -> None:
        self.dictionary = dictionary
        # credit by Chinese word, then English word (no key tuple to build: the
        # linking step asks hundreds of thousands of times on a report)
        self.cache: dict[str, dict[str, float]] = {}
        self.splits: dict[str, tuple[str, ...]] = {}
        # what shares() derives from one side alone, by that side
        self._zh_parts: dict[tuple[str, ...], tuple[list[str], list[str]]] = {}
        self._content: dict[tuple[str, ...], list[str]] = {}
        self._words: dict[tuple[str, ...], tuple[str, ...]] = {}
        # the Chinese words of the document indexed together (index_words): each
        # gloss of theirs -> the words that have it; per English word, the
        # indexed words a gloss of which matches it
        self._indexed: set[str] = set()
        self._owners: dict[str, set[str]] = {}
        self._union: GlossIndex | None = None
        self._said: dict[str, frozenset[str]] = {}

    def index_words(self, words: Iterable[str]) -> None:
        """Index the glosses of these Chinese words and of their characters in
        one :class:`GlossIndex`: :meth:`credit` then asks it once per English
        word which of them gloss it, instead of each word's own index once per
        (Chinese word, English word). The rule is the same (each of its tests
        reads one gloss and the English word): the credits are equal. A report
        asks 72,300 distinct credits of 1,258 Chinese and 663 English words."""
        owners = self._owners
        for word in words:
            if word in self._indexed:
                continue  # (and its characters)
            for tok in (word, *word) if len(word) > 1 else (word,):
                if tok not in self._indexed:
                    self._indexed.add(tok)
                    for g in self.dictionary.index(tok).exact:
                        owners.setdefault(g, set()).add(tok)
        self._union = None
        self._said.clear()

    def _glossed_by(self, word: str) -> frozenset[str]:
        """The indexed Chinese words (:meth:`index_words`) a gloss of which
        matches the English ``word``."""
        hit = self._said.get(word)
        if hit is None:
            if self._union is None:
                self._union = GlossIndex(frozenset(self._owners), singulars=False)
            owners = self._owners
            hit = self._said[word] = frozenset(
                t for g in self._union.matching(word) for t in owners[g])
        return hit

    def split(self, tok: str) -> tuple[str, ...]:
        """A word the dictionary lacks (联合国海洋基金), cut into the longest words
        it has, left to right (联合国 / 海洋 / 基金)."""
        hit = self.splits.get(tok)
        if hit is None:
            if tok in self.dictionary or len(tok) < 3:
                hit = (tok,)
            else:
                hit = tuple(self.segment_known(tok))
            self.splits[tok] = hit
        return hit

    def words(self, tokens: tuple[str, ...]) -> tuple[str, ...]:
        """The words of a term's ``tokens`` as the dictionary is asked them
        (:meth:`split` of each), kept per token tuple."""
        hit = self._words.get(tokens)
        if hit is None:
            hit = self._words[tokens] = tuple(w for t in tokens for w in self.split(t))
        return hit

    def glosses_any(self, zwords: tuple[str, ...], words: Sequence[str],
                    memo: dict[str, bool]) -> bool:
        """Whether some English word of ``words`` has a credit from some Chinese
        word of ``zwords`` (:meth:`words`); ``memo`` keeps the answer per English
        word for these Chinese words."""
        cache = self.cache
        for word in words:
            hit = memo.get(word)
            if hit is None:
                hit = False
                for t in zwords:
                    # credit's own cache, asked inline: this runs for every pair
                    # of terms that passes Dice (tens of thousands on a report)
                    row = cache.get(t)
                    c = None if row is None else row.get(word)
                    if c is None:
                        c = self.credit(t, word)
                    if c:
                        hit = True
                        break
                memo[word] = hit
            if hit:
                return True
        return False

    def credit(self, tok: str, word: str) -> float:
        """1 if a gloss of the word ``tok`` matches ``word``, 0.5 if only a gloss of
        one of its characters does (characters have many senses), else 0."""
        row = self.cache.get(tok)
        if row is None:
            row = self.cache[tok] = {}
        hit = row.get(word)
        if hit is None and tok in self._indexed:
            # (its characters are indexed with it)
            said = self._glossed_by(word)
            hit = row[word] = (1.0 if tok in said else
                               0.5 if len(tok) > 1 and not said.isdisjoint(tok) else 0.0)
        if hit is None:
            hit = 0.0
            if self.dictionary.index(tok).matches(word):
                hit = 1.0
            elif len(tok) > 1:
                # characters recur in many words: each one's answer is kept, as
                # the credit of a one-character word (1.0 or 0.0)
                for ch in tok:
                    if self.credit(ch, word):
                        hit = 0.5
                        break
            row[word] = hit
        return hit

    def shares(self, zh_tokens: Sequence[str], en_words: Sequence[str], *,
               chars: bool = True) -> tuple[float, float]:
        """Shares of Chinese characters and of English content words explained
        (``chars=False``: by whole-word glosses only)."""
        en_key = tuple(en_words)
        content = self._content.get(en_key)
        if content is None:
            content = self._content[en_key] = [
                w.lower() for w in en_words if w.lower() not in english.STOP_WORDS]
        zh_key = tuple(zh_tokens)
        parts = self._zh_parts.get(zh_key)
        if parts is None:
            split = [p for t in zh_tokens if t not in chinese.CONJUNCTIONS
                     and t != chinese.ENUMERATION for p in self.split(t)]
            parts = self._zh_parts[zh_key] = (split, self.segment_known("".join(split)))
        tokens, fmm = parts
        if not content or not tokens:
            return 0.0, 0.0
        if any(w in _EN_NUMBERS for w in content):
            said = _number_said(tokens, content)
            if said is not None:
                return self._shares_with_number(tokens, content, chars, said)
        if len(fmm) < len(tokens):
            # the dictionary knows longer words than the segmenter gave (可持续)
            alt = self._shares(fmm, content, chars)
            return max(alt, self._shares(tokens, content, chars), key=sum)
        return self._shares(tokens, content, chars)

    def _shares_with_number(self, tokens: Sequence[str], content: list[str], chars: bool,
                            said: list[int]) -> tuple[float, float]:
        """:meth:`shares` of a pair whose Chinese numeral and English number
        words ``said`` (indices into ``content``) say the same number
        (:func:`_number_said`): those explain each other in full, the rest of
        both terms is asked of the dictionary as usual."""
        total = sum(len(t) for t in tokens)
        rest = [r for t in tokens if (r := "".join(c for c in t if c not in _ZH_NUMERALS))]
        numeral = total - sum(len(r) for r in rest)
        words = [w for i, w in enumerate(content) if i not in said]
        zh, en = self._shares(rest, words, chars) if rest else (0.0, 0.0)
        rest_chars = total - numeral
        return ((zh * rest_chars + numeral) / total,
                (en * len(words) + len(said)) / len(content))

    def spells(self, zwords: Sequence[str], acronym: str, inner: Sequence[str] = ()) -> float:
        """Share of the Chinese characters of ``zwords`` (:meth:`words`) whose
        words spell every letter of the English ``acronym`` with the initials of
        a gloss (:meth:`Dictionary.initials`: 主要 "major" + 资本 "capital" + ...),
        in the Chinese order or with the last word, the head, first (an English
        name opens with its head: "Convention on ..."); words may say no letter.
        0 when the letters are not all spelled. ``inner``: letters an acronym of
        the documents gives (a body's prefix, "UN" in "UNXYZ"), which may open the
        acronym without a Chinese word to spell them (the short form leaves the
        body out)."""
        letters = "".join(c for c in acronym if c.isupper()).lower()
        total = sum(len(w) for w in zwords)
        if not total:
            return 0.0
        best = max((self.spells(zwords, acronym[len(p):]) for p in inner
                    if acronym.lower().startswith(p)), default=0.0)
        orders = [list(zwords)]
        if len(zwords) > 1:
            orders.append([zwords[-1], *zwords[:-1]])
        for order in orders:
            blocks = [self.dictionary.initials(w) for w in order]
            memo: dict[tuple[int, int], int] = {}

            def fit(i: int, j: int, blocks: list[frozenset[str]] = blocks,
                    order: list[str] = order, memo: dict[tuple[int, int], int] = memo
                    ) -> int:
                # most characters that spell letters[i:] with words j...; -1: none
                if i == len(letters):
                    return 0
                if j == len(order) or (i, j) in memo:
                    return memo.get((i, j), -1)
                out = fit(i, j + 1)
                for b in blocks[j]:
                    if letters.startswith(b, i):
                        rest = fit(i + len(b), j + 1)
                        if rest >= 0:
                            out = max(out, rest + len(order[j]))
                memo[(i, j)] = out
                return out

            best = max(best, fit(0, 0) / total)
        return best

    def segment_known(self, text: str) -> list[str]:
        """Forward maximum matching with the dictionary's words (up to 6 characters)."""
        out: list[str] = []
        i = 0
        while i < len(text):
            for j in range(min(len(text), i + 6), i, -1):
                if j - i == 1 or text[i:j] in self.dictionary:
                    out.append(text[i:j])
                    i = j
                    break
        return out

    def _shares(self, tokens: Sequence[str], content: list[str], chars: bool
                ) -> tuple[float, float]:
        # A translation is close to one-to-one: each English word explains one
        # Chinese word at most (a Chinese word may explain several English ones,
        # 联合国 "United Nations"), so a repeated word (组织...组织) is not explained
        # twice. English words with the fewest candidates are assigned first,
        # each to the Chinese word that has explained the fewest so far.
        # (credit's own cache, a row per Chinese word, asked inline: this runs
        # for every pair of terms the linking step scores)
        cache = self.cache
        rows = [cache.setdefault(tok, {}) for tok in tokens]
        options: list[list[tuple[int, float]]] = []
        for word in content:
            opts = []
            for i, row in enumerate(rows):
                c = row.get(word)
                if c is None:
                    c = self.credit(tokens[i], word)
                if c and (chars or c == 1.0):
                    opts.append((i, c))
            options.append(opts)
        en_credit = [0.0] * len(content)
        tok_credit = [0.0] * len(tokens)
        claims = [0] * len(tokens)
        for k in sorted(range(len(content)), key=lambda k: (len(options[k]), k)):
            if not options[k]:
                continue
            i, c = min(options[k], key=lambda ic: (claims[ic[0]], -ic[1], ic[0]))
            claims[i] += 1
            en_credit[k] = c
            tok_credit[i] = max(tok_credit[i], c)
        zh_credit = sum(c * len(t) for c, t in zip(tok_credit, tokens, strict=True))
        return zh_credit / sum(len(t) for t in tokens), sum(en_credit) / len(content)

    def score(self, zh_tokens: Sequence[str], en_words: Sequence[str]) -> float:
        zh_share, en_share = self.shares(zh_tokens, en_words)
        return (zh_share + en_share) / 2



def _number_said(tokens: Sequence[str], content: Sequence[str]) -> list[int] | None:
    """The indices of the English number words of ``content`` when they say one
    number (one word, or a tens word and a units word in a row: "forty second")
    and the Chinese ``tokens`` hold a numeral of that value and no other
    (:func:`bitext.align.scoring.number_values`, which reads numbers from three
    up: smaller ones are as often an article or a pronoun); else None, also for
    an English that is the number alone."""
    at = [i for i, w in enumerate(content) if w in _EN_NUMBERS]
    if len(at) > 2 or at[-1] - at[0] != len(at) - 1 or len(at) == len(content):
        return None  # (a number alone is no term: it counts or orders the term's head)
    values = [_EN_NUMBERS[content[i]] for i in at]
    if len(values) == 2 and not values[0] >= 20 > values[1] > 0:
        return None
    if number_values("".join(tokens), "zh") != {sum(values)}:
        return None
    return at


def _verb_like(words: Sequence[str]) -> bool:
    """An English phrase that opens with a past tense or participle in lower case
    ("strengthened disease"): fine for frequent terms (registered vessels), too
    weak a shape for a pair seen once or twice. (Words in -ing are left alone:
    "fishing vessel", "e-filing".)"""
    first = words[0]
    return first.islower() and first.endswith("ed") and len(first) > 4


def _once_seen_floor(weights: dict[str, float]) -> float:
    """The confidence of the weakest pair the proposal stage lets through seen
    once: half its words explained by the dictionary (:data:`LEXICAL_MIN`, the
    least a rarer pair needs), a length in the usual ratio and, with the encoder,
    the cosine that may stand in for the dictionary (:data:`EMBED_STRONG`)."""
    return _confidence({"cooc": 1.0, "dice": 1.0, "dictionary": LEXICAL_MIN, "length": 1.0,
                        "embedding": EMBED_STRONG}, weights)


def _lexical_enough(ev: dict[str, float]) -> bool:
    """A pair seen together fewer than :data:`RELIABLE` times needs the dictionary
    (or, with an encoder, a high embedding similarity) to vouch for it."""
    return ev["dictionary"] >= LEXICAL_MIN or ev.get("embedding", 0.0) >= EMBED_STRONG



def _add_embeddings(encoder: Encoder, proposals: list[_Pair], zh_entries: dict[str, _Entry],
                    en_classes: dict[str, _Class], en_entries: dict[str, _Entry]) -> None:
    """Each proposal's cosine of its two terms (evidence "embedding"), from one
    encoder call: the Chinese terms, then the English classes' displayed forms,
    each side in reading order (:func:`_reading_order`)."""
    zh_texts = _reading_order({p.zh: zh_entries[p.zh] for p in proposals})
    en_texts = _reading_order({p.en: en_entries[_longest_key(en_classes[p.en])]
                               for p in proposals})
    en_display = [_preferred_surface(en_entries[_longest_key(en_classes[e])]) for e in en_texts]
    vecs = np.asarray(encoder.encode(zh_texts + en_display), dtype=np.float32)
    zh_vec = {t: vecs[i] for i, t in enumerate(zh_texts)}
    en_vec = {t: vecs[len(zh_texts) + i] for i, t in enumerate(en_texts)}
    for p in proposals:
        p.evidence["embedding"] = float(np.dot(zh_vec[p.zh], en_vec[p.en]))


def _reading_order(entries: dict[str, _Entry]) -> list[str]:
    """The keys of ``entries`` in the order of their first occurrence (segment,
    offset, the longer of two at one place first; then the key).

    The encoder runs its layers once per distinct token window of a batch
    (:mod:`bitext.align.use_forward`), and the candidates cut from one phrase
    share most of their windows: in reading order they fall in one batch, where
    sorted by their text (国际海洋法 and 海洋法 far apart) they did not. On the
    bundled report's 3,762 term strings the second convolution layer's
    products (distinct first-layer outputs times blocks) go from 140,293 to
    116,450 rows (benchmarks/README.md, "Session 27: the glossary's CPU"); the
    vectors are the same to float32 rounding (at most 1.7e-7 apart: sgemm's
    order of additions depends on a row's place in its batch)."""
    return sorted(entries, key=lambda k: (min((o.seg, o.start, -o.end)
                                              for o in entries[k].occs), k))


def _longest_key(cls: _Class) -> str:
    non_acr = [k for k in cls.keys if not english.is_acronym(k)]
    return cls.rep if not non_acr else (cls.rep if cls.rep in non_acr else max(non_acr, key=len))
