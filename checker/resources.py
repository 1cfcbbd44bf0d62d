"""Where the packaged data lives: built-in rule packs and rule fixtures.

In a wheel, ``rules/`` and ``fixtures/rules/`` are shipped inside the
package as ``checker/_rules`` and ``checker/_fixtures/rules`` (see
``pyproject.toml``); in a source checkout they are the top-level folders.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any, Sequence

__all__ = ["rules_root", "fixtures_root", "project_root", "entry_points", "installed_versions", "load_entry_point"]


def _package_dir() -> Path:
    # what importlib.resources.files("checker") gives for a package on disk,
    # without importing importlib.resources on every run
    return Path(__file__).parent


class EntryPoint:
    """One plugin entry point: ``name`` and ``value`` ("module:attr")."""

    __slots__ = ("name", "value")

    def __init__(self, name: str, value: str) -> None:
        self.name, self.value = name, value

    def load(self) -> Any:
        return load_entry_point(self.value)


def load_entry_point(value: str) -> Any:
    import importlib

    module, _, attrs = value.partition(":")
    obj = importlib.import_module(module.strip())
    for attr in filter(None, attrs.strip().split(".")):
        obj = getattr(obj, attr)
    return obj


def _normalized(name: str) -> str:
    import re

    return re.sub(r"[-_.]+", "_", name).lower()


def _searches_path(finder: Any) -> bool:
    """importlib_metadata's backport of the standard search (``MetadataPathFinder``,
    added to ``sys.meta_path`` when a library imports it, as Dask does): it looks
    in the same ``sys.path`` folders, so the folder search still sees everything."""
    cls = finder if isinstance(finder, type) else type(finder)
    return cls.__module__ == "importlib_metadata" and cls.__name__ == "MetadataPathFinder"


def _distributions() -> list[tuple[str, str]] | None:
    """``(normalized name, metadata folder)`` of every installed distribution, from
    the ``*.dist-info``/``*.egg-info`` folders on ``sys.path``, found and
    de-duplicated as importlib.metadata does (the first distribution of a name
    wins); None where that search is not the whole story (eggs, zip files, a
    custom distribution finder)."""
    import importlib.machinery

    for finder in sys.meta_path:
        if hasattr(finder, "find_distributions") and finder is not importlib.machinery.PathFinder and not _searches_path(finder):
            return None
    seen: set[str] = set()
    out: list[tuple[str, str]] = []
    for entry in sys.path:
        folder = entry or "."
        try:
            names = os.listdir(folder)
        except OSError:
            if os.path.isfile(folder):
                return None  # a zip on the path
            continue
        for child in names:
            low = child.lower()
            if low.endswith(".egg"):
                return None
            if not low.endswith((".dist-info", ".egg-info")):
                continue
            stem = child.rpartition(".")[0]
            key = _normalized(stem.partition("-")[0])
            if key in seen:
                continue
            seen.add(key)
            out.append((key, os.path.join(folder, child)))
    return out


def _fast_entry_points(group: str) -> list[EntryPoint] | None:
    """The group's entry points read from the distributions' metadata folders
    (``_distributions``); None where that search is not the whole story."""
    found = _distributions()
    if found is None:
        return None
    out: list[EntryPoint] = []
    for _key, folder in found:
        try:
            with open(os.path.join(folder, "entry_points.txt"), encoding="utf-8") as fh:
                text = fh.read()
        except OSError:
            continue
        section = None
        for line in text.splitlines():
            line = line.strip()
            if not line or line[0] in "#;":
                continue
            if line.startswith("[") and line.endswith("]"):
                section = line[1:-1].strip()
            elif section == group and "=" in line:
                name, _, value = line.partition("=")
                out.append(EntryPoint(name.strip(), value.strip()))
    return out


def installed_versions(names: Sequence[str]) -> str:
    """A string that changes whenever one of the named distributions is installed,
    removed, upgraded or reinstalled (for cache keys, not for display): each
    one's metadata folder (named with its version) and the time its ``RECORD``
    was written.  Read from the folders directly, like ``entry_points``; falls
    back to importlib.metadata's versions."""
    found = _distributions()
    if found is None:
        from importlib.metadata import PackageNotFoundError, version

        out = []
        for name in names:
            try:
                out.append(f"{name}={version(name)}")
            except PackageNotFoundError:
                out.append(f"{name}=-")
        return ";".join(out)
    where = dict(found)
    out = []
    for name in names:
        folder = where.get(_normalized(name))
        if folder is None:
            out.append(f"{name}=-")
            continue
        try:
            stamp = os.stat(os.path.join(folder, "RECORD")).st_mtime_ns
        except OSError:
            stamp = 0
        out.append(f"{name}={os.path.basename(folder)}@{stamp}")
    return ";".join(out)


def entry_points(group: str) -> list[Any]:
    """Installed plugins' entry points in ``group`` (objects with ``name``,
    ``value`` and ``load()``), as ``importlib.metadata.entry_points(group=...)``
    lists them; read directly from the distributions' metadata folders, since
    importing importlib.metadata (and the email parser it needs) costs a
    tenth of a one-file run.  Falls back to importlib.metadata where the
    plain folder search would not see everything."""
    found = _fast_entry_points(group)
    if found is None:
        from importlib.metadata import entry_points as slow

        return list(slow(group=group))
    return found


def project_root() -> Path | None:
    """The source checkout, when running from one."""
    root = _package_dir().parent
    return root if (root / "rules").is_dir() and (root / "pyproject.toml").is_file() else None


def rules_root() -> Path:
    shipped = _package_dir() / "_rules"
    if shipped.is_dir():
        return shipped
    root = project_root()
    if root is None:
        raise FileNotFoundError("mtlint's built-in rule packs are missing from this installation")
    return root / "rules"


def fixtures_root() -> Path | None:
    shipped = _package_dir() / "_fixtures" / "rules"
    if shipped.is_dir():
        return shipped
    root = project_root()
    return root / "fixtures" / "rules" if root else None
