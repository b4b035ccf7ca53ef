"""Fine-tune a token classifier for the contract's prose mentions (`make train`).

data (annotations, split by report) → windows of the annotated regions → tokenize and align BIO
labels → train (Hugging Face Trainer, seeded) → save model + tokenizer + id2label to models/.
`base_model` is the shipped encoder by default, or any Hugging Face checkpoint name or local
directory; `from_scratch` keeps its tokenizer and shape but starts from random weights (the
ablation that shows what pretraining adds).
"""
from __future__ import annotations

import argparse
import json
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

import torch

from extractor.contract import LABELS
from extractor.tagger import LEFT_CONTEXT, MIXTURES, RIGHT_CONTEXT
from training.data import AnnotatedText, load_annotated
from training.standoff import DEFAULT_CORPUS, REPO, Span

TAGS: list[str] = ["O"] + [f"{p}-{label}" for label in LABELS for p in ("B", "I")]


@dataclass
class FinetuneArgs:
    base_model: str = str(REPO / "models" / "xxgk-encoder")
    output_dir: Path = REPO / "models" / "xxgk-tagger"
    corpus: Path = DEFAULT_CORPUS
    from_scratch: bool = False
    window: int = 160
    stride: int = 120
    epochs: float = 12.0
    batch_size: int = 16
    learning_rate: float = 5e-4
    quantity_weight: float = 5.0  # loss weight of tokens inside a rule-detected quantity (where labels differ)
    weight_decay: float = 0.01
    seed: int = 13
    max_texts: int | None = None  # tests: a few texts only (pulled passages first)
    roles: tuple[str, ...] = ("train",)
    annotations: Path = REPO / "annotations"
    with_classifier: bool = True  # ship the candidate classifier beside the token classifier
    # its weight and how the two combine (extractor.tagger.mix), both written to the config: 0.8, log-linear,
    # chosen by `make crossval-tagger` (3 folds over train + dev, the CRF fit per fold; log-linear by weight:
    # 0.5 0.748, 0.65 0.775, 0.8 0.787, 0.9 0.783; linear at best 0.781; the CRF alone 0.771; README);
    # weight None chooses it on the dev split
    classifier_weight: float | None = 0.8
    mixture: str = "log-linear"
    centered: bool = True  # windows centred on the quantities (extractor.tagger.quantity_windows)
    left_context: int = LEFT_CONTEXT  # centred windows: characters before a quantity, after it (written to the config)
    right_context: int = RIGHT_CONTEXT
    share: int = 0  # training windows: quantities starting within this many characters share one (16 was worse on dev)


@dataclass
class Window:
    text: str
    start: int  # offset of the window in its document
    spans: list[Span]  # spans inside the window, in window offsets


def region_windows(item: AnnotatedText, size: int, stride: int) -> list[Window]:
    """Overlapping windows over the annotated regions; a window never cuts a span in two."""
    out: list[Window] = []
    for a, b in item.regions:
        pos = a
        while pos < b:
            end = min(b, pos + size)
            for s in item.spans:
                if s.start < end < s.end:
                    end = s.start if s.start > pos else s.end
            inside = [Span(s.start - pos, s.end - pos, s.label, s.value, s.approx, s.text)
                      for s in item.spans if pos <= s.start and s.end <= end]
            out.append(Window(item.text[pos:end], pos, inside))
            if end >= b:
                break
            nxt = pos + stride
            for s in item.spans:  # do not start inside a span either
                if s.start < nxt < s.end:
                    nxt = s.end
            pos = max(nxt, pos + 1)
    return out


def centered_windows(item: AnnotatedText, share: int = 0, left: int = LEFT_CONTEXT,
                     right: int = RIGHT_CONTEXT) -> list[Window]:
    """The windows the tagger reads (extractor.tagger.quantity_windows) over every quantity, rule-detected
    or labeled; a window is widened or narrowed so it never cuts a span."""
    from extractor.numbers import find_quantities
    from extractor.tagger import quantity_windows

    out = []
    for a, b in item.regions:
        quantities = sorted({q for q in find_quantities(item.text, a, b)} |
                            {(s.start, s.end) for s in item.spans if a <= s.start < b})
        for lo, hi, first, _ in quantity_windows(quantities, [(a, b)], share, left=left, right=right):
            for s in item.spans:
                if s.start < lo < s.end:
                    lo = s.end if s.end <= first else s.start
                if s.start < hi < s.end:
                    hi = s.end
            inside = [Span(s.start - lo, s.end - lo, s.label, s.value, s.approx, s.text)
                      for s in item.spans if lo <= s.start and s.end <= hi]
            out.append(Window(item.text[lo:hi], lo, inside))
    return out


def align_labels(window: Window, offsets: list[tuple[int, int]], label2id: dict[str, int]) -> list[int]:
    """One tag per token: B- on the token holding a span's first character, I- on the rest, -100 on specials."""
    tags: list[int] = []
    for a, b in offsets:
        if a == b:
            tags.append(-100)
            continue
        tag = "O"
        for s in window.spans:
            if s.start <= a < s.end:
                tag = ("B-" if a <= s.start else "I-") + s.label
                break
            if a < s.start < b:  # a multi-character token that swallows a span start
                tag = "B-" + s.label
                break
        tags.append(label2id[tag])
    return tags


def build_dataset(items: list[AnnotatedText], tokenizer, args: FinetuneArgs):
    from datasets import Dataset

    from extractor.numbers import find_quantities

    label2id = {t: i for i, t in enumerate(TAGS)}
    rows = {"input_ids": [], "attention_mask": [], "labels": [], "weights": []}
    for item in items:
        if args.centered:
            windows = centered_windows(item, args.share, args.left_context, args.right_context)
        else:
            windows = region_windows(item, args.window, args.stride)
        for w in windows:
            if not w.text.strip():
                continue
            enc = tokenizer(w.text, return_offsets_mapping=True, truncation=True, max_length=args.window + 2)
            quantities = find_quantities(w.text) + [(s.start, s.end) for s in w.spans]
            rows["input_ids"].append(enc["input_ids"])
            rows["attention_mask"].append(enc["attention_mask"])
            rows["labels"].append(align_labels(w, enc["offset_mapping"], label2id))
            rows["weights"].append([args.quantity_weight if any(a <= x < b for a, b in quantities) else 1.0
                                    for x, _ in enc["offset_mapping"]])
    return Dataset.from_dict(rows)


class WeightedCollator:
    """Pads like DataCollatorForTokenClassification and carries the per-token loss weights."""

    def __init__(self, tokenizer) -> None:
        from transformers import DataCollatorForTokenClassification

        self.inner = DataCollatorForTokenClassification(tokenizer)

    def __call__(self, features: list[dict]) -> dict:
        weights = [f.pop("weights") for f in features]
        batch = self.inner(features)
        width = batch["labels"].shape[1]
        batch["weights"] = torch.tensor([w + [0.0] * (width - len(w)) for w in weights], dtype=torch.float)
        return batch


def make_trainer_class():
    from transformers import Trainer

    class WeightedTrainer(Trainer):
        """Token classification loss with more weight on the tokens of quantities."""

        def compute_loss(self, model, inputs, return_outputs=False, **kwargs):  # noqa: ANN001
            weights = inputs.pop("weights", None)
            labels = inputs.pop("labels")
            outputs = model(**inputs)
            logits = outputs.logits
            loss = torch.nn.functional.cross_entropy(logits.view(-1, logits.shape[-1]), labels.view(-1),
                                                     ignore_index=-100, reduction="none")
            mask = (labels.view(-1) != -100).float()
            w = (weights.view(-1) if weights is not None else torch.ones_like(mask)) * mask
            loss = (loss * w).sum() / w.sum().clamp(min=1.0)
            return (loss, outputs) if return_outputs else loss

    return WeightedTrainer


def load_base(args: FinetuneArgs):
    from transformers import AutoConfig, AutoModelForTokenClassification, AutoTokenizer

    id2label = dict(enumerate(TAGS))
    label2id = {t: i for i, t in id2label.items()}
    tokenizer = AutoTokenizer.from_pretrained(args.base_model)
    if args.from_scratch:
        config = AutoConfig.from_pretrained(args.base_model, num_labels=len(TAGS), id2label=id2label, label2id=label2id)
        model = AutoModelForTokenClassification.from_config(config)
    else:
        model = AutoModelForTokenClassification.from_pretrained(args.base_model, num_labels=len(TAGS), id2label=id2label,
                                                                label2id=label2id, ignore_mismatched_sizes=True)
    return tokenizer, model


def finetune(args: FinetuneArgs, items: list[AnnotatedText] | None = None,
             dev: list[AnnotatedText] | None = None) -> dict[str, object]:
    """Fine-tune on the texts of `args.roles` (or on `items`, e.g. a cross-validation fold), choosing
    the candidate classifier's weight as `args.classifier_weight` says (None: on the dev split, or on `dev`)."""
    from transformers import TrainingArguments, set_seed
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()

    set_seed(args.seed)
    if items is None or dev is None:
        annotated = load_annotated(args.corpus, args.annotations)
        items = [i for i in annotated if i.role in args.roles] if items is None else items
        dev = [i for i in annotated if i.role == "dev"] if dev is None else dev
    items = sorted(items, key=lambda i: i.file.parent.name != "pulled")  # pulled passages first (stable otherwise)
    if args.max_texts:
        items = items[: args.max_texts]
    tokenizer, model = load_base(args)
    data = build_dataset(items, tokenizer, args)
    out = Path(args.output_dir)
    training_args = TrainingArguments(
        output_dir=str(out / "_runs"), num_train_epochs=args.epochs, per_device_train_batch_size=args.batch_size,
        learning_rate=args.learning_rate, weight_decay=args.weight_decay, warmup_steps=0.06, lr_scheduler_type="linear",
        logging_steps=50, save_strategy="no", eval_strategy="no", report_to=[], seed=args.seed,
        remove_unused_columns=False,
        dataloader_num_workers=0, use_cpu=not torch.cuda.is_available(), disable_tqdm=True)
    trainer = make_trainer_class()(model=model, args=training_args, train_dataset=data,
                                   data_collator=WeightedCollator(tokenizer))
    loss_before = trainer.evaluate(data)["eval_loss"]
    start = time.time()
    result = trainer.train()
    seconds = time.time() - start
    loss_after = trainer.evaluate(data)["eval_loss"]
    out.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(out, safe_serialization=True)
    tokenizer.save_pretrained(out)
    shutil.rmtree(out / "_runs", ignore_errors=True)
    info = {"base_model": args.base_model if not args.from_scratch else f"{args.base_model} (random init)",
            "texts": len(items), "text_paths": [i.path for i in items], "windows": len(data), "epochs": args.epochs, "seed": args.seed,
            "windows_scheme": f"centred, share {args.share}" if args.centered else "sliding",
            "seconds": round(seconds), "train_loss": round(result.training_loss, 4),
            "loss_before": round(loss_before, 4), "loss_after": round(loss_after, 4)}
    if args.centered:
        from transformers import AutoConfig

        config = AutoConfig.from_pretrained(out)
        config.xxgk_centered_windows = True
        config.xxgk_left_context, config.xxgk_right_context = args.left_context, args.right_context
        config.save_pretrained(out)
    if args.with_classifier:
        info["classifier"] = attach_classifier(out, items, dev, args.classifier_weight, args.mixture)
    (out / "training.json").write_text(json.dumps(info, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return info


WEIGHTS = (0.0, 0.5, 0.65, 0.8, 0.9, 1.0)  # the candidate classifier's shares scored on dev and by crossval_tagger


def attach_classifier(model_dir: Path, train: list[AnnotatedText], dev: list[AnnotatedText],
                      weight: float | None = None, mixture: str = "log-linear") -> dict[str, object]:
    """Fit the candidate classifier on the same training texts and ship it beside the token classifier
    with `weight` in the label of a quantity, combined by `mixture` (extractor.tagger.mix; weight
    None: the weight that does best on the dev split, never the benchmark). Dev scores by weight are
    recorded either way."""
    from transformers import AutoConfig

    from extractor.tagger import Tagger, labeled, mentions_of
    from training.baseline import QuantityCRF, save_classifier
    from training.evaluate import score

    save_classifier(QuantityCRF().fit(train), model_dir)
    tagger = Tagger(model_dir, confident=None).load()  # every quantity read by both: 0.0 and 1.0 are each alone
    tagger.mixture = mixture
    read = {item.text: tagger.read_quantities(item.text, item.regions) for item in dev}
    scores = {w: score(dev, lambda text, _: mentions_of(text, labeled(read[text], w, mixture)))["mention"]["micro"]["f1"]
              if dev else 0.0 for w in WEIGHTS}
    # the shipped model is the token classifier with a second opinion, so the weight is chosen among the
    # mixtures; 0.0 and 1.0 (each alone) are recorded for comparison
    best = weight if weight is not None else max(WEIGHTS[1:-1], key=lambda w: (scores[w], -abs(w - 0.5)))
    config = AutoConfig.from_pretrained(model_dir)
    config.xxgk_classifier_weight = best
    config.xxgk_mixture = mixture
    config.save_pretrained(model_dir)
    # as the extractor runs it (what the config now says): sure quantities skip the token classifier (the
    # threshold is Tagger's default, fixed, not tuned; training.json records the one checked here)
    tagger.classifier_weight, tagger.confident = best, Tagger.confident
    shipped = {item.text: tagger.predict(item.text, item.regions) for item in dev}
    full = {(i.path, m.start, m.end, m.label) for i in dev for m in mentions_of(i.text, labeled(read[i.text], best, mixture))}
    cascade = {(i.path, m.start, m.end, m.label) for i in dev for m in shipped[i.text]}
    as_shipped = score(dev, lambda text, _: shipped[text])["mention"]["micro"]["f1"] if dev else 0.0
    return {"mixture": mixture, "weight": best, "dev_f1_by_weight": scores, "dev_f1_as_shipped": as_shipped, "confident": tagger.confident,
            "dev_mentions_changed_by_confident": len(full ^ cascade), "dev_mentions": len(full)}


def refit_classifier(model_dir: Path, corpus: Path = DEFAULT_CORPUS, annotations: Path = REPO / "annotations",
                     weight: float | None = FinetuneArgs.classifier_weight, mixture: str = FinetuneArgs.mixture) -> dict:
    """Refit the candidate classifier beside an already fine-tuned token classifier (after the
    features or the annotations changed) and record it in the model's training.json."""
    items = load_annotated(corpus, annotations)
    info_file = Path(model_dir) / "training.json"
    info = json.loads(info_file.read_text(encoding="utf-8")) if info_file.exists() else {}
    info["classifier"] = attach_classifier(Path(model_dir), [i for i in items if i.role == "train"],
                                           [i for i in items if i.role == "dev"], weight, mixture)
    info_file.write_text(json.dumps(info, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return info["classifier"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--base-model", default=FinetuneArgs.base_model)
    parser.add_argument("--output-dir", type=Path, default=FinetuneArgs.output_dir)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--from-scratch", action="store_true")
    parser.add_argument("--no-classifier", action="store_true", help="ship the token classifier alone")
    parser.add_argument("--sliding", action="store_true", help="sliding windows over the regions instead of one per quantity")
    parser.add_argument("--share", type=int, default=FinetuneArgs.share,
                        help="centred windows: quantities starting within this many characters share a window")
    parser.add_argument("--left-context", type=int, default=FinetuneArgs.left_context)
    parser.add_argument("--right-context", type=int, default=FinetuneArgs.right_context)
    parser.add_argument("--epochs", type=float, default=FinetuneArgs.epochs)
    parser.add_argument("--seed", type=int, default=FinetuneArgs.seed)
    parser.add_argument("--classifier-only", action="store_true",
                        help="keep the token classifier in --output-dir; refit and re-weigh only the candidate classifier")
    parser.add_argument("--classifier-weight", type=float, default=FinetuneArgs.classifier_weight,
                        help="the candidate classifier's weight in the mixture (default chosen by make crossval-tagger)")
    parser.add_argument("--weight-on-dev", action="store_true", help="choose the classifier weight on the dev split")
    parser.add_argument("--mixture", choices=MIXTURES, default=FinetuneArgs.mixture,
                        help="how the two classifiers' probabilities combine (default chosen by make crossval-tagger)")
    a = parser.parse_args()
    weight = None if a.weight_on_dev else a.classifier_weight
    if a.classifier_only:
        print(json.dumps(refit_classifier(a.output_dir, a.corpus, weight=weight, mixture=a.mixture), ensure_ascii=False))
        return
    info = finetune(FinetuneArgs(base_model=a.base_model, output_dir=a.output_dir, corpus=a.corpus,
                                 from_scratch=a.from_scratch, epochs=a.epochs, seed=a.seed,
                                 with_classifier=not a.no_classifier, centered=not a.sliding, share=a.share,
                                 left_context=a.left_context, right_context=a.right_context, classifier_weight=weight,
                                 mixture=a.mixture))
    print(json.dumps(info, ensure_ascii=False))


if __name__ == "__main__":
    main()
