"""Score a tagger on annotated texts (`xxgk evaluate`, `make evaluate`).

Two scores, as the issue asks: entity precision/recall/F1 per label with seqeval (strict spans,
IOB2 over the characters of the annotated regions), and the (label, value) F1 of contract
mentions (per text, a multiset of (label, value) pairs). The same scorer serves the model, the
ablation and the baseline, so their numbers compare.
"""
from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Callable

from extractor.contract import LABELS
from extractor.report import Mention
from training.data import AnnotatedText

Predict = Callable[[str, list[tuple[int, int]]], list[Mention]]


def _bio(length: int, spans: list[tuple[int, int, str]], offset: int) -> list[str]:
    tags = ["O"] * length
    for a, b, label in spans:
        a, b = a - offset, b - offset
        if 0 <= a < b <= length:
            tags[a] = f"B-{label}"
            for i in range(a + 1, b):
                tags[i] = f"I-{label}"
    return tags


def _f1(tp: int, n_pred: int, n_gold: int) -> dict[str, float]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(2 * p * r / (p + r), 4) if p + r else 0.0,
            "support": n_gold}


def score(items: list[AnnotatedText], predict: Predict) -> dict[str, object]:
    from seqeval.metrics import classification_report
    from seqeval.scheme import IOB2

    y_true, y_pred = [], []
    tp, n_pred, n_gold = Counter(), Counter(), Counter()
    for item in items:
        predicted = predict(item.text, item.regions)
        for a, b in item.regions:
            gold_spans = [(s.start, s.end, s.label) for s in item.spans if a <= s.start and s.end <= b]
            pred_spans = [(m.start, m.end, m.label) for m in predicted if a <= m.start and m.end <= b]
            y_true.append(_bio(b - a, gold_spans, a))
            y_pred.append(_bio(b - a, pred_spans, a))
        gold_pairs = Counter((s.label, round(float(s.value), 6)) for s in item.spans)
        pred_pairs = Counter((m.label, round(float(m.value), 6)) for m in predicted)
        for (label, _), n in (gold_pairs & pred_pairs).items():
            tp[label] += n
        for (label, _), n in pred_pairs.items():
            n_pred[label] += n
        for (label, _), n in gold_pairs.items():
            n_gold[label] += n
    report = classification_report(y_true, y_pred, mode="strict", scheme=IOB2, output_dict=True, zero_division=0)
    entity = {k: {"precision": round(v["precision"], 4), "recall": round(v["recall"], 4), "f1": round(v["f1-score"], 4),
                  "support": int(v["support"])} for k, v in report.items()}
    mention = {label: _f1(tp[label], n_pred[label], n_gold[label]) for label in LABELS if n_pred[label] or n_gold[label]}
    mention["micro"] = _f1(sum(tp.values()), sum(n_pred.values()), sum(n_gold.values()))
    return {"texts": len(items), "entity": entity, "mention": mention}


def print_scores(name: str, result: dict[str, object], console=None) -> None:
    from rich.console import Console
    from rich.table import Table

    console = console or Console()
    table = Table(title=f"{name}: {result['texts']} texts")
    for col in ("label", "entity P", "entity R", "entity F1", "(label,value) F1", "support"):
        table.add_column(col, justify="right" if col != "label" else "left")
    entity, mention = result["entity"], result["mention"]
    for label in [*LABELS, "micro avg"]:
        e = entity.get(label)
        m = mention.get("micro" if label == "micro avg" else label)
        if e is None and m is None:
            continue
        table.add_row(label, *(f"{e[k]:.3f}" if e else "-" for k in ("precision", "recall", "f1")),
                      f"{m['f1']:.3f}" if m else "-", str((e or m)["support"]))
    console.print(table)


def write_results(results: dict[str, object], path: Path) -> None:
    path.write_text(json.dumps(results, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
