"""French as UN documents write it: « » with no-break spaces, ``M.``, ``par.``, ``1er``."""

from bitext.languages.base import Language, words

LANGUAGE = Language(
    code="fr",
    iso639_2=("fre", "fra"),
    name="French",
    script="Latin",
    # UN French follows the usage of France (Académie, Imprimerie nationale);
    # fr-FR is also what CAT tools pick for plain "French".
    bcp47="fr-FR",
    min_script_share=0.0,
    stopwords=frozenset({
        "le", "les", "des", "et", "du", "une", "est", "dans", "pour", "qui", "au", "aux",
        "sur", "ne", "pas", "ce", "cette", "sont", "avec", "il", "ses", "leur",
    }),
    # French typesets a (narrow) no-break space inside « » and before ? ! ; :
    # (and a space inside << >>, their plain-text form)
    spaced_closing="»>",
    abbreviations=frozenset({
        # people and titles
        "m", "mm", "mme", "mmes", "mlle", "mlles", "dr", "pr", "me", "mgr", "s.e", "ste", "st",
        # references: paragraphe, alinéa, article, numéro, page, chapitre, volume ...
        "par", "al", "art", "arts", "no", "nos", "n°", "p", "pp", "chap", "vol", "sect",
        "fig", "annexe", "doc", "rév", "rev", "corr", "add", "suppl", "cf", "ibid", "op",
        "cit", "éd", "env", "ex", "av", "bd", "c.-à-d", "p.ex", "réf",
        # company forms kept in the company's own language: Ltd., Inc.
        "ltd", "inc",
        "janv", "févr", "avr", "juil", "sept", "oct", "nov", "déc",
    }),
    final_abbreviations=frozenset({"etc"}),
    part_nouns=frozenset({
        "section", "sections", "chapitre", "chapitres", "partie", "parties", "annexe",
        "annexes", "appendice", "catégorie", "groupe", "tableau", "figure", "option",
        "article", "volume", "titre", "phase", "niveau", "liste", "composante",
        "sous-programme", "programme", "pilier", "objectif", "modèle", "type", "classe",
    }),
    summary_words=("Résumé",),
    annex_words=("Annexe", "Appendice"),
    agenda_pattern=r"Points?\s+\d.*(?:ordre\s+du\s+jour|liste)(?:\s+\p{L}+)?\W*",
    session_pattern=(r"(?:[\w-]+\s+){0,3}session(?:\s+(?:extraordinaire|reprise|de\s+fond))?"
                     r"(?:\s+de\s+\d{4})?"),
    months=("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
            "septembre", "octobre", "novembre", "décembre"),
    masthead_words=(r"Distr\.\s*:?.*", r"Original\s*:.*", "Générale", "Restreinte"),
    masthead_names=("Nations Unies",),
    conjunctions=frozenset({"et", "ou"}),
    page_words=("Page",),
    recycle=(r"Merci\s+de\s+recycler",),
    # Terms: French grammar words (general French, no subject words). A term is a
    # noun phrase "nom + de + nom" with adjectives after the noun, so "de", the
    # articles after it and a few prepositions may stand inside one.
    term_stopwords=words("""
        a à afin ai aie aient ait alors après as au aucun aucune aujourd auprès aussi autant
        autre autres aux avaient avait avant avec avez avoir avons ayant c ça car ce ceci cela
        celle celles celui cependant certains certaines ces cet cette ceux chacun chaque chez
        ci comme comment concernant contre d dans de depuis des dès donc dont du elle elles
        en encore entre es est et étaient était étant été être eu eux fait faire fois font
        hors ici il ils j jamais je jusqu jusque l la laquelle le lequel les lesquels
        lesquelles leur leurs lors lorsqu lorsque lui m ma mais me même mêmes mes moins mon
        n ne ni non nos notamment notre nous on ont ou où par parce parmi pas pendant peu
        peut peuvent plus plusieurs pour pourquoi pourrait pourraient qu quand que quel
        quelle quelles quels qui quoi s sa sans se selon ser sera seraient serait seront ses
        si sien sinon soit sont sous suis sur t ta tandis tant te tel telle telles tels tes
        toi ton tous tout toute toutes très tu un une unes uns vers via vos votre vous y
        doit doivent devrait devraient également ainsi toutefois afin déjà
        malgré durant envers sauf hormis excepté outre moyennant conformément environ
        presque quant
    """),
    # "non" negates the adjective after it inside a term (made up: "lampes non
    # ambrées", "outils non tranchants"); French negates a verb
    # with "ne ... pas", so "non" rarely joins a noun to a verb.
    term_joiners=frozenset({"de", "des", "du", "d", "la", "l", "le", "les", "et", "pour",
                            "contre", "sur", "en", "à", "aux", "au", "non"}),
    term_negations=frozenset({"non"}),
    # "du", "des", "au", "aux" are a preposition and an article in one word: they
    # follow a noun ("contrôle des exportations")
    term_articles=frozenset({"la", "le", "les", "l"}),
    elisions=frozenset({"l", "d", "qu", "n", "s", "c", "j", "m", "t", "jusqu", "lorsqu",
                        "puisqu", "quelqu"}),
    # Counting keys by inflection (bitext.languages.terms.word_key): the plural,
    # then the feminine (accents removed: "générales" -> "generale" -> "general",
    # "développées" -> "developpee" -> "developp", "dangereuses" -> "dangereu" as
    # "dangereux"). Snowball's French stems also drop derivational suffixes and
    # counted a participle and its action noun as one term (made up: "outils
    # tranchés" and "outils en tranchement").
    inflections=(
        (("eaux", "eau"), ("aux", "al"), ("s", ""), ("x", "")),
        (("ive", "if"), ("euse", "eu"), ("elle", "el"), ("enne", "en"), ("ette", "et"),
         ("ere", "er"), ("ee", ""), ("e", "")),
    ),
    # A word broken at a line-end hyphen into two words (continuer- / ait) is
    # the word from Zipf 2.5: of the test set's hyphenated tokens of two
    # common words (each Zipf 3+), none has a joined form of Zipf 2.5-3,
    # against 727 tokens of words of Zipf 2.5-3 that a break can cut into two
    # such words; at 2.0 compounds come in (peut-être, bien-être: 2.26).
    hyphen_join_zipf=2.5,
)
