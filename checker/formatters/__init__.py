"""Formatters: ``name -> render(report, stream, options)`` behind one registry.

The CLI only looks a formatter up by name; it never branches on the format.
Third parties add formatters through the ``mtlint.formatters`` entry-point
group (the object must have ``name``, ``machine`` and ``render``).
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from typing import IO, Any, Protocol

from ..findings import Report

__all__ = ["Formatter", "FormatOptions", "get_formatter", "formatter_names", "BUILTIN"]


@dataclass(frozen=True)
class FormatOptions:
    """Presentation choices that do not change what was found."""

    #: ANSI colour (``--color``, ``NO_COLOR``)
    color: bool = False
    #: the terminal layout (grouped by file, summary table) rather than one
    #: line per finding for tools; independent of colour
    terminal: bool = False
    #: findings only: no summary, notices or hints (``--quiet``)
    quiet: bool = False
    #: counts per rule instead of the findings (``--statistics``)
    statistics: bool = False
    verbose: bool = False
    #: extra, formatter-specific values (e.g. the HTML report title)
    extra: dict[str, Any] = field(default_factory=dict)


class Formatter(Protocol):
    name: str
    #: True for output meant for programs (no progress bars, no colour)
    machine: bool

    def render(self, report: Report, stream: IO[str], options: FormatOptions) -> None: ...


#: name -> "module:object"
BUILTIN: dict[str, str] = {
    "text": "checker.formatters.text:TEXT",
    "json": "checker.formatters.json:JSON",
    "jsonl": "checker.formatters.jsonl:JSONL",
    "sarif": "checker.formatters.sarif:SARIF",
    "github": "checker.formatters.github:GITHUB",
    "junit": "checker.formatters.junit:JUNIT",
    "html": "checker.formatters.html:HTML",
}


def formatter_names() -> list[str]:
    from ..resources import entry_points

    return sorted(set(BUILTIN) | {ep.name for ep in entry_points("mtlint.formatters")})


def get_formatter(name: str) -> Formatter:
    target = BUILTIN.get(name)
    if target is not None:
        module, _, attr = target.partition(":")
        return getattr(importlib.import_module(module), attr)
    from ..resources import entry_points

    for ep in entry_points("mtlint.formatters"):
        if ep.name == name:
            return ep.load()
    raise LookupError(f"unknown format {name!r} (known: {', '.join(formatter_names())})")
