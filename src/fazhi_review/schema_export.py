"""The JSON Schemas in top-level ``schemas/``: exported from the Pydantic models, never hand-edited.

``python -m fazhi_review.schema_export`` rewrites them; a test fails when they are stale.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from pydantic import BaseModel

from fazhi_review.llm.schema import Draft
from fazhi_review.models import ReportSummary

EXPORTS: dict[str, type[BaseModel]] = {
    "report_summary.schema.json": ReportSummary,
    "llm_draft.schema.json": Draft,
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


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[2] / "schemas"
    for path in export(target):
        print(path)
