"""One chat-completion HTTP call, made robust: transport retries, truncation, <think> blocks.

instructor owns *validation* retries (reasks); this layer owns *transport* retries, because
instructor does not retry HTTP 500 or 429 and the OpenAI client's own retries are switched off
(``max_retries=0``) so that one policy, with a total time budget, applies everywhere.
Every answer instructor receives, including those later rejected, is counted in the ``Ledger``
through instructor's ``completion:response`` hook; a cut-off answer this layer discards (before
one retry with more tokens) never reaches instructor, so the transport counts that one itself.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import openai
from tenacity import RetryCallState, Retrying, retry_if_exception, stop_after_attempt, stop_before_delay

from fazhi_review.config import LLMSettings
from fazhi_review.errors import LLMError

_THINK = re.compile(r"<think>.*?(?:</think>|$)", re.DOTALL)
_RETRY_STATUS = {408, 409, 429, 500, 502, 503, 504}
_MAX_BACKOFF = 30.0


class TruncatedOutputError(LLMError):
    """finish_reason == "length": the answer was cut off; reasking would only repeat it."""


@dataclass
class Ledger:
    """What the calls cost, summed over every attempt including failed ones."""

    attempts: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0

    def record(self, response: Any) -> None:
        self.attempts += 1
        usage = getattr(response, "usage", None)
        self.prompt_tokens += int(getattr(usage, "prompt_tokens", 0) or 0)
        self.completion_tokens += int(getattr(usage, "completion_tokens", 0) or 0)


def _retryable(error: BaseException) -> bool:
    if isinstance(error, (openai.APITimeoutError, openai.APIConnectionError)):
        return True
    return isinstance(error, openai.APIStatusError) and error.status_code in _RETRY_STATUS


def _retry_after(error: BaseException | None) -> float | None:
    response = getattr(error, "response", None)
    value = response.headers.get("retry-after") if response is not None else None
    try:
        return max(float(value), 0.0) if value is not None else None
    except ValueError:
        return None


def _wait(state: RetryCallState) -> float:
    """Honour Retry-After; otherwise back off exponentially (1, 2, 4 … 30 s)."""
    error = state.outcome.exception() if state.outcome else None
    told = _retry_after(error)
    if told is not None:
        return min(told, _MAX_BACKOFF * 4)
    return min(2.0 ** (state.attempt_number - 1), _MAX_BACKOFF)


def describe_api_error(error: BaseException, host: str | None) -> str:
    where = f"LLM 服务 {host or ''}".strip()
    if isinstance(error, openai.APITimeoutError):
        return f"{where} 响应超时"
    if isinstance(error, openai.APIConnectionError):
        return f"无法连接 {where}（请确认服务已启动、地址正确，或用 --engine offline）"
    if isinstance(error, openai.APIStatusError):
        hints = {401: "API key 无效或缺失", 403: "无权访问", 404: "地址或模型不存在（base_url 通常以 /v1 结尾）", 429: "请求过多，被限流"}
        hint = hints.get(error.status_code, "请求失败")
        # a proxy's or web server's HTML error page is noise: keep its words, one line, short
        detail = " ".join(re.sub(r"<(script|style)\b.*?</\1>|<[^>]*>|&[a-z]+;", " ", str(getattr(error, "message", "") or ""), flags=re.S | re.I).split())[:120]
        return f"{where} 返回 HTTP {error.status_code}：{hint}" + (f"（{detail}）" if detail else "")
    return f"{where} 出错：{error}"


class Transport:
    """``create(**kwargs)`` as instructor expects it, over an OpenAI-compatible client."""

    def __init__(
        self,
        create: Callable[..., Any],
        settings: LLMSettings,
        ledger: Ledger,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._create = create
        self._settings = settings
        self.ledger = ledger
        self._sleep = sleep

    def create(self, **kwargs: Any) -> Any:
        response = self._call(kwargs)
        if self._truncated(response, kwargs):
            response = self._after_truncation(kwargs, response)
        return self._strip_think(response)

    def _call(self, kwargs: dict[str, Any]) -> Any:
        retrying = Retrying(
            retry=retry_if_exception(_retryable),
            # stop_before_delay: never start a wait that would overrun the budget
            stop=stop_after_attempt(self._settings.transport_retries + 1) | stop_before_delay(self._settings.time_budget),
            wait=_wait,
            sleep=self._sleep,
            reraise=True,
        )
        try:
            response = retrying(self._create, **kwargs)
        except openai.OpenAIError as error:
            raise LLMError(describe_api_error(error, self._settings.endpoint_host)) from None
        return response

    def _truncated(self, response: Any, kwargs: dict[str, Any]) -> bool:
        """finish_reason "length" — or, for servers that say "tool_calls" anyway, a full budget."""
        choice = response.choices[0] if getattr(response, "choices", None) else None
        if choice is None:
            return False
        if choice.finish_reason == "length":
            return True
        used = getattr(getattr(response, "usage", None), "completion_tokens", 0) or 0
        return bool(kwargs.get("max_tokens")) and used >= kwargs["max_tokens"]

    def _after_truncation(self, kwargs: dict[str, Any], cut: Any) -> Any:
        larger = self._settings.retry_max_tokens
        if larger and larger > int(kwargs.get("max_tokens") or 0):
            self.ledger.record(cut)
            response = self._call({**kwargs, "max_tokens": larger})
            if not self._truncated(response, {**kwargs, "max_tokens": larger}):
                return response
        raise TruncatedOutputError(
            f"模型输出在 {kwargs.get('max_tokens')} 个 token 处被截断（finish_reason=length）",
            hint="请调大 max_tokens / retry_max_tokens，或降低 context_chars 让长报告分段处理",
        )

    @staticmethod
    def _strip_think(response: Any) -> Any:
        """Reasoning models prepend <think>…</think>; the JSON parser must not see it."""
        for choice in getattr(response, "choices", None) or []:
            content = getattr(choice.message, "content", None)
            if isinstance(content, str) and "<think>" in content:
                choice.message.content = _THINK.sub("", content).strip()
        return response
