"""The web page: story list, story page and compare page, rendered from the same dicts the
API returns (datasette's one-function-per-resource idea), with autoescaped Jinja2 templates
and the app's own CSS/JS (no external assets, plots are inline SVG)."""

from __future__ import annotations

from datetime import date
from importlib import resources
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import FastAPI, Query
from fastapi.responses import HTMLResponse, Response
from jinja2 import Environment, PackageLoader, select_autoescape

from storylens.serve import render
from storylens.serve.state import ServerState
from storylens.stories import api as stories

# POST /api/similar's best overall score (SemEval scale, 1 = very similar) at or below which the
# page's paste box calls a pasted article part of that story ("somewhat similar" or closer).
SAME_STORY_MAX_OVERALL = 2.0

_env = Environment(loader=PackageLoader("storylens.serve", "templates"), autoescape=select_autoescape(default=True))
_env.globals.update(text_dir=render.text_dir, dimensions=render.DIMENSIONS)
_STATIC = {
    name: (resources.files("storylens.serve").joinpath("static", name).read_bytes(), media)
    for name, media in (("app.css", "text/css"), ("app.js", "text/javascript"))
}


def page(name: str, status: int = 200, **context: Any) -> HTMLResponse:
    return HTMLResponse(_env.get_template(name).render(**context), status_code=status)


def add_pages(app: FastAPI, state: ServerState) -> None:
    @app.get("/static/{name}", include_in_schema=False)
    def static(name: str) -> Response:
        if name not in _STATIC:  # a fixed set of the package's own files: no path ever reaches the disk
            return page("error.html", 404, message=f"no such file: {name}")
        body, media = _STATIC[name]
        return Response(body, media_type=media, headers={"Cache-Control": "max-age=3600"})

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def story_list(
        lang: Annotated[str | None, Query(max_length=20)] = None,
        outlet: Annotated[str | None, Query(max_length=200)] = None,
        since: Annotated[str | None, Query(max_length=10)] = None,
        until: Annotated[str | None, Query(max_length=10)] = None,
        min_size: Annotated[int, Query(ge=1)] = 1,
        offset: Annotated[int, Query(ge=0)] = 0,
    ) -> HTMLResponse:
        limit = 25
        form = {"lang": lang or "", "outlet": outlet or "", "since": since or "", "until": until or ""}
        form["min_size"] = min_size
        filters = {"lang": lang or None, "outlet": outlet or None, "since": _day(since), "until": _day(until)}
        listing = stories.list_stories(state.store(), min_size=min_size, limit=limit, offset=offset, **filters)
        return page(
            "stories.html",
            listing=listing,
            form=form,
            offset=offset,
            limit=limit,
            base_query=urlencode({k: v for k, v in form.items() if v}),
            same_story_max=SAME_STORY_MAX_OVERALL,
        )

    @app.get("/stories/{story_id}", response_class=HTMLResponse, include_in_schema=False)
    def story_page(story_id: str) -> HTMLResponse:
        story = stories.get_story(state.store(), story_id)
        if story is None:
            return page("error.html", 404, message=f"no story with id {story_id}")
        story = render.page_story(story)
        labels = {a["id"]: render.outlet_label(a) for a in story["articles"]}
        by_id = {a["id"]: a for a in story["articles"]}
        return page(
            "story.html",
            story=story,
            labels=labels,
            by_id=by_id,
            timeline=render.timeline_svg(story.get("timeline") or [], labels),
            grid=render.coverage_grid(story.get("coverage") or {}, labels),
            distances=story.get("distances") or [],
            quotes=story.get("quotes") or [],
        )

    @app.get("/compare", response_class=HTMLResponse, include_in_schema=False)
    def compare_page(a: Annotated[str, Query(max_length=100)], b: Annotated[str, Query(max_length=100)]):
        from storylens.serve.app import compare_articles

        store = state.store()
        first, second = store.get_article(a), store.get_article(b)
        if first is None or second is None:
            return page("error.html", 404, message=f"no article with id {a if first is None else b}")
        comparison = compare_articles(state, first, second)
        sides = []
        for side, article in (("a", first), ("b", second)):
            analysis = article.analysis.to_dict() if article.analysis else None
            marks = render.compare_marks(comparison, side, analysis)
            sides.append(
                {
                    "article": comparison["articles"][0 if side == "a" else 1],
                    "label": render.outlet_label(comparison["articles"][0 if side == "a" else 1]),
                    "title": render.highlight(article.title, marks),
                    "body": [render.highlight(p, marks) for p in article.body.split("\n\n")],
                }
            )
        return page("compare.html", comparison=comparison, sides=sides, chart=render.scores_svg(comparison))


def _day(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None
