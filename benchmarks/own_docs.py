"""Cleaning and structure on documents of our own: made-up text, not docs.py's.

Usage (from the repository root; needs LibreOffice, ``soffice``)::

    python benchmarks/own_docs.py                  # 3 documents a language, DOCX + LibreOffice PDF
    python benchmarks/own_docs.py --docs 1 --errors 5

docs.py renders real UN sentences in one layout: every paragraph numbered, one
table of short cells. Here each language has twelve sentences written for this
benchmark (they are in no corpus and no dev data) and each document, shuffled by
its seed, has what docs.py's have not: unnumbered paragraphs after numbered
ones, a paragraph that ends in a colon and a Word list of sub-items (a), (b)
under it, notes, and an annex table of 14 rows whose first cells are two
sentences (they wrap, and rows break over a page). Files are DOCX
(tests/ingest/docx_builder, Word numbering and notes, Arabic right to left by
``w:bidi``) and LibreOffice's PDF of them; docs.py's ``measure`` counts exact
sentences, leaks, markers and body changed, and this script counts the
*paragraphs found as units*: each paragraph of the document (numbered or not;
the colon paragraph with its items) is the text of one unit.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
from pathlib import Path
from xml.sax.saxutils import escape as xml_escape

import regex

sys.path.append(str(Path(__file__).resolve().parent.parent))  # tests.ingest.docx_builder
sys.path.append(str(Path(__file__).resolve().parent))  # docs

import docs as D

#: Twelve sentences a language, written for this benchmark (in no corpus or dev data).
_SENTENCES = {
    "en": [
        "The working group met four times during the year in the capital city.",
        "It reviewed the survey of rural water supply and the budget of the programme.",
        "The members agreed that the survey should be repeated every second year.",
        "Several members asked for a shorter questionnaire for small villages.",
        "The secretariat presented a draft plan for the training of local staff.",
        "The plan covers three regions and will start in the spring.",
        "The group thanked the donors for their support to the programme.",
        "A summary of the discussion is given in the annex to the present note.",
        "The next meeting will take place in the autumn, on a date to be agreed.",
        "The group adopted its report by consensus at the last meeting.",
        "The chair closed the session after a short statement.",
        "The results of the survey will be published in the first quarter.",
    ],
    "es": [
        "El grupo de trabajo se reunió cuatro veces durante el año en la capital.",
        "Examinó la encuesta sobre el abastecimiento de agua rural y el presupuesto del programa.",
        "Los miembros convinieron en que la encuesta debería repetirse cada dos años.",
        "Varios miembros pidieron un cuestionario más breve para las aldeas pequeñas.",
        "La secretaría presentó un proyecto de plan para la formación del personal local.",
        "El plan abarca tres regiones y comenzará en la primavera.",
        "El grupo agradeció a los donantes su apoyo al programa.",
        "En el anexo de la presente nota figura un resumen del debate.",
        "La próxima reunión se celebrará en el otoño, en una fecha que se acordará.",
        "El grupo aprobó su informe por consenso en la última reunión.",
        "La presidenta clausuró el período de sesiones tras una breve declaración.",
        "Los resultados de la encuesta se publicarán en el primer trimestre.",
    ],
    "fr": [
        "Le groupe de travail s'est réuni quatre fois au cours de l'année dans la capitale.",
        "Il a examiné l'enquête sur l'approvisionnement en eau rurale et le budget du programme.",
        "Les membres sont convenus que l'enquête devrait être répétée tous les deux ans.",
        "Plusieurs membres ont demandé un questionnaire plus court pour les petits villages.",
        "Le secrétariat a présenté un projet de plan pour la formation du personnel local.",
        "Le plan couvre trois régions et commencera au printemps.",
        "Le groupe a remercié les donateurs de leur soutien au programme.",
        "Un résumé du débat figure à l'annexe de la présente note.",
        "La prochaine réunion aura lieu à l'automne, à une date à convenir.",
        "Le groupe a adopté son rapport par consensus à la dernière séance.",
        "La présidente a clos la session après une brève déclaration.",
        "Les résultats de l'enquête seront publiés au premier trimestre.",
    ],
    "ru": [
        "Рабочая группа провела в течение года четыре заседания в столице.",
        "Она рассмотрела обследование сельского водоснабжения и бюджет программы.",
        "Члены группы согласились, что обследование следует повторять раз в два года.",
        "Несколько членов попросили сократить вопросник для небольших деревень.",
        "Секретариат представил проект плана подготовки местного персонала.",
        "План охватывает три района и начнется весной.",
        "Группа поблагодарила доноров за поддержку программы.",
        "Краткое изложение обсуждения приводится в приложении к настоящей записке.",
        "Следующее заседание состоится осенью, в сроки, которые будут согласованы.",
        "Группа приняла свой доклад консенсусом на последнем заседании.",
        "Председатель закрыла сессию после краткого заявления.",
        "Результаты обследования будут опубликованы в первом квартале.",
    ],
    "zh": [
        "工作组在这一年里在首都举行了四次会议。",
        "工作组审查了农村供水调查和方案预算。",
        "成员们一致认为，调查应每两年重复进行一次。",
        "若干成员要求为小村庄编写一份较短的问卷。",
        "秘书处介绍了培训当地工作人员的计划草案。",
        "该计划涵盖三个区域，将于春季开始。",
        "工作组感谢捐助方对方案的支持。",
        "讨论摘要载于本说明附件。",
        "下一次会议将于秋季举行，日期另行商定。",
        "工作组在最后一次会议上以协商一致方式通过了报告。",
        "主席在简短发言后宣布会议闭幕。",
        "调查结果将在第一季度公布。",
    ],
    "ar": [
        "اجتمع الفريق العامل أربع مرات خلال السنة في العاصمة.",
        "واستعرض الفريق الدراسة الاستقصائية لإمدادات المياه في الريف وميزانية البرنامج.",
        "واتفق الأعضاء على تكرار الدراسة الاستقصائية كل سنتين.",
        "وطلب عدة أعضاء استبيانا أقصر للقرى الصغيرة.",
        "وقدمت الأمانة مشروع خطة لتدريب الموظفين المحليين.",
        "وتشمل الخطة ثلاث مناطق وستبدأ في الربيع.",
        "وشكر الفريق الجهات المانحة على دعمها للبرنامج.",
        "ويرد موجز للمناقشة في مرفق هذه المذكرة.",
        "وسيعقد الاجتماع المقبل في الخريف في موعد يتفق عليه.",
        "واعتمد الفريق تقريره بتوافق الآراء في الجلسة الأخيرة.",
        "واختتمت الرئيسة الدورة بعد بيان قصير.",
        "وستنشر نتائج الدراسة الاستقصائية في الربع الأول.",
    ],
}
_HEADINGS = {
    'en': ['Introduction', 'Work of the group', 'Closing of the session'],
    'es': ['Introducción', 'Labor del grupo', 'Clausura del período de sesiones'],
    'fr': ['Introduction', 'Travaux du groupe', 'Clôture de la session'],
    'ru': ['Введение', 'Работа группы', 'Закрытие сессии'],
    'zh': ['导言', '工作组的工作', '会议闭幕'],
    'ar': ['مقدمة', 'أعمال الفريق', 'اختتام الدورة'],
}
_COLON = {
    'en': 'The group heard the following statements:',
    'es': 'El grupo escuchó las declaraciones siguientes:',
    'fr': 'Le groupe a entendu les déclarations suivantes :',
    'ru': 'Группа заслушала следующие заявления:',
    'zh': '工作组听取了以下发言：',
    'ar': 'واستمع الفريق إلى البيانات التالية:',
}
_ITEMS = {
    'en': ['a statement on the survey;', 'a statement on the budget.'],
    'es': ['una declaración sobre la encuesta;', 'una declaración sobre el presupuesto.'],
    'fr': ["une déclaration sur l'enquête ;", 'une déclaration sur le budget.'],
    'ru': ['заявление об обследовании;', 'заявление о бюджете.'],
    'zh': ['关于调查的发言；', '关于预算的发言。'],
    'ar': ['بيان بشأن الدراسة الاستقصائية؛', 'بيان بشأن الميزانية.'],
}
_NOTES = {
    "en": ["See the report of the previous meeting.",
           "The list of members is kept by the secretariat."],
    "es": ["Véase el informe de la reunión anterior.",
           "La secretaría lleva la lista de miembros."],
    "fr": ["Voir le rapport de la réunion précédente.",
           "La liste des membres est tenue par le secrétariat."],
    "ru": ["См. доклад о работе предыдущего совещания.",
           "Список членов ведет секретариат."],
    "zh": ["见上次会议的报告。",
           "成员名单由秘书处保存。"],
    "ar": ["انظر تقرير الاجتماع السابق.",
           "تحتفظ الأمانة بقائمة الأعضاء."],
}


_ROMAN = ["I", "II", "III"]


def make_spec(lang: str, seed: int) -> tuple[D.Spec, list[str]]:
    """Document ``seed`` in ``lang`` and its paragraphs' texts (the gold units)."""
    rng = random.Random(f"{seed}{lang}")
    s = _SENTENCES[lang]
    sep = "" if lang == "zh" else " "
    order = list(range(len(s)))
    blocks: list[D.Block] = []
    units: list[str] = []
    n = 0
    for h in range(3):
        blocks.append(D.Block("heading", f"{_ROMAN[h]}.", _HEADINGS[lang][h]))
        for _ in range(4):
            rng.shuffle(order)
            sents = [s[i] for i in order[:3]]
            n += 1
            text = sep.join(sents)
            if n in (2, 7):  # a note's marker before the last sentence's full stop
                text = f"{text[:-1]}\x01{1 if n == 2 else 2}\x02{text[-1]}"
            blocks.append(D.Block("para", f"{n}.", text, sents))
            units.append(regex.sub(r"\x01\d+\x02", "", text))
            if (n + h) % 3 == 0:  # an unnumbered paragraph after it
                extra = [s[order[5]], s[order[6]]]
                blocks.append(D.Block("plain", "", sep.join(extra), extra))
                units.append(sep.join(extra))
            if n == 5:  # a paragraph ending in a colon, and its list
                t = f"{_COLON[lang]} (a) {_ITEMS[lang][0]} (b) {_ITEMS[lang][1]}"
                blocks.append(D.Block("colon", "", t, []))
                units.append(t)
    rows = [[s[(i * 5) % 12] + sep + s[(i * 7 + 1) % 12], str(1000 + 37 * i),
             f"{i * 1.5:.1f}", str(2000 + i)] for i in range(14)]
    notes = {1: _NOTES[lang][0], 2: _NOTES[lang][1]}
    return (D.Spec(f"own/{seed}", lang, f"A/99/{seed}", f"99-{10000 + seed}", "3 June 2015",
                   blocks, notes, rows), units)


def write_docx(spec: D.Spec, path: Path) -> None:
    """The document as DOCX, as docs.py writes its own, with plain paragraphs
    and a Word list where its blocks have them."""
    lang = spec.lang
    blocks = [("plain", D._UN[lang]), ("plain", spec.symbol), ("plain", D._ORGANS[lang][""]),
              *[("plain", x.format(date=spec.date)) for x in D._DISTR[lang]]]
    for b in spec.blocks:
        text = regex.sub(r"\x01(\d+)\x02", r"[\1]", b.text)
        if b.kind == "heading":
            blocks.append(("ZH1" if lang == "zh" else "H1", text))
        elif b.kind in ("para", "plain"):
            blocks.append((b.kind, text))
        else:
            blocks += [("plain", _COLON[lang]), ("item-restart", _ITEMS[lang][0]),
                       ("item", _ITEMS[lang][1])]
    blocks.append(("plain", D._ANNEX[lang]))
    D.finish_docx(spec, path, blocks, {k: xml_escape(v) for k, v in spec.notes.items()})


def _letters(text: str, lang: str) -> str:
    """A unit's or paragraph's letters and digits, sub-item labels left out."""
    return "".join(regex.findall(r"[\p{L}\p{N}]", D._norm(regex.sub(r"\(\w\)\s*", "", text),
                                                             lang)))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--docs", type=int, default=3, help="documents a language (default 3)")
    ap.add_argument("--langs", nargs="+", default=list(D.LANGS), choices=D.LANGS)
    ap.add_argument("--errors", type=int, default=0, help="examples shown per language x format")
    ap.add_argument("--scratch", type=Path, help="folder for the files (default: temp, kept)")
    args = ap.parse_args(argv)
    from bitext.ingest.document import load_document

    scratch = args.scratch or Path(tempfile.mkdtemp(prefix="bitext-own-docs-"))
    scratch.mkdir(parents=True, exist_ok=True)
    made = []
    for seed in range(args.docs):
        for lang in args.langs:
            spec, units = make_spec(lang, seed)
            path = scratch / f"own{seed}.{lang}.docx"
            if not path.exists():
                write_docx(spec, path)
            made.append((spec, units, path))
    D.convert_with_libreoffice([p for _, _, p in made], scratch / "lo")
    rows = []
    for fmt in ("docx", "lopdf"):
        for lang in args.langs:
            score, found, total, misses = D.Score(), 0, 0, []
            for spec, units, path in made:
                if spec.lang != lang:
                    continue
                if fmt == "lopdf":
                    path = scratch / "lo" / f"{path.stem}.pdf"
                D.measure(spec, path, fmt, score, args.errors)
                got = {_letters(u.text, lang) for u in load_document(path, lang).units}
                for unit in units:
                    total += 1
                    found += _letters(unit, lang) in got
                    if _letters(unit, lang) not in got and len(misses) < args.errors:
                        misses.append(f"{path.name} [{fmt}] paragraph not a unit: {unit[:80]!r}")
            rows.append((lang, fmt, score, found, total, score.examples + misses))
    print("| lang | format | files | exact | paragraphs as units | leaks | markers left "
          "| body changed |")
    print("|---|---|---:|---:|---:|---:|---:|---:|")
    for lang, fmt, s, found, total, _ in rows:
        print(f"| {lang} | {fmt} | {s.files} | {s.exact / max(s.gold, 1):.3f} | {found}/{total} "
              f"| {s.leaks} | {s.glued}/{s.markers} | {s.body}/{s.units} |")
    for *_, examples in rows:
        for ex in examples:
            print(f"  {ex}")
    print(f"# files in {scratch}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
