"""Word-list files: plain lists, and the generated sorted tables in ``rules/data/``.

``read_word_list``: one word or phrase per line, ``#`` comment lines and
blank lines skipped.  Shared by the rule kinds (loan words, allow lists,
filter lists) and the config (the newsroom word list), which each turn a
read error into their own error naming the file.

``SortedTable``: a word -> small integer table (wordfreq frequencies,
syllable counts) written by ``scripts/build_tables.py``.  The file is the
words in code-point order, one per line, with the values in one line of
characters before them (value = ``ord(ch) - 256``); loading it is one
read and one ``split`` (no dict of a few hundred thousand entries to
build, which costs several times more on a busy machine), and a lookup is
a binary search in C (``bisect``).  The tables are immutable: loaded once
per process, shared by every rule and, after ``fork``, by worker processes.
"""

from __future__ import annotations

import bisect
from pathlib import Path

__all__ = ["read_word_list", "SortedTable", "read_sorted_table", "write_sorted_table", "TABLE_MAGIC"]

#: second header line of a sorted table (the first is its attribution)
TABLE_MAGIC = "# mtlint sorted table 1: values line (ord(ch) - 256 per word), then the words in code-point order"


def read_word_list(path: Path) -> list[str]:
    """The entries of ``path`` in file order (raises ``OSError`` / ``UnicodeDecodeError``)."""
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    return [ln.strip() for ln in lines if ln.strip() and not ln.lstrip().startswith("#")]


class SortedTable:
    """An immutable ``word -> int`` table searched by bisection."""

    __slots__ = ("words", "values", "source")

    def __init__(self, words: list[str], values: str, source: str = "") -> None:
        if len(words) != len(values):
            raise ValueError(f"{source or 'table'}: {len(words)} words but {len(values)} values")
        self.words = words
        self.values = values
        self.source = source

    def get(self, word: str) -> int | None:
        words = self.words
        i = bisect.bisect_left(words, word)
        if i < len(words) and words[i] == word:
            return ord(self.values[i]) - 256
        return None

    def __len__(self) -> int:
        return len(self.words)

    def items(self):
        """``(word, value)`` pairs in code-point order of the words."""
        return ((w, ord(v) - 256) for w, v in zip(self.words, self.values))


def read_sorted_table(path: Path) -> SortedTable:
    """Load a table written by ``write_sorted_table`` (raises ``OSError``/``ValueError``)."""
    text = Path(path).read_text(encoding="utf-8")
    parts = text.split("\n", 3)
    if len(parts) < 4 or parts[1] != TABLE_MAGIC:
        raise ValueError(f"{path}: not an mtlint sorted table")
    body = parts[3]
    words = body.split("\n")
    if words and words[-1] == "":
        words.pop()
    return SortedTable(words, parts[2], str(path))


def write_sorted_table(path: Path | None, pairs: dict[str, int], attribution: str) -> str:
    """The text of ``pairs`` as a sorted table, written to ``path`` unless it is None."""
    words = sorted(pairs)
    for w in words:
        if not w or "\n" in w or "\r" in w:
            raise ValueError(f"cannot store word {w!r}")
    values = "".join(chr(256 + pairs[w]) for w in words)
    text = "\n".join(["# " + attribution, TABLE_MAGIC, values, *words]) + "\n"
    if path is not None:
        Path(path).write_text(text, encoding="utf-8")
    return text
