"""Records reads of personal data through the REST API, without touching the API's code.

Add ``"heard.privacy.middleware.ApiReadAuditMiddleware"`` to ``MIDDLEWARE`` after the
authentication middleware. After the API has answered (so the token has been checked and
the case found visible) it records each successful GET of a case, of one of its files, and
of the list of cases (one entry per case listed).
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from heard.cases.models import Case
from heard.privacy.audit import record_read, record_reads

logger = logging.getLogger(__name__)

CASE_PATH = re.compile(r"^/api/v1/cases/(?P<reference>[A-Za-z0-9\-]+)(?P<rest>/attachments/\d+)?$")
LIST_PATH = "/api/v1/cases"


class ApiReadAuditMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        audited = request.path == LIST_PATH or CASE_PATH.match(request.path)
        if request.method == "GET" and response.status_code == 200 and audited:
            try:
                self._record(request, response)
            except Exception:
                # Fail closed: personal data whose reading cannot be recorded is not served.
                logger.exception("Could not record an API read of personal data")
                raise
        return response

    def _record(self, request: HttpRequest, response: HttpResponse) -> None:
        # DRF keeps what it rendered on the response: JSON and the browsable API alike.
        data = getattr(response, "data", None)
        if data is None and not getattr(response, "streaming", False):
            try:
                data = json.loads(response.content)
            except ValueError:
                data = None
        match = CASE_PATH.match(request.path)
        if match:
            reference = match["reference"]
            if isinstance(data, dict) and data.get("reference"):
                reference = data["reference"]
            case = Case.objects.filter(reference__iexact=reference).first()
            if case is None:
                return
            what = "API: a file of the case" if match["rest"] else "API: the case and its customer"
            record_read(request, case=case, what=what)
            return
        items = data.get("results", []) if isinstance(data, dict) else []
        references = [item.get("reference") for item in items if isinstance(item, dict)]
        cases = Case.objects.filter(reference__in=[r for r in references if r])
        record_reads(request, cases=cases, what="API: the list of cases with their customers")
