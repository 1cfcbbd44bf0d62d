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
"""

from __future__ import annotations

import csv
import re
import string
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Iterator, Literal

from .. import inflection
from ..findings import Applicability, Edit, Finding, Fix, Severity
from ..rule import Fixability, RuleContext, RuleMeta
from ..schema import SchemaError, build, doc
from ..spans import Span
from .base import KindRule

if TYPE_CHECKING:
    from ..document import Document

__all__ = ["Entry", "PhraseMatcher", "ExistenceRule", "SubstitutionRule", "match_case", "check_template"]

_APOSTROPHES = "'’"
_WS = re.compile(r"\s+")


def normalize_phrase(text: str) -> str:
    """The key a match and an entry share: case-folded, spaces collapsed, one apostrophe."""
    return _WS.sub(" ", text.strip()).lower().replace("’", "'")


@dataclass(frozen=True)
class Entry:
    """One listed word or phrase and what to say about it."""

    phrase: str = doc("the word or phrase, matched case-insensitively; spaces match any white space")
    suggest: tuple[str, ...] = doc("replacements to suggest, best first", ())
    reason: str = doc("why it is wrong: for MT artifacts, the likely source-language cause", "")
    message: str | None = doc("a message for this entry, overriding the rule's", None)
    severity: Severity | None = doc("severity for this entry, overriding the rule's", None)
    lang: str = doc("likely source language (fr, es, de, ar, ru, zh...), for documentation", "")
    case: Literal["insensitive", "sensitive"] = doc("match case exactly with 'sensitive'", "insensitive")
    regex: bool = doc("treat phrase as a regular expression (use sparingly)", False)
    not_before: str | None = doc("regex: skip the match when the text just before it matches", None)
    not_after: str | None = doc("regex: skip the match when the text just after it matches", None)
    requires_before: str | None = doc("regex: keep the match only when the text just before it matches", None)
    requires_after: str | None = doc("regex: keep the match only when the text just after it matches", None)
    inflect: Literal["verb", "noun"] | None = doc("expand the first word (verb) or last word (noun) into its inflected forms", None)
    fix: Literal["safe", "unsafe", "none"] | None = doc("fix applicability for this entry", None)

    def __post_init__(self) -> None:
        if not self.phrase.strip():
            raise ValueError("empty phrase")
        if isinstance(self.suggest, str):  # pragma: no cover - schema converts
            object.__setattr__(self, "suggest", (self.suggest,))


def _entry_from(raw: Any, where: str) -> Entry:
    if isinstance(raw, str):
        return Entry(phrase=raw)
    if isinstance(raw, dict) and isinstance(raw.get("suggest"), str):
        raw = {**raw, "suggest": [raw["suggest"]]}
    return build(Entry, raw, where)


def load_entries_file(path: Path) -> list[dict[str, Any]]:
    """Entries from a TSV with a header row (phrase, suggest, reason, ...).

    ``suggest`` may hold several suggestions separated by ``|``; lines
    starting with ``#`` are comments.
    """
    rows: list[dict[str, Any]] = []
    with path.open(encoding="utf-8", newline="") as fh:
        lines = [ln for ln in fh if ln.strip() and not ln.lstrip().startswith("#")]
    reader = csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE)
    if not reader.fieldnames or "phrase" not in reader.fieldnames:
        raise SchemaError(path.name, "a word-list file needs a header row with a 'phrase' column")
    for n, row in enumerate(reader, start=2):
        if None in row:
            raise SchemaError(f"{path.name}:{n}", "more columns than the header names")
        item: dict[str, Any] = {}
        for k, v in row.items():
            if v is None or v == "":
                continue
            if k == "suggest":
                item[k] = [s.strip() for s in v.split("|") if s.strip()]
            elif k == "regex":
                item[k] = v.strip().lower() in ("1", "true", "yes")
            else:
                item[k] = v
        item["_line"] = n
        rows.append(item)
    return rows


# -- the trie regex ---------------------------------------------------------
_BOUND = "\x00b"  # word boundary pseudo-character
_END = "\x00$"


def _char_regex(ch: str) -> str:
    if ch == " ":
        return r"\s+"
    if ch == "'":
        return "['’]"
    if ch == "-":
        return "[-‐‑]"
    if ch == _BOUND:
        return r"\b"
    return re.escape(ch)


def _trie_regex(phrases: Iterable[str]) -> str:
    trie: dict[str, Any] = {}
    for p in phrases:
        node = trie
        seq: list[str] = []
        if p[0].isalnum() or p[0] == "_":
            seq.append(_BOUND)
        seq.extend(p)
        if p[-1].isalnum() or p[-1] == "_":
            seq.append(_BOUND)
        for ch in seq:
            node = node.setdefault(ch, {})
        node[_END] = {}

    def emit(node: dict[str, Any]) -> str:
        optional = _END in node
        # longer continuations first, the word-boundary ending last, so the
        # leftmost match is also the longest listed phrase
        keys = sorted((k for k in node if k != _END), key=lambda k: (k == _BOUND, k))
        alts = [_char_regex(k) + emit(node[k]) for k in keys]
        if not alts:
            return ""
        if len(alts) == 1 and not optional:
            return alts[0]
        body = "(?:" + "|".join(alts) + ")"
        return body + "?" if optional else body

    return emit(trie)



# -- inflection ----------------------------------------------------------------
def verb_forms(base: str) -> tuple[str, str, str, str, str]:
    """``(base, 3sg, past, past participle, -ing)`` of an English verb, from lemminflect's lexicon."""
    return tuple(spellings[0] for _, spellings in inflection.forms(base, "verb"))  # type: ignore[return-value]


def noun_forms(base: str) -> tuple[str, str]:
    """``(singular, plural)`` of an English noun, from lemminflect's lexicon."""
    return tuple(spellings[0] for _, spellings in inflection.forms(base, "noun"))  # type: ignore[return-value]


def _inflect_phrase(phrase: str, how: str) -> dict[str, tuple[str, ...]]:
    """Penn tag -> the phrase with its head word in that form (every spelling).

    A verb phrase ("carry out a study") inflects its first word, a noun
    phrase ("military society") its last.
    """
    words = phrase.split(" ")
    if how == "verb":
        return {tag: tuple(" ".join([f, *words[1:]]) for f in fs) for tag, fs in inflection.forms(words[0], "verb")}
    return {tag: tuple(" ".join([*words[:-1], f]) for f in fs) for tag, fs in inflection.forms(words[-1], "noun")}


def expand_inflections(e: Entry) -> list[Entry]:
    """The entry itself, or one entry per inflected form, suggestions inflected alike.

    A form with two spellings ("travelled", "traveled") gives two entries;
    each suggestion takes the same form (and the same spelling when it has
    one).
    """
    if not e.inflect or e.regex:
        return [e]
    phrases = _inflect_phrase(e.phrase, e.inflect)
    suggestions = [_inflect_phrase(s, e.inflect) for s in e.suggest]
    out: list[Entry] = []
    seen: set[str] = set()
    for tag, spellings in phrases.items():
        for k, p in enumerate(spellings):
            if p in seen:
                continue
            seen.add(p)
            suggest = tuple(s[tag][min(k, len(s[tag]) - 1)] for s in suggestions)
            out.append(replace(e, phrase=p, suggest=suggest, inflect=None))
    return out


class PhraseMatcher:
    """Finds every listed phrase in a text with one compiled regex."""

    def __init__(self, entries: Iterable[Entry], where: str = "") -> None:
        self.literal: dict[str, Entry] = {}
        self.patterns: list[tuple[re.Pattern[str], Entry]] = []
        listed = list(entries)
        explicit = {normalize_phrase(e.phrase) for e in listed if not e.regex}
        expanded: list[Entry] = []
        for e in listed:
            for x in expand_inflections(e):
                # an explicitly listed form wins over another entry's expansion
                if x is not e and normalize_phrase(x.phrase) in explicit and normalize_phrase(x.phrase) != normalize_phrase(e.phrase):
                    continue
                expanded.append(x)
        for e in expanded:
            if e.regex:
                try:
                    self.patterns.append((re.compile(e.phrase, re.IGNORECASE if e.case == "insensitive" else 0), e))
                except re.error as exc:
                    raise SchemaError(where, f"entry {e.phrase!r}: bad regular expression: {exc}") from None
                continue
            key = normalize_phrase(e.phrase)
            if key in self.literal:
                raise SchemaError(where, f"entry {e.phrase!r} is listed twice")
            self.literal[key] = e
        parts = []
        if self.literal:
            parts.append(_trie_regex(sorted(self.literal)))
        parts.extend(f"(?:{p.pattern})" for p, _ in self.patterns)
        self._source = "|".join(parts) if parts else r"(?!x)x"
        self._regex: re.Pattern[str] | None = None
        # Fast path: the literal trie (built from lower-cased keys) matched
        # case-sensitively against a lower-cased copy of the text is 3-5x
        # faster than IGNORECASE; offsets are the same whenever lower() keeps
        # the length (it does except for a few letters such as "İ").
        self._fast = re.compile(parts[0]) if self.literal and not self.patterns else None
        self._guards: dict[int, tuple[re.Pattern[str] | None, ...]] = {}
        compiled: dict[tuple[str, str], re.Pattern[str]] = {}

        def rx(source: str | None, anchored_end: bool) -> re.Pattern[str] | None:
            if not source:
                return None
            key = (source, "before" if anchored_end else "after")
            if key not in compiled:
                compiled[key] = re.compile(f"(?:{source})$" if anchored_end else source)
            return compiled[key]

        for e in list(self.literal.values()) + [e for _, e in self.patterns]:
            try:
                self._guards[id(e)] = (
                    rx(e.not_before, True),
                    rx(e.not_after, False),
                    rx(e.requires_before, True),
                    rx(e.requires_after, False),
                )
            except re.error as exc:
                raise SchemaError(where, f"entry {e.phrase!r}: bad context regex: {exc}") from None

    @property
    def regex(self) -> re.Pattern[str]:
        """The whole list as one case-insensitive regex (compiled on first use)."""
        if self._regex is None:
            self._regex = re.compile(self._source, re.IGNORECASE)
        return self._regex

    def __len__(self) -> int:
        return len(self.literal) + len(self.patterns)

    def entry_for(self, matched: str) -> Entry | None:
        e = self.literal.get(normalize_phrase(matched))
        if e is not None:
            if e.case == "sensitive" and _WS.sub(" ", matched) != e.phrase:
                return None
            return e
        for pat, e in self.patterns:
            if pat.fullmatch(matched):
                return e
        return None

    def finditer(self, text: str, start: int = 0, end: int | None = None) -> Iterator[tuple[Span, Entry]]:
        end = len(text) if end is None else end
        regex, haystack = None, text
        if self._fast is not None:
            low = text.lower()
            if len(low) == len(text):
                regex, haystack = self._fast, low
        if regex is None:
            regex = self.regex
        for m in regex.finditer(haystack, start, end):
            if m.end() == m.start():
                continue
            e = self.entry_for(text[m.start() : m.end()])
            if e is None:
                continue
            before, after, need_before, need_after = self._guards[id(e)]
            lo = max(0, m.start() - 80)
            if before is not None and before.search(text, lo, m.start()):
                continue
            if after is not None and after.match(text, m.end()):
                continue
            if need_before is not None and not need_before.search(text, lo, m.start()):
                continue
            if need_after is not None and not need_after.match(text, m.end()):
                continue
            yield Span(m.start(), m.end()), e


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


def check_template(template: str, allowed: Iterable[str], where: str) -> None:
    """Fail at load time if a message names a placeholder the rule cannot fill."""
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
        entries = [_entry_from(raw, key) for raw, key in raw_entries]
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

    def check(self, doc: "Document", ctx: RuleContext) -> Iterator[Finding]:
        text = doc.text
        for span, entry in self.matcher.finditer(text):
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
