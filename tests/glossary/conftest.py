"""A small hand-made parallel sample (public-health wording, written for these tests)."""

from __future__ import annotations

import pytest

from bitext.types import AlignedPair, Alignment

SAMPLE = [
    ("世界卫生组织（世卫组织）向会员国提供了技术援助。",
     "The World Health Organization (WHO) provided technical assistance to Member States."),
    ("世卫组织继续支持疫苗接种运动。", "WHO continued to support vaccination campaigns."),
    ("会员国加强了疾病监测。", "Member States strengthened disease surveillance."),
    ("疾病监测是公共卫生的基础。", "Disease surveillance is the foundation of public health."),
    ("世卫组织就疾病监测组织了区域讲习班。",
     "WHO organized regional workshops on disease surveillance."),
    ("区域讲习班讨论了公共卫生应急行动。",
     "The regional workshop discussed public health emergency operations."),
    ("公共卫生部门与世卫组织合作。", "Public health authorities cooperated with WHO."),
    ("《国际卫生条例》要求会员国报告疫情。",
     "The International Health Regulations require Member States to report outbreaks."),
    ("世卫组织协助会员国实施《国际卫生条例》。",
     "WHO assisted Member States in implementing the International Health Regulations."),
    ("疫苗接种运动覆盖了农村地区。", "Vaccination campaigns covered rural areas."),
    ("会员国改进了疾病监测和疫苗接种运动。",
     "Member States improved disease surveillance and vaccination campaigns."),
    ("疾病监测需要可靠数据。", "Surveillance of diseases requires reliable data."),
]


def make_alignment(rows: list[tuple[str, str]] = SAMPLE, src_lang: str = "zh",
                   tgt_lang: str = "en") -> Alignment:
    pairs = tuple(AlignedPair((zh,), (en,), 1.0, str(n)) for n, (zh, en) in enumerate(rows, 1))
    if src_lang == "en":
        pairs = tuple(AlignedPair(p.tgt, p.src, 1.0, p.label) for p in pairs)
    return Alignment(src_lang, tgt_lang, pairs)


@pytest.fixture(scope="session")
def sample_alignment() -> Alignment:
    return make_alignment()


@pytest.fixture(scope="session")
def sample_concepts(sample_alignment: Alignment):  # type: ignore[no-untyped-def]
    from bitext.glossary import extract_glossary

    return extract_glossary(sample_alignment, min_freq=2)
