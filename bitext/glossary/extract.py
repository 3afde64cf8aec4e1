"""Bilingual term extraction from a sentence alignment.

The data flow:

1. **Candidates** on each side of every aligned segment (:mod:`.chinese`,
   :mod:`.english`) with their occurrences. Keys that are never terms of their
   own are dropped: modifiers (技术, "regional"), strings always nested in one
   longer candidate (C-value), cut-off parts of names, coordinations of two
   terms, Chinese strings straddling a frequent term.
2. **Variants** merged into classes: English keys merge case and number;
   ``HEAD of MOD`` / ``MOD HEAD`` inversions and acronyms or short names with
   the long forms the text defines join; Chinese short forms defined in
   parentheses join their full form.
3. **Association** of every Chinese class with the English classes of its
   segments: Dice (replaced by the plain count below :data:`RELIABLE`
   co-occurrences), log-likelihood (reported), CC-CEDICT coverage of both terms
   with one English word per Chinese word, a length prior and, if an encoder
   is given, the cosine similarity of the two terms. Pairs seen fewer than
   RELIABLE times also need dictionary evidence and a noun-like shape.
4. **Competitive linking**: best pairs first, each term at most once, nesting
   consistent with the pairs already accepted (a Chinese term inside another
   has its English inside the other's English); a longer Chinese term that
   co-occurs more consistently with the same English wins over its part.
5. **Attachment**: Chinese synonyms and longer full forms, and longer English
   forms, that (nearly) always come with a linked pair join its concept.
6. **Fragments** (never outside a longer linked term that is at least as
   confident) are dropped; the rest is ranked by confidence x log2(1 +
   co-occurrences) x specificity (general single words rank lower).

No step knows anything about a particular document: no term lists, no
per-corpus constants. The weights below are round numbers chosen a priori.
Iteration orders are fixed, so the same input gives the same glossary.
"""

from __future__ import annotations

import logging
import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np

from bitext.errors import ConfigError
from bitext.glossary import chinese, english
from bitext.glossary.cedict import Dictionary, load_dictionary, words_match
from bitext.glossary.model import Concept, Example, Term
from bitext.types import Alignment, is_cjk_lang, join_sentences

logger = logging.getLogger(__name__)

# Weights of the confidence components (without, with an encoder).
WEIGHTS = {"dice": 0.5, "dictionary": 0.35, "length": 0.15}
WEIGHTS_ENCODER = {"dice": 0.4, "dictionary": 0.25, "length": 0.1, "embedding": 0.25}
MIN_CONFIDENCE = 0.35   # pairs below are never linked
MIN_DICE = 0.5          # pairs that co-occur in fewer than half their segments are not linked
RELIABLE = 3            # co-occurrences from which Dice counts fully (see _confidence)
LEXICAL_MIN = 0.5       # dictionary score a rarer pair needs (see _lexical_enough)
EMBED_STRONG = 0.6      # cosine similarity that can stand in for the dictionary
SYNONYM_SHARE = 0.8     # share of a synonym's segments that must hold the English
SYNONYM_BASE = 0.3      # ...when the English is in at most this share of all segments
TOP_K = 12              # English classes scored per Chinese term
MAX_EXAMPLES = 3
MODIFIER_SHARE = 0.8    # see _Entry.modifier
LENGTH_RATIO = (1.2, 3.5)  # usual Chinese characters per English content word in a term


class Encoder(Protocol):
    """The sentence-encoder interface of :mod:`bitext.align.encoders`."""

    def encode(self, texts: Sequence[str]) -> Any:  # float32 (n, d), L2-normalised
        ...


@dataclass(frozen=True)
class Segment:
    """One aligned segment pair, Chinese side and English side as plain text."""

    zh: str
    en: str
    label: str
    doc: int


@dataclass
class _Occ:
    seg: int
    start: int
    end: int


@dataclass
class _Entry:
    """Statistics of one candidate key on one side."""

    key: str
    occs: list[_Occ] = field(default_factory=list)
    surfaces: Counter[str] = field(default_factory=Counter)
    kinds: Counter[str] = field(default_factory=Counter)
    tokens: tuple[str, ...] = ()
    has_conj: bool = False
    followed: int = 0   # occurrences directly followed by another content word
    fragments: int = 0  # occurrences cut from a longer name (see the candidates' fragment)
    verbal: int = 0     # occurrences as a lone verb (Chinese)

    def modifier(self, one_word: bool) -> bool:
        """A one-word candidate nearly always followed by another content word is a
        modifier (技术, regional), not a term of its own."""
        n = len(self.occs)
        return one_word and n >= 3 and self.followed >= MODIFIER_SHARE * n

    @property
    def segs(self) -> set[int]:
        return {o.seg for o in self.occs}


@dataclass
class _Class:
    """A set of variant keys that name one concept on one side."""

    keys: list[str]
    segs: set[int]
    rep: str  # the representative key (full form)


def segments_of(alignments: Alignment | Iterable[Alignment]) -> tuple[list[Segment], str, str]:
    """Flatten one or more alignments into segments; returns ``(segments, src, tgt)``."""
    items = [alignments] if isinstance(alignments, Alignment) else list(alignments)
    if not items:
        raise ConfigError("no alignment given to extract a glossary from")
    src_lang, tgt_lang = items[0].src_lang, items[0].tgt_lang
    segs: list[Segment] = []
    for doc, al in enumerate(items):
        zh_first = is_cjk_lang(al.src_lang)
        if zh_first == is_cjk_lang(al.tgt_lang):
            raise ConfigError(
                f"glossary extraction needs one Chinese and one English side, got "
                f"{al.src_lang!r} and {al.tgt_lang!r}; pass --src-lang/--tgt-lang")
        for pair in al.pairs:
            src = join_sentences(pair.src, al.src_lang)
            tgt = join_sentences(pair.tgt, al.tgt_lang)
            zh, en = (src, tgt) if zh_first else (tgt, src)
            if zh.strip() and en.strip():
                segs.append(Segment(zh, en, pair.label, doc))
    return segs, src_lang, tgt_lang


def _collect_zh(segs: list[Segment]) -> tuple[dict[str, _Entry], dict[str, str]]:
    entries: dict[str, _Entry] = {}
    short_of: Counter[tuple[str, str]] = Counter()
    for i, seg in enumerate(segs):
        spans: dict[tuple[int, int], chinese.Candidate] = {}
        for cand in chinese.candidates(seg.zh):
            old = spans.get((cand.start, cand.end))
            if old is None or old.kind == "phrase":
                spans[(cand.start, cand.end)] = cand
        for cand in spans.values():
            entry = entries.get(cand.key)
            if entry is None:
                entry = entries[cand.key] = _Entry(cand.key, tokens=cand.tokens)
            entry.occs.append(_Occ(i, cand.start, cand.end))
            entry.surfaces[cand.key] += 1
            entry.kinds[cand.kind] += 1
            entry.has_conj = entry.has_conj or cand.has_conj
            entry.followed += cand.followed
            entry.fragments += cand.fragment
            entry.verbal += cand.verbal
            if cand.full:
                short_of[(cand.key, cand.full)] += 1
    # a short form belongs to the full form it was most often defined against
    full_for: dict[str, str] = {}
    for (short, full), _ in short_of.most_common():
        if short not in full_for and full in entries and full != short:
            full_for[short] = full
    return entries, full_for


def _collect_en(segs: list[Segment], extractor: english.EnglishExtractor
                ) -> tuple[dict[str, _Entry], dict[str, str]]:
    entries: dict[str, _Entry] = {}
    defined: Counter[tuple[str, str]] = Counter()
    extractor.learn([seg.en for seg in segs])
    for i, seg in enumerate(segs):
        definitions = english.find_acronyms(seg.en)
        # a long form defined here ("... Union (Frontex)") is a whole name: the
        # candidates strictly inside it are, at this occurrence, fragments
        spans = []
        for short, long_form in definitions:
            at = seg.en.find(f"{long_form} ({short})")
            if at >= 0:
                spans.append((at, at + len(long_form)))
        for cand in extractor.candidates(seg.en):
            entry = entries.get(cand.key)
            if entry is None:
                entry = entries[cand.key] = _Entry(cand.key)
            entry.occs.append(_Occ(i, cand.start, cand.end))
            entry.surfaces[cand.surface] += 1
            entry.kinds[cand.kind] += 1
            entry.has_conj = entry.has_conj or " and " in f" {cand.key} "
            entry.followed += cand.followed
            entry.fragments += cand.fragment or any(
                s <= cand.start and cand.end <= e and e - s > cand.end - cand.start
                for s, e in spans)
        for short, long_form in definitions:
            defined[(english.normalize_word(short), english.term_key(long_form.split()))] += 1
    expansion: dict[str, str] = {}
    for (short, long_key), _ in defined.most_common():
        if short not in expansion and long_key in entries:
            expansion[short] = long_key
    return entries, expansion


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, x: str) -> str:
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[rb] = ra


def _classes(entries: dict[str, _Entry], links: Iterable[tuple[str, str]],
             keep: set[str]) -> dict[str, _Class]:
    """Group ``keep`` keys into classes joined by ``links`` (first element = full form)."""
    uf = _UnionFind()
    for key in keep:
        uf.find(key)
    fulls: set[str] = set()
    for full, variant in links:
        if full in keep and variant in keep:
            uf.union(full, variant)
            fulls.add(full)
    groups: dict[str, list[str]] = defaultdict(list)
    for key in keep:
        groups[uf.find(key)].append(key)
    out: dict[str, _Class] = {}
    for keys in groups.values():
        keys.sort(key=lambda k: (k not in fulls, -len(entries[k].occs), k))
        segs: set[int] = set()
        for k in keys:
            segs |= entries[k].segs
        out[keys[0]] = _Class(keys, segs, keys[0])
    return out


def _is_coordination(entry: _Entry, entries: dict[str, _Entry], sep: str) -> bool:
    """``A和B`` / ``A and B`` where A and B each also occur on their own: two terms."""
    if not entry.has_conj:
        return False
    if sep == "zh":
        parts: list[str] = []
        cur = ""
        for tok in entry.tokens:
            if tok in chinese.CONJUNCTIONS:
                parts.append(cur)
                cur = ""
            else:
                cur += tok
        parts.append(cur)
    else:
        parts = [p.strip() for p in f" {entry.key} ".split(" and ")]
    if len(parts) < 2 or not all(parts):
        return False
    n = len(entry.segs)
    return all(p in entries and len(entries[p].segs) > n for p in parts)


def _always_inside(entries: dict[str, _Entry]) -> set[str]:
    """English keys seen at least twice, always inside one longer key."""
    out: set[str] = set()
    for key, entry in entries.items():
        words = key.split(" ")
        n = len(entry.occs)
        if len(words) < 2 or n < 2:
            continue
        for i in range(len(words)):
            for j in range(i + 1, len(words) + 1):
                sub = " ".join(words[i:j])
                if (i, j) != (0, len(words)) and sub in entries and len(entries[sub].occs) == n:
                    out.add(sub)
    return out


def _partial_names(entries: dict[str, _Entry]) -> set[str]:
    """Keys that only ever occur inside one longer name ("Nations Convention against
    Transnational Organized Crime" inside "United Nations Convention against ...").

    A key is partial when a longer key containing it has as many occurrences and
    the words it adds are written with capitals (or are function words inside
    the name). Lower-case phrases are left alone: "technical assistance" may
    always follow "provide" without being part of a longer term.
    """
    partial: set[str] = set()
    for key, entry in entries.items():
        words = key.split(" ")
        if len(words) < 2:
            continue
        surface = entry.surfaces.most_common(1)[0][0].replace("-", " ").split()
        if len(surface) != len(words):
            continue
        caps = [w[:1].isupper() or w.lower() in english.INNER_NAME for w in surface]
        n = len(entry.occs)
        if n < 2:
            continue  # a name seen once proves nothing about its parts
        for i in range(len(words)):
            for j in range(i + 1, len(words) + 1):
                if (i, j) == (0, len(words)) or not all(caps[:i]) or not all(caps[j:]):
                    continue
                sub = " ".join(words[i:j])
                if sub in entries and len(entries[sub].occs) == n:
                    partial.add(sub)
    return partial


def _crossing(entries: dict[str, _Entry]) -> set[str]:
    """Chinese keys whose every occurrence straddles the edge of a frequent term
    (办公室西部和中部非洲区域 starts inside 毒品和犯罪问题办公室): not a term."""
    strong: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for key, e in entries.items():
        if len(e.occs) >= RELIABLE and len(key) >= 3 and not e.has_conj:
            for o in e.occs:
                strong[o.seg].append((o.start, o.end))
    out = set()
    for key, e in entries.items():
        if all(any(s < o.start < end < o.end or o.start < s < o.end < end
                   for s, end in strong.get(o.seg, ())) for o in e.occs):
            out.add(key)
    return out


def _always_nested(entries: dict[str, _Entry]) -> set[str]:
    """Chinese keys that never occur outside one longer candidate (接种运动 inside
    疫苗接种运动): as in C-value, such a string is not a term of its own."""
    nested: set[str] = set()
    for key, entry in entries.items():
        toks = entry.tokens
        if len(toks) < 2 or "".join(toks) != key or entry.has_conj:
            continue  # inside "A和B" a part may still be a term of its own
        n = len(entry.occs)
        if n < 2:
            continue  # a string seen once is always inside some longer one
        for i in range(len(toks)):
            for j in range(i + 1, len(toks) + 1):
                if (i, j) == (0, len(toks)):
                    continue
                sub = "".join(toks[i:j])
                if sub in entries and len(entries[sub].occs) == n:
                    nested.add(sub)
    return nested


def _length_score(zh: str, en_words: Sequence[str]) -> float:
    """Prior on the length ratio: 1 for 1.2 to 3.5 Chinese characters per English
    content word, decaying outside that range."""
    n_en = max(1, sum(1 for w in en_words if w.lower() not in english.STOP_WORDS))
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


def _specificity(text: str, n_zh_tokens: int, lang: str) -> float:
    """How likely a term is domain-specific rather than general vocabulary, in [0.3, 1].

    Multiword terms, acronyms and long words count as specific; a single common
    word is scored from its general-language frequency (wordfreq, if installed).
    """
    if lang == "zh":
        if n_zh_tokens >= 2:
            return 1.0
        return 0.8 if len(text) >= 3 else 0.5
    if " " in text.strip() or english.is_acronym(text):
        return 1.0
    try:
        import wordfreq
    except ImportError:
        return 0.6
    zipf = wordfreq.zipf_frequency(text, "en")
    return min(1.0, max(0.3, (6.5 - zipf) / 3.0))


def _contains(outer: str, inner: str) -> bool:
    """Whether every content word of key ``inner`` occurs in key ``outer``, as a
    form of the same word and in any order (Africa / African Union; Organized
    Crime Convention / Convention against Transnational Organized Crime)."""
    if f" {inner} " in f" {outer} ":
        return True
    words = outer.split(" ")
    return all(any(words_match(w.lower(), o.lower()) for o in words)
               for w in inner.split(" ") if w not in english.STOP_WORDS)


@dataclass
class _Pair:
    zh: str
    en: str
    conf: float
    evidence: dict[str, float]
    loose: bool = False  # the Chinese term is a title or a quoted name


def extract_glossary(alignment: Alignment | Iterable[Alignment], *, encoder: Encoder | None = None,
                     min_freq: int = 1, top: int | None = None) -> list[Concept]:
    """Extract a ranked list of bilingual concepts from sentence alignments.

    ``min_freq`` is the least number of aligned segments in which both terms of a
    concept occur together. The default, 1, also pairs terms seen once, but only
    on dictionary evidence: a single report names most of its terms once or
    twice, and a terminologist wants them; raise it for large corpora.
    ``encoder`` (optional) adds the cosine similarity of the two term strings to
    the evidence. ``top`` keeps only the best concepts. Concepts come best first,
    with ids ``c1``, ``c2``...
    """
    if min_freq < 1:
        raise ConfigError(f"--min-freq must be at least 1, got {min_freq}")
    if top is not None and top < 1:
        raise ConfigError(f"--top must be at least 1, got {top}")
    segs, src_lang, tgt_lang = segments_of(alignment)
    if not segs:
        return []
    dictionary = load_dictionary()
    st = _State(segs, dictionary, min_freq)
    st.collect()
    logger.info("glossary: %d segments, %d Chinese and %d English candidates",
                len(segs), len(st.zh_entries), len(st.en_entries))
    st.build_classes()
    proposals = st.propose()
    if encoder is not None and proposals:
        _add_embeddings(encoder, proposals, st.en_classes, st.en_entries)
    weights = WEIGHTS_ENCODER if encoder is not None else WEIGHTS
    for p in proposals:
        p.conf = _confidence(p.evidence, weights)
    linked = st.link(proposals)
    st.attach_synonyms(proposals, linked)
    concepts = st.concepts(linked, src_lang, tgt_lang, top)
    logger.info("glossary: %d concepts (%d pairs linked)", len(concepts), len(linked))
    return concepts


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
        self.cache: dict[tuple[str, str], float] = {}
        self.splits: dict[str, tuple[str, ...]] = {}

    def split(self, tok: str) -> tuple[str, ...]:
        """A word the dictionary lacks (联合国人口基金), cut into the longest words
        it has, left to right (联合国 / 人口 / 基金)."""
        hit = self.splits.get(tok)
        if hit is None:
            if tok in self.dictionary or len(tok) < 3:
                hit = (tok,)
            else:
                hit = tuple(self.segment_known(tok))
            self.splits[tok] = hit
        return hit

    def credit(self, tok: str, word: str) -> float:
        """1 if a gloss of the word ``tok`` matches ``word``, 0.5 if only a gloss of
        one of its characters does (characters have many senses), else 0."""
        key = (tok, word)
        hit = self.cache.get(key)
        if hit is None:
            hit = 0.0
            if self.dictionary.index(tok).matches(word):
                hit = 1.0
            elif len(tok) > 1 and any(self.dictionary.index(ch).matches(word) for ch in tok):
                hit = 0.5
            self.cache[key] = hit
        return hit

    def shares(self, zh_tokens: Sequence[str], en_words: Sequence[str], *,
               chars: bool = True) -> tuple[float, float]:
        """Shares of Chinese characters and of English content words explained
        (``chars=False``: by whole-word glosses only)."""
        content = [w.lower() for w in en_words if w.lower() not in english.STOP_WORDS]
        tokens = [p for t in zh_tokens if t not in chinese.CONJUNCTIONS for p in self.split(t)]
        if not content or not tokens:
            return 0.0, 0.0
        fmm = self.segment_known("".join(tokens))
        if len(fmm) < len(tokens):
            # the dictionary knows longer words than the segmenter gave (可持续)
            alt = self._shares(fmm, content, chars)
            return max(alt, self._shares(tokens, content, chars), key=sum)
        return self._shares(tokens, content, chars)

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
        options: list[list[tuple[int, float]]] = []
        for word in content:
            opts = []
            for i, tok in enumerate(tokens):
                c = self.credit(tok, word)
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


class _State:
    """The candidates, classes and statistics of one extraction run."""

    def __init__(self, segs: list[Segment], dictionary: Dictionary, min_freq: int) -> None:
        self.segs = segs
        self.min_freq = min_freq
        self.scorer = _DictScorer(dictionary)
        self.extractor = english.EnglishExtractor(dictionary)
        self.zh_entries: dict[str, _Entry] = {}
        self.en_entries: dict[str, _Entry] = {}
        self.full_for: dict[str, str] = {}
        self.expansion: dict[str, str] = {}
        self.zh_classes: dict[str, _Class] = {}
        self.en_classes: dict[str, _Class] = {}
        self.zh_extra: dict[str, list[str]] = defaultdict(list)  # attached synonyms
        self.en_extra: dict[str, list[str]] = defaultdict(list)  # attached English forms
        self.zh_free_segs: dict[str, set[int]] = {}

    def collect(self) -> None:
        self.zh_entries, self.full_for = _collect_zh(self.segs)
        self.en_entries, self.expansion = _collect_en(self.segs, self.extractor)

    def build_classes(self) -> None:
        zh_entries, en_entries, min_freq = self.zh_entries, self.en_entries, self.min_freq
        full_for, expansion = self.full_for, self.expansion
        zh_nested = _always_nested(zh_entries) | _crossing(zh_entries)
        zh_keep = {k for k, e in zh_entries.items()
                   if len(e.segs) >= min_freq and not e.modifier(len(e.tokens) == 1)
                   and k not in zh_nested and e.fragments < len(e.occs)
                   and not _is_coordination(e, zh_entries, "zh")}
        zh_keep |= {full_for[k] for k in zh_keep if k in full_for}
        zh_keep |= {k for k, full in full_for.items() if full in zh_keep}
        self.zh_classes = _classes(zh_entries, ((f, s) for s, f in full_for.items()), zh_keep)
        # segments where a class occurs outside the titles that contain it:
        # 有组织犯罪公约 inside 《联合国打击跨国有组织犯罪公约》 belongs to the longer title
        titles: dict[int, list[tuple[int, int]]] = defaultdict(list)
        for e in zh_entries.values():
            if e.kinds.get("title") or e.kinds.get("quoted"):
                for o in e.occs:
                    titles[o.seg].append((o.start, o.end))
        self.zh_free_segs = {
            rep: {o.seg for k in cls.keys for o in zh_entries[k].occs
                  if not any(s <= o.start and o.end <= e and e - s > o.end - o.start
                             for s, e in titles.get(o.seg, ()))}
            for rep, cls in self.zh_classes.items()}

        partial = _partial_names(en_entries)
        en_keep = {k for k, e in en_entries.items()
                   if len(e.segs) >= min_freq and not e.modifier(" " not in k)
                   and k not in partial and e.fragments < len(e.occs)
                   and not _is_coordination(e, en_entries, "en")}
        en_keep |= {k for k in expansion if k in en_entries} | {
            v for k, v in expansion.items() if k in en_keep}
        # variants too rare to be kept alone still join a kept class
        en_keep |= {k for k in en_entries if english.inversion_key(k) in en_keep}
        en_links = [(long_key, short) for short, long_key in expansion.items()]
        for key in en_keep:
            inv = english.inversion_key(key)
            if inv and inv in en_keep:
                en_links.append((key, inv) if len(en_entries[key].occs)
                                >= len(en_entries[inv].occs) else (inv, key))
        self.en_classes = _classes(en_entries, en_links, en_keep)

    def propose(self) -> list[_Pair]:
        """Score every (Chinese class, English class) pair that co-occurs enough."""
        segs, en_classes, en_entries = self.segs, self.en_classes, self.en_entries
        seg_classes: list[set[str]] = [set() for _ in segs]
        for rep, cls in en_classes.items():
            for s in cls.segs:
                seg_classes[s].add(rep)
        class_words = {rep: _longest_words(cls, en_entries) for rep, cls in en_classes.items()}
        verb_like = {rep: _verb_like(_preferred_surface(en_entries[rep]).split())
                     for rep in en_classes}
        seg_words: list[set[str]] = [set() for _ in segs]
        for rep, cls in en_classes.items():
            for s in cls.segs:
                seg_words[s].update(w.lower() for w in class_words[rep])
        n_segs = len(segs)
        proposals: list[_Pair] = []
        for zrep, zcls in self.zh_classes.items():
            fz = len(zcls.segs)
            ztoks = self.zh_entries[zrep].tokens
            counts: Counter[str] = Counter()
            for s in zcls.segs:
                counts.update(seg_classes[s])
            free = self.zh_free_segs.get(zrep, zcls.segs)
            free_counts: Counter[str] = Counter()
            if free and free != zcls.segs:
                for s in free:
                    free_counts.update(seg_classes[s])
            # English words of these segments that the dictionary links to this term
            lexical = {w for s in zcls.segs for w in seg_words[s]
                       if any(self.scorer.credit(t, w) for t in ztoks)}
            zh_conj = sum(1 for t in self.zh_entries[zrep].tokens if t in chinese.CONJUNCTIONS)
            zh_enum = zrep.count("\u3001")  # 陆、海、空 "Land, Sea and Air"
            zentry = self.zh_entries[zrep]
            zverbal = zentry.verbal * 2 > len(zentry.occs)
            zknown = all(t in self.scorer.dictionary for t in ztoks
                         if t not in chinese.CONJUNCTIONS)
            loose = bool(zentry.kinds.get("title") or zentry.kinds.get("quoted"))
            scored = []
            for erep, k in counts.items():
                fe = len(en_classes[erep].segs)
                dice = 2 * k / (fz + fe)
                kf = free_counts.get(erep, 0)
                if kf and 2 * kf / (len(free) + fe) > dice:
                    k, dice = kf, 2 * kf / (len(free) + fe)  # counted outside titles
                if k < self.min_freq or dice < MIN_DICE:
                    continue
                words = class_words[erep]
                if k < RELIABLE and (not any(w.lower() in lexical for w in words)
                                     or zverbal or verb_like[erep]):
                    continue  # rare pairs need dictionary evidence and a noun shape
                en_and = max(f" {e} ".count(" and ") for e in en_classes[erep].keys)
                if zh_conj > en_and or en_and > zh_conj + zh_enum:
                    continue  # each 和/及/与 needs an "and" in English, and the other way
                dic = max(self.scorer.score(self.zh_entries[zk].tokens, words)
                          for zk in zcls.keys[:2])
                if dic == 0.0 and zknown:
                    continue  # the dictionary knows every word and links none: 跨国 "air"
                scored.append((dice * min(1.0, k / RELIABLE) + dic, dice, dic, erep, k, fe))
            scored.sort(key=lambda t: (-t[0], t[3]))
            for _, dice, dic, erep, k, fe in scored[:TOP_K]:
                words = class_words[erep]
                ev = {
                    "dice": dice,
                    "llr": _llr(k, fz - k, fe - k, n_segs - fz - fe + k),
                    "dictionary": dic,
                    "length": _length_score(zrep, words),
                    "cooc": float(k),
                }
                proposals.append(_Pair(zrep, erep, 0.0, ev, loose))
        return proposals

    def link(self, proposals: list[_Pair]) -> dict[str, _Pair]:
        """Competitive linking: best pairs first, each term once, nesting consistent.

        When a longer Chinese term containing this one co-occurs more
        consistently (higher Dice) with the same English (能力建设 rather than
        建设 for "capacity-building"), the longer one is linked, whatever the
        dictionary says: the dictionary may simply not know a word.
        """
        # ties go to the longer Chinese, then the longer English term
        proposals.sort(key=lambda p: (-round(p.conf, 4), -len(p.zh), -p.en.count(" "),
                                      -p.evidence["cooc"], p.zh, p.en))
        by_en: dict[str, list[_Pair]] = defaultdict(list)
        for p in proposals:
            if p.conf >= MIN_CONFIDENCE:
                by_en[p.en].append(p)
        linked: dict[str, _Pair] = {}
        linked_en: set[str] = set()
        supers: dict[str, list[str]] = defaultdict(list)  # substring -> linked terms

        def related(zh: str) -> list[_Pair]:
            """Linked pairs whose Chinese term contains ``zh`` or lies inside it."""
            subs = {zh[i:j] for i in range(len(zh)) for j in range(i + 1, len(zh) + 1)}
            out = [linked[t] for t in subs if t in linked]
            out += [linked[t] for t in supers.get(zh, ()) if t != zh]
            return out

        for p in proposals:
            if p.conf < MIN_CONFIDENCE:
                break
            if p.zh in linked or p.en in linked_en:
                continue
            if p.evidence["cooc"] < RELIABLE and not _lexical_enough(p.evidence):
                continue
            if not _nests(p, related(p.zh), self.en_classes):
                continue
            rival = next((q for q in by_en[p.en] if q.zh != p.zh and q.zh not in linked
                          and p.zh in q.zh
                          and q.evidence["dice"] > p.evidence["dice"] + 0.02
                          and (q.evidence["cooc"] >= RELIABLE or _lexical_enough(q.evidence))
                          and _nests(q, related(q.zh), self.en_classes)), None)
            if rival is not None:
                p = rival  # p's own term stays free for another English
            linked[p.zh] = p
            linked_en.add(p.en)
            for i in range(len(p.zh)):
                for j in range(i + 1, len(p.zh) + 1):
                    supers[p.zh[i:j]].append(p.zh)
        return linked

    def attach_synonyms(self, proposals: list[_Pair], linked: dict[str, _Pair]) -> None:
        """Add unlinked Chinese terms as variants of a concept whose English they
        (nearly) always come with: synonyms (人口贩运 / 贩运人口, 难民署 /
        难民专员办事处) and longer full forms (联合国毒品和犯罪问题办公室 for
        毒品和犯罪问题办公室).

        The Chinese term must occur with the concept's English in at least
        :data:`SYNONYM_SHARE` of its segments; a synonym must be explained by the
        dictionary for at least half its characters, and a longer form may only
        add words the English explains. Fragments of linked terms never attach.
        """
        linked_zh = list(linked)
        en_segs = {p.en: self.en_classes[p.en].segs for p in linked.values()}
        owner = {p.en: p.zh for p in linked.values()}
        seg_owned: dict[int, set[str]] = defaultdict(set)
        for en, segs in en_segs.items():
            for s in segs:
                seg_owned[s].add(en)
        order = sorted((z for z in self.zh_classes if z not in linked),
                       key=lambda z: (-len(self.zh_classes[z].segs), -len(z), z))
        linked_subs = _substring_index(t for t in linked_zh if len(t) >= 3)
        for z in order:
            if len(z) < 3:
                continue
            zsegs = self.zh_classes[z].segs
            # does z overlap a linked term: contain one, or lie inside one that
            # occurs as often (then z is a fragment of it)?
            overlaps = any(2 * len(self.zh_classes[t].segs) >= len(zsegs)
                           for t in linked_subs.get(z, ()) if t in self.zh_classes) or any(
                z[i:j] in linked for i in range(len(z)) for j in range(i + 3, len(z) + 1))
            counts: Counter[str] = Counter()
            for s in zsegs:
                counts.update(seg_owned[s])
            for en, k in sorted(counts.items(), key=lambda ek: (-ek[1], ek[0])):
                if k < SYNONYM_SHARE * len(zsegs):
                    break
                target = owner[en]
                terms = [target, *self.zh_extra[target]]
                inner = next((t for t in terms if t in z), None)
                if inner is None and overlaps:
                    continue  # overlaps another concept's term: a fragment, not a synonym
                words = _longest_words(self.en_classes[en], self.en_entries)
                n_en = len(self.en_classes[en].segs)
                if inner is None and n_en > SYNONYM_BASE * len(self.segs):
                    continue  # English in most segments: co-occurring with it proves nothing
                defined = any(english.is_acronym(k) for k in self.en_classes[en].keys)
                named = (chinese.concept_kind(z) != "term"
                         and not self.zh_entries[z].has_conj)
                if len(zsegs) < 2 and not (defined and named and inner is None
                                           and n_en < RELIABLE):
                    continue  # seen once: too little, unless both are names of one body
                if inner is not None:
                    extra = chinese.words(z.replace(inner, "", 1))
                    if (len("".join(extra)) < 2
                            or any(self.scorer.dictionary.is_verbal(t) for t in extra)
                            or self.scorer.shares(extra, words, chars=False)[0] < 1.0):
                        continue  # 偷运移民问题 adds 问题, which the English does not say;
                        # 支持实施 adds a verb, 新法律 a one-character modifier
                elif self.scorer.shares(self.zh_entries[z].tokens, words, chars=False)[0] < 0.5:
                    continue
                self.zh_extra[target].append(z)
                break
        self._attach_english(proposals, linked)

    def _attach_english(self, proposals: list[_Pair], linked: dict[str, _Pair]) -> None:
        """Add longer English forms of a linked term that (nearly) always come with
        its Chinese term: "General Assembly" beside "Assembly", "law enforcement
        officers" beside "law enforcement"."""
        owner = {p.en: p for p in linked.values()}
        taken = set(owner)
        inside = _always_inside(self.en_entries)
        for q in sorted(proposals, key=lambda q: -q.conf):
            p = linked.get(q.zh)
            if p is None or q.en == p.en or q.zh not in linked:
                continue
            holder = owner.get(q.en)
            # a longer Chinese string holding it with less confidence (判例法数据库提供
            # for "case law database") gives it up: it was a fragment pair
            steal = (holder is not None and holder.zh != p.zh and p.zh in holder.zh
                     and holder.conf < q.conf)
            if q.en in taken and not steal:
                continue
            if q.evidence["cooc"] < SYNONYM_SHARE * len(self.en_classes[q.en].segs):
                continue
            if q.evidence["cooc"] < 2 or (q.evidence["cooc"] < RELIABLE
                                          and not _lexical_enough(q.evidence)):
                continue
            mine, theirs = self.en_classes[p.en].keys, self.en_classes[q.en].keys
            if q.en in inside or not any(
                    f" {a} " in f" {b} " and not any(
                        w in english.STOP_WORDS or w.endswith("ed")
                        for w in set(b.split()) - set(a.split()))
                    for a in mine for b in theirs):
                continue  # only longer forms by plain words, not "Conference of the ...",
                # "Council adopted resolution" or "justice practitioners" (always
                # inside "criminal justice practitioners")
            if steal and holder is not None:
                del linked[holder.zh]
            self.en_extra[p.zh].append(q.en)
            taken.add(q.en)

    def _fragments(self, linked: dict[str, _Pair], free_zh: dict[str, int],
                   free_en: dict[str, int]) -> set[str]:
        """Pairs to drop: one term never occurs outside a longer linked term, and
        that longer pair is at least as confident (犯罪问题办公室 inside
        毒品和犯罪问题办公室). A fragment more confident than every pair that
        contains it stays (文件诈欺 "document fraud", always in 查明文件诈欺)."""
        dropped: set[str] = set()
        padded = {q.zh: "|".join(f" {o} " for o in self.en_classes[q.en].keys)
                  for q in linked.values()}
        for p in sorted(linked.values(), key=lambda q: q.conf):
            if p.zh in dropped or (free_zh[p.zh] and free_en[p.en]):
                continue
            mine = [f" {k} " for k in self.en_classes[p.en].keys]
            containers = [q for q in linked.values() if q is not p and q.zh not in dropped and (
                (not free_zh[p.zh] and p.zh in q.zh)
                or (not free_en[p.en] and any(k in padded[q.zh] for k in mine)))]
            if not containers or any(q.conf >= p.conf for q in containers):
                dropped.add(p.zh)
        return dropped

    def concepts(self, linked: dict[str, _Pair], src_lang: str, tgt_lang: str,
                 top: int | None) -> list[Concept]:
        segs, zh_entries, en_entries = self.segs, self.zh_entries, self.en_entries
        zh_keys = {z: self.zh_classes[z].keys + [k for extra in self.zh_extra[z]
                                                  for k in self.zh_classes[extra].keys]
                   for z in linked}
        free_zh = _free_counts([(z, zh_keys[z]) for z in linked], zh_entries)
        free_en = _free_counts([(p.en, self.en_classes[p.en].keys) for p in linked.values()],
                               en_entries)
        dropped = self._fragments(linked, free_zh, free_en)
        ranked: list[tuple[float, _Pair]] = []
        for p in linked.values():
            if p.zh in dropped:
                continue
            ecls = self.en_classes[p.en]
            en_pref = _preferred_surface(en_entries[ecls.rep])
            spec = (_specificity(p.zh, len(zh_entries[p.zh].tokens), "zh")
                    * _specificity(en_pref, 0, "en"))
            rank = p.conf * math.log2(1 + p.evidence["cooc"]) * spec
            ranked.append((rank, p))
        ranked.sort(key=lambda rp: (-rp[0], rp[1].zh))
        if top is not None:
            ranked = ranked[:top]
        zh_first = is_cjk_lang(src_lang)
        out = []
        for n, (rank, p) in enumerate(ranked, 1):
            keys = zh_keys[p.zh]
            zcls = _Class(keys, set().union(*(zh_entries[k].segs for k in keys)), p.zh)
            ecls = self.en_classes[p.en]
            if self.en_extra[p.zh]:
                ekeys = ecls.keys + [k for e in self.en_extra[p.zh]
                                     for k in self.en_classes[e].keys]
                ecls = _Class(ekeys, set().union(*(en_entries[k].segs for k in ekeys)), ecls.rep)
            zh_terms = _zh_terms(zcls, zh_entries, self.full_for)
            en_terms = _en_terms(ecls, en_entries, self.expansion)
            examples = _examples(segs, zcls, ecls, zh_entries, en_entries, zh_first)
            kind = _kind(zcls, ecls, zh_entries, en_entries)
            evidence = tuple((k, round(v, 4)) for k, v in sorted(p.evidence.items())
                             if k != "cooc")
            terms = (*zh_terms, *en_terms) if zh_first else (*en_terms, *zh_terms)
            docs = len({segs[s].doc for s in zcls.segs | ecls.segs})
            fz, fe = len(zcls.segs), len(ecls.segs)
            out.append(Concept(
                id=f"c{n}", src_lang=src_lang, tgt_lang=tgt_lang, terms=terms, kind=kind,
                score=round(p.conf, 4), rank_score=round(rank, 4),
                freq_src=fz if zh_first else fe, freq_tgt=fe if zh_first else fz,
                cooc=int(p.evidence["cooc"]), docs=docs, examples=examples, evidence=evidence))
        return out


def _verb_like(words: Sequence[str]) -> bool:
    """An English phrase that opens with a past tense or participle in lower case
    ("strengthened disease"): fine for frequent terms (organized crime), too
    weak a shape for a pair seen once or twice. (Words in -ing are left alone:
    "implementing partner", "e-learning".)"""
    first = words[0]
    return first.islower() and first.endswith("ed") and len(first) > 4


def _lexical_enough(ev: dict[str, float]) -> bool:
    """A pair seen together fewer than :data:`RELIABLE` times needs the dictionary
    (or, with an encoder, a high embedding similarity) to vouch for it."""
    return ev["dictionary"] >= LEXICAL_MIN or ev.get("embedding", 0.0) >= EMBED_STRONG


def _longest_words(cls: _Class, entries: dict[str, _Entry]) -> list[str]:
    """The words of the class's full form (an acronym's expansion if it has one)."""
    non_acr = [k for k in cls.keys if not english.is_acronym(k)]
    key = cls.rep if cls.rep in non_acr or not non_acr else max(non_acr, key=len)
    return key.split(" ")


def _substring_index(terms: Iterable[str]) -> dict[str, list[str]]:
    """Every substring of the given terms -> the terms containing it."""
    index: dict[str, list[str]] = defaultdict(list)
    for t in terms:
        for sub in {t[i:j] for i in range(len(t)) for j in range(i + 1, len(t) + 1)}:
            index[sub].append(t)
    return index


def _nests(p: _Pair, accepted: Iterable[_Pair], en_classes: dict[str, _Class]) -> bool:
    """A Chinese term inside another must have its English inside the other's English.

    Two-character words are exempt as the inner term: they are the most general
    (组织 "organization" is "Office" in 欧洲警察组织 "European Police Office").
    """
    mine = en_classes[p.en].keys
    for q in accepted:
        if len(q.zh) < 3 and len(p.zh) < 3:
            continue
        if (q.zh in p.zh and p.loose) or (p.zh in q.zh and q.loose):
            continue  # titles and quoted names are translated freely
        if q.zh in p.zh and len(q.zh) >= 3:
            outer, inner = mine, en_classes[q.en].keys
        elif p.zh in q.zh and len(p.zh) >= 3:
            outer, inner = en_classes[q.en].keys, mine
        else:
            continue
        if not any(_contains(o, i) for o in outer for i in inner):
            return False
    return True


def _free_counts(items: list[tuple[str, list[str]]], entries: dict[str, _Entry]
                 ) -> dict[str, int]:
    """Occurrences of each linked class outside every longer linked term's occurrences."""
    spans: dict[int, list[tuple[int, int, str]]] = defaultdict(list)
    for rep, keys in items:
        for k in keys:
            for o in entries[k].occs:
                spans[o.seg].append((o.start, o.end, rep))
    free: dict[str, int] = {}
    for rep, keys in items:
        n = 0
        for k in keys:
            for o in entries[k].occs:
                inside = any(s <= o.start and o.end <= e and (e - s) > (o.end - o.start)
                             and other != rep for s, e, other in spans[o.seg])
                n += not inside
        free[rep] = n
    return free


def _preferred_surface(entry: _Entry) -> str:
    """The usual written form: lower case if it ever occurs so, else the most frequent."""
    forms = _surface_forms(entry)
    return forms[0][0] if forms else entry.key


def _surface_forms(entry: _Entry) -> list[tuple[str, int]]:
    """Distinct written forms (case merged: lower case wins if ever used), most frequent first."""
    by_lower: dict[str, Counter[str]] = defaultdict(Counter)
    for surface, n in entry.surfaces.items():
        by_lower[" ".join(surface.split()).lower()][" ".join(surface.split())] += n
    out = []
    for low, forms in by_lower.items():
        text = low if low in forms else forms.most_common(1)[0][0]
        # a lower-case form written capitalised only at a sentence start stays lower case
        out.append((text, sum(forms.values())))
    out.sort(key=lambda tf: (-tf[1], tf[0]))
    return out


def _zh_terms(cls: _Class, entries: dict[str, _Entry], full_for: dict[str, str]
              ) -> list[Term]:
    terms = []
    for i, key in enumerate(cls.keys):
        e = entries[key]
        ttype = "fullForm" if i == 0 else ("shortForm" if key in full_for else "variant")
        terms.append(Term(key, "zh", ttype, "noun", len(e.occs)))
    return terms


def _en_terms(cls: _Class, entries: dict[str, _Entry], expansion: dict[str, str]) -> list[Term]:
    terms: list[Term] = []
    seen: set[str] = set()
    keys = sorted(cls.keys, key=lambda k: (english.is_acronym(k), k != cls.rep,
                                           -len(entries[k].occs)))
    for key in keys:
        acronym = english.is_acronym(key)
        for text, n in _surface_forms(entries[key]):
            if text.lower() in seen:
                continue
            seen.add(text.lower())
            if acronym:
                ttype = "acronym"
            elif not terms:
                ttype = "fullForm"
            else:
                ttype = "variant"
            terms.append(Term(text, "en", ttype, "noun", n))
    return terms


def _kind(zcls: _Class, ecls: _Class, zh_entries: dict[str, _Entry],
          en_entries: dict[str, _Entry]) -> str:
    zrep = zh_entries[zcls.rep]
    kind = chinese.concept_kind(zcls.rep, title=zrep.kinds.get("title", 0) > 0)
    if kind != "term":
        return kind
    surface = _preferred_surface(en_entries[ecls.rep])
    if any(english.is_acronym(k) for k in ecls.keys) or (
            " " in surface and all(w[:1].isupper() or w in english.INNER_NAME
                                   for w in surface.split())):
        return "name"
    return "term"


def _examples(segs: list[Segment], zcls: _Class, ecls: _Class, zh_entries: dict[str, _Entry],
              en_entries: dict[str, _Entry], zh_first: bool) -> tuple[Example, ...]:
    """Up to three segments with both terms: preferring ordinary sentences (not
    headings) of moderate length, from different paragraphs."""
    zs = {o.seg for k in zcls.keys for o in zh_entries[k].occs}
    es = {o.seg for k in ecls.keys for o in en_entries[k].occs}
    both = sorted(zs & es)

    def cost(i: int) -> tuple[bool, int, int]:
        n = len(segs[i].zh)
        return (n < 15, abs(n - 60), i)

    chosen: list[int] = []
    labels: set[str] = set()
    for i in sorted(both, key=cost):
        if segs[i].label and segs[i].label in labels and len(both) > MAX_EXAMPLES:
            continue
        chosen.append(i)
        labels.add(segs[i].label)
        if len(chosen) == MAX_EXAMPLES:
            break
    out = []
    for i in sorted(chosen):
        s = segs[i]
        out.append(Example(s.zh, s.en, s.label) if zh_first else Example(s.en, s.zh, s.label))
    return tuple(out)


def _add_embeddings(encoder: Encoder, proposals: list[_Pair], en_classes: dict[str, _Class],
                    en_entries: dict[str, _Entry]) -> None:
    zh_texts = sorted({p.zh for p in proposals})
    en_texts = sorted({p.en for p in proposals})
    en_display = [_preferred_surface(en_entries[_longest_key(en_classes[e])]) for e in en_texts]
    vecs = np.asarray(encoder.encode(zh_texts + en_display), dtype=np.float32)
    zh_vec = {t: vecs[i] for i, t in enumerate(zh_texts)}
    en_vec = {t: vecs[len(zh_texts) + i] for i, t in enumerate(en_texts)}
    for p in proposals:
        p.evidence["embedding"] = float(np.dot(zh_vec[p.zh], en_vec[p.en]))


def _longest_key(cls: _Class) -> str:
    non_acr = [k for k in cls.keys if not english.is_acronym(k)]
    return cls.rep if not non_acr else (cls.rep if cls.rep in non_acr else max(non_acr, key=len))
