"""Model cards for models/xxgk-encoder and models/xxgk-tagger, written from the measured files
(pretraining.json, training.json, evaluation.json) so the card never states a hoped-for number."""
from __future__ import annotations

import json
from pathlib import Path

from extractor.contract import LABELS
from training.standoff import REPO

ENCODER = REPO / "models" / "xxgk-encoder"
TAGGER = REPO / "models" / "xxgk-tagger"


def _load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def _classifier_kind(directory: Path) -> str:
    kind = _load(directory / "candidate_classifier.json").get("kind", "logistic")
    return ("a linear-chain CRF over each narrative region's quantities in order, read by its marginals,"
            if kind == "crf" else "logistic regression")


def _size(directory: Path) -> str:
    total = sum(p.stat().st_size for p in directory.glob("*") if p.is_file())
    return f"{total / 2**20:.1f} MiB"


def tagger_card() -> str:
    train, evaluation = _load(TAGGER / "training.json"), _load(TAGGER / "evaluation.json")
    config = _load(TAGGER / "config.json")
    lines = ["---", "language: zh", "library_name: transformers", "pipeline_tag: token-classification", "---", "",
             "# xxgk-tagger: quantities in 政府信息公开工作年度报告 prose", "",
             "A character-level BERT token classifier (BIO over the 22 mention labels of the xxgk contract), fine-tuned "
             "from `models/xxgk-encoder` (pretrained by this project on report text) on the project's hand labels "
             "(`annotations/`, train split). It loads unchanged in "
             "`transformers.pipeline(\"token-classification\", model=<this dir>, aggregation_strategy=\"simple\")`; "
             "the extractor (`extractor/tagger.py`) labels every quantity the rule layer finds: the candidate classifier "
             "shipped beside this model settles those it is sure of, the rest are read in a window centred on each "
             "and labeled by this model's tags mixed with the candidate classifier; then the values are parsed.", "",
             "## Data", "",
             f"- training: {train.get('texts', '?')} annotated texts ({train.get('windows', '?')} windows of the "
             "narrative regions), split by report and agency (`annotations/split.json`); the benchmark texts are "
             "never used for training, tuning or pretraining.",
             f"- base: {train.get('base_model', '?')}; epochs {train.get('epochs')}, seed {train.get('seed')}, "
             f"{train.get('seconds')} s on this machine's CPU; training loss {train.get('loss_before')} → "
             f"{train.get('loss_after')} (over the training windows).",
             f"- shape: hidden {config.get('hidden_size')}, {config.get('num_hidden_layers')} layers, "
             f"{config.get('num_attention_heads')} heads, vocabulary {config.get('vocab_size')}; files {_size(TAGGER)}.",
             f"- windows: {'one per quantity, centred on it' if config.get('xxgk_centered_windows') else 'sliding'} "
             f"({config.get('xxgk_left_context', 110)} characters before, {config.get('xxgk_right_context', 50)} after)"
             ", the geometry the extractor reads with; the extractor "
             "runs the linear layers in int8 (dynamic quantization: the same labels as full precision on the corpus; "
             "`make bench` prints both speeds).",
             f"- candidate classifier ({_classifier_kind(TAGGER)} over context features, `candidate_classifier.*`): weight "
             f"{config.get('xxgk_classifier_weight')} in the {config.get('xxgk_mixture', 'linear')} mixture "
             f"(`FinetuneArgs.classifier_weight` and `.mixture`, chosen by "
             f"`make crossval-tagger`; for reference, dev (label, value) F1 by weight, every quantity read by both: "
             f"{train.get('classifier', {}).get('dev_f1_by_weight')}). A quantity the candidate classifier labels with "
             f"probability ≥ {train.get('classifier', {}).get('confident')} keeps its label without the token "
             f"classifier (`Tagger(confident=...)`, `None` reads all); dev F1 as the extractor runs it: "
             f"{train.get('classifier', {}).get('dev_f1_as_shipped')}, dev mentions it changes: "
             f"{train.get('classifier', {}).get('dev_mentions_changed_by_confident')} of "
             f"{train.get('classifier', {}).get('dev_mentions')}.",
             "", "## Labels", "", ", ".join(LABELS) + " (B-/I- tags and O).", "",
             "## Measured on annotations/benchmark/ (`make evaluate`)", ""]
    if evaluation:
        lines += ["\"Token classifier alone\" reads every rule-detected quantity in the window centred on it, as this "
                  "model was trained; \"sliding windows\" is its own BIO tags over overlapping windows of the text, "
                  "the nearest reading to the stock pipeline's on arbitrary text.", "",
                  "| system | (label, value) F1 | entity P | entity R | entity F1 |", "|---|---|---|---|---|"]
        for name, result in evaluation.items():
            m, e = result["mention"]["micro"], result["entity"]["micro avg"]
            lines.append(f"| {name} | {m['f1']:.3f} | {e['precision']:.3f} | {e['recall']:.3f} | {e['f1']:.3f} |")
        default = evaluation.get("default model")
        if default:
            lines += ["", "Per label, default model (entity F1 strict / (label, value) F1 / support):", ""]
            for label in LABELS:
                e, m = default["entity"].get(label), default["mention"].get(label)
                if e or m:
                    lines.append(f"- {label}: {e['f1'] if e else 0:.3f} / {m['f1'] if m else 0:.3f} / "
                                 f"{(e or m)['support']}")
    else:
        lines.append("Not evaluated yet: run `make evaluate`.")
    lines += ["", "## Rebuild", "", "```sh", "make pretrain   # models/xxgk-encoder (masked LM, whole-number masking)",
              "make train      # this model, from the shipped encoder", "make ablation   # the same fine-tuning from random init (runs/)",
              "make evaluate   # benchmark scores of model, ablation and baseline -> evaluation.json", "```", "",
              "## Limits", "", "Trained on a few hundred report texts; labels that the corpus prose almost never "
              "uses (PROC_ITEMS, PROC_AMOUNT, FEE_AMOUNT, TRAINING) are not learned. Scores are on the project's own "
              "benchmark; unseen agencies and layouts will score lower.", ""]
    return "\n".join(lines)


def encoder_card() -> str:
    pre = _load(ENCODER / "pretraining.json")
    config = _load(ENCODER / "config.json")
    return "\n".join([
        "---", "language: zh", "library_name: transformers", "pipeline_tag: fill-mask", "---", "",
        "# xxgk-encoder: a small character-level Chinese encoder for disclosure reports", "",
        "BERT-style encoder pretrained by masked language modelling (15% of characters; a chosen digit masks its "
        "whole number) on the normalized text of the corpus reports, benchmark texts excluded. Use it as "
        "`--base-model` to fine-tune new label sets.", "",
        f"- data: {pre.get('texts', '?')} texts, {pre.get('windows', '?')} windows of 128 characters",
        f"- {pre.get('steps', '?')} steps, {pre.get('seconds', '?')} s on 2 CPU cores; held-out MLM loss "
        f"{pre.get('eval_loss_before')} → {pre.get('eval_loss_after')} (perplexity {pre.get('eval_perplexity_after')})",
        f"- shape: hidden {config.get('hidden_size')}, {config.get('num_hidden_layers')} layers, "
        f"{config.get('num_attention_heads')} heads, vocabulary {config.get('vocab_size')}; files {_size(ENCODER)}", "",
        "Rebuild: `make pretrain`.", ""])


def main() -> None:
    if (ENCODER / "config.json").exists():
        (ENCODER / "README.md").write_text(encoder_card(), encoding="utf-8")
    if (TAGGER / "config.json").exists():
        (TAGGER / "README.md").write_text(tagger_card(), encoding="utf-8")


if __name__ == "__main__":
    main()
