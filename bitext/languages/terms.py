"""Term candidates of a spaced language, from what its module in this package says.

A candidate is a run of words inside one clause (punctuation and numbers end
it) that starts and ends with a content word; between them only the
language's :attr:`~bitext.languages.base.Language.term_joiners` may stand
("Comité de rédaction", "droits de l'homme", "Комитет по правам человека").
Its *key* is the run's content words, each reduced to its Snowball stem
(:attr:`~bitext.languages.base.Language.stemmer`), so the inflected and the
plural forms of a term count as one ("права человека", "правам человека"); the
written forms are kept as the term's variants. Words written in capitals only
(acronyms: ``ONU``, ``ООН``) keep their letters as key.

Nothing here names a word of any language: the words come from the language's
module.
"""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import regex

from bitext.errors import MissingDependencyError
from bitext.languages import get_language
from bitext.languages.base import Language

MAX_CONTENT = 6   # content words in a candidate: longer runs are clauses, not terms
MAX_TOKENS = 12   # words in a candidate, joiners included (UN body names reach 10)
MAX_JOINERS = 2   # joiners in a row ("de la", "de l'"): a third starts a new phrase
# Letters an inflection key keeps at least (:func:`word_key`): Arabic roots have
# three, and a shorter stem would take the ending of a short word that does not
# inflect for one (Spanish "mes", French "gaz").
MIN_STEM = 3

_TOKEN = regex.compile(
    # a web or mail address or a file name (letters on both sides of a dot with no
    # space: prose puts a space after its full stop) is one token and no term
    r"(?P<address>\S*\p{L}{2}\.\p{L}{2}\S*)"
    r"|(?P<word>\p{L}[\p{L}\p{M}\p{N}]*(?:[-'\u2019\u2010\u2011][\p{L}\p{M}\p{N}]+)*)"
    r"|(?P<num>\p{N}+(?:[.,/:-]\p{N}+)*)"
    r"|(?P<punct>[^\s\p{L}\p{N}])"
)
_APOSTROPHE = regex.compile(r"['\u2019]")
_HYPHEN = regex.compile(r"[-\u2010\u2011]")


@dataclass(frozen=True)
class Token:
    """One token: ``kind`` is ``word``, ``num`` or ``punct``; offsets in characters."""

    text: str
    kind: str
    start: int
    end: int


@dataclass(frozen=True)
class TermCandidate:
    """One occurrence of a candidate term in a text (offsets in characters)."""

    key: str
    surface: str
    start: int
    end: int
    n_words: int    # content words
    kind: str       # "phrase", "name" (capitalised words) or "acronym"


def tokenize(text: str, lang: Language) -> list[Token]:
    """Words, numbers and punctuation; elided words (``l'``, ``d'``) split off."""
    out: list[Token] = []
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup or "punct"
        word = m.group()
        if kind == "word" and lang.elisions:
            parts = _APOSTROPHE.split(word, maxsplit=1)
            if len(parts) == 2 and parts[0].lower() in lang.elisions and parts[1]:
                cut = m.start() + len(parts[0]) + 1
                out.append(Token(parts[0], "word", m.start(), cut))
                out.append(Token(parts[1], "word", cut, m.end()))
                continue
        out.append(Token(word, kind, m.start(), m.end()))
    return out


_ACRONYM = regex.compile(r"^(?:\p{Lu}[\p{Lu}\p{N}&.-]*\p{Lu}|\p{Lu}{2,})s?$")


@functools.lru_cache(maxsize=65536)
def is_acronym(word: str) -> bool:
    """All capitals, at least two letters (``ONU``, ``ООН``, ``UNXO``; a plural
    ``UNXOs`` too), in every language's keys and the English glossary's. Kept
    per word: the glossary asks its words again at every step (a report's
    build: 48,783 questions, 2,564 words)."""
    return bool(_ACRONYM.match(word)) and sum(c.isupper() for c in word) >= 2


def acronym_key(word: str) -> str:
    """An acronym's key: as written, without a plural ``s`` (``UNXOs`` -> ``UNXO``)."""
    return word[:-1] if word.endswith("s") and word[:-1].isupper() else word


@functools.cache
def _stem_function(algorithm: str) -> Callable[[str], str]:
    try:
        import snowballstemmer
    except ImportError as err:  # pragma: no cover - a declared dependency
        raise MissingDependencyError("snowballstemmer", package="snowballstemmer") from err
    stemmer = snowballstemmer.stemmer(algorithm)
    return functools.lru_cache(maxsize=1 << 16)(stemmer.stemWord)


def _fold(text: str) -> str:
    """``text`` without its accents and other combining marks (Arabic short
    vowels, and the hamza or madda on an alif: the alif's three written forms
    are one) and without the Arabic tatweel."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).replace("\u0640", "")


@functools.cache
def _inflection_function(code: str) -> Callable[[str], str]:
    """The word -> key function of a language's :attr:`~Language.clitics` and
    :attr:`~Language.inflections` (see there)."""
    lang = get_language(code)
    prefixes = sorted({_fold(p) for p in lang.clitics}, key=len, reverse=True)
    stages = [sorted({(_fold(a), _fold(b)) for a, b in stage}, key=lambda r: -len(r[0]))
              for stage in lang.inflections]

    @functools.lru_cache(maxsize=1 << 16)
    def reduce(low: str) -> str:
        word = _fold(low)
        for prefix in prefixes:
            if word.startswith(prefix) and len(word) - len(prefix) >= MIN_STEM:
                word = word[len(prefix):]
                break
        for stage in stages:
            for suffix, replacement in stage:
                if word.endswith(suffix) and len(word) - len(suffix) >= MIN_STEM:
                    word = word[:len(word) - len(suffix)] + replacement
                    break
        return word
    return reduce


def word_key(word: str, lang: Language) -> str:
    """The counting form of one word: an acronym as written, else its lower-case
    inflection key (:attr:`~Language.inflections`) or stem, of each part of a
    compound where the language declines them all
    (:attr:`~Language.compound_parts_decline`)."""
    if is_acronym(word):
        return acronym_key(word)
    low = word.lower().replace("\u2019", "'")
    if lang.compound_parts_decline and _HYPHEN.search(low):
        # the whole word's stem reaches only the last part
        return "-".join(_part_key(part, lang) for part in _HYPHEN.split(low))
    return _part_key(low, lang)


def _part_key(low: str, lang: Language) -> str:
    if lang.inflections or lang.clitics:
        return _inflection_function(lang.code)(low)
    if not lang.stemmer:
        return low
    stem = _stem_function(lang.stemmer)(low)
    for vowel, endings in lang.stem_vowel_endings:
        # the stem keeps the vowel before these endings, loses it before others
        if (stem.endswith(vowel) and low.startswith(stem) and low[len(stem):] in endings
                and len(stem) - len(vowel) >= MIN_STEM):
            return stem[:len(stem) - len(vowel)]
    return stem


def citation_order(forms: list[str], code: str) -> list[str]:
    """The written forms of one key (most frequent first) with the form nearest
    the language's citation form first (:func:`citation_rank`); among forms as
    near, first the one the most frequent form is without a clitic, then as
    given. A form is never made, only chosen."""
    lang = get_language(code)
    if len(forms) < 2 or not (lang.citation_endings or lang.citation_clitics):
        return list(forms)
    split = [_citation_words(f, lang) for f in forms]
    top = split[0]

    # the most frequent form's first word without its clitic, with the article
    # or without (the shortest of the language's clitics: a preposition on the
    # article, "ل" + "ال", is written "لل", so the rest lost the article's alif)
    bare: set[str] = set()
    if lang.citation_clitics and top:
        first = _fold(top[0])
        clitic = next((p for p in _folded(lang.citation_clitics)
                       if first.startswith(p) and len(first) - len(p) >= MIN_STEM), "")
        if clitic:
            rest = first[len(clitic):]
            # the article: the clitic the others end with (a conjunction or a
            # preposition written on it), not the one that order leaves
            clitics = _folded(lang.clitics)
            article = max(clitics, key=lambda c: (sum(o.endswith(c) for o in clitics), c),
                          default="")
            bare = {rest, article + rest}

    def inside(words: list[str]) -> bool:
        return words == top or (len(words) == len(top) and bool(words)
                                and words[1:] == top[1:] and _fold(words[0]) in bare)

    ranks = [(citation_rank(f, code, split), not inside(w), n)
             for n, (f, w) in enumerate(zip(forms, split, strict=True))]
    return [forms[r[2]] for r in sorted(ranks)]


def _citation_words(surface: str, lang: Language) -> list[str]:
    return [t.text.lower() for t in tokenize(surface, lang)
            if t.kind == "word" and not is_acronym(t.text)]


def citation_rank(surface: str, code: str, others: list[list[str]] | None = None) -> int:
    """How far a written form of a term is from its citation form, by the
    language's :attr:`~bitext.languages.base.Language.citation_endings` and
    :attr:`~bitext.languages.base.Language.citation_clitics`: 0 where the
    language declares neither; compared among the forms of one key only,
    ``others`` (their words, :func:`citation_order`) telling a word with no
    ending (:attr:`~bitext.languages.base.Language.zero_ending_cases`)."""
    lang = get_language(code)
    if not (lang.citation_endings or lang.citation_clitics):
        return 0
    rank = 0
    words = _citation_words(surface, lang)
    if words and lang.citation_clitics:
        first = _fold(words[0])
        rank += any(first.startswith(p) and len(first) - len(p) >= MIN_STEM
                    for p in _folded(lang.citation_clitics))
    for i, word in enumerate(words):
        along = [o[i] for o in others or () if len(o) == len(words)]
        if lang.compound_parts_decline and _HYPHEN.search(word):
            parts = _HYPHEN.split(word)
            rank += sum(_ending_tier(part, lang, [_HYPHEN.split(o)[k] for o in along
                                                  if len(_HYPHEN.split(o)) == len(parts)])
                        for k, part in enumerate(parts))
        else:
            rank += _ending_tier(word, lang, along)
    return rank


@functools.cache
def _folded(prefixes: tuple[str, ...]) -> tuple[str, ...]:
    """Folded, longest first, in one order whatever the hash seed."""
    return tuple(sorted({_fold(p) for p in prefixes}, key=lambda p: (-len(p), p)))


def _ending(low: str, lang: Language) -> str:
    """The letters of a word after its counting key's stem, a particle left out."""
    for particle in lang.citation_particles:
        if low.endswith(particle) and len(low) - len(particle) >= MIN_STEM:
            low = low[:len(low) - len(particle)]
            break
    stem = _part_key(low, lang)
    return low[len(stem):] if low.startswith(stem) else low


def _ending_tier(low: str, lang: Language, along: Sequence[str] = ()) -> int:
    """The tier of ``low``'s ending (:attr:`~Language.citation_endings`); ``along``:
    the same word in the key's other forms."""
    if not lang.citation_endings:
        return 0
    ending = _ending(low, lang)
    if not ending and along:
        written = {_ending(o, lang) for o in along}
        citation, oblique = lang.zero_ending_cases
        if written & set(oblique):
            return len(lang.citation_endings) - 1
        if written & set(citation):
            return 0
    best, tier = -1, 0
    for n, endings in enumerate(lang.citation_endings):
        for e in endings:
            if ending.endswith(e) and len(e) > best:
                best, tier = len(e), n
    return tier


def term_key(words: list[str] | tuple[str, ...], lang: Language,
             named: frozenset[int] = frozenset()) -> str:
    """The key of a run of words: its content words' keys, joiners left out
    (but the words at positions ``named``: function words that are a name's
    words, :func:`_name_words`)."""
    function = _function(lang.code) - lang.term_negations
    return " ".join(word_key(w, lang) for i, w in enumerate(words)
                    if i in named or w.lower() not in function)


@functools.cache
def _function(code: str) -> frozenset[str]:
    lang = get_language(code)
    return lang.term_stopwords | lang.term_joiners


def candidates(text: str, code: str) -> list[TermCandidate]:
    """Every candidate occurrence in one text of language ``code`` (a sentence or segment)."""
    lang = get_language(code)
    if not in_own_script(text, lang):
        return []  # a line left untranslated (a made-up Arabic segment in English)
    function = _function(lang.code)
    tokens = tokenize(text, lang)
    out: list[TermCandidate] = []
    run: list[Token] = []
    for tok in [*tokens, Token("", "punct", len(text), len(text))]:
        if tok.kind == "word":
            run.append(tok)
            continue
        out.extend(_run_candidates(text, run, lang, function))
        run = []
    return out


def _run_candidates(text: str, run: list[Token], lang: Language, function: frozenset[str]
                    ) -> list[TermCandidate]:
    lows = [t.text.lower() for t in run]
    # a word spelt like a function word but written in capitals is an acronym
    is_fn = [low in function and not is_acronym(t.text) for low, t in zip(lows, run, strict=True)]
    named = _name_words(run, lows, is_fn, lang) if lang.cased else set()
    for k in named:
        is_fn[k] = False
    out: list[TermCandidate] = []
    n = len(run)
    for i in range(n):
        if is_fn[i] or len(run[i].text) < 2:
            continue
        content, joined, cap = 0, 0, True
        for j in range(i, min(n, i + MAX_TOKENS)):
            if is_fn[j]:
                if lows[j] not in lang.term_joiners:
                    break
                if lows[j] in lang.term_articles and not is_fn[j - 1]:
                    break  # an article after a content word: a verb's object
                joined += 1
                if joined > MAX_JOINERS:
                    break
                continue
            joined = 0
            content += 1
            if content > MAX_CONTENT:
                break
            cap = cap and run[j].text[:1].isupper()
            if len(run[j].text) < 2 and j > i:
                continue  # a single letter ends no term (an initial, a list item)
            words = [t.text for t in run[i:j + 1]]
            acronym = j == i and is_acronym(run[i].text)
            kind = "acronym" if acronym else ("name" if cap and lang.cased and content > 1
                                              else "phrase")
            inside = frozenset(k - i for k in named if i <= k <= j)
            out.append(TermCandidate(term_key(words, lang, inside),
                                     text[run[i].start:run[j].end],
                                     run[i].start, run[j].end, content, kind))
    return out


def in_own_script(text: str, lang: Language) -> bool:
    """Whether ``text`` may be of ``lang`` by its letters: at least the language's
    :attr:`~bitext.languages.base.Language.min_script_share` of them in its script
    (the share by which :func:`bitext.languages.detect` claims a text for it);
    a language written in Latin letters, or a text without letters, passes."""
    if lang.script == "Latin" or lang.min_script_share <= 0:
        return True
    letters = _LETTER.findall(text)
    if not letters:
        return True
    own = len(_script_pattern(lang.script).findall(text))
    return own >= lang.min_script_share * len(letters)


_LETTER = regex.compile(r"\p{L}")


@functools.cache
def _script_pattern(script: str) -> regex.Pattern[str]:
    return regex.compile(rf"(?=\p{{L}})\p{{Script={script}}}")


def _name_words(run: list[Token], lows: list[str], is_fn: list[bool], lang: Language
                ) -> set[int]:
    """Positions of function words that are a name's words: written with a capital
    after a capitalised content word of the run, with only joiners between (a
    made-up French "Lampes de l'Est": "est" is a verb, "Est" the east). At the
    start of a run a capital is the sentence's or a title's, not a name's."""
    out: set[int] = set()
    for k in range(1, len(run)):
        if not is_fn[k] or not run[k].text[:1].isupper():
            continue
        j = k - 1
        while j >= 0 and is_fn[j] and lows[j] in lang.term_joiners:
            j -= 1
        if j >= 0 and not is_fn[j] and run[j].text[:1].isupper():
            out.add(k)
    return out


@functools.cache
def _latin_table(code: str) -> dict[str, str]:
    return dict(get_language(code).latin)


def latin_form(text: str, code: str) -> str:
    """``text`` in lower-case Latin letters without accents, for comparing names
    and loan words across scripts (Russian through its module's table)."""
    table = _latin_table(get_language(code).code)
    low = text.lower()
    if table:
        low = "".join(table.get(c, c) for c in low)
    decomposed = unicodedata.normalize("NFKD", low)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


# Letters of a Latin spelling that a script writing long vowels only leaves
# unwritten or writes as a vowel's seat: the vowels, w and y (و and ي are long
# vowels as often as consonants) and h (the second letter of the table's th, sh,
# kh, gh, dh, and a silent letter of Latin spellings).
_UNWRITTEN = frozenset("aeiouwyh")


def consonant_skeleton(latin: str, code: str) -> str:
    """A Latin spelling reduced to what a language whose script writes long
    vowels only (:attr:`~bitext.languages.base.Language.vowels_written` False)
    always writes: its consonants, the letters that script merges made one
    (:attr:`~bitext.languages.base.Language.latin_merges`), a doubled letter
    once (the script does not write gemination). Made-up "brevania" and the
    Latin form of "بريفانيا" are both "brfn". Other languages: ``latin`` itself."""
    lang = get_language(code)
    if lang.vowels_written:
        return latin
    merges = dict(lang.latin_merges)
    out: list[str] = []
    for c in latin:
        c = merges.get(c, c)
        if c in _UNWRITTEN or not c.isalpha():
            continue
        if not out or out[-1] != c:
            out.append(c)
    return "".join(out)


@functools.cache
def joined_prefixes(code: str) -> tuple[str, ...]:
    """What :func:`conjunction_keys` may leave out at the start of a key word:
    the language's joined conjunctions and prepositions, and a conjunction with
    a preposition (:attr:`~bitext.languages.base.Language.joined_conjunctions`,
    :attr:`~bitext.languages.base.Language.joined_prepositions`), as written."""
    lang = get_language(code)
    conj, prep = lang.joined_conjunctions, lang.joined_prepositions
    return (*conj, *prep, *(c + p for c in conj for p in prep))


def conjunction_keys(texts: Iterable[str], code: str) -> Callable[[str], str]:
    """A term key -> key function that leaves out a joined conjunction or
    preposition, or a conjunction and a preposition
    (:attr:`~bitext.languages.base.Language.joined_conjunctions`,
    :attr:`~bitext.languages.base.Language.joined_prepositions`) at the start of
    a key word where ``texts`` (the corpus of that language) hold the rest as a
    word's key at least as often as the whole word: made-up Arabic "وكتب" and
    "كتب" count as one where "كتب" is the more frequent, while a word that only
    begins with the letter keeps it (the rest is rarer, or shorter than
    :data:`MIN_STEM`). Without joined conjunctions or prepositions: the key itself."""
    lang = get_language(code)
    # longest first: a conjunction with a preposition before either alone
    prefixes = sorted({_fold(p) for p in joined_prefixes(code)}, key=len, reverse=True)
    if not prefixes:
        return lambda key: key
    counts: dict[str, int] = {}
    bare: set[str] = set()   # keys written at least once as the word itself
    for text in texts:
        for tok in tokenize(text, lang):
            if tok.kind == "word":
                k = word_key(tok.text, lang)
                counts[k] = counts.get(k, 0) + 1
                # no clitic taken off (an inflection never reaches the first
                # MIN_STEM letters): on a word with the article the prefix is a clitic
                if _fold(tok.text.lower()).startswith(k[:MIN_STEM]):
                    bare.add(k)

    @functools.lru_cache(maxsize=1 << 16)
    def strip(word: str) -> str:
        if word not in bare:
            return word  # only ever written with the article: its letters are the word's
        for p in prefixes:
            rest = word[len(p):]
            if (word.startswith(p) and len(rest) >= MIN_STEM
                    and counts.get(rest, 0) >= counts.get(word, 0)):
                return rest
        return word

    def key(k: str) -> str:
        return " ".join(strip(w) for w in k.split(" "))
    return key


def term_spans(text: str, terms: Iterable[str], code: str) -> list[tuple[int, int]]:
    """Where ``text`` (of language ``code``) holds one of ``terms``, in the sense
    the glossary counts a term's frequency: as character offsets ``(start,
    end)``, in order, none overlapping (a term of more tokens first).

    In a language that spaces its words a run of tokens is the term where each
    word has the term word's counting key (:func:`word_key`: an inflected form,
    the Arabic article with a clitic on it) and each number or sign is the
    term's; the first word may also carry one of the language's
    :func:`joined_prefixes` (a conjunction or preposition written on a word
    without the article). A longer word the term only starts is not it. In a
    language written without spaces, or one this package does not know, the
    term is found as written (ignoring case) anywhere."""
    from bitext.languages import find_language

    wanted = sorted({t for t in terms if t.strip()}, key=len, reverse=True)
    lang = find_language(code)
    ranges: list[tuple[int, int]] = []

    def take(start: int, end: int) -> None:
        if not any(start < b and end > a for a, b in ranges):
            ranges.append((start, end))

    if lang is None or not lang.spaced:
        low = text.lower()
        if len(low) == len(text):  # offsets hold only where lower-casing keeps lengths
            for term in wanted:
                needle, at = term.lower(), low.find(term.lower())
                while at >= 0:
                    take(at, at + len(needle))
                    at = low.find(needle, at + len(needle))
        return sorted(ranges)
    tokens = tokenize(text, lang)
    keys = [_token_key(t, lang) for t in tokens]
    prefixes = sorted({_fold(p) for p in joined_prefixes(lang.code)}, key=len, reverse=True)
    patterns = sorted(([_token_key(t, lang) for t in tokenize(term, lang)] for term in wanted),
                      key=len, reverse=True)
    for pattern in patterns:
        if not pattern:
            continue
        n = len(pattern)
        for i in range(len(tokens) - n + 1):
            if keys[i + 1:i + n] != pattern[1:]:
                continue
            if keys[i] != pattern[0] and not (
                    tokens[i].kind == "word" and any(
                        _fold(tokens[i].text.lower()).startswith(p)
                        and _token_key(Token(tokens[i].text[len(p):], "word", 0, 0), lang)
                        == pattern[0]
                        for p in prefixes if len(tokens[i].text) - len(p) >= MIN_STEM)):
                continue
            take(tokens[i].start, tokens[i + n - 1].end)
    return sorted(ranges)


def _token_key(token: Token, lang: Language) -> str:
    """A word's counting key (:func:`word_key`); a number or sign as written."""
    return word_key(token.text, lang) if token.kind == "word" else token.text.lower()
