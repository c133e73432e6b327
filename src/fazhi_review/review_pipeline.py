"""``fazhi review``: a report (or a saved summary JSON) → the 审阅意见 as Markdown, JSON or Word.

The CLI calls :func:`run_review` once. Everything a user can get wrong — a missing file, an
unknown output extension, -o pointing at the input, a summary JSON from another version or
edited into inconsistency — becomes one Chinese ``FazhiError`` before anything is written.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import sys
from bisect import bisect_left
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, cast

from pydantic import ValidationError

from fazhi_review.analysis import analyze_path
from fazhi_review.config import config_path, load_check_profile, load_review_table, validation_problem
from fazhi_review.engine import ENGINES
from fazhi_review.errors import ConfigError, InputError, UsageError, os_reason
from fazhi_review.ingest import read_document
from fazhi_review.models import Evidence, NormalizedText, ReportSummary
from fazhi_review.normalize import normalize_text
from fazhi_review.output import check_output_path, format_for, write_bytes_atomic
from fazhi_review.pipeline import SummarizeOptions, engine_choice, summarize_analysis
from fazhi_review.review import draft_review
from fazhi_review.review.model import DEFAULT_ISSUER, ReviewDraft, ReviewSettings

ReviewFormat = Literal["markdown", "json", "docx"]
#: what ``fazhi review`` writes, the first being the default on screen
REVIEW_FORMATS: tuple[ReviewFormat, ...] = ("markdown", "json", "docx")
_CN_DATE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日?")


@dataclass
class ReviewOptions:
    report: Path | None = None
    from_summary: Path | None = None
    output: Path | None = None
    output_format: ReviewFormat | None = None
    template: Path | None = None
    #: issuer, addressee, date, deadline_days as given on the command line (None = not given)
    flags: dict[str, Any] = field(default_factory=dict)
    summarize: SummarizeOptions = field(default_factory=SummarizeOptions)


def parse_date(text: str) -> dt.date:
    """2026-11-23 or 2026年11月23日."""
    match = _CN_DATE.fullmatch(text.strip())
    try:
        if match:
            return dt.date(*(int(g) for g in match.groups()))
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise UsageError(f"成文日期“{text}”无法识别", hint="请写成 2026-11-23 或 2026年11月23日") from None


def load_review_settings(flags: dict[str, Any]) -> ReviewSettings:
    """CLI flags over fazhi.toml [review] over the defaults — the one place they are merged."""
    given = {key: value for key, value in flags.items() if value is not None}
    if isinstance(given.get("date"), str):
        given["date"] = parse_date(given["date"])
    try:
        return ReviewSettings(**{**load_review_table(), **given})
    except ValidationError as error:
        where = config_path()
        hint = f"请检查命令行参数（如 --deadline-days）或 {where} 的 [review]" if where else "请检查命令行参数（如 --deadline-days）"
        raise ConfigError(f"[review] 设置无效（{validation_problem(error)}）", hint=hint) from None


def output_format(options: ReviewOptions) -> ReviewFormat:
    """--format wins; otherwise -o's extension decides (``output.format_for``); stdout gets Markdown."""
    chosen = format_for(options.output, options.output_format, REVIEW_FORMATS)
    if chosen == "docx" and options.output is None:
        raise UsageError("Word 格式不能输出到屏幕", hint="请用 -o 审阅意见.docx 指定文件")
    return cast(ReviewFormat, chosen)


def check_paths(options: ReviewOptions) -> None:
    if (options.report is None) == (options.from_summary is None):
        raise UsageError("请给出一份报告文件，或用 --from 指定摘要 JSON（二者选一）")
    source = options.report or options.from_summary
    assert source is not None
    if options.from_summary is not None and not options.from_summary.is_file():
        raise UsageError("摘要文件不存在", path=str(options.from_summary), hint="请检查路径，或先运行 fazhi summarize --format json -o 摘要.json")
    if options.template is not None and (not options.template.is_file() or options.template.suffix.lower() != ".docx"):
        raise UsageError("模板必须是已存在的 .docx 文件", path=str(options.template))
    if options.template is not None and not _is_word_package(options.template):
        raise UsageError("模板不是有效的 Word (.docx) 文件，可能已损坏", path=str(options.template), hint="请用 Word 或 WPS 打开模板后「另存为」.docx 格式再试")
    if options.output is not None:
        check_output_path(options.output, inputs=[given for given in (source, options.template) if given is not None])


def _is_word_package(path: Path) -> bool:
    """A .docx is a zip holding word/document.xml: anything else would fail deep in python-docx."""
    import zipfile

    try:
        with zipfile.ZipFile(path) as package:
            return "word/document.xml" in package.namelist()
    except (OSError, zipfile.BadZipFile):
        return False


def _validation_message(error: ValidationError) -> str:
    return validation_problem(error)


def _check_consistent(summary: ReportSummary) -> None:
    """Offsets a hand edit can break that the model's own validators do not see."""
    size = summary.meta.characters
    evidences: list[Evidence] = [h.evidence for h in summary.highlights] + [i.evidence for i in summary.indicators]
    evidences += [s.evidence for s in summary.shortcomings] + [m.evidence for m in summary.measures]
    evidences += [r.evidence for r in summary.risks if r.evidence is not None]
    evidences += [e for c in summary.coverage for e in c.evidence]
    for evidence in evidences:
        if evidence.end > size:
            raise ValueError(f"引文“{evidence.quote[:12]}”的位置 {evidence.end} 超出原文长度 {size}")
    for paragraph in summary.paragraphs:
        if not paragraph.start <= paragraph.end <= size:
            raise ValueError(f"第{paragraph.index}段的位置超出原文长度 {size}")


def load_summary(path: Path) -> ReportSummary:
    """A summary JSON written by ``fazhi summarize --format json``, checked before it is trusted."""
    hint = "请用 fazhi summarize 报告 --format json -o 摘要.json 重新生成"
    try:
        data = json.loads(path.read_bytes().decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise InputError("摘要文件不是 UTF-8 编码的 JSON", path=str(path), hint=hint) from None
    except json.JSONDecodeError as error:
        raise InputError(f"摘要文件不是有效的 JSON（第{error.lineno}行第{error.colno}列附近格式错误）", path=str(path), hint=hint) from None
    except OSError as error:
        raise InputError(f"无法读取摘要文件（{os_reason(error)}）", path=str(path)) from None
    try:
        summary = ReportSummary.model_validate(data)
        _check_consistent(summary)
    except ValidationError as error:
        raise InputError(f"摘要 JSON 与当前版本的格式不符或内容不一致（{_validation_message(error)}）", path=str(path), hint=hint) from None
    except ValueError as error:
        raise InputError(f"摘要 JSON 内容不一致（{error}）", path=str(path), hint=hint) from None
    return summary


def _source_of(summary: ReportSummary, summary_path: Path) -> Path | None:
    """The report the summary was made from, when it is still there unchanged (same sha256):
    as written in the summary, else beside the summary JSON."""
    import hashlib

    given = Path(summary.meta.source_file)
    for candidate in (given, summary_path.parent / given.name):
        try:
            if hashlib.sha256(candidate.read_bytes()).hexdigest() == summary.meta.sha256:
                return candidate
        except OSError:
            continue
    return None


def check_quotes_against_source(summary: ReportSummary, summary_path: Path, notify: Callable[[str], None]) -> None:
    """A 审阅意见 quotes the report back to its sender: every quote of a summary JSON is checked
    against the report it names (a hand edit can change a quote and keep its offsets), or the
    user is told it could not be."""
    source = _source_of(summary, summary_path)
    if source is None:
        notify(f"提示：找不到原报告 {summary.meta.source_file}（或它已改动），引文未能与原文逐字核对。")
        return
    original = read_document(source).text
    for section, index, evidence in summary.iter_evidence():
        if original[evidence.start : evidence.end] != evidence.quote:
            _refuse_edited(summary_path, f"{section} 第{index + 1}条的引文“{evidence.quote[:16]}”与原报告不符")
    clean = normalize_text(original)
    stated: list[tuple[str, list[tuple[str, Evidence]]]] = [
        ("highlights", [(h.text, h.evidence) for h in summary.highlights]),
        ("shortcomings", [(s.text, s.evidence) for s in summary.shortcomings]),
        ("measures", [(m.text, m.evidence) for m in summary.measures]),
    ]
    for section, items in stated:
        for index, (text, evidence) in enumerate(items):
            if not _said_in(text, _as_read(clean, evidence)):
                _refuse_edited(summary_path, f"{section} 第{index + 1}条“{text[:16]}”不是其引文所说的内容")


def _refuse_edited(summary_path: Path, what: str) -> None:
    raise InputError(f"摘要 JSON 与原报告不符（{what}），可能被手工修改过", path=str(summary_path), hint="请用 fazhi summarize 报告 --format json -o 摘要.json 重新生成")


#: what an item's text keeps of its quote: its words and figures (marks and blanks aside)
_WORD_CHARS = re.compile(r"[\w%]")


def _as_read(clean: NormalizedText, evidence: Evidence) -> str:
    """The quote as the engine read it: the clean characters that come from its original span
    (full-width digits, Traditional script and half-width marks normalised)."""
    first, last = bisect_left(clean.offsets, evidence.start), bisect_left(clean.offsets, evidence.end)
    return clean.text[first:last]


def _said_in(text: str, read: str) -> bool:
    """The item's words are its quote's, in order: a summary states what the report says."""
    source = iter(_WORD_CHARS.findall(read))
    return all(char in source for char in _WORD_CHARS.findall(text))


def render_draft(draft: ReviewDraft, chosen: ReviewFormat, template: Path | None) -> bytes:
    if chosen == "docx":
        from fazhi_review.render.docx import review_docx_bytes

        return review_docx_bytes(draft, template)
    from fazhi_review.render.review import render_review_json, render_review_markdown

    return (render_review_json(draft) if chosen == "json" else render_review_markdown(draft)).encode("utf-8")


def build_draft(options: ReviewOptions, settings: ReviewSettings) -> ReviewDraft:
    """The summary (read, or made by the chosen engine), the template draft, and with the LLM
    engine the model's wording of 总体评价 and 修改完善意见 on top."""
    if options.from_summary is not None:
        summary = load_summary(options.from_summary)
        check_quotes_against_source(summary, options.from_summary, (lambda _m: None) if options.summarize.quiet else options.summarize.notify)
        _, llm = engine_choice(options.summarize)
    else:
        assert options.report is not None
        analysis = analyze_path(options.report, options.summarize.profile or load_check_profile(), options.summarize.max_chars)
        name, llm = engine_choice(options.summarize)
        summary = summarize_analysis(analysis, options.summarize, ENGINES[name](llm))
    draft = draft_review(summary, settings)
    if llm is None:
        return draft
    from fazhi_review.engine.llm import resolve_mode
    from fazhi_review.llm.client import openai_client
    from fazhi_review.review.wording import WordingRun, reword

    client = openai_client(llm)
    return reword(draft, summary, WordingRun(llm, resolve_mode(llm, client), client.chat.completions.create))


def run_review(options: ReviewOptions) -> bytes | None:
    """Validate everything, draft, render; write -o atomically, or return the bytes for stdout."""
    check_paths(options)
    chosen = output_format(options)
    settings = load_review_settings(options.flags)
    draft = build_draft(options, settings)
    data = render_draft(draft, chosen, options.template)
    if options.output is not None:
        write_bytes_atomic(options.output, data)
    if options.summarize.quiet:
        pass
    elif draft.issuer == DEFAULT_ISSUER:
        options.summarize.notify(f"提示：发文机关使用占位名称“{DEFAULT_ISSUER}”，请用 --issuer 或 fazhi.toml 的 [review] issuer 设置。")
    elif settings.issuer_is_placeholder:
        options.summarize.notify(f"提示：未设置发文机关，取报告主送的“{draft.issuer}”；可用 --issuer 或 fazhi.toml 的 [review] issuer 设置。")
    return data if options.output is None else None


def stdout_write(data: bytes) -> None:
    sys.stdout.write(data.decode("utf-8"))
    sys.stdout.flush()
