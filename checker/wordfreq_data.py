"""Word frequencies (wordfreq's Zipf values) without importing wordfreq or loading its lists.

``scripts/build_tables.py`` writes wordfreq's data as compact sorted tables in
``rules/data/`` (``checker.wordlists.SortedTable``): every English word, and
for the source languages of the untranslated-fragment rule (fr, es, pt, it,
de, nl) every word with Zipf >= 3.0.  Loading one is a read and a ``split``
(English: 321,000 words, tens of milliseconds, where wordfreq's own
``zipf_frequency`` built a dict of each language it was asked about: 2 s of
CPU and 270 MB for MT007's seven); a lookup is a binary search.

The values are exactly wordfreq's: a word in bucket ``i`` of wordfreq's list
has ``zipf = (900 - i) / 100``, which is what ``zipf_frequency`` returns for a
single-token word.  A word that is not a plain run of letters (an
apostrophe, a hyphen, a digit, an unnormalised accent) goes through
wordfreq's own tokenizer and its formula for combining tokens, with the
token values from the same tables (only its digit rule still calls wordfreq
itself).  A question a table cannot answer (a threshold below the table's
floor, a language without a table) is answered from wordfreq's packaged
data, as before.  ``scripts/build_tables.py --verify`` compares every table
value with ``wordfreq.zipf_frequency``.

The tables are immutable data, loaded at most once per process (never reset,
never mutated): the one kind of module-level cache the house style allows.
"""

from __future__ import annotations

import importlib.util
import math
import os
import unicodedata
from collections.abc import Iterator, Mapping
from functools import lru_cache

from .wordlists import SortedTable, read_sorted_table

__all__ = ["zipf", "zipf_at_least", "table", "available", "frequent_words", "is_simple", "warm", "TABLE_FLOOR"]

#: Zipf floor of each shipped table (words below it are not listed)
TABLE_FLOOR: dict[str, float] = {"en": 0.0, "fr": 3.0, "es": 3.0, "pt": 3.0, "it": 3.0, "de": 3.0, "nl": 3.0}


def _data_path(name: str) -> str:
    from .resources import rules_root

    return str(rules_root() / "data" / name)


@lru_cache(maxsize=None)
def _sorted(lang: str) -> SortedTable:
    return read_sorted_table(_data_path(f"wordfreq_{lang}.tbl"))


@lru_cache(maxsize=None)
def _buckets(lang: str) -> tuple[tuple[str, ...], ...]:
    """wordfreq's own packaged list (the slow path: languages and thresholds the tables lack)."""
    import gzip

    import msgpack

    spec = importlib.util.find_spec("wordfreq")
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("wordfreq is not installed")
    folder = list(spec.submodule_search_locations)[0]
    with gzip.open(os.path.join(folder, "data", f"large_{lang}.msgpack.gz"), "rb") as fh:
        data = msgpack.load(fh, raw=False, strict_map_key=False)
    if not (isinstance(data[0], dict) and data[0].get("format") == "cB"):
        raise ValueError("unexpected wordfreq data format")
    return tuple(tuple(b) for b in data[1:])


@lru_cache(maxsize=None)
def _full_dict(lang: str) -> dict[str, int]:
    out: dict[str, int] = {}
    for i, bucket in enumerate(_buckets(lang)):
        for w in bucket:
            if w not in out:
                out[w] = i
    return out


def _centibels(word: str, lang: str, floor: float) -> int | None:
    """wordfreq's bucket index of one token, or None when it is not listed
    (or, for a table with a floor, not listed at or above ``floor``)."""
    if lang in TABLE_FLOOR and TABLE_FLOOR[lang] <= floor:
        return _sorted(lang).get(word)
    return _full_dict(lang).get(word)


def is_simple(low: str) -> bool:
    """A lower-case word wordfreq reads as one token equal to itself."""
    return low.isalpha() and low == low.casefold() and unicodedata.is_normalized("NFC", low)


def _combined(word: str, lang: str, floor: float) -> float:
    """``wordfreq.zipf_frequency`` for a word its tokenizer splits (same formula, same rounding)."""
    from wordfreq.numbers import smash_numbers
    from wordfreq.tokens import lossy_tokenize

    tokens = lossy_tokenize(word, lang)
    if not tokens:
        return 0.0
    one_over = 0.0
    for tok in tokens:
        if smash_numbers(tok) != tok:  # digits: wordfreq's digit distribution, not worth copying
            from wordfreq import zipf_frequency

            return zipf_frequency(word, lang)
        cb = _centibels(tok, lang, floor)
        if cb is None:
            return 0.0  # any unknown token: wordfreq returns the minimum
        one_over += 1.0 / (10 ** (-cb / 100))
    freq = max(1.0 / one_over, 1e-9)
    freq = round(freq, math.floor(-math.log(freq, 10)) + 3)
    return round(math.log(freq, 10) + 9, 2)


def zipf_at_least(word: str, lang: str, floor: float) -> float:
    """wordfreq's Zipf value of ``word`` when it is at least ``floor``, else 0.0.

    Answered from the shipped table whenever the table's own floor allows
    (always for English; at ``floor >= 3.0`` for the source languages).
    """
    low = word.lower()
    if is_simple(low):
        cb = _centibels(low, lang, floor)
        value = (900 - cb) / 100 if cb is not None else 0.0
    else:
        value = _combined(word.replace("’", "'"), lang, floor)
    return value if value >= floor else 0.0


def zipf(word: str, lang: str = "en") -> float:
    """Zipf frequency of ``word`` (0.0 when wordfreq does not list it)."""
    return zipf_at_least(word, lang, 0.0)


class _ZipfMapping(Mapping):
    """``word -> Zipf`` over a sorted table, for words at or above a threshold."""

    def __init__(self, table: SortedTable, min_zipf: float) -> None:
        self._table = table
        self._max_cb = int(round((9 - min_zipf) * 100)) if min_zipf > 0 else None

    def get(self, word: str, default=None):  # type: ignore[override]
        cb = self._table.get(word)
        if cb is None or (self._max_cb is not None and cb > self._max_cb):
            return default
        return (900 - cb) / 100

    def __getitem__(self, word: str) -> float:
        value = self.get(word)
        if value is None:
            raise KeyError(word)
        return value

    def __contains__(self, word: object) -> bool:
        return isinstance(word, str) and self.get(word) is not None

    def __iter__(self) -> Iterator[str]:
        limit = self._max_cb
        return (w for w, cb in self._table.items() if limit is None or cb <= limit)

    def __len__(self) -> int:
        return sum(1 for _ in self)


@lru_cache(maxsize=None)
def table(lang: str = "en", min_zipf: float = 0.0) -> Mapping[str, float]:
    """A read-only ``word -> Zipf`` mapping of every listed word at or above
    ``min_zipf`` (``get`` is a binary search; iteration is by word length, then byte order)."""
    if lang in TABLE_FLOOR and TABLE_FLOOR[lang] <= min_zipf:
        return _ZipfMapping(_sorted(lang), min_zipf)
    last = len(_buckets(lang)) if min_zipf <= 0 else int(round((9 - min_zipf) * 100)) + 1
    out: dict[str, float] = {}
    for i, bucket in enumerate(_buckets(lang)[:last]):
        value = round(9 - i / 100, 2)
        for w in bucket:
            if w not in out:
                out[w] = value
    return out


@lru_cache(maxsize=1)
def frequent_words() -> tuple[str, ...]:
    """wordfreq's 60,000 most frequent English words (letters only, 3+ long), most frequent first."""
    from .wordlists import read_word_list

    return tuple(read_word_list(_data_path("frequent_en.txt")))


def warm(langs: tuple[str, ...] = ("en",)) -> None:
    """Load the tables of ``langs`` now (before worker processes fork)."""
    for lang in langs:
        if lang in TABLE_FLOOR:
            _sorted(lang)


def available() -> bool:
    return importlib.util.find_spec("wordfreq") is not None
