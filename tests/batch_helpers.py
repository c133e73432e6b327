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


#: a distinctive passage of maojun-2024, planted into yangjiabo-2024 with one character changed
PLANTED = "镇党委书记带头讲授法治专题党课，全镇共组织村（社区）法律明白人开展入户宣讲四十二场，覆盖农户一千余户。"
NEAR_COPY = PLANTED.replace("一千余户", "一千多户")


def after_first_heading(text: str, addition: str) -> str:
    cut = text.index("\n", text.index("一、")) + 1
    return text[:cut] + addition + "\n" + text[cut:]


def planted_batch(
    tmp_path: Path, jobs: int = 1, copy: str = NEAR_COPY, common: str | None = None, resent_as: str | None = None
) -> tuple[Path, Path]:
    """The examples with PLANTED in maojun-2024 and ``copy`` of it in yangjiabo-2024; ``common``:
    a sentence every report gets; ``resent_as``: maojun-2024 submitted a second time under this
    relative path."""
    folder = tmp_path / "in"
    for path in EXAMPLES:
        text = path.read_text(encoding="utf-8")
        if common is not None:
            text = after_first_heading(text, common)
        if path.stem == "maojun-2024":
            text = after_first_heading(text, PLANTED)
            if resent_as is not None:
                write(folder / resent_as, text)
        if path.stem == "yangjiabo-2024":
            text = after_first_heading(text, copy)
        write(folder / path.name, text)
    outdir = tmp_path / "out"
    run_offline([folder], outdir, jobs=jobs)
    return folder, outdir
