"""Forms of the staff screens. They check the shape of what was typed; the rules live in services."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django import forms
from django.contrib.auth import get_user_model

from heard.cases.models import (
    Channel,
    ContactPreference,
    Kind,
    Outcome,
    RepresentativeRole,
    RestrictionKind,
    RoutingRule,
)
from heard.cases.triage import TRIAGE_KINDS, Next
from heard.org.models import Role, Service, ServiceRequestCategory

User = get_user_model()
BLANK = [("", "Choose…")]


class DateField(forms.MultiValueField):
    """The GOV.UK date input: day, month and year boxes, with errors a person can act on."""

    widget: Any

    def __init__(self, **kwargs: Any) -> None:
        fields = (
            forms.IntegerField(min_value=1, max_value=31),
            forms.IntegerField(min_value=1, max_value=12),
            forms.IntegerField(min_value=2000, max_value=2100),
        )
        super().__init__(
            fields=fields,
            require_all_fields=False,
            widget=forms.MultiWidget(widgets=[forms.TextInput()] * 3),
            error_messages={"invalid": "Enter a real date, for example 27 3 2027."},
            **kwargs,
        )
        self.widget.widget_type = "date"

    def compress(self, data_list: list[Any]) -> date | None:
        if not data_list or all(v in (None, "") for v in data_list):
            return None
        if any(v in (None, "") for v in data_list):
            raise forms.ValidationError("The date must include a day, month and year.")
        day, month, year = data_list
        try:
            return date(year, month, day)
        except ValueError as error:
            raise forms.ValidationError("Enter a real date, for example 27 3 2027.") from error


def _officers() -> Any:
    handlers = [
        Role.FRONT_LINE_OFFICER,
        Role.INVESTIGATING_OFFICER,
        Role.HEAD_OF_SERVICE,
        Role.COMPLAINTS_TEAM,
        Role.PANEL_MEMBER,
    ]
    return (
        User.objects.filter(is_active=True, roles__role__in=handlers)
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


class OfficerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.get_full_name() or obj.username


class TriageForm(forms.Form):
    channel = forms.ChoiceField(
        label="How did they contact us?",
        choices=[(c.value, c.label) for c in Channel if c != Channel.WEB],
        initial=Channel.PHONE,
    )
    kind = forms.ChoiceField(
        label="What kind of contact is it?",
        choices=[(k.value, k.label) for k in TRIAGE_KINDS],
    )
    routing_rule = forms.ModelChoiceField(
        label="Is it about one of these? (its own procedure applies)",
        queryset=RoutingRule.objects.filter(active=True),
        required=False,
        empty_label="No, none of these",
    )
    service = forms.ModelChoiceField(
        label="Service", queryset=Service.objects.all(), required=False, empty_label="Not known yet"
    )
    category = forms.ModelChoiceField(
        label="What is being asked for? (service requests)",
        queryset=ServiceRequestCategory.objects.filter(procedure__isnull=False).select_related(
            "service"
        ),
        required=False,
        empty_label="Not a service request",
    )
    subject = forms.CharField(label="Subject", max_length=200, help_text="A short summary.")
    description = forms.CharField(
        label="What did they tell us?", widget=forms.Textarea(attrs={"rows": 6}), max_length=20000
    )
    name = forms.CharField(label="Customer's full name", max_length=200)
    email = forms.EmailField(label="Email address", required=False)
    phone = forms.CharField(label="Phone number", max_length=40, required=False)
    address = forms.CharField(
        label="Address, with postcode",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
    )
    contact_preference = forms.ChoiceField(
        label="How would they like us to reply?",
        choices=ContactPreference.choices,
        initial=ContactPreference.PHONE,
    )
    representative_name = forms.CharField(
        label="Councillor, MP or representative acting for them (if any)",
        max_length=200,
        required=False,
    )
    representative_role = forms.ChoiceField(
        label="Who is the representative?",
        choices=BLANK + list(RepresentativeRole.choices),
        required=False,
    )
    then = forms.ChoiceField(
        label="What happens next?",
        choices=[
            (Next.RESOLVE.value, "Resolved now, at first contact"),
            (Next.ALLOCATE.value, "Allocate it to a service or officer"),
            (Next.TRIAGE.value, "Leave it in the triage queue"),
        ],
        initial=Next.TRIAGE.value,
        widget=forms.RadioSelect,
    )
    resolution = forms.CharField(
        label="How was it resolved? (if resolved now)",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=20000,
    )
    officer = OfficerChoiceField(
        label="Officer (if allocating)", queryset=User.objects.none(), required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["officer"].queryset = _officers()  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not (data.get("email") or data.get("phone") or data.get("address")):
            self.add_error("email", "Enter at least one way to reach the customer.")
        return data


class AcknowledgeForm(forms.Form):
    pass


class AllocateForm(forms.Form):
    service = forms.ModelChoiceField(
        label="Service", queryset=Service.objects.all(), required=False, empty_label="Keep as it is"
    )
    officer = OfficerChoiceField(
        label="Officer", queryset=User.objects.none(), required=False, empty_label="Keep as it is"
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["officer"].queryset = _officers()  # type: ignore[attr-defined]


class ExtendForm(forms.Form):
    new_date = DateField(label="New response date", help_text="For example, 18 12 2026.")
    reason = forms.CharField(
        label="Why more time is needed", widget=forms.Textarea(attrs={"rows": 4}), max_length=20000
    )
    customer_told_how = forms.ChoiceField(
        label="How was the customer told?",
        choices=[(c.value, c.label) for c in Channel if c not in (Channel.WEB,)],
        initial=Channel.EMAIL,
    )


class RespondForm(forms.Form):
    outcome = forms.ChoiceField(
        label="Outcome",
        choices=[(o.value, o.label) for o in Outcome],
        widget=forms.RadioSelect,
        required=False,
    )
    summary = forms.CharField(
        label="What the response said",
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=20000,
        required=False,
    )
    apology = forms.BooleanField(label="An apology was made", required=False)
    action = forms.CharField(
        label="Action to put things right (if any)",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=20000,
        required=False,
    )
    amount = forms.DecimalField(
        label="Financial redress, in pounds (if any)",
        min_value=Decimal("0.01"),
        max_digits=10,
        decimal_places=2,
        required=False,
    )
    lessons_learned = forms.CharField(
        label="Lessons learned",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=20000,
        required=False,
    )

    def remedies(self) -> list[dict[str, Any]]:
        data = self.cleaned_data
        remedies: list[dict[str, Any]] = []
        if data.get("apology"):
            remedies.append({"kind": "apology", "description": "Apology"})
        if data.get("action"):
            remedies.append({"kind": "action", "description": data["action"]})
        if data.get("amount"):
            remedies.append({"kind": "financial", "description": "", "amount": data["amount"]})
        return remedies


class EscalateForm(forms.Form):
    unresolved = forms.CharField(
        label="What does the customer remain unhappy with?",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=20000,
    )


class CloseForm(forms.Form):
    note = forms.CharField(
        label="Closing note (optional)",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=20000,
        required=False,
    )


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label="Why is the case being reopened?",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=20000,
    )


class NoteForm(forms.Form):
    text = forms.CharField(
        label="Add a note", widget=forms.Textarea(attrs={"rows": 4}), max_length=20000
    )


class LinkForm(forms.Form):
    reference = forms.CharField(label="Reference of the other case", max_length=24)
    reason = forms.CharField(label="Why are they linked?", max_length=300)


class AttachmentForm(forms.Form):
    file = forms.FileField(label="Add a file", help_text="A photo, PDF or document, up to 10 MB.")


class RestrictForm(forms.Form):
    kind = forms.ChoiceField(
        label="What is restricted?", choices=RestrictionKind.choices, widget=forms.RadioSelect
    )
    details = forms.CharField(
        label="Exactly what the restriction is",
        help_text="For example: contact by email only, to the named officer.",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=20000,
    )
    reason = forms.CharField(
        label="Why it is needed",
        help_text="The behaviour, with dates, and why a lesser step would not do.",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=20000,
    )
    review_on = DateField(label="Review date", help_text="Within 12 months, for example 1 6 2027.")


class ReviewRestrictionForm(forms.Form):
    decision = forms.ChoiceField(
        label="Decision",
        choices=[("keep", "Keep the restriction"), ("end", "End the restriction")],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label="What the review found", widget=forms.Textarea(attrs={"rows": 3}), max_length=20000
    )
    next_review_on = DateField(label="Next review date (if kept)", required=False)


class MergeForm(forms.Form):
    confirm = forms.BooleanField(label="I have checked these are the same person", required=True)


class FilterForm(forms.Form):
    service = forms.ModelChoiceField(
        label="Service", queryset=Service.objects.all(), required=False, empty_label="All"
    )
    kind = forms.ChoiceField(
        label="Kind", choices=[("", "All"), *list(Kind.choices)], required=False
    )
    stage = forms.ChoiceField(
        label="Stage", choices=[("", "All"), ("1", "1"), ("2", "2"), ("3", "3")], required=False
    )
    channel = forms.ChoiceField(
        label="Channel", choices=[("", "All"), *list(Channel.choices)], required=False
    )
