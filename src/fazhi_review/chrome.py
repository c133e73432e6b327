"""What a government portal wraps around a report, recognised line by line — one implementation
for every reader.

A report saved as .html loses its chrome in the HTML reader; the same page copied from a browser
and pasted into a .txt keeps it as plain lines: the breadcrumb ("当前位置：首页 > 政务公开 > …"),
the buttons (【打印本页】【关闭本页】, 分享到), 字号 大 中 小, the 政府信息公开 metadata block
(索引号 / 发布机构 / 成文日期 / 发布日期 / 主题分类) and the footer (版权所有, 网站标识码, ICP备).
``ingest.html`` drops these lines from what it renders; ``normalize`` deletes them from the clean
text through the offset map; ``structure`` reads the metadata block's dates as the signing date of
last resort. Only whole, short lines are judged: a report sentence that mentions 打印 or 分享 is
never chrome.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Final

from fazhi_review.text import DATE, date_from_match

_CHROME_PHRASES = (
    "老年模式", "长者模式", "关怀模式", "关怀版", "适老化", "无障碍浏览", "无障碍阅读", "无障碍",
    "当前位置", "您的位置", "您现在的位置", "您当前的位置", "首页", "打印本页", "打印此页",
    "打印文章", "打印", "关闭窗口", "关闭本页", "关闭", "分享到", "分享", "收藏本页", "收藏",
    "返回顶部", "返回首页", "返回列表", "返回", "扫一扫在手机打开当前页",
    "扫一扫在手机上查看当前页面", "手机扫一扫", "扫一扫", "微信", "微博", "QQ空间", "我要纠错",
    "纠错", "保存本页", "简体", "繁体", "字号", "字体", "默认", "大", "中", "小", "相关附件",
    "附件", "下载", "相关阅读", "相关新闻", "相关链接", "相关文章", "相关信息", "热点新闻",
    "推荐阅读", "友情链接", "视频", "图片", "网站地图", "联系我们", "网站声明", "隐私声明",
    "简体版", "繁体版", "繁體版", "登录", "注册", "手机版", "繁體", "长者版", "English", "ENGLISH",
    # a WeChat article's own buttons
    "阅读原文", "轻触阅读原文", "预览时标签不可点", "写留言", "留言", "关注该公众号", "微信扫一扫关注该公众号",
    "微信扫一扫", "在看", "赞", "喜欢此内容的人还喜欢",
)  # fmt: skip
_CHROME_RE = re.compile("|".join(sorted(map(re.escape, _CHROME_PHRASES), key=len, reverse=True)))
_CHROME_PUNCT = re.compile(r"[\s\[\]【】()（）<>《》|｜丨/\\:：,，、;；.。·•»＞→-]+")
_BREADCRUMB = re.compile(r"^\s*(?:当前位置|您的位置|您现在的位置|您当前的位置|首页\s*(?:[>＞»/›→]|\s[-－–—]\s)|[>＞»›]\s*\S)")
#: a line that is a path of two or more short crumbs: "政务公开 > 信息公开目录 > 年度报告", or with
#: dashes set apart by blanks ("政务公开 - 法定主动公开内容 - 法治政府建设"; "2021-2025" is no path)
_CRUMB_PATH = re.compile(r"^(?![一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[）)]|\d+[.、．])[^。；\n]{1,20}(?:(?:\s*[>＞»›]\s*|\s+[-－–—]\s+)[^。；>＞»›\n]{1,30}){2,}$")
#: a site's own address on a line ("www.pingchuan.gov.cn"), or its welcome ("梅江县人民政府欢迎您！")
_SITE_LINE = re.compile(r"(?:https?://)?(?:www\.)?[\w-]+(?:\.[\w-]+)*\.(?:gov\.cn|com\.cn|org\.cn|cn|com|net|org)(?:/\S*)?|[^。；，\n]{2,24}欢迎您[！!]?")
#: an article link of a 相关文章 list: a bullet, a title, its date ("·关于印发…的通知　2016-06-12")
_LINKED_ARTICLE = re.compile(r"[·•▪◆●■]\s*[^。；\n]{4,80}?[\s　]+(?:20|19)\d{2}(?:[-./]\d{1,2}[-./]\d{1,2}|年\d{1,2}月\d{1,2}日)")
#: a WeChat article's byline: account, its name, when it was posted (with the time) and where
#: ("清水镇人民政府 清水发布 2025年02月27日 11:30 湖南"): a 落款 carries no time of day
_POST_LINE = re.compile(r"[^。；，,\n]{2,40}?\s+(?:20\d{2}年\d{1,2}月\d{1,2}日|20\d{2}-\d{1,2}-\d{1,2})\s+\d{1,2}:\d{2}(?:\s+[\u4e00-\u9fff]{2,4})?")
_PREV_NEXT = re.compile(r"^\s*[【\[]?(?:上一篇|下一篇|上一条|下一条)\s*[】\]]?\s*[：:]")
_META_LABEL = (
    r"(?:发布时间|发布日期|发文日期|更新时间|来源|信息来源|文章来源|作者|责任编辑|编辑|审核|校对|审校|责编|初审|复审|终审"
    r"|浏览次数|阅读次数|点击次数|访问次数|浏览量|阅读量|点击数|访问量|字号|字体)"
)
#: a value is one word, a date with its time, or the font-size switch "大 中 小" (spaced on a page)
_META_VALUE = r"(?:[大中小](?:\s+[大中小])+|\S*(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?)"
_META_LINE = re.compile(rf"^\s*(?:{_META_LABEL}\s*[：:]\s*{_META_VALUE}\s*)+$")
#: the 政府信息公开 catalogue block above a published document (one field a line, or several)
_CATALOGUE_LABEL = re.compile(
    r"^\s*[【\[]?(?:索\s*引\s*号|信息索引号|发布机构|发文机关|成文日期|发布日期|发文日期|公开日期|生效日期|废止日期"
    r"|主题分类|组配分类|体裁分类|服务对象分类|信息分类|公开方式|公开范围|公开时限|有\s*效\s*性|文\s*号|发文字号"
    r"|名\s*称|标\s*题|主\s*题\s*词|关\s*键\s*词|信息名称)[】\]]?\s*(?:[：:]|\t)"  # a label, then its value (or its cell)
    r"|^\s*[【\[](?:索\s*引\s*号|发布机构|发文机关|成文日期|发布日期|组配分类|主题分类|体裁分类|信息分类|公开方式|公开范围|有\s*效\s*性|文\s*号|发文字号|名\s*称|标\s*题)[】\]]"  # "【组配分类】法治政府建设年度报告"
)
_FOOTER = re.compile(
    r"版权所有|网站标识码|ICP\s*备|公网安备|主办单位\s*[：:]|承办单位\s*[：:]|技术支持\s*[：:]|最佳分辨率|建议使用.{0,20}浏览器"
    r"|^\s*(?:联系)?电话\s*[：:].{0,40}\s(?:联系)?地址\s*[：:]|^\s*(?:联系)?地址\s*[：:].{0,60}\s(?:联系)?电话\s*[：:]"  # the site's own contact line
)
#: an attachment link left as a line: "附件1：考核表.xlsx", or just a file name
_ATTACHMENT_LINE = re.compile(
    r"^\s*(?:(?:相关)?附件\s*\d*\s*[：:.、]?)?[^\s：:]*\.(?:docx?|wps|pdf|xlsx?|et|zip|rar|7z|ofd)\s*$",
    re.IGNORECASE,
)
#: longer lines are never chrome: a report paragraph may mention 打印 or 分享
MAX_CHROME_LINE: Final = 60
#: footer, breadcrumb and catalogue lines run longer (several fields on one line), never a sentence
_MAX_BLOCK_LINE = 200


#: a portal's main menu pasted as one line ("网站首页　政务公开　政务服务　互动交流"): chrome only
#: two or more together, so a lone heading "政务公开" stays
_NAV_RE = re.compile(r"网站首页|政务公开|政务服务|互动交流|政民互动|新闻中心|办事服务|公众参与|数据开放|专题专栏|政务动态|信息公开|走进[\u4e00-\u9fff]{2,4}")


_MENU_SEPARATOR = re.compile(r"\s*[|｜丨]\s*|[ \u3000]+")
_MENU_ITEM = re.compile(r"[\u4e00-\u9fff]{2,6}")


def _is_menu_bar(line: str) -> bool:
    """"首页 | 街道概况 | 政务公开 | 政务服务 | 互动交流": short menu items between bars, the site's own
    ("街道概况") among the common ones."""
    items = [item for item in _MENU_SEPARATOR.split(line.strip()) if item]
    return len(items) >= 4 and all(_MENU_ITEM.fullmatch(item) for item in items)


def is_chrome_line(line: str) -> bool:
    """A short line that is nothing but portal chrome (buttons, breadcrumb, page metadata, footer)."""
    if len(line) <= MAX_CHROME_LINE and len(_NAV_RE.findall(line)) >= 2 and (
        not _CHROME_PUNCT.sub("", _CHROME_RE.sub("", _NAV_RE.sub("", line))) or _is_menu_bar(line)
    ):
        return True
    if len(line) <= _MAX_BLOCK_LINE and "。" not in line and any(
        pattern.search(line) for pattern in (_BREADCRUMB, _CRUMB_PATH, _CATALOGUE_LABEL, _FOOTER)
    ):
        return True
    if len(line) > MAX_CHROME_LINE:
        return False
    if any(pattern.match(line) for pattern in (_PREV_NEXT, _META_LINE, _ATTACHMENT_LINE)):
        return True
    if _SITE_LINE.fullmatch(_CHROME_RE.sub("", line).strip(" \u3000|｜丨")) or _LINKED_ARTICLE.fullmatch(line) or _POST_LINE.fullmatch(line.strip()):
        return True
    leftover = _CHROME_PUNCT.sub("", _CHROME_RE.sub("", line))
    return not leftover


@dataclass(frozen=True)
class PortalDate:
    """A date the portal's metadata gives the document, and where it stands in the text."""

    label: str
    date: dt.date
    start: int
    end: int


#: a page pasted without line breaks keeps its catalogue fields side by side on one line
_CATALOGUE_FIELD = re.compile(r"索\s*引\s*号|发布机构|主题分类|成文日期|发布日期|发文机关|公开方式")
_NEARBY = 120
_PORTAL_DATE = re.compile(r"(?P<label>成文日期|发文日期|发布日期|公开日期|发布时间)\s*[：:]\s*")
#: which metadata date stands in best for a missing 落款: the writing date, then publication
_DATE_RANK = {"成文日期": 0, "发文日期": 0, "发布日期": 1, "公开日期": 1, "发布时间": 1}


def portal_date(text: str) -> PortalDate | None:
    """The portal's 成文日期 (else 发布日期) on a chrome line of ``text``; None when there is none.

    Labels are normalised to 成文日期 / 发布日期 so callers can say where the date came from.
    """
    found: list[PortalDate] = []
    for match in _PORTAL_DATE.finditer(text):
        line_start = text.rfind("\n", 0, match.start()) + 1
        line_end = text.find("\n", match.end())
        line = text[line_start : line_end if line_end != -1 else len(text)]
        date_match = DATE.match(text, match.end())
        nearby = text[max(match.start() - _NEARBY, 0) : match.end() + _NEARBY]
        if date_match is None or not (is_chrome_line(line) or len(_CATALOGUE_FIELD.findall(nearby)) >= 2):
            continue
        date = date_from_match(date_match)
        if date is not None:
            label = "成文日期" if _DATE_RANK[match["label"]] == 0 else "发布日期"
            found.append(PortalDate(label=label, date=date, start=date_match.start(), end=date_match.end()))
    return min(found, key=lambda d: _DATE_RANK[d.label]) if found else None
