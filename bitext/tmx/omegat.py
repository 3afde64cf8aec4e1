"""Proof in a real CAT tool: pre-translate a document with OmegaT from our TMX.

OmegaT runs headless (``--mode=console-translate``) on a throw-away project whose
``tm/auto/`` holds the memory (a memory in plain ``tm/`` is only consulted, not
used to pre-translate) and whose ``source/`` holds the source paragraphs, one
per block separated by blank lines (OmegaT's text filter splits paragraphs on
empty lines). The file is named ``.utf8`` so OmegaT reads and writes UTF-8
whatever the locale. OmegaT exits 0 even when it drops a memory, so its output
is searched for ``TF_TM_LOAD_ERROR`` and ``TMXR_WARNING_*`` (for example
``TMXR_WARNING_SOURCE_NOT_FOUND`` when no ``tuv`` has the project's source
language, as with ``en_GB``).

With sentence segmentation off, each paragraph is one OmegaT segment and must
match a unit exactly. With it on (as translators usually work), OmegaT splits
paragraphs into sentences with its own rules, so only units holding one source
sentence can match.

Use from Python (:func:`check_memory`, :func:`check_with_gold`) or::

    python -m bitext.tmx.omegat out/NAME.sentences.tmx \\
        --gold corpora/un-som-2016/gold.sentences.jsonl

Any pair: a build's own JSONL as the gold, English (else the pivot) as the
source unless ``--source`` names the other side::

    python -m bitext.tmx.omegat out/NAME.fr-ru.sentences.tmx \\
        --gold out/NAME.fr-ru.jsonl --source ru
"""

from __future__ import annotations

import argparse
import logging
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

from bitext.errors import BitextError, InputError, MissingDependencyError
from bitext.types import join_sentences

log = logging.getLogger(__name__)

PROBLEM_MARKERS = ("TF_TM_LOAD_ERROR", "TMXR_WARNING", "TMXR_ERROR", ": Error:")
# A memory used in the other direction than its srclang (a fr-ru build's
# memory in a Russian-to-French project): OmegaT says so, "will continue to be
# loaded", and loads every unit; the pre-translation counts show what it used.
NOT_PROBLEMS = ("TMXR_WARNING_INCORRECT_SOURCE_LANG",)
SOURCE_FILE = "source.utf8"
_STATS_RE = re.compile(r"^(Total|Remaining):\s+(\d+)", re.MULTILINE)


def project_xml(source_lang: str, target_lang: str, sentence_seg: bool) -> str:
    """A minimal ``omegat.project`` with the default folders."""
    dirs = "".join(
        f"    <{tag}>__DEFAULT__</{tag}>\n"
        for tag in ("source_dir", "target_dir", "tm_dir", "glossary_dir", "glossary_file",
                    "dictionary_dir")
    )
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        "<omegat>\n  <project version=\"1.0\">\n"
        f"{dirs}"
        "    <source_dir_excludes/>\n"
        f"    <source_lang>{escape(source_lang)}</source_lang>\n"
        f"    <target_lang>{escape(target_lang)}</target_lang>\n"
        f"    <sentence_seg>{'true' if sentence_seg else 'false'}</sentence_seg>\n"
        "    <support_default_translations>true</support_default_translations>\n"
        "    <remove_tags>false</remove_tags>\n"
        "  </project>\n</omegat>\n"
    )


@dataclass
class OmegatRun:
    """What one console translation produced."""

    targets: list[str]
    seconds: float
    log: str
    segments: int = 0
    remaining: int = 0

    @property
    def problems(self) -> list[str]:
        """Log lines showing that a memory failed to load or lost units."""
        return [
            line.strip() for line in self.log.splitlines()
            if any(marker in line for marker in PROBLEM_MARKERS)
            and not any(marker in line for marker in NOT_PROBLEMS)
        ]


@dataclass
class OmegatCheck:
    """How much of a document OmegaT pre-translated from a memory.

    ``paragraphs``: source paragraphs; ``exact``: paragraphs whose translation is
    the expected Chinese (whitespace ignored with segmentation on, as OmegaT puts
    the source's spaces between translated sentences); ``segments`` /
    ``segments_translated``: OmegaT's own segment counts (its project statistics);
    ``single`` / ``single_exact``: the same as ``paragraphs`` / ``exact`` for the
    paragraphs holding one source sentence (when the caller says which).
    """

    sentence_seg: bool
    paragraphs: int
    exact: int
    segments: int
    segments_translated: int
    seconds: float
    problems: list[str] = field(default_factory=list)
    misses: list[tuple[str, str, str]] = field(default_factory=list)
    single: int = 0
    single_exact: int = 0

    @property
    def share_exact(self) -> float:
        return self.exact / self.paragraphs if self.paragraphs else 0.0

    @property
    def share_segments(self) -> float:
        return self.segments_translated / self.segments if self.segments else 0.0

    def summary(self) -> str:
        mode = "on" if self.sentence_seg else "off"
        return (
            f"OmegaT, sentence segmentation {mode}: {self.segments_translated}/{self.segments} "
            f"segments pre-translated ({self.share_segments:.1%}); {self.exact}/{self.paragraphs} "
            f"paragraphs exactly as expected ({self.share_exact:.1%}); {self.seconds:.1f} s; "
            f"{len(self.problems)} load problem(s)"
            + (
                f"; one-sentence units: {self.single_exact}/{self.single} "
                f"({self.single_exact / self.single:.1%})" if self.single else ""
            )
        )


def find_omegat(command: str = "omegat") -> str:
    """The OmegaT launcher's path, or :class:`MissingDependencyError` with a hint."""
    found = shutil.which(command)
    if not found:
        raise MissingDependencyError("OmegaT", package="omegat (apt-get install omegat)")
    return found


def run_console_translate(
    tmx: str | os.PathLike[str],
    paragraphs: Sequence[str],
    *,
    sentence_seg: bool = False,
    source_lang: str = "en-GB",
    target_lang: str = "zh-CN",
    workdir: str | os.PathLike[str] | None = None,
    omegat: str = "omegat",
    timeout: float = 900,
) -> OmegatRun:
    """Build a project around ``tmx`` and ``paragraphs`` and let OmegaT translate it.

    ``workdir`` keeps the project (for inspection); by default a temporary folder
    is used and removed. Paragraphs must not contain blank lines.
    """
    launcher = find_omegat(omegat)
    with tempfile.TemporaryDirectory(prefix="bitext-omegat-") as tmp:
        root = Path(workdir) if workdir else Path(tmp)
        project, config = root / "project", root / "config"
        if project.exists():
            shutil.rmtree(project)
        for sub in ("source", "target", "tm/auto", "glossary", "dictionary", "omegat"):
            (project / sub).mkdir(parents=True)
        config.mkdir(parents=True, exist_ok=True)
        (project / "omegat.project").write_text(
            project_xml(source_lang, target_lang, sentence_seg), encoding="utf-8"
        )
        shutil.copy(tmx, project / "tm" / "auto" / Path(tmx).name)
        blocks = [" ".join(p.split()) for p in paragraphs]
        (project / "source" / SOURCE_FILE).write_text("\n\n".join(blocks) + "\n", encoding="utf-8")
        args = [
            launcher, "--mode=console-translate", f"--config-dir={config}",
            "--disable-project-locking", "--no-team", str(project),
        ]
        start = time.perf_counter()
        try:
            proc = subprocess.run(
                args, capture_output=True, text=True, timeout=timeout, check=False,
                stdin=subprocess.DEVNULL,
            )
        except subprocess.TimeoutExpired as err:
            raise InputError(f"OmegaT did not finish within {timeout:.0f} s") from err
        seconds = time.perf_counter() - start
        log_text = proc.stdout + "\n" + proc.stderr
        for log_file in (config / "logs").glob("*.log"):
            log_text += "\n" + log_file.read_text(encoding="utf-8", errors="replace")
        target = project / "target" / SOURCE_FILE
        if proc.returncode != 0 or not target.exists():
            raise InputError(
                f"OmegaT failed (exit {proc.returncode}) and wrote no translation; "
                f"its output ends: {log_text.strip()[-500:]}"
            )
        text = target.read_text(encoding="utf-8")
        stats_file = project / "omegat" / "project_stats.txt"
        stats = dict(
            (m.group(1), int(m.group(2)))
            for m in _STATS_RE.finditer(stats_file.read_text(encoding="utf-8", errors="replace"))
        ) if stats_file.exists() else {}
    targets = [t.strip() for t in re.split(r"\n[ \t]*\n", text.strip("\n"))]
    return OmegatRun(
        targets, seconds, log_text, stats.get("Total", 0),
        stats.get("Remaining", stats.get("Total", 0)),
    )


def check_memory(
    tmx: str | os.PathLike[str],
    sources: Sequence[str],
    expected: Sequence[str],
    *,
    sentence_seg: bool = False,
    one_sentence: Sequence[bool] | None = None,
    **kwargs: object,
) -> OmegatCheck:
    """Pre-translate ``sources`` from ``tmx`` and compare with ``expected`` translations.

    ``one_sentence`` flags the sources holding a single sentence, counted apart.
    Other keywords go to :func:`run_console_translate`.
    """
    flags = list(one_sentence) if one_sentence is not None else [False] * len(sources)
    if len(sources) != len(expected) or len(flags) != len(sources):
        raise InputError(f"{len(sources)} source paragraphs but {len(expected)} translations")
    run = run_console_translate(tmx, sources, sentence_seg=sentence_seg, **kwargs)  # type: ignore[arg-type]
    if len(run.targets) != len(sources):
        raise InputError(
            f"OmegaT wrote {len(run.targets)} paragraphs for {len(sources)}; "
            "a source paragraph probably contains a blank line"
        )
    exact = single = single_exact = 0
    misses = []
    for src, want, got, flag in zip(sources, expected, run.targets, flags, strict=True):
        same = (
            "".join(got.split()) == "".join(want.split()) if sentence_seg
            else got == want.strip()
        )
        exact += same
        single += flag
        single_exact += flag and same
        if not same:
            misses.append((src, want, got))
    return OmegatCheck(
        sentence_seg=sentence_seg,
        paragraphs=len(sources),
        exact=exact,
        segments=run.segments,
        segments_translated=run.segments - run.remaining,
        seconds=run.seconds,
        problems=run.problems,
        misses=misses,
        single=single,
        single_exact=single_exact,
    )


def gold_paragraphs(gold: str | os.PathLike[str], source: str | None = None
                    ) -> tuple[list[str], list[str], list[bool], str, str]:
    """The source and the target side of each gold link (``{"en": [...],
    "zh": [...]}`` lines, or a build's ``NAME.PIVOT-OTHER.jsonl`` of any pair),
    and the two languages' codes.

    The source is ``source`` when given, else English when the gold holds it
    (the UN's usual source), else the gold's first language (a build's pivot,
    its TMX's ``srclang``). Also flags the links whose source side is one
    sentence.
    """
    from bitext.tmx.corpus import read_jsonl

    alignment = read_jsonl(gold)
    langs = {alignment.src_lang: 0, alignment.tgt_lang: 1}
    if len(langs) != 2:
        raise InputError(f"{gold}: expected two languages, found {sorted(langs)}")
    if source is None:
        source = "en" if "en" in langs else alignment.src_lang
    elif source not in langs:
        raise InputError(f"--source {source}: the gold {gold} holds "
                         f"{' and '.join(map(repr, langs))}; give one of them")
    other = next(lang for lang in langs if lang != source)
    sources, translated, single = [], [], []
    for pair in alignment.pairs:
        sides = (pair.src, pair.tgt)
        src, tr = sides[langs[source]], sides[langs[other]]
        if src and tr:
            sources.append(join_sentences(src, source))
            translated.append(join_sentences(tr, other))
            single.append(len(src) == 1)
    return sources, translated, single, source, other


def check_with_gold(
    tmx: str | os.PathLike[str], gold: str | os.PathLike[str], *, sentence_seg: bool = False,
    source: str | None = None, **kwargs: object,
) -> OmegatCheck:
    """Pre-translate the gold links' source side (see :func:`gold_paragraphs`)
    from ``tmx``; expect the gold's other side.

    For a TMX built from the gold itself this tests the writer and OmegaT; for one
    from ``bitext build`` it also measures how often the aligner got a link right.
    """
    from bitext.tmx.text import default_code

    sources, translated, single, source, other = gold_paragraphs(gold, source)
    kwargs.setdefault("source_lang", default_code(source))
    kwargs.setdefault("target_lang", default_code(other))
    return check_memory(
        tmx, sources, translated, sentence_seg=sentence_seg, one_sentence=single, **kwargs
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bitext.tmx.omegat",
        description="Pre-translate the gold's source side with OmegaT from a TMX and report "
                    "the share.",
    )
    parser.add_argument("tmx", help="the memory to test (for example out/NAME.sentences.tmx)")
    parser.add_argument("--gold", required=True, help="gold.sentences.jsonl")
    parser.add_argument("--source", help="the language OmegaT translates from (default: "
                        "English when the gold holds it, else its first language)")
    parser.add_argument("--keep", help="keep the OmegaT projects in this folder")
    parser.add_argument("--show-misses", type=int, default=0, help="print this many misses")
    args = parser.parse_args(argv)
    if not Path(args.tmx).is_file():
        print(f"Error: {args.tmx}: no such file; give the memory to test (for example "
              "out/NAME.sentences.tmx)", file=sys.stderr)
        return 1
    status = 0
    for seg in (False, True):
        workdir = Path(args.keep) / ("seg-on" if seg else "seg-off") if args.keep else None
        try:
            result = check_with_gold(args.tmx, args.gold, sentence_seg=seg, source=args.source,
                                     workdir=workdir)
        except BitextError as err:
            print(f"Error: {err}", file=sys.stderr)
            return 1
        print(result.summary())
        for line in result.problems:
            print(f"  problem: {line}")
            status = 1
        for src, want, got in result.misses[: args.show_misses]:
            print(f"  miss: {src[:80]!r}\n    want {want[:60]!r}\n    got  {got[:60]!r}")
    return status


if __name__ == "__main__":
    sys.exit(main())
