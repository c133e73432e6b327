"""Render the Jinja2 prompts in top-level ``prompts/`` (shipped in the wheel) and hash them.

The prompt hash goes into every summary's provenance; because cassettes match on the request
body, a changed prompt also makes the replay tests fail until the cassettes are re-recorded.
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from fazhi_review.analysis import Analysis
from fazhi_review.checks.catalogue import RULES
from fazhi_review.facts.taxonomy import label
from fazhi_review.models import Paragraph

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


def build_messages(analysis: Analysis, paragraphs: list[Paragraph], part_note: str | None = None) -> list[dict[str, Any]]:
    """System and user messages for the paragraphs given (the whole report, or one part)."""
    env = _environment()
    judgement = [rule for rule in RULES.values() if rule.kind == "judgement"]
    inside = [(p.span.start, p.span.end) for p in paragraphs]
    facts = [
        {
            "id": fact.id,
            "text": fact.text,
            "category_label": label(fact.category),
            "clause": analysis.norm.text[fact.clause.start : fact.clause.end],
        }
        for fact in analysis.facts
        if any(start <= fact.span.start < end for start, end in inside)
    ]
    system = env.get_template("system.j2").render(judgement_rules=judgement)
    user = env.get_template("summarize.j2").render(
        meta=analysis.report.meta,
        part_note=part_note,
        paragraphs=paragraphs,
        facts=facts,
        findings=analysis.findings,
    )
    return [{"role": "system", "content": _raw(system)}, {"role": "user", "content": _raw(user)}]
