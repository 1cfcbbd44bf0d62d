"""The editor's page in headless Chromium (Playwright driving Debian's chromium).

Pastes the seed article, checks it, finds "Hausers" highlighted, filters,
rejects and accepts a fix with the keyboard, applies all safe fixes and reads
the corrected text back; the result must be what ``mtlint check --fix``
writes.  Screenshots go to ``$MTLINT_SCREENSHOTS`` (default: the test's tmp
folder).  Never ``playwright install``: the browser is the system's.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

from conftest import run_cli
from serve_helpers import app, live_server, seed_text, serve_extra

serve_extra()
pytest.importorskip("playwright.sync_api", reason="playwright is not installed: pip install '.[test]'")

from playwright.sync_api import expect, sync_playwright  # noqa: E402

CHROMIUM = next((p for p in ("/usr/bin/chromium", shutil.which("chromium") or "", shutil.which("chromium-browser") or "") if p and os.path.exists(p)), None)
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (apt-get install -y chromium); .ci/run installs it")


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        try:
            yield b
        finally:
            b.close()


@pytest.fixture(scope="module")
def server():
    with live_server(app()) as url:
        yield url


@pytest.fixture()
def shots(tmp_path):
    folder = Path(os.environ.get("MTLINT_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def test_paste_check_highlight_and_apply_safe_fixes(browser, server, shots, tmp_path):
    text = seed_text()
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(server + "/")
    page.fill("#source", text)
    page.press("#source", "Control+Enter")  # the keyboard starts the check
    hausers = page.locator("mark.hl", has_text="Hausers").first
    hausers.wait_for(state="visible", timeout=60_000)
    assert hausers.inner_text() == "Hausers"
    box = hausers.bounding_box()
    assert box and box["width"] > 0 and box["height"] > 0
    assert page.evaluate("getComputedStyle(document.querySelector('mark.hl')).backgroundColor") not in ("rgba(0, 0, 0, 0)", "transparent")
    assert "triage score" in page.inner_text("#stats") and "reading ease" in page.inner_text("#stats")
    assert "Haftar" in page.inner_text("#clusters")
    page.screenshot(path=str(shots / "serve-1-checked.png"))

    # the list is worst first: the errors (scrape residue) before the warnings
    severities = page.eval_on_selector_all("#findings li[data-i] .sev", "els => els.map(e => e.textContent)")
    assert severities == sorted(severities, key=["error", "warning", "info"].index)
    # filters: only the mistranslation category, then all again
    page.select_option("#category", "mistranslation")
    assert page.locator("#findings li[data-i]").count() == 1
    assert page.locator("mark.hl").count() == 1
    page.screenshot(path=str(shots / "serve-2-filtered.png"))
    page.select_option("#category", "")

    # keyboard: j/k move between findings, r rejects one (it leaves the list and the article)
    page.focus("#findings li[data-i]")
    first = page.inner_text("#findings li.selected .code")
    assert first == "MT052"  # the worst first: the site name left in the headline (an error with a safe fix)
    page.keyboard.press("j")
    assert page.inner_text("#findings li.selected .code") != first
    page.keyboard.press("k")
    assert page.inner_text("#findings li.selected .code") == first
    before = page.locator("#findings li[data-i]").count()
    page.keyboard.press("r")
    assert page.locator("#findings li[data-i]").count() == before - 1
    assert page.locator("mark.hl", has_text="| New").count() == 0

    page.click("#apply-safe")
    expect(page.locator("#status")).to_contain_text("Applied", timeout=60_000)
    corrected = page.input_value("#corrected")
    page.screenshot(path=str(shots / "serve-3-fixed.png"), full_page=False)
    # the safe fixes were applied, except the rejected one; the unsafe one is still flagged
    assert corrected.startswith("Libyan GNA forces advance after Egypt’s truce offer fails | New\n")
    assert "Hifter" not in corrected and "Hafter" not in corrected and "Hausers" in corrected
    assert page.locator("mark.hl", has_text="Hausers").count() == 1

    # accept the (unsafe) Hausers fix from its item
    page.locator("mark.hl", has_text="Hausers").first.click()
    page.locator("#findings li.selected button.accept").click()
    expect(page.locator("#corrected")).not_to_have_value(re.compile("Hausers"), timeout=60_000)
    assert "included howitzers and" in page.input_value("#corrected")
    page.screenshot(path=str(shots / "serve-4-accepted.png"))
    assert not errors, errors
    assert all(u.startswith(server) for u in requests), [u for u in requests if not u.startswith(server)]
    page.close()

    # a fresh page with nothing rejected: "Apply all safe fixes" gives what --fix writes
    (tmp_path / "a.txt").write_text(text, encoding="utf-8")
    run_cli("check", "--fix", "--no-cache", "a.txt", cwd=tmp_path)
    expected = (tmp_path / "a.txt").read_text(encoding="utf-8")
    page = browser.new_page()
    page.goto(server + "/")
    page.fill("#source", text)
    page.click("#check")
    page.locator("mark.hl", has_text="Hausers").first.wait_for(timeout=60_000)
    page.click("#apply-safe")
    expect(page.locator("#status")).to_contain_text("Applied", timeout=60_000)
    assert page.input_value("#corrected") == expected
    page.close()
