"""The records that flow through storylens.

One :class:`Article` is created by ingest, gets its language from language ID and its
:class:`Analysis` from the analyse stage; the embed stage keys its vectors by
:func:`content_hash`. Every stage reads fields and adds its own, so a stage can be swapped
without touching the others (the spaCy ``Doc`` idea).
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any, Literal

EntityKind = Literal["person", "org", "place", "misc"]


def content_hash(text: str) -> str:
    """Stable id of a text: SHA-256 of its UTF-8 bytes, hex, first 32 characters."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


@dataclass
class Entity:
    """A named entity as the article writes it, plus a script-independent key.

    ``key`` is what makes Putin / Путин / بوتين the same entity: two entities of two
    articles are the same when :func:`storylens.analyze.names.same_name` says so; ``key`` is
    its fast path (a Latin transliteration, lower-cased). ``canonical`` is the display form
    in Latin script (from a gazetteer when the name is known, else the transliteration).
    """

    text: str
    kind: EntityKind
    key: str
    canonical: str
    count: int = 1


@dataclass
class DateMention:
    """A date or time expression resolved to a calendar day (relative ones against the
    article's publication date when it has one)."""

    text: str
    value: date | None
    granularity: Literal["day", "month", "year", "relative"] = "day"
    # A day named without a year that nothing resolves ("12 March" in an undated article
    # with no year in it): ISO 8601's year-less form "--03-12", so it still matches.
    month_day: str | None = None


@dataclass
class Quote:
    """Reported speech: the quoted words and, when found, who said them."""

    text: str
    speaker: str | None = None


@dataclass
class NumberMention:
    text: str
    value: float


@dataclass
class Analysis:
    entities: list[Entity] = field(default_factory=list)
    dates: list[DateMention] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    numbers: list[NumberMention] = field(default_factory=list)
    # What the analyser could do with the text: "full" (rules for its language), "partial"
    # (another language's or generic rules), "none" (no extractor for its script); ``notes``
    # say what was left out, in words a reader understands.
    coverage: str = "full"
    notes: list[str] = field(default_factory=list)

    def of_kind(self, kind: EntityKind) -> list[Entity]:
        return [e for e in self.entities if e.kind == kind]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: dates as ISO strings."""
        data = asdict(self)
        for mention in data["dates"]:
            mention["value"] = mention["value"].isoformat() if mention["value"] else None
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Analysis:
        return cls(
            entities=[Entity(**e) for e in data.get("entities", [])],
            dates=[
                DateMention(
                    text=d["text"],
                    value=date.fromisoformat(d["value"]) if d.get("value") else None,
                    granularity=d.get("granularity", "day"),
                    month_day=d.get("month_day"),
                )
                for d in data.get("dates", [])
            ],
            quotes=[Quote(**q) for q in data.get("quotes", [])],
            numbers=[NumberMention(**n) for n in data.get("numbers", [])],
            coverage=data.get("coverage", "full"),
            notes=list(data.get("notes", [])),
        )


@dataclass
class Article:
    """One news article, cleaned.

    ``id`` is the hash of title + body (:func:`content_hash`): the same text ingested twice
    is the same article, and two different texts never share an id, whatever their inputs
    call them. The input's own id (a JSON ``id`` field: feeds number their records 1..N, so
    two feeds collide) is kept as metadata in ``input_id``; it never decides identity.
    """

    title: str
    body: str
    lang: str | None = None
    lang_confidence: float = 0.0
    outlet: str | None = None
    url: str | None = None
    published: date | None = None
    source: str | None = None  # where it was read from: a path, "path:line", "<string>"
    id: str = ""
    input_id: str | None = None  # the input's own id for the record (metadata, not identity)
    removed_lines: list[str] = field(default_factory=list)  # page chrome that ingest dropped
    analysis: Analysis | None = None

    def __post_init__(self) -> None:
        if not self.id:
            self.id = content_hash(self.full_text)

    @property
    def full_text(self) -> str:
        return f"{self.title}\n\n{self.body}" if self.title else self.body

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["published"] = self.published.isoformat() if self.published else None
        data["analysis"] = self.analysis.to_dict() if self.analysis else None
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Article:
        data = dict(data)
        published = data.get("published")
        data["published"] = date.fromisoformat(published) if published else None
        analysis = data.get("analysis")
        data["analysis"] = Analysis.from_dict(analysis) if analysis else None
        return cls(**data)
