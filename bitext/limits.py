"""Every size limit of bitext, in one place, with the reason for each value.

Memory grows linearly with the input everywhere in the pipeline (see the
README's "Limits and failure behaviour"): sentences are bounded in length
(:mod:`bitext.align.chunk`), the encoder embeds bounded pieces in bounded
batches, and every alignment search is banded. What remains is the size of the
input itself, which :func:`check_input_size` caps with an error that names the
option raising it.
"""

from __future__ import annotations

import logging
import os
import stat
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from bitext.errors import InputError, MemoryBudgetError

log = logging.getLogger(__name__)

#: Longest sentence (characters) the aligner works with; a longer "sentence"
#: (a text layer with no punctuation the segmenter accepts) is cut into chunks
#: no longer than this. The longest of the 24,000 sentences of the UNPC test set
#: (six languages, dev data) has 813 characters (99.9th percentile 669), so no
#: real sentence is cut, while one piece costs the encoder a few MB at most.
MAX_SENTENCE_CHARS = 2000

#: Longest text (characters) the encoder embeds in one model call. Longer texts
#: (whole paragraphs used as anchors, joined windows of long sentences) are
#: embedded in pieces whose vectors are summed, weighted by length. The USE
#: model holds about 20 KB per token of a text at once (measured: a 500,000
#: character line peaked at 2.4 GB), so 4,000 characters (2 sentences at the
#: sentence limit, about 4,000 tokens of Chinese at worst) stay under ~80 MB.
MAX_ENCODE_CHARS = 4000

#: Characters sent to the model in one batch of cache misses (the encoder also
#: caps the batch at a number of texts). Bounds the texts and token lists held
#: at once, and what a worker process is sent, whatever the sentence lengths.
MAX_BATCH_CHARS = 1_000_000

#: Default cap on the text of one input, in MB (10^6 bytes of UTF-8). Peak memory
#: of ``bitext align`` was about 0.29 GB plus 65 MB per MB of the two inputs'
#: text (benchmarks/memory.py, single-line inputs of 0.9 and 3.5 MB in all:
#: 341 and 511 MB), so two inputs at this cap would peak near 7 GB: within a
#: 16 GB workstation, and far above any UN document (a long report is 0.1-0.5
#: MB of text).
DEFAULT_MAX_INPUT_MB = 50.0


#: The most pages a PDF may have. The longest UN publications (yearbooks, the
#: compilations of an organ's practice) run to about 2,000 pages; five times that
#: leaves room for any real one. pdfminer walks the page tree at about 0.14 CPU ms
#: a page before laying any page out (measured 2026-12-07: 100,000 blank pages,
#: 14 CPU s to walk, 19 s to their Error), so a file of millions of pages held a
#: run up for minutes. Raise it with the environment variable
#: :data:`PDF_MAX_PAGES_ENV`, as the other PDF and DOCX caps.
PDF_MAX_PAGES = 10_000
PDF_MAX_PAGES_ENV = "BITEXT_PDF_MAX_PAGES"


@dataclass(frozen=True)
class Limits:
    """Limits a run may raise from the command line (``--max-input-mb``)."""

    #: Largest input text in MB (10^6 bytes of UTF-8); ``None`` for no limit.
    max_input_mb: float | None = DEFAULT_MAX_INPUT_MB


DEFAULT_LIMITS = Limits()


def too_big(name: str, size: float, limit: float, *, more: bool = False,
            note: str = "") -> InputError:
    """The Error for an input of ``size`` bytes over ``limit`` MB (``more``: the
    input was not read to its end, so ``size`` is where reading stopped; ``note``
    follows the size)."""
    what = (f"a stream still going after {size / 1e6:.1f} MB (reading stopped)" if more
            else f"{size / 1e6:.1f} MB")
    bound = f"{limit:g} MB"
    if not more and f"{size / 1e6:.1f}" == f"{limit:.1f}":  # just over: the bytes differ
        what, bound = f"{size:,.0f} bytes", f"{bound} ({limit * 1e6:,.0f} bytes)"
    what += note
    return InputError(
        f"{name}: input is {what}, more than the limit of {bound}; "
        f"split it into smaller documents, or raise the limit with --max-input-mb "
        f"(peak memory grows by about 65 MB per MB of input)"
    )


#: How many bytes of a stream (stdin, a FIFO, a device) may be read for an
#: input of ``max_input_mb`` MB of text: the text at the limit in UTF-32, the
#: widest encoding it may come in, so no real input at the limit is refused
#: while a stream that never ends (``/dev/zero``) stops there.
STREAM_BYTES_PER_TEXT_BYTE = 4


def stream_budget(limits: Limits = DEFAULT_LIMITS) -> int | None:
    """Bytes :func:`bitext.ingest.reader.read_file` may read from a stream; None
    for no limit."""
    if limits.max_input_mb is None:
        return None
    return int(limits.max_input_mb * 1e6 * STREAM_BYTES_PER_TEXT_BYTE)


def check_file_size(path: str | Path, limits: Limits = DEFAULT_LIMITS) -> None:
    """Refuse a regular file larger than ``limits.max_input_mb`` before reading it.

    Other inputs (stdin, pipes) are checked on their text by :func:`check_text_size`.
    A DOCX or PDF may hold more text than its file size says, so that check runs too.
    """
    limit = limits.max_input_mb
    if limit is None or str(path) == "-":
        return
    try:
        st = os.stat(path)
    except OSError:
        return  # the reader reports a missing or unreadable file in its own words
    if stat.S_ISREG(st.st_mode) and st.st_size > limit * 1e6 and \
            Path(path).suffix.lower() not in (".docx", ".pdf"):
        raise too_big(str(path), st.st_size, limit)


#: Memory one line of an input takes, whatever it holds (bytes): the reader keeps
#: each line as an object with its span. Measured: ``bitext segment`` of 10
#: million empty lines (10 MB) peaked at 1.88 GB (2026-12-05), 185 bytes a line.
#: A text at the size limit is allowed :data:`RSS_MB_PER_INPUT_MB` per MB; past
#: that many lines' worth it is refused (at the 50 MB default, 17 million lines;
#: a UN document has about 10,000 lines a MB).
LINE_MEMORY_BYTES = 190


def check_text_size(text: str, name: str, limits: Limits = DEFAULT_LIMITS) -> None:
    """Refuse a decoded text longer than ``limits.max_input_mb`` in UTF-8, or with
    more lines than the memory that limit allows (:data:`LINE_MEMORY_BYTES`)."""
    limit = limits.max_input_mb
    if limit is None:
        return
    max_lines = int(limit * RSS_MB_PER_INPUT_MB * 1e6 / LINE_MEMORY_BYTES)
    if len(text) > max_lines:  # a line break is a character: fewer cannot be too many
        # lines as fileio.LINE_END ends them (a CRLF is one), and pages
        lines = (text.count("\n") + text.count("\r") - text.count("\r\n")
                 + text.count("\f"))
        if lines > max_lines:
            raise InputError(
                f"{name}: {lines:,} lines, more than the {max_lines:,} a limit of {limit:g} "
                f"MB allows (each line takes about {LINE_MEMORY_BYTES} bytes of memory); "
                "remove the empty lines, split the document, or raise the limit with "
                "--max-input-mb")
    size = utf8_size(text, limit * 1e6)
    if size > limit * 1e6:
        raise too_big(name, size, limit)


def utf8_size(text: str, budget: float) -> int:
    """The size of ``text`` in bytes of UTF-8 as far as a ``budget`` of bytes cares:
    exact, or a lower bound over the budget, or an upper bound within it."""
    # A character is 1 to 4 bytes of UTF-8: count bytes only when it can matter.
    if len(text) * 4 <= budget:
        return len(text) * 4  # at most this: within the budget
    if len(text) > budget:
        return len(text)  # at least this: over it
    return len(text.encode("utf-8", "surrogatepass"))


#: Peak resident memory (MB) of a whole ``bitext align`` or ``build`` process is
#: about ``RSS_BASE_MB + RSS_MB_PER_INPUT_MB * input`` (input: both sides' text,
#: MB of UTF-8). Measured on single-line UNPC inputs (benchmarks/memory.py and
#: /usr/bin/time, default encoder; see benchmarks/README.md): 0.87 MB of input
#: 341 MB, 1.75 MB 394 MB, 3.5 MB 511 MB, 8.75 MB 859 MB (the line through the
#: first three predicted 859). The ``length`` encoder needs as much (8 MB of
#: English with its Chinese, 14 MB in all: 1.07 GB): the search tables, token
#: sets and texts dominate, not the vectors, so one model serves every encoder.
RSS_BASE_MB = 290.0
RSS_MB_PER_INPUT_MB = 65.0
#: The same for documents written one sentence per line, aligned in one search
#: over the whole of them (:attr:`bitext.types.Document.segmented`): the Bible
#: (30,000 English and 42,687 Chinese lines, 6.56 MB) took 1,480 MB resident in
#: ``bitext build --no-glossary`` (/usr/bin/time), i.e. 181 MB per MB above the
#: base; its search band is wider than a UN document's (verses joined 2-1 to
#: 4-1 drift far from the diagonal). The UN 3,900-line pair (0.9 MB) needs
#: 370 MB, well under this line.
RSS_MB_PER_INPUT_MB_LINES = 185.0
#: Address space (what ``ulimit -v`` caps) beyond the resident memory: shared
#: libraries mapped but not all touched, thread stacks, the allocator's reserve.
#: Measured: VmPeak 733 MB against 394 MB resident at 1.75 MB, 1,222 against
#: 859 MB at 8.75 MB.
VM_EXTRA_MB = 350.0
#: CPU seconds per MB of input (both sides) of a whole default-encoder run,
#: embedding in the worker processes included: 51 s for 1.75 MB, 178 s for
#: 8.75 MB (about 20 s plus 18 s per MB). Only for telling the user up front
#: that a run will be long.
CPU_S_PER_INPUT_MB = 20.0
#: Environment variable that turns the memory prediction off (the prediction
#: is measured, not exact: a user who knows better may override it).
NO_MEMORY_CHECK_ENV = "BITEXT_NO_MEMORY_CHECK"


@dataclass(frozen=True)
class MemoryBudget:
    """What this process may use, in MB, and where that limit comes from."""

    address_space_mb: float | None  # RLIMIT_AS (``ulimit -v``); None when unlimited
    available_mb: float | None  # RAM the kernel can give (MemAvailable, cgroup limit)
    source: str  # words naming the tighter limit, for the error


def predicted_peak_mb(input_mb: float, per_mb: float = RSS_MB_PER_INPUT_MB,
                      ) -> tuple[float, float]:
    """Predicted ``(resident, address space)`` peak in MB for ``input_mb`` MB of
    text, at ``per_mb`` MB per MB of input."""
    rss = RSS_BASE_MB + per_mb * input_mb
    return rss, rss + VM_EXTRA_MB


def available_cores() -> int:
    """CPU cores this process may run on (affinity-aware where the OS tells).

    Here, not beside the encoders that size their threads with it: the driver of
    a collection asks it to size its pool, and importing the encoders took numpy
    with them (0.11 CPU s, beside the workers loading the model on two cores)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def memory_budget() -> MemoryBudget:
    """The limits this process runs under: ``RLIMIT_AS`` and the RAM available
    (``/proc/meminfo`` MemAvailable, and a cgroup v2 ``memory.max`` if lower),
    the latter plus what this process holds already. Unknown limits are None."""
    address = None
    try:
        import resource

        soft = resource.getrlimit(resource.RLIMIT_AS)[0]
        if soft != resource.RLIM_INFINITY:
            address = soft / 2**20
    except (ImportError, OSError, ValueError):  # pragma: no cover - not POSIX
        pass
    available, where = _available_ram_mb()
    if available is not None:
        available += _own_rss_mb()
    source = "the free RAM" if where == "ram" else "the container's memory limit"
    if address is not None and (available is None or address <= available):
        source = "the address-space limit (ulimit -v)"
    return MemoryBudget(address, available, source)


def _available_ram_mb() -> tuple[float | None, str]:
    ram = None
    try:
        with open("/proc/meminfo", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("MemAvailable:"):
                    ram = int(line.split()[1]) / 1024
                    break
    except (OSError, ValueError):
        pass
    try:
        raw = Path("/sys/fs/cgroup/memory.max").read_text(encoding="ascii").strip()
        used = int(Path("/sys/fs/cgroup/memory.current").read_text(encoding="ascii"))
        if raw != "max":
            group = (int(raw) - used) / 2**20
            if ram is None or group < ram:
                return group, "cgroup"
    except (OSError, ValueError):
        pass
    return ram, "ram"


def _own_rss_mb() -> float:
    try:
        with open("/proc/self/statm", encoding="ascii") as fh:
            return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except (OSError, ValueError, IndexError):
        return 0.0


def check_memory(sizes: Sequence[tuple[str, int]], budget: MemoryBudget | None = None, *,
                 lines: bool = False) -> None:
    """Refuse, before the heavy work, an alignment whose predicted peak memory
    exceeds what this process may use; log the expected CPU time of a long run.

    ``sizes`` holds each input's name and its text's size in bytes of UTF-8;
    ``lines`` says they are aligned as one-sentence-per-line documents
    (:data:`RSS_MB_PER_INPUT_MB_LINES`).
    ``budget`` defaults to :func:`memory_budget`. Set the environment variable
    ``BITEXT_NO_MEMORY_CHECK=1`` to skip the check.
    """
    total = sum(size for _, size in sizes) / 1e6
    minutes = CPU_S_PER_INPUT_MB * total / 60
    if minutes >= 5:
        log.info("%.1f MB of text: expect about %.0f minutes of CPU", total, minutes)
    if os.environ.get(NO_MEMORY_CHECK_ENV, "") not in ("", "0"):
        return
    budget = budget or memory_budget()
    rss, vm = predicted_peak_mb(total, RSS_MB_PER_INPUT_MB_LINES if lines
                                else RSS_MB_PER_INPUT_MB)
    over = []
    if budget.address_space_mb is not None and vm > budget.address_space_mb:
        over.append((vm, budget.address_space_mb, "the address-space limit (ulimit -v)"))
    if budget.available_mb is not None and rss > budget.available_mb:
        over.append((rss, budget.available_mb, budget.source if not over else "the free RAM"))
    if not over:
        return
    need, limit, what = over[0]
    names = " + ".join(f"{name} {size / 1e6:.1f} MB" for name, size in sizes)
    raise MemoryBudgetError(
        f"input too large for this process's memory: {names} of text needs about "
        f"{need / 1024:.1f} GB at peak, more than {what} of {limit / 1024:.1f} GB; "
        f"split the documents into parts and align each, or run with more memory "
        f"(set {NO_MEMORY_CHECK_ENV}=1 to try anyway)"
    )


__all__ = [
    "CPU_S_PER_INPUT_MB",
    "DEFAULT_LIMITS",
    "DEFAULT_MAX_INPUT_MB",
    "MAX_BATCH_CHARS",
    "MAX_ENCODE_CHARS",
    "MAX_SENTENCE_CHARS",
    "Limits",
    "MemoryBudget",
    "check_file_size",
    "check_memory",
    "check_text_size",
    "memory_budget",
    "predicted_peak_mb",
]
