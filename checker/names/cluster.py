"""Clustering spellings: blocked, rank-ordered attachment to heads.

``cluster_spellings`` groups spellings by their ``block`` key (so it is
never all-pairs), then inside each block attaches every spelling, in rank
order, to the best-ranked earlier *head* it is a variant of; a spelling that
joins no head becomes one.  There are no chains: every minority points at a
head.

Only *candidate* pairs reach ``variant_reason`` (the costly decision): the
same fold, the same skeleton, or a rapidfuzz ratio of at least 75 on the
folds or 85 on the normalised keys.  Every branch of ``variant_reason`` that
can answer yes requires one of these (its ending tier needs a fold ratio of
75, its loose tier a score of 85, the others an equal skeleton), so the
prefilter never changes a decision; it only skips pairs that cannot be
variants.  Big blocks find their candidates with ``rapidfuzz.process.extract``
(C loops, no numpy).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable, Iterable, Mapping, Sequence, TypeVar

from .keys import COMMON_WORD, ESTABLISHED, Spelling, make_spelling, variant_reason

if TYPE_CHECKING:
    from .entities import Word

__all__ = ["cluster_spellings", "attach_heads", "maybe_variants", "attach", "people_agree", "needs_anchor", "anchored"]

T = TypeVar("T")

#: fold ratio and normalised-key ratio below which ``variant_reason`` can never say yes
_FOLD_CUTOFF = 75.0
_FINE_CUTOFF = 85.0
#: blocks larger than this find candidates with rapidfuzz.process.extract
_BIG_BLOCK = 24


def maybe_variants(a: Spelling, b: Spelling) -> bool:
    """The cheap prefilter: False only when ``variant_reason(a, b)`` is certainly None."""
    if a.fold == b.fold or a.skeleton == b.skeleton:
        return True
    from rapidfuzz.fuzz import ratio

    return ratio(a.fold, b.fold) >= _FOLD_CUTOFF or ratio(a.fine, b.fine) >= _FINE_CUTOFF


def attach_heads(
    items: Sequence[T],
    candidates: Callable[[int, list[int]], Iterable[int]],
    decide: Callable[[T, T], str | None],
) -> dict[int, tuple[int, str]]:
    """Greedy attachment of ranked ``items`` (best first) to heads.

    ``candidates(i, heads)`` yields indices of heads (ascending, a subset of
    ``heads``) that may match item ``i``; ``decide(item, head)`` returns a
    reason or None.  Returns ``{item index: (head index, reason)}``.
    """
    out: dict[int, tuple[int, str]] = {}
    heads: list[int] = []
    for i, item in enumerate(items):
        for j in candidates(i, heads):
            reason = decide(item, items[j])
            if reason:
                out[i] = (j, reason)
                break
        else:
            heads.append(i)
    return out


def cluster_spellings(
    spellings: Iterable[Spelling],
    rank: Callable[[Spelling], tuple],
    *,
    never: Callable[[str, str], bool] = lambda a, b: False,
    allowed: Callable[[Spelling, Spelling, str], bool] = lambda m, h, reason: True,
) -> dict[str, tuple[str, str]]:
    """Attach each minority spelling to its dominant one.

    ``rank`` orders spellings, best first (registry canonical, then count,
    then first mention).  ``never(minority key, head key)`` and
    ``allowed(minority, head, reason)`` may veto a pair.
    Returns ``{minority key: (head key, reason)}``.
    """
    blocks: dict[str, list[Spelling]] = {}
    for s in spellings:
        blocks.setdefault(s.block, []).append(s)

    def decide(s: Spelling, h: Spelling) -> str | None:
        reason = variant_reason(s, h)
        if reason and not never(s.key, h.key) and allowed(s, h, reason):
            return reason
        return None

    out: dict[str, tuple[str, str]] = {}
    for block in sorted(blocks):
        members = blocks[block]
        if len(members) < 2:
            continue
        members.sort(key=rank)
        pick = _big_block_candidates(members) if len(members) > _BIG_BLOCK else _small_block_candidates(members)
        for i, (j, reason) in attach_heads(members, pick, decide).items():
            out[members[i].key] = (members[j].key, reason)
    return out


def _small_block_candidates(members: list[Spelling]) -> Callable[[int, list[int]], Iterable[int]]:
    from rapidfuzz.fuzz import ratio

    def pick(i: int, heads: list[int]) -> Iterable[int]:
        s = members[i]
        for j in heads:
            h = members[j]
            if (s.fold == h.fold or s.skeleton == h.skeleton or ratio(s.fold, h.fold) >= _FOLD_CUTOFF
                    or ratio(s.fine, h.fine) >= _FINE_CUTOFF):
                yield j

    return pick


def _big_block_candidates(members: list[Spelling]) -> Callable[[int, list[int]], Iterable[int]]:
    from rapidfuzz.fuzz import ratio
    from rapidfuzz.process import extract

    # the heads seen so far, indexed as they come (heads only ever grow)
    head_ids: list[int] = []
    head_folds: list[str] = []
    head_fines: list[str] = []
    by_key: dict[str, list[int]] = {}

    def pick(i: int, heads: list[int]) -> Iterable[int]:
        for j in heads[len(head_ids) :]:
            h = members[j]
            head_ids.append(j)
            head_folds.append(h.fold)
            head_fines.append(h.fine)
            by_key.setdefault("s" + h.skeleton, []).append(j)
            by_key.setdefault("f" + h.fold, []).append(j)
        if not head_ids:
            return ()
        s = members[i]
        found = {head_ids[k] for _, _, k in extract(s.fold, head_folds, scorer=ratio, score_cutoff=_FOLD_CUTOFF, limit=None)}
        found.update(head_ids[k] for _, _, k in extract(s.fine, head_fines, scorer=ratio, score_cutoff=_FINE_CUTOFF, limit=None))
        found.update(by_key.get("s" + s.skeleton, ()))
        found.update(by_key.get("f" + s.fold, ()))
        return sorted(found)

    return pick


def _mention_words(w: "Word") -> frozenset[str]:
    return frozenset().union(*w.contexts) if w.contexts else frozenset()


def people_agree(m: "Word", h: "Word") -> bool:
    """False when both spellings always come with other name words and none agree
    (different people who share a surname-like spelling: "Ali Khamenei" / "Ruhollah Khomeini")."""
    if not m.contexts or not h.contexts:
        return True
    if any(not c for c in m.contexts) or any(not c for c in h.contexts):
        return True
    mine, theirs = _mention_words(m), _mention_words(h)
    if mine & theirs:
        return True
    ms = [make_spelling(x) for x in sorted(mine)]
    ts = [make_spelling(x) for x in sorted(theirs)]
    return any(variant_reason(a, b) for a in ms for b in ts)


def anchored(a: "Word", b: "Word", *, lone_link: bool) -> bool:
    """The article ties two spellings together: a name word their mentions share
    ("Martyn Williams" / "Martin Williams"), or (``lone_link``) one is only ever
    written alone and the other is the surname of the article's one entity with
    it ("Dustin Hoffman" ... "Hoffmann said")."""
    if _mention_words(a) & _mention_words(b):
        return True
    return lone_link and ((a.lone_only and b.surname_of == 1) or (b.lone_only and a.surname_of == 1))


def needs_anchor(m: Spelling, h: Spelling, reason: str) -> bool:
    """Pairs the article must tie together itself (a name word shared by their mentions).

    Two established names (Martin/Martyn, Allan/Alan, Paterson/Patterson: both
    at least Zipf 2.5) are two people unless the article writes both with the
    same other name ("Martyn Williams" ... "Martin Williams"); nor does a rare
    word become a common English word (School/Scholl, Human/Hamann: one at
    least Zipf 4.0) by differing in its vowels or letters.  Diacritics alone
    (Erdoğan/Erdogan) need nothing.
    """
    if reason == "diacritics":
        return False
    if min(m.zipf, h.zipf) >= ESTABLISHED:
        return True
    return max(m.zipf, h.zipf) >= COMMON_WORD and reason in ("vowels", "loose")


def attach(words: Mapping[str, "Word"], registry: Any) -> tuple[dict[str, tuple[str, str]], dict[str, "Word"]]:
    """Cluster one document's name words: ``({variant key: (head key, reason)}, pool)``.

    The pool is ``words`` plus the registry's canonical spellings (count 0)
    that take part even when the article lacks them.  Dominance: a registry
    canonical spelling, then the count, then the first mention.  The
    registry's own variant lists win over the algorithm (reason
    ``registry``); accepted variants are never attached.
    """
    from .entities import Word

    pool: dict[str, Word] = dict(words)
    for canon in registry.canonicals_for(pool.keys()):
        if canon.lower() not in pool:
            pool[canon.lower()] = Word(canon.lower(), canon, 0, -1)

    def rank(s: Spelling) -> tuple:
        w = pool[s.key]
        return (0 if registry.is_canonical(s.key) else 1, -w.count, w.first, s.key)

    def allowed(m: Spelling, h: Spelling, reason: str) -> bool:
        head = pool[h.key]
        if head.count == 0:
            return registry.is_canonical(h.key)
        minority = pool[m.key]
        if needs_anchor(m, h, reason):
            return anchored(minority, head, lone_link=min(m.zipf, h.zipf) >= ESTABLISHED)
        return people_agree(minority, head)

    attached = cluster_spellings([make_spelling(w.text) for w in pool.values()], rank, never=registry.never, allowed=allowed)
    for key in list(pool):
        canon = registry.canonical_of(key)
        if canon and canon.lower() != key:
            if canon.lower() not in pool:
                pool[canon.lower()] = Word(canon.lower(), canon, 0, -1)
            attached[key] = (canon.lower(), "registry")
    for key in list(attached):
        if registry.is_accepted(key):
            del attached[key]
    return attached, pool
