"""Page pieces built in Python: inline SVG plots and highlighted texts.

Everything returned as :class:`~markupsafe.Markup` is built here from escaped parts
(``markupsafe.escape`` on every value that came from an article), as datasette does: the
templates autoescape the rest, so an article titled ``<script>`` is text on every page.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import date
from pathlib import PurePath
from typing import Any

from markupsafe import Markup, escape

RTL_LANGS = frozenset({"ar", "he", "fa", "ur", "ps", "yi", "dv", "ckb"})
DIMENSIONS = ("overall", "geography", "entities", "time", "narrative", "style", "tone")


def text_dir(lang: str | None) -> str:
    """``rtl`` for right-to-left languages, else ``auto`` (the browser looks at the first strong character)."""
    return "rtl" if (lang or "").lower() in RTL_LANGS else "auto"


def outlet_label(article: dict[str, Any]) -> str:
    """What a column or row is called: the outlet, else the file the text came from, else language + id."""
    if article.get("outlet"):
        return str(article["outlet"])
    source = str(article.get("source") or "")
    name = PurePath(source.split("[")[0].split(":")[0]).name if source else ""
    if name and name != "request":
        return name
    return f"{article.get('lang') or '??'} {str(article.get('id', ''))[:6]}"


# -- timeline -----------------------------------------------------------------------------------
def timeline_svg(timeline: Sequence[dict[str, Any]], labels: dict[str, str], width: int = 760) -> Markup:
    """Articles over time, one row per outlet; the first reporter's dot is ringed and labelled."""
    rows = list(dict.fromkeys(labels[item["id"]] for item in timeline))
    days = [date.fromisoformat(item["published"]) for item in timeline if item.get("published")]
    left, right, top, row_h = 190, 30, 26, 28
    height = top + row_h * max(len(rows), 1) + 30
    if days:
        start, end = min(days), max(days)
    span = max((end - start).days, 1) if days else 1

    def x_of(day: date | None) -> float:
        if day is None or not days:
            return width - right + 10
        return left + (width - left - right) * (day - start).days / span if span else left

    parts = [f'<svg class="timeline" viewBox="0 0 {width + 20} {height}" role="img" aria-label="timeline">']
    for index, row in enumerate(rows):
        y = top + row_h * index + row_h / 2
        parts.append(f'<line x1="{left}" x2="{width - right}" y1="{y}" y2="{y}" class="grid"/>')
        parts.append(f'<text x="{left - 8}" y="{y + 4}" text-anchor="end" dir="auto">{escape(row[:28])}</text>')
    if days:
        for day in sorted(set(days)):
            x = x_of(day)
            parts.append(f'<line x1="{x}" x2="{x}" y1="{top - 6}" y2="{height - 26}" class="tick"/>')
            parts.append(f'<text x="{x}" y="{height - 10}" text-anchor="middle" class="axis">{day.isoformat()}</text>')
    for item in timeline:
        y = top + row_h * rows.index(labels[item["id"]]) + row_h / 2
        day = date.fromisoformat(item["published"]) if item.get("published") else None
        x = x_of(day)
        tip = f"{labels[item['id']]} · {item.get('published') or 'undated'} · {item.get('title') or ''}"
        first = bool(item.get("first"))
        parts.append(f'<a href="#article-{escape(item["id"])}"><circle cx="{x}" cy="{y}" r="{8 if first else 6}" '
                     f'class="{"dot first" if first else "dot"}"><title>{escape(tip)}</title></circle></a>')
        if first:
            parts.append(f'<text x="{x + 12}" y="{y - 8}" class="first-label">first</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


# -- the stories module's shapes -> the page's ----------------------------------------------------
def page_story(story: dict[str, Any]) -> dict[str, Any]:
    """The page's view of a ``get_story`` object: article ids where the stories module refers to
    articles by column number, quotes grouped by speaker, and one row of seven scores per article
    with the article closest to all others marked as the core."""
    ids = [a["id"] for a in story.get("articles", [])]
    coverage = dict(story.get("coverage") or {})
    if coverage.get("columns"):
        ids = [c["article"] for c in coverage["columns"]]
    coverage["articles"] = ids
    coverage["facts"] = [dict(f, articles=[_article_id(ids, a) for a in f.get("articles", [])])
                         for f in coverage.get("facts", [])]
    quotes = [
        {"speaker": g.get("speaker"),
         "quotes": g.get("quotes") or [{"id": _article_id(ids, t["article"]), "text": t["text"]}
                                       for t in g.get("texts", [])]}
        for g in story.get("quotes") or []
    ]
    return {**story, "coverage": coverage, "quotes": quotes, "distances": _distance_rows(story.get("distances") or [])}


def _article_id(ids: list[str], ref: Any) -> str:
    return ids[ref] if isinstance(ref, int) and 0 <= ref < len(ids) else str(ref)


def _distance_rows(distances: list[dict[str, Any]]) -> list[dict[str, Any]]:
    rows = []
    for item in distances:
        if "dimensions" not in item:  # already one flat row per article
            rows.append(item)
            continue
        dims = item["dimensions"]
        if not dims:
            continue
        rows.append({"id": item["article"], "core": False, **{d: v["score"] for d, v in dims.items()}})
    if rows and not any(r.get("core") for r in rows):
        min(rows, key=lambda r: r.get("overall", 4.0))["core"] = True
    return rows


# -- coverage -----------------------------------------------------------------------------------
def coverage_grid(coverage: dict[str, Any], labels: dict[str, str]) -> dict[str, Any]:
    """Facts × outlets from the contract's facts × articles coverage: each cell the share of the
    outlet's articles that report the fact; a fact only one outlet reports is marked ``single``."""
    article_ids = list(coverage.get("articles") or labels)
    columns = list(dict.fromkeys(labels.get(a, a[:8]) for a in article_ids))
    per_column = {c: sum(1 for a in article_ids if labels.get(a, a[:8]) == c) for c in columns}
    rows = []
    for fact in coverage.get("facts", []):
        reporters = _reporters(fact, article_ids)
        counts = {c: 0 for c in columns}
        for article_id in reporters:
            counts[labels.get(article_id, article_id[:8])] += 1
        outlets = [c for c in columns if counts[c]]
        rows.append(
            {
                "label": fact.get("label") or fact.get("key"),
                "kind": fact.get("kind", ""),
                "cells": [round(counts[c] / per_column[c], 2) for c in columns],
                "outlets": outlets,
                "single": len(outlets) == 1 and len(columns) > 1,
            }
        )
    return {"columns": columns, "rows": rows}


def _reporters(fact: dict[str, Any], article_ids: list[str]) -> list[str]:
    """The articles reporting a fact: its ``articles`` list, or a 0/1 ``present`` row."""
    if "articles" in fact:
        return list(fact["articles"])
    present = fact.get("present") or fact.get("row") or []
    return [a for a, flag in zip(article_ids, present, strict=False) if flag]


# -- compare ------------------------------------------------------------------------------------
def scores_svg(comparison: dict[str, Any], width: int = 520) -> Markup:
    """The seven scores as bars: longer = more similar (SemEval scale, 1 = very similar, 4 = very dissimilar)."""
    left, row_h = 110, 30
    height = row_h * len(DIMENSIONS) + 30
    usable = width - left - 150
    parts = [f'<svg class="scores" viewBox="0 0 {width} {height}" role="img" aria-label="seven scores">']
    for index, dim in enumerate(DIMENSIONS):
        item = comparison.get(dim) or {}
        score = float(item.get("score", 4.0))
        y = 10 + index * row_h
        length = max(usable * (4.0 - score) / 3.0, 2)
        parts.append(f'<text x="{left - 8}" y="{y + 15}" text-anchor="end">{dim}</text>')
        parts.append(f'<rect x="{left}" y="{y + 3}" width="{usable}" height="16" class="track"/>')
        parts.append(f'<rect x="{left}" y="{y + 3}" width="{length:.1f}" height="16" class="bar s{round(score)}"/>')
        parts.append(f'<text x="{left + usable + 8}" y="{y + 15}">{score:.2f} {escape(item.get("label", ""))}</text>')
    parts.append(f'<text x="{left}" y="{height - 4}" class="axis">1 = very similar … 4 = very dissimilar</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def highlight(text: str, marks: Iterable[tuple[str, str]]) -> Markup:
    """``text`` escaped, with every occurrence of each needle wrapped in ``<mark class=...>``
    (longer needles first; overlapping ones are skipped)."""
    spans: list[tuple[int, int, str]] = []
    taken = [False] * (len(text) + 1)
    for needle, css in sorted({(n, c) for n, c in marks if n and len(n.strip()) > 1}, key=lambda m: -len(m[0])):
        for match in re.finditer(re.escape(needle), text):
            start, end = match.span()
            if not any(taken[start:end]):
                spans.append((start, end, css))
                for i in range(start, end):
                    taken[i] = True
    out, last = [], 0
    for start, end, css in sorted(spans):
        out.append(escape(text[last:start]))
        out.append(Markup('<mark class="{}">{}</mark>').format(css, text[start:end]))
        last = end
    out.append(escape(text[last:]))
    return Markup("").join(out)


def compare_marks(comparison: dict[str, Any], side: str, analysis: dict[str, Any] | None) -> list[tuple[str, str]]:
    """(needle, css class) for one side ("a" or "b") of a comparison: shared things and this side's own."""
    evidence = comparison.get("evidence", {})
    marks: list[tuple[str, str]] = []
    groups = [
        evidence.get("entities", {}).get("people", {}),
        evidence.get("entities", {}).get("organisations", {}),
        evidence.get("geography", {}).get("places", {}),
    ]
    surface = _surface_forms(analysis)
    for index, group in enumerate(groups):
        people = index == 0
        for item in group.get("shared", []):  # every way this side writes it: "Joe Biden", later "Biden"
            forms = [item.get(side, ""), *surface.get(item.get("name", ""), [])]
            marks += [(form, "shared") for form in _with_surnames(forms, people)]
        for name in group.get(f"only_{side}", []):
            marks += [(form, "unique") for form in _with_surnames(surface.get(name, [name]), people)]
    quotes = evidence.get("quotes", {})
    marks += [(q.get(side, ""), "shared quote") for q in quotes.get("shared", [])]
    marks += [(q.get("text", ""), "unique quote") for q in quotes.get(f"only_{side}", [])]
    marks += _value_marks(evidence, side, analysis)
    return marks


def _with_surnames(forms: list[str], people: bool) -> list[str]:
    """People are named in full once, then by surname: mark both."""
    if not people:
        return forms
    return forms + [form.split()[-1] for form in forms if len(form.split()) > 1 and len(form.split()[-1]) > 2]


def _surface_forms(analysis: dict[str, Any] | None) -> dict[str, list[str]]:
    forms: dict[str, list[str]] = {}
    for entity in (analysis or {}).get("entities", []):
        forms.setdefault(entity.get("canonical") or entity["text"], []).append(entity["text"])
    return forms


def _value_marks(evidence: dict[str, Any], side: str, analysis: dict[str, Any] | None):
    """Dates and numbers: shared values in both texts, this side's own values as unique."""
    time = evidence.get("time", {})
    shared_days = set(time.get("shared", []))
    marks = []
    for mention in (analysis or {}).get("dates", []):
        if mention.get("value"):
            marks.append((mention["text"], "shared date" if mention["value"] in shared_days else "unique date"))
    numbers = evidence.get("numbers", {})
    shared_numbers = set(numbers.get("shared", []))  # as side a writes them
    own = set(numbers.get(f"only_{side}", []))
    for mention in (analysis or {}).get("numbers", []):
        if mention["text"] in own:
            marks.append((mention["text"], "unique number"))
        elif side == "b" or mention["text"] in shared_numbers:  # b's numbers that are not its own are shared
            marks.append((mention["text"], "shared number"))
    return marks
