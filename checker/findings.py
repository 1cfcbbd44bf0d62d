"""What a check produces: findings with fixes, per-file results, the report."""

from __future__ import annotations

import enum
import hashlib
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Mapping

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


@dataclass(frozen=True, slots=True)
class Report:
    """An immutable result of one run, handed to formatters.

    ``rules`` holds the metadata of every rule that produced a finding (SARIF
    and the explain links need it); ``notices`` are engine-level messages not
    tied to a file (a backend that could not start, say).
    """

    files: tuple[FileResult, ...]
    rules: Mapping[str, Any]
    tool_version: str
    notices: tuple[InputError, ...] = ()
    fail_on: Severity = Severity.ERROR

    @property
    def findings(self) -> tuple[Finding, ...]:
        return tuple(f for r in self.files for f in r.findings)

    @property
    def errors(self) -> tuple[InputError, ...]:
        return self.notices + tuple(e for r in self.files for e in r.errors)

    def counts(self) -> dict[str, int]:
        out = {"error": 0, "warning": 0, "info": 0}
        for f in self.findings:
            out[str(f.severity)] += 1
        return out

    def exit_code(self) -> int:
        """0 clean, 1 findings at or above ``fail_on``, 2 bad input or config."""
        if any(e.fatal for e in self.errors):
            return 2
        if any(f.severity >= self.fail_on for f in self.findings):
            return 1
        return 0
