"""The public entry points (``import mtlint`` re-exports them; docs/api.md).

Thin faces over ``checker.engine.Engine``, which owns the run.  ``Checker`` is
the reusable one: it validates its configuration once, keeps one ``Engine``
and its ``Session`` (rule tables, the grammar backend, prepared runners), so
repeated ``check_text`` calls pay only for checking.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Callable, Literal, Mapping, Sequence, Union

from .config import Config, ConfigError, from_mapping, load_config, merge
from .engine import Engine, RunOptions, Session
from .findings import FileResult, Finding, InputError, Report, Severity
from .fixes import fix_text
from .loaders import LOADERS, detect_format
from .registry import load_ruleset
from .runner import RuleRunner

__all__ = [
    "Checker",
    "check_text",
    "run",
    "RunOptions",
    "build_engine",
    "Engine",
    "Session",
    "Report",
    "FileResult",
    "Finding",
    "InputError",
    "Severity",
    "Config",
    "ConfigError",
    "TextFormat",
    "ConfigLike",
]

#: the formats a text can be checked as
TextFormat = Literal["text", "markdown", "html"]
_FORMATS: tuple[str, ...] = tuple(LOADERS)
#: a configuration: a ``Config``, a mapping shaped like ``[tool.mtlint]``, or
#: the path of a ``.mtlint.toml`` / ``pyproject.toml``; None: the packaged defaults
ConfigLike = Union[Config, Mapping[str, Any], str, "os.PathLike[str]", None]


def _config(config: ConfigLike) -> Config:
    if config is None:
        return Config()
    if isinstance(config, Config):
        return config
    if isinstance(config, (str, os.PathLike)):
        return load_config(Path(config))
    if isinstance(config, Mapping):
        return from_mapping(config, "<config>")
    raise TypeError(f"config must be a Config, a mapping or a path, not {type(config).__name__}")


class Checker:
    """A reusable checker: configure once, check many texts and files.

    ``config`` is a mapping shaped like the ``[tool.mtlint]`` table, a path
    to a config file, or a ``Config`` (None: the packaged defaults; no
    config file is looked for).  ``select``, ``ignore`` and ``fail_on`` are
    merged over it, as the command line's options are.  A bad configuration
    raises ``ConfigError`` here, before anything is checked.

    The rules, their tables and the grammar backend load once (on the first
    check) and stay loaded, so later calls only check.  A ``Checker`` is
    not thread-safe: use one per thread (they can share a ``Session``).
    ``cache``: use the on-disk result cache for ``check_paths`` (off by
    default: a library should not write folders unasked).
    """

    def __init__(
        self,
        config: ConfigLike = None,
        *,
        select: Sequence[str] | None = None,
        ignore: Sequence[str] | None = None,
        fail_on: str | Severity | None = None,
        session: Session | None = None,
        cache: bool = False,
        jobs: int = 1,
    ) -> None:
        cfg = _config(config)
        overrides: dict[str, Any] = {}
        if select is not None:
            overrides["select"] = tuple(select)
        if ignore is not None:
            overrides["ignore"] = tuple(ignore)
        if fail_on is not None:
            overrides["fail_on"] = Severity.parse(fail_on)
        cfg = merge(cfg, overrides)
        self.session: Session = session or Session()
        ruleset, errors = self.session.ruleset(cfg.pack_dirs())
        if errors:
            raise ConfigError(errors[0].path, "", errors[0].message)
        cfg.validate_refs(ruleset)  # unknown rule references raise, with a close match
        self.config: Config = cfg
        self.engine: Engine = Engine(RunOptions(config=cfg, cache=cache, jobs=jobs), session=self.session)

    def check_text(self, text: str, *, format: TextFormat | None = None, path: str = "<text>") -> FileResult:
        """Check one string as a file of ``format`` would be checked.

        ``format``: ``"text"``, ``"markdown"`` or ``"html"``; by default it
        follows ``path``'s extension (``story.md`` is Markdown), else text.
        Positions in the findings are offsets into ``text``.
        """
        fmt = format or (detect_format(path) if path != "<text>" else "text")
        if fmt not in _FORMATS:
            raise ValueError(f"unknown format {format!r} (expected one of: {', '.join(_FORMATS)})")
        return self.engine.check_text(text, path=path, format=fmt)

    def fixed_text(self, text: str, *, format: TextFormat | None = None, path: str = "<text>", unsafe: bool = False) -> str:
        """``text`` with its safe fixes applied (and ``unsafe`` ones if asked),
        re-checked between passes: what ``mtlint check --fix`` would write."""
        result = self.check_text(text, format=format, path=path)
        if result.source is None:
            return text
        new, _applied = fix_text(text, path, result.format, result.findings, self.engine.runner_for(path), unsafe=unsafe)
        return new

    def check_paths(self, paths: Sequence[str | os.PathLike[str]], *, progress: Callable[[int, int], None] | None = None) -> Report:
        """Check files and folders as ``mtlint check`` does (cross-file name
        checks when more than one file is checked); ``Report.to_json()`` gives
        the JSON report."""
        return self.engine.run([os.fspath(p) for p in paths], progress)


def build_engine(config: Config | Mapping[str, Any] | None = None, *, packs: Sequence[Path] = ()) -> RuleRunner:
    """The rules of ``config`` ready to check documents; raises ``ConfigError`` on bad config."""
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
    return RuleRunner(ruleset, cfg)


def check_text(text: str, *, config: ConfigLike = None, format: TextFormat | None = None, path: str = "<text>") -> FileResult:
    """Check one string once (builds a ``Checker``; for many texts keep one)."""
    return Checker(config).check_text(text, format=format, path=path)


def run(paths: Sequence[str], opts: RunOptions = RunOptions(), *, progress: Callable[[int, int], None] | None = None, session: Session | None = None) -> Report:
    """Check files and folders the way ``mtlint check`` does (see ``Engine.run``)."""
    return Engine(opts, session=session).run(paths, progress)
