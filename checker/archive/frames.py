"""The Python API for data teams: Dask collections of records in, findings out.

>>> import dask.dataframe as dd
>>> from checker.archive.frames import check_records
>>> articles = dd.read_parquet("archive/")               # id, headline, body, date
>>> found = check_records(articles, text_field="body")    # a dask DataFrame, one row per finding
>>> found.merge(articles[["id", "date"]], on="id").groupby("date").size().compute()

``check_records`` takes a ``dask.bag.Bag`` of dicts or a
``dask.dataframe.DataFrame`` with one row per record, and returns the same
kind of collection with one item per finding (``FINDING_COLUMNS``); a
record that could not be checked (no text, wrong type, a rule that failed)
gives a row whose ``kind`` is the error's kind instead of ``finding``.
``check_bag`` returns one item per record instead: the JSON report's file
entry with the record's ``id`` (what ``mtlint check --input jsonl`` prints).

Both are lazy and run the archive's steps as Dask tasks: per partition,
every record checked (with its table of names); one reduce over the tables
(the archive's name clusters); per partition again, the cross-file name
findings attached.  Ids must be unique.  The options are those of the
command line (``checker.engine.RunOptions``: ``overrides={"select": (...)}``,
``config_path=...``); a configuration file must be readable by the workers.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from ..engine import RunOptions
from ..findings import FileResult, Finding, InputError
from .records import RecordSpec, records_from_dicts, to_source
from .run import Checked, Settings, check_records as _check, worker_engine

__all__ = ["check_records", "check_bag", "FINDING_COLUMNS"]

#: the columns of ``check_records``' rows, and their pandas dtypes
FINDING_COLUMNS: dict[str, str] = {
    "id": "object",
    "kind": "object",  #: "finding", or the error's kind (record, rule-crash, ...)
    "rule": "object",
    "name": "object",
    "severity": "object",
    "message": "object",
    "line": "int64",
    "column": "int64",
    "start": "int64",
    "end": "int64",
    "text": "object",
    "suggestion": "object",
    "cross_file": "bool",
    "fingerprint": "object",
}


def _settings(options: RunOptions, id_field: str, text_field: str, format_field: str | None, name: str) -> Settings:
    spec = RecordSpec(id_field=id_field, text_field=text_field, format_field=format_field, name=name)
    return Settings(replace(options, cache=False, baseline=None, write_baseline=None, jobs=1), spec)


def _plain(row: Any) -> dict[str, Any]:
    out = dict(row)
    for k, v in out.items():
        if hasattr(v, "item") and not isinstance(v, (str, bytes)):  # numpy scalars from a dataframe
            try:
                out[k] = v.item()
            except (TypeError, ValueError):
                pass
    return out


def _check_part(rows: Any, settings: Settings) -> list[Checked]:
    got, _notices = _check(worker_engine(settings), records_from_dicts([_plain(r) for r in rows], settings.spec))
    return got


def _tables_part(checked: list[Checked]) -> list[tuple[str, dict[str, Any]]]:
    return [(c.result.path, c.collected) for c in checked if c.collected]


def _reduce(parts: list[list[tuple[str, dict[str, Any]]]], settings: Settings) -> dict[str, list[Finding]]:
    tables: dict[str, dict[str, Any]] = {}
    for part in parts:
        for path, collected in part:
            for code, data in collected.items():
                tables.setdefault(code, {})[path] = data
    return worker_engine(settings).cross_file(tables, lambda e: None)


def _attach_part(rows: Any, checked: list[Checked], extra: dict[str, list[Finding]], settings: Settings) -> list[FileResult]:
    engine = worker_engine(settings)
    out = []
    for row, c in zip(rows, checked):
        r = c.result
        if r.path in extra:
            src = to_source(_plain(row), settings.spec, c.line, "row")
            if not isinstance(src, InputError):
                r = engine.with_cross_file(r, engine.runner_for(src.path).finalize_extra(src.path, src.text, extra[r.path]))
        out.append(r)
    return out


def _entry(r: FileResult) -> dict[str, Any]:
    from ..jsondoc import file_dict

    return {"id": r.path.split("#", 1)[1] if "#" in r.path else None, **file_dict(r)}


def _rows(results: list[FileResult]) -> list[dict[str, Any]]:
    out = []
    for r in results:
        rid = r.path.split("#", 1)[1] if "#" in r.path else None
        for f in r.findings:
            out.append({
                "id": rid, "kind": "finding", "rule": f.code, "name": f.name, "severity": str(f.severity), "message": f.message,
                "line": f.line, "column": f.column, "start": f.span.start, "end": f.span.end, "text": f.text,
                "suggestion": f.suggestions[0] if f.suggestions else None, "cross_file": bool(f.data.get("cross_file", False)),
                "fingerprint": f.fingerprint,
            })
        for e in r.errors:
            out.append({
                "id": rid, "kind": e.kind, "rule": None, "name": None, "severity": "error" if e.fatal else "info", "message": e.message,
                "line": 0, "column": 0, "start": 0, "end": 0, "text": None, "suggestion": None, "cross_file": False, "fingerprint": None,
            })
    return out


def _results(bag: Any, settings: Settings, cross_file: bool) -> Any:
    import dask.bag as db

    checked = bag.map_partitions(_check_part, settings)
    if not cross_file:
        return checked.map_partitions(lambda part: [c.result for c in part])
    from functools import partial

    extra = checked.reduction(_tables_part, partial(_reduce, settings=settings), split_every=False)
    return db.map_partitions(_attach_part, bag, checked, extra, settings)


def _as_bag(records: Any) -> tuple[Any, bool]:
    import dask.bag as db

    if isinstance(records, db.Bag):
        return records, False
    return records.to_bag(format="dict"), True


def check_bag(records: Any, *, id_field: str = "id", text_field: str = "text", format_field: str | None = None,
              options: RunOptions = RunOptions(), cross_file: bool = True, name: str = "records") -> Any:
    """A ``dask.bag.Bag`` with one dict per record: its ``id`` and the JSON report's
    file entry (path ``<name>#<id>``, findings, score, counts, errors)."""
    bag, _ = _as_bag(records)
    return _results(bag, _settings(options, id_field, text_field, format_field, name), cross_file).map(_entry)


def check_records(records: Any, *, id_field: str = "id", text_field: str = "text", format_field: str | None = None,
                  options: RunOptions = RunOptions(), cross_file: bool = True, name: str = "records") -> Any:
    """Findings of every record of ``records`` (a ``dask.bag.Bag`` of dicts or a
    ``dask.dataframe.DataFrame``): the same kind of collection, one item per
    finding with the columns of ``FINDING_COLUMNS`` (``id`` joins it back).

    ``options``: the command line's run options (rule selection, config file);
    ``cross_file``: also flag a name spelled another way in other records
    (one reduce over the whole collection)."""
    bag, frame = _as_bag(records)
    rows = _results(bag, _settings(options, id_field, text_field, format_field, name), cross_file).map_partitions(_rows)
    if not frame:
        return rows
    import pandas as pd

    meta = pd.DataFrame({c: pd.Series([], dtype=t) for c, t in FINDING_COLUMNS.items()})
    return rows.to_dataframe(meta=meta)
