"""Forms of the correspondence screens: they parse input; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet

from heard.core.errors import DomainError
from heard.correspondence.models import LetterTemplate


class TemplateChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} — {obj.get_language_display()}"


class NewLetterForm(forms.Form):
    template = TemplateChoice(
        queryset=LetterTemplate.objects.none(),
        label="Template",
        help_text="The letter or email starts from this wording, filled in from the case.",
        empty_label="Choose a template",
        error_messages={"required": "Choose a template.", "invalid_choice": "Choose a template."},
    )

    def __init__(self, *args: Any, templates: QuerySet[LetterTemplate], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["template"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = templates


class LetterForm(forms.Form):
    recipient = forms.CharField(
        label="To", max_length=254, error_messages={"required": "Enter who it is to."}
    )
    address = forms.CharField(
        label="Postal address",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    subject = forms.CharField(
        label="Subject", max_length=200, error_messages={"required": "Enter a subject."}
    )
    body = forms.CharField(
        label="Text",
        widget=forms.Textarea(attrs={"rows": 24}),
        help_text="Replace any text in [[double brackets]] before you send it.",
        error_messages={"required": "Enter the text of the letter or email."},
    )

    def __init__(self, *args: Any, email: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if email:
            del self.fields["address"]
            self.fields["recipient"].label = "Email address"
        else:
            self.fields["recipient"].label = "Addressed to"
            self.fields["recipient"].help_text = "The name at the top of the address."


class CheckForm(forms.Form):
    comments = forms.CharField(
        label="Comments for the author",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Needed if you return it. Say what needs to change.",
    )


def add_domain_error(form: forms.Form, error: DomainError) -> None:
    """Show a refusal on the field it is about, or above the form."""
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)
