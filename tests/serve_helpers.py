"""Helpers of the ``mtlint serve`` tests: one started ``Checker`` per test run and
a real uvicorn server on a free loopback port (for real clients: language-tool-python,
Chromium)."""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from pathlib import Path
from typing import Any, Iterator

import pytest

#: the seed article, read by path from the shared corpus (never copied into the repo)
SEED_PATH = Path("/work/shared/corpus/seed_article.txt")

_CHECKER: Any = None


def serve_extra() -> None:
    """Skip unless the serve extra is installed (``.[test]`` installs it)."""
    for module in ("fastapi", "uvicorn", "httpx"):
        pytest.importorskip(module, reason=f"the serve extra is not installed ({module}): pip install '.[test]'")


def seed_text() -> str:
    if not SEED_PATH.is_file():
        pytest.skip(f"{SEED_PATH} is not here (the shared corpus)")
    return SEED_PATH.read_text(encoding="utf-8")


def checker() -> Any:
    """One started ``Checker`` for the whole test run (rules and Harper load once)."""
    global _CHECKER
    if _CHECKER is None:
        from checker.serve.checking import Checker

        c = Checker(None)
        errors = c.start()
        assert not errors, errors
        _CHECKER = c
    return _CHECKER


def app(**options: Any) -> Any:
    from checker.serve.app import ServeOptions, create_app

    return create_app(checker(), ServeOptions(**options))


@contextlib.contextmanager
def live_server(asgi_app: Any) -> Iterator[str]:
    """``asgi_app`` served by uvicorn on 127.0.0.1:<free port>; yields its base URL."""
    import uvicorn

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(asgi_app, log_level="warning", access_log=False, lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the test server did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(30)
        sock.close()
