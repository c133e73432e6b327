"""percent-over-100 and rate-arithmetic: numbers the report states that cannot all be true.

A rate or share above 100% is impossible; a count and a rate stated together must agree
(DOMAIN.md: 211件 with 99.53% success ⇒ 210 succeeded). The arithmetic check is deliberately
narrow — only a rate written with decimals (a precise claim), no 余/约/以上 qualifiers, the count
directly before it in the same clause — and it is low severity: it asks for a check, it does not
assert an error.
"""

from __future__ import annotations

import math
import re

from fazhi_review.checks.catalogue import make_finding
from fazhi_review.checks.context import CheckContext
from fazhi_review.models import Finding, NumericFact
from fazhi_review.text import SENTENCE_OR_SEMICOLON_BREAK

_COUNT_UNITS = frozenset("件起个人次场名户宗家")
_SHARE_WORDS = re.compile(r"率|占|比例|比重|覆盖|全部")
_UNBOUNDED_WORDS = re.compile(r"增|涨|升|提高|完成|超|同比|环比|翻")
#: a count farther than this from its rate is probably about something else
_MAX_GAP = 16
#: qualifier characters that make a number approximate (余、多、近、约、以上、左右、超过、逾、不少于);
#: 达/达到 only introduce the number and keep it exact
_APPROXIMATE = re.compile(r"[余多近约上下左右超逾少]")


def _bounded_share(ctx: CheckContext, fact: NumericFact) -> bool:
    """A rate or share (满意率、占比、覆盖率) is bounded by 100%; a growth or an over-fulfilment
    (同比增长150%、完成任务的120%) is not, so the words before the number decide."""
    lead = ctx.text[fact.clause.start : fact.span.start]
    # "知晓率提升至118%": 提升至/提高到 gives the rate's new level, still a rate
    return bool(_SHARE_WORDS.search(lead)) and not _UNBOUNDED_WORDS.search(_TO_A_LEVEL.sub("", lead))


#: a rise to a level ("提升至", "提高到", "上升为"), not a rise by an amount
_TO_A_LEVEL = re.compile(r"(?:提升|提高|上升|升|增加|增长|增)(?:至|到|为)$")


def percent_over_100(ctx: CheckContext) -> list[Finding]:
    findings = []
    for fact in ctx.facts:
        if fact.unit != "%" or fact.value <= 100 or not _bounded_share(ctx, fact):
            continue
        evidence = ctx.span_evidence(fact.clause) or ctx.span_evidence(fact.span)
        findings.append(make_finding("percent-over-100", f"{fact.value:g}%超过100%，比率或占比不可能大于100%，请核对。", evidence))
    return findings


def _approximate(fact: NumericFact) -> bool:
    return bool(fact.qualifier and _APPROXIMATE.search(fact.qualifier))


def _decimals(fact: NumericFact) -> int:
    match = re.search(r"\.(\d+)", fact.text)
    return len(match.group(1)) if match else 0


def _count_before(ctx: CheckContext, rate: NumericFact, previous: NumericFact | None) -> NumericFact | None:
    """The count this rate is a rate of: the fact just before it, in the same clause, near it."""
    if previous is None or _approximate(previous) or previous.unit not in _COUNT_UNITS:
        return None
    if not isinstance(previous.value, int) and not float(previous.value).is_integer():
        return None
    between = ctx.text[previous.span.end : rate.span.start]
    if len(between) > _MAX_GAP or SENTENCE_OR_SEMICOLON_BREAK.search(between) or "率" not in between:
        return None
    return previous


def _consistent(count: int, percent: float, decimals: int) -> bool:
    """True when some whole number of cases, over count, rounds or truncates to the stated percent
    (95/96 = 98.958% is written 98.9% as often as 99.0%)."""
    half, step = 0.5 * 10**-decimals, 10**-decimals
    low = count * (percent - half) / 100
    high = count * (percent + step) / 100 - 1e-6
    return math.floor(high + 1e-9) >= math.ceil(low - 1e-9)


def _consistent_as_part(count: int, percent: float, decimals: int) -> bool:
    """True when ``count`` may be the successes ("成功调解209件，调解成功率97.7%"): some whole
    total makes count/total round to the stated percent, so the count is not a contradiction."""
    half, step = 0.5 * 10**-decimals, 10**-decimals
    low = count * 100 / (percent + step) + 1e-6
    high = count * 100 / (percent - half)
    return math.floor(high + 1e-9) >= math.ceil(low - 1e-9)


def rate_arithmetic(ctx: CheckContext) -> list[Finding]:
    findings = []
    facts = sorted(ctx.facts, key=lambda f: f.span.start)
    for index, rate in enumerate(facts):
        decimals = _decimals(rate)
        if rate.unit != "%" or _approximate(rate) or decimals == 0 or not 0 < rate.value < 100:
            continue
        if _LAST_YEARS.search(ctx.text, max(0, rate.span.start - 6), rate.span.start):
            continue  # "由上年的61.4%提升至70.4%": last year's rate, not this year's count's
        pair = _total_and_part(ctx, facts, index)
        if pair is not None:
            total, part = pair
            if not _rate_of(ctx, rate, part):
                continue  # "受理投诉6104件，办结315件，群众满意率98.7%": a rate of something else
            if not _consistent_pair(int(total.value), int(part.value), float(rate.value), decimals):
                actual = int(part.value) * 100 / int(total.value)
                explanation = f"{part.text}÷{total.text}＝{actual:.{decimals}f}%，与所写的{rate.text}不符，请核对其中一个数字。"
                findings.append(make_finding("rate-arithmetic", explanation, ctx.evidence(total.span.start, rate.span.end)))
            continue
        count = _count_before(ctx, rate, facts[index - 1] if index else None)
        if count is None or count.value < _MIN_COUNT or _consistent(int(count.value), float(rate.value), decimals):
            continue
        if _consistent_as_part(int(count.value), float(rate.value), decimals):
            continue
        implied = int(count.value) * float(rate.value) / 100
        evidence = ctx.evidence(count.span.start, rate.span.end)
        explanation = (
            f"{count.text}按{rate.text}计算为{implied:.2f}，不是整数，件数与比率对不上，请核对其中一个数字。"
        )
        findings.append(make_finding("rate-arithmetic", explanation, evidence))
    return findings


#: a rate over fewer cases than this is no rate of them ("二次办理…满意率98.9%")
_MIN_COUNT = 10
_LAST_YEARS = re.compile(r"上年|去年|同期|上一年")


def _total_and_part(ctx: CheckContext, facts: list[NumericFact], index: int) -> tuple[NumericFact, NumericFact] | None:
    """"排查纠纷120件，成功调解118件，成功率99.5%": the total and the part a rate is stated of —
    two counts of one unit just before it in its sentence, the second smaller."""
    if index < 2:
        return None
    total, part = facts[index - 2], facts[index - 1]
    if _count_before(ctx, facts[index], part) is None or total.unit != part.unit or _approximate(total):
        return None
    if not (isinstance(total.value, int) or float(total.value).is_integer()) or not 0 < part.value < total.value:
        return None
    if SENTENCE_OR_SEMICOLON_BREAK.search(ctx.text[total.span.end : part.span.start]) or part.span.start - total.span.end > 2 * _MAX_GAP:
        return None
    return total, part


def _rate_of(ctx: CheckContext, rate: NumericFact, part: NumericFact) -> bool:
    """The rate names what the part counts: "调解成功118件，调解成功率99.5%" (成功), not
    "受理投诉315件，群众满意率98.7%" (满意 is no count of the sentence)."""
    lead = ctx.text[part.span.end : rate.span.start]
    stem = lead[max(0, lead.find("率") - 2) : lead.find("率")] if "率" in lead else ""
    clause = ctx.text[max(part.clause.start, part.span.start - 12) : part.span.start]
    return len(stem) == 2 and stem in clause


def _consistent_pair(total: int, part: int, percent: float, decimals: int) -> bool:
    """part/total rounds or truncates to the stated percent."""
    actual = part * 100 / total
    step = 10**-decimals
    return abs(actual - percent) <= 0.5 * step + 1e-9 or 0 <= actual - percent < step


def check(ctx: CheckContext) -> list[Finding]:
    return percent_over_100(ctx) + rate_arithmetic(ctx)
