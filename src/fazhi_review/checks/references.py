"""outdated-reference: a report leaning on documents, laws or wording that no longer apply.

The table of superseded texts is data, not code (``fazhi_review/data/outdated_references.toml``,
extended from fazhi.toml's ``[[references.outdated]]``), because new editions arrive: each entry
says from which report year citing it as current is outdated. Facts (DOMAIN.md): the 2015—2020
纲要 was superseded by the 2021—2025 纲要; 七五普法 ran 2016—2020; the 民法典 (in force
2021-01-01) repealed 民法通则、合同法 and others; the old 纲要 goal read "廉洁高效、守法诚信";
"法制政府" for "法治政府" is a writing error in any year.

A sentence that itself says the old text was repealed or is being summed up (废止、收官、验收)
is history, not reliance, and is left alone, as is a mention followed at once by words placing it in
the past (…时期, …的基础上, …以来) or just after "完成" (全面完成《…》确定的任务); wording errors are
errors in any sentence.
"""

from __future__ import annotations

import re
import tomllib
from functools import cache
from importlib import resources

from fazhi_review.checks.catalogue import make_finding
from fazhi_review.checks.context import CheckContext
from fazhi_review.config import OutdatedReference
from fazhi_review.models import Finding
from fazhi_review.text import enclosing_sentence

_DATA_FILE = "outdated_references.toml"
#: words that make a mention historical rather than current, wherever they stand in its sentence
#: (旧 only as the old text's own word — 旧《, 旧法, 旧纲要 — never "老旧小区")
_HISTORY = re.compile(r"废止|失效|取代|替代|收官|验收|原《|原“|(?<!新)旧(?=[《“]|版|法|纲要|规划|提法)|相较于|相比于")
#: words that usually look back but also sit beside a text still applied ("回顾性审查", "过渡期间，
#: 调解员依据《婚姻法》…", "对比原有案件，依照《侵权责任法》…"): they count only when nothing applies
#: the mention (``_APPLIED``)
_WEAK_HISTORY = re.compile(r"总结|期间|回顾|对比|衔接|过渡")
#: a transition to the successor named in the sentence ("“七五”普法规划和“八五”普法规划的衔接") is history
_SUCCESSOR = re.compile(r"八五|2021\s*[—–\-－―~～至到]{1,2}\s*2025|民法典|新纲要")
#: words right after the mention that place it in the past ("“七五”普法时期的老做法", "《…》如期完成后",
#: "被表彰为全国“七五”普法中表现突出的单位")
_HISTORY_AFTER = re.compile(
    r"[^，。；\n]{0,16}?(?:时期|时代|末年|末期|期末|收官|当年|(?:全面|如期|圆满|胜利)完成|完成(?:后|以后|之后)"
    r"|表现突出|先进(?:单位|集体|个人))"
)
#: after the mention, the looking-back kind that a text still applied may also have ("…成果转化",
#: "在“七五”普法取得成效的基础上"): weak, as ``_WEAK_HISTORY``
_WEAK_AFTER = re.compile(r"[^，。；\n]{0,16}?(?:以来|成果|成效|基础上)")
#: the mention applied now: a verb of applying just before it ("依据《合同法》", "继续深化“七五”普法",
#: "依据《民法通则》和《担保法》"), going on with it anywhere in the sentence ("继续对照其各项任务推进
#: 落实"), or old wording set as the goal ("…廉洁高效、守法诚信的法治政府")
_APPLIED_BEFORE = re.compile(r"(?:依据|依照|按照|根据|遵照|对照|贯彻|执行|实施|落实|深化|运用|适用)[^，。；\n]{0,10}$")
_GOES_ON = re.compile(r"继续(?:对照|贯彻|落实|执行|实施|深化|推进|按照|依照|依据)")
_AS_GOAL = re.compile(r"[^，。；\n]{0,4}的法治政府")
#: words right before the mention saying it was carried out to the end ("在全面完成《…纲要（2015—2020年）》
#: 确定的各项目标任务的基础上")
_HISTORY_BEFORE = re.compile(r"完成[^，。；\n]{0,12}$")
#: "从“法制政府”到“法治政府”一字之变": the old word quoted beside the new, a contrast, no slip
_CONTRAST = re.compile(
    r"“法制[^”]{0,4}”[^。；\n]{0,6}(?:到|向|变为|转变为)[^。；\n]{0,4}“法治"
    r"|“法制政府”的?(?:错误|不规范|过时|旧)?(?:提法|说法|表述|写法)"  # "纠正“法制政府”的错误提法"
)


#: the laws the 民法典 repealed: a sentence naming the 民法典 beside one speaks of the change
_REPEALED_BY_CIVIL_CODE = "repealed-by-civil-code"

#: the report's own framing ("现将2022年工作情况总结报告如下"): its 总结 says nothing of a mention
_FRAMING = re.compile(r"现将.{0,40}?(?:报告|汇报)如下")


def _history_context(text: str, start: int, end: int) -> str:
    """The sentence holding a mention, less the report's framing of itself: a history word there
    ("…“七五”普法规划确定的任务，已于2020年底前全部完成验收") places the mention in the past, but
    "…全面贯彻落实《…纲要（2015—2020年）》，…现将工作情况总结报告如下" does not."""
    return _FRAMING.sub("", enclosing_sentence(text, start, end))


@cache
def shipped_references() -> tuple[OutdatedReference, ...]:
    """The table shipped inside the package."""
    data = tomllib.loads(resources.files("fazhi_review").joinpath("data", _DATA_FILE).read_text(encoding="utf-8"))
    return tuple(OutdatedReference(**entry) for entry in data["outdated"])


@cache
def _compiled(pattern: str) -> re.Pattern[str] | None:
    try:
        return re.compile(pattern)
    except re.error:
        return None  # a user's broken pattern must not stop the other checks


def _applies(entry: OutdatedReference, year: int | None) -> bool:
    if entry.outdated_from == 0:
        return True
    return year is not None and year >= entry.outdated_from


def _applied_before(text: str, start: int) -> bool:
    """A verb of applying before the mention's own title ("依据《合同法》", not the 实施 of
    "《法治政府建设实施纲要（2015—2020年）》")."""
    window = text[max(0, start - 20) : start]
    if "《" in window:
        window = window[: window.rfind("《")]
    return bool(_APPLIED_BEFORE.search(window))


def _is_history(text: str, start: int, end: int) -> bool:
    """The mention speaks of the old text as past (or compares it), rather than relying on it."""
    context = _history_context(text, start, end)
    if _HISTORY.search(context) or _HISTORY_AFTER.match(text, end) or _HISTORY_BEFORE.search(text, max(0, start - 14), start):
        return True
    if re.search("衔接|过渡", context) and _SUCCESSOR.search(context):
        return True
    applied = _applied_before(text, start) or _GOES_ON.search(context) or _AS_GOAL.match(text, end)
    return not applied and bool(_WEAK_HISTORY.search(context) or _WEAK_AFTER.match(text, end))


def _entry_findings(ctx: CheckContext, entry: OutdatedReference, year: int | None) -> list[Finding]:
    pattern = _compiled(entry.pattern)
    if pattern is None:
        return []
    findings = []
    for match in pattern.finditer(ctx.text):
        if entry.outdated_from and _is_history(ctx.text, match.start(), match.end()):
            continue
        if _CONTRAST.match(ctx.text, max(0, match.start() - 1)):
            continue
        if entry.id == _REPEALED_BY_CIVIL_CODE and "民法典" in _history_context(ctx.text, match.start(), match.end()):
            continue  # "民法典对原婚姻法、继承法等规定的变化", "对照民法典梳理与原合同法相关的合同": the change itself
        evidence = ctx.evidence(match.start(), match.end())
        if evidence is None:
            continue
        explanation = entry.message.replace("{year}", str(year)).replace("{quote}", match.group(0)).rstrip("。") + "。"
        findings.append(make_finding("outdated-reference", explanation, evidence))
    return findings


def check(ctx: CheckContext) -> list[Finding]:
    """Era entries need the report year; without it only any-year entries (法制政府) are checked."""
    year = ctx.report.meta.report_year
    findings: list[Finding] = []
    for entry in (*shipped_references(), *ctx.profile.extra_references):
        if _applies(entry, year):
            findings += _entry_findings(ctx, entry, year)
    return findings
