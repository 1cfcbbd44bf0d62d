"""mtlint under the real pre-commit framework.

Two set-ups, both driving the real ``pre-commit`` on a temporary git repository:

* ``repo: local`` with ``language: system`` and this checkout's interpreter
  (fast, no install at all);
* this repository as the hook repository (``repo: <this checkout>``,
  ``rev: <git rev-parse HEAD>``), exactly as a content repository uses it:
  pre-commit clones the committed hooks, builds their ``language: python``
  environment with pip (the only network it needs is the package index pip is
  configured for) and runs the shipped ``.pre-commit-hooks.yaml`` entries.
  A warning-only article is blocked (pre-commit shows a hook's output only
  when the hook fails, so the hooks fail on warnings) and the fix hook says
  what it changed.
"""

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
    assert hook["entry"].startswith("mtlint check ") and set(hook["types_or"]) == {"markdown", "html", "plain-text"}
    hook.update(entry=hook["entry"].replace("mtlint", f"{sys.executable} -m checker", 1), language="system")
    return hook


def _git(repo: Path, *args: str, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run([GIT, *args], cwd=repo, env=env, capture_output=True, text=True, timeout=300)


def _env(tmp_path: Path) -> dict:
    # no PYTHONPATH: the hook-repository test must import the package pre-commit
    # installed in the hook's own environment, not this checkout
    env = {
        **{k: v for k, v in os.environ.items() if k != "PYTHONPATH"},
        "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"),
        "GIT_AUTHOR_NAME": "Editor", "GIT_AUTHOR_EMAIL": "editor@example.org",
        "GIT_COMMITTER_NAME": "Editor", "GIT_COMMITTER_EMAIL": "editor@example.org",
        "HOME": str(tmp_path), "NO_COLOR": "1",
    }
    for key in ("GIT_DIR", "GIT_INDEX_FILE", "GIT_WORK_TREE"):
        env.pop(key, None)
    return env


def test_commit_with_an_artifact_is_rejected_then_accepted_after_the_fix(tmp_path):
    repo = tmp_path / "content"
    repo.mkdir()
    env = _env(tmp_path)
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


# -- this repository as the hook repository (what content repositories do) ---------------
#: an article whose findings are all warnings: a calque (no safe fix) and a reversed pair of
#: quotation marks (safe fix); with the default fail-on = error it used to pass silently
WARNING_ONLY = (
    "# Port reopens\n\nThe mayor said the military society left the port on Monday.\n\n"
    "The mayor said: \u201dWe will rebuild the port within a year.\u201c Work starts next week.\n"
)


def _head(env: dict) -> str | None:
    res = subprocess.run([GIT, "-C", str(ROOT), "rev-parse", "--verify", "HEAD"], env=env, capture_output=True, text=True, timeout=60)
    return res.stdout.strip() if res.returncode == 0 else None


def _pre_commit(repo: Path, env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([PRE_COMMIT, *args], cwd=repo, env=env, capture_output=True, text=True, timeout=840)


@pytest.mark.timeout(900)  # builds the hook's environment with pip: about a minute here
def test_hooks_from_this_repository_block_warnings_and_report_fixes(tmp_path):
    # pip in the hook environment skips byte-compiling every installed file up front (about
    # 6 s); what the hooks import is compiled on first import, as in any fresh install
    env = {**_env(tmp_path), "PIP_COMPILE": "0"}
    rev = _head(env)
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    if rev is not None:
        source = {"repo": str(ROOT), "rev": rev}
        check, fix = {"id": "mtlint"}, {"id": "mtlint-fix"}
    else:  # not a git checkout (an unpacked sdist): the same entries, as local hooks
        source = {"repo": "local"}
        check, fix = ({**h, "entry": h["entry"].replace("mtlint", f"{sys.executable} -m checker", 1), "language": "system"}
                      for h in (next(x for x in hooks if x["id"] == i) for i in ("mtlint", "mtlint-fix")))
    repo = tmp_path / "content"
    repo.mkdir()
    assert _git(repo, "init", "-q", env=env).returncode == 0
    config_file = repo / ".pre-commit-config.yaml"

    def use(*hook_defs: dict) -> None:
        config_file.write_text(yaml.safe_dump({"repos": [{**source, "hooks": list(hook_defs)}]}, sort_keys=False), encoding="utf-8")

    use(check)
    res = _pre_commit(repo, env, "install")
    assert res.returncode == 0, res.stdout + res.stderr
    article = repo / "news" / "port.md"
    article.parent.mkdir()
    article.write_text(WARNING_ONLY, encoding="utf-8")
    _git(repo, "add", ".", env=env)

    # 1. the commit of a warning-only article is blocked, and the warnings are shown
    res = _git(repo, "commit", "-m", "add article", env=env)
    out = res.stdout + res.stderr
    assert res.returncode != 0, out
    assert "news/port.md:3:20: MT002" in out and "news/port.md:5:17: TY001" in out and "[warning]" in out, out
    assert "3 findings (3 warnings) in 1 file" in out, out  # warnings only: no error among them
    assert _git(repo, "log", "--oneline", env=env).returncode != 0  # nothing committed

    # 2. the documented escape hatch: `args: [--fail-on, error]` lets warnings through
    use({**check, "args": ["--fail-on", "error"]})
    res = _pre_commit(repo, env, "run", "--files", "news/port.md")
    assert res.returncode == 0 and "Passed" in res.stdout, res.stdout + res.stderr

    # 3. the fix hook changes the file, says what it changed and what is left, and fails
    use(fix)
    res = _pre_commit(repo, env, "run", "--files", "news/port.md")
    out = res.stdout + res.stderr
    assert res.returncode != 0, out
    assert "news/port.md: fixed TY001 \u00d72" in out and "applied 2 fixes in 1 file" in out, out
    assert "files were modified by this hook" in out, out
    assert "news/port.md:3:20: MT002" in out and "TY001" not in out.split("what remains")[-1], out
    fixed = article.read_text(encoding="utf-8")
    assert "said: \u201cWe will rebuild the port within a year.\u201d Work" in fixed

    # 4. once the editor fixes the calque, the article commits
    article.write_text(fixed.replace("military society", "military convoy"), encoding="utf-8")
    use(check)
    _git(repo, "add", ".", env=env)
    res = _git(repo, "commit", "-m", "add article", env=env)
    assert res.returncode == 0, res.stdout + res.stderr
    assert len(_git(repo, "log", "--oneline", env=env).stdout.splitlines()) == 1
