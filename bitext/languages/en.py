"""English as UN documents write it (British spelling, Oxford conventions)."""

from bitext.languages.base import Language

LANGUAGE = Language(
    code="en",
    iso639_2=("eng",),
    name="English",
    script="Latin",
    # The UN writes British English (Oxford spelling): en-GB, the code bitext
    # has always written.
    bcp47="en-GB",
    min_script_share=0.0,
    stopwords=frozenset({
        "the", "of", "and", "to", "in", "is", "that", "for", "with", "on", "by", "this",
        "be", "are", "was", "which", "its", "has", "have", "from",
    }),
    abbreviations=frozenset({
        "no", "nos", "para", "paras", "art", "arts", "doc", "docs", "e.g", "i.e", "mr", "mrs",
        "ms", "dr", "prof", "u.n", "corr", "rev", "add", "vol", "vols", "p", "pp", "ch", "chap",
        "sect", "sec", "fig", "figs", "cf", "approx", "viz", "vs", "st", "jr", "sr", "gen",
        "col", "lt", "sgt", "capt", "rt", "hon", "amb", "h.e", "messrs", "mmes", "mme", "mlle",
        "m", "dept", "govt", "inc", "ltd", "co", "corp", "annex", "ibid", "op", "cit", "seq",
        "al", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov",
        "dec", "subpara", "subparas", "reg", "regs", "ed", "eds", "s", "ss",
    }),
    final_abbreviations=frozenset({"etc"}),
    # The time of day after its number (10 a.m.) may end a sentence, as "г."
    # after a year does in Russian.
    postnumeric=frozenset({"a.m", "p.m"}),
    part_nouns=frozenset({
        "section", "sections", "sect", "chapter", "chapters", "chap", "part", "parts", "annex",
        "annexes", "appendix", "category", "categories", "group", "table", "figure", "option",
        "schedule", "article", "volume", "vol", "title", "phase", "level", "list", "component",
        "subprogramme", "programme", "cluster", "pillar", "goal", "model", "type", "class",
    }),
    summary_words=("Summary", "Abstract"),
    annex_words=("Annex", "Appendix"),
    agenda_pattern=r"(?:Items?|Agenda\s+items?)\s+\d.*(?:agenda|list)\W*",
    session_pattern=r"(?:[\w-]+\s+){0,3}(?:special\s+|resumed\s+)?session",
    months=("January", "February", "March", "April", "May", "June", "July", "August",
            "September", "October", "November", "December"),
    masthead_words=(r"Distr\.?\s*:.*", r"Original\s*:.*", "Limited", "General"),
    masthead_names=("United Nations",),
    conjunctions=frozenset({"and", "or", "nor"}),
    page_words=("Page",),
    recycle=(r"Please\s+recycle",),
    number_words=(
        ("one", 1), ("two", 2), ("three", 3), ("four", 4), ("five", 5), ("six", 6),
        ("seven", 7), ("eight", 8), ("nine", 9), ("ten", 10), ("eleven", 11), ("twelve", 12),
        ("thirteen", 13), ("fourteen", 14), ("fifteen", 15), ("sixteen", 16),
        ("seventeen", 17), ("eighteen", 18), ("nineteen", 19), ("twenty", 20), ("thirty", 30),
        ("forty", 40), ("fifty", 50), ("sixty", 60), ("seventy", 70), ("eighty", 80),
        ("ninety", 90), ("hundred", 100), ("thousand", 1000),
        ("first", 1), ("second", 2), ("third", 3), ("fourth", 4), ("fifth", 5), ("sixth", 6),
        ("seventh", 7), ("eighth", 8), ("ninth", 9), ("tenth", 10), ("eleventh", 11),
        ("twelfth", 12), ("thirteenth", 13), ("fourteenth", 14), ("fifteenth", 15),
        ("sixteenth", 16), ("seventeenth", 17), ("eighteenth", 18), ("nineteenth", 19),
        ("twentieth", 20), ("thirtieth", 30), ("fortieth", 40), ("fiftieth", 50),
        ("sixtieth", 60), ("seventieth", 70), ("eightieth", 80), ("ninetieth", 90),
        ("hundredth", 100), ("thousandth", 1000),
    ),
)

# The coordinator that may join the conjuncts of one lower-case term whose
# conjuncts share a modifier or a head ("regional peace and stability",
# "fishing boats and small vessels"), for the glossary's candidates.
COORDINATOR = "and"
# Words after the coordinator in such a term: the second conjunct's head and one
# modifier of it ("light weapons"); a longer tail is a clause or a second term.
COORDINATION_TAIL = 2

# Prepositions that close a complex preposition (preposition + noun +
# preposition: "in order to", "on behalf of", "in line with"): a noun after a
# preposition that the documents nearly always follow with one of these is part
# of such a preposition, not the object that ends a term (the glossary's
# EnglishExtractor.learn).
PREPOSITION_CLOSERS = frozenset({"of", "to", "with"})

# Prepositions that open the fixed complement of a name around a varying part:
# "Permanent Observer of <a State> to the Andean Council", "Ambassador of <a
# State> in <a city>". The name's head and its complement make one term that
# holds the complement's name ("Permanent Observer ... to the Andean Council").
NAME_COMPLEMENT = frozenset({"to", "at", "in", "for", "on"})
# The preposition that introduces the varying part (the State, the person).
NAME_VARIABLE = "of"

# Words that open a verb's object or clause: a lower-case word in -s between a
# capitalised name and one of them is the name's verb ("the Committee
# recommends that", "the Harbour Authority presents its report"), not the
# plural that ends a term.
OBJECT_OPENERS = frozenset({"that", "the", "its", "their", "his", "her", "a", "an", "this",
                            "these", "those"})

# Words after which a word English also uses as a verb is a noun: determiners,
# quantifiers, possessives and prepositions other than "to" (which opens an
# infinitive). A base form there opens a compound term ("the supply of
# equipment", "for test results", "each review cycle", "during export
# checks"), where elsewhere it opens a predicate ("to supply equipment", "and
# test staff"). Not "that" or "which": they open clauses; not "first", also an
# adverb before a verb ("should first review them"), nor "all" ("they all
# support it").
NOUN_POSITION = frozenset({"the", "a", "an", "its", "their", "his", "her", "our", "my", "your",
                           "this", "these", "those", "each", "every", "any", "no",
                           "some", "such", "another", "other", "next", "last", "both",
                           "either", "neither", "several", "few", "many", "same", "own",
                           "of", "for", "on", "in", "by", "with", "from", "against", "under",
                           "without", "through", "into", "between", "among", "via", "at",
                           "about", "after", "before", "during", "within", "across", "beyond",
                           "upon", "towards", "toward", "over", "throughout", "regarding",
                           "concerning", "including"})

# Head words of the titles of instruments and publications, as English writes
# them ("Convention relating to ...", "Guidelines for the ...", "Model Law on
# ..."): a title in 《》 on the Chinese side is looked for in the English from
# such a word on, for the glossary's candidates.
TITLE_HEADS = frozenset({
    "convention", "conventions", "protocol", "protocols", "covenant", "treaty", "agreement",
    "declaration", "charter", "guidelines", "guideline", "principles", "rules", "standards",
    "code", "law", "act", "statute", "plan", "programme", "agenda", "strategy", "framework",
    "platform", "compact", "accord", "pact", "regulations", "procedures", "manual",
    "handbook", "guide", "toolkit", "report", "review", "survey", "study", "recommendations",
})
# Function words that may stand inside such a title besides those inside any
# name ("Convention relating to the Status of ...", "Principles concerning ...").
TITLE_INNER = frozenset({"relating", "concerning", "regarding", "with", "respect", "between",
                         "a", "an"})

# Past forms of irregular verbs that do not end in -ed and are no common noun
# or adjective after a noun: ending an English candidate they are the verb of
# its clause run on ("the wardens held", "the guild met"), as a word
# in -ed is (english.EnglishExtractor._bad_last). General English grammar, not
# read from any document; forms that are also nouns ("set", "cut", "lead",
# "left", "won", "shot") or that equal their base form are left out.
IRREGULAR_PAST = frozenset({
    "arose", "arisen", "ate", "awoke", "became", "began", "begun", "bore", "borne",
    "bought", "brought", "built", "caught", "chose", "chosen", "came", "dealt", "did",
    "drew", "drawn", "drove", "driven", "fell", "fallen", "felt", "fled", "flew", "flown",
    "forbade", "forbidden", "forgot", "forgotten", "fought", "found", "froze", "frozen",
    "gave", "given", "got", "gotten", "grew", "grown", "heard", "held", "hid", "hidden",
    "kept", "knew", "known", "laid", "led", "lent", "lost", "made", "meant", "met",
    "overcame", "overtook", "overtaken", "oversaw", "overseen", "paid", "rang", "rode",
    "ridden", "rose", "risen", "sang", "sank", "saw", "seen", "sent", "sold", "sought",
    "spent", "spoke", "spoken", "stole", "stolen", "stood", "strove", "stuck", "struck",
    "swore", "sworn", "taught", "thought", "threw", "thrown", "told", "took", "taken",
    "tore", "torn", "undertook", "undertaken", "understood", "upheld", "withdrew",
    "withdrawn", "withheld", "woke", "woken", "wore", "worn", "wrote", "written",
})
