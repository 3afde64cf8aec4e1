"""Cleaning and structure on UN-like PDF and DOCX files made from real UN text.

Usage (from the repository root; needs Debian's chromium and CJK/Arabic fonts,
see benchmarks/README.md)::

    python benchmarks/docs.py                       # 60 documents, six languages, PDF + DOCX
    python benchmarks/docs.py --docs 10 --langs ar en --formats pdf --errors 5

The UN Parallel Corpus test set (``../shared/data/unpc-testset``) is grouped by
document (reading order from ``testset.ids``). A seeded sample of documents with
at least ``--min-sents`` sentences is rendered in every language as a UN report:
masthead (organ, symbol, distribution, date, original language), running heads
with the symbol, footers with a job number and page numbers (``GE.15-12345(E)``
and ``*1512345*`` on the first page), Roman-numbered headings, numbered
paragraphs (a sentence without final punctuation becomes a heading; the others
are grouped 1-3 to a paragraph by a seeded rule), footnotes (superscript marker
after a word, note text at the page foot; the note texts are short sentences of
documents outside the sample, so they are real text too), an annex with a small
table, and, in Latin and Cyrillic script, words hyphenated at line ends. PDFs are
HTML pages printed by chromium (the lines are broken by this script, so the
hyphens are real characters, as in a PDF made by Word); DOCX files have real Word
numbering and footnotes and the running heads in header parts.

bitext's reader (:func:`bitext.ingest.document.load_document`) reads each file;
per language and format the benchmark counts

* **exact**: the document's body sentences found as one of the units' sentences;
* **inside**: found inside a unit's text (whitespace apart);
* **leaks**: furniture found inside a non-footnote unit (symbol line, job
  number, page number ``3/12``, masthead words, note text);
* **markers left**: footnote markers left in the text after their word
  (``Convention2``, Arabic ``(2)``);
* **body**: units whose letters, digits and CJK characters are not one
  stretch of the document's, in order (a letter or digit changed, moved, added
  or deleted; a paragraph's or note's number may be kept or left out whole, a
  marker left is counted under markers; should be 0);
* **pages**: files whose page count differs from the layout's (a page
  overflowed: the generator's fault, not the reader's; not counted for lopdf,
  which LibreOffice paginates itself).

``--formats lopdf`` adds a second PDF producer: LibreOffice (``soffice
--headless --convert-to pdf``) converting the benchmark's DOCX files, to check
that the PDF reader does not only know chromium's output.

The generated files live in a scratch folder removed at the end (``--keep`` keeps it).
"""

from __future__ import annotations

import argparse
import html
import random
import re
import shutil
import sys
import tempfile
import time
import unicodedata
import zipfile
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape as xml_escape

import regex

DEFAULT_DATA = (Path(__file__).resolve().parent.parent.parent
                / "shared" / "data" / "unpc-testset")
LANGS = ("ar", "en", "es", "fr", "ru", "zh")
CHROMIUM = "/usr/bin/chromium"  # Debian's
SOFFICE = "soffice"  # LibreOffice (--formats lopdf)
sys.path.append(str(Path(__file__).resolve().parent.parent))  # tests.ingest.docx_builder

# ---------------------------------------------------------------- UN page furniture
_ORGANS = {
    "en": {"S": "Security Council", "E": "Economic and Social Council", "": "General Assembly"},
    "fr": {"S": "Conseil de sécurité", "E": "Conseil économique et social",
           "": "Assemblée générale"},
    "es": {"S": "Consejo de Seguridad", "E": "Consejo Económico y Social",
           "": "Asamblea General"},
    "ru": {"S": "Совет Безопасности", "E": "Экономический и Социальный Совет",
           "": "Генеральная Ассамблея"},
    "ar": {"S": "مجلس الأمن", "E": "المجلس الاقتصادي والاجتماعي", "": "الجمعية العامة"},
    "zh": {"S": "安全理事会", "E": "经济及社会理事会", "": "大会"},
}
_UN = {"en": "United Nations", "fr": "Nations Unies", "es": "Naciones Unidas",
       "ru": "Организация Объединенных Наций", "ar": "الأمم المتحدة", "zh": "联合国"}
# The masthead's distribution, date and language lines, as the UN prints them.
_DISTR = {"en": ["Distr.: General", "{date}", "Original: English"],
          "fr": ["Distr. générale", "{date}", "Français", "Original : anglais"],
          "es": ["Distr. general", "{date}", "Español", "Original: inglés"],
          "ru": ["Distr.: General", "{date}", "Russian", "Original: English"],
          "ar": ["Distr.: General", "{date}", "Arabic", "Original: English"],
          "zh": ["Distr.: General", "{date}", "Chinese", "Original: English"]}
_MONTHS = {"en": "June", "fr": "juin", "es": "de junio de"}
_JOB_LETTER = {"ar": "A", "en": "E", "es": "S", "fr": "F", "ru": "R", "zh": "C"}
_ANNEX = {"en": "Annex", "fr": "Annexe", "es": "Anexo", "ru": "Приложение",
          "ar": "المرفق", "zh": "附件"}
_AR_NUMERALS = ("أولا", "ثانيا", "ثالثا", "رابعا", "خامسا", "سادسا", "سابعا", "ثامنا")
_ZH_NUMERALS = "一二三四五六七八九十"
_ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X")
_FINAL = regex.compile(r"[.!?:;。！？：；…][»”\"')）]*\s*$")
#: Characters a line holds (the page is 166 mm wide): Times 11 pt averages
#: about 2 mm a character, a CJK character at 10.5 pt is 3.7 mm; kept short so
#: chromium never wraps a line itself.
_LINE_CHARS = {"zh": 40, "ar": 80}
_LATIN_LINE = 78
#: Characters of body text a page holds (about 48 lines) minus its notes.
_PAGE_CHARS = {"zh": 40 * 38, "ar": 80 * 36}
_LATIN_PAGE = _LATIN_LINE * 38


_OWN_NUMBER = regex.compile(r"^(?:[\d٠-٩]{1,3}|[IVX]{1,5})\s*[.\-–]\s+")


def symbol_of(doc_id: str) -> str:
    """``2015/a/c_5/69/17`` -> ``A/C.5/69/17``."""
    return "/".join(doc_id.split("/")[1:]).replace("_", ".").upper()


@dataclass
class Block:
    kind: str  # "heading", "para", "annex"
    label: str
    text: str  # with \x01N\x02 where footnote N's marker goes
    sentences: list[str] = field(default_factory=list)


@dataclass
class Spec:
    doc_id: str
    lang: str
    symbol: str
    job: str
    date: str
    blocks: list[Block]
    notes: dict[int, str]
    table: list[list[str]]

    @property
    def gold(self) -> list[str]:
        return [s for b in self.blocks for s in b.sentences]


def load_docs(data: Path, langs: tuple[str, ...]) -> dict[str, dict[str, list[str]]]:
    """Each document's sentences per language, in that language's reading order."""
    ids = (data / "testset.ids").read_text(encoding="utf-8").splitlines()
    texts = {lang: (data / f"testset.{lang}").read_text(encoding="utf-8").splitlines()
             for lang in langs}
    where: dict[str, dict[str, list[tuple[int, int, str]]]] = defaultdict(lambda: defaultdict(list))
    for i, id_line in enumerate(ids):
        doc, *fields = id_line.split()
        pos = dict(f.split(":", 1) for f in fields)
        for lang in langs:
            line, sent = (int(x) for x in pos[lang].split(":"))
            # a fifth of the sentences open with their paragraph's number: the
            # rendered paragraph gets its own
            text = _OWN_NUMBER.sub("", texts[lang][i].strip())
            where[doc][lang].append((line, sent, text))
    return {doc: {lang: [t for *_, t in sorted(v)] for lang, v in per.items()}
            for doc, per in where.items()}


def make_specs(docs: dict[str, dict[str, list[str]]], n: int, min_sents: int, seed: int,
               langs: tuple[str, ...]) -> list[dict[str, Spec]]:
    """The sampled documents, each as one :class:`Spec` per language."""
    rng = random.Random(seed)
    eligible = sorted(d for d, per in docs.items() if len(per[langs[0]]) >= min_sents)
    sample = rng.sample(eligible, len(eligible))[:n]  # a smaller --docs is a prefix
    # note texts: short sentences of documents never sampled (too short), the same
    # line in every language; the pool does not depend on --docs, so a cached
    # file holds the same notes whatever the sample size
    others = [d for d in sorted(docs) if len(docs[d][langs[0]]) < min_sents]
    notes_pool = [(d, i) for d in others for i, s in enumerate(docs[d][langs[0]])
                  if 30 <= len(s) <= 160 and all(len(docs[d][lg][i]) >= 8 for lg in langs)]
    out = []
    for doc_id in sample:
        drng = random.Random(f"{seed}:{doc_id}")
        sizes = [drng.choice((1, 1, 2, 2, 3)) for _ in range(200)]
        n_notes = drng.choice((1, 2, 3))
        picks = drng.sample(notes_pool, n_notes)
        note_word = [drng.random() for _ in range(n_notes)]
        job = f"15-{drng.randrange(10000, 99999)}"
        day = drng.randrange(1, 29)
        rows = [[str(2012 + k), f"{drng.randrange(1000, 99999):,}",
                 f"{drng.randrange(1, 99)}.{drng.randrange(10)}"]
                for k in range(3)]
        per_lang = {}
        for lang in langs:
            sents = docs[doc_id][lang]
            blocks: list[Block] = []
            i = heads = paras = 0
            size_iter = iter(sizes)
            while i < len(sents):
                s = sents[i]
                if not _FINAL.search(s) and len(s) <= 120 and heads < len(_ROMAN):
                    numeral = (_AR_NUMERALS[heads] + " -" if lang == "ar" else
                               _ZH_NUMERALS[heads] + "、" if lang == "zh" else _ROMAN[heads] + ".")
                    heads += 1
                    blocks.append(Block("heading", numeral, s, [s]))
                    i += 1
                    continue
                take = []
                for s2 in sents[i:i + next(size_iter)]:
                    if take and not _FINAL.search(s2):
                        break
                    take.append(s2)
                i += len(take)
                paras += 1
                sep = "" if lang == "zh" else " "
                blocks.append(Block("para", f"{paras}" + (" -" if lang == "ar" else "."),
                                    sep.join(take), take))
            notes = {}
            para_blocks = [b for b in blocks if b.kind == "para"]
            for k, (d, j) in enumerate(picks if para_blocks else [], 1):
                notes[k] = docs[d][lang][j]
                at = min(len(para_blocks) - 1, (k - 1) * len(para_blocks) // n_notes)
                block = para_blocks[at]
                block.text = _place_marker(block.text, k, note_word[k - 1], lang)
            notes = _renumber(para_blocks, notes)
            date = (f"{day} {_MONTHS[lang]} 2015" if lang in _MONTHS else f"{day} June 2015")
            per_lang[lang] = Spec(doc_id, lang, symbol_of(doc_id), job, date, blocks, notes, rows)
        out.append(per_lang)
    return out


def _renumber(blocks: list[Block], notes: dict[int, str]) -> dict[int, str]:
    """Number the notes in the order their markers appear, as a document does."""
    order = [int(n) for b in blocks for n in regex.findall(r"\x01(\d+)\x02", b.text)]
    new = {old: k for k, old in enumerate(order, 1)}
    for b in blocks:
        b.text = regex.sub(r"\x01(\d+)\x02", lambda m: f"\x01{new[int(m.group(1))]}\x02", b.text)
    return {new[old]: text for old, text in notes.items()}


def _place_marker(text: str, n: int, where: float, lang: str) -> str:
    """Put footnote ``n``'s marker after a word (a letter right before it) past
    ``where`` of the text, else at its end."""
    letter = r"\p{Han}" if lang == "zh" else r"\p{L}"
    spots = [m.end() for m in regex.finditer(rf"{letter}(?=[\s,，、])", text)]
    spots = [p for p in spots if p >= where * len(text) and "\x01" not in text[max(0, p - 3):p + 3]]
    pos = spots[0] if spots else len(text)
    return text[:pos] + f"\x01{n}\x02" + text[pos:]


# ---------------------------------------------------------------------- line breaking
_WORD = regex.compile(r"\S+")


def break_lines(text: str, lang: str, rng: random.Random, hyphens: float = 0.7,
                columns: int = 1) -> list[str]:
    """``text`` broken into lines; long words at a line end in Latin and Cyrillic
    are hyphenated (a hyphen at the end of the line) with probability ``hyphens``,
    as Word does."""
    # a column is narrower than 1/N of the line by its gutter, and Cyrillic
    # letters are wider than Latin ones: 0.85 of it keeps every line inside
    # its column
    width = _LINE_CHARS.get(lang, _LATIN_LINE) if columns == 1 else int(
        _LINE_CHARS.get(lang, _LATIN_LINE) / columns * 0.85)
    if lang == "zh":
        lines, cur, visible = [], "", 0
        for part in regex.split(r"(\x01\d+\x02)", text):
            if part.startswith("\x01"):
                cur += part
                continue
            for ch in part:
                if visible >= width:
                    lines.append(cur)
                    cur, visible = "", 0
                cur += ch
                visible += 1
        return [*lines, cur] if cur else lines
    lines = []
    cur = ""
    for word in _WORD.findall(text):
        shown = regex.sub(r"\x01\d+\x02", "", word)
        cur_shown = len(regex.sub(r"\x01\d+\x02", "", cur))
        if not cur or cur_shown + 1 + len(shown) <= width:
            cur = f"{cur} {word}" if cur else word
            continue
        room = width - cur_shown - 2
        plain = regex.fullmatch(r"(\p{L}{4,})(.*)", word)
        if (lang != "ar" and plain and room >= 3 and len(plain.group(1)) >= 7
                and rng.random() < hyphens):
            cut = min(room, len(plain.group(1)) - 3)
            if cut >= 3:
                lines.append(f"{cur} {word[:cut]}-")
                cur = word[cut:]
                continue
        if lang != "ar" and "-" in word[1:-1] and cur_shown + 1 + word.index("-", 1) < width:
            head = word[:word.index("-", 1) + 1]
            lines.append(f"{cur} {head}")  # a compound broken at its own hyphen
            cur = word[len(head):]
            continue
        lines.append(cur)
        cur = word
    return [*lines, cur] if cur else lines


# ------------------------------------------------------------------------------- PDF
_CSS = """
@page { size: A4; margin: 0 }
body { margin: 0; font-family: 'Times New Roman', 'Liberation Serif', 'Noto Serif',
       'Noto Naskh Arabic', 'WenQuanYi Zen Hei', serif; font-size: 11pt }
.page { height: 296mm; box-sizing: border-box; padding: 14mm 22mm 12mm 22mm;
        break-after: page; display: flex; flex-direction: column; overflow: hidden }
.run { display: flex; justify-content: space-between; font-size: 9pt; height: 10mm }
.mast { display: flex; justify-content: space-between; border-bottom: 1.5pt solid black;
        margin-bottom: 6mm }
.mast .un { font-size: 13pt } .mast .sym { font-size: 16pt }
.mast2 { display: flex; justify-content: space-between; margin-bottom: 6mm }
.organ { font-size: 18pt; font-weight: bold }
.body { flex: 1 } .l { white-space: pre; line-height: 1.35 }
p { margin: 0 0 2.5mm 0 } h2 { font-size: 11pt; margin: 3mm 0 2.5mm 0 }
.notes { font-size: 9pt } .rule { width: 45mm; border-top: 0.6pt solid black; margin: 2mm 0 }
.foot { display: flex; justify-content: space-between; font-size: 9pt; margin-top: 3mm }
sup { font-size: 7pt } table { border-collapse: collapse; margin-top: 3mm }
td { padding: 1mm 6mm; border-top: 0.5pt solid black }
"""


def _esc(s: str, lang: str) -> str:
    """HTML of ``s`` with its footnote markers as superscripts (``(1)`` in Arabic,
    as Arabic UN documents write them)."""
    mark = r"<sup>(\1)</sup>" if lang == "ar" else r"<sup>\1</sup>"
    return regex.sub(r"\x01(\d+)\x02", mark, html.escape(s))


def render_html(spec: Spec, rng: random.Random, columns: int = 1) -> tuple[str, int]:
    """The document as HTML pages, and how many pages it has; ``columns``: the
    body set in that many columns (lines as narrow, the page's text as long)."""
    lang = spec.lang
    budget = _PAGE_CHARS.get(lang, _LATIN_PAGE)
    pages: list[list[str]] = [[]]
    page_notes: list[list[int]] = [[]]
    used = budget * 0.35  # the masthead
    for block in spec.blocks:
        if block.kind == "heading":  # broken without hyphens
            lines = break_lines(f"{block.label} {block.text}", lang, random.Random(0), 0.0,
                                columns)
        else:
            lines = break_lines(f"{block.label}{'' if lang == 'zh' else ' '}{block.text}",
                                lang, rng, columns=columns)
        tag = "h2" if block.kind == "heading" else "p"
        for line in lines:
            cost = len(line) + 10
            if used + cost > budget:
                pages.append([])
                page_notes.append([])
                used = 0
            pages[-1].append(f"<div class='l'>{_esc(line, lang)}</div>")
            for m in regex.finditer(r"\x01(\d+)\x02", line):
                page_notes[-1].append(int(m.group(1)))
                used += len(spec.notes[int(m.group(1))]) * 0.8 + 20
            used += cost
        pages[-1].append(f"<div style='height:{'3' if tag == 'p' else '4'}mm'></div>")
        used += 20
    pages.append([f"<h2>{html.escape(_ANNEX[lang])}</h2>", "<table>" + "".join(
        "<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>"
        for row in spec.table) + "</table>"])
    page_notes.append([])
    total = len(pages)
    direction = "rtl" if lang == "ar" else "ltr"
    organ = _ORGANS[lang].get(spec.symbol[0], _ORGANS[lang][""])
    out = [f"<!doctype html><html lang='{lang}' dir='{direction}'><head><meta charset='utf-8'>"
           f"<style>{_CSS}</style></head><body>"]
    for k, (body, notes) in enumerate(zip(pages, page_notes, strict=True), 1):
        out.append("<div class='page'>")
        if k == 1:
            distr = "".join(f"<div>{html.escape(x.format(date=spec.date))}</div>"
                            for x in _DISTR[lang])
            out.append(f"<div class='mast'><span class='un'>{html.escape(_UN[lang])}</span>"
                       f"<span class='sym'>{html.escape(spec.symbol)}</span></div>"
                       f"<div class='mast2'><span class='organ'>{html.escape(organ)}</span>"
                       f"<span>{distr}</span></div>")
        else:
            sym = f"<span>{html.escape(spec.symbol)}</span>"
            out.append(f"<div class='run'>{sym if k % 2 else '<span></span>'}"
                       f"{'<span></span>' if k % 2 else sym}</div>")
        style = (f" style='column-count:{columns};column-gap:8mm'"
                 if columns > 1 else "")
        out.append(f"<div class='body'{style}>" + "".join(body) + "</div>")
        if notes:
            out.append("<div class='notes'><div class='rule'></div>" + "".join(
                f"<div><sup>{f'({n})' if lang == 'ar' else n}</sup>\u2002"
                f"{html.escape(spec.notes[n])}</div>" for n in notes)
                + "</div>")
        if k == 1:
            left = f"GE.{spec.job}({_JOB_LETTER[lang]})"
            right = f"*{spec.job.replace('-', '')}*"
        else:
            left, right = (f"{k}/{total}", spec.job) if k % 2 == 0 else (spec.job, f"{k}/{total}")
        out.append(f"<div class='foot'><span>{left}</span><span>{right}</span></div></div>")
    out.append("</body></html>")
    return "\n".join(out), total


def input_pieces(spec: Spec) -> list[tuple[str, bool]]:
    """Everything the document shows, in reading order, as ``(text, is_label)``
    pieces: a label (a paragraph's or heading's number, a note's number) is
    structure, and a unit may hold it or not; footnote markers are left out
    (the body text is the text without them)."""
    organ = _ORGANS[spec.lang].get(spec.symbol[0], _ORGANS[spec.lang][""])
    pieces = [(x, False) for x in (_UN[spec.lang], spec.symbol, organ,
                                   *[x.format(date=spec.date) for x in _DISTR[spec.lang]])]
    for b in spec.blocks:
        pieces += [(b.label, True), (regex.sub(r"\x01\d+\x02", "", b.text), False)]
    for n, note in sorted(spec.notes.items()):
        pieces += [(str(n), True), (note, False)]
    pieces += [(_ANNEX[spec.lang], False), *[(c, False) for row in spec.table for c in row]]
    return pieces


class BodyStream:
    """The body characters (letters, digits, CJK) of a document's pieces in
    reading order, with the labels' characters optional: a unit's text keeps
    the body text unchanged when its characters are one stretch of this stream
    (a label may be skipped whole), so that a letter or digit added, changed,
    moved *or deleted* inside the unit breaks it."""

    def __init__(self, pieces: list[tuple[str, bool]]) -> None:
        chars: list[str] = []
        #: for a label's first position, the position after it
        self.skip: dict[int, int] = {}
        for text, is_label in pieces:
            content = _content(text)
            if is_label and content:
                self.skip[len(chars)] = len(chars) + len(content)
            chars += content
        self.text = "".join(chars)

    def find(self, unit: str) -> tuple[int, int] | None:
        """Where ``unit`` (body characters) is one stretch of the stream, labels
        skipped whole or kept; None if nowhere."""
        if not unit:
            return (0, 0)
        starts = {m.start() for m in regex.finditer(regex.escape(unit[:1]), self.text)}
        for start in sorted(starts):
            end = self._match(unit, start)
            if end is not None:
                return (start, end)
        return None

    def _match(self, unit: str, start: int) -> int | None:
        todo = [(start, 0)]
        seen = set()
        while todo:
            i, j = todo.pop()
            if (i, j) in seen:
                continue
            seen.add((i, j))
            while True:
                if j == len(unit):
                    return i
                if i in self.skip and j > 0:  # a label inside the unit may be left out
                    todo.append((self.skip[i], j))
                if i < len(self.text) and self.text[i] == unit[j]:
                    i, j = i + 1, j + 1
                    continue
                break
        return None


def _content(text: str) -> list[str]:
    return _BODY_CHAR.findall(unicodedata.normalize("NFKC", text))


# ------------------------------------------------------------------------------ DOCX
# docx_builder reads [n] as a footnote reference: the text's own brackets are hidden
# from it in private-use characters and put back in the finished file.
_HIDE = str.maketrans("[]", "\ue010\ue011")
_SHOW = str.maketrans("\ue010\ue011", "[]")


def write_docx(spec: Spec, path: Path) -> None:
    """The document as DOCX: masthead paragraphs, Word-numbered headings and
    paragraphs, real footnotes, the running head and job number in header and
    footer parts, and the annex table."""
    lang = spec.lang
    organ = _ORGANS[lang].get(spec.symbol[0], _ORGANS[lang][""])
    blocks = [("plain", _UN[lang]), ("plain", spec.symbol), ("plain", organ),
              *[("plain", x.format(date=spec.date)) for x in _DISTR[lang]]]
    for b in spec.blocks:
        text = regex.sub(r"\x01(\d+)\x02", r"[\1]", b.text.translate(_HIDE))
        kind = ("ZH1" if lang == "zh" else "H1") if b.kind == "heading" else "para"
        blocks.append((kind, text))
    blocks.append(("plain", _ANNEX[lang]))
    # docx_builder writes the note texts into XML as they are
    notes = {k: xml_escape(v.translate(_HIDE)) for k, v in spec.notes.items()}
    finish_docx(spec, path, blocks, notes, show=_SHOW)


def finish_docx(spec: Spec, path: Path, blocks: list[tuple[str, str]], notes: dict[int, str],
                show: dict[int, str] | None = None) -> None:
    """Write the blocks and notes as DOCX (tests' docx_builder), then the annex
    table, the running head and job number in header and footer parts; an
    Arabic document right to left. ``show`` translates the XML parts' text
    (docs.py's hidden characters); own_docs.py writes its documents with it too."""
    import docx

    from tests.ingest.docx_builder import build_docx

    lang = spec.lang
    build_docx(path, blocks, notes)
    document = docx.Document(str(path))
    table = document.add_table(rows=len(spec.table), cols=len(spec.table[0]))
    for r, row in enumerate(spec.table):
        for c, cell in enumerate(row):
            table.cell(r, c).text = cell
    section = document.sections[0]
    section.header.paragraphs[0].text = spec.symbol
    section.footer.paragraphs[0].text = f"GE.{spec.job}({_JOB_LETTER[lang]})"
    document.save(str(path))
    if show is None and lang != "ar":
        return
    with zipfile.ZipFile(path) as zf:
        parts = {name: zf.read(name) for name in zf.namelist()}
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            if show is not None and name.endswith(".xml"):
                data = data.decode("utf-8").translate(show).encode("utf-8")
            if name == "word/styles.xml" and lang == "ar":
                # every paragraph right to left, as in an Arabic UN document (Word's
                # w:bidi; LibreOffice lays the lines out by it)
                data = data.replace(b"<w:pPrDefault><w:pPr>", b"<w:pPrDefault><w:pPr><w:bidi/>", 1)
            zf.writestr(name, data)


# ------------------------------------------------------------------------- measuring
_BODY_CHAR = regex.compile(r"[\p{L}\p{N}]")


def _norm(s: str, lang: str) -> str:
    return regex.sub(r"\s+", "" if lang == "zh" else " ", s).strip()


@dataclass
class Score:
    gold: int = 0
    exact: int = 0
    inside: int = 0
    leaks: int = 0
    glued: int = 0
    markers: int = 0
    body: int = 0
    units: int = 0
    pages: int = 0
    files: int = 0
    errors: int = 0
    cpu: float = 0.0
    examples: list[str] = field(default_factory=list)


def measure(spec: Spec, path: Path, fmt: str, score: Score, keep: int) -> None:
    from bitext.errors import BitextError
    from bitext.ingest.document import load_document

    lang = spec.lang
    score.files += 1
    t0 = time.process_time()
    try:
        doc = load_document(path, lang)
    except BitextError as err:
        score.errors += 1
        score.gold += len(spec.gold)
        score.examples.append(f"{path.name}: {err}")
        return
    finally:
        score.cpu += time.process_time() - t0
    body_units = [u for u in doc.units if u.kind != "footnote"]
    sents = {_norm(s, lang) for u in doc.units for s in u.sentences}
    texts = [_norm(u.text, lang) for u in body_units]
    for s in spec.gold:
        score.gold += 1
        ns = _norm(s, lang)
        if ns in sents:
            score.exact += 1
        elif len(score.examples) < keep:
            near = max(doc.units, key=lambda u: len(set(u.text.split()) & set(s.split())))
            score.examples.append(f"{path.name} [{fmt}] missed: {s!r}\n      unit {near.label}: "
                                  f"{near.text[:300]!r}")
        if any(ns in t for t in texts):
            score.inside += 1
    furniture = [regex.escape(spec.symbol) + r"\s*$", r"^\s*" + regex.escape(spec.symbol),
                 regex.escape(spec.job), r"(?<!\d)\d{1,2}/\d{1,2}(?!\d)\s*$",
                 regex.escape(_UN[lang]) + r"\s*$", "Distr", "Original"]
    furniture += [regex.escape(_norm(n, lang)) for n in spec.notes.values()]
    for t in texts:
        for f in furniture:
            if regex.search(f, t):
                score.leaks += 1
                if len(score.examples) < keep:
                    score.examples.append(f"{path.name} [{fmt}] leak {f!r}: {t[:200]!r}")
    for b in spec.blocks:
        for m in regex.finditer(r"(\S{1,12}?)\x01(\d+)\x02", b.text):
            score.markers += 1
            # the marker still after its word: glued (word2), or apart (word (2))
            left = regex.compile(regex.escape(_norm(m.group(1), lang))
                                 + rf"\s?\(?{m.group(2)}\)?(?!\d)")
            if any(left.search(t) for t in texts):
                score.glued += 1
                if len(score.examples) < keep:
                    score.examples.append(f"{path.name} [{fmt}] marker left: "
                                          f"{m.group(1)!r} {m.group(2)}")
    stream = BodyStream(input_pieces(spec))
    left = [regex.compile(f"({regex.escape(_norm(m.group(1), lang))})"
                          + rf"\s?\(?{m.group(2)}\)?(?!\d)")
            for b in spec.blocks for m in regex.finditer(r"(\S{1,12}?)\x01(\d+)\x02", b.text)]
    for u in doc.units:
        score.units += 1
        text = _norm(u.text, lang)
        if stream.find("".join(_content(text))) is None:
            for pattern in left:  # a marker left is counted above, not as changed text
                text = pattern.sub(r"\1", text)
        if stream.find("".join(_content(text))) is None:
            score.body += 1
            if len(score.examples) < keep:
                score.examples.append(f"{path.name} [{fmt}] body text changed: {u.label} "
                                      f"{u.text[:200]!r}")


def _stem(spec: Spec, columns: int = 1) -> str:
    """The generated file's name: the document and language (so a cache folder
    holds the same file for a document whatever the sample size), and the
    columns if more than one."""
    return f"{spec.doc_id.replace('/', '_')}.{spec.lang}" + (f".c{columns}" if columns > 1 else "")


def convert_with_libreoffice(docx: list[Path], out: Path) -> None:
    """The DOCX files LibreOffice has not converted yet, as PDF in ``out`` (one
    soffice run for all, its own profile so that a running LibreOffice is left
    alone)."""
    import subprocess

    out.mkdir(parents=True, exist_ok=True)
    profile = out / ".profile"
    # soffice 7.4 given 360 files at once left about one in seven unconverted
    # without a word: the missing ones go again (three rounds at most)
    for _ in range(3):
        todo = [str(p) for p in docx if not (out / f"{p.stem}.pdf").exists()]
        if not todo:
            return
        subprocess.run([SOFFICE, f"-env:UserInstallation={profile.resolve().as_uri()}",
                        "--headless", "--convert-to", "pdf", "--outdir", str(out), *todo],
                       check=True, capture_output=True, timeout=60 * len(todo))


def _page_count(path: Path) -> int:
    return len(re.findall(rb"/Type\s*/Page(?!s)", path.read_bytes()))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--docs", type=int, default=60, help="documents sampled (default 60)")
    ap.add_argument("--min-sents", type=int, default=6)
    ap.add_argument("--seed", type=int, default=12)
    ap.add_argument("--langs", nargs="+", default=list(LANGS), choices=LANGS)
    ap.add_argument("--formats", nargs="+", default=["pdf", "docx"],
                    choices=["pdf", "docx", "lopdf"],
                    help="lopdf: the DOCX converted to PDF by LibreOffice (soffice; slow, "
                         "not a default)")
    ap.add_argument("--columns", type=int, default=1,
                    help="PDF (chromium) only: the body in this many columns (default 1)")
    ap.add_argument("--errors", type=int, default=0, help="examples shown per language x format")
    ap.add_argument("--scratch", type=Path, help="folder for the generated files (default: temp)")
    ap.add_argument("--keep", action="store_true", help="keep the generated files")
    args = ap.parse_args(argv)
    if not (args.data / "testset.ids").exists():
        print(f"Error: {args.data}/testset.ids not found; pass --data", file=sys.stderr)
        return 1
    if "pdf" in args.formats:
        import importlib.util

        if not Path(CHROMIUM).exists() or importlib.util.find_spec("playwright") is None:
            print(f"Error: the PDF files need Playwright and {CHROMIUM}: pip install playwright; "
                  "apt-get install -y chromium fonts-wqy-zenhei fonts-noto-core "
                  "(or --formats docx)", file=sys.stderr)
            return 1
    if "lopdf" in args.formats and shutil.which(SOFFICE) is None:
        print("Error: --formats lopdf needs LibreOffice: apt-get install -y "
              "--no-install-recommends libreoffice-writer-nogui", file=sys.stderr)
        return 1
    langs = tuple(args.langs)
    t_start, cpu_start = time.time(), time.process_time()
    docs = load_docs(args.data, LANGS)
    specs = make_specs(docs, args.docs, args.min_sents, args.seed, LANGS)
    scratch = args.scratch or Path(tempfile.mkdtemp(prefix="bitext-docs-"))
    scratch.mkdir(parents=True, exist_ok=True)
    scores: dict[tuple[str, str], Score] = defaultdict(Score)
    try:
        if "pdf" in args.formats:
            from playwright.sync_api import sync_playwright

            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=CHROMIUM,
                                             args=["--no-sandbox"])
                page = browser.new_page()
                for per in specs:
                    for lang in langs:
                        spec = per[lang]
                        path = scratch / f"{_stem(per[lang], args.columns)}.pdf"
                        rng = random.Random(f"{args.seed}:{spec.doc_id}:{lang}")
                        markup, total = render_html(spec, rng, args.columns)
                        if not path.exists():
                            page.set_content(markup)
                            page.pdf(path=str(path), prefer_css_page_size=True)
                        scores[lang, "pdf"].pages += _page_count(path) != total
                browser.close()
        if "docx" in args.formats or "lopdf" in args.formats:
            for per in specs:
                for lang in langs:
                    path = scratch / f"{_stem(per[lang])}.docx"
                    if not path.exists():
                        write_docx(per[lang], path)
        if "lopdf" in args.formats:
            convert_with_libreoffice(
                [scratch / f"{_stem(per[lang])}.docx" for per in specs for lang in langs],
                scratch / "lo")
        for fmt in args.formats:
            for per in specs:
                for lang in langs:
                    cols = args.columns if fmt == "pdf" else 1
                    path = (scratch / "lo" / f"{_stem(per[lang])}.pdf" if fmt == "lopdf"
                            else scratch / f"{_stem(per[lang], cols)}.{fmt}")
                    measure(per[lang], path, fmt, scores[lang, fmt], args.errors)
    finally:
        if not args.keep and not args.scratch:
            shutil.rmtree(scratch, ignore_errors=True)
    print("| lang | format | files | sentences | exact | inside | leaks | markers left "
          "| body changed | read errors | bad pages | read CPU s |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for fmt in args.formats:
        for lang in langs:
            s = scores[lang, fmt]
            print(f"| {lang} | {fmt} | {s.files} | {s.gold} | {s.exact / max(s.gold, 1):.3f} | "
                  f"{s.inside / max(s.gold, 1):.3f} | {s.leaks} | {s.glued}/{s.markers} | "
                  f"{s.body}/{s.units} | {s.errors} | {s.pages} | {s.cpu:.1f} |")
    for (lang, fmt), s in sorted(scores.items()):
        for ex in s.examples:
            print(f"  {lang} {fmt}: {ex}")
    print(f"# {len(specs)} documents, seed {args.seed}; wall {time.time() - t_start:.0f} s, "
          f"this process's CPU {time.process_time() - cpu_start:.0f} s (chromium's not counted)",
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
