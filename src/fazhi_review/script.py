"""Traditional → Simplified Chinese, character for character, so offsets survive.

Reports from a Traditional-script source (or a portal's 繁体 button) must read the same to every
later stage: 存在的問題 is 存在的问题, 鎮 is 镇. OpenCC does the mapping. Its phrase tables may
change a text's length, and the offset map needs one clean character per original character, so
when a whole-text conversion changes the length each character is converted on its own instead
(a character whose conversion is not one character is kept as written).

A Simplified text is left alone: t2s touches a few characters that are legitimate in Simplified
text too (乾/干, 著/着), so conversion runs only when Traditional characters are common.
"""

from __future__ import annotations

from functools import cache
from typing import Any

#: share of Han characters that t2s changes above which a text counts as Traditional
_TRADITIONAL_SHARE = 0.03
_MIN_CHANGED = 5


@cache
def _converter() -> Any:
    import opencc

    return opencc.OpenCC("t2s")


def _per_character(text: str, converter: Any) -> str:
    table: dict[str, str] = {}
    for char in set(text):
        converted = converter.convert(char)
        table[char] = converted if len(converted) == 1 else char
    return "".join(table[c] for c in text)


def to_simplified(text: str) -> str:
    """``text`` in Simplified script, same length; unchanged when it is not Traditional."""
    han = sum(1 for c in text if "\u4e00" <= c <= "\u9fff")
    if not han:
        return text
    converter = _converter()
    converted = converter.convert(text)
    if len(converted) != len(text):
        converted = _per_character(text, converter)
    changed = sum(1 for a, b in zip(text, converted, strict=True) if a != b)
    if changed < _MIN_CHANGED or changed / han < _TRADITIONAL_SHARE:
        return text
    return converted
