"""The document model: one file, decoded once, with views computed on demand.

Every view is a tuple of spans (or tokens) over ``Document.text``, computed
lazily the first time a rule reads it and then shared by every rule.  Rules
must not re-split or re-tokenize; if a rule needs a new view, it belongs here.
"""

from __future__ import annotations

import bisect
from functools import cached_property
from types import MappingProxyType
from typing import Any, Mapping, Sequence

from .spans import IDENTITY, LineIndex, SourceMap, Span
from .text import QuoteMark, Token, WordRuns, find_quote_marks, find_quotations, split_paragraphs, split_sentences, tokenize

__all__ = ["Document"]


class Document:
    """One article as mtlint sees it.

    ``raw`` is the decoded file (UTF-8, BOM removed, newlines untouched);
    ``text`` is what rules check: the same string for plain text, the prose
    projection for Markdown and HTML, with ``source_map`` leading back to raw.
    """

    def __init__(
        self,
        text: str,
        *,
        path: str = "<text>",
        raw: str | None = None,
        source_map: SourceMap = IDENTITY,
        format: str = "text",
        metadata: Mapping[str, Any] | None = None,
        paragraph_spans: Sequence[Span] | None = None,
        heading_spans: Sequence[Span] = (),
        masked_spans: Sequence[Span] = (),
        item_spans: Sequence[Span] = (),
        lang: str = "en",
    ) -> None:
        self.path = path
        self.text = text
        self.raw = text if raw is None else raw
        self.source_map = source_map
        self.format = format
        self.lang = lang
        self.metadata: Mapping[str, Any] = MappingProxyType(dict(metadata or {}))
        self._paragraph_spans = tuple(paragraph_spans) if paragraph_spans is not None else None
        #: paragraphs the source itself marks as headings (Markdown ``#``, HTML ``<h2>``);
        #: empty for plain text, where only the words can tell
        self.headings: tuple[Span, ...] = tuple(heading_spans)
        #: placeholder words standing for content that is not prose (Markdown inline
        #: code, bare URLs: "code", "link"); sorted, never words of the author's text
        self.masked: tuple[Span, ...] = tuple(masked_spans)
        #: paragraphs the source marks as list items or table cells (Markdown ``-``,
        #: ``1.``, ``|``; HTML ``<li>``, ``<td>``): entries, not paragraphs of prose
        self.items: tuple[Span, ...] = tuple(item_spans)

    def __repr__(self) -> str:
        return f"Document(path={self.path!r}, format={self.format!r}, chars={len(self.text)})"

    # -- views ---------------------------------------------------------------
    @cached_property
    def line_index(self) -> LineIndex:
        """Line/column index over ``raw`` (what the user's editor shows)."""
        return LineIndex(self.raw)

    @cached_property
    def paragraphs(self) -> tuple[Span, ...]:
        if self._paragraph_spans is not None:
            return self._paragraph_spans
        return tuple(split_paragraphs(self.text, single_newline_breaks=self.format == "text"))

    @cached_property
    def sentences(self) -> tuple[Span, ...]:
        return tuple(split_sentences(self.text, list(self.paragraphs)))

    @cached_property
    def tokens(self) -> tuple[Token, ...]:
        return tuple(tokenize(self.text))

    @cached_property
    def words(self) -> tuple[Token, ...]:
        return tuple(t for t in self.tokens if t.kind == "word")

    @cached_property
    def word_count(self) -> int:
        return sum(1 for t in self.tokens if t.kind != "punct")

    @cached_property
    def word_runs(self) -> WordRuns | None:
        """Runs of word characters of the lower-cased text (phrase-list matching);
        None when lower-casing changes the text's length ("İ")."""
        low = self.text.lower()
        return WordRuns(low) if len(low) == len(self.text) else None

    @cached_property
    def quotations(self) -> tuple[Span, ...]:
        return tuple(find_quotations(self.text, list(self.paragraphs)))

    @cached_property
    def quote_marks(self) -> tuple[QuoteMark, ...]:
        """Every double quotation mark with its role (``checker.text.QuoteMark``)."""
        return tuple(find_quote_marks(self.text, list(self.paragraphs)))

    @cached_property
    def sentence_starts(self) -> frozenset[int]:
        """Indices of tokens that open a sentence (after any opening quotes)."""
        starts = set()
        toks = self.tokens
        tstarts = self._token_starts
        for s in self.sentences:
            i = bisect.bisect_left(tstarts, s.start)
            while i < len(toks) and toks[i].start < s.end and toks[i].kind == "punct":
                i += 1
            if i < len(toks) and toks[i].start < s.end:
                starts.add(i)
        return frozenset(starts)

    @cached_property
    def names(self) -> tuple[Any, ...]:
        """Candidate proper-name mentions (see ``checker.names``)."""
        from .names.extract import extract

        return extract(self)

    @cached_property
    def readability(self) -> Any:
        """Readability numbers per article and paragraph (see ``checker.readability``)."""
        from .readability import measure

        return measure(self)

    @cached_property
    def readability_metrics(self) -> dict[str, Any]:
        """``readability`` as the JSON-ready ``metrics.readability`` object (once per
        document: the readability rules, RD001 and RD002, each report it)."""
        return self.readability.as_metrics(self)

    # -- lookups ---------------------------------------------------------------
    @cached_property
    def _token_starts(self) -> list[int]:
        return [t.start for t in self.tokens]

    @cached_property
    def _quote_starts(self) -> list[int]:
        return [q.start for q in self.quotations]

    @cached_property
    def _sentence_starts_offsets(self) -> list[int]:
        return [s.start for s in self.sentences]

    @cached_property
    def _paragraph_starts(self) -> list[int]:
        return [p.start for p in self.paragraphs]

    def tokens_in(self, span: Span) -> Sequence[Token]:
        """Tokens that lie inside ``span``."""
        starts = self._token_starts
        i = bisect.bisect_left(starts, span.start)
        j = bisect.bisect_left(starts, span.end)
        toks = self.tokens
        while j > i and toks[j - 1].end > span.end:
            j -= 1
        return toks[i:j]

    def token_at(self, offset: int) -> Token | None:
        starts = self._token_starts
        i = bisect.bisect_right(starts, offset) - 1
        if i >= 0 and self.tokens[i].start <= offset < self.tokens[i].end:
            return self.tokens[i]
        return None

    def in_quotation(self, span: Span) -> bool:
        """True when ``span`` lies inside a quotation (quotation marks included)."""
        i = bisect.bisect_right(self._quote_starts, span.start) - 1
        return i >= 0 and self.quotations[i].contains(span)

    def masks(self, span: Span) -> bool:
        """True when a finding on ``span`` is about a placeholder, not the author's
        words: a masked span is its first or last word ("code code" after
        "`SAVE20` code").  A placeholder inside a longer span (a sentence with
        inline code in it) does not mask the span."""
        if not self.masked:
            return False
        lo = bisect.bisect_right(self._masked_ends, span.start)
        hi = bisect.bisect_left(self._masked_starts, span.end)
        if lo >= hi:
            return False
        first, last = self.masked[lo], self.masked[hi - 1]
        text = self.text
        sentence = self.sentence_at(span.start)
        if sentence is not None and span.start <= sentence.start and span.end >= sentence.end:
            return False  # a claim about a whole sentence (its length, say) stands
        return not any(c.isalnum() for c in text[span.start : first.start]) or not any(c.isalnum() for c in text[last.end : span.end])

    @cached_property
    def _masked_starts(self) -> list[int]:
        return [m.start for m in self.masked]

    @cached_property
    def _masked_ends(self) -> list[int]:
        return [m.end for m in self.masked]

    def _containing(self, starts: list[int], spans: Sequence[Span], offset: int) -> Span | None:
        i = bisect.bisect_right(starts, offset) - 1
        if i >= 0 and spans[i].start <= offset <= spans[i].end:
            return spans[i]
        return None

    def sentence_at(self, offset: int) -> Span | None:
        return self._containing(self._sentence_starts_offsets, self.sentences, offset)

    def paragraph_at(self, offset: int) -> Span | None:
        return self._containing(self._paragraph_starts, self.paragraphs, offset)

    def excerpt(self, span: Span, width: int = 30) -> tuple[str, str]:
        """Up to ``width`` characters of context before and after ``span``."""
        return self.text[max(0, span.start - width) : span.start], self.text[span.end : span.end + width]

    # -- coordinates -----------------------------------------------------------
    def to_raw(self, span: Span) -> Span:
        return span if self.source_map.is_identity else self.source_map.span_to_raw(span)
