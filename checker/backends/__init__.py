"""Grammar and spelling backends behind one protocol.

A backend takes plain text and returns ``BackendFinding``s: offsets into
that text, a category (``grammar``, ``spelling`` or ``style``), the
backend's own rule id, a message and suggestions.  mtlint rules (the GR
pack) never talk to a backend directly: they ask the engine for the
``backend:grammar`` service, which is a ``GrammarService`` wrapping the
configured backend with

* batching: all paragraphs of a document that are not cached yet go to the
  backend in one call (joined by blank lines, offsets split back);
* a per-run cache keyed by paragraph text, so a paragraph repeated across
  files (boilerplate, wire copy) is checked once, and the GR rules that
  share a document pay once.

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

#: backend name -> "module:Class"; a class has ``name``, ``version`` and
#: ``check_texts(texts) -> list[list[BackendFinding]]``.
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
    """The configured backend plus per-run batching and paragraph cache."""

    backend: Any
    cache: dict[str, tuple[BackendFinding, ...]] = field(default_factory=dict)
    required: bool = False
    failed: Any = None

    @property
    def name(self) -> str:
        return self.backend.name

    def check_paragraphs(self, texts: Sequence[str]) -> list[tuple[BackendFinding, ...]]:
        """Findings per paragraph text; uncached paragraphs go in one batch."""
        if self.failed is not None:
            raise self.failed
        todo = list(dict.fromkeys(t for t in texts if t not in self.cache and t.strip()))
        if todo:
            try:
                batches = _batched(self.backend, todo)
            except BackendError as exc:
                from ..services import ServiceUnavailable

                self.failed = ServiceUnavailable(f"grammar backend {self.backend.name} stopped answering: {exc}", fatal=self.required)
                raise self.failed from None
            for text, found in zip(todo, batches):
                self.cache[text] = tuple(found)
        return [self.cache.get(t, ()) for t in texts]

    def check_document(self, doc: Any) -> list[BackendFinding]:
        """Findings for every paragraph of ``doc``, in document offsets."""
        paras = doc.paragraphs
        texts = [doc.text[p.start : p.end] for p in paras]
        out: list[BackendFinding] = []
        for p, found in zip(paras, self.check_paragraphs(texts)):
            out.extend(f.shifted(p.start) for f in found)
        return out


def _batched(backend: Any, texts: list[str]) -> list[list[BackendFinding]]:
    """One backend call for many paragraphs; findings split back per paragraph.

    Paragraph texts never contain a blank line (that is what separates
    them), so joining by one keeps every finding inside its paragraph;
    a finding that straddles a join (a backend quirk) is dropped.
    """
    joined = _JOIN.join(texts)
    starts, pos = [], 0
    for t in texts:
        starts.append(pos)
        pos += len(t) + len(_JOIN)
    per: list[list[BackendFinding]] = [[] for _ in texts]
    import bisect

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
