"""benchmarks/glossary.py: --dev3 scores the held-out third gold and refuses to
list its missed pairs."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _module() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "glossary_benchmark", ROOT / "benchmarks" / "glossary.py")
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_dev3_refuses_missing(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        _module().main(["--dev3", "--missing"])
    assert exit_info.value.code == 2
    assert "--missing" in capsys.readouterr().err


def test_third_gold_reads() -> None:
    from bitext.glossary.evaluate import read_gold

    mod = _module()
    third = read_gold(mod.DEV_GOLD3)
    assert len(third) > 0 and all(g.zh and g.en for g in third)
