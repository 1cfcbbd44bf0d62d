"""GitHub Actions workflow commands: one annotation per finding.

``::warning file=PATH,line=L,col=C,endLine=L2,endColumn=C2,title=CODE::message``
Escaping follows the Actions toolkit: in the message ``%``, CR and LF are
percent-encoded; in property values also ``:`` and ``,``.  Info findings
become ``notice`` annotations; input errors are ``error`` annotations.
"""

from __future__ import annotations

from typing import IO

from ..findings import Report, Severity
from ..fsio import display_path
from . import FormatOptions

COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def escape_data(s: str) -> str:
    return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(s: str) -> str:
    return escape_data(s).replace(":", "%3A").replace(",", "%2C")


def _props(**kw: object) -> str:
    return ",".join(f"{k}={escape_property(str(v))}" for k, v in kw.items())


class GithubFormatter:
    name = "github"
    machine = True

    def render(self, report: Report, stream: IO[str], options: FormatOptions) -> None:
        for r in report.files:
            for f in r.findings:
                props = _props(file=display_path(r.path), line=f.line, col=f.column, endLine=f.end_line, endColumn=f.end_column, title=f.code)
                msg = f.message + (f" Suggestion: {' | '.join(f.suggestions)}" if f.suggestions else "")
                stream.write(f"::{COMMANDS[f.severity]} {props}::{escape_data(msg)}\n")
        for e in report.errors:
            kind = "error" if e.fatal else "notice"
            props = _props(file=display_path(e.path), title=f"mtlint: {e.kind}") if e.path and not e.path.startswith("<") else _props(title=f"mtlint: {e.kind}")
            stream.write(f"::{kind} {props}::{escape_data(e.message)}\n")


GITHUB = GithubFormatter()
