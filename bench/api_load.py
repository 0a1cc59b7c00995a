"""Load test of ``storylens serve``: N concurrent clients posting and reading over loopback.

Starts its own server (uvicorn, 127.0.0.1, a free port) over a fresh store in a temporary
folder, runs ``--writers`` clients that post distinct articles (variants of the shipped
examples) and ``--readers`` clients that list stories, open stories and articles, for
``--seconds`` (60 by default) or until ``--max-posts`` posts were made, then stops by itself.
Prints requests/s and p50/p99 latency for reads and posts, and checks that the store holds
exactly the articles the server acknowledged. Writes ``bench/results/api_load.json``.

    .venv/bin/python bench/api_load.py --seconds 60
"""

from __future__ import annotations

import argparse
import json
import random
import socket
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "examples"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(db: Path):
    import uvicorn

    from storylens.serve import create_app

    port = free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(db), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        if not thread.is_alive():
            sys.exit("api_load: the server did not start")
        time.sleep(0.05)
    return server, thread, f"http://127.0.0.1:{port}"


def example_texts() -> list[str]:
    paths = sorted(EXAMPLES.rglob("*-*.txt"))  # article files, not README.md
    return [p.read_text(encoding="utf-8") for p in paths]


class Recorder:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.latency: dict[str, list[float]] = {"read": [], "post": []}
        self.errors: dict[str, int] = {"read": 0, "post": 0}
        self.acknowledged: set[str] = set()

    def add(self, kind: str, seconds: float, ok: bool) -> None:
        with self.lock:
            if ok:
                self.latency[kind].append(seconds)
            else:
                self.errors[kind] += 1


def call(url: str, data: bytes | None = None, content_type: str = "text/plain; charset=utf-8") -> dict:
    headers = {"content-type": content_type} if data is not None else {}
    request = urllib.request.Request(url, data=data, headers=headers)
    with urllib.request.urlopen(request, timeout=300) as response:
        return json.load(response)


def writer(base: str, index: int, texts: list[str], deadline: float, budget: list[int], rec: Recorder) -> None:
    n = 0
    while time.monotonic() < deadline:
        with rec.lock:
            if budget[0] <= 0:
                return
            budget[0] -= 1
        text = texts[(index + n) % len(texts)]
        # A new first line makes a new article (new id) of the same story: what a live feed looks like.
        body = f"Update {index}.{n}: {text.splitlines()[0]}\n\n{text}".encode()
        n += 1
        start = time.perf_counter()
        try:
            rows = call(f"{base}/api/articles?outlet=client{index}", body)["articles"]
            with rec.lock:
                rec.acknowledged.update(row["id"] for row in rows)
            rec.add("post", time.perf_counter() - start, True)
        except (urllib.error.URLError, TimeoutError, ConnectionError):
            rec.add("post", time.perf_counter() - start, False)


def reader(base: str, seed: int, deadline: float, rec: Recorder) -> None:
    rng = random.Random(seed)
    while time.monotonic() < deadline:
        start = time.perf_counter()
        try:
            listing = call(f"{base}/api/stories?limit=20")
            rec.add("read", time.perf_counter() - start, True)
            if listing["stories"]:
                story = rng.choice(listing["stories"])
                start = time.perf_counter()
                call(f"{base}/api/stories/{story['id']}")
                rec.add("read", time.perf_counter() - start, True)
                start = time.perf_counter()
                call(f"{base}/api/articles/{rng.choice(story['articles'])['id']}")
                rec.add("read", time.perf_counter() - start, True)
            else:
                time.sleep(0.05)
        except (urllib.error.URLError, TimeoutError, ConnectionError):
            rec.add("read", time.perf_counter() - start, False)


def percentile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=60.0, help="how long clients run (default 60)")
    parser.add_argument("--writers", type=int, default=4, help="clients posting articles")
    parser.add_argument("--readers", type=int, default=4, help="clients reading stories and articles")
    parser.add_argument("--max-posts", type=int, default=500, help="stop posting after this many posts")
    parser.add_argument("--warm", type=Path, help="a store whose vector cache to start from (copied, never written)")
    parser.add_argument("--out", type=Path, default=REPO / "bench/results/api_load.json")
    args = parser.parse_args()
    if not 0 < args.seconds <= 600:
        sys.exit("api_load: --seconds must be in (0, 600]")

    from storylens.store import Store

    db = Path(tempfile.mkdtemp(prefix="storylens-load-")) / "load.db"
    Store(db).close()
    if args.warm:
        import sqlite3

        with sqlite3.connect(db) as connection:
            connection.execute("ATTACH DATABASE ? AS warm", (f"file:{args.warm}?mode=ro",))
            connection.execute("INSERT OR IGNORE INTO vectors SELECT * FROM warm.vectors")
    server, thread, base = start_server(db)
    texts = example_texts()
    rec = Recorder()
    first = call(f"{base}/api/articles", texts[0].encode())  # loads the models before the clock starts
    rec.acknowledged.update(row["id"] for row in first["articles"])
    budget = [args.max_posts]
    started = time.monotonic()
    deadline = started + args.seconds
    threads = [
        threading.Thread(target=writer, args=(base, i, texts, deadline, budget, rec)) for i in range(args.writers)
    ]
    threads += [threading.Thread(target=reader, args=(base, i, deadline, rec)) for i in range(args.readers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - started
    server.should_exit = True
    thread.join(timeout=30)
    with Store(db) as store:
        stored = store.count_articles()

    report = {
        "seconds": round(elapsed, 1),
        "writers": args.writers,
        "readers": args.readers,
        "warm_vectors": bool(args.warm),
        "requests_per_s": round((len(rec.latency["read"]) + len(rec.latency["post"])) / elapsed, 2),
        **{
            kind: {
                "ok": len(rec.latency[kind]),
                "errors": rec.errors[kind],
                "per_s": round(len(rec.latency[kind]) / elapsed, 2),
                "p50_ms": _ms(percentile(rec.latency[kind], 0.5)),
                "p99_ms": _ms(percentile(rec.latency[kind], 0.99)),
            }
            for kind in ("read", "post")
        },
        "acknowledged_articles": len(rec.acknowledged),
        "stored_articles": stored,
        "store_matches_acknowledged": stored == len(rec.acknowledged),
    }
    print(f"{'':6} {'ok':>6} {'err':>5} {'per s':>7} {'p50 ms':>8} {'p99 ms':>8}")
    for kind in ("read", "post"):
        r = report[kind]
        print(f"{kind:6} {r['ok']:>6} {r['errors']:>5} {r['per_s']:>7} {r['p50_ms']!s:>8} {r['p99_ms']!s:>8}")
    print(f"{report['requests_per_s']} requests/s over {report['seconds']} s; "
          f"stored {stored} articles, acknowledged {len(rec.acknowledged)}: "
          f"{'match' if report['store_matches_acknowledged'] else 'MISMATCH'}")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=1) + "\n")
    if not report["store_matches_acknowledged"]:
        sys.exit(1)


def _ms(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds * 1000, 1)


if __name__ == "__main__":
    main()
