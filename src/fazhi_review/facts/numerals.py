"""Turn a numeral as written in a report into a Python number.

Reports mix Arabic digits (``13000``, ``99.53``, ``13,000``), Chinese numerals (``十一``,
``两万``, ``一百二十``) and both at once (``1.5万``). Chinese numerals are parsed by cn2an rather
than by hand: its grammar covers 两/〇/零 and the 万-亿 positions that a hand-written converter
gets wrong at the edges. Its ``ValueError`` carries a mode-specific message, so it is wrapped
in ``NumeralError`` and callers only have to know one exception.
"""

from __future__ import annotations

import re
from typing import Final

import cn2an

__all__ = ["CN_NUMERAL_CHARS", "NumeralError", "as_int_if_integral", "parse_number"]

#: Characters a Chinese numeral is written with (大写 壹贰… is not seen in these reports).
CN_NUMERAL_CHARS: Final = "零〇一二三四五六七八九十百千万亿两"
#: Multipliers a numeral may end with; 百/千 are folded into the value, 万/亿 kept by callers.
MULTIPLIERS: Final[dict[str, int]] = {"百": 100, "千": 1000, "万": 10_000, "亿": 100_000_000}

_ARABIC = re.compile(r"\d+(?:,\d{3})*(?:\.\d+)?")
_CHINESE = re.compile(rf"[{CN_NUMERAL_CHARS}]+")
_MIXED = re.compile(r"(?P<num>\d+(?:,\d{3})*(?:\.\d+)?)(?P<mult>[百千万亿])")


class NumeralError(ValueError):
    """The text is not a numeral we can read."""


def as_int_if_integral(value: float) -> int | float:
    """Keep ``5`` as ``5`` rather than ``5.0`` so facts print the way the report wrote them."""
    if isinstance(value, int):
        return value
    return int(value) if float(value).is_integer() else value


def _parse_arabic(text: str) -> int | float:
    """Digits with optional thousands commas and decimals; an int whenever the value is integral."""
    if "." not in text:
        return int(text.replace(",", ""))
    return as_int_if_integral(float(text.replace(",", "")))


def _parse_chinese(text: str) -> int | float:
    """cn2an in "normal" mode: the only mode that accepts 两 (两万, 两千) without also reading
    Arabic digits, which the caller has already routed elsewhere."""
    if text[0] in "百千万亿":
        # cn2an rejects a bare 百 and reads 千/万 as 1000/10000; in running text a numeral
        # starting with a position word is an idiom (千家万户, 百姓), so refuse it here.
        raise NumeralError(f"中文数字不能以位数开头：{text}")
    try:
        value = cn2an.cn2an(text, "normal")
    except (ValueError, KeyError, IndexError) as exc:
        raise NumeralError(f"无法解析的中文数字：{text}") from exc
    return as_int_if_integral(value)


def parse_number(text: str) -> int | float:
    """Parse ``13,000`` / ``99.53`` / ``十一`` / ``两万`` / ``三千余`` / ``1.5万`` to a number.

    A trailing 余/多 (an approximation the extractor records as a qualifier) is ignored here so
    that ``三千余`` reads as 3000. Decimals stay float even when integral-looking (``1.0``),
    because the precision a report writes can matter to a reviewer.
    """
    core = text.strip().rstrip("余多")
    if not core:
        raise NumeralError("空数字")
    if _ARABIC.fullmatch(core):
        return _parse_arabic(core)
    mixed = _MIXED.fullmatch(core)
    if mixed:
        value = float(mixed["num"].replace(",", "")) * MULTIPLIERS[mixed["mult"]]
        return as_int_if_integral(round(value, 6))
    if _CHINESE.fullmatch(core):
        return _parse_chinese(core)
    raise NumeralError(f"无法解析的数字：{text}")
