"""Harper (harper-py): offline grammar checking, no Java, no server.

The ``Linter`` is built once per process (construction builds Harper's
curated dictionary, about a second) and only when a rule needs the
``backend:grammar`` service.  mtlint runs a curated subset of Harper's
rules (``DEFAULT_RULES``), chosen by profiling every Harper rule on edited
news and on machine-translated news (benchmarks/harper_profile.py, see
docs/grammar.md): cold, Harper's 905 default rules run at ~4,000 words/s,
most of that in phrase rules that never fire on news; its parse alone runs
at ~20-26,000 words/s and the 12 selected rules add little to it; its
spell checker is blind to news names.  ``grammar.harper.enable``/``disable``
in the config change the selection.
"""

from __future__ import annotations

import bisect
import os
import re
import threading
import weakref
from typing import TYPE_CHECKING, Any, Iterator, Sequence

from . import BackendError, BackendFinding

if TYPE_CHECKING:
    from ..config import Config

__all__ = ["HarperBackend", "DEFAULT_RULES", "KIND_CATEGORY", "RULE_CATEGORY"]

#: mtlint's default selection of Harper rules: each fired on real MT errors
#: (MQM-annotated WMT23 zh-en output) or on the seed article and not, or
#: only after mtlint's filters, on 91k words of edited news.
DEFAULT_RULES: tuple[str, ...] = (
    "TheProperNounPossessive",  # "the Libya's": article before a possessive proper noun
    "PronounVerbAgreement",  # "We wants", "She have"
    "ThereIsAgreement",  # "There's facts"
    "ItsContraction",  # "Its a form of"
    "ThereToTheir",  # "help there family"
    "ThenThan",  # "taller then"
    "ThatThan",
    "ComprisesOf",
    "Everyday",
    "PronounContraction",
    "RepeatedWords",  # "in in" (filtered: "had had", "that that" are English)
    "CommaFixes",  # spaces around commas
)

#: Harper lint kind -> mtlint backend category
KIND_CATEGORY: dict[str, str] = {
    "Spelling": "spelling",
    "Typo": "spelling",
    "Agreement": "grammar",
    "Grammar": "grammar",
    "BoundaryError": "grammar",
    "Miscellaneous": "grammar",
    "Usage": "grammar",
    "Punctuation": "grammar",
    "Eggcorn": "grammar",
    "Malapropism": "grammar",
    "Nonstandard": "grammar",
    "Repetition": "grammar",
    "Formatting": "grammar",
}
#: per-rule overrides where Harper's kind misleads ("the Libya's" is a
#: grammar error for an editor, Harper files it under Redundancy)
RULE_CATEGORY: dict[str, str] = {"TheProperNounPossessive": "grammar", "SpellCheck": "spelling"}

_DIALECTS = ("american", "british", "australian", "canadian", "indian")

#: For each selected rule, a regex that any sentence it could flag must
#: match.  When every enabled rule has one, only the sentences that match
#: go to Harper: its parse (not its rules) is most of the cost, and on news
#: 43% of the text has no trigger.  Measured on clean_news_dev: Harper 1.75x
#: faster, and the same mtlint findings (the one lint lost was a
#: TheProperNounPossessive on "the eurozone's", which GR001 drops anyway).
TRIGGERS: dict[str, str] = {
    "TheProperNounPossessive": r"\bthe\s+(?-i:[A-Z])[\w-]*['’]s\b",
    "PronounVerbAgreement": r"\b(?:i|you|he|she|it|we|they)\b",
    "ThereIsAgreement": r"\bthere\b",
    "ItsContraction": r"\bits\b",
    "ThereToTheir": r"\bthere\b",
    "ThenThan": r"\bthen\b",
    "ThatThan": r"\b(?:\w+er|more|less|rather|other|else)\s+(?:\w+\s+)?that\b",
    "ComprisesOf": r"\bcompris",
    "Everyday": r"\bevery\s*day",
    "PronounContraction": r"\b(?:your|you're|you’re|their|theirs|they're|they’re|its|it's|it’s|whose|who's|who’s|were|we're|we’re|i'm|i’m|let's|let’s)\b",
    "RepeatedWords": r"\b(\w+)\s+\1\b",
    "CommaFixes": r"\s,|,(?=[^\s\d\"”’'])",
}
_SENTENCE = re.compile(r"[^.!?]*(?:[.!?]+[\"”’')\]]*|$)\s*")
_CHUNK_SEP = "\n\n"
#: the longest piece of text (a sentence, or a cut of a longer one) and the most
#: text (pieces joined) given to Harper at once: its time grows faster than the
#: length of what it lints (16,000 short lines 1.3 s, 32,000 3.1 s), and news
#: paragraphs and sentences are far shorter, so real text is linted as before
MAX_PIECE = 3_000
MAX_CALL = 12_000

#: the Linter is process-wide (built once) but not thread-safe: one lock
_LINTERS: dict[tuple[int, tuple[str, ...]], Any] = {}
_LOCK = threading.Lock()


def _default_lint_config() -> dict[str, bool]:
    import harper

    return harper.get_default_lint_config()


def _linter(dialect: int, on: frozenset[str]) -> Any:
    """The process's Linter for ``dialect`` with exactly the rules ``on`` enabled.

    ``harper.Linter()`` builds Harper's dictionary (about a second) without
    holding the GIL, while ``get_default_lint_config`` builds it holding the
    GIL; so the Linter is made first and the rule table read after it (then
    in a few milliseconds): in the backend's thread that overlaps the build
    with the rest of the start-up.
    """
    import harper

    key = (dialect, tuple(sorted(on)))
    with _LOCK:
        lin = _LINTERS.get(key)
        if lin is None:
            lin = harper.Linter(harper.Dialect(dialect))
            lin.set_lint_config({k: (k in on) for k in _default_lint_config()})
            _LINTERS[key] = lin
        return lin


#: Linter builds in progress.  A process must not fork while one runs: the child
#: would inherit ``_LOCK`` held and a thread that does not exist in it, and
#: wait for that thread for ever.  The engine waits for them before forking
#: (``RuleRunner.warm``); this hook makes any fork wait, whoever forks.
_BUILDERS: "weakref.WeakSet[threading.Thread]" = weakref.WeakSet()


def _finish_builds_before_fork() -> None:
    for builder in list(_BUILDERS):
        if builder.is_alive() and builder is not threading.current_thread():
            builder.join()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(before=_finish_builds_before_fork)


def version() -> str:
    from importlib.metadata import PackageNotFoundError, version as v

    try:
        return v("harper-py")
    except PackageNotFoundError:  # pragma: no cover
        return "unknown"


class HarperBackend:
    """Harper as an mtlint backend."""

    name = "harper"

    def __init__(self, dialect: str = "american", enable: Sequence[str] = (), disable: Sequence[str] = (), prefilter: bool = True) -> None:
        import harper  # noqa: F401  (ImportError here: Harper is not installed)

        if enable or disable:
            # names the user wrote are checked now, so a typo is a start-up error (this
            # builds Harper's dictionary holding the GIL: only for a custom rule choice)
            unknown = sorted((set(enable) | set(disable)) - set(_default_lint_config()))
            if unknown:
                raise BackendError(f"unknown Harper rule(s) {', '.join(unknown)}",
                                   "fix grammar.harper.enable/disable (`mtlint doctor --harper-rules` lists them)")
        on = (set(DEFAULT_RULES) | set(enable)) - set(disable)
        self.rules = tuple(sorted(on))
        self._on = frozenset(on)
        self._dialect = _DIALECTS.index(dialect)
        # The Linter (Harper's dictionary: about a second) starts building with
        # the service, in a thread (``harper.Linter()`` releases the GIL while it
        # builds; see ``_linter``), so the engine, which builds the services
        # before it checks the first file, overlaps it with loading the rules'
        # tables and checking; warm() and the first grammar check wait for it.
        # An engine that warms before forking workers shares one Linter with
        # them (tests/test_warm.py checks a fork).
        self._lin: Any = None
        self._build_error: BaseException | None = None
        # a daemon: a run that ends without needing grammar does not wait for the build
        self._builder = threading.Thread(target=self._build, name="mtlint-harper-linter", daemon=True)
        _BUILDERS.add(self._builder)
        self._builder.start()
        # what the build does not need comes after its start (reading the installed
        # version's metadata and compiling the triggers: 20-40 ms it no longer waits for)
        self.version = version()
        self._trigger = (re.compile("|".join(f"(?:{TRIGGERS[r]})" for r in self.rules), re.IGNORECASE)
                         if prefilter and self.rules and all(r in TRIGGERS for r in self.rules) else None)

    def _build(self) -> None:
        try:
            self._lin = _linter(self._dialect, self._on)
        except BaseException as exc:  # pragma: no cover - harper failing to build its dictionary
            self._build_error = exc

    def ready(self) -> bool:
        """Whether the Linter's build has ended (a check would not wait for it)."""
        return not self._builder.is_alive()

    def warm(self) -> None:
        """Wait until the Linter is built (call before forking)."""
        self._linter()

    def _linter(self) -> Any:
        if self._lin is None:
            self._builder.join()
            if self._build_error is not None:
                raise BackendError(f"Harper could not start: {self._build_error}", "fix: pip install --force-reinstall harper-py")
        return self._lin

    @classmethod
    def from_config(cls, config: "Config") -> "HarperBackend":
        h = config.grammar.harper
        return cls(h.dialect, h.enable, h.disable, h.prefilter)

    @classmethod
    def status(cls, config: "Config") -> dict[str, Any]:
        import harper  # noqa: F401  (ImportError -> not installed)

        return {"available": True, "version": version(), "detail": "offline, built in",
                "enable": "default; or set [tool.mtlint.grammar] backend = \"harper\""}

    def _pieces(self, text: str) -> list[tuple[int, int]]:
        """``(start, end)`` in ``text`` of what to lint: the sentences a selected
        rule could flag (all of the text without the prefilter), none longer
        than ``MAX_PIECE`` characters (a longer "sentence" is cut at white
        space: no real sentence is that long, and Harper's time grows faster
        than the length of what it is given)."""
        if self._trigger is None:
            if len(text) <= MAX_CALL:
                return [(0, len(text))] if text.strip() else []
            chunks = [m.span() for m in _SENTENCE.finditer(text) if m.end() > m.start()]
        else:
            chunks = [m.span() for m in _SENTENCE.finditer(text) if m.end() > m.start() and self._trigger.search(m.group())]
        out: list[tuple[int, int]] = []
        for a, b in chunks:
            while b - a > MAX_PIECE:
                cut = max(text.rfind(" ", a + MAX_PIECE // 2, a + MAX_PIECE), text.rfind("\n", a + MAX_PIECE // 2, a + MAX_PIECE))
                cut = cut + 1 if cut > a else a + MAX_PIECE
                out.append((a, cut))
                a = cut
            out.append((a, b))
        return out

    def _calls(self, text: str) -> Iterator[tuple[str, list[tuple[int, int, int]]]]:
        """The pieces of ``text`` joined into calls of at most ``MAX_CALL``
        characters, each with (start in the call, start in ``text``, length) per piece."""
        call: list[str] = []
        spans: list[tuple[int, int, int]] = []
        pos = 0
        for a, b in self._pieces(text):
            if call and pos + (b - a) > MAX_CALL:
                yield _CHUNK_SEP.join(call), spans
                call, spans, pos = [], [], 0
            spans.append((pos, a, b - a))
            call.append(text[a:b])
            pos += b - a + len(_CHUNK_SEP)
        if call:
            yield _CHUNK_SEP.join(call), spans

    def check_texts(self, texts: Sequence[str]) -> list[list[BackendFinding]]:
        """Findings for each text, each linted on its own (a text's result never
        depends on the others)."""
        lin = self._linter()
        out = []
        for text in texts:
            found = []
            for sub, spans in self._calls(text):
                if not sub.strip():
                    continue
                with _LOCK:
                    lints = lin.organized_lints(sub, language="plaintext")
                starts = [sp[0] for sp in spans]
                for rule, items in lints.items():
                    for lint in items:
                        s, e = lint.span.start, lint.span.end
                        i = bisect.bisect_right(starts, s) - 1
                        if i < 0 or e > spans[i][0] + spans[i][2]:
                            continue
                        s, e = s - spans[i][0] + spans[i][1], e - spans[i][0] + spans[i][1]
                        cat = RULE_CATEGORY.get(rule) or KIND_CATEGORY.get(lint.lint_kind, "style")
                        found.append(BackendFinding(
                            s, e, cat, rule, lint.message,
                            tuple(dict.fromkeys(x.replacement_text for x in lint.suggestions if x.replacement_text))[:5],
                            "harper", lint.lint_kind,
                        ))
            # a total order: Harper's lints come from a hash map
            found.sort(key=lambda f: (f.start, f.end, f.rule_id, f.message, f.suggestions))
            out.append(found)
        return out
