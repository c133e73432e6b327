"""Clean what file conversions leave behind, keeping a map from every clean character back to
the original so evidence offsets always point into the original text.

Each cleanup is a regex substitution applied to (text, offsets) together: a replacement of the
same length maps character by character, a shorter or longer one maps every produced character
to the start of what it replaced, and a deletion leaves no trace in the clean text.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Callable
from functools import lru_cache

from fazhi_review.chrome import is_chrome_line
from fazhi_review.models import Document, NormalizedText
from fazhi_review.script import to_simplified
from fazhi_review.text import CJK, DATE, DATE_UNNAMED, LINE_START_MARKER, RUN_IN_PART_HEADING, SENTENCE_END, YEAR_CELL

Replacement = str | Callable[[re.Match[str], str], str]

_FULLWIDTH = str.maketrans("０１２３４５６７８９％．", "0123456789%.")
_FULLWIDTH_CHARS = re.compile("[０-９％．]")
_BLANK = " \t\u3000\xa0"
_JOINABLE = rf"[{CJK}\d“《（(%％、，。；：！？）)”.]"  # a line never opens on a closing mark: the break is a wrap
#: a line this short is a title or signature fragment, never half of a broken sentence
_MIN_BROKEN_LINE = 16
#: a numbered line shorter than this with no closing punctuation is a heading, not a broken line
_MAX_HEADING_LINE = 50
#: a short numbered line is a heading, unless a sentence already ended in it and its next one
#: breaks off mid-word ("（一）存在问题。一是…；二是个别村“两" | "委”干部…": a PDF's wrap)
_RUN_IN_WRAPPED = re.compile(rf"[。；][^。；]*[{CJK}\d“.、，]$")
_TITLE_END = re.compile(r"(报告|汇报|总结|文件|通知|意见)$")
#: a line with no punctuation ending in a full date is a 落款 ("东港镇人民政府　2025年2月27日"),
#: never half a sentence (a PDF line "…于2024年3月15日" inside a sentence still joins)
_ENDS_WITH_DATE = re.compile(rf"(?:{DATE.pattern})[\s）)]*$")


def _substitute(text: str, offsets: list[int], pattern: re.Pattern[str], repl: Replacement) -> tuple[str, list[int]]:
    if pattern.search(text) is None:  # nothing to clean: no copy of a million-entry map
        return text, offsets
    # a replacement equal to what it replaces maps character by character: it changes nothing,
    # and most matches of a judging replacement (chrome lines, line breaks) are kept as they are
    edits = [
        (match.start(), match.end(), piece)
        for match in pattern.finditer(text)
        if (piece := repl if isinstance(repl, str) else repl(match, text)) != match.group()
    ]
    if not edits:
        return text, offsets
    out: list[str] = []
    out_offsets: list[int] = []
    last = 0
    for start, end, piece in edits:
        out.append(text[last:start])
        out_offsets.extend(offsets[last:start])
        if len(piece) == end - start:
            out_offsets.extend(offsets[start:end])
        else:
            out_offsets.extend([offsets[start]] * len(piece))
        out.append(piece)
        last = end
    out.append(text[last:])
    out_offsets.extend(offsets[last:])
    return "".join(out), out_offsets


#: an unnumbered heading line ("上一年度推进法治政府建设的主要举措和成效"): short, unpunctuated,
#: ending the way part headings end — a line break after it is real
_BARE_HEADING_END = re.compile(r"(?:情况|成效|原因|安排|计划|打算|思路|问题|不足|短板|举措|措施|做法)$")
_MAX_BARE_HEADING = 26


def _is_bare_heading(line: str) -> bool:
    return len(line) <= _MAX_BARE_HEADING and not re.search(r"[，。；：,;:]", line) and bool(_BARE_HEADING_END.search(line))  # "不足、原因及…打算"


def _join_broken_line(match: re.Match[str], text: str) -> str:
    """Drop a line break that falls inside a sentence (PDF line or page break)."""
    line_start = text.rfind("\n", 0, match.start()) + 1
    previous = text[line_start : match.start()]
    following = text[match.end() : match.end() + 8]
    if (
        len(previous) >= _MIN_BROKEN_LINE
        and previous[-1] not in SENTENCE_END
        and not ((LINE_START_MARKER.match(previous) or re.match(_PART_MARKER, previous)) and len(previous) < _MAX_HEADING_LINE and not _RUN_IN_WRAPPED.search(previous))
        and not _TITLE_END.search(previous)
        and not _is_bare_heading(previous)
        and "\t" not in previous  # a table row (cells kept apart by a tab) is a line of its own
        and "\t" not in text[match.end() : text.find("\n", match.end())]
        and not (_ENDS_WITH_DATE.search(previous) and not re.search(r"[，。；：,;:]", previous))
        and re.match(_JOINABLE, following)
        and not LINE_START_MARKER.match(following)
    ):
        return ""
    return "\n"


#: a line of closing marks only: what a PDF wrapped off a sentence's end ("…掌握不够及时" | "。")
_WRAPPED_MARKS = re.compile(r"[。；！？，、）)”]+")


def _drop_chrome_line(match: re.Match[str], text: str) -> str:
    """A portal's breadcrumb, buttons, catalogue block or footer pasted with the report, the
    other articles' titles listed under its 相关链接, and a Word 目录 (``_is_contents_line``)."""
    line = match.group(0).strip(_BLANK)
    if is_chrome_line(line) and not _WRAPPED_MARKS.fullmatch(line):
        return ""
    if _is_contents_line(line, text, match.start()):
        return ""
    return "" if _is_link_title(line) and _under_link_list(text, match.start()) else match.group(0)


#: a 目录's title line
_CONTENTS_TITLE = re.compile(rf"目[{_BLANK}]*录")
#: a 目录 entry: a title, dot leaders and a page number ("一、主要举措和成效……………1")
_CONTENTS_ENTRY = re.compile(rf"[^\n]{{2,80}}?(?:(?:[…⋯][{_BLANK}]*){{2,}}|(?:[.·．•_\-][{_BLANK}]*){{4,}})\d{{1,3}}")
#: a Word 目录 entry as its text comes out of the .docx (the leader is a tab stop): "一、…\t1"
_CONTENTS_TAB_ENTRY = re.compile(rf"[^\n\t]{{2,80}}\t[{_BLANK}]*\d{{1,3}}")
#: how far above a tab-led entry the 目录 title may stand
_CONTENTS_REACH = 600


def _is_contents_line(line: str, text: str, at: int) -> bool:
    """A table of contents a report exported from Word keeps at its top: its headings would
    otherwise be read as the report's parts (with the opening paragraph as one's content) and as
    text repeated from the body. Dot-led entries are unmistakable; a tab-led one counts only
    below a 目录 title (a two-cell table row "行政处罚案件\t38" is not one)."""
    if not line[-1:].isdigit():  # an entry ends with its page number: most lines stop here
        return "目" in line and bool(_CONTENTS_TITLE.fullmatch(line))
    if _CONTENTS_ENTRY.fullmatch(line):
        return True
    if "\t" not in line or not _CONTENTS_TAB_ENTRY.fullmatch(line):
        return False
    window = text[max(0, at - _CONTENTS_REACH) : at]
    return any(_CONTENTS_TITLE.fullmatch(above.strip(_BLANK)) for above in window.split("\n"))


#: the heading of a portal's list of other articles (an attachment list is the report's own)
_LINK_LIST_HEADER = re.compile(r"[【\[]?(?:相关链接|相关新闻|相关阅读|相关文章|相关信息|相关稿件|热点新闻|推荐阅读|友情链接)[】\]]?\s*[：:]?")
_MAX_LINK_TITLE = 40
_MAX_LINKS = 10


def _is_link_title(line: str) -> bool:
    return 0 < len(line) <= _MAX_LINK_TITLE and not re.search(r"[。；，]", line)


def _under_link_list(text: str, line_start: int) -> bool:
    """Only link titles between this line and a 相关链接 heading just above it."""
    for _ in range(_MAX_LINKS):
        if line_start == 0:
            return False
        previous_start = text.rfind("\n", 0, line_start - 1) + 1
        previous = text[previous_start : line_start - 1].strip(_BLANK)
        if _LINK_LIST_HEADER.fullmatch(previous):
            return True
        if not _is_link_title(previous):
            return False
        line_start = previous_start
    return False


# ---------------------------------------------------------------- a PDF's running heads and page numbers

#: a page number as printed: "— 2 —" (GB/T 9704), "-2-", "第2页", "第2页 共5页", "2/5"
_DECORATED_PAGE_NUMBER = re.compile(
    r"[-—–－─_~·\s]*(?:第\s*\d{1,4}\s*页(?:\s*[，,/]?\s*共\s*\d{1,4}\s*页)?|\d{1,4}\s*/\s*\d{1,4})[-—–－─_~·\s]*"
    r"|[-—–－─_~·]+\s*\d{1,4}\s*[-—–－─_~·]+"
)
#: a running head is a short line with no sentence in it (an office's name, the report's title)
_MAX_RUNNING_HEAD = 40
_PAGE_LINE = re.compile(r"[^\n\f]+")
_DIGITS = re.compile(r"\d+")


def _is_page_number(line: str, page: int) -> bool:
    """A decorated number anywhere, a bare one only when it is this page's own number."""
    return bool(_DECORATED_PAGE_NUMBER.fullmatch(line)) or line == str(page)


def _page_lines(page: str, start: int) -> list[tuple[int, str]]:
    """(start, stripped line) of the page's non-blank lines."""
    lines = [(start + m.start(), m.group().strip(_BLANK)) for m in _PAGE_LINE.finditer(page)]
    return [line for line in lines if line[1]]


def _page_furniture(text: str) -> set[int]:
    """Starts of the lines a PDF printed on every page around the body: page numbers at a page's
    edge, and a running head (up to ``_HEAD_LINES`` lines: "龙泉镇人民政府" over "法治政府建设年度报告")
    or foot that is the top (or the bottom) of two pages or more.

    Printed between one page's last line and the next page's first, they cut a sentence (and
    an indicator or a measure with it) in two. On the first page the running head stands above
    the title and goes too, unless it is the title itself (nothing naming a 报告 would be left).
    """
    pages: list[list[tuple[int, str]]] = []
    start = 0
    for page in text.split("\f"):
        pages.append(_page_lines(page, start))
        start += len(page) + 1
    furniture: set[int] = set()
    for number, lines in enumerate(pages, start=1):
        edge_lines = lines[:2] + lines[2:][-2:]
        furniture.update(at for at, content in edge_lines if _is_page_number(content, number))
    for _depth in range(_HEAD_LINES):
        bodies = [[entry for entry in lines if entry[0] not in furniture] for lines in pages]
        found = _repeated(bodies, top=True) | _repeated(bodies, top=False)
        if not found:
            break
        furniture |= found
    first_page = [entry for entry in pages[0] if entry[0] not in furniture][:_HEAD_LINES]
    title_left = any(_TITLE_LINE.fullmatch(content) for _at, content in first_page)
    for at, content in pages[0][: _HEAD_LINES + 1]:
        # the running head repeats the title: on the first page it is the title; and a 公文's
        # 版头 ("东湖街道办事处文件") is the first page's letterhead, a running head only after it
        if at in furniture and not _is_page_number(content, 1) and (not title_left or _LETTERHEAD.fullmatch(content)):
            furniture.discard(at)
    return furniture


#: a running head has at most this many lines
_HEAD_LINES = 3
_LETTERHEAD = re.compile(r"[^。，；：:,;]{2,30}文件")
#: a line that can be a report's title: short, no sentence in it, naming a 报告 ("现将有关情况报告如下：" is none)
_TITLE_LINE = re.compile(r"[^。，；：:,;]{0,60}(?:报告|汇报|总结)[^。，；：:,;]{0,20}")


def _repeated(bodies: list[list[tuple[int, str]]], top: bool) -> set[int]:
    """The top (or bottom) body lines that two pages or more print alike (digits aside:
    "青山镇人民政府办公室　第2页" is the same footer on every page)."""
    edges = [(body[0] if top else body[-1]) if len(body) > (0 if top else 1) else None for body in bodies]
    counts = Counter(_DIGITS.sub("#", content) for _at, content in filter(None, edges))
    return {
        at
        for at, content in filter(None, edges)
        if counts[_DIGITS.sub("#", content)] >= 2 and len(content) <= _MAX_RUNNING_HEAD and not re.search("[。；]", content)
    }


#: a PDF that places every character on its own (a text object per glyph) reads as one character a
#: line: when most of a long text's lines hold one character, they are joined (its layout is lost,
#: as in a paste without line breaks, which the run-on reader then breaks at its headings)
_CHARACTER_LINE_BREAK = re.compile(r"(?<=^[^\n])\n(?=[^\n](?:\n|$))", re.MULTILINE)
_MIN_CHARACTER_LINES = 200
_CHARACTER_LINE_SHARE = 0.8


def _join_character_lines(text: str, offsets: list[int]) -> tuple[str, list[int]]:
    if text.count("\n") < _MIN_CHARACTER_LINES:  # most reports: no need to look at their lines
        return text, offsets
    lines = [line for line in text.split("\n") if line.strip()]
    single = sum(1 for line in lines if len(line.strip()) == 1)
    if len(lines) < _MIN_CHARACTER_LINES or single < _CHARACTER_LINE_SHARE * len(lines):
        return text, offsets
    return _substitute(text, offsets, _CHARACTER_LINE_BREAK, lambda _match, _text: "")


def _drop_page_furniture(text: str, offsets: list[int]) -> tuple[str, list[int]]:
    if "\f" not in text:
        return text, offsets
    starts = _page_furniture(text)
    return _substitute(text, offsets, _PAGE_LINE, lambda match, _text: "" if match.start() in starts else match.group())


# ---------------------------------------------------------------- text pasted without line breaks

#: a text averaging more characters a line than this was pasted without its paragraph breaks
_RUN_ON_AVERAGE = 250
#: only lines at least this long get virtual breaks
_RUN_ON_LINE = 200
#: "第一部分 …": a report divided into parts above its 一、 headings
_PART_MARKER = r"第[一二三四五六七八九十]{1,2}部分"
_HEADING_AHEAD = (
    rf"(?=[一二三四五六七八九十]{{1,2}}、[{_BLANK}]*(?![一二三四五六七八九十]、)[{CJK}\d]|\d{{1,2}}[.．、](?:(?!\d)[{_BLANK}]*[{CJK}]|20\d{{2}}年)|[（(]\d{{1,2}}[）)][{CJK}]"
    rf"|{_PART_MARKER})"
)
_RUN_ON_MARKER = re.compile(
    rf"(?<=[。！？；：!?;:”」])[{_BLANK}]*{_HEADING_AHEAD}|[{_BLANK}]+{_HEADING_AHEAD}"
    rf"|(?<![第条款项{_BLANK}])[{_BLANK}]*(?=[（(][一二三四五六七八九十]{{1,2}}[）)][{_BLANK}]*(?:[{CJK}]|20\d{{2}}年))"
)
#: the title runs into the body: a break after its closing word, within the line's first 70 characters
_RUN_ON_TITLE = re.compile(rf"(?<=报告|汇报|总结)[{_BLANK}]*(?=[{CJK}“\d])")
_TITLE_MAX = 70
_SEAL = r"(?:[（(]盖章[）)])?"
_RUN_ON_SIGNATURE = re.compile(
    rf"(?<=[。！？])[{_BLANK}]*(?=(?:[{CJK}][{CJK}{_BLANK}]{{1,30}}(?:人民政府|委员会|办事处|党委|[镇乡]|街道|局){_SEAL}[{_BLANK}]*)?{DATE_UNNAMED}[{_BLANK}]*$"
    rf"|{DATE_UNNAMED}[{_BLANK}]*[{CJK}{_BLANK}]{{2,40}}?(?:人民政府|委员会|办事处|党委|党工委|局){_SEAL}[{_BLANK}]*$)"
    rf"|(?:(?<=人民政府)|(?<=委员会|办事处)|(?<=盖章）))[{_BLANK}]*(?=(?:{DATE_UNNAMED})[{_BLANK}]*$)",
    re.MULTILINE,
)


def _is_run_on(text: str) -> bool:
    return len(text) / (text.count("\n") + 1) > _RUN_ON_AVERAGE


def _is_mostly_one_line(text: str) -> bool:
    """After a PDF's wraps are joined: one line holds most of the text (a few short lines of a
    portal's catalogue above it keep the average down)."""
    longest = max(map(len, text.split("\n")), default=0)
    return longest >= _RUN_ON_LINE and 2 * longest >= len(text)


#: in a run-on paste the portal's chrome is inline: break before each chrome field, after each button
_RUN_ON_CHROME = re.compile(
    rf"[{_BLANK}]*(?=【\s*(?:打印|关闭|字体|字号)|分享到|主办单位|承办单位|技术支持|版权所有|网站标识码|索\s*引\s*号"
    r"|发布机构|成文日期|发布日期|主题分类|文\s*号\s*[：:]|名\s*称\s*[：:])"
    r"|(?:(?<=小】)|(?<=本页】|窗口】))"
    rf"|(?<=日)[{_BLANK}]*(?=[（(]此件|附件|抄送[：:]|[（(]?联系人)"
)
#: the first run-in point straight after a heading's words ("三、存在的不足和原因一是…", "…原因1.…",
#: "四、2025年工作安排第一，…", "…安排①…")
_RUN_ON_FIRST_POINT = rf"(?<=[{CJK}】])[{_BLANK}]*(?=(?:一是|第一[，,、]|①|1[.．、](?!\d)[{_BLANK}]*)[{CJK}])"
_HEADING_BEFORE = re.compile(
    rf"(?:[一二三四五六七八九十]、|[（(][一二三四五六七八九十]{{1,2}}[）)]|{_PART_MARKER})[^。；，：！？]{{2,28}}$|(?<=[。！？：])[{_BLANK}]*(?:{RUN_IN_PART_HEADING.pattern})$"
    r"|【[^】。；，]{2,28}】$"  # "【2025年工作安排】一是…": a heading set in brackets
)
_RUN_ON = re.compile(
    f"(?P<title>{_RUN_ON_TITLE.pattern})|(?P<sig>{_RUN_ON_SIGNATURE.pattern})|(?P<point>{_RUN_ON_FIRST_POINT})|{_RUN_ON_MARKER.pattern}"
    f"|(?<=[。！？：])[{_BLANK}]*(?={RUN_IN_PART_HEADING.pattern})",  # an unnumbered part heading: structure judges it
    re.MULTILINE,
)


def _break_run_on(text: str, offsets: list[int], joined: bool = False) -> tuple[str, list[int]]:
    """Headings, title and 落款 of a text with no paragraph breaks get a virtual line break each.

    A blank before a heading becomes the break (same length, mapped per character); with no
    blank, a zero-width break is inserted and maps to the character after it, so every clean
    span still maps back to the original characters it came from. One pass, so every decision
    sees the lines as pasted. ``joined``: the second call, after a PDF's wraps were joined, when
    one line now holds most of the text.
    """
    if not (_is_run_on(text) or (joined and _is_mostly_one_line(text))):
        return text, offsets
    text, offsets = _substitute(text, offsets, _RUN_ON_CHROME, _virtual_break)
    return _substitute(text, offsets, _RUN_ON, _virtual_break)


def _virtual_break(match: re.Match[str], text: str) -> str:
    line_start = text.rfind("\n", 0, match.start()) + 1
    line_end = text.find("\n", match.end())
    long_line = (line_end if line_end != -1 else len(text)) - line_start >= _RUN_ON_LINE
    if not long_line or match.start() == line_start:
        return match.group(0)
    if match.re is _RUN_ON and match.group("point") is not None and not _HEADING_BEFORE.search(text, max(match.start() - 30, 0), match.start()):
        return match.group(0)
    if match.re is _RUN_ON and match.group("title") is not None:
        head = text[line_start : match.start()]
        if len(head) > _TITLE_MAX or re.search(r"[。；，：]", head):
            return match.group(0)
    return "\n" + match.group(0)[1:]


#: a gap between two cells of a table pasted as text: a tab, or two blanks or more
_CELL_GAP = re.compile(rf"\t[{_BLANK}]*|[ \u3000\xa0]{{2,}}[{_BLANK}]*")
#: a line with this many cell gaps is a table row (a 落款 "中共…委员会　　…人民政府" has one)
_MIN_CELL_GAPS = 2
_WORD_CELL = re.compile(rf"[{CJK}]{{2}}")
_MAX_CELL = 40


def _drop_blank(match: re.Match[str], text: str) -> str:
    """A blank between two characters is a PDF's letter spacing, dropped; in a table row pasted
    as text a cell gap stays, as one tab, so that its cells do not run together into one number
    ("64  52  增长23.1%" is not "645223.1%")."""
    if not _CELL_GAP.fullmatch(match.group()):
        return ""
    line_start = text.rfind("\n", 0, match.start()) + 1
    line_end = text.find("\n", match.end())
    line = text[line_start : line_end if line_end != -1 else len(text)]
    cells = _CELL_GAP.split(line.strip(_BLANK))
    if len(cells) == _MIN_CELL_GAPS and _is_form_row(*cells):
        return "\n"
    if all(YEAR_CELL.fullmatch(cell) for cell in cells):  # "2023年\t2024年" under a merged "数值"
        return "\t"
    if "\t" in match.group() and _under_column_headers(text, line_start):
        return "\t"  # a table of text ("问题 | 整改措施"): its cells are sentences, kept apart
    # a blank date "2024年  月  日" is no row: a table names what it counts in words; paragraphs
    # pasted into one line ("…75件。　　镇党委书记…") are none either: a cell holds no sentence
    is_row = len(cells) > _MIN_CELL_GAPS and any(_WORD_CELL.search(cell) for cell in cells)
    if len(cells) == _MIN_CELL_GAPS:
        is_row = _in_two_column_table(text, line_start)
    return "\t" if is_row and max(map(len, cells)) <= _MAX_CELL and "。" not in line else ""


#: a word naming a table's column ("问题", "整改措施", "责任单位", "完成时限", "序号")
_COLUMN_WORD = re.compile(r"问题|不足|措施|举措|任务|内容|单位|时限|时间|节点|序号|类别|类型|事项|指标|项目|名称|备注|情况|成效|原因|责任|牵头|部门|数量|数值|对象|方式|依据")
_MAX_COLUMN_HEADER = 8


def _under_column_headers(text: str, line_start: int) -> bool:
    """The line is a row of a table (rows kept apart by tabs, as Word and web tables are read)
    whose first row names its columns, every cell a column's name: "问题\t整改措施" over rows of
    sentences. Each row's answer is remembered for the rows below it, so a long table is read in
    one pass, not once per row."""
    known = _table_rows_seen(text)
    visited = []
    start = line_start
    while start not in known:
        visited.append(start)
        previous = text.rfind("\n", 0, start - 1) + 1 if start > 0 else 0
        if start == 0 or "\t" not in text[previous : start - 1]:
            known[start] = _names_columns(text, start)
            break
        start = previous
    for row in visited:
        known[row] = known[start]
    return known[line_start]


@lru_cache(maxsize=2)
def _table_rows_seen(text: str) -> dict[int, bool]:
    """Per text (its hash is cached on the string): line start → the answer for its table."""
    return {}


def _names_columns(text: str, start: int) -> bool:
    end = text.find("\n", start)
    header = [cell.strip(_BLANK) for cell in text[start : end if end != -1 else len(text)].split("\t")]
    return (
        len(header) >= _MIN_CELL_GAPS
        and all(2 <= len(cell) <= _MAX_COLUMN_HEADER and not re.search(r"[\d。，；：、）)]", cell) for cell in header)
        and all(_COLUMN_WORD.search(cell) for cell in header)  # "报告单位 | 杉木乡人民政府" is a form's row
    )


#: a form's date row: "报告日期\t2025年2月12日"
_DATE_LABEL = re.compile(r"(?:报告|填报|报送|成文|落款|签发)日期")


def _is_form_row(label: str, content: str) -> bool:
    """A row of a report written into a form (a two-column Word table): a part's name in the left
    cell, its text in the right ("存在的不足\t一是…"), or the date row. The label becomes a line
    of its own, as a heading over its body, instead of running into it."""
    if _DATE_LABEL.fullmatch(label):
        return DATE.fullmatch(content) is not None
    return len(content) > _MAX_CELL and RUN_IN_PART_HEADING.fullmatch(label) is not None


#: a row of a two-column table: a name in words, one cell gap, a short cell ("行政处罚案件（件）\t38")
_TWO_CELL_ROW = re.compile(rf"[{_BLANK}]*(?P<name>[^\t\n]*?[{CJK}]{{2}}[^\t\n]*?)(?:\t[{_BLANK}]*|[ \u3000\xa0]{{2,}}[{_BLANK}]*)(?P<cell>[^\s]{{1,16}})[{_BLANK}]*")
#: a two-column table has this many such rows in a run, at least two of them with a figure: one
#: line with a gap is a 落款 ("中共…委员会　　…人民政府") or a contact line, never a table
_MIN_TWO_CELL_ROWS = 3
_MIN_TWO_CELL_FIGURES = 2


def _in_two_column_table(text: str, line_start: int) -> bool:
    """The line is one of a run of two-cell rows, as a two-column table pasted as text (or read
    from a Word or web table) gives them: looked at two rows up and two rows down."""
    cells = _two_cell_run(text, line_start)
    return len(cells) >= _MIN_TWO_CELL_ROWS and sum(1 for cell in cells if any(c.isdigit() for c in cell)) >= _MIN_TWO_CELL_FIGURES


def _second_cell(text: str, start: int) -> str | None:
    end = text.find("\n", start)
    found = _TWO_CELL_ROW.fullmatch(text, start, end if end != -1 else len(text))
    return found.group("cell") if found else None


def _two_cell_run(text: str, line_start: int) -> list[str]:
    own = _second_cell(text, line_start)
    if own is None:
        return []
    cells = [own]
    at = line_start
    for _ in range(2):  # rows above
        if at == 0 or (cell := _second_cell(text, at := text.rfind("\n", 0, at - 1) + 1)) is None:
            break
        cells.append(cell)
    at = line_start
    for _ in range(2):  # rows below
        at = text.find("\n", at) + 1
        if at == 0 or (cell := _second_cell(text, at)) is None:
            break
        cells.append(cell)
    return cells


#: between two of these, a blank is an artefact (a PDF's letter spacing), not a word gap
_TIGHT = rf"[{CJK}\d%，。；：、“”（）]"
_SIGNED = r"[+\-－−]\d"
#: a line break that may fall inside a sentence: after a character that ends no sentence, before
#: one a sentence goes on with (``_join_broken_line`` judges the rest; other breaks stay)
_INNER_BREAK = rf"\n(?<=[^\n{re.escape(SENTENCE_END)}]\n)(?={_JOINABLE})"

# (pattern, replacement) in the order they run. A pattern that starts with what it consumes (a
# blank, a line break) rather than a look-behind lets the regex engine skip ahead to that
# character instead of trying every position: "[B](?<=X[B])" is "(?<=X)[B]", 4× faster.
_CLEANUPS: list[tuple[re.Pattern[str], Replacement]] = [
    # invisible marks, and the emoji a WeChat article decorates its headings and figures with
    # ("🔷 二、…", "12.6万次🔥"; the blank after one at a line's start goes with the line-start blanks)
    (re.compile("[\ufeff\u200b\u200c\u200d\u2060\U0001F000-\U0001FAFF\u2600-\u2775\u2794-\u27bf\ufe0f]"), ""),  # ❶…➓ (U+2776–2793) are list marks
    (re.compile(r"\r\n?|\f"), "\n"),  # a PDF's page break ("\f") is a line break
    (re.compile(r"\[bookmark:[^\]\n]*\]"), ""),
    (re.compile(r"\*\*"), ""),
    (re.compile(r"#(?<=^#)#{0,5}[ \t]+", re.MULTILINE), ""),  # a Markdown heading's hashes
    (re.compile(r"^[^\n]+$", re.MULTILINE), _drop_chrome_line),
    # blanks at a line's start or end
    (re.compile(rf"[{_BLANK}](?:(?<=^[{_BLANK}])[{_BLANK}]*|[{_BLANK}]*$)", re.MULTILINE), ""),
    # (a signed change "+3" / "-1" in a table's last column stands apart from the figure before it)
    (re.compile(rf"[{_BLANK}](?<={_TIGHT}[{_BLANK}])[{_BLANK}]*(?={_TIGHT}|{_SIGNED})"), _drop_blank),
    (re.compile(r"\n{2,}"), "\n"),
    (re.compile(_INNER_BREAK), _join_broken_line),
]


# ---------------------------------------------------------------- a report typed with an English keyboard's marks

#: a half-width mark with a Chinese character beside it ("52次,开展", "办公室:", "不足;")
_ASCII_MARK_BESIDE_CJK = re.compile(rf"(?<=[{CJK}])[,;:?!]|[,;:?!](?=[{CJK}])")
_FULL_WIDTH_MARKS = re.compile("[，；：？！]")
#: a report with fewer such marks than this is not judged (a title, a stub)
_MIN_ASCII_MARKS = 3
_TO_FULL_WIDTH = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！"}
_ASCII_MARKS = re.compile(
    # a mark beside a Chinese character, not between two digits ("1,200", "10:30")
    _ASCII_MARK_BESIDE_CJK.pattern +
    # a full stop ending a Chinese sentence: after a Chinese word (not a numeral heading "一."
    # at a line's start), before the next sentence, a blank or the line's end
    rf"|(?<=[{CJK}%）”])\.(?=[{CJK}“（(\s]|$)"
)
#: a bracket pair or a quote pair around Chinese words on one line ("(一)", "(县司法局)", '"放管服"')
_ASCII_PAIRS = re.compile(rf'\((?=[^()\n]{{0,40}}[{CJK}])(?P<aside>[^()\n]{{1,40}})\)|"(?=[^"\n]{{0,30}}[{CJK}])(?P<quoted>[^"\n]{{1,30}})"')
#: "一." as a heading's or a point's marker: at a line's start, after a blank or a sentence's end
_NUMERAL_HEADING_DOT = re.compile(r"(?:^|[\n \t\u3000\xa0。；：！？;:!?.])[一二三四五六七八九十]{1,3}$")


def _typed_with_ascii_marks(text: str) -> bool:
    """Most of the report's commas, semicolons and colons are half-width ones beside Chinese:
    typed on an English keyboard. A stray "," in a report of "，" is left as it is."""
    ascii_marks = sum(1 for _ in _ASCII_MARK_BESIDE_CJK.finditer(text))
    return ascii_marks >= _MIN_ASCII_MARKS and ascii_marks > len(_FULL_WIDTH_MARKS.findall(text))


def _full_width_mark(match: re.Match[str], text: str) -> str:
    mark = match.group()
    if mark == ".":
        if _NUMERAL_HEADING_DOT.search(text[max(0, match.start() - 4) : match.start()]):
            return mark  # "一.主要举措和成效": a heading's marker, which structure reads as such
        return "。"
    return _TO_FULL_WIDTH[mark]


def _full_width_pair(match: re.Match[str]) -> str:
    if match.group("aside") is not None:
        return f"（{match.group('aside')}）"
    return f"“{match.group('quoted')}”"


def _read_ascii_marks(text: str) -> str:
    """A report typed with an English keyboard's marks ("52次,开展…;", "(一)", "…投入不足.") reads
    as its full-width marks: one character for one, so offsets stay exact. Sentences, causes,
    points and indicator names are then cut where the report's author meant them to be."""
    if not _typed_with_ascii_marks(text):
        return text
    text = _ASCII_PAIRS.sub(_full_width_pair, text)
    return _ASCII_MARKS.sub(lambda match: _full_width_mark(match, text), text)


# ---------------------------------------------------------------- a PDF's wrapped numbered lines

#: a document whose indented paragraph lines run on into unindented lines this often is wrapped
#: text (a PDF's, or a paste of it): its paragraphs start indented, their wraps do not
_MIN_WRAPS = 3
_INDENT_CHARS = " \u3000"


def _indented(line: str) -> bool:
    return len(line) - len(line.lstrip(_INDENT_CHARS)) >= 2


def _goes_on(line: str) -> bool:
    """A line that carries on the one before: not indented, not a heading, opening as a wrap does."""
    return bool(line) and not _indented(line) and not LINE_START_MARKER.match(line) and bool(re.match(_JOINABLE, line)) and not _is_bare_heading(line)


def _wraps(line: str, following: str) -> bool:
    """An indented line with no closing mark whose next line goes on unindented."""
    return _indented(line) and line.rstrip()[-1:] not in SENTENCE_END and _goes_on(following)


def _numbered_wrap(line: str, following: str) -> bool:
    """An indented numbered line cut off mid-sentence by the page width ("　　（一）争取充实执法力量，
    2025年新增持证执法人员不" | "少于3名，…"): long, no closing mark, the next line going on."""
    body = line.lstrip(_INDENT_CHARS)
    return bool(LINE_START_MARKER.match(body)) and len(body) >= _MIN_BROKEN_LINE and "，" in body and _wraps(line, following)


def _join_numbered_wraps(text: str, offsets: list[int]) -> tuple[str, list[int]]:
    """A numbered line is kept apart as a heading when short (``_join_broken_line``), but in a
    wrapped document a point's first line is as long as any other: there, an indented numbered line
    whose next line goes on unindented is joined to it (the measure or 不足 is not cut at the wrap)."""
    if "\n" not in text:
        return text, offsets
    pairs = list(itertools.pairwise(text.split("\n")))
    # a plain paragraph's wraps prove the document wrapped (a paste whose headings alone are
    # indented has none); the numbered lines' own wraps add to the count
    plain = sum(1 for line, following in pairs if not LINE_START_MARKER.match(line.lstrip(_INDENT_CHARS)) and _wraps(line, following))
    if not plain or plain + sum(1 for line, following in pairs if _numbered_wrap(line, following)) < _MIN_WRAPS:
        return text, offsets

    def join(match: re.Match[str], text: str) -> str:
        line_start = text.rfind("\n", 0, match.start()) + 1
        next_end = text.find("\n", match.end())
        following = text[match.end() : next_end if next_end != -1 else len(text)]
        return "" if _numbered_wrap(text[line_start : match.start()], following) else "\n"

    return _substitute(text, offsets, re.compile("\n"), join)


def normalize_text(original: str) -> NormalizedText:
    # a regex over the few full-width characters: str.translate is slow on CJK text (5 MB: 2 s)
    text = to_simplified(_read_ascii_marks(_FULLWIDTH_CHARS.sub(lambda match: match.group().translate(_FULLWIDTH), original)))
    offsets = list(range(len(original)))
    text, offsets = _drop_page_furniture(text, offsets)
    text, offsets = _join_character_lines(text, offsets)
    for pattern, repl in _CLEANUPS[:4]:
        text, offsets = _substitute(text, offsets, pattern, repl)
    text, offsets = _join_numbered_wraps(text, offsets)
    text, offsets = _break_run_on(text, offsets)
    for pattern, repl in _CLEANUPS[4:]:
        text, offsets = _substitute(text, offsets, pattern, repl)
    # a PDF of a text with no paragraph breaks: its lines were only its wraps, joined above
    text, offsets = _break_run_on(text, offsets, joined=True)
    # a leading/trailing newline carries nothing
    while text.startswith("\n"):
        text, offsets = text[1:], offsets[1:]
    while text.endswith("\n"):
        text, offsets = text[:-1], offsets[:-1]
    # built here from checked parts: validating a million-entry offset list only costs time
    return NormalizedText.model_construct(original=original, text=text, offsets=offsets)


def normalize(document: Document) -> NormalizedText:
    return normalize_text(document.text)
