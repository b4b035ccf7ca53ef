"""Stage 5, merge: one `metrics` map from the table values and the prose mentions.

Table values win for table keys. Each mention fills its `prose.*` metric (the first mention of a
label in the report), and where the tables also give the metric the mention feeds (contract §3),
the two are compared: agreement becomes a pass check, disagreement a fail check and a conflict.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from extractor.contract import LABEL_TABLE_METRICS, prose_metric
from extractor.tables.catalogue import LEGACY_MONEY, MONEY_COLUMNS
from extractor.report import Check, Conflict, Evidence, Mention, Metric, Report

MONEY_KEYS = MONEY_COLUMNS | LEGACY_MONEY

if TYPE_CHECKING:
    from extractor.pipeline import Doc


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


def merge(doc: "Doc") -> Report:
    metrics = table_metrics(doc)
    report = Report(source=doc.loaded.source, agency=doc.agency, year=doc.year, template=doc.template,
                    metrics=metrics, text=doc.text,
                    unparsed=[{"table": u.table, "label": u.label, "text": u.text, "start": u.start, "end": u.end,
                               "reason": u.reason} for u in doc.tables.unplaced],
                    notes=list(doc.tables.notes))
    mentions: list[Mention] = []
    for m in doc.tagged:
        table_keys = LABEL_TABLE_METRICS.get(m.label, {}).get(doc.template, ())
        fed = table_keys[0] if len(table_keys) == 1 else None
        mention = Mention(m.label, m.text, m.start, m.end, m.value, m.unit, m.approx, m.score,
                          fed or prose_metric(m.label))
        mentions.append(mention)
        key = prose_metric(m.label)
        if key not in metrics:
            metrics[key] = Metric(m.value, m.unit, "prose", Evidence(m.start, m.end, m.text))
    report.mentions = mentions
    return report
