"""Linking: pairs proposed, linked best first one-to-one, synonyms attached
(steps 3 to 5 of :mod:`.extract`)."""

from __future__ import annotations

import logging
from bisect import bisect_left, bisect_right
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from itertools import pairwise

import regex

from bitext.glossary import chinese, english
from bitext.glossary.candidates import (
    CONSISTENT,
    RELIABLE,
    Segment,
    _always_inside,
    _always_nested,
    _Class,
    _classes,
    _collect_en,
    _collect_zh,
    _crossing,
    _ends_on_modifier,
    _Entry,
    _is_coordination,
    _partial_names,
    _preferred_surface,
    derive_abbreviations,
    zh_conjuncts,
)
from bitext.glossary.cedict import Dictionary, words_match
from bitext.glossary.evidence import (
    LEXICAL_MIN,
    WEIGHTS,
    WEIGHTS_ENCODER,
    _DictScorer,
    _length_score,
    _lexical_enough,
    _llr,
    _once_seen_floor,
    _Pair,
    _verb_like,
)
from bitext.glossary.persons import foreign, name_and_class, transliterates
from bitext.languages.en import LANGUAGE as EN
from bitext.languages.en import OBJECT_OPENERS
from bitext.languages.zh import LANGUAGE as ZH
from bitext.languages.zh import NAME_RELATIONS, TERM_PREFIXES, TERM_SUFFIXES

logger = logging.getLogger(__name__)

MIN_CONFIDENCE = 0.35   # pairs below are never linked
MIN_DICE = 0.5          # pairs that co-occur in fewer than half their segments are not linked
SYNONYM_SHARE = 0.8     # share of a synonym's segments that must hold the English
SYNONYM_BASE = 0.3      # ...when the English is in at most this share of all segments
TOP_K = 12              # English classes scored per Chinese term
# Least letters of an acronym the initials of glosses may explain (propose):
# the dev set's acronyms drawn at random against 2,000 of its Chinese candidates
# of two words or more (random.Random(5), 2026-12-05) are spelled for 2.7% of
# two-letter, 0.95% of three-letter and 0.35% of four-letter ones.
ACRONYM_LETTERS = 3
# The words an English noun phrase holds between its parts: a compound's
# prepositions (english.INNER_LOWER, "rate of X", "ban on X"), "to" ("right to X")
# and the article ("Ministry of the X"); the test of a cut-short English
# (_State.cut_short) looks through them for the next content word.
BRIDGE = english.INNER_LOWER | {"to", "the"}
# Characters read either side of a Chinese term for the word beside it
# (_State.says_more): a Chinese word is rarely longer than four characters, and
# twice that keeps the segmenter from cutting the nearest word at the window's edge.
ZH_BESIDE = 8
# English number words that open a count (_State.counts_more): the language's
# cardinals and ordinals two to twelve (languages/en.py's number_words; "one" and
# "first" are english.STOP_WORDS already); larger counts are written in digits,
# which bound an English candidate.
NUMBER_WORDS = frozenset(w for w, v in EN.number_words if 2 <= v <= 12)
# The characters a Chinese term says a number with: the language's numerals and
# their units (languages/zh.py), and 双 ("two", "bi-"); a digit too (checked apart).
ZH_NUMERALS = frozenset(c for c, _ in (*ZH.numeral_digits, *ZH.numeral_units)) | {"双"}
_TOKENS = regex.compile(r"[\p{L}\p{N}][\p{L}\p{M}\p{N}'\u2019-]*|[^\s\p{L}\p{N}]")
_WORDLIKE = regex.compile(r"\p{L}[\p{L}\p{M}'\u2019-]*")


def _contains(outer: str, inner: str) -> bool:
    """Whether every content word of key ``inner`` occurs in key ``outer``, as a
    form of the same word and in any order (Andes / Andean Council; Coastal
    Fisheries Convention / Convention on Fisheries of the Coastal Zone)."""
    if f" {inner} " in f" {outer} ":
        return True
    words = outer.split(" ")
    return all(any(words_match(w.lower(), o.lower()) for o in words)
               for w in inner.split(" ") if w not in english.STOP_WORDS)



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
        self.best_conf: dict[str, float] = {}  # best confidence of each Chinese term's pairs
        # pairs proposed on co-occurrence alone (:meth:`propose`), which need the
        # encoder's word
        self.unexplained: set[tuple[str, str]] = set()
        self._verb_objects: set[tuple[str, str]] | None = None  # (acts_on)

    def collect(self) -> None:
        # every occurrence is kept: a large memory comes here a slice at a time
        # (bitext.glossary.slices)
        self.zh_entries, self.full_for = _collect_zh(self.segs)
        self.en_entries, self.expansion = _collect_en(self.segs, self.extractor)
        derive_abbreviations(self.zh_entries, self.en_entries, self.full_for, self.expansion)

    def build_classes(self) -> None:
        zh_entries, en_entries, min_freq = self.zh_entries, self.en_entries, self.min_freq
        full_for, expansion = self.full_for, self.expansion
        verbal = self.scorer.dictionary.is_verbal
        zh_nested = _always_nested(zh_entries, verbal) | _crossing(zh_entries, verbal)
        zh_keep = {k for k, e in zh_entries.items()
                   if len(e.segs) >= min_freq
                   and not e.modifier(len(e.tokens) == 1 and not chinese.compound(
                       k, self.scorer.dictionary))
                   and k not in zh_nested and e.fragments < len(e.occs)
                   and not _is_coordination(e, zh_entries, "zh")}
        zh_keep |= {full_for[k] for k in zh_keep if k in full_for}
        zh_keep |= {k for k, full in full_for.items() if full in zh_keep}
        self.zh_classes = _classes(zh_entries, ((f, s) for s, f in full_for.items()), zh_keep)
        # segments where a class occurs outside the titles that contain it:
        # a term inside a title in 《》 belongs, there, to the title's translation
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
        # a candidate ending on a modifier stops inside its noun phrase, as the
        # modifier alone is no term ("Xyla ethnic" of "Xyla ethnic group")
        cut_short = _ends_on_modifier(en_entries)
        # a lower-case coordination ("regional peace and stability") stays:
        # it pairs only with a Chinese term holding as many conjunctions (propose),
        # and the Chinese side has already dropped coordinations of two terms
        en_keep = {k for k, e in en_entries.items()
                   if len(e.segs) >= min_freq and not e.modifier(" " not in k)
                   and k not in partial and k not in cut_short
                   and e.fragments < len(e.occs)
                   and not (_is_coordination(e, en_entries, "en")
                            and not _preferred_surface(e).islower())}
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
        lower_words = {rep: [w.lower() for w in words] for rep, words in class_words.items()}
        verb_like = {rep: _verb_like(_preferred_surface(en_entries[rep]).split())
                     for rep in en_classes}
        # ...but a word in -ed the lexicon knows as an adjective and never as a
        # verb ("landlocked") is no participle: it modifies the head noun that a
        # Chinese term ending on a noun says too (one ending on a verb, "without
        # authorising", is asked as before)
        adjective_first = {rep for rep, like in verb_like.items() if like and
                           english.adjective_never_verb(
                               _preferred_surface(en_entries[rep]).split()[0])}
        # English classes that are one capitalised word (a place's or a person's
        # name): a Chinese term may transliterate them (persons.transliterates)
        single_names = {rep: surface for rep in en_classes
                        if " " not in (surface := _preferred_surface(en_entries[rep]))
                        and surface[:1].isupper() and not english.is_acronym(surface)}
        # ...or open with one and go on ("Xyla County", "Xyla ethnic group"): a
        # Chinese term may transliterate that word before a word of its class
        # (persons.name_and_class)
        named_heads = {rep: surface for rep in en_classes
                       if " " in (surface := _preferred_surface(en_entries[rep]))
                       and surface[:1].isupper()}
        # English classes that are an acronym alone (the text never spells it
        # out): the initials of the Chinese term's glosses may spell it
        # (ACRONYM_LETTERS)
        acronyms = {rep: cls.keys[0] for rep, cls in en_classes.items()
                    if all(english.is_acronym(k) for k in cls.keys)
                    and sum(c.isupper() for c in cls.keys[0]) >= ACRONYM_LETTERS
                    and not any(c.isdigit() for c in cls.keys[0])}
        # ...or all but an acronym of the documents that opens it (a body's
        # prefix), when ACRONYM_LETTERS or more are left to spell
        known = {k.lower() for cls in en_classes.values() for k in cls.keys
                 if english.is_acronym(k) and k.isalpha() and k.isupper()}
        prefixes = {rep: [p for p in known if a.lower().startswith(p)
                          and len(a) - len(p) >= ACRONYM_LETTERS]
                    for rep, a in acronyms.items()}
        # what each English class brings to every Chinese term it meets, once
        seg_count = {rep: len(cls.segs) for rep, cls in en_classes.items()}
        en_ands = {rep: max(f" {e} ".count(" and ") for e in cls.keys)
                   for rep, cls in en_classes.items()}
        # the words the dictionary is asked to credit, indexed together: those of
        # the two keys of each Chinese class the pairs below score (the shares)
        self.scorer.index_words(w for cls in self.zh_classes.values() for k in cls.keys[:2]
                                for w in self.scorer.words(self.zh_entries[k].tokens))
        proposals: list[_Pair] = []
        for zrep, zcls in self.zh_classes.items():
            fz = len(zcls.segs)
            ztoks = self.zh_entries[zrep].tokens
            # its words as the dictionary is asked them (an unknown word in known parts)
            zwords = self.scorer.words(ztoks)
            counts: Counter[str] = Counter()
            for s in zcls.segs:
                counts.update(seg_classes[s])
            free = self.zh_free_segs.get(zrep, zcls.segs)
            free_counts: Counter[str] = Counter()
            if free and free != zcls.segs:
                for s in free:
                    free_counts.update(seg_classes[s])
            zh_conj = sum(1 for t in self.zh_entries[zrep].tokens if t in chinese.CONJUNCTIONS)
            # items listed with the enumeration comma (工、农、商) are joined by one
            # "and" in English, so each 、 may stand for an "and" too
            zh_enum = zrep.count("\u3001")
            zentry = self.zh_entries[zrep]
            zverbal = zentry.verbal * 2 > len(zentry.occs)
            zknown = all(t in self.scorer.dictionary for t in ztoks
                         if t not in chinese.CONJUNCTIONS)
            loose = bool(zentry.kinds.get("title") or zentry.kinds.get("quoted"))
            glossed: dict[str, bool] = {}  # English word -> some word of zrep glosses it
            # a term CC-CEDICT has no common word in (a name it lacks, left in
            # syllables) may transliterate a one-word English name
            zforeign = foreign(ztoks, self.scorer.dictionary)
            znoun_end = not self.scorer.dictionary.is_verbal(ztoks[-1])
            # ...or open with such a name (the cheap test first: its first word)
            zname = len(ztoks) >= 2 and foreign(ztoks[:1], self.scorer.dictionary)
            scored = []
            for erep, k in counts.items():
                fe = seg_count[erep]
                dice = 2 * k / (fz + fe)
                kf = free_counts.get(erep, 0)
                if kf and 2 * kf / (len(free) + fe) > dice:
                    k, dice = kf, 2 * kf / (len(free) + fe)  # counted outside titles
                if k < self.min_freq or dice < MIN_DICE:
                    continue
                en_and = en_ands[erep]
                if erep not in acronyms and (zh_conj > en_and or en_and > zh_conj + zh_enum):
                    continue  # each 和/及/与 needs an "and" in English, and the other way
                    # (an acronym says no "and": its letters spell the conjuncts)
                words = class_words[erep]
                # (the dictionary is asked only here, for the few pairs that pass Dice)
                # (a participle opening the English is the shape of a verb, unless
                # a Chinese word has the participle itself for a gloss, an adjective:
                # 武装 "armed"; a gloss "to evaluate" says the verb, not "evaluated")
                # the sounds of a foreign name explain both sides as a gloss would
                spelled = (zforeign and erep in single_names
                           and transliterates(zrep, single_names[erep], self.scorer.dictionary))
                # ...and so do the initials of its words' glosses for an acronym,
                # when they say at least half the term (LEXICAL_MIN)
                initials = (self.scorer.spells(zwords, acronyms[erep], prefixes[erep])
                            if erep in acronyms else 0.0)
                if initials >= LEXICAL_MIN:
                    spelled = True
                # ...and so do a transliterated name's sounds, before its class word
                named = None
                if zname and not spelled and erep in named_heads:
                    named = named_shares(self.scorer, ztoks, named_heads[erep])
                    spelled = named is not None
                if k < RELIABLE and not spelled and (zverbal or not self.scorer.glosses_any(
                        zwords, lower_words[erep], glossed) or (
                        verb_like[erep] and not (znoun_end and erep in adjective_first)
                        and not any(
                            lower_words[erep][0] in self.scorer.dictionary.lookup(w)
                            for w in zwords))):
                    continue  # rare pairs need dictionary evidence and a noun shape
                # shares of Chinese characters and of English words explained (the
                # dictionary score is their mean; their difference, a part one side
                # says and the other does not, is kept as "balance" for the cut)
                if named is not None:
                    zshare, eshare = named
                else:
                    zshare, eshare = (initials or 1.0, 1.0) if spelled else max(
                        (self.scorer.shares(_relations_said(self.zh_entries[zk].tokens, words),
                                            words) for zk in zcls.keys[:2]), key=sum)
                dic = (zshare + eshare) / 2
                # ...unless the two come together reliably (RELIABLE times, in at
                # least 80% of their segments): the dictionary lacks the sense
                # (a title of office, a party's name), chance does not do that
                if dic == 0.0 and zknown and (k < RELIABLE or dice < CONSISTENT):
                    if k < RELIABLE:
                        continue  # the dictionary knows every Chinese word and explains
                        # none of the English words: co-occurrence alone, never a
                        # translation
                    # ...seen RELIABLE times in at least half their segments (Dice
                    # MIN_DICE, above) but under CONSISTENT: a term the dictionary
                    # lacks in this sense, or a term and a word of its documents;
                    # proposed, and judged by the encoder's cosine alone
                    # (extract.extract_traced drops it under rank.TERM_COSINE, and
                    # always without the encoder)
                    self.unexplained.add((zrep, erep))
                scored.append((dice * min(1.0, k / RELIABLE) + dic, dice, dic, erep, k,
                               1.0 - abs(zshare - eshare)))
            scored.sort(key=lambda t: (-t[0], t[3]))
            for _, dice, dic, erep, k, balance in scored[:TOP_K]:
                words = class_words[erep]
                # (the log-likelihood ratio, reported only, is added to the
                # linked pairs alone: :func:`add_llr`)
                ev = {
                    "dice": dice,
                    "dictionary": dic,
                    "balance": balance,
                    "length": _length_score(zrep, words),
                    "cooc": float(k),
                }
                proposals.append(_Pair(zrep, erep, 0.0, ev, loose))
        return proposals

    def add_llr(self, pairs: Iterable[_Pair]) -> None:
        """Each pair's log-likelihood ratio (evidence "llr", reported, never weighed):
        asked of the linked pairs only, not of every proposal (a tenth of them on a
        report), from the counts :meth:`propose` used."""
        n_segs = len(self.segs)
        for p in pairs:
            k = int(p.evidence["cooc"])
            fz, fe = len(self.zh_classes[p.zh].segs), len(self.en_classes[p.en].segs)
            p.evidence["llr"] = _llr(k, fz - k, fe - k, n_segs - fz - fe + k)

    def link(self, proposals: list[_Pair]) -> dict[str, _Pair]:
        """Competitive linking: best pairs first, each term once, nesting consistent.

        When a longer Chinese term containing this one is the better partner
        of the same English (see :meth:`_wider`: 森林保护 rather than 保护 for
        "forest protection", 可再生能源 rather than 再生能源), the longer one is
        linked, whatever the dictionary says: the dictionary may simply not know
        a word. Nesting is checked word for word.
        """
        # ties go to the longer Chinese, then the longer English term
        proposals.sort(key=lambda p: (-round(p.conf, 4), -len(p.zh), -p.en.count(" "),
                                      -p.evidence["cooc"], p.zh, p.en))
        by_en: dict[str, list[_Pair]] = defaultdict(list)
        by_zh: dict[str, list[_Pair]] = defaultdict(list)
        for p in proposals:
            if p.conf >= MIN_CONFIDENCE:
                by_en[p.en].append(p)
                by_zh[p.zh].append(p)
        self.best_conf = {}
        for p in proposals:
            self.best_conf[p.zh] = max(self.best_conf.get(p.zh, 0.0), p.conf)
        # a word CC-CEDICT glosses only as a proper name pairs with the English
        # that is its name there, when one is proposed (鲁里塔尼亚 "Ruritania", not the
        # adjective that comes with it more often in "... military aircraft")
        # (each Chinese term's names and each English class's usual form asked once:
        # the test runs for every proposal, thousands of them)
        named: dict[str, str] = {}
        names_of: dict[str, frozenset[str]] = {}
        said: dict[str, str] = {}
        for p in proposals:
            if p.conf < MIN_CONFIDENCE or p.zh in named:
                continue
            names = names_of.get(p.zh)
            if names is None:
                names = names_of[p.zh] = self.scorer.dictionary.names(p.zh)
            if not names:
                continue
            surface = said.get(p.en)
            if surface is None:
                surface = said[p.en] = " ".join(
                    _preferred_surface(self.en_entries[p.en]).split()).lower()
            if surface in names:
                named[p.zh] = p.en
        linked: dict[str, _Pair] = {}
        linked_en: set[str] = set()
        supers: dict[str, list[str]] = defaultdict(list)  # substring -> linked terms
        # an acronym -> the Chinese keys of the terms proposed with its English class
        owners = self._owners(by_en)

        def related(zh: str) -> list[_Pair]:
            """Linked pairs whose Chinese term contains ``zh`` or lies inside it,
            word for word (海洋法 does not lie inside 海洋|法院)."""
            out = [linked[t] for t in self.word_subs(zh) if t in linked]
            out += [linked[t] for t in supers.get(zh, ()) if t != zh]
            return out

        for p in proposals:
            if p.conf < MIN_CONFIDENCE:
                break
            if p.zh in linked or p.en in linked_en or named.get(p.zh, p.en) != p.en:
                continue
            if p.evidence["cooc"] < RELIABLE and not _lexical_enough(p.evidence):
                continue
            if not _nests(p, related(p.zh), self.en_classes, self.other_sense):
                continue
            if not self._says_owner(p, owners):
                continue
            if (self.cut_short(p) or self.says_more(p) or self.counts_more(p)
                    or self.acts_on(p)):
                continue
            rival = next((q for q in by_en[p.en] if q.zh != p.zh and q.zh not in linked
                          and p.zh in q.zh and not _better_own(q, by_zh[q.zh], linked_en)
                          and self._wider(q, p)
                          and _nests(q, related(q.zh), self.en_classes, self.other_sense)), None)
            if rival is not None:
                p = rival  # p's own term stays free for another English
            full = self._full_english(p, by_zh.get(p.zh, ()), linked_en, related(p.zh))
            if self._says_owner(full, owners):
                p = full
            linked[p.zh] = p
            linked_en.add(p.en)
            for sub in self.word_subs(p.zh):
                supers[sub].append(p.zh)
        return linked

    def cut_short(self, p: _Pair) -> bool:
        """Whether ``p``'s English stops early or starts late: in most segments where
        the two terms meet (more than half), the content word next to the English,
        through a compound's prepositions and articles only (:data:`BRIDGE`), is a
        word the Chinese term says and the English does not. It says it when a word
        of the Chinese term that explains no content word of the English glosses
        it (a made-up 签证禁令 "ban" in "visa ban": 签证 "visa" is left out), or
        one gloss of a Chinese word says it beside a word of the English (识字率
        "literacy rate" for "literacy" in "rate of literacy"). The English then
        names a part of the term: the pair is not linked, and the Chinese term is
        left to its other proposals (the whole English among them, when the
        documents have it as a candidate). A name CC-CEDICT lacks (in syllables,
        :func:`persons.foreign`) with a capitalised English is not asked: the
        glosses of its syllables say nothing of the name."""
        entry = self.zh_entries.get(p.zh)
        dictionary = self.scorer.dictionary
        if entry is None or p.en not in self.en_classes or not entry.tokens:
            return False
        if foreign(entry.tokens, dictionary) and _preferred_surface(
                self.en_entries[p.en])[:1].isupper():
            return False
        zwords = [w for t in entry.tokens if t not in chinese.CONJUNCTIONS
                  for w in self.scorer.split(t)]
        if not zwords:
            return False
        keys = self.en_classes[p.en].keys
        mine = {w for k in keys for w in k.lower().split(" ") if w not in english.STOP_WORDS}
        # the Chinese words no content word of the English explains: one character
        # only as the term's head (its last word); a character inside a term is
        # as often a syllable or a bound part with many senses
        unsaid = [t for i, t in enumerate(zwords) if (len(t) > 1 or i == len(zwords) - 1)
                  and not any(self.scorer.credit(t, w) for w in mine)]
        # ...and the words of a gloss of its head (its last word) that another
        # word of the same gloss says a word of the English beside
        beside = {b for sense in dictionary.senses(zwords[-1])
                  if any(words_match(a, m) for a in sense for m in mine)
                  for b in sense if not any(words_match(b, m) for m in mine)}
        if not unsaid and not beside:
            return False

        def says(word: str) -> bool:
            w = word.lower()
            return (w not in english.STOP_WORDS and not any(words_match(w, m) for m in mine)
                    and (any(self.scorer.credit(t, w) == 1.0 for t in unsaid)
                         or any(words_match(w, b) for b in beside)))

        both = self.zh_classes[p.zh].segs & self.en_classes[p.en].segs
        more = 0
        for s in both:
            text = self.segs[s].en
            occs = [o for k in keys for o in self.en_entries[k].occs if o.seg == s]
            if any(says(w) for o in occs for w in _beside(text, o.start, o.end)):
                more += 1
        return 2 * more > len(both)

    def says_more(self, p: _Pair) -> bool:
        """Whether ``p``'s English opens or ends with a content word that no word
        of its Chinese term explains and, in most segments where the two meet
        (more than half), the Chinese word right beside the Chinese term glosses
        it: the Chinese term is cut short of the term the English names (a
        made-up 年度 "annual" before 账目 "accounts" paired with "annual
        accounts"), or the English runs on into a word of the sentence that the
        Chinese says outside the term. The pair is not linked, as a cut-short
        English is not (:meth:`cut_short`). Words of the English the dictionary
        does not know either side (a coinage, a name) leave the pair alone: the
        gloss of the word beside must say them."""
        entry = self.zh_entries.get(p.zh)
        if entry is None or p.en not in self.en_classes:
            return False
        words = self.en_classes[p.en].rep.split(" ")
        if len(words) < 2:
            return False
        zwords = [w for t in entry.tokens for w in self.scorer.split(t)]
        extra = [w.lower() for w in {words[0], words[-1]}
                 if w.lower() not in english.STOP_WORDS
                 and not any(self.scorer.credit(t, w.lower()) for t in zwords)]
        if not extra:
            return False
        keys = self.zh_classes[p.zh].keys
        both = self.zh_classes[p.zh].segs & self.en_classes[p.en].segs
        more = 0
        for s in both:
            text = self.segs[s].zh
            occs = [o for k in keys for o in self.zh_entries[k].occs if o.seg == s]
            if any(self.scorer.credit(w, e) == 1.0 for o in occs
                   for w in _zh_beside(text, o.start, o.end) for e in extra):
                more += 1
        return 2 * more > len(both)

    def counts_more(self, p: _Pair) -> bool:
        """Whether ``p``'s English opens with a number word (:data:`NUMBER_WORDS`,
        "three marsh wardens", "second Xyla assembly") and its Chinese term
        holds no numeral (:data:`ZH_NUMERALS`, no digit): the English has run on
        into a count the sentence says outside the term (三个 before the term, or
        an ordinal the Chinese puts elsewhere). The pair is not linked, as a
        cut-short English is not (:meth:`cut_short`); the Chinese term is left to
        its next proposal."""
        if p.en not in self.en_classes or any(
                ch in ZH_NUMERALS or ch.isdigit() for ch in p.zh):
            return False
        words = self.en_classes[p.en].rep.lower().split(" ")
        return len(words) > 1 and words[0] in NUMBER_WORDS

    def acts_on(self, p: _Pair) -> bool:
        """Whether ``p``'s English opens with a verb in -ing that the documents use
        on the word after it: another form of the same verb, one the lexicon reads
        only as a verb, its base or its form in -s (:func:`english.finite_forms`),
        stands right before that word somewhere in the documents, or before one
        word that opens an object (:data:`~bitext.languages.en.OBJECT_OPENERS`:
        "pave the roads" for "paving roads"). The English is then a predicate and
        its object, not a term: the pair is not linked, as a cut-short English is
        not (:meth:`cut_short`), and the Chinese term is left to its next
        proposal; nor is it a longer form of a linked term's English. An -ing word
        the documents never write as the verb of the word after it ("sewing
        machine", "operating expenses") opens a term. No threshold: one sentence
        with the verb before the word shows the -ing form can be its verb."""
        if p.en not in self.en_classes:
            return False
        for key in self.en_classes[p.en].keys:
            first, _, rest = key.partition(" ")
            if not rest or not english.finite_forms(first):
                continue
            for o in self.en_entries[key].occs:
                words = [t.text.lower() for t in english.tokenize(
                    self.segs[o.seg].en[o.start:o.end]) if t.kind == "word"]
                if len(words) > 1 and any((f, words[1]) in self.verb_objects()
                                          for f in english.finite_forms(words[0])):
                    return True
        return False

    def verb_objects(self) -> set[tuple[str, str]]:
        """Every two words of the documents' English in a row, lower-case, and every
        word with the word after an object opener after it ("pave", "roads"
        of "pave the roads"): where a verb form may stand before its object
        (:meth:`acts_on`). Built once per run."""
        if self._verb_objects is None:
            pairs: set[tuple[str, str]] = set()
            for seg in self.segs:
                words: list[str | None] = [t.text.lower() if t.kind == "word" else None
                                           for t in english.tokenize(seg.en)]
                pairs.update((a, b) for a, b in pairwise(words) if a and b)
                pairs.update((a, c) for (a, o), c in zip(pairwise(words), words[2:], strict=False)
                             if a and c and o in OBJECT_OPENERS)
            self._verb_objects = pairs
        return self._verb_objects

    def _owners(self, by_en: dict[str, list[_Pair]]) -> dict[str, frozenset[str]]:
        """Each acronym that opens a longer English key -> the Chinese keys of every
        term proposed (at :data:`MIN_CONFIDENCE` or more) with the acronym's own
        English class: the ways the documents say the owner in Chinese."""
        class_of = {k: rep for rep, cls in self.en_classes.items() for k in cls.keys}
        out: dict[str, frozenset[str]] = {}
        for cls in self.en_classes.values():
            for key in cls.keys:
                first, _, rest = key.partition(" ")
                if not rest or first in out or not english.is_acronym(first):
                    continue
                rep = class_of.get(first, "")
                out[first] = frozenset(k for q in by_en.get(rep, ())
                                       if q.evidence["dice"] >= MIN_DICE
                                       for k in self.zh_classes[q.zh].keys)
        return out

    def _says_owner(self, p: _Pair, owners: dict[str, frozenset[str]]) -> bool:
        """Whether ``p``'s Chinese term says the acronym that opens its English
        name, when the documents pair that acronym with any Chinese term
        (``owners``, :meth:`_owners`). An acronym before a name is its owner
        ("UNXO Regional Office"); the Chinese term of such a name holds one of
        the owner's Chinese terms (a made-up 某组织区域办事处), while a Chinese
        term without it (区域办事处 alone, or a year where the English has the
        owner) pairs with the name without the acronym, or with nothing. Every
        key of the English class is asked ("UNXO Blue Desk" and
        "Blue Desk of UNXO" are one class)."""
        for key in self.en_classes[p.en].keys:
            first, _, rest = key.partition(" ")
            said = owners.get(first) if rest else None
            if said is not None and not any(k in p.zh for k in said):
                return False
        return True

    def _full_english(self, p: _Pair, options: Iterable[_Pair], taken: set[str],
                      accepted: list[_Pair]) -> _Pair:
        """The pair of ``p``'s Chinese term with the longest English that holds
        ``p``'s English and comes with the Chinese term in every segment where
        ``p``'s does (the same co-occurrence count, :data:`RELIABLE` or more: a
        longer key occurs only where its part does, so the segments are the same).
        The shorter English is then a cut-off part ("vessels" in every
        "Ruritanian vessels", "draft rules" in "draft rules of conduct").
        """
        if p.evidence["cooc"] < RELIABLE:
            return p  # once or twice, a word after the term is chance
        mine = [f" {k} " for k in self.en_classes[p.en].keys]
        best = p
        for q in options:
            if (q.en == p.en or q.en in taken or q.evidence["cooc"] != p.evidence["cooc"]
                    or len(q.en) <= len(best.en)):
                continue
            if any(a in f" {b} " and not self._verbal_extra(a, b)
                   for a in mine for b in self.en_classes[q.en].keys) and _nests(
                    q, accepted, self.en_classes, self.other_sense):
                best = q
        return best

    def _verbal_extra(self, short: str, long: str) -> bool:
        """Whether the words ``long`` adds to ``short`` hold a verb (a past form, or a
        word the dictionary glosses only as a verb) or a function word other than a
        compound's preposition: a predicate, not part of the term."""
        extra = set(long.split()) - set(short.split())
        return any((w in english.STOP_WORDS and w not in english.INNER_LOWER)
                   or w.endswith("ed") or self.scorer.dictionary.is_verb(w) for w in extra)

    def word_subs(self, zh: str) -> set[str]:
        """The substrings of a Chinese term that start and end on its word
        boundaries (the whole term included); every substring for a term whose
        words do not spell it."""
        entry = self.zh_entries.get(zh)
        toks = entry.tokens if entry is not None else ()
        if "".join(toks) != zh:
            return {zh[i:j] for i in range(len(zh)) for j in range(i + 1, len(zh) + 1)}
        return {"".join(toks[i:j]) for i in range(len(toks)) for j in range(i + 1, len(toks) + 1)}

    def _wider(self, q: _Pair, p: _Pair) -> bool:
        """Whether the longer Chinese term ``q`` (holding ``p``'s) is the better
        partner of their common English: it co-occurs with it more consistently
        (Dice higher by more than 0.02, a margin above rounding noise), or ``p``
        occurs inside it in at least :data:`SYNONYM_SHARE` of its segments (再生能源
        nearly always inside 可再生能源: the shorter string is a cut-off part).
        Dice and that share speak only from :data:`RELIABLE` co-occurrences on;
        below, a longer string seen once with the English (a term and the verb
        after it) has Dice 1 by chance."""
        if q.evidence["cooc"] >= RELIABLE and q.evidence["dice"] > p.evidence["dice"] + 0.02:
            return True
        if q.conf < self.best_conf.get(q.zh, 0.0):
            return False  # the longer term has a better English of its own (宪章 / 联合国宪章)
        if q.evidence["cooc"] < RELIABLE:
            # too rare for Dice: only a name head the longer term adds speaks, or
            # a word the English says as a preposition (打击 "against")
            # (or words it adds that say what the shorter one's English lacks;
            # an unexplained head only while the shorter pair is rare too: the
            # documents make it from RELIABLE co-occurrences on)
            return _lexical_enough(q.evidence) and (
                self._adds_name_head(q.zh, p.zh, p.en) or self._adds_relation(q.zh, p.zh, p.en)
                or self._adds_said(q.zh, p.zh, p.en, p.evidence["cooc"] < RELIABLE))
        inside = len(self.zh_classes[q.zh].segs & self.zh_classes[p.zh].segs)
        return (inside >= SYNONYM_SHARE * len(self.zh_classes[p.zh].segs)
                or self._adds_said(q.zh, p.zh, p.en, True))

    def _adds_said(self, longer: str, shorter: str, en: str, head: bool) -> bool:
        """Whether the words ``longer`` adds to ``shorter`` (whole words at one
        edge, no verb among them nor at ``shorter``'s edge they attach to, a
        word of ``shorter`` the English says) say a word of the English that no
        word of ``shorter`` says: a gloss of an added word matches it, or it is
        the English's head (:func:`_english_head`) and the one added
        word is ``longer``'s own head (at its end, its main sense no verb)
        glossing no word of the English (the dictionary lacks the sense: an
        unexplained head for an unexplained head, 甲乙 + 干事 for "Jia Yi
        Officer"; only when ``head``). ``shorter`` then says the English only
        in part: its English is cut at the word it lacks."""
        entry = self.zh_entries.get(longer)
        if entry is None or "".join(entry.tokens) != longer:
            return False
        toks = entry.tokens
        cut = next((k for k in range(1, len(toks)) if "".join(toks[:k]) == shorter), None)
        at_end = cut is not None
        if cut is None:
            cut = next((k for k in range(1, len(toks)) if "".join(toks[k:]) == shorter), None)
            if cut is None:
                return False
        own, added = (toks[:cut], toks[cut:]) if at_end else (toks[cut:], toks[:cut])
        dictionary = self.scorer.dictionary
        edge = own[-1] if at_end else own[0]  # the word the added ones attach to
        if any(dictionary.is_verbal(t) and t not in TERM_PREFIXES and t not in TERM_SUFFIXES
               for t in (*added, edge)):
            return False  # a predicate run into the term (the added words a verb,
            # or the verb's subject or object), not a longer term
        words = [w.lower() for w in _longest_words(self.en_classes[en], self.en_entries)]
        content = [w for w in words if w not in english.STOP_WORDS]
        own_words, added_words = self.scorer.words(tuple(own)), self.scorer.words(tuple(added))
        credit = self.scorer.credit
        if not any(credit(own_words[-1 if at_end else 0], w) for w in content):
            return False  # ``shorter``'s own edge there says nothing: its English is
            # not known to stop short on that side
        unsaid = [w for w in content if not any(credit(t, w) for t in own_words)]
        if not unsaid:
            return False
        if any(credit(t, w) == 1.0 for t in added_words for w in unsaid):
            return True
        return (head and at_end and len(added) == 1 and len(added[0]) > 1
                and not dictionary.verb_first(added[0])
                and _english_head(words) in unsaid
                and not any(credit(t, w) for t in added_words for w in content))

    def _adds_relation(self, longer: str, shorter: str, en: str) -> bool:
        """Whether ``longer`` is ``shorter`` with one word before or after it that
        the English says as a preposition (:data:`bitext.languages.zh.NAME_RELATIONS`:
        打击 + 非法捕鱼全球方案 for "Global Programme against Illegal Fishing"):
        the longer string then holds the whole name."""
        extra = longer.replace(shorter, "", 1)
        if extra not in NAME_RELATIONS or not (longer.startswith(extra)
                                               or longer.endswith(extra)):
            return False
        return any(NAME_RELATIONS[extra].intersection(k.split(" "))
                   for k in self.en_classes[en].keys)

    def _adds_name_head(self, longer: str, shorter: str, en: str) -> bool:
        """Whether ``longer`` is ``shorter`` plus the head of a body's or an
        instrument's name (委员会, 公约), and the English is a capitalised name
        opening with a head word that no word of ``shorter`` translates
        ("Commission on ..."): both sides then have the boundaries of one name,
        whether or not the dictionary glosses the head as the English says it."""
        if (not longer.startswith(shorter) or chinese.concept_kind(shorter) != "term"
                or chinese.concept_kind(longer) == "term"):
            return False
        surface = _preferred_surface(self.en_entries[self.en_classes[en].rep]).split()
        if len(surface) < 2 or not all(w[:1].isupper() or w in english.INNER_NAME
                                       for w in surface):
            return False
        head = english.singular(surface[0].lower())
        dictionary = self.scorer.dictionary
        return not any(head in {english.singular(g) for g in dictionary.lookup(t)}
                       for t in self.zh_entries[shorter].tokens)

    def attach_synonyms(self, proposals: list[_Pair], linked: dict[str, _Pair]) -> None:
        """Add unlinked Chinese terms as variants of a concept whose English they
        (nearly) always come with: synonyms (渔业管理 / 管理渔业, 渔业署 /
        渔业专员办事处) and longer full forms (联合国海洋计划署 for 海洋计划署).

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
            # (word for word: 海盗罪 does not lie inside 海盗|罪行)
            overlaps = any(2 * len(self.zh_classes[t].segs) >= len(zsegs)
                           for t in linked_subs.get(z, ())
                           if t in self.zh_classes and z in self.word_subs(t)) or any(
                sub in linked for sub in self.word_subs(z) if sub != z and len(sub) >= 3)
            counts: Counter[str] = Counter()
            for s in zsegs:
                counts.update(seg_owned[s])
            # of the English terms that come with z as often, the rarest first: it
            # comes with z most consistently (Dice), the more specific term of
            # two that nest ("war damage" before "damage")
            for en, k in sorted(counts.items(),
                                key=lambda ek: (-ek[1], len(en_segs[ek[0]]), ek[0])):
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
                        continue  # the longer form adds a word the English does not
                        # say (a general noun such as 问题 "question"), a verb, or a
                        # one-character modifier (新法律)
                elif self.scorer.shares(self.zh_entries[z].tokens, words, chars=False)[0] < 0.5:
                    continue
                self.zh_extra[target].append(z)
                break
        self._attach_english(proposals, linked)

    def _attach_english(self, proposals: list[_Pair], linked: dict[str, _Pair]) -> None:
        """Add longer English forms of a linked term that (nearly) always come with
        its Chinese term: "Regional Assembly" beside "Assembly", "fisheries inspection
        officers" beside "fisheries inspection"."""
        owner = {p.en: p for p in linked.values()}
        taken = set(owner)
        inside = _always_inside(self.en_entries)
        for q in sorted(proposals, key=lambda q: -q.conf):
            p = linked.get(q.zh)
            if (p is None or q.en == p.en or q.zh not in linked or self.counts_more(q)
                    or self.acts_on(q)):
                continue  # (a count or a verb run into the English is no longer form of it)
            holder = owner.get(q.en)
            if holder is not None and linked.get(holder.zh) is not holder:
                holder = None  # its pair was given up to an earlier longer form
            # a longer Chinese string holding it with less confidence (数据库提供
            # for "database") gives it up: it was a fragment pair
            # (only one seen with it fewer than RELIABLE times: a longer term
            # that is frequent, 渔业管理计划 beside 渔业管理, is a term of its own)
            # (never from a name that adds a body's or an instrument's head to the
            # term, 委员会: that is the name of the body, not the term and a verb)
            steal = (holder is not None and holder.zh != p.zh and p.zh in holder.zh
                     and holder.conf < q.conf and holder.evidence["cooc"] < RELIABLE
                     and not (chinese.concept_kind(holder.zh) != "term"
                              and chinese.concept_kind(p.zh) == "term"))
            # a holder no cut keeps (seen fewer than RELIABLE times, under the
            # weakest rare pair the proposal stage lets through, _once_seen_floor)
            # and less confident gives it up to another wording of a linked
            # pair's translation (below): a weak pair seen once must not keep a
            # right concept's second wording out
            weak = (not steal and holder is not None and holder.zh != p.zh
                    and holder.evidence["cooc"] < RELIABLE and holder.conf < q.conf
                    and holder.conf < _once_seen_floor(
                        WEIGHTS_ENCODER if "embedding" in holder.evidence else WEIGHTS))
            if q.en in taken and not steal and not weak:
                continue
            if q.evidence["cooc"] < SYNONYM_SHARE * len(self.en_classes[q.en].segs):
                continue
            if (not steal and _lexical_enough(q.evidence)
                    and self.same_sense(p.zh, p.en, q.en)):
                # another wording of the same translation ("audit outcomes"
                # beside "audit results" for one 结果): the English varies,
                # the concept does not; it comes with the Chinese term in most of
                # its segments (above), so it translates no other term there
                if weak and holder is not None:
                    del linked[holder.zh]
                self.en_extra[p.zh].append(q.en)
                taken.add(q.en)
                continue
            if weak:
                continue  # the holder keeps it: not another wording
            if q.evidence["cooc"] < 2 or (q.evidence["cooc"] < RELIABLE
                                          and not _lexical_enough(q.evidence)):
                continue
            mine, theirs = self.en_classes[p.en].keys, self.en_classes[q.en].keys
            if q.en in inside or not any(
                    f" {a} " in f" {b} " and not any(
                        (w in english.STOP_WORDS and w not in english.INNER_LOWER)
                        or w.endswith("ed")
                        for w in set(b.split()) - set(a.split()))
                    for a in mine for b in theirs):
                continue  # only longer forms by plain words or a compound's preposition
                # ("rate of X" beside "X"), not "Conference of the ...",
                # "Council adopted resolution" or "fisheries wardens" (always
                # inside "coastal fisheries wardens")
            if steal and holder is not None:
                del linked[holder.zh]
            self.en_extra[p.zh].append(q.en)
            taken.add(q.en)

    def _fragments(self, linked: dict[str, _Pair], free_zh: dict[str, int],
                   free_en: dict[str, int],
                   whole: Callable[[_Pair], bool] | None = None) -> set[str]:
        """Pairs to drop: one term never occurs outside a longer linked term, and
        that longer pair, holding at least half its segments, is more confident
        (a tail of an office's name inside the whole name). A fragment as
        confident as every pair that contains it stays (a term always preceded
        by the same verb; a body's name inside its chair's title); so does a
        pair that ``whole`` finds a whole term (:func:`.rank.whole_term`) inside
        a longer pair seen fewer than :data:`RELIABLE` times that only adds a
        modifier before it (:meth:`_modifies`): the longer pair's one or two
        occurrences do not show that the term lives only inside it."""
        dropped: set[str] = set()
        padded = {q.zh: "|".join(f" {o} " for o in self.en_classes[q.en].keys)
                  for q in linked.values()}
        # indexes instead of comparing every pair with every other one (a memory
        # gives thousands of linked pairs): Chinese substrings, English words
        zh_subs: dict[str, list[str]] = defaultdict(list)  # linked term -> linked terms holding it
        for term in linked:
            for sub in {term[i:j] for i in range(len(term)) for j in range(i + 1, len(term) + 1)}:
                if sub in linked and sub != term:
                    zh_subs[sub].append(term)
        by_word: dict[str, set[str]] = defaultdict(set)
        for q in linked.values():
            for key in self.en_classes[q.en].keys:
                for w in key.split(" "):
                    by_word[w].add(q.zh)
        for p in sorted(linked.values(), key=lambda q: q.conf):
            if p.zh in dropped or (free_zh[p.zh] and free_en[p.en]):
                continue
            keys = self.en_classes[p.en].keys
            mine = [f" {k} " for k in keys]
            near: set[str] = set()
            if not free_zh[p.zh]:
                near.update(zh_subs.get(p.zh, ()))
            if not free_en[p.en]:
                for k in keys:
                    near |= by_word.get(k.split(" ")[0], set())
            containers = [q for q in (linked[z] for z in sorted(near) if z in linked)
                          if q is not p and q.zh not in dropped and (
                              (not free_zh[p.zh] and p.zh in q.zh)
                              or (not free_en[p.en] and any(k in padded[q.zh] for k in mine)))]
            if containers and all(p.zh in self._conjuncts(q.zh) for q in containers):
                continue  # a conjunct of a coordination (培训手册 in 培训手册和资源) is
                # no fragment of it: it is one of the two things the coordination names
            # a container that holds fewer than half of the pair's segments does not
            # make it a fragment: a frequent term inside many different longer
            # strings (渔业管理计划 in ...部, ...需要, ...财务状况) is a term of its own
            n = min(len(self.zh_classes[p.zh].segs), len(self.en_classes[p.en].segs))
            # nor does one that adds a verb at its edge (支持 + the term, "support
            # for" + its English): a predicate run into the term, not a longer term
            # of which it is a part (seen once, the longer pair is as confident)
            big = [q for q in containers if 2 * len(self.zh_classes[q.zh].segs) >= n
                   and not (p.zh in q.zh and self.adds_predicate(q.zh, p.zh))
                   and not (whole is not None and q.evidence["cooc"] < RELIABLE
                            and self._modifies(q, p) and whole(p))]
            if not containers or any(q.conf > p.conf for q in big):
                dropped.add(p.zh)
        return dropped

    def _modifies(self, q: _Pair, p: _Pair) -> bool:
        """Whether the longer pair ``q`` is ``p`` with a modifier before it on both
        sides: its Chinese ends with ``p``'s (区域 + the term), and an English key
        of ``q`` ends with one of ``p``'s ("regional" + its English) or goes on
        from it with a preposition of a compound (:data:`english.INNER_LOWER`:
        its English + "of the region"), as a Chinese modifier before a noun is
        said in English. A longer pair that adds words after the Chinese term
        (its head: a committee of the term) holds it as a modifier instead."""
        if q.zh == p.zh or not q.zh.endswith(p.zh):
            return False
        mine = self.en_classes[p.en].keys
        return any(k.endswith(f" {m}") or any(k.startswith(f"{m} {w} ")
                                              for w in english.INNER_LOWER)
                   for k in self.en_classes[q.en].keys for m in mine)

    def same_sense(self, zh: str, en: str, other: str) -> bool:
        """Whether English keys ``en`` and ``other`` are two wordings of the Chinese
        term ``zh``: the same words but one, in the same order, and a word of
        ``zh`` that the dictionary glosses as both of the words that differ
        ("result" and "outcome" for 结果)."""
        a, b = en.split(" "), other.split(" ")
        diff = [i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y]
        if len(a) != len(b) or len(diff) != 1:
            return False
        x, y = a[diff[0]], b[diff[0]]
        if x in english.STOP_WORDS or y in english.STOP_WORDS or words_match(x, y):
            return False  # two forms of one word are not two wordings: a State's
            # name and its adjective ("Ruritania", "Ruritanian") are two concepts
        entry = self.zh_entries.get(zh)
        toks = entry.tokens if entry is not None else tuple(chinese.words(zh))
        return any(self.scorer.credit(t, x) == 1.0 and self.scorer.credit(t, y) == 1.0
                   for t in self.scorer.words(toks))

    def adds_predicate(self, longer: str, shorter: str) -> bool:
        """Whether ``longer`` holds ``shorter`` and a word before or after it that
        CC-CEDICT glosses mostly as a verb (支持 in 支持X, 使用 in 使用X), bound
        morphemes of terms (化, 非...) excepted: a predicate and the term."""
        at = longer.find(shorter)
        if at < 0 or longer == shorter:
            return False
        entry = self.zh_entries.get(longer)
        toks = list(entry.tokens) if entry is not None else chinese.words(longer)
        if "".join(toks) != longer:
            return False
        edges = []
        if at >= len(toks[0]):
            edges.append(toks[0])  # the first word lies wholly before the shorter term
        if len(longer) - at - len(shorter) >= len(toks[-1]):
            edges.append(toks[-1])
        return any(self.scorer.dictionary.is_verbal(w) and w not in TERM_PREFIXES
                   and w not in TERM_SUFFIXES for w in edges)

    def other_sense(self, inner: str, outer: str, inner_en: list[str],
                    outer_en: list[str]) -> bool:
        """Whether the English keys ``outer_en`` of the Chinese term ``outer`` may
        leave out the English ``inner_en`` of a linked term ``inner`` inside it
        (the nesting check, :func:`_nests`): ``inner`` is one word of ``outer``
        (甲国|代表团), and the English says it in another sense, not a part of
        it cut off: no content word of the two Englishes is a form of the other's,
        and the outer English holds a word that no other word of ``outer``
        explains (甲国 "Jiaguo" + 代表团 "Mission", not "delegation"; a word
        has several senses, a two-character word is exempt for that reason);
        and ``outer`` has no verb at an edge."""
        entry = self.zh_entries.get(outer)
        if entry is None or inner not in entry.tokens or any(
                self.scorer.dictionary.is_verbal(t) and t not in TERM_PREFIXES
                and t not in TERM_SUFFIXES for t in {entry.tokens[0], entry.tokens[-1]}):
            return False  # (a verb at an edge: a predicate run into the name)
        content = {w for k in outer_en for w in k.lower().split(" ")
                   if w not in english.STOP_WORDS}
        theirs = {w for k in inner_en for w in k.lower().split(" ")
                  if w not in english.STOP_WORDS}
        if any(words_match(a, b) for a in content for b in theirs):
            return False  # a part of the inner term's English: cut off, not another sense
        rest = [w for t in entry.tokens if t != inner for w in self.scorer.split(t)]
        return any(not any(self.scorer.credit(t, w) for t in rest) for w in content)

    def _conjuncts(self, zh: str) -> list[str]:
        """The conjuncts of a Chinese coordination (A和B: A, B), or nothing."""
        entry = self.zh_entries.get(zh)
        if entry is None or not entry.has_conj:
            return []
        return ["".join(words) for words in zh_conjuncts(entry.tokens)]


def _beside(text: str, start: int, end: int) -> list[str]:
    """The content words next to ``text[start:end]`` on either side, through the
    words a noun phrase holds between its parts (:data:`BRIDGE`), never through
    punctuation or another word: at most one each side."""
    out = []
    left = _TOKENS.findall(text[:start])
    right = _TOKENS.findall(text[end:])
    for tokens in (left[::-1], right):
        for tok in tokens:
            if tok.lower() in BRIDGE:
                continue
            if _WORDLIKE.fullmatch(tok):
                out.append(tok)
            break
    return out


def _zh_beside(text: str, start: int, end: int) -> list[str]:
    """The Chinese words right before and right after ``text[start:end]``: jieba's
    words of :data:`ZH_BESIDE` characters either side, the nearest one each."""
    left = [w for w in chinese.words(text[max(0, start - ZH_BESIDE):start]) if w.strip()]
    right = [w for w in chinese.words(text[end:end + ZH_BESIDE]) if w.strip()]
    return left[-1:] + right[:1]


def _better_own(q: _Pair, options: Iterable[_Pair], taken: set[str]) -> bool:
    """Whether the longer Chinese term of ``q`` has an English of its own, still
    free, that it pairs with more confidently than ``q``'s (a made-up 渔民学院
    "Fishers Academy" before "Academy", which the English says alone after the
    first mention): then it is no rival for ``q``'s English, which its part (学院)
    says alone; taking it would leave the longer term's own English to the part
    and give both a cut-off or a run-on translation."""
    return any(o.conf > q.conf and o.en not in taken for o in options)


def _english_head(words: list[str]) -> str:
    """The head of a lower-case English term: the word before its first
    preposition of a compound (:data:`english.INNER_LOWER`: "warden of the
    marsh"), else its last word."""
    at = next((i for i, w in enumerate(words) if w in english.INNER_LOWER), len(words))
    return words[at - 1] if at else words[-1]


def _relations_said(tokens: tuple[str, ...], words: list[str]) -> tuple[str, ...]:
    """The Chinese words of a term without those an English preposition of
    ``words`` renders (:data:`bitext.languages.zh.NAME_RELATIONS`: 打击 when the
    English says "against"), which the dictionary would count as unexplained;
    the term itself when that leaves nothing."""
    if not any(t in NAME_RELATIONS for t in tokens):
        return tokens
    kept = tuple(t for t in tokens
                 if not (t in NAME_RELATIONS and NAME_RELATIONS[t].intersection(words)))
    return kept or tokens


def named_shares(scorer: _DictScorer, tokens: tuple[str, ...], surface: str
                 ) -> tuple[float, float] | None:
    """For a Chinese term (``tokens``) that transliterates the name opening an
    English ``surface`` and adds words of its class (:func:`persons.name_and_class`),
    the shares of Chinese characters and of English content words explained:
    the name's sounds explain it on both sides, as a gloss would. Every class
    word after it must say an English word after the name and be said by one (a
    class word may say several: 族 "ethnic group"), unless each side adds one
    word only (州 has no gloss "county"). None for any other pair: not so made,
    or a part of the sentence run on."""
    parts = name_and_class(tokens, surface, scorer.dictionary)
    if parts is None:
        return None
    part, rest, en_rest = parts
    content = [w.lower() for w in en_rest if w.lower() not in english.STOP_WORDS]
    zwords = [w for t in rest for w in scorer.split(t)]
    said_zh = [any(scorer.credit(t, w) for w in content) for t in zwords]
    said_en = [any(scorer.credit(t, w) for t in zwords) for w in content]
    if not (all(said_zh) and all(said_en)) and not (len(zwords) == 1 and len(content) == 1):
        return None
    chars = sum(len(t) for t in zwords)
    zsaid = sum(len(t) for t, said in zip(zwords, said_zh, strict=True) if said)
    return (len(part) + zsaid) / (len(part) + chars), (1 + sum(said_en)) / (1 + len(content))


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


def _nests(p: _Pair, accepted: Iterable[_Pair], en_classes: dict[str, _Class],
           other_sense: Callable[[str, str, list[str], list[str]], bool] | None = None
           ) -> bool:
    """A Chinese term inside another must have its English inside the other's English.

    Two-character words are exempt as the inner term: they are the most general
    (组织 "organization" is "Agency" in a made-up 国际农牧组织 "International Farming Agency").
    A longer inner term that is one word of the outer one may be said in
    another sense too, when ``other_sense`` (:meth:`_State.other_sense`) finds it.
    A longer string paired fewer times than a pair inside it that the documents
    make consistently (``RELIABLE`` times or more, Dice at least
    :data:`CONSISTENT`) does not constrain it: the evidence runs the other way
    (a term seen with its English 31 times inside a budget title linked from 4).
    """
    mine = en_classes[p.en].keys
    for q in accepted:
        if len(q.zh) < 3 and len(p.zh) < 3:
            continue
        if (q.zh in p.zh and p.loose) or (p.zh in q.zh and q.loose):
            continue  # titles and quoted names are translated freely
        if (p.zh in q.zh and q.evidence["cooc"] < p.evidence["cooc"]
                and p.evidence["cooc"] >= RELIABLE and p.evidence["dice"] >= CONSISTENT):
            continue  # a longer string seen less often (the term and a word after
            # it, a title holding it) does not overrule a pair the documents make
            # consistently
        if q.zh in p.zh and len(q.zh) >= 3:
            outer, inner, zh_in, zh_out = mine, en_classes[q.en].keys, q.zh, p.zh
        elif p.zh in q.zh and len(p.zh) >= 3:
            outer, inner, zh_in, zh_out = en_classes[q.en].keys, mine, p.zh, q.zh
        else:
            continue
        if not any(_contains(o, i) or _initials_in(o, i) for o in outer for i in inner) and not (
                other_sense is not None and other_sense(zh_in, zh_out, inner, outer)):
            return False
    return True


def _initials_in(outer: str, inner: str) -> bool:
    """Whether ``outer`` is an acronym whose letters hold, in order, the initials
    of ``inner``'s content words (the K of "Kosovo" in a mission's acronym
    ending in K): an acronym says the words of its name by their initials."""
    if not english.is_acronym(outer):
        return False
    letters = "".join(c for c in outer if c.isupper()).lower()
    want = [w[0].lower() for w in inner.split(" ") if w.lower() not in english.STOP_WORDS]
    at = 0
    for ch in want:
        at = letters.find(ch, at) + 1
        if not at:
            return False
    return bool(want)


def _free_counts(items: list[tuple[str, list[str]]], entries: dict[str, _Entry],
                 containers: list[tuple[str, list[str]]] | None = None) -> dict[str, int]:
    """Occurrences of each linked class outside every longer linked term's occurrences
    (the classes of ``containers``, by default ``items`` themselves).

    An occurrence [start, end) is inside another class's span [s, e) when s < start
    and e >= end, or s <= start and e > end. Per segment the spans are sorted by
    start, and each prefix keeps its two largest ends of distinct classes, so a
    lookup is a bisection: a memory unit holding a whole document (thousands of
    occurrences in one segment) is not quadratic.
    """
    spans: dict[int, list[tuple[int, int, str]]] = defaultdict(list)
    for rep, keys in (items if containers is None else containers):
        for k in keys:
            for o in entries[k].occs:
                spans[o.seg].append((o.start, o.end, rep))
    index: dict[int, tuple[list[int], list[tuple[int, str, int]]]] = {}
    for seg, found in spans.items():
        found.sort()
        starts, best = [], []
        top: tuple[int, str, int] = (-1, "", -1)  # largest end, its class, the next
        for s, e, other in found:               # largest end of another class
            end1, rep1, end2 = top
            if other == rep1:
                top = (max(end1, e), rep1, end2)
            elif e > end1:
                top = (e, other, end1)
            else:
                top = (end1, rep1, max(end2, e))
            starts.append(s)
            best.append(top)
        index[seg] = (starts, best)

    def widest_other_end(seg: int, upto: int, rep: str) -> int:
        if upto == 0:
            return -1
        end1, rep1, end2 = index[seg][1][upto - 1]
        return end1 if rep1 != rep else end2

    free: dict[str, int] = {}
    for rep, keys in items:
        n = 0
        for k in keys:
            for o in entries[k].occs:
                if o.seg not in index:
                    n += 1  # no container in this segment
                    continue
                starts = index[o.seg][0]
                inside = (widest_other_end(o.seg, bisect_left(starts, o.start), rep) >= o.end
                          or widest_other_end(o.seg, bisect_right(starts, o.start), rep)
                          > o.end)
                n += not inside
        free[rep] = n
    return free
