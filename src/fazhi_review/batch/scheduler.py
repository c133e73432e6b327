"""Bounded concurrency: processes for the CPU-bound offline engine, threads for LLM calls.

At most ``2 × jobs`` tasks are in flight, so a prefecture's 1,000 files never sit in memory as
pending futures. Worker processes ignore Ctrl-C; the parent cancels what has not started, lets
running reports finish their atomic writes, and re-raises so the caller can save the manifest.
"""

from __future__ import annotations

import signal
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_COMPLETED, Executor, Future, ProcessPoolExecutor, ThreadPoolExecutor, wait

from fazhi_review.batch.job import Engine, JobResult, Task, run_job

OnResult = Callable[[JobResult], None]


def _ignore_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _executor(engine: Engine, jobs: int) -> Executor:
    if engine.llm_run is None:
        return ProcessPoolExecutor(max_workers=jobs, initializer=_ignore_sigint)
    return ThreadPoolExecutor(max_workers=jobs, thread_name_prefix="fazhi-batch")


def run_tasks(tasks: Iterable[Task], engine: Engine, jobs: int, on_result: OnResult) -> None:
    """Run every task, calling ``on_result`` in this thread as each one finishes."""
    pending_tasks = list(tasks)
    if jobs <= 1 or len(pending_tasks) <= 1:
        for task in pending_tasks:
            on_result(run_job(task, engine))
        return
    executor = _executor(engine, jobs)
    queue = iter(pending_tasks)
    running: set[Future[JobResult]] = set()
    try:
        for task in queue:
            running.add(executor.submit(run_job, task, engine))
            if len(running) >= 2 * jobs:
                running = _drain(running, on_result)[1]
        while running:
            _, running = _drain(running, on_result)
    except BaseException:
        executor.shutdown(wait=engine.llm_run is None, cancel_futures=True)
        raise
    executor.shutdown(wait=True)


def _drain(running: set[Future[JobResult]], on_result: OnResult) -> tuple[set[Future[JobResult]], set[Future[JobResult]]]:
    finished, still = wait(running, return_when=FIRST_COMPLETED)
    for future in finished:
        on_result(future.result())
    return finished, set(still)
