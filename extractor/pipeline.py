"""The flow of one report, stage by stage: load → normalize → segment → tables | tagger → merge → checks.

Each stage is a component registered by name that reads and fills one `Doc`; the pipeline is a
list of names (data), so a stage can be replaced or left out (`--no-model` drops the tagger).
`extract()` is the library's entry point; the CLI is a thin shell over it.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from extractor.checks import run_checks
from extractor.load import LoadedText, load
from extractor.normalize import NormalizedText, normalize
from extractor.report import Report
from extractor.segment import Section, find_sections, find_title
from extractor.tables import TableResult, decide_template, parse_tables, table_zones

DEFAULT_PIPELINE: tuple[str, ...] = ("normalize", "segment", "tables", "tagger", "merge", "checks")


@dataclass
class Doc:
    """What the stages share about one report."""

    loaded: LoadedText
    options: dict = field(default_factory=dict)
    norm: NormalizedText | None = None
    sections: list[Section] = field(default_factory=list)
    agency: str | None = None
    year: int | None = None
    tables: TableResult = field(default_factory=TableResult)
    template: str = "none"
    narrative: list[tuple[int, int]] = field(default_factory=list)  # text ranges outside the tables
    report: Report | None = None
    tagged: list = field(default_factory=list)  # extractor.report.Mention from the tagger

    @property
    def text(self) -> str:
        assert self.norm is not None, "normalize runs first"
        return self.norm.text


Component = Callable[[Doc], None]
COMPONENTS: dict[str, Component] = {}


def component(name: str) -> Callable[[Component], Component]:
    def register(fn: Component) -> Component:
        COMPONENTS[name] = fn
        return fn
    return register


@component("normalize")
def normalize_stage(doc: Doc) -> None:
    doc.norm = normalize(doc.loaded.text)


@component("segment")
def segment_stage(doc: Doc) -> None:
    doc.sections = find_sections(doc.text)
    doc.agency, doc.year = find_title(doc.text)


@component("tables")
def tables_stage(doc: Doc) -> None:
    doc.tables = parse_tables(doc.text, doc.sections, doc.year)
    doc.template = decide_template(doc.tables, doc.year)
    zones = table_zones(doc.tables)
    narrative, pos = [], 0
    for a, b in zones:
        if a > pos:
            narrative.append((pos, a))
        pos = max(pos, b)
    if pos < len(doc.text):
        narrative.append((pos, len(doc.text)))
    doc.narrative = narrative


@component("tagger")
def tagger_stage(doc: Doc) -> None:
    model = doc.options.get("model")
    if model is None:
        return
    doc.tagged = model.predict(doc.text, doc.narrative)  # narrative ranges only: never the tables


@component("merge")
def merge_stage(doc: Doc) -> None:
    from extractor.merge import merge

    doc.report = merge(doc)


@component("checks")
def checks_stage(doc: Doc) -> None:
    assert doc.report is not None, "merge runs before checks"
    doc.report.checks = run_checks(doc.report.metrics) + doc.report.checks


def run_doc(loaded: LoadedText, pipeline: tuple[str, ...] = DEFAULT_PIPELINE, **options: object) -> Doc:
    """Run the stages and return the whole Doc (normalized text, offset map, narrative ranges, report)."""
    doc = Doc(loaded, dict(options))
    for name in pipeline:
        COMPONENTS[name](doc)
    return doc


def run_pipeline(loaded: LoadedText, pipeline: tuple[str, ...] = DEFAULT_PIPELINE, **options: object) -> Report:
    report = run_doc(loaded, pipeline, **options).report
    assert report is not None
    return report


def extract(path_or_text: str | Path, *, model: object | None = None, pipeline: tuple[str, ...] = DEFAULT_PIPELINE,
            source: str | None = None) -> Report:
    """Extract one report. `path_or_text` is a file path, or the report's text itself.

    `model`: a loaded tagger (extractor.tagger.Tagger) or None for tables only.
    Raises extractor.errors.InputError for a file that cannot be read.
    """
    if _is_path(path_or_text):
        loaded = load(path_or_text)
    else:
        loaded = LoadedText(source or "<text>", str(path_or_text), "text")
    return run_pipeline(loaded, pipeline, model=model)


def _is_path(value: str | Path) -> bool:
    if isinstance(value, Path):
        return True
    if not value.strip() or "\n" in value or len(value.encode("utf-8")) > 1024:
        return False
    try:
        return Path(value).exists() or Path(value).suffix.lower() in {".txt", ".md", ".html", ".htm", ".docx", ".pdf"}
    except OSError:  # not a usable file name: it is text
        return False
