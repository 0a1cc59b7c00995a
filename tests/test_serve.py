"""``storylens serve``'s HTTP API on the shipped examples: every endpoint, every error code,
tokens, size limits, the write queue, and concurrent posts while others read."""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from conftest import SPUTNIK
from storylens.cli import app as cli_app
from storylens.serve import create_app
from storylens.store import Store
from test_serve_support import fresh_store, live_server, post_examples

DIMENSIONS = ("overall", "geography", "entities", "time", "narrative", "style", "tone")


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """A client of an app whose store holds every example, posted through the API."""
    db = fresh_store(tmp_path_factory.mktemp("serve") / "store.db")
    with TestClient(create_app(db)) as client:
        rows = post_examples(client)
        yield client, rows, db


def story_of_file(rows, name: str) -> str:
    return next(row["story_id"] for row in rows if name in (row["source"] or ""))


def antonov_story(rows) -> str:
    return story_of_file(rows, "a-ru-antonov.txt")


def count(db: Path) -> int:
    with Store(db) as store:
        return store.count_articles()


# -- POST /api/articles ---------------------------------------------------------------------------
def test_posted_examples_form_their_three_stories(served):
    _, rows, _ = served
    assert len(rows) == 13 and all(row["new"] for row in rows)
    by_story = {}
    for row in rows:
        by_story.setdefault(row["story_id"], set()).add(row["lang"])
    antonov = antonov_story(rows)
    seeds = [row["story_id"] for row in rows[:2]]  # post_examples posts the seed pair first
    assert seeds == [antonov, antonov]  # the two seed records joined the multilingual Antonov articles
    assert by_story[antonov] == {"en", "ar", "de", "es", "ru"}
    floods, ecb = story_of_file(rows, "b-en-valencia"), story_of_file(rows, "c-en-ecb")
    assert len({antonov, floods, ecb}) == 3
    assert by_story[ecb] == {"ar", "en", "fr"}


def test_reposting_is_a_no_op_with_the_same_story(served, tmp_path):
    client, rows, db = served
    before = count(db)
    record = {"text": SPUTNIK.read_text(encoding="utf-8"), "outlet": "Sputnik", "date": "2021-03-20"}
    again = client.post("/api/articles", json=[record]).json()
    assert again["added"] == 0 and again["articles"][0]["new"] is False
    assert again["articles"][0]["story_id"] == antonov_story(rows)
    assert count(db) == before


def test_text_post_takes_metadata_from_the_query(served):
    client, rows, _ = served
    article_id = next(row["id"] for row in rows if "c-fr-bce" in row["source"])
    article = client.get(f"/api/articles/{article_id}").json()
    assert article["source"] == "c-fr-bce-taux.txt" and article["published"] == "2024-10-17"
    assert article["lang"] == "fr" and article["story_id"] == story_of_file(rows, "c-en-ecb")


# -- GET /api/stories -----------------------------------------------------------------------------
def test_stories_newest_first_and_paged(served):
    client, rows, _ = served
    listing = client.get("/api/stories").json()
    assert listing["total"] == 3
    last_dates = [story["last_date"] for story in listing["stories"]]
    assert last_dates == sorted(last_dates, reverse=True)
    assert listing["stories"][-1]["id"] == antonov_story(rows)  # 2021, the others 2024
    page = client.get("/api/stories", params={"limit": 1, "offset": 1}).json()
    assert page["total"] == 3 and [s["id"] for s in page["stories"]] == [listing["stories"][1]["id"]]


def test_story_filters(served):
    client, rows, _ = served
    antonov, ecb = antonov_story(rows), story_of_file(rows, "c-en-ecb")

    def ids(**params) -> set[str]:
        return {s["id"] for s in client.get("/api/stories", params=params).json()["stories"]}

    assert ids(lang="ar") == {antonov, ecb}
    assert ids(outlet="sputnik") == {antonov}
    assert ids(min_size=5) == {antonov}
    assert antonov not in ids(since="2024-01-01")
    assert ids(until="2021-12-31") == {antonov}


def test_story_summary_fields(served):
    client, rows, _ = served
    story = next(s for s in client.get("/api/stories").json()["stories"] if s["id"] == antonov_story(rows))
    assert story["size"] == 6 and story["first_date"] == "2021-03-20" and story["last_date"] == "2021-03-21"
    assert {"Sputnik", "Arabic daily"} <= set(story["outlets"])
    assert story["languages"] == ["ar", "de", "en", "es", "ru"]


# -- GET /api/stories/{id} ------------------------------------------------------------------------
def test_story_coverage_shows_shared_and_single_outlet_facts(served):
    client, rows, _ = served
    story = client.get(f"/api/stories/{antonov_story(rows)}").json()
    sputnik, daily = (next(a["id"] for a in story["articles"] if a["outlet"] == o) for o in ("Sputnik", "Arabic daily"))
    columns = [c["article"] for c in story["coverage"]["columns"]]  # facts name articles by column
    reporters = {}
    for fact in story["coverage"]["facts"]:
        reporters.setdefault(fact["label"], set()).update(columns[i] for i in fact["articles"])
    for shared in ("Anatoly Antonov", "Joe Biden", "Vladimir Putin", "Moscow", "Washington"):
        name = next(label for label in reporters if shared.split()[-1] in label)
        assert {sputnik, daily} <= reporters[name], shared
    khashoggi = next(label for label in reporters if "Khashoggi" in label)
    assert sputnik in reporters[khashoggi] and daily not in reporters[khashoggi]
    tass = next(label for label in reporters if label.upper() == "TASS")
    assert daily in reporters[tass] and sputnik not in reporters[tass]
    assert story["timeline"][0]["first"] and story["timeline"][0]["published"] == "2021-03-20"
    assert {row["article"] for row in story["distances"]} == {a["id"] for a in story["articles"]}
    assert all(1.0 <= row["dimensions"][dim]["score"] <= 4.0 for row in story["distances"] for dim in DIMENSIONS)


def test_unknown_story_is_a_json_404(served):
    client, _, _ = served
    response = client.get("/api/stories/s-999999")
    assert response.status_code == 404 and "s-999999" in response.json()["error"]


# -- GET /api/articles/{id} -----------------------------------------------------------------------
def test_article_has_clean_text_analysis_and_story(served):
    client, rows, _ = served
    row = rows[0]  # the Sputnik seed
    article = client.get(f"/api/articles/{row['id']}").json()
    assert article["outlet"] == "Sputnik" and "Discuss" not in article["body"]
    assert article["story_id"] == row["story_id"]
    people = {e["canonical"] for e in article["analysis"]["entities"] if e["kind"] == "person"}
    assert {"Anatoly Antonov", "Vladimir Putin"} <= people
    missing = client.get("/api/articles/0123456789abcdef")
    assert missing.status_code == 404 and missing.json()["field"] == "article_id"


# -- POST /api/compare ----------------------------------------------------------------------------
def test_compare_by_ids_is_the_compare_json_object(served):
    client, rows, _ = served
    a, b = rows[0]["id"], rows[1]["id"]
    result = client.post("/api/compare", json={"a": a, "b": b}).json()
    assert all(1.0 <= result[dim]["score"] <= 4.0 for dim in DIMENSIONS)
    assert result["overall"]["score"] < 2.5  # the seed pair is one story
    shared = {item["name"] for item in result["evidence"]["entities"]["people"]["shared"]}
    assert {"Anatoly Antonov", "Joe Biden", "Vladimir Putin"} <= shared
    assert [x["id"] for x in result["articles"]] == [a, b]


def test_compare_posted_articles_stores_nothing(served):
    client, _, db = served
    before = count(db)
    a = {"title": "ECB cuts rates again", "text": "The European Central Bank cut its deposit rate to 3.25%."}
    b = {"title": "Floods in Valencia", "text": "Flash floods killed 95 people in the province of Valencia, Spain."}
    result = client.post("/api/compare", json={"a": a, "b": b})
    assert result.status_code == 200 and result.json()["overall"]["score"] > 2.5
    assert count(db) == before


def test_compare_errors(served):
    client, rows, _ = served
    unknown = client.post("/api/compare", json={"a": rows[0]["id"], "b": "no-such-id"})
    assert unknown.status_code == 404 and unknown.json()["field"] == "b"
    malformed = client.post("/api/compare", json={"a": rows[0]["id"]})
    assert malformed.status_code == 422 and malformed.json()["field"] == "body.b"
    empty = client.post("/api/compare", json={"a": {"outlet": "x"}, "b": rows[0]["id"]})
    assert empty.status_code == 422 and "neither 'title' nor 'text'" in empty.json()["error"]


# -- similar --------------------------------------------------------------------------------------
def test_similar_of_a_stored_article_ranks_its_story_first(served):
    client, rows, _ = served
    ru = next(row for row in rows if "a-ru-antonov" in row["source"])
    similar = client.get(f"/api/articles/{ru['id']}/similar", params={"k": 5}).json()["similar"]
    assert len(similar) == 5 and ru["id"] not in {s["id"] for s in similar}
    assert [s["story_id"] for s in similar] == [ru["story_id"]] * 5
    assert client.get("/api/articles/nope/similar").status_code == 404
    assert client.get(f"/api/articles/{ru['id']}/similar", params={"k": 0}).status_code == 422


def test_similar_of_posted_text_is_not_stored(served):
    client, rows, db = served
    before = count(db)
    text = "Germany's Chancellor said the floods in Valencia, Spain, which killed 95, were a warning."
    response = client.post("/api/similar", content=text.encode(), headers={"content-type": "text/plain"})
    assert response.status_code == 200
    assert response.json()["similar"][0]["story_id"] == story_of_file(rows, "b-en-valencia")
    assert count(db) == before
    typed = client.post("/api/similar", json={"title": "Floods", "text": "Valencia floods", "id": {}})
    assert typed.status_code == 422 and "field 'id' must be a string" in typed.json()["error"]


# -- errors ---------------------------------------------------------------------------------------
def test_malformed_bodies_are_422_naming_the_reason(served):
    client, _, db = served
    before = count(db)
    bad_json = client.post("/api/articles", content=b'{"title": ', headers={"content-type": "application/json"})
    assert bad_json.status_code == 422 and "malformed JSON" in bad_json.json()["error"]
    no_text = client.post("/api/articles", json=[{"title": "ok", "text": "fine"}, {"url": "x"}])
    assert no_text.status_code == 422 and no_text.json()["field"] == "request[1]"
    blank = client.post("/api/articles", content=b"   ", headers={"content-type": "text/plain"})
    assert blank.status_code == 422
    bad_query = client.get("/api/stories", params={"since": "yesterday"})
    assert bad_query.status_code == 422 and bad_query.json()["field"] == "query.since"
    not_a_day = client.get("/api/stories", params={"until": "2024-02-30"})
    assert not_a_day.status_code == 422 and not_a_day.json()["field"] == "query.until"
    assert client.get("/api/stories", params={"since": "2024-01-02", "until": "2024-01-01"}).json()["total"] == 0
    assert count(db) == before  # a bad batch leaves nothing behind


def test_other_bad_requests_are_400(served):
    client, _, _ = served
    xml = client.post("/api/articles", content=b"<a/>", headers={"content-type": "application/xml"})
    assert xml.status_code == 400 and xml.json()["field"] == "Content-Type"
    many = client.post("/api/articles", content=json.dumps([{"text": f"n {i}"} for i in range(101)]).encode(),
                       headers={"content-type": "application/json"})
    assert many.status_code == 400 and "at most 100" in many.json()["error"]
    pair = [{"title": "Floods in Valencia", "text": "Dozens died."}, {"title": "ECB cuts", "text": "Rates fell."}]
    two = client.post("/api/similar", json=pair)
    assert two.status_code == 400 and "exactly one article" in two.json()["error"]


def test_body_size_limit_is_413_even_when_chunked(tmp_path):
    db = fresh_store(tmp_path / "small.db")
    with TestClient(create_app(db, max_body_bytes=1000)) as client:
        big = client.post("/api/articles", json={"title": "Big", "text": "word " * 400})
        assert big.status_code == 413 and big.json()["field"] == "body"

        def chunks():
            for _ in range(10):
                yield b"x" * 200

        chunked = client.post("/api/articles", content=chunks(), headers={"content-type": "text/plain"})
        assert chunked.status_code == 413
    assert count(db) == 0


def test_token_guards_writes_only(tmp_path):
    db = fresh_store(tmp_path / "token.db")
    with TestClient(create_app(db, token="s3cret")) as client:
        record = {"text": SPUTNIK.read_text(encoding="utf-8"), "outlet": "Sputnik"}
        missing = client.post("/api/articles", json=record)
        wrong = client.post("/api/articles", json=record, headers={"Authorization": "Bearer nope"})
        assert missing.status_code == wrong.status_code == 401
        assert count(db) == 0
        assert client.get("/api/stories").status_code == 200  # reads stay open
        ok = client.post("/api/articles", json=record, headers={"Authorization": "Bearer s3cret"})
        assert ok.status_code == 201 and count(db) == 1


def test_full_write_queue_is_503_and_changes_nothing(tmp_path):
    db = fresh_store(tmp_path / "busy.db")
    app = create_app(db, queue_timeout=0.2)
    with TestClient(app) as client:
        state = app.state.storylens
        with state.lock:  # another write in progress
            response = client.post("/api/articles", json={"title": "t", "text": "Some text."})
        assert response.status_code == 503 and response.headers["retry-after"]
    assert count(db) == 0


def test_slow_requests_that_change_nothing_are_cut_off_but_posts_are_not(tmp_path):
    db = fresh_store(tmp_path / "slow.db")
    app = create_app(db, request_timeout=0.3, queue_timeout=10)
    record = {"title": "Envoy recalled", "text": SPUTNIK.read_text(encoding="utf-8"), "outlet": "Sputnik"}
    with TestClient(app) as client:
        state = app.state.storylens
        with state.lock:  # another write holds the model: a compare waits past the bound
            slow = client.post("/api/compare", json={"a": record, "b": record})
        assert slow.status_code == 503 and "longer than 0.3 s" in slow.json()["error"]
        release = threading.Timer(0.8, state.lock.release)
        state.lock.acquire()
        release.start()
        posted = client.post("/api/articles", json=record)  # waits 0.8 s for the lock, then commits
        release.join()
        assert posted.status_code == 201 and count(db) == 1


def test_every_api_operation_declares_its_errors(served):
    client, _, _ = served
    schema = client.get("/openapi.json").json()
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            codes = set(operation["responses"])
            assert "422" in codes, (method, path)
            if "{" in path:
                assert "404" in codes, (method, path)
            if method == "post":
                assert {"400", "413", "422"} <= codes, (method, path)
            for code in codes - {"200", "201"}:
                ref = operation["responses"][code]["content"]["application/json"]["schema"]["$ref"]
                assert ref.endswith("/ErrorOut"), (method, path, code)


def test_docs_are_served_without_a_cdn(served):
    client, _, _ = served
    page = client.get("/docs").text
    assert "swagger" in page.lower() and "cdn.jsdelivr" not in page and "unpkg" not in page
    assets = [src for src in __import__("re").findall(r'(?:src|href)="([^"]+\.(?:js|css))"', page)]
    assert assets and all(client.get(asset).status_code == 200 for asset in assets)


# -- the web page ---------------------------------------------------------------------------------
def test_pages_render_and_escape(served):
    client, rows, _ = served
    assert "Russian Ambassador to US" in client.get("/").text
    story = client.get(f"/stories/{antonov_story(rows)}").text
    assert 'dir="rtl"' in story and "<svg" in story and "Khashoggi" in story
    assert client.get("/stories/s-999999").status_code == 404
    assert client.get("/static/../pyproject.toml").status_code == 404


# -- CLI --------------------------------------------------------------------------------------------
def test_serve_refuses_to_listen_beyond_loopback_without_a_token(tmp_path):
    result = CliRunner().invoke(cli_app, ["serve", "--db", str(tmp_path / "x.db"), "--host", "0.0.0.0"], env={})
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        "storylens: error: --host 0.0.0.0: listening beyond loopback needs --token or STORYLENS_TOKEN"
    )
    assert not (tmp_path / "x.db").exists()


# -- concurrency ----------------------------------------------------------------------------------
def test_concurrent_posts_while_reading_lose_nothing(tmp_path):
    """Writers post distinct articles over real HTTP while readers list stories; every 2xx
    is in the store, and nothing else is."""
    db = fresh_store(tmp_path / "busy.db")
    base_text = SPUTNIK.read_text(encoding="utf-8")
    acknowledged: list[str] = []
    failures: list[str] = []
    stop = threading.Event()

    def post(url: str, writer: int) -> None:
        for n in range(3):
            text = f"Update {writer}.{n}: {base_text[:600]}"
            record = {"title": f"Report {writer}-{n}", "text": text, "outlet": f"w{writer}"}
            request = urllib.request.Request(
                f"{url}/api/articles", data=json.dumps(record).encode(), headers={"content-type": "application/json"}
            )
            try:
                with urllib.request.urlopen(request, timeout=120) as response:
                    acknowledged.extend(row["id"] for row in json.load(response)["articles"])
            except urllib.error.URLError as error:
                failures.append(f"post: {error}")

    def read(url: str) -> None:
        while not stop.is_set():
            try:
                with urllib.request.urlopen(f"{url}/api/stories?limit=5", timeout=60) as response:
                    json.load(response)
            except urllib.error.URLError as error:
                failures.append(f"read: {error}")

    with live_server(create_app(db)) as url:
        writers = [threading.Thread(target=post, args=(url, w)) for w in range(4)]
        readers = [threading.Thread(target=read, args=(url,)) for _ in range(3)]
        for thread in writers + readers:
            thread.start()
        for thread in writers:
            thread.join()
        stop.set()
        for thread in readers:
            thread.join()
    assert failures == []
    assert len(acknowledged) == len(set(acknowledged)) == 12
    with Store(db) as store:
        assert store.count_articles() == 12
        assert all(store.get_article(article_id) is not None for article_id in acknowledged)


def test_highlight_escapes_article_text_and_marks_names():
    from storylens.serve.render import highlight

    marks = [("Joe Biden", "shared"), ("Biden", "shared"), ("<script>", "unique")]
    html = highlight('<script>alert(1)</script> Joe Biden met Biden & "Putin"', marks)
    assert "<script>" not in html and '<mark class="unique">&lt;script&gt;</mark>' in html and "&amp;" in html
    assert html.count('<mark class="shared">') == 2  # "Joe Biden", then the lone "Biden"; never nested
