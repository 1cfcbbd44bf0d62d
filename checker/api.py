"""The public entry points: check text, check files, run a whole CLI-style job.

``run()`` is what the CLI calls: it discovers files, finds each file's
config, builds one ``Engine`` per config, checks every file (bad input
becomes an ``InputError`` on that file, never an exception), then runs the
cross-file phase of corpus rules over every file of the run.
"""

from __future__ import annotations

import copyreg
import os
from types import MappingProxyType
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Callable, Mapping, Sequence

from .config import Config, ConfigError, discover_config, from_mapping, load_config, merge
from .document import Document
from .findings import FileResult, Finding, InputError, Report
from .loaders import SourceFile, discover, load_document, read_source, read_stdin
from .registry import RuleSet, load_ruleset
from .rule import RuleContext
from .score import score_file
from .runner import Engine, finalize_findings

__all__ = ["check_text", "run", "RunOptions", "build_engine"]


@dataclass(frozen=True)
class RunOptions:
    """What the command line adds to configuration files."""

    config_path: str | None = None
    overrides: Mapping[str, Any] = field(default_factory=dict)
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


class _EngineCache:
    def __init__(self, opts: RunOptions) -> None:
        self.opts = opts
        self.engines: dict[str, Engine] = {}
        self.rulesets: dict[tuple[Path, ...], tuple[RuleSet, list[InputError]]] = {}
        self.errors: list[InputError] = []
        self._reported: set[str] = set()
        self._config_for_dir: dict[Path, str] = {}

    def _config_source(self, path: str) -> str:
        if self.opts.config_path:
            return self.opts.config_path
        start = Path.cwd() if path == "-" else Path(path).resolve().parent
        if start in self._config_for_dir:
            return self._config_for_dir[start]
        found = discover_config(start)
        key = str(found) if found else ""
        self._config_for_dir[start] = key
        return key

    def engine_for(self, path: str) -> Engine:
        source = self._config_source(path)
        if source in self.engines:
            return self.engines[source]
        try:
            cfg = load_config(Path(source)) if source else Config()
        except ConfigError as exc:
            self._error(InputError(exc.path, "config", str(exc).split(": ", 1)[1] if ": " in str(exc) else str(exc)))
            cfg = Config()
        try:
            cfg = merge(cfg, dict(self.opts.overrides))
        except (TypeError, ValueError) as exc:  # pragma: no cover - CLI validates
            self._error(InputError("<command line>", "config", str(exc)))
        dirs = cfg.pack_dirs()
        if dirs not in self.rulesets:
            self.rulesets[dirs] = load_ruleset(dirs)
            for e in self.rulesets[dirs][1]:
                self._error(e)
        ruleset = self.rulesets[dirs][0]
        try:
            cfg.validate_refs(ruleset)
            engine = Engine(ruleset, cfg)
        except ConfigError as exc:
            self._error(InputError(exc.path, "config", f"key '{exc.key}': {exc.problem}" if exc.key else exc.problem))
            engine = Engine(ruleset, replace(Config(), fail_on=cfg.fail_on))
        self.engines[source] = engine
        return engine

    def _error(self, err: InputError) -> None:
        key = f"{err.path}|{err.message}"
        if key not in self._reported:
            self._reported.add(key)
            self.errors.append(err)


def build_engine(config: Config | Mapping[str, Any] | None = None, *, packs: Sequence[Path] = ()) -> Engine:
    """An engine for library use; raises ``ConfigError`` on bad config."""
    if config is None:
        cfg = Config()
    elif isinstance(config, Config):
        cfg = config
    else:
        cfg = from_mapping(config, "<config>")
    ruleset, errors = load_ruleset(tuple(packs) + cfg.pack_dirs())
    if errors:
        raise ConfigError(errors[0].path, "", errors[0].message)
    cfg.validate_refs(ruleset)
    return Engine(ruleset, cfg)


def check_text(text: str, *, config: Config | Mapping[str, Any] | None = None, path: str = "<text>") -> FileResult:
    """Check one string of plain text with the default (or given) config."""
    return build_engine(config).check_text(text, path)


def _read(path: str, opts: RunOptions, max_size: int) -> SourceFile | InputError:
    if path == "-":
        return read_stdin(opts.stdin_name, opts.stdin_format, max_size=max_size)
    return read_source(path, max_size=max_size)


def check_one(engine: Engine, path: str, opts: RunOptions) -> tuple[FileResult, Document | None]:
    """Read, load and check one file; every problem becomes an ``InputError``."""
    src = _read(path, opts, engine.config.max_file_size)
    if isinstance(src, InputError):
        return FileResult(path=src.path, errors=(src,)), None
    if not src.text.strip():
        note = InputError(src.path, "empty", "is empty (nothing to check)", fatal=False)
        return FileResult(path=src.path, errors=(note,), source=src.text, format=src.format), None
    try:
        doc = load_document(src, engine.config)
    except Exception as exc:  # a loader bug must not stop the run
        return FileResult(path=src.path, errors=(InputError(src.path, "unreadable", f"could not be parsed as {src.format}: {exc}"),)), None
    return engine.check_document(doc), doc


@dataclass
class _Outcome:
    """What checking one file yields (picklable: it crosses process boundaries)."""

    result: FileResult
    #: corpus rule code -> that rule's ``collect`` data for this file
    collected: dict[str, Any]
    #: config errors and engine notices first seen while checking this file
    notices: list[InputError]


class _Worker:
    """Checks files one by one with its own engine cache (one per process)."""

    def __init__(self, opts: RunOptions, corpus: bool, cache: _EngineCache | None = None) -> None:
        self.cache = cache or _EngineCache(opts)
        self.opts = opts
        self.corpus = corpus
        self._sent = 0
        self._sent_engine: dict[int, int] = {}

    def _new_notices(self) -> list[InputError]:
        out = self.cache.errors[self._sent :]
        self._sent = len(self.cache.errors)
        for engine in self.cache.engines.values():
            done = self._sent_engine.get(id(engine), 0)
            out = out + engine.notices[done:]
            self._sent_engine[id(engine)] = len(engine.notices)
        return list(out)

    def check(self, path: str) -> _Outcome:
        engine = self.cache.engine_for(path)
        result, doc = check_one(engine, path, self.opts)
        collected: dict[str, Any] = {}
        if self.corpus and doc is not None:
            errors = []
            for p in engine.rules_for(doc.path):
                rule = p.rule
                if not rule.meta.corpus:
                    continue
                services = engine._services_for(rule)
                if services is None:  # a service it needs is missing: notice already given
                    continue
                ctx = RuleContext(meta=rule.meta, doc=doc, options=p.options, severity=p.severity, services=services)
                try:
                    collected[rule.meta.code] = rule.collect(doc, ctx)
                except Exception as exc:  # a broken corpus rule must not stop the run
                    errors.append(InputError(doc.path, "rule-crash", f"rule {rule.meta.code} failed collecting: {type(exc).__name__}: {exc}"))
            if errors:
                result = replace(result, errors=result.errors + tuple(errors))
        return _Outcome(result, collected, self._new_notices())


def _mappingproxy(d: dict[str, Any]) -> Any:
    return MappingProxyType(d)


def _reduce_mappingproxy(m: Any) -> tuple[Any, tuple[dict[str, Any]]]:
    return _mappingproxy, (dict(m),)


# findings and results keep read-only mappings; let them cross process boundaries
copyreg.pickle(MappingProxyType, _reduce_mappingproxy)

#: the worker of a ``--jobs`` process (one per process, set by its initializer)
_PROCESS_WORKER: _Worker | None = None


def _init_process(opts: RunOptions, corpus: bool) -> None:
    global _PROCESS_WORKER
    _PROCESS_WORKER = _Worker(opts, corpus)


def _check_in_process(path: str) -> _Outcome:
    assert _PROCESS_WORKER is not None
    return _PROCESS_WORKER.check(path)


def corpus_phase(
    cache: _EngineCache, outcomes: Sequence[_Outcome]
) -> tuple[dict[str, list[Finding]], list[InputError]]:
    """Cross-file findings of corpus rules, in each file's decoded-text coordinates.

    A corpus rule has ``collect(doc, ctx)`` (per file, in whichever process
    checked it; returns data with spans already mapped to the decoded file)
    and ``check_corpus(collected, ctx)`` returning ``{path: [Finding]}``, run
    once here over every file of the run; both see only their own rule's data.
    """
    out: dict[str, list[Finding]] = {}
    errors: list[InputError] = []
    by_rule: dict[str, tuple[Any, Any, dict[str, Any]]] = {}
    for o in outcomes:
        if not o.collected:
            continue
        r = o.result
        engine = cache.engine_for(r.path)
        for p in engine.rules_for(r.path):
            code = p.rule.meta.code
            if code not in o.collected:
                continue
            if code not in by_rule:
                services = engine._services_for(p.rule)
                if services is None:
                    continue
                doc = Document(r.source or "", path=r.path)
                ctx = RuleContext(meta=p.rule.meta, doc=doc, options=p.options, severity=p.severity, services=services)
                by_rule[code] = (p.rule, ctx, {})
            by_rule[code][2][r.path] = o.collected[code]
    for code, (rule, ctx, collected) in sorted(by_rule.items()):
        if len(collected) < 2:
            continue
        try:
            produced = rule.check_corpus(collected, ctx)
        except Exception as exc:
            errors.append(InputError("mtlint", "rule-crash", f"rule {code} failed in the cross-file phase: {type(exc).__name__}: {exc}"))
            continue
        for path, findings in produced.items():
            out.setdefault(path, []).extend(findings)
    return out, errors


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


#: below this many files a process pool costs more than it saves
_POOL_MIN_FILES = 8


def _outcomes(files: Sequence[str], opts: RunOptions, worker: _Worker, jobs: int, progress: Callable[[int, int], None] | None) -> list[_Outcome]:
    total = len(files)
    if jobs <= 1 or total < _POOL_MIN_FILES or files == ["-"]:
        out = []
        for i, path in enumerate(files):
            out.append(worker.check(path))
            if progress:
                progress(i + 1, total)
        return out
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    methods = multiprocessing.get_all_start_methods()
    ctx = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    jobs = min(jobs, total)
    chunk = max(1, min(32, total // (jobs * 8)))
    out = []
    try:
        with ProcessPoolExecutor(max_workers=jobs, mp_context=ctx, initializer=_init_process, initargs=(opts, worker.corpus)) as pool:
            for i, o in enumerate(pool.map(_check_in_process, files, chunksize=chunk)):
                out.append(o)
                if progress:
                    progress(i + 1, total)
    except Exception as exc:  # a pool that breaks (a worker killed, say) must not lose the run
        rest = _outcomes(files[len(out) :], opts, worker, 1, None)
        if rest:
            note = InputError("mtlint", "jobs", f"parallel checking failed ({type(exc).__name__}: {exc}); checked the rest in one process", fatal=False)
            rest[0].notices.insert(0, note)
        out.extend(rest)
    return out


def _baseline_for(engine: Engine, opts: RunOptions, loaded: dict[str, Any]) -> Any:
    from .suppress import load_baseline

    path = opts.baseline or ""
    if not path and engine.config.baseline:
        path = str(Path(engine.config.root or ".") / engine.config.baseline)
    if not path:
        return None
    if path not in loaded:
        loaded[path] = load_baseline(path)
    return loaded[path]


def run(paths: Sequence[str], opts: RunOptions = RunOptions(), *, progress: Callable[[int, int], None] | None = None) -> Report:
    """Check files and folders the way ``mtlint check`` does.

    Files are checked in ``opts.jobs`` processes (each with its own engines);
    results come back in discovery order, so the report is identical for any
    number of jobs.  Corpus rules collect per file in the workers and run
    their cross-file check here, over every file.
    """
    cache = _EngineCache(opts)
    targets = list(discover(list(paths)))
    files = [t for t in targets if isinstance(t, str)]
    want_corpus = opts.corpus if opts.corpus is not None else (len(files) > 1)
    worker = _Worker(opts, want_corpus, cache)
    jobs = opts.jobs if opts.jobs and opts.jobs > 0 else default_jobs()
    if jobs > 1 and len(files) >= _POOL_MIN_FILES:
        cache.engine_for(files[0])  # the parent needs engines too (corpus, report)
    outcomes = _outcomes(files, opts, worker, jobs, progress)

    notices: list[InputError] = []
    seen: set[tuple[str, str]] = set()

    def note(err: InputError) -> None:
        key = (err.path, err.message)
        if key not in seen:
            seen.add(key)
            notices.append(err)

    for o in outcomes:
        for n in o.notices:
            note(n)
    results: list[FileResult] = [FileResult(path=t.path, errors=(t,)) for t in targets if isinstance(t, InputError)]
    results.extend(o.result for o in outcomes)

    if want_corpus and any(o.collected for o in outcomes):
        extra, errors = corpus_phase(cache, outcomes)
        for e in errors:
            note(e)
        if extra:
            merged = []
            for r in results:
                if r.path in extra and r.source is not None:
                    engine = cache.engine_for(r.path)
                    raw_doc = Document(r.source, path=r.path)
                    fresh, _ = engine.suppress(r.path, r.source, finalize_findings(raw_doc, extra[r.path]))
                    combined = sorted(r.findings + fresh, key=Finding.sort_key)
                    r = replace(r, findings=tuple(combined), score=score_file(combined, r.words, r.metrics))
                merged.append(r)
            results = merged

    if not cache.engines:
        cache.engine_for(files[0] if files else ".")
    for e in cache.errors:
        note(e)
    first = next(iter(cache.engines.values()))
    for engine in cache.engines.values():
        for n in engine.notices:
            note(n)

    if opts.write_baseline:
        from .suppress import write_baseline

        try:
            n = write_baseline(results, opts.write_baseline)
            note(InputError(opts.write_baseline, "baseline", f"wrote {n} finding{'s' if n != 1 else ''} to the baseline", fatal=False))
        except OSError as exc:
            note(InputError(opts.write_baseline, "baseline", f"cannot write the baseline: {exc.strerror or exc}"))
    results = _apply_baselines(results, cache, opts, note)
    return first.report(results, notices, include_engine_notices=False)


def _apply_baselines(results: list[FileResult], cache: _EngineCache, opts: RunOptions, note: Callable[[InputError], None]) -> list[FileResult]:
    from .suppress import Baseline

    loaded: dict[str, Any] = {}
    if opts.write_baseline:
        from .suppress import load_baseline

        loaded[opts.baseline or ""] = load_baseline(opts.write_baseline)
    counts: dict[str, int] = {}
    out = []
    for r in results:
        if r.findings:
            engine = cache.engine_for(r.path)
            base = loaded.get(opts.baseline or "") if opts.write_baseline else _baseline_for(engine, opts, loaded)
            if isinstance(base, Baseline):
                r, dropped = base.filter(r)
                counts[base.source] = counts.get(base.source, 0) + dropped
        out.append(r)
    for source, base in loaded.items():
        if isinstance(base, InputError):
            note(base)
    for source, n in counts.items():
        note(InputError(source, "baseline", f"{n} finding{'s' if n != 1 else ''} matched the baseline and {'were' if n != 1 else 'was'} not reported", fatal=False))
    return out
