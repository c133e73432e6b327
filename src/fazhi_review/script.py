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

import re
from functools import cache
from typing import Any

#: share of Han characters that t2s changes above which a text counts as Traditional
_TRADITIONAL_SHARE = 0.03
_MIN_CHANGED = 5


@cache
def _converter() -> Any:
    """OpenCC's t2s converter; None where its wheel is unavailable (the text is then read as is)."""
    try:
        import opencc
    except ImportError:
        return None
    return opencc.OpenCC("t2s")


#: one character's t2s, per process: a county's reports share most characters, OpenCC is asked once
_CHARACTER: dict[str, str] = {}


def _per_character(text: str, converter: Any) -> str:
    for char in set(text).difference(_CHARACTER):
        converted = converter.convert(char)
        _CHARACTER[char] = converted if len(converted) == 1 else char
    return text.translate({ord(c): _CHARACTER[c] for c in set(text) if _CHARACTER[c] != c})


#: the script is judged on this many leading characters, so a huge input costs one conversion at most
_SAMPLE = 20_000
_HAN = re.compile("[\u4e00-\u9fff]")


def _is_traditional(sample: str, converter: Any) -> bool:
    han = len(_HAN.findall(sample))
    _per_character(sample, converter)
    changed = sum(sample.count(c) for c in set(sample) if _CHARACTER[c] != c)
    return changed >= _MIN_CHANGED and changed / max(han, 1) >= _TRADITIONAL_SHARE


def to_simplified(text: str) -> str:
    """``text`` in Simplified script, same length; unchanged when it is not Traditional."""
    if not _HAN.search(text[:_SAMPLE]):
        return text
    converter = _converter()
    if converter is None or not _is_traditional(text[:_SAMPLE], converter):
        return text
    converted = converter.convert(text)
    return converted if len(converted) == len(text) else _per_character(text, converter)
