"""The HTML report: one self-contained page for an editor.

For each file: the article (its decoded source, so Markdown and HTML inputs
show what the editor has open) with every finding highlighted in place,
coloured by category, the message and suggestion on hover (``title``) and in
a side list that links to the highlight; name clusters grouped ("Haftar ×14
— Hifter ×1, Hafter ×1") from ``name-variant`` findings; the article score
and readability metrics at the top when the run computed them.  A summary
table across files links to each file.  No network resources: styles and
the small script are inline, so the file can be mailed or archived.

Overlapping findings are drawn by cutting the text at every finding
boundary; each piece is one ``<mark>`` listing every finding that covers it
in ``data-f``, so a finding's highlight is the concatenation of its pieces
(the Chromium test checks exactly that).
"""

from __future__ import annotations

import html
import json
import re
from collections import Counter, defaultdict
from typing import IO, Any, Mapping, Sequence

from ..findings import CATEGORIES, FileResult, Finding, Report
from ..fsio import display_path
from . import FormatOptions

#: category -> (background, underline); readable on white, distinct enough side by side
PALETTE: dict[str, tuple[str, str]] = {
    "name-variant": ("#d7e8ff", "#1f5fbf"),
    "mistranslation": ("#ffd6d6", "#c0392b"),
    "calque": ("#ffe4c2", "#d35400"),
    "untranslated": ("#f3d9ff", "#8e44ad"),
    "reporting-verb": ("#fff1a8", "#b7950b"),
    "quotes": ("#d4f5e9", "#138d75"),
    "punctuation": ("#e2e2e2", "#616a6b"),
    "scrape-residue": ("#ffc9e3", "#c2185b"),
    "grammar": ("#c8f0c8", "#1e8449"),
    "spelling": ("#ffd0c0", "#a04000"),
    "acronym": ("#d0f0ff", "#2471a3"),
    "repetition": ("#e8e0ff", "#5b2c6f"),
    "units": ("#e0f7d0", "#4d7c0f"),
    "capitalization": ("#c6eef4", "#00838f"),
    "readability": ("#eeeeee", "#7f8c8d"),
    "style": ("#f5eccd", "#7d6608"),
}
_FALLBACK = ("#eeeeee", "#555555")

CSS = """
:root { --ink: #1d2330; --muted: #5d6677; --line: #dfe3ea; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; color: var(--ink); background: #f6f7f9; }
header.top { background: #1d2330; color: #fff; padding: 18px 28px; }
header.top h1 { margin: 0 0 4px; font-size: 20px; }
header.top p { margin: 0; color: #c9cfdb; }
main { padding: 18px 28px 60px; }
table.summary { border-collapse: collapse; background: #fff; margin: 0 0 14px; min-width: 60%; }
table.summary th, table.summary td { border: 1px solid var(--line); padding: 4px 10px; text-align: left; }
table.summary td.num { text-align: right; font-variant-numeric: tabular-nums; }
.legend { display: flex; flex-wrap: wrap; gap: 6px; margin: 0 0 18px; }
.legend span { padding: 1px 8px; border-radius: 3px; font-size: 13px; }
section.file { background: #fff; border: 1px solid var(--line); border-radius: 6px; margin: 0 0 24px; }
section.file > h2 { margin: 0; padding: 12px 18px; font-size: 17px; border-bottom: 1px solid var(--line); }
.stats { display: flex; flex-wrap: wrap; gap: 8px 22px; padding: 10px 18px; border-bottom: 1px solid var(--line); color: var(--muted); }
.stats b { color: var(--ink); }
.stats .score { font-size: 20px; color: var(--ink); }
.layout { display: grid; grid-template-columns: minmax(0, 1fr) 380px; }
article.source { padding: 16px 22px; white-space: pre-wrap; overflow-wrap: anywhere; font: 16px/1.65 Georgia, "DejaVu Serif", serif; border-right: 1px solid var(--line); }
aside.side { padding: 12px 16px; font-size: 13.5px; max-height: 92vh; overflow: auto; position: sticky; top: 0; align-self: start; }
aside.side h3 { font-size: 14px; margin: 8px 0 6px; }
aside.side ol, aside.side ul { margin: 0; padding-left: 18px; }
aside.side li { margin: 0 0 8px; }
aside.side li .loc { color: var(--muted); font-variant-numeric: tabular-nums; }
aside.side a { color: inherit; text-decoration: none; }
aside.side a:hover .code { text-decoration: underline; }
aside.side li .code { font-weight: 600; padding: 0 4px; border-radius: 3px; border-bottom: 2px solid; }
aside.side li .sugg { display: block; color: #1e6b3a; }
aside.side li.active { background: #fff8d0; }
.mu { color: #98a1b3; font: 0.82em/1.6 "DejaVu Sans Mono", Menlo, Consolas, monospace; }
mark.hl { color: inherit; border-radius: 2px; padding: 0 1px; border-bottom: 2px solid; cursor: help; }
mark.hl.multi { outline: 1px dashed #444; }
mark.hl.empty::before { content: "\\2038"; font-weight: bold; }
mark.hl.flash { outline: 3px solid #f1c40f; }
.sev-error { color: #b03a2e; } .sev-warning { color: #9a7d0a; } .sev-info { color: #2471a3; }
.clusters li { list-style: none; margin-left: -18px; }
.empty-note { color: var(--muted); font-style: italic; }
@media (max-width: 900px) { .layout { grid-template-columns: 1fr; } article.source { border-right: 0; } }
"""

SCRIPT = """
(function () {
  function flash(id) {
    document.querySelectorAll('mark.hl').forEach(function (m) {
      var on = (' ' + m.dataset.f + ' ').indexOf(' ' + id + ' ') >= 0;
      m.classList.toggle('flash', on);
    });
  }
  document.querySelectorAll('aside.side li[data-f]').forEach(function (li) {
    li.addEventListener('mouseenter', function () { flash(li.dataset.f); });
    li.addEventListener('click', function () { flash(li.dataset.f); });
  });
  document.querySelectorAll('mark.hl').forEach(function (m) {
    m.addEventListener('click', function () {
      var id = m.dataset.f.split(' ')[0];
      var li = document.getElementById('item-' + id);
      document.querySelectorAll('aside.side li.active').forEach(function (x) { x.classList.remove('active'); });
      if (li) { li.classList.add('active'); li.scrollIntoView({block: 'nearest'}); }
    });
  });
})();
"""


def _esc(s: str) -> str:
    return html.escape(s, quote=True)


def _cat(category: str) -> str:
    return re.sub(r"[^a-z0-9-]", "-", category.lower())


def _tooltip(fs: Sequence[Finding]) -> str:
    parts = []
    for f in fs:
        line = f"{f.code} ({f.category}, {f.severity}): {f.message}"
        if f.suggestions:
            line += f"\nSuggestion: {' | '.join(f.suggestions)}"
        parts.append(line)
    return "\n\n".join(parts)


def _ids(fi: int, findings: Sequence[Finding]) -> list[str]:
    return [f"f{fi}-{i}" for i in range(len(findings))]


def annotate(source: str, findings: Sequence[Finding], ids: Sequence[str], prose: Sequence[tuple[int, int]] | None = None) -> str:
    """``source`` as HTML with every finding's span wrapped in ``<mark>`` pieces.

    ``prose``: the raw ranges that were checked (for Markdown/HTML); the rest
    (markup, skipped elements) is drawn dimmed so the article stands out.
    """
    n = len(source)
    bounds = {0, n}
    for f in findings:
        bounds.add(min(f.span.start, n))
        bounds.add(min(f.span.end, n))
    for a, b in prose or ():
        bounds.add(min(a, n))
        bounds.add(min(b, n))
    prose_starts = [a for a, _ in prose or ()]

    def is_markup(a: int) -> bool:
        if prose is None:
            return False
        import bisect

        i = bisect.bisect_right(prose_starts, a) - 1
        return not (i >= 0 and prose[i][0] <= a < prose[i][1])
    cuts = sorted(bounds)
    empties: dict[int, list[int]] = defaultdict(list)
    starts: dict[int, list[int]] = defaultdict(list)
    for i, f in enumerate(findings):
        if f.span.start == f.span.end:
            empties[min(f.span.start, n)].append(i)
        else:
            starts[f.span.start].append(i)
    out: list[str] = []
    for a, b in zip(cuts, cuts[1:] + [None]):  # type: ignore[operator]
        for i in empties.get(a, ()):
            f = findings[i]
            out.append(
                f'<a class="anchor" id="{ids[i]}"></a><mark class="hl empty cat-{_cat(f.category)}" data-f="{ids[i]}" '
                f'title="{_esc(_tooltip([f]))}"></mark>'
            )
        if b is None:
            break
        for i in starts.get(a, ()):
            out.append(f'<a class="anchor" id="{ids[i]}"></a>')
        covering = [i for i, f in enumerate(findings) if f.span.start <= a and b <= f.span.end and f.span.start < f.span.end]
        text = _esc(source[a:b])
        if is_markup(a):
            text = f'<span class="mu">{text}</span>'
        if not covering:
            out.append(text)
            continue
        fs = [findings[i] for i in covering]
        inner = min(covering, key=lambda i: (len(findings[i].span), i))
        cls = f"hl cat-{_cat(findings[inner].category)}" + (" multi" if len(covering) > 1 else "")
        out.append(f'<mark class="{cls}" data-f="{" ".join(ids[i] for i in covering)}" title="{_esc(_tooltip(fs))}">{text}</mark>')
    return "".join(out)


def name_clusters(r: FileResult) -> list[tuple[str, int | None, list[tuple[str, int]]]]:
    """(canonical, its count if known, [(variant, count)]) from ``name-variant`` findings.

    Uses the names rule's ``data`` (``dominant``, ``dominant_count``,
    ``variant_count``) when present; otherwise the first suggestion is the
    canonical form and counts come from the findings and the text.
    """
    groups: dict[str, Counter[str]] = defaultdict(Counter)
    variant_counts: dict[tuple[str, str], int] = {}
    known: dict[str, int] = {}
    for f in r.findings:
        if f.category != "name-variant":
            continue
        dominant = f.data.get("dominant")
        canonical = dominant if isinstance(dominant, str) and dominant else (f.suggestions[0] if f.suggestions else "")
        if not canonical:
            continue
        groups[canonical][f.text] += 1
        vc = f.data.get("variant_count")
        if isinstance(vc, int):
            variant_counts[(canonical, f.text)] = max(variant_counts.get((canonical, f.text), 0), vc)
        for key in ("dominant_count", "canonical_count"):
            v = f.data.get(key)
            if isinstance(v, int):
                known[canonical] = max(known.get(canonical, 0), v)
                break
    out = []
    for canonical, variants in groups.items():
        count = known.get(canonical)
        if count is None and r.source is not None:
            count = len(re.findall(rf"(?<!\w){re.escape(canonical)}(?!\w)", r.source)) or None
        items = [(v, max(n, variant_counts.get((canonical, v), 0))) for v, n in variants.items()]
        out.append((canonical, count, sorted(items, key=lambda kv: (-kv[1], kv[0]))))
    out.sort(key=lambda c: (-(sum(n for _, n in c[2])), c[0]))
    return out


def _prose_ranges(r: FileResult) -> list[tuple[int, int]] | None:
    """Raw ranges of the checked blocks of a Markdown/HTML file (None: all of it is prose)."""
    if r.format not in ("markdown", "html") or r.source is None:
        return None
    from ..loaders import SourceFile, load_document

    try:
        doc = load_document(SourceFile(r.path, r.source, r.format))
    except Exception:  # the report must render even if the loader cannot
        return None
    ranges = [doc.to_raw(p) for p in doc.paragraphs]
    return [(s.start, s.end) for s in sorted(ranges) if s.end > s.start]


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _fmt_metric(v: Any) -> str:
    if isinstance(v, float):
        return f"{v:.1f}"
    return _esc(str(v))


_METRIC_LABELS = {
    "flesch_reading_ease": "reading ease",
    "flesch_kincaid_grade": "grade level",
    "avg_sentence_length": "words per sentence",
    "max_sentence_length": "longest sentence",
}


def _metric_items(metrics: Any) -> list[tuple[str, str]]:
    """Readable (label, value) pairs: nested tables flattened, per-paragraph lists summarised."""
    out: list[tuple[str, str]] = []
    for name in sorted(metrics):
        value = metrics[name]
        if not isinstance(value, Mapping):
            out.append((name.replace("_", " "), _fmt_metric(value)))
            continue
        for key in ("flesch_reading_ease", "flesch_kincaid_grade", "avg_sentence_length", "max_sentence_length"):
            if key in value:
                out.append((_METRIC_LABELS[key], _fmt_metric(value[key])))
        # a two-word subhead has an absurd reading ease: only real paragraphs count
        paras = [
            p for p in value.get("paragraphs", ())
            if isinstance(p, Mapping) and "flesch_reading_ease" in p and p.get("words", 0) >= 20
        ]
        if paras:
            hardest = min(paras, key=lambda p: p["flesch_reading_ease"])
            out.append(("hardest paragraph", f"line {hardest.get('line', '?')} (ease {_fmt_metric(hardest['flesch_reading_ease'])})"))
    return out


def _file_section(fi: int, r: FileResult) -> str:
    ids = _ids(fi, r.findings)
    parts = [f'<section class="file" id="file-{fi}" data-path="{_esc(display_path(r.path))}">', f"<h2>{_esc(display_path(r.path))}</h2>"]
    stats = []
    if r.score is not None:
        stats.append(f'<span>score <b class="score">{_fmt_metric(r.score)}</b></span>')
    stats.append(f"<span>words <b>{r.words}</b></span>")
    stats.append(f"<span>findings <b>{len(r.findings)}</b></span>")
    for label, value in _metric_items(r.metrics):
        stats.append(f"<span>{_esc(label)} <b>{value}</b></span>")
    parts.append(f'<div class="stats">{"".join(stats)}</div>')
    for e in r.errors:
        parts.append(f'<p class="stats">{"error" if e.fatal else "note"}: {_esc(e.message)}</p>')
    if r.source is None:
        parts.append('<p class="stats empty-note">not checked</p></section>')
        return "".join(parts)
    parts.append('<div class="layout">')
    parts.append(f'<article class="source">{annotate(r.source, r.findings, ids, _prose_ranges(r))}</article>')
    side = ['<aside class="side">']
    clusters = name_clusters(r)
    if clusters:
        side.append('<h3>Name clusters</h3><ul class="clusters">')
        for canonical, count, variants in clusters:
            head = f"<b>{_esc(canonical)}</b>" + (f" ×{count}" if count else "")
            tail = ", ".join(f"{_esc(v)} ×{n}" for v, n in variants)
            side.append(f"<li>{head} — {tail}</li>")
        side.append("</ul>")
    side.append("<h3>Findings</h3>")
    if not r.findings:
        side.append('<p class="empty-note">No findings.</p>')
    else:
        side.append("<ol>")
        for i, f in enumerate(r.findings):
            sugg = f'<span class="sugg">→ {_esc(" | ".join(f.suggestions))}</span>' if f.suggestions else ""
            side.append(
                f'<li id="item-{ids[i]}" data-f="{ids[i]}"><a href="#{ids[i]}"><span class="loc">{f.line}:{f.column}</span> '
                f'<span class="code cat-{_cat(f.category)}">{_esc(f.code)}</span></a> '
                f'<span class="sev-{f.severity}">{f.severity}</span> {_esc(f.message)}{sugg}</li>'
            )
        side.append("</ol>")
    side.append("</aside>")
    parts.append("".join(side))
    parts.append("</div></section>")
    return "".join(parts)


def render_html(report: Report, title: str = "mtlint report") -> str:
    counts = report.counts()
    total = sum(counts.values())
    css = CSS + "".join(
        f"mark.cat-{_cat(c)}, .legend .cat-{_cat(c)}, aside.side .cat-{_cat(c)} {{ background: {bg}; border-bottom-color: {fg}; }}\n"
        for c, (bg, fg) in sorted(PALETTE.items())
    )
    used = sorted(report.summary.categories)
    rows = []
    for fi, r in enumerate(report.files):
        c = Counter(str(f.severity) for f in r.findings)
        score = _fmt_metric(r.score) if r.score is not None else "–"
        rows.append(
            f'<tr><td><a href="#file-{fi}">{_esc(display_path(r.path))}</a></td><td>{_esc(r.format)}</td><td class="num">{r.words}</td>'
            f'<td class="num">{score}</td><td class="num">{c["error"]}</td><td class="num">{c["warning"]}</td><td class="num">{c["info"]}</td></tr>'
        )
    data = [
        {"id": f"f{fi}-{i}", "file": fi, "code": f.code, "category": f.category, "start": f.span.start, "end": f.span.end, "text": f.text}
        for fi, r in enumerate(report.files)
        for i, f in enumerate(r.findings)
    ]
    notices = "".join(f"<li>{_esc(display_path(e.path))}: {'error' if e.fatal else 'note'}: {_esc(e.message)}</li>" for e in report.notices)
    body = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_esc(title)}</title><style>{css}</style></head><body>",
        f'<header class="top"><h1>{_esc(title)}</h1><p>{_plural(total, "finding")} '
        f'({_plural(counts["error"], "error")}, {_plural(counts["warning"], "warning")}, {counts["info"]} info) in '
        f'{_plural(len(report.files), "file")} · mtlint {_esc(report.tool_version)}</p></header><main>',
        '<table class="summary"><thead><tr><th>file</th><th>format</th><th>words</th><th>score</th><th>errors</th>'
        f'<th>warnings</th><th>info</th></tr></thead><tbody>{"".join(rows)}</tbody></table>',
        '<div class="legend">' + "".join(f'<span class="cat-{_cat(c)}">{_esc(c)}</span>' for c in used) + "</div>",
        f'<ul class="notices">{notices}</ul>' if notices else "",
    ]
    body.extend(_file_section(fi, r) for fi, r in enumerate(report.files))
    payload = json.dumps(data, ensure_ascii=True).replace("</", "<\\/")
    body.append(f'</main><script type="application/json" id="mtlint-findings">{payload}</script>')
    body.append(f"<script>{SCRIPT}</script></body></html>\n")
    return "\n".join(body)


class HtmlFormatter:
    name = "html"
    machine = True  # a file for people, but no progress bars or ANSI in it

    def render(self, report: Report, stream: IO[str], options: FormatOptions) -> None:
        stream.write(render_html(report, str(options.extra.get("title", "mtlint report"))))


HTML = HtmlFormatter()

assert set(PALETTE) == set(CATEGORIES), "every category needs a colour"
