"""``mtlint doctor``: which grammar backends are available, which is in use,
their versions, and what to do to enable the others.

It reads the same config ``mtlint check`` would (``--config`` or the one
discovered from the current folder) and probes each backend without
checking any text; a LanguageTool server is contacted only when a URL is
configured.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

__all__ = ["add_parser", "cmd_doctor"]


def add_parser(sub: Any) -> None:
    p = sub.add_parser("doctor", help="show grammar backends: available, in use, versions, how to enable")
    p.add_argument("--config", metavar="PATH", help="config file to read (default: discovered from the current folder)")
    p.add_argument("--grammar", choices=["harper", "languagetool", "none"], metavar="BACKEND", help="as for check")
    p.add_argument("--format", choices=["text", "json"], default="text")
    p.add_argument("--harper-rules", action="store_true", help="list Harper's rules and whether mtlint runs them")
    p.set_defaults(func=cmd_doctor)


def _config(path: str | None) -> Any:
    from pathlib import Path

    from .config import Config, discover_config, load_config

    found = path or discover_config(Path.cwd())
    return load_config(Path(found)) if found else Config()


def cmd_doctor(args: argparse.Namespace) -> int:
    from dataclasses import replace

    from .version import __version__
    from .backends import backend_status
    from .config import ConfigError

    try:
        cfg = _config(args.config)
    except ConfigError as exc:
        sys.stderr.write(f"mtlint: error: {exc}\n")
        return 2
    if args.grammar:
        cfg = replace(cfg, grammar=replace(cfg.grammar, backend=args.grammar))
    if args.harper_rules:
        return _harper_rules(cfg)
    rows = backend_status(cfg)
    extras = _extras()
    if args.format == "json":
        json.dump({"mtlint": __version__, "grammar_backend": cfg.grammar.backend, "backends": rows, "libraries": extras},
                  sys.stdout, indent=2)
        sys.stdout.write("\n")
        return 0
    out = sys.stdout
    out.write(f"mtlint {__version__}; grammar backend in use: {cfg.grammar.backend}"
              f" (config: {cfg.source or 'packaged defaults'})\n")
    for r in rows:
        mark = "in use" if r["in_use"] else ("available" if r["available"] else "not available")
        out.write(f"  {r['name']:13} {mark:14} {r['version'] or '-':28} {r['detail']}\n")
        if not r["in_use"] or not r["available"]:
            out.write(f"  {'':13} to enable: {r['enable']}\n")
    for name, ver in extras.items():
        out.write(f"  {name:13} {'available' if ver else 'not installed':14} {ver or '-'}\n")
    in_use = next((r for r in rows if r["in_use"]), None)
    if in_use is not None and not in_use["available"]:
        return 1
    return 0


def _harper_rules(cfg: Any) -> int:
    import harper

    from .backends.harper import DEFAULT_RULES

    h = cfg.grammar.harper
    on = (set(DEFAULT_RULES) | set(h.enable)) - set(h.disable)
    lin = harper.Linter()
    desc = lin.get_lint_descriptions()
    for name in sorted(harper.get_default_lint_config()):
        first = (desc.get(name, "").strip().splitlines() or [""])[0]
        sys.stdout.write(f"{'on ' if name in on else 'off'}  {name:40} {first[:90]}\n")
    sys.stdout.write(f"{len(on)} of {len(desc)} Harper rules on; change with [tool.mtlint.grammar.harper] enable/disable\n")
    return 0


def _extras() -> dict[str, str]:
    """Libraries the spelling and readability rules use (versions only)."""
    from importlib.metadata import PackageNotFoundError, version

    out = {}
    for dist in ("wordfreq", "textstat", "rapidfuzz"):
        try:
            out[dist] = version(dist)
        except PackageNotFoundError:
            out[dist] = ""
    return out
