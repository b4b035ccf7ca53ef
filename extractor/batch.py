"""Many reports to one output file: jsonl (one contract JSON per report), csv or parquet (flat rows).

Each report is written as soon as it is extracted (jsonl and csv are appended and flushed; parquet
rows go to a journal that becomes the parquet file at the end), so a later failure or an
interruption never loses what is already written, and a rerun with the same output skips the
sources it already holds. A file that cannot be read goes to the errors file (`OUT.errors.jsonl`:
source and reason) and the batch goes on.

Flat schema (csv, parquet), one row per report × metric and one per mention:
source, agency, year, template, kind ("metric" | "mention"), key (metric key, or the metric a
mention feeds), label (mentions), value, unit, origin ("table" | "prose"), approx, score, start,
end, text (the evidence characters).
"""
from __future__ import annotations

import csv
import json
import os
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Iterator

from extractor.errors import InputError
from extractor.numbers import format_number
from extractor.report import Check, Report

FLAT_FIELDS = ("source", "agency", "year", "template", "kind", "key", "label", "value", "unit", "origin", "approx",
               "score", "start", "end", "text")
REPORT_SUFFIXES = {".txt", ".md", ".html", ".htm", ".docx", ".pdf"}


def expand_inputs(inputs: Iterable[Path]) -> list[Path]:
    """Files as given; folders walked for report files (by suffix), sorted."""
    files: list[Path] = []
    for item in inputs:
        if item.is_dir():
            files += sorted(p for p in item.rglob("*") if p.is_file() and p.suffix.lower() in REPORT_SUFFIXES)
        else:
            files.append(item)
    return files


def flat_rows(report: Report) -> Iterator[dict[str, object]]:
    base = {"source": report.source, "agency": report.agency, "year": report.year, "template": report.template}
    for key, m in report.metrics.items():
        yield {**base, "kind": "metric", "key": key, "label": None, "value": float(m.value), "unit": m.unit,
               "origin": m.source, "approx": None, "score": None, "start": m.evidence.start, "end": m.evidence.end,
               "text": m.evidence.text}
    for m in report.mentions:
        yield {**base, "kind": "mention", "key": m.metric, "label": m.label, "value": float(m.value), "unit": m.unit,
               "origin": "prose", "approx": m.approx, "score": m.score, "start": m.start, "end": m.end, "text": m.text}


class Sink:
    """Appends reports to the output as they come; `done` holds the sources already there."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.kind = {".jsonl": "jsonl", ".csv": "csv", ".parquet": "parquet"}.get(path.suffix.lower())
        if self.kind is None:
            raise ValueError(f"{path}: output must end in .jsonl, .csv or .parquet")
        self.journal = path.with_name(path.name + ".journal.jsonl") if self.kind == "parquet" else path
        if self.kind == "parquet" and path.exists() and not self.journal.exists():
            self._journal_from_parquet()
        self.done: set[str] = self._sources_written()
        self._file = None

    def _journal_from_parquet(self) -> None:
        """A finished parquet file is extended by a rerun: its rows go back into a journal first."""
        import pyarrow.parquet as pq

        by_source: dict[str, list] = defaultdict(list)
        for row in pq.read_table(self.path).to_pylist():
            by_source[row["source"]].append(row)
        with self.journal.open("w", encoding="utf-8") as f:
            for source, rows in by_source.items():
                f.write(json.dumps({"source": source, "rows": rows}, ensure_ascii=False) + "\n")

    def _sources_written(self) -> set[str]:
        done: set[str] = set()
        target = self.journal
        if not target.exists():
            return done
        if self.kind == "csv":
            with target.open(encoding="utf-8", newline="") as f:
                done = {row["source"] for row in csv.DictReader(f) if row.get("source")}
        else:
            for line in target.read_text(encoding="utf-8").splitlines():
                try:
                    data = json.loads(line)
                except json.JSONDecodeError:  # a line cut by a kill: ignored, its report is redone
                    continue
                done.add(data["source"])
        return done

    def open(self) -> "Sink":
        self.journal.parent.mkdir(parents=True, exist_ok=True)
        new = not self.journal.exists() or self.journal.stat().st_size == 0
        self._file = self.journal.open("a", encoding="utf-8", newline="")
        if self.kind == "jsonl" or self.kind == "parquet":
            self._truncate_partial_line()
        if self.kind == "csv":
            self._csv = csv.DictWriter(self._file, fieldnames=FLAT_FIELDS)
            if new:
                self._csv.writeheader()
        return self

    def _truncate_partial_line(self) -> None:
        size = self.journal.stat().st_size
        if size == 0:
            return
        with self.journal.open("rb") as f:
            data = f.read()
        if not data.endswith(b"\n"):
            cut = data.rfind(b"\n") + 1
            self._file.close()
            with self.journal.open("r+b") as f:
                f.truncate(cut)
            self._file = self.journal.open("a", encoding="utf-8", newline="")

    def write(self, report: Report) -> None:
        if self.kind == "csv":
            self._csv.writerows(flat_rows(report))
        elif self.kind == "jsonl":
            self._file.write(json.dumps(report.to_dict(), ensure_ascii=False) + "\n")
        else:
            self._file.write(json.dumps({"source": report.source, "rows": list(flat_rows(report))}, ensure_ascii=False) + "\n")
        self._file.flush()
        os.fsync(self._file.fileno())

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None
        if self.kind == "parquet" and self.journal.exists():
            import pyarrow as pa
            import pyarrow.parquet as pq

            rows = [r for line in self.journal.read_text(encoding="utf-8").splitlines() if line.strip()
                    for r in json.loads(line)["rows"]]
            schema = pa.schema([("source", pa.string()), ("agency", pa.string()), ("year", pa.int64()),
                                ("template", pa.string()), ("kind", pa.string()), ("key", pa.string()),
                                ("label", pa.string()), ("value", pa.float64()), ("unit", pa.string()),
                                ("origin", pa.string()), ("approx", pa.string()), ("score", pa.float64()),
                                ("start", pa.int64()), ("end", pa.int64()), ("text", pa.string())])
            tmp = self.path.with_name(self.path.name + ".tmp")
            pq.write_table(pa.Table.from_pylist(rows, schema=schema), tmp)
            os.replace(tmp, self.path)  # the parquet file is whole or absent, never half written
            self.journal.unlink()


@dataclass
class BatchResult:
    written: int
    skipped: int
    errors: int
    cross_year: list[Check]


def run_batch(files: list[Path], output: Path, extract_one: Callable[[Path], Report],
              progress: Callable[[Path], None] | None = None) -> BatchResult:
    sink = Sink(output).open()
    errors_path = output.with_name(output.name + ".errors.jsonl")
    written = skipped = errors = 0
    summaries: list[dict] = []
    try:
        with errors_path.open("a", encoding="utf-8") as errors_file:
            for file in files:
                if progress:
                    progress(file)
                if str(file) in sink.done:
                    skipped += 1
                    continue
                try:
                    report = extract_one(file)
                except InputError as exc:
                    errors += 1
                    errors_file.write(json.dumps({"source": exc.source, "reason": exc.problem}, ensure_ascii=False) + "\n")
                    errors_file.flush()
                    continue
                sink.write(report)
                written += 1
                summaries.append(summary(report))
    finally:
        sink.close()
    return BatchResult(written, skipped, errors, cross_year_checks(summaries))


def summary(report: Report) -> dict:
    keys = ("applications.carried_forward.total", "applications.carried_over.total")
    return {"source": report.source, "agency": report.agency, "year": report.year,
            **{k: report.metrics[k].value for k in keys if k in report.metrics}}


def cross_year_checks(reports: Iterable[dict | Report]) -> list[Check]:
    """Year N's 结转下年度继续办理 must equal year N+1's 上年结转, for each agency with consecutive years."""
    by_agency: dict[str, dict[int, dict]] = defaultdict(dict)
    for r in reports:
        s = summary(r) if isinstance(r, Report) else r
        if s["agency"] and s["year"]:
            by_agency[s["agency"]][s["year"]] = s
    checks = []
    for agency, years in sorted(by_agency.items()):
        for year in sorted(years):
            nxt = years.get(year + 1)
            this = years[year]
            if nxt is None or "applications.carried_forward.total" not in this or "applications.carried_over.total" not in nxt:
                continue
            a, b = this["applications.carried_forward.total"], nxt["applications.carried_over.total"]
            ok = abs(a - b) < 1e-9
            checks.append(Check("cross_year.carry_over", "pass" if ok else "fail",
                                f"{agency}: {year}年结转下年{format_number(a)} {'=' if ok else '≠'} {year + 1}年上年结转{format_number(b)} "
                                f"({this['source']} / {nxt['source']})"))
    return checks
