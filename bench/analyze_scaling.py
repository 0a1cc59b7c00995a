"""How the analyse stage scales with the size of one article (issue 7, section 4).

Articles of 0.1, 1, 2, 5 and 19 MB are made of the shipped English example articles, each
copy's paragraphs numbered so that no paragraph repeats (repeats are dropped before the
bound, which would flatter the curve); each size is analysed twice, as paragraphs and as
one single line. Every run is a fresh process, so the peak memory (ru_maxrss) is that
run's alone and the gazetteer load is part of every time, as in a cold ``storylens`` call.

Prints a table and writes ``bench/results/analyze_scaling.json``.

    python bench/analyze_scaling.py [--sizes 0.1 1 2 5 19] [--out bench/results/analyze_scaling.json]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
ENGLISH = [
    EXAMPLES / "sputnik-en-antonov-2021-03-20.txt",
    EXAMPLES / "arabic-daily-mt-en-antonov-2021-03-21.txt",
    *sorted((EXAMPLES / "multilingual").glob("*-en-*.txt")),
]

_CHILD = """
import json, resource, sys, time
from datetime import date
sys.path.insert(0, {bench!r})
from analyze_scaling import huge_text
from storylens.analyze import analyze
from storylens.article import Article

body = huge_text({size}, {one_line})
start = time.perf_counter()
analysis = analyze(Article("Russia recalls its ambassador", body, lang="en", published=date(2021, 3, 20)))
seconds = time.perf_counter() - start
print(json.dumps({{
    "seconds": round(seconds, 2),
    "peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    "entities": len(analysis.entities), "people": len(analysis.of_kind("person")),
    "dates": len(analysis.dates), "quotes": len(analysis.quotes), "numbers": len(analysis.numbers),
    "notes": analysis.notes,
}}))
"""


def huge_text(size: int, one_line: bool = False) -> str:
    """``size`` characters of the English examples, no paragraph repeated."""
    texts = [path.read_text(encoding="utf-8") for path in ENGLISH]
    parts, length, copy = [], 0, 0
    while length < size:
        paragraphs = texts[copy % len(texts)].split("\n\n")
        part = "\n\n".join(f"{p.strip()} ({copy}.{k})" for k, p in enumerate(paragraphs) if p.strip())
        parts.append(part)
        length += len(part) + 2
        copy += 1
    text = "\n\n".join(parts)
    return (" ".join(text.split()) if one_line else text)[:size]


def run(size: int, one_line: bool) -> dict:
    code = _CHILD.format(bench=str(ROOT / "bench"), size=size, one_line=one_line)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=1800)
    return {"mb": size / 1e6, "layout": "one line" if one_line else "paragraphs", **json.loads(done.stdout)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=float, nargs="+", default=[0.1, 1, 2, 5, 19])
    parser.add_argument("--out", type=Path, default=ROOT / "bench/results/analyze_scaling.json")
    args = parser.parse_args()
    rows = []
    print(f"{'MB':>6} {'layout':<10} {'seconds':>8} {'peak MB':>8} {'people':>7} {'dates':>6} {'quotes':>6} "
          f"{'numbers':>7}  notes")  # fmt: skip
    for size in args.sizes:
        for one_line in (False, True):
            row = run(int(size * 1e6), one_line)
            rows.append(row)
            print(f"{row['mb']:>6g} {row['layout']:<10} {row['seconds']:>8.2f} {row['peak_mb']:>8.1f} "
                  f"{row['people']:>7} {row['dates']:>6} {row['quotes']:>6} {row['numbers']:>7}  "
                  f"{'; '.join(row['notes']) or '—'}", flush=True)  # fmt: skip
    args.out.parent.mkdir(parents=True, exist_ok=True)
    machine = {"python": platform.python_version(), "cpus": os.cpu_count(), "platform": platform.platform()}
    args.out.write_text(json.dumps({"machine": machine, "runs": rows}, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
