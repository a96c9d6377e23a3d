"""Who may reach what: every URL of Heard, as every role, a superuser and the public.

One table (``TABLE``) says, for every URL pattern the project serves and every probe of it
(method and which object: the user's own service's case or another service's), which
identities are let in. The test visits each probe as each identity — one staff user per role
(:class:`heard.org.models.Role`), each a member of one service, a superuser, and the public —
and compares what happened with the table.

* **allowed**: anything below 400 other than a redirect to a sign-in page; for the API also
  400 (input refused after the permission check passed) and 409 (not in a state for it).
* **denied**: the public is sent to sign in (302 to the staff or admin sign-in page) or, on the
  API, answered 401/403; a signed-in person without the right gets 403 or 404 (404 where
  saying "it exists" would itself leak, e.g. another service's case through the API).
* a 5xx is always a failure.

``test_table_covers_every_url_pattern`` walks ``get_resolver()`` and fails when a pattern
appears that the table does not mention (or the table names one that no longer exists);
``test_table_covers_every_api_operation`` does the same for the OpenAPI document.

Writes are probed too: each request runs in a savepoint that is rolled back, so one probe's
effect never changes what the next one sees. Where a view admits someone and the service
behind it refuses with a message (a redirect with an error), the probe counts rows to see
whether the write happened.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from http.cookies import SimpleCookie
from typing import Any

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DEFAULT_DB_ALIAS, transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from heard.cases import services as case_services
from heard.cases.models import Attachment, CaseLink, CaseNote, RestrictionKind
from heard.org.models import Role
from heard.testing import api_client, make_case, make_service, make_staff

pytestmark = pytest.mark.django_db

R = Role
ROLES: tuple[str, ...] = tuple(Role.values)
SUPERUSER = "superuser"
PUBLIC = "public"
# An external assessor holds no role, only access to one assessment (heard/improvement/assessors.py)
ASSESSOR = "external_assessor"
IDENTITIES: tuple[str, ...] = (*ROLES, SUPERUSER, ASSESSOR, PUBLIC)


def _s(*names: str) -> frozenset[str]:
    return frozenset(names)


# -- who, in the words of heard/org/access.py and the apps' access modules ---------------------
EVERYONE = frozenset(IDENTITIES)
STAFF = frozenset((*ROLES, SUPERUSER))  # anyone signed in (every test user holds a role)
NOT_ASSESSOR = EVERYONE - {ASSESSOR}  # refused to an external assessor under /api/ and /admin/
NOBODY: frozenset[str] = (
    frozenset()
)  # refused to every session and token (a key, a signature or set-up needed)
SEE_ALL = _s(R.COMPLAINTS_TEAM, R.ADMINISTRATOR, R.PERFORMANCE_OFFICER, SUPERUSER)
SEE_OWN = SEE_ALL | _s(R.FRONT_LINE_OFFICER, R.INVESTIGATING_OFFICER, R.HEAD_OF_SERVICE)
CREATE = _s(
    R.FRONT_LINE_OFFICER,
    R.COMPLAINTS_TEAM,
    R.INVESTIGATING_OFFICER,
    R.HEAD_OF_SERVICE,
    R.ADMINISTRATOR,
    SUPERUSER,
)
ACKNOWLEDGE = CREATE
ALLOCATE = _s(R.COMPLAINTS_TEAM, R.HEAD_OF_SERVICE, R.ADMINISTRATOR, SUPERUSER)
EXTEND = _s(
    R.COMPLAINTS_TEAM, R.INVESTIGATING_OFFICER, R.HEAD_OF_SERVICE, R.ADMINISTRATOR, SUPERUSER
)
RESPOND = CREATE | _s(R.PANEL_MEMBER)
ESCALATE = _s(
    R.FRONT_LINE_OFFICER, R.COMPLAINTS_TEAM, R.HEAD_OF_SERVICE, R.ADMINISTRATOR, SUPERUSER
)
RESPOND_STAGE_1 = RESPOND - _s(R.FRONT_LINE_OFFICER, R.PANEL_MEMBER)
CLOSE = EXTEND
REOPEN = _s(R.COMPLAINTS_TEAM, R.ADMINISTRATOR, SUPERUSER)
LINK = CREATE
NOTE = RESPOND
ATTACH = RESPOND
RESTRICT = ALLOCATE
MERGE = REOPEN
ADMINISTER = _s(R.ADMINISTRATOR, SUPERUSER)
REPORTS = _s(
    R.PERFORMANCE_OFFICER, R.COMPLAINTS_TEAM, R.ADMINISTRATOR, R.HEAD_OF_SERVICE, SUPERUSER
)
MANAGE_STANDARDS = _s(R.PERFORMANCE_OFFICER, R.COMPLAINTS_TEAM, R.ADMINISTRATOR, SUPERUSER)
PUBLISH = _s(R.PERFORMANCE_OFFICER, R.ADMINISTRATOR, SUPERUSER)
GOVERNANCE = _s(R.INFORMATION_GOVERNANCE, R.ADMINISTRATOR, SUPERUSER)
IMPROVE = _s(R.COMPLAINTS_TEAM, R.PERFORMANCE_OFFICER, R.ADMINISTRATOR, SUPERUSER)
ONLY_SUPERUSER = _s(SUPERUSER)  # the admin's model pages: Django model permissions
# heard/learning/access.py
LEARN_VIEW = _s(
    R.COMPLAINTS_TEAM, R.HEAD_OF_SERVICE, R.PERFORMANCE_OFFICER, R.ADMINISTRATOR, SUPERUSER
)
RETRAIN = _s(R.COMPLAINTS_TEAM, R.ADMINISTRATOR, SUPERUSER)
CLASSIFY = RESPOND | CREATE
EQUALITY = _s(R.EQUALITY_OFFICER, R.ADMINISTRATOR, SUPERUSER)
MISSING_ID = 999_999  # probes of objects that do not exist: nobody may reach them


def both(own: frozenset[str], other: frozenset[str], method: str = "GET") -> dict[str, Any]:
    return {f"{method} own": own, f"{method} other": other}


def inter(a: frozenset[str], b: frozenset[str]) -> frozenset[str]:
    return a & b


STEPS = ("acknowledge", "allocate", "extend", "respond", "escalate", "close", "reopen")
STEP_RIGHTS = {
    "acknowledge": ACKNOWLEDGE,
    "allocate": ALLOCATE,
    "extend": EXTEND,
    "respond": RESPOND,
    "escalate": ESCALATE,
    "close": CLOSE,
    "reopen": REOPEN,
}

# pattern name (or "route:<route>" for an unnamed one) → {"METHOD variant": identities let in}
TABLE: dict[str, dict[str, frozenset[str]]] = {
    # -- the public portal, pages and feeds with no sign-in
    "portal:start": {"GET": EVERYONE},
    "portal:step": {"GET": EVERYONE},
    "portal:check": {"GET": EVERYONE},
    "portal:confirmation": {"GET": EVERYONE},
    "portal:track": {"GET": EVERYONE},
    "portal:status": {"GET": EVERYONE},
    "portal:equality": {"GET": EVERYONE},
    "portal:survey": {"GET": EVERYONE},
    "set_language": {"POST": EVERYONE},
    "home": {"GET": EVERYONE},
    "healthz": {"GET": EVERYONE},
    "livez": {"GET": EVERYONE},
    "readyz": {"GET": EVERYONE},
    "performance:index": {"GET": EVERYONE},
    "performance:period": {"GET": EVERYONE},
    "performance:csv": {"GET": EVERYONE},
    # signed with the relay's shared secret: no session or token opens it
    "channels:email-relay": {"POST": NOBODY},
    "channels:call-backs": {"GET": CREATE},
    # probed with a call that does not exist (its rules: heard/channels/tests/test_call_backs.py)
    "channels:call-back-done": {"POST": NOBODY},
    # Open311 GeoReport v2: public reads; posting and updates need a client's api_key
    "open311:discovery": {"GET": EVERYONE},
    "open311:services": {"GET": EVERYONE},
    "open311:service": {"GET": EVERYONE},
    "open311:requests": {"GET": EVERYONE, "POST": NOBODY},
    "open311:request": {"GET": EVERYONE},
    "open311:token": {"GET": EVERYONE},
    "open311:updates": {"GET": NOBODY, "POST": NOBODY},
    # -- the API (bearer token; the public gets 401)
    "schema": {"GET": NOT_ASSESSOR},
    "docs": {"GET": NOT_ASSESSOR},
    "redoc": {"GET": NOT_ASSESSOR},
    "organisation": {"GET": STAFF, "PATCH": ADMINISTER},
    "procedure-list": {"GET": STAFF},
    "procedure-detail": {"GET": STAFF},
    "case-list": {"GET": STAFF, "POST": CREATE},
    "case-detail": both(SEE_OWN, SEE_ALL),
    "case-attachment": both(SEE_OWN, SEE_ALL),
    **{
        f"case-{step}": both(inter(SEE_OWN, rights), inter(SEE_ALL, rights), "POST")
        for step, rights in STEP_RIGHTS.items()
        if step != "respond"
    },
    # stage 1 is answered by its handler (an investigating officer), a head of service for
    # them, or centrally; a front-line officer only resolves at first contact
    "case-respond": both(inter(SEE_OWN, RESPOND_STAGE_1), inter(SEE_ALL, RESPOND_STAGE_1), "POST"),
    "case-link": both(inter(SEE_OWN, LINK), inter(SEE_ALL, LINK), "POST"),
    # -- casework screens
    "staff:home": {"GET": STAFF | {ASSESSOR}},  # an assessor is sent on to their assessment
    "staff:queue": {"GET": STAFF},
    "staff:triage": {"GET": CREATE},
    "staff:search": {"GET": STAFF},
    "staff:case": both(SEE_OWN, SEE_ALL),
    "staff:case-timeline": both(SEE_OWN, SEE_ALL),
    "staff:case-note": both(inter(SEE_OWN, NOTE), inter(SEE_ALL, NOTE), "POST"),
    "staff:case-attachment": both(inter(SEE_OWN, ATTACH), inter(SEE_ALL, ATTACH), "POST"),
    "staff:case-file": both(SEE_OWN, SEE_ALL),
    "staff:case-link": {"POST own": inter(SEE_OWN, LINK)},
    "staff:case-step": {
        f"GET own {step}": inter(SEE_OWN, rights) for step, rights in STEP_RIGHTS.items()
    }
    | {f"GET other {step}": inter(SEE_ALL, rights) for step, rights in STEP_RIGHTS.items()},
    "staff:customer": both(SEE_OWN, SEE_ALL),
    "staff:customer-restrict": both(inter(SEE_OWN, RESTRICT), inter(SEE_ALL, RESTRICT)),
    "staff:restriction-review": {"GET own": inter(SEE_OWN, RESTRICT)},
    "staff:customer-merge": {"GET own": inter(SEE_OWN, MERGE)},
    # -- letters and emails
    "correspondence:awaiting": {"GET": STAFF},
    "correspondence:case": both(SEE_OWN, SEE_ALL),
    "correspondence:letter": {"GET own": SEE_OWN},
    "correspondence:print": {"GET own": SEE_OWN},
    # -- reports
    "reporting:dashboard": {"GET": REPORTS},
    "reporting:standard": {"GET": REPORTS},
    "reporting:imports": {"GET": MANAGE_STANDARDS},
    "reporting:import": {"GET": MANAGE_STANDARDS},
    "reporting:annual": {"GET": REPORTS},
    "reporting:panel": {"GET": REPORTS},
    "reporting:publish": {"GET": PUBLISH},
    "reporting:quarterly": {"GET": REPORTS},
    "reporting:self_assessment": {"GET": REPORTS},
    "reporting:equality": {"GET": EQUALITY},
    "reporting:request_pdf": {"POST": NOBODY},  # with no report named: 404 to everyone
    # probed with an id that does not exist (who may fetch a real file: heard/reporting/tests)
    "reporting:report_file": {"GET": NOBODY},
    "reporting:download_report_file": {"GET": NOBODY},
    # -- learning from complaints
    "learning:index": {"GET": LEARN_VIEW},
    "learning:insight": {"GET": LEARN_VIEW},
    "learning:warnings": {"GET": LEARN_VIEW},
    "learning:lessons": {"GET": LEARN_VIEW},
    "learning:lesson-new": {"GET": LEARN_VIEW},
    "learning:retrain": {"POST": RETRAIN},
    "learning:classify": {"POST own": inter(SEE_OWN, CLASSIFY)},
    # probed with an id that does not exist (their rules: heard/learning/tests)
    "learning:warning": {"GET": NOBODY},
    "learning:lesson-edit": {"GET": NOBODY},
    "you-said-we-did:index": {"GET": EVERYONE},
    # -- personal data (information governance)
    "privacy:home": {"GET": GOVERNANCE},
    "privacy:reads": {"GET": GOVERNANCE},
    "privacy:subject-access": {"GET": GOVERNANCE},
    # only the officer who asked for an export may download it
    "privacy:subject-access-download": {"GET": _s(R.INFORMATION_GOVERNANCE)},
    "privacy:erase": {"GET": GOVERNANCE},
    "privacy:erasure": {"GET": GOVERNANCE},
    "privacy:retention": {"GET": GOVERNANCE},
    "privacy:retention-run": {"GET": GOVERNANCE},
    # -- improvement: anyone with a role reads; the complaints team, performance, admin edit
    "improvement:index": {"GET": STAFF | {ASSESSOR}},  # as staff:home
    "improvement:standard": {"GET": STAFF},
    "improvement:element-priority": {"GET": IMPROVE},
    "improvement:assessment-new": {"GET": IMPROVE},
    "improvement:assessment": {"GET": STAFF | {ASSESSOR}},
    "improvement:assessment-export": {"GET": STAFF | {ASSESSOR}},
    "improvement:assessment-csv": {"GET": STAFF | {ASSESSOR}},
    "improvement:assessment-element": {"GET": STAFF | {ASSESSOR}},
    "improvement:evidence-file": {"GET": STAFF | {ASSESSOR}},
    "improvement:evidence-remove": {"POST": IMPROVE},
    "improvement:assessors": {"GET": IMPROVE},
    # probed with an access that does not exist (their rules: heard/improvement/tests)
    "improvement:assessor-revoke": {"POST": NOBODY},
    "improvement:portfolio": {"GET": STAFF | {ASSESSOR}},
    "improvement:portfolio-download": {"GET": NOBODY},  # a portfolio that does not exist
    "improvement:plan-new": {"GET": IMPROVE},
    "improvement:plan": {"GET": STAFF},
    "improvement:action-new": {"GET": IMPROVE},
    "improvement:action-edit": {"GET": IMPROVE},
    "improvement:review-new": {"GET": IMPROVE},
    "improvement:progress-edit": {"GET": IMPROVE},
    "improvement:plan-report": {"GET": STAFF},
    "improvement:plan-report-csv": {"GET": STAFF},
    "improvement:plan-report-pdf": {"GET": STAFF},
    "improvement:plan-import": {"GET": IMPROVE},
    "improvement:ideas": {"GET": STAFF},
    "improvement:idea-new": {"GET": STAFF},
    # a suggestion: its author (the front-line officer here) and those who decide
    "improvement:idea": {"GET": IMPROVE | _s(R.FRONT_LINE_OFFICER)},
    "improvement:idea-action": {"GET": IMPROVE},
    # -- staff accounts
    "accounts:account": {"GET": STAFF | {ASSESSOR}},
    "accounts:sign-in": {"GET": EVERYONE},
    "accounts:sign-out": {"POST": STAFF | {ASSESSOR}},
    "accounts:two-step-code": {"GET": STAFF | {ASSESSOR}},
    "accounts:two-step-set-up": {"GET": STAFF | {ASSESSOR}},
    "accounts:two-step-turn-off": {"GET": STAFF | {ASSESSOR}},
    # single sign-on is off unless configured: 404 for everyone
    "accounts:single-sign-on": {"GET": NOBODY},
    "accounts:single-sign-on-callback": {"GET": NOBODY},
    # -- the administration screens (Django admin): staff status, then model permissions
    "admin:index": {"GET": ADMINISTER},
    "admin:login": {"GET": NOT_ASSESSOR},
    # signing oneself out, like accounts:sign-out
    "admin:logout": {"POST": NOT_ASSESSOR},
    "admin:password_change": {"GET": ADMINISTER},
    "admin:password_change_done": {"GET": ADMINISTER},
    # no admin form uses autocomplete: refused to everyone
    "admin:autocomplete": {"GET": NOBODY},
    "admin:jsi18n": {"GET": ADMINISTER},
    # no model has a page of its own outside the admin: 404 to staff, sign-in to others
    "admin:view_on_site": {"GET": NOBODY},
    "admin:app_list": {"GET": ONLY_SUPERUSER},
    # the admin's catch-all: an unknown admin page is 404 (sign-in first for non-staff)
    "route:admin/(?P<url>.*)$": {"GET": NOBODY},
    "admin:auth_user_password_change": {"GET": ONLY_SUPERUSER},
    "admin:otp_totp_totpdevice_config": {"GET": ONLY_SUPERUSER},
    "admin:otp_totp_totpdevice_qrcode": {"GET": ONLY_SUPERUSER},
}

# Every model registered with the admin: its five pages and the bare object URL.
ADMIN_MODELS = (
    "auth_group",
    "auth_user",
    "axes_accessattempt",
    "axes_accesslog",
    "axes_accessfailurelog",
    "otp_totp_totpdevice",
    "org_organisation",
    "org_closureday",
    "org_addedbankholiday",
    "org_directorate",
    "org_service",
    "org_roleassignment",
    "org_servicemembership",
    "org_apitoken",
    "org_servicerequestcategory",
    "procedures_procedureversion",
    "procedures_procedure",
    "cases_case",
    "cases_customerrestriction",
    "cases_routingrule",
    "django_tasks_database_dbtaskresult",
    "jobs_workerheartbeat",
    "notify_messagetemplate",
    "notify_message",
    "schedules_schedule",
    "accounts_singlesignonidentity",
    "correspondence_lettertemplate",
    "correspondence_letter",
    "reporting_standard",
    "learning_theme",
    "learning_rootcause",
    "privacy_retentionschedule",
    "privacy_retentionrun",
    "privacy_erasure",
    "privacy_personaldataread",
    "channels_mailbox",
    "channels_inboundemail",
    "channels_open311client",
    "channels_callrecord",
    "channels_legacyimport",
    "channels_open311attribute",
    "channels_open311update",
    "webhooks_subscription",
    "webhooks_delivery",
)
# Records the application keeps itself — cases, the audit of reads, erasures, sent messages and
# letters, task results, sign-in attempts — cannot be added or deleted through the admin, even
# by a superuser (each ModelAdmin refuses): an append-only record stays append-only.
ADMIN_NO_ADD = {
    "accounts_singlesignonidentity",
    "axes_accessattempt",
    "axes_accessfailurelog",
    "axes_accesslog",
    "cases_case",
    "correspondence_letter",
    "django_tasks_database_dbtaskresult",
    "notify_message",
    "org_apitoken",
    "org_organisation",
    "privacy_erasure",
    "privacy_personaldataread",
    "privacy_retentionrun",
    "channels_open311update",
    "webhooks_delivery",
}
ADMIN_NO_DELETE = {
    "cases_case",
    "correspondence_letter",
    "django_tasks_database_dbtaskresult",
    "notify_message",
    "org_organisation",
    "privacy_erasure",
    "privacy_personaldataread",
    "privacy_retentionrun",
    "channels_open311update",
}
for _model in ADMIN_MODELS:
    for _page in ("changelist", "add", "history", "delete", "change"):
        refused = (_page == "add" and _model in ADMIN_NO_ADD) or (
            _page == "delete" and _model in ADMIN_NO_DELETE
        )
        TABLE[f"admin:{_model}_{_page}"] = {"GET": NOBODY if refused else ONLY_SUPERUSER}
    _app, _, _name = _model.rpartition("_")
    # the bare object URL redirects staff to the change page, which checks model permissions
    TABLE[f"route:admin/{_model.replace('_' + _name, '/' + _name, 1)}/<path:object_id>/"] = {
        "GET": ADMINISTER
    }


# -- walking the URLconf ------------------------------------------------------------------------


def _walk(
    resolver: URLResolver, prefix: str = "", namespace: str = ""
) -> Iterator[tuple[str, str]]:
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = namespace + (f"{entry.namespace}:" if entry.namespace else "")
            yield from _walk(entry, prefix + str(entry.pattern), inner)
        elif isinstance(entry, URLPattern):
            route = prefix + str(entry.pattern)
            yield (f"{namespace}{entry.name}" if entry.name else f"route:{route}"), route


def served_patterns() -> dict[str, str]:
    return dict(_walk(get_resolver()))


def test_table_covers_every_url_pattern():
    served = served_patterns()
    missing = sorted(set(served) - set(TABLE))
    stale = sorted(set(TABLE) - set(served))
    assert not missing, (
        "URL patterns with no row in the access table (say who may reach them): "
        + ", ".join(f"{name} ({served[name]})" for name in missing)
    )
    assert not stale, "Rows in the access table for patterns that no longer exist: " + ", ".join(
        stale
    )


def test_table_covers_every_api_operation():
    """Each operation in the OpenAPI document has a probe with the same method."""
    from drf_spectacular.generators import SchemaGenerator

    document = SchemaGenerator().get_schema(request=None, public=True)
    api_routes = {
        name: route for name, route in served_patterns().items() if route.startswith("api/v1/")
    }
    uncovered = []
    for path, operations in document["paths"].items():
        for method in operations:
            if method not in {"get", "post", "put", "patch", "delete"}:
                continue
            name = _api_name_for(path, api_routes)
            probes = TABLE.get(name or "", {})
            if not any(key.split()[0] == method.upper() for key in probes):
                uncovered.append(f"{method.upper()} {path}")
    assert not uncovered, "API operations with no probe in the access table: " + ", ".join(
        uncovered
    )


def _api_name_for(path: str, api_routes: dict[str, str]) -> str | None:
    concrete = re.sub(r"\{[^}]+\}", "1", path.removeprefix("/api/v1/").lstrip("/"))
    for name, route in api_routes.items():
        pattern = route.removeprefix("api/v1/").removeprefix("^").removesuffix("$")
        if re.fullmatch(pattern, concrete) or pattern == concrete:
            return name
    return None


# -- the world the probes visit -----------------------------------------------------------------

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00"
    b"\x00\x00IEND\xaeB`\x82"
)


@dataclass
class World:
    users: dict[str, Any]
    own: Any  # a case of the service every test user belongs to
    other: Any  # a case of another service
    second_own: Any  # another case of the own service (its customer is a merge candidate)
    ids: dict[str, Any] = field(default_factory=dict)


def build_world() -> World:
    from heard.channels import open311
    from heard.correspondence import selectors as letter_selectors
    from heard.correspondence import services as letter_services
    from heard.correspondence.models import Medium
    from heard.improvement import services as improvement
    from heard.improvement.framework import load_framework
    from heard.improvement.models import Criterion, Element, SubCriterion
    from heard.org.services import define_request_category
    from heard.portal import services as portal
    from heard.privacy import erasure, retention, subject_access
    from heard.reporting import periods
    from heard.reporting import services as reporting
    from heard.reporting.models import Import, Standard

    own_service = make_service("matrix-own", "Waste")
    other_service = make_service("matrix-other", "Housing")
    users: dict[str, Any] = {
        role: make_staff(role, services=[own_service], username=f"matrix-{role}") for role in ROLES
    }
    users[SUPERUSER] = get_user_model().objects.create_superuser(
        "matrix-superuser", "root@example.org", "not-a-real-password-1"
    )
    team = users[R.COMPLAINTS_TEAM]
    own = make_case(by=team, service=own_service, customer_name="Ann Own")
    other = make_case(by=team, service=other_service, customer_name="Bob Other")
    second_own = make_case(by=team, service=own_service, customer_name="Ann Own")
    ids: dict[str, Any] = {}

    case_services.add_note(own, by=team, text="Rang to check.")
    upload = SimpleUploadedFile("photo.png", PNG, content_type="image/png")
    ids["file_own"] = case_services.add_attachment(own, by=team, upload=upload).pk
    upload = SimpleUploadedFile("photo.png", PNG, content_type="image/png")
    ids["file_other"] = case_services.add_attachment(other, by=team, upload=upload).pk
    today = timezone.localdate()
    from heard.cases import customers

    restriction = customers.restrict(
        by=team,
        customer=own.customer,
        kind=RestrictionKind.values[0],
        details="One named contact only.",
        reason="Repeated calls.",
        review_on=today + timedelta(days=30),
        today=today,
    )
    ids["restriction"] = restriction.pk
    template = (
        letter_selectors.templates_for(own).filter(medium=Medium.LETTER).first()
        or letter_selectors.templates_for(own).first()
    )
    assert template is not None
    letter = letter_services.draft_letter(case=own, template=template, by=team)
    letter.medium = Medium.LETTER
    letter.save(update_fields=["medium"])
    ids["letter"] = letter.pk

    # reports
    ids["standard"] = Standard.objects.values_list("code", flat=True).first()
    ids["import"] = Import.objects.create(
        kind=Import.Kind.TELEPHONY, filename="calls.csv", content="x"
    ).pk
    period = periods.containing(today, "quarter")
    reporting.publish(by=users[R.PERFORMANCE_OFFICER], period=period, improvements="Faster.")
    ids["period"] = period.key

    # improvement
    load_framework(Criterion, SubCriterion, Element)
    assessment = improvement.start_assessment(
        by=team, title="CSE 2026", cycle="initial", assessment_on=today
    )
    ids["assessment"] = assessment.pk
    ids["element"] = Element.objects.values_list("number", flat=True).first()
    item = improvement.element_assessment(assessment.pk, ids["element"])
    document = SimpleUploadedFile("evidence.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf")
    ids["evidence"] = improvement.add_document(item, by=team, title="Policy", upload=document).pk
    from heard.improvement.assessors import grant_access

    users[ASSESSOR] = get_user_model().objects.create_user("matrix-assessor")
    grant_access(
        assessment,
        by=team,
        username="matrix-assessor",
        expires_on=today + timedelta(days=30),
        today=today,
    )
    plan = improvement.create_plan(by=team, title="Plan 2026")
    ids["plan"] = plan.pk
    action = improvement.add_action(
        plan, by=team, details=improvement.ActionDetails(text="Train staff", lead_officers="Jo")
    )
    ids["action"] = action.number
    ids["review"] = improvement.add_review(plan, by=team, reviewed_on=today).pk
    ids["idea"] = improvement.submit_suggestion(
        by=users[R.FRONT_LINE_OFFICER], title="Text updates", idea="Send texts."
    ).pk

    # personal data
    governance = users[R.INFORMATION_GOVERNANCE]
    export = subject_access.request_export(by=governance, customer=str(own.customer_id))
    subject_access.build(export.pk)
    ids["export"] = export.pk
    erased = make_case(by=team, service=other_service, customer_name="Cy Erased")
    ids["erasure"] = erasure.erase_person(
        by=governance, customer=str(erased.customer_id), reason="Asked.", confirmed=True
    ).pk
    ids["retention_run"] = retention.dry_run_now(by=governance).pk

    # the public's links
    ids["tracking"] = portal.tracking_token(own)
    answered = make_case(by=team, service=own_service)
    case_services.respond(answered, by=team, outcome="upheld", summary="Sorry.")
    case_services.close(answered, by=team)
    ids["survey"] = portal.survey_link(answered).rstrip("/").rsplit("/", 1)[-1]

    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.create(user=users[SUPERUSER], name="Phone", confirmed=False)

    # Open311
    category = define_request_category(
        service=own_service, name="Potholes", slug="matrix-potholes", target_days=5
    )
    client, _key = open311.issue_key("Matrix client")
    received = open311.receive_request(
        client,
        {"service_code": category.slug, "description": "A hole.", "lat": "51.5", "long": "-0.1"},
    )
    ids["open311_code"] = category.slug
    ids["open311_request"] = received.case.reference
    ids["open311_token"] = received.token
    _one_of_each_admin_model(users[SUPERUSER])
    return World(users=users, own=own, other=other, second_own=second_own, ids=ids)


def _one_of_each_admin_model(user: Any) -> None:
    """An object for every admin model the world above left empty, so each object page shows one."""
    from django.db import models

    now = timezone.now()
    for model in admin.site._registry:
        if model._base_manager.exists():
            continue
        values: dict[str, Any] = {}
        for f in model._meta.concrete_fields:
            if f.primary_key or f.null or f.has_default() or f.blank:
                continue
            if f.choices:
                values[f.name] = f.choices[0][0]
            elif isinstance(f, models.ForeignKey):
                related: Any = f.related_model
                values[f.name] = user if related is type(user) else related._base_manager.first()
            elif isinstance(f, models.DateTimeField):
                values[f.name] = now
            elif isinstance(f, models.DateField):
                values[f.name] = now.date()
            elif isinstance(f, models.IntegerField):
                values[f.name] = 1
            elif isinstance(f, models.JSONField):
                values[f.name] = {}
            else:
                values[f.name] = "matrix"
        model._base_manager.bulk_create([model(**values)])


# -- turning a probe into a request -------------------------------------------------------------


@dataclass
class Request:
    method: str
    path: str
    data: dict[str, Any] = field(default_factory=dict)
    json: bool = False
    wrote: Callable[[], int] | None = None  # counts rows, to see whether a write happened


def _case(world: World, variant: str) -> Any:
    return world.own if variant == "own" else world.other


def build_request(world: World, name: str, probe: str) -> Request:
    method, _, variant = probe.partition(" ")
    variant, _, step = variant.partition(" ")
    case = _case(world, variant)
    ids = world.ids
    kwargs: dict[str, Any] = {}
    data: dict[str, Any] = {}
    wrote: Callable[[], int] | None = None
    as_json = False
    bare = name.split(":")[-1]

    if name.startswith("route:"):
        route = name.removeprefix("route:")
        if route == "admin/(?P<url>.*)$":
            return Request("GET", "/admin/no-such-page/")
        model = route.removeprefix("admin/").split("/<")[0]
        app, model_name = model.split("/")
        return Request("GET", f"/admin/{app}/{model_name}/{_admin_object(app, model_name)}/")
    if (
        name.startswith("admin:")
        and bare.rsplit("_", 1)[-1]
        in (
            "history",
            "delete",
            "change",
        )
        and not bare.endswith(("password_change",))
    ):
        app_model, _, page = bare.rpartition("_")
        app, model_name = _split_admin(app_model)
        return Request("GET", f"/admin/{app}/{model_name}/{_admin_object(app, model_name)}/{page}/")
    if name == "admin:auth_user_password_change":
        return Request("GET", f"/admin/auth/user/{world.users[SUPERUSER].pk}/password/")
    if name in ("admin:otp_totp_totpdevice_config", "admin:otp_totp_totpdevice_qrcode"):
        kwargs = {"pk": _admin_object("otp_totp", "totpdevice")}
    elif name == "admin:app_list":
        kwargs = {"app_label": "cases"}
    elif name == "admin:view_on_site":
        from django.contrib.contenttypes.models import ContentType

        kwargs = {
            "content_type_id": ContentType.objects.get(app_label="cases", model="case").pk,
            "object_id": world.own.pk,
        }
    elif name == "admin:autocomplete":
        return Request(
            "GET",
            reverse(name) + "?app_label=cases&model_name=case&field_name=customer&term=Ann",
        )
    elif name == "admin:logout":
        return Request("POST", reverse(name))
    elif name in ("portal:step",):
        kwargs = {"name": "kind"}
    elif name == "portal:status":
        kwargs = {"token": ids["tracking"]}
    elif name == "portal:survey":
        kwargs = {"token": ids["survey"]}
    elif name in ("performance:period", "performance:csv"):
        kwargs = {"key": ids["period"]}
    elif name == "set_language":
        data = {"language": "cy", "next": "/"}
    elif name == "channels:call-back-done":
        kwargs = {"call_id": 999999}
    elif name == "open311:discovery" or name in ("open311:services", "open311:updates"):
        kwargs = {"fmt": "json"}
    elif name == "open311:service":
        kwargs = {"fmt": "json", "code": ids["open311_code"]}
    elif name == "open311:requests":
        kwargs = {"fmt": "json"}
        if method == "POST":
            data = {
                "service_code": ids["open311_code"],
                "description": "x",
                "lat": "51.5",
                "long": "0",
            }
    elif name == "open311:request":
        kwargs = {"fmt": "json", "service_request_id": ids["open311_request"]}
    elif name == "open311:token":
        kwargs = {"fmt": "json", "token": ids["open311_token"]}
    elif name == "procedure-detail":
        kwargs = {"slug": "council-3-stage"}
    elif name == "organisation" and method == "PATCH":
        data, as_json = {"working_day_cutoff": "17:00"}, True
    elif name == "case-list" and method == "POST":
        as_json = True
        data = {
            "kind": "complaint",
            "channel": "email",
            "subject": "Missed bin",
            "customer": {"name": "Dee New", "email": "dee@example.org"},
            "service": "matrix-own",
        }
    elif name in ("case-detail",):
        kwargs = {"reference": case.reference}
    elif name == "case-attachment":
        kwargs = {
            "reference": case.reference,
            "attachment_id": ids["file_own" if variant == "own" else "file_other"],
        }
    elif name.startswith("case-") and name != "case-list":
        kwargs, as_json = {"reference": case.reference}, True
        today = timezone.localdate()
        data = {
            "case-acknowledge": {},
            "case-allocate": {"service": "matrix-own"},
            "case-extend": {
                "new_date": (today + timedelta(days=60)).isoformat(),
                "reason": "Waiting for a report.",
                "customer_told_how": "email",
            },
            "case-respond": {"outcome": "upheld", "summary": "We are sorry."},
            "case-escalate": {"unresolved": "Still unhappy."},
            "case-close": {},
            "case-reopen": {"reason": "New evidence."},
            "case-link": {"complaint": world.second_own.reference},
        }[name]
    elif name == "staff:queue":
        kwargs = {"slug": "mine"}
    elif name in ("staff:case", "staff:case-timeline", "correspondence:case"):
        kwargs = {"reference": case.reference}
    elif name == "staff:case-note":
        kwargs, data = {"reference": case.reference}, {"text": "Matrix note."}
        wrote = CaseNote.objects.count
    elif name == "staff:case-attachment":
        kwargs = {"reference": case.reference}
        data = {"file": SimpleUploadedFile("more.png", PNG, content_type="image/png")}
        wrote = Attachment.objects.count
    elif name == "staff:case-file":
        kwargs = {
            "reference": case.reference,
            "attachment_id": ids["file_own" if variant == "own" else "file_other"],
        }
    elif name == "staff:case-link":
        kwargs = {"reference": case.reference}
        data = {"reference": world.second_own.reference, "reason": "Same street."}
        wrote = CaseLink.objects.count
    elif name == "staff:case-step":
        kwargs = {"reference": case.reference, "step": step}
    elif name in ("staff:customer", "staff:customer-restrict"):
        kwargs = {"customer_id": case.customer_id}
    elif name == "staff:restriction-review":
        kwargs = {"customer_id": case.customer_id, "restriction_id": ids["restriction"]}
    elif name == "staff:customer-merge":
        kwargs = {"customer_id": case.customer_id, "other_id": world.second_own.customer_id}
    elif name in ("correspondence:letter", "correspondence:print"):
        kwargs = {"reference": case.reference, "letter_id": ids["letter"]}
    elif name == "reporting:standard":
        kwargs = {"code": ids["standard"]}
    elif name == "reporting:import":
        kwargs = {"pk": ids["import"]}
    elif name in (
        "reporting:report_file",
        "reporting:download_report_file",
        "learning:warning",
        "learning:lesson-edit",
    ):
        kwargs = {"pk": MISSING_ID}
    elif name == "learning:classify":
        kwargs = {"reference": case.reference}
    elif name == "privacy:subject-access-download":
        kwargs = {"pk": ids["export"]}
    elif name == "privacy:erasure":
        kwargs = {"pk": ids["erasure"]}
    elif name == "privacy:retention-run":
        kwargs = {"pk": ids["retention_run"]}
    elif name == "improvement:element-priority":
        kwargs = {"number": ids["element"]}
    elif name in (
        "improvement:assessment",
        "improvement:assessment-export",
        "improvement:assessment-csv",
        "improvement:assessors",
        "improvement:portfolio",
    ):
        kwargs = {"pk": ids["assessment"]}
    elif name == "improvement:assessor-revoke":
        kwargs = {"pk": ids["assessment"], "access_id": MISSING_ID}
    elif name == "improvement:portfolio-download":
        kwargs = {"pk": ids["assessment"], "export_id": MISSING_ID, "part": "pdf"}
    elif name == "improvement:assessment-element":
        kwargs = {"pk": ids["assessment"], "number": ids["element"]}
    elif name in ("improvement:evidence-file", "improvement:evidence-remove"):
        kwargs = {"pk": ids["assessment"], "evidence_id": ids["evidence"]}
    elif name in (
        "improvement:plan",
        "improvement:action-new",
        "improvement:review-new",
        "improvement:plan-report",
        "improvement:plan-report-csv",
        "improvement:plan-report-pdf",
        "improvement:plan-import",
    ):
        kwargs = {"pk": ids["plan"]}
    elif name == "improvement:action-edit":
        kwargs = {"pk": ids["plan"], "number": ids["action"]}
    elif name == "improvement:progress-edit":
        kwargs = {"pk": ids["plan"], "review_id": ids["review"], "number": ids["action"]}
    elif name in ("improvement:idea", "improvement:idea-action"):
        kwargs = {"pk": ids["idea"]}
    path = (
        name.removeprefix("route:") if name.startswith("route:") else reverse(name, kwargs=kwargs)
    )
    return Request(method, path, data, as_json, wrote)


def _split_admin(app_model: str) -> tuple[str, str]:
    for model in admin.site._registry:
        label = f"{model._meta.app_label}_{model._meta.model_name}"
        if label == app_model:
            return model._meta.app_label, model._meta.model_name  # type: ignore[return-value]
    raise AssertionError(f"No admin model {app_model}")


def _admin_object(app: str, model_name: str) -> Any:
    """The first object of an admin model, or 0 when there is none (the admin then says so)."""
    for model in admin.site._registry:
        if (model._meta.app_label, model._meta.model_name) == (app, model_name):
            return model._default_manager.values_list("pk", flat=True).first() or 0
    raise AssertionError(f"No admin model {app}.{model_name}")


# -- running the probes ---------------------------------------------------------------------------


@contextmanager
def rolled_back() -> Iterator[None]:
    """Run one request in a savepoint that is rolled back afterwards.

    Marked like Django's TestCase blocks so that the services' durable transactions may run
    inside it, as they do inside the test's own.
    """
    atomic = transaction.Atomic(DEFAULT_DB_ALIAS, savepoint=True, durable=False)
    atomic._from_testcase = True  # type: ignore[attr-defined]
    with atomic:
        yield
        transaction.set_rollback(True)


def _is_sign_in(location: str) -> bool:
    return location.startswith((reverse("accounts:sign-in"), reverse("admin:login")))


SIGN_OUT = ("accounts:sign-out", "admin:logout")


def judge(identity: str, name: str, request: Request, response: Any, wrote: bool | None) -> str:
    """'allow', 'deny', or a sentence saying what was wrong with the answer."""
    code = response.status_code
    location = response.get("Location", "") if 300 <= code < 400 else ""
    api = request.path.startswith("/api/")
    if code >= 500:
        return f"server error {code}"
    if name in SIGN_OUT and identity != PUBLIC and location:
        return "allow"  # signed out, then shown the sign-in page
    if identity == PUBLIC:
        if api and code in (401, 403):
            return "deny"
        if location and _is_sign_in(location):
            return "deny"
    else:
        if location and _is_sign_in(location) and not name.startswith(("admin", "route:admin")):
            return f"signed in but sent to sign in ({location})"
        if location and _is_sign_in(location):
            return "deny"
    if code in (401, 403, 404):
        return "deny"
    if location == reverse("admin:index") and name.endswith(("_history", "_delete", "_change")):
        return "deny"  # the admin's "no such object": nothing of it shown
    if wrote is False:
        return "deny"
    return "allow"


def _client(world: World, identity: str, api: bool) -> Any:
    if identity == PUBLIC:
        from rest_framework.test import APIClient

        return APIClient() if api else Client()
    user = world.users[identity]
    if api:
        return api_client(user)
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def run_probe(world: World, identity: str, name: str, probe: str, clients: dict[bool, Any]) -> str:
    request = build_request(world, name, probe)
    api = request.path.startswith("/api/v1/") and name not in ("schema", "docs", "redoc")
    client = clients[api]
    cookies = SimpleCookie(client.cookies)  # signing out must not end the next probe's session
    with rolled_back():
        before = request.wrote() if request.wrote else None
        send = getattr(client, request.method.lower())
        if request.json:
            response = send(request.path, request.data, format="json")
        else:
            response = send(request.path, request.data)
        wrote = None if before is None or request.wrote is None else request.wrote() > before
        if wrote is not None and response.status_code in (403, 404):
            wrote = None
        verdict = judge(identity, name, request, response, wrote)
    client.cookies = cookies
    return verdict


@pytest.mark.parametrize("identity", IDENTITIES)
def test_every_url_as(identity):
    world = build_world()
    clients = {api: _client(world, identity, api) for api in (False, True)}
    wrong = []
    for name in sorted(served_patterns()):
        for probe, allowed in TABLE.get(name, {}).items():
            expected = "allow" if identity in allowed else "deny"
            got = run_probe(world, identity, name, probe, clients)
            if got != expected:
                wrong.append(f"{name} [{probe}]: expected {expected}, got {got}")
    assert not wrong, f"As {identity}:\n  " + "\n  ".join(wrong)
