"""Precision and recall against professional MQM error annotations.

Reads ``../shared/corpus/mqm_zhen_dev.jsonl`` (WMT23 zh→en, 18 documents ×
10 systems, rater error spans per segment).  Each system's document is
checked as one article (segments joined by blank lines, so paragraph- and
document-level rules see the whole text); findings are mapped back to
segments.  Reports:
  * precision: share of findings that overlap any rater's error span
    (any severity), overall and per rule;
  * recall per MQM category: how many Major error spans (deduplicated by
    segment+span+category) at least one finding overlaps.

    python benchmarks/mqm_eval.py [--select MT,NM] [--samples 5]
"""

from __future__ import annotations

import argparse
import bisect
import time
from collections import Counter, defaultdict
from pathlib import Path

from _common import CORPUS, make_engine, read_jsonl


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", type=Path, default=CORPUS / "mqm_zhen_dev.jsonl")
    ap.add_argument("--select", default=None)
    ap.add_argument("--ignore", default=None)
    ap.add_argument("--config", default=None)
    ap.add_argument("--samples", type=int, default=4, help="misses (findings on no span) shown per rule")
    ap.add_argument("--min-severity", default="info", choices=["info", "warning", "error"])
    args = ap.parse_args()
    engine = make_engine(args.select.split(",") if args.select else None, args.ignore.split(",") if args.ignore else None, args.config)
    from checker.findings import Severity

    floor = Severity.parse(args.min_severity)
    n_find = n_hit = 0
    rule_total: Counter[str] = Counter()
    rule_hit: Counter[str] = Counter()
    major_total: Counter[str] = Counter()
    major_hit: Counter[str] = Counter()
    misses: dict[str, list[str]] = defaultdict(list)
    words = 0
    t0 = time.perf_counter()
    for rec in read_jsonl(args.corpus):
        segs = rec["segments"]
        starts, parts, pos = [], [], 0
        for s in segs:
            starts.append(pos)
            parts.append(s["text"])
            pos += len(s["text"]) + 2
        text = "\n\n".join(parts)
        res = engine.check_text(text, path=f"{rec['doc_id']}/{rec['system']}")
        words += res.words
        # error spans in document offsets
        spans = []
        majors = {}
        for i, s in enumerate(segs):
            for e in s.get("errors", []):
                if e["end"] <= e["start"]:
                    continue
                a, b = starts[i] + e["start"], starts[i] + e["end"]
                spans.append((a, b))
                if e["severity"] == "Major":
                    key = (i, e["start"], e["end"], e["category"])
                    majors[key] = (a, b)
        for key in majors:
            major_total[key[3]] += 1
        covered = set()
        for f in res.findings:
            if f.severity < floor:
                continue
            n_find += 1
            rule_total[f.code] += 1
            hit = any(a < f.end and f.start < b for a, b in spans) if f.end > f.start else any(a <= f.start <= b for a, b in spans)
            if hit:
                n_hit += 1
                rule_hit[f.code] += 1
            elif len(misses[f.code]) < args.samples:
                seg_i = bisect.bisect_right(starts, f.start) - 1
                misses[f.code].append(f"{res.path} seg {seg_i + 1}: ⟦{f.text}⟧ {f.message}")
            for key, (a, b) in majors.items():
                if key not in covered and (a < f.end and f.start < b):
                    covered.add(key)
        for key in covered:
            major_hit[key[3]] += 1
    elapsed = time.perf_counter() - t0
    print(f"documents×systems checked; words: {words}; time {elapsed:.1f}s")
    print(f"findings (≥{args.min_severity}): {n_find}; on a rater span: {n_hit}; precision: {n_hit / max(n_find, 1):.3f}")
    print("\nper rule (findings, on a span, precision):")
    for code, n in sorted(rule_total.items(), key=lambda kv: -kv[1]):
        print(f"  {code:6} {n:5d} {rule_hit[code]:5d}  {rule_hit[code] / n:.2f}")
    print("\nMajor error spans overlapped, per MQM category:")
    for cat, n in sorted(major_total.items(), key=lambda kv: -kv[1]):
        print(f"  {cat:<45} {major_hit[cat]:4d} / {n:4d}  ({major_hit[cat] / n:.1%})")
    tot, hit = sum(major_total.values()), sum(major_hit.values())
    print(f"  {'ALL':<45} {hit:4d} / {tot:4d}  ({hit / max(tot, 1):.1%})")
    if args.samples:
        print("\nfindings on no rater span (samples):")
        for code in sorted(misses):
            for m in misses[code]:
                print(f"  {code} {m}")


if __name__ == "__main__":
    main()
