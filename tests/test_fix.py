"""--fix, --diff and --unsafe-fixes: round trips in every format."""

from __future__ import annotations

import os

import pytest

from conftest import run_cli
from io_helpers import write_config

CASES = {
    "a.txt": ("Forces destroyed Hausers  and  more Hausers.\n\nThe indoor air base.\n",
              "Forces destroyed Howitzers and more Howitzers.\n\nThe indoor air base.\n"),
    "a.md": ("---\ntitle: Hausers  title\n---\n\n- item with *Hausers*  here\n- `Hausers` in code\n\nA military *society* and a military society.\n",
             "---\ntitle: Howitzers title\n---\n\n- item with *Howitzers* here\n- `Hausers` in code\n\nA military *society* and a military convoy.\n"),
    "a.html": ("<p>Forces &amp; Hausers  here.</p>\n<p>A military <b>society</b> and a military society.</p>\n<script>Hausers</script>\n",
               "<p>Forces &amp; Howitzers  here.</p>\n<p>A military <b>society</b> and a military convoy.</p>\n<script>Hausers</script>\n"),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_fix_applies_safe_fixes_in_raw_coordinates_and_is_idempotent(tmp_path, name):
    write_config(tmp_path)
    before, after = CASES[name]
    f = tmp_path / name
    f.write_text(before, encoding="utf-8")
    res = run_cli("check", "--fix", str(f))
    assert f.read_text(encoding="utf-8") == after, res.stdout + res.stderr
    # --fix says what it fixed, per file and rule, and that the report shows what remains
    assert f"{f}: fixed TX" in res.stderr and " in 1 file; what remains is reported below" in res.stderr
    # what is left is reported, and exit code follows it
    assert res.returncode == 0
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".mtlint-")] == []  # no temp files left
    mtime = f.stat().st_mtime_ns
    res2 = run_cli("check", "--fix", str(f))
    assert f.read_text(encoding="utf-8") == after  # a second run changes nothing
    assert f.stat().st_mtime_ns == mtime and "fixed" not in res2.stderr


def test_diff_shows_changes_without_writing(tmp_path):
    write_config(tmp_path)
    before, after = CASES["a.md"]
    f = tmp_path / "a.md"
    f.write_text(before, encoding="utf-8")
    res = run_cli("check", "--diff", str(f))
    assert res.returncode == 1
    assert f.read_text(encoding="utf-8") == before
    assert f"--- a/{str(f).lstrip('/')}" in res.stdout and "-- item with *Hausers*  here" in res.stdout and "+- item with *Howitzers* here" in res.stdout
    f.write_text(after, encoding="utf-8")
    res = run_cli("check", "--diff", str(f))
    assert res.returncode == 0 and res.stdout == ""


def test_unsafe_fixes_only_when_asked(tmp_path):
    write_config(tmp_path)
    f = tmp_path / "a.txt"
    f.write_text("The indoor air base.\n", encoding="utf-8")
    run_cli("check", "--fix", str(f))
    assert f.read_text(encoding="utf-8") == "The indoor air base.\n"
    run_cli("check", "--fix", "--unsafe-fixes", str(f))
    assert f.read_text(encoding="utf-8") == "The air base.\n"


def test_fix_keeps_bom_crlf_and_permissions(tmp_path):
    write_config(tmp_path)
    f = tmp_path / "a.txt"
    f.write_bytes(b"\xef\xbb\xbfLine one Hausers.\r\nLine  two.\r\n")
    os.chmod(f, 0o640)
    run_cli("check", "--fix", str(f))
    assert f.read_bytes() == b"\xef\xbb\xbfLine one Howitzers.\r\nLine two.\r\n"
    assert f.stat().st_mode & 0o777 == 0o640


def test_files_without_fixes_are_never_touched(tmp_path):
    write_config(tmp_path)
    f = tmp_path / "clean.md"
    f.write_text("Nothing to fix here.\n", encoding="utf-8")
    mtime = f.stat().st_mtime_ns
    res = run_cli("check", "--fix", str(f))
    assert res.returncode == 0 and f.stat().st_mtime_ns == mtime


def test_diff_of_a_file_without_final_newline(tmp_path):
    write_config(tmp_path)
    f = tmp_path / "a.txt"
    f.write_text("Forces destroyed Hausers.", encoding="utf-8")
    res = run_cli("check", "--diff", str(f))
    assert res.stdout.endswith("+Forces destroyed Howitzers.\n\\ No newline at end of file\n")


def test_fix_on_standard_input_changes_nothing_and_does_not_crash(tmp_path):
    write_config(tmp_path)
    res = run_cli("check", "--fix", "-", cwd=tmp_path, stdin="Forces destroyed Hausers.\n")
    assert res.returncode == 0 and "Traceback" not in res.stderr and "<stdin>" not in res.stdout
    assert ":1:18: TX001" in res.stdout
