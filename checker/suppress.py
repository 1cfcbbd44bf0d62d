"""Inline suppression comments and baseline files.

Inline comments (the same syntax in Markdown, HTML **and plain text**, so an
article moved between formats keeps its suppressions, and no sentence of
prose can be mistaken for one)::

    <!-- mtlint-disable MT004 -->          off from here (all rules when no codes)
    <!-- mtlint-enable MT004 -->           on again (all rules when no codes)
    <!-- mtlint-disable-next-line MT001 --> off for the next line only
    <!-- mtlint-disable-line MT001 -->     off for the comment's own line

Codes are rule codes, names or aliases separated by spaces or commas; an
unknown one is reported as a notice naming the file and line.  Suppression
runs on finalised findings, in the decoded file's coordinates, so it works
the same for every format; findings inside a suppression comment itself
(plain text has no comment syntax, so rules do see it) are dropped too.

Baselines record today's findings by fingerprint (see
``checker.findings.fingerprint``: code + matched text + nearby words +
occurrence), per file, so editing elsewhere in a file does not resurrect
them; with a baseline only findings not in it are reported.
"""

from __future__ import annotations

import bisect
import json
import os
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Sequence

from .findings import FileResult, Finding, InputError
from .spans import LineIndex

__all__ = ["Directive", "parse_directives", "apply_suppressions", "Baseline", "write_baseline", "load_baseline"]

_COMMENT = re.compile(
    r"<!--\s*mtlint-(?P<verb>disable-next-line|disable-line|disable|enable)(?![\w-])(?P<codes>(?:(?!-->).)*?)\s*-->",
    re.S,
)
_ALL = "*"


@dataclass(frozen=True)
class Directive:
    verb: str
    codes: frozenset[str]  # resolved rule codes; {"*"} for every rule
    start: int
    end: int
    line: int


def parse_directives(raw: str, resolve: Any, path: str) -> tuple[list[Directive], list[InputError]]:
    """Suppression comments of ``raw``; ``resolve(ref)`` gives a rule code or None."""
    if "mtlint-" not in raw:
        return [], []
    index = LineIndex(raw)
    out: list[Directive] = []
    errors: list[InputError] = []
    for m in _COMMENT.finditer(raw):
        line = index.line_col(m.start())[0]
        refs = [r for r in re.split(r"[\s,]+", m.group("codes")) if r]
        codes: set[str] = set()
        for ref in refs:
            code = resolve(ref) if ref.lower() not in ("all", "*") else _ALL
            if code is None:
                errors.append(
                    InputError(path, "suppression", f"line {line}: unknown rule {ref!r} in mtlint-{m.group('verb')} comment", fatal=False)
                )
            else:
                codes.add(code)
        if refs and not codes:
            continue  # only unknown codes: suppress nothing rather than everything
        out.append(Directive(m.group("verb"), frozenset(codes or {_ALL}), m.start(), m.end(), line))
    return out, errors


def apply_suppressions(raw: str, findings: Sequence[Finding], directives: Sequence[Directive]) -> tuple[Finding, ...]:
    """The findings that no directive suppresses.

    Ranges follow ESLint: ``disable`` (all) then ``enable MT004`` turns
    MT004 back on while the others stay off.
    """
    if not directives or not findings:
        return tuple(findings)
    # a timeline of states: from offset ``points[i]`` on, ``states[i]`` holds
    points: list[int] = [0]
    states: list[tuple[bool, frozenset[str], frozenset[str]]] = [(False, frozenset(), frozenset())]
    lines: dict[int, set[str]] = {}
    all_off, off, back_on = False, set(), set()
    for d in directives:
        if d.verb in ("disable", "enable"):
            if d.verb == "disable":
                if _ALL in d.codes:
                    all_off, off, back_on = True, set(), set()
                elif all_off:
                    back_on -= d.codes
                else:
                    off |= d.codes
            else:
                if _ALL in d.codes:
                    all_off, off, back_on = False, set(), set()
                elif all_off:
                    back_on |= d.codes
                else:
                    off -= d.codes
            points.append(d.end)
            states.append((all_off, frozenset(off), frozenset(back_on)))
        elif d.verb == "disable-next-line":
            lines.setdefault(d.line + 1, set()).update(d.codes)
        else:
            lines.setdefault(d.line, set()).update(d.codes)
    comments = sorted((d.start, d.end) for d in directives)
    comment_starts = [s for s, _ in comments]

    kept = []
    for f in findings:
        i = bisect.bisect_right(comment_starts, f.span.start) - 1
        if i >= 0 and comments[i][0] <= f.span.start and f.span.end <= comments[i][1]:
            continue  # inside a suppression comment (plain text has no comments)
        s_all, s_off, s_on = states[bisect.bisect_right(points, f.span.start) - 1]
        if (s_all and f.code not in s_on) or f.code in s_off:
            continue
        on_line = lines.get(f.line, ())
        if _ALL in on_line or f.code in on_line:
            continue
        kept.append(f)
    return tuple(kept)


# -- baselines -----------------------------------------------------------------
BASELINE_VERSION = 1


def _norm_path(path: str, root: Path) -> str:
    if path == "-" or path.startswith("<"):
        return path
    p = Path(path).resolve()
    try:
        return p.relative_to(root).as_posix()
    except ValueError:
        return Path(os.path.relpath(p, root)).as_posix()


def _baseline_path(path: str, root: Path) -> str:
    """A file's path as a baseline records it: relative to the baseline's folder, in the
    reports' display form (a name that is not UTF-8 is escaped, so the file stays valid JSON text)."""
    from .fsio import display_path

    return display_path(_norm_path(path, root))


def write_baseline(results: Iterable[FileResult], target: str | Path) -> int:
    """Write every finding's fingerprint to ``target`` (JSON, stable order); returns the count."""
    target = Path(target)
    root = target.resolve().parent
    entries = sorted(
        (
            {"path": _baseline_path(r.path, root), "code": f.code, "fingerprint": f.fingerprint, "text": f.text}
            for r in results
            for f in r.findings
        ),
        key=lambda e: (e["path"], e["code"], e["fingerprint"]),
    )
    payload = {"mtlint-baseline": BASELINE_VERSION, "findings": entries}
    tmp = target.with_name(f".{target.name}.tmp{os.getpid()}")
    tmp.write_text(json.dumps(payload, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    os.replace(tmp, target)
    return len(entries)


class Baseline:
    """Known findings, by (file relative to the baseline's folder, fingerprint)."""

    def __init__(self, entries: Iterable[tuple[str, str]], root: Path, source: str) -> None:
        self.known: Counter[tuple[str, str]] = Counter(entries)
        self._paths = frozenset(p for p, _ in self.known)
        self.root = root
        self.source = source

    def filter(self, result: FileResult) -> tuple[FileResult, int]:
        """``result`` without its baselined findings, and how many were removed."""
        if not result.findings:
            return result, 0
        from .fsio import display_path

        raw = _norm_path(result.path, self.root)
        path = display_path(raw)  # as ``write_baseline`` records it
        if raw != path and path not in self._paths and raw in self._paths:
            path = raw  # a baseline written before 2026-12-03 kept a name with a backslash as it was
        kept, dropped = [], 0
        budget = Counter()
        for f in result.findings:
            key = (path, f.fingerprint)
            if budget[key] < self.known.get(key, 0):
                budget[key] += 1
                dropped += 1
            else:
                kept.append(f)
        if not dropped:
            return result, 0
        from dataclasses import replace

        return replace(result, findings=tuple(kept)), dropped


def load_baseline(path: str | Path) -> Baseline | InputError:
    p = Path(path)
    try:
        data = json.loads(p.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return InputError(str(path), "baseline", "baseline file not found (write one with --write-baseline)")
    except (OSError, ValueError) as exc:
        return InputError(str(path), "baseline", f"cannot read the baseline: {exc}")
    if not isinstance(data, dict) or not isinstance(data.get("findings"), list):
        return InputError(str(path), "baseline", "not an mtlint baseline file (no 'findings' list)")
    entries = []
    for e in data["findings"]:
        if isinstance(e, dict) and isinstance(e.get("path"), str) and isinstance(e.get("fingerprint"), str):
            entries.append((e["path"], e["fingerprint"]))
    return Baseline(entries, p.resolve().parent, str(path))
