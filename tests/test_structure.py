"""Structure: meta and statutory parts against the gold, heading nesting, and the content rules.

A part is present when its substance is there, not when a heading names it (gold README), so the
synthetic reports below vary one thing at a time: a reasons sentence, a 第一责任人 paragraph.
"""

from __future__ import annotations

import datetime as dt
import itertools

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
    for previous, heading in itertools.pairwise(headings):
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
    for previous, span in itertools.pairwise(spans):
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


# ---------------------------------------------------------------- reasons however phrased, dates in Chinese numerals


CAUSES = "一是思想认识上还有差距，个别干部重业务轻法治。二是问题的根源在于培训不够系统，一方面师资不足，另一方面考核手段不多。"


def test_a_separate_reasons_part_that_never_says_yuanyin() -> None:
    text = report_text().replace("三、存在的不足和原因\n", "三、存在的问题\n").replace("四、2025年", "四、原因分析\n" + CAUSES + "\n五、2025年")
    structure = parse(text)
    assert structure.part_present("reasons") and structure.part_present("shortcomings")


@pytest.mark.parametrize("heading", ["存在问题的原因", "产生问题的原因分析"])
def test_a_reasons_heading_with_causal_text(heading: str) -> None:
    text = report_text().replace("三、存在的不足和原因\n", "三、存在的不足\n").replace("四、2025年", f"四、{heading}\n{CAUSES}\n五、2025年")
    assert parse(text).part_present("reasons")


def test_a_reasons_heading_with_no_causal_text_is_not_reasons() -> None:
    text = report_text().replace("三、存在的不足和原因\n", "三、存在的不足\n").replace(
        "四、2025年", "四、原因分析\n执法队伍建设工作取得新进展，群众满意度持续提升。\n五、2025年"
    )
    assert not parse(text).part_present("reasons")


@pytest.mark.parametrize("opening", ["分析原因，", "主要原因是", "究其根源，", "一方面"])
def test_causal_sentence_under_a_heading_that_promises_causes(opening: str) -> None:
    text = report_text().replace("二是普法宣传形式较为单一，针对性不强。", f"二是普法宣传形式较为单一，针对性不强。{opening}学习培训不够系统。")
    assert parse(text).part_present("reasons")


def test_due_to_under_a_plain_problems_heading_is_not_reasons() -> None:
    text = report_text().replace("三、存在的不足和原因\n", "三、存在的问题\n").replace("二是普法", "二是由于宣传投入少，普法")
    assert not parse(text).part_present("reasons")


@pytest.mark.parametrize(
    ("title", "signed", "year", "date"),
    [
        ("某某镇关于二〇二四年度法治政府建设工作情况的报告", "二〇二五年三月十日", 2024, dt.date(2025, 3, 10)),
        ("某某镇二○二四年法治政府建设报告", "二○二五年二月廿八日", 2024, dt.date(2025, 2, 28)),
        ("某某镇二零二四年度法治政府建设报告", "二零二五年一月三十一日", 2024, dt.date(2025, 1, 31)),
    ],
)
def test_chinese_numeral_title_year_and_signature(title: str, signed: str, year: int, date: dt.date) -> None:
    text = report_text(signed=f"\n某某镇人民政府\n{signed}\n").replace(TITLE.strip(), title)
    meta = parse(text).meta
    assert (meta.report_year, meta.signed_date, meta.signed_source) == (year, date, "落款")


def test_title_year_wins_over_a_later_date_in_the_header() -> None:
    text = report_text().replace(TITLE.strip(), "某某镇关于二〇二四年度法治政府建设工作情况的报告\n（2025年1月20日镇党委会议审议通过）")
    assert parse(text).meta.report_year == 2024


@pytest.mark.parametrize("heading", ["二、党工委书记履行推进法治建设职责情况", "二、镇党委书记、镇长履职情况"])
def test_first_responsible_heading_without_the_phrase(heading: str) -> None:
    body = "镇党委书记全年主持召开专题会议研究法治工作3次，带头学法讲法，督促班子成员落实法治建设任务。\n"
    text = report_text(first_responsible="none").replace("二、存在的不足和原因", f"{heading}\n{body}三、存在的不足和原因").replace(
        "三、2025年", "四、2025年"
    )
    assert parse(text).part_present("first_responsible")


def test_first_responsible_sentence_without_the_phrase_inside_achievements() -> None:
    sentence = "镇党委书记切实扛起推进法治政府建设的领导责任，全年专题研究法治工作3次。\n"
    assert parse(report_text(first_responsible="none").replace("（二）加强普法", sentence + "（二）加强普法")).part_present("first_responsible")


def test_a_heading_about_last_years_key_work_is_not_the_plan() -> None:
    text = report_text().replace("一、主要举措和成效", "一、2024年重点工作安排落实情况")
    structure = parse(text)
    assert structure.part_present("achievements") and structure.part_present("next_year_plan")
    assert structure.sections[1].parts == ["achievements"]


def test_an_achievement_heading_naming_problems_solved_is_not_the_shortcomings() -> None:
    text = report_text(reasons=True).replace("一、主要举措和成效", "一、聚焦群众急难愁盼问题，推进依法行政")
    structure = parse(text)
    assert structure.sections[1].parts == ["achievements"]
    assert all(structure.part_present(p) for p in REQUIRED_PARTS)


@pytest.mark.parametrize(("problems", "plan"), [("需要改进的方面", "改进措施"), ("工作中的问题", "整改措施"), ("存在问题", "2025年工作打算")])
def test_renamed_problem_and_plan_headings(problems: str, plan: str) -> None:
    text = report_text(reasons=True).replace("三、存在的不足和原因", f"三、{problems}").replace("四、2025年主要工作安排", f"四、{plan}")
    structure = parse(text)
    assert structure.part_present("shortcomings") and structure.part_present("next_year_plan")


def test_root_cause_sentence_under_a_plain_problems_heading_is_reasons() -> None:
    text = report_text().replace("三、存在的不足和原因\n", "三、存在的问题\n").replace("针对性不强。", "针对性不强。究其根源，是学习培训不够系统。")
    assert parse(text).part_present("reasons")


def test_part_headings_that_lost_their_numbers_above_numbered_subsections() -> None:
    """Word auto-numbering lost in a paste: 一、二、三、 gone, （一）（二） typed and kept."""
    text = report_text(reasons=True).replace("（二）加强普法宣传。", "（二）普法宣传工作开展成效。").replace("（一）推进依法决策。", "（一）依法决策主要举措。")
    for number in "一二三四":
        text = text.replace(f"\n{number}、", "\n")
    structure = parse(text)
    assert all(structure.part_present(p) for p in REQUIRED_PARTS)
    assert [s.heading.marker for s in structure.sections if s.heading] == ["", "", "", ""]


def test_a_top_heading_after_a_lone_subsection_run_is_top_again() -> None:
    """"一、" lost, "（一）（二）" kept: "二、" must not nest under "（二）"."""
    text = report_text(reasons=True).replace("一、主要举措和成效\n", "")
    structure = parse(text)
    assert [h.level for h in structure.headings if h.style == "cn_dun"] == [1, 1, 1]
    assert all(structure.part_present(p) for p in ("first_responsible", "shortcomings", "reasons", "next_year_plan"))


def test_full_width_dot_headings() -> None:
    text = report_text(reasons=True)
    for number in "一二三四":
        text = text.replace(f"{number}、", f"{number}．", 1)
    structure = parse(text)
    assert all(structure.part_present(p) for p in REQUIRED_PARTS)


def test_unheaded_work_before_the_first_part_heading_is_the_achievements() -> None:
    work = "全年审查重大事项11件、经济合同38份，法律顾问参与审查率100%，执法全过程记录覆盖全部案件。" * 10
    text = report_text(reasons=True).replace(ACHIEVEMENTS, work + "\n")
    assert parse(text).part_present("achievements")


def test_problems_and_plan_section_on_one_line_is_split_by_sentence() -> None:
    section = "三、存在问题及下一步工作计划执法队伍力量薄弱，普法形式单一。究其原因是培训不够。下一步，我镇将加强执法培训，创新普法形式。\n"
    text = report_text(reasons=True)
    start, end = text.index("三、存在的不足和原因"), text.index("某某镇人民政府")
    structure = parse(text[:start] + section + text[end - 1 :])
    assert structure.part_present("shortcomings") and structure.part_present("next_year_plan")
    clean = normalize_text(text[:start] + section + text[end - 1 :]).text
    assert all(clean[s.start : s.end].startswith("下一步") for s in structure.parts["next_year_plan"])


@pytest.mark.parametrize(
    "renumber",
    [
        lambda number, index: f"## {number}、",  # Markdown from a converter
        lambda number, index: f"{index}. ",  # Arabic top level, （一） below it
        lambda number, index: f"第{number}部分 ",
    ],
    ids=["markdown", "arabic-top", "part-n"],
)
def test_other_top_level_heading_forms(renumber) -> None:
    text = report_text(reasons=True)
    for index, number in enumerate("一二三四", start=1):
        text = text.replace(f"\n{number}、", "\n" + renumber(number, index), 1)
    structure = parse(text)
    assert all(structure.part_present(p) for p in REQUIRED_PARTS)
