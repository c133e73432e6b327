"""What a format reader returns: the text, and what the Document must know about it."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Extracted:
    text: str
    encoding: str | None = None
    #: [start, end) ranges of ``text`` rendered by the reader, not characters of the file
    #: (Word's automatic list numbers)
    synthetic: list[tuple[int, int]] = field(default_factory=list)
    #: the text was recognised from page images
    ocr: bool = False
