"""Talking to the file system safely: how paths are shown, how files are written.

*Paths.*  A POSIX file name is bytes; Python hands names that are not UTF-8
to us with each bad byte as a lone surrogate (``os.fsdecode``).  Such a
string cannot be written to a UTF-8 report, so every report format and every
message on standard error shows a path through ``display_path``: undecodable
bytes and control characters as ``\\xNN``, C1 controls as ``\\u00NN``, and a
backslash as ``\\\\``; every other character as it is.  Ordinary paths are
unchanged, and ``unescape_path`` gives back the exact bytes.  SARIF needs
URIs, so it gets ``path_uri``: the name's bytes percent-encoded (RFC 3986).

*Writes.*  ``write_report`` writes a report to a temporary file beside the
target and renames it over the target only when the whole report is written,
so a failure never truncates the previous report.  ``rewrite_in_place``
changes a checked file's contents (``--fix``) in its own inode, keeping owner,
group, mode, hard links, ACLs and extended attributes, with a copy of the old
bytes beside it while the write is in progress (see docs/integrations.md).
"""

from __future__ import annotations

import errno
import io
import os
import re
import stat
from typing import IO, Callable

__all__ = [
    "display_path",
    "unescape_path",
    "path_uri",
    "escape_surrogates",
    "write_report",
    "rewrite_in_place",
    "WriteRefused",
    "special_kind",
    "read_to_end",
    "write_at",
]

# characters that need no escaping in a shown path (the fast path)
_PLAIN = re.compile(r"[^\\\x00-\x1f\x7f-\x9f\ud800-\udfff]*")
_NEEDS = re.compile(r"[\\\x00-\x1f\x7f-\x9f\ud800-\udfff]")
_ESCAPE = re.compile(r"\\(?:(\\)|x([0-9a-fA-F]{2})|u([0-9a-fA-F]{4}))")
_SURROGATE = re.compile(r"[\ud800-\udfff]")


def _escape_char(m: "re.Match[str]") -> str:
    ch = m.group()
    o = ord(ch)
    if ch == "\\":
        return "\\\\"
    if 0xDC80 <= o <= 0xDCFF:  # a byte that was not UTF-8 (surrogateescape)
        return f"\\x{o - 0xDC00:02x}"
    if o < 0x80:
        return f"\\x{o:02x}"
    return f"\\u{o:04x}"


def display_path(path: str) -> str:
    """``path`` as every report shows it: unchanged unless it holds a backslash,
    a control character or bytes that are not UTF-8, which are escaped."""
    if _PLAIN.fullmatch(path):
        return path
    return _NEEDS.sub(_escape_char, path)


def unescape_path(shown: str) -> bytes:
    """The file name's bytes from ``display_path``'s form (its exact inverse)."""
    out = bytearray()
    pos = 0
    for m in _ESCAPE.finditer(shown):
        out += shown[pos : m.start()].encode("utf-8")
        if m.group(1):
            out += b"\\"
        elif m.group(2):
            out.append(int(m.group(2), 16))
        else:
            out += chr(int(m.group(3), 16)).encode("utf-8", "surrogatepass")
        pos = m.end()
    rest = shown[pos:]
    if "\\" in rest:
        raise ValueError(f"not a shown path: stray backslash in {shown!r}")
    return bytes(out + rest.encode("utf-8"))


def _path_bytes(path: str) -> bytes:
    try:
        return os.fsencode(path)
    except UnicodeEncodeError:  # a lone surrogate that no file system produced
        return path.encode("utf-8", "surrogatepass")


def path_uri(path: str) -> str:
    """A URI reference for ``path``: its bytes percent-encoded (SARIF ``uri``)."""
    from urllib.parse import quote  # (only reports with URIs: 4 ms of every start-up otherwise)

    quoted = quote(_path_bytes(path).replace(b"\\", b"/") if os.sep == "\\" else _path_bytes(path))
    return "file://" + quoted if os.path.isabs(path) else quoted


def escape_surrogates(text: str) -> str:
    """Free text (a message that quotes a path) with lone surrogates escaped as in
    ``display_path``; text without them is returned as it is."""
    if not _SURROGATE.search(text):
        return text
    return _SURROGATE.sub(_escape_char, text)


def special_kind(mode: int) -> str | None:
    """What a non-regular, non-folder file is, in words (None for a regular file)."""
    if stat.S_ISREG(mode) or stat.S_ISDIR(mode):
        return None
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    return "not a regular file"


# -- writing ---------------------------------------------------------------------
def _create_beside(target: str, tag: str, mode: int) -> tuple[int, str]:
    """A new, exclusive file in ``target``'s folder (``.mtlint-<tag>-<name>.<random>``)."""
    folder, name = os.path.split(target)
    for _ in range(100):
        tmp = os.path.join(folder, f".mtlint-{tag}-{name[:80]}.{os.urandom(4).hex()}")
        try:
            return os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | O_CLOEXEC | getattr(os, "O_BINARY", 0), mode), tmp
        except FileExistsError:  # pragma: no cover - 32 random bits
            continue
    raise FileExistsError(errno.EEXIST, "could not create a temporary file", folder)  # pragma: no cover


def _unlink_quietly(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


def _why(exc: OSError) -> str:
    return exc.strerror or str(exc)


def write_report(path: str, render: Callable[[IO[str]], None]) -> str | None:
    """Write the text ``render(stream)`` produces to ``path``, atomically.

    The report goes to a temporary file in the target's folder, is flushed to
    disk and renamed over the target (a symlink is followed; an existing
    file keeps its mode, a new one gets the usual umask mode).  A target that
    is a FIFO, a device or a terminal is written to directly.  Returns None,
    or one line saying why the report could not be written; the previous
    report is then untouched and no temporary file is left.  Errors that are
    not about the file system (a formatter bug) are raised after clean-up.
    """
    real = os.path.realpath(path)
    try:
        st = os.stat(real)
    except FileNotFoundError:
        st = None
    except OSError as exc:
        return f"cannot write the report to {display_path(path)}: {_why(exc)}"
    try:
        if st is not None and not stat.S_ISREG(st.st_mode):
            if stat.S_ISDIR(st.st_mode):
                return f"cannot write the report to {display_path(path)}: it is a folder"
            with open(real, "w", encoding="utf-8", newline="") as fh:
                render(fh)
            return None
        fd, tmp = _create_beside(real, "report", 0o666)
    except OSError as exc:
        return f"cannot write the report to {display_path(path)}: {_why(exc)}"
    try:
        with io.open(fd, "w", encoding="utf-8", newline="") as fh:
            render(fh)
            fh.flush()
            os.fsync(fh.fileno())
        if st is not None:
            os.chmod(tmp, stat.S_IMODE(st.st_mode))
        os.replace(tmp, real)
    except OSError as exc:
        _unlink_quietly(tmp)
        return f"cannot write the report to {display_path(path)}: {_why(exc)}"
    except BaseException:
        _unlink_quietly(tmp)
        raise
    return None


class WriteRefused(Exception):
    """A file was not changed; the message says why, in a few words."""

    def __init__(self, message: str, kind: str = "unwritable") -> None:
        super().__init__(message)
        self.kind = kind


#: flags that exist only on POSIX (mtlint still runs where they do not)
O_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
O_NOCTTY = getattr(os, "O_NOCTTY", 0)
O_CLOEXEC = getattr(os, "O_CLOEXEC", 0)


def read_to_end(fd: int, size: int, limit: int | None = None) -> bytes:
    """The rest of the regular file open on ``fd``, whose size ``stat`` gave as
    ``size``: one read when it did not grow, then a megabyte at a time; stops
    after ``limit`` bytes (a caller that set one checks for more itself)."""
    chunks: list[bytes] = []
    got, want = 0, size + 1  # one more byte than the size: a short read is the end
    while limit is None or got < limit:
        asked = want if limit is None else min(want, limit - got)
        chunk = os.read(fd, asked)
        if chunk:
            chunks.append(chunk)
            got += len(chunk)
        if len(chunk) < asked:
            break
        want = 1 << 20
    return chunks[0] if len(chunks) == 1 else b"".join(chunks)


def write_at(fd: int, data: bytes, offset: int) -> None:
    """Write all of ``data`` at ``offset`` of the file open on ``fd``."""
    view = memoryview(data)
    pos = 0
    while pos < len(view):
        if hasattr(os, "pwrite"):
            pos += os.pwrite(fd, view[pos:], offset + pos)
        else:  # pragma: no cover - Windows
            os.lseek(fd, offset + pos, os.SEEK_SET)
            pos += os.write(fd, view[pos:])


def _write_all(fd: int, data: bytes) -> None:
    write_at(fd, data, 0)
    os.ftruncate(fd, len(data))


def rewrite_in_place(path: str, update: Callable[[bytes], bytes | None]) -> bool:
    """Replace the contents of the file ``path`` names with ``update(current)``.

    A symlink is followed to the real file, and the file keeps its inode:
    owner, group, mode, hard links, ACLs and extended attributes stay as they
    are.  ``update`` gets the bytes on disk now and returns the new bytes, or
    None to change nothing, or raises ``WriteRefused`` (the file changed since
    it was checked, say).  Before the first byte is written, the current
    bytes are copied to a temporary file beside the real one and flushed to
    disk; the copy is removed when the write is done (if the process dies in
    between, it holds the complete old file).  A write that fails half way
    puts the old bytes back.  Returns True when the file was changed.

    Raises ``WriteRefused`` for a read-only file or folder (its permission
    bits, whoever runs mtlint, root included), an immutable file, a file
    that is not regular, and any other error that stopped the write.
    """
    real = os.path.realpath(path)
    try:
        st = os.stat(real)
        folder_mode = os.stat(os.path.dirname(real) or ".").st_mode
    except OSError as exc:
        raise WriteRefused(f"cannot be read again to write the fixes ({_why(exc)})") from None
    what = special_kind(st.st_mode)
    if what or stat.S_ISDIR(st.st_mode):
        raise WriteRefused(f"is {what or 'a folder'}; not fixed")
    if not st.st_mode & 0o222:
        raise WriteRefused("is read-only; not fixed (make it writable to let --fix change it)")
    if not folder_mode & 0o222:
        raise WriteRefused("is in a read-only folder; not fixed (mtlint keeps a copy of the file beside it while writing)")
    try:
        fd = os.open(real, os.O_RDWR | O_NONBLOCK | O_CLOEXEC | getattr(os, "O_BINARY", 0))
    except OSError as exc:
        hint = " (an immutable or append-only file?)" if exc.errno == errno.EPERM else ""
        raise WriteRefused(f"cannot be opened for writing: {_why(exc)}{hint}; not fixed") from None
    try:
        now = os.fstat(fd)
        if not stat.S_ISREG(now.st_mode) or (now.st_dev, now.st_ino) != (st.st_dev, st.st_ino):
            raise WriteRefused("was replaced while mtlint was checking it; not fixed (run mtlint again)", "changed")
        chunks = []
        while True:
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                break
            chunks.append(chunk)
        current = b"".join(chunks)
        new = update(current)
        if new is None or new == current:
            return False
        try:
            bfd, backup = _create_beside(real, "backup", 0o600)
        except OSError as exc:
            raise WriteRefused(f"cannot keep a copy of the file while writing ({_why(exc)}); not fixed") from None
        try:
            try:
                _write_all(bfd, current)
                os.fsync(bfd)
            finally:
                os.close(bfd)
        except OSError as exc:
            _unlink_quietly(backup)
            raise WriteRefused(f"cannot keep a copy of the file while writing ({_why(exc)}); not fixed") from None
        try:
            _write_all(fd, new)
            os.fsync(fd)
        except OSError as exc:
            try:
                _write_all(fd, current)
                os.fsync(fd)
            except OSError:
                raise WriteRefused(
                    f"could not be written ({_why(exc)}) nor restored; its old contents are in {display_path(backup)}"
                ) from None
            _unlink_quietly(backup)
            raise WriteRefused(f"could not be written ({_why(exc)}); left as it was") from None
        _unlink_quietly(backup)
        return True
    finally:
        os.close(fd)
