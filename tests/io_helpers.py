"""Helpers shared by the input/output tests (test-only rule pack, configs)."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXPACK = ROOT / "tests" / "data" / "fixpack"
DOCS = ROOT / "fixtures" / "documents"


def write_config(folder: Path, *, select: str = '["TX"]', extra: str = "") -> Path:
    """A ``.mtlint.toml`` in ``folder`` that loads the test pack (safe-fix rules TX001-TX004)."""
    cfg = folder / ".mtlint.toml"
    cfg.write_text(f'packs = ["{FIXPACK.as_posix()}"]\nselect = {select}\n{extra}', encoding="utf-8")
    return cfg
