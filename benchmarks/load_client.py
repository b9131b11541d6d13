"""The load side of the server benchmark: keep-alive HTTP clients in their own processes, each
timing every request it makes, the figures those timings give, and `wrk` when it is installed.

Clients are processes (not threads) so one client's Python work does not queue behind another's
in the measured latency; each holds one http.client connection and reads every body in full.
"""

from __future__ import annotations

import http.client
import multiprocessing
import re
import resource
import shutil
import statistics
import subprocess
import time
from dataclasses import dataclass


@dataclass(frozen=True)
class Run:
    """What the clients of one run measured."""

    path: str
    clients: int
    seconds: float  # wall time from the common start to the last answer
    latencies: list[float]  # seconds, one per answered request
    body_bytes: int  # size of the last body
    errors: int
    client_cpu: float  # CPU seconds the client processes used

    @property
    def rate(self) -> float:
        return len(self.latencies) / self.seconds if self.seconds else 0.0

    def percentile(self, p: int) -> float:
        if len(self.latencies) < 2:
            return self.latencies[0] if self.latencies else float("nan")
        return statistics.quantiles(self.latencies, n=100, method="inclusive")[p - 1]

    @property
    def median(self) -> float:
        return statistics.median(self.latencies) if self.latencies else float("nan")


def get(host: str, port: int, path: str, headers: dict[str, str]) -> tuple[float, int, bytes]:
    """One request on a new connection: (seconds, status, body)."""
    conn = http.client.HTTPConnection(host, port, timeout=600)
    try:
        t0 = time.perf_counter()
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        body = response.read()
        return time.perf_counter() - t0, response.status, body
    finally:
        conn.close()


def _client(
    host: str, port: int, path: str, headers: dict[str, str], start: float, stop: float
) -> tuple[list[float], int, int, float]:
    """One client's loop: (latencies, last body size, errors, finish time)."""
    conn = http.client.HTTPConnection(host, port, timeout=120)
    conn.connect()
    latencies: list[float] = []
    size = errors = 0
    while time.time() < start:
        time.sleep(0.001)
    while time.time() < stop:
        t0 = time.perf_counter()
        try:
            conn.request("GET", path, headers=headers)
            response = conn.getresponse()
            body = response.read()
        except (OSError, http.client.HTTPException):
            errors += 1
            conn.close()
            conn = http.client.HTTPConnection(host, port, timeout=120)
            continue
        elapsed = time.perf_counter() - t0
        if response.status != 200:
            errors += 1
            continue
        latencies.append(elapsed)
        size = len(body)
    conn.close()
    return latencies, size, errors, time.time()


def drive(
    host: str, port: int, path: str, headers: dict[str, str], clients: int, seconds: float
) -> Run:
    """`clients` processes requesting `path` back to back for `seconds`, starting together."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.time() + 0.5  # time for every process to connect first
    stop = start + seconds
    ctx = multiprocessing.get_context("fork")
    with ctx.Pool(clients) as pool:
        results = pool.starmap(
            _client, [(host, port, path, headers, start, stop)] * clients
        )
        pool.close()
        pool.join()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    latencies = [x for result in results for x in result[0]]
    end = max(result[3] for result in results)
    return Run(
        path=path,
        clients=clients,
        seconds=end - start,
        latencies=latencies,
        body_bytes=max(result[1] for result in results),
        errors=sum(result[2] for result in results),
        client_cpu=cpu,
    )


@dataclass(frozen=True)
class WrkRun:
    """What `wrk --latency` printed for one run."""

    path: str
    clients: int
    requests: int
    rate: float
    percentiles: dict[int, float]  # seconds at 50, 75, 90, 99
    errors: str


_UNITS = {"us": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0}


def _seconds(text: str) -> float:
    found = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text)
    if found is None:
        raise ValueError(f"wrk printed a latency as '{text}'")
    return float(found[1]) * _UNITS[found[2]]


def wrk(url: str, path: str, headers: dict[str, str], clients: int, seconds: float) -> WrkRun:
    """One `wrk` run (one thread, `clients` connections); raises when wrk is not installed."""
    program = shutil.which("wrk")
    if program is None:
        raise FileNotFoundError("wrk is not installed")
    command = [program, "-t1", f"-c{clients}", f"-d{int(seconds)}s", "--latency", "--timeout",
               "60s"]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    out = subprocess.run(
        [*command, url + path], capture_output=True, text=True, check=True
    ).stdout
    percentiles = {
        int(p): _seconds(v) for p, v in re.findall(r"^\s+(50|75|90|99)%\s+(\S+)", out, re.M)
    }
    requests = re.search(r"(\d+) requests in", out)
    rate = re.search(r"Requests/sec:\s+([\d.]+)", out)
    errors = re.findall(r"(Socket errors:.*|Non-2xx or 3xx responses:.*)", out)
    return WrkRun(
        path=path,
        clients=clients,
        requests=int(requests[1]) if requests else 0,
        rate=float(rate[1]) if rate else 0.0,
        percentiles=percentiles,
        errors="; ".join(e.strip() for e in errors),
    )
