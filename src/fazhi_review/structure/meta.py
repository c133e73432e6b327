"""Report metadata: title, issuer and its level, report year, plan year, 落款 date, addressee."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter

from fazhi_review.models import Heading, Paragraph, ReportMeta, Span
from fazhi_review.text import CJK, CN_YEAR_DIGITS, small_number, year_number

_YEAR = re.compile(r"(20\d{2})\s*年")
_TITLE_WORDS = re.compile(r"报告|汇报|总结")
_ISSUER = re.compile(rf"([{CJK}]{{2,8}}?)(镇|乡|街道)(?!长|党|村|域|内|级|政府建设)")
_ISSUER_CUT = re.compile(r"[县市区州旗盟]|中共|关于|委员会|人民政府")
_ARABIC_DATE = re.compile(r"^(20\d{2})年(\d{1,2})月(\d{1,2})日$")
_CN_DATE = re.compile(rf"^([{''.join(CN_YEAR_DIGITS)}]{{4}})年([一二三四五六七八九十]{{1,2}})月([一二三四五六七八九十廿]{{1,3}})日$")
_ADDRESSEE = re.compile(rf"^[{CJK}、，]{{2,30}}：$")
_HEADER_LINES = 6


def _title(paragraphs: list[Paragraph]) -> Paragraph | None:
    for para in paragraphs[:_HEADER_LINES]:
        if _TITLE_WORDS.search(para.text) and len(para.text) <= 80 and not re.search(r"[。；]", para.text):
            return para
    return None


def _issuer(texts: list[str], body: str) -> tuple[str | None, str | None]:
    """The township named in the header; the most frequent candidate in the body breaks ties."""
    candidates: Counter[tuple[str, str]] = Counter()
    for text in texts:
        for match in _ISSUER.finditer(text):
            name = _ISSUER_CUT.split(match.group(1))[-1]
            if 2 <= len(name) <= 4:
                candidates[(name, match.group(2))] += 1 + body.count(name + match.group(2))
    if not candidates:
        return None, None
    (name, level), _ = candidates.most_common(1)[0]
    return name + level, level


def _signed(paragraphs: list[Paragraph]) -> tuple[dt.date | None, Span | None]:
    for para in reversed(paragraphs[-4:]):
        date = _parse_date(para.text.strip())
        if date:
            return date, para.span
    return None, None


def _parse_date(text: str) -> dt.date | None:
    match = _ARABIC_DATE.match(text)
    try:
        if match:
            return dt.date(*(int(g) for g in match.groups()))
        match = _CN_DATE.match(text)
        if match:
            year = year_number(match.group(1))
            if year is None:
                return None
            return dt.date(year, small_number(match.group(2)), small_number(match.group(3)))
    except ValueError:
        return None
    return None


def _plan_year(plan_headings: list[Heading]) -> int | None:
    for heading in plan_headings:
        match = _YEAR.search(heading.title)
        if match:
            return int(match.group(1))
    return None


def _report_year(title: str | None, paragraphs: list[Paragraph]) -> int | None:
    for text in [title or "", *(p.text for p in paragraphs[:_HEADER_LINES + 2])]:
        match = _YEAR.search(text)
        if match:
            return int(match.group(1))
    return None


def extract_meta(text: str, paragraphs: list[Paragraph], plan_headings: list[Heading]) -> ReportMeta:
    title = _title(paragraphs)
    header = [p.text for p in paragraphs[:_HEADER_LINES] if len(p.text) <= 80]
    issuer, level = _issuer([title.text] if title else header, text)
    if issuer is None:
        issuer, level = _issuer(header, text)
    signed_date, signed_span = _signed(paragraphs)
    addressee = next((p.text.rstrip("：") for p in paragraphs[:_HEADER_LINES] if _ADDRESSEE.match(p.text)), None)
    return ReportMeta(
        title=title.text if title else None,
        issuer=issuer,
        level=level,
        report_year=_report_year(title.text if title else None, paragraphs),
        plan_year=_plan_year(plan_headings),
        signed_date=signed_date,
        signed_span=signed_span,
        addressee=addressee,
    )
