"""The threads and counting every load process shares (bench/load.py, bench/portal_load.py,
bench/helpdesk/portal_load.py, bench/helpdesk/api_load.py).

Each thread gets a sender from ``make_sender(thread)`` and calls it with 1, 2, 3… until the
time is up. A sender returns an HTTP status (201 when the submission was taken); a broken
connection counts as 599 and the thread gets a fresh sender (a new connection).
"""

from __future__ import annotations

import http.client
import json
import threading
import time
from collections.abc import Callable
from typing import Any

THREADS = 8


def hammer(
    make_sender: Callable[[int], Callable[[int], int]], seconds: float, threads: int = THREADS
) -> dict[str, float]:
    """Counts of accepted submissions, server and client errors, and the seconds taken."""
    counts = {"accepted": 0, "server_errors": 0, "client_errors": 0}
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds

    def run(thread: int) -> None:
        send = make_sender(thread)
        sequence = 0
        while time.monotonic() < stop_at:
            sequence += 1
            try:
                status = send(sequence)
            except (OSError, http.client.HTTPException):
                status = 599
                send = make_sender(thread)
            with lock:
                if status == 201:
                    counts["accepted"] += 1
                elif status >= 500:
                    counts["server_errors"] += 1
                else:
                    counts["client_errors"] += 1

    started = time.monotonic()
    workers = [threading.Thread(target=run, args=(n,)) for n in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return {**counts, "seconds": time.monotonic() - started}


def post_json(
    connection: http.client.HTTPConnection, path: str, payload: Any, authorization: str
) -> int:
    """POST ``payload`` as JSON with an Authorization header; the status (the body is read)."""
    connection.request(
        "POST",
        path,
        json.dumps(payload),
        {"Authorization": authorization, "Content-Type": "application/json"},
    )
    response = connection.getresponse()
    response.read()
    return response.status
