"""Align a model's quote to the original text, or reject it. Never guess a span.

Order: the quote verbatim in the original; then the quote cleaned the same way the report was
(full/half width, blanks, broken lines, bookmarks) found in the clean text and mapped back
through the offset map. Chinese is compared per character; nothing fuzzy is accepted.
"""

from __future__ import annotations

import re

from fazhi_review.models import Evidence, NormalizedText
from fazhi_review.normalize import normalize_text

#: shorter quotes match too many places to prove anything
MIN_QUOTE_CHARS = 4
_WRAPPERS = "「」『』\"'“”‘’ \n\t"
_BLANKS = re.compile(r"\s+")


def _nearest(haystack: str, needle: str, near: int | None) -> int:
    """The occurrence of needle nearest ``near`` (the first when near is None); -1 if none."""
    first = haystack.find(needle)
    if first == -1 or near is None:
        return first
    best, position = first, first
    while position != -1:
        if abs(position - near) < abs(best - near):
            best = position
        position = haystack.find(needle, position + 1)
    return best


def align_quote(norm: NormalizedText, quote: str, near: int | None = None) -> Evidence | None:
    """Evidence for ``quote`` in the original text, or None when it does not stand there."""
    wanted = quote.strip(_WRAPPERS).rstrip("…").strip(_WRAPPERS)
    if len(wanted) < MIN_QUOTE_CHARS:
        return None
    start = _nearest(norm.original, wanted, near)
    if start != -1:
        return Evidence(quote=wanted, start=start, end=start + len(wanted))
    clean = _BLANKS.sub("", normalize_text(wanted).text)
    if len(clean) < MIN_QUOTE_CHARS:
        return None
    position = _nearest(norm.text, clean, None)
    if position == -1:
        return None
    return norm.evidence(position, position + len(clean))
