"""The HTML report rendered for real in headless Chromium.

Renders the report of the seed article (and the Markdown/HTML fixtures),
takes a screenshot, and checks through the live DOM, after the page's
scripts ran, that every finding is highlighted exactly at its text and that
the highlight is visible.  Then, through Playwright driving the same system
Chromium (never a browser Playwright downloads), uses the report of a folder
as an editor would: filters by severity (mouse) and by category (keyboard),
checks the order of files, opens the "fixed text" view and compares it with
what ``--fix`` writes, and saves screenshots (``$MTLINT_SCREENSHOT_DIR`` keeps
them).  Skipped with the reason when Chromium or Playwright is missing
(``.ci/run`` installs Debian's ``chromium`` and ``.[test]`` has Playwright, so
CI really runs it).
"""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from checker.api import RunOptions, run
from checker.formatters import FormatOptions, get_formatter
from conftest import ROOT

CHROMIUM = next((p for p in ("/usr/bin/chromium", shutil.which("chromium") or "", shutil.which("chromium-browser") or "") if p and os.path.exists(p)), None)

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (apt-get install -y chromium); .ci/run installs it")

#: runs in the page after load; writes what it saw into the DOM for --dump-dom
PROBE = r"""
<script>
window.addEventListener('load', function () {
  var data = JSON.parse(document.getElementById('mtlint-findings').textContent);
  var out = [];
  data.forEach(function (f) {
    var marks = Array.prototype.filter.call(document.querySelectorAll('mark.hl'), function (m) {
      return (' ' + m.dataset.f + ' ').indexOf(' ' + f.id + ' ') >= 0;
    });
    var text = marks.map(function (m) { return m.textContent; }).join('');
    var visible = marks.length > 0 && marks.every(function (m) {
      var r = m.getBoundingClientRect();
      var bg = getComputedStyle(m).backgroundColor;
      return r.width > 0 && r.height > 0 && bg !== 'rgba(0, 0, 0, 0)' && bg !== 'transparent';
    });
    var article = marks.length ? marks[0].closest('article.source') : null;
    out.push({id: f.id, expected: f.text, text: text, marks: marks.length, visible: visible,
              inArticle: !!article, listed: !!document.getElementById('item-' + f.id)});
  });
  var pre = document.createElement('pre');
  pre.id = 'mtlint-probe';
  pre.textContent = JSON.stringify(out);
  document.body.appendChild(pre);
});
</script>
"""


def _chromium(*args: str, profile: Path) -> subprocess.CompletedProcess:
    cmd = [
        CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        f"--user-data-dir={profile}", "--hide-scrollbars", *args,
    ]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=180)


def _report_html(paths: list[str]) -> tuple[str, int]:
    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        report = run(paths, RunOptions(corpus=False))
    finally:
        os.chdir(cwd)
    buf = io.StringIO()
    get_formatter("html").render(report, buf, FormatOptions())
    return buf.getvalue(), len(report.findings)


@pytest.mark.parametrize(
    "docs",
    [["fixtures/documents/seed_article.txt"], ["fixtures/documents/mt_heavy.md", "fixtures/documents/mt_heavy.html"]],
    ids=["seed", "markdown+html"],
)
def test_every_finding_is_highlighted_at_its_text_in_chromium(tmp_path, docs):
    page, count = _report_html(docs)
    assert count > 0
    page_file = tmp_path / "report.html"
    page_file.write_text(page.replace("</body>", PROBE + "</body>"), encoding="utf-8")
    url = page_file.as_uri()

    shot = tmp_path / "report.png"
    res = _chromium(f"--screenshot={shot}", "--window-size=1400,1800", url, profile=tmp_path / "profile1")
    assert shot.exists(), res.stderr[-2000:]
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 20_000  # a real page, not a blank
    if os.environ.get("MTLINT_KEEP_SCREENSHOT"):
        shutil.copy(shot, os.environ["MTLINT_KEEP_SCREENSHOT"])

    res = _chromium("--dump-dom", "--virtual-time-budget=5000", url, profile=tmp_path / "profile2")
    m = re.search(r'<pre id="mtlint-probe">(.*?)</pre>', res.stdout, re.S)
    assert m, "the probe did not run: " + res.stderr[-2000:]
    import html

    probe = json.loads(html.unescape(m.group(1)))
    assert len(probe) == count
    for f in probe:
        assert f["marks"] >= 1, f
        assert f["text"] == f["expected"], f
        assert f["visible"] and f["inArticle"] and f["listed"], f


# -- the report as an editor uses it: filters, order, the fixed text (Playwright) ------
def _playwright():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("playwright is not installed (pip install '.[test]'); it drives Debian's chromium, never a downloaded one")
    return sync_playwright


def _shot_dir(tmp_path: Path) -> Path:
    """Screenshots go to the test's tmp dir, or to $MTLINT_SCREENSHOT_DIR to look at them."""
    folder = Path(os.environ.get("MTLINT_SCREENSHOT_DIR") or tmp_path / "shots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _visible(page, selector: str) -> list[dict]:
    return page.eval_on_selector_all(
        selector,
        "els => els.filter(e => e.offsetParent !== null).map(e => ({f: e.dataset.f, severity: e.dataset.severity, category: e.dataset.category}))",
    )


def test_editor_filters_orders_and_previews_fixes_in_chromium(tmp_path):
    from conftest import run_cli
    from test_html_report import make_folder

    sync_playwright = _playwright()
    folder = make_folder(tmp_path)
    for doc in ("seed_article.txt", "mt_heavy.md"):
        shutil.copy(ROOT / "fixtures" / "documents" / doc, folder / doc)
    report_file = tmp_path / "report.html"
    res = run_cli("check", "--no-cache", "-f", "html", "-o", str(report_file), "news", cwd=tmp_path)
    assert res.returncode == 2, res.stderr  # news/bin.txt cannot be checked
    data = json.loads(run_cli("check", "--no-cache", "-f", "json", "news", cwd=tmp_path).stdout)
    findings = [(f["severity"], f["category"]) for r in data["files"] for f in r["findings"]]
    fixed_dir = tmp_path / "fixed"
    shutil.copytree(folder, fixed_dir)
    (fixed_dir / "bin.txt").unlink()
    run_cli("check", "--no-cache", "--fix", "fixed", cwd=tmp_path)
    shots = _shot_dir(tmp_path)

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            requests: list[str] = []
            page.on("request", lambda r: requests.append(r.url))
            page.goto(report_file.as_uri())
            page.screenshot(path=str(shots / "1-all.png"))

            # worst first: not checked, the error files by score, then by path; clean files collapsed
            order = page.eval_on_selector_all("section.file", "els => els.map(e => e.dataset.path)")
            assert order == ["news/bin.txt", "news/seed_article.txt", "news/mt_heavy.md", "news/err.txt", "news/more_a.txt", "news/more_b.txt"]
            rows = page.eval_on_selector_all("table.summary tbody tr a", "els => els.map(e => e.textContent)")
            assert rows == order
            assert page.locator("details.clean").get_attribute("open") is None
            assert not page.locator("details.clean li").first.is_visible()
            assert page.locator("details.clean summary").inner_text() == "2 clean files: no findings"
            # errors first in every file's list
            for path in order[1:]:
                sevs = [x["severity"] for x in _visible(page, f'section[data-path="{path}"] aside.side li[data-f]')]
                assert sevs == sorted(sevs, key=["error", "warning", "info"].index), path
            status = page.locator("#filter-status")
            assert status.inner_text() == f"Showing {len(findings)} of {len(findings)} findings in 5 files."

            # severity: errors only (the mouse)
            page.locator('nav.filters input[data-filter="severity"][value="warning"]').click()
            page.locator('nav.filters input[data-filter="severity"][value="info"]').click()
            shown = _visible(page, "aside.side li[data-f]")
            assert {x["severity"] for x in shown} == {"error"}
            assert len(shown) == sum(1 for s, _ in findings if s == "error")
            visible_files = page.eval_on_selector_all("section.file", "els => els.filter(e => !e.hidden).map(e => e.dataset.path)")
            assert visible_files == ["news/bin.txt", "news/seed_article.txt", "news/mt_heavy.md", "news/err.txt"]
            assert not page.locator('table.summary tr:has(a:text-is("news/more_a.txt"))').is_visible()
            n_errors = sum(1 for s, _ in findings if s == "error")
            assert status.inner_text() == f"Showing {n_errors} of {len(findings)} findings in 3 files."
            lit = page.eval_on_selector_all("mark.hl:not(.off)", "els => els.map(e => e.dataset.f)")
            error_ids = {x["f"] for x in shown}
            assert lit and all(any(i in error_ids for i in f.split()) for f in lit)
            page.screenshot(path=str(shots / "2-errors-only.png"))
            page.locator('section[data-path="news/seed_article.txt"] article.source').scroll_into_view_if_needed()
            page.screenshot(path=str(shots / "2b-errors-only-article.png"))

            # category: quotes only, with the keyboard (Show all, then Space on each other category)
            page.locator("#filter-reset").focus()
            page.keyboard.press("Enter")
            assert len(_visible(page, "aside.side li[data-f]")) == len(findings)
            for cat in sorted({c for _, c in findings} - {"quotes"}):
                page.locator(f'nav.filters input[data-filter="category"][value="{cat}"]').focus()
                page.keyboard.press("Space")
            shown = _visible(page, "aside.side li[data-f]")
            assert {x["category"] for x in shown} == {"quotes"}
            assert len(shown) == sum(1 for _, c in findings if c == "quotes") > 0
            assert status.inner_text().startswith(f"Showing {len(shown)} of {len(findings)} findings")
            page.screenshot(path=str(shots / "3-quotes-only.png"))
            page.locator('section[data-path="news/seed_article.txt"] article.source').scroll_into_view_if_needed()
            page.screenshot(path=str(shots / "3b-quotes-only-article.png"))
            page.locator("#filter-reset").click()

            # the fixed text: opened with the keyboard, it is what --fix writes
            summary = page.locator('section[data-path="news/seed_article.txt"] details.fixed summary')
            summary.focus()
            page.keyboard.press("Enter")
            article = page.locator('section[data-path="news/seed_article.txt"] article.fixed-text')
            assert article.is_visible()
            text = article.evaluate("a => { const c = a.cloneNode(true); c.querySelectorAll('del').forEach(d => d.remove()); return c.textContent; }")
            assert text == (fixed_dir / "seed_article.txt").read_text(encoding="utf-8")
            assert text != (folder / "seed_article.txt").read_text(encoding="utf-8")
            assert article.locator("ins").count() > 0
            article.locator("ins").first.scroll_into_view_if_needed()
            page.screenshot(path=str(shots / "4-fixed-text.png"))
            # self-contained: the page asked for nothing but itself
            assert requests == [report_file.as_uri()]
        finally:
            browser.close()
    for name in ("1-all.png", "2-errors-only.png", "2b-errors-only-article.png", "3-quotes-only.png", "3b-quotes-only-article.png", "4-fixed-text.png"):
        assert (shots / name).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
