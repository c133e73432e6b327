"""Cross-report findings: a planted copy between two townships, boilerplate, a two-year pair."""

from __future__ import annotations

import json
from collections.abc import Callable
from concurrent.futures import Executor, Future
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from batch_helpers import EXAMPLES, NEAR_COPY, PLANTED, after_first_heading, planted_batch, run_offline, shifted_year, write
from fazhi_review.batch.cache import Manifest
from fazhi_review.batch.review_step import review_settings
from fazhi_review.batch.rollup import INDEX, XLSX, write_rollup
from fazhi_review.checks.catalogue import RULES
from fazhi_review.render.rollup import batch_summary

#: the county's common wording: every report says it
BOILERPLATE = "坚持以习近平新时代中国特色社会主义思想为指导，深入学习贯彻习近平法治思想，全面推进法治政府建设各项工作。"


def _read(name: str) -> str:
    return next(p for p in EXAMPLES if p.stem == name).read_text(encoding="utf-8")


def _cross(outdir: Path) -> list[dict]:
    return json.loads((outdir / "跨报告发现.json").read_text(encoding="utf-8"))


def test_planted_copy_is_found_with_evidence_in_both_and_boilerplate_is_not(tmp_path: Path) -> None:
    folder, outdir = planted_batch(tmp_path, common=BOILERPLATE)
    copies = [f for f in _cross(outdir) if f["rule_id"] == "copied-passage"]
    assert len(copies) == 1, copies
    sides = {Path(s["source_file"]).stem: s["evidence"] for s in copies[0]["sides"]}
    assert set(sides) == {"maojun-2024", "yangjiabo-2024"}
    for stem, evidence in sides.items():
        original = (folder / f"{stem}.txt").read_text(encoding="utf-8")
        assert original[evidence["start"] : evidence["end"]] == evidence["quote"]
    assert sides["maojun-2024"]["quote"] == PLANTED and sides["yangjiabo-2024"]["quote"] == NEAR_COPY
    assert copies[0]["title"] == RULES["copied-passage"].title and copies[0]["basis"] == RULES["copied-passage"].basis
    sheet = load_workbook(outdir / XLSX)["合规风险"]
    assert sum(1 for row in sheet.iter_rows(min_row=2, values_only=True) if row[2] == "copied-passage") == 2


def test_unrelated_reports_share_no_passage(tmp_path: Path) -> None:
    outdir = tmp_path / "out"
    run_offline(list(EXAMPLES), outdir)
    assert _cross(outdir) == []


def _year_pair(tmp_path: Path, this_year_claim: str) -> Path:
    text = _read("xumingsi-2023")
    assert "矛盾纠纷排查137件" in text
    write(tmp_path / "in" / "许明寺镇2022.txt", shifted_year(text, 1).replace("矛盾纠纷排查137件", "矛盾纠纷排查120件"))
    write(tmp_path / "in" / "许明寺镇2023.txt", text.replace("矛盾纠纷排查137件", this_year_claim))
    for path in EXAMPLES:
        if path.stem != "xumingsi-2023":
            write(tmp_path / "in" / path.name, path.read_text(encoding="utf-8"))
    outdir = tmp_path / "out"
    run_offline([tmp_path / "in"], outdir)
    return outdir


def test_two_years_of_one_township_give_repeated_shortcoming_and_inconsistent_figure(tmp_path: Path) -> None:
    outdir = _year_pair(tmp_path, "矛盾纠纷排查137件，比上年增加12件")
    findings = _cross(outdir)
    rules = [f["rule_id"] for f in findings]
    assert "copied-passage" not in rules  # the same township's two years are not "copies"
    repeated = [f for f in findings if f["rule_id"] == "repeated-shortcoming"]
    assert len(repeated) == 3
    assert {s["report_year"] for f in repeated for s in f["sides"]} == {2022, 2023}
    figures = [f for f in findings if f["rule_id"] == "inconsistent-figure"]
    assert len(figures) == 1
    this_year, last_year = figures[0]["sides"]
    assert this_year["evidence"]["quote"] == "137件，比上年增加12件" and "120件" in last_year["evidence"]["quote"]
    assert "上年应为125件" in figures[0]["explanation"]
    for finding in findings:
        for side in finding["sides"]:
            original = Path(side["source_file"]).read_text(encoding="utf-8")
            assert original[side["evidence"]["start"] : side["evidence"]["end"]] == side["evidence"]["quote"]


def test_a_consistent_figure_is_not_flagged(tmp_path: Path) -> None:
    outdir = _year_pair(tmp_path, "矛盾纠纷排查137件，比上年增加17件")
    assert not [f for f in _cross(outdir) if f["rule_id"] == "inconsistent-figure"]


def _sheet_dump(path: Path) -> dict[str, object]:
    """Every cell's value and style, and each sheet's widths, frozen header and filter."""
    book = load_workbook(path)
    return {
        sheet.title: (
            [[(c.value, c.font.b, c.fill.fill_type, c.fill.fgColor.rgb, c.alignment.wrap_text) for c in row] for row in sheet.iter_rows()],
            {key: dim.width for key, dim in sheet.column_dimensions.items()},
            sheet.freeze_panes,
            sheet.auto_filter.ref,
        )
        for sheet in book.worksheets
    }


def test_xlsx_and_viewer_built_in_worker_processes_equal_those_built_in_process(tmp_path: Path) -> None:
    """With --jobs > 1 worker processes write 汇总表.xlsx and the viewer while the parent writes the rest."""
    folder = tmp_path / "in"
    for path in EXAMPLES:
        text = path.read_text(encoding="utf-8")
        write(folder / path.name, after_first_heading(text, PLANTED) if path.stem in ("maojun-2024", "yangjiabo-2024") else text)
    dumps, pages = [], []
    for jobs in (1, 2):
        outdir = tmp_path / f"out-{jobs}"
        run_offline([folder], outdir, jobs=jobs)
        dumps.append(_sheet_dump(outdir / XLSX))
        pages.append({p.relative_to(outdir): p.read_bytes() for p in sorted(outdir.rglob("*.html"))})
    risks = dumps[0]["合规风险"][0]  # type: ignore[index]
    assert any(row[2][0] == "copied-passage" for row in risks) and any(cell[3].endswith("FFC7CE") for row in risks for cell in row)
    assert dumps[0] == dumps[1]
    assert len(pages[0]) == len(EXAMPLES) + 1 and pages[0] == pages[1]


class _DeadPool(Executor):
    """Test double: the pool of a batch whose worker processes died earlier."""

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        raise BrokenProcessPool("a worker died")


def test_rollup_parts_are_written_here_when_the_workers_are_gone(tmp_path: Path) -> None:
    outdir = tmp_path / "out"
    run_offline(list(EXAMPLES), outdir)
    expected_sheets, expected_index = _sheet_dump(outdir / XLSX), (outdir / INDEX).read_bytes()
    (outdir / XLSX).unlink()
    (outdir / INDEX).unlink()
    write_rollup(outdir, Manifest.load(outdir), [], review_settings(), _DeadPool())
    assert _sheet_dump(outdir / XLSX) == expected_sheets and (outdir / INDEX).read_bytes() == expected_index


# ---------------------------------------------------------------- cross findings in each 审阅意见


def _review_md(outdir: Path, stem: str) -> str:
    return (outdir / "各报告" / f"{stem}.审阅意见.md").read_text(encoding="utf-8")


def test_a_copied_passage_is_raised_in_both_townships_letters_and_the_summaries_stay_single_report(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from fazhi_review.analysis import analyze_path
    from fazhi_review.engine import summarize_offline
    from fazhi_review.render import render_json

    # a lenient office: alone, every example passes; the copy alone asks for revision
    (tmp_path / "fazhi.toml").write_text("[review.policy]\nrevise_severities = []\nrevise_on_missing_part = false\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    folder, outdir = planted_batch(tmp_path, jobs=2)  # the workbook is then written by a worker process
    manifest = Manifest.load(outdir)
    assert {entry.verdict for entry in manifest.reports.values()} == {"通过"}
    title = RULES["copied-passage"].title
    for stem, quote in (("maojun-2024", PLANTED), ("yangjiabo-2024", NEAR_COPY)):
        letter = _review_md(outdir, stem)
        assert title in letter and quote[:20].replace("“", "‘") in letter
        assert "审阅结论：修改完善后报送" in letter
        alone = json.loads(render_json(summarize_offline(analyze_path(folder / f"{stem}.txt"))))
        written = json.loads((outdir / "各报告" / f"{stem}.摘要.json").read_text(encoding="utf-8"))
        assert written["risks"] == alone["risks"]  # the summary is what summarize gives for the report alone
    for stem in ("suhe-2021", "xumingsi-2023"):
        assert title not in _review_md(outdir, stem)
    sheet = load_workbook(outdir / XLSX)["总览"]
    header = [cell.value for cell in sheet[1]]
    verdicts = {Path(row[header.index("文件")]).stem: row[header.index("审阅结论")] for row in sheet.iter_rows(min_row=2, values_only=True)}
    letters = {stem: _review_md(outdir, stem).split("审阅结论：")[-1].split("。")[0] for stem in ("maojun-2024", "yangjiabo-2024")}
    assert {k: v for k, v in verdicts.items() if k in letters} == letters  # the roll-up carries the letters' verdicts
    listed = [line for line in (outdir / "县级汇总.md").read_text(encoding="utf-8").splitlines() if "copied-passage，中）需修改完善" in line]
    assert len(listed) == 2  # both townships are listed as not passed, because of the copy


def test_a_deleted_letter_is_written_again_with_its_cross_findings(tmp_path: Path) -> None:
    folder, outdir = planted_batch(tmp_path)
    letter = outdir / "各报告" / "maojun-2024.审阅意见.md"
    before = letter.read_text(encoding="utf-8")
    letter.unlink()
    run_offline([folder], outdir)
    assert letter.read_text(encoding="utf-8") == before


def test_repeated_shortcoming_is_raised_in_this_years_letter_only(tmp_path: Path) -> None:
    outdir = _year_pair(tmp_path, "矛盾纠纷排查137件，比上年增加12件")
    title = RULES["repeated-shortcoming"].title
    this_year, last_year = _review_md(outdir, "许明寺镇2023"), _review_md(outdir, "许明寺镇2022")
    assert title in this_year and RULES["inconsistent-figure"].title in this_year
    assert "说明上年已查摆的" in this_year  # its action, from the review command's action table
    assert title not in last_year and RULES["inconsistent-figure"].title not in last_year
    # addressed to the township: its own report is 本报告, last year's keeps its name
    assert "本报告的不足" in this_year and "许明寺镇2023年度报告" not in this_year and "许明寺镇2022年度报告" in this_year


def test_the_workbook_counts_a_cross_finding_where_the_letter_carries_it(tmp_path: Path) -> None:
    """Last year's report is not charged with this year's repeated 不足: its 总览 count and its
    合规风险 rows agree with its letter (none), this year's with its letter (all four)."""
    outdir = _year_pair(tmp_path, "矛盾纠纷排查137件，比上年增加12件")
    book = load_workbook(outdir / XLSX)
    header = [c.value for c in book["总览"][1]]
    counts = {Path(row[0]).stem: row[header.index("跨报告发现")] for row in book["总览"].iter_rows(min_row=2, values_only=True)}
    cross_rows = [Path(row[0]).stem for row in book["合规风险"].iter_rows(min_row=2, values_only=True) if row[10] == "跨报告"]
    assert counts["许明寺镇2022"] == 0 and "许明寺镇2022" not in cross_rows
    assert counts["许明寺镇2023"] == 4 == cross_rows.count("许明寺镇2023")
    letter = _review_md(outdir, "许明寺镇2023")
    assert letter.count(RULES["repeated-shortcoming"].title) + letter.count(RULES["inconsistent-figure"].title) >= 2


def test_when_last_years_report_leaves_the_batch_this_years_letter_loses_its_findings(tmp_path: Path) -> None:
    outdir = _year_pair(tmp_path, "矛盾纠纷排查137件，比上年增加12件")
    title = RULES["repeated-shortcoming"].title
    assert title in _review_md(outdir, "许明寺镇2023")
    assert Manifest.load(outdir).reports["许明寺镇2023"].cross_findings >= 3
    (tmp_path / "in" / "许明寺镇2022.txt").unlink()
    again = run_offline([tmp_path / "in"], outdir)
    assert [Path(source).name for source in again.removed] == ["许明寺镇2022.txt"]
    closing = batch_summary(total=again.total, succeeded=again.succeeded, from_cache=again.from_cache, model_calls=0, engine="offline",
                            failures=[], outdir="out", seconds=0.0, removed=again.removed)
    assert "上次运行的 1 份报告不在本次输入中（许明寺镇2022.txt），已从结果和汇总中移除" in closing
    assert title not in _review_md(outdir, "许明寺镇2023") and RULES["inconsistent-figure"].title not in _review_md(outdir, "许明寺镇2023")
    assert Manifest.load(outdir).reports["许明寺镇2023"].cross_findings == 0
    # and the departed report's own files are gone, so no stale letter is handed out with the county's
    assert not list((outdir / "各报告").glob("许明寺镇2022.*")) and not (outdir / "查看" / "许明寺镇2022.html").exists()
    assert (outdir / "各报告" / "许明寺镇2023.审阅意见.docx").is_file() and (outdir / "查看" / "许明寺镇2023.html").is_file()


def test_the_county_summary_tells_two_reports_of_one_township_apart_and_its_totals_add_up(tmp_path: Path) -> None:
    outdir = _year_pair(tmp_path, "矛盾纠纷排查137件，比上年增加12件")
    text = (outdir / "县级汇总.md").read_text(encoding="utf-8")
    table = text.split("## 四、量化指标对比")[1].split("## 五")[0]
    rows = [line.strip("| ").split(" | ") for line in table.splitlines() if line.startswith("| ") and "---" not in line][1:]
    assert len(rows) == len(EXAMPLES) + 1
    names = [row[0] for row in rows]
    assert len(set(names)) == len(names) and "许明寺镇（2022年度）" in names and "许明寺镇（2023年度）" in names
    for row in rows:
        assert sum(int(cell) for cell in row[1:-1]) == int(row[-1]), row
    practices = text.split("## 三、典型做法")[1].split("## 四")[0]
    items = [line.split("：", 1)[1] for line in practices.splitlines() if line[:1].isdigit()]
    assert items and len(set(items)) == len(items)


def test_a_pasted_paragraph_with_a_short_sentence_inside_is_one_passage(tmp_path: Path) -> None:
    second = "镇司法所联合派出所在集镇赶集日设置法律咨询台十二次，现场解答群众法律问题三百余人次，发放宣传资料两千余份。"
    paragraph = PLANTED + "群众反响良好。" + second
    folder = tmp_path / "in"
    for path in EXAMPLES:
        text = path.read_text(encoding="utf-8")
        if path.stem in ("maojun-2024", "yangjiabo-2024"):
            text = after_first_heading(text, paragraph)
        write(folder / path.name, text)
    outdir = tmp_path / "out"
    run_offline([folder], outdir)
    copies = [f for f in _cross(outdir) if f["rule_id"] == "copied-passage"]
    assert len(copies) == 1, [c["sides"][0]["evidence"]["quote"] for c in copies]
    assert {side["evidence"]["quote"] for side in copies[0]["sides"]} == {paragraph}
    assert "（共" not in _review_md(outdir, "maojun-2024").split("与其他乡镇报告雷同的段落")[1].split("依据")[0]


def test_one_townships_report_submitted_twice_is_pointed_out(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    copy_of = next(p for p in EXAMPLES if p.stem == "suhe-2021")
    for path in EXAMPLES:
        write(folder / path.name, path.read_text(encoding="utf-8"))
    (folder / "suhe-2021-gbk.txt").write_bytes(copy_of.read_text(encoding="utf-8").encode("gbk"))
    outdir = tmp_path / "out"
    run_offline([folder], outdir)
    overall = (outdir / "县级汇总.md").read_text(encoding="utf-8").split("## 二")[0]
    assert "苏河镇2021年度报告有2份（suhe-2021-gbk.txt、suhe-2021.txt）" in overall or "苏河镇2021年度报告有2份（suhe-2021.txt、suhe-2021-gbk.txt）" in overall
    assert overall.count("请核实是否重复报送") == 1


def test_a_report_submitted_twice_does_not_double_the_copies_it_shares(tmp_path: Path) -> None:
    """maojun-2024 twice (as .txt and a renamed copy) and yangjiabo-2024 sharing a passage with
    it: one finding, not one per copy, and its wording counts the two units, not two files."""
    _, outdir = planted_batch(tmp_path, copy=PLANTED, resent_as="补报/毛俊镇报告（重报）.txt")
    copies = [f for f in _cross(outdir) if f["rule_id"] == "copied-passage"]
    assert len(copies) == 1, [c["explanation"] for c in copies]
    assert "只有这两个单位的报告出现这段文字" in copies[0]["explanation"]
    assert _review_md(outdir, "yangjiabo-2024").count("报告有一段") == 1  # the problem once (its action quotes it again)


def test_the_lsh_bands_are_the_ones_datasketch_integrates_for_the_threshold() -> None:
    """The bands are given to MinHashLSH (so datasketch's import needs no scipy.integrate); they
    must stay those its own optimisation gives for the threshold."""
    import sys

    from datasketch.lsh import _optimal_param

    from fazhi_review.batch import crosscheck

    minhash, lsh = crosscheck.similarity_library()
    assert (minhash.__name__, lsh.__name__) == ("MinHash", "MinHashLSH")
    assert _optimal_param(crosscheck._LSH_THRESHOLD, crosscheck._NUM_PERM, 0.5, 0.5) == crosscheck._LSH_BANDS
    assert getattr(sys.modules.get("scipy.integrate"), "__file__", None), "the stand-in must not outlive the import"


def test_a_same_year_copy_is_paired_with_the_same_years_report_when_last_year_is_in_the_batch(tmp_path: Path) -> None:
    """许明寺镇 2022 and 2023 are in the batch (for repeated-shortcoming); 河东镇 2023 copied
    许明寺镇's 2023 report. The copy is raised against the 2023 report, not last year's."""
    folder = tmp_path / "in"
    this_year = _read("xumingsi-2023")
    write(folder / "许明寺镇2023.txt", this_year)
    write(folder / "许明寺镇2022.txt", shifted_year(this_year, 1))
    write(folder / "河东镇2023.txt", this_year.replace("许明寺", "河东"))
    run_offline([folder], tmp_path / "out")
    copies = [finding for finding in _cross(tmp_path / "out") if finding["rule_id"] == "copied-passage"]
    assert copies
    for finding in copies:
        assert sorted(Path(side["source_file"]).name for side in finding["sides"]) == ["河东镇2023.txt", "许明寺镇2023.txt"]
    assert "河东镇" in _review_md(tmp_path / "out", "许明寺镇2023")


def test_a_report_without_an_issuer_is_named_by_its_file_in_quotation_marks() -> None:
    """"报告-3" followed by its year read "报告-32024年度报告" in a letter."""
    from fazhi_review.county import report_label, reporter

    assert report_label(reporter(None, "/县/d04-2024.docx"), 2024) == "“d04-2024.docx”2024年度报告"
    assert report_label(reporter("金桥街道", "/县/x.html"), 2024) == "金桥街道2024年度报告"
