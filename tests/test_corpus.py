"""Every corpus text and original file runs and satisfies the contract."""
from __future__ import annotations

import json
import subprocess
import sys

from conftest import CORPUS, need_corpus
from extractor import extract
from extractor.errors import InputError


def corpus_files():
    need_corpus()
    return sorted((CORPUS / "github" / "texts").glob("*.txt")) + sorted((CORPUS / "github" / "raw").glob("*")) + \
        sorted((CORPUS / "pages").glob("*.txt")) + sorted((CORPUS / "seeds").glob("*.txt"))


def test_every_corpus_file_runs_and_passes_the_contract_check(tmp_path):
    files = corpus_files()
    assert len(files) > 200
    out = tmp_path / "corpus.jsonl"
    with out.open("w", encoding="utf-8") as f:
        for path in files:
            try:
                report = extract(path)
            except InputError as exc:  # only clear errors may stop a file
                raise AssertionError(f"{path}: {exc}") from exc
            f.write(json.dumps(report.to_dict(include_text=True), ensure_ascii=False) + "\n")
    run = subprocess.run([sys.executable, str(CORPUS.parent / "tools" / "contract_check.py"), str(out)],
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stdout[-3000:]


def test_reports_whose_tables_survived_parse_in_full():
    need_corpus()
    rows = [json.loads(line) for line in (CORPUS / "github" / "manifest.jsonl").read_text(encoding="utf-8").splitlines()]
    complete = [r for r in rows if r["tables"] == "complete"]
    assert complete
    for row in complete:
        report = extract(CORPUS / "github" / "texts" / f"{row['id']}.txt")
        assert report.template == row["template"], row["id"]
        assert not report.unparsed, (row["id"], report.unparsed)
        assert sum(k.startswith("applications.") for k in report.metrics) >= 161, row["id"]
