"""Stage 5, merge: one `metrics` map from the table values and the prose mentions.

Table values win for table keys. Each mention fills its `prose.*` metric (the first mention of a
label in the report: the overall figure when the text gives one and then its parts). Where the
tables also give the metric a label feeds (contract §3), the `prose.*` figure is compared with it:
agreement is a pass check, disagreement a fail check and a conflict with both pieces of evidence.
Honest differences are not conflicts: approximate prose ("5000 余条" against 5123), money in 元
against 万元 (both are 万元 by then), LITIGATION against direct + after-review suits, and figures
whose own clause names another year than the report's.
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

from extractor.contract import LABEL_TABLE_METRICS, prose_metric
from extractor.numbers import format_number
from extractor.report import Check, Conflict, Evidence, Mention, Metric, Report
from extractor.tables.catalogue import LEGACY_MONEY, MONEY_COLUMNS

if TYPE_CHECKING:
    from extractor.pipeline import Doc

MONEY_KEYS = MONEY_COLUMNS | LEGACY_MONEY
_CLAUSE_START = re.compile(r"[。；;！？!?\n]")
_YEAR = re.compile(r"((?:19|20)\d{2})\s*年(?!\s*\d{1,2}\s*月)")


def default_unit(key: str) -> str:
    """The unit a table column is counted in when its cells do not write one (the header's)."""
    if key in MONEY_KEYS:
        return "万元"
    if key.startswith("legacy."):
        return ""
    return "件"


def table_metrics(doc: "Doc") -> dict[str, Metric]:
    metrics: dict[str, Metric] = {}
    for v in doc.tables.values:
        metrics[v.key] = Metric(v.value, v.unit or default_unit(v.key), "table",
                                Evidence(v.cell.start, v.cell.end, v.cell.text))
    return metrics


def clause_year(text: str, start: int) -> int | None:
    """The year named in the mention's own clause before it ("2019年结转1件" -> 2019), if any."""
    clause_start = max((m.end() for m in _CLAUSE_START.finditer(text, max(0, start - 120), start)), default=max(0, start - 120))
    years = _YEAR.findall(text, clause_start, start)
    return int(years[-1]) if years else None


def consistent(prose: float, approx: str | None, table: float) -> bool:
    if approx is None:
        return abs(prose - table) <= 1e-6 * max(1.0, abs(table))
    if approx == "more_than":  # "5000 余条": at least the figure, below the next step of its precision
        step = 10 ** max(0, len(str(int(prose))) - 1) if prose >= 10 else 10
        return prose <= table < prose + step
    if approx == "at_least":
        return table >= prose
    return abs(table - prose) <= 0.1 * max(abs(prose), 1.0)  # about: within 10%


def merge(doc: "Doc") -> Report:
    metrics = table_metrics(doc)
    report = Report(source=doc.loaded.source, agency=doc.agency, year=doc.year, template=doc.template,
                    metrics=metrics, text=doc.text,
                    unparsed=[{"table": u.table, "label": u.label, "text": u.text, "start": u.start, "end": u.end,
                               "reason": u.reason} for u in doc.tables.unplaced],
                    notes=list(doc.tables.notes))
    mentions: list[Mention] = []
    firsts: dict[str, Mention] = {}
    for m in sorted(doc.tagged, key=lambda m: m.start):
        year = clause_year(doc.text, m.start)
        other_year = year is not None and doc.year is not None and year != doc.year and m.label != "APP_CARRIED_OVER"
        table_keys = LABEL_TABLE_METRICS.get(m.label, {}).get(doc.template, ())
        metric = (table_keys[0] if len(table_keys) == 1 else prose_metric(m.label)) if not other_year else None
        mentions.append(Mention(m.label, m.text, m.start, m.end, m.value, m.unit, m.approx, m.score, metric))
        if not other_year and m.label not in firsts:
            firsts[m.label] = m
            metrics[prose_metric(m.label)] = Metric(m.value, m.unit, "prose", Evidence(m.start, m.end, m.text))
    report.mentions = mentions
    for label, m in firsts.items():
        compare(report, label, m, LABEL_TABLE_METRICS.get(label, {}).get(doc.template, ()))
    return report


def compare(report: Report, label: str, m: Mention, table_keys: tuple[str, ...]) -> None:
    if not table_keys or not all(k in report.metrics for k in table_keys):
        return
    table_value = sum(report.metrics[k].value for k in table_keys)
    what = " + ".join(table_keys)
    rule = f"prose_vs_table.{prose_metric(label)}"
    shown = f"{m.text!r} → {format_number(m.value)}"
    table_shown = format_number(table_value)
    if consistent(float(m.value), m.approx, float(table_value)):
        report.checks.append(Check(rule, "pass", f"prose {shown} agrees with table {what} = {table_shown}"))
        return
    report.checks.append(Check(rule, "fail", f"prose {shown} but table {what} = {table_shown}"))
    evidence = [report.metrics[k].evidence for k in table_keys] + [Evidence(m.start, m.end, m.text)]
    report.conflicts.append(Conflict(what if len(table_keys) > 1 else table_keys[0], table_value, m.value, evidence))
