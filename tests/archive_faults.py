"""Faults the archive tests inject into NM001, in this process or in Dask workers
(``client.run(patch, ...)``: a module the workers import, so tracebacks name this file)."""

from __future__ import annotations

import os
import signal

_ORIGINAL = None


def patch(marker: str, flag: str | None = None) -> None:
    """NM001 raises on a record containing ``marker``; with ``flag``, it kills its
    process instead, once (the flag file says it already happened)."""
    global _ORIGINAL
    from checker.names.rule import NameClusterRule

    if _ORIGINAL is None:
        _ORIGINAL = NameClusterRule.__dict__["check"]
    original = _ORIGINAL

    def check(self, doc, ctx):
        if marker in doc.text:
            if flag is None:
                raise RuntimeError("rule exploded on purpose")
            if not os.path.exists(flag):
                open(flag, "w").close()
                os.kill(os.getpid(), signal.SIGKILL)  # the worker dies mid-partition
        return original(self, doc, ctx)

    NameClusterRule.check = check


def unpatch() -> None:
    from checker.names.rule import NameClusterRule

    if _ORIGINAL is not None:
        NameClusterRule.check = _ORIGINAL
