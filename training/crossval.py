"""K-fold cross-validation of the candidate classifier on train + dev (`make crossval`).

Model choices for the classifier (features, C) are made here, never on the benchmark: the folds
are grouped by agency (reports of one agency share paragraphs year to year, so they never sit on
both sides of a fold), and each fold is scored by the same scorer as `xxgk evaluate`.
"""
from __future__ import annotations

import argparse
import json
from training.baseline import QuantityBaseline
from training.data import AnnotatedText, load_annotated
from training.evaluate import score
from training.split import agencies
from training.standoff import DEFAULT_CORPUS


def folds(items: list[AnnotatedText], k: int, corpus=DEFAULT_CORPUS) -> list[tuple[list[AnnotatedText], list[AnnotatedText]]]:
    from sklearn.model_selection import GroupKFold

    owner = agencies(corpus)
    # a pulled passage ("path#start-end") belongs to its report's agency
    groups = [owner.get(item.path.split("#")[0], item.path.split("#")[0]) for item in items]
    return [([items[i] for i in train], [items[i] for i in test])
            for train, test in GroupKFold(n_splits=k).split(items, groups=groups)]


def crossval(C: float = QuantityBaseline.C, k: int = 5, corpus=DEFAULT_CORPUS) -> dict[str, object]:
    """Micro (label, value) F1 over all held-out texts (each predicted by the model of its fold), and per fold."""
    items = [i for i in load_annotated(corpus) if i.role in ("train", "dev")]
    model_of: dict[str, QuantityBaseline] = {}  # a held-out text -> the model of its fold
    per_fold = []
    for train, test in folds(items, k, corpus):
        model = QuantityBaseline(C=C).fit(train)
        model_of.update({item.text: model for item in test})
        per_fold.append(score(test, model.predict)["mention"]["micro"]["f1"])
    overall = score(items, lambda text, regions: model_of[text].predict(text, regions))["mention"]["micro"]
    return {"C": C, "folds": k, "texts": len(items), "mentions": overall["support"], "f1": overall["f1"],
            "precision": overall["precision"], "recall": overall["recall"], "f1_by_fold": per_fold}


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
