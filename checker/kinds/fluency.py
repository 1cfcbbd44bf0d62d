"""``fluency``: how much of a text's common word pairs English writers actually use.

Evidence: ``phrase-table`` (``rules/mt/phrase_pairs.bin.gz``, built by
``scripts/build_phrase_table.py`` from the web-text counts ``wordsegment``
ships) lists every pair of common English words ("the government",
"global warming") seen at least 100,000 times in about a trillion words.
Both words of a listed pair are among the ~14,000 most frequent, so a pair
of such words that is *not* listed ("worldwide warming", "the fabric to")
is one that fluent writers almost never put side by side.

An article spinner replaces words with dictionary synonyms and so breaks
the collocations of the text: on our development data (clean news spun with
a thesaurus by ``scripts/spin_text.py``) the share of unattested pairs rises
from about 25% to 33%, which sorts spun articles from their originals with
an ROC AUC near 0.9.  A single unattested pair is weak evidence (edited news
has thousands), so the rule measures, per document:

* ``metrics["fluency"]``: ``pairs`` (adjacent pairs of lower-case common
  words, not both function words), ``unattested`` and ``unattested_share``;
  ``words`` with ``diversity``, the text's lexical diversity
  (``lexical_diversity``); and ``of_rate``, occurrences of "of" per word
  (``of_rate``).  The article score reads them (``checker/score.py``).
* a finding (``info`` by default) only when the share is far above edited
  news (``report-share``, over at least ``min-pairs`` pairs), on the
  paragraph with the most unattested pairs, naming a few of them.

Looking up a phrase that *is* common next to a rare one ("global warming"
for "worldwide warming") was measured too, with a synonym table: with only
the 250,000 most frequent pairs it flags legitimate English ("first
minister", "low growth") about half as often as spun phrases, so it is not
used for findings (docs/evaluation.md).

Cost: one binary search in the first word's run of pairs per adjacent word
pair (``PairKeys``); the table (230,000 pairs, 530 kB gzipped, 0.9 MB in
memory) is read once per process, in ``warm()`` or on first use.
"""

from __future__ import annotations

import array
import gzip
from bisect import bisect_left
import json
import sys
import weakref
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterator

from ..findings import Finding
from ..rule import RuleContext
from ..schema import SchemaError, doc
from ..spans import Span
from .base import KindRule

if TYPE_CHECKING:
    from ..document import Document

__all__ = ["FluencyRule", "FluencySpec", "PairKeys", "PhraseTable", "alphabetic_words", "of_rate", "lexical_diversity", "load_phrase_table"]


class PairKeys:
    """Membership in the sorted array of pair keys ``(first << 16) | second``.

    Each first word's keys are a run of the array; ``starts[a]`` is where word
    ``a``'s run begins (``starts[a + 1]`` where it ends), so a lookup is a
    binary search in a run of a few dozen keys.  The offsets (14,000 binary
    searches, a few milliseconds) replace a set of the 230,000 keys, which took
    50 to 70 ms to build (every key boxed as an int) and 20 MB to hold, before
    workers forked; a lookup costs about 0.2 microseconds more than in the set."""

    __slots__ = ("keys", "starts")

    def __init__(self, keys: "array.array[int]", words: int) -> None:
        self.keys = keys  # sorted (the file format says so)
        starts = array.array("I", bytes(4 * (words + 2)))
        lo = 0
        for a in range(words + 1):
            lo = starts[a] = bisect_left(keys, a << 16, lo)
        starts[words + 1] = len(keys)
        self.starts = starts

    def __contains__(self, key: int) -> bool:
        a = key >> 16
        starts = self.starts
        if a + 1 >= len(starts):
            return False
        hi = starts[a + 1]
        i = bisect_left(self.keys, key, starts[a], hi)
        return i < hi and self.keys[i] == key

    def __len__(self) -> int:
        return len(self.keys)


class PhraseTable:
    """The vocabulary of common words and the set of their attested pairs."""

    def __init__(self, vocab: list[str], keys: "array.array[int]", header: dict[str, Any]) -> None:
        self.index = {w: i for i, w in enumerate(vocab)}
        self.pairs = PairKeys(keys, len(vocab))  # for ``in``
        self.header = header

    def attested(self, a: int, b: int) -> bool:
        return (a << 16) | b in self.pairs


@lru_cache(maxsize=4)
def load_phrase_table(path: str) -> PhraseTable:
    """Read a table written by scripts/build_phrase_table.py (immutable; cached per process)."""
    with gzip.open(path, "rb") as fh:
        data = fh.read()
    nl = data.index(b"\n")
    header = json.loads(data[:nl])
    keys = array.array("I")
    keys.frombytes(data[nl + 1 :])
    if sys.byteorder != "little":  # pragma: no cover
        keys.byteswap()
    return PhraseTable(header["vocab"], keys, header)


#: moving-average type-token ratio: window and step, in words
DIVERSITY_WINDOW, DIVERSITY_STEP = 50, 10


def alphabetic_words(doc: Document) -> list[str]:
    """The document's tokens that start with a letter, lower-cased (what
    ``lexical_diversity`` and ``of_rate`` count)."""
    return [w.lower() for _, _, w, _, _ in doc.tokens if w[0].isalpha()]


def lexical_diversity(doc: "Document", words: list[str] | None = None) -> tuple[int, float]:
    """(words, moving-average type-token ratio) of the document's alphabetic words.

    The share of distinct words in each window of 50 words, averaged over
    windows every 10 words (MATTR, Covington & McFall 2010): unlike a plain
    type-token ratio it does not fall as a text gets longer.  Machine
    translation repeats its most frequent renderings and so loses lexical
    richness (Vanmassenhove et al. 2019); on the development data zh-en MT
    has a median of 0.77 against 0.83 in edited news.  0.0 for texts shorter
    than one window.  ``words``: ``alphabetic_words(doc)`` when the caller
    has it.  Cost: linear in the words.
    """
    words = alphabetic_words(doc) if words is None else words
    n, w = len(words), DIVERSITY_WINDOW
    if n < w:
        return n, 0.0
    total, windows = 0, 0
    for i in range(0, n - w + 1, DIVERSITY_STEP):
        total += len(set(words[i : i + w]))
        windows += 1
    return n, round(total / (windows * w), 4)


def of_rate(doc: "Document", words: list[str] | None = None) -> float:
    """Occurrences of the word "of" per alphabetic word of the document (0.0 without words).

    A sign of a literal translation from the translationese literature, not
    from our data: MT keeps the source's genitive and attributive
    constructions (Chinese 的, Japanese の, the Russian genitive) as "the X of
    the Y" where an English writer uses a compound or a possessive
    (interference, Toury 1995).  Edited news: median 2.3%, 95th percentile
    4.2%; the zh-en MT outputs of the development data 4.0%, their reference
    translations 3.1%.  Also register (a legal or economic report has many),
    so it is weak evidence and only moves a text in the triage order.  Pronoun rates were measured too and left out
    (docs/evaluation.md).  ``words``: as for ``lexical_diversity``.  Cost: linear in the words.
    """
    words = alphabetic_words(doc) if words is None else words
    return round(words.count("of") / len(words), 4) if words else 0.0


@dataclass(frozen=True)
class FluencySpec:
    phrase_table: str = doc("the attested-pairs table next to the rule file (scripts/build_phrase_table.py)")
    function_words: tuple[str, ...] = doc("pairs of two of these words are not counted (they are grammar, not phrasing)", ())
    min_pairs: int = doc("fewer counted pairs than this: no finding (too little evidence)", 60)
    report_share: float = doc("share of unattested pairs from which the document gets a finding", 0.4)
    examples: int = doc("unattested pairs named in the message", 4)


class FluencyRule(KindRule):
    """Measures unattested word pairs; reports documents full of them."""

    Spec = FluencySpec
    needs = frozenset({"tokens", "paragraphs"})

    def prepare(self, base_dir: Path) -> None:
        path = base_dir / self.spec.phrase_table
        if not path.is_file():
            raise SchemaError("phrase-table", f"table {self.spec.phrase_table!r} not found next to the rule file")
        self.path = str(path)
        self.function = frozenset(w.lower() for w in self.spec.function_words)
        # the engine asks check() and metrics() about the same document in a row: the
        # measurement is kept for that one document only (a weak reference, never reused for another)
        self._last: tuple[weakref.ref[Any], tuple[int, list[tuple[int, int]]]] | None = None

    def warm(self) -> None:
        load_phrase_table(self.path)

    def _pairs(self, doc: "Document") -> tuple[int, list[tuple[int, int]]]:
        """(pairs counted, spans of the unattested ones)."""
        last = self._last
        if last is not None and last[0]() is doc:
            return last[1]
        result = self._measure(doc)
        self._last = (weakref.ref(doc), result)
        return result

    def _measure(self, doc: "Document") -> tuple[int, list[tuple[int, int]]]:
        table = load_phrase_table(self.path)
        # the vocabulary holds lower-case ASCII words only, so one dict lookup also
        # rules out names, numbers and punctuation; a token outside it breaks the chain
        index_get, function, text = table.index.get, self.function, doc.text
        keys, starts = table.pairs.keys, table.pairs.starts  # (PairKeys.__contains__, inlined: one call less per pair)
        counted, bad = 0, []
        prev_j = None
        prev_end = prev_start = 0
        prev_text = ""
        for start, end, w, _, _ in doc.tokens:  # (unpacked: faster than attribute access)
            i = index_get(w)
            if i is None:
                prev_j = None
                continue
            if prev_j is not None and not (prev_text in function and w in function):
                if start - prev_end == 1 or "\n" not in text[prev_end:start]:
                    counted += 1
                    key, hi = (prev_j << 16) | i, starts[prev_j + 1]
                    k = bisect_left(keys, key, starts[prev_j], hi)
                    if k == hi or keys[k] != key:
                        bad.append((prev_start, end))
            prev_j, prev_start, prev_end, prev_text = i, start, end, w
        return counted, bad

    def metrics(self, doc: "Document", ctx: RuleContext) -> dict[str, Any]:
        counted, bad = self._pairs(doc)
        alphabetic = alphabetic_words(doc)
        words, diversity = lexical_diversity(doc, alphabetic)
        return {"fluency": {"pairs": counted, "unattested": len(bad), "unattested_share": round(len(bad) / counted, 4) if counted else 0.0,
                            "words": words, "diversity": diversity, "of_rate": of_rate(doc, alphabetic)}}

    def check(self, doc: "Document", ctx: RuleContext) -> Iterator[Finding]:
        counted, bad = self._pairs(doc)
        if counted < self.spec.min_pairs or len(bad) / counted < self.spec.report_share:
            return
        # the paragraph with the most unattested pairs carries the finding
        per_para: dict[Span, list[tuple[int, int]]] = {}
        for s, e in bad:
            para = doc.paragraph_at(s)
            if para is not None:
                per_para.setdefault(para, []).append((s, e))
        if not per_para:
            return
        para, spans = max(per_para.items(), key=lambda kv: (len(kv[1]), -kv[0].start))
        examples = ", ".join(repr(" ".join(doc.text[s:e].split())) for s, e in spans[: self.spec.examples])
        yield ctx.finding(
            para,
            f"{len(bad)} of {counted} common word pairs in this article ({len(bad) / counted:.0%}) are ones English "
            f"writers almost never use ({examples}...); edited news has about 25%. Words may have been swapped for "
            "dictionary synonyms (an article spinner) or translated word by word.",
            data={"pairs": counted, "unattested": len(bad)},
        )
