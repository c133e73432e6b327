"""After the reports: cross-report checks, the 审阅意见 of the reports they speak to, then the
county roll-up, viewer and failure list.

Summaries are read back from the per-report JSON just written (so the roll-up always agrees
with what is on disk, cached or not) and the original texts from the cache. The cross checks need
every report at once and run here; the workbook and the viewer, the largest parts, are written by
the batch's worker processes (reading the same files) while this process writes the rest.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Container, Iterator
from concurrent.futures import BrokenExecutor, Executor, Future
from pathlib import Path

from fazhi_review import __version__
from fazhi_review.analysis import cycle_collection_paused
from fazhi_review.batch.cache import CACHE_DIR, JOURNAL, MANIFEST, Cache, Manifest, ManifestEntry
from fazhi_review.batch.cross_review import review_with_cross_findings
from fazhi_review.batch.crosscheck import Doc, copied_passages
from fazhi_review.batch.files import write_bytes_atomic, write_text_atomic
from fazhi_review.batch.job import REPORTS_DIR, summary_outputs
from fazhi_review.batch.years import year_over_year
from fazhi_review.county import CrossFinding, FailureRecord, ReportRow, Rollup, SkippedFile
from fazhi_review.models import ReportSummary
from fazhi_review.render.docx import gongwen_docx_bytes
from fazhi_review.render.rollup import failures_markdown, rollup_gongwen, rollup_markdown
from fazhi_review.render.viewer import PAGES_DIR, index_html, page_name, report_page_html
from fazhi_review.review import ReviewSettings

XLSX = "汇总表.xlsx"
ROLLUP_MD = "县级汇总.md"
ROLLUP_DOCX = "县级汇总.docx"
FAILURES_MD = "失败清单.md"
FAILURES_JSON = "失败清单.json"
INDEX = "index.html"
CROSS_JSON = "跨报告发现.json"
#: the county files the viewer's index links to
_INDEX_LINKS = ((XLSX, "汇总表（Excel）"), (ROLLUP_DOCX, "县级汇总（Word）"), (ROLLUP_MD, "县级汇总（Markdown）"), (FAILURES_MD, "失败清单"))
ROLLUP_FILES = (XLSX, ROLLUP_MD, ROLLUP_DOCX, INDEX, FAILURES_MD, FAILURES_JSON, CROSS_JSON)


def is_batch_output(root: Path, path: Path) -> bool:
    """A file this batch writes into its output folder ``root`` (resolved; per-report files,
    viewer pages, cache, roll-up, manifest), whatever else the user keeps there: none of them is
    ever read as a report."""
    try:
        relative = path.resolve().relative_to(root)
    except ValueError:
        return False
    if len(relative.parts) > 1:
        return relative.parts[0] in {REPORTS_DIR, PAGES_DIR, CACHE_DIR}
    return relative.name in {*ROLLUP_FILES, MANIFEST, JOURNAL}


def rollup_key(manifest: Manifest, failures: list[FailureRecord], settings: ReviewSettings, skipped: list[SkippedFile] | None = None) -> str:
    """What the roll-up is computed from; unchanged → the files on disk are already right."""
    entries = sorted((name, e.key, e.status, e.verdict, e.error) for name, e in manifest.reports.items())
    payload = {
        "reports": entries,
        "failures": sorted(f.model_dump_json() for f in failures),
        "skipped": sorted(s.model_dump_json() for s in skipped or []),
        "settings": settings.model_dump(mode="json"),
        "date": (settings.date or dt.date.today()).isoformat(),
        "tool": __version__,
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True, ensure_ascii=False, default=str).encode("utf-8")).hexdigest()


def rollup_is_current(outdir: Path, manifest: Manifest, key: str) -> bool:
    return manifest.rollup_key == key and all((outdir / name).is_file() for name in ROLLUP_FILES)


def _summaries(outdir: Path, manifest: Manifest) -> Iterator[tuple[str, ManifestEntry, Path]]:
    """The finished reports, in the roll-up's order, with the path of each one's summary JSON."""
    for name, entry in sorted(manifest.reports.items(), key=lambda item: item[1].source):
        if entry.status == "done" and entry.key is not None:
            yield name, entry, outdir / summary_outputs(name)["summary_json"]


def _row(name: str, entry: ManifestEntry, summary_path: Path) -> ReportRow:
    summary = ReportSummary.model_validate_json(summary_path.read_bytes())
    return ReportRow(name=name, source_file=entry.source, summary=summary, verdict=entry.verdict, verdict_reasons=entry.verdict_reasons)


def load_docs(outdir: Path, manifest: Manifest) -> tuple[list[ReportRow], list[Doc]]:
    cache = Cache(outdir / CACHE_DIR)
    rows, docs = [], []
    for name, entry, summary_path in _summaries(outdir, manifest):
        text = cache.load_text(entry.key or "")
        if text is None or not summary_path.is_file():
            continue
        row = _row(name, entry, summary_path)
        rows.append(row)
        docs.append(Doc(name=name, source=entry.source, text=text, summary=row.summary))
    return rows, docs


def _load_rows(outdir: Path, manifest: Manifest, names: Container[str]) -> list[ReportRow]:
    """The rows of the reports named, without their original texts (the workbook has none)."""
    return [_row(name, entry, path) for name, entry, path in _summaries(outdir, manifest) if name in names and path.is_file()]


def _failure_files(outdir: Path, failures: list[FailureRecord], skipped: list[SkippedFile]) -> None:
    ordered = sorted(failures, key=lambda f: f.file)
    write_text_atomic(outdir / FAILURES_MD, failures_markdown(ordered, skipped))
    payload = {"failures": [f.model_dump() for f in ordered], "skipped": [s.model_dump() for s in skipped]}
    write_text_atomic(outdir / FAILURES_JSON, json.dumps(payload, ensure_ascii=False, indent=2) + "\n")


def _viewer(outdir: Path, rollup: Rollup, docs: list[Doc]) -> None:
    (outdir / PAGES_DIR).mkdir(exist_ok=True)
    for row, doc in zip(rollup.reports, docs, strict=True):
        write_text_atomic(outdir / page_name(row.name), report_page_html(row, doc.text, rollup.cross_for(row.name)))
    write_text_atomic(outdir / INDEX, index_html(rollup, files=_INDEX_LINKS))


def _xlsx(outdir: Path, rollup: Rollup, docs: list[Doc]) -> None:
    from fazhi_review.render.xlsx import rollup_xlsx_bytes  # openpyxl: imported where a workbook is written

    write_bytes_atomic(outdir / XLSX, rollup_xlsx_bytes(rollup))


#: the roll-up's parts a worker process can write while the parent writes the rest: the largest
#: (openpyxl writes a cell at a time; the viewer is a page and a file per report)
_OFFLOADED = {"xlsx": _xlsx, "viewer": _viewer}


Verdicts = dict[str, tuple[str | None, list[str]]]


@cycle_collection_paused()
def write_part(part: str, outdir: Path, manifest: Manifest, verdicts: Verdicts, cross: list[CrossFinding], failures: list[FailureRecord]) -> None:
    """In a worker process: one part of the roll-up, from the same files on disk the parent read
    (only the reports of ``verdicts``, those the parent's roll-up holds, with the verdicts their
    审阅意见 carry once the cross findings are in), so the worker gets a few names and findings
    instead of every summary and text pickled. The workbook needs no original texts."""
    if part == "xlsx":
        rows, docs = _load_rows(outdir, manifest, verdicts), []
    else:
        loaded, all_docs = load_docs(outdir, manifest)
        kept = [i for i, row in enumerate(loaded) if row.name in verdicts]
        rows, docs = [loaded[i] for i in kept], [all_docs[i] for i in kept]
    reports = [row.model_copy(update=dict(zip(("verdict", "verdict_reasons"), verdicts[row.name], strict=True))) for row in rows]
    rollup = Rollup(reports=reports, cross_findings=cross, failures=sorted(failures, key=lambda f: f.file))
    _OFFLOADED[part](outdir, rollup, docs)


def _hand_out(
    pool: Executor, outdir: Path, manifest: Manifest, verdicts: Verdicts, cross: list[CrossFinding], failures: list[FailureRecord]
) -> dict[str, Future[None]]:
    handed: dict[str, Future[None]] = {}
    for part in _OFFLOADED:
        try:
            handed[part] = pool.submit(write_part, part, outdir, manifest, verdicts, cross, failures)
        except BrokenExecutor:  # a worker died earlier: the parts not handed out are written here
            break
    return handed


#: every summary of the batch is alive at once here: each full pass of the cycle collector re-scanned
#: them all, ~1.5 ms per report in reading the summaries back (they hold no cycles to collect)
@cycle_collection_paused()
def write_rollup(
    outdir: Path, manifest: Manifest, failures: list[FailureRecord], settings: ReviewSettings, pool: Executor | None = None, skipped: list[SkippedFile] | None = None
) -> Rollup:
    """``pool``: the batch's worker processes, which then write the workbook and the viewer while
    this process writes the rest; without it everything is written here. ``skipped``: files of the
    input folders not read as reports, listed beside the failures."""
    rows, docs = load_docs(outdir, manifest)
    cross = copied_passages(docs) + year_over_year(docs)
    rows = review_with_cross_findings(outdir, rows, cross, settings, manifest)
    rollup = Rollup(reports=rows, cross_findings=cross, failures=sorted(failures, key=lambda f: f.file), skipped=skipped or [])
    verdicts: Verdicts = {row.name: (row.verdict, row.verdict_reasons) for row in rows}
    offloaded = _hand_out(pool, outdir, manifest, verdicts, cross, failures) if pool is not None else {}
    for part, writer in _OFFLOADED.items():
        if part not in offloaded:
            writer(outdir, rollup, docs)
    today = settings.date or dt.date.today()
    write_text_atomic(outdir / ROLLUP_MD, rollup_markdown(rollup))
    gongwen = rollup_gongwen(rollup, issuer=settings.issuer, date=f"{today.year}年{today.month}月{today.day}日")
    write_bytes_atomic(outdir / ROLLUP_DOCX, gongwen_docx_bytes(gongwen))
    _failure_files(outdir, failures, rollup.skipped)
    write_text_atomic(outdir / CROSS_JSON, json.dumps([f.model_dump(mode="json") for f in cross], ensure_ascii=False, indent=1) + "\n")
    for part, future in offloaded.items():
        try:
            future.result()  # the worker's error, if any, is this roll-up's
        except BrokenExecutor:  # the worker died (killed, out of memory): write the part here
            _OFFLOADED[part](outdir, rollup, docs)
    return rollup
