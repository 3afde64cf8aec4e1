"""English term candidates: noun phrases, capitalised names and acronyms.

Candidates are word n-grams bounded by punctuation, numbers and function words,
shaped like English noun phrases by a light heuristic (no tagger):

* a candidate neither starts nor ends with a function word;
* inside it, only the prepositions that build compound terms may appear
  ("smuggling *of* migrants", "trafficking *in* persons"); names written in
  capitals may also hold "and", "the", "to", "by" ("United Nations Office *on*
  Drugs *and* Crime", "Conference *of the* Parties");
* it does not start with a base-form verb, nor end with an adverb or a past
  participle (verbs are the English words CC-CEDICT glosses only as "to ...").

Names are runs of capitalised words (a capital that only starts a sentence does
not count unless the document writes the word with a capital elsewhere), may
open with a year ("2030 Agenda for ...") and may hold a list after a
preposition ("Commission on Science, Technology and Innovation"); month and day
names end them. A name
occurrence directly continued by another capitalised word is marked as a
*fragment* of the longer name ("World Health" in "World Health Organization").

An acronym before a capitalised name opens a candidate with it ("UNXO
Regional Office", beside "Regional Office"): linking gives it only to a Chinese
term that says the acronym's owner (``link._State._says_owner``).

Acronyms are found where a text defines them ("long form (ACRONYM)", matched
letter by letter against the words before the parenthesis), with a short name
in parentheses ("International Coastal Patrol Organization (Aquapol)"), and wherever an
all-capitals word occurs.

Candidates are compared through a *key*: lower case (acronyms keep their
capitals), hyphens as spaces, every word singular. The key merges "Regional
Offices" / "regional Office"; :func:`inversion_key` merges "protection of forests" /
"forest protection".
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import regex

from bitext.errors import MissingDependencyError
from bitext.glossary.cedict import Dictionary
from bitext.languages.en import (
    COORDINATION_TAIL,
    COORDINATOR,
    IRREGULAR_PAST,
    NAME_COMPLEMENT,
    NAME_VARIABLE,
    NOUN_POSITION,
    OBJECT_OPENERS,
    PREPOSITION_CLOSERS,
    TITLE_HEADS,
    TITLE_INNER,
)
from bitext.languages.terms import (  # one token type and acronym rule for every language
    Token,
    acronym_key,
    is_acronym,
)


def _words(text: str) -> list[str]:
    return text.split()


# A general English function-word list (determiners, pronouns, auxiliaries,
# prepositions, conjunctions, common adverbs and reporting words).
STOP_WORDS = frozenset(_words("""
a about above across after afterwards again against all almost alone along already also
although always am among amongst an and another any anyhow anyone anything anyway anywhere
are around as at be became because become becomes becoming been before beforehand behind
being below beside besides between beyond both but by can cannot could did do does doing
done down due during each either else elsewhere enough especially etc even ever every
everyone everything everywhere except few first for formerly from further furthermore
had has have having he hence her here hereby herein hers herself him himself his how however
i ie if in inc indeed into is it its itself just last latter latterly least less many may me
meanwhile might mine more moreover most mostly much must my myself namely neither never
nevertheless next no nobody none noone nor not nothing now nowhere of off often on once one
only onto or other others otherwise our ours ourselves out over own particularly per perhaps
rather same several she should since so some somehow someone something sometime sometimes
somewhere still such than that the their theirs them themselves then thence there thereafter
thereby therefore therein thereupon these they this those though through throughout thru thus
to together too toward towards under until up upon us very via was we well were what whatever
when whence whenever where whereafter whereas whereby wherein whereupon wherever whether which
while whither who whoever whole whom whose why will with within without would yet you your
yours yourself yourselves e.g i.e viz namely including includes included include inter alia
said says say noted notes also new various certain particular related relevant respective
following follows given made make makes making take taken taking well including regarding
concerning according pursuant thereto therewith upon already around approximately respectively
shall
despite amid amidst unlike notwithstanding versus whilst unless beneath underneath alongside
excluding
"""))

# Capitalised words that are not name words: "World Health Assembly in January".
CALENDAR_WORDS = frozenset(_words("""
january february march april may june july august september october november december
monday tuesday wednesday thursday friday saturday sunday
"""))

_ARTICLES = frozenset({"a", "an"})
# Prepositions that may join the words of a lower-case compound term.
INNER_LOWER = frozenset({"of", "in", "on", "for", "against"})
# A complex preposition's noun (EnglishExtractor.learn): seen at least BOUND_MIN
# times after a preposition (as candidates.RELIABLE: below, a share is a count of
# one or two) and followed by a closing preposition in at least BOUND_SHARE of
# them (as candidates.CONSISTENT). On the UN dev set the complex prepositions
# are followed so in 14 of 14 to 74 of 74 occurrences; the most often followed
# pair that ends terms is a body's rules "of <noun>" followed by "of <the body>"
# (12 of 17, 0.71).
BOUND_MIN = 3
BOUND_SHARE = 0.8
# Function words that may appear inside a name written in capitals.
INNER_NAME = frozenset({"of", "in", "on", "for", "against", "and", "the", "to", "by", "at",
                        "from", "with", "de", "des", "du", "la", "le", "el", "del", "y", "et"})

MAX_WORDS = 7           # longest lower-case candidate, in words
MAX_NAME_WORDS = 24     # longest capitalised name, in words

_TOKEN = regex.compile(
    r"(?P<word>\p{L}[\p{L}\p{M}\p{N}]*(?:[-'\u2019.&][\p{L}\p{N}]+)*)"
    # an ordinal ("7196th meeting", "21st session") is one number: its suffix is
    # no word that could open a term ("th meeting")
    r"|(?P<num>\p{N}+(?:[.,/:-]\p{N}+)*(?:(?:st|nd|rd|th)(?![\p{L}\p{N}]))?)"
    r"|(?P<punct>[^\s\p{L}\p{N}])"
)
_YEAR = regex.compile(r"^(?:1[89]|20)\d\d$")
_POSSESSIVE = regex.compile(r"(?:['\u2019]s|['\u2019])$")
_IRREGULAR_PLURALS = {"women": "woman", "men": "man", "children": "child", "people": "person",
                      "persons": "person", "feet": "foot", "teeth": "tooth", "mice": "mouse",
                      "criteria": "criterion", "phenomena": "phenomenon"}
# Endings of English adjectives and present participles, which an adverb in -ly
# modifies inside a noun phrase ("mutually exclusive goals", "legally binding
# instruments"), as it does a past participle.
_ADJECTIVE_ENDINGS = ("al", "ble", "ive", "ous", "ful", "ic", "ent", "ant", "ing")

_NO_SINGULAR_ENDINGS = ("ss", "us", "is", "ics", "ous", "news", "series", "species", "as")




#: Texts whose tokens :func:`tokenize` keeps: the glossary tokenizes each English
#: segment three times (the capitals learnt over all segments, then the acronyms
#: and the candidates of each), 0.1 ms a sentence of the bundled report (37
#: tokens), most of it making the tokens; a slice of a large memory (10,000
#: segments) keeps the last two calls' share. About 6.4 kB a text (the report's,
#: tracemalloc): 6.5 MB at most.
TOKENIZED_TEXTS = 1024


def adjective_form(word: str) -> bool:
    """Whether a lower-case word has the ending of an English adjective
    (:data:`_ADJECTIVE_ENDINGS` but a participle's -ing, which a gerund shares,
    and -ment, a noun's): a noun used as a modifier ("health" before "workers")
    also ends noun phrases ("public health"), an adjective does not."""
    return (word.endswith(_ADJECTIVE_ENDINGS) and not word.endswith(("ing", "ment"))
            and len(word) > 4)


def adjective_only(word: str) -> bool:
    """Whether the English lexicon knows a lower-case word as an adjective and
    never as a noun ("nuclear", "adequate", "existing"), whatever its ending.

    The lexicon is the lookup table of lemminflect (a PyPI package that ships
    it, about 0.8 MB, MIT; drawn from the SPECIALIST lexicon): looked up only,
    never guessed for a word it lacks (its model for unknown words is not
    used), so a name, a coinage or a misspelling is no adjective. A word it
    also knows as a noun ("military", "chemical", "public") is not asked
    here: it may head a noun phrase. About 0.3 CPU s to load, once.
    """
    readings = _readings(word)
    return "ADJ" in readings and "NOUN" not in readings


def noun_only(word: str) -> bool:
    """Whether the English lexicon (see :func:`adjective_only`) knows a
    lower-case word as a noun only, never as a verb or an adjective
    ("registration", "inspection"; not "review", "monitoring", "specific")."""
    return _readings(word) == {"NOUN"}


def adjective_never_verb(word: str) -> bool:
    """Whether the English lexicon (see :func:`adjective_only`) knows a
    lower-case word as an adjective and never as a verb: a word in -ed that is
    no participle ("landlocked", "unprecedented"; not "armed", "targeted")."""
    readings = _readings(word)
    return "ADJ" in readings and "VERB" not in readings


def adjective_reading(word: str) -> bool:
    """Whether the English lexicon (see :func:`adjective_only`) knows a
    lower-case word as an adjective, whatever else it knows it as ("military",
    "high", and nouns as well: "expert", "master")."""
    return "ADJ" in _readings(word)


@functools.lru_cache(maxsize=65536)
def _readings(word: str) -> frozenset[str]:
    """The parts of speech (universal tags: ADJ, NOUN, VERB ...) lemminflect's
    lookup table gives a word, none for a word it lacks."""
    return frozenset(_lexicon().getAllLemmas(word))


def _lexicon() -> Any:
    """lemminflect, imported on first use (its tables load in about 0.3 CPU s)."""
    try:
        import lemminflect
    except ImportError as err:
        raise MissingDependencyError("lemminflect", package="lemminflect") from err
    return lemminflect


def load_lexicon() -> None:
    """Load lemminflect's lemma and inflection tables now (0.25 and 0.23 CPU s,
    2026-12-07), as a batch worker does at its start, instead of in its first
    glossary: each loads on its first lookup."""
    lexicon = _lexicon()
    lexicon.getAllLemmas("")
    lexicon.getAllInflections("", upos="VERB")


@functools.lru_cache(maxsize=65536)
def finite_forms(word: str) -> frozenset[str]:
    """The base and the form in -s of the verb whose form in -ing ``word`` is
    ("paving": "pave", "paves"), each only where the lexicon reads it as that
    verb alone (not "repair" nor "repairs", which are nouns too): a form that,
    written before a word, makes it the verb's object. Not the forms in -ed,
    which also stand before a noun they modify ("tilled fields" beside
    "tilling fields"). Nothing for a word not in -ing or not read as a
    verb's form."""
    lexicon = _lexicon()
    lemmas = lexicon.getAllLemmas(word).get("VERB") if word.endswith("ing") else None
    if not lemmas:
        return frozenset()
    forms = {f for tag, fs in lexicon.getAllInflections(lemmas[0], upos="VERB").items()
             if tag in ("VB", "VBP", "VBZ") for f in fs}
    return frozenset(f for f in forms if _readings(f) == frozenset({"VERB"}))


def tokenize(text: str) -> list[Token]:
    """Split English text into words, numbers and punctuation (offsets in characters).

    A possessive ending ("UNXO's work") is split off as its own punctuation
    token so that it bounds candidates, except inside a name, before a
    capitalised word ("United Nations Children's Fund").
    """
    return list(_tokenize(text))


@functools.lru_cache(maxsize=TOKENIZED_TEXTS)
def _tokenize(text: str) -> tuple[Token, ...]:
    # (tokens are frozen: a text's are shared by its calls, each gets its own list)
    out: list[Token] = []
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup or "punct"
        word = m.group()
        if kind == "word":
            poss = _POSSESSIVE.search(word)
            in_name = text[m.end():m.end() + 2].lstrip()[:1].isupper() and word[:1].isupper()
            if (poss and len(word) > len(poss.group()) + 1 and poss.group() != "'"
                    and not in_name):
                cut = m.end() - len(poss.group())
                out.append(Token(word[: len(word) - len(poss.group())], "word", m.start(), cut))
                out.append(Token(poss.group(), "punct", cut, m.end()))
                continue
            if word.endswith("."):
                word = word[:-1]
        out.append(Token(word, kind, m.start(), m.start() + len(word)))
    return tuple(out)


def singular(word: str) -> str:
    """A light singular of a lower-case English word (parties -> party, States -> state)."""
    if word in _IRREGULAR_PLURALS:
        return _IRREGULAR_PLURALS[word]
    if len(word) <= 3 or not word.endswith("s") or word.endswith(_NO_SINGULAR_ENDINGS):
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith("ses") and not word.endswith("sses"):
        return _commoner(word[:-3] + "sis", word[:-1])
    if word.endswith("oes") and len(word) > 5:
        # (not shorter words: "toes", "foes", whose -o reading is a function
        # word or a rarer one)
        return _commoner(word[:-2], word[:-1])
    if word.endswith(("sses", "shes", "ches", "xes", "zes")):
        return word[:-2]
    return word[:-1]


@functools.lru_cache(maxsize=4096)
def _commoner(reading: str, default: str) -> str:
    """Of two readings of a plural's singular, ``reading`` if English uses it more
    than ``default`` (wordfreq), else ``default`` (also when frequencies are
    unknown). Cutting the s alone made such a plural a key of its own, apart
    from its singular, so the two forms of one term split their occurrences:
    a Greek plural in -ses is a noun in -sis ("analyses") or in -se ("cases"),
    a plural in -oes a noun in -o ("vetoes") or in -oe ("canoes")."""
    try:
        import wordfreq
    except ImportError:  # pragma: no cover - a declared dependency
        return default
    freq = wordfreq.zipf_frequency
    return reading if freq(reading, "en") > freq(default, "en") else default


def normalize_word(word: str) -> str:
    """The key form of one word: acronyms kept (without a plural s), others singular lower case."""
    if is_acronym(word):
        return acronym_key(word)
    low = word.lower().replace("\u2019", "'")
    return low if low.endswith("'s") else singular(low)


def term_key(words: list[str] | tuple[str, ...]) -> str:
    """The comparison key of a sequence of words (hyphens become spaces)."""
    return _joined_key([normalize_word(w) for w in words])


def _joined_key(normalized: list[str]) -> str:
    """:func:`term_key` of words already through :func:`normalize_word`."""
    return " ".join(normalized).replace("-", " ")


def inversion_key(key: str) -> str | None:
    """``"protection of forest"`` -> ``"forest protection"``: the pre-modifier order.

    Only for keys of the shape ``HEAD of MODIFIER`` with one word on each side
    after the preposition is removed; returns ``None`` otherwise.
    """
    words = key.split(" ")
    if len(words) < 3 or words.count("of") != 1:
        return None
    i = words.index("of")
    head, mod = words[:i], words[i + 1:]
    if not head or not mod or len(mod) > 2 or len(head) > 2:
        return None
    if any(w in STOP_WORDS for w in head + mod):
        return None
    return " ".join(mod + head)


def _is_cap(word: str) -> bool:
    return word[:1].isupper()


@dataclass(frozen=True)
class Candidate:
    """One occurrence of an English candidate in a text."""

    key: str
    surface: str
    start: int          # character offsets in the text
    end: int
    kind: str           # "phrase", "name" or "acronym"
    n_words: int
    followed: bool = False  # a one-word candidate directly followed by a content word
    fragment: bool = False  # part of a longer capitalised name at this occurrence
    # a name around a varying part ("Permanent Observer [of Chile] to the African
    # Union"): the key of that part (see EnglishExtractor._complements)
    varies: str = ""
    head: str = ""  # ...and the key of its head ("permanent observer")


_SENTENCE_END = frozenset({".", "!", "?", ":", ";", "\u201c", '"', "(", "["})


class EnglishExtractor:
    """Extracts English candidates; holds the dictionary used to spot verbs and
    the words the document writes with a capital in mid-sentence."""

    def __init__(self, dictionary: Dictionary | None = None) -> None:
        self.dictionary = dictionary
        self.known_caps: set[str] | None = None
        # (preposition, noun) pairs of the documents' complex prepositions (learn)
        self.bound: frozenset[tuple[str, str]] = frozenset()

    def learn(self, texts: Iterator[str] | list[str]) -> None:
        """Note the words written with a capital in mid-sentence, so that a
        capital at the start of a sentence ("Activities of the ...") is not
        taken for part of a name unless the word is a name word elsewhere.

        Also note the complex prepositions of the documents: a lower-case word
        after a preposition of :data:`INNER_LOWER` that the documents follow with
        a preposition of :data:`~bitext.languages.en.PREPOSITION_CLOSERS` in at
        least :data:`BOUND_SHARE` of its :data:`BOUND_MIN` or more occurrences
        ("in order to"): no candidate ends on it (``X Fund in order``)."""
        caps: set[str] = set()
        seen: Counter[tuple[str, str]] = Counter()
        closed: Counter[tuple[str, str]] = Counter()
        for text in texts:
            tokens = tokenize(text)
            for k, tok in enumerate(tokens):
                if tok.kind == "word" and _is_cap(tok.text) and not _sentence_initial(tokens, k):
                    caps.add(tok.text.lower())
                if (0 < k < len(tokens) - 1 and tok.kind == "word" and tok.text.islower()
                        and tokens[k - 1].text in INNER_LOWER):
                    pair = (tokens[k - 1].text, tok.text)
                    seen[pair] += 1
                    if tokens[k + 1].text in PREPOSITION_CLOSERS:
                        closed[pair] += 1
        self.known_caps = caps
        self.bound = frozenset(p for p, n in closed.items()
                               if seen[p] >= BOUND_MIN and n >= BOUND_SHARE * seen[p])

    def _verb(self, word: str) -> bool:
        return self.dictionary is not None and self.dictionary.is_verb(word.lower())

    def _bad_first(self, word: str, noun_position: bool = False) -> bool:
        """Whether ``word`` cannot open a candidate. ``noun_position``: the word
        before it is a determiner or a preposition (:data:`NOUN_POSITION`),
        where a word also used as a verb is a noun ("the transfer of ...")."""
        low = word.lower()
        if low in STOP_WORDS or _adverb(word) or _POSSESSIVE.search(low):
            return True
        # a base-form verb does not start a noun phrase; "fishing" and
        # "registered vessels" do
        return not noun_position and self._verb(low)

    def _bad_last(self, word: str) -> bool:
        if word.isdigit():
            return True
        low = word.lower()
        if low in STOP_WORDS or _adverb(word) or _POSSESSIVE.search(low):
            return True
        if is_acronym(word):
            return False
        if low.endswith("ed") and len(low) > 4:
            return True
        if word.islower() and low in IRREGULAR_PAST:
            return True  # a clause's verb run on, as a form in -ed is
        return len(low) == 1

    def _coordinated(self, lows: list[str], after: list[str]) -> bool:
        """Whether a lower-case run holds at most one coordinator in the shape of
        one term: the conjuncts share a modifier or a head ("regional peace
        and stability", "fishing boats and small vessels", "marine science and
        technology"), so what follows the coordinator is at most
        :data:`~bitext.languages.en.COORDINATION_TAIL` words, does not open with
        a verb ("peace and promote" is a clause) and ends the noun phrase
        (``after``, the next word of the run, is a function word or nothing:
        "human rights law and international humanitarian" stops inside a name)."""
        if COORDINATOR not in lows:
            return True
        at = lows.index(COORDINATOR)
        tail = lows[at + 1:]
        if lows.count(COORDINATOR) > 1 or not 0 < len(tail) <= COORDINATION_TAIL:
            return False
        if after and after[0] not in STOP_WORDS:
            return False
        return not (tail[0] in STOP_WORDS or self._verb(tail[0]))

    def _caps(self, tokens: list[Token]) -> list[bool]:
        """Whether each token counts as a capitalised name word."""
        out = []
        for k, tok in enumerate(tokens):
            cap = tok.kind == "word" and _is_cap(tok.text) and (
                tok.text.lower() not in STOP_WORDS or is_acronym(tok.text))  # WHO, US
            if cap and self.known_caps is not None and _sentence_initial(tokens, k):
                cap = is_acronym(tok.text) or tok.text.lower() in self.known_caps
            out.append(cap)
        for k in range(len(tokens) - 2, -1, -1):
            out[k] = out[k] or (out[k + 1] and _name_function_word(tokens, k))
        return out

    def candidates(self, text: str, complements: bool = False, titles: bool = False
                   ) -> list[Candidate]:
        """All candidate occurrences in one text (a sentence or an aligned segment);
        with ``complements``, also the names around a varying part
        (:meth:`_complements`, marked by :attr:`Candidate.varies`), which only a
        caller that counts the parts over the documents can judge; with
        ``titles`` (the other side of the segment holds a title: 《》), also the
        titles whose words are not all capitalised (:meth:`_titles`)."""
        tokens = tokenize(text)
        caps = self._caps(tokens)
        out: list[Candidate] = []
        seen: set[tuple[int, int]] = set()
        for chunk in _chunks(tokens):
            for cand in self._ngrams(text, tokens, caps, chunk):
                if (cand.start, cand.end) not in seen:
                    seen.add((cand.start, cand.end))
                    out.append(cand)
        for cand in self._names(text, tokens, caps):
            if (cand.start, cand.end) not in seen:
                seen.add((cand.start, cand.end))
                out.append(cand)
        for cand in self._lists(text, tokens, caps):
            if (cand.start, cand.end) not in seen:
                seen.add((cand.start, cand.end))
                out.append(cand)
        if complements:
            out.extend(self._complements(tokens, caps))
        if titles:
            for cand in self._titles(text, tokens, caps):
                if (cand.start, cand.end) not in seen:
                    seen.add((cand.start, cand.end))
                    out.append(cand)
        return out

    def _lists(self, text: str, tokens: list[Token], caps: list[bool]) -> Iterator[Candidate]:
        """Lower-case lists with commas in the shape of one term: items of one
        word each, then "and" and a last conjunct of at most
        :data:`~bitext.languages.en.COORDINATION_TAIL` words, all nouns or
        modifiers ("peace, security and stability", "free, fair and open
        elections"; the phrase candidates stop at the comma). One candidate per
        end of the last conjunct; only a Chinese term with as many conjuncts
        pairs with it (``link._State.propose``), and lists of terms of their own
        are dropped there as coordinations are."""
        n = len(tokens)

        def content(k: int) -> bool:
            tok = tokens[k]
            return (tok.kind == "word" and tok.text.islower() and len(tok.text) > 1
                    and tok.text not in STOP_WORDS and not _adverb(tok.text)
                    and not self._verb(tok.text))

        for i in range(n):
            if not content(i) or (i > 0 and tokens[i - 1].text == ","):
                continue
            k, items = i, 1
            while k + 2 < n and tokens[k + 1].text == "," and content(k + 2):
                k += 2
                items += 1
            if k + 1 < n and tokens[k + 1].text == ",":
                k += 1  # the comma before "and"
            if items < 2 or k + 2 >= n or tokens[k + 1].text != COORDINATOR:
                continue
            for e in range(k + 2, min(n, k + 2 + COORDINATION_TAIL)):
                if not content(e):
                    break
                if self._bad_last(tokens[e].text):
                    continue
                words = [t.text for t in tokens[i:e + 1] if t.kind == "word"]
                start, end = tokens[i].start, tokens[e].end
                yield Candidate(term_key(words), text[start:end], start, end, "phrase",
                                len(words))

    def _titles(self, text: str, tokens: list[Token], caps: list[bool]) -> Iterator[Candidate]:
        """Titles of instruments and publications that English writes with lower-case
        words inside ("Convention relating to the Status of Stateless Persons",
        "Guidelines for the prevention of urban crime"), which the name and
        phrase candidates cut at the first lower-case word.

        A title opens at a capitalised head word of a title
        (:data:`~bitext.languages.en.TITLE_HEADS`), or at the start of the
        capitalised run that ends with one ("Model Law on ..."), and runs over
        capitalised words, the function words of names and titles
        (:data:`INNER_NAME`, :data:`~bitext.languages.en.TITLE_INNER`) and
        lower-case content words, up to punctuation (a comma only inside a
        capitalised list: "Road, Rail and Inland Waterways"), a number, a verb, a word in -ed
        that does not modify a noun, another function word, or "and the" (two
        names). Every end on a content word gives a candidate, holding at least
        one word a name would not (a lower-case word or a title's function
        word): the pairing chooses among them by the dictionary and the cosine.
        """
        n = len(tokens)
        for h in range(n):
            if not (caps[h] and tokens[h].text.lower() in TITLE_HEADS):
                continue
            starts = [h]
            k = h
            while k > 0 and (caps[k - 1] or (tokens[k - 1].kind == "word"
                                            and tokens[k - 1].text in INNER_NAME
                                            and k > 1 and caps[k - 2])):
                k -= 1
            if k < h and caps[k]:
                starts.append(k)
            ends: list[int] = []
            lower = False
            mode = ""  # the first content word after the head: "cap" or "lower"
            j = h + 1
            while j < n and j - h < MAX_NAME_WORDS:
                tok = tokens[j]
                low = tok.text.lower()
                prev = tokens[j - 1].text.lower()
                if tok.kind != "word":
                    if not (tok.text == "," and caps[j - 1] and _listed(tokens, caps, j)):
                        break
                elif caps[j]:
                    if mode == "lower":
                        break  # a name after a lower-case title is another name
                    mode = "cap"
                    ends.append(j)
                elif low in INNER_NAME or low in TITLE_INNER:
                    if low == "and" and j + 1 < n and tokens[j + 1].text.lower() == "the":
                        break  # "X and the Y" joins two names
                    lower = lower or low in TITLE_INNER
                elif (mode == "cap" or low in STOP_WORDS or self._verb(low) or _adverb(tok.text)
                      or not (prev in TITLE_INNER or (prev in INNER_NAME and prev != "and")
                              or (tokens[j - 1].kind == "word" and prev == tokens[j - 1].text
                                  and prev not in STOP_WORDS))):
                    # a lower-case word after a capitalised title ("Code of X on the
                    # offences"), or not after a preposition or another lower-case
                    # word ("Treaty remains", "Convention and decisions"): the
                    # sentence goes on
                    break
                elif low.endswith("ed") and len(low) > 4 and (
                        j + 1 >= n or tokens[j + 1].text.lower() in STOP_WORDS):
                    break  # a participle not before a noun starts a clause
                else:
                    mode = mode or "lower"
                    lower = True
                    ends.append(j)
                j += 1
            if not lower:
                continue  # every word capitalised: the names already hold it
            if mode == "lower" and len(starts) > 1:
                continue  # a capitalised name ending in the head ("Succession Act") is
                # whole: the lower-case words after it are the sentence's
            for i in starts:
                for e in ends:
                    words = [t.text for t in tokens[i:e + 1] if t.kind == "word"]
                    if not any(w.islower() and (w not in INNER_NAME or w in TITLE_INNER)
                               for w in words):
                        continue
                    start, end = tokens[i].start, tokens[e].end
                    yield Candidate(term_key(words), text[start:end], start, end, "name",
                                    len(words))

    def _complements(self, tokens: list[Token], caps: list[bool]) -> Iterator[Candidate]:
        """Names built around a varying part: a head name, "of" and the varying
        name, then a preposition and a fixed name ("Permanent Observer of Chile to
        the Andean Council"). Each gives the head with its complement as one
        candidate ("permanent observer to the andean council"), marked with the
        varying part's key (:attr:`Candidate.varies`): the caller keeps it only
        when the documents vary that part, so the complement is not one name's
        own words ("Office of the High Commissioner for Refugees")."""
        n = len(tokens)
        i = 0
        while i < n:
            if not (caps[i] and not is_acronym(tokens[i].text) and (i == 0 or not caps[i - 1])):
                i += 1
                continue
            # the head: capitalised words up to "of"
            j = i
            while j < n and caps[j]:
                j += 1
            if j >= n or j - i > MAX_WORDS or tokens[j].text != NAME_VARIABLE:
                i = j + 1
                continue
            # the varying part: a capitalised name (inner function words allowed)
            # up to the first complement preposition
            k = j + 1
            if k < n and tokens[k].text.lower() == "the":
                k += 1
            x_start = k
            while k < n and k - x_start <= MAX_WORDS and (
                    caps[k] or (tokens[k].kind == "word" and tokens[k].text in INNER_NAME
                                and tokens[k].text not in NAME_COMPLEMENT)):
                k += 1
            if (k >= n or k == x_start or not caps[k - 1]
                    or tokens[k].text not in NAME_COMPLEMENT):
                i = j + 1
                continue
            prep = k
            m = k + 1
            if m < n and tokens[m].text == "the":
                m += 1
            c_start, last = m, -1
            while m < n and m - c_start < MAX_NAME_WORDS and (
                    caps[m] or (tokens[m].kind == "word" and tokens[m].text in INNER_NAME)):
                if caps[m]:
                    last = m
                m += 1
            if last < 0:
                i = j + 1
                continue
            words = ([t.text for t in tokens[i:j]] + [t.text for t in tokens[prep:c_start]]
                     + [t.text for t in tokens[c_start:last + 1]])
            varying = [t.text for t in tokens[x_start:k] if t.kind == "word"]
            yield Candidate(term_key(words), " ".join(words), tokens[i].start, tokens[last].end,
                            "name", len(words), varies=term_key(varying),
                            head=term_key([t.text for t in tokens[i:j]]))
            i = last + 1  # a head inside the varying part ("Kingdom of Tonga") is none

    def _name_verb(self, before: str, word: str) -> bool:
        """Whether ``word``, inside a run of words, is the verb of the name ``before``
        it whatever follows: a lower-case word in -s after a capitalised word whose
        stem the dictionary uses almost only as a verb ("Board recommends approval",
        "Council urges all"). A plural noun ending a name ("Council resolutions",
        "Committee members") has a noun for its stem."""
        if not (before[:1].isupper() and word.islower() and word.endswith("s")
                and not word.endswith(_NO_SINGULAR_ENDINGS)):
            return False
        return self._verb(word[:-1]) or (word.endswith("es") and self._verb(word[:-2]))

    def _ngrams(self, text: str, tokens: list[Token], caps: list[bool], chunk: list[int]
                ) -> Iterator[Candidate]:
        words = [tokens[k].text for k in chunk]
        cap = [caps[k] for k in chunk]
        # what each word is, asked once per chunk rather than for every n-gram
        # that starts or ends on it
        acr = [is_acronym(w) for w in words]
        bad_last = [self._bad_last(w) for w in words]
        norm = [normalize_word(w) for w in words]  # term_key's words
        # an acronym is never a function word, even when it is spelt like one (WHO)
        lows = [w if a else w.lower() for w, a in zip(words, acr, strict=True)]
        n = len(chunk)
        # a name's verb ("Committee recommends that"): no candidate reaches it
        verb_at = next((j for j in range(1, n - 1)
                        if _predicate(words[j - 1], words[j], lows[j + 1])
                        or self._name_verb(words[j - 1], words[j])), n)
        for i in range(n):
            # an adverb opens a term only before a participle ("internally displaced
            # persons", "locally recruited staff"), never alone ("newly independent"),
            # or before an adjective with the noun it modifies ("legally binding
            # instruments": three words at least, so no adverb and adjective alone)
            ly_adjective = (_adverb(words[i]) and i + 2 < n and words[i + 1].islower()
                            and lows[i + 1].endswith(_ADJECTIVE_ENDINGS)
                            and len(lows[i + 1]) > 4)
            ly_first = ly_adjective or (_adverb(words[i]) and i + 1 < n
                                        and lows[i + 1].endswith("ed") and len(lows[i + 1]) > 4)
            # a verb after a determiner or a preposition is a noun opening a
            # compound ("the supply of equipment"): a candidate of two words or more;
            # so it is between "and" or "or" after a plural noun and a plural noun:
            # a coordination of two plural compounds ("storage facilities and
            # transfer routes"). After a verb ("recruit and train staff"), or
            # before a modifier ("policies and promote regional trade"),
            # it stays the verb of a predicate.
            noun_use = words[i].islower() and self._verb(lows[i]) and i > 0 and (
                lows[i - 1] in NOUN_POSITION or (
                    lows[i - 1] in ("and", "or") and 1 < i < n - 1
                    and _plural_noun(words[i - 2]) and _plural_noun(words[i + 1])
                    and not self._verb(lows[i - 2][:-1])))
            # a capitalised word opening a capitalised run is a name's first word,
            # though the dictionary knows it as a verb ("the Review Board", "Audit
            # Committee"): English writes no verb with a capital inside a sentence
            # (and at its start, _caps counts a word only if the text capitalises
            # it elsewhere)
            name_first = cap[i] and i + 1 < n and cap[i + 1] and self._verb(lows[i])
            # a function word that _caps counts as a name's word opens the name
            # (a made-up "New Harbour")
            name_word = cap[i] and lows[i] in STOP_WORDS
            if (self._bad_first(words[i], noun_use or name_first) and not acr[i]
                    and not ly_first and not name_word):
                continue
            if i == verb_at:
                continue  # the name's verb opens no term ("recommends approval")
            if (words[i].islower() and (i + 1 >= n or lows[i + 1] in STOP_WORDS)
                    and ((lows[i].endswith("ed") and len(lows[i]) > 4)
                         or lows[i] in IRREGULAR_PAST)):
                continue  # a participle opens a term only before its noun ("located in")
            all_caps = True
            limit = min(n if i >= verb_at else verb_at, i + MAX_NAME_WORDS)
            for j in range(i, limit):
                low = lows[j]
                if j > i and low in STOP_WORDS and not cap[j]:
                    if low not in INNER_NAME:
                        break
                    if low == "and" and j + 1 < n and lows[j + 1] == "the":
                        break  # "X and the Y" joins two names
                    if lows[j - 1] in STOP_WORDS and not (lows[j - 1] in INNER_NAME
                                                          and low == "the"):
                        break
                    continue
                if not cap[j]:
                    all_caps = False
                    if (j > i and low.endswith("ed") and len(low) > 4
                            and (j + 1 >= n or lows[j + 1] in STOP_WORDS)):
                        break  # a participle not before a noun starts a clause
                length = j - i + 1
                if not all_caps and length > MAX_WORDS:
                    break
                if bad_last[j] and not (j == i and acr[j]):
                    continue
                if j > i and (lows[j - 1], lows[j]) in self.bound:
                    continue  # a complex preposition's noun ("in order"): no term ends on it
                fws = [w for w in lows[i:j + 1] if w in STOP_WORDS]
                if fws and not all_caps and (any(w not in INNER_LOWER for w in fws
                                                 if w != COORDINATOR)
                                             or len(fws) > 2
                                             or not self._coordinated(lows[i:j + 1],
                                                                      lows[j + 1:j + 2])):
                    continue
                if j == i and (len(words[i]) < 2 or noun_use or name_first):
                    continue
                if ly_adjective and j < i + 2:
                    continue
                acronym = j == i and acr[i]
                kind = "acronym" if acronym else ("name" if all_caps and j > i else "phrase")
                followed = j == i and j + 1 < n and _continues(words[j], words[j + 1])
                # part of a longer name, directly continued by a capitalised word
                # (an acronym before a name is its owner: "UNXO Regional Office")
                fragment = all_caps and not acronym and (
                    (j + 1 < n and cap[j + 1])
                    or (i > 0 and cap[i - 1] and not acr[i - 1]))
                start, end = tokens[chunk[i]].start, tokens[chunk[j]].end
                yield Candidate(_joined_key(norm[i:j + 1]), text[start:end], start, end, kind,
                                length, followed, fragment)

    def _names(self, text: str, tokens: list[Token], caps: list[bool]) -> Iterator[Candidate]:
        """Capitalised names with a list in them ("Committee on Science, Technology and
        Innovation")."""
        i = 0
        n = len(tokens)
        while i < n:
            if not caps[i]:
                i += 1
                continue
            j = i
            last_cap = i
            commas = 0
            while j + 1 < n and j + 1 - i < MAX_NAME_WORDS:
                nxt = tokens[j + 1]
                if nxt.text.lower() in CALENDAR_WORDS:
                    break  # a month or a day ends a name ("... Council in October")
                if caps[j + 1]:
                    last_cap = j + 1
                elif nxt.kind == "word" and nxt.text.lower() in INNER_NAME:
                    pass
                elif nxt.text == "," and j + 2 < n and caps[j + 2]:
                    commas += 1
                else:
                    break
                j += 1
            if commas and last_cap > i:
                span = text[tokens[i].start:tokens[last_cap].end]
                # a list inside a name ends with "and X" and hangs off a preposition
                # ("Commission on Science, Technology and Innovation"); a bare list of names
                # ("Costa Rica, El Salvador, ... and Panama") is no name
                head = span.split(",", 1)[0].split()
                if (" and " in span.rsplit(",", 1)[-1]
                        and (any(w in INNER_NAME and w != "and" for w in head[1:])
                             or _shared_head(span))):
                    words = [t.text for t in tokens[i:last_cap + 1] if t.kind == "word"]
                    yield Candidate(term_key(words), span, tokens[i].start,
                                    tokens[last_cap].end, "name", len(words))
            i = last_cap + 1


def _shared_head(span: str) -> bool:
    """Whether a capitalised list is words that share the last conjunct's head
    ("Legal, Technical and Financial Committee"): every item before "and" is one
    word, and the last conjunct has more (its modifier and the head). A list of
    names that ends in a longer one has the shape too; it pairs only with a
    Chinese list of as many conjuncts, which the coordination rule drops when
    its items are terms of their own."""
    items = [item.split() for item in span.rsplit(" and ", 1)[0].split(",")]
    last = span.rsplit(" and ", 1)[1].split()
    return all(len(item) == 1 for item in items) and len(last) > 1


def _listed(tokens: list[Token], caps: list[bool], comma: int) -> bool:
    """Whether the comma at ``comma`` separates items of a capitalised list that
    ends with "and" ("Road, Rail and Inland Waterways"): more capitalised words, then "and",
    before the next punctuation."""
    for tok, cap in zip(tokens[comma + 1:comma + 1 + MAX_WORDS],
                        caps[comma + 1:comma + 1 + MAX_WORDS], strict=False):
        if tok.text == "and":
            return True
        if tok.text != "," and not cap:
            return False
    return False


def _predicate(before: str, word: str, after: str) -> bool:
    """Whether ``word`` is the verb of the name ``before`` it: a lower-case word in
    -s between a capitalised word and a word that opens an object or a clause
    (:data:`~bitext.languages.en.OBJECT_OPENERS`: "Committee recommends that",
    "Authority presents its"). A plural noun ending a term is not followed so."""
    return (after in OBJECT_OPENERS and word.islower() and word.endswith("s")
            and not word.endswith(_NO_SINGULAR_ENDINGS) and before[:1].isupper())


def _name_function_word(tokens: list[Token], k: int) -> bool:
    """Whether the word at ``k``, a function word of :data:`STOP_WORDS` written
    with a capital inside a sentence, is a word of the name it opens: before a
    capitalised name word (made-up: "New Harbour", "Third Lamp Board", "Lamp Supply
    Service", "Care of All Lamps"), English writes a function word with a
    capital only in a name or a title. The joiners of names (:data:`INNER_NAME`:
    "The", "Of" of a title), articles, months and days stay what they are; at the
    start of a sentence a capital says nothing."""
    tok = tokens[k]
    low = tok.text.lower()
    return (tok.kind == "word" and _is_cap(tok.text) and not is_acronym(tok.text)
            and low in STOP_WORDS and low not in INNER_NAME and low not in _ARTICLES
            and low not in CALENDAR_WORDS and not _sentence_initial(tokens, k))


def _plural_noun(word: str) -> bool:
    """A lower-case content word in -s that is no past form, adverb or function
    word: in a noun phrase, a plural noun (the caller asks the dictionary that
    its stem is no verb)."""
    return (word.islower() and len(word) > 3 and word.endswith("s")
            and not word.endswith(_NO_SINGULAR_ENDINGS) and word not in STOP_WORDS)


def _adverb(word: str) -> bool:
    """A lower-case word in -ly that is not a noun in -bly, -ply, -ily
    (assembly, supply, family)."""
    return (word.islower() and len(word) > 4 and word.endswith("ly")
            and not word.endswith(("bly", "ply", "ily")))


def _sentence_initial(tokens: list[Token], k: int) -> bool:
    """The first word of the text, or the first after a sentence end or an opening quote."""
    j = k - 1
    while j >= 0 and tokens[j].kind == "num":
        j -= 1
    return j < 0 or tokens[j].text in _SENTENCE_END


def _continues(word: str, nxt: str) -> bool:
    """Whether ``nxt`` plausibly continues a noun phrase that ``word`` starts:
    a capitalised word after a capitalised one ("Regional Offices"), a lower-case
    content word after a lower-case one ("safe storage"). Acronyms are
    names of their own; a word in -ed after a noun is more likely its verb."""
    if nxt.lower() in STOP_WORDS or is_acronym(word):
        return False
    if word[:1].isupper():
        return nxt[:1].isupper()
    return nxt.islower() and not nxt.endswith("ed")


def _chunks(tokens: list[Token]) -> Iterator[list[int]]:
    """Runs of word tokens (their indices) between punctuation, numbers and
    month or day names."""
    run: list[int] = []
    for k, tok in enumerate(tokens):
        # a year opens a name: "2040 Agenda for Ocean Protection"
        year = (tok.kind == "num" and _YEAR.match(tok.text) is not None and k + 1 < len(tokens)
                and tokens[k + 1].kind == "word" and _is_cap(tokens[k + 1].text))
        if year or (tok.kind == "word"
                    and not (_is_cap(tok.text) and tok.text.lower() in CALENDAR_WORDS)):
            run.append(k)
        else:
            if run:
                yield run
            run = []
    if run:
        yield run


def find_acronyms(text: str, known_name: Callable[[str], bool] | None = None
                  ) -> list[tuple[str, str]]:
    """Short forms defined in ``text`` as ``(short form, long form)``, in order.

    * An acronym in parentheses after its long form: the long form is the
      shortest run of words before ``(ACRONYM)`` that spells it (initials in
      order, more letters may come from inside a word, function words and at
      most two content words may be skipped): "United Nations Environment
      Programme (UNEP)", "International Coastal Patrol Organization (INCOPAT)".
    * A capitalised single word in parentheses after a name of two or more
      capitalised words is that name's short name: "International Coastal
      Patrol Organization (Aquapol)". So is an acronym that the name's
      English words do not spell (UN acronyms often follow the French name:
      "United Nations Support Mission in Ruritania (MANUR)").
      Not a word ``known_name`` knows as a name of its own (a country after a
      person's name, "Ms. Ann Smith (Ruritania)", in UN lists of speakers and
      officers: :meth:`bitext.glossary.cedict.Dictionary.is_name_gloss`), unless
      it opens as the name does: a known short name is made from its name's
      first word ("Ruritanian Police Office (Rurpol)").
    """
    tokens = tokenize(text)
    found: list[tuple[str, str]] = []
    for k, tok in enumerate(tokens):
        if tok.text != "(" or k + 2 >= len(tokens) or tokens[k + 2].text != ")":
            continue
        short_tok = tokens[k + 1]
        short = short_tok.text
        if short_tok.kind != "word":
            continue
        acronym = is_acronym(short)
        if not acronym and not (short[:1].isupper() and short.isalpha() and len(short) >= 3):
            continue
        words: list[Token] = []
        j = k - 1
        while j >= 0 and tokens[j].kind == "word" and len(words) < MAX_NAME_WORDS:
            words.insert(0, tokens[j])
            j -= 1
        if acronym:
            letters = [c.lower() for c in short if c.isalpha()]
            if len(letters) > 1 and short.endswith("s") and short[:-1].isupper():
                letters = letters[:-1]
            for start in range(len(words) - 1, max(-1, len(words) - len(letters) - 8), -1):
                span = [w.text for w in words[start:]]
                if span[0].lower() not in STOP_WORDS and _spells(letters, span):
                    start = _head_of(words, start)
                    # spelled only with letters from inside words or skipped words
                    # (an acronym of the name in another language, MISCZ of "X-led
                    # Regional Support Mission in the Coastal Zone"), by the tail of a
                    # longer capitalised name: the capitalised words right before
                    # are the name's first words. An acronym of the initials of its
                    # words stands for just them (ACC of "Ruritania Area Control
                    # Centre", a place's name before it); a possessive ends a name
                    initials = [w[0].lower() for w in span if w.lower() not in STOP_WORDS]
                    while (initials != letters and start > 0
                           and _is_cap(words[start - 1].text)
                           and words[start - 1].text.lower() not in STOP_WORDS
                           and not is_acronym(words[start - 1].text)
                           and not _POSSESSIVE.search(words[start - 1].text)):
                        start -= 1
                    found.append((short, text[words[start].start:words[-1].end]))
                    break
            else:
                acronym = False  # spelled in another language (MANUR): as a short name
            if acronym:
                continue
        # a short name: the longest capitalised name right before the parenthesis
        start = len(words)
        for i in range(len(words) - 1, -1, -1):
            w = words[i].text
            if _is_cap(w) and w.lower() not in STOP_WORDS:
                start = i
            elif w.lower() not in INNER_NAME:
                break
        name = [w.text for w in words[start:]]
        caps = sum(1 for w in name if _is_cap(w) and w.lower() not in STOP_WORDS)
        if caps >= 2 and short not in name and not (
                known_name is not None and known_name(short)
                and short[:3].lower() != name[0][:3].lower()):
            found.append((short, text[words[start].start:words[-1].end]))
    return found


def _head_of(words: list[Token], start: int) -> int:
    """Extend a long form leftwards over "Head of (the)": the acronym UNHCF spells
    "United Nations High Commissioner for Fisheries", the name it stands for is
    "Office of the United Nations High Commissioner for Fisheries". The head is
    one capitalised singular word that does not start the sentence ("Member
    States of the Andean Council (AC)" stays "Andean Council")."""
    k = start - 1
    if k >= 0 and words[k].text.lower() == "the":
        k -= 1
    if k < 1 or words[k].text.lower() != "of":
        return start
    head = words[k - 1].text
    if (not _is_cap(head) or head.lower() in STOP_WORDS or head.endswith("s")
            or (k >= 2 and _is_cap(words[k - 2].text)) or k - 1 == 0):
        return start
    return k - 1


def _spells(letters: list[str], words: list[str]) -> bool:
    """Whether ``letters`` can be read off ``words`` in order.

    Each word used gives its first letter and optionally more letters from its
    inside; function words may give nothing, and so may two content words.
    """
    lows = [w.lower() for w in words]

    @functools.cache
    def go(li: int, wi: int, skips: int) -> bool:
        if wi == len(lows):
            return li == len(letters)
        word = lows[wi]
        if word in STOP_WORDS and go(li, wi + 1, skips):
            return True
        if wi > 0 and skips < 2 and word not in STOP_WORDS and go(li, wi + 1, skips + 1):
            return True
        if li >= len(letters) or word[0] != letters[li]:
            return False
        # take the initial, then any letters further inside the same word
        pos, nl = 1, li + 1
        if go(nl, wi + 1, skips):
            return True
        while nl < len(letters):
            found = word.find(letters[nl], pos)
            if found < 0:
                break
            pos, nl = found + 1, nl + 1
            if go(nl, wi + 1, skips):
                return True
        return False

    return go(0, 0, 0)
