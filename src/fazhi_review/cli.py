"""Command line: argument parsing and one pipeline call per command; nothing else lives here.

stdout holds only results; notices and errors go to stderr as ``错误: …`` with exit code 1
(failure) or 2 (usage).
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer
from typer._click import exceptions as click  # typer vendors click: its exceptions are these classes
from typer.core import TyperCommand, TyperGroup

from fazhi_review import __version__
from fazhi_review.errors import FazhiError, interrupted

if TYPE_CHECKING:
    from fazhi_review.config import LLMOptions

T = TypeVar("T")

SUMMARIZE_EPILOG = """示例：\n
  fazhi summarize examples/xumingsi-2023.txt\n
  fazhi summarize 报告.docx --format json -o 摘要.json\n
  fazhi summarize 报告.pdf --engine offline > 摘要.md
"""


def _param_name(error: click.ClickException) -> str:
    hint = getattr(error, "param_hint", None)
    if isinstance(hint, str):
        return hint
    param = getattr(error, "param", None)
    if param is not None:
        opts = [opt for opt in getattr(param, "opts", []) if str(opt).startswith("-")]
        if opts:
            return " / ".join(opts)
        return f"参数 {getattr(param, 'metavar', None) or str(getattr(param, 'name', '')).upper()}"  # as --help shows it
    return "参数"


_CHOICES = re.compile(r"is not one of (.+?)\.?$")
_BOUND = re.compile(r"(greater|less) than( or equal to)? (\S+)")


def _bad_value(error: click.BadParameter) -> str:
    """pydantic's/click's English reason for a bad option value, as the Chinese to show."""
    reason = str(error.message)
    choices = _CHOICES.search(reason)
    if choices:
        return "可选：" + "、".join(choice.strip(" '") for choice in choices.group(1).split(","))
    bound = _BOUND.search(reason)
    if bound:
        side = "大于" if bound.group(1) == "greater" else "小于"
        return f"需要{'不' + ('小于' if side == '大于' else '大于') if bound.group(2) else side} {bound.group(3)} 的数"
    if "integer" in reason:
        return "需要一个整数"
    if "number" in reason or "float" in reason:
        return "需要一个数"
    return "请运行 --help 查看可用的值"


def usage_message(error: click.ClickException) -> str:
    """click's English usage errors as one Chinese line."""
    if isinstance(error, click.NoSuchOption):
        similar = f"，是不是要用 {'、'.join(sorted(error.possibilities))}" if error.possibilities else ""
        return f"没有选项 {error.option_name}{similar}。请运行 --help 查看可用选项"
    if isinstance(error, click.BadOptionUsage):
        return f"选项 {error.option_name} 用法不对（需要一个值）。请运行 --help 查看用法"
    if isinstance(error, click.MissingParameter):
        name = _param_name(error)
        return f"缺少{name if name.startswith('参数') else ' ' + name}。请运行 --help 查看用法"
    if isinstance(error, click.BadParameter):
        return f"{_param_name(error)} 的取值无效，{_bad_value(error)}"
    if isinstance(error, click.UsageError):
        text = error.format_message()
        if text.startswith("No such command"):
            name, _, suggestion = text.split(" ", 3)[-1].partition(". Did you mean ")
            maybe = f"，是否想用 {suggestion.rstrip('?')}" if suggestion else ""
            return f"没有这个命令 {name.strip('.')}{maybe}。请运行 fazhi --help 查看命令"
        if text.startswith("Got unexpected extra argument"):
            return f"多余的参数 {text.rsplit('(', 1)[-1].rstrip(').')}。请运行 --help 查看用法"
        return f"用法错误（{text}）。请运行 --help 查看用法"
    return error.format_message()


class _ChineseErrors:
    """click's usage errors become one ``错误: …`` line and exit 2, instead of an English box."""

    def main(self, *args: Any, **kwargs: Any) -> Any:
        standalone_mode = kwargs.pop("standalone_mode", True)
        _interrupt.reported = False
        try:
            result = super().main(*args, standalone_mode=False, **kwargs)  # type: ignore[misc]
        except click.NoArgsIsHelpError as error:
            typer.echo(error.ctx.get_help() if error.ctx else "", err=True)
            return _finish(2, standalone_mode)
        except click.ClickException as error:
            typer.echo(f"错误: {usage_message(error)}", err=True)
            return _finish(error.exit_code, standalone_mode)
        except typer.Abort:
            typer.echo("错误: 已中断", err=True)
            return _finish(1, standalone_mode)
        code = result if isinstance(result, int) else 0
        if code == INTERRUPTED and not _interrupt.reported:
            # typer turns a Ctrl-C outside a command's guarded body (parsing, a lazy import) into a
            # silent exit 130: the user is told, once
            typer.echo(INTERRUPTED_MESSAGE, err=True)
        return _finish(code, standalone_mode)


    def get_help_option(self, ctx: Any) -> Any:
        option = super().get_help_option(ctx)  # type: ignore[misc]
        if option is not None:
            option.help = "显示帮助并退出"
        return option

    def get_help(self, ctx: Any) -> str:
        """click's own words in the help (headings, [required], [default: …]) in Chinese."""
        text: str = super().get_help(ctx)  # type: ignore[misc]
        for english, chinese in _HELP_WORDS:
            text = text.replace(english, chinese)
        text = re.sub(r" <[A-Za-z_\[\], ]+>", "", text)  # a Python type ("<list[Path]>") is no help to a reader
        return re.sub(r"\[default:(\s+)", r"[默认:\1", text)  # a narrow terminal wraps after the colon


#: what click writes itself around our Chinese help texts
_HELP_WORDS = (
    ("Usage: ", "用法: "),
    (" [OPTIONS]", " [选项]"),
    (" COMMAND [ARGS]...", " 命令 [参数]..."),
    ("\nArguments:\n", "\n参数:\n"),
    ("\nOptions:\n", "\n选项:\n"),
    ("\nCommands:\n", "\n命令:\n"),
    ("[required]", "[必填]"),
    ("Show this message and exit.", "显示帮助并退出"),
)


INTERRUPTED = 130
INTERRUPTED_MESSAGE = "错误: 已中断"


class _InterruptState:
    """Whether this run has said "已中断" already (``guarded``, or the batch's longer message)."""

    reported = False


_interrupt = _InterruptState()


def _interrupt_reported() -> typer.Exit:
    _interrupt.reported = True
    return typer.Exit(INTERRUPTED)


def _finish(code: int, standalone_mode: bool) -> int:
    if standalone_mode:
        sys.exit(code)
    return code


class ChineseGroup(_ChineseErrors, TyperGroup):
    pass


class ChineseCommand(_ChineseErrors, TyperCommand):
    pass


def _version(value: bool) -> None:
    if value:
        typer.echo(f"fazhi-review {__version__}")
        raise typer.Exit(0)


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
    cls=ChineseGroup,
    rich_markup_mode=None,
    context_settings={"max_content_width": 120},
)


@app.callback()
def _root(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True, help="显示版本号并退出")] = False,
) -> None:
    """审阅乡镇《法治政府建设情况报告》：有据可查的摘要、量化指标、不足、整改措施与合规风险。"""


def guarded(action: Callable[[], T]) -> T:
    """Run a command body; our errors become one Chinese line and an exit code, never a traceback."""
    try:
        return action()
    except FazhiError as error:
        typer.echo(f"错误: {error.user_message()}", err=True)
        raise typer.Exit(error.exit_code) from None
    except KeyboardInterrupt:
        typer.echo(INTERRUPTED_MESSAGE, err=True)
        raise _interrupt_reported() from None
    except (typer.Exit, typer.Abort):
        raise
    except Exception as error:
        if interrupted(error):
            typer.echo(INTERRUPTED_MESSAGE, err=True)
            raise _interrupt_reported() from None
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
OfflineOpt = Annotated[bool, typer.Option("--offline", help="保证不联网（只用离线引擎）")]
QuietOpt = Annotated[bool, typer.Option("--quiet", "-q", help="不显示“报告将发送到外部服务”的提示")]
OutFormatOpt = Annotated[OutputFormatOption | None, typer.Option("--format", "-f", help="输出格式（默认按 -o 的扩展名：.json 为 JSON，.md/.txt 为 Markdown；否则 Markdown）")]


class FallbackOption(str, Enum):
    none = "none"
    offline = "offline"


def _llm_options(base_url: str | None, model: str | None, api_key: str | None, mode: ModeOption | None) -> LLMOptions:
    from fazhi_review.config import LLMOptions

    return LLMOptions(base_url=base_url, model=model, api_key=api_key, mode=mode.value if mode else None)


@app.command(cls=ChineseCommand, epilog=SUMMARIZE_EPILOG)
def summarize(
    file: Annotated[Path, typer.Argument(metavar="报告", help="报告文件：.txt（任意中文编码）、.docx、.pdf（需有文字层）、.html/.htm、.mht/.mhtml（网页，单个文件）")],
    output_format: OutFormatOpt = None,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="写入文件（默认输出到屏幕；不会覆盖输入文件）")] = None,
    engine: Annotated[EngineOption, typer.Option("--engine", help="auto：配置了 LLM 服务就用它，否则离线；llm；offline")] = EngineOption.auto,
    mode: ModeOpt = None,
    base_url: BaseUrlOpt = None,
    model: ModelOpt = None,
    api_key: ApiKeyOpt = None,
    offline: OfflineOpt = False,
    quiet: QuietOpt = False,
    max_chars: Annotated[int | None, typer.Option("--max-chars", min=1, help="输入文字上限（字符数，默认 2000000，可在 fazhi.toml [input] max_chars 设置）")] = None,
    fallback: Annotated[FallbackOption, typer.Option("--fallback", help="--engine llm 时模型没有给出任何有据可查的内容：none 报错退出；offline 接受离线引擎的结果")] = FallbackOption.none,
) -> None:
    """把一份报告变成有据可查的审阅摘要（亮点、量化指标、不足、整改措施、合规风险）。"""

    def run() -> None:
        from fazhi_review.output import check_output_path, format_for
        from fazhi_review.pipeline import SummarizeOptions, summarize_to_text
        from fazhi_review.progress import progress

        if output is not None:
            check_output_path(output, inputs=[file])
        chosen = format_for(output, output_format.value if output_format else None, ["markdown", "json"])
        options = SummarizeOptions(
            engine=engine.value,
            output_format=chosen,  # type: ignore[arg-type]
            llm=_llm_options(base_url, model, api_key, mode),
            offline=offline,
            quiet=quiet,
            fallback=fallback.value,
            max_chars=max_chars,
        )
        from fazhi_review.analysis import cycle_collection_paused

        with progress(f"正在审阅 {file.name}…"), cycle_collection_paused():
            text = summarize_to_text(file, options)
        _show(text, chosen, output)

    guarded(run)


class ReviewFormatOption(str, Enum):
    markdown = "markdown"
    json = "json"
    docx = "docx"


REVIEW_EPILOG = """示例：\n
  fazhi review examples/maojun-2024.txt\n
  fazhi review 报告.docx -o 审阅意见.docx --issuer "XX县委全面依法治县委员会办公室" --deadline-days 15\n
  fazhi review --from 摘要.json --format json -o 审阅意见.json
"""


@app.command(cls=ChineseCommand, epilog=REVIEW_EPILOG)
def review(
    file: Annotated[Path | None, typer.Argument(metavar="报告", help="报告文件（与 summarize 相同的格式）；用 --from 时省略")] = None,
    from_summary: Annotated[Path | None, typer.Option("--from", help="从 fazhi summarize --format json 生成的摘要 JSON 起草（不再解析报告）")] = None,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="写入文件：.md、.json 或 .docx（默认 Markdown 输出到屏幕）")] = None,
    output_format: Annotated[ReviewFormatOption | None, typer.Option("--format", "-f", help="输出格式（默认由 -o 的扩展名决定）")] = None,
    issuer: Annotated[str | None, typer.Option("--issuer", help="发文机关（默认取 fazhi.toml [review]，否则为占位名称）")] = None,
    addressee: Annotated[str | None, typer.Option("--addressee", help="主送（默认由报告单位推出，如“XX镇党委、镇政府”）")] = None,
    date: Annotated[str | None, typer.Option("--date", help="成文日期，如 2026-11-23（默认今天）")] = None,
    deadline_days: Annotated[int | None, typer.Option("--deadline-days", help="修改期限（天，默认 15）")] = None,
    template: Annotated[Path | None, typer.Option("--template", help="Word 模板（.docx，沿用其样式与版头）")] = None,
    engine: Annotated[EngineOption, typer.Option("--engine", help="引擎：auto、llm（模型另改写总体评价与修改意见，经校验）、offline")] = EngineOption.auto,
    mode: ModeOpt = None,
    base_url: BaseUrlOpt = None,
    model: ModelOpt = None,
    api_key: ApiKeyOpt = None,
    offline: OfflineOpt = False,
    quiet: QuietOpt = False,
) -> None:
    """起草审阅意见（总体评价、存在的主要问题、修改完善意见、审阅结论），每条问题都附原文证据。"""

    def run() -> None:
        from fazhi_review.pipeline import SummarizeOptions
        from fazhi_review.review_pipeline import ReviewOptions, run_review, stdout_write

        options = ReviewOptions(
            report=file,
            from_summary=from_summary,
            output=output,
            output_format=output_format.value if output_format else None,
            template=template,
            flags={"issuer": issuer, "addressee": addressee, "date": date, "deadline_days": deadline_days},
            summarize=SummarizeOptions(engine=engine.value, llm=_llm_options(base_url, model, api_key, mode), offline=offline, quiet=quiet),
        )
        data = run_review(options)
        if data is not None:
            stdout_write(data)

    guarded(run)


@app.command(cls=ChineseCommand, epilog="示例：\n\n  fazhi doctor --base-url http://127.0.0.1:8765/v1 --model gemma3-270m")
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


@app.command(cls=ChineseCommand, name="eval", epilog="示例：\n\n  fazhi eval --gold examples/gold --reports examples --engine offline")
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


BATCH_EPILOG = """示例：\n
  fazhi batch 报告目录/ -o 审阅结果/\n
  fazhi batch a镇.docx b镇.pdf 其他目录/ -o 审阅结果/ --jobs 4\n
  fazhi batch 报告目录/ -o 审阅结果/ --engine llm --base-url http://127.0.0.1:8765/v1 --model qwen2.5-7b
"""


@app.command(cls=ChineseCommand, epilog=BATCH_EPILOG)
def batch(
    inputs: Annotated[list[Path], typer.Argument(metavar="报告或目录", help="报告文件和/或目录（递归查找 .txt .docx .pdf .html .htm .mht .mhtml）")],
    output: Annotated[Path, typer.Option("--output", "-o", help="输出目录：各报告的摘要与审阅意见、汇总表.xlsx、县级汇总、index.html、失败清单")],
    jobs: Annotated[int | None, typer.Option("--jobs", "-j", min=1, max=64, help="并发数（默认：离线为 CPU 核数，LLM 为 4）")] = None,
    engine: Annotated[EngineOption, typer.Option("--engine", help="auto：配置了 LLM 服务就用它，否则离线；llm；offline")] = EngineOption.auto,
    mode: ModeOpt = None,
    base_url: BaseUrlOpt = None,
    model: ModelOpt = None,
    api_key: ApiKeyOpt = None,
    offline: OfflineOpt = False,
    force: Annotated[bool, typer.Option("--force", help="忽略缓存，全部重新处理")] = False,
    fallback: Annotated[
        FallbackOption, typer.Option("--fallback", help="--engine llm 时某份报告模型没有给出任何有据可查的内容：none 记为失败；offline 接受离线引擎的结果")
    ] = FallbackOption.none,
    issuer: Annotated[str | None, typer.Option("--issuer", help="审阅意见的发文机关（默认取 fazhi.toml 的 [review] issuer；未设置时取报告主送的依法治县办/司法局）")] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="不显示进度和提示")] = False,
) -> None:
    """一次审阅一个县的全部报告：并发、可续跑，输出汇总表、县级汇总、跨报告检查和离线网页。"""

    def run() -> None:
        from fazhi_review.batch import BatchOptions, run_batch_command
        from fazhi_review.pipeline import SummarizeOptions

        summarize_options = SummarizeOptions(
            engine=engine.value, llm=_llm_options(base_url, model, api_key, mode), offline=offline, quiet=quiet, fallback=fallback.value
        )
        flags = {"issuer": issuer} if issuer else {}
        options = BatchOptions(outdir=output, jobs=jobs, quiet=quiet, force=force, summarize=summarize_options, review_flags=flags)
        code = run_batch_command(inputs, options)  # it says itself what an interrupt leaves
        raise _interrupt_reported() if code == INTERRUPTED else typer.Exit(code)

    guarded(run)


@app.command(cls=ChineseCommand, epilog="示例：\n\n  fazhi rules\n\n  fazhi rules --format json")
def rules(
    output_format: Annotated[OutputFormatOption, typer.Option("--format", "-f", help="输出格式")] = OutputFormatOption.markdown,
) -> None:
    """列出规则包中的全部规则（编号、标题、严重程度、依据）。"""

    def run() -> None:
        from fazhi_review.render.rules import render_rules

        typer.echo(render_rules(output_format.value), nl=False)

    guarded(run)


@app.command(cls=ChineseCommand, epilog="示例：\n\n  fazhi text 报告.docx > 报告.txt")
def text(
    file: Annotated[Path, typer.Argument(metavar="报告", help="报告文件（与 summarize 相同的格式）")],
    max_chars: Annotated[int | None, typer.Option("--max-chars", min=1, help="输入文字上限（字符数）")] = None,
) -> None:
    """原样输出摘要中字符位置所指的文本（evidence 的 start/end 即此文本的下标）。"""

    def run() -> None:
        from fazhi_review.pipeline import document_text

        sys.stdout.write(document_text(file, max_chars))
        sys.stdout.flush()

    guarded(run)


def main() -> None:
    app()


summarize_app = typer.Typer(pretty_exceptions_enable=False, add_completion=False, rich_markup_mode=None, context_settings={"max_content_width": 120})
summarize_app.command(epilog=SUMMARIZE_EPILOG, cls=ChineseCommand)(summarize)


def summarize_main() -> None:
    """The ``summarize`` console script: the same as ``fazhi summarize``."""
    summarize_app()
