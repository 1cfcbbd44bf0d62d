"""Engine throughput, peak memory and one-file CLI start-up time.

    python benchmarks/engine_bench.py                     # mt pack, clean corpus
    python benchmarks/engine_bench.py --select ALL        # every default rule
    python benchmarks/engine_bench.py --corpus other.jsonl --repeat 5

Throughput: the engine (one process, one core) checks every article of the
JSONL corpus ``--repeat`` times; words/s is total words over the time of the
best repeat, both wall-clock and CPU time of this process (the CPU figure
stays comparable when other work shares the machine) (documents are built fresh each time, so every view is
really computed).  Peak memory is the process's maximum resident set size.
Start-up: wall time of ``mtlint check`` (``python -m checker``) on the
bundled seed article, median of ``--cli-runs`` runs.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

from _common import CORPUS, ROOT, make_engine, read_jsonl


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", type=Path, default=CORPUS / "clean_news_dev.jsonl")
    ap.add_argument("--select", default="MT", help="selection for the throughput run (default: the mt pack)")
    ap.add_argument("--ignore", default=None, help="rules left out of the throughput run (e.g. GR: Harper caches text across repeats, so use grammar_bench.py for it)")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--cli-runs", type=int, default=7)
    ap.add_argument("--cli-select", default=None, help="selection for the start-up run (default: the default rules)")
    ap.add_argument("--cli-ignore", default=None, help="rules left out of the start-up run")
    args = ap.parse_args()

    from checker.document import Document

    texts = [(r.get("id", str(i)), r["text"]) for i, r in enumerate(read_jsonl(args.corpus))]
    engine = make_engine(args.select.split(","), args.ignore.split(",") if args.ignore else None)
    print(f"rules: {len(engine.rules)} selected by {args.select!r}: {', '.join(p.rule.meta.code for p in engine.rules)}")
    best = best_cpu = None
    words = 0
    for _ in range(args.repeat):
        words = 0
        t0, c0 = time.perf_counter(), time.process_time()
        for path, text in texts:
            res = engine.check_document(Document(text, path=path))
            words += res.words
        dt, dc = time.perf_counter() - t0, time.process_time() - c0
        best = dt if best is None else min(best, dt)
        best_cpu = dc if best_cpu is None else min(best_cpu, dc)
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"corpus: {args.corpus.name}, {len(texts)} documents, {words} words")
    print(f"throughput: {words / best:,.0f} words/s wall (best of {args.repeat}: {best:.3f} s)")
    # CPU time of this process only: comparable when other work shares the cores
    print(f"throughput: {words / best_cpu:,.0f} words per CPU-second (one core)")
    print(f"peak memory (max RSS): {rss_mb:.1f} MB")

    seed = ROOT / "fixtures" / "documents" / "seed_article.txt"
    cmd = [sys.executable, "-m", "checker", "check", str(seed), "--format", "json", "-o", os.devnull]
    if args.cli_select:
        cmd += ["--select", args.cli_select]
    if args.cli_ignore:
        cmd += ["--ignore", args.cli_ignore]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    times = []
    for _ in range(args.cli_runs):
        t0 = time.perf_counter()
        subprocess.run(cmd, env=env, capture_output=True)
        times.append(time.perf_counter() - t0)
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-c", "pass"], capture_output=True)
    bare = time.perf_counter() - t0
    print(f"one-file `mtlint check` wall time: median {statistics.median(times):.3f} s, min {min(times):.3f} s over {args.cli_runs} runs (bare python start-up {bare:.3f} s)")


if __name__ == "__main__":
    main()
