"""Language identification on short news snippets, and abstention on junk."""

from __future__ import annotations

import pytest

from storylens.langid import detect_language

SNIPPETS = {
    "en": "Russia's ambassador to the United States flew to Moscow on Saturday for consultations, days after "
    "President Joe Biden said he believed Vladimir Putin was a killer.",
    "ar": "عاد السفير الروسي لدى الولايات المتحدة أناتولي أنطونوف إلى موسكو للتشاور، بعد أن وصف الرئيس "
    "الأمريكي جو بايدن نظيره الروسي بأنه قاتل.",
    "ru": "Посол России в США Анатолий Антонов в субботу вылетел в Москву для консультаций. Он пробудет "
    "в России столько, сколько потребуется.",
    "de": "Der russische Botschafter in den USA ist am Samstag zu Beratungen nach Moskau geflogen. Zuvor hatte "
    "US-Präsident Biden Kremlchef Putin einen Mörder genannt.",
    "es": "El embajador ruso en Estados Unidos viajó el sábado a Moscú para mantener consultas, después de que "
    "Biden calificara a Putin de asesino.",
    "fr": "L'ambassadeur de Russie aux États-Unis est rentré samedi à Moscou pour des consultations, après que "
    "Joe Biden a qualifié Vladimir Poutine de tueur.",
    "tr": "Rusya'nın Washington Büyükelçisi Anatoli Antonov, ABD Başkanı Biden'ın Putin'i katil olarak "
    "nitelendirmesinin ardından istişareler için Moskova'ya döndü.",
    "pl": "Ambasador Rosji w Stanach Zjednoczonych wrócił w sobotę do Moskwy na konsultacje, po tym jak "
    "prezydent Biden nazwał Władimira Putina zabójcą.",
    "it": "L'ambasciatore russo negli Stati Uniti è rientrato sabato a Mosca per consultazioni, dopo che Biden "
    "ha definito Putin un assassino.",
    "zh": "俄罗斯驻美国大使安东诺夫周六返回莫斯科进行磋商，此前美国总统拜登在接受采访时称普京是杀手。",
}


@pytest.mark.parametrize(("lang", "text"), SNIPPETS.items(), ids=SNIPPETS.keys())
def test_news_snippets_are_identified(lang: str, text: str) -> None:
    code, confidence = detect_language(text)
    assert code == lang
    assert 0.5 < confidence <= 1.0


@pytest.mark.parametrize(
    "junk",
    [
        "",
        "   \n\t",
        "1234 5678 90",
        "!!! ??? ... --- ***",
        "2021-03-20 14:05",
        "World",
        "Share Tweet",
        "https://example.com/a/b",
    ],
)
def test_too_little_linguistic_content_is_unknown(junk: str) -> None:
    assert detect_language(junk) == (None, 0.0)


def test_urls_do_not_count_as_language() -> None:
    assert detect_language("https://www.meridianpost.example/world/2021/03/20/russia-envoy-flies-home") == (None, 0.0)


def test_confidence_is_a_probability() -> None:
    code, confidence = detect_language(SNIPPETS["en"] * 50)
    assert code == "en"
    assert 0.0 <= confidence <= 1.0
