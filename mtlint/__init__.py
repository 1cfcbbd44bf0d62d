"""mtlint's public Python API (docs/api.md).

::

    import mtlint

    checker = mtlint.Checker(select=["MT", "TY"])
    result = checker.check_text("Militias destroyed Hausers.", format="text")
    for f in result.findings:
        print(f.line, f.column, f.code, f.message)

The implementation lives in the ``checker`` package; this module only
re-exports ``checker.api``, so both names reach the same objects.
"""

from __future__ import annotations

from checker.api import (
    Checker,
    Config,
    ConfigError,
    ConfigLike,
    FileResult,
    Finding,
    InputError,
    Report,
    RunOptions,
    Session,
    Severity,
    TextFormat,
    check_text,
    run,
)
from checker.version import __version__

__all__ = [
    "__version__",
    "Checker",
    "check_text",
    "run",
    "Report",
    "FileResult",
    "Finding",
    "InputError",
    "Severity",
    "Config",
    "ConfigError",
    "ConfigLike",
    "RunOptions",
    "Session",
    "TextFormat",
]
