"""Any pair of the six languages, either direction: segment, align, export, eval."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from bitext.cli import cli as main
from bitext.errors import InputError

TEXTS = {
    "fr": "1. Le Conseil a adopté la résolution 2240 (2015). Il a prié le Secrétaire général "
          "de lui faire rapport.\n\n2. M. Dupont a présenté le rapport. Le débat a suivi.\n",
    "ru": "1. Совет принял резолюцию 2240 (2015). Он просил Генерального секретаря "
          "представить доклад.\n\n2. Г-н Дюпон представил доклад. Затем состоялись прения.\n",
    "ar": "1 - اعتمد المجلس القرار 2240 (2015). وطلب إلى الأمين العام تقديم تقرير.\n\n"
          "2 - قدم السيد دوبون التقرير. ثم جرت المناقشة.\n",
    "es": "1. El Consejo aprobó la resolución 2240 (2015). Solicitó al Secretario General "
          "que le informara.\n\n2. El Sr. Dupont presentó el informe. Siguió el debate.\n",
    "zh": "1. 安理会通过了第2240(2015)号决议。安理会请秘书长提出报告。\n\n"
          "2. 杜邦先生介绍了报告。随后进行了辩论。\n",
    "en": "1. The Council adopted resolution 2240 (2015). It requested the Secretary-General "
          "to report.\n\n2. Mr. Dupont introduced the report. A debate followed.\n",
}
CODES = {"fr": "fr-FR", "ru": "ru-RU", "ar": "ar-SA", "es": "es-ES", "zh": "zh-CN", "en": "en-GB"}


@pytest.mark.parametrize(("src", "tgt"), [("fr", "ru"), ("ru", "fr"), ("ar", "zh"),
                                          ("es", "en"), ("zh", "ar"), ("en", "ar")])
def test_align_any_pair(tmp_path: Path, src: str, tgt: str) -> None:
    a, b = tmp_path / f"doc.{src}.txt", tmp_path / f"doc.{tgt}.txt"
    a.write_text(TEXTS[src], encoding="utf-8")
    b.write_text(TEXTS[tgt], encoding="utf-8")
    runner = CliRunner()
    out = tmp_path / "out.jsonl"
    res = runner.invoke(main, ["align", str(a), str(b), "--src-lang", src, "--tgt-lang", tgt,
                               "--encoder", "length", "-o", str(out)])
    assert res.exit_code == 0, res.output
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [len(r[src]) for r in records] == [1, 1, 1, 1]
    assert [len(r[tgt]) for r in records] == [1, 1, 1, 1]

    tmx = tmp_path / "out.tmx"
    res = runner.invoke(main, ["align", str(a), str(b), "--src-lang", src, "--tgt-lang", tgt,
                               "--encoder", "length", "-o", str(tmx)])
    assert res.exit_code == 0, res.output
    text = tmx.read_text(encoding="utf-8")
    first = "en" if "en" in (src, tgt) else src
    assert f'srclang="{CODES[first]}"' in text
    assert f'xml:lang="{CODES[src]}"' in text and f'xml:lang="{CODES[tgt]}"' in text

    # eval against a gold written in the other order
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    with open(corpus / "gold.sentences.jsonl", "w", encoding="utf-8") as fh:
        for r in records:
            fh.write(json.dumps({"id": r["id"], tgt: r[tgt], src: r[src]},
                                ensure_ascii=False) + "\n")
    res = runner.invoke(main, ["eval", str(out), "--corpus", str(corpus), "--json"])
    assert res.exit_code == 0, res.output
    assert json.loads(res.output)["strict_f1"] == 1.0


@pytest.mark.parametrize("lang", list(TEXTS))
def test_segment_detects_each_language(tmp_path: Path, lang: str) -> None:
    path = tmp_path / "doc.txt"
    path.write_text(TEXTS[lang], encoding="utf-8")
    res = CliRunner().invoke(main, ["segment", str(path), "--format", "text"])
    assert res.exit_code == 0, res.output
    assert len(res.output.splitlines()) == 4


def test_wrong_script_is_one_error_line(tmp_path: Path) -> None:
    path = tmp_path / "doc.txt"
    path.write_text(TEXTS["ru"], encoding="utf-8")
    res = CliRunner().invoke(main, ["segment", str(path), "--lang", "ar"])
    # the console script turns this InputError into one "Error: ..." line, exit 1
    assert isinstance(res.exception, InputError)
    assert "expected Arabic text but it looks like Russian" in str(res.exception)
