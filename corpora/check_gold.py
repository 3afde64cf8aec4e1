#!/usr/bin/env python3
"""Check (and partly regenerate) the hand-made gold files of a seed corpus.

Usage:
    python corpora/check_gold.py                      # check corpora/un-som-2016
    python corpora/check_gold.py --corpus DIR         # check another corpus folder
    python corpora/check_gold.py --write-paragraphs   # regenerate gold.paragraphs.jsonl

The check covers gold.sentences.jsonl, gold.paragraphs.jsonl and gold.terms.tsv
against the raw zh.txt / en.txt of the folder (see the folder's README.md for the
conventions). It prints one line per problem and exits 1 if there is any.
Standard library only, so it runs before the package is installed.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Iterable
from pathlib import Path

DEFAULT_CORPUS = Path(__file__).resolve().parent / "un-som-2016"

ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"]
TERM_KINDS = {
    "instrument",
    "organization",
    "body",
    "concept",
    "crime",
    "process",
    "acronym",
    "person-role",
    "document",
    "programme",
    "meeting",
    "place",
}
TERMS_HEADER = ["zh", "en", "kind", "note"]

_HAN = "\u3400-\u4dbf\u4e00-\u9fff"

# Page artefacts of text extracted from a UN PDF: a document symbol alone on a
# line (running header), job-number footers, the barcode line.
_ARTEFACT_RES = [
    re.compile(r"^\f?\s*[A-Z]+(?:/[A-Z0-9.]+)+\s*$"),
    re.compile(r"^\f?\s*(?:\d+/\d+\s+)?[A-Z]\.\d{2}-\d{5}(?:\s+\(E\).*|\s+\d+/\d+)?\s*$"),
    re.compile(r"^\f?\s*\*\d{7}\*\s*$"),
]
_SEPARATOR_RE = re.compile(r"^\f?\s*_{5,}\s*$")
_FOOTNOTE_START_RE = re.compile(r"^\f?\s?(\d{1,2}) (?!\s)(.*)$")
# Footnote markers glued to the text.
_ZH_MARKER_RES = [
    re.compile(
        rf"(?<=[\uff0c\u3002\u201d\u300b\u3001\uff1b\uff1a\uff09{_HAN}])\d{{1,2}}(?=[{_HAN}\u201c\u300a\uff08])"
    ),
    re.compile(rf"(?<=[{_HAN}])\*(?=[{_HAN}\s])"),
]
_EN_MARKER_RES = [
    re.compile(r"(?<=[A-Za-z)][,.;:])\d{1,2}(?=\s)"),
    re.compile(r"(?<=[\u201d\u2019][,.;:])\d{1,2}(?=\s)"),
    re.compile(r"(?<=[A-Za-z])\*(?=\s|$)"),
]
_EOL_HYPHEN = "\x01"  # stands for a line-end hyphen: either kept (compound) or dropped


# --------------------------------------------------------------------------- io


def load_sentences(path: Path) -> tuple[list[dict], list[str]]:
    rows: list[dict] = []
    errors: list[str] = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            errors.append(f"{path.name}:{n}: empty line")
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            errors.append(f"{path.name}:{n}: invalid JSON ({exc})")
            continue
        if not isinstance(obj, dict) or set(obj) != {"id", "para", "zh", "en"}:
            errors.append(f"{path.name}:{n}: expected keys id, para, zh, en")
            continue
        if not all(isinstance(s, str) for s in obj["zh"] + obj["en"]):
            errors.append(f"{path.name}:{n}: zh and en must be lists of strings")
            continue
        rows.append(obj)
    return rows, errors


def units_of(rows: Iterable[dict]) -> list[tuple[str, list[str], list[str]]]:
    """Group links into units (label, zh sentences, en sentences), in order."""
    units: list[tuple[str, list[str], list[str]]] = []
    for row in rows:
        if units and units[-1][0] == row["para"]:
            units[-1][1].extend(row["zh"])
            units[-1][2].extend(row["en"])
        else:
            units.append((row["para"], list(row["zh"]), list(row["en"])))
    return units


def paragraphs_from(rows: list[dict]) -> list[dict]:
    return [
        {"para": label, "zh": "".join(zh), "en": " ".join(en)} for label, zh, en in units_of(rows)
    ]


def write_paragraphs(corpus: Path) -> int:
    rows, errors = load_sentences(corpus / "gold.sentences.jsonl")
    if errors:
        print("\n".join(errors))
        return 1
    out = corpus / "gold.paragraphs.jsonl"
    with out.open("w", encoding="utf-8", newline="\n") as fh:
        for obj in paragraphs_from(rows):
            fh.write(json.dumps(obj, ensure_ascii=False) + "\n")
    print(f"wrote {out}")
    return 0


# ----------------------------------------------------------------- structure


def check_ids_and_links(rows: list[dict]) -> list[str]:
    errors = []
    for i, row in enumerate(rows, 1):
        if row["id"] != i:
            errors.append(f"link {i}: id is {row['id']!r}, expected {i}")
        if not row["zh"] and not row["en"]:
            errors.append(f"link {row['id']}: both sides empty")
        for lang in ("zh", "en"):
            for s in row[lang]:
                if not s:
                    errors.append(f"link {row['id']}: empty {lang} sentence")
                elif s != s.strip():
                    errors.append(f"link {row['id']}: {lang} sentence has leading/trailing space")
                if "  " in s:
                    errors.append(f"link {row['id']}: {lang} sentence has a double space")
                if "\n" in s or "\t" in s or "\f" in s:
                    errors.append(f"link {row['id']}: {lang} sentence has a control character")
    return errors


def check_label_order(labels: list[str]) -> list[str]:
    """Labels: header1.., then body (I, 1, 2, II, II.A, II.A.1, ...), then fn1.. ."""
    errors: list[str] = []
    seen: set[str] = set()
    for lab in labels:
        if lab in seen:
            errors.append(f"label {lab}: its links are not contiguous (or it is repeated)")
        seen.add(lab)
    phase = 0  # 0 headers, 1 body, 2 footnotes
    header_n = fn_n = para_n = 0
    roman_i = -1
    letter = ""
    sub_n = 0
    for lab in labels:
        if m := re.fullmatch(r"header(\d+)", lab):
            if phase != 0:
                errors.append(f"label {lab}: header after body or footnotes")
            if int(m.group(1)) != header_n + 1:
                errors.append(f"label {lab}: expected header{header_n + 1}")
            header_n = int(m.group(1))
        elif m := re.fullmatch(r"fn(\d+)", lab):
            phase = 2
            if int(m.group(1)) != fn_n + 1:
                errors.append(f"label {lab}: expected fn{fn_n + 1}")
            fn_n = int(m.group(1))
        else:
            if phase == 2:
                errors.append(f"label {lab}: body unit after the footnotes")
            phase = max(phase, 1)
            if re.fullmatch(r"\d+", lab):
                if int(lab) != para_n + 1:
                    errors.append(f"label {lab}: expected paragraph {para_n + 1}")
                para_n = int(lab)
                continue
            parts = lab.split(".")
            if parts[0] not in ROMAN or len(parts) > 3:
                errors.append(f"label {lab}: not a valid label")
                continue
            r = ROMAN.index(parts[0])
            if len(parts) == 1:
                if r != roman_i + 1:
                    errors.append(f"label {lab}: expected {ROMAN[roman_i + 1]}")
                roman_i, letter, sub_n = r, "", 0
            elif len(parts) == 2:
                expected = chr(ord(letter) + 1) if letter else "A"
                if r != roman_i or not re.fullmatch(r"[A-Z]", parts[1]) or parts[1] != expected:
                    errors.append(f"label {lab}: expected {ROMAN[roman_i]}.{expected}")
                letter, sub_n = parts[1], 0
            else:
                if r != roman_i or parts[1] != letter or not parts[2].isdigit():
                    errors.append(f"label {lab}: outside its section {ROMAN[roman_i]}.{letter}")
                elif int(parts[2]) != sub_n + 1:
                    errors.append(f"label {lab}: expected {ROMAN[r]}.{letter}.{sub_n + 1}")
                else:
                    sub_n = int(parts[2])
    return errors


def check_paragraph_file(corpus: Path, rows: list[dict]) -> list[str]:
    path = corpus / "gold.paragraphs.jsonl"
    if not path.exists():
        return [f"{path.name}: missing (run with --write-paragraphs)"]
    expected = paragraphs_from(rows)
    actual = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        try:
            actual.append(json.loads(line))
        except json.JSONDecodeError as exc:
            return [f"{path.name}:{n}: invalid JSON ({exc})"]
    if actual == expected:
        return []
    errors = [f"{path.name}: not consistent with gold.sentences.jsonl (run --write-paragraphs)"]
    for a, e in zip(actual, expected, strict=False):
        if a != e:
            errors.append(f"{path.name}: first difference at unit {e['para']}")
            break
    if len(actual) != len(expected):
        errors.append(f"{path.name}: {len(actual)} units, expected {len(expected)}")
    return errors


# ------------------------------------------------------------------ raw text


def _is_artefact(line: str) -> bool:
    return any(r.match(line) for r in _ARTEFACT_RES)


def split_raw(text: str) -> tuple[list[str], dict[int, list[str]]]:
    """Split raw extracted text into body lines and footnote texts (by number).

    Page artefacts (separators, running headers, footers) are dropped.
    """
    body: list[str] = []
    notes: dict[int, list[str]] = {}
    in_notes = False
    current: int | None = None
    for line in text.split("\n"):
        if _SEPARATOR_RE.match(line):
            in_notes, current = True, None
            continue
        if _is_artefact(line):
            in_notes, current = False, None
            continue
        if in_notes:
            if not line.strip():
                continue
            m = _FOOTNOTE_START_RE.match(line)
            if m and not re.match(r"^\s?\d+\.\s", line):
                current = int(m.group(1))
                notes.setdefault(current, []).append(m.group(2))
                continue
            if current is not None and not line[:1].isspace():
                notes[current].append(line)
                continue
            in_notes, current = False, None
        body.append(line)
    return body, notes


def _strip_markers(text: str, lang: str) -> str:
    for r in _ZH_MARKER_RES if lang == "zh" else _EN_MARKER_RES:
        text = r.sub("", text)
    return text


def _normalize_raw(lines: list[str], lang: str) -> str:
    text = _strip_markers("\n".join(line.replace("\f", "") for line in lines), lang)
    if lang == "en":
        text = re.sub(r"(?<=[A-Za-z])-[ \t]*\n\s*(?=[A-Za-z0-9])", _EOL_HYPHEN, text)
    return re.sub(r"\s+", "", text)


def _sentence_pattern(sentence: str, lang: str) -> re.Pattern[str] | str:
    s = re.sub(r"\s+", "", sentence)
    if lang == "zh":
        return s
    parts = []
    for ch in s:
        if ch == "-":
            parts.append(f"(?:-|{_EOL_HYPHEN})")
        else:
            parts.append(re.escape(ch) + (f"{_EOL_HYPHEN}?" if ch.isalpha() else ""))
    return re.compile("".join(parts))


def _find_in_order(
    haystack: str, sentences: list[tuple[str, str]], lang: str, where: str
) -> list[str]:
    errors = []
    pos = 0
    for label, sentence in sentences:
        pat = _sentence_pattern(sentence, lang)
        if isinstance(pat, str):
            i = haystack.find(pat, pos)
            span = (i, i + len(pat)) if i >= 0 else None
        else:
            m = pat.search(haystack, pos)
            span = m.span() if m else None
        if span is None:
            anywhere = (
                haystack.find(pat) >= 0
                if isinstance(pat, str)
                else pat.search(haystack) is not None
            )
            why = "out of order" if anywhere else "not found"
            errors.append(f"{lang} sentence of {label} {why} in {where}: {sentence[:60]!r}")
            continue
        pos = span[1]
    return errors


def check_against_raw(corpus: Path, units: list[tuple[str, list[str], list[str]]]) -> list[str]:
    errors: list[str] = []
    for lang, idx in (("zh", 1), ("en", 2)):
        raw_path = corpus / f"{lang}.txt"
        if not raw_path.exists():
            errors.append(f"{raw_path.name}: missing")
            continue
        raw = raw_path.read_text(encoding="utf-8")
        if "\t" in raw and lang == "en":
            errors.append(f"{raw_path.name}: contains tab characters")
        body_lines, notes = split_raw(raw)
        body = _normalize_raw(body_lines, lang)
        note_text = _normalize_raw([" ".join(notes[k]) for k in sorted(notes)], lang)
        body_sents = [
            (lab, s) for lab, *sides in units if not lab.startswith("fn") for s in sides[idx - 1]
        ]
        fn_sents = [
            (lab, s) for lab, *sides in units if lab.startswith("fn") for s in sides[idx - 1]
        ]
        errors += _find_in_order(body, body_sents, lang, f"the body of {raw_path.name}")
        errors += _find_in_order(note_text, fn_sents, lang, f"the footnotes of {raw_path.name}")
        fn_labels = {int(lab[2:]) for lab, *_ in units if lab.startswith("fn")}
        if fn_labels and set(notes) != fn_labels:
            errors.append(
                f"{raw_path.name}: footnotes {sorted(notes)} but gold has {sorted(fn_labels)}"
            )
    return errors


# --------------------------------------------------------------------- terms


def check_terms(corpus: Path, rows: list[dict]) -> list[str]:
    path = corpus / "gold.terms.tsv"
    if not path.exists():
        return [f"{path.name}: missing"]
    zh_all = "".join(s for r in rows for s in r["zh"])
    en_all = " ".join(s for r in rows for s in r["en"])
    lines = path.read_text(encoding="utf-8").split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    if not lines or lines[0].split("\t") != TERMS_HEADER:
        return [f"{path.name}: header must be {chr(9).join(TERMS_HEADER)!r}"]
    errors = []
    seen: set[str] = set()
    for n, line in enumerate(lines[1:], 2):
        fields = line.split("\t")
        if len(fields) != 4:
            errors.append(f"{path.name}:{n}: expected 4 tab-separated fields, got {len(fields)}")
            continue
        zh, en, kind, _note = fields
        if not zh or zh != zh.strip() or not en or en != en.strip():
            errors.append(f"{path.name}:{n}: empty field or stray space")
            continue
        if kind not in TERM_KINDS:
            errors.append(f"{path.name}:{n}: unknown kind {kind!r}")
        if zh in seen:
            errors.append(f"{path.name}:{n}: duplicate zh term {zh!r}")
        seen.add(zh)
        if zh not in zh_all:
            errors.append(f"{path.name}:{n}: zh term {zh!r} does not occur in the zh gold")
        variants = en.split(" | ")
        if any(not v or v != v.strip() for v in variants):
            errors.append(f"{path.name}:{n}: malformed en variants {en!r}")
        elif not any(v in en_all for v in variants):
            errors.append(f"{path.name}:{n}: no en variant of {en!r} occurs in the en gold")
    if len(lines) - 1 < 60:
        errors.append(f"{path.name}: only {len(lines) - 1} terms, expected at least 60")
    return errors


# ---------------------------------------------------------------------- main


def check_corpus(corpus: Path = DEFAULT_CORPUS) -> list[str]:
    """Return a list of problems with the gold files of ``corpus`` (empty if none)."""
    corpus = Path(corpus)
    path = corpus / "gold.sentences.jsonl"
    if not path.exists():
        return [f"{path}: missing"]
    rows, errors = load_sentences(path)
    if errors:
        return errors
    units = units_of(rows)
    errors += check_ids_and_links(rows)
    errors += check_label_order([u[0] for u in units])
    errors += check_paragraph_file(corpus, rows)
    errors += check_against_raw(corpus, units)
    errors += check_terms(corpus, rows)
    return errors


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="corpus folder")
    ap.add_argument(
        "--write-paragraphs",
        action="store_true",
        help="regenerate gold.paragraphs.jsonl from gold.sentences.jsonl",
    )
    args = ap.parse_args(argv)
    if args.write_paragraphs:
        return write_paragraphs(args.corpus)
    errors = check_corpus(args.corpus)
    for e in errors:
        print(e)
    if errors:
        print(f"{len(errors)} problem(s) in {args.corpus}")
        return 1
    print(f"gold OK: {args.corpus}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
