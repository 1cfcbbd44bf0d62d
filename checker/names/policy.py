"""When a name fix is safe: the policy ``--fix`` trusts (docs/names.md, "Fixes").

Changing a person's name in a published article is the worst thing mtlint
can do, so a fix is ``safe`` (applied by ``--fix`` unattended) only when the
evidence is certain, and every other finding carries an ``unsafe`` fix that
a person applies with ``--unsafe-fixes`` after reading it:

1. **registry**: the newsroom's names registry lists this exact spelling as a
   variant of its canonical spelling -> safe, in any file;
2. **cross-file**: another file's spelling is never certain -> unsafe;
3. **registry canonical by similarity**: the registry's canonical spelling
   matched by the algorithm, not listed -> unsafe;
4. **in-article**: safe only with a clear majority in the same document
   (the dominant spelling at least ``SAFE_RATIO`` times as often as the
   variant) and a variant that is not itself an established word or name
   (wordfreq Zipf below ``keys.ESTABLISHED``: "Hifter" yes, "Hoffmann" or
   "Martyn" no) -> safe; ties and anything less -> unsafe.
"""

from __future__ import annotations

from ..findings import Applicability
from .keys import ESTABLISHED

__all__ = ["SAFE_RATIO", "Scope", "fix_applicability"]

#: the dominant spelling must occur at least this many times as often as the variant
SAFE_RATIO = 3


class Scope:
    """Where a decision comes from."""

    REGISTRY = "registry"  #: the registry lists the spelling
    CANONICAL = "canonical"  #: similar to a registry canonical spelling
    ARTICLE = "article"  #: the article's own majority
    CORPUS = "corpus"  #: another file's spelling of an anchored entity


def fix_applicability(scope: str, *, head_count: int = 0, variant_count: int = 1, variant_zipf: float = 0.0) -> Applicability:
    """``safe`` or ``unsafe`` for one decision (see the module doc for the four branches)."""
    if scope == Scope.REGISTRY:
        return Applicability.SAFE
    if scope != Scope.ARTICLE:
        return Applicability.UNSAFE
    if variant_count > 0 and head_count >= SAFE_RATIO * variant_count and variant_zipf < ESTABLISHED:
        return Applicability.SAFE
    return Applicability.UNSAFE
