"""`make bench`: speed and memory of the stages, printed (tests never time things).

Prints reports/s of tables-only extraction over the corpus texts, and, when the shipped tagger
model is present, its load time, characters/s of narrative text and peak RSS.
"""
from __future__ import annotations

import argparse
import resource
import time
from pathlib import Path

from extractor.pipeline import extract


def bench_tables(corpus: Path, rounds: int = 3) -> None:
    files = sorted((corpus / "github" / "texts").glob("*.txt")) + sorted((corpus / "pages").glob("*.txt")) + \
        sorted((corpus / "seeds").glob("*.txt"))
    texts = [(str(f), f.read_text(encoding="utf-8")) for f in files]
    chars = sum(len(t) for _, t in texts)
    extract(texts[0][1])  # warm caches (OpenCC table, regexes)
    best = float("inf")
    for _ in range(rounds):
        start = time.perf_counter()
        for name, text in texts:
            extract(text, source=name)
        best = min(best, time.perf_counter() - start)
    print(f"tables-only extract: {len(texts)} corpus reports ({chars:,} chars) in {best:.3f} s "
          f"= {len(texts) / best:,.0f} reports/s, {best / len(texts) * 1000:.2f} ms/report (best of {rounds}, 1 process)")


def table_coverage(corpus: Path) -> None:
    """Share of corpus reports with surviving tables (manifest `tables` partial/complete) whose
    cells are all placed (nothing in `unparsed`) and whose checks all pass."""
    import json

    manifest = corpus / "github" / "manifest.jsonl"
    rows = [json.loads(line) for line in manifest.read_text(encoding="utf-8").splitlines()]
    with_tables = [r for r in rows if r["tables"] != "none"]
    clean, failing = 0, []
    for r in with_tables:
        report = extract(corpus / "github" / "texts" / f"{r['id']}.txt")
        if report.template != "none" and not report.unparsed and not report.failed_checks:
            clean += 1
        else:
            failing.append(f"{r['id']}({len(report.unparsed)} unplaced, {len(report.failed_checks)} failed checks)")
    complete = [r for r in with_tables if r["tables"] == "complete"]
    clean_complete = sum(1 for r in complete if not extract(corpus / "github" / "texts" / f"{r['id']}.txt").unparsed)
    print(f"tables: {clean}/{len(with_tables)} corpus reports with tables have every cell placed and every check passing; "
          f"{clean_complete}/{len(complete)} of those whose tables survived complete have every cell placed")
    print("  not clean: " + ", ".join(failing))


def bench_tagger(corpus: Path) -> None:
    try:
        from extractor.tagger import bench as tagger_bench
    except ImportError:
        print("tagger: not built yet (extractor/tagger.py missing): skipped")
        return
    tagger_bench(corpus)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--corpus", type=Path, default=Path("../shared/corpus"))
    args = parser.parse_args()
    if not args.corpus.is_dir():
        raise SystemExit(f"corpus folder {args.corpus} not found: pass --corpus DIR")
    bench_tables(args.corpus)
    table_coverage(args.corpus)
    bench_tagger(args.corpus)
    print(f"peak RSS of this process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")


if __name__ == "__main__":
    main()
