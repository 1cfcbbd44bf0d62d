"""The HTML report rendered for real in headless Chromium.

Renders the report of the seed article (and the Markdown/HTML fixtures),
takes a screenshot, and checks through the live DOM, after the page's
scripts ran, that every finding is highlighted exactly at its text and that
the highlight is visible.  Skipped with the reason when Chromium is missing
(``.ci/run`` installs Debian's ``chromium`` so CI really runs it).
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
