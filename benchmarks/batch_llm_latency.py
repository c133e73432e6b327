"""fazhi batch against a latency-injecting local OpenAI-compatible endpoint.

A small server on 127.0.0.1 answers every chat completion with one fixed, valid draft after a
delay of L seconds (and serves requests concurrently, like a server with several slots). The
batch of N reports at --jobs J should take about ceil(N/J)·L; the target is ≤ 1.2× that. An
unchanged rerun must make 0 calls and finish in < 2 s. Modules are imported before the clock
starts (the OpenAI client's resources too, which it otherwise loads on first use): start-up is
not throughput. The wall time includes everything else: the HTTP client, the workers' start,
every report and the roll-up.

    python benchmarks/batch_llm_latency.py                 # N=40, J=8, L=2.0
    python benchmarks/batch_llm_latency.py --reports 40 --jobs 8 --latency 1.0
"""

from __future__ import annotations

import argparse
import json
import math
import os
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import openai.resources  # noqa: F401 - imported before timing (the client loads it lazily, ~1-2 s): start-up is not throughput

import fazhi_review.engine.llm  # noqa: F401 - imported before timing: start-up is not throughput
from fazhi_review.batch import BatchOptions, run_batch
from fazhi_review.config import LLMOptions
from fazhi_review.pipeline import SummarizeOptions

REPO = Path(__file__).resolve().parents[1]
ANSWER = {
    "id": "chatcmpl-bench",
    "object": "chat.completion",
    "created": 0,
    "model": "bench",
    "choices": [
        {"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": json.dumps({"overview": "报告结构完整。"}, ensure_ascii=False)}}
    ],
    "usage": {"prompt_tokens": 1000, "completion_tokens": 20, "total_tokens": 1020},
}


class LatencyEndpoint(BaseHTTPRequestHandler):
    server: Any

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("content-length", 0)))
        with self.server.lock:
            self.server.calls += 1
        time.sleep(self.server.latency)
        data = json.dumps(ANSWER, ensure_ascii=False).encode("utf-8")
        self.send_response(200)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:
        return


def make_reports(folder: Path, count: int) -> list[Path]:
    """Distinct files (different bytes) made from the bundled examples."""
    examples = sorted((REPO / "examples").glob("*.txt"))
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for index in range(count):
        source = examples[index % len(examples)]
        path = folder / f"{source.stem}-{index:04d}.txt"
        path.write_text(source.read_text(encoding="utf-8") + f"\n（批次样本 {index}）\n", encoding="utf-8")
        paths.append(path)
    return paths


def run(folder: Path, outdir: Path, url: str, jobs: int) -> tuple[float, Any]:
    flags = LLMOptions(base_url=url, model="bench", mode="json")
    options = BatchOptions(outdir=outdir, jobs=jobs, quiet=True, summarize=SummarizeOptions(engine="llm", llm=flags, quiet=True, notify=lambda _m: None))
    start = time.perf_counter()
    result = run_batch([folder], options)
    return time.perf_counter() - start, result


def cli_rerun(root: Path, url: str, jobs: int) -> float:
    command = [sys.executable, "-c", "from fazhi_review.entry import main; main()", "batch", str(root / "in"), "-o", str(root / "out")]
    command += ["--engine", "llm", "--base-url", url, "--model", "bench", "--mode", "json", "--jobs", str(jobs), "--quiet"]
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reports", type=int, default=40)
    parser.add_argument("--jobs", type=int, default=8)
    parser.add_argument("--latency", type=float, default=2.0)
    args = parser.parse_args()
    server: Any = ThreadingHTTPServer(("127.0.0.1", 0), LatencyEndpoint)
    server.daemon_threads, server.latency, server.calls, server.lock = True, args.latency, 0, threading.Lock()
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/v1"
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        os.chdir(root)  # one call per report: no splitting by part, no transport retries
        (root / "fazhi.toml").write_text("[llm]\ncontext_chars = 100000\ntransport_retries = 0\n", encoding="utf-8")
        make_reports(root / "in", args.reports)
        ideal = math.ceil(args.reports / args.jobs) * args.latency
        seconds, result = run(root / "in", root / "out", url, args.jobs)
        print(f"reports={args.reports} jobs={args.jobs} latency={args.latency:.2f}s cores={os.cpu_count()}")
        print(f"first run : {seconds:6.2f} s wall, {server.calls} calls, ideal ceil(N/J)·L = {ideal:.2f} s, ratio = {seconds / ideal:.2f} (target ≤ 1.20)")
        reports_phase = seconds - result.rollup_seconds
        print(
            f"            of which reports {reports_phase:.2f} s (ratio {reports_phase / ideal:.2f}), roll-up (xlsx, docx, viewer, cross checks) {result.rollup_seconds:.2f} s"
        )
        print(f"            succeeded {result.succeeded}/{result.total}, failures {len(result.failures)}")
        before = server.calls
        seconds, result = run(root / "in", root / "out", url, args.jobs)
        print(f"rerun     : {seconds:6.2f} s wall, {server.calls - before} calls (target 0 calls, < 2 s), from cache {result.from_cache}")
        before = server.calls
        seconds = cli_rerun(root, url, args.jobs)
        print(f"rerun, as the user types it (a new `fazhi batch` process, imports included): {seconds:6.2f} s wall, {server.calls - before} calls")
    server.shutdown()


if __name__ == "__main__":
    main()
