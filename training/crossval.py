"""K-fold cross-validation of the candidate classifier on train + dev (`make crossval`).

Model choices for the classifier (features, C) are made here, never on the benchmark: the folds
are grouped by agency (reports of one agency share paragraphs year to year, so they never sit on
both sides of a fold), and each fold is scored by the same scorer as `xxgk evaluate`.
"""
from __future__ import annotations

import argparse
import json
from collections import Counter

from training.baseline import QuantityBaseline
from training.data import AnnotatedText, load_annotated
from training.evaluate import score
from training.split import agencies
from training.standoff import DEFAULT_CORPUS


def folds(items: list[AnnotatedText], k: int, corpus=DEFAULT_CORPUS) -> list[tuple[list[AnnotatedText], list[AnnotatedText]]]:
    from sklearn.model_selection import GroupKFold

    owner = agencies(corpus)
    groups = [owner.get(item.path, item.path) for item in items]
    return [([items[i] for i in train], [items[i] for i in test])
            for train, test in GroupKFold(n_splits=k).split(items, groups=groups)]


def crossval(C: float = QuantityBaseline.C, k: int = 5, corpus=DEFAULT_CORPUS) -> dict[str, object]:
    """Micro (label, value) F1 over all held-out folds, and per fold."""
    items = [i for i in load_annotated(corpus) if i.role in ("train", "dev")]
    totals: Counter = Counter()
    per_fold = []
    for train, test in folds(items, k, corpus):
        result = score(test, QuantityBaseline(C=C).fit(train).predict)["mention"]["micro"]
        per_fold.append(result["f1"])
        tp = round(result["recall"] * result["support"])
        n_pred = round(tp / result["precision"]) if result["precision"] else 0
        totals.update(tp=tp, pred=n_pred, gold=result["support"])
    p = totals["tp"] / totals["pred"] if totals["pred"] else 0.0
    r = totals["tp"] / totals["gold"] if totals["gold"] else 0.0
    return {"C": C, "folds": k, "texts": len(items), "mentions": totals["gold"],
            "f1": round(2 * p * r / (p + r), 4) if p + r else 0.0, "precision": round(p, 4), "recall": round(r, 4),
            "f1_by_fold": per_fold}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--C", type=float, nargs="+", default=[QuantityBaseline.C])
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--corpus", default=DEFAULT_CORPUS)
    args = parser.parse_args()
    for C in args.C:
        print(json.dumps(crossval(C, args.folds, args.corpus), ensure_ascii=False))


if __name__ == "__main__":
    main()
