"""``mtlint names PATH...``: the name clusters of a set of files, and a starting registry.

Reads every file the way ``mtlint check`` does, extracts name words, clusters
their spellings across all files (the same keys, guards and registry as
NM001) and prints each cluster that has more than one spelling: the
dominant (or registry canonical) spelling with its count, then each variant
with its count and the files it appears in.  ``--write-registry FILE``
writes the clusters as a names registry (TOML) for a newsroom to review.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any

__all__ = ["add_parser", "cmd_names", "name_clusters"]


def add_parser(sub: Any) -> None:
    p = sub.add_parser("names", help="print name-spelling clusters across files; write a starting registry")
    p.add_argument("paths", nargs="+", help="files or folders (searched recursively)")
    p.add_argument("--config", metavar="PATH", help="config file (for [names] registry); default: discovered")
    p.add_argument("--format", choices=["text", "json"], default="text")
    p.add_argument("--write-registry", metavar="FILE", help="write the clusters as a names registry (TOML)")
    p.set_defaults(func=cmd_names)


def name_clusters(paths: list[str], config: Any = None) -> tuple[list[dict[str, Any]], list[Any]]:
    """Clusters across ``paths``: ``[{canonical, count, files, variants: [{spelling, count, files, reason}]}]``."""
    from ..config import Config
    from ..findings import InputError
    from .rule import attach, document_entries
    from ..loaders import discover, load_document, read_source
    from .registry import Registry, RegistryError, load_registry

    cfg = config or Config()
    errors: list[Any] = []
    registry = Registry.empty()
    if cfg.names.registry:
        try:
            registry = load_registry(Path(cfg.root or ".") / cfg.names.registry)
        except RegistryError as exc:
            errors.append(InputError(cfg.source or "<config>", "config", str(exc)))
    merged: dict[str, Any] = {}
    files_of: dict[str, Counter] = {}
    for target in discover(list(paths)):
        if isinstance(target, InputError):
            errors.append(target)
            continue
        src = read_source(target, max_size=cfg.max_file_size)
        if isinstance(src, InputError):
            errors.append(src)
            continue
        if not src.text.strip():
            continue
        doc = load_document(src, cfg)
        for key, e in document_entries(doc).items():
            m = merged.get(key)
            if m is None:
                merged[key] = e
                e.spans = []  # spans of different files do not mix
            else:
                m.count += e.count
                m.surfaces.update(e.surfaces)
                m.contexts.extend(e.contexts)
            files_of.setdefault(key, Counter())[target] += e.count
    attached, pool = attach(merged, registry)
    groups: dict[str, list[str]] = {}
    for key, (head, _) in attached.items():
        groups.setdefault(head, []).append(key)
    out = []
    for head in sorted(groups, key=lambda h: (-pool[h].count, h)):
        h = pool[head]
        canonical = h.surfaces.most_common(1)[0][0] if h.surfaces else h.spelling.text
        variants = []
        for key in sorted(groups[head], key=lambda k: (-pool[k].count, k)):
            v = pool[key]
            variants.append({
                "spelling": v.surfaces.most_common(1)[0][0],
                "count": v.count,
                "files": sorted(files_of.get(key, {})),
                "reason": attached[key][1],
            })
        out.append({"canonical": canonical, "count": h.count, "files": sorted(files_of.get(head, {})), "variants": variants})
    return out, errors


def cmd_names(args: argparse.Namespace) -> int:
    from ..config import Config, ConfigError, discover_config, load_config
    from .registry import write_registry

    try:
        path = args.config or discover_config(Path(args.paths[0]) if args.paths[0] != "-" else Path.cwd())
        cfg = load_config(Path(path)) if path else Config()
    except ConfigError as exc:
        sys.stderr.write(f"{exc}\n")
        return 2
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
            files = ", ".join(c["files"][:3]) + (" …" if len(c["files"]) > 3 else "")
            sys.stdout.write(f"{c['canonical']}  ({c['count']}x in {len(c['files'])} file(s): {files or 'registry'})\n")
            for v in c["variants"]:
                vf = ", ".join(v["files"][:3]) + (" …" if len(v["files"]) > 3 else "")
                sys.stdout.write(f"    {v['spelling']}  {v['count']}x  [{v['reason']}]  {vf}\n")
    if args.write_registry:
        with open(args.write_registry, "w", encoding="utf-8") as fh:
            write_registry(clusters, fh)
        sys.stderr.write(f"wrote {len(clusters)} name(s) to {args.write_registry}\n")
    return 2 if any(getattr(e, "fatal", False) for e in errors) else 0
