"""Word-list files: plain lists, and the generated sorted tables in ``rules/data/``.

``read_word_list``: one word or phrase per line, ``#`` comment lines and
blank lines skipped.  Shared by the rule kinds (loan words, allow lists,
filter lists) and the config (the newsroom word list), which each turn a
read error into their own error naming the file.

``SortedTable``: a word -> small integer table (wordfreq frequencies,
syllable counts) written by ``scripts/build_tables.py`` and searched in
place (see the class).  The tables are immutable: loaded once per process,
shared by every rule and, after ``fork``, by worker processes.
"""

from __future__ import annotations

from bisect import bisect_right
from pathlib import Path

__all__ = ["read_word_list", "SortedTable", "read_sorted_table", "write_sorted_table", "TABLE_MAGIC"]

#: second header line of a sorted table (the first is its attribution)
TABLE_MAGIC = b"# mtlint sorted table 2"


def read_word_list(path: Path) -> list[str]:
    """The entries of ``path`` in file order (raises ``OSError`` / ``UnicodeDecodeError``)."""
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    return [s for ln in lines if (s := ln.strip()) and s[0] != "#"]


class SortedTable:
    """An immutable ``word -> int`` table, searched in place.

    The file (``write_sorted_table``) holds, for each word length in UTF-8
    bytes, that length's words sorted and concatenated (fixed-width records,
    no separators), then every value as fixed-width decimal digits.  Loading
    is one read of the bytes (no per-word objects: 321,000 English words
    load in milliseconds and stay one shared buffer after ``fork``); a
    lookup is a binary search over the records of the word's length.
    """

    __slots__ = ("_data", "_blocks", "_values_at", "_width", "_count", "source", "_memo", "_samples")

    #: one record in this many is kept as a bytes object per word length (built on
    #: that length's first lookup), so a lookup is a C ``bisect`` over the samples
    #: and one ``find`` in the run of records between two of them
    STRIDE = 16

    #: answers remembered per table (words repeat across documents); cleared when full
    MEMO_SIZE = 200_000

    def __init__(self, data: bytes, source: str = "") -> None:
        import json

        self.source = source
        head_end = 0
        for _ in range(3):
            head_end = data.index(b"\n", head_end) + 1
        lines = data[:head_end].split(b"\n")
        if not lines[1].startswith(TABLE_MAGIC):
            raise ValueError(f"{source or 'table'}: not an mtlint sorted table (version 2)")
        index = json.loads(lines[2])
        self._data = data
        self._width = int(index["value_width"])
        self._count = int(index["count"])
        # length -> (index of its first word, number of words, byte offset of its records)
        self._blocks = {int(n): (int(first), int(count), head_end + int(at)) for n, first, count, at in index["blocks"]}
        self._values_at = head_end + int(index["values_at"])
        self._memo: dict[str, int | None] = {}
        self._samples: dict[int, list[bytes]] = {}

    def get(self, word: str) -> int | None:
        memo = self._memo
        try:
            return memo[word]
        except KeyError:
            pass
        if len(memo) >= self.MEMO_SIZE:
            memo.clear()
        value = memo[word] = self._search(word)
        return value

    def _search(self, word: str) -> int | None:
        try:
            key = word.encode("utf-8")
        except UnicodeEncodeError:
            return None
        size = len(key)
        block = self._blocks.get(size)
        if block is None:
            return None
        first, count, base = block
        data = self._data
        stride = self.STRIDE
        samples = self._samples.get(size)
        if samples is None:
            step = stride * size
            samples = self._samples[size] = [data[at : at + size] for at in range(base, base + count * size, step)]
        # the key, if listed, is in the run of records from the last sample <= key
        k = bisect_right(samples, key) - 1
        if k < 0:
            return None
        lo = k * stride
        run_start = base + lo * size
        run_end = base + min(count, lo + stride) * size
        at = data.find(key, run_start, run_end)
        while at >= 0 and (at - run_start) % size:  # a match across two records: look on
            at = data.find(key, at + 1, run_end)
        if at < 0:
            return None
        v = self._values_at + (first + lo + (at - run_start) // size) * self._width
        return int(data[v : v + self._width])

    def __len__(self) -> int:
        return self._count

    def items(self):
        """``(word, value)`` pairs, shortest words first, each length in byte order."""
        data, width = self._data, self._width
        for size, (first, count, base) in sorted(self._blocks.items()):
            for k in range(count):
                v = self._values_at + (first + k) * width
                yield data[base + k * size : base + (k + 1) * size].decode("utf-8"), int(data[v : v + width])


def read_sorted_table(path: Path) -> SortedTable:
    """Load a table written by ``write_sorted_table`` (raises ``OSError``/``ValueError``)."""
    return SortedTable(Path(path).read_bytes(), str(path))


def write_sorted_table(path: Path | None, pairs: dict[str, int], attribution: str) -> bytes:
    """The bytes of ``pairs`` as a sorted table, written to ``path`` unless it is None."""
    import json

    by_size: dict[int, list[bytes]] = {}
    for w in pairs:
        if not w or "\n" in w:
            raise ValueError(f"cannot store word {w!r}")
        by_size.setdefault(len(w.encode("utf-8")), []).append(w.encode("utf-8"))
    width = max(1, len(str(max(pairs.values(), default=0))))
    if min(pairs.values(), default=0) < 0:
        raise ValueError("values must be >= 0")
    blocks, body, values, first, at = [], [], [], 0, 0
    for size in sorted(by_size):
        words = sorted(by_size[size])
        blocks.append([size, first, len(words), at])
        body.extend(words)
        values.extend(str(pairs[w.decode("utf-8")]).zfill(width).encode() for w in words)
        first += len(words)
        at += size * len(words)
    index = {"value_width": width, "count": first, "blocks": blocks, "values_at": at}
    head = "\n".join(["# " + attribution, TABLE_MAGIC.decode() + ": an index line (JSON), then each word length's words (UTF-8) "
                      "sorted and concatenated, then the values as fixed-width digits; see checker/wordlists.py",
                      json.dumps(index, separators=(",", ":"))]) + "\n"
    data = head.encode("utf-8") + b"".join(body) + b"".join(values)
    if path is not None:
        Path(path).write_bytes(data)
    return data
