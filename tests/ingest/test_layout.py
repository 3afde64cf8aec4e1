"""One-sentence-per-line text files are told from extracted document text, and
aligned as sentences (no structure step joining unrelated lines)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bitext.ingest.document import load_document
from bitext.ingest.layout import is_paragraph_per_line, is_sentence_per_line
from bitext.pipeline import align_both

ROOT = Path(__file__).resolve().parents[2]
UNPC = ROOT.parent / "shared" / "data" / "unpc-testset"

# Excerpts of different documents: running numbers jump (13, then 1, then 6),
# a heading without end punctuation sits between them, as in corpus files.
EN = [
    "13. We underscore the need to accelerate efforts at all levels.",
    "The Committee held two meetings in Geneva in May 2015.",
    "Air transportation",
    "1. Adoption of the agenda.",
    "The Permanent Forum welcomes the participation of indigenous experts.",
    "6. The Conference reaffirms that the strict observance of the Treaty remains central.",
    "The various training activities are listed in table 2 below.",
    "Press statement",
    "Upon instruction from my Government, I have the honour to attach a list of names.",
    "The Secretariat will continue to brief States parties in The Hague.",
]
ZH = [
    "13.我们强调需要在各级加紧努力。",
    "委员会于2015年5月在日内瓦举行了两次会议。",
    "空中运输",
    "1.通过议程。",
    "常设论坛欢迎土著专家参加。",
    "6.会议重申，严格遵守《条约》仍然至关重要。",
    "下文表2列出了各项培训活动。",
    "新闻声明",
    "奉我国政府指示，谨随函转递一份名单。",
    "技秘处将继续在海牙向各缔约国通报情况。",
]


@pytest.mark.parametrize("sep", ["\n", "\n\n"])
def test_sentence_per_line_files_are_found(sep: str) -> None:
    assert is_sentence_per_line(sep.join(EN).split("\n"), "en")
    assert is_sentence_per_line(sep.join(ZH).split("\n"), "zh")


@pytest.mark.parametrize("name,lang", [
    ("corpora/un-som-2016/en.txt", "en"), ("corpora/un-som-2016/zh.txt", "zh"),
    ("tests/data/ga_report_en.txt", "en"), ("tests/data/ga_report_zh.txt", "zh"),
    ("tests/data/ccpcj_note_en.txt", "en"),
])
def test_extracted_documents_are_not(name: str, lang: str) -> None:
    lines = (ROOT / name).read_text(encoding="utf-8").splitlines()
    assert not is_sentence_per_line(lines, lang)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_one_paragraph_a_line_is_not(lang: str) -> None:
    """The bundled report written one paragraph a line: most lines end like a
    sentence, but its paragraphs hold several sentences."""
    rows = (ROOT / "corpora/un-som-2016/gold.paragraphs.jsonl").read_text(encoding="utf-8")
    lines = []
    for row in rows.splitlines():
        text = json.loads(row)[lang]
        lines.append(text if isinstance(text, str) else " ".join(text))
    assert not is_sentence_per_line(lines, lang)


@pytest.mark.skipif(not UNPC.exists(), reason=f"UN test set not found at {UNPC} "
                    "(the ../shared folder is absent)")
@pytest.mark.parametrize("lang", ["ar", "en", "es", "fr", "ru", "zh"])
def test_un_corpus_files_are_found(lang: str) -> None:
    lines = (UNPC / f"testset.{lang}").read_text(encoding="utf-8").splitlines()
    assert is_sentence_per_line(lines[:500], lang)


def test_a_file_of_sentences_loads_line_by_line(tmp_path: Path) -> None:
    path = tmp_path / "en.txt"
    path.write_text("\n\n".join(EN) + "\n", encoding="utf-8")
    doc = load_document(path, "en")
    assert doc.segmented
    assert [u.text for u in doc.units] == EN  # every line, untouched, in order
    assert doc.sentences == EN


def test_sentence_lines_end_at_line_feeds_only(tmp_path: Path) -> None:
    """A sentence may hold U+2028 or NEL (pasted text, some corpus exports): read as
    one sentence a line, the file has as many sentences as lines, as with
    ``align --segmented`` (str.splitlines cut the sentence in two there)."""
    lines = [*EN[:4], EN[4].replace(" the participation", "\u2028the participation"),
             EN[5].replace(" reaffirms", "\x85reaffirms"), *EN[6:]]
    path = tmp_path / "en.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    doc = load_document(path, "en")
    assert doc.segmented and len(doc.sentences) == len(EN)
    assert doc.sentences[4].endswith("the participation of indigenous experts.")
    assert [u.span for u in doc.units][5][0] == sum(len(x) + 1 for x in lines[:5])


@pytest.mark.parametrize("end", ["\r", "\r\n"])
def test_sentence_lines_end_at_a_lone_carriage_return_too(tmp_path: Path, end: str) -> None:
    """A file saved with classic Mac line ends (a lone CR, as Excel for Mac's
    "CSV (Macintosh)" writes) was one line to the one-sentence-per-line readers
    while the cleaner and the TSV/JSONL readers saw its lines: build took it for
    a document, align --segmented for one sentence. Lines end where
    :func:`bitext.fileio.record_lines` ends them, in both readers."""
    from bitext.ingest.document import load_segmented

    path = tmp_path / "en.txt"
    path.write_text(end.join(EN) + end, encoding="utf-8", newline="")
    doc = load_document(path, "en")
    assert doc.segmented and doc.sentences == EN
    starts = [u.span[0] for u in doc.units]
    assert starts == [sum(len(x) + len(end) for x in EN[:i]) for i in range(len(EN))]
    assert load_segmented(path, "en").sentences == EN


def test_lines_with_jumping_numbers_align_one_to_one(tmp_path: Path) -> None:
    """Before: the structure step joined the lines after "1." into paragraph 1
    until a "2." came, differently on each side, and 40% of the links were 1-0."""
    (tmp_path / "zh.txt").write_text("\n".join(ZH) + "\n", encoding="utf-8")
    (tmp_path / "en.txt").write_text("\n".join(EN) + "\n", encoding="utf-8")
    src = load_document(tmp_path / "zh.txt", "zh")
    tgt = load_document(tmp_path / "en.txt", "en")
    sentences, paragraphs = align_both(src, tgt)
    assert [(p.src_ids, p.tgt_ids) for p in sentences.pairs] == [
        ((k,), (k,)) for k in range(len(EN))]
    assert [p.src for p in paragraphs.pairs] == [(z,) for z in ZH]
    assert [p.label for p in sentences.pairs] == [f"p{k + 1}" for k in range(len(EN))]


def _paragraph_lines(lang: str) -> list[str]:
    rows = (ROOT / "corpora/un-som-2016/gold.paragraphs.jsonl").read_text(encoding="utf-8")
    return [json.loads(r)[lang] for r in rows.splitlines() if json.loads(r)[lang]]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_paragraph_lines_are_found_and_wrapped_text_is_not(lang: str) -> None:
    assert is_paragraph_per_line(_paragraph_lines(lang), lang)
    wrapped = (ROOT / f"corpora/un-som-2016/{lang}.txt").read_text(encoding="utf-8")
    assert not is_paragraph_per_line(wrapped.splitlines(), lang)
    assert not is_paragraph_per_line((ROOT / f"tests/data/ga_report_{lang}.txt")
                                     .read_text(encoding="utf-8").splitlines(), lang)


@pytest.mark.parametrize("sep", ["\n", "\n\n"])
def test_a_report_one_paragraph_a_line_aligns_as_well_as_wrapped(tmp_path: Path,
                                                                 sep: str) -> None:
    """The bundled report with one paragraph a line (numbers and headings on
    lines of their own, as a word processor saves it). Before: each heading ran
    into the next paragraph, differently in each language (strict F1 .73)."""
    from bitext.align.evaluate import corpus_gold

    for lang in ("zh", "en"):
        (tmp_path / f"{lang}.txt").write_text(sep.join(_paragraph_lines(lang)) + "\n",
                                              encoding="utf-8")
    src = load_document(tmp_path / "zh.txt", "zh")
    tgt = load_document(tmp_path / "en.txt", "en")
    assert not src.segmented and not tgt.segmented
    sentences, _ = align_both(src, tgt)
    g_zh, g_en, beads = corpus_gold(ROOT / "corpora/un-som-2016")
    gold = {("".join(g_zh[i] for i in b[0]), " ".join(g_en[j] for j in b[1]))
            for b in beads if b[0] and b[1]}
    found = {("".join(p.src), " ".join(p.tgt)) for p in sentences.pairs if p.src and p.tgt}
    precision, recall = len(found & gold) / len(found), len(found & gold) / len(gold)
    assert 2 * precision * recall / (precision + recall) >= 0.98


def test_resolution_paragraphs_are_sentence_lines() -> None:
    """A resolution's paragraphs end with "," or ";"."""
    lines = [
        "Recalling its resolution 69/1 of 18 September 2014,",
        "12. Reiterates that individuals determined by the Committee shall be listed;",
        "Panel of Experts",
        "The Council decided to remain seized of the matter.",
    ]
    assert is_sentence_per_line(lines, "en")
    # a short file with a line of two sentences: paragraphs, not sentences
    assert not is_sentence_per_line([*lines, "It adopted the agenda. It elected officers."],
                                    "en")


def test_versions_of_one_document_get_one_layout(tmp_path: Path) -> None:
    """Three Chinese paragraphs of one sentence each look like sentence lines;
    their English version (two sentences a paragraph) says they are paragraphs."""
    from bitext.ingest.document import load_versions

    (tmp_path / "zh.txt").write_text(
        "1. 委员会于2016年5月3日在维也纳举行会议并通过了议程。\n\n"
        "2. 秘书处介绍了关于预防犯罪的报告，若干发言者对此表示欢迎。\n\n"
        "3. 委员会决定于2017年举行下一届会议。\n", encoding="utf-8")
    (tmp_path / "en.txt").write_text(
        "1. The Committee met on 3 May 2016 in Vienna. It adopted its agenda.\n\n"
        "2. The Secretariat presented the report on crime prevention. Several speakers "
        "welcomed it.\n\n"
        "3. The Committee decided to hold its next session in 2017.\n", encoding="utf-8")
    assert load_document(tmp_path / "zh.txt", "zh").segmented
    zh, en = load_versions([(tmp_path / "zh.txt", "zh", None), (tmp_path / "en.txt", "en", None)])
    assert not zh.segmented and not en.segmented
    assert [u.label for u in zh.units] == [u.label for u in en.units] == ["1", "2", "3"]


def test_short_lines_take_their_translations_layout(tmp_path: Path) -> None:
    """A chapter one verse a line: the English lines are single sentences, some
    Chinese ones hold two, and all are short (no page wraps them). Before, the
    English was read line by line and the Chinese as wrapped text, its verses
    joined into paragraphs, and a third of the links were 1-0 or 0-1."""
    from bitext.ingest.document import load_versions

    en = ["In the beginning the council met in the hall.",
          "The members came from every region of the world.",
          "They spoke of peace and of the work before them.",
          "And the chair closed the meeting at noon."]
    zh = ["起初，理事会在大厅开会。",
          "成员来自世界各个区域。他们都到了。",
          "他们谈到和平以及面前的工作。",
          "主席于中午宣布散会。"]
    (tmp_path / "en.txt").write_text("\n\n".join(en) + "\n", encoding="utf-8")
    (tmp_path / "zh.txt").write_text("\n\n".join(zh) + "\n", encoding="utf-8")
    zh_doc, en_doc = load_versions([(tmp_path / "zh.txt", "zh", None),
                                    (tmp_path / "en.txt", "en", None)])
    assert [u.text for u in zh_doc.units] == zh
    assert [u.text for u in en_doc.units] == en


def test_a_version_without_end_punctuation_takes_its_translations_lines(
        tmp_path: Path) -> None:
    """A collection's list of posts (the test set's one sentence a line): the
    English lines end with ";" and read one a line, their French translation
    has no end punctuation and was read as wrapped text, its 4 lines one
    "sentence" against 4 English ones ("near-empty result"). A text version
    with as many lines as a translation read one unit a line is line for line
    that translation: it is read one unit a line too."""
    from bitext.ingest.document import load_versions

    en = ["Responsible for the budget and the staff of the office;",
          "Chair of the working group on the regional plan of action;",
          "Member of the preparatory committee of the second conference;",
          "Lecturer on the role of women in economic development."]
    fr = ["Responsable du budget et du personnel du bureau",
          "Présidente du groupe de travail sur le plan d'action régional",
          "Membre du comité préparatoire de la deuxième conférence",
          "Conférencière sur le rôle des femmes dans le développement économique"]
    (tmp_path / "en.txt").write_text("\n".join(en) + "\n", encoding="utf-8")
    (tmp_path / "fr.txt").write_text("\n".join(fr) + "\n", encoding="utf-8")
    en_doc, fr_doc = load_versions([(tmp_path / "en.txt", "en", None),
                                    (tmp_path / "fr.txt", "fr", None)])
    assert [u.text for u in fr_doc.units] == fr
    assert [u.text for u in en_doc.units] == en


def test_a_declared_layout_overrides_the_detection(tmp_path: Path) -> None:
    """Headings-only excerpts (short lines without end punctuation) read as
    wrapped text by default; ``layout="sentences"`` reads each line as one."""
    from bitext.ingest.document import load_versions

    en = ["Air transportation", "Press statement", "Adoption of the agenda"]
    zh = ["空中运输", "新闻声明", "通过议程"]
    (tmp_path / "en.txt").write_text("\n".join(en) + "\n", encoding="utf-8")
    (tmp_path / "zh.txt").write_text("\n".join(zh) + "\n", encoding="utf-8")
    files = [(tmp_path / "zh.txt", "zh", None), (tmp_path / "en.txt", "en", None)]
    zh_doc, en_doc = load_versions(files, layout="sentences")
    assert zh_doc.segmented and en_doc.segmented
    assert [u.text for u in zh_doc.units] == zh and [u.text for u in en_doc.units] == en
    zh_doc, en_doc = load_versions(files, layout="paragraphs")
    assert not zh_doc.segmented and [u.text for u in en_doc.units] == en
    zh_doc, en_doc = load_versions(files, layout="wrapped")
    assert not zh_doc.segmented and not en_doc.segmented
    with pytest.raises(ValueError, match="layout"):
        load_versions(files, layout="lines")


def test_build_layout_option_reaches_the_outputs_and_the_signature(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from bitext.build import BuildSettings
    from bitext.cli import cli

    assert BuildSettings(layout="auto").signature() == BuildSettings().signature()
    assert BuildSettings(layout="sentences").signature() != BuildSettings().signature()
    folder = tmp_path / "doc"
    folder.mkdir()
    (folder / "en.txt").write_text("\n".join(EN) + "\n", encoding="utf-8")
    (folder / "zh.txt").write_text("\n".join(ZH) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["build", str(folder), "-o", str(out), "--encoder",
                                       "length", "--no-glossary", "--layout", "sentences"])
    assert result.exit_code == 0, result.output
    segments = [json.loads(x) for x in (out / "en.segments.jsonl").read_text().splitlines()]
    assert [s["text"] for s in segments] == EN
    result = CliRunner().invoke(cli, ["build", str(folder), "-o", str(out), "--layout", "x"])
    assert result.exit_code == 2 and "--layout" in result.output
