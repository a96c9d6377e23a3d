"""The load process for django-helpdesk's API, mirroring bench/load.py (Heard's API intake):
tickets POSTed as JSON to /api/tickets/ from several threads for a fixed time, with a staff
user's token; success is 201.

Usage: python -m bench.helpdesk.api_load PORT TOKEN SECONDS MARKER QUEUE_ID — prints JSON
counts. Traffic goes only to 127.0.0.1 and stops by itself.
"""

from __future__ import annotations

import http.client
import json
import sys
import threading
import time

THREADS = 8  # as bench/load.py


def main() -> None:
    port, token, seconds = int(sys.argv[1]), sys.argv[2], float(sys.argv[3])
    marker, queue = sys.argv[4], int(sys.argv[5])
    counts = {"accepted": 0, "server_errors": 0, "client_errors": 0}
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds

    def hammer(thread: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        sequence = 0
        while time.monotonic() < stop_at:
            sequence += 1
            body = json.dumps(
                {
                    "queue": queue,
                    "title": f"{marker}-{thread}-{sequence}",
                    "description": "The bins in our street were not emptied on collection day.",
                    "submitter_email": "load@example.org",
                    "priority": 3,
                }
            )
            try:
                connection.request(
                    "POST",
                    "/api/tickets/",
                    body,
                    {"Authorization": f"Token {token}", "Content-Type": "application/json"},
                )
                response = connection.getresponse()
                response.read()
                status = response.status
            except (OSError, http.client.HTTPException):
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                status = 599
            with lock:
                if status == 201:
                    counts["accepted"] += 1
                elif status >= 500:
                    counts["server_errors"] += 1
                else:
                    counts["client_errors"] += 1

    started = time.monotonic()
    threads = [threading.Thread(target=hammer, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    print(json.dumps({**counts, "seconds": time.monotonic() - started}))


if __name__ == "__main__":
    main()
