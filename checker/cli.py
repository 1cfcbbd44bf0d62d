"""Command line: argument parsing and exit codes only; the work is elsewhere.

Exit codes (the same for every format, pre-commit and CI):
  0  no finding at or above ``fail-on``
  1  findings at or above ``fail-on``
  2  usage, config, rule-file or input errors (bad files are reported, the
     rest are still checked)
Sub-commands live in ``COMMANDS`` (name -> "module:function" that adds its
sub-parser); the check command is the default when the first argument is a
path.
"""

from __future__ import annotations

import argparse
from dataclasses import replace
import importlib
import os
import sys
from typing import Any, Sequence

from .version import __version__

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
#: options of ``mtlint`` itself; any other first argument starts ``check``
_GLOBAL_OPTIONS = ("-h", "--help", "--version")

#: sub-command name -> "module:add_parser(subparsers) -> None" (each sets func=)
COMMANDS: dict[str, str] = {
    "check": "checker.cli:add_check",
    "rules": "checker.cli:add_rules",
    "explain": "checker.cli:add_explain",
    "doctor": "checker.doctor:add_parser",
    "names": "checker.names.command:add_parser",
    "serve": "checker.serve.command:add_parser",
}


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # exit 2 with one clear line
        self.print_usage(sys.stderr)
        sys.stderr.write(f"mtlint: error: {message}\n")
        raise SystemExit(EXIT_ERROR)


def _csv(value: str) -> list[str]:
    return [v.strip() for v in value.split(",") if v.strip()]


def add_check(sub: Any) -> None:
    from .formatters import formatter_names
    from .loaders import LOADERS

    p = sub.add_parser("check", help="check files and folders (the default command)")
    p.add_argument("paths", nargs="*", default=["."], help="files, folders (searched recursively) or - for standard input")
    p.add_argument("--format", "-f", metavar="NAME", help=f"report format: {', '.join(formatter_names())} (default: text; jsonl with --input)")
    p.add_argument("--output", "-o", metavar="FILE", help="write the report to FILE instead of standard output")
    p.add_argument("--select", type=_csv, metavar="RULES", help="comma-separated codes, names, prefixes, packs, categories or tags")
    p.add_argument("--extend-select", type=_csv, metavar="RULES", help="add to the configured selection")
    p.add_argument("--ignore", type=_csv, metavar="RULES", help="comma-separated rules not to run")
    p.add_argument("--fail-on", choices=["info", "warning", "error"], help="lowest severity that makes the exit code 1 (default: error)")
    p.add_argument("--config", metavar="PATH", help="use this config file instead of discovering one")
    p.add_argument("--preview", action="store_true", default=None, help="also run preview rules")
    p.add_argument("--stdin-filename", default="-", metavar="NAME", help="name to report for standard input")
    p.add_argument("--stdin-format", choices=list(LOADERS),
                   help="format of standard input (default: from --stdin-filename's extension, else text)")
    p.add_argument("--no-corpus", dest="corpus", action="store_false", default=None, help="do not run the cross-file phase")
    p.add_argument("--color", choices=["auto", "always", "never"], default="auto")
    p.add_argument("--grammar", choices=["harper", "languagetool", "none"], metavar="BACKEND",
                   help="grammar backend for the GR rules: harper (offline, default), languagetool or none; "
                        "a backend named here that cannot start is an error (exit 2)")
    p.add_argument("--jobs", "-j", type=int, default=0, metavar="N", help="check files in N processes (default: one per core)")
    p.add_argument("--baseline", metavar="FILE", help="report only findings not recorded in this baseline file")
    p.add_argument("--write-baseline", metavar="FILE", help="record every finding of this run in FILE (JSON) and report none of them")
    p.add_argument("--fix", action="store_true", help="apply safe fixes in place, then report what is left")
    p.add_argument("--diff", action="store_true", help="print the fixes as a unified diff; change nothing")
    p.add_argument("--unsafe-fixes", action="store_true", help="with --fix/--diff, also apply fixes marked unsafe")
    p.add_argument("--no-cache", dest="cache", action="store_false", help="do not read or write the result cache")
    p.add_argument("--cache-dir", metavar="DIR", help="result cache folder (default: .mtlint_cache beside the config file, or here)")
    p.add_argument("--no-progress", dest="progress", action="store_false", help="no progress bar on standard error")
    p.add_argument("--quiet", "-q", action="store_true", help="print the findings only (no summary, notes or hints; errors still go to standard error)")
    p.add_argument("--statistics", action="store_true", help="print how many findings each rule has, instead of the findings")
    p.add_argument("--exclude", type=_csv, metavar="PATTERNS", help="gitignore-style patterns folder runs skip (replaces the configured exclude)")
    p.add_argument("--extend-exclude", type=_csv, metavar="PATTERNS", help="patterns skipped in addition to exclude")
    p.add_argument("--respect-gitignore", dest="respect_gitignore", action="store_true", default=None, help="skip what .gitignore ignores (the default)")
    p.add_argument("--no-respect-gitignore", dest="respect_gitignore", action="store_false", help="check files .gitignore ignores")
    p.add_argument("--force-exclude", action="store_true", default=None, help="apply the excludes to files named on the command line too (pre-commit)")
    from .archive.command import add_archive_options

    add_archive_options(p)  # --input jsonl|parquet, --executor dask (docs/archive.md)
    p.set_defaults(func=cmd_check)


def _overrides(args: argparse.Namespace) -> dict[str, Any]:
    from .findings import Severity

    out: dict[str, Any] = {}
    if args.select is not None:
        out["select"] = tuple(args.select)
    if args.extend_select is not None:
        out["extend_select"] = tuple(args.extend_select)
    if args.ignore is not None:
        out["ignore"] = tuple(args.ignore)
    if args.fail_on is not None:
        out["fail_on"] = Severity.parse(args.fail_on)
    if args.preview:
        out["preview"] = True
    if args.respect_gitignore is not None:
        out["respect_gitignore"] = args.respect_gitignore
    if args.force_exclude:
        out["force_exclude"] = True
    if getattr(args, "grammar", None):
        out["grammar"] = {"backend": args.grammar, "required": args.grammar != "none"}
    return out


def _want_color(choice: str, stream: Any) -> bool:
    if choice == "always":
        return True
    if choice == "never" or os.environ.get("NO_COLOR"):
        return False
    return bool(getattr(stream, "isatty", lambda: False)())


def cmd_check(args: argparse.Namespace) -> int:
    from . import collector

    # importing the engine, the rules and their tables is loading: the cyclic
    # collector stays off until the run has frozen what was loaded (Engine.run
    # turns it back on; so does this, whatever happens, for an in-process caller)
    collector.pause()
    try:
        return _check(args)
    finally:
        collector.resume()


def _grammar_early(args: argparse.Namespace) -> Any:
    """Start the grammar backend before importing the engine, when the run is
    known to need it before any file is read: no result cache, or one that
    holds nothing yet (otherwise the plan's first cache miss decides: a rerun
    served whole from the cache must not build Harper's dictionary).  The
    build (about a second, without the GIL) then overlaps importing the
    engine and loading the rules, not just the latter (docs/performance.md).
    Returns the ``Services`` it started, for the engine's session to adopt,
    or None."""
    if args.session is not None or not args.paths or args.input or args.executor != "local" or args.scheduler:
        return None
    from pathlib import Path

    from .config import Config, discover_config, load_config, merge
    from .services import Services, start_grammar

    def configured(path: Path) -> Config:
        found = args.config or discover_config(path)
        return load_config(Path(found)) if found else Config()

    first = args.paths[0]
    try:
        cfg = merge(configured(Path.cwd() if first == "-" or first.startswith("<") else Path(first)), _overrides(args))
        if args.cache:
            from .cache import ResultCache, cache_folder

            if not ResultCache(cache_folder(args.cache_dir, lambda: configured(Path.cwd()))).cold:
                return None
    except Exception:  # a broken configuration: the engine reports it, and starts nothing
        return None
    services = Services(cfg)
    start_grammar(services)
    return services


def _check(args: argparse.Namespace) -> int:
    from . import collector

    early = _grammar_early(args)
    from .engine import Engine, RunOptions, Session
    from .formatters import FormatOptions, get_formatter
    from .loaders import detect_format

    args.format = args.format or ("jsonl" if args.input else "text")
    try:
        formatter = get_formatter(args.format)
    except LookupError as exc:
        sys.stderr.write(f"mtlint: error: {exc}\n")
        return EXIT_ERROR
    opts = RunOptions(
        config_path=args.config,
        overrides=_overrides(args),
        stdin_name=args.stdin_filename,
        stdin_format=args.stdin_format or detect_format(args.stdin_filename),
        corpus=args.corpus,
        jobs=max(0, args.jobs),
        baseline=os.path.abspath(args.baseline) if args.baseline else None,
        write_baseline=args.write_baseline,
        cache=args.cache,
        cache_dir=args.cache_dir,
        exclude=tuple(args.exclude) if args.exclude is not None else None,
        extend_exclude=tuple(args.extend_exclude or ()),
    )
    session = args.session
    if early is not None:
        session = Session()
        session.adopt(early)
    engine = Engine(opts, session=session)
    progress = None
    if args.progress and not formatter.machine and not args.diff and not args.quiet:
        from .progress import stderr_progress

        progress = stderr_progress()
    try:
        if args.input or args.executor != "local" or args.scheduler:
            from .archive.command import check_archive

            collector.resume()  # (an archive run does not freeze: records stream through it)

            report = check_archive(args, opts, progress)
            if isinstance(report, int):
                return report
        else:
            report = engine.run(args.paths, progress)
    finally:
        if progress is not None:
            progress.close()
    if args.fix or args.diff:
        changed, fix_errors = _apply_fixes(args, report, engine)
        if args.diff:
            return EXIT_FINDINGS if changed else EXIT_OK
        if changed:  # report what is left after the fixes
            report = Engine(replace(opts, write_baseline=None), session=session).run(args.paths)
        from .fixes import with_errors

        report = with_errors(report, fix_errors)  # fixes that could not be written: exit 2
    from .fsio import display_path, write_report

    human = not formatter.machine and not args.output
    on_terminal = human and (args.color == "always" or bool(getattr(sys.stdout, "isatty", lambda: False)()))
    extra: dict[str, Any] = {}
    if getattr(formatter, "wants_fixed_text", False):  # a capability, not a format name
        from .fixes import fixed_sources

        extra["fixed"] = {c.path: (c.new, c.applied) for c in fixed_sources(report, engine, stdin=True)}
    options = FormatOptions(color=human and _want_color(args.color, sys.stdout), terminal=on_terminal, quiet=args.quiet, statistics=args.statistics, extra=extra)

    def render(out: Any) -> None:
        formatter.render(report, out, options)

    failed = write_report(args.output, render) if args.output else render(sys.stdout)
    if failed:
        sys.stderr.write(f"mtlint: error: {failed}\n")
    if formatter.machine or args.output or args.quiet:
        # machine output stays parseable: input errors also go to stderr
        for e in report.errors:
            sys.stderr.write(f"{display_path(e.path)}: {'error' if e.fatal else 'note'}: {e.message}\n")
    return EXIT_ERROR if failed else report.exit_code()


def _apply_fixes(args: argparse.Namespace, report: Any, engine: Any) -> tuple[int, list[Any]]:
    """--diff: print what would change; --fix: write it and say what was fixed.
    Returns how many files change (or changed), and the fixes that could not be written."""
    from .fixes import fixed_sources, unified_diff, write_fix
    from .fsio import display_path

    changes = fixed_sources(report, engine, unsafe=args.unsafe_fixes)
    if args.diff:
        for c in changes:
            sys.stdout.write(unified_diff(c.path, c.old, c.new))
        n = sum(sum(c.applied.values()) for c in changes)
        if changes:
            sys.stderr.write(f"mtlint: {_plural(n, 'fix')} would change {_plural(len(changes), 'file')} (apply with --fix)\n")
        return len(changes), []
    errors, written = [], []
    for c in changes:
        error = write_fix(c.path, c.old, c.new)
        if error is None:
            written.append(c)
        else:
            errors.append(error)
    for c in written:
        what = ", ".join(f"{code} ×{n}" for code, n in c.applied.items())
        sys.stderr.write(f"{display_path(c.path)}: fixed {what}\n")
    if written:
        n = sum(sum(c.applied.values()) for c in written)
        sys.stderr.write(f"mtlint: applied {_plural(n, 'fix')} in {_plural(len(written), 'file')}; what remains is reported below\n")
    return len(written), errors


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else ('es' if word.endswith('x') else 's')}"


def add_rules(sub: Any) -> None:
    p = sub.add_parser("rules", help="list the rule catalogue")
    p.add_argument("--all", action="store_true", help="include preview and removed rules")
    p.add_argument("--config", metavar="PATH", help="config whose extra packs to include")
    p.add_argument("--format", choices=["text", "json"], default="text")
    p.set_defaults(func=cmd_rules)


def _catalogue(args: argparse.Namespace) -> tuple[Any, list[Any]]:
    """The rule set the current folder's configuration (or ``--config``) loads."""
    from .engine import Engine, RunOptions

    engine = Engine(RunOptions(config_path=args.config), session=args.session)
    cfg = engine.config_for(os.curdir)
    errors = engine.errors()
    if any(e.kind == "config" for e in errors):
        return None, errors
    ruleset, rule_errors = engine.session.ruleset(cfg.pack_dirs())
    return ruleset, errors + list(rule_errors)


def cmd_rules(args: argparse.Namespace) -> int:
    import json

    from .rule import Status

    ruleset, errors = _catalogue(args)
    for e in errors:
        sys.stderr.write(f"{e}\n")
    if ruleset is None:
        return EXIT_ERROR
    from .docs import kind_role, kind_users
    from .kinds import GENERAL_KINDS

    rows = [r.meta for r in ruleset if args.all or r.meta.status in (Status.STABLE, Status.DEPRECATED)]
    if args.format == "json":
        json.dump(
            [
                {"code": m.code, "name": m.name, "category": m.category, "severity": str(m.severity), "status": str(m.status),
                 "fixable": str(m.fixable), "kind": m.kind, "kind_role": "general" if m.kind in GENERAL_KINDS else "python",
                 "kind_rules": len(kind_users(m.kind, ruleset)), "summary": m.summary}
                for m in rows
            ],
            sys.stdout,
            indent=2,
        )
        sys.stdout.write("\n")
    else:
        head = ("code", "name", "category", "severity", "status", "fixable", "kind", "summary")
        table = [head] + [(m.code, m.name, m.category, str(m.severity), str(m.status), str(m.fixable),
                           f"{m.kind} ({kind_role(m.kind, ruleset, short=True)})", m.summary) for m in rows]
        widths = [max(len(row[i]) for row in table) for i in range(len(head) - 1)]
        for row in table:
            sys.stdout.write("  ".join(c.ljust(w) for c, w in zip(row, widths)) + "  " + row[-1] + "\n")
    return EXIT_ERROR if errors else EXIT_OK


def add_explain(sub: Any) -> None:
    p = sub.add_parser("explain", help="print one rule's documentation page")
    p.add_argument("rule", help="a rule code, alias or name")
    p.add_argument("--config", metavar="PATH")
    p.set_defaults(func=cmd_explain)


def cmd_explain(args: argparse.Namespace) -> int:
    from .docs import rule_page

    ruleset, errors = _catalogue(args)
    if ruleset is None:
        for e in errors:
            sys.stderr.write(f"{e}\n")
        return EXIT_ERROR
    rule = ruleset.get(args.rule) or ruleset.get(args.rule.upper())
    if rule is None:
        sys.stderr.write(f"mtlint: error: no rule {args.rule!r} (see `mtlint rules`)\n")
        return EXIT_ERROR
    sys.stdout.write(rule_page(rule, catalogue=ruleset))
    return EXIT_OK


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The whole command line, or with ``only`` just that sub-command's parser
    (``main`` knows which one runs: the others' modules are not imported)."""
    parser = _Parser(prog="mtlint", description="Find machine-translation artifacts and text-quality problems in news articles.")
    parser.add_argument("--version", action="version", version=f"mtlint {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name, target in COMMANDS.items():
        if only is not None and name != only:
            continue
        module, _, attr = target.partition(":")
        getattr(importlib.import_module(module), attr)(sub)
    return parser


class Terminated(BaseException):
    """SIGTERM, turned into an exception so that every ``finally`` runs
    (worker processes are stopped, nothing is left half-written)."""


def _on_sigterm(signum: int, frame: Any) -> None:
    raise Terminated()


def main(argv: Sequence[str] | None = None, *, session: Any = None) -> int:
    """Run mtlint with ``argv``; returns the exit code.

    ``session`` (a ``checker.engine.Session``) lets a long-lived caller, such
    as a test suite, share loaded rules and backends between calls.
    """
    import signal
    import threading

    argv = list(sys.argv[1:] if argv is None else argv)
    # `mtlint FILE` and `mtlint --grammar none FILE` mean `mtlint check ...`
    if argv and argv[0] not in COMMANDS and argv[0] not in _GLOBAL_OPTIONS:
        argv.insert(0, "check")
    if not argv:
        argv = ["--help"]
    parser = build_parser(argv[0] if argv[0] in COMMANDS else None)
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return EXIT_ERROR
    args.session = session
    previous = None
    if threading.current_thread() is threading.main_thread():
        previous = signal.signal(signal.SIGTERM, _on_sigterm)
    try:
        return int(args.func(args))
    except KeyboardInterrupt:
        sys.stderr.write("mtlint: interrupted\n")
        return 128 + signal.SIGINT
    except Terminated:
        sys.stderr.write("mtlint: terminated\n")
        return 128 + signal.SIGTERM
    except BrokenPipeError:  # pragma: no cover - `mtlint ... | head`
        return EXIT_OK
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
