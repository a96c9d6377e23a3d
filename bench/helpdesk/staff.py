"""Latency of django-helpdesk's staff ticket list and search at N tickets.

Usage: python -m bench.helpdesk.staff PORT SAMPLES SPEC_JSON — SPEC_JSON names a queue id, an
officer id, a ticket id and a submitter e-mail picked from the loaded data. Signs in through
helpdesk's own sign-in page as a staff user, then times each screen as a browser meets it:
the list page (`/tickets/?...`) and then the DataTables request it makes for its rows
(`/datatables_ticket_list/<query>`, 25 rows) one after the other. Prints JSON: p50/p95 of the
whole screen, and p50 of the page and of the rows on their own, and how many samples (a
slow screen stops after at least 5 samples and BUDGET_SECONDS).
"""

from __future__ import annotations

import html
import http.cookiejar
import json
import re
import statistics
import sys
import time
import urllib.parse
import urllib.request

# A screen slower than this stops after 5 samples (searches at 1M tickets take many seconds).
BUDGET_SECONDS = 120.0
ROWS = "draw=1&start=0&length=25&search%5Bvalue%5D="


def screens(spec: dict) -> dict[str, str]:
    open_ = "status=1&status=2"
    return {
        "list: open tickets (the default list)": "/tickets/",
        "list: unassigned open tickets": f"/tickets/?assigned_to=-1&{open_}",
        "list: one queue's open tickets": f"/tickets/?queue={spec['queue']}&{open_}",
        "list: one officer's open tickets": f"/tickets/?assigned_to={spec['officer']}&{open_}",
        "search: ticket number": f"/tickets/?search_type=header&q={spec['ticket']}",
        "search: submitter e-mail": "/tickets/?" + urllib.parse.urlencode({"q": spec["email"]}),
        "search: full text": "/tickets/?q=overflowing",
    }


def main() -> None:
    port, samples, spec = int(sys.argv[1]), int(sys.argv[2]), json.loads(sys.argv[3])
    base = f"http://127.0.0.1:{port}"
    opener = signed_in(base, spec["username"], spec["password"])
    results: dict[str, dict[str, float]] = {}
    for label, path in screens(spec).items():
        whole: list[float] = []
        page_only, rows_only = [], []
        budget_ends = time.monotonic() + BUDGET_SECONDS
        while len(whole) < samples and (len(whole) < 5 or time.monotonic() < budget_ends):
            started = time.perf_counter()
            with opener.open(base + path, timeout=300) as response:
                page = response.read().decode("utf-8", "replace")
            middle = time.perf_counter()
            data = re.search(r'"url": "(/datatables_ticket_list/[^"]*)"', page)
            if data is not None:  # a list; a ticket-number search lands on the ticket itself
                with opener.open(
                    f"{base}{html.unescape(data.group(1))}?{ROWS}", timeout=300
                ) as response:
                    rows = json.loads(response.read())
                if not rows.get("data"):
                    # every list measured has tickets: an empty answer means the rows were
                    # refused or the query broke, and would time nothing real
                    raise SystemExit(f"{label}: no rows in {rows!r:.200}")
            finished = time.perf_counter()
            whole.append(finished - started)
            page_only.append(middle - started)
            rows_only.append(finished - middle)
        whole.sort()
        results[label] = {
            "p50_ms": round(1000 * statistics.median(whole), 1),
            "p95_ms": round(1000 * whole[max(0, int(len(whole) * 0.95) - 1)], 1),
            "page_p50_ms": round(1000 * statistics.median(page_only), 1),
            "rows_p50_ms": round(1000 * statistics.median(rows_only), 1),
            "samples": len(whole),
        }
    print(json.dumps(results))


def signed_in(base: str, username: str, password: str) -> urllib.request.OpenerDirector:
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    with opener.open(base + "/login/", timeout=60) as response:
        page = response.read().decode()
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    if match is None:
        raise SystemExit("helpdesk's sign-in page has no CSRF token.")
    data = urllib.parse.urlencode(
        {
            "csrfmiddlewaretoken": match.group(1),
            "username": username,
            "password": password,
            "next": "/tickets/",
        }
    ).encode()
    request = urllib.request.Request(
        base + "/login/", data=data, headers={"Referer": base + "/login/"}
    )
    with opener.open(request, timeout=60) as response:
        if "/login/" in response.url:
            raise SystemExit(f"Could not sign in to helpdesk as {username}.")
    return opener


if __name__ == "__main__":
    main()
