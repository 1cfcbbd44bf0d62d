"""The result cache: a file whose text and settings have not changed is not checked again.

As in ruff, each checked file's result is stored under ``.mtlint_cache/``
(``--cache-dir DIR``, ``cache-dir`` in config, ``MTLINT_CACHE_DIR``;
``--no-cache`` turns it off), keyed by a SHA-256 of everything that can
change the result:

* the file's decoded text and format (not its path: two identical files share
  an entry, and a moved file is still a hit);
* the rule runner's fingerprint: mtlint's version and its code (path, size
  and modification time of every module, so an edited checkout or an
  upgrade without a new version number never serves old results), the versions of the
  libraries whose data the rules read, every rule and data file of the loaded
  packs (path, size and modification time), the effective configuration for
  that file (per-file overrides applied), the grammar backend and its
  settings, and the contents of the newsroom word lists and names registry.

An entry holds the file's findings, errors, metrics, score and word count,
plus what its cross-file rules collected, so the names phase runs from
cached tables too.  Results produced while a service was unavailable or a
rule failed are never stored.

A rerun over unchanged files is mostly reading entries back, so an entry is
laid out for that (``entry``): the result is packed once more inside it
(decoded only when something needs the findings), next to a tally of its
findings (for the run's totals) and its entry of the JSON report as text,
written from the stored result itself (``jsondoc.entry_tail``), without the
path.  A hit whose result has no errors travels through the run in that form
(``CachedResult``): the JSON report copies its text, other formats decode
it, and the run decodes it to merge cross-file findings or apply a baseline,
after which its text no longer applies and is not used.

The cross-file phase's findings are stored too, under ``cross-file/``, keyed
by the list of (path, entry key) of the files whose tables it read
(``cross_file_key``): entry keys stand for everything that decides those
tables and the rule's settings, and the paths for where its findings go.  A
run whose contributing files are all hits or clean checks and match an
earlier run's list takes the findings from there; each hit's tables stay
packed (``Collected``) unless the phase has to run.  A phase in which a rule
failed is not stored.

Beside the results, ``rulesets/`` records, per set of rule files, code and
libraries, which rules could not be built (usually none): a later run with
the same key builds each rule only when it first checks a file, so a run
whose every result is a hit never compiles the rules.

Entries are msgpack (plain data only: loading a cache entry can never run
code, even from a cache directory someone else wrote) and written through a
temporary file and an atomic rename, so two runs can share one cache
directory.  An unreadable, corrupt or foreign entry is a miss.  A cache
directory that cannot be written just turns caching off for the run.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Mapping, NamedTuple, Sequence

from .findings import FileResult, Finding, tally
from .fsio import O_CLOEXEC, read_to_end
from .spool import Spool

__all__ = [
    "cache_folder",
    "ResultCache",
    "CACHE_DIR_NAME",
    "text_key",
    "CachedResult",
    "Collected",
    "ResultSpool",
    "as_result",
    "collected_tables",
    "cross_file_key",
    "entry",
    "load_entry",
]

CACHE_DIR_NAME = ".mtlint_cache"
#: bump when the entry layout changes, including the layout of a table a cross-file rule
#: collects (3: names tables carry block keys, ``checker.names.entities.TABLE_VERSION`` 2):
#: it keys every entry, so a cache written before is never read
LAYOUT = 3

_README = "Signature: 8a477f597d28d172789f06886806bc55\n# mtlint's result cache: safe to delete.\n"


def text_key(runner_fingerprint: str, fmt: str, text: str) -> str:
    h = hashlib.sha256()
    h.update(f"mtlint-cache/{LAYOUT}\0{runner_fingerprint}\0{fmt}\0".encode())
    h.update(text.encode("utf-8", "surrogatepass"))
    return h.hexdigest()


def _read(path: str) -> bytes:
    """A whole file (raw system calls: a rerun reads one entry per file, and
    ``open()``'s buffered file object costs more than the read; entries are
    replaced whole, never written in place)."""
    fd = os.open(path, os.O_RDONLY | O_CLOEXEC | getattr(os, "O_BINARY", 0))
    try:
        return read_to_end(fd, os.fstat(fd).st_size)
    finally:
        os.close(fd)


def cache_folder(explicit: str | None, current_config: Callable[[], Any]) -> Path:
    """Where a run's cache is: ``--cache-dir`` (``explicit``), else ``MTLINT_CACHE_DIR``,
    else ``cache-dir`` of the current folder's configuration (``current_config()``, asked
    only then) under its project root (or the current folder), else ``.mtlint_cache`` there."""
    folder = explicit or os.environ.get("MTLINT_CACHE_DIR")
    if not folder:
        cfg = current_config()
        base = Path(cfg.root) if cfg.root else Path.cwd()
        folder = str(base / (cfg.cache_dir or CACHE_DIR_NAME))
    return Path(folder)


class ResultCache:
    """Per-file results on disk, addressed by ``text_key``."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self._base = os.path.join(str(self.root), f"v{LAYOUT}")
        self._ready: bool | None = None
        self.hits = 0
        self.misses = 0

    def _prepare(self) -> bool:
        if self._ready is None:
            try:
                self.root.mkdir(parents=True, exist_ok=True)
                tag = self.root / "CACHEDIR.TAG"
                if not tag.exists():
                    tag.write_text(_README, encoding="utf-8")
                ignore = self.root / ".gitignore"
                if not ignore.exists():
                    ignore.write_text("# created by mtlint\n*\n", encoding="utf-8")
                self._ready = os.access(self.root, os.W_OK)
            except OSError:
                self._ready = False
        return self._ready

    def _path(self, key: str, area: str = "") -> str:
        # plain strings: a rerun asks for thousands of these (pathlib costs 10x)
        if area:  # records about the run rather than a file's result (``rulesets``)
            return os.path.join(self._base, area, f"{key}.msgpack")
        return f"{self._base}{os.sep}{key[:2]}{os.sep}{key[2:]}.msgpack"

    @property
    def cold(self) -> bool:
        """Whether this cache holds nothing of this layout yet (every lookup would miss)."""
        return not os.path.isdir(self._base)

    def has(self, key: str) -> bool:
        return os.path.isfile(self._path(key))

    def get(self, key: str, area: str = "") -> Mapping[str, Any] | None:
        import msgpack

        try:
            data = _read(self._path(key, area))
            entry = msgpack.unpackb(data, raw=False, strict_map_key=False)
        except (OSError, ValueError, msgpack.UnpackException, TypeError):
            self.misses += 1
            return None
        if not isinstance(entry, dict) or entry.get("key") != key:
            self.misses += 1
            return None
        self.hits += 1
        return entry

    def put_result(self, key: str, result: FileResult, collected: Mapping[str, Any]) -> None:
        """Store a freshly checked file's result (``entry``); one that cannot be stored is not."""
        try:
            data = entry(result, collected)
        except (TypeError, ValueError, OverflowError):  # lone surrogates, integers beyond 64 bits
            return
        self.put(key, data)

    def get_cross_file(self, key: str) -> dict[str, list[Finding]] | None:
        """The cross-file findings stored under ``cross_file_key`` (None: a miss)."""
        stored = self.get(key, "cross-file")
        if stored is None:
            return None
        try:
            return {str(path): [Finding.from_dict(f) for f in found] for path, found in stored["findings"]}
        except (KeyError, TypeError, ValueError):
            return None

    def put_cross_file(self, key: str, found: Mapping[str, Sequence[Finding]]) -> None:
        self.put(key, {"findings": [[path, [f.to_dict() for f in found[path]]] for path in found]}, "cross-file")

    def put(self, key: str, entry: Mapping[str, Any], area: str = "") -> None:
        import msgpack

        if not self._prepare():
            return
        target = self._path(key, area)
        try:
            os.makedirs(os.path.dirname(target), exist_ok=True)
            data = msgpack.packb({**entry, "key": key}, use_bin_type=True)
            fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=os.path.dirname(target))
            try:
                with os.fdopen(fd, "wb") as fh:
                    fh.write(data)
                os.replace(tmp, target)
            except BaseException:
                try:
                    os.unlink(tmp)
                except OSError:
                    pass
                raise
        except (OSError, TypeError, ValueError, OverflowError):
            return  # a cache that cannot be written only costs speed


_SEVERITIES = ("error", "warning", "info")


class Collected(bytes):
    """What a hit's cross-file rules collected, as the cache stored it (msgpack):
    unpacked (``unpack``) only when the cross-file phase has to run."""

    def unpack(self) -> dict[str, Any]:
        import msgpack

        try:
            data = msgpack.unpackb(self, raw=False, strict_map_key=False)
        except (ValueError, msgpack.UnpackException, TypeError):
            return {}
        return data if isinstance(data, dict) else {}

    def __bool__(self) -> bool:
        return self != b"\x80"  # an empty map


def collected_tables(collected: Collected | Mapping[str, Any]) -> Mapping[str, Any]:
    """A file's cross-file tables, from a hit (``Collected``) or a fresh check."""
    return collected.unpack() if type(collected) is Collected else collected  # type: ignore[union-attr]


def cross_file_key(files: Iterable[tuple[str, str]]) -> str:
    """The cross-file phase's key for a run whose contributing files are ``(path,
    entry key)``, in order: each entry key stands for the file's text, settings,
    rules and code, so the same list gives the same cross-file findings."""
    h = hashlib.sha256(f"mtlint-cross-file/{LAYOUT}\0".encode())
    for path, key in files:
        h.update(path.encode("utf-8", "surrogatepass") + b"\0" + key.encode() + b"\n")
    return h.hexdigest()


class CachedResult(NamedTuple):
    """A file's result as the cache stored it, for a file whose result has no
    errors: cheap to carry through the run's spools; ``result()`` decodes it."""

    path: str
    source: str
    #: msgpack of the result's ``to_dict`` (its path is the stored one)
    packed: bytes
    #: ``findings.tally`` of its findings
    tally: tuple[tuple[str, str, str, str, int], ...]
    #: its JSON report entry after the path (``jsondoc.entry_tail``)
    json: str

    def result(self) -> FileResult:
        return _decoded(self.packed, self.path, self.source)


def as_result(record: FileResult | CachedResult) -> FileResult:
    """A run's record as a ``FileResult``."""
    return record.result() if type(record) is CachedResult else record  # type: ignore[union-attr,return-value]


class ResultSpool(Spool):  # type: ignore[type-arg]
    """A spool of a run's results, some kept as the cache stored them (read as ``FileResult``)."""

    def __init__(self) -> None:
        super().__init__(decode=as_result)

    def json_entries(self) -> Iterator[FileResult | tuple[str, str]]:
        """Each result, or for a hit kept as stored its path and JSON entry text (``jsondoc``)."""
        for record in self.records():
            yield (record.path, record.json) if type(record) is CachedResult else record


def entry(result: FileResult, collected: Mapping[str, Any]) -> dict[str, Any]:
    """The cache entry for a freshly checked ``result`` (see the module's docstring);
    raises ``ValueError``, ``TypeError`` or ``OverflowError`` for a result msgpack
    cannot hold (text with lone surrogates, an integer beyond 64 bits)."""
    import msgpack

    from .jsondoc import entry_tail

    # without the path: a hit takes the path of the file it serves (and a file
    # name that is not UTF-8 cannot be packed)
    packed = msgpack.packb({**result.to_dict(), "path": ""}, use_bin_type=True)
    out: dict[str, Any] = {"result": packed, "collected": msgpack.packb(collected, use_bin_type=True)}
    if not result.errors:
        # written from the result as a hit decodes it, so that it is the same text
        stored = FileResult.from_dict(msgpack.unpackb(packed, raw=False, strict_map_key=False))
        tail = entry_tail(stored)
        if tail is not None:
            out["json"] = tail
            out["tally"] = tally(stored.findings)
    return out


def load_entry(data: Mapping[str, Any], path: str, source: str) -> tuple[FileResult | CachedResult, Collected]:
    """A hit's record for the file at ``path`` and what its cross-file rules collected
    (raises ``KeyError``, ``TypeError`` or ``ValueError`` on an entry not written by ``entry``)."""

    packed, collected = data["result"], data["collected"]
    tail = data.get("json")
    if not isinstance(packed, bytes) or not isinstance(collected, bytes):
        raise TypeError("result is not packed")
    collected = Collected(collected)
    if isinstance(tail, str):
        counted = tuple((str(c), str(n), str(s), str(k), int(x)) for c, n, s, k, x in data["tally"])
        if any(c[2] not in _SEVERITIES or c[4] not in (0, 1, 2) for c in counted):
            raise ValueError("not a tally")
        return CachedResult(path, source, packed, counted, tail), collected
    return _decoded(packed, path, source), collected


def _decoded(packed: bytes, path: str, source: str) -> FileResult:
    """A stored result for the file at ``path`` (the entry may be another file's
    with the same text: the result and its errors take this path)."""
    import msgpack

    d = msgpack.unpackb(packed, raw=False, strict_map_key=False)
    d["path"] = path
    d["errors"] = [{**e, "path": path} for e in d["errors"]]
    return FileResult.from_dict(d, source=source)
