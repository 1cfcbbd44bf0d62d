"""Worker processes that share what the parent loaded: ``--jobs N``.

The parent loads the rules, their tables and the grammar backend first, then
forks the workers, so every worker starts warm and shares those pages
copy-on-write instead of rebuilding them.  ``imap_ordered`` hands out small
batches of tasks, keeps at most two batches in flight per worker and yields
results in task order, so the output is the same for any number of workers.

Shutdown is explicit: the workers ignore SIGINT (Ctrl-C reaches the whole
process group; only the parent decides what to do), on Linux they ask the
kernel to send them SIGTERM when the parent dies (even from SIGKILL), and
leaving ``ForkPool`` for any reason, an exception, KeyboardInterrupt or a
SIGTERM turned into an exception by the CLI, terminates and reaps them all.

A worker that dies mid-batch (killed, out of memory) does not lose the run:
its unfinished tasks come back as ``WorkerLost`` results and the caller
checks them itself.  Where ``fork`` is not available the pool is not used.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
import traceback
from collections import deque
from multiprocessing.connection import Connection, wait
from typing import Any, Callable, Iterable, Iterator, TypeVar

__all__ = ["ForkPool", "WorkerLost", "TaskFailed", "can_fork"]

T = TypeVar("T")
R = TypeVar("R")

#: batches a worker may hold at once (one running, one queued)
IN_FLIGHT = 2


class WorkerLost:
    """The result of a task whose worker died before finishing it."""

    def __init__(self, reason: str) -> None:
        self.reason = reason


class TaskFailed:
    """The result of a task that raised in the worker (a bug: the caller reports it)."""

    def __init__(self, error: str) -> None:
        self.error = error


def can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


def _die_with_parent() -> None:
    """Ask Linux to SIGTERM this process when its parent exits (no orphans)."""
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        PR_SET_PDEATHSIG = 1
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
    except Exception:  # pragma: no cover - no libc / prctl
        pass


def _worker_main(conn: Connection, fn: Callable[[Any], Any], parent: int) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    _die_with_parent()
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(0)
    while True:
        try:
            batch = conn.recv()
        except (EOFError, OSError):
            break
        if batch is None:
            break
        out = []
        for index, task in batch:
            try:
                out.append((index, fn(task)))
            except Exception:
                out.append((index, TaskFailed(traceback.format_exc(limit=6))))
        try:
            conn.send(out)
        except (OSError, BrokenPipeError):
            break
    conn.close()
    os._exit(0)  # skip atexit handlers and finalizers inherited from the parent


class _Worker:
    def __init__(self, ctx: Any, fn: Callable[[Any], Any]) -> None:
        self.conn, child = ctx.Pipe(duplex=True)
        self.process = ctx.Process(target=_worker_main, args=(child, fn, os.getpid()), daemon=True)
        self.process.start()
        child.close()
        self.pending: deque[list[tuple[int, Any]]] = deque()

    @property
    def busy(self) -> int:
        return len(self.pending)


class ForkPool:
    """``jobs`` forked workers that each run ``fn(task)``; a context manager."""

    def __init__(self, jobs: int, fn: Callable[[T], R]) -> None:
        ctx = multiprocessing.get_context("fork")
        self._workers: list[_Worker] = []
        try:
            for _ in range(jobs):
                self._workers.append(_Worker(ctx, fn))
        except BaseException:
            self.close()
            raise

    def __enter__(self) -> "ForkPool":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def imap_ordered(self, tasks: Iterable[T], batch_size: int = 4) -> Iterator[R | WorkerLost | TaskFailed]:
        """Results in task order; ``WorkerLost`` for tasks whose worker died."""
        source = iter(tasks)
        exhausted = False
        next_index = 0
        done: dict[int, Any] = {}
        emit = 0
        alive = list(self._workers)

        def feed(w: _Worker) -> None:
            nonlocal exhausted, next_index
            while not exhausted and w.busy < IN_FLIGHT:
                batch = []
                for task in source:
                    batch.append((next_index, task))
                    next_index += 1
                    if len(batch) >= batch_size:
                        break
                else:
                    exhausted = True
                if not batch:
                    return
                try:
                    w.conn.send(batch)
                except (OSError, BrokenPipeError):
                    for index, _ in batch:
                        done[index] = WorkerLost("the worker process could not be reached")
                    return
                w.pending.append(batch)

        for w in alive:
            feed(w)
        while True:
            while emit in done:
                yield done.pop(emit)
                emit += 1
            if exhausted and emit >= next_index:
                return
            if not alive:
                # every worker is gone: the caller gets the rest as lost tasks
                for index, task in list(_drain(source, next_index)):
                    done[index] = WorkerLost("no worker process is left")
                    next_index = index + 1
                exhausted = True
                continue
            ready = wait([w.conn for w in alive] + [w.process.sentinel for w in alive])
            for w in list(alive):
                if w.conn not in ready and w.process.sentinel not in ready:
                    continue
                results, closed = None, False
                if w.conn in ready or w.conn.poll():
                    # results may still be queued behind a worker that just exited: read them first
                    try:
                        results = w.conn.recv()
                    except (EOFError, OSError):
                        closed = True  # a closed pipe stays "readable" for ever: the worker is gone
                if results is not None:
                    w.pending.popleft()
                    done.update(results)
                    feed(w)
                    continue
                if closed or w.process.sentinel in ready:
                    code = w.process.exitcode
                    if code is None:
                        w.process.join(0.1)
                        code = w.process.exitcode
                    why = f"a worker process died (exit status {code})" if code is not None else "a worker process stopped answering"
                    for batch in w.pending:
                        for index, _ in batch:
                            done[index] = WorkerLost(why)
                    w.pending.clear()
                    alive.remove(w)
                    for other in alive:
                        feed(other)

    def close(self) -> None:
        """Stop every worker: a polite message, then SIGTERM, then SIGKILL."""
        for w in self._workers:
            try:
                if w.process.is_alive() and not w.pending:
                    w.conn.send(None)
            except (OSError, BrokenPipeError, ValueError):
                pass
        for w in self._workers:
            w.process.join(0.5 if not w.pending else 0)
            if w.process.is_alive():
                w.process.terminate()
                w.process.join(2)
            if w.process.is_alive():  # pragma: no cover - ignores SIGTERM
                w.process.kill()
                w.process.join()
            try:
                w.conn.close()
            except OSError:  # pragma: no cover
                pass
        self._workers = []


def _drain(source: Iterator[Any], start: int) -> Iterator[tuple[int, Any]]:
    for i, task in enumerate(source, start):
        yield i, task
