"""Archive records: JSON Lines or Parquet rows in, one ``SourceFile`` per record out.

An archive is cut into **partitions** of at most ``size`` records.  A
partition is a small description (the file, a byte range or row range, the
number of its first line), never the records themselves, so it can be sent
to a worker on another machine that reads the same file.  Standard input can
be read only once: its partitions carry their lines.

Each record becomes a document named ``<archive>#<id>``.  A line that is not
JSON, a record without the id or text field, or a field of the wrong type is
one ``InputError`` (kind ``record``) naming the archive, the line and the id
when there is one; the other records are still checked.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from typing import IO, Any, Iterator

from ..findings import InputError
from ..loaders import LOADERS, SourceFile
from . import DEFAULT_PARTITION

__all__ = ["RecordSpec", "Partition", "Record", "plan_jsonl", "plan_stdin", "plan", "READERS", "read_partition", "records_from_dicts", "record_path", "FORMATS"]

#: the document formats a record's format field may name
FORMATS = tuple(LOADERS)  # the formats a record can be checked as: the loader registry
_SCAN = 1 << 20


@dataclass(frozen=True)
class RecordSpec:
    """Which fields of a record hold what."""

    id_field: str = "id"
    text_field: str = "text"
    #: a field naming each record's format (text, markdown, html); None: all ``default_format``
    format_field: str | None = None
    default_format: str = "text"
    #: the archive's name in paths and messages (``archive.jsonl``, ``-``)
    name: str = "-"


@dataclass(frozen=True)
class Partition:
    """Up to ``size`` consecutive records of an archive."""

    index: int
    kind: str  #: "jsonl" or "parquet"
    #: the file to read; None: the records travel in ``lines`` (standard input)
    path: str | None
    #: jsonl: byte range [start, stop); parquet: row group ``start``, rows [stop, stop + count)
    start: int
    stop: int
    #: number (1-based) of the partition's first line or row
    first_line: int
    count: int
    lines: tuple[bytes, ...] | None = None
    #: check only the record at this position (a partition that failed is retried record by record)
    select: int | None = None


@dataclass(frozen=True)
class Record:
    """One record of a partition: its position, line and the document or the error."""

    pos: int
    line: int
    item: SourceFile | InputError


def record_path(name: str, rid: str) -> str:
    return f"{name}#{rid}"


def plan_jsonl(path: str, size: int = DEFAULT_PARTITION) -> Iterator[Partition]:
    """Partitions of a JSON Lines file: a boundary every ``size`` lines (one pass, no parsing)."""
    index, start, first, lines, offset = 0, 0, 1, 0, 0
    last = b"\n"
    with open(path, "rb") as fh:
        while True:
            chunk = fh.read(_SCAN)
            if not chunk:
                break
            pos = 0
            while True:
                nl = chunk.find(b"\n", pos)
                if nl < 0:
                    break
                lines += 1
                pos = nl + 1
                if lines == size:
                    stop = offset + pos
                    yield Partition(index, "jsonl", path, start, stop, first, lines)
                    index, start, first, lines = index + 1, stop, first + lines, 0
            offset += len(chunk)
            last = chunk[-1:]
    if offset > start:  # the last partition (a last line may lack its newline)
        yield Partition(index, "jsonl", path, start, offset, first, lines + (last != b"\n"))


def plan_stdin(stream: IO[bytes], size: int = DEFAULT_PARTITION) -> Iterator[Partition]:
    """Partitions of JSON Lines read from a stream, carrying their lines."""
    index, first, batch = 0, 1, []
    for line in stream:
        batch.append(line[:-1] if line.endswith(b"\n") else line)
        if len(batch) == size:
            yield Partition(index, "jsonl", None, 0, 0, first, len(batch), tuple(batch))
            index, first, batch = index + 1, first + len(batch), []
    if batch:
        yield Partition(index, "jsonl", None, 0, 0, first, len(batch), tuple(batch))


def plan(kind: str, path: str, size: int = DEFAULT_PARTITION, stdin: IO[bytes] | None = None) -> Iterator[Partition]:
    """The partitions of ``path`` (workers in other folders read the file by its absolute path)."""
    if kind in READERS:
        return _reader(kind).plan(os.path.abspath(path), size)
    if path == "-":
        import sys

        return plan_stdin(stdin if stdin is not None else sys.stdin.buffer, size)
    return plan_jsonl(os.path.abspath(path), size)


#: input kinds read by an optional library: kind -> module with ``plan`` and ``records``
#: (imported only when used, as backends are, so ``mtlint doctor`` does not require them)
READERS: dict[str, str] = {"parquet": "checker.archive.parquet"}


def _reader(kind: str) -> Any:
    import importlib

    return importlib.import_module(READERS[kind])


# -- reading a partition ------------------------------------------------------------
def _raw_lines(p: Partition) -> list[bytes]:
    if p.lines is not None:
        return list(p.lines)
    assert p.path is not None
    with open(p.path, "rb") as fh:
        fh.seek(p.start)
        data = fh.read(p.stop - p.start)
    out = data.split(b"\n")
    if out and out[-1] == b"" and data.endswith(b"\n"):
        out.pop()
    return out


def _type_name(value: Any) -> str:
    return {bool: "a boolean", int: "a number", float: "a number", list: "a list", dict: "an object", type(None): "null"}.get(type(value), type(value).__name__)


def _where(spec: RecordSpec, line: int, rid: str | None, kind: str) -> str:
    what = "line" if kind == "jsonl" else "row"
    return f"{what} {line}" + (f" (id {rid!r})" if rid is not None else "")


def to_source(record: Any, spec: RecordSpec, line: int, kind: str = "jsonl") -> SourceFile | InputError:
    """One parsed record as a document, or the error that says what is wrong with it."""
    name = spec.name
    if not isinstance(record, dict):
        return InputError(f"{name}:{line}", "record", f"{_where(spec, line, None, kind)}: a record must be a JSON object, not {_type_name(record)}")
    rid = record.get(spec.id_field)
    if isinstance(rid, bool) or not isinstance(rid, (str, int)) or rid == "":
        if spec.id_field not in record:
            why = f"has no id field {spec.id_field!r}"
        elif isinstance(rid, str):
            why = f"id field {spec.id_field!r} is empty"
        else:
            why = f"id field {spec.id_field!r} is {_type_name(rid)}"
        return InputError(f"{name}:{line}", "record", f"{_where(spec, line, None, kind)}: {why} (a string or number is needed)")
    rid = str(rid)
    path = record_path(name, rid)
    text = record.get(spec.text_field)
    if not isinstance(text, str):
        why = f"has no field {spec.text_field!r}" if spec.text_field not in record else f"field {spec.text_field!r} is {_type_name(text)}, not a string"
        return InputError(path, "record", f"{_where(spec, line, rid, kind)}: {why}")
    fmt = spec.default_format
    if spec.format_field:
        got = record.get(spec.format_field, fmt)
        if got is None:
            got = fmt
        if not isinstance(got, str) or got.lower() not in FORMATS:
            return InputError(path, "record", f"{_where(spec, line, rid, kind)}: field {spec.format_field!r} is {got!r}; expected one of {', '.join(FORMATS)}")
        fmt = got.lower()
    if text.startswith("\ufeff"):
        text = text[1:]
    return SourceFile(path, text, fmt)


def _jsonl_records(p: Partition, spec: RecordSpec) -> Iterator[Record]:
    for pos, raw in enumerate(_raw_lines(p)):
        line = p.first_line + pos
        if not raw.strip():
            continue
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            yield Record(pos, line, InputError(f"{spec.name}:{line}", "record", f"line {line}: is not valid UTF-8 (byte {exc.start} of the line)"))
            continue
        try:
            obj = json.loads(text)
        except ValueError as exc:
            yield Record(pos, line, InputError(f"{spec.name}:{line}", "record", f"line {line}: is not valid JSON ({exc})"))
            continue
        yield Record(pos, line, to_source(obj, spec, line))


def read_partition(p: Partition, spec: RecordSpec) -> Iterator[Record]:
    """The records of one partition, in order (blank lines skipped)."""
    records = _reader(p.kind).records(p, spec) if p.kind in READERS else _jsonl_records(p, spec)
    if p.select is not None:
        return (r for r in records if r.pos == p.select)
    return records


def records_from_dicts(rows: Any, spec: RecordSpec, first_line: int = 1) -> Iterator[Record]:
    """Records from already parsed rows (the Python API's bags and dataframes)."""
    for pos, row in enumerate(rows):
        line = first_line + pos
        yield Record(pos, line, to_source(row, spec, line, "row"))
