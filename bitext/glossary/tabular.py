"""Glossaries as spreadsheets: CSV and TSV, UTF-8 with a header row.

One row per concept. ``zh`` / ``en`` (the language codes of the concept) hold the
preferred terms, ``zh_variants`` / ``en_variants`` the other terms joined by
`` | ``; then kind, scores, frequencies and up to three example pairs.

CSV follows RFC 4180 (fields quoted when needed, CRLF line ends), UTF-8
without a byte-order mark. TSV has no quoting: tabs and line breaks inside a
field become spaces, and a warning gives their number.

Both are opened in spreadsheets, which run a cell opening with ``=``, ``+``,
``-`` or ``@`` as a formula (OWASP's "CSV injection": a document sentence
``=HYPERLINK(...)`` in an example column). Such a text cell is written with a
leading apostrophe, which spreadsheets take as "this is text" and do not show;
numbers are written as they are, and :func:`read_table` removes the
apostrophe, so the table reads back as it was written.
"""

from __future__ import annotations

import csv
import io
import logging
import os
import re
from collections.abc import Sequence

from bitext.errors import InputError
from bitext.fileio import record_lines, write_whole
from bitext.glossary.model import Concept, Example, Term

logger = logging.getLogger(__name__)

VARIANT_SEP = " | "
# Tabs and everything str.splitlines() breaks on: they cannot stand inside a TSV field.
_TSV_BREAKS = re.compile("\r\n|[\t\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
MAX_EXAMPLES = 3
# A cell a spreadsheet would run as a formula (OWASP: = + - @, tab, CR), or one
# that already opens with the apostrophe that guards one (kept apart on reading).
_FORMULA_START = re.compile("'*[=+\\-@\t\r]")
_NUMBER = re.compile(r"[+-]?[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?")


def _langs(concepts: Sequence[Concept]) -> tuple[str, str]:
    if not concepts:
        return "zh", "en"
    return concepts[0].src_lang, concepts[0].tgt_lang


def header(src: str, tgt: str) -> list[str]:
    cols = ["id", src, tgt, f"{src}_variants", f"{tgt}_variants", "kind", "score", "rank_score",
            f"freq_{src}", f"freq_{tgt}", "cooc", "docs"]
    for n in range(1, MAX_EXAMPLES + 1):
        cols += [f"example{n}_{src}", f"example{n}_{tgt}", f"example{n}_label"]
    return cols


def _as_text(cell: str) -> str:
    """``cell`` as a spreadsheet shows it but never runs it (see the module)."""
    if not _FORMULA_START.match(cell) or _NUMBER.fullmatch(cell):
        return cell  # a number ("-0.5", "+3") is no formula
    return "'" + cell


def _from_text(cell: str) -> str:
    """The inverse of :func:`_as_text`."""
    return cell[1:] if cell.startswith("'") and _FORMULA_START.match(cell, 1) else cell


def rows(concepts: Sequence[Concept]) -> tuple[list[str], list[list[str]]]:
    """The header and one row of strings per concept."""
    src, tgt = _langs(concepts)
    out = []
    for c in concepts:
        src_terms = [t.text for t in c.terms_in(src)]
        tgt_terms = [t.text for t in c.terms_in(tgt)]
        row = [c.id, src_terms[0] if src_terms else "", tgt_terms[0] if tgt_terms else "",
               VARIANT_SEP.join(src_terms[1:]), VARIANT_SEP.join(tgt_terms[1:]), c.kind,
               f"{c.score:.4f}", f"{c.rank_score:.4f}", str(c.freq_src), str(c.freq_tgt),
               str(c.cooc), str(c.docs)]
        for n in range(MAX_EXAMPLES):
            ex = c.examples[n] if n < len(c.examples) else Example("", "", "")
            row += [ex.src, ex.tgt, ex.label]
        out.append(row)
    return header(src, tgt), out


def write_csv(concepts: Sequence[Concept], path: str | os.PathLike[str]) -> int:
    """Write CSV (RFC 4180, UTF-8, no BOM). Returns the number of characters
    replaced by spaces (:func:`_forbidden_replaced`)."""
    head, body = rows(concepts)
    replaced = _forbidden_replaced(body, path)
    buf = io.StringIO()
    writer = csv.writer(buf, dialect="excel")
    writer.writerow(head)
    writer.writerows([_as_text(cell) for cell in row] for row in body)
    write_whole(path, buf.getvalue())
    return replaced


def write_tsv(concepts: Sequence[Concept], path: str | os.PathLike[str]) -> int:
    """Write TSV (UTF-8). Returns the number of tabs, line breaks and other
    characters (:func:`_forbidden_replaced`) replaced by spaces."""
    head, body = rows(concepts)
    forbidden = _forbidden_replaced(body, path)
    replaced = 0
    lines = ["\t".join(head)]
    for row in body:
        cells = []
        for cell in row:
            clean, n = _TSV_BREAKS.subn(" ", cell)
            replaced += n
            cells.append(_as_text(clean))
        lines.append("\t".join(cells))
    write_whole(path, "\n".join(lines) + "\n")
    if replaced:
        logger.warning("%s: replaced %d tab or line-break character%s inside fields by spaces",
                       path, replaced, "" if replaced == 1 else "s")
    return replaced + forbidden


def _forbidden_replaced(body: list[list[str]], path: str | os.PathLike[str]) -> int:
    """Replace, in place, the characters every exporter replaces by spaces
    (:func:`bitext.tmx.text.replace_forbidden`: C0 controls, which break
    spreadsheets, and lone surrogates, which UTF-8 cannot encode and a JSONL
    alignment may hold as escapes); log one warning; return their number."""
    from bitext.tmx.text import replace_forbidden

    replaced = 0
    for row in body:
        for k, cell in enumerate(row):
            row[k], n = replace_forbidden(cell)
            replaced += n
    if replaced:
        logger.warning("%s: replaced %d control or lone surrogate character%s by spaces",
                       path, replaced, "" if replaced == 1 else "s")
    return replaced


def read_table(path: str | os.PathLike[str], delimiter: str) -> list[Concept]:
    """Read a CSV (``,``) or TSV (``\\t``) glossary written by :func:`rows`'s layout.

    Only the first two language columns are required: a table with just
    ``zh`` and ``en`` columns (variants after `` | ``) reads too.
    """
    from bitext.fileio import not_utf8_text, open_binary
    from bitext.limits import stream_budget

    # Bounded: a name linked to /dev/zero or a FIFO that never ends is refused,
    # not read into the memory.
    with open_binary(path, max_bytes=stream_budget()) as fh:
        data = fh.read()
    data = data[3:] if data.startswith(b"\xef\xbb\xbf") else data
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        raise InputError(not_utf8_text(data, path, err)) from err
    if not text.strip():
        raise InputError(f"{path}: empty file; a glossary table opens with a header row "
                         "naming two language columns such as 'zh' and 'en'")
    if delimiter == "\t":
        records = [line.split("\t") for line in record_lines(text) if line.strip()]
    else:
        records = [r for r in csv.reader(io.StringIO(text)) if r]
    head = [h.strip() for h in records[0]]
    langs = [h for h in head if h and h not in ("id", "kind", "score", "rank_score", "cooc",
                                               "docs", "note") and "_" not in h]
    if len(langs) < 2:
        raise InputError(f"{path}:1: expected two language columns such as 'zh' and 'en'")
    src, tgt = langs[0], langs[1]
    col = {h: i for i, h in enumerate(head)}

    def get(rec: list[str], name: str) -> str:
        i = col.get(name)
        return _from_text(rec[i].strip()) if i is not None and i < len(rec) else ""

    def num(rec: list[str], name: str) -> float:
        try:
            return float(get(rec, name) or 0)
        except ValueError:
            return 0.0

    out = []
    for n, rec in enumerate(records[1:], 2):
        terms: list[Term] = []
        for lang in (src, tgt):
            pref = get(rec, lang)
            variants = [v.strip() for v in get(rec, f"{lang}_variants").split("|") if v.strip()]
            names = [v.strip() for v in pref.split("|") if v.strip()] + variants
            for k, text_ in enumerate(names):
                terms.append(Term(text_, lang, "fullForm" if k == 0 else "variant"))
        examples = []
        for k in range(1, MAX_EXAMPLES + 1):
            a, b = get(rec, f"example{k}_{src}"), get(rec, f"example{k}_{tgt}")
            if a or b:
                examples.append(Example(a, b, get(rec, f"example{k}_label")))
        out.append(Concept(
            id=get(rec, "id") or f"c{n - 1}", src_lang=src, tgt_lang=tgt, terms=tuple(terms),
            kind=get(rec, "kind") or "term", score=float(num(rec, "score")),
            rank_score=float(num(rec, "rank_score")), freq_src=int(num(rec, f"freq_{src}")),
            freq_tgt=int(num(rec, f"freq_{tgt}")), cooc=int(num(rec, "cooc")),
            docs=int(num(rec, "docs")) or 1, examples=tuple(examples)))
    return out
