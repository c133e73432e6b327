"""Map a report onto the statutory parts (厅字〔2019〕28号), judged by content, not headings alone.

A heading names what a section is meant to hold; the body decides what it holds. So a heading
"存在的不足和原因" with no reasons below makes `shortcomings` present but not `reasons`, and a
第一责任人 paragraph inside an achievements section makes `first_responsible` present.
"""

from __future__ import annotations

import re
from bisect import bisect_left

from fazhi_review.models import ALL_PARTS, Heading, Paragraph, Part, Section, Span
from fazhi_review.text import LINE_START_MARKER, MARKER_PREFIX, RUN_IN_PART_HEADING, SENTENCE_BREAK

#: heading words per part, checked in this order (a heading may name two parts)
_HEADING_WORDS: dict[Part, re.Pattern[str]] = {
    "other": re.compile(r"其他需要?(?:报告|说明|汇报|反映)|其他(?:情况|事项)"),
    "first_responsible": re.compile(
        r"第一责任人|主要负责人|(?:书记|镇长|乡长|主任).{0,10}(?:履职|职责)|履行.{0,12}法治建设.{0,4}职责|述法"
        r"|(?:书记|镇长|乡长|主任|一把手)[^，。；]{0,6}(?:带头|亲自)[^，。；]{0,4}(?:抓|推进|部署)[^，。；]{0,4}法治"  # "书记乡长带头抓法治"
        r"|(?:一把手|主要领导)[”\"]?(?:带头)?抓法治"  # "领导班子“一把手”抓法治情况"
    ),
    # 问题 alone is not enough: "聚焦群众急难愁盼问题" heads an achievement
    "shortcomings": re.compile(
        r"不足|存在(?:的)?(?:主要)?问题|问题(?:和|与|及|、)|(?:主要|突出|的)问题$|^问题|短板|差距|困难|薄弱|弱项|欠缺|需要改进|有待改进|有待加强|面临的挑战"
        r"|^(?:直面|正视|查摆|查找|剖析)(?:问题|不足)"  # "第三部分 直面问题"
    ),
    "reasons": re.compile(r"原因|根源|成因"),
    "next_year_plan": re.compile(
        r"下一步|下步|下一年|明年|来年|今后|努力方向|工作(?:计划|思路|打算|安排|重点)|主要(?:安排|计划)|改进措施|整改措施"
        r"|下一阶段|下阶段|(?:工作|年度)(?:展望|设想|谋划)|^展望|(?:\d{4}|二[〇○零一二三四五六七八九]{3})年.{0,12}(?:计划|思路|打算|安排)"
        # a heading written as a question or a slogan: "2025年准备怎么干？", "新的一年，我们将这样干"
        r"|怎么干|怎么做|这样干|如何干|如何做|新的一年|新一年|打算"
    ),
    "achievements": re.compile(r"成效|举措|主要工作|工作开展|亮点|基本情况|做法|成绩"),
}
#: "针对上述问题，2025年我乡将…": the plan answers the problems just listed
_AFTER_PROBLEMS = r"针对(?:上述|以上|这些|前述|存在的)[^。；，\n]{0,6}(?:问题|不足|短板)[^。；，\n]{0,4}[，,]"
_PLAN_YEAR = r"(?:\d{4}|二[〇○零一二三四五六七八九]{3})年度?"
_PLAN_START = rf"(?:{_AFTER_PROBLEMS})?(?:下一步|下一年|今后|明年|{_PLAN_YEAR}[，,]?(?:[我全本]|[\u4e00-\u9fff]{{1,4}})?(?:镇|乡|街道)[^。；\n]{{0,4}}?将)|{_AFTER_PROBLEMS}[^。；\n]{{0,12}}将"
_PLAN_PARAGRAPH = re.compile(rf"^(?:{_PLAN_START})")
_PLAN_SENTENCE = re.compile(rf"(?<=[。；\n])(?:{_PLAN_START})")
_SHORTCOMING_WORDS = re.compile(r"不足|问题|有待|仍需|还需|不够|薄弱|亟待|尚未|欠缺|差距")
_REASON_SENTENCE = re.compile(r"[^。；\n]+[。；]?")
#: a sentence that turns back to the problems just listed and says where they come from
#: ("出现上述问题，主要是…", "这些问题的产生，既有客观因素…", "之所以出现这些问题，是因为…")
_BACK_CAUSE = (
    r"(?:上述|这些|以上|前述|此类|这类)(?:问题|不足|短板|差距|现象)[^。；\n]{0,20}(?:在于|因为|主要是|因素|源于|由于|造成|导致)"
    r"|(?:问题|不足|短板|差距)的(?:产生|出现|形成)|之所以"
    r"|主观上[^。\n]{0,60}客观上|客观上[^。\n]{0,60}主观上|从主观上?看|从客观上?看"
    r"|(?:分析|剖析|反思|查摆)[^。；\n]{0,6}(?:在于|主要是|是因为)"
)
#: a sentence that analyses causes, however phrased (究其原因 / 根源在于 / 由于 / 一方面…另一方面)
_CAUSAL = re.compile(
    r"原因|成因|究其|根源|根子|根本在于|在于|由于|因为|导致|致使|归因|因素|源于|缘于|一方面|另一方面"
    rf"|受[^。；\n]{{1,20}}(?:影响|制约|限制)|客观上|主观上|{_BACK_CAUSE}"
)
#: under a plain 不足 heading: only wording that unmistakably analyses causes
_NAMED_CAUSE = re.compile(rf"原因|成因|究其|根源|根子|归因|深层次|(?:主要|根本)?是因为|之所以|主观上|客观上|{_BACK_CAUSE}")
#: a sub-heading line inside the 不足 part that opens its causes ("（四）原因分析")
_CAUSE_SUBHEADING = re.compile(r"^[^\n。；]{0,20}(?:原因|根源|成因)[^\n。；]{0,8}$", re.MULTILINE)
#: "究其原因：…" / "分析原因，主要有以下几点：…": the causes follow as a list up to the sentence end
_CAUSE_LIST = re.compile(r"(?:原因|究其|根源)[^。；\n]{0,12}[：:]")
#: under a heading that names causes, what reads as one: causal wording, a sentence saying what
#: the cause "mainly is", or a cause stated as a lack ("编制总量受控，补充渠道有限", "认识不到位，
#: 缺少操作规程"); a body saying only what went well is not the causes, whatever its heading
_CAUSAL_UNDER_HEADING = re.compile(
    rf"{_CAUSAL.pattern}|主要是|主要表现为|思想认识|重视(?:程度)?不够"
    r"|不足|不够|不强|不高|不深|不到位|不完善|不健全|不规范|不充分|不及时|有限|缺少|缺乏|欠缺|薄弱|滞后|受控|紧张|偏少|较少|偏低|短缺|单一|松散|有待|尚未|亟待|差距"
)
#: a heading whose head noun is the causes ("原因分析", "存在问题的原因", "短板弱项成因分析"), not a
#: 不足 heading ("存在的问题及原因分析" names both: ``_MERGED_HEADING``)
_REASONS_HEADING = re.compile(
    r"^原因|(?:问题|不足|短板|差距)(?:产生)?的原因|原因(?:分析|剖析|查摆)|^(?:问题|不足)?(?:根源|成因)(?:分析)?$"
    r"|^(?![^\n]*[和及与、并])[^\n]*(?:原因|成因|根源)(?:分析|剖析|查摆|探析)?$"  # ending on its causes, naming nothing else
)
#: "存在的问题及原因分析" names two parts: the 不足 part, with its causes inside
_MERGED_HEADING = re.compile(r"(?:不足|问题|短板|差距|薄弱|弱项|困难|挑战)(?:之处|方面)?\s*(?:和|及|与|、|以及|并)")
_FIRST_RESPONSIBLE = re.compile(
    r"[^。；\n]*(?:主要负责人|主要领导|党政领导|党委书记|书记|镇长|乡长|主任)[^。；\n]*第一责任人[^。；\n]*"
    r"|[^。；\n]*第一责任人职责[^。；\n]*"
    r"|[^。；\n]*(?:党委书记|党工委书记|书记|镇长|乡长|主任|主要负责人|主要领导)[^。；\n]*(?:履行|落实|扛起|担负|压实)[^。；\n]*法治(?:政府)?建设[^。；\n]*(?:职责|责任)[^。；\n]*"
    # "镇党委书记、镇长作为全镇法治建设的“一把手”", "镇党委书记、镇长分别在…会议上书面述法"
    r"|[^。；\n]*(?:党委书记|党工委书记|书记|镇长|乡长|主任|主要负责人|主要领导)[^。；\n]*(?:法治[^。；\n]*一把手|述法)[^。；\n]*"
)
#: a heading about what was done in a year ("2024年工作安排落实情况") is not next year's plan
_DONE_WORDS = re.compile(r"情况|成效|完成|开展|落实")
_PLAN_ONLY_WORDS = re.compile(r"下一步|下步|下一年|下一阶段|明年|来年|今后|打算|思路|计划")
#: a year's 要点 / 重点任务: a plan only where it follows the 不足 (before them it is the year's work)
_YEAR_TASKS = re.compile(r"(?:\d{4}|二[〇○零一二三四五六七八九]{3})年.{0,12}(?:要点|重点任务|主要任务|目标任务|重点工作|工作重点|措施)")
_MIN_BODY = 10
#: a run-in sub-heading ("（三）下步工作打算。") is this short
_SUBHEADING_MAX = 16
#: unheaded text before the first part heading this long is the achievements part
_UNHEADED_ACHIEVEMENTS = 400
#: a heading line at least this long holds body text too
_RUN_IN_BODY = 60


def parts_named(title: str) -> set[Part]:
    """The statutory parts a heading's words name (a bare line "存在的问题" as much as "三、存在的问题")."""
    return {part for part, words in _HEADING_WORDS.items() if words.search(title)}


#: a part answered with nothing but "无" ("其他需要报告的事项：无。", "存在的不足\n无")
_NONE_ANSWER = re.compile(r"(?P<title>[^。；：:\n]*?)[\s：:]*(?:本年度)?(?:无|暂无|没有)(?:其他需要报告的(?:情况|事项))?[\s。．.；;]*(?:特此报告[。.]?\s*)?")  # a letter's closing "特此报告。"


def answered_none(text: str, section: Section) -> bool:
    """The section is a part's heading and a bare "无": the part is there, its content is none.

    Pasted without breaks the "无" runs into the heading's title ("五、其他需要报告的情况无。"),
    so the words after the marker are read whole."""
    heading = section.heading
    if heading is None:
        return False
    match = _NONE_ANSWER.fullmatch(text, heading.span.start + len(heading.marker), section.span.end)
    return match is not None and bool(parts_named(match["title"]))


def _runs_on(text: str, body: Span) -> bool:
    """A short heading whose body runs on in its line ("党政主要负责人履职情况镇党委书记…"):
    a sentence's worth of text beyond the part's words, however short the whole."""
    words = RUN_IN_PART_HEADING.match(text, body.start, body.end)
    rest = text[words.end() if words else body.start : body.end]
    return len(rest.strip("：:。；\n ")) >= _MIN_BODY


#: a slogan heading that names the remedy of the 不足, not the 不足: "瞄准短板，持续发力", "补齐短板"
#: ("聚焦短板，直面问题" faces the problems: it heads the 不足)
_REMEDY_HEADING = re.compile(r"(?:补齐|补强|补上)(?:短板|弱项)|(?:持续|精准|集中)发力|攻坚")
_FACING_HEADING = re.compile(r"直面|正视|查摆|问题|不足|原因")


def _heading_parts(heading: Heading | None) -> list[Part]:
    if heading is None:
        return []
    if _REMEDY_HEADING.search(heading.title) and not _FACING_HEADING.search(heading.title):
        return ["next_year_plan"]
    return [part for part, words in _HEADING_WORDS.items() if words.search(heading.title)]


def _body(section_span: Span, heading: Heading | None) -> Span:
    start = heading.span.end if heading else section_span.start
    return Span(start=min(start, section_span.end), end=section_span.end)


def _paragraphs_in(paragraphs: list[Paragraph], span: Span) -> list[Paragraph]:
    """Paragraphs (in text order) inside ``span``: a bisect to the first, not a scan of all."""
    first = bisect_left(paragraphs, span.start, key=lambda p: p.span.start)
    inside = []
    for paragraph in paragraphs[first:]:
        if paragraph.span.start >= span.end:
            break
        if paragraph.span.end <= span.end:
            inside.append(paragraph)
    return inside


def _split_shortcomings_and_plan(text: str, paragraphs: list[Paragraph], body: Span) -> dict[Part, list[Span]]:
    """A section headed "存在问题及下一步工作计划": the plan starts at its first plan paragraph."""
    found: dict[Part, list[Span]] = {"shortcomings": [], "next_year_plan": []}
    in_plan = False
    for para in _paragraphs_in(paragraphs, body):
        in_plan = in_plan or _opens_plan(para.text)
        found["next_year_plan" if in_plan else "shortcomings"].append(para.span)
    return found


def _opens_plan(paragraph: str) -> bool:
    """A paragraph that starts the plan: "下一步，…" or a numbered run-in sub-heading naming the
    plan ("（三）下步工作打算。2026年，…") inside a merged 问题、原因及下一步打算 part."""
    if _PLAN_PARAGRAPH.match(paragraph):
        return True
    marker = MARKER_PREFIX.match(paragraph)
    if marker is None:
        return False
    lead = re.split(r"[。：:；\n]", paragraph[marker.end() :], maxsplit=1)[0]
    return len(lead) <= _SUBHEADING_MAX and bool(_HEADING_WORDS["next_year_plan"].search(lead)) and not _DONE_WORDS.search(lead)


def _split_by_sentence(text: str, body: Span) -> dict[Part, list[Span]]:
    """The same split when the heading's line holds the whole section (text pasted without line
    breaks): the plan starts at the first sentence that opens like a plan."""
    for match in _PLAN_SENTENCE.finditer(text, body.start, body.end):
        if match.start() > body.start:
            return {"shortcomings": [Span(start=body.start, end=match.start())], "next_year_plan": [Span(start=match.start(), end=body.end)]}
    return {"shortcomings": [body], "next_year_plan": []}


def _classify_section(text: str, paragraphs: list[Paragraph], section: Section, seen_problems: bool) -> dict[Part, list[Span]]:
    body = _body(section.span, section.heading)
    if len(text[body.start : body.end].strip()) < _MIN_BODY and section.heading is not None:
        # a heading running into its body with no mark between (text pasted without breaks):
        # the "title" is the first sentence, so its words are the body
        body = Span(start=section.heading.span.start + len(section.heading.marker), end=section.span.end)
        if body.end - body.start < _RUN_IN_BODY and not _runs_on(text, body):
            # "其他需要报告的事项：无。" answers the optional part in full; a statutory part answered
            # "无" stays absent, and the checks say so as it is (empty-part, not missing-part)
            return {"other": [section.span]} if "other" in _heading_parts(section.heading) and answered_none(text, section) else {}
    named = _heading_parts(section.heading)
    if "shortcomings" in named and "next_year_plan" in named:
        heading = section.heading
        line_body = Span(start=heading.span.start + len(heading.marker), end=section.span.end) if heading else body
        split = _split_shortcomings_and_plan(text, paragraphs, body)
        line_end = text.find("\n", line_body.start, line_body.end)
        if heading and split["next_year_plan"] and not split["shortcomings"] and line_end > heading.span.end:
            split["shortcomings"] = [Span(start=line_body.start, end=line_end)]  # run in on the heading's line
        return split if split["shortcomings"] and split["next_year_plan"] else _split_by_sentence(text, line_body)
    title = section.heading.title if section.heading else ""
    if _REASONS_HEADING.search(title) and not _MERGED_HEADING.search(title):
        return {"reasons": [section.span]} if _CAUSAL_UNDER_HEADING.search(text, body.start, body.end) else {}
    # pasted without breaks, a title may run on into its body ("2025年工作安排充实执法力量，开展…"):
    # whether it heads what was done is read from its heading words only
    run_in = RUN_IN_PART_HEADING.match(title) if re.search(r"[，。；]", title) else None
    head = run_in.group() if run_in else title
    if "next_year_plan" in named and _DONE_WORDS.search(head) and not _PLAN_ONLY_WORDS.search(head):
        named = [p for p in named if p != "next_year_plan"] or ["achievements"]
    primary = [p for p in named if p != "reasons"]
    if primary[:1] == ["first_responsible"] and "achievements" in primary:
        # "一、主要工作开展及主要负责人履职情况": what was done and how the leaders led it
        return {"achievements": [section.span], "first_responsible": [section.span]}
    if len(primary) > 1 and primary[0] == "other":
        # "2025年工作计划及其他需要报告的事项": the plan with the optional part appended to it
        return {primary[1]: [section.span], "other": [section.span]}
    if primary:
        return {primary[0]: [section.span]}
    if section.heading is not None:
        inner = _named_by_its_opening(text, body, seen_problems)
        if inner is not None:
            return {inner: [section.span]}
    if section.heading is not None and not seen_problems:
        return {"achievements": [section.span]}
    if section.heading is not None and _YEAR_TASKS.search(title) and not _DONE_WORDS.search(title):
        # after the 不足: "四、2025年法治政府建设工作要点" / "四、2025年重点任务" is the plan
        return {"next_year_plan": [section.span]}
    return {}


def _named_by_its_opening(text: str, body: Span, seen_problems: bool) -> Part | None:
    """A section under a slogan ("第三部分 砥砺前行", "三、头雁领航") says what it is in its first
    lines: a sub-heading naming a part ("（一）存在的不足"), a lead-in to its problems ("…仍存在以下
    不足："), or, after the problems, the plan's opening ("2025年，我镇将针对上述问题…")."""
    lines = [line.strip() for line in text[body.start : body.end].split("\n", _OPENING_LINES + 1)[:_OPENING_LINES + 1] if line.strip()]
    for line in lines[:_OPENING_LINES]:
        marker = LINE_START_MARKER.match(line)
        if marker and len(line) <= _MAX_SUB_HEADING and not re.search(r"[。；]", line):
            named = [p for p in ALL_PARTS if p in parts_named(line[marker.end() :]) and p in ("shortcomings", "next_year_plan")]
            if named:
                return named[0]
        if line.endswith(("：", ":")) and _PROBLEMS_LEAD_IN.search(line):
            return "shortcomings"
    if seen_problems and lines and _PLAN_PARAGRAPH.match(lines[0]):
        return "next_year_plan"
    return None


#: how many first lines of a section under a slogan are read for what it heads
_OPENING_LINES = 2
_MAX_SUB_HEADING = 30
#: "…仍存在以下不足：", "还存在一些问题和短板："
_PROBLEMS_LEAD_IN = re.compile(r"(?:存在|还有|仍有)[^。；]{0,8}(?:不足|问题|短板|差距)")


#: a causes sub-heading opening its paragraph, its causes run in after it: "（二）原因分析。一是…",
#: "原因分析：一是…", "（二）存在问题的原因：…", "（二）产生问题的原因。…"
_RUN_IN_CAUSES = re.compile(r"(?:[（(][一二三四五六七八九十\d]{1,2}[）)]|[一二三四五六七八九十]{1,2}、|\d{1,2}[.．、])?\s*(?:产生)?(?:(?:存在)?(?:问题|不足)的?)?(?:产生的)?原因(?:分析|剖析|查摆)?[。：:]")


def _reason_segments(text: str, shortcoming_spans: list[Span], causal: re.Pattern[str]) -> list[Span]:
    """Sentences in the body of the 不足 part that actually analyse causes.

    Under a heading that promises causes ("不足和原因") any causal wording counts; under a plain
    不足 heading only a sentence naming 原因 does, since "由于…" there usually just describes the
    problem.
    """
    found: list[Span] = []
    for span in _adjacent_runs(text, shortcoming_spans):
        blocks = _cause_blocks(text, span)
        for match in _REASON_SENTENCE.finditer(text, span.start, span.end):
            if any(b.start <= match.start() < b.end for b in blocks):
                continue  # under a "（二）原因分析" sub-heading: taken whole below
            if found and match.start() < found[-1].end:
                continue  # inside a list of causes already taken whole
            sentence = _past_heading_words(match.group(0)) if match.start() == span.start else match.group(0)
            if _RUN_IN_CAUSES.match(match.group(0).strip()):
                # "（二）原因分析。一是…；二是…。": a causes sub-heading run in with its points, which
                # are causes whatever their wording, to the paragraph's end
                line_end = text.find("\n", match.end(), span.end)
                found.append(Span(start=match.start(), end=span.end if line_end == -1 else line_end))
                continue
            if causal.search(sentence) and not _is_heading_line(text, match.start()):
                end = match.end()
                if _CAUSE_LIST.search(match.group(0)) and text[end - 1] == "；":  # "究其原因：一是…；二是…。"
                    stop = SENTENCE_BREAK.search(text, end, span.end)
                    end = span.end if stop is None else stop.start() if stop.group() == "\n" else stop.end()
                found.append(Span(start=match.start(), end=end))
        found.extend(blocks)
    return sorted(found, key=lambda s: s.start)


def _adjacent_runs(text: str, spans: list[Span]) -> list[Span]:
    """Spans with nothing but blanks between them joined: a merged part split paragraph by
    paragraph ("（二）原因分析" on one line, its causes in the next paragraph) is read as one body."""
    runs: list[Span] = []
    for span in sorted(spans, key=lambda s: s.start):
        if runs and runs[-1].end <= span.start and not text[runs[-1].end : span.start].strip():
            runs[-1] = Span(start=runs[-1].start, end=max(runs[-1].end, span.end))
        else:
            runs.append(span)
    return runs


def _cause_blocks(text: str, span: Span) -> list[Span]:
    """The body under a causes sub-heading line inside the 不足 part ("（二）原因分析" over "一是
    专业人员引进难；二是投入不足"): the heading says what the lines below are, whatever their
    wording, up to the next numbered heading line or the part's end."""
    blocks = []
    for line in _CAUSE_SUBHEADING.finditer(text, span.start, span.end):
        marker = LINE_START_MARKER.match(line.group().lstrip())
        title = line.group().lstrip()[marker.end() if marker else 0 :].strip()
        if not _REASONS_HEADING.search(title) or _MERGED_HEADING.search(title) or not _is_heading_line(text, line.start()):
            continue
        start, end = line.end() + 1, span.end
        for following in re.finditer(r"^[ \t\u3000]*(?=\S)", text[start:end], re.MULTILINE):
            pos = start + following.end()
            if following.start() > 0 and LINE_START_MARKER.match(text, pos) and _is_heading_line(text, pos):
                end = text.rfind("\n", start, pos)
                break
        while start < end and text[start].isspace():
            start += 1
        if len(text[start:end].strip()) >= _MIN_BODY:
            blocks.append(Span(start=start, end=end))
    return blocks


def _past_heading_words(sentence: str) -> str:
    """The part's first sentence without its heading's words: run into the body (a paste without
    breaks: "三、存在的不足和原因全镇在…"), they promise causes but are none."""
    marker = LINE_START_MARKER.match(sentence)
    rest = sentence[marker.end() :] if marker else sentence
    words = RUN_IN_PART_HEADING.match(rest)
    return rest[words.end() :] if words else sentence


def _is_heading_line(text: str, pos: int) -> bool:
    """True when pos lies on a line that is only a heading (short, no sentence end)."""
    line_start = text.rfind("\n", 0, pos) + 1
    line_end = text.find("\n", pos)
    line = text[line_start : line_end if line_end != -1 else len(text)]
    return len(line) <= 40 and not re.search(r"[。；]", line)


def _first_responsible_segments(text: str, spans: list[Span]) -> list[Span]:
    """The 第一责任人 sentences, tried once per sentence start: every alternative of
    ``_FIRST_RESPONSIBLE`` opens and closes with ``[^。；\n]*``, so a sentence that does not match
    at its start matches nowhere inside (``finditer`` retried every position: quadratic in the
    sentence), and a match always runs to the sentence's end."""
    found = []
    for span in spans:
        for sentence in _REASON_SENTENCE.finditer(text, span.start, span.end):
            match = _FIRST_RESPONSIBLE.match(text, sentence.start(), span.end)
            if match and not _is_heading_line(text, match.start()):
                found.append(Span(start=match.start(), end=match.end()))
    return found


def _opening_first_responsible(text: str, sections: list[Section]) -> list[Span]:
    """The 第一责任人 written in the opening, before the first part ("镇党委书记、镇长认真履行推进
    法治建设第一责任人职责，全年主持召开专题会议4次…。"): prose sentences only, closed by 。 or
    ；, so a title that names the 第一责任人 ("…暨党政主要负责人履行推进法治建设第一责任人职责
    情况的报告") is not taken for the content."""
    opening = []
    for section in sections:
        if section.parts:
            break
        opening.append(section.span)
    return [
        span
        for span in _first_responsible_segments(text, opening)
        if text[span.end : span.end + 1] in ("。", "；") and not _FRAMING_SENTENCE.search(text, span.start, span.end)
    ]


#: the opening's framing of the report, which may list every part's topic ("现将…主要举措和成效、
#: 党政主要负责人履行…第一责任人职责情况、存在的不足…报告如下"): it names the parts, it is none of them
_FRAMING_SENTENCE = re.compile(r"(?:报告|汇报|总结)如下|现将")


def _unheaded_achievements(text: str, sections: list[Section]) -> list[Span]:
    """The work written before the first part heading when no heading names it (its headings lost
    their numbers, or never had any): text that long before the 不足 is what was done."""
    found = []
    for section in sections:
        if section.parts:
            break
        if len(re.sub(r"\s", "", text[section.span.start : section.span.end])) >= _UNHEADED_ACHIEVEMENTS:
            found.append(section.span)
    return found if any(s.parts for s in sections) else []


#: a sentence of the body, its closing mark included
_BODY_SENTENCE = re.compile(r"[^。！？\n]+[。！？]")
#: a paragraph that turns to the 不足 ("同时也要看到，我镇…还存在一些不足：一是…")
_SHORTCOMING_OPENING = re.compile(r"[^。；\n]{0,40}(?:存在(?:的|着)?(?:一些|以下|不少|若干)?(?:主要)?(?:不足|问题|短板|薄弱环节)|不足之处|问题和不足)")
#: a paragraph that opens next year's plan ("2025年，我镇将…", "下一步，…")
_PLAN_OPENING = re.compile(rf"(?:下一步|下一年度?|今后|明年|{_PLAN_YEAR})[，,]?[^。；\n]{{0,12}}将")


def _headless_parts(text: str, paragraphs: list[Paragraph]) -> dict[str, list[Span]]:
    """A report written as paragraphs alone, with no heading at all: what was done, then the
    第一责任人 paragraph, "还存在一些不足…究其原因…", "2025年，我镇将…". Read sentence by sentence
    (pasted without breaks it is one line), and only when both the 不足 and the plan open a
    sentence of their own, in that order, after some work: an article is no such report."""
    units = [
        Span(start=m.start(), end=m.end())
        for p in paragraphs
        if "。" in p.text
        for m in _BODY_SENTENCE.finditer(text, p.span.start, p.span.end)
    ]
    problems = next((i for i, u in enumerate(units) if _SHORTCOMING_OPENING.match(text, u.start, u.end)), None)
    if not problems:  # none, or the very first sentence: no work written before it
        return {}
    plan = next((i for i in range(problems + 1, len(units)) if _PLAN_OPENING.match(text, units[i].start, units[i].end)), None)
    if plan is None:
        return {}
    done = [Span(start=units[0].start, end=units[problems - 1].end)]
    shortcomings = [Span(start=units[problems].start, end=units[plan - 1].end)]
    return {
        "achievements": done,
        "first_responsible": _first_responsible_segments(text, done),
        "shortcomings": shortcomings,
        "reasons": _reason_segments(text, shortcomings, _NAMED_CAUSE),
        "next_year_plan": [Span(start=units[plan].start, end=units[-1].end)],
    }


def assign_parts(text: str, paragraphs: list[Paragraph], sections: list[Section]) -> tuple[list[Section], dict[str, list[Span]]]:
    """Decide which parts each section fills; return the sections with parts and the part map."""
    parts: dict[str, list[Span]] = {part: [] for part in ALL_PARTS}
    classified: list[Section] = []
    seen_problems = False
    for section in sections:
        found = _classify_section(text, paragraphs, section, seen_problems)
        seen_problems = seen_problems or any(p in found for p in ("shortcomings", "next_year_plan"))
        for part, spans in found.items():
            parts[part].extend(spans)
        promises_causes = bool(section.heading and "原因" in section.heading.title) or bool(
            _CAUSE_SUBHEADING.search(text, section.span.start, section.span.end)
        )
        parts["reasons"].extend(_reason_segments(text, found.get("shortcomings", []), _CAUSAL if promises_causes else _NAMED_CAUSE))
        classified.append(section.model_copy(update={"parts": list(found)}))
    if not parts["next_year_plan"]:
        _plan_closing_the_problems(text, paragraphs, classified, parts)
    if not parts["shortcomings"] and parts["achievements"]:
        _problems_admitted_in_the_achievements(text, parts)
    if not any(section.heading for section in sections):
        parts.update(_headless_parts(text, paragraphs))
    if not parts["achievements"]:
        parts["achievements"] = _unheaded_achievements(text, classified)
    if not parts["first_responsible"]:
        unclassified = [section.span for section in classified if section.heading is not None and not section.parts]
        parts["first_responsible"] = (
            _first_responsible_segments(text, parts["achievements"])
            or _first_responsible_segments(text, unclassified)  # under a heading that says it otherwise
            or _opening_first_responsible(text, classified)
        )
    for segments in parts.values():
        segments.sort(key=lambda s: s.start)
    return classified, parts


def _plan_closing_the_problems(text: str, paragraphs: list[Paragraph], classified: list[Section], parts: dict[str, list[Span]]) -> None:
    """A report with no plan part whose last 不足 section (headed "三、存在的问题" alone) closes on
    "下一步，我镇将…" / "针对上述问题，2025年我乡将…": the plan is that paragraph and what follows.
    Else it would be a false 高 missing-part and its measures read as 不足."""
    index = next((i for i in reversed(range(len(classified))) if "shortcomings" in classified[i].parts), None)
    if index is None or classified[index].span not in parts["shortcomings"]:
        return
    section = classified[index]
    split = _split_shortcomings_and_plan(text, paragraphs, _body(section.span, section.heading))
    if not (split["shortcomings"] and split["next_year_plan"]):
        return
    plan_start = split["next_year_plan"][0].start
    kept = Span(start=section.span.start, end=split["shortcomings"][-1].end)
    parts["shortcomings"] = [kept if span == section.span else span for span in parts["shortcomings"]]
    parts["reasons"] = [span for span in parts["reasons"] if not section.span.start <= span.start < section.span.end or span.start < plan_start]
    parts["next_year_plan"] = split["next_year_plan"]
    classified[index] = section.model_copy(update={"parts": [*section.parts, "next_year_plan"]})


#: a sentence of the 成效 that turns to what is lacking: "但也存在学法形式偏重集中听讲…的问题",
#: "但仍存在…", "同时也要看到，…还存在…" (the 不足 written point by point under each 成效)
_ADMITTED_PROBLEM = re.compile(r"(?:但|然而|不过|同时)[，,]?(?:[^。；！？\n]{0,10}?)(?:也|仍|还|依然|尚)(?:存在|有|不够|不足|欠缺)[^。；！？\n]{1,}")
_SENTENCE_OF = re.compile(r"[^。！？\n]+[。！？]?")


def _problems_admitted_in_the_achievements(text: str, parts: dict[str, list[Span]]) -> None:
    """A report with no 不足 part that admits a problem after each 成效 ("……。但也存在…的问题。")
    and gives their causes in a closing sentence ("产生上述问题的原因主要是…"): those sentences are
    its 不足 and its 原因, not a missing part (a false 高)."""
    admitted, causes = [], []
    for span in parts["achievements"]:
        for sentence in _SENTENCE_OF.finditer(text, span.start, span.end):
            if _ADMITTED_PROBLEM.match(sentence.group()):
                admitted.append(Span(start=sentence.start(), end=sentence.end()))
            elif _NAMED_CAUSE.search(sentence.group()) and _SHORTCOMING_WORDS.search(sentence.group()):
                causes.append(Span(start=sentence.start(), end=sentence.end()))
    if admitted:
        parts["shortcomings"] = admitted
        parts["reasons"] = sorted(parts["reasons"] + [c for c in causes if c.start > admitted[0].start], key=lambda s: s.start)


def is_shortcoming_text(text: str) -> bool:
    return bool(_SHORTCOMING_WORDS.search(text))
