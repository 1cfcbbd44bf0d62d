"""The public entry points: check text, check files, run a whole CLI-style job.

Thin faces over ``checker.engine.Engine``, which owns the run.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable, Mapping, Sequence

from .config import Config, ConfigError, from_mapping
from .engine import Engine, RunOptions, Session
from .findings import FileResult, Report
from .registry import load_ruleset
from .runner import RuleRunner

__all__ = ["check_text", "run", "RunOptions", "build_engine", "Engine", "Session"]


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


def check_text(text: str, *, config: Config | Mapping[str, Any] | None = None, path: str = "<text>") -> FileResult:
    """Check one string of plain text with the default (or given) config."""
    return build_engine(config).check_text(text, path)


def run(paths: Sequence[str], opts: RunOptions = RunOptions(), *, progress: Callable[[int, int], None] | None = None, session: Session | None = None) -> Report:
    """Check files and folders the way ``mtlint check`` does (see ``Engine.run``)."""
    return Engine(opts, session=session).run(paths, progress)
