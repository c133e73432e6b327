"""Render the Jinja2 prompts in top-level ``prompts/`` (shipped in the wheel) and hash them;
number the report's sentences and mark its facts for the model (``Listing``).

The prompt hash goes into every summary's provenance; because cassettes match on the request
body, a changed prompt also makes the replay tests fail until the cassettes are re-recorded.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from fazhi_review.analysis import Analysis
from fazhi_review.models import Paragraph, Span
from fazhi_review.text import SENTENCE_BREAK

PROMPT_FILES = ("system.j2", "summarize.j2")
_JINJA_MARKS = ("{{", "{%", "{#")


def prompts_dir() -> Path:
    """Inside the installed wheel, or the repository's top-level prompts/ in a checkout."""
    packaged = Path(__file__).resolve().parents[1] / "prompts"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[3] / "prompts"


@cache
def _environment() -> Environment:
    return Environment(loader=FileSystemLoader(prompts_dir()), undefined=StrictUndefined, keep_trailing_newline=True, autoescape=False)


@cache
def prompt_hash() -> str:
    digest = hashlib.sha256()
    for name in PROMPT_FILES:
        digest.update((prompts_dir() / name).read_bytes())
    return digest.hexdigest()[:16]


def _raw(text: str) -> str:
    """instructor renders messages as Jinja when a validation context is given: keep ours literal."""
    return "{% raw %}" + text + "{% endraw %}" if any(mark in text for mark in _JINJA_MARKS) else text


@dataclass(frozen=True)
class Listing:
    """The report as the model sees it: sentences numbered S1, S2 … (one paragraph a line) and
    numeric facts marked inline (【F3】358件). The model cites these ids instead of re-typing
    quotes, so a claim's evidence is a sentence of the report by construction."""

    text: str
    #: "S3" → the sentence's clean-text span
    sentences: dict[str, Span]
    #: "F3" → the id of the sentence that holds the fact
    fact_sentence: dict[str, str]


def _paragraph_line(clean: str, paragraph: Paragraph, sentences: list[tuple[str, Span]], marks: dict[int, str]) -> str:
    pieces: list[str] = []
    for sentence_id, span in sentences:
        pieces.append(sentence_id)  # no blank: a blank before a Chinese character costs a token
        cursor = span.start
        for position in sorted(p for p in marks if span.start <= p < span.end):
            pieces.append(clean[cursor:position] + marks[position])
            cursor = position
        pieces.append(clean[cursor : span.end])
    return "".join(pieces)


def _trimmed(clean: str, start: int, end: int) -> Span | None:
    piece = clean[start:end]
    stripped = piece.strip()
    if not stripped:
        return None
    offset = start + piece.find(stripped)
    return Span(start=offset, end=offset + len(stripped))


def _full_sentences(clean: str, paragraphs: list[Paragraph]) -> list[Span]:
    """Sentences closed by 。！？ only (not ；): every id costs the model tokens, and a semicolon
    clause is still citable as a ``quote`` inside its sentence."""
    spans: list[Span] = []
    for paragraph in paragraphs:
        start = paragraph.span.start
        ends = [m.end() for m in SENTENCE_BREAK.finditer(clean, paragraph.span.start, paragraph.span.end)]
        for end in [*ends, paragraph.span.end]:
            span = _trimmed(clean, start, end)
            if span is not None:
                spans.append(span)
            start = end
    return spans


def build_listing(analysis: Analysis, paragraphs: list[Paragraph]) -> Listing:
    """Sentence ids are numbered over the whole report, so a split report's chunks never reuse one."""
    clean = analysis.norm.text
    numbered = _full_sentences(clean, analysis.report.paragraphs)
    ids = {(span.start, span.end): f"S{n}" for n, span in enumerate(numbered, 1)}
    wanted = {p.index for p in paragraphs}
    sentences: dict[str, Span] = {}
    fact_sentence: dict[str, str] = {}
    lines: list[str] = []
    for paragraph in analysis.report.paragraphs:
        if paragraph.index not in wanted:
            continue
        own = [(ids[(s.start, s.end)], s) for s in numbered if paragraph.span.start <= s.start < paragraph.span.end]
        facts = [f for f in analysis.facts if paragraph.span.start <= f.span.start < paragraph.span.end]
        for fact in facts:
            holder = next((sid for sid, s in own if s.start <= fact.span.start < s.end), None)
            if holder:
                fact_sentence[fact.id] = holder
        marks = {f.span.start: f"【{f.id}】" for f in facts if f.id in fact_sentence}
        sentences.update(own)
        if own:
            lines.append(_paragraph_line(clean, paragraph, own, marks))
    return Listing(text="\n".join(lines), sentences=sentences, fact_sentence=fact_sentence)


def build_messages(analysis: Analysis, listing: Listing, part_note: str | None = None) -> list[dict[str, Any]]:
    """The static instructions first (a server's prefix cache reuses them across a batch), the
    report last, between explicit start/end markers: report text is data, never instructions."""
    env = _environment()
    system = env.get_template("system.j2").render()
    user = env.get_template("summarize.j2").render(meta=analysis.report.meta, part_note=part_note, listing=listing.text)
    return [{"role": "system", "content": _raw(system)}, {"role": "user", "content": _raw(user)}]
