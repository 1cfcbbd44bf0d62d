"""Segmentation of English news text: paragraphs, sentences, tokens, quotes.

Pure functions over a string, returning spans of absolute offsets.  Only the
``Document`` calls them (once per view); rules read the views.  Regex-based on
purpose: it is fast (the engine budget is 300,000 words/s), deterministic and
needs no model download.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import accumulate, repeat
from typing import NamedTuple

from .spans import Span

__all__ = [
    "Token",
    "tokenize",
    "split_paragraphs",
    "split_sentences",
    "find_quotations",
    "ABBREVIATIONS",
    "DOUBLE_QUOTES",
    "QuoteMark",
    "find_quote_marks",
    "WordRuns",
    "canonical_gap",
]


class Token(NamedTuple):
    """A word, number or punctuation mark; ``index`` is its position in the document.

    A named tuple rather than a frozen dataclass: a document has one per word
    and punctuation mark, and a tuple is made three times faster."""

    start: int
    end: int
    text: str
    kind: str  # "word" | "number" | "punct"
    index: int

    @property
    def span(self) -> Span:
        return Span(self.start, self.end)

    @property
    def lower(self) -> str:
        return self.text.lower()

    @property
    def is_word(self) -> bool:
        return self.kind == "word"

    @property
    def is_capitalized(self) -> bool:
        return self.kind == "word" and self.text[:1].isupper()


_TOKEN_RE = re.compile(
    r"""
      (?P<acronym>(?:[A-Za-z]\.){2,12}(?![A-Za-z]))    # U.S.  U.N.  a.m.  (at most 12 letters: a longer
                                                        # chain would be retried from every letter, quadratically)
    | (?P<number>\d+(?:[.,:/]\d+)*(?:%|st|nd|rd|th)?(?![^\W\d_]))  # 146,000  5.2%  21st
    | (?P<word>[^\W_]+(?:['’][^\W_]+)*(?:-[^\W_]+(?:['’][^\W_]+)*)*)  # Haftar’s  year-long  al-Jarf
    | (?P<punct>[^\w\s])
    """,
    re.VERBOSE,
)
#: the same alternatives in one capturing group, for ``split``: the tokens and the
#: gaps between them, alternating, with no group per kind (a quarter of the regex's work)
_TOKEN_SPLIT = re.compile("(" + re.sub(r"\(\?P<\w+>", "(?:", _TOKEN_RE.pattern) + ")", re.VERBOSE)
#: a number token is exactly a token that starts with a digit and is all number
#: (if the number alternative fails where a token starts, the word it gives is not)
_NUMBER = re.compile(r"\d+(?:[.,:/]\d+)*(?:%|st|nd|rd|th)?")


def _kind(tok: str) -> str:
    """The kind of a token that does not start with a letter."""
    c = tok[0]
    if not c.isalnum():  # (a word or number starts with a word character, punctuation does not)
        return "punct"
    return "number" if c.isdecimal() and _NUMBER.fullmatch(tok) else "word"


def tokenize(text: str, offset: int = 0) -> list[Token]:
    """Tokens of ``text``; offsets are shifted by ``offset``.

    One ``split`` gives every token's text and the gaps between them
    (gap, token, gap, ..., gap: no match object per token), and the running
    sum of their lengths every token's start and end; the kind follows from
    the token's first character (and, after a digit, from whether the
    whole token is a number).  Tokens are the matches of ``_TOKEN_RE``
    exactly, with its kinds (an acronym is a word)."""
    parts = _TOKEN_SPLIT.split(text)
    offsets = list(accumulate(map(len, parts), initial=offset))
    toks = parts[1::2]
    kinds = ["word" if t[0].isalpha() else _kind(t) for t in toks]
    return list(map(tuple.__new__, repeat(Token), zip(offsets[1:-1:2], offsets[2::2], toks, kinds, range(len(toks)))))


_BLANK_LINES = re.compile(r"(?:\r\n|\r|\n)[ \t]*(?:(?:\r\n|\r|\n)[ \t]*)+")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def split_paragraphs(text: str, *, single_newline_breaks: bool = True) -> list[Span]:
    """Paragraph spans, trimmed of surrounding white space.

    Blank lines always separate paragraphs.  In plain text a single line break
    also does, unless the next line starts with a lower-case letter (a
    hard-wrapped sentence): news copy is usually one paragraph per line.
    """
    spans: list[Span] = []
    pos = 0
    blocks = []
    for m in _BLANK_LINES.finditer(text):
        blocks.append((pos, m.start()))
        pos = m.end()
    blocks.append((pos, len(text)))
    for start, end in blocks:
        if single_newline_breaks:
            sub_start = start
            for m in _LINE_BREAK.finditer(text, start, end):
                nxt = text[m.end() : m.end() + 1]
                if nxt and (nxt.islower() or nxt in ",;"):
                    continue
                spans.append(Span(sub_start, m.start()))
                sub_start = m.end()
            spans.append(Span(sub_start, end))
        else:
            spans.append(Span(start, end))
    out = []
    for sp in spans:
        s, e = sp.start, sp.end
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            out.append(Span(s, e))
    return out


#: Words that end with a full stop without ending a sentence.
ABBREVIATIONS = frozenset(
    """
    mr mrs ms dr prof sr jr st mt ft gen col lt maj capt cpt sgt cmdr adm brig cpl pvt
    gov sen rep pres supt insp det rev fr messrs mmes hon
    jan feb mar apr jun jul aug sep sept oct nov dec
    mon tue tues wed thu thur thurs fri sat sun
    no nos vol vols pp fig figs art sec ch ed eds est approx dept univ assn bros
    inc ltd co corp plc llc ave blvd rd hwy
    vs etc al cf ie eg viz
    """.split()
)

#: a run of sentence-ending marks (from its start only: a run of dots is one
#: candidate, not one per dot), closing quotes and brackets, then white space.
#: (``(?:\.{3}|…|[.!?])+``, the same language, backtracked exponentially over a
#: line of dots: 28 dots took 34 ms, each 4 more 7 times longer.)  The pattern
#: starts with the mark and looks back after it (not before it at every
#: position), so the regex engine scans for the marks at C speed; this is
#: ``(?<![.!?…])[.!?…]+`` exactly, three times faster.
_SENT_END = re.compile(r"[.!?…](?<![.!?…][.!?…])[.!?…]*[\"'”’»)\]]*(?=\s)")
_OPENERS = "\"'“‘«([¿¡"


def split_sentences(text: str, paragraphs: list[Span]) -> list[Span]:
    """Sentence spans inside each paragraph (a sentence never crosses one)."""
    out: list[Span] = []
    for para in paragraphs:
        start = para.start
        for m in _SENT_END.finditer(text, para.start, para.end):
            end = m.end()
            # what follows: skip white space
            j = end
            while j < para.end and text[j].isspace():
                j += 1
            if j >= para.end:
                break
            nxt = text[j]
            if not (nxt.isupper() or nxt.isdigit() or nxt in _OPENERS):
                continue
            mark = m.group()
            if mark.startswith(".") and not mark.startswith("..."):
                # the word before the full stop
                k = m.start()
                w = k
                while w > start and (text[w - 1].isalnum() or text[w - 1] == "."):
                    w -= 1
                word = text[w:k]
                low = word.lower().rstrip(".")
                if low in ABBREVIATIONS:
                    continue
                if len(word) == 1 and word.isupper():  # an initial: "George W. Bush"
                    continue
                if "." in word and len(word) <= 6 and word.replace(".", "").isalpha():
                    # dotted acronym ("U.S.") mid-sentence: a boundary only
                    # when the next word clearly starts a sentence
                    continue
            out.append(Span(start, end))
            start = j
        if para.end > start:
            out.append(Span(start, para.end))
    return out


DOUBLE_QUOTES = "\"“”„‟«»"
_DOUBLE_QUOTE = re.compile(f"[{DOUBLE_QUOTES}]")


def find_quotations(text: str, paragraphs: list[Span]) -> list[Span]:
    """Quoted-speech ranges, marks included.

    Double quotation marks pair up inside each paragraph by alternation, so
    machine translation's reversed curly quotes (” … “) still delimit speech.
    An unclosed quote runs to the end of its paragraph (news style for
    multi-paragraph quotes).  Single curly quotes pair when ‘ opens at a word
    start and a ’ closes before a non-letter, so apostrophes are not quotes.
    """
    out: list[Span] = []
    for para in paragraphs:
        open_at = -1
        for m in _DOUBLE_QUOTE.finditer(text, para.start, para.end):
            i = m.start()
            if open_at < 0:
                open_at = i
            else:
                out.append(Span(open_at, i + 1))
                open_at = -1
        if open_at >= 0:
            out.append(Span(open_at, para.end))
        # single quotes
        i = para.start
        while True:
            i = text.find("‘", i, para.end)
            if i < 0:
                break
            if i > para.start and text[i - 1].isalnum():
                i += 1
                continue
            j = i + 1
            close = -1
            while True:
                j = text.find("’", j, para.end)
                if j < 0:
                    break
                after = text[j + 1 : j + 2]
                if not after.isalpha():
                    close = j
                    break
                j += 1
            if close < 0:
                break
            out.append(Span(i, close + 1))
            i = close + 1
    out.sort()
    return out


# -- quotation marks, one by one (typography rules read this view) -----------

@dataclass(frozen=True, slots=True)
class QuoteMark:
    """One double quotation mark and the role it plays in its paragraph.

    ``glyph`` is what the character says (``open`` for “, ``close`` for ”,
    ``neutral`` for a straight "); ``role`` is what the mark does, worked
    out from the alternation of marks in the paragraph and their context.
    ``partner`` is the offset of the mark it pairs with, or -1 when it pairs
    with none (an unclosed or stray mark).  ``continued`` marks an opener
    left open on purpose because the quotation goes on in a re-opened
    quotation (news style for multi-paragraph quotes).
    """

    pos: int
    char: str
    glyph: str
    role: str
    partner: int
    continued: bool
    paragraph: int

    @property
    def reversed(self) -> bool:
        return self.glyph != "neutral" and self.glyph != self.role


_DQ_RE = re.compile('["“”]')
_OPEN_BEFORE = "([{—–-/"
_CLOSE_AFTER = ".,;:!?)]—–-…"
_SENTENCE_END = ".?!…:"


def find_quote_marks(text: str, paragraphs: list[Span]) -> list[QuoteMark]:
    """Every double quotation mark with its role (see ``QuoteMark``).

    Within a paragraph marks alternate open/close, whatever their glyph, so
    machine translation's reversed marks (” … “) get the role they play.
    Two exceptions keep real news style balanced: a mark that follows a
    full stop and a space and sits against a capital while a quotation is
    open re-opens it (a multi-paragraph quote run into one paragraph); and
    a quotation left open at the end of a paragraph may close with a closing
    mark that pairs with nothing in the next paragraph that has marks (a
    quote split over lines).  A mark that looks like an opener inside a
    quotation, is followed by a closer and leaves an odd number of marks to
    the end of the paragraph (nested pairs plus the outer closer) opens a
    nested quotation.
    """
    marks: list[dict] = []
    carry: int | None = None  # an opener left open, waiting for a closer

    def contexts(i: int, para: Span) -> tuple[bool, bool]:
        before = text[i - 1] if i > para.start else ""
        after = text[i + 1] if i + 1 < para.end else ""
        # a mark that ends its paragraph can only close something
        closer_ctx = not after or (bool(before) and not before.isspace() and before not in _OPEN_BEFORE and (after.isspace() or after in _CLOSE_AFTER))
        opener_ctx = (not before or before.isspace() or before in _OPEN_BEFORE) and bool(after) and not after.isspace() and after not in _CLOSE_AFTER
        return closer_ctx, opener_ctx

    for pi, para in enumerate(paragraphs):
        open_idx: int | None = None
        outer: list[int] = []  # openers of quotations that enclose a nested one
        first = True
        positions = [m.start() for m in _DQ_RE.finditer(text, para.start, para.end)]
        for n, i in enumerate(positions):
            ch = text[i]
            glyph = "open" if ch == "“" else "close" if ch == "”" else "neutral"
            before = text[i - 1] if i > para.start else ""
            after = text[i + 1] if i + 1 < para.end else ""
            closer_ctx, opener_ctx = contexts(i, para)
            first = False
            if open_idx is None:
                if glyph != "open" and closer_ctx and carry is not None:
                    # closes the quotation left open in an earlier paragraph
                    marks[carry]["partner"] = i
                    marks.append(dict(pos=i, char=ch, glyph=glyph, role="close", partner=marks[carry]["pos"], continued=False, paragraph=pi))
                    carry = None
                    continue
                if ch == '"' and closer_ctx and before.isdigit():
                    continue  # nothing open: an inch or seconds sign (a 6.1" screen), not a quote
                if glyph != "open" and closer_ctx:
                    # a closing mark with nothing open: a stray closer
                    marks.append(dict(pos=i, char=ch, glyph=glyph, role="close", partner=-1, continued=False, paragraph=pi))
                    continue
                open_idx = len(marks)
                marks.append(dict(pos=i, char=ch, glyph=glyph, role="open", partner=-1, continued=False, paragraph=pi))
                continue
            # a quotation is open: a closer, unless it re-opens after a full stop
            j = i - 1
            while j >= para.start and text[j].isspace():
                j -= 1
            while j > para.start and text[j] in "'’)":
                j -= 1  # "... ridiculous.' "But": a nested quotation ends the sentence
            prev = text[j] if j >= para.start else ""
            if glyph != "close" and opener_ctx and before.isspace() and prev in _SENTENCE_END and (after.isupper() or after.isdigit() or after in "‘'"):
                marks[open_idx]["continued"] = True
                open_idx = len(marks)
                marks.append(dict(pos=i, char=ch, glyph=glyph, role="open", partner=-1, continued=False, paragraph=pi))
                continue
            if (
                glyph != "close"
                and opener_ctx
                and n + 1 < len(positions)
                and text[positions[n + 1]] != "“"
                and contexts(positions[n + 1], para)[0]
                and (len(positions) - n) % 2 == 1
            ):
                # followed by a closer, and an odd number of marks from here
                # on: nested pairs plus the outer closer
                # a quotation nested in double marks: 'did not "frame" Huawei," the bank said'
                outer.append(open_idx)
                open_idx = len(marks)
                marks.append(dict(pos=i, char=ch, glyph=glyph, role="open", partner=-1, continued=False, paragraph=pi))
                continue
            marks[open_idx]["partner"] = i
            marks.append(dict(pos=i, char=ch, glyph=glyph, role="close", partner=marks[open_idx]["pos"], continued=False, paragraph=pi))
            open_idx = outer.pop() if outer else None
        if not first:
            carry = None  # the paragraph with marks after an unclosed one did not close it
        if open_idx is not None:
            # news style: the next paragraph re-opens the quotation
            nxt = paragraphs[pi + 1] if pi + 1 < len(paragraphs) else None
            if nxt is not None and text[nxt.start] in "\"“":
                marks[open_idx]["continued"] = True
            else:
                carry = open_idx
    return [QuoteMark(**d) for d in marks]


# -- word runs: the units phrase lists are matched on --------------------------

_RUN_SPLIT = re.compile(r"(\w+)")
_GAP_WS = re.compile(r"\s+")
_GAP_MAP = str.maketrans({"’": "'", "‐": "-", "‑": "-"})


def canonical_gap(gap: str) -> str:
    """A run of non-word characters as a phrase list spells it: white space
    collapsed to one space, ’ as ', the hyphen characters as -."""
    if gap == " ":
        return gap
    return _GAP_WS.sub(" ", gap).translate(_GAP_MAP)


class WordRuns:
    """The maximal runs of word characters (``\\w+``) of a lower-cased text.

    Phrase lists (``checker.phrases.PhraseMatcher``) are matched run
    by run: a listed phrase can only start where its first word is a whole
    run, so a document is looked at only where it contains a listed first
    word, whatever the size of the list.  ``text`` is the lower-cased text;
    its offsets are the document's own (``Document.word_runs`` is None when
    lower-casing changes the length, as for "İ").
    """

    __slots__ = ("text", "starts", "ends", "words", "_index")

    def __init__(self, low: str) -> None:
        self.text = low
        # one split gives the runs and the gaps between them, alternating
        # (gap, run, gap, ..., gap; ``\W`` is exactly what ``\w`` is not),
        # and the running sum of their lengths every run's start and end: no
        # match object per run (twice as fast as ``finditer``)
        parts = _RUN_SPLIT.split(low)
        offsets = list(accumulate(map(len, parts), initial=0))
        self.starts, self.ends, self.words = offsets[1:-1:2], offsets[2::2], parts[1::2]
        self._index: dict[str, list[int]] | None = None

    def __len__(self) -> int:
        return len(self.words)

    @property
    def index(self) -> dict[str, list[int]]:
        """``word -> positions`` (run indices, ascending), built on first use."""
        if self._index is None:
            index: dict[str, list[int]] = {}
            for i, w in enumerate(self.words):
                lst = index.get(w)
                if lst is None:
                    index[w] = [i]
                else:
                    lst.append(i)
            self._index = index
        return self._index

    def gap_before(self, i: int) -> str:
        """The non-word characters between run ``i - 1`` (or the text start) and run ``i``."""
        return self.text[self.ends[i - 1] if i else 0 : self.starts[i]]

    def gap_after(self, i: int) -> str:
        """The non-word characters between run ``i`` and run ``i + 1`` (or the text end)."""
        nxt = self.starts[i + 1] if i + 1 < len(self.starts) else len(self.text)
        return self.text[self.ends[i] : nxt]
