"""Batches built in tmp_path from the bundled examples: copies, renamed variants, year pairs."""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import EXAMPLES_DIR
from fazhi_review.batch import BatchOptions, BatchResult, run_batch
from fazhi_review.pipeline import SummarizeOptions

EXAMPLES = sorted(EXAMPLES_DIR.glob("*.txt"))


def copy_examples(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    return [Path(shutil.copy(path, folder / path.name)) for path in EXAMPLES]


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def offline_options(outdir: Path, **fields: object) -> BatchOptions:
    fields.setdefault("jobs", 1)
    fields.setdefault("quiet", True)
    return BatchOptions(outdir=outdir, summarize=SummarizeOptions(engine="offline", notify=lambda _m: None), **fields)  # type: ignore[arg-type]


def run_offline(inputs: list[Path], outdir: Path, **fields: object) -> BatchResult:
    return run_batch(inputs, offline_options(outdir, **fields))


def shifted_year(text: str, years: int) -> str:
    """The same township's report moved back by ``years`` (2023 → 2022, plan 2024 → 2023)."""
    for year in range(2019, 2031):
        text = text.replace(str(year), f"<{year - years}>")
    for year in range(2010, 2031):
        text = text.replace(f"<{year}>", str(year))
    return text
