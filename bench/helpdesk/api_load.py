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
from collections.abc import Callable

from bench.hammer import hammer


def main() -> None:
    port, token, seconds = int(sys.argv[1]), sys.argv[2], float(sys.argv[3])
    marker, queue = sys.argv[4], int(sys.argv[5])

    def sender(thread: int) -> Callable[[int], int]:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)

        def send(sequence: int) -> int:
            body = json.dumps(
                {
                    "queue": queue,
                    "title": f"{marker}-{thread}-{sequence}",
                    "description": "The bins in our street were not emptied on collection day.",
                    "submitter_email": "load@example.org",
                    "priority": 3,
                }
            )
            connection.request(
                "POST",
                "/api/tickets/",
                body,
                {"Authorization": f"Token {token}", "Content-Type": "application/json"},
            )
            response = connection.getresponse()
            response.read()
            return response.status

        return send

    print(json.dumps(hammer(sender, seconds)))


if __name__ == "__main__":
    main()
