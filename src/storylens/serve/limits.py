"""Request size bound: a pure ASGI middleware that answers 413 before the app reads a body
larger than ``max_bytes`` (by its Content-Length, or by counting a chunked body)."""

from __future__ import annotations

import json

from starlette.types import ASGIApp, Message, Receive, Scope, Send


class BodyLimit:
    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            await self._too_large(send)
            return
        chunks: list[bytes] = []
        size = 0
        more = True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_bytes:
                await self._too_large(send)
                return
            chunks.append(chunk)
            more = message.get("more_body", False)
        await self.app(scope, _replay(b"".join(chunks), receive), send)

    async def _too_large(self, send: Send) -> None:
        body = json.dumps(
            {"error": f"request body over {self.max_bytes} bytes", "field": "body", "detail": None}
        ).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())],
            }
        )
        await send({"type": "http.response.body", "body": body})


def _replay(body: bytes, receive: Receive) -> Receive:
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()  # after the body: wait for the disconnect, as the server would

    return replay


class TimeLimit:
    """Request time bound: a request that has not started its response after ``seconds``
    gets a 503 (nothing was changed: only requests that write nothing are bounded this way).
    ``POST /api/articles`` is left alone: its 2xx means "committed", so it must not be cut
    off after the commit; its time is bounded by the body size and the write-queue timeout.
    The endpoint's worker thread finishes on its own; a read has nothing to undo."""

    def __init__(self, app: ASGIApp, seconds: float, unbounded: tuple[tuple[str, str], ...]) -> None:
        self.app = app
        self.seconds = seconds
        self.unbounded = unbounded

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or (scope["method"], scope["path"]) in self.unbounded:
            await self.app(scope, receive, send)
            return
        import asyncio

        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await asyncio.wait_for(self.app(scope, receive, tracking_send), timeout=self.seconds)
        except TimeoutError:
            if started:
                raise
            body = json.dumps(
                {"error": f"request took longer than {self.seconds:g} s; nothing was changed, retry later",
                 "field": None, "detail": None}
            ).encode()
            await send(
                {
                    "type": "http.response.start",
                    "status": 503,
                    "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                                (b"retry-after", b"5")],
                }
            )
            await send({"type": "http.response.body", "body": body})
