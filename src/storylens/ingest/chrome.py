"""Page-chrome removal: the navigation labels, buttons, calls to action, captions and
credits that scrapers leave around (and sometimes inside) an article's text.

The method is general -- patterns of *kinds* of chrome in several languages plus the
position of a line relative to the article's paragraphs -- not a list of one site's strings:

1. Glued chrome is split off first: an access-wall notice (7.) inside a line of text, a
   call to action trailing a paragraph's last sentence, and a word glued to a call to
   action when files were concatenated without a newline (``...via Google newsWorld`` ->
   ``...via Google news`` + ``World``).
2. The article's *paragraphs* are found: lines of at least 8 words ending like a sentence,
   or of at least 25 words. Lines before the first paragraph form the *head*, lines after
   the last the *tail*, the rest the *interior*.
3. Anywhere, a line is chrome when it matches a call-to-action, social, subscription,
   advertising, copyright, caption/credit, breadcrumb or button pattern, is an access-wall
   notice (7.), or is a single word without sentence punctuation (a photo credit such as
   ``Sputnik``).
   A "read also" heading takes the linked headline that follows it along.
4. In the head and tail, short labels (at most 3 words, no sentence punctuation -- "World",
   "Discuss", "Comments (12)"), date stamps and bylines are chrome too, and so are a photo
   caption after the headline (a short Title-Cased noun phrase ending in a period), bullet
   highlights that repeat a body paragraph, and in the tail every headline-like line after
   a "Related" / "More on this story" heading.
5. Photo credits in brackets -- ``(Photo : AFP)``, ``(AP Photo/Jane Doe)``, ``[Foto: dpa]``,
   ``(Image: Getty)`` -- are cut out of any line (a photo word, then a colon, slash or
   "by"/"de"/"von": not "(photos show ...)"); a line that *ends* in one and is no
   paragraph is the caption of that photo and goes whole (it would otherwise become a
   title); a paragraph keeps its text. Wire-agency
   datelines such as "(AP)" or "(Reuters)" carry no photo word and stay.
6. Never chrome: datelines ("MOSCOW, March 20 (Reuters) -"), and one short headline when
   the head has no longer one.
7. Access walls -- what a scraper gets instead of the article: a cookie/consent notice, an
   ad-block wall, an IP block or robot check, an "enable JavaScript/cookies" notice, a
   paywall -- are found by their sentences. A *wall sentence* names the notice's topic
   (cookies, personal data, an ad blocker, the IP address, a captcha, JavaScript, a
   subscription), addresses the reader or speaks as the site ("you", "Sie", "wyłącz",
   "please", "we", "our website") and says what it asks (accept, disable, verify, enable,
   continue reading), all three at once: a story *about* cookies or ad blockers speaks of
   them in the third person and stays. A line of such a notice is chrome whole; a short
   one inside a line of text is cut out of it. :func:`wall_kind` names the kind, so that
   ingest can refuse a page that was nothing but a wall (:mod:`storylens.ingest.text`).

Blank lines are layout, not content: they are dropped and not reported as removed.

Cost: linear in the length of the text. Every rule looks at one line (the patterns are
anchored or bounded; the access-wall patterns run only on sentences holding one of their
stems, found by a single literal search), at a window of neighbours, or at a bounded
number of lines (the repeated-highlight check compares at most
:data:`_MAX_HIGHLIGHT_BULLETS` bullets with at most :data:`_MAX_HIGHLIGHT_PARAGRAPHS`
paragraphs), so a 19 MB article or a 5 MB single line costs seconds, not hours.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Iterable, Sequence
from functools import lru_cache

__all__ = ["WALL_KINDS", "is_headline_like", "is_paragraph", "split_glued", "strip_chrome", "wall_kind", "word_count"]

# -- line shape -------------------------------------------------------------------------

_TERMINAL = re.compile(r"[.!?…。！？؟۔][\"'”’»)\]]*$")  # ends like a sentence
_BULLET = re.compile(r"^[•·▪►▶◆■●◦‣*–—-]\s*")
_WORD = re.compile(r"\w")
_WORD_TOKEN = re.compile(r"\S*\w\S*")
_WIDE_RUN = re.compile("[\u3040-\u9fff\uac00-\ud7af\uf900-\ufaff]+")
_LETTER_TOKEN = re.compile(r"[^\W\d_]")
_DIGIT = re.compile(r"\d")
_CAMEL_TAIL = re.compile(r"(?<=[a-zà-ÿа-яё])(?=[A-ZÀ-ÞА-ЯЁ][a-zà-ÿа-яё]+$)")
_BREADCRUMB_SEPARATOR = re.compile(r"\s[>›»|/]\s")
# An all-caps place, optionally a date and an (agency), then a dash: a dateline, not a label.
DATELINE = re.compile(
    r"^[A-ZÀ-ÞА-ЯЁ][A-ZÀ-ÞА-ЯЁ .'’/-]{2,40}(?:,[^()\n]{1,40})?\s*(?:\([^()\n]{1,30}\))?\s*(?:--|[-–—])(?:\s|$)"
)
# The Arabic press's dateline: place(s), then the source in guillemets: "موسكو - واشنطن: «الشرق الإخبارية»".
ARABIC_DATELINE = re.compile(
    r"^[\u0621-\u064A\s]{2,40}(?:\s*[-–]\s*[\u0621-\u064A\s]{2,40})*\s*[:：–-]\s*«[^»\n]{1,40}»\s*:?\s*$"
)

PARAGRAPH_WORDS = 8
"""A line of at least this many words that ends like a sentence is article text."""
LONG_LINE_WORDS = 25
"""A line this long is article text whatever its punctuation (scraped text often lacks it)."""
LABEL_WORDS = 3
"""Lines up to this many words without sentence punctuation are labels when at the edges."""
_CTA_MAX_WORDS = 30  # a call to action is a line, not a paragraph
_MAX_HIGHLIGHT_BULLETS = 64  # per edge: highlights sit right above or below the text
_MAX_HIGHLIGHT_PARAGRAPHS = 200  # highlights repeat the article's lead, not its 10,000th paragraph
_HIGHLIGHT_OVERLAP = 0.6  # share of a bullet's words found in one body paragraph


@lru_cache(maxsize=8192)  # each line is measured by several rules
def word_count(line: str) -> int:
    """Words in ``line``: whitespace tokens with a letter or digit, and for runs of CJK
    script (kana, ideographs, hangul: written without spaces) one word per two characters."""
    wide = sum((len(run) + 1) // 2 for run in _WIDE_RUN.findall(line))
    return wide + len(_WORD_TOKEN.findall(_WIDE_RUN.sub(" ", line)))


def _ends_sentence(line: str) -> bool:
    return bool(_TERMINAL.search(line))


def is_headline_like(line: str) -> bool:
    """A short line with letters that does not end in a full stop: a headline candidate."""
    return (
        bool(_LETTER_TOKEN.search(line))
        and len(line) <= 150
        and 1 <= word_count(line) <= 25
        and not line.rstrip("\"'”’»)").endswith((".", "。", ":", "："))
        and not DATELINE.match(line)
        and not ARABIC_DATELINE.match(line)
    )


def _is_label(line: str) -> bool:
    return word_count(line) <= LABEL_WORDS and not _ends_sentence(line)


def is_paragraph(line: str) -> bool:
    if _BULLET.match(line):
        return False
    words = word_count(line)
    return words >= LONG_LINE_WORDS or (words >= PARAGRAPH_WORDS and _ends_sentence(line))


# -- patterns of chrome -----------------------------------------------------------------


def _alternatives(*phrases: str) -> str:
    return "(?:" + "|".join(phrases) + ")"


def _trie(words: Iterable[str]) -> str:
    """A regex matching any of ``words``, branching on one character at a time, so that a
    search tries one branch per position instead of every word (a hundred stems at C speed)."""
    branches: dict[str, list[str]] = {}
    for word in words:
        branches.setdefault(word[:1], []).append(word[1:])
    alternatives = []
    for first, rests in sorted(branches.items()):
        if not first:
            continue
        rest = _trie(r for r in rests if r) if any(rests) else ""
        optional = "" in rests and rest  # a word that is a prefix of another one: "blok", "blokada"
        tail = f"(?:{rest})?" if optional else (f"(?:{rest})" if rest else "")
        alternatives.append(re.escape(first) + tail)
    return "|".join(alternatives)


def _vocabulary(words: str) -> frozenset[str]:
    """A set of lower-case words written as one whitespace-separated string."""
    return frozenset(words.split())


_PLATFORMS = _alternatives(
    r"google ?news",
    "twitter",
    "telegram",
    "facebook",
    "instagram",
    "youtube",
    "tiktok",
    "whatsapp",
    "linkedin",
    "threads",
    "viber",
    r"vk\b",
    "вконтакте",
    "одноклассник",
    "дзен",
    "телеграм",
    "تويتر",
    "فيسبوك",
    "تلغرام",
    "تيليجرام",
    "يوتيوب",
    "إنستغرام",
    "微博",
    "微信",
)
# Verbs that open a "follow us on ..." line, in the languages storylens meets most.
_FOLLOW_VERBS = _alternatives(
    "follow",
    "join",
    "like us",
    "find us",
    "connect with",
    "folgen sie",
    "folge",
    "folgt",
    "подписывайтесь",
    "подпишитесь",
    "присоединяйтесь",
    "следите",
    "читайте нас",
    "تابعونا",
    "تابعوا",
    "تابع",
    "اشترك",
    "síguenos",
    "siga",
    "sigue",
    "suivez",
    "rejoignez",
    "seguici",
    "segui",
    "takip edin",
    "bizi takip",
    "obserwuj",
    "dołącz",
    "关注",
)
# Headings that introduce a link to (or a list of) other articles.
_READ_ALSO = _alternatives(
    r"(?:read|see) (?:more|also|next)\b",
    r"related(?: (?:topics|articles|stories|coverage|news|content|links|reading|video))?\s*:?$",
    r"related\s*:",
    r"more on this (?:story|topic)",
    r"more from\b",
    r"(?:you )?(?:may|might) also (?:like|be interested)",
    r"recommended(?: for you)?\s*:?$",
    r"most (?:read|popular|viewed)\s*:?$",
    r"top stories\s*:?$",
    r"trending(?: now)?\s*:?$",
    r"(?:lesen sie|lies) (?:auch|mehr)",
    r"mehr zum thema",
    r"auch interessant",
    r"weiterlesen",
    r"das könnte sie auch interessieren",
    r"читайте (?:также|еще|ещё)",
    r"смотрите также",
    r"(?:новости )?по теме\s*:?$",
    r"[اإ]قرأ (?:أيضا|أيضاً|ايضا|المزيد)",
    r"(?:مواضيع|أخبار) ذات صلة",
    r"lea (?:también|más)",
    r"lee (?:también|más)",
    r"leer más",
    r"noticias relacionadas",
    r"te puede interesar",
    r"(?:à )?lire aussi",
    r"voir aussi",
    r"sur le même sujet",
    r"leggi anche",
    r"potrebbe interessarti",
    r"ayrıca (?:okuyun|bakınız)",
    r"ilginizi çekebilir",
    r"devamını oku",
    r"ilgili haberler",
    r"czytaj (?:też|także|więcej)",
    r"zobacz (?:też|także|również)",
    "另请阅读",
    "相关阅读",
    "延伸阅读",
    "推荐阅读",
    "相关新闻",
    "相关报道",
)
# Calls to action and page furniture, recognised by how the line starts.
_CTA_PHRASES: tuple[str, ...] = (
    rf"{_FOLLOW_VERBS}\s.{{0,160}}\b{_PLATFORMS}",
    r"(?:follow|join) us\b",
    r"folgen sie uns",
    r"подписывайтесь\b",
    r"подпишитесь\b",
    "تابعونا",
    "síguenos",
    "suivez-nous",
    "seguici",
    r"bizi takip edin",
    r"obserwuj nas",
    "关注我们",
    _READ_ALSO,
    r"share (?:this|on|via|the|article|story)\b",
    r"click here\b",
    r"sign up\b",
    r"subscribe\b",
    r"(?:abonnieren|abonnez-vous|suscríbete|iscriviti|abone ol|subskrybuj)",
    r"(?:download|get) (?:our|the) app\b",
    r"(?:tags?|keywords?|topics|schlagworte|themen|теги|метки|etiquetas|mots-clés|etichette|etiketler|tagi"
    r"|الكلمات المفتاحية|وسوم|标签)\s*[:：]",
    r"leave a (?:comment|reply)\b",
    r"skip to (?:main )?content\b",
    r"advertisement\s*(?:[-–—:|].*)?$",  # not "Advertisement spending rose ..."
    r"(?:sponsored|promoted|paid) (?:content|post|partner)",
    r"story continues below",
    r"continue reading\b",
    r"report (?:an error|a typo)\b",
)
# Captions, credits and bylines, recognised by their label.
_CREDIT_PHRASES: tuple[str, ...] = (
    r"(?:photo|image|picture|video|foto|bild|фото|видео|صورة|الصورة|照片|图片)\s*[:：/|]",
    r"(?:photo|image|picture|video)\s+(?:source|caption|credit)s?\s*[:：/|,]",  # "Image caption, ..."
    r"(?:credit|source|quelle|источник|fuente|fonte|kaynak|źródło|المصدر|来源)\s*[:：]",
    r"(?:by|von|автор|por|par|di|yazan|autor)\s*[:：]",
)
_CTA_START = re.compile(_alternatives(*_CTA_PHRASES, *_CREDIT_PHRASES), re.IGNORECASE)
# At the end of a paragraph (a lost newline): any call to action, but only a short credit,
# as a long "Source: ..." tail may well be text that goes on.
_GLUED_CTA = re.compile(_alternatives(*_CTA_PHRASES), re.IGNORECASE)
_GLUED_CREDIT = re.compile(_alternatives(*_CREDIT_PHRASES), re.IGNORECASE)
_GLUED_CREDIT_MAX_WORDS = 12
# A sentence end: followed by a space, or glued to a capital (a lost newline).
_SENTENCE_END = re.compile(r"[.!?。！？؟][\"'”’»)]?(?=\s|[A-ZА-ЯЁ]|[\u0600-\u06ff]|[\u3040-\u9fff]|$)")
_COPYRIGHT = re.compile(
    _alternatives(
        "©",
        r"\(c\)\s*\d{4}",
        r"\bcopyright\b",
        r"all rights reserved",
        "alle rechte vorbehalten",
        "все права защищены",
        "todos los derechos reservados",
        "tous droits réservés",
        "tutti i diritti riservati",
        "riproduzione riservata",
        "tüm hakları saklıdır",
        "wszelkie prawa zastrzeżone",
        "جميع الحقوق محفوظة",
        "版权所有",
    ),
    re.IGNORECASE,
)
# Photo agencies and stock libraries: a short line naming one is a picture credit.
_CREDIT = re.compile(
    r"\b"
    + _alternatives(
        "getty images",
        "shutterstock",
        "afp",
        "reuters",
        "ap photo",
        "associated press",
        "epa",
        "dpa",
        "anadolu",
        "xinhua",
        "ria novosti",
        "тасс",
        "риа новости",
        "scanpix",
        "imago",
    )
    + r"\b",
    re.IGNORECASE,
)
# Button and navigation words: a short line made only of these is a toolbar.
_BUTTON_WORDS = _vocabulary(
    """
    share shares tweet email e-mail print comment comments reply facebook twitter telegram whatsapp linkedin
    reddit pinterest copy link save bookmark menu search home close login log sign in out subscribe next
    previous prev back top more listen download video audio gallery discuss
    advertisement anzeige werbung реклама publicidad publicité pubblicità reklam reklama إعلان 广告
    teilen drucken kommentare поделиться печать комментарии комментировать compartir imprimir comentarios
    partager imprimer commentaires condividi stampa commenti paylaş yazdır yorumlar yorum udostępnij drukuj
    komentarze شارك طباعة تعليقات 分享 打印 评论 вконтакте одноклассники vk x
    """
)
_COUNT = re.compile(r"^[^\W\d_]{3,}\s*[(\[]\d+[)\]]$")  # "Comments (12)"
_STAMP_PREFIX = re.compile(
    r"^(?:published|updated|posted|last updated|veröffentlicht|aktualisiert|опубликовано|обновлено|publicado"
    r"|actualizado|publié|mis à jour|pubblicato|aggiornato|yayınlanma|güncelleme|opublikowano|نشر|تحديث)\b",
    re.IGNORECASE,
)
_DATE_OR_TIME = re.compile(
    _alternatives(
        r"\b\d{1,4}[./-]\d{1,2}[./-]\d{1,4}\b",  # 20.03.2021, 2021-03-20
        r"\b\d{1,2}:\d{2}\b",  # 14:05
        r"\b\d{1,2}\.?\s+(?:de\s+)?[^\W\d_]{3,}\.?,?\s+(?:de\s+)?\d{4}\b",  # 20 March 2021, 20. März, 20 de marzo de
        r"\b[^\W\d_]{3,}\.?\s+\d{1,2},?\s+\d{4}\b",  # March 20, 2021
        r"\b\d+\s*(?:min|mins|minutes?)\b",  # 5 min read
        r"\d{4}年\d{1,2}月\d{1,2}日",
    ),
    re.IGNORECASE,
)
_BYLINE = re.compile(r"^(?:by|von|автор|por|par|di|yazan|autor|بقلم|作者)\s+\w", re.IGNORECASE)
_BYLINE_CONNECTORS = _vocabulary("and und y et e и ve i of de von van der")
_CAPTION_SMALL_WORDS = _vocabulary("of the to and at in on for de la del al bin ibn van von der da di du le el")


_PHOTO_WORDS = _alternatives(
    "photo", "foto", "image", "imagen", "imagem", "picture", "pic", "bild", "фото", "صورة", "الصورة", "照片", "图片"
)
_PHOTO_CREDIT = re.compile(
    r"\s*[(\[]\s*(?:(?:ap|afp|epa|reuters|dpa|anadolu|xinhua|getty)\s+)?"
    + _PHOTO_WORDS
    + r"s?(?:\s+(?:credit|source|caption)s?)?(?:\s*[:：/|]|\s+(?:by|de|von|par|di|da|credit|courtesy)\b)"
    + r"[^()\[\]\n]{0,100}[)\]]"
    # An archive-picture label, alone or with its agency: "(أرشيفية - رويترز)", "(Archivo EFE)", "[Archivbild: dpa]".
    + r"|\s*[(\[]\s*(?:أرشيفية|ارشيفية|صورة أرشيفية|archivo|archivbild|archive photo|file photo|archives)"
    + r"(?:\s*[-–—:/|،,]?\s*[^()\[\]\n]{1,60})?\s*[)\]]",
    re.IGNORECASE,
)


def split_photo_credits(line: str) -> tuple[str, list[str], bool]:
    """(line without its bracketed photo credits, the credits, whether it ended in one).

    >>> split_photo_credits("Rescuers search the rubble in Lima (Photo : AFP)")
    ('Rescuers search the rubble in Lima', ['(Photo : AFP)'], True)
    >>> split_photo_credits("السفير الروسي أناتولي أنتونوف (أرشيفية - رويترز)")[1:]
    (['(أرشيفية - رويترز)'], True)
    """
    matches = list(_PHOTO_CREDIT.finditer(line))
    if not matches:
        return line, [], False
    ends_in_credit = not line[matches[-1].end() :].strip(" .")
    # The pattern takes the spaces before a credit along: "Lima (Photo: AFP)." -> "Lima."
    return _PHOTO_CREDIT.sub("", line).strip(), [m.group().strip() for m in matches], ends_in_credit


def _is_cta(line: str) -> bool:
    core = _BULLET.sub("", line).strip()
    return word_count(core) <= _CTA_MAX_WORDS and bool(_CTA_START.match(core))


def _is_read_also(line: str) -> bool:
    core = _BULLET.sub("", line).strip()
    return word_count(core) <= _CTA_MAX_WORDS and bool(re.match(_READ_ALSO, core, re.IGNORECASE))


def _is_toolbar(line: str) -> bool:
    tokens = [token.strip("|·•,:()[]").lower() for token in line.split()]
    tokens = [token for token in tokens if token and not token.isdigit()]
    return 0 < len(tokens) <= 6 and all(token in _BUTTON_WORDS for token in tokens)


def _is_breadcrumb(line: str) -> bool:
    return word_count(line) <= 10 and len(_BREADCRUMB_SEPARATOR.findall(line)) >= 2 and not _ends_sentence(line)


def _is_credit(line: str) -> bool:
    """A picture credit: "(AFP)", "AFP/Getty Images", "Reuters / John Smith" -- but not a
    headline that mentions an agency ("Reuters exclusive: ...")."""
    if _ends_sentence(line) or word_count(line) > 6:
        return False
    if re.fullmatch(r"\([^()]{1,50}\)", line):
        return True
    if not _CREDIT.search(line):
        return False
    return "/" in line or word_count(_CREDIT.sub(" ", line)) <= 1


def _is_pattern_chrome(line: str) -> bool:
    """Chrome wherever it stands: recognised by its own words, not its position."""
    words = word_count(line)
    return (
        _is_cta(line)
        or (words <= 25 and bool(_COPYRIGHT.search(line)))
        or _is_toolbar(line)
        or _is_breadcrumb(line)
        or bool(_COUNT.match(line))
        or _is_credit(line)
        or (words <= 1 and not _ends_sentence(line))
    )


def _is_stamp(line: str) -> bool:
    """A date/time stamp or a "5 min read": a date or time, at most 4 words besides, no
    sentence. ("G20 summit opens" has a digit but no date: it stays.)"""
    if _ends_sentence(line) or word_count(line) > 8:
        return False
    if _STAMP_PREFIX.match(line):
        return True
    letter_tokens = [token for token in line.split() if _LETTER_TOKEN.search(token)]
    return bool(_DATE_OR_TIME.search(line)) and len(letter_tokens) <= 4


def _is_byline(line: str) -> bool:
    """A byline such as "By Jane Doe, Diplomatic Correspondent": the prefix, then only capitalised names and
    connectors -- unlike "Di Maio incontra Lavrov", a headline that starts like one."""
    match = _BYLINE.match(line)
    if not match or word_count(line) > 8 or _ends_sentence(line):
        return False
    names = line[match.end() - 1 :].replace(",", " ").split()
    return not any(name[0].islower() and name not in _BYLINE_CONNECTORS for name in names)


def _is_caption(line: str) -> bool:
    """A photo caption naming a person or thing: "Russian Ambassador Anatoly Antonov."
    Short, one period at the very end, every word but small function words capitalised."""
    words = line.rstrip(".").split()
    if not line.endswith(".") or not 2 <= len(words) <= 12 or re.search(r"[.!?;:]", line[:-1]):
        return False
    if not all(_LETTER_TOKEN.match(word) for word in words):
        return False
    return all(word[0].isupper() or word.lower() in _CAPTION_SMALL_WORDS for word in words)


def _tokens(line: str) -> set[str]:
    return {token.lower() for token in re.findall(r"\w+", line)}


def _is_repeated_highlight(line: str, paragraphs: Sequence[set[str]]) -> bool:
    """A bullet "highlight" whose words mostly appear in one body paragraph (a summary
    repeated from the text, given as word sets), so dropping it loses nothing."""
    words = _tokens(line)
    return bool(words) and any(len(words & paragraph) >= _HIGHLIGHT_OVERLAP * len(words) for paragraph in paragraphs)


# -- access walls -----------------------------------------------------------------------
#
# A scraper sometimes gets a notice instead of the article, or around it: a cookie/consent
# banner, an ad-block wall, an IP block or robot check, an "enable JavaScript" notice, a
# paywall. A *wall sentence* has three marks at once: the notice's topic (cookies, personal
# data, an ad blocker, the IP address, a captcha, JavaScript, a subscription), an address (it
# speaks to the reader -- "you", "Sie", "vous", "wyłącz", "please" -- or as the site -- "we",
# "our website", "sitemizde") and a cue of what it asks or reports (accept, disable, verify,
# enable, continue reading). A news story about cookies, ad blockers or IP addresses speaks
# of them in the third person, so it stays ("Websites must obtain users' consent before
# storing cookies, the court ruled"); "killer robots" or the Polish "robota" (work) are no
# topic at all: only the captcha's "I am not a robot" is.
#
# Each pattern below is one alternation per language (English, German, Polish, French,
# Spanish, Italian, Russian, Turkish, Arabic; Chinese where it is short), of whole words:
# a stem takes its endings with ``\w*``.

WALL_SENTENCE_WORDS = 50
"""A wall sentence is at most this long: a notice is short, a paragraph that mentions cookies need not be."""
WALL_CUT_WORDS = 30
"""A wall sentence inside a line of other text is cut out of it when at most this long: a longer one
is more likely a notice glued to the headline and lead without a full stop, which stay."""
_WALL_SENTENCE_CHARS = 1_500  # ... and its words are words, not a megabyte-long token (so are a notice's)
WALL_LINE_WORDS = 150
"""A line of notice sentences only (wall sentences, or sentences sharing their topic or address) is a
wall whole when it is at most this long."""
_WALL_GAP = 2  # notice sentences without all three marks between wall sentences (or after the last)
_WALL_FRAGMENT_WORDS = 4  # "OK.", "Thank you.", "W polityce prywatności.": a notice's, next to one
_STRONG_WALL_WORDS = 5  # "Access denied", "I'm not a robot": a wall alone on its line, even unaddressed


# Arabic writes articles, prepositions and pronouns onto the word: "لمتابعة" (to continue),
# "تجربتك" (your experience). A whole word may carry them.
_ARABIC_PROCLITIC = "(?:[وفبلك]|ال|لل|وال|بال|فال)"
_ARABIC_ENCLITIC = "(?:ك|كم|ه|ها|هم|نا)"


def _wall_words(*languages: str, cjk: str = "") -> re.Pattern[str]:
    """One alternation per language, of whole words ("vous" is not the end of "nervous"; an
    Arabic word with its clitics), plus ``cjk`` words, which are written without spaces and so
    matched anywhere."""
    pattern = rf"(?<!\w){_ARABIC_PROCLITIC}?{_alternatives(*languages)}{_ARABIC_ENCLITIC}?(?!\w)"
    return re.compile(pattern + (f"|{cjk}" if cjk else ""), re.IGNORECASE)


# The reader, a request to them, or the site speaking. Case matters for the German "Sie"/"Ihr"
# (lower-case "sie"/"ihr" is "they"/"her") and the English "us" (not "US").
_WALL_ADDRESS = _wall_words(
    r"you|your|yours|you['’](?:re|ve|ll|d)|please|we|we['’](?:re|ve|ll|d)|our|ours|(?-i:us)"
    r"|this (?:web ?)?(?:site|page)",
    r"(?-i:Sie|Ihr\w*|Ihnen)|bitte|dein\w*|wir|unser\w*|uns|diese[ns]? (?:web)?seite|diese website",
    r"twój|twoj\w*|cię|państw[oau]|nasz\w*|nam|nami|nas|prosimy|proszę|wyłącz|włącz|dodaj|zaznacz|kliknij"
    r"|klikając|zaakceptuj|akceptując|odśwież|łączysz|korzystasz|chcesz|znajdziesz|zgadzasz|akceptujesz|jesteś"
    r"|możesz|używasz|wyrażasz|wiesz|używamy|korzystamy|zbieramy|stosujemy|wykorzystujemy|podejrzewamy"
    r"|przepraszamy|odnotowaliśmy|zauważyliśmy|użytkowniku|zaloguj|wykup|zarejestruj",
    r"vous|votre|vos|tu|nous|notre|nos|veuillez|merci de|ce site|cliquez|acceptez|désactivez|activez"
    r"|en poursuivant|en continuant",
    r"usted|ustedes|tus|te|nosotros|nuestr[oa]s?|utilizamos|usamos|por favor|acept[ae]s?|desactiv[ae]"
    r"|habilit[ae]|ha[zg]a? clic|puls[ae]|si continúa\w*|al continuar|este sitio|esta (?:web|página)|estás|hemos"
    r"|marque|confirme|verifique|suscríbete|regístrate|inicia sesión|desactívalo|actívalo",
    r"tuo|tua|tuoi|voi|vostr[oaie]|noi|nostr[oaie]|utilizziamo|usiamo|per favore|si prega|accett[ai]|acconsenti"
    r"|clicca\w*|disattiva|abilita|proseguendo|continuando|questo sito|stai|abbiamo|accedi|abbonati|registrati"
    r"|iscriviti",
    r"вы|вас|вам|вами|ваш\w*|ты|тебя|тебе|тво[йяеёи]\w*|мы|нас|нам|наш\w*|пожалуйста|отключите|включите"
    r"|нажмите|нажимая|примите|подтвердите|разрешите|добавьте|обновите|продолжая|(?:этот|данный) сайт|оформите"
    r"|войдите|подпишитесь|зарегистрируйтесь",
    # Turkish: "siz", "your ..." (-ınız), "our ..." (-ımız) and "we ..." (-ıyoruz) endings, polite imperatives
    r"siz|sizin|sizi|sizden|sizler\w*|biz|bizim|bize|lütfen|sitemiz\w*|bu site\w*|\w+(?:ınız|iniz|unuz|ünüz)\w*"
    r"|\w+(?:ımız|imiz|umuz|ümüz)\w*|\w+(?:ıyoruz|iyoruz|uyoruz|üyoruz)|kapatın|tıklayın|kabul edin|izin verin"
    r"|etkinleştirin|devam ederek|abone olun|giriş yapın",
    r"أنت|أنتم|إنك|انك|أنك|لك|لكم|بك|يرجى|يُرجى|الرجاء|من فضلك|نحن|نستخدم|موقعنا|لدينا|لاحظنا|نلاحظ|هذا الموقع"
    r"|اشترك"
    r"|متصفحك|جهازك|عنوانك|بياناتك|توافق|باستمرارك|اضغط|انقر|عزيزي المستخدم",
    cjk="您|你|我们|请|本网站",
)
# An English imperative opening the sentence: "Disable AdBlock", "Subscribe to continue reading".
_WALL_IMPERATIVE = re.compile(
    r"^\W*(?:please\s+)?(?:click|tap|subscribe|sign (?:in|up)|log ?in|turn off|disable|enable|allow|accept"
    r"|whitelist|pause|verify|confirm|complete|upgrade|keep)\b",
    re.IGNORECASE,
)
_COOKIES = (
    r"cookie\w*|ciastecz\w*|çerez\w*|куки\w*|кукис\w*|ملفات تعريف الارتباط|ملفات الارتباط|الكوكيز|كوكيز"
    r"|témoins de connexion"
)
# Robot checks and block pages that need no cue: "I'm not a robot" alone is one.
_STRONG_BLOCK = (
    r"(?:i(?:['’]m| am)|you(?:['’]re| are)) not a robot|are you (?:a )?(?:human|robot)"
    r"|verify (?:that )?you(?:['’]re| are) (?:a )?human|you(?:['’]ve| have) been blocked"
    r"|access (?:is |has been )?denied"
    r"|access to this (?:page|site|website) (?:has been |is )?(?:denied|blocked|restricted)",
    r"(?:ich bin|sie sind|du bist) kein roboter|zugriff verweigert|zugang gesperrt|sie wurden (?:gesperrt|blockiert)",
    r"nie jeste(?:m|ś) robotem|dostęp (?:został )?zablokowany|dostęp zabroniony|został(?:eś|aś) zablokowan\w*",
    r"(?:je ne suis|vous n['’]êtes|tu n['’]es) pas un robot|accès refusé|vous avez été bloqué\w*",
    r"no (?:soy|eres|es) un robot|acceso denegado|(?:has|ha) sido bloquead\w*",
    r"non (?:sono|sei|essere) un robot|accesso negato|sei stat[oa] bloccat\w*",
    r"(?:я|вы) не робот|доступ (?:запрещ[её]н|ограничен|заблокирован)|вы (?:были )?заблокированы",
    r"robot değil(?:im|siniz)|robot olmadığınızı|erişim(?:iniz)? (?:engellendi|reddedildi)|engellendiniz",
    r"لست روبوت\w*|رفض الوصول|تم حظر (?:وصولك|الوصول)",
)
_STRONG_BLOCK_WORDS = _wall_words(*_STRONG_BLOCK, cjk="我不是机器人|访问被拒绝")

_BLOCK_KIND = "IP block / robot check"
# (kind, topic, cue) in the order a sentence is tried.
WALL_KINDS: tuple[tuple[str, re.Pattern[str], re.Pattern[str]], ...] = (
    (
        "cookie/consent notice",
        _wall_words(
            _COOKIES,
            r"personal data|(?:processing|use) of (?:your )?(?:personal )?data|data (?:processing|protection)"
            r"|privacy (?:policy|notice|statement)",
            r"personenbezogen\w* daten|persönlich\w* daten|datenverarbeitung|verarbeitung (?:\w+ ){0,2}daten"
            r"|datenschutz(?:erklärung|richtlinie|bestimmung|hinweis)\w*",
            r"przetwarza\w* (?:\w+ ){0,2}danych|dan\w* osobow\w*|ochron\w* danych|polityk\w* prywatności",
            r"données personnelles|traitement (?:de vos|des) données|vos données|politique de confidentialité",
            r"datos personales|tratamiento de (?:sus |tus |los )?datos|política de privacidad",
            r"dati personali|trattamento dei (?:tuoi |vostri )?dati|informativa (?:sulla )?privacy",
            r"персональн\w* данн\w*|обработк\w* (?:персональных )?данных|политик\w* конфиденциальности",
            r"kişisel veri\w*|verileriniz\w*|gizlilik politika\w*",
            r"البيانات الشخصية|معالجة البيانات|بياناتك|سياسة الخصوصية",
            cjk="个人数据|个人信息|隐私政策",
        ),
        _wall_words(
            r"accept\w*|agree\w*|consent\w*|continu\w*|by (?:using|clicking|browsing|visiting)"
            r"|(?:use|using) of (?:our|this)|visiting our|polic(?:y|ies)|settings|preferences|learn more"
            r"|more information|find out more|manage|partners|personali[sz]\w*|process\w*"
            r"|experience",
            r"akzeptier\w*|zustimm\w*|stimmen|einverstanden|einwillig\w*|zustimmung|nutzung|verwendung|verwende\w*"
            r"|nutzen|nutzt|einstellungen|informationen|anklicken|klicken|website|webseite|partner\w*"
            r"|werbung|setzen",
            r"akcept\w*|zaakceptuj\w*|zgod\w*|zgadza\w*|ustawie\w*|korzyst\w*|używ\w*|użyci\w*|klik\w*"
            r"|witryn\w*|stron\w*|partner\w*|reklam\w*|przetwarza\w*",
            r"accept\w*|consent\w*|poursui\w*|continu\w*|utilis\w*|navigation|paramètr\w*"
            r"|partenaires|publicit\w*|site|expérience",
            r"acept\w*|consent\w*|continu\w*|naveg\w*|uso|utiliz\w*|configuraci\w*|ajustes|socios"
            r"|publicidad|sitio|web|experiencia",
            r"accett\w*|consenso|acconsent\w*|prosegu\w*|continu\w*|navigazione|utilizz\w*|impostazioni|partner"
            r"|pubblicità|sito|esperienza",
            r"принима\w*|приня\w*|соглас\w*|продолжая|использ\w*|настройк\w*|партн[её]р\w*"
            r"|реклам\w*|сайт\w*",
            r"kabul\w*|onay\w*|izin\w*|devam\w*|kullan\w*|faydalan\w*|ayarlar\w*|reklam\w*|site\w*"
            r"|deneyim\w*",
            r"موافق\w*|قبول|أوافق|توافق|باستمرار\w*|استخدام|الإعدادات|إعلانات|الموقع|تجرب\w*",
            cjk="接受|同意|使用|设置|网站",
        ),
    ),
    (
        _BLOCK_KIND,
        _wall_words(
            r"(?-i:IP)|ip[- ]?address\w*|(?:re)?captcha|unusual traffic|suspicious (?:traffic|activity)",
            *_STRONG_BLOCK,
            r"ungewöhnlich\w* (?:daten)?verkehr|nietypow\w* ruch\w*|trafic inhabituel|tráfico inusual"
            r"|traffico insolito|(?:необычн|подозрительн)\w* трафик\w*|olağandışı trafik",
            r"حركة (?:مرور )?غير (?:عادية|طبيعية)",
            cjk="我不是机器人|访问被拒绝|验证码",
        ),
        re.compile(
            r"(?<![\d.])\d{1,3}(?:\.\d{1,3}){3}(?![\d.])|"  # the blocked address itself: "Your IP: 207.241.233.113"
            + _wall_words(
                r"block\w*|suspicious|unusual|detect\w*|misus\w*|abus\w*|too many|requests?|connections|traffic"
                r"|verif\w*|confirm\w*|human|robot|automat\w*",
                r"gesperrt|blockiert|verdächtig\w*|ungewöhnlich\w*|missbr\w*|anfragen|verbindungen|zugriff\w*"
                r"|bestätig\w*|roboter|mensch|festgestellt|erkannt",
                r"zablokowan\w*|podejrzan\w*|naduży\w*|połączeń|zapytań|ruch\w*|potwierd\w*|robotem|dostęp\w*|wykry\w*",
                r"bloqu\w*|suspect\w*|inhabituel\w*|requêtes|connexions|vérifi\w*|humain|détecté\w*",
                r"sospechos\w*|inusual|solicitudes|conexiones|verific\w*|humano|detectad\w*",
                r"blocc\w*|sospett\w*|insolit\w*|richieste|connessioni|conferm\w*|umano|rilevat\w*",
                r"заблокир\w*|блокир\w*|подозрительн\w*|необычн\w*|злоупотреб\w*|запрос\w*|подключени\w*"
                r"|соединени\w*|подтверд\w*|робот\w*|человек|обнаруж\w*",
                r"engel\w*|şüpheli|olağandışı|kötüye|istek\w*|bağlantı\w*|doğrula\w*|insan|tespit",
                r"حظر|محظور|مشبوه|غير عادية|طلبات|اتصالات|تحقق|تأكيد|روبوت|إنسان|رصد|اكتشف\w*",
                cjk="封锁|屏蔽|异常|验证|机器人",
            ).pattern,
            re.IGNORECASE,
        ),
    ),
    (
        "ad-block notice",
        _wall_words(
            r"ad[- ]?block\w*|ublock\w*|block(?:ing|s)? (?:the )?ads|ads? blockers?",
            r"werbeblocker\w*",
            r"blokow\w* reklam\w*|blokad\w* reklam\w*",
            r"bloqueur\w* de pub\w*|anti-?pubs?",
            r"bloqueador\w* de (?:anuncios|publicidad)",
            r"blocc\w* (?:degli |della |la )?(?:annunci|pubblicità)",
            r"блокировщик\w*|блокировк\w* рекламы",
            r"reklam engelle\w*",
            r"(?:مانع|حاجب|أداة حظر|حظر) (?:ال)?إعلانات",
            cjk="广告拦截|广告屏蔽|屏蔽广告",
        ),
        _wall_words(
            r"disabl\w*|turn\w* (?:it |them )?off|switch\w* off|pause|whitelist\w*|allowlist\w*|exceptions?"
            r"|support\w*|notic\w*|detect\w*|using|seem\w*|appear\w*",
            r"deaktivier\w*|ausschalten|abschalten|ausnahme|unterstütz\w*|erkannt|nutzen|verwenden",
            r"wyłącz\w*|dodaj\w*|wyjąt\w*|wspier\w*|używasz|korzystasz",
            r"désactiv\w*|soutenir|soutenez|utilisez|détecté",
            r"desactiv\w*|excepción|apoy\w*|utilizas|usas|detectado",
            r"disattiv\w*|eccezione|sosten\w*|usando|rilevato|utilizzi",
            r"отключ\w*|исключени\w*|поддерж\w*|используете|обнаружил\w*",
            r"kapat\w*|devre dışı|istisna|destek\w*|kullanıyorsunuz|tespit",
            r"تعطيل|إيقاف|أوقف|عطّل|استثناء|دعم|ادعم|تستخدم|لاحظنا",
            cjk="关闭|禁用|白名单|支持|注意到|检测到",
        ),
    ),
    (
        "enable-JavaScript/cookies notice",
        _wall_words(r"java ?script|джаваскрипт|جافا ?سكري?بت", _COOKIES),
        _wall_words(
            r"enabl\w*|disabl\w*|turn(?:ed)? on|activat\w*|required|support\w*|browsers?",
            r"aktivier\w*|deaktiviert|einschalte\w*|eingeschaltet|erforderlich|benötigt|unterstütz\w*",
            r"włącz\w*|wyłączon\w*|obsług\w*|aktywn\w*|wymagan\w*|przeglądar\w*",
            r"activ\w*|désactiv\w*|nécessaire\w*|requis|prend en charge|navigateur",
            r"habilit\w*|desactiv\w*|necesari\w*|requiere|admit\w*|compatible|navegador",
            r"abilit\w*|attiv\w*|disattiv\w*|necessari\w*|richiede",
            r"включ\w*|отключ\w*|необходим\w*|требуется|поддерж\w*|браузер\w*",
            r"etkinleştir\w*|etkin\w*|devre dışı|gerekli|destekle\w*|tarayıcı\w*",
            r"تفعيل|تمكين|معطل|مطلوب|يدعم|المتصفح|متصفحك",
            cjk="启用|开启|浏览器",
        ),
    ),
    (
        "paywall notice",
        _wall_words(
            r"subscri\w*|paywall|premium|members?[- ]only|(?<=your )complimentary(?= access)",
            r"abonnent\w*|abonnier\w*|plus-artikel\w*",
            r"prenumerat\w*|abonament\w*|subskrypcj\w*",
            r"abonn\w*",
            r"suscr[ií]\w*|suscripci\w*",
            r"abbona\w*",
            r"подписк\w*|подписчик\w*|премиум",
            r"abone\w*",
            r"اشتراك\w*|اشترك\w*|مشترك\w*",
            cjk="订阅|会员",
        ),
        _wall_words(
            r"continue (?:reading|viewing)|keep reading|read (?:the )?(?:full|rest|more)|unlock\w*|unlimited|only"
            r"|exclusive\w*|access|log ?in|sign in|already (?:a )?subscri\w*|free trial|limit\w*",
            r"weiterlesen|lesen sie weiter|nur für|exklusiv\w*|zugang|zugriff\w*|freischalt\w*|anmelden|einloggen"
            r"|bereits|unbegrenzt\w*",
            r"czytaj dalej|tylko dla|dostęp\w*|zaloguj\w*|odblokuj\w*|nieograniczon\w*",
            r"lire la suite|réservé\w*|accès|connect\w*|débloqu\w*|illimité\w*|déjà",
            r"seguir leyendo|sigue leyendo|exclusiv\w*|solo para|acceso|inicia sesión|desbloque\w*|ilimitad\w*",
            r"continua\w* a leggere|riservat\w*|solo per|accesso|accedi|sblocca|illimitat\w*",
            r"продолж\w* чтение|читать далее|только для|доступ\w*|войдите|неограниченн\w*",
            r"devamını oku|okumaya devam|sadece|yalnızca|erişim\w*|giriş yap\w*|sınırsız",
            r"متابعة القراءة|حصري\w*|فقط|الوصول|تسجيل الدخول|غير محدود",
            cjk="继续阅读|仅限|解锁|无限访问",
        ),
    ),
)
_WALL_TOPIC = re.compile("|".join(f"(?:{topic.pattern})" for _, topic, _ in WALL_KINDS), re.IGNORECASE)


# Every topic above holds one of these stems (in lower case; "_" is a space) or the upper-case "IP":
# a line without any is no wall, found by one fast literal search (the topics' regexes are slow).
_WALL_STEMS = re.compile(
    _trie(
        stem.replace("_", " ")
        for stem in _vocabulary(
            """
            cookie ciastecz çerez куки témoins data daten danych osobow prywatno données confidentialit datos
            privacidad dati данн конфиденциальн kişisel_veri verilerin gizlilik privacy
            ip_address ip-address ipaddress captcha robot робот unusual suspicious verify denied access are_you
            verweigert gesperrt sie_wurden dostęp zablokowan refusé bloqué denegado bloquead negato bloccat доступ
            заблокирован erişim engellendiniz ungewöhnlich nietypow trafic tráfico traffico трафик olağandışı
            block blok bloqueur antipub anti-pub bloqueador blocc блокиров reklam_engel java джаваскрипт
            subscri paywall premium member complimentary abonn plus-artikel prenumerat abonament subskrypc suscri
            suscrí abbona подпис премиум abone
            الارتباط كوكيز بيانات الخصوصية روبوت الوصول حظر حركة إعلانات جافا شترك شتراك
            个人 隐私 机器人 访问被拒绝 验证码 广告 订阅 会员
            """
        )
    )
)


def _may_be_wall(text: str) -> bool:
    return "IP" in text or bool(_WALL_STEMS.search(text.lower()))


def _count(text: str) -> int:
    return word_count.__wrapped__(text)  # sentences are many and each is counted once: no cache


def _addresses(sentence: str) -> bool:
    return bool(_WALL_ADDRESS.search(sentence) or _WALL_IMPERATIVE.match(sentence))


# Words glued by a lost newline: "Cookie-InformationenDieses Seite verwendet Cookies".
_GLUED_WORDS = re.compile(r"(?<=[a-zà-ÿąćęłńóśźżа-яё])(?=[A-ZÀ-ÞĄĆĘŁŃÓŚŹŻА-ЯЁ][a-zà-ÿąćęłńóśźżа-яё])")


def _has_wall_topic(text: str) -> bool:
    return _may_be_wall(text) and bool(_WALL_TOPIC.search(text))


def _sentence_wall(sentence: str) -> str | None:
    """The kind of access wall ``sentence`` is part of, or None."""
    if len(sentence) > _WALL_SENTENCE_CHARS or not _has_wall_topic(sentence):
        return None
    words = _count(sentence)
    if words > WALL_SENTENCE_WORDS:
        return None
    sentence = _GLUED_WORDS.sub(" ", sentence)  # only to look for words ("McDonald" may split: no harm)
    addressed = _addresses(sentence)  # a topic word may be the request: "Subscribe to continue reading"
    if _STRONG_BLOCK_WORDS.search(sentence) and (addressed or words <= _STRONG_WALL_WORDS):
        return _BLOCK_KIND
    if not addressed:
        return None
    for kind, topic, cue in WALL_KINDS:
        # The cue is another word than the topic: "your personal data" is no consent notice.
        if topic.search(sentence) and cue.search(topic.sub(" ", sentence)):
            return kind
    return None


def _sentences(line: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence of ``line``, spaces around it left out."""
    bounds = [0, *(match.end() for match in _SENTENCE_END.finditer(line)), len(line)]
    result = []
    for begin, end in itertools.pairwise(bounds):
        text = line[begin:end]
        if text.strip():
            start = begin + len(text) - len(text.lstrip())
            result.append((start, start + len(text.strip())))
    return result


def _wall_spans(line: str) -> list[tuple[int, int, str]]:
    """(start, end, kind) of the access-wall notices in ``line``.

    A line of *notice sentences* only -- wall sentences, sentences that share a wall
    sentence's topic or address, short fragments -- with at least one wall sentence and at
    most :data:`WALL_LINE_WORDS` words is a notice whole: its first sentences may lack a cue
    ("Aby poprawić swoją witrynę ... zbieramy anonimowe informacje"). In a line of other
    text, a notice starts at a wall sentence of at most :data:`WALL_CUT_WORDS` words and
    runs on to the next wall sentence across up to :data:`_WALL_GAP` notice sentences, and
    to the end of the line when no more of them follow; other sentences are never taken.
    Linear: a line without a wall topic's stem is searched once, and a sentence is looked at
    again only next to a wall sentence."""
    if not _may_be_wall(line):
        return []
    sentences = _sentences(line)
    kinds = [_sentence_wall(line[begin:end]) for begin, end in sentences]
    if not any(kinds):
        return []

    @functools.cache
    def words(i: int) -> int:
        return _count(line[sentences[i][0] : sentences[i][1]])

    @functools.cache
    def notice(i: int) -> bool:  # looked up lazily: only sentences near a wall sentence matter
        text = line[sentences[i][0] : sentences[i][1]]
        if kinds[i] or words(i) <= _WALL_FRAGMENT_WORDS:
            return True
        return len(text) <= _WALL_SENTENCE_CHARS and (_has_wall_topic(text) or _addresses(text))

    count = len(sentences)
    if word_count(line) <= WALL_LINE_WORDS and all(notice(i) for i in range(count)):
        return [(sentences[0][0], sentences[-1][1], next(kind for kind in kinds if kind))]
    spans: list[tuple[int, int, str]] = []
    i = 0
    while i < count:
        kind = kinds[i]
        if not kind or words(i) > WALL_CUT_WORDS:
            i += 1
            continue
        last = i
        extended = True
        while extended:
            extended = False
            for j in range(last + 1, min(last + _WALL_GAP + 2, count)):
                if kinds[j]:
                    last, extended = j, True
                    break
                if not notice(j):
                    break
        if count - 1 - last <= _WALL_GAP and all(notice(j) for j in range(last + 1, count)):
            last = count - 1
        spans.append((sentences[i][0], sentences[last][1], kind))
        i = last + 1
    return spans


def wall_kind(line: str) -> str | None:
    """The kind of access wall (a name in :data:`WALL_KINDS`) that ``line`` is as a whole, or None.

    >>> wall_kind("We noticed you're blocking ads!")
    'ad-block notice'
    >>> print(wall_kind("Websites must obtain users' consent before storing cookies, the court ruled."))
    None
    """
    line = line.strip()
    spans = _wall_spans(line)
    if len(spans) == 1 and spans[0][:2] == (0, len(line)):
        return spans[0][2]
    return None


def _split_walls(line: str) -> list[tuple[str, bool]]:
    """``line`` cut into its access-wall notices and the text around them: (part, is_wall)."""
    spans = _wall_spans(line)
    if not spans:
        return [(line, False)]
    parts, start = [], 0
    for begin, end, _ in spans:
        parts.extend([(line[start:begin], False), (line[begin:end], True)])
        start = end
    parts.append((line[start:], False))
    return [(part.strip(), wall) for part, wall in parts if part.strip()]


# -- glued chrome -----------------------------------------------------------------------


def _is_glued_chrome(tail: str) -> bool:
    """Whether the end of a paragraph is chrome: a social / subscription / "read also" call
    to action, or a short credit ("Quelle: Apa/Dpa"). A long "Source: ..." tail may well be
    text that goes on, so credits must be short."""
    words = word_count(tail)
    if words <= _GLUED_CREDIT_MAX_WORDS and _GLUED_CREDIT.match(tail):
        return True
    return words <= _CTA_MAX_WORDS and bool(_GLUED_CTA.match(tail))


_GLUED_TAIL_MAX_CHARS = 1_000  # a call to action of at most 30 words: no tail longer is tried


def _split_trailing_cta(line: str) -> list[str]:
    """``...the American people.Follow us on Twitter`` -> text + call to action.

    Sentence ends are tried from the last one back, as long as the tail stays short (in
    words and characters: the cost stays linear on a 5 MB line); a full stop inside a word
    (``News18.com``) is no sentence end."""
    for match in reversed(list(_SENTENCE_END.finditer(line))):
        end = match.end()
        if len(line) - end > _GLUED_TAIL_MAX_CHARS:
            break
        tail = line[end:].strip()
        if not tail:
            continue
        if word_count(tail) > _CTA_MAX_WORDS:
            break
        if _is_glued_chrome(tail):
            head = line[:end].strip()
            if head:
                return [head, tail]
    return [line]


def _split_camel_tail(line: str) -> list[str]:
    """``...via Google newsWorld`` -> call to action + the word glued to it."""
    match = _CAMEL_TAIL.search(line)
    if match:
        head, tail = line[: match.start()], line[match.start() :]
        if _is_cta(head):
            return [head, tail]
    return [line]


def _split_glued(lines: Sequence[str]) -> list[tuple[str, bool]]:
    """(part, whether it is an access wall) of ``lines`` after :func:`split_glued`."""
    result: list[tuple[str, bool]] = []
    for line in lines:
        for part, wall in _split_walls(line):
            if wall:
                result.append((part, True))
                continue
            for piece in _split_trailing_cta(part):
                result.extend((glued, False) for glued in _split_camel_tail(piece))
    return result


def split_glued(lines: Sequence[str]) -> list[str]:
    """Split chrome glued to text: an access-wall notice, a trailing call to action, a word glued to one."""
    return [part for part, _ in _split_glued(lines)]


# -- the zones --------------------------------------------------------------------------


def _is_bare_heading(line: str) -> bool:
    """A "Read also:" heading alone on its line, the linked headline on the next one."""
    core = _BULLET.sub("", line).strip()
    match = re.match(_READ_ALSO, core, re.IGNORECASE)
    return bool(match) and not _WORD.search(core[match.end() :])


def _mark_link_lists(lines: Sequence[str], chrome: list[bool], tail_start: int) -> None:
    """After a bare "read also" heading, the next headline-like line is the linked
    headline; in the tail, every headline-like line after any such heading is a link."""
    scanned = 0  # lines up to here were looked at already: each is scanned once (linear)
    for i, line in enumerate(lines):
        if not (chrome[i] and _is_read_also(line)):
            continue
        in_tail = i >= tail_start
        if not (in_tail or _is_bare_heading(line)):
            continue
        j = max(i + 1, scanned) if in_tail else i + 1
        while j < len(lines) and is_headline_like(lines[j]):
            chrome[j] = True
            if not in_tail:
                break
            j += 1
        if in_tail:
            scanned = j


def _mark_head(lines: Sequence[str], chrome: list[bool], end: int) -> None:
    """Labels, stamps, bylines and captions before the first paragraph; keep a headline.

    Before the headline only 1-2 word lines are labels: a 3-word line there is more
    likely a short headline ("Putin recalls envoy") than a section name."""
    headline_seen = False
    labels: list[int] = []
    for i in range(end):
        line = lines[i]
        if chrome[i]:
            continue
        words = word_count(line)
        if _is_stamp(line) or _is_byline(line) or (headline_seen and _is_caption(line)):
            chrome[i] = True
        elif _is_label(line) and (words < LABEL_WORDS or headline_seen):
            chrome[i] = True
            labels.append(i)
        elif is_headline_like(line):
            headline_seen = True
    if not headline_seen:
        # No headline of 3+ words: the last 2-word label before the text is the headline.
        candidates = [i for i in labels if word_count(lines[i]) >= 2]
        if candidates:
            chrome[candidates[-1]] = False


def _mark_tail(lines: Sequence[str], chrome: list[bool], start: int) -> None:
    for i in range(start, len(lines)):
        line = lines[i]
        if _is_label(line) or _is_stamp(line) or _is_byline(line):
            chrome[i] = True


def _mark_highlights(
    lines: Sequence[str], chrome: list[bool], head_end: int, tail_start: int, paragraphs: list[str]
) -> None:
    """Mark bullet highlights that repeat a paragraph. Bounded: the bullets nearest the text
    at each edge, against the article's lead (highlights summarise it)."""
    head = [i for i in range(head_end) if not chrome[i] and _BULLET.match(lines[i])][-_MAX_HIGHLIGHT_BULLETS:]
    tail = [i for i in range(tail_start, len(lines)) if not chrome[i] and _BULLET.match(lines[i])]
    bullets = head + tail[:_MAX_HIGHLIGHT_BULLETS]
    if not bullets:
        return
    paragraph_words = [_tokens(paragraph) for paragraph in paragraphs[:_MAX_HIGHLIGHT_PARAGRAPHS]]
    for i in bullets:
        chrome[i] = _is_repeated_highlight(lines[i], paragraph_words)


def _cut_photo_credits(
    parts: Sequence[tuple[str, bool]],
) -> tuple[list[str], list[bool], list[bool], list[str]]:
    """(lines without bracketed photo credits, which lines are captions, which are walls, the
    credits cut) of (line, is it a wall) ``parts``."""
    kept: list[str] = []
    captions: list[bool] = []
    walls: list[bool] = []
    credits: list[str] = []
    for line, wall in parts:
        rest, found, ends_in_credit = split_photo_credits(line)
        if not rest:
            credits.extend(found)
            continue
        kept.append(rest)
        # A sentence-like paragraph may be text with a credit glued on: only the credit goes.
        captions.append(ends_in_credit and not is_paragraph(rest))
        walls.append(wall)
        credits.extend(found)
    return kept, captions, walls, credits


def strip_chrome(lines: Sequence[str]) -> tuple[list[str], list[str]]:
    """Split ``lines`` into (kept, removed) page chrome; see the module docstring."""
    parts = [(line.strip(), wall) for line, wall in _split_glued(lines)]
    lines, captions, walls, credits = _cut_photo_credits([(line, wall) for line, wall in parts if line])
    chrome = [
        caption or wall or _is_pattern_chrome(line) for line, caption, wall in zip(lines, captions, walls, strict=True)
    ]
    paragraph_at = [i for i, line in enumerate(lines) if not chrome[i] and is_paragraph(line)]
    head_end = paragraph_at[0] if paragraph_at else len(lines)
    tail_start = paragraph_at[-1] + 1 if paragraph_at else len(lines)
    _mark_link_lists(lines, chrome, tail_start)
    _mark_head(lines, chrome, head_end)
    _mark_tail(lines, chrome, tail_start)
    _mark_highlights(lines, chrome, head_end, tail_start, [lines[i] for i in paragraph_at[:_MAX_HIGHLIGHT_PARAGRAPHS]])
    for i, line in enumerate(lines):
        if chrome[i] and not walls[i] and DATELINE.match(line):
            chrome[i] = False  # "WASHINGTON (AP) —" opens the story; it is not a label
    kept = [line for line, drop in zip(lines, chrome, strict=True) if not drop]
    removed = [line for line, drop in zip(lines, chrome, strict=True) if drop]
    return kept, removed + credits
