"""Where the packaged data lives: built-in rule packs and rule fixtures.

In a wheel, ``rules/`` and ``fixtures/rules/`` are shipped inside the
package as ``checker/_rules`` and ``checker/_fixtures/rules`` (see
``pyproject.toml``); in a source checkout they are the top-level folders.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

__all__ = ["rules_root", "fixtures_root", "project_root"]


def _package_dir() -> Path:
    return Path(str(resources.files("checker")))


def project_root() -> Path | None:
    """The source checkout, when running from one."""
    root = _package_dir().parent
    return root if (root / "rules").is_dir() and (root / "pyproject.toml").is_file() else None


def rules_root() -> Path:
    shipped = _package_dir() / "_rules"
    if shipped.is_dir():
        return shipped
    root = project_root()
    if root is None:
        raise FileNotFoundError("mtlint's built-in rule packs are missing from this installation")
    return root / "rules"


def fixtures_root() -> Path | None:
    shipped = _package_dir() / "_fixtures" / "rules"
    if shipped.is_dir():
        return shipped
    root = project_root()
    return root / "fixtures" / "rules" if root else None
