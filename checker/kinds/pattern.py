"""``pattern``: regular expressions with named-placeholder messages.

A pattern rule is one or more regular expressions run over the whole text
(or, with ``scope: sentence``/``paragraph``, inside each sentence or
paragraph, so ``^``/``$`` anchor there).  The message may name the match
(``{match}``), its length in characters (``{length}``: "{length} spaces"),
any named group of the regex (``{verb}``), and the replacement.  A ``replace`` template (``\\g<name>`` references allowed)
becomes the suggestion and, when ``fix`` is not ``none``, a fix.

``flag-group`` narrows the reported span to one named group, so context
can be matched without being highlighted.

Every rule's regexes run under a time limit per document (``timeout``
seconds, plus one second per million characters), through the ``regex``
module's ``timeout=``: a pattern that backtracks without end on some text
(a user's ``(a|aa)+$``) raises ``RuleTimeout`` there, which the engine
reports as that document's ``rule-timeout`` error while the run goes on.
``regex`` (version 0 semantics) matches exactly as ``re`` does on the
built-in rules, which keep the same limit as a safety net.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Iterator, Literal

import regex

from ..findings import Applicability, Edit, Finding, Fix, Severity
from ..rule import Fixability, RuleContext, check_template
from ..schema import SchemaError, doc
from ..spans import Span
from .base import KindRule

if TYPE_CHECKING:
    from ..document import Document

__all__ = ["PatternRule", "PatternSpec", "PatternItem", "RuleTimeout"]


class RuleTimeout(TimeoutError):
    """A rule ran over its time limit on one document (the engine reports it
    as that document's ``rule-timeout`` error and keeps the other rules' work)."""


@dataclass(frozen=True)
class PatternItem:
    """One regular expression and what to say when it matches."""

    regex: str = doc("the regular expression (Python syntax, verbose mode off)")
    message: str | None = doc("message for this pattern; overrides the rule's", None)
    replace: str | None = doc("replacement template (\\g<name> allowed): the suggestion and fix", None)
    flag_group: str | None = doc("report only this named group's span", None)
    severity: Severity | None = doc("severity for this pattern, overriding the rule's", None)
    ignore_case: bool = doc("match without regard to case", False)
    fix: Literal["safe", "unsafe", "none"] | None = doc("fix applicability for this pattern", None)


@dataclass(frozen=True)
class PatternSpec:
    patterns: tuple[PatternItem, ...] = doc("the regular expressions, each with optional message/replace")
    message: str = doc("default message template: {match}, {length} (of the match, in characters), {replacement}, and the regex's named groups", "{match!r} looks wrong here.")
    scope: Literal["text", "sentence", "paragraph"] = doc("where the regex runs (anchors apply there)", "text")
    fix: Literal["safe", "unsafe", "none"] = doc("whether a replacement becomes a fix, and how safe", "none")
    timeout: float = doc(
        "seconds this rule's regexes may run on one document (plus one second per million characters); "
        "over it the document gets a rule-timeout error naming the rule",
        2.0,
    )


class PatternRule(KindRule):
    """Flags every match of a rule's regular expressions."""

    Spec = PatternSpec
    fixable = Fixability.SOMETIMES

    def prepare(self, base_dir: Path) -> None:
        if not self.spec.patterns:
            raise SchemaError("patterns", "a pattern rule needs at least one pattern")
        if not self.spec.timeout > 0:
            raise SchemaError("timeout", "must be a number of seconds greater than 0")
        compiled = []
        for i, item in enumerate(self.spec.patterns):
            where = f"patterns[{i}]"
            try:
                rx = regex.compile(item.regex, regex.IGNORECASE if item.ignore_case else 0)
            except (regex.error, re.error) as exc:
                raise SchemaError(f"{where}.regex", f"bad regular expression: {exc}") from None
            groups = set(rx.groupindex)
            allowed = {"match", "length", "replacement"} | groups
            check_template(item.message or self.spec.message, allowed, f"{where}.message")
            if item.flag_group and item.flag_group not in groups:
                raise SchemaError(f"{where}.flag-group", f"the regex has no group named {item.flag_group!r}")
            if item.replace is not None:
                try:
                    rx.sub(item.replace, "")  # validates group references cheaply
                    for name in re.findall(r"\\g<(\w+)>", item.replace):
                        if not name.isdigit() and name not in groups:
                            raise regex.error(f"unknown group name {name!r}")
                except (regex.error, re.error, IndexError) as exc:
                    raise SchemaError(f"{where}.replace", f"bad replacement: {exc}") from None
            compiled.append((rx, item))
        self._compiled = tuple(compiled)

    def _regions(self, doc: "Document") -> tuple[Span, ...]:
        if self.spec.scope == "sentence":
            return doc.sentences
        if self.spec.scope == "paragraph":
            return doc.paragraphs
        return (Span(0, len(doc.text)),)

    def check(self, doc: "Document", ctx: RuleContext) -> Iterator[Finding]:
        text = doc.text
        deadline = time.monotonic() + self.spec.timeout + len(text) / 1e6
        for region in self._regions(doc):
            chunk = text[region.start : region.end] if self.spec.scope != "text" else text
            base = region.start if self.spec.scope != "text" else 0
            for i, (rx, item) in enumerate(self._compiled):
                try:
                    yield from self._matches(rx.finditer(chunk, timeout=max(0.0, deadline - time.monotonic())), item, text, base, ctx)
                except TimeoutError:
                    raise RuleTimeout(
                        f"ran over its time limit ({self.spec.timeout:g} s per document, plus 1 s per million characters) "
                        f"in pattern {i + 1} {item.regex!r}; simplify the regular expression or raise `timeout` in {self.meta.path or 'its rule file'}"
                    ) from None

    def _matches(self, found: Iterator["regex.Match[str]"], item: PatternItem, text: str, base: int, ctx: RuleContext) -> Iterator[Finding]:
        for m in found:
            if m.end() == m.start() and not item.flag_group:
                continue
            if item.flag_group:
                s, e = m.span(item.flag_group)
                if s < 0:
                    continue
            else:
                s, e = m.span()
            span = Span(base + s, base + e)
            replacement = m.expand(item.replace) if item.replace is not None else None
            values = {k: (v or "") for k, v in m.groupdict().items()}
            values["match"] = text[span.start : span.end]
            values["length"] = str(span.end - span.start)
            values["replacement"] = replacement or ""
            message = (item.message or self.spec.message).format_map(values)
            fix = None
            mode = item.fix or self.spec.fix
            if replacement is not None and mode != "none":
                # the replacement stands for the whole match; when a
                # flag group narrows the span, the edit still covers
                # the whole match so context is rewritten consistently
                edit_span = Span(base + m.start(), base + m.end())
                fix = Fix(f"Replace with {replacement!r}", (Edit(edit_span, replacement),), Applicability(mode))
            yield ctx.finding(
                span,
                message,
                suggestions=(replacement,) if replacement and not replacement.isspace() else (),
                fix=fix,
                severity=item.severity,
            )
