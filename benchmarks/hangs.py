"""Inputs that used to hang a run (issue 11), each timed as a whole ``mtlint check`` process.

* a 5 MB file that is one "word" (no spaces), with the default rules and with ``--grammar none``;
* a user pattern pack holding ``(a+)+$`` (the issue's pattern) and ``(a|aa)+$`` (exponential even
  in the ``regex`` module) with ``timeout: 0.5``, over 8 files, ``--jobs 1`` and ``--jobs 2``;
* a LanguageTool server that accepts connections and never answers, with ``timeout = 5``.

Each line prints the wall time, the exit code and what the report says about the input (the
finding or the error that names the rule), so a regression shows as a time, not as a hang:
every run is killed after ``--limit`` seconds.

    python benchmarks/hangs.py
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

PATHOLOGICAL = "a" * 40 + "!"
CPU: list[float] = []  # CPU seconds of each run (the machine is shared: wall time drifts, CPU less)


def run(args: list[str], cwd: Path, limit: float) -> tuple[float, int | None, dict | None]:
    """(wall, exit code, report); the CPU time of the run goes to ``CPU[-1]``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "checker", "check", "--no-cache", "--no-progress", "--format", "json", *args],
                            cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    try:
        out, _ = proc.communicate(timeout=limit)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, 9)
        proc.communicate()
        CPU.append(float("nan"))
        return time.perf_counter() - t0, None, None
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    CPU.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
    try:
        return wall, proc.returncode, json.loads(out)
    except ValueError:
        return wall, proc.returncode, None


def what(report: dict | None) -> str:
    if report is None:
        return "KILLED or no report"
    errors = [e for f in report["files"] for e in f["errors"]] + report.get("errors", [])
    findings = [f for x in report["files"] for f in x["findings"]]
    if errors:
        return f"{len(errors)} error(s): {errors[0]['kind']}: {errors[0]['message'][:110]}"
    return f"{len(findings)} finding(s)" + (f": {findings[0]['rule']} {findings[0]['message'][:90]}" if findings else "")


def silent_server() -> tuple[str, socket.socket]:
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(16)
    held: list[socket.socket] = []

    def accept() -> None:
        while True:
            try:
                conn, _ = srv.accept()
            except OSError:
                return
            held.append(conn)  # accept and never answer

    threading.Thread(target=accept, daemon=True).start()
    return f"http://127.0.0.1:{srv.getsockname()[1]}", srv


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--limit", type=float, default=120.0, help="kill a run after this many seconds")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        big = root / "big" / "word.txt"
        big.parent.mkdir()
        big.write_text("a" * 5_000_000 + "\n", encoding="utf-8")
        for label, extra in (("5 MB one-word file, default rules", []), ("5 MB one-word file, --grammar none", ["--grammar", "none"])):
            wall, code, rep = run([*extra, str(big)], root, args.limit)
            print(f"{label:48s} {wall:6.2f} s wall {CPU[-1]:6.2f} s CPU  exit {code}  {what(rep)}")

        user = root / "user"
        pack = user / "pack"
        pack.mkdir(parents=True)
        (pack / "pack.yaml").write_text("pack: user\nprefix: HS\n", encoding="utf-8")
        for code, name, rx in (("HS001", "nested", r"(a+)+$"), ("HS002", "alternation", r"(a|aa)+$")):
            (pack / f"{name}.yaml").write_text(
                f"code: {code}\nname: user.{name}\nkind: pattern\ncategory: style\nsummary: A user pattern.\n"
                f"rationale: A newsroom's own check.\nscope: paragraph\ntimeout: 0.5\npatterns:\n  - regex: '{rx}'\n", encoding="utf-8")
        (user / ".mtlint.toml").write_text(f'packs = ["{pack.as_posix()}"]\nselect = ["HS"]\n', encoding="utf-8")
        docs = user / "docs"
        docs.mkdir()
        for i in range(8):
            (docs / f"f{i}.txt").write_text(f"A widget.\n\n{PATHOLOGICAL}\n\nSome aaa\n", encoding="utf-8")
        for jobs in ("1", "2"):
            wall, code, rep = run(["--jobs", jobs, str(docs)], user, args.limit)
            print(f"{'(a+)+$ and (a|aa)+$ over 8 files, --jobs ' + jobs:48s} {wall:6.2f} s wall {CPU[-1]:6.2f} s CPU  exit {code}  {what(rep)}")

        url, srv = silent_server()
        lt = root / "lt"
        lt.mkdir()
        (lt / ".mtlint.toml").write_text(f'[grammar]\nbackend = "languagetool"\n\n[grammar.languagetool]\nurl = "{url}"\ntimeout = 5\n', encoding="utf-8")
        (lt / "a.txt").write_text("He go to school yesterday.\n", encoding="utf-8")
        wall, code, rep = run(["a.txt"], lt, args.limit)
        print(f"{'LanguageTool that never answers, timeout = 5':48s} {wall:6.2f} s wall {CPU[-1]:6.2f} s CPU  exit {code}  {what(rep)}")
        srv.close()


if __name__ == "__main__":
    main()
