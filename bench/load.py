"""The load process: POST cases to the API from several threads for a fixed time.

Usage: python -m bench.load PORT TOKEN SECONDS MARKER — prints JSON counts. Traffic goes
only to 127.0.0.1 and stops by itself.
"""

from __future__ import annotations

import http.client
import json
import sys
import threading
import time

THREADS = 8


def main() -> None:
    port, token, seconds, marker = int(sys.argv[1]), sys.argv[2], float(sys.argv[3]), sys.argv[4]
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
                    "kind": "complaint",
                    "channel": "web",
                    "subject": f"{marker}-{thread}-{sequence}",
                    "description": "The bins in our street were not emptied on collection day.",
                    "customer": {"name": "Load Test", "email": "load@example.org"},
                }
            )
            try:
                connection.request(
                    "POST",
                    "/api/v1/cases",
                    body,
                    {"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
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
