"""Every glossary format behind one entry point, chosen by name or file extension.

========  =============  ====================================================
name      extension      what
========  =============  ====================================================
tbx       ``.tbx``       TBX v3 (ISO 30042:2019), TBX-Basic, DCA style
tbx2      (none)         legacy TBX-Basic 2008 (``martif``) for OmegaT <= 3.6,
                         older MultiTerm
csv       ``.csv``       spreadsheet, RFC 4180, UTF-8
tsv       ``.tsv``       spreadsheet, tab-separated, UTF-8
========  =============  ====================================================
"""

from __future__ import annotations

import datetime as _dt
import os
from collections.abc import Callable, Sequence

from bitext.errors import ConfigError
from bitext.glossary import tabular, tbx
from bitext.glossary.model import Concept

FORMATS: dict[str, str] = {
    "tbx": "TBX v3 (ISO 30042:2019) TBX-Basic, DCA style",
    "tbx2": "legacy TBX-Basic 2008 (martif) for OmegaT 3.6 and older MultiTerm",
    "csv": "CSV for spreadsheets (UTF-8, RFC 4180)",
    "tsv": "TSV for spreadsheets (UTF-8)",
}


def format_for(path: str | os.PathLike[str], fmt: str | None = None) -> str:
    """The format to use: ``fmt`` if given, else the one the file extension names."""
    if fmt is not None:
        name = fmt.lower()
        if name not in FORMATS:
            raise ConfigError(f"unknown glossary format {fmt!r}; use one of: "
                              + ", ".join(FORMATS))
        return name
    name = os.fspath(path)
    if name == "-":
        raise ConfigError("cannot tell the format of stdout; pass --format tbx, tbx2, csv or tsv")
    from bitext.fileio.sniff import by_name

    kind = by_name(name)
    if kind not in ("tbx", "csv", "tsv"):
        raise ConfigError(f"cannot tell the glossary format of {name!r} from its extension; "
                          "use .tbx, .csv or .tsv, or pass --format")
    return str(kind)


def write_glossary(concepts: Sequence[Concept], path: str | os.PathLike[str],
                   fmt: str | None = None, *, sources: Sequence[str] = (),
                   title: str | None = None, date: _dt.date | None = None,
                   signature: str = "", notes: Sequence[str] = ()) -> int:
    """Write ``concepts`` to ``path`` (``-`` for stdout) atomically.

    ``fmt`` is ``tbx``, ``tbx2``, ``csv`` or ``tsv`` (default: from the extension).
    ``sources`` names the source documents (TBX ``sourceDesc``); ``date`` is the
    origination date written in TBX (default: today, UTC); ``signature`` records
    the settings that produced the glossary; ``notes`` are lines for the TBX
    header (how the list was ranked and cut). Returns the number of characters
    that had to be replaced (XML-forbidden in TBX, tabs/line breaks in TSV).
    """
    name = format_for(path, fmt)
    if name == "tbx":
        return tbx.write_tbx(concepts, path, sources=sources, title=title, date=date,
                             signature=signature, notes=notes)
    if name == "tbx2":
        return tbx.write_tbx2(concepts, path, sources=sources, title=title, date=date,
                              signature=signature, notes=notes)
    if name == "csv":
        return tabular.write_csv(concepts, path)
    return tabular.write_tsv(concepts, path)


def read_glossary(path: str | os.PathLike[str], fmt: str | None = None) -> list[Concept]:
    """Read a glossary in any of :data:`FORMATS` (TBX v3 and 2008 both read as ``tbx``)."""
    name = fmt.lower() if fmt else _sniff(path)
    readers: dict[str, Callable[[], list[Concept]]] = {
        "tbx": lambda: tbx.read_tbx(path),
        "tbx2": lambda: tbx.read_tbx(path),
        "csv": lambda: tabular.read_table(path, ","),
        "tsv": lambda: tabular.read_table(path, "\t"),
    }
    if name not in readers:
        raise ConfigError(f"unknown glossary format {name!r}; use one of: " + ", ".join(FORMATS))
    return readers[name]()


def _sniff(path: str | os.PathLike[str]) -> str:
    from bitext.fileio.sniff import by_content, by_name, read_head, table_kind

    kind = by_name(path)
    if kind in FORMATS:
        return kind
    head = read_head(path)
    if by_content(head) == "tbx":
        return "tbx"
    return table_kind(head)
