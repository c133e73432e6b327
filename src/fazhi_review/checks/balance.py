"""thin-shortcomings: the 不足 part is a token gesture next to pages of 成效.

厅字〔2019〕28号 asks for the 不足 and their causes, not a closing sentence (DOMAIN.md). Length is
a crude but honest proxy a reviewer uses too: when the 不足 are a small fraction of the 成效
(profile.thin_shortcomings_ratio), or one sentence against a long 成效 part, the township has
not really looked for problems. Only written characters count (no blanks or line breaks).
"""

from __future__ import annotations

import re

from fazhi_review.checks.catalogue import make_finding
from fazhi_review.checks.context import CheckContext
from fazhi_review.models import Finding, Span
from fazhi_review.text import SENTENCE_MARK

#: a 成效 part this long deserves more than a one-sentence 不足
_LONG_ACHIEVEMENTS = 800
#: a 不足 quote longer than this is not useful evidence of thinness; point at nothing instead
_MAX_QUOTE = 300


def _chars(text: str, spans: list[Span]) -> int:
    return sum(len(re.sub(r"\s", "", text[s.start : s.end])) for s in spans)


def _sentences(text: str, spans: list[Span]) -> int:
    count = 0
    for span in spans:
        body = text[span.start : span.end].strip()
        count += len(SENTENCE_MARK.findall(body)) + (0 if not body or SENTENCE_MARK.match(body[-1]) else 1)
    return count


def check(ctx: CheckContext) -> list[Finding]:
    short_spans = ctx.report.parts.get("shortcomings", [])
    achieve_spans = ctx.report.parts.get("achievements", [])
    short, achieve = _chars(ctx.text, short_spans), _chars(ctx.text, achieve_spans)
    if not short or not achieve:
        return []  # an absent part is missing-part's business
    ratio = short / achieve
    one_sentence = _sentences(ctx.text, short_spans) <= 1 and achieve >= _LONG_ACHIEVEMENTS
    if ratio >= ctx.profile.thin_shortcomings_ratio and not one_sentence:
        return []
    detail = "只有一句话" if one_sentence else f"仅{short}字"
    explanation = (
        f"“存在的不足”{detail}，约为“主要举措和成效”（{achieve}字）的{ratio:.0%}，"
        "查摆问题不够具体，原因与整改难以对应。"
    )
    evidence = None
    if len(short_spans) == 1 and len(short_spans[0]) <= _MAX_QUOTE:
        evidence = ctx.span_evidence(short_spans[0])
    return [make_finding("thin-shortcomings", explanation, evidence)]
