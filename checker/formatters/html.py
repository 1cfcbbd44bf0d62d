"""The HTML report: one self-contained page for an editor.

For each file: the article (its decoded source, so Markdown and HTML inputs
show what the editor has open) with every finding highlighted in place,
coloured by category, the message and suggestion on hover (``title``) and in
a side list that links to the highlight; name clusters grouped ("Haftar ×14
— Hifter ×1, Hafter ×1") from ``name-variant`` findings; the article score
and readability metrics at the top when the run computed them.  A summary
table across files links to each file.  No network resources: styles and
the small script are inline, so the file can be mailed or archived.

For a folder: files are listed worst first (``worst_first_key``: files that
could not be checked, then by errors, article score, warnings, info; ties by
path), clean files are collapsed into one list, and each file's findings
are listed errors first.  Filters by severity and category (plain
checkboxes, so the keyboard works) hide findings, their highlights and the
files left with none.  When the caller passes the text that ``--fix``
would write (``options.extra["fixed"]``: path -> (text, {code: count}),
from ``checker.fixes.fixed_sources``), each file has a "fixed text" view
with the changes marked.

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
table.summary caption { text-align: left; font-weight: 600; padding: 0 0 4px; }
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
nav.filters { display: flex; flex-wrap: wrap; gap: 10px 24px; align-items: flex-start; background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: 8px 14px; margin: 0 0 14px; }
nav.filters fieldset { border: 0; margin: 0; padding: 0; display: flex; flex-wrap: wrap; gap: 4px 6px; align-items: center; }
nav.filters legend { float: left; font-weight: 600; margin-right: 6px; padding: 0; }
nav.filters label { padding: 1px 8px; border-radius: 3px; font-size: 13px; border: 1px solid var(--line); cursor: pointer; white-space: nowrap; }
nav.filters label:focus-within { outline: 2px solid #1f5fbf; outline-offset: 1px; }
nav.filters label .n { color: var(--muted); font-variant-numeric: tabular-nums; }
nav.filters .status { margin: 0; color: var(--muted); font-size: 13px; flex-basis: 100%; }
nav.filters button { font: inherit; font-size: 13px; }
mark.hl.off { background: transparent !important; border-bottom-color: transparent !important; outline: none; cursor: auto; }
details.clean { background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: 8px 18px; margin: 0 0 24px; }
details.clean summary, details.fixed summary { cursor: pointer; font-weight: 600; }
details.clean ul { columns: 2; margin: 8px 0 0; }
details.fixed { border-top: 1px solid var(--line); padding: 10px 18px; }
article.fixed-text { white-space: pre-wrap; overflow-wrap: anywhere; font: 16px/1.65 Georgia, "DejaVu Serif", serif; padding: 10px 4px 0; }
article.fixed-text ins { background: #c8f0c8; text-decoration: none; border-bottom: 2px solid #1e8449; }
article.fixed-text del { background: #ffd6d6; color: #8a2a20; }
.fix-note { color: var(--muted); padding: 8px 18px; border-top: 1px solid var(--line); margin: 0; }
[hidden] { display: none !important; }
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

  // filters: a finding is shown when its severity and its category are both ticked
  var data = JSON.parse(document.getElementById('mtlint-findings').textContent);
  var byId = {};
  data.forEach(function (f) { byId[f.id] = f; });
  var boxes = document.querySelectorAll('nav.filters input[type=checkbox]');
  function ticked(kind) {
    var on = {};
    boxes.forEach(function (b) { if (b.dataset.filter === kind && b.checked) { on[b.value] = true; } });
    return on;
  }
  function apply() {
    var sev = ticked('severity'), cat = ticked('category');
    var shown = {}, nShown = 0, filesShown = 0;
    data.forEach(function (f) {
      if (sev[f.severity] && cat[f.category]) { shown[f.id] = true; nShown++; }
    });
    document.querySelectorAll('aside.side li[data-f]').forEach(function (li) {
      li.hidden = !shown[li.dataset.f];
    });
    document.querySelectorAll('mark.hl').forEach(function (m) {
      var any = m.dataset.f.split(' ').some(function (id) { return shown[id]; });
      m.classList.toggle('off', !any);
    });
    document.querySelectorAll('section.file[data-findings]').forEach(function (sec) {
      var total = +sec.dataset.findings;
      var n = sec.querySelectorAll('aside.side li[data-f]:not([hidden])').length;
      var hide = total > 0 && n === 0;
      sec.hidden = hide;
      var row = document.getElementById('row-' + sec.id);
      if (row) { row.hidden = hide; }
      if (!hide && total > 0) { filesShown++; }
    });
    var status = document.getElementById('filter-status');
    if (status) {
      status.textContent = 'Showing ' + nShown + ' of ' + data.length + ' findings in ' + filesShown + ' file' + (filesShown === 1 ? '' : 's') + '.';
    }
  }
  boxes.forEach(function (b) { b.addEventListener('change', apply); });
  var reset = document.getElementById('filter-reset');
  if (reset) {
    reset.addEventListener('click', function () { boxes.forEach(function (b) { b.checked = true; }); apply(); });
  }
  apply();
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


_RTL = re.compile(r"[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]+(?:[ \u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]*[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc])?")


def _esc_msg(s: str) -> str:
    """A message as HTML; right-to-left glosses (Arabic, Hebrew) isolated in
    ``<bdi>`` so they do not reorder the English around them."""
    return _RTL.sub(lambda m: f'<bdi dir="rtl">{m.group(0)}</bdi>', _esc(s))


def worst_first_key(r: FileResult) -> tuple[Any, ...]:
    """Sort key of a file in a folder's report, worst first: files that could
    not be checked (the run exits 2), then most errors, highest article score,
    most warnings, most info; ties broken by the displayed path."""
    c = r.counts()
    fatal = any(e.fatal for e in r.errors)
    return (not fatal, -c["error"], -(r.score or 0.0), -c["warning"], -c["info"], display_path(r.path))


def is_clean(r: FileResult) -> bool:
    """Checked, with no finding and no input error: collapsed into one list."""
    return r.source is not None and not r.findings and not any(e.fatal for e in r.errors)


def _findings_order(findings: Sequence[Finding]) -> list[int]:
    """Indexes of ``findings`` errors first, then warnings, then info; by position within each."""
    return sorted(range(len(findings)), key=lambda i: (-int(findings[i].severity), findings[i].sort_key()))


def _word_diff(old: str, new: str) -> str:
    """``new`` as HTML with what differs from ``old`` marked: ``<ins>`` for new
    or replacing text (its title says what it replaced), ``<del>`` for removed text."""
    import difflib

    tok = re.compile(r"\s+|\w+|[^\w\s]")
    a, b = tok.findall(old), tok.findall(new)
    out: list[str] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        was, now = "".join(a[i1:i2]), "".join(b[j1:j2])
        if op == "equal":
            out.append(_esc(now))
        elif op == "insert":
            out.append(f"<ins>{_esc(now)}</ins>")
        elif op == "delete":
            out.append(f'<del title="removed">{_esc(was)}</del>')
        else:
            out.append(f'<ins title="{_esc("was: " + was)}">{_esc(now)}</ins>')
    return "".join(out)


def _fixed_view(fi: int, r: FileResult, fixed: Mapping[str, Any]) -> str:
    entry = fixed.get(r.path)
    safe = sum(1 for f in r.findings if f.fix is not None and f.fix.edits and f.fix.is_safe)
    if entry is None or r.source is None:
        if safe and fixed is not _NO_FIXED:
            return '<p class="fix-note">The safe fixes would not change the text.</p>'
        if not safe and r.findings:
            return '<p class="fix-note">No finding here has a safe fix: every change is the editor\'s call.</p>'
        return ""
    text, applied = entry
    what = ", ".join(f"{_esc(code)} ×{n}" for code, n in sorted(dict(applied).items()))
    n = sum(dict(applied).values())
    return (
        f'<details class="fixed" id="fixed-{fi}"><summary>Fixed text: {n} safe fix{"" if n == 1 else "es"} applied ({what}), '
        f"what <code>mtlint check --fix</code> would write</summary>"
        f'<article class="fixed-text" data-path="{_esc(display_path(r.path))}">{_word_diff(r.source, text)}</article></details>'
    )


#: ``extra["fixed"]`` not given: the caller did not compute the fixed texts
_NO_FIXED: Mapping[str, Any] = {}


def _file_section(fi: int, r: FileResult, fixed: Mapping[str, Any] = _NO_FIXED) -> str:
    ids = _ids(fi, r.findings)
    parts = [
        f'<section class="file" id="file-{fi}" data-path="{_esc(display_path(r.path))}" data-findings="{len(r.findings)}">',
        f"<h2>{_esc(display_path(r.path))}</h2>",
    ]
    stats = []
    if r.score is not None:
        stats.append(f'<span>score <b class="score">{_fmt_metric(r.score)}</b></span>')
    stats.append(f"<span>words <b>{r.words}</b></span>")
    c = r.counts()
    stats.append(
        f"<span>findings <b>{len(r.findings)}</b> (<span class=\"sev-error\">{c['error']} error{'' if c['error'] == 1 else 's'}</span>, "
        f"<span class=\"sev-warning\">{c['warning']} warning{'' if c['warning'] == 1 else 's'}</span>, "
        f"<span class=\"sev-info\">{c['info']} info</span>)</span>"
    )
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
    side.append("<h3>Findings, errors first</h3>")
    if not r.findings:
        side.append('<p class="empty-note">No findings.</p>')
    else:
        side.append("<ol>")
        for i in _findings_order(r.findings):
            f = r.findings[i]
            sugg = f'<span class="sugg">→ {_esc_msg(" | ".join(f.suggestions))}</span>' if f.suggestions else ""
            side.append(
                f'<li id="item-{ids[i]}" data-f="{ids[i]}" data-severity="{f.severity}" data-category="{_esc(f.category)}">'
                f'<a href="#{ids[i]}"><span class="loc">{f.line}:{f.column}</span> '
                f'<span class="code cat-{_cat(f.category)}">{_esc(f.code)}</span></a> '
                f'<span class="sev-{f.severity}">{f.severity}</span> {_esc_msg(f.message)}{sugg}</li>'
            )
        side.append("</ol>")
    side.append("</aside>")
    parts.append("".join(side))
    parts.append("</div>")
    parts.append(_fixed_view(fi, r, fixed))
    parts.append("</section>")
    return "".join(parts)


def _filters(sev_counts: Mapping[str, int], cat_counts: Mapping[str, int]) -> str:
    out = ['<nav class="filters" aria-label="Filter findings">', '<fieldset><legend>Severity</legend>']
    for sev in ("error", "warning", "info"):
        out.append(
            f'<label class="sev-{sev}"><input type="checkbox" data-filter="severity" value="{sev}" checked> '
            f'{sev} <span class="n">{sev_counts.get(sev, 0)}</span></label>'
        )
    out.append('</fieldset><fieldset><legend>Category</legend>')
    for cat in sorted(cat_counts):
        out.append(
            f'<label class="cat-{_cat(cat)}"><input type="checkbox" data-filter="category" value="{_esc(cat)}" checked> '
            f'{_esc(cat)} <span class="n">{cat_counts[cat]}</span></label>'
        )
    out.append('</fieldset><button type="button" id="filter-reset">Show all</button>')
    out.append('<p class="status" id="filter-status" role="status" aria-live="polite"></p></nav>')
    return "".join(out)


def render_html(report: Report, title: str = "mtlint report", fixed: Mapping[str, Any] | None = None) -> str:
    """The page; ``fixed``: path -> (fixed text, {code: fixes applied}) for the "fixed text" views."""
    counts = report.counts()
    total = sum(counts.values())
    css = CSS + "".join(
        f"mark.cat-{_cat(c)}, .legend .cat-{_cat(c)}, aside.side .cat-{_cat(c)}, nav.filters .cat-{_cat(c)} {{ background: {bg}; border-bottom-color: {fg}; }}\n"
        for c, (bg, fg) in sorted(PALETTE.items())
    )
    # one pass over the (possibly spooled) files: order, counts, the findings' data
    keys: list[tuple[tuple[Any, ...], int]] = []
    clean: list[tuple[str, int, str]] = []
    cat_counts: Counter[str] = Counter()
    rows: dict[int, str] = {}
    data = []
    for fi, r in enumerate(report.files):
        shown = display_path(r.path)
        for i, f in enumerate(r.findings):
            cat_counts[f.category] += 1
            data.append({"id": f"f{fi}-{i}", "file": fi, "code": f.code, "severity": str(f.severity), "category": f.category,
                         "start": f.span.start, "end": f.span.end, "text": f.text})
        if is_clean(r):
            notes = "; ".join(e.message for e in r.errors)
            clean.append((shown, r.words, notes))
            continue
        keys.append((worst_first_key(r), fi))
        c = r.counts()
        score = _fmt_metric(r.score) if r.score is not None else "–"
        rows[fi] = (
            f'<tr id="row-file-{fi}"><td><a href="#file-{fi}">{_esc(shown)}</a></td><td>{_esc(r.format)}</td><td class="num">{r.words}</td>'
            f'<td class="num">{score}</td><td class="num">{c["error"]}</td><td class="num">{c["warning"]}</td><td class="num">{c["info"]}</td></tr>'
        )
    order = [fi for _key, fi in sorted(keys)]
    clean.sort()
    notices = "".join(f"<li>{_esc(display_path(e.path))}: {'error' if e.fatal else 'note'}: {_esc(e.message)}</li>" for e in report.notices)
    body = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_esc(title)}</title><style>{css}</style></head><body>",
        f'<header class="top"><h1>{_esc(title)}</h1><p>{_plural(total, "finding")} '
        f'({_plural(counts["error"], "error")}, {_plural(counts["warning"], "warning")}, {counts["info"]} info) in '
        f'{_plural(report.summary.files, "file")} · mtlint {_esc(report.tool_version)}</p></header><main>',
        _filters(counts, cat_counts) if total else "",
        '<table class="summary"><caption>Files, worst first (not checked, then errors, score, warnings, info)</caption>'
        '<thead><tr><th>file</th><th>format</th><th>words</th><th>score</th><th>errors</th>'
        f'<th>warnings</th><th>info</th></tr></thead><tbody>{"".join(rows[fi] for fi in order)}</tbody></table>' if order else "",
        f'<ul class="notices">{notices}</ul>' if notices else "",
    ]
    if clean:
        items = "".join(
            f"<li>{_esc(path)} <span class=\"mu\">{_plural(words, 'word')}</span>{f' ({_esc(notes)})' if notes else ''}</li>"
            for path, words, notes in clean
        )
        body.append(f'<details class="clean"><summary>{_plural(len(clean), "clean file")}: no findings</summary><ul>{items}</ul></details>')
    files = report.files
    body.extend(_file_section(fi, files[fi], _NO_FIXED if fixed is None else fixed) for fi in order)
    payload = json.dumps(data, ensure_ascii=True).replace("</", "<\\/")
    body.append(f'</main><script type="application/json" id="mtlint-findings">{payload}</script>')
    body.append(f"<script>{SCRIPT}</script></body></html>\n")
    return "\n".join(body)


class HtmlFormatter:
    name = "html"
    machine = True  # a file for people, but no progress bars or ANSI in it
    #: the caller passes ``extra["fixed"]`` (what ``--fix`` would write) for the "fixed text" views
    wants_fixed_text = True

    def render(self, report: Report, stream: IO[str], options: FormatOptions) -> None:
        stream.write(render_html(report, str(options.extra.get("title", "mtlint report")), options.extra.get("fixed")))


HTML = HtmlFormatter()

assert set(PALETTE) == set(CATEGORIES), "every category needs a colour"
