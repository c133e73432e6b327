"""Evidence, aligned once: a span or a quote of the report → verbatim original text and offsets.

Order for a quote: the quote verbatim in the original (``alignment="exact"``); then the quote
cleaned the same way the report was (full/half width, blanks, broken lines, bookmarks) found in
the clean text and mapped back through the offset map (``"normalized"``); otherwise it is
rejected (None). Chinese is compared per character; nothing fuzzy is accepted, no span guessed.
A quote may be confined to a window (the sentence a model cited): then it must stand inside it.
"""

from __future__ import annotations

import re

from fazhi_review.models import Evidence, NormalizedText, Span
from fazhi_review.normalize import normalize_text

#: shorter quotes match too many places to prove anything
MIN_QUOTE_CHARS = 4
_WRAPPERS = "「」『』\"'“”‘’ \n\t"
_BLANKS = re.compile(r"\s+")


def span_evidence(norm: NormalizedText, span: Span) -> Evidence:
    """Evidence for a clean-text span (a sentence, a clause): exact unless cleaning changed it."""
    return norm.evidence(span.start, span.end)


def _nearest(haystack: str, needle: str, near: int | None, lo: int, hi: int) -> int:
    """The occurrence of needle in haystack[lo:hi] nearest ``near`` (else the first); -1 if none."""
    first = haystack.find(needle, lo, hi)
    if first == -1 or near is None:
        return first
    best, position = first, first
    while position != -1:
        if abs(position - near) < abs(best - near):
            best = position
        position = haystack.find(needle, position + 1, hi)
    return best


def align_quote(norm: NormalizedText, quote: str, near: int | None = None, within: Span | None = None) -> Evidence | None:
    """Evidence for ``quote`` in the original text (inside the clean span ``within``), or None."""
    wanted = quote.strip(_WRAPPERS).rstrip("…").strip(_WRAPPERS)
    if len(wanted) < MIN_QUOTE_CHARS:
        return None
    lo, hi = norm.to_original(within.start, within.end) if within else (0, len(norm.original))
    start = _nearest(norm.original, wanted, near, lo, hi)
    if start != -1:
        return Evidence(quote=wanted, start=start, end=start + len(wanted), alignment="exact")
    clean = _BLANKS.sub("", normalize_text(wanted).text)
    if len(clean) < MIN_QUOTE_CHARS:
        return None
    clean_lo, clean_hi = (within.start, within.end) if within else (0, len(norm.text))
    position = _nearest(norm.text, clean, None, clean_lo, clean_hi)
    if position == -1:
        return None
    found = norm.evidence(position, position + len(clean))
    return found.model_copy(update={"alignment": "normalized"})
