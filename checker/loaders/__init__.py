"""Turning bytes on disk into a ``Document``: reading, decoding, format loaders.

Reading never raises on bad input: it returns an ``InputError`` naming the
file and the problem (missing, unreadable, binary, not UTF-8, too large),
and the run goes on with the other files.  Format loaders (plain text,
Markdown, HTML) are looked up by name in ``LOADERS`` and imported lazily;
each returns a ``Document`` whose ``text`` is the prose to check and whose
``source_map`` leads back to the decoded file.
"""

from __future__ import annotations

import importlib
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterator

from ..document import Document
from ..findings import InputError

__all__ = ["SourceFile", "read_source", "read_stdin", "discover", "detect_format", "load_document", "LOADERS", "EXTENSIONS"]

#: file extension -> format name
EXTENSIONS: dict[str, str] = {
    ".txt": "text",
    ".text": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
}

#: format name -> "module:function(source, config) -> Document"
LOADERS: dict[str, str] = {
    "text": "checker.loaders.text:load",
    "markdown": "checker.loaders.markdown:load",
    "html": "checker.loaders.html:load",
}

_SKIP_DIRS = {".git", ".hg", ".svn", "node_modules", "__pycache__", ".venv", "venv", ".tox", "_site", "public"}


@dataclass(frozen=True)
class SourceFile:
    """A decoded input: ``text`` is the file's characters (BOM removed)."""

    path: str
    text: str
    format: str


def detect_format(path: str) -> str:
    return EXTENSIONS.get(Path(path).suffix.lower(), "text")


def _decode(data: bytes, path: str) -> str | InputError:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return InputError(path, "encoding", "is UTF-16 encoded; mtlint reads UTF-8 (re-save the file as UTF-8)")
    head = data[:8192]
    if b"\x00" in head:
        return InputError(path, "binary", "looks like a binary file (it contains NUL bytes); not checked")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        bad = data[exc.start : exc.start + 4].hex(" ")
        return InputError(
            path,
            "encoding",
            f"is not valid UTF-8 (byte offset {exc.start}, line {line}: {bad}); re-save it as UTF-8",
        )


def read_source(path: str, *, max_size: int = 10_000_000) -> SourceFile | InputError:
    """Read and decode one file; problems come back as an ``InputError``."""
    p = Path(path)
    try:
        st = p.stat()
    except FileNotFoundError:
        return InputError(path, "missing", "no such file or folder")
    except OSError as exc:
        return InputError(path, "unreadable", f"cannot read: {exc.strerror or exc}")
    if p.is_dir():
        return InputError(path, "unreadable", "is a folder")
    if max_size and st.st_size > max_size:
        return InputError(
            path,
            "too-large",
            f"is {st.st_size / 1e6:.1f} MB, over the {max_size / 1e6:g} MB limit (raise max-file-size to check it); not checked",
        )
    try:
        data = p.read_bytes()
    except OSError as exc:
        return InputError(path, "unreadable", f"cannot read: {exc.strerror or exc}")
    text = _decode(data, path)
    if isinstance(text, InputError):
        return text
    return SourceFile(path, text, detect_format(path))


def read_stdin(name: str = "-", fmt: str = "text", *, max_size: int = 10_000_000) -> SourceFile | InputError:
    data = sys.stdin.buffer.read(max_size + 1) if max_size else sys.stdin.buffer.read()
    if max_size and len(data) > max_size:
        return InputError(name, "too-large", f"standard input is over the {max_size / 1e6:g} MB limit; not checked")
    text = _decode(data, name)
    if isinstance(text, InputError):
        return text
    return SourceFile(name, text, fmt)


def discover(paths: list[str]) -> Iterator[str | InputError]:
    """Expand folders (recursively, checkable extensions only), keep order, drop repeats."""
    seen: set[str] = set()
    for raw in paths:
        if raw == "-":
            yield raw
            continue
        p = Path(raw)
        if p.is_dir():
            found = []
            for dirpath, dirnames, filenames in os.walk(p):
                dirnames[:] = sorted(d for d in dirnames if d not in _SKIP_DIRS and not d.startswith("."))
                for fn in sorted(filenames):
                    if Path(fn).suffix.lower() in EXTENSIONS and not fn.startswith("."):
                        found.append(os.path.join(dirpath, fn))
            if not found:
                yield InputError(raw, "no-files", f"folder has no checkable files ({', '.join(sorted(EXTENSIONS))})")
            for f in found:
                if f not in seen:
                    seen.add(f)
                    yield f
        else:
            if raw not in seen:
                seen.add(raw)
                yield raw


def _loader(fmt: str) -> Callable[..., Document]:
    target = LOADERS.get(fmt) or LOADERS["text"]
    module, _, attr = target.partition(":")
    return getattr(importlib.import_module(module), attr)


def load_document(source: SourceFile, config: Any = None) -> Document:
    return _loader(source.format)(source, config)
