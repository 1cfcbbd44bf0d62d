"""Grammar and spelling backends behind one protocol.

A backend takes plain text and returns ``BackendFinding``s: offsets into
that text, a category (``grammar``, ``spelling`` or ``style``), the
backend's own rule id, a message and suggestions.  mtlint rules (the GR
pack) never talk to a backend directly: they ask the engine for the
``backend:grammar`` service, which is a ``GrammarService`` wrapping the
configured backend with

* a per-run cache (see ``GrammarService``): by paragraph for a backend
  whose findings never depend on other paragraphs (Harper: each paragraph
  is checked on its own, so a paragraph repeated across files, boilerplate
  or wire copy, is checked once), by document for one that takes a whole
  document per request (LanguageTool: its paragraphs joined by blank lines,
  offsets split back); the GR rules that share a document pay once.  No
  result depends on which other paragraphs or files were checked, or in
  what order.

Backends are registered by name in ``BACKENDS`` ("module:Class") and
imported only when selected, so ``mtlint check`` without grammar rules
never imports Harper or LanguageTool.
"""

from __future__ import annotations

import importlib
import os
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol, Sequence

from ..findings import Severity

if TYPE_CHECKING:
    from ..config import Config

__all__ = [
    "BackendFinding",
    "Backend",
    "BackendError",
    "GrammarService",
    "BACKENDS",
    "CATEGORY_SEVERITY",
    "make_grammar_service",
    "backend_status",
]

#: backend name -> "module:Class"; a class has ``name``, ``version``,
#: ``check_texts(texts) -> list[list[BackendFinding]]`` (each text checked on
#: its own), optionally ``granularity = "document"`` (give it a whole
#: document per call) and ``warm()``.
BACKENDS: dict[str, str] = {
    "harper": "checker.backends.harper:HarperBackend",
    "languagetool": "checker.backends.languagetool:LanguageToolBackend",
}

#: how a backend category maps to an mtlint severity (rules may override)
CATEGORY_SEVERITY: dict[str, Severity] = {
    "grammar": Severity.WARNING,
    "spelling": Severity.WARNING,
    "style": Severity.INFO,
}

#: the paragraph separator used when batching; offsets never cross it
_JOIN = "\n\n"


@dataclass(frozen=True, slots=True)
class BackendFinding:
    """One backend finding, offsets relative to the text the backend saw."""

    start: int
    end: int
    category: str  # grammar | spelling | style
    rule_id: str
    message: str
    suggestions: tuple[str, ...] = ()
    backend: str = ""
    kind: str = ""  # the backend's own category/kind, for data

    def shifted(self, delta: int) -> "BackendFinding":
        return BackendFinding(self.start + delta, self.end + delta, self.category, self.rule_id, self.message,
                              self.suggestions, self.backend, self.kind)


class BackendError(RuntimeError):
    """A backend could not start or answer; ``fix`` says what to do about it."""

    def __init__(self, cause: str, fix: str = "") -> None:
        self.cause = cause
        self.fix = fix
        super().__init__(f"{cause}; {fix}" if fix else cause)


class Backend(Protocol):
    name: str
    version: str

    def check_texts(self, texts: Sequence[str]) -> list[list[BackendFinding]]:
        """Findings for each text (one call; offsets relative to each text)."""
        ...


@dataclass
class GrammarService:
    """The configured backend plus a bounded result cache.

    Every result is a pure function of the text it is keyed by, so neither
    the cache nor the order or grouping of files can change a finding (the
    same bytes for any ``--jobs``): a *paragraph* backend (Harper, whose
    rules never look past a paragraph) checks each paragraph on its own and
    the cache is keyed by paragraph text, so boilerplate repeated across
    files is checked once; a *document* backend (LanguageTool, one HTTP
    request per call, some rules reading the whole text) gets all of a
    document's paragraphs in one call, and the cache is keyed by the whole
    document.  The cache holds at most ``max_cached`` entries (the oldest
    go first), so memory stays flat over an archive.
    """

    backend: Any
    cache: dict[Any, tuple[BackendFinding, ...]] = field(default_factory=dict)
    required: bool = False
    failed: Any = None
    max_cached: int = 20_000

    @property
    def name(self) -> str:
        return self.backend.name

    @property
    def granularity(self) -> str:
        return getattr(self.backend, "granularity", "paragraph")

    def ready(self) -> bool:
        """Whether a call would answer without waiting for the backend to start."""
        ready = getattr(self.backend, "ready", None)
        return True if ready is None else bool(ready())

    def warm(self) -> None:
        """Return when the backend is ready (Harper: its Linter, built in a thread
        since the service was made, is finished).  Call before forking."""
        warm = getattr(self.backend, "warm", None)
        if warm is not None:
            warm()

    def _remember(self, key: Any, found: tuple[BackendFinding, ...]) -> None:
        cache = self.cache
        if len(cache) >= self.max_cached:
            for old in list(cache)[: max(1, self.max_cached // 4)]:
                del cache[old]
        cache[key] = found

    def _call(self, fn: Any, arg: Any) -> Any:
        if self.failed is not None:
            raise self.failed
        try:
            return fn(self.backend, arg)
        except BackendError as exc:
            from ..services import ServiceUnavailable

            self.failed = ServiceUnavailable(f"grammar backend {self.backend.name} stopped answering: {exc}", fatal=self.required)
            raise self.failed from None

    def check_paragraphs(self, texts: Sequence[str]) -> list[tuple[BackendFinding, ...]]:
        """Findings per paragraph text, each paragraph checked on its own."""
        if self.failed is not None:
            raise self.failed
        got = {t: self.cache[t] for t in texts if t in self.cache}
        todo = sorted({t for t in texts if t not in got and t.strip()})
        if todo:
            for text, found in zip(todo, self._call(lambda b, x: b.check_texts(x), todo)):
                got[text] = tuple(found)
                self._remember(text, got[text])
        # answered from this call's results: an eviction while remembering them changes nothing
        return [got.get(t, ()) for t in texts]

    def _check_whole(self, texts: Sequence[str]) -> list[tuple[BackendFinding, ...]]:
        """Findings per paragraph, all of a document's paragraphs in one call."""
        key = ("document", tuple(texts))
        got = self.cache.get(key)
        if got is None:
            if self.failed is not None:
                raise self.failed
            idx = [i for i, t in enumerate(texts) if t.strip()]
            per = self._call(_batched, [texts[i] for i in idx]) if idx else []
            out: list[tuple[BackendFinding, ...]] = [()] * len(texts)
            for i, found in zip(idx, per):
                out[i] = tuple(found)
            got = tuple(out)  # type: ignore[assignment]
            self._remember(key, got)  # type: ignore[arg-type]
        return list(got)  # type: ignore[arg-type]

    def check_document(self, doc: Any) -> list[BackendFinding]:
        """Findings for every paragraph of ``doc``, in document offsets."""
        paras = doc.paragraphs
        texts = [doc.text[p.start : p.end] for p in paras]
        per = self._check_whole(texts) if self.granularity == "document" else self.check_paragraphs(texts)
        out: list[BackendFinding] = []
        for p, found in zip(paras, per):
            out.extend(f.shifted(p.start) for f in found)
        return out


def _batched(backend: Any, texts: list[str]) -> list[list[BackendFinding]]:
    """One backend call for a document's paragraphs; findings split back per paragraph.

    Paragraph texts never contain a blank line (that is what separates
    them), so joining by one keeps every finding inside its paragraph;
    a finding that straddles a join (a backend quirk) is dropped.
    """
    import bisect

    joined = _JOIN.join(texts)
    starts, pos = [], 0
    for t in texts:
        starts.append(pos)
        pos += len(t) + len(_JOIN)
    per: list[list[BackendFinding]] = [[] for _ in texts]
    for f in backend.check_texts([joined])[0]:
        i = bisect.bisect_right(starts, f.start) - 1
        if i < 0 or f.end > starts[i] + len(texts[i]):
            continue
        per[i].append(f.shifted(-starts[i]))
    return per


def load_backend_class(name: str) -> Any:
    target = BACKENDS.get(name)
    if target is None:
        raise BackendError(f"unknown grammar backend {name!r}", f"use one of: {', '.join(sorted(BACKENDS))} or none")
    module, _, attr = target.partition(":")
    return getattr(importlib.import_module(module), attr)


def make_grammar_service(config: "Config") -> GrammarService:
    """Service factory for ``backend:grammar`` (see ``SERVICE_FACTORIES``)."""
    from ..services import ServiceUnavailable

    gcfg = config.grammar
    if gcfg.backend == "none":
        raise ServiceUnavailable("grammar backend is off (grammar.backend = \"none\")", quiet=True)
    try:
        cls = load_backend_class(gcfg.backend)
        backend = cls.from_config(config)
    except BackendError as exc:
        raise ServiceUnavailable(f"grammar backend {gcfg.backend}: {exc}", fatal=gcfg.required) from None
    except ImportError as exc:
        raise ServiceUnavailable(
            f"grammar backend {gcfg.backend}: cannot import {exc.name or exc}; fix: pip install 'mtlint[{gcfg.backend}]'",
            fatal=gcfg.required,
        ) from None
    return GrammarService(backend, required=gcfg.required)


def backend_status(config: "Config") -> list[dict[str, Any]]:
    """What ``mtlint doctor`` prints: per backend, available?, version, how to enable."""
    out = []
    for name in BACKENDS:
        try:
            cls = load_backend_class(name)
            info = cls.status(config)
        except ImportError as exc:
            info = {"available": False, "version": "", "detail": f"not installed ({exc.name or exc})",
                    "enable": f"pip install 'mtlint[{name}]'"}
        info = {"name": name, "in_use": config.grammar.backend == name, **info}
        out.append(info)
    return out


def env_url() -> str:
    return os.environ.get("MTLINT_LANGUAGETOOL_URL", "").strip()
