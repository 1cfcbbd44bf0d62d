"""Candidate proper-name mentions, a shared view of the document.

A mention is a run of capitalised words (with name particles such as
``al-``, ``bin``, ``de`` between them), with a trailing possessive removed.
Sentence-initial words that are ordinary English words are not names.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterator

from .spans import Span

if TYPE_CHECKING:
    from .document import Document

__all__ = ["NameMention", "extract_names", "PARTICLES"]

#: lower-case particles that may stand inside a name ("Charles de Gaulle")
PARTICLES = frozenset({"al", "el", "bin", "ibn", "bint", "abu", "de", "del", "della", "der", "den", "van", "von", "da", "di", "du", "dos", "das", "la", "le", "ter", "y"})

_FUNCTION_WORDS = frozenset(
    """a an the this that these those it its he she they we i you his her their our my your
    in on at by for from with without into onto of to as after before during since until while
    but and or nor so yet if when where why how what who whom which whether although though
    because however meanwhile also still even only just then there here now once
    some many most more much several all both each every any no not other another such
    monday tuesday wednesday thursday friday saturday sunday""".split()
)


@dataclass(frozen=True, slots=True)
class NameMention:
    """One mention of a candidate name: ``text`` is the surface form without possessive."""

    span: Span
    text: str
    parts: tuple[str, ...]
    sentence_initial: bool = False


def _strip_possessive(word: str) -> str:
    for suffix in ("'s", "’s", "s'", "s’"):
        if word.endswith(suffix) and len(word) > len(suffix):
            return word[: -len(suffix)] if suffix[0] in "'’" else word[:-1]
    return word


def extract_names(doc: "Document") -> Iterator[NameMention]:
    toks = doc.tokens
    starts = doc.sentence_starts
    n = len(toks)
    i = 0
    while i < n:
        t = toks[i]
        if t.kind != "word" or not t.text[:1].isupper():
            i += 1
            continue
        j = i
        parts: list[int] = []
        while j < n:
            tj = toks[j]
            if tj.kind == "word" and tj.text[:1].isupper() and (j == i or tj.start - toks[j - 1].end <= 1):
                parts.append(j)
                j += 1
                continue
            if (
                tj.kind == "word"
                and tj.text in PARTICLES
                and parts
                and j + 1 < n
                and toks[j + 1].kind == "word"
                and toks[j + 1].text[:1].isupper()
            ):
                parts.append(j)
                j += 1
                continue
            break
        idx = parts
        if idx and idx[0] in starts and toks[idx[0]].text.lower() in _FUNCTION_WORDS:
            idx = idx[1:]
        if idx:
            first, last = toks[idx[0]], toks[idx[-1]]
            words = [toks[k].text for k in idx]
            words[-1] = _strip_possessive(words[-1])
            end = last.end - (len(last.text) - len(words[-1]))
            span = Span(first.start, end)
            yield NameMention(span, doc.text[span.start : span.end], tuple(words), idx[0] in starts)
        i = max(j, i + 1)
