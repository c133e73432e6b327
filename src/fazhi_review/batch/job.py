"""The per-report job: file → cached summary → summary (.json, .md) and 审阅意见 (.md, .docx).

It runs inside a worker process (offline) or thread (LLM) and never raises: every failure
becomes a ``FailureRecord`` with the Chinese message the user would have seen for this file
alone, so one bad file never stops a county's batch.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fazhi_review.analysis import analyze_path
from fazhi_review.batch.cache import Cache, CacheEntry
from fazhi_review.batch.files import write_bytes_atomic, write_text_atomic
from fazhi_review.batch.review_step import review_outputs
from fazhi_review.config import CheckProfile
from fazhi_review.county import FailureCategory, FailureRecord
from fazhi_review.errors import ConfigError, FazhiError, InputError, LLMError, UsageError
from fazhi_review.models import ReportSummary
from fazhi_review.render import render_json, render_markdown
from fazhi_review.review import ReviewSettings

REPORTS_DIR = "各报告"


@dataclass(frozen=True)
class Engine:
    """How one report is summarised; offline engines are picklable for worker processes."""

    profile: CheckProfile
    llm_run: Any | None = None  # engine.llm.LLMRun, shared by the worker threads

    def summarize(self, path: Path) -> tuple[ReportSummary, str]:
        analysis = analyze_path(path, self.profile)
        if self.llm_run is None:
            from fazhi_review.engine import summarize_offline

            return summarize_offline(analysis), analysis.document.text
        from fazhi_review.engine.assemble import assemble
        from fazhi_review.engine.llm import llm_claims

        return assemble(analysis, "llm", llm_claims(analysis, self.llm_run)), analysis.document.text


@dataclass(frozen=True)
class Task:
    path: Path
    name: str
    key: str
    outdir: Path
    cache_dir: Path
    review: ReviewSettings


@dataclass
class JobResult:
    name: str
    source: str
    key: str
    ok: bool
    cached: bool = False
    calls: int = 0
    outputs: list[str] = field(default_factory=list)
    verdict: str | None = None
    verdict_reasons: list[str] = field(default_factory=list)
    failure: FailureRecord | None = None


def _category(error: BaseException) -> FailureCategory:
    if isinstance(error, LLMError):
        return "模型服务错误"
    if isinstance(error, ConfigError):
        return "配置错误"
    if isinstance(error, UsageError):
        return "用法错误"
    if isinstance(error, (InputError, FazhiError)):
        return "输入错误"
    return "内部错误"


def failure_of(path: str, error: BaseException) -> FailureRecord:
    if isinstance(error, FazhiError):
        reason = error.user_message()
        if error.path is None:
            reason = f"{path}：{reason}"
        return FailureRecord(file=path, reason=reason, category=_category(error), exit_code=error.exit_code)
    return FailureRecord(file=path, reason=f"{path}：内部错误（{type(error).__name__}: {error}）", category="内部错误", exit_code=1)


def summary_outputs(name: str) -> dict[str, str]:
    folder = REPORTS_DIR
    return {
        "summary_json": f"{folder}/{name}.摘要.json",
        "summary_md": f"{folder}/{name}.摘要.md",
        "review_md": f"{folder}/{name}.审阅意见.md",
        "review_docx": f"{folder}/{name}.审阅意见.docx",
    }


def write_outputs(summary: ReportSummary, name: str, outdir: Path, settings: ReviewSettings) -> tuple[list[str], str | None, list[str]]:
    """Every per-report file, each written atomically; returns (paths, verdict, reasons)."""
    paths = summary_outputs(name)
    (outdir / REPORTS_DIR).mkdir(parents=True, exist_ok=True)
    review = review_outputs(summary, settings)
    write_text_atomic(outdir / paths["summary_json"], render_json(summary))
    write_text_atomic(outdir / paths["summary_md"], render_markdown(summary))
    write_text_atomic(outdir / paths["review_md"], review.markdown)
    write_bytes_atomic(outdir / paths["review_docx"], review.docx)
    return list(paths.values()), review.verdict, review.reasons


def _guarded(task: Task, step: Callable[[JobResult], None]) -> JobResult:
    """Run one step of a report's job; any failure becomes the result's FailureRecord."""
    result = JobResult(name=task.name, source=str(task.path), key=task.key, ok=False)
    try:
        step(result)
        result.ok = True
    except Exception as error:
        if os.environ.get("FAZHI_DEBUG"):
            raise
        result.failure = failure_of(result.source, error)
    return result


def _summarized(task: Task, engine: Engine) -> tuple[JobResult, ReportSummary | None]:
    """The job's result and, when it succeeded, the summary itself, so a worker doing both parts
    writes the files from it instead of reading back and re-validating the entry it just stored."""
    summaries: list[ReportSummary] = []

    def step(result: JobResult) -> None:
        cache = Cache(task.cache_dir)
        entry = cache.load(task.key) if cache.has(task.key) else None
        if entry is not None:
            result.cached = True
            summaries.append(entry.summary)
            return
        summary, text = engine.summarize(task.path)
        cache.store(CacheEntry(key=task.key, summary=summary, text=text))
        result.calls = summary.provenance.calls
        summaries.append(summary)

    result = _guarded(task, step)
    return result, summaries[0] if result.ok and summaries else None


def summarize_job(task: Task, engine: Engine) -> JobResult:
    """The part that may call a model: summarise into the cache unless it is there already."""
    return _summarized(task, engine)[0]


def output_job(task: Task, cached: bool = True, calls: int = 0, summary: ReportSummary | None = None) -> JobResult:
    """The CPU-bound part: the report's files, from ``summary`` or its cache entry (no model call)."""

    def step(result: JobResult) -> None:
        nonlocal summary
        result.cached, result.calls = cached, calls
        if summary is None:
            entry = Cache(task.cache_dir).load(task.key)
            if entry is None:
                raise FazhiError("缓存条目丢失", path=result.source, hint="请重新运行同一命令")
            summary = entry.summary
        if summary.meta.source_file != result.source:  # the same bytes under another name
            summary = summary.model_copy(update={"meta": summary.meta.model_copy(update={"source_file": result.source})})
        result.outputs, result.verdict, result.verdict_reasons = write_outputs(summary, task.name, task.outdir, task.review)

    return _guarded(task, step)


def run_job(task: Task, engine: Engine) -> JobResult:
    """Both parts in one worker (the offline engine's unit of work); never raises."""
    first, summary = _summarized(task, engine)
    return output_job(task, first.cached, first.calls, summary) if first.ok else first
