"""Plain-text reports: bytes → str without ever producing mojibake.

Township reports arrive as UTF-8 (with or without a BOM, from WPS/Notepad), GB18030/GBK (older
Windows "ANSI" saves), UTF-16 (Notepad's "Unicode") and, from Traditional-script sources, Big5. Strict decoders are tried from the most
to the least self-evident, so a file is only handed to statistical detection when no strict
decoding fits; the recorded encoding name always decodes the file's bytes back to the text.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from collections import Counter

from fazhi_review.errors import InputError

#: (BOM, codec that consumes it); UTF-32 first because its LE BOM starts with UTF-16's
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
#: above this share of control / unassigned characters a "text" is really binary
_MAX_CONTROL_RATIO = 0.05
_TEXT_CONTROLS = "\t\n\r\f\v"
#: characters a Chinese report is written in: ASCII, CJK punctuation, ideographs, 全角 forms,
#: general punctuation (— “ ” …), numbers like ① Ⅲ, and Latin-1 (· ×)
_CHINESE_TEXT_RANGES = (
    ("\t", "\r"), (" ", "~"), ("\u00a0", "\u00ff"), ("\u2000", "\u206f"), ("\u2150", "\u218f"),
    ("\u2460", "\u24ff"), ("\u2e80", "\u2fdf"), ("\u3000", "\u303f"), ("\u3400", "\u9fff"),
    ("\uf900", "\ufaff"), ("\ufe30", "\ufe4f"), ("\uff00", "\uffef"),
)  # fmt: skip
_UNUSUAL = re.compile("[^" + "".join(f"\\u{ord(low):04x}-\\u{ord(high):04x}" for low, high in _CHINESE_TEXT_RANGES) + "]")
#: a BOM-less UTF-16 decoding is accepted when this share of it is such characters
_MIN_CHINESE_TEXT_SHARE = 0.9
_SINGLE_BYTE_PREFIXES = ("iso8859", "latin", "cp125", "cp437", "cp850", "mac-", "ascii", "koi8")

#: Microsoft's Big5 (what Windows saves as "Big5"), a superset of plain big5
_BIG5 = "cp950"
#: the frequent-character ranges: GB2312 level 1 and Big5 常用字
_GB2312_COMMON = (b"\xb0\xa1", b"\xd7\xf9")
_BIG5_COMMON = (b"\xa4\x40", b"\xc6\x7e")
#: a real text has at least this share of its ideographs in its encoding's frequent range
_PLAUSIBLE_SHARE = 0.85
#: characters enough to judge a reading by
_SAMPLE_CHARS = 200_000

_BINARY_HINT = "请提供报告的 .txt、.docx、.pdf 或 .html 文件"
_ENCODING_HINT = "请用记事本或 WPS 打开后另存为 UTF-8 编码的 .txt 文件再试"


def extract(data: bytes, path: str) -> tuple[str, str]:
    """Decode a .txt file; returns (text, encoding)."""
    text, encoding = decode_bytes(data, path)
    if looks_binary(text):
        raise InputError("这不是文本文件（内容像是二进制数据）", path=path, hint=_BINARY_HINT)
    return text, encoding


def decode_bytes(data: bytes, path: str, *, declared: str | None = None) -> tuple[str, str]:
    """Decode text bytes, trying ``declared`` (an HTML meta charset) right after UTF-8.

    Order: BOM, then NUL bytes (BOM-less UTF-16 or binary), strict UTF-8, the declared charset,
    strict GB18030, and only then charset-normalizer. UTF-8 goes before the declared charset
    because portals often declare gb2312 on pages that were re-saved as UTF-8, and a non-ASCII
    text that decodes as strict UTF-8 is UTF-8 in practice.
    """
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return _strict(data, codec, path), codec
    if b"\x00" in data:
        return _decode_with_nuls(data, path)
    for codec in _candidates(declared):
        try:
            text = data.decode(codec)
        except (UnicodeDecodeError, LookupError):
            continue
        if codec == "utf-8-sig" and not data.startswith(codecs.BOM_UTF8):
            codec = "utf-8"
        if codec == "gb18030" and (big5 := _as_big5(data, text)) is not None:
            return big5, _BIG5
        return text, codec
    return _detect(data, path)


def _as_big5(data: bytes, gb_text: str) -> str | None:
    """The Big5 reading of bytes that also decode as GB18030, when it is the plausible one.

    Almost any Big5 byte string is valid GB18030 too, so a strict decode cannot tell them apart;
    what can is the characters: a real GB text is written almost only in GB2312's 3,755 common
    characters, a real Big5 text in Big5's 5,401 常用字, while the wrong reading scatters over
    rare characters.
    """
    gb_share = _common_share(gb_text, "gb2312", _GB2312_COMMON)
    if gb_share >= _PLAUSIBLE_SHARE:
        return None
    try:
        big5_text = data.decode(_BIG5)
    except UnicodeDecodeError:
        return None
    big5_share = _common_share(big5_text, _BIG5, _BIG5_COMMON)
    return big5_text if big5_share >= _PLAUSIBLE_SHARE and big5_share > gb_share else None


def _common_share(text: str, codec: str, common: tuple[bytes, bytes]) -> float:
    """Share of the ideographs in ``text`` that ``codec`` encodes inside its ``common`` range."""
    counts = Counter(ch for ch in text[:_SAMPLE_CHARS] if "\u4e00" <= ch <= "\u9fff")
    total = sum(counts.values())
    if not total:
        return 1.0
    low, high = common
    inside = 0
    for ch, count in counts.items():
        try:
            encoded = ch.encode(codec)
        except UnicodeEncodeError:
            continue
        inside += count if low <= encoded <= high else 0
    return inside / total


def looks_binary(text: str) -> bool:
    """True when too many characters are controls or unassigned: no report looks like that."""
    if not text:
        return False
    # only characters outside the usual ranges can be garbage; a regex finds them at C speed
    bad = sum(1 for match in _UNUSUAL.finditer(text) if _is_garbage(match.group()))
    return bad / len(text) > _MAX_CONTROL_RATIO


def _is_garbage(ch: str) -> bool:
    if ch in _TEXT_CONTROLS:
        return False
    return ch == "\ufffd" or unicodedata.category(ch) in ("Cc", "Cs", "Co", "Cn")


def _candidates(declared: str | None) -> list[str]:
    codecs_to_try = ["utf-8-sig"]
    declared_codec = _codec_for(declared) if declared else None
    if declared_codec and declared_codec not in ("utf-8", "utf-8-sig"):
        codecs_to_try.append(declared_codec)
    if "gb18030" not in codecs_to_try:
        codecs_to_try.append("gb18030")
    return codecs_to_try


def _codec_for(label: str) -> str | None:
    """Python codec for a declared charset, or None when following it could only cause mojibake.

    gb2312/gbk pages routinely hold GB18030 characters; a Western single-byte charset decodes any
    bytes "successfully", and no Chinese report is really written in one.
    """
    try:
        name = codecs.lookup(label.strip().lower()).name
    except LookupError:
        return None
    if name in ("gb2312", "gbk", "hz"):
        return "gb18030"
    if name.startswith(_SINGLE_BYTE_PREFIXES):
        return None
    return "utf-8-sig" if name == "utf-8" else name


def _strict(data: bytes, codec: str, path: str) -> str:
    try:
        return data.decode(codec)
    except UnicodeDecodeError as exc:
        message = f"文件标明是 {codec.upper()} 编码，但内容无法按此解码"
        raise InputError(message, path=path, hint=_ENCODING_HINT) from exc


def _decode_with_nuls(data: bytes, path: str) -> tuple[str, str]:
    """NUL bytes never occur in UTF-8/GB text: either BOM-less UTF-16 or a binary file."""
    decoded = _utf16_without_bom(data)
    if decoded:
        return decoded
    raise InputError("这不是文本文件（含有二进制数据）", path=path, hint=_BINARY_HINT)


def _utf16_without_bom(data: bytes) -> tuple[str, str] | None:
    """The byte order whose decoding reads as Chinese text, if either does.

    NUL parity alone is not enough: 全角空格 (U+3000) and 一 (U+4E00) put their NUL on the
    other side from ASCII's. The wrong byte order scatters characters over unrelated scripts.
    """
    if len(data) % 2:
        return None
    best: tuple[float, str, str] | None = None
    for codec in ("utf-16-le", "utf-16-be"):
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        score = _chinese_text_share(text)
        if best is None or score > best[0]:
            best = (score, text, codec)
    if best is None or best[0] < _MIN_CHINESE_TEXT_SHARE:
        return None
    return best[1], best[2]


def _chinese_text_share(text: str) -> float:
    if not text:
        return 0.0
    usual = sum(1 for ch in text if any(low <= ch <= high for low, high in _CHINESE_TEXT_RANGES))
    return usual / len(text)


def _detect(data: bytes, path: str) -> tuple[str, str]:
    """Last resort: charset-normalizer's best guess, decoded strictly by us."""
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        if _raw_controls_ratio(data) > _MAX_CONTROL_RATIO:
            raise InputError("这不是文本文件（内容像是二进制数据）", path=path, hint=_BINARY_HINT)
        raise InputError("无法识别文件的文字编码", path=path, hint=_ENCODING_HINT)
    try:
        return data.decode(best.encoding), best.encoding
    except (UnicodeDecodeError, LookupError) as exc:
        raise InputError("无法识别文件的文字编码", path=path, hint=_ENCODING_HINT) from exc


def _raw_controls_ratio(data: bytes) -> float:
    controls = sum(1 for byte in data if (byte < 0x20 and byte not in b"\t\n\r\f\v") or byte == 0x7F)
    return controls / len(data) if data else 0.0
