"""``existence`` and ``substitution``: word and phrase lists, compiled once.

All entries of a rule become one regular expression built from a character
trie (shared prefixes are matched once, as Vale and proselint merge their
lists), run over the whole text in one pass.  A match is mapped back to its
entry by its normalised text, so a list of a thousand phrases costs about as
much as a list of ten.

Entry context guards are regular expressions checked only on matches, so
correct English uses of a phrase can be exempted precisely ("the actual
government" is a calque; "the actual cost" is not): ``not-before`` /
``not-after`` skip a match when the text just before / after it matches;
``requires-before`` / ``requires-after`` keep a match only when it does.

``inflect: verb`` expands the phrase's first word into its English verb
forms (realize, realizes, realized, realizing) and inflects the first word of
each suggestion the same way ("realized a study" -> "carried out a study");
``inflect: noun`` does the same for the last word's plural.  The forms,
irregular ones included, come from lemminflect's lexicon
(``checker/inflection.py``).

The list machinery (``Entry``, ``PhraseMatcher``, the trie regex, the
word-list readers, inflection) lives in ``checker/phrases.py``, shared with
the other kinds; this module is only the two kinds.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterator, Literal

from ..findings import Applicability, Edit, Finding, Fix, Severity
from ..phrases import PhraseMatcher, entry_from, load_entries_file
from ..rule import Fixability, RuleContext, RuleMeta, check_template
from ..schema import SchemaError, doc
from .base import KindRule

if TYPE_CHECKING:
    from ..document import Document

__all__ = ["ExistenceRule", "SubstitutionRule", "LexiconSpec", "SubstitutionSpec", "match_case"]


def match_case(replacement: str, matched: str) -> str:
    """Give ``replacement`` the case pattern of ``matched`` (Title, UPPER or as is)."""
    if not replacement or not matched:
        return replacement
    letters = [c for c in matched if c.isalpha()]
    if len(letters) > 1 and all(c.isupper() for c in letters) and not replacement.isupper():
        return replacement.upper()
    if matched[0].isupper() and replacement[0].islower():
        return replacement[0].upper() + replacement[1:]
    return replacement


class _SafeDict(dict):
    def __missing__(self, key: str) -> str:  # pragma: no cover - load-time check prevents it
        return "{" + key + "}"


_PLACEHOLDERS = ("match", "suggestion", "suggestions", "reason", "lang")


@dataclass(frozen=True)
class LexiconSpec:
    entries: tuple[Any, ...] = doc("the list: strings or tables with phrase, suggest, reason...", ())
    entries_file: tuple[str, ...] = doc("TSV word-list files next to the rule file, with a header row", ())
    message: str = doc(
        "message template; placeholders: {match}, {suggestion}, {suggestions}, {reason}, {lang}",
        "{match!r} is listed as a problem.",
    )
    fix: Literal["safe", "unsafe", "none"] = doc("whether suggestions become fixes, and how safe they are", "none")
    in_quotes: Literal["same", "info"] = doc(
        "severity of matches inside quoted speech: 'same', or 'info' (a translated quote may carry the "
        "artifact, but a quotation is the speaker's words; use with 'quotes: include')",
        "same",
    )


class _LexiconRule(KindRule):
    """Shared machinery of the list kinds: load, compile, match, report."""

    Spec = LexiconSpec
    require_suggestions = False

    def __init__(self, meta: RuleMeta, spec: LexiconSpec, base_dir: Path) -> None:
        self.meta = meta
        where = meta.path or meta.code
        raw_entries: list[tuple[Any, str]] = [(e, f"entries[{i}]") for i, e in enumerate(spec.entries)]
        for fname in spec.entries_file:
            fpath = base_dir / fname
            if not fpath.is_file():
                raise SchemaError("entries-file", f"word-list file {fname!r} not found next to the rule file")
            for row in load_entries_file(fpath):
                line = row.pop("_line")
                raw_entries.append((row, f"{fname}:{line}"))
        entries = [entry_from(raw, key) for raw, key in raw_entries]
        if not entries:
            raise SchemaError("entries", "a list rule needs at least one entry")
        check_template(spec.message, _PLACEHOLDERS, "message")
        for e in entries:
            if e.message:
                check_template(e.message, _PLACEHOLDERS, f"entry {e.phrase!r}")
            if self.require_suggestions and not e.suggest:
                raise SchemaError("entries", f"entry {e.phrase!r} needs a 'suggest' replacement")
        self.entries = tuple(entries)
        self.spec = spec
        self.matcher = PhraseMatcher(entries, where)

    def warm(self) -> None:
        self.matcher.warm()

    def check(self, doc: "Document", ctx: RuleContext) -> Iterator[Finding]:
        text = doc.text
        for span, entry in self.matcher.finditer(text, doc.word_runs):
            matched = text[span.start : span.end]
            # a case-sensitive entry spells its suggestion exactly as wanted
            suggestions = entry.suggest if entry.case == "sensitive" else tuple(match_case(s, matched) for s in entry.suggest)
            values = _SafeDict(
                match=matched,
                suggestion=suggestions[0] if suggestions else "",
                suggestions=" or ".join(repr(s) for s in suggestions),
                reason=entry.reason,
                lang=entry.lang,
            )
            message = (entry.message or self.spec.message).format_map(values)
            fix_mode = entry.fix or self.spec.fix
            fix = None
            if suggestions and fix_mode != "none":
                fix = Fix(
                    title=f"Replace with {suggestions[0]!r}",
                    edits=(Edit(span, suggestions[0]),),
                    applicability=Applicability(fix_mode),
                )
            severity = entry.severity
            if self.spec.in_quotes == "info" and doc.in_quotation(span):
                severity = Severity.INFO
                fix = None
            yield ctx.finding(
                span,
                message,
                suggestions=suggestions,
                fix=fix,
                severity=severity,
                data={"reason": entry.reason, "lang": entry.lang} if entry.reason or entry.lang else None,
            )


class ExistenceRule(_LexiconRule):
    """Flags every occurrence of a listed word or phrase."""


@dataclass(frozen=True)
class SubstitutionSpec(LexiconSpec):
    message: str = doc(
        "message template; placeholders: {match}, {suggestion}, {suggestions}, {reason}, {lang}",
        "Use {suggestion!r} instead of {match!r}.",
    )
    fix: Literal["safe", "unsafe", "none"] = doc("whether the first suggestion is a fix, and how safe", "unsafe")


class SubstitutionRule(_LexiconRule):
    """Flags a listed wrong form and suggests the right one, keeping its case."""

    Spec = SubstitutionSpec
    fixable = Fixability.SOMETIMES
    require_suggestions = True
