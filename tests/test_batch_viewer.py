"""The offline HTML viewer in a real headless Chromium (playwright driving the system browser).

Every <mark> must cover exactly original[start:end]; clicking a finding must scroll the text
to its span; the index must sort. Without Chromium the test is skipped locally with the reason,
and FAILS when CI is set, so CI can never pass without really running it.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from batch_helpers import EXAMPLES, PLANTED, copy_examples, planted_batch, run_offline
from fazhi_review.render.viewer import page_name

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def _unavailable(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"CI 中必须运行浏览器测试：{reason}")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("playwright 未安装（pip install -e '.[test]'）")
    executable = os.environ.get("FAZHI_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not executable:
        _unavailable("没有找到 Chromium（Debian: apt-get install -y chromium；或设置 FAZHI_CHROMIUM）")
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture(scope="module")
def batch_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("viewer")
    copy_examples(root / "in")
    run_offline([root / "in"], root / "out")
    return root


@pytest.mark.parametrize("example", [p.stem for p in EXAMPLES])
def test_every_highlight_covers_exactly_its_original_span(browser: Any, batch_dir: Path, example: str) -> None:
    original = (batch_dir / "in" / f"{example}.txt").read_text(encoding="utf-8")
    page = browser.new_page()
    page.goto((batch_dir / "out" / page_name(example)).as_uri())
    marks = page.eval_on_selector_all("mark", "ms => ms.map(m => [Number(m.dataset.start), Number(m.dataset.end), m.textContent])")
    assert len(marks) > 10
    for start, end, text in marks:
        assert text == original[start:end]
    items = page.eval_on_selector_all("li.item[data-start]", "ls => ls.map(l => Number(l.dataset.start))")
    starts = {start for start, _, _ in marks}
    assert items and all(start in starts for start in items)
    page.close()


def test_clicking_a_finding_scrolls_to_its_span(browser: Any, batch_dir: Path) -> None:
    page = browser.new_page(viewport={"width": 1200, "height": 700})
    page.goto((batch_dir / "out" / page_name("yangjiabo-2024")).as_uri())
    last = page.eval_on_selector_all("li.item[data-start]", "ls => ls.map(l => [l.dataset.id, Number(l.dataset.start)]).sort((a, b) => b[1] - a[1])[0]")
    assert page.evaluate("document.getElementById('text').scrollTop") == 0
    page.click(f"li.item[data-id='{last[0]}']")
    page.wait_for_function("document.getElementById('text').scrollTop > 0")
    active = page.locator("mark.active").first
    assert active.get_attribute("data-start") == str(last[1])
    box, pane = active.bounding_box(), page.locator("#text").bounding_box()
    assert box is not None and pane is not None and pane["y"] <= box["y"] <= pane["y"] + pane["height"]
    page.close()


def test_a_cross_finding_links_to_the_other_reports_side(browser: Any, tmp_path: Path) -> None:
    """"另见 X" on one township's page opens X's page with the same finding selected and its
    span in view."""
    folder, outdir = planted_batch(tmp_path)
    page = browser.new_page(viewport={"width": 1200, "height": 700})
    page.goto((outdir / page_name("yangjiabo-2024")).as_uri())
    link = page.locator("li.item[data-id^='x'] a").first
    assert link.count() == 1
    link.click()
    page.wait_for_url("**/maojun-2024.html#*")
    page.wait_for_selector("mark.active")
    original = (folder / "maojun-2024.txt").read_text(encoding="utf-8")
    start = original.index(PLANTED)
    active = page.eval_on_selector_all("mark.active", "ms => ms.map(m => [Number(m.dataset.start), Number(m.dataset.end)])")
    assert active[0][0] == start and active[-1][1] == start + len(PLANTED)
    box, pane = page.locator("mark.active").first.bounding_box(), page.locator("#text").bounding_box()
    assert box is not None and pane is not None and pane["y"] <= box["y"] <= pane["y"] + pane["height"]
    page.close()


def test_index_lists_every_report_and_sorts(browser: Any, batch_dir: Path) -> None:
    page = browser.new_page()
    page.goto((batch_dir / "out" / "index.html").as_uri())
    assert page.locator("tbody tr").count() == len(EXAMPLES)
    column = "Array.from(document.querySelectorAll('tbody tr')).map(r => Number(r.cells[5].textContent))"
    page.click("th:nth-child(6)")
    ascending = page.evaluate(column)
    page.click("th:nth-child(6)")
    assert ascending == sorted(ascending) and page.evaluate(column) == sorted(ascending, reverse=True)
    page.click("tbody tr a >> nth=0")
    assert page.locator("mark").count() > 0
    page.close()


def test_index_links_the_county_files_beside_it(browser: Any, batch_dir: Path) -> None:
    """From index.html the reviewer reaches the workbook, the county summary and the failure list,
    each a file the batch wrote next to it."""
    page = browser.new_page()
    page.goto((batch_dir / "out" / "index.html").as_uri())
    targets = page.evaluate("Array.from(document.querySelectorAll('a')).map(a => decodeURIComponent(a.getAttribute('href')))")
    for name in ["汇总表.xlsx", "县级汇总.docx", "县级汇总.md", "失败清单.md"]:
        assert name in targets and (batch_dir / "out" / name).is_file()
    page.close()
