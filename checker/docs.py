"""Rule documentation built from metadata and fixtures, so docs cannot drift.

``rule_page`` renders one rule's page (Markdown): summary, what it flags,
why it matters, examples drawn from ``fixtures/rules/<CODE>.yaml`` (first
flag cases, then pass cases), options from the options dataclass, and how
to suppress it.  ``mtlint explain`` prints it; ``scripts/gen_docs.py``
writes ``docs/rules/``.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import yaml

from .resources import fixtures_root
from .rule import Rule
from .schema import field_docs

MARK_OPEN, MARK_CLOSE = "⟦", "⟧"


def load_fixture(code: str, root: Path | None = None) -> dict[str, Any] | None:
    root = root or fixtures_root()
    if root is None:
        return None
    path = root / f"{code}.yaml"
    if not path.is_file():
        return None
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _example(case: dict[str, Any]) -> str:
    text = str(case.get("text", "")).strip()
    return text.replace(MARK_OPEN, "**").replace(MARK_CLOSE, "**")


def rule_page(rule: Rule, *, max_examples: int = 3) -> str:
    m = rule.meta
    lines = [f"# {m.code} `{m.name}`", "", f"**{m.summary}**", ""]
    lines.append(
        f"Category: `{m.category}` · severity: `{m.severity}` · status: `{m.status}` · fixable: `{m.fixable}`"
        f" · kind: `{m.kind}` · quoted speech: `{m.quotes}`"
    )
    if m.tags:
        lines.append(f"Tags: {', '.join(sorted(m.tags))}")
    lines += ["", "## Why it matters", "", m.rationale or "(no rationale written)", ""]
    fixture = load_fixture(m.code)
    if fixture:
        cases = fixture.get("cases", [])
        flags = [c for c in cases if c.get("expect") == "flag"][:max_examples]
        passes = [c for c in cases if c.get("expect") == "pass"][:max_examples]
        lines += ["## Examples", ""]
        if flags:
            lines.append("Flagged:")
            lines += [f"- {_example(c)}" for c in flags]
            lines.append("")
        if passes:
            lines.append("Not flagged:")
            lines += [f"- {_example(c)}" for c in passes]
            lines.append("")
    rows = field_docs(m.options) if dataclasses.is_dataclass(m.options) else []
    if rows:
        lines += ["## Options", "", "| option | type | default | meaning |", "|---|---|---|---|"]
        for key, tp, default, text in rows:
            lines.append(f"| `{key}` | {tp} | `{default!r}` | {text} |")
        lines.append("")
    lines += [
        "## Suppressing",
        "",
        f"In config: `ignore = [\"{m.code}\"]` (or the name `{m.name}`).",
        f"In a Markdown or HTML file: `<!-- mtlint-disable-next-line {m.code} -->`.",
    ]
    if m.source or m.url:
        lines += ["", f"Source: {m.source or ''} {m.url or ''}".rstrip()]
    return "\n".join(lines) + "\n"
