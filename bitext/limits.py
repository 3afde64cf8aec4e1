"""Every size limit of bitext, in one place, with the reason for each value.

Memory grows linearly with the input everywhere in the pipeline (see the
README's "Limits and failure behaviour"): sentences are bounded in length
(:mod:`bitext.align.chunk`), the encoder embeds bounded pieces in bounded
batches, and every alignment search is banded. What remains is the size of the
input itself, which :func:`check_input_size` caps with an error that names the
option raising it.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path

from bitext.errors import InputError

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


@dataclass(frozen=True)
class Limits:
    """Limits a run may raise from the command line (``--max-input-mb``)."""

    #: Largest input text in MB (10^6 bytes of UTF-8); ``None`` for no limit.
    max_input_mb: float | None = DEFAULT_MAX_INPUT_MB


DEFAULT_LIMITS = Limits()


def _too_big(name: str, size: float, limit: float) -> InputError:
    return InputError(
        f"{name}: input is {size / 1e6:.1f} MB, more than the limit of {limit:g} MB; "
        f"split it into smaller documents, or raise the limit with --max-input-mb "
        f"(peak memory grows by about 65 MB per MB of input)"
    )


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
        raise _too_big(str(path), st.st_size, limit)


def check_text_size(text: str, name: str, limits: Limits = DEFAULT_LIMITS) -> None:
    """Refuse a decoded text longer than ``limits.max_input_mb`` in UTF-8."""
    limit = limits.max_input_mb
    if limit is None:
        return
    budget = limit * 1e6
    # A character is 1 to 4 bytes of UTF-8: count bytes only when it can matter.
    if len(text) * 4 <= budget:
        return
    size = len(text) if len(text) > budget else len(text.encode("utf-8", "surrogatepass"))
    if size > budget:
        raise _too_big(name, size, limit)


__all__ = [
    "DEFAULT_LIMITS",
    "DEFAULT_MAX_INPUT_MB",
    "MAX_BATCH_CHARS",
    "MAX_ENCODE_CHARS",
    "MAX_SENTENCE_CHARS",
    "Limits",
    "check_file_size",
    "check_text_size",
]
