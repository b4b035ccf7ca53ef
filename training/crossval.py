"""K-fold cross-validation on train + dev: of the candidate classifier (`make crossval`), or of the
whole tagger fine-tuned from an encoder (`--tagger DIR`, slow: one fine-tuning a fold).

Model choices for the classifier (features, C) are made here, never on the benchmark: the folds
are grouped by agency (reports of one agency share paragraphs year to year, so they never sit on
both sides of a fold), and each fold is scored by the same scorer as `xxgk evaluate`.
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TYPE_CHECKING

from training.baseline import QuantityBaseline
from training.data import AnnotatedText, load_annotated
from training.evaluate import score
from training.split import agencies
from training.standoff import DEFAULT_CORPUS, REPO

if TYPE_CHECKING:
    from training.finetune import FinetuneArgs


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


def crossval_tagger(args: FinetuneArgs, k: int = 5, out_root: Path = REPO / "runs" / "crossval",
                    max_texts: int | None = None) -> dict[str, object]:
    """The same folds for the whole tagger: per fold, fine-tune the token classifier from
    `args.base_model` with the candidate classifier beside it (at `args.classifier_weight`; a fold has no dev split),
    then score the held-out texts as shipped and with the token classifier alone (weight 0, every
    quantity read). This is how two encoders or recipes should be compared; dev is too small. About
    12 minutes a fold on 2 CPU cores."""
    from dataclasses import replace

    from extractor.tagger import Tagger
    from training.finetune import finetune

    items = [i for i in load_annotated(args.corpus) if i.role in ("train", "dev")][:max_texts]
    taggers: dict[str, Tagger] = {}
    alone: dict[str, Tagger] = {}
    for n, (train, test) in enumerate(folds(items, k, args.corpus)):
        out = Path(out_root) / f"fold-{n}"
        finetune(replace(args, output_dir=out), items=train, dev=[])
        shipped, token = Tagger(out).load(), Tagger(out, confident=None).load()
        token.classifier_weight = 0.0
        taggers.update({item.text: shipped for item in test})
        alone.update({item.text: token for item in test})
    result: dict[str, object] = {"base_model": args.base_model, "folds": k, "texts": len(items),
                                 "epochs": args.epochs, "seed": args.seed}
    for name, chosen in (("as shipped", taggers), ("token classifier alone", alone)):
        micro = score(items, lambda text, regions: chosen[text].predict(text, regions))["mention"]["micro"]
        result[name] = {key: micro[key] for key in ("f1", "precision", "recall", "support")}
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--C", type=float, nargs="+", default=[QuantityBaseline.C])
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--tagger", metavar="BASE_MODEL",
                        help="cross-validate the whole tagger fine-tuned from this encoder instead (slow)")
    parser.add_argument("--epochs", type=float, default=None, help="with --tagger: fine-tuning epochs")
    args = parser.parse_args()
    if args.tagger:
        from training.finetune import FinetuneArgs

        ft = FinetuneArgs(base_model=args.tagger, corpus=args.corpus)
        if args.epochs:
            ft.epochs = args.epochs
        out_root = REPO / "runs" / "crossval" / Path(args.tagger).name  # one folder per encoder compared
        print(json.dumps(crossval_tagger(ft, args.folds, out_root), ensure_ascii=False))
        return
    for C in args.C:
        print(json.dumps(crossval(C, args.folds, args.corpus), ensure_ascii=False))


if __name__ == "__main__":
    main()
