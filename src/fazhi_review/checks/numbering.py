"""heading-numbering: duplicate, skipped or backward numbers among sibling headings.

GB/T 9704-2012 orders the levels 一、→（一）→1.→（1）; within one level under one parent the
numbers must run 1, 2, 3 … (DOMAIN.md). Numbering that restarts at 1 under a new parent — or
starts a new run of 一是/二是 in a later paragraph — is normal and stays quiet. Each error is
reported once, at the heading that breaks the run, compared with the sibling just before it.
"""

from __future__ import annotations

import re

from fazhi_review.checks.catalogue import make_finding
from fazhi_review.checks.context import CheckContext
from fazhi_review.models import Finding, Heading

_CN = "零一二三四五六七八九十"
#: the 附件说明 block (GB/T 9704 sets it under the body, above the 落款): "附件：1．… 2．…"
_ATTACHMENTS = re.compile(r"^附件\s*\d*\s*[：:]", re.MULTILINE)
_LEVEL_NAMES = {1: "一级", 2: "二级", 3: "三级", 4: "四级", 5: "五级"}


def _sibling_groups(headings: list[Heading]) -> dict[tuple[int, int, str], list[Heading]]:
    """Headings grouped by (parent index, level, style); the parent is the nearest shallower one."""
    groups: dict[tuple[int, int, str], list[Heading]] = {}
    open_levels: list[int] = []  # indexes of the headings that can still be a parent, levels rising
    for index, heading in enumerate(headings):
        while open_levels and headings[open_levels[-1]].level >= heading.level:
            open_levels.pop()
        parent = open_levels[-1] if open_levels else -1
        open_levels.append(index)
        groups.setdefault((parent, heading.level, heading.style), []).append(heading)
    return groups


def _problem(previous: Heading | None, heading: Heading) -> str | None:
    """What is wrong with this number after the previous sibling's, or None."""
    number = heading.number
    if number <= 0:
        return None
    if previous is None:
        if number > 1 and heading.style != "yishi":
            return f"同级第一个标题序号为“{heading.marker}”，前面缺少序号1"
        return None
    last = previous.number
    if number == last:
        return f"与前一个同级标题“{_short(previous)}”序号重复"
    if number == 1:
        return None
    if number > last + 1:
        missing = "、".join(_numeral(n) for n in range(last + 1, number))
        return f"前一个同级标题序号为“{previous.marker}”，中间缺少序号{missing}"
    if number < last:
        return f"前一个同级标题序号为“{previous.marker}”，序号顺序颠倒"
    return None


def _numeral(number: int) -> str:
    return _CN[number] if 0 < number <= 10 else str(number)


def _short(heading: Heading) -> str:
    title = heading.title if len(heading.title) <= 16 else heading.title[:16] + "……"
    return f"{heading.marker}{title}"


def _body_headings(ctx: CheckContext) -> list[Heading]:
    """Headings before the 附件说明 and the 落款: the attachment list (附件：1．… 2．…) and what
    follows the 落款 (抄送) are not the report's outline."""
    signed = ctx.report.meta.signed_span
    end = signed.start if signed is not None else len(ctx.text)
    attachments = _ATTACHMENTS.search(ctx.text, 0, end)
    if attachments is not None:
        end = attachments.start()
    return [h for h in ctx.report.headings if h.span.start < end]


def check(ctx: CheckContext) -> list[Finding]:
    findings = []
    for (_, level, _), siblings in _sibling_groups(_body_headings(ctx)).items():
        previous: Heading | None = None
        for heading in siblings:
            problem = _problem(previous, heading)
            if problem:
                evidence = ctx.span_evidence(heading.span)
                level_name = _LEVEL_NAMES.get(level, f"第{level}级")
                findings.append(make_finding("heading-numbering", f"{level_name}标题“{_short(heading)}”{problem}。", evidence))
            previous = heading
    return findings
