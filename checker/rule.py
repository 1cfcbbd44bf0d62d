"""The rule contract: immutable metadata plus a pure ``check(doc, ctx)``.

A rule must not modify the document, touch files or the network, or depend
on the order rules run in.  Everything external reaches it through
``RuleContext`` (options already validated, resolved severity, backends).
"""

from __future__ import annotations

import enum
import re
import string
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Iterable, Mapping, Protocol, runtime_checkable

from .findings import CATEGORIES, Fix, Finding, Related, Severity
from .schema import SchemaError
from .spans import Span

if TYPE_CHECKING:
    from .document import Document

__all__ = ["Status", "Fixability", "QuotePolicy", "RuleMeta", "Rule", "RuleContext", "NoOptions", "check_template"]


class Status(str, enum.Enum):
    STABLE = "stable"
    PREVIEW = "preview"
    DEPRECATED = "deprecated"
    REMOVED = "removed"

    def __str__(self) -> str:
        return self.value


class Fixability(str, enum.Enum):
    NEVER = "never"
    SOMETIMES = "sometimes"
    ALWAYS = "always"

    def __str__(self) -> str:
        return self.value


class QuotePolicy(str, enum.Enum):
    """Whether a rule's findings inside quoted speech are kept."""

    INCLUDE = "include"
    EXCLUDE = "exclude"

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True)
class NoOptions:
    """A rule that takes no options."""


@dataclass(frozen=True, slots=True)
class RuleMeta:
    """Everything about a rule except how it checks: identity, defaults, docs."""

    code: str
    name: str
    category: str
    summary: str
    severity: Severity
    rationale: str = ""
    kind: str = ""
    pack: str = ""
    needs: frozenset[str] = frozenset()
    fixable: Fixability = Fixability.NEVER
    status: Status = Status.STABLE
    tags: frozenset[str] = frozenset()
    aliases: tuple[str, ...] = ()
    quotes: QuotePolicy = QuotePolicy.INCLUDE
    source: str = ""
    url: str | None = None
    options: type = NoOptions
    path: str = ""  # the rule file, for messages
    #: a rule that also runs over the whole set of files (cross-file phase)
    corpus: bool = False
    #: option values the rule file sets (an instance of ``options``)
    default_options: Any = None

    def __post_init__(self) -> None:
        if self.category not in CATEGORIES:
            raise ValueError(f"unknown category {self.category!r}; expected one of {', '.join(sorted(CATEGORIES))}")


@runtime_checkable
class Rule(Protocol):
    meta: RuleMeta

    def check(self, doc: "Document", ctx: "RuleContext") -> Iterable[Finding]: ...


@dataclass(frozen=True)
class RuleContext:
    """What a rule may use besides the document.

    ``services`` holds engine-provided objects a rule declared in ``needs``
    (``backend:grammar``, ``lexicon``...): rules never build them.  ``doc``
    is None in a cross-file rule's ``check_corpus``, which sees only tables.
    """

    meta: RuleMeta
    #: None in a corpus rule's cross-file phase (no single document)
    doc: "Document | None"
    options: Any = field(default_factory=NoOptions)
    severity: Severity | None = None
    services: Mapping[str, Any] = field(default_factory=dict)

    def finding(
        self,
        span: Span,
        message: str | None = None,
        *,
        suggestions: Iterable[str] = (),
        fix: Fix | None = None,
        related: Iterable[Related] = (),
        data: Mapping[str, Any] | None = None,
        severity: Severity | None = None,
        category: str | None = None,
    ) -> Finding:
        """Make a finding with this rule's code, name, category and severity.

        ``severity`` here is the rule's own per-finding choice (an ``info``
        for an uncertain entry, say); a severity set in config wins over it.
        """
        meta = self.meta
        sev = self.severity if self.severity is not None else (severity or meta.severity)
        # cross-file findings have no document here: the engine fills in the text
        text = self.doc.text[span.start : span.end] if self.doc is not None else ""
        return Finding(
            code=meta.code,
            name=meta.name,
            category=category or meta.category,
            severity=sev,
            message=message or meta.summary,
            span=span,
            text=text,
            suggestions=tuple(dict.fromkeys(suggestions)),
            fix=fix,
            related=tuple(related),
            data=data or {},
        )


def check_template(template: str, allowed: Iterable[str], where: str) -> None:
    """Fail at load time if a message names a placeholder the rule cannot fill.

    Every kind checks its message templates with it when a rule loads
    (messages use named placeholders, never positional ones).
    """
    allowed = set(allowed)
    try:
        fields = [f for _, f, _, _ in string.Formatter().parse(template) if f is not None]
    except ValueError as exc:
        raise SchemaError(where, f"bad message template {template!r}: {exc}") from None
    for f in fields:
        if f == "" or f.isdigit():
            raise SchemaError(where, f"message {template!r}: use named placeholders, not positional ones")
        base = re.split(r"[.\[]", f, maxsplit=1)[0]
        if base not in allowed:
            raise SchemaError(where, f"message {template!r} uses unknown placeholder {{{f}}} (allowed: {', '.join(sorted(allowed))})")
