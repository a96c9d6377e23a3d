"""The public forms, one question (or a few close ones) per page, in GOV.UK patterns."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from heard.cases.models import AccessFormat, ContactPreference
from heard.core.forms import ShortListChoiceField
from heard.equality import models as equality
from heard.org.models import Service, ServiceRequestCategory
from heard.portal.models import Rating

KIND_CHOICES = [
    ("complaint", _("Make a complaint")),
    ("compliment", _("Pay a compliment")),
    ("comment", _("Make a comment or suggestion")),
    ("service_request", _("Report a problem or request a service")),
]


class KindForm(forms.Form):
    kind = forms.ChoiceField(
        choices=KIND_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": _("Select what you would like to do")},
    )


class StaffKindForm(KindForm):
    """For staff entering the form on a customer's behalf: how the customer got in touch."""

    channel = forms.ChoiceField(
        choices=[
            ("phone", _("Phone")),
            ("letter", _("Letter")),
            ("in_person", _("In person")),
            ("email", _("Email")),
            ("social_media", _("Social media")),
        ],
        widget=forms.RadioSelect,
        label=_("How did the customer contact us?"),
        error_messages={"required": _("Select how the customer contacted us")},
    )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (Django's documented pattern)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)] if data else []


class DetailsForm(forms.Form):
    service = ShortListChoiceField(
        queryset=Service.objects.order_by("name"),
        required=False,
        empty_label=_("I'm not sure"),
        label=_("Which service is it about?"),
    )
    category = ShortListChoiceField(
        queryset=ServiceRequestCategory.objects.filter(active=True).select_related("service"),
        required=False,
        empty_label=_("Something else"),
        label=_("What do you need?"),
    )
    subject = forms.CharField(
        max_length=200,
        label=_("Give it a short title"),
        error_messages={
            "required": _("Enter a short title"),
            "max_length": _("Title must be 200 characters or fewer"),
        },
    )
    what_happened = forms.CharField(
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 8}),
        label=_("Tell us about it"),
        error_messages={
            "required": _("Tell us what it is about"),
            "max_length": _("This must be 10,000 characters or fewer"),
        },
    )
    happened_on = forms.DateField(
        required=False,
        label=_("When did it happen? (optional)"),
        help_text=_("For example, 27 3 2026"),
        input_formats=["%Y-%m-%d", "%d/%m/%Y", "%d %m %Y", "%d-%m-%Y"],
        error_messages={
            "invalid": _("Enter the date as day, month and year, for example 27 3 2026")
        },
    )
    attachments = MultipleFileField(
        required=False,
        label=_("Add photos or documents (optional)"),
        help_text=_("Up to 5 files, 10 MB each: photos, PDF or Word documents."),
    )
    put_right = forms.CharField(
        max_length=5_000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        label=_("What would put things right? (optional)"),
    )

    def clean_happened_on(self) -> date | None:
        happened: date | None = self.cleaned_data.get("happened_on")
        if happened and happened > date.today():
            raise forms.ValidationError(_("The date must be today or in the past"))
        return happened


class AccessNeedsForm(forms.Form):
    """The help a customer needs from us to communicate: formats, a language, adjustments."""

    access_formats = forms.MultipleChoiceField(
        choices=AccessFormat.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Do you need anything from us in another format?"),
        help_text=_("Select all that apply. Leave empty if you do not need any."),
    )
    access_language = forms.CharField(
        required=False,
        max_length=100,
        label=_("Which language, if you need another language or an interpreter?"),
    )
    adjustments = forms.CharField(
        required=False,
        max_length=5_000,
        widget=forms.Textarea(attrs={"rows": 3}),
        label=_("Is there anything else we should do to make this easier for you? (optional)"),
    )


class ContactForm(AccessNeedsForm):
    """How to reach the customer, and the help they need from us to communicate: one page,
    since both are about how we will be in touch."""

    field_order = [
        "name",
        "email",
        "phone",
        "address",
        "contact_preference",
        "access_formats",
        "access_language",
        "adjustments",
    ]

    name = forms.CharField(
        max_length=200, label=_("Full name"), error_messages={"required": _("Enter your name")}
    )
    email = forms.EmailField(
        required=False,
        max_length=254,
        label=_("Email address"),
        error_messages={
            "invalid": _("Enter an email address in the correct format, like name@example.com")
        },
    )
    phone = forms.CharField(required=False, max_length=40, label=_("Phone number"))
    address = forms.CharField(
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        label=_("Postal address"),
    )
    contact_preference = forms.ChoiceField(
        choices=ContactPreference.choices,
        widget=forms.RadioSelect,
        label=_("How should we contact you?"),
        error_messages={"required": _("Select how we should contact you")},
    )
    # A field people never see: bots fill it in.
    website = forms.CharField(required=False, label="Leave this empty")

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        preference = data.get("contact_preference")
        needed = {"email": "email", "phone": "phone", "letter": "address"}.get(str(preference))
        if needed and not data.get(needed):
            messages = {
                "email": _("Enter your email address, or choose another way for us to contact you"),
                "phone": _("Enter your phone number, or choose another way for us to contact you"),
                "address": _(
                    "Enter your postal address, or choose another way for us to contact you"
                ),
            }
            self.add_error(needed, messages[needed])
        return data


class TrackForm(forms.Form):
    reference = forms.CharField(
        max_length=24,
        label=_("Your reference"),
        error_messages={"required": _("Enter your reference")},
    )
    email = forms.EmailField(
        label=_("The email address you gave us"),
        error_messages={
            "required": _("Enter your email address"),
            "invalid": _("Enter an email address in the correct format, like name@example.com"),
        },
    )


class EscalateForm(forms.Form):
    unresolved = forms.CharField(
        required=False,
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 5}),
        label=_("What are you still unhappy about? (optional)"),
        help_text=_("You do not have to give a reason."),
    )


def _optional_radio(choices: Any, label: Any) -> forms.ChoiceField:
    return forms.ChoiceField(choices=choices, required=False, widget=forms.RadioSelect, label=label)


class EqualityForm(forms.Form):
    age_band = _optional_radio(equality.AgeBand.choices, _("What is your age?"))
    sex = _optional_radio(equality.Sex.choices, _("What is your sex?"))
    gender_same_as_at_birth = _optional_radio(
        equality.YesNo.choices,
        _("Is the gender you identify with the same as your sex registered at birth?"),
    )
    disabled = _optional_radio(
        equality.YesNo.choices, _("Do you consider yourself to be disabled?")
    )
    ethnicity = _optional_radio(equality.Ethnicity.choices, _("What is your ethnic group?"))
    religion = _optional_radio(equality.Religion.choices, _("What is your religion or belief?"))
    sexual_orientation = _optional_radio(
        equality.SexualOrientation.choices, _("What is your sexual orientation?")
    )


class SurveyForm(forms.Form):
    handling = forms.TypedChoiceField(
        choices=Rating.choices,
        coerce=int,
        widget=forms.RadioSelect,
        label=_("How well did we handle your case?"),
        error_messages={"required": _("Select an answer")},
    )
    timeliness = forms.TypedChoiceField(
        choices=Rating.choices,
        coerce=int,
        widget=forms.RadioSelect,
        label=_("How quickly did we deal with it?"),
        error_messages={"required": _("Select an answer")},
    )
    outcome = forms.TypedChoiceField(
        choices=Rating.choices,
        coerce=int,
        widget=forms.RadioSelect,
        label=_("How satisfied are you with the outcome?"),
        error_messages={"required": _("Select an answer")},
    )
    ease_of_contact = forms.TypedChoiceField(
        choices=Rating.choices,
        coerce=int,
        widget=forms.RadioSelect,
        label=_("How easy was it to contact us?"),
        error_messages={"required": _("Select an answer")},
    )
    comments = forms.CharField(
        required=False,
        max_length=5_000,
        widget=forms.Textarea(attrs={"rows": 4}),
        label=_("Is there anything else you want to tell us? (optional)"),
    )
