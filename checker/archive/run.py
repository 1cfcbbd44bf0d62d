"""An archive audit: records in, one ``Report`` out, through the same ``Engine``.

The run has the engine's phases, cut along partitions so any executor can
run them (this process, ``--jobs`` forked workers, or a Dask cluster):

1. **map** (``check_partition``): read one partition's records, check each
   (``Engine.check_source``) and keep its result without its text and its
   collected cross-file tables.  A record whose rule raises gets that
   error, the rest of the partition is still checked.
2. **reduce** (``Engine.cross_file``, in the driver): the archive's name
   clusters and cross-file findings from the tables alone.
3. **second map** (``attach_partition``): only the partitions with
   cross-file findings are read again, and the findings finalised against
   each record's text (suppression comments, positions).
4. **finalise** (driver): merge and re-score, totals, the report.  Results
   are spooled to disk in archive order, so the driver's memory holds the
   cross-file tables and the ids, never the texts.

Every executor returns partitions in archive order and the reduce sorts,
so the output is byte for byte the same for ``--jobs 1``, ``--jobs N`` and
any number of Dask workers.
"""

from __future__ import annotations

import os
import pickle
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import IO, Any, Callable, Iterable, Iterator, Protocol

from ..config import discover_config
from ..engine import Engine, RunOptions, Session, default_jobs
from ..findings import FileResult, Finding, InputError, Report, SummaryBuilder
from ..spool import Spool
from .records import DEFAULT_PARTITION, Partition, Record, RecordSpec, plan, read_partition

__all__ = [
    "ArchiveOptions", "Settings", "Checked", "PartitionResult", "Executor", "LocalExecutor",
    "check_partition", "attach_partition", "check_records", "worker_engine", "run_archive", "archive_tables",
    "resolve_settings",
]


@dataclass(frozen=True)
class ArchiveOptions:
    """What to read and how to split it."""

    #: "jsonl" or "parquet"
    input: str
    #: the archive file, or "-" for JSON Lines on standard input
    source: str
    spec: RecordSpec = field(default_factory=RecordSpec)
    partition_size: int = DEFAULT_PARTITION


@dataclass(frozen=True)
class Settings:
    """Everything a worker needs to check records as the driver would (picklable)."""

    options: RunOptions
    spec: RecordSpec


@dataclass
class Checked:
    """One record's result (its text left behind) and its cross-file tables."""

    pos: int
    line: int
    result: FileResult
    collected: dict[str, Any]


@dataclass
class PartitionResult:
    index: int
    records: list[Checked]
    notices: list[InputError] = field(default_factory=list)


# -- the worker side -------------------------------------------------------------------
_SESSION: Session | None = None
_ENGINES: dict[bytes, Engine] = {}


def worker_engine(settings: Settings) -> Engine:
    """This process's warm engine for ``settings`` (built once per process)."""
    global _SESSION
    key = pickle.dumps(settings)
    engine = _ENGINES.get(key)
    if engine is None:
        if _SESSION is None:
            _SESSION = Session()
        engine = Engine(settings.options, session=_SESSION)
        engine.runner_for(settings.spec.name).warm()
        _ENGINES[key] = engine
    return engine


def check_records(engine: Engine, records: Iterable[Record]) -> tuple[list[Checked], list[InputError]]:
    """The map step over records: each checked, its text dropped, its tables kept."""
    out: list[Checked] = []
    notices: list[InputError] = []
    for rec in records:
        item = rec.item
        if isinstance(item, InputError):
            out.append(Checked(rec.pos, rec.line, FileResult(path=item.path, errors=(item,)), {}))
            continue
        try:
            got = engine.check_source(item)
        except Exception as exc:  # the runner catches rule errors; this is anything else (a loader bug)
            err = InputError(item.path, "rule-crash", f"line {rec.line}: checking failed: {type(exc).__name__}: {exc}")
            out.append(Checked(rec.pos, rec.line, FileResult(path=item.path, errors=(err,)), {}))
            continue
        notices.extend(got.notices)
        out.append(Checked(rec.pos, rec.line, replace(got.result, source=None), got.collected))
    return out, notices


def _unreadable(settings: Settings, part: Partition, exc: BaseException) -> PartitionResult:
    what = "rows" if part.kind == "parquet" else "lines"
    where = f"{settings.spec.name}:{part.first_line}"
    err = InputError(where, "unreadable", f"{what} {part.first_line}-{part.first_line + max(part.count, 1) - 1} could not be read: {type(exc).__name__}: {exc}")
    return PartitionResult(part.index, [Checked(0, part.first_line, FileResult(path=where, errors=(err,)), {})])


def check_partition(settings: Settings, part: Partition, engine: Engine | None = None) -> PartitionResult:
    """Map: every record of ``part`` checked (a Dask task, a ``--jobs`` worker's task)."""
    engine = engine or worker_engine(settings)
    try:
        records = list(read_partition(part, settings.spec))
    except (OSError, ValueError, ImportError) as exc:
        return _unreadable(settings, part, exc)
    checked, notices = check_records(engine, records)
    # what the worker's rules reported while loading (a backend that cannot start): the driver
    # reports each notice once, whichever worker saw it
    return PartitionResult(part.index, checked, notices + engine.notices())


def attach_partition(settings: Settings, part: Partition, wanted: dict[int, list[Finding]], engine: Engine | None = None) -> dict[int, tuple[Finding, ...]]:
    """Second map: the cross-file findings of ``part``'s records, finalised against their texts."""
    engine = engine or worker_engine(settings)
    out: dict[int, tuple[Finding, ...]] = {}
    for rec in read_partition(part, settings.spec):
        if rec.pos in wanted and not isinstance(rec.item, InputError):
            src = rec.item
            out[rec.pos] = engine.runner_for(src.path).finalize_extra(src.path, src.text, wanted[rec.pos])
    return out


# -- executors -----------------------------------------------------------------------------
class Executor(Protocol):
    """Runs the two map steps; results come back in the order of their partitions."""

    def map_check(self, parts: Iterable[Partition]) -> Iterator[PartitionResult]: ...

    def map_attach(self, tasks: Iterable[tuple[Partition, dict[int, list[Finding]]]]) -> Iterator[dict[int, tuple[Finding, ...]]]: ...


class LocalExecutor:
    """This process (``jobs`` 1) or ``jobs`` forked workers (``checker.workers``)."""

    def __init__(self, settings: Settings, engine: Engine, jobs: int = 1) -> None:
        self.settings = settings
        self.engine = engine
        self.jobs = jobs

    def _task(self, task: tuple[str, Any]) -> Any:
        what, args = task
        if what == "check":
            return check_partition(self.settings, args, self.engine)
        return attach_partition(self.settings, *args, engine=self.engine)

    def _ordered(self, tasks: Iterable[tuple[str, Any]]) -> Iterator[Any]:
        from ..workers import ForkPool, TaskFailed, WorkerLost, can_fork

        if self.jobs < 2 or not can_fork():
            for t in tasks:
                yield self._task(t)
            return
        listed = iter(tasks)
        with ForkPool(self.jobs, self._task) as pool:
            pending: list[tuple[str, Any]] = []

            def remember() -> Iterator[tuple[str, Any]]:
                for t in listed:
                    pending.append(t)
                    yield t

            for got in pool.imap_ordered(remember(), batch_size=1):
                task = pending.pop(0)
                if isinstance(got, (WorkerLost, TaskFailed)):
                    got = self._task(task)  # its worker died or failed: check it here
                yield got

    def map_check(self, parts: Iterable[Partition]) -> Iterator[PartitionResult]:
        return self._ordered(("check", p) for p in parts)

    def map_attach(self, tasks: Iterable[tuple[Partition, dict[int, list[Finding]]]]) -> Iterator[dict[int, tuple[Finding, ...]]]:
        return self._ordered(("attach", t) for t in tasks)


# -- the driver ------------------------------------------------------------------------
def resolve_settings(options: RunOptions, archive: ArchiveOptions) -> Settings:
    """Fix the configuration file once, so every worker (on any machine, in any
    folder) checks with the configuration the driver found."""
    config_path = options.config_path
    if not config_path:
        start = Path.cwd() if archive.source == "-" else Path(archive.source).resolve().parent
        found = discover_config(start)
        config_path = str(found) if found else None
    elif not os.path.isabs(config_path):
        config_path = os.path.abspath(config_path)
    name = archive.spec.name if archive.spec.name != "-" else archive.source
    # records are not cached: each is checked once per run, by whichever worker
    opts = replace(options, config_path=config_path, cache=False, corpus=options.corpus, baseline=None, write_baseline=None)
    return Settings(opts, replace(archive.spec, name=name))


@dataclass
class _Mapped:
    spool: Spool  # (partition index, pos, FileResult) in archive order
    parts: Spool  # Partition by index
    tables: dict[str, dict[str, Any]]
    where: dict[str, tuple[int, int]]
    notices: list[InputError]
    checked: int


def _map(settings: Settings, archive: ArchiveOptions, executor: Executor, *, corpus: bool,
         stdin: IO[bytes] | None, progress: Callable[[int, int], None] | None) -> _Mapped:
    parts: Spool[Partition] = Spool()
    total = 0
    planned: Iterable[Partition] = plan(archive.input, archive.source, archive.partition_size, stdin)
    if archive.source != "-":
        planned = list(planned)  # a file's plan is small (offsets), and gives the total
        total = sum(p.count for p in planned)

    def remembered() -> Iterator[Partition]:
        for p in planned:
            parts.append(p)
            yield p

    mapped = _Mapped(Spool(), parts, {}, {}, [], 0)
    seen: dict[str, int] = {}
    done = 0
    if progress:
        progress(0, total)
    for got in executor.map_check(remembered()):
        mapped.notices.extend(got.notices)
        for c in got.records:
            r = c.result
            first = seen.get(r.path)
            if first is not None:  # the same id twice: the second is reported under its line
                new = f"{r.path}~{c.line}"
                note = InputError(new, "record", f"line {c.line}: id already used on line {first}; reported as {new!r}", fatal=False)
                r = replace(r, path=new, errors=tuple(replace(e, path=new) for e in r.errors) + (note,))
            else:
                seen[r.path] = c.line
            mapped.spool.append((got.index, c.pos, r))
            mapped.where[r.path] = (got.index, c.pos)
            if not any(e.fatal and e.kind in ("record", "unreadable") for e in r.errors):
                mapped.checked += 1
            if corpus:
                for code, data in c.collected.items():
                    mapped.tables.setdefault(code, {})[r.path] = data
        done += parts[got.index].count
        if progress:
            progress(min(done, total) if total else done, total)
    return mapped


def _notes() -> tuple[list[InputError], Callable[[InputError], None]]:
    notices: list[InputError] = []
    seen: set[tuple[str, str]] = set()

    def note(err: InputError) -> None:
        if (err.path, err.message) not in seen:
            seen.add((err.path, err.message))
            notices.append(err)

    return notices, note


def run_archive(options: RunOptions, archive: ArchiveOptions, *, executor: Executor | None = None, session: Session | None = None,
                stdin: IO[bytes] | None = None, progress: Callable[[int, int], None] | None = None,
                timings: dict[str, float] | None = None) -> Report:
    """Check every record of an archive; the report lists them in archive order.

    ``executor``: None checks in this process, or ``options.jobs`` forked
    workers; ``checker.archive.cluster.DaskExecutor`` runs on a Dask cluster.
    ``timings``, when given, receives the seconds of each step (map, reduce,
    attach, finalise).
    """
    import time

    clock = time.perf_counter
    timings = timings if timings is not None else {}
    t0 = clock()
    settings = resolve_settings(options, archive)
    engine = Engine(settings.options, session=session)
    runner = engine.runner_for(settings.spec.name)
    if any(e.kind == "config" and e.fatal for e in engine.errors()):
        return engine.report(Spool(), SummaryBuilder().build(), engine.errors())
    if executor is None:
        runner.warm()
        executor = LocalExecutor(settings, engine, options.jobs if options.jobs and options.jobs > 0 else default_jobs())
    corpus = options.corpus is not False
    mapped = _map(settings, archive, executor, corpus=corpus, stdin=stdin, progress=progress)
    notices, note = _notes()
    for n in mapped.notices:
        note(n)
    t1 = clock()
    timings["map"] = t1 - t0

    # reduce, then the second map over the partitions that have cross-file findings
    extra = engine.cross_file(mapped.tables, note) if corpus else {}
    mapped.tables.clear()
    t2 = clock()
    timings["reduce"] = t2 - t1
    by_part: dict[int, dict[int, list[Finding]]] = {}
    for path in sorted(extra):
        index, pos = mapped.where[path]
        by_part.setdefault(index, {})[pos] = extra[path]
    fresh: dict[tuple[int, int], tuple[Finding, ...]] = {}
    order = sorted(by_part)
    for index, got in zip(order, executor.map_attach((mapped.parts[i], by_part[i]) for i in order)):
        for pos, found in got.items():
            fresh[(index, pos)] = found

    t3 = clock()
    timings["attach"] = t3 - t2
    for e in engine.notices():
        note(e)
    final: Spool[FileResult] = Spool()
    totals = SummaryBuilder()
    for index, pos, r in mapped.spool:
        if (index, pos) in fresh:
            r = engine.with_cross_file(r, fresh[(index, pos)])
        final.append(r)
        totals.add(r)
    mapped.spool.close()
    summary = replace(totals.build(), checked=mapped.checked)
    timings["finalise"] = clock() - t3
    return engine.report(final, summary, notices)


def archive_tables(options: RunOptions, archive: ArchiveOptions, code: str, *, executor: Executor | None = None,
                   session: Session | None = None, stdin: IO[bytes] | None = None) -> tuple[dict[str, Any], list[InputError]]:
    """The map step alone: every record's collected table of cross-file rule ``code``
    (``mtlint names``), with the records' errors."""
    settings = resolve_settings(options, archive)
    engine = Engine(settings.options, session=session)
    if executor is None:
        engine.runner_for(settings.spec.name).warm()
        executor = LocalExecutor(settings, engine, options.jobs if options.jobs and options.jobs > 0 else default_jobs())
    mapped = _map(settings, archive, executor, corpus=True, stdin=stdin, progress=None)
    errors = [e for _i, _p, r in mapped.spool for e in r.errors if e.fatal or e.kind == "record"]
    notices, note = _notes()
    for e in [*engine.notices(), *mapped.notices, *errors]:
        note(e)
    return mapped.tables.get(code, {}), notices
