"""The correspondence screens: thin views over correspondence.services and selectors."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from heard.cases.models import Case
from heard.core.errors import DomainError, NotFound
from heard.correspondence import selectors, services
from heard.correspondence.forms import CheckForm, LetterForm, NewLetterForm, add_domain_error
from heard.correspondence.lifecycle import Step, allowed
from heard.correspondence.merge import long_date
from heard.correspondence.models import Letter, LetterStatus, Medium
from heard.org import access
from heard.org.access import Permission
from heard.org.calendars import get_organisation, organisation_calendar

ACTIONS = ("save", "submit", "send", "approve", "return")


@login_required
@require_http_methods(["GET", "POST"])
def case_letters(request: HttpRequest, reference: str) -> HttpResponse:
    """The case's letters and emails, and a form to start a new one from a template."""
    case = _case(request, reference)
    may_write = access.may(request.user, Permission.RESPOND)
    form = NewLetterForm(
        request.POST if request.method == "POST" else None, templates=selectors.templates_for(case)
    )
    if request.method == "POST" and form.is_valid():
        try:
            letter = services.draft_letter(
                case=case, template=form.cleaned_data["template"], by=request.user
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, "Your draft is ready. Check it, change it and save it.")
            return redirect("correspondence:letter", reference=case.reference, letter_id=letter.pk)
    return render(
        request,
        "correspondence/case.html",
        {
            "case": case,
            "letters": selectors.letters_on(case),
            "form": form,
            "may_write": may_write,
            "org_timezone": get_organisation().timezone,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def letter_detail(request: HttpRequest, reference: str, letter_id: int) -> HttpResponse:
    """One letter: edit the draft, send it for its check, check it, send it."""
    case = _case(request, reference)
    letter = _letter(case, letter_id)
    user = request.user
    editable = allowed(letter, Step.EDIT) and letter.author_id == user.pk
    posted = request.method == "POST"
    action = request.POST.get("action", "") if posted else ""
    if posted and action not in ACTIONS:
        return HttpResponseBadRequest("Unknown action.")
    initial = {
        "recipient": letter.recipient,
        "address": letter.address,
        "subject": letter.subject,
        "body": letter.body,
    }
    letter_form = (
        LetterForm(
            request.POST if posted and action in {"save", "submit", "send"} else None,
            initial=initial,
            email=letter.is_email,
        )
        if editable
        else None
    )
    may_check = letter.status == LetterStatus.AWAITING_CHECK and selectors.may_check(user, letter)
    check_form = CheckForm(request.POST if action in {"approve", "return"} else None)
    action_form = forms.Form(request.POST if posted else None)

    if posted:
        target: forms.Form = action_form
        if action in {"approve", "return"}:
            target = check_form
        elif letter_form is not None:
            target = letter_form
        try:
            outcome = _act(request, letter, action, letter_form, check_form)
        except DomainError as error:
            add_domain_error(target, error)
        else:
            if outcome:
                messages.success(request, outcome)
                return redirect(
                    "correspondence:letter", reference=case.reference, letter_id=letter.pk
                )
    return render(
        request,
        "correspondence/letter.html",
        {
            "case": case,
            "letter": letter,
            "letter_form": letter_form,
            "check_form": check_form if may_check else None,
            "check_errors": check_form if action in {"approve", "return"} else None,
            "action_form": action_form,
            "may_submit": editable,
            "may_send": allowed(letter, Step.SEND)
            and access.may(user, Permission.RESPOND)
            and (letter.status == LetterStatus.APPROVED or letter.author_id == user.pk),
            "check_required": selectors.check_required(letter),
            "history": selectors.history_of(letter),
            "org_timezone": get_organisation().timezone,
        },
    )


@login_required
@require_GET
def print_letter(request: HttpRequest, reference: str, letter_id: int) -> HttpResponse:
    """The letter as it is printed and posted."""
    case = _case(request, reference)
    letter = _letter(case, letter_id)
    if letter.medium != Medium.LETTER:
        raise Http404("Only letters by post have a printable copy.")
    organisation = get_organisation()
    dated = organisation_calendar(organisation).local_date(letter.sent_at or timezone.now())
    return render(
        request,
        "correspondence/print.html",
        {
            "case": case,
            "letter": letter,
            "organisation": organisation,
            "letter_date": long_date(dated, letter.language),
            "final": letter.status in {LetterStatus.APPROVED, LetterStatus.SENT}
            or (letter.status == LetterStatus.DRAFT and not selectors.check_required(letter)),
        },
    )


@login_required
@require_GET
def awaiting_check(request: HttpRequest) -> HttpResponse:
    """Letters and emails waiting for a quality check that this user may do."""
    return render(
        request,
        "correspondence/awaiting.html",
        {
            "letters": selectors.awaiting_check_for(request.user),
            "org_timezone": get_organisation().timezone,
        },
    )


def _act(
    request: HttpRequest,
    letter: Letter,
    action: str,
    letter_form: LetterForm | None,
    check_form: CheckForm,
) -> str:
    """Run the service the button asks for; the message to show, or "" if the form is invalid."""
    user = request.user
    if letter_form is not None and action in {"save", "submit", "send"}:
        if not letter_form.is_valid():
            return ""
        letter = services.edit_letter(
            letter,
            by=user,
            recipient=letter_form.cleaned_data["recipient"],
            address=letter_form.cleaned_data.get("address", ""),
            subject=letter_form.cleaned_data["subject"],
            body=letter_form.cleaned_data["body"],
        )
    elif action == "save":
        # Not editable by this user now (a page left open, someone else's letter): the
        # service says why.
        services.edit_letter(
            letter,
            by=user,
            recipient=request.POST.get("recipient", ""),
            address=request.POST.get("address", ""),
            subject=request.POST.get("subject", ""),
            body=request.POST.get("body", ""),
        )
    if action == "save":
        return "Your changes have been saved."
    if action == "submit":
        services.submit_for_check(letter, by=user)
        return "Sent for its quality check. A second person will approve it or return it to you."
    if action == "send":
        letter = services.send(letter, by=user)
        if letter.is_email:
            return (
                f"The email to {letter.recipient} is on its way. The copy sent is kept on the case."
            )
        return f"Recorded as posted to {letter.recipient}. The copy sent is kept on the case."
    if not check_form.is_valid():
        return ""
    comments = check_form.cleaned_data["comments"]
    if action == "approve":
        services.approve(letter, by=user, comments=comments)
        return "Approved. It can now be sent."
    services.return_letter(letter, by=user, comments=comments)
    return "Returned to its author with your comments."


def _case(request: HttpRequest, reference: str) -> Case:
    try:
        return access.access_case(request.user, reference)
    except NotFound as error:
        raise Http404(error.message) from error


def _letter(case: Case, letter_id: int) -> Letter:
    # Looked up through the case, so a letter on a case the user cannot see is not found.
    letter = selectors.letters_on(case).filter(pk=letter_id).first()
    if letter is None:
        raise Http404("There is no such letter on this case.")
    return letter
