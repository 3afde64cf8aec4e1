"""bitext.types: the one bead notation every writer and reader shares."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bitext.types import Link, bead_text, parse_bead_text

indices = st.lists(st.integers(min_value=0, max_value=10**6), max_size=5).map(tuple)


@given(src=indices, tgt=indices)
def test_bead_text_round_trips(src: tuple[int, ...], tgt: tuple[int, ...]) -> None:
    assert parse_bead_text(bead_text(src, tgt)) == (src, tgt)
    assert Link(src, tgt).bead() == bead_text(src, tgt)


@pytest.mark.parametrize(("text", "bead"), [
    ("[0, 1]:[0]", ((0, 1), (0,))),
    ("[3]:[]", ((3,), ())),
    (" [ 2 ,3 ] : [4] :0.9312 ", ((2, 3), (4,))),  # bead files may carry a score
    ("0:1", None),
    ("", None),
    # an index past Python's 4,300-digit int conversion limit: 'bitext eval' printed
    # a ValueError traceback
    ("[" + "1" * 5000 + "]:[0]", None),
])
def test_parse_bead_text(text: str, bead: tuple[tuple[int, ...], tuple[int, ...]] | None) -> None:
    assert parse_bead_text(text) == bead


def test_bead_text_writes_plain_ints() -> None:
    import numpy as np

    assert bead_text((np.int64(3), np.int64(4)), ()) == "[3, 4]:[]"
