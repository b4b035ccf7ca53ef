"""Stage 4a, tables: the rule layer. `parse_tables` reads every standard table of a report.

grid.py turns table text into rows of cells (any layout), catalogue.py holds the row and column
names as data, flat.py splits flattened number runs when the split is certain, parse.py places
values under contract keys. Table regions come from the sections (segment.py); a report without
headings is searched whole, but then only rows with a table's header words around them count.
"""
from __future__ import annotations

import re

from extractor.segment import Section
from extractor.tables.parse import (TableResult, TableValue, Unplaced, detect_markers, parse_legacy,
                                    parse_table2, parse_table3, parse_table4)

__all__ = ["TableResult", "TableValue", "Unplaced", "parse_tables", "decide_template"]


def parse_tables(text: str, sections: list[Section], year: int | None) -> TableResult:
    result = TableResult()
    by_kind = {s.kind: s for s in sections}
    detect_markers(text, result)
    legacy = "legacy" in result.markers and not ({"v2019", "v2021"} & result.markers)
    if legacy or (year is not None and year <= 2018 and not ({"v2019", "v2021"} & result.markers)):
        table = by_kind.get("stats_table")
        if table is not None:
            parse_legacy(text, table.start, table.end, result)
        else:
            parse_legacy(text, 0, len(text), result, structured_only=True)
        return result
    whole = (0, len(text))
    t2 = by_kind.get("active")
    t3 = by_kind.get("applications")
    t4 = by_kind.get("review_litigation")
    no_sections = not (t2 or t3 or t4)
    hint = "v2021" if "v2021" in result.markers else "v2019" if "v2019" in result.markers else \
        ("v2021" if year and year >= 2021 else "v2019")
    spans = {"t2": t2 and (t2.start, t2.end), "t3": t3 and (t3.start, t3.end), "t4": t4 and (t4.start, t4.end)}
    if t3 is None and t2 is not None:  # table 3's heading missing or garbled: it follows table 2
        spans["t3"] = (t2.start, t4.heading_start if t4 else len(text))
    if t4 is None and t3 is not None:
        spans["t4"] = (t3.start, len(text))
    for name, parse in (("t2", lambda a, b: parse_table2(text, a, b, result, hint)),
                        ("t3", lambda a, b: parse_table3(text, a, b, result)),
                        ("t4", lambda a, b: parse_table4(text, a, b, result))):
        if spans[name]:
            parse(*spans[name])
        elif no_sections:
            parse(*whole)
    return result


def decide_template(result: TableResult, year: int | None) -> str:
    """legacy | v2019 | v2021 from the tables actually read; none when no table value was read."""
    keys = [v.key for v in result.values]
    if not keys:
        return "none"
    if any(k.startswith("legacy.") for k in keys):
        return "legacy"
    if "v2021" in result.markers or any(re.search(r"\.(issued|repealed|in_force)$|^applications\.other\.(no_correction|unpaid_fee|other)\.", k) for k in keys):
        return "v2021"
    if "v2019" in result.markers:
        return "v2019"
    return "v2021" if year and year >= 2021 else "v2019"


def table_zones(result: TableResult) -> list[tuple[int, int]]:
    """Merged text ranges covered by table rows (placed or not): the tagger never reads them."""
    spans = sorted(result.regions + [(u.start, u.end) for u in result.unplaced])
    merged: list[tuple[int, int]] = []
    for a, b in spans:
        if merged and a <= merged[-1][1] + 200:  # rows of one table sit close together
            merged[-1] = (merged[-1][0], max(merged[-1][1], b))
        else:
            merged.append((a, b))
    return merged

