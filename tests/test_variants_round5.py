"""Red-team round 5: the file formats a county actually receives.

Rounds 1–4 were mostly .txt. Here: a .txt in GB18030 with CRLF and a Chinese-numeral 落款 date;
UTF-16 with a BOM and CRLF (a 街道 signing with its 党工委 and 办事处); a portal page copied into
a .txt with the catalogue, 发布时间 line, 附件下载, 分享到, 相关链接, 上一篇/下一篇 and the footer
(网站标识码, ICP备) around the article; a TRS-template page saved as GBK (declared by <meta
charset>) with &nbsp; indents, <br> inside a paragraph and a "字号：大 中 小" switch on its
发布时间 line; a 集约化-template page whose article is one <p> cut by <br>, with an indicator table
whose cells hold <p> (as UEditor writes them) and no 落款; a Word file numbered by Word's own
list ("一、" / "（一）" / "1." from numbering.xml, not in the text) with Shift+Enter breaks, an
indicator table, a text box, a right-aligned 落款, an 附件 table after it and a header/footer;
PDFs printed with a running head (the office's name, or the report's title) and "— N —" page
numbers on every page.

The defects they found: a PDF's running head and page number, printed between one page's last
line and the next page's first, cut the sentence across the break in two (a measure ended
"全年集中学法不少", an indicator lost its verb); a portal table whose cells wrap their text in
<p> became one line per cell, so no row held its name and its figures; a 发布时间 line that also
carries "字号：大 中 小" was not recognised as the page's metadata, so a page without a 落款 had
no date at all; the portal's top bar (简体版/繁體版, 登录/注册), its contact footer (电话 + 地址)
and the titles listed under 相关链接 stayed in a pasted report; a Word template's hidden
instructions ("XX镇…", 隐藏文字) were read and gave a false 高 placeholder finding; "违法行为58件"
was named "违法行"; a figure under "（三）开展法治宣传教育。" and a rate after "；受理信访事项67件，"
were categorised "other" / 调解; the 总体评价 cited a Word table row with its tab.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from conftest import assert_verbatim
from fazhi_review.analysis import Analysis, analyze_path
from fazhi_review.chrome import is_chrome_line
from fazhi_review.engine.offline import summarize_offline
from fazhi_review.models import REQUIRED_PARTS
from fazhi_review.normalize import normalize_text
from fixtures_formats import write_pdf_running_heads, write_word_outline_docx

ROUND5 = Path(__file__).parent / "variants" / "round5"

#: the Word report: (kind, value) blocks for ``write_word_outline_docx``
WORD_BLOCKS: list[tuple[str, object]] = [
    ("title", "青山镇2024年度法治政府建设情况报告"),
    ("para", "县委全面依法治县委员会办公室："),
    ("para", "　　2024年，青山镇党委、政府深入学习贯彻习近平法治思想，全面落实《法治政府建设实施纲要（2021—2025年）》，现将全年法治政府建设情况报告如下。"),
    ("h1", "主要举措和成效"),
    ("h2", "依法全面履行政府职能"),
    ("para", "　　深化“放管服”改革，镇便民服务中心进驻事项112项，\v全年办理各类事项4215件，办结率100%。"),
    ("h2", "严格规范公正文明执法"),
    ("h3", "执法队伍。现有持证执法人员9名，全年办理行政处罚案件36件。"),
    ("h3", "案卷评查。开展案卷评查1次，评查案卷12卷，无行政复议和行政诉讼案件。"),
    ("para", "　　主要指标如下表："),
    ("table", [("指标", "数量"), ("普法宣传活动", "22场次"), ("法律顾问出具法律意见书", "18份"), ("调解矛盾纠纷", "126件")]),
    ("h1", "党政主要负责人履行推进法治建设第一责任人职责情况"),
    ("para", "　　镇党委书记、镇长召开党委会专题研究法治建设工作3次，组织镇党委理论学习中心组学法4次，年终将述法纳入述职报告。"),
    ("h1", "存在的不足和原因"),
    ("h3", "执法力量不足，执法人员专业化程度不高。"),
    ("h3", "普法宣传形式单一，针对性不强。"),
    ("para", "　　原因主要是培训不够系统，经费保障不足。"),
    ("h1", "2025年主要安排"),
    ("h3", "加强执法队伍建设，组织执法人员专题培训不少于3次。"),
    ("h3", "创新普法方式，推进“八五”普法规划全面完成。"),
    ("h1", "其他需要报告的情况"),
    ("para", "　　无。"),
    ("textbox", "（此件公开发布）"),
    ("right", "青山镇人民政府"),
    ("right", "2025年2月20日"),
    ("para", "附件：2024年度法治政府建设主要数据统计表"),
    ("table", [("项目", "2023年", "2024年"), ("行政处罚案件（件）", "31", "36"), ("持证执法人员（名）", "8", "9")]),
]

Row = tuple[str, str, int, "int | None", dt.date, str, set[str]]
#: file → (issuer, level, report_year, plan_year, signed date, where it came from, rule ids exactly)
EXPECTED: dict[str, Row] = {
    "r5-gb18030-cn-date.txt": ("青山镇", "镇", 2024, 2025, dt.date(2025, 2, 20), "落款", set()),
    "r5-utf16-bom-crlf.txt": ("东湖街道", "街道", 2024, 2025, dt.date(2025, 2, 26), "落款", set()),
    "r5-portal-paste-chrome.txt": ("白沙乡", "乡", 2024, 2025, dt.date(2025, 2, 25), "落款", set()),
    # signed 3月5日: after the 3月1日 deadline, a true 中 finding
    "r5-portal-trs-gbk.html": ("大康镇", "镇", 2024, 2025, dt.date(2025, 3, 5), "落款", {"late-report"}),
    "r5-portal-jiyue-br-table.html": ("石桥乡", "乡", 2024, 2025, dt.date(2025, 2, 28), "发布日期", set()),
    "word-outline.docx": ("青山镇", "镇", 2024, 2025, dt.date(2025, 2, 20), "落款", set()),
    "title-head.pdf": ("青山镇", "镇", 2024, 2025, dt.date(2025, 2, 20), "落款", set()),
    "office-head.pdf": ("东湖街道", "街道", 2024, 2025, dt.date(2025, 2, 26), "落款", set()),
}


def _source_text(name: str) -> str:
    """A round-5 .txt as a reader sees it (its own encoding, CRLF as line breaks)."""
    data = (ROUND5 / name).read_bytes()
    encoding = "utf-16" if data.startswith(b"\xff\xfe") else "gb18030"
    return data.decode(encoding).replace("\r\n", "\n")


def _generated(directory: Path) -> dict[str, Path]:
    """The Word and PDF variants, written from the blocks above and the round-5 .txt files."""
    word = write_word_outline_docx(WORD_BLOCKS, directory, name="word-outline.docx")
    title = _source_text("r5-gb18030-cn-date.txt")
    title_head = write_pdf_running_heads(title, directory, header=title.split("\n")[0], lines_per_page=9, name="title-head.pdf")
    office_head = write_pdf_running_heads(_source_text("r5-utf16-bom-crlf.txt"), directory, header="东湖街道办事处文件", lines_per_page=14, name="office-head.pdf")
    return {path.name: path for path in (word, title_head, office_head)}


@pytest.fixture(scope="module")
def analyses(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Analysis]:
    files = {path.name: path for path in sorted(ROUND5.iterdir())}
    files.update(_generated(tmp_path_factory.mktemp("round5")))
    return {name: analyze_path(path) for name, path in files.items()}


def _indicators(analysis: Analysis) -> list[tuple[str, float, str]]:
    return [(i.name, i.value, i.unit) for i in summarize_offline(analysis).indicators]


def test_every_variant_is_in_the_table(analyses: dict[str, Analysis]) -> None:
    assert set(analyses) == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_meta(analyses: dict[str, Analysis], name: str) -> None:
    meta = analyses[name].report.meta
    row = (meta.issuer, meta.level, meta.report_year, meta.plan_year, meta.signed_date, meta.signed_source)
    assert row == EXPECTED[name][:6]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_findings_are_exactly_the_real_ones(analyses: dict[str, Analysis], name: str) -> None:
    findings = analyses[name].findings
    assert {f.rule_id for f in findings} == EXPECTED[name][6]
    assert not [f for f in findings if f.severity == "高"]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_every_required_part_is_found(analyses: dict[str, Analysis], name: str) -> None:
    report = analyses[name].report
    assert {p: report.part_present(p) for p in REQUIRED_PARTS} == dict.fromkeys(REQUIRED_PARTS, True)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_summary_quotes_the_text_the_tool_read(analyses: dict[str, Analysis], name: str) -> None:
    analysis = analyses[name]
    summary = summarize_offline(analysis)
    assert_verbatim(summary, analysis.document.text)
    assert summary.overview.startswith(EXPECTED[name][0])
    assert len(summary.shortcomings) >= 2 and len(summary.measures) >= 2 and len(summary.indicators) >= 5


# ---------------------------------------------------------------- encodings


def test_encodings_are_detected(analyses: dict[str, Analysis]) -> None:
    assert analyses["r5-gb18030-cn-date.txt"].document.encoding == "gb18030"
    assert analyses["r5-utf16-bom-crlf.txt"].document.encoding == "utf-16"
    assert analyses["r5-portal-trs-gbk.html"].document.encoding in ("gbk", "gb18030")


# ---------------------------------------------------------------- Word


def test_word_numbering_header_footer_and_text_box(analyses: dict[str, Analysis]) -> None:
    analysis = analyses["word-outline.docx"]
    text = analysis.document.text
    assert "一、主要举措和成效" in text and "（二）严格规范公正文明执法" in text and "2.创新普法方式" in text
    assert "青山镇人民政府办公室" not in text and "— 1 —" not in text  # header and footer
    assert text.count("此件公开发布") <= 1  # the text box's fallback copy is never read twice
    assert ("普法宣传活动", 22, "场次") in _indicators(analysis)
    measures = [m.text for m in summarize_offline(analysis).measures]
    assert measures == ["加强执法队伍建设，组织执法人员专题培训不少于3次", "创新普法方式，推进“八五”普法规划全面完成"]


def test_a_soft_line_break_keeps_the_sentence(analyses: dict[str, Analysis]) -> None:
    analysis = analyses["word-outline.docx"]
    assert "镇便民服务中心进驻事项112项，全年办理各类事项4215件，办结率100%。" in analysis.norm.text


# ---------------------------------------------------------------- PDF running heads and page numbers


@pytest.mark.parametrize(("pdf", "source"), [("title-head.pdf", "r5-gb18030-cn-date.txt"), ("office-head.pdf", "r5-utf16-bom-crlf.txt")])
def test_a_pdf_reads_as_its_text(analyses: dict[str, Analysis], pdf: str, source: str) -> None:
    """Printed with a running head and page numbers, cut into pages mid-sentence: the same
    indicators, 不足 and measures as the .txt it was printed from."""
    printed, typed = summarize_offline(analyses[pdf]), summarize_offline(analyses[source])
    assert [m.text for m in printed.measures] == [m.text for m in typed.measures]
    assert [s.text for s in printed.shortcomings] == [s.text for s in typed.shortcomings]
    assert _indicators(analyses[pdf]) == _indicators(analyses[source])


def test_running_heads_leave_the_clean_text_but_the_title_stays(analyses: dict[str, Analysis]) -> None:
    clean = analyses["title-head.pdf"].norm.text
    # page 1 prints the head above the title (the same words); pages 2–4 print it alone: only the title stays
    assert clean.count("青山镇2024年法治政府建设情况报告") == 1 and clean.startswith("青山镇2024年法治政府建设情况报告")
    assert "— 2 —" not in clean
    # page 1's first line is kept even when it repeats: with a "different first page" it is the title
    assert analyses["office-head.pdf"].norm.text.count("东湖街道办事处文件") == 1


@pytest.mark.parametrize(
    "footer",
    ["第2页 共3页", "- 2 -", "2/3", "2"],
)
def test_page_number_styles_are_dropped(footer: str) -> None:
    original = f"某镇2024年法治政府建设情况报告\n一、主要举措和成效\n全年办理行政处罚案件36件，开展案卷评查1次，评查案卷\n— 1 —\f12卷，无行政复议案件。\n{footer}\f二、存在的不足"
    clean = normalize_text(original).text
    assert "评查案卷12卷" in clean and footer not in clean.split("\n")


def test_a_signature_line_that_is_also_on_page_one_stays() -> None:
    # the issuer heads page 1 and signs the last page: not a running head (not the same edge)
    original = "中共某某镇委员会\n某某镇人民政府\n关于2024年法治政府建设的报告\n正文第一页。\f正文第二页。\n某某镇人民政府\n2025年2月20日"
    assert normalize_text(original).text.count("某某镇人民政府") == 2


def test_a_number_that_is_not_the_page_number_stays() -> None:
    # a bare figure at a page's foot is a page number only when it is that page's own
    clean = normalize_text("标题\n统计如下：\n调解纠纷\n64\f二、存在的不足").text
    assert "64" in clean


# ---------------------------------------------------------------- portal pages


def test_portal_table_cells_with_paragraphs_stay_one_row(analyses: dict[str, Analysis]) -> None:
    text = analyses["r5-portal-jiyue-br-table.html"].document.text
    assert "持证执法人员（名）\t7\t6" in text.split("\n")
    assert "指标\t2024年\t2023年" in text.split("\n")


def test_a_cell_of_two_paragraphs_is_one_cell(tmp_path: Path) -> None:
    page = (
        "<html><body><div class='TRS_Editor'><p>一、主要举措和成效。全年共办理行政处罚案件36件。</p>"
        "<table><tr><td><p>行政处罚</p><p>案件</p></td><td><p>36件</p></td></tr>"
        "<tr><td>普法<br>活动</td><td><p>22场次</p></td></tr></table></div></body></html>"
    )
    path = tmp_path / "cells.html"
    path.write_text(page, encoding="utf-8")
    text = analyze_path(path).document.text
    assert "行政处罚 案件\t36件" in text.split("\n") and "普法 活动\t22场次" in text.split("\n")


@pytest.mark.parametrize(
    "line",
    [
        "发布时间：2025-03-18 16:05\xa0\xa0来源：大康镇\xa0\xa0浏览次数：\xa0\xa0字号：大 中 小",
        "发布日期：2025-02-28　　来源：石桥乡人民政府　　字体：大 中 小",
    ],
)
def test_a_publish_line_with_the_font_size_switch_is_chrome(line: str) -> None:
    assert is_chrome_line(line)


@pytest.mark.parametrize(
    "line",
    ["无障碍浏览 | 长者模式 | 简体版 | 繁体版", "登录 | 注册", "联系电话：0816-1234567\t地址：平武县龙安镇城南路1号", "地址：江油市诗城路中段  电话：0816-3222222"],
)
def test_portal_top_bar_and_contact_footer_are_chrome(line: str) -> None:
    assert is_chrome_line(line)


@pytest.mark.parametrize("line", ["联系人：张明，联系电话：0816-1234567", "开通法律咨询电话：12348，全年接听来电312次"])
def test_a_report_line_with_a_telephone_number_is_not_chrome(line: str) -> None:
    assert not is_chrome_line(line)


def test_a_page_without_signature_is_dated_by_its_publish_line(tmp_path: Path) -> None:
    page = (ROUND5 / "r5-portal-trs-gbk.html").read_bytes().decode("gbk")
    for signature in ("大康镇人民政府", "2025年3月5日"):
        page = page.replace(f'<p style="text-align:right;">{signature}&nbsp;&nbsp;&nbsp;&nbsp;</p>', "")
    assert "2025年3月5日" not in page
    path = tmp_path / "no-signature.html"
    path.write_bytes(page.encode("gbk"))
    meta = analyze_path(path).report.meta
    assert (meta.signed_date, meta.signed_source) == (dt.date(2025, 3, 18), "发布日期")


def test_portal_paste_chrome_stays_out_of_the_summary(analyses: dict[str, Analysis]) -> None:
    analysis = analyses["r5-portal-paste-chrome.txt"]
    clean = analysis.norm.text
    for chrome in ("网站标识码", "上一篇", "分享到", "附件下载", "浏览次数", "长者模式", "注册", "联系电话", "推进会", "中期自查"):
        assert chrome not in clean
    assert clean.startswith("白沙乡2024年度法治政府建设工作报告")


# ---------------------------------------------------------------- indicator names


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        (ROUND5 / "r5-utf16-bom-crlf.txt", ("立案查处违法行为", 58, "件")),
        (ROUND5.parent / "redteam" / "rt-portal-footer-cause.txt", ("立案查处违法行为", 64, "件")),
        (ROUND5.parent / "round2" / "r2-word-autonumber-tabs.txt", ("立案查处各类违法行为", 63, "件")),
    ],
)
def test_a_name_ending_in_xingwei_keeps_it(path: Path, expected: tuple[str, int, str]) -> None:
    """"为" after a count's name is a verb ("人数为12人") except in 行为/作为, where it ends the noun."""
    assert expected in _indicators(analyze_path(path))


def test_an_article_laid_out_in_one_table_cell_keeps_its_paragraphs(tmp_path: Path) -> None:
    """Older templates put the whole article in a layout <td>: its <p> are still lines."""
    body = _source_text("r5-gb18030-cn-date.txt")
    paragraphs = "".join(f"<p>{line}</p>" for line in body.split("\n") if line.strip())
    page = f"<html><body><table><tr><td class='nav'>首页</td></tr><tr><td class='bt14' width='760'>{paragraphs}</td></tr></table></body></html>"
    path = tmp_path / "layout.html"
    path.write_text(page, encoding="utf-8")
    analysis = analyze_path(path)
    assert "三、存在的不足和原因" in analysis.document.text.split("\n")
    assert analysis.report.meta.signed_date == dt.date(2025, 2, 20)
    assert {p: analysis.report.part_present(p) for p in REQUIRED_PARTS} == dict.fromkeys(REQUIRED_PARTS, True)


def test_hidden_word_text_is_not_read(tmp_path: Path) -> None:
    """A template's instructions hidden (隐藏文字) rather than deleted: never shown or printed, so
    their "XX" is no unfilled placeholder; a 落款 date inserted as a DATE field reads as its result."""
    import docx
    from docx.oxml import parse_xml

    namespace = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    lines = _source_text("r5-gb18030-cn-date.txt").rstrip("\n").split("\n")
    document = docx.Document()
    for line in lines[:-1]:
        paragraph = document.add_paragraph(line)
        if line.startswith("三、"):
            paragraph.add_run("（填写说明：XX镇如实填写本镇存在的不足，不少于3条）").font.hidden = True
    date = document.add_paragraph()
    for run in ("<w:fldChar w:fldCharType='begin'/>", "<w:instrText xml:space='preserve'> DATE \\@ \"yyyy年M月d日\" </w:instrText>",
                "<w:fldChar w:fldCharType='separate'/>", f"<w:t>{lines[-1]}</w:t>", "<w:fldChar w:fldCharType='end'/>"):  # fmt: skip
        date._p.append(parse_xml(f"<w:r {namespace}>{run}</w:r>"))
    path = tmp_path / "hidden.docx"
    document.save(str(path))
    analysis = analyze_path(path)
    assert "填写说明" not in analysis.document.text and "DATE" not in analysis.document.text
    assert analysis.findings == [] and analysis.report.meta.signed_date == dt.date(2025, 2, 20)


@pytest.mark.parametrize(
    ("text", "name", "category"),
    [
        ("（三）开展法治宣传教育。组织“宪法进万家”等活动16场次，受教育群众3100余人次。", "组织“宪法进万家”等活动", "law_publicity"),
        ("（二）强化合法性审查。全年共审核33件，提出修改意见12条。", "审核", "legality_review"),
    ],
)
def test_a_figure_naming_nothing_takes_its_sub_heading_category(tmp_path: Path, text: str, name: str, category: str) -> None:
    body = _source_text("r5-gb18030-cn-date.txt").replace("（五）推进矛盾纠纷多元化解。", text + "\n（五）推进矛盾纠纷多元化解。")
    path = tmp_path / "report.txt"
    path.write_text(body, encoding="utf-8")
    [indicator] = [i for i in summarize_offline(analyze_path(path)).indicators if i.name == name]
    assert indicator.category == category


@pytest.mark.parametrize(
    ("name", "rate"),
    [("r5-utf16-bom-crlf.txt", "按期办结率"), ("r5-portal-trs-gbk.html", "及时受理率")],
)
def test_a_rate_after_a_semicolon_rates_what_follows_it(analyses: dict[str, Analysis], name: str, rate: str) -> None:
    """"调解成功198件；受理信访事项67件，按期办结率98.5%": the rate is the 信访's."""
    [indicator] = [i for i in summarize_offline(analyses[name]).indicators if i.name == rate]
    assert indicator.category == "petition"


def test_the_review_cites_a_word_table_row_as_words(analyses: dict[str, Analysis]) -> None:
    """The 总体评价 quotes "普法宣传活动" + tab + "22场次" from a two-cell row as one phrase."""
    from fazhi_review.review import draft_review

    draft = draft_review(summarize_offline(analyses["word-outline.docx"]))
    texts = [h.text for h in draft.overall.highlights]
    assert "普法宣传活动22场次" in texts
    assert not any(mark in text for text in texts for mark in "\t\n\f")


def test_titles_under_related_links_go_but_an_attachment_list_stays() -> None:
    original = (
        "某镇2024年法治政府建设情况报告\n正文。\n某镇人民政府\n2025年2月20日\n附件：\n1.2024年度行政执法统计表\n"
        "【相关新闻】\n某镇召开法治建设推进会\n某镇开展宪法宣传周活动\n上一篇：某镇2023年政府信息公开年报"
    )
    clean = normalize_text(original).text
    assert "1.2024年度行政执法统计表" in clean and "推进会" not in clean and "宪法宣传周" not in clean



def test_a_footer_naming_the_office_and_the_page_is_dropped() -> None:
    """"青山镇人民政府办公室　第2页": the same footer on every page but for its number."""
    pages = [
        "青山镇2024年法治政府建设情况报告\n一、主要举措和成效\n全年办理行政处罚案件36件，开展案卷评查1次，评查案卷\n青山镇人民政府办公室　第1页",
        "12卷，无行政复议案件。全年排查矛盾纠纷126件，调解成功\n青山镇人民政府办公室　第2页",
        "121件。\n二、存在的不足\n青山镇人民政府办公室　第3页",
    ]
    clean = normalize_text("\f".join(pages)).text
    assert "办公室" not in clean and "评查案卷12卷" in clean and "调解成功121件" in clean


def test_a_signature_set_in_text_boxes_is_read_once(tmp_path: Path) -> None:
    """The 落款 laid over the seal in two text boxes: read (once, not with its VML fallback copy)."""
    blocks = [block for block in WORD_BLOCKS if block[0] not in ("right", "textbox")]
    at = blocks.index(("para", "　　无。")) + 1
    blocks[at:at] = [("textbox", "青山镇人民政府"), ("textbox", "2025年2月20日")]
    analysis = analyze_path(write_word_outline_docx(blocks, tmp_path, name="boxes.docx"))
    assert analysis.document.text.count("2025年2月20日") == 1 and analysis.document.text.count("青山镇人民政府") == 1
    assert (analysis.report.meta.signed_date, analysis.report.meta.signed_source) == (dt.date(2025, 2, 20), "落款")
    assert analysis.findings == []
