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


def run_cli(*args: str, cwd: Path | None = None, stdin: str | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    """Run ``python -m checker`` from this checkout (not an installed copy)."""
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
