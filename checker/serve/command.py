"""``mtlint serve``: the sub-command (argument parsing; the app is in ``checker.serve.app``).

Importing this module costs nothing: FastAPI and uvicorn are imported when
the command runs, and their absence is exit 2 with the install line.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from typing import Any

__all__ = ["add_parser", "cmd_serve", "INSTALL_HINT", "TOKEN_ENV"]

INSTALL_HINT = "pip install 'mtlint[serve]'"
TOKEN_ENV = "MTLINT_SERVE_TOKEN"
EXIT_ERROR = 2


def add_parser(sub: Any) -> None:
    p = sub.add_parser(
        "serve",
        help="serve the editor's page and HTTP APIs (mtlint's and LanguageTool's) on this machine",
        description="Load the rules and the grammar backend once and answer many checks over HTTP: "
        "the editor's page at /, mtlint's JSON API at /api/v1, a LanguageTool-compatible API at /v2. "
        f"Needs the serve extra: {INSTALL_HINT}",
    )
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1, this machine only)")
    p.add_argument("--port", type=int, default=8081, help="port to listen on (default: 8081, LanguageTool's)")
    p.add_argument("--config", metavar="PATH", help="configuration file (default: discovered from the current folder)")
    p.add_argument("--token", metavar="TOKEN", help=f"require this bearer token on the APIs (default: ${TOKEN_ENV}; none: open)")
    p.add_argument("--max-bytes", type=int, default=2 * 1024 * 1024, metavar="N", help="largest request accepted, in bytes (default: 2 MiB)")
    p.add_argument("--timeout", type=float, default=30.0, metavar="SECONDS", help="time limit of one request, waiting included (default: 30)")
    p.add_argument("--workers", type=int, default=1, metavar="N",
                   help="serve from N processes, each with its own warm rules (default: 1; more use more cores and N times the memory)")
    p.add_argument("--allow-origin", action="append", default=[], metavar="ORIGIN",
                   help="let web pages from ORIGIN (https://cms.example.org, or * for any) call the APIs from a browser (CORS); repeatable")
    p.add_argument("--no-access-log", dest="access_log", action="store_false", help="do not log one line per request on standard error")
    p.set_defaults(func=cmd_serve)


def missing_extra() -> str | None:
    """The module of the serve extra that cannot be imported, or None."""
    import importlib.util

    for module in ("fastapi", "uvicorn", "pydantic"):
        if importlib.util.find_spec(module) is None:
            return module
    return None


def cmd_serve(args: argparse.Namespace) -> int:
    absent = missing_extra()
    if absent is not None:
        sys.stderr.write(f"mtlint: error: mtlint serve needs the serve extra ({absent} is not installed): {INSTALL_HINT}\n")
        return EXIT_ERROR
    if args.max_bytes < 1 or args.timeout <= 0 or args.workers < 1 or not (0 <= args.port < 65536):
        sys.stderr.write("mtlint: error: --max-bytes, --timeout and --workers must be positive and --port a port number\n")
        return EXIT_ERROR
    token = args.token if args.token is not None else os.environ.get(TOKEN_ENV) or None

    import uvicorn

    from .app import ServeOptions, create_app
    from .checking import Checker

    checker = Checker(args.config, session=getattr(args, "session", None))
    # with --workers the workers load the rules; this process only checks the configuration
    errors = checker.start(warm=args.workers == 1)
    if errors:
        for e in errors:
            sys.stderr.write(f"{e}\n")
        checker.close()
        return EXIT_ERROR
    for n in checker.notices:
        sys.stderr.write(f"mtlint: note: {n.message}\n")
    if args.access_log:
        log_access()
    options = ServeOptions(token=token, max_bytes=args.max_bytes, timeout=args.timeout, allow_origins=tuple(args.allow_origin))
    where = f"http://{args.host if ':' not in args.host else '[' + args.host + ']'}:{args.port}/"
    sys.stderr.write(f"mtlint serve: the editor's page at {where}, LanguageTool clients at {where} (API {where}v2/)"
                     + (", token required" if token else "") + (f", {args.workers} processes" if args.workers > 1 else "") + "\n")
    run = {"host": args.host, "port": args.port, "access_log": False, "log_level": "warning", "timeout_graceful_shutdown": 5}
    if args.workers > 1:
        # each worker process builds its own app (and loads the rules) from this description;
        # the configuration was checked above, so a worker does not fail on it
        checker.close()
        config_path, checker = checker.config_path, None
        os.environ[WORKER_ENV] = json.dumps({"config": config_path, "options": options.__dict__ | {"allow_origins": list(options.allow_origins)},
                                             "access_log": bool(args.access_log)})
        # a worker loads the rules and Harper before it answers the supervisor: give it time
        uvicorn.run("checker.serve.command:worker_app", factory=True, workers=args.workers, timeout_worker_healthcheck=180, **run)
        return 0
    app = create_app(checker, options)
    try:
        uvicorn.run(app, **run)
    finally:
        checker.close()
    return 0


#: how ``--workers`` hands the settings to its worker processes
WORKER_ENV = "MTLINT_SERVE_WORKER"


def log_access() -> None:
    from .app import ACCESS_LOG

    if not ACCESS_LOG.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(message)s"))
        ACCESS_LOG.addHandler(handler)
    ACCESS_LOG.setLevel(logging.INFO)
    ACCESS_LOG.propagate = False


def worker_app() -> Any:
    """The application of one ``--workers`` process (uvicorn calls it in the child)."""
    from .app import ServeOptions, create_app
    from .checking import Checker

    spec = json.loads(os.environ[WORKER_ENV])
    opts = dict(spec["options"])
    opts["allow_origins"] = tuple(opts.get("allow_origins") or ())
    checker = Checker(spec["config"])
    errors = checker.start()
    if errors:
        raise SystemExit("; ".join(str(e) for e in errors))
    if spec.get("access_log"):
        log_access()
    return create_app(checker, ServeOptions(**opts))
