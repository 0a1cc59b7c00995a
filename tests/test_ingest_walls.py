"""Access walls: the cookie, ad-block, robot-check, "enable JavaScript" and paywall notices a
scraper gets instead of (or around) the article. Their phrasing follows pages of the SemEval-2022
Task 8 training data; the articles *about* cookies, ad blockers, robots and IP addresses that must
survive are written like wire copy."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from storylens.cli import app
from storylens.errors import InputError
from storylens.ingest import (
    article_from_record,
    article_from_text,
    iter_articles,
    read_articles,
    stream_articles,
    strip_chrome,
)
from storylens.ingest.chrome import WALL_KINDS, wall_kind
from storylens.ingest.text import clean_lines, wall_page

COOKIE, ADBLOCK, BLOCK, ENABLE, PAYWALL = KINDS = (
    "cookie/consent notice",
    "ad-block notice",
    "IP block / robot check",
    "enable-JavaScript/cookies notice",
    "paywall notice",
)

# One notice per line, as scraped; each is a wall on its own.
WALLS: dict[str, tuple[str, str]] = {
    "cookie-en": (
        COOKIE,
        "We use cookies to give you the best experience on our website. By continuing to browse, you agree to our "
        "use of cookies.",
    ),
    "cookie-de": (
        COOKIE,
        "Wir setzen auf unserer Website Cookies und andere Technologien ein, um Ihnen den vollen Funktionsumfang "
        "unseres Angebotes anzubieten. Durch die weitere Nutzung unserer Website erklären Sie sich mit dem Einsatz "
        "von Cookies einverstanden.",
    ),
    "cookie-de-glued": (
        COOKIE,
        "Cookie-InformationenDieses Seite verwendet Cookies",
    ),
    "cookie-pl": (
        COOKIE,
        "Klikając przycisk „Zaakceptuj i zamknij”, wyrażasz zgodę na przetwarzanie danych i używanie plików cookie "
        "przez nas i naszych partnerów.",
    ),
    "cookie-fr": (
        COOKIE,
        "Ce site utilise des cookies pour améliorer votre expérience. En poursuivant votre navigation, vous acceptez "
        "l'utilisation de cookies.",
    ),
    "cookie-es": (
        COOKIE,
        "Utilizamos cookies propias y de terceros para mejorar su experiencia. Si continúa navegando, acepta su uso.",
    ),
    "cookie-it": (
        COOKIE,
        "Questo sito utilizza cookie tecnici e di terze parti. Proseguendo la navigazione accetti l'uso dei cookie.",
    ),
    "cookie-ru": (
        COOKIE,
        "Мы используем файлы cookie, чтобы сайт работал лучше. Продолжая пользоваться сайтом, вы соглашаетесь с их "
        "использованием.",
    ),
    "cookie-tr": (
        COOKIE,
        "Sizlere daha iyi bir hizmet sunabilmek için sitemizde çerezlerden faydalanıyoruz. Sitemizi kullanmaya devam "
        "ederek çerezleri kullanmamıza izin vermiş oluyorsunuz.",
    ),
    "cookie-ar": (
        COOKIE,
        "يستخدم هذا الموقع ملفات تعريف الارتباط لتحسين تجربتك. باستمرارك في استخدام الموقع فإنك توافق على ذلك.",
    ),
    "adblock-en": (ADBLOCK, "We noticed you're blocking ads!"),
    "adblock-en-support": (
        ADBLOCK,
        "Keep supporting great journalism by turning off your ad blocker. Or purchase a subscription for unlimited "
        "access to real news you can count on.",
    ),
    "adblock-de": (
        ADBLOCK,
        "Sie verwenden einen Adblocker. Bitte deaktivieren Sie Ihren Werbeblocker oder fügen Sie unsere Seite als "
        "Ausnahme hinzu.",
    ),
    "adblock-pl": (ADBLOCK, "Aby czytać nasze artykuły wyłącz AdBlocka/uBlocka lub dodaj wyjątek dla naszej domeny."),
    "adblock-pl-question": (ADBLOCK, "Czy wiesz, że korzystasz z adblocka?"),
    "adblock-fr": (
        ADBLOCK,
        "Vous utilisez un bloqueur de publicité. Pour nous soutenir, désactivez-le sur notre site.",
    ),
    "adblock-es": (
        ADBLOCK,
        "Parece que estás usando un bloqueador de anuncios. Por favor, desactívalo para seguir leyendo.",
    ),
    "adblock-it": (ADBLOCK, "Stai usando un blocco degli annunci: disattivalo per continuare a leggere."),
    "adblock-ru": (
        ADBLOCK,
        "Похоже, вы используете блокировщик рекламы. Пожалуйста, отключите его, чтобы поддержать нас.",
    ),
    "adblock-tr": (
        ADBLOCK,
        "Reklam engelleyici kullandığınızı fark ettik. Lütfen sitemiz için reklam engelleyicinizi kapatın.",
    ),
    "adblock-ar": (ADBLOCK, "يبدو أنك تستخدم مانع الإعلانات. يرجى تعطيله لدعمنا."),
    "block-en": (
        BLOCK,
        "Sorry, we have detected unusual traffic from your computer network. Please confirm that you are not a robot.",
    ),
    "block-en-ip": (
        BLOCK,
        "We are sorry, but we recorded a huge amount of connections from the IP address you are connecting from.",
    ),
    "block-en-checkbox": (BLOCK, "I'm not a robot"),
    "block-pl": (
        BLOCK,
        "Przykro nam, ale z adresu IP z którego się łączysz odnotowaliśmy ogromną ilość połączeń.",
    ),
    "block-pl-robot": (BLOCK, 'Jeśli chcesz połączyć się z nami zaznacz "NIE JESTEM ROBOTEM".'),
    "block-pl-address": (BLOCK, "Twój adres IP: 207.241.233.113"),
    "block-de": (BLOCK, "Zugriff verweigert. Ihre IP-Adresse wurde wegen verdächtiger Anfragen gesperrt."),
    "block-fr": (BLOCK, "Accès refusé : nous avons détecté un trafic inhabituel depuis votre adresse IP."),
    "block-es": (
        BLOCK,
        "Hemos detectado tráfico inusual desde su dirección IP. Marque la casilla «No soy un robot» para continuar.",
    ),
    "block-it": (BLOCK, "Abbiamo rilevato un traffico insolito dalla tua rete. Conferma di non essere un robot."),
    "block-ru": (BLOCK, "Доступ ограничен: с вашего IP-адреса поступило слишком много запросов."),
    "block-tr": (BLOCK, "Erişiminiz engellendi. IP adresinizden çok fazla istek geldi."),
    "block-ar": (BLOCK, "عذراً، تم حظر الوصول من عنوان IP الخاص بك بسبب طلبات مشبوهة."),
    "enable-en": (ENABLE, "Please enable Javascript to watch this video"),
    "enable-en-cookies": (ENABLE, "Please enable cookies."),
    "enable-de": (ENABLE, "Bei Problemen mit der Wiedergabe des Videos aktivieren Sie bitte JavaScript"),
    "enable-pl": (ENABLE, "Aby wyświetlić ten film, włącz obsługę JavaScript w przeglądarce."),
    "enable-fr": (ENABLE, "Veuillez activer JavaScript pour regarder cette vidéo."),
    "enable-es": (ENABLE, "Habilite JavaScript para ver los comentarios impulsados por Disqus"),
    "enable-it": (ENABLE, "Abilita Javascript per guardare questo video"),
    "enable-ru": (ENABLE, "Пожалуйста, включите JavaScript в настройках браузера."),
    "enable-tr": (ENABLE, "Bu videoyu izlemek için lütfen JavaScript'i etkinleştirin."),
    "enable-ar": (ENABLE, "يرجى تفعيل جافا سكريبت في متصفحك لمشاهدة هذا الفيديو."),
    "paywall-en": (PAYWALL, "This article is for subscribers only. Subscribe now to continue reading."),
    "paywall-de": (
        PAYWALL,
        "Dieser Inhalt ist exklusiv für unsere Plus-Abonnenten. So erhalten Sie unbegrenzten Zugriff auf alle Artikel.",
    ),
    "paywall-pl": (
        PAYWALL,
        "Ten artykuł jest dostępny tylko dla prenumeratorów. Zaloguj się lub wykup prenumeratę, aby czytać dalej.",
    ),
    "paywall-fr": (PAYWALL, "Cet article est réservé aux abonnés. Abonnez-vous pour lire la suite."),
    "paywall-es": (PAYWALL, "Este contenido es exclusivo para suscriptores. Suscríbete para seguir leyendo."),
    "paywall-it": (
        PAYWALL,
        "Questo contenuto è riservato agli abbonati: accedi o abbonati per continuare a leggere.",
    ),
    "paywall-ru": (PAYWALL, "Этот материал доступен только подписчикам. Оформите подписку, чтобы продолжить чтение."),
    "paywall-tr": (PAYWALL, "Bu içerik yalnızca abonelerimize özeldir. Okumaya devam etmek için abone olun."),
    "paywall-ar": (PAYWALL, "هذا المحتوى متاح للمشتركين فقط. اشترك الآن لمتابعة القراءة."),
}

# Articles about cookies, ad blockers, robots, IP addresses, JavaScript and subscriptions: kept whole.
ABOUT_WALLS: dict[str, str] = {
    "complimentary-spa-en": """Hotel guests complain about hidden fees

You get complimentary access to the spa, the manager told guests, but only until noon; after that it costs \
forty dollars a day, a charge several reviewers said they were never told about.""",
    "adblock-study-zh": """研究称越来越多的网民屏蔽广告

研究人员注意到,越来越多的用户屏蔽广告,广告商因此每年损失数十亿美元。报告说,新闻网站受到的打击最大。""",
    "cookie-ruling-en": """EU court rules websites need active consent for cookies

LUXEMBOURG (Reuters) - Websites must obtain users' active consent before storing cookies on their computers, \
Europe's top court ruled on Tuesday, in a case brought by a German consumer group against online lottery firm Planet49.

Pre-ticked boxes do not amount to valid consent, the Court of Justice of the European Union said, adding that users \
must be told how long cookies would operate and whether third parties could access them.

Cookies track people across websites, privacy campaigners say, and the ruling could force publishers to change the \
banners that ask readers to accept them.""",
    "cookie-ruling-de": """EuGH: Nutzer müssen Cookies aktiv zustimmen

Der Europäische Gerichtshof hat entschieden, dass Internetnutzer dem Setzen von Cookies aktiv zustimmen müssen. Ein \
vorab angekreuztes Kästchen reiche nicht aus, urteilten die Richter in Luxemburg am Dienstag.

Verbraucherschützer begrüßten das Urteil. Die Anbieter von Websites müssten nun ihre Hinweise zur Nutzung von \
Cookies überarbeiten, sagte ein Sprecher des Bundesverbands.""",
    "killer-robots-en": """UN talks on killer robots end without agreement

GENEVA (AP) — Campaigners called on Friday for a ban on killer robots, autonomous weapons that could select and \
attack targets without human control, as diplomats ended a week of talks without agreement.

"A robot should never decide who lives and who dies," said a spokeswoman for the Campaign to Stop Killer Robots. \
Russia and the United States opposed a binding treaty.""",
    "robota-pl": """Alarmy bombowe podczas ubiegłorocznych matur. Robota Rosjan

Początkowo podejrzenie spadło na uczniów, ale prokuratura ustaliła, że za fałszywymi alarmami stoją rosyjskie służby. \
Wiadomości wysłano z serwerów w Rosji, a ich adresy IP prowadziły do firmy powiązanej z wywiadem.

Śledczy nie mają wątpliwości, że była to robota Rosjan, powiedział rzecznik prokuratury.""",
    "ad-blockers-en": """Ad blockers cost publishers billions, report says

About 40% of internet users in the United States run an ad blocker, costing publishers billions of dollars a year, \
according to a report published on Monday.

Some newspapers now ask readers who use AdBlock Plus or uBlock to disable the extensions or to buy a subscription, \
the report said, but few readers do.""",
    "ip-addresses-en": """Prosecutors trace hacking attack to Moldova

Investigators traced the attack to an IP address in Moldova, and the servers were blocked by the provider after \
thousands of suspicious requests, prosecutors said on Wednesday.

The hackers had used automated tools to hide their addresses, the prosecutors added.""",
    "ip-addresses-ru": """Хакеры атаковали сайт министерства

Хакеры использовали IP-адреса в Молдове и отправили тысячи запросов, сообщили в прокуратуре в среду. Доступ к сайту \
был ограничен на несколько часов.""",
    "javascript-en": """Flaw in popular JavaScript library puts millions of websites at risk

Security researchers said on Thursday that a flaw in a widely used JavaScript library could let attackers take over \
websites, and urged developers to update it.""",
    "subscriptions-en": """New York Times passes 10 million subscriptions

The New York Times said on Wednesday its digital subscriptions grew by 85% to 9.7 million subscribers last year, \
helped by news of the pandemic and the election. Only a few publishers have as many readers paying for access.""",
}


def test_the_kinds_of_wall() -> None:
    assert sorted(kind for kind, _, _ in WALL_KINDS) == sorted(KINDS)


@pytest.mark.parametrize(("kind", "text"), WALLS.values(), ids=WALLS.keys())
def test_each_wall_kind_in_each_language_is_recognised(kind: str, text: str) -> None:
    assert wall_kind(text) == kind
    kept, removed = strip_chrome(clean_lines(text))
    assert (kept, removed) == ([], [text])


@pytest.mark.parametrize("text", ABOUT_WALLS.values(), ids=ABOUT_WALLS.keys())
def test_articles_about_cookies_robots_ad_blockers_and_ip_addresses_are_kept_whole(text: str) -> None:
    lines = clean_lines(text)
    assert not any(wall_kind(line) for line in lines)
    article = article_from_text(text)
    assert article.removed_lines == []
    assert [article.title, *article.body.split("\n\n")] == lines


def test_a_short_captcha_label_is_a_wall_but_a_quote_is_not() -> None:
    assert wall_kind("I'm not a robot") == BLOCK
    assert wall_kind('"I am not a robot, I am a person," the actor told reporters at the premiere on Monday.') is None
    assert wall_kind("Access denied") == BLOCK
    assert wall_kind("Access denied: how China's great firewall blocks foreign news sites") is None


def test_walls_inside_a_real_article_are_removed_and_the_article_kept() -> None:
    text = """Denver teens want to start movement by cleaning up local parks

Please enable Javascript to watch this video

DENVER -- On a cold Colorado day, Miguel Rivera and Martin Garcia roll up their sleeves and start picking up trash \
in a park near their school, as they have done every weekend since the autumn.

The Courier Mail No Cookies To use this website, cookies must be enabled in your browser. To enable cookies, \
follow the instructions for your browser below.

The two friends now hope other students will join them, and the city has offered them gloves and bags."""
    article = article_from_text(text)
    assert article.title == "Denver teens want to start movement by cleaning up local parks"
    assert article.body.startswith("DENVER -- On a cold Colorado day")
    assert article.body.endswith("the city has offered them gloves and bags.")
    assert article.removed_lines == [
        "Please enable Javascript to watch this video",
        "The Courier Mail No Cookies To use this website, cookies must be enabled in your browser. To enable cookies, "
        "follow the instructions for your browser below.",
    ]
    assert "Javascript" not in article.body and "cookies" not in article.body


def test_a_notice_glued_to_the_last_paragraph_is_cut_off() -> None:
    paragraph = (
        "The Greens called on the government on Monday to speed up the electrification of the railways, saying "
        "only about 60 percent of lines carried overhead wires."
    )
    notice = (
        "We use cookies to give you the best experience on our website. By continuing to browse, you agree to our "
        "use of cookies."
    )
    article = article_from_text(f"Greens want faster rail electrification\n\n{paragraph} {notice}")
    assert article.body == paragraph
    assert notice in article.removed_lines


def test_a_short_notice_inside_a_line_is_cut_out_of_it() -> None:
    before = "El Gobierno anunció el lunes un paquete de ayudas para los municipios afectados por la DANA."
    after = "Los vecinos siguen limpiando el barro de las calles de Paiporta, según el alcalde."
    notice = (
        "Para ver este video, habilite JavaScript y considere actualizar a un navegador web que admita video HTML5."
    )
    kept, removed = strip_chrome([f"{before} {notice} {after}"])
    assert kept == [before, after]
    assert removed == [notice]


def test_a_long_sentence_with_a_glued_notice_is_left_alone() -> None:
    """Without a full stop between them, a notice glued to the headline and the lead is one
    long sentence: cutting it out would take the lead along, so it stays."""
    line = (
        "Drew Brees and Cam Jordan on Minnesota matchup Please enable Javascript to watch this video It's not often "
        "that a team finishes 13-3 in the regular season and winds up the 3 seed in the playoffs, but the Saints "
        "have been here before. They beat Minnesota twice in the last three seasons, and the coach said on Monday "
        "that his players would not be afraid of the cold."
    )
    assert strip_chrome([line]) == ([line], [])


def test_wall_lines_are_found_in_linear_time() -> None:
    """Huge and hostile lines -- thousands of notices on one line, a megabyte-long word after
    a notice, a wall word on every line -- cost seconds, not hours."""
    lines = [
        "Please enable JavaScript. Your IP: 207.241.233.113. " * 20_000,
        "We use cookies, you accept them. " + "ınız" * 250_000 + " you.",
        *["Please enable Javascript to watch this video"] * 20_000,
        "kullanıyoruz " * 100_000 + "çerez",
    ]
    start = time.perf_counter()
    kept, _ = strip_chrome(lines)
    assert time.perf_counter() - start < 60
    assert kept == [lines[-1]]


_ARTICLE_SENTENCES = [
    "The ambassador flew to Moscow on Saturday for consultations with the foreign ministry.",
    "Websites must obtain users' consent before storing cookies, the court ruled.",
    "Investigators traced the attack to an IP address in Moldova.",
    "Campaigners called for a ban on killer robots.",
    "Putin recalls envoy",
    "Share",
    "OK",
]
_WALL_SENTENCES = [text for _, text in WALLS.values()]
_LINE = st.lists(st.sampled_from(_ARTICLE_SENTENCES + _WALL_SENTENCES), min_size=1, max_size=6).map(" ".join)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_LINE, min_size=1, max_size=8))
def test_removing_walls_is_idempotent(lines: list[str]) -> None:
    """What is kept holds no wall any more: stripping it again removes nothing."""
    kept, _ = strip_chrome(lines)
    assert strip_chrome(kept) == (kept, [])


# -- a page that is only a wall is no article ------------------------------------------------

# Whole pages as scraped (SemEval-2022 Task 8 training data): the wall, maybe under the headline.
WALL_PAGES: dict[str, tuple[str, str, bool]] = {
    "ip-block-pl": (
        """Przykro nam, ale z adresu IP z którego się łączysz odnotowaliśmy ogromną ilość połączeń.

Podejrzewamy, że ktoś nadużył adresu IP, z którego korzystasz.

Jeśli chcesz połączyć się z nami zaznacz "NIE JESTEM ROBOTEM".

Twój adres IP: 207.241.233.113""",
        BLOCK,
        False,
    ),
    "ip-block-en": (
        """We are sorry, but we recorded a huge amount of connections from the IP address you are connecting from.
We suspect that someone has misused the IP address you are using.
If you want to connect with us, select "I AM NOT A ROBOT".
Your IP address: 207.241.233.112""",
        BLOCK,
        False,
    ),
    "adblock-pl": (
        "Wyborcza.pl Wyłącz Adblock / Ublockaaby Przeczytaj nasze artykuły Wyłącz AdBlock / UBLOCK lub dodaj wyjątek "
        "dla naszej domeny.Dodanie wyjątku nie wyłączy blokowania reklamy.",
        ADBLOCK,
        False,
    ),
    "adblock-en-under-headline": (
        """Winning numbers drawn in 'Pick 4 Midday' game

We noticed you're blocking ads!

Keep supporting great journalism by turning off your ad blocker. Or purchase a subscription for unlimited access to \
real news you can count on.""",
        ADBLOCK,
        True,
    ),
    "adblock-pl-leftovers": (
        """Rekomendacja Zarządu Sescom S.A. w sprawie podziału zysku netto Spółki za rok obrotowy 2018/2019
Czy wiesz, że korzystasz z adblocka?
Reklamy nie są takie złe
To dzięki nim możemy udostępniać
Ci nasze treści.""",
        ADBLOCK,
        True,
    ),
    "cookie-de-under-headline": (
        """Grüne: Regierung muss bei Schienen-Elektrifizierung zulegen

OK

Wir setzen auf unserer Website Cookies und andere Technologien ein, um Ihnen den vollen Funktionsumfang unseres \
Angebotes anzubieten. Zudem ermöglichen Cookies die Personalisierung von Inhalten und dienen der Ausspielung von \
Werbung. Sie können auch zu Analysezwecken gesetzt werden. Durch die weitere Nutzung unserer Website erklären Sie sich \
mit dem Einsatz von Cookies einverstanden. Weitere Informationen, auch zur Deaktivierung der Cookies, finden Sie in \
unserer Datenschutzerklärung.

Datenschutz""",
        COOKIE,
        True,
    ),
    "cookie-de-glued": (
        """Corona-Appell – Kogler weist Freizeitsportler zurecht - News Cookie-InformationenDieses Seite verwendet \
Cookies

Cookies verwendet. Für eine aktivierte Nutzung der Webseite werden Cookies benötigt. Sie stimmen der Verwendung von \
Cookies durch Anklicken von "OK" zu. Nähere Informationen finden Sie in unseren Datenschutzbestimmungen.""",
        COOKIE,
        False,
    ),
    "consent-pl-glued": (
        "Media: Negocjacje handlowe USA i Wielkiej Brytanii przełożone Aby poprawić swoją witrynę, "
        "wyświetlać istotne materiały informacyjne i dedykowane reklamy, zbieramy anonimowe informacje "
        "techniczne o kraju, w tym narzędzia naszych partnerów. Szczegółowy opis procesu przetwarzania "
        "danych można znaleźć w polityce prywatności.A Szczegółowy opisTechnologia, której używamy, "
        "znajdziesz w użyciu plików cookie i automatycznego logowania. W polityce prywatności.  Klikając na "
        'przycisk "Zaakceptuj i zamknij", aby wyrazić zgodę na przetwarzanie danych w celu osiągnięcia '
        "utrwalenia.",
        COOKIE,
        False,
    ),
    "cookie-tr-under-headline": (
        """Sivas'ta cenaze namazları mezarlıkta kılınıyor
Sizlere daha iyi bir hizmet sunabilmek için sitemizde çerezlerden faydalanıyoruz. Sitemizi kullanmaya devam ederek \
çerezleri kullanmamıza izin vermiş oluyorsunuz.""",
        COOKIE,
        True,
    ),
    "paywall-en-under-headline": (
        """SPCA fundraiser to continue until goal of 500 lifesavers is met
Thank you for Reading! On your next view you will be asked to log in to your subscriber account or create an account \
and subscribe to continue reading.""",
        PAYWALL,
        True,
    ),
    "enable-ru": ("Пожалуйста, включите JavaScript в настройках браузера.", ENABLE, False),
    # Machine-translated walls (SemEval's texts went through MT): the words come in other orders.
    "adblock-zh-under-headline": (
        """市议会批准新的公交线路

我们注意到您正在屏蔽广告!

关闭广告拦截器,继续支持本地新闻。或者购买订阅以无限访问您信赖的新闻。""",
        f"{ADBLOCK}, {PAYWALL}",
        True,
    ),
    "meter-en-under-headline": (
        """County board delays vote on new jail

We hope you have enjoyed your complimentary access for the month.

To keep reading, please sign in with your existing account or subscribe.""",
        PAYWALL,
        True,
    ),
}


def _refused(text: str, source: str = "page.txt") -> str:
    with pytest.raises(InputError) as caught:
        article_from_text(text, source=source)
    assert caught.value.source == source
    return caught.value.reason


@pytest.mark.parametrize(("text", "kind", "headline"), WALL_PAGES.values(), ids=WALL_PAGES.keys())
def test_a_page_that_is_only_a_wall_is_refused_with_the_reason(text: str, kind: str, headline: bool) -> None:
    reason = _refused(text)
    under = " under its title" if headline else ""
    assert reason == f"no article text: the page is an access wall ({kind}){under}, not the article"


@pytest.mark.parametrize(("text", "kind", "headline"), WALL_PAGES.values(), ids=WALL_PAGES.keys())
def test_wall_page_gives_the_reason_ingest_refuses_the_page_with(text: str, kind: str, headline: bool) -> None:
    """Code that meets texts outside ingest (the SemEval data) asks wall_page, and must
    get ingest's own answer."""
    assert wall_page(text)[1] == _refused(text)


@pytest.mark.parametrize("text", ABOUT_WALLS.values(), ids=ABOUT_WALLS.keys())
def test_wall_page_passes_articles_about_cookies_robots_and_ad_blockers(text: str) -> None:
    assert wall_page(text)[1] is None
    article_from_text(text)  # and ingest keeps them


def test_wall_page_examples_in_its_docstring_run() -> None:
    import doctest

    from storylens.ingest import text

    finder = doctest.DocTestFinder()
    runner = doctest.DocTestRunner()
    for test in finder.find(text.wall_page, "wall_page", globs={"wall_page": text.wall_page}):
        runner.run(test)
    assert runner.tries >= 2 and runner.failures == 0


def test_a_wall_page_names_every_kind_of_wall_on_it() -> None:
    text = "Access denied\n\nPlease enable cookies.\n\nWe noticed you're blocking ads!"
    assert _refused(text) == (
        f"no article text: the page is an access wall ({BLOCK}, {ENABLE}, {ADBLOCK}), not the article"
    )


def test_a_headline_with_a_wall_is_refused_but_a_headline_alone_is_still_an_article() -> None:
    """A title-only page stays what it was (a feed may carry titles only); a title over a
    wall is the headline of an article the scraper never saw."""
    article = article_from_text("Putin recalls envoy")
    assert (article.title, article.body) == ("Putin recalls envoy", "")
    assert "under its title" in _refused("Putin recalls envoy\n\nPlease enable Javascript to watch this video")


def test_a_real_article_behind_a_wall_is_kept() -> None:
    text = WALL_PAGES["cookie-de-under-headline"][0].replace(
        "\n\nDatenschutz",
        "\n\nDie Grünen fordern von der Bundesregierung mehr Tempo bei der Elektrifizierung des Schienennetzes. "
        "Bislang seien nur gut 60 Prozent der Strecken elektrifiziert, sagte ein Sprecher am Montag in Berlin.",
    )
    article = article_from_text(text)
    assert article.title == "Grüne: Regierung muss bei Schienen-Elektrifizierung zulegen"
    assert article.body.startswith("Die Grünen fordern von der Bundesregierung mehr Tempo")
    assert "Cookies" not in article.body
    assert any(line.startswith("Wir setzen auf unserer Website Cookies") for line in article.removed_lines)


def test_a_declared_title_that_is_a_wall_is_no_title() -> None:
    record = {"title": "Access denied", "text": WALL_PAGES["ip-block-en"][0]}
    with pytest.raises(InputError) as caught:
        article_from_record(record, source="feed.jsonl:3")
    assert str(caught.value) == f"feed.jsonl:3: no article text: the page is an access wall ({BLOCK}), not the article"
    body = "The ambassador flew to Moscow on Saturday for consultations with the foreign ministry, the embassy said."
    article = article_from_record({"title": "Access denied", "text": f"Putin recalls envoy\n\n{body}"}, source="x")
    assert (article.title, article.body) == ("Putin recalls envoy", body)
    assert "Access denied" in article.removed_lines


def test_json_lines_and_html_wall_pages_take_the_same_path(tmp_path: Path) -> None:
    good = {"title": "Putin recalls envoy", "text": ABOUT_WALLS["ip-addresses-en"]}
    wall = {"title": "Winning numbers drawn in 'Pick 4 Midday' game", "text": WALLS["adblock-en"][1]}
    jsonl = tmp_path / "feed.jsonl"
    jsonl.write_text(f"{json.dumps(good)}\n{json.dumps(wall)}\n", encoding="utf-8")
    html = tmp_path / "page.html"
    html.write_text(
        "<html><head><title>Wyborcza.pl</title></head><body><div>"
        + "".join(f"<p>{line}</p>" for line in WALL_PAGES["ip-block-pl"][0].split("\n\n"))
        + "</div></body></html>",
        encoding="utf-8",
    )
    for path, source, kind in ((jsonl, f"{jsonl}:2", ADBLOCK), (html, str(html), BLOCK)):
        with pytest.raises(InputError) as caught:
            read_articles(path)
        assert caught.value.source == source
        assert (
            caught.value.reason
            == f"no article text: the page is an access wall ({kind}) under its title, not the article"
        )
        with pytest.raises(InputError):
            list(stream_articles([path]))


def test_a_folder_ingests_the_article_and_reports_the_wall_page(tmp_path: Path) -> None:
    root = tmp_path / "news"
    root.mkdir()
    (root / "a-article.txt").write_text(ABOUT_WALLS["cookie-ruling-en"], encoding="utf-8")
    wall = root / "b-wall.txt"
    wall.write_text(WALL_PAGES["ip-block-pl"][0], encoding="utf-8")
    skipped: list[InputError] = []
    articles = list(iter_articles(root, on_error=skipped.append))
    assert [article.title for article in articles] == ["EU court rules websites need active consent for cookies"]
    assert [(error.source, error.reason) for error in skipped] == [
        (str(wall), f"no article text: the page is an access wall ({BLOCK}), not the article")
    ]
    with pytest.raises(InputError) as caught:  # without on_error the wall page stops the read, named
        read_articles(root)
    assert caught.value.source == str(wall)


def test_cli_ingest_of_a_wall_page_exits_2_with_one_line(tmp_path: Path) -> None:
    page = tmp_path / "wall_2bdfc8.txt"
    page.write_text(WALL_PAGES["ip-block-pl"][0], encoding="utf-8")
    db = tmp_path / "db" / "news.db"
    db.parent.mkdir()
    result = CliRunner().invoke(app, ["ingest", str(page), "--db", str(db)])
    assert result.exit_code == 2, (result.stdout, result.stderr, result.exception)
    assert result.stdout == ""
    assert result.stderr == (
        f"storylens: error: {page}: no article text: the page is an access wall ({BLOCK}), not the article\n"
    )
    assert list(db.parent.iterdir()) == []  # nothing stored, not even an empty database
