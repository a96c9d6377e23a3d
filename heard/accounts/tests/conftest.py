import time
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from heard.org.models import Role
from heard.testing import make_staff

PASSWORD = "a-long-password-for-tests"


@pytest.fixture(autouse=True)
def _quick_password_hashing(settings):
    """scrypt takes most of a second a password here, and these tests check a great many."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def officer(db):
    user = make_staff(Role.COMPLAINTS_TEAM, username="olivia")
    user.set_password(PASSWORD)
    user.first_name, user.last_name = "Olivia", "Officer"
    user.save()
    return user


@pytest.fixture
def authenticator(officer):
    """Olivia's authenticator app, already set up."""
    return TOTPDevice.objects.create(user=officer, name="Authenticator app", confirmed=True)


def sign_in(client: Client, username: str, password: str = PASSWORD, **extra):
    return client.post(
        "/staff/account/sign-in", {"username": username, "password": password, **extra}
    )


def code_for(device: TOTPDevice, *, steps_ahead: int = 0) -> str:
    """The code the person's app shows now (or ``steps_ahead`` steps of 30 seconds from now)."""
    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():0{device.digits}d}"


def wrong_code(device: TOTPDevice) -> str:
    right = {code_for(device, steps_ahead=step) for step in (-1, 0, 1)}
    return next(code for code in ("000000", "111111", "222222", "333333") if code not in right)


def wait_out_the_throttle(device: TOTPDevice) -> None:
    """As if the wait after the last wrong code had passed (django-otp doubles it each time)."""
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_timestamp=timezone.now() - timedelta(hours=1)
    )
