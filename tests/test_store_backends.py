"""The commands and the server on a PostgreSQL store: same output as on SQLite."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from storylens.cli import app
from storylens.serve import create_app
from storylens.store import Store

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"

pytestmark = pytest.mark.scale


def run(*args: object):
    return CliRunner().invoke(app, [str(a) for a in args])


def test_ingest_and_stories_on_both_backends(store_target: str) -> None:
    first = run("ingest", EXAMPLES / "multilingual", "--db", store_target, "--workers", "1", "--json")
    assert first.exit_code == 0, first.output
    report = json.loads(first.stdout)
    assert report["added"] == 11 and len(report["articles"]) == 11
    again = run("ingest", EXAMPLES / "multilingual", "--db", store_target, "--workers", "1", "--json")
    assert json.loads(again.stdout)["added"] == 0  # resumable: stored texts are skipped
    listing = json.loads(run("stories", "--db", store_target, "--json").stdout)
    assert listing["total"] == 3
    assert sorted(s["size"] for s in listing["stories"]) == [3, 4, 4]
    story = run("story", listing["stories"][0]["id"], "--db", store_target, "--json")
    assert story.exit_code == 0, story.output


def test_serve_on_postgresql(pg_url: str) -> None:
    with TestClient(create_app(pg_url)) as client:
        record = {"title": "Harbour strike", "text": "Dock workers in Valencia began a strike on Monday over pay."}
        posted = client.post("/api/articles", json=[record])
        assert posted.status_code in (200, 201), posted.text
        listing = client.get("/api/stories").json()
        assert listing["total"] == 1
    with Store(pg_url) as store:
        assert store.count_articles() == 1


def test_a_bad_postgresql_url_is_one_error_line(tmp_path: Path) -> None:
    result = run("ingest", EXAMPLES / "sputnik-en-antonov-2021-03-20.txt", "--db",
                 "postgresql://who:topsecret@127.0.0.1:1/none", "--workers", "1")
    assert result.exit_code == 2
    (line,) = result.stderr.splitlines()
    assert line.startswith("storylens: error: postgresql://who:***@127.0.0.1:1/none: ")
    assert "topsecret" not in result.output
