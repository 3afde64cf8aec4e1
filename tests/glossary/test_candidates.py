"""Candidate extraction on each side, table-driven."""

from __future__ import annotations

from pathlib import Path

import pytest

from bitext.glossary import chinese, english
from bitext.glossary.candidates import _Entry, _is_coordination, _Occ
from bitext.glossary.cedict import load_dictionary, words_match


@pytest.fixture(scope="module")
def extractor() -> english.EnglishExtractor:
    return english.EnglishExtractor(load_dictionary())


def en_keys(extractor: english.EnglishExtractor, text: str) -> set[str]:
    return {c.surface for c in extractor.candidates(text)}


# (text, expected among the candidates, never a candidate)
EN_CASES = [
    ("The smuggling of migrants is a crime.", {"smuggling of migrants", "crime"},
     {"The smuggling", "is a crime", "migrants is"}),
    ("Trafficking in persons and migrant smuggling increased.",
     {"Trafficking in persons", "migrant smuggling"},
     {"persons and migrant smuggling", "smuggling increased"}),
    ("UNODC provided technical assistance to Member States.",
     {"UNODC", "technical assistance", "Member States"},
     {"UNODC provided", "assistance to Member States"}),
    ("It was adopted by the United Nations Office on Drugs and Crime (UNODC) in 2015.",
     {"United Nations Office on Drugs and Crime", "UNODC"},
     {"Crime (UNODC", "2015", "UNODC) in"}),
    ("the Protocol against the Smuggling of Migrants by Land, Sea and Air entered into force",
     {"Protocol against the Smuggling of Migrants by Land, Sea and Air"},
     {"Air entered"}),
    ("UNHCR, the United Nations Population Fund and the United Nations Children’s Fund met.",
     {"United Nations Population Fund", "United Nations Children’s Fund"},
     {"United Nations Population Fund and the United Nations"}),
    ("Locally recruited staff and former combatants were newly trained.",
     {"Locally recruited staff", "former combatants"},
     {"newly trained", "Locally recruited", "recruited staff and former"}),
    ("The mission sent a note verbale and noted the reply.",
     {"note verbale"}, {"noted the reply", "noted"}),
    ("The European Migration Network in January held a meeting.",
     {"European Migration Network"}, {"European Migration Network in January"}),
    ("The General Assembly adopted it.", {"General Assembly"}, {"Assembly adopted"}),
    ("UNODC's work continued.", {"UNODC"}, {"UNODC's", "UNODC's work"}),
    ("Activities of the United Nations Office on Drugs and Crime",
     {"United Nations Office on Drugs and Crime"},
     {"Activities of the United Nations Office on Drugs and Crime"}),
    # lower-case coordinations whose conjuncts share a modifier or a head
    ("It endangers regional peace and stability.", {"regional peace and stability"}, set()),
    ("the export of light arms and heavy vehicles to them",
     {"light arms and heavy vehicles"}, {"arms and heavy"}),
    ("States protect and promote cultural rights.", {"cultural rights"},
     {"protect and promote cultural rights", "promote cultural rights"}),
    # the second conjunct ends the noun phrase: no tail cut inside the next name
    ("under customary law and maritime labour law today", set(),
     {"customary law and maritime labour", "customary law and maritime"}),
    ("peace and security and development", set(), {"peace and security and development"}),
    # a name's verb before its object is no part of a term; a plural is
    ("The Standing Committee urges that States act.", {"Standing Committee"},
     {"Standing Committee urges", "Committee urges"}),
    ("The Harbour Authority presents its report.", {"Harbour Authority"},
     {"Harbour Authority presents"}),
    ("Harbour Authority reports were read.", {"Harbour Authority reports"}, set()),
    # ...nor is a verb in -s whose stem the dictionary knows only as a verb, whatever
    # follows it (a noun, not a word that opens an object)
    ("The Harbour Board recommends approval of the plan.", {"Harbour Board", "approval"},
     {"Harbour Board recommends", "Board recommends approval", "recommends approval"}),
    ("The Coastal Council urges regional cooperation.",
     {"Coastal Council", "regional cooperation"},
     {"Coastal Council urges", "urges regional cooperation"}),
    ("Harbour Board members met.", {"Harbour Board members"}, set()),
    # a word the dictionary knows as a verb is a noun after a determiner or a
    # preposition, and opens a compound there; not after "to", nor alone
    ("The plan eases the transfer of technology for train services.",
     {"transfer of technology", "train services"}, {"transfer", "train"}),
    ("States agreed to transfer technology and train staff.", set(),
     {"transfer technology", "train staff"}),
    # ...and after a quantifier, or between "and" after a plural noun and a
    # plural noun (two plural compounds coordinated), not before a modifier
    ("During the next transfer window each test phase ends.",
     {"transfer window", "test phase"}, set()),
    ("It builds storage facilities and transfer routes.", {"transfer routes"}, set()),
    ("They adopt policies and promote sustainable development.", set(),
     {"promote sustainable development", "promote sustainable"}),
    # ...and a capitalised one opening a capitalised run opens a name, though
    # not alone (no verb is capitalised inside a sentence)
    ("The delegates met the Export Review Board there.", {"Export Review Board"},
     {"Export"}),
    # an adverb before an adjective opens a term with the noun after them, never
    # the two alone
    ("They signed legally binding instruments and strongly supports it.",
     {"legally binding instruments"}, {"legally binding", "strongly supports"}),
    # an ordinal's suffix opens no term ("7196th meeting" is no "th meeting")
    ("at its 7196th meeting and at the 21st plenary session", {"plenary session"},
     {"th meeting", "st plenary session", "th", "st"}),
    # a list with commas: capitalised words sharing the last conjunct's head (no
    # month after it), or lower-case words of one each; no bare list of names,
    # no list of verbs
    ("The Coastal, Marine and Inland Fisheries Council met in October.",
     {"Coastal, Marine and Inland Fisheries Council"},
     {"Coastal, Marine", "Coastal, Marine and Inland Fisheries Council in October"}),
    ("the fire, flood and drought insurance was paid",
     {"fire, flood and drought", "fire, flood and drought insurance"}, {"fire, flood"}),
    ("Mali, Chad and Niger agreed", set(), {"Mali, Chad and Niger"}),
    ("they monitor, evaluate and report results", set(),
     {"monitor, evaluate and report", "monitor, evaluate and report results"}),
    # a participle opens a term only before its noun; a preposition is no term word
    ("It is located in Lampville and registered lamps were held in port.",
     {"registered lamps", "Lampville"}, {"located in Lampville", "held in port"}),
    ("talks went on despite lamp shortages", {"lamp shortages"},
     {"talks despite", "despite lamp shortages", "despite"}),
]


@pytest.mark.parametrize(("text", "present", "absent"), EN_CASES)
def test_english_candidates(extractor: english.EnglishExtractor, text: str, present: set[str],
                            absent: set[str]) -> None:
    if text.startswith("Activities"):
        extractor = english.EnglishExtractor(load_dictionary())
        extractor.learn(["in the United Nations Office on Drugs and Crime today"])
    found = en_keys(extractor, text)
    assert present <= found, present - found
    assert not (absent & found), absent & found


def test_a_function_word_written_with_a_capital_inside_a_sentence_opens_a_name() -> None:
    """English writes a function word with a capital inside a sentence only in a
    name or a title: it is the name's first word, and the rest is a fragment."""
    extractor = english.EnglishExtractor(load_dictionary())
    text = ("Troops of New Ruritania joined the First Coastal Committee under the "
            "Convention against All Forms of Lamp Smuggling.")
    extractor.learn([text])
    whole = {c.surface for c in extractor.candidates(text) if not c.fragment}
    assert {"New Ruritania", "First Coastal Committee", "All Forms of Lamp Smuggling"} <= whole
    assert not {"Ruritania", "Coastal Committee"} & whole
    # at the start of a sentence a capital says nothing; articles and the
    # joiners of names are no name's first word
    assert "Ruritania" in {c.surface for c in extractor.candidates(
        "New Ruritania joined. It went to The Lamp Office.") if not c.fragment}
    assert "The Lamp Office" not in {c.surface for c in extractor.candidates(
        "It went to The Lamp Office.")}


@pytest.mark.parametrize(("text", "expected"), [
    ("The United Nations Office on Drugs and Crime (UNODC) said",
     [("UNODC", "United Nations Office on Drugs and Crime")]),
    ("the Office of the United Nations High Commissioner for Refugees (UNHCR)",
     [("UNHCR", "Office of the United Nations High Commissioner for Refugees")]),
    ("Member States of the European Union (EU) met", [("EU", "European Union")]),
    ("the International Criminal Police Organization (INTERPOL), held",
     [("INTERPOL", "International Criminal Police Organization")]),
    ("the European Police Office (Europol) and", [("Europol", "European Police Office")]),
    ("in the capital (Vienna) of", []),
    ("refers to the United Nations Stabilization Mission in Haiti (MINUSTAH) and",
     [("MINUSTAH", "United Nations Stabilization Mission in Haiti")]),  # French order
    ("in the capital (UN) of", []),  # no name of two capitalised words before it
    # an acronym spelled by the tail of a longer capitalised name stands for the
    # whole name: the capitalised words right before it are its first words
    ("took over from the Andean-led Regional Support Mission in the Coastal Zone (MISCZ).",
     [("MISCZ", "Andean-led Regional Support Mission in the Coastal Zone")]),
    # ...unless it is the initials of its words (a place named before them) or a
    # possessive precedes
    ("the Ruritania Area Control Centre (ACC) said", [("ACC", "Area Control Centre")]),
    ("the Andean Council's Regional Support Mission in the Coastal Zone (MISCZ).",
     [("MISCZ", "Regional Support Mission in the Coastal Zone")]),
    ("see document (CTOC/COP/2016/3)", []),
])
def test_acronym_definitions(text: str, expected: list[tuple[str, str]]) -> None:
    assert english.find_acronyms(text) == expected


def test_a_name_the_dictionary_knows_is_no_short_name() -> None:
    """A person's country in parentheses ("Ms. Ann Smith (Turkey)") names a country
    of its own, which CC-CEDICT knows: no short name of the person."""
    known = load_dictionary().is_name_gloss
    text = "elected Ms. Ann Smith (Turkey) and the European Police Office (Europol)"
    assert ("Turkey", "Ann Smith") in english.find_acronyms(text)
    assert english.find_acronyms(text, known) == [("Europol", "European Police Office")]


@pytest.mark.parametrize(("words", "key"), [
    (["Member", "States"], "member state"),
    (["member", "State"], "member state"),
    (["States", "parties"], "state party"),
    (["UNODC"], "UNODC"),
    (["capacity-building"], "capacity building"),
    (["trafficking", "in", "persons"], "trafficking in person"),
])
def test_term_keys_merge_case_number_and_hyphens(words: list[str], key: str) -> None:
    assert english.term_key(words) == key


@pytest.mark.parametrize(("plural", "singular"), [
    # a Greek plural in -ses is the -sis noun when that is the commoner word
    ("analyses", "analysis"), ("hypotheses", "hypothesis"), ("syntheses", "synthesis"),
    # ...and the -se noun when that is (bases of a fleet, cases, purposes)
    ("bases", "base"), ("cases", "case"), ("purposes", "purpose"), ("responses", "response"),
    # a plural in -oes: the noun in -o or in -oe, whichever is commoner
    ("vetoes", "veto"), ("echoes", "echo"), ("heroes", "hero"), ("canoes", "canoe"),
    ("shoes", "shoe"), ("toes", "toe"),
])
def test_singular_of_plurals_with_two_readings(plural: str, singular: str) -> None:
    assert english.singular(plural) == singular
    assert english.term_key(["data", plural]) == english.term_key(["data", singular])


def test_inversion_key_pairs_of_and_premodifier_forms() -> None:
    assert english.inversion_key("smuggling of migrant") == "migrant smuggling"
    assert english.inversion_key("conference of the party") is None
    assert english.inversion_key("migrant smuggling") is None


@pytest.mark.parametrize(("a", "b", "same"), [
    ("smuggling", "smuggle", True), ("crime", "criminal", True), ("persons", "people", True),
    ("migrant", "immigrant", True), ("parties", "party", True),
    ("ageing", "aging", True), ("labour", "labor", True), ("centre", "center", True),
    ("programme", "program", True), ("defence", "defense", True), ("hour", "hoe", False),
    ("convention", "convict", False), ("law", "lawyer", False), ("state", "stamp", False),
])
def test_words_match(a: str, b: str, same: bool) -> None:
    assert words_match(a, b) is same


def zh_keys(text: str) -> dict[str, str]:
    return {c.key: c.kind for c in chinese.candidates(text)}


# (text, expected among the candidates, never a candidate)
ZH_CASES = [
    ("毒品和犯罪问题办公室为会员国提供了技术援助。",
     {"毒品和犯罪问题办公室", "会员国", "技术援助"}, {"为会员国", "提供了", "会员国提供了"}),
    ("缔约国实施《偷运移民议定书》的情况", {"缔约国", "偷运移民议定书", "偷运移民"},
     {"的情况", "《偷运移民议定书》"}),
    ("联合国难民事务高级专员办事处（难民专员办事处）的对话",
     {"联合国难民事务高级专员办事处", "难民专员办事处"}, {"办事处（难民"}),
    ("在第十三届联合国预防犯罪和刑事司法大会期间",
     {"第十三届联合国预防犯罪和刑事司法大会", "刑事司法"}, {"第十三届", "大会期间", "在第十三届"}),
    ("保护被偷运移民的权利", {"被偷运移民", "偷运移民"}, {"被偷运", "移民的"}),
    ("打击跨国有组织犯罪", {"跨国有组织犯罪", "有组织犯罪"}, {"有组织犯罪打击"}),
    ("欧洲联盟海军——“地中海索非亚行动”代表", {"地中海索非亚行动"}, {"——"}),
    # bound morphemes: prefixes open a term, suffixes close one, whatever their tag
    ("各非自治国家的失业率很高", {"非自治国家", "失业率"}, {"非", "率很高"}),
    ("前总统会见了第三委员会和副秘书长", {"前总统", "第三委员会", "副秘书长"}, {"前", "第三"}),
    ("新闻股与特别顾问合作", {"新闻股", "特别顾问"}, {"特别"}),
    # an abbreviation the segmenter leaves in single characters ends on a
    # one-character verb (an invented 妇基会); after a word that verb is a predicate
    ("妇基会的报告", {"妇基会"}, {"的报告"}),
    ("主席说", {"主席"}, {"主席说"}),
    # ...unless CC-CEDICT reads it as no verb: a one-character head noun that
    # jieba tags as a verb (表 "table", 包 "package", invented terms); a modal
    # verb (会 "will", 可 "may") stays a predicate
    ("渔获配额表已更新", {"渔获配额表", "配额表"}, {"配额表已"}),
    ("培训资料包，", {"培训资料包"}, set()),
    ("代表团会支持", {"代表团"}, {"代表团会"}),
    ("秘书处可提供", {"秘书处"}, {"秘书处可"}),
    # a numeral or classifier tag wrong in its context bounds nothing: a place name
    # tagged as a measure word with no numeral before it (马里), a numeral right
    # before a one-character head noun (两年 + 期)
    ("马里稳定团在北部巡逻", {"马里稳定团"}, set()),
    ("审查两年期预算", {"两年期", "两年期预算"}, set()),
    ("这批武器和三个方案", {"武器", "方案"}, {"这批武器", "批武器", "三个方案"}),
    # a country jieba's dictionary tags as an adverb (也门, 约旦) is a name alone
    # too: CC-CEDICT glosses it only as a proper name; a real adverb stays out
    ("关于也门的决议", {"也门", "决议"}, {"关于也门"}),
    ("约旦代表进一步发言", {"约旦"}, {"进一步"}),
    ("马里代表在星期二发言", {"马里"}, {"星期二"}),
    # the determiner 本 "this, the present" opens the name a body or a text gives
    # itself (a pronoun tag cut it off its noun); alone it is no candidate
    ("本机构的预算", {"本机构", "机构"}, {"本"}),
    # 期间 is "period" after a distinguishing word (所述 "stated"), "during" after
    # an event (大会期间, above)
    ("在本审查所述期间，", {"本审查所述期间", "所述期间"}, {"在本审查"}),
    # an ordinal glued to its noun and tagged a numeral is a noun (第三世界
    # too); a bare ordinal still ends nothing (第三, above)
    ("对第三方的权利", {"第三方"}, {"对第三方"}),
    # ...but glued to a classifier it is an ordinal still (第二个 "the second one")
    ("第二个星期", set(), {"第二个", "第二个星期"}),
    # a number of years before a noun modifies a compound; before a locative or
    # a verb it is a time span
    ("监测三年战略计划的执行", {"三年战略计划"}, {"三年"}),
    ("在过去十年里", set(), {"十年", "过去十年"}),
]


@pytest.mark.parametrize(("text", "present", "absent"), ZH_CASES)
def test_chinese_candidates(text: str, present: set[str], absent: set[str]) -> None:
    found = zh_keys(text)
    assert present <= set(found), present - set(found)
    assert not (absent & set(found)), absent & set(found)


def test_a_state_name_before_a_noun_is_no_modifier() -> None:
    """A word naming a State (ending in 国) before the noun it modifies, its
    Government or its mission, is not "followed" (a modifier): it stays a name;
    a general word before a noun still is."""
    found = {c.key: c.followed for c in chinese.candidates("塞浦路斯共和国政府和技术援助")}
    assert found["塞浦路斯共和国"] is False
    assert found["技术"] is True


def test_chinese_titles_and_short_forms_are_marked() -> None:
    found = zh_keys("根据《偷运移民议定书》，联合国难民事务高级专员办事处（难民专员办事处）")
    assert found["偷运移民议定书"] == "title"
    assert found["难民专员办事处"] == "shortForm"
    short = next(c for c in chinese.candidates("联合国难民事务高级专员办事处（难民专员办事处）")
                 if c.kind == "shortForm")
    assert short.full == "联合国难民事务高级专员办事处"


def test_short_form_full_form_opens_with_no_verb() -> None:
    """A verb before the name makes a longer candidate; a name opens with no verb."""
    short = next(c for c in chinese.candidates("其中提到联合国海地稳定特派团(联海稳定团)，")
                 if c.kind == "shortForm")
    assert (short.key, short.full) == ("联海稳定团", "联合国海地稳定特派团")


@pytest.mark.parametrize(("term", "kind"), [
    ("联合国打击跨国有组织犯罪公约", "instrument"), ("偷运移民议定书", "instrument"),
    ("毒品和犯罪问题办公室", "organization"), ("经济及社会理事会", "organization"),
    ("技术援助", "term"), ("刑事司法", "term"),
])
def test_concept_kind(term: str, kind: str) -> None:
    assert chinese.concept_kind(term) == kind


def test_jieba_is_quiet(capfd: pytest.CaptureFixture[str]) -> None:
    chinese.candidates("会员国")
    assert "prefix dict" not in capfd.readouterr().err


def _plain_matches(exact: frozenset[str], word: str) -> bool:
    """The rule of GlossIndex.matches as a plain scan over every gloss (the
    reference its indexes must agree with)."""
    from bitext.glossary.cedict import _need, _singular

    w = _singular(word)
    if word in exact or w in exact:
        return True
    for g in exact:
        short, long_ = (w, g) if len(w) <= len(g) else (g, w)
        if len(g) >= 4 and len(short) >= 4 and long_[:_need(short)] == short[:_need(short)]:
            return True
        if len(g) >= 5 and len(g) < len(w) and any(w.startswith(g, k) for k in (1, 2, 3)):
            return True
        if len(g) >= 5 and len(g) >= len(w) >= 5 and any(g.startswith(w, k)
                                                         for k in (1, 2, 3)):
            return True
    return False


def test_gloss_index_agrees_with_a_plain_scan() -> None:
    import re

    from bitext.glossary.cedict import GlossIndex

    dictionary = load_dictionary()
    root = Path(__file__).resolve().parents[2] / "corpora" / "un-som-2016"
    words = sorted(set(re.findall(r"[a-z]+", (root / "en.txt").read_text("utf-8").lower())))
    chars = sorted({c for c in (root / "zh.txt").read_text("utf-8") if "\u4e00" <= c <= "\u9fff"})
    checked = 0
    for ch in chars[::4]:
        index = GlossIndex(dictionary.lookup(ch))
        for word in words[::3]:
            assert index.matches(word) is _plain_matches(index.exact, word), (ch, word)
            checked += 1
    assert checked > 20_000


def test_credit_of_indexed_words_agrees_with_a_plain_scan() -> None:
    """The credit of a Chinese word the scorer has indexed with the others of
    its document (one index of all their glosses, asked once per English word)
    is the rule's: 1 when a gloss of the word matches, 0.5 when only a gloss of
    one of its characters does; words it has not indexed are asked alone."""
    import re

    from bitext.glossary.evidence import _DictScorer

    dictionary = load_dictionary()
    root = Path(__file__).resolve().parents[2] / "corpora" / "un-som-2016"
    words = sorted(set(re.findall(r"[a-z]+", (root / "en.txt").read_text("utf-8").lower())))
    zh_words = sorted({w for line in (root / "zh.txt").read_text("utf-8").splitlines()
                       for w, _, _ in chinese.segment(line) if w in dictionary})
    indexed, alone = zh_words[::6], zh_words[3::6]

    def plain(tok: str, word: str) -> float:
        if _plain_matches(dictionary.index(tok).exact, word):
            return 1.0
        return 0.5 if len(tok) > 1 and any(
            _plain_matches(dictionary.index(ch).exact, word) for ch in tok) else 0.0

    scorer = _DictScorer(dictionary)
    scorer.index_words(indexed)
    checked = credited = 0
    for word in words[::5]:
        for tok in indexed + alone[::4]:
            got = scorer.credit(tok, word)
            assert got == plain(tok, word), (tok, word)
            checked += 1
            credited += got > 0
    assert checked > 20_000 and credited > 100


def test_names_around_a_varying_part(extractor: english.EnglishExtractor) -> None:
    """"Head of <part> to <name>" gives the head with its complement, marked with
    the part; the extraction keeps it only when the part varies."""
    text = "The Chief Delegate of the Kingdom of Tonga to the Ocean Council spoke."
    assert not [c for c in extractor.candidates(text) if c.varies]
    found = [c for c in extractor.candidates(text, complements=True) if c.varies]
    assert [(c.surface, c.varies, c.head) for c in found] == [
        ("Chief Delegate to the Ocean Council", "kingdom of tonga", "chief delegate")]
    assert not [c for c in extractor.candidates("The Chief Delegate of Tonga spoke.",
                                                complements=True) if c.varies]


# every end on a content word is a candidate; the pairing chooses among them
@pytest.mark.parametrize(("text", "added"), [
    ("under the Protocol relating to the Protection of Seabirds, and the rules",
     {"Protocol relating to the Protection", "Protocol relating to the Protection of Seabirds"}),
    ("The Guidelines for the care of wetlands were adopted in 2002.",
     {"Guidelines for the care", "Guidelines for the care of wetlands"}),
    # a capitalised title is whole: the lower-case words after it are the sentence's
    ("the Fisheries Code of Tonga on the offences of overfishing", set()),
    ("the Harbour Act regarding ships", set()),
    # the title's verb, or a name after a lower-case title, ends it
    ("the Treaty remains central to peace", set()),
    ("the Guidelines for the care of the Ocean Council", {"Guidelines for the care"}),
])
def test_titles_with_lower_case_words(extractor: english.EnglishExtractor, text: str,
                                      added: set[str]) -> None:
    """Where the other side holds a title in 《》, titles whose words are not all
    capitalised are candidates too, and nothing else is added."""
    found = {c.surface for c in extractor.candidates(text, titles=True)}
    assert found - {c.surface for c in extractor.candidates(text)} == added


def test_a_defined_long_form_is_a_candidate_where_the_extractor_breaks_it() -> None:
    """The long form of an acronym the text defines is one English candidate of
    the acronym's class even where the name extractor stops (at "and the")."""
    from bitext.glossary.candidates import Segment, _collect_en

    text = "Attacks by the Islamic State in Iraq and the Levant (ISIL) went on."
    entries, expansion = _collect_en([Segment("攻击", text, "d#1", 0)],
                                     english.EnglishExtractor(load_dictionary()))
    assert expansion == {"ISIL": "islamic state in iraq and the levant"}
    assert entries["islamic state in iraq and the levant"].kinds["name"] == 1


def _entry(key: str, segs: range, tokens: tuple[str, ...] = ()) -> _Entry:
    return _Entry(key, [_Occ(s, 0, len(key)) for s in segs], tokens=tokens,
                  has_conj=" and " in f" {key} " or any(t in ("和", "与") for t in tokens))


@pytest.mark.parametrize(("whole", "tokens", "parts", "sep", "two"), [
    # two terms, each said more often on its own (in more than twice the
    # segments of the whole: see the test of a fixed coordination below)
    ("渔业部和外交部", ("渔业部", "和", "外交部"), ("渔业部", "外交部"), "zh", True),
    ("security council and general assembly", (),
     ("security council", "general assembly"), "en", True),
    ("ministry of trade and ministry of fishery", (),
     ("ministry of trade", "ministry of fishery"), "en", True),
    # one body: its head (部) or its preposition ("of") governs both conjuncts
    ("外交与渔业合作部", ("外交", "与", "渔业合作部"), ("外交", "渔业合作部"), "zh", False),
    ("ministry of foreign affair and fishery cooperation", (),
     ("ministry of foreign affair", "fishery cooperation"), "en", False),
])
def test_a_name_around_a_conjunction_is_no_coordination(
        whole: str, tokens: tuple[str, ...], parts: tuple[str, str], sep: str,
        two: bool) -> None:
    entries = {whole: _entry(whole, range(3), tokens)}
    for n, part in enumerate(parts):
        entries[part] = _entry(part, range(10 * n, 10 * n + 7))
    assert _is_coordination(entries[whole], entries, sep) is two


def test_a_head_shared_by_a_one_word_first_conjunct_is_one_term() -> None:
    """A和B H, where A H is a candidate of the documents too ("A and B H"), shares
    the head H: one term, however often its parts stand alone; without A H it
    stays two terms."""
    tokens = ("渔业", "和", "海洋", "发展")
    entries = {"渔业和海洋发展": _entry("渔业和海洋发展", range(3), tokens),
               "渔业": _entry("渔业", range(10, 17)),
               "海洋发展": _entry("海洋发展", range(20, 27))}
    assert _is_coordination(entries["渔业和海洋发展"], entries, "zh")
    entries["渔业发展"] = _entry("渔业发展", range(30, 32))
    assert not _is_coordination(entries["渔业和海洋发展"], entries, "zh")


def test_a_three_character_compound_is_no_modifier() -> None:
    """A one-character modifier on a two-character word the dictionary knows
    (X燃料 "X fuel") names a thing, whatever noun follows it; a two-character
    general word (技术) or a name ending in a one-character head is not such a
    compound."""
    from bitext.glossary.cedict import load_dictionary

    dictionary = load_dictionary()
    assert chinese.compound("氢燃料", dictionary)
    assert not chinese.compound("技术", dictionary)
    assert not chinese.compound("联合国", dictionary)


def test_the_object_of_a_verb_is_not_nested_in_the_predicate() -> None:
    """C-value drops a string always inside one longer candidate, but not the
    object of a longer candidate that opens with a verb (动用 + 海上力量: the
    documents may always say the two together)."""
    from bitext.glossary.candidates import _always_nested
    from bitext.glossary.cedict import load_dictionary

    verbal = load_dictionary().is_verbal
    entries = {"动用海上力量": _entry("动用海上力量", range(2), ("动用", "海上", "力量")),
               "动用海上": _entry("动用海上", range(2)),
               "海上力量": _entry("海上力量", range(2)),
               "疫苗接种运动": _entry("疫苗接种运动", range(2), ("疫苗", "接种运动")),
               "接种运动": _entry("接种运动", range(2))}
    assert verbal("动用")
    assert "海上力量" not in _always_nested(entries, verbal)
    assert "海上力量" in _always_nested(entries)
    assert "接种运动" in _always_nested(entries, verbal)
    # the verb and its next word opening other strings too: a compound that
    # opens with a verb, whose parts nest as before
    entries["动用海上"] = _entry("动用海上", range(5))
    assert "海上力量" in _always_nested(entries, verbal)


def test_a_chinese_name_around_a_conjunction_needs_repeating() -> None:
    # seen twice, a head word ending the last conjunct may end the second of two
    # terms (人员和金融机构 "persons and financial institutions"): a coordination
    tokens = ("外交", "与", "渔业合作部")
    entries = {"外交与渔业合作部": _entry("外交与渔业合作部", range(2), tokens),
               "外交": _entry("外交", range(10, 16)),
               "渔业合作部": _entry("渔业合作部", range(20, 26))}
    assert _is_coordination(entries["外交与渔业合作部"], entries, "zh")


def test_a_unit_too_long_to_pair_is_left_out_with_a_warning(caplog: pytest.LogCaptureFixture
                                                              ) -> None:
    """Terms are paired within a unit, at a cost that grows with the square of its
    length: one memory unit of 300 UN sentences did not end in 60 s. Such a unit is
    left out (and said so); the others are read."""
    from bitext.glossary.candidates import MAX_SEGMENT_CHARS, segments_of
    from bitext.types import AlignedPair, Alignment

    long_en = "The committee met. " * (MAX_SEGMENT_CHARS // 19 + 1)
    pairs = (AlignedPair(("委员会开会。",), ("The committee met.",), 1.0, "1"),
             AlignedPair(("委员会开会。" * 10,), (long_en,), 1.0, "2"))
    with caplog.at_level("WARNING"):
        segs, _, _ = segments_of(Alignment("zh", "en", pairs))
    assert [s.label for s in segs] == ["1"]
    assert "1 of 2 units" in caplog.text and str(MAX_SEGMENT_CHARS) in caplog.text.replace(",", "")


def test_a_unit_too_long_to_pair_is_left_out_of_other_pairs_too() -> None:
    """The same bound for the pairs without a dictionary (en-fr: one memory unit of
    1,000 UN sentences did not end in 100 s)."""
    from bitext.glossary.candidates import MAX_SEGMENT_CHARS
    from bitext.glossary.pairwise import _segments
    from bitext.types import AlignedPair, Alignment

    long_fr = "Le comité se réunit. " * (MAX_SEGMENT_CHARS // 21 + 1)
    pairs = (AlignedPair(("The committee met.",), ("Le comité se réunit.",), 1.0, "1"),
             AlignedPair(("The committee met.",), (long_fr,), 1.0, "2"))
    too_long = [0]
    segs = list(_segments([Alignment("en", "fr", pairs)], too_long))
    assert [s[2] for s in segs] == ["1"] and too_long == [1]


def test_a_one_character_classifier_after_a_noun_is_part_of_a_compound() -> None:
    """A one-character classifier with no numeral before it (X类 "X category"
    after a noun) is the head of a compound the segmenter left in characters,
    which opens no candidate; after a numeral it counts."""
    keys = zh_keys("语文类考试的结果")
    assert {"语文类", "语文类考试"} <= set(keys) and "类考试" not in keys
    assert not any("个" in k for k in zh_keys("审计了三个项目"))


def test_an_enumeration_comma_inside_a_list_closed_by_a_conjunction() -> None:
    """A、B和C H is one candidate (a name's list of modifiers); a comma not closed
    by a conjunction, or between single characters (a list of short forms),
    still bounds one."""
    keys = zh_keys("沿海、海洋和内陆渔业理事会在会上发言")
    assert "沿海、海洋和内陆渔业理事会" in keys
    assert not {"沿海、", "、海洋", "沿海、海洋"} & set(keys)  # no unfinished list
    assert "渔业、林业" not in zh_keys("渔业、林业。")
    assert not any("\u3001" in k for k in zh_keys("工、农、商和服务业"))


def test_an_enumeration_is_a_coordination_of_its_items() -> None:
    """The items of a list with commas are its conjuncts: one that lists terms
    seen on their own more often is a coordination, dropped as A和B is."""
    toks = ("渔业", "、", "林业", "和", "牧业")
    entries = {k: _Entry(k, [_Occ(s, 0, 1) for s in range(n)], tokens=(k,))
               for k, n in (("渔业", 3), ("林业", 3), ("牧业", 3))}
    lst = _Entry("渔业、林业和牧业", [_Occ(0, 0, 8)], tokens=toks, has_conj=True)
    entries[lst.key] = lst
    assert _is_coordination(lst, entries, "zh")


def test_english_tokens_kept_for_a_text_are_a_new_list_each_time() -> None:
    text = "The UNXO's work in the United Nations Children's Fund (UNICEF), 2030."
    first = english.tokenize(text)
    want = list(first)
    first.clear()  # a caller's list is its own
    assert english.tokenize(text) == want == list(english._tokenize.__wrapped__(text))
    assert [t.text for t in want][:4] == ["The", "UNXO", "'s", "work"]



def test_a_repeated_coordination_whose_conjunct_lives_inside_it_is_one_term() -> None:
    """A和B said RELIABLE times or more, where one conjunct stands inside it in at
    least half of the segments that conjunct occurs in, is a fixed coordination
    (one term: "vessel registration and port inspection" names one procedure):
    the conjunct is bound to it. Seen twice, or with every conjunct mostly on its
    own, it stays two terms."""
    def entry(key: str, n: int, tokens: tuple[str, ...] = ()) -> _Entry:
        return _Entry(key, [_Occ(s, 0, len(key)) for s in range(n)], tokens=tokens,
                      has_conj=bool(tokens) or " and " in key)

    toks = ("渔船", "登记", "和", "港口", "检查")
    whole = entry("渔船登记和港口检查", 3, toks)
    entries = {whole.key: whole, "渔船登记": entry("渔船登记", 9), "港口检查": entry("港口检查", 6)}
    assert not _is_coordination(whole, entries, "zh")
    entries["港口检查"] = entry("港口检查", 7)
    assert _is_coordination(whole, entries, "zh")  # mostly on its own: two terms
    twice = entry(whole.key, 2, toks)
    entries["港口检查"] = entry("港口检查", 4)
    assert _is_coordination(twice, entries, "zh")  # seen twice: no fixed expression yet
    en = entry("Vessel Registration and Port Inspection", 3)
    en_entries = {en.key: en, "Vessel Registration": entry("Vessel Registration", 9),
                  "Port Inspection": entry("Port Inspection", 5)}
    assert not _is_coordination(en, en_entries, "en")
    en_entries["Port Inspection"] = entry("Port Inspection", 7)
    assert _is_coordination(en, en_entries, "en")


def test_names_found_once_agree_with_the_glosses() -> None:
    """``Dictionary.is_name``, its names found once for every headword, is the
    rule on the word's glosses: one or more, every one capitalised once
    stripped, whatever opens the raw text (a space, a slash, a lower-case
    letter); a word the dictionary lacks is no name."""
    from bitext.glossary.cedict import Dictionary

    def plain(text: str) -> bool:
        glosses = [g.strip() for g in text.split("/") if g.strip()]
        return bool(glosses) and all(g[:1].isupper() for g in glosses)

    raw = {"甲": "Ruritania", "乙": " Lakeside/Lake", "丙": "/Xyla/", "丁": "lake/Lakeside",
           "戊": "Lakeside/lake", "己": "", "庚": " / ", "辛": "\tXyla", "壬": "1st/Xyla"}
    small = Dictionary(raw, frozenset())
    assert [small.is_name(w) for w in raw] == [True, True, True, False, False, False,
                                              False, True, False]
    assert not small.is_name("癸")
    dictionary = load_dictionary()
    assert all(dictionary.is_name(w) == plain(text) for w, text in dictionary._raw.items())
    assert sum(map(dictionary.is_name, dictionary._raw)) > 1000  # the rule finds names
