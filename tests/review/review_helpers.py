"""What the review tests share besides fixtures (conftest modules are not importable)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

NAME = "corpus"
XSS_EN = 'Test of markup: <script>alert(1)</script> and "><img src=x onerror=alert(2)>.'
XSS_ZH = '标记测试：<script>alert(1)</script>以及"><img src=x onerror=alert(2)>。'


@dataclass(frozen=True)
class Built:
    """A build output folder and what was done to it."""

    out: Path
    moved_en: str  # the English sentence pushed into the wrong link
    wrong_zh: str  # the Chinese sentence of the link it was pushed into
    orphan_zh: str  # the Chinese sentence left without its English


def misalign(jsonl: Path) -> tuple[str, str, str]:
    """Push the English of one 1-1 link into the link before it (a 1-2 and a 1-0,
    both with a very low score): the error a reviewer must find and fix."""
    rows = [json.loads(line) for line in jsonl.read_text(encoding="utf-8").splitlines()]
    middle = len(rows) // 2
    for i in range(middle, len(rows) - 1):
        a, b = rows[i], rows[i + 1]
        if (len(a["en"]), len(a["zh"]), len(b["en"]), len(b["zh"])) == (1, 1, 1, 1) \
                and a["para"] == b["para"]:
            break
    else:  # pragma: no cover - the corpus has many consecutive 1-1 links
        raise AssertionError("no two consecutive 1-1 links in one paragraph")
    moved = b["en"][0]
    a["en"] = a["en"] + b["en"]
    a["en_ids"] = a["en_ids"] + b["en_ids"]
    a["bead"], a["score"] = "2-1", 0.011
    b["en"], b["en_ids"], b["bead"], b["score"] = [], [], "0-1", 0.012
    jsonl.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows),
                     encoding="utf-8")
    return moved, a["zh"][0], b["zh"][0]
