"""The load process: POST cases to the API from several threads for a fixed time.

Usage: python -m bench.load PORT TOKEN SECONDS MARKER — prints JSON counts. Traffic goes
only to 127.0.0.1 and stops by itself.
"""

from __future__ import annotations

import http.client
import json
import sys
from collections.abc import Callable

from bench.hammer import hammer


def main() -> None:
    port, token, seconds, marker = int(sys.argv[1]), sys.argv[2], float(sys.argv[3]), sys.argv[4]

    def sender(thread: int) -> Callable[[int], int]:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)

        def send(sequence: int) -> int:
            body = json.dumps(
                {
                    "kind": "complaint",
                    "channel": "web",
                    "subject": f"{marker}-{thread}-{sequence}",
                    "description": "The bins in our street were not emptied on collection day.",
                    "customer": {"name": "Load Test", "email": "load@example.org"},
                }
            )
            connection.request(
                "POST",
                "/api/v1/cases",
                body,
                {"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
            )
            response = connection.getresponse()
            response.read()
            return response.status

        return send

    print(json.dumps(hammer(sender, seconds)))


if __name__ == "__main__":
    main()
