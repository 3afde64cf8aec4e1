"""French as UN documents write it: « » with no-break spaces, ``M.``, ``par.``, ``1er``."""

from bitext.languages.base import Language

LANGUAGE = Language(
    code="fr",
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
    closing="\"')]”’»",
    opening="\"'([“‘«",
    # French typesets a (narrow) no-break space inside « » and before ? ! ; :
    spaced_closing="»",
    abbreviations=frozenset({
        # people and titles
        "m", "mm", "mme", "mmes", "mlle", "mlles", "dr", "pr", "me", "mgr", "s.e", "ste", "st",
        # references: paragraphe, alinéa, article, numéro, page, chapitre, volume ...
        "par", "al", "art", "arts", "no", "nos", "n°", "p", "pp", "chap", "vol", "sect",
        "fig", "annexe", "doc", "rév", "rev", "corr", "add", "suppl", "cf", "ibid", "op",
        "cit", "éd", "env", "ex", "av", "bd", "c.-à-d", "p.ex", "réf",
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
    page_words=("Page",),
    recycle=(r"Merci\s+de\s+recycler",),
)
