"""The command line end to end: seed article, JSON contract, config, bad input."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, SEED, make_house_pack, run_cli

FINDING_KEYS = [
    "rule", "name", "category", "severity", "message", "start", "end", "line", "column",
    "end_line", "end_column", "text", "suggestions", "fix", "related", "data", "fingerprint",
]


def _json(proc):
    assert proc.stdout, proc.stderr
    return json.loads(proc.stdout)


def test_seed_article_json_contract():
    proc = run_cli("check", str(SEED), "--format", "json", "--select", "MT")
    assert proc.returncode == 1, proc.stderr  # MT008 residue is an error
    report = _json(proc)
    assert report["schema"] == 1 and report["tool"]["name"] == "mtlint"
    [file] = report["files"]
    decoded = SEED.read_text(encoding="utf-8")
    lines = decoded.splitlines(keepends=True)
    for f in file["findings"]:
        assert list(f) == FINDING_KEYS
        assert decoded[f["start"]:f["end"]] == f["text"]
        line_start = sum(len(l) for l in lines[: f["line"] - 1])
        assert f["start"] - line_start + 1 == f["column"]
        assert f["severity"] in ("error", "warning", "info")
    by_text = {f["text"]: f for f in file["findings"]}
    assert by_text["Hausers"]["category"] == "mistranslation"
    assert by_text["Hausers"]["suggestions"] == ["howitzers"]
    assert by_text["military society"]["category"] == "calque"
    assert by_text["military society"]["suggestions"] == ["military convoy"]
    assert by_text["indoor air base"]["suggestions"] == ["air base"]
    assert by_text["said he declared"]["category"] == "reporting-verb"
    assert by_text["Please enter your comment!"]["category"] == "scrape-residue"
    s = report["summary"]
    assert s["files"] == 1 and s["findings"] == len(file["findings"]) and s["exit_code"] == 1


def test_output_is_deterministic():
    a = run_cli("check", str(SEED), "--format", "json").stdout
    b = run_cli("check", str(SEED), "--format", "json").stdout
    assert a == b


def test_text_output_has_location_excerpt_and_caret():
    proc = run_cli("check", str(SEED), "--select", "MT001")
    assert proc.returncode == 0  # warnings only; default fail-on is error
    lines = proc.stdout.splitlines()
    head = next(i for i, l in enumerate(lines) if "MT001" in l)
    assert lines[head].startswith(f"{SEED}:15:99: MT001 ")
    excerpt, carets = lines[head + 1], lines[head + 2]
    col = carets.index("^")
    assert excerpt[col:col + 7] == "Hausers" and carets.strip() == "^" * 7
    assert "\x1b[" not in proc.stdout  # no colour when not a terminal


def test_fail_on_and_exit_codes(tmp_path):
    clean = tmp_path / "clean.txt"
    clean.write_text("The convoy included howitzers.\n", encoding="utf-8")
    assert run_cli("check", str(clean)).returncode == 0
    warn = tmp_path / "warn.txt"
    warn.write_text("The convoy included Hausers.\n", encoding="utf-8")
    assert run_cli("check", str(warn)).returncode == 0
    assert run_cli("check", str(warn), "--fail-on", "warning").returncode == 1
    assert run_cli("check", "--bogus-flag", str(warn)).returncode == 2


def test_bad_inputs_are_reported_and_the_rest_still_checked(tmp_path):
    good = tmp_path / "good.txt"
    good.write_text("They had Hausers.\n", encoding="utf-8")
    binary = tmp_path / "image.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    latin = tmp_path / "latin1.txt"
    latin.write_bytes("Café in Sirte\n".encode("latin-1"))
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    huge = tmp_path / "huge.txt"
    with open(huge, "wb") as fh:
        fh.write(b"All quiet in Sirte today. " * (50 * 1024 * 1024 // 26 + 1))  # ~50 MB
    noperm = tmp_path / "noperm.txt"
    noperm.write_text("text\n", encoding="utf-8")
    emptydir = tmp_path / "nothing_here"
    emptydir.mkdir()
    (emptydir / "notes.docx").write_bytes(b"PK")
    missing = tmp_path / "missing.txt"
    args = [str(p) for p in (good, binary, latin, empty, huge, missing, emptydir)]
    proc = run_cli("check", "--format", "json", *args)
    assert proc.returncode == 2
    report = _json(proc)
    by_path = {f["path"]: f for f in report["files"]}
    assert [f["rule"] for f in by_path[str(good)]["findings"]] == ["MT001"]
    kinds = {p: [e["kind"] for e in f["errors"]] for p, f in by_path.items()}
    assert kinds[str(binary)] == ["binary"]
    assert kinds[str(latin)] == ["encoding"]
    assert kinds[str(empty)] == ["empty"]
    assert kinds[str(huge)] == ["too-large"]
    assert kinds[str(missing)] == ["missing"]
    assert kinds[str(emptydir)] == ["no-files"]
    assert "byte offset 3" in by_path[str(latin)]["errors"][0]["message"]
    # machine formats also print input errors on stderr, one line each, naming the file
    for p in (binary, latin, huge, missing):
        assert any(line.startswith(str(p) + ": error:") for line in proc.stderr.splitlines()), proc.stderr
    # the text format says it too
    text = run_cli("check", str(missing), str(good))
    assert text.returncode == 2 and f"{missing}: error: no such file or folder" in text.stdout


def test_bom_is_removed_and_offsets_count_decoded_characters(tmp_path):
    p = tmp_path / "bom.txt"
    p.write_bytes("\ufeffThey had Hausers.\r\nNext line.\r\n".encode("utf-8"))
    report = _json(run_cli("check", str(p), "--format", "json", "--select", "MT001"))
    [f] = report["files"][0]["findings"]
    assert (f["start"], f["line"], f["column"], f["text"]) == (9, 1, 10, "Hausers")


def test_stdin(tmp_path):
    proc = run_cli("check", "-", "--format", "json", "--stdin-filename", "pasted.txt", stdin="We saw Hausers.\n")
    report = _json(proc)
    assert report["files"][0]["path"] == "pasted.txt"
    assert report["files"][0]["findings"][0]["text"] == "Hausers"


def test_folder_recursion_only_checkable_files(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "one.txt").write_text("Hausers.\n", encoding="utf-8")
    (tmp_path / "a" / "two.md").write_text("Hausers again.\n", encoding="utf-8")
    (tmp_path / "a" / "skip.py").write_text("Hausers = 1\n", encoding="utf-8")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "x.txt").write_text("Hausers\n", encoding="utf-8")
    report = _json(run_cli("check", str(tmp_path), "--format", "json", "--select", "MT001"))
    assert sorted(Path(f["path"]).name for f in report["files"]) == ["one.txt", "two.md"]


def test_config_discovery_walks_up_and_cli_overrides(tmp_path):
    # GR ignored too: with MT001 off, GR002 (on by default) would report "Hausers" itself
    (tmp_path / "pyproject.toml").write_text('[tool.mtlint]\nignore = ["MT001", "GR"]\nfail-on = "warning"\n', encoding="utf-8")
    sub = tmp_path / "news" / "2020"
    sub.mkdir(parents=True)
    art = sub / "story.txt"
    art.write_text("A military society had Hausers.\n", encoding="utf-8")
    report = _json(run_cli("check", str(art), "--format", "json", cwd=tmp_path))
    assert [f["rule"] for f in report["files"][0]["findings"]] == ["MT002"]
    assert report["summary"]["exit_code"] == 1  # fail-on = warning from the file
    # a nearer .mtlint.toml wins
    (sub / ".mtlint.toml").write_text('select = ["MT001"]\n', encoding="utf-8")
    report = _json(run_cli("check", str(art), "--format", "json"))
    assert [f["rule"] for f in report["files"][0]["findings"]] == ["MT001"]
    # --config overrides discovery; command-line options override the file
    other = tmp_path / "other.toml"
    other.write_text('select = ["MT002"]\n', encoding="utf-8")
    report = _json(run_cli("check", str(art), "--format", "json", "--config", str(other)))
    assert [f["rule"] for f in report["files"][0]["findings"]] == ["MT002"]
    report = _json(run_cli("check", str(art), "--format", "json", "--config", str(other), "--select", "MT001,MT002", "--ignore", "MT002"))
    assert [f["rule"] for f in report["files"][0]["findings"]] == ["MT001"]


@pytest.mark.parametrize(
    "content,needle",
    [
        ('selct = ["MT"]\n', "line 1, column 1: key 'selct': unknown key; did you mean 'select'?"),
        ('select = ["MT999"]\n', "line 1, column 11: key 'select': unknown rule reference 'MT999'; did you mean 'MT009'?"),
        ('fail-on = "fatal"\n', "line 1, column 1: key 'fail-on'"),
        ('select = "MT"\n', "key 'select': expected a list"),
        ("select = [\n", "line 2, column 1: invalid TOML"),
        ('[severity]\nMT777 = "error"\n', "line 2, column 1: key 'severity.MT777'"),
        ('[options.MT001]\nbogus = 1\n', "line 2, column 1: key 'options.MT001.bogus'"),
        ('[grammar]\nbackend = "harper"\nwrods = ["Gnunu"]\n', "line 3, column 1: key 'grammar.wrods': unknown key; did you mean 'words'?"),
    ],
)
def test_broken_config_names_file_line_and_key_and_stops_the_run(tmp_path, content, needle):
    cfg = tmp_path / ".mtlint.toml"
    cfg.write_text(content, encoding="utf-8")
    art = tmp_path / "a.txt"
    art.write_text("They had Hausers.\n", encoding="utf-8")
    proc = run_cli("check", str(art), "--format", "json")
    assert proc.returncode == 2
    assert any(str(cfg) in line and needle in line for line in proc.stderr.splitlines()), proc.stderr
    # nothing is checked with settings the user did not mean (issue 12)
    assert _json(proc)["files"] == []
    text = run_cli("check", str(art))
    assert text.returncode == 2 and "Hausers" not in text.stdout


def test_pyproject_errors_use_the_tool_table_path(tmp_path):
    (tmp_path / "pyproject.toml").write_text("[tool.mtlint]\nselct = []\n", encoding="utf-8")
    art = tmp_path / "a.txt"
    art.write_text("fine\n", encoding="utf-8")
    proc = run_cli("check", str(art))
    assert proc.returncode == 2 and "key 'tool.mtlint.selct'" in proc.stdout
    # every key path in a pyproject.toml is written the same way, with the table prefix
    (tmp_path / "pyproject.toml").write_text('[tool.mtlint.severity]\nMT999 = "error"\n', encoding="utf-8")
    proc = run_cli("check", str(art))
    assert proc.returncode == 2 and "line 2, column 1: key 'tool.mtlint.severity.MT999'" in proc.stdout


def test_broken_rule_file_is_reported_and_other_rules_run(tmp_path):
    make_house_pack(tmp_path, extra_files={"broken.yaml": "code: HS002\nname: [unclosed\n"})
    (tmp_path / ".mtlint.toml").write_text('packs = ["house"]\n', encoding="utf-8")
    art = tmp_path / "a.txt"
    art.write_text("They utilize Hausers.\n", encoding="utf-8")
    proc = run_cli("check", str(art), "--format", "json")
    assert proc.returncode == 2
    assert any("broken.yaml" in l and "invalid YAML at line" in l for l in proc.stderr.splitlines()), proc.stderr
    rules = {f["rule"] for f in _json(proc)["files"][0]["findings"]}
    assert {"HS001", "MT001"} <= rules


def test_rules_and_explain_commands():
    proc = run_cli("rules")
    assert proc.returncode == 0
    assert "MT001" in proc.stdout and "mt.garbled_term" in proc.stdout and "mistranslation" in proc.stdout
    proc = run_cli("explain", "MT001")
    assert proc.returncode == 0 and "# MT001" in proc.stdout and "**Hausers**" in proc.stdout
    assert run_cli("explain", "XX999").returncode == 2


def test_checked_files_are_never_written(tmp_path):
    art = tmp_path / "a.txt"
    art.write_text("A military society had Hausers.\n", encoding="utf-8")
    before = (art.read_bytes(), art.stat().st_mtime_ns)
    run_cli("check", str(art), "--format", "json")
    assert (art.read_bytes(), art.stat().st_mtime_ns) == before


@pytest.mark.skipif(shutil.which("mtlint") is None, reason="mtlint is not installed (pip install . puts it on PATH)")
def test_installed_console_script_works_from_any_folder(tmp_path):
    """`pip install .` ships the rule packs in the wheel: no checkout needed."""
    art = tmp_path / "a.txt"
    art.write_text("They had Hausers.\n", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    proc = subprocess.run(["mtlint", "check", "--format", "json", "a.txt"], cwd=tmp_path, capture_output=True, text=True, env=env)
    report = json.loads(proc.stdout)
    assert report["files"][0]["findings"][0]["text"] == "Hausers"
    proc = subprocess.run(["mtlint", "explain", "MT001"], cwd=tmp_path, capture_output=True, text=True, env=env)
    assert "**Hausers**" in proc.stdout  # fixtures ship too, for explain


def test_python_dash_m_checker():
    proc = subprocess.run([sys.executable, "-m", "checker", "--version"], capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 0 and proc.stdout.startswith("mtlint ")


def test_per_file_overrides_and_extend_select(tmp_path):
    """`per-file` globs (relative to the config) change selection and severity for matching files only."""
    (tmp_path / ".mtlint.toml").write_text(
        'select = ["MT001"]\n'
        'extend-select = ["MT002"]\n'
        '[[per-file]]\nglob = "archive/**"\nignore = ["MT001"]\n'
        '[[per-file]]\nglob = "urgent/*.txt"\nseverity = {MT002 = "error"}\n',
        encoding="utf-8",
    )
    text = "A military society had Hausers.\n"
    for folder in ("news", "archive/2019", "urgent"):
        (tmp_path / folder).mkdir(parents=True)
        (tmp_path / folder / "a.txt").write_text(text, encoding="utf-8")
    report = _json(run_cli("check", "--format", "json", "--no-corpus", str(tmp_path), cwd=tmp_path))
    got = {Path(f["path"]).parent.name: sorted((x["rule"], x["severity"]) for x in f["findings"]) for f in report["files"]}
    assert got["news"] == [("MT001", "warning"), ("MT002", "warning")]
    assert got["2019"] == [("MT002", "warning")]
    assert got["urgent"] == [("MT001", "warning"), ("MT002", "error")]


@pytest.mark.parametrize("content", [None, b"caf\xe9\n"])
def test_unreadable_newsroom_word_list_is_a_config_error(tmp_path, content):
    """A config naming a missing or non-UTF-8 word list: one line naming both files, exit 2, the rest still checked."""
    (tmp_path / ".mtlint.toml").write_text('[grammar]\nwords-files = ["words.txt"]\n', encoding="utf-8")
    if content is not None:
        (tmp_path / "words.txt").write_bytes(content)
    art = tmp_path / "a.txt"
    art.write_text("They had Hausers.\n", encoding="utf-8")
    proc = run_cli("check", "--format", "json", str(art))
    assert proc.returncode == 2
    assert any("words.txt" in line and "words-files" in line and ": error:" in line for line in proc.stderr.splitlines()), proc.stderr
    assert [f["rule"] for f in _json(proc)["files"][0]["findings"]] == ["MT001"]
