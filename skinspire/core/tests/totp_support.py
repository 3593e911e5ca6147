"""Browser-free TOTP for tests: a confirmed authenticator, and the codes a phone would show."""

from datetime import timedelta

from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice


def enrolled_device(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)


def code_for(device: TOTPDevice, steps_ahead: int = 0) -> str:
    """The 6-digit code for now (or `steps_ahead` 30-second steps later, still accepted: the
    device allows one step of clock drift; each step's code is accepted once)."""
    device.refresh_from_db()
    return f"{totp(device.bin_key, step=device.step, t0=device.t0 - device.step * steps_ahead):06d}"


def recovery_code_for(user, code: str = "recovery2code") -> str:
    device, _ = StaticDevice.objects.get_or_create(user=user, name="Recovery codes", confirmed=True)
    StaticToken.objects.create(device=device, token=code)
    return code


def after_throttle_wait(device) -> None:
    """As if the seconds django-otp makes a user wait after a wrong code had passed."""
    type(device).objects.filter(pk=device.pk).update(
        throttling_failure_timestamp=timezone.now() - timedelta(days=1)
    )
