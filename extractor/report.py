"""The output of one report, exactly as contract §1 says; `Report.to_dict()` is the JSON.

Beyond the contract the JSON carries `unparsed`: every table row or cell the rule layer saw but
could not place (table, row label, the cell text, its offsets, the reason), so nothing is dropped
silently; and `notes`: how uncertain layouts were read (e.g. a flattened run split by its sums).
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class Evidence:
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Metric:
    value: int | float
    unit: str
    source: str  # "table" | "prose"
    evidence: Evidence


@dataclass(frozen=True)
class Mention:
    label: str
    text: str
    start: int
    end: int
    value: int | float
    unit: str
    approx: str | None
    score: float
    metric: str | None


@dataclass(frozen=True)
class Check:
    rule: str
    status: str  # "pass" | "fail"
    detail: str


@dataclass(frozen=True)
class Conflict:
    metric: str
    table: int | float
    prose: int | float
    evidence: list[Evidence]


@dataclass
class Report:
    source: str
    agency: str | None
    year: int | None
    template: str
    metrics: dict[str, Metric] = field(default_factory=dict)
    mentions: list[Mention] = field(default_factory=list)
    checks: list[Check] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    unparsed: list[dict[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    text: str = ""  # the normalized text that offsets index (not part of to_dict unless asked)

    def to_dict(self, include_text: bool = False) -> dict[str, Any]:
        out: dict[str, Any] = {
            "source": self.source, "agency": self.agency, "year": self.year, "template": self.template,
            "metrics": {k: asdict(m) for k, m in self.metrics.items()},
            "mentions": [asdict(m) for m in self.mentions],
            "checks": [asdict(c) for c in self.checks],
            "conflicts": [asdict(c) for c in self.conflicts],
            "unparsed": self.unparsed,
            "notes": self.notes,
        }
        if include_text:
            out["text"] = self.text
        return out

    @property
    def failed_checks(self) -> list[Check]:
        return [c for c in self.checks if c.status == "fail"]
