"""Applying fixes to a text: non-overlapping edits, right to left.

Edits of one fix are all-or-nothing; a fix whose edits overlap an already
accepted fix is skipped (the next pass, after a re-check, can pick it up).
Safe fixes only, unless ``unsafe`` is set.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace
from types import MappingProxyType
from typing import Iterable, Mapping, Sequence

from .findings import Finding, InputError, Report, Summary
from .fsio import WriteRefused, rewrite_in_place

__all__ = ["apply_fixes", "select_fixes", "select_edits", "fix_text", "fixed_sources", "FileFix", "write_fix", "with_errors", "unified_diff"]


def select_fixes(findings: Iterable[Finding], *, unsafe: bool = False) -> list[Finding]:
    """The findings whose fixes are applied together: in report order, safe ones
    (and unsafe ones if ``unsafe``), skipping any whose edits clash with one
    already chosen (the next pass, after a re-check, can pick it up)."""
    chosen: list[Finding] = []
    taken: list[tuple[int, int]] = []
    for f in sorted(findings, key=Finding.sort_key):
        if f.fix is None or not f.fix.edits or (not f.fix.is_safe and not unsafe):
            continue
        edits = [(e.span.start, e.span.end) for e in f.fix.edits]
        if any(s < te and ts < e or (s == e == ts == te) for s, e in edits for ts, te in taken):
            continue
        chosen.append(f)
        taken.extend(edits)
    return chosen


def select_edits(findings: Iterable[Finding], *, unsafe: bool = False) -> list[tuple[int, int, str]]:
    """The edits to apply, as ``(start, end, replacement)``, sorted, non-overlapping."""
    return sorted({(e.span.start, e.span.end, e.replacement) for f in select_fixes(findings, unsafe=unsafe) for e in f.fix.edits})  # type: ignore[union-attr]


def apply_fixes(text: str, findings: Iterable[Finding], *, unsafe: bool = False) -> str:
    """``text`` with the chosen edits applied (offsets are into ``text``)."""
    out = text
    for start, end, replacement in reversed(select_edits(findings, unsafe=unsafe)):
        out = out[:start] + replacement + out[end:]
    return out


# -- fixing files (``mtlint check --fix`` / ``--diff``) -------------------------
#: re-check passes after applying fixes (fixes can expose or clear others)
MAX_PASSES = 4


@dataclass(frozen=True)
class FileFix:
    """What fixing one file changes: its text before and after, and how many
    findings of each rule the applied fixes resolved."""

    path: str
    old: str
    new: str
    applied: Mapping[str, int]


def _fixable(findings: Iterable[Finding], unsafe: bool) -> bool:
    return any(f.fix is not None and f.fix.edits and (unsafe or f.fix.is_safe) for f in findings)


def fix_text(text: str, path: str, fmt: str, findings: Iterable[Finding], runner: object, *, unsafe: bool = False) -> tuple[str, Counter[str]]:
    """``text`` with fixes applied and re-checked up to ``MAX_PASSES`` times,
    and the number of fixes applied per rule code.

    Every pass loads the new text with the file's own loader, so Markdown and
    HTML edits stay in the decoded file's coordinates.
    """
    from .loaders import SourceFile, load_document

    current = text
    found = list(findings)
    applied: Counter[str] = Counter()
    for _ in range(MAX_PASSES):
        chosen = select_fixes(found, unsafe=unsafe)
        if not chosen:
            break
        new = apply_fixes(current, chosen, unsafe=unsafe)
        if new == current:
            break
        applied.update(f.code for f in chosen)
        current = new
        doc = load_document(SourceFile(path, current, fmt), runner.config)  # type: ignore[attr-defined]
        found = list(runner.check_document(doc).findings)  # type: ignore[attr-defined]
    return current, applied


def fixed_sources(report: object, engine: object, *, unsafe: bool = False, stdin: bool = False) -> list[FileFix]:
    """Every checked file that fixes would change (``engine`` is the
    ``checker.engine.Engine`` that made the report); standard input only
    with ``stdin`` (it cannot be written back, but a preview can show it)."""
    out = []
    for r in report.files:  # type: ignore[attr-defined]
        if r.source is None or (r.path == "-" and not stdin) or not _fixable(r.findings, unsafe):
            continue
        new, applied = fix_text(r.source, r.path, r.format, r.findings, engine.runner_for(r.path), unsafe=unsafe)  # type: ignore[attr-defined]
        if new != r.source:
            out.append(FileFix(r.path, r.source, new, MappingProxyType(dict(sorted(applied.items())))))
    return out


_BOM = b"\xef\xbb\xbf"


def write_fix(path: str, old: str, new: str) -> InputError | None:
    """Write ``new`` over the checked file ``path`` whose text was ``old``.

    The file is rewritten in place (``fsio.rewrite_in_place``): a symlink is
    followed and kept, and owner, group, mode and hard links stay as they
    are; its byte-order mark is kept.  Returns None when the file holds the
    fixed text, or the ``InputError`` saying why it was not written: kind
    ``unwritable`` (a read-only file or folder, an immutable file, a failed
    write) or ``changed`` (the file on disk is no longer the text that was
    checked; it is not overwritten).
    """

    def update(current: bytes) -> bytes | None:
        bom = current.startswith(_BOM)
        try:
            text = current[len(_BOM) if bom else 0 :].decode("utf-8")
        except UnicodeDecodeError:
            text = None
        if text == new:  # already fixed (another hard link to the same file, say)
            return None
        if text != old:
            raise WriteRefused("changed on disk since it was checked; not fixed (run mtlint again)", "changed")
        return (_BOM if bom else b"") + new.encode("utf-8")

    try:
        rewrite_in_place(path, update)
    except WriteRefused as exc:
        return InputError(path, exc.kind, f"could not write the fixes: {exc}")
    return None


def with_errors(report: Report, errors: Sequence[InputError]) -> Report:
    """``report`` with ``errors`` added to the results of the files they name
    (or to the run's notices when no checked file has that path)."""
    if not errors:
        return report
    by_path: dict[str, list[InputError]] = {}
    for e in errors:
        by_path.setdefault(e.path, []).append(e)
    files = []
    for r in report.files:
        extra = by_path.pop(r.path, [])
        files.append(replace(r, errors=r.errors + tuple(extra)) if extra else r)
    rest = tuple(e for es in by_path.values() for e in es)
    return replace(report, files=tuple(files), notices=report.notices + rest, summary=Summary.of(files))


def unified_diff(path: str, old: str, new: str) -> str:
    import difflib

    out = []
    for line in difflib.unified_diff(old.splitlines(keepends=True), new.splitlines(keepends=True), fromfile=f"a/{path.lstrip('/')}", tofile=f"b/{path.lstrip('/')}"):
        out.append(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n")
    return "".join(out)
