"""Sign-in forms, with GOV.UK error messages."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm, UsernameField
from django.core.exceptions import ValidationError

from heard.accounts import services


class SecretField(forms.CharField):
    """A password: never written back into the page when the form is shown again."""

    def bound_data(self, data: Any, initial: Any) -> Any:
        return ""


class SignInForm(AuthenticationForm):
    username = UsernameField(label="Username", error_messages={"required": "Enter your username"})
    password = SecretField(
        label="Password", strip=False, error_messages={"required": "Enter your password"}
    )

    error_messages = {
        **AuthenticationForm.error_messages,
        "inactive": (
            "Your account has been switched off. Ask a Heard administrator in your "
            "organisation to switch it back on."
        ),
    }

    def get_invalid_login_error(self) -> ValidationError:
        message = "The username or password is not right. Check them and try again."
        remaining = services.remaining_sign_in_tries(self.request) if self.request else None
        if remaining:
            tries = "try" if remaining == 1 else "tries"
            pause = services.minutes(int(services.sign_in_cool_off().total_seconds() // 60))
            message += (
                f" After {remaining} more wrong {tries}, signing in will be paused for {pause}."
            )
        return ValidationError(message, code="invalid_login")


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Code",
        max_length=20,
        error_messages={
            "required": "Enter the 6-digit code from your authenticator app",
            "max_length": "The code must be 6 digits, like 123456",
        },
    )

    def clean_code(self) -> str:
        code = re.sub(r"[\s-]", "", self.cleaned_data["code"])
        if not re.fullmatch(r"\d{6}", code):
            raise ValidationError("The code must be 6 digits, like 123456")
        return code
