"""The JSON report: a stable, versioned contract (``schema: 1``), see README.

Keys are emitted in a fixed order; ``start``/``end`` are character offsets
into the file's decoded text (BOM removed) and ``text == decoded[start:end]``.
"""

from __future__ import annotations

import json
from typing import IO, Any

from ..findings import FileResult, Finding, InputError, Report
from ..fsio import display_path, escape_surrogates
from . import FormatOptions

SCHEMA_VERSION = 1


def fix_dict(f: Finding) -> dict[str, Any] | None:
    if f.fix is None:
        return None
    return {
        "title": f.fix.title,
        "applicability": str(f.fix.applicability),
        "edits": [{"start": e.span.start, "end": e.span.end, "replacement": e.replacement} for e in f.fix.edits],
    }


def finding_dict(f: Finding) -> dict[str, Any]:
    return {
        "rule": f.code,
        "name": f.name,
        "category": f.category,
        "severity": str(f.severity),
        "message": f.message,
        "start": f.span.start,
        "end": f.span.end,
        "line": f.line,
        "column": f.column,
        "end_line": f.end_line,
        "end_column": f.end_column,
        "text": f.text,
        "suggestions": list(f.suggestions),
        "fix": fix_dict(f),
        "related": [
            {"start": r.span.start, "end": r.span.end, "line": r.line, "column": r.column, "message": r.message} for r in f.related
        ],
        "data": {k: f.data[k] for k in sorted(f.data)},
        "fingerprint": f.fingerprint,
    }


def error_dict(e: InputError) -> dict[str, Any]:
    return {"path": display_path(e.path), "kind": e.kind, "message": e.message, "fatal": e.fatal}


def file_dict(r: FileResult) -> dict[str, Any]:
    counts = {"error": 0, "warning": 0, "info": 0}
    for f in r.findings:
        counts[str(f.severity)] += 1
    out: dict[str, Any] = {
        "path": display_path(r.path),
        "format": r.format,
        "words": r.words,
        "score": r.score,
        "counts": counts,
        "metrics": dict(r.metrics),
        "findings": [finding_dict(f) for f in r.findings],
        "errors": [error_dict(e) for e in r.errors],
    }
    return out


def report_dict(report: Report) -> dict[str, Any]:
    counts = report.counts()
    return {
        "schema": SCHEMA_VERSION,
        "tool": {"name": "mtlint", "version": report.tool_version},
        "files": [file_dict(r) for r in report.files],
        "errors": [error_dict(e) for e in report.notices],
        "summary": {
            "files": len(report.files),
            "files_with_findings": sum(1 for r in report.files if r.findings),
            "findings": sum(counts.values()),
            "by_severity": counts,
            "by_rule": dict(sorted(_by_rule(report).items())),
            "input_errors": sum(1 for e in report.errors if e.fatal),
            "fail_on": str(report.fail_on),
            "exit_code": report.exit_code(),
        },
    }


def _by_rule(report: Report) -> dict[str, int]:
    out: dict[str, int] = {}
    for f in report.findings:
        out[f.code] = out.get(f.code, 0) + 1
    return out


class JsonDocumentFormatter:
    """A formatter whose output is one JSON document built by ``build(report)``."""

    machine = True

    def __init__(self, name: str, build: Any) -> None:
        self.name = name
        self._build = build

    def render(self, report: Report, stream: IO[str], options: FormatOptions) -> None:
        data = self._build(report)
        text = json.dumps(data, ensure_ascii=False, indent=2)
        if escape_surrogates(text) != text:  # a lone surrogate in free text (a message quoting a path)
            text = json.dumps(_without_surrogates(data), ensure_ascii=False, indent=2)
        stream.write(text)
        stream.write("\n")


def _without_surrogates(value: Any) -> Any:
    """``value`` with every string's lone surrogates escaped (so the JSON is UTF-8)."""
    if isinstance(value, str):
        return escape_surrogates(value)
    if isinstance(value, dict):
        return {_without_surrogates(k): _without_surrogates(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_without_surrogates(v) for v in value]
    return value


JSON = JsonDocumentFormatter("json", report_dict)
