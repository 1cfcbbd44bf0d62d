"""False-alarm rate on clean professional news.

Runs the engine over every article of a JSONL corpus (default
``../shared/corpus/clean_news_dev.jsonl``) and prints findings per 1,000
words (error+warning, and info separately), counts per rule, and a sample
of each rule's findings with context, so a person can read what fired and
fix the rule rather than the threshold.

    python benchmarks/false_alarms.py                 # default rules
    python benchmarks/false_alarms.py --select MT,NM  # some packs
    python benchmarks/false_alarms.py --samples 10 --json out.json
"""

from __future__ import annotations

import argparse
import json
import time
from collections import Counter, defaultdict
from pathlib import Path

from _common import CORPUS, make_engine, read_jsonl


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", type=Path, default=CORPUS / "clean_news_dev.jsonl")
    ap.add_argument("--select", default=None, help="comma-separated selection (default: the default rules)")
    ap.add_argument("--ignore", default=None)
    ap.add_argument("--config", default=None)
    ap.add_argument("--samples", type=int, default=5, help="findings shown per rule")
    ap.add_argument("--json", type=Path, default=None, help="write every finding here")
    args = ap.parse_args()

    engine = make_engine(args.select.split(",") if args.select else None, args.ignore.split(",") if args.ignore else None, args.config)
    words = 0
    by_rule: Counter[str] = Counter()
    by_sev: Counter[str] = Counter()
    samples: dict[str, list[str]] = defaultdict(list)
    everything = []
    t0 = time.perf_counter()
    n_docs = 0
    for rec in read_jsonl(args.corpus):
        n_docs += 1
        res = engine.check_text(rec["text"], path=rec["id"])
        words += res.words
        for e in res.errors:
            print(f"ENGINE ERROR {e}")
        for f in res.findings:
            by_rule[f.code] += 1
            by_sev[str(f.severity)] += 1
            text = rec["text"]
            ctx = text[max(0, f.start - 50) : f.start] + "⟦" + f.text + "⟧" + text[f.end : f.end + 50]
            line = f"{rec['id']}:{f.line}:{f.column} [{f.severity}] {f.message}\n      …{' '.join(ctx.split())}…"
            if len(samples[f.code]) < args.samples:
                samples[f.code].append(line)
            everything.append({"doc": rec["id"], "rule": f.code, "severity": str(f.severity), "text": f.text, "message": f.message, "start": f.start})
    elapsed = time.perf_counter() - t0
    ew = by_sev["error"] + by_sev["warning"]
    print(f"corpus: {args.corpus.name}  documents: {n_docs}  words: {words}")
    print(f"findings: error={by_sev['error']} warning={by_sev['warning']} info={by_sev['info']}")
    print(f"error+warning per 1,000 words: {1000 * ew / max(words, 1):.3f}")
    print(f"info per 1,000 words: {1000 * by_sev['info'] / max(words, 1):.3f}")
    print(f"time: {elapsed:.2f} s ({words / elapsed:,.0f} words/s, includes reporting)")
    print("\nper rule:")
    for code, n in sorted(by_rule.items(), key=lambda kv: (-kv[1], kv[0])):
        meta = engine.ruleset.by_code[code].meta
        print(f"  {code} {meta.name:<32} {n:5d}  ({1000 * n / max(words, 1):.3f}/1k words, {meta.severity})")
    print("\nsamples:")
    for code in sorted(samples):
        print(f"--- {code}")
        for s in samples[code]:
            print("   ", s)
    if args.json:
        args.json.write_text(json.dumps(everything, ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
