"""Plain-text report of a :class:`~storylens.compare.Comparison` for the terminal."""

from __future__ import annotations

import textwrap
from typing import Any

from storylens.similarity import DIMENSIONS, label

_WIDTH = 100


def _names(items: list[Any]) -> str:
    shown = [item["name"] if isinstance(item, dict) else str(item) for item in items]
    return ", ".join(shown) if shown else "—"


def _clip(text: str, width: int = 160) -> str:
    """``text`` on one line, at most ``width`` characters, cut at a word boundary with an
    ellipsis (mid-word only when a single word is longer than the width)."""
    text = " ".join(text.split())
    if len(text) <= width:
        return text
    head = text[: width - 1]
    space = head.rfind(" ")
    if text[width - 1].isalnum() and space > width // 2:  # else the last word is whole already
        head = head[:space]
    return head.rstrip(" ,;:.—-") + "…"


def plural(count: int, word: str, many: str | None = None) -> str:
    """ "1 passage", "2 passages", "0 quotes".

    >>> plural(1, "passage"), plural(2, "passage"), plural(3, "hedge", "hedges")
    ('1 passage', '2 passages', '3 hedges')
    """
    return f"{count} {word if count == 1 else (many or word + 's')}"


_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")  # fmt: skip


def human_date(key: str) -> str:
    """An ISO date as a reader writes it: 2021-03-17 → 17 March 2021, 2021-03 → March 2021,
    1934 → 1934, --03-12 (no year) → 12 March; older 1934-01-01-style years stay as given.

    >>> [human_date(k) for k in ("2021-03-17", "2021-03", "1934", "--03-12")]
    ['17 March 2021', 'March 2021', '1934', '12 March']
    """
    try:
        if key.startswith("--"):
            return f"{int(key[5:7])} {_MONTHS[int(key[2:4]) - 1]}"
        if len(key) == 7:
            return f"{_MONTHS[int(key[5:7]) - 1]} {key[:4]}"
        if len(key) == 10:
            return f"{int(key[8:10])} {_MONTHS[int(key[5:7]) - 1]} {key[:4]}"
    except (ValueError, IndexError):
        pass
    return key


def _dates(keys: list[str]) -> str:
    return ", ".join(human_date(k) for k in keys) if keys else "—"


def _side_lines(title: str, block: dict[str, Any]) -> list[str]:
    if not (block["shared"] or block["only_a"] or block["only_b"]):
        return [f"    {title}: none found in either article"]
    return [
        f"    {title} shared: {_names(block['shared'])}",
        f"    {title} only A: {_names(block['only_a'])}",
        f"    {title} only B: {_names(block['only_b'])}",
    ]


def _time_lines(t: dict[str, Any]) -> list[str]:
    if t["closest_days"] is None:
        closest = "unknown"
    else:
        closest = plural(t["closest_days"], "day")
        if t.get("closest_days_basis") == "day of year":
            closest += " (by day of the year: no year given)"
    published = [human_date(p) if p else "unknown" for p in t["published"]]
    return [
        f"    dates shared: {_dates(t['shared'])}; closest dates apart: {closest}",
        f"    dates only A: {_dates(t['only_a'])}",
        f"    dates only B: {_dates(t['only_b'])}",
        f"    published: A {published[0]}, B {published[1]}",
        *_reports_from_line(t),
    ]


def _reports_from_line(t: dict[str, Any]) -> list[str]:
    days = t.get("reports_from") or [None, None]
    if not any(days):
        return []
    shown = [human_date(d) if d else "unknown" for d in days]
    apart = t.get("reports_from_days_apart")
    gap = f" ({plural(apart, 'day')} apart)" if apart is not None else ""
    return [f"    reports from (publication date, else dateline or lede): A {shown[0]}, B {shown[1]}{gap}"]


def _passage_lines(dimension: str, ev: dict[str, Any]) -> list[str]:
    p = ev["passages"]
    if dimension == "overall":
        lines = [f"    best-matching passages ({len(p['best_matches'])}, closest first):"]
        for match in p["best_matches"][:3]:
            lines.append(f"      {match['cosine']:.3f}  A: {_clip(match['a'], 90)}")
            lines.append(f"             B: {_clip(match['b'], 90)}")
        return lines
    lines = [f"    reported only by A ({plural(len(p['only_a']), 'passage')}):"]
    lines += [f"      - {_clip(text)}" for text in p["only_a"]]
    lines += [f"    reported only by B ({plural(len(p['only_b']), 'passage')}):"]
    lines += [f"      - {_clip(text)}" for text in p["only_b"]]
    return lines + _side_lines("numbers", ev["numbers"])


def _tone_lines(ev: dict[str, Any]) -> list[str]:
    q = ev["quotes"]
    lines = [
        f"    quotes: {len(q['shared'])} shared, {len(q['only_a'])} only in A, {len(q['only_b'])} only in B"
    ]
    tone = ev.get("tone")
    if tone:
        for tag in ("a", "b"):
            side = tone[tag]
            hedges = ", ".join(dict.fromkeys(side["hedges"])) or "none"
            lines.append(
                f"    {tag.upper()}: {plural(side['quotes'], 'quote')} ({side['quoted_share']}% of the text), "
                f"{plural(side['questions'], 'question mark')}, {plural(side['exclamations'], 'exclamation mark')}; "
                f"hedging words: {hedges}"
            )
    for quote in q["shared"][:3]:
        lines.append(f"      both: “{_clip(quote['a'], 80)}” ({quote['speaker'] or 'unattributed'})")
    for side in ("only_a", "only_b"):
        for quote in q[side][:3]:
            speaker = quote["speaker"] or "unattributed"
            lines.append(f"      {side[-1].upper()}: “{_clip(quote['text'], 80)}” ({speaker})")
    return lines


def _style_lines(s: dict[str, Any]) -> list[str]:
    readable = s.get("readable")
    if not readable:  # a result from before readable style facts
        return [f"    {k}: A {v}  B {s['b'][k]}" for k, v in s["a"].items()]
    width = max(len(item["name"]) for item in readable)
    lines = []
    for item in readable:
        unit = item["unit"]
        a, b = (f"{v}%" if unit == "%" else f"{v} {unit}".rstrip() for v in (item["a"], item["b"]))
        lines.append(f"    {item['name']:<{width}}  A {a:<14} B {b}")
    return lines


def _evidence_lines(dimension: str, ev: dict[str, Any]) -> list[str]:
    if dimension == "geography":
        return _side_lines("places", ev["geography"]["places"])
    if dimension == "entities":
        return _side_lines("people", ev["entities"]["people"]) + _side_lines(
            "organisations", ev["entities"]["organisations"]
        )
    if dimension == "time":
        return _time_lines(ev["time"])
    if dimension in ("overall", "narrative"):
        return _passage_lines(dimension, ev)
    if dimension == "tone":
        return _tone_lines(ev)
    if dimension == "style":
        return _style_lines(ev["style"])
    return []


def render_text(result: dict[str, Any]) -> str:
    """The report for ``Comparison.to_dict()``: a one-line verdict, notes on what could not
    be analysed, both articles, then the seven dimensions (Overall first) each with its
    score, the task's label and its evidence."""
    lines: list[str] = []
    if result.get("verdict"):
        lines += [result["verdict"], ""]
    for note in result.get("notes", []):
        lines.append(textwrap.fill(f"Note: {note}", _WIDTH, subsequent_indent="      "))
    if result.get("notes"):
        lines.append("")
    for tag, article in zip("AB", result["articles"], strict=True):
        lang = article["lang"] or "unknown"
        lines.append(f"{tag}: {article['source']}  [{lang}, {article['lang_confidence']:.2f}]")
        lines.append(f"   title: {article['title']}")
        lines.append(textwrap.indent(textwrap.fill(_clip(article["body"], 300), _WIDTH - 3), "   "))
        if article["removed_lines"]:
            removed = ", ".join(_clip(line, 50) for line in article["removed_lines"])
            lines.append(f"   page chrome removed: {removed}")
    lines.append("")
    lines.append(
        f"Similarity (SemEval-2022 Task 8 scale: 1 = very similar … 4 = very dissimilar), model {result['model']}"
    )
    for dimension in DIMENSIONS:
        score = result[dimension]["score"]
        lines.append(f"  {dimension.capitalize():<10} {score:.2f}  {label(score)}")
        lines.extend(_evidence_lines(dimension, result["evidence"]))
    return "\n".join(lines)
