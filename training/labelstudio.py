"""The Label Studio round trip: export reports as tasks with the model's pre-annotations, push
them to a server, pull (or import) finished annotations back into annotations/ stand-off.

A task holds one passage of a report's narrative text, as loaded (before normalization), so the
annotator sees the characters as published, and `data.offset` places it in the report:
report offset = data.offset + task offset. A task names its report (`data.report`, and
`data.corpus_path` when the report lies in the corpus) and the sha256 of the report file.
Server URL and API token come from options or $LABEL_STUDIO_URL / $LABEL_STUDIO_API_KEY and are
never written to any file.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

from extractor.load import load
from extractor.pipeline import run_doc
from training.standoff import DEFAULT_CORPUS, REPO, Span, span_results, spans_from_results

CONFIG_FILE = REPO / "annotations" / "labeling_config.xml"
PULLED = REPO / "annotations" / "pulled"
MAX_PASSAGE = 1500


def labeling_config() -> str:
    return CONFIG_FILE.read_text(encoding="utf-8")


def passages(text: str, regions: Iterable[tuple[int, int]], max_chars: int = MAX_PASSAGE) -> list[tuple[int, int]]:
    """Split ranges of `text` into passages of at most max_chars, at line ends where possible."""
    out = []
    for a, b in regions:
        while b - a > max_chars:
            cut = text.rfind("\n", a + max_chars // 2, a + max_chars)
            if cut < 0:
                cut = max(text.rfind("。", a + max_chars // 2, a + max_chars) + 1, a + max_chars // 2) \
                    if text.rfind("。", a + max_chars // 2, a + max_chars) >= 0 else a + max_chars
            else:
                cut += 1
            out.append((a, cut))
            a = cut
        if text[a:b].strip():
            out.append((a, b))
    return out


def _corpus_path(path: Path, corpus: Path) -> str | None:
    try:
        return str(path.resolve().relative_to(corpus.resolve()))
    except ValueError:
        return None


def model_version(tagger) -> str:  # noqa: ANN001
    """The model's name and a digest of every file its predictions depend on: the token classifier's
    weights, the candidate classifier beside it and the config (mixture, weight, windows)."""
    files = [Path(tagger.model) / name for name in ("model.safetensors", "candidate_classifier.safetensors", "config.json")]
    present = [f for f in files if f.exists()]
    digest = hashlib.sha256(b"".join(f.read_bytes() for f in present)).hexdigest()[:12] if present else "unknown"
    return f"{Path(tagger.model).name}@{digest}"


@dataclass
class Passage:
    task: dict[str, Any]
    uncertainty: float


def _read(tagger, text: str, regions: list[tuple[int, int]]) -> tuple[list, dict[int, float]]:  # noqa: ANN001
    """The tagger's mentions, and how sure it is where: the probability of its label at each
    quantity's start (a model with a candidate classifier: one pass gives both), else at each digit's
    character (sliding windows)."""
    if getattr(tagger, "classifier_", None) is not None and tagger.snap:
        from extractor.tagger import mentions_of

        labeled = tagger.label_quantities(text, regions)
        return mentions_of(text, labeled), {a: p for a, _, _, p in labeled}
    certainty = {c: tag[1] for c, tag in tagger.char_tags(text, regions).items() if text[c].isdigit()}
    return tagger.predict(text, regions), certainty


def export_passages(paths: Iterable[Path], tagger, corpus: Path = DEFAULT_CORPUS,  # noqa: ANN001
                    max_chars: int = MAX_PASSAGE) -> list[Passage]:
    version = model_version(tagger) if tagger is not None else None
    out: list[Passage] = []
    for path in paths:
        path = Path(path)
        loaded = load(path)
        doc = run_doc(loaded, model=None)
        norm = doc.norm
        narrative = [(norm.to_original(a), norm.to_original(b - 1) + 1) for a, b in doc.narrative if b > a]
        raw = loaded.text
        sha = hashlib.sha256(path.read_bytes()).hexdigest()
        mentions, certainty = _read(tagger, norm.text, doc.narrative) if tagger is not None else ([], {})
        for a, b in passages(raw, narrative, max_chars):
            spans = []
            scores = []
            for m in mentions:
                s, e = norm.to_original(m.start), norm.to_original(m.end - 1) + 1
                if a <= s and e <= b:
                    spans.append(Span(s - a, e - a, m.label, m.value, m.approx, raw[s:e]))
                    scores.append(m.score)
            na, nb = norm.to_normalized(a), norm.to_normalized(b)
            probs = [p for c, p in certainty.items() if na <= c < nb]
            uncertainty = 1 - min(probs) if probs else 0.0
            data = {"text": raw[a:b], "report": str(path), "sha256": sha, "offset": a, "end": b,
                    "corpus_path": _corpus_path(path, corpus)}
            task: dict[str, Any] = {"data": data}
            if version is not None:
                results = span_results(spans, origin="prediction")
                for r, s in zip([r for r in results if r["type"] == "labels"], spans):
                    r["score"] = next((sc for sp, sc in zip(spans, scores) if sp is s), None)
                task["predictions"] = [{"model_version": version, "score": round(sum(scores) / len(scores), 4) if scores else 1.0,
                                        "result": results}]
            out.append(Passage(task, round(uncertainty, 4)))
    return out


def select_uncertain(passages_: list[Passage], n: int) -> list[Passage]:
    """Active learning: the n passages whose least sure quantity the model is least sure about."""
    return sorted(passages_, key=lambda p: -p.uncertainty)[:n]


# ---- from Label Studio back to stand-off ---------------------------------------------------------

def tasks_to_pull(tasks: list[dict[str, Any]], source: str) -> dict[str, Any]:
    """Finished tasks (Label Studio JSON export or API tasks) -> one pull record (stand-off)."""
    records = []
    for task in tasks:
        data = task.get("data") or {}
        annotations = [a for a in task.get("annotations") or [] if not a.get("was_cancelled")]
        if not annotations or "offset" not in data:
            continue
        latest = max(annotations, key=lambda a: str(a.get("updated_at") or a.get("created_at") or ""))
        spans = spans_from_results(latest.get("result") or [])
        offset = int(data["offset"])
        completed_by = latest.get("completed_by")
        record = {"task_id": task.get("id"), "report": data.get("report"), "corpus_path": data.get("corpus_path"),
                  "sha256": data.get("sha256"), "region": [offset, offset + len(data.get("text", ""))],
                  "annotator": str(completed_by.get("email") if isinstance(completed_by, dict) else completed_by or ""),
                  "updated_at": str(latest.get("updated_at") or latest.get("created_at") or ""),
                  "spans": [{"start": s.start + offset, "end": s.end + offset, "label": s.label, "value": s.value,
                             "approx": s.approx, "text": s.text} for s in spans]}
        if not record["corpus_path"]:
            record["text"] = data.get("text", "")  # a user's own report: the passage travels with its labels
        records.append(record)
    return {"pulled_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"), "source": source,
            "tasks": records}


def write_pull(pull: dict[str, Any], folder: Path = PULLED) -> Path:
    """A new file per pull; never overwrites an earlier one."""
    folder.mkdir(parents=True, exist_ok=True)
    stamp = pull["pulled_at"].replace(":", "").replace("-", "").replace("+00:00", "Z").replace("+0000", "Z")
    n = 1 + max((int(p.name.split("-")[1]) for p in folder.glob("pull-*.json") if p.name.split("-")[1].isdigit()),
                default=0)
    path = folder / f"pull-{n:04d}-{stamp}.json"  # numbered: later pulls sort after earlier ones
    path.write_text(json.dumps(pull, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return path


def merged_pulls(folder: Path = PULLED) -> list[dict[str, Any]]:
    """Every pulled task, the latest pull winning when the same passage was pulled again."""
    latest: dict[tuple, dict[str, Any]] = {}
    for file in sorted(folder.glob("pull-*.json")):
        for record in json.loads(file.read_text(encoding="utf-8"))["tasks"]:
            key = (record.get("corpus_path") or record.get("report"), tuple(record["region"]))
            latest[key] = {**record, "pull_file": str(file)}
    return list(latest.values())


def import_export(export_file: Path, folder: Path = PULLED) -> Path:
    """`xxgk ls import EXPORT.json`: a Label Studio JSON export into annotations/pulled/."""
    tasks = json.loads(Path(export_file).read_text(encoding="utf-8"))
    if isinstance(tasks, dict):
        tasks = [tasks]
    return write_pull(tasks_to_pull(tasks, f"file:{Path(export_file).name}"), folder)


# ---- the server -----------------------------------------------------------------------------------

def client(url: str | None, token: str | None):
    from label_studio_sdk.client import LabelStudio

    url = url or os.environ.get("LABEL_STUDIO_URL")
    token = token or os.environ.get("LABEL_STUDIO_API_KEY")
    if not url or not token:
        raise ValueError("Label Studio URL and API token: pass --url/--token or set LABEL_STUDIO_URL/LABEL_STUDIO_API_KEY")
    return LabelStudio(base_url=url, api_key=token)


def find_or_create_project(ls, title: str) -> int:  # noqa: ANN001
    for project in ls.projects.list():
        if project.title == title:
            return project.id
    return ls.projects.create(title=title, label_config=labeling_config()).id


def push(tasks: list[dict[str, Any]], title: str, url: str | None = None, token: str | None = None) -> tuple[int, int]:
    ls = client(url, token)
    project = find_or_create_project(ls, title)
    ls.projects.import_tasks(id=project, request=tasks, return_task_ids=True)
    return project, len(tasks)


def pull(title: str, url: str | None = None, token: str | None = None, folder: Path = PULLED) -> Path:
    ls = client(url, token)
    project = find_or_create_project(ls, title)
    tasks = []
    for task in ls.tasks.list(project=project, fields="all"):
        record = task.dict() if hasattr(task, "dict") else dict(task)
        tasks.append(record)
    return write_pull(tasks_to_pull(tasks, f"label-studio project {title!r}"), folder)
