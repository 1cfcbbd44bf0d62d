"""mtlint under the real pre-commit framework (no network: repo: local, language: system)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import ROOT

PRE_COMMIT = shutil.which("pre-commit")
GIT = shutil.which("git")
pytestmark = pytest.mark.skipif(not (PRE_COMMIT and GIT), reason="needs git and pre-commit (pip install '.[test]')")


def _hook_from_manifest() -> dict:
    """The shipped hook definition, pointed at this checkout instead of an installed mtlint."""
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    hook = dict(next(h for h in hooks if h["id"] == "mtlint"))
    assert hook["entry"] == "mtlint check" and set(hook["types_or"]) == {"markdown", "html", "plain-text"}
    hook.update(entry=f"{sys.executable} -m checker check", language="system")
    return hook


def _git(repo: Path, *args: str, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run([GIT, *args], cwd=repo, env=env, capture_output=True, text=True, timeout=300)


def test_commit_with_an_artifact_is_rejected_then_accepted_after_the_fix(tmp_path):
    repo = tmp_path / "content"
    repo.mkdir()
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"),
        "GIT_AUTHOR_NAME": "Editor", "GIT_AUTHOR_EMAIL": "editor@example.org",
        "GIT_COMMITTER_NAME": "Editor", "GIT_COMMITTER_EMAIL": "editor@example.org",
        "HOME": str(tmp_path), "NO_COLOR": "1",
    }
    env.pop("GIT_DIR", None)
    env.pop("GIT_INDEX_FILE", None)
    assert _git(repo, "init", "-q", env=env).returncode == 0
    config = {"repos": [{"repo": "local", "hooks": [_hook_from_manifest()]}]}
    (repo / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    res = subprocess.run([PRE_COMMIT, "install"], cwd=repo, env=env, capture_output=True, text=True, timeout=300)
    assert res.returncode == 0, res.stdout + res.stderr

    article = repo / "news" / "convoy.md"
    article.parent.mkdir()
    article.write_text(
        "---\ntitle: Convoy heads west\n---\n\n# Convoy\n\n- Witnesses saw a convoy.\n\nPlease enter your comment!\n",
        encoding="utf-8",
    )
    _git(repo, "add", ".", env=env)
    res = _git(repo, "commit", "-m", "add article", env=env)
    assert res.returncode != 0, "the commit should have been rejected"
    out = res.stdout + res.stderr
    assert "news/convoy.md:9:1: MT008" in out, out
    assert _git(repo, "log", "--oneline", env=env).returncode != 0  # still no commit

    article.write_text("---\ntitle: Convoy heads west\n---\n\n# Convoy\n\n- Witnesses saw a convoy.\n", encoding="utf-8")
    _git(repo, "add", ".", env=env)
    res = _git(repo, "commit", "-m", "add article", env=env)
    assert res.returncode == 0, res.stdout + res.stderr
    assert "mtlint" in res.stdout + res.stderr and "Passed" in res.stdout + res.stderr
    assert len(_git(repo, "log", "--oneline", env=env).stdout.splitlines()) == 1
