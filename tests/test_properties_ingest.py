"""Properties of ingest that hand-written cases missed (issue 7), checked by hypothesis.

* Cleaning is idempotent: cleaning an article's cleaned text again changes nothing.
* Any bytes given to ``storylens ingest`` either store articles (exit 0) or fail with exit
  2 and exactly one stderr line -- never a traceback, never a changed database.

The CLI runs in-process (Typer's CliRunner) so a hundred examples take seconds; analysis
is replaced by a no-op here because these properties are about reading and storing, and
the analyse stage has its own tests.
"""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from conftest import SPUTNIK
from storylens.cli import app
from storylens.errors import InputError
from storylens.ingest import article_from_text, strip_chrome
from storylens.ingest.text import clean_lines

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

# Text that looks like scraped news: words, sentences, chrome-like labels, credits, odd spaces.
_NEWS_WORDS = (
    "the storm hit coast Moscow Путин بوتين said officials Share Follow us on Twitter (Photo : AFP) "
    "Advertisement © 2021 By Jane Doe Read more: 20 March 2021 WASHINGTON (AP) — • 12:05"
)
_WORDS = st.sampled_from([*_NEWS_WORDS.split(" "), "", " ", "\u00a0", "\u200b", ".", "!", "?", ",", "Ã©", "\t"])
_LINE = st.lists(_WORDS, max_size=30).map(" ".join)
_ARTICLE_TEXT = st.lists(st.one_of(_LINE, st.text(max_size=80)), min_size=1, max_size=25).map("\n".join)


@SETTINGS
@given(_ARTICLE_TEXT)
def test_cleaning_is_idempotent(text: str) -> None:
    """Cleaning (line normalisation, mojibake repair, chrome and credit removal) a cleaned
    article's body again keeps every line and removes nothing more; its title is clean too.
    (Title *choice* is not cleaning: a body line may be headline-like.)"""
    try:
        article = article_from_text(text)
    except InputError:
        return  # nothing left to clean: refusing is a fine answer
    body_lines = article.body.split("\n\n") if article.body else []
    kept, removed = strip_chrome(clean_lines(article.body))
    assert (kept, removed) == (body_lines, [])
    assert clean_lines(article.title) == ([article.title] if article.title else [])


@SETTINGS
@given(_ARTICLE_TEXT)
def test_clean_lines_is_idempotent(text: str) -> None:
    once = clean_lines(text)
    assert clean_lines("\n".join(once)) == once


def _state(db: Path) -> tuple[dict[str, str], dict[str, int]]:
    files = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(db.parent.iterdir())}
    with sqlite3.connect(db) as connection:
        tables = [n for (n,) in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        counts = {t: connection.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in tables}
    connection.close()
    return files, counts


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("store") / "news.db"
    result = CliRunner().invoke(app, ["ingest", str(SPUTNIK), "--db", str(db)])
    assert result.exit_code == 0, result.stderr
    return db


@pytest.fixture
def no_analysis(monkeypatch: pytest.MonkeyPatch) -> None:
    import storylens.analyze
    from storylens.article import Analysis

    def empty_analysis(article):  # what matters here is reading and storing, not the analyser's speed
        article.analysis = Analysis()
        return article

    monkeypatch.setattr(storylens.analyze, "analyze", empty_analysis)


_SUFFIXES = st.sampled_from([".txt", ".html", ".json", ".jsonl", ".md", ""])
_BYTES = st.one_of(
    st.binary(max_size=2_000),
    _ARTICLE_TEXT.map(lambda t: t.encode("utf-8")),
    st.tuples(_ARTICLE_TEXT, st.sampled_from(["utf-16-le", "utf-16-be", "cp1251", "utf-8-sig"])).map(
        lambda pair: pair[0].encode(pair[1], errors="replace")
    ),
    st.builds(lambda a, b: a + b, st.sampled_from([b"{", b"[", b"<html>", b'{"title": ', b"\x89PNG"]), st.binary()),
)


@SETTINGS
@given(data=_BYTES, suffix=_SUFFIXES)
def test_any_bytes_store_articles_or_fail_in_one_line(
    tmp_path: Path, store: Path, no_analysis: None, data: bytes, suffix: str
) -> None:
    path = tmp_path / f"input{suffix}"
    path.write_bytes(data)
    before = _state(store)
    result = CliRunner().invoke(app, ["ingest", str(path), "--db", str(store)])
    if result.exit_code == 0:
        assert "added" in result.stdout or "already stored" in result.stdout
        return
    assert result.exit_code == 2, (result.exit_code, result.stderr, result.exception)
    errors = [line for line in result.stderr.splitlines() if line.startswith("storylens: error: ")]
    assert len(errors) == 1 and result.stderr.endswith(errors[0] + "\n"), result.stderr
    assert "Traceback" not in result.stderr
    assert _state(store) == before
