"""Text patterns shared by several stages (one place for each): CJK ranges, heading markers."""

from __future__ import annotations

import re

CJK = "\u3400-\u4dbf\u4e00-\u9fff"
CN_DIGITS = "零〇一二三四五六七八九十百千万两"
#: Punctuation after which a line is a finished sentence (a line break there is a real break).
SENTENCE_END = "。！？；：!?;:…」』”）)】"

# Heading markers, from level 1 down (GB/T 9704-2012: 一、 → （一） → 1. → （1）), plus 一是/二是.
MARKER_PATTERNS: dict[str, str] = {
    "cn_dun": rf"(?P<n>[{CN_DIGITS}]{{1,3}})、",
    "paren_cn": rf"[（(](?P<n>[{CN_DIGITS}]{{1,3}})[）)]",
    "arabic_dot": r"(?P<n>\d{1,2})[.．、](?!\d)",
    "paren_arabic": r"[（(](?P<n>\d{1,2})[）)]",
    "yishi": rf"(?P<n>[{CN_DIGITS}]{{1,3}})是(?=[{CJK}“《])",
}
LINE_START_MARKER = re.compile("|".join(f"(?:{p})" for p in MARKER_PATTERNS.values()).replace("?P<n>", ""))
