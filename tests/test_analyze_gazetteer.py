"""The place gazetteer (names in every script → one canonical), its on-disk cache, and the
runnable examples in the analyse stage's docstrings."""

from __future__ import annotations

import doctest
import importlib
import pickle

import pytest

from storylens.analyze import gazetteer
from storylens.analyze.gazetteer import Gazetteer, Place


@pytest.mark.parametrize(
    ("name", "canonical"),
    [
        ("Moscow", "Moscow"),
        ("Москва", "Moscow"),
        ("موسكو", "Moscow"),
        ("Moskau", "Moscow"),
        ("Moscú", "Moscow"),
        ("莫斯科", "Moscow"),
        ("Washington", "Washington"),
        ("واشنطن", "Washington"),
        ("华盛顿", "Washington"),
        ("الرياض", "Riyadh"),
        ("US", "United States"),
        ("США", "United States"),
        ("الولايات المتحدة", "United States"),
        ("Stany Zjednoczone", "United States"),
        ("Россия", "Russia"),  # babel's short name or the alias list, not "Российская Федерация"
        ("Russian Federation", "Russia"),
        ("Deutschland", "Germany"),  # pycountry's translations
        ("Niemcy", "Germany"),
        ("Türkiye", "Turkey"),
        ("Baden", "Baden"),  # a town's own name beats another town's alternate name
        ("New York City", "New York"),
    ],
)
def test_lookup_across_scripts(name: str, canonical: str) -> None:
    place = gazetteer.get().lookup(name)
    assert place is not None and place.canonical == canonical


@pytest.mark.parametrize("word", ["Putin", "Biden", "bin", "Police", "The", "Google", "Ministry", "mskw"])
def test_common_words_and_names_are_not_places(word: str) -> None:
    assert gazetteer.get().lookup(word) is None


def test_short_acronyms_count_only_in_capitals() -> None:
    """UN is the United Nations, the Un of Kim Jong Un is not; U.S. and US are one."""
    assert gazetteer.get().lookup("UN").canonical == "United Nations"
    assert gazetteer.get().lookup("Un") is None
    assert gazetteer.get().lookup("us") is None
    assert gazetteer.get().lookup("U.S.").canonical == "United States"


def test_institutions_are_organisations() -> None:
    for name in ("Kremlin", "Кремль", "الكرملين", "White House", "Белый дом", "NATO", "TASS"):
        place = gazetteer.get().lookup(name)
        assert place is not None and place.kind == "org", name


@pytest.mark.parametrize(
    ("word", "country"),
    [
        ("Russian", "Russia"),
        ("российского", "Russia"),
        ("الروسية", "Russia"),
        ("russischen", "Russia"),
        ("rosyjskie", "Russia"),
        ("estadounidense", "United States"),
        ("américaine", "United States"),
        ("الأمريكي", "United States"),
        ("Polish", "Poland"),
        ("polish", None),  # English demonyms are capitalised: this is the verb
        ("Russia", None),
    ],
)
def test_demonyms(word: str, country: str | None) -> None:
    assert gazetteer.get().demonym(word) == country


def tiny() -> Gazetteer:
    return Gazetteer(
        keys={"atlantis": 0}, places=[Place("Atlantis", "place", 1)], demonyms={}, demonym_stems=[], max_words=1
    )


def test_cache_is_written_read_and_rebuilt_when_corrupt(tmp_path, monkeypatch) -> None:
    """One build per version, then loads from the pickle; a broken pickle means a rebuild."""
    builds = []
    monkeypatch.setenv("STORYLENS_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(gazetteer, "build", lambda: builds.append(1) or tiny())
    gazetteer.get.cache_clear()
    try:
        assert gazetteer.get().lookup("Atlantis").canonical == "Atlantis"
        files = list(tmp_path.glob("gazetteer-*.pickle"))
        assert len(files) == 1 and len(builds) == 1
        gazetteer.get.cache_clear()
        gazetteer.get()
        assert len(builds) == 1  # read back, not rebuilt
        files[0].write_bytes(b"not a pickle")
        gazetteer.get.cache_clear()
        assert gazetteer.get().lookup("atlantis") is not None
        assert len(builds) == 2
        assert isinstance(pickle.loads(files[0].read_bytes()), Gazetteer)  # and rewritten
        (tmp_path / "gazetteer-0000000000000000.pickle").write_bytes(b"old version")
        files[0].unlink()
        gazetteer.get.cache_clear()
        gazetteer.get()
        assert [p.name for p in tmp_path.glob("gazetteer-*.pickle")] == [files[0].name]  # old ones cleaned
    finally:
        gazetteer.get.cache_clear()  # the next test loads the real index again


def test_unwritable_cache_directory_is_no_failure(tmp_path, monkeypatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("a file where the cache directory should be")
    monkeypatch.setenv("STORYLENS_CACHE_DIR", str(blocker / "sub"))
    monkeypatch.setattr(gazetteer, "build", tiny)
    gazetteer.get.cache_clear()
    try:
        assert gazetteer.get().lookup("Atlantis") is not None
    finally:
        gazetteer.get.cache_clear()


MODULES = ["text", "names", "gazetteer", "dates", "numbers", "quotes", "russian", "pipeline"]


@pytest.mark.parametrize("module", MODULES)
def test_docstring_examples_run(module: str) -> None:
    result = doctest.testmod(importlib.import_module(f"storylens.analyze.{module}"))
    assert result.attempted > 0 and result.failed == 0
