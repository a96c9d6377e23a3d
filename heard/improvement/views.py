"""Staff screens for Customer Service Excellence, action plans and Bright Ideas: thin views over
:mod:`heard.improvement.services` and :mod:`heard.improvement.evidence`."""

from __future__ import annotations

import csv
from typing import Any

from django import forms
from django.contrib import messages
from django.db.models import Count, Q
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from heard.cases.selectors import local_today
from heard.core.errors import DomainError, NotFound, NotPermitted
from heard.core.pages import form_error as _form_error
from heard.core.pages import staff_page
from heard.improvement import access, assessors, evidence, portfolio, services
from heard.improvement import forms as improvement_forms
from heard.improvement import plan_import as plan_import_service
from heard.improvement.models import (
    ActionPlan,
    Assessment,
    AssessorAccess,
    AssessorView,
    Criterion,
    ElementAssessment,
    Evidence,
    EvidenceKind,
    PlanAction,
    PortfolioExport,
    ProgressEntry,
    ProgressReview,
    ScoringCriterion,
    Suggestion,
    SuggestionScore,
    SuggestionStatus,
)


def _get(model: Any, **lookup: Any) -> Any:
    found = model.objects.filter(**lookup).first()
    if found is None:
        raise NotFound(f"There is no such {model._meta.verbose_name}.")
    return found


def _editor(request: HttpRequest) -> None:
    access.require_edit(request.user)


# -- overview and the standard ------------------------------------------------------------


@staff_page
def index(request: HttpRequest) -> HttpResponse:
    user = request.user
    may_view = access.may_view(user)
    today = local_today()
    plans = []
    if may_view:
        for plan in ActionPlan.objects.annotate(actions_count=Count("actions")):
            _, rows = services.progress_report(plan, today=today)
            plans.append(
                {"plan": plan, "actions": len(rows), "overdue": sum(r.overdue for r in rows)}
            )
    return render(
        request,
        "improvement/index.html",
        {
            "may_view": may_view,
            "may_edit": access.may_edit(user),
            "assessments": Assessment.objects.all()[:20] if may_view else [],
            "plans": plans,
            "my_ideas": Suggestion.objects.filter(submitted_by_id=user.pk)[:10],
        },
    )


@staff_page
def standard(request: HttpRequest) -> HttpResponse:
    access.require_view(request.user)
    criteria = Criterion.objects.prefetch_related("sub_criteria__elements")
    return render(
        request,
        "improvement/standard.html",
        {"criteria": criteria, "may_edit": access.may_edit(request.user)},
    )


@staff_page
@require_http_methods(["GET", "POST"])
def element_priority(request: HttpRequest, number: str) -> HttpResponse:
    _editor(request)
    element = services.element(number)
    form = improvement_forms.PriorityForm(
        request.POST or None, initial={"priority": element.priority, "guidance": element.guidance}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.set_priority(
                element,
                by=request.user,
                priority=form.cleaned_data["priority"],
                guidance=form.cleaned_data["guidance"],
            )
        except DomainError as error:
            _form_error(form, error)
        else:
            messages.success(request, f"Element {element.number} saved.")
            return redirect(reverse("improvement:standard") + f"#element-{element.number}")
    return render(request, "improvement/element_priority.html", {"element": element, "form": form})


# -- self-assessment ------------------------------------------------------------------------


@staff_page
@require_http_methods(["GET", "POST"])
def assessment_new(request: HttpRequest) -> HttpResponse:
    _editor(request)
    form = improvement_forms.AssessmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            assessment = services.start_assessment(by=request.user, **form.cleaned_data)
        except DomainError as error:
            _form_error(form, error)
        else:
            messages.success(request, f"{assessment.title} started.")
            return redirect("improvement:assessment", pk=assessment.pk)
    return render(request, "improvement/assessment_new.html", {"form": form})


def _assessment(request: HttpRequest, pk: int) -> Assessment:
    access.require_view_assessment(request.user, pk, today=local_today())
    assessment: Assessment = _get(Assessment, pk=pk)
    return assessment


def _rows(assessment: Assessment) -> Any:
    return (
        ElementAssessment.objects.filter(assessment=assessment)
        .select_related("element__sub_criterion__criterion", "owner")
        .annotate(evidence_count=Count("evidence"))
        .order_by("element__sort_key")
    )


@staff_page
def assessment_page(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = _assessment(request, pk)
    return render(
        request,
        "improvement/assessment.html",
        {
            "assessment": assessment,
            "readiness": services.readiness(assessment),
            "rows": _rows(assessment),
            "may_edit": access.may_edit(request.user),
            "may_view": access.may_view(request.user),
        },
    )


def _evidence_rows(item: ElementAssessment) -> list[dict[str, Any]]:
    rows = []
    for piece in item.evidence.all():
        live = (
            evidence.compute(piece.measure, period=piece.period)
            if piece.kind == EvidenceKind.LIVE
            else None
        )
        rows.append({"evidence": piece, "live": live, "stale": services.is_stale(piece)})
    return rows


@staff_page
@require_http_methods(["GET", "POST"])
def assessment_element(request: HttpRequest, pk: int, number: str) -> HttpResponse:
    """One element: its rating and commentary, its evidence with live figures, and adding more."""
    assessment = _assessment(request, pk)
    item = services.element_assessment(assessment.pk, number)
    user = request.user
    posted = request.POST.get("form", "") if request.method == "POST" else ""
    if posted:
        _editor(request)
    rating_form = improvement_forms.ElementRatingForm(
        request.POST if posted == "rating" else None,
        initial={
            "rating": item.rating,
            "commentary": item.commentary,
            "owner": item.owner_id,
            "review_on": item.review_on,
        },
        prefix="rating",
    )
    link_form = improvement_forms.LinkForm(
        request.POST if posted == "link" else None, prefix="link"
    )
    document_form = improvement_forms.DocumentForm(
        request.POST if posted == "document" else None,
        request.FILES if posted == "document" else None,
        prefix="document",
    )
    live_form = improvement_forms.LiveForm(
        request.POST if posted == "live" else None, element_number=number, prefix="live"
    )
    forms_by_name: dict[str, forms.Form] = {
        "rating": rating_form,
        "link": link_form,
        "document": document_form,
        "live": live_form,
    }
    form = forms_by_name.get(posted)
    if form is not None and form.is_valid():
        data = form.cleaned_data
        try:
            if posted == "rating":
                services.assess_element(item, by=user, **data)
                done = f"Element {number} saved."
            elif posted == "link":
                services.add_link(item, by=user, **data)
                done = "Link added."
            elif posted == "document":
                services.add_document(item, by=user, title=data["title"], upload=data["document"])
                done = "Document added."
            else:
                services.add_live(item, by=user, measure=data["measure"], period=data["period"])
                done = "Live figure added."
        except DomainError as error:
            _form_error(form, error)
        else:
            messages.success(request, done)
            return redirect("improvement:assessment-element", pk=pk, number=number)
    return render(
        request,
        "improvement/assessment_element.html",
        {
            "assessment": assessment,
            "item": item,
            "element": item.element,
            "evidence_rows": _evidence_rows(item),
            "may_edit": access.may_edit(user),
            "posted": posted,
            **{f"{name}_form": f for name, f in forms_by_name.items()},
        },
    )


def _evidence(request: HttpRequest, pk: int, evidence_id: int) -> Evidence:
    _assessment(request, pk)
    found = (
        Evidence.objects.select_related("element_assessment__element")
        .filter(pk=evidence_id, element_assessment__assessment_id=pk)
        .first()
    )
    if found is None:
        raise NotFound("There is no such evidence in this assessment.")
    return found


@staff_page
def evidence_file(request: HttpRequest, pk: int, evidence_id: int) -> FileResponse:
    piece = _evidence(request, pk, evidence_id)
    if piece.kind != EvidenceKind.DOCUMENT or not piece.file:
        raise NotFound("That evidence is not a document.")
    return FileResponse(piece.file.open("rb"), as_attachment=True, filename=piece.original_name)


@staff_page
@require_http_methods(["POST"])
def evidence_remove(request: HttpRequest, pk: int, evidence_id: int) -> HttpResponse:
    piece = _evidence(request, pk, evidence_id)
    number = piece.element_assessment.element.number
    services.remove_evidence(piece, by=request.user)
    messages.success(request, f"“{piece.title}” removed.")
    return redirect("improvement:assessment-element", pk=pk, number=number)


@staff_page
def assessment_export(request: HttpRequest, pk: int) -> HttpResponse:
    """Printable: every element with its rating, commentary and evidence, for the assessor."""
    assessment = _assessment(request, pk)
    return render(
        request,
        "improvement/assessment_export.html",
        {
            "assessment": assessment,
            "readiness": services.readiness(assessment),
            "rows": portfolio.export_rows(assessment),
        },
    )


@staff_page
@require_http_methods(["GET", "POST"])
def portfolio_page(request: HttpRequest, pk: int) -> HttpResponse:
    """Ask for the evidence portfolio (PDF and zip of documents), made in the background."""
    assessment = _assessment(request, pk)
    if request.method == "POST":
        portfolio.request_portfolio(assessment, by=request.user, today=local_today())
        messages.success(
            request, "The portfolio is being made. Refresh this page in a minute to download it."
        )
        return redirect("improvement:portfolio", pk=assessment.pk)
    return render(
        request,
        "improvement/portfolio.html",
        {
            "assessment": assessment,
            "exports": PortfolioExport.objects.filter(assessment=assessment)[:10],
        },
    )


@staff_page
def portfolio_download(request: HttpRequest, pk: int, export_id: int, part: str) -> FileResponse:
    assessment = _assessment(request, pk)
    export: PortfolioExport = _get(PortfolioExport, pk=export_id, assessment=assessment)
    stored = {"pdf": export.pdf, "zip": export.documents}.get(part)
    if stored is None or export.status != PortfolioExport.Status.READY or not stored:
        raise NotFound("That portfolio is not ready to download.")
    name = f"evidence-portfolio-{assessment.pk}" + (".pdf" if part == "pdf" else "-documents.zip")
    return FileResponse(stored.open("rb"), as_attachment=True, filename=name)


def _evidence_text(piece: dict[str, Any]) -> str:
    evidence_item: Evidence = piece["evidence"]
    if evidence_item.kind == EvidenceKind.LINK:
        text = f"{evidence_item.title} <{evidence_item.url}>"
    elif evidence_item.kind == EvidenceKind.DOCUMENT:
        text = f"{evidence_item.title} (document: {evidence_item.original_name})"
    else:
        live = piece["live"]
        text = (
            f"{evidence_item.title}: {live.value} ({live.period}, computed "
            f"{live.computed_at:%d/%m/%Y %H:%M} UTC)"
        )
    return text + (" [more than a year old]" if piece["stale"] else "")


@staff_page
def assessment_csv(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = _assessment(request, pk)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="self-assessment-{assessment.pk}.csv"'
    writer = csv.writer(response)
    writer.writerow(
        [
            "Element",
            "Wording",
            "Priority",
            "Rating",
            "Commentary",
            "Owner",
            "Review date",
            "Evidence",
        ]
    )
    for row in portfolio.export_rows(assessment):
        item = row["item"]
        writer.writerow(
            [
                item.element.number,
                item.element.wording,
                item.element.get_priority_display() if item.element.priority else "",
                item.get_rating_display() if item.rating else "Not rated",
                item.commentary,
                (item.owner.get_full_name() or item.owner.username) if item.owner else "",
                f"{item.review_on:%d/%m/%Y}" if item.review_on else "",
                "\n".join(_evidence_text(p) for p in row["evidence"]),
            ]
        )
    return response


# -- external assessors ---------------------------------------------------------------------


@staff_page
@require_http_methods(["GET", "POST"])
def assessors_page(request: HttpRequest, pk: int) -> HttpResponse:
    """Who may assess this assessment from outside, until when, and every page they opened."""
    _editor(request)
    assessment = _assessment(request, pk)
    posted = request.POST.get("form", "") if request.method == "POST" else ""
    grant_form = improvement_forms.GrantAccessForm(
        request.POST if posted == "grant" else None, prefix="grant"
    )
    create_form = improvement_forms.CreateAssessorForm(
        request.POST if posted == "create" else None, prefix="create"
    )
    form = {"grant": grant_form, "create": create_form}.get(posted)
    password = ""
    if form is not None and form.is_valid():
        today = local_today()
        try:
            if posted == "grant":
                grant = assessors.grant_access(
                    assessment, by=request.user, today=today, **form.cleaned_data
                )
            else:
                grant, password = assessors.create_assessor(
                    assessment, by=request.user, today=today, **form.cleaned_data
                )
        except DomainError as error:
            _form_error(form, error)
        else:
            done = (
                f"{grant.user.get_username()} may see this assessment until "
                f"{grant.expires_on:%d/%m/%Y}."
            )
            messages.success(request, done)
            if not password:
                return redirect("improvement:assessors", pk=assessment.pk)
            # A new account's password is shown on this page once, never sent in a redirect.
            create_form = improvement_forms.CreateAssessorForm(prefix="create")
    grants = AssessorAccess.objects.filter(assessment=assessment).select_related("user")
    response = render(
        request,
        "improvement/assessors.html",
        {
            "assessment": assessment,
            "grants": [
                {"grant": g, "live": assessors.is_live(g, today=local_today())} for g in grants
            ],
            "views": AssessorView.objects.filter(assessment=assessment)[:200],
            "grant_form": grant_form,
            "create_form": create_form,
            "password": password,
            "posted": posted,
        },
    )
    if password:
        response["Cache-Control"] = "no-store"
    return response


@staff_page
@require_http_methods(["POST"])
def assessor_revoke(request: HttpRequest, pk: int, access_id: int) -> HttpResponse:
    _editor(request)
    assessment = _assessment(request, pk)
    grant: AssessorAccess = _get(AssessorAccess, pk=access_id, assessment=assessment)
    try:
        assessors.revoke_access(grant, by=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"{grant.user.get_username()} can no longer see it.")
    return redirect("improvement:assessors", pk=assessment.pk)


# -- action plans -------------------------------------------------------------------------


def _plan(request: HttpRequest, pk: int) -> ActionPlan:
    access.require_view(request.user)
    plan: ActionPlan = _get(ActionPlan, pk=pk)
    return plan


def _action(plan: ActionPlan, number: int) -> PlanAction:
    action: PlanAction = _get(PlanAction, plan=plan, number=number)
    return action


@staff_page
@require_http_methods(["GET", "POST"])
def plan_new(request: HttpRequest) -> HttpResponse:
    _editor(request)
    form = improvement_forms.PlanForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.create_plan(by=request.user, **form.cleaned_data)
        except DomainError as error:
            _form_error(form, error)
        else:
            messages.success(request, f"{plan.title} created.")
            return redirect("improvement:plan", pk=plan.pk)
    return render(request, "improvement/plan_new.html", {"form": form})


@staff_page
def plan_page(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk)
    reviews, rows = services.progress_report(plan, today=local_today())
    return render(
        request,
        "improvement/plan.html",
        {
            "plan": plan,
            "reviews": reviews,
            "rows": rows,
            "overdue": sum(r.overdue for r in rows),
            "may_edit": access.may_edit(request.user),
            "recordable": {
                r.action.pk for r in rows if access.may_record_progress(request.user, r.action)
            },
        },
    )


def _details(data: dict[str, Any]) -> services.ActionDetails:
    fields = services.ActionDetails.__dataclass_fields__
    return services.ActionDetails(**{k: v for k, v in data.items() if k in fields})


@staff_page
@require_http_methods(["GET", "POST"])
def action_edit(request: HttpRequest, pk: int, number: int | None = None) -> HttpResponse:
    _editor(request)
    plan = _plan(request, pk)
    action = _action(plan, number) if number is not None else None
    initial: dict[str, Any] = {}
    if action is not None:
        initial = {
            name: getattr(action, name)
            for name in services.ActionDetails.__dataclass_fields__
            if name not in ("elements", "themes", "lessons")
        }
        initial["elements"] = ", ".join(action.elements.values_list("number", flat=True))
        initial["themes"] = list(action.themes.all())
        initial["lessons"] = list(action.lessons.all())
    form = improvement_forms.ActionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        details = _details(form.cleaned_data)
        try:
            if action is None:
                action = services.add_action(plan, by=request.user, details=details)
                done = f"Action {action.number} added."
            else:
                services.change_action(action, by=request.user, details=details)
                done = f"Action {action.number} saved."
        except DomainError as error:
            _form_error(form, error)
        else:
            messages.success(request, done)
            return redirect("improvement:plan", pk=plan.pk)
    return render(
        request, "improvement/action_edit.html", {"plan": plan, "action": action, "form": form}
    )


@staff_page
@require_http_methods(["GET", "POST"])
def plan_import(request: HttpRequest, pk: int) -> HttpResponse:
    """Add the actions of an existing plan from a CSV file: all of them, or none."""
    _editor(request)
    plan = _plan(request, pk)
    posted = request.method == "POST"
    form = improvement_forms.PlanImportForm(
        request.POST if posted else None, request.FILES if posted else None
    )
    problems: list[plan_import_service.Problem] = []
    if posted and form.is_valid():
        try:
            result = plan_import_service.import_plan(
                plan, by=request.user, raw=form.cleaned_data["file"].read()
            )
        except DomainError as error:
            _form_error(form, error)
        else:
            problems = result.problems
            if not problems:
                messages.success(request, f"{len(result.actions)} actions imported.")
                return redirect("improvement:plan", pk=plan.pk)
    return render(
        request,
        "improvement/plan_import.html",
        {
            "plan": plan,
            "form": form,
            "problems": problems,
            "columns": [label for label, _ in plan_import_service.COLUMNS.values()],
        },
    )


@staff_page
@require_http_methods(["GET", "POST"])
def review_new(request: HttpRequest, pk: int) -> HttpResponse:
    _editor(request)
    plan = _plan(request, pk)
    form = improvement_forms.ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            review = services.add_review(
                plan, by=request.user, reviewed_on=form.cleaned_data["reviewed_on"]
            )
        except DomainError as error:
            _form_error(form, error)
        else:
            messages.success(request, f"Review of {review.reviewed_on:%d/%m/%Y} added.")
            return redirect("improvement:plan", pk=plan.pk)
    return render(request, "improvement/review_new.html", {"plan": plan, "form": form})


@staff_page
@require_http_methods(["GET", "POST"])
def progress_edit(request: HttpRequest, pk: int, review_id: int, number: int) -> HttpResponse:
    plan = _plan(request, pk)
    review: ProgressReview = _get(ProgressReview, pk=review_id, plan=plan)
    action = _action(plan, number)
    access.require_record_progress(request.user, action)
    entry = ProgressEntry.objects.filter(review=review, action=action).first()
    initial = {"evidence": entry.evidence, "category": entry.category} if entry else {}
    form = improvement_forms.ProgressForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_progress(review, action, by=request.user, **form.cleaned_data)
        except DomainError as error:
            _form_error(form, error)
        else:
            messages.success(
                request,
                f"Progress on action {action.number} at {review.reviewed_on:%d/%m/%Y} saved.",
            )
            return redirect(reverse("improvement:plan", args=[plan.pk]) + f"#action-{number}")
    return render(
        request,
        "improvement/progress_edit.html",
        {"plan": plan, "review": review, "action": action, "form": form},
    )


@staff_page
def plan_report(request: HttpRequest, pk: int) -> HttpResponse:
    """Seed 000's progress report: a row per action, evidence and category per review date."""
    plan = _plan(request, pk)
    reviews, rows = services.progress_report(plan, today=local_today())
    return render(
        request, "improvement/plan_report.html", {"plan": plan, "reviews": reviews, "rows": rows}
    )


@staff_page
def plan_report_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk)
    response = HttpResponse(
        portfolio.plan_report_pdf(plan, today=local_today()), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'attachment; filename="progress-report-{plan.pk}.pdf"'
    return response


@staff_page
def plan_report_csv(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk)
    reviews, rows = services.progress_report(plan, today=local_today())
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="progress-report-{plan.pk}.csv"'
    writer = csv.writer(response)
    header = ["No", "Recommendation", "Responsibility", "Anticipated Completion Date"]
    for review in reviews:
        day = f"{review.reviewed_on:%d/%m/%y}"
        header += [f"Evidence of Progress {day}", f"Assessment of progress (Categories 1-4) {day}"]
    writer.writerow([*header, "Overdue"])
    for row in rows:
        action = row.action
        line = [
            action.number,
            action.text,
            action.lead_officers,
            f"{action.ends_on:%d/%m/%Y}" if action.ends_on else "",
        ]
        for cell in row.cells:
            line += [cell.evidence, cell.get_category_display()] if cell else ["", ""]
        writer.writerow([*line, "Yes" if row.overdue else ""])
    return response


# -- Bright Ideas ---------------------------------------------------------------------------


@staff_page
def ideas(request: HttpRequest) -> HttpResponse:
    user = request.user
    may_edit = access.may_edit(user)
    status = request.GET.get("status", "")
    listed = Suggestion.objects.select_related("submitted_by")
    if not may_edit:
        listed = listed.filter(submitted_by_id=user.pk)
    if status in SuggestionStatus.values:
        listed = listed.filter(status=status)
    counts = Suggestion.objects.filter(Q() if may_edit else Q(submitted_by_id=user.pk)).aggregate(
        **{s.value: Count("id", filter=Q(status=s.value)) for s in SuggestionStatus}
    )
    return render(
        request,
        "improvement/ideas.html",
        {
            "ideas": [
                {"idea": s, "by": services.suggester_name(s, viewer=user)} for s in listed[:200]
            ],
            "may_edit": may_edit,
            "statuses": [(s, counts[s.value]) for s in SuggestionStatus],
            "status": status,
        },
    )


@staff_page
@require_http_methods(["GET", "POST"])
def idea_new(request: HttpRequest) -> HttpResponse:
    form = improvement_forms.SuggestionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            idea = services.submit_suggestion(by=request.user, **form.cleaned_data)
        except DomainError as error:
            _form_error(form, error)
        else:
            messages.success(request, "Thank you: your idea has gone to the Bright Ideas panel.")
            return redirect("improvement:idea", pk=idea.pk)
    return render(
        request,
        "improvement/idea_new.html",
        {"form": form, "criteria": [c.label for c in ScoringCriterion]},
    )


def _idea(request: HttpRequest, pk: int) -> Suggestion:
    idea: Suggestion = _get(Suggestion, pk=pk)
    if not access.may_edit(request.user) and idea.submitted_by_id != request.user.pk:
        raise NotPermitted("You can see your own suggestions; the panel sees everyone's.")
    return idea


@staff_page
@require_http_methods(["GET", "POST"])
def idea_page(request: HttpRequest, pk: int) -> HttpResponse:
    idea = _idea(request, pk)
    user = request.user
    posted = request.POST.get("form", "") if request.method == "POST" else ""
    if posted:
        _editor(request)
    decision_form = improvement_forms.DecisionForm(
        request.POST if posted == "decision" else None,
        statuses=services.next_statuses(idea),
        prefix="decision",
    )
    award_form = improvement_forms.AwardForm(
        request.POST if posted == "award" else None,
        initial={"award": idea.award, "award_round": idea.award_round},
        prefix="award",
    )
    own_scores = {
        s.criterion: s.score
        for s in SuggestionScore.objects.filter(suggestion=idea, scored_by_id=user.pk)
    }
    score_form = improvement_forms.ScoreForm(
        request.POST if posted == "score" else None, initial=own_scores, prefix="score"
    )
    form = {"decision": decision_form, "award": award_form, "score": score_form}.get(posted)
    if form is not None and form.is_valid():
        try:
            if posted == "decision":
                services.decide_suggestion(idea, by=user, **form.cleaned_data)
            elif posted == "score":
                services.score_suggestion(idea, by=user, scores=form.cleaned_data)
            else:
                services.record_award(idea, by=user, **form.cleaned_data)
        except DomainError as error:
            _form_error(form, error)
        else:
            messages.success(request, "Saved.")
            return redirect("improvement:idea", pk=idea.pk)
    action = PlanAction.objects.filter(from_suggestion=idea).select_related("plan").first()
    return render(
        request,
        "improvement/idea.html",
        {
            "idea": idea,
            "by": services.suggester_name(idea, viewer=user),
            "may_edit": access.may_edit(user),
            "decision_form": decision_form,
            "award_form": award_form,
            "score_form": score_form,
            "posted": posted,
            "scores": services.panel_scores(idea) if access.may_edit(user) else None,
            "may_score": idea.status in (SuggestionStatus.SUBMITTED, SuggestionStatus.UNDER_REVIEW),
            "action": action,
            "may_make_action": idea.status == SuggestionStatus.ADOPTED and action is None,
            "may_award": idea.status in (SuggestionStatus.ADOPTED, SuggestionStatus.IMPLEMENTED),
        },
    )


@staff_page
@require_http_methods(["GET", "POST"])
def idea_action(request: HttpRequest, pk: int) -> HttpResponse:
    _editor(request)
    idea = _idea(request, pk)
    form = improvement_forms.PlanChoiceForm(
        request.POST or None, initial={"text": idea.title + ": " + idea.idea}
    )
    if request.method == "POST" and form.is_valid():
        try:
            action = services.make_action(
                idea,
                by=request.user,
                plan=form.cleaned_data["plan"],
                details=_details(form.cleaned_data),
            )
        except DomainError as error:
            _form_error(form, error)
        else:
            messages.success(request, f"The suggestion is now action {action.number}.")
            return redirect("improvement:plan", pk=action.plan_id)
    return render(request, "improvement/idea_action.html", {"idea": idea, "form": form})
