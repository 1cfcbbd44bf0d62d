"""LanguageTool through ``language_tool_python``: a server, or a local one.

Where the server is, in order: ``grammar.languagetool.url`` in the config,
then ``$MTLINT_LANGUAGETOOL_URL``; with neither, and only when the config
sets ``local = true``, language_tool_python may start (and on first use
download) a local LanguageTool, which needs Java.  mtlint never lets the
library download anything otherwise: it always passes ``remote_server``.

Start-up talks to ``/v2/languages`` (language_tool_python validates the
language variant there), so an unreachable server is found before any file
is checked, and reported once, with the cause and the fix.

Every request, from that first one on, waits at most the configured
``timeout`` to connect and for each read, and is tried once: a server that
accepts and never answers costs one timeout (language_tool_python's own
default is 300 s at start-up and two tries per check).
"""

from __future__ import annotations

import shutil
from typing import TYPE_CHECKING, Any, Sequence

from . import BackendError, BackendFinding, env_url

if TYPE_CHECKING:
    from ..config import Config, LanguageToolConfig

__all__ = ["LanguageToolBackend", "category_for"]

_SPELLING_CATEGORIES = {"TYPOS"}
_GRAMMAR_CATEGORIES = {"GRAMMAR", "CONFUSED_WORDS", "COLLOCATIONS", "NONSTANDARD_PHRASES", "PUNCTUATION", "SEMANTICS", "MISC"}
_GRAMMAR_ISSUES = {"grammar", "inconsistency", "duplication", "uncategorized", "non-conformance", "mistranslation", "untranslated"}


def category_for(issue_type: str, category_id: str) -> str:
    """LanguageTool (issueType, category id) -> grammar | spelling | style."""
    if issue_type == "misspelling" or category_id in _SPELLING_CATEGORIES:
        return "spelling"
    if category_id in _GRAMMAR_CATEGORIES or issue_type in _GRAMMAR_ISSUES:
        return "grammar"
    return "style"


def _fix_hint() -> str:
    return ("fix: set [tool.mtlint.grammar.languagetool] url (or MTLINT_LANGUAGETOOL_URL) to a running server, "
            "e.g. `docker run -p 8081:8010 erikvl87/languagetool`, or use the offline default --grammar harper")


class LanguageToolBackend:
    """LanguageTool as an mtlint backend (one request per document batch)."""

    name = "languagetool"
    #: one request per document (all its paragraphs), not one per paragraph
    granularity = "document"

    def __init__(self, settings: "LanguageToolConfig", url: str) -> None:
        try:
            import language_tool_python as ltp
        except ImportError as exc:  # pragma: no cover - installed with mtlint[languagetool]
            raise BackendError("language_tool_python is not installed", "fix: pip install 'mtlint[languagetool]'") from exc
        self.url = url
        self.settings = settings
        timed = _timed_tool_class(ltp.LanguageTool, settings.timeout)
        try:
            if url:
                tool = timed(settings.language, remote_server=url)
            else:
                tool = timed(settings.language)  # local: may download, only when asked
        except Exception as exc:  # connection refused, timed out, bad language, Java missing...
            where = url or "a local LanguageTool"
            raise BackendError(f"cannot reach LanguageTool at {where} ({_short(exc)})", _fix_hint()) from None
        tool.disabled_rules = set(settings.disabled_rules)
        tool.enabled_rules = set(settings.enabled_rules)
        tool.disabled_categories = set(settings.disabled_categories)
        tool.picky = settings.picky
        self._tool = tool
        self.version = self._server_version()

    def _server_version(self) -> str:
        try:
            from importlib.metadata import version

            lib = version("language_tool_python")
        except Exception:  # pragma: no cover
            lib = "?"
        return f"language_tool_python {lib}"

    @classmethod
    def from_config(cls, config: "Config") -> "LanguageToolBackend":
        s = config.grammar.languagetool
        url = s.url or env_url()
        if not url and not s.local:
            raise BackendError("no LanguageTool server configured", _fix_hint())
        if not url and shutil.which("java") is None:
            raise BackendError("local LanguageTool needs Java, which is not installed",
                               "fix: install Java 17+, or point grammar.languagetool.url / MTLINT_LANGUAGETOOL_URL at a server")
        return cls(s, url)

    @classmethod
    def status(cls, config: "Config") -> dict[str, Any]:
        from importlib.metadata import version

        lib = version("language_tool_python")
        s = config.grammar.languagetool
        url = s.url or env_url()
        if url:
            try:
                cls(s, url)
                return {"available": True, "version": f"language_tool_python {lib}", "detail": f"server {url} answers",
                        "enable": "--grammar languagetool, or [tool.mtlint.grammar] backend = \"languagetool\""}
            except BackendError as exc:
                return {"available": False, "version": f"language_tool_python {lib}", "detail": exc.cause, "enable": exc.fix}
        java = shutil.which("java")
        return {
            "available": False,
            "version": f"language_tool_python {lib}",
            "detail": "no server configured" + ("" if java else "; Java not installed (a local LanguageTool is impossible)"),
            "enable": "set MTLINT_LANGUAGETOOL_URL=http://HOST:PORT (or grammar.languagetool.url), then --grammar languagetool",
        }

    def check_texts(self, texts: Sequence[str]) -> list[list[BackendFinding]]:
        out = []
        for text in texts:
            try:
                matches = self._tool.check(text)
            except Exception as exc:
                raise BackendError(f"LanguageTool at {self.url or 'local'} failed: {_short(exc)}", _fix_hint()) from None
            found = []
            for m in matches:
                cat = category_for(getattr(m, "rule_issue_type", "") or "", getattr(m, "category", "") or "")
                found.append(BackendFinding(
                    m.offset, m.offset + m.error_length, cat, m.rule_id, m.message,
                    tuple(m.replacements[:5]), "languagetool", getattr(m, "category", "") or "",
                ))
            out.append(found)
        return out


def _timed_tool_class(base: type, timeout: float) -> type:
    """``language_tool_python.LanguageTool`` with our timeout on every request
    (the class attribute it reads, so start-up's request has it too) and a
    single try per request."""

    class TimedLanguageTool(base):  # type: ignore[misc, valid-type]
        _TIMEOUT = timeout

        def _query_server(self, url: str, params: Any = None, num_tries: int = 2, *args: Any, **kwargs: Any) -> Any:
            return super()._query_server(url, params, 1, *args, **kwargs)

    return TimedLanguageTool


def _short(exc: BaseException) -> str:
    """The cause in a few words (requests' messages run to several hundred characters)."""
    text = " ".join(str(exc).split()) or type(exc).__name__
    low = text.lower()
    if "connection refused" in low or "newconnectionerror" in low or "failed to establish" in low:
        return "connection refused"
    if "timed out" in low or "timeout" in low:
        return "timed out"
    if "name or service not known" in low or "nodename nor servname" in low or "getaddrinfo" in low:
        return "unknown host"
    return text[:160]
