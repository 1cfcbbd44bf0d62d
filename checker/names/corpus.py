"""The reduce phase: name clusters across files, from the per-file tables alone.

Input: ``{path: table}`` (``checker.names.entities.to_table``), never the
texts.  The spelling keys it indexes entities by come from the tables
(``blocks``, computed where each file was checked): only the few pairs it
compares get their full keys here (``_decide``).  A table of another version
(``TABLE_VERSION``) is an error, never read.  Two things come out
(``Clusters``):

* **entity links**: an entity of one file spelled another way in others.
  Only entities of two or more words take part, never a lone word: a lone
  "Court" in one story is never matched with a lone "Kurt" in another.
  Entities are compared by their first and last words (given name,
  surname).  A pair is linked only when it is *anchored*:

  - one word is the same and the other a spelling variant
    (``keys.variant_reason``), and the shared word is distinctive: rarer
    than Zipf ``ANCHOR_MAX`` (4.0: "Muammar", "Spitzer", "Putin"; not
    "John", "Williams"), or the two entities share at least
    ``CONTEXT_MIN`` distinctive names in their articles.  When both
    spellings of the differing word are established names themselves
    (Martin/Martyn, Johnson/Johansson, Paterson/Patterson, Elliot/Eliot),
    they are different people unless the shared word is rare (Zipf below
    ``ANCHOR_RARE``, 3.0: Elliot/Eliot *Spitzer*);
  - or both words are variants (Muammar Gaddafi / Moammar Qaddafi), neither
    pair established names, and the articles share ``CONTEXT_MIN`` names;
  - never a pair the registry says never to merge.

  The most frequent form across the run (a registry canonical first; ties:
  the first file in path order) is the head; every other form attaches to
  the best-ranked head it is linked to (no chains).
* **clusters** (for ``mtlint names`` and ``--write-registry``): name words
  joined by any file's own decisions or by entity links, with counts and
  files, the most frequent spelling (or the registry's) as canonical.

Everything iterates in sorted order and breaks ties by explicit keys, so
the result does not depend on dict order, hash seed or the order tables
arrive in; the cost is linear in the number of entities and words (each
entity is compared only with heads that share a word or both blocks).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable, Mapping

from ..findings import Applicability
from ..spans import Span
from .decisions import Decision
from .entities import TABLE_VERSION
from .keys import ESTABLISHED, english_zipf, make_spelling, variant_reason
from .policy import Scope

__all__ = ["Clusters", "Cluster", "Variant", "EntityLink", "reduce", "corpus_decisions",
           "ANCHOR_MAX", "ANCHOR_RARE", "CONTEXT_MIN"]

#: a shared word anchors two entities only when it is rarer than this (Zipf)
ANCHOR_MAX = 4.0
#: ... and rarer than this when both differing spellings are established names themselves
ANCHOR_RARE = 3.0
#: distinctive names two articles must share to count as the same story's context
CONTEXT_MIN = 2
#: per entity, the context of at most this many files is kept (bounded cost)
_CONTEXT_FILES = 8


@dataclass(frozen=True)
class Variant:
    key: str
    spelling: str
    count: int
    files: tuple[str, ...]
    reason: str
    scope: str


@dataclass(frozen=True)
class Cluster:
    """One name across the run: its canonical spelling and the variants seen."""

    key: str
    canonical: str
    count: int
    files: tuple[str, ...]
    variants: tuple[Variant, ...]


@dataclass(frozen=True)
class EntityLink:
    """A cross-file decision: entity ``variant`` is entity ``head`` spelled another way."""

    variant: tuple[str, str]  #: (first word key, last word key)
    head: tuple[str, str]
    pairs: tuple[tuple[str, str, str], ...]  #: (variant word, head word, reason) for each differing word
    variant_count: int
    head_count: int
    variant_files: tuple[str, ...]
    head_files: tuple[str, ...]
    evidence: str
    #: linked by shared context alone: each file must share the names itself (else empty)
    head_context: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Clusters:
    clusters: tuple[Cluster, ...]
    links: tuple[EntityLink, ...]


@dataclass
class _Ent:
    id: tuple[str, str]
    count: int
    files: list[str]
    context: set[str]
    first: tuple[str, int]
    #: the block keys of the two words (the table's ``blocks``)
    blocks: tuple[str, str]


def _entities(tables: Mapping[str, Any]) -> dict[tuple[str, str], _Ent]:
    ents: dict[tuple[str, str], _Ent] = {}
    for path in sorted(tables):
        table = tables[path]
        if not table:
            continue
        if table.get("v") != TABLE_VERSION:
            # never guessed at: a table of another layout lacks what the reduce reads
            raise ValueError(f"{path}: names table version {table.get('v')!r}, expected {TABLE_VERSION}")
        ctx = table.get("context", ())
        blocks = table["blocks"]
        for words, count, spans in table.get("entities", ()):
            eid = (words[0], words[-1])
            e = ents.get(eid)
            if e is None:
                e = ents[eid] = _Ent(eid, 0, [], set(), (path, spans[0][0] if spans else 0), (blocks[eid[0]], blocks[eid[1]]))
            e.count += count
            if not e.files or e.files[-1] != path:
                e.files.append(path)
                if len(e.files) <= _CONTEXT_FILES:
                    e.context.update(ctx)
    return ents


def _decide(e: _Ent, h: _Ent, registry: Any) -> tuple[tuple[tuple[str, str, str], ...], str, bool] | None:
    """The word pairs and evidence that link entity ``e`` to head ``h`` (and whether
    that evidence is shared context alone), or None."""
    pairs = []
    established = []
    for x, y in zip(e.id, h.id):
        if x == y:
            continue
        sx, sy = make_spelling(x), make_spelling(y)
        reason = variant_reason(sx, sy)
        if not reason or registry.never(x, y):
            return None
        pairs.append((x, y, reason))
        established.append(min(sx.zipf, sy.zipf) >= ESTABLISHED)
    if not pairs:
        return None
    own = set(e.id) | set(h.id)
    shared = len((e.context & h.context) - own)
    if len(pairs) == 1:
        anchor = e.id[0] if e.id[0] == h.id[0] else e.id[1]
        z = english_zipf(anchor)
        if established[0]:
            if z < ANCHOR_RARE:
                return tuple(pairs), f"same {_role(e, anchor)} '{anchor}' (a rare name)", False
            return None  # two established names with a common anchor: two people (Martin/Martyn Williams)
        if z < ANCHOR_MAX:
            return tuple(pairs), f"same {_role(e, anchor)} '{anchor}'", False
        if shared >= CONTEXT_MIN:
            return tuple(pairs), f"same {_role(e, anchor)} '{anchor}' and {shared} names in common", True
        return None
    if any(established) or shared < CONTEXT_MIN:
        return None
    return tuple(pairs), f"{shared} names in common", True


def _role(e: _Ent, anchor: str) -> str:
    return "given name" if e.id[0] == anchor else "surname"


def reduce(tables: Mapping[str, Any], registry: Any) -> Clusters:
    """Cross-file clusters of the run (see the module doc)."""
    ents = _entities(tables)

    def canonical(eid: tuple[str, str]) -> bool:
        return registry.is_canonical(eid[0]) or registry.is_canonical(eid[1])

    ranked = sorted(ents.values(), key=lambda e: (0 if canonical(e.id) else 1, -e.count, e.first, e.id))
    heads_by: dict[tuple[str, str, str], list[int]] = {}
    links: list[EntityLink] = []
    for i, e in enumerate(ranked):
        (g, s), (bg, bs) = e.id, e.blocks
        index = (("g", g, bs), ("s", s, bg), ("b", bg, bs))
        found = None
        for j in sorted({j for k in index for j in heads_by.get(k, ())}):
            h = ranked[j]
            decided = _decide(e, h, registry)
            if decided:
                found = (h, decided)
                break
        if found is None:
            for k in index:
                heads_by.setdefault(k, []).append(i)
            continue
        h, (pairs, evidence, by_context) = found
        links.append(EntityLink(e.id, h.id, pairs, e.count, h.count, tuple(e.files), tuple(h.files), evidence,
                                frozenset(h.context - set(e.id) - set(h.id)) if by_context else frozenset()))
    return Clusters(_word_clusters(tables, links, registry), tuple(links))


def _word_clusters(tables: Mapping[str, Any], links: list[EntityLink], registry: Any) -> tuple[Cluster, ...]:
    """Name words joined by the files' own decisions and by entity links."""
    edges: list[tuple[str, str, str, str]] = []  # (variant, head, reason, scope)
    for path in sorted(tables):
        for variant, head, reason in (tables[path] or {}).get("links", ()):
            edges.append((variant, head, reason, Scope.REGISTRY if reason == "registry" else Scope.ARTICLE))
    for link in links:
        for x, y, reason in link.pairs:
            edges.append((x, y, reason, Scope.CORPUS))
    if not edges:
        return ()
    parent: dict[str, str] = {}

    def find(k: str) -> str:
        root = k
        while parent.get(root, root) != root:
            root = parent[root]
        while parent.get(k, k) != root:
            parent[k], k = root, parent[k]
        return root

    for v, h, _, _ in edges:
        a, b = find(v), find(h)
        if a != b:
            parent[max(a, b)] = min(a, b)
    wanted = set(parent) | {k for v, h, _, _ in edges for k in (v, h)}
    count: dict[str, int] = {}
    files: dict[str, list[str]] = {}
    surfaces: dict[str, dict[str, int]] = {}
    for path in sorted(tables):
        for key, (surface, n) in (tables[path] or {}).get("words", {}).items():
            if key in wanted:
                count[key] = count.get(key, 0) + n
                files.setdefault(key, []).append(path)
                sf = surfaces.setdefault(key, {})
                sf[surface] = sf.get(surface, 0) + n
    how: dict[str, tuple[str, str]] = {}
    heads = set()
    for v, h, reason, scope in edges:
        how.setdefault(v, (reason, scope))
        heads.add(h)
    for v, h, reason, scope in edges:
        how.setdefault(h, (reason, scope))  # a head that another file's count outranks
    groups: dict[str, list[str]] = {}
    for k in sorted(wanted):
        groups.setdefault(find(k), []).append(k)
    out = []
    for members in groups.values():
        if len(members) < 2:
            continue
        def rank(k: str) -> tuple:
            # ties: a spelling the files chose as head, then the first file, then the key
            return (0 if registry.is_canonical(k) else 1, -count.get(k, 0), 0 if k in heads else 1, files.get(k, ["\uffff"])[0], k)
        members.sort(key=rank)
        head = members[0]

        def spelled(k: str) -> str:
            sf = surfaces.get(k)
            if sf:
                return min(sf, key=lambda s: (-sf[s], s))
            return registry.canonical.get(k, k)

        variants = tuple(
            Variant(k, spelled(k), count.get(k, 0), tuple(files.get(k, ())), *how.get(k, ("registry", Scope.REGISTRY)))
            for k in members[1:]
        )
        out.append(Cluster(head, spelled(head), count.get(head, 0), tuple(files.get(head, ())), variants))
    out.sort(key=lambda c: (-c.count, c.key))
    return tuple(out)


def corpus_decisions(clusters: Clusters, tables: Mapping[str, Any]) -> dict[str, list[Decision]]:
    """Per file, the cross-file decisions: spans (decoded-file coordinates) of a
    linked entity's variant word, where the article itself did not decide."""
    out: dict[str, list[Decision]] = {}
    for link in clusters.links:
        for path in link.variant_files:
            table = tables.get(path) or {}
            words = table.get("words", {})
            if link.head_context and len(link.head_context.intersection(table.get("context", ()))) < CONTEXT_MIN:
                continue  # linked by context, which this file does not share
            decided = {k for v, h, _ in table.get("links", ()) for k in (v, h)}
            for ent_words, _, spans in table.get("entities", ()):
                if (ent_words[0], ent_words[-1]) != link.variant:
                    continue
                for x, y, reason in link.pairs:
                    if x in decided or y in decided or y in words:
                        continue  # the article sees both spellings: its own check decides
                    hit = tuple(Span(s, e) for s, e, pos in spans if ent_words[pos] == x)
                    if not hit:
                        continue
                    expected, head_count = _spelling_of(y, link.head_files, tables)
                    _, variant_count = _spelling_of(x, link.variant_files, tables)
                    out.setdefault(path, []).append(Decision(
                        variant=x, head=y, found=words.get(x, [x])[0], expected=expected, reason=reason,
                        scope=Scope.CORPUS, applicability=Applicability.UNSAFE, spans=hit,
                        head_count=head_count, variant_count=variant_count,
                        head_files=link.head_files, evidence=link.evidence,
                    ))
    for path in out:
        out[path].sort(key=lambda d: (d.spans[0].start, d.variant))
    return out


def _spelling_of(key: str, paths: Iterable[str], tables: Mapping[str, Any]) -> tuple[str, int]:
    """How ``paths`` write name word ``key`` most often (ties: alphabetical), and how often in all."""
    seen: dict[str, int] = {}
    for path in paths:
        item = (tables.get(path) or {}).get("words", {}).get(key)
        if item:
            seen[item[0]] = seen.get(item[0], 0) + item[1]
    return (min(seen, key=lambda s: (-seen[s], s)) if seen else key), sum(seen.values())
