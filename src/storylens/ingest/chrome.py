"""Page-chrome removal: the navigation labels, buttons, calls to action, captions and
credits that scrapers leave around (and sometimes inside) an article's text.

The method is general -- patterns of *kinds* of chrome in several languages plus the
position of a line relative to the article's paragraphs -- not a list of one site's strings:

1. Glued chrome is split off first: a call to action trailing a paragraph's last sentence,
   and a word glued to a call to action when files were concatenated without a newline
   (``...via Google newsWorld`` -> ``...via Google news`` + ``World``).
2. The article's *paragraphs* are found: lines of at least 8 words ending like a sentence,
   or of at least 25 words. Lines before the first paragraph form the *head*, lines after
   the last the *tail*, the rest the *interior*.
3. Anywhere, a line is chrome when it matches a call-to-action, social, subscription,
   advertising, copyright, caption/credit, breadcrumb or button pattern, or is a single
   word without sentence punctuation (a photo credit such as ``Sputnik``).
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

Blank lines are layout, not content: they are dropped and not reported as removed.

Cost: linear in the length of the text. Every rule looks at one line (the patterns are
anchored or bounded), at a window of neighbours, or at a bounded number of lines (the
repeated-highlight check compares at most :data:`_MAX_HIGHLIGHT_BULLETS` bullets with at
most :data:`_MAX_HIGHLIGHT_PARAGRAPHS` paragraphs), so a 19 MB article or a 5 MB single
line costs seconds, not hours.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

__all__ = ["is_headline_like", "split_glued", "strip_chrome", "word_count"]

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


def _is_paragraph(line: str) -> bool:
    if _BULLET.match(line):
        return False
    words = word_count(line)
    return words >= LONG_LINE_WORDS or (words >= PARAGRAPH_WORDS and _ends_sentence(line))


# -- patterns of chrome -----------------------------------------------------------------


def _alternatives(*phrases: str) -> str:
    return "(?:" + "|".join(phrases) + ")"


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


def split_glued(lines: Sequence[str]) -> list[str]:
    """Split chrome glued to text: a trailing call to action, a word glued to one."""
    result: list[str] = []
    for line in lines:
        for part in _split_trailing_cta(line):
            result.extend(_split_camel_tail(part))
    return result


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


def _cut_photo_credits(lines: Sequence[str]) -> tuple[list[str], list[bool], list[str]]:
    """(lines without bracketed photo credits, which lines are captions, the credits cut)."""
    kept: list[str] = []
    captions: list[bool] = []
    credits: list[str] = []
    for line in lines:
        rest, found, ends_in_credit = split_photo_credits(line)
        if not rest:
            credits.extend(found)
            continue
        kept.append(rest)
        # A sentence-like paragraph may be text with a credit glued on: only the credit goes.
        captions.append(ends_in_credit and not _is_paragraph(rest))
        credits.extend(found)
    return kept, captions, credits


def strip_chrome(lines: Sequence[str]) -> tuple[list[str], list[str]]:
    """Split ``lines`` into (kept, removed) page chrome; see the module docstring."""
    lines = [line.strip() for line in split_glued(lines)]
    lines, captions, credits = _cut_photo_credits([line for line in lines if line])
    chrome = [caption or _is_pattern_chrome(line) for line, caption in zip(lines, captions, strict=True)]
    paragraph_at = [i for i, line in enumerate(lines) if not chrome[i] and _is_paragraph(line)]
    head_end = paragraph_at[0] if paragraph_at else len(lines)
    tail_start = paragraph_at[-1] + 1 if paragraph_at else len(lines)
    _mark_link_lists(lines, chrome, tail_start)
    _mark_head(lines, chrome, head_end)
    _mark_tail(lines, chrome, tail_start)
    _mark_highlights(lines, chrome, head_end, tail_start, [lines[i] for i in paragraph_at[:_MAX_HIGHLIGHT_PARAGRAPHS]])
    for i, line in enumerate(lines):
        if chrome[i] and DATELINE.match(line):
            chrome[i] = False  # "WASHINGTON (AP) —" opens the story; it is not a label
    kept = [line for line, drop in zip(lines, chrome, strict=True) if not drop]
    removed = [line for line, drop in zip(lines, chrome, strict=True) if drop]
    return kept, removed + credits
