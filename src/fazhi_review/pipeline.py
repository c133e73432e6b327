"""From a path to a rendered summary: analysis, engine choice, rendering, safe output.

The CLI calls one function here per command, so commands stay argument parsing only.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from fazhi_review.analysis import Analysis, analyze_path
from fazhi_review.config import CheckProfile, LLMSettings, load_check_profile, load_llm_settings
from fazhi_review.engine import summarize_offline
from fazhi_review.errors import ConfigError, LLMError, UsageError
from fazhi_review.locate import locate_summary
from fazhi_review.models import ReportSummary
from fazhi_review.output import write_text_atomic
from fazhi_review.render import OutputFormat, render

EngineChoice = Literal["auto", "llm", "offline"]
Notify = Callable[[str], None]


def _stderr(message: str) -> None:
    print(message, file=sys.stderr)


@dataclass
class SummarizeOptions:
    engine: EngineChoice = "auto"
    output_format: OutputFormat = "markdown"
    #: CLI flags for the LLM settings (None = not given): base_url, api_key, model, mode
    llm_flags: dict[str, Any] = field(default_factory=dict)
    offline: bool = False
    quiet: bool = False
    profile: CheckProfile | None = None
    notify: Notify = _stderr
    #: refuse texts longer than this (None: fazhi.toml [input] max_chars, default 2 million)
    max_chars: int | None = None


def _llm_run(settings: LLMSettings) -> Any:
    """An LLMRun for the configured endpoint, resolving mode ``auto`` through the cached probe."""
    from fazhi_review.llm.client import openai_client
    from fazhi_review.llm.draft import Draft
    from fazhi_review.llm.engine import LLMRun
    from fazhi_review.llm.probe import cached_probe

    client = openai_client(settings)
    mode, schema_flag = settings.mode, settings.json_schema_in_response_format
    if mode == "auto":
        probe = cached_probe(settings, client)
        if not probe.reachable or probe.recommended_mode is None:
            raise LLMError(probe.error or "无法探测 LLM 服务支持的输出模式", hint="请运行 fazhi doctor 检查服务")
        mode, schema_flag = probe.recommended_mode, probe.schema_in_response_format
    schema = Draft.model_json_schema() if mode == "json" and schema_flag else None
    return LLMRun(settings=settings, mode=mode, create=client.chat.completions.create, response_format_schema=schema)


def choose_engine(options: SummarizeOptions) -> LLMSettings | None:
    """The LLM settings when the LLM engine will run, None for the offline engine."""
    if options.offline and options.engine == "llm":
        raise UsageError("--offline 与 --engine llm 不能同时使用")
    if options.offline or options.engine == "offline":
        return None
    settings = load_llm_settings(**options.llm_flags)
    if not settings.configured:
        if options.engine == "llm":
            raise ConfigError("--engine llm 需要配置 LLM 服务地址和模型", hint="用 --base-url/--model、FAZHI_BASE_URL/FAZHI_MODEL 或 fazhi.toml 配置")
        options.notify("提示：未配置 LLM 服务，使用离线引擎。")
        return None
    if options.engine == "auto":
        options.notify(f"提示：使用 LLM 引擎（{settings.model} @ {settings.endpoint_host}）。")
    if not settings.is_loopback and not options.quiet:
        options.notify(f"注意：报告全文将发送到 {settings.endpoint_host}（不在本机）。用 --quiet 关闭此提示，或用 --offline 确保不联网。")
    return settings


def summarize_analysis(analysis: Analysis, options: SummarizeOptions) -> ReportSummary:
    """The chosen engine's summary with every evidence located (page, paragraph), whichever
    command asked for it (summarize, review, batch, eval)."""
    settings = choose_engine(options)
    if settings is None:
        return locate_summary(summarize_offline(analysis), analysis.document)
    from fazhi_review.llm.engine import summarize_llm

    return locate_summary(summarize_llm(analysis, _llm_run(settings)), analysis.document)


def summarize_file(path: str | os.PathLike[str], options: SummarizeOptions) -> ReportSummary:
    profile = options.profile or load_check_profile()
    analysis = analyze_path(path, profile, options.max_chars)
    return summarize_analysis(analysis, options)


def write_output(text: str, out: Path | None) -> None:
    """stdout, or a file written atomically: a failed run never leaves half a file behind."""
    if out is None:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    write_text_atomic(out, text)


def summarize_to_text(path: str | os.PathLike[str], options: SummarizeOptions) -> str:
    return render(summarize_file(path, options), options.output_format)


def document_text(path: str | os.PathLike[str], max_chars: int | None = None) -> str:
    """The text every evidence offset indexes, exactly as ``summarize`` reads it."""
    from fazhi_review.config import load_input_limits
    from fazhi_review.ingest import read_document

    return read_document(path, max_chars=load_input_limits(max_chars).max_chars).text


def doctor(llm_flags: dict[str, Any]) -> Any:
    """Probe the configured endpoint afresh (and refresh the cache ``auto`` mode uses)."""
    from fazhi_review.llm.client import openai_client
    from fazhi_review.llm.probe import cached_probe

    settings = load_llm_settings(**llm_flags)
    if not settings.configured:
        raise ConfigError("未配置 LLM 服务地址或模型", hint="用 fazhi doctor --base-url … --model …、环境变量 FAZHI_BASE_URL/FAZHI_MODEL 或 fazhi.toml 的 [llm] 指定")
    return cached_probe(settings, openai_client(settings), refresh=True)
