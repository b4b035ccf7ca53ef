"""Stand-off annotations of corpus texts: load, validate, and convert to and from Label Studio tasks.

The corpus texts may not be copied into the repository, so an annotation file stores the corpus
path, the sha256 of the file's bytes and character offsets into the decoded (UTF-8) file text.
Schema of one file (annotations/corpus/<id>.json), documented in annotations/README.md:

    {"path": "pages/p004.txt", "sha256": "...", "regions": [[0, 812]],
     "spans": [{"start": 10, "end": 15, "label": "PUB_TOTAL", "value": 2949, "approx": null, "text": "2949条"}],
     "annotator": "...", "reviewed": false, "reviewer": null, "notes": ""}

`regions` are the narrative character ranges that were read and labeled in full (outside them,
e.g. in the statistical tables, nothing is claimed).
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Iterable

from extractor.contract import APPROX_VALUES, LABELS

REPO = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = (REPO.parent / "shared" / "corpus").resolve()


class AnnotationError(ValueError):
    """A stand-off annotation that does not fit its corpus file or the contract."""


@dataclass
class Span:
    start: int
    end: int
    label: str
    value: float | int
    approx: str | None
    text: str


@dataclass
class StandoffDoc:
    path: str
    sha256: str
    spans: list[Span]
    regions: list[tuple[int, int]]
    annotator: str = ""
    reviewed: bool = False
    reviewer: str | None = None
    notes: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        out = {"path": self.path, "sha256": self.sha256, "regions": [list(r) for r in self.regions],
               "spans": [asdict(s) for s in sorted(self.spans, key=lambda s: (s.start, s.end))],
               "annotator": self.annotator, "reviewed": self.reviewed, "reviewer": self.reviewer,
               "notes": self.notes}
        out.update(self.extra)
        return out


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def read_standoff(file: Path) -> StandoffDoc:
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise AnnotationError(f"{file}: cannot read annotation file: {exc}") from exc
    known = {"path", "sha256", "regions", "spans", "annotator", "reviewed", "reviewer", "notes"}
    try:
        return StandoffDoc(
            path=data["path"], sha256=data["sha256"],
            spans=[Span(int(s["start"]), int(s["end"]), s["label"], s["value"], s.get("approx"), s["text"])
                   for s in data["spans"]],
            regions=[(int(a), int(b)) for a, b in data.get("regions") or []],
            annotator=data.get("annotator", ""), reviewed=bool(data.get("reviewed", False)),
            reviewer=data.get("reviewer"), notes=data.get("notes", ""),
            extra={k: v for k, v in data.items() if k not in known})
    except (KeyError, TypeError, ValueError) as exc:
        raise AnnotationError(f"{file}: malformed annotation ({exc!r})") from exc


def write_standoff(doc: StandoffDoc, file: Path) -> None:
    file.parent.mkdir(parents=True, exist_ok=True)
    file.write_text(json.dumps(doc.to_json(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def resolve_text(doc: StandoffDoc, corpus: Path = DEFAULT_CORPUS) -> str:
    """The decoded text the offsets index; refuses a file whose bytes changed since annotation."""
    file = corpus / doc.path
    if not file.is_file():
        raise AnnotationError(f"{doc.path}: not found under corpus folder {corpus}")
    digest = sha256_of(file)
    if digest != doc.sha256:
        raise AnnotationError(f"{doc.path}: file changed since it was annotated "
                              f"(sha256 {digest[:12]}… != recorded {doc.sha256[:12]}…); re-annotate it")
    return file.read_bytes().decode("utf-8")


def validate(doc: StandoffDoc, text: str, where: str = "") -> list[str]:
    """Every problem of one annotated text: offsets, span characters, labels, values, approx, overlaps."""
    where = where or doc.path
    problems: list[str] = []
    for a, b in doc.regions:
        if not 0 <= a < b <= len(text):
            problems.append(f"{where}: region [{a}, {b}) outside the text (length {len(text)})")
    last_end = -1
    for s in sorted(doc.spans, key=lambda s: (s.start, s.end)):
        tag = f"{where}: span {s.start}-{s.end} {s.text!r}"
        if not 0 <= s.start < s.end <= len(text):
            problems.append(f"{tag}: offsets outside the text")
            continue
        if text[s.start:s.end] != s.text:
            problems.append(f"{tag}: the file has {text[s.start:s.end]!r} there")
        if s.label not in LABELS:
            problems.append(f"{tag}: label {s.label!r} is not a contract label")
        if isinstance(s.value, bool) or not isinstance(s.value, (int, float)):
            problems.append(f"{tag}: value {s.value!r} is not a number")
        if s.approx not in APPROX_VALUES:
            problems.append(f"{tag}: approx {s.approx!r} not one of {APPROX_VALUES}")
        if s.start < last_end:
            problems.append(f"{tag}: overlaps the previous span")
        if doc.regions and not any(a <= s.start and s.end <= b for a, b in doc.regions):
            problems.append(f"{tag}: lies outside every annotated region")
        last_end = max(last_end, s.end)
    return problems


# ---- Label Studio ---------------------------------------------------------------------------
# A task carries the text inline; each span becomes a `labels` result plus per-region `value`
# (textarea) and `approx` (choices) results sharing its id, as the config in
# annotations/labeling_config.xml declares.

def _region_id(span: Span) -> str:
    return f"s{span.start}_{span.end}"


def span_results(spans: Iterable[Span], origin: str = "manual") -> list[dict[str, Any]]:
    """Label Studio results for spans; origin "manual" for annotations, "prediction" for pre-annotations."""
    results: list[dict[str, Any]] = []
    for s in spans:
        rid = _region_id(s)
        base = {"id": rid, "to_name": "text", "origin": origin}
        results.append({**base, "from_name": "label", "type": "labels",
                        "value": {"start": s.start, "end": s.end, "text": s.text, "labels": [s.label]}})
        results.append({**base, "from_name": "value", "type": "textarea",
                        "value": {"start": s.start, "end": s.end, "text": [str(s.value)]}})
        if s.approx:
            results.append({**base, "from_name": "approx", "type": "choices",
                            "value": {"start": s.start, "end": s.end, "choices": [s.approx]}})
    return results


def _number(text: str) -> int | float:
    value = float(text)
    return int(value) if value.is_integer() and "." not in text else value


def spans_from_results(results: list[dict[str, Any]]) -> list[Span]:
    """Spans from Label Studio results (an export's `annotations[].result` or `predictions[].result`)."""
    by_id: dict[str, dict[str, Any]] = {}
    for r in results:
        rid = r.get("id") or f"{r['value'].get('start')}_{r['value'].get('end')}"
        entry = by_id.setdefault(rid, {})
        v = r.get("value", {})
        if r.get("type") == "labels":
            entry.update(start=v["start"], end=v["end"], text=v.get("text", ""), label=v["labels"][0])
        elif r.get("type") == "textarea" and r.get("from_name") == "value":
            entry["value"] = v["text"][0] if isinstance(v.get("text"), list) else v.get("text")
        elif r.get("type") == "choices" and r.get("from_name") == "approx":
            entry["approx"] = (v.get("choices") or [None])[0]
    spans = []
    for rid, e in by_id.items():
        if "label" not in e:
            continue
        raw = e.get("value")
        value: int | float
        if raw in (None, ""):
            from extractor.numbers import parse_quantity  # value left empty by an annotator: parse it
            q = parse_quantity(e["text"], money=e["label"] in ("PROC_AMOUNT", "FEE_AMOUNT"))
            if q is None:
                raise AnnotationError(f"region {rid} {e['text']!r}: no value and none can be parsed")
            value = q.value
        else:
            value = _number(str(raw))
        spans.append(Span(e["start"], e["end"], e["label"], value, e.get("approx"), e["text"]))
    return sorted(spans, key=lambda s: (s.start, s.end))


def to_label_studio(doc: StandoffDoc, text: str) -> dict[str, Any]:
    """A full Label Studio task (text inline) for one stand-off document."""
    return {"data": {"text": text, "corpus_path": doc.path, "sha256": doc.sha256,
                     "regions": [list(r) for r in doc.regions]},
            "annotations": [{"result": span_results(doc.spans),
                             "completed_by": doc.annotator or None,
                             "meta": {"reviewed": doc.reviewed, "reviewer": doc.reviewer, "notes": doc.notes}}]}


def from_label_studio(task: dict[str, Any], annotation_index: int = -1) -> StandoffDoc:
    """Back to stand-off: drops the inline text, keeps path, hash and offsets."""
    data = task["data"]
    if "corpus_path" not in data or "sha256" not in data:
        raise AnnotationError("task has no data.corpus_path / data.sha256: it is not a corpus text")
    anns = task.get("annotations") or []
    if not anns:
        raise AnnotationError(f"{data['corpus_path']}: task has no annotation")
    ann = anns[annotation_index]
    meta = ann.get("meta") or {}
    regions = [tuple(r) for r in data.get("regions") or [[0, len(data.get("text", ""))]]]
    completed_by = ann.get("completed_by")
    annotator = completed_by.get("email", "") if isinstance(completed_by, dict) else str(completed_by or "")
    return StandoffDoc(path=data["corpus_path"], sha256=data["sha256"], spans=spans_from_results(ann["result"]),
                       regions=regions, annotator=annotator, reviewed=bool(meta.get("reviewed", False)),
                       reviewer=meta.get("reviewer"), notes=meta.get("notes", ""))


def main(argv: list[str] | None = None) -> int:
    """`python -m training.standoff FILE...`: validate annotation files against the corpus."""
    import sys

    args = sys.argv[1:] if argv is None else argv
    bad = 0
    for name in args:
        try:
            doc = read_standoff(Path(name))
            problems = validate(doc, resolve_text(doc), where=name)
        except AnnotationError as exc:
            problems = [str(exc)]
        for p in problems:
            print(p)
        bad += bool(problems)
        if not problems:
            print(f"{name}: ok ({len(doc.spans)} spans)")
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
