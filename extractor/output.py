"""Output formats of `xxgk extract`: json (the contract), csv (one row per metric), table (rich)."""
from __future__ import annotations

import csv
import io
import json

from extractor.numbers import format_number
from extractor.report import Report

def to_json(reports: list[Report], include_text: bool = False) -> str:
    data = [r.to_dict(include_text) for r in reports]
    return json.dumps(data[0] if len(data) == 1 else data, ensure_ascii=False, indent=2)


def to_csv(reports: list[Report]) -> str:
    """The flat schema of extractor.batch: one row per report × metric and one per mention."""
    from extractor.batch import FLAT_FIELDS, flat_rows

    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=FLAT_FIELDS)
    writer.writeheader()
    for report in reports:
        writer.writerows(flat_rows(report))
    return buffer.getvalue()


def print_table(report: Report, console: "object | None" = None) -> None:
    from rich.console import Console
    from rich.table import Table

    console = console or Console()
    console.print(f"[bold]{report.agency or '(agency not found)'}[/bold]  {report.year or '?'}  "
                  f"template [cyan]{report.template}[/cyan]  [dim]{report.source}[/dim]")
    table = Table(title="metrics", show_lines=False)
    for col in ("key", "value", "unit", "source", "evidence"):
        table.add_column(col, overflow="fold")
    for key, m in report.metrics.items():
        table.add_row(key, format_number(m.value), m.unit, m.source,
                      f"{m.evidence.start}-{m.evidence.end} {m.evidence.text!r}")
    console.print(table)
    if report.mentions:
        mentions = Table(title="prose mentions")
        for col in ("label", "text", "value", "approx", "score", "metric", "at"):
            mentions.add_column(col, overflow="fold")
        for m in report.mentions:
            mentions.add_row(m.label, m.text, format_number(m.value), m.approx or "", f"{m.score:.2f}", m.metric or "",
                             f"{m.start}-{m.end}")
        console.print(mentions)
    checks = Table(title="checks")
    for col in ("rule", "status", "detail"):
        checks.add_column(col, overflow="fold")
    for c in sorted(report.checks, key=lambda c: c.status != "fail"):
        checks.add_row(c.rule, "[red]fail[/red]" if c.status == "fail" else "[green]pass[/green]", c.detail)
    console.print(checks)
    if report.unparsed:
        un = Table(title="unparsed (seen but not placed)")
        for col in ("table", "label", "text", "reason"):
            un.add_column(col, overflow="fold")
        for u in report.unparsed:
            un.add_row(u["table"], u["label"][:40], u["text"][:60], u["reason"])
        console.print(un)
