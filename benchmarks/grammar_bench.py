"""Throughput and false alarms of the full default check with grammar on.

    python benchmarks/grammar_bench.py [--corpus PATH] [--samples 5] [--jobs 2]

* throughput: words/s of ``Engine.check_document`` over every article of
  the clean corpus (one call per article), one process; then the same
  split over ``--jobs`` processes (wall clock, each process builds its own
  engine and Harper linter; start-up reported separately);
* false alarms: error+warning findings per 1,000 words on edited news,
  per rule, with the grammar backend's share (GR findings that came from
  the backend) separately, and samples to read.
The machine may be shared: numbers are under whatever load there is.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter, defaultdict
from multiprocessing import get_context
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus" / "clean_news_dev.jsonl"


def _engine(select: tuple[str, ...] | None):
    from checker.api import build_engine
    from checker.config import Config

    return build_engine(Config() if select is None else Config(select=select))


def _check_all(texts: list[tuple[str, str]], select=None):
    eng = _engine(select)
    t0 = time.perf_counter()
    eng.check_text("Warm-up: the Libya's grammar backend starts here.")
    startup = time.perf_counter() - t0
    t0, c0 = time.perf_counter(), time.process_time()
    results = [eng.check_text(text, path=aid) for aid, text in texts]
    _check_all.cpu = time.process_time() - c0
    return results, time.perf_counter() - t0, startup, [str(n.message) for n in eng.notices]


def _worker(args):
    texts, select = args
    results, dt, startup, _ = _check_all(texts, select)
    return sum(r.words for r in results), dt, startup, _check_all.cpu


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", default=str(DEFAULT_CORPUS))
    ap.add_argument("--samples", type=int, default=5)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--json", help="also write the numbers to this file")
    ap.add_argument("--mqm", nargs="?", const=str(ROOT.parent / "shared" / "corpus" / "mqm_zhen_dev.jsonl"),
                    help="also measure GR precision against MQM rater spans (default corpus path)")
    args = ap.parse_args()
    texts = [(d["id"], d["text"]) for d in map(json.loads, Path(args.corpus).open(encoding="utf-8"))]

    out: dict = {}
    results, dt, startup, notices = _check_all(texts)
    words = sum(r.words for r in results)
    print(f"corpus: {args.corpus} ({len(texts)} articles, {words:,} words)")
    if notices:
        print("notices:", *notices, sep="\n  ")
    cpu = _check_all.cpu
    print(f"full default check, grammar on (harper), 1 process: {words / dt:,.0f} words/s wall, "
          f"{words / cpu:,.0f} words/s per CPU-second ({dt:.2f}s wall, {cpu:.2f}s CPU; engine+Harper start-up "
          f"{startup:.2f}s not included) [shared machine, under load]")
    out["words"] = words
    out["words_per_s_1proc"] = words / dt
    out["words_per_cpu_s_1proc"] = words / cpu

    from checker.api import build_engine
    from checker.config import Config

    eng_nogr = build_engine(Config(ignore=("GR",)))
    t0 = time.perf_counter()
    for aid, text in texts:
        eng_nogr.check_text(text, path=aid)
    dt_ng = time.perf_counter() - t0
    print(f"same without the GR rules: {words / dt_ng:,.0f} words/s")
    out["words_per_s_no_grammar"] = words / dt_ng

    if args.jobs > 1:
        chunks = [texts[i :: args.jobs] for i in range(args.jobs)]
        t0 = time.perf_counter()
        with get_context("spawn").Pool(args.jobs) as pool:
            parts = pool.map(_worker, [(c, None) for c in chunks])
        wall = time.perf_counter() - t0
        busy = max(p[1] for p in parts)
        cpu_total = sum(p[3] for p in parts)
        print(f"{args.jobs} processes: {words / busy:,.0f} words/s checking (slowest worker {busy:.2f}s; "
              f"{words / cpu_total:,.0f} words per CPU-second), "
              f"{words / wall:,.0f} words/s wall incl. process+Harper start-up ({wall:.2f}s); "
              f"scaling {dt / busy:.2f}x over 1 process")
        out["words_per_s_jobs"] = words / busy
        out["scaling"] = dt / busy

    per_rule = Counter()
    backend_count = 0
    samples: dict[str, list[str]] = defaultdict(list)
    info = Counter()
    for r in results:
        src = dict(texts)[r.path]
        for f in r.findings:
            if str(f.severity) == "info":
                info[f.code] += 1
                continue
            per_rule[f.code] += 1
            if f.data.get("backend"):
                backend_count += 1
            if len(samples[f.code]) < args.samples:
                a, b = f.span.start, f.span.end
                ctx = (src[max(0, a - 50) : a] + "[[" + src[a:b] + "]]" + src[b : b + 50]).replace("\n", " ")
                samples[f.code].append(f"{r.path}: {ctx}  -- {f.message[:100]}")
    total = sum(per_rule.values())
    print(f"false alarms (error+warning) on edited news: {total} = {1000 * total / words:.3f} per 1,000 words")
    print(f"  of which from the grammar backend: {backend_count} = {1000 * backend_count / words:.3f} per 1,000 words")
    for code, n in per_rule.most_common():
        print(f"  {code}: {n} ({1000 * n / words:.3f}/1k)")
    print("info findings (not counted):", dict(info.most_common()))
    for code, lines in sorted(samples.items()):
        print(f"samples {code}:")
        for line in lines:
            print("   ", line)
    out.update(false_alarms=total, per_1k=1000 * total / words, backend=backend_count,
               backend_per_1k=1000 * backend_count / words, per_rule=dict(per_rule), info=dict(info))
    if args.mqm:
        out["mqm"] = mqm_eval(Path(args.mqm), args.samples)
    if args.json:
        Path(args.json).write_text(json.dumps(out, indent=1))


def mqm_eval(path: Path, n_samples: int) -> dict:
    """GR findings on machine translations: how many land on a rater's error span."""
    from checker.api import build_engine
    from checker.config import Config

    eng = build_engine(Config(select=("GR",)))
    hits, misses = Counter(), Counter()
    samples = defaultdict(list)
    for doc in map(json.loads, path.open(encoding="utf-8")):
        segs = doc["segments"]
        text, offs = "", []
        for seg in segs:
            offs.append(len(text))
            text += seg["text"] + "\n\n"
        errs = [(o + e["start"], o + e["end"]) for o, seg in zip(offs, segs) for e in seg["errors"]]
        for f in eng.check_text(text, path=doc["doc_id"]).findings:
            ok = any(f.span.start < b and a < f.span.end for a, b in errs)
            (hits if ok else misses)[f.code] += 1
            if len(samples[f.code]) < n_samples * 2:
                a, b = f.span.start, f.span.end
                samples[f.code].append(("HIT " if ok else "miss") + " " + (text[max(0, a - 40):a] + "[[" + text[a:b] + "]]" + text[b:b + 40]).replace("\n", " "))
    print(f"MQM ({path.name}): GR findings on rater-marked error spans")
    for code in sorted(set(hits) | set(misses)):
        n = hits[code] + misses[code]
        print(f"  {code}: {hits[code]}/{n} on a rater's error span ({100 * hits[code] / n:.0f}%)")
        for line in samples[code]:
            print("     ", line)
    return {"hits": dict(hits), "misses": dict(misses)}


if __name__ == "__main__":
    main()
