"""Rows of cells -> contract keys and values, for table 2, 3 and 4 of the 2019/2021 templates
and the legacy 统计表.

Rows are placed by their labels (catalogue.py), columns by the header above them (table 2) or by
the template's fixed order (tables 3, 4). A value goes into the output only when its place is
certain; every row or cell that cannot be placed becomes an `Unplaced` entry with the reason.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable, Sequence

from extractor.numbers import parse_cell
from extractor.tables import catalogue as cat
from extractor.tables.flat import Ambiguous, all_splits, block_sums, row_sum, split_run
from extractor.tables.grid import Cell, Row, rows_of

_SQUEEZE = re.compile(r"[\s.、,，:：;；()（）\[\]【】“”\"'‘’·•|/]+")
# Header words that show a region holds a table and not prose (flattened lines need them).
TABLE_HEADERS = {
    "t2": r"信息内容|第二十条|本年新制作|本年制发|处理决定数量",
    "t3": r"申请人情况|自然人|本年新收",
    "t4": r"结果维持|尚未审结|未经复议",
    "legacy": r"统计指标|指标名称|统计数|计量单位|单位",
}


def squeeze(text: str) -> str:
    return _SQUEEZE.sub("", text)


@dataclass(frozen=True)
class TableValue:
    key: str
    value: int | float
    unit: str
    cell: Cell
    table: str
    row_label: str


@dataclass(frozen=True)
class Unplaced:
    table: str
    label: str
    text: str
    start: int
    end: int
    reason: str


@dataclass
class TableResult:
    values: list[TableValue] = field(default_factory=list)
    unplaced: list[Unplaced] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    regions: list[tuple[int, int]] = field(default_factory=list)  # text ranges read as tables
    markers: set[str] = field(default_factory=set)  # template markers seen inside the tables

    def add(self, key: str, cell: Cell, table: str, label: str, money: bool = False,
            known: frozenset[str] | None = None) -> None:
        if cell.is_blank:
            return
        parsed = parse_cell(cell.text, money=money)
        if parsed is None:
            self.unplaced.append(Unplaced(table, label, cell.text, cell.start, cell.end,
                                          f"cell of {key} is not a number"))
            return
        if known is not None and key not in known:
            self.unplaced.append(Unplaced(table, label, cell.text, cell.start, cell.end,
                                          f"{key} is not a key of the contract"))
            return
        if any(v.key == key for v in self.values):
            self.unplaced.append(Unplaced(table, label, cell.text, cell.start, cell.end,
                                          f"{key} appears twice; the first is kept"))
            return
        self.values.append(TableValue(key, parsed[0], parsed[1], cell, table, label))

    def reject(self, table: str, label: str, row: Row, reason: str) -> None:
        text = " | ".join(c.text for c in row.cells if c.text)
        if row.run:
            text = f"{text} {row.run.text}".strip()
        self.unplaced.append(Unplaced(table, label, text, row.start, row.end, reason))


def _known_t2_keys() -> frozenset[str]:
    keys = set()
    for template in cat.TABLE2_DEFAULT_COLUMNS.values():
        for stem, cols in template.items():
            keys |= {f"{stem}.{c}" for c in cols}
    return frozenset(keys)


KNOWN_T2 = _known_t2_keys()


def _split(row: Row, specs: Sequence[cat.RowSpec], context: str = "") -> tuple[int, cat.RowSpec | None, str]:
    """The anchor cell (last cell whose label matches a row spec), its spec and the squeezed label."""
    best: tuple[int, int, cat.RowSpec] | None = None
    for i, cell in enumerate(row.cells):
        if not cell.is_label:
            continue
        spec, end = _match(squeeze(cell.text), specs, context)
        if spec is not None and (best is None or i >= best[0]):
            best = (i, end, spec)
    label = squeeze("".join(c.text for c in row.cells[: (best[0] + 1) if best else len(row.cells)] if c.is_label))
    if best is None:
        return -1, None, label
    return best[0], best[2], label


def _match(label: str, specs: Sequence[cat.RowSpec], context: str = "") -> tuple[cat.RowSpec | None, int]:
    """The spec whose match ends last in the label (flattened labels carry headers before the row name)."""
    best: tuple[int, int, cat.RowSpec] | None = None
    for order, spec in enumerate(specs):
        if spec.context and spec.context != context:
            continue
        for m in re.finditer(spec.pattern, label):
            if best is None or m.end() > best[0] or (m.end() == best[0] and order < best[1]):
                best = (m.end(), order, spec)
    return (best[2], best[0]) if best else (None, -1)


def _values(row: Row, anchor: int) -> list[Cell]:
    return [c for c in row.cells[anchor + 1:] if not c.is_unit]


def _align(cells: list[Cell], k: int) -> list[Cell] | None:
    cells = list(cells)
    while len(cells) > k and not cells[-1].text:
        cells.pop()
    while len(cells) > k and not cells[0].text:
        cells.pop(0)
    return cells if len(cells) == k else None


def _flat_cells(row: Row, k: int, check: Callable | None, result: TableResult, table: str, label: str) -> list[Cell] | None:
    assert row.run is not None
    try:
        parts = split_run(row.run.text, k, check)
    except Ambiguous as exc:
        result.reject(table, label, row, f"flattened cells: {exc}")
        return None
    unit = re.search(r"(万元|元)$", row.run.text)
    cells = []
    for i, p in enumerate(parts):
        text = p.text + (unit.group() if unit and i == len(parts) - 1 else "")
        cells.append(Cell(text, row.run.start + p.start, row.run.start + p.start + len(text)))
    result.notes.append(f"{table} {label}: cell boundaries were lost; {row.run.text!r} has exactly one split"
                        + (" that satisfies the row's sum" if check else ""))
    return cells


def _is_table(text: str, table: str) -> bool:
    return re.search(TABLE_HEADERS[table], text) is not None


def parse_table2(text: str, start: int, end: int, result: TableResult, template_hint: str) -> None:
    rows = rows_of(text, start, end)
    flat_ok = _is_table(text[start:end], "t2")
    columns: tuple[str, ...] | None = None
    for row in rows:
        if row.layout == "flat" and not flat_ok:
            continue
        anchor, spec, label = _split(row, cat.TABLE2_ROWS)
        head = _header_columns("".join(c.text for c in row.cells[: anchor if anchor >= 0 else len(row.cells)]))
        if head:
            columns = head
        if spec is None:
            if _split(row, cat.TABLE3_ROWS)[1] is not None:
                continue  # a table 3 row: table 3 reads it
            if row.run or any(c.is_number for c in row.cells) and head is None and row.layout != "lines":
                if row.layout != "flat" or len(label) < 40:
                    result.reject("table2", label, row, "row label not recognised")
            continue
        cols = _columns_for(spec.key, columns, template_hint)
        if cols is None:
            result.reject("table2", label, row, f"no column header fits {spec.key}")
            continue
        cells = _flat_cells(row, len(cols), None, result, "table2", label) if row.run else _align(_values(row, anchor), len(cols))
        if cells is None:
            if not row.run:
                result.reject("table2", label, row, f"{len(_values(row, anchor))} cells for {len(cols)} columns")
            continue
        for col, cell in zip(cols, cells):
            key = f"{spec.key}.{col}"
            result.add(key, cell, "table2", label, money=key in cat.MONEY_COLUMNS, known=KNOWN_T2)
        result.regions.append((row.start, row.end))


def _header_columns(text: str) -> tuple[str, ...] | None:
    label = squeeze(text)
    found = []
    for pattern, col in cat.TABLE2_COLUMNS:
        m = re.search(pattern, label)
        if m:
            found.append((m.start(), col))
    return tuple(col for _, col in sorted(found)) if found else None


def _columns_for(stem: str, header: tuple[str, ...] | None, template_hint: str) -> tuple[str, ...] | None:
    allowed = {c for t in cat.TABLE2_DEFAULT_COLUMNS.values() for c in t.get(stem, ())}
    if header and set(header) <= allowed:
        return header
    default = cat.TABLE2_DEFAULT_COLUMNS.get(template_hint, {}).get(stem)
    return default


def _cells_of_parts(row: Row, parts) -> list[Cell]:  # noqa: ANN001
    return [Cell(p.text, row.run.start + p.start, row.run.start + p.start + len(p.text)) for p in parts]


def _resolve_by_columns(ambiguous: list[tuple[str, Row, str, list]], result: TableResult) -> list[tuple[str, Row, str, list[Cell]]]:
    """Flattened table 3 rows with several row-sum-consistent splits: keep the one combination of
    splits under which every column's own arithmetic (balance, outcome sum) holds, if exactly one does."""
    import itertools

    from extractor.checks import OUTCOME_ROWS

    fixed = {v.key: v.value for v in result.values if v.key.startswith("applications.")}
    total = 1
    for *_, cands in ambiguous:
        total *= len(cands)
    if total > 20000:
        return []
    fits = []
    for combo in itertools.product(*(cands for *_, cands in ambiguous)):
        values = dict(fixed)
        for (stem, _, _, _), parts in zip(ambiguous, combo):
            for col, p in zip(cat.TABLE3_COLUMNS, parts):
                values[f"{stem}.{col}"] = p.value
        ok, pinned = True, set()
        for col in cat.TABLE3_COLUMNS:
            balance = [f"applications.{r}.{col}" for r in ("new", "carried_over", "total", "carried_forward")]
            other = [f"applications.other.{col}"] if f"applications.other.{col}" in values else \
                [f"applications.other.{x}.{col}" for x in ("no_correction", "unpaid_fee", "other")]
            outcome = [f"applications.{r}.{col}" for r in OUTCOME_ROWS] + other + [f"applications.total.{col}"]
            for keys, holds in ((balance, lambda v: v[0] + v[1] == v[2] + v[3]),
                                (outcome, lambda v: sum(v[:-1]) == v[-1])):
                if all(k in values for k in keys):
                    if not holds([values[k] for k in keys]):
                        ok = False
                    pinned |= {k.rsplit(".", 1)[0] for k in keys}
        if ok and all(stem in pinned for stem, *_ in ambiguous):
            fits.append(combo)
            if len(fits) > 1:
                return []
    if len(fits) != 1:
        return []
    out = []
    for (stem, row, label, _), parts in zip(ambiguous, fits[0]):
        result.notes.append(f"table3 {label}: cell boundaries were lost; {row.run.text!r} has several splits that "
                            "satisfy the row's sum, and exactly one under which the table's column sums hold")
        out.append((stem, row, label, _cells_of_parts(row, parts)))
    return out


def parse_table3(text: str, start: int, end: int, result: TableResult) -> None:
    rows = rows_of(text, start, end)
    flat_ok = _is_table(text[start:end], "t3")
    context = ""
    k = len(cat.TABLE3_COLUMNS)
    ambiguous: list[tuple[str, Row, str, list]] = []
    for row in rows:
        if row.layout == "flat" and not flat_ok:
            continue
        anchor, spec, label = _split(row, cat.TABLE3_ROWS, context)
        if "其他处理" in label:
            context = "other"
        if spec is None:
            if row.run or (any(c.is_number for c in row.cells) and row.layout != "lines"):
                result.reject("table3", label, row, "row label not recognised")
            continue
        if spec.key == "applications.total":
            context = ""
        if row.run:
            try:
                candidates = all_splits(row.run.text, k, row_sum, limit=12)
            except Ambiguous:
                candidates = []
            if len(candidates) > 1:
                ambiguous.append((spec.key, row, label, candidates))
                continue
            cells = _flat_cells(row, k, row_sum, result, "table3", label)
        else:
            values = _values(row, anchor)
            if not any(c.text for c in values):
                continue  # a group header such as "(三)不予公开" or v2021 "(六)其他处理"
            cells = _align(values, k)
            if cells is None:
                result.reject("table3", label, row, f"{len([c for c in values if c.text])} cells for {k} columns")
        if cells is None:
            continue
        for col, cell in zip(cat.TABLE3_COLUMNS, cells):
            result.add(f"{spec.key}.{col}", cell, "table3", label)
        result.regions.append((row.start, row.end))
    if ambiguous:
        resolved = _resolve_by_columns(ambiguous, result)
        for stem, row, label, cells in resolved:
            for col, cell in zip(cat.TABLE3_COLUMNS, cells):
                result.add(f"{stem}.{col}", cell, "table3", label)
            result.regions.append((row.start, row.end))
        if not resolved:
            for stem, row, label, cands in ambiguous:
                result.reject("table3", label, row, f"flattened cells: {len(cands)} splits fit the row's sum "
                                                    "and the table's column sums do not single one out")


def parse_table4(text: str, start: int, end: int, result: TableResult) -> None:
    rows = rows_of(text, start, end)
    if not _is_table(text[start:end], "t4"):
        return
    k = len(cat.TABLE4_KEYS)
    collected: list[Cell] = []
    first_row: Row | None = None
    for row in rows:
        if row.run:
            cells = _flat_cells(row, k, block_sums, result, "table4", "行政复议、行政诉讼") if not collected else None
            if cells:
                collected, first_row = cells, row
            continue
        values = [c for c in row.cells if not c.is_label]
        if not any(c.is_number for c in values):
            continue
        if row.layout in ("tab", "pipe"):
            if any(c.is_label for c in row.cells):
                values = _values(row, max(i for i, c in enumerate(row.cells) if c.is_label))
            collected.extend(values if collected or any(c.text for c in values) else [])
        else:
            collected.extend(values)
        first_row = first_row or row
    if not collected or first_row is None:
        return
    cells = _align(collected, k)
    if cells is None:
        cells = _align([c for c in collected if c.text], k)
    if cells is None:
        numbers = [c for c in collected if c.text]
        if len(numbers) > k and len({c.text for c in numbers}) == 1:
            cells = numbers[:k]
            extra = numbers[k:]
            result.unplaced.append(Unplaced("table4", "行政复议、行政诉讼", " ".join(c.text for c in extra),
                                            extra[0].start, extra[-1].end,
                                            f"{len(numbers)} cells where table 4 has {k}; all equal, so the extra one is dropped"))
        else:
            result.unplaced.append(Unplaced("table4", "行政复议、行政诉讼", " ".join(c.text for c in collected),
                                            collected[0].start, collected[-1].end,
                                            f"{len([c for c in collected if c.text])} cells where table 4 has {k}"))
            return
    for key, cell in zip(cat.TABLE4_KEYS, cells):
        result.add(key, cell, "table4", "行政复议、行政诉讼")
    result.regions.append((min(c.start for c in cells if c.text) if any(c.text for c in cells) else first_row.start,
                           max(c.end for c in cells)))


def parse_legacy(text: str, start: int, end: int, result: TableResult, structured_only: bool = False) -> None:
    rows = rows_of(text, start, end)
    flat_ok = not structured_only and _is_table(text[start:end], "legacy")
    region = text[start:end]
    n_values = 2 if re.search(r"历年累计|累计数", region) else 1
    group = "active"  # the 统计表 opens with 主动公开 rows, often without a group row
    for row in rows:
        if row.layout == "flat" and not flat_ok:
            continue
        if structured_only and row.layout not in ("tab", "pipe"):
            continue
        label_cells = [c for c in row.cells if c.is_label]
        label = squeeze("".join(c.text for c in label_cells))
        for pattern, name in cat.LEGACY_GROUPS:
            if re.search(pattern, label):
                group = name
                break
        spec = next((s for s in cat.LEGACY_ROWS if (not s.context or s.context == group) and re.search(s.pattern, label)), None)
        if spec is None:
            if row.run and len(label) < 40:
                result.reject("legacy", label, row, "row label not recognised")
            continue
        money = spec.key in cat.LEGACY_MONEY
        unit_cell = next((c for c in row.cells if c.is_unit), None)
        if row.run:
            # two columns are 本年度 and 历年累计: this year's figure cannot exceed the running total
            cells = _flat_cells(row, n_values, (lambda v: v[0] <= v[1]) if n_values == 2 else None,
                                result, "legacy", label)
            if not cells:
                continue
            value_cell = cells[0]
        else:
            anchor = max(i for i, c in enumerate(row.cells) if c.is_label)
            numbers = [c for c in row.cells[anchor + 1:] if not c.is_unit]
            value_cell = next((c for c in numbers if c.text), None)
            if value_cell is None:
                continue
        if money and unit_cell is not None and unit_cell.text == "元" and not value_cell.text.endswith("元"):
            value_cell = Cell(value_cell.text, value_cell.start, value_cell.end)
            parsed = parse_cell(value_cell.text + "元", money=True)
            if parsed is not None and not any(v.key == spec.key for v in result.values):
                result.values.append(TableValue(spec.key, parsed[0], "元", value_cell, "legacy", label))
                result.regions.append((row.start, row.end))
            continue
        unit = unit_cell.text if unit_cell else ""
        before = len(result.values)
        result.add(spec.key, value_cell, "legacy", label, money=money)
        if len(result.values) > before and unit and not result.values[-1].unit:
            v = result.values[-1]
            result.values[-1] = TableValue(v.key, v.value, unit, v.cell, v.table, v.row_label)
        result.regions.append((row.start, row.end))


def detect_markers(text: str, result: TableResult) -> None:
    for template, pattern in cat.TEMPLATE_MARKERS.items():
        if re.search(pattern, text):
            result.markers.add(template)
