"""The web page in a real browser: Debian's headless Chromium driven by Playwright.

The examples are posted through the HTTP API of a live server; then the story list, the
Antonov story (its coverage matrix) and a compare page are opened as a reader would, and
screenshots are saved to ``$STORYLENS_SCREENSHOTS`` when set (``bench/results/`` holds the
committed ones), else to the test's temporary folder: a test run never rewrites tracked files.
Skips when ``/usr/bin/chromium`` is absent
(``.ci/run`` installs it).
"""

from __future__ import annotations

import json
import os
import shutil
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from storylens.serve import create_app
from test_serve_support import example_posts, fresh_store, live_server

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]

@pytest.fixture
def shots(tmp_path: Path) -> Path:
    """Where screenshots go: ``$STORYLENS_SCREENSHOTS`` (e.g. bench/results), else a temporary folder."""
    chosen = os.environ.get("STORYLENS_SCREENSHOTS")
    folder = Path(chosen) if chosen else tmp_path
    folder.mkdir(parents=True, exist_ok=True)
    return folder


pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists() or shutil.which("chromium") is None, reason="no /usr/bin/chromium"),
]
sync_api = pytest.importorskip("playwright.sync_api")


def http_post(url: str, post: dict) -> dict:
    query = "&".join(f"{k}={urllib.parse.quote(str(v))}" for k, v in post.get("params", {}).items())
    request = urllib.request.Request(f"{url}/api/articles?{query}", data=post["content"], headers=post["headers"])
    with urllib.request.urlopen(request, timeout=300) as response:
        assert response.status == 201
        return json.load(response)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    db = fresh_store(tmp_path_factory.mktemp("browser") / "store.db")
    with live_server(create_app(db)) as url:
        rows = [row for post in example_posts() for row in http_post(url, post)["articles"]]
        script = {"title": "<script>alert('x')</script> Antonov", "text": "Anatoly Antonov flew to Moscow.",
                  "outlet": "<b>Test</b>", "date": "2021-03-22"}
        rows += http_post(url, {"content": json.dumps(script).encode(),
                                "headers": {"content-type": "application/json"}})["articles"]
        yield url, rows


@pytest.fixture(scope="module")
def page(site):
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        context = browser.new_context(viewport={"width": 1366, "height": 900})
        context.route("**/*", _loopback_only(site[0]))
        yield context.new_page()
        browser.close()


def _loopback_only(base: str):
    """Fail any request that leaves the server: the page must need no external asset."""

    def handle(route):
        if route.request.url.startswith(base):
            route.continue_()
        else:
            route.abort()
            pytest.fail(f"page requested an external asset: {route.request.url}")

    return handle


def test_story_list_then_antonov_story_coverage(site, page, shots: Path):
    url, _ = site
    page.goto(f"{url}/")
    headlines = page.locator("li.story a.headline")
    assert headlines.count() == 4  # the three example stories and the one-article <script> test story
    assert page.locator("li.story a.headline", has_text="<script>").count() == 1  # shown as text
    assert page.locator("li.story .badge.lang", has_text="ar").count() >= 2
    page.screenshot(path=str(shots / "serve_story_list.png"), full_page=True)

    page.locator("li.story a.headline", has_text="Russian Ambassador to US").click()
    page.wait_for_selector("table.coverage")
    columns = page.locator("table.coverage thead th.outlet-col").all_inner_texts()
    assert "Sputnik" in columns and "Arabic daily" in columns

    def outlets_of(fact: str) -> set[str]:
        row = page.locator("table.coverage tbody tr", has=page.locator("th", has_text=fact)).first
        return set(row.get_attribute("data-outlets").split("|"))

    for shared in ("Antonov", "Biden", "Putin", "Moscow", "Washington"):
        assert {"Sputnik", "Arabic daily"} <= outlets_of(shared), shared
    khashoggi = page.locator("table.coverage tr.single", has_text="Khashoggi")
    assert khashoggi.count() >= 1  # the person, and quotes that name him
    assert all("only Sputnik" in row.inner_text() for row in khashoggi.all())
    tass = page.locator("table.coverage tr.single", has=page.locator("th", has_text="TASS"))
    assert tass.count() == 1 and "only Arabic daily" in tass.inner_text()
    assert page.locator("svg.timeline circle.first").count() >= 1
    assert page.locator("[dir=rtl]").count() >= 1  # the Arabic article's text runs right to left
    page.screenshot(path=str(shots / "serve_story_page.png"), full_page=True)


def test_compare_page_shows_a_script_title_as_text(site, page):
    url, rows = site
    script = next(row for row in rows if row["title"].startswith("<script>"))
    sputnik = rows[0]
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(f"{url}/compare?a={sputnik['id']}&b={script['id']}")
    page.wait_for_selector("svg.scores")
    titles = page.locator("article.side h2.title").all_inner_texts()
    assert titles[1].startswith("<script>alert('x')</script>")
    assert page.locator("article.side script").count() == 0 and dialogs == []
    assert page.locator("article.side mark.shared").count() >= 2  # Antonov and Moscow, in both texts
    assert page.locator("svg.scores rect.bar").count() == 7


def test_compare_page_of_two_outlets(site, page, shots: Path):
    url, rows = site
    sputnik, daily = rows[0], rows[1]
    page.goto(f"{url}/compare?a={sputnik['id']}&b={daily['id']}")
    page.wait_for_selector("svg.scores")
    assert page.locator("article.side").nth(0).locator("mark.unique").count() >= 1
    assert page.locator("article.side").nth(1).locator("mark.shared", has_text="Antonov").count() >= 1
    page.screenshot(path=str(shots / "serve_compare_page.png"), full_page=True)


def test_paste_box_finds_the_story(site, page):
    url, rows = site
    page.goto(f"{url}/")
    text = "Russian ambassador Anatoly Antonov left Washington for Moscow after Biden called Putin a killer."
    page.fill("#paste-text", text)
    page.click("#paste-go")
    page.wait_for_url(f"{url}/stories/{rows[0]['story_id']}")
    page.goto(f"{url}/")
    page.fill("#paste-text", "Heavy snowfall closed schools across Finland as temperatures dropped to minus 30.")
    page.click("#paste-go")
    page.wait_for_selector("#paste-result.new")
    assert "New story" in page.inner_text("#paste-result")
