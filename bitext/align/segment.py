"""Sentence segmentation for UN text in the six UN languages.

What ends a sentence, what may close or open one, and which abbreviations never
end one come from the language layer (:mod:`bitext.languages`); the rules here
are the same for every language.

Unspaced scripts (Chinese): a sentence ends after 。！？ (and ！？ in half width),
together with any closing quotes or brackets right after it; never at ；or ：.
A straight quote ``"`` there closes only a quotation that is open (an odd number
of them before it in the paragraph); else it opens the next sentence.

Spaced scripts: a sentence ends at its end punctuation (plus closing quotes and
brackets, French ``»`` after its no-break space) followed by a space and
something that can start a sentence: a capital in a cased script (any letter in
Arabic), a digit, an opening quote, bracket or ``¿ ¡``. It does not end when the
period belongs to an abbreviation of the language (``para.``, ``No.``, ``M.``,
``núm.``, ``т. е.``), an initial (``J. Smith``), a decimal number or a document
symbol (those contain no space, so they never split), or when all that precedes
it is a list label (``12.``, ``IV.``, ``(a)``): the label belongs to its sentence.
"""

from __future__ import annotations

import functools

import regex

from bitext.languages import Language, find_language, get_language
from bitext.types import is_cjk_lang

#: A paragraph or list label standing alone: "12.", "3.2.", "IV.", "B.", "c.", "(a)", "b)".
_LABEL = regex.compile(r"(?:\d{1,3}(?:\.\d{1,3})*\.?|[IVXLC]{1,6}\.|\p{L}\.|\(?[\p{Ll}\d]{1,4}\))")
#: The straight double quote, which both opens and closes a quotation.
_STRAIGHT = '"'
#: A number next, and a paragraph label next ("12. ", "3.2. ") with the space after it.
_NUMBER_NEXT = regex.compile(r"\s+\d")
_LABEL_NEXT = regex.compile(r"\s+\d{1,3}(?:\.\d{1,3})*\.\s")
#: Spaces French sets before closing guillemets: space, no-break, narrow no-break.
_THIN = "[ \u00a0\u202f]?"
#: A bullet opening a list item: a hyphen or dash standing for one, or a bullet
#: sign (• ▪), then a space.
_BULLET = "[-\u2013\u2014\u2022\u25aa]"
#: An elision in brackets, "[...]" or "(...)": a quotation's words left out
#: inside its sentence, never its end.
_ELISION = regex.compile(r"\[\.{3}\]|\(\.{3}\)")


def _language(lang: str) -> Language:
    known = find_language(lang)
    if known is not None:
        return known
    # a language bitext does not know: Chinese rules when it is written without
    # spaces (Japanese), else English ones
    return get_language("zh" if is_cjk_lang(lang) else "en")


@functools.cache
def _end_pattern(code: str) -> regex.Pattern[str]:
    lg = get_language(code)
    end, close, opening = (regex.escape(x) for x in (lg.sentence_end, lg.closing, lg.opening))
    if not lg.spaced:
        return regex.compile(rf"[{end}]+[{close}]*|…{{2,}}[{close}]*(?=\S)")
    spaced = rf"|{_THIN}[{regex.escape(lg.spaced_closing)}]" if lg.spaced_closing else ""
    # In a cased script a sentence starts with a capital or a digit, or with the
    # one-letter label of a table note ("a Estimates before revaluation.").
    # A list item after a sentence starts with its lower-case label ("b) Reduce"),
    # whatever the case of the word after it (Russian and French lists go on in
    # lower case: "b) укрепление").
    first = (r"[\p{Lu}\d]|\p{Ll}\s+\p{Lu}|\p{Ll}{1,4}\)\s+\p{L}" if lg.cased
             else r"[\p{L}\d]")
    return regex.compile(rf"[{end}]+(?:[{close}]{spaced})*"
                         rf"(?=\s+(?:{_BULLET}\s+)?[{opening}]*(?:{first}))")


def split_sentences(text: str, lang: str) -> list[str]:
    """Split one paragraph of clean text into sentences (stripped, non-empty)."""
    text = text.strip()
    if not text:
        return []
    lg = _language(lang)
    if not lg.spaced:
        return _split_unspaced(text, _end_pattern(lg.code))
    return _split_spaced(text, lg)


def _split_unspaced(text: str, pattern: regex.Pattern[str]) -> list[str]:
    out: list[str] = []
    pos = 0
    quotes = seen = 0  # straight quotes in text[:seen]
    for m in pattern.finditer(text):
        end = m.end()
        if end >= len(text):
            break
        # A straight quote after the end punctuation closes a quotation only
        # when one is open, an odd number of them before it; else it opens the
        # next sentence (an unspaced script has no space to tell).
        straight = text.find(_STRAIGHT, m.start(), end)
        if straight >= 0:
            quotes += text.count(_STRAIGHT, seen, straight)
            seen = straight
            if quotes % 2 == 0:
                end = straight
        out.append(text[pos:end].strip())
        pos = end
    out.append(text[pos:].strip())
    return [s for s in out if s]


def _split_spaced(text: str, lg: Language) -> list[str]:
    out: list[str] = []
    pos = last = 0
    for m in _end_pattern(lg.code).finditer(text):
        if _is_abbreviation(text, m.start(), m.group(0), lg):
            continue
        if _ELISION.fullmatch(text, m.start() - 1, m.end()):
            continue
        if _LABEL.fullmatch(text[pos:m.end()].strip()):
            continue
        out.append(text[pos:m.end()].strip())
        last, pos = pos, m.end()
    rest = text[pos:].strip()
    if out and _is_note(rest, lg):
        out[-1] = text[last:].strip()
    else:
        out.append(rest)
    return [s for s in out if s]


def _is_note(text: str, lg: Language) -> bool:
    """Whether ``text`` is a note in brackets that ends nothing of its own (a
    sector or source after a report's sentence): the paragraph's last words,
    it belongs to the sentence before it. A bracketed sentence ends with its
    own punctuation ("(See below.)"); a list label opens an item ("(a) ...")."""
    return (text.startswith("(") and text.endswith(")") and text[-2:-1] not in lg.sentence_end
            and "(" not in text[1:] and ")" not in text[:-1])


def _last_word(text: str, end: int, strip: str | None = None) -> str:
    """The last whitespace-separated word of ``text[:end]`` once ``strip`` (whitespace
    by default) is removed from its right; ``""`` when there is none.

    Looks back in a window that grows only while it holds no whole word, so a
    paragraph of many sentences (a text layer with no line breaks) costs each
    period the length of a word, not of all the text before it (which made
    segmenting a 20 MB line quadratic).
    """
    window = 64
    while True:
        lo = max(0, end - window)
        chunk = text[lo:end].rstrip(strip)
        parts = chunk.rsplit(None, 1)
        if lo == 0 or len(parts) == 2 or (parts and chunk[:1].isspace()):
            return parts[-1] if parts else ""
        window *= 4


def _word_start(text: str, end: int) -> int:
    """Where the word ending at ``end`` starts: after the last space, no-break space
    or ``(`` before it (0 when there is none). Looks back in a growing window, as
    :func:`_last_word` does, so the search never runs back through a whole line."""
    window = 64
    while True:
        lo = max(0, end - window)
        start = max(text.rfind(" ", lo, end), text.rfind("(", lo, end),
                    text.rfind("\u00a0", lo, end)) + 1
        if start or lo == 0:
            return start
        window *= 4


def _is_abbreviation(text: str, dot: int, punct: str, lg: Language) -> bool:
    if not punct.startswith("."):
        return False
    start = _word_start(text, dot)
    word = text[start:dot]
    if not word:
        return False
    # "l'art.": the abbreviation follows an elided article
    low = regex.split(r"['’]", word.lower().lstrip("\"'“‘«"))[-1]
    before = _last_word(text, start)
    if low in lg.final_abbreviations or (
            before and before.lower() + low in lg.final_abbreviations):
        return False  # "etc.", "и т. д." before a capital: the list and the sentence end
    if low in lg.postnumeric:
        # "2015 г." may end a sentence; "г. Женева" may not. Before a number it
        # goes on ("19 ч. 30 м. 24 мая", a date after a time) unless that number
        # labels a paragraph ("10 a.m. 1. Adoption").
        if not before[-1:].isdigit():
            return True
        after = dot + len(punct)
        return bool(_NUMBER_NEXT.match(text, after)) and not _LABEL_NEXT.match(text, after)
    if low in lg.abbreviations:
        return True
    if lg.cased and regex.fullmatch(r"\p{L}", word):
        # an initial (J. Smith) or an item label (d.), unless it names a part:
        # "chapter I, section B."
        before = _last_word(text, start, " ,")
        return not (before and before.lower().rstrip(".") in lg.part_nouns)
    # letters with inner periods: U.S., e.g. written without the final one
    return bool(regex.fullmatch(r"(?:\p{L}\.)+\p{L}", word))

def score_segmentation(gold: list[list[str]], predicted: list[list[str]]) -> dict[str, float]:
    """Sentence precision, recall and F1 of a segmentation against gold.

    ``gold[i]`` and ``predicted[i]`` split the same paragraph. A predicted sentence
    is right when both its ends (in characters, whitespace ignored) are those of a
    gold sentence. Returns ``precision``, ``recall``, ``f1`` and the counts
    ``gold``, ``predicted``, ``correct`` and ``multi`` (gold paragraphs with two or
    more sentences).
    """
    def spans(sentences: list[str]) -> set[tuple[int, int]]:
        out, pos = set(), 0
        for s in sentences:
            n = len(regex.sub(r"\s+", "", s))
            if n:
                out.add((pos, pos + n))
                pos += n
        return out

    n_gold = n_pred = correct = multi = 0
    for g, p in zip(gold, predicted, strict=True):
        gs, ps = spans(g), spans(p)
        n_gold += len(gs)
        n_pred += len(ps)
        correct += len(gs & ps)
        multi += len(gs) > 1
    precision = correct / n_pred if n_pred else 0.0
    recall = correct / n_gold if n_gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1, "gold": n_gold,
            "predicted": n_pred, "correct": correct, "multi": multi}
