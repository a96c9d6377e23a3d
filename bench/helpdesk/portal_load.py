"""The load process for django-helpdesk's public ticket form, mirroring bench/portal_load.py:
from several threads for a fixed time, each submission with its own session and CSRF token
(GET /tickets/submit/, then POST it; success is the 302 to the public ticket view).

Usage: python -m bench.helpdesk.portal_load PORT SECONDS MARKER QUEUE_ID — prints JSON
counts. Traffic goes only to 127.0.0.1 and stops by itself.
"""

from __future__ import annotations

import http.client
import json
import re
import sys
from collections.abc import Callable
from urllib.parse import urlencode

from bench.hammer import hammer

FORM = "/tickets/submit/"


def submit(port: int, subject: str, queue: str) -> int:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", FORM)
        response = connection.getresponse()
        page = response.read().decode("utf-8", "replace")
        cookies = {}
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            cookies[name.strip()] = rest.split(";", 1)[0]
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        if response.status != 200 or token is None:
            return response.status
        body = urlencode(
            {
                "csrfmiddlewaretoken": token.group(1),
                "queue": queue,
                "title": subject,
                "body": "The bins in our street were not emptied on collection day.",
                "priority": "3",
                "due_date": "",
                "submitter_email": "load@example.org",
            }
        )
        connection.request(
            "POST",
            FORM,
            body,
            {
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items()),
                "Referer": f"http://127.0.0.1:{port}{FORM}",
            },
        )
        response = connection.getresponse()
        response.read()
        if response.status == 302 and "/view/" in (response.getheader("Location") or ""):
            return 201
        return response.status
    finally:
        connection.close()


def main() -> None:
    port, seconds, marker, queue = int(sys.argv[1]), float(sys.argv[2]), sys.argv[3], sys.argv[4]

    def sender(thread: int) -> Callable[[int], int]:
        return lambda sequence: submit(port, f"{marker}-{thread}-{sequence}", queue)

    print(json.dumps(hammer(sender, seconds)))


if __name__ == "__main__":
    main()
