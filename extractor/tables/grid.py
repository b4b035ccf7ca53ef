"""Table text -> rows of cells, whatever the layout.

Layouts: tab-separated lines (html/docx/pdf tables are rendered so by the loader), markdown or
`a | b |` pipes, one cell per line (with filler lines of pipes or blank lines between rows), and
flattened runs where labels and numbers are run together on one line. A `Cell` keeps its offsets
in the normalized text; empty cells of tab and pipe rows are kept (they are blank cells).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from extractor.numbers import BLANK_MARKS, parse_cell

UNIT_CELLS = frozenset({"条", "件", "次", "篇", "个", "人", "人次", "万元", "元", "项", "期", "份", "家", "场"})
_FILLER = re.compile(r"^[\s|:\-—=+]*$")
_NUM_CELL = re.compile(r"^[+-]?\d[\d,]*(?:\.\d+)?\s*(?:万元|元|亿元)?$")
# A run of numbers inside a flattened line: digits with spaces, commas, dots and signs between.
# A number directly followed by a measure word, a date or a percent sign is prose ("6台", "2018年").
_NUM_RUN = re.compile(r"[+-]?\d[\d,.]*(?:[ ]*[+-]\d[\d,.]*|[ ]+\d[\d,.]*)*(?:万元|元)?(?![\d,.]|\s*[台张把个件条人次年月日号项份篇家%名天期批场户部套])")


@dataclass(frozen=True)
class Cell:
    text: str
    start: int
    end: int

    @property
    def is_number(self) -> bool:
        return bool(_NUM_CELL.match(self.text))

    @property
    def is_blank(self) -> bool:
        return self.text in BLANK_MARKS

    @property
    def is_unit(self) -> bool:
        return self.text in UNIT_CELLS

    @property
    def is_label(self) -> bool:
        return not (self.is_number or self.is_blank or self.is_unit)


@dataclass
class Row:
    cells: list[Cell]
    layout: str  # "tab" | "pipe" | "lines" | "flat"
    run: Cell | None = None  # flattened rows: the number run whose cell boundaries were lost
    start: int = field(init=False)
    end: int = field(init=False)

    def __post_init__(self) -> None:
        spans = [c for c in self.cells if c.text] + ([self.run] if self.run else [])
        self.start = min((c.start for c in spans), default=0)
        self.end = max((c.end for c in spans), default=0)


def _strip_cell(text: str, start: int) -> Cell:
    left = len(text) - len(text.lstrip())
    stripped = text.strip()
    return Cell(stripped, start + left, start + left + len(stripped))


_SPACED_NUMBERS = re.compile(r"^[+-]?\d[\d,.]*(?: +[+-]?\d[\d,.]*)+$")


def _split_line(line: str, offset: int, sep: str) -> list[Cell]:
    cells, pos = [], 0
    for piece in line.split(sep):
        cell = _strip_cell(piece, offset + pos)
        if _SPACED_NUMBERS.match(cell.text):  # "8 0 0 0 0 0 8" inside one cell: several cells
            cells.extend(Cell(m.group(), cell.start + m.start(), cell.start + m.end())
                         for m in re.finditer(r"\S+", cell.text))
        else:
            cells.append(cell)
        pos += len(piece) + 1
    return cells


def _flat_row_pieces(line: str, offset: int) -> list[tuple[Cell, Cell | None]]:
    """Split a flattened line into (label, number run) pairs. An item number such as the "2" of
    "00000002.其他法律…" belongs to the label after it, not to the run before."""
    pieces: list[tuple[Cell, Cell | None]] = []
    label_start = 0
    for m in _NUM_RUN.finditer(line):
        a, b = m.start(), m.end()
        run = m.group()
        if b < len(line) and line[b - 1] == "." and b - 1 > a:  # "…00000002." : peel the item number
            run, b = run[:-1], b - 1
            tail = re.search(r"\d$", run)
            if tail:
                b -= 1
                run = run[:-1]
        elif b < len(line) and line[b] in ".、" and re.search(r"\d$", run):
            b -= 1
            run = run[:-1]
        elif re.fullmatch(r"\d+\.", run):
            continue
        run = run.rstrip(" ")
        if not re.search(r"\d", run) or a < label_start:
            continue
        label = line[label_start:a]
        if not label.strip() and pieces:
            continue
        pieces.append((_strip_cell(label, offset + label_start), Cell(run, offset + a, offset + a + len(run))))
        label_start = a + len(run)
    rest = line[label_start:]
    if rest.strip():
        pieces.append((_strip_cell(rest, offset + label_start), None))
    return pieces


_PAGE_NUMBER = re.compile(r"^\s*(?:[-—–]\s*\d{1,3}\s*[-—–]|第\s*\d+\s*页(?:\s*共\s*\d+\s*页)?|\d{1,3}\s*/\s*\d{1,3})\s*$")


def _spaced_cells(region: str) -> bool:
    """One cell per line with cells 3 newlines apart and rows 5 apart (html exported to text): there,
    every further 3 newlines stand for an empty cell."""
    runs = [len(m.group()) for m in re.finditer(r"\n{3,}", region)]
    return len(runs) >= 10 and sum(1 for r in runs if r in (3, 5)) >= 0.7 * len(runs)


def rows_of(text: str, start: int, end: int) -> list[Row]:
    """Rows of the table text text[start:end]."""
    rows: list[Row] = []
    pending: list[Cell] = []
    spaced = _spaced_cells(text[start:end])

    def flush() -> None:
        if pending:
            rows.append(Row(list(pending), "lines"))
            pending.clear()

    def empties(run: int, offset: int) -> None:
        """Blank cells encoded by a run of `run` newlines before the line at `offset` (spaced layout)."""
        if (run - 3) % 3 == 0:
            pending.extend(Cell("", offset, offset) for _ in range((run - 3) // 3))
        elif (run - 5) % 3 == 0:
            k = (run - 5) // 3
            if pending and any(c.is_number for c in pending):  # a short data row: its last cells were empty
                pending.extend(Cell("", offset, offset) for _ in range(k))
                flush()
            else:  # after a header row: the next row starts with empty cells
                flush()
                pending.extend(Cell("", offset, offset) for _ in range(k))

    pos = start
    newlines = 0
    for line in text[start:end].split("\n"):
        offset = pos
        pos += len(line) + 1
        newlines += 1
        if not line.strip() or _PAGE_NUMBER.match(line):
            continue
        run, newlines = newlines, 0
        if "\t" in line:
            flush()
            rows.append(Row(_split_line(line, offset, "\t"), "tab"))
            continue
        if spaced and (pending or rows):
            empties(run, offset)
        if "|" in line:
            if _FILLER.match(line):
                flush()
                continue
            cells = _split_line(line, offset, "|")
            if line.strip().startswith("|"):
                cells = cells[1:]
            if line.strip().endswith("|"):
                cells = cells[:-1]
            if len(cells) > 1:
                flush()
                rows.append(Row(cells, "pipe"))
                continue
            line_cell = cells[0] if cells else _strip_cell(line, offset)
        else:
            line_cell = _strip_cell(line, offset)
        if line_cell.is_label and _NUM_RUN.search(line_cell.text):
            # a label with numbers run into it: a flattened line (or a label such as "1.属于国家秘密")
            pieces = _flat_row_pieces(line_cell.text, line_cell.start)
            if any(run for _, run in pieces):
                flush()
                for label, run in pieces:
                    if run is None:
                        pending.append(label)
                    else:
                        rows.append(Row([label], "flat", run=run))
                continue
        if line_cell.is_label and pending and not pending[-1].is_label:
            flush()
        pending.append(line_cell)
    flush()
    return rows
