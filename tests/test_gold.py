"""The project's own gold set (examples/gold) is sound, and agrees with ../shared when that exists."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import GOLD_DIR, REPORTS_DIR, SHARED_GOLD_DIR, SHARED_REPORTS_DIR, needs_shared

GOLD_FILES = sorted(GOLD_DIR.glob("*.json"))


def _quotes(gold: dict) -> list[str]:
    items = [*gold["indicators"], *gold["shortcomings"], *gold["findings"]]
    return [item["quote"] for item in items if item.get("quote")]


def test_every_bundled_example_has_gold() -> None:
    reports = sorted(p.name for p in REPORTS_DIR.glob("*.txt"))
    annotated = sorted(json.loads(p.read_text(encoding="utf-8"))["report"] for p in GOLD_FILES)
    assert reports and annotated == reports


@pytest.mark.parametrize("gold_path", GOLD_FILES, ids=lambda p: p.stem)
def test_gold_quotes_are_verbatim(gold_path: Path) -> None:
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    text = (REPORTS_DIR / gold["report"]).read_text(encoding="utf-8")
    missing = [quote for quote in _quotes(gold) if quote not in text]
    assert _quotes(gold) and not missing


@needs_shared
def test_shared_gold_quotes_are_verbatim_in_shared_reports() -> None:
    """Extra: the maintainers' wider set, when it sits beside the clone."""
    for path in sorted(SHARED_GOLD_DIR.glob("*.json")):
        gold = json.loads(path.read_text(encoding="utf-8"))
        text = (SHARED_REPORTS_DIR / gold["report"]).read_text(encoding="utf-8")
        assert all(quote in text for quote in _quotes(gold)), path.name
