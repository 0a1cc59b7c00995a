"""Shared fixtures: the shipped example articles and the optional SemEval data."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "examples"
SPUTNIK = EXAMPLES / "sputnik-en-antonov-2021-03-20.txt"
ARABIC_DAILY = EXAMPLES / "arabic-daily-mt-en-antonov-2021-03-21.txt"


def semeval_dir() -> Path | None:
    """SemEval-2022 Task 8 data: $STORYLENS_SEMEVAL_DIR, else ../shared/data/semeval2022t8 beside the repo."""
    candidates = [os.environ.get("STORYLENS_SEMEVAL_DIR"), REPO.parent / "shared/data/semeval2022t8"]
    for candidate in candidates:
        if candidate and (Path(candidate) / "train.jsonl").exists():
            return Path(candidate)
    return None


@pytest.fixture
def seed_paths() -> tuple[Path, Path]:
    return SPUTNIK, ARABIC_DAILY
