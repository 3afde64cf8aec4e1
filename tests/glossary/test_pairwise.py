"""Glossaries of pairs other than zh-en: association, cognates, bounded counting."""

from __future__ import annotations

from pathlib import Path

import pytest

from bitext.cli import main
from bitext.glossary import extract_glossary, read_glossary
from bitext.glossary.pairwise import BoundedCounter, _PairTable, sizes_fit
from bitext.types import AlignedPair, Alignment

# Written for these tests (water and sanitation wording), English and French.
EN_FR = [
    ("Access to drinking water remains limited in rural areas.",
     "L'accès à l'eau potable reste limité dans les zones rurales."),
    ("The ministry expanded access to drinking water.",
     "Le ministère a élargi l'accès à l'eau potable."),
    ("Drinking water and basic sanitation are human rights.",
     "L'eau potable et l'assainissement de base sont des droits de l'homme."),
    ("Basic sanitation reached new rural areas.",
     "L'assainissement de base a atteint de nouvelles zones rurales."),
    ("The water authority published a report on basic sanitation.",
     "L'autorité de l'eau a publié un rapport sur l'assainissement de base."),
    ("Human rights bodies visited rural areas.",
     "Des organes des droits de l'homme ont visité les zones rurales."),
    ("The report covers human rights and drinking water.",
     "Le rapport porte sur les droits de l'homme et l'eau potable."),
    ("Another report described groundwater pollution.",
     "Un autre rapport a décrit la pollution des eaux souterraines."),
    ("Groundwater pollution threatens drinking water.",
     "La pollution des eaux souterraines menace l'eau potable."),
    ("The authority monitors groundwater pollution.",
     "L'autorité surveille la pollution des eaux souterraines."),
]


def _alignment(rows: list[tuple[str, str]], src: str = "en", tgt: str = "fr") -> Alignment:
    return Alignment(src, tgt, tuple(AlignedPair((a,), (b,), 1.0, str(n))
                                     for n, (a, b) in enumerate(rows, 1)))


def _pairs(concepts: list) -> set[tuple[str, str]]:  # type: ignore[type-arg]
    return {(c.src.lower(), c.tgt.lower()) for c in concepts}


def test_en_fr_terms_pair_by_association() -> None:
    concepts = extract_glossary(_alignment(EN_FR))
    pairs = _pairs(concepts)
    for pair in [("drinking water", "eau potable"), ("basic sanitation", "assainissement de base"),
                 ("human rights", "droits de l'homme"), ("rural areas", "zones rurales"),
                 ("groundwater pollution", "pollution des eaux souterraines")]:
        assert pair in pairs, pair
    # each term once, and never a French term holding a verb of the sample
    assert len({c.src for c in concepts}) == len(concepts)
    assert not any("visité" in c.tgt or "menace" in c.tgt for c in concepts)
    top = concepts[0]
    assert top.src_lang == "en" and top.tgt_lang == "fr" and top.examples
    assert all(t.lang in ("en", "fr") for c in concepts for t in c.terms)


def test_direction_follows_the_alignment() -> None:
    concepts = extract_glossary(_alignment([(b, a) for a, b in EN_FR], "fr", "en"))
    assert ("eau potable", "drinking water") in _pairs(concepts)
    assert concepts[0].terms[0].lang == "fr"


def test_russian_case_forms_are_one_term_with_variants() -> None:
    rows = [("The Human Rights Council met.", "Совет по правам человека собрался."),
            ("A report to the Human Rights Council.", "Доклад Совету по правам человека."),
            ("The Human Rights Council adopted it.", "Совет по правам человека принял его."),
            ("Members of the Human Rights Council.", "Члены Совета по правам человека.")]
    concepts = extract_glossary(_alignment(rows, "en", "ru"))
    council = next(c for c in concepts if c.src == "Human Rights Council")
    forms = {t.text for t in council.terms_in("ru")}
    assert {"Совет по правам человека", "Совету по правам человека",
            "Совета по правам человека"} <= forms


def test_bounded_counter_keeps_frequent_keys_and_states_its_error() -> None:
    counter = BoundedCounter(cap=8)
    for n in range(40):
        counter.add(["frequent", f"rare{n}"])
    assert len(counter.counts) <= 8
    assert counter.counts["frequent"] + counter.error >= 40
    assert counter.counts["frequent"] >= 40 - counter.error


def test_pair_table_merges_chunks_and_stays_bounded() -> None:
    import numpy as np

    table = _PairTable(cap=4)
    # ids and word counts of each side, then the counts with a compound one word
    one = (np.array([0, 1]), np.array([1, 1]), np.array([0, 1]), np.array([1, 1]),
           np.array([1, 1]), np.array([1, 1]))
    table.add([one, one])
    table.add([one])
    codes, counts = table.result()
    assert dict(zip(codes.tolist(), counts.tolist(), strict=True)) == {
        0: 3, 1: 3, (1 << 32): 3, (1 << 32) | 1: 3}
    for n in range(10):
        table.add([(np.array([5 + n]), np.array([1]), np.array([5 + n]), np.array([1]),
                    np.array([1]), np.array([1]))])
    assert len(table.result()[0]) <= 4 and table.error >= 1


def test_sizes_fit() -> None:
    assert sizes_fit(2, 3) and sizes_fit(5, 7) and not sizes_fit(1, 3)


def test_cli_glossary_of_an_en_fr_memory(tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    memory = tmp_path / "job.tsv"
    memory.write_text("en\tfr\n" + "".join(f"{a}\t{b}\n" for a, b in EN_FR), encoding="utf-8")
    out = tmp_path / "terms.tbx"
    try:
        main(["glossary", "--memory", str(memory), "-o", str(out), "--no-embed",
              "--src-lang", "en", "--tgt-lang", "fr"])
        code = 0
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    assert code == 0, capsys.readouterr().err
    concepts = read_glossary(out)
    assert ("drinking water", "eau potable") in _pairs(concepts)
    assert concepts[0].examples[0].label.startswith("job.tsv:")


def _pair_concepts(other: str, rows: list[tuple[str, str]]) -> list:  # type: ignore[type-arg]
    return extract_glossary(_alignment(rows, "en", other))


def test_multilingual_tbx_has_one_langsec_per_language(tmp_path: Path,
                                                      schemas_dir: Path) -> None:
    from lxml import etree

    from bitext.glossary import validate_tbx, write_glossary
    from bitext.glossary.multi import join_glossaries

    en = [a for a, _ in EN_FR]
    # the same English with Spanish written for this test
    es = ["El acceso al agua potable sigue siendo limitado en las zonas rurales.",
          "El ministerio amplió el acceso al agua potable.",
          "El agua potable y el saneamiento básico son derechos humanos.",
          "El saneamiento básico llegó a nuevas zonas rurales.",
          "La autoridad del agua publicó un informe sobre el saneamiento básico.",
          "Órganos de derechos humanos visitaron zonas rurales.",
          "El informe trata de los derechos humanos y el agua potable.",
          "Otro informe describió la contaminación de las aguas subterráneas.",
          "La contaminación de las aguas subterráneas amenaza el agua potable.",
          "La autoridad vigila la contaminación de las aguas subterráneas."]
    joined = join_glossaries("en", {"fr": _pair_concepts("fr", EN_FR),
                                    "es": _pair_concepts("es", list(zip(en, es, strict=True)))})
    water = next(c for c in joined if c.src == "drinking water")
    assert {t.text for t in water.terms_in("fr")} >= {"eau potable"}
    assert {t.text for t in water.terms_in("es")} >= {"agua potable"}
    assert water.score <= min(v for _, v in water.evidence)
    out = tmp_path / "multi.tbx"
    write_glossary(joined, out, "tbx")
    assert validate_tbx(out, schemas_dir) == []
    ns = {"t": "urn:iso:std:iso:30042:ed-2"}
    entry = etree.parse(str(out)).find(".//t:conceptEntry", ns)
    assert entry is not None
    langs = [s.get("{http://www.w3.org/XML/1998/namespace}lang")
             for s in entry.findall("t:langSec", ns)]
    assert langs == ["en", "fr", "es"]
    # the Spanish section has no French sentence as its context
    assert entry.findall("t:langSec[2]//t:descrip", ns)
    assert not entry.findall("t:langSec[3]//t:descrip", ns)


def test_a_term_seen_once_pairs_when_its_words_translate() -> None:
    concepts = extract_glossary(_alignment(EN_FR))
    # seen once: "water" translates "eau" in the rest of the sample, "authority"
    # is spelt like "autorité"
    once = next(c for c in concepts if c.src.lower() == "water authority")
    assert once.tgt == "autorité de l'eau" and once.cooc == 1
    assert dict(once.evidence)["words"] == 1.0
    # a phrase seen once whose words the sample does not attest pairs with nothing
    assert not any(c.src.lower() == "another report" for c in concepts)


def test_spill_gives_back_every_segments_candidates_in_order(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Pass 1's candidates, written in chunks, read back whole by every later pass."""
    import tempfile

    from bitext.glossary import pairwise

    monkeypatch.setattr(pairwise, "CHUNK", 3)
    rows = [([(f"a{i}", f"A{i}", 1, "term")] * (i % 3), [(f"b{i}", f"b{i}", 2, "name")])
            for i in range(10)]
    with tempfile.TemporaryFile() as fh:
        spill = pairwise._Spill(fh)
        for fa, fb in rows:
            spill.add(fa, fb)
        spill.close_writing()
        assert list(spill) == rows
        assert list(spill) == rows  # and again, for the next pass


def test_a_term_seen_once_pairs_with_a_term_seen_more_often() -> None:
    """English seen once, its French in two segments (the other one a free
    rendering): Dice cannot pair them, the words can; the Dice stated is the
    real one."""
    rows = [*EN_FR, ("The utility raised its tariffs.",
                     "L'autorité de l'eau a relevé ses tarifs.")]
    concepts = extract_glossary(_alignment(rows))
    once = next(c for c in concepts if c.src.lower() == "water authority")
    assert once.tgt == "autorité de l'eau" and once.cooc == 1
    assert once.freq_src == 1 and once.freq_tgt == 2
    assert dict(once.evidence)["words"] == 1.0
    assert dict(once.evidence)["dice"] == pytest.approx(2 / 3, abs=1e-4)
    # the segment whose English does not say it pairs the French with nothing else
    assert not any(c.src.lower() == "utility" for c in concepts)


def test_every_written_form_of_a_segment_is_kept() -> None:
    """A key written twice in one segment (singular and plural) lists both forms."""
    rows = [*EN_FR[:7], ("Other rural areas, and the last rural area.",
                         "Les autres zones rurales, et la dernière zone rurale.")]
    concepts = extract_glossary(_alignment(rows))
    rural = next(c for c in concepts if c.src.lower() == "rural areas")
    assert {t.text for t in rural.terms_in("fr")} >= {"zones rurales", "zone rurale"}


def test_a_one_word_name_seen_once_pairs_with_its_spelling() -> None:
    """One word seen once on both sides pairs when spelt alike and rare (a name,
    a loan word), also across scripts; a word of both general languages does not."""
    rows = [*EN_FR, ("Experts visited Morvania in May.",
                     "Des experts ont visité la Morvanie en mai.")]
    pairs = _pairs(extract_glossary(_alignment(rows)))
    assert ("morvania", "morvanie") in pairs
    assert not any(a == "experts" or b == "mai" for a, b in pairs)
    ru = [("The mission visited Morvania.", "Миссия посетила Морванию."),
          ("Drinking water reached the towns.", "Питьевая вода дошла до городов."),
          ("Drinking water is scarce.", "Питьевой воды не хватает.")]
    assert any(c.src == "Morvania" and "Морванию" in c.tgt
               for c in extract_glossary(_alignment(ru, "en", "ru")))


def test_a_name_seen_once_pairs_with_its_spelling_though_a_general_word(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A country's name is a word of the general language to wordfreq (here a
    made-up name made frequent): written with a capital inside its sentence
    on both sides (on the English side only, against Arabic, which has no
    capitals), it pairs with its spelling; at a sentence's start it does not."""
    from bitext.glossary import pairwise

    real = pairwise._specificity
    monkeypatch.setattr(pairwise, "_specificity", lambda text, lang: (
        0.7 if text.lower().startswith(("morvani", "морвани", "بريفانيا")) else real(text, lang)))
    rows = [*EN_FR, ("Experts visited Morvania in May.",
                     "Des experts ont visité la Morvanie en mai.")]
    assert ("morvania", "morvanie") in _pairs(extract_glossary(_alignment(rows)))
    start = [*EN_FR, ("Morvania was visited in May.", "Morvanie a été visitée en mai.")]
    assert ("morvania", "morvanie") not in _pairs(extract_glossary(_alignment(start)))
    ar = [("The mission visited Brevania.", "زارت البعثة بريفانيا."),
          ("Drinking water reached the towns.", "وصلت مياه الشرب إلى المدن."),
          ("Drinking water is scarce.", "مياه الشرب نادرة.")]
    assert any(c.src == "Brevania" and c.tgt == "بريفانيا"
               for c in extract_glossary(_alignment(ar, "en", "ar")))

def test_a_rare_cognate_seen_once_needs_dice() -> None:
    """A word seen once spelt like a word the other side writes in many other
    segments (another form of it) is not paired: Dice is below MIN_DICE."""
    rows = [*EN_FR, *[(f"Report {n} was long.", f"Le rapport {n} sur la Morvanie était long.")
                      for n in range(4)],
            ("Experts visited Morvania in May.", "Des experts ont visité la Morvanie en mai.")]
    pairs = _pairs(extract_glossary(_alignment(rows)))
    assert ("morvania", "morvanie") not in pairs


def test_function_words_of_an_english_key_are_not_words_to_explain() -> None:
    from bitext.glossary.pairwise import _explained

    lexicon = ({"forest": {"foret"}, "cover": {"couvert"}},
               {"foret": {"forest"}, "couvert": {"cover"}})
    # the French key holds no joiner: "of" has nothing to be explained by
    assert _explained("cover of forest", "couvert foret", lexicon, "en", "fr") == 1.0
    assert _explained("cover of forest", "couvert", lexicon, "en", "fr") == pytest.approx(2 / 3)



def test_one_word_explains_two_that_the_lexicon_pairs_it_with() -> None:
    """Made up: an English word the other language writes in two words
    ("unlighting" / "extinction lampe"), each of which the corpus's dictionary
    pairs with it, explains both: the whole span is explained, as the one word
    it translates is, and not only its second word. A key of several words
    does not."""
    from bitext.glossary.pairwise import _explained

    lexicon = ({"unlighting": {"extinction", "lamp"}, "street": {"rue"}},
               {"extinction": {"unlighting"}, "lamp": {"unlighting"}, "rue": {"street"}})
    assert _explained("unlighting", "extinction lamp", lexicon, "en", "fr") == 1.0
    assert _explained("extinction lamp", "unlighting", lexicon[::-1], "fr", "en") == 1.0
    # only a word the lexicon pairs with both; a third word stays unexplained
    assert _explained("unlighting", "extinction lamp rue", lexicon, "en", "fr") < 1.0
    assert _explained("street", "rue lamp", lexicon, "en", "fr") < 1.0
    # only a key of one word: inside a longer key, a word paired with its
    # neighbour too does not stand for it
    assert _explained("street unlighting", "extinction lamp rue", lexicon, "en", "fr") < 1.0

# Written for these tests: "women" / "femmes" attested in three segments, the
# term of the last one seen once with one word of each side unexplained.
WOMEN = [
    ("Women lead the village committee.", "Les femmes dirigent le comité du village."),
    ("Women and girls fetch water.", "Les femmes et les filles puisent l'eau."),
    ("Many women own no land.", "Beaucoup de femmes ne possèdent pas de terres."),
    ("Pregnant women receive care.", "Les femmes enceintes reçoivent des soins."),
]


class _Meanings:
    """A fake encoder: texts of one group (case aside) share a unit vector,
    every other text has its own (nearly orthogonal in 512 dimensions)."""

    def __init__(self, groups: list[set[str]]) -> None:
        self.groups = groups

    def encode(self, texts: list[str]) -> object:
        import zlib

        import numpy as np

        out = []
        for text in texts:
            low = text.lower()
            seed = next((n for n, g in enumerate(self.groups) if low in g),
                        zlib.crc32(low.encode()) + len(self.groups))
            v = np.random.default_rng(seed).normal(size=512)
            out.append(v / np.linalg.norm(v))
        return np.asarray(out, dtype=np.float32)


def test_a_term_seen_once_half_explained_pairs_when_the_encoder_agrees() -> None:
    """"Pregnant women" / "femmes enceintes": "women" is attested, "pregnant" is
    not; the encoder takes the two unexplained words, and the two terms, for
    translations, so the pair is linked on a partial ``words`` share. Without
    the unexplained words' agreement it is not, nor without an encoder."""
    terms = {"pregnant women", "femmes enceintes"}
    agree = _Meanings([{"pregnant", "enceintes"}, terms])
    concepts = extract_glossary(_alignment(WOMEN), encoder=agree)
    once = next(c for c in concepts if c.src.lower() == "pregnant women")
    assert once.tgt == "femmes enceintes" and once.cooc == 1
    assert dict(once.evidence)["words"] == pytest.approx(0.5)
    disagree = _Meanings([terms])
    assert ("pregnant women", "femmes enceintes") not in _pairs(
        extract_glossary(_alignment(WOMEN), encoder=disagree))
    assert ("pregnant women", "femmes enceintes") not in _pairs(
        extract_glossary(_alignment(WOMEN)))


# Written for this test: "maritime law" / "droit maritime" together twice; "law"
# is written "loi" and "droit" renders "right" elsewhere, so the corpus's word
# dictionary does not pair "law" with "droit" (Dice 0.4).
MARITIME = [
    ("Maritime law governs the port.", "Le droit maritime régit le port."),
    ("Experts of maritime law met.", "Des experts du droit maritime se sont réunis."),
    ("The law was adopted.", "La loi a été adoptée."),
    ("A law on water exists.", "Une loi sur l'eau existe."),
    ("The new law applies.", "La nouvelle loi s'applique."),
    ("The right to vote matters.", "Le droit de vote compte."),
    ("Every right counts.", "Chaque droit compte."),
    ("This right is old.", "Ce droit est ancien."),
]


def test_a_pair_seen_twice_counts_its_translated_gap_as_explained() -> None:
    """"maritime law" / "droit maritime", seen together twice (too few for Dice
    alone): "maritime" is spelt alike, "law" / "droit" is not in the corpus's
    dictionary. When the encoder takes the two words for translations (and not
    the whole terms), the gap counts as explained and the pair is linked with
    all its words explained; when it does not, the pair is not vouched for."""
    agree = _Meanings([{"law", "droit"}])
    pairs = {(c.src.lower(), c.tgt.lower()): c
             for c in extract_glossary(_alignment(MARITIME), encoder=agree)}
    linked = pairs.get(("maritime law", "droit maritime"))
    assert linked is not None and linked.cooc == 2
    assert dict(linked.evidence)["words"] == pytest.approx(1.0)
    assert ("maritime law", "droit maritime") not in _pairs(
        extract_glossary(_alignment(MARITIME), encoder=_Meanings([])))


def test_an_arabic_name_seen_once_pairs_with_its_spelling() -> None:
    """Arabic writes a name's long vowels only and has no p, v or g: the made-up
    "Brevania" is "بريفانيا", spelt alike by their consonants; two consonants
    alike are not enough (too many words share them)."""
    from bitext.glossary.pairwise import _spelt_alike

    assert _spelt_alike("brevania", "بريفانيا", "en", "ar")
    assert _spelt_alike("كالبور", "kalpor", "ar", "en")
    assert not _spelt_alike("sela", "سولي", "en", "ar")
    assert not _spelt_alike("brevania", "بالتيرو", "en", "ar")
    ar = [("The mission visited Brevania.", "زارت البعثة بريفانيا."),
          ("Drinking water reached the towns.", "وصلت مياه الشرب إلى المدن."),
          ("Drinking water is scarce.", "مياه الشرب نادرة.")]
    assert any(c.src == "Brevania" and c.tgt == "بريفانيا"
               for c in extract_glossary(_alignment(ar, "en", "ar")))


def test_an_acronym_the_other_side_writes_in_full_joins_its_names_concept() -> None:
    """Made up: English writes "LWA" where French writes the full name again, so
    the French name is linked to "Lamp Watch Agency" and "LWA" to nothing; the
    acronym of the name's initials joins that concept as its acronym."""
    rows = [*EN_FR,
            *[(f"The Lamp Watch Agency met in {m}.",
               f"L'Agence de veille des lampes s'est réunie en {m}.")
              for m in ("May", "June", "July")],
            ("The Lamp Watch Agency wrote a report.", "L'Agence de veille des lampes a écrit."),
            ("The LWA met again.", "L'Agence de veille des lampes s'est réunie encore."),
            ("The LWA wrote to the ministry.",
             "L'Agence de veille des lampes a écrit au ministère.")]
    concepts = extract_glossary(_alignment(rows))
    agency = next(c for c in concepts if c.src == "Lamp Watch Agency")
    assert [(t.text, t.term_type) for t in agency.terms_in("en")][-1] == ("LWA", "acronym")
    assert sum("LWA" in {t.text for t in c.terms_in("en")} for c in concepts) == 1


def test_an_acronym_joins_the_name_it_shares_a_segment_with_not_the_first_it_spells() -> None:
    """Made up: "LWA" spells both "Lamp Workers Association" and "Lamp Watch
    Agency", but only the agency's French name stands beside it. The first
    linked name whose initials it spells had taken it before the test of the
    segments, so it joined neither (UN dev en-ar: an acronym of a development
    aid spelled an office's name too)."""
    from bitext.glossary.pairwise import _acronyms, _KeyInfo, _Link

    linked = [_Link("lamp workers association", "association ouvrier lampe", 0.9, {}),
              _Link("lamp watch agency", "agence veille lampe", 0.8, {})]
    info_en = {"LWA": _KeyInfo(1, "acronym"), "lamp workers association": _KeyInfo(3, "phrase"),
               "lamp watch agency": _KeyInfo(3, "phrase")}
    info_fr = {"association ouvrier lampe": _KeyInfo(3, "phrase"),
               "agence veille lampe": _KeyInfo(3, "phrase")}
    ids = ({k: i for i, k in enumerate(info_en)}, {k: i for i, k in enumerate(info_fr)})
    segments = [(("The LWA met.", "L'Agence de veille des lampes.", "1", 0),
                 [("LWA", "LWA", 1, "acronym")],
                 [("agence veille lampe", "Agence de veille des lampes", 3, "phrase")]),
                (("The LWA wrote.", "L'Agence de veille des lampes a écrit.", "2", 0),
                 [("LWA", "LWA", 1, "acronym")],
                 [("agence veille lampe", "Agence de veille des lampes", 3, "phrase")])]
    short = _acronyms(linked, (info_en, info_fr), ids, ("en", "fr"), lambda: iter(segments))
    assert short == {(0, "lamp watch agency"): "LWA"}


def test_a_hyphenated_compound_is_one_word_or_its_parts_when_sizes_are_compared() -> None:
    """Made up: "Self-Lighting Lamp-Posts" is two words as written and four as
    the English key counts them (hyphens split), against "lampadaires
    autonomes", two: counted as four it failed the size test and the pair,
    seen together every time, was never counted (UN dev en-fr and en-ru: a
    territory's name so written, together in 8 of 8 segments)."""
    rows = [*EN_FR,
            *[(f"The Self-Lighting Lamp-Posts of the {p} were repaired.",
               f"Les lampadaires autonomes du {q} ont été réparés.")
              for p, q in (("harbour", "port"), ("station", "quartier"), ("square", "marché"))]]
    concepts = extract_glossary(_alignment(rows))
    assert ("self-lighting lamp-posts", "lampadaires autonomes") in _pairs(concepts)


def test_a_term_is_shown_without_a_joined_preposition_where_the_text_writes_it_so() -> None:
    """Made up: "لمدن الساحل" (for the cities of the coast) is written more often
    than "مدن الساحل", one key; the term is shown as the text writes it alone,
    and keeps the other form as a variant."""
    from collections import Counter

    from bitext.glossary.pairwise import _display, _forms, _KeyInfo

    entry = _KeyInfo(2, "phrase", Counter({"لمدن الساحل": 3, "مدن الساحل": 1}))
    assert _display(entry, "ar") == "مدن الساحل"
    assert [t for t, _ in _forms(entry, "ar")] == ["مدن الساحل", "لمدن الساحل"]
    only = _KeyInfo(2, "phrase", Counter({"لمدن الساحل": 3}))
    assert _display(only, "ar") == "لمدن الساحل"


# Written for this test: "amber lamps" always after "repaired", so C-value keeps
# only "repaired amber lamps"; the French writes the repair in a clause of its own.
AMBER = [
    ("The city kept repaired amber lamps in the square.",
     "La ville a gardé des lampes ambrées, qui ont été réparées, sur la place."),
    ("Workers installed repaired amber lamps near the port.",
     "Les ouvriers ont installé des lampes ambrées, qui ont été réparées, près du port."),
    ("The council sold repaired amber lamps last year.",
     "Le conseil a vendu des lampes ambrées, qui ont été réparées, l'an dernier."),
    ("Lamps were cheap.", "Les lampes étaient bon marché."),
    ("Lamps broke.", "Les lampes ont cassé."),
    ("Amber glows.", "L'ambre brille."),
]


def test_a_span_cvalue_dropped_pairs_where_the_other_side_ends_the_term_there() -> None:
    """"lampes ambrées" pairs with the span its words explain, "amber lamps",
    when the encoder takes that pair for at least as close as the longer one;
    when it takes the longer for closer (a lexicon's fault it can tell), or
    without an encoder, the longer span stays."""
    short = _Meanings([{"amber lamps", "lampes ambrées"}])
    pairs = _pairs(extract_glossary(_alignment(AMBER), encoder=short))
    assert ("amber lamps", "lampes ambrées") in pairs
    assert not any(fr == "lampes ambrées" and en != "amber lamps" for en, fr in pairs)
    long = _Meanings([{"repaired amber lamps", "lampes ambrées"}])
    assert ("repaired amber lamps", "lampes ambrées") in _pairs(
        extract_glossary(_alignment(AMBER), encoder=long))
    assert ("repaired amber lamps", "lampes ambrées") in _pairs(
        extract_glossary(_alignment(AMBER)))


def test_a_term_cvalue_dropped_on_one_side_pairs_with_the_term_it_translates() -> None:
    """Made up: the English extractor stops at "Harbour Lamp Committee" while
    the other side's run goes on into the clause after it ("... établi"), so
    C-value keeps only the longer key there, which is too long to be
    proposed against the English. The dropped key the English explains word
    for word pairs with it where the two co-occur in at least half their
    segments; twice is not enough where one of them is seen more often."""
    from bitext.glossary.pairwise import _nested_pairs

    en, fr_short, fr_long = "harbour lamp committee", "comit lamp port", "comit lamp port etabl"
    lexicon = ({"harbour": {"port"}, "committee": {"comit"}},
               {"port": {"harbour"}, "comit": {"committee"}})
    found_a = [(en, "Harbour Lamp Committee", 3, "name")]
    found_b = [(fr_short, "Comité des lampes du port", 3, "phrase"),
               (fr_long, "Comité des lampes du port établi", 4, "phrase")]
    seg = ("", "", "1", 0)
    seen = [(seg, found_a, found_b)] * 3
    counts = ({en: 3}, {fr_short: 3, fr_long: 3})
    keeps = ({en: 3}, {fr_long: 3})
    links = _nested_pairs(seen, counts, keeps, set(), lexicon, ("en", "fr"), 10)
    assert [(lk.a, lk.b, lk.evidence["dice"], lk.evidence["words"]) for lk in links] == [
        (en, fr_short, 1.0, 1.0)]
    # both kept: Dice proposed them already
    assert _nested_pairs(seen, counts, (counts[0], {fr_short: 3, fr_long: 3}), set(), lexicon,
                         ("en", "fr"), 10) == []
    # seen together twice of the English key's seven segments: Dice 2*2/(7+3) < 0.5
    assert _nested_pairs(seen[:2], ({en: 7}, counts[1]), ({en: 7}, keeps[1]), set(), lexicon,
                         ("en", "fr"), 10) == []


def test_the_lexicon_takes_words_each_others_best_partner_below_half_dice() -> None:
    """Made up: "council" is counted alone in 6 segments (the English
    extractor keeps it inside names elsewhere), "conseil" in 20; they stand
    together in all 6, each the other's best partner: a translation though
    Dice is 0.46. A pair seen twice only, or where the rarer word stands with
    the other in fewer than half its segments, or where either has a better
    partner, is not taken."""
    import numpy as np

    from bitext.glossary.pairwise import _lexicon

    names_a = ["council", "lamp", "street", "harbour"]
    names_b = ["conseil", "lampe", "rue", "port", "quai"]
    freq_a = np.array([6, 9, 4, 2])
    freq_b = np.array([20, 30, 4, 20, 9])
    rows = [(0, 0, 6), (1, 1, 4), (2, 2, 2), (3, 3, 2), (3, 4, 2)]
    codes = np.array([(a << 32) | b for a, b, _ in rows], dtype=np.int64)
    counts = np.array([k for _, _, k in rows], dtype=np.int64)
    forward, _ = _lexicon(codes, counts, names_a, names_b, freq_a, freq_b)
    assert forward.get("council") == {"conseil"}
    # each the other's best, but together 4 times in 9: fewer than half of the
    # rarer word's segments
    assert "lampe" not in forward.get("lamp", set())
    # Dice 0.5: the lexicon's first rule
    assert forward.get("street") == {"rue"}
    # each the other's best ("quai"), but twice only
    assert "harbour" not in forward


def test_a_term_cvalue_dropped_is_not_cut_from_its_complement() -> None:
    """Made up: "lamp rules" inside "lamp rules of procedure", where one word
    of the other language says "rules of procedure": the dropped English key
    ends before its complement and pairs with nothing."""
    from bitext.glossary.pairwise import _nested_pairs

    en_short, en_long, fr = "lamp rule", "lamp rule of procedur", "reglement lamp"
    lexicon = ({"rule": {"reglement"}}, {"reglement": {"rule"}})
    found_a = [(en_short, "lamp rules", 2, "phrase"),
               (en_long, "lamp rules of procedure", 3, "phrase")]
    found_b = [(fr, "règlement des lampes", 2, "phrase")]
    seen = [(("", "", "1", 0), found_a, found_b)] * 3
    counts = ({en_short: 3, en_long: 3}, {fr: 3})
    keeps = ({en_long: 3}, {fr: 3})
    assert _nested_pairs(seen, counts, keeps, set(), lexicon, ("en", "fr"), 10) == []
    # without the complement the pair is proposed
    seen = [(("", "", "1", 0), found_a[:1], found_b)] * 3
    assert [(lk.a, lk.b) for lk in _nested_pairs(seen, counts, keeps, set(), lexicon,
                                                 ("en", "fr"), 10)] == [(en_short, fr)]


@pytest.mark.parametrize("lang, surfaces, shown", [
    # made up. Russian: the genitive is written most, the nominative ("главная
    # аллея", the main alley) is the form a glossary gives
    ("ru", {"главной аллеи": 5, "главной аллеей": 2, "главная аллея": 1}, "главная аллея"),
    ("ru", {"частного сада": 4, "частный сад": 1}, "частный сад"),
    # Arabic: the article with a preposition written on it ("لل", "بال") is no
    # part of the term ("the big library")
    ("ar", {"للمكتبة الكبيرة": 4, "بالمكتبة الكبيرة": 2, "المكتبة الكبيرة": 1},
     "المكتبة الكبيرة"),
])
def test_a_term_is_shown_in_its_citation_form_where_the_text_writes_it(
        lang: str, surfaces: dict[str, int], shown: str) -> None:
    """usertest20: Russian and Arabic terms were offered in the form the text
    writes most (an oblique case, a preposition on the article): the citation
    form leads where it is written, the others stay its variants."""
    from collections import Counter

    from bitext.glossary.pairwise import _KeyInfo, _terms

    terms = _terms(_KeyInfo(2, "phrase", Counter(surfaces)), lang)
    assert terms[0].text == shown and terms[0].term_type == "fullForm"
    assert {t.text for t in terms} == set(surfaces)


def test_no_citation_form_is_made_where_the_text_does_not_write_it() -> None:
    from collections import Counter

    from bitext.glossary.pairwise import _KeyInfo, _terms

    terms = _terms(_KeyInfo(2, "phrase", Counter({"главной аллеи": 5, "главной аллеей": 2})),
                   "ru")
    assert [t.text for t in terms] == ["главной аллеи", "главной аллеей"]


@pytest.mark.parametrize("lang, surfaces, shown", [
    # made up. A Russian word with no ending is a masculine's nominative where
    # another form has a masculine's ending ("столом"), a plural's genitive
    # where another has a feminine's ("лампой")
    ("ru", {"лампу": 5, "ламп": 3, "лампа": 1, "лампой": 1}, "лампа"),
    ("ru", {"стола": 5, "стол": 1, "столом": 1}, "стол"),
    # Arabic: of the forms without a clitic, the one the most frequent form
    # writes with it (not a dual that shares its key)
    ("ar", {"للقطار السريع": 4, "القطارين السريع": 3, "القطار السريع": 1}, "القطار السريع"),
    # ... not one with another preposition on it ("بقلم", by a pen)
    ("ar", {"للقلم": 4, "بقلم": 2, "قلم": 1}, "قلم"),
])
def test_the_citation_form_is_told_by_the_keys_other_forms(
        lang: str, surfaces: dict[str, int], shown: str) -> None:
    from collections import Counter

    from bitext.glossary.pairwise import _KeyInfo, _terms

    terms = _terms(_KeyInfo(2, "phrase", Counter(surfaces)), lang)
    assert terms[0].text == shown
    assert {t.text for t in terms} == set(surfaces)


def test_the_most_frequent_form_stays_first_among_forms_as_near() -> None:
    """Made up: "سعر الشاي" (the price of tea), a construct whose head has no
    article, written alone more often than with "ب": it stays first."""
    from collections import Counter

    from bitext.glossary.pairwise import _KeyInfo, _terms

    terms = _terms(_KeyInfo(2, "phrase", Counter({"بسعر الشاي": 3, "سعر الشاي": 4})), "ar")
    assert [t.text for t in terms] == ["سعر الشاي", "بسعر الشاي"]


# Written for this test: "regional security" rendered two ways in different
# segments, "sécurité régionale" three times and "sûreté régionale" three times
# ("sûreté" stands for "security" alone twice, so the corpus's dictionary
# pairs them); "régional" alone once (a shorter span of both).
TWO_RENDERINGS = [
    ("Regional security was discussed.", "La sécurité régionale a été examinée."),
    ("They spoke of regional security.", "Ils ont parlé de sécurité régionale."),
    ("Regional security matters to all.", "La sécurité régionale importe à tous."),
    ("Regional security is fragile.", "La sûreté régionale est fragile."),
    ("A plan for regional security exists.", "Un plan de sûreté régionale existe."),
    ("Regional security improved.", "La sûreté régionale s'est améliorée."),
    ("The regional office opened.", "Le bureau régional a ouvert."),
    ("Security comes first.", "La sûreté passe avant tout."),
    ("They value security.", "Ils tiennent à la sûreté."),
    ("Lamps were sold.", "Des lampes ont été vendues."),
]


def test_a_term_rendered_two_ways_keeps_both_renderings() -> None:
    """The French writes "regional security" two ways in different segments
    (Dice 0.67 each, seen three times, every word explained): the concept
    links one and keeps the other, whose key is linked to nothing else, as a
    variant; a shorter span of the two ("régional") is no rendering of its own."""
    concepts = extract_glossary(_alignment(TWO_RENDERINGS))
    concept = next(c for c in concepts if c.src.lower() == "regional security")
    forms = {t.text.lower() for t in concept.terms_in("fr")}
    assert {"sécurité régionale", "sûreté régionale"} <= forms
    assert not any(f.startswith("régional") for f in forms)
    assert sum(1 for c in concepts for t in c.terms_in("fr")
               if t.text.lower() in forms) == len(forms)


def test_a_rendering_is_written_instead_of_the_linked_term_not_beside_it() -> None:
    """A proposal of the linked term's partner whose key stands beside the
    linked key in a segment (a made-up "lamp service" beside "lamp control")
    is no other rendering; one written in other segments is, if seen together
    twice or more and explained word for word (not one seen once, nor one
    with a word only the encoder vouches for, nor a single word: the
    lexicon pairs single words that only share sentences)."""
    from bitext.glossary.pairwise import _Link, _renderings

    ev = {"dice": 0.7, "cooc": 3.0, "words": 1.0, "cognate": 0.0}
    first = _Link("lamp control", "controle lamp", 0.8, dict(ev))
    beside = _Link("lamp control", "servic lamp", 0.6, dict(ev))
    instead = _Link("lamp control", "verif lamp", 0.6, dict(ev))
    once = _Link("lamp control", "regl lamp", 0.6, {**ev, "cooc": 1.0})
    partly = _Link("lamp control", "surveil lamp", 0.6, {**ev, "words": 0.5,
                                                         "embedding": 0.9})
    word = _Link("lamp control", "ampoul", 0.6, dict(ev))
    seg = ("", "", "", 0)

    def found(*keys: str) -> list[tuple[str, str, int, str]]:
        return [(k, k, 2, "term") for k in keys]

    rows = [(seg, found("lamp control"), found("controle lamp", "servic lamp")),
            (seg, found("lamp control"),
             found("verif lamp", "regl lamp", "surveil lamp", "ampoul"))]
    out = _renderings([first, beside, instead, once, partly, word], [first],
                      lambda: iter(rows))
    assert out == {(1, "controle lamp"): ["verif lamp"]}


def test_an_english_candidate_ending_on_an_adjective_of_the_lexicon_is_no_term() -> None:
    """As in zh-en (``candidates._ends_on_modifier``): an English term ends on a
    noun, so a span of two words or more ending on a lower-case word the
    English lexicon knows only as an adjective runs on past its noun phrase
    (made-up "lamp data available") or stops inside one; a noun after such an
    adjective keeps its term, and a capitalised last word is a name's."""
    from bitext.glossary.pairwise import side_extractor

    texts = ["The ministry made lamp data available to villages.",
             "The programme supports nuclear safety in Lampland.",
             "The Lamp Office Responsible gave a report."]
    find = side_extractor("en", lambda: iter(texts))
    found = {f[1] for t in texts for f in find(t)}
    assert "lamp data" in found and "nuclear safety" in found
    assert not {"lamp data available", "data available"} & found
    assert "Lamp Office Responsible" in found
