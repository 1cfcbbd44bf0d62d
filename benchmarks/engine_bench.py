"""Engine throughput, where the time goes, start-up, and bounded work.

    python benchmarks/engine_bench.py                     # mt pack, clean corpus
    python benchmarks/engine_bench.py --select ALL --ignore GR   # every non-grammar rule
    python benchmarks/engine_bench.py --per-rule          # time of each document view and rule
    python benchmarks/engine_bench.py --startup 9         # one-file `mtlint check`, grammar off and on, 9 runs each
    python benchmarks/engine_bench.py --baseline ../main  # start-up and folder runs of another checkout, alternating
    python benchmarks/engine_bench.py --adversarial 5000000   # the bounded-work documents at 5 MB (whole default check)

Throughput: the engine (one process, one core) checks every article of the
JSONL corpus ``--repeat`` times; words/s is total words over the time of the
best repeat, both wall-clock and CPU time of this process (the CPU figure
stays comparable when other work shares the machine); documents are built
fresh each time, so every view is really computed.  Peak memory is the
process's maximum resident set size.

``--per-rule``: seconds spent in each document view (tokens, sentences,
names, readability...) and in each rule over the corpus, computed views
first, so a rule's time is its own.

``--startup N``: wall and CPU time of whole ``python -m checker check``
processes on the bundled seed article, median and minimum of N, with
``--grammar none`` and with the default grammar backend; ``--baseline DIR``
runs another checkout's ``checker`` the same way, alternating with this
one, and the clean-corpus folder (written as one .txt per article to a
temporary folder, never into the project) with ``--grammar none``, so the
two are compared under the same load (quote the ratios, not the seconds).

``--adversarial SIZE``: each document of ``tests/adversarial_docs.py`` at
SIZE characters through the whole default check (grammar included), in a
child process each, with its wall time: every one must finish (a 5 MB
single word within 10 s).
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from _common import CORPUS, ROOT, make_engine, read_jsonl

SEED = ROOT / "fixtures" / "documents" / "seed_article.txt"
VIEWS = ("tokens", "paragraphs", "sentences", "word_runs", "quotations", "quote_marks", "names", "readability")


def throughput(args, texts) -> None:
    from checker.document import Document

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
    print(f"throughput: {words / best_cpu:,.0f} words per CPU-second (one core)")
    print(f"peak memory (max RSS): {rss_mb:.1f} MB")


def per_rule(args, texts) -> None:
    from checker.document import Document
    from checker.rule import RuleContext

    engine = make_engine(args.select.split(","), args.ignore.split(",") if args.ignore else None)
    views: Counter[str] = Counter()
    rules: Counter[str] = Counter()
    for path, text in texts:
        doc = Document(text, path=path)
        for v in VIEWS:
            t = time.process_time()
            getattr(doc, v)
            views[v] += time.process_time() - t
        for p in engine.rules:
            services = engine._services_for(p.rule)
            if services is None:
                continue
            ctx = RuleContext(meta=p.rule.meta, doc=doc, options=p.options, severity=p.severity, services=services)
            t = time.process_time()
            list(p.rule.check(doc, ctx))
            if hasattr(p.rule, "metrics"):
                p.rule.metrics(doc, ctx)
            rules[p.rule.meta.code] += time.process_time() - t
    print("CPU seconds per document view: " + ", ".join(f"{k} {v:.3f}" for k, v in views.most_common()))
    print("CPU seconds per rule: " + ", ".join(f"{k} {v:.3f}" for k, v in rules.most_common()))
    print(f"views {sum(views.values()):.3f} s + rules {sum(rules.values()):.3f} s")


def _timed(cmd: list[str], env: dict) -> tuple[float, float]:
    """Wall and CPU (children's user+sys) seconds of one process.  It runs in a
    neutral folder: ``python -m`` puts the working folder first on the path,
    which would import this checkout's ``checker`` whatever PYTHONPATH says."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, env=env, capture_output=True, cwd=tempfile.gettempdir())
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode not in (0, 1, 2) or not proc.stdout:
        raise SystemExit(f"{' '.join(cmd)} failed: {proc.stderr.decode()[-500:]}")
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def startup(args, texts) -> None:
    roots = [("this", ROOT)] + ([("baseline", Path(args.baseline).resolve())] if args.baseline else [])
    cases = [("one file, --grammar none", ["check", "--grammar", "none", "--format", "json", str(SEED)]),
             ("one file, default (Harper)", ["check", "--format", "json", str(SEED)])]
    with tempfile.TemporaryDirectory() as tmp:
        if args.baseline:
            for i, (_, text) in enumerate(texts):
                Path(tmp, f"{i:04d}.txt").write_text(text, encoding="utf-8")
            cases.append((f"folder of {len(texts)}, --grammar none, -j 1", ["check", "--grammar", "none", "--format", "json", "-j", "1", tmp]))
        for label, argv in cases:
            runs = args.startup if "folder" not in label else max(3, args.startup // 3)
            got: dict[str, list[tuple[float, float]]] = {name: [] for name, _ in roots}
            for _ in range(runs):
                for name, root in roots:  # alternating, so both see the same load
                    env = {**os.environ, "PYTHONPATH": str(root)}
                    got[name].append(_timed([sys.executable, "-m", "checker", *argv], env))
            for name, vals in got.items():
                walls, cpus = [w for w, _ in vals], [c for _, c in vals]
                print(f"{label:36s} {name:8s} wall median {statistics.median(walls):.3f} s, min {min(walls):.3f} s; "
                      f"CPU median {statistics.median(cpus):.3f} s ({runs} runs)")
            if len(got) == 2:
                ratio = statistics.median(w for w, _ in got["this"]) / statistics.median(w for w, _ in got["baseline"])
                print(f"{'':36s} this / baseline (median wall): {ratio:.2f}")
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-c", "pass"], capture_output=True)
    print(f"bare python start-up {time.perf_counter() - t0:.3f} s")


_CHILD = """
import sys, time
sys.path.insert(0, {tests!r})
from adversarial_docs import adversarial_documents
from checker.api import build_engine
name, size = sys.argv[1], int(sys.argv[2])
text = adversarial_documents(size)[name]
engine = build_engine({{}})
engine.check_text("Warm-up: the Libya's backend starts here.")
t = time.perf_counter()
r = engine.check_text(text, path=name)
print(f"{{time.perf_counter() - t:.2f}} {{len(r.findings)}} {{len(r.errors)}}")
"""


def adversarial(args) -> None:
    sys.path.insert(0, str(ROOT / "tests"))
    from adversarial_docs import adversarial_documents

    code = _CHILD.format(tests=str(ROOT / "tests"))
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    for name in adversarial_documents(10):
        try:
            proc = subprocess.run([sys.executable, "-c", code, name, str(args.adversarial)], env=env, capture_output=True,
                                  text=True, timeout=args.timeout, cwd=tempfile.gettempdir())
            out = proc.stdout.split() if proc.returncode == 0 else ["error", proc.stderr.strip().splitlines()[-1:]]
            print(f"{name:26s} {args.adversarial:,} chars: {out[0]} s check, {out[1]} findings, {out[2]} errors")
        except subprocess.TimeoutExpired:
            print(f"{name:26s} {args.adversarial:,} chars: did not finish in {args.timeout} s")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", type=Path, default=CORPUS / "clean_news_dev.jsonl")
    ap.add_argument("--select", default="MT", help="selection for the throughput run (default: the mt pack)")
    ap.add_argument("--ignore", default=None, help="rules left out (e.g. GR: Harper caches text across repeats, so use grammar_bench.py for it)")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--per-rule", action="store_true", help="CPU seconds per document view and per rule")
    ap.add_argument("--startup", type=int, default=0, metavar="N", help="time N whole one-file processes, grammar off and on")
    ap.add_argument("--baseline", default=None, metavar="DIR", help="another checkout to compare with (alternating runs)")
    ap.add_argument("--adversarial", type=int, default=0, metavar="SIZE", help="time the bounded-work documents at SIZE characters")
    ap.add_argument("--timeout", type=float, default=120.0, help="per adversarial document")
    args = ap.parse_args()

    if args.adversarial:  # needs no corpus
        adversarial(args)
        return
    texts = [(r.get("id", str(i)), r["text"]) for i, r in enumerate(read_jsonl(args.corpus))]
    if args.startup:
        startup(args, texts)
    elif args.per_rule:
        per_rule(args, texts)
    else:
        throughput(args, texts)


if __name__ == "__main__":
    main()
