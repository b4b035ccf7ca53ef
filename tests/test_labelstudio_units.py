"""Task/offset conversion both ways, long-report splitting, repeated pulls (no server needed)."""
from __future__ import annotations

import json

from conftest import CORPUS, ROOT, need_corpus
from training.data import ANNOTATIONS, load_annotated, read_any
from training.labelstudio import export_passages, import_export, merged_pulls, passages, tasks_to_pull
from training.standoff import span_results


def annotate_like_label_studio(tasks, gold_spans):
    """What an annotator's export holds: each task with an annotation of the gold spans inside it."""
    out = []
    for i, task in enumerate(tasks):
        a, b = task["data"]["offset"], task["data"]["end"]
        inside = [s for s in gold_spans if a <= s.start and s.end <= b]
        local = [type(s)(s.start - a, s.end - a, s.label, s.value, s.approx, s.text) for s in inside]
        out.append({**task, "id": i + 1, "annotations": [{"id": i + 1, "completed_by": {"email": "a@example.org"},
                                                         "updated_at": "2026-12-01T10:00:00Z",
                                                         "result": span_results(local)}]})
    return out


def test_seed_round_trip_keeps_every_span(tmp_path):
    need_corpus()
    for seed_file in sorted((ANNOTATIONS / "seeds").glob("*.json")):
        doc, _ = read_any(seed_file)
        tasks = [p.task for p in export_passages([CORPUS / doc.path], None, CORPUS, max_chars=600)]
        covered = [(t["data"]["offset"], t["data"]["end"]) for t in tasks]
        in_tasks = [s for s in doc.spans if any(a <= s.start and s.end <= b for a, b in covered)]
        for t in tasks:
            assert t["data"]["corpus_path"] == doc.path and len(t["data"]["sha256"]) == 64
            assert len(t["data"]["text"]) <= 600
        export = tmp_path / f"{seed_file.stem}.json"
        export.write_text(json.dumps(annotate_like_label_studio(tasks, doc.spans), ensure_ascii=False), encoding="utf-8")
        folder = tmp_path / f"pulled-{seed_file.stem}"
        import_export(export, folder)
        back = [s for r in merged_pulls(folder) for s in r["spans"]]
        assert sorted((s["start"], s["end"], s["label"], s["value"], s["text"]) for s in back) == \
            sorted((s.start, s.end, s.label, s.value, s.text) for s in in_tasks)
        raw = (CORPUS / doc.path).read_bytes().decode("utf-8")
        assert all(raw[s["start"]:s["end"]] == s["text"] for s in back)


def test_long_report_is_split_with_offsets_back_to_the_report():
    text = ("一段叙述文字，共收到申请8件。\n" * 200)
    parts = passages(text, [(0, len(text))], max_chars=500)
    assert len(parts) > 5 and all(b - a <= 500 for a, b in parts)
    assert parts[0][0] == 0 and parts[-1][1] == len(text)
    assert all(parts[i][1] == parts[i + 1][0] for i in range(len(parts) - 1))
    assert all(text[b - 1] == "\n" for a, b in parts[:-1])


def test_repeated_pulls_replace_only_their_own_tasks(tmp_path):
    need_corpus()
    doc, _ = read_any(ANNOTATIONS / "seeds" / "001_3e2edf5fa8293980.json")
    tasks = [p.task for p in export_passages([CORPUS / doc.path], None, CORPUS, max_chars=800)]
    first = annotate_like_label_studio(tasks, doc.spans)
    (tmp_path / "e1.json").write_text(json.dumps(first, ensure_ascii=False), encoding="utf-8")
    folder = tmp_path / "pulled"
    p1 = import_export(tmp_path / "e1.json", folder)
    # the annotator corrects one task and it is pulled again; nothing else is touched
    target = next(t for t in first if t["annotations"][0]["result"])
    second = json.loads(json.dumps(target))
    results = second["annotations"][0]["result"]
    second["annotations"][0]["result"] = [r for r in results if r["id"] == results[0]["id"]]  # one region kept
    second["annotations"][0]["updated_at"] = "2026-12-02T10:00:00Z"
    (tmp_path / "e2.json").write_text(json.dumps([second], ensure_ascii=False), encoding="utf-8")
    p2 = import_export(tmp_path / "e2.json", folder)
    assert p1 != p2 and p1.exists() and p2.exists()  # a new file per pull
    merged = merged_pulls(folder)
    assert len(merged) == len([t for t in first if t["annotations"]])
    again = next(r for r in merged if r["region"][0] == target["data"]["offset"])
    assert again["pull_file"] == str(p2) and len(again["spans"]) == 1
    others = [r for r in merged if r["region"][0] != target["data"]["offset"]]
    assert all(r["pull_file"] == str(p1) for r in others)


def test_pulled_corpus_annotations_stay_stand_off_and_feed_training(tmp_path):
    need_corpus()
    import shutil

    root = tmp_path / "annotations"
    shutil.copytree(ANNOTATIONS, root)
    doc, _ = read_any(ANNOTATIONS / "seeds" / "001_3e2edf5fa8293980.json")
    tasks = [p.task for p in export_passages([CORPUS / doc.path], None, CORPUS, max_chars=800)]
    pull = tasks_to_pull(annotate_like_label_studio(tasks[:1], doc.spans), "test")
    assert all("text" not in r for r in pull["tasks"])  # a corpus text is never copied into the pull
    (root / "pulled").mkdir(exist_ok=True)
    (root / "pulled" / "pull-test.json").write_text(json.dumps(pull, ensure_ascii=False), encoding="utf-8")
    items = load_annotated(CORPUS, root)
    passage = [i for i in items if i.path.startswith("seeds/001_3e2edf5fa8293980.txt#")]
    assert len(passage) == 1 and passage[0].role == "train"
    base = next(i for i in items if i.path == "seeds/001_3e2edf5fa8293980.txt")
    a, b = tasks[0]["data"]["offset"], tasks[0]["data"]["end"]
    assert not any(a <= s.start < b for s in base.spans)  # the pulled passage replaced the file's labels there
    assert len(passage[0].spans) == len([s for s in doc.spans if a <= s.start and s.end <= b])


def test_push_without_a_reachable_server_is_one_clear_line(tmp_path):
    import subprocess
    import sys

    tasks = tmp_path / "t.json"
    tasks.write_text("[]", encoding="utf-8")
    env = {"PATH": "/usr/bin:/bin", "LABEL_STUDIO_URL": "http://127.0.0.1:9", "LABEL_STUDIO_API_KEY": "x"}
    run = subprocess.run([sys.executable, "-m", "extractor", "ls", "push", str(tasks), "--project", "xxgk test"],
                         capture_output=True, text=True, cwd=ROOT, env=env)
    assert run.returncode == 1
    assert run.stderr.startswith("xxgk: cannot reach Label Studio") and "Traceback" not in run.stderr
    missing = subprocess.run([sys.executable, "-m", "extractor", "ls", "pull"], capture_output=True, text=True,
                             cwd=ROOT, env={"PATH": "/usr/bin:/bin"})
    assert missing.returncode == 2 and "LABEL_STUDIO_URL" in missing.stderr
