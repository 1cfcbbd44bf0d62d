"""A test-only corpus kind: flags a spelling when another file spells the name another way.

Used to prove the cross-file protocol under ``--jobs``: ``collect`` runs in
worker processes, ``check_corpus`` in the parent over every file.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from checker.rule import Fixability, NoOptions
from checker.schema import doc
from checker.spans import Span


@dataclass(frozen=True)
class Spec:
    pairs: tuple[Any, ...] = doc("[variant, canonical] pairs", ())


class CrossFileKind:
    Spec = Spec
    Options = NoOptions
    needs: frozenset[str] = frozenset({"words"})
    fixable = Fixability.NEVER
    corpus = True

    def __init__(self, meta: Any, spec: Spec, base_dir: Path) -> None:
        self.meta = meta
        self.pairs = {v: c for v, c in spec.pairs}

    def check(self, doc: Any, ctx: Any):
        return ()

    def collect(self, doc: Any, ctx: Any) -> dict[str, list[tuple[int, int]]]:
        out: dict[str, list[tuple[int, int]]] = {}
        wanted = set(self.pairs) | set(self.pairs.values())
        for w in doc.words:
            if w.text in wanted:
                raw = doc.to_raw(Span(w.start, w.end))
                out.setdefault(w.text, []).append((raw.start, raw.end))
        return out

    def check_corpus(self, collected: dict[str, Any], ctx: Any) -> dict[str, list[Any]]:
        seen = {name for data in collected.values() for name in data}
        result: dict[str, list[Any]] = {}
        for path, data in sorted(collected.items()):
            for variant, canonical in self.pairs.items():
                if variant in data and canonical in seen:
                    for s, e in data[variant]:
                        result.setdefault(path, []).append(
                            ctx.finding(Span(s, e), f"{variant!r}: other articles spell it {canonical!r}", suggestions=(canonical,))
                        )
        return result
