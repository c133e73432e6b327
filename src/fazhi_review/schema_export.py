"""The JSON Schemas in top-level ``schemas/``: exported from the Pydantic models, never hand-edited.

``python -m fazhi_review.schema_export`` (in the checkout) rewrites them; a test fails when they are
stale. Outside the checkout a target directory must be named, so an installed copy never writes
into the virtualenv.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from pydantic import BaseModel

from fazhi_review.errors import os_reason
from fazhi_review.llm.schema import Draft
from fazhi_review.models import ReportSummary
from fazhi_review.review.model import ReviewDraft

EXPORTS: dict[str, type[BaseModel]] = {
    "report_summary.schema.json": ReportSummary,
    "llm_draft.schema.json": Draft,
    "review_draft.schema.json": ReviewDraft,
}


def schema_text(model: type[BaseModel]) -> str:
    return json.dumps(model.model_json_schema(), ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def export(directory: Path) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, model in EXPORTS.items():
        path = directory / name
        path.write_text(schema_text(model), encoding="utf-8")
        written.append(path)
    return written


def _looks_like_repo(directory: Path) -> bool:
    """The project's checkout: its pyproject names fazhi-review and it keeps a schemas/ folder."""
    pyproject = directory / "pyproject.toml"
    try:
        return (directory / "schemas").is_dir() and 'name = "fazhi-review"' in pyproject.read_text(encoding="utf-8")
    except OSError:
        return False


def main(argv: list[str] | None = None) -> int:
    """Write the schemas into a directory the user names, or ./schemas inside the checkout."""
    parser = argparse.ArgumentParser(
        prog="python -m fazhi_review.schema_export",
        description="把 Pydantic 模型导出为 JSON Schema 文件（在项目根目录运行时默认写入 ./schemas）。",
    )
    parser.add_argument("directory", nargs="?", type=Path, help="写入的目录（不在项目根目录时必须指定）")
    args = parser.parse_args(argv)
    target: Path | None = args.directory
    if target is None:
        if not _looks_like_repo(Path.cwd()):
            print("错误: 当前目录不是 fazhi-review 项目根目录。请在项目根目录运行，或指定写入的目录", file=sys.stderr)
            return 2
        target = Path.cwd() / "schemas"
    try:
        written = export(target)
    except OSError as exc:
        print(f"错误: {target}：无法写入（{os_reason(exc)}）。请换一个可写的目录", file=sys.stderr)
        return 1
    for path in written:
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
