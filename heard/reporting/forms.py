"""Forms of the reporting pages: parse and check input, nothing more."""

from __future__ import annotations

from typing import Any

from django import forms

from heard.cases.models import Channel, Kind
from heard.core.errors import InvalidInput
from heard.reporting import periods
from heard.reporting.imports import MAX_BYTES
from heard.reporting.models import Import


class PeriodField(forms.CharField):
    def clean(self, value: Any) -> periods.Period:
        text = super().clean(value)
        try:
            return periods.parse(text)
        except InvalidInput as error:
            raise forms.ValidationError(error.message) from None


class FilterForm(forms.Form):
    period = PeriodField(
        label="Period",
        help_text="A month (2026-03), a quarter (2026-Q1), a financial year (FY2025) or a year.",
    )
    service = forms.TypedChoiceField(label="Service", required=False, coerce=int, empty_value=None)
    directorate = forms.TypedChoiceField(
        label="Directorate", required=False, coerce=int, empty_value=None
    )
    kind = forms.ChoiceField(
        label="Kind of contact",
        required=False,
        choices=[("", "Complaints (stage figures); every kind (volumes)"), *Kind.choices],
    )
    channel = forms.ChoiceField(
        label="Channel", required=False, choices=[("", "Every channel"), *Channel.choices]
    )
    stage = forms.TypedChoiceField(
        label="Stage",
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", "Every stage"), ("1", "Stage 1"), ("2", "Stage 2"), ("3", "Stage 3")],
    )

    def __init__(self, *args: Any, services: list[Any], directorates: list[Any], **kwargs: Any):
        super().__init__(*args, **kwargs)
        service_field = self.fields["service"]
        assert isinstance(service_field, forms.ChoiceField)
        service_field.choices = [("", "Every service you can see")] + [
            (str(s.pk), s.name) for s in services
        ]
        directorate_field = self.fields["directorate"]
        assert isinstance(directorate_field, forms.ChoiceField)
        if directorates:
            directorate_field.choices = [("", "Every directorate")] + [
                (str(d.pk), d.name) for d in directorates
            ]
        else:
            del self.fields["directorate"]


class PeriodForm(forms.Form):
    period = PeriodField(
        label="Period",
        help_text="A month (2026-03), a quarter (2026-Q1), a financial year (FY2025) or a year.",
    )


class ExplainForm(forms.Form):
    explanation = forms.CharField(
        label="Why the standard was missed",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
        error_messages={"required": "Explain why the standard was missed."},
        help_text="Published with the figure. Write for customers: no names or case details.",
    )
    action = forms.CharField(
        label="What we are doing about it",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
        error_messages={"required": "Say what is being done to put it right."},
    )


class ImportForm(forms.Form):
    kind = forms.ChoiceField(
        label="What the file holds",
        choices=[("", "Choose…"), *Import.Kind.choices],
        error_messages={"required": "Choose what kind of file this is."},
    )
    file = forms.FileField(
        label="CSV file",
        help_text="Comma-separated, with a header row. At most 5 MB.",
        error_messages={
            "required": "Choose the CSV file to import.",
            "empty": "The file is empty.",
        },
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(
                "The file is larger than 5 MB; split it into smaller files."
            )
        return upload


class PublishForm(forms.Form):
    improvements = forms.CharField(
        label="You said, we did",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="What changed because of what customers told us. Published as written.",
    )
