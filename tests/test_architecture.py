"""The layer order is a checked contract (import-linter), not a wish.

The contracts live in pyproject.toml ([tool.importlinter]); a module that
imports from a layer above its own fails here.
"""

from __future__ import annotations

import os

from conftest import ROOT


def test_import_contracts_are_kept(capsys):
    from importlinter.cli import lint_imports

    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        code = lint_imports(config_filename=str(ROOT / "pyproject.toml"), no_cache=True)
    finally:
        os.chdir(cwd)
    out = capsys.readouterr().out
    assert code == 0, out
    assert "0 broken" in out
