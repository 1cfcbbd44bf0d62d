"""Profile Harper's rules on real news: value (what fires where) and time.

Value: every rule on (including those off by default), no dedup, one call
per article; counts per rule on the clean corpus (false alarms: the text is
edited news) and on the MQM machine translations (hits = lints overlapping a
rater's error span, misses = lints on text no rater marked).
Time: per-rule cost measured by enabling one rule at a time on a sample.

    python benchmarks/harper_profile.py [--time-sample-words 8000] [--out FILE]

Reads the corpora by path (../shared/corpus); numbers taken on a shared
machine are under load.
"""
from __future__ import annotations

import argparse
import sys
import json
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
CORPUS = ROOT.parent / "shared" / "corpus"


_TIMER = """
import json, sys, time, harper
rules = set(json.loads(sys.argv[1]))
texts = [json.loads(l)["text"] for l in open(sys.argv[2], encoding="utf-8")]
lin = harper.Linter(harper.Dialect.AMERICAN)
lin.set_lint_config({k: (k in rules) for k in lin.get_default_lint_config()})
t0 = time.perf_counter()
for t in texts:
    lin.lint(t, language="plaintext")
print(sum(len(t.split()) for t in texts) / (time.perf_counter() - t0))
"""


def _time_cold(rules: list[str], corpus: Path) -> float:
    """Words/s of one Linter with ``rules`` over the corpus, in a fresh process."""
    import subprocess

    out = subprocess.run([sys.executable, "-c", _TIMER, json.dumps(rules), str(corpus)], capture_output=True, text=True, check=True)
    return float(out.stdout.strip())


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--time-sample-words", type=int, default=8000)
    ap.add_argument("--out", default=str(ROOT / "benchmarks" / "out" / "harper_profile.json"), help="JSON with counts and corpus samples (not committed: corpus text)")
    ap.add_argument("--no-time", action="store_true")
    args = ap.parse_args()
    import harper

    lin = harper.Linter(harper.Dialect.AMERICAN)
    default = lin.get_default_lint_config()
    lin.set_lint_config({k: True for k in default})
    clean = [json.loads(l)["text"] for l in (CORPUS / "clean_news_dev.jsonl").open()]
    mqm = [json.loads(l) for l in (CORPUS / "mqm_zhen_dev.jsonl").open()]
    clean_words = sum(len(t.split()) for t in clean)
    fa = Counter()
    kinds: dict[str, str] = {}
    samples: dict[str, list[str]] = {}
    t0 = time.perf_counter()
    for text in clean:
        for rule, lints in lin.organized_lints(text, language="plaintext", dedup=False).items():
            for l in lints:
                fa[rule] += 1
                kinds[rule] = l.lint_kind
                s = samples.setdefault(rule, [])
                if len(s) < 4:
                    a, b = l.span.start, l.span.end
                    s.append(f"{text[max(0,a-40):a]}[[{text[a:b]}]]{text[b:b+40]}".replace("\n", " "))
    t_clean = time.perf_counter() - t0
    hit, miss = Counter(), Counter()
    mqm_words = 0
    for doc in mqm:
        for seg in doc["segments"]:
            text = seg["text"]
            mqm_words += len(text.split())
            errs = [(e["start"], e["end"]) for e in seg["errors"]]
            for rule, lints in lin.organized_lints(text, language="plaintext", dedup=False).items():
                for l in lints:
                    a, b = l.span.start, l.span.end
                    kinds[rule] = l.lint_kind
                    if any(a < e and s < b for s, e in errs):
                        hit[rule] += 1
                    else:
                        miss[rule] += 1
    # Harper caches lint results per chunk of text in a process-wide cache
    # that outlives Linter objects (a second pass over the same articles, even
    # with a new Linter, runs ~8x faster), so every timed group runs in its
    # own fresh process: these are cold-cache numbers, as a user sees them.
    timing: dict[str, float] = {}
    if not args.no_time:
        from checker.backends.harper import DEFAULT_RULES

        fired = set(fa) | set(hit) | set(miss)
        on_default = {k for k, v in default.items() if v}
        groups = {
            "none": set(),
            "mtlint default selection": set(DEFAULT_RULES),
            **{f"  only {r}": {r} for r in DEFAULT_RULES},
            "SpellCheck only": {"SpellCheck"},
            f"fired, minus SpellCheck/LongSentences ({len((on_default & fired) - {'SpellCheck', 'LongSentences'})} rules)":
                (on_default & fired) - {"SpellCheck", "LongSentences"},
            f"never fired on either corpus ({len(on_default - fired)} rules)": on_default - fired,
            "harper default (905)": on_default,
        }
        for name, on in groups.items():
            timing[name] = _time_cold(sorted(on), CORPUS / "clean_news_dev.jsonl")
    out = {
        "clean_words": clean_words, "mqm_words": mqm_words, "all_rules_clean_seconds": t_clean,
        "default_on": default, "clean_counts": fa, "mqm_hits": hit, "mqm_misses": miss,
        "words_per_second": timing, "lint_kinds": kinds, "samples": samples,
    }
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(out, indent=1, sort_keys=True))
    print(f"clean corpus: {clean_words} words, all rules in {t_clean:.1f}s = {clean_words/t_clean:,.0f} words/s (under shared load)")
    rules = set(fa) | set(hit) | set(miss)
    print(f"{'rule':40} {'kind':16} {'on':3} {'clean/1kw':>9} {'mqm hit':>7} {'mqm miss':>8}")
    for r in sorted(rules, key=lambda r: -(fa[r] + hit[r] + miss[r])):
        print(f"{r:40} {kinds.get(r, ''):16} {'y' if default.get(r) else 'n':3} {1000*fa[r]/clean_words:9.3f} {hit[r]:7d} {miss[r]:8d}")
    for name, wps in timing.items():
        print(f"time: {name:50} {wps:10,.0f} words/s (one core, fresh process, whole clean corpus, shared machine)")


if __name__ == "__main__":
    main()
