"""Bounded concurrency: processes for the CPU-bound offline engine, threads for LLM calls.

At most ``2 × jobs`` reports are in flight, so a prefecture's 1,000 files never sit in memory
as pending futures. On the LLM path the threads only wait for the endpoint; each report's
CPU-bound files (the Word 审阅意见 above all) are then written by a process pool, so the GIL
never makes the endpoint wait for python-docx. Worker processes ignore Ctrl-C; the parent
cancels what has not started and re-raises so the caller can save the manifest.
"""

from __future__ import annotations

import os
import signal
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_COMPLETED, Executor, Future, ProcessPoolExecutor, ThreadPoolExecutor, wait

from fazhi_review.batch.job import Engine, JobResult, Task, output_job, run_job, summarize_job

OnResult = Callable[[JobResult], None]


def _ignore_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _processes(workers: int) -> ProcessPoolExecutor:
    return ProcessPoolExecutor(max_workers=workers, initializer=_ignore_sigint)


def run_tasks(tasks: Iterable[Task], engine: Engine, jobs: int, on_result: OnResult) -> None:
    """Run every task, calling ``on_result`` in this thread as each one finishes."""
    pending = list(tasks)
    if jobs <= 1 or len(pending) <= 1:
        for task in pending:
            on_result(run_job(task, engine))
        return
    if engine.llm_run is None:
        _run_offline(pending, engine, jobs, on_result)
    else:
        _run_llm(pending, engine, jobs, on_result)


def _shutdown(executors: list[Executor], wait_for_running: bool) -> None:
    for executor in executors:
        executor.shutdown(wait=wait_for_running, cancel_futures=True)


def _run_offline(tasks: list[Task], engine: Engine, jobs: int, on_result: OnResult) -> None:
    executor = _processes(jobs)
    running: set[Future[JobResult]] = set()
    try:
        for task in tasks:
            running.add(executor.submit(run_job, task, engine))
            while len(running) >= 2 * jobs:
                running = _drain(running, on_result)
        while running:
            running = _drain(running, on_result)
    except BaseException:
        _shutdown([executor], True)
        raise
    executor.shutdown(wait=True)


def _drain(running: set[Future[JobResult]], on_result: OnResult) -> set[Future[JobResult]]:
    finished, still = wait(running, return_when=FIRST_COMPLETED)
    for future in finished:
        on_result(future.result())
    return set(still)


def _run_llm(tasks: list[Task], engine: Engine, jobs: int, on_result: OnResult) -> None:
    writers = _processes(max(1, min(jobs, os.cpu_count() or 1)))
    # with "fork", the first submit forks every writer at once: do it before any HTTP thread runs
    writers.submit(int).result()
    threads = ThreadPoolExecutor(max_workers=jobs, thread_name_prefix="fazhi-batch")
    asking: dict[Future[JobResult], Task] = {}
    writing: set[Future[JobResult]] = set()
    queue = iter(tasks)
    try:
        while True:
            while len(asking) < jobs and (task := next(queue, None)) is not None:
                asking[threads.submit(summarize_job, task, engine)] = task
            if not asking and not writing:
                break
            finished, _ = wait({*asking, *writing}, return_when=FIRST_COMPLETED)
            for future in finished:
                if future in writing:
                    writing.discard(future)
                    on_result(future.result())
                    continue
                task, result = asking.pop(future), future.result()
                if result.ok:
                    writing.add(writers.submit(output_job, task, result.cached, result.calls))
                else:
                    on_result(result)
    except BaseException:
        _shutdown([threads, writers], False)
        raise
    _shutdown([threads, writers], True)
