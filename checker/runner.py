"""Checking one document: the rules of one configuration, run and finalised.

``RuleRunner`` is the per-document half of the engine (``checker.engine``
owns the run: files, workers, cache, the cross-file phase, baselines,
streaming).  For one document it:
  * builds each rule's ``RuleContext`` (options validated, severity
    resolved, services it ``needs`` provided or the rule skipped with one
    notice);
  * drops findings inside quoted speech for rules that exclude quotes and
    findings about a masked placeholder (inline code, a URL), and
    folds a generic (backend) finding into a specific rule's finding on the
    same words;
  * maps spans from the checked text to the decoded file, fills in
    line/column, the matched text and fingerprints, applies inline
    suppressions and scores the file;
  * runs the ``collect`` half of cross-file rules, whose tables the engine
    reduces over the whole run.
A rule that raises is reported as an error naming the rule and file; the
other rules' findings for that file are kept.
"""

from __future__ import annotations

import dataclasses
import traceback
from collections import Counter
from dataclasses import dataclass, replace
from types import MappingProxyType
from typing import Any, Iterable, Mapping, Sequence

from .config import Config, ConfigError
from .document import Document
from .findings import Edit, FileResult, Finding, Fix, InputError, Related, Severity, fingerprint
from .registry import RuleSet
from .rule import QuotePolicy, Rule, RuleContext
from .schema import SchemaError, build
from .score import score_file
from .services import Services, ServiceUnavailable
from .spans import Span

__all__ = ["RuleRunner", "Checking", "finalize_findings", "dedup_findings", "same_place"]

_VIEWS = {"paragraphs", "sentences", "tokens", "words", "quotations", "quote_marks", "names"}


def finalize_findings(doc: Document, findings: Iterable[Finding]) -> tuple[Finding, ...]:
    """Map spans to the decoded file, add line/column, text, fingerprint; sort."""
    raw = doc.raw
    index = doc.line_index
    out: list[Finding] = []

    def map_span(span: Span) -> Span:
        return doc.to_raw(span)

    for f in findings:
        span = map_span(f.span)
        line, col = index.line_col(span.start)
        end_line, end_col = index.line_col(span.end)
        fix = f.fix
        if fix is not None and not doc.source_map.is_identity:
            edits = []
            for e in fix.edits:
                rs = map_span(e.span)
                # an edit is only exact when its raw run *is* the projected text
                # (not across markup, an entity or a collapsed line break)
                if raw[rs.start : rs.end] != doc.text[e.span.start : e.span.end]:
                    edits = None
                    break
                edits.append(Edit(rs, e.replacement))
            fix = Fix(fix.title, tuple(edits), fix.applicability) if edits else None
        related = []
        for r in f.related:
            rs = map_span(r.span)
            rl, rc = index.line_col(rs.start)
            related.append(Related(rs, r.message, rl, rc))
        out.append(
            replace(
                f,
                span=span,
                text=raw[span.start : span.end],
                fix=fix,
                related=tuple(related),
                line=line,
                column=col,
                end_line=end_line,
                end_column=end_col,
            )
        )
    out.sort(key=Finding.sort_key)
    # fingerprints: code + matched text + a few words around it + occurrence
    seen: Counter[tuple[str, str, str, str]] = Counter()
    final = []
    for f in out:
        # context stays on the finding's own line, so edits to other lines
        # or paragraphs never change the fingerprint
        lo = max(0, f.span.start - 60)
        nl = max(raw.rfind("\n", lo, f.span.start), raw.rfind("\r", lo, f.span.start))
        before = " ".join(raw[nl + 1 if nl >= 0 else lo : f.span.start].split()[-3:])
        tail = raw[f.span.end : f.span.end + 60]
        cut = min((i for i in (tail.find("\n"), tail.find("\r")) if i >= 0), default=len(tail))
        after = " ".join(tail[:cut].split()[:3])
        key = (f.code, f.text.lower(), before.lower(), after.lower())
        n = seen[key]
        seen[key] += 1
        final.append(replace(f, fingerprint=fingerprint(f.code, f.text, before, after, n)))
    return tuple(final)


#: rules with this tag report what a backend or a general dictionary
#: found; a specific rule flagging the same span wins over them
GENERIC_TAG = "generic"


#: a specific finding at most this long is a phrase: a generic finding inside it is about
#: the same words ("the" in MT005's "the Libya"); a longer one is a sentence-sized claim
PHRASE_CHARS = 30


def same_place(a: Span, b: Span) -> bool:
    """Spans that point at the same words, so their findings are merged: they
    overlap by at least half of the longer one (MT001 and GR002 both on
    "Hausers"), or one lies inside the other and the outer one is a short
    phrase (GR001's "the" inside MT005's "the Libya").  A word inside a
    flagged sentence is not the same place."""
    inter = min(a.end, b.end) - max(a.start, b.start)
    if inter <= 0:
        return a == b
    if inter * 2 >= max(a.end - a.start, b.end - b.start):
        return True
    inner, outer = (a, b) if a.end - a.start <= b.end - b.start else (b, a)
    return outer.start <= inner.start and inner.end <= outer.end and outer.end - outer.start <= PHRASE_CHARS


def dedup_findings(findings: list[Finding], generic_ids: set[int]) -> list[Finding]:
    """One finding per place when a generic (backend) rule and a specific
    rule flag the same span: the specific finding is kept, the generic one's
    advice (suggestions, backend rule id) is merged into it.  Findings of two
    generic rules on the same span keep the first by code.
    """
    generic = [f for f in findings if id(f) in generic_ids]
    if not generic:
        return findings
    gen_ids = generic_ids
    specific = sorted((f for f in findings if id(f) not in gen_ids), key=lambda f: f.span.start)
    starts = [f.span.start for f in specific]
    import bisect

    merged: dict[int, Finding] = {id(f): f for f in specific}
    kept_generic: list[Finding] = []
    for g in sorted(generic, key=lambda f: (f.span.start, f.code)):
        # candidates: specific findings starting before g ends
        hi = bisect.bisect_left(starts, g.span.end + 1)
        target = None
        for f in specific[max(0, hi - 8) : hi]:
            if same_place(f.span, g.span):
                target = f
                break
        if target is None:
            if any(same_place(k.span, g.span) for k in kept_generic[-4:]):
                continue
            kept_generic.append(g)
            continue
        cur = merged[id(target)]
        extra = {"merged": tuple(cur.data.get("merged", ())) + (g.data.get("rule") and f"{g.data.get('backend', g.code)}:{g.data.get('rule')}" or g.code,)}
        merged[id(target)] = replace(
            cur,
            suggestions=tuple(dict.fromkeys(cur.suggestions + g.suggestions)),
            data={**cur.data, **extra},
        )
    return [merged.get(id(f), f) for f in findings if id(f) not in gen_ids] + kept_generic


def _run_order(rules: tuple["_Prepared", ...]) -> tuple[int, ...]:
    """The order to run ``rules`` in: those that need a backend service last.

    A backend may still be starting when the first document is checked
    (Harper builds its dictionary for about a second, in a thread that does
    not hold the GIL): run last, the rules that wait for it let every other
    rule's work, building its tables on first use included, overlap that
    build.  Always the same order for the same rules, so a run's notices
    come out alike every time; results do not depend on it (rules read the
    document and their services, never each other's findings).
    """
    return tuple(sorted(range(len(rules)), key=lambda i: _waits(rules[i])))


def _backend_needs(p: "_Prepared") -> list[str]:
    """The backend services a rule needs (its ``backend:`` needs, optional or not)."""
    return [name for n in p.rule.meta.needs if (name := n.rstrip("?")).startswith("backend:")]


def _waits(p: "_Prepared") -> bool:
    """Whether a rule needs a backend service (those run last, and may wait for it)."""
    return bool(_backend_needs(p))


class Checking:
    """One document part-way through its rules (``RuleRunner.begin``/``finish``)."""

    __slots__ = ("doc", "rules", "order", "ready", "metrics", "done", "found", "failed", "measured", "generic_ids")

    def __init__(self, doc: Document, rules: tuple["_Prepared", ...], order: tuple[int, ...], ready: int, metrics: dict[str, Any] | None) -> None:
        self.doc = doc
        self.rules = rules
        self.order = order
        self.ready = ready  # how many rules of ``order`` run before the first that needs a backend
        self.metrics = metrics
        self.done = 0  # rules of ``order`` run so far
        self.found: list[list[Finding]] = [[] for _ in rules]
        self.failed: list[InputError | None] = [None] * len(rules)
        self.measured: list[dict[str, Any] | None] = [None] * len(rules)
        self.generic_ids: set[int] = set()


@dataclass
class _Prepared:
    """A selected rule with its validated options and configured severity."""

    rule: Rule
    options: Any
    severity: Severity | None

    def context(self, doc: Document | None, services: Mapping[str, Any]) -> RuleContext:
        return RuleContext(meta=self.rule.meta, doc=doc, options=self.options, severity=self.severity, services=services)  # type: ignore[arg-type]


class RuleRunner:
    """One configuration's rules, ready to check documents.

    ``check_document`` is pure with respect to the document, so files can
    be checked in any order or in parallel with identical results.
    ``services`` may be shared between runners whose configurations agree
    on them (the engine's ``Session`` does that).
    """

    def __init__(self, ruleset: RuleSet, config: Config, *, services: Services | None = None) -> None:
        self.ruleset = ruleset
        self.config = config
        self.services = services or Services(config)
        self.notices: list[InputError] = []
        self._notified: set[str] = set()
        self._prepared_cache: dict[tuple[tuple[str, ...], tuple[str, ...], tuple[tuple[str, str], ...]], tuple[_Prepared, ...]] = {}
        self._orders: dict[int, tuple[tuple[int, ...], int]] = {}  # id of a rules tuple -> (_run_order of it, rules before the first backend rule)
        self.rules = self._prepare(config)

    # -- set-up ----------------------------------------------------------------
    def _prepare(self, cfg: Config) -> tuple[_Prepared, ...]:
        key = (tuple(cfg.select) + tuple(cfg.extend_select), tuple(cfg.ignore), tuple(sorted((k, str(v)) for k, v in cfg.severity.items())))
        if key in self._prepared_cache:
            return self._prepared_cache[key]
        selected = self.ruleset.select(tuple(cfg.select) + tuple(cfg.extend_select), cfg.ignore, preview=cfg.preview)
        prepared = []
        for rule in selected:
            m = rule.meta
            opts_data: dict[str, Any] = {}
            if m.default_options is not None:
                opts_data.update({f.name: getattr(m.default_options, f.name) for f in dataclasses.fields(m.default_options)})
            for ref in (m.code, m.name, *m.aliases):
                if ref in cfg.options:
                    user = dict(cfg.options[ref])
                    try:
                        # validate user keys against the declared options
                        build(m.options, user, f"options.{ref}")
                    except SchemaError as exc:
                        raise ConfigError(cfg.source or "<command line>", exc.key, exc.problem) from None
                    opts_data.update({k.replace("-", "_"): v for k, v in user.items()})
            try:
                options = build(m.options, {k: v for k, v in opts_data.items()}, f"options.{m.code}")
            except SchemaError as exc:
                raise ConfigError(cfg.source or m.path, exc.key, exc.problem) from None
            sev = None
            for ref in (m.code, m.name, *m.aliases):
                if ref in cfg.severity:
                    sev = cfg.severity[ref]
            prepared.append(_Prepared(rule, options, sev))
        out = tuple(prepared)
        self._prepared_cache[key] = out
        return out

    @property
    def degraded(self) -> bool:
        """True once a service some rule needs has failed: results then depend on
        more than the text and settings (the engine does not cache them)."""
        return bool(self.notices)

    def _notice(self, key: str, error: InputError) -> None:
        if key not in self._notified:
            self._notified.add(key)
            self.notices.append(error)

    def _services_for(self, rule: Rule) -> Mapping[str, Any] | None:
        """The services a rule needs; None skips the rule.

        A need ending in ``?`` is optional: when the service is unavailable
        the rule runs without it (and the notice is still given once).
        """
        needed = [n for n in rule.meta.needs if n.rstrip("?") not in _VIEWS]
        if not needed:
            return MappingProxyType({})
        got = {}
        for need in needed:
            name = need.rstrip("?")
            try:
                got[name] = self.services.get(name)
            except ServiceUnavailable as exc:
                if not exc.quiet:
                    self._notice(
                        f"service:{name}",
                        InputError("mtlint", "backend", f"{exc} (rules needing {name} were skipped)" if not need.endswith("?")
                                   else f"{exc}", fatal=exc.fatal),
                    )
                if need.endswith("?"):
                    continue
                return None
        return MappingProxyType(got)

    def rules_for(self, path: str) -> tuple[_Prepared, ...]:
        cfg = self.config.for_file(path)
        return self.rules if cfg is self.config else self._prepare(cfg)

    # -- checking -------------------------------------------------------------
    def raw_findings(self, doc: Document, metrics: dict[str, Any] | None = None) -> tuple[list[Finding], list[InputError]]:
        """Findings in the document's own text coordinates (not yet finalised).

        Rules that also measure (``rule.metrics(doc, ctx) -> dict``, the
        readability kind) add their numbers to ``metrics``.  Rules run in
        ``_run_order`` (the ones that need a backend last); their findings,
        errors and metrics come out in the rules' own order whatever the
        order they ran in.  ``begin`` and ``finish`` do the same in two
        steps (the engine checks ahead while a backend starts).
        """
        return self.finish(self.begin(doc, metrics))

    def begin(self, doc: Document, metrics: dict[str, Any] | None = None) -> "Checking":
        """Run ``doc``'s rules up to the first that needs a backend (``finish`` runs the rest)."""
        rules = self.rules_for(doc.path)
        known = self._orders.get(id(rules))
        if known is None:  # (the tuples are kept by _prepared_cache, so their ids stay theirs)
            order = _run_order(rules)
            known = self._orders[id(rules)] = (order, next((k for k, i in enumerate(order) if _waits(rules[i])), len(order)))
        run = Checking(doc, rules, *known, metrics)
        self._advance(run, until_backend=True)
        return run

    def waiting(self, run: "Checking") -> bool:
        """True while a rule ``run`` has still to run needs a backend that is not ready yet."""
        return any(not self.services.ready(name) for i in run.order[run.done :] for name in _backend_needs(run.rules[i]))

    def starting(self) -> bool:
        """True while a backend service a selected rule needs is still starting."""
        return any(not self.services.ready(name) for p in self.rules for name in _backend_needs(p))

    def finish(self, run: "Checking") -> tuple[list[Finding], list[InputError]]:
        """Run the rest of ``run``'s rules; its findings (deduplicated) and errors, in rule order."""
        self._advance(run, until_backend=False)
        if run.metrics is not None:
            for m in run.measured:
                if m:
                    run.metrics.update(m)
        findings = [f for produced in run.found for f in produced]
        return dedup_findings(findings, run.generic_ids), [e for e in run.failed if e is not None]

    def _advance(self, run: "Checking", until_backend: bool) -> None:
        doc, rules, metrics = run.doc, run.rules, run.metrics
        end = run.ready if until_backend else len(run.order)
        while run.done < end:
            i = run.order[run.done]
            p = rules[i]
            rule = p.rule
            run.done += 1
            services = self._services_for(rule)
            if services is None:
                continue
            ctx = p.context(doc, services)
            try:
                produced = list(rule.check(doc, ctx))
                if metrics is not None and hasattr(rule, "metrics"):
                    run.measured[i] = rule.metrics(doc, ctx)
            except ServiceUnavailable as exc:  # a backend that died mid-run: one notice, not a crash per file
                self._notice(f"service-failed:{exc}", InputError("mtlint", "backend", str(exc), fatal=exc.fatal))
                continue
            except TimeoutError as exc:  # over its time limit (a user's regex, say): that document's error, the run goes on
                run.failed[i] = InputError(doc.path, "rule-timeout", f"rule {rule.meta.code} ({rule.meta.name}) {exc or 'timed out'}; its findings for this file are missing")
                continue
            except Exception as exc:  # a broken rule must not lose the other rules' work
                tb = traceback.extract_tb(exc.__traceback__)[-1]
                run.failed[i] = InputError(
                    doc.path,
                    "rule-crash",
                    f"rule {rule.meta.code} ({rule.meta.name}) failed: {type(exc).__name__}: {exc} "
                    f"[{tb.filename.rsplit('/', 1)[-1]}:{tb.lineno}]; its findings for this file are missing",
                )
                continue
            if rule.meta.quotes is QuotePolicy.EXCLUDE:
                produced = [f for f in produced if not doc.in_quotation(f.span)]
            if doc.masked:  # a placeholder ("code" for inline code) is never the author's word
                produced = [f for f in produced if not doc.masks(f.span)]
            if GENERIC_TAG in rule.meta.tags:
                run.generic_ids.update(id(f) for f in produced)
            run.found[i] = produced

    def suppress(self, path: str, raw: str, findings: Sequence[Finding]) -> tuple[tuple[Finding, ...], list[InputError]]:
        """Drop findings silenced by inline comments (raw coordinates, after finalisation)."""
        from .suppress import apply_suppressions, parse_directives

        def resolve(ref: str) -> str | None:
            rule = self.ruleset.get(ref) or self.ruleset.get(ref.upper())
            return rule.meta.code if rule is not None else None

        directives, errors = parse_directives(raw, resolve, path)
        return apply_suppressions(raw, findings, directives), errors

    def check_document(self, doc: Document, begun: "Checking | None" = None) -> FileResult:
        """``doc``'s result; ``begun`` is ``begin(doc, {})`` when the caller started it."""
        if begun is None:
            begun = self.begin(doc, {})
        metrics = begun.metrics if begun.metrics is not None else {}
        findings, errors = self.finish(begun)
        final, notes = self.suppress(doc.path, doc.raw, finalize_findings(doc, findings))
        return FileResult(
            path=doc.path,
            findings=final,
            errors=tuple(errors) + tuple(notes),
            metrics=MappingProxyType(metrics),
            score=score_file(final, doc.word_count, metrics),
            words=doc.word_count,
            source=doc.raw,
            format=doc.format,
        )

    def check_text(self, text: str, path: str = "<text>") -> FileResult:
        return self.check_document(Document(text, path=path))

    # -- the cross-file phase ----------------------------------------------------
    def collect(self, doc: Document) -> tuple[dict[str, Any], list[InputError]]:
        """What each cross-file rule collects from ``doc``: ``{code: plain data}``."""
        collected: dict[str, Any] = {}
        errors: list[InputError] = []
        for p in self.rules_for(doc.path):
            if not p.rule.meta.corpus:
                continue
            services = self._services_for(p.rule)
            if services is None:  # a service it needs is missing: notice already given
                continue
            try:
                collected[p.rule.meta.code] = p.rule.collect(doc, p.context(doc, services))  # type: ignore[attr-defined]
            except Exception as exc:  # a broken corpus rule must not stop the run
                errors.append(InputError(doc.path, "rule-crash", f"rule {p.rule.meta.code} failed collecting: {type(exc).__name__}: {exc}"))
        return collected, errors

    def corpus_context(self, code: str) -> tuple[Rule, RuleContext] | None:
        """The cross-file rule ``code`` with a context for ``check_corpus`` (no document)."""
        for p in self.rules:
            if p.rule.meta.code == code:
                services = self._services_for(p.rule)
                return None if services is None else (p.rule, p.context(None, services))
        return None

    def finalize_extra(self, path: str, raw: str, findings: Sequence[Finding]) -> tuple[Finding, ...]:
        """Cross-file findings for one file (spans already in ``raw``), finalised and suppressed."""
        doc = Document(raw, path=path)
        final, _ = self.suppress(path, raw, finalize_findings(doc, findings))
        return final

    # -- warm start ----------------------------------------------------------------
    def warm(self, rules: bool = True, wait: bool = True) -> None:
        """Load everything the selected rules will use (before workers fork).

        Builds the services the rules need (a backend that cannot start
        gives its notice here, once) and, unless ``rules`` is false, calls
        each rule's ``warm()`` (a run that does not fork leaves the rules'
        tables to load on first use: one article may never need some), then,
        unless ``wait`` is false too, waits until each service is ready (its
        ``warm()``: Harper's Linter, which builds in a thread, is finished
        before any fork).  The tables load while the backend builds.
        """
        for p in self.rules:
            services = self._services_for(p.rule)
            if services is None or not rules:
                continue
            try:
                warm = getattr(p.rule, "warm", None)  # (a deferred rule is built here)
                if warm is not None:
                    warm()
            except Exception as exc:  # a rule-file problem found only now: that rule's error, not a crash
                m = p.rule.meta
                self._notice(f"warm:{m.code}", InputError(m.path or m.code, "rule-file", f"rule {m.code} ({m.name}) could not load: {exc}"))
        if wait:
            self.wait_ready()

    def _backends(self) -> list[Any]:
        """The services the selected rules need that were built (each once)."""
        out: dict[int, Any] = {}
        for p in self.rules:
            for need in p.rule.meta.needs:
                name = need.rstrip("?")
                service = self.services.built(name) if name not in _VIEWS else None
                if service is not None:
                    out.setdefault(id(service), service)
        return list(out.values())

    def wait_ready(self) -> None:
        """Return when every service the selected rules need has finished starting
        (Harper's Linter: call before forking)."""
        for service in self._backends():
            warm = getattr(service, "warm", None)
            if warm is not None:
                warm()
