"""The JSON Schemas in ``schemas/`` are the models' export, byte for byte: a stale file fails here."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO
from pydantic import Field, create_model

from fazhi_review.models import ReportSummary
from fazhi_review.schema_export import EXPORTS, export, schema_text

SCHEMAS_DIR = REPO / "schemas"
FIX = "schemas/ is stale: run `python -m fazhi_review.schema_export` and commit the result"


def test_exports_are_named() -> None:
    assert "report_summary.schema.json" in EXPORTS
    assert EXPORTS["report_summary.schema.json"] is ReportSummary
    assert len(EXPORTS) >= 2


@pytest.mark.parametrize("name", sorted(EXPORTS))
def test_schema_file_is_current(name: str) -> None:
    path = SCHEMAS_DIR / name
    assert path.is_file(), f"{path} missing; {FIX}"
    assert path.read_text(encoding="utf-8") == schema_text(EXPORTS[name]), f"{name} differs from its model; {FIX}"


def test_no_schema_file_without_a_model() -> None:
    files = {p.name for p in SCHEMAS_DIR.glob("*.json")}
    assert files == set(EXPORTS), f"schemas/ holds {sorted(files - set(EXPORTS))} that no model exports"


def test_an_added_field_changes_the_text() -> None:
    """The comparison is on the full text, so even one optional field added makes it stale."""
    extended = create_model("ReportSummary", __base__=ReportSummary, reviewer_note=(str | None, None))
    assert schema_text(extended) != (SCHEMAS_DIR / "report_summary.schema.json").read_text(encoding="utf-8")


def test_a_changed_description_changes_the_text() -> None:
    described = create_model("ReportSummary", __base__=ReportSummary, overview=(str, Field(description="概述（不超过200字）")))
    assert schema_text(described) != schema_text(ReportSummary)


@pytest.mark.parametrize("name", sorted(EXPORTS))
def test_schema_text_is_stable_json(name: str) -> None:
    text = schema_text(EXPORTS[name])
    assert text == schema_text(EXPORTS[name])
    assert text.endswith("}\n")
    schema = json.loads(text)
    assert schema["type"] == "object"
    assert json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=True) + "\n" == text  # keys sorted, Chinese kept


def test_summary_schema_names_every_output_section() -> None:
    schema = json.loads(schema_text(ReportSummary))
    assert set(schema["required"]) == {
        "meta", "parts", "overview", "highlights", "indicators", "shortcomings", "measures", "risks", "provenance",
    }  # fmt: skip
    evidence = schema["$defs"]["Evidence"]
    assert set(evidence["required"]) == {"quote", "start", "end"}


def test_export_writes_every_schema(tmp_path: Path) -> None:
    written = export(tmp_path / "out")
    assert sorted(p.name for p in written) == sorted(EXPORTS)
    for path in written:
        assert path.read_text(encoding="utf-8") == (SCHEMAS_DIR / path.name).read_text(encoding="utf-8"), FIX


def test_module_entry_point(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "fazhi_review.schema_export", str(tmp_path)],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert sorted(Path(line).name for line in result.stdout.split()) == sorted(EXPORTS)
    for name in EXPORTS:
        assert (tmp_path / name).read_text(encoding="utf-8") == (SCHEMAS_DIR / name).read_text(encoding="utf-8"), FIX
