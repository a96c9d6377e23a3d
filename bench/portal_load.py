"""The load process for the public form: whole journeys (kind, details, contact, check)
from several threads for a fixed time, each with its own session and CSRF token.

Usage: python -m bench.portal_load PORT SECONDS MARKER — prints JSON counts. Traffic goes
only to 127.0.0.1 and stops by itself.
"""

from __future__ import annotations

import http.client
import json
import re
import sys
from collections.abc import Callable
from urllib.parse import urlencode

from bench.hammer import hammer


class Journey:
    def __init__(self, port: int) -> None:
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.cookies: dict[str, str] = {}

    def request(
        self, method: str, path: str, form: dict[str, str] | None = None
    ) -> tuple[int, str]:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if form is not None:
            body = urlencode(form, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = "http://127.0.0.1/"
        self.connection.request(method, path, body, headers)
        response = self.connection.getresponse()
        text = response.read().decode("utf-8", "replace")
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status, text

    def fill_in(self, subject: str, email: str = "") -> tuple[int, dict[str, str]]:
        """Every page before the check: 302 and the form's CSRF field when all were accepted.
        With ``email`` the customer asks to be written to (and is acknowledged), else phoned."""
        status, page = self.request("GET", "/tell-us/kind")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        if status != 200 or token is None:
            return status, {}
        csrf = {"csrfmiddlewaretoken": token.group(1)}
        steps = [
            ("/tell-us/kind", {"kind": "complaint"}),
            (
                "/tell-us/details",
                {"subject": subject, "what_happened": "The bins were not emptied."},
            ),
            (
                "/tell-us/contact",
                {
                    "name": "Load Test",
                    "email": email,
                    "phone": "" if email else "07700 900123",
                    "address": "",
                    "contact_preference": "email" if email else "phone",
                    "access_language": "",
                    "adjustments": "",
                },
            ),
        ]
        for path, form in steps:
            status, _ = self.request("POST", path, csrf | form)
            if status != 302:
                return status, csrf
        return 302, csrf

    def send(self, subject: str) -> int:
        """The whole journey; 201 when the check page accepted it (redirected to 'done')."""
        status, csrf = self.fill_in(subject)
        if status != 302:
            return status
        status, _ = self.request("POST", "/tell-us/check", csrf)
        return 201 if status == 302 else status


def main() -> None:
    port, seconds, marker = int(sys.argv[1]), float(sys.argv[2]), sys.argv[3]

    def sender(thread: int) -> Callable[[int], int]:
        return lambda sequence: Journey(port).send(f"{marker}-{thread}-{sequence}")

    print(json.dumps(hammer(sender, seconds)))


if __name__ == "__main__":
    main()
