"""Mine candidate MT-artifact patterns from rater error spans (issue 13).

Ranks word n-grams (1-4 tokens) and short abstract patterns by how much
more often they sit inside the raters' error spans of the MQM development
data than outside them, in the reference translations and in clean news,
with counts per MT system so that one system's quirk does not pass for a
general pattern.  It writes candidates for a linguist to review: it never
writes rules.

Guard against fitting the data: by default it reads only half ``A`` of the
MQM documents (split by doc_id, see ``benchmarks/mqm_data.py``) and half
``A`` of the clean news; evaluate what you keep on half ``B``
(``benchmarks/mqm_eval.py --half B``).

The output quotes corpus text, which the corpora's terms forbid
redistributing: it goes to a folder outside the project by default
(``$TMPDIR/mtlint-mining``); never commit it.

    python scripts/mine_mqm.py                       # half A -> /tmp/mtlint-mining/candidates_A.tsv
    python scripts/mine_mqm.py --half A --min-systems 3 --top 300
    MTLINT_CORPUS=/path/to/corpus python scripts/mine_mqm.py

Columns of the TSV: view (``lex``: lower-cased words, numbers as <NUM>;
``shape``: function words and punctuation kept, other words as ``Cap`` /
``low`` / ``NUM``), pattern, n, mt (occurrences in MT output), in_err
(occurrences overlapping an error span), prec (in_err / mt), wilson (lower
95% bound of prec), systems (systems with an in-error occurrence / systems
with any), docs (documents with an in-error occurrence), ref (occurrences
in the reference translations of the same documents, per MT-sized text),
clean (occurrences in the clean-news half), clean_per_100k, lift
(MT rate / (reference + clean rate), smoothed), score (the rank key),
categories (the MQM categories hit), example.
"""

from __future__ import annotations

import argparse
import math
import re
import sys
import tempfile
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

from mqm_data import CLEAN, MQM, clean_docs, mt_docs, reference_docs  # noqa: E402

TOKEN = re.compile(r"[A-Za-z]+(?:['’][A-Za-z]+)*|\d+(?:[.,:]\d+)*(?:st|nd|rd|th)?|[^\w\s]")

#: closed-class words kept literally in the ``shape`` view
FUNCTION = frozenset(
    """a an the this that these those of in on at by for from to with without into onto over under about
    as than and or but nor not no so if then it its it's he she they we you i his her their our your
    him them us is are was were be been being has have had do does did will would can could may might
    must shall should which who whom whose what when where why how there here all any each every some
    such other another more most many much few also only very just among between after before during
    since until while because although though whether said says say according related relevant""".split()
)


def tokens(text: str) -> list[tuple[str, int, int]]:
    return [(m.group(), m.start(), m.end()) for m in TOKEN.finditer(text)]


def lex(tok: str) -> str:
    if tok[0].isdigit():
        return "<NUM>" + (tok[-2:] if tok[-2:] in ("st", "nd", "rd", "th") else "")
    return tok.lower().replace("’", "'")


def shape(tok: str) -> str:
    low = tok.lower().replace("’", "'")
    if low in FUNCTION or not tok[0].isalnum():
        return low
    if tok[0].isdigit():
        return "NUM" + (tok[-2:] if tok[-2:] in ("st", "nd", "rd", "th") else "")
    return "Cap" if tok[0].isupper() else "low"


def ngrams(toks: list[tuple[str, int, int]], view, nmax: int):
    keys = [view(t) for t, _, _ in toks]
    for n in range(1, nmax + 1):
        for i in range(len(toks) - n + 1):
            gram = keys[i : i + n]
            if view is shape and all(g in ("Cap", "low", "NUM") for g in gram):
                continue  # nothing literal: not a pattern
            if view is shape and n < 2:
                continue
            yield " ".join(gram), toks[i][1], toks[i + n - 1][2]


def wilson_lower(k: int, n: int, z: float = 1.96) -> float:
    if n == 0:
        return 0.0
    p = k / n
    d = 1 + z * z / n
    c = p + z * z / (2 * n)
    r = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return (c - r) / d


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--mqm", type=Path, default=MQM)
    ap.add_argument("--clean", type=Path, default=CLEAN)
    ap.add_argument("--half", default="A", choices=["A", "B", "all"], help="MQM and clean-news half to mine (default A)")
    ap.add_argument("--out", type=Path, default=Path(tempfile.gettempdir()) / "mtlint-mining")
    ap.add_argument("--nmax", type=int, default=4)
    ap.add_argument("--min-in-err", type=int, default=3)
    ap.add_argument("--min-systems", type=int, default=2, help="systems with an in-error occurrence")
    ap.add_argument("--min-docs", type=int, default=3, help="source documents with an in-error occurrence (every system translates the same source, so systems alone do not show generality)")
    ap.add_argument("--min-prec", type=float, default=0.6)
    ap.add_argument("--max-clean-per-100k", type=float, default=2.0)
    ap.add_argument("--top", type=int, default=400)
    args = ap.parse_args()
    if ROOT in args.out.resolve().parents or args.out.resolve() == ROOT:
        sys.exit("refusing to write corpus text inside the project: choose --out outside it")

    views = {"lex": lex, "shape": shape}
    mt_n: dict[str, Counter[str]] = {v: Counter() for v in views}
    err_n: dict[str, Counter[str]] = {v: Counter() for v in views}
    sys_all: dict[str, dict[str, set[str]]] = {v: defaultdict(set) for v in views}
    sys_err: dict[str, dict[str, set[str]]] = {v: defaultdict(set) for v in views}
    doc_err: dict[str, dict[str, set[str]]] = {v: defaultdict(set) for v in views}
    cats: dict[str, dict[str, Counter[str]]] = {v: defaultdict(Counter) for v in views}
    example: dict[str, dict[str, str]] = {v: {} for v in views}
    mt_words = 0
    systems: set[str] = set()
    for d in mt_docs(args.mqm, args.half):
        systems.add(d.system)
        toks = tokens(d.text)
        mt_words += sum(1 for t in toks if t[0][0].isalnum())
        for v, fn in views.items():
            for g, a, b in ngrams(toks, fn, args.nmax):
                mt_n[v][g] += 1
                sys_all[v][g].add(d.system)
                hit = [e for e in d.errors if e.start < b and a < e.end]
                if hit:
                    err_n[v][g] += 1
                    sys_err[v][g].add(d.system)
                    doc_err[v][g].add(d.doc_id)
                    for e in hit:
                        cats[v][g][e.category] += 1
                    if g not in example[v]:
                        lo, hi = max(0, a - 40), min(len(d.text), b + 40)
                        example[v][g] = " ".join((d.text[lo:a] + "⟦" + d.text[a:b] + "⟧" + d.text[b:hi]).split())
    ref_n: dict[str, Counter[str]] = {v: Counter() for v in views}
    ref_words = 0
    for _, _, text in reference_docs(args.mqm, args.half):
        toks = tokens(text)
        ref_words += sum(1 for t in toks if t[0][0].isalnum())
        for v, fn in views.items():
            ref_n[v].update(g for g, _, _ in ngrams(toks, fn, args.nmax))
    clean_n: dict[str, Counter[str]] = {v: Counter() for v in views}
    clean_words = 0
    for rec in clean_docs(args.clean, args.half):
        toks = tokens(rec["text"])
        clean_words += sum(1 for t in toks if t[0][0].isalnum())
        for v, fn in views.items():
            clean_n[v].update(g for g, _, _ in ngrams(toks, fn, args.nmax))

    rows = []
    for v in views:
        for g, k in err_n[v].items():
            n = mt_n[v][g]
            if (k < args.min_in_err or len(sys_err[v][g]) < args.min_systems or len(doc_err[v][g]) < args.min_docs
                    or k / n < args.min_prec):
                continue
            clean_rate = 1e5 * clean_n[v][g] / max(clean_words, 1)
            if clean_rate > args.max_clean_per_100k:
                continue
            mt_rate = n / max(mt_words, 1)
            # the references are one text per document, the MT side ten: compare rates
            other = (ref_n[v][g] + clean_n[v][g] + 0.5) / (ref_words + clean_words)
            lift = mt_rate / other
            wl = wilson_lower(k, n)
            score = wl * math.log1p(len(doc_err[v][g])) * min(math.log10(lift + 1), 2.0) * (len(sys_err[v][g]) / len(systems))
            rows.append((
                score, v, g, len(g.split()), n, k, k / n, wl, f"{len(sys_err[v][g])}/{len(sys_all[v][g])}",
                len(doc_err[v][g]), ref_n[v][g], clean_n[v][g], clean_rate, lift,
                "; ".join(f"{c}: {x}" for c, x in cats[v][g].most_common(3)), example[v].get(g, ""),
            ))
    rows.sort(key=lambda r: (-r[0], r[1], r[2]))
    # a longer n-gram whose every in-error occurrence is explained by a kept shorter one adds nothing
    kept, seen_short = [], []
    for r in rows:
        if any(s[1] == r[1] and f" {s[2]} " in f" {r[2]} " and s[5] >= r[5] for s in seen_short):
            continue
        kept.append(r)
        seen_short.append(r)
        if len(kept) >= args.top:
            break
    args.out.mkdir(parents=True, exist_ok=True)
    out = args.out / f"candidates_{args.half}.tsv"
    head = "score\tview\tpattern\tn\tmt\tin_err\tprec\twilson\tsystems\tdocs\tref\tclean\tclean_per_100k\tlift\tcategories\texample"
    with out.open("w", encoding="utf-8") as fh:
        fh.write(f"# mined from {args.mqm.name} half {args.half} ({mt_words} MT words, {ref_words} reference words) "
                 f"and {args.clean.name} half {args.half} ({clean_words} words); corpus text: never commit\n")
        fh.write(head + "\n")
        for r in kept:
            fh.write("\t".join(f"{x:.3f}" if isinstance(x, float) else str(x) for x in r) + "\n")
    print(f"MT words {mt_words} (systems: {len(systems)}), reference words {ref_words}, clean words {clean_words}")
    print(f"{len(rows)} candidates pass the filters; top {len(kept)} written to {out}")


if __name__ == "__main__":
    main()
