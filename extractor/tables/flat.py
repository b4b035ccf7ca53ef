"""Flattened number runs: cells whose boundaries were lost ("7000007" for seven cells).

A run is split only when exactly one split is possible: every part a well-formed number (no
leading zeros, thousands groups of three), spaces in the run kept as boundaries, exactly `k`
parts, and, when the table gives one, the row's own arithmetic holding (six applicant columns
adding up to 总计; 维持+纠正+其他+尚未审结 = 总计). Anything else is left unplaced: never guessed.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Sequence

from extractor.numbers import to_number

_PART = re.compile(r"^[+-]?(?:0|[1-9]\d{0,2}(?:,\d{3})+|[1-9]\d*)(?:\.\d+)?$")
MAX_PART = 12
MAX_NODES = 200_000


@dataclass(frozen=True)
class Part:
    text: str
    start: int  # offset inside the run
    value: int | float


class Ambiguous(Exception):
    pass


def split_run(run: str, k: int, check: Callable[[Sequence[int | float]], bool] | None = None) -> list[Part]:
    """The only split of `run` into k numbers; raises Ambiguous with the reason otherwise."""
    solutions = all_splits(run, k, check, limit=1)
    return solutions[0]


def all_splits(run: str, k: int, check: Callable[[Sequence[int | float]], bool] | None = None,
               limit: int = 1) -> list[list[Part]]:
    """Every split of `run` into k numbers (at most `limit`; more raises Ambiguous)."""
    unit = re.search(r"(万元|元)$", run)
    body = run[: unit.start()] if unit else run
    # spaces and signs are boundaries the layout kept: "156-5997" is 156 | -5997
    groups: list[tuple[str, int]] = [(m.group(), m.start()) for m in re.finditer(r"[+-]?[^\s+-]+", body)]
    n_chars = sum(len(g) for g, _ in groups)
    if n_chars < k:
        raise Ambiguous(f"{n_chars} digits for {k} cells: blank cells lost")
    solutions: list[list[Part]] = []
    nodes = 0

    def walk(gi: int, pos: int, parts: list[Part]) -> None:
        nonlocal nodes
        nodes += 1
        if nodes > MAX_NODES:
            raise Ambiguous("too many ways to split")
        if gi == len(groups):
            if len(parts) == k and (check is None or check([p.value for p in parts])):
                solutions.append(list(parts))
                if len(solutions) > limit:
                    raise Ambiguous("more than one split fits")
            return
        text, offset = groups[gi]
        remaining_parts = k - len(parts)
        remaining_chars = len(text) - pos + sum(len(g) for g, _ in groups[gi + 1:])
        if remaining_parts <= 0 or remaining_chars < remaining_parts or remaining_chars > remaining_parts * MAX_PART:
            return
        for length in range(1, min(MAX_PART, len(text) - pos) + 1):
            piece = text[pos: pos + length]
            if not _PART.match(piece):
                continue
            parts.append(Part(piece, offset + pos, to_number(piece)))
            if pos + length == len(text):
                walk(gi + 1, 0, parts)
            else:
                walk(gi, pos + length, parts)
            parts.pop()

    walk(0, 0, [])
    if not solutions:
        raise Ambiguous(f"no split into {k} cells fits")
    return solutions


def row_sum(values: Sequence[int | float]) -> bool:
    """Table 3: the six applicant columns add up to 总计."""
    return abs(sum(values[:-1]) - values[-1]) < 1e-9


def block_sums(values: Sequence[int | float]) -> bool:
    """Table 4: in each block of five, 维持+纠正+其他+尚未审结 = 总计."""
    return all(abs(sum(values[i:i + 4]) - values[i + 4]) < 1e-9 for i in range(0, len(values), 5))
