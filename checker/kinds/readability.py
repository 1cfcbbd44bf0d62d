"""``readability``: outlier sentences and paragraphs, and the file's metrics.

Both readability rules read the shared ``Document.readability`` view (so
the numbers are computed once) and put the same ``readability`` object in
the file's metrics.  ``measure: sentence-length`` reports sentences longer
than ``max-words``; ``measure: paragraph-ease`` reports paragraphs of at
least ``min-words`` words whose Flesch reading ease is below ``min-ease``.
Newsroom defaults are set so that only unusual outliers are reported
(calibrated on edited news, see docs/grammar.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterator, Literal

from ..findings import Finding
from ..rule import RuleContext, check_template
from ..schema import doc
from .base import KindRule

if TYPE_CHECKING:
    from ..document import Document

__all__ = ["ReadabilityRule", "ReadabilitySpec", "ReadabilityOptions"]


@dataclass(frozen=True)
class ReadabilitySpec:
    measure: Literal["sentence-length", "paragraph-ease"] = doc("what the rule reports")
    message: str = doc("message: {words}, {limit}, {ease}, {grade}", "")


@dataclass(frozen=True)
class ReadabilityOptions:
    max_words: int = doc("sentence-length: longest sentence (in words) not reported", 55)
    min_ease: float = doc("paragraph-ease: lowest Flesch reading ease not reported", 0.0)
    min_words: int = doc("paragraph-ease: shorter paragraphs are not judged", 60)


class ReadabilityRule(KindRule):
    Spec = ReadabilitySpec
    Options = ReadabilityOptions
    needs: frozenset[str] = frozenset({"sentences", "paragraphs", "tokens"})

    def prepare(self, base_dir: Path) -> None:
        check_template(self.spec.message or self.meta.summary, {"words", "limit", "ease", "grade"}, "message")

    def warm(self) -> None:
        """The syllable table and hyphenation patterns the document's readability view reads."""
        from ..readability import warm

        warm()

    def metrics(self, doc: "Document", ctx: RuleContext) -> dict[str, Any]:
        return {"readability": doc.readability_metrics}

    def check(self, doc: "Document", ctx: RuleContext) -> Iterator[Finding]:
        r = doc.readability
        opts = ctx.options
        template = self.spec.message or self.meta.summary
        if self.spec.measure == "sentence-length":
            for span, n in r.sentence_lengths:
                if n > opts.max_words:
                    yield ctx.finding(span, template.format(words=n, limit=opts.max_words, ease="", grade=""),
                                      data={"words": n})
        else:
            for p in r.paragraphs:
                if p.words >= opts.min_words and p.ease < opts.min_ease:
                    yield ctx.finding(
                        p.span,
                        template.format(words=p.words, limit=opts.min_ease, ease=f"{p.ease:.1f}", grade=f"{p.grade:.1f}"),
                        data={"flesch_reading_ease": round(p.ease, 2), "flesch_kincaid_grade": round(p.grade, 2)},
                    )
