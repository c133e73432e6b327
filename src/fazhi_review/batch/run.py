"""``fazhi batch``: discover → schedule (cache, resume, bounded workers) → roll-up → summary.

The CLI calls :func:`run_batch` and nothing else. Every per-report result is recorded in the
manifest as it arrives, so Ctrl-C or a crash loses at most the reports still running; the next
run takes finished reports from the cache without a model call.
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Executor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from fazhi_review.batch.cache import CACHE_DIR, JOURNAL, MANIFEST, Cache, Manifest, ManifestEntry, cache_key, engine_fingerprint, file_sha256
from fazhi_review.batch.discovery import Discovery, discover, output_names
from fazhi_review.batch.files import remove_outputs, remove_stale_temps
from fazhi_review.batch.job import REPORTS_DIR, BatchEngine, JobResult, Task, failure_of
from fazhi_review.batch.limiter import SharedLimiter
from fazhi_review.batch.progress import Progress, make_progress
from fazhi_review.batch.review_step import letters_key, review_settings
from fazhi_review.batch.rollup import ROLLUP_FILES, is_batch_output, rollup_is_current, rollup_key, write_rollup
from fazhi_review.batch.scheduler import Workers, run_tasks, worker_count
from fazhi_review.config import CheckProfile, LLMSettings, load_check_profile
from fazhi_review.county import FailureRecord, SkippedFile
from fazhi_review.errors import UsageError, interrupted, os_reason
from fazhi_review.pipeline import SummarizeOptions, engine_choice
from fazhi_review.render.viewer import PAGES_DIR, page_name
from fazhi_review.review import ReviewSettings
from fazhi_review.text import readable_path

if TYPE_CHECKING:
    import openai

DEFAULT_LLM_JOBS = 4


@dataclass
class BatchOptions:
    outdir: Path
    jobs: int | None = None
    quiet: bool = False
    force: bool = False
    summarize: SummarizeOptions = field(default_factory=SummarizeOptions)
    progress_stream: TextIO | None = None
    limiter: SharedLimiter | None = None
    #: fazhi review's flags for every 审阅意见 (the CLI's --issuer)
    review_flags: dict[str, Any] = field(default_factory=dict)


@dataclass
class BatchResult:
    outdir: Path
    total: int = 0
    succeeded: int = 0
    from_cache: int = 0
    #: files of this run identical to one given before them (their outputs are that file's)
    duplicates: int = 0
    #: inputs of the last run that are not given any more: their files were removed
    removed: list[str] = field(default_factory=list)
    model_calls: int = 0
    engine: str = "offline"
    failures: list[FailureRecord] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0
    rollup_seconds: float = 0.0
    rollup_reused: bool = False

    @property
    def exit_code(self) -> int:
        return 1 if self.failures else 0


class BatchInterrupted(KeyboardInterrupt):
    """Ctrl-C (or an error it caused), and whether the county files were being written then."""

    def __init__(self, during_rollup: bool) -> None:
        super().__init__()
        self.during_rollup = during_rollup


def refuse_inputs_in_outdir(inputs: list[Path], root: Path) -> None:
    """-o may lie inside an input folder (its files are then never read as reports), but no input
    may lie inside -o: the batch writes index.html, 各报告/ and the rest there and would
    overwrite a township's file of that name, or skip it as its own."""
    for item in inputs:
        resolved = item.resolve()
        if resolved == root or root in resolved.parents:
            raise UsageError(
                "输入文件或目录在输出目录之内，批量审阅会在那里写入 index.html、各报告/ 等文件，可能覆盖或漏读报告",
                path=str(item),
                hint="请用 -o 指定输入目录之外的目录，或输入目录下的一个新子目录（如 报告目录/审阅结果）",
            )


def refuse_foreign_outdir(outdir: Path) -> None:
    """A folder this tool did not write (no batch cache in it) whose files have the names the batch
    writes: the user's own index.html or 汇总表.xlsx there is never overwritten."""
    if not outdir.is_dir() or (outdir / CACHE_DIR).is_dir():
        return
    clash = next((name for name in (*ROLLUP_FILES, MANIFEST, JOURNAL, REPORTS_DIR, PAGES_DIR) if (outdir / name).exists()), None)
    if clash is not None:
        raise UsageError(
            f"输出目录中已有 {clash}，不是本工具以前批量审阅写下的，不会覆盖",
            path=str(outdir),
            hint="请用 -o 指定一个新目录或空目录",
        )


def _refuse_a_file_as_outdir(outdir: Path) -> None:
    if outdir.exists() and not outdir.is_dir():
        raise UsageError("输出路径已存在且不是目录", path=str(outdir), hint="请用 -o 指定一个目录")


def _prepare_outdir(outdir: Path) -> None:
    try:
        (outdir / CACHE_DIR).mkdir(parents=True, exist_ok=True)
        (outdir / REPORTS_DIR).mkdir(exist_ok=True)
    except OSError as error:
        what = "无法在输出目录中写入" if outdir.is_dir() else "无法创建输出目录"
        raise UsageError(f"{what}（{os_reason(error)}）", path=str(outdir), hint="请检查路径和权限，或用 -o 换一个目录") from None
    for folder in (outdir, outdir / CACHE_DIR, outdir / REPORTS_DIR):
        _check_writable(folder)
        remove_stale_temps(folder)


def _check_writable(folder: Path) -> None:
    """Every report would fail on a folder it cannot write into (a read-only 各报告/ left by a copy
    tool): a usage error before any work, not a batch of failures and an empty roll-up."""
    import tempfile

    try:
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as error:
        raise UsageError(f"无法在输出目录中写入（{os_reason(error)}）", path=str(folder), hint="请检查该目录的权限，或用 -o 换一个目录") from None


@dataclass(frozen=True)
class EngineChoice:
    """The engine the options ask for, as far as the cache keys need it. The HTTP client (openai
    takes about a second to import) is built by ``build`` only when some report is summarised, so
    an unchanged rerun never pays for it."""

    profile: CheckProfile
    jobs: int
    settings: LLMSettings | None = None
    mode: str | None = None
    limiter: SharedLimiter | None = None
    accept_offline: bool = False

    def fingerprint(self) -> dict[str, object]:
        return engine_fingerprint(self.profile, self.settings, self.mode)

    def build(self) -> BatchEngine:
        if self.settings is None or self.mode is None or self.limiter is None:
            return BatchEngine(self.profile)
        from fazhi_review.engine.llm import LLMRun

        client = _client(self.settings)
        run = LLMRun(settings=self.settings, mode=self.mode, create=self.limiter.wrap(client.chat.completions.create))
        return BatchEngine(self.profile, run, accept_offline=self.accept_offline)


def _client(settings: LLMSettings) -> openai.OpenAI:
    from fazhi_review.llm.client import openai_client

    return openai_client(settings)


def _engine_choice(options: BatchOptions) -> EngineChoice:
    profile = options.summarize.profile or load_check_profile()
    _, settings = engine_choice(options.summarize)
    if settings is None:
        return EngineChoice(profile, options.jobs or os.cpu_count() or 1)
    from fazhi_review.llm.probe import resolved_mode

    mode = resolved_mode(settings, lambda: _client(settings))
    accept_offline = options.summarize.fallback == "offline"
    return EngineChoice(profile, options.jobs or DEFAULT_LLM_JOBS, settings, mode, options.limiter or SharedLimiter(), accept_offline)


def _plan(files: list[Path], options: BatchOptions, manifest: Manifest, result: BatchResult, review: ReviewSettings) -> list[Task]:
    """Tasks for what is not already finished (with these letter settings); unreadable files fail
    here, before any work."""
    outdir, cache = options.outdir, Cache(options.outdir / CACHE_DIR)
    names = output_names(files)
    fingerprint = manifest.fingerprint
    same_letters = manifest.letters_key == letters_key(review)
    tasks = []
    leaders: dict[str, str] = {}
    for path in files:
        name = names[path]
        try:
            key = cache_key(file_sha256(path), fingerprint)
        except OSError as error:
            failure = failure_of(readable_path(path), error)
            failure = failure.model_copy(update={"reason": f"{readable_path(path)}：无法读取文件（{os_reason(error)}）。请检查文件权限", "category": "输入错误"})
            result.failures.append(failure)
            manifest.reports[name] = ManifestEntry(source=readable_path(path), status="failed", error=failure.reason, category=failure.category, exit_code=1)
            continue
        if options.force:
            cache.path(key).unlink(missing_ok=True)
        elif same_letters and manifest.finished(name, key, outdir):
            result.succeeded += 1
            result.from_cache += 1
            continue
        first = leaders.setdefault(key, readable_path(path))
        duplicate_of = first if first != readable_path(path) else None
        tasks.append(Task(path=path, name=name, key=key, outdir=outdir, cache_dir=outdir / CACHE_DIR, review=review, duplicate_of=duplicate_of))
    for stale in sorted(set(manifest.reports) - set(names.values())):
        # inputs no longer given are not part of this roll-up, nor are their files
        entry = manifest.reports.pop(stale)
        remove_outputs(outdir, [*entry.outputs, page_name(stale)])
        result.removed.append(entry.source)
    return tasks


def _recorder(manifest: Manifest, outdir: Path, result: BatchResult, progress: Progress) -> Callable[[JobResult], None]:
    def record(job: JobResult) -> None:
        entry = ManifestEntry(source=job.source, key=job.key, outputs=job.outputs, verdict=job.verdict, verdict_reasons=job.verdict_reasons)
        if job.ok:
            entry.status = "done"
            result.succeeded += 1
            result.duplicates += int(job.duplicate_of is not None)
            result.from_cache += int(job.cached and job.duplicate_of is None)
            result.model_calls += job.calls
        elif job.failure is not None:
            entry = entry.model_copy(
                update={"status": "failed", "error": job.failure.reason, "category": job.failure.category, "exit_code": job.failure.exit_code}
            )
            result.failures.append(job.failure)
        manifest.record(outdir, job.name, entry)
        progress.report_done(job)

    return record


def _rollup(
    outdir: Path, manifest: Manifest, result: BatchResult, pool: Executor | None, wrote_reports: bool, skipped: list[SkippedFile], settings: ReviewSettings
) -> None:
    """Rebuild the county outputs unless nothing they depend on changed since the last run and no
    report's files were written again (they would lack the cross-report findings the roll-up adds)."""
    key = rollup_key(manifest, result.failures, settings, skipped)
    if not wrote_reports and rollup_is_current(outdir, manifest, key):
        result.rollup_reused = True
        return
    started = time.perf_counter()
    write_rollup(outdir, manifest, result.failures, settings, pool, skipped)
    result.rollup_seconds = time.perf_counter() - started
    manifest.rollup_key = key
    manifest.save(outdir)


def run_batch(inputs: list[Path], options: BatchOptions) -> BatchResult:
    started = time.perf_counter()
    root = options.outdir.resolve()
    refuse_inputs_in_outdir(inputs, root)
    refuse_foreign_outdir(options.outdir)
    _refuse_a_file_as_outdir(options.outdir)
    found = discover(inputs, lambda path: is_batch_output(root, path))
    # every setting is checked before the output folder is made: a usage error leaves nothing behind
    choice = _engine_choice(options)
    review = review_settings(options.review_flags)
    _prepare_outdir(options.outdir)
    for note in found.notes if not options.quiet else []:
        options.summarize.notify(note)
    if review.issuer_is_placeholder and not options.quiet:
        options.summarize.notify(
            f"提示：未设置审阅意见的发文机关：主送依法治县办或司法局的报告由其落款，其余用占位名称“{review.issuer}”；可用 --issuer 或 fazhi.toml 的 [review] issuer 设置。"
        )
    with _only_writer(options.outdir):
        result = _run_found(found, options, choice, review)
    result.seconds = time.perf_counter() - started
    return result


@contextlib.contextmanager
def _only_writer(outdir: Path) -> Iterator[None]:
    """One batch at a time per output folder: two at once would both do every report and race on
    the manifest. An OS lock (filelock), so a killed run leaves no stale lock behind."""
    from filelock import FileLock, Timeout

    lock = FileLock(str(outdir / CACHE_DIR / _LOCK), timeout=0)
    try:
        lock.acquire()
    except Timeout:
        raise UsageError("另一个 fazhi batch 正在向这个输出目录写入", path=str(outdir), hint="请等它结束后再运行，或用 -o 换一个目录") from None
    try:
        yield
    finally:
        lock.release()


_LOCK = "batch.lock"


def _run_found(found: Discovery, options: BatchOptions, choice: EngineChoice, review: ReviewSettings) -> BatchResult:
    result = BatchResult(outdir=options.outdir, total=len(found.files), notes=found.notes, engine="offline" if choice.settings is None else "llm")
    manifest = Manifest() if options.force else Manifest.load(options.outdir)
    manifest.fingerprint = choice.fingerprint()
    tasks = _plan(found.files, options, manifest, result, review)
    engine = choice.build() if tasks else BatchEngine(choice.profile)  # nothing to summarise: no client
    jobs = choice.jobs
    progress = make_progress(options.quiet, options.progress_stream)
    progress.start(result.total, result.succeeded)
    workers = Workers(worker_count(engine, jobs))
    in_rollup = False
    try:
        try:
            record, started_one = _recorder(manifest, options.outdir, result, progress), lambda task: progress.report_started(readable_path(task.path))
            # identical files after the file they copy, which has then stored the shared summary
            run_tasks([task for task in tasks if task.duplicate_of is None], engine, workers, jobs, record, started_one)
            run_tasks([task for task in tasks if task.duplicate_of is not None], engine, workers, jobs, record, started_one)
            manifest.letters_key = letters_key(review)  # only once every letter is written with it
        finally:
            progress.stop()
            manifest.save(options.outdir)
        if choice.limiter is not None:
            result.model_calls = choice.limiter.calls
        skipped = [SkippedFile(file=readable_path(path), reason=reason) for path, reason in found.skipped]
        in_rollup = True
        _rollup(options.outdir, manifest, result, workers.started(), bool(tasks), skipped, review)
    except BaseException as error:
        workers.abort()  # a shutdown that waits would wait for reports nobody will read
        if interrupted(error):
            raise BatchInterrupted(during_rollup=in_rollup) from error
        raise
    finally:
        workers.close()
    return result


def run_batch_command(inputs: list[Path], options: BatchOptions) -> int:
    """The CLI's one call: run, print the closing summary, and return the exit code."""
    from fazhi_review.render.rollup import batch_summary

    if options.quiet:
        options.summarize.notify = lambda _message: None
    try:
        result = run_batch(inputs, options)
    except KeyboardInterrupt as error:
        if getattr(error, "during_rollup", False):
            print("错误: 已中断。各报告的结果已保存，但汇总表、县级汇总和查看网页可能不全；重新运行同一命令即可补齐。", file=sys.stderr)
        else:
            print("错误: 已中断。已完成的报告已保存；重新运行同一命令将从中断处继续。", file=sys.stderr)
        return 130
    text = batch_summary(
        total=result.total,
        succeeded=result.succeeded,
        from_cache=result.from_cache,
        model_calls=result.model_calls,
        engine=result.engine,
        failures=result.failures,
        outdir=str(result.outdir),
        seconds=result.seconds,
        rollup_reused=result.rollup_reused,
        duplicates=result.duplicates,
        removed=result.removed,
    )
    sys.stdout.write(text)
    return result.exit_code
