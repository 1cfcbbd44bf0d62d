"""The HTML report of a folder, read as HTML (no browser): files worst first,
clean files collapsed, errors first within a file, the "fixed text" view,
filter controls, and the same bytes for any number of jobs.

tests/test_html_chromium.py drives the same page in a real browser.
"""

from __future__ import annotations

import html
import json
import re
import shutil
from pathlib import Path

from checker.findings import FileResult, Finding, InputError, Severity
from checker.formatters.html import worst_first_key
from checker.spans import Span
from conftest import run_cli

#: file name -> text; what each one yields was checked by hand (see the asserts)
FOLDER = {
    # an error (page furniture) after a warning (repeated word, safe fix)
    "err.txt": "He left the the city.\n\nPlease enter your comment!\n",
    # two warnings, a higher article score than err.txt but no error
    "more_b.txt": "He said he declared that the military society left the the city.\n",
    "more_a.txt": "He said he declared that the military society left the the city.\n",
    "clean.txt": "The minister said on Monday that talks would resume.\n",
    "a_clean.md": "The minister said on Monday that talks would resume.\n",
}


def make_folder(root: Path) -> Path:
    folder = root / "news"
    folder.mkdir()
    for name, text in FOLDER.items():
        (folder / name).write_text(text, encoding="utf-8")
    (folder / "bin.txt").write_bytes(b"abc\0def")  # cannot be checked: exit 2, listed first
    return folder


def render_folder(tmp_path: Path, *extra: str) -> str:
    make_folder(tmp_path)
    out = tmp_path / "report.html"
    res = run_cli("check", "--no-cache", "-f", "html", "-o", str(out), *extra, "news", cwd=tmp_path)
    assert res.returncode == 2, res.stderr  # the binary file
    return out.read_text(encoding="utf-8")


def section_paths(page: str) -> list[str]:
    return [html.unescape(p) for p in re.findall(r'<section class="file" id="file-\d+" data-path="([^"]*)"', page)]


def test_files_are_listed_worst_first_and_clean_files_collapsed(tmp_path):
    page = render_folder(tmp_path)
    # not checked first, then the file with an error (though its score is lower), then by path
    assert section_paths(page) == ["news/bin.txt", "news/err.txt", "news/more_a.txt", "news/more_b.txt"]
    rows = re.findall(r'<tr id="row-file-\d+"><td><a href="#file-\d+">([^<]*)</a>', page)
    assert rows == section_paths(page)
    clean = re.search(r'<details class="clean"><summary>2 clean files: no findings</summary><ul>(.*?)</ul></details>', page)
    assert clean, page[:3000]
    assert re.findall(r"<li>([^ <]+) ", clean.group(1)) == ["news/a_clean.md", "news/clean.txt"]
    # a clean file's text is not in the page
    assert "talks would resume" not in page


def test_errors_come_first_within_a_file(tmp_path):
    page = render_folder(tmp_path)
    section = page[page.index('data-path="news/err.txt"'):]
    section = section[: section.index("</section>")]
    severities = re.findall(r'<li id="item-[^"]+" data-f="[^"]+" data-severity="(\w+)"', section)
    assert severities == ["error", "warning"]
    codes = re.findall(r'<span class="code [^"]+">(\w+)</span>', section)
    assert codes == ["MT008", "TY030"]
    # the highlights in the text stay in reading order
    marks = re.findall(r'<mark class="hl[^"]*" data-f="([^"]+)"', section)
    assert marks and marks == sorted(marks, key=lambda i: int(i.split("-")[1]))


def test_filter_controls_count_every_severity_and_category(tmp_path):
    page = render_folder(tmp_path)
    sev = dict(re.findall(r'data-filter="severity" value="(\w+)" checked> \w+ <span class="n">(\d+)</span>', page))
    assert sev == {"error": "1", "warning": "5", "info": "0"}
    cats = dict(re.findall(r'data-filter="category" value="([\w-]+)" checked> [\w-]+ <span class="n">(\d+)</span>', page))
    assert cats == {"calque": "2", "repetition": "3", "scrape-residue": "1"}
    data = json.loads(re.search(r'<script type="application/json" id="mtlint-findings">(.*?)</script>', page).group(1))
    assert {d["severity"] for d in data} == {"error", "warning"} and all(d["category"] in cats for d in data)


def test_fixed_text_view_is_what_fix_writes(tmp_path):
    page = render_folder(tmp_path)
    fixed_dir = tmp_path / "fixed"
    shutil.copytree(tmp_path / "news", fixed_dir)
    (fixed_dir / "bin.txt").unlink()
    run_cli("check", "--no-cache", "--fix", "fixed", cwd=tmp_path)
    for name in ("err.txt", "more_a.txt"):
        view = re.search(rf'<details class="fixed" id="fixed-\d+"><summary>(.*?)</summary><article class="fixed-text" data-path="news/{name}">(.*?)</article>', page, re.S)
        assert view, name
        assert "1 safe fix applied (TY030 ×1)" in view.group(1)
        shown = html.unescape(re.sub(r"<del[^>]*>.*?</del>|<[^>]+>", "", view.group(2)))
        assert shown == (fixed_dir / name).read_text(encoding="utf-8")
        assert shown != FOLDER[name]  # the view shows a change
        assert "<del" in view.group(2)  # and marks what was removed


def test_same_bytes_for_any_number_of_jobs(tmp_path):
    make_folder(tmp_path)
    pages = []
    for jobs in ("1", "2"):
        out = tmp_path / f"r{jobs}.html"
        run_cli("check", "--no-cache", "--jobs", jobs, "-f", "html", "-o", str(out), "news", cwd=tmp_path)
        pages.append(out.read_bytes())
    assert pages[0] == pages[1]


def _result(path: str, errors: int = 0, warnings: int = 0, score: float | None = None, fatal: bool = False) -> FileResult:
    def f(i: int, sev: Severity) -> Finding:
        return Finding(code="TY001", name="t.x", category="quotes", severity=sev, message="m", span=Span(i, i + 1), text="x")

    findings = tuple(f(i, Severity.ERROR) for i in range(errors)) + tuple(f(10 + i, Severity.WARNING) for i in range(warnings))
    errs = (InputError(path, "binary", "not checked"),) if fatal else ()
    return FileResult(path=path, findings=findings, errors=errs, score=score, source=None if fatal else "x" * 20)


def test_worst_first_key_orders_by_fatal_errors_score_warnings_then_path():
    files = [
        _result("z.txt", warnings=9, score=99.0),
        _result("b.txt", errors=1, score=10.0),
        _result("a.txt", errors=1, score=50.0),
        _result("c.txt", errors=2, score=1.0),
        _result("y.txt", fatal=True),
        _result("x.txt", warnings=9, score=99.0),
        _result("w.txt", warnings=10, score=99.0),
    ]
    order = [r.path for r in sorted(files, key=worst_first_key)]
    assert order == ["y.txt", "c.txt", "a.txt", "b.txt", "w.txt", "x.txt", "z.txt"]


def test_fixed_text_view_for_standard_input():
    res = run_cli("check", "--no-cache", "-f", "html", "-", stdin="He left the the city.\n")
    view = re.search(r'<article class="fixed-text" data-path="-">(.*?)</article>', res.stdout, re.S)
    assert view, res.stdout[-2000:]
    assert html.unescape(re.sub(r"<del[^>]*>.*?</del>|<[^>]+>", "", view.group(1))) == "He left the city.\n"
