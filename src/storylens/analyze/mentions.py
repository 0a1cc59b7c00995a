"""Entity mentions found by the per-script extractors, and their merging into entities.

An extractor returns :class:`Mention` objects: a character span, a kind (or None for a
capitalised word of unknown kind, kept in case it turns out to be the surname of a person
named in full elsewhere) and a name. :func:`merge` folds them into :class:`Entity`
records: one per place canonical name, one per person (surnames and inflected forms fold
into the full name: "Vladimir Putin", "Putin", "Putin's" → count 3).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from anyascii import anyascii

from storylens.analyze.names import _skeletons, name_key, name_words, same_name, same_word
from storylens.analyze.text import char_script, fold, romanize_arabic
from storylens.article import Entity, EntityKind


@dataclass(slots=True)
class Mention:
    start: int
    end: int
    name: str  # the name as written, cleaned (possessive cut, lemma for Russian)
    kind: EntityKind | None  # None: capitalised word of unknown kind
    canonical: str | None = None  # from the gazetteer, when it knows the name
    misc_ok: bool = True  # may become a misc entity when nothing claims it (not German nouns)
    weak_place: bool = False  # one word that a small town is called: a known person's surname wins


@dataclass
class Cluster:
    kind: EntityKind
    mentions: list[Mention]
    canonical: str | None = None
    _name: str | None = None  # cached: recomputing it per lookup made merging quadratic

    @property
    def name(self) -> str:
        """The longest name written (the full name of a person)."""
        if self._name is None:
            self._name = max((m.name for m in self.mentions), key=_name_rank)
        return self._name

    def add(self, mention: Mention) -> None:
        self.mentions.append(mention)
        if self._name is not None and _name_rank(mention.name) > _name_rank(self._name):
            self._name = mention.name


def _name_rank(name: str) -> tuple[int, int]:
    return len(name.split()), len(name)


class PersonIndex:
    """Person clusters indexed by the first and last letter of their surname's skeletons,
    so finding the person a name belongs to looks at a handful of clusters, not all.

    Exact: :func:`same_word` holds only for equal folds or skeletons that agree in their
    first and last letter, and :func:`same_name` of a full name needs ``same_word`` of the
    surnames (or an equal key, indexed apart)."""

    def __init__(self) -> None:
        self.clusters: list[Cluster] = []
        self._by_letters: dict[tuple[str, str], list[Cluster]] = {}
        self._by_key: dict[str, list[Cluster]] = {}
        self._indexed_name: dict[int, str] = {}
        self._order: dict[int, int] = {}

    def add(self, cluster: Cluster) -> None:
        self._order[id(cluster)] = len(self.clusters)
        self.clusters.append(cluster)
        self._index(cluster)

    def append(self, cluster: Cluster, mention: Mention) -> None:
        cluster.add(mention)
        if cluster.name != self._indexed_name[id(cluster)]:
            self._index(cluster)  # a longer name: its surname may differ (index it too)

    def _index(self, cluster: Cluster) -> None:
        name = cluster.name
        self._indexed_name[id(cluster)] = name
        for letters in _surname_letters(name):
            bucket = self._by_letters.setdefault(letters, [])
            if not bucket or bucket[-1] is not cluster:
                bucket.append(cluster)
        self._by_key.setdefault(name_key(name), []).append(cluster)

    def find(self, name: str) -> Cluster | None:
        """The cluster of ``name``: a full name by :func:`same_name`, a single word as the
        surname of a full name; two Bidens named in full: the one mentioned most."""
        words = name_words(name)
        candidates = {id(c): c for c in self._by_key.get(name_key(name), [])}
        for letters in _surname_letters(name):
            candidates.update((id(c), c) for c in self._by_letters.get(letters, []))
        matches = [
            cluster
            for cluster in candidates.values()
            if (len(words) >= 2 and same_name(cluster.name, name))
            or (len(words) == 1 and same_word(name_words(cluster.name)[-1], words[0]))
        ]
        return max(matches, key=lambda c: (len(c.mentions), -self._order[id(c)]), default=None)


def _surname_letters(name: str) -> set[tuple[str, str]]:
    words = name_words(name)
    if not words:
        return set()
    return {(s[0], s[-1]) for s in _skeletons(words[-1]) if s} | {("fold", fold(words[-1]))}


def merge(mentions: list[Mention]) -> tuple[list[Entity], list[tuple[Mention, int]]]:
    """Entities (most mentioned first) and every kept mention with its entity's index.
    Linear in the mentions: person lookups go through a :class:`PersonIndex`."""
    persons = _person_clusters([m for m in mentions if m.kind == "person"])
    others = [m for m in mentions if m.kind != "person"]
    for mention in others:
        if mention.weak_place and persons.find(mention.name) is not None:
            mention.kind, mention.canonical = None, None  # Morris of Jordan Morris, not Morris, Illinois
    clusters = _canonical_clusters(others) + persons.clusters
    for kind in ("org", "place"):
        clusters.extend(_name_clusters([m for m in others if m.kind == kind and not m.canonical], kind))
    clusters.extend(_fold_unknown([m for m in others if m.kind in (None, "misc")], persons, clusters))
    ordered = sorted(clusters, key=lambda c: (-len(c.mentions), min(m.start for m in c.mentions)))
    kept = [(m, index) for index, cluster in enumerate(ordered) for m in cluster.mentions]
    return [_entity(cluster) for cluster in ordered], kept


def _canonical_clusters(mentions: list[Mention]) -> list[Cluster]:
    """Places and institutions the gazetteer knows: one cluster per canonical name."""
    clusters: dict[tuple[str, str], Cluster] = {}
    for mention in sorted(mentions, key=lambda m: m.start):
        if mention.canonical and mention.kind in ("place", "org"):
            key = (mention.kind, mention.canonical)
            clusters.setdefault(key, Cluster(mention.kind, [], mention.canonical)).add(mention)
    return list(clusters.values())


def _person_clusters(mentions: list[Mention]) -> PersonIndex:
    """Full names first (longest first), then single names fold into the full name whose
    surname they match, else into each other."""
    index = PersonIndex()
    ordered = sorted(mentions, key=lambda m: (-len(name_words(m.name)), m.start))
    for mention in ordered:
        target = index.find(mention.name)
        if target is None:
            index.add(Cluster("person", [mention]))
        else:
            index.append(target, mention)
    return index


def _name_clusters(mentions: list[Mention], kind: EntityKind) -> list[Cluster]:
    clusters: dict[str, Cluster] = {}
    for mention in mentions:
        key = name_key(mention.name)
        clusters.setdefault(key, Cluster(kind, [])).add(mention)
    return list(clusters.values())


def _fold_unknown(mentions: list[Mention], persons: PersonIndex, clusters: list[Cluster]) -> list[Cluster]:
    """Capitalised words of unknown kind: a person's surname joins the person, a name
    already seen as an organisation joins it, the rest become misc when allowed."""
    named = {name_key(m.name): c for c in clusters if c.kind in ("org", "place") for m in c.mentions}
    person_of_key: dict[str, Cluster] = {}
    for person in persons.clusters:
        person_of_key.setdefault(name_key(person.name), person)
    misc: dict[str, Cluster] = {}
    later = []
    for mention in mentions:
        key = name_key(mention.name)
        one_word = len(name_words(mention.name)) == 1
        # A full name joins a person by its key (seen as a person elsewhere: a headline, a sentence start).
        person = persons.find(mention.name) if one_word else person_of_key.get(key)
        if person is not None:
            persons.append(person, mention)
        elif key in named:
            named[key].add(mention)
        elif mention.kind == "misc" or mention.misc_ok:
            misc.setdefault(key, Cluster("misc", [])).add(mention)
        else:
            later.append(mention)
    for mention in later:  # a sentence-initial or headline word joins a misc name seen elsewhere
        if name_key(mention.name) in misc:
            misc[name_key(mention.name)].add(mention)
    return [c for key, c in misc.items() if key and _worth_keeping(c)]


def _worth_keeping(cluster: Cluster) -> bool:
    """A misc name seen twice, of several words, or distinctive (SolarWinds, G7); not a
    lone capitalised word (Royal, Internet), most of which are noise."""
    name = cluster.name
    if len(name) < 2:
        return False
    return len(cluster.mentions) >= 2 or len(name.split()) >= 2 or any(c.isupper() or c.isdigit() for c in name[1:])


def _entity(cluster: Cluster) -> Entity:
    name = cluster.name
    if cluster.canonical:
        canonical = cluster.canonical
        written = Counter(m.name for m in cluster.mentions).most_common(1)[0][0]
    else:
        canonical = _latin_display(name)
        written = name
    return Entity(
        text=written, kind=cluster.kind, key=name_key(canonical), canonical=canonical, count=len(cluster.mentions)
    )


def _latin_display(name: str) -> str:
    """A Latin display form: the name itself when Latin, else its transliteration with
    capitals (Владимир Путин → Vladimir Putin, بوتين → Butin, 普京 → PuJing)."""
    if all(char_script(c) in ("latin", "other") for c in name):
        return name
    if any(char_script(c) == "arabic" for c in name):
        latin = " ".join(romanize_arabic(word) for word in name.split())
    else:
        latin = anyascii(name).replace("'", "")
    return " ".join(w[:1].upper() + w[1:] for w in latin.split())
