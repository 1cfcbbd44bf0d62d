"""``name_cluster`` (NM001): one name, one spelling -- within an article and across a run.

The rule only turns the decisions of ``checker.names`` into findings:

* ``check``: the article's own decisions (``names.decide``): every mention
  of a minority spelling, with the dominant spelling as suggestion, the
  dominant mentions as ``related``, and a fix whose applicability follows
  ``checker.names.policy`` (safe only with a 3:1 majority and a rare
  variant, or a spelling the registry lists);
* ``collect``: the document's plain-data table (``names.collect``);
* ``check_corpus``: ``names.reduce`` over every table, then
  ``names.corpus_decisions``: a linked entity spelled another way in
  other files, reported with an unsafe fix and ``data.cross_file``.
  It never reads a document: spans come from the tables, already in the
  decoded file's coordinates.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterator, Mapping

from ..findings import Edit, Finding, Fix, Related
from ..rule import Fixability, RuleContext, check_template
from ..schema import doc
from ..spans import Span
from ..kinds.base import KindRule

if TYPE_CHECKING:
    from ..document import Document
    from .decisions import Decision

__all__ = ["NameClusterRule", "NameClusterSpec", "NameClusterOptions"]

_PLACEHOLDERS = {"found", "expected", "count", "variant_count", "reason"}


@dataclass(frozen=True)
class NameClusterSpec:
    message: str = doc(
        "finding message: {found}, {expected}, {count} (mentions of the dominant spelling), {variant_count}, {reason}",
        "{found!r} is spelled {expected!r} {count} time(s) elsewhere in this article: one person or place, one spelling.",
    )
    corpus_message: str = doc(
        "cross-file message: {found}, {expected}, {count} (uses across the run), {variant_count}, {reason}",
        "{found!r} is spelled {expected!r} {count} time(s) across the checked files: one person or place, one spelling.",
    )
    registry_message: str = doc(
        "message when the names registry decides: {found}, {expected}",
        "{found!r}: the names registry spells this name {expected!r}.",
    )
    max_related: int = doc("how many dominant mentions a finding lists as related", 5)


@dataclass(frozen=True)
class NameClusterOptions:
    cross_file: bool = doc("when several files are checked, flag a name entity spelled another way in other files (anchored: see docs/names.md)", True)
    min_dominant: int = doc("the dominant spelling must occur at least this often in the article", 1)


def _registry(ctx: RuleContext) -> Any:
    reg = ctx.services.get("names:registry") if ctx.services else None
    if reg is None:
        from .registry import Registry

        reg = Registry.empty()
    return reg


class NameClusterRule(KindRule):
    """Flags minority spellings of a name (Hifter/Hafter when Haftar dominates)."""

    Spec = NameClusterSpec
    Options = NameClusterOptions
    needs: frozenset[str] = frozenset({"names", "names:registry"})
    fixable = Fixability.ALWAYS
    corpus = True

    def prepare(self, base_dir: Path) -> None:
        check_template(self.spec.message, _PLACEHOLDERS, "message")
        check_template(self.spec.corpus_message, _PLACEHOLDERS, "corpus-message")
        check_template(self.spec.registry_message, _PLACEHOLDERS, "registry-message")

    def _finding(self, ctx: RuleContext, d: "Decision", span: Span, found: str, template: str,
                 related: tuple[Related, ...] = (), **data: Any) -> Finding:
        values = {"found": found, "expected": d.expected, "count": d.head_count, "variant_count": d.variant_count, "reason": d.reason}
        return ctx.finding(
            span,
            template.format_map(values),
            suggestions=(d.expected,),
            fix=Fix(f"Replace with {d.expected!r}", (Edit(span, d.expected),), d.applicability),
            related=related,
            data={"dominant": d.expected, "dominant_count": d.head_count, "variant_count": d.variant_count,
                  "reason": d.reason, "scope": d.scope, **data},
        )

    def check(self, doc: "Document", ctx: RuleContext) -> Iterator[Finding]:
        from . import decide

        decisions, _ = decide(doc, _registry(ctx), min_dominant=getattr(ctx.options, "min_dominant", 1))
        for d in decisions:
            template = self.spec.message if d.scope in ("article",) else self.spec.registry_message
            related = tuple(Related(s, f"dominant spelling {d.expected!r}") for s in d.related[: self.spec.max_related])
            for span in d.spans:
                yield self._finding(ctx, d, span, doc.text[span.start : span.end], template, related)

    # -- across files ------------------------------------------------------------
    def collect(self, doc: "Document", ctx: RuleContext) -> dict[str, Any]:
        if not getattr(ctx.options, "cross_file", True):
            return {}
        from . import collect

        return collect(doc, _registry(ctx), min_dominant=getattr(ctx.options, "min_dominant", 1))

    def check_corpus(self, tables: Mapping[str, Mapping[str, Any]], ctx: RuleContext) -> dict[str, list[Finding]]:
        from . import corpus_decisions, reduce

        ctx = replace(ctx, doc=None)  # no document in the cross-file phase: the engine fills in the text
        decided = corpus_decisions(reduce(tables, _registry(ctx)), tables)
        out: dict[str, list[Finding]] = {}
        for path in sorted(decided):
            for d in decided[path]:
                others = ", ".join(d.head_files[:3])
                for span in d.spans:
                    out.setdefault(path, []).append(self._finding(
                        ctx, d, span, d.found, self.spec.corpus_message,
                        cross_file=True, dominant_files=others, evidence=d.evidence,
                    ))
        return out
