"""Chinese as UN documents write it: simplified characters, 。！？, full-width forms."""

from bitext.languages.base import Language

_DIGITS = "零一二三四五六七八九"


def counting_numeral(n: int) -> str:
    """``n`` (1-99) as Chinese counting numerals write it: 七, 十二, 二十, 九十九;
    other numbers in Arabic digits."""
    if not 0 < n < 100:
        return str(n)
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else "十" if tens == 1 else _DIGITS[tens] + "十"
    return head + (_DIGITS[ones] if ones else "")


LANGUAGE = Language(
    code="zh",
    iso639_2=("chi", "zho"),
    name="Chinese",
    script="Han",
    # UN Chinese is mainland simplified Chinese: zh-CN, the code bitext has always written.
    bcp47="zh-CN",
    spaced=False,
    cased=False,
    # Chinese UN text carries many Latin symbols and names; a fifth of the letters
    # in Han already means a Chinese text (no other language here uses Han).
    min_script_share=0.2,
    sentence_end="。！？!?",
    closing="”’」』）)】》\"'",
    opening="“‘「『（(【《",
    summary_words=("摘要", "概要", "内容提要"),
    annex_words=("附件", "附录"),
    agenda_pattern=r".{0,8}(?:议程|清单).{0,4}项目\s*[\d(（].{0,12}",
    session_pattern=r"第.{1,10}届(?:特别|续会)?会议",
    date_pattern=r"\d{4}\s*年.*月",
    masthead_words=(r"分发\s*[:：].*", r"原文\s*[:：].*"),
    masthead_names=("联合国",),
    page_words=("页",),
    recycle=("请回收",),
    # Chapters are numbered 一、二、... (a UN report has fewer than a hundred).
    heading_numerals=tuple(counting_numeral(n) for n in range(1, 100)),
    numeral_separators="、.．",
    # Measure words and date characters a number governs (year, month, day,
    # number, paragraph, article, clause, item, chapter, section, session,
    # time, piece, person, page, point, age, week, fold; 万/亿 ten thousand,
    # hundred million): general Chinese grammar, so 5月 or 第3段 is no marker.
    number_units=frozenset("年月日号段条款项章节届次个名人页点岁周倍万亿"),
    # The year: a number it follows is a date, written without a thousands
    # space (of the test set's 4-digit numbers, 926 of 1,530 take 年 and none
    # is grouped; no 1 + 3 grouped number there takes 年).
    year_marks="年",
    # \u3007 is the ideographic zero of years written digit by digit (2015).
    numeral_digits=(("零", 0), ("\u3007", 0), ("一", 1), ("二", 2), ("两", 2), ("三", 3), ("四", 4),
                    ("五", 5), ("六", 6), ("七", 7), ("八", 8), ("九", 9)),
    numeral_units=(("十", 10), ("百", 100), ("千", 1000), ("万", 10_000), ("亿", 100_000_000)),
)

# Bound morphemes of Chinese term formation, for the glossary's candidates.
# Prefixes that open a term but never end one, though a segmenter tags them as
# adverbs, pronouns or classifiers: 非 "non-", 前 "former", 次 "sub-", 副
# "vice-/deputy", 反 "anti-", 自 "self-", 特别 "special", 本国 "national", and the
# determiner 本 "this, the present", with which a body or a text names itself
# (本机构 "the Institution", 本审查 "the present review"): tagged a pronoun, it
# used to cut such a name off its noun.
TERM_PREFIXES = frozenset({"非", "前", "次", "副", "反", "自", "特别", "本国", "本"})
# Suffixes that end a term though tagged as verbs or classifiers: 率 "rate",
# 股 "unit", 化 "-ization", 性 "-ity", 者 "-er", 员 "officer".
TERM_SUFFIXES = frozenset({"率", "股", "化", "性", "者", "员"})
# The one-character modal verbs of Chinese grammar (能愿动词: 能 "can", 会 "will",
# 可 "may", 应 "should", 要 "must", 须 "must", 愿 "be willing", 肯 "agree to",
# 敢 "dare"): CC-CEDICT's glosses read several of them as no verb ("can",
# "should"), yet after a noun they open its predicate and never end a term.
MODAL_VERBS = frozenset({"能", "会", "可", "应", "要", "须", "愿", "肯", "敢"})

# Words of Chinese names that English names render as a preposition, with those
# prepositions: 关于 "on / relating to" (关于X的公约 "Convention relating to X"),
# 问题 "question" as the subject of a body (X问题工作组 "Working Group on X"),
# 打击 and 反对 "combat / oppose" (打击X全球方案 "Global Programme against X").
# The dictionary glosses them as a verb or a noun, so without this they count
# as unexplained words of the name.
NAME_RELATIONS: dict[str, frozenset[str]] = {
    "关于": frozenset({"on", "relating", "concerning", "regarding"}),
    "问题": frozenset({"on", "of"}),
    "打击": frozenset({"against"}),
    "反对": frozenset({"against"}),
}

# How names written in pinyin-based transliteration begin in Latin letters: for
# each pinyin initial, the first letters (after the folding of
# bitext.glossary.persons: accents dropped, "th" read as t or s, "ph" as f, "kh"
# as k or h, "ch"/"sh"/"zh"/"dj" as their letters) a foreign name written so in
# Chinese may start with. Standard Mandarin transliteration (the Xinhua tables)
# renders a foreign sound by the nearest pinyin syllable: voiced and voiceless
# stops share one initial (b/p, d/t, g/k), r and l share l, v and w share w, and
# the palatal and sibilant initials (j q x zh ch sh z c s) stand for the foreign
# sibilants and affricates (q also for z: 齐 renders "zi"). "" is a syllable
# without an initial (a vowel; one ending in n also for a foreign initial n); y
# and w are semi-vowels the foreign name may write as a vowel.
TRANSLITERATED_INITIALS: dict[str, str] = {
    "b": "bpv", "p": "pb", "m": "m", "f": "fvpw", "d": "dt", "t": "td", "n": "n",
    "l": "lr", "g": "gkcq", "k": "kcqg", "h": "hkgjx",
    "j": "jgzdy", "q": "qckgjz", "x": "xscjhz", "zh": "jzgdc", "ch": "ckqst",
    "sh": "scx", "r": "rlj", "z": "zsjcdtg", "c": "ctzsk", "s": "sztcx",
    "y": "yijeaou", "w": "wvou", "": "aeiouyh",
}
