"""All labeled data of the project, read from annotations/: corpus texts (stand-off), benchmark
texts (stand-off), and the seeds (Label Studio tasks with the text inline).

`load_annotated()` resolves every file against the corpus and returns `AnnotatedText`s with
their spans moved into the normalized text the extractor and the model read.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from extractor.normalize import normalize
from training.standoff import (DEFAULT_CORPUS, REPO, AnnotationError, Span, StandoffDoc, from_label_studio,
                               read_standoff, resolve_text, validate)

ANNOTATIONS = REPO / "annotations"
SOURCES = ("corpus", "benchmark", "seeds")


@dataclass
class AnnotatedText:
    path: str  # corpus-relative path: the report's identity
    file: Path  # the annotation file
    role: str  # train | dev | benchmark
    raw: str  # the decoded file text the stand-off offsets index
    text: str  # normalized text (what the extractor reads)
    spans: list[Span]  # in normalized offsets
    regions: list[tuple[int, int]]  # in normalized offsets
    reviewed: bool
    annotator: str


def roles(root: Path = ANNOTATIONS) -> dict[str, str]:
    return json.loads((root / "split.json").read_text(encoding="utf-8"))["roles"]


def read_any(file: Path) -> tuple[StandoffDoc, str | None]:
    """A stand-off file, or a Label Studio task (then also the inline text)."""
    data = json.loads(file.read_text(encoding="utf-8"))
    if isinstance(data, dict) and "data" in data and "annotations" in data:
        return from_label_studio(data), data["data"].get("text")
    return read_standoff(file), None


def annotation_files(root: Path = ANNOTATIONS, sources: Iterable[str] = SOURCES) -> list[Path]:
    files: list[Path] = []
    for source in sources:
        files += sorted((root / source).glob("*.json"))
    return files


def to_normalized(doc: StandoffDoc, raw: str) -> tuple[str, list[Span], list[tuple[int, int]]]:
    norm = normalize(raw)
    spans = []
    for s in doc.spans:
        a, b = norm.to_normalized(s.start), norm.to_normalized(s.end)
        spans.append(Span(a, b, s.label, s.value, s.approx, norm.text[a:b]))
    regions = [(norm.to_normalized(a), norm.to_normalized(b)) for a, b in doc.regions]
    return norm.text, spans, regions


def load_annotated(corpus: Path = DEFAULT_CORPUS, root: Path = ANNOTATIONS,
                   sources: Iterable[str] = SOURCES) -> list[AnnotatedText]:
    """Every annotated text; raises AnnotationError on the first file that does not validate."""
    split = roles(root)
    out: list[AnnotatedText] = []
    seen: dict[str, Path] = {}
    for file in annotation_files(root, sources):
        doc, inline = read_any(file)
        raw = resolve_text(doc, corpus)
        if inline is not None and inline != raw:
            raise AnnotationError(f"{file}: inline text differs from {doc.path} in the corpus")
        problems = validate(doc, raw, where=str(file))
        if problems:
            raise AnnotationError("; ".join(problems[:5]))
        if doc.path in seen and file.parent.name != "pulled":
            raise AnnotationError(f"{file}: {doc.path} is annotated twice (also in {seen[doc.path]})")
        seen[doc.path] = file
        text, spans, regions = to_normalized(doc, raw)
        role = split.get(doc.path, "train")
        if file.parent.name == "benchmark" and role != "benchmark":
            raise AnnotationError(f"{file}: in annotations/benchmark/ but split.json gives it role {role}")
        if role == "benchmark" and file.parent.name != "benchmark":
            raise AnnotationError(f"{file}: {doc.path} is a benchmark text; it belongs in annotations/benchmark/")
        out.append(AnnotatedText(doc.path, file, role, raw, text, spans, regions or [(0, len(text))],
                                 doc.reviewed, doc.annotator))
    pulled = pulled_items(corpus, root / "pulled", split) if (root / "pulled").is_dir() else []
    for p in pulled:  # a pulled passage replaces what the report's file said inside that passage
        base = next((i for i in out if i.path == p.path.split("#")[0]), None)
        if base is not None:
            cut_out(base, p)
    return out + pulled


def cut_out(base: AnnotatedText, passage: AnnotatedText) -> None:
    norm = normalize(base.raw)
    a, b = (int(x) for x in passage.path.split("#")[1].split("-"))
    na, nb = norm.to_normalized(a), norm.to_normalized(b)
    regions = []
    for ra, rb in base.regions:
        if rb <= na or ra >= nb:
            regions.append((ra, rb))
            continue
        if ra < na:
            regions.append((ra, na))
        if rb > nb:
            regions.append((nb, rb))
    base.regions = regions
    base.spans = [s for s in base.spans if s.end <= na or s.start >= nb]


def pulled_items(corpus: Path, folder: Path, split: dict[str, str]) -> list[AnnotatedText]:
    """Passages pulled from Label Studio (training/labelstudio.py), the latest pull of each winning."""
    from training.labelstudio import merged_pulls

    items = []
    for record in merged_pulls(folder):
        a, b = record["region"]
        if record.get("corpus_path"):
            doc = StandoffDoc(record["corpus_path"], record["sha256"], [], [(a, b)])
            raw = resolve_text(doc, corpus)[a:b]
            key, role = record["corpus_path"], split.get(record["corpus_path"], "train")
        else:
            raw, key, role = record["text"], record["report"], "train"
        spans = [Span(x["start"] - a, x["end"] - a, x["label"], x["value"], x.get("approx"), x["text"])
                 for x in record["spans"]]
        doc = StandoffDoc(f"{key}#{a}-{b}", record.get("sha256", ""), spans, [(0, len(raw))])
        problems = validate(doc, raw, where=f"{record['pull_file']} task {record.get('task_id')}")
        if problems:
            raise AnnotationError("; ".join(problems[:5]))
        text, nspans, regions = to_normalized(doc, raw)
        items.append(AnnotatedText(doc.path, Path(record["pull_file"]), role, raw, text, nspans, regions, True,
                                   record.get("annotator", "")))
    return items


def load_folder(folder: Path, corpus: Path = DEFAULT_CORPUS) -> list[AnnotatedText]:
    """The annotated texts of one folder (e.g. annotations/benchmark), whatever their role."""
    folder = Path(folder)
    if not folder.is_dir():
        raise AnnotationError(f"{folder}: no such folder of annotation files")
    split = roles()
    out = []
    for file in sorted(folder.glob("*.json")):
        doc, inline = read_any(file)
        raw = inline if inline is not None and not (corpus / doc.path).exists() else resolve_text(doc, corpus)
        problems = validate(doc, raw, where=str(file))
        if problems:
            raise AnnotationError("; ".join(problems[:5]))
        text, spans, regions = to_normalized(doc, raw)
        out.append(AnnotatedText(doc.path, file, split.get(doc.path, "train"), raw, text, spans,
                                 regions or [(0, len(text))], doc.reviewed, doc.annotator))
    if not out:
        raise AnnotationError(f"{folder}: no annotation files")
    return out
