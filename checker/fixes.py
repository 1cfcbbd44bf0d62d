"""Applying fixes to a text: non-overlapping edits, right to left.

Edits of one fix are all-or-nothing; a fix whose edits overlap an already
accepted fix is skipped (the next pass, after a re-check, can pick it up).
Safe fixes only, unless ``unsafe`` is set.
"""

from __future__ import annotations

from typing import Iterable

from .findings import Finding

__all__ = ["apply_fixes", "select_edits"]


def select_edits(findings: Iterable[Finding], *, unsafe: bool = False) -> list[tuple[int, int, str]]:
    """The edits to apply, as ``(start, end, replacement)``, sorted, non-overlapping."""
    chosen: list[tuple[int, int, str]] = []
    taken: list[tuple[int, int]] = []
    fixes = [f.fix for f in sorted(findings, key=lambda f: (f.span.start, f.span.end, f.code)) if f.fix is not None]
    for fix in fixes:
        if not fix.is_safe and not unsafe:
            continue
        edits = sorted((e.span.start, e.span.end, e.replacement) for e in fix.edits)
        clash = any(s < te and ts < e or (s == e == ts == te) for s, e, _ in edits for ts, te in taken)
        if clash:
            continue
        chosen.extend(edits)
        taken.extend((s, e) for s, e, _ in edits)
    return sorted(set(chosen))


def apply_fixes(text: str, findings: Iterable[Finding], *, unsafe: bool = False) -> str:
    """``text`` with the chosen edits applied (offsets are into ``text``)."""
    out = text
    for start, end, replacement in reversed(select_edits(findings, unsafe=unsafe)):
        out = out[:start] + replacement + out[end:]
    return out
