"""Test doubles for the LLM path, named as such.

- ``ScriptedChatModel``: an in-process fake of ``chat.completions.create`` that answers from a
  script written in the test. It tests how GOOD answers flow through grounding and the merge;
  it is never a stand-in for what a real model says (the cassettes are).
- ``FaultServer``: a tiny OpenAI-compatible HTTP server on 127.0.0.1 that answers a scripted
  sequence of faults (429 with Retry-After, 500, slow answers, malformed JSON, truncation), to
  exercise the transport's retry policy over real HTTP. Bounded: it serves only its script.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from openai.types.chat import ChatCompletion


def completion(content: str, finish_reason: str = "stop", prompt_tokens: int = 100, completion_tokens: int = 20) -> dict[str, Any]:
    return {
        "id": "chatcmpl-test",
        "object": "chat.completion",
        "created": 0,
        "model": "scripted",
        "choices": [{"index": 0, "finish_reason": finish_reason, "message": {"role": "assistant", "content": content}}],
        "usage": {"prompt_tokens": prompt_tokens, "completion_tokens": completion_tokens, "total_tokens": prompt_tokens + completion_tokens},
    }


@dataclass
class ScriptedChatModel:
    """Answers each call with the next scripted answer (a dict is sent as JSON content)."""

    answers: list[dict[str, Any] | str]
    requests: list[dict[str, Any]] = field(default_factory=list)

    def create(self, **kwargs: Any) -> ChatCompletion:
        self.requests.append(kwargs)
        answer = self.answers[min(len(self.requests), len(self.answers)) - 1]
        content = answer if isinstance(answer, str) else json.dumps(answer, ensure_ascii=False)
        return ChatCompletion.model_validate(completion(content))


@dataclass
class Reply:
    """One scripted HTTP reply."""

    status: int = 200
    body: dict[str, Any] | str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0


class _Handler(BaseHTTPRequestHandler):
    server: _ScriptedHTTPServer

    def do_POST(self) -> None:  # noqa: N802 - http.server's naming
        length = int(self.headers.get("content-length", 0))
        self.server.received.append(json.loads(self.rfile.read(length) or b"{}"))
        reply = self.server.script.pop(0) if self.server.script else Reply(500, {"error": {"message": "script exhausted"}})
        time.sleep(reply.delay)
        payload = reply.body if isinstance(reply.body, str) else json.dumps(reply.body or {}, ensure_ascii=False)
        data = payload.encode("utf-8")
        try:
            self.send_response(reply.status)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(data)))
            for name, value in reply.headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client timed out and left, as the test intends

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - quiet
        return


class _ScriptedHTTPServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, script: list[Reply]) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.script = list(script)
        self.received: list[dict[str, Any]] = []


@contextmanager
def fault_server(script: list[Reply]) -> Iterator[_ScriptedHTTPServer]:
    """Serve ``script`` on 127.0.0.1 (a free port) for the duration of the block."""
    server = _ScriptedHTTPServer(script)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


def base_url(server: _ScriptedHTTPServer) -> str:
    return f"http://127.0.0.1:{server.server_address[1]}/v1"
