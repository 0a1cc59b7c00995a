"""Hostile input and broken databases against the real ``storylens`` command (issue 7).

Generates every case itself in a temporary folder (no hand-pasted blobs): empty, binary,
PNG-as-text, 25 MB, FIFO, /dev/zero, 100k nested divs, malformed JSON / JSON Lines, deep
JSON, a symlink loop, two feeds with colliding ids, a stray invalid byte, UTF-16 without a
BOM, bad metadata, every broken-database case (read-only file / folder, a folder, a missing
folder, random bytes, SQLite header + garbage, truncated, a text file, locked by another
writer), a file name with a newline, a 19 MB article, a 5 MB single line, and ``compare``
without ``--db`` in a read-only folder. Each runs as its own subprocess; the table shows
exit code, wall time, the child's peak memory (``os.wait4`` rusage) and stderr's first line,
and whether the outcome is the promised one (0 = stored, 2 = one-line error, nothing else).

    python bench/hostile.py [--timeout 300] [--only NAME ...] [--out bench/results/hostile.json]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SPUTNIK = ROOT / "examples" / "sputnik-en-antonov-2021-03-20.txt"
ARABIC_DAILY = ROOT / "examples" / "arabic-daily-mt-en-antonov-2021-03-21.txt"
WORDS = SPUTNIK.read_text(encoding="utf-8").split()


def storylens_command() -> list[str]:
    script = Path(sys.executable).parent / "storylens"
    return [str(script)] if script.exists() else [sys.executable, "-c", "from storylens.cli import main; main()"]


@dataclass
class Case:
    name: str
    make: Callable[[Path], list[str]]  # builds the inputs in a folder, returns the command's arguments
    expect: int  # 0: articles stored; 2: the one-line error
    check: Callable[[Path], str] | None = None  # a note on the outcome (e.g. rows stored)
    env: dict[str, str] = field(default_factory=dict)
    cwd_read_only: bool = False
    program: list[str] | None = None  # instead of the storylens command


# -- generators ------------------------------------------------------------------------------------


def sentences(n: int, seed: int = 0) -> str:
    rng = random.Random(seed)
    return " ".join(" ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 20))) + "." for _ in range(n))


def big_article(size: int, single_line: bool, seed: int = 1) -> str:
    rng = random.Random(seed)
    parts, total = ["Storm hits the coast"], 20
    while total < size:
        paragraph = sentences(5, rng.randint(0, 10**6))
        parts.append(paragraph)
        total += len(paragraph) + 2
    return " ".join(parts[1:]) if single_line else "\n\n".join(parts)


def db_in(folder: Path) -> Path:
    return folder / "db" / "news.db"


def good_store(folder: Path, template: Path) -> Path:
    db = db_in(folder)
    db.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(template, db)
    return db


def rows(db: Path) -> str:
    if not db.exists():
        return "no database"
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as connection:
        count = connection.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
    connection.close()
    return f"{count} articles stored"


STAGES = (
    "import sys\nfrom storylens.ingest import read_file\n"
    "articles = read_file(sys.argv[1])\nprint(len(articles), len(articles[0].body), articles[0].lang)"
)


def stages_only(filename: str, size: int, single_line: bool) -> Callable[[Path], list[str]]:
    def make(folder: Path) -> list[str]:
        path = folder / filename
        path.write_text(big_article(size, single_line), encoding="utf-8")
        return [str(path)]

    return make


def build_cases(template: Path) -> list[Case]:
    def ingest(*paths: Path | str) -> list[str]:
        return ["ingest", *map(str, paths)]

    def file_case(name: str, filename: str, data: bytes | Callable[[], bytes], expect: int) -> Case:
        def make(folder: Path) -> list[str]:
            path = folder / filename
            path.write_bytes(data() if callable(data) else data)
            return [*ingest(path), "--db", str(good_store(folder, template))]

        return Case(name, make, expect, check=lambda folder: rows(db_in(folder)))

    def fifo(folder: Path) -> list[str]:
        path = folder / "pipe.txt"
        os.mkfifo(path)
        return [*ingest(path), "--db", str(good_store(folder, template))]

    def dev_zero(folder: Path) -> list[str]:
        return [*ingest("/dev/zero"), "--db", str(good_store(folder, template))]

    def symlink_loop(folder: Path) -> list[str]:
        (folder / "a.txt").symlink_to(folder / "b.txt")
        (folder / "b.txt").symlink_to(folder / "a.txt")
        return [*ingest(folder / "a.txt"), "--db", str(good_store(folder, template))]

    def feed(records: list[tuple[str, str]]) -> bytes:
        lines = [json.dumps({"id": i, "title": t, "text": x}) for i, (t, x) in enumerate(records, start=1)]
        return ("\n".join(lines) + "\n").encode()

    def colliding_ids(folder: Path) -> list[str]:
        a, b = folder / "feed-a.jsonl", folder / "feed-b.jsonl"
        a.write_bytes(feed([(f"Story A{i}", sentences(4, i)) for i in range(3)]))
        b.write_bytes(feed([(f"Story B{i}", sentences(4, 100 + i)) for i in range(3)]))
        db = good_store(folder, template)  # holds 1 article; both feeds number 1..3
        return [*ingest(a, b), "--db", str(db)]

    def stray_byte() -> bytes:
        paragraph = "Las inundaciones en la Comunitat Valenciana — según el Gobierno. "
        text = "España: la DANA en Valencia\n\n" + paragraph * 20
        data = text.encode()
        return data[:200] + b"\xff" + data[200:]

    def broken_store(kind: str) -> Callable[[Path], list[str]]:
        def make(folder: Path) -> list[str]:
            db = db_in(folder)
            db.parent.mkdir(parents=True)
            if kind == "read-only-file":
                good_store(folder, template).chmod(0o444)
            elif kind == "read-only-folder":
                good_store(folder, template)
                db.parent.chmod(0o555)
            elif kind == "folder":
                db.mkdir()
            elif kind == "missing-folder":
                db = folder / "missing" / "news.db"
            elif kind == "random-bytes":
                db.write_bytes(random.Random(0).randbytes(100_000))
            elif kind == "sqlite-header-garbage":
                db.write_bytes(template.read_bytes()[:100] + random.Random(1).randbytes(100_000))
            elif kind == "truncated":
                data = template.read_bytes()
                db.write_bytes(data[: len(data) // 2])
            elif kind == "text-file":
                db.write_text("not a database\n")
            return [*ingest(SPUTNIK), "--db", str(db)]

        return make

    def locked(folder: Path) -> list[str]:
        db = good_store(folder, template)
        holder = subprocess.Popen(
            [
                sys.executable,
                "-c",
                "import sqlite3, sys, time\n"
                f"c = sqlite3.connect({str(db)!r}, isolation_level=None)\n"
                "c.execute('BEGIN EXCLUSIVE'); print('locked', flush=True); time.sleep(9)",
            ],
            stdout=subprocess.PIPE,
            text=True,
        )
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        return [*ingest(ARABIC_DAILY), "--db", str(db)]

    def newline_name(folder: Path) -> list[str]:
        path = folder / "bad\nname.txt"
        path.write_bytes(b"")
        return [*ingest(path), "--db", str(good_store(folder, template))]

    def compare_read_only_cwd(folder: Path) -> list[str]:
        return ["compare", str(SPUTNIK), str(ARABIC_DAILY)]

    def bad_metadata() -> bytes:
        return json.dumps(
            {"id": {"a": 1}, "title": "Storm hits the coast", "text": sentences(6), "lang": 5, "date": "2024-13-45"}
        ).encode()

    png = b"\x89PNG\r\n\x1a\n" + random.Random(2).randbytes(4_000)
    utf16_text = "Посол России вернулся в Москву\n\n" + "Посол России в США Анатолий Антонов вылетел в Москву. " * 20
    cases = [
        file_case("empty", "empty.txt", b"", 2),
        file_case("binary", "random.bin.txt", random.Random(3).randbytes(50_000), 2),
        file_case("png-as-text", "photo.txt", png, 2),
        file_case("25MB", "huge.txt", lambda: big_article(25_000_000, False).encode(), 2),
        Case("fifo", fifo, 2),
        Case("dev-zero", dev_zero, 2),
        file_case("100k-nested-divs", "divs.html", ("<div>" * 100_000 + "text" + "</div>" * 100_000).encode(), 2),
        file_case("malformed-json", "broken.json", b'{"title": "x", "text": ', 2),
        file_case("malformed-jsonl", "broken.jsonl", b'{"title": "a", "text": "b"}\n{"title": \n', 2),
        file_case("deep-json", "deep.json", b"[" * 100_000 + b"]" * 100_000, 2),
        Case("symlink-loop", symlink_loop, 2),
        Case("colliding-ids", colliding_ids, 0, check=lambda folder: rows(db_in(folder)) + " (expect 7)"),
        file_case("stray-invalid-byte", "valencia.txt", stray_byte, 0),
        file_case("utf16-le-no-bom", "ru16.txt", utf16_text.encode("utf-16-le"), 0),
        file_case("utf16-be-no-bom", "ru16be.txt", utf16_text.encode("utf-16-be"), 0),
        file_case("bad-metadata", "meta.json", bad_metadata, 0),
        *[
            Case(f"store-{kind}", broken_store(kind), 2)
            for kind in (
                "read-only-file",
                "read-only-folder",
                "folder",
                "missing-folder",
                "random-bytes",
                "sqlite-header-garbage",
                "truncated",
                "text-file",
            )
        ],
        Case("store-locked-9s", locked, 2),
        Case("newline-in-name", newline_name, 2),
        Case("compare-no-db-read-only-cwd", compare_read_only_cwd, 0, cwd_read_only=True),
        file_case("19MB-article", "big.txt", lambda: big_article(19_000_000, False).encode(), 0),
        file_case("5MB-single-line", "line.txt", lambda: big_article(5_000_000, True).encode(), 0),
        # The same two through the ingest stages only (decode, extract, clean, language ID),
        # without the analyse stage, which has its own bound.
        *[
            Case(f"{name}-stages", stages_only(filename, size, single), 0, program=[sys.executable, "-c", STAGES])
            for name, filename, size, single in (
                ("19MB-article", "big.txt", 19_000_000, False),
                ("5MB-single-line", "line.txt", 5_000_000, True),
            )
        ],
    ]
    return cases


# -- running ---------------------------------------------------------------------------------------


def high_water_kb(pid: int) -> int:
    """The peak resident memory of a running process (Linux ``VmHWM``), 0 when unknown.

    Read while the child runs: ``wait4``'s ``ru_maxrss`` would count the memory of this
    script as well, which the forked child inherits until it execs."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def run_case(case: Case, folder: Path, timeout: float) -> dict:
    args = case.make(folder)
    cwd = folder / "cwd"
    cwd.mkdir()
    env = {**os.environ, "STORYLENS_CACHE_DIR": str(folder / "cache"), **case.env}
    if case.cwd_read_only:
        cwd.chmod(0o555)
    out, err = folder / "stdout", folder / "stderr"
    start = time.perf_counter()
    with out.open("wb") as stdout, err.open("wb") as stderr:
        program = case.program or storylens_command()
        process = subprocess.Popen([*program, *args], cwd=cwd, env=env, stdout=stdout, stderr=stderr)
        deadline = start + timeout
        status = usage = None
        peak_kb = 0
        while time.perf_counter() < deadline:
            peak_kb = max(peak_kb, high_water_kb(process.pid))
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            time.sleep(0.05)
        else:
            process.kill()
            _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    timed_out = seconds >= timeout
    process.returncode = os.waitstatus_to_exitcode(status)
    stderr_lines = err.read_bytes().decode("utf-8", "replace").splitlines()
    errors = [line for line in stderr_lines if line.startswith("storylens: error: ")]
    code = process.returncode
    promised = (
        not timed_out
        and code == case.expect
        and "Traceback" not in "\n".join(stderr_lines)
        and (code != 2 or len(errors) == 1)
    )
    cwd.chmod(0o755)
    return {
        "case": case.name,
        "exit": "timeout" if timed_out else code,
        "expect": case.expect,
        "ok": promised,
        "seconds": round(seconds, 2),
        "peak_mb": round((peak_kb or (usage.ru_maxrss if usage else 0)) / 1024, 1),
        "stderr_lines": len(stderr_lines),
        "stderr_first": stderr_lines[0] if stderr_lines else "",
        "note": (case.check(folder) if case.check else "")
        + (f"; cwd files: {len(list(cwd.iterdir()))}" if case.cwd_read_only else ""),
    }


def make_template(folder: Path) -> Path:
    db = folder / "template.db"
    subprocess.run([*storylens_command(), "ingest", str(SPUTNIK), "--db", str(db)], check=True, capture_output=True)
    return db


def print_header() -> None:
    print(f"{'case':<32} {'exit':>7} {'ok':>3} {'s':>7} {'MB':>7}  stderr (first line) / note")


def print_row(row: dict, tmp: str) -> None:
    first = row["stderr_first"].replace(f"{tmp}/{row['case']}/", "").replace(tmp, "$TMP")
    first = first if len(first) <= 100 else first[:97] + "..."
    note = f"  [{row['note']}]" if row["note"] else ""
    ok = "yes" if row["ok"] else "NO"
    print(f"{row['case']:<32} {row['exit']!s:>7} {ok:>3} {row['seconds']:>7.2f} {row['peak_mb']!s:>7}  {first}{note}")
    sys.stdout.flush()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--timeout", type=float, default=300.0, help="seconds per case before it counts as hung")
    parser.add_argument("--only", nargs="*", help="run only these cases")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "hostile.json")
    options = parser.parse_args()
    results = []
    with tempfile.TemporaryDirectory(prefix="storylens-hostile-") as tmp:
        template = make_template(Path(tmp))
        print_header()
        for case in build_cases(template):
            if options.only and case.name not in options.only:
                continue
            folder = Path(tmp) / case.name
            folder.mkdir()
            results.append(run_case(case, folder, options.timeout))
            print_row(results[-1], tmp)
            for path in folder.rglob("*"):  # give read-only test folders back before cleaning up
                if path.is_dir() and not path.is_symlink():
                    path.chmod(0o755)
    options.out.parent.mkdir(parents=True, exist_ok=True)
    payload = {"python": platform.python_version(), "machine": platform.machine(), "cases": results}
    options.out.write_text(json.dumps(payload, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"\n{sum(r['ok'] for r in results)}/{len(results)} cases as promised; wrote {options.out}")


if __name__ == "__main__":
    main()
