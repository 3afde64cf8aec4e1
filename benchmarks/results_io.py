"""Where benchmarks leave their JSON results for ``readme_table.py --collect``."""

from __future__ import annotations

import json
import os
import shlex
import sys
import time
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).resolve().parent / "results"


def save_result(name: str, result: dict[str, Any]) -> Path:
    """Write ``result`` to ``benchmarks/results/NAME.json`` with the command and the load.

    The command is this process's own command line (``python benchmarks/...``);
    the load is the 1-minute load average when the run ended, so a figure
    measured on a busy machine says so.
    """
    RESULTS.mkdir(exist_ok=True)
    record = dict(result)
    record["command"] = shlex.join(["python", *sys.argv])
    record["load_1min"] = round(os.getloadavg()[0], 1)
    record["cores"] = os.cpu_count()
    record["date"] = time.strftime("%Y-%m-%d", time.gmtime())
    path = RESULTS / f"{name}.json"
    path.write_text(json.dumps(record, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return path
