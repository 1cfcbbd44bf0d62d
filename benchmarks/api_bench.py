"""The library API's first call against later calls (issue 12: "check_text
rebuilds the engine on every call").

    python benchmarks/api_bench.py                 # default rules (Harper grammar included), 3 rounds
    python benchmarks/api_bench.py --rounds 5 --calls 20 --select MT,TY

Each round starts two fresh Python processes, one after the other (so both
pay the same imports and run under the same load):

* ``checker``: ``mtlint.Checker(...)`` made once, then ``check_text`` on the
  same text ``--calls`` times: the first call (rules, tables and the grammar
  backend load) and the median of the later ones;
* ``one-off``: ``mtlint.check_text(text)`` ``--calls`` times, a new checker
  every call (the old behaviour of ``checker.api.check_text``).

Two texts: the bundled seed article (1,077 words) and one short sentence,
each call with a different last line (so no call checks a text seen before).
Printed: medians over rounds of each figure, and the ratio "one-off later
call / reused later call" from the same rounds.  Seconds depend on the
machine and its load; quote the ratios.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHORT = "Militias destroyed Hausers near the the city."

CHILD = r"""
import json, sys, time
t0 = time.perf_counter()
import mtlint
t_import = time.perf_counter() - t0
mode, calls, select, path = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
kw = {"select": select.split(",")} if select else {}
texts = {"seed": open(path, encoding="utf-8").read(), "short": sys.argv[5]}
out = {"import": t_import}
if mode == "checker":
    t = time.perf_counter()
    checker = mtlint.Checker(**kw)
    out["construct"] = time.perf_counter() - t
    check = checker.check_text
else:
    cfg = {"select": kw["select"]} if kw else None
    check = lambda text: mtlint.check_text(text, config=cfg)
for name, text in texts.items():
    times = []
    for i in range(calls):
        variant = text + f"\n\nReported {i + 1} hours ago.\n"  # a new text every call: nothing is served from memory
        t = time.perf_counter()
        r = check(variant)
        times.append(time.perf_counter() - t)
    out[name] = {"first": times[0], "later": sorted(times[1:])[len(times[1:]) // 2], "findings": len(r.findings)}
print(json.dumps(out))
"""


def child(mode: str, calls: int, select: str) -> dict:
    seed = ROOT / "fixtures" / "documents" / "seed_article.txt"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.run([sys.executable, "-c", CHILD, mode, str(calls), select, str(seed), SHORT],
                          capture_output=True, text=True, env=env, cwd=str(ROOT), check=True)
    return json.loads(proc.stdout)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--calls", type=int, default=10, help="check_text calls per text and process")
    ap.add_argument("--select", default="", help="rules (comma-separated); default: the default rules")
    args = ap.parse_args()
    runs: dict[str, list[dict]] = {"checker": [], "one-off": []}
    for _ in range(args.rounds):
        for mode in runs:
            runs[mode].append(child(mode, args.calls, args.select))

    def med(mode: str, *keys: str) -> float:
        vals = []
        for r in runs[mode]:
            v = r
            for k in keys:
                v = v[k]
            vals.append(v)
        return statistics.median(vals)

    print(f"rules: {args.select or 'default'}; {args.rounds} rounds, {args.calls} calls per text; medians over rounds, seconds")
    print(f"  import mtlint                         {med('checker', 'import'):.3f}")
    print(f"  Checker() (validates config, loads rule set)  {med('checker', 'construct'):.3f}")
    for text in ("seed", "short"):
        n = runs["checker"][0][text]["findings"]
        assert all(r[text]["findings"] == n for rs in runs.values() for r in rs), "both ways must find the same"
        reused_first, reused_later = med("checker", text, "first"), med("checker", text, "later")
        once_first, once_later = med("one-off", text, "first"), med("one-off", text, "later")
        ratios = [o[text]["later"] / c[text]["later"] for o, c in zip(runs["one-off"], runs["checker"])]
        print(f"  {text} ({n} findings):")
        print(f"    Checker.check_text      first {reused_first:.3f}   later {reused_later:.4f}")
        print(f"    mtlint.check_text       first {once_first:.3f}   later {once_later:.4f}")
        print(f"    later calls: one-off / reused = {statistics.median(ratios):.1f}x (per round: {', '.join(f'{x:.1f}' for x in ratios)})")
        print(f"    reused: first / later = {reused_first / reused_later:.1f}x")


if __name__ == "__main__":
    main()
