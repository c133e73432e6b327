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

from fazhi_review.errors import interrupted

#: share of Han characters that t2s changes above which a text counts as Traditional
_TRADITIONAL_SHARE = 0.03
_MIN_CHANGED = 5


@cache
def _converter() -> Any:
    """OpenCC's t2s converter; None where its wheel is unavailable (the text is then read as is)."""
    try:
        import opencc
    except ImportError as error:
        if interrupted(error):  # a Ctrl-C during the import is not a missing wheel
            raise KeyboardInterrupt from error
        return None
    return opencc.OpenCC("t2s")


#: one character's t2s, per process: a county's reports share most characters, OpenCC is asked once
_CHARACTER: dict[str, str] = {}
#: the characters of ``_CHARACTER`` that t2s changes
_CHANGED: set[str] = set()


def _learn(chars: set[str], converter: Any) -> None:
    for char in chars.difference(_CHARACTER):
        converted = converter.convert(char)
        _CHARACTER[char] = converted if len(converted) == 1 else char
        if _CHARACTER[char] != char:
            _CHANGED.add(char)


def _per_character(text: str, converter: Any) -> str:
    chars = set(text)
    _learn(chars, converter)
    return text.translate({ord(c): _CHARACTER[c] for c in chars & _CHANGED})


#: the script is judged on this many leading characters, so a huge input costs one conversion at most
_SAMPLE = 20_000
_HAN = re.compile("[\u4e00-\u9fff]")


@cache
def _may_change() -> re.Pattern[str]:
    """A character t2s may change (a superset: also characters whose conversion is longer) or
    whose conversion is not tabulated (beyond the Basic Multilingual Plane, lone surrogates).

    A Simplified report has none of them, and one regex search says so: OpenCC's per-character
    look-up and a set of the text's characters cost a report 0.4 ms. The table comes from one
    OpenCC call over the whole plane, one character a line (``tests/test_speedup_equivalence.py`` checks
    it equals the per-character conversion).
    """
    converter = _converter()
    chars = [chr(code) for code in range(0x10000) if code != ord("\n") and not 0xD800 <= code <= 0xDFFF]
    converted = converter.convert("\n".join(chars)).split("\n") if converter is not None else []
    if len(converted) != len(chars):  # not one line per character: every text takes the full test
        return re.compile(r"[\s\S]")
    changing = "".join(re.escape(char) for char, new in zip(chars, converted, strict=True) if new != char)
    return re.compile(f"[{changing}\ud800-\udfff\U00010000-\U0010ffff]")


def _is_traditional(sample: str, converter: Any) -> bool:
    """Cheapest test first: most texts have no character t2s would change; then a few that
    do (乾, 著) rarely add up; only then the Han count."""
    if not _may_change().search(sample):
        return False
    chars = set(sample)
    _learn(chars, converter)
    changed = sum(sample.count(c) for c in chars & _CHANGED)
    if changed < _MIN_CHANGED:
        return False
    han = len(_HAN.findall(sample))
    return changed / max(han, 1) >= _TRADITIONAL_SHARE


def to_simplified(text: str) -> str:
    """``text`` in Simplified script, same length; unchanged when it is not Traditional."""
    if not _HAN.search(text[:_SAMPLE]):
        return text
    converter = _converter()
    if converter is None or not _is_traditional(text[:_SAMPLE], converter):
        return text
    converted = converter.convert(text)
    return converted if len(converted) == len(text) else _per_character(text, converter)
