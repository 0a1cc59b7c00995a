"""Cross-script name matching: Putin / Путин / بوتين / Putins are one name.

Names are transliterated to Latin (anyascii) and reduced to a consonant skeleton after
phonetic folding, so that the differences between how English, German, Polish, Russian
and Arabic write one foreign name disappear: p≈b (Arabic has no p), v≈f≈w, c≈k≈q≈g,
s≈z, digraphs (sh, sch, sz, kh, zh, dzh, ch, cz, ts) to one class each, vowels dropped,
and Arabic و ي ا dropped inside words, where they write vowels. Case endings (Putina,
Putinowi, Nawalnego, Putins) are cut before. Two single names match when their
skeletons are equal (or one edit apart for long ones, first and last class equal) and,
when both are in alphabetic scripts that write vowels, their first vowels agree, which
keeps Biden and Baden apart. Places go through the gazetteer first.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from anyascii import anyascii
from rapidfuzz.distance import Levenshtein

from storylens.analyze.lexicon import word_set
from storylens.analyze.text import POSSESSIVE_RE, char_script, fold, script_of
from storylens.article import Entity

NameSimilarity = Callable[[str, str], float]

_DIGRAPHS = [  # longest first; capital letters are the phonetic classes
    ("tsch", "C"), ("dzh", "J"), ("sch", "S"), ("tch", "C"), ("tsh", "C"), ("ch", "C"), ("cz", "C"), ("ts", "C"),
    ("tz", "C"), ("sh", "S"), ("sz", "S"), ("zh", "J"), ("dj", "J"), ("kh", "H"), ("gh", "K"), ("ph", "F"),
    ("th", "T"), ("dh", "D"), ("ck", "K"), ("qu", "K"), ("ng", "N"),
]  # fmt: skip
_LETTERS = str.maketrans({
    "b": "B", "p": "B", "f": "F", "v": "F", "w": "F", "c": "K", "k": "K", "q": "K", "g": "K", "x": "KS",
    "j": "J", "d": "D", "t": "T", "s": "S", "z": "S", "l": "L", "m": "M", "n": "N", "r": "R", "h": "H",
})  # fmt: skip
_VOWELS = set("aeiouy")
# Inflection endings of Slavic, German and Turkish names: Putina, Putinowi, Nawalnego,
# Putins, Putin'in. Cut only when the rest is long enough to still be a name.
_ENDINGS = ("owi", "ego", "emu", "ogo", "omu", "ym", "om", "em", "ie", "s")


def name_key(text: str) -> str:
    """Latin transliteration, lower case, diacritics and punctuation gone: the fast path
    of name comparison and the ``Entity.key`` of names not in a gazetteer.

    >>> name_key("Путин"), name_key("Erdoğan"), name_key("Biden’s"), name_key("bin Salman")
    ('putin', 'erdogan', 'biden', 'bin salman')
    """
    text = POSSESSIVE_RE.sub("", text.strip())
    latin = anyascii(text).lower()
    return " ".join(re.findall(r"[a-z0-9]+", latin.replace("'", "")))


def skeleton(word: str) -> str:
    """The phonetic consonant skeleton of one word, in class letters, case ending cut.

    >>> skeleton("Putin"), skeleton("Путина"), skeleton("بوتين"), skeleton("Antonow"), skeleton("أنطونوف")
    ('BTN', 'BTN', 'BTN', 'NTNF', 'NTNF')
    """
    return _skeletons(word)[0]


@lru_cache(maxsize=100_000)
def _skeletons(word: str) -> tuple[str, ...]:
    """The skeleton with the case ending cut, and without cutting (Thomas/توماس: the -s
    is part of the name, which only the other side can tell)."""
    abjad = any(char_script(c) == "arabic" for c in word)
    latin = name_key(word).replace(" ", "")
    stripped = _strip_ending(latin, abjad)
    forms = [stripped] if stripped == latin else [stripped, latin]
    return tuple(dict.fromkeys(_consonants(form, abjad) for form in forms))


def _consonants(latin: str, abjad: bool) -> str:
    for digraph, cls in _DIGRAPHS:
        latin = latin.replace(digraph, cls)
    out = []
    for i, char in enumerate(latin):
        if char in _VOWELS or (abjad and i > 0 and char == "w"):
            continue  # Arabic و ي inside a word write vowels (بوتين = b-u-t-i-n)
        if char == "j" and i > 0 and latin[i - 1] in _VOWELS:
            continue  # German/Polish j after a vowel is a glide: Selenskyj, Aleksiej
        out.append(char.translate(_LETTERS))
    return re.sub(r"(.)\1+", r"\1", "".join(out))


def _strip_ending(latin: str, abjad: bool) -> str:
    if abjad:
        return latin
    for ending in _ENDINGS:
        if latin.endswith(ending) and len(latin) - len(ending) >= 4:
            return latin[: -len(ending)]
    return latin


def _first_vowels(word: str) -> set[str]:
    """The vowel classes of a word's first vowel group: Biden {i}, Байден (Bayden) {a, i},
    Baden {a}. A diphthong counts as each of its vowels."""
    latin = name_key(word).replace(" ", "")
    match = re.search(r"[aeiouy]+", latin[1:] if latin[:1] in _VOWELS else latin)
    if not match:
        return set()
    return {"i" if v == "y" else v for v in match.group()}


def _vowelled(word: str) -> bool:
    """Scripts that write every vowel: Latin, Cyrillic (not Arabic, not Chinese)."""
    return script_of(word) in ("latin", "cyrillic")


@lru_cache(maxsize=100_000)
def same_word(a: str, b: str) -> bool:
    """Whether two single name words are one name across scripts and spellings."""
    if fold(a) == fold(b):
        return True
    if "cjk" in (script_of(a), script_of(b)):
        return False  # Chinese transliterates by syllable: see match_entities' hook
    if not any(_similar_skeletons(sa, sb) for sa in _skeletons(a) for sb in _skeletons(b)):
        return False
    if _vowelled(a) and _vowelled(b):
        va, vb = _first_vowels(a), _first_vowels(b)
        return not va or not vb or bool(va & vb)
    return True


def _similar_skeletons(sa: str, sb: str) -> bool:
    """Equal, or for long skeletons one edit apart with the same first and last class
    (Zelensky/Zelenskyy/Selenskyj pass, Antonov/Antonio and Moscow/Moscato do not)."""
    if not sa or not sb:
        return False
    if sa == sb:
        return True
    return min(len(sa), len(sb)) >= 4 and Levenshtein.distance(sa, sb) <= 1 and sa[0] == sb[0] and sa[-1] == sb[-1]


def name_words(text: str) -> list[str]:
    """The words of a name without particles and initials: Mohammed bin Salman → [Mohammed,
    Salman]; John F. Kennedy → [John, Kennedy]."""
    particles = word_set("name_particles")
    words = [w for w in re.split(r"[\s\-‐]+", text.strip()) if w]
    kept = [w for w in words if fold(w) not in particles.exact and not re.fullmatch(r"\w\.?", w)]
    while len(kept) > 1 and fold(kept[-1]).rstrip(".") in word_set("generations").exact:
        kept.pop()  # Joseph R. Biden Jr.
    return kept or words


@lru_cache(maxsize=1 << 16)  # pure in its two strings; a pair's entity lists ask it thousands of times
def same_name(a: str, b: str) -> bool:
    """Whether two names (any scripts, any spellings, full or surname only) name the same
    thing: place names through the gazetteer, person names by surname, and by first name
    too when both have one.

    >>> same_name("Vladimir Putin", "Путина"), same_name("Biden", "بايدن"), same_name("Putin", "Pushkin")
    (True, True, False)
    """
    if not a.strip() or not b.strip():
        return False
    if name_key(a) == name_key(b):
        return True
    places = _places(a, b)
    if places is not None:
        return places
    wa, wb = name_words(a), name_words(b)
    if not same_word(wa[-1], wb[-1]):
        return False
    if len(wa) >= 2 and len(wb) >= 2:
        return _initial_or_same(wa[0], wb[0])
    return True


def _initial_or_same(a: str, b: str) -> bool:
    if len(a.rstrip(".")) == 1 or len(b.rstrip(".")) == 1:
        return skeleton(a)[:1] == skeleton(b)[:1]
    return same_word(a, b)


def _places(a: str, b: str) -> bool | None:
    """True/False when the gazetteer knows both names as places, else None (undecided)."""
    from storylens.analyze.gazetteer import get

    gazetteer = get()
    pa, pb = gazetteer.lookup(a), gazetteer.lookup(b)
    if pa is None or pb is None:
        return None
    return pa.canonical == pb.canonical


# ---------------------------------------------------------------- entity lists


@dataclass
class EntityMatch:
    """The result of :func:`match_entities`: pairs of one entity each side, and the rest."""

    shared: list[tuple[Entity, Entity]] = field(default_factory=list)
    only_a: list[Entity] = field(default_factory=list)
    only_b: list[Entity] = field(default_factory=list)


def _compatible(a: Entity, b: Entity) -> bool:
    return a.kind == b.kind or "misc" in (a.kind, b.kind)


_name_script = lru_cache(maxsize=1 << 14)(script_of)  # names recur in every pair an article is in


def _score(a: Entity, b: Entity, name_similarity: NameSimilarity | None, threshold: float) -> float:
    """1 for the same key, 0.9 for :func:`same_name`, else the hook's similarity (only for
    names in two different scripts, where transliteration can fail) when above threshold."""
    if a.key and a.key == b.key:
        return 1.0
    # A Chinese name's canonical is its pinyin (普京 → PuJing), no phonetic spelling of the
    # original: compare its text only, which the gazetteer knows for places.
    script_a, script_b = _name_script(a.text), _name_script(b.text)
    cjk = "cjk" in (script_a, script_b)
    if same_name(a.text, b.text) or (not cjk and same_name(a.canonical or a.text, b.canonical or b.text)):
        return 0.9
    if name_similarity is not None and script_a != script_b:
        similarity = float(name_similarity(a.text, b.text))
        if similarity >= threshold:
            return min(similarity, 0.89)
    return 0.0


def match_entities(
    a: Sequence[Entity],
    b: Sequence[Entity],
    name_similarity: NameSimilarity | None = None,
    threshold: float = 0.8,
) -> EntityMatch:
    """Pair the entities of two articles one-to-one, greedily by similarity; kinds must be
    equal or one of them ``misc``. ``name_similarity`` (e.g. the cosine of a multilingual
    encoder's vectors) is asked only for pairs in different scripts that transliteration
    did not match: 普京 and Putin.

    >>> from storylens.article import Entity
    >>> en = [Entity("Putin", "person", "putin", "Putin"), Entity("Moscow", "place", "moscow", "Moscow")]
    >>> ru = [Entity("Путин", "person", "putin", "Putin"), Entity("Киев", "place", "kyiv", "Kyiv")]
    >>> match = match_entities(en, ru)
    >>> [(x.text, y.text) for x, y in match.shared], [e.text for e in match.only_a]
    ([('Putin', 'Путин')], ['Moscow'])
    """
    candidates = []
    for i, x in enumerate(a):
        for j, y in enumerate(b):
            if _compatible(x, y):
                score = _score(x, y, name_similarity, threshold)
                if score > 0:
                    candidates.append((score, x.count + y.count, i, j))
    candidates.sort(key=lambda c: (-c[0], -c[1], c[2], c[3]))
    used_a: set[int] = set()
    used_b: set[int] = set()
    result = EntityMatch()
    for _, _, i, j in candidates:
        if i not in used_a and j not in used_b:
            used_a.add(i)
            used_b.add(j)
            result.shared.append((a[i], b[j]))
    result.only_a = [x for i, x in enumerate(a) if i not in used_a]
    result.only_b = [y for j, y in enumerate(b) if j not in used_b]
    return result
