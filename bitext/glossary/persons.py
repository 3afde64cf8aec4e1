"""Foreign personal names as concepts: a dotted Chinese name and its Latin spelling.

Chinese writes a foreign person's name as syllables that render its sounds,
its parts joined by a middle dot (X·Y·Z). The dot is a boundary to the
segmenter, so the statistical extractor never sees the whole name, and a name
is usually said once or twice in a document, too rarely for association. Yet
one aligned segment is proof enough when its structure agrees: the English side
holds a run of capitalised words with as many words as the Chinese name has
parts, and every part sounds like its word (:func:`sounds_alike`, the pinyin
initials of CC-CEDICT's readings against the English consonants in order). As
with numbered resolutions (:mod:`.symbols`), no statistics are needed, but a
segment where two English runs would fit, or one run two Chinese names, gives
nothing: the structure must single the pair out.
"""

from __future__ import annotations

import functools
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import regex

from bitext.glossary import chinese, english
from bitext.glossary.cedict import Dictionary, load_dictionary
from bitext.glossary.model import Concept
from bitext.glossary.symbols import Seen, paired_concepts
from bitext.languages.zh import TRANSLITERATED_INITIALS

# the middle dots that join the parts of a transliterated name (U+00B7, the
# Japanese U+30FB, U+2027 and the bullet U+2022 that some fonts put in its place)
DOTS = "\u00b7\u30fb\u2027\u2022"
_HAN = regex.compile(r"^\p{Han}+$")
# a word of a Latin name: letters, inner apostrophes and hyphens (al-Farisiya, O'Dunleavy)
_LATIN = regex.compile(r"\p{L}[\p{L}\p{M}'\u2019]*(?:-\p{L}[\p{L}\p{M}'\u2019]*)*")
# pinyin initials, two letters first (zh before z)
_INITIALS = ("zh", "ch", "sh", "b", "p", "m", "f", "d", "t", "n", "l", "g", "k", "h",
             "j", "q", "x", "r", "z", "c", "s", "y", "w")
# Latin digraphs read as one consonant, and the letters they may stand for
_DIGRAPHS = {"th": "ts", "ph": "f", "kh": "kh", "ch": "cks", "sh": "s", "zh": "jz",
             "dj": "dj", "gh": "g"}
_VOWELS = frozenset("aeiouy")


@dataclass(frozen=True)
class _Found:
    zh: str
    en: str


def person_concepts(zh_texts: Sequence[str], en_texts: Sequence[str], labels: Sequence[str],
                    src_lang: str, tgt_lang: str,
                    dictionary: Dictionary | None = None) -> list[Concept]:
    """One concept per dotted Chinese name paired with its English spelling.

    Texts are the Chinese and English sides of aligned segments (same length);
    concepts as :func:`.symbols.paired_concepts` makes them (kind "name").
    """
    dictionary = dictionary or load_dictionary()
    seen: dict[str, Seen] = defaultdict(lambda: Seen(Counter(), Counter(), []))
    for i, (zh, en) in enumerate(zip(zh_texts, en_texts, strict=True)):
        if not any(d in zh for d in DOTS):
            continue
        for found in pair_names(zh, en, dictionary):
            # one name however its dots are written
            s = seen["".join(ch for ch in found.zh if ch not in DOTS)]
            s.zh[found.zh] += 1
            s.en[found.en] += 1
            s.segs.append(i)
    return paired_concepts(seen.values(), zh_texts, en_texts, labels, src_lang, tgt_lang,
                           "name", (("transliteration", 1.0),))


@dataclass(frozen=True)
class _Dotted:
    """A dotted name in its Han context: the characters before its first dot
    (``left``, the first part is a tail of them), its middle parts, and the
    characters after its last dot (``right``, the last part opens them)."""

    left: str
    middle: tuple[str, ...]
    right: str
    left_cuts: tuple[int, ...]   # where in ``left`` a first part may start
    right_cuts: tuple[int, ...]  # where in ``right`` a last part may end
    dots: tuple[str, ...]        # the dots as written


_DOTTED = regex.compile(rf"(\p{{Han}}+)((?:[{DOTS}]\p{{Han}}+)+)")


def dotted_names(zh: str, dictionary: Dictionary) -> list[_Dotted]:
    """The dotted names of a Chinese text (…马尔科·泰拉尼…), each in its Han context.

    Which characters before the first dot and after the last one belong to the
    name is left to the English (:func:`pair_names`): a part starts and ends on
    the segmenter's word boundaries, and holds no word of two characters or
    more that CC-CEDICT knows other than as a name (部长, 先生, 说明) and no
    function word (与, 的): those are the text around the name."""
    out = []
    for m in _DOTTED.finditer(zh):
        bounds: set[int] = set()
        common: list[tuple[int, int]] = []
        for word, _tag, at in chinese.segment(m.group(0)):
            bounds.update((m.start() + at, m.start() + at + len(word)))
            # (not by its tag: the segmenter tags a syllable of an unknown name as
            # anything, a pronoun, a numeral, a symbol)
            if not dictionary.is_name(word) and (
                    (len(word) >= 2 and word in dictionary) or word in chinese.CONJUNCTIONS
                    or word in chinese.FUNCTION_WORDS or not _HAN.match(word)):
                common.append((m.start() + at, m.start() + at + len(word)))
        # the Han runs between the dots, with their offsets in the text
        runs: list[tuple[int, int]] = []
        at = m.start()
        for piece in regex.split(f"[{DOTS}]", m.group(0)):
            runs.append((at, at + len(piece)))
            at += len(piece) + 1
        dots = [zh[e] for _, e in runs[:-1]]
        first = 0
        for k in range(1, len(runs)):
            s, e = runs[k]
            # a run holding a common word ends one name and opens the next
            # (…A·B先生与C·D…: B先生与C); the last run ends the last name
            if k < len(runs) - 1 and not any(s < ce and cs < e for cs, ce in common):
                continue
            ls, le = runs[first]
            left_cuts = tuple(c - ls for c in sorted(bounds) if ls <= c < le
                              and not any(cs < le and ce > c for cs, ce in common))
            right_cuts = tuple(c - s for c in sorted(bounds) if s < c <= e
                               and not any(cs < c and ce > s for cs, ce in common))
            out.append(_Dotted(zh[ls:le], tuple(zh[a:b] for a, b in runs[first + 1:k]),
                               zh[s:e], left_cuts, right_cuts, tuple(dots[first:k])))
            first = k
    return out


def pair_names(zh: str, en: str, dictionary: Dictionary) -> list[_Found]:
    """The dotted names of one Chinese segment paired with the English words that
    spell them: for each, the only run of as many capitalised words as the name
    has parts, whose every word sounds like its part; the first and last parts
    are the longest that do. A name with no such run, or several, is left out,
    and so is a run two names would take."""
    names = dotted_names(zh, dictionary)
    if not names:
        return []
    windows = _name_windows(en)
    fits: list[dict[str, str]] = []
    for name in names:
        k = len(name.middle) + 2
        found: dict[str, str] = {}
        for words, text in windows:
            if len(words) != k or not all(
                    sounds_alike(p, w, dictionary)
                    for p, w in zip(name.middle, words[1:-1], strict=True)):
                continue
            first = next((name.left[c:] for c in name.left_cuts
                          if sounds_alike(name.left[c:], words[0], dictionary)), None)
            last = next((name.right[:c] for c in reversed(name.right_cuts)
                         if sounds_alike(name.right[:c], words[-1], dictionary)), None)
            if first is not None and last is not None:
                parts = (first, *name.middle, last)
                found[text] = "".join(p + d for p, d in zip(parts, (*name.dots, ""),
                                                             strict=True))
        fits.append(found)
    taken = Counter(text for found in fits for text in found)
    return [_Found(next(iter(found.values())), text) for found in fits if len(found) == 1
            for text in found if taken[text] == 1]


def _name_windows(en: str) -> list[tuple[list[str], str]]:
    """Every tail of a run of name words in ``en``, with its text: capitalised
    words, and lower-case particles of up to three letters between two of them
    (bin, van; never a function word such as "and"), the run read both with and
    without its particles."""
    words = [(m.group(0), m.start(), m.end()) for m in _LATIN.finditer(en)]
    runs: list[list[tuple[str, int, int]]] = []
    run: list[tuple[str, int, int]] = []
    for n, (word, start, end) in enumerate(words):
        joined = bool(run) and en[run[-1][2]:start] == " "
        if _name_word(word):
            if not joined:
                if run:
                    runs.append(run)
                run = []
            run.append((word, start, end))
            continue
        nxt = words[n + 1] if n + 1 < len(words) else None
        if (joined and word.islower() and len(word) <= 3 and word.isalpha()
                and word not in english.STOP_WORDS and nxt is not None
                and _name_word(nxt[0]) and en[end:nxt[1]] == " "):
            run.append((word, start, end))
            continue
        if run:
            runs.append(run)
        run = []
    if run:
        runs.append(run)
    # a lower-case word between two names may as well be a short verb ("A B met
    # C D"): the run is also read as split there
    for run in list(runs):
        pieces: list[list[tuple[str, int, int]]] = [[]]
        for w in run:
            if _name_word(w[0]):
                pieces[-1].append(w)
            else:
                pieces.append([])
        if len(pieces) > 1:
            runs.extend(piece for piece in pieces if piece)
    out = []
    for run in runs:
        for i in range(len(run)):
            # a name ends its run, which it may open with a title ("Prime Minister
            # A B"); a window ending earlier is a cut-off name ("A B" of "A B C")
            part = run[i:]
            if _name_word(part[0][0]):
                out.append(([w for w, _, _ in part], en[part[0][1]:part[-1][2]]))
    return out


def _name_word(word: str) -> bool:
    """A capitalised word, or one whose last hyphenated piece is (al-Farisiya)."""
    return word[:1].isupper() or (word.rpartition("-")[2][:1].isupper())


def foreign(tokens: Sequence[str], dictionary: Dictionary) -> bool:
    """Whether a Chinese term's words hold no word of two characters or more that
    CC-CEDICT knows other than as a proper name: a name it lacks, which the
    segmenter left in syllables (single characters, each some word of its own)."""
    return not any(len(t) >= 2 and t in dictionary and not dictionary.is_name(t)
                   for t in tokens)


def transliterates(term: str, word: str, dictionary: Dictionary) -> bool:
    """Whether a Chinese term of two characters or more may be the transliteration
    of one capitalised Latin name ``word`` (a place, a person named without a
    dot): the term sounds like the word (:func:`sounds_alike`). Asked only of a
    :func:`foreign` term: otherwise its words' glosses speak."""
    return (len(term) >= 2 and bool(_HAN.match(term)) and word[:1].isupper()
            and " " not in word and sounds_alike(term, word, dictionary))


def name_and_class(tokens: Sequence[str], surface: str, dictionary: Dictionary
                   ) -> tuple[str, tuple[str, ...], list[str]] | None:
    """A Chinese term that transliterates the capitalised first word of an English
    name and adds words of its class after it (a county, a people, a company, a
    station: "Xyla County" for the sounds of Xyla + 州): the transliterated part,
    the Chinese words after it and the English words after the name; None when
    the term is not so made. The part is the longest opening run of words that
    is :func:`foreign` and :func:`transliterates` the name; every word after it
    is one CC-CEDICT knows other than as a proper name (a class word). A word it
    glosses mostly as a verb is one only when the English capitalises every
    word after the name, a name's head ("Xyla Arrangement"); otherwise it is the
    sentence's predicate run on ("Xyla stops"). The English is a capitalised
    word that is no acronym and one word or more after it, none of them a
    function word (a preposition runs on into the sentence)."""
    words = surface.split()
    if (len(words) < 2 or not words[0][:1].isupper() or english.is_acronym(words[0])
            or any(w.lower() in english.STOP_WORDS for w in words[1:])):
        return None
    capitalised = all(w[:1].isupper() for w in words[1:])
    for k in range(len(tokens) - 1, 0, -1):
        part, rest = tokens[:k], tuple(tokens[k:])
        if not all(t in dictionary and not dictionary.is_name(t)
                   and (capitalised or not dictionary.is_verbal(t)) for t in rest):
            continue
        if foreign(part, dictionary) and transliterates("".join(part), words[0], dictionary):
            return "".join(part), rest, words[1:]
    return None


def sounds_alike(part: str, word: str, dictionary: Dictionary) -> bool:
    """Whether the Chinese characters ``part`` may transliterate the Latin ``word``:
    the first syllable's initial may begin the word (see
    :data:`bitext.languages.zh.TRANSLITERATED_INITIALS`), and the initial of every
    later syllable finds an English consonant it may stand for, in order.

    Each character's readings come from CC-CEDICT; a character the dictionary
    lacks, or a word without letters, gives False.
    """
    consonants = _consonants(word)
    # every foreign consonant gets a syllable of its own but one that closes a
    # syllable (n, r), so a part has at least a character for every two of the
    # word's consonants: fewer is a part cut off (泰 for "Terrani")
    if not consonants or 2 * len(part) < sum(not vowel for _, vowel in consonants):
        return False
    pos = 0
    for n, ch in enumerate(part):
        readings = dictionary.syllables(ch)
        if not readings:
            return False
        initials = {_initial(r) for r in readings}
        if n == 0:
            # the word's first sound: a consonant the first syllable may render,
            # or a vowel, which only a syllable with no initial or a semi-vowel
            # (y, w) renders
            head, first_vowel = consonants[0]
            if first_vowel:
                if not initials & {"", "y", "w"}:
                    return False
            elif not any(head & set(_opening(r)) for r in readings):
                return False
            else:
                pos = 1
            continue
        if initials <= {"", "y", "w"}:
            continue  # a vowel: nothing to find among the consonants
        allowed = set().union(*(set(TRANSLITERATED_INITIALS[i]) for i in initials if i))
        while pos < len(consonants) and (consonants[pos][1] or not consonants[pos][0] & allowed):
            pos += 1
        if pos == len(consonants):
            return False
        pos += 1
    # the transliteration renders the whole word: at most its last consonant
    # may go unsaid (a syllable's final n or r); more left is a part cut off
    # (卡萨 for "Casanova")
    return sum(not vowel for _, vowel in consonants[pos:]) <= 1


# (pure functions of a syllable or a word, asked for every pair of a foreign-
# looking Chinese term and a capitalised English name a report proposes: kept,
# bounded as languages.terms.is_acronym's cache)
@functools.lru_cache(maxsize=65_536)
def _initial(syllable: str) -> str:
    """The pinyin initial of a toneless syllable ("" for none: an, er)."""
    return next((i for i in _INITIALS if syllable.startswith(i) and syllable != i), "")


@functools.lru_cache(maxsize=65_536)
def _opening(syllable: str) -> str:
    """The first letters a foreign name rendered by this syllable may begin with
    (:data:`~bitext.languages.zh.TRANSLITERATED_INITIALS`; a syllable without an
    initial that ends in n also renders an n: 恩 for N)."""
    initial = _initial(syllable)
    letters = TRANSLITERATED_INITIALS[initial]
    if not initial and syllable.endswith(("n", "ng")):
        letters += "n"
    return letters


@functools.lru_cache(maxsize=65_536)
def _consonants(word: str) -> tuple[tuple[frozenset[str], bool], ...]:
    """The sounds of a Latin word in order: each consonant (a digraph as one) as the
    letters it may stand for, and a vowel-initial marker first when the word opens
    with a vowel. Accents are dropped (Ruçkova: r, c, k, v)."""
    folded = "".join(c for c in unicodedata.normalize("NFKD", word.rpartition("-")[2])
                     if not unicodedata.combining(c)).lower()
    folded = "".join(c for c in folded if c.isalpha())
    out: list[tuple[frozenset[str], bool]] = []
    if folded[:1] in _VOWELS and folded[:1] != "y":
        out.append((frozenset(), True))
    i = 0
    while i < len(folded):
        pair = folded[i:i + 2]
        if pair in _DIGRAPHS:
            out.append((frozenset(_DIGRAPHS[pair]), False))
            i += 2
            continue
        c = folded[i]
        if (c not in _VOWELS or (c == "y" and i == 0)) and c != folded[i - 1:i]:
            out.append((frozenset(c), False))  # a doubled letter is one sound
        i += 1
    return tuple(out)
