from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORPUS = (ROOT.parent / "shared" / "corpus").resolve()
SEEDS = CORPUS / "seeds"
EXPECTED = Path(__file__).resolve().parent / "expected"
SAMPLE = ROOT / "examples" / "seed_001_luoyang_eeb_2020.txt"


def need_corpus() -> Path:
    if not CORPUS.is_dir():
        pytest.skip(f"../shared/corpus is absent ({CORPUS}): corpus tests need it (CI always has it)")
    return CORPUS


@pytest.fixture
def corpus() -> Path:
    return need_corpus()


def seed_paths() -> list[Path]:
    return sorted(SEEDS.glob("*.txt")) if SEEDS.is_dir() else []


def seed_text(prefix: str) -> str:
    """A seed's text: from the corpus when present, else the bundled copy (seed 001 only)."""
    paths = [p for p in seed_paths() if p.name.startswith(prefix)]
    if paths:
        return paths[0].read_text(encoding="utf-8")
    if prefix == "001":
        return SAMPLE.read_text(encoding="utf-8")
    pytest.skip(f"seed {prefix} needs ../shared/corpus/seeds")
    raise AssertionError
