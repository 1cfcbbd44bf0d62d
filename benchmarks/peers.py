"""mtlint side by side with its peers, as whole processes, on the same texts in the same run.

    python -m pip install '.[bench]'          # proselint and harper-py (this script installs nothing)
    python benchmarks/peers.py                # the dev clean corpus as a folder, 5 rounds
    python benchmarks/peers.py --rounds 7 --folder content/ --article fixtures/documents/seed_article.txt
    python benchmarks/peers.py --scale 10     # the corpus copied 10 times (2,330 files): memory at scale

Every command is a fresh process, run in turn within each round (so a
shared machine's load falls on all of them alike); the table gives the
median wall time, words per second and the peak resident memory of the
largest process of each command (the parent or, with --jobs, a worker: from
``wait4``), then the ratios that the issues set targets for.  mtlint runs
without its result cache unless the row says "cached" or "new to the cache"
(an editor's run: the cache on, holding the rules' record, and an article
it has not seen: the copy gets a new line before every run).  Peers that are not
importable are left out with a note.  Times drift on a shared machine:
quote the ratios, measured in one run.  Each ratio is given twice: of the
medians, and as the median (and range) of each round's pair of runs, which
ran a minute apart at most and so drift less.  The CPU column (user + system
time of the process and the workers it reaped) stays comparable under load;
note that with the kernel's autogroup scheduling (``sched_autogroup_enabled``)
a busy session elsewhere on the machine caps this session's share of the
CPU, so ``--jobs 2`` can then take longer than ``--jobs 1`` however well it
scales on an idle machine: compare its CPU time, or measure when idle.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# MTLINT_CORPUS: the corpora folder when ../shared is not beside this checkout (a git worktree elsewhere)
CORPUS = Path(os.environ.get("MTLINT_CORPUS") or ROOT.parent / "shared" / "corpus") / "clean_news_dev.jsonl"
PY = sys.executable


def write_corpus(folder: Path, scale: int) -> int:
    """One .txt per article of the dev clean corpus (``scale`` copies); returns the word count."""
    words = 0
    with open(CORPUS, encoding="utf-8") as fh:
        records = [json.loads(line) for line in fh if line.strip()]
    for copy in range(scale):
        sub = folder / f"copy{copy:02d}" if scale > 1 else folder
        sub.mkdir(parents=True, exist_ok=True)
        for rec in records:
            (sub / f"{rec['id'].replace('/', '_')}.txt").write_text(rec["text"], encoding="utf-8")
            words += len(rec["text"].split())
    return words


def count_words(paths: list[Path]) -> int:
    return sum(len(p.read_text(encoding="utf-8").split()) for p in paths)


def measure(cmd: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, int, int, float]:
    """Wall seconds, peak RSS (MB, largest process), exit status and CPU seconds
    (user + system, the process and the workers it reaped) of one whole process."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read().decode("utf-8", "replace") if proc.stderr else ""
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(cmd)} exited {proc.returncode}:\n{err[-2000:]}")
    return wall, usage.ru_maxrss // 1024, proc.returncode, usage.ru_utime + usage.ru_stime


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--folder", type=Path, help="a folder of .txt articles (default: the dev clean corpus, written to a temp folder)")
    ap.add_argument("--article", type=Path, default=ROOT / "fixtures" / "documents" / "seed_article.txt")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--scale", type=int, default=1, help="copies of the corpus in the folder")
    ap.add_argument("--only", default="", help="row names to run, separated by semicolons (the names contain commas; default: all)")
    ap.add_argument("--json", type=Path, help="also write the medians here")
    args = ap.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="mtlint-peers-"))
    try:
        if args.folder:
            folder = args.folder.resolve()
            files = sorted(folder.rglob("*.txt"))
            words = count_words(files)
        else:
            folder = tmp / "news"
            words = write_corpus(folder, args.scale)
            files = sorted(folder.rglob("*.txt"))
        article = args.article.resolve()
        art_words = len(article.read_text(encoding="utf-8").split())
        fresh = tmp / "editor" / article.name  # a copy that changes before every run (a cache miss)
        fresh.parent.mkdir()
        fresh.write_text(article.read_text(encoding="utf-8"), encoding="utf-8")
        cache = tmp / "cache"
        env = {**os.environ, "NO_COLOR": "1", "PYTHONPATH": str(ROOT)}
        env.pop("MTLINT_CACHE_DIR", None)
        # measure what an installed package does: pip compiles every module to
        # bytecode at install time, so do not recompile the checkout's sources
        # in every process (PYTHONDONTWRITEBYTECODE cost ~0.2 s per run); the
        # bytecode goes to the temp folder, never into the project
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(tmp / "pycache")
        mt = [PY, "-m", "checker", "check", "--format", "json", "--no-progress"]
        rows: list[tuple[str, list[str], int]] = [
            ("mtlint folder, grammar off, jobs 1", mt + ["--no-cache", "--grammar", "none", "--jobs", "1", str(folder)], words),
            ("mtlint folder, grammar off, jobs 2", mt + ["--no-cache", "--grammar", "none", "--jobs", "2", str(folder)], words),
            ("mtlint folder, default, jobs 1", mt + ["--no-cache", "--jobs", "1", str(folder)], words),
            ("mtlint folder, default, jobs 2", mt + ["--no-cache", "--jobs", "2", str(folder)], words),
            ("mtlint folder, default, cached", mt + ["--cache-dir", str(cache), str(folder)], words),
            ("mtlint article, grammar off", mt + ["--no-cache", "--grammar", "none", str(article)], art_words),
            ("mtlint article, default", mt + ["--no-cache", str(article)], art_words),
            # what an editor runs: the cache on (its rule record warm), the article new to it
            ("mtlint article, default, new to the cache", mt + ["--cache-dir", str(tmp / "cache-editor"), str(fresh)], art_words),
        ]
        notes = []
        if shutil.which("proselint") or importlib.util.find_spec("proselint"):
            pl = [PY, "-m", "proselint", "check"] if importlib.util.find_spec("proselint") else ["proselint", "check"]
            rows.append(("proselint folder", pl + [str(p) for p in files], words))
            rows.append(("proselint article", pl + [str(article)], art_words))
        else:
            notes.append("proselint is not importable: pip install '.[bench]'")
        if importlib.util.find_spec("harper"):
            rows.append(("harper folder, its default rules", [PY, str(ROOT / "benchmarks" / "harper_peer.py"), str(folder)], words))
            # the floor under "one article, default": Harper alone builds its dictionary first
            rows.append(("harper article, its default rules", [PY, str(ROOT / "benchmarks" / "harper_peer.py"), str(article)], art_words))
        else:
            notes.append("harper-py is not importable")
        if args.only:
            wanted = {w.strip() for w in args.only.split(";")}
            rows = [r for r in rows if r[0] in wanted]
        # the cached row measures a rerun: fill the cache once first (this run also
        # writes the bytecode, see PYTHONPYCACHEPREFIX above)
        fill = mt + ["--cache-dir", str(cache), str(folder)] if any(r[0] == "mtlint folder, default, cached" for r in rows) \
            else mt + ["--no-cache", "--grammar", "none", str(article)]
        subprocess.run(fill, env=env, cwd=tmp, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        subprocess.run(mt + ["--cache-dir", str(tmp / "cache-editor"), str(fresh)], env=env, cwd=tmp,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # the editor's cache: its rule record
        samples: dict[str, list[tuple[float, int, float]]] = {name: [] for name, _, _ in rows}
        for r in range(args.rounds):
            for name, cmd, _ in rows:
                if name == "mtlint article, default, new to the cache":
                    with fresh.open("a", encoding="utf-8") as fh:
                        fh.write(f"\nRound {r + 1} adds this line.\n")
                wall, rss, _code, cpu = measure(cmd, tmp, env)
                samples[name].append((wall, rss, cpu))
            print(f"round {r + 1}/{args.rounds} done", file=sys.stderr)
        medians = {}
        print(f"folder: {len(files)} files, {words:,} words; article: {article.name}, {art_words:,} words; {args.rounds} rounds, whole processes, medians")
        print(f"{'command':<40} {'wall s':>8} {'words/s':>10} {'peak MB':>8} {'CPU s':>8}")
        for name, _, w in rows:
            wall = statistics.median(s[0] for s in samples[name])
            rss = max(s[1] for s in samples[name])
            cpu = statistics.median(s[2] for s in samples[name])
            medians[name] = {"wall": wall, "words_per_s": w / wall, "peak_mb": rss, "cpu": cpu}
            print(f"{name:<40} {wall:8.3f} {w / wall:10,.0f} {rss:8d} {cpu:8.3f}")

        def ratio(a: str, b: str, label: str) -> None:
            if a in medians and b in medians:
                # the same round's two runs, minutes apart at most, see the same machine speed:
                # their ratio drifts less than the ratio of medians over all rounds
                wa, wb = next(w for n, _, w in rows if n == a), next(w for n, _, w in rows if n == b)
                paired = sorted((wa / sa[0]) / (wb / sb[0]) for sa, sb in zip(samples[a], samples[b]))
                print(f"  {label}: {medians[a]['words_per_s'] / medians[b]['words_per_s']:.2f}x"
                      f"  (per round: median {statistics.median(paired):.2f}x, {paired[0]:.2f}-{paired[-1]:.2f}x)")

        print("ratios (words per second, higher is better for mtlint): of the medians, and of each round's pair")
        ratio("mtlint folder, grammar off, jobs 2", "proselint folder", "mtlint (grammar off, default jobs on 2 cores) / proselint")
        ratio("mtlint folder, grammar off, jobs 1", "proselint folder", "mtlint (grammar off, one process) / proselint")
        ratio("mtlint folder, default, jobs 2", "harper folder, its default rules", "mtlint default (with Harper) / Harper's default rules")
        ratio("mtlint folder, grammar off, jobs 2", "mtlint folder, grammar off, jobs 1", "--jobs 2 / --jobs 1, grammar off")
        ratio("mtlint folder, default, jobs 2", "mtlint folder, default, jobs 1", "--jobs 2 / --jobs 1, default")
        ratio("mtlint folder, default, cached", "mtlint folder, default, jobs 2", "cached rerun / cold run (default)")
        ratio("mtlint article, grammar off", "proselint article", "one article, grammar off: mtlint / proselint")
        ratio("mtlint article, default", "harper article, its default rules", "one article, default: mtlint / Harper alone")
        ratio("mtlint article, default, new to the cache", "harper article, its default rules", "one new article, default with the cache: mtlint / Harper alone")
        for n in notes:
            print(f"note: {n}")
        if args.json:
            args.json.write_text(json.dumps({"files": len(files), "words": words, "rounds": args.rounds, "medians": medians}, indent=2), encoding="utf-8")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
