"""Which MQM error categories each rule's findings land on (any severity).

``mqm_eval.py`` reports recall over *Major* spans; typography rules mostly
hit *Minor* spans (Fluency/Punctuation is almost always rated Minor), so
this script counts, per rule, the categories of every rater span (Major or
Minor) that its findings overlap, plus the rule's precision.

    python benchmarks/mqm_by_category.py --select TY,MT050
"""

from __future__ import annotations

import argparse
from collections import Counter, defaultdict
from pathlib import Path

from _common import CORPUS, make_engine, read_jsonl


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", type=Path, default=CORPUS / "mqm_zhen_dev.jsonl")
    ap.add_argument("--select", default=None)
    ap.add_argument("--ignore", default=None)
    args = ap.parse_args()
    engine = make_engine(args.select.split(",") if args.select else None, args.ignore.split(",") if args.ignore else None)
    per_rule: dict[str, Counter[str]] = defaultdict(Counter)
    totals: Counter[str] = Counter()
    hits: Counter[str] = Counter()
    cat_spans: Counter[str] = Counter()
    cat_hit: Counter[str] = Counter()
    for rec in read_jsonl(args.corpus):
        segs = rec["segments"]
        starts, parts, pos = [], [], 0
        for s in segs:
            starts.append(pos)
            parts.append(s["text"])
            pos += len(s["text"]) + 2
        res = engine.check_text("\n\n".join(parts), path=f"{rec['doc_id']}/{rec['system']}")
        spans = {}
        for i, s in enumerate(segs):
            for e in s.get("errors", []):
                if e["end"] > e["start"]:
                    key = (i, e["start"], e["end"], e["category"], e["severity"])
                    spans[key] = (starts[i] + e["start"], starts[i] + e["end"])
        for key in spans:
            cat_spans[f"{key[3]} ({key[4]})"] += 1
        covered = set()
        for f in res.findings:
            totals[f.code] += 1
            over = [k for k, (a, b) in spans.items() if a < max(f.end, f.start + 1) and f.start < b]
            if over:
                hits[f.code] += 1
            for k in {(k[3], k[4]) for k in over}:
                per_rule[f.code][f"{k[0]} ({k[1]})"] += 1
            covered.update(over)
        for k in covered:
            cat_hit[f"{k[3]} ({k[4]})"] += 1
    print("per rule: findings, on a rater span, precision; categories overlapped (any severity)")
    for code in sorted(totals):
        print(f"  {code:6} {totals[code]:4d} {hits[code]:4d}  {hits[code] / totals[code]:.2f}  " + ", ".join(f"{c}: {n}" for c, n in per_rule[code].most_common(4)))
    n, h = sum(totals.values()), sum(hits.values())
    print(f"  ALL    {n:4d} {h:4d}  {h / max(n, 1):.2f}")
    print("\nrater spans overlapped per category (Major and Minor):")
    for cat, n in sorted(cat_spans.items(), key=lambda kv: -kv[1]):
        if cat_hit[cat]:
            print(f"  {cat:<50} {cat_hit[cat]:4d} / {n:5d}")


if __name__ == "__main__":
    main()
