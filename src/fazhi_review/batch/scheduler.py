"""Bounded concurrency: processes for the CPU-bound work, threads only for waiting on LLM calls.

At most ``2 × jobs`` submissions are in flight (offline, each of a few reports: ``chunk_size``),
so a prefecture's 1,000 files never sit in memory as pending futures. On the LLM path the
threads only make the calls; reading, analysis, the summary and the files (the Word 审阅意见
above all) run in worker processes before and after, because every millisecond of Python in a
thread holds the GIL that the other threads need to receive their answers and send their next
requests. Worker processes ignore Ctrl-C; the caller that owns the ``Workers`` aborts them and
saves the manifest.
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import os
import signal
import sys
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, ThreadPoolExecutor, wait
from typing import TYPE_CHECKING, Any

from fazhi_review.batch.job import BatchEngine, JobResult, LLMSpec, Prepared, Task, ask_job, finish_job, prepare_job, run_job, run_jobs, warm_up_stages

if TYPE_CHECKING:
    from fazhi_review.config import CheckProfile
    from fazhi_review.engine.llm import Answers, LLMRun

OnResult = Callable[[JobResult], None]
#: called as a report is handed to a worker (the progress bar's "current file")
OnStart = Callable[[Task], None]


def _ignore_task(_task: Task) -> None:
    return None


def _init_worker() -> None:
    """Ctrl-C is the parent's to handle; and the objects inherited from the parent (modules,
    the 公文 base document) are moved out of the cycle collector's reach, so its passes over the
    reports' short-lived objects do not rescan them each time (nor touch their pages)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if hasattr(signal, "pthread_sigmask"):  # forked while the parent held Ctrl-C back
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
    _die_with_the_parent()
    gc.freeze()


def _die_with_the_parent() -> None:
    """A batch killed outright (kill -9, the OOM killer) left its workers blocked on their pipe
    for ever: on Linux each asks to be terminated when its parent dies (PR_SET_PDEATHSIG)."""
    if sys.platform != "linux":
        return
    import ctypes

    try:
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
    except (OSError, AttributeError):
        return
    if os.getppid() == 1:  # the parent was gone before the request
        os._exit(1)


_PR_SET_PDEATHSIG = 1


@contextlib.contextmanager
def _interrupts_held() -> Iterator[None]:
    """Ctrl-C waits while the workers are forked: landing inside a fork hook (logging's lock
    release runs in the parent after every fork) it printed "Exception ignored in …" with a
    traceback; held back, it is raised once the pool stands, where the batch handles it."""
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


def _processes(workers: int) -> ProcessPoolExecutor:
    return ProcessPoolExecutor(max_workers=workers, initializer=_init_worker)


def _warm_up_before_fork(profile: CheckProfile) -> None:
    """What every worker needs, made once in the parent and inherited by the workers forked after
    it: the Chinese numeral parser (~0.25 s to import) and the first use of every stage
    (``job.warm_up_stages``: tables, patterns, the 公文 base document every Word file starts from, also
    reused by the county 公文)."""
    from fazhi_review.text import numeral_parser

    numeral_parser()
    warm_up_stages(profile)


def _warm_up_roll_up() -> None:
    """The roll-up's slow starts: the county 公文's base document and the cross checks'
    similarity library (datasketch imports scipy, ~0.8 s)."""
    from fazhi_review.batch.crosscheck import similarity_library
    from fazhi_review.render.docx import warm_up

    warm_up()
    similarity_library()


#: how long Ctrl-C waits for the terminated workers to be gone
_ABORT_SECONDS = 5.0


class Workers:
    """The batch's worker processes: started on first use and kept for the roll-up, which builds
    汇总表.xlsx in one of them while the parent writes the other county files."""

    def __init__(self, size: int) -> None:
        self.size = max(1, size)
        self._pool: ProcessPoolExecutor | None = None

    def pool(self) -> ProcessPoolExecutor:
        if self._pool is None:
            with _interrupts_held():
                self._pool = _processes(self.size)
                self._pool.submit(int).result()  # "fork" starts every worker on the first submit: now
        return self._pool

    def started(self) -> ProcessPoolExecutor | None:
        """The pool if the reports started it (the roll-up alone is not worth starting one)."""
        return self._pool

    def close(self, wait_for_running: bool = True) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=wait_for_running, cancel_futures=True)
            self._pool = None

    def abort(self) -> None:
        """Ctrl-C: stop the workers now. They ignore SIGINT (it is the parent's to handle), and
        an interrupt that lands while the pool is starting leaves workers no shutdown reaches,
        which the interpreter's exit would then wait for forever; so they are terminated. Every
        file a worker writes is atomic: a killed one leaves a temp file the next run removes."""
        if self._pool is None:
            return
        self._pool.shutdown(wait=False, cancel_futures=True)
        self._pool = None
        children = multiprocessing.active_children()
        for child in children:
            child.terminate()
        deadline = time.monotonic() + _ABORT_SECONDS
        for child in children:
            child.join(timeout=max(0.0, deadline - time.monotonic()))
        # the pool's own thread may reap a child first, and the child stays listed until it has
        while multiprocessing.active_children() and time.monotonic() < deadline:
            time.sleep(0.01)


def worker_count(engine: BatchEngine, jobs: int) -> int:
    """Offline: one process per job. LLM: the jobs are threads; processes only do the CPU-bound
    parts, so more than one per core would only queue."""
    return jobs if engine.llm_run is None else min(jobs, os.cpu_count() or 1)


def run_tasks(tasks: Iterable[Task], engine: BatchEngine, workers: Workers, jobs: int, on_result: OnResult, on_start: OnStart = _ignore_task) -> None:
    """Run every task, calling ``on_start`` and ``on_result`` in this thread as each one starts
    and finishes."""
    pending = list(tasks)
    if jobs <= 1 or len(pending) <= 1:
        for task in pending:
            on_start(task)
            on_result(run_job(task, engine))
        return
    if engine.llm_run is None:
        _run_offline(pending, engine, workers, jobs, on_result, on_start)
    else:
        _LLMPipeline(engine, engine.llm_run, workers, jobs, on_result, on_start).run(pending)


_MAX_CHUNK = 8


def chunk_size(tasks: int, jobs: int) -> int:
    """Reports per submission: enough to spread the executor's cost per submission, few enough
    that every worker gets about eight chunks (the last ones balance the load) and the progress
    display moves at least every ~0.1 s."""
    return max(1, min(_MAX_CHUNK, tasks // (8 * jobs)))


def _run_offline(tasks: list[Task], engine: BatchEngine, workers: Workers, jobs: int, on_result: OnResult, on_start: OnStart) -> None:
    """On any error the workers are left to their owner (``run_batch`` aborts them on Ctrl-C and
    closes them in any case)."""
    size = chunk_size(len(tasks), jobs)
    running: set[Future[list[JobResult]]] = set()
    _warm_up_before_fork(engine.profile)
    executor = workers.pool()
    for first in range(0, len(tasks), size):
        chunk = tasks[first : first + size]
        for task in chunk:
            on_start(task)
        running.add(executor.submit(run_jobs, chunk, engine))
        while len(running) >= 2 * jobs:
            running = _drain(running, on_result)
    while running:
        running = _drain(running, on_result)


def _drain(running: set[Future[list[JobResult]]], on_result: OnResult) -> set[Future[list[JobResult]]]:
    finished, still = wait(running, return_when=FIRST_COMPLETED)
    for future in finished:
        for result in future.result():
            on_result(result)
    return set(still)


class _LLMPipeline:
    """Worker processes read, analyse and plan reports ahead of the threads (up to ``jobs``
    ready), so a freed thread sends its next request at once; each answer goes back to a
    worker process to become a summary and files. The threads only make the calls."""

    def __init__(self, engine: BatchEngine, run: LLMRun, workers: Workers, jobs: int, on_result: OnResult, on_start: OnStart) -> None:
        self.profile, self.llm_run, self.spec = engine.profile, run, LLMSpec(run.settings, run.mode, engine.accept_offline)
        self.jobs, self.on_result, self.on_start = jobs, on_result, on_start
        from fazhi_review.engine.llm import warm_up

        warm_up()  # before the fork, so every worker starts with it
        warm_up_stages(engine.profile)
        self.processes = workers
        self.workers = workers.pool()
        # with "fork", the first submit forks every worker at once: do it before any HTTP thread runs
        self.workers.submit(int).result()
        self.threads = ThreadPoolExecutor(max_workers=jobs, thread_name_prefix="fazhi-batch")
        self.preparing: dict[Future[tuple[JobResult, Prepared | None]], Task] = {}
        self.ready: deque[tuple[Task, Prepared]] = deque()
        self.asking: dict[Future[tuple[JobResult, Answers | None]], tuple[Task, Prepared]] = {}
        self.finishing: set[Future[JobResult]] = set()

    def run(self, tasks: list[Task]) -> None:
        queue = iter(tasks)
        base_built = False
        try:
            while True:
                self._feed(queue)
                if not base_built and len(self.asking) >= min(self.jobs, len(tasks)):
                    # once the first requests wait for the endpoint, this thread is idle: the
                    # roll-up at the end reuses what is made now (workers build their own)
                    _warm_up_roll_up()
                    base_built = True
                if not (self.preparing or self.asking or self.finishing):
                    break
                running: set[Future[Any]] = {*self.preparing, *self.asking, *self.finishing}
                finished, _ = wait(running, return_when=FIRST_COMPLETED)
                for future in finished:
                    self._collect(future)
        except BaseException:
            self.threads.shutdown(wait=False, cancel_futures=True)
            self.processes.abort()
            raise
        self.threads.shutdown(wait=True)

    def _feed(self, queue: Iterator[Task]) -> None:
        while len(self.asking) < self.jobs and self.ready:
            task, prepared = self.ready.popleft()
            self.asking[self.threads.submit(ask_job, task, prepared, self.llm_run)] = (task, prepared)
        while len(self.preparing) + len(self.ready) < self.jobs and (upcoming := next(queue, None)) is not None:
            self.on_start(upcoming)
            self.preparing[self.workers.submit(prepare_job, upcoming, self.profile, self.spec)] = upcoming

    def _collect(self, future: Future[Any]) -> None:
        if future in self.finishing:
            self.finishing.discard(future)
            self.on_result(future.result())
        elif future in self.preparing:
            task = self.preparing.pop(future)
            result, prepared = future.result()
            if prepared is None:
                self.on_result(result)  # failed, or finished from the cache
            else:
                self.ready.append((task, prepared))
        else:
            task, prepared = self.asking.pop(future)
            result, answers = future.result()
            if answers is None:
                self.on_result(result)
            else:
                self.finishing.add(self.workers.submit(finish_job, task, prepared.analysis, answers, self.spec))
