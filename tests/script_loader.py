"""Repository scripts that are no package modules (benchmarks/*.py), imported by path
for their tests. Not a conftest: a test file cannot import a conftest by name
(pytest loads several, each as ``conftest``)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parent.parent


def load_script(relative: str) -> ModuleType:
    """A script of the repository that is no package module (``benchmarks/scale.py``)
    imported by its path, registered in ``sys.modules`` (a dataclass looks its
    module up while it is built) as ``script_<stem>``."""
    path = ROOT / relative
    spec = importlib.util.spec_from_file_location(f"script_{path.stem}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module
