"""Name spelling: one person or place, one spelling -- in an article and across an archive.

Everything about names lives in this package (``docs/names.md`` is the
user's guide).  One public entry point per phase:

=========================  ==================================================
``extract(doc)``           the candidate name mentions (the ``Document.names``
                           view; ``extract.py``)
``analyse(doc)``           name words and entities of one document, computed
                           once per document (``entities.py``)
``decide(doc, registry)``  the article's own decisions, with fix safety
                           (``decisions.py``, ``policy.py``)
``collect(doc, registry)`` the document's plain-data table for the
                           cross-file phase (map)
``reduce(tables, reg.)``   clusters across files from the tables alone
                           (reduce; ``corpus.py``)
``corpus_decisions(...)``  per file, the cross-file decisions
``propose_registry(...)``  clusters as a starting names registry
                           (``registry.py``)
=========================  ==================================================

The matching keys and the variant decision are in ``keys.py``, blocked
clustering in ``cluster.py``; the rule (``NM001``) is ``rule.py`` and
``mtlint names`` is ``command.py``, both built on the functions above.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .decisions import Decision, article_decisions
from .entities import DocNames, analyse as _analyse, to_table
from .extract import Mentions, NameMention, NamePart, extract
from .keys import Spelling, english_zipf, make_spelling, variant_reason
from .registry import Registry, RegistryError, load_registry, propose_registry, registry_service, write_registry

if TYPE_CHECKING:
    from ..document import Document
    from .corpus import Cluster, Clusters, EntityLink, Variant, corpus_decisions, reduce

#: the cross-file phase (``corpus.py``), imported on first use (PEP 562): a one-article
#: check never needs it
_FROM_CORPUS = ("Cluster", "Clusters", "EntityLink", "Variant", "corpus_decisions", "reduce")


def __getattr__(name: str) -> Any:
    if name in _FROM_CORPUS:
        from . import corpus

        return getattr(corpus, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

__all__ = [
    "extract", "analyse", "decide", "collect", "reduce", "corpus_decisions", "propose_registry",
    "Mentions", "NameMention", "NamePart", "DocNames", "Decision", "Clusters", "Cluster", "Variant", "EntityLink",
    "Registry", "RegistryError", "load_registry", "registry_service", "write_registry",
    "Spelling", "make_spelling", "variant_reason", "english_zipf",
]


def _mentions(doc: "Document") -> Mentions:
    names = doc.names
    return names if isinstance(names, Mentions) else Mentions(names, doc.text)


def analyse(doc: "Document") -> DocNames:
    """Name words and entities of ``doc`` (computed once per document)."""
    m = _mentions(doc)
    if m._analysis is None:
        m._analysis = _analyse(m._text, m)
    return m._analysis


def decide(doc: "Document", registry: Registry, *, min_dominant: int = 1) -> tuple[list[Decision], list[tuple[str, str, str]]]:
    """Phase 2a: the article's own decisions and links (computed once per document and registry)."""
    m = _mentions(doc)
    memo = m._decided
    if memo is not None and memo[0] is registry and memo[1] == min_dominant:
        return memo[2]
    result = article_decisions(analyse(doc), registry, min_dominant=min_dominant)
    m._decided = (registry, min_dominant, result)
    return result


def collect(doc: "Document", registry: Registry, *, min_dominant: int = 1) -> dict[str, Any]:
    """Phase 2b (map): the plain-data table of ``doc`` for the cross-file phase."""
    _, links = decide(doc, registry, min_dominant=min_dominant)
    return to_table(doc, analyse(doc), links)

