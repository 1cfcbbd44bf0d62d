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

from . import __version__

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2

#: sub-command name -> "module:add_parser(subparsers) -> None" (each sets func=)
COMMANDS: dict[str, str] = {
    "check": "checker.cli:add_check",
    "rules": "checker.cli:add_rules",
    "explain": "checker.cli:add_explain",
    "doctor": "checker.doctor:add_parser",
    "names": "checker.names_cmd:add_parser",
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

    p = sub.add_parser("check", help="check files and folders (the default command)")
    p.add_argument("paths", nargs="*", default=["."], help="files, folders (searched recursively) or - for standard input")
    p.add_argument("--format", "-f", default="text", metavar="NAME", help=f"report format: {', '.join(formatter_names())}")
    p.add_argument("--output", "-o", metavar="FILE", help="write the report to FILE instead of standard output")
    p.add_argument("--select", type=_csv, metavar="RULES", help="comma-separated codes, names, prefixes, packs, categories or tags")
    p.add_argument("--extend-select", type=_csv, metavar="RULES", help="add to the configured selection")
    p.add_argument("--ignore", type=_csv, metavar="RULES", help="comma-separated rules not to run")
    p.add_argument("--fail-on", choices=["info", "warning", "error"], help="lowest severity that makes the exit code 1 (default: error)")
    p.add_argument("--config", metavar="PATH", help="use this config file instead of discovering one")
    p.add_argument("--preview", action="store_true", default=None, help="also run preview rules")
    p.add_argument("--stdin-filename", default="-", metavar="NAME", help="name to report for standard input")
    p.add_argument("--stdin-format", default="text", choices=["text", "markdown", "html"], help="format of standard input")
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
    p.add_argument("--no-progress", dest="progress", action="store_false", help="no progress bar on standard error")
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
    from .api import RunOptions, run
    from .formatters import FormatOptions, get_formatter

    try:
        formatter = get_formatter(args.format)
    except LookupError as exc:
        sys.stderr.write(f"mtlint: error: {exc}\n")
        return EXIT_ERROR
    opts = RunOptions(
        config_path=args.config,
        overrides=_overrides(args),
        stdin_name=args.stdin_filename,
        stdin_format=args.stdin_format,
        corpus=args.corpus,
        jobs=max(0, args.jobs),
        baseline=os.path.abspath(args.baseline) if args.baseline else None,
        write_baseline=args.write_baseline,
    )
    progress = None
    if args.progress and not formatter.machine and not args.diff:
        from .progress import stderr_progress

        progress = stderr_progress()
    try:
        report = run(args.paths, opts, progress=progress)
    finally:
        if progress is not None:
            progress.close()
    if args.fix or args.diff:
        changed, fix_errors = _apply_fixes(args, report, opts)
        if args.diff:
            return EXIT_FINDINGS if changed else EXIT_OK
        if changed:  # report what is left after the fixes
            report = run(args.paths, replace(opts, write_baseline=None))
        from .fixes import with_errors

        report = with_errors(report, fix_errors)  # fixes that could not be written: exit 2
    from .fsio import display_path, write_report

    def render(out: Any) -> None:
        formatter.render(report, out, FormatOptions(color=not formatter.machine and not args.output and _want_color(args.color, out)))

    failed = write_report(args.output, render) if args.output else render(sys.stdout)
    if failed:
        sys.stderr.write(f"mtlint: error: {failed}\n")
    if formatter.machine or args.output:
        # machine output stays parseable: input errors also go to stderr
        for e in report.errors:
            sys.stderr.write(f"{display_path(e.path)}: {'error' if e.fatal else 'note'}: {e.message}\n")
    return EXIT_ERROR if failed else report.exit_code()


def _apply_fixes(args: argparse.Namespace, report: Any, opts: Any) -> tuple[int, list[Any]]:
    """--diff: print what would change; --fix: write it. Returns how many files change, and write errors."""
    from .fixes import fixed_sources, unified_diff, write_fix

    changes = fixed_sources(report, opts, unsafe=args.unsafe_fixes)
    if args.diff:
        for path, old, new in changes:
            sys.stdout.write(unified_diff(path, old, new))
        return len(changes), []
    errors = [e for e in (write_fix(path, old, new) for path, old, new in changes) if e is not None]
    written = len(changes) - len(errors)
    if written:
        sys.stderr.write(f"mtlint: fixed {written} file{'s' if written != 1 else ''}\n")
    return written, errors


def add_rules(sub: Any) -> None:
    p = sub.add_parser("rules", help="list the rule catalogue")
    p.add_argument("--all", action="store_true", help="include preview and removed rules")
    p.add_argument("--config", metavar="PATH", help="config whose extra packs to include")
    p.add_argument("--format", choices=["text", "json"], default="text")
    p.set_defaults(func=cmd_rules)


def _catalogue(config_path: str | None) -> tuple[Any, list[Any]]:
    from pathlib import Path

    from .config import Config, ConfigError, discover_config, load_config
    from .registry import load_ruleset

    try:
        path = config_path or discover_config(Path.cwd())
        cfg = load_config(Path(path)) if path else Config()
    except ConfigError as exc:
        return None, [exc]
    ruleset, errors = load_ruleset(cfg.pack_dirs())
    return ruleset, errors


def cmd_rules(args: argparse.Namespace) -> int:
    import json

    from .rule import Status

    ruleset, errors = _catalogue(args.config)
    for e in errors:
        sys.stderr.write(f"{e}\n")
    if ruleset is None:
        return EXIT_ERROR
    rows = [r.meta for r in ruleset if args.all or r.meta.status in (Status.STABLE, Status.DEPRECATED)]
    if args.format == "json":
        json.dump(
            [
                {"code": m.code, "name": m.name, "category": m.category, "severity": str(m.severity), "status": str(m.status),
                 "fixable": str(m.fixable), "kind": m.kind, "summary": m.summary}
                for m in rows
            ],
            sys.stdout,
            indent=2,
        )
        sys.stdout.write("\n")
    else:
        head = ("code", "name", "category", "severity", "status", "fixable", "summary")
        table = [head] + [(m.code, m.name, m.category, str(m.severity), str(m.status), str(m.fixable), m.summary) for m in rows]
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

    ruleset, errors = _catalogue(args.config)
    if ruleset is None:
        for e in errors:
            sys.stderr.write(f"{e}\n")
        return EXIT_ERROR
    rule = ruleset.get(args.rule) or ruleset.get(args.rule.upper())
    if rule is None:
        sys.stderr.write(f"mtlint: error: no rule {args.rule!r} (see `mtlint rules`)\n")
        return EXIT_ERROR
    sys.stdout.write(rule_page(rule))
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="mtlint", description="Find machine-translation artifacts and text-quality problems in news articles.")
    parser.add_argument("--version", action="version", version=f"mtlint {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name, target in COMMANDS.items():
        module, _, attr = target.partition(":")
        getattr(importlib.import_module(module), attr)(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] not in COMMANDS and not argv[0].startswith("-"):
        argv.insert(0, "check")
    if not argv:
        argv = ["--help"]
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return EXIT_ERROR
    try:
        return int(args.func(args))
    except KeyboardInterrupt:  # pragma: no cover
        return 130
    except BrokenPipeError:  # pragma: no cover - `mtlint ... | head`
        return EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
