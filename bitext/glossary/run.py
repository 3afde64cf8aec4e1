"""One glossary run with one set of defaults, for every caller.

``bitext glossary`` and ``bitext build`` (and the library) call
:func:`make_glossary`, so the same alignment and the same settings give the
same concepts, the same scores and the same notes wherever the glossary is made.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from bitext.glossary.model import Concept
from bitext.types import Alignment

logger = logging.getLogger(__name__)

DEFAULT_MIN_FREQ = 1
DEFAULT_EMBED = True  # both callers have the encoder at hand; it adds recall and precision
DEFAULT_ENCODER = "use"


@dataclass(frozen=True)
class Glossary:
    """The ranked concepts of one run, the cut made and the settings used."""

    concepts: list[Concept]
    total: int                       # concepts ranked before the cut
    cutoff: float | None             # least confidence kept (None: nothing cut)
    signature: dict[str, str] = field(default_factory=dict)
    consistent: bool = False         # pairs the documents make consistently kept below it
    name_cutoff: float | None = None  # least confidence of a name seen once or twice

    def notes(self) -> list[str]:
        """Lines for the TBX header and the CLI: how the list was ranked and cut."""
        if self.cutoff is None:
            return [f"{len(self.concepts)} concepts, ranked best first, none cut "
                    "(review from the top)"]
        also = ""
        if self.consistent:
            from bitext.glossary.candidates import CONSISTENT, RELIABLE

            also = (f", except pairs seen together {RELIABLE} times or more in "
                    f"{CONSISTENT:.0%} of their segments")
        if self.name_cutoff is not None:
            from bitext.glossary.rank import TERM_COSINE

            also += (f", and names (bodies, instruments, titles) seen fewer times, kept "
                     f"down to confidence {self.name_cutoff:.3g} since the dictionary "
                     "explains few of their words, as are terms seen fewer times with "
                     f"a cosine of {TERM_COSINE:g} or more and both sides explained "
                     "alike, or every word of both glossed by the dictionary, and no "
                     "verb at an edge")
        # zh-en (consistent): the cut is derived, not read off a gold: no group of
        # the development documents shows precision on gold dropping at it, and a
        # cut fitted per group swings from 0.45 to 0.6 (benchmarks/README.md,
        # "Session 11: evidence and cut"); what drops below it is a hand-judged
        # sample of pairs seen once. The other pairs' cut is read off their curves.
        basis = ("the confidence of a pair seen once with its words glossed by the "
                 "dictionary; fewer pairs seen once are right below it in a hand-judged "
                 "sample of the development set" if self.consistent else
                 "below which precision on the development term gold drops")
        return [f"{len(self.concepts)} of {self.total} concepts kept, ranked best first; "
                f"cut at confidence {self.cutoff:g} ({basis}){also} (keep all with "
                "--no-cut)"]


def make_glossary(alignment: Alignment | Iterable[Alignment], *,
                  encoder_name: str = DEFAULT_ENCODER, embed: bool = DEFAULT_EMBED,
                  min_freq: int = DEFAULT_MIN_FREQ, top: int | None = None,
                  cut: bool = True) -> Glossary:
    """Extract, rank and cut a glossary from sentence alignments.

    ``embed`` adds the cosine similarity of the two terms under the encoder
    ``encoder_name`` to the evidence; ``cut`` drops concepts whose confidence is below
    :func:`bitext.glossary.rank.cutoff_for` (zh-en: 0.65, 0.63 on the scale with
    embedding) unless the documents pair them consistently or they are names seen
    once or twice above :func:`bitext.glossary.rank.name_cutoff_for` (0.508, with
    embedding only, as are terms seen once or twice with the evidence of a right
    pair; :func:`bitext.glossary.rank.kept`), or below
    :data:`bitext.glossary.pairwise.CUTOFF` (every other pair); ``top`` keeps at most
    that many.
    """
    from bitext.glossary.extract import extract_glossary, streamed
    from bitext.glossary.pairwise import CUTOFF as PAIRWISE_CUTOFF
    from bitext.glossary.rank import cutoff_for, kept, name_cutoff_for

    encoder = None
    if embed:
        from bitext.pipeline import load_encoder

        encoder = load_encoder(encoder_name)
        if getattr(encoder, "dim", 1) == 0:
            encoder, embed = None, False  # a model-less encoder (length) has no term vectors
    items = [alignment] if isinstance(alignment, Alignment) else list(alignment)
    concepts = extract_glossary(items, encoder=encoder, min_freq=min_freq)
    total = len(concepts)
    pairwise = streamed(items)
    cutoff = (PAIRWISE_CUTOFF if pairwise else cutoff_for(encoder is not None)) if cut else None
    names = name_cutoff_for(encoder is not None) if cut and not pairwise else None
    if cutoff is not None:
        concepts = [c for c in concepts
                    if (c.score >= cutoff if pairwise else kept(c, cutoff, names))]
    if top is not None:
        concepts = concepts[:top]
    sig = {"glossary.min_freq": str(min_freq), "glossary.embed": str(embed).lower(),
           "glossary.cut": "none" if cutoff is None else f"{cutoff:g}"}
    if names is not None:
        sig["glossary.cut_names"] = f"{names:.3g}"
    if embed:
        sig["glossary.encoder"] = encoder_name
    logger.info("glossary: %d of %d concepts kept", len(concepts), total)
    return Glossary(concepts, total, cutoff, sig, consistent=cutoff is not None and not pairwise,
                    name_cutoff=names)


def prepare_glossary(src_lang: str, tgt_lang: str) -> None:
    """Load now, once per process, what every glossary of this language pair reads:
    for zh-en jieba's dictionary (172 MB, most of the time), CC-CEDICT and the
    English word frequencies; for other pairs the frequencies of both languages;
    with English, its lexicon (lemminflect's tables, 0.5 CPU s).
    Batch workers call it at start-up (:func:`bitext.build.prepare_worker`): the
    first document of a worker paid 2 CPU s more than the others for them on the
    bundled report (2026-12-05)."""
    import contextlib

    from bitext.glossary import extract, formats, tbx  # noqa: F401 - imported for their load
    from bitext.languages import get_language

    codes = {get_language(src_lang).code, get_language(tgt_lang).code}
    if "en" in codes:
        from bitext.glossary import english

        english.load_lexicon()
    if codes == {"zh", "en"}:
        from bitext.glossary import chinese
        from bitext.glossary.cedict import load_dictionary

        chinese._tokenizer()
        load_dictionary().is_name("")  # finds its names once (Dictionary.is_name)
        codes = {"en"}  # the ranking reads English frequencies only (48 MB for Chinese's)
    else:
        from bitext.glossary import pairwise  # noqa: F401
    try:
        import wordfreq
    except ImportError:  # pragma: no cover - a declared dependency
        return
    for code in sorted(codes):
        with contextlib.suppress(LookupError, ValueError):  # a language wordfreq lacks
            wordfreq.zipf_frequency("the", code)


def write_glossary_files(glossary: Glossary, paths: Sequence[tuple[str | os.PathLike[str], str]],
                         *, sources: Sequence[str] = (), signature: dict[str, str] | None = None
                         ) -> None:
    """Write one glossary to several ``(path, format)`` outputs with its notes."""
    from bitext.glossary.formats import write_glossary
    from bitext.types import signature_string

    sig = dict(signature or {})
    sig.update(glossary.signature)
    for path, fmt in paths:
        write_glossary(glossary.concepts, path, fmt, sources=sources,
                       signature=signature_string(sig), notes=glossary.notes())
