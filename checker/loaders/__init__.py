"""Turning bytes on disk into a ``Document``: reading, decoding, format loaders.

Reading never raises on bad input: it returns an ``InputError`` naming the
file and the problem (missing, unreadable, binary, not UTF-8, too large),
and the run goes on with the other files.  Format loaders (plain text,
Markdown, HTML) are looked up by name in ``LOADERS`` and imported lazily;
each returns a ``Document`` whose ``text`` is the prose to check and whose
``source_map`` leads back to the decoded file.
"""

from __future__ import annotations

import errno
import importlib
import os
import stat
import sys
from dataclasses import dataclass
from typing import Any, Callable, Iterator

from ..document import Document
from ..findings import InputError
from ..fsio import O_CLOEXEC, O_NOCTTY, O_NONBLOCK, display_path, read_to_end, special_kind

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



@dataclass(frozen=True)
class SourceFile:
    """A decoded input: ``text`` is the file's characters (BOM removed)."""

    path: str
    text: str
    format: str


def detect_format(path: str) -> str:
    # (os.path, not pathlib: asked for every file of a folder; the same suffix for every name)
    return EXTENSIONS.get(os.path.splitext(path)[1].lower(), "text")


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


def _stat_error(path: str, exc: OSError) -> InputError:
    """The ``InputError`` for a path that cannot be stat'ed or opened."""
    if exc.errno == errno.ELOOP:
        return InputError(path, "symlink-loop", "is a symbolic link that leads back to itself (a loop); not checked")
    if exc.errno == errno.ENOENT:
        if os.path.islink(path):
            target = display_path(os.readlink(path))
            return InputError(path, "missing", f"is a broken symbolic link (it points to {target}, which does not exist)")
        return InputError(path, "missing", "no such file or folder")
    return InputError(path, "unreadable", f"cannot read: {exc.strerror or exc}")


def _not_regular(path: str, st: os.stat_result) -> InputError | None:
    if stat.S_ISDIR(st.st_mode):
        return InputError(path, "unreadable", "is a folder")
    what = special_kind(st.st_mode)
    return InputError(path, "special-file", f"is {what}; not checked") if what else None


def _too_large(path: str, size: int, max_size: int) -> InputError:
    return InputError(
        path,
        "too-large",
        f"is {size / 1e6:.1f} MB, over the {max_size / 1e6:g} MB limit (raise max-file-size to check it); not checked",
    )


def read_source(path: str, *, max_size: int = 10_000_000) -> SourceFile | InputError:
    """Read and decode one file; problems come back as an ``InputError``.

    Only regular files are read.  The path is checked with ``stat`` first and
    then opened without blocking (``O_NONBLOCK``) and checked again on the
    open descriptor, so a FIFO, socket or device (even one swapped in after
    discovery) is reported, never read: reading a FIFO blocks until a writer
    comes, and a device like ``/dev/zero`` never ends.
    """
    try:
        st = os.stat(path)
    except OSError as exc:
        return _stat_error(path, exc)
    bad = _not_regular(path, st)
    if bad is not None:
        return bad
    if max_size and st.st_size > max_size:
        return _too_large(path, st.st_size, max_size)
    try:
        fd = os.open(path, os.O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC | getattr(os, "O_BINARY", 0))
    except OSError as exc:
        return _stat_error(path, exc)
    try:
        st = os.fstat(fd)
        bad = _not_regular(path, st)
        if bad is not None:
            return bad
        data = read_to_end(fd, st.st_size, max_size + 1 if max_size else None)
    except OSError as exc:
        return InputError(path, "unreadable", f"cannot read: {exc.strerror or exc}")
    finally:
        os.close(fd)
    if max_size and len(data) > max_size:  # it grew after the stat
        return _too_large(path, len(data), max_size)
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


def _candidate(path: str) -> str | InputError:
    """``path`` if it may be read as a file, else the ``InputError`` saying why not.

    A path that does not exist passes (``read_source`` says it is missing);
    symbolic link loops, FIFOs, sockets and devices are caught here, before
    anything tries to resolve or open them.
    """
    try:
        st = os.stat(path)
    except OSError as exc:
        return path if exc.errno == errno.ENOENT and not os.path.islink(path) else _stat_error(path, exc)
    return _not_regular(path, st) or path


def _walk(folder: str, excluder: Any, skipped: list[str]) -> Iterator[str | InputError]:
    """Checkable files under ``folder`` (sorted, hidden folders and files skipped,
    and what ``excluder`` excludes), and an ``InputError`` for every folder that
    cannot be read.  Excluded paths are appended to ``skipped``."""
    errors: list[OSError] = []
    for dirpath, dirnames, filenames in os.walk(folder, onerror=errors.append):
        for exc in errors:
            yield _folder_error(folder, exc)
        errors.clear()
        keep = []
        for d in sorted(dirnames):
            if d.startswith("."):
                continue
            if excluder.excluded(os.path.join(dirpath, d), True, folder):
                skipped.append(os.path.join(dirpath, d))
                continue
            keep.append(d)
        dirnames[:] = keep
        for fn in sorted(filenames):
            if os.path.splitext(fn)[1].lower() in EXTENSIONS and not fn.startswith("."):
                path = os.path.join(dirpath, fn)
                if excluder.excluded(path, False, folder):
                    skipped.append(path)
                    continue
                yield _candidate(path)
    for exc in errors:
        yield _folder_error(folder, exc)


def _folder_error(top: str, exc: OSError) -> InputError:
    where = exc.filename if isinstance(exc.filename, str) else top
    return InputError(where, "unreadable", f"folder cannot be read: {exc.strerror or exc}; files in it were not checked")


def _realpath(path: str, folders: dict[str, str]) -> str:
    """``os.path.realpath(path)``, resolving each folder once (``folders``: a memo):
    a name that is not a symbolic link resolves to its folder's real path joined
    with the name, which costs one ``lstat`` instead of one per component."""
    head, tail = os.path.split(path)
    if not tail or tail in (os.curdir, os.pardir) or os.path.islink(path):
        return os.path.realpath(path)
    real = folders.get(head)
    if real is None:
        real = folders[head] = os.path.realpath(head)
    return os.path.join(real, tail)


def discover(paths: list[str], excluder: Any) -> Iterator[str | InputError]:
    """Expand folders (recursively, checkable extensions only), keep order, drop repeats.

    ``excluder`` (``checker.exclude.Excluder``) leaves out what ``exclude``
    (by default the tool folders: ``config.DEFAULT_EXCLUDE``),
    ``extend-exclude`` and ``.gitignore`` say; paths named here are kept
    unless it says ``force-exclude``.

    A file is identified by its real path (symlinks and ``./`` resolved), so
    ``a.txt ./a.txt $PWD/a.txt`` is checked once, under the first name
    given.  What cannot be checked (a symbolic link loop, a FIFO, a socket,
    a device, a folder that cannot be read) comes back as an ``InputError``
    for that path, in its place, and the rest goes on.
    """
    seen: set[tuple[str, str]] = set()
    real_folders: dict[str, str] = {}
    for raw in paths:
        if raw == "-":
            yield raw
            continue
        if excluder.forced(raw) and excluder.excluded(raw, os.path.isdir(raw)):
            continue  # force-exclude: a named path is excluded like a found one
        if os.path.isdir(raw):
            skipped: list[str] = []
            items = list(_walk(raw, excluder, skipped))
            if not items:
                why = f"; {len(skipped)} excluded (exclude, extend-exclude, .gitignore)" if skipped else ""
                yield InputError(raw, "no-files", f"folder has no checkable files ({', '.join(sorted(EXTENSIONS))}){why}")
        else:
            items = [_candidate(raw)]
        for item in items:
            key = ("file", _realpath(item, real_folders)) if isinstance(item, str) else (item.kind, os.path.abspath(item.path))
            if key not in seen:
                seen.add(key)
                yield item


def _loader(fmt: str) -> Callable[..., Document]:
    target = LOADERS.get(fmt) or LOADERS["text"]
    module, _, attr = target.partition(":")
    return getattr(importlib.import_module(module), attr)


def load_document(source: SourceFile, config: Any = None) -> Document:
    return _loader(source.format)(source, config)
