"""Chinese term candidates: word n-grams, titles in 《》, quoted names, short forms.

Text is segmented with jieba (offline, HMM off; its dictionary cache goes to the
system temp folder, its log is silenced). Candidates are runs of one to
:data:`MAX_TOKENS` words that do not cross punctuation, numbers, particles,
prepositions, pronouns, adverbs or sentence-level conjunctions. The coordinating
conjunctions 和 / 与 / 及 / 以及 may stand *inside* a candidate, because names of
bodies often contain them (文化及教育理事会); the pairing stage drops
coordinations of two independent terms. A few words may open a candidate but
never end it: 有 (有限责任), 被 (被拘留者), 不 (不干涉原则), an ordinal
(第十届...会议) or a year (2030年...议程). A one-character word tagged as a verb
after another word ends no candidate (it is the predicate: 主席说, 国家应), nor
does an item of a list of single characters (工、农、商).

Titles in 《》 and names in quotation marks are candidates whatever their length
(instruments, programmes, processes), and a full name followed by a shorter name
in full-width parentheses defines a short form (联合国海洋渔业基金会, then
渔业基金会 in parentheses).
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import regex

from bitext import derived
from bitext.errors import MissingDependencyError
from bitext.languages.zh import MODAL_VERBS, TERM_PREFIXES, TERM_SUFFIXES

logger = logging.getLogger(__name__)

MAX_TOKENS = 8          # longest candidate, in jieba words
MAX_CHARS = 24          # longest candidate outside 《》, in characters
MAX_TITLE_CHARS = 80

def _words(text: str) -> list[str]:
    return text.split()


# Conjunctions allowed inside a candidate (never at its edges).
CONJUNCTIONS = frozenset({"和", "与", "及", "以及", "暨"})
# The enumeration comma: inside a list closed by a conjunction (A、B和C理事会
# "A, B and C Council"), it joins the items of one name or term, as the
# conjunction does; elsewhere it bounds a candidate (see _enumerated).
ENUMERATION = "\u3001"
# Words that may start a candidate but never end one: 有 (有限责任 "limited liability"),
# the passive 被 (被拘留者 "detainees"), the negation 不 (不干涉原则 "principle of
# non-interference"). They are grammar words of Chinese, not terms of any text.
NO_END_WORDS = frozenset({"有", "被", "不"})
# Words that always bound a candidate, whatever jieba tags them.
FUNCTION_WORDS = frozenset(_words("""
有关 的 地 得 之 了 着 过 是 为 为了 将 把 从 向 在 于 对 对于
关于 由 自 给 让 使 并 并且 而 而且 但 但是 或 或者 也 都 还 又 再
已 已经 曾 曾经 所 其 该 此 这 那 这些 那些 这种 这一 各 每 等 等等
以 及其 以便 以及其 如 如何 例如 包括 通过 根据 按照 依照 针对 旨在
以期 以来 期间 之间 之后 之前 以后 以前 以上 以下 方面 其中 同时 特别
尤其 即 就 则 且 与其 没有 非 无 很 更 最 均 仍 仍然 继续
"""))
# POS tags (jieba / ICTCLAS) that bound a candidate.
_BOUNDARY_TAGS = ("u", "p", "r", "d", "m", "q", "x", "c", "y", "e", "o", "w", "uj", "ul")
# POS tags a one-word candidate may carry (nouns, name-like words, abbreviations).
# Verbs are included: Chinese uses them as nouns (合作 "cooperation", 发展 "development").
_SINGLE_TAGS = ("n", "v", "j", "l", "i", "eng", "nz", "nt", "ns", "nr", "an", "ng", "nrt", "s")
# Tags jieba's dictionary gives some names in error (some country names
# tagged as adverbs, others as measure words; _is_boundary and _mis_tagged already let them inside a
# candidate): such a word that CC-CEDICT glosses only as a proper name is also a
# candidate alone. Not the time-word tag "t": days of the week are capitalised too.
_NAME_MISTAGS = ("d", "q")
# The head of a State's name (共和国 "Republic", 王国 "Kingdom", 会员国 "Member State"):
# a word of three characters or more ending in it names a State (two-character
# words are also general: 各国 "all countries", 本国 "the country").
STATE = "国"
# POS tags of the words a modifier stands before.
_NOUN_TAGS = ("n", "vn", "j", "nz", "nt", "ns", "an", "ng", "l")
# Heads of organisation names, used only to label a concept's kind.
ORG_SUFFIXES = ("办公室", "委员会", "组织", "理事会", "联合会", "办事处", "研究所", "署", "局",
                "中心", "银行", "基金", "基金会", "法院", "法庭", "大会", "协会", "联盟", "秘书处",
                "工作组", "论坛", "网络", "机构", "机制", "方案", "部")
INSTRUMENT_SUFFIXES = ("公约", "议定书", "协定", "条约", "宣言", "决议", "宪章", "议程",
                       "行动计划", "准则", "规则", "原则", "法典", "示范法")

_HAN = regex.compile(r"\p{Han}")
# An ordinal that may open a name (第十届...会议 "Tenth ... Conference") but not end one.
_ORDINAL = regex.compile(r"^第[一二三四五六七八九十百零〇两\d]+[届次]?$")
# An ordinal the segmenter's dictionary glues to what follows it and tags a
# numeral (第X方 "X-th party", 第X个 "X-th one"); see _ordinal_noun.
_ORDINAL_NOUN = regex.compile(r"^第[一二三四五六七八九十百零〇两]++(\p{Han}+)$")
# A number of years written in characters (三年, 十年), tagged a numeral: before a
# noun it modifies a compound (a "three-year plan"), so it opens a name but
# never ends one.
_DURATION = regex.compile(r"^[一二三四五六七八九十百两]+年$")
# A year that may open a name (2040年海洋保护议程), written with its 年.
_YEAR = regex.compile(r"^(?:1[89]|20)\d\d$")
# A short name in quotation marks (“绿色长城”): a name of a programme, process or operation.
_QUOTED = regex.compile("\u201c([^\u201c\u201d\u3002\uff0c\uff1b\n]{2,40})\u201d")
_TITLE = regex.compile(rf"《([^《》\n]{{1,{MAX_TITLE_CHARS}}})》")
_SHORT_FORM = regex.compile(r"[\uff08(](\p{Han}{2,16})[\uff09)]")  # full-width or ASCII


@dataclass(frozen=True)
class Candidate:
    """One occurrence of a Chinese candidate; offsets in characters."""

    key: str
    start: int
    end: int
    kind: str                 # "phrase", "title" or "shortForm"
    tokens: tuple[str, ...]   # jieba words (for dictionary look-ups)
    has_conj: bool = False
    full: str = ""            # for a short form: the full form it abbreviates
    followed: bool = False    # directly followed by another word of the same chunk
    fragment: bool = False    # cut before a one-character head noun (人权 | 署)
    verbal: bool = False      # a single word tagged as a verb (提供, 实施)


@functools.lru_cache(maxsize=1)
def _tokenizer() -> Any:
    try:
        import jieba
        import jieba.posseg
    except ImportError as err:  # pragma: no cover - a declared dependency
        raise MissingDependencyError("jieba", package="jieba") from err
    # jieba logs "Building prefix dict..." at DEBUG on its own stderr handler.
    logging.getLogger("jieba").setLevel(logging.WARNING)
    jieba.setLogLevel(logging.WARNING)
    # Importing jieba.posseg built its POS tokenizer over jieba's default
    # Tokenizer and read the dictionary's tags for it; a POSTokenizer of our own
    # read all 349k tags again (0.3 CPU s, 2026-12-05). Nothing adds words to it.
    pos = jieba.posseg.dt
    _load_prefix_dict(pos.tokenizer, Path(jieba.__file__).parent / "dict.txt")
    return pos


#: The file of the fast-loading copy of jieba's prefix dictionary (:mod:`bitext.derived`).
_PREFIX_COPY = "prefix.marshal"


def _load_prefix_dict(tok: Any, dict_file: Path) -> None:
    """Load jieba's prefix dictionary (word -> frequency) into ``tok``.

    jieba keeps the dictionary it derives from ``dict.txt`` as a marshal in the
    system temp folder, but reads it with ``marshal.load`` from the open file,
    which reads in small pieces: 0.75 CPU s, where ``marshal.loads`` of the same
    bytes takes 0.2 s (2026-12-05). So the first process keeps a copy of its own
    (:mod:`bitext.derived`), keyed by jieba's dictionary and this module, and
    later ones set the three attributes jieba's ``initialize`` sets from it.
    """
    if tok.initialized:
        return
    if derived.cache_root() is None or not dict_file.is_file() or tok.dictionary is not None:
        tok.initialize()  # jieba's own: from its cache in the temp folder, or from dict.txt
        return
    # The copy is derived from dict.txt itself, never from jieba's cache in the
    # shared temp folder, which any user may have written.
    tok.FREQ, tok.total = derived.marshal_copy(
        "jieba", [dict_file, Path(__file__)], _PREFIX_COPY,
        lambda: tok.gen_pfdict(tok.get_dict_file()),
        lambda v: (isinstance(v, tuple) and len(v) == 2 and isinstance(v[0], dict)
                   and bool(v[0]) and isinstance(v[1], int)))
    tok.initialized = True


def segment(text: str) -> list[tuple[str, str, int]]:
    """jieba words of ``text`` as ``(word, POS tag, start offset in characters)``."""
    out: list[tuple[str, str, int]] = []
    pos = 0
    # Without the HMM, jieba does not glue the characters of an unknown word to
    # their neighbours, so every n-gram of dictionary words is tried.
    for pair in _tokenizer().cut(text, HMM=False):
        word, flag = pair.word, pair.flag
        start = text.find(word, pos)
        if start < 0:  # jieba never rewrites text, but stay safe
            start = pos
        out.append((word, flag, start))
        pos = start + len(word)
    return out


def words(text: str) -> list[str]:
    """The jieba words of a short text (a term)."""
    return [w for w, _, _ in segment(text)]


def _is_boundary(word: str, flag: str) -> bool:
    if word in TERM_PREFIXES or word in TERM_SUFFIXES:
        return False  # bound morphemes of a term (非正式磋商, 识字率), whatever the tag
    if word in CONJUNCTIONS or word in NO_END_WORDS or _ORDINAL.match(word):
        return False
    if _YEAR.match(word) or word == "年":
        return False  # 2040年海洋保护议程; a year alone never ends a candidate
    if word in FUNCTION_WORDS or not _HAN.search(word):
        return True
    if flag.startswith("d") and len(word) > 1:
        return False  # jieba tags some nouns as adverbs (立法 in 立法程序)
    return flag.startswith(_BOUNDARY_TAGS)


def _head_locative(tokens: Sequence[tuple[Any, ...]], k: int) -> bool:
    """Whether word ``k``, tagged a locative (f), is a head noun: after a
    distinguishing word (POS tag b, a non-predicate adjective, which modifies a
    noun and names no event or place to be in, during or between), a locative of
    two or more characters names a span or a side itself (X期间 "during X" after
    an event, but "the period" after a b-word such as 所述 "stated")."""
    return len(tokens[k][0]) >= 2 and k > 0 and tokens[k - 1][1].startswith("b")


def _mis_tagged(tokens: list[tuple[str, str, int]], k: int) -> bool:
    """Whether jieba's numeral or classifier tag of word ``k`` is wrong in its
    context, so that it bounds no candidate: a classifier of two or more
    characters that follows no numeral or demonstrative is a noun (a place name
    tagged as a measure word inside a mission's short name), and a numeral of
    characters right before a one-character noun is the first part of a
    compound (三年 + 期: "triennium"; a number then a head noun). A classifier
    of one character counts nothing either right after a noun or a verb (no
    numeral or demonstrative before it): it is the bound head or prefix of a
    compound the segmenter left in characters (X + 类 "X category", X + 股 "X
    Unit", 次 + 区域 "subregion"), which it must not cut."""
    word, flag, _ = tokens[k]
    if len(word) == 1 and flag.startswith("q") and _HAN.fullmatch(word):
        return k > 0 and tokens[k - 1][1].startswith(("n", "v")) and bool(
            _HAN.fullmatch(tokens[k - 1][0][-1]))
    if len(word) < 2 or not _HAN.fullmatch(word[0]) or not _HAN.fullmatch(word[-1]):
        return False
    if flag.startswith("f"):
        return _head_locative(tokens, k)
    if flag.startswith("q"):
        return not (k > 0 and tokens[k - 1][1].startswith(("m", "r")))
    if flag == "m" and not _ORDINAL.match(word):
        if _ordinal_noun(word):
            return True
        nxt = tokens[k + 1] if k + 1 < len(tokens) else None
        return nxt is not None and ((len(nxt[0]) == 1 and nxt[1] == "n") or (
            bool(_DURATION.match(word)) and len(nxt[0]) > 1 and nxt[1].startswith(_NOUN_TAGS)))
    return False


def _ordinal_noun(word: str) -> bool:
    """Whether ``word`` is an ordinal glued to a noun (第X方 "X-th party"), which
    may stand alone as a noun, and not to a classifier (第X个, 第X位: "the
    X-th one"), by the segmenter's own tag of the part after the ordinal."""
    m = _ORDINAL_NOUN.match(word)
    if m is None:
        return False
    tag = _tokenizer().word_tag_tab.get(m.group(1), "")
    return tag.startswith("n")


def _enumerated(tokens: list[tuple[str, str, int]], k: int) -> bool:
    """Whether the enumeration comma at word ``k`` joins two items of a list that
    a conjunction closes in the same run of words (A、B和C理事会, A、B和C: one name
    or a list of terms, which the pairing tells apart, as it does A和B): both
    items around it are words of two characters or more (a list of single
    characters, 工、农、商, is the short form of several terms), and a conjunction
    comes before the next word that bounds a candidate."""
    if not (0 < k < len(tokens) - 1) or min(len(tokens[k - 1][0]), len(tokens[k + 1][0])) < 2:
        return False
    for m in range(k + 1, min(len(tokens), k + 1 + MAX_TOKENS)):
        word, flag, _ = tokens[m]
        if word in CONJUNCTIONS:
            return m > k + 1
        if word != ENUMERATION and _is_boundary(word, flag) and not _mis_tagged(tokens, m):
            return False
    return False


def _chunks(tokens: list[tuple[str, str, int]]) -> Iterator[list[tuple[str, str, int]]]:
    run: list[tuple[str, str, int]] = []
    for k, tok in enumerate(tokens):
        if (_is_boundary(tok[0], tok[1]) and not _mis_tagged(tokens, k)
                and not (tok[0] == ENUMERATION and run and _enumerated(tokens, k))):
            if run:
                yield run
            run = []
        else:
            run.append(tok)
    if run:
        yield run


def _proper_name(word: str) -> bool:
    """Whether CC-CEDICT glosses ``word`` only as a proper name: a word jieba's
    dictionary tags otherwise (a country's name tagged as an adverb) is then
    a name that may be a candidate alone, whatever its tag."""
    from bitext.glossary.cedict import load_dictionary

    return load_dictionary().is_name(word)


def _head_noun(word: str) -> bool:
    """Whether a one-character word jieba tags as a verb is a noun to CC-CEDICT:
    neither its first gloss, its main sense, nor most of its glosses say "to
    ..." (表 "exterior; ... table; form", 包 "... bag; package"), and it is no
    modal verb (:data:`~bitext.languages.zh.MODAL_VERBS`, "can", "should"):
    after a word it is then the compound's head the segmenter cut off (a
    quota + 表 "quota table"), not the word's predicate (a noun + 说 "said")."""
    from bitext.glossary.cedict import load_dictionary

    dictionary = load_dictionary()
    return (word in dictionary and word not in MODAL_VERBS
            and not dictionary.is_verbal(word) and not dictionary.verb_first(word))


def candidates(text: str) -> list[Candidate]:
    """All candidate occurrences in one Chinese text (a sentence or a segment)."""
    tokens = segment(text)
    out: list[Candidate] = []
    seen: set[tuple[int, int]] = set()
    for chunk in _chunks(tokens):
        n = len(chunk)
        # after the enumeration comma 、 a single character is a list item (工、农、商)
        listed = chunk[0][2] > 0 and text[chunk[0][2] - 1] == "\u3001"
        for i in range(n):
            first, first_tag, start = chunk[i]
            if first in CONJUNCTIONS or first == ENUMERATION or first in TERM_SUFFIXES or (
                    first_tag.startswith(("f", "q")) and len(first) == 1
                    and first not in TERM_PREFIXES):
                continue  # 西部 may start a name (西部非洲区域办事处), 间 may not; nor may
                # a one-character classifier, the head of the word before (_mis_tagged)
            if (i == 0 and listed and len(first) == 1) or first == "年":
                continue
            if _YEAR.match(first) and not (i + 1 < n and chunk[i + 1][0] == "年"):
                continue
            has_conj = False
            listing = False  # an enumeration comma not yet closed by a conjunction
            for j in range(i, min(n, i + MAX_TOKENS)):
                word, tag, wstart = chunk[j]
                end = wstart + len(word)
                if end - start > MAX_CHARS:
                    break
                if word in CONJUNCTIONS or word == ENUMERATION:
                    has_conj = True
                    listing = word == ENUMERATION
                    continue
                if listing:
                    continue  # A、B without its conjunction is an unfinished list
                if ((tag.startswith("f") and j > i and not _head_locative(chunk, j))
                        or word in NO_END_WORDS or _ORDINAL.match(word)
                        or word in TERM_PREFIXES or _DURATION.match(word)
                        or _YEAR.match(word) or word == "年"):
                    continue
                if first in NO_END_WORDS and j - i < 2:
                    continue  # 被拘留 is not a term, 被拘留者 may be
                if (j > i and len(word) == 1 and tag == "v" and word not in TERM_SUFFIXES
                        and len(chunk[j - 1][0]) > 1 and not _head_noun(word)):
                    continue  # a one-character verb after a word is its predicate (主席说);
                    # after single characters it ends a word the segmenter does not
                    # know, left in characters (an abbreviation)
                if (len(word) == 1 and text[end:end + 1] == "\u3001"
                        and text[end + 2:end + 3] in ("\u3001", "和", "及", "与")):
                    continue  # a list of single characters (工、农、商) ends no term
                if j == i and (len(word) < 2 or not (
                        tag.startswith(_SINGLE_TAGS) or _ordinal_noun(word) or (
                        tag.startswith(_NAME_MISTAGS) and _proper_name(word)))):
                    continue
                if text[start:end] != "".join(t[0] for t in chunk[i:j + 1]):
                    break  # a gap (whitespace) between words: not one term
                seen.add((start, end))
                # (a word naming a State, a long name ending in 共和国, stays a name before the
                # noun it modifies, its 政府 or its 代表团: never a modifier)
                followed = (j + 1 < n and chunk[j + 1][0] not in CONJUNCTIONS
                            and chunk[j + 1][1].startswith(_NOUN_TAGS)
                            and not (j == i and len(word) >= 3 and word.endswith(STATE)))
                # a one-character noun right before or after: a head or a
                # modifier cut off (人权 | 署)
                fragment = ((j + 1 < n and len(chunk[j + 1][0]) == 1
                             and chunk[j + 1][1].startswith("n"))
                            or (i > 0 and len(chunk[i - 1][0]) == 1
                                and chunk[i - 1][1].startswith("n")))
                verbal = j == i and tag.startswith("v") and not tag.startswith("vn")
                out.append(Candidate(text[start:end], start, end, "phrase",
                                     tuple(t[0] for t in chunk[i:j + 1]), has_conj,
                                     followed=followed, fragment=fragment, verbal=verbal))
    for pattern, kind in ((_TITLE, "title"), (_QUOTED, "quoted")):
        for m in pattern.finditer(text):
            title = m.group(1)
            if not _HAN.search(title) or title != title.strip():
                continue
            start, end = m.start(1), m.end(1)
            inner = tuple(t[0] for t in tokens if start <= t[2] < end)
            if (start, end) in seen:
                out = [c if (c.start, c.end) != (start, end)
                       else Candidate(c.key, c.start, c.end, kind, c.tokens, c.has_conj)
                       for c in out]
            else:
                seen.add((start, end))
                out.append(Candidate(title, start, end, kind, inner or (title,)))
    out.extend(_short_forms(text, out, tokens))
    return out


def _short_forms(text: str, found: list[Candidate],
                 tokens: list[tuple[str, str, int]]) -> list[Candidate]:
    """Short forms defined by a full name followed by the short one in parentheses.

    The full form is the longest candidate ending right before the parenthesis
    that contains the short form's characters in order, without a conjunction
    if there is such a candidate (for a short form 东渔委 the full form is
    东部海洋渔业委员会, not "X与东部海洋渔业委员会").
    """
    extra: list[Candidate] = []
    verb_at = {start: flag.startswith("v") and not flag.startswith("vn")
               for _, flag, start in tokens}
    for m in _SHORT_FORM.finditer(text):
        short = m.group(1)
        full = [c for c in found if c.end == m.start() and len(c.key) > len(short)
                and subsequence(short, c.key)]
        if not full:
            continue
        # a name does not open with a verb: 提到联合国湖区稳定特派团 (mentioned the
        # mission) is longer than the full form of 联湖稳定团 but no name
        best = max(full, key=lambda c: (not verb_at.get(c.start, False), not c.has_conj,
                                        len(c.key)))
        inner = tuple(t[0] for t in tokens if m.start(1) <= t[2] < m.end(1))
        extra.append(Candidate(short, m.start(1), m.end(1), "shortForm", inner or (short,),
                               full=best.key))
    return extra


def subsequence(short: str, full: str) -> bool:
    """Whether the characters of ``short`` come in order from ``full``."""
    it = iter(full)
    return all(ch in it for ch in short)


def compound(word: str, dictionary: Any) -> bool:
    """Whether ``word`` (one segmenter word) is a three-character compound of a
    one-character modifier and a two-character word the dictionary knows (X燃料
    "X fuel"): a noun that names one thing, which the modifier rule
    (:meth:`.candidates._Entry.modifier`) must not drop for standing before
    another noun (X燃料循环 "X fuel cycle"), as it drops a general two-character
    word (技术 "technical")."""
    return len(word) == 3 and bool(_HAN.fullmatch(word[0])) and word[1:] in dictionary


def concept_kind(term: str, title: bool = False) -> str:
    """``instrument`` for titles and instrument names, ``organization`` for bodies."""
    if title or term.endswith(INSTRUMENT_SUFFIXES):
        return "instrument"
    if term.endswith(ORG_SUFFIXES):
        return "organization"
    return "term"
