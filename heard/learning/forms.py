"""Forms of the learning screens. They check the shape of what was typed; the rules live in the
services (:mod:`heard.learning.classification`, :mod:`heard.learning.lessons`…)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from django import forms
from django.contrib.auth import get_user_model

from heard.learning.models import LessonStatus, RootCause, Theme, WarningStatus
from heard.learning.suggestions import SuggestedTheme
from heard.org.models import Service
from heard.staff.forms import DateField


class ClassificationForm(forms.Form):
    """Themes (several may apply) and the root cause, for the respond step or the case page.

    Its fields are prefixed ``learning-`` so it can sit inside another form. Suggested themes
    come first, labelled with how likely Heard thinks they are.
    """

    themes = forms.MultipleChoiceField(
        label="What was it about?",
        help_text="Choose every theme that applies.",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one theme that says what it was about."},
    )
    root_cause = forms.ChoiceField(
        label="Root cause",
        required=False,
        widget=forms.RadioSelect,
        help_text="Why it went wrong, if it did.",
    )
    suggested = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(
        self,
        data: Any = None,
        *,
        suggestions: Sequence[SuggestedTheme] = (),
        prefix: str = "learning",
        **kwargs: Any,
    ) -> None:
        super().__init__(data, prefix=prefix, **kwargs)
        suggested = {s.theme.slug: s for s in suggestions}
        themes = list(Theme.objects.filter(active=True))
        themes.sort(
            key=lambda t: (
                t.slug not in suggested,
                -(suggested[t.slug].confidence if t.slug in suggested else 0),
            )
        )
        themes_field = self.fields["themes"]
        assert isinstance(themes_field, forms.MultipleChoiceField)
        themes_field.choices = [
            (
                t.slug,
                f"{t.name} — suggested, {suggested[t.slug].percent}% likely"
                if t.slug in suggested
                else t.name,
            )
            for t in themes
        ]
        cause_field = self.fields["root_cause"]
        assert isinstance(cause_field, forms.ChoiceField)
        cause_field.choices = [("", "Not known yet")] + [
            (c.slug, c.name) for c in RootCause.objects.filter(active=True)
        ]
        if suggestions and not self.is_bound:
            self.initial["suggested"] = json.dumps([s.as_dict() for s in suggestions])

    def clean_suggested(self) -> list[dict[str, Any]]:
        try:
            value = json.loads(self.cleaned_data.get("suggested") or "[]")
        except ValueError:
            return []
        if not isinstance(value, list):
            return []
        return [
            {"theme": str(v["theme"]), "confidence": float(v["confidence"])}
            for v in value
            if isinstance(v, dict) and "theme" in v and "confidence" in v
        ][:5]


class PersonField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.get_full_name() or obj.username


class LessonForm(forms.Form):
    title = forms.CharField(label="Lesson", max_length=200)
    you_said = forms.CharField(
        label="You said",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What customers told us, for the public: no names, references or addresses.",
    )
    we_did = forms.CharField(
        label="We did",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What we changed or are changing, for the public.",
    )
    notes = forms.CharField(
        label="Internal notes", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    themes = forms.ModelMultipleChoiceField(
        label="Themes",
        required=False,
        queryset=Theme.objects.filter(active=True),
        widget=forms.CheckboxSelectMultiple,
    )
    cases = forms.CharField(
        label="Cases it came from",
        required=False,
        help_text="References separated by commas or spaces, for example CMP-2026-000123.",
    )
    service = forms.ModelChoiceField(
        label="Service", required=False, queryset=Service.objects.all()
    )
    owner = PersonField(
        label="Owner of the change",
        required=False,
        queryset=get_user_model().objects.filter(is_active=True, roles__isnull=False).distinct(),
    )
    due_on = DateField(label="Change due by", required=False)
    status = forms.ChoiceField(label="Where it has got to", choices=LessonStatus.choices)
    changed_on = DateField(label="Date the change was made", required=False)
    evidence = forms.CharField(
        label="Evidence the change was made",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    public = forms.BooleanField(
        label="Publish as 'you said, we did' on the public page", required=False
    )

    def case_references(self) -> list[str]:
        raw = self.cleaned_data.get("cases") or ""
        return [r for r in raw.replace(",", " ").split() if r]


class WarningDecisionForm(forms.Form):
    status = forms.ChoiceField(
        label="What are you doing about it?",
        choices=[
            (WarningStatus.ACKNOWLEDGED, "Acknowledge: we are looking into it"),
            (WarningStatus.DISMISSED, "Dismiss: it needs no action"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether to acknowledge or dismiss the warning."},
    )
    note = forms.CharField(
        label="Note",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What is being done, or why it needs no action (required to dismiss).",
    )


class InsightForm(forms.Form):
    """The insight screen's choices: how many months, and optionally one service."""

    months = forms.TypedChoiceField(
        label="Months",
        coerce=int,
        initial=12,
        choices=[
            (3, "Last 3 months"),
            (6, "Last 6 months"),
            (12, "Last 12 months"),
            (24, "Last 24 months"),
        ],
        error_messages={"invalid_choice": "Choose 3, 6, 12 or 24 months."},
    )
    service = forms.ModelChoiceField(
        label="Service",
        required=False,
        queryset=Service.objects.order_by("name"),
        empty_label="All services",
        error_messages={"invalid_choice": "Choose one of the services listed, or all services."},
    )
