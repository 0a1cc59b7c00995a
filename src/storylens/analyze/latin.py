"""Entities in Latin-script text (en de es fr it pl tr) by rules, without a model.

Capitalised word sequences are the candidates. A sequence is split and typed by, in
order: the gazetteer (places in every language, institutions), organisation cues
(Ministry, Agency, News, *ministerium, *bakanlığı), place cues (Airport, Street), person
titles before a name (President, spokesman, Präsident, prezydent…), a speech verb after
it (said, sagte, dijo…), name particles (bin, von, de) and, except in German where every
noun is capitalised, a default: two to four capitalised words that are not common words
are a person. Capitals that say nothing are discounted: sentence-initial words, words
also seen in lower case, and whole headline lines in Title Case.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from functools import cached_property

from storylens.analyze import gazetteer
from storylens.analyze.lexicon import (
    month_abbreviations,
    month_names,
    org_cues,
    person_titles,
    speech_verbs,
    stopwords,
    weekday_names,
    word_set,
)
from storylens.analyze.mentions import Mention
from storylens.analyze.text import POSSESSIVE_RE, fold

# Words without hyphens (US-Russia and Jean-Pierre are two words joined by "-"), dotted
# acronyms (U.S.) kept whole.
LATIN_WORD_RE = re.compile(r"(?:[^\W\d_]\.){2,}|[^\W\d_](?:[^\W_]|['’](?=[^\W\d_]))*")
ELISION_RE = re.compile(r"^(?:l|d|qu|j|s|n|c|m|t|dell|all|nell|sull|dall|coll|un)['’](?=\w)", re.IGNORECASE)
BOUNDARY_RE = re.compile(r"[.!?…:;\n\"“”«»„]")
ACRONYM_RE = re.compile(r"[A-ZÄÖÜ]{2,6}|(?:[A-Z]\.){2,}")
POLISH_ENDINGS = ("owi", "iem", "em", "ie", "u", "y", "i", "ą", "ę", "a")
BIG_PLACE_RANK = gazetteer.BIG_CITY_RANK  # may open a longer name: Moscow Mayor X
GERMAN_MIN_RANK = 1_000_000  # a town of 100,000


@dataclass(slots=True)
class Word:
    text: str
    name: str  # elision and possessive cut: l'Iran → Iran, Biden's → Biden, Putin'in → Putin
    folded: str
    start: int
    end: int
    initial: bool  # first of a sentence, line, quote or after a colon: its capital says nothing

    @property
    def cap(self) -> bool:
        return self.name[:1].isupper()

    @property
    def upper(self) -> bool:
        return (
            bool(ACRONYM_RE.fullmatch(self.name)) and self.folded.replace(".", "") not in word_set("not_acronyms").exact
        )


class LatinExtractor:
    def __init__(self, text: str, lang: str | None) -> None:
        self.text = text
        self.lang = lang
        self.words = self._words()
        self.gaz = gazetteer.get()
        self.demonym = self.gaz.demonym  # memoised for the process
        self.newlines = [m.start() for m in re.finditer("\n", text)]
        self.shouting_lines: dict[int, bool] = {}
        self.stop = stopwords(lang)
        self.titles = person_titles(lang)
        self.orgs = org_cues(lang)
        self.verbs = speech_verbs(lang)
        self.determiners = word_set("determiners")
        self.particles = word_set("name_particles")
        self.connectors = word_set("org_connectors")
        self.place_cues = word_set("place_cues")
        self.calendar = set(month_names(lang)) | set(month_abbreviations(lang)) | set(weekday_names(lang))
        self.calendar |= word_set("holidays").exact  # Christmas Eve, New Year: no names
        self.lower_seen = {w.folded for w in self.words if w.name[:1].islower()}
        self.mentions: list[Mention] = []

    # ------------------------------------------------------------------ words

    def _words(self) -> list[Word]:
        words: list[Word] = []
        previous_end = 0
        for match in LATIN_WORD_RE.finditer(self.text):
            gap = self.text[previous_end : match.start()]
            after_abbreviation = bool(words) and gap.lstrip().startswith(".") and _is_abbreviation(words[-1])
            initial = not words or (bool(BOUNDARY_RE.search(gap)) and not after_abbreviation)
            raw = match.group()
            name = POSSESSIVE_RE.sub("", ELISION_RE.sub("", raw)) or raw
            words.append(Word(raw, name, fold(name), match.start(), match.end(), initial))
            previous_end = match.end()
        return words

    @cached_property
    def titlecase_lines(self) -> set[int]:
        """Start offsets of lines in Title Case (headlines): their capitals say nothing."""
        found = set()
        threshold = 0.9 if self.lang == "de" else 0.7
        offset = 0
        for line in self.text.split("\n"):
            long_words = [w for w in LATIN_WORD_RE.findall(line) if len(w) >= 4]
            capitalised = sum(w[0].isupper() for w in long_words)
            sentence = line.rstrip().endswith((".", "!", "?", "…", '."', ".”"))  # headlines end bare
            if len(long_words) >= 4 and capitalised >= threshold * len(long_words) and not sentence:
                found.add(offset)
            offset += len(line) + 1
        return found

    def _line_start(self, position: int) -> int:
        """Offset of the line holding ``position`` (by bisection: a 5 MB text may be one line)."""
        k = bisect_left(self.newlines, position)
        return self.newlines[k - 1] + 1 if k else 0

    def _joins(self, left: int, right: int) -> bool:
        """Whether two neighbouring words can belong to one name: a space or hyphen between
        them, or the dot of an initial (John F. Kennedy)."""
        gap = self.text[self.words[left].end : self.words[right].start]
        if gap in (" ", "\u00a0", "-", "‐"):
            return True
        return gap == ". " and len(self.words[left].name) == 1 and self.words[left].cap

    # ------------------------------------------------------------------ run

    def run(self) -> list[Mention]:
        covered: set[int] = set()
        for span in self._spans():
            covered.update(span)
            self._span(span)
        for index, word in enumerate(self.words):
            if index not in covered and word.name[:1].islower():
                self._demonym(word)  # russische, estadounidense, russe
        return self.mentions

    def _spans(self) -> list[list[int]]:
        """Runs of capitalised words; lower-case particles and connectors may join two
        (Mohammed bin Salman, Ministry of Foreign Affairs)."""
        spans, i, n = [], 0, len(self.words)
        while i < n:
            if not self.words[i].cap or self.words[i].folded in self.calendar:
                i += 1
                continue
            span, j = [i], i
            while j + 1 < n and self._joins(j, j + 1):
                following = self.words[j + 1]
                if self.words[j].text != self.words[j].name and not ELISION_RE.match(self.words[j].text):
                    break  # Biden's, Biden'ın: a case or possessive suffix ends the name
                if following.cap and following.folded not in self.calendar:
                    span.append(j + 1)
                    j += 1
                    continue
                joined = self._particles_then_name(j)
                if joined:
                    span.extend(joined)
                    j = joined[-1]
                    continue
                break
            spans.append(span)
            i = j + 1
        return spans

    def _particles_then_name(self, j: int) -> list[int]:
        """The one or two lower-case joiners after word j and the capitalised word after
        them (bin Salman, von der Leyen, de la Fuente), or nothing."""
        for size in (1, 2):
            end = j + size + 1
            if end >= len(self.words) or not all(self._joins(k, k + 1) for k in range(j, end)):
                return []
            middle = self.words[j + 1 : end]
            second_ok = size == 1 or middle[1].folded in self.determiners.exact  # von der, de la, of the
            if self._joiner(j, middle[0]) and second_ok and self.words[end].cap:
                return list(range(j + 1, end + 1))
        return []

    def _joiner(self, left: int, word: Word) -> bool:
        """A lower-case word that may join two capitalised ones: name particles (bin, von,
        de) and connectors of organisation names (of, for, de). German capitalises every
        noun, so there only a particle after a word that is no common noun joins."""
        if self.lang == "de":
            before = self.words[left]
            return (
                word.folded in word_set("german_particles").exact
                and before.folded not in self.lower_seen
                and before.cap
            )
        return word.folded in self.particles.exact or word.folded in self.connectors.exact

    # ------------------------------------------------------------------ one span

    def _span(self, span: list[int]) -> None:
        if len(span) > 1 and self.words[span[0]].folded in self.determiners.exact:
            place = self._lookup(self._name(span))
            if place is not None:  # Los Angeles, The Hague, La Paz
                self._add(span, self._name(span), place.kind, place.canonical)
                return
        while span and (
            self.words[span[0]].folded in self.determiners.exact
            or self.words[span[0]].folded in word_set("page_chrome").exact
        ):
            span = span[1:]
        while span and (not self.words[span[-1]].cap or self._trailing_function_word(self.words[span[-1]])):
            span = span[:-1]  # a trailing connector or function word (… Saidykhan For)
        if not span:
            return
        words = [self.words[i] for i in span]
        if words[0].folded in self.calendar and len(words) == 1:
            return
        if self._line_start(words[0].start) in self.titlecase_lines:
            self._known_only(span)
            return
        if self._whole(span):
            return
        while span and self._droppable_head(span):
            span = span[1:]
        while span and not self.words[span[0]].cap:
            span = span[1:]  # the particle left behind
        if span:
            self._decompose(span)

    def _whole(self, span: list[int]) -> bool:
        """The whole span as one gazetteer name, organisation or facility."""
        words = [self.words[i] for i in span]
        name = self._name(span)
        place = self._lookup(name)
        if place is not None and (len(span) > 1 or self._trusted_single_place(words[0], place)):
            weak = len(span) == 1 and place.rank < BIG_PLACE_RANK
            self._add(span, name, place.kind, place.canonical, weak_place=weak)
            return True
        if len(span) > 1 or not words[0].initial:
            if len(span) > 1 and words[-1].folded in self.place_cues.exact:
                self._add(span, name, "place")  # John F. Kennedy International Airport
                return True
            if any(self._is_org_cue(w, alone=len(words) == 1) for w in words):
                self._add(span, name, "org")
                return True
        return False

    def _decompose(self, span: list[int]) -> None:
        """Left to right: places and demonyms that open the span, person titles, and the
        name chunks between them (US President Joe Biden → US | President | Joe Biden)."""
        cue = self._cue_before(span[0])
        chunk: list[int] = []
        complement = False  # after "Secretary of": State is the title's, Mike Pompeo the name
        k = 0
        while k < len(span):
            word = self.words[span[k]]
            if self._is_title(word):
                self._modifier(chunk)
                chunk, cue = [], word.text == word.name  # the Chairman's New Year: no name follows
                complement = k + 1 < len(span) and self.words[span[k + 1]].folded in word_set("of_words").exact
                k += 1
                continue
            if not chunk and not word.cap:
                k += 1  # a connector left over after a place: Washington per Mosca
                continue
            if not chunk:
                taken = self._place_prefix(span, k, after_title=cue)
                if taken:
                    k += taken
                    continue
            chunk.append(span[k])
            k += 1
        if complement and len(chunk) >= 3:
            self._modifier(chunk[:-2])
            chunk = chunk[-2:]
        self._flush(chunk, cue)

    def _place_prefix(self, span: list[int], k: int, headline: bool = False, after_title: bool = False) -> int:
        """Add the longest place (or demonym) starting at span[k]; return its word count."""
        rest = len(span) - k
        for size in range(min(rest, self.gaz.max_words), 0, -1):
            part = span[k : k + size]
            place = self._lookup(self._name(part))
            if place is None:
                continue
            if size == 1 and rest > 1 and not self._splits(span[k], span[k + 1], place.rank, headline, after_title):
                break  # Jackson in Michael Jackson, Jordan in Jordan Morris
            self._add(part, self._name(part), place.kind, place.canonical)
            return size
        word = self.words[span[k]]
        country = self.demonym(word.name.split("-")[0])
        if country is not None and not (rest == 1 and word.initial and word.folded in self.lower_seen):
            self._add([span[k]], word.name, "place", country)
            return 1
        return 0

    def _modifier(self, chunk: list[int]) -> None:
        """Capitalised words right before a title qualify it (Rusya Devlet Başkanı, White
        House Press Secretary): places and organisations in them count, no person."""
        if chunk and not self._whole(chunk):
            self._known_only(chunk)

    def _splits(self, index: int, following: int, rank: int, headline: bool, after_title: bool) -> bool:
        """Whether a one-word place is split off the words after it: in a headline, an
        acronym (USA Anatolij Antonow), a big place after a person title (prezydent USA
        Joe Biden) or before one or a demonym (Moscow Mayor) is; a country or town before
        a plain name is a first name (Jordan Morris, Paris Hilton)."""
        word, after = self.words[index], self.words[following]
        if headline or word.upper or not after.cap:
            return True
        big = rank >= BIG_PLACE_RANK
        return big and (after_title or self._is_title(after) or self.demonym(after.name) is not None)

    def _flush(self, chunk: list[int], cue: bool) -> None:
        if not chunk:
            return
        words = [self.words[i] for i in chunk]
        name = self._name(chunk)
        place = self._lookup(name)
        last = self.words[chunk[-1]]
        last_place = self._lookup(last.name) if len(chunk) > 1 else None
        if (
            place is None
            and len(chunk) > 1
            and ((last_place is not None and last_place.rank >= BIG_PLACE_RANK) or self.demonym(last.name))
        ):
            self._flush(chunk[:-1], cue)  # Baba Beijing, Color Revolution Chinese: no person ends so
            self._place_prefix(chunk, len(chunk) - 1)
            return
        if place is not None:
            self._add(
                chunk, name, place.kind, place.canonical, weak_place=len(chunk) == 1 and place.rank < BIG_PLACE_RANK
            )
        elif len(words) == 1 and words[0].upper and not cue:
            self._add(chunk, name, "org")  # TASS, NATO, CNN
        elif len(words) == 1 and words[0].initial and not cue and self._plural_noun(words[0]):
            self._add(chunk, name, None, misc_ok=False)  # Officials said, Rescuers told: no one's name
        elif self._person_cued(chunk, cue) or self._looks_like_person(chunk):
            self._add(chunk, name, "person")
        elif self.lang == "de":
            for index in chunk:  # capitalised nouns; single words may still be a surname (Bidens)
                self._add([index], self.words[index].name, None, misc_ok=False)
        else:
            only_initial = len(words) == 1 and words[0].initial
            self._add(chunk, name, None, misc_ok=not only_initial)

    @cached_property
    def body_names(self) -> set[str]:
        """Folded multi-word capitalised sequences outside headlines: the names a headline
        may repeat."""
        names = set()
        for span in self._spans():
            if len(span) > 1 and self._line_start(self.words[span[0]].start) not in self.titlecase_lines:
                for size in range(2, min(len(span), 4) + 1):
                    names.update(fold(self._name(span[k : k + size])) for k in range(len(span) - size + 1))
        return names

    def _known_only(self, span: list[int]) -> None:
        """Headline words: places, demonyms and acronyms, names the body repeats, and
        single words that may turn out to be a person's surname; no new names."""
        k = 0
        while k < len(span):
            size = next((n for n in (3, 2) if fold(self._name(span[k : k + n])) in self.body_names), 0)
            if size and k + size <= len(span):
                self._add(span[k : k + size], self._name(span[k : k + size]), None, misc_ok=False)
                k += size
                continue
            taken = self._place_prefix(span, k, headline=True)
            if taken:
                k += taken
                continue
            word = self.words[span[k]]
            if word.folded in self.calendar:
                pass
            elif word.upper and not self._shouting(word):
                self._add([span[k]], word.name, "org")
            elif not self._is_title(word) and word.folded not in self.stop:
                self._add([span[k]], word.name, None, misc_ok=False)
            k += 1

    # ------------------------------------------------------------------ cues

    def _lookup(self, name: str) -> gazetteer.Place | None:
        """The gazetteer, also for Polish case forms: Moskwy, Moskwie → Moskwa;
        Waszyngtonu → Waszyngton; Rosji → Rosja; Kremla → Kreml."""
        place = self.gaz.lookup(name)
        if place is not None and self.lang == "de" and " " not in name.strip() and place.rank < GERMAN_MIN_RANK:
            return None  # every German noun is capitalised: Lage, Ende and Boden are towns too
        if place is not None or self.lang != "pl" or " " in name.strip():
            return place
        for ending in POLISH_ENDINGS:
            if name.endswith(ending) and len(name) - len(ending) >= 3:
                stem = name[: -len(ending)]
                for candidate in (stem, stem + "a"):
                    place = self.gaz.lookup(candidate)
                    if place is not None:
                        return place
        return None

    def _shouting(self, word: Word) -> bool:
        """A word of a line written in capitals, not an acronym (once per line)."""
        start = self._line_start(word.start)
        if start not in self.shouting_lines:
            end = self.text.find("\n", word.start)
            line = self.text[start : end if end >= 0 else len(self.text)]
            letters = [c for c in line if c.isalpha()]
            shouting = len(letters) > 20 and sum(c.isupper() for c in letters) > 0.8 * len(letters)
            self.shouting_lines[start] = shouting
        return self.shouting_lines[start]

    def _plural_noun(self, word: Word) -> bool:
        """An English plural of a word used in lower case elsewhere or of a title: officials,
        rescuers, diplomats (the singular "official" seen, or the word ends -ers/-ials/-ists)."""
        folded = word.folded
        if self.lang not in (None, "en") or not folded.endswith("s") or folded.endswith("ss"):
            return False
        singular = folded[:-1]
        return (
            singular in self.lower_seen
            or singular in self.titles
            or (folded.endswith(("ers", "ials", "ists", "ians", "ents", "ors")) and folded not in self.capitalised_mid)
        )

    def _is_title(self, word: Word) -> bool:
        return word.folded in self.titles

    def _is_org_cue(self, word: Word, alone: bool = False) -> bool:
        """An organisation word; alone in German only as a compound (Bundesbank, not the
        noun Gesellschaft), since every German noun is capitalised."""
        if alone and self.lang == "de":
            return word.folded in self.orgs and word.folded not in {s.lstrip("*") for s in self.orgs.suffixes}
        return word.folded in self.orgs

    def _trusted_single_place(self, word: Word, place: gazetteer.Place) -> bool:
        """A one-word place name is taken anywhere but at a sentence start, where only big
        places count (Washington recalled…; not Celem, "the purpose", a Polish village)."""
        if not word.initial:
            return True
        if word.folded in self.stop or word.folded in self.lower_seen:
            return False
        return place.rank >= BIG_PLACE_RANK or word.folded in self.capitalised_mid

    @cached_property
    def capitalised_mid(self) -> set[str]:
        return {w.folded for w in self.words if w.cap and not w.initial}

    def _trailing_function_word(self, word: Word) -> bool:
        """Short function words only: a name may end in a longer one (Human Rights Watch)."""
        return word.folded in self.stop.exact and len(word.folded) <= 3 and not word.upper

    def _droppable_head(self, span: list[int]) -> bool:
        """A span's first word that is no part of a name: a function word, or a sentence
        start that is seen in lower case too or is followed by a particle (Interessata da
        Jack Williams)."""
        word = self.words[span[0]]
        if self._is_title(word):
            return False  # Secretary of State Mike Pompeo
        if (word.folded in self.stop.exact or word.folded in word_set("page_chrome").exact) and not word.upper:
            return True  # The …, In …, Read More …, Follow …
        if not word.initial or self.demonym(word.name) is not None:
            return False
        return word.folded in self.lower_seen or (len(span) > 1 and not self.words[span[1]].cap)

    def _cue_before(self, index: int) -> bool:
        """A person title among the few words before (the US President, Joe Biden; Russian
        video blogger Alexey Navalny; Ambassador to the United States Anatoly Antonov),
        within the sentence, with only articles, places, demonyms and a few prepositions
        between (not "Aktivisten für die Botschaft")."""
        k, steps = index - 1, 0
        while k >= 0 and steps < 6:
            word = self.words[k]
            gap = self.text[word.end : self.words[k + 1].start]
            if re.search(r"[.!?;:\n]", gap) and not _is_abbreviation(word):
                return False
            if self._is_title(word):
                return True
            if word.folded in word_set("of_words").exact:
                return False  # a critic of the Saudi Royal family: the title has its complement
            skippable = (
                word.folded in word_set("title_links").exact
                or word.folded in self.determiners.exact
                or self.demonym(word.name) is not None
                or (word.cap and self._lookup(word.name) is not None)
            )
            if not skippable:
                return False
            k, steps = k - 1, steps + 1
        return False

    def _person_cued(self, chunk: list[int], cue: bool) -> bool:
        """A title before or a speech verb after makes a name a person's, unless an article
        stands right before it (der Anwalt der Familie sagte; la Agencia dijo). A single
        German word stays a noun: it becomes a person only as a known surname."""
        if chunk[0] > 0 and self.words[chunk[0] - 1].folded in self.determiners.exact and len(chunk) == 1:
            return False
        if self.lang == "de" and len(chunk) == 1:
            return False
        return cue or self._said_after(chunk[-1])

    def _said_after(self, index: int) -> bool:
        """A speech verb right after the name, maybe past an auxiliary (Biden has said);
        not across punctuation or a closing quote ("… Comeback", sagte er)."""
        for k in range(index + 1, min(index + 3, len(self.words))):
            word = self.words[k]
            if re.search(r"[.,!?;:\n\"“”«»„]", self.text[self.words[k - 1].end : word.start]):
                return False
            if word.folded in self.verbs:
                return True
            if word.folded not in word_set("auxiliaries").exact:
                return False
        return False

    def _looks_like_person(self, chunk: list[int]) -> bool:
        """Two to four capitalised words, none a common word, not after a determiner (the
        White House); or with a particle inside (Mohammed bin Salman). Not in German,
        where nouns are capitalised."""
        if self.lang == "de":
            return False
        words = [self.words[i] for i in chunk]
        capitalised = [w for w in words if w.cap]
        lower = [w for w in words if not w.cap]
        if any(w.folded not in self.particles.exact for w in lower):
            return False  # House of Representatives: "of" joins organisation names, not person names
        if lower and len(capitalised) >= 2:
            return True  # Mohammed bin Salman, Ursula von der Leyen
        if not 2 <= len(capitalised) <= 4:
            return False
        if chunk[0] > 0 and self.words[chunk[0] - 1].folded in self.determiners.exact:
            return False
        return not any(
            w.folded in self.stop or w.folded in self.lower_seen or w.folded in self.calendar or w.upper
            for w in capitalised
        )

    def _demonym(self, word: Word) -> None:
        country = self.demonym(word.name)
        if country is not None:
            self.mentions.append(Mention(word.start, word.end, word.name, "place", country))

    # ------------------------------------------------------------------ output

    def _name(self, indices: list[int]) -> str:
        first, last = self.words[indices[0]], self.words[indices[-1]]
        start = first.start + first.text.find(first.name) if first.name != first.text else first.start
        end = last.start + len(last.name) if last.text.startswith(last.name) else last.end
        return self.text[start:end]

    def _add(
        self, indices: list[int], name: str, kind, canonical: str | None = None, misc_ok: bool = True, weak_place=False
    ) -> None:
        start, end = self.words[indices[0]].start, self.words[indices[-1]].end
        self.mentions.append(Mention(start, end, name, kind, canonical, misc_ok, weak_place))


def _is_abbreviation(word: Word) -> bool:
    """Mr., Gen., Dec., an initial: a dot after it ends no sentence."""
    return word.folded in word_set("abbreviations").exact or (len(word.name) == 1 and word.name.isupper())


def latin_mentions(text: str, lang: str | None) -> list[Mention]:
    return LatinExtractor(text, lang).run()
