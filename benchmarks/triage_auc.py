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
    python benchmarks/triage_auc.py --spun FILE --calibration --fit   # reliability per score band; refit A, B
    python benchmarks/triage_auc.py --systems                          # AUC per MT system too

``--set-aside-refs news_chinanews`` also reports MT against the references
of the other documents: the six chinanews references of the dev set are
themselves thesaurus-spun ("concurring to Chinanews com" for "according to
Chinanews.com", "Activity Arrange" for "Action Plan"), so a score that
catches spinning rightly ranks them high.  ``--without-fluency`` scores the
same results with an empty metrics mapping (findings only), for comparison;
``--without-unattested`` without the unattested-pair share only (no spinning
evidence: what the score does on MT vs references if it did not also hunt spinners).
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


def _calibrate(evid: dict[str, list[tuple[float, int]]], fit: bool) -> None:
    """Reliability of the score per band (classes weighted equally), and optionally a refit of A, B."""
    import math

    from checker import score as sc

    a, b = sc.A, sc.B
    if fit:
        data = [(e, y) for e, y in evid["A"] if e > 0]
        npos = sum(1 for e, y in evid["A"] if y) or 1
        nneg = sum(1 for e, y in evid["A"] if not y) or 1
        a, b = 1.0, 0.0
        for _ in range(20000):  # weighted logistic regression, plain gradient descent
            ga = gb = 0.0
            for e, y in data:
                w = 0.5 / (npos if y else nneg)
                p = 1.0 / (1.0 + math.exp(-(a * e + b)))
                ga += w * (p - y) * e
                gb += w * (p - y)
            a, b = a - 2 * ga, b - 2 * gb
        print(f"\nfitted on half A (texts with some evidence, classes weighted equally): A = {a:.2f}, B = {b:.2f}")
    bands = [(0, 1), (1, 40), (40, 55), (55, 70), (70, 85), (85, 101)]
    for half in ("A", "B"):
        pos = [e for e, y in evid[half] if y]
        neg = [e for e, y in evid[half] if not y]
        if not pos or not neg:
            continue
        print(f"\ncalibration, half {half}: score band, share of machine-made / human texts in it, machine share at even odds")

        def band_of(e: float) -> float:
            return 0.0 if e <= 0 else 100.0 / (1.0 + math.exp(-(a * e + b)))

        for lo, hi in bands:
            p = sum(1 for e in pos if lo <= band_of(e) < hi) / len(pos)
            n = sum(1 for e in neg if lo <= band_of(e) < hi) / len(neg)
            share = f"{p / (p + n):.2f}" if p + n else "  - "
            print(f"  [{lo:3d}, {hi:3d})  machine {p:.2f}  human {n:.2f}  -> {share}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--mqm", type=Path, default=MQM)
    ap.add_argument("--clean", type=Path, default=CLEAN)
    ap.add_argument("--spun", type=Path, default=None, help="JSONL from scripts/spin_text.py ({id, text, original})")
    ap.add_argument("--select", default=None)
    ap.add_argument("--ignore", default=None)
    ap.add_argument("--config", default=None)
    ap.add_argument("--show", type=int, default=0, help="print the N highest-scoring references and clean articles")
    ap.add_argument("--set-aside-refs", default=None, help="doc_id prefix of references also left out in an extra AUC line")
    ap.add_argument("--without-fluency", action="store_true", help="score without the fluency metrics (findings only)")
    ap.add_argument("--without-unattested", action="store_true", help="score without the unattested-pair share (the spinning evidence) but with the other fluency metrics")
    ap.add_argument("--calibration", action="store_true", help="share of machine-made texts per score band, per half (even prior)")
    ap.add_argument("--fit", action="store_true", help="refit the logistic calibration (checker/score.py A, B) on half A")
    ap.add_argument("--systems", action="store_true", help="AUC per MT system: its 18 outputs against the 18 references")
    args = ap.parse_args()
    engine = make_engine(args.select.split(",") if args.select else None, args.ignore.split(",") if args.ignore else None, args.config)
    t0 = time.perf_counter()

    from checker.score import evidence, score_file

    evid: dict[str, list[tuple[float, int]]] = {"A": [], "B": []}  # (evidence, machine-made?) per half

    def score(text: str, path: str, machine: int | None = None, half: str | None = None) -> float:
        r = engine.check_text(text, path=path)
        metrics = {} if args.without_fluency else r.metrics
        if args.without_unattested and isinstance(metrics.get("fluency"), dict):
            metrics = {**metrics, "fluency": {**metrics["fluency"], "pairs": 0}}
        if machine is not None and half in evid:
            evid[half].append((evidence(r.findings, r.words, metrics), machine))
        return score_file(r.findings, r.words, metrics)

    mt: dict[str, list[float]] = {"A": [], "B": []}
    per_system: dict[str, list[float]] = {}
    per_doc: dict[str, list[float]] = {}  # doc_id -> its MT outputs' scores
    for d in mt_docs(args.mqm):
        s = score(d.text, d.path, 1, d.half)
        mt[d.half].append(s)
        per_system.setdefault(d.system, []).append(s)
        per_doc.setdefault(d.doc_id, []).append(s)
    ref: dict[str, list[tuple[float, str]]] = {"A": [], "B": []}
    for doc_id, half, text in reference_docs(args.mqm):
        ref[half].append((score(text, f"{doc_id}/reference", 0, half), doc_id))
    clean: dict[str, list[tuple[float, str]]] = {"A": [], "B": []}
    for rec in clean_docs(args.clean):
        clean[rec["half"]].append((score(rec["text"], rec["id"], 0, rec["half"]), rec["id"]))
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
        # paired: each MT output against the reference of its own document only
        # (the same source text, so the comparison is not between topics)
        pairs = [(x, rs) for rs, doc_id in (ref["A"] + ref["B"] if half == "all" else ref[half]) for x in per_doc[doc_id]]
        paired = sum(1.0 if x > rs else 0.5 if x == rs else 0.0 for x, rs in pairs) / len(pairs) if pairs else float("nan")
        print(f"  paired, each MT output against its own document's reference: {paired:.3f} ({len(pairs)} pairs)")
        if args.set_aside_refs:
            kept = [s for s, i in (ref["A"] + ref["B"] if half == "all" else ref[half]) if not i.startswith(args.set_aside_refs)]
            print(f"  AUC MT vs the {len(kept)} references not starting {args.set_aside_refs!r}: {auc(m, kept):.3f}")
    if args.systems:
        refs = [s for s, _ in ref["A"] + ref["B"]]
        print("\nper MT system, AUC of its outputs against all references:")
        for name, xs in sorted(per_system.items()):
            print(f"  {name:<16} {auc(xs, refs):.3f}")
    if args.spun:
        spun, orig = [], []
        for rec in read_jsonl(args.spun):
            spun.append(score(rec["text"], f"{rec['id']}/spun", 1, rec.get("half")))
            orig.append(score(rec["original"], rec["id"], 0, rec.get("half")))
        print("\nspun clean news (scripts/spin_text.py) against the originals:")
        print("  " + _summary("spun", spun))
        print("  " + _summary("originals", orig))
        print(f"  AUC spun vs originals: {auc(spun, orig):.3f}")
    if args.calibration or args.fit:
        _calibrate(evid, args.fit)
    if args.show:
        print("\nhighest-scoring references:")
        for s, doc_id in sorted(ref["A"] + ref["B"], reverse=True)[: args.show]:
            print(f"  {s:5.1f}  {doc_id}")
        print("highest-scoring clean articles:")
        for s, doc_id in sorted(clean["A"] + clean["B"], reverse=True)[: args.show]:
            print(f"  {s:5.1f}  {doc_id}")


if __name__ == "__main__":
    main()
