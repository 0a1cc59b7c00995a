"""Ingest on real text: the seed articles, chrome of other sites, HTML/JSON/JSONL fixtures,
legacy encodings, mojibake, and every kind of bad input."""

from __future__ import annotations

import gzip
import json
from datetime import date
from pathlib import Path

import pytest

from conftest import ARABIC_DAILY, EXAMPLES, SPUTNIK
from storylens.article import Article
from storylens.errors import InputError
from storylens.ingest import article_from_text, iter_articles, read_articles, strip_chrome

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"


def _only(path: Path | str) -> Article:
    articles = read_articles(path)
    assert len(articles) == 1
    return articles[0]


# -- the seed pair ----------------------------------------------------------------------


def test_sputnik_seed_is_cleaned() -> None:
    article = _only(SPUTNIK)
    assert article.title == (
        "Russian Ambassador to US Says a Lot of Work Needs to Be Done Concerning Bilateral Relations"
    )
    assert article.lang == "en" and article.lang_confidence > 0.9
    assert article.source == str(SPUTNIK)
    for chrome in ("World", "Discuss"):
        assert chrome in article.removed_lines
        assert chrome not in article.body.split("\n\n")
    assert not article.body.startswith("World") and not article.body.rstrip().endswith("Discuss")
    assert "The only such instance of Moscow recalling its ambassador in the US took place in 1998" in article.body
    assert "in 1934 and in 1980." in article.body
    assert "journalist Jamal Khashoggi" in article.body
    assert article.body.startswith("The Russian Ministry of Foreign Affairs said on Wednesday")
    assert article.body.endswith("bounties on US troops in Afghanistan.")


def test_headline_alone_is_the_title_when_a_paragraph_follows() -> None:
    article = article_from_text("Putin recalls envoy\n\nThe ambassador flew to Moscow on Saturday for talks.")
    assert article.title == "Putin recalls envoy"


def test_byline_under_headline_is_not_part_of_the_title() -> None:
    text = "Putin recalls envoy\n\nBy Jane Doe\n\nThe ambassador flew to Moscow on Saturday for talks with officials."
    assert article_from_text(text).title == "Putin recalls envoy"


def test_arabic_daily_seed_is_cleaned() -> None:
    article = _only(ARABIC_DAILY)
    # Kicker and headline, the page's first two headline-like lines, are the title together.
    headline = "Russia's ambassador to America returns to Moscow"
    assert article.title == f'After Biden described Putin as a "killer": {headline}'
    assert article.body.startswith("The TASS news agency reported that Russia's ambassador")
    assert article.lang == "en"
    google = (
        "Follow our latest local and sports news, and the latest political and economic developments via Google news"
    )
    for chrome in ("Archives", "Russian Ambassador Anatoly Antonov.", google):
        assert chrome in article.removed_lines
        assert chrome not in article.body
        assert chrome not in article.title
    # The bullet highlight repeats the second paragraph, so it is dropped as chrome.
    assert "• The Russian Foreign Ministry summoned Ambassador Antonov for urgent talks." in article.removed_lines
    assert 'The official "First Channel" television network reported that Antonov told reporters' in article.body
    assert "The TASS news agency reported" in article.body
    assert article.body.endswith("in which he attacked Putin.")


def test_seeds_glued_without_newline_are_split_and_cleaned() -> None:
    """The Arabic daily's file has no trailing newline: concatenated, it glues
    "...via Google news" to Sputnik's "World"."""
    glued = ARABIC_DAILY.read_text(encoding="utf-8") + SPUTNIK.read_text(encoding="utf-8")
    assert "Google newsWorld" in glued
    article = article_from_text(glued)
    assert "World" in article.removed_lines
    assert any(line.endswith("via Google news") for line in article.removed_lines)
    assert "Google news" not in article.body and "newsWorld" not in article.body
    assert "Discuss" in article.removed_lines
    assert "Russian Ambassador to US Says a Lot of Work Needs to Be Done" in article.body


# -- chrome of other sites ----------------------------------------------------------------

CHROME_CASES = {
    "bbc-like": (
        """Russia recalls US envoy after Biden 'killer' remark

Share

Related Topics
Russia
United States

Russia has recalled its ambassador to the United States for consultations after President Joe Biden said he \
thought Vladimir Putin was a "killer".

IMAGE SOURCE, Getty Images
Image caption, Anatoly Antonov has been Russia's ambassador in Washington since 2017

The Russian foreign ministry said Anatoly Antonov had been invited to Moscow to analyse what needed to be done.

Asked whether he thought the Russian leader was a killer, Mr Biden replied: "Mmm hmm, I do."

Yes.

More on this story
Biden says Putin will 'pay a price' for election meddling
Putin wishes Biden 'good health' after killer jibe
""",
        "Russia recalls US envoy after Biden 'killer' remark",
        [
            "Share",
            "Related Topics",
            "IMAGE SOURCE, Getty Images",
            "More on this story",
            "Putin wishes Biden 'good health' after killer jibe",
        ],
        ["Russia has recalled its ambassador", 'Mr Biden replied: "Mmm hmm, I do."', "Yes."],
    ),
    "german": (
        """Politik

Russischer Botschafter fliegt zu Beratungen nach Moskau

Von Anna Keller
21.03.2021, 09:15 Uhr

Der russische Botschafter in den USA, Anatoli Antonow, ist zu Beratungen nach Moskau geflogen. Er wolle so lange \
bleiben wie nötig, sagte er am Flughafen.

Lesen Sie auch:
Biden nennt Putin einen Mörder

Anzeige

Zuletzt hatte Moskau seinen Botschafter in Washington im Jahr 1998 zurückgerufen, aus Protest gegen die \
Bombardierung des Irak.

Folgen Sie uns auf Twitter und Facebook
""",
        "Russischer Botschafter fliegt zu Beratungen nach Moskau",
        [
            "Politik",
            "Von Anna Keller",
            "21.03.2021, 09:15 Uhr",
            "Lesen Sie auch:",
            "Biden nennt Putin einen Mörder",
            "Anzeige",
            "Folgen Sie uns auf Twitter und Facebook",
        ],
        ["Der russische Botschafter in den USA", "im Jahr 1998 zurückgerufen"],
    ),
    "russian": (
        """Политика

Посол России в США вернулся в Москву для консультаций

Фото: РИА Новости

Посол России в США Анатолий Антонов прилетел в Москву для консультаций. По его словам, он пробудет в России \
столько, сколько потребуется.

Читайте также: Байден назвал Путина убийцей

Ранее в МИД России заявили, что посол вызван для анализа того, что нужно сделать для выправления отношений.

Подписывайтесь на наш канал в Telegram

Поделиться
""",
        "Посол России в США вернулся в Москву для консультаций",
        [
            "Политика",
            "Фото: РИА Новости",
            "Читайте также: Байден назвал Путина убийцей",
            "Подписывайтесь на наш канал в Telegram",
            "Поделиться",
        ],
        ["Анатолий Антонов прилетел в Москву", "Ранее в МИД России заявили"],
    ),
    "arabic": (
        """أخبار العالم

السفير الروسي في واشنطن يعود إلى موسكو للتشاور

عاد السفير الروسي لدى الولايات المتحدة أناتولي أنطونوف إلى موسكو لإجراء مشاورات، بعد أن وصف الرئيس الأمريكي \
جو بايدن نظيره الروسي فلاديمير بوتين بأنه قاتل.

اقرأ أيضا: الكرملين يرد على تصريحات بايدن

وقالت وزارة الخارجية الروسية إن السفير استدعي لتحليل ما يجب القيام به من أجل تصحيح العلاقات بين البلدين.

تابعونا على تويتر

جميع الحقوق محفوظة © 2021
""",
        "السفير الروسي في واشنطن يعود إلى موسكو للتشاور",
        ["أخبار العالم", "اقرأ أيضا: الكرملين يرد على تصريحات بايدن", "تابعونا على تويتر", "جميع الحقوق محفوظة © 2021"],
        ["عاد السفير الروسي", "وقالت وزارة الخارجية الروسية"],
    ),
    "spanish": (
        """Internacional

El embajador ruso en EE.UU. regresa a Moscú para consultas

Por Redacción
21 de marzo de 2021

El embajador de Rusia en Estados Unidos, Anatoli Antónov, regresó el sábado a Moscú para mantener consultas, tras \
las declaraciones del presidente Joe Biden.

Publicidad

Moscú no retiraba a su embajador en Washington desde 1998, cuando protestó por los bombardeos contra Irak.

Síguenos en Twitter y Facebook

Noticias relacionadas
Putin desea buena salud a Biden
""",
        "El embajador ruso en EE.UU. regresa a Moscú para consultas",
        [
            "Internacional",
            "Por Redacción",
            "21 de marzo de 2021",
            "Publicidad",
            "Síguenos en Twitter y Facebook",
            "Noticias relacionadas",
            "Putin desea buena salud a Biden",
        ],
        ["regresó el sábado a Moscú", "desde 1998"],
    ),
    "advertisement-in-middle": (
        """Russia recalls ambassador from Washington
By Jane Doe
Updated 20 March 2021, 14:05 GMT
MOSCOW, March 20 (Reuters) -
Russia's ambassador to the United States flew home on Saturday for talks on relations with Washington, which \
have sunk to a new low.
Advertisement
The ambassador said a lot of work needed to be done to repair the relationship between the two countries.
Advertisement spending by Russian state media in the United States has also come under scrutiny this year.
Comments (12)
Share this article
""",
        "Russia recalls ambassador from Washington",
        ["By Jane Doe", "Updated 20 March 2021, 14:05 GMT", "Advertisement", "Comments (12)", "Share this article"],
        [
            "MOSCOW, March 20 (Reuters) -",
            "flew home on Saturday",
            "Advertisement spending by Russian state media",
        ],
    ),
    "french": (
        """Monde
L'ambassadeur russe aux États-Unis rappelé à Moscou
L'ambassadeur de Russie aux États-Unis, Anatoli Antonov, est rentré samedi à Moscou pour des consultations.
À lire aussi : Biden promet que Poutine « paiera le prix »
Le Kremlin a dénoncé des propos « très mauvais », estimant que Washington ne voulait pas améliorer les relations.
Suivez-nous sur Facebook et Twitter
Tous droits réservés
""",
        "L'ambassadeur russe aux États-Unis rappelé à Moscou",
        ["Monde", "À lire aussi : Biden promet que Poutine « paiera le prix »", "Suivez-nous sur Facebook et Twitter"],
        ["est rentré samedi à Moscou", "Le Kremlin a dénoncé"],
    ),
    "chinese": (
        """国际
俄罗斯驻美大使返回莫斯科磋商
俄罗斯驻美国大使安东诺夫周六返回莫斯科进行磋商，此前美国总统拜登在接受采访时称普京是“杀手”。克里姆林宫表示，这些言论非常糟糕。
相关阅读：普京祝拜登身体健康
分享
""",
        "俄罗斯驻美大使返回莫斯科磋商",
        ["国际", "相关阅读：普京祝拜登身体健康", "分享"],
        ["俄罗斯驻美国大使安东诺夫周六返回莫斯科进行磋商"],
    ),
}


@pytest.mark.parametrize(("text", "title", "chrome", "content"), CHROME_CASES.values(), ids=CHROME_CASES.keys())
def test_chrome_of_other_sites_is_removed_and_content_kept(
    text: str, title: str, chrome: list[str], content: list[str]
) -> None:
    article = article_from_text(text)
    assert article.title == title
    paragraphs = article.body.split("\n\n")
    for line in chrome:
        assert line in article.removed_lines
        assert line not in paragraphs
    for snippet in content:
        assert snippet in article.body


def test_strip_chrome_keeps_sentences_and_datelines() -> None:
    lines = [
        "World",
        "WASHINGTON (AP) —",
        "The ambassador left for Moscow on Saturday, the embassy said in a statement on its website.",
        "No.",
        "That was the whole of the Kremlin's answer to questions about a possible meeting this month.",
        "Discuss",
    ]
    kept, removed = strip_chrome(lines)
    assert kept == lines[1:5]
    assert removed == ["World", "Discuss"]


def test_short_headline_survives_as_title() -> None:
    article = article_from_text(
        "World\n\nPutin recalls envoy\n\nThe Russian foreign ministry said on Wednesday that the ambassador "
        "had been invited to Moscow for consultations."
    )
    assert article.title == "Putin recalls envoy"
    assert article.removed_lines == ["World"]


def test_text_without_headline_has_no_title() -> None:
    text = (
        "Russia's ambassador to the United States flew home on Saturday for consultations. He said a lot of work "
        "needed to be done to repair relations between the two countries."
    )
    article = article_from_text(text, source="snippet", outlet="Wire", published="2021-03-20")
    assert article.title == ""
    assert article.body == text
    assert (article.source, article.outlet, article.published) == ("snippet", "Wire", date(2021, 3, 20))


# -- HTML -----------------------------------------------------------------------------------


def test_html_page_metadata_and_main_text() -> None:
    article = _only(FIXTURES / "meridian-post-antonov.html")
    assert article.title == "Russia's envoy to Washington flies home for consultations"
    assert article.outlet == "The Meridian Post"
    assert article.published == date(2021, 3, 20)
    assert article.url == "https://www.meridianpost.example/world/2021/03/20/russia-envoy-flies-home"
    assert article.lang == "en"
    assert article.body.startswith("NEW YORK, March 20 (Meridian) - Russia's ambassador")
    assert "The last time Moscow recalled its ambassador from Washington was in 1998" in article.body
    for chrome in ("Home", "Politics", "Subscribe", "Tweet", "Advertisement", "All rights reserved", "More on this"):
        assert chrome not in article.body
    assert article.title not in article.body  # the repeated <h1> is not kept twice


def test_html_chrome_inside_the_article_is_removed() -> None:
    article = _only(FIXTURES / "rheinblick-de-botschafter.html")
    assert article.title == "Russischer Botschafter reist zu Beratungen nach Moskau"
    assert (article.outlet, article.published, article.lang) == ("Rheinblick", date(2021, 3, 21), "de")
    assert article.url == "https://www.rheinblick.example/politik/ausland/botschafter-moskau-100.html"
    for chrome in ("Lesen Sie auch:", "Biden nennt Putin einen Mörder", "Anzeige", "Teilen Drucken Kommentare"):
        assert chrome in article.removed_lines
    assert "Startseite" not in article.body and "Impressum" not in article.body
    assert "Zuletzt hatte Moskau seinen Botschafter in Washington im Jahr 1998 zurückgerufen" in article.body


def test_html_is_sniffed_without_extension(tmp_path: Path) -> None:
    page = tmp_path / "page"
    page.write_bytes((FIXTURES / "meridian-post-antonov.html").read_bytes())
    assert _only(page).outlet == "The Meridian Post"


def test_html_in_legacy_encoding(tmp_path: Path) -> None:
    paragraph = (
        "Посол России в США Анатолий Антонов прилетел в Москву для консультаций. По его словам, он пробудет "
        "в России столько, сколько потребуется, и проведёт встречи в нескольких ведомствах."
    )
    html = (
        '<html><head><meta charset="windows-1251"><title>Посол вернулся в Москву</title></head>'
        f"<body><article><h1>Посол вернулся в Москву</h1><p>{paragraph}</p></article></body></html>"
    )
    page = tmp_path / "posol.html"
    page.write_bytes(html.encode("cp1251"))
    article = _only(page)
    assert article.title == "Посол вернулся в Москву"
    assert paragraph in article.body
    assert article.lang == "ru"


# -- JSON and JSON Lines -------------------------------------------------------------------


def test_jsonl_records() -> None:
    path = FIXTURES / "articles.jsonl"
    english, russian, turkish = read_articles(path)
    assert [a.source for a in (english, russian, turkish)] == [f"{path}:1", f"{path}:3", f"{path}:4"]

    assert english.input_id == "mp-001"  # the feed's own id is metadata ...
    assert english.id == Article(english.title, english.body).id  # ... identity is the text
    assert english.outlet == "The Meridian Post"
    assert english.published == date(2021, 3, 20)
    assert english.removed_lines == ["Advertisement", "Follow us on Twitter and Facebook"]
    assert english.lang == "en"

    assert russian.body.endswith("сколько потребуется.")  # from "body"
    assert russian.outlet == "Вести Севера"  # from "source": {"name": ...}
    assert russian.published == date(2021, 3, 21)  # "21 марта 2021", via dateparser
    assert (russian.lang, russian.lang_confidence) == ("ru", 1.0)  # stated, not detected
    assert russian.removed_lines == ["Подписывайтесь на наш канал в Telegram"]

    assert turkish.title == "İstanbul'da günlük vaka sayısı arttı"  # mojibake repaired
    assert turkish.body.startswith("İstanbul'da günlük vaka sayısı yeniden arttı. Sağlık Bakanlığı'nın")
    assert (turkish.outlet, turkish.published, turkish.lang) == ("Bosphorus Daily", date(2021, 3, 22), "tr")


def test_json_single_object_with_alias_fields() -> None:
    path = FIXTURES / "article.json"
    article = _only(path)
    assert article.source == str(path)
    assert article.input_id == "42"
    assert article.title == "El embajador ruso en EE.UU. regresa a Moscú para consultas"
    assert article.outlet == "Diario Atlántico"
    assert article.url == "https://www.diarioatlantico.example/internacional/embajador-ruso-moscu"
    assert article.published == date(2021, 3, 21)
    assert article.lang == "es"
    assert article.removed_lines == ["Internacional", "Publicidad", "Síguenos en Twitter y Facebook"]
    assert "desde 1998" in article.body


def test_json_array_and_jsonl_named_json(tmp_path: Path) -> None:
    records = [
        {"title": "Putin wishes Biden good health", "text": "Putin said he wished Biden good health, without irony."},
        {"title": "Kremlin calls remarks very bad", "text": "Dmitry Peskov said the remarks were very bad."},
    ]
    array = tmp_path / "array.json"
    array.write_text(json.dumps(records), encoding="utf-8")
    assert [a.source for a in read_articles(array)] == [f"{array}[0]", f"{array}[1]"]
    lines = tmp_path / "lines.json"
    lines.write_text("\n".join(json.dumps(r) for r in records), encoding="utf-8")
    assert [a.title for a in read_articles(lines)] == [r["title"] for r in records]


# -- encodings and mojibake ----------------------------------------------------------------

ARABIC_NEWS = (
    "السفير الروسي يعود إلى موسكو\n\n"
    "أعلنت وزارة الخارجية الروسية أن السفير الروسي لدى الولايات المتحدة أناتولي أنطونوف سيعود إلى موسكو لإجراء "
    "مشاورات. وقال الرئيس الأمريكي جو بايدن إنه يعتقد أن بوتين قاتل، وأنه سيدفع الثمن. وردّ الكرملين بأن هذه "
    "التصريحات سيئة للغاية."
)
RUSSIAN_NEWS = (
    "Посол России вернулся в Москву\n\n"
    "Посол России в США Анатолий Антонов вылетел в Москву для консультаций. Ранее президент США Джо Байден назвал "
    'Владимира Путина "убийцей". В Кремле заявили, что такие высказывания недопустимы и отношения между странами '
    "находятся в тяжёлом состоянии."
)


@pytest.mark.parametrize(
    ("text", "encoding", "lang"),
    [
        (ARABIC_NEWS, "cp1256", "ar"),
        (RUSSIAN_NEWS, "koi8-r", "ru"),
        (RUSSIAN_NEWS, "cp1251", "ru"),
        (RUSSIAN_NEWS, "utf-16", "ru"),  # with its byte-order mark
        (ARABIC_NEWS, "utf-8-sig", "ar"),
    ],
)
def test_legacy_encodings_are_detected(tmp_path: Path, text: str, encoding: str, lang: str) -> None:
    path = tmp_path / "news.txt"
    path.write_bytes(text.encode(encoding))
    article = _only(path)
    title, body = text.split("\n\n")
    assert (article.title, article.body) == (title, body)
    assert article.lang == lang


def test_mojibake_is_repaired(tmp_path: Path) -> None:
    path = tmp_path / "tr.txt"
    path.write_text(
        "Ä°stanbul'da gÃ¼nlÃ¼k vaka sayÄ±sÄ± arttÄ±\n\nÄ°stanbul'da gÃ¼nlÃ¼k vaka sayÄ±sÄ± yeniden arttÄ±. "
        "SaÄŸlÄ±k BakanlÄ±ÄŸÄ± verileri aÃ§Ä±kladÄ±.",
        encoding="utf-8",
    )
    article = _only(path)
    assert article.title == "İstanbul'da günlük vaka sayısı arttı"
    assert article.body == "İstanbul'da günlük vaka sayısı yeniden arttı. Sağlık Bakanlığı verileri açıkladı."
    assert article.lang == "tr"


# -- bad input -------------------------------------------------------------------------------


def _error(path: Path, **kwargs: int) -> InputError:
    with pytest.raises(InputError) as caught:
        read_articles(path, **kwargs)
    return caught.value


def _assert_reason(error: InputError, source: Path | str, *words: str) -> None:
    assert error.source == str(source)
    assert str(error).startswith(f"{source}: ")
    for word in words:
        assert word in error.reason


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "nope.txt"
    _assert_reason(_error(path), path, "no such file")


@pytest.mark.parametrize(("content", "reason"), [(b"", "empty file (0 bytes)"), (b" \n\t\r\n  ", "whitespace only")])
def test_empty_files(tmp_path: Path, content: bytes, reason: str) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(content)
    _assert_reason(_error(path), path, reason)


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00", "PNG image"),
        (gzip.compress(b"Russia recalls its ambassador." * 20), "gzip"),
        (b"Russia recalls\x00its ambassador\x00" * 10, "NUL bytes"),
        (b"\x01\x02\x03\x04\x05\x06 text \x07\x08\x0e\x0f" * 20, "control characters"),
    ],
    ids=["png", "gzip", "nul", "controls"],
)
def test_binary_files(tmp_path: Path, content: bytes, reason: str) -> None:
    path = tmp_path / "article.txt"
    path.write_bytes(content)
    _assert_reason(_error(path), path, "binary file", reason)


def test_undecodable_bytes(tmp_path: Path) -> None:
    path = tmp_path / "article.txt"
    path.write_bytes(bytes(range(0x80, 0x100)) * 8)
    _assert_reason(_error(path), path, "undecodable")


def test_too_large_is_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as handle:
        handle.write(b"Russia recalls its ambassador.\n")
        handle.truncate(50_000_000)  # sparse: NUL bytes, so only a stat-first check says "too large"
    _assert_reason(_error(path), path, "too large", "50.0 MB", "20.0 MB")
    small = tmp_path / "small.txt"
    small.write_text("Russia recalls its ambassador from Washington for consultations.", encoding="utf-8")
    _assert_reason(_error(small, max_bytes=10), small, "too large")


@pytest.mark.parametrize(
    "html",
    ["<html><head><title></title></head><body><div></div></body></html>", "<<<>>> </> <!-- -->"],
    ids=["empty-body", "junk"],
)
def test_malformed_html(tmp_path: Path, html: str) -> None:
    path = tmp_path / "page.html"
    path.write_text(html, encoding="utf-8")
    _assert_reason(_error(path), path, "malformed HTML")


def test_malformed_json_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "article.json"
    path.write_text('{\n  "title": "Envoy recalled",\n  "text": "He left."\n  "url": 3\n}', encoding="utf-8")
    _assert_reason(_error(path), path, "malformed JSON at line 4")


def test_malformed_jsonl_line(tmp_path: Path) -> None:
    path = tmp_path / "articles.jsonl"
    good = json.dumps({"title": "Envoy recalled", "text": "Russia recalled its ambassador to Washington."})
    path.write_text(f'{good}\n{{"title": "broken", "text": \n{good}\n', encoding="utf-8")
    _assert_reason(_error(path), f"{path}:2", "malformed JSON")


@pytest.mark.parametrize(
    ("record", "reason"),
    [
        ({"url": "https://example.com/a", "date": "2021-03-20"}, "neither 'title' nor 'text'"),
        ({"title": "", "text": "   "}, "neither 'title' nor 'text'"),
        ({"title": "Envoy", "text": 42}, "field 'text' must be a string"),
    ],
)
def test_json_record_without_text(tmp_path: Path, record: dict[str, object], reason: str) -> None:
    path = tmp_path / "articles.jsonl"
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    _assert_reason(_error(path), f"{path}:1", reason)


def test_json_that_is_not_an_object(tmp_path: Path) -> None:
    path = tmp_path / "article.json"
    path.write_text("[1, 2]", encoding="utf-8")
    _assert_reason(_error(path), f"{path}[0]", "expected a JSON object")


# -- folders ---------------------------------------------------------------------------------


def _folder(tmp_path: Path) -> Path:
    root = tmp_path / "news"
    (root / "b-sub").mkdir(parents=True)
    (root / ".cache").mkdir()
    (root / "a.txt").write_text(SPUTNIK.read_text(encoding="utf-8"), encoding="utf-8")
    (root / "b-sub" / "c.json").write_text(json.dumps({"title": "Envoy recalled", "text": "He left."}), "utf-8")
    (root / "b-sub" / "notes.csv").write_text("not,an,article\n", encoding="utf-8")
    (root / ".hidden.txt").write_text("hidden", encoding="utf-8")
    (root / "README.md").write_text("# News folder\n\nArticles for the tests.\n", encoding="utf-8")
    (root / ".cache" / "x.txt").write_text("hidden too", encoding="utf-8")
    return root


def test_folder_is_read_recursively_sorted_without_hidden_files_or_readme(tmp_path: Path) -> None:
    root = _folder(tmp_path)
    sources = [article.source for article in read_articles(root)]
    assert sources == [str(root / "a.txt"), str(root / "b-sub" / "c.json")]


def test_bad_file_in_folder_is_named(tmp_path: Path) -> None:
    root = _folder(tmp_path)
    bad = root / "b-sub" / "broken.jsonl"
    bad.write_text('{"title": \n', encoding="utf-8")
    _assert_reason(_error(root), f"{bad}:1", "malformed JSON")
    skipped: list[InputError] = []
    articles = list(iter_articles(root, on_error=skipped.append))
    assert len(articles) == 2
    assert [error.source for error in skipped] == [f"{bad}:1"]


def test_page_of_only_chrome(tmp_path: Path) -> None:
    path = tmp_path / "chrome.txt"
    path.write_text("World\n\nShare\n\nSubscribe to our newsletter\n\nDiscuss\n", encoding="utf-8")
    _assert_reason(_error(path), path, "no article text")


def test_markdown_heading_is_the_title(tmp_path: Path) -> None:
    path = tmp_path / "note.md"
    path.write_text(
        "# Putin wishes Biden good health\n\nVladimir Putin responded to Joe Biden's remarks by wishing him good "
        "health, and offered to hold a live discussion online.\n",
        encoding="utf-8",
    )
    article = _only(path)
    assert article.title == "Putin wishes Biden good health"
    assert article.body.startswith("Vladimir Putin responded")


def test_folder_without_articles(tmp_path: Path) -> None:
    (tmp_path / "notes.csv").write_text("a,b\n", encoding="utf-8")
    _assert_reason(_error(tmp_path), tmp_path, "no article files")


# -- issue 7: decoding that does not guess wrong in silence ----------------------------------

SPANISH_NEWS = (
    "España cuenta sus muertos tras la DANA en Valencia\n\n"
    "Las inundaciones en la Comunitat Valenciana dejaron más de doscientos fallecidos, según el Gobierno de España. "
    "El alcalde de Paiporta pidió ayuda urgente — «no tenemos agua ni luz», dijo — mientras los vecinos limpiaban "
    "el barro de las calles. Pedro Sánchez anunció un paquete de ayudas para los municipios afectados."
)


@pytest.fixture
def warnings(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The warning lines ingest emits (instead of printing them)."""
    import storylens.errors

    lines: list[str] = []
    monkeypatch.setattr(storylens.errors, "warning_handler", lines.append)
    return lines


def test_utf8_with_a_stray_invalid_byte_stays_utf8(tmp_path: Path, warnings: list[str]) -> None:
    data = SPANISH_NEWS.encode("utf-8")
    cut = data.index(b"pidi")
    path = tmp_path / "valencia.txt"
    path.write_bytes(data[:cut] + b"\xff" + data[cut:])  # one byte no UTF-8 has
    article = _only(path)
    title, body = SPANISH_NEWS.split("\n\n")
    assert article.title == title  # "España", not a legacy code page's "Espa√±a"
    assert article.body.replace("\ufffd", "") == body and article.body.count("\ufffd") == 1
    assert article.lang == "es"
    assert len(warnings) == 1 and warnings[0].startswith(f"storylens: warning: {path}: not valid UTF-8")


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
@pytest.mark.parametrize(("text", "lang"), [(ARABIC_NEWS, "ar"), (RUSSIAN_NEWS, "ru")], ids=["ar", "ru"])
def test_utf16_without_bom_is_detected(tmp_path: Path, text: str, lang: str, encoding: str) -> None:
    path = tmp_path / "news.txt"
    path.write_bytes(text.encode(encoding))  # the -le/-be codecs write no byte-order mark
    assert not path.read_bytes().startswith((b"\xff\xfe", b"\xfe\xff"))
    article = _only(path)
    assert (article.title, article.body) == tuple(text.split("\n\n"))
    assert article.lang == lang


# -- issue 7: declared metadata is validated, not trusted blindly ------------------------------

ENGLISH_BODY = (
    "The storm hit the coast on Monday night and thousands of people lost power across the region, officials said. "
    "Rescue teams reached the flooded villages by boat on Tuesday morning."
)


def _record(tmp_path: Path, **fields: object) -> Article:
    path = tmp_path / "record.json"
    path.write_text(json.dumps({"title": "Storm hits the coast", "text": ENGLISH_BODY, **fields}), encoding="utf-8")
    return _only(path)


@pytest.mark.parametrize("lang", [5, "xx", "", ["en"], "english"], ids=["number", "unknown", "empty", "list", "name"])
def test_invalid_declared_lang_falls_back_to_detection(tmp_path: Path, warnings: list[str], lang: object) -> None:
    article = _record(tmp_path, lang=lang)
    assert article.lang == "en" and article.lang_confidence < 1.0  # detected, so not "stated: 1.00"
    if lang != "":  # an empty field is no statement at all
        assert len(warnings) == 1 and "field 'lang'" in warnings[0], warnings


def test_declared_lang_that_contradicts_the_text_is_overridden(tmp_path: Path, warnings: list[str]) -> None:
    article = _record(tmp_path, lang="ru")
    assert article.lang == "en"
    assert 0.95 <= article.lang_confidence < 1.0  # detection's probability, not the declaration's 1.00
    assert len(warnings) == 1 and "declared lang 'ru' contradicts the text" in warnings[0]


@pytest.mark.parametrize(("lang", "expected"), [("en", "en"), ("en-US", "en"), ("EN_gb", "en"), ("eng", "en")])
def test_valid_declared_lang_is_kept(tmp_path: Path, warnings: list[str], lang: str, expected: str) -> None:
    article = _record(tmp_path, lang=lang)
    assert (article.lang, article.lang_confidence) == (expected, 1.0)
    assert warnings == []


def test_input_id_is_metadata_and_must_be_scalar(tmp_path: Path, warnings: list[str]) -> None:
    assert _record(tmp_path, id=7).input_id == "7"
    assert warnings == []
    article = _record(tmp_path, id={"a": 1})
    assert article.input_id is None  # not the string "{'a': 1}"
    assert article.id == Article(article.title, article.body).id
    assert len(warnings) == 1 and "field 'id'" in warnings[0] and "dict" in warnings[0]


@pytest.mark.parametrize("value", ["2024-13-45", float("nan"), True, "not a date at all"], ids=str)
def test_invalid_date_is_dropped_with_a_warning(tmp_path: Path, warnings: list[str], value: object) -> None:
    path = tmp_path / "record.json"
    text = json.dumps({"title": "Storm hits the coast", "text": ENGLISH_BODY, "date": value})  # NaN as JSON's NaN
    path.write_text(text, encoding="utf-8")
    assert _only(path).published is None
    assert len(warnings) == 1 and "field 'published' is not a date" in warnings[0], warnings
    assert warnings[0].startswith(f"storylens: warning: {path}: ")


def test_valid_dates_give_no_warning(tmp_path: Path, warnings: list[str]) -> None:
    assert _record(tmp_path, date="2024-02-29").published == date(2024, 2, 29)
    assert _record(tmp_path, published="20 March 2021").published == date(2021, 3, 20)
    assert warnings == []


# -- issue 7: photo captions and credits ------------------------------------------------------


def test_photo_caption_does_not_become_the_title() -> None:
    text = (
        "Rescuers search the rubble in Lima after the quake (Photo : AFP)\n\n"
        "Strong earthquake shakes central Peru\n\n"
        "A magnitude 7.2 earthquake struck central Peru on Sunday, killing at least ten people and damaging "
        "hundreds of homes, the civil defence agency said.\n\n"
        "The quake was felt in Lima, where buildings swayed for almost a minute. (Photo: Reuters/Jane Doe)"
    )
    article = article_from_text(text)
    assert article.title == "Strong earthquake shakes central Peru"
    assert "Photo" not in article.title and "Photo" not in article.body
    assert article.body.endswith("buildings swayed for almost a minute.")
    assert "(Photo : AFP)" in article.removed_lines
    assert "Rescuers search the rubble in Lima after the quake" in article.removed_lines


@pytest.mark.parametrize(
    "credit",
    ["(Photo : AFP)", "(AP Photo/Rich Pedroncelli)", "(Foto: dpa)", "[Image: Getty]", "(Photo by X/Getty Images)"],
)
def test_photo_credit_is_cut_from_a_line(credit: str) -> None:
    article = article_from_text(f"Quake shakes Peru\n\n{ENGLISH_BODY} {credit} More rescue teams arrived.")
    assert credit not in article.body and credit in article.removed_lines
    assert "Rescue teams reached the flooded villages by boat on Tuesday morning. More rescue" in article.body


def test_arabic_archive_caption_and_dateline_stay_out_of_the_title() -> None:
    """The shipped Arabic retelling: headline, a photo caption ending in "(archive - Reuters)",
    then the paper's dateline "Moscow - Washington: «Al-Sharq News»". The title is the
    headline alone; the caption is chrome; the dateline opens the body."""
    article = read_articles(EXAMPLES / "multilingual" / "a-ar-antonov.txt")[0]
    assert article.title == "السفير الروسي يغادر واشنطن للتشاور في موسكو بعد وصف بايدن لبوتين بـ«القاتل»"
    assert "(أرشيفية - رويترز)" in article.removed_lines
    assert article.body.startswith("موسكو - واشنطن: «الشرق الإخبارية»\n\nغادر السفير الروسي")


def test_wire_datelines_and_ordinary_brackets_stay() -> None:
    body = "WASHINGTON (AP) — The storm hit the coast (photos show the damage) and people lost power, officials said."
    article = article_from_text(f"Storm hits the coast\n\n{body}")
    assert article.body == body


def test_photo_credit_is_cut_from_a_declared_title(tmp_path: Path) -> None:
    article = _record(tmp_path, title="Quake shakes central Peru (Photo : AFP)")
    assert article.title == "Quake shakes central Peru"
    assert "(Photo : AFP)" in article.removed_lines
