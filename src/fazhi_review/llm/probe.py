"""What an endpoint really does: reachable, models listed, and which structured modes it enforces.

Local servers often accept a JSON schema and ignore it, or lack tool calling; so each mode is
tried with a tiny schema a model would not satisfy by accident, and a mode counts as *enforced*
only when the answer conforms. ``auto`` mode uses the recommendation, cached per endpoint+model.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import platformdirs
from pydantic import BaseModel, ConfigDict, ValidationError

from fazhi_review.config import LLMSettings
from fazhi_review.errors import LLMError

if TYPE_CHECKING:
    import openai

# openai is imported where a request is made: it takes about a second to import, and a batch
# rerun with nothing to do only reads the cached probe (``resolved_mode``)

Support = Literal["enforced", "accepted", "rejected", "untested"]

PROBE_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {"verdict": {"type": "string", "enum": ["甲", "乙"]}, "count": {"type": "integer"}},
    "required": ["verdict", "count"],
    "additionalProperties": False,
}
_PROBE_MESSAGES = [{"role": "user", "content": "请用 JSON 回答：审阅结论是甲还是乙？问题数量是多少？"}]
_PROBE_MAX_TOKENS = 48


class _ProbeAnswer(BaseModel):
    model_config = ConfigDict(extra="forbid")
    verdict: Literal["甲", "乙"]
    count: int


class ProbeResult(BaseModel):
    base_url: str
    model: str
    reachable: bool
    error: str | None = None
    models: list[str] = []
    model_listed: bool = False
    tools: Support = "untested"
    json_schema: Support = "untested"
    json_object_schema: Support = "untested"
    json_object: Support = "untested"
    recommended_mode: str | None = None


def _conforms(raw: str | None) -> bool:
    try:
        _ProbeAnswer.model_validate(json.loads(raw or ""))
        return True
    except (ValueError, ValidationError):
        return False


def _try(call: Callable[[], Any], extract: Callable[[Any], str | None]) -> Support:
    import openai

    try:
        response = call()
    except openai.APIStatusError:
        return "rejected"
    try:
        return "enforced" if _conforms(extract(response)) else "accepted"
    except (AttributeError, IndexError, TypeError):
        return "accepted"


def _content(response: Any) -> str | None:
    return response.choices[0].message.content


def _tool_arguments(response: Any) -> str | None:
    calls = response.choices[0].message.tool_calls
    return calls[0].function.arguments if calls else None


def _mode_support(client: openai.OpenAI, model: str) -> dict[str, Support]:
    base: dict[str, Any] = {"model": model, "messages": _PROBE_MESSAGES, "max_tokens": _PROBE_MAX_TOKENS, "temperature": 0}
    #: untyped on purpose: the probe sends response_format shapes the OpenAI types do not know
    create: Callable[..., Any] = client.chat.completions.create
    tool: dict[str, Any] = {"type": "function", "function": {"name": "answer", "description": "审阅结论", "parameters": PROBE_SCHEMA}}
    return {
        "json_schema": _try(lambda: create(**base, response_format={"type": "json_schema", "json_schema": {"name": "answer", "schema": PROBE_SCHEMA, "strict": True}}), _content),
        "json_object_schema": _try(lambda: create(**base, response_format={"type": "json_object", "schema": PROBE_SCHEMA}), _content),
        "tools": _try(lambda: create(**base, tools=[tool], tool_choice={"type": "function", "function": {"name": "answer"}}), _tool_arguments),
        "json_object": _try(lambda: create(**base, response_format={"type": "json_object"}), _content),
    }


def recommend(support: dict[str, Support]) -> str:
    """Enforced beats accepted; tools last among enforced ones, because reasks send a ``tool``
    message some chat templates reject."""
    if support.get("json_schema") == "enforced":
        return "json_schema"
    if support.get("json_object_schema") == "enforced":
        return "json_object_schema"
    if support.get("tools") == "enforced":
        return "tools"
    if support.get("json_object") in ("enforced", "accepted"):
        return "json"
    return "md_json"


def probe_endpoint(settings: LLMSettings, client: openai.OpenAI) -> ProbeResult:
    import openai

    from fazhi_review.llm.transport import describe_api_error

    result = ProbeResult(base_url=settings.base_url or "", model=settings.model or "", reachable=False)
    try:
        models = [m.id for m in client.models.list()]
    except openai.OpenAIError as error:
        return result.model_copy(update={"error": describe_api_error(error, settings.endpoint_host)})
    try:
        support = _mode_support(client, settings.model or "")
    except openai.OpenAIError as error:
        return result.model_copy(update={"reachable": True, "models": models, "error": describe_api_error(error, settings.endpoint_host)})
    return result.model_copy(update={"reachable": True, "models": models, "model_listed": settings.model in models, **support, "recommended_mode": recommend(support)})


def _cache_file() -> Path:
    return Path(platformdirs.user_cache_dir("fazhi-review")) / "probe.json"


def cached_probe(settings: LLMSettings, make_client: Callable[[], openai.OpenAI], refresh: bool = False) -> ProbeResult:
    """The probe for this endpoint+model, from the cache when it has a usable answer (the client
    is made only when the endpoint has to be probed)."""
    # "v2": entries written before the json_object_schema mode existed recommend "json"; probe again
    key = f"v2|{settings.base_url}|{settings.model}"
    path = _cache_file()
    try:
        cache = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
    except (OSError, ValueError):
        cache = {}
    if not refresh and key in cache:
        try:
            return ProbeResult.model_validate(cache[key])
        except ValidationError:
            pass  # written by an older version: probe again
    result = probe_endpoint(settings, make_client())
    if result.reachable and result.recommended_mode:
        cache[key] = result.model_dump()
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(cache, ensure_ascii=False, indent=1), encoding="utf-8")
    return result


def resolved_mode(settings: LLMSettings, make_client: Callable[[], openai.OpenAI]) -> str:
    """The configured mode, or for ``auto`` what the (cached) probe found the server enforces."""
    if settings.mode != "auto":
        return settings.mode
    probe = cached_probe(settings, make_client)
    if not probe.reachable or probe.recommended_mode is None:
        raise LLMError(probe.error or "无法探测 LLM 服务支持的输出模式", hint="请运行 fazhi doctor 检查服务")
    return probe.recommended_mode


def count_tokens(settings: LLMSettings, text: str) -> int:
    """Tokens of ``text`` by the endpoint's own tokenizer (llama.cpp-python ``/extras/tokenize/count``,
    beside ``/v1``): the yardstick for prompt cost, since tokenizers differ wildly on Chinese."""
    import openai

    root = (settings.base_url or "").rstrip("/").removesuffix("/v1")
    key = settings.api_key.get_secret_value() if settings.api_key else "not-needed"
    client = openai.OpenAI(base_url=root, api_key=key, max_retries=0, timeout=settings.request_timeout)
    answer = client.post("extras/tokenize/count", cast_to=object, body={"input": text, "model": settings.model})
    return int(answer["count"])  # type: ignore[index]
