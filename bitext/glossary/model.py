"""The glossary's data: terms, example sentence pairs and concepts.

A :class:`Concept` is one entry of a bilingual glossary: the Chinese and English
terms that name the same thing (each with its variants), why the extractor believes
they match (``score`` and ``evidence``), how often they occur, and a few aligned
sentence pairs in which both occur, so a reviewer can decide without opening the
document.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# TBX-Basic picklist values for termType (ISO 30042 / TBX-Basic module).
TERM_TYPES = ("fullForm", "acronym", "abbreviation", "shortForm", "variant", "phrase")
# TBX-Basic picklist values for partOfSpeech.
PARTS_OF_SPEECH = ("noun", "verb", "adjective", "adverb", "other")


@dataclass(frozen=True)
class Term:
    """One written form of a concept in one language.

    ``freq`` counts occurrences in the document (not aligned segments);
    ``term_type`` is a TBX-Basic termType value (:data:`TERM_TYPES`).
    """

    text: str
    lang: str
    term_type: str = "fullForm"
    part_of_speech: str = "noun"
    freq: int = 0


@dataclass(frozen=True)
class Example:
    """An aligned segment pair in which the concept occurs on both sides."""

    src: str
    tgt: str
    label: str = ""


@dataclass(frozen=True)
class Concept:
    """One glossary entry.

    ``terms`` lists every term, source language first; within a language the
    preferred term comes first. ``score`` is the confidence in [0, 1] that the
    terms name the same concept (higher is better); ``rank_score`` orders the
    glossary (confidence weighted by frequency and specificity). ``freq_src`` /
    ``freq_tgt`` count aligned segments containing a term of that language,
    ``cooc`` the segments containing both, ``docs`` the documents containing one.
    ``evidence`` holds the component scores (``dice``, ``llr``, ``dictionary``,
    ``length``, ``embedding``) as ``(name, value)`` pairs.
    """

    id: str
    src_lang: str
    tgt_lang: str
    terms: tuple[Term, ...]
    kind: str = "term"  # or organization, instrument, name: a note in TBX, a column in CSV
    score: float = 0.0
    rank_score: float = 0.0
    freq_src: int = 0
    freq_tgt: int = 0
    cooc: int = 0
    docs: int = 1
    examples: tuple[Example, ...] = ()
    evidence: tuple[tuple[str, float], ...] = field(default=())

    def terms_in(self, lang: str) -> tuple[Term, ...]:
        """The terms of one language, preferred first."""
        base = lang.split("-")[0].lower()
        return tuple(t for t in self.terms if t.lang.split("-")[0].lower() == base)

    @property
    def src(self) -> str:
        """The preferred source-language term."""
        terms = self.terms_in(self.src_lang)
        return terms[0].text if terms else ""

    @property
    def tgt(self) -> str:
        """The preferred target-language term."""
        terms = self.terms_in(self.tgt_lang)
        return terms[0].text if terms else ""

    @property
    def zh(self) -> str:
        """The preferred Chinese term (whichever side is Chinese)."""
        terms = self.terms_in("zh")
        return terms[0].text if terms else ""

    @property
    def en(self) -> str:
        """The preferred English term (whichever side is English)."""
        terms = self.terms_in("en")
        return terms[0].text if terms else ""

    @property
    def zh_variants(self) -> tuple[str, ...]:
        return tuple(t.text for t in self.terms_in("zh")[1:])

    @property
    def en_variants(self) -> tuple[str, ...]:
        return tuple(t.text for t in self.terms_in("en")[1:])

    def evidence_dict(self) -> dict[str, float]:
        return dict(self.evidence)
