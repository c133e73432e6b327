"""fazhi batch, offline: discovery, per-report outputs, roll-up counts, cache, resume, failures."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook
from typer.testing import CliRunner

from batch_helpers import EXAMPLES, copy_examples, run_offline, write
from fazhi_review.analysis import analyze_path
from fazhi_review.batch.cache import MANIFEST, Manifest
from fazhi_review.batch.discovery import discover, output_names
from fazhi_review.batch.job import BatchEngine, summary_outputs
from fazhi_review.batch.rollup import FAILURES_JSON, FAILURES_MD, XLSX
from fazhi_review.cli import app
from fazhi_review.engine import summarize_offline
from fazhi_review.errors import UsageError
from fazhi_review.models import ReportSummary
from fazhi_review.render import render_markdown
from fazhi_review.render.review import render_review_markdown
from fazhi_review.render.rollup import batch_summary
from fazhi_review.review import draft_review
from fazhi_review.review_pipeline import load_review_settings


def test_discovery_skips_lock_hidden_and_unsupported_files_with_notes(tmp_path: Path) -> None:
    copy_examples(tmp_path / "县" / "a")
    write(tmp_path / "县" / "~$毛俊镇.docx", "lock")
    write(tmp_path / "县" / ".隐藏.txt", "hidden")
    write(tmp_path / "县" / ".git" / "x.txt", "hidden folder")
    write(tmp_path / "县" / "统计.xlsx", "sheet")
    write(tmp_path / "县" / "青山镇报告.ofd", "PK")
    found = discover([tmp_path / "县"])
    assert [p.name for p in found.files] == [p.name for p in EXAMPLES]
    assert any("~$毛俊镇.docx" in n and "锁定" in n for n in found.notes)
    assert any("统计.xlsx" in n and ".xlsx" in n for n in found.notes)
    assert any("青山镇报告.ofd" in n and "另存为 PDF" in n for n in found.notes)  # with the way to a readable copy
    assert not any("隐藏" in n or ".git" in n for n in found.notes)


@pytest.mark.parametrize(
    ("page", "companion"),
    [("毛俊镇报告.html", "毛俊镇报告_files"), ("毛俊镇报告.htm", "毛俊镇报告.files")],
    ids=["chrome", "word-web-page"],
)
def test_a_saved_web_pages_companion_folder_is_not_read(tmp_path: Path, page: str, companion: str) -> None:
    """A page saved "complete" brings a folder of frames (.htm), scripts and images: its frames
    would each be a "report" with every part missing (false 高 findings)."""
    county = tmp_path / "县"
    copy_examples(county)
    write(county / page, "<html><body><p>毛俊镇2024年度法治政府建设情况报告</p></body></html>")
    write(county / companion / "frame1.htm", "<html><body>网站导航 首页 政务公开</body></html>")
    write(county / companion / "sub" / "share.html", "<html><body>分享到</body></html>")
    write(county / companion / "style.css", "p{}")
    found = discover([county])
    assert sorted(p.name for p in found.files) == sorted([*(p.name for p in EXAMPLES), page])
    assert [(path.name, "附属文件夹" in reason) for path, reason in found.skipped] == [(companion, True)]
    assert [n for n in found.notes if companion in n and "3 个文件" in n]


def test_an_ordinary_folder_named_like_a_companion_is_read(tmp_path: Path) -> None:
    """No saved page beside it: "2024年报告_files" is the user's own folder."""
    county = tmp_path / "县"
    copy_examples(county / "2024年报告_files")
    assert sorted(p.name for p in discover([county]).files) == sorted(p.name for p in EXAMPLES)


def test_many_files_skipped_for_one_reason_are_one_note(tmp_path: Path) -> None:
    """A folder of scanned annex pages is one line, not fifty; two files still get a line each."""
    copy_examples(tmp_path / "县")
    for page in range(1, 51):
        write(tmp_path / "县" / "附件扫描" / f"第{page:02d}页.jpg", "image")
    write(tmp_path / "县" / "统计.xlsx", "sheet")
    write(tmp_path / "县" / "名单.xlsx", "sheet")
    notes = discover([tmp_path / "县"]).notes
    scans = [n for n in notes if "附件扫描" in n]
    assert len(scans) == 1 and "50 个文件" in scans[0] and "第01页.jpg" in scans[0] and ".jpg" in scans[0]
    assert len([n for n in notes if ".xlsx" in n]) == 2


def test_missing_input_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError):
        discover([tmp_path / "没有这个目录"])


def test_output_names_never_collide(tmp_path: Path) -> None:
    files = [write(tmp_path / "甲" / "报告.txt", "x"), write(tmp_path / "乙" / "报告.txt", "x"), write(tmp_path / "甲" / "报告.html", "x")]
    names = output_names(files)
    assert [names[path] for path in files] == ["甲-报告", "乙-报告", "报告-html"]  # each township's folder kept
    single = write(tmp_path / "丙" / "丙镇.txt", "x")
    assert output_names([single]) == {single: "丙镇"}


def _summary(outdir: Path, name: str) -> ReportSummary:
    return ReportSummary.model_validate_json((outdir / summary_outputs(name)["summary_json"]).read_bytes())


@pytest.mark.parametrize("jobs", [1, 2])
def test_per_report_outputs_equal_the_single_report_commands(tmp_path: Path, jobs: int) -> None:
    inputs = copy_examples(tmp_path / "in")
    outdir = tmp_path / "out"
    result = run_offline([tmp_path / "in"], outdir, jobs=jobs)
    assert result.exit_code == 0 and result.succeeded == len(EXAMPLES) and not result.failures
    for path in inputs:
        single = summarize_offline(analyze_path(path))
        batch = _summary(outdir, path.stem)
        assert batch.model_dump(exclude={"meta": {"source_file"}}) == single.model_dump(exclude={"meta": {"source_file"}})
        outputs = summary_outputs(path.stem)
        assert (outdir / outputs["summary_md"]).read_text(encoding="utf-8") == render_markdown(batch)
        assert (outdir / outputs["review_md"]).read_text(encoding="utf-8") == render_review_markdown(draft_review(batch, load_review_settings({})))
        assert (outdir / outputs["review_docx"]).read_bytes()[:2] == b"PK"
    assert not list(outdir.rglob("*.tmp"))


def test_rollup_sheets_match_the_single_report_results(tmp_path: Path) -> None:
    copy_examples(tmp_path / "in")
    outdir = tmp_path / "out"
    run_offline([tmp_path / "in"], outdir)
    book = load_workbook(outdir / XLSX)
    assert book.sheetnames == ["总览", "量化指标", "量化指标明细", "合规风险", "不足与整改"]
    overview = book["总览"]
    header = [c.value for c in overview[1]]
    assert overview.freeze_panes == "A2" and overview.auto_filter.ref
    rows = {r[0]: dict(zip(header, r, strict=True)) for r in overview.iter_rows(min_row=2, values_only=True)}
    summaries = {str(p): summarize_offline(analyze_path(p)) for p in sorted((tmp_path / "in").iterdir())}
    assert set(rows) == set(summaries)
    for source, summary in summaries.items():
        row = rows[source]
        assert (row["亮点"], row["量化指标"], row["不足"], row["整改措施"]) == (
            len(summary.highlights), len(summary.indicators), len(summary.shortcomings), len(summary.measures)
        )  # fmt: skip
        assert row["高风险"] == sum(r.severity == "高" for r in summary.risks)
        assert row["报告单位"] == summary.meta.issuer and row["报告年度"] == summary.meta.report_year
        assert row["不足的原因"] == ("✓" if summary.parts["reasons"] else "✗")
    high_cells = [r for r in overview.iter_rows(min_row=2) if r[header.index("高风险")].value]
    assert all(c[header.index("高风险")].fill.start_color.rgb.endswith("FFC7CE") for c in high_cells)
    assert book["量化指标明细"].max_row - 1 == sum(len(s.indicators) for s in summaries.values())
    assert book["合规风险"].max_row - 1 == sum(len(s.risks) for s in summaries.values())
    assert book["不足与整改"].max_row - 1 == sum(len(s.shortcomings) for s in summaries.values())
    for row in book["量化指标明细"].iter_rows(min_row=2, values_only=True):
        original = Path(row[0]).read_text(encoding="utf-8")
        assert original[row[8] : row[9]] == row[7]
    assert book["量化指标"].max_row - 1 == len(summaries)
    markdown = (outdir / "县级汇总.md").read_text(encoding="utf-8")
    word = "\n".join(p.text for p in Document(str(outdir / "县级汇总.docx")).paragraphs)
    for heading in ("一、总体情况", "二、共性问题", "三、典型做法", "四、量化指标对比", "五、需修改或重报的报告"):
        assert heading in markdown and heading in word
    assert f"本次共审阅报告{len(summaries)}份" in markdown and "共性问题" in markdown and "missing-part:reasons" in markdown


def test_unchanged_rerun_does_no_work_and_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    copy_examples(tmp_path / "in")
    outdir = tmp_path / "out"
    run_offline([tmp_path / "in"], outdir)
    calls: list[Path] = []
    original = BatchEngine.summarize
    monkeypatch.setattr(BatchEngine, "summarize", lambda self, path: calls.append(path) or original(self, path))
    again = run_offline([tmp_path / "in"], outdir)
    assert calls == [] and again.from_cache == len(EXAMPLES) and again.exit_code == 0
    runner = CliRunner()
    result = runner.invoke(app, ["batch", str(tmp_path / "in"), "-o", str(outdir), "--engine", "offline", "--quiet"])
    assert result.exit_code == 0 and f"新处理 0 份，{len(EXAMPLES)} 份取自缓存" in result.stdout


@pytest.mark.parametrize("jobs", [1, 2])
def test_identical_files_are_summarised_once_and_named_as_copies(tmp_path: Path, jobs: int) -> None:
    """A township's report sent twice under two names: one summary (never two concurrent ones
    racing for the cache), the copy's outputs from it, and the console says which file it copies
    instead of calling a first run's result "缓存"."""
    copy_examples(tmp_path / "in")
    first = EXAMPLES[0]
    write(tmp_path / "in" / "重复报送.txt", first.read_text(encoding="utf-8"))
    log = io.StringIO()
    result = run_offline([tmp_path / "in"], tmp_path / "out", jobs=jobs, quiet=False, progress_stream=log)
    assert result.exit_code == 0 and result.total == len(EXAMPLES) + 1
    assert (result.duplicates, result.from_cache) == (1, 0)
    copy_line = next(line for line in log.getvalue().splitlines() if "重复报送" in line)
    assert copy_line.endswith(f"（与 {first.name} 内容相同）")
    assert "（缓存）" not in log.getvalue()
    outputs = summary_outputs("重复报送")
    copied = json.loads((tmp_path / "out" / outputs["summary_json"]).read_text(encoding="utf-8"))
    assert copied["meta"]["source_file"].endswith("重复报送.txt")
    summary = batch_summary(
        total=result.total, succeeded=result.succeeded, from_cache=result.from_cache, model_calls=0, engine="offline",
        failures=[], outdir="out", seconds=0.0, duplicates=result.duplicates,
    )
    assert f"新处理 {len(EXAMPLES)} 份，0 份取自缓存，1 份与另一文件内容完全相同" in summary


def test_interrupted_batch_resumes_without_redoing_finished_reports(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    copy_examples(tmp_path / "in")
    outdir = tmp_path / "out"
    calls: list[str] = []
    original = BatchEngine.summarize

    def interrupt_after_two(self: BatchEngine, path: Path) -> object:
        if len(calls) == 2:
            raise KeyboardInterrupt
        calls.append(path.name)
        return original(self, path)

    monkeypatch.setattr(BatchEngine, "summarize", interrupt_after_two)
    with pytest.raises(KeyboardInterrupt):
        run_offline([tmp_path / "in"], outdir)
    manifest = Manifest.load(outdir)
    done = sorted(n for n, e in manifest.reports.items() if e.status == "done")
    assert done == sorted(Path(c).stem for c in calls) and len(done) == 2
    assert not list(outdir.rglob("*.tmp"))
    calls.clear()
    monkeypatch.setattr(BatchEngine, "summarize", lambda self, path: calls.append(path.name) or original(self, path))
    resumed = run_offline([tmp_path / "in"], outdir)
    assert sorted(calls) == sorted(p.name for p in EXAMPLES if p.stem not in done)
    assert resumed.succeeded == len(EXAMPLES) and resumed.from_cache == 2


def test_force_redoes_everything(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    copy_examples(tmp_path / "in")
    outdir = tmp_path / "out"
    run_offline([tmp_path / "in"], outdir)
    calls: list[Path] = []
    original = BatchEngine.summarize
    monkeypatch.setattr(BatchEngine, "summarize", lambda self, path: calls.append(path) or original(self, path))
    run_offline([tmp_path / "in"], outdir, force=True)
    assert len(calls) == len(EXAMPLES)


def test_a_changed_report_is_redone_and_only_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    inputs = copy_examples(tmp_path / "in")
    outdir = tmp_path / "out"
    run_offline([tmp_path / "in"], outdir)
    inputs[0].write_text(inputs[0].read_text(encoding="utf-8") + "\n补充说明。", encoding="utf-8")
    calls: list[str] = []
    original = BatchEngine.summarize
    monkeypatch.setattr(BatchEngine, "summarize", lambda self, path: calls.append(path.name) or original(self, path))
    run_offline([tmp_path / "in"], outdir)
    assert calls == [inputs[0].name]


def test_corrupt_file_is_listed_and_the_rest_finish(tmp_path: Path) -> None:
    copy_examples(tmp_path / "in")
    (tmp_path / "in" / "损坏.docx").write_bytes(b"PK\x03\x04 not really a zip")
    write(tmp_path / "in" / "空白.txt", "   \n")
    outdir = tmp_path / "out"
    runner = CliRunner()
    result = runner.invoke(app, ["batch", str(tmp_path / "in"), "-o", str(outdir), "--engine", "offline", "--quiet"])
    assert result.exit_code == 1
    assert f"完成：{len(EXAMPLES)}/{len(EXAMPLES) + 2} 份成功，2 份失败" in result.stdout
    failures = json.loads((outdir / FAILURES_JSON).read_text(encoding="utf-8"))["failures"]
    assert sorted(Path(f["file"]).name for f in failures) == ["损坏.docx", "空白.txt"]
    assert all(f["category"] == "输入错误" and f["exit_code"] == 1 and f["reason"] for f in failures)
    listing = (outdir / FAILURES_MD).read_text(encoding="utf-8")
    assert "损坏.docx" in listing and "空白.txt" in listing
    assert json.loads((outdir / MANIFEST).read_text(encoding="utf-8"))["reports"]["损坏"]["status"] == "failed"
    assert all((outdir / summary_outputs(p.stem)["review_docx"]).is_file() for p in EXAMPLES)


def test_cli_usage_errors(tmp_path: Path) -> None:
    runner = CliRunner()
    missing = runner.invoke(app, ["batch", str(tmp_path / "无"), "-o", str(tmp_path / "out")])
    assert missing.exit_code == 2 and "错误:" in missing.stderr
    a_file = write(tmp_path / "f.txt", "x")
    clash = runner.invoke(app, ["batch", str(EXAMPLES[0]), "-o", str(a_file), "--engine", "offline"])
    assert clash.exit_code == 2 and "不是目录" in clash.stderr


def test_reports_handed_out_several_at_a_time_are_each_recorded(tmp_path: Path) -> None:
    """Offline, a worker gets a few reports per submission (chunk_size): each one still gets its
    own result, progress line and manifest entry, and a failure inside a chunk is that report's."""
    import io

    from fazhi_review.batch.scheduler import chunk_size

    folder, outdir = tmp_path / "in", tmp_path / "out"
    for copy in range(9):
        for path in EXAMPLES:
            write(folder / f"{copy}-{path.name}", path.read_text(encoding="utf-8") + f"\n（副本{copy}）\n")
    (folder / "5-损坏.docx").write_bytes(b"PK\x03\x04 not really a zip")
    total = 9 * len(EXAMPLES) + 1
    assert chunk_size(total, 2) > 1
    stream = io.StringIO()
    result = run_offline([folder], outdir, jobs=2, quiet=False, progress_stream=stream)
    assert result.total == total and result.succeeded == total - 1
    assert [Path(f.file).name for f in result.failures] == ["5-损坏.docx"]
    assert len([line for line in stream.getvalue().splitlines() if line.startswith("[")]) == total
    reports = Manifest.load(outdir).reports
    assert len(reports) == total and reports["5-损坏"].status == "failed"
    assert all(entry.status == "done" and entry.outputs for name, entry in reports.items() if name != "5-损坏")


def test_chunk_size_spreads_the_reports_over_the_workers() -> None:
    from fazhi_review.batch.scheduler import chunk_size

    assert chunk_size(10, 2) == 1  # a county: one report at a time, the load stays balanced
    assert chunk_size(100, 2) == 6  # every worker still gets about eight submissions
    assert chunk_size(100_000, 2) == 8  # a cap, so the progress display keeps moving
    assert chunk_size(0, 4) == 1


def test_outputs_inside_the_input_folder_are_never_read_as_reports(tmp_path: Path) -> None:
    """-o inside the input folder: the second run reviews the same reports, not its own 审阅意见
    .docx, 县级汇总.docx and viewer pages."""
    folder = tmp_path / "县"
    copy_examples(folder)
    outdir = folder / "结果"
    first = run_offline([folder], outdir)
    second = run_offline([folder], outdir)
    assert first.total == second.total == len(EXAMPLES) and not second.failures
    assert second.from_cache == len(EXAMPLES)
    assert f"本次共审阅报告{len(EXAMPLES)}份" in (outdir / "县级汇总.md").read_text(encoding="utf-8")
    assert sorted(Manifest.load(outdir).reports) == sorted(p.stem for p in EXAMPLES)


def test_a_user_file_in_the_output_folder_is_still_a_report(tmp_path: Path) -> None:
    """Only the batch's own files are left out, not whatever else the output folder holds."""
    folder = tmp_path / "县"
    copy_examples(folder)
    write(folder / "结果" / "补报" / "迟交.txt", EXAMPLES[0].read_text(encoding="utf-8") + "\n补报\n")
    result = run_offline([folder], folder / "结果")
    assert result.total == len(EXAMPLES) + 1


def test_an_existing_output_folder_that_cannot_be_written_is_said_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A read-only mount: the folder exists, so the message must not say it could not be created."""
    import errno

    copy_examples(tmp_path / "in")
    outdir = tmp_path / "out"
    outdir.mkdir()

    def read_only(self: Path, *args: object, **kwargs: object) -> None:
        raise OSError(errno.EROFS, "Read-only file system", str(self))

    monkeypatch.setattr(Path, "mkdir", read_only)
    result = CliRunner().invoke(app, ["batch", str(tmp_path / "in"), "-o", str(outdir), "--engine", "offline", "--quiet"])
    assert result.exit_code == 2
    assert "无法在输出目录中写入" in result.stderr and "无法创建" not in result.stderr and "Traceback" not in result.stderr


def test_the_indicator_matrix_marks_a_change_and_shows_a_restated_figure_once(tmp_path: Path) -> None:
    """"评查案卷5件，比上年增加3件，达到5件": the cell reads 5件；比上年增加3件 — not 5件；3件；5件,
    which a reader of the county sheet takes for three counts."""
    folder = tmp_path / "in"
    source = next(p for p in EXAMPLES if p.stem == "yangjiabo-2024").read_text(encoding="utf-8")
    assert "全年共评查行政执法案卷5件" in source
    write(folder / "yangjiabo-2024.txt", source.replace("全年共评查行政执法案卷5件", "全年共评查行政执法案卷5件，比上年增加3件，达到5件"))
    run_offline([folder], tmp_path / "out")
    sheet = load_workbook(tmp_path / "out" / XLSX)["量化指标"]
    header = [c.value for c in sheet[1]]
    row = [c.value for c in sheet[2]]
    cell = row[header.index("案卷评查")]
    assert cell == "5件；比上年增加3件", cell


def test_files_not_read_as_reports_are_listed_beside_the_failures(tmp_path: Path) -> None:
    """A scanned report (.jpg) is a report nobody reviewed: the console note scrolls away, so the
    失败清单 lists every file not read and the 县级汇总 says how many there were."""
    copy_examples(tmp_path / "县")
    for page in range(1, 4):
        write(tmp_path / "县" / "补报" / f"扫描件{page}.jpg", "image")
    write(tmp_path / "县" / "~$毛俊镇.docx", "lock")
    outdir = tmp_path / "out"
    result = run_offline([tmp_path / "县"], outdir)
    assert result.exit_code == 0 and not result.failures
    listed = json.loads((outdir / FAILURES_JSON).read_text(encoding="utf-8"))
    assert sorted(Path(item["file"]).name for item in listed["skipped"]) == ["~$毛俊镇.docx", "扫描件1.jpg", "扫描件2.jpg", "扫描件3.jpg"]
    assert "扫描件3.jpg" in (outdir / FAILURES_MD).read_text(encoding="utf-8")
    assert "另有4个文件（夹）未作为报告读取" in (outdir / "县级汇总.md").read_text(encoding="utf-8")
    (tmp_path / "县" / "补报" / "扫描件3.jpg").unlink()  # the roll-up follows the folder
    run_offline([tmp_path / "县"], outdir)
    assert len(json.loads((outdir / FAILURES_JSON).read_text(encoding="utf-8"))["skipped"]) == 3


def test_an_input_inside_the_output_folder_is_refused_and_left_as_it_is(tmp_path: Path) -> None:
    """-o onto the input folder: the batch would write its index.html over a township's page saved
    under that name, and skip a report kept in a subfolder named 各报告 as its own."""
    folder = tmp_path / "县"
    copy_examples(folder)
    page = folder / "index.html"
    page.write_text("<html><body><p>某镇2024年法治政府建设情况报告</p></body></html>", encoding="utf-8")
    write(folder / "各报告" / "苏河镇.txt", EXAMPLES[0].read_text(encoding="utf-8"))
    before = {path: path.read_bytes() for path in folder.rglob("*") if path.is_file()}
    for inputs, outdir in (([folder], folder), ([folder / "各报告"], folder), ([page], folder)):
        with pytest.raises(UsageError, match="输入文件或目录在输出目录之内"):
            run_offline(inputs, outdir)
    assert {path: path.read_bytes() for path in folder.rglob("*") if path.is_file()} == before


def test_a_folder_the_tool_did_not_write_keeps_its_files(tmp_path: Path) -> None:
    outdir = tmp_path / "别人的目录"
    write(outdir / "index.html", "<p>自己的网页</p>")
    with pytest.raises(UsageError, match=r"输出目录中已有 index\.html"):
        run_offline([EXAMPLES[0]], outdir)
    assert (outdir / "index.html").read_text(encoding="utf-8") == "<p>自己的网页</p>"
    assert not (outdir / "各报告").exists()


def test_an_earlier_output_folder_inside_the_input_folder_is_not_read(tmp_path: Path) -> None:
    """-o 县/结果 once, then -o 县/结果2: the first run's 审阅意见 .docx, 县级汇总 and viewer pages
    are no township reports; they are listed as skipped, as one folder."""
    folder = tmp_path / "县"
    copy_examples(folder)
    run_offline([folder], folder / "结果")
    second = run_offline([folder], folder / "结果2")
    assert second.total == len(EXAMPLES) and not second.failures
    assert any("结果" in note and "以前一次批量审阅的输出目录" in note for note in second.notes)


def test_a_file_name_that_is_not_utf8_is_read_and_shown_readably(tmp_path: Path) -> None:
    """A Windows ZIP unpacked on Linux keeps GBK bytes in its names: the report is read by its
    real name and shown (in the summary, the manifest, 失败清单, the workbook) as GB18030 text."""
    import os

    folder = tmp_path / "县"
    folder.mkdir()
    raw = os.fsencode(folder) + b"/" + "苏河镇报告.txt".encode("gbk")
    try:
        with open(raw, "wb") as stream:
            stream.write(EXAMPLES[0].read_bytes())
    except OSError:
        pytest.skip("this file system refuses names that are not UTF-8")
    result = run_offline([folder], tmp_path / "out")
    assert result.succeeded == 1 and not result.failures
    summary = _summary(tmp_path / "out", "苏河镇报告")
    assert summary.meta.source_file.endswith("县/苏河镇报告.txt")
    assert "苏河镇报告" in json.dumps(Manifest.load(tmp_path / "out").model_dump(), ensure_ascii=False)


def test_common_problems_count_reports_and_name_their_townships(tmp_path: Path) -> None:
    """Two reports of one township that share a finding are two reports of one unit, as 总体情况
    and 汇总表 count them."""
    folder = tmp_path / "县"
    suhe = next(path for path in EXAMPLES if path.stem == "suhe-2021")
    for copy in (1, 2):
        write(folder / f"苏河镇-{copy}.txt", suhe.read_text(encoding="utf-8") + f"\n（第{copy}稿）\n")
    run_offline([folder], tmp_path / "out")
    summary = _summary(tmp_path / "out", "苏河镇-1")
    rule = summary.risks[0].rule_id
    lines = [line for line in (tmp_path / "out" / "县级汇总.md").read_text(encoding="utf-8").splitlines() if f"（{rule}）" in line]
    assert lines and "2份报告，1个单位（苏河镇）" in lines[0]


def test_broken_links_in_a_batch_folder_are_listed_not_lost(tmp_path: Path) -> None:
    folder = tmp_path / "县"
    copy_examples(folder)
    try:
        (folder / "迟交.txt").symlink_to(folder / "不存在.txt")
        (folder / "环a.txt").symlink_to(folder / "环b.txt")
        (folder / "环b.txt").symlink_to(folder / "环a.txt")
    except OSError:
        pytest.skip("no symbolic links here")
    result = run_offline([folder], tmp_path / "out")
    assert result.total == len(EXAMPLES)
    listed = json.loads((tmp_path / "out" / FAILURES_JSON).read_text(encoding="utf-8"))["skipped"]
    assert {Path(entry["file"]).name for entry in listed} >= {"迟交.txt", "环a.txt", "环b.txt"}
    assert all("符号链接" in entry["reason"] for entry in listed if Path(entry["file"]).name in {"迟交.txt", "环a.txt"})


def test_a_read_only_reports_folder_is_said_before_any_work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A rerun (even --force) into a folder whose 各报告/ cannot be written: exit 2 at once; the
    earlier roll-up is left as it was, not replaced by an empty one."""
    import errno
    import tempfile

    copy_examples(tmp_path / "in")
    outdir = tmp_path / "out"
    run_offline([tmp_path / "in"], outdir)
    before = (outdir / "县级汇总.md").read_bytes()
    real = tempfile.TemporaryFile

    def refused(*args: object, **kwargs: object) -> object:
        if str(kwargs.get("dir", "")).endswith("各报告"):
            raise PermissionError(errno.EACCES, "Permission denied")
        return real(*args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(tempfile, "TemporaryFile", refused)
    result = CliRunner().invoke(app, ["batch", str(tmp_path / "in"), "-o", str(outdir), "--engine", "offline", "--quiet", "--force"])
    assert result.exit_code == 2 and "无法在输出目录中写入" in result.stderr and "各报告" in result.stderr
    assert (outdir / "县级汇总.md").read_bytes() == before


def test_a_second_batch_into_the_same_folder_is_told_to_wait(tmp_path: Path) -> None:
    from filelock import FileLock

    from fazhi_review.batch.cache import CACHE_DIR

    copy_examples(tmp_path / "in")
    outdir = tmp_path / "out"
    run_offline([tmp_path / "in"], outdir)
    with FileLock(str(outdir / CACHE_DIR / "batch.lock")), pytest.raises(UsageError, match="另一个 fazhi batch 正在向这个输出目录写入"):
        run_offline([tmp_path / "in"], outdir)
    assert run_offline([tmp_path / "in"], outdir).from_cache == len(EXAMPLES)  # the lock is gone with its holder


def test_a_usage_error_leaves_no_output_folder_behind(tmp_path: Path) -> None:
    Path("fazhi.toml").write_text("[checks]\ndeadline_month = 13\n", encoding="utf-8")
    copy_examples(tmp_path / "in")
    result = CliRunner().invoke(app, ["batch", str(tmp_path / "in"), "-o", str(tmp_path / "out"), "--engine", "offline"])
    assert result.exit_code == 2 and result.stderr.count("\n") == 1 and "deadline_month" in result.stderr
    assert not (tmp_path / "out").exists()


def test_new_letter_settings_rewrite_every_letter_without_summarising_again(tmp_path: Path) -> None:
    """The summaries are cached by engine and content; the 审阅意见 also depend on [review] (the
    issuer, the deadline): a change there rewrites each letter from its cached summary."""
    copy_examples(tmp_path / "in")
    outdir = tmp_path / "out"
    run_offline([tmp_path / "in"], outdir)
    letter = outdir / summary_outputs(EXAMPLES[0].stem)["review_md"]
    assert "某县司法局" not in letter.read_text(encoding="utf-8")
    runner = CliRunner()
    changed = runner.invoke(app, ["batch", str(tmp_path / "in"), "-o", str(outdir), "--engine", "offline", "--issuer", "某县司法局"])
    assert changed.exit_code == 0 and "新处理 0 份" in changed.stdout
    assert "某县司法局" in letter.read_text(encoding="utf-8")
    again = runner.invoke(app, ["batch", str(tmp_path / "in"), "-o", str(outdir), "--engine", "offline", "--issuer", "某县司法局"])
    assert again.exit_code == 0 and "沿用上次生成的汇总" in again.stdout  # the same settings: nothing is written again
    assert "沿用上次生成的汇总" not in changed.stdout


def test_an_earlier_output_folder_without_its_cache_is_still_not_read(tmp_path: Path) -> None:
    """Copied elsewhere or with .fazhi-cache and manifest.json deleted, the letters, summaries and
    县级汇总 are known by their names and the viewer pages by their mark."""
    import shutil

    from fazhi_review.batch.cache import CACHE_DIR

    folder = tmp_path / "县"
    copy_examples(folder)
    run_offline([folder], folder / "旧结果")
    shutil.rmtree(folder / "旧结果" / CACHE_DIR)
    (folder / "旧结果" / MANIFEST).unlink()
    result = run_offline([folder], tmp_path / "新结果")
    assert result.total == len(EXAMPLES) and not result.failures
    assert any("本工具写出的文件" in note for note in result.notes)


def test_the_failure_list_does_not_call_skipped_files_a_success(tmp_path: Path) -> None:
    folder = tmp_path / "县"
    copy_examples(folder)
    (folder / "扫描件.png").write_bytes(b"\x89PNG")
    run_offline([folder], tmp_path / "out")
    text = (tmp_path / "out" / FAILURES_MD).read_text(encoding="utf-8")
    assert "全部文件处理成功" not in text and "读取的报告全部处理成功" in text and "扫描件.png" in text and "扫描件报告" in text
    run_offline([EXAMPLES[0]], tmp_path / "out2")
    assert "全部文件处理成功" in (tmp_path / "out2" / FAILURES_MD).read_text(encoding="utf-8")


def test_the_warm_up_report_goes_through_every_stage_and_writes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The miniature report the batch runs before forking its workers must reach every stage a
    real one does (all five parts, a figure, a 不足 with its measure), or the workers would still
    build their tables for their first report; and it leaves no file anywhere."""
    from fazhi_review.batch.job import _WARM_UP_REPORT, warm_up_stages
    from fazhi_review.config import CheckProfile
    from fazhi_review.models import REQUIRED_PARTS, Document

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("FAZHI_DEBUG", "1")  # a failure of the warm-up is raised, not skipped
    warm_up_stages(CheckProfile())
    assert list(tmp_path.iterdir()) == []
    document = Document(path="warm-up.txt", format="txt", text=_WARM_UP_REPORT, sha256="0" * 64)
    from fazhi_review.analysis import analyze_document

    summary = summarize_offline(analyze_document(document, CheckProfile()))
    assert all(summary.parts.get(part) is not None for part in REQUIRED_PARTS)
    assert summary.indicators and summary.shortcomings and summary.measures
    assert not [risk.rule_id for risk in summary.risks if risk.severity in ("高", "中")]
