"""USE-m3's forward pass run once per distinct token context gives the package's vectors."""

from __future__ import annotations

import numpy as np
import pytest

from bitext.align import use_forward
from bitext.align.encoders import USEEncoder

# Prefix-sharing term strings (what the glossary embeds), sentences in both
# scripts, repeats, one-piece and empty texts, and a text longer than a batch.
TEXTS = [
    "2030 Agenda", "2030 Agenda for Sustainable", "2030 Agenda for Sustainable Development",
    "可持续发展", "可持续发展目标", "2030年可持续发展议程", "打击贩运人口", "贩运人口",
    "The Security Council adopted resolution 2334 (2016) on the situation in Somalia.",
    "安全理事会通过了关于索马里局势的第2334(2016)号决议。",
    "The Security Council adopted resolution 2334 (2016) on the situation in Somalia.",
    "a", "", "。", "Member States", "member States", "Member States.",
    " ".join(f"Paragraph {k} of the report of the Secretary-General." for k in range(400)),
]


@pytest.fixture(scope="module")
def backend() -> object:
    model = USEEncoder(threads=1)._load()
    model.encode(["load"])
    return model._model


def test_the_backend_is_supported(backend: object) -> None:
    assert use_forward.supported(backend)
    assert not use_forward.supported(object())


@pytest.mark.parametrize("budget", [16, 384, use_forward.TOKEN_BUDGET])
def test_vectors_equal_the_packages(backend: object, budget: int,
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(use_forward, "TOKEN_BUDGET", budget)
    want = backend.encode(TEXTS)  # type: ignore[attr-defined]
    got = use_forward.encode(backend, TEXTS)
    assert got.shape == want.shape and got.dtype == np.float32
    # the same arithmetic on the same rows; only BLAS may block rows differently
    np.testing.assert_allclose(got, want, rtol=0, atol=2e-6)
    np.testing.assert_array_equal(got[8], got[10])


def test_a_text_does_not_depend_on_its_batch(backend: object) -> None:
    # alone, in a batch, and in a mixed batch: within float32 rounding (BLAS adds
    # a row's products in an order that depends on its place in the matrix)
    alone = np.concatenate([use_forward.encode(backend, [t]) for t in TEXTS])
    np.testing.assert_allclose(use_forward.encode(backend, TEXTS), alone, rtol=0, atol=2e-6)
    mixed = [*TEXTS[::-1], "Somalia", "索马里", "Member"]
    np.testing.assert_allclose(use_forward.encode(backend, mixed)[:len(TEXTS)], alone[::-1],
                               rtol=0, atol=2e-6)


def test_a_convolution_as_a_sum_of_products_equals_the_concatenated_product() -> None:
    rng = np.random.default_rng(0)
    rows = rng.standard_normal((7, 4)).astype(np.float32)
    weights = rng.standard_normal((3 * 4, 5)).astype(np.float32)
    ctx = rng.integers(0, len(rows) + 1, size=(9, 3))  # len(rows): outside the text
    padded = np.vstack([rows, np.zeros((1, 4), dtype=np.float32)])
    want = padded[ctx].reshape(len(ctx), -1) @ weights
    got = use_forward._conv(rows, weights, ctx)
    assert got.shape == (9, 5) and got.dtype == np.float32
    np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-5)


def test_the_text_sums_are_numpys_reduceat_bit_for_bit() -> None:
    rng = np.random.default_rng(1)
    # short and long texts: fewer than 8 rows, 8 to 128, and split in halves
    lens = np.array([2, 3, 7, 8, 9, 16, 17, 128, 129, 300, 1025, 5, 5, 3], dtype=np.int64)
    starts = np.zeros(len(lens), dtype=np.int64)
    np.cumsum(lens[:-1], out=starts[1:])
    rows = (rng.standard_normal((900, 64)) * 3).astype(np.float32)
    row_of = rng.integers(0, len(rows), size=int(lens.sum()))
    want = np.add.reduceat(rows[row_of], starts, axis=0)
    np.testing.assert_array_equal(use_forward._text_sums(rows, row_of, starts, lens), want)


@pytest.mark.parametrize("budget", [16, use_forward.TOKEN_BUDGET])
def test_a_piece_store_kept_between_calls_gives_the_same_vectors(
        backend: object, budget: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(use_forward, "TOKEN_BUDGET", budget)
    want = use_forward.encode(backend, TEXTS)
    store = use_forward.PieceStore()
    # a document's calls: some texts, then others sharing their pieces, then all
    first = use_forward.encode(backend, TEXTS[:8], store)
    kept = len(store)
    assert 0 < kept <= store.limit
    later = use_forward.encode(backend, TEXTS[8:], store)
    again = use_forward.encode(backend, TEXTS, store)
    for got in (np.concatenate([first, later]), again):
        np.testing.assert_allclose(got, want, rtol=0, atol=2e-6)
    store.clear()
    assert len(store) == 0


def test_a_full_piece_store_computes_the_batch_on_its_own(backend: object) -> None:
    want = use_forward.encode(backend, TEXTS)
    store = use_forward.PieceStore(limit=12)
    got = use_forward.encode(backend, TEXTS, store)
    assert len(store) <= 12
    np.testing.assert_allclose(got, want, rtol=0, atol=2e-6)


# Spaces of every kind and count, at the edges and inside, the escaped space
# itself, control pieces' spellings, full-width forms the normaliser maps,
# unknown characters, both scripts, a text the normaliser empties.
TOKEN_TEXTS = [
    *TEXTS, "  two  spaces  ", " ", "\t", "a\u3000b", "\u2581", "a\u2581\u2581b",
    "\u2581lead", "<s> </s> <unk>", "\uff21\uff22\uff23\u3000\uff11\uff12\uff13",
    "x\U0001F600y \U00010400", "l'Organisation",
    "Member States' (MS) 2030-Agenda,", "联合国 安全理事会", "\u200b", "e\u0301t\u00e9",
]


def test_the_word_tokenizer_gives_the_packages_pieces(backend: object) -> None:
    sp = backend.sp  # type: ignore[attr-defined]
    assert use_forward._splits_at_spaces(sp)
    words: dict[str, list[int]] = {}
    tokenize = use_forward.tokenizer(sp, words)
    for _ in range(2):  # the second time from the words kept
        for text in TOKEN_TEXTS:
            assert tokenize(text) == sp.encode(text, out_type=int, add_bos=True, add_eos=True)
    assert "\u2581Member" in words


def test_a_vocabulary_with_a_piece_across_a_space_is_asked_whole_texts() -> None:
    class Crossing:
        _normalizer = _viterbi = _bos_id = _eos_id = _unk_id = None
        _pieces = ("<unk>", "\u2581a", "a\u2581b")

        def encode(self, text: str, **kwargs: object) -> list[int]:
            return [len(text)]

    assert not use_forward._splits_at_spaces(Crossing())
    assert use_forward.tokenizer(Crossing())("a b") == [3]


def test_the_piece_store_keeps_words_across_documents(backend: object) -> None:
    """A word's pieces depend on the word alone: they outlive the document's rows."""
    store = use_forward.PieceStore()
    use_forward.encode(backend, ["Member States"], store)
    words = dict(store.words)
    assert words and len(store)
    store.clear()
    assert store.words == words and not len(store)
    sp = backend.sp  # type: ignore[attr-defined]
    assert use_forward.tokenizer(sp, store.words)("Member States") == sp.encode(
        "Member States", out_type=int, add_bos=True, add_eos=True)
