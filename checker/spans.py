"""One coordinate system for every position mtlint reports.

Rules see ``Document.text`` and report ``Span``s of absolute character offsets
into it.  For plain text that *is* the decoded file; for Markdown and HTML the
text is a projection and a ``SourceMap`` carries each offset back to the
decoded file.  ``LineIndex`` turns decoded-file offsets into 1-based
line/column pairs, once per file, with a bisect over line starts.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from typing import Iterable, Sequence

__all__ = ["Span", "LineIndex", "SourceMap", "IDENTITY"]


@dataclass(frozen=True, slots=True, order=True)
class Span:
    """Half-open ``[start, end)`` range of character offsets."""

    start: int
    end: int

    def __post_init__(self) -> None:
        if self.start < 0 or self.end < self.start:
            raise ValueError(f"invalid span [{self.start}, {self.end})")

    def __len__(self) -> int:
        return self.end - self.start

    def contains(self, other: "Span") -> bool:
        return self.start <= other.start and other.end <= self.end

    def overlaps(self, other: "Span") -> bool:
        if self.start == self.end or other.start == other.end:
            # empty spans (insertion points) overlap what they sit inside
            return self.start <= other.end and other.start <= self.end and (
                self.start < other.end or other.start < self.end or self.start == other.start
            )
        return self.start < other.end and other.start < self.end

    def shift(self, delta: int) -> "Span":
        return Span(self.start + delta, self.end + delta)

    def slice(self, text: str) -> str:
        return text[self.start : self.end]


_LINE_BREAK = re.compile(r"\r\n|\r|\n")


class LineIndex:
    """Maps character offsets of one text to 1-based (line, column).

    Line breaks are ``\\n``, ``\\r\\n`` and a lone ``\\r``, as editors count them.
    Columns count characters (code points), not bytes or UTF-16 units.
    """

    __slots__ = ("_starts", "_length")

    def __init__(self, text: str) -> None:
        starts = [0]
        starts.extend(m.end() for m in _LINE_BREAK.finditer(text))
        self._starts = starts
        self._length = len(text)

    @property
    def line_count(self) -> int:
        return len(self._starts)

    def line_col(self, offset: int) -> tuple[int, int]:
        if offset < 0 or offset > self._length:
            raise ValueError(f"offset {offset} outside text of length {self._length}")
        line = bisect.bisect_right(self._starts, offset) - 1
        return line + 1, offset - self._starts[line] + 1

    def line_start(self, line: int) -> int:
        """Offset of the first character of 1-based ``line``."""
        return self._starts[line - 1]

    def line_span(self, line: int, text: str) -> Span:
        """Span of 1-based ``line`` without its line break."""
        start = self._starts[line - 1]
        end = self._starts[line] if line < len(self._starts) else self._length
        while end > start and text[end - 1] in "\r\n":
            end -= 1
        return Span(start, end)


@dataclass(frozen=True, slots=True)
class _Segment:
    text_start: int
    raw_start: int
    length: int
    verbatim: bool  # False: the text run stands for the whole raw run (an entity, say)
    raw_length: int


class SourceMap:
    """Maps offsets in a projected text back to offsets in the raw source.

    Built from segments: a *verbatim* segment copies a raw run character for
    character; a *replacement* segment stands for a raw run of another length
    (``&amp;`` → ``&``), and any offset inside it maps to the whole raw run.
    Offsets between segments (text the projection inserted, such as the blank
    line between two HTML paragraphs) map to the end of the preceding segment.
    """

    __slots__ = ("_segments", "_text_starts")

    def __init__(self, segments: Iterable[tuple[int, int, int, bool, int]] = ()) -> None:
        segs = sorted((_Segment(*s) for s in segments), key=lambda s: s.text_start)
        self._segments: Sequence[_Segment] = segs
        self._text_starts = [s.text_start for s in segs]

    @property
    def is_identity(self) -> bool:
        return not self._segments

    def to_raw(self, offset: int, *, end: bool = False) -> int:
        """Raw offset for a text offset; ``end=True`` for the end of a span."""
        if not self._segments:
            return offset
        i = bisect.bisect_right(self._text_starts, offset) - 1
        if end and i >= 0 and offset == self._segments[i].text_start and i > 0:
            # the end of a span that stops exactly where a segment begins
            # belongs to the previous segment
            i -= 1
        if i < 0:
            return self._segments[0].raw_start
        seg = self._segments[i]
        rel = offset - seg.text_start
        if rel >= seg.length:
            return seg.raw_start + seg.raw_length
        if seg.verbatim:
            return seg.raw_start + rel
        return seg.raw_start + (seg.raw_length if end and rel > 0 else 0)

    def span_to_raw(self, span: Span) -> Span:
        start = self.to_raw(span.start)
        end = self.to_raw(span.end, end=True) if span.end > span.start else start
        return Span(start, max(start, end))


IDENTITY = SourceMap()
