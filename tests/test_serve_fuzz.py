"""schemathesis over ``/openapi.json``: generated requests (valid and not) for every API
operation; no response may be a server error or break the schema the API declares."""

from __future__ import annotations

import os

import pytest

schemathesis = pytest.importorskip("schemathesis")
from hypothesis import HealthCheck, settings  # noqa: E402  (after the skip: hypothesis comes with schemathesis)

from storylens.serve import create_app  # noqa: E402
from test_serve_support import fresh_store, post_examples  # noqa: E402

# 200 per operation found faults that 30 missed (stack notes); STORYLENS_FUZZ_EXAMPLES raises or lowers it.
EXAMPLES = int(os.environ.get("STORYLENS_FUZZ_EXAMPLES", "200"))


def _app():
    import tempfile
    from pathlib import Path

    from fastapi.testclient import TestClient

    db = fresh_store(Path(tempfile.mkdtemp(prefix="storylens-fuzz-")) / "fuzz.db")
    app = create_app(db, max_body_bytes=200_000)
    with TestClient(app) as client:
        post_examples(client)  # real stories and articles, so ids and pages have content
    return app


schema = schemathesis.pytest.from_fixture("api_schema")


@pytest.fixture(scope="module")
def api_schema():
    return schemathesis.openapi.from_asgi("/openapi.json", _app())


@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_conforms_to_its_schema(case):
    case.call_and_validate()
