"""``alias``: one entity, one house style within an article (US / U.S.; UN / U.N.).

The forms of each entity come from a TSV file (columns ``entity``, ``form``,
``style``; ``#`` comments).  In one document, the style used most for an
entity (ties: the first used) is the house style of that article; every
mention in another style is reported with the dominant form as suggestion.
Full forms ("United States") are usually a deliberate first reference, so
they take part only with the ``include-full-forms`` option.  Headlines are
left out: AP and most newsrooms write "US" and "UN" without full stops in
headlines and "U.S." in the body, so a headline's style is no competing
style (a headline is a heading the source marks, or in plain text a first
line without final punctuation).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Iterator

from ..findings import Applicability, Edit, Finding, Fix, Related
from ..rule import Fixability, RuleContext, check_template
from ..schema import SchemaError, doc
from ..spans import Span
from .base import KindRule

if TYPE_CHECKING:
    from ..document import Document

__all__ = ["AliasRule", "AliasSpec", "AliasOptions"]


@dataclass(frozen=True)
class AliasSpec:
    forms: str = doc("TSV file (next to the rule) with columns entity, form, style")
    message: str = doc(
        "message: {found}, {expected}, {entity}, {count} (uses of the dominant form)",
        "{found!r} and {expected!r} ({count}x) both name the {entity} in this article: pick one style.",
    )


@dataclass(frozen=True)
class AliasOptions:
    include_full_forms: bool = doc("also count full forms (United States) as a competing style", False)


class AliasRule(KindRule):
    """Flags an entity written in more than one house style in one article."""

    Spec = AliasSpec
    Options = AliasOptions
    fixable = Fixability.ALWAYS

    def prepare(self, base_dir: Path) -> None:
        check_template(self.spec.message, {"found", "expected", "entity", "count"}, "message")
        path = base_dir / self.spec.forms
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except OSError as exc:
            raise SchemaError("forms", f"cannot read {path}: {exc}") from None
        forms: dict[str, tuple[str, str]] = {}
        header = None
        for n, line in enumerate(lines, 1):
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            cols = line.split("\t")
            if header is None:
                header = [c.strip() for c in cols]
                if header[:3] != ["entity", "form", "style"]:
                    raise SchemaError("forms", f"{path.name}: the header must be entity<TAB>form<TAB>style")
                continue
            if len(cols) < 3:
                raise SchemaError("forms", f"{path.name}:{n}: expected three tab-separated columns")
            entity, form, style = (c.strip() for c in cols[:3])
            if style not in ("abbreviation", "dotted", "full"):
                raise SchemaError("forms", f"{path.name}:{n}: style must be abbreviation, dotted or full")
            forms[form] = (entity, style)
        self._forms = forms
        # a form stands alone: no letter or digit around it, no extra dot after a bare acronym.
        # That is ``(?<![\w.])(?:form|...)(?![\w])(?!\.\w)`` (longest forms first); each form is
        # written with the look-behind after its first character, so that the regex starts
        # with the forms' first characters and the engine scans for those, not trying the
        # whole pattern at every character (the test compares the two)
        alts = "|".join(f"{re.escape(f[0])}(?<![\\w.]{re.escape(f[0])}){re.escape(f[1:])}" if f else r"(?<![\w.])"
                        for f in sorted(forms, key=len, reverse=True))
        self.regex = re.compile(rf"(?:{alts})(?![\w])(?!\.\w)")

    def check(self, doc: "Document", ctx: RuleContext) -> Iterator[Finding]:
        full = getattr(ctx.options, "include_full_forms", False)
        text = doc.text
        seen: dict[str, list[tuple[str, Span]]] = {}
        headlines = _headlines(doc)
        for m in self.regex.finditer(text):
            if any(h.start <= m.start() < h.end for h in headlines):
                continue
            form = m.group()
            entity, style = self._forms[form]
            if style == "full" and not full:
                continue
            seen.setdefault(entity, []).append((form, Span(m.start(), m.end())))
        for entity, uses in seen.items():
            counts = Counter(f for f, _ in uses)
            if len(counts) < 2:
                continue
            first = {}
            for f, sp in uses:
                first.setdefault(f, sp.start)
            dominant = min(counts, key=lambda f: (-counts[f], first[f]))
            related = [Related(sp, f"dominant form {dominant!r}") for f, sp in uses if f == dominant][:3]
            for form, span in uses:
                if form == dominant:
                    continue
                edit = span
                if dominant.endswith(".") and text[span.end : span.end + 1] == ".":
                    edit = Span(span.start, span.end + 1)  # "in the US." -> "in the U.S."
                yield ctx.finding(
                    span,
                    self.spec.message.format_map({"found": form, "expected": dominant, "entity": entity, "count": counts[dominant]}),
                    suggestions=(dominant,),
                    fix=Fix(f"Write {dominant!r}", (Edit(edit, dominant),), Applicability.SAFE),
                    related=related,
                    data={"entity": entity, "dominant": dominant},
                )


#: a first line this short, without final punctuation, is a headline
_HEADLINE_MAX_WORDS = 20


def _headlines(doc: "Document") -> tuple[Span, ...]:
    """Headings the source marks, or the headline line that opens a plain-text article."""
    if doc.headings:
        return doc.headings
    paras = doc.paragraphs
    if not paras:
        return ()
    first = paras[0]
    line = doc.text[first.start : first.end].rstrip()
    if line and line[-1] not in ".!?:;\"”’'…" and len(line.split()) <= _HEADLINE_MAX_WORDS and len(paras) > 1:
        return (first,)
    return ()
