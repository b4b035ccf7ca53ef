"""Stand-off annotations: round trip through Label Studio, hash check, validation of every file."""
from __future__ import annotations

import json
import shutil

import pytest
from typer.testing import CliRunner

from conftest import CORPUS, ROOT, need_corpus
from extractor.cli import app
from training.data import ANNOTATIONS, annotation_files, load_annotated, read_any
from training.standoff import (AnnotationError, Span, StandoffDoc, from_label_studio, read_standoff, resolve_text,
                               to_label_studio, validate, write_standoff)
from training.stats import value_problems


def standoff_files():
    return [f for f in annotation_files() if "data" not in json.loads(f.read_text(encoding="utf-8"))]


def test_every_span_survives_a_label_studio_round_trip():
    need_corpus()
    files = standoff_files()
    assert len(files) >= 150
    for file in files:
        doc = read_standoff(file)
        text = resolve_text(doc, CORPUS)
        back = from_label_studio(json.loads(json.dumps(to_label_studio(doc, text))))
        assert back.path == doc.path and back.sha256 == doc.sha256
        assert [vars(s) for s in back.spans] == [vars(s) for s in sorted(doc.spans, key=lambda s: (s.start, s.end))]
        assert back.regions == doc.regions


def test_seed_tasks_carry_their_text_and_round_trip():
    need_corpus()
    for file in sorted((ANNOTATIONS / "seeds").glob("*.json")):
        task = json.loads(file.read_text(encoding="utf-8"))
        doc = from_label_studio(task)
        assert task["data"]["text"] == resolve_text(doc, CORPUS)
        again = from_label_studio(to_label_studio(doc, task["data"]["text"]))
        assert [vars(s) for s in again.spans] == [vars(s) for s in doc.spans]


def test_seed_001_labels_the_issue_examples():
    need_corpus()
    doc, text = read_any(ANNOTATIONS / "seeds" / "001_3e2edf5fa8293980.json")
    got = {(s.text, s.label) for s in doc.spans}
    assert {("2306 条", "PUB_WEBSITE"), ("8件", "APP_RECEIVED"), ("1件", "APP_CARRIED_OVER")} <= got
    assert not any("12369" in s.text for s in doc.spans)


def test_changed_file_is_refused(tmp_path):
    need_corpus()
    corpus = tmp_path / "corpus"
    (corpus / "pages").mkdir(parents=True)
    doc = read_standoff(ANNOTATIONS / "corpus" / "p008.json")
    original = (CORPUS / doc.path).read_bytes()
    (corpus / doc.path).write_bytes(original)
    assert resolve_text(doc, corpus)
    (corpus / doc.path).write_bytes(original + "改".encode("utf-8"))
    with pytest.raises(AnnotationError, match="changed since it was annotated"):
        resolve_text(doc, corpus)


def test_validation_catches_bad_spans():
    text = "共收到申请8件，办结8件。"
    doc = StandoffDoc("x.txt", "0", [Span(5, 7, "APP_RECEIVED", 8, None, "8件"), Span(10, 12, "NOT_A_LABEL", 8, None, "8件"),
                                       Span(5, 6, "APP_COMPLETED", "8", "roughly", "9")], [(0, len(text))])
    problems = " | ".join(validate(doc, text))
    assert "not a contract label" in problems and "the file has '8'" in problems
    assert "is not a number" in problems and "approx 'roughly'" in problems and "overlaps" in problems


def test_every_annotation_file_validates_and_values_match_their_characters():
    need_corpus()
    items = load_annotated(CORPUS)
    assert len(items) >= 155
    assert sum(i.role == "benchmark" for i in items) >= 30
    problems = [p for item in items for p in value_problems(item)]
    assert not problems, problems[:10]
    for item in items:
        for s in item.spans:
            assert item.text[s.start:s.end] == s.text


def test_benchmark_is_kept_apart():
    need_corpus()
    roles = json.loads((ANNOTATIONS / "split.json").read_text(encoding="utf-8"))["roles"]
    for file in (ANNOTATIONS / "benchmark").glob("*.json"):
        assert roles[read_standoff(file).path] == "benchmark"
    for file in (ANNOTATIONS / "corpus").glob("*.json"):
        assert roles[read_standoff(file).path] != "benchmark"


def test_stats_command_reports_counts_and_fails_on_a_bad_file(tmp_path):
    need_corpus()
    runner = CliRunner()
    ok = runner.invoke(app, ["annotations", "stats", "--corpus", str(CORPUS), "--json"])
    assert ok.exit_code == 0, ok.output
    data = json.loads(ok.stdout)
    assert data["texts"]["benchmark"] >= 30 and data["labels"]["train"]["PUB_WEBSITE"] > 100
    assert data["agreement"]["annot-e"]["texts"] == 20
    # a copy of the annotations with one span's characters broken must fail loudly
    broken = tmp_path / "annotations"
    shutil.copytree(ANNOTATIONS, broken)
    target = broken / "corpus" / "p008.json"
    data = json.loads(target.read_text(encoding="utf-8"))
    data["spans"][0]["text"] += "X"
    target.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    bad = runner.invoke(app, ["annotations", "stats", "--corpus", str(CORPUS), "--annotations", str(broken)])
    assert bad.exit_code == 1
    assert "invalid annotation" in bad.output and "p008" in bad.output


def test_write_standoff_round_trip(tmp_path):
    doc = StandoffDoc("pages/p1.txt", "abc", [Span(1, 3, "PUB_TOTAL", 12, None, "12")], [(0, 5)], "me", True, "you", "n")
    write_standoff(doc, tmp_path / "d.json")
    again = read_standoff(tmp_path / "d.json")
    assert again.to_json() == doc.to_json()
