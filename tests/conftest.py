"""Shared fixtures: the shipped example articles and the optional SemEval data."""

from __future__ import annotations

import os
from pathlib import Path

# anyio imports its file module lazily, the first time a served file is streamed: in a
# server worker thread. anyio is a pytest plugin, so pytest compiles that module with
# ast.parse there, and CPython 3.11's AST validator keeps its recursion depth per
# interpreter, not per thread: a compile in another thread at the same moment fails with
# "AST constructor recursion depth mismatch" (a fresh-clone CI run hit it). Import it here,
# in the main thread, before any server starts.
import anyio._core._fileio  # noqa: F401
import pytest

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "examples"
SPUTNIK = EXAMPLES / "sputnik-en-antonov-2021-03-20.txt"
ARABIC_DAILY = EXAMPLES / "arabic-daily-mt-en-antonov-2021-03-21.txt"


def semeval_dir() -> Path | None:
    """SemEval-2022 Task 8 data: $STORYLENS_SEMEVAL_DIR, else ../shared/data/semeval2022t8 beside the repo."""
    candidates = [os.environ.get("STORYLENS_SEMEVAL_DIR"), REPO.parent / "shared/data/semeval2022t8"]
    for candidate in candidates:
        if candidate and (Path(candidate) / "train.jsonl").exists():
            return Path(candidate)
    return None


@pytest.fixture
def seed_paths() -> tuple[Path, Path]:
    return SPUTNIK, ARABIC_DAILY


# -- PostgreSQL and Dask: the scale-out backends ---------------------------------------------


@pytest.fixture(scope="session")
def pg_server():
    """A throw-away PostgreSQL server for the session; skips when there are no server binaries
    (see tests/pg.py) or no psycopg."""
    pytest.importorskip("psycopg", reason="psycopg is not installed (pip install -e '.[scale]')")
    from pg import ThrowawayPostgres, server_bin

    bin_dir = server_bin()
    if bin_dir is None:
        pytest.skip("no PostgreSQL server binaries (initdb, pg_ctl): apt-get install postgresql, "
                    "or set STORYLENS_PG_BIN")
    server = ThrowawayPostgres(bin_dir)
    try:
        server.start()
    except RuntimeError as error:
        server.stop()
        pytest.skip(f"cannot start a throw-away PostgreSQL: {error}")
    yield server
    server.stop()


@pytest.fixture
def pg_url(pg_server) -> str:
    """A URL of an empty PostgreSQL store (its own schema on the session's server)."""
    return pg_server.new_schema_url()


@pytest.fixture(params=["sqlite", "postgresql"])
def store_target(request, tmp_path: Path) -> str:
    """Where a test's store lives: an SQLite file, then an empty PostgreSQL schema."""
    if request.param == "sqlite":
        return str(tmp_path / "s.db")
    return request.getfixturevalue("pg_url")
