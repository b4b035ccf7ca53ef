"""`xxgk review FILE -o report.html`: one self-contained page to check a report by eye.

Failed checks and conflicts stand at the top in red; then every metric with a link to its
evidence; the parsed tables as tables, each cell linked to its place in the text; and the
normalized text with every mention highlighted in its label's colour and every table cell marked.
No script, font or style is fetched from anywhere: the page opens offline.
"""
from __future__ import annotations

import html
from collections import defaultdict

from extractor.contract import LABELS
from extractor.numbers import format_number
from extractor.report import Report
from extractor.tables.catalogue import TABLE3_COLUMNS, TABLE4_KEYS

COLOURS = ["#1f77b4", "#aec7e8", "#2ca02c", "#98df8a", "#17becf", "#9edae5", "#bcbd22", "#d62728", "#ff9896",
           "#ff7f0e", "#ffbb78", "#9467bd", "#c5b0d5", "#8c564b", "#c49c94", "#e377c2", "#f7b6d2", "#7f7f7f",
           "#c7c7c7", "#dbdb8d", "#6b6ecf", "#b5cf6b"]
LABEL_COLOUR = dict(zip(LABELS, COLOURS))

STYLE = """
body{font-family:system-ui,"Noto Sans CJK SC","WenQuanYi Micro Hei",sans-serif;margin:2em;max-width:1200px;color:#222}
h1{font-size:1.4em} h2{font-size:1.15em;border-bottom:1px solid #ccc;padding-bottom:.2em;margin-top:1.6em}
.problems{border:2px solid #c00;background:#fff0f0;padding:.6em 1em;color:#900}
.problems li{margin:.2em 0} .ok{color:#070}
table{border-collapse:collapse;font-size:.85em;margin:.5em 0} td,th{border:1px solid #bbb;padding:2px 6px;text-align:right}
th{background:#f2f2f2} td.k,th.k{text-align:left}
.text{white-space:pre-wrap;line-height:1.7;font-size:.95em;border:1px solid #ddd;padding:1em;background:#fcfcfc}
mark.mention{padding:0 2px;border-radius:3px;color:#000} mark.mention sup{font-size:.6em;margin-left:2px}
span.cell{outline:1px solid #999;background:#eef} span.cell.fail{outline:2px solid #c00;background:#fdd}
:target{box-shadow:0 0 0 3px #f90}
.legend span{display:inline-block;margin:2px 6px 2px 0;padding:0 4px;border-radius:3px;font-size:.8em}
"""


def _esc(text: object) -> str:
    return html.escape(str(text), quote=True)


def _num(value: object) -> str:
    return format_number(value) if isinstance(value, (int, float)) else str(value)


def render(report: Report) -> str:
    text = report.text
    conflict_offsets = {e.start for c in report.conflicts for e in c.evidence}
    parts = [f"<!DOCTYPE html><html lang='zh'><head><meta charset='utf-8'><title>{_esc(report.agency or report.source)}"
             f" — xxgk review</title><style>{STYLE}</style></head><body>",
             f"<h1>{_esc(report.agency or '(agency not found)')} · {_esc(report.year or '?')} · template "
             f"{_esc(report.template)}</h1><p>{_esc(report.source)}</p>"]
    failed = report.failed_checks
    if failed or report.conflicts:
        parts.append("<div class='problems' id='problems'><strong>Failed checks and conflicts</strong><ul>")
        for c in failed:
            parts.append(f"<li class='failed-check'>{_esc(c.rule)}: {_esc(c.detail)}</li>")
        for c in report.conflicts:
            links = " ".join(f"<a href='#t{e.start}'>{_esc(e.text)}</a>" for e in c.evidence)
            parts.append(f"<li class='conflict'>conflict on {_esc(c.metric)}: table {_esc(_num(c.table))}, prose "
                         f"{_esc(_num(c.prose))} — {links}</li>")
        parts.append("</ul></div>")
    else:
        parts.append(f"<p class='ok'>All {len(report.checks)} checks pass; no conflicts.</p>")
    parts.append(_tables(report))
    parts.append(_metrics_table(report))
    if report.unparsed:
        parts.append("<h2>Seen but not placed</h2><table><tr><th class='k'>table</th><th class='k'>label</th>"
                     "<th class='k'>text</th><th class='k'>reason</th></tr>")
        for u in report.unparsed:
            parts.append(f"<tr><td class='k'>{_esc(u['table'])}</td><td class='k'>{_esc(u['label'][:40])}</td>"
                         f"<td class='k'><a href='#t{u['start']}'>{_esc(u['text'][:80])}</a></td>"
                         f"<td class='k'>{_esc(u['reason'])}</td></tr>")
        parts.append("</table>")
    parts.append("<h2>Text</h2><div class='legend'>" + "".join(
        f"<span style='background:{LABEL_COLOUR[l]}'>{l}</span>" for l in LABELS) + "</div>")
    parts.append(f"<div class='text'>{_marked_text(report, conflict_offsets)}</div></body></html>")
    return "".join(parts)


def _metrics_table(report: Report) -> str:
    rows = [f"<h2>Metrics</h2><details><summary>{len(report.metrics)} metrics, each linked to its evidence</summary>"
            "<table id='metrics'><tr><th class='k'>key</th><th>value</th><th class='k'>unit</th>"
            "<th class='k'>source</th><th class='k'>evidence</th></tr>"]
    for key, m in report.metrics.items():
        rows.append(f"<tr><td class='k'>{_esc(key)}</td><td>{_esc(_num(m.value))}</td><td class='k'>{_esc(m.unit)}</td>"
                    f"<td class='k'>{_esc(m.source)}</td><td class='k'><a class='evidence' href='#t{m.evidence.start}'>"
                    f"{_esc(m.evidence.text)} @{m.evidence.start}</a></td></tr>")
    rows.append("</table></details>")
    return "".join(rows)


def _cell(report: Report, key: str) -> str:
    m = report.metrics.get(key)
    if m is None or m.source != "table":
        return "<td></td>"
    return f"<td><a href='#t{m.evidence.start}' title='{_esc(key)}'>{_esc(_num(m.value))}</a></td>"


def _tables(report: Report) -> str:
    keys = [k for k, m in report.metrics.items() if m.source == "table"]
    if not keys:
        return "<h2>Tables</h2><p>No table was read.</p>"
    out = ["<h2>Tables</h2>"]
    t3_rows = sorted({k[len("applications."):].rsplit(".", 1)[0] for k in keys if k.startswith("applications.")},
                     key=lambda r: min(i for i, k in enumerate(keys) if k.startswith(f"applications.{r}.")))
    if t3_rows:
        out.append("<table class='t3'><tr><th class='k'>申请情况</th>" + "".join(f"<th>{c}</th>" for c in TABLE3_COLUMNS) + "</tr>")
        for row in t3_rows:
            out.append(f"<tr><td class='k'>{_esc(row)}</td>" + "".join(_cell(report, f"applications.{row}.{c}")
                                                                         for c in TABLE3_COLUMNS) + "</tr>")
        out.append("</table>")
    if any(k in report.metrics for k in TABLE4_KEYS):
        out.append("<table class='t4'><tr>" + "".join(f"<th>{_esc(k)}</th>" for k in TABLE4_KEYS) + "</tr><tr>"
                   + "".join(_cell(report, k) for k in TABLE4_KEYS) + "</tr></table>")
    grouped: dict[str, list[str]] = defaultdict(list)
    for k in keys:
        if k.startswith(("active.", "legacy.")):
            grouped[k.rsplit(".", 1)[0]].append(k)
    if grouped:
        out.append("<table class='t2'><tr><th class='k'>row</th><th class='k'>cells</th></tr>")
        for stem, ks in grouped.items():
            cells = " ".join(f"{_esc(k.rsplit('.', 1)[-1])} <a href='#t{report.metrics[k].evidence.start}'>"
                             f"{_esc(_num(report.metrics[k].value))}</a>" for k in ks)
            out.append(f"<tr><td class='k'>{_esc(stem)}</td><td class='k'>{cells}</td></tr>")
        out.append("</table>")
    return "".join(out)


def _marked_text(report: Report, conflict_offsets: set[int]) -> str:
    text = report.text
    marks: list[tuple[int, int, str, str]] = []  # start, end, opening tag, closing tag
    for i, m in enumerate(report.mentions):
        colour = LABEL_COLOUR.get(m.label, "#ddd")
        cls = "mention conflict" if m.start in conflict_offsets else "mention"
        marks.append((m.start, m.end, f"<mark class='{cls}' id='t{m.start}' data-label='{m.label}' "
                                      f"style='background:{colour}' title='{_esc(m.label)} = {_esc(_num(m.value))}'>",
                      f"<sup>{m.label}</sup></mark>"))
    taken = {m.start for m in report.mentions}
    for key, metric in report.metrics.items():
        e = metric.evidence
        if metric.source != "table" or e.start in taken:
            continue
        taken.add(e.start)
        cls = "cell fail" if e.start in conflict_offsets else "cell"
        marks.append((e.start, e.end, f"<span class='{cls}' id='t{e.start}' title='{_esc(key)}'>", "</span>"))
    for u in report.unparsed:
        if u["start"] not in taken:
            taken.add(u["start"])
            marks.append((u["start"], u["start"], f"<span id='t{u['start']}'></span>", ""))
    marks.sort(key=lambda m: (m[0], -m[1]))
    out, pos = [], 0
    for start, end, open_tag, close_tag in marks:
        if start < pos:
            continue  # overlapping marks: the first wins
        out.append(_esc(text[pos:start]))
        out.append(open_tag + _esc(text[start:end]) + close_tag)
        pos = end
    out.append(_esc(text[pos:]))
    return "".join(out)
