"""The manifest's journal: each finished report is one appended line, so a run killed before it
could write the manifest (SIGKILL, power cut) still resumes from every report it finished."""

from __future__ import annotations

from pathlib import Path

from fazhi_review.batch.cache import JOURNAL, MANIFEST, Manifest, ManifestEntry


def entry(name: str, status: str = "done") -> ManifestEntry:
    return ManifestEntry(source=f"in/{name}.txt", key=f"key-{name}", status=status, outputs=[f"各报告/{name}.摘要.json"])


def test_recorded_reports_survive_a_run_that_never_saved(tmp_path: Path) -> None:
    before = Manifest()
    before.reports["甲镇"] = entry("甲镇", "failed")
    before.save(tmp_path)
    running = Manifest.load(tmp_path)
    running.record(tmp_path, "甲镇", entry("甲镇"))
    running.record(tmp_path, "乙镇", entry("乙镇"))
    with (tmp_path / JOURNAL).open("a", encoding="utf-8") as stream:
        stream.write('{"name": "丙镇", "entry": {"sou')  # the line being written when the power went
    resumed = Manifest.load(tmp_path)  # the run died here: no save, only the journal
    assert {name: e.status for name, e in resumed.reports.items()} == {"甲镇": "done", "乙镇": "done"}
    resumed.save(tmp_path)
    assert not (tmp_path / JOURNAL).exists()
    assert Manifest.load(tmp_path).reports == resumed.reports
    assert "乙镇" in (tmp_path / MANIFEST).read_text(encoding="utf-8")


def test_recording_appends_one_line_per_report(tmp_path: Path) -> None:
    manifest = Manifest()
    for index in range(50):
        manifest.record(tmp_path, f"报告{index}", entry(f"报告{index}"))
    lines = (tmp_path / JOURNAL).read_text(encoding="utf-8").splitlines()
    assert len(lines) == 50 and not (tmp_path / MANIFEST).exists()
    assert list(Manifest.load(tmp_path).reports) == [f"报告{index}" for index in range(50)]
