"""Response and request shapes of the HTTP API (they become the OpenAPI schema).

The resources are the stories contract's plain dicts (``storylens.stories.api``); these
models name the keys the contract promises and let any further keys through
(``extra="allow"``), so a richer stories module needs no change here.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class Open(BaseModel):
    model_config = ConfigDict(extra="allow")


class ErrorOut(BaseModel):
    error: str = Field(description="what went wrong, naming the input, field or reason")
    field: str | None = Field(default=None, description="the offending field or input, when there is one")
    detail: Any = Field(default=None, description="more detail (e.g. every validation error)")


class IngestRow(Open):
    id: str
    story_id: str
    new: bool
    source: str | None = None
    lang: str | None = None
    title: str


class IngestOut(BaseModel):
    articles: list[IngestRow]
    added: int = Field(description="articles that were new to the store")


class ArticleRef(Open):
    id: str
    source: str | None = None
    outlet: str | None = None
    lang: str | None = None
    published: str | None = None
    title: str


class StorySummary(Open):
    id: str
    headline: str
    size: int
    languages: list[str]
    outlets: list[str]
    first_date: str | None = None
    last_date: str | None = None
    articles: list[ArticleRef]


class StoryList(BaseModel):
    total: int
    limit: int
    offset: int
    stories: list[StorySummary]


class StoryDetail(StorySummary):
    timeline: Any
    coverage: Any
    quotes: Any
    distances: Any
    merged_from: list[Any]


class ArticleOut(Open):
    id: str
    title: str
    body: str
    lang: str | None = None
    outlet: str | None = None
    url: str | None = None
    published: str | None = None
    source: str | None = None
    removed_lines: list[str]
    analysis: dict[str, Any] | None = None
    story_id: str | None = None


class SimilarRow(Open):
    id: str
    title: str
    outlet: str | None = None
    lang: str | None = None
    story_id: str | None = None
    overall: float


class SimilarOut(BaseModel):
    article_id: str | None = None
    similar: list[SimilarRow]


class CompareIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    a: str | dict[str, Any] = Field(description="an article id, or an article object (the fields `ingest` reads)")
    b: str | dict[str, Any] = Field(description="an article id, or an article object")


class Score(BaseModel):
    score: float
    label: str


class CompareOut(Open):
    model: str
    encoders: list[str]
    overall: Score
    geography: Score
    entities: Score
    time: Score
    narrative: Score
    style: Score
    tone: Score
    evidence: dict[str, Any]
    articles: list[dict[str, Any]]
