"""Forms of the improvement screens. They check the shape of what was typed; the rules live in
:mod:`heard.improvement.services`."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model

from heard.improvement import evidence
from heard.improvement.models import (
    ActionPlan,
    Cycle,
    Priority,
    Progress,
    Rating,
    ScoringCriterion,
    SuggestionStatus,
)
from heard.learning.models import Lesson, Theme
from heard.staff.forms import DateField

User = get_user_model()


class PersonField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.get_full_name() or obj.username


def _people() -> Any:
    return (
        User.objects.filter(is_active=True, roles__isnull=False)
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


def _textarea(rows: int = 4) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


class PriorityForm(forms.Form):
    priority = forms.ChoiceField(
        label="Priority",
        choices=Priority.choices,
        required=False,
        widget=forms.RadioSelect,
    )
    guidance = forms.CharField(
        label="Guidance notes",
        required=False,
        widget=_textarea(6),
        help_text="What counts as evidence here, who to ask, where it is kept.",
    )


class AssessmentForm(forms.Form):
    title = forms.CharField(
        label="Title",
        max_length=200,
        help_text="For example, Customer Service Excellence annual review 2026.",
        error_messages={"required": "Enter a title."},
    )
    cycle = forms.ChoiceField(
        label="Which assessment is it?",
        choices=Cycle.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose initial assessment, annual review or reassessment."},
    )
    assessment_on = DateField(
        label="Date of the assessment", help_text="For example, 1 9 2026.", required=False
    )
    lead = PersonField(
        label="Lead", queryset=_people(), required=False, empty_label="Choose a lead…"
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["lead"].queryset = _people()  # type: ignore[attr-defined]

    def clean_assessment_on(self) -> Any:
        value = self.cleaned_data.get("assessment_on")
        if value is None:
            raise forms.ValidationError("Enter the date of the assessment.")
        return value


class ElementRatingForm(forms.Form):
    rating = forms.ChoiceField(
        label="Rating",
        choices=[*Rating.choices, ("", "Not rated yet")],
        required=False,
        widget=forms.RadioSelect,
    )
    commentary = forms.CharField(
        label="Commentary",
        required=False,
        widget=_textarea(6),
        help_text="How the organisation meets the element, and what is still to do.",
    )
    owner = PersonField(label="Owner", queryset=_people(), required=False, empty_label="No owner")
    review_on = DateField(label="Review date", help_text="For example, 1 12 2026.", required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = _people()  # type: ignore[attr-defined]


class LinkForm(forms.Form):
    title = forms.CharField(
        label="Title of the evidence",
        max_length=200,
        error_messages={"required": "Enter a title for the evidence."},
    )
    url = forms.CharField(
        label="Web address",
        max_length=500,
        help_text="Starting with https://",
        error_messages={"required": "Enter the link's full address, starting with https://"},
    )


class DocumentForm(forms.Form):
    title = forms.CharField(
        label="Title of the document",
        max_length=200,
        error_messages={"required": "Enter a title for the evidence."},
    )
    document = forms.FileField(
        label="Document",
        help_text="PDF, Word, Excel, PowerPoint, OpenDocument, CSV, text, PNG or JPEG.",
        error_messages={"required": "Choose a document to upload."},
    )


class LiveForm(forms.Form):
    measure = forms.ChoiceField(
        label="Figure from Heard",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose one of Heard's figures."},
    )
    period = forms.ChoiceField(
        label="Worked out for",
        choices=list(evidence.PERIODS.items()),
        initial=evidence.TWELVE_MONTHS,
        required=False,
        widget=forms.RadioSelect,
    )

    def clean_period(self) -> str:
        return str(self.cleaned_data.get("period") or evidence.TWELVE_MONTHS)

    def __init__(self, *args: Any, element_number: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["measure"].choices = [  # type: ignore[attr-defined]
            (
                m.key,
                m.label + (" (suggested for this element)" if element_number in m.elements else ""),
            )
            for m in evidence.suggested_for(element_number)
        ]


class PlanForm(forms.Form):
    title = forms.CharField(
        label="Title",
        max_length=200,
        help_text="For example, Complaints scrutiny action plan April 2026.",
        error_messages={"required": "Enter the plan's title."},
    )
    owner_body = forms.CharField(
        label="Owned by",
        max_length=200,
        required=False,
        help_text="For example, the Complaints Scrutiny Panel.",
    )


class ActionForm(forms.Form):
    text = forms.CharField(
        label="Action or recommendation",
        widget=_textarea(4),
        error_messages={"required": "Enter the action or recommendation."},
    )
    category = forms.CharField(
        label="Category", max_length=40, required=False, help_text="For example, S (SPIRIT)."
    )
    lead_officers = forms.CharField(
        label="Lead officer or officers",
        max_length=300,
        error_messages={"required": "Enter the lead officer or officers."},
    )
    lead = PersonField(
        label="Lead officer's Heard account",
        queryset=_people(),
        required=False,
        empty_label="No account",
        help_text="Reminders go to them when the action passes its completion date, and a head "
        "of service may record progress on the actions they lead.",
    )
    starts_on = DateField(label="Start date", help_text="For example, 11 4 2026.", required=False)
    ends_on = DateField(
        label="Anticipated completion date", help_text="For example, 31 10 2026.", required=False
    )
    outcomes_for_customers = forms.CharField(
        label="Outcomes for customers", widget=_textarea(3), required=False
    )
    success_factors = forms.CharField(label="Success factors", widget=_textarea(3), required=False)
    risk_reference = forms.CharField(
        label="Risk register reference", max_length=100, required=False
    )
    reports_to = forms.CharField(
        label="Progress reports go to",
        max_length=300,
        required=False,
        help_text="For example, Customer Panel, Cabinet.",
    )
    elements = forms.CharField(
        label="CSE elements",
        max_length=300,
        required=False,
        help_text="Element numbers separated by commas, for example 4.3.4, 4.3.5.",
    )

    themes = forms.ModelMultipleChoiceField(
        label="Complaint themes it answers",
        queryset=Theme.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    lessons = forms.ModelMultipleChoiceField(
        label="Lessons learned it puts into practice",
        queryset=Lesson.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["lead"].queryset = _people()  # type: ignore[attr-defined]
        self.fields["themes"].queryset = Theme.objects.filter(active=True)  # type: ignore[attr-defined]
        self.fields["lessons"].queryset = Lesson.objects.order_by("title")  # type: ignore[attr-defined]

    def clean_themes(self) -> tuple[Any, ...]:
        return tuple(self.cleaned_data.get("themes") or ())

    def clean_lessons(self) -> tuple[Any, ...]:
        return tuple(self.cleaned_data.get("lessons") or ())

    def clean_elements(self) -> tuple[str, ...]:
        raw = self.cleaned_data.get("elements") or ""
        return tuple(part.strip() for part in raw.replace(";", ",").split(",") if part.strip())


class PlanChoiceForm(ActionForm):
    plan = forms.ModelChoiceField(
        label="Plan",
        queryset=ActionPlan.objects.all(),
        empty_label="Choose a plan…",
        error_messages={"required": "Choose the plan the action goes in."},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["plan"].queryset = ActionPlan.objects.all()  # type: ignore[attr-defined]


class ReviewForm(forms.Form):
    reviewed_on = DateField(
        label="Date of the review", help_text="For example, 17 5 2026.", required=False
    )

    def clean_reviewed_on(self) -> Any:
        value = self.cleaned_data.get("reviewed_on")
        if value is None:
            raise forms.ValidationError("Enter the date of the review.")
        return value


class ProgressForm(forms.Form):
    evidence = forms.CharField(
        label="Evidence of progress",
        widget=_textarea(6),
        error_messages={"required": "Enter the evidence of progress."},
    )
    category = forms.TypedChoiceField(
        label="Assessment of progress",
        choices=Progress.choices,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose the assessment of progress: 1 achieved fully, 2 on track, "
            "3 slipped or 4 not achieved."
        },
    )


class SuggestionForm(forms.Form):
    title = forms.CharField(
        label="Your idea in a few words",
        max_length=200,
        error_messages={"required": "Enter a short title for your idea."},
    )
    idea = forms.CharField(
        label="Your idea",
        widget=_textarea(6),
        error_messages={"required": "Enter your idea."},
    )
    benefit = forms.CharField(
        label="Who would it help, and how?", widget=_textarea(3), required=False
    )
    anonymous = forms.BooleanField(label="Do not show my name to the review panel", required=False)


class DecisionForm(forms.Form):
    status = forms.ChoiceField(
        label="Decision",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what the panel decided."},
    )
    reason = forms.CharField(
        label="Reason (the person who made the suggestion will see it)",
        widget=_textarea(3),
        required=False,
    )

    def __init__(
        self, *args: Any, statuses: list[SuggestionStatus] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [(s.value, s.label) for s in statuses or []]  # type: ignore[attr-defined]


class AwardForm(forms.Form):
    award = forms.CharField(
        label="Award",
        max_length=200,
        help_text="For example, Best idea of the quarter.",
        error_messages={"required": "Enter the award."},
    )
    award_round = forms.CharField(
        label="Round",
        max_length=40,
        help_text="For example, 2026 Q1.",
        error_messages={"required": "Enter the round, for example 2026 Q1."},
    )


class _LastDayOfAccess:
    def clean_expires_on(self) -> Any:
        value = self.cleaned_data.get("expires_on")  # type: ignore[attr-defined]
        if value is None:
            raise forms.ValidationError("Enter the last day of access, for example 30 9 2026.")
        return value


class GrantAccessForm(_LastDayOfAccess, forms.Form):
    username = forms.CharField(
        label="The assessor's username",
        max_length=150,
        error_messages={"required": "Enter the assessor's username."},
    )
    expires_on = DateField(
        label="Last day of access", help_text="For example, 30 9 2026.", required=False
    )


class CreateAssessorForm(_LastDayOfAccess, forms.Form):
    full_name = forms.CharField(
        label="Full name",
        max_length=300,
        error_messages={"required": "Enter the assessor's full name."},
    )
    email = forms.CharField(
        label="Email address",
        max_length=254,
        error_messages={"required": "Enter the assessor's email address, like name@example.org."},
    )
    username = forms.CharField(
        label="Username",
        max_length=150,
        help_text="Letters, numbers, full stops, hyphens or underscores.",
        error_messages={"required": "Enter a username for the assessor."},
    )
    expires_on = DateField(
        label="Last day of access", help_text="For example, 30 9 2026.", required=False
    )


class PlanImportForm(forms.Form):
    file = forms.FileField(
        label="Action plan (CSV)",
        help_text="A CSV file with a header row; see the columns below.",
        error_messages={"required": "Choose the CSV file of the action plan."},
    )


class ScoreForm(forms.Form):
    """A score from 1 to 5 against each of the panel's published criteria."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for criterion in ScoringCriterion:
            self.fields[criterion.value] = forms.TypedChoiceField(
                label=criterion.label,
                choices=[(n, str(n)) for n in range(1, 6)],
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={
                    "required": f"Score “{criterion.label}” from 1 (not at all) to 5 (very much)."
                },
            )
