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
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _side_lines(title: str, block: dict[str, Any]) -> list[str]:
    return [
        f"    {title} shared: {_names(block['shared'])}",
        f"    {title} only A: {_names(block['only_a'])}",
        f"    {title} only B: {_names(block['only_b'])}",
    ]


def _evidence_lines(dimension: str, ev: dict[str, Any]) -> list[str]:
    if dimension == "geography":
        return _side_lines("places", ev["geography"]["places"])
    if dimension == "entities":
        return _side_lines("people", ev["entities"]["people"]) + _side_lines(
            "organisations", ev["entities"]["organisations"]
        )
    if dimension == "time":
        t = ev["time"]
        closest = "unknown" if t["closest_days"] is None else f"{t['closest_days']} days"
        return [
            f"    dates shared: {_names(t['shared'])}; closest dates apart: {closest}",
            f"    dates only A: {_names(t['only_a'])}",
            f"    dates only B: {_names(t['only_b'])}",
            f"    published: A {t['published'][0] or '?'}, B {t['published'][1] or '?'}",
        ]
    if dimension in ("overall", "narrative"):
        p = ev["passages"]
        lines = [f"    best-matching passages ({len(p['best_matches'])}):"]
        for match in p["best_matches"][:3] if dimension == "overall" else []:
            lines.append(f"      {match['cosine']:.3f}  A: {_clip(match['a'], 90)}")
            lines.append(f"             B: {_clip(match['b'], 90)}")
        if dimension == "narrative":
            lines = [f"    reported only by A ({len(p['only_a'])} passages):"]
            lines += [f"      - {_clip(text)}" for text in p["only_a"]]
            lines += [f"    reported only by B ({len(p['only_b'])} passages):"]
            lines += [f"      - {_clip(text)}" for text in p["only_b"]]
            lines += _side_lines("numbers", ev["numbers"])
        return lines
    if dimension == "tone":
        q = ev["quotes"]
        lines = [f"    quotes shared: {len(q['shared'])}, only A: {len(q['only_a'])}, only B: {len(q['only_b'])}"]
        for quote in q["shared"][:3]:
            lines.append(f"      “{_clip(quote['a'], 80)}” ({quote['speaker'] or 'unattributed'})")
        for side in ("only_a", "only_b"):
            for quote in q[side][:3]:
                lines.append(f"      {side[-1].upper()}: “{_clip(quote['text'], 80)}” ({quote['speaker'] or '?'})")
        return lines
    if dimension == "style":
        s = ev["style"]
        keys = ("log_chars", "mean_sentence_words", "quote_char_ratio", "digit_ratio")
        return [f"    {k}: A {s['a'][k]}  B {s['b'][k]}" for k in keys]
    return []


def render_text(result: dict[str, Any]) -> str:
    """The report for ``Comparison.to_dict()``: both articles, then the seven dimensions
    (Overall first) each with its score, the task's label and its evidence."""
    lines: list[str] = []
    for tag, article in zip("AB", result["articles"], strict=True):
        lang = article["lang"] or "unknown"
        lines.append(f"{tag}: {article['source']}  [{lang}, {article['lang_confidence']:.2f}]")
        lines.append(f"   title: {article['title']}")
        lines.append(textwrap.indent(textwrap.fill(_clip(article["body"], 300), _WIDTH - 3), "   "))
        if article["removed_lines"]:
            lines.append(f"   page chrome removed: {_names(article['removed_lines'])}")
    lines.append("")
    lines.append(
        f"Similarity (SemEval-2022 Task 8 scale: 1 = very similar … 4 = very dissimilar), model {result['model']}"
    )
    for dimension in DIMENSIONS:
        score = result[dimension]["score"]
        lines.append(f"  {dimension.capitalize():<10} {score:.2f}  {label(score)}")
        lines.extend(_evidence_lines(dimension, result["evidence"]))
    return "\n".join(lines)
