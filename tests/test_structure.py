"""Structure: meta and statutory parts against the gold, heading nesting, and the content rules.

A part is present when its substance is there, not when a heading names it (gold README), so the
synthetic reports below vary one thing at a time: a reasons sentence, a 第一责任人 paragraph.
"""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import gold_cases

from fazhi_review.models import REQUIRED_PARTS, Heading, Report
from fazhi_review.normalize import normalize_text
from fazhi_review.structure import parse_structure

GOLD = gold_cases()
GOLD_IDS = [gold["report"].removesuffix(".txt") for gold, _ in GOLD]


def parse(text: str) -> Report:
    return parse_structure(normalize_text(text))


@pytest.fixture(scope="module")
def parsed() -> dict[str, tuple[dict, str, Report]]:
    return {gold["report"]: (gold, original, parse(original)) for gold, original in GOLD}


def test_gold_cases_exist() -> None:
    assert len(GOLD) == 4


# ---------------------------------------------------------------- gold reports


@pytest.mark.parametrize("report", [gold["report"] for gold, _ in GOLD], ids=GOLD_IDS)
@pytest.mark.parametrize("field", ["issuer", "report_year", "plan_year", "signed_date"])
def test_meta_matches_gold(parsed: dict, report: str, field: str) -> None:
    gold, _, structure = parsed[report]
    expected = gold["meta"][field]
    got = getattr(structure.meta, field)
    if field == "signed_date" and got is not None:
        got = got.isoformat()
    assert got == expected


@pytest.mark.parametrize("report", [gold["report"] for gold, _ in GOLD], ids=GOLD_IDS)
@pytest.mark.parametrize("part", REQUIRED_PARTS)
def test_parts_match_gold(parsed: dict, report: str, part: str) -> None:
    gold, _, structure = parsed[report]
    assert structure.part_present(part) == gold["parts"][part], f"{report}: {part}"


@pytest.mark.parametrize("report", [gold["report"] for gold, _ in GOLD], ids=GOLD_IDS)
def test_heading_levels_nest(parsed: dict, report: str) -> None:
    """Reading down the report, a heading is at most one level deeper than the one before."""
    _, _, structure = parsed[report]
    headings = structure.headings
    assert headings, "no headings found"
    assert headings[0].level == 1
    for previous, heading in zip(headings, headings[1:]):
        assert 1 <= heading.level <= previous.level + 1, f"{previous.marker}{previous.title} → {heading.marker}{heading.title}"


@pytest.mark.parametrize("report", [gold["report"] for gold, _ in GOLD], ids=GOLD_IDS)
def test_headings_point_at_their_text(parsed: dict, report: str) -> None:
    _, original, structure = parsed[report]
    text = normalize_text(original).text
    for heading in structure.headings:
        assert text[heading.span.start : heading.span.end].startswith(heading.marker)
        assert heading.title in text[heading.span.start : heading.span.end]
        assert text[heading.line_start - 1] == "\n" if heading.line_start else True
    starts = [h.span.start for h in structure.headings]
    assert starts == sorted(starts)


def test_maojun_has_two_level_one_headings_numbered_two(parsed: dict) -> None:
    """maojun-2024 numbers both its 第一责任人 part and its 不足 part “二、” (a fact of the text)."""
    _, _, structure = parsed["maojun-2024.txt"]
    twos = [h for h in structure.headings if h.level == 1 and h.number == 2]
    assert len(twos) == 2
    assert "第一责任人" in twos[0].title
    assert twos[1].title.startswith("存在的不足")
    assert [h.number for h in structure.headings if h.level == 1] == [1, 2, 2, 3]


@pytest.mark.parametrize("report", [gold["report"] for gold, _ in GOLD], ids=GOLD_IDS)
def test_sections_cover_level_one_headings_in_order(parsed: dict, report: str) -> None:
    _, _, structure = parsed[report]
    tops = [h for h in structure.headings if h.level == 1 and h.style != "yishi"]
    section_headings = [s.heading for s in structure.sections if s.heading is not None]
    assert section_headings == tops
    spans = [s.span for s in structure.sections]
    for previous, span in zip(spans, spans[1:]):
        assert previous.end <= span.start


@pytest.mark.parametrize("report", [gold["report"] for gold, _ in GOLD], ids=GOLD_IDS)
def test_paragraphs_are_the_clean_lines(parsed: dict, report: str) -> None:
    _, original, structure = parsed[report]
    text = normalize_text(original).text
    assert [p.text for p in structure.paragraphs] == [line for line in text.split("\n") if line]
    assert [p.index for p in structure.paragraphs] == list(range(1, len(structure.paragraphs) + 1))
    for paragraph in structure.paragraphs:
        assert text[paragraph.span.start : paragraph.span.end] == paragraph.text


def test_gold_shortcomings_lie_in_the_shortcomings_part(parsed: dict) -> None:
    for gold, original, structure in parsed.values():
        norm = normalize_text(original)
        for item in gold["shortcomings"]:
            at = original.index(item["quote"])
            inside = [s for s in structure.parts["shortcomings"] if norm.to_original(s.start, s.end)[0] <= at < norm.to_original(s.start, s.end)[1]]
            assert inside, f"{gold['report']}: {item['quote']} outside the shortcomings part"


# ---------------------------------------------------------------- synthetic reports

TITLE = "某某镇2024年法治政府建设情况报告\n\n"
ACHIEVEMENTS = (
    "一、主要举措和成效\n"
    "（一）推进依法决策。全年召开党委会研究重大行政决策12次，重大事项均经合法性审查，法律顾问列席会议提出意见。\n"
    "（二）加强普法宣传。开展普法宣传活动20场次，发放宣传资料3000余份，群众法治意识明显提升。\n"
)
FIRST_RESPONSIBLE_SENTENCE = "镇党委书记认真履行推进法治建设第一责任人职责，年内专题研究法治建设工作4次，带头讲法治课1次。"
FIRST_RESPONSIBLE = f"二、党政主要负责人履行推进法治建设第一责任人职责情况\n{FIRST_RESPONSIBLE_SENTENCE}\n"
SHORTCOMINGS = "存在的不足和原因\n一是行政执法队伍力量薄弱，持证执法人员偏少。二是普法宣传形式较为单一，针对性不强。"
REASONS = "究其原因，主要是对法治建设重视不够，执法培训投入不足。"
PLAN = "2025年主要工作安排\n（一）加强执法队伍建设，组织执法人员参加培训考试。\n（二）创新普法宣传形式，推进法治宣传进村入户。\n"
SIGNATURE = "\n某某镇人民政府\n二〇二四年三月十一日\n"


def report_text(*, first_responsible: str = "section", reasons: bool = False, signed: str = SIGNATURE) -> str:
    """A complete small report; ``first_responsible`` is "section", "paragraph" (inside 一、) or "none"."""
    achievements = ACHIEVEMENTS
    if first_responsible == "paragraph":
        achievements += FIRST_RESPONSIBLE_SENTENCE + "\n"
    numbers = iter("二三四五")
    parts = [TITLE, achievements]
    if first_responsible == "section":
        parts.append(FIRST_RESPONSIBLE.replace("二、", next(numbers) + "、"))
    parts.append(f"{next(numbers)}、{SHORTCOMINGS}{REASONS if reasons else ''}\n")
    parts.append(f"{next(numbers)}、{PLAN}")
    return "".join(parts) + signed


def test_complete_report_has_every_part_but_other() -> None:
    structure = parse(report_text(reasons=True))
    assert {p: structure.part_present(p) for p in REQUIRED_PARTS} == dict.fromkeys(REQUIRED_PARTS, True)
    assert not structure.part_present("other")


def test_heading_naming_reasons_without_reasons_text() -> None:
    structure = parse(report_text(reasons=False))
    assert structure.part_present("shortcomings")
    assert not structure.part_present("reasons")


def test_reasons_sentence_makes_reasons_present() -> None:
    text = report_text(reasons=True)
    structure = parse(text)
    assert structure.part_present("shortcomings")
    assert structure.part_present("reasons")
    clean = normalize_text(text).text
    assert any("究其原因" in clean[s.start : s.end] for s in structure.parts["reasons"])


def test_reasons_in_their_own_section() -> None:
    text = report_text().replace(
        "三、存在的不足和原因\n",
        "三、存在的不足\n",
    ).replace("四、2025年", "四、存在不足的原因\n" + REASONS + "\n五、2025年")
    structure = parse(text)
    assert structure.part_present("shortcomings")
    assert structure.part_present("reasons")
    assert structure.part_present("next_year_plan")


def test_first_responsible_paragraph_inside_achievements() -> None:
    text = report_text(first_responsible="paragraph")
    structure = parse(text)
    assert structure.part_present("first_responsible")
    clean = normalize_text(text).text
    assert any("第一责任人职责" in clean[s.start : s.end] for s in structure.parts["first_responsible"])
    assert structure.part_present("achievements")


def test_first_responsible_section() -> None:
    assert parse(report_text(first_responsible="section")).part_present("first_responsible")


def test_no_first_responsible_content() -> None:
    structure = parse(report_text(first_responsible="none"))
    assert not structure.part_present("first_responsible")
    assert structure.part_present("achievements")
    assert structure.part_present("shortcomings")
    assert structure.part_present("next_year_plan")


def test_heading_alone_does_not_make_first_responsible_present() -> None:
    """A 第一责任人 heading with nothing under it is not the part."""
    text = report_text(first_responsible="none").replace("二、存在", "二、党政主要负责人履行第一责任人职责情况\n三、存在").replace(
        "三、2025", "四、2025"
    )
    structure = parse(text)
    assert not structure.part_present("first_responsible")


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("二〇二四年三月十一日", dt.date(2024, 3, 11)),
        ("二〇二四年十二月三十一日", dt.date(2024, 12, 31)),
        ("二〇二五年一月二十日", dt.date(2025, 1, 20)),
        ("二零二四年三月十一日", dt.date(2024, 3, 11)),
        ("2024年3月11日", dt.date(2024, 3, 11)),
        ("2024年03月01日", dt.date(2024, 3, 1)),
        ("2024 年 3 月 11 日", dt.date(2024, 3, 11)),
        ("２０２４年３月１１日", dt.date(2024, 3, 11)),
    ],
)
def test_signed_date(line: str, expected: dt.date) -> None:
    structure = parse(report_text(signed=f"\n某某镇人民政府\n{line}\n"))
    assert structure.meta.signed_date == expected


def test_signed_date_with_white_circle_zero() -> None:
    """Many offices type 〇 as ○ (U+25CB, the circle in every IME's symbol list)."""
    structure = parse(report_text(signed="\n某某镇人民政府\n二○二四年三月十一日\n"))
    assert structure.meta.signed_date == dt.date(2024, 3, 11)


def test_impossible_signed_date_is_none() -> None:
    structure = parse(report_text(signed="\n某某镇人民政府\n2024年2月30日\n"))
    assert structure.meta.signed_date is None


def test_no_signature_means_no_date() -> None:
    structure = parse(report_text(signed=""))
    assert structure.meta.signed_date is None


def test_synthetic_meta() -> None:
    meta = parse(report_text()).meta
    assert (meta.issuer, meta.level, meta.report_year, meta.plan_year) == ("某某镇", "镇", 2024, 2025)
    assert meta.title == "某某镇2024年法治政府建设情况报告"


@pytest.mark.parametrize(("issuer", "level"), [("某某乡", "乡"), ("某某街道", "街道")])
def test_issuer_level(issuer: str, level: str) -> None:
    text = report_text().replace("某某镇", issuer)
    meta = parse(text).meta
    assert (meta.issuer, meta.level) == (issuer, level)


def test_plan_without_year_has_no_plan_year() -> None:
    text = report_text().replace("2025年主要工作安排", "下一步工作安排")
    structure = parse(text)
    assert structure.part_present("next_year_plan")
    assert structure.meta.plan_year is None


def test_signature_is_not_part_of_the_plan() -> None:
    text = report_text()
    structure = parse(text)
    clean = normalize_text(text).text
    for span in structure.parts["next_year_plan"]:
        assert "二〇二四年三月十一日" not in clean[span.start : span.end]
        assert "某某镇人民政府" not in clean[span.start : span.end]


def nesting(headings: list[Heading]) -> list[tuple[int, str]]:
    return [(h.level, h.marker) for h in headings]


def test_levels_follow_nesting_not_style() -> None:
    text = "一、主要举措\n1.推进依法决策工作。\n2.加强普法宣传工作。\n二、存在的不足\n（一）执法力量薄弱。\n1.持证人员偏少。\n"
    assert nesting(parse(text).headings) == [
        (1, "一、"), (2, "1."), (2, "2."), (1, "二、"), (2, "（一）"), (3, "1."),
    ]  # fmt: skip


def test_run_in_points_sit_below_their_line_heading() -> None:
    text = "一、主要举措\n（一）加强宣传。一是开展宣讲活动。二是发放宣传资料。\n"
    headings = parse(text).headings
    assert nesting(headings) == [(1, "一、"), (2, "（一）"), (3, "一是"), (3, "二是")]
    assert [h.number for h in headings] == [1, 1, 1, 2]


def test_words_ending_in_shi_are_not_points() -> None:
    text = "一、主要举措\n统一是我镇的要求，唯一是目标。\n"
    assert nesting(parse(text).headings) == [(1, "一、")]
