"""`make evaluate`: score the default model, the ablation (no pretraining), the baseline and the
candidate CRF alone (the default model's second opinion) on the benchmark with one scorer, print
them side by side and write models/xxgk-tagger/evaluation.json."""
from __future__ import annotations

import argparse
import json
from pathlib import Path

from training.baseline import QuantityBaseline, QuantityCRF
from training.data import ANNOTATIONS, load_annotated, load_folder
from training.evaluate import print_scores, score
from training.standoff import DEFAULT_CORPUS, REPO

DEFAULT = REPO / "models" / "xxgk-tagger"
ABLATION = REPO / "runs" / "tagger-scratch"


def main() -> None:
    from extractor.tagger import Tagger

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--data", type=Path, default=ANNOTATIONS / "benchmark")
    parser.add_argument("--model", type=Path, default=DEFAULT)
    parser.add_argument("--ablation", type=Path, default=ABLATION)
    parser.add_argument("--output", type=Path, default=DEFAULT / "evaluation.json")
    args = parser.parse_args()
    items = load_folder(args.data, args.corpus)
    train = [i for i in load_annotated(args.corpus) if i.role == "train"]
    results: dict[str, dict] = {}
    results["baseline (logistic regression alone)"] = score(items, QuantityBaseline().fit(train).predict)
    results["candidate CRF alone (no transformer)"] = score(items, QuantityCRF().fit(train).predict)

    def readings(model: Path) -> dict[str, dict]:
        """One load, three readings: as shipped; the token classifier alone on every quantity, each in
        the window centred on it that it was trained on (models trained on centred windows only); and its
        own BIO tags over the Tagger's sliding windows, spans snapped to the rule-detected quantities
        (the nearest reading to the stock pipeline's)."""
        tagger = Tagger(model).load()
        shipped = score(items, tagger.predict)
        out = {}
        if tagger.centered:
            tagger.confident, tagger.classifier_weight = None, 0.0  # every quantity read, the candidate classifier's weight 0
            out["token classifier alone"] = score(items, tagger.predict)
        tagger.classifier_ = None
        out["token classifier alone, sliding windows"] = score(items, tagger.predict)
        return {**out, "as shipped": shipped}

    if (args.ablation / "config.json").exists():
        for reading, result in readings(args.ablation).items():
            results[f"ablation: {reading}, no pretraining"] = result
    else:
        print(f"ablation model not found at {args.ablation}: run `make ablation` first")
    for reading, result in readings(args.model).items():
        results["default model" if reading == "as shipped" else f"{reading} (pretrained)"] = result
    for name, result in results.items():
        print_scores(name, result)
    print("\nsummary on", args.data, "(micro averages)")
    for name, result in results.items():
        m, e = result["mention"]["micro"], result["entity"]["micro avg"]
        print(f"  {name:66s} (label, value) F1 {m['f1']:.3f}   entity P {e['precision']:.3f} R {e['recall']:.3f} F1 {e['f1']:.3f}")
    args.output.write_text(json.dumps(results, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {args.output}")


if __name__ == "__main__":
    main()
