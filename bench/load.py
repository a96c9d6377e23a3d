"""The load process: POST cases to the API from several threads for a fixed time.

Usage: python -m bench.load PORT TOKEN SECONDS MARKER — prints JSON counts. Traffic goes
only to 127.0.0.1 and stops by itself.
"""

from __future__ import annotations

import http.client
import json
import sys
from collections.abc import Callable
from typing import Any

from bench.hammer import hammer, post_json


def case_payload(subject: str) -> dict[str, Any]:
    """A complaint as the load processes send it to POST /api/v1/cases."""
    return {
        "kind": "complaint",
        "channel": "web",
        "subject": subject,
        "description": "The bins in our street were not emptied on collection day.",
        "customer": {"name": "Load Test", "email": "load@example.org"},
    }


def main() -> None:
    port, token, seconds, marker = int(sys.argv[1]), sys.argv[2], float(sys.argv[3]), sys.argv[4]

    def sender(thread: int) -> Callable[[int], int]:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        return lambda sequence: post_json(
            connection,
            "/api/v1/cases",
            case_payload(f"{marker}-{thread}-{sequence}"),
            f"Bearer {token}",
        )

    print(json.dumps(hammer(sender, seconds)))


if __name__ == "__main__":
    main()
