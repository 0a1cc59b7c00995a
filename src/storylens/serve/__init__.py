"""``storylens serve``: the HTTP API and the web page over one store (FastAPI + uvicorn)."""

from storylens.serve.app import create_app

__all__ = ["create_app"]
