"""The archive run on Dask (``dask.distributed``): a local cluster or a scheduler's address.

``DaskExecutor`` submits one task per partition (``check_partition``, then
``attach_partition`` for the partitions with cross-file findings), keeps at
most ``window`` of them in flight and hands results back in archive order,
so a worker holds at most a few partitions and the driver at most
``window`` results.  Workers read the archive themselves: on two machines
the file must be at the same path on both (a shared disk), or come from
standard input, whose partitions carry their lines.

Failures: Dask reschedules the tasks of a worker that dies (up to its
``distributed.scheduler.allowed-failures``).  A partition that still fails
is checked again record by record, so only a record that kills every
worker it meets is lost, and it is reported as that record's error.  Rule
exceptions never get this far: the engine turns them into the record's
``rule-crash`` error.
"""

from __future__ import annotations

from collections import deque
from typing import Any, Callable, Iterable, Iterator

from ..findings import FileResult, Finding, InputError
from .records import Partition, read_partition
from .run import Checked, PartitionResult, Settings, attach_partition, check_partition

__all__ = ["DaskExecutor", "MissingExtra", "ClusterError", "EXTRA_HINT", "open_client", "require_dask", "make_executor"]

EXTRA_HINT = "pip install 'mtlint[dask]'"


class MissingExtra(RuntimeError):
    """Dask (or pyarrow) is not installed."""


class ClusterError(RuntimeError):
    """The scheduler cannot be reached, or its workers run another mtlint."""


def require_dask() -> None:
    try:
        import dask  # noqa: F401
        import distributed  # noqa: F401
    except ImportError as exc:
        raise MissingExtra(f"--executor dask needs dask and distributed ({exc.name} is not installed): {EXTRA_HINT}") from None


def open_client(scheduler: str | None = None, workers: int = 2, *, memory_limit: str | None = None) -> tuple[Any, Callable[[], None]]:
    """A Dask client: connected to ``scheduler`` (``tcp://host:8786``), or to a new local
    cluster of ``workers`` single-threaded worker processes.  Returns it and its closer."""
    import logging

    try:  # an optional dependency (the dask extra)
        from distributed import Client, LocalCluster
    except ImportError as exc:
        raise MissingExtra(f"--executor dask needs dask and distributed ({exc.name} is not installed): {EXTRA_HINT}") from None

    if scheduler:
        try:
            client = Client(scheduler, timeout="30s")
        except (OSError, TimeoutError, ValueError) as exc:
            raise ClusterError(f"cannot reach the Dask scheduler at {scheduler}: {exc}") from None
        from ..version import __version__

        versions = worker_versions(client)
        if versions - {__version__}:
            client.close()
            raise ClusterError(f"the workers of {scheduler} run mtlint {', '.join(sorted(versions))}, this is {__version__}: "
                               "install the same version everywhere (results would differ)")
        return client, client.close
    cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None,
                           silence_logs=logging.ERROR, memory_limit=memory_limit or "auto")
    client = Client(cluster)

    def close() -> None:
        client.close()
        cluster.close()

    return client, close


def worker_versions(client: Any) -> set[str]:
    """The mtlint version of every worker (they must run the driver's)."""
    return set(client.run(_version).values())


def _version() -> str:
    from ..version import __version__

    return __version__


class DaskExecutor:
    """Runs the archive's map steps as Dask tasks (see the module doc)."""

    def __init__(self, client: Any, settings: Settings, *, window: int | None = None, retries: int = 1) -> None:
        self.client = client
        self.settings = settings
        n = len(client.scheduler_info().get("workers", {})) or 1
        self.window = window or 2 * n + 1
        self.retries = retries

    def _ordered(self, fn: Callable[..., Any], tasks: Iterable[tuple[Any, ...]], rescue: Callable[[tuple[Any, ...], BaseException], Any]) -> Iterator[Any]:
        source = iter(tasks)
        pending: deque[tuple[tuple[Any, ...], Any]] = deque()

        def submit() -> bool:
            args = next(source, None)
            if args is None:
                return False
            pending.append((args, self.client.submit(fn, self.settings, *args, pure=False, retries=self.retries)))
            return True

        while len(pending) < self.window and submit():
            pass
        while pending:
            args, future = pending.popleft()
            try:
                got = future.result()
            except Exception as exc:  # KilledWorker, a worker that could not read the file, ...
                got = rescue(args, exc)
            future.release()
            submit()
            yield got

    # -- the check map ---------------------------------------------------------------
    def map_check(self, parts: Iterable[Partition]) -> Iterator[PartitionResult]:
        return self._ordered(check_partition, ((p,) for p in parts), self._rescue_check)

    def _rescue_check(self, args: tuple[Any, ...], exc: BaseException) -> PartitionResult:
        """The partition failed as a whole: check its records one task each."""
        part: Partition = args[0]
        records = list(read_partition(part, self.settings.spec))
        futures = [self.client.submit(check_partition, self.settings, _single(part, r.pos), pure=False, retries=self.retries) for r in records]
        out = PartitionResult(part.index, [])
        for rec, future in zip(records, futures):
            try:
                got = future.result()
                out.records.extend(got.records)
                out.notices.extend(got.notices)
            except Exception as again:
                path = rec.item.path
                why = f"{type(again).__name__}: {again}".strip()
                err = InputError(path, "rule-crash", f"line {rec.line}: checking this record failed on every worker that tried ({why})")
                out.records.append(Checked(rec.pos, rec.line, FileResult(path=path, errors=(err,)), {}))
            future.release()
        return out

    # -- the second map --------------------------------------------------------------
    def map_attach(self, tasks: Iterable[tuple[Partition, dict[int, list[Finding]]]]) -> Iterator[dict[int, tuple[Finding, ...]]]:
        return self._ordered(attach_partition, tasks, self._rescue_attach)

    def _rescue_attach(self, args: tuple[Any, ...], exc: BaseException) -> dict[int, tuple[Finding, ...]]:
        # finalising cross-file findings reads no rules: safe to do here
        from .run import worker_engine

        part, wanted = args
        return attach_partition(self.settings, part, wanted, worker_engine(self.settings))


def _single(part: Partition, pos: int) -> Partition:
    from dataclasses import replace

    return replace(part, select=pos)


def make_executor(executor: str, scheduler: str | None, jobs: int, settings: Settings) -> tuple[Any, Callable[[], None]]:
    """The executor the command line asked for and its closer: None (this process or
    forked ``--jobs`` workers) or a ``DaskExecutor`` on a local cluster of ``jobs``
    workers or on ``scheduler``.  Raises ``MissingExtra`` without dask."""
    if executor != "dask" and not scheduler:
        return None, lambda: None
    from ..engine import default_jobs

    client, close = open_client(scheduler, jobs if jobs > 0 else default_jobs())
    return DaskExecutor(client, settings), close
