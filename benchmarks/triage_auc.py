"""Does the article score sort machine-translated and spun copy first?  (issue 13)

Checks every text with the default rules (or ``--select``) and compares the
file scores (``FileResult.score``) of three pairs of groups by ROC AUC (the
probability that a text of the first group scores above one of the second,
ties counting one half):

* MT output against the reference translations of the same documents
  (``../shared/corpus/mqm_zhen_dev.jsonl``: 10 systems x 18 documents
  against 18 human references), per half of the documents (``A`` is the half
  rules were mined and tuned on, ``B`` the held-out half; see
  ``benchmarks/mqm_data.py``);
* MT output against clean professional news (``clean_news_dev.jsonl``);
* with ``--spun FILE``: spun articles against their clean originals (make
  them with ``python scripts/spin_text.py``, a thesaurus-driven spinner we
  wrote for development; real spinner output is measured elsewhere).

    python benchmarks/triage_auc.py
    python benchmarks/triage_auc.py --spun /tmp/mtlint-mining/spun_clean.jsonl --show 5
    python benchmarks/triage_auc.py --select MT,NM,TY --ignore GR
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from _common import make_engine, read_jsonl
from mqm_data import CLEAN, MQM, clean_docs, mt_docs, reference_docs


def auc(pos: list[float], neg: list[float]) -> float:
    """P(score(pos) > score(neg)) + 0.5 P(equal): the Mann-Whitney statistic."""
    if not pos or not neg:
        return float("nan")
    neg_sorted = sorted(neg)
    import bisect

    total = 0.0
    for p in pos:
        lo = bisect.bisect_left(neg_sorted, p)
        hi = bisect.bisect_right(neg_sorted, p)
        total += lo + 0.5 * (hi - lo)
    return total / (len(pos) * len(neg))


def _summary(name: str, xs: list[float]) -> str:
    if not xs:
        return f"{name}: none"
    q = statistics.quantiles(xs, n=4) if len(xs) > 1 else [xs[0]] * 3
    return f"{name:<22} n={len(xs):4d}  median {statistics.median(xs):5.1f}  quartiles {q[0]:5.1f} {q[2]:5.1f}  zero {sum(1 for x in xs if x == 0) / len(xs):.0%}"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--mqm", type=Path, default=MQM)
    ap.add_argument("--clean", type=Path, default=CLEAN)
    ap.add_argument("--spun", type=Path, default=None, help="JSONL from scripts/spin_text.py ({id, text, original})")
    ap.add_argument("--select", default=None)
    ap.add_argument("--ignore", default=None)
    ap.add_argument("--config", default=None)
    ap.add_argument("--show", type=int, default=0, help="print the N highest-scoring references and clean articles")
    args = ap.parse_args()
    engine = make_engine(args.select.split(",") if args.select else None, args.ignore.split(",") if args.ignore else None, args.config)
    t0 = time.perf_counter()

    def score(text: str, path: str) -> float:
        return engine.check_text(text, path=path).score or 0.0

    mt: dict[str, list[float]] = {"A": [], "B": []}
    for d in mt_docs(args.mqm):
        mt[d.half].append(score(d.text, d.path))
    ref: dict[str, list[tuple[float, str]]] = {"A": [], "B": []}
    for doc_id, half, text in reference_docs(args.mqm):
        ref[half].append((score(text, f"{doc_id}/reference"), doc_id))
    clean: dict[str, list[tuple[float, str]]] = {"A": [], "B": []}
    for rec in clean_docs(args.clean):
        clean[rec["half"]].append((score(rec["text"], rec["id"]), rec["id"]))
    print(f"scored {sum(map(len, mt.values())) + sum(map(len, ref.values())) + sum(map(len, clean.values()))} texts in {time.perf_counter() - t0:.1f}s")
    for half in ("A", "B", "all"):
        m = mt["A"] + mt["B"] if half == "all" else mt[half]
        r = [s for s, _ in (ref["A"] + ref["B"] if half == "all" else ref[half])]
        c = [s for s, _ in (clean["A"] + clean["B"] if half == "all" else clean[half])]
        print(f"\nhalf {half}{' (mined/tuned on)' if half == 'A' else ' (held out)' if half == 'B' else ''}:")
        print("  " + _summary("MT output", m))
        print("  " + _summary("reference translations", r))
        print("  " + _summary("clean news", c))
        print(f"  AUC MT vs reference: {auc(m, r):.3f}    AUC MT vs clean news: {auc(m, c):.3f}")
    if args.spun:
        spun, orig = [], []
        for rec in read_jsonl(args.spun):
            spun.append(score(rec["text"], f"{rec['id']}/spun"))
            orig.append(score(rec["original"], rec["id"]))
        print("\nspun clean news (scripts/spin_text.py) against the originals:")
        print("  " + _summary("spun", spun))
        print("  " + _summary("originals", orig))
        print(f"  AUC spun vs originals: {auc(spun, orig):.3f}")
    if args.show:
        print("\nhighest-scoring references:")
        for s, doc_id in sorted(ref["A"] + ref["B"], reverse=True)[: args.show]:
            print(f"  {s:5.1f}  {doc_id}")
        print("highest-scoring clean articles:")
        for s, doc_id in sorted(clean["A"] + clean["B"], reverse=True)[: args.show]:
            print(f"  {s:5.1f}  {doc_id}")


if __name__ == "__main__":
    main()
