"""Batches: every good report written, one error line per bad file, nothing lost when killed."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import pytest

from conftest import CORPUS, ROOT, need_corpus

CLI = [sys.executable, "-m", "extractor", "extract"]


@pytest.fixture
def broken(tmp_path):
    need_corpus()
    folder = tmp_path / "broken"
    folder.mkdir()
    (folder / "empty.txt").write_bytes(b"")
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 20)
    pdf = (CORPUS / "github" / "raw" / "g045.pdf").read_bytes()
    (folder / "truncated.pdf").write_bytes(pdf[:2000])
    seed = (CORPUS / "seeds" / "001_3e2edf5fa8293980.txt").read_text(encoding="utf-8")
    (folder / "gbk.txt").write_bytes(seed.encode("gb18030"))
    return folder


def lines(path):
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_batch_over_the_corpus_and_broken_files(tmp_path, broken):
    out = tmp_path / "out.jsonl"
    run = subprocess.run(CLI + [str(CORPUS / "github"), str(CORPUS / "pages"), str(broken), "-o", str(out), "--no-model"],
                         capture_output=True, text=True, cwd=ROOT)
    assert run.returncode == 1  # some files were bad
    reports = lines(out)
    n_corpus = len(list((CORPUS / "github").rglob("*.txt"))) + len(list((CORPUS / "github" / "raw").glob("*.pdf"))) + \
        len(list((CORPUS / "pages").glob("*.txt")))
    assert len(reports) == n_corpus + 1  # + the GBK file
    gbk = next(r for r in reports if r["source"].endswith("gbk.txt"))
    assert gbk["metrics"]["applications.new.total"]["value"] == 8
    errors = lines(tmp_path / "out.jsonl.errors.jsonl")
    assert sorted(os.path.basename(e["source"]) for e in errors) == ["binary.txt", "empty.txt", "truncated.pdf"]
    assert all(e["reason"] for e in errors)


def test_flat_csv_and_parquet_read_with_pandas_and_duckdb(tmp_path):
    need_corpus()
    pandas = pytest.importorskip("pandas")
    seeds = CORPUS / "seeds"
    for name in ("out.csv", "out.parquet"):
        out = tmp_path / name
        run = subprocess.run(CLI + [str(seeds), "-o", str(out), "--no-model"], capture_output=True, text=True, cwd=ROOT)
        assert run.returncode == 0, run.stderr
        frame = pandas.read_csv(out) if name.endswith(".csv") else pandas.read_parquet(out)
        assert set(frame["source"].map(os.path.basename)) == {p.name for p in seeds.glob("*.txt")}
        row = frame[(frame["key"] == "applications.new.total") & frame["source"].str.contains("001_")]
        assert row["value"].tolist() == [8.0]
    duckdb = pytest.importorskip("duckdb")
    total = duckdb.sql(f"select count(*) from '{tmp_path / 'out.parquet'}' where kind = 'metric'").fetchall()[0][0]
    assert total == len(pandas.read_parquet(tmp_path / "out.parquet").query("kind == 'metric'"))


def test_killed_batch_keeps_what_it_wrote_and_resumes(tmp_path):
    need_corpus()
    out = tmp_path / "out.jsonl"
    args = CLI + [str(CORPUS / "pages"), str(CORPUS / "github" / "texts"), "-o", str(out), "--no-model"]
    proc = subprocess.Popen(args, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 120
    # bytes, not text: a poll can land in the middle of a character the batch is writing
    while time.time() < deadline and (not out.exists() or out.read_bytes().count(b"\n") < 20):
        time.sleep(0.02)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    data = out.read_bytes()
    complete = data[: data.rfind(b"\n") + 1].decode("utf-8").splitlines()
    assert len(complete) >= 20
    for line in complete:
        assert json.loads(line)["metrics"] is not None  # every written report is whole
    total = len(list((CORPUS / "pages").glob("*.txt"))) + len(list((CORPUS / "github" / "texts").glob("*.txt")))
    assert len(complete) < total, "the batch finished before it was killed: nothing was tested"
    rerun = subprocess.run(args, cwd=ROOT, capture_output=True, text=True)
    assert rerun.returncode == 0, rerun.stderr
    sources = [r["source"] for r in lines(out)]
    assert len(sources) == total and len(set(sources)) == total
