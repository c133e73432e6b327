"""ReviewDraft → the 公文 blocks of a 审阅意见, and their Markdown."""

from __future__ import annotations

from fazhi_review.render.gongwen import Block, GongwenDoc, gongwen_markdown
from fazhi_review.review.draft import cn_date
from fazhi_review.review.model import ReviewDraft

NO_PROBLEMS = "经审阅，未发现需要指出的问题。"
NO_ACTIONS = "报告无需修改。"


def review_gongwen(draft: ReviewDraft) -> GongwenDoc:
    def paragraph(text: str) -> Block:
        return Block(kind="paragraph", text=text)

    blocks = [paragraph(draft.opening), Block(kind="heading1", text="一、总体评价")]
    blocks += [paragraph(text) for text in draft.overall.paragraphs]
    blocks.append(Block(kind="heading1", text="二、存在的主要问题"))
    blocks += [paragraph(f"{p.number}.{p.text}") for p in draft.problems] or [paragraph(NO_PROBLEMS)]
    blocks.append(Block(kind="heading1", text="三、修改完善意见"))
    blocks += [paragraph(f"{a.number}.{a.text}") for a in draft.actions] or [paragraph(NO_ACTIONS)]
    blocks.append(paragraph(draft.deadline_sentence))
    blocks.append(paragraph(f"审阅结论：{draft.verdict}。"))
    return GongwenDoc(title=draft.title, addressee=draft.addressee, blocks=blocks, issuer=draft.issuer, date=cn_date(draft.date))


def render_review_markdown(draft: ReviewDraft) -> str:
    return gongwen_markdown(review_gongwen(draft))


def render_review_json(draft: ReviewDraft) -> str:
    return draft.model_dump_json(indent=2) + "\n"
