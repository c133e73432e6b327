"""Cache and resume: one entry per (report bytes, everything that changes the answer).

The key hashes the report's sha256 with the engine, model, endpoint, mode, prompt and schema
hashes, rule pack version and the settings that change a summary, so a changed prompt or rule
pack recomputes and a rerun with nothing changed makes no model call. Entries are written
atomically after a report is done, so a run killed at any moment leaves only whole entries and
the next run continues from them.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError

from fazhi_review import __version__
from fazhi_review.batch.files import write_bytes_atomic, write_text_atomic
from fazhi_review.checks.catalogue import RULE_PACK_VERSION
from fazhi_review.config import CheckProfile, LLMSettings
from fazhi_review.models import ReportSummary

CACHE_DIR = ".fazhi-cache"
MANIFEST = "manifest.json"
#: per-report records since the last manifest snapshot; exists only while (or if) a run did not finish
JOURNAL = "manifest.journal.jsonl"
_LLM_FIELDS = (
    "max_attempts",
    "max_tokens",
    "retry_max_tokens",
    "temperature",
    "context_chars",
)


def engine_fingerprint(profile: CheckProfile, settings: LLMSettings | None, mode: str | None) -> dict[str, Any]:
    """Everything besides the report's bytes that changes the summary."""
    fingerprint: dict[str, Any] = {"tool": __version__, "rule_pack": RULE_PACK_VERSION, "profile": profile.model_dump(), "engine": "offline"}
    if settings is None:
        return fingerprint
    from fazhi_review.llm.prompt import prompt_hash
    from fazhi_review.llm.schema import schema_hash

    fingerprint |= {
        "engine": "llm",
        "model": settings.model,
        "endpoint": settings.base_url,
        "mode": mode or settings.mode,
        "prompt_hash": prompt_hash(),
        "schema_hash": schema_hash(),
        "llm": {name: getattr(settings, name) for name in _LLM_FIELDS},
    }
    return fingerprint


def cache_key(report_sha256: str, fingerprint: dict[str, Any]) -> str:
    payload = json.dumps({"report": report_sha256, **fingerprint}, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


class CacheEntry(BaseModel):
    """A finished report: its summary and the original text every evidence offset points into."""

    key: str
    summary: ReportSummary
    text: str


class _CachedText(BaseModel):
    """An entry read for its text alone: the roll-up has the summary from the report's JSON
    already, and building every summary's models a second time was a third of reading the batch."""

    model_config = ConfigDict(extra="ignore")

    key: str
    text: str


@dataclass(frozen=True)
class Cache:
    folder: Path

    def path(self, key: str) -> Path:
        return self.folder / f"{key}.json"

    def load(self, key: str) -> CacheEntry | None:
        """The entry, or None when it is missing or unreadable (then the report is redone)."""
        try:
            return CacheEntry.model_validate_json(self.path(key).read_bytes())
        except (OSError, ValidationError, ValueError):
            return None

    def load_text(self, key: str) -> str | None:
        """The entry's original text, or None when the entry is missing or unreadable."""
        try:
            return _CachedText.model_validate_json(self.path(key).read_bytes()).text
        except (OSError, ValidationError, ValueError):
            return None

    def store(self, entry: CacheEntry, summary_json: str | None = None) -> None:
        """The entry's JSON, written whole or not at all by the one atomic writer.
        ``summary_json``: the summary as the report's .json file has it (``render_json``), spliced
        in instead of serialising the summary a second time; loading it gives the same entry."""
        if not self.folder.is_dir():
            self.folder.mkdir(parents=True, exist_ok=True)
        if summary_json is None:
            data = CacheEntry.__pydantic_serializer__.to_json(entry)
        else:
            key, text = json.dumps(entry.key), json.dumps(entry.text, ensure_ascii=False)
            data = f'{{"key":{key},"summary":{summary_json},"text":{text}}}'.encode()
        write_bytes_atomic(self.path(entry.key), data)


class ManifestEntry(BaseModel):
    source: str
    key: str | None = None
    status: str = "pending"  # done | failed | pending
    outputs: list[str] = Field(default_factory=list)
    verdict: str | None = None
    verdict_reasons: list[str] = Field(default_factory=list)
    error: str | None = None
    category: str | None = None
    exit_code: int | None = None
    #: cross-report findings the report's 审阅意见 carries (the roll-up writes them in; when they are
    #: gone, e.g. the other report left the batch, the letter is written again without them)
    cross_findings: int = 0


class Manifest(BaseModel):
    """OUTDIR/manifest.json: what each input became; the resume bookkeeping a person can read."""

    version: int = 1
    fingerprint: dict[str, Any] = Field(default_factory=dict)
    reports: dict[str, ManifestEntry] = Field(default_factory=dict)
    #: the inputs the roll-up on disk was computed from (batch.rollup.rollup_key)
    rollup_key: str | None = None
    #: the settings the 审阅意见 on disk were written with (batch.review_step.letters_key)
    letters_key: str | None = None
    _journal: TextIO | None = PrivateAttr(None)

    @classmethod
    def load(cls, outdir: Path) -> Manifest:
        try:
            manifest = cls.model_validate_json((outdir / MANIFEST).read_bytes())
        except (OSError, ValidationError, ValueError):
            manifest = cls()
        manifest._replay(outdir / JOURNAL)
        return manifest

    def _replay(self, journal: Path) -> None:
        """The reports recorded after the last snapshot, in order; a line a crash cut off is skipped."""
        try:
            lines = journal.read_bytes().splitlines()
        except OSError:
            return
        for line in lines:
            try:
                record = JournalLine.model_validate_json(line)
            except (ValidationError, ValueError):
                continue
            self.reports[record.name] = record.entry

    def record(self, outdir: Path, name: str, entry: ManifestEntry) -> None:
        """One appended line per finished report, so a crash loses none of them: rewriting the
        whole manifest (600 kB at 1,000 reports) as each one finishes would be quadratic. The
        journal stays open until ``save`` (opening a file per report cost more than the line);
        each line is flushed at once, as closing the file would."""
        self.reports[name] = entry
        if self._journal is None or self._journal.name != str(outdir / JOURNAL):
            self._close_journal()
            self._journal = (outdir / JOURNAL).open("a", encoding="utf-8")
        self._journal.write(JournalLine(name=name, entry=entry).model_dump_json() + "\n")
        self._journal.flush()

    def _close_journal(self) -> None:
        if self._journal is not None:
            self._journal.close()
            self._journal = None

    def save(self, outdir: Path) -> None:
        """The snapshot, which holds everything the journal held, so the journal goes."""
        self._close_journal()
        write_text_atomic(outdir / MANIFEST, self.model_dump_json(indent=1))
        (outdir / JOURNAL).unlink(missing_ok=True)

    def finished(self, name: str, key: str, outdir: Path) -> bool:
        """Done with this very key and every output still on disk."""
        entry = self.reports.get(name)
        return bool(entry and entry.status == "done" and entry.key == key and entry.outputs and all((outdir / o).is_file() for o in entry.outputs))


class JournalLine(BaseModel):
    name: str
    entry: ManifestEntry
