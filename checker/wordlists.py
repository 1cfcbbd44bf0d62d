"""Plain word-list files: one word or phrase per line, ``#`` comment lines and blank lines skipped.

Shared by the rule kinds (loan words, allow lists, filter lists) and the
config (the newsroom word list), which each turn a read error into their
own error naming the file.
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["read_word_list"]


def read_word_list(path: Path) -> list[str]:
    """The entries of ``path`` in file order (raises ``OSError`` / ``UnicodeDecodeError``)."""
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    return [ln.strip() for ln in lines if ln.strip() and not ln.lstrip().startswith("#")]
