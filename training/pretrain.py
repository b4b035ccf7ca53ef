"""Masked-LM pretraining of the small character-level encoder on report text (`make pretrain`).

data (corpus windows, benchmark excluded) → tokenize → BERT masked LM with whole-number masking
(a run of digits is masked as one) → save encoder + tokenizer to models/xxgk-encoder/.
"""
from __future__ import annotations

import argparse
import json
import math
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import torch

from training.corpus import pretraining_texts, windows
from training.standoff import DEFAULT_CORPUS, REPO
from training.tokenizer import build_tokenizer, save_tokenizer


@dataclass
class EncoderConfig:
    hidden_size: int = 256
    num_hidden_layers: int = 4
    num_attention_heads: int = 4
    intermediate_size: int = 768
    max_position_embeddings: int = 512


@dataclass
class PretrainArgs:
    corpus: Path = DEFAULT_CORPUS
    output_dir: Path = REPO / "models" / "xxgk-encoder"
    window: int = 128
    stride: int = 64
    max_steps: int = 800
    batch_size: int = 32
    learning_rate: float = 1e-3
    mask_probability: float = 0.15
    seed: int = 13
    max_texts: int | None = None  # tests: a few texts only
    encoder: EncoderConfig = field(default_factory=EncoderConfig)


class WholeNumberMasking:
    """MLM collator: 15% of tokens, a chosen digit masks its whole number; 80/10/10 replacement."""

    def __init__(self, tokenizer, probability: float = 0.15) -> None:
        self.tokenizer = tokenizer
        self.probability = probability
        vocab = tokenizer.get_vocab()
        self.digit_ids = torch.tensor(sorted(vocab[d] for d in "0123456789" if d in vocab))

    def __call__(self, batch: list[dict]) -> dict[str, torch.Tensor]:
        padded = self.tokenizer.pad({"input_ids": [b["input_ids"] for b in batch]}, return_tensors="pt")
        input_ids = padded["input_ids"]
        labels = input_ids.clone()
        special = torch.tensor([self.tokenizer.get_special_tokens_mask(ids.tolist(), already_has_special_tokens=True)
                                for ids in input_ids], dtype=torch.bool)
        chosen = (torch.rand(input_ids.shape) < self.probability) & ~special
        is_digit = torch.isin(input_ids, self.digit_ids)
        # spread a chosen digit over its whole run of digits, left and right
        for _ in range(12):
            grow = chosen.clone()
            grow[:, 1:] |= chosen[:, :-1] & is_digit[:, 1:]
            grow[:, :-1] |= chosen[:, 1:] & is_digit[:, :-1]
            grow &= ~special
            if torch.equal(grow, chosen):
                break
            chosen = grow
        labels[~chosen] = -100
        replace = chosen & (torch.rand(input_ids.shape) < 0.8)
        input_ids[replace] = self.tokenizer.mask_token_id
        randomize = chosen & ~replace & (torch.rand(input_ids.shape) < 0.5)
        input_ids[randomize] = torch.randint(len(self.tokenizer), input_ids.shape)[randomize]
        return {"input_ids": input_ids, "attention_mask": padded["attention_mask"], "labels": labels}


def pretrain(args: PretrainArgs) -> dict[str, float]:
    from datasets import Dataset
    from transformers import BertConfig, BertForMaskedLM, Trainer, TrainingArguments, set_seed
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()

    set_seed(args.seed)
    texts = list(pretraining_texts(args.corpus))
    if args.max_texts:
        texts = texts[: args.max_texts]
    tokenizer = build_tokenizer(texts)
    chunks = [w for t in texts for w in windows(t, args.window, args.stride)]
    data = Dataset.from_dict({"text": chunks}).map(
        lambda b: tokenizer(b["text"], truncation=True, max_length=args.window + 2), batched=True,
        remove_columns=["text"])
    split = data.train_test_split(test_size=0.05, seed=args.seed) if len(data) >= 40 else {"train": data, "test": data}
    config = BertConfig(vocab_size=len(tokenizer), pad_token_id=tokenizer.pad_token_id, **asdict(args.encoder))
    model = BertForMaskedLM(config)
    collator = WholeNumberMasking(tokenizer, args.mask_probability)
    out = Path(args.output_dir)
    training_args = TrainingArguments(
        output_dir=str(out / "_runs"), max_steps=args.max_steps, per_device_train_batch_size=args.batch_size,
        per_device_eval_batch_size=args.batch_size, learning_rate=args.learning_rate, warmup_steps=max(1, args.max_steps // 20),
        weight_decay=0.01, lr_scheduler_type="linear", logging_steps=max(1, args.max_steps // 20), save_strategy="no",
        eval_strategy="no", report_to=[], seed=args.seed, dataloader_num_workers=0, use_cpu=not torch.cuda.is_available(),
        disable_tqdm=True)
    trainer = Trainer(model=model, args=training_args, train_dataset=split["train"], data_collator=collator)
    torch.manual_seed(args.seed)
    before = trainer.evaluate(split["test"])["eval_loss"]
    start = time.time()
    trainer.train()
    after = trainer.evaluate(split["test"])["eval_loss"]
    out.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(out, safe_serialization=True)
    save_tokenizer(tokenizer, out)
    metrics = {"texts": len(texts), "windows": len(chunks), "steps": args.max_steps, "seconds": round(time.time() - start),
               "eval_loss_before": round(before, 4), "eval_loss_after": round(after, 4),
               "eval_perplexity_after": round(math.exp(min(after, 50)), 2)}
    (out / "pretraining.json").write_text(json.dumps(metrics, indent=1) + "\n", encoding="utf-8")
    import shutil

    shutil.rmtree(out / "_runs", ignore_errors=True)
    return metrics


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--output-dir", type=Path, default=PretrainArgs.output_dir)
    parser.add_argument("--max-steps", type=int, default=PretrainArgs.max_steps)
    parser.add_argument("--seed", type=int, default=PretrainArgs.seed)
    a = parser.parse_args()
    print(json.dumps(pretrain(PretrainArgs(corpus=a.corpus, output_dir=a.output_dir, max_steps=a.max_steps, seed=a.seed))))


if __name__ == "__main__":
    main()
