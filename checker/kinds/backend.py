"""``backend``: report what the configured grammar backend finds.

The rule asks the engine for the ``backend:grammar`` service (Harper by
default, LanguageTool when configured), keeps the backend categories it
reports (``categories``), and applies per-backend-rule filters written in
the rule file: a backend rule can be limited to matches whose next word is
in a word list (Harper's ``TheProperNounPossessive`` only for place names
that never take "the": "the Libya's", not "the Frenchman's"), or have
matches that are good English dropped ("had had").  The backend's rule id
is kept in the finding's ``data`` (``backend``, ``rule``, ``kind``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Iterator

from ..findings import Finding
from ..phrases import read_word_file
from ..rule import RuleContext
from ..schema import SchemaError, doc
from ..spans import Span
from .base import KindRule

if TYPE_CHECKING:
    from ..document import Document

__all__ = ["BackendRule", "BackendSpec", "BackendFilter"]


@dataclass(frozen=True)
class BackendFilter:
    """Narrowing of one backend rule, for precision on news copy."""

    rule: str = doc("the backend's rule id (Harper rule name or LanguageTool rule id)")
    next_word_in: str | None = doc("keep a match only when the word after it is in this word-list file", None)
    match_not_in: tuple[str, ...] = doc("drop a match whose text (case-insensitive) is one of these", ())
    drop: bool = doc("drop this backend rule's matches altogether", False)
    skip_capitalized: bool = doc("drop matches that start with a capital letter (names: \"Li Li\")", False)
    skip_in_compound: bool = doc("drop matches that are part of a hyphenated compound (\"he test-fired\")", False)


@dataclass(frozen=True)
class BackendSpec:
    categories: tuple[str, ...] = doc("backend categories this rule reports: grammar, spelling, style", ("grammar",))
    filters: tuple[BackendFilter, ...] = doc("per-backend-rule filters", ())
    message: str = doc("message template: {message} (the backend's), {backend}, {rule}", "{message} ({backend}: {rule})")


_NEXT_WORD = re.compile(r"[\s\"“”‘’']*([^\W\d_][\w’'-]*)")
_POSSESSIVE = re.compile(r"['’]s?$")


class BackendRule(KindRule):
    """Findings of the grammar backend, one per backend match."""

    Spec = BackendSpec
    needs: frozenset[str] = frozenset({"paragraphs", "backend:grammar"})

    def prepare(self, base_dir: Path) -> None:
        bad = set(self.spec.categories) - {"grammar", "spelling", "style"}
        if bad:
            raise SchemaError("categories", f"unknown backend categories: {', '.join(sorted(bad))}")
        from ..rule import check_template

        check_template(self.spec.message, {"message", "backend", "rule"}, "message")
        self._filters: dict[str, tuple[BackendFilter, frozenset[str] | None, frozenset[str]]] = {}
        for f in self.spec.filters:
            words = read_word_file(base_dir / f.next_word_in) if f.next_word_in else None
            self._filters[f.rule] = (f, words, frozenset(m.lower() for m in f.match_not_in))

    def _keep(self, rule: str, text: str, start: int, end: int) -> bool:
        entry = self._filters.get(rule)
        if entry is None:
            return True
        f, next_words, not_in = entry
        if f.drop:
            return False
        if text[start:end].strip().lower() in not_in:
            return False
        if f.skip_capitalized and text[start:start + 1].isupper():
            return False
        if f.skip_in_compound and (text[end:end + 1] == "-" or (start > 0 and text[start - 1] == "-")):
            return False
        if next_words is not None:
            m = _NEXT_WORD.match(text, end)
            word = _POSSESSIVE.sub("", m.group(1)) if m else ""
            if word not in next_words:
                return False
        return True

    def check(self, doc: "Document", ctx: RuleContext) -> Iterator[Finding]:
        service = ctx.services["backend:grammar"]
        text = doc.text
        from ..backends import CATEGORY_SEVERITY

        for bf in service.check_document(doc):
            if bf.category not in self.spec.categories or bf.end <= bf.start:
                continue
            start, end = bf.start, bf.end
            while end > start and text[end - 1].isspace():
                end -= 1
            while start < end and text[start].isspace():
                start += 1
            if end <= start or not self._keep(bf.rule_id, text, start, end):
                continue
            msg = self.spec.message.format(message=bf.message.rstrip(), backend=bf.backend, rule=bf.rule_id)
            yield ctx.finding(
                Span(start, end),
                msg,
                suggestions=bf.suggestions,
                data={"backend": bf.backend, "rule": bf.rule_id, "kind": bf.kind},
                severity=CATEGORY_SEVERITY.get(bf.category),
                category=bf.category if bf.category != "spelling" else "spelling",
            )
