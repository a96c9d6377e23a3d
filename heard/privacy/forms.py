from __future__ import annotations

from django import forms


class ReadFilterForm(forms.Form):
    person = forms.CharField(label="Who (username)", required=False, max_length=150)
    case = forms.CharField(label="Case reference", required=False, max_length=24)
    customer = forms.IntegerField(label="Customer number", required=False, min_value=1)
    from_date = forms.DateField(
        label="From (YYYY-MM-DD)",
        required=False,
        error_messages={"invalid": "Enter the from date as year-month-day, like 2026-03-31."},
    )
    to_date = forms.DateField(
        label="To (YYYY-MM-DD)",
        required=False,
        error_messages={"invalid": "Enter the to date as year-month-day, like 2026-03-31."},
    )

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        start, end = data.get("from_date"), data.get("to_date")
        if start and end and start > end:
            self.add_error("to_date", "The to date must be the same as or after the from date.")
        return data


class PersonForm(forms.Form):
    customer = forms.CharField(
        label="Customer number or email address",
        max_length=254,
        help_text="The number is on the customer's page. Merged duplicate records are included.",
        error_messages={"required": "Enter the customer number or their email address."},
    )


class ErasureForm(PersonForm):
    reason = forms.CharField(
        label="Why is this person's data being erased?",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example, the erasure request's date and your reference. Kept with the record of the erasure.",
        error_messages={"required": "Say why this person's data is being erased."},
    )
    confirmed = forms.BooleanField(
        label="I understand that erasure cannot be undone",
        error_messages={"required": "Confirm that you understand erasure cannot be undone."},
    )
