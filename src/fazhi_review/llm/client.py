"""Build an instructor client over any OpenAI-compatible endpoint, with our transport underneath.

``ChatCreate`` is anything with the signature of ``openai.OpenAI().chat.completions.create``: the
real client in production, a scripted in-process fake in the tests of the merge logic.

Our own mode ``json_object_schema``: ``response_format={"type": "json_object", "schema": …}``
(llama.cpp, vLLM and others enforce a schema given there) WITHOUT instructor's JSON-mode habit of
also pasting the whole JSON Schema into the system prompt — the schema travels once, the prompt
carries a short Chinese field guide. Its reask sends only our list of problems, not the previous
answer and pydantic's boilerplate.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import cache
from typing import Any, TypeVar

import instructor
import openai
from instructor.v2.core.hooks import Hooks
from instructor.v2.core.patch import patch_v2
from instructor.v2.core.providers import Provider
from instructor.v2.core.registry import mode_registry
from instructor.v2.core.response_model import prepare_response_model
from instructor.v2.providers.openai.handlers import OpenAIJSONHandler
from pydantic import BaseModel, ValidationError

from fazhi_review.config import LLMSettings
from fazhi_review.errors import ConfigError
from fazhi_review.llm.transport import Ledger, Transport

ChatCreate = Callable[..., Any]
Model = TypeVar("Model", bound=BaseModel)

# instructor logs every failed attempt at ERROR; without a handler Python would print them on
# stderr. Our errors reach the user as one Chinese line; a configured logger still sees them.
logging.getLogger("instructor").addHandler(logging.NullHandler())

#: our mode name → (instructor provider slot, instructor mode)
INSTRUCTOR_MODES: dict[str, tuple[Provider, instructor.Mode]] = {
    "tools": (Provider.OPENAI, instructor.Mode.TOOLS),
    "json_schema": (Provider.OPENAI, instructor.Mode.JSON_SCHEMA),
    # a slot instructor leaves empty ("an OpenAI-compatible server instructor does not know"),
    # so registering our handler there changes nothing for instructor's own modes
    "json_object_schema": (Provider.UNKNOWN, instructor.Mode.JSON),
    "json": (Provider.OPENAI, instructor.Mode.JSON),
    "md_json": (Provider.OPENAI, instructor.Mode.MD_JSON),
}
REASK_MARK = "【上次回答的问题】"
_PYDANTIC_TYPES = {"missing": "缺少字段", "json_invalid": "不是合法的 JSON", "too_long": "条目过多或文字过长", "string_type": "应为字符串", "int_type": "应为整数", "literal_error": "取值不在允许范围内", "list_type": "应为列表"}


def problem_lines(error: Exception) -> list[str]:
    """Readable Chinese lines for a rejected answer: our grounding messages verbatim, pydantic's
    own errors as field + short reason (never its English boilerplate or the input dump)."""
    if not isinstance(error, ValidationError):
        return [f"回答无法解析（{type(error).__name__}）"]
    lines = []
    for item in error.errors(include_url=False, include_input=False):
        if item["type"] == "value_error":
            lines.extend(str(item["ctx"]["error"]).splitlines())
            continue
        where = ".".join(str(part) for part in item["loc"]) or "整个回答"
        lines.append(f"{where}：{_PYDANTIC_TYPES.get(item['type'], item['type'])}")
    return lines


class JsonObjectSchemaHandler(OpenAIJSONHandler):
    """json_object with the schema in ``response_format`` only; a reask carries only the problems."""

    def prepare_request(self, response_model: type[BaseModel] | None, kwargs: dict[str, Any]) -> tuple[type[BaseModel] | None, dict[str, Any]]:
        if response_model is None:
            return None, kwargs
        return response_model, {**kwargs, "response_format": {"type": "json_object", "schema": response_model.model_json_schema()}}

    def handle_reask(self, kwargs: dict[str, Any], response: Any, exception: Exception) -> dict[str, Any]:
        messages = [m for m in kwargs.get("messages", []) if not str(m.get("content", "")).startswith(REASK_MARK)]
        problems = "\n".join(f"- {line}" for line in problem_lines(exception))
        reask = f"{REASK_MARK}\n{problems}\n请改正以上问题，重新输出完整的 JSON。"
        return {**kwargs, "messages": [*messages, {"role": "user", "content": reask}]}


if not mode_registry.is_registered(*INSTRUCTOR_MODES["json_object_schema"]):
    _handler = JsonObjectSchemaHandler()
    mode_registry.register(
        *INSTRUCTOR_MODES["json_object_schema"],
        request_handler=_handler.prepare_request,  # type: ignore[arg-type]  # instructor types it generically
        reask_handler=_handler.handle_reask,
        response_parser=_handler.parse_response,
    )


@cache
def response_model(model: type[Model]) -> type[Model]:
    """``model`` as instructor prepares it (its ``ResponseSchema`` subclass), made once per class:
    given a plain model, instructor builds that subclass anew on every request (~7 ms of pydantic
    class construction), given the prepared one it uses it as it is. The answer is an instance of
    ``model`` either way."""
    return prepare_response_model(model)  # type: ignore[return-value]


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
    sleep: Callable[[float], None] | None = None,
) -> instructor.Instructor:
    """instructor in ``mode`` whose every HTTP call goes through one ``Transport``; every answer
    received is counted in ``ledger`` through instructor's ``completion:response`` hook."""
    transport = Transport(create, settings, ledger, **({"sleep": sleep} if sleep else {}))
    provider, instructor_mode = INSTRUCTOR_MODES[mode]
    patched = patch_v2(func=transport.create, provider=provider, mode=instructor_mode)
    client = instructor.Instructor(client=None, create=patched, mode=instructor_mode, provider=provider, hooks=Hooks())
    client.on("completion:response", ledger.record)
    return client
