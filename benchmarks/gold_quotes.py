"""List every line of ``bitext/`` that quotes a term of a gold list (either side).

Usage (from the repository root)::

    python benchmarks/gold_quotes.py

The gold lists are ``benchmarks/data/*.terms*.tsv`` (``terms2`` and the held-out
``terms3`` too) and ``corpora/*/gold.terms.tsv`` (alternatives split at ``|``).
A Latin or Cyrillic term matches case-insensitively as whole words (an acronym
in capitals only); a Chinese term as a substring. The code must not be fitted to the
material it is measured on, so its comments and docstrings use made-up examples;
what this still lists should be generic word classes that are real mechanisms
(heads of bodies, structure words, function words) or false hits (``post``, ``km``).
Exits 0 whatever it finds: it is a reviewer's list, not a gate.
"""

from __future__ import annotations

import csv
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def gold_terms(root: Path) -> dict[str, str]:
    """Every term of every gold list, mapped to the name of its first list."""
    terms: dict[str, str] = {}
    lists = sorted((root / "benchmarks/data").glob("*.terms*.tsv"))
    lists += sorted((root / "corpora").glob("*/gold.terms.tsv"))
    for path in lists:
        with path.open(encoding="utf-8", newline="") as fh:
            rows = csv.reader(fh, delimiter="\t")
            next(rows, None)
            for row in rows:
                for cell in row[:2]:
                    for term in (t.strip() for t in cell.split("|")):
                        if term:
                            terms.setdefault(term, path.name)
    return terms


def matcher(term: str) -> re.Pattern[str]:
    """Whole words for alphabetic scripts (an acronym in capitals only, so that
    an acronym spelt like a word is not found in every use of the word), a
    substring for Chinese."""
    if re.search(r"[A-Za-z\u0400-\u04ff]", term):
        flags = 0 if re.fullmatch(r"[A-Z\u0410-\u042f]{2,}", term) else re.IGNORECASE
        return re.compile(r"(?<![\w-])" + re.escape(term) + r"(?![\w-])", flags)
    return re.compile(re.escape(term))


def main() -> int:
    pats = [(t, matcher(t)) for t in gold_terms(ROOT)]
    lines = 0
    for path in sorted((ROOT / "bitext").rglob("*.py")):
        for no, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            hits = [t for t, p in pats if p.search(line)]
            if hits:
                lines += 1
                print(f"{path.relative_to(ROOT)}:{no}: {' | '.join(hits)}: {line.strip()}")
    print(f"{lines} lines quote a gold term", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
