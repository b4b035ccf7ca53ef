"""Unlabeled report text for pretraining and the tokenizer: every corpus text the split allows.

Benchmark texts are never read here (split.json role `benchmark`), so pretraining does not see
them (corpus README: a benchmark report is never used for training or tuning).
"""
from __future__ import annotations

from pathlib import Path
from typing import Iterator

from extractor.normalize import normalize
from training.data import roles
from training.standoff import DEFAULT_CORPUS


def pretraining_files(corpus: Path = DEFAULT_CORPUS) -> list[Path]:
    split = roles()
    files = sorted((corpus / "github" / "texts").glob("*.txt")) + sorted((corpus / "pages").glob("*.txt")) + \
        sorted((corpus / "seeds").glob("*.txt"))
    return [f for f in files if split.get(str(f.relative_to(corpus)), "train") != "benchmark"]


def pretraining_texts(corpus: Path = DEFAULT_CORPUS) -> Iterator[str]:
    for file in pretraining_files(corpus):
        yield normalize(file.read_bytes().decode("utf-8")).text


def windows(text: str, size: int, stride: int) -> Iterator[str]:
    """Overlapping character windows of a text (line breaks kept as spaces)."""
    flat = " ".join(text.split())
    if len(flat) <= size:
        if flat:
            yield flat
        return
    for start in range(0, len(flat) - size // 4, stride):
        yield flat[start:start + size]
