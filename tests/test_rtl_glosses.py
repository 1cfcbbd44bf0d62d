"""Right-to-left glosses (issue 12): rule messages quote the source-language
construction ('Arabic "طلب"'); in a terminal line that runs left to right an
Arabic run is laid out reversed and drags the quotes around.  The terminal
output transliterates it; JSON, the HTML report and ``mtlint explain`` keep
the script."""

from __future__ import annotations

import json
import re
import unicodedata

from checker.formatters.text import ltr
from conftest import run_cli

MD = "fixtures/documents/mt_heavy.md"


def rtl_chars(s: str) -> set[str]:
    return {c for c in s if unicodedata.bidirectional(c) in ("R", "AL", "AN", "RLE", "RLO", "RLI")}


def test_ltr_transliterates_rtl_runs_and_keeps_everything_else():
    assert ltr('Calque: "declare" for "request" (Arabic "طلب"/French "demander")') == 'Calque: "declare" for "request" (Arabic "tlb"/French "demander")'
    assert ltr('Arabic "لمدة عام"') == 'Arabic "lmdh `m"'  # the space between the words is kept
    assert ltr('Hebrew "שלום"') == 'Hebrew "slvm"'
    assert ltr("\u202bمرحبا\u202c x\u200f") == "mrhb x"  # bidi controls dropped
    assert ltr('Spanish "de un año", French "d\'un an" – Ürümqi') == 'Spanish "de un año", French "d\'un an" – Ürümqi'
    assert ltr("plain") == "plain"
    assert not rtl_chars(ltr("كتب كتابًا ١٢٣"))  # marks and Arabic-Indic digits too


def test_terminal_output_has_no_rtl_text_but_json_html_and_explain_keep_it(tmp_path):
    data = json.loads(run_cli("check", "--no-cache", "-f", "json", MD).stdout)
    messages = [f["message"] for r in data["files"] for f in r["findings"]]
    glossed = [m for m in messages if rtl_chars(m)]
    assert glossed, "the fixture has findings whose message quotes Arabic"
    assert any('Arabic "طلب"' in m for m in glossed)

    plain = run_cli("check", "--no-cache", MD).stdout
    assert not rtl_chars(plain)
    assert 'Arabic "tlb"' in plain
    rich = run_cli("check", "--no-cache", "--color", "always", MD, env={"NO_COLOR": ""}).stdout
    assert "\x1b[" in rich and not rtl_chars(re.sub(r"\x1b\[[0-9;]*m", "", rich))
    assert 'Arabic "tlb"' in re.sub(r"\x1b\[[0-9;]*m", "", rich)
    no_color = run_cli("check", "--no-cache", "--color", "never", MD).stdout
    assert not rtl_chars(no_color)

    page = tmp_path / "r.html"
    run_cli("check", "--no-cache", "-f", "html", "-o", str(page), MD)
    assert '<bdi dir="rtl">طلب</bdi>' in page.read_text(encoding="utf-8")

    explain = run_cli("explain", "MT002").stdout
    assert "قافلة عسكرية" in explain
