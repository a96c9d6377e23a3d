"""Latency of the staff screens at N cases: work queues, a filtered list and searches.

Run by ``python -m bench`` against its gunicorn server as ``python -m bench.staff_screens
PORT SAMPLES`` with the benchmark's environment (so it can pick real search terms from the
loaded data). Signs in through the real sign-in page as demo users, then times whole page
requests (HTML rendered, counts included) and prints JSON: p50/p95 per screen.
"""

from __future__ import annotations

import http.cookiejar
import json
import re
import statistics
import sys
import time
import urllib.parse
import urllib.request

import django


def main() -> None:
    port, samples = int(sys.argv[1]), int(sys.argv[2])
    django.setup()
    from heard.cases.models import Case, Customer
    from heard.demo.council import demo_password
    from heard.org.models import Service

    base = f"http://127.0.0.1:{port}"
    service = Service.objects.order_by("pk").first()
    postcode = (
        Customer.objects.exclude(postcode="").order_by("pk").values_list("postcode", flat=True)[:1]
    )
    name = Customer.objects.order_by("pk").values_list("name", flat=True)[:1]
    reference = Case.objects.order_by("-pk").values_list("reference", flat=True)[:1]
    screens = {
        "complaints1": {
            "home: every queue's count": "/staff/",
            "queue: unallocated": "/staff/queues/unallocated",
            "queue: overdue": "/staff/queues/overdue",
            "queue: due within 2 working days": "/staff/queues/due-soon",
            "queue: member and MP enquiries": "/staff/queues/members",
            "filtered: overdue stage 1 complaints of one service": (
                f"/staff/queues/overdue?service={service.pk if service else ''}"
                "&kind=complaint&stage=1"
            ),
            "search: reference": f"/staff/search?q={reference[0] if reference else 'x'}",
            "search: postcode": "/staff/search?"
            + urllib.parse.urlencode({"q": postcode[0] if postcode else "TN1 1AA"}),
            "search: customer name": "/staff/search?"
            + urllib.parse.urlencode({"q": name[0] if name else "Smith"}),
            "search: full text": "/staff/search?q=overflowing",
        },
        "io1.waste": {
            "queue: my cases": "/staff/queues/mine",
            "queue: my services": "/staff/queues/my-services",
        },
    }
    results: dict[str, dict[str, float]] = {}
    for username, pages in screens.items():
        opener = _signed_in(base, username, demo_password())
        for label, path in pages.items():
            seconds = []
            for _ in range(samples):
                started = time.perf_counter()
                with opener.open(base + path, timeout=120) as response:
                    response.read()
                seconds.append(time.perf_counter() - started)
            seconds.sort()
            results[label] = {
                "p50_ms": round(1000 * statistics.median(seconds), 1),
                "p95_ms": round(1000 * seconds[max(0, int(len(seconds) * 0.95) - 1)], 1),
            }
    print(json.dumps(results))


def _signed_in(base: str, username: str, password: str) -> urllib.request.OpenerDirector:
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    with opener.open(base + "/staff/account/sign-in", timeout=60) as response:
        page = response.read().decode()
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    if match is None:
        raise SystemExit("The sign-in page has no CSRF token.")
    data = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": match.group(1), "username": username, "password": password}
    ).encode()
    request = urllib.request.Request(
        base + "/staff/account/sign-in", data=data, headers={"Referer": base + "/staff/"}
    )
    with opener.open(request, timeout=60) as response:
        if "/staff/account/sign-in" in response.url:
            raise SystemExit(f"Could not sign in as {username}.")
    return opener


if __name__ == "__main__":
    main()
