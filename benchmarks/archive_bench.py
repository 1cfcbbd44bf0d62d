"""Archive audits at scale: a generated archive of 100,000+ records on Dask and on ``--jobs``.

The archive is synthesised from the dev corpus (``clean_news_dev.jsonl``):
each record is one or two of its paragraphs, so there are many records with
real names, and the names reduce has work to do.  It is written to a
temporary folder and deleted afterwards; nothing is committed.

Measured, all in one run on the same machine (it may be shared: compare the
ratios printed side by side, not absolute numbers across runs):

* records per second through the whole run (map, names reduce, second map,
  finalise, JSON Lines written) with a local Dask cluster of 1 and of 2
  worker processes, and with plain ``--jobs 2`` (forked workers);
* the peak memory (VmHWM) of each Dask worker and of the driver (the
  ``mtlint`` process, with the local scheduler in it), per run, on the small
  and the full archive: a worker's peak should not grow with the archive (it
  holds a few partitions at a time); the driver holds the names tables;
* the time of the names reduce (``Engine.cross_file``) and of the second map;
* the SHA-256 of each run's output, which must be the same for every run of
  the same archive.

Usage::

    python benchmarks/archive_bench.py                    # 100,000 and 25,000 records, NM001 only
    python benchmarks/archive_bench.py --records 20000 --small 5000 --select ALL

``--select`` defaults to NM001 (the names rule, the one with a reduce step)
so the full benchmark fits in minutes on two cores; ``--select ALL`` runs
every default rule (about 30 times slower per record).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import tempfile
import time
from pathlib import Path

from _common import CORPUS, ROOT  # noqa: F401  (puts the checkout on sys.path)


def synthesise(target: Path, n: int) -> int:
    """``n`` records of one or two dev-corpus paragraphs each; returns the file's size."""
    paragraphs = []
    with open(CORPUS / "clean_news_dev.jsonl", encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            paragraphs.extend(p.strip() for p in rec["text"].split("\n\n") if len(p.strip()) > 120)
    m = len(paragraphs)
    # name variants across records, for the names reduce and the second map: given-name
    # pairs from the corpus's name_pairs_dev.jsonl with a surname each, one record in six
    # of each name using the other spelling
    pairs = []
    with open(CORPUS / "name_pairs_dev.jsonl", encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            if rec.get("kind") == "pair" and len(rec["variants"]) == 2:
                pairs.append([v.title() for v in rec["variants"]])
            if len(pairs) == 40:
                break
    surnames = ["Kuznetsov", "Abramovich", "Lavrov", "Shevchenko", "Karimov", "Nazarbayev", "Tymoshenko", "Medvedev"]
    with open(target, "w", encoding="utf-8") as out:
        for i in range(n):
            body = paragraphs[i % m]
            if i % 3 == 0:
                body += "\n\n" + paragraphs[(i * 7 + 1) % m]
            if pairs and i % 25 == 0:
                k = (i // 25) % len(pairs)
                given = pairs[k][1] if (i // (25 * len(pairs))) % 6 == 5 else pairs[k][0]
                body += f"\n\nOfficials said {given} {surnames[k % len(surnames)]} would attend the talks."
            out.write(json.dumps({"id": f"synth/{i:07d}", "headline": f"Story {i}", "body": body}) + "\n")
    return target.stat().st_size


def _peak_kib() -> int:
    """This process's peak resident memory (VmHWM, KiB).  Not ``ru_maxrss``: Linux
    carries that over fork and exec, so a worker started by a big driver would
    report the driver's peak."""
    with open("/proc/self/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return 0


def _reset_peak() -> None:
    """Start this process's peak (VmHWM) again from its current size (Linux 4.0+)."""
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as fh:
            fh.write("5")
    except OSError:
        pass


def run(archive_path: Path, select: tuple[str, ...], *, dask_workers: int = 0, jobs: int = 1, partition: int = 200) -> dict:
    from checker.archive.run import ArchiveOptions, resolve_settings, run_archive
    from checker.archive.records import RecordSpec
    from checker.engine import RunOptions
    from checker.formatters import FormatOptions, get_formatter

    options = RunOptions(overrides={"select": select}, jobs=jobs, cache=False)
    archive = ArchiveOptions("jsonl", str(archive_path), RecordSpec(text_field="body", name=archive_path.name), partition)
    client = close = executor = None
    started = time.perf_counter()
    if dask_workers:
        from checker.archive.cluster import DaskExecutor, open_client

        from checker.archive.run import worker_engine

        client, close = open_client(None, dask_workers)
        settings = resolve_settings(options, archive)
        executor = DaskExecutor(client, settings)
        client.run(worker_engine, settings)  # load the rules in every worker before the clock starts
    timings: dict[str, float] = {}
    h = hashlib.sha256()
    _reset_peak()
    ready = time.perf_counter()
    report = run_archive(options, archive, executor=executor, timings=timings)

    class Sink:
        def write(self, s: str) -> None:
            h.update(s.encode("utf-8"))

    get_formatter("jsonl").render(report, Sink(), FormatOptions())
    done = time.perf_counter()
    driver_kib = _peak_kib()
    workers_kib = []
    if client is not None:
        workers_kib = sorted(client.run(_peak_kib).values())
        close()
    n = report.summary.files
    return {
        "records": n,
        "seconds": done - ready,
        "startup": ready - started,
        "records_per_s": n / (done - ready),
        "timings": timings,
        "worker_peak_mib": [round(k / 1024) for k in workers_kib],
        "driver_peak_mib": round(driver_kib / 1024),
        "findings": sum(report.summary.by_severity.values()),
        "sha256": h.hexdigest()[:16],
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--records", type=int, default=100_000)
    ap.add_argument("--small", type=int, default=25_000, help="the smaller archive, for the memory comparison")
    ap.add_argument("--select", default="NM001")
    ap.add_argument("--partition-size", type=int, default=200)
    ap.add_argument("--json", metavar="FILE", help="also write the results as JSON")
    args = ap.parse_args()
    if not (CORPUS / "clean_news_dev.jsonl").is_file():
        print(f"dev corpus not found in {CORPUS} (set MTLINT_CORPUS)", file=sys.stderr)
        return 2
    select = tuple(s.strip() for s in args.select.split(",") if s.strip())
    results: dict[str, dict] = {}
    with tempfile.TemporaryDirectory(prefix="mtlint-archive-bench-") as tmp:
        big, small = Path(tmp) / "archive.jsonl", Path(tmp) / "archive-small.jsonl"
        t = time.perf_counter()
        size = synthesise(big, args.records)
        synthesise(small, args.small)
        print(f"archive: {args.records} records, {size / 1e6:.1f} MB (written in {time.perf_counter() - t:.1f} s); "
              f"small: {args.small} records; rules: {','.join(select)}; partition: {args.partition_size} records", flush=True)
        plan = [
            ("dask 1 worker", small, dict(dask_workers=1)),
            ("dask 2 workers", small, dict(dask_workers=2)),
            ("dask 1 worker", big, dict(dask_workers=1)),
            ("dask 2 workers", big, dict(dask_workers=2)),
            ("--jobs 2", big, dict(jobs=2)),
            ("--jobs 1", small, dict(jobs=1)),
        ]
        for label, path, kw in plan:
            n = args.records if path is big else args.small
            key = f"{label} / {n}"
            r = run(path, select, partition=args.partition_size, **kw)
            results[key] = r
            tm = r["timings"]
            print(f"{key:>26}: {r['records_per_s']:7.0f} records/s  ({r['seconds']:.1f} s; cluster start {r['startup']:.1f} s)  "
                  f"map {tm['map']:.1f} s, names reduce {tm['reduce']:.2f} s, second map {tm['attach']:.2f} s, finalise {tm['finalise']:.1f} s  "
                  f"worker peak MiB {r['worker_peak_mib'] or '-'}, driver {r['driver_peak_mib']}  findings {r['findings']}  sha {r['sha256']}", flush=True)
    b1, b2, j2 = (results[f"dask 1 worker / {args.records}"], results[f"dask 2 workers / {args.records}"], results[f"--jobs 2 / {args.records}"])
    print(f"ratios: dask 2 workers / 1 worker = {b2['records_per_s'] / b1['records_per_s']:.2f}x; "
          f"--jobs 2 / dask 2 workers = {j2['records_per_s'] / b2['records_per_s']:.2f}x")
    s1 = results[f"dask 1 worker / {args.small}"]
    print(f"worker peak, {args.small} -> {args.records} records: {s1['worker_peak_mib']} -> {b1['worker_peak_mib']} MiB (1 worker); "
          f"{results[f'dask 2 workers / {args.small}']['worker_peak_mib']} -> {b2['worker_peak_mib']} MiB (2 workers)")
    same = len({r["sha256"] for k, r in results.items() if k.endswith(f"/ {args.records}")}) == 1
    print(f"identical output on every executor ({args.records} records): {same}")
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
