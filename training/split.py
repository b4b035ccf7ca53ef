"""Choose the train / dev / benchmark roles of every annotatable text, once, before any training.

The split is by report and by agency: all reports of one agency (which often share whole
paragraphs year to year) land in the same role, so near-copies never cross from training into
the benchmark. The choice is stratified by source, year band, level and script and is
deterministic (seeded), so `python -m training.split` always writes the same file.
"""
from __future__ import annotations

import json
import random
from collections import defaultdict
from pathlib import Path

from training.standoff import DEFAULT_CORPUS

SPLIT_FILE = Path(__file__).resolve().parent.parent / "annotations" / "split.json"
SEED = 20261201
BENCHMARK_PAGES = 24
DEV_PAGES = 12
# Whole agencies of the github/ reports, chosen by hand for spread of template and year.
BENCHMARK_AGENCIES = {"河北省科学技术厅", "上海市人民政府办公厅"}
DEV_AGENCIES = {"淮安市洪泽区人民政府"}


def _year_band(year: int | None) -> str:
    if year is None:
        return "unknown"
    return "legacy" if year <= 2018 else ("v2019" if year <= 2020 else "v2021")


def make_split(corpus: Path = DEFAULT_CORPUS) -> dict[str, str]:
    roles: dict[str, str] = {}
    for line in (corpus / "github" / "manifest.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        path = f"github/texts/{row['id']}.txt"
        agency = row["agency"]
        roles[path] = "benchmark" if agency in BENCHMARK_AGENCIES else "dev" if agency in DEV_AGENCIES else "train"

    pages = [json.loads(line) for line in (corpus / "pages" / "manifest.jsonl").read_text(encoding="utf-8").splitlines()]
    by_agency: dict[str, list[dict]] = defaultdict(list)
    for row in pages:
        by_agency[row["agency"] or row["id"]].append(row)
    # One stratum per (year band, level, script); draw agencies round-robin across strata.
    strata: dict[tuple, list[str]] = defaultdict(list)
    for agency, rows in sorted(by_agency.items()):
        first = rows[0]
        if not any(r["has_prose_quantities"] for r in rows):
            continue
        strata[(_year_band(first["year"]), first["level"], first["traditional"])].append(agency)
    rng = random.Random(SEED)
    order: list[str] = []
    buckets = [rng.sample(v, len(v)) for _, v in sorted(strata.items(), key=lambda kv: str(kv[0]))]
    while any(buckets):
        for b in buckets:
            if b:
                order.append(b.pop())
    chosen_bench, chosen_dev = [], []
    for agency in order:
        n_bench = sum(len(by_agency[a]) for a in chosen_bench)
        n_dev = sum(len(by_agency[a]) for a in chosen_dev)
        if n_bench < BENCHMARK_PAGES:
            chosen_bench.append(agency)
        elif n_dev < DEV_PAGES:
            chosen_dev.append(agency)
    for agency, rows in by_agency.items():
        role = "benchmark" if agency in chosen_bench else "dev" if agency in chosen_dev else "train"
        for row in rows:
            roles[f"pages/{row['id']}.txt"] = role
    for seed in sorted((corpus / "seeds").glob("*.txt")):
        roles[f"seeds/{seed.name}"] = "train"
    return dict(sorted(roles.items()))


def agencies(corpus: Path = DEFAULT_CORPUS) -> dict[str, str]:
    """Corpus-relative path -> the agency that wrote it (the report's own path when unknown)."""
    out: dict[str, str] = {}
    for source, folder in (("github", "github/texts"), ("pages", "pages")):
        for line in (corpus / source / "manifest.jsonl").read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            path = f"{folder}/{row['id']}.txt"
            out[path] = row.get("agency") or path
    return out


def main() -> None:
    roles = make_split()
    SPLIT_FILE.write_text(json.dumps({"seed": SEED, "roles": roles}, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    counts: dict[str, int] = defaultdict(int)
    for role in roles.values():
        counts[role] += 1
    print(f"wrote {SPLIT_FILE}: {dict(counts)}")


if __name__ == "__main__":
    main()
