"""K-fold cross-validation on train + dev: of the candidate classifier (`make crossval`), or of the
whole tagger fine-tuned from an encoder (`--tagger DIR`, slow: one fine-tuning a fold); and the
candidate CRF's learning curve (`make learning-curve`: the same folds, each fitted on a share of
its training texts).

Model choices for the candidate classifiers (features; the CRF's c1 and c2, the logistic
regression's C) are made here, never on the benchmark: the folds are grouped by agency (reports of
one agency share paragraphs year to year, so they never sit on both sides of a fold), and each fold
is scored by the same scorer as `xxgk evaluate`.
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TYPE_CHECKING

from training.baseline import QuantityBaseline, QuantityCRF
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


def crossval(model: QuantityBaseline | QuantityCRF | None = None, k: int = 5, corpus=DEFAULT_CORPUS,
             fraction: float = 1.0, seed: int = 0) -> dict[str, object]:
    """Micro (label, value) F1 of a candidate classifier (its parameters as given, unfitted; default
    the shipped CRF) over all held-out texts (each predicted by the model of its fold), and per fold.
    `fraction` < 1 fits each fold on that share of its training texts (drawn with `seed`): one point
    of a learning curve."""
    import random
    from dataclasses import fields, replace

    if not 0 < fraction <= 1:
        raise ValueError(f"fraction must be in (0, 1], not {fraction}")
    model = model if model is not None else QuantityCRF()
    items = [i for i in load_annotated(corpus) if i.role in ("train", "dev")]
    rng = random.Random(seed)
    model_of: dict[str, object] = {}  # a held-out text -> the model of its fold
    per_fold, train_mentions = [], []
    for train, test in folds(items, k, corpus):
        if fraction < 1:
            train = rng.sample(train, max(1, round(fraction * len(train))))
        fitted = replace(model).fit(train)
        model_of.update({item.text: fitted for item in test})
        per_fold.append(score(test, fitted.predict)["mention"]["micro"]["f1"])
        train_mentions.append(sum(len(item.spans) for item in train))
    overall = score(items, lambda text, regions: model_of[text].predict(text, regions))["mention"]["micro"]
    params = {f.name: getattr(model, f.name) for f in fields(model) if f.init}
    return {"model": type(model).__name__, **params, "folds": k, "texts": len(items), "mentions": overall["support"],
            "fraction": fraction, "seed": seed, "train_mentions_per_fold": round(sum(train_mentions) / k),
            "f1": overall["f1"], "precision": overall["precision"], "recall": overall["recall"], "f1_by_fold": per_fold}


def learning_curve(model: QuantityBaseline | QuantityCRF | None = None, fractions: tuple[float, ...] = (0.25, 0.5, 0.75, 1.0),
                   repeats: int = 3, k: int = 5, corpus=DEFAULT_CORPUS) -> list[dict[str, object]]:
    """Cross-validated F1 by the share of training texts each fold fits on (`repeats` draws a share,
    one draw at 1.0): whether more annotations would still pay, and about how many."""
    rows = []
    for fraction in fractions:
        runs = [crossval(model, k, corpus, fraction, seed) for seed in range(1 if fraction == 1 else repeats)]
        f1s = [run["f1"] for run in runs]
        rows.append({"fraction": fraction, "train_mentions_per_fold": round(sum(r["train_mentions_per_fold"] for r in runs) / len(runs)),
                     "f1_mean": round(sum(f1s) / len(f1s), 4), "f1_by_seed": f1s})
    return rows


def crossval_tagger(args: FinetuneArgs, k: int = 5, out_root: Path = REPO / "runs" / "crossval",
                    max_texts: int | None = None, reuse: bool = False) -> dict[str, object]:
    """The same folds for the whole tagger: per fold, fine-tune the token classifier from
    `args.base_model` with the candidate classifier beside it (at `args.classifier_weight`; a fold has
    no dev split), then score the held-out texts as shipped (the cascade) and, with every quantity
    read, by each mixture at each of WEIGHTS (0.0: the token classifier alone, 1.0: the candidate
    classifier alone).
    This is how two encoders, recipes or mixture weights should be compared; dev is too small. About
    16 minutes (3 folds) to 25 (5 folds) a fold on 2 CPU cores. `reuse`: keep the token classifiers of an earlier run in
    `out_root` and refit only the candidate classifiers (seconds a fold)."""
    from dataclasses import replace

    from extractor.tagger import MIXTURES, Tagger, labeled, mentions_of
    from training.baseline import save_classifier
    from training.finetune import WEIGHTS, finetune

    items = [i for i in load_annotated(args.corpus) if i.role in ("train", "dev")][:max_texts]
    by_weight: dict[tuple[str, float], dict[str, list]] = {(m, w): {} for m in MIXTURES for w in WEIGHTS}
    shipped: dict[str, list] = {}
    for n, (train, test) in enumerate(folds(items, k, args.corpus)):
        out = Path(out_root) / f"fold-{n}"
        if reuse and (out / "config.json").exists():
            trained_on = json.loads((out / "training.json").read_text(encoding="utf-8")).get("text_paths")
            if trained_on != [i.path for i in train]:
                raise ValueError(f"{out}: its token classifier was not trained on this fold's texts "
                                 f"(other folds, texts or corpus): run without --reuse")
            save_classifier(QuantityCRF().fit(train), out)
        else:
            finetune(replace(args, output_dir=out), items=train, dev=[])
        tagger = Tagger(out, confident=None).load()
        read = {item.text: tagger.read_quantities(item.text, item.regions) for item in test}
        for mixture, w in by_weight:
            by_weight[mixture, w].update({text: mentions_of(text, labeled(r, w, mixture)) for text, r in read.items()})
        # then as shipped: the same model with the cascade's threshold (Tagger's default)
        tagger.confident, tagger.mixture = Tagger.confident, args.mixture
        tagger.classifier_weight = args.classifier_weight if args.classifier_weight is not None else 0.5
        shipped.update({item.text: tagger.predict(item.text, item.regions) for item in test})

    def micro(found: dict[str, list]) -> dict[str, float]:
        m = score(items, lambda text, regions: found[text])["mention"]["micro"]
        return {key: m[key] for key in ("f1", "precision", "recall", "support")}

    return {"base_model": args.base_model, "folds": k, "texts": len(items), "epochs": args.epochs, "seed": args.seed,
            "as shipped": {"weight": tagger.classifier_weight, "mixture": tagger.mixture, **micro(shipped)},
            "token classifier alone": micro(by_weight["linear", 0.0]),
            "f1_by_weight": {mixture: {w: round(micro(by_weight[mixture, w])["f1"], 4) for w in WEIGHTS}
                             for mixture in MIXTURES}}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--C", type=float, nargs="*", default=[],
                        help="also cross-validate the logistic-regression baseline at each C")
    parser.add_argument("--c1", type=float, nargs="+", default=[QuantityCRF.c1], help="the CRF's L1 weights to try")
    parser.add_argument("--c2", type=float, nargs="+", default=[QuantityCRF.c2], help="the CRF's L2 weights to try")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--tagger", metavar="BASE_MODEL",
                        help="cross-validate the whole tagger fine-tuned from this encoder instead (slow)")
    parser.add_argument("--epochs", type=float, default=None, help="with --tagger: fine-tuning epochs")
    parser.add_argument("--curve", type=float, nargs="+", metavar="FRACTION",
                        help="a learning curve of the CRF (at the first --c1 and --c2): cross-validate it fitted on these "
                             "shares of each fold's texts")
    parser.add_argument("--repeats", type=int, default=3, help="with --curve: draws of each share below 1")
    parser.add_argument("--reuse", action="store_true",
                        help="with --tagger: keep the fold models' token classifiers, refit the candidate classifiers")
    args = parser.parse_args()
    if args.tagger and args.curve:
        parser.error("--curve is of the candidate CRF; --tagger cross-validates the whole tagger: give one")
    if args.tagger:
        from training.finetune import FinetuneArgs

        ft = FinetuneArgs(base_model=args.tagger, corpus=args.corpus)
        if args.epochs:
            ft.epochs = args.epochs
        # one folder per encoder and fold count compared
        out_root = REPO / "runs" / "crossval" / f"{Path(args.tagger).name}-{args.folds}folds"
        print(json.dumps(crossval_tagger(ft, args.folds, out_root, reuse=args.reuse), ensure_ascii=False))
        return
    if args.curve:
        for row in learning_curve(QuantityCRF(c1=args.c1[0], c2=args.c2[0]), tuple(args.curve), args.repeats, args.folds, args.corpus):
            print(json.dumps(row, ensure_ascii=False))
        return
    for c1 in args.c1:
        for c2 in args.c2:
            print(json.dumps(crossval(QuantityCRF(c1=c1, c2=c2), args.folds, args.corpus), ensure_ascii=False))
    for C in args.C:
        print(json.dumps(crossval(QuantityBaseline(C=C), args.folds, args.corpus), ensure_ascii=False))


if __name__ == "__main__":
    main()
