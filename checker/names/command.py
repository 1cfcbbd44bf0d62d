"""``mtlint names PATH...``: name clusters across files, and a starting registry.

It goes through the same public path as NM001: each file's table comes from
``names.collect`` (with the same registry), the clusters from
``names.reduce``.  It prints each name with more than one spelling: the
canonical spelling (the registry's, else the most frequent) with its count
and files, then each variant with its count, why it was joined (``article``:
that article's own majority; ``corpus``: an anchored entity in other files;
``registry``), and the files it appears in.  ``--write-registry FILE``
writes them as a names registry (TOML) for a newsroom to review.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

__all__ = ["add_parser", "cmd_names", "name_clusters"]


def add_parser(sub: Any) -> None:
    p = sub.add_parser("names", help="print name-spelling clusters across files; write a starting registry")
    p.add_argument("paths", nargs="+", help="files or folders (searched recursively)")
    p.add_argument("--config", metavar="PATH", help="config file (for [names] registry); default: discovered")
    p.add_argument("--format", choices=["text", "json"], default="text")
    p.add_argument("--write-registry", metavar="FILE", help="write the clusters as a names registry (TOML) to review")
    p.add_argument("--jobs", "-j", type=int, default=1, metavar="N", help="with --input: N processes (or N Dask workers; 0: one per core)")
    from ..archive.command import add_archive_options

    add_archive_options(p)  # --input jsonl|parquet ARCHIVE, --executor dask (docs/archive.md)
    p.set_defaults(func=cmd_names)


def name_clusters(paths: list[str], config: Any = None) -> tuple[list[dict[str, Any]], list[Any]]:
    """Clusters across ``paths`` (``names.propose_registry`` entries) and the input errors."""
    from ..config import Config
    from ..findings import InputError
    from ..loaders import discover, load_document, read_source
    from . import collect, propose_registry, reduce
    from .registry import Registry, RegistryError, load_registry

    cfg = config or Config()
    errors: list[Any] = []
    registry = Registry.empty()
    if cfg.names.registry:
        try:
            registry = load_registry(Path(cfg.root or ".") / cfg.names.registry)
        except RegistryError as exc:
            errors.append(InputError(cfg.source or "<config>", "config", str(exc)))
    from ..exclude import Excluder

    tables: dict[str, Any] = {}
    for target in discover(list(paths), Excluder(lambda _path: cfg)):  # exclude, extend-exclude, .gitignore
        if isinstance(target, InputError):
            errors.append(target)
            continue
        src = read_source(target, max_size=cfg.max_file_size)
        if isinstance(src, InputError):
            errors.append(src)
            continue
        if not src.text.strip():
            continue
        try:
            doc = load_document(src, cfg)
        except Exception as exc:  # a file a loader cannot parse must not stop the run
            errors.append(InputError(target, "unreadable", f"could not be parsed as {src.format}: {exc}"))
            continue
        tables[target] = collect(doc, registry)
    return propose_registry(reduce(tables, registry)), errors


def cmd_names(args: argparse.Namespace) -> int:
    from ..config import Config, ConfigError, discover_config, load_config
    from .registry import write_registry

    try:
        path = args.config or discover_config(Path(args.paths[0]) if args.paths[0] != "-" else Path.cwd())
        cfg = load_config(Path(path)) if path else Config()
    except ConfigError as exc:
        sys.stderr.write(f"{exc}\n")
        return 2
    if args.input or args.executor != "local" or args.scheduler:
        from ..archive.command import names_archive

        got = names_archive(args, cfg)
        if isinstance(got, str):
            sys.stderr.write(f"mtlint: error: {got}\n")
            return 2
        clusters, errors = got
    else:
        clusters, errors = name_clusters(args.paths, cfg)
    for e in errors:
        sys.stderr.write(f"{e.path}: {'error' if e.fatal else 'note'}: {e.message}\n")
    if args.format == "json":
        json.dump({"clusters": clusters}, sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
    else:
        if not clusters:
            sys.stdout.write("no names with more than one spelling\n")
        for c in clusters:
            sys.stdout.write(f"{c['canonical']}  ({c['count']}x in {len(c['files'])} file(s): {_files(c['files']) or 'registry'})\n")
            for v in c["variants"]:
                sys.stdout.write(f"    {v['spelling']}  {v['count']}x  [{v['scope']}: {v['reason']}]  {_files(v['files'])}\n")
    if args.write_registry:
        try:
            with open(args.write_registry, "w", encoding="utf-8") as fh:
                write_registry(clusters, fh)
        except OSError as exc:
            sys.stderr.write(f"{args.write_registry}: error: cannot write the registry: {exc.strerror or exc}\n")
            return 2
        sys.stderr.write(f"wrote {len(clusters)} name(s) to {args.write_registry}\n")
    return 2 if any(getattr(e, "fatal", False) for e in errors) else 0


def _files(files: list[str], shown: int = 3) -> str:
    return ", ".join(files[:shown]) + (" …" if len(files) > shown else "")
