"""not-a-report: the input does not look like a 法治政府建设 annual report at all.

English text, a news article, a novel excerpt, a company's 工作总结 or a file holding only a title
would otherwise be summarised as "本单位法治政府建设报告" with every statutory part "missing" —
five false 高 findings that say nothing true. Such an input gets ONE 高 finding, `not-a-report`,
and the missing-part family (and the other structural rules) stay silent for it; the summary's
overview says the same in its first words. The run still exits 0: a reviewer batch-processing a
folder sees the odd file named in the output rather than a failed run.

The decision uses robust signals, any of which is enough for a genuine report with an odd title:
法治 words in the title or opening lines, the density of the domain's vocabulary in the body, or
several statutory parts found by the structure stage. A text shorter than a real report's
opening paragraph is never one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from fazhi_review.checks.catalogue import make_finding
from fazhi_review.checks.context import CheckContext
from fazhi_review.models import REQUIRED_PARTS, Finding
from fazhi_review.text import CJK

#: Han characters below this are a title or a fragment, not a report
_MIN_HAN = 120
#: share of letters and Han characters that must be Han for a Chinese report
_MIN_HAN_SHARE = 0.5
_TITLE_WORDS = re.compile(r"法治政府|依法行政|法治建设|法治乡镇|法治街道|法治工作|法治镇|法治乡|法治")
_DOMAIN_WORDS = re.compile(
    r"法治|依法|执法|普法|法律顾问|合法性审查|合法性审核|行政复议|行政诉讼|行政应诉|规范性文件|第一责任人"
    r"|行政决策|行政处罚|行政许可|政务公开|矛盾纠纷|人民调解|公共法律服务|学法|法制|三项制度"
)
#: domain words per 1000 Han characters in a genuine report (the samples run 15–40)
_MIN_DENSITY = 6.0
_MIN_PARTS = 3
#: with a title that does not name 法治, the body must be clearly about it
_TITLED_DENSITY = 15.0
#: a title that names a report of some kind
_REPORT_WORDS = re.compile(r"报告|汇报|总结|情况")
_HEAD_CHARS = 200


@dataclass(frozen=True)
class Genre:
    is_report: bool
    why: str


#: (first, last) code point of each range of ``CJK`` ("\u3400-\u4dbf\u4e00-\u9fff")
_HAN_RANGES = [(ord(CJK[at]), ord(CJK[at + 2])) for at in range(0, len(CJK), 3)]
_LETTER_RANGES = [(ord("A"), ord("Z")), (ord("a"), ord("z"))]


def _count_in(codes: np.ndarray, ranges: list[tuple[int, int]]) -> int:
    return sum(int(np.count_nonzero((codes >= first) & (codes <= last))) for first, last in ranges)


def judge(ctx: CheckContext) -> Genre:
    """Whether the text reads as a 法治政府建设 report, and the reason shown when it does not."""
    text = ctx.text
    codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)  # counted in numpy: a regex
    han = _count_in(codes, _HAN_RANGES)  # findall made a string per character
    letters = _count_in(codes, _LETTER_RANGES)
    if han < _MIN_HAN_SHARE * (han + letters):
        return Genre(False, "正文主要不是中文")
    if han < _MIN_HAN:
        return Genre(False, f"正文只有{han}个汉字，不足以构成一份年度报告")
    title = ctx.report.meta.title or text[:_HEAD_CHARS]
    density = 1000 * len(_DOMAIN_WORDS.findall(text)) / han
    parts = sum(1 for part in REQUIRED_PARTS if ctx.report.part_present(part))
    if parts <= 1 and not _REPORT_WORDS.search(title):
        return Genre(False, "既没有报告标题，也找不到年度报告的法定部分（可能是新闻、通知或其他文章）")
    if _TITLE_WORDS.search(title) or _TITLE_WORDS.search(text[:_HEAD_CHARS]):
        return Genre(density >= _MIN_DENSITY / 3, "标题涉及法治建设，但正文几乎没有法治政府建设的内容")
    if ctx.report.meta.title is None and (density >= _MIN_DENSITY or (parts >= _MIN_PARTS and density >= _MIN_DENSITY / 2)):
        return Genre(True, "")
    # a titled report about something else (安全生产工作总结) still says 执法 and 依法 now and then
    if density >= _TITLED_DENSITY or ctx.report.part_present("first_responsible"):
        return Genre(True, "")
    return Genre(False, "标题和正文都不是关于法治政府建设的（法治、依法行政、普法等用语很少）")


def check(ctx: CheckContext) -> list[Finding]:
    return findings(ctx, judge(ctx))


def findings(ctx: CheckContext, genre: Genre) -> list[Finding]:
    """The family's finding for a verdict already reached (``run_checks`` judges once)."""
    if genre.is_report:
        return []
    meta = ctx.report.meta
    title_para = next((p for p in ctx.report.paragraphs if p.text == meta.title), None) if meta.title else None
    evidence = ctx.span_evidence(title_para.span) if title_para else None
    explanation = f"该文件看起来不是法治政府建设年度报告：{genre.why}。未按法定五部分检查，请确认是否选错了文件。"
    return [make_finding("not-a-report", explanation, evidence)]
