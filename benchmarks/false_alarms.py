"""False-alarm rate on clean professional news.

Runs the engine over every article of a JSONL corpus (default
``../shared/corpus/clean_news_dev.jsonl``) and prints findings per 1,000
words (error+warning, and info separately), counts per rule, and a sample
of each rule's findings with context, so a person can read what fired and
fix the rule rather than the threshold.

    python benchmarks/false_alarms.py                 # default rules, article by article in-process
    python benchmarks/false_alarms.py --select MT,NM  # some packs
    python benchmarks/false_alarms.py --samples 10 --json out.json
    python benchmarks/false_alarms.py --folder        # one file per article, ONE `mtlint check` over the folder
    python benchmarks/false_alarms.py --folder --diff # ... and what `--diff` (the safe fixes) would change

Folder mode is how users run mtlint (a content repository, an archive): it
writes one ``.txt`` per article into a temporary folder, runs one
``python -m checker check --format json`` process (this checkout's code) over
the whole folder with the selected rules, and reports per-rule rates with
the cross-file findings of corpus rules (``data.cross_file``) apart from the
in-article ones, with samples of each.  ``--diff`` also runs
``mtlint check --diff`` over the folder and lists every changed word, marking
the capitalised ones (a safe fix must never change a name on clean news).
"""

from __future__ import annotations

import argparse
import difflib
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

from _common import CORPUS, ROOT, make_engine, read_jsonl


def _context(text: str, start: int, end: int) -> str:
    ctx = text[max(0, start - 50) : start] + "⟦" + text[start:end] + "⟧" + text[end : end + 50]
    return " ".join(ctx.split())


def in_process(args: argparse.Namespace) -> None:
    engine = make_engine(args.select.split(",") if args.select else None, args.ignore.split(",") if args.ignore else None, args.config)
    words = 0
    by_rule: Counter[str] = Counter()
    by_sev: Counter[str] = Counter()
    samples: dict[str, list[str]] = defaultdict(list)
    everything = []
    t0 = time.perf_counter()
    n_docs = 0
    for rec in read_jsonl(args.corpus):
        n_docs += 1
        res = engine.check_text(rec["text"], path=rec["id"])
        words += res.words
        for e in res.errors:
            print(f"ENGINE ERROR {e}")
        for f in res.findings:
            by_rule[f.code] += 1
            by_sev[str(f.severity)] += 1
            line = f"{rec['id']}:{f.line}:{f.column} [{f.severity}] {f.message}\n      …{_context(rec['text'], f.start, f.end)}…"
            if len(samples[f.code]) < args.samples:
                samples[f.code].append(line)
            everything.append({"doc": rec["id"], "rule": f.code, "severity": str(f.severity), "text": f.text, "message": f.message, "start": f.start})
    elapsed = time.perf_counter() - t0
    ew = by_sev["error"] + by_sev["warning"]
    print(f"corpus: {args.corpus.name}  documents: {n_docs}  words: {words}")
    print(f"findings: error={by_sev['error']} warning={by_sev['warning']} info={by_sev['info']}")
    print(f"error+warning per 1,000 words: {1000 * ew / max(words, 1):.3f}")
    print(f"info per 1,000 words: {1000 * by_sev['info'] / max(words, 1):.3f}")
    print(f"time: {elapsed:.2f} s ({words / elapsed:,.0f} words/s, includes reporting)")
    print("\nper rule:")
    for code, n in sorted(by_rule.items(), key=lambda kv: (-kv[1], kv[0])):
        meta = engine.ruleset.by_code[code].meta
        print(f"  {code} {meta.name:<32} {n:5d}  ({1000 * n / max(words, 1):.3f}/1k words, {meta.severity})")
    _samples_and_json(args, {(code,): lines for code, lines in samples.items()}, everything)


def write_folder(corpus: Path, folder: Path) -> dict[str, str]:
    """One ``.txt`` per article (file name from the article id); returns file name -> id."""
    names: dict[str, str] = {}
    for rec in read_jsonl(corpus):
        name = re.sub(r"[^A-Za-z0-9]+", "_", rec["id"]).strip("_") + ".txt"
        (folder / name).write_text(rec["text"], encoding="utf-8")
        names[name] = rec["id"]
    return names


def _mtlint(args: list[str]) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""), "NO_COLOR": "1"}
    return subprocess.run([sys.executable, "-m", "checker", *args], capture_output=True, text=True, env=env)


def _selection(args: argparse.Namespace) -> list[str]:
    out = []
    if args.select:
        out += ["--select", args.select]
    if args.ignore:
        out += ["--ignore", args.ignore]
    if args.config:
        out += ["--config", args.config]
    return out


def folder_mode(args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory(prefix="mtlint-folder-") as tmp:
        folder = Path(args.keep) if args.keep else Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        write_folder(args.corpus, folder)
        t0 = time.perf_counter()
        proc = _mtlint(["check", "--format", "json", *_selection(args), str(folder)])
        elapsed = time.perf_counter() - t0
        if proc.returncode not in (0, 1):
            print(f"mtlint exited {proc.returncode}:\n{proc.stderr.strip()}")
        try:
            report = json.loads(proc.stdout)
        except json.JSONDecodeError:
            print("no JSON report:\n" + proc.stdout[:2000] + proc.stderr[-4000:])
            raise SystemExit(1)
        _folder_report(args, folder, report, elapsed, proc.returncode)
        if args.diff:
            _diff_report(args, folder)


def _folder_report(args: argparse.Namespace, folder: Path, report: dict, elapsed: float, rc: int) -> None:
    words = sum(f["words"] or 0 for f in report["files"])
    by_rule: Counter[tuple[str, str]] = Counter()
    by_sev: Counter[str] = Counter()
    safe: Counter[str] = Counter()
    samples: dict[tuple[str, str], list[str]] = defaultdict(list)
    everything = []
    for f in report["files"]:
        text = (folder / Path(f["path"]).name).read_text(encoding="utf-8")
        for x in f["findings"]:
            where = "cross-file" if x["data"].get("cross_file") else "in-article"
            by_rule[(x["rule"], where)] += 1
            by_sev[x["severity"]] += 1
            if x["fix"] and x["fix"]["applicability"] == "safe":
                safe[x["rule"]] += 1
            if len(samples[(x["rule"], where)]) < args.samples:
                fix = x["fix"]["applicability"] if x["fix"] else "no fix"
                samples[(x["rule"], where)].append(
                    f"{Path(f['path']).name}:{x['line']}:{x['column']} [{x['severity']}, {fix}] {x['message']}\n"
                    f"      …{_context(text, x['start'], x['end'])}…")
            everything.append({"file": Path(f["path"]).name, "rule": x["rule"], "where": where, "severity": x["severity"],
                               "text": x["text"], "message": x["message"], "start": x["start"],
                               "fix": x["fix"]["applicability"] if x["fix"] else None})
    ew = by_sev["error"] + by_sev["warning"]
    per_k = lambda n: 1000 * n / max(words, 1)  # noqa: E731
    print(f"folder: {len(report['files'])} files from {args.corpus.name}, {words} words; one process, exit {rc}, {elapsed:.1f} s wall")
    for e in report.get("errors", []):
        print(f"  run error: {e['path']}: {e['kind']}: {e['message']}")
    print(f"findings: error={by_sev['error']} warning={by_sev['warning']} info={by_sev['info']}; "
          f"error+warning per 1,000 words: {per_k(ew):.3f}; info per 1,000 words: {per_k(by_sev['info']):.3f}")
    nm_cross = sum(n for (code, where), n in by_rule.items() if code.startswith("NM") and where == "cross-file")
    nm_local = sum(n for (code, where), n in by_rule.items() if code.startswith("NM") and where == "in-article")
    print(f"name findings: cross-file {nm_cross} ({per_k(nm_cross):.4f}/1k words), in-article {nm_local} ({per_k(nm_local):.4f}/1k words); "
          f"safe fixes by rule: {dict(sorted(safe.items())) or 'none'}")
    print("\nper rule:")
    for (code, where), n in sorted(by_rule.items(), key=lambda kv: (-kv[1], kv[0])):
        print(f"  {code} {where:<10} {n:5d}  ({per_k(n):.4f}/1k words)")
    _samples_and_json(args, samples, everything)


def _samples_and_json(args: argparse.Namespace, samples: dict[tuple[str, ...], list[str]], everything: list[dict]) -> None:
    print("\nsamples:")
    for key in sorted(samples):
        print("--- " + " ".join(key))
        for line in samples[key]:
            print("   ", line)
    if args.json:
        args.json.write_text(json.dumps(everything, ensure_ascii=False, indent=1), encoding="utf-8")


_WORD = re.compile(r"\w[\w'’.-]*\w|\w")


def _diff_report(args: argparse.Namespace, folder: Path) -> None:
    """What the safe fixes would change (``mtlint check --diff``), word by word."""
    proc = _mtlint(["check", "--diff", *_selection(args), str(folder)])
    files = [line[4:].strip() for line in proc.stdout.splitlines() if line.startswith("+++ ")]
    minus = [line[1:] for line in proc.stdout.splitlines() if line.startswith("-") and not line.startswith("---")]
    plus = [line[1:] for line in proc.stdout.splitlines() if line.startswith("+") and not line.startswith("+++")]
    changes: list[tuple[str, str]] = []
    for a, b in zip(minus, plus):
        wa, wb = _WORD.findall(a), _WORD.findall(b)
        for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=wa, b=wb, autojunk=False).get_opcodes():
            if op != "equal":
                changes.append((" ".join(wa[i1:i2]), " ".join(wb[j1:j2])))
    names = [(a, b) for a, b in changes if any(w[:1].isupper() for w in (a + " " + b).split())]
    print(f"\n--diff (safe fixes): exit {proc.returncode}; {len(files)} file(s) would change, {len(changes)} word change(s), "
          f"{len(names)} touching a capitalised word (a name?)")
    for a, b in names:
        print(f"   NAME? {a!r} -> {b!r}")
    for a, b in changes[: args.samples * 4]:
        if (a, b) not in names:
            print(f"   {a!r} -> {b!r}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", type=Path, default=CORPUS / "clean_news_dev.jsonl")
    ap.add_argument("--select", default=None, help="comma-separated selection (default: the default rules)")
    ap.add_argument("--ignore", default=None)
    ap.add_argument("--config", default=None)
    ap.add_argument("--samples", type=int, default=5, help="findings shown per rule")
    ap.add_argument("--json", type=Path, default=None, help="write every finding here")
    ap.add_argument("--folder", action="store_true", help="one file per article, one `mtlint check` process over the folder")
    ap.add_argument("--keep", metavar="DIR", help="with --folder: write the articles here (kept) instead of a temporary folder")
    ap.add_argument("--diff", action="store_true", help="with --folder: also list what `mtlint check --diff` would change")
    args = ap.parse_args()
    if args.folder:
        folder_mode(args)
    else:
        in_process(args)


if __name__ == "__main__":
    main()
