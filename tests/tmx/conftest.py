"""Fixtures shared by the TMX and corpus-export tests."""

from __future__ import annotations

import pytest

from bitext.types import AlignedPair, Alignment


def make_alignment(doc_id: str = "CTOC/COP/2016/3") -> Alignment:
    """A small zh-en alignment: 1-1, 2-1, 1-2 links, markup-like text, a 1-0 link."""
    return Alignment(
        src_lang="zh",
        tgt_lang="en",
        pairs=(
            AlignedPair(("导言",), ("Introduction",), 0.99, "I", (0,), (0,)),
            AlignedPair(
                ("本报告介绍了各项活动。", "报告还提出了建议。"),
                ("The present report describes the activities and makes recommendations.",),
                0.87654,
                "1",
                (1, 2),
                (1,),
            ),
            AlignedPair(
                ("研发费用<5%且“R&D”>0。",),
                ("Costs were < 5 per cent.", "R&D spending was \"positive\" & rising."),
                0.5,
                "2",
                (3,),
                (2, 3),
            ),
            AlignedPair(("无对应句子。",), (), 0.2, "3", (4,), ()),
            AlignedPair(("秘书处的报告",), ("Report of the Secretariat",), 0.30001, "", (5,), (4,)),
        ),
        level="sentence",
        signature={"bitext": "0.1.0", "encoder": "test", "max_bead": "4"},
        doc_id=doc_id,
    )


@pytest.fixture
def sample() -> Alignment:
    return make_alignment()
