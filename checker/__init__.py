"""mtlint: find machine-translation artifacts and text-quality problems in news.

Public API: ``import mtlint`` (docs/api.md); ``checker.api`` is the same::

    import mtlint
    checker = mtlint.Checker()
    result = checker.check_text("They destroyed Hausers.")
    for f in result.findings: print(f.code, f.message)
"""

from __future__ import annotations

from .version import __version__

#: the result types, imported on first use (PEP 562): ``mtlint check`` imports this
#: package before it can pause the collector for loading (``checker.collector``)
_FROM_FINDINGS = ("FileResult", "Finding", "Report", "Severity")


def __getattr__(name: str):  # noqa: ANN202
    if name in _FROM_FINDINGS:
        from . import findings

        return getattr(findings, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *_FROM_FINDINGS})


def check_text(text: str, **kw):  # noqa: ANN001, ANN201 - thin lazy wrapper
    """Check a string with the built-in rules; see ``checker.api.check_text``."""
    from .api import check_text as _check_text

    return _check_text(text, **kw)


def run(paths, opts=None, **kw):  # noqa: ANN001, ANN201
    """Check files and folders like ``mtlint check``; see ``checker.api.run``."""
    from .api import RunOptions, run as _run

    return _run(paths, opts or RunOptions(), **kw)


__all__ = ["__version__", "check_text", "run", "Report", "FileResult", "Finding", "Severity"]
