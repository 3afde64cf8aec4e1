"""Bilingual term extraction from a sentence alignment.

The data flow:

1. candidates on each side of every aligned segment (:mod:`.chinese`,
   :mod:`.english`), with their occurrences;
2. variants merged into classes: English keys already merge case and number;
   ``HEAD of MOD`` / ``MOD HEAD`` inversions and acronyms with the long forms
   the text defines are merged on top; Chinese short forms join their full form;
3. association of every Chinese class with the English classes of the segments
   it occurs in (Dice, log-likelihood), plus dictionary evidence (CC-CEDICT),
   a length prior and, if an encoder is given, the cosine similarity of the
   two terms;
4. competitive linking: pairs are accepted best first, each term at most once,
   and only if they nest like the pairs already accepted (if one Chinese term
   contains another, its English contains the other's English);
5. fragments (terms that never occur outside a longer accepted term) are
   dropped, and the rest ranked by confidence x log frequency x specificity.

No step knows anything about a particular document: no term lists, no
per-corpus constants. The weights below are round numbers chosen a priori.
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
MIN_DICE = 0.2          # English classes below are not considered for a Chinese term
TOP_K = 12              # English classes scored per Chinese term
MAX_EXAMPLES = 3
MODIFIER_SHARE = 0.8    # see _Entry.modifier


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
    for i, seg in enumerate(segs):
        for cand in extractor.candidates(seg.en):
            entry = entries.get(cand.key)
            if entry is None:
                entry = entries[cand.key] = _Entry(cand.key)
            entry.occs.append(_Occ(i, cand.start, cand.end))
            entry.surfaces[cand.surface] += 1
            entry.kinds[cand.kind] += 1
            entry.has_conj = entry.has_conj or " and " in f" {cand.key} "
            entry.followed += cand.followed
        for short, long_form in english.find_acronyms(seg.en):
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


def _dictionary_score(dictionary: Dictionary, zh_tokens: Sequence[str],
                      en_words: Sequence[str]) -> float:
    """Mean of the shares of Chinese words (by characters) and English content
    words that the dictionary links to a word on the other side."""
    content = [w.lower() for w in en_words if w.lower() not in english.STOP_WORDS]
    tokens = [t for t in zh_tokens if t not in chinese.CONJUNCTIONS]
    if not content or not tokens:
        return 0.0
    matched_en: set[int] = set()
    zh_hit = 0
    for tok in tokens:
        glosses = dictionary.lookup(tok)
        if not glosses and len(tok) > 1:
            glosses = frozenset().union(*(dictionary.lookup(ch) for ch in tok))
        hit = False
        for k, word in enumerate(content):
            if any(words_match(word, g) for g in glosses):
                matched_en.add(k)
                hit = True
        if hit:
            zh_hit += len(tok)
    zh_share = zh_hit / sum(len(t) for t in tokens)
    en_share = len(matched_en) / len(content)
    return (zh_share + en_share) / 2


def _length_score(zh: str, en_words: Sequence[str]) -> float:
    """Prior on the length ratio: about two Chinese characters per English content word."""
    n_en = max(1, sum(1 for w in en_words if w.lower() not in english.STOP_WORDS))
    ratio = len(zh) / n_en
    return math.exp(-(math.log(ratio / 2.0) ** 2) / (2 * 0.8**2))


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
    return f" {inner} " in f" {outer} "


@dataclass
class _Pair:
    zh: str
    en: str
    conf: float
    evidence: dict[str, float]


def extract_glossary(alignment: Alignment | Iterable[Alignment], *, encoder: Encoder | None = None,
                     min_freq: int = 2, top: int | None = None) -> list[Concept]:
    """Extract a ranked list of bilingual concepts from sentence alignments.

    ``min_freq`` is the least number of aligned segments in which both terms of a
    concept occur together. ``encoder`` (optional) adds the cosine similarity of
    the two term strings to the evidence. ``top`` keeps only the best concepts.
    Concepts come best first, with ids ``c1``, ``c2``...
    """
    if min_freq < 1:
        raise ConfigError(f"--min-freq must be at least 1, got {min_freq}")
    if top is not None and top < 1:
        raise ConfigError(f"--top must be at least 1, got {top}")
    segs, src_lang, tgt_lang = segments_of(alignment)
    if not segs:
        return []
    dictionary = load_dictionary()
    extractor = english.EnglishExtractor(dictionary)
    zh_entries, full_for = _collect_zh(segs)
    en_entries, expansion = _collect_en(segs, extractor)
    logger.info("glossary: %d segments, %d Chinese and %d English candidates",
                len(segs), len(zh_entries), len(en_entries))

    # -- classes -------------------------------------------------------------
    zh_keep = {k for k, e in zh_entries.items()
               if len(e.segs) >= min_freq and not e.modifier(len(e.tokens) == 1)
               and not _is_coordination(e, zh_entries, "zh")}
    zh_keep |= {full_for[k] for k in zh_keep if k in full_for}
    zh_keep |= {k for k, full in full_for.items() if full in zh_keep}
    zh_classes = _classes(zh_entries, ((f, s) for s, f in full_for.items()), zh_keep)

    en_keep = {k for k, e in en_entries.items()
               if len(e.segs) >= min_freq and not e.modifier(" " not in k)
               and not _is_coordination(e, en_entries, "en")}
    en_keep |= {k for k in expansion if k in en_entries} | {
        v for k, v in expansion.items() if k in en_keep}
    en_links = [(long_key, short) for short, long_key in expansion.items()]
    for key in en_keep:
        inv = english.inversion_key(key)
        if inv and inv in en_keep:
            en_links.append((key, inv) if len(en_entries[key].occs) >= len(en_entries[inv].occs)
                            else (inv, key))
    en_classes = _classes(en_entries, en_links, en_keep)

    # -- association ------------------------------------------------------------
    seg_classes: list[set[str]] = [set() for _ in segs]
    for rep, cls in en_classes.items():
        for s in cls.segs:
            seg_classes[s].add(rep)
    n_segs = len(segs)
    weights = WEIGHTS_ENCODER if encoder is not None else WEIGHTS
    proposals: list[_Pair] = []
    for zrep, zcls in zh_classes.items():
        fz = len(zcls.segs)
        counts: Counter[str] = Counter()
        for s in zcls.segs:
            counts.update(seg_classes[s])
        scored = []
        for erep, k in counts.items():
            if k < min_freq:
                continue
            fe = len(en_classes[erep].segs)
            dice = 2 * k / (fz + fe)
            if dice >= MIN_DICE:
                scored.append((dice, erep, k, fe))
        scored.sort(reverse=True)
        zh_conj = any(zh_entries[k].has_conj for k in zcls.keys)
        for dice, erep, k, fe in scored[:TOP_K]:
            ecls = en_classes[erep]
            if zh_conj and not any(en_entries[e].has_conj for e in ecls.keys):
                continue  # 和/及/与 inside a Chinese name needs "and" in its English
            en_words = _longest_words(ecls, en_entries)
            ev = {
                "dice": dice,
                "llr": _llr(k, fz - k, fe - k, n_segs - fz - fe + k),
                "dictionary": max(_dictionary_score(dictionary, zh_entries[zk].tokens, en_words)
                                  for zk in zcls.keys[:2]),
                "length": _length_score(zrep, en_words),
                "cooc": float(k),
            }
            proposals.append(_Pair(zrep, erep, 0.0, ev))
    if encoder is not None and proposals:
        _add_embeddings(encoder, proposals, en_classes, en_entries)
    for p in proposals:
        p.conf = sum(w * max(0.0, p.evidence.get(name, 0.0)) for name, w in weights.items())

    # -- competitive linking ------------------------------------------------------
    proposals.sort(key=lambda p: (-p.conf, -p.evidence["cooc"], -len(p.zh), p.zh, p.en))
    linked_zh: dict[str, _Pair] = {}
    linked_en: set[str] = set()
    for p in proposals:
        if p.conf < MIN_CONFIDENCE:
            break
        if p.zh in linked_zh or p.en in linked_en:
            continue
        if not _nests(p, linked_zh.values(), en_classes):
            continue
        linked_zh[p.zh] = p
        linked_en.add(p.en)

    # -- fragments, ranking, concepts ------------------------------------------------
    free_zh = _free_counts([(p.zh, zh_classes[p.zh].keys) for p in linked_zh.values()],
                           zh_entries)
    free_en = _free_counts([(p.en, en_classes[p.en].keys) for p in linked_zh.values()],
                           en_entries)
    concepts: list[Concept] = []
    ranked: list[tuple[float, _Pair]] = []
    for p in linked_zh.values():
        if free_zh[p.zh] == 0 or free_en[p.en] == 0:
            continue
        zcls, ecls = zh_classes[p.zh], en_classes[p.en]
        zh_tokens = zh_entries[p.zh].tokens
        en_pref = _preferred_surface(en_entries[ecls.rep])
        spec = (_specificity(p.zh, len(zh_tokens), "zh")
                + _specificity(en_pref, 0, "en")) / 2
        rank = p.conf * math.log2(1 + p.evidence["cooc"]) * spec
        ranked.append((rank, p))
    ranked.sort(key=lambda rp: (-rp[0], rp[1].zh))
    if top is not None:
        ranked = ranked[:top]
    zh_first = is_cjk_lang(src_lang)
    for n, (rank, p) in enumerate(ranked, 1):
        zcls, ecls = zh_classes[p.zh], en_classes[p.en]
        zh_terms = _zh_terms(zcls, zh_entries, full_for)
        en_terms = _en_terms(ecls, en_entries, expansion)
        examples = _examples(segs, zcls, ecls, zh_entries, en_entries, zh_first)
        kind = _kind(zcls, ecls, zh_entries, en_entries)
        evidence = tuple((k, round(v, 4)) for k, v in sorted(p.evidence.items())
                         if k != "cooc")
        terms = (*zh_terms, *en_terms) if zh_first else (*en_terms, *zh_terms)
        docs = len({segs[s].doc for s in zcls.segs | ecls.segs})
        fz, fe = len(zcls.segs), len(ecls.segs)
        concepts.append(Concept(
            id=f"c{n}", src_lang=src_lang, tgt_lang=tgt_lang, terms=terms, kind=kind,
            score=round(p.conf, 4), rank_score=round(rank, 4),
            freq_src=fz if zh_first else fe, freq_tgt=fe if zh_first else fz,
            cooc=int(p.evidence["cooc"]), docs=docs, examples=examples, evidence=evidence))
    logger.info("glossary: %d concepts (%d pairs linked)", len(concepts), len(linked_zh))
    return concepts


def _longest_words(cls: _Class, entries: dict[str, _Entry]) -> list[str]:
    """The words of the class's full form (an acronym's expansion if it has one)."""
    non_acr = [k for k in cls.keys if not english.is_acronym(k)]
    key = cls.rep if cls.rep in non_acr or not non_acr else max(non_acr, key=len)
    return key.split(" ")


def _nests(p: _Pair, accepted: Iterable[_Pair], en_classes: dict[str, _Class]) -> bool:
    """A Chinese term inside another must have its English inside the other's English."""
    mine = en_classes[p.en].keys
    for q in accepted:
        if q.zh in p.zh:
            outer, inner = mine, en_classes[q.en].keys
        elif p.zh in q.zh:
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
    if any(english.is_acronym(k) for k in ecls.keys) or en_entries[ecls.rep].kinds.get("name"):
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
