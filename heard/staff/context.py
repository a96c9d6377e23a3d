"""What every staff page's layout needs: the organisation's name and the primary navigation."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from heard.org import access
from heard.org.calendars import get_organisation
from heard.org.models import Role


def staff(request: HttpRequest) -> dict[str, Any]:
    if not request.path.startswith("/staff/"):
        return {}
    context: dict[str, Any] = {"organisation_name": get_organisation().name}
    user = request.user
    if not user.is_authenticated:
        return context
    from heard.improvement.assessors import access_of

    if grant := access_of(user):
        # An external assessor sees one assessment and nothing else: no casework navigation.
        context["staff_nav"] = [
            {
                "label": "The assessment",
                "url": reverse("improvement:assessment", args=[grant.assessment_id]),
                "current": request.path.startswith("/staff/improvement"),
            }
        ]
        context["external_assessor"] = True
        return context
    roles = access.roles_of(user)
    items = [("Work queues", reverse("staff:home"), "/staff/queues")]
    if access.may(user, access.Permission.CREATE_CASE):
        items.append(("Record a contact", reverse("staff:triage"), "/staff/triage"))
    items.append(("Search", reverse("staff:search"), "/staff/search"))
    if access.may(user, access.Permission.RESPOND):
        items.append(
            (
                "Letters to check",
                reverse("correspondence:awaiting"),
                "/staff/correspondence/awaiting",
            )
        )
    if roles & {
        Role.PERFORMANCE_OFFICER,
        Role.COMPLAINTS_TEAM,
        Role.ADMINISTRATOR,
        Role.HEAD_OF_SERVICE,
    }:
        items.append(("Reports", "/staff/reports/", "/staff/reports"))
    elif Role.EQUALITY_OFFICER in roles:
        items.append(("Equality report", reverse("reporting:equality"), "/staff/reports"))
    items.append(("Learning", reverse("learning:index"), "/staff/learning"))
    items.append(("Improvement", reverse("improvement:index"), "/staff/improvement"))
    from heard.privacy.access import is_information_governance

    if is_information_governance(user):
        items.append(("Personal data", reverse("privacy:home"), "/staff/privacy"))
    if user.is_staff:
        items.append(("Settings", reverse("admin:index"), "/admin"))
    path = request.path
    context["staff_nav"] = [
        {
            "label": label,
            "url": url,
            "current": path.startswith(prefix) or (prefix == "/staff/queues" and path == "/staff/"),
        }
        for label, url, prefix in items
    ]
    context["search_query"] = request.GET.get("q", "") if path.startswith("/staff/search") else ""
    return context
