"""Large zh-en memories in slices (bitext.glossary.slices)."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from bitext.glossary import extract_glossary
from bitext.glossary.extract import streamed
from bitext.glossary.slices import slices
from bitext.types import AlignedPair, Alignment

from .conftest import SAMPLE, make_alignment

DATA = Path(__file__).parent / "data"


def _doc(n: int, name: str) -> Alignment:
    pairs = tuple(AlignedPair((f"{name}{i}",), (f"{name}{i}",), 1.0, f"{name}#{i}")
                  for i in range(n))
    return Alignment("zh", "en", pairs, doc_id=name)


@given(st.lists(st.integers(0, 40), max_size=8), st.integers(1, 15))
def test_slices_hold_every_pair_once_in_order(sizes: list[int], size: int) -> None:
    docs = [_doc(n, f"d{i}-") for i, n in enumerate(sizes)]
    parts = slices(docs, size)
    flat = [p for part, _ in parts for al in part for p in al.pairs]
    assert flat == [p for al in docs for p in al.pairs]
    for part, held in parts:
        assert 0 < sum(len(al.pairs) for al in part) <= size or all(
            not al.pairs for al in part)
        assert held == {int(al.doc_id[1:].split("-")[0]) for al in part}


def test_a_long_document_is_cut_in_equal_pieces() -> None:
    parts = slices([_doc(25, "a")], 10)
    assert [sum(len(al.pairs) for al in part) for part, _ in parts] == [8, 8, 9]


def test_zh_en_of_any_size_keeps_the_dictionary_extractor() -> None:
    big = make_alignment(SAMPLE * 3000)
    assert not streamed([big])
    assert streamed([make_alignment(SAMPLE, "en", "fr")])


def test_two_equal_slices_merge_into_the_whole_inputs_pairs() -> None:
    """The same memory twice, in two slices: every pair of one slice once, its
    co-occurrences and frequencies doubled, each term in one concept."""
    one = extract_glossary(make_alignment())
    two = extract_glossary([make_alignment(), make_alignment()], slice_size=len(SAMPLE))
    assert {(c.zh, c.en) for c in two} == {(c.zh, c.en) for c in one}
    by_pair = {(c.zh, c.en): c for c in one}
    for c in two:
        single = by_pair[(c.zh, c.en)]
        assert (c.cooc, c.freq_src, c.freq_tgt) == (2 * single.cooc, 2 * single.freq_src,
                                                    2 * single.freq_tgt)
        assert c.score >= single.score - 1e-4  # more co-occurrences, never less confident
        assert c.docs == 2
    assert len({c.zh for c in two}) == len(two) == len({c.en.lower() for c in two})
    assert [c.id for c in two] == [f"c{n}" for n in range(1, len(two) + 1)]


def test_one_slice_is_the_whole_extractor() -> None:
    whole = extract_glossary(make_alignment())
    assert extract_glossary(make_alignment(), slice_size=len(SAMPLE)) == whole


def test_memories_in_slices_keep_their_provenance(tmp_path: Path) -> None:
    """Several memories cut into slices of three units: the merged glossary still
    pairs the frequent term and its examples still name their file and unit."""
    from bitext.glossary import read_glossary, read_memories
    from bitext.glossary.run import Glossary, write_glossary_files

    names = ["eluna-style.tmx", "trados-style.tmx", "job-1.2.xlf", "job-2.0.xlf",
             "memoq-style.tmx"]
    memories = read_memories([DATA / n for n in names])
    assert sum(len(m.pairs) for m in memories) > 3
    concepts = extract_glossary(memories, slice_size=3)
    out = tmp_path / "terms.tbx"
    write_glossary_files(Glossary(concepts, len(concepts), None), [(out, "tbx")],
                         sources=names)
    back = {c.zh: c for c in read_glossary(out)}
    assert back["疾病监测"].en.lower() == "disease surveillance"
    labels = {ex.label for c in back.values() for ex in c.examples}
    assert len({lab.split("#")[0] for lab in labels}) >= 2, labels
    assert all("#" in lab for lab in labels)


def test_one_document_in_pieces_is_still_one_document() -> None:
    concepts = extract_glossary(make_alignment(SAMPLE * 2), slice_size=len(SAMPLE))
    assert concepts and all(c.docs == 1 for c in concepts)
    assert max(c.cooc for c in concepts) >= 2  # the pieces' counts added up


def test_documents_cut_between_slices_count_once() -> None:
    from bitext.glossary.slices import Merger

    merger = Merger(lambda ev: 0.0)
    for docs in ({0, 1, 2}, {2}, {2, 3, 4, 5}, {6}):
        merger.add([], docs)
    assert merger._documents([0, 1, 2, 3]) == 7
    assert merger._documents([1, 3]) == 2
    assert merger._documents([0, 2]) == 6


def test_forms_differing_in_case_merge_into_one_term() -> None:
    from bitext.glossary.model import Concept, Term
    from bitext.glossary.slices import Merger

    def concept(en: str, freq: int) -> Concept:
        return Concept("c1", "zh", "en", (Term("疾病监测", "zh", freq=freq),
                                          Term(en, "en", freq=freq)),
                       score=0.9, rank_score=0.9, cooc=freq,
                       evidence=(("dice", 0.9), ("dictionary", 1.0), ("length", 1.0)))

    merger = Merger(lambda ev: 0.9)
    merger.add([concept("disease surveillance", 3)], {0})
    merger.add([concept("Disease surveillance", 2)], {1})
    (c,) = merger.result(1)
    assert [(t.text, t.freq) for t in c.terms] == [("疾病监测", 5), ("disease surveillance", 5)]
    assert c.cooc == 5 and c.docs == 2
