"""Staff screens for learning from complaints, and the public "you said, we did" page: thin
views over the services of this app."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from heard.core.errors import DomainError, NotFound, NotPermitted
from heard.core.pages import form_error as _form_error
from heard.core.pages import staff_page
from heard.learning import access, early_warnings, lessons
from heard.learning.forms import (
    ClassificationForm,
    InsightForm,
    LessonForm,
    WarningDecisionForm,
)
from heard.learning.insight import insight
from heard.learning.models import EarlyWarning, Lesson, ThemeModel, WarningStatus
from heard.learning.panels import save_classification
from heard.org.access import access_case
from heard.org.calendars import get_organisation


@staff_page
def index(request: HttpRequest) -> HttpResponse:
    access.require_view(request.user)
    return render(
        request,
        "learning/index.html",
        {
            "model": ThemeModel.objects.filter(active=True).defer("weights").first(),
            "open_warnings": EarlyWarning.objects.filter(status=WarningStatus.OPEN).count(),
            "lessons_count": Lesson.objects.count(),
            "may_retrain": bool(access.roles_of(request.user) & access.RETRAIN),
        },
    )


@staff_page
def insight_page(request: HttpRequest) -> HttpResponse:
    access.require_view(request.user)
    form = InsightForm(request.GET or {"months": 12})
    figures = None
    if form.is_valid():
        figures = insight(months=form.cleaned_data["months"], service=form.cleaned_data["service"])
    return render(request, "learning/insight.html", {"form": form, "insight": figures})


@staff_page
@require_POST
def retrain(request: HttpRequest) -> HttpResponse:
    from heard.learning.tasks import retrain_theme_model

    access.require_retrain(request.user)
    retrain_theme_model.enqueue()
    messages.success(
        request,
        "Training has been queued. It runs in the background; come back in a few minutes.",
    )
    return redirect("learning:index")


@staff_page
def warnings_list(request: HttpRequest) -> HttpResponse:
    access.require_view(request.user)
    status = request.GET.get("status", WarningStatus.OPEN)
    if status not in WarningStatus.values and status != "all":
        status = WarningStatus.OPEN
    warnings = EarlyWarning.objects.select_related("theme", "service")
    if status != "all":
        warnings = warnings.filter(status=status)
    return render(
        request,
        "learning/warnings.html",
        {"warnings": warnings[:200], "status": status, "statuses": WarningStatus.choices},
    )


@staff_page
@require_http_methods(["GET", "POST"])
def warning_page(request: HttpRequest, pk: int) -> HttpResponse:
    access.require_view(request.user)
    warning = (
        EarlyWarning.objects.select_related("decided_by", "service", "theme").filter(pk=pk).first()
    )
    if warning is None:
        raise NotFound("There is no such early warning.")
    form = WarningDecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            early_warnings.decide(
                warning,
                by=request.user,
                status=form.cleaned_data["status"],
                note=form.cleaned_data["note"],
            )
        except DomainError as error:
            _form_error(form, error)
        else:
            messages.success(request, "The warning has been updated.")
            return redirect("learning:warning", pk=warning.pk)
    visible = access_visible_ids(request.user, warning)
    return render(
        request,
        "learning/warning.html",
        {
            "warning": warning,
            "cases": visible,
            "hidden_cases": warning.cases.count() - len(visible),
            "form": form,
            "may_decide": bool(access.roles_of(request.user) & access.DECIDE_WARNINGS),
        },
    )


def access_visible_ids(user: Any, warning: EarlyWarning) -> list[Any]:
    from heard.org.access import visible_cases

    return list(
        visible_cases(user)
        .filter(pk__in=warning.cases.values("pk"))
        .select_related("service")
        .order_by("-received_at")[:200]
    )


@staff_page
def lessons_list(request: HttpRequest) -> HttpResponse:
    access.require_view(request.user)
    return render(
        request,
        "learning/lessons.html",
        {
            "lessons": Lesson.objects.select_related("owner", "service").prefetch_related("themes")[
                :500
            ]
        },
    )


@staff_page
@require_http_methods(["GET", "POST"])
def lesson_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    access.require_edit_lessons(request.user)
    lesson = None
    initial: dict[str, Any] = {}
    if pk is not None:
        lesson = Lesson.objects.filter(pk=pk).first()
        if lesson is None:
            raise NotFound("There is no such lesson.")
        initial = {
            "title": lesson.title,
            "you_said": lesson.you_said,
            "we_did": lesson.we_did,
            "notes": lesson.notes,
            "themes": list(lesson.themes.all()),
            "cases": " ".join(lesson.cases.values_list("reference", flat=True)),
            "service": lesson.service,
            "owner": lesson.owner,
            "due_on": lesson.due_on,
            "status": lesson.status,
            "changed_on": lesson.changed_on,
            "evidence": lesson.evidence,
            "public": lesson.public,
        }
    form = LessonForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            lesson = lessons.save_lesson(
                lesson,
                by=request.user,
                title=data["title"],
                you_said=data["you_said"],
                we_did=data["we_did"],
                notes=data["notes"],
                themes=data["themes"],
                case_references=form.case_references(),
                service=data["service"],
                owner=data["owner"],
                due_on=data["due_on"],
                status=data["status"],
                changed_on=data["changed_on"],
                evidence=data["evidence"],
                public=data["public"],
            )
        except DomainError as error:
            _form_error(form, error)
        else:
            messages.success(request, f"Lesson '{lesson.title}' saved.")
            return redirect("learning:lessons")
    return render(request, "learning/lesson_edit.html", {"form": form, "lesson": lesson})


@staff_page
@require_POST
def classify(request: HttpRequest, reference: str) -> HttpResponse:
    access.require_classify(request.user)  # before anything about the case is looked at
    case = access_case(request.user, reference)
    form = ClassificationForm(request.POST)
    if form.is_valid():
        try:
            save_classification(form, case, by=request.user)
        except (NotPermitted, NotFound):
            raise
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, "Themes recorded.")
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect(reverse("staff:case", args=[case.reference]) + "#learning")


def public_page(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "learning/public.html",
        {"lessons": lessons.published(), "organisation_name": get_organisation().name},
    )
