"""What bitext knows about one language: the :class:`Language` record.

Each module of :mod:`bitext.languages` defines one ``LANGUAGE`` of this type.
Everything else (detection, sentence splitting, structure, footnotes, export
codes) reads these fields and never names a language's words itself.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Language:
    """Facts about one language as UN documents write it.

    Character-set fields (``sentence_end``, ``closing``, ``opening``) are plain
    strings of characters, not regular expressions. Word lists are lower case
    (abbreviations without their final period) so lookups are case-insensitive.
    """

    code: str
    """ISO 639-1 code, the name the registry and the command line use (``fr``)."""
    name: str
    """English name (``French``), for messages."""
    script: str
    """Unicode script property of its letters (``Latin``, ``Han``, ``Cyrillic``)."""
    bcp47: str
    """Default BCP 47 tag written into memories (``fr-FR``)."""
    iso639_2: tuple[str, ...] = ()
    """Its ISO 639-2 codes, bibliographic and terminology (``fre``, ``fra``): tags in
    memories may use them (RFC 3066, which TMX 1.4b cites, allows them)."""
    spaced: bool = True
    """Words are separated by spaces (False for Chinese)."""
    cased: bool = True
    """The script has capital letters, so a sentence starts with one."""
    right_to_left: bool = False
    """The script is written right to left (Arabic): the review page lays its text
    out so (HTML ``dir="rtl"``), else a full stop or a leading number or Latin name
    is drawn at the wrong end of the line."""
    min_script_share: float = 0.3
    """Share of a text's letters in ``script`` from which detection claims the text.
    A language whose script is shared (Latin) sets 0 and is told apart by stop words."""
    stopwords: frozenset[str] = frozenset()
    """Frequent function words found in no other language of the same script."""

    # ---------------------------------------------------------- sentences
    sentence_end: str = ".!?"
    """Characters that can end a sentence."""
    closing: str = "\"')]”’»>"
    """Closing quotes and brackets that stay with the sentence they end. ``>`` is
    half of ``>>``, the closing guillemet as plain-text conversions of UN
    documents write it (and ``<`` of ``<<`` in :attr:`opening`)."""
    opening: str = "\"'([“‘«<"
    """Characters that may open a sentence before its first letter."""
    spaced_closing: str = ""
    """Closing marks typeset after a (no-break) space (French ``»``)."""
    abbreviations: frozenset[str] = frozenset()
    """Words whose period never ends a sentence: titles (``Mr.``), words that
    announce a number or name (``para.``, ``No.``), Latin citations (``ibid.``)."""
    final_abbreviations: frozenset[str] = frozenset()
    """Abbreviations that close a list (``etc.``, ``и т. д.``, written here
    without inner spaces): before a capital their period also ends the sentence."""
    postnumeric: frozenset[str] = frozenset()
    """Abbreviations written after a number (``2015 г.``, ``5 km.``): after a
    number their period may end a sentence; elsewhere it does not (``г. Женева``)."""
    part_nouns: frozenset[str] = frozenset()
    """Nouns followed by a one-letter name (``section B``): that letter is no initial."""

    # ---------------------------------------------------------- structure
    summary_words: tuple[str, ...] = ()
    """Headings of the summary block before the body (``Summary``)."""
    annex_words: tuple[str, ...] = ()
    """Words that open an annex or appendix heading (``Annex``)."""
    agenda_pattern: str = ""
    """Regular expression matching a whole agenda-item line of the header
    (``Item 3 of the provisional agenda``), no anchors."""
    session_pattern: str = ""
    """Regular expression matching a session line of the header (no anchors)."""
    months: tuple[str, ...] = ()
    """Month names (genitive forms too, where dates use them)."""
    masthead_words: tuple[str, ...] = ()
    """Regular expressions for masthead lines (``Original:``); matched whole."""
    page_words: tuple[str, ...] = ()
    """The word before a page number in a page footer (``Page 3``)."""
    recycle: tuple[str, ...] = ()
    """The "please recycle" line printed at the foot of the first page."""
    date_pattern: str = ""
    """Regular expression for a date line that month names alone do not catch
    (``2016年10月``), no anchors."""
    paragraph_separators: str = ".．"
    """What follows a paragraph or heading number (``12.``; Arabic writes ``12 -``)."""
    heading_numerals: tuple[str, ...] = ()
    """Words numbering chapters I, II, III... where the language does not use
    Roman numerals (Arabic ``أولا``, ``ثانيا``; Chinese ``一`` ... ``九十九``), in
    order: the first is 1. They also number annexes (``附件二``)."""
    numeral_separators: str = ""
    """What follows a chapter numeral of :attr:`heading_numerals` when it is not
    what follows a paragraph number (Chinese ``一、``); empty: the same."""
    section_letters: str | tuple[str, ...] = ""
    """The letters (or letter names) of sections A, B, C... in order, when the
    language has its own (Cyrillic ``А``, ``Б``; Arabic ``ألف``, ``باء``)."""

    note_brackets: bool = False
    """Footnote references are written in brackets, ``(1)`` (Arabic UN documents),
    in the text and before the note."""

    number_units: frozenset[str] = frozenset()
    """Characters written right after a number that they count or date, in a
    language that writes no space there (Chinese ``年``, ``月``, ``段``): a number
    glued before one is a quantity, never a footnote marker."""

    hyphen_join_zipf: float = 3.0
    """The least Zipf frequency (``wordfreq``) of the joined form for a word
    broken at a line-end hyphen into two words of the language (``canta-`` /
    ``dos``) to be read as that word, not as a compound of the two: 3 (a
    common word) where the language writes many compounds of two words whose
    joined form also turns up (English ``peer-review``)."""

    year_marks: str = ""
    """Characters written right after a calendar year in digits, in a language
    that writes no space there (Chinese ``年``): a year is never grouped in
    thousands, so a line break inside one is no group's space."""

    masthead_names: tuple[str, ...] = ()
    """The organisation's name as the masthead prints it (``United Nations``)."""

    conjunctions: frozenset[str] = frozenset()
    """Coordinating conjunctions that join two words (``and``, ``or``), lower
    case: a line that ends in a hyphen after a word and goes on with one ends
    in a suspended hyphen, whose compound ends after the conjunction (made-up:
    ``pre- and post-session``), so the space after it stays."""

    # ------------------------------------------------------------ numbers
    number_words: tuple[tuple[str, int], ...] = ()
    """Numbers written as words, lower case, with their value: cardinals and
    ordinals (``three`` 3, ``third`` 3, ``twenty`` 20). A tens word joined to a
    units word by a hyphen (``sixty-ninth``) adds up."""
    numeral_digits: tuple[tuple[str, int], ...] = ()
    """Characters of a numeral system with multiplying units (Chinese ``三`` 3)."""
    numeral_units: tuple[tuple[str, int], ...] = ()
    """Its units (Chinese ``十`` 10, ``百`` 100): ``三十五`` is 3 x 10 + 5."""

    # ---------------------------------------------------------- terms
    term_stopwords: frozenset[str] = frozenset()
    """Function words (articles, pronouns, auxiliaries, prepositions, conjunctions,
    frequent adverbs), lower case: a term candidate never starts or ends with one,
    and only :attr:`term_joiners` may stand inside one."""
    term_joiners: frozenset[str] = frozenset()
    """Function words that may stand inside a term, between its content words
    (French ``de``, ``des``, ``l'``: ``Comité de rédaction``, ``droits de l'homme``;
    Russian ``по``: ``Комитет по правам человека``)."""
    term_articles: frozenset[str] = frozenset()
    """Joiners that are articles (French ``la``, ``l'``): inside a term an article
    follows another joiner (made-up: ``office de l'eau``, ``la terre et la mer``),
    never a content word. After one it opens what follows the word: the object
    of a verb (a made-up "allumer les lampes", "to light the lamps") or the next
    phrase, so a candidate ends before it."""
    term_negations: frozenset[str] = frozenset()
    """Joiners that negate the word after them (French ``non``): they stay in a
    term's key, so a made-up "lampes non ambrées" is not counted as
    "lampes ambrées"."""
    elisions: frozenset[str] = frozenset()
    """Elided words written with an apostrophe before the next word (French ``l'``,
    ``d'``), lower case without the apostrophe: split off as their own token."""
    stemmer: str = ""
    """Snowball algorithm (package ``snowballstemmer``) whose stems are the counting
    key of a term, so inflected forms count as one (Russian ``правам`` and
    ``права``); empty: the lower-case word is its key (or its
    :attr:`inflections` key)."""
    stem_vowel_endings: tuple[tuple[str, tuple[str, ...]], ...] = ()
    """A vowel that :attr:`stemmer` leaves at the end of a stem before some case
    endings and takes off with the others, with those endings: ``(vowel,
    endings)`` pairs. Where the stem ends in the vowel and the ending taken off
    is one of these, the key drops the vowel too, so every case of the word has
    one key (Russian, made-up forms of one noun: "аллея" and "аллеей" were keyed
    "алле", "аллеи" and "аллее" "алл"). An ending outside the list keeps it
    ("видео" is not "вид")."""
    compound_parts_decline: bool = False
    """Every part of a word written with a hyphen takes the case ending (Russian,
    made-up: "страны-участницы", "стран-участниц", participating countries),
    so each part is keyed apart; the stem of the whole word reached only the
    last part and counted the cases of one compound as different terms. Not
    French or Spanish, whose first parts are mostly invariant ("sous-", "vice-",
    "après-"): keyed apart they lost letters to the plural rewrite."""
    inflections: tuple[tuple[tuple[str, str], ...], ...] = ()
    """The counting key of a term's words by inflection only, in place of
    :attr:`stemmer`: stages of ``(suffix, replacement)`` rewrites, applied in
    order to the lower-case word with its accents removed, each stage rewriting
    its longest matching suffix when :data:`~bitext.languages.terms.MIN_STEM`
    letters stay (French plural, then feminine: ``nationales`` -> ``nationale``
    -> ``national``). Snowball's stems also drop derivational suffixes, which
    counts different terms as one (French ``développement`` and ``développés``,
    ``explosion`` and ``explosif``)."""
    clitics: tuple[str, ...] = ()
    """Prefixes written on a word that its counting key leaves out, accents
    removed (the Arabic article with the conjunctions and prepositions joined to
    it); the longest that leaves :data:`~bitext.languages.terms.MIN_STEM`
    letters is removed before :attr:`inflections`."""
    joined_conjunctions: tuple[str, ...] = ()
    """Conjunctions written on the next word that may also begin a word
    (Arabic ``و`` "and": ``ومدن`` "and cities", but ``وقود`` "fuel"):
    the glossary's counting key leaves one out only where the corpus writes the
    rest as a word of its own at least as often as the whole
    (:func:`bitext.languages.terms.conjunction_keys`)."""
    joined_prepositions: tuple[str, ...] = ()
    """Prepositions written on the next word that may also begin a word (Arabic
    ``ل`` "for", ``ب`` "by, in", ``ك`` "as"), after a joined conjunction if one is
    written: left out of a key word as :attr:`joined_conjunctions` are. A term's
    first word takes them where it has no article (the head of a construct:
    made-up ``لمدن الساحل``, "for the cities of the coast")."""
    citation_endings: tuple[tuple[str, ...], ...] = ()
    """How like its citation form (a dictionary's headword: Russian nominative
    singular) a word is by its ending, the letters after its counting key's
    stem (``""``: none): tiers of endings, the likeliest first; a word takes
    the tier of its longest ending listed (none listed: the first). A term is
    shown in the written form whose words' tiers add up least
    (:func:`bitext.languages.terms.citation_rank`); forms of one key only, so
    an ending shared by cases weighs in every form alike. Empty: the form the
    text writes most."""
    zero_ending_cases: tuple[tuple[str, ...], tuple[str, ...]] = ((), ())
    """Endings by which a word's other forms tell what its form with no ending
    is: with one of the second, an oblique case (Russian ``ой``, ``о``: a
    feminine's or a neuter's plural genitive, made-up "ламп" beside "лампой"),
    ranked with the last tier of :attr:`citation_endings`; else with one of the
    first, the citation form (``ом``, ``ов``: a masculine's nominative, "стол"
    beside "столом"); else the tier ``""`` has there."""
    citation_particles: tuple[str, ...] = ()
    """Particles written at the end of a word after its ending (Russian
    reflexive ``ся``): left out before :attr:`citation_endings` are read."""
    citation_clitics: tuple[str, ...] = ()
    """Prefixes written on a term's first word that its citation form does not
    carry (Arabic: a conjunction or preposition on the article, ``بال``,
    ``لل``), accents removed as in :attr:`clitics`."""
    latin: tuple[tuple[str, str], ...] = ()
    """Letter-by-letter Latin transliteration of a non-Latin script (lower case),
    ``(letter, Latin)`` pairs, to compare names and loan words with their
    Latin-script counterparts."""
    vowels_written: bool = True
    """False for a script that writes long vowels only (Arabic): a name or loan
    word is compared with its Latin spelling by its consonants
    (:func:`bitext.languages.terms.consonant_skeleton`): a made-up "Brevania" is
    written "بريفانيا", without its e."""
    latin_merges: tuple[tuple[str, str], ...] = ()
    """Latin letters the script writes with one letter, ``(letter, as)`` pairs,
    merged in both spellings before their consonants are compared (Arabic has no
    p, v or g and writes them ب, ف, ج)."""


def words(text: str) -> frozenset[str]:
    """A word list written as text, one or more words a line (for the modules' lists)."""
    return frozenset(text.split())
