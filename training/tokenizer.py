"""A character-level tokenizer for report text, as a Hugging Face `PreTrainedTokenizerFast`.

Every non-space character is one token (Chinese characters, digits, letters, punctuation); spaces
separate nothing and are dropped, but offsets keep them, so a span such as "2306 条" maps back
exactly. NFKC folds full-width forms. The extractor feeds it normalized (simplified) text.
The vocabulary is the characters seen at least `min_count` times in the training text, plus
ASCII, so digits and Latin letters are never unknown.
"""
from __future__ import annotations

import string
from collections import Counter
from pathlib import Path
from typing import Iterable

SPECIAL = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]


def build_tokenizer(texts: Iterable[str], min_count: int = 2, model_max_length: int = 512):
    from tokenizers import Regex, Tokenizer, normalizers, pre_tokenizers, processors
    from tokenizers.models import WordLevel
    from transformers import PreTrainedTokenizerFast

    counts: Counter[str] = Counter()
    for text in texts:
        counts.update(ch for ch in text if not ch.isspace())
    chars = sorted({c for c, n in counts.items() if n >= min_count} | set(string.printable.strip()))
    vocab = {tok: i for i, tok in enumerate(SPECIAL)}
    for ch in chars:
        vocab.setdefault(ch, len(vocab))
    tok = Tokenizer(WordLevel(vocab, unk_token="[UNK]"))
    tok.normalizer = normalizers.NFKC()
    tok.pre_tokenizer = pre_tokenizers.Sequence([pre_tokenizers.WhitespaceSplit(),
                                                 pre_tokenizers.Split(Regex("."), behavior="isolated")])
    tok.post_processor = processors.TemplateProcessing(
        single="[CLS] $A [SEP]", pair="[CLS] $A [SEP] $B [SEP]",
        special_tokens=[("[CLS]", vocab["[CLS]"]), ("[SEP]", vocab["[SEP]"])])
    return PreTrainedTokenizerFast(tokenizer_object=tok, unk_token="[UNK]", pad_token="[PAD]", cls_token="[CLS]",
                                   sep_token="[SEP]", mask_token="[MASK]", model_max_length=model_max_length)


def save_tokenizer(tokenizer, directory: Path) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    tokenizer.save_pretrained(directory)
