"""Term pairs between any two languages by association, cognates and embeddings,
counted in bounded memory.

zh-en has its own extractor (:mod:`.extract`, with CC-CEDICT); every other
pair (en-fr, en-es, en-ru, en-ar, fr-ru, zh-fr ...) comes here. Each side's
candidates come from the language layer (:mod:`bitext.languages.terms`;
English from :mod:`.english`, Chinese from :mod:`.chinese`), counted by key
(stems, so inflected forms count as one), written forms kept as variants.

The data flow, three streamed passes over the aligned segments:

1. **Count** each side's candidate keys (segments holding them) in a bounded
   table (:class:`BoundedCounter`: past :data:`MAX_KEYS` keys the rarest are
   pruned, and the largest count pruned is kept as the error bound). Keys
   always nested in one longer key with the same count are dropped (C-value),
   and only keys seen in at least :data:`LEAST_COUNT` segments go on.
2. **Co-occur**: every pair of kept keys of one segment whose sizes fit
   (:func:`sizes_fit`) is counted, a chunk of segments at a time with numpy,
   into a table of at most :data:`MAX_PAIRS` pairs (pruned the same way).
3. **Score and link**: Dice (the co-occurrence count below :data:`RELIABLE`),
   log-likelihood (reported), orthographic similarity after transliteration
   (cognates: names, acronyms and loan words) and, with an encoder, the
   cosine of the two terms' embeddings; competitive linking, best first, each
   key once. A last pass gathers up to :data:`MAX_EXAMPLES` example segments
   and the documents of each linked pair.

Memory is bounded by the two tables and the linked pairs, whatever the input
size; the weights are round numbers chosen a priori, the cut-off is measured
(:data:`CUTOFF`).
"""

from __future__ import annotations

import difflib
import functools
import logging
import math
import pickle
import struct
import tempfile
import zlib
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import IO

import numpy as np

from bitext.errors import ConfigError
from bitext.glossary.candidates import (
    MAX_SEGMENT_CHARS,
    RELIABLE,
    surface_forms,
    warn_too_long,
)
from bitext.glossary.evidence import EMBED_STRONG, Encoder, _confidence, _llr
from bitext.glossary.model import Concept, Example, Term
from bitext.types import Alignment, is_cjk_lang, join_sentences

logger = logging.getLogger(__name__)

MIN_DICE = 0.5          # pairs co-occurring in fewer than half their segments are not linked
COGNATE_STRONG = 0.8    # orthographic similarity that vouches for a rare pair
TOP_K = 4               # target keys proposed per source key (and the other way)
MAX_EXAMPLES = 3
# Bounded tables. 2^20 keys of one side take about 150 MiB of Python dict at
# most; 2^23 pairs take 96 MiB of numpy arrays (8-byte code, 4-byte count).
MAX_KEYS = 1 << 20
MAX_PAIRS = 1 << 23
# Co-occurrences a word pair below MIN_DICE needs to join the lexicon as each
# other's best partner (_mutual_best): UN dev en-ar, of 40 such pairs seen
# twice read by hand 27 were translations, of 30 seen 3 times or more 26.
LEXICON_LEAST = 3
# Co-occurrences of another rendering of a linked term (_renderings), which must
# also be a term of two words or more explained word for word by the corpus. UN
# dev en-fr and en-ar (2026-12-07): of 60 proposals drawn from all those written
# instead of the linked key, 41 were right (the wrong mostly seen once and
# vouched for by the encoder alone: paraphrases of a phrase, another body with
# the same head); of the 69 seen twice or more and explained, the 59 of one word
# 47 (the lexicon pairs a word with a verb of the same sentences), the 10 of two
# words or more 10.
RENDERING_LEAST = 2
CHUNK = 2000            # segments per numpy co-occurrence batch
WEIGHTS = {"dice": 0.5, "words": 0.3, "cognate": 0.2}
WEIGHTS_ENCODER = {"dice": 0.4, "words": 0.2, "cognate": 0.1, "embedding": 0.3}
WORD_COGNATE = 0.7      # spelling similarity of two words that are one name or loan word
# Consonants two spellings compared by their consonants share at least: a
# triliteral root's three; two ("sl", "mn") are the skeleton of hundreds of words.
MIN_SKELETON = 3
# Below this many segments terms seen once are paired too (word by word); a larger
# memory names its terms repeatedly.
SINGLES_UP_TO = 20_000
# Least confidence of the default output. Measured on the UN dev set with its en-fr,
# en-es and en-ru gold (benchmarks/glossary.py --pair PAIR --curve, no embedding):
# precision on gold is flat from the top down to 0.5 (en-fr .925 at >= 0.5, en-es
# .963, en-ru .972) and the few concepts below it are where uncut lists pick up
# their errors (en-es .949 uncut), while every step above costs recall for no
# precision (at 0.65: en-es 65.8% -> 51.8%, en-ru 58.5% -> 44.9%, precision
# unchanged). (zh-en with CC-CEDICT has its own: bitext.glossary.rank.CUTOFF.)
CUTOFF = 0.5

Segment = tuple[str, str, str, int]   # source text, target text, label, document index
Found = tuple[str, str, int, str]     # key, surface, content words, kind
Seen = tuple[Segment, list[Found], list[Found]]  # a segment and both sides' candidates


class BoundedCounter:
    """Counts of string keys in at most ``cap`` entries.

    When the table grows past ``cap``, the keys with the smallest counts are
    dropped until it holds ``cap // 2``; ``error`` keeps the largest count
    dropped, so a key's true count lies in ``[count, count + error]`` (a
    dropped key that comes back starts again from one). Below ``cap`` keys the
    counts are exact.
    """

    def __init__(self, cap: int = MAX_KEYS) -> None:
        self.cap = cap
        self.counts: dict[str, int] = {}
        self.error = 0

    def add(self, keys: Iterable[str]) -> None:
        counts = self.counts
        for k in keys:
            counts[k] = counts.get(k, 0) + 1
        if len(counts) > self.cap:
            self._prune()

    def _prune(self) -> None:
        values = np.fromiter(self.counts.values(), dtype=np.int64, count=len(self.counts))
        limit = int(np.partition(values, len(values) - self.cap // 2)[len(values) - self.cap // 2])
        # drop everything at or below the limit (ties go too, so the table shrinks)
        self.error = max(self.error, limit)
        self.counts = {k: c for k, c in self.counts.items() if c > limit}
        logger.info("glossary: key table pruned at count %d (%d keys kept)", limit,
                    len(self.counts))


#: Segments a key needs to be counted in pass 2, whatever the memory's size.
#: A key seen once can only pair on one co-occurrence, which Dice cannot tell
#: from chance; in a small text (a report) those pairs are still wanted and
#: come from cognates (pass 3), but a large memory names its terms repeatedly,
#: so keys need 2 (the pairs seen once of a small text come from
#: :func:`_single_pairs`).
LEAST_COUNT = 2


def sizes_fit(a: int, b: int) -> bool:
    """Whether terms of ``a`` and ``b`` content words can translate each other:
    equal within one word, or a third of the longer for long names
    ("Office of the Regional Coordinator for Coastal Fisheries and Marine Resources"
    has 7 content words, "Bureau du Coordonnateur régional pour les pêches côtières" 5)."""
    return abs(a - b) <= max(1, max(a, b) // 3)


def _low(found: Found) -> int:
    """A candidate's content words with a word written with hyphens counted
    once: the English key splits "Non-Lit Lamp-Posts" (made up) into four words,
    the other languages count what is written as one word once, so a term whose
    other side says the compound in one word or two never fit as four (UN dev
    en-fr and en-ru: a territory's name, together in 8 of 8 segments, never
    counted). The words as written, at most the key's count."""
    return min(found[2], max(1, len(found[1].split())))


def _closest(lo_a: np.ndarray, hi_a: np.ndarray, lo_b: np.ndarray, hi_b: np.ndarray
             ) -> np.ndarray:
    """Whether some count of ``[lo_a, hi_a]`` and some of ``[lo_b, hi_b]``
    fit (:func:`sizes_fit`), elementwise: the closest two counts decide."""
    a = np.clip(lo_b, lo_a, hi_a)
    b = np.clip(a, lo_b, hi_b)
    return np.abs(a - b) <= np.maximum(1, np.maximum(a, b) // 3)


def _fits(x: Found, y: Found) -> bool:
    """:func:`sizes_fit` of two candidates, each a word count from :func:`_low`
    to its key's (a hyphenated compound is one word or its parts)."""
    a = min(max(_low(y), _low(x)), x[2])   # _closest, one pair without numpy
    return sizes_fit(a, min(max(a, _low(y)), y[2]))


@dataclass
class _KeyInfo:
    words: int
    kind: str
    surfaces: Counter[str] = field(default_factory=Counter)


def side_extractor(lang: str, texts: Callable[[], Iterator[str]]) -> Callable[[str], list[Found]]:
    """The candidate finder of one side: ``text -> [(key, surface, words, kind)]``.

    English learns from ``texts`` (a fresh iterator of that side's texts) which
    words the document writes with a capital in mid-sentence.
    """
    from bitext.languages import get_language

    code = get_language(lang).code
    if code == "en":
        from bitext.glossary import english

        extractor = english.EnglishExtractor(None)
        extractor.learn(texts())

        def find_en(text: str) -> list[Found]:
            return [(c.key, c.surface, max(1, len([w for w in c.key.split(" ")
                                                   if w not in english.STOP_WORDS])), c.kind)
                    for c in extractor.candidates(text)
                    if not c.fragment and not _ends_on_adjective(c.surface)]
        return find_en
    if code == "zh":
        from bitext.glossary import chinese

        def find_zh(text: str) -> list[Found]:
            return [(c.key, c.key, len(c.tokens), c.kind) for c in chinese.candidates(text)]
        return find_zh
    from bitext.languages.terms import candidates, conjunction_keys

    language = get_language(code)
    key = (conjunction_keys(texts(), code)
           if language.joined_conjunctions or language.joined_prepositions else None)

    def find(text: str) -> list[Found]:
        if key is None:
            return [(c.key, c.surface, c.n_words, c.kind) for c in candidates(text, code)]
        return [(key(c.key), c.surface, c.n_words, c.kind) for c in candidates(text, code)]
    return find


def _ends_on_adjective(surface: str) -> bool:
    """Whether an English span of two words or more ends on a lower-case word
    the English lexicon knows as an adjective and never as a noun
    (:func:`.english.adjective_only`, as zh-en's
    :func:`.candidates._ends_on_modifier` asks of every form of a key): an
    English term ends on a noun, and such a span runs on past its noun phrase
    ("data available") or stops inside one; a capitalised last word is a name's."""
    from bitext.glossary import english

    head, _, last = surface.rpartition(" ")
    return bool(head) and last.islower() and english.adjective_only(last)


def _segments(alignments: Sequence[Alignment], too_long: list[int] | None = None
              ) -> Iterator[Segment]:
    """The units with text on both sides; a unit with a side longer than
    :data:`.candidates.MAX_SEGMENT_CHARS` is left out (counted in ``too_long``):
    its keys are paired with each other, at the square of its length."""
    for doc, al in enumerate(alignments):
        for pair in al.pairs:
            a = join_sentences(pair.src, al.src_lang).strip()
            b = join_sentences(pair.tgt, al.tgt_lang).strip()
            if a and b:
                if max(len(a), len(b)) > MAX_SEGMENT_CHARS:
                    if too_long is not None:
                        too_long[0] += 1
                    continue
                yield a, b, pair.label, doc


def _nested(counts: dict[str, int]) -> set[str]:
    """Keys of two or more words' parts that never occur outside them: a part with
    the same count as a key holding it (C-value's nested strings)."""
    out: set[str] = set()
    for key, n in counts.items():
        words = key.split(" ")
        if len(words) < 2 or n < 2:
            continue  # a key seen once is always inside some longer one: keep it
        for i in range(len(words)):
            for j in range(i + 1, len(words) + 1):
                sub = " ".join(words[i:j])
                if (i, j) != (0, len(words)) and counts.get(sub) == n:
                    out.add(sub)
    return out


def _similarity(a: str, b: str) -> float:
    """Orthographic similarity of two terms in Latin letters, in [0, 1]: each word
    matched to its most similar word on the other side (any order: "Regional
    Council" / "Conseil régional"), averaged over both sides' words."""
    wa = [w for w in a.split() if len(w) > 1]
    wb = [w for w in b.split() if len(w) > 1]
    if not wa or not wb:
        return 0.0

    def best(w: str, others: list[str]) -> float:
        return max(difflib.SequenceMatcher(None, w, o).ratio() for o in others)

    return (sum(best(w, wb) for w in wa) + sum(best(w, wa) for w in wb)) / (len(wa) + len(wb))


@dataclass
class _Link:
    a: str
    b: str
    conf: float
    evidence: dict[str, float]
    examples: list[Segment] = field(default_factory=list)
    docs: int = 0
    last_doc: int = -1
    gap: tuple[str, str] | None = None   # the one word of each side left unexplained
    # a pair seen together more than once whose gap, if translated, completes its
    # words (kept either way); a pair seen once with a gap is dropped unless translated
    counted: bool = False
    longer: _Link | None = None   # the proposal a shorter span came from (_trimmed)


def extract_pairwise(alignments: Alignment | Sequence[Alignment], *,
                     encoder: Encoder | None = None, min_freq: int = 1) -> list[Concept]:
    """Ranked concepts of two languages from sentence alignments (see the module
    docstring). Every alignment must be of the same language pair."""
    items = [alignments] if isinstance(alignments, Alignment) else list(alignments)
    if not items:
        raise ConfigError("no alignment given to extract a glossary from")
    src_lang, tgt_lang = items[0].src_lang, items[0].tgt_lang
    from bitext.languages import get_language

    if get_language(src_lang).code == get_language(tgt_lang).code:
        raise ConfigError(f"glossary extraction needs two different languages, got "
                          f"{src_lang!r} and {tgt_lang!r}; pass --src-lang/--tgt-lang")
    for al in items[1:]:
        if (al.src_lang.split("-")[0], al.tgt_lang.split("-")[0]) != (
                src_lang.split("-")[0], tgt_lang.split("-")[0]):
            raise ConfigError(f"alignments of different language pairs ({src_lang}-{tgt_lang} "
                              f"and {al.src_lang}-{al.tgt_lang}); extract one pair at a time")
    find_a = side_extractor(src_lang, lambda: (s[0] for s in _segments(items)))
    find_b = side_extractor(tgt_lang, lambda: (s[1] for s in _segments(items)))

    with tempfile.TemporaryFile(prefix="bitext-glossary-") as fh:
        return _extract(items, find_a, find_b, _Spill(fh), encoder, min_freq, src_lang,
                        tgt_lang)


def _extract(items: Sequence[Alignment], find_a: Callable[[str], list[Found]],
             find_b: Callable[[str], list[Found]], spill: _Spill, encoder: Encoder | None,
             min_freq: int, src_lang: str, tgt_lang: str) -> list[Concept]:
    """The passes of :func:`extract_pairwise`; the candidates found in pass 1 go
    to ``spill`` and the later passes read them back instead of finding them again
    (finding them is most of the time: about 70% on the UN dev set's en-fr)."""
    count_a, count_b, n_segs = _count_keys(items, find_a, find_b, spill)
    if not n_segs:
        return []
    spill.close_writing()

    def seen() -> Iterator[Seen]:
        return ((seg, fa, fb) for seg, (fa, fb) in zip(_segments(items), spill, strict=True))

    keep_a = _kept(count_a.counts, LEAST_COUNT)
    keep_b = _kept(count_b.counts, LEAST_COUNT)
    logger.info("glossary: %d segments, %d and %d keys kept (of %d and %d)", n_segs,
                len(keep_a), len(keep_b), len(count_a.counts), len(count_b.counts))
    ids_a = {k: i for i, k in enumerate(sorted(keep_a))}
    ids_b = {k: i for i, k in enumerate(sorted(keep_b))}
    freq_a = np.array([keep_a[k] for k in sorted(keep_a)], dtype=np.int64)
    freq_b = np.array([keep_b[k] for k in sorted(keep_b)], dtype=np.int64)

    # pass 2: co-occurrences of kept keys, and each kept key's written forms
    info_a: dict[str, _KeyInfo] = {}
    info_b: dict[str, _KeyInfo] = {}
    pairs = _PairTable()
    batch: list[_Arrays] = []
    for _seg, found_a, found_b in seen():
        fa = _note(found_a, ids_a, info_a)
        fb = _note(found_b, ids_b, info_b)
        batch.append(_arrays(fa, ids_a, fb, ids_b))
        if len(batch) >= CHUNK:
            pairs.add(batch)
            batch = []
    if batch:
        pairs.add(batch)
    codes, counts = pairs.result()
    logger.info("glossary: %d key pairs counted (error bound %d)", len(codes), pairs.error)

    # pass 3: score, propose, link
    names_a = sorted(keep_a)
    names_b = sorted(keep_b)
    ia = (codes >> 32).astype(np.int64)
    ib = (codes & 0xFFFFFFFF).astype(np.int64)
    k = counts.astype(np.int64)
    dice = 2 * k / (freq_a[ia] + freq_b[ib])
    ok = (k >= min_freq) & (dice >= MIN_DICE)
    ia, ib, k, dice = ia[ok], ib[ok], k[ok], dice[ok]
    proposals = _top_pairs(ia, ib, dice, k)
    display_a = {names_a[int(ia[p])]: _display(info_a[names_a[int(ia[p])]], src_lang)
                 for p in proposals}
    display_b = {names_b[int(ib[p])]: _display(info_b[names_b[int(ib[p])]], tgt_lang)
                 for p in proposals}
    links: list[_Link] = []
    for p in proposals:
        i, j, n = int(ia[p]), int(ib[p]), int(k[p])
        ka, kb = names_a[i], names_b[j]
        na, nb = int(freq_a[i]), int(freq_b[j])
        ev = {"dice": 2 * n / (na + nb), "cooc": float(n),
              "llr": _llr(n, na - n, nb - n, n_segs - na - nb + n),
              "cognate": _similarity(_latin(display_a[ka], src_lang),
                                     _latin(display_b[kb], tgt_lang))}
        links.append(_Link(ka, kb, 0.0, ev))
    # the corpus's own word dictionary: one-word keys that co-occur consistently
    lexicon = _lexicon(codes, counts, names_a, names_b, freq_a, freq_b)
    for lk in links:
        lk.evidence["words"] = _explained(lk.a, lk.b, lexicon, src_lang, tgt_lang)
        if encoder is not None and lk.evidence["words"] < 1.0:
            _note_gap(lk, lexicon, src_lang, tgt_lang, display_a[lk.a], display_b[lk.b])
    def adopt(extra: list[_Link], counts: tuple[dict[str, int], dict[str, int]]) -> None:
        """Take links of keys pass 2 may not have counted (shortened by
        :func:`_trimmed`, or dropped by C-value and paired by
        :func:`_nested_pairs`): their written forms, cognate evidence and counts."""
        _note_dropped(seen(), {lk.a for lk in extra} - info_a.keys(),
                      {lk.b for lk in extra} - info_b.keys(), info_a, info_b)
        for lk in extra:
            display_a.setdefault(lk.a, _display(info_a[lk.a], src_lang))
            display_b.setdefault(lk.b, _display(info_b[lk.b], tgt_lang))
            lk.evidence["cognate"] = _similarity(_latin(display_a[lk.a], src_lang),
                                                 _latin(display_b[lk.b], tgt_lang))
            keep_a.setdefault(lk.a, counts[0][lk.a])
            keep_b.setdefault(lk.b, counts[1][lk.b])
        links.extend(extra)

    trimmed = [] if encoder is None else _trimmed(
        links, (count_a.counts, count_b.counts), (keep_a, keep_b), lexicon, (src_lang, tgt_lang))
    if trimmed:
        adopt(trimmed, (count_a.counts, count_b.counts))
    nested = _nested_pairs(seen(), (count_a.counts, count_b.counts), (keep_a, keep_b),
                           {(lk.a, lk.b) for lk in links}, lexicon, (src_lang, tgt_lang), n_segs)
    if nested:
        adopt(nested, (count_a.counts, count_b.counts))
    if n_segs < SINGLES_UP_TO:
        singles = _single_pairs(seen(), count_a.counts, count_b.counts, lexicon,
                                src_lang, tgt_lang, info_a, info_b, encoder is not None)
        for lk in singles:
            display_a[lk.a] = _display(info_a[lk.a], src_lang)
            display_b[lk.b] = _display(info_b[lk.b], tgt_lang)
            lk.evidence["cognate"] = _similarity(_latin(display_a[lk.a], src_lang),
                                                 _latin(display_b[lk.b], tgt_lang))
            keep_a.setdefault(lk.a, count_a.counts[lk.a])
            keep_b.setdefault(lk.b, count_b.counts[lk.b])
        links.extend(singles)
    del count_a, count_b
    if encoder is not None and links:
        links = _gaps_translated(encoder, links)
        _embed(encoder, links, display_a, display_b)
        # a shorter span the encoder takes for a looser translation than the
        # longer one's is a lexicon's fault (see _trimmed): not proposed
        links = [lk for lk in links if lk.longer is None
                 or lk.evidence["embedding"] >= lk.longer.evidence["embedding"]]
    weights = _weights(encoder is not None, src_lang, tgt_lang)
    for link in links:
        link.conf = _confidence(link.evidence, weights)
    linked = _link(links)
    _examples_and_documents(linked, seen())
    short = _acronyms(linked, (info_a, info_b), (ids_a, ids_b), (src_lang, tgt_lang), seen)
    others = _renderings(links, linked, seen)
    concepts = _concepts(linked, info_a, info_b, keep_a, keep_b, src_lang, tgt_lang, short,
                         others)
    logger.info("glossary: %d concepts (%s-%s, %d proposals)", len(concepts), src_lang,
                tgt_lang, len(links))
    return concepts


def _count_keys(items: Sequence[Alignment], find_a: Callable[[str], list[Found]],
                find_b: Callable[[str], list[Found]], spill: _Spill
                ) -> tuple[BoundedCounter, BoundedCounter, int]:
    """Pass 1: each side's candidates found in every segment (written to
    ``spill``), the segments holding each key counted; and the number of
    segments read (those too long to read are warned of)."""
    count_a, count_b = BoundedCounter(), BoundedCounter()
    n_segs = 0
    too_long = [0]
    for a, b, _, _ in _segments(items, too_long):
        n_segs += 1
        fa, fb = find_a(a), find_b(b)
        spill.add(fa, fb)
        count_a.add({f[0] for f in fa})
        count_b.add({f[0] for f in fb})
    warn_too_long(too_long[0], n_segs + too_long[0])
    return count_a, count_b, n_segs


def _weights(with_encoder: bool, src_lang: str, tgt_lang: str) -> dict[str, float]:
    """The weight of each evidence in a link's confidence: :data:`WEIGHTS_ENCODER`
    when the encoder's embeddings are evidence, else :data:`WEIGHTS`; without the
    cognate evidence where a side is Chinese, the others scaled to sum as before."""
    weights = dict(WEIGHTS_ENCODER if with_encoder else WEIGHTS)
    if is_cjk_lang(src_lang) or is_cjk_lang(tgt_lang):
        # no spelling to compare with Chinese: the other evidence takes its weight
        del weights["cognate"]
        weights = {k: w / sum(weights.values()) for k, w in weights.items()}
    return weights


def _examples_and_documents(linked: list[_Link], seen: Iterable[Seen]) -> None:
    """Pass 4: each linked pair's documents counted and its examples offered,
    from the segments (``seen``) that hold both its keys."""
    by_a = {lk.a: lk for lk in linked}
    for seg, found_a, found_b in seen:
        keys_a = {f[0] for f in found_a} & by_a.keys()
        if not keys_a:
            continue
        keys_b = {f[0] for f in found_b}
        for ka in keys_a:
            lk = by_a[ka]
            if lk.b in keys_b:
                if seg[3] != lk.last_doc:
                    lk.docs += 1
                    lk.last_doc = seg[3]
                _offer(lk, seg)


def _trimmed(links: list[_Link], counts: tuple[dict[str, int], dict[str, int]],
             keeps: tuple[dict[str, int], dict[str, int]],
             lexicon: tuple[dict[str, set[str]], dict[str, set[str]]],
             langs: tuple[str, str]) -> list[_Link]:
    """Proposals whose key of one side, with words the other side does not
    explain, holds a shorter key that C-value dropped (:func:`_nested`: seen
    exactly where the longer one is, so the pair's segments, co-occurrences and
    Dice are the same) and that the other key explains in full: the pair of
    that shorter key, as a proposal beside the longer one (competitive linking
    chooses). C-value keeps the longer span of one language; the other
    language's words show where the term ends (made up: "repaired amber
    lamps", always so written, against "lampes ambrées" whose clause on the
    repair stands apart). The longest such span of each side, each pair once.
    Never a head cut from its complement where a key shows it (English keys
    keep their prepositions: "lamps of the harbour" keeps "of the harbour",
    which the other language may write in one word; UN dev en-es lost a gold
    pair so).

    Only with an encoder, which must take the shorter pair for at least as
    close a translation as the longer (:func:`_extract`): the corpus's
    dictionary pairs a word with one word of a compound it translates, and
    a span one word short is then explained in full (made up: "lamppost
    repairs" / "réparation des poteaux d'éclairage", the dictionary pairing
    "lamppost" with "éclairage" alone, would take "réparation des poteaux";
    UN dev en-fr, without that test: 105 pairs new on the cut list, two of
    the 40 read of this kind)."""
    out: dict[tuple[str, str], _Link] = {}
    for lk in links:
        if lk.evidence["words"] >= 1.0:
            continue
        for side in (0, 1):
            key, other = (lk.a, lk.b) if side == 0 else (lk.b, lk.a)
            n = keeps[side][key]
            words = key.split(" ")
            found = None
            for size in range(len(words) - 1, 0, -1):
                for i in range(len(words) - size + 1):
                    sub = " ".join(words[i:i + size])
                    after = words[i + size] if i + size < len(words) else ""
                    if (sub in keeps[side] or counts[side].get(sub) != n
                            or after in _function_words(langs[side])):
                        continue
                    pair = (sub, other) if side == 0 else (other, sub)
                    if (sizes_fit(len(_content_words(pair[0], langs[0])) or 1,
                                  len(_content_words(pair[1], langs[1])) or 1)
                            and _explained(*pair, lexicon, *langs) == 1.0):
                        found = pair
                        break
                if found:
                    break
            if found and found not in out:
                out[found] = _Link(*found, 0.0, {**lk.evidence, "words": 1.0}, longer=lk)
    return list(out.values())


def _nested_pairs(seen: Iterable[Seen], counts: tuple[dict[str, int], dict[str, int]],
                  keeps: tuple[dict[str, int], dict[str, int]],
                  proposed: Iterable[tuple[str, str]],
                  lexicon: tuple[dict[str, set[str]], dict[str, set[str]]],
                  langs: tuple[str, str], n_segs: int) -> list[_Link]:
    """Pairs of keys seen twice or more, one of them dropped by C-value
    (:func:`_nested`), whose words explain each other in full: counted over
    the segments where both stand (the longest such pair of a segment first,
    each key once), proposed where they co-occur in at least half their
    segments (Dice >= :data:`MIN_DICE`).

    Where both sides write a clause after a term (made up: "Harbour Lamp
    Committee established by decision 4" / "لجنة مصابيح الميناء المنشأة
    بموجب المقرر 4"), one side's extractor may stop at the term and the
    other's run on: the other side's term is always inside the same longer
    key, so C-value drops it, and the longer key fails :func:`sizes_fit`
    against the term and is never proposed. :func:`_trimmed` only shortens a
    proposed key. UN dev en-ar: a committee's name, 13 segments, so lost.
    A pair whose key of one side sits inside a key ``proposed`` with the
    same other key is left to :func:`_trimmed` (which asks the encoder)."""
    by_a: dict[str, list[str]] = {}
    by_b: dict[str, list[str]] = {}
    for ka, kb in proposed:
        by_a.setdefault(ka, []).append(kb)
        by_b.setdefault(kb, []).append(ka)
    pairs: Counter[tuple[str, str]] = Counter()
    for _seg, found_a, found_b in seen:
        fa = {f[0]: f for f in found_a if counts[0].get(f[0], 0) >= 2}
        fb = {f[0]: f for f in found_b if counts[1].get(f[0], 0) >= 2}
        # never a head cut from its complement (as in _trimmed: UN dev en-es,
        # "provisional rules" of a rules "of procedure" that one Spanish word says)
        fa = {k: f for k, f in fa.items() if k in keeps[0] or not _complemented(k, fa, langs[0])}
        fb = {k: f for k, f in fb.items() if k in keeps[1] or not _complemented(k, fb, langs[1])}
        if not any(k not in keeps[0] for k in fa) and not any(k not in keeps[1] for k in fb):
            continue
        words_a = {w for k in fa for w in k.split(" ")}
        words_b = {w for k in fb for w in k.split(" ")}
        table = {(x, y) for x in words_a for y in words_b
                 if _words_match(x, y, lexicon, *langs)}
        if not table:
            continue
        ok_a, ok_b = {x for x, _ in table}, {y for _, y in table}
        match = functools.partial(_in_table, table)
        xs = [f for f in fa.values() if all(w in ok_a for w in _content_words(f[0], langs[0]))]
        ys = [f for f in fb.values() if all(w in ok_b for w in _content_words(f[0], langs[1]))]
        found = [(x, y) for x in xs for y in ys
                 if (x[0] not in keeps[0] or y[0] not in keeps[1])
                 and not _in_proposal(x[0], y[0], by_b, by_a) and _fits(x, y)
                 and _explained(x[0], y[0], lexicon, *langs, match) == 1.0]
        found.sort(key=lambda xy: -(xy[0][2] + xy[1][2]))
        used_a: set[str] = set()
        used_b: set[str] = set()
        for x, y in found:
            if x[0] not in used_a and y[0] not in used_b:
                used_a.add(x[0])
                used_b.add(y[0])
                pairs[x[0], y[0]] += 1
    out = []
    for (ka, kb), n in pairs.items():
        na, nb = counts[0][ka], counts[1][kb]
        if n >= 2 and 2 * n / (na + nb) >= MIN_DICE:
            out.append(_Link(ka, kb, 0.0, {
                "dice": 2 * n / (na + nb), "cooc": float(n),
                "llr": _llr(n, na - n, nb - n, n_segs - na - nb + n), "words": 1.0}))
    logger.info("glossary: %d pairs of a key C-value dropped, explained word by word",
                len(out))
    return out


def _in_proposal(ka: str, kb: str, by_b: dict[str, list[str]], by_a: dict[str, list[str]]
                 ) -> bool:
    """Whether ``(ka, kb)`` is proposed, or ``ka`` sits inside a key proposed
    with ``kb`` (or ``kb`` inside one proposed with ``ka``), word for word."""
    return (any(f" {ka} " in f" {k} " for k in by_b.get(kb, ()))
            or any(f" {kb} " in f" {k} " for k in by_a.get(ka, ())))


def _complemented(key: str, keys: Iterable[str], lang: str) -> bool:
    """Whether one of ``keys`` continues ``key`` with a function word of the
    language (an English key keeps its prepositions: "rules" + "of procedure")."""
    function = _function_words(lang)
    return bool(function) and any(
        k.startswith(key + " ") and k[len(key) + 1:].split(" ", 1)[0] in function for k in keys)


def _note_dropped(seen: Iterable[Seen], want_a: set[str], want_b: set[str],
                  info_a: dict[str, _KeyInfo], info_b: dict[str, _KeyInfo]) -> None:
    """Note the written forms of keys pass 2 did not count (:func:`_trimmed`)."""
    if not want_a and not want_b:
        return
    for _seg, found_a, found_b in seen:
        for found, want, info in ((found_a, want_a, info_a), (found_b, want_b, info_b)):
            for f in found:
                if f[0] in want:
                    entry = info.setdefault(f[0], _KeyInfo(f[2], f[3]))
                    if len(entry.surfaces) < 8 or f[1] in entry.surfaces:
                        entry.surfaces[f[1]] += 1


def _lexicon(codes: np.ndarray, counts: np.ndarray, names_a: list[str], names_b: list[str],
             freq_a: np.ndarray, freq_b: np.ndarray) -> tuple[dict[str, set[str]],
                                                              dict[str, set[str]]]:
    """Word translations the corpus attests: one-word keys of the two sides that
    co-occur in at least half their segments (Dice >= :data:`MIN_DICE`), at
    least twice. Both directions: ``(a word -> b words, b word -> a words)``."""
    ia = (codes >> 32).astype(np.int64)
    ib = (codes & 0xFFFFFFFF).astype(np.int64)
    one_a = np.array([" " not in k for k in names_a] or [False])
    one_b = np.array([" " not in k for k in names_b] or [False])
    k = counts.astype(np.int64)
    if not len(k):
        return {}, {}
    dice = 2 * k / (freq_a[ia] + freq_b[ib])
    words = one_a[ia] & one_b[ib]
    sel = np.flatnonzero(words & (k >= 2) & (dice >= MIN_DICE))
    sel = np.union1d(sel, _mutual_best(ia, ib, k, dice, freq_a, freq_b, words))
    forward: dict[str, set[str]] = {}
    backward: dict[str, set[str]] = {}
    for pos in sel:
        wa, wb = names_a[int(ia[pos])], names_b[int(ib[pos])]
        forward.setdefault(wa, set()).add(wb)
        backward.setdefault(wb, set()).add(wa)
    return forward, backward


def _mutual_best(ia: np.ndarray, ib: np.ndarray, k: np.ndarray, dice: np.ndarray,
                 freq_a: np.ndarray, freq_b: np.ndarray, words: np.ndarray) -> np.ndarray:
    """Positions of word pairs below :data:`MIN_DICE` that the lexicon takes
    all the same: each word the other's best partner by Dice, seen together
    at least :data:`LEXICON_LEAST` times and in at least half the segments of
    the rarer word. One side's extractor may count a word alone less often
    than the other (the English one keeps a name's words inside the name:
    UN dev, a body's head noun alone in 65 segments, its French and Arabic words in 316 and
    350), so Dice stays below 0.5 for a word that translates the other every
    time it stands alone."""
    pos = np.flatnonzero(words & (k >= 2))
    if not len(pos):
        return pos
    best = np.intersect1d(pos[_best_of(ia[pos], dice[pos])], pos[_best_of(ib[pos], dice[pos])])
    return best[(k[best] >= LEXICON_LEAST)
                & (2 * k[best] >= np.minimum(freq_a[ia[best]], freq_b[ib[best]]))]


def _best_of(group: np.ndarray, score: np.ndarray) -> np.ndarray:
    """For each value of ``group``, the index of its highest ``score`` (the
    first of a tie)."""
    order = np.lexsort((-score, group))
    first = np.ones(len(order), dtype=bool)
    first[1:] = group[order][1:] != group[order][:-1]
    return np.sort(order[first])


def _words_match(wa: str, wb: str, lexicon: tuple[dict[str, set[str]], dict[str, set[str]]],
                 src_lang: str, tgt_lang: str) -> bool:
    """Whether two key words translate each other: the lexicon says so, or they
    are spelt alike (:func:`_spelt_alike`)."""
    return wb in lexicon[0].get(wa, ()) or _spelt_alike(wa, wb, src_lang, tgt_lang)


@functools.lru_cache(maxsize=1 << 18)
def _spelt_alike(wa: str, wb: str, src_lang: str, tgt_lang: str) -> bool:
    """Names and loan words: in Latin letters the same word, or at least 4 letters
    with the same first letter and a similarity of :data:`WORD_COGNATE`; with a
    language that writes long vowels only, the same tests on the two words'
    consonants (:func:`_skeletons_alike`)."""
    la, lb = _latin(wa, src_lang), _latin(wb, tgt_lang)
    if not la or not lb:
        return False
    if la[0] == lb[0] and (la == lb or (min(len(la), len(lb)) >= 4 and difflib.SequenceMatcher(
            None, la, lb).ratio() >= WORD_COGNATE)):
        return True
    return _skeletons_alike(la, lb, src_lang, tgt_lang)


def _skeletons_alike(la: str, lb: str, src_lang: str, tgt_lang: str) -> bool:
    """Two Latin spellings of one word where one language's script writes long
    vowels only (:func:`.terms.consonant_skeleton`, that language's merges on
    both): the same consonants, at least :data:`MIN_SKELETON`, or at least 4 with
    the same first and a similarity of :data:`WORD_COGNATE` (an ending the
    other language writes with a vowel: made-up "brevanic" / "بريفاني")."""
    unvowelled = _unvowelled(src_lang, tgt_lang)
    if unvowelled is None:
        return False
    sa, sb = _skeleton(la, unvowelled), _skeleton(lb, unvowelled)
    if min(len(sa), len(sb)) < MIN_SKELETON or sa[0] != sb[0]:
        return False
    return sa == sb or (min(len(sa), len(sb)) >= 4
                        and difflib.SequenceMatcher(None, sa, sb).ratio() >= WORD_COGNATE)


@functools.cache
def _unvowelled(src_lang: str, tgt_lang: str) -> str | None:
    """The one of two languages whose script writes long vowels only, if any."""
    from bitext.languages import get_language

    if is_cjk_lang(src_lang) or is_cjk_lang(tgt_lang):
        return None
    return next((get_language(lang).code for lang in (src_lang, tgt_lang)
                 if not get_language(lang).vowels_written), None)


@functools.lru_cache(maxsize=1 << 16)
def _skeleton(latin: str, code: str) -> str:
    from bitext.languages.terms import consonant_skeleton

    return consonant_skeleton(latin, code)


def _explained(ka: str, kb: str, lexicon: tuple[dict[str, set[str]], dict[str, set[str]]],
               src_lang: str, tgt_lang: str,
               match: Callable[[str, str], bool] | None = None) -> float:
    """Share of both keys' words explained by a word of the other key (lexicon or
    spelling), each word used once: 1.0 when the two terms translate word for word.
    ``match`` replaces :func:`_words_match` (a precomputed table). Function
    words inside a key (:func:`_content_words`) are not counted."""
    hits, na, nb = _matched(ka, kb, lexicon, src_lang, tgt_lang, match)
    return 2 * hits / (na + nb) if na and nb else 0.0


def _matched(ka: str, kb: str, lexicon: tuple[dict[str, set[str]], dict[str, set[str]]],
             src_lang: str, tgt_lang: str, match: Callable[[str, str], bool] | None = None
             ) -> tuple[int, int, int]:
    """Words of ``ka`` explained by a word of ``kb`` (each used once), and the
    content words of each (see :func:`_explained`)."""
    hits, left_a, left_b = _unexplained(ka, kb, lexicon, src_lang, tgt_lang, match)
    return hits, hits + len(left_a), hits + len(left_b)


def _unexplained(ka: str, kb: str, lexicon: tuple[dict[str, set[str]], dict[str, set[str]]],
                 src_lang: str, tgt_lang: str, match: Callable[[str, str], bool] | None = None
                 ) -> tuple[int, list[str], list[str]]:
    """Words of ``ka`` explained by a word of ``kb`` (each used once), and the
    content words of each side left unexplained.

    A key of one word, explained so, also explains one more word of the other
    key that the lexicon pairs it with: one language writes in two words what
    the other writes in one (a made-up "unlighting" / "extinction lampe", both
    French words attested with the English one). Without it the longer, right
    span was explained by half and lost to its second word alone. Only a key
    of one word: inside longer keys, a word that always stands beside another
    (a made-up "lamp post") is paired with both, and a span one word short
    became explained in full (UN dev en-ar: a name lost its first word)."""
    wa, wb = _content_words(ka, src_lang), _content_words(kb, tgt_lang)
    used: set[int] = set()
    left_a = []
    for w in wa:
        for j, v in enumerate(wb):
            if j not in used and (match(w, v) if match is not None else
                                  _words_match(w, v, lexicon, src_lang, tgt_lang)):
                used.add(j)
                break
        else:
            left_a.append(w)
    left_b = [v for j, v in enumerate(wb) if j not in used]
    if used and len(wa) == 1:
        left_b = _second_word(wa[0], left_b, lexicon[0])
    elif used and len(wb) == 1:
        left_a = _second_word(wb[0], left_a, lexicon[1])
    return len(used), left_a, left_b


def _second_word(one: str, left: list[str], pairs: dict[str, set[str]]) -> list[str]:
    """``left``, the other key's unexplained words, less the first that the
    lexicon ``pairs`` with ``one``, the explained word of a one-word key
    (see :func:`_unexplained`)."""
    for k, v in enumerate(left):
        if v in pairs.get(one, ()):
            return left[:k] + left[k + 1:]
    return left


@functools.lru_cache(maxsize=1 << 16)
def _content_words(key: str, lang: str) -> list[str]:
    """A key's words that translate something: English keys keep their
    prepositions and articles (a made-up "colour of lamps", where the French
    key holds "couleur lamp"), which no word of the other side explains; the
    language layer's keys hold none."""
    return [w for w in key.split(" ") if w not in _function_words(lang)]


@functools.cache
def _function_words(lang: str) -> frozenset[str]:
    from bitext.languages import get_language

    if get_language(lang).code != "en":
        return frozenset()
    from bitext.glossary import english

    return frozenset(english.STOP_WORDS)


def _in_table(table: set[tuple[str, str]], u: str, v: str) -> bool:
    return (u, v) in table


def _single_pairs(seen: Iterable[Seen], counts_a: dict[str, int], counts_b: dict[str, int],
                  lexicon: tuple[dict[str, set[str]], dict[str, set[str]]], src_lang: str,
                  tgt_lang: str, info_a: dict[str, _KeyInfo], info_b: dict[str, _KeyInfo],
                  partial: bool = False) -> list[_Link]:
    """Terms seen once, paired inside their segment with a term of the other
    side when every word of each is explained by a word of the other
    (:func:`_explained` = 1): the corpus's own dictionary translates the parts
    and the spans match. The other term may occur more often (a rendering the
    other segments hold under another wording, which Dice on one co-occurrence
    cannot tell from chance); its Dice is stated as it is. Two single words
    pair only as :func:`_rare_cognates`, never by the lexicon alone. The
    longest such pair of a segment goes first, each term once.

    With ``partial`` (an encoder will judge them), terms that are left pair
    too when every word but one of each is explained (a made-up "amber lamps" /
    "lampes ambrées" where only "lamps" / "lampes" is attested): the link
    keeps the two unexplained words written as in the text (``gap``), which
    :func:`_gaps_translated` asks the encoder about; their ``words`` evidence
    is the share explained, so only the cosine of the whole (:func:`_vouched`)
    can link them, against every other proposal of their terms."""
    out: list[_Link] = []
    for seg, found_a, found_b in seen:
        fa = [f for f in found_a if f[0] in counts_a]
        fb = [f for f in found_b if f[0] in counts_b]
        if not fa or not fb or not (any(counts_a[f[0]] == 1 for f in fa)
                                    or any(counts_b[f[0]] == 1 for f in fb)):
            continue
        words_a = {w for f in fa for w in f[0].split(" ")}
        words_b = {w for f in fb for w in f[0].split(" ")}
        table = {(x, y) for x in words_a for y in words_b
                 if _words_match(x, y, lexicon, src_lang, tgt_lang)}
        if not table:
            continue
        ok_a = {x for x, _ in table}
        ok_b = {y for _, y in table}
        all_a, all_b = fa, fb
        fa = [f for f in fa if all(w in ok_a for w in _content_words(f[0], src_lang))]
        fb = [f for f in fb if all(w in ok_b for w in _content_words(f[0], tgt_lang))]
        found = []
        match = functools.partial(_in_table, table)
        for x in fa:
            for y in fb:
                if ((counts_a[x[0]] == 1 or counts_b[y[0]] == 1) and _fits(x, y)
                        and _explained(x[0], y[0], lexicon, src_lang, tgt_lang, match) == 1.0
                        and (" " in x[0] or " " in y[0] or _rare_cognates(
                            x, y, counts_a, counts_b, src_lang, tgt_lang, seg))):
                    found.append((x, y))
        found.sort(key=lambda xy: -(xy[0][2] + xy[1][2]))
        used_a: set[str] = set()
        used_b: set[str] = set()
        for x, y in found:
            if x[0] in used_a or y[0] in used_b:
                continue
            used_a.add(x[0])
            used_b.add(y[0])
            _note_single(x, y, (info_a, info_b))
            dice = 2 / (counts_a[x[0]] + counts_b[y[0]])
            out.append(_Link(x[0], y[0], 0.0, {"dice": dice, "cooc": 1.0, "llr": 0.0,
                                               "words": 1.0}))
        if partial:
            # at most one word of each term outside the segment's word table
            part_a = [f for f in all_a if f[0] not in used_a and _one_left(f[0], ok_a, src_lang)]
            part_b = [f for f in all_b if f[0] not in used_b and _one_left(f[0], ok_b, tgt_lang)]
            for x in part_a:
                for y in part_b:
                    if (x[0] in used_a or y[0] in used_b
                            or not (counts_a[x[0]] == 1 or counts_b[y[0]] == 1)
                            or not _fits(x, y)):
                        continue
                    hits, left_a, left_b = _unexplained(x[0], y[0], lexicon, src_lang,
                                                        tgt_lang, match)
                    if hits and len(left_a) == len(left_b) == 1:
                        _note_single(x, y, (info_a, info_b))
                        dice = 2 / (counts_a[x[0]] + counts_b[y[0]])
                        out.append(_Link(x[0], y[0], 0.0, {
                            "dice": dice, "cooc": 1.0, "llr": 0.0,
                            "words": hits / (hits + 1)},
                            gap=(_written(left_a[0], x[1], src_lang),
                                 _written(left_b[0], y[1], tgt_lang))))
    logger.info("glossary: %d pairs of terms seen once, explained word by word", len(out))
    return out


def _one_left(key: str, ok: set[str], lang: str) -> bool:
    """Whether at most one of the key's two or more content words is outside ``ok``."""
    words = _content_words(key, lang)
    return len(words) >= 2 and sum(w not in ok for w in words) <= 1


def _note_single(x: Found, y: Found, infos: tuple[dict[str, _KeyInfo], dict[str, _KeyInfo]]
                 ) -> None:
    """Note the written form of the two terms of a pair seen once (a key counted
    in pass 2 has its forms noted already)."""
    for f, info in zip((x, y), infos, strict=True):
        if f[0] not in info:
            info[f[0]] = _KeyInfo(f[2], f[3])
            info[f[0]].surfaces[f[1]] += 1


def _rare_cognates(x: Found, y: Found, counts_a: dict[str, int], counts_b: dict[str, int],
                   src_lang: str, tgt_lang: str, seg: Segment | None = None) -> bool:
    """Two single words seen in one segment that are one name or loan word: spelt
    alike (:func:`_spelt_alike`, across scripts through transliteration),
    neither a word of its general language (:func:`_specificity` 1, the words
    it counts as fully domain-specific: "experts" / "experts" is a word of both
    languages, not a term), and Dice at least :data:`MIN_DICE` like every
    linked pair (a sample of 40 such en-fr pairs of the dev set, 2026-12-05:
    35 right; the wrong were inflections of another word seen 3 to 10 times,
    such as a made-up "brighter" / "brillantes", Dice 0.18 and 0.25, and verb forms).

    A name written with a capital inside its sentence on each side whose script
    has capitals (:func:`_named`, in ``seg``) needs no such rarity: wordfreq
    counts a country's name as a word of both general languages (zipf 4 to 5),
    so a country named once in a small text was never paired."""
    if not (2 / (counts_a[x[0]] + counts_b[y[0]]) >= MIN_DICE
            and _spelt_alike(x[0], y[0], src_lang, tgt_lang)):
        return False
    if _specificity(x[1], src_lang) == 1.0 and _specificity(y[1], tgt_lang) == 1.0:
        return True
    return seg is not None and _named(x[1], seg[0], src_lang) and _named(y[1], seg[1], tgt_lang)


def _named(surface: str, text: str, lang: str) -> bool:
    """Whether a word is written as a name in ``text``: with a capital after a
    word or a comma of its sentence (not a sentence's or a heading's first
    word), in a script with capitals; in one without (Arabic), any word."""
    from bitext.languages import get_language

    if is_cjk_lang(lang):
        return False
    if not get_language(lang).cased:
        return True
    if not surface[:1].isupper() or surface.isupper():
        return False   # lower case, or an acronym (the rarity test is theirs)
    at = text.find(surface, 1)
    while at > 0:
        before = text[:at].rstrip()
        if before and (before[-1].isalnum() or before[-1] == ","):
            return True
        at = text.find(surface, at + 1)
    return False


class _Spill:
    """The candidates of every segment, written to a temporary file in
    compressed chunks of :data:`CHUNK` segments and read back in order: the
    passes after the first read them instead of finding them again, in memory
    of one chunk whatever the input size (on disk, a few hundred bytes a
    segment)."""

    def __init__(self, file: IO[bytes]) -> None:
        self.file = file
        self.buffer: list[tuple[list[Found], list[Found]]] = []

    def add(self, fa: list[Found], fb: list[Found]) -> None:
        self.buffer.append((fa, fb))
        if len(self.buffer) >= CHUNK:
            self._flush()

    def _flush(self) -> None:
        if self.buffer:
            data = zlib.compress(pickle.dumps(self.buffer, pickle.HIGHEST_PROTOCOL), 1)
            self.file.write(struct.pack("<Q", len(data)))
            self.file.write(data)
            self.buffer = []

    def close_writing(self) -> None:
        self._flush()

    def __iter__(self) -> Iterator[tuple[list[Found], list[Found]]]:
        self.file.seek(0)
        while head := self.file.read(8):
            (size,) = struct.unpack("<Q", head)
            # (our own file, written above: nothing untrusted is unpickled)
            yield from pickle.loads(zlib.decompress(self.file.read(size)))


def _kept(counts: dict[str, int], least: int) -> dict[str, int]:
    nested = _nested(counts)
    return {k: c for k, c in counts.items() if c >= least and k not in nested}


def _note(found: list[Found], ids: dict[str, int], info: dict[str, _KeyInfo]) -> list[Found]:
    """Kept candidates of one segment (one per key), the written forms of every
    occurrence noted (a plural and a singular of one segment are both forms)."""
    seen: dict[str, Found] = {}
    for f in found:
        if f[0] in ids:
            seen.setdefault(f[0], f)
            entry = info.get(f[0])
            if entry is None:
                entry = info[f[0]] = _KeyInfo(f[2], f[3])
            if len(entry.surfaces) < 8 or f[1] in entry.surfaces:
                entry.surfaces[f[1]] += 1  # (at most eight written forms a key)
    return list(seen.values())


#: One segment's candidates for the pair table (:func:`_arrays`): ids and word
#: counts of each side, then each side's counts with a compound one word (:func:`_low`).
_Arrays = tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]


def _arrays(fa: list[Found], ids_a: dict[str, int], fb: list[Found], ids_b: dict[str, int]
            ) -> _Arrays:
    return (np.array([ids_a[f[0]] for f in fa], dtype=np.int64),
            np.array([f[2] for f in fa], dtype=np.int64),
            np.array([ids_b[f[0]] for f in fb], dtype=np.int64),
            np.array([f[2] for f in fb], dtype=np.int64),
            np.array([_low(f) for f in fa], dtype=np.int64),
            np.array([_low(f) for f in fb], dtype=np.int64))


class _PairTable:
    """Co-occurrence counts of key pairs (``a << 32 | b`` codes) in at most
    :data:`MAX_PAIRS` entries, merged a chunk of segments at a time; pruned like
    :class:`BoundedCounter` (``error`` bounds the undercount)."""

    def __init__(self, cap: int = MAX_PAIRS) -> None:
        self.cap = cap
        self.codes = np.zeros(0, dtype=np.uint64)
        self.counts = np.zeros(0, dtype=np.int32)
        self.error = 0

    def add(self, batch: list[_Arrays]) -> None:
        parts = []
        for a, na, b, nb, la, lb in batch:
            if not len(a) or not len(b):
                continue
            aa = np.repeat(a, len(b))
            bb = np.tile(b, len(a))
            fit = _closest(np.repeat(la, len(b)), np.repeat(na, len(b)),
                           np.tile(lb, len(a)), np.tile(nb, len(a)))   # sizes_fit
            parts.append((aa[fit].astype(np.uint64) << np.uint64(32)) | bb[fit].astype(np.uint64))
        if not parts:
            return
        new, n = np.unique(np.concatenate(parts), return_counts=True)
        codes = np.concatenate([self.codes, new])
        counts = np.concatenate([self.counts, n.astype(np.int32)])
        order = np.argsort(codes, kind="stable")
        codes, counts = codes[order], counts[order]
        starts = np.flatnonzero(np.r_[True, codes[1:] != codes[:-1]])
        self.codes = codes[starts]
        self.counts = np.add.reduceat(counts, starts).astype(np.int32)
        if len(self.codes) > self.cap:
            keep = self.cap // 2
            limit = int(np.partition(self.counts, len(self.counts) - keep)[len(self.counts) - keep])
            self.error = max(self.error, limit)
            mask = self.counts > limit
            self.codes, self.counts = self.codes[mask], self.counts[mask]
            logger.info("glossary: pair table pruned at count %d (%d pairs kept)", limit,
                        len(self.codes))

    def result(self) -> tuple[np.ndarray, np.ndarray]:
        return self.codes, self.counts


def _top_pairs(ia: np.ndarray, ib: np.ndarray, dice: np.ndarray, k: np.ndarray) -> list[int]:
    """Positions of the :data:`TOP_K` best targets of each source key and the best
    sources of each target key, by Dice then co-occurrences."""
    score = dice + np.minimum(k, RELIABLE) / (10 * RELIABLE)  # count breaks Dice ties
    out: set[int] = set()
    for keys in (ia, ib):
        order = np.lexsort((-score, keys))
        sorted_keys = keys[order]
        starts = np.flatnonzero(np.r_[True, sorted_keys[1:] != sorted_keys[:-1]])
        rank = np.arange(len(order)) - np.repeat(starts, np.diff(np.r_[starts, len(order)]))
        out.update(int(pos) for pos in order[rank < TOP_K])
    return sorted(out)


def _display(entry: _KeyInfo, lang: str = "") -> str:
    """A key's usual written form: lower case if it ever occurs so, else the most
    frequent (see :func:`_forms`)."""
    forms = _forms(entry, lang)
    return forms[0][0] if forms else ""


def _forms(entry: _KeyInfo, lang: str = "") -> list[tuple[str, int]]:
    """A key's written forms, most frequent first, but a form that is another
    form with a conjunction or preposition of ``lang`` written on it
    (:func:`bitext.languages.terms.joined_prefixes`) after the forms the text
    writes without: the key counts them as one, and the term is shown as it
    stands alone."""
    from bitext.languages.terms import joined_prefixes

    forms = surface_forms(entry.surfaces)
    prefixes = joined_prefixes(lang) if lang else ()
    if not prefixes or len(forms) < 2:
        return forms
    texts = {t for t, _ in forms}
    return sorted(forms, key=lambda tf: any(tf[0].startswith(p) and tf[0][len(p):] in texts
                                            for p in prefixes))


@functools.lru_cache(maxsize=1 << 16)
def _latin(text: str, lang: str) -> str:
    from bitext.languages.terms import latin_form

    return "" if is_cjk_lang(lang) else latin_form(text, lang)


def _embed(encoder: Encoder, links: list[_Link], display_a: dict[str, str],
           display_b: dict[str, str]) -> None:
    texts_a = sorted({lk.a for lk in links})
    texts_b = sorted({lk.b for lk in links})
    vecs = np.asarray(encoder.encode([display_a[t] for t in texts_a]
                                     + [display_b[t] for t in texts_b]), dtype=np.float32)
    va = {t: vecs[i] for i, t in enumerate(texts_a)}
    vb = {t: vecs[len(texts_a) + i] for i, t in enumerate(texts_b)}
    for lk in links:
        lk.evidence["embedding"] = float(np.dot(va[lk.a], vb[lk.b]))


def _note_gap(lk: _Link, lexicon: tuple[dict[str, set[str]], dict[str, set[str]]],
              src_lang: str, tgt_lang: str, shown_a: str, shown_b: str) -> None:
    """Give a pair counted in pass 2 whose words are all explained but one on each
    side (a made-up "maritime law" / "droit maritime" where "droit" is not in the
    corpus's dictionary) that word of each side, written as in the text, for
    :func:`_gaps_translated` to ask the encoder about."""
    hits, left_a, left_b = _unexplained(lk.a, lk.b, lexicon, src_lang, tgt_lang)
    if hits and len(left_a) == len(left_b) == 1:
        lk.gap = (_written(left_a[0], shown_a, src_lang), _written(left_b[0], shown_b, tgt_lang))
        lk.counted = True


def _gaps_translated(encoder: Encoder, links: list[_Link]) -> list[_Link]:
    """``links`` whose one unexplained word of each side (``gap``) the encoder
    takes for a translation (the cosine of the two words at least
    :data:`.evidence.EMBED_STRONG`, where it stands in for the dictionary) count
    those words as explained; the pairs seen once whose gap it does not take
    for one are dropped. Without that test, half of a sample of such pairs seen
    once of the UN dev set's en-fr (40 drawn with ``random.Random(5)``,
    2026-12-06) were spans that took in a verb or a word of the next phrase on
    one side (a made-up "relatives aux lampes" for "targets on lamps"); with
    it, about five in 40. A pair counted more often (``counted``) keeps its
    partial share when the gap is not translated: Dice vouches for it."""
    gapped = [lk for lk in links if lk.gap is not None]
    if not gapped:
        return links
    words = sorted({w for lk in gapped if lk.gap is not None for w in lk.gap})
    vecs = np.asarray(encoder.encode(words), dtype=np.float32)
    at = {w: vecs[i] for i, w in enumerate(words)}
    out = []
    for lk in links:
        if lk.gap is None:
            out.append(lk)
        elif float(np.dot(at[lk.gap[0]], at[lk.gap[1]])) >= EMBED_STRONG:
            if lk.counted:
                lk.evidence["words"] = 1.0
            out.append(lk)
        elif lk.counted:
            out.append(lk)
    return out


def _written(word: str, surface: str, lang: str) -> str:
    """The word of ``surface`` whose key word is ``word`` (``word`` if none)."""
    from bitext.languages import get_language

    code = get_language(lang).code
    if code == "en":
        from bitext.glossary import english

        for token in surface.replace("-", " ").split():
            if english.normalize_word(token) == word:
                return token
        return word
    from bitext.languages.terms import tokenize, word_key

    language = get_language(code)
    for tok in tokenize(surface, language):
        if tok.kind == "word" and word_key(tok.text, language) == word:
            return tok.text
    return word


def _vouched(ev: dict[str, float]) -> bool:
    """A pair seen together fewer than :data:`RELIABLE` times needs its words, its
    spelling or (with an encoder) its meaning to vouch for it."""
    return (ev.get("words", 0.0) >= 1.0 or ev["cognate"] >= COGNATE_STRONG
            or ev.get("embedding", 0.0) >= EMBED_STRONG)


def _link(links: list[_Link]) -> list[_Link]:
    """Competitive linking: best pairs first, each key of each side at most once."""
    links.sort(key=lambda lk: (-round(lk.conf, 4), -lk.a.count(" ") - lk.b.count(" "),
                               -lk.evidence["cooc"], lk.a, lk.b))
    used_a: set[str] = set()
    used_b: set[str] = set()
    out = []
    for lk in links:
        if lk.a in used_a or lk.b in used_b:
            continue
        if lk.evidence["cooc"] < RELIABLE and not _vouched(lk.evidence):
            continue
        used_a.add(lk.a)
        used_b.add(lk.b)
        out.append(lk)
    return out


def _offer(lk: _Link, seg: Segment) -> None:
    """Keep the example segments a reviewer reads best: ordinary sentences of
    moderate length (about 120 characters), from different documents."""
    def cost(s: Segment) -> tuple[bool, int]:
        return (len(s[0]) < 30, abs(len(s[0]) - 120))

    if len(lk.examples) < MAX_EXAMPLES:
        lk.examples.append(seg)
        return
    worst = max(range(len(lk.examples)), key=lambda i: cost(lk.examples[i]))
    if cost(seg) < cost(lk.examples[worst]):
        lk.examples[worst] = seg


def _specificity(text: str, lang: str) -> float:
    """How likely a term is domain-specific, in [0.3, 1]: several words or an
    acronym count as specific; one word is scored from its general-language
    frequency (wordfreq)."""
    if " " in text.strip() or (len(text) > 1 and text.isupper()):
        return 1.0
    try:
        import wordfreq
    except ImportError:  # pragma: no cover - a declared dependency
        return 0.6
    zipf = wordfreq.zipf_frequency(text, lang.split("-")[0])
    return min(1.0, max(0.3, (6.5 - zipf) / 3.0))


def _acronyms(linked: list[_Link], infos: tuple[dict[str, _KeyInfo], dict[str, _KeyInfo]],
              ids: tuple[dict[str, int], dict[str, int]], langs: tuple[str, str],
              seen: Callable[[], Iterator[Seen]]) -> dict[tuple[int, str], str]:
    """``(side, linked key) -> acronym`` of that side: an acronym no pair
    links (the other language writes the full name where this one writes the
    acronym, so its rendering is taken) whose letters are the initials of a
    linked term's content words (made-up "LWA" of "lamp watch agency"),
    and which shares a segment with the linked term's other side (one more
    pass: an acronym and a name of three words are not counted together,
    :func:`sizes_fit`). Each acronym once, to the best pair it shares a
    segment with; it becomes a variant of that concept."""
    linked_keys = ({lk.a for lk in linked}, {lk.b for lk in linked})
    free: list[dict[str, str]] = []
    for side in (0, 1):
        found: dict[str, str] = {}
        for key, entry in infos[side].items():
            if entry.kind == "acronym" and key in ids[side] and key not in linked_keys[side]:
                found.setdefault(key.replace("-", "").upper(), key)
        free.append(found)
    # every linked term an acronym spells, best pairs first: the segments choose
    # (the first alone had taken it, and joined nothing where it never stood by
    # that term's other side: UN dev en-ar, an aid's acronym spelled an office)
    wanted: dict[tuple[int, str], list[tuple[str, str]]] = {}
    for lk in linked:
        for side, key, other in ((0, lk.a, lk.b), (1, lk.b, lk.a)):
            words = _content_words(key, langs[side])
            if len(words) < 2 or not free[side]:
                continue
            acronym = free[side].get("".join(w[0] for w in words).upper())
            if acronym is not None:
                wanted.setdefault((side, acronym), []).append((key, other))
    if not wanted:
        return {}
    hits: set[tuple[int, str, str]] = set()
    for _seg, found_a, found_b in seen():
        keys = ({f[0] for f in found_a}, {f[0] for f in found_b})
        for side in (0, 1):
            for acronym in keys[side]:
                for key, other in wanted.get((side, acronym), ()):
                    if other in keys[1 - side]:
                        hits.add((side, acronym, key))
    out: dict[tuple[int, str], str] = {}
    for (side, acronym), names in wanted.items():
        best = next((k for k, _ in names if (side, acronym, k) in hits), None)
        if best is not None:
            out[(side, best)] = acronym
    return out


def _renderings(links: list[_Link], linked: list[_Link],
                seen: Callable[[], Iterator[Seen]]) -> dict[tuple[int, str], list[str]]:
    """``(side, linked key) -> other keys of that side`` that render the same
    term: one language writes a term two ways in different documents (a
    body's name in two wordings, a plural beside a singular), each co-occurring
    with the other side's term in its own segments; competitive linking keeps
    one of them, and the other was lost to the glossary. A rendering is a
    proposal of the linked key's partner with a key linked to nothing, that
    would have been listed on its own (confidence at least :data:`CUTOFF`),
    seen together at least :data:`RENDERING_LEAST` times, of two words or
    more like the linked pair and explained word for word by the corpus
    (``words`` 1), no shorter or longer span of the linked key
    (:func:`_apart`), and written *instead of* it: no segment
    holding the partner holds both. Without that last test, most such
    proposals read (UN dev en-fr, 545 of them, 40 drawn: 15 right) were spans
    beside the linked key in the same sentences (a service beside the body, a
    verb of a letter's closing formula), not another wording of it. Each key
    joins one concept, best proposal first (``links`` as :func:`_link` sorted
    them)."""
    partner = ({lk.a: lk.b for lk in linked}, {lk.b: lk.a for lk in linked})
    wanted: list[tuple[int, str, str, str]] = []   # side, key, linked key, partner
    for lk in links:
        if (lk.conf < CUTOFF or lk.evidence["cooc"] < RENDERING_LEAST
                or lk.evidence.get("words", 0.0) < 1.0 or " " not in lk.a or " " not in lk.b):
            continue
        for side, key, other in ((1, lk.b, lk.a), (0, lk.a, lk.b)):
            first = partner[1 - side].get(other)
            if (first is not None and " " in first and key not in partner[side]
                    and _apart(key, first)):
                wanted.append((side, key, first, other))
    if not wanted:
        return {}
    by_other: dict[tuple[int, str], list[int]] = {}
    for n, (side, _, _, other) in enumerate(wanted):
        by_other.setdefault((1 - side, other), []).append(n)
    beside: set[int] = set()
    for _seg, found_a, found_b in seen():
        keys = ({f[0] for f in found_a}, {f[0] for f in found_b})
        for side in (0, 1):
            for other in keys[side]:
                for n in by_other.get((side, other), ()):
                    if wanted[n][1] in keys[1 - side] and wanted[n][2] in keys[1 - side]:
                        beside.add(n)
    taken: tuple[set[str], set[str]] = (set(), set())
    out: dict[tuple[int, str], list[str]] = {}
    for n, (side, key, first, _) in enumerate(wanted):
        if n in beside or key in taken[side]:
            continue
        taken[side].add(key)
        out.setdefault((side, first), []).append(key)
    return out


def _apart(key: str, other: str) -> bool:
    """Whether neither key's words all stand in the other (no span of it)."""
    a, b = set(key.split(" ")), set(other.split(" "))
    return not (a <= b or b <= a)


def _concepts(linked: list[_Link], info_a: dict[str, _KeyInfo], info_b: dict[str, _KeyInfo],
              freq_a: dict[str, int], freq_b: dict[str, int], src_lang: str, tgt_lang: str,
              short: dict[tuple[int, str], str] | None = None,
              others: dict[tuple[int, str], list[str]] | None = None) -> list[Concept]:
    ranked = []
    for lk in linked:
        spec = (_specificity(_display(info_a[lk.a], src_lang), src_lang)
                * _specificity(_display(info_b[lk.b], tgt_lang), tgt_lang))
        ranked.append((lk.conf * math.log2(1 + lk.evidence["cooc"]) * spec, lk))
    ranked.sort(key=lambda rl: (-rl[0], rl[1].a))
    out = []
    for n, (rank, lk) in enumerate(ranked, 1):
        terms = (*_terms(info_a[lk.a], src_lang), *_short(short, 0, lk.a, info_a, src_lang),
                 *_other_terms(others, 0, lk.a, info_a, src_lang),
                 *_terms(info_b[lk.b], tgt_lang), *_short(short, 1, lk.b, info_b, tgt_lang),
                 *_other_terms(others, 1, lk.b, info_b, tgt_lang))
        kinds = {info_a[lk.a].kind, info_b[lk.b].kind}
        kind = "name" if kinds & {"name", "acronym"} else "term"
        examples = tuple(Example(s[0], s[1], s[2]) for s in sorted(lk.examples, key=lambda s: s[2]))
        evidence = tuple((name, round(v, 4)) for name, v in sorted(lk.evidence.items())
                         if name != "cooc")
        out.append(Concept(
            id=f"c{n}", src_lang=src_lang, tgt_lang=tgt_lang, terms=terms, kind=kind,
            score=round(lk.conf, 4), rank_score=round(rank, 4), freq_src=freq_a[lk.a],
            freq_tgt=freq_b[lk.b], cooc=int(lk.evidence["cooc"]), docs=max(1, lk.docs),
            examples=examples, evidence=evidence))
    return out


def _short(short: dict[tuple[int, str], str] | None, side: int, key: str,
           info: dict[str, _KeyInfo], lang: str) -> list[Term]:
    """The acronym :func:`_acronyms` gave a linked key, as a term of type acronym."""
    acronym = (short or {}).get((side, key))
    if acronym is None:
        return []
    entry = info[acronym]
    return [Term(_display(entry, lang), lang, "acronym", "noun", sum(entry.surfaces.values()))]


def _other_terms(others: dict[tuple[int, str], list[str]] | None, side: int, key: str,
                 info: dict[str, _KeyInfo], lang: str) -> list[Term]:
    """The other renderings :func:`_renderings` gave a linked key, as variants."""
    return [Term(t.text, lang, "acronym" if t.term_type == "acronym" else "variant",
                 t.part_of_speech, t.freq)
            for other in (others or {}).get((side, key), ()) for t in _terms(info[other], lang)]


def _terms(entry: _KeyInfo, lang: str) -> list[Term]:
    """A key's terms: its written forms, the one nearest the language's citation
    form first (:func:`bitext.languages.terms.citation_rank`; a form the text
    writes, never one made), then as :func:`_forms` orders them."""
    from bitext.languages.terms import citation_order

    forms = _forms(entry, lang)
    if len(forms) > 1 and not is_cjk_lang(lang):
        count = dict(forms)
        forms = [(text, count[text]) for text in citation_order([t for t, _ in forms], lang)]
    out = []
    for i, (text, n) in enumerate(forms):
        first = "fullForm" if i == 0 else "variant"
        ttype = "acronym" if entry.kind == "acronym" else first
        out.append(Term(text, lang, ttype, "noun", n))
    return out
