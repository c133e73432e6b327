"""From a path to a rendered summary: analysis, engine choice, rendering, safe output.

The CLI calls one function here per command, so commands stay argument parsing only.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from fazhi_review.analysis import Analysis, analyze_path
from fazhi_review.config import CheckProfile, LLMOptions, LLMSettings, load_llm_settings
from fazhi_review.engine import ENGINES, Engine, summarize
from fazhi_review.errors import ConfigError, LLMError, UsageError
from fazhi_review.models import ReportSummary
from fazhi_review.output import write_text_atomic
from fazhi_review.render import OutputFormat, render

if TYPE_CHECKING:
    from fazhi_review.llm.probe import ProbeResult

EngineChoice = Literal["auto", "llm", "offline"]
Fallback = Literal["none", "offline"]
Notify = Callable[[str], None]
#: more than this many of the five sections from the offline engine: "mostly offline"
_MOSTLY = 3


def _stderr(message: str) -> None:
    print(message, file=sys.stderr)


@dataclass
class SummarizeOptions:
    engine: EngineChoice = "auto"
    output_format: OutputFormat = "markdown"
    llm: LLMOptions = field(default_factory=LLMOptions)
    offline: bool = False
    quiet: bool = False
    #: with --engine llm: accept a summary in which nothing from the model survived
    fallback: Fallback = "none"
    profile: CheckProfile | None = None
    notify: Notify = _stderr
    #: refuse texts longer than this (None: fazhi.toml [input] max_chars, default 2 million)
    max_chars: int | None = None


def engine_choice(options: SummarizeOptions) -> tuple[str, LLMSettings | None]:
    """Which registered engine runs, and the LLM settings it gets (None: not configured)."""
    if options.offline and options.engine == "llm":
        raise UsageError("--offline 与 --engine llm 不能同时使用")
    if options.offline or options.engine == "offline":
        return "offline", None
    settings = load_llm_settings(options.llm)
    if not settings.configured:
        if options.engine == "llm":
            raise ConfigError("--engine llm 需要配置 LLM 服务地址和模型", hint="用 --base-url/--model、FAZHI_BASE_URL/FAZHI_MODEL 或 fazhi.toml 配置")
        if not options.quiet:
            options.notify("提示：未配置 LLM 服务，使用离线引擎。")
        return "offline", None
    if options.engine == "auto" and not options.quiet:
        options.notify(f"提示：使用 LLM 引擎（{settings.model} @ {settings.endpoint_host}）。")
    if not settings.is_loopback and not options.quiet:
        options.notify(f"注意：报告全文将发送到 {settings.endpoint_host}（不在本机）。用 --quiet 关闭此提示，或用 --offline 确保不联网。")
    return "llm", settings


def choose_engine(options: SummarizeOptions) -> Engine:
    """A lookup in the engine table, after the choice between them is made."""
    name, settings = engine_choice(options)
    return ENGINES[name](settings)


def require_model_content(summary: ReportSummary, accept_offline: bool) -> None:
    """A model asked for that gave nothing grounded is a failure, not an offline summary labelled
    "llm", unless the user accepts the offline result (--fallback offline)."""
    provenance = summary.provenance
    if provenance.model_claims == 0 and not accept_offline:
        raise LLMError(
            f"模型（{provenance.model}）没有给出任何有据可查的内容（丢弃 {provenance.dropped_claims} 条）",
            hint="请用 fazhi doctor 检查服务与模式；加 --fallback offline 可接受离线引擎的结果",
        )


def _say_what_the_model_gave(summary: ReportSummary, options: SummarizeOptions) -> None:
    """A model that fails must not hide behind the offline result (issue 7 item 11)."""
    provenance = summary.provenance
    if provenance.model_claims is None:
        return
    if provenance.model_claims == 0:
        require_model_content(summary, options.engine != "llm" or options.fallback == "offline")
        options.notify(f"注意：模型没有给出任何有据可查的内容，摘要全部来自离线引擎（丢弃 {provenance.dropped_claims} 条）。")
    elif len(provenance.filled_from_offline) >= _MOSTLY:
        options.notify(f"注意：模型给出的内容大多无据可查，摘要主要来自离线引擎（{len(provenance.filled_from_offline)} 部分由离线引擎补充）。")


def summarize_analysis(analysis: Analysis, options: SummarizeOptions, engine: Engine | None = None) -> ReportSummary:
    """The summary by ``engine`` (default: the one ``options`` choose), saying on stderr when a
    model that was asked for gave nothing."""
    summary = summarize(analysis, engine or choose_engine(options))
    _say_what_the_model_gave(summary, options)
    return summary


def summarize_file(path: str | os.PathLike[str], options: SummarizeOptions) -> ReportSummary:
    return summarize_analysis(analyze_path(path, options.profile, options.max_chars), options)


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


def doctor(options: LLMOptions) -> ProbeResult:
    """Probe the configured endpoint afresh (and refresh the cache ``auto`` mode uses)."""
    from fazhi_review.llm.client import openai_client
    from fazhi_review.llm.probe import cached_probe

    settings = load_llm_settings(options)
    if not settings.configured:
        raise ConfigError("未配置 LLM 服务地址或模型", hint="用 fazhi doctor --base-url … --model …、环境变量 FAZHI_BASE_URL/FAZHI_MODEL 或 fazhi.toml 的 [llm] 指定")
    return cached_probe(settings, lambda: openai_client(settings), refresh=True)
