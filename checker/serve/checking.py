"""The server's checker: one warm engine, many requests.

``Checker`` keeps one ``checker.engine.Session`` for the life of the server,
so the rule tables and the grammar backend load once (``warm()`` at start),
and one ``Engine`` per distinct set of request overrides (select, ignore),
at most ``MAX_ENGINES`` of them.  Every check runs on one worker thread:
rules, the Harper backend and the engine's per-configuration caches are
never touched by two requests at once, and a request the time limit gave up
on cannot corrupt the next one (it finishes in the background; later
requests wait behind it, which the time limit bounds too).

No web framework here: ``checker.serve.app`` turns these calls into HTTP.
"""

from __future__ import annotations

import concurrent.futures
import os
from collections import OrderedDict
from pathlib import Path
from dataclasses import dataclass, field
from typing import Any, Mapping

from ..config import closest_rule, discover_config
from ..engine import Engine, RunOptions, Session
from ..findings import FileResult, InputError
from ..fixes import fix_text
from ..loaders import LOADERS, SourceFile, load_document
from ..rule import Status
from . import languagetool as lt

__all__ = ["Checker", "CheckRequest", "Overrides", "RequestError", "FORMATS"]

FORMATS = tuple(LOADERS)  # the formats a request can be checked as: the loader registry
#: request override keys and the config keys they set
_OVERRIDE_KEYS = ("select", "extend_select", "ignore")


class RequestError(ValueError):
    """A request mtlint cannot check as asked (a 4xx answer); ``status`` is the HTTP status."""

    def __init__(self, message: str, status: int = 400, *, kind: str = "bad-request", detail: Any = None) -> None:
        super().__init__(message)
        self.status = status
        self.kind = kind
        self.detail = detail


@dataclass(frozen=True)
class Overrides:
    """Per-request rule selection, merged over the server's configuration."""

    select: tuple[str, ...] | None = None
    extend_select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] | None = None

    def as_config(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in _OVERRIDE_KEYS if getattr(self, k) is not None}


@dataclass(frozen=True)
class CheckRequest:
    text: str
    format: str = "text"
    overrides: Overrides = field(default_factory=Overrides)
    path: str = "<text>"


class Checker:
    """Checks texts for the server with one shared ``Session`` on one thread."""

    MAX_ENGINES = 32

    def __init__(self, config_path: str | None = None, *, session: Session | None = None) -> None:
        if not config_path:  # the server's folder decides, once, not the folder a request runs in
            found = discover_config(Path.cwd())
            config_path = str(found) if found else None
        self.config_path = os.path.abspath(config_path) if config_path else None
        self.session = session or Session()
        self._engines: OrderedDict[tuple[Any, ...], Engine] = OrderedDict()
        self._pool = concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="mtlint-check")
        self.notices: list[InputError] = []

    # -- on the worker thread -------------------------------------------------------
    def start(self, *, warm: bool = True) -> list[InputError]:
        """Load the configuration, rules and (``warm``) services; the configuration's
        errors (a broken ``--config``) are returned: the server must not start."""
        return self._pool.submit(self._start, warm).result()

    def _start(self, warm: bool) -> list[InputError]:
        engine = self._engine(Overrides())
        runner = engine.runner_for("<text>")
        errors = [e for e in engine.errors() if e.fatal]
        if errors or not warm:
            return errors
        runner.warm()
        self.notices = list(runner.notices)
        return []

    def _engine(self, overrides: Overrides) -> Engine:
        key = tuple(sorted(overrides.as_config().items()))
        engine = self._engines.get(key)
        if engine is not None:
            self._engines.move_to_end(key)
            return engine
        if key:
            self._validate(overrides)
        engine = Engine(RunOptions(config_path=self.config_path, overrides=overrides.as_config(), cache=False, corpus=False), session=self.session)
        while len(self._engines) >= self.MAX_ENGINES:
            self._engines.popitem(last=False)
        self._engines[key] = engine
        return engine

    def _ruleset(self) -> Any:
        base = self._engine(Overrides())
        ruleset, _ = self.session.ruleset(base.config_for("<text>").pack_dirs())
        return ruleset

    def _validate(self, overrides: Overrides) -> None:
        ruleset = self._ruleset()
        unknown = []
        for key in _OVERRIDE_KEYS:
            for ref in getattr(overrides, key) or ():
                if not ruleset.is_known_ref(ref):
                    unknown.append((key, ref))
        if unknown:
            parts = []
            for key, ref in unknown:
                close = closest_rule(ref, ruleset)
                parts.append(f"{key}: unknown rule {ref!r}" + (f" (did you mean {close!r}?)" if close else ""))
            raise RequestError("; ".join(parts) + " (see GET /api/v1/rules)", 400, kind="unknown-rule", detail=[ref for _, ref in unknown])

    def _check(self, req: CheckRequest) -> tuple[FileResult, Any]:
        engine = self._engine(req.overrides)
        runner = engine.runner_for(req.path)
        doc = load_document(SourceFile(req.path, req.text, req.format), runner.config)
        return runner.check_document(doc), doc

    def _fix(self, req: CheckRequest, unsafe: bool) -> tuple[str, dict[str, int]]:
        engine = self._engine(req.overrides)
        runner = engine.runner_for(req.path)
        result, _ = self._check(req)
        new, applied = fix_text(req.text, req.path, req.format, result.findings, runner, unsafe=unsafe)
        return new, dict(sorted(applied.items()))

    def _rules(self) -> list[dict[str, Any]]:
        rules = []
        for r in self._ruleset():
            m = r.meta
            if m.status not in (Status.STABLE, Status.DEPRECATED, Status.PREVIEW):
                continue
            rules.append({
                "code": m.code, "name": m.name, "category": m.category, "severity": str(m.severity),
                "status": str(m.status), "fixable": str(m.fixable), "kind": m.kind, "summary": m.summary,
            })
        return rules

    def _meta(self) -> Mapping[str, Any]:
        return {r.meta.code: r.meta for r in self._ruleset()}

    # -- the public calls (any thread) ----------------------------------------------
    def submit(self, fn: Any, *args: Any) -> concurrent.futures.Future:
        return self._pool.submit(fn, *args)

    def check(self, req: CheckRequest) -> FileResult:
        """``req`` checked: the JSON report's file entry as a ``FileResult``."""
        _validate_text(req)
        return self._check(req)[0]

    def fix(self, req: CheckRequest, unsafe: bool = False) -> tuple[str, dict[str, int]]:
        """``req.text`` with fixes applied and re-checked, as ``mtlint check --fix`` does."""
        _validate_text(req)
        return self._fix(req, unsafe)

    def rules(self) -> list[dict[str, Any]]:
        return self._rules()

    def languagetool(self, fields: Mapping[str, str]) -> dict[str, Any]:
        """A ``/v2/check`` request (its form fields) answered the way LanguageTool does."""
        language = lt.language_for(fields.get("language"))
        if fields.get("data") is not None:
            annotated = lt.parse_annotated(fields["data"])
        elif fields.get("text") is not None:
            annotated = lt.AnnotatedText(fields["text"], fields["text"])
        else:
            raise RequestError("missing 'text' or 'data'", 400)
        enabled = lt.split_ids(fields.get("enabledRules")) + lt.split_ids(fields.get("enabledCategories"))
        disabled = lt.split_ids(fields.get("disabledRules")) + lt.split_ids(fields.get("disabledCategories"))
        only = (fields.get("enabledOnly") or "").strip().lower() == "true"
        if only and not enabled:
            raise RequestError("enabledOnly=true needs enabledRules or enabledCategories", 400)
        ruleset = self._ruleset()
        # clients send LanguageTool's own rule ids in disabledRules (WHITESPACE_RULE...):
        # mtlint does not have them, so nothing needs disabling; unknown enabled rules are an error
        disabled = [d for d in disabled if ruleset.is_known_ref(d)]
        overrides = Overrides(
            select=tuple(enabled) if only else None,
            extend_select=tuple(enabled) if enabled and not only else None,
            ignore=tuple(disabled) if disabled else None,
        )
        if not annotated.document:
            raise RequestError("the text is empty (nothing to check)", 400, kind="empty")
        if not annotated.plain.strip():
            return lt.response([], language)
        req = CheckRequest(annotated.plain, "text", overrides)
        result, doc = self._check(req)
        meta = self._meta()
        units = lt.Utf16(annotated.document)
        matches = []
        for f in lt.sort_matches(result.findings):
            # the checked text is plain text: finding, sentence and document offsets agree
            sentence = doc.sentence_at(min(f.start, max(len(doc.text) - 1, 0)))
            span = (sentence.start, sentence.end) if sentence is not None else None
            matches.append(lt.to_match(f, annotated.plain, annotated, units, span, meta.get(f.code)))
        return lt.response(matches, language)

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)


def _validate_text(req: CheckRequest) -> None:
    if req.format not in FORMATS:
        raise RequestError(f"unknown format {req.format!r} (expected one of: {', '.join(FORMATS)})", 400)
    if not req.text.strip():
        raise RequestError("the text is empty (nothing to check)", 400, kind="empty")
