"""Saved government-portal pages (.html/.htm): the article, without the portal around it.

A saved 政府信息公开 page holds far more chrome than report: navigation, 老年模式/无障碍,
breadcrumbs, 【字体：大 中 小】, 打印/关闭/分享到, related-article and 附件 link lists. Chrome is
removed in three passes, from structural to textual: tags and ids/classes that name chrome,
blocks made mostly of links, and finally short lines made only of chrome phrases. The article
is the container with the most Chinese text outside links.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from fazhi_review.chrome import is_chrome_line
from fazhi_review.errors import InputError
from fazhi_review.ingest import mhtml
from fazhi_review.ingest.txt import decode_bytes
from fazhi_review.text import DATE

_DROP_TAGS = [
    "script", "style", "noscript", "template", "iframe", "svg", "object", "embed", "canvas",
    "nav", "aside", "input", "select", "button", "textarea", "map", "head",
]  # fmt: skip
#: dropped as tags only outside <article>/<main>, where they are the page's banner and footer
_PAGE_CHROME_TAGS = ["header", "footer"]
_CHROME_ATTR = re.compile(
    r"nav|menu|breadcrumb|crumb|footer|header|share|print|toolbar|tool-bar|sidebar|copyright"
    r"|ariaskip|aria-skip|accessib|barrier|elder|oldman|laonian|wza|search|login|fontsize"
    r"|font-size|zihao|related|xgwz|xgxx|attach|fujian|qrcode|erweima|friendlink|pagination"
    r"|(?:^|[-_\s])(?:old|older|top|foot|head|side|links?|tools?|fj|ewm|location|position|dqwz|weizhi)"
    r"(?:$|[-_\s\d])",
    re.IGNORECASE,
)
#: ids/classes portals (TRS/Hanweb/…) give the article body
_ARTICLE_ATTR = re.compile(
    r"zoom|article|content|trs_editor|trs_ueditor|custom_unionstyle|view|detail|zhengwen|wzcon"
    r"|(?:^|[-_\s])(?:text|main|con|zw|nr|body|txt)(?:$|[-_\s\d])",
    re.IGNORECASE,
)
_BLOCK_TAGS = {
    "p", "div", "br", "h1", "h2", "h3", "h4", "h5", "h6", "li", "tr", "table", "ul", "ol", "dl",
    "dt", "dd", "section", "article", "main", "blockquote", "pre", "hr", "center", "form",
    "fieldset", "address", "figure", "figcaption", "caption", "header", "footer", "body",
}  # fmt: skip
_CELL_TAGS = {"td", "th"}
#: a table's own rows: a table nested in a cell still breaks its lines
_ROW_TAGS = {"table", "tr"}
#: a data cell holds a name or a figure; an older template lays the whole article out in one
#: <td>, whose paragraphs are lines
_MAX_DATA_CELL = 80
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_HTML_SPACE = re.compile(r"[ \t\n\r\f]+")
_ASCII_SPACE = " \t\n\r\f"
_TITLE_SEPARATOR = re.compile(r"_|\||｜| - | — |--|(?<=[\u4e00-\u9fff])-(?=[\u4e00-\u9fff])")
#: a styled block holding the article's title, when the page has no <h1> for it
_TITLE_ATTR = re.compile(r"title|biaoti|(?:^|[-_\s])bt(?:$|[-_\s\d])", re.IGNORECASE)
_REPORT_WORDS = re.compile(r"报告|汇报|总结")
_MAX_TITLE = 80
#: the part of a <title> that names the site rather than the page
_SITE_NAME = re.compile(r"(?:政府|门户网站|网站|政府网|网|首页|门户)$")
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
#: a protected element holds at least this share of the page's Chinese text: never chrome
_PROTECT_SHARE = 0.5
#: a block whose Chinese text is at least this share inside links is a link list
_LINK_LIST_SHARE = 0.6
_LINK_LIST_MIN_LINKS = 3
#: containers only: a report paragraph citing three laws by link is not a link list
_LINK_LIST_TAGS = ["ul", "ol", "dl", "div", "table", "td", "section"]

_DATE_LABEL = r"(?P<label>成文日期|发文日期|发布日期|公开日期|发布时间)"
#: a label alone in its table cell, its value in the next: "成文日期\t2025-03-05"
_LABEL_CELL = re.compile(rf"(?:^|(?<=\t)){_DATE_LABEL}\s*(?=\t)")
_UNNAMED_DATE = re.sub(r"\?P<\w+>", "?:", DATE.pattern)
#: a catalogue field's label alone on its line (a <dt>), its value on the next (a <dd>)
_FIELD_ALONE = re.compile(
    r"\s*(?:索\s*引\s*号|信息索引号|发布机构|发文机关|成文日期|发布日期|发文日期|公开日期|主题分类|组配分类|体裁分类"
    r"|服务对象分类|信息分类|公开方式|公开范围|公开时限|有\s*效\s*性|文\s*号|发文字号|主\s*题\s*词|关\s*键\s*词)\s*[：:]?\s*"
)
_MAX_FIELD_VALUE = 40
_LABEL_ALONE = re.compile(rf"\s*{_DATE_LABEL}\s*[：:]?\s*")
_UNNAMED_DATE_RE = re.compile(_UNNAMED_DATE)
_LABELLED_DATE = re.compile(rf"{_DATE_LABEL}\s*[：:]\s*(?P<date>{_UNNAMED_DATE})")
#: a catalogue row holds several fields; a longer line is text, not the page's metadata
_MAX_CATALOGUE_LINE = 200

_EMPTY_HINT = "请确认保存的是报告正文所在的网页，或提供报告的 Word (.docx) / .txt 版本"


def extract(data: bytes, path: str) -> tuple[str, str]:
    """The article's text, title first; returns (text, encoding). A page saved as one file
    (MHTML, whatever its extension) is unwrapped first."""
    charset: str | None = None
    frames: dict[str, str] = {}
    if mhtml.is_mhtml(data):
        data, charset, frames = mhtml.page_html(data, path)
    text, encoding = decode_bytes(data, path, declared=charset or _declared_charset(data))
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(text, "lxml")
    title = _title(soup)
    root = soup.body or soup
    _inline_frames(root, frames)
    _drop_tags(root)
    dates = _catalogue_dates(root)
    _drop_chrome(root)
    container = _pick_container(root)
    lines = [line for line in _without_field_pairs(_lines(container)) if not is_chrome_line(line)]
    if title is None and not _opens_with_a_title(lines):
        title = _page_title(soup)  # a <title> ("杨家坝法治报告") only when the body has none of its own
    if title and _squash(title) not in _squash("".join(lines)):
        lines.insert(0, title)
    if not any(_CJK.search(line) for line in lines):
        raise InputError("网页中没有找到报告正文", path=path, hint=_EMPTY_HINT)
    return "\n".join(lines + dates), encoding


def _declared_charset(data: bytes) -> str | None:
    match = _META_CHARSET.search(data[:8192])
    return match.group(1).decode("ascii") if match else None


def _title(soup: Any) -> str | None:
    """The page's <h1> outside the banner, else a title-named block naming a report (else
    ``_page_title``, when the body does not open with a title of its own).

    Portals often put the site's name in an <h1> inside the banner; that is not the report's title.
    """
    for h1 in soup.find_all("h1"):
        if _in_banner(h1):
            continue
        text = _collapse(h1.get_text(" ")).strip(_ASCII_SPACE)
        if _CJK.search(text):
            return text
    for tag in soup.find_all(class_=_TITLE_ATTR):
        text = _collapse(tag.get_text(" ")).strip(_ASCII_SPACE)
        if len(text) <= _MAX_TITLE and _REPORT_WORDS.search(text) and not _in_banner(tag):
            return text  # "<div class="con_title">": the article's title set in a styled block
    return None


def _page_title(soup: Any) -> str | None:
    """The first part of <title> not naming the site."""
    if soup.title and soup.title.string:
        pieces = _TITLE_SEPARATOR.split(_collapse(soup.title.string))
        parts = [part.strip(_ASCII_SPACE) for part in pieces if part.strip(_ASCII_SPACE)]
        pages = [part for part in parts if not _SITE_NAME.search(part)]
        return (pages or parts or [None])[0]
    return None


#: how many of the body's first lines may stand above its title (a date line, a 文号)
_TITLE_LINES = 3


def _opens_with_a_title(lines: list[str]) -> bool:
    """The body's own title line ("杨家泊镇2024年法治政府建设情况报告") among its first lines."""
    return any(len(line) <= _MAX_TITLE and _REPORT_WORDS.search(line) for line in lines[:_TITLE_LINES])


def _in_banner(tag: Any) -> bool:
    for parent in tag.parents:
        if parent.name in ("article", "main") or _ARTICLE_ATTR.search(_attr_text(parent)):
            return False
        if parent.name in ("header", "nav", "footer") or _names_chrome(parent):
            return True
    return False


def _inline_frames(root: Any, frames: dict[str, str]) -> None:
    """An <iframe> whose page the file holds (``srcdoc``, or a frame part of a saved MHTML) is
    replaced by that page's body: some portals show the report itself in a frame."""
    from bs4 import BeautifulSoup

    for _depth in range(_FRAME_DEPTH):
        inlined = False
        for frame in root.find_all("iframe"):
            page = frame.get("srcdoc") or frames.get(str(frame.get("src", "")).strip())
            if not page:
                continue
            inner = BeautifulSoup(page, "lxml")
            holder = inner.new_tag("div")
            for child in list((inner.body or inner).contents):
                holder.append(child.extract())
            frame.replace_with(holder)
            inlined = True
        if not inlined:
            return


#: frames inside frames are followed this deep
_FRAME_DEPTH = 3


def _drop_tags(root: Any) -> None:
    """Scripts, styles, forms and the like: never text a reader sees as the page's."""
    for tag in root.find_all(_DROP_TAGS):
        tag.decompose()


def _catalogue_dates(root: Any) -> list[str]:
    """The portal's 成文日期 / 发布日期 as "成文日期：2025-03-05" lines, wherever the page shows them.

    The 政府信息公开 catalogue block sits outside the article (often in a chrome-named table),
    so it is read before chrome goes. Appended after the article, these lines are what a .txt
    paste of the page holds: ``normalize`` drops them from the clean text as chrome, and
    ``structure`` reads them as the signing date of last resort (``chrome.portal_date``), its
    evidence quoting the date as it stands in the page. A table cell without a colon
    ("成文日期 | 2025-03-05": a cell holding the label alone, the date in the next one) is
    written with one, so the line reads as the field it is; so is a label alone on its line with
    the date alone on the next (a <dl> list).
    """
    found: list[str] = []
    lines = _lines(root)
    for index, line in enumerate(lines):
        labelled = _LABEL_CELL.sub(r"\g<label>：", line)
        if _LABEL_ALONE.fullmatch(line) and index + 1 < len(lines) and _UNNAMED_DATE_RE.fullmatch(lines[index + 1].strip()):
            labelled = f"{line.rstrip('：: ')}：{lines[index + 1].strip()}"  # <dt>成文日期</dt><dd>2025-03-05</dd>
        elif len(line) > _MAX_CATALOGUE_LINE or (labelled == line and not is_chrome_line(line)):
            continue
        for match in _LABELLED_DATE.finditer(labelled):
            field = f"{match['label']}：{match['date']}"
            if field not in found:
                found.append(field)
    return found


def _without_field_pairs(lines: list[str]) -> list[str]:
    """The catalogue block as a <dl> (or stacked cells): a field's label alone on its line, its
    value alone on the next ("成文日期" / "二〇二五年二月二十五日") — both are the page's, not the report's."""
    kept: list[str] = []
    skip_value = False
    for line in lines:
        if skip_value and len(line) <= _MAX_FIELD_VALUE and "。" not in line:
            skip_value = False
            continue
        skip_value = bool(_FIELD_ALONE.fullmatch(line))
        if not skip_value:
            kept.append(line)
    return kept


def _drop_chrome(root: Any) -> None:
    """Remove chrome by tag, by id/class, then link lists; never the bulk of the page's text."""
    for tag in root.find_all(_PAGE_CHROME_TAGS):
        if not tag.decomposed and not tag.find_parent(["article", "main"]):
            tag.decompose()
    total = _cjk_count(root)
    for tag in root.find_all(True):
        if not tag.decomposed and _names_chrome(tag) and _cjk_count(tag) < _PROTECT_SHARE * total:
            tag.decompose()
    for tag in root.find_all(_LINK_LIST_TAGS):
        if not tag.decomposed and _is_link_list(tag, total):
            tag.decompose()


def _attr_text(tag: Any) -> str:
    classes = tag.get("class") or []
    return " ".join([tag.get("id") or "", *classes])


def _names_chrome(tag: Any) -> bool:
    attrs = _attr_text(tag)
    return bool(attrs.strip()) and bool(_CHROME_ATTR.search(attrs))


def _is_link_list(tag: Any, total: int) -> bool:
    links = tag.find_all("a")
    if len(links) < _LINK_LIST_MIN_LINKS:
        return False
    own = _cjk_count(tag)
    if own >= _PROTECT_SHARE * total:
        return False
    linked = sum(_cjk_count(link) for link in links)
    return own == 0 or linked / own >= _LINK_LIST_SHARE


def _cjk_count(tag: Any) -> int:
    return len(_CJK.findall(tag.get_text()))


def _pick_container(root: Any) -> Any:
    """The article-named element with the most Chinese text outside links; ties → the innermost.

    Falls back to the whole page when no article-named element holds half of its text, so an
    unusual template loses chrome-filtering precision rather than report paragraphs.
    """
    page = _text_outside_links(root)
    best, best_score = root, 0
    for tag in root.find_all(True):
        if not _ARTICLE_ATTR.search(_attr_text(tag)):
            continue
        score = _text_outside_links(tag)
        if score >= best_score:  # find_all is in document order: an equal later one is inner
            best, best_score = tag, score
    return best if best_score >= _PROTECT_SHARE * page else root


def _text_outside_links(tag: Any) -> int:
    return _cjk_count(tag) - sum(_cjk_count(link) for link in tag.find_all("a"))


def _lines(container: Any) -> list[str]:
    """Render to lines the way a browser lays out blocks: one line per block, cells tab-joined."""
    lines: list[str] = []
    buffer: list[str] = []
    for kind, value in _walk(container):
        if kind == "text":
            buffer.append(value)
        elif kind == "cell" and "".join(buffer).strip():
            buffer.append("\t")
        elif kind == "space" and buffer and not buffer[-1][-1:].isspace():
            buffer.append(" ")
        elif kind == "break":
            _flush(buffer, lines)
    _flush(buffer, lines)
    return lines


def _flush(buffer: list[str], lines: list[str]) -> None:
    line = _tidy_line("".join(buffer))
    if line.strip():
        lines.append(line)
    buffer.clear()


def _tidy_line(line: str) -> str:
    """Collapse HTML whitespace; keep 全角/no-break spaces, which are content to a browser."""
    line = line.strip(_ASCII_SPACE)
    return re.sub(r" *\t *", "\t", line)


def _walk(node: Any, pre: bool = False, in_cell: bool = False) -> Iterator[tuple[str, str]]:
    """Events: ("text", s), ("break", "") around blocks, ("cell", "") before a table cell,
    ("space", "") around a block inside a cell.

    Portal editors (UEditor, TRS) wrap every cell's text in a <p>: inside a data cell a block
    only separates words, or each cell of an indicator table would become a line of its own and
    "持证执法人员（名）" would no longer stand on the row of its "7".
    """
    from bs4 import NavigableString, Tag
    from bs4.element import PreformattedString

    for child in node.children:
        if isinstance(child, Tag):
            name = child.name.lower()
            is_pre = pre or name == "pre"
            soft = in_cell and name not in _ROW_TAGS
            boundary = ("space" if soft else "break", "")
            if name in _BLOCK_TAGS:
                yield boundary
            elif name in _CELL_TAGS:
                yield "cell", ""
            # a long cell is a layout cell, its blocks are lines
            cell = len(_collapse(child.get_text()).strip()) <= _MAX_DATA_CELL if name in _CELL_TAGS else in_cell and name != "table"
            if name != "br":
                yield from _walk(child, is_pre, cell)
            if name in _BLOCK_TAGS:
                yield boundary
        elif isinstance(child, NavigableString) and not isinstance(child, PreformattedString):
            yield from _string_events(str(child), pre)


def _string_events(text: str, pre: bool) -> Iterator[tuple[str, str]]:
    if not pre:
        yield "text", _collapse(text)
        return
    for index, piece in enumerate(text.split("\n")):
        if index:
            yield "break", ""
        yield "text", piece


def _collapse(text: str) -> str:
    return _HTML_SPACE.sub(" ", text)


def _squash(text: str) -> str:
    return "".join(text.split())
