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

from bench.hammer import hammer, post_json


def main() -> None:
    port, token, seconds = int(sys.argv[1]), sys.argv[2], float(sys.argv[3])
    marker, queue = sys.argv[4], int(sys.argv[5])

    def sender(thread: int) -> Callable[[int], int]:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        return lambda sequence: post_json(
            connection,
            "/api/tickets/",
            {
                "queue": queue,
                "title": f"{marker}-{thread}-{sequence}",
                "description": "The bins in our street were not emptied on collection day.",
                "submitter_email": "load@example.org",
                "priority": 3,
            },
            f"Token {token}",
        )

    print(json.dumps(hammer(sender, seconds)))


if __name__ == "__main__":
    main()
