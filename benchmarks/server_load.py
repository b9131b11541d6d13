"""Benchmark: the server under load for an organisation of N teams (default 1000).

Targets: `GET /api/v1/org` and `GET /` (the dashboard) answer in under 50 ms median under load
from another process on loopback, and the server process stays under 300 MB resident. Also
reported: the first request after start (cold: every workbook is read), p90/p99 and requests per
second, the CPU the server and the clients used (they share the machine's cores), and `wrk`'s
figures when wrk is installed.

How: N team workbooks and the company (benchmarks/workbooks.py) are registered by path through
the real API (`POST /api/v1/teams`, admin token) on a first server; a second, fresh
`sheetokr serve` on the same data folder is then measured: cold requests, a wait until its
background work (the dashboard's weekly trend) is done, then one client alone and `--clients`
keep-alive clients for `--seconds` per endpoint. Clients send a viewer token (`--public` serves
with SHEETOKR_PUBLIC_READ=true instead).

    .venv/bin/python benchmarks/server_load.py [--n 1000] [--clients 4] [--seconds 10]
        [--data DIR (kept and reused)] [--no-wrk]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.load_client import Run, WrkRun, drive, get, wrk  # noqa: E402
from benchmarks.workbooks import company, ensure  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SHEETOKR = ROOT / ".venv" / "bin" / "sheetokr"
MEDIAN_TARGET = 0.050
RSS_TARGET_MB = 300
ENDPOINTS = ("/api/v1/org", "/")
MB = 1024 * 1024


def sheetokr(*args: str, env: dict[str, str] | None = None) -> str:
    return subprocess.run(
        [str(SHEETOKR), *args], capture_output=True, text=True, check=True, env=env
    ).stdout.strip()


def memory(pid: int) -> dict[str, int]:
    """VmRSS and VmHWM of a process, in bytes (from /proc/<pid>/status)."""
    out = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, value = line.partition(":")
        if name in ("VmRSS", "VmHWM"):
            out[name] = int(value.split()[0]) * 1024
    return out


def cpu_seconds(pid: int) -> float:
    """User plus system CPU seconds a process has used (from /proc/<pid>/stat)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@dataclass
class Server:
    """A `sheetokr serve` process and what is watched of it."""

    process: subprocess.Popen[str]
    host: str
    port: int
    started: float  # seconds from launch until it printed its address
    peak_rss: int = 0  # largest VmRSS sampled
    _stop: threading.Event = field(default_factory=threading.Event)

    @property
    def pid(self) -> int:
        return self.process.pid

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def watch(self) -> None:
        def sample() -> None:
            while not self._stop.wait(0.05):
                try:
                    self.peak_rss = max(self.peak_rss, memory(self.pid)["VmRSS"])
                except (OSError, KeyError):
                    return

        threading.Thread(target=sample, daemon=True).start()

    def settle(self, quiet: float = 2.0, limit: float = 600.0) -> float:
        """Wait until the server used no CPU for `quiet` seconds; the seconds waited."""
        t0 = time.perf_counter()
        last, still = cpu_seconds(self.pid), time.perf_counter()
        while time.perf_counter() - t0 < limit:
            time.sleep(0.25)
            now = cpu_seconds(self.pid)
            if now - last > 0.02:
                last, still = now, time.perf_counter()
            elif time.perf_counter() - still >= quiet:
                return still - t0
        return time.perf_counter() - t0


@contextmanager
def serve(data: Path, env: dict[str, str], log: Path) -> Iterator[Server]:
    """A fresh `sheetokr serve --port 0` on `data`, stopped (Ctrl+C) when done."""
    t0 = time.perf_counter()
    with open(log, "a") as err:
        process = subprocess.Popen(
            [str(SHEETOKR), "serve", "--port", "0", "--data", str(data)],
            stdout=subprocess.PIPE, stderr=err, text=True, env=env,
        )
    server = None
    try:
        assert process.stdout is not None
        for line in process.stdout:
            found = re.search(r"http://([\d.]+):(\d+)/", line)
            if found:
                server = Server(process, found[1], int(found[2]), time.perf_counter() - t0)
                break
        if server is None:
            raise RuntimeError(f"the server did not start; see {log}")
        server.watch()
        yield server
    finally:
        if server is not None:
            server._stop.set()
        process.send_signal(2)
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def register(server: Server, admin: str, paths: list[Path]) -> float:
    """Register every workbook by path through the API; the seconds it took."""
    import http.client

    t0 = time.perf_counter()
    conn = http.client.HTTPConnection(server.host, server.port, timeout=600)
    headers = {"Authorization": f"Bearer {admin}", "Content-Type": "application/json"}
    for number, path in enumerate(paths):
        key = "company" if path.stem == "company" else path.stem
        body = {"key": key, "name": key, "parent": None if key == "company" else "company",
                "source": str(path)}
        conn.request("POST", "/api/v1/teams", json.dumps(body), headers)
        response = conn.getresponse()
        text = response.read()
        if response.status not in (200, 201):
            raise RuntimeError(f"registering {key}: {response.status} {text[:300]!r}")
        if number % 100 == 0:
            print(f"  registered {number + 1}/{len(paths)}"
                  f" ({time.perf_counter() - t0:.1f} s)", flush=True)
    conn.close()
    return time.perf_counter() - t0


def registered(server: Server, headers: dict[str, str]) -> int:
    seconds, status, body = get(server.host, server.port, "/api/v1/teams", headers)
    teams = json.loads(body)["teams"] if status == 200 else []
    return sum(1 for t in teams if t.get("version"))


def ms(seconds: float) -> str:
    return f"{seconds * 1000:8.1f}"


def report_run(run: Run, server_cpu: float) -> None:
    verdict = "" if run.clients == 1 else (
        "  PASS" if run.median < MEDIAN_TARGET else "  FAIL (target: median < 50 ms)")
    print(
        f"  {run.path:<12} {run.clients:>2} client(s) {len(run.latencies):>6} requests"
        f" {run.rate:7.1f}/s  median {ms(run.median)} ms  p90 {ms(run.percentile(90))} ms"
        f"  p99 {ms(run.percentile(99))} ms  max {ms(max(run.latencies, default=0))} ms"
        f"  body {run.body_bytes / 1024:7.0f} KB  errors {run.errors}"
        f"  CPU server {server_cpu:5.1f} s, clients {run.client_cpu:5.1f} s{verdict}"
    )


def report_wrk(run: WrkRun) -> None:
    p = run.percentiles
    print(
        f"  {run.path:<12} {run.clients:>2} conns (wrk)  {run.requests:>6} requests"
        f" {run.rate:7.1f}/s  median {ms(p.get(50, float('nan')))} ms"
        f"  p90 {ms(p.get(90, float('nan')))} ms  p99 {ms(p.get(99, float('nan')))} ms"
        + (f"  {run.errors}" if run.errors else "")
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1000, help="teams (besides the company)")
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=10.0, help="per endpoint")
    parser.add_argument("--dir", type=Path, default=Path(tempfile.gettempdir()) / "sheetokr-bench",
                        help="where the generated workbooks are kept")
    parser.add_argument("--data", type=Path, help="data folder to use and keep (reused if ready)")
    parser.add_argument("--public", action="store_true", help="SHEETOKR_PUBLIC_READ=true")
    parser.add_argument("--no-wrk", action="store_true", help="skip wrk even when installed")
    args = parser.parse_args()

    paths = ensure(args.dir, args.n)
    root = args.dir / "company.xlsx"
    if not root.exists():
        company(root)
    paths = [root, *paths]
    data = args.data or Path(tempfile.mkdtemp(prefix="sheetokr-load-"))
    data.mkdir(parents=True, exist_ok=True)
    log = data / "server.log"
    env = {**os.environ, "SHEETOKR_DATA": str(data), "SHEETOKR_PUBLIC_READ": "false"}
    admin = sheetokr("token", "create", "--admin", "--data", str(data), env=env)
    viewer = sheetokr("token", "create", "--viewer", "--data", str(data), env=env)
    headers = {} if args.public else {"Authorization": f"Bearer {viewer}"}
    print(f"{len(paths)} workbooks ({args.n} teams and the company), data folder {data};"
          f" {os.cpu_count()} cores shared by the server and {args.clients} client processes")
    try:
        with serve(data, env, log) as setup:
            if registered(setup, {"Authorization": f"Bearer {admin}"}) < len(paths):
                seconds = register(setup, admin, paths)
                print(f"registered through POST /api/v1/teams in {seconds:.1f} s")

        if args.public:
            env["SHEETOKR_PUBLIC_READ"] = "true"
        with serve(data, env, log) as server:
            print(f"server pid {server.pid} at {server.url}, up in {server.started:.2f} s;"
                  f" RSS {memory(server.pid)['VmRSS'] / MB:.0f} MB before the first request")
            for path in ENDPOINTS:
                seconds, status, body = get(server.host, server.port, path, headers)
                if status != 200:
                    raise RuntimeError(f"GET {path} answered {status}: {body[:300]!r}")
                print(f"cold: first GET {path:<12} {ms(seconds)} ms  ({len(body) / 1024:.0f} KB)"
                      f"  RSS {memory(server.pid)['VmRSS'] / MB:.0f} MB")
            waited = server.settle()
            print(f"background work after the first requests (weekly trend) done in"
                  f" {waited:.1f} s; RSS {memory(server.pid)['VmRSS'] / MB:.0f} MB")
            for path in ENDPOINTS:  # warm: one request each once settled
                get(server.host, server.port, path, headers)

            print("under load (latency measured in the clients, per request):")
            for path in ENDPOINTS:
                for clients, seconds in ((1, min(3.0, args.seconds)), (args.clients, args.seconds)):
                    cpu0 = cpu_seconds(server.pid)
                    run = drive(server.host, server.port, path, headers, clients, seconds)
                    report_run(run, cpu_seconds(server.pid) - cpu0)
            if not args.no_wrk and shutil.which("wrk"):
                for path in ENDPOINTS:
                    report_wrk(wrk(server.url, path, headers, args.clients, args.seconds))
            elif not args.no_wrk:
                print("  (wrk is not installed: Python clients only)")

            mem = memory(server.pid)
            peak = max(mem["VmHWM"], server.peak_rss)
            verdict = "PASS" if peak < RSS_TARGET_MB * MB else f"FAIL (target < {RSS_TARGET_MB})"
            print(f"server memory: peak RSS (VmHWM) {peak / MB:.0f} MB, now {mem['VmRSS'] / MB:.0f}"
                  f" MB, largest sampled (every 50 ms) {server.peak_rss / MB:.0f} MB  {verdict}")
    finally:
        if args.data is None:
            shutil.rmtree(data, ignore_errors=True)


if __name__ == "__main__":
    main()
