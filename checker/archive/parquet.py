"""Parquet archives (pyarrow, the ``dask`` extra): partitions of row groups, records of rows.

A partition never crosses a row group: each row group is cut into runs of
``size`` rows, and a task reads its row group's id, text and format columns
and keeps its slice (write archives with row groups of a few thousand rows).
"""

from __future__ import annotations

from typing import Any, Iterator

from .records import DEFAULT_PARTITION, Partition, Record, RecordSpec, to_source

__all__ = ["plan", "records"]


def _parquet() -> Any:
    """``pyarrow.parquet``, an optional dependency (the ``dask`` extra)."""
    try:
        import pyarrow.parquet as pq
    except ImportError as exc:
        raise ImportError(f"reading Parquet needs pyarrow (pip install 'mtlint[dask]'): {exc}") from exc
    return pq


def plan(path: str, size: int = DEFAULT_PARTITION) -> Iterator[Partition]:
    """Partitions of a Parquet file: each row group cut into runs of ``size`` rows."""
    meta = _parquet().ParquetFile(path).metadata
    index, first = 0, 1
    for group in range(meta.num_row_groups):
        rows = meta.row_group(group).num_rows
        for at in range(0, rows, size):
            n = min(size, rows - at)
            yield Partition(index, "parquet", path, group, at, first, n)
            index, first = index + 1, first + n


def records(p: Partition, spec: RecordSpec) -> Iterator[Record]:
    assert p.path is not None
    pf = _parquet().ParquetFile(p.path)
    names = set(pf.schema_arrow.names)
    columns = [c for c in (spec.id_field, spec.text_field, spec.format_field) if c and c in names]
    table = pf.read_row_group(p.start, columns=columns).slice(p.stop, p.count)
    rows = table.to_pylist()
    for pos, row in enumerate(rows):
        line = p.first_line + pos
        yield Record(pos, line, to_source(row, spec, line, "parquet"))


