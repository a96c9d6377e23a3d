"""Public pages: thin views over heard.portal.services."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from heard.cases import attachments
from heard.cases.models import AccessFormat, Attachment, ContactPreference, Kind
from heard.core.errors import DomainError
from heard.core.ratelimit import allow
from heard.org.access import Permission, may
from heard.org.calendars import get_organisation
from heard.org.models import Service, ServiceRequestCategory
from heard.portal import services
from heard.portal.forms import (
    KIND_CHOICES,
    AccessNeedsForm,
    ContactForm,
    DetailsForm,
    EqualityForm,
    EscalateForm,
    KindForm,
    StaffKindForm,
    SurveyForm,
    TrackForm,
)

SESSION_KEY = "portal_answers"
STEPS = ["kind", "details", "contact"]
FORMS: dict[str, type[forms.Form]] = {
    "kind": KindForm,
    "details": DetailsForm,
    "contact": ContactForm,
}


def _answers(request: HttpRequest) -> dict[str, Any]:
    answers: dict[str, Any] = request.session.get(SESSION_KEY, {})
    return answers


def _language() -> str:
    return "cy" if (get_language() or "en").startswith("cy") else "en"


def start(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/start.html", {"organisation": get_organisation()})


@require_http_methods(["GET", "POST"])
def step(request: HttpRequest, name: str) -> HttpResponse:
    if name == "access":
        return _access_page_retired(request)
    if name not in FORMS:
        raise Http404
    answers = _answers(request)
    chosen = request.GET.get("kind", "")
    # A link from the start page or the organisation's website that says what the person has
    # come to do ("Make a complaint") answers the first question. Staff keep the first page,
    # which also asks how the customer got in touch.
    if (
        name == "details"
        and request.method == "GET"
        and chosen in dict(KIND_CHOICES)
        and answers.get("kind") != chosen
        and _recorder(request) is None
    ):
        answers["kind"] = chosen
        request.session[SESSION_KEY] = answers
    if name != "kind" and "kind" not in answers:
        return redirect("portal:step", name="kind")
    form_class = StaffKindForm if name == "kind" and _recorder(request) else FORMS[name]
    if request.method == "POST":
        form = form_class(request.POST, request.FILES)
        if form.is_valid() and name == "details":
            _take_in_files(form, answers)
        if form.is_valid():
            data = dict(form.cleaned_data)
            data.pop("attachments", None)
            if name == "contact" and data.pop("website", ""):
                # A bot filled in the field people never see: keep nothing, say nothing.
                return redirect("portal:confirmation")
            if name == "details" and data.get("service") is not None:
                data["service"] = data["service"].pk
            if name == "details":
                data["category"] = data["category"].pk if data.get("category") else None
            if data.get("happened_on"):
                data["happened_on"] = data["happened_on"].isoformat()
            answers.update(data)
            request.session[SESSION_KEY] = answers
            following = STEPS.index(name) + 1
            if "check" in request.GET or following == len(STEPS):
                return redirect("portal:check")
            return redirect("portal:step", name=STEPS[following])
    else:
        form = form_class(initial=answers)
    return render(
        request,
        f"portal/step_{name}.html",
        {
            "form": form,
            "answers": answers,
            "kind_label": dict(KIND_CHOICES).get(answers.get("kind", ""), ""),
            "categories": ServiceRequestCategory.objects.filter(active=True).select_related(
                "service"
            ),
        },
    )


@require_http_methods(["GET", "POST"])
def check(request: HttpRequest) -> HttpResponse:
    answers = _answers(request)
    missing = [s for s in STEPS if not _step_done(s, answers)]
    if missing:
        return redirect("portal:step", name=missing[0])
    if request.method == "POST":
        address = request.META.get("REMOTE_ADDR", "")
        email = answers.get("email") or ""
        recorder = _recorder(request)
        if recorder is None and (
            not allow("portal-address", address, limit=settings.HEARD_PUBLIC_RATE_PER_ADDRESS)
            or (
                email
                and not allow("portal-email", email, limit=settings.HEARD_PUBLIC_RATE_PER_EMAIL)
            )
        ):
            return render(request, "portal/too_many.html", status=429)
        try:
            case = services.submit(answers, language=_language(), recorded_by=recorder)
        except DomainError as error:
            return render(
                request,
                "portal/check.html",
                _summary(answers) | {"error": error.message},
                status=400,
            )
        request.session.pop(SESSION_KEY, None)
        request.session["portal_submitted"] = {
            "reference": case.reference,
            "email": case.customer.email,
            "respond_by": services.long_date(case.respond_by, _language()),
            "is_complaint": case.kind == Kind.COMPLAINT,
            "kind": case.kind,
        }
        return redirect("portal:confirmation")
    return render(request, "portal/check.html", _summary(answers))


def confirmation(request: HttpRequest) -> HttpResponse:
    submitted = request.session.get("portal_submitted")
    if not submitted:
        return render(request, "portal/confirmation_none.html")
    return render(request, "portal/confirmation.html", {"submitted": submitted})


@require_http_methods(["GET", "POST"])
def track(request: HttpRequest) -> HttpResponse:
    form = TrackForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        address = request.META.get("REMOTE_ADDR", "")
        email = form.cleaned_data["email"]
        if not allow(
            "track-address", address, limit=settings.HEARD_PUBLIC_RATE_PER_ADDRESS
        ) or not allow("track-email", email, limit=settings.HEARD_PUBLIC_RATE_PER_EMAIL):
            return render(request, "portal/too_many.html", status=429)
        services.send_tracking_link(form.cleaned_data["reference"], email, language=_language())
        return render(request, "portal/track_sent.html", {"email": email})
    return render(request, "portal/track.html", {"form": form})


@require_http_methods(["GET", "POST"])
def status(request: HttpRequest, token: str) -> HttpResponse:
    case = services.case_for_token(token)
    if case is None:
        return render(request, "portal/link_refused.html", status=403)
    form = EscalateForm(request.POST or None)
    escalated = False
    if request.method == "POST" and services.may_escalate(case) and form.is_valid():
        try:
            case = services.escalate(case, unresolved=form.cleaned_data["unresolved"])
            escalated = True
        except DomainError as error:
            form.add_error(None, error.message)
    stages = case.stage_records.select_related("stage").order_by("number")
    language = _language()
    return render(
        request,
        "portal/status.html",
        {
            "case": case,
            "stages": [
                {
                    "record": record,
                    "respond_by": services.long_date(
                        record.extended_to or record.respond_by, language
                    ),
                    "acknowledge_by": services.long_date(record.acknowledge_by, language),
                }
                for record in stages
            ],
            "status_text": _status_text(case.status),
            "may_escalate": services.may_escalate(case),
            "escalated": escalated,
            "form": form,
        },
    )


def _access_page_retired(request: HttpRequest) -> HttpResponse:
    """Access needs had a page of their own (/tell-us/access) until they joined the contact
    page. A bookmark lands on the contact page; the old page, sent by someone who had it open
    across the change, keeps what they chose and goes on to the check page."""
    answers = _answers(request)
    if request.method == "POST" and "kind" in answers:
        form = AccessNeedsForm(request.POST)
        if form.is_valid():
            answers.update(form.cleaned_data)
            request.session[SESSION_KEY] = answers
            return redirect("portal:check")
    query = "?check" if "check" in request.GET else ""
    return redirect(reverse("portal:step", args=["contact"]) + query)


def _take_in_files(form: forms.Form, answers: dict[str, Any]) -> None:
    """Keep the uploaded files now (checked by content); the case collects them when it is sent."""
    uploads = form.cleaned_data.get("attachments") or []
    if not uploads:
        return
    token = answers.setdefault("upload_token", attachments.new_upload_token())
    for upload in uploads:
        try:
            attachments.take_in(upload, upload_token=token)
        except DomainError as error:
            form.add_error("attachments", error.message)
            return


def _recorder(request: HttpRequest) -> Any:
    """The signed-in member of staff who may record contacts, if one is filling in the form."""
    user = request.user
    if user.is_authenticated and may(user, Permission.CREATE_CASE):
        return user
    return None


def _status_text(status: str) -> str:
    return {
        "received": _("Received"),
        "acknowledged": _("Being looked into"),
        "responded": _("Answered"),
        "closed": _("Closed"),
    }.get(status, status)


def _step_done(name: str, answers: dict[str, Any]) -> bool:
    required = {
        "kind": ["kind"],
        "details": ["subject", "what_happened"],
        "contact": ["name"],
    }
    # The contact page always answers access_formats (an empty list when no format is
    # needed); a journey begun when access needs had a page of their own may lack it.
    return all(answers.get(field) for field in required[name]) and (
        name != "contact" or "access_formats" in answers
    )


def _summary(answers: dict[str, Any]) -> dict[str, Any]:
    service_id = answers.get("service")
    service = Service.objects.filter(pk=service_id).first() if service_id else None
    formats = dict(AccessFormat.choices)
    return {
        "answers": answers,
        "kind_label": dict(KIND_CHOICES).get(answers.get("kind", ""), ""),
        "service": service,
        "contact_preference": dict(ContactPreference.choices).get(
            answers.get("contact_preference", ""), ""
        ),
        "access_formats": [formats.get(f, f) for f in answers.get("access_formats", [])],
        "files": list(
            Attachment.objects.filter(
                upload_token=answers.get("upload_token") or "-", case__isnull=True
            )
        ),
    }


@require_http_methods(["GET", "POST"])
def equality(request: HttpRequest) -> HttpResponse:
    """Optional equality questions after a submission, kept apart from the case."""
    submitted = request.session.get("portal_submitted")
    if not submitted:
        return redirect("portal:start")
    form = EqualityForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if not submitted.get("equality_given"):
            from heard.equality.services import record

            record(
                contact_kind=submitted.get("kind", ""),
                answers=form.cleaned_data,
                today=date.today(),
            )
            submitted["equality_given"] = True
            request.session["portal_submitted"] = submitted
        return render(request, "portal/equality_thanks.html")
    return render(request, "portal/equality.html", {"form": form})


@require_http_methods(["GET", "POST"])
def survey(request: HttpRequest, token: str) -> HttpResponse:
    case = services.case_for_survey(token)
    if case is None:
        return render(request, "portal/link_refused.html", status=403)
    if hasattr(case, "survey_response"):
        return render(request, "portal/survey_thanks.html", {"already": True})
    form = SurveyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.answer_survey(case, form.cleaned_data)
        return render(request, "portal/survey_thanks.html", {"already": False})
    return render(request, "portal/survey.html", {"form": form, "case": case})
