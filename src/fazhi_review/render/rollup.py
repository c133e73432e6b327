"""The county roll-up a reviewer sends upward: 县级汇总 (Markdown, and 公文 blocks for Word).

总体情况, 共性问题 (findings grouped by rule across reports, with counts and towns), 典型做法
(the most specific highlights), an indicator comparison, and the reports that did not pass.
The Word file reuses the review's GB/T 9704 layout (render/docx.py), not a second writer.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

from fazhi_review.county import FailureRecord, ReportRow, Rollup, SkippedFile
from fazhi_review.facts.taxonomy import CATEGORIES, OTHER
from fazhi_review.models import REQUIRED_PARTS
from fazhi_review.render.gongwen import Block, GongwenDoc
from fazhi_review.render.markdown import table_cell

_SEVERITY_ORDER = {"高": 0, "中": 1, "低": 2}
_MAX_PRACTICES = 8
_MAX_TOWNS_SHOWN = 12
#: removed inputs named in the closing lines (the rest are counted)
_REMOVED_SHOWN = 5
_SPECIFIC = re.compile(r"\d+(?:\.\d+)?|《[^》]{2,40}》|首次|首个|率先|示范|试点|获评|荣获")


def town(row: ReportRow) -> str:
    meta = row.summary.meta
    return meta.issuer or row.name


def distinct_names(rollup: Rollup) -> dict[str, str]:
    """Row name → the township, with the year and then the file when the batch holds several of
    its reports (one pass: a prefecture's roll-up has a thousand rows)."""
    towns = Counter(town(r) for r in rollup.reports)
    years = Counter((town(r), r.summary.meta.report_year) for r in rollup.reports)
    names = {}
    for row in rollup.reports:
        name, year = town(row), row.summary.meta.report_year
        if towns[name] > 1:
            name = f"{name}（{year}年度）" if year is not None and years[(name, year)] == 1 else f"{name}（{Path(row.source_file).name}）"
        names[row.name] = name
    return names


def complete(row: ReportRow) -> bool:
    return all(row.summary.parts.get(p) is not None for p in REQUIRED_PARTS)


@dataclass(frozen=True)
class CommonProblem:
    rule_id: str
    title: str
    severity: str
    towns: list[str]
    #: reports the rule fired in (a township with two reports in the batch counts twice)
    reports: int

    def line(self) -> str:
        shown = "、".join(self.towns[:_MAX_TOWNS_SHOWN]) + ("等" if len(self.towns) > _MAX_TOWNS_SHOWN else "")
        units = f"，{len(self.towns)}个单位" if len(self.towns) != self.reports else ""
        return f"【{self.severity}】{self.title}（{self.rule_id}）：{self.reports}份报告{units}（{shown}）"


def common_problems(rollup: Rollup) -> list[CommonProblem]:
    """Each rule that fired anywhere, with the reports it fired in, most severe and common first."""
    towns: dict[str, list[str]] = defaultdict(list)
    reports: dict[str, set[str]] = defaultdict(set)
    titles: dict[str, tuple[str, str]] = {}
    for row in rollup.reports:
        for risk in row.summary.risks:
            titles[risk.rule_id] = (risk.title, risk.severity)
            reports[risk.rule_id].add(row.name)
            if town(row) not in towns[risk.rule_id]:
                towns[risk.rule_id].append(town(row))
    for finding in rollup.cross_findings:
        titles[finding.rule_id] = (finding.title, finding.severity)
        for side in finding.sides:
            reports[finding.rule_id].add(side.report)
            name = side.issuer or side.report
            if name not in towns[finding.rule_id]:
                towns[finding.rule_id].append(name)
    problems = [CommonProblem(rule, titles[rule][0], titles[rule][1], names, len(reports[rule])) for rule, names in towns.items()]
    return sorted(problems, key=lambda p: (_SEVERITY_ORDER.get(p.severity, 3), -p.reports, p.rule_id))


def typical_practices(rollup: Rollup) -> list[tuple[str, str]]:
    """(town, highlight) — the most specific highlight of each report, the most specific first."""
    best: list[tuple[int, str, str]] = []
    names = distinct_names(rollup)
    for row in rollup.reports:
        scored = [(len(_SPECIFIC.findall(h.text)), h.text) for h in row.summary.highlights]
        if scored:
            score, text = max(scored, key=lambda pair: pair[0])
            if score:
                best.append((score, names[row.name], text))
    best.sort(key=lambda item: -item[0])
    seen_texts: set[str] = set()  # the same report submitted twice is one practice
    practices = []
    for _, name, text in best:
        if text not in seen_texts:
            seen_texts.add(text)
            practices.append((name, text))
    return practices[:_MAX_PRACTICES]


def indicator_categories(rollup: Rollup) -> list[str]:
    """Every category some report uses, 其他 last, so a row's columns add up to its 合计."""
    used = {i.category for row in rollup.reports for i in row.summary.indicators}
    return [key for key in CATEGORIES if key in used and key != OTHER] + [OTHER] * (OTHER in used)


def indicator_counts(row: ReportRow) -> Counter[str]:
    return Counter(i.category for i in row.summary.indicators)


def duplicate_lines(rollup: Rollup) -> list[str]:
    """One township's report for one year submitted more than once (a re-sent file, another
    encoding, a revised copy): counted once each in the totals above, so the reviewer is told."""
    groups: dict[tuple[str, int], list[ReportRow]] = {}
    for row in rollup.reports:
        if row.summary.meta.issuer and row.summary.meta.report_year is not None:
            groups.setdefault((row.summary.meta.issuer, row.summary.meta.report_year), []).append(row)
    return [
        f"{issuer}{year}年度报告有{len(rows)}份（{'、'.join(Path(r.source_file).name for r in rows)}），请核实是否重复报送。"
        for (issuer, year), rows in groups.items()
        if len(rows) > 1
    ]


def overall_lines(rollup: Rollup) -> list[str]:
    rows = rollup.reports
    levels = Counter(row.summary.meta.level or "未识别" for row in rows)
    on_time = sum(1 for r in rows if r.on_time is True)
    late = sum(1 for r in rows if r.on_time is False)
    verdicts = Counter(r.verdict or "未出结论" for r in rows)
    lines = [
        f"本次共审阅报告{len(rows)}份（" + "、".join(f"{level}{count}份" for level, count in sorted(levels.items())) + "）。",
        f"按时报送{on_time}份，逾期{late}份，落款日期未识别{len(rows) - on_time - late}份。",
        f"法定五部分齐全{sum(1 for r in rows if complete(r))}份，有缺项{sum(1 for r in rows if not complete(r))}份。",
        "审阅结论：" + "，".join(f"{verdict}{count}份" for verdict, count in verdicts.most_common()) + "。" if rows else "没有审阅成功的报告。",
    ]
    lines += duplicate_lines(rollup)
    if rollup.failures:
        lines.append(f"另有{len(rollup.failures)}个文件未能处理，见失败清单。")
    if rollup.skipped:
        lines.append(f"输入目录中另有{len(rollup.skipped)}个文件（夹）未作为报告读取（格式不支持、临时文件或网页附属文件夹），见失败清单；其中如有扫描件报告，需另行审阅。")
    return lines


def not_passed(rollup: Rollup) -> list[ReportRow]:
    return [row for row in rollup.reports if row.verdict != "通过"]


def _comparison_table(rollup: Rollup) -> list[str]:
    keys = indicator_categories(rollup)
    if not keys:
        return ["各报告均未列出可归类的量化指标。"]
    lines = ["| 报告单位 | " + " | ".join(CATEGORIES[k] for k in keys) + " | 合计 |", "| --- |" + " --- |" * (len(keys) + 1)]
    names = distinct_names(rollup)
    for row in rollup.reports:
        counts = indicator_counts(row)
        lines.append(f"| {names[row.name]} | " + " | ".join(str(counts.get(k, 0)) for k in keys) + f" | {len(row.summary.indicators)} |")
    return ["各报告按类别列出的量化指标条数（数值见汇总表“量化指标”）：", "", *lines]


def rollup_markdown(rollup: Rollup, title: str = "全县法治政府建设年度报告审阅汇总") -> str:
    lines = [f"# {title}", "", "## 一、总体情况", "", *overall_lines(rollup), "", "## 二、共性问题", ""]
    problems = common_problems(rollup)
    lines += [f"{n}. {p.line()}" for n, p in enumerate(problems, 1)] or ["未发现共性问题。"]
    lines += ["", "## 三、典型做法", ""]
    lines += [f"{n}. {name}：{text}" for n, (name, text) in enumerate(typical_practices(rollup), 1)] or ["未识别出具体的典型做法。"]
    lines += ["", "## 四、量化指标对比", "", *_comparison_table(rollup), "", "## 五、需修改或重报的报告", ""]
    rows = not_passed(rollup)
    lines += [f"{n}. {town(r)}（{r.source_file}）：{r.verdict or '未出结论'}。" + "；".join(r.verdict_reasons) for n, r in enumerate(rows, 1)] or [
        "全部报告审阅通过。"
    ]
    return "\n".join(lines).rstrip() + "\n"


def rollup_gongwen(rollup: Rollup, issuer: str, date: str, title: str = "全县法治政府建设年度报告审阅汇总") -> GongwenDoc:
    """The same sections as the Markdown, as 公文 blocks (the table becomes one line per town)."""
    blocks = [Block(kind="heading1", text="一、总体情况"), Block(kind="paragraph", text="".join(overall_lines(rollup)))]
    blocks.append(Block(kind="heading1", text="二、共性问题"))
    blocks += [Block(kind="paragraph", text=f"{n}. {p.line()}") for n, p in enumerate(common_problems(rollup), 1)]
    blocks.append(Block(kind="heading1", text="三、典型做法"))
    blocks += [Block(kind="paragraph", text=f"{n}. {name}：{text}") for n, (name, text) in enumerate(typical_practices(rollup), 1)]
    blocks.append(Block(kind="heading1", text="四、量化指标对比"))
    keys = indicator_categories(rollup)
    names = distinct_names(rollup)
    for row in rollup.reports:
        counts = indicator_counts(row)
        parts = "、".join(f"{CATEGORIES[k]}{counts[k]}条" for k in keys if counts.get(k))
        blocks.append(Block(kind="paragraph", text=f"{names[row.name]}：共{len(row.summary.indicators)}条" + (f"（{parts}）" if parts else "") + "。"))
    blocks.append(Block(kind="heading1", text="五、需修改或重报的报告"))
    rows = not_passed(rollup)
    # the township and its file, as the Markdown has it: two reports of one township are told apart
    blocks += [
        Block(kind="paragraph", text=f"{n}. {town(r)}（{Path(r.source_file).name}）：{r.verdict or '未出结论'}。" + "；".join(r.verdict_reasons))
        for n, r in enumerate(rows, 1)
    ]
    if not rows:
        blocks.append(Block(kind="paragraph", text="全部报告审阅通过。"))
    return GongwenDoc(title=title, addressee=None, blocks=blocks, issuer=issuer, date=date)


#: skip reasons behind which a report may hide (a scan, an unsupported or broken file)
_MAY_BE_A_REPORT = re.compile(r"不支持|符号链接|另存为")


def failures_markdown(failures: list[FailureRecord], skipped: list[SkippedFile] | None = None) -> str:
    lines = ["# 失败清单", ""]
    if not failures:
        # the files not read as reports (below) are no failures, but "全部文件" would hide them
        lines.append("读取的报告全部处理成功。" if skipped else "全部文件处理成功。")
    else:
        lines += [f"共{len(failures)}个文件未能处理；修正后重新运行同一命令，只处理这些文件。", "", "| 文件 | 原因 | 类别 | 退出码 |", "| --- | --- | --- | --- |"]
        for failure in failures:
            lines.append(f"| {table_cell(failure.file)} | {table_cell(failure.reason)} | {failure.category} | {failure.exit_code} |")
    if skipped:
        advice = "；其中的扫描件报告请转成带文字层的 PDF 或文字文件后重新运行" if any(_MAY_BE_A_REPORT.search(item.reason) for item in skipped) else ""
        lines += ["", "## 未作为报告读取的文件", "", f"输入目录中的{len(skipped)}个文件（夹）没有读取{advice}；请核对其中有没有应当审阅的报告。", ""]
        lines += ["| 文件 | 原因 |", "| --- | --- |"] + [f"| {table_cell(item.file)} | {table_cell(item.reason)} |" for item in skipped]
    return "\n".join(lines) + "\n"


def batch_summary(
    *,
    total: int,
    succeeded: int,
    from_cache: int,
    model_calls: int,
    engine: str,
    failures: list[FailureRecord],
    outdir: str,
    seconds: float,
    rollup_reused: bool = False,
    duplicates: int = 0,
    removed: list[str] | None = None,
) -> str:
    """The lines ``fazhi batch`` ends with: what was done, what it cost, where to look."""
    lines = [f"完成：{succeeded}/{total} 份成功，{len(failures)} 份失败，用时 {seconds:.1f} 秒。"]
    fresh = succeeded - from_cache - duplicates
    done = f"新处理 {fresh} 份，{from_cache} 份取自缓存" + (f"，{duplicates} 份与另一文件内容完全相同（沿用其结果）" if duplicates else "")
    if engine == "llm":
        lines.append(f"模型调用 {model_calls} 次；{done}" + ("（未调用模型）。" if model_calls == 0 else "。"))
    else:
        lines.append(f"离线引擎（不调用模型）；{done}。")
    if removed:
        shown = "、".join(Path(source).name for source in removed[:_REMOVED_SHOWN]) + ("等" if len(removed) > _REMOVED_SHOWN else "")
        lines.append(f"上次运行的 {len(removed)} 份报告不在本次输入中（{shown}），已从结果和汇总中移除。")
    if rollup_reused:
        lines.append("输入与结果均未变化，沿用上次生成的汇总。")
    for failure in failures:
        lines.append(f"失败：{failure.reason}（{failure.category}）")
    lines.append(f"结果在 {outdir}：汇总表.xlsx、县级汇总.md/.docx、index.html、各报告/" + ("、失败清单.md" if failures else ""))
    return "\n".join(lines) + "\n"
