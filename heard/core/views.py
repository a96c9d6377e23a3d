"""Views that belong to no domain area: the health check and the home page."""

from __future__ import annotations

from django.db import connection
from django.db.utils import DatabaseError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """200 when the database answers; 503 when it does not (for load balancers and monitors)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "unavailable", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


@never_cache
@require_GET
def livez(request: HttpRequest) -> JsonResponse:
    """Liveness: the process answers requests (restart it if this fails)."""
    return JsonResponse({"status": "ok"})


@never_cache
@require_GET
def readyz(request: HttpRequest) -> JsonResponse:
    """Readiness: send traffic here only when the database answers, every migration has been
    applied, and a background worker has beaten its heart recently (the queue is served)."""
    checks: dict[str, str] = {}
    try:
        from django.db.migrations.executor import MigrationExecutor

        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
        checks["database"] = "ok"
        checks["migrations"] = "ok" if not pending else f"{len(pending)} not applied"
    except DatabaseError:
        checks["database"] = "unreachable"
        checks["migrations"] = "unknown"
    if checks["database"] == "ok":
        checks["queue"] = _queue_state()
    else:
        checks["queue"] = "unknown"
    ready = checks["database"] == "ok" and checks["migrations"] == "ok"
    status = "ok" if ready else "unavailable"
    return JsonResponse({"status": status, **checks}, status=200 if ready else 503)


def _queue_state() -> str:
    """'ok' when a worker has beaten its heart lately; otherwise say so (not a readiness fault:
    submissions are kept in the database and sent once a worker runs)."""
    from datetime import timedelta

    from django.conf import settings
    from django.utils import timezone

    from heard.jobs.models import WorkerHeartbeat

    since = timezone.now() - timedelta(seconds=settings.HEARD_WORKER_PRESUMED_DEAD_SECONDS)
    if WorkerHeartbeat.objects.filter(last_seen__gte=since).exists():
        return "ok"
    return "no worker seen lately: jobs wait in the queue until one runs"


def _layout(request: HttpRequest, name: str) -> str:
    """Staff and admin pages get the casework layout; everyone else the public portal's."""
    staff = request.path.startswith(("/staff/", "/admin/"))
    return f"{name}.html" if staff else f"core/public_{name}.html"


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    message = exception.args[0] if exception.args and isinstance(exception.args[0], str) else ""
    return render(request, _layout(request, "404"), {"exception": message}, status=404)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    message = exception.args[0] if exception.args and isinstance(exception.args[0], str) else ""
    return render(request, _layout(request, "403"), {"exception": message}, status=403)


def home(request: HttpRequest) -> HttpResponse:
    from heard.org.calendars import get_organisation

    return render(request, "core/home.html", {"organisation": get_organisation()})
