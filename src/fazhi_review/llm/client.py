"""Build an instructor client over any OpenAI-compatible endpoint, with our transport underneath.

``ChatCreate`` is anything with the signature of ``openai.OpenAI().chat.completions.create``: the
real client in production, a scripted in-process fake in the tests of the merge logic.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import instructor
import openai
from instructor.v2.core.patch import patch_v2
from instructor.v2.core.providers import Provider

from fazhi_review.config import LLMSettings
from fazhi_review.errors import ConfigError
from fazhi_review.llm.transport import Ledger, Transport

ChatCreate = Callable[..., Any]

# instructor logs every failed attempt at ERROR; without a handler Python would print them on
# stderr. Our errors reach the user as one Chinese line; a configured logger still sees them.
logging.getLogger("instructor").addHandler(logging.NullHandler())

INSTRUCTOR_MODES: dict[str, instructor.Mode] = {
    "tools": instructor.Mode.TOOLS,
    "json_schema": instructor.Mode.JSON_SCHEMA,
    "json": instructor.Mode.JSON,
    "md_json": instructor.Mode.MD_JSON,
}


def openai_client(settings: LLMSettings) -> openai.OpenAI:
    """The OpenAI client with its own retries off: our transport owns the retry policy."""
    if not settings.base_url:
        raise ConfigError("未配置 LLM 服务地址", hint="用 --base-url、环境变量 FAZHI_BASE_URL 或 fazhi.toml 的 [llm] base_url 指定，或用 --engine offline")
    if not settings.model:
        raise ConfigError("未指定模型", hint="用 --model、环境变量 FAZHI_MODEL 或 fazhi.toml 的 [llm] model 指定")
    key = settings.api_key.get_secret_value() if settings.api_key else "not-needed"
    return openai.OpenAI(base_url=settings.base_url, api_key=key, max_retries=0, timeout=settings.request_timeout)


def build_instructor(
    create: ChatCreate,
    mode: str,
    settings: LLMSettings,
    ledger: Ledger,
    response_format_schema: dict[str, Any] | None = None,
    sleep: Callable[[float], None] | None = None,
) -> instructor.Instructor:
    """instructor in ``mode`` whose every HTTP call goes through one ``Transport``."""
    transport = Transport(create, settings, ledger, response_format_schema, **({"sleep": sleep} if sleep else {}))
    instructor_mode = INSTRUCTOR_MODES[mode]
    patched = patch_v2(func=transport.create, provider=Provider.OPENAI, mode=instructor_mode)
    return instructor.Instructor(client=None, create=patched, mode=instructor_mode, provider=Provider.OPENAI)
