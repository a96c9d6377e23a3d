"""The staff casework screens: thin views over the case services, selectors and queues.

Every view asks :mod:`heard.org.access` (through the services and selectors) who may see
and do what. A case that exists but is not the user's to see is refused with 403; one
that does not exist is 404.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from heard.cases import customers as customer_services
from heard.cases import queues, search, selectors, services, triage
from heard.cases.lifecycle import Step, available_steps
from heard.cases.models import Case, CaseLink, CustomerRestriction, Kind, Status
from heard.cases.services import CustomerDetails
from heard.channels import staging
from heard.channels import triage as channel_triage
from heard.channels.forms import ArrivalForm
from heard.core.errors import DomainError, NotFound
from heard.learning import panels as learning_panels
from heard.learning.forms import ClassificationForm
from heard.learning.suggestions import suggest_themes
from heard.org import access
from heard.org.access import Permission
from heard.privacy.audit import record_read, record_reads
from heard.staff import forms as staff_forms

PAGE_SIZE = 50

STEP_PERMISSIONS: dict[Step, Permission] = {
    Step.ACKNOWLEDGE: Permission.ACKNOWLEDGE,
    Step.ALLOCATE: Permission.ALLOCATE,
    Step.EXTEND: Permission.EXTEND,
    Step.RESPOND: Permission.RESPOND,
    Step.ESCALATE: Permission.ESCALATE,
    Step.CLOSE: Permission.CLOSE,
    Step.REOPEN: Permission.REOPEN,
}
STEP_FORMS: dict[Step, type[forms.Form]] = {
    Step.ACKNOWLEDGE: staff_forms.AcknowledgeForm,
    Step.ALLOCATE: staff_forms.AllocateForm,
    Step.EXTEND: staff_forms.ExtendForm,
    Step.RESPOND: staff_forms.RespondForm,
    Step.ESCALATE: staff_forms.EscalateForm,
    Step.CLOSE: staff_forms.CloseForm,
    Step.REOPEN: staff_forms.ReopenForm,
}
STEP_TITLES: dict[Step, str] = {
    Step.ACKNOWLEDGE: "Acknowledge",
    Step.ALLOCATE: "Allocate",
    Step.EXTEND: "Extend the deadline",
    Step.RESPOND: "Record the response",
    Step.ESCALATE: "Escalate to the next stage",
    Step.CLOSE: "Close",
    Step.REOPEN: "Reopen",
}


# -- queues ----------------------------------------------------------------------------------


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The queues with their counts, and restrictions due for review today."""
    user = request.user
    today = selectors.local_today()
    counts = queues.counts(user, today=today)
    return render(
        request,
        "staff/home.html",
        {
            "queues": [(q, counts[q.slug]) for q in queues.queues_for(user)],
            "reviews_due": customer_services.restrictions_due_for_review(user, today=today)[:20],
            "may_triage": access.may(user, Permission.CREATE_CASE),
        },
    )


@login_required
def queue(request: HttpRequest, slug: str) -> HttpResponse:
    user = request.user
    today = selectors.local_today()
    filter_form = staff_forms.FilterForm(request.GET or None)
    try:
        filters = queues.Filters.parse(request.GET)
        cases = queues.queue_cases(user, slug, filters, today=today)
    except NotFound as error:
        raise Http404(error.message) from error
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("staff:queue", slug=slug)
    counts = queues.counts(user, today=today)
    paginator = Paginator(cases.values_list("pk", flat=True), PAGE_SIZE)
    if filters.filters_nothing():
        paginator.count = counts[slug]  # counted already, with the other queues
    page = paginator.get_page(request.GET.get("page"))
    rows = selectors.listed(list(page.object_list))
    record_reads(request, cases=rows, what=f"work queue '{slug}': customer names")
    days = queues.working_days_left(rows, today=today)
    current = queues.BY_SLUG[slug]
    return render(
        request,
        "staff/queue.html",
        {
            "queue": current,
            "queues": [(q, counts[q.slug]) for q in queues.queues_for(user)],
            "rows": [_row(case, d) for case, d in zip(rows, days, strict=True)],
            "page": page,
            "filter_form": filter_form,
            "filters": filters,
            "sort_links": _sort_links(request, filters),
            "query_without_page": _query_without(request, "page"),
        },
    )


def _row(case: Case, days: int) -> dict[str, Any]:
    return {
        "case": case,
        "days": days,
        "clock": queues.clock_text(days, is_open=case.is_open),
        "due": queues.next_deadline(case),
        "awaiting_ack": case.status == Status.RECEIVED
        and case.acknowledge_by is not None
        and queues.next_deadline(case) == case.acknowledge_by,
    }


def _sort_links(request: HttpRequest, filters: queues.Filters) -> dict[str, dict[str, str]]:
    links = {}
    for key in queues.SORTS:
        params = request.GET.copy()
        params.pop("page", None)
        current = filters.sort == key
        params["sort"] = key
        params["order"] = (
            "asc" if current and filters.descending else ("desc" if current else "asc")
        )
        aria = ("descending" if filters.descending else "ascending") if current else "none"
        links[key] = {"href": "?" + params.urlencode(), "aria": aria}
    return links


def _query_without(request: HttpRequest, name: str) -> str:
    params = request.GET.copy()
    params.pop(name, None)
    return params.urlencode()


# -- a case ----------------------------------------------------------------------------------


def _case(request: HttpRequest, reference: str) -> Case:
    """The case if the user may see it: 403 if it exists but is not theirs, 404 if no such case."""
    try:
        return selectors.case_for(request.user, reference)
    except NotFound as error:
        if access.case_exists(reference):
            raise PermissionDenied(
                f"Case {reference.upper()} belongs to a service you do not work in."
            ) from error
        raise Http404(error.message) from error


def _case_context(request: HttpRequest, case: Case) -> dict[str, Any]:
    user = request.user
    today = selectors.local_today()
    days = queues.working_days_left([case], today=today)[0]
    steps = [
        step
        for step in available_steps(case)
        if step in STEP_PERMISSIONS and access.may(user, STEP_PERMISSIONS[step])
    ]
    people = [case.customer_id] + ([case.representative_id] if case.representative_id else [])
    records = list(case.stage_records.all())
    return {
        "case": case,
        "clock": queues.clock_text(days, is_open=case.is_open),
        "days": days,
        "due": queues.next_deadline(case),
        "steps": [(step.value, STEP_TITLES[step]) for step in steps],
        "restrictions": customer_services.active_restrictions(people),
        "records": records,
        "stage_count": case.procedure_version.stages.count(),
        "may_note": access.may(user, Permission.NOTE),
        "may_attach": access.may(user, Permission.ADD_ATTACHMENT),
        "may_link": access.may(user, Permission.LINK),
        "note_form": staff_forms.NoteForm(),
        "attachment_form": staff_forms.AttachmentForm(),
        "link_form": staff_forms.LinkForm(),
        "links": _links(user, case),
        "access_formats": _access_formats(case),
        "correspondence_url": reverse("correspondence:case", args=[case.reference]),
    }


def _links(user: Any, case: Case) -> list[dict[str, Any]]:
    visible = access.visible_cases(user)
    found: list[tuple[Case, str]] = []
    for out in CaseLink.objects.filter(from_case=case).select_related("to_case"):
        found.append((out.to_case, out.reason))
    for inward in CaseLink.objects.filter(to_case=case).select_related("from_case"):
        found.append((inward.from_case, inward.reason))
    if case.originated_from is not None:
        found.append((case.originated_from, "This complaint grew out of it"))
    for later in case.became.all():
        found.append((later, "Became this complaint"))
    allowed = set(visible.filter(pk__in=[c.pk for c, _ in found]).values_list("pk", flat=True))
    links = [{"case": c, "reason": reason, "visible": c.pk in allowed} for c, reason in found]
    return links


def _access_formats(case: Case) -> list[str]:
    from heard.cases.models import AccessFormat

    labels = dict(AccessFormat.choices)
    return [str(labels.get(f, f)) for f in case.customer.access_formats]


@login_required
def case_page(request: HttpRequest, reference: str) -> HttpResponse:
    case = _case(request, reference)
    record_read(request, case=case, what="case page: customer details, description and notes")
    context = _case_context(request, case)
    context["notes"] = case.notes.select_related("author").order_by("-at")
    context["recent_events"] = list(case.events.all())[-5:][::-1]
    context["tab"] = "summary"
    context.update(learning_panels.case_panel_context(request.user, case))
    return render(request, "staff/case.html", context)


@login_required
def case_timeline(request: HttpRequest, reference: str) -> HttpResponse:
    case = _case(request, reference)
    record_read(request, case=case, what="case timeline")
    context = _case_context(request, case)
    context["events"] = list(case.events.all())[::-1]
    context["tab"] = "timeline"
    return render(request, "staff/case_timeline.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def case_step(request: HttpRequest, reference: str, step: str) -> HttpResponse:
    case = _case(request, reference)
    try:
        chosen = Step(step)
    except ValueError as error:
        raise Http404("There is no such step.") from error
    if chosen not in STEP_FORMS:
        raise Http404("There is no such step.")
    if not access.may(request.user, STEP_PERMISSIONS[chosen]):
        raise PermissionDenied(f"You may not {STEP_PERMISSIONS[chosen]}.")
    form = STEP_FORMS[chosen](request.POST if request.method == "POST" else None)
    themes = None
    if chosen is Step.RESPOND:  # themes and root cause are recorded with the response
        themes = ClassificationForm(
            request.POST if request.method == "POST" else None,
            suggestions=suggest_themes(f"{case.subject}\n{case.description}"),
            prefix="learning",
        )
    if request.method == "POST" and form.is_valid():
        try:
            _take_step(request.user, case, chosen, form)
            if themes is not None and themes.is_valid():
                learning_panels.save_classification(themes, case, by=request.user)
        except DomainError as error:
            _form_error(form, error)
        else:
            messages.success(request, f"{STEP_TITLES[chosen]}: done for {case.reference}.")
            return redirect("staff:case", reference=case.reference)
    context = _case_context(request, case)
    context.update({"form": form, "step": chosen.value, "step_title": STEP_TITLES[chosen]})
    if themes is not None:
        context["learning_form"] = themes
    return render(request, "staff/case_step.html", context)


def _take_step(user: Any, case: Case, step: Step, form: forms.Form) -> None:
    data = form.cleaned_data
    if step is Step.ACKNOWLEDGE:
        services.acknowledge(case, by=user)
    elif step is Step.ALLOCATE:
        services.allocate(case, by=user, service=data.get("service"), officer=data.get("officer"))
    elif step is Step.EXTEND:
        services.extend(
            case,
            by=user,
            new_date=data["new_date"],
            reason=data["reason"],
            customer_told_how=data["customer_told_how"],
        )
    elif step is Step.RESPOND:
        assert isinstance(form, staff_forms.RespondForm)
        services.respond(
            case,
            by=user,
            outcome=data.get("outcome") or "",
            summary=data.get("summary") or "",
            remedies=form.remedies(),
            lessons_learned=data.get("lessons_learned") or "",
        )
    elif step is Step.ESCALATE:
        services.escalate(case, by=user, unresolved=data["unresolved"])
    elif step is Step.CLOSE:
        services.close(case, by=user, note=data.get("note") or "")
    elif step is Step.REOPEN:
        services.reopen(case, by=user, reason=data["reason"])


def _form_error(form: forms.Form, error: DomainError) -> None:
    field = (error.field or "").split(".")[-1].split("[")[0]
    aliases = {"customer_told_at": "customer_told_how", "remedies": "amount", "note": "text"}
    field = aliases.get(field, field)
    form.add_error(field if field in form.fields else None, error.message)


@login_required
@require_http_methods(["POST"])
def case_note(request: HttpRequest, reference: str) -> HttpResponse:
    case = _case(request, reference)
    form = staff_forms.NoteForm(request.POST)
    if form.is_valid():
        try:
            services.add_note(case, by=request.user, text=form.cleaned_data["text"])
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, "Note added.")
    else:
        messages.error(request, "Write the note before adding it.")
    return redirect(reverse("staff:case", args=[case.reference]) + "#notes")


@login_required
@require_http_methods(["POST"])
def case_attachment(request: HttpRequest, reference: str) -> HttpResponse:
    case = _case(request, reference)
    form = staff_forms.AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.add_attachment(case, by=request.user, upload=form.cleaned_data["file"])
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, "File added.")
    else:
        messages.error(request, "Choose a file to add.")
    return redirect(reverse("staff:case", args=[case.reference]) + "#files")


@login_required
def case_file(request: HttpRequest, reference: str, attachment_id: int) -> FileResponse:
    """A file of a case, only to someone who may see the case; never shown inline."""
    case = _case(request, reference)
    attachment = case.attachments.filter(pk=attachment_id).first()
    if attachment is None:
        raise Http404("There is no such file on this case.")
    record_read(request, case=case, what=f"file {attachment.original_name}")
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_http_methods(["POST"])
def case_link(request: HttpRequest, reference: str) -> HttpResponse:
    case = _case(request, reference)
    form = staff_forms.LinkForm(request.POST)
    if form.is_valid():
        try:
            other = selectors.case_for(request.user, form.cleaned_data["reference"])
            services.link_cases(
                case, by=request.user, other=other, reason=form.cleaned_data["reason"]
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, f"Linked to {other.reference}.")
    else:
        messages.error(request, "Enter the other case's reference and why they are linked.")
    return redirect(reverse("staff:case", args=[case.reference]) + "#links")


# -- triage ----------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def triage_view(request: HttpRequest) -> HttpResponse:
    if not access.may(request.user, Permission.CREATE_CASE):
        raise PermissionDenied("Your role does not record contacts.")
    form = staff_forms.TriageForm(request.POST if request.method == "POST" else None)
    # A scan chosen before "check for themes and related cases" is kept for the officer
    # (browsers cannot fill a file input in again): heard.channels.staging.
    staged = request.POST.get("staged_letter", "") if request.method == "POST" else ""
    files = request.FILES.copy()
    if staged and "letter" not in files:
        kept = staging.claim(staged, by=request.user)
        if kept is not None:
            files["letter"] = kept
        else:
            staged = ""
    # How it came in (a letter's date received and scan, a call's line): heard.channels.
    arrival_form = ArrivalForm(request.POST, files) if request.method == "POST" else ArrivalForm()
    if request.method == "POST" and "preview" in request.POST:
        # Check the wording against earlier cases before recording: themes and related cases.
        text = f"{request.POST.get('subject', '')}\n{request.POST.get('description', '')}"
        arrival_form = ArrivalForm(request.POST)
        staged = _keep_chosen_scan(request, arrival_form, staged)
        context = {
            "form": staff_forms.TriageForm(request.POST),
            "arrival_form": arrival_form,
            "previewed": True,
            **_staged_context(staged, request.user),
        }
        context.update(
            learning_panels.triage_suggestions_context(request.user, text, contact=request.POST)
        )
        return render(request, "staff/triage.html", context)
    if request.method == "POST" and form.is_valid() and arrival_form.is_valid():
        data = form.cleaned_data
        representative = None
        if data.get("representative_name"):
            representative = CustomerDetails(name=data["representative_name"])
        contact = triage.Contact(
            kind=data["kind"],
            channel=data["channel"],
            subject=data["subject"],
            description=data["description"],
            customer=CustomerDetails(
                name=data["name"],
                email=data.get("email") or "",
                phone=data.get("phone") or "",
                address=data.get("address") or "",
                contact_preference=data["contact_preference"],
            ),
            service=data.get("service"),
            category=data.get("category"),
            routing_rule=data.get("routing_rule"),
            representative=representative,
            representative_role=data.get("representative_role") or "",
        )
        try:
            arrival = arrival_form.arrival()
            channel_triage.check_arrival(arrival, channel=data["channel"], by=request.user)
            # The deadlines run from the date received, from the moment the case exists.
            contact = dataclasses.replace(contact, received_at=arrival.received_at)
            case = triage.record(
                contact,
                by=request.user,
                then=data["then"],
                officer=data.get("officer"),
                resolution=data.get("resolution") or "",
            )
        except DomainError as error:
            _form_error(form, error)
        else:
            try:
                case = channel_triage.record_arrival(case, by=request.user, arrival=arrival)
            except DomainError as error:  # recorded, but the scan or call was refused
                messages.error(request, f"{case.reference} was recorded, but: {error.message}")
            messages.success(request, f"Recorded as {case.reference}.")
            if staged:
                staging.discard(staged, by=request.user)
            if problem := learning_panels.record_triage_themes(request.POST, case, by=request.user):
                messages.warning(request, problem)
            return redirect("staff:case", reference=case.reference)
    if request.method == "POST" and not arrival_form.has_error("letter"):
        # Not recorded (a mistake elsewhere in the form): keep the scan chosen this time too.
        staged = _keep_chosen_scan(request, arrival_form, staged)
    return render(
        request,
        "staff/triage.html",
        {"form": form, "arrival_form": arrival_form, **_staged_context(staged, request.user)},
    )


def _keep_chosen_scan(request: HttpRequest, arrival_form: ArrivalForm, staged: str) -> str:
    """Keep a scan chosen in this request for the officer's next go at the form (replacing
    one kept before); the token that names the scan now kept, if any."""
    chosen = request.FILES.get("letter")
    if not isinstance(chosen, UploadedFile):
        return staged
    try:
        kept = staging.keep(chosen, by=request.user)
    except DomainError as error:
        arrival_form.add_error("letter", error.message)
        return staged
    if staged:
        staging.discard(staged, by=request.user)
    return kept


def _staged_context(staged: str, user: Any) -> dict[str, str]:
    name = staging.name_of(staged, by=user) if staged else None
    return {"staged_letter": staged, "staged_letter_name": name} if name else {}


# -- search ----------------------------------------------------------------------------------


@login_required
def search_view(request: HttpRequest) -> HttpResponse:
    query = (request.GET.get("q") or "").strip()
    context: dict[str, Any] = {"query": query}
    if query:
        try:
            meaning, cases = search.search_cases(request.user, query)
        except DomainError as error:
            context["error"] = error.message
        else:
            if meaning.by == "reference" and len(found := list(cases[:1])) == 1:
                return redirect("staff:case", reference=found[0].reference)
            ids: Any = cases.values_list("pk", flat=True)
            if meaning.by == "words":
                # Word matches are already cut to the newest WORDS_LIMIT inside the search: take
                # their ids in order with one query and page them here, rather than send the
                # matches to the database twice (once for the page, once to count them).
                ids = list(ids)
            page = Paginator(ids, PAGE_SIZE).get_page(request.GET.get("page"))
            rows = selectors.listed(list(page.object_list))
            record_reads(request, cases=rows, what=f"search results for {meaning.by}")
            days = queues.working_days_left(rows)
            context.update(
                {
                    "meaning": meaning,
                    "page": page,
                    "rows": [_row(case, d) for case, d in zip(rows, days, strict=True)],
                    "query_without_page": _query_without(request, "page"),
                    "capped": meaning.by == "words" and page.paginator.count >= search.WORDS_LIMIT,
                    "words_limit": search.WORDS_LIMIT,
                }
            )
    return render(request, "staff/search.html", context)


# -- customers -------------------------------------------------------------------------------


def _customer(request: HttpRequest, customer_id: int) -> Any:
    try:
        return customer_services.customer_for(request.user, customer_id)
    except NotFound as error:
        raise Http404(error.message) from error


@login_required
def customer_page(request: HttpRequest, customer_id: int) -> HttpResponse:
    customer = _customer(request, customer_id)
    record_read(request, customer=customer, what="customer record and their cases")
    user = request.user
    cases = list(customer_services.cases_of(user, customer))
    days = queues.working_days_left(cases)
    restrictions = customer.restrictions.select_related("set_by").order_by("-set_at")
    representatives = {
        case.representative_id: (case.representative, case.get_representative_role_display())
        for case in cases
        if case.customer_id == customer.pk and case.representative_id
    }
    return render(
        request,
        "staff/customer.html",
        {
            "customer": customer,
            "rows": [_row(case, d) for case, d in zip(cases, days, strict=True)],
            "restrictions": restrictions,
            "representatives": list(representatives.values()),
            "active": [r for r in restrictions if r.ended_at is None],
            "duplicates": customer_services.possible_duplicates(user, customer)
            if customer.merged_into_id is None
            else [],
            "may_restrict": access.may(user, Permission.RESTRICT_CUSTOMER),
            "may_merge": access.may(user, Permission.MERGE_CUSTOMERS),
            "kinds": dict(Kind.choices),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def customer_restrict(request: HttpRequest, customer_id: int) -> HttpResponse:
    customer = _customer(request, customer_id)
    if not access.may(request.user, Permission.RESTRICT_CUSTOMER):
        raise PermissionDenied("Your role may not restrict a customer's contact.")
    form = staff_forms.RestrictForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            customer_services.restrict(
                by=request.user,
                customer=customer,
                kind=data["kind"],
                details=data["details"],
                reason=data["reason"],
                review_on=data["review_on"],
                today=selectors.local_today(),
            )
        except DomainError as error:
            _form_error(form, error)
        else:
            messages.success(request, f"Contact from {customer.name} is now restricted.")
            return redirect("staff:customer", customer_id=customer.pk)
    return render(request, "staff/customer_restrict.html", {"customer": customer, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def restriction_review(request: HttpRequest, customer_id: int, restriction_id: int) -> HttpResponse:
    customer = _customer(request, customer_id)
    if not access.may(request.user, Permission.RESTRICT_CUSTOMER):
        raise PermissionDenied("Your role may not review restrictions.")
    restriction = CustomerRestriction.objects.filter(pk=restriction_id, customer=customer).first()
    if restriction is None:
        raise Http404("There is no such restriction on this customer.")
    form = staff_forms.ReviewRestrictionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            customer_services.review_restriction(
                by=request.user,
                restriction=restriction,
                decision=data["decision"],
                note=data["note"],
                next_review_on=data.get("next_review_on"),
                today=selectors.local_today(),
            )
        except DomainError as error:
            _form_error(form, error)
        else:
            messages.success(request, "Review recorded.")
            return redirect("staff:customer", customer_id=customer.pk)
    return render(
        request,
        "staff/restriction_review.html",
        {"customer": customer, "restriction": restriction, "form": form},
    )


@login_required
@require_http_methods(["GET", "POST"])
def customer_merge(request: HttpRequest, customer_id: int, other_id: int) -> HttpResponse:
    """Merge the other (duplicate) record into this one, after a person confirms."""
    keep = _customer(request, customer_id)
    duplicate = _customer(request, other_id)
    if not access.may(request.user, Permission.MERGE_CUSTOMERS):
        raise PermissionDenied("Your role may not merge customer records.")
    form = staff_forms.MergeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            customer_services.merge(by=request.user, keep=keep, duplicate=duplicate)
        except DomainError as error:
            _form_error(form, error)
        else:
            messages.success(request, f"Record {duplicate.pk} merged into this one.")
            return redirect("staff:customer", customer_id=keep.pk)
    return render(
        request,
        "staff/customer_merge.html",
        {
            "keep": keep,
            "duplicate": duplicate,
            "form": form,
            "duplicate_cases": customer_services.cases_of(request.user, duplicate),
        },
    )
