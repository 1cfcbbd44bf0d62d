"""Configuration: discovery, validation, merge → one frozen ``Config``.

Discovery for a checked file: ``--config PATH`` if given; otherwise the
nearest ``.mtlint.toml`` or ``pyproject.toml`` with a ``[tool.mtlint]``
table, walking up from the file's folder; otherwise the packaged defaults.
Command-line options are merged over the file with one rule: mappings merge
key by key, lists and scalars replace.

Every key is validated when the file is read.  Unknown keys fail with the
file and the dotted key; unknown rule references fail once the rule
catalogue is known (``Config.validate_refs``).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field, fields, is_dataclass, replace
from functools import cached_property
from fnmatch import fnmatch
from pathlib import Path
from types import MappingProxyType
from typing import Any, Literal, Mapping

from .findings import Severity
from .schema import SchemaError, build, doc
from .wordlists import read_word_list

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib

__all__ = ["Config", "ConfigError", "GrammarConfig", "HarperConfig", "LanguageToolConfig", "MarkdownConfig", "NamesConfig", "PerFile", "load_config", "discover_config", "merge", "closest_rule"]

CONFIG_FILES = (".mtlint.toml", "pyproject.toml")

#: skipped by folder runs unless ``exclude`` replaces them (hidden files and folders always are)
DEFAULT_EXCLUDE = (".git", ".hg", ".svn", "node_modules", "__pycache__", ".venv", "venv", ".tox", "_site", "public")


class ConfigError(Exception):
    """A config file is broken; ``path``, ``key`` and (when found) ``line``/``column`` say where.

    ``key`` is always written as the user wrote it in that file: with the
    ``tool.mtlint.`` prefix in a ``pyproject.toml``, without it elsewhere.
    """

    def __init__(self, path: str, key: str, problem: str, *, line: int | None = None, column: int | None = None, ref: str | None = None) -> None:
        if key and Path(path).name == "pyproject.toml" and not key.startswith("tool.mtlint"):
            key = f"tool.mtlint.{key}"
        self.path = path
        self.key = key
        self.problem = problem
        if line is None and key:
            line, column = locate_key(path, key, ref)
        self.line = line
        self.column = column
        super().__init__(f"{path}: {self.describe()}")

    def describe(self) -> str:
        """The problem without the path: ``line 3, column 1: key 'selct': unknown key ...``."""
        where = f"line {self.line}, column {self.column}: " if self.line else ""
        key = f"key '{self.key}': " if self.key else ""
        return f"{where}{key}{self.problem}"


def _key_parts(dotted: str) -> list[str]:
    """``tool.mtlint.per-file[1].select`` -> ``['tool', 'mtlint', 'per_file', '[1]', 'select']``."""
    parts: list[str] = []
    for piece in dotted.split("."):
        name, _, index = piece.partition("[")
        if name:
            parts.append(name.strip().strip('"').replace("-", "_"))
        if index:
            parts.append(f"[{index.rstrip(']')}]")
    return parts


def locate_key(path: str, dotted: str, ref: str | None = None) -> tuple[int | None, int | None]:
    """Where ``dotted`` (or, inside its value, the string ``ref``) is written in the
    TOML file ``path``: 1-based line and column, or ``(None, None)``.

    A line scanner, not a parser (tomllib keeps no positions): it follows
    ``[table]`` and ``[[array]]`` headers and ``a.b = ...`` keys, and falls
    back to the nearest enclosing key or table it finds.
    """
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return None, None
    want = _key_parts(dotted)
    table: list[str] = []
    counts: dict[tuple[str, ...], int] = {}
    best: tuple[int, int, int] | None = None  # (matched parts, line, column)
    for no, text in enumerate(lines, 1):
        stripped = text.strip()
        if not stripped or stripped.startswith("#"):
            continue
        col = len(text) - len(text.lstrip()) + 1
        if stripped.startswith("["):
            array = stripped.startswith("[[")
            inner = stripped.strip("[]").split("]")[0]
            table = _key_parts(inner)
            if array:
                n = counts.get(tuple(table), 0)
                counts[tuple(table)] = n + 1
                table = table + [f"[{n}]"]
            here = table
        elif "=" in stripped:
            here = table + _key_parts(stripped.split("=", 1)[0])
        else:
            continue
        matched = 0
        for a, b in zip(here, want):
            if a != b:
                break
            matched += 1
        if matched and matched == len(here) and (best is None or matched > best[0]):
            best = (matched, no, col)
            if matched == len(want):
                break
    if best is None:
        return None, None
    _, line, col = best
    if ref:
        for no in range(line, min(len(lines), line + 50) + 1):
            for quote in ('"', "'"):
                at = lines[no - 1].find(f"{quote}{ref}{quote}")
                if at >= 0:
                    return no, at + 1
    return line, col


@dataclass(frozen=True)
class PerFile:
    """Overrides for files whose path matches ``glob`` (relative to the config)."""

    glob: str = doc("glob pattern, relative to the config file's folder (e.g. archive/**)")
    select: tuple[str, ...] | None = doc("replaces select for these files", None)
    ignore: tuple[str, ...] = doc("added to ignore for these files", ())
    severity: Mapping[str, Severity] = doc("added severity overrides", default_factory=dict)


@dataclass(frozen=True)
class HarperConfig:
    """Settings for the Harper backend (offline, the default)."""

    dialect: Literal["american", "british", "australian", "canadian", "indian"] = doc("English dialect Harper checks against", "american")
    enable: tuple[str, ...] = doc("Harper rules to run in addition to mtlint's default selection (e.g. SpellCheck)", ())
    disable: tuple[str, ...] = doc("Harper rules of mtlint's default selection not to run", ())
    prefilter: bool = doc("send Harper only the sentences a selected rule could flag (off: every sentence; same findings, slower)", True)


@dataclass(frozen=True)
class LanguageToolConfig:
    """Settings for the LanguageTool backend (a server, or a local LanguageTool)."""

    url: str = doc("server URL (e.g. http://localhost:8081); empty: $MTLINT_LANGUAGETOOL_URL, else a local LanguageTool", "")
    language: str = doc("language variant (en-US, en-GB, en-AU, ...)", "en-US")
    disabled_rules: tuple[str, ...] = doc("LanguageTool rule ids not to run", ())
    disabled_categories: tuple[str, ...] = doc("LanguageTool category ids not to run (e.g. TYPOGRAPHY)", ("TYPOGRAPHY", "CASING"))
    enabled_rules: tuple[str, ...] = doc("LanguageTool rule ids to run in addition (off-by-default rules)", ())
    picky: bool = doc("LanguageTool's picky mode (more style rules)", False)
    timeout: float = doc("seconds to wait for the server per request", 15.0)
    local: bool = doc("let language_tool_python start a local LanguageTool (needs Java; downloads LanguageTool once)", False)


@dataclass(frozen=True)
class GrammarConfig:
    """Which grammar/spelling backend the GR rules use, and its settings."""

    backend: Literal["harper", "languagetool", "none"] = doc("grammar backend: harper (offline), languagetool or none", "harper")
    words: tuple[str, ...] = doc("newsroom word list: words and names never reported as misspelt", ())
    words_files: tuple[str, ...] = doc("files (one word per line, # comments) adding to words, relative to the config", ())
    harper: HarperConfig = doc("Harper settings", default_factory=HarperConfig)
    languagetool: LanguageToolConfig = doc("LanguageTool settings", default_factory=LanguageToolConfig)
    #: set by `--grammar NAME`: a backend that cannot start is then an error (exit 2)
    required: bool = field(default=False, metadata={"internal": True})


@dataclass(frozen=True)
class MarkdownConfig:
    """How Markdown files are read."""

    front_matter_fields: tuple[str, ...] = doc("front-matter keys whose text is checked (others are skipped)", ("title", "description"))


@dataclass(frozen=True)
class NamesConfig:
    """Name-spelling settings shared by the names rules and ``mtlint names``."""

    registry: str = doc("names registry file (TOML or YAML), relative to the config file; empty for none", "")


@dataclass(frozen=True)
class Config:
    """Validated settings for one run (or one config file's share of it)."""

    select: tuple[str, ...] = doc("rules to run: codes, names, prefixes, packs, categories, tags or ALL", ("ALL",))
    extend_select: tuple[str, ...] = doc("rules to run in addition to select", ())
    ignore: tuple[str, ...] = doc("rules not to run (same reference forms as select)", ())
    preview: bool = doc("also run rules whose status is preview", False)
    fail_on: Severity = doc("lowest severity that makes the exit code 1", Severity.ERROR)
    severity: Mapping[str, Severity] = doc("severity per rule code or name", default_factory=dict)
    options: Mapping[str, Mapping[str, Any]] = doc("options per rule code or name", default_factory=dict)
    packs: tuple[str, ...] = doc("extra rule-pack folders, relative to the config file", ())
    per_file: tuple[PerFile, ...] = doc("per-file overrides, first match wins per key", ())
    max_file_size: int = doc("largest file checked, in bytes; larger ones are reported and skipped", 10_000_000)
    grammar: GrammarConfig = doc("grammar and spelling backend settings", default_factory=GrammarConfig)
    names: NamesConfig = doc("name spelling: the newsroom's names registry", default_factory=NamesConfig)
    markdown: MarkdownConfig = doc("Markdown input settings", default_factory=MarkdownConfig)
    baseline: str = doc("baseline file (relative to the config file): findings recorded there are not reported", "")
    cache_dir: str = doc("result cache folder, relative to the config file (default: .mtlint_cache beside it)", "")
    exclude: tuple[str, ...] = doc("gitignore-style patterns of files and folders that folder runs skip, relative to the "
                                   "config file; replaces the defaults (use extend-exclude to keep them)", DEFAULT_EXCLUDE)
    extend_exclude: tuple[str, ...] = doc("patterns skipped in addition to exclude", ())
    respect_gitignore: bool = doc("skip what .gitignore files (and .git/info/exclude) ignore", True)
    force_exclude: bool = doc("apply exclude, extend-exclude and .gitignore to files named on the command line too "
                              "(pre-commit names every file)", False)
    #: where the config came from ("" for the defaults) and its folder
    source: str = field(default="", metadata={"internal": True})
    root: str = field(default="", metadata={"internal": True})

    def pack_dirs(self) -> tuple[Path, ...]:
        base = Path(self.root or ".")
        return tuple((base / p).resolve() for p in self.packs)

    def newsroom_words(self) -> frozenset[str]:
        """``grammar.words`` plus the words of ``grammar.words-files``."""
        words = set(self.grammar.words)
        base = Path(self.root or ".")
        for name in self.grammar.words_files:
            path = base / name
            try:
                words.update(read_word_list(path))
            except (OSError, UnicodeDecodeError) as exc:
                problem = getattr(exc, "strerror", None) or exc
                raise ConfigError(self.source or "<config>", "grammar.words-files", f"cannot read {path}: {problem}") from None
        return frozenset(words)

    def for_file(self, path: str) -> "Config":
        """The config with the ``per-file`` overrides that match ``path`` applied."""
        if not self.per_file:
            return self
        try:
            rel = Path(path).resolve().relative_to(Path(self.root or ".").resolve()).as_posix()
        except ValueError:
            rel = Path(path).as_posix()
        cfg = self
        for pf in self.per_file:
            if fnmatch(rel, pf.glob) or fnmatch(Path(rel).name, pf.glob):
                cfg = replace(
                    cfg,
                    select=pf.select if pf.select is not None else cfg.select,
                    ignore=cfg.ignore + pf.ignore,
                    severity=MappingProxyType({**cfg.severity, **pf.severity}),
                )
        return cfg

    @cached_property
    def fingerprint(self) -> str:
        """A stable hash of every setting, and of the files settings point to
        (newsroom word lists, the names registry): equal fingerprints check
        the same text the same way.  The result cache keys on it."""
        import hashlib
        import json

        h = hashlib.sha256(json.dumps(_plain(self), sort_keys=True, ensure_ascii=True).encode())
        base = Path(self.root or ".")
        for name in (*self.grammar.words_files, self.names.registry):
            if name:
                try:
                    h.update(b"\0" + (base / name).read_bytes())
                except OSError:
                    h.update(b"\0<unreadable>")
        return h.hexdigest()

    @cached_property
    def services_fingerprint(self) -> str:
        """A hash of the settings that services (grammar backend, names registry,
        newsroom words) read: configurations that agree on it share services."""
        import hashlib
        import json

        data = {"grammar": _plain(self.grammar), "names": _plain(self.names), "root": self.root}
        return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()

    def all_refs(self) -> list[tuple[str, str]]:
        """(key, reference) pairs naming rules, for validation."""
        refs = [("select", r) for r in self.select] + [("extend-select", r) for r in self.extend_select]
        refs += [("ignore", r) for r in self.ignore]
        refs += [(f"severity.{k}", k) for k in self.severity]
        refs += [(f"options.{k}", k) for k in self.options]
        for i, pf in enumerate(self.per_file):
            refs += [(f"per-file[{i}].select", r) for r in pf.select or ()]
            refs += [(f"per-file[{i}].ignore", r) for r in pf.ignore]
            refs += [(f"per-file[{i}].severity.{k}", k) for k in pf.severity]
        return refs

    def validate_refs(self, ruleset: Any) -> None:
        def hint(ref: str) -> str:
            close = closest_rule(ref, ruleset)
            return f"; did you mean '{close}'?" if close else " (see `mtlint rules`)"

        for key, ref in self.all_refs():
            if not ruleset.is_known_ref(ref):
                raise ConfigError(self.source or "<command line>", key, f"unknown rule reference {ref!r}{hint(ref)}", ref=ref)
        for key in list(self.severity) + list(self.options):
            if ruleset.get(key) is None:
                raise ConfigError(self.source or "<command line>", key, f"{key!r} is not a rule code or name{hint(key)}")


def closest_rule(ref: str, ruleset: Any) -> str | None:
    """The rule code or name closest to a mistyped reference (as written, then upper-cased), or None."""
    import difflib

    known = sorted({m for r in ruleset for m in (r.meta.code, r.meta.name)})
    close = difflib.get_close_matches(ref, known, n=1, cutoff=0.6) or difflib.get_close_matches(ref.upper(), known, n=1, cutoff=0.6)
    return close[0] if close else None


_INTERNAL = {f.name for f in fields(Config) if f.metadata.get("internal")}


def _plain(value: Any) -> Any:
    """Settings as JSON-able data (for fingerprints)."""
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in fields(value) if f.name != "source"}
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    return str(value)


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except OSError as exc:
        raise ConfigError(str(path), "", f"cannot read: {exc.strerror or exc}") from None
    except tomllib.TOMLDecodeError as exc:
        import re

        # tomllib ends its message with "(at line L, column C)": keep it as the position
        message = str(exc)
        m = re.search(r"\(at line (\d+), column (\d+)\)$", message)
        if m:
            line, column = int(m.group(1)), int(m.group(2))
        else:  # "(at end of document)": the position just past the last character
            text = path.read_bytes().decode("utf-8", "replace")
            line, column = text.count("\n") + 1, len(text) - (text.rfind("\n") + 1) + 1
        problem = re.sub(r"\s*\(at (line \d+, column \d+|end of document)\)$", "", message)
        raise ConfigError(str(path), "", f"invalid TOML: {problem}", line=line, column=column) from None


def _table_from(path: Path) -> dict[str, Any] | None:
    data = _read_toml(path)
    if path.name == "pyproject.toml":
        tool = data.get("tool", {})
        table = tool.get("mtlint") if isinstance(tool, dict) else None
        if table is None:
            return None
        if not isinstance(table, dict):
            raise ConfigError(str(path), "tool.mtlint", "expected a table")
        return table
    return data


def from_mapping(data: Mapping[str, Any], source: str = "", root: str = "") -> Config:
    for k in data:
        if k.replace("-", "_") in _INTERNAL:
            raise ConfigError(source, k, "unknown key")
    grammar = data.get("grammar")
    if isinstance(grammar, Mapping) and "required" in grammar:
        raise ConfigError(source, "grammar.required", "unknown key (use --grammar NAME to require a backend)")
    try:
        cfg = build(Config, data)
    except SchemaError as exc:
        raise ConfigError(source or "<config>", exc.key, exc.problem) from None
    return replace(cfg, source=source, root=root)


def load_config(path: Path) -> Config:
    """Read one config file (a ``.mtlint.toml`` or a ``pyproject.toml``)."""
    path = Path(path)
    if not path.is_file():
        raise ConfigError(str(path), "", "config file not found")
    table = _table_from(path)
    if table is None:
        raise ConfigError(str(path), "tool.mtlint", "no [tool.mtlint] table in this pyproject.toml")
    return from_mapping(table, str(path), str(path.parent.resolve()))


def discover_config(start: Path) -> Path | None:
    """The nearest config file at or above ``start`` (a file or folder)."""
    start = Path(start).resolve()
    folder = start if start.is_dir() else start.parent
    for d in (folder, *folder.parents):
        for name in CONFIG_FILES:
            candidate = d / name
            if candidate.is_file():
                if name == "pyproject.toml":
                    try:
                        if _table_from(candidate) is None:
                            continue
                    except ConfigError:
                        return candidate  # broken: let load_config report it
                return candidate
    return None


def merge(base: Config, overrides: Mapping[str, Any]) -> Config:
    """Merge command-line values over a config: mappings merge, the rest replaces."""
    changes: dict[str, Any] = {}
    for key, value in overrides.items():
        if value is None:
            continue
        current = getattr(base, key)
        if isinstance(current, Mapping) and isinstance(value, Mapping):
            changes[key] = MappingProxyType({**current, **value})
        elif is_dataclass(current) and isinstance(value, Mapping):
            changes[key] = replace(current, **value)
        else:
            changes[key] = value
    return replace(base, **changes)
