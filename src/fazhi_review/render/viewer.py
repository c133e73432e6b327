"""The offline HTML viewer: index.html (a sortable table of reports) and one page per report.

Each page shows the ORIGINAL text with every evidence span marked. Spans overlap (a 亮点 inside
a part, a finding inside a 不足), and HTML marks cannot, so the text is cut at every span
boundary and each piece is one ``<mark data-start data-end>`` listing the items covering it;
each piece's text is therefore exactly ``original[start:end]``. Clicking an item scrolls to the
piece where its span starts. No CDN, no fetch: pages open from file://.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise
from urllib.parse import quote

from fazhi_review.county import CrossFinding, CrossSide, ReportRow, Rollup
from fazhi_review.facts.taxonomy import label
from fazhi_review.models import REQUIRED_PARTS, Evidence

PAGES_DIR = "查看"
_SEVERITY_CLASS = {"高": "sev-high", "中": "sev-mid", "低": "sev-low"}

_CSS = """
body{font-family:"Noto Sans CJK SC","Microsoft YaHei",sans-serif;margin:0;color:#222}
header{padding:12px 20px;background:#f3f6fa;border-bottom:1px solid #ccd}
main{display:flex;height:calc(100vh - 90px)}
#items{width:38%;overflow:auto;padding:10px 16px;border-right:1px solid #ddd}
#text{width:62%;overflow:auto;padding:10px 20px;white-space:pre-wrap;line-height:1.8}
mark{background:#fff3b0}mark.risk{background:#ffd6d6}mark.active{outline:2px solid #d33;background:#ffb3b3}
li.item{cursor:pointer;margin:4px 0}li.item:hover{background:#eef}
.sev-high{color:#b00;font-weight:bold}.sev-mid{color:#b60}.sev-low{color:#666}
table{border-collapse:collapse}th,td{border:1px solid #ccd;padding:4px 8px}th{cursor:pointer;background:#e8eef7}
"""

_PAGE_JS = """
document.querySelectorAll('li.item').forEach(function(li){li.addEventListener('click',function(event){
 if(event.target.closest('a'))return;
 document.querySelectorAll('mark.active').forEach(function(m){m.classList.remove('active')});
 var id=li.dataset.id, first=null;
 document.querySelectorAll('mark').forEach(function(m){if((' '+m.dataset.ids+' ').indexOf(' '+id+' ')>=0){m.classList.add('active');if(!first)first=m;}});
 if(first){first.scrollIntoView({block:'center'});}
 li.scrollIntoView({block:'nearest'});
});});
var at=location.hash.match(/^#(\\d+)-(\\d+)$/);
if(at){var span='[data-start="'+at[1]+'"][data-end="'+at[2]+'"]', li=document.querySelector('li.item[data-id^="x"]'+span)||document.querySelector('li.item'+span);if(li){li.click();}}
"""

_INDEX_JS = """
document.querySelectorAll('th').forEach(function(th,col){th.addEventListener('click',function(){
 var body=th.closest('table').tBodies[0], rows=Array.from(body.rows), asc=th.dataset.dir!=='asc';
 rows.sort(function(a,b){var x=a.cells[col].dataset.sort||a.cells[col].textContent, y=b.cells[col].dataset.sort||b.cells[col].textContent;
  var nx=parseFloat(x), ny=parseFloat(y); var c=(!isNaN(nx)&&!isNaN(ny))?nx-ny:x.localeCompare(y,'zh');return asc?c:-c;});
 rows.forEach(function(r){body.appendChild(r)}); th.dataset.dir=asc?'asc':'desc';
});});
"""


@dataclass(frozen=True)
class Item:
    id: str
    kind: str
    text: str
    evidence: Evidence | None
    severity: str | None = None
    #: (name, page, evidence) of the other reports a cross finding names: each a link to its
    #: page that opens there with the same finding selected
    see_also: tuple[tuple[str, str, Evidence], ...] = ()


def page_name(row_name: str) -> str:
    return f"{PAGES_DIR}/{row_name}.html"


def _items(row: ReportRow, cross: list[tuple[CrossFinding, CrossSide]]) -> list[Item]:
    s = row.summary
    items = [Item(f"r{n}", "合规风险", f"[{r.severity}] {r.title}：{r.explanation}", r.evidence, r.severity) for n, r in enumerate(s.risks)]
    for n, (finding, side) in enumerate(cross):
        others = tuple((o.issuer or o.report, f"{o.report}.html", o.evidence) for o in finding.sides if o is not side)
        items.append(Item(f"x{n}", "跨报告", f"[{finding.severity}] {finding.title}：{finding.explanation}", side.evidence, finding.severity, others))
    items += [Item(f"h{n}", "亮点", h.text, h.evidence) for n, h in enumerate(s.highlights)]
    items += [Item(f"i{n}", "量化指标", f"{i.name}：{i.value}{i.unit}（{label(i.category)}）", i.evidence) for n, i in enumerate(s.indicators)]
    items += [Item(f"s{n}", "不足", x.text, x.evidence) for n, x in enumerate(s.shortcomings)]
    items += [Item(f"m{n}", "整改措施", x.text, x.evidence) for n, x in enumerate(s.measures)]
    return items


def _escape(text: str) -> str:
    """HTML-escaped, with CR kept as a character reference (the parser would drop a raw one)."""
    return html.escape(text, quote=False).replace("\r", "&#13;")


def marked_text(text: str, items: list[Item]) -> str:
    """The original text cut at every evidence boundary; covered pieces are marks."""
    spans = [(i.evidence.start, i.evidence.end, i) for i in items if i.evidence and i.evidence.end <= len(text)]
    cuts = sorted({0, len(text), *(s for s, _, _ in spans), *(e for _, e, _ in spans)})
    pieces = []
    for start, end in pairwise(cuts):
        covering = [i for s, e, i in spans if s <= start and end <= e]
        chunk = _escape(text[start:end])
        if not covering:
            pieces.append(chunk)
            continue
        ids = " ".join(i.id for i in covering)
        css = "risk" if any(i.severity for i in covering) else ""
        pieces.append(f'<mark class="{css}" data-start="{start}" data-end="{end}" data-ids="{ids}">{chunk}</mark>')
    return "".join(pieces)


def _see_also(item: Item) -> str:
    """"（另见 X、Y）", each a link to that report's page at its side of the finding."""
    if not item.see_also:
        return ""
    links = "、".join(f'<a href="{quote(page)}#{evidence.start}-{evidence.end}">{html.escape(name)}</a>' for name, page, evidence in item.see_also)
    return f"（另见 {links}）"


def report_page_html(row: ReportRow, text: str, cross: list[tuple[CrossFinding, CrossSide]]) -> str:
    items = _items(row, cross)
    meta = row.summary.meta
    title = html.escape(meta.title or row.source_file)
    rows = []
    for item in items:
        where = f"（第{item.evidence.start}–{item.evidence.end}字）" if item.evidence else "（无原文位置）"
        css = _SEVERITY_CLASS.get(item.severity or "", "")
        attrs = f'data-id="{item.id}"' + (f' data-start="{item.evidence.start}" data-end="{item.evidence.end}"' if item.evidence else "")
        rows.append(f'<li class="item {css}" {attrs}><b>{item.kind}</b> {html.escape(item.text)}{_see_also(item)}{where}</li>')
    verdict = html.escape(row.verdict or "未出结论")
    return f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="generator" content="fazhi-review"><title>{title}</title><style>{_CSS}</style></head>
<body><header><a href="../index.html">← 全部报告</a> <b>{title}</b><br>
{html.escape(meta.issuer or "未识别单位")} · {meta.report_year or "年度未识别"} · 审阅结论：{verdict} · 文件 {html.escape(row.source_file)}</header>
<main><section id="items"><ol>{"".join(rows)}</ol></section>
<section id="text">{marked_text(text, items)}</section></main>
<script>{_PAGE_JS}</script></body></html>
"""


def _cell(value: object, sort: object | None = None) -> str:
    attr = f' data-sort="{html.escape(str(sort))}"' if sort is not None else ""
    return f"<td{attr}>{html.escape('' if value is None else str(value))}</td>"


def _county_files(rollup: Rollup, files: Sequence[tuple[str, str]]) -> str:
    """The line under the title: the county files beside index.html, and what failed."""
    links = "　".join(f'<a href="{quote(name)}">{html.escape(label)}</a>' for name, label in files)
    failed = f"　另有{len(rollup.failures)}个文件未能处理，见失败清单。" if rollup.failures else ""
    return f'<div style="padding:8px 20px 0">{links}{html.escape(failed)}</div>' if links or failed else ""


def index_html(rollup: Rollup, title: str = "全县法治政府建设年度报告审阅", files: Sequence[tuple[str, str]] = ()) -> str:
    """``files``: (file name, label) of the county files written beside the index, linked from it."""
    header = ["报告单位", "年度", "落款日期", "按时", "法定部分", "指标", "不足", "高", "中", "低", "跨报告", "审阅结论", "文件"]
    body = []
    for row in rollup.reports:
        s = row.summary
        parts = sum(1 for p in REQUIRED_PARTS if s.parts.get(p) is not None)
        sev = [r.severity for r in s.risks]
        link = f'<td><a href="{quote(page_name(row.name))}">{html.escape(row.source_file)}</a></td>'
        on_time = {True: "是", False: "否", None: "?"}[row.on_time]
        cells = [s.meta.issuer, s.meta.report_year, s.meta.signed_date, on_time, f"{parts}/{len(REQUIRED_PARTS)}", len(s.indicators), len(s.shortcomings),
                 sev.count("高"), sev.count("中"), sev.count("低"), len(rollup.cross_addressed_to(row.name)), row.verdict]  # fmt: skip
        body.append("<tr>" + "".join(_cell(c, parts if n == 4 else None) for n, c in enumerate(cells)) + link + "</tr>")
    heads = "".join(f"<th>{h}</th>" for h in header)
    return f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="generator" content="fazhi-review"><title>{title}</title><style>{_CSS}</style></head>
<body><header><b>{title}</b>（共{len(rollup.reports)}份；点击表头排序）</header>
{_county_files(rollup, files)}<div style="padding:10px 20px"><table id="reports"><thead><tr>{heads}</tr></thead><tbody>{"".join(body)}</tbody></table></div>
<script>{_INDEX_JS}</script></body></html>
"""
