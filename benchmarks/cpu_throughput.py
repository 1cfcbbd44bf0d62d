"""Throughput in words per CPU-second (process time), for a shared machine.

``engine_bench.py`` reports wall-clock words/s, which drops when other
processes compete for the cores.  This script times the same work with
``time.process_time`` (CPU time of this process only), so numbers taken
under load stay comparable.

    python benchmarks/cpu_throughput.py --select TY,MT050
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from _common import CORPUS, make_engine, read_jsonl


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", type=Path, default=CORPUS / "clean_news_dev.jsonl")
    ap.add_argument("--select", default="ALL")
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    from checker.document import Document

    engine = make_engine(args.select.split(","), None)
    texts = [r["text"] for r in read_jsonl(args.corpus)]
    best, words = None, 0
    for _ in range(args.repeat):
        words = 0
        t0 = time.process_time()
        for t in texts:
            words += engine.check_document(Document(t)).words
        dt = time.process_time() - t0
        best = dt if best is None else min(best, dt)
    print(f"rules: {len(engine.rules)} selected by {args.select!r}; {words} words")
    print(f"throughput: {words / best:,.0f} words per CPU-second (best of {args.repeat}: {best:.3f} s CPU)")


if __name__ == "__main__":
    main()
