"""Command line: argument parsing and one pipeline call per command; nothing else lives here.

stdout holds only results; notices and errors go to stderr as ``错误: …`` with exit code 1
(failure) or 2 (usage).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, TypeVar

import typer

from fazhi_review.errors import FazhiError

if TYPE_CHECKING:
    from fazhi_review.config import LLMOptions

T = TypeVar("T")

SUMMARIZE_EPILOG = """示例：\n
  fazhi summarize examples/xumingsi-2023.txt\n
  fazhi summarize 报告.docx --format json -o 摘要.json\n
  fazhi summarize 报告.pdf --engine offline > 摘要.md
"""


class OutputFormatOption(str, Enum):
    markdown = "markdown"
    json = "json"


class EngineOption(str, Enum):
    auto = "auto"
    llm = "llm"
    offline = "offline"


app = typer.Typer(
    name="fazhi",
    help="审阅乡镇《法治政府建设情况报告》：有据可查的摘要、量化指标、不足、整改措施与合规风险。",
    epilog="示例：\n\n  fazhi summarize examples/xumingsi-2023.txt\n\n  fazhi rules\n\n  fazhi doctor --base-url http://127.0.0.1:8765/v1 --model gemma3-270m",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


def guarded(action: Callable[[], T]) -> T:
    """Run a command body; our errors become one Chinese line and an exit code, never a traceback."""
    try:
        return action()
    except FazhiError as error:
        typer.echo(f"错误: {error.user_message()}", err=True)
        raise typer.Exit(error.exit_code) from None
    except KeyboardInterrupt:
        typer.echo("错误: 已中断", err=True)
        raise typer.Exit(130) from None
    except (typer.Exit, typer.Abort):
        raise
    except Exception as error:
        if os.environ.get("FAZHI_DEBUG"):
            raise
        typer.echo(f"错误: 内部错误（{type(error).__name__}: {error}）。请设置 FAZHI_DEBUG=1 重试以查看详情，并反馈给维护者。", err=True)
        raise typer.Exit(1) from None


def _show(text: str, output_format: str, out: Path | None) -> None:
    from fazhi_review.pipeline import write_output

    if out is None and output_format == "markdown" and sys.stdout.isatty():
        from rich.console import Console
        from rich.markdown import Markdown

        Console().print(Markdown(text))
        return
    write_output(text, out)


class ModeOption(str, Enum):
    auto = "auto"
    tools = "tools"
    json_schema = "json_schema"
    json_object_schema = "json_object_schema"
    json = "json"
    md_json = "md_json"


BaseUrlOpt = Annotated[str | None, typer.Option("--base-url", help="OpenAI 兼容服务地址，如 http://127.0.0.1:8765/v1（默认取 FAZHI_BASE_URL / fazhi.toml）")]
ModelOpt = Annotated[str | None, typer.Option("--model", help="模型名（默认取 FAZHI_MODEL / fazhi.toml）")]
ApiKeyOpt = Annotated[str | None, typer.Option("--api-key", help="API key（建议用环境变量 FAZHI_API_KEY）")]
ModeOpt = Annotated[ModeOption | None, typer.Option("--mode", help="结构化输出模式；auto 按 fazhi doctor 的探测结果选择")]
FormatOpt = Annotated[OutputFormatOption, typer.Option("--format", "-f", help="输出格式")]


class FallbackOption(str, Enum):
    none = "none"
    offline = "offline"


def _llm_options(base_url: str | None, model: str | None, api_key: str | None, mode: ModeOption | None) -> LLMOptions:
    from fazhi_review.config import LLMOptions

    return LLMOptions(base_url=base_url, model=model, api_key=api_key, mode=mode.value if mode else None)


@app.command(epilog=SUMMARIZE_EPILOG)
def summarize(
    file: Annotated[Path, typer.Argument(help="报告文件：.txt（任意中文编码）、.docx、.pdf（需有文字层）、.html/.htm")],
    output_format: FormatOpt = OutputFormatOption.markdown,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="写入文件（默认输出到屏幕）")] = None,
    engine: Annotated[EngineOption, typer.Option("--engine", help="auto：配置了 LLM 服务就用它，否则离线；llm；offline")] = EngineOption.auto,
    mode: ModeOpt = None,
    base_url: BaseUrlOpt = None,
    model: ModelOpt = None,
    api_key: ApiKeyOpt = None,
    offline: Annotated[bool, typer.Option("--offline", help="保证不联网（只用离线引擎）")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="不显示“报告将发送到外部服务”的提示")] = False,
    fallback: Annotated[FallbackOption, typer.Option("--fallback", help="--engine llm 时模型没有给出任何有据可查的内容：none 报错退出；offline 接受离线引擎的结果")] = FallbackOption.none,
) -> None:
    """把一份报告变成有据可查的审阅摘要（亮点、量化指标、不足、整改措施、合规风险）。"""

    def run() -> None:
        from fazhi_review.pipeline import SummarizeOptions, check_output_path, summarize_to_text

        if output is not None:
            check_output_path(output)
        options = SummarizeOptions(
            engine=engine.value,
            output_format=output_format.value,
            llm=_llm_options(base_url, model, api_key, mode),
            offline=offline,
            quiet=quiet,
            fallback=fallback.value,
        )
        _show(summarize_to_text(file, options), output_format.value, output)

    guarded(run)


@app.command(epilog="示例：\n\n  fazhi doctor --base-url http://127.0.0.1:8765/v1 --model gemma3-270m")
def doctor(
    base_url: BaseUrlOpt = None,
    model: ModelOpt = None,
    api_key: ApiKeyOpt = None,
    output_format: FormatOpt = OutputFormatOption.markdown,
) -> None:
    """检查 LLM 服务：能否连通、列出的模型、工具调用与 JSON Schema 是否真正生效，并推荐模式。"""

    def run() -> None:
        from fazhi_review.pipeline import doctor as run_doctor
        from fazhi_review.render.doctor import render_probe

        result = run_doctor(_llm_options(base_url, model, api_key, None))
        typer.echo(result.model_dump_json(indent=2) if output_format is OutputFormatOption.json else render_probe(result))
        if not result.reachable or result.error:
            raise typer.Exit(1)

    guarded(run)


@app.command(name="eval", epilog="示例：\n\n  fazhi eval --gold ../shared/gold --reports ../shared/reports --engine offline")
def eval_command(
    gold: Annotated[Path, typer.Option("--gold", help="gold 标注目录（每个 JSON 的 report 字段指明报告文件）")],
    reports: Annotated[Path, typer.Option("--reports", help="报告所在目录")],
    engine: Annotated[EngineOption, typer.Option("--engine", help="要评估的引擎")] = EngineOption.auto,
    mode: ModeOpt = None,
    base_url: BaseUrlOpt = None,
    model: ModelOpt = None,
    api_key: ApiKeyOpt = None,
    output_format: FormatOpt = OutputFormatOption.markdown,
) -> None:
    """用标注好的报告给引擎/模型打分：法定部分、指标召回与精确、规则与研判发现、无据内容、调用与令牌。"""

    def run() -> None:
        from fazhi_review.evaluate import evaluate
        from fazhi_review.pipeline import SummarizeOptions
        from fazhi_review.render.eval import render_scores

        options = SummarizeOptions(engine=engine.value, llm=_llm_options(base_url, model, api_key, mode))
        typer.echo(render_scores(evaluate(gold, reports, options), output_format.value), nl=False)

    guarded(run)


@app.command(epilog="示例：\n\n  fazhi rules\n\n  fazhi rules --format json")
def rules(
    output_format: Annotated[OutputFormatOption, typer.Option("--format", "-f", help="输出格式")] = OutputFormatOption.markdown,
) -> None:
    """列出规则包中的全部规则（编号、标题、严重程度、依据）。"""

    def run() -> None:
        from fazhi_review.render.rules import render_rules

        typer.echo(render_rules(output_format.value), nl=False)

    guarded(run)


def main() -> None:
    app()


summarize_app = typer.Typer(pretty_exceptions_enable=False, add_completion=False)
summarize_app.command(epilog=SUMMARIZE_EPILOG)(summarize)


def summarize_main() -> None:
    """The ``summarize`` console script: the same as ``fazhi summarize``."""
    summarize_app()
