"""The names registry: a newsroom's own list of name spellings.

A TOML or YAML file kept in the content repository and named in the config
(``[tool.mtlint.names] registry = "names.toml"``, relative to the config
file).  It declares canonical spellings, their variants (always flagged and
corrected to the canonical form, even when the algorithm would not join
them), accepted variants (joined but never flagged) and pairs that must
never be merged::

    never-merge = [["Khamenei", "Khomeini"]]

    [[name]]
    canonical = "Khalifa Haftar"
    variants = ["Khalifa Hifter", "Hafter"]
    accepted = []

Entries work on name words: a multi-word entry is aligned word by word with
its variants of the same length (else last word with last word), so
"Khalifa Hifter" makes "Hifter" a variant of "Haftar".  A canonical form
wins over frequency when the clustering picks the dominant spelling.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Mapping

from ..schema import SchemaError, build, doc

__all__ = ["Registry", "RegistryError", "load_registry", "registry_service", "RegistryFile", "RegistryEntry",
           "propose_registry", "write_registry"]


class RegistryError(ValueError):
    pass


@dataclass(frozen=True)
class RegistryEntry:
    canonical: str = doc("the house spelling")
    variants: tuple[str, ...] = doc("spellings corrected to the canonical one", ())
    accepted: tuple[str, ...] = doc("spellings allowed besides the canonical one (never flagged)", ())
    note: str = doc("free text for editors", "")


@dataclass(frozen=True)
class RegistryFile:
    name: tuple[RegistryEntry, ...] = doc("one table per name", ())
    never_merge: tuple[tuple[str, ...], ...] = doc("groups of spellings that are different names", ())


def _words(text: str) -> list[str]:
    from .extract import core

    return [core(w.rstrip("'’")) for w in text.split() if w[:1].isupper() or "-" in w]


@dataclass
class Registry:
    """Token-level lookups built from a registry file (immutable after load)."""

    canonical: dict[str, str] = field(default_factory=dict)  # key -> canonical word
    variant: dict[str, str] = field(default_factory=dict)  # key -> canonical word
    accepted: set[str] = field(default_factory=set)
    never_pairs: set[frozenset[str]] = field(default_factory=set)
    path: str = ""
    #: canonical words by matching block, built on first use
    _by_block: dict[str, list[str]] | None = field(default=None, repr=False, compare=False)

    @classmethod
    def empty(cls) -> "Registry":
        return cls()

    @classmethod
    def from_file(cls, data: RegistryFile, path: str = "") -> "Registry":
        reg = cls(path=path)
        for e in data.name:
            canon = _words(e.canonical)
            for w in canon:
                reg.canonical[w.lower()] = w
            for kind, forms in (("variant", e.variants), ("accepted", e.accepted)):
                for form in forms:
                    words = _words(form)
                    if len(words) == len(canon):
                        pairs = list(zip(words, canon))
                    elif words and canon:
                        pairs = [(words[-1], canon[-1])]
                    else:
                        pairs = []
                    for w, c in pairs:
                        if w.lower() == c.lower():
                            continue
                        if kind == "variant":
                            reg.variant[w.lower()] = c
                        else:
                            reg.accepted.add(w.lower())
        for group in data.never_merge:
            words = [w.lower() for g in group for w in _words(g)]
            for i, a in enumerate(words):
                for b in words[i + 1 :]:
                    reg.never_pairs.add(frozenset((a, b)))
        return reg

    def __bool__(self) -> bool:
        return bool(self.canonical or self.variant or self.accepted or self.never_pairs)

    def is_canonical(self, key: str) -> bool:
        return key in self.canonical

    def is_accepted(self, key: str) -> bool:
        return key in self.accepted

    def canonical_of(self, key: str) -> str | None:
        return self.variant.get(key)

    def canonicals_for(self, keys: Iterable[str]) -> list[str]:
        """Canonical words that may be variants of these spellings: those in the same block."""
        if not self.canonical:
            return []
        from .keys import make_spelling

        by_block = self._by_block
        if by_block is None:
            by_block = self._by_block = {}
            for word in sorted(self.canonical.values()):
                by_block.setdefault(make_spelling(word).block, []).append(word)
        out = {w for k in keys for w in by_block.get(make_spelling(k).block, ())}
        return sorted(out)

    def never(self, a: str, b: str) -> bool:
        return frozenset((a, b)) in self.never_pairs


def load_registry(path: Path) -> Registry:
    """Read a registry file (``.toml``, ``.yaml`` or ``.yml``); raises ``RegistryError``."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise RegistryError(f"{path}: cannot read names registry: {exc.strerror or exc}") from None
    try:
        if path.suffix.lower() in (".yaml", ".yml"):
            import yaml

            data = yaml.safe_load(raw.decode("utf-8")) or {}
        else:
            if sys.version_info >= (3, 11):
                import tomllib
            else:  # pragma: no cover
                import tomli as tomllib
            data = tomllib.loads(raw.decode("utf-8"))
    except Exception as exc:
        raise RegistryError(f"{path}: invalid names registry: {exc}") from None
    if not isinstance(data, Mapping):
        raise RegistryError(f"{path}: a names registry is a table with [[name]] entries")
    try:
        parsed = build(RegistryFile, data)
    except SchemaError as exc:
        raise RegistryError(f"{path}: key '{exc.key}': {exc.problem}") from None
    return Registry.from_file(parsed, str(path))


def registry_service(config: Any) -> Registry:
    """Service factory (``names:registry``): the registry the config names, or an empty one."""
    from ..services import ServiceUnavailable

    names = getattr(config, "names", None)
    rel = getattr(names, "registry", "") if names is not None else ""
    if not rel:
        return Registry.empty()
    path = Path(config.root or ".") / rel
    try:
        return load_registry(path)
    except RegistryError as exc:
        # the config names this file: a missing or broken registry is a broken config (exit 2)
        raise ServiceUnavailable(str(exc), fatal=True) from None


def propose_registry(clusters: Any) -> list[dict[str, Any]]:
    """Clusters (``checker.names.reduce``) as registry entries for an editor to review:
    ``[{canonical, count, files, variants: [{spelling, count, files, reason, scope}]}]``,
    most frequent name first.  The canonical spelling is the most frequent one
    (or the registry's own)."""
    out = []
    for c in clusters.clusters:
        out.append({
            "canonical": c.canonical,
            "count": c.count,
            "files": list(c.files),
            "variants": [
                {"spelling": v.spelling, "count": v.count, "files": list(v.files), "reason": v.reason, "scope": v.scope}
                for v in c.variants
            ],
        })
    return out


def write_registry(entries: list[dict[str, Any]], stream: Any, *, max_files: int = 5) -> None:
    """Write ``propose_registry`` entries as a starting registry in TOML, with the
    counts and files behind each spelling as comments and in ``note``."""

    def q(s: str) -> str:
        return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'

    def where(files: list[str]) -> str:
        shown = ", ".join(files[:max_files])
        return shown + (f" and {len(files) - max_files} more" if len(files) > max_files else "")

    stream.write("# mtlint names registry: canonical spellings, variants to correct, accepted variants.\n")
    stream.write("# Generated by `mtlint names --write-registry`: the most frequent spelling of each name is\n")
    stream.write("# proposed as canonical.  Review every entry: move a spelling that is another person or place\n")
    stream.write("# into never-merge, one that is also right into accepted, and delete what you do not want.\n")
    stream.write("never-merge = []\n")
    for e in entries:
        stream.write("\n[[name]]\n")
        stream.write(f"# {e['canonical']}: {e['count']}x in {len(e['files'])} file(s): {where(e['files'])}\n")
        for v in e["variants"]:
            stream.write(f"# {v['spelling']}: {v['count']}x ({v['scope']}, {v['reason']}) in {where(v['files'])}\n")
        stream.write(f"canonical = {q(e['canonical'])}\n")
        stream.write("variants = [" + ", ".join(q(v["spelling"]) for v in e["variants"]) + "]\n")
        stream.write("accepted = []\n")
        note = f"{e['count']}x; " + "; ".join(f"{v['spelling']} {v['count']}x" for v in e["variants"])
        stream.write(f"note = {q(note)}\n")
