"""Candidates of both sides, their occurrences, and the variant classes they form.

Step 1 and 2 of :mod:`bitext.glossary.extract`: every aligned segment gives
Chinese (:mod:`.chinese`) and English (:mod:`.english`) candidates; keys that
are never terms of their own are dropped, and variants merge into classes.
"""

from __future__ import annotations

import functools
import logging
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from bitext.errors import ConfigError
from bitext.glossary import chinese, english
from bitext.types import Alignment, is_cjk_lang, join_sentences

logger = logging.getLogger(__name__)

MODIFIER_SHARE = 0.8    # see _Entry.modifier
RELIABLE = 3            # co-occurrences from which Dice counts fully (see _confidence)
# Dice from which a pair seen RELIABLE times is paired consistently: the two come
# together in at least 80% of their segments, which chance does not do (a
# dictionary that lacks the sense may then be overruled, link._State.propose,
# and the default cut keeps the pair, rank.kept).
CONSISTENT = 0.8
# Characters of a Chinese last conjunct that may share the first conjunct's
# modifier (see _is_coordination): one two-character word, the usual length of
# a general Chinese noun (技术 "technology", 安全 "security").
SHARED_WORD = 2
# Different varying parts a name around a fixed complement needs before its
# head and complement count as one term (see _add_complements): two, the least
# that shows a slot rather than one name's own words.
VARYING_NAMES = 2


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


#: The longest unit side (characters) whose terms are paired: pairing costs the
#: square of a unit's length. Measured (2026-12-05, load 4-5, --no-embed): one
#: memory unit of 25 / 50 / 100 UN sentences (5,100 / 10,700 / 19,900 English
#: characters) took 2.1 / 4.7 / 11.9 CPU s, 300 sentences over 60 s, the same 300
#: as 300 units 4.1 s. The longest paragraph of the bundled report has 1,170
#: characters, so sentence and paragraph units stay far below it.
MAX_SEGMENT_CHARS = 5000


def segments_of(alignments: Alignment | Iterable[Alignment]) -> tuple[list[Segment], str, str]:
    """Flatten one or more alignments into segments; returns ``(segments, src, tgt)``."""
    items = [alignments] if isinstance(alignments, Alignment) else list(alignments)
    if not items:
        raise ConfigError("no alignment given to extract a glossary from")
    src_lang, tgt_lang = items[0].src_lang, items[0].tgt_lang
    segs: list[Segment] = []
    total = too_long = 0
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
                total += 1
                if max(len(zh), len(en)) > MAX_SEGMENT_CHARS:
                    too_long += 1
                    continue
                segs.append(Segment(zh, en, pair.label, doc))
    warn_too_long(too_long, total)
    return segs, src_lang, tgt_lang


def warn_too_long(left_out: int, total: int) -> None:
    """Say how many units were left out for a side over :data:`MAX_SEGMENT_CHARS`."""
    if left_out:
        logger.warning(
            "glossary: %d of %d units left out: a side longer than %d characters (terms "
            "are paired within a unit, at a cost that grows with the square of its "
            "length); give sentence or paragraph units, or align the documents first "
            "(bitext align)", left_out, total, MAX_SEGMENT_CHARS)


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
    around: dict[str, list[tuple[int, english.Candidate]]] = defaultdict(list)
    extractor.learn([seg.en for seg in segs])
    # a word the dictionary knows as a name (a country) is no short name of the
    # words before it (a person's name, then a country's: "Mr. A. B. (Ruritania)")
    known = extractor.dictionary.is_name_gloss if extractor.dictionary is not None else None
    for i, seg in enumerate(segs):
        definitions = english.find_acronyms(seg.en, known)
        # a long form defined here ("... Organization (Aquapol)") is a whole name: the
        # candidates strictly inside it are, at this occurrence, fragments
        spans = []
        for short, long_form in definitions:
            at = seg.en.find(f"{long_form} ({short})")
            if at >= 0:
                spans.append((at, at + len(long_form)))
        written: set[tuple[str, str]] = set()
        cands = extractor.candidates(seg.en, complements=True, titles="\u300a" in seg.zh)
        # a long form defined here is a candidate even where the extractor breaks
        # the name (at "and the": "League of Farmers and the Sea (LFS)"):
        # the text itself says the words are one name
        found = {c.key for c in cands}
        for s, e in spans:
            words = seg.en[s:e].split()
            key = english.term_key(words)
            if key not in found:
                cands.append(english.Candidate(key, seg.en[s:e], s, e, "name", len(words)))
        for cand in cands:
            if cand.varies:
                around[cand.key].append((i, cand))
                continue
            entry = entries.get(cand.key)
            if entry is None:
                entry = entries[cand.key] = _Entry(cand.key)
            entry.occs.append(_Occ(i, cand.start, cand.end))
            if (cand.key, cand.surface.lower()) not in written:
                # counted once per segment, like every frequency of the glossary
                # (forms differing in case only are one term in the TBX)
                written.add((cand.key, cand.surface.lower()))
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
    _add_complements(entries, expansion, around)
    return entries, expansion


def _add_complements(entries: dict[str, _Entry], expansion: dict[str, str],
                     around: dict[str, list[tuple[int, english.Candidate]]]) -> None:
    """Names around a varying part ("Permanent Observer of X to the Andean
    Council", :meth:`.english.EnglishExtractor._complements`) join their head's
    class as a variant ("permanent observer to the andean council" beside
    "permanent observer"), when the documents name at least
    :data:`VARYING_NAMES` different parts there: then the head and the
    complement are the fixed name and the part a slot (a State, a city); with one
    part it is a single longer name whose words need not be a term. The variant
    holds the complement's name, so a Chinese name holding its translation
    (常驻安第斯理事会观察员: 安第斯理事会 "Andean Council") nests in the English."""
    for key, found in around.items():
        parts = {cand.varies for _, cand in found}
        # a part inside another is the same one named shorter ("High Commissioner",
        # "United Nations High Commissioner")
        if sum(not any(p != q and f" {p} " in f" {q} " for q in parts)
               for p in parts) < VARYING_NAMES:
            continue
        head = found[0][1].head
        if key in entries or head not in entries:
            continue
        entry = entries[key] = _Entry(key)
        written: set[tuple[int, str]] = set()
        for seg, cand in found:
            entry.occs.append(_Occ(seg, cand.start, cand.end))
            entry.kinds[cand.kind] += 1
            if (seg, cand.surface.lower()) not in written:  # once per segment
                written.add((seg, cand.surface.lower()))
                entry.surfaces[cand.surface] += 1
        expansion.setdefault(key, head)


def derive_abbreviations(zh_entries: dict[str, _Entry], en_entries: dict[str, _Entry],
                         full_for: dict[str, str], expansion: dict[str, str]) -> None:
    """Chinese short forms the text never defines, derived from a full name, with
    the English short form of that name (adds to ``full_for`` and ``expansion``).

    A Chinese key the segmenter leaves mostly in single characters (a word it
    does not know), whose characters come in order from a longer name of a body
    or an instrument with the same first and last character and which is not
    a part of it, is that name's short form. The English name that comes with
    the full name most often, cut before its first preposition ("Standing
    Committee" of "Standing Committee on Fisheries and Oceans"), is the
    English short form when it is a candidate of its own of two words or more
    and comes with the Chinese short form in at least half of its segments: the
    documents then alternate between the two forms on both sides, which split
    the co-occurrence of one concept in two.
    """
    by_edges: dict[tuple[str, str], list[str]] = defaultdict(list)
    for key in zh_entries:
        if len(key) >= 5 and chinese.concept_kind(key) != "term":
            by_edges[(key[0], key[-1])].append(key)
    seg_en: dict[int, list[str]] = defaultdict(list)
    for key, entry in en_entries.items():
        for s in entry.segs:
            seg_en[s].append(key)
    for short, entry in zh_entries.items():
        toks = entry.tokens
        if (short in full_for or len(short) < 3 or len(entry.segs) < 2
                or 2 * sum(len(t) == 1 for t in toks) < len(toks)):
            continue
        fulls = [f for f in by_edges.get((short[0], short[-1]), ())
                 if len(f) > len(short) and short not in f and chinese.subsequence(short, f)]
        if not fulls:
            continue
        full = max(fulls, key=lambda f: (len(zh_entries[f].segs), len(f), f))
        counts: Counter[str] = Counter()
        n_full = len(zh_entries[full].segs)
        for s in zh_entries[full].segs:
            counts.update(seg_en[s])
        # the longest name that comes with the full name in half its segments (a
        # footnote marker glued to its last word now and then does not cut it)
        names = [k for k, c in counts.items()
                 if " " in k and 2 * c >= n_full and _capitalised(en_entries[k])]
        if not names:
            continue
        long_key = max(names, key=lambda k: (len(k.split(" ")), counts[k], k))
        words = long_key.split(" ")
        cut = next((i for i, w in enumerate(words) if w in english.INNER_NAME), len(words))
        head = " ".join(words[:cut])
        if (cut < 2 or cut == len(words) or head not in en_entries or head in expansion
                or 2 * len(en_entries[head].segs & entry.segs) < len(entry.segs)):
            continue
        expansion[head] = long_key
        full_for[short] = full  # only with the English short form: where English
        # has an acronym instead, the two Chinese forms keep their own English


def _capitalised(entry: _Entry) -> bool:
    """Whether the usual written form is a capitalised name."""
    words = _preferred_surface(entry).split()
    return bool(words) and all(w[:1].isupper() or w in english.INNER_NAME for w in words)


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


def zh_conjuncts(tokens: Sequence[str]) -> list[list[str]]:
    """The words of each conjunct of Chinese ``tokens`` split at their
    conjunctions and enumeration commas (A、B和C: A's words, B's words, C's
    words); one conjunct when there is none."""
    parts: list[list[str]] = [[]]
    for tok in tokens:
        if tok in chinese.CONJUNCTIONS or tok == chinese.ENUMERATION:
            parts.append([])
        else:
            parts[-1].append(tok)
    return parts


def _is_coordination(entry: _Entry, entries: dict[str, _Entry], sep: str) -> bool:
    """``A和B`` / ``A and B`` where A and B each also occur on their own: two terms.

    A Chinese last conjunct of one short word after a longer first one is read
    as sharing the first one's modifier (海洋科学和技术 "marine science and
    technology", 区域和平与稳定): one term, however often the general word
    (技术, 稳定) stands alone, if the documents repeat it (seen once, 培训手册和资源
    "training manuals and resources" is as likely two terms). Nor is a name whose
    head or preposition governs every conjunct (A与B部, "Ministry of A and B").
    """
    if not entry.has_conj:
        return False
    if sep == "zh":
        conjuncts = zh_conjuncts(entry.tokens)
        parts = ["".join(words) for words in conjuncts]
        last = conjuncts[-1]
        if (len(parts) == 2 and len(last) == 1 and len(last[0]) <= SHARED_WORD
                and len(parts[0]) > len(parts[1]) and len(entry.segs) > 1):
            return False
        # the mirror: a first conjunct of one word before a last one ending in a
        # head noun that the first also takes in the documents (A和B发展 where
        # A发展 is a candidate too: "A and B development") shares that head
        first = conjuncts[0]
        if (len(parts) == 2 and len(first) == 1 and len(last) >= 2
                and first[0] + last[-1] in entries):
            return False
        # only the last conjunct ends with the head of a body's or an
        # instrument's name (A与B部 "Ministry of A and B") and the documents
        # repeat it (RELIABLE times): the conjunction is inside one name, whose
        # head governs every conjunct. (Seen once or twice, such a string on the
        # dev set was mostly a list of general terms, the last ending in a head
        # word, 方案 "programmes", 机构 "institutions": of 22 pairs the cut kept as
        # bodies, 2 bodies' names and 3 wrong; seen 3 times or more, 5 of 5 pairs
        # right, two of them bodies' names.)
        if (len(entry.segs) >= RELIABLE and chinese.concept_kind(parts[-1]) != "term"
                and all(chinese.concept_kind(p) == "term" for p in parts[:-1])):
            return False
    else:
        parts = [p.strip() for p in f" {entry.key} ".split(" and ")]
        # a preposition of a name before the first "and" and none after the last
        # ("Ministry of A and B", "Mission in A and B"): the "and" joins the
        # preposition's objects inside one name; "Ministry of A and Ministry of
        # B" stays two
        if (len(parts) >= 2 and any(w in english.INNER_LOWER for w in parts[0].split())
                and not any(w in english.INNER_LOWER for w in parts[-1].split())):
            return False
    if len(parts) < 2 or not all(parts):
        return False
    n = len(entry.segs)
    # a fixed coordination ("A, B and C" naming one programme or procedure): the
    # documents repeat it (RELIABLE times, the repetition that shows a fixed
    # expression) and one conjunct stands inside it in at least half of the
    # segments it occurs in (a conjunct occurs in every segment of the whole),
    # so that the coordination is that conjunct's usual setting, not a list
    # that happens to name it
    if n >= RELIABLE and any(p in entries and len(entries[p].segs) <= 2 * n for p in parts):
        return False
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


def _ends_on_modifier(entries: dict[str, _Entry]) -> set[str]:
    """Keys of two words or more whose every written form ends on an adjective,
    written in lower case: a word the documents nearly always follow with
    another content word (a one-word key that :meth:`_Entry.modifier` drops:
    "ethnic", "regional") with an adjective's ending
    (:func:`english.adjective_form`) or that the English lexicon knows as an
    adjective (:func:`english.adjective_reading`: "military", "high") and the
    documents never write in the plural (a noun used as a modifier, "expert"
    before "group", has its plural there: "experts"); or a word the English
    lexicon knows as an adjective and never as a noun
    (:func:`english.adjective_only`: "nuclear", "adequate", "existing",
    however the documents use it). Such a candidate
    stops inside its noun phrase ("Xyla ethnic" of "Xyla ethnic group",
    "effective global", "strengthening of nuclear"), or runs on past it into
    the sentence ("the practice existing"): an English term ends on a noun. A
    noun used as a modifier ("health" before "workers") also ends terms
    ("public health"); so does a form that ends in another form of the word (a
    plural: English adjectives do not inflect); a capitalised last word is a
    name's own word."""
    # a noun used as a modifier ("expert" before "group") has a plural in the
    # documents; an adjective the lexicon also knows as a noun ("military",
    # "high") has none there. A word in -ing is left to the endings' test: a
    # gerund is a noun ("bookkeeping"), whatever else the lexicon says.
    written = {w.lower() for e in entries.values() for form in e.surfaces
               for w in form.split()}
    modifiers = {k for k, e in entries.items()
                 if " " not in k and e.modifier(True) and (english.adjective_form(k) or (
                     english.adjective_reading(k) and not k.endswith("ing")
                     and not _plural_written(k, written)))}
    out: set[str] = set()
    for key, entry in entries.items():
        head, _, last = key.rpartition(" ")
        if head and all(form.split()[-1] == last for form in entry.surfaces) and (
                last in modifiers or english.adjective_only(last)):
            out.add(key)
    return out


def _plural_written(word: str, written: set[str]) -> bool:
    """Whether a regular plural of ``word`` (-s, -es, -y to -ies) is among the
    ``written`` words (lower case)."""
    forms = {word + "s", word + "es"}
    if word.endswith("y"):
        forms.add(word[:-1] + "ies")
    return bool(forms & written)


def _partial_names(entries: dict[str, _Entry]) -> set[str]:
    """Keys that only ever occur inside one longer name ("Nations Convention on
    Coastal Fisheries" inside "United Nations Convention on Coastal ...").

    A key is partial when a longer key containing it has as many occurrences and
    the words it adds are written with capitals (or are function words inside
    the name). Lower-case phrases are left alone: "safe storage" may
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


def _crossing(entries: dict[str, _Entry], verbal: Callable[[str], bool] | None = None
              ) -> set[str]:
    """Chinese keys whose every occurrence straddles the edge of a frequent term
    (a string that starts inside the name of an office and runs on into the next
    words): not a term.

    A name that ends in the head of a body's or instrument's name (委员会) ends
    there, whatever frequent string runs on from inside it (委员会报告); and a
    frequent string that opens with a verb (``verbal`` of its first word: 开展 in
    开展国际) is a predicate and its object, not a term whose edge counts.
    """
    strong: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for key, e in entries.items():
        if len(e.occs) >= RELIABLE and len(key) >= 3 and not e.has_conj:
            if verbal is not None and e.tokens and verbal(e.tokens[0]):
                continue
            for o in e.occs:
                strong[o.seg].append((o.start, o.end))
    out = set()
    for key, e in entries.items():
        named = chinese.concept_kind(key) != "term"
        if all(any(s < o.start < end < o.end or (o.start < s < o.end < end and not named)
                   for s, end in strong.get(o.seg, ())) for o in e.occs):
            out.add(key)
    return out


def _always_nested(entries: dict[str, _Entry], verbal: Callable[[str], bool] | None = None
                   ) -> set[str]:
    """Chinese keys that never occur outside one longer candidate (接种运动 inside
    疫苗接种运动): as in C-value, such a string is not a term of its own.

    A longer candidate that opens with a verb (``verbal`` of its first word:
    使用 in 使用X力量 "use of X force") is a predicate and its object: the object
    is no part of it, however often the documents say the two together. Unless
    the verb and the next word occur more often than the longer candidate: they
    then open other strings too, as a compound opening with a verb does (保障供水
    "water-supply security" in 保障供水X基金 "Water-Supply Security X Fund"),
    which nests as before."""
    nested: set[str] = set()
    for key, entry in entries.items():
        toks = entry.tokens
        if len(toks) < 2 or "".join(toks) != key or entry.has_conj:
            continue  # inside "A和B" a part may still be a term of its own
        n = len(entry.occs)
        if n < 2:
            continue  # a string seen once is always inside some longer one
        opener = entries.get(toks[0] + toks[1])
        first = 1 if (verbal is not None and verbal(toks[0]) and opener is not None
                      and len(opener.occs) == n) else 0
        for i in range(len(toks)):
            if i >= first > 0:
                break
            for j in range(i + 1, len(toks) + 1):
                if (i, j) == (0, len(toks)):
                    continue
                sub = "".join(toks[i:j])
                if sub in entries and len(entries[sub].occs) == n:
                    nested.add(sub)
    return nested



def _preferred_surface(entry: _Entry) -> str:
    """The usual written form: lower case if it ever occurs so, else the most frequent."""
    forms = _surface_forms(entry)
    return forms[0][0] if forms else entry.key


def _surface_forms(entry: _Entry) -> list[tuple[str, int]]:
    """Distinct written forms (case merged: lower case wins if ever used), most frequent first."""
    return surface_forms(entry.surfaces)


def surface_forms(surfaces: Counter[str]) -> list[tuple[str, int]]:
    """Distinct written forms of counted surfaces (spaces normalised; case merged:
    the lower-case form wins if it is ever written so, else the most frequent),
    most frequent first; used by every extractor. Kept per counts, in their
    order (the most frequent's ties fall by it): a zh-en glossary asks a term's
    forms again at every step (a report's build: 9,529 questions, 1,820 terms;
    16,384 kept, each a few hundred bytes)."""
    return list(_forms_of(tuple(surfaces.items())))


@functools.lru_cache(maxsize=16384)
def _forms_of(surfaces: tuple[tuple[str, int], ...]) -> tuple[tuple[str, int], ...]:
    by_lower: dict[str, Counter[str]] = defaultdict(Counter)
    for surface, n in surfaces:
        by_lower[" ".join(surface.split()).lower()][" ".join(surface.split())] += n
    out = []
    for low, forms in by_lower.items():
        text = low if low in forms else forms.most_common(1)[0][0]
        # a lower-case form written capitalised only at a sentence start stays lower case
        out.append((text, sum(forms.values())))
    out.sort(key=lambda tf: (-tf[1], tf[0]))
    return tuple(out)
