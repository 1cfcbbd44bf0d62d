"""What every declarative kind shares, so a kind only writes what is its own.

A kind subclasses ``KindRule`` and sets ``Spec`` (the frozen dataclass of
its YAML keys), and where they differ from the defaults ``Options``,
``needs``, ``fixable`` and ``corpus``.  ``prepare(base_dir)`` validates and
precompiles the spec once, at load time (raise ``SchemaError`` for a bad
value: the registry reports it with the rule file's path); ``check(doc,
ctx)`` is the pure per-document function.

``warm()`` loads now whatever ``check`` would otherwise load on first use
(frequency and syllable tables, word lists, lazily compiled matchers).  The
engine calls it on the selected rules, after building the services they
need and calling ``warm()`` on each service that has one (the grammar
service's waits for Harper's Linter, which builds in a thread from the
moment the service is made), in the parent process before it forks
workers, so the workers share those tables copy-on-write instead of each
loading its own.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Iterable

from ..rule import Fixability, NoOptions, RuleContext, RuleMeta

if TYPE_CHECKING:
    from ..document import Document
    from ..findings import Finding

__all__ = ["KindRule"]


class KindRule:
    """Base of the built-in kinds: metadata plus a validated spec."""

    Spec: ClassVar[type]
    Options: ClassVar[type] = NoOptions
    needs: ClassVar[frozenset[str]] = frozenset()
    fixable: ClassVar[Fixability] = Fixability.NEVER
    corpus: ClassVar[bool] = False

    def __init__(self, meta: RuleMeta, spec: Any, base_dir: Path) -> None:
        self.meta = meta
        self.spec = spec
        self.prepare(base_dir)

    def prepare(self, base_dir: Path) -> None:
        """Validate and precompile ``self.spec`` (load time, once per run)."""

    def warm(self) -> None:
        """Load every table and compile every matcher ``check`` will use.

        The contract: idempotent and cheap when already warm; needs no
        document and no services (a service, such as the grammar backend, is
        warm once it is built); never changes a result (a rule that was not
        warmed loads the same things lazily, on first use); thread- and
        fork-safe afterwards (what it loads is immutable).  It may raise
        ``SchemaError`` for a rule-file problem found only when something is
        compiled (a context regex in a word list), which the engine reports
        like a load error of that rule.  The default loads nothing.
        """

    def check(self, doc: "Document", ctx: RuleContext) -> Iterable["Finding"]:  # pragma: no cover - abstract
        raise NotImplementedError
