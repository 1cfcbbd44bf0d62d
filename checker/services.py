"""Services: shared objects that rules declare in ``needs`` and never build themselves.

A service (the grammar backend, the names registry, the newsroom word list)
is built lazily, once per ``Services`` object, by a factory named in
``SERVICE_FACTORIES``; the engine's session shares one ``Services`` between
every configuration that agrees on the settings services read.  A factory
that cannot provide its service raises ``ServiceUnavailable`` with the one
line users see; the rules that need it are then skipped with a notice.
"""

from __future__ import annotations

import importlib
from typing import Any, Mapping

from .config import Config

__all__ = ["Services", "ServiceUnavailable", "SERVICE_FACTORIES", "start_grammar"]

#: service name -> "module:factory(config) -> object"; a factory raising
#: ``ServiceUnavailable`` makes rules that need it skip with a notice.
SERVICE_FACTORIES: dict[str, str] = {
    "backend:grammar": "checker.backends:make_grammar_service",
    "words:newsroom": "checker.kinds.spelling:newsroom_service",
    "names:registry": "checker.names.registry:registry_service",
}


class ServiceUnavailable(RuntimeError):
    """A service a rule needs cannot be provided (backend missing, say).

    The message is the one line users see: the cause and the fix.
    ``fatal`` makes the notice an error (exit 2: the user asked for this
    backend explicitly); ``quiet`` skips the rules without a notice (the
    user switched the service off).
    """

    def __init__(self, message: str, *, fatal: bool = False, quiet: bool = False) -> None:
        super().__init__(message)
        self.fatal = fatal
        self.quiet = quiet


class Services:
    """Lazily built, per-run shared objects that rules declare in ``needs``."""

    def __init__(self, config: Config, factories: Mapping[str, str] | None = None) -> None:
        self._config = config
        self._factories = dict(SERVICE_FACTORIES if factories is None else factories)
        self._built: dict[str, Any] = {}
        self._failed: dict[str, ServiceUnavailable] = {}

    def get(self, name: str) -> Any:
        if name in self._built:
            return self._built[name]
        if name in self._failed:
            # a fresh exception each time: re-raising the stored one would chain
            # every raise's traceback onto it, keeping each checked document's
            # frames (and the document) alive for the whole run
            failed = self._failed[name]
            raise ServiceUnavailable(str(failed), fatal=failed.fatal, quiet=failed.quiet)
        target = self._factories.get(name)
        if target is None:
            self._failed[name] = ServiceUnavailable(f"no provider for {name!r}")
            return self.get(name)
        module, _, attr = target.partition(":")
        try:
            obj = getattr(importlib.import_module(module), attr)(self._config)
        except ServiceUnavailable as exc:
            self._failed[name] = ServiceUnavailable(str(exc), fatal=exc.fatal, quiet=exc.quiet)
            raise
        self._built[name] = obj
        return obj

    @property
    def config(self) -> Config:
        """The configuration the services are built from."""
        return self._config

    def built(self, name: str) -> Any:
        """The service ``name`` if it was built (None otherwise; never builds)."""
        return self._built.get(name)

    def ready(self, name: str) -> bool:
        """False only while a built service is still starting (Harper's Linter
        builds in a thread); never builds, never waits, never raises."""
        obj = self._built.get(name)
        ready = getattr(obj, "ready", None)
        return True if ready is None else bool(ready())


def start_grammar(services: Services) -> None:
    """Start the grammar backend of ``services`` now, with the default rule
    selection (only then are grammar rules known to run before the rules are
    loaded): Harper builds its dictionary (about a second) in a thread
    without the GIL, so whatever comes next overlaps the build.  A backend
    that cannot start is reported later, as always, by the rules that need it
    (``Services`` keeps the failure)."""
    cfg = services.config
    if cfg.grammar.backend == "none" or tuple(cfg.select) != ("ALL",) or cfg.ignore:
        return
    try:
        services.get("backend:grammar")
    except ServiceUnavailable:
        pass
