"""SARIF 2.1.0: for code-scanning dashboards (GitHub, Azure DevOps, IDEs).

One run; ``tool.driver.rules`` holds the metadata of every rule that
produced a finding (``shortDescription`` = summary, ``fullDescription`` =
rationale, ``help`` pointing at ``mtlint explain``, ``helpUri`` when the
rule file sets ``url``); each result has a
``region`` with 1-based line/column (``columnKind: unicodeCodePoints``,
matching mtlint's columns) and character offsets, ``partialFingerprints``
(the baseline fingerprint), related locations and fixes as artifact
replacements.  Input errors become tool execution notifications.
"""

from __future__ import annotations

from typing import Any, Iterator

from ..findings import FileResult, Finding, Report, Severity
from ..fsio import path_uri
from ..spans import LineIndex
from .json import JsonDocumentFormatter, Streamed

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def artifact_uri(path: str) -> str:
    """The file's bytes percent-encoded (RFC 3986), so any file name survives."""
    return path_uri(path)


def _region(index: LineIndex | None, start: int, end: int, source: str | None) -> dict[str, Any]:
    region: dict[str, Any] = {}
    if index is not None:
        sl, sc = index.line_col(start)
        el, ec = index.line_col(end)
        region.update(startLine=sl, startColumn=sc, endLine=el, endColumn=ec)
    region.update(charOffset=start, charLength=end - start)
    if source is not None and end > start:
        region["snippet"] = {"text": source[start:end]}
    return region


def _rule(meta: Any) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": meta.code,
        "name": meta.name,
        "shortDescription": {"text": meta.summary},
    }
    if meta.rationale:
        out["fullDescription"] = {"text": " ".join(meta.rationale.split())}
    explain = f"Run `mtlint explain {meta.code}` for the rule's page with examples."
    out["help"] = {
        "text": (" ".join(meta.rationale.split()) + " " if meta.rationale else "") + explain,
        "markdown": f"**{meta.code}** ({meta.name}): {meta.summary}\n\n" + (" ".join(meta.rationale.split()) + "\n\n" if meta.rationale else "") + explain,
    }
    if meta.url:
        out["helpUri"] = meta.url
    out["defaultConfiguration"] = {"level": LEVELS[meta.severity]}
    out["properties"] = {"category": meta.category, "tags": sorted(meta.tags), "fixable": str(meta.fixable)}
    return out


def _result(r: FileResult, f: Finding, index: LineIndex | None, rule_index: dict[str, int]) -> dict[str, Any]:
    uri = artifact_uri(r.path)
    message = f.message + (f" Suggestion: {' | '.join(f.suggestions)}." if f.suggestions else "")
    res: dict[str, Any] = {
        "ruleId": f.code,
        "level": LEVELS[f.severity],
        "message": {"text": message},
        "locations": [{"physicalLocation": {"artifactLocation": {"uri": uri}, "region": _region(index, f.span.start, f.span.end, r.source)}}],
        "partialFingerprints": {"mtlintFingerprint/v1": f.fingerprint},
        "properties": {"name": f.name, "category": f.category, **({"articleScore": r.score} if r.score is not None else {})},
    }
    if f.code in rule_index:
        res["ruleIndex"] = rule_index[f.code]
    if f.related:
        res["relatedLocations"] = [
            {
                "id": i,
                "message": {"text": rel.message},
                "physicalLocation": {"artifactLocation": {"uri": uri}, "region": _region(index, rel.span.start, rel.span.end, r.source)},
            }
            for i, rel in enumerate(f.related)
        ]
    if f.fix is not None and f.fix.edits:
        res["fixes"] = [
            {
                "description": {"text": f"{f.fix.title} ({f.fix.applicability})"},
                "artifactChanges": [
                    {
                        "artifactLocation": {"uri": uri},
                        "replacements": [
                            {
                                "deletedRegion": _region(index, e.span.start, e.span.end, None),
                                "insertedContent": {"text": e.replacement},
                            }
                            for e in f.fix.edits
                        ],
                    }
                ],
            }
        ]
    return res


def sarif_dict(report: Report) -> dict[str, Any]:
    metas = [report.rules[c] for c in sorted(report.rules)]
    rule_index = {m.code: i for i, m in enumerate(metas)}

    def results() -> Iterator[dict[str, Any]]:
        for r in report.files:
            index = LineIndex(r.source) if r.source is not None and r.findings else None
            for f in r.findings:
                yield _result(r, f, index, rule_index)

    notifications = [
        {
            "level": "error" if e.fatal else "note",
            "message": {"text": e.message},
            "descriptor": {"id": e.kind},
            "locations": [{"physicalLocation": {"artifactLocation": {"uri": artifact_uri(e.path)}}}] if e.path and not e.path.startswith("<") else [],
        }
        for e in report.errors
    ]
    for n in notifications:
        if not n["locations"]:
            del n["locations"]
    # one artifact per checked file, carrying the article score (checker/score.py) so viewers can sort files by it
    artifacts = [
        {"location": {"uri": artifact_uri(r.path)}, "properties": {"articleScore": r.score, "words": r.words}}
        for r in report.files
        if r.score is not None and not r.path.startswith("<")
    ]
    return {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "mtlint",
                        "version": report.tool_version,
                        "semanticVersion": report.tool_version,
                        "rules": [_rule(m) for m in metas],
                    }
                },
                "invocations": [
                    {
                        "executionSuccessful": not any(e.fatal for e in report.errors),
                        "toolExecutionNotifications": notifications,
                    }
                ],
                "columnKind": "unicodeCodePoints",
                **({"artifacts": artifacts} if artifacts else {}),
                "results": Streamed(results()),
            }
        ],
    }


SARIF = JsonDocumentFormatter("sarif", sarif_dict)
