"""``name_cluster``: one name, one spelling -- within an article and across a run.

Reads ``doc.names``, turns every name word into a ``Spelling`` (see
``checker.namematch``), clusters the spellings of the document once
(blocked by key, scored within blocks) and reports every mention of a
minority spelling with the dominant spelling as suggestion and safe fix,
and ``related`` spans pointing at the dominant mentions.

Dominance: a spelling the names registry declares canonical wins; then the
most frequent spelling; ties go to the first mention.  Guards against false
merges live in ``namematch.variant_reason`` (look-alikes, derived forms,
established words) and here: two spellings are not merged when every
mention of both carries other name words and none of those agree
(different people who share a surname: "Ali Khamenei" / "Ruhollah
Khomeini"), nor when the registry says never to merge them.

Cross-file (``corpus = True``): ``collect`` returns each file's spellings,
counts and raw spans; ``check_corpus`` clusters the spellings of the whole
run with global counts and flags a spelling that is a minority across the
run even when it is the only spelling in its own file.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterator, Mapping

from ..findings import Applicability, Edit, Finding, Fix, Related
from ..rule import Fixability, RuleContext
from ..schema import doc
from ..spans import Span
from ..kinds.base import KindRule
from ..kinds.lexicon import check_template

if TYPE_CHECKING:
    from ..document import Document
    from .keys import Spelling

__all__ = ["NameClusterRule", "NameClusterSpec", "NameClusterOptions"]

_PLACEHOLDERS = {"found", "expected", "count", "variant_count", "reason"}


@dataclass(frozen=True)
class NameClusterSpec:
    message: str = doc(
        "finding message: {found}, {expected}, {count} (mentions of the dominant spelling), {variant_count}, {reason}",
        "{found!r} is spelled {expected!r} {count} time(s) elsewhere in this article: one person or place, one spelling.",
    )
    corpus_message: str = doc(
        "cross-file message: {found}, {expected}, {count} (uses across the run), {variant_count}, {reason}",
        "{found!r} is spelled {expected!r} {count} time(s) across the checked files: one person or place, one spelling.",
    )
    registry_message: str = doc(
        "message when the names registry decides: {found}, {expected}",
        "{found!r}: the names registry spells this name {expected!r}.",
    )
    max_related: int = doc("how many dominant mentions a finding lists as related", 5)


@dataclass(frozen=True)
class NameClusterOptions:
    cross_file: bool = doc("when several files are checked, flag spellings that are a minority across the whole run", True)
    min_dominant: int = doc("the dominant spelling must occur at least this often in the article", 1)


@dataclass
class _Entry:
    """Every mention of one spelling in one document (or run)."""

    spelling: "Spelling"
    count: int = 0
    first: tuple[str, int] = ("", 0)
    spans: list[Span] | None = None
    surfaces: Counter | None = None
    contexts: list[frozenset[str]] | None = None


def _registry(ctx: RuleContext) -> Any:
    reg = ctx.services.get("names:registry") if ctx.services else None
    if reg is None:
        from .registry import Registry

        reg = Registry.empty()
    return reg


def _people_agree(m: _Entry, h: _Entry) -> bool:
    """False when both spellings always come with other name words and none agree."""
    if not m.contexts or not h.contexts:
        return True
    if any(not c for c in m.contexts) or any(not c for c in h.contexts):
        return True
    from .keys import make_spelling, variant_reason

    mine = set().union(*m.contexts)
    theirs = set().union(*h.contexts)
    if mine & theirs:
        return True
    ms = [make_spelling(x) for x in sorted(mine)]
    ts = [make_spelling(x) for x in sorted(theirs)]
    return any(variant_reason(a, b) for a in ms for b in ts)


def document_entries(doc: "Document") -> dict[str, _Entry]:
    """Every name word of ``doc`` grouped by spelling (case-insensitive)."""
    from .keys import make_spelling

    entries: dict[str, _Entry] = {}
    cache: dict[str, Spelling] = {}
    for mention in doc.names:
        cores = mention.cores
        folds = [c.core.lower() for c in cores]
        for i, part in enumerate(cores):
            core = part.core
            if len(core) < 2 or not any(ch.isalpha() for ch in core):
                continue
            key = core.lower()
            e = entries.get(key)
            if e is None:
                sp = cache.get(core) or make_spelling(core)
                cache[core] = sp
                e = entries[key] = _Entry(sp, 0, (doc.path, part.span.start), [], Counter(), [])
            e.count += 1
            e.spans.append(part.span)
            e.surfaces[part.text] += 1
            e.contexts.append(frozenset(f for k, f in enumerate(folds) if k != i))
    return entries

def attach(entries: Mapping[str, _Entry], registry: Any) -> tuple[dict[str, tuple[str, str]], dict[str, _Entry]]:
    """Cluster the spellings: ``({minority: (head, reason)}, entries incl. registry canonicals)``."""
    from .cluster import cluster_spellings
    from .keys import make_spelling

    pool = dict(entries)
    # registry canonical spellings take part even when the article lacks them
    for canon in registry.canonicals_for(pool.keys()):
        if canon.lower() not in pool:
            pool[canon.lower()] = _Entry(make_spelling(canon), 0, ("", -1), [], Counter(), [])

    def rank(s: "Spelling") -> tuple:
        e = pool[s.key]
        return (0 if registry.is_canonical(s.key) else 1, -e.count, e.first)

    def allowed(m: "Spelling", h: "Spelling") -> bool:
        if registry.is_canonical(h.key) and pool[h.key].count == 0:
            return True
        return _people_agree(pool[m.key], pool[h.key])

    attached = cluster_spellings([e.spelling for e in pool.values()], rank, never=registry.never, allowed=allowed)
    # the registry's own variant lists win over the algorithm
    for key in pool:
        canon = registry.canonical_of(key)
        if canon and canon.lower() != key:
            if canon.lower() not in pool:
                pool[canon.lower()] = _Entry(make_spelling(canon), 0, ("", -1), [], Counter(), [])
            attached[key] = (canon.lower(), "registry")
    for key in list(attached):
        if registry.is_accepted(key):
            del attached[key]
    return attached, pool



class NameClusterRule(KindRule):
    """Flags minority spellings of a name (Hifter/Hafter when Haftar dominates)."""

    Spec = NameClusterSpec
    Options = NameClusterOptions
    needs: frozenset[str] = frozenset({"names", "names:registry"})
    fixable = Fixability.ALWAYS
    corpus = True

    def prepare(self, base_dir: Path) -> None:
        check_template(self.spec.message, _PLACEHOLDERS, "message")
        check_template(self.spec.corpus_message, _PLACEHOLDERS, "corpus-message")
        check_template(self.spec.registry_message, _PLACEHOLDERS, "registry-message")

    def check(self, doc: "Document", ctx: RuleContext) -> Iterator[Finding]:
        entries = document_entries(doc)
        if len(entries) < 1:
            return
        registry = _registry(ctx)
        attached, pool = attach(entries, registry)
        min_dom = getattr(ctx.options, "min_dominant", 1)
        for key, (head_key, reason) in sorted(attached.items(), key=lambda kv: pool[kv[0]].first):
            m = entries.get(key)
            if m is None:
                continue
            h = pool[head_key]
            from_registry = h.count == 0 or reason == "registry"
            if not from_registry and h.count < min_dom:
                continue
            expected = h.surfaces.most_common(1)[0][0] if h.surfaces else h.spelling.text
            for span in m.spans:
                found = doc.text[span.start : span.end]
                values = {"found": found, "expected": expected, "count": h.count, "variant_count": m.count, "reason": reason}
                template = self.spec.registry_message if from_registry else self.spec.message
                related = [Related(s, f"dominant spelling {expected!r}") for s in (h.spans or [])[: self.spec.max_related]]
                yield ctx.finding(
                    span,
                    template.format_map(values),
                    suggestions=(expected,),
                    fix=Fix(f"Replace with {expected!r}", (Edit(span, expected),), Applicability.SAFE),
                    related=related,
                    data={"dominant": expected, "dominant_count": h.count, "variant_count": m.count, "reason": reason},
                )

    # -- across files ------------------------------------------------------------
    def collect(self, doc: "Document", ctx: RuleContext) -> dict[str, Any]:
        if not getattr(ctx.options, "cross_file", True):
            return {}
        entries = document_entries(doc)
        attached, _ = attach(entries, _registry(ctx))
        out = {}
        for key, e in entries.items():
            out[key] = {
                "text": e.spelling.text,
                "count": e.count,
                "spans": [(s.start, s.end) for s in (doc.to_raw(sp) for sp in e.spans)],
                "surface": e.surfaces.most_common(1)[0][0],
                "contexts": [sorted(c) for c in e.contexts],
                # flagged here already, or flagged another spelling towards it
                "local": key in attached or any(h == key for h, _ in attached.values()),
                "first": e.first[1],
            }
        return out

    def check_corpus(self, collected: Mapping[str, Mapping[str, Any]], ctx: RuleContext) -> dict[str, list[Finding]]:
        from .keys import make_spelling

        merged: dict[str, _Entry] = {}
        files_of: dict[str, list[str]] = {}
        for path in sorted(collected):
            for key, item in collected[path].items():
                e = merged.get(key)
                if e is None:
                    e = merged[key] = _Entry(make_spelling(item["text"]), 0, (path, item["first"]), [], Counter(), [])
                e.count += item["count"]
                e.surfaces[item["surface"]] += item["count"]
                e.contexts.extend(frozenset(c) for c in item["contexts"])
                files_of.setdefault(key, []).append(path)
        if not merged:
            return {}
        registry = _registry(ctx)
        attached, pool = attach(merged, registry)
        out: dict[str, list[Finding]] = {}
        for key, (head_key, reason) in attached.items():
            h = pool[head_key]
            expected = h.surfaces.most_common(1)[0][0] if h.surfaces else h.spelling.text
            for path in files_of.get(key, []):
                item = collected[path][key]
                if item["local"] or head_key in collected[path]:
                    continue  # the article's own check decided
                for start, end in item["spans"]:
                    span = Span(start, end)
                    template = self.spec.registry_message if (h.count == 0 or reason == "registry") else self.spec.corpus_message
                    values = {"found": item["surface"], "expected": expected, "count": h.count,
                              "variant_count": merged[key].count, "reason": reason}
                    others = ", ".join(p for p in files_of.get(head_key, [])[:3])
                    out.setdefault(path, []).append(
                        Finding(
                            code=self.meta.code,
                            name=self.meta.name,
                            category=self.meta.category,
                            severity=ctx.severity if ctx.severity is not None else self.meta.severity,
                            message=template.format_map(values),
                            span=span,
                            suggestions=(expected,),
                            fix=Fix(f"Replace with {expected!r}", (Edit(span, expected),), Applicability.SAFE),
                            data={"dominant": expected, "dominant_count": h.count, "variant_count": merged[key].count,
                                  "reason": reason, "cross_file": True, "dominant_files": others},
                        )
                    )
        return out
