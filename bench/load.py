"""A small load generator, run as its own process: `python -m bench.load SPEC.json`.

Two modes, both over keep-alive HTTP/1.1 connections on loopback:
- "closed": C workers send requests back to back for D seconds (maximum throughput);
- "rate": requests are scheduled at R per second for D seconds; latency is measured from the
  scheduled time, so a stalled server is not hidden (no coordinated omission).
Prints one JSON object: requests, errors, requests/s, p50/p95/p99 in milliseconds.
"""

import http.client
import json
import sys
import threading
import time
from urllib.parse import urlsplit


def percentile(values: list[float], p: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


class Client:
    """One keep-alive connection, with the cookies of a signed-in visitor if given."""

    def __init__(self, base: str, cookie: str | None = None):
        parts = urlsplit(base)
        self.host, self.port = parts.hostname, parts.port
        self.cookie = cookie
        self.connection = http.client.HTTPConnection(self.host, self.port, timeout=30)

    def request(self, method: str, path: str, body: str | None = None) -> tuple[int, int]:
        headers = {"Accept-Encoding": "gzip", "Accept-Language": "lv"}
        if self.cookie:
            headers["Cookie"] = self.cookie
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            self.connection.request(method, path, body=body, headers=headers)
            response = self.connection.getresponse()
            data = response.read()
        except (OSError, http.client.HTTPException):
            self.connection.close()
            self.connection = http.client.HTTPConnection(self.host, self.port, timeout=30)
            return 0, 0
        return response.status, len(data)


def _target(spec: dict, worker: int, counter: list[int]):
    """The next (method, path, body) for a worker: paths rotate, bodies get a fresh token."""
    paths = spec["paths"]
    counter[0] += 1
    path = paths[(worker * 7919 + counter[0]) % len(paths)]
    body = spec.get("body")
    if body is not None:
        body = body.replace("{n}", f"{worker}-{counter[0]}-{time.time_ns()}")
    return spec.get("method", "GET"), path, body


def run(spec: dict) -> dict:
    duration = spec["duration"]
    ok_statuses = set(spec.get("ok", [200]))
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    cookies = spec.get("cookies") or [None]
    start = time.perf_counter() + 0.2
    deadline = start + duration

    def closed_worker(worker: int):
        client = Client(spec["base"], cookies[worker % len(cookies)])
        counter = [0]
        while time.perf_counter() < start:
            time.sleep(0.001)
        while time.perf_counter() < deadline:
            method, path, body = _target(spec, worker, counter)
            began = time.perf_counter()
            status, _ = client.request(method, path, body)
            elapsed = time.perf_counter() - began
            with lock:
                if status in ok_statuses:
                    latencies.append(elapsed)
                else:
                    errors[0] += 1

    def rate_worker(worker: int, workers: int):
        client = Client(spec["base"], cookies[worker % len(cookies)])
        counter = [0]
        interval = 1.0 / spec["rate"]
        k = worker
        while True:
            scheduled = start + k * interval
            if scheduled >= deadline:
                break
            if time.perf_counter() > deadline + spec.get("grace", 5):
                # Far behind schedule: what was not sent counts as failed, the run stays bounded.
                with lock:
                    errors[0] += len(range(k, int((deadline - start) / interval), workers))
                break
            delay = scheduled - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            method, path, body = _target(spec, worker, counter)
            status, _ = client.request(method, path, body)
            elapsed = time.perf_counter() - scheduled
            with lock:
                if status in ok_statuses:
                    latencies.append(elapsed)
                else:
                    errors[0] += 1
            k += workers

    workers = spec.get("concurrency", 8)
    if spec["mode"] == "rate":
        threads = [threading.Thread(target=rate_worker, args=(w, workers)) for w in range(workers)]
    else:
        threads = [threading.Thread(target=closed_worker, args=(w,)) for w in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = max(time.perf_counter() - start, 1e-9)
    ms = [value * 1000 for value in latencies]
    return {
        "requests": len(latencies),
        "errors": errors[0],
        "rps": len(latencies) / min(elapsed, duration + 30),
        "p50": percentile(ms, 50),
        "p95": percentile(ms, 95),
        "p99": percentile(ms, 99),
        "max": max(ms) if ms else None,
    }


if __name__ == "__main__":
    with open(sys.argv[1], encoding="utf-8") as handle:
        print(json.dumps(run(json.load(handle))))
