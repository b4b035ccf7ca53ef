"""`xxgk annotations stats`: counts per label and split, review state, validation and agreement."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from extractor.contract import LABELS, MONEY_LABELS
from extractor.numbers import parse_quantity
from training.data import ANNOTATIONS, AnnotatedText, load_annotated, read_any
from training.standoff import DEFAULT_CORPUS, Span, resolve_text, validate


@dataclass
class Stats:
    texts: Counter = field(default_factory=Counter)  # role -> texts
    reviewed: Counter = field(default_factory=Counter)  # role -> reviewed texts
    labels: dict[str, Counter] = field(default_factory=dict)  # role -> label -> spans
    problems: list[str] = field(default_factory=list)


def value_problems(item: AnnotatedText) -> list[str]:
    """Spans whose recorded value or approx is not what their characters say."""
    problems = []
    for s in item.spans:
        q = parse_quantity(s.text, money=s.label in MONEY_LABELS)
        if q is None:
            problems.append(f"{item.file}: span {s.text!r} ({s.label}): no quantity can be parsed from it")
        elif abs(float(q.value) - float(s.value)) > 1e-6 * max(1.0, abs(float(s.value))):
            problems.append(f"{item.file}: span {s.text!r} ({s.label}): value {s.value} but the text says {q.value}")
        elif q.approx != s.approx:
            problems.append(f"{item.file}: span {s.text!r} ({s.label}): approx {s.approx} but the text says {q.approx}")
    return problems


def compute_stats(corpus: Path = DEFAULT_CORPUS, root: Path = ANNOTATIONS) -> Stats:
    stats = Stats()
    items = load_annotated(corpus, root)
    for item in items:
        stats.texts[item.role] += 1
        stats.reviewed[item.role] += item.reviewed
        counter = stats.labels.setdefault(item.role, Counter())
        counter.update(s.label for s in item.spans)
        stats.problems += value_problems(item)
    return stats


# ---- agreement --------------------------------------------------------------------------------

def _f1(tp: int, n_a: int, n_b: int) -> float:
    return 2 * tp / (n_a + n_b) if n_a + n_b else 1.0


def agreement_sets(root: Path = ANNOTATIONS) -> list[str]:
    return sorted(p.name for p in (root / "agreement").iterdir() if p.is_dir() and p.name != "first")


def agreement(root: Path = ANNOTATIONS, corpus: Path = DEFAULT_CORPUS, second_set: str = "annot-e") -> dict[str, object]:
    """Span-level and (label, value) F1 between two annotations of the same texts: the first pass
    (annotations/agreement/first/<id>.json, as the first annotator left it before review) and a
    second annotator's (annotations/agreement/<second_set>/<id>.json)."""
    pairs = []
    for second in sorted((root / "agreement" / second_set).glob("*.json")):
        first = root / "agreement" / "first" / second.name
        if first.exists():
            pairs.append((first, second))
    span_tp: Counter = Counter()
    span_a: Counter = Counter()
    span_b: Counter = Counter()
    val_tp: Counter = Counter()
    val_a: Counter = Counter()
    val_b: Counter = Counter()
    for first, second in pairs:
        docs = []
        for f in (first, second):
            doc, _ = read_any(f)
            raw = resolve_text(doc, corpus)
            problems = validate(doc, raw, str(f))
            if problems:
                raise ValueError("; ".join(problems[:3]))
            docs.append(doc)
        # compare only inside the ranges both annotators read
        regions_a, regions_b = docs[0].regions, docs[1].regions

        def inside(s: Span, regions) -> bool:
            return any(a <= s.start and s.end <= b for a, b in regions) if regions else True

        a = [s for s in docs[0].spans if inside(s, regions_b)]
        b = [s for s in docs[1].spans if inside(s, regions_a)]
        sa = Counter((s.start, s.end, s.label) for s in a)
        sb = Counter((s.start, s.end, s.label) for s in b)
        va = Counter((s.label, float(s.value)) for s in a)
        vb = Counter((s.label, float(s.value)) for s in b)
        for key, n in (sa & sb).items():
            span_tp[key[2]] += n
        for key, n in sa.items():
            span_a[key[2]] += n
        for key, n in sb.items():
            span_b[key[2]] += n
        for key, n in (va & vb).items():
            val_tp[key[0]] += n
        for key, n in va.items():
            val_a[key[0]] += n
        for key, n in vb.items():
            val_b[key[0]] += n
    per_label = {}
    for label in LABELS:
        if span_a[label] or span_b[label]:
            per_label[label] = {"spans_first": span_a[label], "spans_second": span_b[label],
                                "span_f1": round(_f1(span_tp[label], span_a[label], span_b[label]), 3),
                                "label_value_f1": round(_f1(val_tp[label], val_a[label], val_b[label]), 3)}
    return {"texts": len(pairs),
            "span_f1": round(_f1(sum(span_tp.values()), sum(span_a.values()), sum(span_b.values())), 3),
            "label_value_f1": round(_f1(sum(val_tp.values()), sum(val_a.values()), sum(val_b.values())), 3),
            "per_label": per_label}
