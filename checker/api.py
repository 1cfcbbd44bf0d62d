"""The public entry points: check text, check files, run a whole CLI-style job.

``run()`` is what the CLI calls: it discovers files, finds each file's
config, builds one ``Engine`` per config, checks every file (bad input
becomes an ``InputError`` on that file, never an exception), then runs the
cross-file phase of corpus rules over every file of the run.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping, Sequence

from .config import Config, ConfigError, discover_config, from_mapping, load_config, merge
from .document import Document
from .findings import FileResult, Finding, InputError, Report
from .loaders import SourceFile, discover, load_document, read_source, read_stdin
from .registry import RuleSet, load_ruleset
from .rule import RuleContext
from .score import score_findings
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


def corpus_phase(engine_docs: Sequence[tuple[Engine, FileResult, Document]]) -> dict[str, list[Finding]]:
    """Cross-file findings of corpus rules, in each file's decoded-text coordinates.

    A corpus rule has ``collect(doc, ctx)`` (per file, returns data with spans
    already mapped to the decoded file) and ``check_corpus(collected, ctx)``
    returning ``{path: [Finding]}``; both see only their own rule's data.
    """
    out: dict[str, list[Finding]] = {}
    by_rule: dict[str, tuple[Any, Any, dict[str, Any]]] = {}
    for engine, result, doc in engine_docs:
        for p in engine.rules_for(doc.path):
            rule = p.rule
            if not rule.meta.corpus:
                continue
            services = engine._services_for(rule)
            if services is None:
                continue
            ctx = RuleContext(meta=rule.meta, doc=doc, options=p.options, severity=p.severity, services=services)
            entry = by_rule.setdefault(rule.meta.code, (rule, ctx, {}))
            entry[2][doc.path] = rule.collect(doc, ctx)
    for code, (rule, ctx, collected) in sorted(by_rule.items()):
        if len(collected) < 2:
            continue
        for path, findings in rule.check_corpus(collected, ctx).items():
            out.setdefault(path, []).extend(findings)
    return out


def run(paths: Sequence[str], opts: RunOptions = RunOptions(), *, progress: Callable[[int, int], None] | None = None) -> Report:
    """Check files and folders the way ``mtlint check`` does."""
    cache = _EngineCache(opts)
    results: list[FileResult] = []
    docs: list[tuple[Engine, FileResult, Document]] = []
    targets = list(discover(list(paths)))
    files = [t for t in targets if isinstance(t, str)]
    for t in targets:
        if isinstance(t, InputError):
            results.append(FileResult(path=t.path, errors=(t,)))
    for i, path in enumerate(files):
        engine = cache.engine_for(path)
        result, doc = check_one(engine, path, opts)
        results.append(result)
        if doc is not None:
            docs.append((engine, result, doc))
        if progress:
            progress(i + 1, len(files))
    want_corpus = opts.corpus if opts.corpus is not None else (len(files) > 1)
    if want_corpus and docs:
        extra = corpus_phase(docs)
        if extra:
            merged = []
            for r in results:
                if r.path in extra and r.source is not None:
                    raw_doc = Document(r.source, path=r.path)
                    fresh = finalize_findings(raw_doc, extra[r.path])
                    combined = sorted(r.findings + fresh, key=lambda f: (f.span.start, f.span.end, f.code, f.message))
                    r = replace(r, findings=tuple(combined), score=score_findings(combined, r.words))
                merged.append(r)
            results = merged
    if not cache.engines:
        cache.engine_for(files[0] if files else ".")
    first = next(iter(cache.engines.values()))
    return first.report(results, cache.errors + [n for e in cache.engines.values() for n in e.notices if e is not first])
