"""Typed, validated construction of frozen dataclasses from TOML/YAML mappings.

One mechanism serves rule files, kind specs, rule options and the config:
each is a frozen dataclass whose fields (type, default, ``metadata["doc"]``)
*are* the schema.  Unknown keys, wrong types and bad values raise
``SchemaError`` with a dotted key path, so the caller can name the file too.
Keys may be written with hyphens or underscores (``fail-on`` / ``fail_on``).
"""

from __future__ import annotations

import collections.abc
import dataclasses
import difflib
import enum
import functools
import types
import typing
from typing import Any, Literal, Mapping, get_args, get_origin

__all__ = ["SchemaError", "build", "field_docs", "json_schema"]


class SchemaError(ValueError):
    """A value does not fit its schema; ``key`` is the dotted path to it."""

    def __init__(self, key: str, message: str) -> None:
        self.key = key
        self.problem = message
        super().__init__(f"{key}: {message}" if key else message)


def _type_name(tp: Any) -> str:
    origin = get_origin(tp)
    if origin is Literal:
        return " | ".join(repr(a) for a in get_args(tp))
    if origin in (list, tuple, frozenset, set):
        args = [a for a in get_args(tp) if a is not Ellipsis]
        return f"list of {_type_name(args[0])}" if args else "list"
    if origin in (dict, collections.abc.Mapping) or tp is dict:
        return "table"
    if origin in (typing.Union, types.UnionType):
        return " or ".join(_type_name(a) for a in get_args(tp) if a is not type(None))
    if dataclasses.is_dataclass(tp):
        return "table"
    return getattr(tp, "__name__", str(tp))


def _convert(tp: Any, value: Any, key: str) -> Any:
    origin = get_origin(tp)
    if tp is Any:
        return value
    if origin in (typing.Union, types.UnionType):
        args = get_args(tp)
        if value is None and type(None) in args:
            return None
        errors = []
        for arg in args:
            if arg is type(None):
                continue
            try:
                return _convert(arg, value, key)
            except SchemaError as exc:
                errors.append(exc)
        raise SchemaError(key, f"expected {_type_name(tp)}, got {type(value).__name__} {value!r}")
    if origin is Literal:
        allowed = get_args(tp)
        if value not in allowed:
            raise SchemaError(key, f"expected one of {', '.join(map(repr, allowed))}, got {value!r}")
        return value
    if dataclasses.is_dataclass(tp):
        if not isinstance(value, Mapping):
            raise SchemaError(key, f"expected a table, got {type(value).__name__}")
        return build(tp, value, key)
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        try:
            parse = getattr(tp, "parse", None)
            return parse(value) if parse else tp(value)
        except ValueError as exc:
            raise SchemaError(key, str(exc)) from None
    if origin in (list, tuple, frozenset, set):
        if isinstance(value, str) or not isinstance(value, (list, tuple)):
            raise SchemaError(key, f"expected a list, got {type(value).__name__} {value!r}")
        args = [a for a in get_args(tp) if a is not Ellipsis]
        item_tp = args[0] if args else Any
        items = [_convert(item_tp, v, f"{key}[{i}]") for i, v in enumerate(value)]
        return tuple(items) if origin in (tuple, list) else frozenset(items)
    if origin in (dict, collections.abc.Mapping):
        if not isinstance(value, Mapping):
            raise SchemaError(key, f"expected a table, got {type(value).__name__}")
        args = get_args(tp)
        val_tp = args[1] if len(args) == 2 else Any
        out = {}
        for k, v in value.items():
            if not isinstance(k, str):
                raise SchemaError(key, f"keys must be strings, got {k!r}")
            out[k] = _convert(val_tp, v, f"{key}.{k}" if key else k)
        return types.MappingProxyType(out)
    if tp is bool:
        if not isinstance(value, bool):
            raise SchemaError(key, f"expected true or false, got {value!r}")
        return value
    if tp is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise SchemaError(key, f"expected a whole number, got {value!r}")
        return value
    if tp is float:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise SchemaError(key, f"expected a number, got {value!r}")
        return float(value)
    if tp is str:
        if not isinstance(value, str):
            raise SchemaError(key, f"expected a string, got {type(value).__name__} {value!r}")
        return value
    if isinstance(tp, type) and isinstance(value, tp):
        return value
    raise SchemaError(key, f"expected {_type_name(tp)}, got {value!r}")


@functools.lru_cache(maxsize=None)
def _hints(cls: type) -> dict[str, Any]:
    # cached per class: resolving string annotations is slow, and a word
    # list builds one dataclass per entry (hundreds per rule at load time)
    return typing.get_type_hints(cls)


def build(cls: type, data: Mapping[str, Any], where: str = "", *, extra: str = "forbid") -> Any:
    """Instantiate dataclass ``cls`` from ``data``, checking every key.

    ``where`` prefixes key paths in errors.  ``extra="ignore"`` skips unknown
    keys (used when a caller has consumed some keys itself).
    """
    if not isinstance(data, Mapping):
        raise SchemaError(where, f"expected a table, got {type(data).__name__}")
    hints = _hints(cls)
    fields = {f.name: f for f in dataclasses.fields(cls) if f.init}
    kwargs: dict[str, Any] = {}
    for raw_key, value in data.items():
        if not isinstance(raw_key, str):
            raise SchemaError(where, f"keys must be strings, got {raw_key!r}")
        name = raw_key.replace("-", "_")
        key = f"{where}.{raw_key}" if where else raw_key
        if name not in fields:
            if extra == "ignore":
                continue
            # fields the program fills in itself (metadata "internal") are not keys a user may write
            names = sorted(n.replace("_", "-") for n, f in fields.items() if not f.metadata.get("internal"))
            close = difflib.get_close_matches(raw_key.replace("_", "-"), names, n=1, cutoff=0.6)
            hint = f"; did you mean '{close[0]}'?" if close else ""
            raise SchemaError(key, f"unknown key{hint} (known keys: {', '.join(names) or 'none'})")
        kwargs[name] = _convert(hints[name], value, key)
    missing = [
        n
        for n, f in fields.items()
        if n not in kwargs
        and f.default is dataclasses.MISSING
        and f.default_factory is dataclasses.MISSING  # type: ignore[misc]
    ]
    if missing:
        raise SchemaError(where, f"missing required key(s): {', '.join(m.replace('_', '-') for m in missing)}")
    try:
        return cls(**kwargs)
    except (ValueError, TypeError) as exc:
        raise SchemaError(where, str(exc)) from None


def field_docs(cls: type) -> list[tuple[str, str, Any, str]]:
    """``(key, type, default, doc)`` for each field: the source of option docs."""
    hints = _hints(cls)
    rows = []
    for f in dataclasses.fields(cls):
        if f.default is not dataclasses.MISSING:
            default = f.default
        elif f.default_factory is not dataclasses.MISSING:  # type: ignore[misc]
            default = f.default_factory()  # type: ignore[misc]
        else:
            default = None
        if isinstance(default, enum.Enum):
            default = str(default)
        rows.append((f.name.replace("_", "-"), _type_name(hints[f.name]), default, f.metadata.get("doc", "")))
    return rows


def json_schema(cls: type) -> dict[str, Any]:
    """A JSON Schema for editors and documentation (not used to validate)."""

    def conv(tp: Any) -> dict[str, Any]:
        origin = get_origin(tp)
        if origin is Literal:
            return {"enum": list(get_args(tp))}
        if origin in (typing.Union, types.UnionType):
            return {"anyOf": [conv(a) for a in get_args(tp)]}
        if tp is type(None):
            return {"type": "null"}
        if dataclasses.is_dataclass(tp):
            return json_schema(tp)
        if origin in (list, tuple, frozenset, set):
            args = [a for a in get_args(tp) if a is not Ellipsis]
            return {"type": "array", "items": conv(args[0]) if args else {}}
        if origin in (dict, collections.abc.Mapping) or tp is dict:
            args = get_args(tp)
            return {"type": "object", "additionalProperties": conv(args[1]) if len(args) == 2 else {}}
        if isinstance(tp, type) and issubclass(tp, enum.Enum):
            return {"enum": [str(m) for m in tp]}
        return {bool: {"type": "boolean"}, int: {"type": "integer"}, float: {"type": "number"}, str: {"type": "string"}}.get(tp, {})

    hints = _hints(cls)
    props = {}
    for f in dataclasses.fields(cls):
        if f.metadata.get("internal"):
            continue  # set by the program, never written in a config file
        s = conv(hints[f.name])
        if f.metadata.get("doc"):
            s["description"] = f.metadata["doc"]
        default = f.default if f.default is not dataclasses.MISSING else dataclasses.MISSING
        if isinstance(default, enum.Enum):
            default = str(default)
        if isinstance(default, tuple):
            default = list(default)
        if isinstance(default, (str, int, float, bool, list)):
            s["default"] = default
        props[f.name.replace("_", "-")] = s
    return {"type": "object", "properties": props, "additionalProperties": False}


def doc(text: str, default: Any = dataclasses.MISSING, **kw: Any) -> Any:
    """``dataclasses.field`` with a doc string kept in metadata."""
    if default is not dataclasses.MISSING:
        if isinstance(default, (list, dict, set)):
            raise TypeError("use default_factory for mutable defaults")
        return dataclasses.field(default=default, metadata={"doc": text}, **kw)
    return dataclasses.field(metadata={"doc": text}, **kw)
