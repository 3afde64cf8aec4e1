"""Structure of UN documents in French, Spanish, Russian and Arabic: masthead,
session and agenda lines, summary, headings, paragraph numbers (``12.`` and
Arabic ``12 -``, Western or Arabic-Indic digits), annexes, sentences."""

from __future__ import annotations

import pytest

from bitext.ingest.clean import split_lines
from bitext.ingest.structure import parse_document

DOCS = {
    "fr": """\
 Nations Unies A/70/123
Assemblée générale Distr. générale
1er juillet 2015

Français
Original : anglais

Soixante-dixième session
Point 19 a) de la liste préliminaire*
Prévention du crime et justice pénale

Rapport du Secrétaire général

Résumé
Le présent rapport est soumis en application de la résolution 69/196.

I. Introduction

1. Le présent rapport fait suite à la demande formulée par l'Assemblée au par. 3
de la résolution 69/196. M. Dupont l'a présenté le 1er juin 2015.

2. Le Secrétaire général a dit : « Nous agirons. » Le Conseil a pris note.

Annexe

Liste des participants
""",
    "es": """\
Naciones Unidas A/70/123
Asamblea General Distr. general
1 de julio de 2015

Septuagésimo período de sesiones
Tema 19 a) de la lista preliminar*
Prevención del delito y justicia penal

Informe del Secretario General

Resumen
El presente informe se presenta en cumplimiento de la resolución 69/196.

I. Introducción

1. El Sr. Pérez citó la resolución núm. 69/196, párr. 3. ¿Qué hará el Consejo? ¡Actuará!

Anexo II
""",
    "ru": """\
Организация Объединенных Наций A/70/123
Генеральная Ассамблея Distr.: General
1 июля 2015 года

Семидесятая сессия
Пункт 19 a) предварительного перечня*
Предупреждение преступности и уголовное правосудие

Доклад Генерального секретаря

Резюме
Настоящий доклад представляется во исполнение резолюции 69/196.

I. Введение

1. Настоящий доклад представлен в соответствии с п. 3 резолюции 69/196, т. е.
в срок. Встреча прошла в 2015 г. Она была успешной.

А. Техническая помощь

2. Управление оказало помощь на сумму 5 млн. долл. США.

Приложение I
""",
    "ar": """\
الأمم المتحدة A/70/123
الجمعية العامة Distr.: General
1 تموز/يوليه 2015

الدورة السبعون
البند 19 (أ) من القائمة الأولية*
منع الجريمة والعدالة الجنائية

تقرير الأمين العام

موجز
يقدم هذا التقرير عملا بالقرار 69/196.

أولا - مقدمة

1 - يقدم هذا التقرير عملا بالفقرة 3 من القرار 69/196. هل وافق المجلس؟ نعم.

ألف - المساعدة التقنية

٢ - قدم المكتب المساعدة في عام ٢٠١٥.

المرفق
""",
}

EXPECTED_LABELS = {
    "fr": ["header1", "header2", "header3", "header4", "summary", "p1", "I", "1", "2", "annex",
           "annex.title"],
    "es": ["header1", "header2", "header3", "header4", "summary", "p1", "I", "1", "annexII"],
    "ru": ["header1", "header2", "header3", "header4", "summary", "p1", "I", "1", "I.A", "2",
           "annexI"],
    "ar": ["header1", "header2", "header3", "header4", "summary", "p1", "I", "1", "I.A", "2",
           "annex"],
}

SENTENCES = {
    "fr": ("2", ["Le Secrétaire général a dit : « Nous agirons. »", "Le Conseil a pris note."]),
    "es": ("1", ["El Sr. Pérez citó la resolución núm. 69/196, párr. 3.",
                 "¿Qué hará el Consejo?", "¡Actuará!"]),
    "ru": ("1", ["Настоящий доклад представлен в соответствии с п. 3 резолюции 69/196, т. е. "
                 "в срок.", "Встреча прошла в 2015 г.", "Она была успешной."]),
    "ar": ("1", ["يقدم هذا التقرير عملا بالفقرة 3 من القرار 69/196.", "هل وافق المجلس؟",
                 "نعم."]),
}


@pytest.mark.parametrize("lang", list(DOCS))
def test_structure(lang: str) -> None:
    doc = parse_document(split_lines(DOCS[lang]), lang)
    assert [u.label for u in doc.units] == EXPECTED_LABELS[lang]
    # the agenda line is a header unit of its own, without its footnote asterisk
    agenda = doc.units[1]
    assert agenda.kind == "header" and agenda.footnote_refs == ("*",)
    assert "19" in agenda.text and "*" not in agenda.text


@pytest.mark.parametrize("lang", list(DOCS))
def test_sentences(lang: str) -> None:
    label, expected = SENTENCES[lang]
    doc = parse_document(split_lines(DOCS[lang]), lang)
    assert list(next(u for u in doc.units if u.label == label).sentences) == expected


def test_arabic_indic_paragraph_number() -> None:
    doc = parse_document(split_lines(DOCS["ar"]), "ar")
    assert next(u for u in doc.units if u.label == "2").text == "قدم المكتب المساعدة في عام ٢٠١٥."


@pytest.mark.parametrize("line", ["Page 3", "Página 12", "Страница 4", "الصفحة 5", "页 3",
                                  "Merci de recycler", "Please recycle"])
def test_page_footers_of_every_language(line: str) -> None:
    from bitext.ingest.clean import is_furniture

    assert is_furniture(line, set())


def test_a_page_word_in_a_sentence_is_text() -> None:
    from bitext.ingest.clean import is_furniture

    assert not is_furniture("Page 3 of the report lists them.", set())
