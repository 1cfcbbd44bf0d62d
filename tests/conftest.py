"""Shared test helpers: the repository root on sys.path, a CLI runner."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

FIXTURES = ROOT / "fixtures"
SEED = FIXTURES / "documents" / "seed_article.txt"


#: one session for every in-process CLI call: rules and Harper load once per test run
_SESSION = None


def shared_session():
    global _SESSION
    if _SESSION is None:
        from checker.engine import Session

        _SESSION = Session()
    return _SESSION


def run_cli(*args: str, cwd: Path | None = None, stdin: str | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    """Run ``mtlint ARGS`` in this process (``checker.cli.main``) with captured
    streams, as if from ``cwd``; returns what ``subprocess.run`` would."""
    import contextlib
    import io

    from checker.cli import main

    saved_env = dict(os.environ)
    saved_cwd = os.getcwd()
    out, err = io.StringIO(), io.StringIO()
    saved_stdin = sys.stdin
    try:
        os.environ.update({"NO_COLOR": "1", **(env or {})})
        for key, value in (env or {}).items():
            if value is None:
                os.environ.pop(key, None)
        os.chdir(cwd or ROOT)
        sys.stdin = io.TextIOWrapper(io.BytesIO((stdin or "").encode("utf-8")), encoding="utf-8")
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = main(list(args), session=shared_session())
            except SystemExit as exc:  # argparse: usage errors and --help
                code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 2)
    finally:
        sys.stdin = saved_stdin
        os.chdir(saved_cwd)
        os.environ.clear()
        os.environ.update(saved_env)
    return subprocess.CompletedProcess(["mtlint", *args], code, out.getvalue(), err.getvalue())


def run_cli_process(*args: str, cwd: Path | None = None, stdin: str | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    """Run ``python -m checker`` as a real process from this checkout (smoke tests only)."""
    full_env = {**os.environ, "PYTHONPATH": str(ROOT), "NO_COLOR": "1", **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "checker", *args],
        cwd=str(cwd or ROOT),
        input=stdin,
        capture_output=True,
        text=True,
        env=full_env,
        timeout=300,
    )


@pytest.fixture(scope="session", autouse=True)
def _private_result_cache(tmp_path_factory):
    """Every test session starts with an empty result cache of its own."""
    saved = os.environ.get("MTLINT_CACHE_DIR")
    os.environ["MTLINT_CACHE_DIR"] = str(tmp_path_factory.mktemp("mtlint-cache"))
    yield
    if saved is None:
        os.environ.pop("MTLINT_CACHE_DIR", None)
    else:
        os.environ["MTLINT_CACHE_DIR"] = saved


def make_house_pack(root: Path, *, quotes: str = "include", extra_files: dict[str, str] | None = None) -> Path:
    """A one-rule pack (HS001: utilize → use) in ``root/house``, for engine tests."""
    pack = root / "house"
    pack.mkdir()
    (pack / "pack.yaml").write_text("pack: house\nprefix: HS\n", encoding="utf-8")
    (pack / "good.yaml").write_text(
        "code: HS001\nname: house.no_utilize\nkind: substitution\ncategory: style\nsummary: Say use.\n"
        "rationale: House style prefers the plain verb; utilize adds nothing in news copy.\n"
        f"quotes: {quotes}\nentries: [{{phrase: utilize, suggest: use}}]\n",
        encoding="utf-8",
    )
    for name, text in (extra_files or {}).items():
        (pack / name).write_text(text, encoding="utf-8")
    return pack


@pytest.fixture
def cli():
    return run_cli


@pytest.fixture
def corpus_kind(monkeypatch):
    """Registers the test packs' cross-file kind (``tests/corpus_kind_helper.py``) as
    ``test-corpus``; workers forked from this process see the registration too."""
    from checker.kinds import BUILTIN_KINDS

    monkeypatch.setitem(BUILTIN_KINDS, "test-corpus", "corpus_kind_helper:CrossFileKind")


@pytest.fixture
def count_checks(monkeypatch):
    """The files the rules really checked (not served from the cache), by base name, in order."""
    from checker.runner import RuleRunner

    calls: list[str] = []
    real = RuleRunner.check_document

    def spy(self, doc, begun=None):
        calls.append(os.path.basename(doc.path))
        return real(self, doc, begun)

    monkeypatch.setattr(RuleRunner, "check_document", spy)
    return calls
