"""Decisions: which spelling of a name to report, where, and how safe its fix is.

A ``Decision`` is what the rule turns into findings: the variant's spans,
the expected spelling, the evidence, and the fix applicability from
``checker.names.policy``.  ``article_decisions`` decides inside one
document (its own majority, the registry); ``checker.names.corpus`` decides
across files.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..findings import Applicability
from ..spans import Span
from .cluster import attach
from .entities import DocNames
from .policy import Scope, fix_applicability

__all__ = ["Decision", "article_decisions"]


@dataclass(frozen=True)
class Decision:
    """Report ``found`` at ``spans``: it should be spelled ``expected``."""

    variant: str  #: key (lower case) of the variant spelling
    head: str  #: key of the expected spelling
    found: str
    expected: str
    reason: str  #: transliteration, vowels, diacritics, loose, ending, registry
    scope: str  #: a ``policy.Scope`` value
    applicability: Applicability
    spans: tuple[Span, ...]
    head_count: int
    variant_count: int
    #: where the expected spelling is written (in-article decisions)
    related: tuple[Span, ...] = ()
    #: files that write the expected spelling (cross-file decisions)
    head_files: tuple[str, ...] = ()
    #: what anchored a cross-file decision ("same given name 'muammar'", "4 shared names" ...)
    evidence: str = ""


def article_decisions(names: DocNames, registry: Any, *, min_dominant: int = 1) -> tuple[list[Decision], list[tuple[str, str, str]]]:
    """The decisions of one document, in order of first mention, and its links
    ``(variant key, head key, reason)`` for the cross-file table."""
    words = names.clusterable()
    # the registry's listed variants apply to every word, common or not
    for key, w in names.words.items():
        if key in names.common and registry.canonical_of(key):
            words[key] = w
    if not words:
        return [], []
    attached, pool = attach(words, registry)
    out: list[Decision] = []
    links: list[tuple[str, str, str]] = []
    for key, (head_key, reason) in sorted(attached.items(), key=lambda kv: (pool[kv[0]].first, kv[0])):
        m = words.get(key)
        if m is None:
            continue
        h = pool[head_key]
        if reason == "registry":
            scope = Scope.REGISTRY
        elif h.count == 0:
            scope = Scope.CANONICAL
        else:
            if h.count < min_dominant:
                continue
            scope = Scope.ARTICLE
        links.append((key, head_key, reason))
        expected = h.surface if h.surfaces else h.text
        out.append(Decision(
            variant=key, head=head_key, found=m.surface, expected=expected, reason=reason, scope=scope,
            applicability=fix_applicability(scope, head_count=h.count, variant_count=m.count, variant_zipf=m.spelling.zipf),
            spans=tuple(m.spans), head_count=h.count, variant_count=m.count, related=tuple(h.spans),
        ))
    return out, links
