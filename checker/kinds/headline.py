"""``headline_stop``: a headline that ends with a full stop.

English news headlines take no full stop.  Machine translation translates a
title like any other segment and gives it one ("Singapore's tourism
industry rebounds strongly."), so a full stop after a headline is one of the
most regular tells of a translated article, whatever the source language.

The headline is the first Markdown/HTML heading when the source marks one up
at the top; in plain text it is the first paragraph when it reads like a
headline: one line, one sentence, at most ``max-words`` words, followed by
more text.  A short first paragraph can also be a one-sentence lede ("A man
has died in a fire in Leeds."), so the plain-text reading skips paragraphs
that open like a sentence of prose (an article or pronoun: ``lede-openers``)
or carry the auxiliaries of a news lede's past and perfect tenses
(``lede-words``: has, have, had, was, were), which headline grammar drops.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Iterator

from ..findings import Applicability, Edit, Finding, Fix
from ..rule import Fixability, RuleContext
from ..schema import doc
from ..spans import Span
from ..text import ABBREVIATIONS
from .base import KindRule

if TYPE_CHECKING:
    from ..document import Document

__all__ = ["HeadlineStopRule", "HeadlineStopSpec"]

# a full stop that ends an abbreviation or an initial ("Co.", "U.S.", "J.") is not a sentence stop
_COMPANY = frozenset({"co", "ltd", "inc", "corp", "plc", "llc", "bhd", "etc"})
_ABBREV_END = re.compile(r"(?:\b[A-Za-z]|\b(?:[A-Za-z]\.)+[A-Za-z])\.$")


@dataclass(frozen=True)
class HeadlineStopSpec:
    max_words: int = doc("longest first paragraph still read as a headline (plain text)", 20)
    lede_openers: tuple[str, ...] = doc("first words that make a short first paragraph a sentence of prose, not a headline", ())
    lede_words: tuple[str, ...] = doc("words that make a short first paragraph a lede (tense auxiliaries headline grammar drops)", ())


class HeadlineStopRule(KindRule):
    """The full stop at the end of a headline."""

    Spec = HeadlineStopSpec
    needs = frozenset({"paragraphs", "tokens"})
    fixable = Fixability.ALWAYS

    def prepare(self, base_dir: Path) -> None:
        self.openers = frozenset(w.lower() for w in self.spec.lede_openers)
        self.lede = frozenset(w.lower() for w in self.spec.lede_words)

    def _headline(self, doc: "Document") -> Span | None:
        paras = doc.paragraphs
        if len(paras) < 2:
            return None  # a headline is followed by the story
        first = paras[0]
        if doc.headings:
            # the source marks up its headings: only a heading at the top is the headline
            return first if first in set(doc.headings) else None
        if doc.format != "text":
            return None
        words = [t for t in doc.tokens_in(first) if t.kind != "punct"]
        if not words or len(words) > self.spec.max_words:
            return None
        if words[0].lower in self.openers or any(w.lower in self.lede for w in words):
            return None
        return first

    def check(self, doc: "Document", ctx: RuleContext) -> Iterator[Finding]:
        span = self._headline(doc)
        if span is None:
            return
        text = doc.text[span.start : span.end].rstrip()
        if "\n" in text or not text.endswith(".") or text.endswith(("..", "…")):
            return
        body = text[:-1]
        if re.search(r"[.!?][\"”’']?\s+[A-Z\"“]", body):
            return  # two sentences: prose, not a headline
        last = text.rsplit(None, 1)[-1]
        word = last.rstrip(".").lower()
        if _ABBREV_END.search(last) or word in ABBREVIATIONS or word in _COMPANY:
            return
        stop = Span(span.start + len(text) - 1, span.start + len(text))
        yield ctx.finding(
            stop,
            "A headline takes no full stop: delete it (machine translation renders a title as a sentence).",
            fix=Fix("Delete the full stop", (Edit(stop, ""),), Applicability.UNSAFE),
        )
