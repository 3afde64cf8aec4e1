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

Acronyms are found where a text defines them ("long form (ACRONYM)", matched
letter by letter against the words before the parenthesis) and wherever an
all-capitals word occurs.

Candidates are compared through a *key*: lower case (acronyms keep their
capitals), hyphens as spaces, every word singular. The key merges "Member
States" / "member State"; :func:`inversion_key` merges "smuggling of migrants" /
"migrant smuggling".
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from dataclasses import dataclass

import regex

from bitext.glossary.cedict import Dictionary


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
everyone everything everywhere except few first for former formerly from further furthermore
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
said says say noted notes note also new various certain particular related relevant respective
following follows given made make makes making take taken taking well including regarding
concerning according pursuant thereto therewith upon already around approximately respectively
"""))

# Prepositions that may join the words of a lower-case compound term.
INNER_LOWER = frozenset({"of", "in", "on", "for", "against"})
# Function words that may appear inside a name written in capitals.
INNER_NAME = frozenset({"of", "in", "on", "for", "against", "and", "the", "to", "by", "at",
                        "from", "with", "de", "des", "du", "la", "le", "el", "del", "y", "et"})

MAX_WORDS = 6           # longest lower-case candidate, in words
MAX_NAME_WORDS = 16     # longest capitalised name, in words

_TOKEN = regex.compile(
    r"(?P<word>\p{L}[\p{L}\p{M}\p{N}]*(?:[-'\u2019.&][\p{L}\p{N}]+)*)"
    r"|(?P<num>\p{N}+(?:[.,/:-]\p{N}+)*)"
    r"|(?P<punct>[^\s\p{L}\p{N}])"
)
_ACRONYM = regex.compile(r"^(?:\p{Lu}[\p{Lu}\p{N}&.-]*\p{Lu}|\p{Lu}{2,})s?$")
_POSSESSIVE = regex.compile(r"(?:['\u2019]s|['\u2019])$")
_IRREGULAR_PLURALS = {"women": "woman", "men": "man", "children": "child", "people": "person",
                      "persons": "person", "feet": "foot", "teeth": "tooth", "mice": "mouse",
                      "criteria": "criterion", "phenomena": "phenomenon"}
_NO_SINGULAR_ENDINGS = ("ss", "us", "is", "ics", "ous", "news", "series", "species", "as")


@dataclass(frozen=True)
class Token:
    """One English token; ``kind`` is ``word``, ``num`` or ``punct``."""

    text: str
    kind: str
    start: int
    end: int


def tokenize(text: str) -> list[Token]:
    """Split English text into words, numbers and punctuation (offsets in characters).

    A possessive ending ("UNODC's") is split off as its own punctuation token so
    that it bounds candidates.
    """
    out: list[Token] = []
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup or "punct"
        word = m.group()
        if kind == "word":
            poss = _POSSESSIVE.search(word)
            if poss and len(word) > len(poss.group()) + 1 and poss.group() != "'":
                cut = m.end() - len(poss.group())
                out.append(Token(word[: len(word) - len(poss.group())], "word", m.start(), cut))
                out.append(Token(poss.group(), "punct", cut, m.end()))
                continue
            if word.endswith("."):
                word = word[:-1]
        out.append(Token(word, kind, m.start(), m.start() + len(word)))
    return out


def is_acronym(word: str) -> bool:
    """All capitals, at least two letters ("UNODC", "IOM", "UNHCRs" counts too)."""
    return bool(_ACRONYM.match(word)) and sum(c.isupper() for c in word) >= 2


def singular(word: str) -> str:
    """A light singular of a lower-case English word (parties -> party, States -> state)."""
    if word in _IRREGULAR_PLURALS:
        return _IRREGULAR_PLURALS[word]
    if len(word) <= 3 or not word.endswith("s") or word.endswith(_NO_SINGULAR_ENDINGS):
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("sses", "shes", "ches", "xes", "zes")):
        return word[:-2]
    return word[:-1]


def normalize_word(word: str) -> str:
    """The key form of one word: acronyms kept (without a plural s), others singular lower case."""
    if is_acronym(word):
        return word[:-1] if word.endswith("s") and word[:-1].isupper() else word
    return singular(word.lower().replace("\u2019", "'"))


def term_key(words: list[str] | tuple[str, ...]) -> str:
    """The comparison key of a sequence of words (hyphens become spaces)."""
    return " ".join(normalize_word(w) for w in words).replace("-", " ")


def inversion_key(key: str) -> str | None:
    """``"smuggling of migrant"`` -> ``"migrant smuggling"``: the pre-modifier order.

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


class EnglishExtractor:
    """Extracts English candidates; holds the dictionary used to spot verbs."""

    def __init__(self, dictionary: Dictionary | None = None) -> None:
        self.dictionary = dictionary

    def _verb(self, word: str) -> bool:
        return self.dictionary is not None and self.dictionary.is_verb(word.lower())

    def _bad_first(self, word: str) -> bool:
        low = word.lower()
        if low in STOP_WORDS or low.endswith("ly"):
            return True
        if self._verb(low):
            return True
        # "provides" is a verb; "smuggling", "organized crime" start noun phrases
        return low.endswith("s") and self._verb(low[:-1])

    def _bad_last(self, word: str) -> bool:
        low = word.lower()
        if low in STOP_WORDS or (low.endswith("ly") and len(low) > 4):
            return True
        if is_acronym(word):
            return False
        if low.endswith("ed") and len(low) > 4:
            return True
        return len(low) == 1

    def candidates(self, text: str) -> list[Candidate]:
        """All candidate occurrences in one text (a sentence or an aligned segment)."""
        tokens = tokenize(text)
        out: list[Candidate] = []
        seen: set[tuple[int, int]] = set()
        for chunk in _chunks(tokens):
            for cand in self._ngrams(text, chunk):
                if (cand.start, cand.end) not in seen:
                    seen.add((cand.start, cand.end))
                    out.append(cand)
        for cand in self._names(text, tokens):
            if (cand.start, cand.end) not in seen:
                seen.add((cand.start, cand.end))
                out.append(cand)
        return out

    def _ngrams(self, text: str, chunk: list[Token]) -> Iterator[Candidate]:
        words = [t.text for t in chunk]
        lows = [w.lower() for w in words]
        n = len(chunk)
        for i in range(n):
            if self._bad_first(words[i]) and not is_acronym(words[i]):
                continue
            inner_fw = 0
            all_caps = True
            limit = min(n, i + MAX_NAME_WORDS)
            for j in range(i, limit):
                low = lows[j]
                if j > i and low in STOP_WORDS:
                    if low not in INNER_NAME:
                        break
                    inner_fw += 1
                    if lows[j - 1] in STOP_WORDS and not (lows[j - 1] in INNER_NAME
                                                          and low == "the"):
                        break
                    continue
                if low == "and" and j + 1 < n and lows[j + 1] == "the":
                    break  # "X and the Y" joins two names
                if not _is_cap(words[j]):
                    all_caps = False
                    if j > i and low.endswith("ed") and len(low) > 4:
                        break  # a participle inside a phrase starts a clause
                length = j - i + 1
                if not all_caps and length > MAX_WORDS:
                    break
                if self._bad_last(words[j]) and not (j == i and is_acronym(words[j])):
                    continue
                fws = [w for w in lows[i:j + 1] if w in STOP_WORDS]
                if fws and not all_caps and (any(w not in INNER_LOWER for w in fws)
                                             or len(fws) > 2):
                    continue
                if j == i and len(words[i]) < 2:
                    continue
                kind = "acronym" if (j == i and is_acronym(words[i])) else (
                    "name" if all_caps and j > i else "phrase")
                followed = j + 1 < n and lows[j + 1] not in STOP_WORDS
                yield Candidate(term_key(words[i:j + 1]), text[chunk[i].start:chunk[j].end],
                                chunk[i].start, chunk[j].end, kind, length, followed)

    def _names(self, text: str, tokens: list[Token]) -> Iterator[Candidate]:
        """Capitalised names that run over commas ("by Land, Sea and Air")."""
        i = 0
        n = len(tokens)
        while i < n:
            tok = tokens[i]
            if tok.kind != "word" or not _is_cap(tok.text) or tok.text.lower() in STOP_WORDS:
                i += 1
                continue
            j = i
            last_cap = i
            commas = 0
            while j + 1 < n and j + 1 - i < MAX_NAME_WORDS:
                nxt = tokens[j + 1]
                if nxt.kind == "word" and _is_cap(nxt.text) and nxt.text.lower() not in STOP_WORDS:
                    last_cap = j + 1
                elif nxt.kind == "word" and nxt.text.lower() in INNER_NAME:
                    pass
                elif nxt.text == "," and j + 2 < n and _is_cap(tokens[j + 2].text):
                    commas += 1
                else:
                    break
                j += 1
            if commas and last_cap > i:
                words = [t.text for t in tokens[i:last_cap + 1] if t.kind == "word"]
                yield Candidate(term_key(words), text[tok.start:tokens[last_cap].end],
                                tok.start, tokens[last_cap].end, "name", len(words))
            i = last_cap + 1


def _chunks(tokens: list[Token]) -> Iterator[list[Token]]:
    """Runs of word tokens between punctuation and numbers."""
    run: list[Token] = []
    for tok in tokens:
        if tok.kind == "word":
            run.append(tok)
        else:
            if run:
                yield run
            run = []
    if run:
        yield run


def find_acronyms(text: str) -> list[tuple[str, str]]:
    """Acronyms defined in ``text`` as ``(acronym, long form)``, in order of appearance.

    The long form is the shortest run of words before ``(ACRONYM)`` whose initials
    spell the acronym in order (letters may also come from inside a word, and
    function words may be skipped): "United Nations Office on Drugs and Crime
    (UNODC)".
    """
    tokens = tokenize(text)
    found: list[tuple[str, str]] = []
    for k, tok in enumerate(tokens):
        if tok.text != "(" or k + 2 >= len(tokens) or tokens[k + 2].text != ")":
            continue
        short = tokens[k + 1].text
        if tokens[k + 1].kind != "word" or not is_acronym(short):
            continue
        letters = [c.lower() for c in short if c.isalpha()]
        if letters and letters[-1] == "s" and short[-1] == "s":
            letters = letters[:-1]
        # words right before the parenthesis, stopping at other punctuation
        words: list[Token] = []
        j = k - 1
        while j >= 0 and tokens[j].kind == "word" and len(words) < len(letters) + 6:
            words.insert(0, tokens[j])
            j -= 1
        for start in range(len(words) - 1, -1, -1):
            span = [w.text for w in words[start:]]
            if span[0].lower() in STOP_WORDS:
                continue
            if _spells(letters, span):
                found.append((short, text[words[start].start:words[-1].end]))
                break
    return found


def _spells(letters: list[str], words: list[str]) -> bool:
    """Whether ``letters`` can be read off ``words`` in order, every content word used.

    Each content word gives its first letter and optionally more letters from its
    inside; a function word gives its initial or nothing.
    """
    lows = [w.lower() for w in words]

    @functools.cache
    def go(li: int, wi: int) -> bool:
        if wi == len(lows):
            return li == len(letters)
        word = lows[wi]
        optional = word in STOP_WORDS
        if optional and go(li, wi + 1):
            return True
        if li >= len(letters) or word[0] != letters[li]:
            return False
        # take the initial, then any letters further inside the same word
        pos, nl = 1, li + 1
        if go(nl, wi + 1):
            return True
        while nl < len(letters):
            found = word.find(letters[nl], pos)
            if found < 0:
                break
            pos, nl = found + 1, nl + 1
            if go(nl, wi + 1):
                return True
        return False

    return go(0, 0)

