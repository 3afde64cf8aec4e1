"""The whole alignment pipeline, as the data flows.

load -> clean -> find structure -> segment -> align paragraphs -> align sentences
inside aligned paragraphs -> an :class:`~bitext.types.Alignment` ready to export.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from bitext import __version__
from bitext.errors import AlignmentError, InputError
from bitext.limits import DEFAULT_LIMITS, Limits
from bitext.types import AlignedPair, Alignment, Document, Link

if TYPE_CHECKING:
    from bitext.align.encoders import Encoder

log = logging.getLogger(__name__)

Level = Literal["sentence", "paragraph"]

CLEANER_VERSION = "1"
SEGMENTER_VERSION = "1"


def signature(encoder_name: str, *, level: str, max_bead: int, segmented: bool) -> dict[str, str]:
    """Everything needed to reproduce an alignment (sacrebleu-style signature)."""
    return {
        "bitext": __version__,
        "encoder": encoder_name,
        "level": level,
        "max_bead": str(max_bead),
        "input": "segmented" if segmented else f"clean{CLEANER_VERSION}+seg{SEGMENTER_VERSION}",
    }


def align_documents(
    src: Document,
    tgt: Document,
    *,
    encoder: str = "use",
    level: Level = "sentence",
    max_bead: int = 6,
    progress: Callable[[int, int], None] | None = None,
) -> Alignment:
    """Align two loaded documents at sentence or paragraph level.

    ``progress(done, total)`` is called after each paragraph pair.
    """
    sentences, paragraphs = align_both(src, tgt, encoder=encoder, max_bead=max_bead,
                                       progress=progress, sentences=level == "sentence")
    return sentences if level == "sentence" else paragraphs


def align_both(
    src: Document,
    tgt: Document,
    *,
    encoder: str = "use",
    max_bead: int = 6,
    progress: Callable[[int, int], None] | None = None,
    sentences: bool = True,
    warn: bool = True,
) -> tuple[Alignment, Alignment]:
    """Align paragraphs once, then sentences inside them; return both alignments.

    With ``sentences=False`` the sentence alignment is left empty. With
    ``warn=False`` a (near) empty result is not logged (:func:`near_empty`:
    the caller says it, with the document's name).
    """
    from bitext.align.paragraphs import UNIT_MAX_BEAD, align_units
    from bitext.align.sentences import align_sentences, calibrate

    if not src.sentences or not tgt.sentences:
        empty = src.source if not src.sentences else tgt.source
        raise AlignmentError(f"{empty}: no sentences to align")
    if max_bead < 1:
        raise AlignmentError("--max-bead must be at least 1")
    enc = load_encoder(encoder)
    name = getattr(enc, "name", encoder)
    doc_id = src.symbol or tgt.symbol or document_name(src.source, src.lang)
    if src.segmented and tgt.segmented:
        return _align_lines(src, tgt, enc, name, max_bead, doc_id, progress, warn)
    unit_links = align_units(src, tgt, enc)
    paragraphs = Alignment(
        src.lang, tgt.lang, tuple(_paragraph_pair(src, tgt, lk) for lk in unit_links),
        "paragraph", signature(name, level="paragraph", max_bead=UNIT_MAX_BEAD, segmented=False),
        doc_id,
    )
    out: list[AlignedPair] = []
    src_offsets, tgt_offsets = _offsets(src), _offsets(tgt)
    s_sents, t_sents = src.sentences, tgt.sentences
    # A paragraph pair has too few sentences to measure what a translation looks
    # like (similarity, length ratio, bead shapes): measure it on the whole document.
    stats = calibrate(s_sents, t_sents, enc, src_lang=src.lang, tgt_lang=tgt.lang,
                      max_bead=max_bead) if sentences else None
    for done, lk in enumerate(unit_links if sentences else [], 1):
        s_ids = [k for u in lk.src for k in range(src_offsets[u], src_offsets[u + 1])]
        t_ids = [k for u in lk.tgt for k in range(tgt_offsets[u], tgt_offsets[u + 1])]
        label = _label(src, tgt, lk)
        if s_ids and t_ids:
            inner = align_sentences([s_sents[k] for k in s_ids], [t_sents[k] for k in t_ids], enc,
                                    src_lang=src.lang, tgt_lang=tgt.lang, max_bead=max_bead,
                                    calibration=stats)
            for sl in inner:
                score = _sentence_confidence(sl, lk, len(s_ids), len(t_ids))
                out.append(AlignedPair(
                    tuple(s_sents[s_ids[k]] for k in sl.src),
                    tuple(t_sents[t_ids[k]] for k in sl.tgt),
                    score, label,
                    tuple(s_ids[k] for k in sl.src), tuple(t_ids[k] for k in sl.tgt),
                ))
        else:
            out.extend(AlignedPair((s_sents[k],), (), 0.0, label, (k,), ()) for k in s_ids)
            out.extend(AlignedPair((), (t_sents[k],), 0.0, label, (), (k,)) for k in t_ids)
        if progress:
            progress(done, len(unit_links))
    sent = Alignment(src.lang, tgt.lang, tuple(out), "sentence",
                     signature(name, level="sentence", max_bead=max_bead, segmented=False), doc_id)
    if warn:
        warn_if_near_empty(sent if sentences else paragraphs)
    return sent, paragraphs


def _align_lines(src: Document, tgt: Document, enc: Encoder, name: str, max_bead: int,
                 doc_id: str, progress: Callable[[int, int], None] | None,
                 warn: bool = True) -> tuple[Alignment, Alignment]:
    """Both documents one sentence per line: one sentence alignment over the whole
    of them (as ``align --segmented``), and the same links as the paragraph
    alignment, each line being its own paragraph."""
    from bitext.align.sentences import align_sentences

    s, t = src.sentences, tgt.sentences
    if progress is not None:
        _embed_with_progress(enc, [*s, *t], progress)
    links = align_sentences(s, t, enc, src_lang=src.lang, tgt_lang=tgt.lang, max_bead=max_bead)
    # a line longer than any sentence was cut into pieces (bound_document):
    # map each sentence back to its line
    s_unit = [i for i, u in enumerate(src.units) for _ in u.sentences]
    t_unit = [j for j, u in enumerate(tgt.units) for _ in u.sentences]
    sent_pairs, para_pairs = [], []
    for lk in links:
        unit_link = Link(tuple(sorted({s_unit[i] for i in lk.src})),
                         tuple(sorted({t_unit[j] for j in lk.tgt})), lk.score)
        label = _label(src, tgt, unit_link)
        sent_pairs.append(AlignedPair(tuple(s[i] for i in lk.src), tuple(t[j] for j in lk.tgt),
                                      lk.score, label, lk.src, lk.tgt))
        para_pairs.append(_paragraph_pair(src, tgt, unit_link))
    sig = signature(name, level="sentence", max_bead=max_bead, segmented=True)
    sentences = Alignment(src.lang, tgt.lang, tuple(sent_pairs), "sentence", sig, doc_id)
    paragraphs = Alignment(src.lang, tgt.lang, tuple(para_pairs), "paragraph",
                           signature(name, level="paragraph", max_bead=max_bead,
                                     segmented=True), doc_id)
    if warn:
        warn_if_near_empty(sentences)
    return sentences, paragraphs


@functools.lru_cache(maxsize=4)
def load_encoder(name: str) -> Encoder:
    """The encoder called ``name``, loaded once per process."""
    from bitext.align.encoders import get_encoder

    return get_encoder(name)


def align_segmented(
    src: Document, tgt: Document, *, encoder: str = "use", max_bead: int = 6,
    progress: Callable[[int, int], None] | None = None,
) -> Alignment:
    """Align one-sentence-per-line documents directly (no paragraph level).

    ``progress(done, total)`` follows the embedding of the sentences, nearly all
    of the run time for a long input.
    """
    from bitext.align.sentences import align_sentences

    s, t = src.sentences, tgt.sentences
    if not any(x.strip() for x in s) or not any(x.strip() for x in t):
        raise AlignmentError("one of the inputs has no sentences to align")
    enc = load_encoder(encoder)
    if progress is not None:
        _embed_with_progress(enc, [*s, *t], progress)
    links = align_sentences(s, t, enc, src_lang=src.lang, tgt_lang=tgt.lang, max_bead=max_bead)
    pairs = tuple(
        AlignedPair(tuple(s[i] for i in lk.src), tuple(t[j] for j in lk.tgt), lk.score, "",
                    lk.src, lk.tgt)
        for lk in links
    )
    sig = signature(getattr(enc, "name", encoder), level="sentence", max_bead=max_bead,
                    segmented=True)
    out = Alignment(src.lang, tgt.lang, pairs, "sentence", sig, Path(src.source).stem)
    warn_if_near_empty(out)
    return out


#: A result is near-empty when fewer than this share of either side's
#: sentences (or paragraphs) are in a link with a counterpart. Why a half: a
#: document most of whose sentences have no counterpart is not a translation of
#: the other (wrong or truncated file, failed extraction), whatever the aligner
#: did; looking at both sides also catches one short sentence paired against many
#: unpaired ones. Real pairs are far above it: 0.99 on corpora/un-som-2016, 0.96 on
#: the same pair with every line break removed (benchmarks/memory.py).
NEAR_EMPTY_SHARE = 0.5


def near_empty(alignment: Alignment) -> str | None:
    """A warning (counts and what to check) when ``alignment`` pairs too little, else None.

    Counts non-empty texts: of each side, all of them and those in a link whose
    other side is not empty. Near-empty means fewer than :data:`NEAR_EMPTY_SHARE`
    of either side are paired: one short sentence paired against forty unpaired
    ones is no translation, even though the shorter side is all paired.
    """
    def count(side: int) -> tuple[int, int]:
        total = paired = 0
        for p in alignment.pairs:
            mine, other = (p.src, p.tgt) if side == 0 else (p.tgt, p.src)
            k = sum(1 for t in mine if t.strip())
            total += k
            if other:
                paired += k
        return total, paired

    (ns, ps), (nt, pt) = count(0), count(1)
    what = "sentences" if alignment.level == "sentence" else "paragraphs"
    links = sum(1 for p in alignment.pairs if p.src and p.tgt)
    if ns and nt and min(ps / ns, pt / nt) >= NEAR_EMPTY_SHARE:
        return None
    head = "empty result" if links == 0 else "near-empty result"
    return (
        f"{head}: {links} links with both sides; {ps} of {ns} {alignment.src_lang} and "
        f"{pt} of {nt} {alignment.tgt_lang} {what} have a counterpart (less than "
        f"{NEAR_EMPTY_SHARE:.0%} of one side). Check that the two files are "
        "translations of each other, in the languages given, and that the text was "
        "extracted whole (bitext segment FILE shows what was read)"
    )


def warn_if_near_empty(alignment: Alignment) -> None:
    """Log :func:`near_empty`'s warning, if any, at WARNING level (stderr in the CLI)."""
    message = near_empty(alignment)
    if message:
        log.warning("%s", message)


#: Sentences embedded between two progress updates (several encoder batches).
_PROGRESS_CHUNK = 4096


def _embed_with_progress(enc: Encoder, texts: list[str],
                         progress: Callable[[int, int], None]) -> None:
    """Embed ``texts`` chunk by chunk, reporting progress; the encoder's in-run
    cache then serves the alignment search without embedding them again."""
    for start in range(0, len(texts), _PROGRESS_CHUNK):
        enc.encode(texts[start:start + _PROGRESS_CHUNK])
        progress(min(start + _PROGRESS_CHUNK, len(texts)), len(texts))


def release_encoder(name: str) -> None:
    """Forget the cached vectors of encoder ``name`` (between documents of a batch)."""
    clear = getattr(load_encoder(name), "clear_cache", None)
    if clear is not None:
        clear()


def align_files(
    src_path: str | Path,
    tgt_path: str | Path,
    *,
    src_lang: str | None = None,
    tgt_lang: str | None = None,
    encoder: str = "use",
    level: Level = "sentence",
    segmented: bool = False,
    max_bead: int = 6,
    progress: Callable[[int, int], None] | None = None,
    encodings: tuple[str | None, str | None] = (None, None),
    limits: Limits = DEFAULT_LIMITS,
) -> Alignment:
    """Load two files and align them (see :func:`align_documents`).

    ``encodings`` are the encodings of SRC and TGT when they are non-Unicode text
    files (default: detected). Two documents in the same language are refused.
    ``limits`` caps the size of each input (:mod:`bitext.limits`).
    """
    from bitext.ingest.document import load_segmented, load_versions

    if segmented:
        if level == "paragraph":
            raise InputError("--segmented input has no paragraphs; use --level sentence")
        s_doc = load_segmented(src_path, src_lang, encodings[0], limits=limits)
        t_doc = load_segmented(tgt_path, tgt_lang, encodings[1], limits=limits)
        check_pair_languages(s_doc.lang, t_doc.lang, src_path, tgt_path)
        check_memory_for(s_doc, t_doc, lines=True)
        return align_segmented(s_doc, t_doc, encoder=encoder, max_bead=max_bead,
                               progress=progress)
    src, tgt = load_versions([(src_path, src_lang, encodings[0]),
                              (tgt_path, tgt_lang, encodings[1])], limits=limits)
    check_pair_languages(src.lang, tgt.lang, src_path, tgt_path)
    check_memory_for(src, tgt)
    return align_documents(src, tgt, encoder=encoder, level=level, max_bead=max_bead,
                           progress=progress)


def check_memory_for(*docs: Document, lines: bool | None = None) -> None:
    """Refuse documents whose alignment would not fit in this process's memory
    (:func:`bitext.limits.check_memory`), before the encoder is loaded.
    ``lines``: aligned as one-sentence-per-line input (default: when every
    document is :attr:`~bitext.types.Document.segmented`)."""
    from bitext.limits import check_memory

    check_memory([(d.source or d.lang, sum(len(u.text.encode("utf-8", "surrogatepass"))
                                           for u in d.units)) for d in docs],
                 lines=all(d.segmented for d in docs) if lines is None else lines)


def check_pair_languages(src_lang: str, tgt_lang: str, src: object = "SRC",
                         tgt: object = "TGT") -> None:
    """Refuse two sides in the same language (a file given twice, or the wrong file):
    an alignment of a text with itself is no translation memory. ``build`` finds
    the same mistake through the languages it expects."""
    if src_lang.split("-")[0].lower() == tgt_lang.split("-")[0].lower():
        raise InputError(
            f"{src} and {tgt} are both in the same language ({src_lang}); give a document "
            "and its translation (check the order and the files, or --src-lang/--tgt-lang)"
        )


def document_name(source: str, lang: str) -> str:
    """A name for a document without a symbol: its file name less the language part
    (``report.zh.pdf`` -> ``report``), or its folder's name for ``zh.txt``.

    It is written inside the outputs (TMX ``x-document``, the JSONL ``doc``),
    which are UTF-8: bytes of a name that are not UTF-8 (a file named on a
    Latin-1 or GBK system) are written as a terminal line shows them, ``\\xff``;
    as surrogate escapes they ended the writers in a UnicodeEncodeError."""
    import regex

    from bitext.fileio.read import shown_id

    if source in ("", "-"):
        return "stdin"
    path = Path(source)
    stem = regex.sub(rf"(?i)(?:^|[._-]){regex.escape(lang)}$", "", path.name.split(".")[0]
                     if path.name.count(".") <= 1 else path.name.rsplit(".", 1)[0])
    return shown_id(stem or path.resolve().parent.name)


def _sentence_confidence(sentence: Link, paragraph: Link, n_src: int, n_tgt: int) -> float:
    """Confidence of a sentence link inside a paragraph link.

    A sentence link cannot be surer than a doubtful paragraph link it lies in. When
    each paragraph holds one sentence, the sentence link is the paragraph link,
    so the paragraph's evidence (labels, content) counts for it too.
    """
    if n_src == n_tgt == 1 and sentence.shape == "1-1":
        return round(max(sentence.score, paragraph.score), 4)
    if paragraph.score < 0.5:
        return round(min(sentence.score, paragraph.score), 4)
    return round(sentence.score, 4)


def _offsets(doc: Document) -> list[int]:
    offs = [0]
    for u in doc.units:
        offs.append(offs[-1] + len(u.sentences))
    return offs


def _label(src: Document, tgt: Document, lk: Link) -> str:
    if lk.src:
        return "+".join(src.units[i].label for i in lk.src)
    return "+".join(tgt.units[j].label for j in lk.tgt)


def _paragraph_pair(src: Document, tgt: Document, lk: Link) -> AlignedPair:
    return AlignedPair(
        tuple(src.units[i].text for i in lk.src),
        tuple(tgt.units[j].text for j in lk.tgt),
        lk.score, _label(src, tgt, lk), lk.src, lk.tgt,
    )
