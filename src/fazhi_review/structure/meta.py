"""Report metadata: title, issuer and its level, report year, plan year, 落款 date, addressee."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter

from fazhi_review.chrome import portal_date
from fazhi_review.models import Evidence, Heading, Paragraph, ReportMeta, Span
from fazhi_review.text import CJK, DATE, DATE_UNNAMED, YEAR, date_from_match, find_year, parse_date, year_number

_TITLE_WORDS = re.compile(r"报告|汇报|总结")
_ISSUER = re.compile(rf"([{CJK}]{{2,8}}?)(镇|乡|街道)(?!长|党(?!工委)|村|镇|域|内|级|政府建设)")  # 乡镇, 乡村: words
_ISSUER_CUT = re.compile(r"[县市区州旗盟]|中共|关于|报送|委员会|人民政府|年度?|政务|公开|专栏|首页|动态")  # "2024年度石桥镇", a breadcrumb's "乡镇政务白岩乡"
#: a 民族乡 keeps its people's name: "坪溪土家族" + 乡
_ETHNIC_NAME = re.compile(rf"[{CJK}]{{2,4}}(?:[{CJK}]{{1,3}}(?<!民)族){{1,2}}")
#: a plan opening with its year, maybe after a run-in sub-heading: "（三）下步工作打算。2026年，"
_PLAN_YEAR_LEAD = re.compile(
    # "（三）下步工作打算。2026年，…", "针对上述问题，2025年我乡将…"
    rf"(?:[^。；：:\n]{{0,24}}[。：:\n]|针对[^。；，\n]{{0,14}}[，,])?\s*{YEAR.pattern}\s*(?:[，,]|度?[，,]?(?:我|全)?(?:镇|乡|街道))"
)
_ISSUER_LINE = re.compile(rf"[{CJK}\s]{{2,40}}(?:人民政府|委员会|办事处)")
_SEAL = re.compile(r"[（(]\s*(?:盖章|印章|章)\s*[）)]")
#: an issuer (no sentence in it) and the date on one line
_ISSUER_THEN_DATE = re.compile(rf"\s*[{CJK}（）()\s]{{2,40}}?(?:人民政府|办事处|委员会|[镇乡]|街道|局)(?:（盖章）|\(盖章\))?\s*(?P<date>{DATE.pattern})\s*")
#: the date written before the issuer on one line ("2025年1月10日　城关镇人民政府"), as some
#: offices set the 落款 or as a one-line paste leaves it
_DATE_THEN_ISSUER = re.compile(
    rf"\s*(?P<date>{DATE.pattern})\s*[{CJK}（）()\s]{{2,40}}?(?:人民政府|办事处|委员会|党委|党工委|[镇乡]|街道|局)(?:（盖章）|\(盖章\))?\s*"
)
#: a body opening with its year ("2025年，清江乡在…"): the year the report is about, where the title names none
#: (after the 主送 line where a paste without breaks runs it in: "县人民政府：2025年，…")
_OPENING_YEAR = re.compile(rf"(?:[{CJK}、，]{{2,30}}：)?\s*{YEAR.pattern}(?:度)?\s*[，,]")
#: a development zone reports like a township but is none (level None): "长河经济技术开发区管理委员会",
#: "青山县绿色食品产业园管委会"
_ZONE = re.compile(rf"(?:[{CJK}]{{2,5}}?[省市县](?=[{CJK}]{{4}}))?(?P<zone>[{CJK}]{{2,12}}?(?:开发区|高新区|园区|新区|产业园|工业园|科技园|物流园|示范区|试验区))(?:管理委员会|管委会|党工委)")
#: a county department ("青山县司法局") reports on the same model: named, no township level
_AGENCY = re.compile(rf"(?P<zone>[{CJK}]{{2,6}}?[县市区旗](?!委|人民政府)[{CJK}]{{1,10}}?局)")
_ADDRESSEE = re.compile(rf"^[{CJK}、，]{{2,30}}：$")
_HEADER_LINES = 6


def _title(paragraphs: list[Paragraph]) -> Paragraph | None:
    for para in paragraphs[:_HEADER_LINES]:
        if _TITLE_WORDS.search(para.text) and len(para.text) <= 80 and not re.search(r"[。；>＞»›]", para.text):
            return para
    return None


def _title_text(paragraphs: list[Paragraph], title: Paragraph | None) -> str | None:
    """The title as printed on two lines: the issuer's line above "关于…的报告" belongs to it
    ("杨柳乡人民政府" / "关于2025年度法治政府建设情况的报告")."""
    if title is None:
        return None
    index = paragraphs.index(title)
    above = paragraphs[index - 1].text.strip() if index > 0 else ""
    if title.text.startswith("关于") and _ISSUER_LINE.fullmatch(above):
        return above + title.text
    # a title broken over lines as it was centred ("花山镇关于2024年度" / "法治政府建设情况报告"):
    # the short unpunctuated lines just above that begin it
    head: list[str] = []
    for line in (p.text.strip() for p in reversed(paragraphs[max(0, index - _TITLE_LINES_ABOVE) : index])):
        if len(line) > _TITLE_PIECE or _TITLE_BREAKS.search(line) or not _TITLE_PIECE_WORDS.search(line):
            break
        head.insert(0, line)
    # only a title line that is no whole title (neither its unit nor its year: "建设情况报告")
    if head and len(title.text) <= _TITLE_PIECE and not _WHOLE_TITLE.search(title.text):
        return "".join(head) + title.text
    return title.text


#: a title line that names its unit or its year stands alone ("新塘镇2024年度…报告" under the site's name)
_WHOLE_TITLE = re.compile(r"[镇乡]|街道|(?:\d{4}|二[〇○零一二三四五六七八九]{3})年")
#: how many lines above its last one a title may begin, and how long such a piece is at most
_TITLE_LINES_ABOVE = 2
_TITLE_PIECE = 24
_TITLE_BREAKS = re.compile(r"[，。：:；、！？]|\d{4}[-./]\d")
#: words a title's first lines hold ("花山镇关于2024年度", "土家族乡", "法治政府建设")
_TITLE_PIECE_WORDS = re.compile(r"关于|年度?|[镇乡]$|街道|法治|政府|中共|委员会")


def _cut_prefix(words: str) -> str:
    """The township's own name after its county/city prefix ("龙山县坪溪" → "坪溪").

    The shortest tail of two characters or more after a cut: a prefix character may also sit
    inside the name itself (红旗镇, 新市镇, 城区街道), where cutting there would leave nothing.
    """
    tails = [words[match.end() :] for match in _ISSUER_CUT.finditer(words)]
    return min((tail for tail in tails if len(tail) >= 2), key=len, default=words)


def _issuer(texts: list[str], body: str) -> tuple[str | None, str | None]:
    """The township named in the header; the most frequent candidate in the body breaks ties."""
    candidates: Counter[tuple[str, str]] = Counter()
    for text in texts:
        for match in _ISSUER.finditer(text):
            name = _cut_prefix(match.group(1))
            if (2 <= len(name) <= 4 or _ETHNIC_NAME.fullmatch(name)) and not re.search(r"我|现将|报告|[个各]|乡$", name):  # "全县12个乡镇", "各乡镇": no name
                candidates[(name, match.group(2))] += 1 + body.count(name + match.group(2))
    if not candidates:
        return None, None
    (name, level), _ = candidates.most_common(1)[0]
    return name + level, level


#: a top-level heading ("三、存在的不足"): only the report's body has them, never its attachments' tables
_TOP_HEADING = re.compile(r"\s*[一二三四五六七八九十]{1,2}、")
#: the issuer's line above a date-only line: the pair is a 落款 wherever it stands
_ISSUER_ABOVE_DATE = re.compile(rf"[{CJK}（）()\s]{{2,40}}(?:人民政府|办事处|委员会|党委|党工委|[镇乡]|街道|局)(?:（盖章）|\(盖章\))?\s*")


def _signed(paragraphs: list[Paragraph]) -> tuple[dt.date | None, Span | None]:
    """The 落款 date at the end or, where attachments follow it (a statistics table, whose "附件"
    line a portal paste loses), an issuer line over a date line in the report's second half."""
    found = _signed_in(paragraphs[-4:])
    if found[0] is not None:
        return found
    for index in range(len(paragraphs) - 1, max(len(paragraphs) // 2, 1) - 1, -1):
        if _TOP_HEADING.match(paragraphs[index].text):
            break  # a report goes on below: what stands above is no 落款 of this one
        if _ISSUER_ABOVE_DATE.fullmatch(paragraphs[index - 1].text):
            date = parse_date(_SEAL.sub("", paragraphs[index].text).strip().strip("（）()"))
            if date:
                return date, paragraphs[index].span
    return None, None


def _signed_in(paragraphs: list[Paragraph]) -> tuple[dt.date | None, Span | None]:
    """A line that is only a date, or a short issuer line ending or starting with one
    ("东港镇人民政府　2025年2月27日", "2025年1月10日　城关镇人民政府": the whole 落款 on one line)."""
    for para in reversed(paragraphs):
        date = parse_date(_SEAL.sub("", para.text).strip().strip("（）()"))
        if date:
            return date, para.span
        tail = _ISSUER_THEN_DATE.fullmatch(para.text) or _DATE_THEN_ISSUER.fullmatch(para.text)
        if tail and (date := date_from_match(tail)):
            offset = para.span.start + tail.start("date")
            return date, Span(start=offset, end=offset + len(tail["date"]))
    return None, None


def _portal_signed(original: str) -> tuple[dt.date | None, str | None, Evidence | None]:
    """A page copied from a portal without its 落款: the catalogue block's 成文日期/发布日期."""
    found = portal_date(original)
    if found is None:
        return None, None, None
    return found.date, found.label, Evidence(quote=original[found.start : found.end], start=found.start, end=found.end)


_BARE_YEAR = re.compile(r"(?<!\d)(20\d{2})(?!\d)")


def _plan_year(plan_headings: list[Heading], plan_openings: list[str]) -> int | None:
    """The year the plan names for itself: in its heading, else at the head of its first sentence
    ("（三）下步工作打算。2026年，街道将…" inside a merged 问题、原因及下一步打算 part, or on the line
    after such a sub-heading, or "针对上述问题，2025年我乡将…"). A year
    elsewhere in that sentence (a 纲要's "2021—2025年") is not the plan's; nothing is inferred
    from "下一年度" alone."""
    for heading in plan_headings:
        span = _YEAR_SPAN.search(heading.title)  # "四、2025—2026年工作计划": the plan starts with its first year
        year = int(span.group(1)) if span else find_year(heading.title)
        bare = _BARE_YEAR.search(heading.title)  # "五、展望2025"
        if year is not None or bare is not None:
            return year if year is not None else int(bare.group(1))  # type: ignore[union-attr]
    for index, opening in enumerate(plan_openings):
        if index and not _is_sub_heading(plan_openings[index - 1]):
            break  # the paragraph after the plan's first one only when that one is its sub-heading
        titled = find_year(opening) if _is_sub_heading(opening) and _PLAN_SUB_HEADING.search(opening) else None
        if titled is not None:  # "（三）2025年工作打算" heading the plan inside a merged part
            return titled
        lead = _PLAN_YEAR_LEAD.match(opening)
        if lead is not None and _WILL.search(opening, lead.end(), _sentence_end(opening, lead.end())):
            return year_number(lead["year"])
        later = _LATER_PLAN_SENTENCE.search(opening)  # "2024年，我镇…取得了一定成效，…仍有差距。2025年，我镇将…"
        if later is not None:
            return year_number(later["year"])
    return None


#: a plan opens on what will be done: a year looking back ("2024年，我镇法治政府建设虽然取得了一定
#: 成效…") opens a recap, not the plan
_WILL = re.compile(r"将|拟|计划|力争|着力|重点抓|继续|以下|(?:镇|乡|街道|我们)要")
_LATER_PLAN_SENTENCE = re.compile(rf"(?<=[。；])\s*{YEAR.pattern}度?[，,](?:[我全本]?(?:镇|乡|街道))?[^。；]{{0,12}}将")
#: a span of years: "2025—2026年"
_YEAR_SPAN = re.compile(r"(20\d{2})\s*[—–\-－~～至到]\s*20\d{2}\s*年")


_SENTENCE_STOP = re.compile(r"[。；]")


def _sentence_end(text: str, start: int) -> int:
    found = _SENTENCE_STOP.search(text, start)
    return found.start() if found else len(text)


#: what a plan's own sub-heading calls it
_PLAN_SUB_HEADING = re.compile(r"计划|打算|安排|思路|要点|设想|展望")


#: "（三）下一步打算" on a line of its own, the plan's first sentence on the next
_MAX_SUB_HEADING = 24


def _is_sub_heading(paragraph: str) -> bool:
    return len(paragraph) <= _MAX_SUB_HEADING and not re.search(r"[。；，]", paragraph)


#: a line that is a date and nothing else, maybe in brackets: a signing date, not the report's year
_DATE_LINE = re.compile(rf"[（(]?\s*(?:{DATE_UNNAMED})\s*[）)]?")


def _report_year(title: str | None, paragraphs: list[Paragraph]) -> int | None:
    """The title's year first (a later date in the header is the 落款 or a meeting, not the year)."""
    # a paste without breaks may run the title into the body: the opening words up to 报告 hold it
    named = _TITLE_WORDS.search(paragraphs[0].text, 0, 80) if paragraphs and title is None else None
    opening = [paragraphs[0].text[: named.end()]] if named else []
    years = sorted({year for m in YEAR.finditer(title or "") if (year := year_number(m["year"])) is not None})
    if len(years) > 1:  # "关于2025年工作安排和2024年度工作情况的报告": the year reported on is the earlier
        return years[0]
    for text in [title or "", *opening]:
        year = find_year(text)
        if year is not None:
            return year
    for para in paragraphs[:_HEADER_LINES + 2]:  # "关于法治政府建设情况的报告": the body's opening year ("2024年，…")
        lead = _OPENING_YEAR.match(para.text)
        if lead is not None:
            return year_number(lead["year"])
    # else a year in a line of the header that names the report ("（2024年度）"); not a date line
    # under the title ("（2025年2月20日）" is when it was signed), nor a sentence of the body
    # ("对照2023年度督察反馈的3个问题…") or a portal's "来源：… 2025年02月12日"
    header = [p.text for p in paragraphs[: _HEADER_LINES + 2] if len(p.text) <= 80 and not _DATE_LINE.fullmatch(p.text.strip())]
    for text in header:
        year = find_year(text) if _NAMES_THE_REPORT.search(text) and not re.search(r"[。；：:]", text) else None
        if year is not None:
            return year
    return None


#: a header line that speaks of the report itself
_NAMES_THE_REPORT = re.compile(r"报告|年度|总结|汇报|工作情况")


def extract_meta(
    text: str, paragraphs: list[Paragraph], plan_headings: list[Heading], original: str = "", plan_openings: list[str] | None = None
) -> ReportMeta:
    title = _title(paragraphs)
    header = [p.text for p in paragraphs[:_HEADER_LINES] if len(p.text) <= 80]
    header_lines = [line for line in header if "。" not in line]
    issuer, level = _issuer([title.text] if title else header_lines, text)
    if issuer is None:
        issuer, level = _issuer(header_lines, text)
    if issuer is None:  # a title without the issuer ("关于2024年度工作情况的报告"): the 落款
        # the date off first: "2025年1月10日城关镇人民政府" would otherwise name "日城关镇"
        issuer, level = _issuer([DATE.sub("", p.text) for p in paragraphs[-4:] if len(p.text) <= 40], text)
    if issuer is None:  # a 开发区 管委会 or a county department: named, but no township level
        zone = next((m for t in [*header_lines, *(p.text for p in paragraphs[-4:] if len(p.text) <= 40)] if (m := _ZONE.search(t))), None)
        zone = zone or (_AGENCY.match(title.text) if title else None)
        issuer = zone["zone"] if zone else None
    if issuer is None:  # no 落款 either: the opening sentences ("2024年，柳林街道党工委…"), which
        # in a paste without breaks may already be the work itself ("覆盖全镇14个村")
        issuer, level = _issuer(header, text)
    signed_date, signed_span = _signed(paragraphs)
    signed_source: str | None = "落款" if signed_date else None
    signed_evidence: Evidence | None = None
    if signed_date is None:
        signed_date, signed_source, signed_evidence = _portal_signed(original)
    addressee = next((p.text.rstrip("：") for p in paragraphs[:_HEADER_LINES] if _ADDRESSEE.match(p.text)), None)
    report_year = _report_year(title.text if title else None, paragraphs)
    return ReportMeta(
        title=_title_text(paragraphs, title),
        issuer=issuer,
        level=level,
        report_year=report_year,
        plan_year=_plan_year(plan_headings, plan_openings or []),
        signed_date=signed_date,
        signed_span=signed_span,
        signed_source=signed_source,
        signed_evidence=signed_evidence,
        addressee=addressee,
    )
