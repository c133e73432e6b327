"""Fast rule internals against the straightforward versions they replaced, on random inputs.

A speed-up must not change a finding, so each replaced algorithm keeps its plain reference
here and both run on seeded random texts built to hit the edge cases (overlapping repeats,
copies broken by a newline, a k-gram whose first occurrence lies inside an earlier copy,
CJK/ASCII mixes, texts shorter than the window).
"""

from __future__ import annotations

import random

import pytest

from fazhi_review.checks import repetition
from fazhi_review.checks.repetition import _repeats


def reference_repeats(text: str, min_chars: int) -> list[tuple[int, int, int]]:
    """The per-character scan ``_repeats`` replaced (verbatim)."""
    first_at: dict[int, int] = {}
    found = []
    i, n = 0, len(text)
    while i <= n - min_chars:
        gram = text[i : i + min_chars]
        j = first_at.setdefault(hash(gram), i)
        if j + min_chars <= i and "\n" not in gram and text[j : j + min_chars] == gram:
            length = min_chars
            while i + length < n and j + length < i and text[j + length] == text[i + length] and text[i + length] != "\n":
                length += 1
            found.append((j, i, length))
            i += length
            continue
        i += 1
    return found


def random_text(rng: random.Random) -> str:
    """Pieces from a small pool, so copies (and copies of copies, and overlaps) are common."""
    alphabet = rng.choice(["ab", "abc\n", "法治政府建设", "依法行政，a1\n", "ab。\n执法"])
    pool = ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 40))) for _ in range(rng.randint(1, 6))]
    return "".join(rng.choice(pool) for _ in range(rng.randint(0, 30)))


@pytest.mark.parametrize("seed", range(40))
def test_repeats_matches_the_plain_scan_on_random_texts(seed: int) -> None:
    rng = random.Random(seed)
    for _ in range(50):
        text = random_text(rng)
        min_chars = rng.choice([1, 2, 3, 5, 8, 24])
        assert _repeats(text, min_chars) == reference_repeats(text, min_chars), (text, min_chars)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "abc",
        "a" * 100,  # one long overlapping run
        "ab" * 60,
        "甲乙丙丁戊己庚辛" * 3 + "\n" + "甲乙丙丁戊己庚辛" * 3,
        # the window "XYZ…Q" first occurs across the end of the second copy of A, which the
        # scan jumps over; its next occurrence is then its first visited one
        "AAAAAAAAAB" + "AAAAAAAAAQ" + "AAAAAAAAAQRST" + "AAAAAAAAAQRST",
        "0123456789" + "-" + "0123456789" + "abcdefghij" + "-" + "9abcdefghij" + "9abcdefghij",
        "第一段内容。\n第一段内容。\n第一段内容。",
    ],
)
def test_repeats_matches_the_plain_scan_on_edge_cases(text: str) -> None:
    for min_chars in (1, 2, 4, 8, 10):
        assert _repeats(text, min_chars) == reference_repeats(text, min_chars)


def test_repeats_falls_back_to_the_plain_scan_when_hashes_collide(monkeypatch: pytest.MonkeyPatch) -> None:
    """Two different k-grams sharing a hash must not change the result (forced here: 3 hash values)."""
    real = repetition._window_hashes
    monkeypatch.setattr(repetition, "_window_hashes", lambda codes, width: real(codes, width) % 3)
    text = "依法行政，推进法治政府建设。" * 3 + "\n" + "严格规范公正文明执法，" * 2
    assert repetition._indexed_repeats(text, 8) is None  # the collision is noticed …
    assert _repeats(text, 8) == reference_repeats(text, 8)  # … and the plain scan answers
    rng = random.Random(7)
    for _ in range(200):
        text, min_chars = random_text(rng), rng.choice([2, 5, 8])
        assert _repeats(text, min_chars) == reference_repeats(text, min_chars)
