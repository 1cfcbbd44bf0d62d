"""Which files a folder run checks: ``exclude`` / ``extend-exclude`` (gitignore-style
patterns, as ruff), ``.gitignore`` respected by default (``--no-respect-gitignore``),
and explicitly named files checked unless ``--force-exclude`` (issue 12: ``drafts/``
and vendored folders were checked)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, run_cli

TEXT = "Forces destroyed Hausers near the town.\n"


def _tree(root: Path, files: list[str], config: str = "") -> Path:
    for rel in files:
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(TEXT, encoding="utf-8")
    (root / ".mtlint.toml").write_text('select = ["MT001"]\n' + config, encoding="utf-8")
    return root


def _git_init(root: Path) -> None:
    if shutil.which("git"):
        subprocess.run(["git", "init", "-q", str(root)], check=True, capture_output=True)
    else:  # the repository root is what matters: a .git folder marks it
        (root / ".git").mkdir()


def _checked(root: Path, *args: str, paths: tuple[str, ...] = (".",)) -> list[str]:
    proc = run_cli("check", "--format", "json", "--no-cache", "--no-progress", *args, *paths, cwd=root)
    assert proc.returncode in (0, 1), proc.stderr
    report = json.loads(proc.stdout)
    return sorted(Path(f["path"]).as_posix().removeprefix("./") for f in report["files"])


FILES = ["story.md", "drafts/wip.md", "drafts/deep/old.txt", "vendor/lib/readme.md", "node_modules/pkg/readme.md", "news/a.txt"]


def test_extend_exclude_adds_to_the_default_excludes(tmp_path):
    root = _tree(tmp_path, FILES, 'extend-exclude = ["drafts/", "vendor"]\n')
    assert _checked(root) == ["news/a.txt", "story.md"]


def test_exclude_replaces_the_defaults(tmp_path):
    root = _tree(tmp_path, FILES, 'exclude = ["drafts/"]\n')
    # node_modules was only excluded by default: `exclude` replaces the defaults, as in ruff
    assert _checked(root) == ["news/a.txt", "node_modules/pkg/readme.md", "story.md", "vendor/lib/readme.md"]


def test_default_excludes_without_config_keys(tmp_path):
    root = _tree(tmp_path, FILES)
    assert "node_modules/pkg/readme.md" not in _checked(root)
    assert "drafts/wip.md" in _checked(root)


def test_patterns_are_gitignore_style_relative_to_the_config_file(tmp_path):
    root = _tree(tmp_path, ["news/a.txt", "news/b.txt", "old/news/a.txt", "x.tmp.md"],
                 'extend-exclude = ["/news/a.txt", "*.tmp.md", "!news/b.txt"]\n')
    # "/news/a.txt" is anchored at the config's folder: old/news/a.txt is still checked
    assert _checked(root) == ["news/b.txt", "old/news/a.txt"]
    # checked from a subfolder, the patterns still count from the config file's folder
    assert _checked(root / "news", paths=(".",)) == ["b.txt"]


def test_cli_exclude_and_extend_exclude(tmp_path):
    root = _tree(tmp_path, FILES, 'extend-exclude = ["vendor/"]\n')
    assert _checked(root, "--extend-exclude", "drafts/") == ["news/a.txt", "story.md"]
    # --exclude replaces `exclude` (the defaults here); extend-exclude from the config still applies
    assert _checked(root, "--exclude", "news") == ["drafts/deep/old.txt", "drafts/wip.md", "node_modules/pkg/readme.md", "story.md"]


def test_gitignore_is_respected_by_default(tmp_path):
    root = _tree(tmp_path, FILES + ["build/out.md", "news/tmp/x.md", "news/keep.md"])
    _git_init(root)
    (root / ".gitignore").write_text("build/\n/drafts\n*.md\n!story.md\n", encoding="utf-8")
    (root / "news" / ".gitignore").write_text("!keep.md\ntmp/\n", encoding="utf-8")
    assert _checked(root) == ["news/a.txt", "news/keep.md", "story.md"]
    assert _checked(root, "--no-respect-gitignore") == [
        "build/out.md", "drafts/deep/old.txt", "drafts/wip.md", "news/a.txt", "news/keep.md", "news/tmp/x.md", "story.md", "vendor/lib/readme.md"]
    (root / ".mtlint.toml").write_text('select = ["MT001"]\nrespect-gitignore = false\n', encoding="utf-8")
    assert "build/out.md" in _checked(root)
    assert "build/out.md" not in _checked(root, "--respect-gitignore")


def test_gitignore_of_the_repository_counts_when_checking_a_subfolder(tmp_path):
    root = _tree(tmp_path, ["content/a.md", "content/drafts/b.md"])
    _git_init(root)
    (root / ".gitignore").write_text("content/drafts/\n", encoding="utf-8")
    assert _checked(root, paths=("content",)) == ["content/a.md"]


def test_explicit_files_are_checked_unless_force_exclude(tmp_path):
    root = _tree(tmp_path, FILES, 'extend-exclude = ["drafts/"]\n')
    _git_init(root)
    (root / ".gitignore").write_text("vendor/\n", encoding="utf-8")
    named = ("drafts/wip.md", "vendor/lib/readme.md", "story.md")
    assert _checked(root, paths=named) == ["drafts/wip.md", "story.md", "vendor/lib/readme.md"]
    # as ruff: --force-exclude applies the excludes (and .gitignore) to named files too (pre-commit)
    assert _checked(root, "--force-exclude", paths=named) == ["story.md"]
    (root / ".mtlint.toml").write_text('select = ["MT001"]\nextend-exclude = ["drafts/"]\nforce-exclude = true\n', encoding="utf-8")
    assert _checked(root, paths=named) == ["story.md"]


def test_everything_excluded_by_force_exclude_is_a_clean_run(tmp_path):
    root = _tree(tmp_path, ["drafts/wip.md"], 'extend-exclude = ["drafts/"]\n')
    proc = run_cli("check", "--force-exclude", "--no-cache", "--no-progress", "drafts/wip.md", cwd=root)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_a_folder_with_only_excluded_files_says_so(tmp_path):
    root = _tree(tmp_path, ["drafts/wip.md"], 'extend-exclude = ["*.md"]\n')
    proc = run_cli("check", "--no-cache", "--no-progress", "drafts", cwd=root)
    assert "no checkable files" in proc.stdout + proc.stderr and "1 excluded" in proc.stdout + proc.stderr


def test_bad_exclude_values_are_config_errors(tmp_path):
    root = _tree(tmp_path, ["a.md"], 'extend-exclude = "drafts/"\n')
    proc = run_cli("check", "--no-cache", "--no-progress", ".", cwd=root)
    assert proc.returncode == 2 and "key 'extend-exclude': expected a list" in proc.stdout + proc.stderr, proc.stdout + proc.stderr
    root = _tree(tmp_path, ["a.md"], 'extend-exlude = ["drafts/"]\n')
    proc = run_cli("check", "--no-cache", "--no-progress", ".", cwd=root)
    out = proc.stdout + proc.stderr
    assert proc.returncode == 2 and "extend-exlude" in out and "'extend-exclude'" in out, out  # did you mean


def test_config_schema_lists_the_new_keys_and_is_current():
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads((ROOT / "docs" / "mtlint.schema.json").read_text(encoding="utf-8"))
    for key in ("exclude", "extend-exclude", "respect-gitignore", "force-exclude"):
        assert key in schema["properties"], key
    assert "source" not in schema["properties"] and "root" not in schema["properties"]
    jsonschema.validate({"extend-exclude": ["drafts/"], "respect-gitignore": False, "select": ["MT"]}, schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"extend-exclude": "drafts/"}, schema)
    proc = subprocess.run([sys.executable, str(ROOT / "scripts" / "gen_docs.py"), "--check"], capture_output=True, text=True, cwd=str(ROOT))
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_names_command_skips_excluded_folders_too(tmp_path):
    from checker.config import load_config
    from checker.names.command import name_clusters

    root = _tree(tmp_path, ["news/a.md"], 'extend-exclude = ["drafts/"]\n')
    (root / "drafts").mkdir()
    (root / "drafts" / "broken.md").write_bytes(b"\xff\xfe\x00 not text \x00\x00")
    cfg = load_config(root / ".mtlint.toml")
    _, errors = name_clusters([str(root)], cfg)
    assert not [e for e in errors if "broken.md" in e.path], errors
    _, errors = name_clusters([str(root)], None)  # without the config: the folder is read
    assert [e for e in errors if "broken.md" in e.path], errors


def test_plain_name_patterns_match_as_pathspec_does():
    """Patterns that are all plain names (the default exclude) skip pathspec's
    import with a matcher of their own: it must agree with pathspec's
    gitignore matching on every path, files and folders, at any depth."""
    import pathspec
    from hypothesis import given, settings, strategies as st

    from checker.config import DEFAULT_EXCLUDE
    from checker.exclude import _compile, _Names

    assert isinstance(_compile(DEFAULT_EXCLUDE, "<t>", "exclude"), _Names)
    for special in (["*.bak"], ["drafts/"], ["/top"], ["!keep"], ["a b"], ["#x"], ["."], ["venv", "a/b"]):
        assert not isinstance(_compile(special, "<t>", "exclude"), _Names), special
    assert not isinstance(_compile(["venv"], "<t>", "", plain=False), _Names)  # a .gitignore's needs check_file

    part = st.sampled_from(["venv", ".git", "node_modules", "venvs", "a", "xvenv", "b.txt", "public", "_site", "Venv", "é"])
    names = st.lists(st.sampled_from(["venv", ".git", "node_modules", "public", "_site", "b.txt", "é", "a-b", "x.y"]), min_size=1, max_size=4)

    @settings(max_examples=300, deadline=None, derandomize=True)
    @given(names, st.lists(part, min_size=1, max_size=4), st.booleans())
    def agree(patterns, parts, is_dir):
        rel = "/".join(parts) + ("/" if is_dir else "")
        ours = _compile(patterns, "<t>", "exclude")
        assert isinstance(ours, _Names)
        assert ours.match_file(rel) == pathspec.GitIgnoreSpec.from_lines(patterns).match_file(rel), (patterns, rel)

    agree()
