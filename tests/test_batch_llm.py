"""fazhi batch on the LLM path, against a scripted OpenAI-compatible server on 127.0.0.1.

The scripted server (a test double, named as such) answers every report with a minimal valid
draft, except reports naming 故障镇, for which it answers HTTP 500: the endpoint failure of
one report must not stop the others. The shared limiter is unit-tested with a fake clock.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from batch_helpers import EXAMPLES, write
from fazhi_review.batch import BatchOptions, run_batch
from fazhi_review.batch.limiter import SharedLimiter
from fazhi_review.batch.rollup import FAILURES_JSON
from fazhi_review.config import LLMOptions
from fazhi_review.pipeline import SummarizeOptions
from llm_fakes import completion

pytestmark = pytest.mark.block_network(allowed_hosts=["127.0.0.1"])

GOOD = json.dumps(completion(json.dumps({"overview": "该镇报告结构完整。"}, ensure_ascii=False)), ensure_ascii=False).encode("utf-8")
FAILING_TOWN = "故障镇"
#: a town whose report the scripted model answers with nothing at all
SILENT_TOWN = "空答镇"
EMPTY = json.dumps(completion("{}")).encode("utf-8")


class _ScriptedEndpoint(BaseHTTPRequestHandler):
    server: Any

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("content-length", 0))).decode("utf-8")
        failing = FAILING_TOWN in body and self.server.fail
        with self.server.lock:
            self.server.received.append("fail" if failing else "ok")
        data = b'{"error": {"message": "boom"}}' if failing else EMPTY if SILENT_TOWN in body else GOOD
        self.send_response(500 if failing else 200)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:
        return


@contextmanager
def scripted_endpoint() -> Iterator[Any]:
    server: Any = ThreadingHTTPServer(("127.0.0.1", 0), _ScriptedEndpoint)
    server.daemon_threads = True
    server.received, server.lock, server.fail = [], threading.Lock(), True
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


def _options(outdir: Path, server: Any, limiter: SharedLimiter, fallback: str = "none") -> BatchOptions:
    flags = LLMOptions(base_url=f"http://127.0.0.1:{server.server_address[1]}/v1", model="scripted", mode="json")
    summarize = SummarizeOptions(engine="llm", llm=flags, quiet=True, notify=lambda _m: None, fallback=fallback)  # type: ignore[arg-type]
    return BatchOptions(outdir=outdir, jobs=3, quiet=True, summarize=summarize, limiter=limiter)


def test_endpoint_failure_and_corrupt_file_are_listed_and_the_rest_finish(tmp_path: Path) -> None:
    # one call per report, no transport retries: the scripted 500 fails its report at once
    # (the autouse fixture runs every test in its own empty working directory)
    (Path.cwd() / "fazhi.toml").write_text("[llm]\ntransport_retries = 0\ncontext_chars = 100000\n", encoding="utf-8")
    folder = tmp_path / "in"
    for path in EXAMPLES:
        write(folder / path.name, path.read_text(encoding="utf-8"))
    write(folder / "故障镇2024.txt", EXAMPLES[0].read_text(encoding="utf-8").replace("毛俊镇", FAILING_TOWN))
    (folder / "损坏.pdf").write_bytes(b"%PDF-1.4 broken")
    outdir = tmp_path / "out"
    with scripted_endpoint() as server:
        limiter = SharedLimiter()
        first = run_batch([folder], _options(outdir, server, limiter))
        assert first.exit_code == 1 and first.succeeded == len(EXAMPLES)
        assert sorted(server.received) == ["fail"] + ["ok"] * len(EXAMPLES)
        assert first.model_calls == limiter.calls == len(server.received)
        failures = {Path(f["file"]).name: f for f in json.loads((outdir / FAILURES_JSON).read_text(encoding="utf-8"))["failures"]}
        assert set(failures) == {"故障镇2024.txt", "损坏.pdf"}
        assert failures["故障镇2024.txt"]["category"] == "模型服务错误" and "HTTP 500" in failures["故障镇2024.txt"]["reason"]
        assert failures["损坏.pdf"]["category"] == "输入错误"
        summaries = sorted((outdir / "各报告").glob("*.摘要.json"))
        assert len(summaries) == len(EXAMPLES)
        assert all(json.loads(p.read_text(encoding="utf-8"))["provenance"]["engine"] == "llm" for p in summaries)
        # the endpoint recovers: a rerun asks the model only about the report that failed
        server.fail, server.received = False, []
        second = run_batch([folder], _options(outdir, server, SharedLimiter()))
        assert server.received == ["ok"] and second.model_calls == 1 and second.from_cache == len(EXAMPLES)
        # nothing changed: no call at all
        server.received = []
        third = run_batch([folder], _options(outdir, server, SharedLimiter()))
        assert server.received == [] and third.model_calls == 0


class _Clock:
    def __init__(self) -> None:
        self.now = 100.0
        self.slept: list[float] = []

    def time(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


class _RateLimited(Exception):
    status_code = 429

    def __init__(self, retry_after: str) -> None:
        self.response = type("Response", (), {"headers": {"retry-after": retry_after}})()


def test_a_429_pauses_every_worker_for_its_retry_after() -> None:
    clock = _Clock()
    limiter = SharedLimiter(clock=clock.time, sleep=clock.sleep)
    answers: list[Any] = [_RateLimited("7"), "ok", "ok"]

    def create(**_kwargs: Any) -> Any:
        answer = answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer

    limited = limiter.wrap(create)
    with pytest.raises(_RateLimited):
        limited()
    assert limited() == "ok"  # any worker's next call waits out the Retry-After
    assert clock.slept == [7.0] and limiter.throttled == 1 and limiter.calls == 2
    assert limited() == "ok" and clock.slept == [7.0]  # the pause is over: no further wait


def test_other_errors_do_not_pause() -> None:
    clock = _Clock()
    limiter = SharedLimiter(clock=clock.time, sleep=clock.sleep)

    def create(**_kwargs: Any) -> Any:
        raise ValueError("not an HTTP error")

    with pytest.raises(ValueError):
        limiter.wrap(create)()
    assert limiter.throttled == 0 and clock.slept == []


def test_pipelined_llm_batch_writes_what_the_one_thread_path_writes(tmp_path: Path) -> None:
    """--jobs > 1 splits each report between worker processes (analysis; summary and files) and
    threads (the calls); the files must be the ones the plain in-process path writes."""
    (Path.cwd() / "fazhi.toml").write_text("[llm]\ntransport_retries = 0\ncontext_chars = 100000\n", encoding="utf-8")
    folder = tmp_path / "in"
    for path in EXAMPLES:
        write(folder / path.name, path.read_text(encoding="utf-8"))
    outputs = {}
    with scripted_endpoint() as server:
        for jobs in (1, 3):
            options = _options(tmp_path / f"out-{jobs}", server, SharedLimiter())
            options.jobs = jobs
            result = run_batch([folder], options)
            assert result.exit_code == 0 and result.model_calls == len(EXAMPLES)
            folder_out = tmp_path / f"out-{jobs}" / "各报告"
            outputs[jobs] = {p.name: p.read_bytes() for p in sorted(folder_out.glob("*")) if p.suffix in (".json", ".md")}
    assert len(outputs[1]) == 3 * len(EXAMPLES)
    assert outputs[1] == outputs[3]


@pytest.mark.parametrize("jobs", [1, 3])
def test_a_report_the_model_gave_nothing_for_fails_unless_offline_is_accepted(tmp_path: Path, jobs: int) -> None:
    """As ``fazhi summarize``: an offline summary labelled "llm" would hide a failing model."""
    (Path.cwd() / "fazhi.toml").write_text("[llm]\ntransport_retries = 0\ncontext_chars = 100000\n", encoding="utf-8")
    folder = tmp_path / "in"
    write(folder / "毛俊镇.txt", EXAMPLES[0].read_text(encoding="utf-8"))
    write(folder / "空答镇.txt", EXAMPLES[0].read_text(encoding="utf-8").replace("毛俊镇", SILENT_TOWN))
    with scripted_endpoint() as server:
        options = _options(tmp_path / "out", server, SharedLimiter())
        result = run_batch([folder], BatchOptions(**{**options.__dict__, "jobs": jobs}))
        assert result.exit_code == 1 and result.succeeded == 1
        failure = json.loads((tmp_path / "out" / FAILURES_JSON).read_text(encoding="utf-8"))["failures"][0]
        assert Path(failure["file"]).name == "空答镇.txt" and failure["category"] == "模型服务错误"
        assert "没有给出任何有据可查的内容" in failure["reason"]
        accepted = run_batch([folder], _options(tmp_path / "out", server, SharedLimiter(), fallback="offline"))
        assert accepted.exit_code == 0 and accepted.succeeded == 2
