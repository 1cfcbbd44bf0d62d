"""The JSON report as data and text: a stable, versioned contract (``schema: 1``).

Keys are emitted in a fixed order; ``start``/``end`` are character offsets
into the file's decoded text (BOM removed) and ``text == decoded[start:end]``.
Lives beside the model so ``Report.to_json()`` and the ``json`` formatter
write the same bytes from one place (see README, The JSON report).
"""

from __future__ import annotations

import io
import json
from typing import IO, Any, Iterable

from .findings import FileResult, InputError, Report
from .fsio import display_path, escape_surrogates

__all__ = [
    "SCHEMA_VERSION",
    "Streamed",
    "Encoded",
    "dump",
    "error_dict",
    "file_dict",
    "report_dict",
    "report_json",
    "file_json",
    "dumps_indented",
    "entry_tail",
]

SCHEMA_VERSION = 1


class Streamed:
    """A JSON array whose items are produced one at a time while writing.

    Its items are plain JSON values (no ``Streamed`` inside them): each is
    written whole, without looking inside it for more streams."""

    def __init__(self, items: Iterable[Any]) -> None:
        self.items = items


class Encoded(str):
    """A value already written as JSON text (at indentation depth 0): ``dump``
    writes it as it is, indented to where it stands.  Only inside ``Streamed``."""


def _has_stream(obj: Any) -> bool:
    if isinstance(obj, Streamed):
        return True
    if isinstance(obj, dict):
        return any(_has_stream(v) for v in obj.values())
    if isinstance(obj, list):
        return any(_has_stream(v) for v in obj)
    return False


_encode_str = json.encoder.encode_basestring  # the C implementation where it is built (CPython)
_INFINITY = float("inf")


def _floatstr(o: float) -> str:
    """As ``json`` writes a float (``allow_nan=True``)."""
    if o != o:
        return "NaN"
    if o == _INFINITY:
        return "Infinity"
    if o == -_INFINITY:
        return "-Infinity"
    return float.__repr__(o)


def _key(k: Any) -> str:
    if isinstance(k, str):
        return _encode_str(k)
    if isinstance(k, float):
        return _encode_str(_floatstr(k))
    if k is True:
        return '"true"'
    if k is False:
        return '"false"'
    if k is None:
        return '"null"'
    if isinstance(k, int):
        return _encode_str(int.__repr__(k))
    raise TypeError(f"keys must be str, int, float, bool or None, not {k.__class__.__name__}")


def _encode(o: Any, out: list[str], nl: str) -> None:
    """Append ``json.dumps(o, ensure_ascii=False, indent=2)``'s text for ``o`` at the
    indentation ``nl`` (a newline and spaces) to ``out``.

    The standard library writes indented JSON with its pure-Python encoder
    (the C one only does compact output), a generator per container:
    for a folder's report that was a tenth of the run.  This does the same
    in one recursive pass, strings through the C string encoder, and gives
    the same bytes (the tests compare the two on generated values).
    """
    t = type(o)
    if t is str:
        out.append(_encode_str(o))
    elif t is dict:
        if not o:
            out.append("{}")
            return
        inner = nl + "  "
        sep = "{" + inner
        for k, v in o.items():
            out.append(sep)
            out.append(_encode_str(k) if type(k) is str else _key(k))
            out.append(": ")
            _encode(v, out, inner)
            sep = "," + inner
        out.append(nl + "}")
    elif t is list or t is tuple:
        if not o:
            out.append("[]")
            return
        inner = nl + "  "
        sep = "[" + inner
        for v in o:
            out.append(sep)
            _encode(v, out, inner)
            sep = "," + inner
        out.append(nl + "]")
    elif o is None:
        out.append("null")
    elif o is True:
        out.append("true")
    elif o is False:
        out.append("false")
    elif t is int:
        out.append(int.__repr__(o))
    elif t is float:
        out.append(_floatstr(o))
    # subclasses, in the order json tests them
    elif isinstance(o, str):
        out.append(_encode_str(o))
    elif isinstance(o, int):
        out.append(int.__repr__(o))
    elif isinstance(o, float):
        out.append(_floatstr(o))
    elif isinstance(o, (list, tuple)):
        _encode(list(o), out, nl)
    elif isinstance(o, dict):
        _encode(dict(o), out, nl)
    else:
        raise TypeError(f"Object of type {o.__class__.__name__} is not JSON serializable")


def dumps_indented(obj: Any) -> str:
    """``json.dumps(obj, ensure_ascii=False, indent=2)``, byte for byte, faster."""
    out: list[str] = []
    _encode(obj, out, "\n")
    return "".join(out)


def _dumps(obj: Any) -> str:
    text = dumps_indented(obj)
    if escape_surrogates(text) != text:  # a lone surrogate in free text (a message quoting a path)
        text = dumps_indented(_without_surrogates(obj))
    return text


def _indented(obj: Any, depth: int) -> str:
    text = _dumps(obj)
    if depth and "\n" in text:
        text = text.replace("\n", "\n" + "  " * depth)
    return text


def dump(obj: Any, stream: IO[str], depth: int = 0) -> None:
    """``json.dump(obj, stream, ensure_ascii=False, indent=2)``, byte for byte, except
    that ``Streamed`` arrays are written item by item (no whole report in memory)."""
    if not _has_stream(obj):
        stream.write(_indented(obj, depth))
        return
    pad, inner = "  " * depth, "  " * (depth + 1)
    if isinstance(obj, dict):
        items = iter(obj.items())
        opening, closing = "{", "}"
    else:
        items = iter(obj.items if isinstance(obj, Streamed) else obj)
        opening, closing = "[", "]"
    plain = isinstance(obj, Streamed)
    first = True
    for item in items:
        stream.write((opening if first else ",") + "\n" + inner)
        first = False
        if type(item) is Encoded:
            stream.write(item.replace("\n", "\n" + inner) if "\n" in item else item)
        elif plain:  # a report's files: written whole, not searched for streams (a tenth of a cached run)
            stream.write(_indented(item, depth + 1))
        elif closing == "}":
            key, value = item
            stream.write(_dumps(key) + ": ")
            dump(value, stream, depth + 1)
        else:
            dump(item, stream, depth + 1)
    stream.write(opening + closing if first else "\n" + pad + closing)


def error_dict(e: InputError) -> dict[str, Any]:
    return {**e.to_dict(), "path": display_path(e.path)}


def file_dict(r: FileResult) -> dict[str, Any]:
    """The file's entry: ``FileResult.to_dict`` with its path written losslessly (see fsio)."""
    return {**r.to_dict(), "path": display_path(r.path), "errors": [error_dict(e) for e in r.errors]}


_HEAD = '{\n  "path": '


def entry_tail(result: FileResult) -> str | None:
    """``result``'s entry of the report's ``files`` array as JSON text, without its
    opening and its path (so it serves any file with the same result: see
    ``checker.cache``); None for a result whose errors name its path."""
    if result.errors:
        return None
    text = _dumps(file_dict(result))
    head = _HEAD + _dumps(display_path(result.path))
    return text[len(head) :] if text.startswith(head) else None


def _entry(path: str, tail: str) -> Encoded:
    """The entry ``entry_tail`` was written from, for the file at ``path``."""
    return Encoded(_HEAD + _dumps(display_path(path)) + tail)


def _file_items(files: Any) -> Iterable[Any]:
    # a run's spool can give some entries already written (cache hits: ``json_entries``)
    entries = getattr(files, "json_entries", None)
    if entries is None:
        return (file_dict(r) for r in files)
    return (_entry(*e) if type(e) is tuple else file_dict(e) for e in entries())


def report_dict(report: Report) -> dict[str, Any]:
    summary = report.summary
    by_rule: dict[str, int] = {}
    for (code, _name, _sev), n in summary.by_rule.items():
        by_rule[code] = by_rule.get(code, 0) + n
    return {
        "schema": SCHEMA_VERSION,
        "tool": {"name": "mtlint", "version": report.tool_version},
        "files": Streamed(_file_items(report.files)),
        "errors": [error_dict(e) for e in report.notices],
        "summary": {
            "files": summary.files,
            "files_with_findings": summary.files_with_findings,
            "findings": sum(summary.by_severity.values()),
            "by_severity": dict(summary.by_severity),
            "by_rule": dict(sorted(by_rule.items())),
            "input_errors": sum(1 for e in report.errors if e.fatal),
            "fail_on": str(report.fail_on),
            "exit_code": report.exit_code(),
        },
    }


def _without_surrogates(value: Any) -> Any:
    """``value`` with every string's lone surrogates escaped (so the JSON is UTF-8)."""
    if isinstance(value, str):
        return escape_surrogates(value)
    if isinstance(value, dict):
        return {_without_surrogates(k): _without_surrogates(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_without_surrogates(v) for v in value]
    return value


def report_json(report: Report) -> str:
    """The whole JSON report, as ``mtlint check --format json`` writes it."""
    buf = io.StringIO()
    dump(report_dict(report), buf)
    buf.write("\n")
    return buf.getvalue()


def file_json(result: FileResult) -> str:
    """One file's entry of the JSON report (the objects of its ``files`` array)."""
    buf = io.StringIO()
    dump(file_dict(result), buf)
    buf.write("\n")
    return buf.getvalue()
