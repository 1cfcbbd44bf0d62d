"""Which files a folder run leaves out: ``exclude``, ``extend-exclude`` and ``.gitignore``.

As in ruff:

* ``exclude`` (default: ``.git``, ``node_modules``, ``venv``... see
  ``config.DEFAULT_EXCLUDE``) and ``extend-exclude`` are gitignore-style
  patterns (``drafts/``, ``/archive/*.html``, ``!keep.md``), matched against
  paths relative to the folder of the config file that applies to the path
  (``--exclude``/``--extend-exclude`` patterns: relative to the current
  folder).  ``--exclude`` replaces the configured ``exclude``;
  ``extend-exclude`` from the config and from the command line both add.
* ``.gitignore`` files are respected unless ``respect-gitignore = false`` /
  ``--no-respect-gitignore``: every ``.gitignore`` from the repository root
  (the folder holding ``.git``; without one, the folder being checked) down to
  the path's folder, deeper files overriding shallower ones, plus
  ``.git/info/exclude``.  Pattern syntax and negation are git's, through the
  ``pathspec`` library.
* Files and folders named on the command line are checked even when they
  match, unless ``force-exclude`` / ``--force-exclude`` (what pre-commit
  needs: it names every staged file).

Hidden files and folders are skipped by folder runs whatever the settings.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from typing import Any, Callable, Sequence

from .config import ConfigError

__all__ = ["Excluder"]


class _Names:
    """Patterns that are all plain names (``.git``, ``node_modules``: the default
    ``exclude``), matched as git does (the name at any depth, a folder with all it
    holds) without importing ``pathspec`` (17 ms, every folder run)."""

    __slots__ = ("names",)

    def __init__(self, names: frozenset[str]) -> None:
        self.names = names

    def match_file(self, rel: str) -> bool:
        return not self.names.isdisjoint(rel.split("/"))


#: a pattern that is a plain name: letters, digits, "_", "." and "-" only (no gitignore syntax)
_PLAIN = re.compile(r"[\w.-]+")


def _compile(patterns: Sequence[str], where: str, key: str, *, plain: bool = True) -> Any:
    """The patterns as a matcher with ``match_file(rel)``; ``plain``: plain names
    may get the fast matcher (not for a ``.gitignore``, which needs ``check_file``)."""
    if plain and patterns and all(_PLAIN.fullmatch(p) and p not in (".", "..") for p in patterns):
        return _Names(frozenset(patterns))
    import pathspec

    try:
        return pathspec.GitIgnoreSpec.from_lines(list(patterns))
    except (ValueError, TypeError) as exc:  # pathspec's GitWildMatchPatternError is a ValueError
        raise ConfigError(where, key, f"bad pattern: {exc}") from None


def _relative(path: str, base: str) -> str | None:
    """``path`` relative to ``base`` (both absolute and real) in posix form, or
    None when it is not under it (a string prefix test: this runs per file)."""
    if path == base:
        return ""
    prefix = base if base.endswith(os.sep) else base + os.sep
    if not path.startswith(prefix):
        return None
    rel = path[len(prefix) :]
    return rel if os.sep == "/" else rel.replace(os.sep, "/")


@dataclass(frozen=True)
class _Rules:
    """The compiled patterns of one configuration: (base folder, spec) pairs."""

    specs: tuple[tuple[str, Any], ...]
    gitignore: bool


class Excluder:
    """Decides, path by path, whether a run skips a file or folder.

    ``config_for(path)`` gives the configuration that applies to ``path``
    (the engine's, so each folder uses its nearest config file).
    """

    def __init__(
        self,
        config_for: Callable[[str], Any],
        *,
        exclude: Sequence[str] | None = None,
        extend_exclude: Sequence[str] = (),
        cwd: str | None = None,
    ) -> None:
        self._config_for = config_for
        self._cwd = os.path.realpath(cwd or os.getcwd())
        self._cli_exclude = _compile(exclude, "<command line>", "--exclude") if exclude is not None else None
        self._cli_extend = _compile(extend_exclude, "<command line>", "--extend-exclude") if extend_exclude else None
        self._rules: dict[tuple[Any, ...], _Rules] = {}
        self._git_roots: dict[str, str | None] = {}
        self._ignore_files: dict[str, Any] = {}
        self._folders: dict[tuple[str, bool], tuple[str, _Rules]] = {}  # folder -> (real folder, rules)
        self._chains: dict[tuple[str, str | None], tuple[tuple[str, Any], ...]] = {}

    # -- settings ------------------------------------------------------------------
    def _settings(self, path: str, is_dir: bool | None = None) -> Any:
        """The configuration for ``path``'s folder.  Settings are per folder (the
        nearest config file): ask for the folder, which also never resolves the
        path itself (it may be a symbolic-link loop)."""
        if is_dir is None:
            is_dir = os.path.isdir(path)
        return self._config_for(path if is_dir else (os.path.dirname(os.path.abspath(path)) or os.curdir))

    def _rules_for(self, path: str, is_dir: bool | None = None) -> _Rules:
        cfg = self._settings(path, is_dir)
        key = (cfg.source, cfg.root, cfg.exclude, cfg.extend_exclude, cfg.respect_gitignore)
        rules = self._rules.get(key)
        if rules is None:
            base = os.path.realpath(cfg.root) if cfg.root else self._cwd
            where = cfg.source or "<config>"
            specs = []
            if self._cli_exclude is not None:
                specs.append((self._cwd, self._cli_exclude))
            elif cfg.exclude:
                specs.append((base, _compile(cfg.exclude, where, "exclude")))
            if cfg.extend_exclude:
                specs.append((base, _compile(cfg.extend_exclude, where, "extend-exclude")))
            if self._cli_extend is not None:
                specs.append((self._cwd, self._cli_extend))
            rules = _Rules(tuple(specs), bool(cfg.respect_gitignore))
            self._rules[key] = rules
        return rules

    def forced(self, path: str) -> bool:
        """True when named paths are excluded too (``force-exclude``); reads the
        setting only (a named file is usually checked without compiling any pattern)."""
        return bool(self._settings(path).force_exclude)

    # -- matching ------------------------------------------------------------------
    def excluded(self, path: str, is_dir: bool, top: str | None = None) -> bool:
        """True when the run skips ``path``; ``top`` is the folder named on the
        command line that the path was found under (where ``.gitignore``
        files start counting when there is no repository)."""
        # per folder, once: its real path and its settings (this runs for every file)
        folder, name = os.path.split(path) if not is_dir else (path, "")
        hit = self._folders.get((folder, is_dir))
        if hit is None:
            hit = (os.path.realpath(folder or os.curdir), self._rules_for(path, is_dir))
            self._folders[(folder, is_dir)] = hit
        real_folder, rules = hit
        real = os.path.join(real_folder, name) if name else real_folder
        if name and os.path.islink(path):
            real = os.path.realpath(path)
        for base, spec in rules.specs:
            rel = _relative(real, base)
            if rel is None:  # outside the config's folder: only the name can match
                rel = os.path.basename(real)
            if rel and spec.match_file(_matchable(rel + "/" if is_dir else rel)):
                return True
        return rules.gitignore and self._gitignored(real, is_dir, top)

    def _git_root(self, folder: str) -> str | None:
        if folder not in self._git_roots:
            parent = os.path.dirname(folder)
            if os.path.exists(os.path.join(folder, ".git")):
                self._git_roots[folder] = folder
            elif parent == folder:
                self._git_roots[folder] = None
            else:
                self._git_roots[folder] = self._git_root(parent)
        return self._git_roots[folder]

    def _ignore_spec(self, folder: str, git_root: str | None) -> Any:
        if folder not in self._ignore_files:
            lines: list[str] = []
            sources = [os.path.join(folder, ".gitignore")]
            if folder == git_root:
                sources.insert(0, os.path.join(folder, ".git", "info", "exclude"))
            for name in sources:
                try:
                    with open(name, encoding="utf-8", errors="replace") as fh:
                        lines.extend(fh.read().splitlines())
                except OSError:
                    continue
            spec = None
            if lines:
                try:
                    spec = _compile(lines, os.path.join(folder, ".gitignore"), "", plain=False)
                except ConfigError:
                    spec = None  # a .gitignore git itself would choke on: not ours to report
            self._ignore_files[folder] = spec
        return self._ignore_files[folder]

    def _chain(self, folder: str, top: str | None) -> tuple[tuple[str, Any], ...]:
        """The ``.gitignore`` specs that apply in ``folder``, shallow to deep."""
        key = (folder, top)
        chain = self._chains.get(key)
        if chain is None:
            git_root = self._git_root(folder)
            start = git_root
            if start is None:
                top_real = os.path.realpath(top) if top else folder
                start = top_real if _relative(folder, top_real) is not None else folder
            dirs = []
            d = folder
            while True:
                dirs.append(d)
                if d == start or os.path.dirname(d) == d:
                    break
                d = os.path.dirname(d)
            chain = tuple((d, spec) for d in reversed(dirs) if (spec := self._ignore_spec(d, git_root)) is not None)
            self._chains[key] = chain
        return chain

    def _gitignored(self, real: str, is_dir: bool, top: str | None) -> bool:
        ignored = False
        for d, spec in self._chain(os.path.dirname(real), top):  # a deeper .gitignore has the last word
            rel = _relative(real, d)
            if not rel:
                continue
            result = spec.check_file(_matchable(rel + "/" if is_dir else rel))
            if result.include is not None:
                ignored = bool(result.include)
        return ignored


def _matchable(rel: str) -> str:
    """``rel`` as text any pattern engine accepts: a file name that is not UTF-8
    (surrogate escapes) gets U+FFFD for its bad bytes, which wildcards still
    match (pathspec's RE2 backend, used when google-re2 is installed, cannot
    encode surrogates)."""
    try:
        rel.encode("utf-8")
        return rel
    except UnicodeEncodeError:
        return rel.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
