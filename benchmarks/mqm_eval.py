"""Precision and recall against professional MQM error annotations.

Reads ``../shared/corpus/mqm_zhen_dev.jsonl`` (WMT23 zh→en, 18 documents ×
10 systems, rater error spans per segment).  Each system's document is
checked as one article (segments joined by blank lines, so paragraph- and
document-level rules see the whole text); findings are mapped back to
segments.  Reports:
  * precision: share of findings that overlap any rater's error span (any
    severity), overall and per rule, with the MQM categories each rule's
    findings land on;
  * recall per MQM category: how many Major error spans (deduplicated by
    segment+span+category) at least one finding overlaps; with ``--minor``
    also the Minor spans (punctuation errors are almost always rated Minor).

    python benchmarks/mqm_eval.py [--select MT,NM] [--minor] [--samples 5]
    python benchmarks/mqm_eval.py --half B        # the held-out half of the documents

Counted findings are ``error`` and ``warning`` (``info`` hints are listed
but not counted): the headline numbers are counted findings per 1,000 words
and the share of them on a rater's span, for half A (the half rules were
mined and tuned on), half B (held out) and both.  ``strict`` precision does
not count a finding as a hit when every rater span it touches is a double
quote mark (with at most punctuation): the WMT23 zh-en raters marked about 88% of
straight double quotes as errors, so any rule whose span includes a quote
mark gains precision it has not earned.

Readability findings (whole long sentences) are left out by default: they
would overlap every error inside them (``--ignore ""`` puts them back).
"""

from __future__ import annotations

import argparse
import bisect
import time
from collections import Counter, defaultdict
from pathlib import Path

from _common import make_engine
from mqm_data import MQM, mt_docs

#: a rater span of a double quote mark with at most punctuation around it ('"', '".') is not a hit in strict numbers
_QUOTES = set('"“”')
_PUNCT = set("\"“”'‘’.,;:!? -")


def _quote_only(s: str) -> bool:
    return bool(set(s) & _QUOTES) and not set(s) - _PUNCT


def _overlaps(a: int, b: int, start: int, end: int) -> bool:
    # an empty finding (an insertion point) counts when it touches the span
    return a < max(end, start + 1) and start < b


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", type=Path, default=MQM)
    ap.add_argument("--half", default="all", choices=["A", "B", "all"], help="documents to evaluate (default: all, reported per half)")
    ap.add_argument("--select", default=None)
    # readability findings cover whole sentences/paragraphs, so they "overlap" any error inside
    # them: counting them would inflate both precision and recall
    ap.add_argument("--ignore", default="readability", help="rules left out (default: the readability category)")
    ap.add_argument("--config", default=None)
    ap.add_argument("--minor", action="store_true", help="also report recall over Minor spans")
    ap.add_argument("--samples", type=int, default=4, help="findings on no rater span shown per rule")
    ap.add_argument("--min-severity", default="info", choices=["info", "warning", "error"])
    args = ap.parse_args()
    engine = make_engine(args.select.split(",") if args.select else None, [r for r in args.ignore.split(",") if r] or None, args.config)
    from checker.findings import Severity

    floor = Severity.parse(args.min_severity)
    rule_total: Counter[str] = Counter()
    rule_hit: Counter[str] = Counter()
    rule_strict: Counter[str] = Counter()
    rule_half: dict[str, Counter[str]] = defaultdict(Counter)  # code -> {"A": n, "A+": hits, ...}
    rule_systems: dict[str, set[str]] = defaultdict(set)
    rule_docs: dict[str, set[str]] = defaultdict(set)
    rule_cats: dict[str, Counter[str]] = defaultdict(Counter)
    counted: dict[str, Counter[str]] = {h: Counter() for h in ("A", "B")}  # findings, hits, strict, words
    span_total: dict[str, Counter[str]] = {"Major": Counter(), "Minor": Counter()}
    span_hit: dict[str, Counter[str]] = {"Major": Counter(), "Minor": Counter()}
    misses: dict[str, list[str]] = defaultdict(list)
    words = 0
    t0 = time.perf_counter()
    for doc in mt_docs(args.corpus, args.half):
        res = engine.check_text(doc.text, path=doc.path)
        words += res.words
        counted[doc.half]["words"] += res.words
        spans: dict[tuple, tuple[int, int]] = {}
        punct_only: set[tuple] = set()
        for e in doc.errors:
            key = (e.segment, e.start, e.end, e.category, e.severity)
            spans[key] = (e.start, e.end)
            if _quote_only(doc.text[e.start : e.end]):
                punct_only.add(key)
        for key in spans:
            if key[4] in span_total:
                span_total[key[4]][key[3]] += 1
        covered: set[tuple] = set()
        for f in res.findings:
            if f.severity < floor:
                continue
            rule_total[f.code] += 1
            over = [k for k, (a, b) in spans.items() if _overlaps(a, b, f.start, f.end)]
            strict = any(k not in punct_only for k in over)
            is_counted = f.severity >= Severity.WARNING
            rule_half[f.code][doc.half] += 1
            if is_counted:
                counted[doc.half]["findings"] += 1
            if over:
                rule_hit[f.code] += 1
                rule_half[f.code][doc.half + "+"] += 1
                rule_systems[f.code].add(doc.system)
                rule_docs[f.code].add(doc.doc_id)
                rule_strict[f.code] += strict
                if is_counted:
                    counted[doc.half]["hits"] += 1
                    counted[doc.half]["strict"] += strict
                for cat in {k[3] for k in over}:
                    rule_cats[f.code][cat] += 1
            elif len(misses[f.code]) < args.samples:
                seg_i = bisect.bisect_right(doc.seg_starts, f.start) - 1
                misses[f.code].append(f"{res.path} seg {seg_i + 1}: ⟦{f.text}⟧ {f.message}")
            covered.update(over)
        for k in covered:
            if k[4] in span_hit:
                span_hit[k[4]][k[3]] += 1
    elapsed = time.perf_counter() - t0
    n_find, n_hit = sum(rule_total.values()), sum(rule_hit.values())
    print(f"words: {words}; time {elapsed:.1f}s")
    print(f"findings (≥{args.min_severity}): {n_find}; on a rater span: {n_hit}; precision: {n_hit / max(n_find, 1):.3f}")
    print("\ncounted findings (error+warning) per half of the documents (A: mined/tuned on, B: held out):")
    for h in ("A", "B", "all"):
        c = counted["A"] + counted["B"] if h == "all" else counted[h]
        if not c["words"]:
            continue
        print(f"  {h:3}  words {c['words']:6d}  counted {c['findings']:4d}  per 1,000 words {1000 * c['findings'] / c['words']:.2f}"
              f"  precision {c['hits'] / max(c['findings'], 1):.3f}  strict {c['strict'] / max(c['findings'], 1):.3f}")
    print("\nper rule: findings, on a span, precision (strict), per half A / B (findings, precision), systems and documents with a hit; MQM categories")
    for code, n in sorted(rule_total.items(), key=lambda kv: -kv[1]):
        cats = ", ".join(f"{c}: {k}" for c, k in rule_cats[code].most_common(3))
        hv = rule_half[code]
        halves = "  ".join(f"{h} {hv[h]:3d} {hv[h + '+'] / hv[h]:.2f}" if hv[h] else f"{h}   0   - " for h in ("A", "B"))
        print(f"  {code:6} {n:5d} {rule_hit[code]:5d}  {rule_hit[code] / n:.2f} ({rule_strict[code] / n:.2f})  {halves}"
              f"  sys {len(rule_systems[code]):2d} docs {len(rule_docs[code]):2d}  {cats}")
    for sev in ("Major", "Minor") if args.minor else ("Major",):
        print(f"\n{sev} error spans overlapped, per MQM category:")
        for cat, n in sorted(span_total[sev].items(), key=lambda kv: -kv[1]):
            print(f"  {cat:<45} {span_hit[sev][cat]:4d} / {n:4d}  ({span_hit[sev][cat] / n:.1%})")
        tot, hit = sum(span_total[sev].values()), sum(span_hit[sev].values())
        print(f"  {'ALL':<45} {hit:4d} / {tot:4d}  ({hit / max(tot, 1):.1%})")
    if args.samples:
        print("\nfindings on no rater span (samples):")
        for code in sorted(misses):
            for m in misses[code]:
                print(f"  {code} {m}")


if __name__ == "__main__":
    main()
