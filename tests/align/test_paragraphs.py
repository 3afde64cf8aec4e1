"""Paragraph alignment: label anchors checked by content, DP between them.

A fake encoder stands in for the model (allowed in unit tests of the search): each
text carries a concept tag ``[k]`` and embeds to a noisy one-hot vector of ``k``,
so translations of the same paragraph are similar and others are not.
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence

import numpy as np
import regex

from bitext.align.paragraphs import align_units, hard_token_agreement
from bitext.types import Document, Link, Unit


class ConceptEncoder:
    name = "fake-concepts"
    dim = 64

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        rng = np.random.default_rng(0)
        out = rng.normal(0, 0.15, size=(len(texts), self.dim)).astype(np.float32)
        for r, text in enumerate(texts):
            for k in regex.findall(r"\[(\d+)\]", text):
                out[r, int(k) % self.dim] += 1.0
        return out / np.linalg.norm(out, axis=1, keepdims=True)


def unit(kind: str, label: str, concept: int, lang: str) -> Unit:
    body = ("这是第一句。" if lang == "zh" else "This is a sentence. ") * 3
    text = f"{body}[{concept}]"
    return Unit(kind, label, text, (text,))  # type: ignore[arg-type]


def doc(lang: str, spec: list[tuple[str, str, int]]) -> Document:
    return Document(lang, tuple(unit(k, lab, c, lang) for k, lab, c in spec))


def pairs(links: list[Link]) -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
    return [(lk.src, lk.tgt) for lk in links]


def covers(links: list[Link], n: int, m: int) -> bool:
    src = [i for lk in links for i in lk.src]
    tgt = [j for lk in links for j in lk.tgt]
    return sorted(src) == list(range(n)) and sorted(tgt) == list(range(m))


def test_numbered_paragraphs_and_footnotes_pair_by_label() -> None:
    spec = [("header", "header1", 1), ("heading", "I", 2), ("paragraph", "1", 3),
            ("paragraph", "2", 4), ("footnote", "fn1", 5)]
    links = align_units(doc("zh", spec), doc("en", spec), ConceptEncoder())
    assert pairs(links) == [((0,), (0,)), ((1,), (1,)), ((2,), (2,)), ((3,), (3,)), ((4,), (4,))]
    assert all(0.0 <= lk.score <= 1.0 for lk in links)


def test_numbering_that_disagrees_does_not_win_over_content() -> None:
    # The English extraction lost paragraph 2's number: its paragraphs 3, 4 are
    # numbered 2, 3. Content must pull them back where they belong.
    zh = doc("zh", [("paragraph", "1", 1), ("paragraph", "2", 2), ("paragraph", "3", 3),
                    ("paragraph", "4", 4)])
    en = doc("en", [("paragraph", "1", 1), ("paragraph", "p1", 2), ("paragraph", "2", 3),
                    ("paragraph", "3", 4)])
    links = align_units(zh, en, ConceptEncoder())
    assert pairs(links) == [((0,), (0,)), ((1,), (1,)), ((2,), (2,)), ((3,), (3,))]


def test_missing_paragraph_is_a_skip() -> None:
    zh = doc("zh", [("paragraph", "1", 1), ("paragraph", "2", 2), ("paragraph", "3", 3)])
    en = doc("en", [("paragraph", "1", 1), ("paragraph", "3", 3)])
    links = align_units(zh, en, ConceptEncoder())
    assert pairs(links) == [((0,), (0,)), ((1,), ()), ((2,), (1,))]


def test_unnumbered_documents_align_by_content() -> None:
    zh = doc("zh", [("paragraph", f"p{k}", k) for k in range(1, 7)])
    en = doc("en", [("paragraph", f"p{k}", k) for k in range(1, 7)])
    links = align_units(zh, en, ConceptEncoder())
    assert pairs(links) == [((k,), (k,)) for k in range(6)]


def test_every_unit_covered_once_in_order() -> None:
    zh = doc("zh", [("heading", "I", 1), ("paragraph", "1", 2), ("paragraph", "p1", 3),
                    ("paragraph", "2", 4), ("footnote", "fn1", 9), ("footnote", "fn2", 10)])
    en = doc("en", [("heading", "I", 1), ("paragraph", "1", 2), ("paragraph", "2", 4),
                    ("footnote", "fn1", 9)])
    links = align_units(zh, en, ConceptEncoder())
    assert covers(links, 6, 4)
    flat = [lk.src[0] for lk in links if lk.src]
    assert flat == sorted(flat)


def test_hard_token_agreement() -> None:
    assert hard_token_agreement("第69/197号决议，2014年", "resolution 69/197 of 2014",
                                "zh", "en") == 1.0
    assert hard_token_agreement("没有数字", "no numbers here", "zh", "en") is None


def test_sentence_confidence_inside_paragraph_links() -> None:
    from bitext.pipeline import _sentence_confidence

    sure_para, doubtful_para = Link((0,), (0,), 0.95), Link((0,), (0,), 0.3)
    # one sentence a side: the sentence link is the paragraph link
    assert _sentence_confidence(Link((0,), (0,), 0.1), sure_para, 1, 1) == 0.95
    # several sentences: the sentence search decides, capped by a doubtful paragraph
    assert _sentence_confidence(Link((0,), (0,), 0.8), sure_para, 2, 2) == 0.8
    assert _sentence_confidence(Link((0,), (0,), 0.8), doubtful_para, 2, 2) == 0.3
    assert _sentence_confidence(Link((0,), (), 0.4), sure_para, 1, 1) == 0.4


def test_banded_search_over_many_units_equals_the_full_one() -> None:
    # 60 unnumbered units against 59 (one missing): searched once on the full
    # grid and once coarse to fine (every grid counts as long).
    from bitext.align.sentences import SearchParams

    concepts = list(range(1, 61))  # below the encoder's 64 dimensions
    zh = doc("zh", [("paragraph", f"p{k}", c) for k, c in enumerate(concepts)])
    en_concepts = [c for c in concepts if c != 40]
    en = doc("en", [("paragraph", f"p{k}", c) for k, c in enumerate(en_concepts)])
    full = align_units(zh, en, ConceptEncoder())
    banded = align_units(zh, en, ConceptEncoder(),
                         params=SearchParams(full_grid_cells=0, coarse_blocks=8))
    assert pairs(banded) == pairs(full)
    assert covers(banded, 60, 59)
    assert pairs(full)[:39] == [((k,), (k,)) for k in range(39)]


def test_best_chain_equals_the_all_pairs_search() -> None:
    from bitext.align.paragraphs import _best_chain

    def all_pairs(cands: list[tuple[int, int, float]]) -> list[tuple[int, int, float]]:
        best = [c[2] for c in cands]
        back = [-1] * len(cands)
        for k in range(len(cands)):
            for m in range(k):
                if cands[m][0] < cands[k][0] and cands[m][1] < cands[k][1] and \
                        best[m] + cands[k][2] > best[k]:
                    best[k], back[k] = best[m] + cands[k][2], m
        k, chain = int(np.argmax(best)), []
        while k >= 0:
            chain.append(cands[k])
            k = back[k]
        return chain[::-1]

    rng = np.random.default_rng(3)
    for _ in range(300):
        n = int(rng.integers(1, 14))
        firsts = sorted(rng.choice(40, size=n, replace=False).tolist())
        cands = [(p, int(rng.integers(0, 12)), float(rng.choice([0.5, 0.75, 1.0])))
                 for p in firsts]
        assert _best_chain(cands) == all_pairs(cands)
    assert _best_chain([]) == []


class _Recorder(ConceptEncoder):
    """Records the texts it is asked for; a text's vector depends on the text only
    (as with a real encoder), not on the other texts of the call."""

    def __init__(self) -> None:
        self.seen: list[str] = []

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        self.seen.extend(texts)
        return np.concatenate([self._one(t) for t in texts]) if texts else np.zeros(
            (0, self.dim), dtype=np.float32)

    def _one(self, text: str) -> np.ndarray:
        rng = np.random.default_rng(zlib.crc32(text.encode("utf-8")))
        row = rng.normal(0, 0.15, size=(1, self.dim)).astype(np.float32)
        for k in regex.findall(r"\[(\d+)\]", text):
            row[0, int(k) % self.dim] += 1.0
        return row / np.linalg.norm(row)


def test_a_long_unit_is_embedded_through_its_sentences() -> None:
    """A unit longer than the encoder's limit (a document with no line breaks) is the
    length-weighted sum of its sentences, which the sentence alignment embeds anyway:
    the long text itself never goes to the encoder."""
    from bitext.align.paragraphs import unit_vectors
    from bitext.limits import MAX_ENCODE_CHARS

    sents = tuple(f"Sentence {k} about [{k % 3}] and more words here." * 8
                  for k in range(40))
    long = Unit("paragraph", "p1", " ".join(sents), sents)
    short = unit("paragraph", "1", 5, "en")
    assert len(long.text) > MAX_ENCODE_CHARS
    enc = _Recorder()
    vecs = unit_vectors([short, long], enc)
    assert long.text not in enc.seen and set(sents) <= set(enc.seen)
    ref = _Recorder()
    weights = np.array([len(x) for x in sents], dtype=np.float32)
    want = weights @ ref.encode(list(sents))
    assert np.allclose(vecs[1], want / np.linalg.norm(want), atol=1e-5)
    assert np.allclose(vecs[0], ref.encode([short.text])[0], atol=1e-5)
    assert np.allclose(np.linalg.norm(vecs, axis=1), 1.0, atol=1e-5)


def test_two_numberings_that_share_few_labels_are_not_anchors() -> None:
    """A six-language PDF collection left two Arabic operative paragraphs with no
    English: the English version numbered 4 paragraphs (a few clauses each), the
    Arabic 9 (a clause each), and the labels "1" ... "4" were taken as anchors,
    pinning English 4 to Arabic 4 and leaving Arabic 5-9 with nothing. Where
    the two sides share under half of their paragraph numbers, theirs are two
    numberings, and content alone aligns the paragraphs."""
    groups = [[1, 2, 3], [4], [5, 6, 7], [8, 9]]
    body = "This is a sentence. " * 3
    en = Document("en", (*(
        Unit("paragraph", str(k), body + "".join(f"[{c}]" for c in g), (body,))  # type: ignore[arg-type]
        for k, g in enumerate(groups, 1)), unit("heading", "annex", 10, "en")))
    # the annex heading, labelled alike on both sides, is still an anchor: each
    # numbering (paragraphs, headings) is judged on its own
    ar = doc("ar", [*(("paragraph", str(c), c) for c in range(1, 10)), ("heading", "annex", 10)])
    links = align_units(en, ar, ConceptEncoder())
    assert covers(links, 5, 10) and ((4,), (9,)) in pairs(links)
    # English 1 takes Arabic 1-3 (test_a_paragraph_translated_as_three_...), the
    # last two Arabic paragraphs are English 4's
    assert ((0,), (0, 1, 2)) in pairs(links) and ((3,), (7, 8)) in pairs(links)


def test_a_paragraph_translated_as_three_is_one_link_not_a_skip() -> None:
    """The same two numberings (session 19): English 1 holds Arabic 1-3 and
    English 3 Arabic 5-7. With links of two units a side, Arabic 3 and 7 were
    left with no English (1-0), though English 1 and 3 say exactly what they
    say: one paragraph is linked to the three it was translated as."""
    groups = [[1, 2, 3], [4], [5, 6, 7], [8, 9]]
    body = "This is a sentence. " * 3
    en = Document("en", tuple(
        Unit("paragraph", str(k), body + "".join(f"[{c}]" for c in g), (body,))  # type: ignore[arg-type]
        for k, g in enumerate(groups, 1)))
    ar = doc("ar", [("paragraph", str(c), c) for c in range(1, 10)])
    links = align_units(en, ar, ConceptEncoder())
    assert pairs(links) == [((0,), (0, 1, 2)), ((1,), (3,)), ((2,), (4, 5, 6)), ((3,), (7, 8))]

