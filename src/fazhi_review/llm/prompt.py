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


def compile_templates() -> None:
    """Compile the prompts now (jinja caches them in the environment) rather than on first use."""
    for name in PROMPT_FILES:
        _environment().get_template(name)


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
        # no blank before a Chinese character (it would cost a token); one before a digit or a
        # Latin letter, or "S2" + "2024年" would read as S22024
        pieces.append(sentence_id + (" " if clean[span.start].isascii() and clean[span.start].isalnum() else ""))
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
    """Sentence ids are numbered over the whole report, so a split report's chunks never reuse one.
    One pass over sentences and facts (both in text order): no rescans per paragraph."""
    clean = analysis.norm.text
    numbered = list(enumerate(_full_sentences(clean, analysis.report.paragraphs), 1))
    facts = sorted(analysis.facts, key=lambda f: f.span.start)
    wanted = {p.index for p in paragraphs}
    sentences: dict[str, Span] = {}
    fact_sentence: dict[str, str] = {}
    lines: list[str] = []
    s_at = f_at = 0
    for paragraph in analysis.report.paragraphs:
        own: list[tuple[str, Span]] = []
        while s_at < len(numbered) and numbered[s_at][1].start < paragraph.span.end:
            number, span = numbered[s_at]
            if span.start >= paragraph.span.start:
                own.append((f"S{number}", span))
            s_at += 1
        marks: dict[int, str] = {}
        while f_at < len(facts) and facts[f_at].span.start < paragraph.span.end:
            fact = facts[f_at]
            holder = next((sid for sid, span in own if span.start <= fact.span.start < span.end), None)
            if holder and paragraph.index in wanted:
                fact_sentence[fact.id] = holder
                marks[fact.span.start] = f"【{fact.id}】"
            f_at += 1
        if own and paragraph.index in wanted:
            sentences.update(own)
            lines.append(_paragraph_line(clean, paragraph, own, marks))
    return Listing(text="\n".join(lines), sentences=sentences, fact_sentence=fact_sentence)


def build_messages(analysis: Analysis, listing: Listing, part_note: str | None = None) -> list[dict[str, Any]]:
    """The static instructions first (a server's prefix cache reuses them across a batch), the
    report last, between explicit start/end markers: report text is data, never instructions."""
    env = _environment()
    system = env.get_template("system.j2").render()
    user = env.get_template("summarize.j2").render(meta=analysis.report.meta, part_note=part_note, listing=listing.text)
    # stripped: instructor's templating would drop a trailing newline anyway, and it costs a token
    return [{"role": "system", "content": _raw(system.strip())}, {"role": "user", "content": _raw(user.strip())}]
