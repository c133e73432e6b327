"""A 公文 as an ordered list of blocks, and its Markdown: the one shape the Word writer and the
Markdown writer share, so the two can never say different things.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel

BlockKind = Literal["heading1", "heading2", "paragraph"]


class Block(BaseModel):
    kind: BlockKind
    text: str


class GongwenDoc(BaseModel):
    """Title, 主送 line, body blocks in order, 落款 (issuer) and 成文日期 (already formatted)."""

    title: str
    addressee: str | None = None
    blocks: list[Block]
    issuer: str
    date: str


_MARK = {"heading1": "## ", "heading2": "### ", "paragraph": ""}


def gongwen_markdown(doc: GongwenDoc) -> str:
    lines = [f"# {doc.title}"]
    if doc.addressee:
        lines.append(f"{doc.addressee}：")
    lines += [_MARK[block.kind] + block.text for block in doc.blocks]
    lines += [doc.issuer, doc.date]
    return "\n\n".join(lines) + "\n"
