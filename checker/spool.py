"""A run's per-file results on disk, so memory stays flat however many files a run has.

Results are appended as they finish and read back in order (any number of
times, or by index, which is how the HTML report lists files worst-first).
Small runs never touch the disk: records stay in memory until they pass
``memory_limit`` bytes, then everything moves to an anonymous temporary file
that disappears with the process.  Records are pickled; the file is private
to this process, so nothing outside it is ever unpickled.

A record may be replaced once all are appended (``replace``): the run
finalises its results in place, writing again only those that change.

A spool may keep records in a compact form and ``decode`` them when they are
read (the run keeps a cache hit as the cache stored it: ``checker.cache``);
``records()`` gives them undecoded, for readers that can use that form.
"""

from __future__ import annotations

import os
import pickle
import tempfile
from collections.abc import Sequence
from typing import Any, Callable, Generic, Iterator, TypeVar, overload

from .fsio import write_at

__all__ = ["Spool"]

T = TypeVar("T")

#: keep up to this many bytes of pickled records in memory before spilling to disk
MEMORY_LIMIT = 8_000_000
#: once spilled, records are written and read this many bytes at a time (one
#: system call per block, not two per record)
BLOCK = 1 << 20

_PREAD = getattr(os, "pread", None)


class Spool(Sequence, Generic[T]):  # type: ignore[type-arg]
    """An append-only, re-iterable sequence of picklable records (``replace`` aside)."""

    def __init__(self, memory_limit: int = MEMORY_LIMIT, decode: Callable[[Any], T] | None = None) -> None:
        self._limit = memory_limit
        self._decode = decode
        self._memory: list[bytes] | None = []
        self._in_memory = 0
        self._file: Any = None
        self._offsets: list[int] = []
        self._end = 0
        self._count = 0
        #: index -> where its replacement is stored (``replace``)
        self._moved: dict[int, int] = {}

    def append(self, record: Any) -> None:
        if self._moved:
            raise RuntimeError("a spool takes no new records once one is replaced")
        self._store(record)
        self._count += 1

    def replace(self, i: int, record: Any) -> None:
        """Put ``record`` in the place of record ``i`` (after the last ``append``)."""
        if not 0 <= i < self._count:
            raise IndexError("spool index out of range")
        self._moved[i] = self._store(record)

    def _store(self, record: Any) -> int:
        """Keep one pickled record; returns its slot."""
        data = pickle.dumps(record, protocol=pickle.HIGHEST_PROTOCOL)
        if self._memory is not None:
            self._memory.append(data)
            self._in_memory += len(data)
            if self._in_memory <= self._limit:
                return len(self._memory) - 1
            self._spill()
        else:
            self._write(data)
        return len(self._offsets) - 1

    def _spill(self) -> None:
        self._file = tempfile.TemporaryFile(prefix="mtlint-spool-")
        self._buffer: list[bytes] = []  # written to the file a block at a time
        self._buffered = 0
        self._written = 0  # bytes in the file
        self._window, self._window_at = b"", 0  # a block read from the file
        pending, self._memory = self._memory or [], None
        for data in pending:
            self._write(data)

    def _write(self, data: bytes) -> None:
        self._offsets.append(self._end)
        self._end += len(data)
        self._buffer.append(data)
        self._buffered += len(data)
        if self._buffered >= BLOCK:
            self._flush()

    def _flush(self) -> None:
        if not self._buffer:
            return
        data = b"".join(self._buffer)
        self._buffer, self._buffered = [], 0
        write_at(self._file.fileno(), data, self._written)
        self._written += len(data)

    def _block(self, start: int, size: int) -> bytes:
        if _PREAD is None:  # pragma: no cover - not POSIX
            self._file.seek(start)
            return self._file.read(size)
        parts, fd = [], self._file.fileno()
        while size > 0:
            part = _PREAD(fd, size, start)
            if not part:
                break
            parts.append(part)
            start, size = start + len(part), size - len(part)
        return parts[0] if len(parts) == 1 else b"".join(parts)

    def __len__(self) -> int:
        return self._count

    def _load(self, i: int) -> Any:
        if self._moved:
            i = self._moved.get(i, i)
        if self._memory is not None:
            return pickle.loads(self._memory[i])
        start = self._offsets[i]
        stop = self._offsets[i + 1] if i + 1 < len(self._offsets) else self._end
        if stop > self._written:
            self._flush()
        at, window = self._window_at, self._window
        if not (at <= start and stop <= at + len(window)):
            # reading in order (as every formatter does) takes a block at a time
            window = self._window = self._block(start, min(max(stop - start, BLOCK), self._written - start))
            at = self._window_at = start
        return pickle.loads(memoryview(window)[start - at : stop - at])

    def _read(self, i: int) -> T:
        record = self._load(i)
        return record if self._decode is None else self._decode(record)

    def records(self) -> Iterator[Any]:
        """The records as they were appended (not decoded), in order."""
        for i in range(len(self)):
            yield self._load(i)

    @overload
    def __getitem__(self, i: int) -> T: ...
    @overload
    def __getitem__(self, i: slice) -> list[T]: ...

    def __getitem__(self, i: Any) -> Any:
        if isinstance(i, slice):
            return [self._read(k) for k in range(*i.indices(len(self)))]
        n = len(self)
        if i < 0:
            i += n
        if not 0 <= i < n:
            raise IndexError("spool index out of range")
        return self._read(i)

    def __iter__(self) -> Iterator[T]:
        for i in range(len(self)):
            yield self._read(i)

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None

    def __del__(self) -> None:  # pragma: no cover - best effort
        try:
            self.close()
        except Exception:
            pass
