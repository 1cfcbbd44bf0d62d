"""What a check produces: findings with fixes, per-file results, the report."""

from __future__ import annotations

import copyreg
import enum
import hashlib
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Iterable, Mapping, Sequence

from .spans import Span

__all__ = [
    "Severity",
    "CATEGORIES",
    "Applicability",
    "Edit",
    "Fix",
    "Related",
    "Finding",
    "InputError",
    "FileResult",
    "Report",
    "Summary",
    "SummaryBuilder",
]


class Severity(enum.IntEnum):
    """Closed severity scale; the order drives ``fail-on``."""

    INFO = 1
    WARNING = 2
    ERROR = 3

    def __str__(self) -> str:  # "warning", as users write it
        return self.name.lower()

    @classmethod
    def parse(cls, value: "str | Severity") -> "Severity":
        if isinstance(value, Severity):
            return value
        try:
            return cls[str(value).strip().upper()]
        except KeyError:
            raise ValueError(
                f"unknown severity {value!r} (expected one of: info, warning, error)"
            ) from None


#: The closed set of finding categories (issue 2).
CATEGORIES: frozenset[str] = frozenset(
    {
        "name-variant",
        "mistranslation",
        "calque",
        "untranslated",
        "reporting-verb",
        "quotes",
        "punctuation",
        "scrape-residue",
        "grammar",
        "spelling",
        "acronym",
        "repetition",
        "units",
        "capitalization",
        "readability",
        "style",
    }
)


class Applicability(str, enum.Enum):
    """Whether a fix may be applied without a human looking (``--fix``)."""

    SAFE = "safe"
    UNSAFE = "unsafe"

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True, slots=True)
class Edit:
    """Replace ``span`` of the checked text with ``replacement``."""

    span: Span
    replacement: str


@dataclass(frozen=True, slots=True)
class Fix:
    """A small set of edits that resolves one finding."""

    title: str
    edits: tuple[Edit, ...]
    applicability: Applicability = Applicability.SAFE

    @property
    def is_safe(self) -> bool:
        return self.applicability is Applicability.SAFE


@dataclass(frozen=True, slots=True)
class Related:
    """Another place that explains a finding (e.g. the dominant spelling)."""

    span: Span
    message: str
    line: int = 0
    column: int = 0


def _frozen_mapping(data: Mapping[str, Any] | None) -> Mapping[str, Any]:
    return MappingProxyType(dict(data or {}))


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem at one place.

    Rules create findings with spans over the text they saw; the engine then
    maps the spans to the decoded file, fills in line/column and the
    fingerprint.  ``text`` is always ``decoded[start:end]`` of the file.
    """

    code: str
    name: str
    category: str
    severity: Severity
    message: str
    span: Span
    text: str = ""
    suggestions: tuple[str, ...] = ()
    fix: Fix | None = None
    related: tuple[Related, ...] = ()
    data: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))
    line: int = 0
    column: int = 0
    end_line: int = 0
    end_column: int = 0
    fingerprint: str = ""

    def __post_init__(self) -> None:
        if self.category not in CATEGORIES:
            raise ValueError(f"{self.code}: unknown category {self.category!r}")
        if not isinstance(self.data, MappingProxyType):
            object.__setattr__(self, "data", _frozen_mapping(self.data))

    @property
    def start(self) -> int:
        return self.span.start

    @property
    def end(self) -> int:
        return self.span.end

    def sort_key(self) -> tuple[int, int, str, str]:
        return (self.span.start, self.span.end, self.code, self.message)

    def to_dict(self) -> dict[str, Any]:
        """The finding as plain data: the JSON report's finding object (schema 1)."""
        fix = None
        if self.fix is not None:
            fix = {
                "title": self.fix.title,
                "applicability": str(self.fix.applicability),
                "edits": [{"start": e.span.start, "end": e.span.end, "replacement": e.replacement} for e in self.fix.edits],
            }
        return {
            "rule": self.code,
            "name": self.name,
            "category": self.category,
            "severity": str(self.severity),
            "message": self.message,
            "start": self.span.start,
            "end": self.span.end,
            "line": self.line,
            "column": self.column,
            "end_line": self.end_line,
            "end_column": self.end_column,
            "text": self.text,
            "suggestions": list(self.suggestions),
            "fix": fix,
            "related": [
                {"start": r.span.start, "end": r.span.end, "line": r.line, "column": r.column, "message": r.message} for r in self.related
            ],
            "data": {k: self.data[k] for k in sorted(self.data)},
            "fingerprint": self.fingerprint,
        }

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> "Finding":
        """The inverse of ``to_dict`` (the result cache stores findings this way)."""
        fix = d.get("fix")
        return cls(
            code=d["rule"],
            name=d["name"],
            category=d["category"],
            severity=Severity.parse(d["severity"]),
            message=d["message"],
            span=Span(d["start"], d["end"]),
            text=d["text"],
            suggestions=tuple(d["suggestions"]),
            fix=None if fix is None else Fix(
                fix["title"],
                tuple(Edit(Span(e["start"], e["end"]), e["replacement"]) for e in fix["edits"]),
                Applicability(fix["applicability"]),
            ),
            related=tuple(Related(Span(r["start"], r["end"]), r["message"], r["line"], r["column"]) for r in d["related"]),
            data=d["data"],
            line=d["line"],
            column=d["column"],
            end_line=d["end_line"],
            end_column=d["end_column"],
            fingerprint=d["fingerprint"],
        )


def fingerprint(code: str, match: str, before: str, after: str, occurrence: int) -> str:
    """Stable identity of a finding that survives edits elsewhere in the file.

    Built from the rule code, the normalised matched text, a few words of
    context on each side and the occurrence number among identical keys, so
    inserting a paragraph above does not change it, but editing the flagged
    sentence does.
    """

    def norm(s: str) -> str:
        return " ".join(s.lower().split())

    key = "\x1f".join((code, norm(match), norm(before), norm(after), str(occurrence)))
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:32]  # a str from the API may hold lone surrogates


@dataclass(frozen=True, slots=True)
class InputError:
    """A problem with an input (file, config, rule pack) rather than the text.

    ``kind`` is a short stable token (``missing``, ``binary``, ``encoding``,
    ``too-large``, ``unreadable``, ``no-files``, ``config``, ``rule-file``,
    ``backend``, ``empty``); ``fatal`` errors make the exit code 2, non-fatal
    ones are notices (an empty file, say).
    """

    path: str
    kind: str
    message: str
    fatal: bool = True

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"

    def to_dict(self) -> dict[str, Any]:
        return {"path": self.path, "kind": self.kind, "message": self.message, "fatal": self.fatal}

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> "InputError":
        return cls(d["path"], d["kind"], d["message"], d["fatal"])


@dataclass(frozen=True, slots=True)
class FileResult:
    """Everything mtlint learned about one input."""

    path: str
    findings: tuple[Finding, ...] = ()
    errors: tuple[InputError, ...] = ()
    metrics: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))
    score: float | None = None
    words: int = 0
    #: the decoded text (for excerpts, HTML reports and fixes); not serialised
    source: str | None = field(default=None, repr=False, compare=False)
    format: str = "text"

    def counts(self) -> dict[str, int]:
        out = {"error": 0, "warning": 0, "info": 0}
        for f in self.findings:
            out[str(f.severity)] += 1
        return out

    def to_dict(self) -> dict[str, Any]:
        """The file as plain data: the JSON report's file object (schema 1)."""
        return {
            "path": self.path,
            "format": self.format,
            "words": self.words,
            "score": self.score,
            "counts": self.counts(),
            "metrics": dict(self.metrics),
            "findings": [f.to_dict() for f in self.findings],
            "errors": [e.to_dict() for e in self.errors],
        }

    def to_json(self) -> str:
        """This file's entry of the JSON report, as text (keys in the report's order)."""
        from .jsondoc import file_json

        return file_json(self)

    @classmethod
    def from_dict(cls, d: Mapping[str, Any], *, source: str | None = None) -> "FileResult":
        """The inverse of ``to_dict``; ``source`` is not part of it."""
        return cls(
            path=d["path"],
            findings=tuple(Finding.from_dict(f) for f in d["findings"]),
            errors=tuple(InputError.from_dict(e) for e in d["errors"]),
            metrics=MappingProxyType(dict(d["metrics"])),
            score=d["score"],
            words=d["words"],
            source=source,
            format=d["format"],
        )


@dataclass(frozen=True, slots=True)
class Summary:
    """Totals of a run, gathered while its files stream past (formatters read
    these instead of walking every finding again)."""

    files: int = 0
    #: files that were read and checked (``source`` present)
    checked: int = 0
    files_with_findings: int = 0
    by_severity: Mapping[str, int] = field(default_factory=lambda: MappingProxyType({"error": 0, "warning": 0, "info": 0}))
    #: (code, name, severity) -> count
    by_rule: Mapping[tuple[str, str, str], int] = field(default_factory=lambda: MappingProxyType({}))
    #: every file's input errors and notices, in file order
    file_errors: tuple[InputError, ...] = ()
    categories: frozenset[str] = frozenset()
    #: findings whose fix ``--fix`` applies, and those that need ``--unsafe-fixes``
    fixable: int = 0
    fixable_unsafe: int = 0
    #: code -> findings of that rule with a safe fix
    fixable_by_rule: Mapping[str, int] = field(default_factory=lambda: MappingProxyType({}))

    @classmethod
    def of(cls, files: Iterable[FileResult]) -> "Summary":
        acc = SummaryBuilder()
        for r in files:
            acc.add(r)
        return acc.build()


def tally(findings: Iterable[Finding]) -> list[tuple[str, str, str, str, int]]:
    """What a run's totals need of each finding: code, name, severity, category and
    whether ``--fix`` applies its fix (1), only with ``--unsafe-fixes`` (2) or not (0)."""
    return [
        (f.code, f.name, str(f.severity), f.category, 0 if f.fix is None or not f.fix.edits else 1 if f.fix.is_safe else 2)
        for f in findings
    ]


class SummaryBuilder:
    """Accumulates a ``Summary`` one file at a time."""

    def __init__(self) -> None:
        self.files = self.checked = self.with_findings = 0
        self.by_severity = {"error": 0, "warning": 0, "info": 0}
        self.by_rule: dict[tuple[str, str, str], int] = {}
        self.errors: list[InputError] = []
        self.categories: set[str] = set()
        self.fixable = self.fixable_unsafe = 0
        self.fixable_by_rule: dict[str, int] = {}

    def add(self, r: FileResult) -> None:
        self.add_tally(tally(r.findings), checked=r.source is not None)
        self.errors.extend(r.errors)

    def add_tally(self, counted: Iterable[tuple[str, str, str, str, int]], *, checked: bool = True) -> None:
        """Add a file without errors from what ``tally`` kept of its findings."""
        self.files += 1
        self.checked += checked
        found = False
        for code, name, sev, category, fix in counted:
            found = True
            self.by_severity[sev] += 1
            key = (code, name, sev)
            self.by_rule[key] = self.by_rule.get(key, 0) + 1
            self.categories.add(category)
            if fix == 1:
                self.fixable += 1
                self.fixable_by_rule[code] = self.fixable_by_rule.get(code, 0) + 1
            elif fix == 2:
                self.fixable_unsafe += 1
        self.with_findings += found

    def build(self) -> Summary:
        return Summary(
            files=self.files,
            checked=self.checked,
            files_with_findings=self.with_findings,
            by_severity=MappingProxyType(dict(self.by_severity)),
            by_rule=MappingProxyType(dict(sorted(self.by_rule.items()))),
            file_errors=tuple(self.errors),
            categories=frozenset(self.categories),
            fixable=self.fixable,
            fixable_unsafe=self.fixable_unsafe,
            fixable_by_rule=MappingProxyType(dict(sorted(self.fixable_by_rule.items()))),
        )


@dataclass(frozen=True, slots=True)
class Report:
    """An immutable result of one run, handed to formatters.

    ``files`` is a sequence that may live on disk (a long run streams its
    results through a spool, so memory does not grow with the number of
    files): iterate it, don't hold it.  ``summary`` has the run's totals.
    ``rules`` holds the metadata of every rule that produced a finding (SARIF
    and the explain links need it); ``notices`` are engine-level messages not
    tied to a file (a backend that could not start, say).
    """

    files: Sequence[FileResult]
    rules: Mapping[str, Any]
    tool_version: str
    notices: tuple[InputError, ...] = ()
    fail_on: Severity = Severity.ERROR
    summary: Summary = None  # type: ignore[assignment]  # filled in by __post_init__ when not given

    def __post_init__(self) -> None:
        if self.summary is None:
            object.__setattr__(self, "summary", Summary.of(self.files))

    @property
    def findings(self) -> tuple[Finding, ...]:
        """Every finding, file by file (reads every file's result: formatters use ``summary``)."""
        return tuple(f for r in self.files for f in r.findings)

    @property
    def errors(self) -> tuple[InputError, ...]:
        return self.notices + self.summary.file_errors

    def counts(self) -> dict[str, int]:
        return dict(self.summary.by_severity)

    def to_json(self) -> str:
        """The JSON report (``schema: 1``), byte for byte what ``mtlint check
        --format json`` writes for this run (README, The JSON report)."""
        from .jsondoc import report_json

        return report_json(self)

    def exit_code(self) -> int:
        """0 clean, 1 findings at or above ``fail_on``, 2 bad input or config."""
        if any(e.fatal for e in self.errors):
            return 2
        if any(n and Severity.parse(sev) >= self.fail_on for sev, n in self.summary.by_severity.items()):
            return 1
        return 0


def _mappingproxy(d: dict[str, Any]) -> Mapping[str, Any]:
    return MappingProxyType(d)


def _reduce_mappingproxy(m: Any) -> tuple[Any, tuple[dict[str, Any]]]:
    return _mappingproxy, (dict(m),)


# findings and results keep read-only mappings; let them cross process
# boundaries and go through the run's spool
copyreg.pickle(MappingProxyType, _reduce_mappingproxy)
