"""`make retrain`: train on all annotations (old and pulled), evaluate on the benchmark, and
replace the default model only when the benchmark score does not drop."""
from __future__ import annotations

import argparse
import json
import shutil
from pathlib import Path

from training.data import ANNOTATIONS, load_folder
from training.evaluate import score
from training.finetune import FinetuneArgs, finetune
from training.standoff import DEFAULT_CORPUS, REPO

DEFAULT = REPO / "models" / "xxgk-tagger"


def benchmark_f1(model: Path, items) -> float:  # noqa: ANN001
    from extractor.tagger import Tagger

    return score(items, Tagger(model).load().predict)["mention"]["micro"]["f1"]


def retrain(corpus: Path, current: Path, candidate: Path, data: Path, epochs: float | None = None,
            base_model: str | None = None, max_texts: int | None = None,
            annotations: Path = ANNOTATIONS) -> dict[str, object]:
    items = load_folder(data, corpus)
    old = benchmark_f1(current, items) if (current / "config.json").exists() else None
    args = FinetuneArgs(output_dir=candidate, corpus=corpus, max_texts=max_texts, annotations=annotations)
    if epochs is not None:
        args.epochs = epochs
    if base_model is not None:
        args.base_model = base_model
    info = finetune(args)
    new = benchmark_f1(candidate, items)
    replaced = old is None or new >= old
    if replaced:
        current.mkdir(parents=True, exist_ok=True)
        for f in candidate.iterdir():
            if f.is_file():
                shutil.copy2(f, current / f.name)
    return {"old_f1": old, "new_f1": new, "replaced": replaced, "texts": info["texts"], "benchmark_texts": len(items)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--model", type=Path, default=DEFAULT, help="the default model to beat and replace")
    parser.add_argument("--candidate", type=Path, default=REPO / "runs" / "retrain-candidate")
    parser.add_argument("--data", type=Path, default=ANNOTATIONS / "benchmark")
    parser.add_argument("--epochs", type=float, default=None)
    parser.add_argument("--base-model", default=None)
    parser.add_argument("--max-texts", type=int, default=None)
    parser.add_argument("--annotations", type=Path, default=ANNOTATIONS)
    a = parser.parse_args()
    result = retrain(a.corpus, a.model, a.candidate, a.data, a.epochs, a.base_model, a.max_texts, a.annotations)
    old = "none" if result["old_f1"] is None else f"{result['old_f1']:.3f}"
    print(f"benchmark (label, value) F1 on {result['benchmark_texts']} texts:  old {old}   new {result['new_f1']:.3f}")
    print("replaced the default model" if result["replaced"] else f"kept the default model (the new one scores lower); "
          f"candidate left in {a.candidate}")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
