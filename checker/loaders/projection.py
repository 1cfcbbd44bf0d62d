"""Building a prose projection of a marked-up file, with its source map.

The Markdown and HTML loaders walk their parse and hand pieces of prose to a
``Projection``: verbatim runs (copied character for character from the raw
file), replacement runs (an entity or escape: the projected text stands for
the whole raw run), and inserted text (the blank line between two blocks, a
space for a line break) that maps to the end of the preceding run.  The
result is ``Document.text``, the ``SourceMap`` segments and one paragraph
span per block, so every offset a rule reports leads back to the exact raw
line and column without re-searching the text.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from ..spans import SourceMap, Span

if TYPE_CHECKING:
    from ..document import Document

__all__ = ["Projection", "URL_RE"]

#: bare URLs and e-mail addresses in prose: not checked (issue 5)
URL_RE = re.compile(
    r"(?:\b(?:https?|ftp)://|\bwww\.)[^\s<>\"'\])]+(?:\([^\s<>\"')]*\)[^\s<>\"'\])]*)*"
    r"|\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b"
)
_TRAILING = ".,;:!?"
#: whitespace a browser collapses (a lone plain space is left as it is)
_WS = re.compile(r"[ \t\r\n\f]{2,}|[\t\r\n\f]|\s(?<! )")


class Projection:
    """Accumulates blocks of projected prose and their raw origins."""

    def __init__(self, *, collapse_whitespace: bool = False) -> None:
        self._parts: list[str] = []
        self._len = 0
        self._segments: list[tuple[int, int, int, bool, int]] = []
        self._paragraphs: list[Span] = []
        self._headings: list[Span] = []
        self._masked: list[Span] = []
        self._items: list[Span] = []
        self._in_item = False  # the current block is a list item or table cell in the source
        self._heading = False  # the current block is a heading in the source
        self._block_start: int | None = None
        self._collapse = collapse_whitespace
        self._last = ""  # last projected character of the current block

    # -- low level ---------------------------------------------------------
    def _emit(self, text: str, raw_start: int | None, raw_len: int, verbatim: bool) -> None:
        if not text:
            return
        if self._block_start is None:
            if self._parts:
                self._parts.append("\n\n")
                self._len += 2
            self._block_start = self._len
        if raw_start is not None:
            segs = self._segments
            last = segs[-1] if segs else None
            if (
                verbatim
                and last is not None
                and last[3]
                and last[0] + last[2] == self._len
                and last[1] + last[4] == raw_start
            ):
                # contiguous verbatim runs merge: fewer segments, faster lookups
                segs[-1] = (last[0], last[1], last[2] + len(text), True, last[4] + len(text))
            else:
                segs.append((self._len, raw_start, len(text), verbatim, raw_len))
        self._parts.append(text)
        self._len += len(text)
        self._last = text[-1]

    # -- public ------------------------------------------------------------
    def verbatim(self, text: str, raw_start: int) -> None:
        """Prose copied as-is from ``raw[raw_start:raw_start+len(text)]``."""
        if not self._collapse:
            self._emit(text, raw_start, len(text), True)
            return
        # HTML: whitespace runs show as one space; single spaces stay verbatim
        pos = 0
        if self._block_start is None or self._last.isspace():
            while pos < len(text) and text[pos].isspace():
                pos += 1
        for m in _WS.finditer(text, pos):
            if m.start() > pos:
                self._emit(text[pos : m.start()], raw_start + pos, m.start() - pos, True)
            self.space(raw_start + m.start(), m.end() - m.start())
            pos = m.end()
        if pos < len(text):
            self._emit(text[pos:], raw_start + pos, len(text) - pos, True)

    def prose(self, text: str, raw_start: int, *, skip_urls: bool = True) -> None:
        """Verbatim prose with bare URLs and e-mail addresses left out."""
        if not skip_urls or ("://" not in text and "www." not in text and "@" not in text):
            self.verbatim(text, raw_start)
            return
        pos = 0
        for m in URL_RE.finditer(text):
            end = m.end()
            while end > m.start() and text[end - 1] in _TRAILING:
                end -= 1
            if m.start() > pos:
                self.verbatim(text[pos : m.start()], raw_start + pos)
            self.placeholder("link", raw_start + m.start(), end - m.start())
            pos = end
        if pos < len(text):
            self.verbatim(text[pos:], raw_start + pos)

    def replacement(self, text: str, raw_start: int, raw_len: int) -> None:
        """``text`` stands for the raw run (an entity, an escape)."""
        if self._collapse and text.isspace():
            self.space(raw_start, raw_len)
            return
        self._emit(text, raw_start, raw_len, False)

    def placeholder(self, word: str, raw_start: int, raw_len: int) -> None:
        """A neutral word for skipped content (code, a URL) so prose still reads.

        The word is *masked*: it is never a word of the author's text, so a
        finding that begins or ends on it is dropped (``Document.masks``).
        """
        self._emit(word, raw_start, raw_len, False)
        self._masked.append(Span(self._len - len(word), self._len))

    def space(self, raw_start: int | None = None, raw_len: int = 0) -> None:
        """A word break (a line break, whitespace run); never doubled, never leading."""
        if self._block_start is None or self._last.isspace():
            return
        if raw_start is None:
            self._emit(" ", None, 0, False)
        else:
            self._emit(" ", raw_start, raw_len, raw_len == 1)

    def end_block(self) -> None:
        """Close the current block: its span (without trailing blanks) is one paragraph."""
        if self._block_start is None:
            return
        text = "".join(self._parts)
        end = self._len
        while end > self._block_start and text[end - 1].isspace():
            end -= 1
        if end > self._block_start:
            self._paragraphs.append(Span(self._block_start, end))
            if self._heading:
                self._headings.append(Span(self._block_start, end))
            if self._in_item:
                self._items.append(Span(self._block_start, end))
        self._block_start = None
        self._last = ""

    def heading(self, on: bool = True) -> None:
        """Mark the block being built as a heading (the source says so: ``#``, ``<h2>``)."""
        self._heading = on

    def item(self, on: bool = True) -> None:
        """Mark the blocks being built as list items or table cells (Markdown ``-``/``|``, HTML ``<li>``/``<td>``)."""
        self._in_item = on

    @property
    def items(self) -> tuple[Span, ...]:
        """Paragraph spans that the source marks as list items or table cells."""
        return tuple(self._items)

    @property
    def headings(self) -> tuple[Span, ...]:
        """Paragraph spans that the source marks as headings."""
        return tuple(self._headings)

    @property
    def masked(self) -> tuple[Span, ...]:
        """Spans of placeholder words (inline code, URLs): not the author's words."""
        return tuple(self._masked)

    def result(self) -> tuple[str, SourceMap, tuple[Span, ...]]:
        self.end_block()
        return "".join(self._parts), SourceMap(self._segments), tuple(self._paragraphs)


def line_starts(raw: str) -> list[int]:
    """Offsets where each ``\\n``-separated line begins (as parsers count lines)."""
    starts = [0]
    find = raw.find
    i = find("\n")
    while i >= 0:
        starts.append(i + 1)
        i = find("\n", i + 1)
    return starts


def projected_document(source: Any, fmt: str, text: str, smap: SourceMap, paragraphs: tuple[Span, ...],
                       headings: tuple[Span, ...], metadata: dict[str, Any], masked: tuple[Span, ...] = (),
                       items: tuple[Span, ...] = ()) -> "Document":
    """The ``Document`` of a projected source: prose, its source map and its blocks."""
    from ..document import Document

    return Document(
        text,
        path=source.path,
        raw=source.text,
        source_map=smap,
        format=fmt,
        metadata=metadata,
        paragraph_spans=paragraphs,
        heading_spans=headings,
        masked_spans=masked,
        item_spans=items,
    )


def doc_metadata(**kw: Any) -> dict[str, Any]:
    return {k: v for k, v in kw.items() if v not in (None, "", {}, ())}
