"""The `xxgk` command: a thin shell over the library (extractor.extract and friends)."""
from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import Optional

import typer

from extractor.errors import InputError

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="xxgk: checked numbers from 政府信息公开工作年度报告.")


@app.callback()
def _root() -> None:
    """xxgk: checked numbers from 政府信息公开工作年度报告."""


class Format(str, Enum):
    json = "json"
    csv = "csv"
    table = "table"


def _fail(message: str) -> None:
    typer.echo(f"xxgk: {message}", err=True)


@app.command()
def extract(
    inputs: list[Path] = typer.Argument(..., help="Report files or folders: .txt/.md/.html/.docx/.pdf (format found from the bytes)."),
    format: Format = typer.Option(Format.json, "--format", "-f", help="json (the contract), csv (flat rows) or table."),
    output: Optional[Path] = typer.Option(None, "--output", "-o",
                                          help="Write here. OUT.jsonl / OUT.csv / OUT.parquet: a batch written report by report."),
    show_text: bool = typer.Option(False, "--show-text", help="Print the normalized text that offsets index."),
    model: Optional[Path] = typer.Option(None, "--model", help="Tagger model directory (default: the shipped model)."),
    no_model: bool = typer.Option(False, "--no-model", help="Tables only: do not run the prose tagger."),
) -> None:
    """Extract the figures of one or more reports (a batch when -o ends in .jsonl, .csv or .parquet)."""
    from extractor import output as out
    from extractor.batch import expand_inputs
    from extractor.pipeline import extract as extract_one

    tagger = None if no_model else _load_tagger(model)
    files = expand_inputs(inputs)
    if output is not None and output.suffix.lower() in (".jsonl", ".csv", ".parquet"):
        _batch(files, output, lambda f: extract_one(f, model=tagger))
        return
    reports, failed = [], 0
    for file in files:
        try:
            reports.append(extract_one(file, model=tagger))
        except InputError as exc:
            failed += 1
            _fail(str(exc))
    if show_text:
        for r in reports:
            typer.echo(r.text)
        raise typer.Exit(1 if failed else 0)
    if reports:
        if format is Format.table:
            from rich.console import Console

            console = Console(file=output.open("w", encoding="utf-8") if output else None)
            for r in reports:
                out.print_table(r, console)
        else:
            text = out.to_json(reports) if format is Format.json else out.to_csv(reports)
            if output:
                output.write_text(text + ("\n" if not text.endswith("\n") else ""), encoding="utf-8")
            else:
                sys.stdout.write(text + ("\n" if not text.endswith("\n") else ""))
    raise typer.Exit(1 if failed else 0)


def _batch(files: list[Path], output: Path, extract_one) -> None:  # noqa: ANN001
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    from extractor.batch import run_batch

    console = Console(stderr=True)
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                  console=console, transient=True) as progress:
        task = progress.add_task("extracting", total=len(files))
        result = run_batch(files, output, extract_one,
                           progress=lambda f: progress.update(task, advance=1, description=f.name[:40]))
    console.print(f"{result.written} reports written to {output}, {result.skipped} already there, "
                  f"{result.errors} errors" + (f" (see {output.name}.errors.jsonl)" if result.errors else ""))
    for check in result.cross_year:
        console.print(f"[{'green' if check.status == 'pass' else 'red'}]{check.rule} {check.status}[/]: {check.detail}")
    raise typer.Exit(1 if result.errors else 0)


def _load_tagger(model: Path | None) -> object | None:
    """The prose tagger, or None when no model is available (tables only)."""
    try:
        from extractor.tagger import load_tagger
    except ImportError:
        return None
    try:
        return load_tagger(model)
    except FileNotFoundError as exc:
        if model is not None:
            _fail(str(exc))
            raise typer.Exit(2)
        return None


def main() -> None:  # pragma: no cover
    app()


annotations_app = typer.Typer(no_args_is_help=True, help="The labeled data in annotations/.")
app.add_typer(annotations_app, name="annotations")


@annotations_app.command("stats")
def annotations_stats(
    corpus: Path = typer.Option(Path("../shared/corpus"), help="Corpus folder the stand-off annotations refer to."),
    annotations: Optional[Path] = typer.Option(None, help="Annotations folder (default: the project's annotations/)."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of tables."),
) -> None:
    """Counts per label and split, texts reviewed, agreement; fails on any invalid annotation."""
    import json

    from rich.console import Console
    from rich.table import Table

    from extractor.contract import LABELS
    from training.standoff import AnnotationError
    from training.data import ANNOTATIONS
    from training.stats import agreement, agreement_sets, compute_stats

    root = (annotations or ANNOTATIONS).resolve()
    try:
        stats = compute_stats(corpus.resolve(), root)
        agree = {name: agreement(root, corpus.resolve(), second_set=name) for name in agreement_sets(root)}
    except (AnnotationError, ValueError) as exc:
        _fail(f"invalid annotation: {exc}")
        raise typer.Exit(1)
    roles = [r for r in ("train", "dev", "benchmark") if stats.texts[r]]
    if as_json:
        typer.echo(json.dumps({"texts": dict(stats.texts), "reviewed": dict(stats.reviewed),
                               "labels": {r: dict(stats.labels.get(r, {})) for r in roles},
                               "agreement": agree, "problems": stats.problems}, ensure_ascii=False, indent=1))
    else:
        console = Console()
        table = Table(title="spans per label and split")
        table.add_column("label")
        for r in roles:
            table.add_column(r, justify="right")
        for label in LABELS:
            table.add_row(label, *(str(stats.labels.get(r, {}).get(label, 0)) for r in roles))
        table.add_row("[bold]spans[/bold]", *(str(sum(stats.labels.get(r, {}).values())) for r in roles))
        table.add_row("[bold]texts[/bold]", *(str(stats.texts[r]) for r in roles))
        table.add_row("[bold]reviewed[/bold]", *(str(stats.reviewed[r]) for r in roles))
        console.print(table)
        for name, a in agree.items():
            console.print(f"agreement of {name} with the first pass over {a['texts']} texts labeled twice: "
                          f"span F1 {a['span_f1']}, (label, value) F1 {a['label_value_f1']}")
        for p in stats.problems:
            console.print(f"[red]{p}[/red]")
    if stats.problems:
        _fail(f"{len(stats.problems)} annotation problems")
        raise typer.Exit(1)


@app.command()
def evaluate(
    model: Optional[Path] = typer.Option(None, "--model", help="Tagger model directory (default: the shipped model)."),
    data: Path = typer.Option(Path("annotations/benchmark"), "--data", help="Folder of annotation files to score on."),
    corpus: Path = typer.Option(Path("../shared/corpus"), help="Corpus folder the annotations refer to."),
    baseline: bool = typer.Option(False, "--baseline", help="Score the logistic-regression baseline (fit on the train split)."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of tables."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Also write the scores as JSON here."),
) -> None:
    """Per-label entity P/R/F1 (seqeval, strict) and (label, value) F1 of a tagger on annotated texts."""
    import json

    from training.data import load_folder
    from training.evaluate import print_scores, score, write_results
    from training.standoff import AnnotationError

    try:
        items = load_folder(data, corpus.resolve())
    except (AnnotationError, OSError) as exc:
        _fail(f"cannot read {data}: {exc}")
        raise typer.Exit(1)
    if baseline:
        from training.baseline import QuantityBaseline
        from training.data import load_annotated

        train = [i for i in load_annotated(corpus.resolve()) if i.role == "train"]
        name, predict = "baseline (logistic regression)", QuantityBaseline().fit(train).predict
    else:
        tagger = _load_tagger(model)
        if tagger is None:
            _fail("no tagger model: build it with `make train` or pass --model DIR")
            raise typer.Exit(2)
        name, predict = f"model {tagger.model}", tagger.predict
    result = score(items, predict)
    result["name"] = name
    if output:
        write_results(result, output)
    if as_json:
        typer.echo(json.dumps(result, ensure_ascii=False, indent=1))
    else:
        print_scores(name, result)


@app.command()
def review(
    file: Path = typer.Argument(..., help="One report file."),
    output: Path = typer.Option(Path("report.html"), "--output", "-o", help="The HTML page to write."),
    model: Optional[Path] = typer.Option(None, "--model", help="Tagger model directory (default: the shipped model)."),
    no_model: bool = typer.Option(False, "--no-model", help="Tables only: do not run the prose tagger."),
) -> None:
    """Write one self-contained HTML page to check a report by eye (opens offline)."""
    from extractor.pipeline import extract as extract_one
    from extractor.review import render

    tagger = None if no_model else _load_tagger(model)
    try:
        report = extract_one(file, model=tagger)
    except InputError as exc:
        _fail(str(exc))
        raise typer.Exit(1)
    output.write_text(render(report), encoding="utf-8")
    typer.echo(f"wrote {output}: {len(report.mentions)} mentions, {len(report.metrics)} metrics, "
               f"{len(report.failed_checks)} failed checks, {len(report.conflicts)} conflicts")


ls_app = typer.Typer(no_args_is_help=True, help="The Label Studio round trip (retraining with new annotations).")
app.add_typer(ls_app, name="ls")
URL_OPTION = typer.Option(None, "--url", help="Label Studio URL (default $LABEL_STUDIO_URL).")
TOKEN_OPTION = typer.Option(None, "--token", help="API token (default $LABEL_STUDIO_API_KEY); never written to a file.")


def _server_call(fn, *args):  # noqa: ANN001, ANN202
    """Run a Label Studio call; a missing URL/token or a server refusal is one line, not a traceback."""
    import httpx
    from label_studio_sdk.core.api_error import ApiError

    try:
        return fn(*args)
    except ValueError as exc:
        _fail(str(exc))
        raise typer.Exit(2)
    except ApiError as exc:
        _fail(f"Label Studio refused: HTTP {exc.status_code}: {exc.body}")
        raise typer.Exit(1)
    except (OSError, httpx.HTTPError) as exc:  # connection refused, DNS, timeouts …
        _fail(f"cannot reach Label Studio: {exc}")
        raise typer.Exit(1)


@ls_app.command("config")
def ls_config() -> None:
    """Print the labeling config XML for the contract's 22 labels (annotations/labeling_config.xml)."""
    from training.labelstudio import labeling_config

    typer.echo(labeling_config(), nl=False)


@ls_app.command("export")
def ls_export(
    reports: list[Path] = typer.Argument(..., help="Report files or folders."),
    output: Path = typer.Option(Path("tasks.json"), "--output", "-o", help="Label Studio tasks JSON to write."),
    select: Optional[tuple[str, int]] = typer.Option(None, "--select", help="`uncertain N`: only the N passages the model is least sure about."),
    model: Optional[Path] = typer.Option(None, "--model", help="Tagger for the pre-annotations (default: the shipped model)."),
    no_model: bool = typer.Option(False, "--no-model", help="Tasks without predictions."),
    corpus: Path = typer.Option(Path("../shared/corpus"), help="Corpus folder (tasks of corpus texts name their corpus path)."),
    max_chars: int = typer.Option(1500, help="Longest passage per task; longer narratives are split."),
) -> None:
    """Label Studio tasks for the narrative text of each report, with the model's mentions as predictions."""
    import json

    from extractor.batch import expand_inputs
    from training.labelstudio import export_passages, select_uncertain

    tagger = None if no_model else _load_tagger(model)
    if select is not None and (select[0] != "uncertain" or tagger is None):
        _fail("--select takes `uncertain N` and needs a model")
        raise typer.Exit(2)
    passages, failed = [], 0
    for file in expand_inputs(reports):
        try:
            passages += export_passages([file], tagger, corpus, max_chars)
        except InputError as exc:
            failed += 1
            _fail(str(exc))
    if select is not None:
        passages = select_uncertain(passages, select[1])
    output.write_text(json.dumps([p.task for p in passages], ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    typer.echo(f"wrote {len(passages)} tasks to {output}")
    raise typer.Exit(1 if failed else 0)


@ls_app.command("push")
def ls_push(
    tasks: Path = typer.Argument(..., help="Tasks JSON from `xxgk ls export`."),
    project: str = typer.Option("xxgk quantities", "--project", help="Project title: reused if it exists."),
    url: Optional[str] = URL_OPTION, token: Optional[str] = TOKEN_OPTION,
) -> None:
    """Create or reuse a project on a Label Studio server and import the tasks with their predictions."""
    import json

    from training.labelstudio import push

    project_id, n = _server_call(push, json.loads(tasks.read_text(encoding="utf-8")), project, url, token)
    typer.echo(f"imported {n} tasks into project {project_id} ({project!r})")


@ls_app.command("pull")
def ls_pull(
    project: str = typer.Option("xxgk quantities", "--project", help="Project title."),
    url: Optional[str] = URL_OPTION, token: Optional[str] = TOKEN_OPTION,
    folder: Optional[Path] = typer.Option(None, "--into", help="Folder for the pull file (default annotations/pulled)."),
) -> None:
    """Pull finished annotations into annotations/pulled/ (a new file per pull, stand-off for corpus texts)."""
    from training.labelstudio import PULLED, pull

    typer.echo(f"wrote {_server_call(pull, project, url, token, folder or PULLED)}")


@ls_app.command("import")
def ls_import(
    export: Path = typer.Argument(..., help="A Label Studio JSON export."),
    folder: Optional[Path] = typer.Option(None, "--into", help="Folder for the pull file (default annotations/pulled)."),
) -> None:
    """The same as pull, from a file exported in Label Studio's JSON format."""
    from training.labelstudio import PULLED, import_export

    typer.echo(f"wrote {import_export(export, folder or PULLED)}")
