"""The per-report job: file → cached summary → summary (.json, .md) and 审阅意见 (.md, .docx).

Offline, one worker process runs the whole job (``run_job``). On the LLM path it is cut in three
so that the threads waiting for the endpoint hold the GIL as briefly as possible: a worker process
reads and analyses the report and plans its requests (``prepare_job``), a thread makes the calls
(``ask_job``), and a worker process assembles the summary and writes the files (``finish_job``).
No step ever raises: every failure becomes a ``FailureRecord`` with the Chinese message the user
would have seen for this file alone, so one bad file never stops a county's batch.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from fazhi_review.analysis import Analysis, analyze_document, analyze_path
from fazhi_review.batch.cache import Cache, CacheEntry
from fazhi_review.batch.files import write_bytes_atomic, write_text_atomic
from fazhi_review.batch.review_step import review_outputs
from fazhi_review.config import CheckProfile, LLMSettings
from fazhi_review.county import FailureCategory, FailureRecord
from fazhi_review.errors import ConfigError, FazhiError, InputError, LLMError, UsageError
from fazhi_review.models import Document, ReportSummary
from fazhi_review.output import OutputError
from fazhi_review.pipeline import require_model_content
from fazhi_review.render import render_json, render_markdown
from fazhi_review.review import ReviewSettings
from fazhi_review.text import readable_path

if TYPE_CHECKING:
    from fazhi_review.engine.llm import Answers, LLMRun, Request

REPORTS_DIR = "各报告"


@dataclass(frozen=True)
class LLMSpec:
    """What a worker process needs of the LLM engine: settings and mode, not the HTTP client."""

    settings: LLMSettings
    mode: str
    #: --fallback offline: a report the model gave nothing grounded for keeps the offline summary
    accept_offline: bool = False


@dataclass(frozen=True)
class BatchEngine:
    """How one report is summarised. Offline it is picklable for worker processes; ``llm_run``
    holds the HTTP client shared by the worker threads, so processes get an ``LLMSpec`` instead."""

    profile: CheckProfile
    llm_run: LLMRun | None = None
    accept_offline: bool = False

    def summarize(self, path: Path) -> tuple[ReportSummary, str]:
        analysis = analyze_path(path, self.profile)
        if self.llm_run is None:
            from fazhi_review.engine import summarize_offline

            return summarize_offline(analysis), analysis.document.text
        from fazhi_review.engine.assemble import assemble
        from fazhi_review.engine.llm import llm_claims

        summary = assemble(analysis, "llm", llm_claims(analysis, self.llm_run))
        require_model_content(summary, self.accept_offline)
        return summary, analysis.document.text


#: a report in miniature: every stage's first use, run once by ``warm_up_stages``
_WARM_UP_REPORT = """关于某镇2024年法治政府建设情况的报告
县委依法治县办：
2024年，我镇深入学习贯彻习近平法治思想，全面推进法治政府建设。现将有关情况报告如下：
一、主要举措和成效
（一）健全依法决策机制。全年召开党委会12次，重大行政决策合法性审查率达100%。
二、党政主要负责人履行推进法治建设第一责任人职责情况
党委书记带头学法述法，主持召开专题会议3次。
三、存在的不足
一是执法人员力量不足；二是普法宣传形式单一。
四、原因分析
主要是因为人员编制有限。
五、2025年工作安排
一是加强执法队伍建设；二是创新普法形式。
某镇人民政府
2025年1月15日
"""


def warm_up_stages(profile: CheckProfile) -> None:
    """What every worker process would otherwise build for its first report (the 纲要 chapter
    table, the outdated-reference patterns, the table of characters OpenCC may change, the
    letter's templates and base document, modules imported on first use), built once by the
    batch before it forks them: ~40 ms here instead of ~60 ms in each worker. No file is written."""
    from fazhi_review.engine import summarize_offline

    text = _WARM_UP_REPORT
    document = Document(path="warm-up.txt", format="txt", text=text, sha256=hashlib.sha256(text.encode("utf-8")).hexdigest())
    try:
        summary = summarize_offline(analyze_document(document, profile))
        render_json(summary)
        render_markdown(summary)
        review_outputs(summary, ReviewSettings())
    except Exception:  # only a head start: each report still runs (and fails) on its own
        if os.environ.get("FAZHI_DEBUG"):
            raise


@dataclass(frozen=True)
class Prepared:
    """A report read, analysed and turned into requests, ready for the endpoint."""

    analysis: Analysis
    requests: list[Request]


@dataclass(frozen=True)
class Task:
    path: Path
    name: str
    key: str
    outdir: Path
    cache_dir: Path
    review: ReviewSettings
    #: the file given earlier in this run with the same bytes (and so the same key): this one is
    #: done after it, from its cache entry, so identical files cost one summary, never two
    duplicate_of: str | None = None


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
    duplicate_of: str | None = None


def _category(error: BaseException) -> FailureCategory:
    if isinstance(error, LLMError):
        return "模型服务错误"
    if isinstance(error, ConfigError):
        return "配置错误"
    if isinstance(error, UsageError):
        return "用法错误"
    if isinstance(error, OutputError):
        return "输出错误"  # the output folder, not the report: the report itself is fine
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


def write_outputs(
    summary: ReportSummary, name: str, outdir: Path, settings: ReviewSettings, summary_json: str | None = None
) -> tuple[list[str], str | None, list[str]]:
    """Every per-report file, each written atomically; returns (paths, verdict, reasons).
    ``summary_json``: ``render_json(summary)`` when the caller has it already."""
    paths = summary_outputs(name)
    (outdir / REPORTS_DIR).mkdir(parents=True, exist_ok=True)
    review = review_outputs(summary, settings)
    write_text_atomic(outdir / paths["summary_json"], summary_json if summary_json is not None else render_json(summary))
    write_text_atomic(outdir / paths["summary_md"], render_markdown(summary))
    write_text_atomic(outdir / paths["review_md"], review.markdown)
    write_bytes_atomic(outdir / paths["review_docx"], review.docx)
    return list(paths.values()), review.verdict, review.reasons


@dataclass(frozen=True)
class Summarized:
    """A report's summary and its JSON, rendered once for the cache entry and the .json file."""

    summary: ReportSummary
    json: str | None = None


def store_summary(cache: Cache, key: str, summary: ReportSummary, text: str) -> Summarized:
    rendered = Summarized(summary, render_json(summary))
    cache.store(CacheEntry(key=key, summary=summary, text=text), rendered.json)
    return rendered


def _guarded(task: Task, step: Callable[[JobResult], None]) -> JobResult:
    """Run one step of a report's job; any failure becomes the result's FailureRecord."""
    result = JobResult(name=task.name, source=readable_path(task.path), key=task.key, ok=False, duplicate_of=task.duplicate_of)
    try:
        step(result)
        result.ok = True
    except Exception as error:
        if os.environ.get("FAZHI_DEBUG"):
            raise
        result.failure = failure_of(result.source, error)
    return result


def _summarized(task: Task, engine: BatchEngine) -> tuple[JobResult, Summarized | None]:
    """The job's result and, when it succeeded, the summary itself, so a worker doing both parts
    writes the files from it instead of reading back and re-validating the entry it just stored."""
    summaries: list[Summarized] = []

    def step(result: JobResult) -> None:
        cache = Cache(task.cache_dir)
        entry = cache.load(task.key)
        if entry is not None:
            result.cached = True
            summaries.append(Summarized(entry.summary))
            return
        summary, text = engine.summarize(task.path)
        summaries.append(store_summary(cache, task.key, summary, text))
        result.calls = summary.provenance.calls

    result = _guarded(task, step)
    return result, summaries[0] if result.ok and summaries else None


def output_job(task: Task, summarized: Summarized, cached: bool = True, calls: int = 0) -> JobResult:
    """The CPU-bound part: the report's files from its summary (no model call)."""

    def step(result: JobResult) -> None:
        result.cached, result.calls = cached, calls
        summary, rendered = summarized.summary, summarized.json
        if summary.meta.source_file != result.source:  # the same bytes under another name
            summary = summary.model_copy(update={"meta": summary.meta.model_copy(update={"source_file": result.source})})
            rendered = None
        result.outputs, result.verdict, result.verdict_reasons = write_outputs(summary, task.name, task.outdir, task.review, rendered)

    return _guarded(task, step)


def run_job(task: Task, engine: BatchEngine) -> JobResult:
    """Both parts in one worker (the offline engine's unit of work); never raises."""
    first, summarized = _summarized(task, engine)
    return output_job(task, summarized, first.cached, first.calls) if summarized is not None else first


def run_jobs(tasks: list[Task], engine: BatchEngine) -> list[JobResult]:
    """Several reports in one worker call: a submission per report cost the parent ~1 ms of
    pickling and executor bookkeeping, a tenth of the offline engine's time per report."""
    return [run_job(task, engine) for task in tasks]


def prepare_job(task: Task, profile: CheckProfile, spec: LLMSpec) -> tuple[JobResult, Prepared | None]:
    """LLM path, in a worker process: a cached report is finished here (its files written, no
    call); any other is analysed and its requests planned, for a thread to send."""
    entry = Cache(task.cache_dir).load(task.key)
    if entry is not None:
        return output_job(task, Summarized(entry.summary)), None
    prepared: list[Prepared] = []

    def step(result: JobResult) -> None:
        from fazhi_review.engine.llm import plan_requests

        analysis = analyze_path(task.path, profile)
        prepared.append(Prepared(analysis, plan_requests(analysis, spec.settings)))

    result = _guarded(task, step)
    return result, prepared[0] if prepared else None


def ask_job(task: Task, prepared: Prepared, run: LLMRun) -> tuple[JobResult, Answers | None]:
    """LLM path, in a thread: the calls and nothing else that could be done elsewhere."""
    answers: list[Answers] = []

    def step(result: JobResult) -> None:
        from fazhi_review.engine.llm import ask

        answers.append(ask(prepared.analysis, prepared.requests, run))

    result = _guarded(task, step)
    return result, answers[0] if answers else None


def finish_job(task: Task, analysis: Analysis, answers: Answers, spec: LLMSpec) -> JobResult:
    """LLM path, in a worker process: the summary from the answers, cached, then its files."""
    summaries: list[Summarized] = []

    def step(result: JobResult) -> None:
        from fazhi_review.engine.assemble import assemble
        from fazhi_review.engine.llm import finish_claims

        summary = assemble(analysis, "llm", finish_claims(analysis, answers, spec.settings, spec.mode))
        require_model_content(summary, spec.accept_offline)  # before the cache: a rerun asks again
        summaries.append(store_summary(Cache(task.cache_dir), task.key, summary, analysis.document.text))

    result = _guarded(task, step)
    if not result.ok:
        return result
    return output_job(task, summaries[0], cached=False, calls=summaries[0].summary.provenance.calls)
