"""``mtlint serve`` on loopback: requests per second, latency, and memory over many requests.

    python benchmarks/serve_bench.py                       # 1 and 8 clients, then 10,000 requests for memory
    python benchmarks/serve_bench.py --requests 300 --memory-requests 2000 --max-seconds 120   # quicker
    python benchmarks/serve_bench.py --endpoint v2         # the LanguageTool API instead of /api/v1/check
    python benchmarks/serve_bench.py --workers 1,2 --memory-requests 0   # one server process vs two, side by side

Starts ``python -m checker serve`` (this checkout) on a free loopback port as
a child process, waits for ``/healthz``, then:

1. **Throughput and latency**: ``--requests`` checks of the seed article
   (``$MTLINT_CORPUS/seed_article.txt``, read by path) by 1 client, then by
   8 concurrent clients (threads, one keep-alive connection each); requests
   per second over the phase and p50/p99 latency per request.  The server
   checks on one thread, so 8 clients queue: the ratio says what
   concurrency costs or gains, side by side in the same run.
2. **Memory**: ``--memory-requests`` more requests (8 clients), the
   server's resident set size (psutil) sampled every tenth of them; flat
   means the growth after the first tenth stays small.

``--workers 1,2`` repeats phase 1 with a server of each number of worker
processes (``mtlint serve --workers N``), one after the other in the same
run; the memory phase runs on the first (with workers, RSS is the sum over
the server's processes).

Every phase is bounded by ``--max-seconds`` (it stops early and says how
many requests it made); every request has a 120 s client timeout.  Quote the
ratios and the memory slope more than the absolute numbers: the machine is
shared.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

from _common import CORPUS, ROOT


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(port: int, workers: int = 1) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [sys.executable, "-m", "checker", "serve", "--port", str(port), "--no-access-log", "--timeout", "120", "--workers", str(workers)],
        cwd=str(ROOT), env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )


def wait_ready(url: str, proc: subprocess.Popen, seconds: float = 300) -> None:
    import httpx

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"the server stopped: {proc.stderr.read() if proc.stderr else ''}")
        try:
            if httpx.get(url + "/healthz", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise SystemExit("the server did not start in time")


def request_maker(url: str, endpoint: str, text: str):
    if endpoint == "v2":
        return lambda c: c.post(url + "/v2/check", data={"text": text, "language": "en-US"})
    return lambda c: c.post(url + "/api/v1/check", json={"text": text})


def phase(url: str, endpoint: str, text: str, clients: int, total: int, max_seconds: float, on_progress: Any = None) -> dict[str, Any]:
    """``total`` requests by ``clients`` threads; latencies, errors, wall time."""
    import httpx

    send = request_maker(url, endpoint, text)
    lock = threading.Lock()
    state = {"next": 0, "done": 0, "errors": 0}
    latencies: list[float] = []
    deadline = time.monotonic() + max_seconds

    def worker() -> None:
        with httpx.Client(timeout=120) as c:
            while True:
                with lock:
                    if state["next"] >= total or time.monotonic() > deadline:
                        return
                    state["next"] += 1
                t0 = time.perf_counter()
                try:
                    ok = send(c).status_code == 200
                except httpx.HTTPError:
                    ok = False
                dt = time.perf_counter() - t0
                with lock:
                    latencies.append(dt)
                    state["done"] += 1
                    state["errors"] += not ok
                    n = state["done"]
                if on_progress is not None:
                    on_progress(n)

    started = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - started
    lat = sorted(latencies)

    def pct(p: float) -> float:
        return lat[min(len(lat) - 1, int(round(p / 100 * (len(lat) - 1))))] * 1000 if lat else float("nan")

    return {"clients": clients, "requests": len(lat), "errors": state["errors"], "seconds": wall,
            "rps": len(lat) / wall if wall else 0.0, "p50": pct(50), "p99": pct(99),
            "mean": statistics.fmean(lat) * 1000 if lat else float("nan")}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--requests", type=int, default=400, help="requests per throughput phase (default: 400)")
    ap.add_argument("--memory-requests", type=int, default=10_000, help="requests of the memory phase (default: 10,000)")
    ap.add_argument("--clients", type=int, default=8, help="concurrent clients of the second phase (default: 8)")
    ap.add_argument("--max-seconds", type=float, default=900, help="time bound of each phase (default: 900)")
    ap.add_argument("--endpoint", choices=["v1", "v2"], default="v1", help="/api/v1/check (default) or LanguageTool's /v2/check")
    ap.add_argument("--workers", default="1", help="comma-separated numbers of server processes to compare (default: 1)")
    ap.add_argument("--article", default=str(CORPUS / "seed_article.txt"), help="the text every request checks")
    args = ap.parse_args(argv)

    import psutil

    text = Path(args.article).read_text(encoding="utf-8")
    counts = [int(w) for w in args.workers.split(",") if w.strip()]
    failed = False
    by_workers: dict[int, list[dict[str, Any]]] = {}
    for index, workers in enumerate(counts):
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        proc = start_server(port, workers)
        try:
            wait_ready(url, proc)
            server = psutil.Process(proc.pid)

            def rss() -> int:
                procs = [server] + (server.children(recursive=True) if workers > 1 else [])
                return sum(p.memory_info().rss for p in procs if p.is_running())

            print(f"mtlint serve --workers {workers} on {url}; article {Path(args.article).name}: {len(text)} characters, "
                  f"{len(text.split())} words; endpoint {args.endpoint}")
            rss_start = rss()
            phase(url, args.endpoint, text, args.clients, 20 * workers, args.max_seconds)  # warm-up (every worker)
            rows = by_workers[workers] = []
            for clients in (1, args.clients):
                r = phase(url, args.endpoint, text, clients, args.requests, args.max_seconds)
                rows.append(r)
                failed |= bool(r["errors"])
                print(f"  {clients} client{'s' if clients > 1 else ' '}: {r['requests']} requests in {r['seconds']:.1f} s = {r['rps']:.1f} req/s; "
                      f"latency p50 {r['p50']:.1f} ms, p99 {r['p99']:.1f} ms, mean {r['mean']:.1f} ms; errors {r['errors']}")
            print(f"  throughput {args.clients} clients / 1 client: {rows[1]['rps'] / rows[0]['rps']:.2f}x; "
                  f"p50 latency ratio {rows[1]['p50'] / rows[0]['p50']:.2f}x")
            if index or args.memory_requests <= 0:
                continue
            samples: list[tuple[int, int]] = []
            step = max(1, args.memory_requests // 10)
            marks = set(range(step, args.memory_requests + 1, step))
            sample_lock = threading.Lock()

            def sample(n: int) -> None:
                if n in marks:
                    with sample_lock:
                        samples.append((n, rss()))

            samples.append((0, rss()))
            m = phase(url, args.endpoint, text, args.clients, args.memory_requests, args.max_seconds, sample)
            samples.append((m["requests"], rss()))
            samples.sort()
            failed |= bool(m["errors"])
            mib = 1024 * 1024
            print(f"  memory phase: {m['requests']} requests ({args.clients} clients) in {m['seconds']:.1f} s = {m['rps']:.1f} req/s; errors {m['errors']}")
            print("  server RSS (MiB) after N requests: " + ", ".join(f"{n}: {v / mib:.1f}" for n, v in samples))
            first = next((v for n, v in samples if n >= step), samples[0][1])
            last = samples[-1][1]
            print(f"  RSS at start {rss_start / mib:.1f} MiB; growth from {step} to {samples[-1][0]} requests: {(last - first) / mib:+.1f} MiB "
                  f"({(last - first) / first * 100:+.1f}%)")
        finally:
            proc.terminate()
            try:
                proc.wait(60)
            except subprocess.TimeoutExpired:
                proc.kill()
    if len(counts) > 1:
        base = by_workers[counts[0]]
        for workers in counts[1:]:
            rows = by_workers[workers]
            print(f"--workers {workers} / --workers {counts[0]}: 1 client {rows[0]['rps'] / base[0]['rps']:.2f}x, "
                  f"{args.clients} clients {rows[1]['rps'] / base[1]['rps']:.2f}x req/s")
    return 1 if failed else 0

if __name__ == "__main__":
    sys.exit(main())
