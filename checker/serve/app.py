"""The ASGI application of ``mtlint serve`` (FastAPI on Starlette; the ``serve`` extra).

Routes:
  ``GET  /``                 the editor's page (one file, no external assets)
  ``POST /api/v1/check``     mtlint's JSON API: one text -> the JSON report's file entry
  ``POST /api/v1/fix``       the text with fixes applied and re-checked (as ``--fix``)
  ``GET  /api/v1/rules``     the rule catalogue
  ``POST /v2/check``         LanguageTool's API (form-encoded), ``GET`` with a query too
  ``GET  /v2/languages``     the languages a LanguageTool client may ask for
  ``GET  /openapi.json``     the OpenAPI document of all of the above
  ``GET  /healthz``          liveness

Every error is a JSON object ``{"error": {"kind": ..., "message": ...}}`` with
a 4xx status (503 when the time limit ran out).  ``Guard`` (pure ASGI) sits in
front of everything: the bearer token, the request size limit and one access
log line per request (method, path, status, sizes, time; never the text).
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
import time
import urllib.parse
from dataclasses import dataclass
from importlib import resources
from typing import Annotated, Any, Literal, Mapping, Optional

from fastapi import Body, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from ..formatters.json import file_dict
from ..version import __version__
from . import languagetool as lt
from .checking import Checker, CheckRequest, Overrides, RequestError

__all__ = ["ServeOptions", "create_app", "ACCESS_LOG"]

ACCESS_LOG = logging.getLogger("mtlint.serve.access")
#: paths anyone may read even when a token is set: nothing in them is private
PUBLIC_PATHS = ("/", "/healthz", "/openapi.json", "/v2/languages")


@dataclass(frozen=True)
class ServeOptions:
    #: bearer token every API request must carry (None: no token)
    token: Optional[str] = None
    #: largest request body accepted (bytes)
    max_bytes: int = 2 * 1024 * 1024
    #: seconds one request may take, waiting included
    timeout: float = 30.0
    #: web origins whose pages may call the APIs (CORS), e.g. a CMS; "*" for any
    allow_origins: tuple[str, ...] = ()


class JSON(JSONResponse):
    """JSON with every non-ASCII character escaped: a lone surrogate in a
    request's text (valid JSON, not valid UTF-8) cannot break the answer."""

    def render(self, content: Any) -> bytes:
        return json.dumps(content, ensure_ascii=True, separators=(",", ":")).encode("ascii")


def error(status: int, kind: str, message: str, detail: Any = None, headers: Mapping[str, str] | None = None) -> JSON:
    body: dict[str, Any] = {"error": {"kind": kind, "message": message}}
    if detail is not None:
        body["error"]["detail"] = detail
    return JSON(body, status_code=status, headers=dict(headers or {}))


# -- documentation models (the OpenAPI document; answers are built as plain dicts) --------
class ErrorInfo(BaseModel):
    kind: str
    message: str
    detail: Any = None


class ErrorBody(BaseModel):
    error: ErrorInfo


#: a rule reference: a code, name, prefix, pack, category or tag
RuleRef = Annotated[str, Field(min_length=1, max_length=100, pattern=r"^[A-Za-z0-9_.:-]+$")]
RuleRefs = Optional[Annotated[list[RuleRef], Field(max_length=200)]]


class CheckBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    text: str = Field(description="the article: plain text, Markdown or HTML (an empty one is a 400)")
    format: Literal["text", "markdown", "html"] = "text"
    select: RuleRefs = Field(None, description="rules to run instead of the configured selection (codes, names, prefixes, packs, categories, tags)")
    extend_select: RuleRefs = Field(None, description="rules to run besides the configured selection")
    ignore: RuleRefs = Field(None, description="rules not to run")


class FixBody(CheckBody):
    unsafe: bool = Field(False, description="also apply fixes marked unsafe (a human should look at each)")


class FileEntry(BaseModel):
    """The JSON report's file object (schema 1; see the README)."""

    model_config = ConfigDict(extra="allow")
    path: str
    format: str
    words: int
    score: Optional[float]
    counts: dict[str, int]
    metrics: dict[str, Any]
    findings: list[dict[str, Any]]
    errors: list[dict[str, Any]]


class FixResult(BaseModel):
    text: str
    changed: bool
    applied: dict[str, int]


class Rule(BaseModel):
    code: str
    name: str
    category: str
    severity: str
    status: str
    fixable: str
    kind: str
    summary: str


class Language(BaseModel):
    name: str
    code: str
    longCode: str


ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorBody, "description": "the request cannot be checked as sent"},
    401: {"model": ErrorBody, "description": "missing or wrong bearer token"},
    413: {"model": ErrorBody, "description": "the request is larger than the server accepts"},
    422: {"model": ErrorBody, "description": "the request body does not match the schema"},
    503: {"model": ErrorBody, "description": "the check did not finish within the time limit"},
}

LT_FORM = {
    "requestBody": {
        "required": True,
        "content": {
            "application/x-www-form-urlencoded": {
                "schema": {
                    "type": "object",
                    "required": ["language"],
                    "properties": {
                        "text": {"type": "string", "description": "the text to check (or give data)"},
                        "data": {"type": "string", "description": "LanguageTool's annotated text as JSON: {\"annotation\": [{\"text\": ...}, {\"markup\": ..., \"interpretAs\": ...}]}"},
                        "language": {"type": "string", "description": "en-US, en-GB, ... or auto", "example": "en-US"},
                        "enabledRules": {"type": "string", "description": "comma-separated mtlint rule codes to run besides the defaults (or only them, with enabledOnly)"},
                        "disabledRules": {"type": "string", "description": "comma-separated rule codes not to run (ids mtlint does not know are ignored)"},
                        "enabledCategories": {"type": "string"},
                        "disabledCategories": {"type": "string"},
                        "enabledOnly": {"type": "string", "enum": ["true", "false"]},
                        "apiKey": {"type": "string", "description": "the server's token, for clients that cannot send an Authorization header"},
                        "username": {"type": "string"},
                        "motherTongue": {"type": "string"},
                        "level": {"type": "string"},
                        "preferredVariants": {"type": "string"},
                    },
                }
            }
        },
    }
}


class Guard:
    """Token, size limit and access log, in front of the whole application."""

    def __init__(self, app: Any, options: ServeOptions) -> None:
        self.app = app
        self.options = options
        self._token = options.token.encode() if options.token else None

    def _authorised(self, scope: Mapping[str, Any]) -> bool:
        if self._token is None or scope["path"] in PUBLIC_PATHS:
            return True
        for name, value in scope.get("headers", ()):
            if name == b"authorization":
                scheme, _, given = value.partition(b" ")
                if scheme.lower() == b"bearer" and hmac.compare_digest(given.strip(), self._token):
                    return True
        # LanguageTool clients that cannot set headers send apiKey (checked in the /v2 handler)
        return scope["path"] == "/v2/check"

    async def __call__(self, scope: Mapping[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        state = {"status": 0, "out": 0, "in": 0}

        async def send_logged(message: Mapping[str, Any]) -> None:
            if message["type"] == "http.response.start":
                state["status"] = message["status"]
            elif message["type"] == "http.response.body":
                state["out"] += len(message.get("body", b""))
            await send(message)

        try:
            length = next((v for k, v in scope.get("headers", ()) if k == b"content-length"), None)
            if length is not None and not length.isdigit():
                await self._reject(scope, send_logged, error(400, "bad-request", "the Content-Length header is not a number"))
                return
            if length is not None and int(length) > self.options.max_bytes:
                await self._reject(scope, send_logged, error(413, "too-large", f"the request is larger than {self.options.max_bytes} bytes (the server's --max-bytes)"))
                return
            if not self._authorised(scope):
                await self._reject(scope, send_logged, error(401, "unauthorised", "a valid bearer token is needed (Authorization: Bearer TOKEN)", headers={"WWW-Authenticate": "Bearer"}))
                return

            # read the body here, up to the limit: a body without Content-Length
            # (chunked) is refused as soon as it passes the limit, before any handler
            chunks: list[bytes] = []
            more = scope.get("method") not in ("GET", "HEAD", "OPTIONS")
            while more:
                message = await receive()
                if message["type"] != "http.request":
                    return  # the client went away
                chunk = message.get("body", b"")
                state["in"] += len(chunk)
                if state["in"] > self.options.max_bytes:
                    await self._reject(scope, send_logged, error(413, "too-large", f"the request is larger than {self.options.max_bytes} bytes (the server's --max-bytes)"))
                    return
                chunks.append(chunk)
                more = message.get("more_body", False)
            body = b"".join(chunks)
            replayed = False

            async def replay() -> Mapping[str, Any]:
                nonlocal replayed
                if not replayed:
                    replayed = True
                    return {"type": "http.request", "body": body, "more_body": False}
                return await receive()

            await self.app(scope, replay, send_logged)
        finally:
            ACCESS_LOG.info(json.dumps({
                "method": scope.get("method"),
                "path": scope.get("path"),
                "status": state["status"],
                "bytes_in": state["in"],
                "bytes_out": state["out"],
                "ms": round((time.perf_counter() - started) * 1000, 1),
                "client": (scope.get("client") or ("", 0))[0],
            }, sort_keys=True))

    async def _reject(self, scope: Mapping[str, Any], send: Any, response: Response) -> None:
        async def nothing() -> Mapping[str, Any]:
            return {"type": "http.request", "body": b"", "more_body": False}

        await response(scope, nothing, send)


def page_html() -> str:
    return resources.files(__package__).joinpath("page.html").read_text(encoding="utf-8")


def create_app(checker: Checker, options: ServeOptions = ServeOptions()) -> Any:
    """The ASGI application over a started ``Checker``."""
    app = FastAPI(
        title="mtlint",
        version=__version__,
        description="Machine-translation artifacts and text-quality problems in news articles: mtlint's own API "
        "(/api/v1) and a LanguageTool-compatible one (/v2). Offsets in /api/v1 count Unicode code points "
        "(Python characters); offsets in /v2 count UTF-16 code units, as LanguageTool's do.",
        docs_url=None,  # the Swagger page loads scripts from a CDN: not offline
        redoc_url=None,
        default_response_class=JSON,
    )
    page = page_html()

    async def run(fn: Any, *args: Any) -> Any:
        future = checker.submit(fn, *args)
        try:
            return await asyncio.wait_for(asyncio.wrap_future(future), options.timeout)
        except asyncio.TimeoutError:
            raise RequestError(f"the check did not finish within {options.timeout:g} s (the server's --timeout)", 503, kind="timeout") from None

    @app.exception_handler(RequestError)
    async def _request_error(request: Request, exc: RequestError) -> JSON:
        headers = {"Retry-After": "5"} if exc.status == 503 else None
        return error(exc.status, exc.kind, str(exc), exc.detail, headers)

    @app.exception_handler(lt.BadRequest)
    async def _bad_request(request: Request, exc: lt.BadRequest) -> JSON:
        return error(400, "bad-request", str(exc))

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSON:
        kinds = {400: "bad-request", 404: "not-found", 405: "method-not-allowed"}
        message = {400: "the body cannot be read (is it valid UTF-8 JSON?)"}.get(exc.status_code, str(exc.detail))
        return error(exc.status_code, kinds.get(exc.status_code, "http"), message, headers=getattr(exc, "headers", None))

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSON:
        problems = []
        for e in exc.errors():
            where = ".".join(str(p) for p in e.get("loc", ()) if p != "body")
            problems.append(f"{where or 'body'}: {e.get('msg', 'invalid')}")
        return error(422, "invalid-request", "; ".join(problems) or "the request does not match the schema")

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    async def index() -> HTMLResponse:
        return HTMLResponse(page, headers={
            # everything the page uses is in the page; it talks only to this server
            "Content-Security-Policy": "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
            "connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'",
        })

    @app.get("/healthz", tags=["server"])
    async def healthz() -> JSON:
        return JSON({"status": "ok", "version": __version__})

    def overrides(body: CheckBody) -> Overrides:
        return Overrides(
            select=tuple(body.select) if body.select is not None else None,
            extend_select=tuple(body.extend_select) if body.extend_select is not None else None,
            ignore=tuple(body.ignore) if body.ignore is not None else None,
        )

    @app.post("/api/v1/check", tags=["mtlint"], responses={200: {"model": FileEntry}, **ERRORS})
    async def check(body: CheckBody = Body(...)) -> JSON:
        """Check one text; the answer is the JSON report's file entry (``mtlint check --format json``)."""
        result = await run(checker.check, CheckRequest(body.text, body.format, overrides(body)))
        return JSON(file_dict(result))

    @app.post("/api/v1/fix", tags=["mtlint"], responses={200: {"model": FixResult}, **ERRORS})
    async def fix(body: FixBody = Body(...)) -> JSON:
        """The text with its safe fixes (and unsafe ones if asked) applied and re-checked, as ``--fix`` does."""
        new, applied = await run(checker.fix, CheckRequest(body.text, body.format, overrides(body)), body.unsafe)
        return JSON({"text": new, "changed": new != body.text, "applied": applied})

    @app.get("/api/v1/rules", tags=["mtlint"], responses={200: {"model": list[Rule]}, **ERRORS})
    async def rules() -> JSON:
        """The rule catalogue (preview rules included: select them to run them)."""
        return JSON(await run(checker.rules))

    @app.get("/v2/languages", tags=["languagetool"], responses={200: {"model": list[Language]}})
    async def languages() -> JSON:
        return JSON(list(lt.LANGUAGES))

    async def lt_check(request: Request, fields: dict[str, str]) -> JSON:
        if options.token and not _bearer_ok(request, options.token) and not hmac.compare_digest(fields.get("apiKey", "").encode(), options.token.encode()):
            return error(401, "unauthorised", "a valid token is needed (Authorization: Bearer TOKEN, or the apiKey field)", headers={"WWW-Authenticate": "Bearer"})
        return JSON(await run(checker.languagetool, fields))

    @app.post("/v2/check", tags=["languagetool"], openapi_extra=LT_FORM, responses={200: {"description": "LanguageTool's answer: software, language, matches"}, **ERRORS})
    async def v2_check(request: Request) -> JSON:
        """LanguageTool's check: form fields text or data, language, enabledRules, disabledRules, enabledOnly."""
        kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if kind not in ("application/x-www-form-urlencoded", ""):
            return error(415, "unsupported-media-type", "send the fields form-encoded (application/x-www-form-urlencoded), as LanguageTool clients do")
        return await lt_check(request, parse_form(await request.body()))

    @app.get("/v2/check", tags=["languagetool"], responses={200: {"description": "LanguageTool's answer"}, **ERRORS})
    async def v2_check_get(request: Request, text: Optional[str] = None, data: Optional[str] = None, language: Optional[str] = None) -> JSON:
        """The same check with the fields in the query string (short texts only)."""
        return await lt_check(request, parse_form(request.scope.get("query_string", b"")))

    app.state.checker = checker
    app.state.options = options
    guarded: Any = Guard(app, options)
    if options.allow_origins:
        from starlette.middleware.cors import CORSMiddleware

        # outside the guard: a preflight carries no token, and refusals get the headers too
        guarded = CORSMiddleware(guarded, allow_origins=list(options.allow_origins), allow_methods=["GET", "POST"],
                                 allow_headers=["Authorization", "Content-Type"], max_age=600)
    return guarded


def _bearer_ok(request: Request, token: str) -> bool:
    scheme, _, given = request.headers.get("authorization", "").partition(" ")
    return scheme.lower() == "bearer" and hmac.compare_digest(given.strip().encode(), token.encode())


MAX_FIELDS = 64


def parse_form(body: bytes) -> dict[str, str]:
    """Form-encoded fields (the last of a repeated name wins); invalid UTF-8 is a 400."""
    try:
        raw = body.decode("ascii")
    except UnicodeDecodeError:
        try:
            raw = body.decode("utf-8")
        except UnicodeDecodeError:
            raise RequestError("the form is not valid UTF-8", 400, kind="encoding") from None
    try:
        pairs = urllib.parse.parse_qsl(raw, keep_blank_values=True, encoding="utf-8", errors="strict", max_num_fields=MAX_FIELDS)
    except UnicodeDecodeError as exc:
        raise RequestError(f"a form field is not valid UTF-8 (byte {exc.start} of its value)", 400, kind="encoding") from None
    except ValueError as exc:
        raise RequestError(f"the form cannot be read: {exc}", 400) from None
    return dict(pairs)
