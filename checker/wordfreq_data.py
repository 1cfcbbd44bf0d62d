"""Word frequencies from ``wordfreq``'s packaged data, without importing wordfreq.

``wordfreq`` ships its frequency lists in the wheel as msgpack files
(``data/large_<lang>.msgpack.gz``: a header, then buckets of words, bucket
``i`` holding the words whose frequency is ``-i`` centibels).  Importing
wordfreq itself pulls in its tokenizers, langcodes and ftfy (about 0.15 s,
more than the rest of ``mtlint check``'s start-up), and every
``zipf_frequency`` call re-tokenizes its argument.  For the single, already
tokenized words mtlint asks about, a dictionary lookup in the same data
gives the same value (``zipf = 9 - i/100``, as wordfreq computes it), so
this module reads the file once per process and answers from a dict.  Any
word that is not a plain run of letters (digits, apostrophes, hyphens) is
passed to wordfreq's own function, which handles its normalisation.

The tables are immutable data, cached once per process (never reset, never
mutated), which is the one kind of module-level cache the house style
allows.
"""

from __future__ import annotations

import gzip
import importlib.util
import os
from functools import lru_cache

__all__ = ["zipf", "table", "available"]


@lru_cache(maxsize=None)
def _buckets(lang: str) -> tuple[tuple[str, ...], ...]:
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
def table(lang: str = "en", min_zipf: float = 0.0) -> dict[str, float]:
    """``word -> Zipf`` for every listed word at or above ``min_zipf``."""
    try:
        buckets = _buckets(lang)
    except (ImportError, OSError, ValueError, IndexError):  # pragma: no cover - layout changed
        import math

        from wordfreq import get_frequency_dict

        return {w: round(math.log10(f) + 9, 2) for w, f in get_frequency_dict(lang).items() if math.log10(f) + 9 >= min_zipf}
    last = len(buckets) if min_zipf <= 0 else int(round((9 - min_zipf) * 100)) + 1
    out: dict[str, float] = {}
    for i, bucket in enumerate(buckets[:last]):
        value = round(9 - i / 100, 2)
        for w in bucket:
            if w not in out:
                out[w] = value
    return out


def zipf(word: str, lang: str = "en") -> float:
    """Zipf frequency of ``word`` (0.0 when wordfreq does not list it)."""
    low = word.lower()
    if low.isalpha():
        return table(lang).get(low, 0.0)
    from wordfreq import zipf_frequency

    return zipf_frequency(word.replace("’", "'"), lang)


def available() -> bool:
    return importlib.util.find_spec("wordfreq") is not None
