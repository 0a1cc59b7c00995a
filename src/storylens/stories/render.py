"""Plain-text views of the stories API's dicts (the CLI prints these; ``--json`` prints the dicts)."""

from __future__ import annotations

from typing import Any

_KIND_ORDER = ("person", "organisation", "place", "date", "number", "quote")


def render_stories(listing: dict[str, Any]) -> str:
    stories = listing["stories"]
    if not stories:
        return "no stories"
    lines = [f"{listing['total']} stories" + (f" (showing {len(stories)})" if len(stories) < listing["total"] else "")]
    for story in stories:
        span = _span(story["first_date"], story["last_date"])
        lines.append(f"{story['id']}  {story['size']:>4} article(s)  {span:<23}  {story['headline'][:90]}")
        lines.append(f"           languages: {', '.join(story['languages']) or '?'}   "
                     f"outlets: {', '.join(story['outlets'][:8])}{' …' if len(story['outlets']) > 8 else ''}")
    return "\n".join(lines)


def _span(first: str | None, last: str | None) -> str:
    if not first:
        return "undated"
    return first if first == last else f"{first} … {last}"


def render_story(story: dict[str, Any], max_facts: int = 40) -> str:
    lines = [f"story {story['id']}: {story['headline']}",
             f"{story['size']} article(s), {_span(story['first_date'], story['last_date'])}, "
             f"languages: {', '.join(story['languages'])}"]
    for merged in story["merged_from"]:
        lines.append(f"merged from {merged['id']} (bridged by article {merged['bridge_article'][:12]})")
    lines += ["", "timeline (* = first to report):"]
    column_of = {c["article"]: n + 1 for n, c in enumerate(story["coverage"]["columns"])}
    for entry in story["timeline"]:
        mark = "*" if entry["first"] else " "
        when = entry["published"] or "undated"
        lines.append(f" {mark} [{column_of[entry['id']]}] {when:<10}  {entry['lang'] or '??'}  "
                     f"{entry['outlet']:<28.28}  {entry['title'][:70]}")
    lines += ["", *_coverage_lines(story["coverage"], max_facts)]
    shared_quotes = [q for q in story["quotes"] if len(q["articles"]) > 1]
    if shared_quotes:
        lines += ["", "quotes reported by several articles:"]
        for quote in shared_quotes[:10]:
            who = f"{quote['speaker']}: " if quote["speaker"] else ""
            cols = ", ".join(f"[{c + 1}]" for c in quote["articles"])
            lines.append(f"  {who}«{quote['texts'][0]['text'][:100]}» — in {cols}")
    departing = [d for d in story["distances"] if d["departs_on"]]
    if story["distances"]:
        lines += ["", "distance from the story's core (mean predicted score vs the other articles, 1 = very similar):"]
        for d in story["distances"]:
            dims = d["dimensions"]
            text = "  ".join(f"{name[:4]} {v['score']:.1f}" for name, v in dims.items())
            lines.append(f"  [{column_of[d['article']]}] {text}")
        for d in departing:
            parts = [f"{dim} {d['dimensions'][dim]['score']:.1f} vs median {d['dimensions'][dim]['story_median']:.1f}"
                     for dim in d["departs_on"]]
            lines.append(f"  [{column_of[d['article']]}] tells it differently on: {'; '.join(parts)}")
    return "\n".join(lines)


def _coverage_lines(coverage: dict[str, Any], max_facts: int) -> list[str]:
    columns = coverage["columns"]
    header = "".join(f"{n + 1:>3}" for n in range(len(columns))) if len(columns) <= 30 else ""
    lines = ["coverage (facts × articles; x = reports it):"]
    lines += [f"  [{n + 1}] {c['outlet']} ({c['lang'] or '??'})" for n, c in enumerate(columns[:30])]
    lines.append(f"  {'':<44}{header}")
    facts = [f for f in coverage["facts"] if f["kind"] != "number" or len(f["outlets"]) > 1 or f["only"]]
    shown = [f for f in facts if len(f["outlets"]) > 1][: max_facts // 2]
    shown += [f for f in facts if f["only"] or f["omitted_by"]][: max_facts - len(shown)]
    seen = set()
    for fact in shown:
        if fact["key"] in seen:
            continue
        seen.add(fact["key"])
        cells = "".join(f"{'x' if n in fact['articles'] else '.':>3}" for n in range(len(columns))) if header else ""
        note = f"  only {fact['only']}" if fact["only"] else (f"  not in {fact['omitted_by']}" if fact["omitted_by"]
                                                               else "")
        lines.append(f"  {fact['kind'][:6]:<7}{fact['label'][:36]:<37}{cells}{note}")
    for flag, heading, prefix in (("only", "reported by one outlet only:", ""),
                                  ("omitted_by", "reported by all outlets but one:", "not in ")):
        by_outlet = _flagged_facts(coverage["facts"], flag)
        if by_outlet:
            lines += ["", heading]
            lines += [f"  {prefix}{outlet}: {'; '.join(labels[:12])}" for outlet, labels in sorted(by_outlet.items())]
    return lines


def _flagged_facts(facts: list[dict], flag: str) -> dict[str, list[str]]:
    """Labels of the named facts (people, organisations, places, quotes) carrying ``flag``
    (``only``: one outlet alone reports it; ``omitted_by``: every outlet but one), by outlet."""
    by_outlet: dict[str, list[str]] = {}
    for fact in facts:
        if fact[flag] and fact["kind"] in ("person", "organisation", "place", "quote"):
            by_outlet.setdefault(fact[flag], []).append(fact["label"][:40])
    return by_outlet
