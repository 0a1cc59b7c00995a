"""Helpers shared by the ``storylens serve`` tests (this module holds no tests itself).

The shipped examples are posted through the API the way a client would: the seed pair as
JSON records with their outlet and date, the multilingual files as raw text, HTML or JSON with
their file name as label. Embedding them costs about a minute on 2 cores, so one store is
built per test session and its vector cache (the store's ``vectors`` table, keyed by text
hash) is copied into every fresh store: posting into a fresh store then costs seconds.
"""

from __future__ import annotations

import os
import re
import socket
import sqlite3
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Any

from conftest import ARABIC_DAILY, EXAMPLES, SPUTNIK
from storylens.store import Store

MULTILINGUAL = EXAMPLES / "multilingual"
CONTENT_TYPES = {".txt": "text/plain; charset=utf-8", ".html": "text/html; charset=utf-8", ".json": "application/json"}
SEED_OUTLETS = {SPUTNIK: "Sputnik", ARABIC_DAILY: "Arabic daily"}


def readme_dates() -> dict[str, str]:
    """File name -> publication day, from the table in examples/multilingual/README.md."""
    text = (MULTILINGUAL / "README.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\|\s*`([^`]+)`\s*\|[^|]*\|[^|]*\|[^|]*?(\d{4}-\d{2}-\d{2})", text, flags=re.MULTILINE)
    return dict(rows)


def example_posts() -> list[dict[str, Any]]:
    """Keyword arguments of ``client.post("/api/articles", ...)`` for every shipped example."""
    import json

    posts = []
    for path, outlet in SEED_OUTLETS.items():
        day = re.search(r"\d{4}-\d{2}-\d{2}", path.name).group(0)
        record = {"text": path.read_text(encoding="utf-8"), "outlet": outlet, "date": day}
        posts.append({"content": json.dumps(record).encode(), "headers": {"content-type": "application/json"}})
    dates = readme_dates()
    for path in sorted(MULTILINGUAL.iterdir()):
        if path.suffix not in CONTENT_TYPES:
            continue
        params = {} if path.suffix == ".json" else {"filename": path.name}
        if path.suffix == ".txt" and path.name in dates:
            params["date"] = dates[path.name]
        posts.append(
            {"content": path.read_bytes(), "headers": {"content-type": CONTENT_TYPES[path.suffix]}, "params": params}
        )
    return posts


def post_examples(client) -> list[dict[str, Any]]:
    """Post every example; the ingest rows, in order."""
    rows = []
    for post in example_posts():
        response = client.post("/api/articles", **post)
        assert response.status_code == 201, response.text
        rows += response.json()["articles"]
    return rows


@cache
def warm_vectors() -> Path:
    """A store holding every vector the examples need (windows and whole articles, both encoders).

    ``STORYLENS_SERVE_WARM_DB=path`` keeps it between runs while developing (built there when
    absent); vectors are keyed by encoder name and text hash, so a kept one never goes stale."""
    from fastapi.testclient import TestClient

    from storylens.compare import Comparer
    from storylens.serve import create_app

    kept = os.environ.get("STORYLENS_SERVE_WARM_DB")
    if kept and Path(kept).exists():
        return Path(kept)
    path = Path(kept) if kept else Path(tempfile.mkdtemp(prefix="storylens-serve-")) / "warm.db"
    with TestClient(create_app(path)) as client:
        post_examples(client)
    with Store(path) as store:
        articles = list(store.iter_articles())
        Comparer(store=store).profiles(articles, store_analyses=False)  # what compare pages embed
    return path


def fresh_store(path: Path) -> Path:
    """A new, empty store at ``path`` whose vector cache is the warm one (no articles)."""
    Store(path).close()
    with sqlite3.connect(path) as db:
        db.execute("ATTACH DATABASE ? AS warm", (str(warm_vectors()),))
        db.execute("INSERT OR IGNORE INTO vectors SELECT * FROM warm.vectors")
    db.close()
    return path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def live_server(app) -> Iterator[str]:
    """``app`` served by uvicorn on a free loopback port in a daemon thread; yields its base URL."""
    import uvicorn

    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
