"""Inline suppression comments and baseline files."""

from __future__ import annotations

import json

from checker.api import RunOptions, run
from conftest import run_cli
from io_helpers import write_config

TEXT = """Hausers one.

<!-- mtlint-disable TX001 -->
Hausers two.
Hausers  three.
<!-- mtlint-enable -->
Hausers four.
<!-- mtlint-disable-next-line tx.garbled -->
Hausers five.
Hausers six. <!-- mtlint-disable-line TX001 -->
<!-- mtlint-disable -->
Hausers  seven.
<!-- mtlint-enable TX001 -->
Hausers  eight.
"""


def _codes_by_line(report):
    return sorted((f.line, f.code) for f in report.findings)


def test_disable_enable_next_line_and_names_in_plain_text(tmp_path):
    write_config(tmp_path)
    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    report = run([str(tmp_path / "a.txt")], RunOptions())
    assert _codes_by_line(report) == [
        (1, "TX001"),
        (5, "TX002"),  # only TX001 was disabled
        (7, "TX001"),
        (14, "TX001"),  # enable TX001 re-enables it; TX002 stays disabled (line 14 double space)
    ]
    assert not report.errors


def test_same_comments_work_in_markdown_and_html(tmp_path):
    write_config(tmp_path)
    (tmp_path / "a.md").write_text(TEXT, encoding="utf-8")
    html = "<p>Hausers one.</p>\n<!-- mtlint-disable-next-line TX001 -->\n<p>Hausers two.</p>\n<p>Hausers three.</p>\n"
    (tmp_path / "b.html").write_text(html, encoding="utf-8")
    report = run([str(tmp_path / "a.md"), str(tmp_path / "b.html")], RunOptions(corpus=False))
    md, htm = report.files
    assert [f.line for f in md.findings if f.code == "TX001"] == [1, 7, 14]
    assert [f.line for f in htm.findings] == [1, 4]


def test_unknown_code_in_a_suppression_is_reported_with_file_and_line(tmp_path):
    write_config(tmp_path)
    f = tmp_path / "a.md"
    f.write_text("Intro.\n\n<!-- mtlint-disable-next-line TX999, TX001 -->\nHausers.\n", encoding="utf-8")
    report = run([str(f)], RunOptions())
    assert not report.findings  # the known code still applies
    notes = [e for e in report.errors if e.kind == "suppression"]
    assert len(notes) == 1 and not notes[0].fatal
    assert notes[0].path == str(f) and "line 3" in notes[0].message and "TX999" in notes[0].message
    res = run_cli("check", str(f))
    assert res.returncode == 0 and "line 3: unknown rule 'TX999'" in res.stdout


def test_only_unknown_codes_suppress_nothing(tmp_path):
    write_config(tmp_path)
    f = tmp_path / "a.txt"
    f.write_text("<!-- mtlint-disable NOPE -->\nHausers.\n", encoding="utf-8")
    report = run([str(f)], RunOptions())
    assert [x.code for x in report.findings] == ["TX001"]


ARTICLE = "Forces destroyed Hausers near the port.\n\nA second paragraph  with spaces.\n"


def test_baseline_round_trip_survives_edits_elsewhere(tmp_path):
    write_config(tmp_path)
    art = tmp_path / "a.md"
    art.write_text(ARTICLE, encoding="utf-8")
    base = tmp_path / "baseline.json"
    res = run_cli("check", str(art), "--write-baseline", str(base))
    assert res.returncode == 0, res.stdout + res.stderr
    data = json.loads(base.read_text())
    assert [e["code"] for e in data["findings"]] == ["TX001", "TX002"]
    assert data["findings"][0]["path"] == "a.md"
    # stable order and content: writing again gives the same bytes
    first = base.read_bytes()
    run_cli("check", str(art), "--write-baseline", str(base))
    assert base.read_bytes() == first

    # edits elsewhere: a new paragraph above, a changed paragraph below
    art.write_text("# A new headline\n\nAn inserted lead paragraph.\n\n" + ARTICLE + "\nClosing words.\n", encoding="utf-8")
    report = run([str(art)], RunOptions(baseline=str(base)))
    assert report.findings == ()
    assert any("2 findings matched the baseline" in e.message for e in report.errors)

    # a new problem is reported, the old ones stay baselined
    art.write_text(ARTICLE + "\nMore Hausers arrived.\n", encoding="utf-8")
    report = run([str(art)], RunOptions(baseline=str(base)))
    assert [(f.code, f.line) for f in report.findings] == [("TX001", 5)]
    res = run_cli("check", str(art), "--baseline", str(base))
    assert res.returncode == 0 and "a.md:5:6: TX001" in res.stdout

    # editing the flagged sentence itself makes it new again
    art.write_text(ARTICLE.replace("Forces destroyed", "Troops shelled"), encoding="utf-8")
    report = run([str(art)], RunOptions(baseline=str(base)))
    assert [f.code for f in report.findings] == ["TX001"]


def test_baseline_from_config_and_missing_baseline(tmp_path):
    write_config(tmp_path, extra='baseline = "known.json"\n')
    art = tmp_path / "a.txt"
    art.write_text(ARTICLE, encoding="utf-8")
    report = run([str(art)], RunOptions())
    assert [e.kind for e in report.errors] == ["baseline"] and report.errors[0].fatal
    assert report.exit_code() == 2
    run_cli("check", str(art), "--write-baseline", str(tmp_path / "known.json"))
    report = run([str(art)], RunOptions())
    assert report.findings == () and report.exit_code() == 0


def test_baseline_garbage_file_is_an_input_error(tmp_path):
    write_config(tmp_path)
    art = tmp_path / "a.txt"
    art.write_text(ARTICLE, encoding="utf-8")
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    res = run_cli("check", str(art), "--baseline", str(bad))
    assert res.returncode == 2 and "cannot read the baseline" in res.stdout


def test_a_baseline_records_file_names_that_are_not_utf8_and_matches_them(tmp_path):
    """A file name that is not UTF-8 (a Latin-1 "é") crashed ``--write-baseline``
    (a lone surrogate in JSON text); the baseline now keeps the name in the
    reports' escaped form and matches the file by it.  A name with a backslash,
    which a baseline written before kept as it was, still matches."""
    write_config(tmp_path)
    odd = tmp_path / "caf\udce9.txt"
    odd.write_text(ARTICLE, encoding="utf-8")
    slash = tmp_path / "a\\b.txt"
    slash.write_text(ARTICLE, encoding="utf-8")
    base = tmp_path / "baseline.json"
    res = run_cli("check", str(tmp_path), "--write-baseline", str(base))
    assert res.returncode == 0, res.stdout + res.stderr
    data = json.loads(base.read_text(encoding="utf-8"))
    assert sorted({e["path"] for e in data["findings"]}) == ["a\\\\b.txt", "caf\\xe9.txt"]
    report = run([str(tmp_path)], RunOptions(baseline=str(base)))
    assert report.findings == () and report.exit_code() == 0

    # the form baselines had before: the name as it was (a backslash unescaped)
    data["findings"] = [{**e, "path": "a\\b.txt"} if e["path"] == "a\\\\b.txt" else e for e in data["findings"]]
    base.write_text(json.dumps(data), encoding="utf-8")
    report = run([str(tmp_path)], RunOptions(baseline=str(base)))
    assert report.findings == ()
