"""Normalize: the cleanup is applied, and every clean character still points at its original.

The offset map is what makes evidence verbatim, so it is checked character by character on the
real reports and on random mixtures of the things conversions leave behind (hypothesis is not a
dependency of this project, so the property tests draw from ``random`` with fixed seeds).
"""

from __future__ import annotations

import random
import re

import pytest

from conftest import EXAMPLES_DIR
from fazhi_review.models import Document, NormalizedText
from fazhi_review.normalize import normalize, normalize_text

EXAMPLES = sorted(EXAMPLES_DIR.glob("*.txt"))
CJK_CHARS = "法治政府建设推进依法行政执法镇党委书记审查决策普宣传"
FULLWIDTH_DIGITS = "０１２３４５６７８９"
BLANKS = " \t\u3000\xa0"
#: the pieces random texts are made of: what Word/PDF/portal conversions leave in report text
PIECES = [
    *CJK_CHARS,
    *"0123456789",
    *FULLWIDTH_DIGITS,
    *BLANKS,
    "\n", "\n\n", "\r\n", "\r", "\ufeff", "\u200b",
    "，", "。", "、", "；", "：", "“", "”", "（", "）", "《", "》", "％", "．",
    "**", "[bookmark: _GoBack]", "一、", "（一）", "1.", "一是",
]  # fmt: skip
LONG_SENTENCE_HEAD = "2024年，我镇持续推进依法行政工作，严格落实重大行政决策合法"


def fullwidth(char: str) -> str:
    """The full-width form of an ASCII character (１ for 1, ％ for %); other characters as they are."""
    return chr(ord(char) + 0xFEE0) if "!" <= char <= "~" else char


def assert_offsets_valid(norm: NormalizedText) -> None:
    """(b) each clean character comes from its original one (or its full-width form), (c) in order."""
    original, text, offsets = norm.original, norm.text, norm.offsets
    assert len(offsets) == len(text)
    for i, char in enumerate(text):
        assert 0 <= offsets[i] < len(original), f"offset {offsets[i]} of clean {i} outside the original"
        source = original[offsets[i]]
        # a "\r\n" or "\r" line end becomes "\n" and maps to where it started
        allowed = {char, fullwidth(char)} | ({"\r"} if char == "\n" else set())
        # a table row's cell gap written with spaces becomes one tab, mapped to the gap's first blank
        allowed |= set(BLANKS) if char == "\t" else set()
        assert source in allowed, f"clean[{i}]={char!r} maps to original[{offsets[i]}]={source!r} in {original!r}"
    for i in range(1, len(offsets)):
        assert offsets[i - 1] < offsets[i], f"offsets not strictly increasing at clean {i}: {offsets[i - 1]}, {offsets[i]}"


def assert_cleanup_applied(text: str) -> None:
    """(a) nothing a conversion leaves behind is still in the clean text."""
    assert "[bookmark:" not in text
    assert "**" not in text
    assert "\r" not in text
    assert "\ufeff" not in text and "\u200b" not in text
    assert not re.search(f"[{FULLWIDTH_DIGITS}％．]", text)
    assert "\n\n" not in text
    assert not text.startswith("\n") and not text.endswith("\n")
    for line in text.split("\n"):
        assert line == line.strip(BLANKS), f"line keeps leading/trailing blanks: {line!r}"
    # a lone tab is a table row's cell gap, kept on purpose (normalize's _drop_blank)
    tight = r"[\u4e00-\u9fff\d，。；：、]"
    assert not re.search(rf"{tight}(?!\t{tight})[{BLANKS}]+{tight}", text), text


def random_spans(norm: NormalizedText, rng: random.Random, count: int) -> list[tuple[int, int]]:
    """Clean [start, end) spans that hold at least one non-blank character."""
    spans: list[tuple[int, int]] = []
    n = len(norm.text)
    if not norm.text.strip():
        return spans
    while len(spans) < count:
        start = rng.randrange(n)
        end = rng.randint(start + 1, min(n, start + 200))
        if norm.text[start:end].strip():
            spans.append((start, end))
    return spans


def assert_evidence_holds(norm: NormalizedText, start: int, end: int) -> None:
    """(d) the quote is the original slice, trimmed, and covers every non-blank clean character."""
    evidence = norm.evidence(start, end)
    assert evidence.quote == norm.original[evidence.start : evidence.end]
    assert evidence.quote == evidence.quote.strip(), f"quote not trimmed: {evidence.quote!r}"
    for i in range(start, end):
        if not norm.text[i].isspace():
            assert evidence.start <= norm.offsets[i] < evidence.end, (
                f"clean {i} ({norm.text[i]!r}) at original {norm.offsets[i]} outside quote "
                f"[{evidence.start}, {evidence.end}) for clean span [{start}, {end})"
            )


def random_text(rng: random.Random, length: int) -> str:
    return "".join(rng.choice(PIECES) for _ in range(length))


# ---------------------------------------------------------------- the example reports


@pytest.fixture(params=EXAMPLES, ids=lambda path: path.stem)
def example_norm(request: pytest.FixtureRequest) -> NormalizedText:
    return normalize_text(request.param.read_text(encoding="utf-8"))


def test_examples_exist() -> None:
    assert len(EXAMPLES) == 4


def test_examples_cleanup_applied(example_norm: NormalizedText) -> None:
    assert_cleanup_applied(example_norm.text)


def test_examples_offsets_valid(example_norm: NormalizedText) -> None:
    assert_offsets_valid(example_norm)


def test_examples_random_spans_give_verbatim_evidence(example_norm: NormalizedText) -> None:
    rng = random.Random(20240311)
    for start, end in random_spans(example_norm, rng, 500):
        assert_evidence_holds(example_norm, start, end)


def test_examples_every_line_maps_back(example_norm: NormalizedText) -> None:
    """Each clean paragraph's evidence, normalized again, gives back the paragraph."""
    for match in re.finditer(r"[^\n]+", example_norm.text):
        evidence = example_norm.evidence(match.start(), match.end())
        assert normalize_text(evidence.quote).text == match.group(0)


def test_examples_bookmark_and_bold_removed() -> None:
    xumingsi = (EXAMPLES_DIR / "xumingsi-2023.txt").read_text(encoding="utf-8")
    suhe = (EXAMPLES_DIR / "suhe-2021.txt").read_text(encoding="utf-8")
    assert "[bookmark: _GoBack]" in xumingsi and "**" in suhe  # facts of the inputs
    assert "[bookmark:" not in normalize_text(xumingsi).text
    assert "二是加强合法性审核力度。坚持重大行政决策" in normalize_text(suhe).text


def test_examples_broken_line_in_suhe_joined() -> None:
    """suhe-2021 breaks “合法\\n\\n性审查” inside a sentence (a fact of the text)."""
    original = (EXAMPLES_DIR / "suhe-2021.txt").read_text(encoding="utf-8")
    assert "合法\n\n性审查" in original
    assert "咨询论证、合法性审查和集体研究决定" in normalize_text(original).text


def test_normalize_takes_a_document() -> None:
    text = "一、主要举措\r\n全年开展普法宣传１２场。"
    document = Document(path="x.txt", format="txt", encoding="utf-8", text=text, sha256="0" * 64)
    assert normalize(document) == normalize_text(text)


# ---------------------------------------------------------------- each cleanup


@pytest.mark.parametrize(
    ("original", "clean"),
    [
        ("[bookmark: _GoBack]2023年，我镇推进法治建设。", "2023年，我镇推进法治建设。"),
        ("开展普法宣传[bookmark: _Toc123]活动。", "开展普法宣传活动。"),
        ("**二是加强合法性审核力度。**坚持重大行政决策。", "二是加强合法性审核力度。坚持重大行政决策。"),
        ("2021 年全镇开展宣传活动", "2021年全镇开展宣传活动"),
        ("调处 5 起重点矛盾纠纷", "调处5起重点矛盾纠纷"),
        ("办结率达 99.3%", "办结率达99.3%"),
        ("办理案件１２３件", "办理案件123件"),
        ("满意率１００％，办结率９９．５％", "满意率100%，办结率99.5%"),
        ("一、主要举措\r\n全年开展普法宣传。\r\n", "一、主要举措\n全年开展普法宣传。"),
        ("\ufeff一、主要举措\n全年开展普法宣传。", "一、主要举措\n全年开展普法宣传。"),
        ("一、主要举措\n\n\n全年开展普法宣传。", "一、主要举措\n全年开展普法宣传。"),
        ("\u3000\u3000全年开展普法宣传。  \n", "全年开展普法宣传。"),
        (f"{LONG_SENTENCE_HEAD}\n\n性审查制度，全年审查文件12件。", f"{LONG_SENTENCE_HEAD}性审查制度，全年审查文件12件。"),
        (f"{LONG_SENTENCE_HEAD}\n性审查制度，全年审查文件12件。", f"{LONG_SENTENCE_HEAD}性审查制度，全年审查文件12件。"),
        (f"{LONG_SENTENCE_HEAD}\r\n性审查制度。", f"{LONG_SENTENCE_HEAD}性审查制度。"),
    ],
    ids=[
        "bookmark", "bookmark-mid", "bold", "space-in-year", "spaces-around-number", "space-before-percent",
        "fullwidth-digits", "fullwidth-percent-dot", "crlf", "bom", "blank-lines", "indent-and-trailing",
        "broken-sentence-blank-line", "broken-sentence", "broken-sentence-crlf",
    ],
)  # fmt: skip
def test_cleanup(original: str, clean: str) -> None:
    norm = normalize_text(original)
    assert norm.text == clean
    assert_offsets_valid(norm)
    assert_evidence_holds(norm, 0, len(norm.text))


def test_fullwidth_digit_maps_to_its_original() -> None:
    norm = normalize_text("办理案件１２３件")
    start = norm.text.index("123")
    assert [norm.original[norm.offsets[i]] for i in range(start, start + 3)] == list("１２３")
    evidence = norm.evidence(start, start + 4)
    assert (evidence.quote, evidence.start, evidence.end) == ("１２３件", 4, 8)


def test_evidence_across_removed_markup_quotes_the_markup() -> None:
    """A clean span over a deleted bookmark quotes the original with the bookmark in it."""
    original = "开展普法宣传[bookmark: _GoBack]活动12场。"
    norm = normalize_text(original)
    evidence = norm.evidence(0, norm.text.index("。"))
    assert evidence.quote == "开展普法宣传[bookmark: _GoBack]活动12场"
    assert evidence.start == 0


def test_evidence_across_joined_line() -> None:
    original = f"{LONG_SENTENCE_HEAD}\n\n性审查制度。"
    norm = normalize_text(original)
    start = norm.text.index("合法性")
    evidence = norm.evidence(start, start + 3)
    assert evidence.quote == "合法\n\n性"
    assert original[evidence.start : evidence.end] == evidence.quote


def test_evidence_is_trimmed_of_blanks() -> None:
    original = "一、主要举措\r\n\u3000\u3000全年开展普法宣传。"
    norm = normalize_text(original)
    start = norm.text.index("\n")
    evidence = norm.evidence(start, len(norm.text))
    assert evidence.quote == "全年开展普法宣传。"


def test_to_original_rejects_spans_outside_the_text() -> None:
    norm = normalize_text("全年开展普法宣传。")
    for start, end in [(-1, 2), (3, 3), (5, 4), (0, len(norm.text) + 1)]:
        with pytest.raises(ValueError):
            norm.to_original(start, end)


# ---------------------------------------------------------------- headings are not joined


BODY_LINES = [
    "2024年，我镇严格落实重大行政决策程序，全年召开党委会研究重大事项12次。",
    "我镇严格落实重大行政决策程序，全年召开党委会研究重大事项。",
    "“八五”普法工作扎实推进，群众法治意识明显提升。",
    "《法治政府建设实施纲要》各项要求全面落实到位。",
]
HEADING_LINES = [
    "一、主要举措和成效",
    "二、存在的不足",
    "一、党政主要负责人履行推进法治建设第一责任人职责情况",
    "二、党政主要负责人严格履行推进法治建设第一责任人职责，加强法治政府建设情况",
    "三、2024年推进法治政府建设存在的不足和原因",
    "四、下一步推进法治建设主要安排",
    "（一）强化统筹组织，推进法治政府建设",
    "（二）提升公职人员法治素养，狠抓落实干部学法用法",
    "1.落实领导干部学法活动制度并组织年度考试",
    "（1）落实领导干部学法活动制度并组织年度考试",
    "１．落实领导干部学法活动制度并组织年度考试",
    "某某镇2024年法治政府建设情况报告",
    "关于某某镇2024年度法治政府建设工作情况的报告",
    "一、主要工作及成效：",
]


@pytest.mark.parametrize("heading", HEADING_LINES)
@pytest.mark.parametrize("body", BODY_LINES, ids=["year", "plain", "quote-mark", "book-title"])
@pytest.mark.parametrize("newline", ["\n", "\n\n", "\r\n"], ids=["lf", "blank-line", "crlf"])
def test_heading_line_is_not_joined_to_its_body(heading: str, body: str, newline: str) -> None:
    norm = normalize_text(f"{heading}{newline}{body}")
    assert norm.text.split("\n") == [heading.replace("１．", "1."), body]


def test_line_before_a_numbered_point_is_not_joined() -> None:
    text = f"{LONG_SENTENCE_HEAD}性审查制度并组织实施\n（二）加强普法宣传"
    assert normalize_text(text).text == text


def test_title_broken_over_two_lines_is_rejoined_but_signature_lines_kept() -> None:
    """maojun-2024's title stands on two lines (a fact of the text): one title, one line."""
    text = "毛俊镇2024年度法治政府建设行政执法\n\n情况报告\n\n某某镇人民政府\n2024年3月11日"
    assert normalize_text(text).text == "毛俊镇2024年度法治政府建设行政执法情况报告\n某某镇人民政府\n2024年3月11日"


def test_signature_block_lines_are_not_joined() -> None:
    text = "全年开展普法宣传活动20场次，发放宣传资料3000余份。\n\n某某镇人民政府\n二〇二四年三月十一日"
    assert normalize_text(text).text.split("\n")[-2:] == ["某某镇人民政府", "二〇二四年三月十一日"]


# ---------------------------------------------------------------- random mixtures (property tests)


@pytest.mark.parametrize("seed", range(20))
def test_random_mixtures_keep_the_offset_map(seed: int) -> None:
    rng = random.Random(seed)
    for _ in range(100):
        norm = normalize_text(random_text(rng, rng.randint(0, 120)))
        assert_offsets_valid(norm)
        assert_cleanup_applied(norm.text)
        for start, end in random_spans(norm, rng, 5):
            assert_evidence_holds(norm, start, end)


@pytest.mark.parametrize("seed", range(5))
def test_random_mixtures_inside_a_real_report(seed: int) -> None:
    """Conversion debris sprinkled into a real report: the map still holds everywhere."""
    rng = random.Random(1000 + seed)
    original = EXAMPLES[seed % len(EXAMPLES)].read_text(encoding="utf-8")
    positions = sorted(rng.sample(range(len(original)), 60))
    pieces, last = [], 0
    for position in positions:
        pieces += [original[last:position], random_text(rng, rng.randint(1, 4))]
        last = position
    pieces.append(original[last:])
    norm = normalize_text("".join(pieces))
    assert_offsets_valid(norm)
    assert_cleanup_applied(norm.text)
    for start, end in random_spans(norm, rng, 300):
        assert_evidence_holds(norm, start, end)


@pytest.mark.parametrize("seed", range(5))
def test_crlf_and_bom_do_not_change_the_clean_text(seed: int) -> None:
    """The same report saved with Windows line ends and a BOM cleans to the same text."""
    rng = random.Random(2000 + seed)
    unix = EXAMPLES[seed % len(EXAMPLES)].read_text(encoding="utf-8")
    windows = "\ufeff" + unix.replace("\n", "\r\n")
    clean_unix, clean_windows = normalize_text(unix), normalize_text(windows)
    assert clean_windows.text == clean_unix.text
    assert_offsets_valid(clean_windows)
    for start, end in random_spans(clean_windows, rng, 200):
        assert_evidence_holds(clean_windows, start, end)


@pytest.mark.parametrize("seed", range(5))
def test_fullwidth_digits_clean_like_ascii(seed: int) -> None:
    """Replacing every ASCII digit of a report with its full-width form cleans to the same text."""
    unix = EXAMPLES[seed % len(EXAMPLES)].read_text(encoding="utf-8")
    wide = unix.translate(str.maketrans("0123456789", FULLWIDTH_DIGITS))
    norm = normalize_text(wide)
    assert norm.text == normalize_text(unix).text
    assert_offsets_valid(norm)


def test_empty_and_blank_text() -> None:
    for text in ["", "\n\n", " \u3000 ", "\ufeff", "[bookmark: _GoBack]", "\r\n\r\n"]:
        norm = normalize_text(text)
        assert norm.text == ""
        assert norm.offsets == []


# ---------------------------------------------------------------- portal chrome, run-on text, Traditional script


def _assert_offsets_exact(norm: NormalizedText) -> None:
    """Every clean character that is not a synthetic break is the original character (modulo script)."""
    assert len(norm.offsets) == len(norm.text)
    assert norm.offsets == sorted(norm.offsets)
    for index, char in enumerate(norm.text):
        if char != "\n":
            original = norm.original[norm.offsets[index]]
            assert original == char or original.translate(str.maketrans("０１２３４５６７８９", "0123456789")) == char or ord(original) > 0x3400


PORTAL = (
    "当前位置：首页 > 政务公开 > 信息公开目录 > 年度报告\n"
    "> 政务公开 > 信息公开目录 > 法定主动公开内容\n"
    "索引号：11510123MB1538277X/2025-00041\t主题分类：综合政务\n"
    "发布机构：某某镇人民政府\t成文日期：2025-02-21\n"
    "【字体：大 中 小】\n"
    "某某镇2024年法治政府建设年度报告\n"
    "一、主要举措和成效\n全年开展普法宣传12场，打印宣传资料3000份，分享典型案例5个。\n"
    "【打印本页】【关闭本页】\n分享到：微信 微博\n"
    "版权所有：某某县人民政府　网站标识码：5101230017　蜀ICP备05003304号\n"
)


def test_portal_chrome_lines_are_deleted_but_offsets_point_into_the_original() -> None:
    norm = normalize_text(PORTAL)
    assert norm.text.split("\n")[0] == "某某镇2024年法治政府建设年度报告"
    for chrome in ("当前位置", "政务公开", "索引号", "成文日期", "字体", "打印本页", "分享到", "版权所有", "ICP备"):
        assert chrome not in norm.text
    start = norm.text.index("全年开展普法宣传")
    evidence = norm.evidence(start, start + 8)
    assert PORTAL[evidence.start : evidence.end] == evidence.quote == "全年开展普法宣传"
    assert "打印宣传资料3000份" in norm.text  # a sentence mentioning 打印 is report text


def test_traditional_text_is_read_as_simplified_and_quoted_as_written() -> None:
    original = "三、存在的問題和原因\n（一）鎮綜合執法隊伍力量薄弱，執法人員專業化水平不高。\n"
    norm = normalize_text(original)
    assert norm.text.startswith("三、存在的问题和原因")
    assert "镇综合执法队伍" in norm.text
    start = norm.text.index("镇综合")
    assert norm.evidence(start, start + 8).quote == "鎮綜合執法隊伍力"
    _assert_offsets_exact(norm)


def test_simplified_text_is_left_alone() -> None:
    original = "乾隆年间的著名古建筑得到保护，著力推进依法行政。" * 3
    assert normalize_text(original).text == original


RUN_ON = (
    "某某街道2024年法治政府建设工作报告 区委依法治区办：今年以来，街道坚持依法行政，现将有关情况报告如下："
    "一、主要举措和成效（一）完善制度。全年审查重大事项11件、经济合同38份，法律顾问参与审查率100%。"
    "（二）规范执法。办理行政处罚案件93件，全部按规定公示，执法全过程记录覆盖全部案件。"
    "二、党工委书记履行推进法治建设第一责任人职责情况。党工委书记全年专题研究法治工作3次，带头学法。"
    "三、存在的不足和原因。一是执法人员不足；二是普法针对性不强。究其原因，是培训投入不足。"
    "四、下一步工作打算（一）加强培训。（二）精准普法。某某街道办事处2025年2月25日"
)


def test_text_without_line_breaks_gets_virtual_breaks_at_headings_title_and_signature() -> None:
    norm = normalize_text(RUN_ON)
    lines = norm.text.split("\n")
    assert lines[0] == "某某街道2024年法治政府建设工作报告"
    for heading in ("一、主要举措和成效", "（一）完善制度。", "二、党工委书记", "三、存在的不足和原因。", "四、下一步工作打算", "某某街道办事处"):
        assert any(line.startswith(heading) for line in lines), heading
    assert lines[-1] == "2025年2月25日"
    _assert_offsets_exact(norm)
    start = norm.text.index("一、主要")
    assert norm.evidence(start, start + 9).quote == "一、主要举措和成效"


def test_a_normal_paragraph_listing_points_is_not_broken() -> None:
    text = "我镇主要做法如下：一、建立学法制度；二、落实审查机制。（一）是重点。\n" * 3
    assert normalize_text(text).text.count("\n") == 2


def test_an_unnumbered_part_heading_is_not_joined_to_its_body() -> None:
    text = "上一年度推进法治政府建设的主要举措和成效\n全年审查重大事项11件，经济合同38份，法律顾问参与审查率100%。\n"
    assert normalize_text(text).text.split("\n")[0] == "上一年度推进法治政府建设的主要举措和成效"
