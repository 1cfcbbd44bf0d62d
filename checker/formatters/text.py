"""Terminal output: ``path:line:col: CODE message``, excerpt, caret line.

Not on a terminal (pipes, files, CI logs, editors parsing the output) the
output is plain text in exactly that shape.  On a terminal (``--color``
auto/always, ``NO_COLOR`` unset) it is drawn with ``rich``: findings grouped
under a rule per file, coloured carets, and a summary table by rule; the
``path:line:col:`` prefix stays so terminals keep it clickable.  Input
errors and engine notices follow the findings, then a one-line summary.
Right-to-left glosses in messages are transliterated (``ltr``).
"""

from __future__ import annotations

import unicodedata
from typing import IO

from ..findings import FileResult, Finding, Report, Severity
from ..fsio import display_path
from . import FormatOptions

_COLORS = {Severity.ERROR: "\x1b[31m", Severity.WARNING: "\x1b[33m", Severity.INFO: "\x1b[36m"}
_BOLD, _DIM, _RESET = "\x1b[1m", "\x1b[2m", "\x1b[0m"


#: bidirectional embedding, override and isolate controls, and the marks
_BIDI_CONTROLS = dict.fromkeys(map(ord, "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"))
_RTL_CLASSES = frozenset({"R", "AL", "AN"})


def ltr(text: str) -> str:
    """``text`` for one left-to-right terminal line: runs of right-to-left
    script (the Arabic or Hebrew glosses in rule messages, such as
    ``Arabic "طلب"``) transliterated to ASCII with anyascii (``Arabic "tlb"``),
    and bidirectional controls removed.  A terminal lays a line out left to
    right; an RTL run inside it shows reversed or jumps around the quotes.
    JSON, SARIF, the HTML report and ``mtlint explain`` keep the script."""
    if text.isascii():
        return text
    text = text.translate(_BIDI_CONTROLS)
    out: list[str] = []
    run: list[str] = []
    for ch in text:
        bidi = unicodedata.bidirectional(ch)
        if bidi in _RTL_CLASSES or (run and bidi == "NSM"):  # marks (harakat) belong to their letter
            run.append(ch)
            continue
        if run:
            out.append(_transliterate("".join(run)))
            run = []
        out.append(ch)
    if run:
        out.append(_transliterate("".join(run)))
    return "".join(out)


def _transliterate(run: str) -> str:
    from anyascii import anyascii

    return anyascii(run)


def _width(s: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 0 if unicodedata.combining(c) else 1 for c in s)


def excerpt_lines(source: str, f: Finding, max_width: int = 100) -> tuple[str, str]:
    """The finding's first line (trimmed around the span) and a caret line under it."""
    line_start = source.rfind("\n", 0, f.span.start) + 1
    line_end = source.find("\n", f.span.start)
    if line_end < 0:
        line_end = len(source)
    if line_end - line_start > 4 * max_width:  # show a window round the span: never measure a 5 MB line
        line_start = max(line_start, f.span.start - 2 * max_width)
        line_end = min(line_end, line_start + 4 * max_width)
    line = source[line_start:line_end].rstrip("\r")
    col = f.span.start - line_start
    end = min(f.span.end, line_start + len(line)) - line_start
    left = 0
    if _width(line) > max_width:
        left = max(0, col - max_width // 3)
        line = ("…" if left else "") + line[left : left + max_width]
        shift = 1 if left else 0
        col, end = col - left + shift, end - left + shift
    carets = " " * _width(line[:col]) + "^" * max(1, _width(line[col:end]))
    return line.replace("\t", " "), carets


def fix_hint(report: Report) -> str:
    """``3 fixable with `mtlint check --fix` (1 more with --unsafe-fixes)``, or ""."""
    safe, unsafe = report.summary.fixable, report.summary.fixable_unsafe
    if not safe and not unsafe:
        return ""
    if not safe:
        return f"{unsafe} fixable with `mtlint check --fix --unsafe-fixes` (review them first)"
    more = f" ({unsafe} more with --unsafe-fixes)" if unsafe else ""
    return f"{safe} fixable with `mtlint check --fix`{more}"


def statistics_rows(report: Report) -> list[tuple[int, str, str, str]]:
    """``(count, code, fixable mark, name)`` per rule, most frequent first."""
    counts: dict[tuple[str, str], int] = {}
    for (code, name, _sev), n in report.summary.by_rule.items():
        counts[(code, name)] = counts.get((code, name), 0) + n
    fixable = report.summary.fixable_by_rule
    rows = [(n, code, "[*]" if fixable.get(code) else "", name) for (code, name), n in counts.items()]
    return sorted(rows, key=lambda row: (-row[0], row[1]))


class TextFormatter:
    name = "text"
    machine = False

    def render(self, report: Report, stream: IO[str], options: FormatOptions) -> None:
        if options.terminal:
            render_rich(report, stream, options)
            return
        c = options.color

        def paint(s: str, code: str) -> str:
            return f"{code}{s}{_RESET}" if c else s

        if options.statistics:
            for n, code, mark, name in statistics_rows(report):
                stream.write(f"{n:6d}\t{code}\t{mark:3}\t{name}\n")
        else:
            for r in report.files:
                for f in r.findings:
                    loc = f"{display_path(r.path)}:{f.line}:{f.column}:"
                    sev = paint(str(f.severity), _COLORS[f.severity])
                    stream.write(f"{paint(loc, _BOLD)} {paint(f.code, _BOLD)} {ltr(f.message)} [{sev}]\n")
                    if r.source is not None:
                        line, carets = excerpt_lines(r.source, f)
                        stream.write(f"    {line}\n    {paint(carets, _COLORS[f.severity])}\n")
                    if f.suggestions:
                        stream.write(f"    {paint('suggestion:', _DIM)} {ltr(' | '.join(f.suggestions))}\n")
                if shows_score(r):
                    stream.write(f"{paint(display_path(r.path) + ':', _BOLD)} {score_line(r.score)}\n")
        if options.quiet:
            return
        for e in report.errors:
            label = "error" if e.fatal else "note"
            stream.write(f"{paint(display_path(e.path), _BOLD)}: {paint(label, _COLORS[Severity.ERROR] if e.fatal else _DIM)}: {e.message}\n")
        stream.write(paint(summary_line(report), _BOLD) + "\n")
        hint = fix_hint(report)
        if hint:
            stream.write(hint + "\n")


#: a file without findings gets its article score line only from this score up ("likely
#: machine-made"): on a folder of clean copy the text report stays silent (edited news: a
#: median of about 30, one article in eighty at 75 or more)
SCORE_SHOWN = 75.0


def shows_score(r: FileResult) -> bool:
    """Whether the text views print ``r``'s article score: with its findings, or alone
    when it is high (the JSON, SARIF and HTML reports always carry it)."""
    return bool(r.score) and (bool(r.findings) or r.score >= SCORE_SHOWN)


def score_line(score: float) -> str:
    """The article score as one line (checker/score.py says what it is)."""
    return f"article score {score:.1f}/100 (how likely machine-translated, spun or garbled)"


def summary_line(report: Report) -> str:
    counts = report.counts()
    total = sum(counts.values())
    checked = report.summary.checked
    parts = [f"{counts[k]} {k}{'s' if counts[k] != 1 else ''}" for k in ("error", "warning", "info") if counts[k]]
    summary = f"{total} finding{'s' if total != 1 else ''}" + (f" ({', '.join(parts)})" if parts else "")
    summary += f" in {checked} file{'s' if checked != 1 else ''}"
    bad = sum(1 for e in report.errors if e.fatal)
    if bad:
        summary += f"; {bad} input error{'s' if bad != 1 else ''}"
    return summary


_STYLES = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}


def render_rich(report: Report, stream: IO[str], options: FormatOptions) -> None:
    """The terminal view (rich is imported only here, only on a terminal);
    without colour it keeps the layout and writes no escape codes at all."""
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    console = Console(file=stream, force_terminal=options.color, color_system="auto" if options.color else None,
                      highlight=False, soft_wrap=True, width=None if options.color else 100)
    if options.statistics:
        table = Table(show_edge=False, header_style="bold")
        for col, justify in (("count", "right"), ("rule", "left"), ("fix", "left"), ("name", "left")):
            table.add_column(col, justify=justify)  # type: ignore[arg-type]
        for n, code, mark, name in statistics_rows(report):
            table.add_row(str(n), code, mark, name)
        console.print(table)
    for r in (() if options.statistics else report.files):
        if not r.findings:
            if shows_score(r):
                console.rule(Text(f"{display_path(r.path)}  (no findings, {score_line(r.score)})", style="bold"), align="left")
            continue
        shown = display_path(r.path)
        score = f", article score {r.score:.1f}" if r.score else ""
        console.rule(Text(f"{shown}  ({len(r.findings)} finding{'s' if len(r.findings) != 1 else ''}{score})", style="bold"), align="left")
        for f in r.findings:
            style = _STYLES[f.severity]
            head = Text()
            head.append(f"{shown}:{f.line}:{f.column}:", style="bold")
            head.append(" ")
            head.append(f.code, style=f"bold {style}")
            head.append(f" {ltr(f.message)} ")
            head.append(f"[{f.severity}]", style=style)
            console.print(head)
            if r.source is not None:
                line, carets = excerpt_lines(r.source, f)
                console.print(Text("    " + line, style="dim"))
                console.print(Text("    " + carets, style=style))
            if f.suggestions:
                sugg = Text("    ")
                sugg.append("suggestion: ", style="dim")
                sugg.append(ltr(" | ".join(f.suggestions)), style="green")
                console.print(sugg)
    if options.quiet:
        return
    for e in report.errors:
        line = Text()
        line.append(display_path(e.path), style="bold")
        line.append(": ")
        line.append("error" if e.fatal else "note", style="bold red" if e.fatal else "dim")
        line.append(f": {e.message}")
        console.print(line)
    if report.summary.by_rule and not options.statistics:
        by_rule = {(code, name, Severity.parse(sev)): n for (code, name, sev), n in report.summary.by_rule.items()}
        table = Table(title=None, show_edge=False, header_style="bold")
        table.add_column("rule")
        table.add_column("name")
        table.add_column("severity")
        table.add_column("count", justify="right")
        for (code, name, sev), n in sorted(by_rule.items(), key=lambda kv: (-kv[1], kv[0][0])):
            table.add_row(code, name, Text(str(sev), style=_STYLES[sev]), str(n))
        console.print()
        console.print(table)
    console.print(Text(summary_line(report), style="bold"))
    hint = fix_hint(report)
    if hint:
        console.print(Text(hint, style="dim"))


TEXT = TextFormatter()
