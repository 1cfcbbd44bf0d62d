"""Rule packs → an immutable ``RuleSet``; selection of the rules to run.

A pack is a folder with ``pack.yaml`` and one YAML file per rule.  Built-in
packs (``rules/`` in the source tree, shipped in the wheel) and extra pack
folders from the config load through the same path; third-party packs can
also register folders through the ``mtlint.packs`` entry-point group.

Selection precedence (documented in the README and tested): a reference is
matched at the most specific level it can be -- exact code or alias (4) >
rule name (3) > pack id or code prefix (2) > category or tag (1) > ``ALL``
(0).  A rule runs when its most specific ``select`` match is more specific
than its most specific ``ignore`` match; at the same level ``ignore`` wins.
"""

from __future__ import annotations

import hashlib
import json
import re
from functools import lru_cache
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any, Iterable, Mapping, Sequence

from .findings import CATEGORIES, InputError, Severity
from .kinds import BUILTIN_KINDS, UnknownKind, load_kind
from .rule import Fixability, NoOptions, QuotePolicy, Rule, RuleMeta, Status
from .schema import SchemaError, build, doc

__all__ = ["PackMeta", "RuleSet", "load_ruleset", "DeferredRule", "kind_class", "RuleFileError", "CODE_RE", "NAME_RE"]

CODE_RE = re.compile(r"^[A-Z]{2}\d{3}$")
NAME_RE = re.compile(r"^[a-z]+\.[a-z0-9_]+$")
PREFIX_RE = re.compile(r"^[A-Z]{2}\d{0,2}$")


class RuleFileError(Exception):
    """A pack or rule file could not be loaded; carries the path."""

    def __init__(self, path: Path | str, message: str) -> None:
        self.path = str(path)
        self.message = message
        super().__init__(f"{path}: {message}")


class RuleBuildError(RuleFileError):
    """A rule file whose header is valid, but whose kind object could not be built."""


@dataclass(frozen=True)
class PackMeta:
    """A rule pack: a folder of rules that share a code prefix."""

    pack: str = doc("pack id, lower-case (mt, names, style...)")
    prefix: str = doc("two upper-case letters that start every code in the pack")
    description: str = doc("what the pack checks", "")
    severity: Severity = doc("default severity of the pack's rules", Severity.WARNING)
    tags: tuple[str, ...] = doc("tags every rule of the pack carries", ())
    path: str = ""


@dataclass(frozen=True)
class RuleHeader:
    """Keys every rule file has, whatever its kind."""

    code: str = doc("unique code: the pack prefix plus three digits (MT001)")
    name: str = doc("pack.snake_case name (mt.garbled_term)")
    kind: str = doc("which mechanism in checker/kinds implements the rule")
    category: str = doc("finding category (mistranslation, calque, quotes...)")
    summary: str = doc("one line: what the rule flags")
    rationale: str = doc("why it matters; for MT artifacts the likely source-language cause")
    severity: Severity | None = doc("default severity (else the pack's)", None)
    status: Status = doc("stable, preview, deprecated or removed", Status.STABLE)
    tags: tuple[str, ...] = doc("extra tags for selection", ())
    aliases: tuple[str, ...] = doc("old codes that still select this rule", ())
    quotes: QuotePolicy = doc("include or exclude findings inside quoted speech", QuotePolicy.INCLUDE)
    source: str = doc("where the guidance comes from", "")
    url: str | None = doc("link to more documentation", None)
    options: Mapping[str, Any] = doc("default option values for this rule", default_factory=dict)


_HEADER_KEYS = {f.replace("_", "-") for f in RuleHeader.__dataclass_fields__} | set(RuleHeader.__dataclass_fields__)


class _RemovedRule:
    """A retired rule: kept so configs naming it fail helpfully."""

    def __init__(self, meta: RuleMeta) -> None:
        self.meta = meta

    def check(self, doc: Any, ctx: Any) -> Iterable[Any]:
        return ()


#: the built-in rule files, parsed (``scripts/snapshot_rules.py`` writes it; see ``_read_yaml``)
RULES_SNAPSHOT = "parsed_rules.json"


#: the snapshot's layout; a file of another format is ignored
SNAPSHOT_FORMAT = 1


@lru_cache(maxsize=1)
def _snapshot() -> tuple[Path | None, Mapping[str, Any]]:
    """The built-in packs' folder and its snapshot's entries (empty when absent or unreadable)."""
    from .resources import rules_root

    try:
        root = rules_root().resolve()
        data = json.loads((root / RULES_SNAPSHOT).read_bytes())
        files = data["files"] if data.get("format") == SNAPSHOT_FORMAT else {}
        return root, files if isinstance(files, dict) else {}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None, {}


def snapshot_key(path: Path, raw: bytes) -> tuple[str, str] | None:
    """``(name, sha256)`` of a built-in rule file in the snapshot, or None for a file of another pack."""
    root, _ = _snapshot()
    if root is None:
        return None
    try:
        return _file_key(root, path, raw)
    except (OSError, ValueError):
        return None


def _file_key(root: Path, path: Path, raw: bytes) -> tuple[str, str]:
    """``(name under root, sha256)``: how the snapshot names and checks a file (raises ValueError outside ``root``)."""
    return path.resolve().relative_to(root).as_posix(), hashlib.sha256(raw).hexdigest()


def _read_yaml(path: Path) -> Any:
    """A rule or pack file's data.

    A built-in rule file whose bytes are exactly those the snapshot was made
    from (same SHA-256) is not parsed: its data comes from the snapshot
    (JSON, checked by ``tests/test_rule_snapshot.py`` to equal what the YAML
    parser gives, types included), which spares each process importing
    PyYAML and parsing 44 files (about 45 ms).  Any other file, an edited
    built-in one included, goes through the YAML parser.
    """
    try:
        raw = path.read_bytes()
        text = raw.decode("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise RuleFileError(path, f"cannot read: {exc}") from None
    key = snapshot_key(path, raw)
    if key is not None:
        entry = _snapshot()[1].get(key[0])
        if isinstance(entry, dict) and entry.get("sha256") == key[1] and "data" in entry:
            return _fresh(entry["data"])  # (a copy: the snapshot is shared by every load in the process)
    return parse_yaml(path, text)


def _fresh(x: Any) -> Any:
    if type(x) is dict:
        return {k: _fresh(v) for k, v in x.items()}
    if type(x) is list:
        return [_fresh(v) for v in x]
    return x


def snapshot_entries(root: Path) -> dict[str, dict[str, Any]]:
    """What ``scripts/snapshot_rules.py`` writes: per YAML file under ``root`` (the
    built-in packs), its SHA-256 and parsed data, for every file whose data JSON
    gives back exactly (same types and values; a file that does not, or that
    does not parse, is left out and parsed at run time)."""
    out: dict[str, dict[str, Any]] = {}
    root = root.resolve()
    for path in sorted(root.rglob("*.yaml")):
        raw = path.read_bytes()
        try:
            data = parse_yaml(path, raw.decode("utf-8"))
        except (RuleFileError, UnicodeDecodeError):
            continue
        try:
            back = json.loads(json.dumps(data, ensure_ascii=False, allow_nan=False))
        except (TypeError, ValueError):
            continue
        if same_data(data, back):
            name, digest = _file_key(root, path, raw)
            out[name] = {"sha256": digest, "data": data}
    return out


def same_data(a: Any, b: Any) -> bool:
    """Equal values of the same types all the way down (``1 == 1.0 == True`` is not enough)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(same_data(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(same_data(x, y) for x, y in zip(a, b))
    return bool(a == b)


def parse_yaml(path: Path, text: str) -> Any:
    """``text`` (of ``path``) through the YAML parser (raises ``RuleFileError``)."""
    import yaml

    try:
        # libyaml's C loader when PyYAML has it (about 10x faster on big rule files)
        return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise RuleFileError(path, f"invalid YAML{where}: {problem}") from None


def load_pack_meta(folder: Path) -> PackMeta:
    path = folder / "pack.yaml"
    data = _read_yaml(path)
    if not isinstance(data, dict):
        raise RuleFileError(path, "expected a mapping with pack, prefix, description")
    try:
        meta = build(PackMeta, data)
    except SchemaError as exc:
        raise RuleFileError(path, str(exc)) from None
    if not re.fullmatch(r"[A-Z]{2}", meta.prefix):
        raise RuleFileError(path, f"prefix: expected two upper-case letters, got {meta.prefix!r}")
    return PackMeta(**{**meta.__dict__, "path": str(folder)})


def load_rule(path: Path, pack: PackMeta, failed: Mapping[str, str] | None = None,
              kinds: Mapping[str, Any] | None = None) -> Rule:
    """Build one rule object from its YAML file (validated, precompiled).

    With ``failed`` (rule file path -> the error building it gave last time,
    from a load of the same files known to be complete) the header is still
    read and validated here, but the kind object is built on first use: a
    ``DeferredRule``; a file in ``failed`` raises its recorded error.  With
    ``kinds`` too (``kind_record`` of that load), a rule of a built-in kind
    without options does not even import its kind's module until first use:
    the metadata the kind class gives (``needs``, ``fixable``, ``corpus``)
    comes from the record."""
    data = _read_yaml(path)
    if not isinstance(data, dict):
        raise RuleFileError(path, "expected a mapping of rule keys")
    header_data = {k: v for k, v in data.items() if k in _HEADER_KEYS}
    spec_data = {k: v for k, v in data.items() if k not in _HEADER_KEYS}
    try:
        header = build(RuleHeader, header_data)
    except SchemaError as exc:
        raise RuleFileError(path, str(exc)) from None
    if not CODE_RE.match(header.code) or not header.code.startswith(pack.prefix):
        raise RuleFileError(path, f"code: {header.code!r} must be {pack.prefix} followed by three digits")
    if not NAME_RE.match(header.name) or not header.name.startswith(pack.pack + "."):
        raise RuleFileError(path, f"name: {header.name!r} must look like {pack.pack}.snake_case")
    if header.category not in CATEGORIES:
        raise RuleFileError(path, f"category: unknown {header.category!r} (known: {', '.join(sorted(CATEGORIES))})")
    known = _known_kind(kinds.get(str(path)) if kinds is not None and failed is not None else None)
    if known is not None and header.kind in BUILTIN_KINDS and not header.options:
        kind: Any = None  # imported on first use (DeferredRule)
        needs, fixable, corpus = known
        options_cls: type = NoOptions
        options_default: Any = NoOptions()
    else:
        try:
            kind = load_kind(header.kind)
        except UnknownKind as exc:
            raise RuleFileError(path, f"kind: {exc}") from None
        try:
            options_default = build(kind.Options, dict(header.options), "options")
        except SchemaError as exc:
            raise RuleFileError(path, str(exc)) from None
        needs = frozenset(getattr(kind, "needs", frozenset()))
        fixable = getattr(kind, "fixable", Fixability.NEVER)
        corpus = bool(getattr(kind, "corpus", False))
        options_cls = kind.Options
    meta = RuleMeta(
        code=header.code,
        name=header.name,
        category=header.category,
        summary=header.summary.strip(),
        severity=header.severity or pack.severity,
        rationale=header.rationale.strip(),
        kind=header.kind,
        pack=pack.pack,
        needs=needs,
        fixable=fixable,
        status=header.status,
        tags=frozenset(pack.tags) | frozenset(header.tags),
        aliases=tuple(header.aliases),
        quotes=header.quotes,
        source=header.source,
        url=header.url,
        options=options_cls,
        path=str(path),
        corpus=corpus,
        default_options=options_default,
    )
    if meta.status is Status.REMOVED:
        return _RemovedRule(meta)

    def construct() -> Rule:
        cls = kind if kind is not None else load_kind(header.kind)
        try:
            spec = build(cls.Spec, spec_data)
            return cls(meta, spec, path.parent)
        except SchemaError as exc:
            raise RuleBuildError(path, str(exc)) from None

    if failed is not None:
        if str(path) in failed:
            raise RuleBuildError(path, failed[str(path)])
        return DeferredRule(meta, kind if kind is not None else header.kind, construct)
    return construct()


def _known_kind(entry: Any) -> tuple[frozenset[str], Fixability, bool] | None:
    """``(needs, fixable, corpus)`` from a ``kind_record`` entry, or None when it is not one."""
    if not isinstance(entry, dict):
        return None
    needs, fixable, corpus = entry.get("needs"), entry.get("fixable"), entry.get("corpus")
    if not (isinstance(needs, list) and all(isinstance(n, str) for n in needs) and isinstance(corpus, bool)):
        return None
    try:
        return frozenset(needs), Fixability(fixable), corpus
    except ValueError:
        return None


def kind_record(ruleset: "RuleSet") -> dict[str, dict[str, Any]]:
    """What ``load_rule(..., kinds=)`` needs to defer importing a rule's kind: per
    rule file of a built-in kind without options, the metadata its class gives."""
    return {
        r.meta.path: {"needs": sorted(r.meta.needs), "fixable": r.meta.fixable.value, "corpus": r.meta.corpus}
        for r in ruleset.rules
        if r.meta.kind in BUILTIN_KINDS and r.meta.options is NoOptions and r.meta.status is not Status.REMOVED
    }


class DeferredRule:
    """A rule whose kind object (compiled matchers, tables) is built on first use.

    ``load_ruleset(..., known_failures=...)`` makes these when an earlier load
    of the very same rule files, code and libraries (the result cache's
    fingerprint) is known to have built every rule: a run whose every result
    comes from the cache then reads only the rules' metadata, not their
    tables.  Any attribute besides ``meta`` and ``kind_class`` builds the rule
    (once) and is read from it, so a deferred rule checks exactly as the built
    one does.
    """

    __slots__ = ("meta", "_kind", "_construct", "_rule")

    def __init__(self, meta: RuleMeta, kind_class: type | str, construct: Any) -> None:
        self.meta = meta
        self._kind = kind_class  # the class, or a built-in kind's name (imported when asked for)
        self._construct = construct
        self._rule: Rule | None = None

    @property
    def kind_class(self) -> type:
        if isinstance(self._kind, str):
            self._kind = load_kind(self._kind)
        return self._kind

    @property
    def built(self) -> bool:
        return self._rule is not None

    def rule(self) -> Rule:
        if self._rule is None:
            self._rule = self._construct()
        return self._rule

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__") or name in DeferredRule.__slots__:  # copy/pickle probes, an unset slot
            raise AttributeError(name)
        return getattr(self.rule(), name)


def kind_class(rule: Rule) -> type:
    """The kind that implements ``rule`` (also for a deferred rule, without building it)."""
    return getattr(rule, "kind_class", None) or type(rule)


class RuleSet:
    """The immutable catalogue of one run: every loaded rule, by code."""

    def __init__(self, rules: Sequence[Rule], packs: Sequence[PackMeta], *, build_failures: Mapping[str, str] | None = None) -> None:
        #: rule files whose kind object could not be built, and why (``known_failures``
        #: for a deferred load of the same files)
        self.build_failures: Mapping[str, str] = MappingProxyType(dict(build_failures or {}))
        by_code: dict[str, Rule] = {}
        by_name: dict[str, Rule] = {}
        for r in rules:
            m = r.meta
            for key in (m.code, *m.aliases):
                if key in by_code:
                    other = by_code[key].meta.path
                    raise RuleFileError(m.path, f"code {key} is already used by {other}")
                by_code[key] = r
            if m.name in by_name:
                raise RuleFileError(m.path, f"name {m.name} is already used by {by_name[m.name].meta.path}")
            by_name[m.name] = r
        self.rules: tuple[Rule, ...] = tuple(sorted(rules, key=lambda r: r.meta.code))
        self.packs: tuple[PackMeta, ...] = tuple(packs)
        self.by_code: Mapping[str, Rule] = MappingProxyType(by_code)
        self.by_name: Mapping[str, Rule] = MappingProxyType(by_name)
        self._pack_ids = frozenset(p.pack for p in packs)
        self._tags = frozenset(t for r in rules for t in r.meta.tags)

    def __len__(self) -> int:
        return len(self.rules)

    def __iter__(self):
        return iter(self.rules)

    def get(self, ref: str) -> Rule | None:
        return self.by_code.get(ref) or self.by_name.get(ref)

    # -- selection -----------------------------------------------------------
    def level(self, ref: str, rule: Rule) -> int:
        """How specifically ``ref`` names ``rule``: 4 code … 1 tag/category, 0 ALL, -1 no."""
        m = rule.meta
        if ref == "ALL":
            return 0
        if ref == m.code or ref in m.aliases:
            return 4
        if ref == m.name:
            return 3
        if ref == m.pack or (PREFIX_RE.match(ref) and m.code.startswith(ref)):
            return 2
        if ref == m.category or ref in m.tags:
            return 1
        return -1

    def is_known_ref(self, ref: str) -> bool:
        if ref == "ALL" or ref in self.by_code or ref in self.by_name or ref in self._pack_ids:
            return True
        if ref in CATEGORIES or ref in self._tags:
            return True
        return bool(PREFIX_RE.match(ref)) and any(r.meta.code.startswith(ref) for r in self.rules)

    def select(self, select: Sequence[str] = ("ALL",), ignore: Sequence[str] = (), *, preview: bool = False) -> tuple[Rule, ...]:
        """The rules to run, by the precedence in the module docstring.

        Preview rules run only when selected by code or name, or with
        ``preview``; removed rules never run.
        """
        chosen = []
        for rule in self.rules:
            m = rule.meta
            if m.status is Status.REMOVED:
                continue
            sel = max((self.level(r, rule) for r in select), default=-1)
            ign = max((self.level(r, rule) for r in ignore), default=-1)
            if sel < 0 or ign >= sel:
                continue
            if m.status is Status.PREVIEW and not preview and sel < 3:
                continue
            chosen.append(rule)
        return tuple(chosen)


def builtin_pack_dirs() -> list[Path]:
    from .resources import rules_root

    root = rules_root()
    return sorted(p for p in root.iterdir() if (p / "pack.yaml").is_file())


def entry_point_pack_dirs() -> list[Path]:
    from .resources import entry_points

    out: list[Path] = []
    for ep in entry_points("mtlint.packs"):
        target = ep.load()
        value = target() if callable(target) else target
        for p in [value] if isinstance(value, (str, Path)) else value:
            out.append(Path(p))
    return out


def load_ruleset(extra_dirs: Iterable[Path] = (), *, entry_points: bool = True,
                 known_failures: Mapping[str, str] | None = None,
                 known_kinds: Mapping[str, Any] | None = None) -> tuple[RuleSet, list[InputError]]:
    """Load built-in and extra packs.  A broken file is reported, not fatal to the rest.

    ``known_failures`` defers building the rules' kind objects (see
    ``DeferredRule``); pass it only with the ``RuleSet.build_failures`` of an
    eager load of the same files, code and libraries: the errors, and their
    order, are then the same as that load's."""
    errors: list[InputError] = []
    rules: list[Rule] = []
    packs: list[PackMeta] = []
    dirs = builtin_pack_dirs()
    if entry_points:
        dirs += entry_point_pack_dirs()
    for d in extra_dirs:
        d = Path(d)
        if (d / "pack.yaml").is_file():
            dirs.append(d)
        elif d.is_dir() and any((c / "pack.yaml").is_file() for c in d.iterdir() if c.is_dir()):
            dirs.extend(sorted(c for c in d.iterdir() if (c / "pack.yaml").is_file()))
        else:
            errors.append(InputError(str(d), "rule-file", "not a rule pack (no pack.yaml in the folder or its sub-folders)"))
    seen_prefix: dict[str, str] = {}
    failures: dict[str, str] = {}
    for folder in dirs:
        try:
            pack = load_pack_meta(folder)
        except RuleFileError as exc:
            errors.append(InputError(exc.path, "rule-file", exc.message))
            continue
        if pack.prefix in seen_prefix and seen_prefix[pack.prefix] != pack.pack:
            errors.append(InputError(str(folder / "pack.yaml"), "rule-file", f"prefix {pack.prefix} is already used by pack {seen_prefix[pack.prefix]!r}"))
            continue
        seen_prefix[pack.prefix] = pack.pack
        packs.append(pack)
        for path in sorted(folder.glob("*.yaml")):
            if path.name == "pack.yaml":
                continue
            try:
                rules.append(load_rule(path, pack, known_failures, known_kinds))
            except RuleFileError as exc:
                errors.append(InputError(exc.path, "rule-file", exc.message))
                if isinstance(exc, RuleBuildError):
                    failures[exc.path] = exc.message
    # duplicates: drop the later rule, report it, keep the rest
    unique: list[Rule] = []
    codes: dict[str, str] = {}
    names: dict[str, str] = {}
    for r in rules:
        keys = (r.meta.code, *r.meta.aliases)
        clash = next((k for k in keys if k in codes), None)
        if clash:
            errors.append(InputError(r.meta.path, "rule-file", f"code {clash} is already used by {codes[clash]}"))
            continue
        if r.meta.name in names:
            errors.append(InputError(r.meta.path, "rule-file", f"name {r.meta.name} is already used by {names[r.meta.name]}"))
            continue
        for k in keys:
            codes[k] = r.meta.path
        names[r.meta.name] = r.meta.path
        unique.append(r)
    return RuleSet(unique, packs, build_failures=failures), errors

