"""Shared fixtures: every test runs with a clean environment and its own config/cache dirs."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from fazhi_review.analysis import analyze_path
from fazhi_review.engine.offline import summarize_offline
from fazhi_review.models import REQUIRED_PARTS, ReportSummary

REPO = Path(__file__).resolve().parents[1]
EXAMPLES_DIR = REPO / "examples"
#: the project's own annotated set: the bundled sample reports and their gold (quotes verbatim)
REPORTS_DIR = EXAMPLES_DIR
GOLD_DIR = EXAMPLES_DIR / "gold"
#: a wider set kept beside the repository on the maintainers' machines; tests that use it are
#: extras and skip in a plain clone
SHARED = REPO.parent / "shared"
SHARED_REPORTS_DIR = SHARED / "reports"
SHARED_GOLD_DIR = SHARED / "gold"
needs_shared = pytest.mark.skipif(not SHARED_GOLD_DIR.is_dir(), reason="../shared is not beside this clone")

_SECRET_HEADERS = ["authorization", "api-key", "x-api-key", "cookie", "set-cookie", "openai-organization", "openai-project"]


@pytest.fixture(autouse=True)
def isolated_environment(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    """No developer's endpoint, key or fazhi.toml leaks into a test."""
    for name in ["FAZHI_BASE_URL", "FAZHI_API_KEY", "FAZHI_MODEL", "FAZHI_MODE", "OPENAI_BASE_URL", "OPENAI_API_KEY", "FAZHI_DEBUG"]:
        monkeypatch.delenv(name, raising=False)
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / "cache"))
    monkeypatch.chdir(home)


@pytest.fixture
def without_ocr(monkeypatch: pytest.MonkeyPatch) -> None:
    """As in an install without the ``ocr`` extra, whether or not this venv has it."""
    import fazhi_review.ingest.ocr

    monkeypatch.setattr(fazhi_review.ingest.ocr, "available", lambda: False)


def gold_cases() -> list[tuple[dict, str]]:
    """(gold annotation, original report text) for every gold file."""
    cases = []
    for path in sorted(GOLD_DIR.glob("*.json")):
        gold = json.loads(path.read_text(encoding="utf-8"))
        cases.append((gold, (REPORTS_DIR / gold["report"]).read_text(encoding="utf-8")))
    return cases


def read_variant(path: Path, issuer: str, level: str, shortcomings: list[str], measures: list[str]) -> ReportSummary:
    """A variant report's offline summary, checked for what every structural variant must give:
    verbatim quotes, its issuer and level, all five parts, these 不足 (each with its causes) and
    these 措施, in order."""
    summary = summarize_offline(analyze_path(path))
    assert_verbatim(summary, path.read_text(encoding="utf-8"))
    assert (summary.meta.issuer, summary.meta.level) == (issuer, level)
    assert all(summary.parts.get(part) for part in REQUIRED_PARTS)
    assert [s.text for s in summary.shortcomings] == shortcomings
    assert all(s.has_reason for s in summary.shortcomings)
    assert [m.text for m in summary.measures] == measures
    return summary


def summary_of_file(path: Path) -> ReportSummary:
    """The offline summary of a fixture in any format, its quotes checked against the text read."""
    analysis = analyze_path(path)
    summary = summarize_offline(analysis)
    assert_verbatim(summary, analysis.document.text)
    return summary


def summary_of_text(text: str, tmp_path: Path) -> ReportSummary:
    """The offline summary of a report written inline in a test, its quotes checked verbatim."""
    path = tmp_path / "report.txt"
    path.write_text(text, encoding="utf-8")
    summary = summarize_offline(analyze_path(path))
    assert_verbatim(summary, text)
    return summary


def serious_rules(summary: ReportSummary) -> set[str]:
    """The rule ids of the 高 and 中 findings: the ones a false alarm costs a reviewer's trust."""
    return {risk.rule_id for risk in summary.risks if risk.severity in ("高", "中")}


def assert_verbatim(summary: object, original: str) -> None:
    """Every evidence in a ReportSummary quotes the original exactly at its offsets."""
    for section, index, evidence in summary.iter_evidence():  # type: ignore[attr-defined]
        assert original[evidence.start : evidence.end] == evidence.quote, f"{section}[{index}]"


def _scrub_response(response: dict) -> dict:
    headers = response.get("headers", {})
    for name in list(headers):
        if name.lower() in _SECRET_HEADERS:
            del headers[name]
    return response


@pytest.fixture(scope="module")
def vcr_config() -> dict:
    """Cassettes match on method, path and body: a changed prompt fails until re-recorded.

    No record_mode here: it would override --record-mode on the command line.
    """
    return {
        "filter_headers": [(name, None) for name in _SECRET_HEADERS],
        "before_record_response": _scrub_response,
        "match_on": ["method", "path", "body"],
        "decode_compressed_response": True,
    }


@pytest.fixture(scope="module")
def vcr_cassette_dir(request: pytest.FixtureRequest) -> str:
    """Top-level cassettes/, one folder per test module; scripts/record-cassettes points
    FAZHI_CASSETTE_DIR at a temporary folder so that a failed recording destroys nothing."""
    root = Path(os.environ.get("FAZHI_CASSETTE_DIR") or REPO / "cassettes")
    return str(root / request.module.__name__.rsplit(".", 1)[-1])
