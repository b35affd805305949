"""The load driver: a separate process that sends requests with a fixed number
of concurrent clients and reports every latency.

    python -m bench.drive < spec.json > result.json

spec: {"requests": [{"method", "url", "headers", "body"}], "concurrency": 4,
"seconds": 10, "warmup_seconds": 1, "max_requests": 0}. Each client takes the
next request of the list in turn (round robin), waits for the whole answer,
and starts the next: a closed loop, so the figures are latency at that
concurrency and the throughput it reaches. Any status other than the one
expected counts as an error, and the first few are kept for the report.
"""

from __future__ import annotations

import http.client
import itertools
import json
import sys
import threading
import time
from urllib.parse import urlsplit


def _send(connections: dict, request: dict) -> tuple[int, bytes]:
    url = urlsplit(request["url"])
    key = url.netloc
    connection = connections.get(key)
    if connection is None:
        connection = connections[key] = http.client.HTTPConnection(url.hostname, url.port, timeout=60)
    target = url.path + (f"?{url.query}" if url.query else "")
    body = request.get("body")
    try:
        connection.request(request["method"], target, body=body, headers=request.get("headers", {}))
        response = connection.getresponse()
        data = response.read()
    except (http.client.HTTPException, ConnectionError):
        connection.close()  # the server closed an idle keep-alive connection: once more, on a new one
        connection.request(request["method"], target, body=body, headers=request.get("headers", {}))
        response = connection.getresponse()
        data = response.read()
    if response.getheader("Connection", "").lower() == "close":
        connection.close()
    return response.status, data


def drive(spec: dict) -> dict:
    requests = spec["requests"]
    expected = spec.get("status", 200)
    counter = itertools.count()
    lock = threading.Lock()
    latencies: list[float] = []
    errors: list[str] = []
    started = time.monotonic()
    measure_from = started + spec.get("warmup_seconds", 0)
    stop_at = measure_from + spec.get("seconds", 5)
    max_requests = spec.get("max_requests", 0)

    def client():
        connections: dict = {}
        while True:
            index = next(counter)
            now = time.monotonic()
            if index >= max_requests if max_requests else now >= stop_at:
                return
            request = requests[index % len(requests)]
            begin = time.perf_counter()
            try:
                status, data = _send(connections, request)
            except Exception as error:
                status, data = 0, repr(error).encode()
            elapsed = (time.perf_counter() - begin) * 1000
            with lock:
                if status != expected:
                    if len(errors) < 5:
                        errors.append(f"{request['method']} {request['url']} → {status}: {data[:300]!r}")
                    errors_count[0] += 1
                elif time.monotonic() >= measure_from or max_requests:
                    latencies.append(elapsed)

    errors_count = [0]
    threads = [threading.Thread(target=client) for _ in range(spec.get("concurrency", 1))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    measured = time.monotonic() - (started if max_requests else measure_from)
    return {
        "latencies_ms": latencies,
        "seconds": measured,
        "errors": errors_count[0],
        "error_samples": errors,
    }


if __name__ == "__main__":
    json.dump(drive(json.load(sys.stdin)), sys.stdout)
