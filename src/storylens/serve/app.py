"""The HTTP API: ``create_app`` builds a FastAPI application over one storylens store.

Every resource is the stories contract's plain dict (``storylens.stories.api``) or
``compare --json``'s object, returned as JSON under ``/api``; the web page (:mod:`.pages`)
renders the same dicts. Every error is ``{"error", "field", "detail"}`` JSON and declared in
the OpenAPI schema: 413 over the body size, 422 malformed input, 404 unknown id, 401 a
missing token, 503 a full write queue, 400 anything else.
"""

from __future__ import annotations

import hmac
from datetime import date
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from fastapi_offline import FastAPIOffline
from starlette.exceptions import HTTPException as StarletteHTTPException

from storylens.article import Article
from storylens.errors import InputError, StorylensError
from storylens.serve import inputs
from storylens.serve.limits import BodyLimit, TimeLimit
from storylens.serve.models import (
    ArticleOut,
    CompareIn,
    CompareOut,
    ErrorOut,
    IngestOut,
    SimilarOut,
    StoryDetail,
    StoryList,
)
from storylens.serve.state import Busy, ServerState
from storylens.stories import api as stories

DEFAULT_MAX_BODY_BYTES = 2_000_000
DEFAULT_QUEUE_TIMEOUT = 60.0
DEFAULT_REQUEST_TIMEOUT = 120.0  # seconds before a request that changes nothing answers 503


class ApiError(Exception):
    def __init__(self, status: int, error: str, field: str | None = None) -> None:
        super().__init__(error)
        self.status, self.error, self.field = status, error, field


def _error(status: int, description: str) -> dict[int | str, dict[str, Any]]:
    return {status: {"model": ErrorOut, "description": description}}


E400 = _error(400, "Unsupported content type, too many articles, or an impossible request")
E401 = _error(401, "The server requires a bearer token for writes (it listens beyond loopback or was given one)")
E404 = _error(404, "No article or story with that id")
E413 = _error(413, "The request body is larger than the server accepts")
E422 = _error(422, "Malformed input: the message names the field or the reason")
E503 = _error(503, "The write queue stayed full for too long; nothing was done, retry later")
READ_ERRORS = {**E400, **E422, **E503}  # 503: a worker thread's first connection waits for the writer
POST_ERRORS = {**E400, **E413, **E422, **E503}

_ARTICLE_BODY = {
    "required": True,
    "content": {
        "application/json": {
            "schema": {
                "anyOf": [
                    inputs.ARTICLE_SCHEMA,
                    {"type": "array", "items": inputs.ARTICLE_SCHEMA, "minItems": 1, "maxItems": 100},
                ]
            }
        },
        "text/plain": {"schema": {"type": "string"}},
        "text/html": {"schema": {"type": "string"}},
    },
}
_ONE_ARTICLE_BODY = {
    "required": True,
    "content": {**_ARTICLE_BODY["content"], "application/json": {"schema": inputs.ARTICLE_SCHEMA}},
}

_bearer = HTTPBearer(auto_error=False, description="Needed for writes when the server was given a token")


def create_app(
    db_path: str | Path,
    token: str | None = None,
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
    queue_timeout: float = DEFAULT_QUEUE_TIMEOUT,
    request_timeout: float = DEFAULT_REQUEST_TIMEOUT,
) -> FastAPI:
    """The storylens API and web page over the store at ``db_path``. With ``token``, writes
    need ``Authorization: Bearer <token>``; bodies over ``max_body_bytes`` get a 413."""
    state = ServerState(db_path, token, queue_timeout)
    app = FastAPIOffline(
        title="storylens",
        summary="One news story through every outlet and language that covered it, offline.",
        version=_version(),
    )
    app.state.storylens = state
    app.add_middleware(TimeLimit, seconds=request_timeout, unbounded=(("POST", "/api/articles"),))
    app.add_middleware(BodyLimit, max_bytes=max_body_bytes)
    _add_error_handlers(app)
    _add_routes(app, state)
    from storylens.serve.pages import add_pages

    add_pages(app, state)
    return app


def _version() -> str:
    from storylens import __version__

    return __version__


# -- errors -------------------------------------------------------------------------------------
def error_response(status: int, error: str, field: str | None = None, detail: Any = None, **headers: str):
    body = {"error": error, "field": field, "detail": detail}
    return JSONResponse(body, status_code=status, headers=headers or None)


def _add_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def api_error(_: Request, exc: ApiError):
        return error_response(exc.status, exc.error, exc.field)

    @app.exception_handler(InputError)
    async def input_error(_: Request, exc: InputError):
        return error_response(422, str(exc), exc.source)

    @app.exception_handler(Busy)
    async def busy(_: Request, exc: Busy):
        return error_response(503, str(exc), **{"Retry-After": "5"})

    @app.exception_handler(RequestValidationError)
    async def invalid(_: Request, exc: RequestValidationError):
        errors = [
            {"loc": [str(p) for p in e.get("loc", ())], "msg": e.get("msg", ""), "type": e.get("type")}
            for e in exc.errors()
        ]
        first = errors[0] if errors else {"loc": [], "msg": "invalid request"}
        where = ".".join(first["loc"])
        return error_response(422, f"{where}: {first['msg']}" if where else first["msg"], where or None, errors)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_: Request, exc: StarletteHTTPException):
        return error_response(exc.status_code, str(exc.detail), **(exc.headers or {}))  # keeps 405's Allow


# -- routes -------------------------------------------------------------------------------------
def _check_token(state: ServerState, credentials: HTTPAuthorizationCredentials | None) -> None:
    if state.token is None:
        return
    given = credentials.credentials if credentials is not None else ""
    if not hmac.compare_digest(given.encode(), state.token.encode()):
        raise ApiError(401, "this server needs 'Authorization: Bearer <token>' for writes", "Authorization")


def _meta_params(
    title: Annotated[str | None, Query(max_length=1000, description="title (text/HTML bodies)")] = None,
    outlet: Annotated[str | None, Query(max_length=200, description="outlet (text/HTML bodies)")] = None,
    url: Annotated[str | None, Query(max_length=2000, description="URL (text/HTML bodies)")] = None,
    published: Annotated[str | None, Query(alias="date", max_length=100, description="publication date")] = None,
    lang: Annotated[str | None, Query(max_length=20, description="language code (text/HTML bodies)")] = None,
    filename: Annotated[
        str | None, Query(max_length=300, description="a label for the text's origin; never read from disk")
    ] = None,
) -> dict[str, Any]:
    return {"title": title, "outlet": outlet, "url": url, "published": published, "lang": lang, "filename": filename}


def _articles_of(request_body: bytes, content_type: str | None, meta: dict[str, Any]) -> list[Article]:
    try:
        return inputs.articles_from_body(request_body, content_type, meta)
    except inputs.UnsupportedBody as error:
        raise ApiError(400, str(error), "Content-Type") from None


def _stored(store, article_id: str) -> Article:
    article = store.get_article(article_id)
    if article is None:
        raise ApiError(404, f"no article with id {article_id!r}", "article_id")
    return article


def story_of(store, article_id: str) -> str | None:
    """The story an article belongs to, through the contract's ``list_stories`` pages."""
    offset = 0
    while True:
        page = stories.list_stories(store, limit=200, offset=offset)
        for story in page["stories"]:
            if any(a["id"] == article_id for a in story["articles"]):
                return story["id"]
        offset += 200
        if offset >= page["total"]:
            return None


def compare_articles(state: ServerState, a: Article, b: Article) -> dict[str, Any]:
    """``compare --json`` of two articles; posted ones are analysed here so that the compare
    stage finds nothing to store (it caches vectors, never articles, for an API caller)."""
    from storylens.analyze import analyze
    from storylens.compare import Comparer

    for article in (a, b):
        if article.analysis is None:
            analyze(article)
    with state.exclusive() as store:
        return Comparer(store=store, model=state.model).compare(a, b).to_dict()


def _add_routes(app: FastAPI, state: ServerState) -> None:
    def authorised(credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]) -> None:
        _check_token(state, credentials)

    @app.post(
        "/api/articles",
        status_code=201,
        response_model=IngestOut,
        responses={**POST_ERRORS, **E401},
        openapi_extra={"requestBody": _ARTICLE_BODY},
        # The schema says what this server asks for: a bearer token only when it was given one.
        dependencies=[Depends(authorised)] if state.token else [],
        tags=["articles"],
    )
    async def post_articles(request: Request, meta: Annotated[dict, Depends(_meta_params)]) -> Any:
        """Ingest one article or a list: JSON with the fields `storylens ingest` reads, or raw
        text / HTML (metadata in the query). Returns each article's id and story id; a 201
        means they are committed."""
        articles = _articles_of(await request.body(), request.headers.get("content-type"), meta)
        return await _in_thread(_ingest, state, articles)

    @app.get("/api/stories", response_model=StoryList, responses=READ_ERRORS, tags=["stories"])
    def get_stories(
        since: Annotated[str | None, DayQuery("stories with an article on or after this day (YYYY-MM-DD)")] = None,
        until: Annotated[str | None, DayQuery("stories with an article on or before this day (YYYY-MM-DD)")] = None,
        lang: Annotated[str | None, Query(max_length=20)] = None,
        outlet: Annotated[str | None, Query(max_length=200)] = None,
        min_size: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
        limit: Annotated[int, Query(ge=1, le=200)] = 50,
        offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
    ) -> Any:
        """Stories, newest first, filtered by date range, language, outlet and size; paged."""
        first, last = _day(since, "since"), _day(until, "until")  # since > until: an empty range, no stories
        filters = {"since": first, "until": last, "lang": lang, "outlet": outlet, "min_size": min_size}
        page = stories.list_stories(state.store(), **filters, limit=limit, offset=offset)
        return {**page, "limit": limit, "offset": offset}

    ONE_ERRORS = {**E404, **E422, **E503}

    @app.get("/api/stories/{story_id}", response_model=StoryDetail, responses=ONE_ERRORS, tags=["stories"])
    def get_story(story_id: str) -> Any:
        """One story with its timeline, coverage matrix, aligned quotes and distances (`story --json`)."""
        story = stories.get_story(state.store(), story_id)
        if story is None:
            raise ApiError(404, f"no story with id {story_id!r}", "story_id")
        return story

    @app.get("/api/articles/{article_id}", response_model=ArticleOut, responses=ONE_ERRORS, tags=["articles"])
    def get_article(article_id: str) -> Any:
        """An article's cleaned text, its analysis and its story."""
        store = state.store()
        article = _stored(store, article_id)
        return {**article.to_dict(), "story_id": story_of(store, article_id)}

    @app.post(
        "/api/compare",
        response_model=CompareOut,
        responses={**POST_ERRORS, **E404},
        tags=["compare"],
    )
    def post_compare(pair: CompareIn) -> Any:
        """Two article ids or two posted articles → the `compare --json` object (seven scores and evidence)."""
        store = state.store()
        a, b = (_side(store, pair.a, "a"), _side(store, pair.b, "b"))
        return compare_articles(state, a, b)

    @app.get(
        "/api/articles/{article_id}/similar",
        response_model=SimilarOut,
        responses={**E404, **E422, **E503},
        tags=["similar"],
    )
    def get_similar(article_id: str, k: Annotated[int, Query(ge=1, le=100)] = 10) -> Any:
        """The stored articles nearest to a stored one, with their overall scores (1 = very similar)."""
        _stored(state.store(), article_id)
        with state.exclusive() as store:
            return {"article_id": article_id, "similar": stories.similar_articles(store, article_id, k=k)}

    @app.post(
        "/api/similar",
        response_model=SimilarOut,
        responses=POST_ERRORS,
        openapi_extra={"requestBody": _ONE_ARTICLE_BODY},
        tags=["similar"],
    )
    async def post_similar(
        request: Request, meta: Annotated[dict, Depends(_meta_params)], k: Annotated[int, Query(ge=1, le=100)] = 10
    ) -> Any:
        """The stored articles nearest to a posted one (not stored), with their overall scores."""
        articles = _articles_of(await request.body(), request.headers.get("content-type"), meta)
        if len(articles) != 1:
            raise ApiError(400, f"post exactly one article, got {len(articles)}", "body")
        return await _in_thread(_similar, state, articles[0], k)


def DayQuery(description: str):
    # A string, not a date: pydantic would also read 0 or 1700000000 as a day (a Unix time).
    return Query(pattern=r"^\d{4}-\d{2}-\d{2}$", description=description, json_schema_extra={"format": "date"})


def _day(value: str | None, name: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ApiError(422, f"query.{name}: {value!r} is not a calendar day", f"query.{name}") from None


async def _in_thread(function, *args):
    """Run blocking work in the worker thread pool (the endpoint itself reads the body async)."""
    from starlette.concurrency import run_in_threadpool

    return await run_in_threadpool(function, *args)


def _ingest(state: ServerState, articles: list[Article]) -> dict[str, Any]:
    with state.exclusive() as store:
        rows = stories.ingest_articles(store, articles)
    return {"articles": rows, "added": sum(1 for row in rows if row["new"])}


def _similar(state: ServerState, article: Article, k: int) -> dict[str, Any]:
    with state.exclusive() as store:
        return {"article_id": None, "similar": stories.similar_articles(store, article, k=k)}


def _side(store, value: str | dict[str, Any], name: str) -> Article:
    if isinstance(value, str):
        article = store.get_article(value)
        if article is None:
            raise ApiError(404, f"{name}: no article with id {value!r}", name)
        return article
    try:
        return inputs.article_from_json_value(value, source=name)
    except StorylensError as error:
        raise ApiError(422, str(error), name) from None
