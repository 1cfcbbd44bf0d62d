"""``mtlint check --input jsonl|parquet ARCHIVE``: the archive options and their run.

``checker.cli`` adds these options to ``check`` and hands an archive run to
``check_archive``; the report goes through the usual formatters (JSON Lines
by default: one line per record, the JSON report's file entry).
"""

from __future__ import annotations

import argparse
import sys
from typing import Any, Callable

from . import DEFAULT_PARTITION

__all__ = ["add_archive_options", "archive_options", "check_archive", "EXIT_ERROR"]

EXIT_ERROR = 2
#: executors that need optional libraries: name -> module with ``require``, ``make_executor``,
#: ``MissingExtra`` and ``ClusterError`` (imported only when asked for, like grammar backends,
#: so ``mtlint doctor`` does not require Dask)
EXECUTORS: dict[str, str] = {"dask": "checker.archive.cluster"}
#: the library --input parquet needs
_PARQUET_LIBRARY = "pyarrow"
_EXTRA_HINT = "pip install 'mtlint[dask]'"
#: formats that need each file's text (not kept for records)
_NEEDS_SOURCE = ("html",)


def add_archive_options(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("archives of records (docs/archive.md)")
    g.add_argument("--input", choices=["jsonl", "parquet"], help="read PATH as an archive of records: JSON Lines (- for standard input) or Parquet")
    g.add_argument("--id-field", default="id", metavar="NAME", help="the record field holding its id (default: id)")
    g.add_argument("--text-field", default="text", metavar="NAME", help="the record field holding the article (default: text)")
    g.add_argument("--format-field", metavar="NAME", help="a record field naming its format: text, markdown or html (default: all text)")
    g.add_argument("--partition-size", type=int, default=DEFAULT_PARTITION, metavar="N", help=f"records per task (default: {DEFAULT_PARTITION})")
    g.add_argument("--executor", choices=["local", "dask"], default="local",
                   help="local: this process or --jobs forked workers; dask: a Dask cluster (--jobs workers, or --scheduler)")
    g.add_argument("--scheduler", metavar="ADDRESS", help="a running Dask scheduler, e.g. tcp://10.0.0.5:8786 (implies --executor dask)")


def archive_options(args: argparse.Namespace) -> Any:
    from .records import RecordSpec
    from .run import ArchiveOptions

    source = args.paths[0]
    # records read from standard input are named after --stdin-filename when given
    name = getattr(args, "stdin_filename", "-") if source == "-" else source
    spec = RecordSpec(id_field=args.id_field, text_field=args.text_field, format_field=args.format_field, name=name)
    return ArchiveOptions(args.input, source, spec, max(1, args.partition_size))


def _executor_module(args: argparse.Namespace) -> Any:
    import importlib

    name = "dask" if args.scheduler else args.executor
    return importlib.import_module(EXECUTORS[name]) if name in EXECUTORS else None


def _usage(args: argparse.Namespace) -> str | None:
    import importlib.util

    module = _executor_module(args)
    if module is not None:
        try:
            module.require_dask()
        except module.MissingExtra as exc:
            return str(exc)
    if not args.input:
        return "--executor dask and --scheduler check archives of records: add --input jsonl or --input parquet"
    if args.input == "parquet" and importlib.util.find_spec(_PARQUET_LIBRARY) is None:
        return f"--input parquet needs {_PARQUET_LIBRARY}: {_EXTRA_HINT}"
    if len(args.paths) != 1:
        return f"--input {args.input} reads one archive (a file, or - for standard input), not {len(args.paths)} paths"
    if args.paths[0] == "-" and args.input != "jsonl":
        return "standard input can be read as JSON Lines only (--input jsonl)"
    if getattr(args, "fix", False) or getattr(args, "diff", False):
        return "--fix and --diff work on files, not on archives of records"
    if getattr(args, "baseline", None) or getattr(args, "write_baseline", None):
        return "--baseline and --write-baseline work on files, not yet on archives of records"
    if getattr(args, "format", None) in _NEEDS_SOURCE:
        return f"--format {args.format} needs each file's text; for archives use jsonl, json, sarif, junit or text"
    return None


def _executor(args: argparse.Namespace, jobs: int, settings: Any) -> tuple[Any, Callable[[], None]] | str:
    """The executor and its closer (None: this process or --jobs forked workers), or an error."""
    module = _executor_module(args)
    if module is None:
        return None, lambda: None
    try:
        return module.make_executor("dask", args.scheduler, jobs, settings)
    except (module.ClusterError, module.MissingExtra) as exc:
        return str(exc)


def check_archive(args: argparse.Namespace, options: Any, progress: Callable[[int, int], None] | None) -> Any:
    """The archive run for ``mtlint check``: a ``Report``, or an exit code for a usage error."""
    problem = _usage(args)
    if problem:
        sys.stderr.write(f"mtlint: error: {problem}\n")
        return EXIT_ERROR
    from .run import resolve_settings, run_archive

    archive = archive_options(args)
    got = _executor(args, options.jobs, resolve_settings(options, archive))
    if isinstance(got, str):
        sys.stderr.write(f"mtlint: error: {got}\n")
        return EXIT_ERROR
    executor, close = got
    try:
        return run_archive(options, archive, executor=executor, session=args.session, progress=progress)
    finally:
        close()


def names_archive(args: argparse.Namespace, config: Any) -> tuple[list[dict[str, Any]], list[Any]] | str:
    """``mtlint names --input ...``: the archive's clusters (``propose_registry``
    entries) and the records' errors, or a usage error."""
    problem = _usage(args)
    if problem:
        return problem
    from pathlib import Path

    from ..engine import RunOptions
    from ..findings import InputError
    from ..names import Registry, RegistryError, load_registry, propose_registry, reduce
    from .run import archive_tables, resolve_settings

    options = RunOptions(config_path=args.config, overrides={"select": ("NM001",), "ignore": ()}, jobs=max(0, args.jobs))
    archive = archive_options(args)
    got = _executor(args, options.jobs, resolve_settings(options, archive))
    if isinstance(got, str):
        return got
    executor, close = got
    try:
        tables, errors = archive_tables(options, archive, "NM001", executor=executor, session=getattr(args, "session", None))
    finally:
        close()
    registry = Registry.empty()
    if config.names.registry:
        try:
            registry = load_registry(Path(config.root or ".") / config.names.registry)
        except RegistryError as exc:
            errors.append(InputError(config.source or "<config>", "config", str(exc)))
    return propose_registry(reduce(tables, registry)), errors
