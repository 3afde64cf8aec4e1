"""benchmarks/glossary.py: --dev3 scores the held-out third gold and refuses to
list its missed pairs."""

from __future__ import annotations

from types import ModuleType

import pytest
from script_loader import load_script


def _module() -> ModuleType:
    return load_script("benchmarks/glossary.py")


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
